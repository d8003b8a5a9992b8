/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ab_exec_allowed against the kernel: on real files with random owners,
 * groups, modes and POSIX ACLs, a child process with a random real uid,
 * gid and supplementary groups asks access(X_OK), and ab_exec_allowed,
 * given the file's lstat and ACL as the policy code reads them, must give
 * the same answer every time.  This is what makes --explain, --list and
 * authbindd agree with what Debian's helper (which called access()) did.
 *
 * Also a table of ACL cases with the answers worked out by hand.
 *
 * The kernel comparison needs root (to give files away and to become
 * other users); skipped with a note otherwise.  AB_PERM_SEED=N repeats a
 * run.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "policy.h"
#include "scratch.h"

#define FILES 300
#define CALLERS_PER_FILE 12

static char base_dir[] = "/tmp/check_perm.XXXXXX";
static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng_state >> 33) % n;
}

#define PICK(array) (array[rnd(sizeof(array) / sizeof(array[0]))])

/* ACL tags and the on-disk layout (linux/posix_acl_xattr.h). */
enum { UO = 0x01, US = 0x02, GO = 0x04, GR = 0x08, MA = 0x10, OT = 0x20 };

struct ace {
	unsigned tag, perm;
	uint32_t id;
};

static size_t acl_bytes(const struct ace *e, size_t n, uint8_t *out)
{
	size_t i;

	out[0] = 2;
	out[1] = out[2] = out[3] = 0;
	for (i = 0; i < n; i++) {
		uint8_t *p = out + 4 + 8 * i;

		p[0] = (uint8_t)e[i].tag;
		p[1] = (uint8_t)(e[i].tag >> 8);
		p[2] = (uint8_t)e[i].perm;
		p[3] = (uint8_t)(e[i].perm >> 8);
		p[4] = (uint8_t)e[i].id;
		p[5] = (uint8_t)(e[i].id >> 8);
		p[6] = (uint8_t)(e[i].id >> 16);
		p[7] = (uint8_t)(e[i].id >> 24);
	}
	return 4 + 8 * n;
}

/* ---- by hand ---- */

#define NONE 0xffffffffu

struct acl_case {
	const char *what;
	uid_t owner;
	gid_t group;
	mode_t mode; /* with an ACL, its group bits are the mask */
	struct ace acl[8];
	size_t n;
	uid_t uid;
	gid_t gid;
	gid_t groups[2];
	size_t ngroups;
	int allowed;
};

static const struct acl_case acl_cases[] = {
	{ "named user r-x, root-owned 0550", 0, 0, 0550,
	  { { UO, 5, NONE }, { US, 5, 41000 }, { GO, 0, NONE }, { MA, 5, NONE }, { OT, 0, NONE } }, 5,
	  41000, 41000, { 0 }, 0, 1 },
	{ "another user: other bits", 0, 0, 0550,
	  { { UO, 5, NONE }, { US, 5, 41000 }, { GO, 0, NONE }, { MA, 5, NONE }, { OT, 0, NONE } }, 5,
	  41001, 41001, { 0 }, 0, 0 },
	{ "named user ---, other r-x: denied", 0, 0, 0555,
	  { { UO, 5, NONE }, { US, 0, 41000 }, { GO, 5, NONE }, { MA, 5, NONE }, { OT, 5, NONE } }, 5,
	  41000, 41000, { 0 }, 0, 0 },
	{ "named user r-x limited by mask r--", 0, 0, 0545,
	  { { UO, 5, NONE }, { US, 5, 41000 }, { GO, 4, NONE }, { MA, 4, NONE }, { OT, 5, NONE } }, 5,
	  41000, 41000, { 0 }, 0, 0 },
	{ "empty mask: the ACL is not read, other bits count", 0, 0, 0505,
	  { { UO, 5, NONE }, { US, 0, 41000 }, { GO, 0, NONE }, { MA, 0, NONE }, { OT, 5, NONE } }, 5,
	  41000, 41000, { 0 }, 0, 1 },
	{ "named group r-x", 0, 0, 0550,
	  { { UO, 5, NONE }, { GO, 0, NONE }, { GR, 5, 41500 }, { MA, 5, NONE }, { OT, 0, NONE } }, 5,
	  41000, 41000, { 41500 }, 1, 1 },
	{ "a matching group without x denies, whatever other says", 0, 0, 0555,
	  { { UO, 5, NONE }, { GO, 5, NONE }, { GR, 4, 41500 }, { MA, 5, NONE }, { OT, 5, NONE } }, 5,
	  41000, 41000, { 41500 }, 1, 0 },
	{ "any matching group with x grants", 0, 0, 0550,
	  { { UO, 5, NONE }, { GO, 0, NONE }, { GR, 4, 41500 }, { GR, 5, 41501 }, { MA, 5, NONE },
	    { OT, 0, NONE } }, 6,
	  41000, 41000, { 41500, 41501 }, 2, 1 },
	{ "the owner: owner bits alone, ACL or not", 41000, 0, 0055,
	  { { UO, 0, NONE }, { US, 5, 41000 }, { GO, 5, NONE }, { MA, 5, NONE }, { OT, 5, NONE } }, 5,
	  41000, 41000, { 0 }, 0, 0 },
	{ "root: any x bit", 41000, 0, 0100,
	  { { UO, 1, NONE }, { GO, 0, NONE }, { MA, 0, NONE }, { OT, 0, NONE } }, 4,
	  0, 0, { 0 }, 0, 1 },
};

