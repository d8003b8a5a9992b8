/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "gentree.h"

/* A failure to make the tree is the test's, not the code's: say where. */
#define REQUIRE(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "gentree: %s:%d: %s failed: %s\n", __FILE__, __LINE__, \
				#cond, strerror(errno)); \
			exit(2); \
		} \
	} while (0)

static unsigned long long rng_state;


static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng_state >> 33) % n;
}

static int chance(unsigned percent)
{
	return rnd(100) < percent;
}

#define PICK(array) (array[rnd(sizeof(array) / sizeof(array[0]))])

static const unsigned ports[] = { 53, 80, 81, 443, 511, 512, 600, 700, 1023, 1024, 8080 };
static const char *const addrs4[] = { "0.0.0.0", "127.0.0.1", "10.1.2.3", "192.0.2.1" };
static const char *const addrs6[] = { "::", "::1", "2001:db8::1", "fe80::1" };
static const char *const full6[] = { "0:0:0:0:0:0:0:0", "0:0:0:0:0:0:0:1",
				     "2001:db8:0:0:0:0:0:1", "fe80:0:0:0:0:0:0:1" };
static const uid_t uids[] = { 0, 41000, 41001, 41002 };
static const gid_t gids[] = { 0, 41000, 41500, 41501 };
static const mode_t exec_modes[] = { 0755, 0700, 0500, 0750, 0705, 0050, 0005, 0644,
				     0000, 0711, 0770, 0777, 0570, 0507 };

/* Names in these trees, known to the test's resolvers only. */
const char *gen_user_name(uid_t uid)
{
	return uid == 41000 ? "alice" : uid == 41001 ? "bob" : NULL;
}

int gen_group_by_name(const char *name, gid_t *gid)
{
	if (strcmp(name, "web") == 0)
		*gid = 41500;
	else if (strcmp(name, "dns") == 0)
		*gid = 41501;
	else
		return -1;
	return 0;
}

static void put_le16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v & 0xffff);
	put_le16(p + 2, v >> 16);
}

/* A random valid access ACL on the file (which also sets its mode's
 * owner, group and other bits, as setfacl does). */
static void random_acl(int dirfd, const char *name)
{
	static const uid_t acl_uids[] = { 41000, 41001 };
	static const gid_t acl_gids[] = { 41500, 41501 };
	uint8_t acl[4 + 8 * 8];
	size_t n = 0, i;
	char path[64];
	int fd;

	put_le32(acl, 2);
#define ENTRY(tag, perm, id) \
	do { \
		put_le16(acl + 4 + 8 * n, tag); \
		put_le16(acl + 4 + 8 * n + 2, perm); \
		put_le32(acl + 4 + 8 * n + 4, id); \
		n++; \
	} while (0)
	ENTRY(0x01, rnd(8), 0xffffffffu);
	for (i = 0; i < 2; i++)
		if (chance(50))
			ENTRY(0x02, rnd(8), acl_uids[i]);
	ENTRY(0x04, rnd(8), 0xffffffffu);
	for (i = 0; i < 2; i++)
		if (chance(50))
			ENTRY(0x08, rnd(8), acl_gids[i]);
	ENTRY(0x10, rnd(8), 0xffffffffu);
	ENTRY(0x20, rnd(8), 0xffffffffu);
#undef ENTRY
	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	REQUIRE((fd) >= (0));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	REQUIRE(setxattr(path, "system.posix_acl_access", acl, 4 + 8 * n, 0) == 0);
	close(fd);
}

/* A byport or byaddr entry: mostly a file, with a random owner, group,
 * mode and sometimes an ACL; sometimes something that is not a file. */
