/*
 * The authbind policy: which caller may bind which address and port.
 *
 * Pure file reading and matching, with no privileged call in it, so that
 * the unit tests drive it directly on a directory of their own.  Every
 * file and directory is opened once, without following symlinks, and
 * judged on the open descriptor.
 */
#ifndef AUTHBIND_POLICY_H
#define AUTHBIND_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "addr.h"

/* Longest byuid line, without its newline; a longer one is malformed. */
#define AB_LINE_MAX 256
/* Largest byuid file read; past it the rest of the file is ignored and
 * the file counts as malformed from there on. */
#define AB_RULE_FILE_MAX (1024 * 1024)

struct ab_caller {
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t ngroups;
};

/* One byuid line: an inclusive range of addresses of one family and an
 * inclusive range of ports.  Every line form becomes this. */
struct ab_rule {
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

/* True when the rule covers the address and port; a rule of one family
 * never covers an address of the other. */
int ab_rule_matches(const struct ab_rule *r, const struct ab_addr *a,
		    uint16_t port);

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
	char source[AB_SOURCE_MAX]; /* deciding file, relative to the policy dir */
	unsigned line;              /* its line, for byuid rules; else 0 */
	char reason[AB_REASON_MAX]; /* why, in words */
};

/*
 * Decides whether the caller may bind addr:port, looking in order at
 * byport, byaddr and byuid under the open policy directory dirfd.
 * Returns 0 with d filled in (granted or not); a file that cannot be
 * trusted or read denies, and says so in d->reason.
 */
int ab_policy_decide(int dirfd, const struct ab_caller *c,
		     const struct ab_addr *addr, uint16_t port,
		     struct ab_decision *d);

#endif
