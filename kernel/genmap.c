/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Filling one generation's LPM trie (see authbind_bpf.h for its layout).
 *
 * An address range becomes the fewest address prefixes that cover it
 * exactly; a port range of a region that covers every address of its
 * family becomes port prefixes (the port is stored in network order, so
 * a prefix of its bits is a range of ports); any other region is entered
 * once per port, for the ports that are privileged now.  The regions are
 * disjoint, so every bind matches at most one grant entry, and every
 * entry is added with BPF_NOEXIST: an overlap is a bug, and refuses the
 * whole generation.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "authbind_bpf.h"
#include "genmap.h"

typedef unsigned __int128 u128;

int ab_genmap_create(struct ab_genmap *g, uint32_t gen, size_t max_entries)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);

	memset(g, 0, sizeof(*g));
	g->generation = gen;
	g->max_entries = max_entries;
	/* The program's inner-map template fixes these: same sizes, flags
	 * and maximum, or the swap is refused. */
	g->fd = bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, "authbind_gen", sizeof(struct ab_kkey),
			       sizeof(struct ab_kval), AB_K_MAX_ENTRIES, &opts);
	return g->fd < 0 ? -1 : 0;
}

void ab_genmap_close(struct ab_genmap *g)
{
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
}

static int put(struct ab_genmap *g, const struct ab_kkey *k, const struct ab_kval *v)
{
	if (g->entries >= g->max_entries) {
		g->full = 1;
		errno = E2BIG;
		return -1;
	}
	if (bpf_map_update_elem(g->fd, k, v, BPF_NOEXIST) != 0)
		return -1;
	g->entries++;
	return 0;
}

static void value_for(const struct ab_genmap *g, struct ab_kval *v, int grant,
		      int check_groups, unsigned nmember)
{
	memset(v, 0, sizeof(*v));
	v->generation = g->generation;
	v->flags = (uint16_t)((grant ? AB_KV_GRANT : 0) | (check_groups ? AB_KV_CHECK_GROUPS : 0));
	v->nmember = (uint16_t)nmember;
}

int ab_genmap_add_profile(struct ab_genmap *g, uint32_t uid, int check_groups,
			  unsigned nmember)
{
	struct ab_kkey k;
	struct ab_kval v;

	if (nmember > UINT16_MAX) {
		errno = E2BIG;
		return -1;
	}
	memset(&k, 0, sizeof(k));
	k.prefixlen = AB_K_PROFILE_BITS;
	k.kind = AB_K_GRANT;
	k.id = uid;
	value_for(g, &v, 0, check_groups, nmember);
	return put(g, &k, &v);
}

int ab_genmap_add_relevant_gid(struct ab_genmap *g, uint32_t gid)
{
	struct ab_kkey k;
	struct ab_kval v;

	memset(&k, 0, sizeof(k));
	k.prefixlen = AB_K_RELGID_BITS;
	k.kind = AB_K_RELGID;
	k.id = gid;
	value_for(g, &v, 0, 0, 0);
	return put(g, &k, &v);
}

int ab_genmap_add_member(struct ab_genmap *g, uint32_t uid, uint32_t gid)
{
	struct ab_kkey k;
	struct ab_kval v;

	memset(&k, 0, sizeof(k));
	k.prefixlen = AB_K_MEMBER_BITS;
	k.kind = AB_K_MEMBER;
	k.id = uid;
	k.gid = gid;
	value_for(g, &v, 0, 0, 0);
	return put(g, &k, &v);
}

static u128 to_number(const struct ab_addr *a, unsigned bits)
{
	u128 n = 0;
	unsigned i;

	for (i = 0; i < bits / 8; i++)
		n = n << 8 | a->bytes[i];
	return n;
}

static void to_bytes(u128 n, unsigned bits, uint8_t *out)
{
	unsigned i;

	for (i = bits / 8; i > 0; i--) {
		out[i - 1] = (uint8_t)n;
		n >>= 8;
	}
}

/* Largest k such that the block [lo, lo + 2^k - 1] is aligned and ends at
 * or before hi (lo <= hi). */
static unsigned block_bits(u128 lo, u128 hi, unsigned bits)
{
	unsigned k = 0;

	while (k < bits) {
		u128 size = (u128)1 << k; /* next block would be 2^(k+1) */

		if ((lo & ((size << 1) - 1)) != 0)
			break;
		if (k + 1 == bits) {
			/* the whole space: only from 0 to all ones */
			if (lo == 0 && hi == (bits == 128 ? ~(u128)0 : ((u128)1 << bits) - 1))
				k++;
			break;
		}
		if (hi - lo < (size << 1) - 1)
			break;
		k++;
	}
	return k;
}

static int put_grant(struct ab_genmap *g, uint32_t uid, int proto, int family,
		     uint16_t port, unsigned port_bits, const uint8_t *addr,
		     unsigned addr_bits, const struct ab_kval *v)
{
	struct ab_kkey k;

	memset(&k, 0, sizeof(k));
	k.prefixlen = AB_K_PORT_BITS - 16 + port_bits + addr_bits;
	k.kind = AB_K_GRANT;
	k.id = uid;
	k.proto = (uint8_t)proto;
	k.family = family == AF_INET ? 4 : 6;
	k.port_be = htons(port);
	memcpy(k.addr, addr, family == AF_INET ? 4 : 16);
	return put(g, &k, v);
}

int ab_genmap_add_region(struct ab_genmap *g, uint32_t uid, int proto, int family,
			 uint16_t port_lo, uint16_t port_hi, const struct ab_addr *lo,
			 const struct ab_addr *hi, uint16_t port_cap, int check_groups,
			 unsigned nmember)
{
	unsigned bits = family == AF_INET ? 32 : 128;
	u128 alo, ahi, all = bits == 128 ? ~(u128)0 : ((u128)1 << bits) - 1;
	uint8_t zero[16] = { 0 }, bytes[16];
	struct ab_kval v;
	unsigned port;

	if ((family != AF_INET && family != AF_INET6) || lo->family != family ||
	    hi->family != family || port_lo > port_hi ||
	    (proto != IPPROTO_TCP && proto != IPPROTO_UDP)) {
		errno = EINVAL;
		return -1;
	}
	alo = to_number(lo, bits);
	ahi = to_number(hi, bits);
	if (alo > ahi) {
		errno = EINVAL;
		return -1;
	}
	value_for(g, &v, 1, check_groups, nmember);
	if (alo == 0 && ahi == all) {
		u128 p = port_lo;

		while (p <= port_hi) {
			unsigned k = block_bits(p, port_hi, 16);

			if (put_grant(g, uid, proto, family, (uint16_t)p, 16 - k, zero, 0, &v) != 0)
				return -1;
			p += (u128)1 << k;
		}
		return 0;
	}
	for (port = port_lo; port <= port_hi && port <= port_cap; port++) {
		u128 a = alo;

		for (;;) {
			unsigned k = block_bits(a, ahi, bits);

			to_bytes(a, bits, bytes);
			if (put_grant(g, uid, proto, family, (uint16_t)port, 16, bytes,
				      bits - k, &v) != 0)
				return -1;
			if (k == bits || ahi - a < ((u128)1 << k))
				break;
			a += (u128)1 << k;
			if (a > ahi)
				break;
		}
	}
	return 0;
}
