/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Closing every file descriptor from one number up, for the helper (which
 * inherits what its caller left open) and for the shim's child before it
 * executes the helper.
 */
#ifndef AUTHBIND_FDS_H
#define AUTHBIND_FDS_H

/*
 * Closes every fd >= first.  close_range(2) where the kernel has it
 * (Linux 5.9); else the fds listed in /proc/self/fd; else every number
 * below the soft RLIMIT_NOFILE.  Only raw system calls: safe between
 * clone(CLONE_VM) and execve, where libc's wrappers are not (close is a
 * cancellation point).  Returns 0, or -1 with errno when it cannot tell
 * that every fd is closed.
 */
int ab_close_from(int first);

#endif
