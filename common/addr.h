/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Addresses as the policy sees them: a family and the address bytes in
 * network order.  An IPv4-mapped IPv6 address is judged as the IPv4
 * address it is.
 */
#ifndef AUTHBIND_ADDR_H
#define AUTHBIND_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct ab_addr {
	int family;         /* AF_INET or AF_INET6 */
	uint8_t bytes[16];  /* 4 bytes used for AF_INET */
	uint32_t scope_id;  /* AF_INET6 link-local scope, else 0 */
};

/* Longest text ab_addr_format writes, with its NUL: an IPv6 address,
 * '%' and a 10-digit scope id. */
#define AB_ADDR_TEXT_MAX 58
/* Longest text ab_endpoint_format writes, with its NUL: "[ADDR%SCOPE]:65535". */
#define AB_ENDPOINT_TEXT_MAX (AB_ADDR_TEXT_MAX + 8)

/* Number of address bytes for the family: 4 or 16. */
size_t ab_addr_size(int family);

/* Fills a from a bound-to sockaddr, turning ::ffff:a.b.c.d into IPv4.
 * Returns 0, or -1 for another family or a short length. */
int ab_addr_from_sockaddr(struct ab_addr *a, const struct sockaddr *sa,
			  socklen_t len);

/* Turns an IPv4-mapped IPv6 address (::ffff:a.b.c.d) into the IPv4
 * address it is; any other address is left as it is. */
void ab_addr_unmap(struct ab_addr *a);

/* True for 0.0.0.0 and ::. */
int ab_addr_is_any(const struct ab_addr *a);

/*
 * Parses a numeric IPv4 or IPv6 address, strictly: the whole of
 * text[0..len) must be the address (no spaces, no scope, no leading
 * zeros that inet_pton would refuse).  Returns 0 or -1.
 */
int ab_addr_parse(struct ab_addr *a, const char *text, size_t len);

/* Writes the address as inet_ntop does (with "%scope" when set). */
void ab_addr_format(const struct ab_addr *a, char out[AB_ADDR_TEXT_MAX]);

/* Writes an IPv6 address as eight groups of hex without leading zeros
 * ("0:0:0:0:0:0:0:1"), the second byaddr spelling authbind uses. */
void ab_addr_format_full(const struct ab_addr *a, char out[AB_ADDR_TEXT_MAX]);

/* Writes "ADDR:PORT" for IPv4 and "[ADDR]:PORT" for IPv6, the address as
 * ab_addr_format writes it. */
void ab_endpoint_format(const struct ab_addr *a, unsigned port,
			char out[AB_ENDPOINT_TEXT_MAX]);

/* "tcp" for IPPROTO_TCP, "udp" for IPPROTO_UDP, "?" for anything else. */
const char *ab_proto_name(int proto);

/* memcmp-style order of two addresses of the same family. */
int ab_addr_compare(const struct ab_addr *a, const struct ab_addr *b);

/* True when the first prefix_len bits of a and b are equal. */
int ab_addr_prefix_equal(const struct ab_addr *a, const struct ab_addr *b,
			 unsigned prefix_len);

/* True when a has no bit set past its first prefix_len bits. */
int ab_addr_host_bits_clear(const struct ab_addr *a, unsigned prefix_len);

#endif
