/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for common/env.c (LD_PRELOAD and AUTHBIND_DEPTH handling),
 * and for the wrapper's use of it: the built `authbind` is run with a
 * chosen environment and `env` as COMMAND.
 */
#include "config.h"
#include "paths.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "env.h"

#define LIB "/usr/lib/x/libauthbind.so"

/* ---- ab_preload_add ---- */

struct preload_case {
	const char *old;
	const char *want;
};

static const struct preload_case add_cases[] = {
	{ NULL, LIB },
	{ "", LIB },
	{ "   ", LIB },
	{ ":", LIB },
	{ " : \t:", LIB },
	{ "a.so", "a.so:" LIB },
	{ "a.so:b.so", "a.so:b.so:" LIB },
	{ "a.so b.so", "a.so:b.so:" LIB },
	{ "a.so\tb.so", "a.so:b.so:" LIB },
	{ "  a.so  ::  b.so  ", "a.so:b.so:" LIB },
	{ "a.so:", "a.so:" LIB },
	{ ":a.so", "a.so:" LIB },
	/* Already there, anywhere and under any directory: moved to the end, once. */
	{ LIB, LIB },
	{ LIB ":a.so", "a.so:" LIB },
	{ "a.so:" LIB ":b.so", "a.so:b.so:" LIB },
	{ "a.so " LIB " b.so", "a.so:b.so:" LIB },
	{ LIB ":" LIB, LIB },
	{ "a.so:" LIB ":" LIB, "a.so:" LIB },
	{ "/other/libauthbind.so:a.so", "a.so:" LIB },
	{ "libauthbind.so", LIB },
	{ "$LIB/libauthbind.so b.so", "b.so:" LIB },
	{ "/a/libauthbind.so /b/libauthbind.so", LIB },
	/* Other files are kept, whatever their name looks like. */
	{ "/x/libauthbind.so.1", "/x/libauthbind.so.1:" LIB },
	{ "/x/notlibauthbind.so", "/x/notlibauthbind.so:" LIB },
	{ "notlibauthbind.so", "notlibauthbind.so:" LIB },
	{ "libauthbind.so.1:a.so", "libauthbind.so.1:a.so:" LIB },
	{ "/x/libauthbind.sox", "/x/libauthbind.sox:" LIB },
	{ "/libauthbind.so/x.so", "/libauthbind.so/x.so:" LIB },
	{ "/usr/lib/authbind/libauthbind.so.1 " LIB,
	  "/usr/lib/authbind/libauthbind.so.1:" LIB },
};

START_TEST(test_preload_add)
{
	const struct preload_case *t = &add_cases[_i];
	size_t need = strlen(t->want) + 1;
	char out[512];

	memset(out, '#', sizeof(out));
	ck_assert_int_eq(ab_preload_add(out, sizeof(out), t->old, LIB), 0);
	ck_assert_str_eq(out, t->want);
	/* Exactly big enough works; one byte less fails. */
	memset(out, '#', sizeof(out));
	ck_assert_int_eq(ab_preload_add(out, need, t->old, LIB), 0);
	ck_assert_str_eq(out, t->want);
	ck_assert_msg(out[need] == '#', "wrote past the end");
	memset(out, '#', sizeof(out));
	ck_assert_msg(ab_preload_add(out, need - 1, t->old, LIB) == -1,
		      "\"%s\" fitted in %zu bytes", t->old ? t->old : "(null)", need - 1);
	ck_assert_msg(memchr(out + need - 1, '#', 1) != NULL, "wrote past the end");
}
END_TEST

START_TEST(test_preload_add_small)
{
	char out[8];

	memset(out, '#', sizeof(out));
	ck_assert_int_eq(ab_preload_add(out, 0, "a.so", LIB), -1);
	ck_assert_int_eq(out[0], '#');
	ck_assert_int_eq(ab_preload_add(out, 1, NULL, LIB), -1);
	ck_assert_int_eq(ab_preload_add(out, sizeof(out), "a.so", LIB), -1);
	ck_assert_int_eq(ab_preload_add(out, 4, "a.so", "b.so"), -1);
	ck_assert_int_eq(ab_preload_add(out, sizeof(out), NULL, "b.so"), 0);
	ck_assert_str_eq(out, "b.so");
}
END_TEST

/* ---- ab_preload_remove ---- */

