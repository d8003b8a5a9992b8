/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the address helpers the policy is built on.
 *
 * The input is read as address text for ab_addr_parse (which must agree
 * with inet_pton and read back from its own ab_addr_format output), as a
 * sockaddr of the input's length for ab_addr_from_sockaddr (from a heap
 * buffer of exactly that length, so that a read past it is caught), and
 * as two addresses and a prefix length for the prefix helpers, which are
 * checked bit by bit.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "fuzz.h"

static void check_same_addr(const struct ab_addr *a, const struct ab_addr *b)
{
	FUZZ_CHECK(a->family == b->family);
	FUZZ_CHECK(a->scope_id == b->scope_id);
	FUZZ_CHECK(memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0);
}

static void check_parse(const uint8_t *data, size_t n)
{
	const char *text = (const char *)data;
	char buf[64], out[AB_ADDR_TEXT_MAX];
	uint8_t bytes[16];
	struct ab_addr a, again;
	size_t i;
	int family;

	if (ab_addr_parse(&a, text, n) != 0)
		return;
	FUZZ_CHECK(n > 0 && n < INET6_ADDRSTRLEN);
	for (i = 0; i < n; i++) {
		char c = text[i];

		FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			   (c >= 'A' && c <= 'F') || c == '.' || c == ':');
	}
	memcpy(buf, text, n);
	buf[n] = '\0';
	family = memchr(buf, ':', n) != NULL ? AF_INET6 : AF_INET;
	FUZZ_CHECK(a.family == family);
	FUZZ_CHECK(a.scope_id == 0);
	FUZZ_CHECK(inet_pton(family, buf, bytes) == 1);
	FUZZ_CHECK(memcmp(bytes, a.bytes, ab_addr_size(family)) == 0);
	if (family == AF_INET) {
		static const uint8_t zero[12];

		FUZZ_CHECK(memcmp(a.bytes + 4, zero, sizeof(zero)) == 0);
	}

	ab_addr_format(&a, out);
	FUZZ_CHECK(strlen(out) < INET6_ADDRSTRLEN);
	FUZZ_CHECK(ab_addr_parse(&again, out, strlen(out)) == 0);
	check_same_addr(&a, &again);
	ab_addr_format_full(&a, out);
	FUZZ_CHECK(ab_addr_parse(&again, out, strlen(out)) == 0);
	check_same_addr(&a, &again);
	if (family == AF_INET6)
		FUZZ_CHECK(strlen(out) >= 15 && strstr(out, "::") == NULL);

	/* With a scope the text grows by "%ID" and still fits. */
	a.scope_id = 0xffffffffu;
	ab_addr_format(&a, out);
	FUZZ_CHECK(strlen(out) < AB_ADDR_TEXT_MAX);
	FUZZ_CHECK(family == AF_INET || strstr(out, "%4294967295") != NULL);
}

static void check_from_sockaddr(const uint8_t *data, size_t n)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	uint8_t *p = malloc(n > 0 ? n : 1);
	struct ab_addr a;
	sa_family_t family;

	FUZZ_CHECK(p != NULL);
	if (n > 0)
		memcpy(p, data, n);
	if (ab_addr_from_sockaddr(&a, (const struct sockaddr *)p, (socklen_t)n) != 0) {
		free(p);
		return;
	}
	FUZZ_CHECK(n >= sizeof(family));
	memcpy(&family, p, sizeof(family));
	if (family == AF_INET) {
		struct sockaddr_in sin;

		FUZZ_CHECK(n >= sizeof(sin));
		memcpy(&sin, p, sizeof(sin));
		FUZZ_CHECK(a.family == AF_INET && a.scope_id == 0);
		FUZZ_CHECK(memcmp(a.bytes, &sin.sin_addr, 4) == 0);
	} else {
		struct sockaddr_in6 sin6;

		FUZZ_CHECK(family == AF_INET6);
		FUZZ_CHECK(n >= sizeof(sin6));
		memcpy(&sin6, p, sizeof(sin6));
		if (memcmp(&sin6.sin6_addr, mapped, sizeof(mapped)) == 0) {
			/* Judged as the IPv4 address it is. */
			FUZZ_CHECK(a.family == AF_INET && a.scope_id == 0);
			FUZZ_CHECK(memcmp(a.bytes, (const uint8_t *)&sin6.sin6_addr + 12, 4) == 0);
		} else {
			FUZZ_CHECK(a.family == AF_INET6);
			FUZZ_CHECK(a.scope_id == sin6.sin6_scope_id);
			FUZZ_CHECK(memcmp(a.bytes, &sin6.sin6_addr, 16) == 0);
		}
	}
	FUZZ_CHECK(ab_addr_is_any(&a) ==
		   (memcmp(a.bytes, (const uint8_t[16]){ 0 }, ab_addr_size(a.family)) == 0));
	free(p);
}

static int bit_of(const struct ab_addr *a, unsigned bit)
{
	return (a->bytes[bit / 8] >> (7 - bit % 8)) & 1;
}

/* Two addresses of one family and a prefix length within it, from the
 * input bytes taken round and round. */
static void check_prefix(const uint8_t *data, size_t n)
{
	struct ab_addr a, b;
	unsigned bits, prefix, bit;
	int equal = 1, clear = 1;
	size_t i;

	if (n == 0)
		return;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.family = b.family = data[0] & 1 ? AF_INET6 : AF_INET;
	bits = (unsigned)ab_addr_size(a.family) * 8;
	prefix = data[0] % (bits + 1);
	for (i = 0; i < bits / 8; i++) {
		a.bytes[i] = data[(1 + i) % n];
		b.bytes[i] = data[(1 + i + bits / 8) % n];
	}
	for (bit = 0; bit < bits; bit++) {
		if (bit < prefix && bit_of(&a, bit) != bit_of(&b, bit))
			equal = 0;
		if (bit >= prefix && bit_of(&a, bit))
			clear = 0;
	}
	FUZZ_CHECK(ab_addr_prefix_equal(&a, &b, prefix) == equal);
	FUZZ_CHECK(ab_addr_host_bits_clear(&a, prefix) == clear);
	FUZZ_CHECK(ab_addr_prefix_equal(&a, &a, prefix));
	FUZZ_CHECK(ab_addr_host_bits_clear(&a, bits));
	FUZZ_CHECK((ab_addr_compare(&a, &b) < 0) ==
		   (memcmp(a.bytes, b.bytes, bits / 8) < 0));
	FUZZ_CHECK((ab_addr_compare(&a, &b) == 0) ==
		   (memcmp(a.bytes, b.bytes, bits / 8) == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_parse(data, size);
	check_from_sockaddr(data, size);
	check_prefix(data, size);
	return 0;
}
