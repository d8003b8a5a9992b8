/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the rule line parser (byuid and bygid files) and the rule file
 * reader.
 *
 * The input is a rule file.  Each line goes through ab_rule_parse, the
 * whole input through ab_rule_file_scan on a memfd and in short reads, and
 * the input as a single "line" through ab_rule_parse as well.  Every line
 * taken as a rule must obey the strictness rules of authbind(5); its
 * protocol, addresses and ports must be what its text spells, read again
 * independently (inet_pton, a range in ::ffff:0:0/96 as IPv4, "*" as every
 * address); it must match exactly the addresses, ports and protocols it
 * covers; written out again it must parse to the same rule.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "policy.h"

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The decimal value of text[0..len), saturated above 65535 so that no
 * number of digits can wrap it; *ok says whether it was all digits. */
static unsigned long decimal(const char *text, size_t len, int *ok)
{
	unsigned long v = 0;
	size_t i;

	*ok = len > 0;
	for (i = 0; i < len; i++) {
		if (!is_digit(text[i])) {
			*ok = 0;
			return 0;
		}
		if (v <= 100000)
			v = v * 10 + (unsigned long)(text[i] - '0');
	}
	return v;
}

static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

static int is_v4mapped(const struct ab_addr *a)
{
	return a->family == AF_INET6 && memcmp(a->bytes, v4mapped, 12) == 0;
}

static int addr_bit(const struct ab_addr *a, unsigned bit)
{
	return (a->bytes[bit / 8] >> (7 - bit % 8)) & 1;
}

/* The fields of a rule, whatever text it came from. */
static void check_rule_fields(const struct ab_rule *r)
{
	static const uint8_t zero[16];
	size_t size;

	FUZZ_CHECK(r->proto == 0 || r->proto == IPPROTO_TCP || r->proto == IPPROTO_UDP);
	FUZZ_CHECK(r->lo.family == AF_INET || r->lo.family == AF_INET6 ||
		   r->lo.family == AF_UNSPEC);
	FUZZ_CHECK(r->lo.family == r->hi.family);
	FUZZ_CHECK(r->lo.scope_id == 0 && r->hi.scope_id == 0);
	size = r->lo.family == AF_UNSPEC ? 0 : ab_addr_size(r->lo.family);
	FUZZ_CHECK(memcmp(r->lo.bytes + size, zero, sizeof(zero) - size) == 0);
	FUZZ_CHECK(memcmp(r->hi.bytes + size, zero, sizeof(zero) - size) == 0);
	FUZZ_CHECK(memcmp(r->lo.bytes, r->hi.bytes, size) <= 0);
	/* A range wholly inside ::ffff:0:0/96 is an IPv4 range. */
	FUZZ_CHECK(!(is_v4mapped(&r->lo) && is_v4mapped(&r->hi)));
	FUZZ_CHECK(r->port_lo >= 1);
	FUZZ_CHECK(r->port_lo <= r->port_hi);
}

/* An address as inet_pton reads it, independently of addr.c. */
static void read_addr(struct ab_addr *a, const char *text, size_t len)
{
	char buf[64];

	memset(a, 0, sizeof(*a));
	FUZZ_CHECK(len > 0 && len < sizeof(buf));
	memcpy(buf, text, len);
	buf[len] = '\0';
	a->family = memchr(buf, ':', len) != NULL ? AF_INET6 : AF_INET;
	FUZZ_CHECK(inet_pton(a->family, buf, a->bytes) == 1);
}

