/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Finding cgroup v2: the mount whose file system type is cgroup2 and whose
 * root is the hierarchy's root (a container may see only a subtree, which
 * is not the root of every socket).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cgroup.h"

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *out = s;

	while (*s != '\0') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

int ab_cgroup2_root(char *out, size_t size)
{
	char line[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = -1;

	if (f == NULL)
		return -1;
	while (found != 0 && fgets(line, sizeof(line), f) != NULL) {
		char *fields[6], *sep, *save = NULL, *p = line;
		int i;

		sep = strstr(line, " - ");
		if (sep == NULL || strncmp(sep + 3, "cgroup2 ", 8) != 0)
			continue;
		*sep = '\0';
		for (i = 0; i < 6; i++, p = NULL) {
			fields[i] = strtok_r(p, " ", &save);
			if (fields[i] == NULL)
				break;
		}
		/* id, parent, dev, root, mount point, options */
		if (i < 5 || strcmp(fields[3], "/") != 0)
			continue;
		unescape(fields[4]);
		if (strlen(fields[4]) < size) {
			memcpy(out, fields[4], strlen(fields[4]) + 1);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

int ab_cgroup2_self(char *out, size_t size)
{
	char line[4096];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int found = -1;

	if (f == NULL)
		return -1;
	while (found != 0 && fgets(line, sizeof(line), f) != NULL) {
		size_t len;

		if (strncmp(line, "0::", 3) != 0)
			continue;
		len = strcspn(line + 3, "\n");
		if (len < size) {
			memcpy(out, line + 3, len);
			out[len] = '\0';
			found = 0;
		}
	}
	fclose(f);
	return found;
}
