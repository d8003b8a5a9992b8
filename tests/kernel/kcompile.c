/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kcompile: kernel mode's compile held to the policy's own answer on
 * generated trees.  Each tree (byport and byaddr files of random modes and
 * owners, byuid and bygid files of random rule lines) is read with
 * ab_tree_load, compiled into a generation exactly as authbindd does
 * (compile.c, genmap.c), and then, for every profile and many random
 * binds, the trie is asked what the BPF program would ask it (the bind's
 * own entry, the profile fallback, the IPv4 half of a dual-stack bind,
 * the groups entries) and the answer compared with ab_tree_decide's.  A
 * grant the tree refuses is a failure, and so is a refusal of a grant.
 *
 *   kcompile [TREES [BINDS [SEED]]]     (root: the files must be root's)
 *
 * Exit 0 when every answer agreed, 1 otherwise, 77 when not root.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "authbind_bpf.h"
#include "compile.h"
#include "genmap.h"
#include "gentree.h"
#include "tree.h"

static unsigned long long rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33) % n;
}

#define PICK(a) (a[rnd(sizeof(a) / sizeof(a[0]))])

static const unsigned ports[] = { 1, 53, 79, 80, 81, 443, 511, 512, 600, 700, 1022, 1023 };
static const char *const addrs4[] = { "0.0.0.0", "127.0.0.1", "10.1.2.3", "10.1.2.4",
				      "192.0.2.1", "255.255.255.255" };
static const char *const addrs6[] = { "::", "::1", "2001:db8::1", "2001:db8::ff",
				      "2001:db8:1::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" };
/* Rule-line addresses (each line is "[PROTO ]ADDRESS,PORTS"). */
static const char *const line_addrs[] = {
	"*", "0.0.0.0", "::", "127.0.0.1", "10.0.0.0/8", "10.1.2.0/31", "10.1.2.3-10.1.2.200",
	"2001:db8::/32", "2001:db8::1-2001:db8::fe", "::1", "0.0.0.0/0", "::/0",
	"::ffff:127.0.0.1", "192.0.2.0/24", "10.1.2.3/32", "2001:db8::1/128",
};
static const mode_t modes[] = { 0755, 0700, 0500, 0750, 0705, 0644, 0711, 0570, 0505 };
static const uid_t owners[] = { 0, 41000, 41001 };

static void write_file(const char *dir, const char *name, const char *text, mode_t mode,
		       uid_t owner)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0 || chmod(path, mode) != 0 ||
	    chown(path, owner, 41500) != 0) {
		perror(path);
		exit(2);
	}
}

static void random_rules(char *out, size_t size)
{
	static const char *const protos[] = { "", "tcp ", "udp " };
	size_t used = 0;
	unsigned n = 1 + rnd(6), i;

	out[0] = '\0';
	for (i = 0; i < n && used + 80 < size; i++) {
		char port[16];
		unsigned p = PICK(ports);

		if (rnd(3) == 0)
			snprintf(port, sizeof(port), "%u-%u", p, p + rnd(300));
		else
			snprintf(port, sizeof(port), "%u", p);
		used += (size_t)snprintf(out + used, size - used, "%s%s,%s\n", PICK(protos),
					 PICK(line_addrs), port);
	}
}