static int exists(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static void make_exec(int dirfd, const char *name)
{
	int fd;

	if (exists(dirfd, name))
		return;
	if (chance(4)) {
		REQUIRE((symlinkat("80", dirfd, name)) == (0));
		return;
	}
	if (chance(3)) {
		REQUIRE((mkdirat(dirfd, name, 0755)) == (0));
		return;
	}
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST)
		return;
	REQUIRE(fd >= 0);
	close(fd);
	REQUIRE((fchownat(dirfd, name, PICK(uids), PICK(gids), 0)) == (0));
	REQUIRE((fchmodat(dirfd, name, PICK(exec_modes), 0)) == (0));
	if (chance(25))
		random_acl(dirfd, name);
}

static void port_text(char *out, size_t size)
{
	unsigned a = PICK(ports), b = PICK(ports);

	if (chance(70))
		snprintf(out, size, "%u", a);
	else
		snprintf(out, size, "%u-%u", a < b ? a : b, a < b ? b : a);
}

static void random_line(char *out, size_t size)
{
	static const char *const blocks[] = {
		"10.0.0.0/8", "127.0.0.0/8", "0.0.0.0/0", "192.0.2.0/28", "::/0",
		"2001:db8::/32", "fe80::/10", "::ffff:127.0.0.0/104", "10.1.2.3/32",
		"10.0.0.1-10.1.2.200", "::1-::ff", "192.0.2.1-192.0.2.1", "::ffff:10.0.0.1",
	};
	static const char *const odd[] = {
		"# a comment", "", "bogus", "127.0.0.1,0", "10.0.0.1/8,80", "127.0.0.1,80 ",
		"127.0.0.0/8:80,90", "0.0.0.0/0: 1,1023", "10.1.2.3:443,443", "*,1-65535",
	};
	const char *proto = chance(60) ? "" : chance(50) ? "tcp " : "udp ";
	char port[16];
	const char *where;

	port_text(port, sizeof(port));
	switch (rnd(6)) {
	case 0:
		snprintf(out, size, "%s", PICK(odd));
		return;
	case 1:
		where = "*";
		break;
	case 2:
		where = PICK(addrs4);
		break;
	case 3:
		where = PICK(addrs6);
		break;
	default:
		where = PICK(blocks);
		break;
	}
	snprintf(out, size, "%s%s,%s", proto, where, port);
}

