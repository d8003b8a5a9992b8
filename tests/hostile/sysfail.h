/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Faults injected with a seccomp filter, to show that the helper and the
 * shim fall back, or fail closed, when a system call fails or lies.
 * Installing one needs CAP_SYS_ADMIN (root) or NoNewPrivileges; a filter
 * installed by root survives the setuid exec of the helper.
 */
#ifndef AUTHBIND_SYSFAIL_H
#define AUTHBIND_SYSFAIL_H

/*
 * Installs a filter for the comma-separated faults in names:
 *   close_range    close_range(2) fails with ENOSYS (Linux before 5.9)
 *   netns_cookie   getsockopt(SOL_SOCKET, SO_NETNS_COOKIE) fails with
 *                  ENOPROTOOPT (before 5.14)
 *   siocgskns      ioctl(SIOCGSKNS) fails with ENOTTY (before 4.10)
 *   pidfd_open     pidfd_open(2) fails with ENOSYS (before 5.3)
 *   pidfd_userns   ioctl(PIDFD_GET_USER_NAMESPACE) fails with ENOTTY
 *                  (before 6.11)
 *   capget         capget(2) returns 0 and writes nothing
 * Returns 0, or -1 with errno (EINVAL: an unknown name; ENOSYS: not on
 * this architecture).
 */
int sysfail_install(const char *names);

#endif
