/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the randomized unit tests share: a seed that can be repeated, and a
 * scratch directory removed whole. */
#ifndef AB_TESTS_SCRATCH_H
#define AB_TESTS_SCRATCH_H

/* The seed of one randomized run: $ENV_NAME when set, else the time.
 * Prints "PROGRAM: seed N (ENV_NAME=N repeats this run)" on stderr. */
unsigned long long ab_test_seed(const char *program, const char *env_name);

/* Removes DIR and everything below it; never follows a symlink. */
void ab_test_rmtree(const char *dir);

#endif
