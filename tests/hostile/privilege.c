/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Attacks on the helper's privilege: running it where the kernel does not
 * make it root (NoNewPrivileges, traced, a nosuid mount, not setuid, a
 * user namespace of the caller's own with a forged policy tree), stopping
 * it while it holds something, lying to it about its capabilities, and
 * making the calls it has fallbacks for fail.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attack.h"
#include "sysfail.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

static void prep_nnp(struct ctx *c)
{
	(void)c;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		_exit(126);
}

static void run_nnp(struct ctx *c)
{
	c->child_prep = prep_nnp;
	attack(c);
}

static void run_traced(struct ctx *c)
{
	c->traceme = 1;
	attack(c);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		fatal(path);
	close(fd);
}

/*
 * The user-namespace forgery: in a user and mount namespace of its own,
 * the caller mounts a tmpfs over the policy directory with byport/PORT
 * executable, owned by that namespace's root, and runs the helper there.
 * param 0: the caller is root of its namespace (uid 0 mapped to its own);
 * param 1: it keeps its own uid there.  The helper sees a tree that would
 * grant, and must refuse to act at all.
 */
static void run_userns_forgery(struct ctx *c)
{
	char map[64], path[PATH_MAX];
	struct stat st;
	uid_t inside = c->hc->param == 0 ? 0 : opt_uid;
	gid_t ginside = c->hc->param == 0 ? 0 : opt_gid;

	/* Our own /proc/self files are root's since we changed uids. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0)
		fatal("PR_SET_DUMPABLE");
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
		skip(c, "unprivileged user namespaces are not available");
		return;
	}
	write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)inside, (unsigned)opt_uid);
	write_file("/proc/self/uid_map", map);
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)ginside, (unsigned)opt_gid);
	write_file("/proc/self/gid_map", map);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", opt_policy_dir, "tmpfs", 0, "mode=755") != 0)
		fatal("mounting a tmpfs over the policy directory");
	snprintf(path, sizeof(path), "%s/byport", opt_policy_dir);
	if (mkdir(path, 0755) != 0)
		fatal("mkdir byport");
	snprintf(path, sizeof(path), "%s/byport/%u", opt_policy_dir, (unsigned)opt_port);
	if (close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0755)) != 0)
		fatal("creating the forged byport file");
	/* Control: as seen from here, the forged tree grants. */
	if (stat(path, &st) != 0 || st.st_uid != inside || (st.st_mode & 0777) != 0755 ||
	    stat(opt_policy_dir, &st) != 0 || st.st_uid != inside)
		note(c, "control: the forged tree is not what a grant needs (owner %u)",
		     (unsigned)st.st_uid);
	attack(c);
	if (c->r.replies == 1 && strstr(c->r.rep.text, "user namespace") == NULL)
		note(c, "the refusal does not name the user namespace: %.120s", c->r.rep.text);
}

/* capget faked (it returns 0 and writes nothing): the helper must not
 * take stack leftovers for the capabilities it holds. */
static void root_capget(struct ctx *c)
{
	if (sysfail_install("capget") != 0)
		note(c, "cannot install the seccomp filter: %s", strerror(errno));
}

static void run_capget(struct ctx *c)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	/* Control: the filter is there, and capget writes nothing. */
	memset(data, 0xa5, sizeof(data));
	if (syscall(SYS_capget, &head, data) != 0 || data[0].permitted != 0xa5a5a5a5u)
		note(c, "control: capget is not faked");
	attack(c);
	if (c->r.replies == 1 && strstr(c->r.rep.text, "capabilities") == NULL)
		note(c, "the failure does not name the capabilities: %.120s", c->r.rep.text);
}

/* The calls with fallbacks, made to fail as on an older kernel. */
static void root_close_range(struct ctx *c)
{
	if (sysfail_install("close_range") != 0)
		note(c, "cannot install the seccomp filter: %s", strerror(errno));
}

static void run_close_range(struct ctx *c)
{
	if (syscall(SYS_close_range, 3U, ~0U, 0) == 0 || errno != ENOSYS)
		note(c, "control: close_range is not failing with ENOSYS");
	run_inherited_fds(c);
}

