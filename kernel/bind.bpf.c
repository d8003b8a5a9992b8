/* SPDX-License-Identifier: GPL-2.0-or-later */
// SPDX-License-Identifier: GPL-2.0-only
/*
 * authbindd's cgroup programs: grant a privileged bind that /etc/authbind
 * grants, exactly as the setuid helper would, and nothing else.
 *
 *   cgroup/bind4, cgroup/bind6   decide: 3 grants (allow, and skip the
 *                                CAP_NET_BIND_SERVICE check), 1 leaves the
 *                                bind to the kernel's own check; never 0
 *   cgroup/post_bind6            refuses (0: EPERM, the kernel unbinds) a
 *                                socket granted v6-only that ended up
 *                                dual-stack; logs binds the kernel allowed
 *                                by capability after the policy said no
 *   cgroup/post_bind4            the latter for IPv4
 *
 * The policy is one LPM trie per generation (authbind_bpf.h), looked up
 * once per bind from an array of maps, so a bind never sees half of an
 * old and half of a new policy.
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "authbind_bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* The kernel's own structures, only the fields read; CO-RE relocates the
 * offsets against the running kernel's BTF. */
struct user_namespace;
struct netns_ipv4 {
	int sysctl_ip_prot_sock;
} __attribute__((preserve_access_index));
struct net {
	struct netns_ipv4 ipv4;
	struct user_namespace *user_ns;
} __attribute__((preserve_access_index));
struct sock_common {
	unsigned char skc_ipv6only : 1;
	struct {
		struct net *net;
	} skc_net;
} __attribute__((preserve_access_index));
struct sock {
	struct sock_common __sk_common;
	unsigned char sk_kern_sock : 1;
} __attribute__((preserve_access_index));
struct bpf_sock_addr_kern {
	struct sock *sk;
	struct sockaddr *uaddr;
} __attribute__((preserve_access_index));
typedef struct {
	__u32 val;
} kgid_t;
struct group_info {
	int ngroups;
	kgid_t gid[];
} __attribute__((preserve_access_index));
typedef struct {
	__u64 val;
} kernel_cap_t;
struct cred {
	struct group_info *group_info;
	kernel_cap_t cap_effective;
	struct user_namespace *user_ns;
} __attribute__((preserve_access_index));
struct task_struct {
	const struct cred *cred;
} __attribute__((preserve_access_index));

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;

#define CAP_NET_BIND_SERVICE_BIT 10
#define RET_GRANT 3
#define RET_KERNEL 1
#define RET_REFUSE 0

/* Set by authbindd before load; a section of its own, so that it alone
 * is at offset 0 of its map. */
const volatile struct ab_kconfig ab_config SEC(".rodata.config") = {};

struct ab_generation {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, AB_K_MAX_ENTRIES);
	/* sizes, not types: clang leaves a type seen only here undefined */
	__uint(key_size, sizeof(struct ab_kkey));
	__uint(value_size, sizeof(struct ab_kval));
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct ab_generation);
} ab_policy SEC(".maps");

/* What the bind hook left for post_bind on one socket. */
#define MARK_V6ONLY_GRANT 1 /* granted v6-only: must stay v6-only */
#define MARK_CAPABLE 2      /* refused by policy, may pass by capability */

struct ab_ksock {
	__u8 mark;
	__u8 flags;
	__u16 port;     /* the bind the mark is for */
	__u32 generation;
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ab_ksock);
} ab_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, AB_K_RINGBUF_BYTES);
} ab_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} ab_lost SEC(".maps");

/* One bind being judged. */
struct bind {
	__u32 uid, gid, profile;
	__u8 proto, family, flags;
	__u16 port;
	__u8 addr[16];
};

static __always_inline __u32 current_pid(void)
{
	struct bpf_pidns_info ns;

	if (ab_config.pidns_ino != 0 &&
	    bpf_get_ns_current_pid_tgid(ab_config.pidns_dev, ab_config.pidns_ino, &ns, sizeof(ns)) == 0)
		return ns.tgid;
	return bpf_get_current_pid_tgid() >> 32;
}