/* The address range the text before the ports spells, read again. */
static void check_addr_range(const struct ab_rule *r, const char *text, size_t len)
{
	const char *slash = memchr(text, '/', len), *dash = memchr(text, '-', len);
	struct ab_addr lo, hi;
	int ok;

	if (len == 1 && text[0] == '*') {
		memset(&lo, 0, sizeof(lo));
		lo.family = AF_UNSPEC;
		hi = lo;
	} else if (slash != NULL) {
		unsigned long prefix = decimal(slash + 1, (size_t)(text + len - slash - 1), &ok);
		unsigned bits, bit;

		FUZZ_CHECK(dash == NULL);
		read_addr(&lo, text, (size_t)(slash - text));
		bits = (unsigned)ab_addr_size(lo.family) * 8;
		FUZZ_CHECK(ok && prefix <= bits);
		hi = lo;
		for (bit = (unsigned)prefix; bit < bits; bit++) {
			FUZZ_CHECK(addr_bit(&lo, bit) == 0);
			hi.bytes[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
		}
	} else if (dash != NULL) {
		read_addr(&lo, text, (size_t)(dash - text));
		read_addr(&hi, dash + 1, (size_t)(text + len - dash - 1));
	} else {
		read_addr(&lo, text, len);
		hi = lo;
	}
	if (is_v4mapped(&lo) && is_v4mapped(&hi)) {
		memmove(lo.bytes, lo.bytes + 12, 4);
		memset(lo.bytes + 4, 0, 12);
		lo.family = AF_INET;
		memmove(hi.bytes, hi.bytes + 12, 4);
		memset(hi.bytes + 4, 0, 12);
		hi.family = AF_INET;
	}
	FUZZ_CHECK(memcmp(&lo, &r->lo, sizeof(lo)) == 0);
	FUZZ_CHECK(memcmp(&hi, &r->hi, sizeof(hi)) == 0);
}

/*
 * The text of a line parsed as a rule: the strictness rules, and the
 * protocol, addresses and ports it spells are the rule's.
 */
static void check_rule_text(const char *line, size_t len, const struct ab_rule *r)
{
	const char *body, *end, *colon, *comma, *end_addr, *ports, *dash, *p;
	size_t spaces = 0;
	int proto, old_form, ok;
	unsigned long v;

	FUZZ_CHECK(len >= 1 && len <= AB_LINE_MAX);
	FUZZ_CHECK(memchr(line, '\r', len) == NULL);
	FUZZ_CHECK(memchr(line, '\0', len) == NULL);
	FUZZ_CHECK(memchr(line, '\n', len) == NULL);
	FUZZ_CHECK(memchr(line, '\t', len) == NULL);
	FUZZ_CHECK(memchr(line, '+', len) == NULL);
	FUZZ_CHECK(memmem(line, len, "0x", 2) == NULL);
	FUZZ_CHECK(memmem(line, len, "0X", 2) == NULL);
	FUZZ_CHECK(line[0] != ' ' && is_digit(line[len - 1]));

	/* An optional "tcp " or "udp ", then no letter but hex digits. */
	proto = 0;
	body = line;
	if (len > 4 && memcmp(line, "tcp ", 4) == 0)
		proto = IPPROTO_TCP;
	if (len > 4 && memcmp(line, "udp ", 4) == 0)
		proto = IPPROTO_UDP;
	if (proto != 0)
		body = line + 4;
	FUZZ_CHECK(r->proto == proto);
	end = line + len;
	for (p = body; p < end; p++) {
		char c = *p;

		FUZZ_CHECK(is_digit(c) || (c >= 'a' && c <= 'f') ||
			   (c >= 'A' && c <= 'F') || c == '.' || c == ':' ||
			   c == '/' || c == '-' || c == ',' || c == ' ' || c == '*');
		if (c == ' ')
			spaces++;
	}
	FUZZ_CHECK(body[0] != ' ');

	/* The old form "A.B.C.D[/LEN]:MIN,MAX": a dot before the first colon,
	 * which no IPv6 address has; everything else is "ADDRS,PORTS". */
	colon = memchr(body, ':', (size_t)(end - body));
	old_form = colon != NULL && memchr(body, '.', (size_t)(colon - body)) != NULL;
	comma = memrchr(body, ',', (size_t)(end - body));
	FUZZ_CHECK(comma != NULL);
	if (old_form) {
		FUZZ_CHECK(r->lo.family == AF_INET);
		end_addr = colon;
		ports = colon + 1;
		if (*ports == ' ')
			ports++;
		FUZZ_CHECK(memchr(body, '-', (size_t)(end - body)) == NULL);
		v = decimal(ports, (size_t)(comma - ports), &ok);
		FUZZ_CHECK(ok && v == r->port_lo);
		v = decimal(comma + 1, (size_t)(end - comma - 1), &ok);
		FUZZ_CHECK(ok && v == r->port_hi);
	} else {
		end_addr = comma;
		ports = comma + 1;
		dash = memchr(ports, '-', (size_t)(end - ports));
		if (dash == NULL) {
			v = decimal(ports, (size_t)(end - ports), &ok);
			FUZZ_CHECK(ok && v == r->port_lo && v == r->port_hi);
		} else {
			v = decimal(ports, (size_t)(dash - ports), &ok);
			FUZZ_CHECK(ok && v == r->port_lo);
			v = decimal(dash + 1, (size_t)(end - dash - 1), &ok);
			FUZZ_CHECK(ok && v == r->port_hi);
		}
	}
	/* One space at most, and only straight after the old form's colon. */
	FUZZ_CHECK(spaces == 0 || (spaces == 1 && old_form && ports[-1] == ' ' &&
				   ports[-2] == ':'));
	/* '*' only as the whole address. */
	FUZZ_CHECK(memchr(body, '*', (size_t)(end - body)) == NULL ||
		   (end_addr == body + 1 && body[0] == '*' && !old_form));
	FUZZ_CHECK((r->lo.family == AF_UNSPEC) == (body[0] == '*'));
	check_addr_range(r, body, (size_t)(end_addr - body));
}

/* a + delta (+1 or -1) as a big-endian number; 0 when it wraps. */
static int addr_step(struct ab_addr *a, int delta)
{
	size_t i = ab_addr_size(a->family);

	while (i-- > 0) {
		if (delta > 0 && a->bytes[i]++ != 0xff)
			return 1;
		if (delta < 0 && a->bytes[i]-- != 0x00)
			return 1;
	}
	return 0;
}

static int expect_match(const struct ab_rule *r, const struct ab_addr *a,
			unsigned long port, int proto)
{
	size_t size = ab_addr_size(r->lo.family);

	if ((r->proto != 0 && r->proto != proto) || port < r->port_lo ||
	    port > r->port_hi)
		return 0;
	if (r->lo.family == AF_UNSPEC)
		return 1;
	return a->family == r->lo.family && memcmp(r->lo.bytes, a->bytes, size) <= 0 &&
	       memcmp(a->bytes, r->hi.bytes, size) <= 0;
}

/* The rule against an address at ports around its range, both protocols. */
static void check_probe(const struct ab_rule *r, const struct ab_addr *a)
{
	static const int protos[2] = { IPPROTO_TCP, IPPROTO_UDP };
	unsigned long ports[6];
	size_t i, j;

	ports[0] = r->port_lo;
	ports[1] = r->port_hi;
	ports[2] = r->port_lo - 1UL;
	ports[3] = r->port_hi + 1UL;
	ports[4] = 1;
	ports[5] = 65535;
	for (i = 0; i < 6; i++) {
		if (ports[i] < 1 || ports[i] > 65535)
			continue;
		for (j = 0; j < 2; j++)
			FUZZ_CHECK(ab_rule_matches(r, a, (uint16_t)ports[i], protos[j]) ==
				   expect_match(r, a, ports[i], protos[j]));
	}
}

/* What the rule matches: its bounds, one past them, addresses from the
 * input, and the same bytes in the other family. */
static void check_rule_matches(const struct ab_rule *r, const uint8_t *data,
			       size_t size)
{
	static const int families[2] = { AF_INET, AF_INET6 };
	int proto = r->proto != 0 ? r->proto : IPPROTO_TCP;
	int other = proto == IPPROTO_TCP ? IPPROTO_UDP : IPPROTO_TCP;
	struct ab_addr a;
	size_t i, f;

	for (f = 0; f < 2; f++) {
		memset(&a, 0, sizeof(a));
		a.family = families[f];
		for (i = 0; i < size && i < 32; i++)
			a.bytes[i % ab_addr_size(a.family)] ^= data[i];
		check_probe(r, &a);
		if (r->lo.family == AF_UNSPEC) {
			FUZZ_CHECK(ab_rule_matches(r, &a, r->port_lo, proto));
			FUZZ_CHECK(ab_rule_matches(r, &a, r->port_hi, proto));
			FUZZ_CHECK(ab_rule_matches(r, &a, r->port_hi, other) ==
				   (r->proto == 0));
		}
	}
	if (r->lo.family == AF_UNSPEC)
		return;

	FUZZ_CHECK(ab_rule_matches(r, &r->lo, r->port_lo, proto));
	FUZZ_CHECK(ab_rule_matches(r, &r->hi, r->port_hi, proto));
	FUZZ_CHECK(ab_rule_matches(r, &r->lo, r->port_hi, proto));
	FUZZ_CHECK(ab_rule_matches(r, &r->lo, r->port_lo, other) == (r->proto == 0));
	check_probe(r, &r->lo);
	check_probe(r, &r->hi);
	a = r->lo;
	if (addr_step(&a, -1)) {
		FUZZ_CHECK(!ab_rule_matches(r, &a, r->port_lo, proto));
		check_probe(r, &a);
	}
	a = r->hi;
	if (addr_step(&a, +1)) {
		FUZZ_CHECK(!ab_rule_matches(r, &a, r->port_lo, proto));
		check_probe(r, &a);
	}
	a = r->lo;
	a.family = a.family == AF_INET ? AF_INET6 : AF_INET;
	check_probe(r, &a);
	FUZZ_CHECK(!ab_rule_matches(r, &a, r->port_lo, proto));
}

/* The rule written out, by ab_rule_format and in the range form, reads
 * back as itself. */
static void check_rule_round_trip(const struct ab_rule *r)
{
	char lo[AB_ADDR_TEXT_MAX], hi[AB_ADDR_TEXT_MAX], line[2 * AB_ADDR_TEXT_MAX + 32];
	const char *proto = r->proto == IPPROTO_TCP ? "tcp " :
			    r->proto == IPPROTO_UDP ? "udp " : "";
	struct ab_rule again;
	int n;

	n = ab_rule_format(r, line, sizeof(line));
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(line));
	FUZZ_CHECK(ab_rule_parse(&again, line, (size_t)n) == AB_LINE_RULE);
	FUZZ_CHECK(memcmp(&again, r, sizeof(again)) == 0);

	if (r->lo.family == AF_UNSPEC) {
		n = snprintf(line, sizeof(line), "%s*,%u-%u", proto,
			     (unsigned)r->port_lo, (unsigned)r->port_hi);
	} else {
		ab_addr_format(&r->lo, lo);
		ab_addr_format(&r->hi, hi);
		n = snprintf(line, sizeof(line), "%s%s-%s,%u-%u", proto, lo, hi,
			     (unsigned)r->port_lo, (unsigned)r->port_hi);
	}
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(line));
	FUZZ_CHECK(ab_rule_parse(&again, line, (size_t)n) == AB_LINE_RULE);
	FUZZ_CHECK(memcmp(&again, r, sizeof(again)) == 0);
}

