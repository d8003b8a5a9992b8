/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rule language: byuid/bygid lines, byport/byaddr file names, and the
 * permission and ownership rules for policy files.  No file is opened here.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "policy.h"

/* Parses text[0..len) as a decimal number in [min, max]: digits only, no
 * sign, no space, at most ten digits. */
static int parse_number(const char *text, size_t len, unsigned long min,
			unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned long digit;

		if (text[i] < '0' || text[i] > '9')
			return -1;
		digit = (unsigned long)(text[i] - '0');
		/* Refuse before v could pass max, so it can never wrap, even
		 * where unsigned long is 32 bits ("4294967376" is not port 80). */
		if (v > (max - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	if (v < min)
		return -1;
	*out = v;
	return 0;
}

static int parse_port(const char *text, size_t len, uint16_t *port)
{
	unsigned long v;

	if (parse_number(text, len, 1, 65535, &v) != 0)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* "PORT" or "PORT-PORT". */
static int parse_port_range(struct ab_rule *r, const char *text, size_t len)
{
	const char *dash = memchr(text, '-', len);

	if (dash == NULL) {
		if (parse_port(text, len, &r->port_lo) != 0)
			return -1;
		r->port_hi = r->port_lo;
		return 0;
	}
	if (parse_port(text, (size_t)(dash - text), &r->port_lo) != 0 ||
	    parse_port(dash + 1, len - (size_t)(dash - text) - 1, &r->port_hi) != 0)
		return -1;
	return r->port_lo <= r->port_hi ? 0 : -1;
}

/* "ADDR", "ADDR/LEN" or "ADDRMIN-ADDRMAX" into the rule's address range. */
static int parse_addr_range(struct ab_rule *r, const char *text, size_t len)
{
	const char *dash = memchr(text, '-', len);
	const char *slash = memchr(text, '/', len);

	if (dash != NULL) {
		if (slash != NULL ||
		    ab_addr_parse(&r->lo, text, (size_t)(dash - text)) != 0 ||
		    ab_addr_parse(&r->hi, dash + 1, len - (size_t)(dash - text) - 1) != 0 ||
		    r->lo.family != r->hi.family)
			return -1;
		return ab_addr_compare(&r->lo, &r->hi) <= 0 ? 0 : -1;
	}
	if (slash == NULL) {
		if (ab_addr_parse(&r->lo, text, len) != 0)
			return -1;
		r->hi = r->lo;
		return 0;
	} else {
		unsigned long prefix;
		size_t size, i;

		if (ab_addr_parse(&r->lo, text, (size_t)(slash - text)) != 0)
			return -1;
		size = ab_addr_size(r->lo.family);
		if (parse_number(slash + 1, len - (size_t)(slash - text) - 1, 0,
				 size * 8, &prefix) != 0 ||
		    !ab_addr_host_bits_clear(&r->lo, (unsigned)prefix))
			return -1;
		r->hi = r->lo;
		for (i = 0; i < size; i++) {
			unsigned bit = (unsigned)i * 8;

			if (bit >= prefix)
				r->hi.bytes[i] = 0xff;
			else if (bit + 8 > prefix)
				r->hi.bytes[i] |= (uint8_t)(0xff >> (prefix - bit));
		}
		return 0;
	}
}

/* The old IPv4-only form "A.B.C.D[/LEN]:MIN,MAX", one space allowed after
 * the colon.  Recognised when what comes before the first colon can only
 * be an IPv4 address (digits, dots and a slash). */
static int is_old_form(const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	const char *p;

	if (colon == NULL || colon == line)
		return 0;
	for (p = line; p < colon; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == '/'))
			return 0;
	return memchr(line, '.', (size_t)(colon - line)) != NULL;
}

static int parse_old_form(struct ab_rule *r, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	const char *ports = colon + 1;
	const char *end = line + len;
	const char *comma;

	if (parse_addr_range(r, line, (size_t)(colon - line)) != 0 ||
	    r->lo.family != AF_INET)
		return -1;
	if (ports < end && *ports == ' ')
		ports++;
	comma = memchr(ports, ',', (size_t)(end - ports));
	if (comma == NULL ||
	    parse_port(ports, (size_t)(comma - ports), &r->port_lo) != 0 ||
	    parse_port(comma + 1, (size_t)(end - comma - 1), &r->port_hi) != 0)
		return -1;
	return r->port_lo <= r->port_hi ? 0 : -1;
}

/* A range inside ::ffff:0.0.0.0/96 is an IPv4 range, as binds to such
 * addresses are judged as IPv4.  (A range that only starts or ends there
 * stays IPv6: it holds addresses that are not IPv4.) */
static void unmap_range(struct ab_rule *r)
{
	struct ab_addr lo = r->lo, hi = r->hi;

	ab_addr_unmap(&lo);
	ab_addr_unmap(&hi);
	if (lo.family == AF_INET && hi.family == AF_INET) {
		r->lo = lo;
		r->hi = hi;
	}
}

/* The optional protocol qualifier in front of a rule: "tcp " or "udp ". */
static size_t parse_protocol(struct ab_rule *r, const char *line, size_t len)
{
	if (len > 4 && memcmp(line, "tcp ", 4) == 0) {
		r->proto = IPPROTO_TCP;
		return 4;
	}
	if (len > 4 && memcmp(line, "udp ", 4) == 0) {
		r->proto = IPPROTO_UDP;
		return 4;
	}
	return 0;
}

static enum ab_line_kind parse_rule(struct ab_rule *r, const char *line, size_t len)
{
	const char *comma = NULL;
	size_t i;

	if (is_old_form(line, len))
		return parse_old_form(r, line, len) == 0 ? AB_LINE_RULE
							  : AB_LINE_MALFORMED;
	for (i = len; i > 0; i--) {
		if (line[i - 1] == ',') {
			comma = line + i - 1;
			break;
		}
	}
	if (comma == NULL)
		return AB_LINE_MALFORMED;
	if (comma - line == 1 && line[0] == '*') {
		r->lo.family = r->hi.family = AF_UNSPEC;
	} else if (parse_addr_range(r, line, (size_t)(comma - line)) != 0) {
		return AB_LINE_MALFORMED;
	} else {
		unmap_range(r);
	}
	if (parse_port_range(r, comma + 1, len - (size_t)(comma - line) - 1) != 0)
		return AB_LINE_MALFORMED;
	return AB_LINE_RULE;
}

enum ab_line_kind ab_rule_parse(struct ab_rule *r, const char *line, size_t len)
{
	size_t i, skip;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len || line[i] == '#')
		return AB_LINE_BLANK;
	if (len > AB_LINE_MAX || memchr(line, '\0', len) != NULL)
		return AB_LINE_MALFORMED;
	skip = parse_protocol(r, line, len);
	if (parse_rule(r, line + skip, len - skip) != AB_LINE_RULE) {
		memset(r, 0, sizeof(*r));
		return AB_LINE_MALFORMED;
	}
	return AB_LINE_RULE;
}

int ab_rule_matches(const struct ab_rule *r, const struct ab_addr *a,
		    uint16_t port, int proto)
{
	if ((r->proto != 0 && r->proto != proto) ||
	    port < r->port_lo || port > r->port_hi)
		return 0;
	if (r->lo.family == AF_UNSPEC)
		return 1;
	return a->family == r->lo.family &&
	       ab_addr_compare(&r->lo, a) <= 0 && ab_addr_compare(a, &r->hi) <= 0;
}

/* The length of the prefix that makes lo..hi one CIDR block, or -1. */
static int block_prefix(const struct ab_addr *lo, const struct ab_addr *hi)
{
	size_t size = ab_addr_size(lo->family);
	unsigned bits = (unsigned)size * 8, prefix;

	for (prefix = 0; prefix <= bits; prefix++) {
		size_t i;
		int ok = 1;

		for (i = 0; i < size && ok; i++) {
			unsigned bit = (unsigned)i * 8;
			uint8_t host = bit >= prefix ? 0xff :
				       bit + 8 > prefix ? (uint8_t)(0xff >> (prefix - bit)) : 0;

			ok = (lo->bytes[i] & host) == 0 && (hi->bytes[i] & host) == host &&
			     (lo->bytes[i] & ~host & 0xff) == (hi->bytes[i] & ~host & 0xff);
		}
		if (ok)
			return (int)prefix;
	}
	return -1;
}

void ab_range_format(const struct ab_addr *lo, const struct ab_addr *hi, char *out,
		     size_t size)
{
	char a[AB_ADDR_TEXT_MAX], b[AB_ADDR_TEXT_MAX];
	int prefix = block_prefix(lo, hi);

	ab_addr_format(lo, a);
	if (ab_addr_compare(lo, hi) == 0) {
		snprintf(out, size, "%s", a);
	} else if (prefix >= 0) {
		snprintf(out, size, "%s/%d", a, prefix);
	} else {
		ab_addr_format(hi, b);
		snprintf(out, size, "%s-%s", a, b);
	}
}

int ab_rule_format(const struct ab_rule *r, char *out, size_t size)
{
	char range[2 * AB_ADDR_TEXT_MAX + 2], ports[16];
	const char *proto = r->proto == IPPROTO_TCP ? "tcp " :
			    r->proto == IPPROTO_UDP ? "udp " : "";

	if (r->port_lo == r->port_hi)
		snprintf(ports, sizeof(ports), "%u", (unsigned)r->port_lo);
	else
		snprintf(ports, sizeof(ports), "%u-%u", (unsigned)r->port_lo,
			 (unsigned)r->port_hi);
	if (r->lo.family == AF_UNSPEC)
		return snprintf(out, size, "%s*,%s", proto, ports);
	ab_range_format(&r->lo, &r->hi, range, sizeof(range));
	return snprintf(out, size, "%s%s,%s", proto, range, ports);
}

void ab_rule_suggest(const struct ab_target *t, int dual, char *out, size_t size)
{
	char host[AB_ADDR_TEXT_MAX];
	struct ab_addr bare = t->addr;

	bare.scope_id = 0; /* rule lines name no scope */
	ab_addr_format(&bare, host);
	snprintf(out, size, "%s %s,%u", ab_proto_name(t->proto), dual ? "*" : host,
		 (unsigned)t->port);
}

int ab_number_parse(const char *text, size_t len, unsigned long max,
		    unsigned long *out)
{
	return parse_number(text, len, 0, max, out);
}

int ab_name_valid(const char *name)
{
	size_t i, len = strlen(name);
	int digits_only = 1;

	if (len == 0 || len > 32 || name[0] == '-' || name[0] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (c >= '0' && c <= '9')
			continue;
		digits_only = 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '_' || c == '-' || c == '.' || (c == '$' && i == len - 1)))
			return 0;
	}
	return !digits_only;
}