START_TEST(test_acl_cases)
{
	const struct acl_case *t = &acl_cases[_i];
	struct ab_caller c = { t->uid, t->gid, t->groups, t->ngroups, NULL, NULL, NULL };
	uint8_t acl[4 + 8 * 8];
	struct ab_exec_file f;

	memset(&f, 0, sizeof(f));
	f.uid = t->owner;
	f.gid = t->group;
	f.mode = S_IFREG | t->mode;
	f.acl_len = acl_bytes(t->acl, t->n, acl);
	f.acl = acl;
	ck_assert_msg(ab_exec_allowed(&f, &c) == t->allowed, "%s: got %d", t->what,
		      !t->allowed);
}
END_TEST

START_TEST(test_acl_malformed)
{
	struct ab_caller c = { 41000, 41000, NULL, 0, NULL, NULL, NULL };
	static const uint8_t bad_version[12] = { 1, 0, 0, 0, 0x20, 0, 5, 0, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t bad_length[10] = { 2, 0, 0, 0, 0x20, 0, 5, 0, 0xff, 0xff };
	struct ab_exec_file f = { 0, 0, S_IFREG | 0555, bad_version, sizeof(bad_version) };

	ck_assert_int_eq(ab_exec_allowed(&f, &c), 0);
	f.acl = bad_length;
	f.acl_len = sizeof(bad_length);
	ck_assert_int_eq(ab_exec_allowed(&f, &c), 0);
}
END_TEST

/* ---- against the kernel ---- */

static const uid_t uids[] = { 41000, 41001, 41002 };
static const gid_t gids[] = { 41000, 41500, 41501, 41502 };

/* The most entries random_acl() makes: owner, 3 users, group, 4 groups,
 * mask, other. */
#define RANDOM_ACL_MAX 11

/* A random valid ACL (sorted, one mask when named entries exist), or none,
 * in OUT, which has room for RANDOM_ACL_MAX entries. */
static size_t random_acl(uint8_t *out)
{
	struct ace e[RANDOM_ACL_MAX];
	size_t n = 0, i;

	if (rnd(3) == 0)
		return 0;
	e[n++] = (struct ace){ UO, rnd(8), NONE };
	for (i = 0; i < 3; i++)
		if (rnd(2))
			e[n++] = (struct ace){ US, rnd(8), uids[i] };
	e[n++] = (struct ace){ GO, rnd(8), NONE };
	for (i = 0; i < 4; i++)
		if (rnd(2))
			e[n++] = (struct ace){ GR, rnd(8), gids[i] };
	e[n++] = (struct ace){ MA, rnd(8), NONE };
	e[n++] = (struct ace){ OT, rnd(8), NONE };
	return acl_bytes(e, n, out);
}

/* access(X_OK) as a process of that real uid, gid and groups. */
static int kernel_allows(const char *path, uid_t uid, gid_t gid, const gid_t *groups,
			 size_t ngroups)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (setgroups(ngroups, groups) != 0 || setresgid(gid, gid, gid) != 0 ||
		    setresuid(uid, uid, uid) != 0)
			_exit(3);
		_exit(access(path, X_OK) == 0 ? 0 : errno == EACCES ? 1 : 2);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) <= 1,
		      "child for %s: status %d", path, status);
	return WEXITSTATUS(status) == 0;
}

