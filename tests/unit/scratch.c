/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The seed and the scratch directory of the randomized unit tests. */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "scratch.h"

unsigned long long ab_test_seed(const char *program, const char *env_name)
{
	const char *env = getenv(env_name);
	unsigned long long seed = env != NULL ? strtoull(env, NULL, 10)
					      : (unsigned long long)time(NULL);

	fprintf(stderr, "%s: seed %llu (%s=%llu repeats this run)\n", program, seed,
		env_name, seed);
	return seed;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void ab_test_rmtree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
