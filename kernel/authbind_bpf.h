/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the BPF program (bind.bpf.c) and authbindd share: the key and value
 * of the policy map, the event record, and the limits.
 *
 * One generation of the policy is one LPM trie (the "inner" map), swapped
 * whole into slot 0 of an array of maps; the program looks that slot up
 * once per bind, so every answer of one bind comes from one generation.
 * The trie holds three kinds of entries, told apart by the first byte of
 * the key:
 *
 *   AB_K_GRANT   (uid, proto, family, port, address prefix): a grant.
 *                The key cut after the uid (AB_K_PROFILE_BITS) is the
 *                profile's marker: it exists for every profile and says
 *                "this uid has its own profile" and what its groups must
 *                be.  Longest-prefix match returns the grant when one
 *                covers the bind, else the marker, else nothing (no
 *                profile: look again as AB_K_UID_OTHER).
 *   AB_K_RELGID  (gid): the gid can change a decision.
 *   AB_K_MEMBER  (uid, gid): the profile of uid assumes membership in gid.
 *
 * Fields are in the order the trie compares them (bytes from the start),
 * so a prefix is a kind, then a uid, then protocol, family and port, then
 * address bits.
 */
#ifndef AUTHBIND_BPF_H
#define AUTHBIND_BPF_H

#include <linux/types.h>

#define AB_K_GRANT 1
#define AB_K_RELGID 2
#define AB_K_MEMBER 3

#define AB_K_UID_OTHER 0xffffffffu

struct ab_kkey {
	__u32 prefixlen;
	__u8 kind;
	__u8 pad[3];
	__u32 id;       /* uid (GRANT, MEMBER) or gid (RELGID) */
	union {
		struct {
			__u8 proto;     /* IPPROTO_TCP or IPPROTO_UDP */
			__u8 family;    /* 4 or 6 */
			__u16 port_be;  /* network order: a port range is a prefix */
		};
		__u32 gid;              /* MEMBER */
	};
	__u8 addr[16];  /* IPv4 in the first 4 bytes */
};

/* Prefix lengths, in bits, not counting the prefixlen field itself. */
#define AB_K_PROFILE_BITS 64            /* kind, pad, uid */
#define AB_K_PORT_BITS (64 + 32)        /* ... proto, family, port */
#define AB_K_RELGID_BITS 64
#define AB_K_MEMBER_BITS (64 + 32)

/* Value flags. */
#define AB_KV_GRANT 0x1          /* a grant entry (else a marker or a gid) */
#define AB_KV_CHECK_GROUPS 0x2   /* marker: the tree has relevant gids */

struct ab_kval {
	__u32 generation;
	__u16 flags;
	__u16 nmember;   /* marker: how many relevant gids the profile assumes */
};

/* Most entries in one generation; a policy that needs more is refused
 * whole (no grants) and the daemon says so. */
#define AB_K_MAX_ENTRIES (256 * 1024)

/* Most supplementary groups the program compares with a profile; a
 * process with more gets no grant from kernel mode. */
#define AB_KGROUPS_MAX 64

/* Events, one per privileged bind judged for a uid other than 0. */
enum ab_kverdict {
	AB_EV_GRANTED = 1,      /* returned 3 */
	AB_EV_DENIED,           /* no grant; the kernel refuses (no capability) */
	AB_EV_CAPABLE,          /* no grant, but the kernel allowed it anyway */
	AB_EV_GROUPS,           /* not judged: groups differ from the profile's */
	AB_EV_UNBOUND,          /* post_bind6: a v6-only grant became dual-stack */
};

#define AB_EVF_DUAL 0x1     /* a dual-stack bind of :: */
#define AB_EVF_V6ONLY 0x2   /* a v6-only bind of :: */
#define AB_EVF_V4HALF 0x4   /* the IPv4 half was the one not granted */

struct ab_kevent {
	__u32 generation;
	__u32 uid;
	__u32 gid;
	__u32 pid;
	__u8 verdict;
	__u8 flags;
	__u8 proto;
	__u8 family;        /* 4 or 6 */
	__u16 port;         /* host order */
	__u16 pad;
	__u8 addr[16];
};

/* Constants of one load: the network namespace authbindd serves (a
 * socket of another is left to the kernel) and its PID namespace (for
 * the pids of events). */
struct ab_kconfig {
	__u64 netns_cookie;
	__u64 pidns_dev;
	__u64 pidns_ino;
};

#define AB_K_RINGBUF_BYTES (256 * 1024)
/* How often the reader looks at the ring without being woken. */
#define AB_K_POLL_MS 50

#endif
