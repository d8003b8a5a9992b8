/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for common/proto.c (the request and reply the shim and the
 * helper exchange) and common/addr.c (addresses as the policy sees them).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "addr.h"
#include "proto.h"

static struct sockaddr_in make_sin(const char *addr, uint16_t port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	ck_assert_msg(inet_pton(AF_INET, addr, &sin.sin_addr) == 1, "test bug: %s", addr);
	return sin;
}

static struct sockaddr_in6 make_sin6(const char *addr, uint16_t port,
				     uint32_t flowinfo, uint32_t scope_id)
{
	struct sockaddr_in6 sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(port);
	sin6.sin6_flowinfo = flowinfo;
	sin6.sin6_scope_id = scope_id;
	ck_assert_msg(inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1, "test bug: %s", addr);
	return sin6;
}

/* ---- requests ---- */

START_TEST(test_request_ipv4)
{
	struct sockaddr_in sin = make_sin("192.0.2.7", 80), out;
	struct ab_request req;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	static const uint8_t want[16] = { 192, 0, 2, 7 };

	memset(sin.sin_zero, 0xaa, sizeof(sin.sin_zero));
	ck_assert_int_eq(ab_request_encode(&req, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_uint_eq(req.magic, AB_PROTO_MAGIC);
	ck_assert_uint_eq(req.version, AB_PROTO_VERSION);
	ck_assert_uint_eq(req.family, AF_INET);
	ck_assert_uint_eq(req.port, 80);
	ck_assert_uint_eq(req.reserved, 0);
	ck_assert_uint_eq(req.flowinfo, 0);
	ck_assert_uint_eq(req.scope_id, 0);
	ck_assert_mem_eq(req.addr, want, 16);

	ck_assert_int_eq(ab_request_decode(&req, &ss, &len), 0);
	ck_assert_int_eq(len, sizeof(struct sockaddr_in));
	memcpy(&out, &ss, sizeof(out));
	ck_assert_int_eq(out.sin_family, AF_INET);
	ck_assert_uint_eq(ntohs(out.sin_port), 80);
	ck_assert_mem_eq(&out.sin_addr, &sin.sin_addr, 4);
	/* Built from the fields alone: the caller's padding does not travel. */
	memset(sin.sin_zero, 0, sizeof(sin.sin_zero));
	ck_assert_mem_eq(&out, &sin, sizeof(sin));
}
END_TEST

START_TEST(test_request_ipv6)
{
	struct sockaddr_in6 sin6 = make_sin6("fe80::1:2", 65535, 0x000abcde, 7), out;
	struct ab_request req;
	struct sockaddr_storage ss;
	socklen_t len = 0;

	ck_assert_int_eq(ab_request_encode(&req, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	ck_assert_uint_eq(req.family, AF_INET6);
	ck_assert_uint_eq(req.port, 65535);
	ck_assert_uint_eq(req.flowinfo, 0x000abcde);
	ck_assert_uint_eq(req.scope_id, 7);
	ck_assert_mem_eq(req.addr, &sin6.sin6_addr, 16);

	ck_assert_int_eq(ab_request_decode(&req, &ss, &len), 0);
	ck_assert_int_eq(len, sizeof(struct sockaddr_in6));
	memcpy(&out, &ss, sizeof(out));
	ck_assert_mem_eq(&out, &sin6, sizeof(sin6));
}
END_TEST

/* The request carries a mapped address as it is; judging it as IPv4 is
 * the policy's business. */
START_TEST(test_request_v4mapped)
{
	struct sockaddr_in6 sin6 = make_sin6("::ffff:127.0.0.1", 1, 0, 0), out;
	struct ab_request req;
	struct sockaddr_storage ss;
	socklen_t len = 0;

	ck_assert_int_eq(ab_request_encode(&req, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	ck_assert_uint_eq(req.family, AF_INET6);
	ck_assert_uint_eq(req.port, 1);
	ck_assert_int_eq(ab_request_decode(&req, &ss, &len), 0);
	ck_assert_int_eq(len, sizeof(struct sockaddr_in6));
	memcpy(&out, &ss, sizeof(out));
	ck_assert_mem_eq(&out, &sin6, sizeof(sin6));
}
END_TEST

/* A longer buffer (sockaddr_storage, as some programs pass) is fine. */
START_TEST(test_request_long_len)
{
	struct sockaddr_storage in;
	struct sockaddr_in sin = make_sin("127.0.0.1", 443);
	struct ab_request req;

	memset(&in, 0, sizeof(in));
	memcpy(&in, &sin, sizeof(sin));
	ck_assert_int_eq(ab_request_encode(&req, (struct sockaddr *)&in, sizeof(in)), 0);
	ck_assert_uint_eq(req.port, 443);
}
END_TEST

struct encode_case {
	const char *name;
	int family;
	uint16_t port;
	socklen_t len;
};

static const struct encode_case bad_encodes[] = {
	{ "IPv4 length 0", AF_INET, 80, 0 },
	{ "IPv4 length 1", AF_INET, 80, 1 },
	{ "IPv4 length 2", AF_INET, 80, 2 },
	{ "IPv4 one short", AF_INET, 80, sizeof(struct sockaddr_in) - 1 },
	{ "IPv4 port 0", AF_INET, 0, sizeof(struct sockaddr_in) },
	{ "IPv6 length of IPv4", AF_INET6, 80, sizeof(struct sockaddr_in) },
	{ "IPv6 one short", AF_INET6, 80, sizeof(struct sockaddr_in6) - 1 },
	{ "IPv6 port 0", AF_INET6, 0, sizeof(struct sockaddr_in6) },
	{ "AF_UNIX", AF_UNIX, 80, sizeof(struct sockaddr_un) },
	{ "AF_UNSPEC", AF_UNSPEC, 80, sizeof(struct sockaddr_in6) },
	{ "AF_PACKET", AF_PACKET, 80, sizeof(struct sockaddr_storage) },
};

START_TEST(test_request_encode_rejects)
{
	const struct encode_case *t = &bad_encodes[_i];
	struct sockaddr_storage ss;
	struct sockaddr_in sin = make_sin("127.0.0.1", t->port);
	struct sockaddr_in6 sin6 = make_sin6("::1", t->port, 0, 0);
	struct ab_request req;

	memset(&ss, 0, sizeof(ss));
	if (t->family == AF_INET6)
		memcpy(&ss, &sin6, sizeof(sin6));
	else
		memcpy(&ss, &sin, sizeof(sin));
	ss.ss_family = (sa_family_t)t->family;
	ck_assert_msg(ab_request_encode(&req, (struct sockaddr *)&ss, t->len) == -1,
		      "%s: accepted", t->name);
}
END_TEST

START_TEST(test_request_encode_null)
{
	struct ab_request req;

	ck_assert_int_eq(ab_request_encode(&req, NULL, sizeof(struct sockaddr_in)), -1);
}
END_TEST

/* Each case spoils one field of a valid request. */
struct decode_case {
	const char *name;
	int v6;       /* start from the IPv6 request, else the IPv4 one */
	void (*spoil)(struct ab_request *req);
	int ok;       /* the control cases stay valid */
};

static void spoil_nothing(struct ab_request *r) { (void)r; }
static void spoil_magic(struct ab_request *r) { r->magic ^= 1; }
static void spoil_magic_swapped(struct ab_request *r) { r->magic = __builtin_bswap32(r->magic); }
static void spoil_version0(struct ab_request *r) { r->version = 0; }
static void spoil_version2(struct ab_request *r) { r->version = AB_PROTO_VERSION + 1; }
static void spoil_reserved(struct ab_request *r) { r->reserved = 1; }
static void spoil_reserved_high(struct ab_request *r) { r->reserved = 0x8000; }
static void spoil_port(struct ab_request *r) { r->port = 0; }
static void spoil_family0(struct ab_request *r) { r->family = AF_UNSPEC; }
static void spoil_family_unix(struct ab_request *r) { r->family = AF_UNIX; }
static void spoil_family_big(struct ab_request *r) { r->family = 0xffff; }
static void spoil_tail4(struct ab_request *r) { r->addr[4] = 1; }
static void spoil_tail15(struct ab_request *r) { r->addr[15] = 0x80; }
static void spoil_flow(struct ab_request *r) { r->flowinfo = 1; }
static void spoil_scope(struct ab_request *r) { r->scope_id = 1; }
static void v6_flow_scope(struct ab_request *r) { r->flowinfo = 0xfffff; r->scope_id = 99; }

static const struct decode_case decode_cases[] = {
	{ "IPv4 control", 0, spoil_nothing, 1 },
	{ "IPv6 control", 1, spoil_nothing, 1 },
	{ "IPv6 flowinfo and scope", 1, v6_flow_scope, 1 },
	{ "IPv4 bad magic", 0, spoil_magic, 0 },
	{ "IPv6 bad magic", 1, spoil_magic, 0 },
	{ "IPv4 byte-swapped magic", 0, spoil_magic_swapped, 0 },
	{ "version 0", 0, spoil_version0, 0 },
	{ "version 2", 1, spoil_version2, 0 },
	{ "IPv4 reserved", 0, spoil_reserved, 0 },
	{ "IPv6 reserved high bit", 1, spoil_reserved_high, 0 },
	{ "IPv4 port 0", 0, spoil_port, 0 },
	{ "IPv6 port 0", 1, spoil_port, 0 },
	{ "family AF_UNSPEC", 0, spoil_family0, 0 },
	{ "family AF_UNIX", 1, spoil_family_unix, 0 },
	{ "family 0xffff", 0, spoil_family_big, 0 },
	{ "IPv4 address tail byte 4", 0, spoil_tail4, 0 },
	{ "IPv4 address tail byte 15", 0, spoil_tail15, 0 },
	{ "IPv4 flowinfo", 0, spoil_flow, 0 },
	{ "IPv4 scope id", 0, spoil_scope, 0 },
};

START_TEST(test_request_decode)
{
	const struct decode_case *t = &decode_cases[_i];
	struct sockaddr_in sin = make_sin("10.1.2.3", 8080);
	struct sockaddr_in6 sin6 = make_sin6("2001:db8::5", 8080, 0, 0);
	struct ab_request req;
	struct sockaddr_storage ss;
	socklen_t len = 12345;
	int ret;

	if (t->v6)
		ck_assert_int_eq(ab_request_encode(&req, (struct sockaddr *)&sin6,
						   sizeof(sin6)), 0);
	else
		ck_assert_int_eq(ab_request_encode(&req, (struct sockaddr *)&sin,
						   sizeof(sin)), 0);
	t->spoil(&req);
	ret = ab_request_decode(&req, &ss, &len);
	ck_assert_msg(ret == (t->ok ? 0 : -1), "%s: decode returned %d", t->name, ret);
	if (t->ok)
		ck_assert_int_eq(len, t->v6 ? sizeof(sin6) : sizeof(sin));
}
END_TEST

/* ---- replies ---- */

struct reply_case {
	const char *name;
	int outcome;
	int error;
	int ok;
};

static const struct reply_case reply_cases[] = {
	{ "granted", AB_GRANTED, 0, 1 },
	{ "granted with an error", AB_GRANTED, EACCES, 0 },
	{ "granted with -1", AB_GRANTED, -1, 0 },
	{ "bind failed", AB_BIND_FAILED, EADDRINUSE, 1 },
	{ "bind failed, no error", AB_BIND_FAILED, 0, 0 },
	{ "denied", AB_DENIED, EACCES, 1 },
	{ "denied, no error", AB_DENIED, 0, 0 },
	{ "denied, negative error", AB_DENIED, -EACCES, 0 },
	{ "not privileged", AB_NOT_PRIVILEGED, EPERM, 1 },
	{ "bad socket", AB_BAD_SOCKET, ENOTSOCK, 1 },
	{ "bad request", AB_BAD_REQUEST, EINVAL, 1 },
	{ "errno 4095", AB_DENIED, 4095, 1 },
	{ "errno 4096", AB_DENIED, 4096, 0 },
	{ "errno INT32_MAX", AB_BAD_REQUEST, INT32_MAX, 0 },
	{ "outcome 0", 0, EACCES, 0 },
	{ "half in use", AB_HALF_IN_USE, EADDRINUSE, 1 },
	{ "failed", AB_FAILED, EACCES, 1 },
	{ "failed, no error", AB_FAILED, 0, 0 },
	{ "outcome after the last", AB_OUTCOME_LAST + 1, EACCES, 0 },
	{ "outcome 0xffff", 0xffff, EACCES, 0 },
};

START_TEST(test_reply_check)
{
	const struct reply_case *t = &reply_cases[_i];
	struct ab_reply rep;
	int ret;

	ab_reply_init(&rep, (enum ab_outcome)t->outcome, t->error, 3, "why");
	ck_assert_uint_eq(rep.magic, AB_PROTO_MAGIC);
	ck_assert_uint_eq(rep.version, AB_PROTO_VERSION);
	ck_assert_uint_eq(rep.outcome, (uint16_t)t->outcome);
	ck_assert_int_eq(rep.error, t->error);
	ck_assert_uint_eq(rep.detail, 3);
	ck_assert_str_eq(rep.text, "why");
	ret = ab_reply_check(&rep);
	ck_assert_msg(ret == (t->ok ? 0 : -1), "%s: check returned %d", t->name, ret);
}
END_TEST

START_TEST(test_reply_header)
{
	struct ab_reply rep;

	ab_reply_init(&rep, AB_DENIED, EACCES, 0, NULL);
	ck_assert_str_eq(rep.text, "");
	ck_assert_int_eq(ab_reply_check(&rep), 0);
	rep.magic ^= 0x100;
	ck_assert_int_eq(ab_reply_check(&rep), -1);
	ab_reply_init(&rep, AB_DENIED, EACCES, 0, NULL);
	rep.version = AB_PROTO_VERSION + 1;
	ck_assert_int_eq(ab_reply_check(&rep), -1);
	rep.version = 0;
	ck_assert_int_eq(ab_reply_check(&rep), -1);
}
END_TEST

START_TEST(test_reply_text)
{
	struct ab_reply rep;
	char longer[AB_REPLY_TEXT_MAX + 100];

	/* The longest text that fits goes whole; a longer one is cut where
	 * the reader sees it: it ends in "...". */
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	longer[AB_REPLY_TEXT_MAX - 1] = '\0';
	ab_reply_init(&rep, AB_DENIED, EACCES, 0, longer);
	ck_assert_int_eq(strlen(rep.text), AB_REPLY_TEXT_MAX - 1);
	ck_assert_str_eq(rep.text, longer);
	ck_assert_int_eq(ab_reply_check(&rep), 0);
	longer[AB_REPLY_TEXT_MAX - 1] = 'a';
	ab_reply_init(&rep, AB_DENIED, EACCES, 0, longer);
	ck_assert_int_eq(strlen(rep.text), AB_REPLY_TEXT_MAX - 1);
	ck_assert_str_eq(rep.text + AB_REPLY_TEXT_MAX - 4, "...");
	ck_assert_int_eq(memcmp(rep.text, longer, AB_REPLY_TEXT_MAX - 4), 0);
	ck_assert_int_eq(ab_reply_check(&rep), 0);

	/* A text without its NUL is refused, wherever it stops. */
	memset(rep.text, 'x', sizeof(rep.text));
	ck_assert_int_eq(ab_reply_check(&rep), -1);
	rep.text[sizeof(rep.text) - 1] = '\0';
	ck_assert_int_eq(ab_reply_check(&rep), 0);
	rep.text[sizeof(rep.text) - 1] = '\n';
	ck_assert_int_eq(ab_reply_check(&rep), -1);
}
END_TEST

START_TEST(test_reply_detail)
{
	struct ab_reply rep;

	ab_reply_init(&rep, AB_NOT_PRIVILEGED, EPERM, AB_UNPRIV_NOSUID, "nosuid");
	ck_assert_int_eq(ab_reply_check(&rep), 0);
	ck_assert_uint_eq(rep.detail, AB_UNPRIV_NOSUID);
	ck_assert_uint_eq(rep.outcome, AB_NOT_PRIVILEGED);
}
END_TEST

/* ---- addresses ---- */

struct parse_case {
	const char *text;
	size_t len;
	int family; /* 0: refused */
	const char *canonical; /* what inet_pton makes of it, for the bytes */
};

#define OK4(s) { s, sizeof(s) - 1, AF_INET, s }
#define OK6(s, c) { s, sizeof(s) - 1, AF_INET6, c }
#define NO(s) { s, sizeof(s) - 1, 0, NULL }

static const struct parse_case parse_cases[] = {
	OK4("0.0.0.0"),
	OK4("1.2.3.4"),
	OK4("255.255.255.255"),
	OK4("10.0.0.10"),
	OK6("::", "::"),
	OK6("::1", "::1"),
	OK6("2001:db8::1", "2001:db8::1"),
	OK6("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
	OK6("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
	OK6("FE80::ABCD", "fe80::abcd"),
	/* Parsing keeps a mapped address IPv6; only binds are judged. */
	OK6("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
	OK6("::1.2.3.4", "::1.2.3.4"),
	OK6("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
	NO(""),
	NO(" 1.2.3.4"),
	NO("1.2.3.4 "),
	NO("1.2.3.4\n"),
	NO("1. 2.3.4"),
	NO("01.2.3.4"),
	NO("1.2.3.04"),
	NO("1.2.3.00"),
	NO("1.2.3"),
	NO("1.2.3.4.5"),
	NO("1.2.3.256"),
	NO("0x1.2.3.4"),
	NO("16909060"),
	NO("1.2.3.4/8"),
	NO("-1.2.3.4"),
	NO("+1.2.3.4"),
	NO("1.2.3.4\0"),
	NO("1.2\0.3.4"),
	NO("fe80::1%1"),
	NO("fe80::1%eth0"),
	NO("[::1]"),
	NO(" ::1"),
	NO("::1 "),
	NO(":::"),
	NO("1:2:3:4:5:6:7:8:9"),
	NO("12345::"),
	NO("::g"),
	NO("::ffff:01.2.3.4"),
	/* Longer than any address can be. */
	NO("0000:0000:0000:0000:0000:0000:0000:0000:0000:0000"),
	NO("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2555"),
};

START_TEST(test_addr_parse)
{
	const struct parse_case *t = &parse_cases[_i];
	struct ab_addr a;
	uint8_t want[16];
	int ret;

	memset(&a, 0x5a, sizeof(a));
	ret = ab_addr_parse(&a, t->text, t->len);
	if (t->family == 0) {
		ck_assert_msg(ret == -1, "\"%s\" accepted", t->text);
		return;
	}
	ck_assert_msg(ret == 0, "\"%s\" refused", t->text);
	ck_assert_int_eq(a.family, t->family);
	ck_assert_uint_eq(a.scope_id, 0);
	ck_assert_int_eq(inet_pton(t->family, t->canonical, want), 1);
	ck_assert_mem_eq(a.bytes, want, ab_addr_size(t->family));
	if (t->family == AF_INET) {
		static const uint8_t zero[12];

		ck_assert_mem_eq(a.bytes + 4, zero, 12);
	}
}
END_TEST

/* Only text[0..len) is read. */
START_TEST(test_addr_parse_len)
{
	struct ab_addr a;
	char want[AB_ADDR_TEXT_MAX];

	ck_assert_int_eq(ab_addr_parse(&a, "1.2.3.45", 7), 0);
	ab_addr_format(&a, want);
	ck_assert_str_eq(want, "1.2.3.4");
	ck_assert_int_eq(ab_addr_parse(&a, "::1,80", 3), 0);
	ab_addr_format(&a, want);
	ck_assert_str_eq(want, "::1");
	ck_assert_int_eq(ab_addr_parse(&a, "1.2.3.4", 6), -1);
	ck_assert_int_eq(ab_addr_parse(&a, "1.2.3.4", 0), -1);
}
END_TEST

struct format_case {
	const char *addr;
	uint32_t scope_id;
	const char *text;
	const char *full;
};

static const struct format_case format_cases[] = {
	{ "1.2.3.4", 0, "1.2.3.4", "1.2.3.4" },
	{ "0.0.0.0", 0, "0.0.0.0", "0.0.0.0" },
	{ "255.255.255.255", 0, "255.255.255.255", "255.255.255.255" },
	{ "::", 0, "::", "0:0:0:0:0:0:0:0" },
	{ "::1", 0, "::1", "0:0:0:0:0:0:0:1" },
	{ "2001:db8::1", 0, "2001:db8::1", "2001:db8:0:0:0:0:0:1" },
	{ "2001:db8:0:1:0:0:0:1", 0, "2001:db8:0:1::1", "2001:db8:0:1:0:0:0:1" },
	{ "1:2:3:4:5:6:7:8", 0, "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0,
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
	{ "::ffff:1.2.3.4", 0, "::ffff:1.2.3.4", "0:0:0:0:0:ffff:102:304" },
	{ "fe80::1", 3, "fe80::1%3", "fe80:0:0:0:0:0:0:1" },
	{ "fe80::1", 4294967295u, "fe80::1%4294967295", "fe80:0:0:0:0:0:0:1" },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 4294967295u,
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295",
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
};

START_TEST(test_addr_format)
{
	const struct format_case *t = &format_cases[_i];
	struct ab_addr a;
	char out[AB_ADDR_TEXT_MAX + 8];

	ck_assert_int_eq(ab_addr_parse(&a, t->addr, strlen(t->addr)), 0);
	a.scope_id = t->scope_id;
	memset(out, '#', sizeof(out));
	ab_addr_format(&a, out);
	ck_assert_str_eq(out, t->text);
	ck_assert_int_eq(out[AB_ADDR_TEXT_MAX], '#');
	memset(out, '#', sizeof(out));
	ab_addr_format_full(&a, out);
	ck_assert_str_eq(out, t->full);
	ck_assert_int_eq(out[AB_ADDR_TEXT_MAX], '#');
}
END_TEST

START_TEST(test_addr_from_sockaddr)
{
	struct sockaddr_in sin = make_sin("192.0.2.1", 80);
	struct sockaddr_in6 sin6 = make_sin6("2001:db8::1", 80, 5, 9);
	struct sockaddr_in6 mapped = make_sin6("::ffff:192.0.2.1", 80, 0, 4);
	struct sockaddr_in6 compat = make_sin6("::192.0.2.1", 80, 0, 0);
	struct sockaddr_un sun;
	struct ab_addr a;
	char text[AB_ADDR_TEXT_MAX];

	ck_assert_int_eq(ab_addr_from_sockaddr(&a, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(a.family, AF_INET);
	ab_addr_format(&a, text);
	ck_assert_str_eq(text, "192.0.2.1");

	ck_assert_int_eq(ab_addr_from_sockaddr(&a, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	ck_assert_int_eq(a.family, AF_INET6);
	ck_assert_uint_eq(a.scope_id, 9);
	ab_addr_format(&a, text);
	ck_assert_str_eq(text, "2001:db8::1%9");

	/* Mapped: judged as IPv4, scope dropped. */
	ck_assert_int_eq(ab_addr_from_sockaddr(&a, (struct sockaddr *)&mapped,
					       sizeof(mapped)), 0);
	ck_assert_int_eq(a.family, AF_INET);
	ck_assert_uint_eq(a.scope_id, 0);
	ab_addr_format(&a, text);
	ck_assert_str_eq(text, "192.0.2.1");

	/* The old IPv4-compatible form is not mapped: it stays IPv6. */
	ck_assert_int_eq(ab_addr_from_sockaddr(&a, (struct sockaddr *)&compat,
					       sizeof(compat)), 0);
	ck_assert_int_eq(a.family, AF_INET6);

	ck_assert_int_eq(ab_addr_from_sockaddr(&a, (struct sockaddr *)&sin,
					       sizeof(sin) - 1), -1);
	ck_assert_int_eq(ab_addr_from_sockaddr(&a, (struct sockaddr *)&sin6,
					       sizeof(sin6) - 1), -1);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	ck_assert_int_eq(ab_addr_from_sockaddr(&a, (struct sockaddr *)&sun, sizeof(sun)), -1);
}
END_TEST

START_TEST(test_addr_is_any)
{
	struct sockaddr_in6 mapped_any = make_sin6("::ffff:0.0.0.0", 80, 0, 0);
	struct ab_addr a;

	ck_assert_int_eq(ab_addr_parse(&a, "0.0.0.0", 7), 0);
	ck_assert(ab_addr_is_any(&a));
	ck_assert_int_eq(ab_addr_parse(&a, "::", 2), 0);
	ck_assert(ab_addr_is_any(&a));
	ck_assert_int_eq(ab_addr_parse(&a, "0.0.0.1", 7), 0);
	ck_assert(!ab_addr_is_any(&a));
	ck_assert_int_eq(ab_addr_parse(&a, "::1", 3), 0);
	ck_assert(!ab_addr_is_any(&a));
	ck_assert_int_eq(ab_addr_parse(&a, "8000::", 6), 0);
	ck_assert(!ab_addr_is_any(&a));
	ck_assert_int_eq(ab_addr_from_sockaddr(&a, (struct sockaddr *)&mapped_any,
					       sizeof(mapped_any)), 0);
	ck_assert_int_eq(a.family, AF_INET);
	ck_assert(ab_addr_is_any(&a));
}
END_TEST

struct prefix_case {
	const char *a, *b;
	unsigned len;
	int equal;       /* ab_addr_prefix_equal(a, b, len) */
	int a_clear;     /* ab_addr_host_bits_clear(a, len) */
};

static const struct prefix_case prefix_cases[] = {
	{ "10.0.0.0", "10.255.255.255", 8, 1, 1 },
	{ "10.0.0.0", "10.255.255.255", 9, 0, 1 },
	{ "10.0.0.0", "11.0.0.0", 7, 1, 1 },
	{ "10.0.0.0", "11.0.0.0", 8, 0, 1 },
	{ "10.128.0.0", "10.255.0.0", 9, 1, 1 },
	{ "10.128.0.0", "10.255.0.0", 8, 1, 0 },
	{ "10.128.0.0", "10.127.0.0", 9, 0, 1 },
	{ "192.168.1.128", "192.168.1.255", 25, 1, 1 },
	{ "192.168.1.128", "192.168.1.255", 26, 0, 1 },
	{ "192.168.1.128", "192.168.1.255", 24, 1, 0 },
	{ "1.2.3.4", "200.1.1.1", 0, 1, 0 },
	{ "0.0.0.0", "255.255.255.255", 0, 1, 1 },
	{ "1.2.3.4", "1.2.3.4", 32, 1, 1 },
	{ "1.2.3.4", "1.2.3.5", 32, 0, 1 },
	{ "1.2.3.4", "1.2.3.5", 31, 1, 1 },
	{ "1.2.3.5", "1.2.3.4", 31, 1, 0 },
	{ "2001:db8::", "2001:db8:ffff::", 32, 1, 1 },
	{ "2001:db8::", "2001:db8:ffff::", 33, 0, 1 },
	{ "2001:db8::", "2001:db9::", 31, 1, 1 },
	{ "2001:db8::1", "2001:db8::1", 128, 1, 1 },
	{ "2001:db8::1", "2001:db8::", 127, 1, 0 },
	{ "2001:db8::1", "2001:db8::", 128, 0, 1 },
	{ "::", "ffff::", 0, 1, 1 },
	{ "fe80::", "febf::1", 10, 1, 1 },
	{ "fe80::", "fec0::", 10, 0, 1 },
	{ "fec0::", "fe80::", 9, 1, 0 },
};

START_TEST(test_addr_prefix)
{
	const struct prefix_case *t = &prefix_cases[_i];
	struct ab_addr a, b;

	ck_assert_int_eq(ab_addr_parse(&a, t->a, strlen(t->a)), 0);
	ck_assert_int_eq(ab_addr_parse(&b, t->b, strlen(t->b)), 0);
	ck_assert_msg(ab_addr_prefix_equal(&a, &b, t->len) == t->equal,
		      "%s and %s /%u: prefix_equal is not %d", t->a, t->b, t->len, t->equal);
	ck_assert_msg(ab_addr_prefix_equal(&b, &a, t->len) == t->equal,
		      "%s and %s /%u: prefix_equal not symmetric", t->a, t->b, t->len);
	ck_assert_msg(ab_addr_host_bits_clear(&a, t->len) == t->a_clear,
		      "%s /%u: host_bits_clear is not %d", t->a, t->len, t->a_clear);
}
END_TEST

START_TEST(test_addr_compare)
{
	static const char *const order4[] = { "0.0.0.0", "0.0.0.1", "0.0.1.0", "1.0.0.0",
					      "127.0.0.1", "255.255.255.255" };
	static const char *const order6[] = { "::", "::1", "::ffff:0.0.0.0", "1::",
					      "2001:db8::", "ffff::" };
	struct ab_addr a, b;
	size_t i, j;

	for (i = 0; i < 6; i++) {
		for (j = 0; j < 6; j++) {
			int c;

			ck_assert_int_eq(ab_addr_parse(&a, order4[i], strlen(order4[i])), 0);
			ck_assert_int_eq(ab_addr_parse(&b, order4[j], strlen(order4[j])), 0);
			c = ab_addr_compare(&a, &b);
			ck_assert_msg((c < 0) == (i < j) && (c == 0) == (i == j),
				      "%s vs %s: %d", order4[i], order4[j], c);
			ck_assert_int_eq(ab_addr_parse(&a, order6[i], strlen(order6[i])), 0);
			ck_assert_int_eq(ab_addr_parse(&b, order6[j], strlen(order6[j])), 0);
			c = ab_addr_compare(&a, &b);
			ck_assert_msg((c < 0) == (i < j) && (c == 0) == (i == j),
				      "%s vs %s: %d", order6[i], order6[j], c);
		}
	}
}
END_TEST

START_TEST(test_addr_size)
{
	ck_assert_uint_eq(ab_addr_size(AF_INET), 4);
	ck_assert_uint_eq(ab_addr_size(AF_INET6), 16);
}
END_TEST

#define COUNT(a) (int)(sizeof(a) / sizeof((a)[0]))

static Suite *proto_suite(void)
{
	Suite *s = suite_create("proto");
	TCase *tc;

	tc = tcase_create("request");
	tcase_add_test(tc, test_request_ipv4);
	tcase_add_test(tc, test_request_ipv6);
	tcase_add_test(tc, test_request_v4mapped);
	tcase_add_test(tc, test_request_long_len);
	tcase_add_loop_test(tc, test_request_encode_rejects, 0, COUNT(bad_encodes));
	tcase_add_test(tc, test_request_encode_null);
	tcase_add_loop_test(tc, test_request_decode, 0, COUNT(decode_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("reply");
	tcase_add_loop_test(tc, test_reply_check, 0, COUNT(reply_cases));
	tcase_add_test(tc, test_reply_header);
	tcase_add_test(tc, test_reply_text);
	tcase_add_test(tc, test_reply_detail);
	suite_add_tcase(s, tc);

	tc = tcase_create("addr");
	tcase_add_loop_test(tc, test_addr_parse, 0, COUNT(parse_cases));
	tcase_add_test(tc, test_addr_parse_len);
	tcase_add_loop_test(tc, test_addr_format, 0, COUNT(format_cases));
	tcase_add_test(tc, test_addr_from_sockaddr);
	tcase_add_test(tc, test_addr_is_any);
	tcase_add_loop_test(tc, test_addr_prefix, 0, COUNT(prefix_cases));
	tcase_add_test(tc, test_addr_compare);
	tcase_add_test(tc, test_addr_size);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(proto_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
