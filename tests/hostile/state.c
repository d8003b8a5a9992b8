/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Attacks through the state the helper starts in: argv, the environment,
 * inherited fds, umask, cwd, rlimits, signal dispositions and mask, stops
 * and kills, core dumps.  None of it may change what the helper does.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "attack.h"

static void run_argv_null(struct ctx *c)
{
	c->argv_null = 1;
	attack(c);
}

static void run_argv_odd(struct ctx *c)
{
	static char fmt[] = "%n%n%n%n%s%s%s";
	static char *words[] = { "", "--help", "-h", "--version", "-", "--", "\n\t", NULL };
	char **argv = calloc(3000, sizeof(char *));
	char *big = malloc(100000);
	int i, n = 0;

	if (argv == NULL || big == NULL)
		fatal("malloc");
	memset(big, 'A', 99999);
	big[99999] = '\0';
	argv[n++] = big;
	argv[n++] = fmt;
	for (i = 0; words[i] != NULL; i++)
		argv[n++] = words[i];
	for (; n < 2999; n++)
		argv[n] = words[n % 7];
	argv[n] = NULL;
	c->argv = argv;
	attack(c);
}

/* stdout and stderr closed: while it waits, the helper must have 1 and 2
 * open again (on /dev/null), or its next open would be taken for stdio. */
static void run_std_closed(struct ctx *c)
{
	struct inspect in;
	struct ab_request req;
	int i, have = 0;

	c->child_prep = prep_close_std;
	prepare(c);
	if (wait_in_poll(c, &in) == 0) {
		for (i = 0; i < in.nfds; i++)
			if (in.fds[i] == 1 || in.fds[i] == 2)
				have++;
		if (have != 2)
			note(c, "the helper waits with fd 1 or 2 closed");
	}
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	collect(c);
	if (c->output[0] != '\0')
		note(c, "closed stdout/stderr, yet something reached our pipe");
}

static int rootfile_fd = -1;

static void prep_rootfile(struct ctx *c)
{
	(void)c;
	if (dup2(rootfile_fd, 1) < 0 || dup2(rootfile_fd, 2) < 0)
		_exit(126);
}

/* stdout and stderr are a file of root's that we may only read, and the
 * helper is made to complain (fd 0 is a stream socket). */
static void run_std_rootfile(struct ctx *c)
{
	struct stat st;
	int sp[2];

	rootfile_fd = open("rootfile", O_RDONLY | O_CLOEXEC);
	if (rootfile_fd < 0)
		fatal("open rootfile");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0)
		fatal("socketpair");
	c->fd0 = c->chan[0] = sp[0];
	c->peer = c->chan[1] = sp[1];
	c->child_prep = prep_rootfile;
	c->sock = default_socket(c);
	watch(c, c->sock);
	spawn_helper(c);
	collect(c);
	expect_exit(c, 1);
	if (fstat(rootfile_fd, &st) != 0 || st.st_size != 0)
		note(c, "root's file passed as stdout/stderr was written to");
}

static void run_quiet(struct ctx *c)
{
	attack(c);
	if (c->output[0] != '\0')
		note(c, "the helper wrote to the caller's stdout/stderr: \"%.100s\"", c->output);
}

void prep_inherited(struct ctx *c)
{
	struct rlimit rl;

	(void)c;
	/* fd 900 lies above the soft limit the helper starts with. */
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		_exit(126);
	rl.rlim_cur = 64;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		_exit(126);
}

/* The write ends of a pipe at fds 50 and 900, inherited: once the helper
 * waits for its request they must be closed (EOF on our read end while it
 * lives, and /proc/PID/fd shows 0-2 only). */
void run_inherited_fds(struct ctx *c)
{
	struct inspect in;
	struct ab_request req;
	struct pollfd pfd;
	int p[2], i;
	char byte;

	if (pipe2(p, O_CLOEXEC) != 0)
		fatal("pipe2");
	if (dup2(p[1], 50) != 50 || dup2(p[1], 900) != 900)
		fatal("dup2");
	close(p[1]);
	c->child_prep = prep_inherited;
	prepare(c);
	close(50);
	close(900);
	if (wait_in_poll(c, &in) == 0) {
		pfd.fd = p[0];
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1000) != 1 || read(p[0], &byte, 1) != 0)
			note(c, "the inherited pipe did not reach EOF while the helper waited");
		inspect(c, c->pid, "", &in);
		if (!in.alive)
			note(c, "the helper died before its request");
		for (i = 0; i < in.nfds; i++)
			if (in.fds[i] > 2)
				note(c, "the helper still holds fd %d while it waits", in.fds[i]);
	}
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	collect(c);
}

