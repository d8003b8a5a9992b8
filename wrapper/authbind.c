/*
 * authbind: run COMMAND with libauthbind preloaded.
 *
 *   authbind [--deep | --depth N] [--quiet] [--] COMMAND [ARG...]
 *
 * Exit status: COMMAND's own once it runs; 255 for a usage error (as
 * authbind always had); 126 when COMMAND cannot be run, 127 when it is not
 * found (as the shell has it).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env.h"

#define EXIT_USAGE 255

static void usage(FILE *out)
{
	fprintf(out,
		"usage: authbind [--deep | --depth N] [--quiet] [--] COMMAND [ARG...]\n"
		"Runs COMMAND so that its bind() to a low port is granted by the\n"
		"policy in %s.\n"
		"\n"
		"  --deep        the grant follows into every child process\n"
		"  --depth N     ... into N levels of programs (1-100; default 1:\n"
		"                COMMAND only)\n"
		"  --quiet       no line on stderr when a bind is refused\n"
		"  --help        this text\n"
		"  --version     the version\n",
		AB_POLICY_DIR);
}

__attribute__((format(printf, 1, 2), noreturn))
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "authbind: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'authbind --help'.\n");
	exit(EXIT_USAGE);
}

static void set_or_die(const char *name, const char *value)
{
	if (setenv(name, value, 1) != 0) {
		fprintf(stderr, "authbind: cannot set %s: %s\n", name, strerror(errno));
		exit(EXIT_USAGE);
	}
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "deep", no_argument, NULL, 'd' },
		{ "depth", required_argument, NULL, 'D' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *old;
	char depth_text[16], *preload;
	size_t size;
	int depth = 1, depth_given = 0, quiet = 0, c, at;

	opterr = 0;
	/* '+': options end at COMMAND, whose own options are its own.  at is
	 * the argument being parsed, for the message: in a cluster of short
	 * options ("-xy") optind has not yet moved past it. */
	while ((at = optind, c = getopt_long(argc, argv, "+:", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (depth_given && depth != AB_DEPTH_DEEP)
				usage_error("--deep and --depth exclude each other");
			depth = AB_DEPTH_DEEP;
			depth_given = 1;
			break;
		case 'D':
			if (depth_given)
				usage_error("give --depth once, and not with --deep");
			if (ab_depth_parse(optarg, &depth) != 0 || depth == AB_DEPTH_DEEP)
				usage_error("--depth takes a number from 1 to 100, not '%s'", optarg);
			depth_given = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("authbind (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
		case ':':
			usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (strncmp(argv[at], "--", 2) == 0)
				usage_error("unknown option '%s'", argv[at]);
			usage_error("unknown option '-%c'", optopt);
		}
	}
	if (optind >= argc)
		usage_error("no COMMAND to run");

	old = getenv("LD_PRELOAD");
	size = (old == NULL ? 0 : strlen(old)) + sizeof(AB_LIB_PATH) + 2;
	preload = malloc(size);
	if (preload == NULL || ab_preload_add(preload, size, old, AB_LIB_PATH) != 0) {
		fprintf(stderr, "authbind: out of memory\n");
		return EXIT_USAGE;
	}
	set_or_die("LD_PRELOAD", preload);
	free(preload);
	if (depth == AB_DEPTH_DEEP)
		snprintf(depth_text, sizeof(depth_text), "deep");
	else
		snprintf(depth_text, sizeof(depth_text), "%d", depth);
	set_or_die(AB_DEPTH_VAR, depth_text);
	if (quiet)
		set_or_die(AB_QUIET_VAR, "1");

	execvp(argv[optind], argv + optind);
	fprintf(stderr, "authbind: cannot run %s: %s\n", argv[optind], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
