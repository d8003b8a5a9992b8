/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for policy/rules.c and policy/lookup.c: byuid line parsing and matching, the
 * mode and ownership rules, the rule file reader, and whole decisions on
 * policy trees built in a temporary directory.
 *
 * Run as root (as `make check` does), every case runs.  Run as another
 * user, the cases that need root-owned files are skipped with a note on
 * stderr, since only root can give files away.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addr.h"
#include "agree.h"
#include "policy.h"
#include "tree.h"

/* The temporary directory all files of this run go under. */
static char base_dir[] = "/tmp/check_policy.XXXXXX";

/*
 * Turns "1.2.3.4", "::1" or "fe80::1%3" into a sockaddr and judges it as
 * the helper does, through ab_addr_from_sockaddr (so ::ffff:a.b.c.d is
 * judged as IPv4).
 */
static void addr_of(const char *text, struct ab_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 16];
	const char *pct = strchr(text, '%');
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	ck_assert_msg(strlen(text) < sizeof(buf), "address too long: %s", text);
	strcpy(buf, text);
	if (pct != NULL)
		buf[pct - text] = '\0';
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, buf, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		ck_assert_int_eq(ab_addr_from_sockaddr(a, (struct sockaddr *)&sin,
						       sizeof(sin)), 0);
		return;
	}
	ck_assert_msg(inet_pton(AF_INET6, buf, &sin6.sin6_addr) == 1,
		      "test bug: bad address %s", text);
	sin6.sin6_family = AF_INET6;
	if (pct != NULL)
		sin6.sin6_scope_id = (uint32_t)strtoul(pct + 1, NULL, 10);
	ck_assert_int_eq(ab_addr_from_sockaddr(a, (struct sockaddr *)&sin6,
					       sizeof(sin6)), 0);
}

/* Asserts that a holds exactly the address text, parsed by inet_pton. */
static void assert_addr(const struct ab_addr *a, const char *text,
			const char *what, const char *line)
{
	uint8_t bytes[16];
	int family = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;

	ck_assert_msg(inet_pton(family, text, bytes) == 1, "test bug: %s", text);
	ck_assert_msg(a->family == family, "%s of \"%s\": family %d, want %d",
		      what, line, a->family, family);
	ck_assert_msg(memcmp(a->bytes, bytes, ab_addr_size(family)) == 0,
		      "%s of \"%s\" is not %s", what, line, text);
	ck_assert_msg(a->scope_id == 0, "%s of \"%s\" has a scope id", what, line);
}

/* ---- ab_rule_parse and ab_rule_matches ---- */

struct probe {
	const char *addr;
	uint16_t port;
	int match;
};

#define MAX_PROBES 9

struct rule_case {
	const char *line;
	size_t len;
	enum ab_line_kind kind;
	const char *lo, *hi;
	uint16_t port_lo, port_hi;
	struct probe probes[MAX_PROBES];
};

/* sizeof keeps embedded NUL bytes in the line. */
#define RULE(s, lo, hi, plo, phi, ...) \
	{ s, sizeof(s) - 1, AB_LINE_RULE, lo, hi, plo, phi, { __VA_ARGS__ } }
#define BAD(s) { s, sizeof(s) - 1, AB_LINE_MALFORMED, NULL, NULL, 0, 0, { { NULL, 0, 0 } } }
#define BLANK(s) { s, sizeof(s) - 1, AB_LINE_BLANK, NULL, NULL, 0, 0, { { NULL, 0, 0 } } }

#define X10 "xxxxxxxxxx"
#define X100 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10
#define Z10 "0000000000"
#define Z100 Z10 Z10 Z10 Z10 Z10 Z10 Z10 Z10 Z10 Z10
#define ALL6 "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"