static enum ab_line_kind parse_and_check(struct ab_rule *r, const char *line,
					 size_t len, const uint8_t *data,
					 size_t size)
{
	enum ab_line_kind kind = ab_rule_parse(r, line, len);

	FUZZ_CHECK(kind == AB_LINE_RULE || kind == AB_LINE_BLANK ||
		   kind == AB_LINE_MALFORMED);
	if (kind == AB_LINE_RULE) {
		check_rule_fields(r);
		check_rule_text(line, len, r);
		check_rule_matches(r, data, size);
		check_rule_round_trip(r);
	}
	return kind;
}

/* The reader against a plain split of the same bytes on '\n'. */
struct scan_state {
	const uint8_t *data;
	size_t size;
	size_t next;      /* offset of the next line */
	unsigned lineno;  /* its number */
	unsigned stop_at; /* the line whose callback stops the scan, or 0 */
	int deep;         /* check each rule in full, not only its equality */
};

#define SCAN_STOPPED 7

static int check_scanned_line(void *ctx, unsigned lineno, enum ab_line_kind kind,
			      const struct ab_rule *rule, const char *text, size_t len)
{
	struct scan_state *s = ctx;
	const uint8_t *start = s->data + s->next, *nl;
	size_t line_len;
	struct ab_rule expect;
	enum ab_line_kind expect_kind;

	FUZZ_CHECK(lineno == s->lineno);
	FUZZ_CHECK(s->next <= s->size);
	nl = memchr(start, '\n', s->size - s->next);
	line_len = nl != NULL ? (size_t)(nl - start) : s->size - s->next;
	/* A last line without its newline is still a line, but an empty
	 * one after the final newline is not. */
	FUZZ_CHECK(nl != NULL || line_len > 0);
	FUZZ_CHECK(len == (line_len <= AB_LINE_MAX ? line_len : AB_LINE_MAX + 1));
	FUZZ_CHECK(memcmp(text, start, len) == 0);
	if (line_len > AB_LINE_MAX) {
		/* Too long: malformed, unless it is a comment. */
		size_t k = 0;

		while (k < line_len && (start[k] == ' ' || start[k] == '\t'))
			k++;
		expect_kind = k < line_len && start[k] == '#' ? AB_LINE_BLANK
							      : AB_LINE_MALFORMED;
	}
	else if (s->deep)
		expect_kind = parse_and_check(&expect, (const char *)start,
					      line_len, s->data, s->size);
	else
		expect_kind = ab_rule_parse(&expect, (const char *)start, line_len);
	FUZZ_CHECK(kind == expect_kind);
	if (kind == AB_LINE_RULE) {
		FUZZ_CHECK(rule != NULL);
		FUZZ_CHECK(memcmp(rule, &expect, sizeof(expect)) == 0);
	} else {
		FUZZ_CHECK(rule == NULL);
	}
	s->next += line_len + 1;
	s->lineno++;
	return lineno == s->stop_at ? SCAN_STOPPED : 0;
}