static void make_tree(const char *dir)
{
	static const char *const subdirs[] = { "byport", "byaddr", "byuid", "bygid" };
	char path[512], text[1024], name[128];
	unsigned i, n;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, subdirs[i]);
		if (mkdir(path, 0755) != 0) {
			perror(path);
			exit(2);
		}
	}
	snprintf(path, sizeof(path), "%s/byport", dir);
	for (n = rnd(4), i = 0; i < n; i++) {
		unsigned p = PICK(ports);

		snprintf(name, sizeof(name), "%s%u", p >= 512 && rnd(2) ? "!" : "", p);
		write_file(path, name, "", PICK(modes), PICK(owners));
	}
	snprintf(path, sizeof(path), "%s/byaddr", dir);
	for (n = rnd(4), i = 0; i < n; i++) {
		if (rnd(2))
			snprintf(name, sizeof(name), "%s,%u", PICK(addrs4), PICK(ports));
		else
			snprintf(name, sizeof(name), "%s,%u", PICK(addrs6), PICK(ports));
		write_file(path, name, "", PICK(modes), PICK(owners));
	}
	snprintf(path, sizeof(path), "%s/byuid", dir);
	for (i = 0; i < 3; i++) {
		if (rnd(4) == 0)
			continue;
		random_rules(text, sizeof(text));
		snprintf(name, sizeof(name), "%s%u", rnd(5) == 0 ? "!" : "", 41000 + i);
		write_file(path, name, text, rnd(8) == 0 ? 0666 : 0644, 0);
	}
	snprintf(path, sizeof(path), "%s/bygid", dir);
	if (rnd(2)) {
		random_rules(text, sizeof(text));
		write_file(path, "41500", text, 0644, 0);
	}
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The program's find(): the grant entry, else the marker, else nothing. */
static int lookup(int fd, uint32_t uid, int proto, int family, unsigned port,
		  const uint8_t *addr, struct ab_kval *v)
{
	struct ab_kkey k;

	memset(&k, 0, sizeof(k));
	k.prefixlen = AB_K_PORT_BITS + 128;
	k.kind = AB_K_GRANT;
	k.id = uid;
	k.proto = (uint8_t)proto;
	k.family = family == AF_INET ? 4 : 6;
	k.port_be = htons((uint16_t)port);
	memcpy(k.addr, addr, family == AF_INET ? 4 : 16);
	return bpf_map_lookup_elem(fd, &k, v) == 0;
}

static int exact(int fd, uint8_t kind, unsigned bits, uint32_t id, uint32_t gid)
{
	struct ab_kkey k;
	struct ab_kval v;

	memset(&k, 0, sizeof(k));
	k.prefixlen = bits;
	k.kind = kind;
	k.id = id;
	if (kind == AB_K_MEMBER)
		k.gid = gid;
	return bpf_map_lookup_elem(fd, &k, &v) == 0;
}

/* The program's groups_agree() for a process with exactly these groups. */
static int groups_agree(int fd, uint32_t profile, const struct ab_caller *c, unsigned nmember)
{
	unsigned seen = 0;
	size_t i;

	for (i = 0; i <= c->ngroups; i++) {
		gid_t g = i == 0 ? c->gid : c->groups[i - 1];

		if (i > 0 && g == c->gid)
			continue;
		if (!exact(fd, AB_K_RELGID, AB_K_RELGID_BITS, g, 0))
			continue;
		if (!exact(fd, AB_K_MEMBER, AB_K_MEMBER_BITS, profile, g))
			return 0;
		seen++;
	}
	return seen == nmember;
}

/* What the BPF program answers (1 grant) for this caller and bind. */
static int kernel_answer(int fd, const struct ab_caller *c, const struct ab_target *t, int dual)
{
	static const uint8_t any[16];
	uint32_t profile = (uint32_t)c->uid;
	struct ab_kval v, v4;
	int granted;

	if (!lookup(fd, profile, t->proto, t->addr.family, t->port, t->addr.bytes, &v)) {
		profile = AB_K_UID_OTHER;
		if (!lookup(fd, profile, t->proto, t->addr.family, t->port, t->addr.bytes, &v))
			return 0;
	}
	granted = (v.flags & AB_KV_GRANT) != 0;
	if (granted && dual &&
	    (!lookup(fd, profile, t->proto, AF_INET, t->port, any, &v4) ||
	     !(v4.flags & AB_KV_GRANT)))
		granted = 0;
	if (granted && (v.flags & AB_KV_CHECK_GROUPS) && !groups_agree(fd, profile, c, v.nmember))
		granted = 0;
	return granted;
}

static int tree_answer(const struct ab_tree *tree, const struct ab_caller *c,
		       const struct ab_target *t, int dual)
{
	struct ab_target any4 = *t;
	struct ab_decision d;

	ab_tree_decide(tree, c, t, &d, NULL);
	if (!d.granted || !dual)
		return d.granted;
	memset(&any4.addr, 0, sizeof(any4.addr));
	any4.addr.family = AF_INET;
	ab_tree_decide(tree, c, &any4, &d, NULL);
	return d.granted;
}

struct run {
	const struct ab_tree *tree;
	int fd;
	unsigned binds, failures;
	unsigned long long asked, granted;
};