/* A line the reader holds (the first AB_LINE_MAX + 1 bytes of it when it
 * is longer): a comment stays a comment however long, anything else that
 * long is malformed. */
static enum ab_line_kind classify(struct ab_rule *r, const char *line, size_t used,
				  int overlong)
{
	size_t i;

	if (!overlong && used <= AB_LINE_MAX)
		return ab_rule_parse(r, line, used);
	for (i = 0; i < used && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	return i < used && line[i] == '#' ? AB_LINE_BLANK : AB_LINE_MALFORMED;
}

/*
 * Reads the file in blocks and hands out whole lines.  A line longer than
 * AB_LINE_MAX is reported once, with its start only: malformed, or blank
 * when it is a comment.
 */
int ab_rule_file_scan(int fd, ab_line_fn fn, void *ctx)
{
	char block[4096];
	char line[AB_LINE_MAX + 1];
	size_t used = 0, total = 0;
	unsigned lineno = 1;
	int overlong = 0, ret;
	ssize_t n;
	struct ab_rule rule;

	for (;;) {
		size_t i;

		n = read(fd, block, sizeof(block));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > AB_RULE_FILE_MAX)
			return fn(ctx, lineno, AB_LINE_MALFORMED, NULL,
				  "(file too large)", 16);
		for (i = 0; i < (size_t)n; i++) {
			enum ab_line_kind kind;

			if (block[i] != '\n') {
				if (used < sizeof(line))
					line[used++] = block[i];
				else
					overlong = 1;
				continue;
			}
			kind = classify(&rule, line, used, overlong);
			ret = fn(ctx, lineno, kind,
				 kind == AB_LINE_RULE ? &rule : NULL, line, used);
			if (ret != 0)
				return ret;
			used = 0;
			overlong = 0;
			lineno++;
		}
	}
	if (used > 0 || overlong) {
		enum ab_line_kind kind = classify(&rule, line, used, overlong);

		return fn(ctx, lineno, kind, kind == AB_LINE_RULE ? &rule : NULL,
			  line, used);
	}
	return 0;
}