START_TEST(test_against_access)
{
	unsigned long long seed;
	unsigned allowed = 0, asked = 0;
	int i, k;

	if (geteuid() != 0) {
		fprintf(stderr, "check_perm: SKIP the comparison with access(2): needs root\n");
		return;
	}
	/* The callers must be able to reach the files. */
	ck_assert_int_eq(chmod(base_dir, 0755), 0);
	seed = ab_test_seed("check_perm", "AB_PERM_SEED");
	rng_state = seed;
	for (i = 0; i < FILES; i++) {
		static const uid_t owners[] = { 0, 41000, 41001 };
		uint8_t acl[4 + 8 * RANDOM_ACL_MAX], got[AB_ACL_MAX];
		char path[sizeof(base_dir) + 16];
		struct ab_exec_file f;
		struct stat st;
		size_t len, acl_len;
		int fd;

		snprintf(path, sizeof(path), "%s/f%d", base_dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		ck_assert_int_ge(fd, 0);
		close(fd);
		ck_assert_int_eq(chown(path, PICK(owners), PICK(gids)), 0);
		ck_assert_int_eq(chmod(path, rnd(01000)), 0);
		acl_len = random_acl(acl);
		if (acl_len > 0)
			ck_assert_msg(setxattr(path, "system.posix_acl_access", acl, acl_len, 0) == 0,
				      "setxattr: %s", strerror(errno));
		/* Read it back as the policy code does. */
		fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(fstat(fd, &st), 0);
		ck_assert_int_eq(ab_acl_read(fd, got, sizeof(got), &len), 0);
		close(fd);
		memset(&f, 0, sizeof(f));
		f.uid = st.st_uid;
		f.gid = st.st_gid;
		f.mode = st.st_mode;
		f.acl = len > 0 ? got : NULL;
		f.acl_len = len;
		for (k = 0; k < CALLERS_PER_FILE; k++) {
			gid_t groups[4];
			struct ab_caller c;
			size_t g;
			int kernel, ours;

			memset(&c, 0, sizeof(c));
			c.uid = PICK(uids);
			c.gid = PICK(gids);
			for (g = 0; g < 4; g++)
				if (rnd(3) == 0)
					groups[c.ngroups++] = gids[g];
			c.groups = groups;
			kernel = kernel_allows(path, c.uid, c.gid, groups, c.ngroups);
			ours = ab_exec_allowed(&f, &c);
			ck_assert_msg(kernel == ours,
				      "seed %llu, file %d (owner %u group %u mode %04o, ACL of %zu "
				      "bytes), uid %u gid %u %zu groups: access() says %d, we say %d",
				      seed, i, (unsigned)st.st_uid, (unsigned)st.st_gid,
				      (unsigned)(st.st_mode & 07777), len, (unsigned)c.uid,
				      (unsigned)c.gid, c.ngroups, kernel, ours);
			allowed += (unsigned)ours;
			asked++;
		}
	}
	fprintf(stderr, "check_perm: %u callers asked about %d files, %u allowed: all as "
		"access() answers\n", asked, FILES, allowed);
	ck_assert(allowed > asked / 10 && allowed < asked - asked / 10);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("perm");
	TCase *tc = tcase_create("exec");
	SRunner *sr;
	int failed;

	if (mkdtemp(base_dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_acl_cases, 0, (int)(sizeof(acl_cases) / sizeof(acl_cases[0])));
	tcase_add_test(tc, test_acl_malformed);
	tcase_add_test(tc, test_against_access);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	ab_test_rmtree(base_dir);
	return failed == 0 ? 0 : 1;
}