static const struct preload_case remove_cases[] = {
	{ NULL, "" },
	{ "", "" },
	{ " :: ", "" },
	{ LIB, "" },
	{ "libauthbind.so", "" },
	{ "a.so", "a.so" },
	{ "a.so:" LIB ":b.so", "a.so:b.so" },
	{ LIB " a.so", "a.so" },
	{ "a.so\t" LIB, "a.so" },
	{ "/a/libauthbind.so /b/libauthbind.so", "" },
	{ "a.so b.so", "a.so:b.so" },
	{ "x/libauthbind.so:libauthbind.so.1:notlibauthbind.so",
	  "libauthbind.so.1:notlibauthbind.so" },
	{ "/x/libauthbind.so.1 /y/notlibauthbind.so " LIB,
	  "/x/libauthbind.so.1:/y/notlibauthbind.so" },
	{ "  a.so  ", "a.so" },
};

START_TEST(test_preload_remove)
{
	const struct preload_case *t = &remove_cases[_i];
	size_t need = strlen(t->want) + 1;
	char out[512];

	memset(out, '#', sizeof(out));
	ck_assert_int_eq(ab_preload_remove(out, sizeof(out), t->old), 0);
	ck_assert_str_eq(out, t->want);
	memset(out, '#', sizeof(out));
	ck_assert_int_eq(ab_preload_remove(out, need, t->old), 0);
	ck_assert_str_eq(out, t->want);
	ck_assert_msg(out[need] == '#', "wrote past the end");
	ck_assert_msg(ab_preload_remove(out, need - 1, t->old) == -1,
		      "\"%s\" fitted in %zu bytes", t->old ? t->old : "(null)", need - 1);
}
END_TEST

/* ---- ab_depth_parse ---- */

struct depth_case {
	const char *text;
	int ok;
	int depth;
};

static const struct depth_case depth_cases[] = {
	{ "deep", 1, AB_DEPTH_DEEP },
	{ "1", 1, 1 },
	{ "2", 1, 2 },
	{ "9", 1, 9 },
	{ "10", 1, 10 },
	{ "42", 1, 42 },
	{ "99", 1, 99 },
	{ "100", 1, 100 },
	{ NULL, 0, 0 },
	{ "", 0, 0 },
	{ "0", 0, 0 },
	{ "00", 0, 0 },
	{ "101", 0, 0 },
	{ "999", 0, 0 },
	{ "1000", 0, 0 },
	{ "4294967297", 0, 0 },
	{ "+1", 0, 0 },
	{ "-1", 0, 0 },
	/* One spelling per value: a leading zero is refused. */
	{ "01", 0, 0 },
	{ "001", 0, 0 },
	{ "010", 0, 0 },
	{ "0100", 0, 0 },
	{ " 1", 0, 0 },
	{ "1 ", 0, 0 },
	{ "1\n", 0, 0 },
	{ "0x1", 0, 0 },
	{ "1e2", 0, 0 },
	{ "1.0", 0, 0 },
	{ "DEEP", 0, 0 },
	{ "Deep", 0, 0 },
	{ "deep ", 0, 0 },
	{ " deep", 0, 0 },
	{ "deeper", 0, 0 },
	{ "dee", 0, 0 },
};

START_TEST(test_depth_parse)
{
	const struct depth_case *t = &depth_cases[_i];
	int depth = -7, ret;

	ret = ab_depth_parse(t->text, &depth);
	if (!t->ok) {
		ck_assert_msg(ret == -1, "\"%s\" accepted as %d", t->text, depth);
		ck_assert_msg(depth == -7, "\"%s\": depth written on failure", t->text);
		return;
	}
	ck_assert_msg(ret == 0, "\"%s\" refused", t->text);
	ck_assert_int_eq(depth, t->depth);
}
END_TEST

/* ---- the wrapper ---- */

/* The built wrapper, or NULL (then its tests say so and pass). */
static const char *wrapper_path(void)
{
	static char path[4096];
	const char *dir = getenv("AB_BUILDDIR");

	if (dir == NULL || *dir == '\0')
		return NULL;
	snprintf(path, sizeof(path), "%s/authbind", dir);
	return access(path, X_OK) == 0 ? path : NULL;
}

/* Runs the wrapper with argv and envp; returns its exit status, with its
 * stdout in out (stderr is dropped). */