/* LD_PRELOAD, LD_LIBRARY_PATH and LD_AUDIT name the installed shim.  A
 * plain program with the same environment maps it (that proves the check
 * can see it); the setuid helper must not. */
static void run_env_preload(struct ctx *c)
{
	const char *lib = getenv("AB_LIB");
	static char preload[PATH_MAX + 16], libpath[PATH_MAX + 32], audit[PATH_MAX + 16];
	static char *env[8];
	struct inspect in;
	struct ab_request req;
	struct timespec t0;
	const char *base;
	char dir[PATH_MAX];
	pid_t pid;
	int seen = 0;

	if (lib == NULL || access(lib, R_OK) != 0) {
		skip(c, "AB_LIB (the installed libauthbind.so) is not readable");
		return;
	}
	base = strrchr(lib, '/') != NULL ? strrchr(lib, '/') + 1 : lib;
	snprintf(dir, sizeof(dir), "%.*s", (int)(base - lib), lib);
	snprintf(preload, sizeof(preload), "LD_PRELOAD=%s %s", lib, base);
	snprintf(libpath, sizeof(libpath), "LD_LIBRARY_PATH=%s", dir);
	snprintf(audit, sizeof(audit), "LD_AUDIT=%s", lib);
	env[0] = preload;
	env[1] = libpath;
	env[2] = audit;
	env[3] = "LD_BIND_NOW=1";
	env[4] = "LD_DYNAMIC_WEAK=1";
	env[5] = NULL;
	pid = fork();
	if (pid < 0)
		fatal("fork");
	if (pid == 0) {
		static char *argv[] = { "sleep", "5", NULL };

		env[2] = NULL; /* the shim is no audit module */
		execve("/bin/sleep", argv, env);
		_exit(127);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!seen && ms_since(&t0) < 3000) {
		inspect(c, pid, base, &in);
		seen = in.maps_hit;
		if (!seen)
			sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (!seen)
		note(c, "control: /bin/sleep with the same LD_PRELOAD never mapped %s", base);
	c->envp = env;
	prepare(c);
	if (wait_in_poll(c, &in) == 0) {
		inspect(c, c->pid, base, &in);
		if (in.maps_hit)
			note(c, "the setuid helper mapped %s from LD_PRELOAD", base);
	}
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	collect(c);
}

/* Variables that make glibc or ld.so write files, load modules or read
 * data from where the caller says.  Nothing may appear in out/. */
static void run_env_files(struct ctx *c)
{
	static char *env[40];
	static char buf[16][PATH_MAX + 32];
	char cwd[PATH_MAX], out[PATH_MAX + 8], control_dir[PATH_MAX + 16];
	/* Each a name and what follows the directory in its value. */
	static const char *paths[][2] = {
		{ "LD_DEBUG_OUTPUT", "/ld-debug" }, { "LD_PROFILE_OUTPUT", "" },
		{ "MALLOC_TRACE", "/mtrace" }, { "GCONV_PATH", "" }, { "LOCPATH", "" },
		{ "NLSPATH", "/%N" }, { "TZ", "/tz" }, { "TZDIR", "" }, { "TMPDIR", "" },
		{ "HOSTALIASES", "/hosts" }, { "LD_ORIGIN_PATH", "" }, { "LD_AUDIT", "/audit.so" },
	};
	pid_t pid;
	int n = 0, i, st;

	if (getcwd(cwd, sizeof(cwd)) == NULL)
		fatal("getcwd");
	snprintf(out, sizeof(out), "%s/out", cwd);
	snprintf(control_dir, sizeof(control_dir), "%s/control", cwd);
	if (mkdir(out, 0777) != 0 || mkdir(control_dir, 0777) != 0)
		fatal("mkdir");
	for (i = 0; i < (int)(sizeof(paths) / sizeof(paths[0])); i++) {
		snprintf(buf[i], sizeof(buf[i]), "%s=%s%s", paths[i][0], out, paths[i][1]);
		env[n++] = buf[i];
	}
	env[n++] = "LD_DEBUG=all";
	env[n++] = "LD_PROFILE=libc.so.6";
	env[n++] = "LD_SHOW_AUXV=1";
	env[n++] = "LD_VERBOSE=1";
	env[n++] = "LANG=xx_XX.UTF-8";
	env[n++] = "LC_ALL=xx_XX.UTF-8";
	env[n++] = "MALLOC_CHECK_=3";
	env[n++] = "MALLOC_PERTURB_=165";
	env[n++] = "MALLOC_MMAP_THRESHOLD_=1";
	env[n++] = "MALLOC_TOP_PAD_=1";
	env[n++] = "MALLOC_ARENA_MAX=1";
	env[n++] = "IFS=/";
	env[n++] = "PATH=.";
	env[n++] = "noequals";
	env[n++] = "=noname";
	env[n++] = "RES_OPTIONS=debug";
	env[n++] = "LD_PRELOAD=";
	env[n] = NULL;
	/* Control: an ordinary program writes its ld.so debug output there. */
	pid = fork();
	if (pid == 0) {
		static char *argv[] = { "true", NULL };
		static char dbg[PATH_MAX + 64];
		char *cenv[3] = { "LD_DEBUG=files", dbg, NULL };

		snprintf(dbg, sizeof(dbg), "LD_DEBUG_OUTPUT=%s/ld-debug", control_dir);
		execve("/bin/true", argv, cenv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		fatal("control");
	if (dir_is_empty(control_dir))
		note(c, "control: LD_DEBUG_OUTPUT wrote nothing for /bin/true");
	c->envp = env;
	attack(c);
	if (!dir_is_empty(out))
		note(c, "the setuid helper created files where the environment said");
}

static void run_env_tunables(struct ctx *c)
{
	static const char cve[] = "GLIBC_TUNABLES=glibc.malloc.mxfast=glibc.malloc.mxfast=";
	static char *env[4];
	char *a = malloc(sizeof(cve) + 100000);

	if (a == NULL)
		fatal("malloc");
	/* The CVE-2023-4911 shape, then plain nonsense. */
	memcpy(a, cve, sizeof(cve) - 1);
	memset(a + sizeof(cve) - 1, 'A', 100000);
	a[sizeof(cve) - 1 + 100000] = '\0';
	env[0] = a;
	env[1] = "GLIBC_TUNABLES=glibc.malloc.check=3:glibc.malloc.tcache_count="
		 "99999999999999999999:glibc.rtld.nns=0:glibc.mem.tagging=7:::=:";
	env[2] = "GLIBC_TUNABLES=";
	env[3] = NULL;
	c->envp = env;
	attack(c);
}

static void run_env_huge(struct ctx *c)
{
	char **env = calloc(5020, sizeof(char *));
	int i, n = 0;

	if (env == NULL)
		fatal("calloc");
	for (i = 0; i < 12; i++) {
		env[n] = malloc(100000);
		if (env[n] == NULL)
			fatal("malloc");
		snprintf(env[n], 100000, "HUGE%d=", i);
		memset(env[n] + strlen(env[n]), 'x', 99990 - strlen(env[n]));
		env[n][99990] = '\0';
		n++;
	}
	for (i = 0; i < 5000; i++) {
		env[n] = malloc(32);
		if (env[n] == NULL)
			fatal("malloc");
		snprintf(env[n], 32, "V%d=%d", i, i);
		n++;
	}
	env[n] = NULL;
	c->envp = env;
	attack(c);
}

static void prep_umask0(struct ctx *c)
{
	(void)c;
	umask(0);
}

static void run_umask0(struct ctx *c)
{
	c->child_prep = prep_umask0;
	attack(c);
}

static void prep_cwd(struct ctx *c)
{
	if (chdir("cwd") != 0)
		_exit(126);
	if (c->hc->param == 0 ? chmod(".", 0) != 0 : rmdir("../cwd") != 0)
		_exit(126);
}

static void run_cwd(struct ctx *c)
{
	if (mkdir("cwd", 0700) != 0)
		fatal("mkdir cwd");
	c->child_prep = prep_cwd;
	attack(c);
}

/* One rlimit set low, soft and hard: param holds the resource in its
 * high 32 bits and the value in its low 32 bits (see RL below). */
static void run_rlimit(struct ctx *c)
{
	c->lim_resource = c->hc->param >> 32;
	c->lim_value = c->hc->param & 0xffffffffL;
	attack(c);
}

static void prep_limits_zero(struct ctx *c)
{
	static const int resources[] = { RLIMIT_NPROC, RLIMIT_SIGPENDING, RLIMIT_MEMLOCK,
					 RLIMIT_MSGQUEUE, RLIMIT_LOCKS, RLIMIT_RTPRIO,
					 RLIMIT_NICE, RLIMIT_RTTIME };
	struct rlimit zero = { 0, 0 };
	size_t i;

	(void)c;
	for (i = 0; i < sizeof(resources) / sizeof(resources[0]); i++)
		if (setrlimit(resources[i], &zero) != 0)
			_exit(126);
}

static void run_limits_zero(struct ctx *c)
{
	c->child_prep = prep_limits_zero;
	attack(c);
}

void prep_signals(struct ctx *c)
{
	sigset_t all;
	int sig;

	(void)c;
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_IGN);
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

static void run_signals(struct ctx *c)
{
	c->child_prep = prep_signals;
	attack(c);
}

/* Stopped at once (often before the exec), the request sent while it is
 * stopped, continued later. */
static void run_stop_early(struct ctx *c)
{
	struct ab_request req;

	prepare(c);
	kill(c->pid, SIGSTOP);
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	sleep_ms(200);
	kill(c->pid, SIGCONT);
	collect(c);
}

static void run_stop_storm(struct ctx *c)
{
	struct ab_request req;
	int i;

	prepare(c);
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	for (i = 0; i < 50; i++) {
		kill(c->pid, SIGSTOP);
		sleep_ms(1);
		kill(c->pid, SIGCONT);
	}
	collect(c);
}

/* SIGALRM ignored and blocked by the caller; the helper stopped while it
 * waits, the (granted) request sent meanwhile, continued after its
 * deadline.  It must die of its own alarm without binding. */
static void run_stop_deadline(struct ctx *c)
{
	struct inspect in;
	struct ab_request req;

	c->child_prep = prep_signals;
	prepare(c);
	if (wait_in_poll(c, &in) == 0) {
		kill(c->pid, SIGSTOP);
		build_request(c, &req);
		send_request(c, &req, sizeof(req));
		while (ms_since(&c->t0) < 11500)
			sleep_ms(50);
		kill(c->pid, SIGCONT);
	}
	collect(c);
	if (!c->r.waited || !WIFSIGNALED(c->r.status) || WTERMSIG(c->r.status) != SIGALRM)
		note(c, "the helper did not die of SIGALRM (wait status 0x%x)",
		     (unsigned)c->r.status);
	snprintf(c->r.info, sizeof(c->r.info), "the stopped helper ended after %ld ms",
		 c->r.elapsed_ms);
}

static void run_kill(struct ctx *c)
{
	struct ab_request req;

	prepare(c);
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	kill(c->pid, SIGKILL);
	collect(c);
}

static void run_hangup_after_send(struct ctx *c)
{
	struct ab_request req;

	prepare(c);
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	close(c->peer);
	c->peer = -1;
	collect(c);
	expect_exit(c, -1);
}

static void prep_core(struct ctx *c)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	(void)c;
	if (setrlimit(RLIMIT_CORE, &rl) != 0 || chdir("cores") != 0)
		_exit(126);
}

/* RLIMIT_CORE unlimited, cwd a directory we can write, a core-dumping
 * signal while the helper waits: no core, anywhere we can see. */
static void run_core(struct ctx *c)
{
	struct inspect in;
	struct stat st;
	int root_core = stat("/core", &st) == 0;

	if (mkdir("cores", 0777) != 0 || chmod("cores", 0777) != 0)
		fatal("mkdir cores");
	c->child_prep = prep_core;
	prepare(c);
	if (wait_in_poll(c, &in) == 0)
		kill(c->pid, (int)c->hc->param);
	collect(c);
	if (!c->r.waited || !WIFSIGNALED(c->r.status) ||
	    WTERMSIG(c->r.status) != (int)c->hc->param)
		note(c, "the helper did not die of signal %ld (wait status 0x%x)",
		     c->hc->param, (unsigned)c->r.status);
	else if (WCOREDUMP(c->r.status))
		note(c, "the helper dumped core");
	if (!dir_is_empty("cores"))
		note(c, "a core file appeared in the caller's directory");
	if (!root_core && stat("/core", &st) == 0)
		note(c, "a core file appeared as /core");
}

static void root_rootfile(struct ctx *c)
{
	char path[PATH_MAX];
	int fd;

	(void)c;
	snprintf(path, sizeof(path), "%s/rootfile", opt_userdir);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		fatal("rootfile");
	close(fd);
}

#define RL(res, val) (((long)(res) << 32) | (long)(val))

const struct hcase cases_state[] = {
	{ "argv-null", NULL, run_argv_null, AB_DENIED, EACCES, 0, 0, 0 },
	{ "argv-odd", NULL, run_argv_odd, AB_DENIED, EACCES, 0, 0, 0 },
	{ "std-closed", NULL, run_std_closed, AB_DENIED, EACCES, 0, 0, 0 },
	{ "std-rootfile", root_rootfile, run_std_rootfile, W_NONE, 0, 0, 0, 0 },
	{ "quiet", NULL, run_quiet, AB_DENIED, EACCES, 0, 0, 0 },
	{ "inherited-fds", NULL, run_inherited_fds, AB_DENIED, EACCES, 0, 0, 0 },
	{ "env-preload", NULL, run_env_preload, AB_DENIED, EACCES, 0, 0, 0 },
	{ "env-files", NULL, run_env_files, AB_DENIED, EACCES, 0, 0, 0 },
	{ "env-tunables", NULL, run_env_tunables, AB_DENIED, EACCES, 0, 0, 0 },
	{ "env-huge", NULL, run_env_huge, AB_DENIED, EACCES, 0, 0, 0 },
	{ "umask0", NULL, run_umask0, AB_DENIED, EACCES, 0, 0, 0 },
	{ "cwd-unreadable", NULL, run_cwd, AB_DENIED, EACCES, 0, 0, 0 },
	{ "cwd-removed", NULL, run_cwd, AB_DENIED, EACCES, 0, 0, 1 },
	{ "nofile-3", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_NOFILE, 3) },
	{ "nofile-4", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_NOFILE, 4) },
	{ "nofile-5", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_NOFILE, 5) },
	{ "nofile-6", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_NOFILE, 6) },
	{ "nofile-7", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_NOFILE, 7) },
	{ "as-4m", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_AS, 4 << 20) },
	{ "as-12m", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_AS, 12 << 20) },
	{ "stack-32k", NULL, run_rlimit, W_REFUSED, 0, 0, 0, RL(RLIMIT_STACK, 32 << 10) },
	{ "fsize0", NULL, run_rlimit, AB_DENIED, EACCES, 0, 0, RL(RLIMIT_FSIZE, 0) },
	{ "cpu1", NULL, run_rlimit, AB_DENIED, EACCES, 0, 0, RL(RLIMIT_CPU, 1) },
	{ "limits-zero", NULL, run_limits_zero, AB_DENIED, EACCES, 0, 0, 0 },
	{ "signals", NULL, run_signals, AB_DENIED, EACCES, 0, 0, 0 },
	{ "stop-early", NULL, run_stop_early, AB_DENIED, EACCES, 0, 0, 0 },
	{ "stop-storm", NULL, run_stop_storm, AB_DENIED, EACCES, 0, 0, 0 },
	{ "stop-deadline", NULL, run_stop_deadline, W_NONE, 0, 0, 0, 0 },
	{ "kill", NULL, run_kill, W_REFUSED, 0, 0, 0, 0 },
	{ "hangup-after-send", NULL, run_hangup_after_send, W_NONE, 0, 0, 0, 0 },
	{ "core-quit", NULL, run_core, W_NONE, 0, 0, 0, SIGQUIT },
	{ "core-segv", NULL, run_core, W_NONE, 0, 0, 0, SIGSEGV },
	{ NULL, NULL, NULL, 0, 0, 0, 0, 0 },
};
