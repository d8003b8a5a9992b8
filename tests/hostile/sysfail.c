/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The seccomp filters of sysfail.h, and, built with SYSFAIL_MAIN, the
 * command that runs a program under them:
 *
 *   sysfail FAULT[,FAULT...] COMMAND [ARG...]
 *   sysfail close_range --probe
 *
 * (as root; COMMAND usually drops privilege itself, setpriv for one).
 * --probe shows the filter works: it prints what close_range(2) returns.
 */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sysfail.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif
#ifndef PIDFD_GET_USER_NAMESPACE
#define PIDFD_GET_USER_NAMESPACE _IO(0xFF, 9)
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#if defined(__x86_64__)
#define SYSFAIL_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SYSFAIL_ARCH AUDIT_ARCH_AARCH64
#endif

/* A system call, two arguments it must have (-1: any), what it returns. */
struct fault {
	const char *name;
	long nr;
	int arg1, arg2;
	long value1, value2;
	unsigned ret; /* SECCOMP_RET_ERRNO | errno */
};

static const struct fault faults[] = {
	{ "close_range", SYS_close_range, -1, -1, 0, 0, SECCOMP_RET_ERRNO | ENOSYS },
	{ "netns_cookie", SYS_getsockopt, 1, 2, SOL_SOCKET, SO_NETNS_COOKIE,
	  SECCOMP_RET_ERRNO | ENOPROTOOPT },
	{ "siocgskns", SYS_ioctl, 1, -1, SIOCGSKNS, 0, SECCOMP_RET_ERRNO | ENOTTY },
	{ "pidfd_open", SYS_pidfd_open, -1, -1, 0, 0, SECCOMP_RET_ERRNO | ENOSYS },
	{ "pidfd_userns", SYS_ioctl, 1, -1, (long)PIDFD_GET_USER_NAMESPACE, 0,
	  SECCOMP_RET_ERRNO | ENOTTY },
	/* "Success" with nothing written: what a careless reader trusts. */
	{ "capget", SYS_capget, -1, -1, 0, 0, SECCOMP_RET_ERRNO | 0 },
};

#define NFAULTS (sizeof(faults) / sizeof(faults[0]))
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + (i) * sizeof(uint64_t))

int sysfail_install(const char *names)
{
#ifdef SYSFAIL_ARCH
	struct sock_filter prog[8 + 8 * NFAULTS], *p = prog;
	struct sock_fprog fprog;
	const char *s = names;
	size_t i;

	*p++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					    offsetof(struct seccomp_data, arch));
	*p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYSFAIL_ARCH, 1, 0);
	*p++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	while (*s != '\0') {
		size_t len = strcspn(s, ",");
		const struct fault *f = NULL;

		for (i = 0; i < NFAULTS; i++)
			if (strlen(faults[i].name) == len && strncmp(faults[i].name, s, len) == 0)
				f = &faults[i];
		if (f == NULL) {
			errno = EINVAL;
			return -1;
		}
		/* nr == f->nr && (arg1 low word) && (arg2 low word) -> ret */
		*p++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						    offsetof(struct seccomp_data, nr));
		*p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)f->nr,
						    0, (uint8_t)(f->arg2 >= 0 ? 5 : f->arg1 >= 0 ? 3 : 1));
		if (f->arg1 >= 0) {
			*p++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
							    (uint32_t)ARG_LO(f->arg1));
			*p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							    (uint32_t)f->value1, 0,
							    (uint8_t)(f->arg2 >= 0 ? 3 : 1));
		}
		if (f->arg2 >= 0) {
			*p++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
							    (uint32_t)ARG_LO(f->arg2));
			*p++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							    (uint32_t)f->value2, 0, 1);
		}
		*p++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, f->ret);
		s += len;
		if (*s == ',')
			s++;
	}
	*p++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	fprog.len = (unsigned short)(p - prog);
	fprog.filter = prog;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0);
#else
	(void)names;
	errno = ENOSYS;
	return -1;
#endif
}

#ifdef SYSFAIL_MAIN
int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: sysfail FAULT[,FAULT...] COMMAND [ARG...]\n");
		return 2;
	}
	if (sysfail_install(argv[1]) != 0) {
		fprintf(stderr, "sysfail: %s: %s\n", argv[1], strerror(errno));
		return errno == ENOSYS ? 77 : 2;
	}
	if (strcmp(argv[2], "--probe") == 0) {
		long r = syscall(SYS_close_range, ~0U - 1, ~0U, 0);

		printf("close_range %s\n", r == 0 ? "0" : strerror(errno));
		return 0;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "sysfail: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
#endif
