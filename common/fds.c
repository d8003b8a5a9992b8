/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fds.h"

/* One record of getdents64(2); glibc before 2.30 has no declaration. */
struct dirent64_head {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static int close_listed(int first)
{
	union {
		char buf[4096];
		struct dirent64_head align;
	} u;
	long dir, n, pos;

	dir = syscall(SYS_openat, AT_FDCWD, "/proc/self/fd",
		      O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -1;
	/* /proc lists the fds by number from where it stopped, so closing the
	 * ones already read loses none of the rest. */
	while ((n = syscall(SYS_getdents64, dir, u.buf, sizeof(u.buf))) > 0) {
		for (pos = 0; pos < n;) {
			struct dirent64_head *d = (struct dirent64_head *)(u.buf + pos);
			const char *p = d->name;
			long fd = 0;

			pos += d->reclen;
			if (*p < '0' || *p > '9')
				continue;
			while (*p >= '0' && *p <= '9')
				fd = fd * 10 + (*p++ - '0');
			if (fd >= first && fd != dir)
				syscall(SYS_close, fd);
		}
	}
	syscall(SYS_close, dir);
	return n < 0 ? -1 : 0;
}

int ab_close_from(int first)
{
	struct { uint64_t cur, max; } nofile; /* prlimit64's, on every arch */
	long fd;

#if HAVE_DECL_SYS_CLOSE_RANGE
	if (syscall(SYS_close_range, (unsigned)first, ~0U, 0) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
#endif
	if (close_listed(first) == 0)
		return 0;
	/* No /proc: every number the process may have opened, which misses
	 * only fds above a soft limit lowered after they were opened. */
	if (syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &nofile) != 0)
		return -1;
	if (nofile.cur > (1u << 20))
		nofile.cur = 1u << 20;
	for (fd = first; fd < (long)nofile.cur; fd++)
		syscall(SYS_close, fd);
	return 0;
}