static int run_wrapper(const char *wrapper, char *const argv[], char *const envp[],
		       char *out, size_t size)
{
	int fds[2], status;
	size_t used = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(fds[1], 1) < 0 || dup2(null, 2) < 0)
			_exit(99);
		close(fds[0]);
		execve(wrapper, argv, envp);
		_exit(98);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], out + used, size - 1 - used);

		if (n < 0 && errno == EINTR)
			continue;
		ck_assert_int_ge(n, 0);
		if (n == 0)
			break;
		used += (size_t)n;
		ck_assert_msg(used < size - 1, "too much output");
	}
	out[used] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		ck_assert_int_eq(errno, EINTR);
	ck_assert_msg(WIFEXITED(status), "wrapper killed by signal %d", WTERMSIG(status));
	ck_assert_msg(WEXITSTATUS(status) != 98 && WEXITSTATUS(status) != 99,
		      "could not run %s", wrapper);
	return WEXITSTATUS(status);
}

/* The value of name in env's output, or NULL. */
static const char *env_value(const char *out, const char *name, char *buf, size_t size)
{
	size_t n = strlen(name);
	const char *p = out;

	while (*p != '\0') {
		const char *end = strchr(p, '\n');
		size_t len = end == NULL ? strlen(p) : (size_t)(end - p);

		if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
			ck_assert_uint_lt(len - n - 1, size);
			memcpy(buf, p + n + 1, len - n - 1);
			buf[len - n - 1] = '\0';
			return buf;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	return NULL;
}

#define SKIP_WITHOUT_WRAPPER(w) \
	do { \
		if ((w) == NULL) { \
			fprintf(stderr, "check_env: SKIP %s: no built wrapper " \
				"($AB_BUILDDIR/authbind)\n", __func__); \
			return; \
		} \
	} while (0)

START_TEST(test_wrapper_deep_env)
{
	const char *w = wrapper_path();
	char out[16384], buf[1024];
	char *argv[] = { (char *)"authbind", (char *)"--deep", (char *)"--", (char *)"env", NULL };
	char *envp[] = { (char *)"PATH=/usr/bin:/bin",
			 (char *)"LD_PRELOAD=/usr/lib/old/libauthbind.so  libnot.so",
			 (char *)"AUTHBIND_DEPTH=7", NULL };

	SKIP_WITHOUT_WRAPPER(w);
	ck_assert_int_eq(run_wrapper(w, argv, envp, out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(env_value(out, "LD_PRELOAD", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "libnot.so:" AB_LIB_PATH);
	ck_assert_ptr_nonnull(env_value(out, "AUTHBIND_DEPTH", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "deep");
	ck_assert_ptr_null(env_value(out, "AUTHBIND_QUIET", buf, sizeof(buf)));
	ck_assert_ptr_nonnull(env_value(out, "PATH", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "/usr/bin:/bin");
}
END_TEST

START_TEST(test_wrapper_quiet_env)
{
	const char *w = wrapper_path();
	char out[16384], buf[1024];
	char *argv[] = { (char *)"authbind", (char *)"--quiet", (char *)"--deep",
			 (char *)"env", NULL };
	char *envp[] = { (char *)"PATH=/usr/bin:/bin", NULL };

	SKIP_WITHOUT_WRAPPER(w);
	ck_assert_int_eq(run_wrapper(w, argv, envp, out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(env_value(out, "LD_PRELOAD", buf, sizeof(buf)));
	ck_assert_str_eq(buf, AB_LIB_PATH);
	ck_assert_ptr_nonnull(env_value(out, "AUTHBIND_QUIET", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "1");
}
END_TEST

/*
 * Without --deep, what `env` sees depends on whether the installed
 * library loads into it: the library then takes one level off
 * AUTHBIND_DEPTH, and at the last level takes itself out of LD_PRELOAD.
 */
START_TEST(test_wrapper_depth_env)
{
	const char *w = wrapper_path();
	int loaded = access(AB_LIB_PATH, R_OK) == 0;
	char out[16384], buf[1024];
	char *argv3[] = { (char *)"authbind", (char *)"--depth", (char *)"3",
			  (char *)"env", NULL };
	char *argv1[] = { (char *)"authbind", (char *)"env", NULL };
	char *envp[] = { (char *)"PATH=/usr/bin:/bin", (char *)"LD_PRELOAD=a.so", NULL };

	SKIP_WITHOUT_WRAPPER(w);
	ck_assert_int_eq(run_wrapper(w, argv3, envp, out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(env_value(out, "AUTHBIND_DEPTH", buf, sizeof(buf)));
	ck_assert_str_eq(buf, loaded ? "2" : "3");
	ck_assert_ptr_nonnull(env_value(out, "LD_PRELOAD", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "a.so:" AB_LIB_PATH);

	ck_assert_int_eq(run_wrapper(w, argv1, envp, out, sizeof(out)), 0);
	if (loaded) {
		ck_assert_ptr_null(env_value(out, "AUTHBIND_DEPTH", buf, sizeof(buf)));
		ck_assert_ptr_nonnull(env_value(out, "LD_PRELOAD", buf, sizeof(buf)));
		ck_assert_str_eq(buf, "a.so");
	} else {
		ck_assert_ptr_nonnull(env_value(out, "AUTHBIND_DEPTH", buf, sizeof(buf)));
		ck_assert_str_eq(buf, "1");
		ck_assert_ptr_nonnull(env_value(out, "LD_PRELOAD", buf, sizeof(buf)));
		ck_assert_str_eq(buf, "a.so:" AB_LIB_PATH);
	}
}
END_TEST

struct usage_case {
	char *args[6];
	int status;
};

static const struct usage_case usage_cases[] = {
	{ { "--depth", "100", "true" }, 0 },
	{ { "--depth", "1", "--", "true" }, 0 },
	{ { "--deep", "--deep", "true" }, 0 },
	{ { "--depth", "1", "false" }, 1 },
	{ { "--help" }, 0 },
	{ { "--version" }, 0 },
	{ { "--depth", "0", "true" }, 255 },
	{ { "--depth", "101", "true" }, 255 },
	{ { "--depth", "01", "true" }, 255 },
	{ { "--depth", "+1", "true" }, 255 },
	{ { "--depth", "deep", "true" }, 255 },
	{ { "--depth", "", "true" }, 255 },
	{ { "--depth=2x", "true" }, 255 },
	{ { "--deep", "--depth", "2", "true" }, 255 },
	{ { "--depth", "2", "--deep", "true" }, 255 },
	{ { "--depth", "2", "--depth", "3", "true" }, 255 },
	{ { "--depth" }, 255 },
	{ { "--bogus", "true" }, 255 },
	{ { "--" }, 255 },
	{ { NULL }, 255 },
	{ { "no-such-command-for-authbind" }, 127 },
	/* Options after COMMAND are COMMAND's. */
	{ { "true", "--depth", "0" }, 0 },
};

START_TEST(test_wrapper_usage)
{
	const struct usage_case *t = &usage_cases[_i];
	const char *w = wrapper_path();
	char out[16384];
	char *argv[8] = { (char *)"authbind" };
	char *envp[] = { (char *)"PATH=/usr/bin:/bin", NULL };
	size_t i;

	SKIP_WITHOUT_WRAPPER(w);
	for (i = 0; i < 6 && t->args[i] != NULL; i++)
		argv[i + 1] = t->args[i];
	argv[i + 1] = NULL;
	ck_assert_msg(run_wrapper(w, argv, envp, out, sizeof(out)) == t->status,
		      "case %d (%s %s ...): exit status is not %d", _i,
		      t->args[0] ? t->args[0] : "", t->args[0] && t->args[1] ? t->args[1] : "",
		      t->status);
}
END_TEST

#define COUNT(a) (int)(sizeof(a) / sizeof((a)[0]))

static Suite *env_suite(void)
{
	Suite *s = suite_create("env");
	TCase *tc;

	tc = tcase_create("preload");
	tcase_add_loop_test(tc, test_preload_add, 0, COUNT(add_cases));
	tcase_add_test(tc, test_preload_add_small);
	tcase_add_loop_test(tc, test_preload_remove, 0, COUNT(remove_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("depth");
	tcase_add_loop_test(tc, test_depth_parse, 0, COUNT(depth_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("wrapper");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_wrapper_deep_env);
	tcase_add_test(tc, test_wrapper_quiet_env);
	tcase_add_test(tc, test_wrapper_depth_env);
	tcase_add_loop_test(tc, test_wrapper_usage, 0, COUNT(usage_cases));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(env_suite());
	int failed;

	if (wrapper_path() == NULL)
		fprintf(stderr, "check_env: no built wrapper in $AB_BUILDDIR: the "
			"wrapper cases are skipped\n");
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
