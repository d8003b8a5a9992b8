/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing and removing the state file (see active.h for its reader).  The
 * file is written whole under a temporary name and renamed into place, so
 * a reader never sees half of it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "active.h"
#include "state.h"

int ab_state_write(const char *dir, uint64_t netns_cookie, const char *cgroup,
		   char *err, size_t errsize)
{
	char path[4096], tmp[4096], text[8192];
	int fd, len;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errsize, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%d", dir, (int)getpid());
	snprintf(tmp, sizeof(tmp), "%s/.%d.tmp", dir, (int)getpid());
	len = snprintf(text, sizeof(text), "pid=%d\nstart=%llu\nnetns=%" PRIu64 "\ncgroup=%s\n",
		       (int)getpid(), ab_process_start_time(getpid()), netns_cookie, cgroup);
	if (len < 0 || (size_t)len >= sizeof(text)) {
		snprintf(err, errsize, "the cgroup path is too long for the state file");
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, (size_t)len) != len || fchmod(fd, 0644) != 0 ||
	    close(fd) != 0 || rename(tmp, path) != 0) {
		snprintf(err, errsize, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

void ab_state_remove(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%d", dir, (int)getpid());
	unlink(path);
}
