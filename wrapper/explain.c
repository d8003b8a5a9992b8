/*
 * authbind --explain and --list: what the policy grants a user, and why,
 * read with the same code the helper decides with.
 */
#include "config.h"
#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "commands.h"
#include "identity.h"
#include "policy.h"

/* Parses "ADDR:PORT", "[ADDR]:PORT" (a %scope is allowed and ignored by
 * the policy) or "*:PORT" ('*' and '::' mean the dual-stack wildcard). */
static int parse_endpoint(const char *text, struct ab_addr *a, int *any_family,
			  uint16_t *port)
{
	const char *colon, *addr = text, *addr_end;
	unsigned long v;

	*any_family = 0;
	if (text[0] == '[') {
		addr = text + 1;
		addr_end = strchr(addr, ']');
		if (addr_end == NULL || addr_end[1] != ':')
			return -1;
		colon = addr_end + 1;
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL)
			return -1;
		addr_end = colon;
	}
	if (ab_number_parse(colon + 1, strlen(colon + 1), 65535, &v) != 0 || v == 0)
		return -1;
	*port = (uint16_t)v;
	memset(a, 0, sizeof(*a));
	if (addr_end - addr == 1 && addr[0] == '*') {
		a->family = AF_INET6;
		*any_family = 1;
		return 0;
	}
	{
		const char *pct = memchr(addr, '%', (size_t)(addr_end - addr));
		size_t len = (size_t)((pct != NULL ? pct : addr_end) - addr);

		if (ab_addr_parse(a, addr, len) != 0)
			return -1;
	}
	/* ::ffff:a.b.c.d is judged as the IPv4 address it is. */
	ab_addr_unmap(a);
	if (a->family == AF_INET6 && ab_addr_is_any(a))
		*any_family = 1;
	return 0;
}

static void print_step(void *ctx, const char *source, unsigned line, const char *what)
{
	(void)ctx;
	if (line != 0)
		printf("    %s line %u %s\n", source, line, what);
	else
		printf("    %s %s\n", source, what);
}

/* Returns 1 when granted, 0 when a rule line would grant it, -1 when a
 * file decided the denial (described in blocker). */
static int explain_one(int dirfd, const struct ab_caller *c, const struct ab_target *t,
		       char *blocker, size_t size)
{
	struct ab_tracer tracer = { print_step, NULL };
	struct ab_decision d;
	char host[AB_ADDR_TEXT_MAX];

	ab_addr_format(&t->addr, host);
	printf(t->addr.family == AF_INET6 ? "  [%s]:%u\n" : "  %s:%u\n", host,
	       (unsigned)t->port);
	ab_policy_decide(dirfd, c, t, &d, &tracer);
	if (d.granted)
		printf("    => granted\n");
	else if (d.source[0] == '\0')
		printf("    => denied: %s\n", d.reason);
	else
		printf("    => denied\n");
	if (!d.granted && d.final) {
		snprintf(blocker, size, "%s/%s %s", AB_POLICY_DIR, d.source, d.reason);
		return -1;
	}
	return d.granted;
}

static void describe_user(const struct ab_identity *id, char *out, size_t size)
{
	if (id->name[0] != '\0')
		snprintf(out, size, "uid %u (%s)", (unsigned)id->caller.uid, id->name);
	else
		snprintf(out, size, "uid %u", (unsigned)id->caller.uid);
}

int ab_cmd_explain(const char *user, const char *proto_name, const char *endpoint)
{
	static struct ab_identity id; /* groups: too large for the stack */
	struct ab_target t;
	struct ab_decision d;
	char who[96], host[AB_ADDR_TEXT_MAX], line[AB_ADDR_TEXT_MAX + 32];
	char blocker[2][sizeof(AB_POLICY_DIR) + AB_SOURCE_MAX + AB_REASON_MAX + 2];
	int dual, dirfd, first, v4, i;

	memset(&t, 0, sizeof(t));
	t.proto = IPPROTO_TCP;
	if (proto_name != NULL) {
		if (strcmp(proto_name, "udp") == 0)
			t.proto = IPPROTO_UDP;
		else if (strcmp(proto_name, "tcp") != 0)
			return ab_usage_error("--explain: protocol must be tcp or udp, not '%s'",
					      proto_name);
	}
	if (parse_endpoint(endpoint, &t.addr, &dual, &t.port) != 0)
		return ab_usage_error("--explain: '%s' is not ADDRESS:PORT "
				      "(e.g. 0.0.0.0:80, [::1]:443, *:80)", endpoint);
	if (ab_identity_get(&id, user) != 0)
		return 2;
	dirfd = ab_policy_open(AB_POLICY_DIR, &d);
	if (dirfd < 0) {
		fprintf(stderr, "authbind: %s %s\n", d.source, d.reason);
		return 2;
	}
	describe_user(&id, who, sizeof(who));
	ab_addr_format(&t.addr, host);
	printf("%s %s%s%s:%u for %s%s:\n", t.proto == IPPROTO_UDP ? "udp" : "tcp",
	       t.addr.family == AF_INET6 ? "[" : "", host,
	       t.addr.family == AF_INET6 ? "]" : "", (unsigned)t.port, who,
	       dual ? ", a dual-stack bind (IPv6 and IPv4, as Java and Node make it)" : "");
	blocker[0][0] = blocker[1][0] = '\0';
	first = explain_one(dirfd, &id.caller, &t, blocker[0], sizeof(blocker[0]));
	v4 = 1;
	if (dual) {
		struct ab_target v4_target = t;

		memset(&v4_target.addr, 0, sizeof(v4_target.addr));
		v4_target.addr.family = AF_INET;
		v4 = explain_one(dirfd, &id.caller, &v4_target, blocker[1], sizeof(blocker[1]));
	}
	close(dirfd);
	if (first == 1 && v4 == 1) {
		printf("result: granted\n");
		return 0;
	}
	if (first < 0 || v4 < 0) {
		printf("result: denied\n");
		for (i = 0; i < 2; i++)
			if (blocker[i][0] != '\0' &&
			    (i == 0 || strcmp(blocker[0], blocker[1]) != 0))
				printf("no rule line can grant it while %s: that file decides "
				       "first (authbind --check-config tells more)\n", blocker[i]);
		return 1;
	}
	if (dual)
		snprintf(line, sizeof(line), "%s *,%u", t.proto == IPPROTO_UDP ? "udp" : "tcp",
			 (unsigned)t.port);
	else
		snprintf(line, sizeof(line), "%s %s,%u", t.proto == IPPROTO_UDP ? "udp" : "tcp",
			 host, (unsigned)t.port);
	printf("result: denied\n"
	       "to grant it, an administrator can add the line '%s' to %s/byuid/%u\n",
	       line, AB_POLICY_DIR, (unsigned)id.caller.uid);
	return 1;
}