static void random_target(struct ab_target *t, int *dual)
{
	const char *text;

	if (rnd(2)) {
		/* the shared generator's binds, where kernel mode applies: a
		 * privileged port, no link-local scope (left to the helper) */
		do
			gen_target(t);
		while (t->port == 0 || t->port > 1023 || t->addr.scope_id != 0);
		*dual = t->addr.family == AF_INET6 && ab_addr_is_any(&t->addr) && rnd(2);
		return;
	}
	memset(t, 0, sizeof(*t));
	t->proto = rnd(2) ? IPPROTO_TCP : IPPROTO_UDP;
	t->port = (uint16_t)(rnd(4) ? PICK(ports) : 1 + rnd(1023));
	text = rnd(2) ? PICK(addrs4) : PICK(addrs6);
	if (ab_addr_parse(&t->addr, text, strlen(text)) != 0)
		abort();
	*dual = t->addr.family == AF_INET6 && ab_addr_is_any(&t->addr) && rnd(2);
}

static int check_profile(void *ctx, uid_t key, const struct ab_caller *c)
{
	struct run *r = ctx;
	unsigned i;

	(void)key;
	for (i = 0; i < r->binds; i++) {
		struct ab_target t;
		char text[AB_ENDPOINT_TEXT_MAX];
		int dual, k, h;

		random_target(&t, &dual);
		k = kernel_answer(r->fd, c, &t, dual);
		h = tree_answer(r->tree, c, &t, dual);
		r->asked++;
		r->granted += (unsigned)h;
		if (k != h) {
			ab_endpoint_format(&t.addr, t.port, text);
			printf("DIFFER: uid %u %s %s%s: kernel mode %s, the policy %s\n",
			       (unsigned)c->uid, ab_proto_name(t.proto), text,
			       dual ? " (dual-stack)" : "", k ? "grants" : "refuses",
			       h ? "grants" : "refuses");
			r->failures++;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned trees = argc > 1 ? (unsigned)atoi(argv[1]) : 300;
	unsigned binds = argc > 2 ? (unsigned)atoi(argv[2]) : 200;
	struct run r;
	unsigned i, failures = 0;
	unsigned long long asked = 0, granted = 0;

	rng = argc > 3 ? strtoull(argv[3], NULL, 10) : (unsigned long long)time(NULL);
	if (geteuid() != 0) {
		printf("SKIP: kcompile needs root (root-owned policy files, BPF maps)\n");
		return 77;
	}
	printf("kcompile: seed %llu, %u trees, %u binds per profile\n", rng, trees, binds);
	gen_seed(rng);
	umask(022);
	for (i = 0; i < trees; i++) {
		char dir[] = "/tmp/kcompile.XXXXXX", err[256];
		struct ab_generation *gen = calloc(1, sizeof(*gen));
		struct ab_genmap g;

		if (gen == NULL || mkdtemp(dir) == NULL || chmod(dir, 0755) != 0) {
			perror("kcompile: setup");
			return 2;
		}
		if (i % 2) {
			int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

			if (fd < 0 || gen_tree(fd) != 0)
				return 2;
			close(fd);
		} else {
			make_tree(dir);
		}
		gen->id = i + 1;
		gen->tree = ab_tree_load(dir, err, sizeof(err));
		if (gen->tree == NULL || ab_genmap_create(&g, gen->id, AB_K_MAX_ENTRIES) != 0 ||
		    ab_compile(gen, &g, 1023, err, sizeof(err)) != 0) {
			printf("kcompile: tree %u: %s\n", i, gen->tree ? err : err);
			return 2;
		}
		memset(&r, 0, sizeof(r));
		r.tree = gen->tree;
		r.fd = g.fd;
		r.binds = binds;
		if (ab_tree_profiles(gen->tree, check_profile, &r) != 0)
			return 2;
		if (r.failures > 0)
			printf("kcompile: tree %u (%s) had %u differences\n", i, dir, r.failures);
		else
			nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		failures += r.failures;
		asked += r.asked;
		granted += r.granted;
		ab_genmap_close(&g);
		ab_generation_free(gen);
	}
	printf("kcompile: %llu binds asked, %llu granted by the policy, %u differences\n", asked,
	       granted, failures);
	return failures == 0 ? 0 : 1;
}