static void root_netns_cookie(struct ctx *c)
{
	const char *faults = c->hc->param == 2 ? "netns_cookie,siocgskns" : "netns_cookie";

	if (c->hc->param == 1) {
		/* a socket of another network namespace, as in socket.c */
		int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

		if (self < 0 || unshare(CLONE_NEWNET) != 0)
			fatal("unshare");
		c->root_fd[0] = make_socket(AF_INET, opt_udp ? SOCK_DGRAM : SOCK_STREAM, 0);
		if (setns(self, CLONE_NEWNET) != 0)
			fatal("setns");
		close(self);
	}
	if (sysfail_install(faults) != 0)
		note(c, "cannot install the seccomp filter: %s", strerror(errno));
}

static void run_netns_cookie(struct ctx *c)
{
	uint64_t cookie;
	socklen_t len = sizeof(cookie);
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0 || getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) == 0 ||
	    errno != ENOPROTOOPT)
		note(c, "control: SO_NETNS_COOKIE is not failing with ENOPROTOOPT");
	close(s);
	if (c->root_fd[0] >= 0)
		c->sock = c->root_fd[0];
	attack(c);
	if (c->hc->param == 2 && c->r.replies == 1 &&
	    strstr(c->r.rep.text, "cannot tell the socket's network namespace") == NULL)
		note(c, "the refusal does not say why: %.120s", c->r.rep.text);
}

static void root_pidfd(struct ctx *c)
{
	if (sysfail_install(c->hc->param == 0 ? "pidfd_userns" : "pidfd_open") != 0)
		note(c, "cannot install the seccomp filter: %s", strerror(errno));
}

/*
 * Stopping the helper: the caller sends a request whose grant needs the
 * guard (only :: is granted, the socket is v6-only) and sends SIGSTOP
 * without pause until the helper is gone.  Stops may land while the helper
 * still reads its request (its real uid is the caller's until then), and
 * each is checked while it lasts: nothing may hold 0.0.0.0:PORT.  Once
 * the helper is out of reach every kill must fail with EPERM.  Control: a
 * copy of the helper that is not setuid (its uids are the caller's) is
 * stopped by the same kill.
 */
