/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * attack: plays a malicious caller of the installed setuid helper.
 *
 *   attack [-p PORT] [-a ADDR] [-u] [-d] [-H HELPER] -w USERDIR CASE
 *
 * Run as root inside the private namespaces that hostile.sh sets up.  The
 * root "referee" (attack.c) makes what only root can make (raw and packet
 * sockets, a socket of another network namespace, sockets of other users,
 * TIME_WAIT leftovers, a seccomp filter), then forks the "caller", which
 * drops to the test uid and does what a hostile application could: it
 * builds the channel, the socket and the message itself and execs the
 * helper with whatever fds, argv, environment, rlimits and signal state the
 * case needs.  The caller sends the referee what happened; while the caller
 * still holds every socket it made, the referee proves with fresh binds of
 * its own that nothing took the port.  The referee also looks into
 * /proc/PID of the helper for the caller, which cannot (the helper is not
 * dumpable), and attaches strace to it when a case asks.
 *
 * The cases live in one file per layer they attack: state.c (the process
 * state the helper starts in), message.c (the message and the channel),
 * socket.c (the socket), policy.c (controls and identity), privilege.c
 * (privileges and namespaces), dualstack.c (the IPv4 half of ::).
 * scaffold.c runs the helper for them.
 *
 * Exit status: 0 the helper refused as the case expects and nothing was
 * bound; 1 it did not (why, on stdout); 77 the case cannot run here.
 */
#ifndef AUTHBIND_ATTACK_H
#define AUTHBIND_ATTACK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

#include "proto.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif

#define REPLY_WAIT_MS 15000 /* longer than any deadline of the helper */
#define EXIT_WAIT_MS 15000

/* What a case expects back from the helper. */
enum want {
	W_NONE = 100, /* no reply at all */
	W_REFUSED,    /* no reply, or one reply that is not a grant */
	W_ANY,        /* the case judges the replies itself */
};

#define F_BOUND 1u /* control: the port must end up bound */
#define F_TW    2u /* the referee's TCP probes set SO_REUSEADDR (TIME_WAIT is expected) */

struct ctx;

struct hcase {
	const char *name;
	void (*root_setup)(struct ctx *c); /* as root, before the caller forks */
	void (*run)(struct ctx *c);        /* as the caller */
	int want;     /* an enum ab_outcome or an enum want */
	int error;    /* the reply's errno, 0 for any */
	uint32_t detail;
	unsigned flags;
	long param;
};

struct sockname {
	int rc;
	socklen_t len;
	struct sockaddr_storage ss;
};

/* What the caller saw, sent to the referee in one message. */
struct result {
	int skip;
	int replies;
	ssize_t first_len;
	struct ab_reply rep;
	int waited;
	int status;
	int hung;
	long elapsed_ms;
	int moved; /* a watched socket's name changed */
	char note[256];
	char info[256];
	char said[160]; /* the start of what the helper wrote on stdout/stderr */
};

#define MAX_WATCH 32
#define MAX_ROOT_FDS 8

struct ctx {
	const struct hcase *hc;
	int ref;        /* the caller's end of the line to the referee */
	int sock;       /* what is passed as the socket, -1 until made */
	int root_fd[MAX_ROOT_FDS]; /* fds the referee made for the case */
	int *pool;      /* more of them, when a case needs many */
	int npool;
	int pool_next;  /* the first not yet used */
	int chan[2];    /* [0] the helper's end, [1] ours */
	int fd0;        /* the helper's fd 0, -1 to leave it closed */
	int peer;       /* where we read the replies, -1 for nowhere */
	pid_t pid;
	int out;        /* read end of the helper's stdout and stderr */
	struct timespec t0;
	const char *helper;
	const char *addr;
	void (*child_prep)(struct ctx *c);
	char **argv;
	char **envp;
	int argv_null;
	int traceme;
	long lim_resource, lim_value;
	int nwatch;
	int watch[MAX_WATCH];
	struct sockname before[MAX_WATCH];
	char output[2048];
	struct result r;
};

/* What the caller asks of the referee, and what it answers. */
enum { REF_INSPECT = 1, REF_RESULT, REF_DONE, REF_V4_BUSY, REF_STRACE };

struct ref_msg {
	int type;
	pid_t pid;
	char needle[160]; /* REF_INSPECT: a string to look for in maps;
			  * REF_STRACE: the strace expression ("" to detach) */
	struct result r;
};

struct inspect {
	int alive;
	char state;
	char wchan[64];
	long syscall_nr;
	int nfds;
	int fds[64];
	int maps_hit;
	int answer;   /* REF_V4_BUSY: 1 busy; REF_STRACE: 0 attached */
	char what[160];
};

/* The command line (attack.c). */
extern const char *opt_helper;
extern const char *opt_userdir;
extern const char *opt_addr;
extern const char *opt_policy_dir;
extern uint16_t opt_port;
extern int opt_udp, opt_dual;
extern uid_t opt_uid, opt_other;
extern gid_t opt_gid;

/* The case tables, one per layer, each ending with a NULL name. */
extern const struct hcase cases_policy[], cases_socket[], cases_message[];
extern const struct hcase cases_state[], cases_privilege[], cases_dualstack[];

/* ---- scaffold.c ---- */
__attribute__((noreturn)) void fatal(const char *what);
void note(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void skip(struct ctx *c, const char *why);
long ms_since(const struct timespec *t0);
void sleep_ms(long ms);
int family_of(const char *addr);
int make_socket(int domain, int type, int protocol);
int default_socket(struct ctx *c);
void build_request(struct ctx *c, struct ab_request *req);
void watch(struct ctx *c, int fd);
ssize_t send_with_fds(int chan, const void *data, size_t len, const int *fds, int nfds);
void send_request(struct ctx *c, const struct ab_request *req, size_t len);
int receive_fd(int chan);
void inspect_now(pid_t pid, const char *needle, struct inspect *in);
void inspect(struct ctx *c, pid_t pid, const char *needle, struct inspect *in);
int wait_in_poll(struct ctx *c, struct inspect *in);
int v4_half_busy(struct ctx *c, char *what, size_t size);
int strace_attach(struct ctx *c, pid_t pid, const char *expr);
void open_channel(struct ctx *c);
void spawn_helper(struct ctx *c);
void read_replies(struct ctx *c, long wait_ms);
void reap_helper(struct ctx *c, long wait_ms);
void read_output(struct ctx *c);
void collect(struct ctx *c);
void prepare(struct ctx *c);
void attack(struct ctx *c);
void reset_attempt(struct ctx *c);
void expect_exit(struct ctx *c, int code);
void expect_output(struct ctx *c, const char *text);
int dir_is_empty(const char *path);
const char *outcome_name(int o);
void run_plain(struct ctx *c);
void prep_close_std(struct ctx *c);
void prep_signals(struct ctx *c);
void prep_inherited(struct ctx *c);
void run_inherited_fds(struct ctx *c);

#endif