/* A memfd holding the input, as a rule file on disk reads. */
static int open_memfd(const uint8_t *data, size_t size)
{
	size_t done = 0;
	int fd = memfd_create("fuzz_rule", MFD_CLOEXEC);

	FUZZ_CHECK(fd >= 0);
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		FUZZ_CHECK(n > 0);
		done += (size_t)n;
	}
	FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

/*
 * A socket whose every read returns one record of a length the input
 * picks, so that lines split across reads anywhere, as they do at the
 * 4096-byte blocks of a large file, without the inputs being that large.
 * Records stay under the reader's block (a longer one would be cut) and
 * few enough to fit the socket buffer; -1 if they do not fit after all.
 */
#define CHUNKED_MAX 16384
#define CHUNK_RECORDS 64

static int open_chunked(const uint8_t *data, size_t size)
{
	size_t done = 0, records = 0;
	int sv[2];

	FUZZ_CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
	while (done < size) {
		size_t chunk = size - done;
		ssize_t n;

		if (records < CHUNK_RECORDS)
			chunk = 1 + data[(records * 7) % size] % 300u;
		if (chunk > size - done)
			chunk = size - done;
		if (chunk > 4096)
			chunk = 4096;
		n = send(sv[1], data + done, chunk, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
			close(sv[0]);
			close(sv[1]);
			return -1;
		}
		FUZZ_CHECK(n == (ssize_t)chunk);
		done += chunk;
		records++;
	}
	close(sv[1]);
	return sv[0];
}

