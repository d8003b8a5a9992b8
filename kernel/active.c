/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading authbindd's state files (see active.h).  No privilege needed:
 * the files are world-readable, and every claim in them is checked
 * against the live system before it is believed.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "active.h"
#include "cgroup.h"
#include "proc.h"

unsigned long long ab_process_start_time(pid_t pid)
{
	unsigned long long start;

	return ab_proc_stat_field(pid, 22, &start) == 0 ? start : 0;
}

int ab_kernel_state_read(int dirfd, const char *name, struct ab_kernel_state *s)
{
	char buf[8192], *line, *save = NULL;
	int seen = 0;

	if (ab_read_text(dirfd, name, O_NOFOLLOW, buf, sizeof(buf)) < 0)
		return -1;
	memset(s, 0, sizeof(*s));
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		long long pid;

		if (sscanf(line, "pid=%lld", &pid) == 1 && pid > 0) {
			s->pid = (pid_t)pid;
			seen |= 1;
		} else if (sscanf(line, "start=%llu", &s->start_time) == 1) {
			seen |= 2;
		} else if (sscanf(line, "netns=%" SCNu64, &s->netns_cookie) == 1) {
			seen |= 4;
		} else if (strncmp(line, "cgroup=/", 8) == 0 && strlen(line + 7) < sizeof(s->cgroup)) {
			memcpy(s->cgroup, line + 7, strlen(line + 7) + 1);
			seen |= 8;
		}
	}
	return seen == 15 ? 0 : -1;
}

/* True when cgroup path self is base or below it. */
static int cgroup_within(const char *self, const char *base)
{
	size_t n = strlen(base);

	if (strcmp(base, "/") == 0)
		return 1;
	return strncmp(self, base, n) == 0 && (self[n] == '\0' || self[n] == '/');
}

static int own_netns_cookie(uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return -1;
	r = getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len);
	close(fd);
	return r;
}

int ab_kernel_mode_active(const char *state_dir, struct ab_kernel_state *found)
{
	struct ab_kernel_state s;
	struct dirent *de;
	char self[4096];
	uint64_t cookie;
	int dirfd, active = 0;
	DIR *dir;

	if (own_netns_cookie(&cookie) != 0 || ab_cgroup2_self(self, sizeof(self)) != 0)
		return 0;
	dirfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return 0;
	dir = fdopendir(dirfd);
	if (dir == NULL) {
		close(dirfd);
		return 0;
	}
	while (!active && (de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.' ||
		    ab_kernel_state_read(dirfd, de->d_name, &s) != 0)
			continue;
		if (s.netns_cookie != cookie || !cgroup_within(self, s.cgroup) ||
		    ab_process_start_time(s.pid) != s.start_time)
			continue;
		active = 1;
		if (found != NULL)
			*found = s;
	}
	closedir(dir);
	return active;
}