static const struct rule_case rule_cases[] = {
	/* The old IPv4 form, A.B.C.D[/LEN]:MIN,MAX. */
	RULE("1.2.3.4:80,80", "1.2.3.4", "1.2.3.4", 80, 80,
	     { "1.2.3.4", 80, 1 }, { "1.2.3.4", 79, 0 }, { "1.2.3.4", 81, 0 },
	     { "1.2.3.3", 80, 0 }, { "1.2.3.5", 80, 0 }, { "::ffff:1.2.3.4", 80, 1 },
	     { "::1.2.3.4", 80, 0 }, { "::ffff:1.2.3.5", 80, 0 }),
	RULE("1.2.3.4: 80,81", "1.2.3.4", "1.2.3.4", 80, 81,
	     { "1.2.3.4", 80, 1 }, { "1.2.3.4", 81, 1 }, { "1.2.3.4", 82, 0 }),
	RULE("10.0.0.0/8:1000,2000", "10.0.0.0", "10.255.255.255", 1000, 2000,
	     { "10.0.0.0", 1000, 1 }, { "10.255.255.255", 2000, 1 },
	     { "9.255.255.255", 1000, 0 }, { "11.0.0.0", 1000, 0 },
	     { "10.1.2.3", 999, 0 }, { "10.1.2.3", 2001, 0 },
	     { "::ffff:10.9.9.9", 1500, 1 }, { "::a00:1", 1500, 0 }),
	RULE("10.0.0.0/8: 1000,2000", "10.0.0.0", "10.255.255.255", 1000, 2000,
	     { "10.20.30.40", 1234, 1 }, { "10.20.30.40", 2345, 0 }),
	RULE("0.0.0.0/0:1,65535", "0.0.0.0", "255.255.255.255", 1, 65535,
	     { "0.0.0.0", 1, 1 }, { "255.255.255.255", 65535, 1 },
	     { "::ffff:0.0.0.0", 80, 1 }, { "::", 80, 0 }, { "::1", 80, 0 }),
	RULE("192.168.1.128/25:443,443", "192.168.1.128", "192.168.1.255", 443, 443,
	     { "192.168.1.127", 443, 0 }, { "192.168.1.128", 443, 1 },
	     { "192.168.1.255", 443, 1 }, { "192.168.2.0", 443, 0 },
	     { "192.168.1.200", 444, 0 }),
	RULE("172.16.0.0/12:80,80", "172.16.0.0", "172.31.255.255", 80, 80,
	     { "172.31.255.255", 80, 1 }, { "172.32.0.0", 80, 0 },
	     { "172.15.255.255", 80, 0 }, { "172.16.0.0", 80, 1 }),
	RULE("192.168.1.1/32:80,81", "192.168.1.1", "192.168.1.1", 80, 81,
	     { "192.168.1.1", 81, 1 }, { "192.168.1.0", 80, 0 }, { "192.168.1.2", 80, 0 }),
	RULE("127.0.0.1:1,65535", "127.0.0.1", "127.0.0.1", 1, 65535,
	     { "127.0.0.1", 1, 1 }, { "127.0.0.1", 65535, 1 }, { "127.0.0.2", 1, 0 }),
	RULE("10.0.0.0/08:80,80", "10.0.0.0", "10.255.255.255", 80, 80,
	     { "10.1.1.1", 80, 1 }),

	/* ADDR[/LEN],PORT[-PORT] */
	RULE("1.2.3.4,80", "1.2.3.4", "1.2.3.4", 80, 80,
	     { "1.2.3.4", 80, 1 }, { "1.2.3.4", 81, 0 }, { "1.2.3.5", 80, 0 },
	     { "::ffff:1.2.3.4", 80, 1 }, { "::1.2.3.4", 80, 0 }),
	RULE("1.2.3.4,80-90", "1.2.3.4", "1.2.3.4", 80, 90,
	     { "1.2.3.4", 79, 0 }, { "1.2.3.4", 80, 1 }, { "1.2.3.4", 90, 1 },
	     { "1.2.3.4", 91, 0 }),
	RULE("10.0.0.0/8,80", "10.0.0.0", "10.255.255.255", 80, 80,
	     { "10.255.0.1", 80, 1 }, { "11.0.0.0", 80, 0 }),
	RULE("10.1.0.0/16,22-25", "10.1.0.0", "10.1.255.255", 22, 25,
	     { "10.1.255.255", 25, 1 }, { "10.2.0.0", 22, 0 }, { "10.0.255.255", 22, 0 },
	     { "10.1.0.0", 21, 0 }, { "10.1.0.0", 26, 0 }),
	RULE("1.2.3.4,1", "1.2.3.4", "1.2.3.4", 1, 1, { "1.2.3.4", 1, 1 }, { "1.2.3.4", 2, 0 }),
	RULE("1.2.3.4,65535", "1.2.3.4", "1.2.3.4", 65535, 65535,
	     { "1.2.3.4", 65535, 1 }, { "1.2.3.4", 65534, 0 }),
	RULE("1.2.3.4,1-65535", "1.2.3.4", "1.2.3.4", 1, 65535,
	     { "1.2.3.4", 1, 1 }, { "1.2.3.4", 65535, 1 }),
	/* Leading zeros in ports are decimal, as authbind's scanf read them. */
	RULE("1.2.3.4,080", "1.2.3.4", "1.2.3.4", 80, 80, { "1.2.3.4", 80, 1 }),
	/* ... up to ten digits in all. */
	RULE("1.2.3.4,0000000080", "1.2.3.4", "1.2.3.4", 80, 80, { "1.2.3.4", 80, 1 }),
	RULE("10.0.0.0/0000000008,80", "10.0.0.0", "10.255.255.255", 80, 80,
	     { "10.0.0.1", 80, 1 }),
	RULE("0.0.0.0,80", "0.0.0.0", "0.0.0.0", 80, 80,
	     { "0.0.0.0", 80, 1 }, { "0.0.0.1", 80, 0 }, { "::", 80, 0 }),

	/* ADDRMIN-ADDRMAX,PORT[-PORT] */
	RULE("1.2.3.4-1.2.3.10,80", "1.2.3.4", "1.2.3.10", 80, 80,
	     { "1.2.3.3", 80, 0 }, { "1.2.3.4", 80, 1 }, { "1.2.3.10", 80, 1 },
	     { "1.2.3.11", 80, 0 }, { "1.2.3.7", 81, 0 }, { "::ffff:1.2.3.7", 80, 1 }),
	RULE("1.2.3.250-1.2.4.5,80-81", "1.2.3.250", "1.2.4.5", 80, 81,
	     { "1.2.3.255", 81, 1 }, { "1.2.4.0", 80, 1 }, { "1.2.4.6", 80, 0 },
	     { "1.2.3.249", 80, 0 }, { "1.2.4.0", 82, 0 }),
	RULE("1.2.3.4-1.2.3.4,80", "1.2.3.4", "1.2.3.4", 80, 80,
	     { "1.2.3.4", 80, 1 }, { "1.2.3.5", 80, 0 }),
	RULE("::1-::5,8000-8080", "::1", "::5", 8000, 8080,
	     { "::", 8000, 0 }, { "::1", 8000, 1 }, { "::5", 8080, 1 }, { "::6", 8000, 0 },
	     { "::3", 7999, 0 }, { "0.0.0.3", 8000, 0 }),

	/* IPv6 */
	RULE("::1,80", "::1", "::1", 80, 80,
	     { "::1", 80, 1 }, { "::1%1", 80, 1 }, { "::2", 80, 0 }, { "::1", 81, 0 },
	     { "127.0.0.1", 80, 0 }, { "0.0.0.1", 80, 0 }, { "::ffff:0.0.0.1", 80, 0 }),
	RULE("::,80", "::", "::", 80, 80,
	     { "::", 80, 1 }, { "0.0.0.0", 80, 0 }, { "::1", 80, 0 }),
	RULE("2001:db8::/32,443", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 443, 443,
	     { "2001:db8::", 443, 1 }, { "2001:db8::1", 443, 1 },
	     { "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 443, 1 },
	     { "2001:db9::", 443, 0 }, { "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", 443, 0 },
	     { "2001:db8::1", 444, 0 }),
	RULE("2001:db8::/32,1-1023", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 1, 1023,
	     { "2001:db8:1::1", 1023, 1 }, { "2001:db8:1::1", 1024, 0 }),
	RULE("::/0,80", "::", ALL6, 80, 80,
	     { "::", 80, 1 }, { ALL6, 80, 1 }, { "2001:db8::1", 80, 1 },
	     { "::ffff:1.2.3.4", 80, 0 }, { "1.2.3.4", 80, 0 }, { "::1", 81, 0 }),
	RULE("fe80::/10,80", "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 80, 80,
	     { "fe80::1", 80, 1 }, { "fe80::1%2", 80, 1 }, { "febf::1", 80, 1 },
	     { "fec0::", 80, 0 }, { "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 80, 0 }),
	RULE("2001:db8::1/128,80", "2001:db8::1", "2001:db8::1", 80, 80,
	     { "2001:db8::1", 80, 1 }, { "2001:db8::2", 80, 0 }, { "2001:db8::", 80, 0 }),
	RULE("2001:db8::/127,80", "2001:db8::", "2001:db8::1", 80, 80,
	     { "2001:db8::1", 80, 1 }, { "2001:db8::2", 80, 0 }),
	RULE("2001:db8::1-2001:db8::ff,8080-8090", "2001:db8::1", "2001:db8::ff", 8080, 8090,
	     { "2001:db8::", 8080, 0 }, { "2001:db8::1", 8080, 1 },
	     { "2001:db8::ff", 8090, 1 }, { "2001:db8::100", 8080, 0 },
	     { "2001:db8::80", 8091, 0 }),
	RULE("2001:db8::ff00-2001:db8::1:0,80", "2001:db8::ff00", "2001:db8::1:0", 80, 80,
	     { "2001:db8::ffff", 80, 1 }, { "2001:db8::1:0", 80, 1 },
	     { "2001:db8::1:1", 80, 0 }, { "2001:db8::feff", 80, 0 }),
	RULE("1:2:3:4:5:6:7:8,65535", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", 65535, 65535,
	     { "1:2:3:4:5:6:7:8", 65535, 1 }, { "1:2:3:4:5:6:7:9", 65535, 0 }),
	/* inet_pton takes leading zeros inside IPv6 groups. */
	RULE("2001:0db8:0000::0001,80", "2001:db8::1", "2001:db8::1", 80, 80,
	     { "2001:db8::1", 80, 1 }),
	/* A mapped address in a rule is the IPv4 address it names, as a bind
	 * to it is judged: the line covers 1.2.3.4 (and the bind to
	 * ::ffff:1.2.3.4, which the probe judges as IPv4 too). */
	RULE("::ffff:1.2.3.4,80", "1.2.3.4", "1.2.3.4", 80, 80,
	     { "::ffff:1.2.3.4", 80, 1 }, { "1.2.3.4", 80, 1 }, { "1.2.3.5", 80, 0 }),
	RULE("::ffff:10.0.0.0/120,80", "10.0.0.0", "10.0.0.255", 80, 80,
	     { "10.0.0.9", 80, 1 }, { "10.0.1.0", 80, 0 }),

	/* Blank lines and comments */
	BLANK(""),
	BLANK("   "),
	BLANK("\t"),
	BLANK(" \t "),
	BLANK("#"),
	BLANK("# a comment"),
	BLANK("   # an indented comment"),
	BLANK("#1.2.3.4,80"),
	BLANK("#\0after a NUL in a comment"),
	BLANK("#" X100 X100 X100),

	/* Numbers: digits only, ports 1-65535 */
	BAD("1.2.3.4,+80"),
	BAD("1.2.3.4,0x50"),
	BAD("1.2.3.4,-1"),
	BAD("1.2.3.4,65536"),
	BAD("1.2.3.4,0"),
	BAD("1.2.3.4,00"),
	BAD("1.2.3.4,0-80"),
	BAD("1.2.3.4,80-65536"),
	BAD("1.2.3.4:0,80"),
	BAD("1.2.3.4:80,65536"),
	BAD("1.2.3.4:+80,81"),
	BAD("1.2.3.4,99999999999"),
	BAD("1.2.3.4,4294967376"),       /* 2^32 + 80 */
	BAD("1.2.3.4,18446744073709551696"), /* 2^64 + 80 */
	BAD("1.2.3.4,80e0"),
	BAD("1.2.3.4,\xd9\xa8\xd9\xa0"),  /* Arabic-Indic "80" */
	BAD("1.2.3.4,8" Z100 "0"),
	BAD("1.2.3.4,00000000080"),
	BAD("10.0.0.0/00000000008,80"),

	/* Spaces, CR, NUL, BOM */
	BAD(" 1.2.3.4,80"),
	BAD("\t1.2.3.4,80"),
	BAD("1.2.3.4,80 "),
	BAD("1.2.3.4,80\t"),
	BAD("1.2.3.4,80\r"),
	BAD("1.2.3.4:80,81\r"),
	BAD("::1,80 "),
	BAD("1.2.3.4,80\0"),
	BAD("1.2.3.4\0,80"),
	BAD("\0" "1.2.3.4,80"),
	BAD("\xef\xbb\xbf" "1.2.3.4,80"),
	BAD("1.2.3.4, 80"),
	BAD("1.2.3.4 ,80"),
	BAD("1.2.3.4,80 -90"),
	BAD("1.2.3.4/ 8,80"),
	BAD("1.2.3.4:  80,81"),
	BAD("1.2.3.4 :80,81"),
	BAD("1.2.3.4:80, 81"),
	BAD("1.2.3.4:\t80,81"),

	/* Prefixes */
	BAD("1.2.3.4/8,80"),
	BAD("10.0.0.1/8:80,80"),
	BAD("10.128.0.0/8,80"),
	BAD("2001:db8::1/64,80"),
	BAD("::1/127,80"),
	BAD("10.0.0.0/33,80"),
	BAD("10.0.0.0/33:80,80"),
	BAD("::/129,80"),
	BAD("1.2.3.4/,80"),
	BAD("10.0.0.0/-1,80"),
	BAD("10.0.0.0/+8,80"),
	BAD("10.0.0.0/0x8,80"),
	BAD("10.0.0.0/8/8,80"),
	BAD("10.0.0.0/4294967304,80"),  /* 2^32 + 8 */
	BAD("1.2.3.0/24-1.2.3.255,80"),

	/* Ranges */
	BAD("1.2.3.5-1.2.3.4,80"),
	BAD("::2-::1,80"),
	BAD("1.2.3.4,90-80"),
	BAD("1.2.3.4:90,80"),
	BAD("1.2.3.4-::1,80"),
	BAD("::1-1.2.3.4,80"),
	BAD("0.0.0.0-::ffff:255.255.255.255,80"),
	BAD("1.2.3.4-,80"),
	BAD("-1.2.3.4,80"),
	BAD("1.2.3.4-1.2.3.8:80,81"),
	BAD("1.2.3.4,80-"),
	BAD("1.2.3.4,-80"),
	BAD("1.2.3.4,80--90"),
	BAD("1.2.3.4,80-90-100"),

	/* Shapes */
	BAD("1.2.3.4,80,81"),
	BAD("1.2.3.4,,80"),
	BAD("1.2.3.4:80,81,82"),
	BAD("1.2.3.4:80"),
	BAD("1.2.3.4: 80-81"),
	BAD("1.2.3.4"),
	BAD(",80"),
	BAD("1.2.3.4,"),
	BAD(","),
	BAD(":80,81"),
	BAD("1.2.3.4,80x"),
	BAD("1.2.3.4,80-90x"),
	BAD("1.2.3.4x,80"),
	BAD("1.2.3.4:80,81 # comment"),
	BAD("1.2.3.4,80#"),
	BAD("garbage"),

	/* Addresses */
	BAD("01.2.3.4,80"),
	BAD("1.2.3.04,80"),
	BAD("1.2.3,80"),
	BAD("1.2.3.4.5,80"),
	BAD("1.2.3.256,80"),
	BAD("0x01020304,80"),
	BAD("16909060,80"),
	BAD("fe80::1%eth0,80"),
	BAD("fe80::1%1,80"),
	BAD("[::1],80"),
	BAD("[::1]:80"),
	BAD(":::1,80"),
	BAD("1:2:3:4:5:6:7:8:9,80"),
	BAD("localhost,80"),
	BAD("*:80"),
	BAD("*/0,80"),
	BAD("*-*,80"),
	BAD("**,80"),
	BAD("tcp  *,80"),
	BAD("TCP *,80"),
	BAD("sctp *,80"),
	BAD("tcp"),
	BAD("udp ,53"),

	/* Overlong lines */
	BAD(X100 X100 X100),
	BAD("1.2.3.4,8" Z100 Z100 Z100 "0"),
};

#define N_RULE_CASES (int)(sizeof(rule_cases) / sizeof(rule_cases[0]))

static const char *kind_name(enum ab_line_kind k)
{
	switch (k) {
	case AB_LINE_RULE:
		return "rule";
	case AB_LINE_BLANK:
		return "blank";
	case AB_LINE_MALFORMED:
		return "malformed";
	}
	return "?";
}

START_TEST(test_rule_parse)
{
	const struct rule_case *t = &rule_cases[_i];
	struct ab_rule r;
	enum ab_line_kind kind;
	size_t i;

	kind = ab_rule_parse(&r, t->line, t->len);
	ck_assert_msg(kind == t->kind, "case %d \"%s\": %s, want %s", _i, t->line,
		      kind_name(kind), kind_name(t->kind));
	if (t->kind != AB_LINE_RULE)
		return;
	assert_addr(&r.lo, t->lo, "low address", t->line);
	assert_addr(&r.hi, t->hi, "high address", t->line);
	ck_assert_msg(r.port_lo == t->port_lo && r.port_hi == t->port_hi,
		      "case %d \"%s\": ports %u-%u, want %u-%u", _i, t->line,
		      r.port_lo, r.port_hi, t->port_lo, t->port_hi);
	ck_assert_msg(t->probes[0].addr != NULL, "case %d has no probe", _i);
	for (i = 0; i < MAX_PROBES && t->probes[i].addr != NULL; i++) {
		const struct probe *p = &t->probes[i];
		struct ab_addr a;
		int m;

		addr_of(p->addr, &a);
		m = ab_rule_matches(&r, &a, p->port, IPPROTO_TCP);
		ck_assert_msg(m == p->match, "case %d \"%s\": %s port %u %s",
			      _i, t->line, p->addr, p->port,
			      m ? "matches, should not" : "does not match, should");
	}
}
END_TEST

/* The length given is the line: what follows it is never looked at. */
START_TEST(test_rule_parse_len)
{
	struct ab_rule r;

	ck_assert_int_eq(ab_rule_parse(&r, "1.2.3.4,80 garbage", 10), AB_LINE_RULE);
	ck_assert_int_eq(r.port_lo, 80);
	ck_assert_int_eq(ab_rule_parse(&r, "1.2.3.4,8080", 10), AB_LINE_RULE);
	ck_assert_int_eq(r.port_hi, 80);
	ck_assert_int_eq(ab_rule_parse(&r, "1.2.3.4,80", 9), AB_LINE_RULE);
	ck_assert_int_eq(r.port_lo, 8);
	ck_assert_int_eq(ab_rule_parse(&r, "1.2.3.4,80", 8), AB_LINE_MALFORMED);
	ck_assert_int_eq(ab_rule_parse(&r, "1.2.3.4,80", 0), AB_LINE_BLANK);
}
END_TEST

/* ---- the forms beyond authbind's own: '*', 'tcp ', 'udp ' ---- */

struct proto_probe {
	const char *addr;
	uint16_t port;
	int proto;
	int match;
};

struct extension_case {
	const char *line;
	int proto;       /* the rule's: 0, IPPROTO_TCP or IPPROTO_UDP */
	int any;         /* '*': every address of both families */
	uint16_t port_lo, port_hi;
	const char *canonical; /* ab_rule_format's output */
	struct proto_probe probes[8];
};

#define T IPPROTO_TCP
#define U_ IPPROTO_UDP

static const struct extension_case extension_cases[] = {
	{ "*,80", 0, 1, 80, 80, "*,80", {
		{ "0.0.0.0", 80, T, 1 }, { "::", 80, U_, 1 }, { "192.0.2.7", 80, T, 1 },
		{ "fe80::1%1", 80, U_, 1 }, { "::ffff:10.0.0.1", 80, T, 1 },
		{ "0.0.0.0", 81, T, 0 }, { "::", 79, U_, 0 } } },
	{ "*,80-443", 0, 1, 80, 443, "*,80-443", {
		{ "::1", 443, T, 1 }, { "127.0.0.1", 80, U_, 1 }, { "::1", 444, T, 0 } } },
	{ "udp *,53", U_, 1, 53, 53, "udp *,53", {
		{ "0.0.0.0", 53, U_, 1 }, { "::", 53, U_, 1 }, { "0.0.0.0", 53, T, 0 },
		{ "::", 53, T, 0 } } },
	{ "tcp 127.0.0.1,25", T, 0, 25, 25, "tcp 127.0.0.1,25", {
		{ "127.0.0.1", 25, T, 1 }, { "127.0.0.1", 25, U_, 0 },
		{ "127.0.0.2", 25, T, 0 }, { "::ffff:127.0.0.1", 25, T, 1 } } },
	{ "tcp 10.0.0.0/8: 80,90", T, 0, 80, 90, "tcp 10.0.0.0/8,80-90", {
		{ "10.1.2.3", 85, T, 1 }, { "10.1.2.3", 85, U_, 0 }, { "11.0.0.0", 85, T, 0 } } },
	{ "udp 2001:db8::/32,500-599", U_, 0, 500, 599,
	  "udp 2001:db8::/32,500-599", {
		{ "2001:db8::53", 553, U_, 1 }, { "2001:db8::53", 553, T, 0 },
		{ "2001:db9::", 553, U_, 0 } } },
	{ "::ffff:192.0.2.0/120,80", 0, 0, 80, 80, "192.0.2.0/24,80", {
		{ "192.0.2.200", 80, T, 1 }, { "::ffff:192.0.2.1", 80, U_, 1 },
		{ "192.0.3.0", 80, T, 0 } } },
};

#undef T
#undef U_

START_TEST(test_rule_extensions)
{
	const struct extension_case *t = &extension_cases[_i];
	struct ab_rule r;
	char canon[160];
	size_t i;

	ck_assert_msg(ab_rule_parse(&r, t->line, strlen(t->line)) == AB_LINE_RULE,
		      "\"%s\" is not a rule", t->line);
	ck_assert_msg(r.proto == t->proto, "\"%s\": protocol %d, want %d", t->line,
		      r.proto, t->proto);
	ck_assert_msg((r.lo.family == AF_UNSPEC) == t->any, "\"%s\": any address %d, want %d",
		      t->line, r.lo.family == AF_UNSPEC, t->any);
	ck_assert_msg(r.port_lo == t->port_lo && r.port_hi == t->port_hi,
		      "\"%s\": ports %u-%u", t->line, r.port_lo, r.port_hi);
	ab_rule_format(&r, canon, sizeof(canon));
	ck_assert_str_eq(canon, t->canonical);
	for (i = 0; i < 8 && t->probes[i].addr != NULL; i++) {
		const struct proto_probe *p = &t->probes[i];
		struct ab_addr a;
		int m;

		addr_of(p->addr, &a);
		m = ab_rule_matches(&r, &a, p->port, p->proto);
		ck_assert_msg(m == p->match, "\"%s\": %s %s port %u %s", t->line,
			      p->proto == IPPROTO_TCP ? "tcp" : "udp", p->addr, p->port,
			      m ? "matches, should not" : "does not match, should");
	}
}
END_TEST

/* ---- names.c: /etc/passwd and /etc/group, read directly ---- */

START_TEST(test_names)
{
	const char *name = ab_user_name_of(0);
	uid_t uid = 1;
	gid_t gid = 1;

	ck_assert_msg(name != NULL && strcmp(name, "root") == 0, "uid 0 is %s",
		      name != NULL ? name : "(none)");
	ck_assert_int_eq(ab_user_id_of("root", &uid), 0);
	ck_assert_int_eq(uid, 0);
	ck_assert_int_eq(ab_group_id_of("root", &gid), 0);
	ck_assert_int_eq(gid, 0);
	ck_assert_int_eq(ab_user_id_of("no-such-user-authbind", &uid), -1);
	ck_assert_int_eq(ab_group_id_of("no-such-group-authbind", &gid), -1);
	ck_assert_ptr_null(ab_user_name_of((uid_t)4294967294U - 7));
	/* A prefix of a name is not the name. */
	ck_assert_int_eq(ab_user_id_of("roo", &uid), -1);
}
END_TEST

/* ---- ab_exec_allowed, mode bits ---- */

struct mode_case {
	uid_t file_uid;
	gid_t file_gid;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	gid_t groups[3];
	size_t ngroups;
	int allowed;
};

static const struct mode_case mode_cases[] = {
	/* The owner class: only the owner bits count. */
	{ 1000, 100, 0700, 1000, 100, { 0 }, 0, 1 },
	{ 1000, 100, 0100, 1000, 100, { 0 }, 0, 1 },
	{ 1000, 100, 0677, 1000, 100, { 0 }, 0, 0 },
	{ 1000, 100, 0611, 1000, 5, { 100 }, 1, 0 },
	/* The group class: primary or supplementary group. */
	{ 0, 100, 0010, 1000, 100, { 0 }, 0, 1 },
	{ 0, 100, 0010, 1000, 5, { 7, 100 }, 2, 1 },
	{ 0, 100, 0010, 1000, 5, { 7, 8 }, 2, 0 },
	{ 0, 100, 0701, 1000, 100, { 0 }, 0, 0 },
	{ 0, 100, 0701, 1000, 5, { 100 }, 1, 0 },
	{ 0, 100, 0750, 1000, 5, { 6, 7, 100 }, 3, 1 },
	{ 0, 100, 0760, 1000, 5, { 6, 7, 100 }, 3, 0 },
	/* The other class. */
	{ 0, 100, 0001, 1000, 5, { 7 }, 1, 1 },
	{ 0, 100, 0770, 1000, 5, { 7 }, 1, 0 },
	{ 0, 0, 0755, 41000, 41000, { 0 }, 0, 1 },
	{ 0, 0, 0754, 41000, 41000, { 0 }, 0, 0 },
	{ 0, 0, 0644, 41000, 41000, { 0 }, 0, 0 },
	{ 0, 0, 04644, 41000, 41000, { 0 }, 0, 0 },
	/* Root: any execute bit will do, as the kernel has it. */
	{ 1000, 100, 0100, 0, 0, { 0 }, 0, 1 },
	{ 1000, 100, 0010, 0, 0, { 0 }, 0, 1 },
	{ 1000, 100, 0001, 0, 0, { 0 }, 0, 1 },
	{ 0, 0, 0644, 0, 0, { 0 }, 0, 0 },
	{ 0, 0, 06666, 0, 0, { 0 }, 0, 0 },
};

START_TEST(test_mode_allows_exec)
{
	const struct mode_case *t = &mode_cases[_i];
	struct ab_caller c = { t->uid, t->gid, t->groups, t->ngroups, NULL, NULL, NULL };
	struct ab_exec_file f;
	int got;

	memset(&f, 0, sizeof(f));
	f.uid = t->file_uid;
	f.gid = t->file_gid;
	f.mode = S_IFREG | t->mode;
	got = ab_exec_allowed(&f, &c);
	ck_assert_msg(got == t->allowed,
		      "case %d: file %u:%u %04o, caller %u/%u: got %d, want %d", _i,
		      (unsigned)t->file_uid, (unsigned)t->file_gid, (unsigned)t->mode,
		      (unsigned)t->uid, (unsigned)t->gid, got, t->allowed);
}
END_TEST

/* ---- ab_unsafe_reason ---- */

struct unsafe_case {
	uid_t uid;
	mode_t mode;
	const char *reason;
};

static const struct unsafe_case unsafe_cases[] = {
	{ 0, S_IFDIR | 0755, "" },
	{ 0, S_IFREG | 0644, "" },
	{ 0, S_IFREG | 0600, "" },
	{ 0, S_IFREG | 04755, "" },
	{ 0, S_IFDIR | 0555, "" },
	{ 1, S_IFREG | 0644, "not owned by root" },
	{ 41000, S_IFDIR | 0755, "not owned by root" },
	{ 41000, S_IFREG | 0777, "not owned by root" },
	{ 0, S_IFDIR | 0775, "writable by group or other" },
	{ 0, S_IFREG | 0664, "writable by group or other" },
	{ 0, S_IFREG | 0646, "writable by group or other" },
	{ 0, S_IFREG | 0620, "writable by group or other" },
	{ 0, S_IFDIR | 0702, "writable by group or other" },
	{ 0, S_IFDIR | 01777, "writable by group or other" },
};

START_TEST(test_unsafe_reason)
{
	const struct unsafe_case *t = &unsafe_cases[_i];
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_uid = t->uid;
	st.st_mode = t->mode;
	ck_assert_str_eq(ab_unsafe_reason(&st), t->reason);
}
END_TEST

/* ---- ab_rule_file_scan ---- */

struct seen_line {
	unsigned lineno;
	enum ab_line_kind kind;
	int has_rule;
	uint16_t port_lo;
	size_t len;
};

struct scan_log {
	struct seen_line lines[20000];
	size_t n;
	unsigned stop_at; /* return 7 at this line number; 0 never */
};

static struct scan_log the_log;

static struct scan_log *new_log(void)
{
	memset(&the_log, 0, sizeof(the_log));
	return &the_log;
}

static int log_line(void *ctx, unsigned lineno, enum ab_line_kind kind,
		    const struct ab_rule *rule, const char *text, size_t len)
{
	struct scan_log *log = ctx;
	struct seen_line *s;

	ck_assert_msg(log->n < sizeof(log->lines) / sizeof(log->lines[0]),
		      "too many lines");
	ck_assert_msg(text != NULL, "no text for line %u", lineno);
	ck_assert_msg((kind == AB_LINE_RULE) == (rule != NULL),
		      "line %u: rule pointer does not fit kind %d", lineno, kind);
	s = &log->lines[log->n++];
	s->lineno = lineno;
	s->kind = kind;
	s->has_rule = rule != NULL;
	s->port_lo = rule != NULL ? rule->port_lo : 0;
	s->len = len;
	return lineno == log->stop_at ? 7 : 0;
}

/* Writes data to a new file under base_dir and opens it for reading. */
static int file_with(const void *data, size_t len)
{
	char path[sizeof(base_dir) + 32];
	static unsigned serial;
	const char *p = data;
	int fd;

	snprintf(path, sizeof(path), "%s/scan.%d.%u", base_dir, (int)getpid(), serial++);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ck_assert_msg(fd >= 0, "create %s: %s", path, strerror(errno));
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		ck_assert_msg(n > 0, "write %s: %s", path, strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	ck_assert_int_eq(close(fd), 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	return fd;
}

static int scan_data(const void *data, size_t len, struct scan_log *log)
{
	int fd = file_with(data, len), ret;

	ret = ab_rule_file_scan(fd, log_line, log);
	close(fd);
	return ret;
}

static void expect_line(const struct scan_log *log, size_t i, unsigned lineno,
			enum ab_line_kind kind, int port_lo)
{
	const struct seen_line *s;

	ck_assert_msg(i < log->n, "only %zu lines reported, want line %u", log->n, lineno);
	s = &log->lines[i];
	ck_assert_msg(s->lineno == lineno && s->kind == kind,
		      "report %zu: line %u %s, want line %u %s", i, s->lineno,
		      kind_name(s->kind), lineno, kind_name(kind));
	if (port_lo >= 0)
		ck_assert_int_eq(s->port_lo, port_lo);
}

#define S(lit) lit, sizeof(lit) - 1

START_TEST(test_scan_forms)
{
	struct scan_log *log = new_log();

	ck_assert_int_eq(scan_data(S("1.2.3.4,80\n# c\n\nbad\n::1,443"), log), 0);
	ck_assert_int_eq(log->n, 5);
	expect_line(log, 0, 1, AB_LINE_RULE, 80);
	expect_line(log, 1, 2, AB_LINE_BLANK, -1);
	expect_line(log, 2, 3, AB_LINE_BLANK, -1);
	expect_line(log, 3, 4, AB_LINE_MALFORMED, -1);
	expect_line(log, 4, 5, AB_LINE_RULE, 443);
	ck_assert_int_eq(log->lines[4].len, 7);
}
END_TEST

START_TEST(test_scan_empty)
{
	struct scan_log *log = new_log();

	ck_assert_int_eq(scan_data("", 0, log), 0);
	ck_assert_int_eq(log->n, 0);
	ck_assert_int_eq(scan_data(S("\n"), log), 0);
	ck_assert_int_eq(log->n, 1);
	expect_line(log, 0, 1, AB_LINE_BLANK, -1);
}
END_TEST

START_TEST(test_scan_crlf)
{
	struct scan_log *log = new_log();

	ck_assert_int_eq(scan_data(S("1.2.3.4,80\r\n1.2.3.4,81\n"), log), 0);
	ck_assert_int_eq(log->n, 2);
	expect_line(log, 0, 1, AB_LINE_MALFORMED, -1);
	expect_line(log, 1, 2, AB_LINE_RULE, 81);
}
END_TEST

START_TEST(test_scan_nul)
{
	struct scan_log *log = new_log();

	ck_assert_int_eq(scan_data(S("1.2.3.4,80\0\n#\0x\n\0\n1.2.3.4,81\n1.2\0.3.4,82"),
				   log), 0);
	ck_assert_int_eq(log->n, 5);
	expect_line(log, 0, 1, AB_LINE_MALFORMED, -1);
	expect_line(log, 1, 2, AB_LINE_BLANK, -1);
	expect_line(log, 2, 3, AB_LINE_MALFORMED, -1);
	expect_line(log, 3, 4, AB_LINE_RULE, 81);
	expect_line(log, 4, 5, AB_LINE_MALFORMED, -1);
}
END_TEST

/* A line past AB_LINE_MAX is reported once, as malformed, and the lines
 * after it keep their numbers. */
START_TEST(test_scan_overlong)
{
	struct scan_log *log = new_log();
	static char data[20000];
	size_t n = 0;

	n += (size_t)sprintf(data + n, "1.2.3.4,80\n");
	memset(data + n, '#', AB_LINE_MAX); /* longest line: a comment */
	n += AB_LINE_MAX;
	data[n++] = '\n';
	memset(data + n, '#', AB_LINE_MAX + 1); /* one too long, still a comment */
	n += AB_LINE_MAX + 1;
	data[n++] = '\n';
	memset(data + n, 'x', 9000); /* far too long, across blocks */
	n += 9000;
	data[n++] = '\n';
	n += (size_t)sprintf(data + n, "::1,443\n");
	memset(data + n, '1', 5000); /* too long, last, no newline */
	n += 5000;

	ck_assert_int_eq(scan_data(data, n, log), 0);
	ck_assert_int_eq(log->n, 6);
	expect_line(log, 0, 1, AB_LINE_RULE, 80);
	expect_line(log, 1, 2, AB_LINE_BLANK, -1);
	ck_assert_int_eq(log->lines[1].len, AB_LINE_MAX);
	expect_line(log, 2, 3, AB_LINE_BLANK, -1);
	expect_line(log, 3, 4, AB_LINE_MALFORMED, -1);
	ck_assert_uint_le(log->lines[3].len, AB_LINE_MAX + 1);
	expect_line(log, 4, 5, AB_LINE_RULE, 443);
	expect_line(log, 5, 6, AB_LINE_MALFORMED, -1);
}
END_TEST

/* Line numbers stay right across read blocks. */
START_TEST(test_scan_many_lines)
{
	struct scan_log *log = new_log();
	static char data[32768];
	size_t n = 0;
	unsigned i;

	for (i = 1; i <= 1500; i++)
		n += (size_t)snprintf(data + n, sizeof(data) - n, "10.0.0.0/8,%u\n", i);
	ck_assert_uint_lt(n, sizeof(data));
	ck_assert_int_eq(scan_data(data, n, log), 0);
	ck_assert_int_eq(log->n, 1500);
	for (i = 1; i <= 1500; i++)
		expect_line(log, i - 1, i, AB_LINE_RULE, (int)i);
}
END_TEST

START_TEST(test_scan_stops)
{
	struct scan_log *log = new_log();

	log->stop_at = 2;
	ck_assert_int_eq(scan_data(S("1.2.3.4,80\n1.2.3.4,81\n1.2.3.4,82\n"), log), 7);
	ck_assert_int_eq(log->n, 2);
	expect_line(log, 1, 2, AB_LINE_RULE, 81);
}
END_TEST

START_TEST(test_scan_read_error)
{
	struct scan_log *log = new_log();
	int fd = open(base_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ab_rule_file_scan(fd, log_line, log), -1);
	ck_assert_int_eq(log->n, 0);
	close(fd);
}
END_TEST

/* A 1 MiB file of comments with rules at chosen offsets. */
static char *big_file(size_t size, size_t *len)
{
	char *data = malloc(size + 64);
	size_t n = 0;

	ck_assert_ptr_nonnull(data);
	n += (size_t)sprintf(data, "1.2.3.4,80\n");
	while (n + 64 <= size) {
		memset(data + n, '#', 63);
		data[n + 63] = '\n';
		n += 64;
	}
	*len = n;
	return data;
}

START_TEST(test_scan_at_limit)
{
	struct scan_log *log = new_log();
	size_t n;
	char *data = big_file(AB_RULE_FILE_MAX - 10, &n);

	/* Pad to exactly AB_RULE_FILE_MAX with a last rule, no newline. */
	memset(data + n, '#', AB_RULE_FILE_MAX - 10 - n);
	data[AB_RULE_FILE_MAX - 11] = '\n';
	n = AB_RULE_FILE_MAX - 10;
	n += (size_t)sprintf(data + n, "1.2.3.4,81");
	ck_assert_int_eq(n, AB_RULE_FILE_MAX);
	ck_assert_int_eq(scan_data(data, n, log), 0);
	expect_line(log, 0, 1, AB_LINE_RULE, 80);
	expect_line(log, log->n - 1, log->n, AB_LINE_RULE, 81);
	free(data);
}
END_TEST

START_TEST(test_scan_too_large)
{
	struct scan_log *log = new_log();
	size_t n, i;
	char *data = big_file(AB_RULE_FILE_MAX, &n);

	/* Comments up to exactly AB_RULE_FILE_MAX, then one more rule. */
	memset(data + n, '#', AB_RULE_FILE_MAX - n);
	data[AB_RULE_FILE_MAX - 1] = '\n';
	n = AB_RULE_FILE_MAX;
	n += (size_t)sprintf(data + n, "1.2.3.4,81\n");
	ck_assert_uint_gt(n, AB_RULE_FILE_MAX);
	ck_assert_int_eq(scan_data(data, n, log), 0);
	expect_line(log, 0, 1, AB_LINE_RULE, 80);
	ck_assert_int_eq(log->lines[log->n - 1].kind, AB_LINE_MALFORMED);
	ck_assert_int_eq(log->lines[log->n - 1].has_rule, 0);
	for (i = 1; i < log->n; i++)
		ck_assert_msg(!log->lines[i].has_rule, "a rule past 1 MiB was read");
	free(data);
}
END_TEST

/* ---- ab_policy_decide on trees made here ---- */

#define U 41000u
#define G 41000u

/* A file in the tree: 'd' directory, 'f' file with data, 'l' symlink to
 * data, 'p' FIFO. */
struct node {
	char type;
	const char *path;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	const char *data;
};

struct query {
	const char *addr;
	uint16_t port;
	uid_t uid;
	gid_t gid;
	gid_t group; /* one supplementary group, or 0 */
	int granted;
	const char *source;
	unsigned line;
	const char *reason; /* a part of d.reason */
};

#define MAX_NODES 16
#define MAX_QUERIES 12

struct policy_case {
	const char *name;
	int needs_root;
	struct node nodes[MAX_NODES];
	struct query queries[MAX_QUERIES];
};

#define DIRS { 'd', "byport", 0755, 0, 0, NULL }, { 'd', "byaddr", 0755, 0, 0, NULL }, \
	{ 'd', "byuid", 0755, 0, 0, NULL }
#define EXE(path) { 'f', path, 0755, 0, 0, "" }
#define NOEXE(path) { 'f', path, 0644, 0, 0, "" }
#define RULES(path, text) { 'f', path, 0644, 0, 0, text }
#define NOFILE "no byport, byaddr, byuid or bygid file grants it"

static const struct policy_case policy_cases[] = {
	{ "byport grants", 1, { DIRS, EXE("byport/80") }, {
		{ "0.0.0.0", 80, U, G, 0, 1, "byport/80", 0, "executable" },
		{ "127.0.0.1", 80, U, G, 0, 1, "byport/80", 0, "executable" },
		{ "::", 80, U, G, 0, 1, "byport/80", 0, "executable" },
		{ "::ffff:127.0.0.1", 80, U, G, 0, 1, "byport/80", 0, "executable" },
		{ "0.0.0.0", 81, U, G, 0, 0, "", 0, NOFILE },
		{ "0.0.0.0", 8, U, G, 0, 0, "", 0, NOFILE },
	} },
	{ "byport by class", 1, { DIRS,
		{ 'f', "byport/80", 0750, 0, 41001, "" },
		{ 'f', "byport/81", 0754, 0, 0, "" },
		{ 'f', "byport/82", 0601, U, 0, "" },
		{ 'f', "byport/83", 0100, U, 0, "" },
		{ 'f', "byport/84", 0010, 0, 41002, "" } }, {
		{ "0.0.0.0", 80, U, 41001, 0, 1, "byport/80", 0, "executable" },
		{ "0.0.0.0", 80, U, G, 0, 0, "byport/80", 0, "not executable" },
		{ "0.0.0.0", 80, U, G, 41001, 1, "byport/80", 0, "executable" },
		{ "0.0.0.0", 81, U, G, 0, 0, "byport/81", 0, "not executable" },
		{ "0.0.0.0", 82, U, G, 0, 0, "byport/82", 0, "not executable" },
		{ "0.0.0.0", 82, 41009, G, 0, 1, "byport/82", 0, "executable" },
		{ "0.0.0.0", 83, U, G, 0, 1, "byport/83", 0, "executable" },
		{ "0.0.0.0", 83, 41009, G, 0, 0, "byport/83", 0, "not executable" },
		{ "0.0.0.0", 84, U, G, 41002, 1, "byport/84", 0, "executable" },
		{ "0.0.0.0", 84, U, G, 0, 0, "byport/84", 0, "not executable" },
	} },
	{ "byport not executable denies at once", 1, { DIRS,
		NOEXE("byport/80"), EXE("byaddr/127.0.0.1:80"),
		RULES("byuid/41000", "0.0.0.0/0:1,65535\n") }, {
		{ "127.0.0.1", 80, U, G, 0, 0, "byport/80", 0, "not executable" },
		{ "127.0.0.1", 81, U, G, 0, 1, "byuid/41000", 1, "matches" },
	} },
	{ "byport legacy !PORT", 1, { DIRS,
		EXE("byport/!600"), EXE("byport/!80"), EXE("byport/!1024"),
		EXE("byport/!511"), EXE("byport/!512"), EXE("byport/!1023"),
		NOEXE("byport/700"), EXE("byport/!700"), EXE("byport/800"),
		NOEXE("byport/!800") }, {
		{ "0.0.0.0", 600, U, G, 0, 1, "byport/!600", 0, "executable" },
		{ "0.0.0.0", 80, U, G, 0, 0, "", 0, NOFILE },
		{ "0.0.0.0", 1024, U, G, 0, 0, "", 0, NOFILE },
		{ "0.0.0.0", 511, U, G, 0, 0, "", 0, NOFILE },
		{ "0.0.0.0", 512, U, G, 0, 1, "byport/!512", 0, "executable" },
		{ "0.0.0.0", 1023, U, G, 0, 1, "byport/!1023", 0, "executable" },
		{ "0.0.0.0", 700, U, G, 0, 0, "byport/700", 0, "not executable" },
		{ "0.0.0.0", 800, U, G, 0, 1, "byport/800", 0, "executable" },
	} },
	{ "byaddr IPv4 names", 1, { DIRS,
		EXE("byaddr/127.0.0.1:80"), EXE("byaddr/127.0.0.2,80"),
		EXE("byaddr/!127.0.0.3:600"), EXE("byaddr/!127.0.0.4,600"),
		NOEXE("byaddr/127.0.0.5:81"), EXE("byaddr/0.0.0.0:80"),
		EXE("byaddr/127.0.0.6:600"),
		RULES("byuid/41000", "127.0.0.0/8:1,65535\n") }, {
		{ "127.0.0.1", 80, U, G, 0, 1, "byaddr/127.0.0.1:80", 0, "executable" },
		{ "::ffff:127.0.0.1", 80, U, G, 0, 1, "byaddr/127.0.0.1:80", 0, "executable" },
		{ "127.0.0.2", 80, U, G, 0, 1, "byaddr/127.0.0.2,80", 0, "executable" },
		{ "127.0.0.3", 600, U, G, 0, 1, "byaddr/!127.0.0.3:600", 0, "executable" },
		{ "127.0.0.4", 600, U, G, 0, 1, "byaddr/!127.0.0.4,600", 0, "executable" },
		{ "127.0.0.6", 600, U, G, 0, 1, "byaddr/127.0.0.6:600", 0, "executable" },
		{ "127.0.0.5", 81, U, G, 0, 0, "byaddr/127.0.0.5:81", 0, "not executable" },
		{ "0.0.0.0", 80, U, G, 0, 1, "byaddr/0.0.0.0:80", 0, "executable" },
		{ "127.0.0.9", 80, U, G, 0, 1, "byuid/41000", 1, "matches" },
		{ "127.0.0.1", 81, U, G, 0, 1, "byuid/41000", 1, "matches" },
		{ "::", 80, U, G, 0, 0, "byuid/41000", 0, "no line that matches" },
	} },
	{ "byaddr IPv6 names", 1, { DIRS,
		EXE("byaddr/::1,80"), EXE("byaddr/0:0:0:0:0:0:0:2,80"),
		EXE("byaddr/2001:db8::1,443"), EXE("byaddr/2001:db8:0:0:0:0:0:2,443"),
		EXE("byaddr/!::3,600"), EXE("byaddr/!0:0:0:0:0:0:0:4,600"),
		EXE("byaddr/fe80::1,80"), EXE("byaddr/::5:80"),
		EXE("byaddr/[::6]:80"), NOEXE("byaddr/2001:db8::3,443"),
		EXE("byaddr/::,80") }, {
		{ "::1", 80, U, G, 0, 1, "byaddr/::1,80", 0, "executable" },
		{ "::2", 80, U, G, 0, 1, "byaddr/0:0:0:0:0:0:0:2,80", 0, "executable" },
		{ "2001:db8::1", 443, U, G, 0, 1, "byaddr/2001:db8::1,443", 0, "executable" },
		{ "2001:db8::2", 443, U, G, 0, 1, "byaddr/2001:db8:0:0:0:0:0:2,443", 0, "executable" },
		{ "::3", 600, U, G, 0, 1, "byaddr/!::3,600", 0, "executable" },
		{ "::4", 600, U, G, 0, 1, "byaddr/!0:0:0:0:0:0:0:4,600", 0, "executable" },
		{ "fe80::1%2", 80, U, G, 0, 1, "byaddr/fe80::1,80", 0, "executable" },
		{ "::5", 80, U, G, 0, 0, "", 0, NOFILE },
		{ "::6", 80, U, G, 0, 0, "", 0, NOFILE },
		{ "2001:db8::3", 443, U, G, 0, 0, "byaddr/2001:db8::3,443", 0, "not executable" },
		{ "::1", 81, U, G, 0, 0, "", 0, NOFILE },
		{ "::", 80, U, G, 0, 1, "byaddr/::,80", 0, "executable" },
	} },
	{ "byuid lines", 1, { DIRS,
		RULES("byuid/41000", "# comment\n\nbad line\n10.0.0.0/8:80,80\n"
		      "::1,443\n127.0.0.1,8000-8080\n127.0.0.0/8,8080\n2001:db8::/32,443"),
		RULES("byuid/41001", "1.2.3.4,80\n1.2.3.0/24,80\n") }, {
		{ "10.1.1.1", 80, U, G, 0, 1, "byuid/41000", 4, "matches" },
		{ "::ffff:10.0.0.1", 80, U, G, 0, 1, "byuid/41000", 4, "matches" },
		{ "::1", 443, U, G, 0, 1, "byuid/41000", 5, "matches" },
		{ "127.0.0.1", 8080, U, G, 0, 1, "byuid/41000", 6, "matches" },
		{ "127.0.0.2", 8080, U, G, 0, 1, "byuid/41000", 7, "matches" },
		{ "2001:db8::8", 443, U, G, 0, 1, "byuid/41000", 8, "matches" },
		{ "127.0.0.1", 8081, U, G, 0, 0, "byuid/41000", 0, "no line that matches" },
		{ "10.1.1.1", 81, U, G, 0, 0, "byuid/41000", 0, "no line that matches" },
		{ "::2", 443, U, G, 0, 0, "byuid/41000", 0, "no line that matches" },
		{ "1.2.3.4", 80, 41001, G, 0, 1, "byuid/41001", 1, "matches" },
		{ "1.2.3.5", 80, 41001, G, 0, 1, "byuid/41001", 2, "matches" },
		{ "1.2.3.5", 80, 41002, G, 0, 0, "", 0, NOFILE },
	} },
	{ "byuid legacy !UID", 1, { DIRS,
		RULES("byuid/41000", "127.0.0.1,80\n"),
		RULES("byuid/!41000", "127.0.0.1,600\n#\n127.0.0.2,80\n"),
		RULES("byuid/!41002", "0.0.0.0/0,1-65535\n") }, {
		{ "127.0.0.1", 600, U, G, 0, 1, "byuid/!41000", 1, "matches" },
		{ "127.0.0.1", 80, U, G, 0, 1, "byuid/41000", 1, "matches" },
		{ "127.0.0.2", 80, U, G, 0, 0, "byuid/41000", 0, "no line that matches" },
		{ "127.0.0.2", 600, U, G, 0, 0, "", 0, "no line of byuid/41000, byuid/!41000 matches" },
		{ "127.0.0.1", 600, 41002, G, 0, 1, "byuid/!41002", 1, "matches" },
		{ "127.0.0.1", 80, 41002, G, 0, 0, "", 0, NOFILE },
		{ "127.0.0.1", 1024, 41002, G, 0, 0, "", 0, NOFILE },
	} },
	{ "symlinked files refused", 1, { DIRS,
		EXE("target"), RULES("rules", "0.0.0.0/0,1-65535\n"),
		{ 'l', "byport/80", 0, 0, 0, "../target" },
		{ 'l', "byaddr/127.0.0.1:81", 0, 0, 0, "../target" },
		{ 'l', "byuid/41000", 0, 0, 0, "../rules" },
		{ 'l', "byuid/41001", 0, 0, 0, "/dev/null" } }, {
		{ "127.0.0.1", 80, U, G, 0, 0, "byport/80", 0, "symlinks are not followed" },
		{ "127.0.0.1", 81, U, G, 0, 0, "byaddr/127.0.0.1:81", 0, "symlinks are not followed" },
		{ "127.0.0.1", 82, U, G, 0, 0, "byuid/41000", 0, "symlink" },
		{ "127.0.0.1", 82, 41001, G, 0, 0, "byuid/41001", 0, "symlink" },
	} },
	{ "symlinked subdirectory refused", 1, {
		{ 'd', "real", 0755, 0, 0, NULL }, EXE("real/80"),
		{ 'l', "byport", 0, 0, 0, "real" } }, {
		{ "127.0.0.1", 80, U, G, 0, 0, "byport", 0, "not a directory" },
	} },
	{ "unsafe byuid files refused", 1, { DIRS,
		{ 'f', "byuid/41000", 0664, 0, 0, "0.0.0.0/0,1-65535\n" },
		{ 'f', "byuid/41001", 0646, 0, 0, "0.0.0.0/0,1-65535\n" },
		{ 'f', "byuid/41002", 0644, 41002, 0, "0.0.0.0/0,1-65535\n" },
		{ 'd', "byuid/41003", 0755, 0, 0, NULL },
		{ 'p', "byuid/41004", 0644, 0, 0, NULL },
		{ 'f', "byuid/41005", 0644, 0, 41005, "0.0.0.0/0,1-65535\n" },
		{ 'f', "byuid/!41006", 0664, 0, 0, "0.0.0.0/0,1-65535\n" },
		{ 'f', "byuid/41006", 0644, 0, 0, "::1,600\n" } }, {
		{ "127.0.0.1", 80, 41000, G, 0, 0, "byuid/41000", 0, "writable by group or other" },
		{ "127.0.0.1", 80, 41001, G, 0, 0, "byuid/41001", 0, "writable by group or other" },
		{ "127.0.0.1", 80, 41002, G, 0, 0, "byuid/41002", 0, "not owned by root" },
		{ "127.0.0.1", 80, 41003, G, 0, 0, "byuid/41003", 0, "not a regular file" },
		{ "127.0.0.1", 80, 41004, G, 0, 0, "byuid/41004", 0, "not a regular file" },
		{ "127.0.0.1", 80, 41005, G, 0, 1, "byuid/41005", 1, "matches" },
		{ "127.0.0.1", 600, 41006, G, 0, 0, "byuid/!41006", 0, "writable by group or other" },
		{ "::1", 600, 41006, G, 0, 1, "byuid/41006", 1, "matches" },
	} },
	{ "unsafe subdirectories refused", 1, {
		{ 'd', "byport", 0755, U, 0, NULL }, EXE("byport/80"),
		{ 'd', "byaddr", 0775, 0, 0, NULL }, EXE("byaddr/127.0.0.1:80"),
		{ 'd', "byuid", 0757, 0, 0, NULL }, RULES("byuid/41000", "127.0.0.1,81\n") }, {
		{ "127.0.0.1", 80, U, G, 0, 0, "byport", 0, "not owned by root" },
		{ "127.0.0.1", 81, U, G, 0, 0, "byport", 0, "not owned by root" },
	} },
	{ "unsafe byaddr and byuid directories refused", 1, {
		{ 'd', "byaddr", 0775, 0, 0, NULL }, EXE("byaddr/127.0.0.1:80"),
		{ 'd', "byuid", 0757, 0, 0, NULL }, RULES("byuid/41000", "127.0.0.1,81\n") }, {
		{ "127.0.0.1", 80, U, G, 0, 0, "byaddr", 0, "writable by group or other" },
	} },
	{ "unsafe byuid directory refused", 1, {
		{ 'd', "byuid", 0757, 0, 0, NULL }, RULES("byuid/41000", "127.0.0.1,81\n") }, {
		{ "127.0.0.1", 81, U, G, 0, 0, "byuid", 0, "writable by group or other" },
	} },
	{ "byport entry that is not a file", 1, { DIRS,
		{ 'd', "byport/80", 0755, 0, 0, NULL }, { 'p', "byport/81", 0755, 0, 0, NULL } }, {
		{ "127.0.0.1", 80, U, G, 0, 0, "byport/80", 0, "not a regular file" },
		{ "127.0.0.1", 81, U, G, 0, 0, "byport/81", 0, "not a regular file" },
	} },
	{ "only byuid exists", 1, {
		{ 'd', "byuid", 0755, 0, 0, NULL }, RULES("byuid/41000", "::/0,443\n") }, {
		{ "2001:db8::1", 443, U, G, 0, 1, "byuid/41000", 1, "matches" },
		{ "127.0.0.1", 443, U, G, 0, 0, "byuid/41000", 0, "no line that matches" },
	} },
	/* These two need no root: nothing in them is owned by root. */
	{ "missing subdirectories", 0, { { 0, NULL, 0, 0, 0, NULL } }, {
		{ "127.0.0.1", 80, U, G, 0, 0, "", 0, NOFILE },
		{ "::1", 600, U, G, 0, 0, "", 0, NOFILE },
	} },
	{ "subdirectory not owned by root", 0, {
		{ 'd', "byport", 0755, U, G, NULL }, { 'f', "byport/80", 0755, U, G, "" } }, {
		{ "127.0.0.1", 80, U, G, 0, 0, "byport", 0, "not owned by root" },
		{ "127.0.0.1", 81, 0, 0, 0, 0, "", 0, "grants root nothing" },
	} },
};

#define N_POLICY_CASES (int)(sizeof(policy_cases) / sizeof(policy_cases[0]))

static void make_node(int treefd, const struct node *n, int as_root)
{
	int fd;

	switch (n->type) {
	case 'd':
		ck_assert_msg(mkdirat(treefd, n->path, 0700) == 0, "mkdir %s: %s",
			      n->path, strerror(errno));
		break;
	case 'f':
		fd = openat(treefd, n->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		ck_assert_msg(fd >= 0, "create %s: %s", n->path, strerror(errno));
		ck_assert_int_eq(write(fd, n->data, strlen(n->data)), (ssize_t)strlen(n->data));
		ck_assert_int_eq(close(fd), 0);
		break;
	case 'l':
		ck_assert_msg(symlinkat(n->data, treefd, n->path) == 0, "symlink %s: %s",
			      n->path, strerror(errno));
		return;
	case 'p':
		ck_assert_msg(mkfifoat(treefd, n->path, 0600) == 0, "mkfifo %s: %s",
			      n->path, strerror(errno));
		break;
	default:
		ck_abort_msg("test bug: node type %c", n->type);
	}
	if (as_root)
		ck_assert_msg(fchownat(treefd, n->path, n->uid, n->gid,
				       AT_SYMLINK_NOFOLLOW) == 0,
			      "chown %s: %s", n->path, strerror(errno));
	ck_assert_msg(fchmodat(treefd, n->path, n->mode, 0) == 0, "chmod %s: %s",
		      n->path, strerror(errno));
}

START_TEST(test_policy_decide)
{
	const struct policy_case *t = &policy_cases[_i];
	char tree[sizeof(base_dir) + 16], err[512], why[1024];
	int as_root = geteuid() == 0, treefd;
	struct ab_tree *loaded;
	size_t i;

	if (t->needs_root && !as_root) {
		fprintf(stderr, "check_policy: SKIP \"%s\": needs root to make root-owned "
			"policy files\n", t->name);
		return;
	}
	snprintf(tree, sizeof(tree), "%s/t.XXXXXX", base_dir);
	ck_assert_msg(mkdtemp(tree) != NULL, "mkdtemp: %s", strerror(errno));
	treefd = open(tree, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(treefd, 0);
	for (i = 0; i < MAX_NODES && t->nodes[i].path != NULL; i++)
		make_node(treefd, &t->nodes[i], as_root);
	loaded = ab_tree_load(tree, err, sizeof(err));
	ck_assert_msg(loaded != NULL, "%s: ab_tree_load: %s", t->name, err);

	for (i = 0; i < MAX_QUERIES && t->queries[i].addr != NULL; i++) {
		const struct query *q = &t->queries[i];
		struct ab_caller c = { q->uid, q->gid, &q->group, q->group != 0, NULL, NULL, NULL };
		struct ab_decision d;
		struct ab_target tgt;

		memset(&tgt, 0, sizeof(tgt));
		addr_of(q->addr, &tgt.addr);
		tgt.port = q->port;
		tgt.proto = IPPROTO_TCP;
		memset(&d, 0x55, sizeof(d));
		ck_assert_msg(agree_check(treefd, loaded, &c, &tgt, &d, why, sizeof(why)) == 0,
			      "%s, query %zu: the readings of the tree differ: %s", t->name, i, why);
		ck_assert_msg(d.granted == q->granted && strcmp(d.source, q->source) == 0 &&
			      d.line == q->line && strstr(d.reason, q->reason) != NULL,
			      "%s, query %zu (uid %u %s port %u): got %s by \"%s\" line %u "
			      "(%s), want %s by \"%s\" line %u (%s)",
			      t->name, i, (unsigned)q->uid, q->addr, q->port,
			      d.granted ? "granted" : "denied", d.source, d.line, d.reason,
			      q->granted ? "granted" : "denied", q->source, q->line,
			      q->reason);
	}
	ab_tree_free(loaded);
	close(treefd);
}
END_TEST

/* ---- running ---- */

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0)
		fprintf(stderr, "check_policy: cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc;

	tc = tcase_create("rule_parse");
	tcase_add_loop_test(tc, test_rule_parse, 0, N_RULE_CASES);
	tcase_add_test(tc, test_rule_parse_len);
	tcase_add_loop_test(tc, test_rule_extensions, 0,
			    (int)(sizeof(extension_cases) / sizeof(extension_cases[0])));
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("modes");
	tcase_add_loop_test(tc, test_mode_allows_exec, 0,
			    (int)(sizeof(mode_cases) / sizeof(mode_cases[0])));
	tcase_add_loop_test(tc, test_unsafe_reason, 0,
			    (int)(sizeof(unsafe_cases) / sizeof(unsafe_cases[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("rule_file_scan");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_scan_forms);
	tcase_add_test(tc, test_scan_empty);
	tcase_add_test(tc, test_scan_crlf);
	tcase_add_test(tc, test_scan_nul);
	tcase_add_test(tc, test_scan_overlong);
	tcase_add_test(tc, test_scan_many_lines);
	tcase_add_test(tc, test_scan_stops);
	tcase_add_test(tc, test_scan_read_error);
	tcase_add_test(tc, test_scan_at_limit);
	tcase_add_test(tc, test_scan_too_large);
	suite_add_tcase(s, tc);

	tc = tcase_create("policy_decide");
	tcase_add_loop_test(tc, test_policy_decide, 0, N_POLICY_CASES);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * AB_EXPORT_CASES=DIR: instead of running, writes each policy case for the
 * differential test (tests/integration/differential.py --cases), which
 * asks the helper and kernel mode the same questions: DIR/N/tree is the
 * tree, DIR/N/queries one line per query, "UID GID GROUP ADDRESS PORT
 * GRANTED" (GROUP 0: none).
 */
static int export_cases(const char *dir)
{
	int i;

	for (i = 0; i < N_POLICY_CASES; i++) {
		const struct policy_case *t = &policy_cases[i];
		char path[4096];
		FILE *q;
		int treefd;
		size_t k;

		snprintf(path, sizeof(path), "%s/%d", dir, i);
		if (mkdir(path, 0755) != 0)
			return 1;
		snprintf(path, sizeof(path), "%s/%d/tree", dir, i);
		if (mkdir(path, 0755) != 0 ||
		    (treefd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			return 1;
		for (k = 0; k < MAX_NODES && t->nodes[k].path != NULL; k++)
			make_node(treefd, &t->nodes[k], 1);
		close(treefd);
		snprintf(path, sizeof(path), "%s/%d/queries", dir, i);
		if ((q = fopen(path, "w")) == NULL)
			return 1;
		for (k = 0; k < MAX_QUERIES && t->queries[k].addr != NULL; k++) {
			const struct query *x = &t->queries[k];

			fprintf(q, "%u %u %u %s %u %d\n", (unsigned)x->uid, (unsigned)x->gid,
				(unsigned)x->group, x->addr, (unsigned)x->port, x->granted);
		}
		if (fclose(q) != 0)
			return 1;
	}
	return 0;
}

START_TEST(test_export_cases)
{
	ck_assert_int_eq(export_cases(getenv("AB_EXPORT_CASES")), 0);
}
END_TEST

int main(void)
{
	SRunner *sr;
	int failed;

	if (getenv("AB_EXPORT_CASES") != NULL) {
		Suite *s = suite_create("export");
		TCase *tc = tcase_create("export");

		tcase_add_test(tc, test_export_cases);
		suite_add_tcase(s, tc);
		sr = srunner_create(s);
		srunner_run_all(sr, CK_SILENT);
		failed = srunner_ntests_failed(sr);
		srunner_free(sr);
		return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	if (mkdtemp(base_dir) == NULL) {
		perror("check_policy: mkdtemp");
		return EXIT_FAILURE;
	}
	if (geteuid() != 0)
		fprintf(stderr, "check_policy: not root: the policy cases that need "
			"root-owned files are skipped\n");
	sr = srunner_create(policy_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	nftw(base_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
