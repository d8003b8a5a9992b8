/*
 * The authbind policy: which caller may bind which address, port and
 * protocol.
 *
 * rules.c is the rule language (lines, names, permission rules),
 * lookup.c walks the policy tree for one bind, and names.c looks up the
 * user and group names the tree may use.  Neither makes a
 * privileged call, so the unit tests drive them directly on a directory of
 * their own.  Every file and directory is opened once, without following
 * symlinks, and judged on the open descriptor.
 */
#ifndef AUTHBIND_POLICY_H
#define AUTHBIND_POLICY_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "addr.h"

/* Longest rule line, without its newline; a longer one is malformed. */
#define AB_LINE_MAX 256
/* Largest rule file read; a larger one is malformed from there on. */
#define AB_RULE_FILE_MAX (1024 * 1024)
/* Most supplementary groups of a caller: the system's own limit, so that
 * every program that answers for a caller (the helper, --explain) can
 * hold every group the kernel can give a process. */
#define AB_GROUPS_MAX NGROUPS_MAX
/* Most bygid entries looked at; the rest are ignored (and reported by
 * authbind --check-config). */
#define AB_GROUP_FILES_MAX 256

struct ab_caller {
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t ngroups;
	/* The caller's login name, for byuid/NAME; NULL when it has none or
	 * when user_name_of is to find it. */
	const char *user_name;
	/* Finds the login name of a uid, only when byuid/NAME is reached (most
	 * decisions never need it); NULL: no names. */
	const char *(*user_name_of)(uid_t uid);
	/* Resolves a group name met in bygid/; NULL: names never match. */
	int (*group_by_name)(const char *name, gid_t *gid);
};

/* What is to be bound. */
struct ab_target {
	struct ab_addr addr; /* judged as IPv4 when v4-mapped */
	uint16_t port;
	int proto;           /* IPPROTO_TCP or IPPROTO_UDP */
};

/* One rule line: an optional protocol, an inclusive range of addresses of
 * one family (AF_UNSPEC: every address of both families, written "*") and
 * an inclusive range of ports.  Every line form becomes this. */
struct ab_rule {
	int proto; /* 0 for both */
	struct ab_addr lo, hi;
	uint16_t port_lo, port_hi;
};

enum ab_line_kind {
	AB_LINE_RULE,
	AB_LINE_BLANK,     /* empty, blank or a # comment */
	AB_LINE_MALFORMED,
};

/* Parses one line (without its newline). */
enum ab_line_kind ab_rule_parse(struct ab_rule *r, const char *line, size_t len);

/* True when the rule covers the address, port and protocol; a rule of one
 * family never covers an address of the other. */
int ab_rule_matches(const struct ab_rule *r, const struct ab_addr *a,
		    uint16_t port, int proto);

/* Writes the rule in its canonical form ("tcp 10.0.0.0-10.0.0.255,80").
 * Returns what snprintf returns. */
int ab_rule_format(const struct ab_rule *r, char *out, size_t size);

/* Writes the rule line that would grant the target alone: "tcp
 * 192.0.2.1,80", or "tcp *,80" for a dual-stack bind of ::, which needs
 * both halves. */
void ab_rule_suggest(const struct ab_target *t, int dual, char *out, size_t size);

/* Strict decimal (digits only, at most ten) no larger than max. */
int ab_number_parse(const char *text, size_t len, unsigned long max,
		    unsigned long *out);

/* True for a user or group name as a policy file may be called: letters,
 * digits, '_', '-', '.', a final '$', not all digits, at most 32. */
int ab_name_valid(const char *name);

/* True when gid is the caller's primary or a supplementary group. */
int ab_caller_in_group(const struct ab_caller *c, gid_t gid);

/* True when st's mode bits give the caller execute permission, choosing
 * the owner, group or other bits as the kernel does (ACLs aside). */
int ab_mode_allows_exec(const struct stat *st, const struct ab_caller *c);

/* Empty string when st is safe to trust as a policy directory or rule
 * file (owned by root, not writable by group or other), else the reason. */
const char *ab_unsafe_reason(const struct stat *st);

/* Calls fn for each line of an open rule file (bounded in size and line
 * length); stops early and returns fn's value when it returns non-zero. */
typedef int (*ab_line_fn)(void *ctx, unsigned lineno, enum ab_line_kind kind,
			  const struct ab_rule *rule, const char *text, size_t len);
int ab_rule_file_scan(int fd, ab_line_fn fn, void *ctx);

#define AB_SOURCE_MAX 96
#define AB_REASON_MAX 160

struct ab_decision {
	int granted;
	/* A denial no rule line can lift: a byport or byaddr file decided it,
	 * or a file or directory that cannot be trusted. */
	int final;
	char source[AB_SOURCE_MAX]; /* deciding file, relative to the policy dir */
	unsigned line;              /* its line, for rule files; else 0 */
	char reason[AB_REASON_MAX]; /* why, in words */
};

/* Told of every file consulted and what it said, for authbind --explain. */
struct ab_tracer {
	void (*step)(void *ctx, const char *source, unsigned line, const char *what);
	void *ctx;
};

/* Names in the policy, looked up in /etc/passwd and /etc/group alone
 * (names.c).  The user name is in static storage; NULL or -1: none. */
const char *ab_user_name_of(uid_t uid);
int ab_user_id_of(const char *name, uid_t *uid);
int ab_group_id_of(const char *name, gid_t *gid);

/*
 * Decides whether the caller may bind the target, looking in order at
 * byport, byaddr, byuid and bygid under the open policy directory dirfd.
 * The first byport or byaddr file that exists decides; otherwise any
 * matching rule line grants.  A file that cannot be trusted or read
 * denies at once, and says so in d->reason.  tracer may be NULL.
 */
void ab_policy_decide(int dirfd, const struct ab_caller *c,
		      const struct ab_target *t, struct ab_decision *d,
		      const struct ab_tracer *tracer);

/* Opens the policy directory and checks it is a root-owned directory not
 * writable by others.  Returns the fd or -1 with d->reason filled in. */
int ab_policy_open(const char *path, struct ab_decision *d);

#endif
