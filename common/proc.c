/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"

ssize_t ab_read_text(int dirfd, const char *path, int flags, char *buf, size_t size)
{
	ssize_t n;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | flags);

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0 || (size_t)n == size - 1)
		return -1;
	buf[n] = '\0';
	return n;
}

int ab_proc_stat_field(pid_t pid, int field, unsigned long long *value)
{
	char path[32], buf[1024], *end;
	const char *p;
	int k;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (field < 3 || ab_read_text(AT_FDCWD, path, 0, buf, sizeof(buf)) < 0 ||
	    (p = strrchr(buf, ')')) == NULL)
		return -1;
	/* ") STATE PPID ...": field k starts after the (k-2)th space. */
	for (k = 2; k < field && p != NULL; k++)
		p = strchr(p + 1, ' ');
	if (p == NULL || p[1] < '0' || p[1] > '9')
		return -1;
	*value = strtoull(p + 1, &end, 10);
	return *end == ' ' || *end == '\n' || *end == '\0' ? 0 : -1;
}