/* ---- --list ---- */

struct list_ctx {
	const char *source;
};

static int print_rule(void *ctx, unsigned lineno, enum ab_line_kind kind,
		      const struct ab_rule *rule, const char *text, size_t len)
{
	struct list_ctx *l = ctx;
	char canon[160];

	(void)text;
	(void)len;
	if (kind != AB_LINE_RULE)
		return 0;
	ab_rule_format(rule, canon, sizeof(canon));
	printf("  %-44s %s line %u\n", canon, l->source, lineno);
	return 0;
}

static void list_rule_file(int subfd, const char *dir, const char *name)
{
	char source[2 * NAME_MAX + 2];
	struct list_ctx l = { source };
	struct stat st;
	int fd;

	snprintf(source, sizeof(source), "%s/%s", dir, name);
	fd = openat(subfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			printf("  (%s cannot be read: %s)\n", source, strerror(errno));
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || *ab_unsafe_reason(&st) != '\0')
		printf("  (%s is not trusted and grants nothing: "
		       "see authbind --check-config)\n", source);
	else if (ab_rule_file_scan(fd, print_rule, &l) < 0)
		printf("  (%s cannot be read: %s)\n", source, strerror(errno));
	close(fd);
}

/* byport and byaddr: every entry whose execute bit the user has. */
static void list_exec_dir(int dirfd, const char *dir, const struct ab_caller *c)
{
	struct dirent **names;
	int n, i, subfd;

	subfd = openat(dirfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (subfd < 0)
		return;
	n = scandirat(subfd, ".", &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		struct stat st;

		if (name[0] != '.' && fstatat(subfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode)) {
			const char *bare = name[0] == '!' ? name + 1 : name;
			const char *colon = strchr(bare, ':');
			char rule[AB_SOURCE_MAX + NAME_MAX];

			if (strcmp(dir, "byport") == 0)
				snprintf(rule, sizeof(rule), "*,%s", bare);
			else if (colon != NULL && strchr(bare, ',') == NULL)
				snprintf(rule, sizeof(rule), "%.*s,%s", (int)(colon - bare), bare,
					 colon + 1);
			else
				snprintf(rule, sizeof(rule), "%s", bare);
			printf("  %-44s %s/%s%s\n", rule, dir, name,
			       ab_mode_allows_exec(&st, c) ? "" : "  (denies: not executable)");
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	close(subfd);
}

int ab_cmd_list(const char *user)
{
	static struct ab_identity id; /* groups: too large for the stack */
	struct ab_decision d;
	struct dirent **names;
	char who[96], uidname[16];
	int dirfd, subfd, n, i;

	if (ab_identity_get(&id, user) != 0)
		return 2;
	dirfd = ab_policy_open(AB_POLICY_DIR, &d);
	if (dirfd < 0) {
		fprintf(stderr, "authbind: %s %s\n", d.source, d.reason);
		return 2;
	}
	describe_user(&id, who, sizeof(who));
	printf("%s may bind, by the rules in %s:\n", who, AB_POLICY_DIR);
	list_exec_dir(dirfd, "byport", &id.caller);
	list_exec_dir(dirfd, "byaddr", &id.caller);
	subfd = openat(dirfd, "byuid", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (subfd >= 0) {
		snprintf(uidname, sizeof(uidname), "%u", (unsigned)id.caller.uid);
		list_rule_file(subfd, "byuid", uidname);
		snprintf(uidname, sizeof(uidname), "!%u", (unsigned)id.caller.uid);
		list_rule_file(subfd, "byuid", uidname);
		if (id.name[0] != '\0')
			list_rule_file(subfd, "byuid", id.name);
		close(subfd);
	}
	subfd = openat(dirfd, "bygid", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (subfd >= 0) {
		n = scandirat(subfd, ".", &names, NULL, alphasort);
		for (i = 0; i < n; i++) {
			const char *name = names[i]->d_name;
			unsigned long v;
			gid_t gid;
			int known = name[0] != '.' &&
				    (ab_number_parse(name, strlen(name), (gid_t)-2, &v) == 0
					     ? (gid = (gid_t)v, 1)
					     : ab_name_valid(name) && ab_group_id_of(name, &gid) == 0);

			if (known && ab_caller_in_group(&id.caller, gid))
				list_rule_file(subfd, "bygid", name);
			free(names[i]);
		}
		if (n >= 0)
			free(names);
		close(subfd);
	}
	close(dirfd);
	return 0;
}