static void run_stop_hold(struct ctx *c)
{
	struct ab_request req;
	char what[160], copy[PATH_MAX];
	int stops = 0, eperm = 0, late = 0, st = 0, in, out, sp[2];
	pid_t pid;

	/* The control first. */
	snprintf(copy, sizeof(copy), "%s/helper-copy", opt_userdir);
	in = open(c->helper, O_RDONLY | O_CLOEXEC);
	out = open(copy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (in < 0 || out < 0)
		fatal("copying the helper");
	for (;;) {
		char buf[65536];
		ssize_t n = read(in, buf, sizeof(buf));

		if (n <= 0)
			break;
		if (write(out, buf, (size_t)n) != n)
			fatal("writing the copy");
	}
	close(in);
	close(out);
	/* It waits for a request on fd 0 that never comes. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) != 0)
		fatal("socketpair");
	pid = fork();
	if (pid < 0)
		fatal("fork");
	if (pid == 0) {
		static char *argv[] = { "helper-copy", NULL };
		static char *envp[] = { NULL };

		if (dup2(sp[0], 0) != 0)
			_exit(126);
		execve(copy, argv, envp);
		_exit(127);
	}
	close(sp[0]);
	sleep_ms(50);
	if (kill(pid, SIGSTOP) != 0 || waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st))
		note(c, "control: a helper with the caller's uids could not be stopped "
		     "(wait status 0x%x)", (unsigned)st);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	close(sp[1]);
	unlink(copy);

	prepare(c);
	build_request(c, &req);
	send_request(c, &req, sizeof(req));
	for (;;) {
		siginfo_t info;

		if (kill(c->pid, SIGSTOP) == 0) {
			stops++;
			if (eperm > 0)
				late++;
			memset(&info, 0, sizeof(info));
			if (waitid(P_PID, (id_t)c->pid, &info, WSTOPPED | WEXITED | WNOWAIT) != 0)
				fatal("waitid");
			if (info.si_code == CLD_STOPPED || info.si_code == CLD_TRAPPED) {
				if (v4_half_busy(c, what, sizeof(what)))
					note(c, "the helper was stopped while 0.0.0.0:%u was held: %s",
					     (unsigned)opt_port, what);
				/* consume the stop, and let it go on */
				waitid(P_PID, (id_t)c->pid, &info, WSTOPPED | WNOHANG);
				kill(c->pid, SIGCONT);
				continue;
			}
			break; /* exited */
		}
		if (errno != EPERM)
			break;
		eperm++;
		/* A zombie keeps its ids: EPERM, until it is reaped. */
		memset(&info, 0, sizeof(info));
		if (waitid(P_PID, (id_t)c->pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    info.si_pid == c->pid)
			break;
	}
	collect(c);
	snprintf(c->r.info, sizeof(c->r.info), "%d stops before the helper was out of reach, "
		 "%d kills refused (EPERM) after", stops, eperm);
	if (eperm == 0)
		note(c, "no SIGSTOP was ever refused: the caller could stop the helper throughout");
	if (late > 0)
		note(c, "%d SIGSTOPs succeeded after one had been refused", late);
	if (c->r.replies != 1 || c->r.rep.outcome != AB_GRANTED)
		note(c, "the v6-only bind was not granted (%s: %.100s)",
		     outcome_name(c->r.rep.outcome), c->r.rep.text);
	/* It was granted v6-only, as the case judged: close it, so the
	 * referee sees a free port. */
	close(c->sock);
	c->nwatch = 0;
	c->r.moved = 0;
}

const struct hcase cases_privilege[] = {
	{ "nnp", NULL, run_nnp, AB_NOT_PRIVILEGED, 0, AB_UNPRIV_NO_NEW_PRIVS, 0, 0 },
	{ "traced", NULL, run_traced, AB_NOT_PRIVILEGED, 0, AB_UNPRIV_TRACED, 0, 0 },
	{ "nosuid", NULL, run_plain, AB_NOT_PRIVILEGED, 0, AB_UNPRIV_NOSUID, 0, 0 },
	{ "not-setuid", NULL, run_plain, AB_NOT_PRIVILEGED, 0, AB_UNPRIV_NOT_SETUID, 0, 0 },
	{ "userns-root", NULL, run_userns_forgery, AB_NOT_PRIVILEGED, EACCES,
	  AB_UNPRIV_USERNS, 0, 0 },
	{ "userns-self", NULL, run_userns_forgery, AB_NOT_PRIVILEGED, EACCES,
	  AB_UNPRIV_USERNS, 0, 1 },
	{ "capget-fake", root_capget, run_capget, AB_FAILED, EACCES, 0, 0, 0 },
	{ "stop-hold", NULL, run_stop_hold, W_ANY, 0, 0, 0, 0 },
	{ "close-range-enosys", root_close_range, run_close_range, AB_DENIED, EACCES, 0, 0, 0 },
	{ "netns-cookie-enoprotoopt", root_netns_cookie, run_netns_cookie, AB_GRANTED, 0, 0,
	  F_BOUND, 0 },
	{ "netns-cookie-enoprotoopt-other", root_netns_cookie, run_netns_cookie, AB_BAD_SOCKET,
	  EINVAL, 0, 0, 1 },
	{ "netns-unknowable", root_netns_cookie, run_netns_cookie, AB_BAD_SOCKET, EINVAL, 0, 0,
	  2 },
	{ "pidfd-userns-enotty", root_pidfd, run_plain, AB_GRANTED, 0, 0, F_BOUND, 0 },
	{ "pidfd-open-enosys", root_pidfd, run_plain, AB_GRANTED, 0, 0, F_BOUND, 1 },
	{ NULL, NULL, NULL, 0, 0, 0, 0, 0 },
};
