/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The readings of one policy tree, held to one answer on generated trees:
 * the walk on the files (what the helper and --explain do), the walk on
 * the tree read whole (authbindd, --check-config) and the regions the
 * tree grants (--list, authbindd's maps) must agree on every bind asked
 * (tests/unit/agree.c).  The trees mix every kind of entry: byport and
 * byaddr files with every mode, owner and group, POSIX ACLs, Debian's '!'
 * names, names no lookup tries, rule files with every line form, comments
 * and malformed lines, untrusted, unreadable and odd files, and missing or
 * untrusted subdirectories.
 *
 * Needs root (to give files to other users and set ACLs); skipped with a
 * note otherwise.  AB_TREE_SEED=N repeats one run; AB_TREE_TREES=N makes
 * it longer.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "agree.h"
#include "gentree.h"
#include "policy.h"
#include "scratch.h"
#include "tree.h"

#define BINDS_PER_TREE 150

static char base_dir[] = "/tmp/check_tree.XXXXXX";

START_TEST(test_generated_trees)
{
	unsigned long long seed;
	int trees = getenv("AB_TREE_TREES") != NULL ? atoi(getenv("AB_TREE_TREES")) : 400;
	unsigned granted = 0, asked = 0;
	int i, k;

	if (geteuid() != 0) {
		fprintf(stderr, "check_tree: SKIP: needs root to make trees of many owners\n");
		return;
	}
	seed = ab_test_seed("check_tree", "AB_TREE_SEED");
	gen_seed(seed);
	for (i = 0; i < trees; i++) {
		char dir[sizeof(base_dir) + 16], err[512], why[1024];
		struct ab_tree *tree;
		int treefd;

		snprintf(dir, sizeof(dir), "%s/t%d", base_dir, i);
		ck_assert_int_eq(mkdir(dir, 0755), 0);
		treefd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		ck_assert_int_ge(treefd, 0);
		gen_tree(treefd);
		tree = ab_tree_load(dir, err, sizeof(err));
		ck_assert_msg(tree != NULL, "tree %d: %s", i, err);
		for (k = 0; k < BINDS_PER_TREE; k++) {
			struct ab_caller c;
			struct ab_target t;
			struct ab_decision d;
			char where[AB_ENDPOINT_TEXT_MAX];
			gid_t groups[2];

			gen_caller(&c, groups, 0);
			gen_target(&t);
			ab_endpoint_format(&t.addr, t.port, where);
			ck_assert_msg(agree_check(treefd, tree, &c, &t, &d, why, sizeof(why)) == 0,
				      "seed %llu, tree %d (%s), uid %u gid %u groups %zu, %s %s: %s",
				      seed, i, dir, (unsigned)c.uid, (unsigned)c.gid, c.ngroups,
				      ab_proto_name(t.proto), where, why);
			granted += d.granted;
			asked++;
		}
		ab_tree_free(tree);
		close(treefd);
		ab_test_rmtree(dir);
	}
	fprintf(stderr, "check_tree: %d trees, %u binds asked, %u granted: all readings "
		"agree\n", trees, asked, granted);
	/* A run that never grants, or never refuses, proves little. */
	ck_assert_msg(granted > asked / 20 && granted < asked - asked / 20,
		      "only %u of %u binds granted: the generator is off", granted, asked);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tree");
	TCase *tc = tcase_create("agreement");
	SRunner *sr;
	int failed;

	if (mkdtemp(base_dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_generated_trees);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	ab_test_rmtree(base_dir);
	return failed == 0 ? 0 : 1;
}
