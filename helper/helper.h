/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the helper's two files share: the run's identity for the log and
 * the reply, the ways a run ends (helper.c), and the privilege steps
 * (privilege.c).
 */
#ifndef AUTHBIND_HELPER_H
#define AUTHBIND_HELPER_H

#include <stdint.h>
#include <sys/types.h>

#include "addr.h"
#include "proto.h"

#define CHANNEL_FD 0

/*
 * The real and saved uid the helper runs with once it is sure it is root.
 * The kernel lets one process signal, ptrace or prlimit another when its
 * uid matches the other's real or saved uid, and a setuid exec leaves the
 * real uid the caller's: so the caller could stop us with SIGSTOP while
 * we hold the IPv4 half of a port, for as long as it liked (a stopped
 * process never acts on its SIGALRM).  (uid_t)-2 is the last valid uid;
 * no distribution allocates it (useradd's and systemd's ranges end far
 * below), so no process should pass those checks against us (should one
 * ever run as it, it could: authbind-helper(8) says so).  The effective
 * uid stays the caller's (or 0), and the caller's identity for every log
 * line comes from the values caught at the start, never from getuid()
 * afterwards.
 */
#define HOLD_UID ((uid_t)-2)

/* What every log line and the reply say about this run. */
struct run {
	uid_t uid;      /* the caller's real uid and gid, as execve left them */
	gid_t gid;
	int replying;   /* fd 0 is the socketpair: a reply can be sent */
	int userns;     /* the uid is that of a user namespace, not the host's */
	char pid[48];   /* "pid=2067", or "pid=2067(claimed) ppid=2070" */
	char where[AB_ENDPOINT_TEXT_MAX + 8]; /* "tcp 0.0.0.0:80", once known */
	const char *mode; /* " (v6-only)" or " (dual-stack)" for ::, else "" */
};
extern struct run run;

/* helper.c: the ways a run ends; each logs, replies when it can, exits. */
__attribute__((noreturn))
void refuse(enum ab_outcome outcome, int error, uint32_t detail, const char *text);
__attribute__((noreturn)) void fail(const char *what);

/* privilege.c, in the order helper.c calls them. */
void reset_process_state(void);
void check_privilege(void);
void hold_off_caller(void);
void drop_to_caller(uid_t uid, gid_t gid);
void keep_bind_only(void);
int set_socket_owner(int sock, uid_t owner);

#endif
