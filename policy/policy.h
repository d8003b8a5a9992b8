/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The authbind policy: which caller may bind which address, port and
 * protocol.
 *
 * rules.c is the rule language, perm.c who may use a policy file,
 * lookup.c the walk that decides one bind, files.c and tree.c the two
 * readings of the tree it walks (view.h), grants.c everything a tree
 * grants a caller, and names.c the user and group names the tree may use.
 * None makes a privileged call, so the unit tests drive them directly on
 * a directory of their own.  Every file and directory is opened once,
 * without following symlinks, and judged on the open descriptor.
 */
#ifndef AUTHBIND_POLICY_H
#define AUTHBIND_POLICY_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "addr.h"
#include "names.h"

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

/* Writes an address range as one address, a CIDR block ("10.0.0.0/8")
 * or LOW-HIGH, whichever it is. */
void ab_range_format(const struct ab_addr *lo, const struct ab_addr *hi, char *out,
		     size_t size);

/* Writes the rule in its canonical form ("tcp 10.0.0.0/24,80").
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

/* What decides whether a byport or byaddr file grants: its owner, group,
 * mode and POSIX ACL (the value of system.posix_acl_access). */
struct ab_exec_file {
	uid_t uid;
	gid_t gid;
	mode_t mode;
	const uint8_t *acl; /* NULL: no ACL */
	size_t acl_len;
};

/* Largest ACL read (the kernel's XATTR_SIZE_MAX). */
#define AB_ACL_MAX 65536

/* True when the caller may execute the file, exactly as access(X_OK)
 * would answer for a process with the caller's real uid, gid and groups:
 * owner bits, then the ACL (when its mask is not empty), then group or
 * other bits.  A malformed ACL denies. */
int ab_exec_allowed(const struct ab_exec_file *f, const struct ab_caller *c);

/* True when acl[0..len) is an ACL this code reads (version 2). */
int ab_acl_valid(const uint8_t *acl, size_t len);

/* Reads the ACL of the file open at fd (O_PATH will do) into buf; *len is
 * 0 when it has none.  Returns 0, or -1 with errno set. */
int ab_acl_read(int fd, uint8_t *buf, size_t size, size_t *len);

/* Calls fn for each gid, and each uid, that ab_exec_allowed may compare
 * with the caller's (groups only where the answer can depend on them).
 * Stops and returns fn's value when it is not zero. */
typedef int (*ab_gid_fn)(void *ctx, gid_t gid);
typedef int (*ab_uid_fn)(void *ctx, uid_t uid);
int ab_exec_file_groups(const struct ab_exec_file *f, ab_gid_fn fn, void *ctx);
int ab_exec_file_users(const struct ab_exec_file *f, ab_uid_fn fn, void *ctx);

/* Empty string when st is safe to trust as a policy directory or rule
 * file (owned by root, not writable by group or other), else the reason. */
const char *ab_unsafe_reason(const struct stat *st);

/* Calls fn for each line of an open rule file (bounded in size and line
 * length); stops early and returns fn's value when it returns non-zero. */
typedef int (*ab_line_fn)(void *ctx, unsigned lineno, enum ab_line_kind kind,
			  const struct ab_rule *rule, const char *text, size_t len);
int ab_rule_file_scan(int fd, ab_line_fn fn, void *ctx);

#define AB_SOURCE_MAX 96
#define AB_REASON_MAX 256

struct ab_decision {
	int granted;
	/* A denial no rule line can lift: a byport or byaddr file decided it,
	 * or a file or directory that cannot be trusted. */
	int final;
	char source[AB_SOURCE_MAX]; /* deciding file, relative to the policy dir */
	unsigned line;              /* its line, for rule files; else 0 */
	char reason[AB_REASON_MAX]; /* why, in words */
};

/* The words for a decision (words.c), as every enforcer logs them.  For a
 * dual-stack bind of ::, v4 is the decision on its IPv4 half (0.0.0.0);
 * otherwise NULL.  AB_WORDS_MAX holds any of them. */
#define AB_WORDS_MAX (2 * AB_SOURCE_MAX + AB_REASON_MAX + 80)
/* What granted: "byuid/1000 line 3", "byport/80". */
void ab_words_source(const struct ab_decision *d, char *out, size_t size);
/* What granted a bind: the source, or "X for :: and Y for 0.0.0.0". */
void ab_words_granted(const struct ab_decision *d, const struct ab_decision *v4, char *out,
		      size_t size);
/* Why a bind was refused: "byport/80 exists but ...", or "for 0.0.0.0,
 * the IPv4 half of this dual-stack bind: ..." when the half refused. */
void ab_words_refused(const struct ab_decision *d, const struct ab_decision *v4, char *out,
		      size_t size);

/* Told of every file consulted and what it said, for authbind --explain. */
struct ab_tracer {
	void (*step)(void *ctx, const char *source, unsigned line, const char *what);
	void *ctx;
};

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