static __always_inline void send_event(const struct bind *b, __u8 verdict,
				       __u32 generation)
{
	struct ab_kevent *e;
	__u32 zero = 0;
	__u64 *lost;

	if (b->uid == 0)
		return;
	e = bpf_ringbuf_reserve(&ab_events, sizeof(*e), 0);
	if (e == NULL) {
		lost = bpf_map_lookup_elem(&ab_lost, &zero);
		if (lost != NULL)
			*lost += 1;
		return;
	}
	e->generation = generation;
	e->uid = b->uid;
	e->gid = b->gid;
	e->pid = current_pid();
	e->verdict = verdict;
	e->flags = b->flags;
	e->proto = b->proto;
	e->family = b->family;
	e->port = b->port;
	e->pad = 0;
	__builtin_memcpy(e->addr, b->addr, sizeof(e->addr));
	bpf_ringbuf_submit(e, 0);
}

/*
 * The grant entry covering (profile, proto, family, port, address), or
 * the profile's marker when none does, or NULL when the profile does not
 * exist.
 */
static __always_inline struct ab_kval *find(void *gen, __u32 profile, const struct bind *b,
					    __u8 family, const __u8 *addr)
{
	struct ab_kkey k;

	__builtin_memset(&k, 0, sizeof(k));
	k.prefixlen = AB_K_PORT_BITS + 128;
	k.kind = AB_K_GRANT;
	k.id = profile;
	k.proto = b->proto;
	k.family = family;
	k.port_be = bpf_htons(b->port);
	__builtin_memcpy(k.addr, addr, sizeof(k.addr));
	return bpf_map_lookup_elem(gen, &k);
}

/* 1 when the gid is one whose membership can change a decision and the
 * profile assumes it, 0 when it is irrelevant, -1 when it is relevant and
 * the profile does not assume it. */
static __always_inline int compare_gid(void *gen, __u32 profile, __u32 gid)
{
	struct ab_kkey k;

	__builtin_memset(&k, 0, sizeof(k));
	k.prefixlen = AB_K_RELGID_BITS;
	k.kind = AB_K_RELGID;
	k.id = gid;
	if (bpf_map_lookup_elem(gen, &k) == NULL)
		return 0;
	k.prefixlen = AB_K_MEMBER_BITS;
	k.kind = AB_K_MEMBER;
	k.id = profile;
	k.gid = gid;
	return bpf_map_lookup_elem(gen, &k) != NULL ? 1 : -1;
}

/*
 * True when the process's real gid and supplementary groups agree with
 * the groups its profile was compiled for, on every gid that can change
 * a decision: then the profile's answers are the helper's answers.
 */
static __always_inline int groups_agree(void *gen, const struct bind *b, __u16 nmember)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct group_info *gi = task->cred->group_info;
	__u32 groups[AB_KGROUPS_MAX];
	int ngroups = gi->ngroups, i, r, seen = 0;
	__u32 prev = b->gid;

	if (ngroups < 0 || ngroups > AB_KGROUPS_MAX)
		return 0;
	if (ngroups > 0 &&
	    bpf_probe_read_kernel(groups, (__u32)ngroups * sizeof(groups[0]), gi->gid) != 0)
		return 0;
	r = compare_gid(gen, b->profile, b->gid);
	if (r < 0)
		return 0;
	seen += r;
	for (i = 0; i < AB_KGROUPS_MAX && i < ngroups; i++) {
		__u32 g = groups[i];

		/* The list is sorted; skip repeats and the real gid. */
		if (g == prev || g == b->gid)
			continue;
		prev = g;
		r = compare_gid(gen, b->profile, g);
		if (r < 0)
			return 0;
		seen += r;
	}
	return seen == nmember;
}

/* What the kernel's ns_capable(net->user_ns, CAP_NET_BIND_SERVICE) says in
 * the common case: the capability in the effective set of a process of
 * the namespace's own user namespace.  Used only to word the log. */
static __always_inline int has_bind_capability(struct sock *sk)
{
	struct task_struct *task = bpf_get_current_task_btf();
	const struct cred *cred = task->cred;

	return (cred->cap_effective.val >> CAP_NET_BIND_SERVICE_BIT & 1) &&
	       cred->user_ns == sk->__sk_common.skc_net.net->user_ns;
}

