/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AB_TESTS_BOUNDPORT_H
#define AB_TESTS_BOUNDPORT_H

/* The port FD is bound to (0 when it is not bound), or -1 when
 * getsockname fails. */
int bound_port(int fd);

#endif
