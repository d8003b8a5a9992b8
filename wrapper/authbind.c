/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * authbind: run COMMAND with libauthbind preloaded, or explain the policy.
 *
 *   authbind [--deep | --depth N] [--quiet] [--] COMMAND [ARG...]
 *   authbind --explain [--user U] [tcp|udp] ADDRESS:PORT
 *   authbind --list [--user U]
 *   authbind --check-config
 *
 * Exit status: COMMAND's own once it runs; 255 for a usage error (as
 * authbind always had); 126 when COMMAND cannot be run, 127 when it is not
 * found (as the shell has it).  --explain: 0 granted, 1 denied; --list 0;
 * --check-config: 0 clean, 1 problems found; 2 when they cannot answer.
 */
#include "config.h"
#include "paths.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "env.h"

#ifdef __SANITIZE_ADDRESS__
/* The sanitizer build only: the wrapper runs under whatever LD_PRELOAD
 * the user has (keeping it is its job), which puts libraries before the
 * ASan runtime; that is harmless here, so do not refuse to start. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "verify_asan_link_order=0";
}
#endif

static void usage(FILE *out)
{
	fprintf(out,
		"usage: authbind [--deep | --depth N] [--quiet] [--] COMMAND [ARG...]\n"
		"       authbind --explain [--user U] [tcp|udp] ADDRESS:PORT\n"
		"       authbind --list [--user U]\n"
		"       authbind --check-config\n"
		"Runs COMMAND so that its bind() to a low port is granted by the\n"
		"policy in %s.\n"
		"\n"
		"  --deep          the grant follows into every child process\n"
		"  --depth N       ... into N levels of programs (1-100; default 1:\n"
		"                  COMMAND only)\n"
		"  --quiet         no warnings, and no line on stderr when a bind is refused\n"
		"  --explain       whether a bind would be granted, by which file and line\n"
		"  --list          every rule that grants the user something\n"
		"  --check-config  report every problem in the policy tree\n"
		"  --user U        with --explain and --list: answer for user U (root only)\n"
		"  --help          this text\n"
		"  --version       the version\n",
		AB_POLICY_DIR);
}

int ab_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "authbind: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see authbind --help)\n");
	return AB_EXIT_USAGE;
}

static void set_or_die(const char *name, const char *value)
{
	if (setenv(name, value, 1) != 0) {
		fprintf(stderr, "authbind: cannot set %s: %s\n", name, strerror(errno));
		exit(AB_EXIT_USAGE);
	}
}

enum mode { RUN, EXPLAIN, LIST, CHECK_CONFIG };

static int run(char **argv, int depth, int depth_given, int quiet)
{
	const char *old = getenv("LD_PRELOAD");
	size_t size = (old == NULL ? 0 : strlen(old)) + sizeof(AB_LIB_PATH) + 2;
	char depth_text[16], *preload = malloc(size);

	if (preload == NULL || ab_preload_add(preload, size, old, AB_LIB_PATH) != 0) {
		fprintf(stderr, "authbind: out of memory\n");
		return AB_EXIT_USAGE;
	}
	depth = ab_preflight(argv[0], depth, depth_given, quiet);
	set_or_die("LD_PRELOAD", preload);
	free(preload);
	if (depth == AB_DEPTH_DEEP)
		snprintf(depth_text, sizeof(depth_text), "deep");
	else
		snprintf(depth_text, sizeof(depth_text), "%d", depth);
	set_or_die(AB_DEPTH_VAR, depth_text);
	if (quiet)
		set_or_die(AB_QUIET_VAR, "1");
	execvp(argv[0], argv);
	fprintf(stderr, "authbind: cannot run %s: %s\n", argv[0], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "deep", no_argument, NULL, 'd' },
		{ "depth", required_argument, NULL, 'D' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "explain", no_argument, NULL, 'e' },
		{ "list", no_argument, NULL, 'l' },
		{ "check-config", no_argument, NULL, 'c' },
		{ "user", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	enum mode mode = RUN;
	const char *user = NULL;
	int depth = 1, depth_given = 0, quiet = 0, c, rest, at;

	opterr = 0;
	/* '+': options end at COMMAND, whose own options are its own.  at is
	 * the argument being parsed, for the message: in a cluster of short
	 * options ("-xy") optind has not yet moved past it. */
	while ((at = optind, c = getopt_long(argc, argv, "+:", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (depth_given && depth != AB_DEPTH_DEEP)
				return ab_usage_error("--deep and --depth exclude each other");
			depth = AB_DEPTH_DEEP;
			depth_given = 1;
			break;
		case 'D':
			if (depth_given)
				return ab_usage_error("give --depth once, and not with --deep");
			if (ab_depth_parse(optarg, &depth) != 0 || depth == AB_DEPTH_DEEP)
				return ab_usage_error("--depth takes a number from 1 to 100, not '%s'",
						      optarg);
			depth_given = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'e':
		case 'l':
		case 'c':
			if (mode != RUN)
				return ab_usage_error("give one of --explain, --list and --check-config");
			mode = c == 'e' ? EXPLAIN : c == 'l' ? LIST : CHECK_CONFIG;
			break;
		case 'u':
			user = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("authbind (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
		case ':':
			return ab_usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (strncmp(argv[at], "--", 2) == 0 && strchr(argv[at], '=') != NULL)
				return ab_usage_error("option '%.*s' takes no value",
						      (int)(strchr(argv[at], '=') - argv[at]), argv[at]);
			if (strncmp(argv[at], "--", 2) == 0)
				return ab_usage_error("unknown option '%s'", argv[at]);
			return ab_usage_error("unknown option '-%c'", optopt);
		}
	}
	rest = argc - optind;
	if (mode != RUN && depth_given)
		return ab_usage_error("--deep and --depth go with a COMMAND to run");
	if (user != NULL && mode != EXPLAIN && mode != LIST)
		return ab_usage_error("--user goes with --explain or --list");
	switch (mode) {
	case EXPLAIN:
		if (rest == 1)
			return ab_cmd_explain(user, NULL, argv[optind]);
		if (rest == 2)
			return ab_cmd_explain(user, argv[optind], argv[optind + 1]);
		return ab_usage_error("--explain takes [tcp|udp] ADDRESS:PORT");
	case LIST:
		if (rest != 0)
			return ab_usage_error("--list takes no arguments");
		return ab_cmd_list(user);
	case CHECK_CONFIG:
		if (rest != 0)
			return ab_usage_error("--check-config takes no arguments");
		return ab_cmd_check_config();
	case RUN:
		break;
	}
	if (rest == 0)
		return ab_usage_error("no COMMAND to run");
	return run(argv + optind, depth, depth_given, quiet);
}