static __always_inline void set_mark(void *sk, __u8 mark, const struct bind *b,
				     __u32 generation)
{
	struct ab_ksock *st;

	st = bpf_sk_storage_get(&ab_socks, sk, 0,
				mark != 0 ? BPF_SK_STORAGE_GET_F_CREATE : 0);
	if (st == NULL)
		return;
	st->mark = mark;
	st->flags = b->flags;
	st->port = b->port;
	st->generation = generation;
}

static __always_inline int judge(struct bpf_sock_addr *ctx, int six)
{
	struct bpf_sock_addr_kern *kctx = bpf_cast_to_kern_ctx(ctx);
	struct sock *sk = kctx->sk;
	__u8 any[16] = { 0 };
	struct ab_kval *v, *v4 = NULL;
	struct bind b;
	__u64 ugid;
	__u32 zero = 0, generation = 0;
	void *gen;
	int granted, v6only = 0, any6 = 0;

	if (bpf_get_netns_cookie(ctx) != ab_config.netns_cookie)
		return RET_KERNEL;
	if (ctx->protocol != IPPROTO_TCP && ctx->protocol != IPPROTO_UDP)
		return RET_KERNEL;
	/* A socket the kernel made for another protocol: an MPTCP subflow,
	 * an SMC socket's TCP side.  The program bound is then not a TCP
	 * program, and the helper refuses those protocols: so do we. */
	if (BPF_CORE_READ_BITFIELD(sk, sk_kern_sock))
		return RET_KERNEL;
	__builtin_memset(&b, 0, sizeof(b));
	b.port = bpf_ntohs(ctx->user_port);
	/* The fast path: an unprivileged port is the kernel's alone.  A mark
	 * a failed earlier bind of this socket left is not cleared here:
	 * post_bind heeds a mark only for the port it was made for. */
	if (b.port == 0 || b.port >= sk->__sk_common.skc_net.net->ipv4.sysctl_ip_prot_sock)
		return RET_KERNEL;
	ugid = bpf_get_current_uid_gid();
	b.uid = (__u32)ugid;
	b.gid = (__u32)(ugid >> 32);
	/* Root binds by its own privilege or not at all: the policy grants
	 * uid 0 nothing (policy/lookup.c), so neither do we. */
	if (b.uid == 0)
		return RET_KERNEL;
	b.proto = (__u8)ctx->protocol;
	if (!six) {
		b.family = 4;
		__builtin_memcpy(b.addr, &ctx->user_ip4, 4);
	} else {
		__u32 w0 = ctx->user_ip6[0], w1 = ctx->user_ip6[1];
		__u32 w2 = ctx->user_ip6[2], w3 = ctx->user_ip6[3];

		if (w0 == 0 && w1 == 0 && w2 == bpf_htonl(0xffff)) {
			/* IPv4-mapped: judged as the IPv4 address it is. */
			b.family = 4;
			__builtin_memcpy(b.addr, &w3, 4);
		} else {
			b.family = 6;
			__builtin_memcpy(b.addr, &w0, 4);
			__builtin_memcpy(b.addr + 4, &w1, 4);
			__builtin_memcpy(b.addr + 8, &w2, 4);
			__builtin_memcpy(b.addr + 12, &w3, 4);
			any6 = (w0 | w1 | w2 | w3) == 0;
			if (any6) {
				v6only = BPF_CORE_READ_BITFIELD(&sk->__sk_common, skc_ipv6only);
				b.flags = v6only ? AB_EVF_V6ONLY : AB_EVF_DUAL;
			}
			/* A link-local bind's scope plays no part in the
			 * policy (no name or rule carries one): judged by
			 * the address alone, as the helper judges it. */
		}
	}

	gen = bpf_map_lookup_elem(&ab_policy, &zero);
	if (gen == NULL) {
		set_mark(ctx->sk, 0, &b, 0);
		return RET_KERNEL;
	}
	b.profile = b.uid;
	v = find(gen, b.profile, &b, b.family, b.addr);
	if (v == NULL) {
		b.profile = AB_K_UID_OTHER;
		v = find(gen, b.profile, &b, b.family, b.addr);
	}
	if (v != NULL)
		generation = v->generation;
	granted = v != NULL && (v->flags & AB_KV_GRANT);
	if (granted && any6) {
		v4 = find(gen, b.profile, &b, 4, any);
		if (v4 == NULL || !(v4->flags & AB_KV_GRANT)) {
			v4 = NULL;
			if (!v6only) {
				granted = 0;
				b.flags |= AB_EVF_V4HALF;
			}
		}
	}
	/* Checked on the grant path, where it decides, and on the refusal
	 * path only to say in the log that the groups were not the ones
	 * assumed (the helper, seeing the real groups, may grant). */
	if (v != NULL && (v->flags & AB_KV_CHECK_GROUPS) && b.uid != 0 &&
	    !groups_agree(gen, &b, v->nmember)) {
		set_mark(ctx->sk, 0, &b, 0);
		send_event(&b, AB_EV_GROUPS, generation);
		return RET_KERNEL;
	}
	if (granted) {
		/* A v6-only grant of :: without the IPv4 half: another thread
		 * may still turn IPV6_V6ONLY off before the kernel binds;
		 * post_bind6 sees the final state and refuses it then. */
		set_mark(ctx->sk, any6 && v6only && v4 == NULL ? MARK_V6ONLY_GRANT : 0,
			 &b, generation);
		send_event(&b, AB_EV_GRANTED, generation);
		return RET_GRANT;
	}
	/* Root's binds are never logged, so they need no mark either. */
	if (b.uid == 0) {
		set_mark(ctx->sk, 0, &b, 0);
	} else if (has_bind_capability(sk)) {
		set_mark(ctx->sk, MARK_CAPABLE, &b, generation);
	} else {
		set_mark(ctx->sk, 0, &b, 0);
		send_event(&b, AB_EV_DENIED, generation);
	}
	return RET_KERNEL;
}