static void check_scan(const uint8_t *data, size_t size, int fd, unsigned stop_at)
{
	struct scan_state s = { data, size, 0, 1, stop_at, stop_at == 0 };
	int ret;

	if (fd < 0)
		return;
	ret = ab_rule_file_scan(fd, check_scanned_line, &s);
	close(fd);
	if (stop_at != 0 && s.lineno > stop_at) {
		FUZZ_CHECK(ret == SCAN_STOPPED);
		FUZZ_CHECK(s.lineno == stop_at + 1);
	} else {
		/* Every line was handed out, the last one included. */
		FUZZ_CHECK(ret == 0);
		FUZZ_CHECK(s.next >= size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ab_rule r;
	unsigned stop_at;

	/* The same bytes through the file reader: from a file to the end,
	 * every line checked in full; then in short reads, stopped by the
	 * callback at a line the input picks. */
	if (size <= AB_RULE_FILE_MAX)
		check_scan(data, size, open_memfd(data, size), 0);
	if (size <= CHUNKED_MAX) {
		stop_at = size > 0 ? 1u + data[size - 1] % 8u : 1u;
		check_scan(data, size, open_chunked(data, size), stop_at);
	}

	/* The whole input as one line: newlines, NULs and all. */
	if (parse_and_check(&r, (const char *)data, size, data, size) == AB_LINE_RULE)
		FUZZ_CHECK(size <= AB_LINE_MAX);
	return 0;
}