/* A byuid or bygid file: mostly a trusted one with random lines. */
static void make_rules(int dirfd, const char *name)
{
	char line[128];
	int fd, n, i;
	FILE *f;

	if (exists(dirfd, name))
		return;
	if (chance(4)) {
		REQUIRE((symlinkat("41000", dirfd, name)) == (0));
		return;
	}
	if (chance(3)) {
		REQUIRE((mkfifoat(dirfd, name, 0644)) == (0));
		return;
	}
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST)
		return;
	REQUIRE(fd >= 0);
	f = fdopen(fd, "w");
	REQUIRE((f) != NULL);
	for (i = 0, n = (int)rnd(7); i < n; i++) {
		random_line(line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	REQUIRE((fclose(f)) == (0));
	if (chance(8))
		REQUIRE((fchownat(dirfd, name, 41000, 0, 0)) == (0));
	REQUIRE((fchmodat(dirfd, name, chance(10) ? 0664 : chance(20) ? 0600 : 0644, 0)) == (0));
}

/* A subdirectory: mostly there and trusted; sometimes not. */
static int make_subdir(int treefd, const char *name)
{
	int fd;

	if (chance(8))
		return -1;
	if (chance(3)) {
		REQUIRE((symlinkat(".", treefd, name)) == (0));
		return -1;
	}
	REQUIRE((mkdirat(treefd, name, 0755)) == (0));
	if (chance(4))
		REQUIRE((fchmodat(treefd, name, 0775, 0)) == (0));
	if (chance(3))
		REQUIRE((fchownat(treefd, name, 41000, 0, 0)) == (0));
	fd = openat(treefd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	REQUIRE((fd) >= (0));
	return fd;
}

int gen_tree(int treefd)
{
	static const char *const group_files[] = { "41500", "41501", "web", "dns", "nosuch", "041500" };
	char name[96];
	int fd, i, n;

	if ((fd = make_subdir(treefd, "byport")) >= 0) {
		for (i = 0, n = (int)rnd(5); i < n; i++) {
			unsigned port = PICK(ports);

			snprintf(name, sizeof(name), chance(25) ? "!%u" : chance(5) ? "0%u" : "%u",
				 port);
			make_exec(fd, name);
		}
		close(fd);
	}
	if ((fd = make_subdir(treefd, "byaddr")) >= 0) {
		for (i = 0, n = (int)rnd(5); i < n; i++) {
			unsigned port = PICK(ports), k = rnd(4);
			const char *bang = chance(25) ? "!" : "";

			switch (rnd(5)) {
			case 0:
				snprintf(name, sizeof(name), "%s%s:%u", bang, addrs4[k], port);
				break;
			case 1:
				snprintf(name, sizeof(name), "%s%s,%u", bang, addrs4[k], port);
				break;
			case 2:
				snprintf(name, sizeof(name), "%s%s,%u", bang, addrs6[k], port);
				break;
			case 3:
				snprintf(name, sizeof(name), "%s%s,%u", bang, full6[k], port);
				break;
			default:
				snprintf(name, sizeof(name), "%s::ffff:%s,%u", bang, addrs4[k], port);
				break;
			}
			make_exec(fd, name);
		}
		close(fd);
	}
	if ((fd = make_subdir(treefd, "byuid")) >= 0) {
		static const char *const names[] = { "41000", "!41000", "alice", "41001",
						     "!41001", "bob", "41002" };

		for (i = 0, n = (int)rnd(5); i < n; i++)
			make_rules(fd, PICK(names));
		close(fd);
	}
	if ((fd = make_subdir(treefd, "bygid")) >= 0) {
		for (i = 0, n = (int)rnd(4); i < n; i++)
			make_rules(fd, PICK(group_files));
		close(fd);
	}
	return 0;
}

void gen_target(struct ab_target *t)
{
	static const char *const more[] = {
		"10.0.0.0", "10.255.255.255", "11.0.0.0", "127.255.255.255", "192.0.2.15",
		"192.0.2.16", "10.1.2.200", "10.1.2.201", "::2", "::ff", "::100",
		"2001:db8:ffff::", "2001:db9::", "fe80::ffff", "::ffff:10.1.2.3",
		"255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	};
	const char *text;
	unsigned port = PICK(ports);

	memset(t, 0, sizeof(*t));
	switch (rnd(3)) {
	case 0:
		text = PICK(addrs4);
		break;
	case 1:
		text = PICK(addrs6);
		break;
	default:
		text = PICK(more);
		break;
	}
	REQUIRE((ab_addr_parse(&t->addr, text, strlen(text))) == (0));
	ab_addr_unmap(&t->addr);
	if (t->addr.family == AF_INET6 && t->addr.bytes[0] == 0xfe && chance(50))
		t->addr.scope_id = 1 + rnd(3);
	t->port = (uint16_t)(chance(80) ? port : port + 1);
	t->proto = chance(50) ? IPPROTO_TCP : IPPROTO_UDP;
}

void gen_caller(struct ab_caller *c, gid_t groups[2], int no_root)
{
	static const gid_t extra[] = { 41500, 41501 };
	size_t i;

	memset(c, 0, sizeof(*c));
	do
		c->uid = PICK(uids);
	while (no_root && c->uid == 0);
	c->gid = chance(70) ? 41000 : 41500;
	for (i = 0; i < 2; i++)
		if (chance(40))
			groups[c->ngroups++] = extra[i];
	c->groups = groups;
	c->user_name = gen_user_name(c->uid);
	c->group_by_name = gen_group_by_name;
}


void gen_seed(unsigned long long seed)
{
	rng_state = seed;
}