SEC("cgroup/bind4")
int authbind_bind4(struct bpf_sock_addr *ctx)
{
	return judge(ctx, 0);
}

SEC("cgroup/bind6")
int authbind_bind6(struct bpf_sock_addr *ctx)
{
	return judge(ctx, 1);
}

static __always_inline int after_bind(struct bpf_sock *ctx, int six)
{
	struct sock *sk = bpf_cast_to_kern_ctx(ctx);
	struct ab_ksock *st;
	struct bind b;
	__u64 ugid;
	int ret = RET_KERNEL;
	__u8 verdict;

	if (bpf_get_netns_cookie(ctx) != ab_config.netns_cookie)
		return RET_KERNEL;
	st = bpf_sk_storage_get(&ab_socks, ctx, 0, 0);
	if (st == NULL || st->mark == 0)
		return RET_KERNEL;
	if (st->port != ctx->src_port) {
		st->mark = 0;
		return RET_KERNEL;
	}
	__builtin_memset(&b, 0, sizeof(b));
	ugid = bpf_get_current_uid_gid();
	b.uid = (__u32)ugid;
	b.gid = (__u32)(ugid >> 32);
	b.proto = (__u8)ctx->protocol;
	b.port = (__u16)ctx->src_port;
	b.flags = st->flags;
	if (six) {
		b.family = 6;
		__builtin_memcpy(b.addr, ctx->src_ip6, 16);
	} else {
		b.family = 4;
		__builtin_memcpy(b.addr, &ctx->src_ip4, 4);
	}
	verdict = AB_EV_CAPABLE;
	if (st->mark == MARK_V6ONLY_GRANT) {
		verdict = 0;
		if (six && !BPF_CORE_READ_BITFIELD(&sk->__sk_common, skc_ipv6only)) {
			/* Granted as v6-only, bound dual-stack: the IPv4 half
			 * was never granted.  Unless the process could have
			 * bound it anyway, refuse: the kernel unbinds. */
			b.flags = AB_EVF_DUAL | AB_EVF_V4HALF;
			if (has_bind_capability(sk)) {
				verdict = AB_EV_CAPABLE;
			} else {
				verdict = AB_EV_UNBOUND;
				ret = RET_REFUSE;
			}
		}
	}
	if (verdict != 0)
		send_event(&b, verdict, st->generation);
	st->mark = 0;
	return ret;
}

SEC("cgroup/post_bind4")
int authbind_post_bind4(struct bpf_sock *ctx)
{
	return after_bind(ctx, 0);
}

SEC("cgroup/post_bind6")
int authbind_post_bind6(struct bpf_sock *ctx)
{
	return after_bind(ctx, 1);
}
