/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

size_t ab_addr_size(int family)
{
	return family == AF_INET ? 4 : 16;
}

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

int ab_addr_from_sockaddr(struct ab_addr *a, const struct sockaddr *sa,
			  socklen_t len)
{
	memset(a, 0, sizeof(*a));
	if (len >= (socklen_t)sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
		struct sockaddr_in sin;

		memcpy(&sin, sa, sizeof(sin));
		a->family = AF_INET;
		memcpy(a->bytes, &sin.sin_addr, 4);
		return 0;
	}
	if (len >= (socklen_t)sizeof(struct sockaddr_in6) && sa->sa_family == AF_INET6) {
		struct sockaddr_in6 sin6;

		memcpy(&sin6, sa, sizeof(sin6));
		a->family = AF_INET6;
		memcpy(a->bytes, &sin6.sin6_addr, 16);
		a->scope_id = sin6.sin6_scope_id;
		ab_addr_unmap(a);
		return 0;
	}
	return -1;
}

void ab_addr_unmap(struct ab_addr *a)
{
	if (a->family != AF_INET6 || memcmp(a->bytes, v4mapped_prefix, 12) != 0)
		return;
	memmove(a->bytes, a->bytes + 12, 4);
	memset(a->bytes + 4, 0, 12);
	a->family = AF_INET;
	a->scope_id = 0;
}

int ab_addr_is_any(const struct ab_addr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->bytes, zero, ab_addr_size(a->family)) == 0;
}

int ab_addr_parse(struct ab_addr *a, const char *text, size_t len)
{
	char buf[INET6_ADDRSTRLEN];

	memset(a, 0, sizeof(*a));
	if (len == 0 || len >= sizeof(buf) || memchr(text, '\0', len) != NULL)
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (memchr(buf, ':', len) == NULL) {
		a->family = AF_INET;
		return inet_pton(AF_INET, buf, a->bytes) == 1 ? 0 : -1;
	}
	a->family = AF_INET6;
	return inet_pton(AF_INET6, buf, a->bytes) == 1 ? 0 : -1;
}

void ab_addr_format(const struct ab_addr *a, char out[AB_ADDR_TEXT_MAX])
{
	size_t n;

	if (inet_ntop(a->family, a->bytes, out, INET6_ADDRSTRLEN) == NULL) {
		strcpy(out, "?");
		return;
	}
	n = strlen(out);
	if (a->family == AF_INET6 && a->scope_id != 0)
		snprintf(out + n, AB_ADDR_TEXT_MAX - n, "%%%u", (unsigned)a->scope_id);
}

void ab_addr_format_full(const struct ab_addr *a, char out[AB_ADDR_TEXT_MAX])
{
	const uint8_t *b = a->bytes;

	if (a->family != AF_INET6) {
		ab_addr_format(a, out);
		return;
	}
	snprintf(out, AB_ADDR_TEXT_MAX, "%x:%x:%x:%x:%x:%x:%x:%x",
		 b[0] << 8 | b[1], b[2] << 8 | b[3], b[4] << 8 | b[5],
		 b[6] << 8 | b[7], b[8] << 8 | b[9], b[10] << 8 | b[11],
		 b[12] << 8 | b[13], b[14] << 8 | b[15]);
}

void ab_endpoint_format(const struct ab_addr *a, unsigned port,
			char out[AB_ENDPOINT_TEXT_MAX])
{
	char host[AB_ADDR_TEXT_MAX];

	ab_addr_format(a, host);
	snprintf(out, AB_ENDPOINT_TEXT_MAX, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 host, port);
}

const char *ab_proto_name(int proto)
{
	return proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" : "?";
}

int ab_addr_compare(const struct ab_addr *a, const struct ab_addr *b)
{
	return memcmp(a->bytes, b->bytes, ab_addr_size(a->family));
}

int ab_addr_prefix_equal(const struct ab_addr *a, const struct ab_addr *b,
			 unsigned prefix_len)
{
	unsigned whole = prefix_len / 8, rest = prefix_len % 8;
	uint8_t mask;

	if (memcmp(a->bytes, b->bytes, whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a->bytes[whole] & mask) == (b->bytes[whole] & mask);
}

int ab_addr_host_bits_clear(const struct ab_addr *a, unsigned prefix_len)
{
	size_t size = ab_addr_size(a->family);
	unsigned whole = prefix_len / 8, rest = prefix_len % 8;
	size_t i;

	if (rest != 0) {
		if (a->bytes[whole] & (uint8_t)(0xff >> rest))
			return 0;
		whole++;
	}
	for (i = whole; i < size; i++)
		if (a->bytes[i] != 0)
			return 0;
	return 1;
}
