/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The helper's privileges: the state it starts in, whether the kernel
 * really made it root, and each step down from root, with what is kept
 * and why.  helper.c calls these in order.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fds.h"
#include "helper.h"
#include "proc.h"
#include "proto.h"

/* The whole run is bounded: a caller that never writes gets nothing but
 * a dead helper and an unbound socket.  (It cannot stop us past this:
 * see hold_off_caller.) */
#define HELPER_DEADLINE_S 10

/* The user namespace every process starts in (include/linux/proc_ns.h). */
#define PROC_USER_INIT_INO 0xEFFFFFFDU

#ifndef PIDFD_GET_USER_NAMESPACE
#define PIDFD_GET_USER_NAMESPACE _IO(0xFF, 9)
#endif

/*
 * A setuid program inherits whatever its caller chose: closed or odd
 * standard fds, extra fds, environment, signal dispositions and mask,
 * umask, rlimits and cwd.  Put each into a known state before anything
 * else runs, so nothing later depends on the caller's choices.
 */
void reset_process_state(void)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t none;
	int fd, sig;

	/* An open that lands on 0-2 would otherwise be taken for stdio. */
	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", O_RDWR) != fd)
			fail("opening /dev/null");
	}
	if (ab_close_from(3) != 0)
		fail("closing inherited fds");
	if (clearenv() != 0)
		fail("clearenv");
	umask(077);
	/* execve reset every handled signal, but "ignored" survives it: the
	 * deadline's SIGALRM, the rlimits' SIGXCPU and SIGXFSZ and the fatal
	 * ones must act as they normally do, so every disposition goes back
	 * to the default (64 calls, about 30 us; cheap for a known state).
	 * The three stops a terminal sends are ignored instead: the kernel
	 * delivers them without the permission check of kill(2), so a caller
	 * whose terminal we share could stop us with ^Z while we hold the
	 * IPv4 half of a port. */
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL); /* fails harmlessly for KILL, STOP and RT */
	if (signal(SIGTSTP, SIG_IGN) == SIG_ERR || signal(SIGTTIN, SIG_IGN) == SIG_ERR ||
	    signal(SIGTTOU, SIG_IGN) == SIG_ERR)
		fail("ignoring the terminal's stop signals");
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		fail("sigprocmask");
	alarm(HELPER_DEADLINE_S);
	if (setrlimit(RLIMIT_CORE, &no_core) != 0)
		fail("setrlimit RLIMIT_CORE");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		fail("PR_SET_DUMPABLE");
	if (chdir("/") != 0)
		fail("chdir /");
}

static int is_traced(void)
{
	char buf[4096];
	const char *p;

	if (ab_read_text(AT_FDCWD, "/proc/self/status", 0, buf, sizeof(buf)) < 0)
		return 0;
	p = strstr(buf, "\nTracerPid:");
	return p != NULL && strtol(p + 11, NULL, 10) != 0;
}

/*
 * 1 when we run in the initial user namespace, 0 when in another, -1 when
 * we cannot tell.  The kernel's own answer first (PIDFD_GET_USER_NAMESPACE,
 * Linux 6.11), which no mount can fake; else /proc/self/ns/user.  Either
 * is an nsfs inode, and the initial namespace's has a fixed number.
 */
static int user_namespace_is_initial(void)
{
	struct statfs fs;
	struct stat st;
	int fd = -1, ok;
#if HAVE_DECL_SYS_PIDFD_OPEN
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);

	if (pidfd >= 0) {
		fd = ioctl(pidfd, PIDFD_GET_USER_NAMESPACE, 0);
		close(pidfd);
	}
#endif
	if (fd < 0)
		fd = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = fstatfs(fd, &fs) == 0 && fs.f_type == NSFS_MAGIC && fstat(fd, &st) == 0;
	close(fd);
	if (!ok)
		return -1;
	return st.st_ino == PROC_USER_INIT_INO;
}

/*
 * We act only as real root of the initial user namespace.  AT_SECURE says
 * the kernel made this exec privileged (the setuid bit took effect); it
 * ignores the bit where real root is not mapped, so in a user namespace of
 * the caller's own, "root" of that namespace runs us with AT_SECURE 0 and
 * is refused here, whatever tree it mounted over the policy directory.
 * (A caller that is real root runs us without AT_SECURE: nothing was
 * conferred.)  With AT_SECURE and euid 0, real root is mapped in our user
 * namespace, so it is the initial one or one root itself made, and the
 * caller cannot have mounted the /proc that the fallback reads.  Without
 * privilege, find out why and say so: a denial would be a lie.
 */
void check_privilege(void)
{
	int initial = user_namespace_is_initial();
	uint32_t why = AB_UNPRIV_UNKNOWN;
	const char *text = "the helper is not running as root";
	struct statvfs vfs;
	struct stat st;

	run.userns = initial == 0;
	if (geteuid() == 0 && initial == 1 && (getauxval(AT_SECURE) == 1 || run.uid == 0))
		return;
	if (initial == 0) {
		why = AB_UNPRIV_USERNS;
		text = "the helper is not running as root: it runs in a user namespace "
		       "other than the initial one, where the setuid bit gives no privilege";
	} else if (initial < 0 && geteuid() == 0) {
		why = AB_UNPRIV_NO_USERNS;
		text = "the helper cannot tell whether it runs in the initial user namespace "
		       "(it needs /proc mounted, or Linux 6.11)";
	} else if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1) {
		why = AB_UNPRIV_NO_NEW_PRIVS;
		text = "the helper is not running as root: NoNewPrivileges is set for this process";
	} else if (is_traced()) {
		why = AB_UNPRIV_TRACED;
		text = "the helper is not running as root: the process is being traced";
	} else if (statvfs("/proc/self/exe", &vfs) == 0 && (vfs.f_flag & ST_NOSUID)) {
		why = AB_UNPRIV_NOSUID;
		text = "the helper is not running as root: it lies on a nosuid mount";
	} else if (stat("/proc/self/exe", &st) == 0 &&
		   (st.st_uid != 0 || !(st.st_mode & S_ISUID))) {
		why = AB_UNPRIV_NOT_SETUID;
		text = "the helper is not running as root: it is not installed setuid root";
	}
	refuse(AB_NOT_PRIVILEGED, EACCES, why, text);
}

/*
 * Out of the caller's reach, before we hold anything.  execve made only
 * the effective and saved uid root; the real uid is still the caller's,
 * so until now the caller could signal us (SIGSTOP: we would never reach
 * our deadline), ptrace us had we been dumpable, or prlimit us.  The real
 * and saved uid become HOLD_UID; the effective uid stays 0, so every
 * capability stays until drop_to_caller.
 */
void hold_off_caller(void)
{
	uid_t r = 0, e = 1, s = 0;

	if (run.uid == HOLD_UID)
		refuse(AB_NOT_PRIVILEGED, EACCES, AB_UNPRIV_UNKNOWN,
		       "the caller's uid is the helper's own holding uid, (uid_t)-2");
	if (setresuid(HOLD_UID, 0, HOLD_UID) != 0)
		fail("setresuid to the holding uid");
	if (getresuid(&r, &e, &s) != 0 || r != HOLD_UID || e != 0 || s != HOLD_UID) {
		errno = EPERM;
		fail("the holding uid did not take");
	}
}

#define CAP(c) (UINT64_C(1) << (c))

static int set_caps(uint64_t permitted, uint64_t effective)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	int i;

	memset(data, 0, sizeof(data));
	for (i = 0; i < 2; i++) {
		data[i].permitted = (uint32_t)(permitted >> (32 * i));
		data[i].effective = (uint32_t)(effective >> (32 * i));
	}
	return (int)syscall(SYS_capset, &head, data);
}

/* True when exactly these are held and nothing is inheritable.  The
 * answer is read into cleared memory: a capget that "succeeds" without
 * writing (a seccomp filter can make it) reads as holding nothing. */
static int holds_caps(uint64_t permitted, uint64_t effective)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	int i;

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &head, data) != 0)
		return 0;
	for (i = 0; i < 2; i++)
		if (data[i].permitted != (uint32_t)(permitted >> (32 * i)) ||
		    data[i].effective != (uint32_t)(effective >> (32 * i)) ||
		    data[i].inheritable != 0)
			return 0;
	return 1;
}

static void limit_caps(uint64_t permitted, uint64_t effective, const char *what)
{
	if (set_caps(permitted, effective) != 0)
		fail(what);
	if (!holds_caps(permitted, effective)) {
		errno = EPERM;
		fail("the capabilities held are not the ones set");
	}
}

/* What the policy and the bind need, phase by phase (see drop_to_caller). */
#define CAPS_DECIDE_PERMITTED \
	(CAP(CAP_NET_BIND_SERVICE) | CAP(CAP_DAC_READ_SEARCH) | CAP(CAP_CHOWN))
#define CAPS_DECIDE_EFFECTIVE CAP(CAP_DAC_READ_SEARCH)
#define CAPS_BIND_PERMITTED (CAP(CAP_NET_BIND_SERVICE) | CAP(CAP_CHOWN))
#define CAPS_BIND_EFFECTIVE CAP(CAP_NET_BIND_SERVICE)

/*
 * Become the caller, keeping root's read access for the policy.
 *
 * Why this much: the policy is read with root's read access
 * (CAP_DAC_READ_SEARCH), so a byuid file readable by root alone grants as
 * Debian's authbind did; the policy code opens only fixed names below the
 * checked policy directory, so no path of the caller's choosing is read.
 * Everything else is the caller's own: the effective uid (and so the
 * filesystem uid: sockets we create are the caller's), the gid, the
 * supplementary groups (left as execve gave them).  The real and saved uid
 * stay HOLD_UID, out of the caller's reach.  CAP_NET_BIND_SERVICE and
 * CAP_CHOWN stay permitted, not effective, for the bind (see
 * keep_bind_only and set_socket_owner).
 *
 * Why in this order: the gid first, while we may still change it; then
 * the uid with PR_SET_KEEPCAPS so the permitted set survives; then capset
 * trims both sets.  Finally we check that root cannot be regained and that
 * nothing else is held.
 */
void drop_to_caller(uid_t uid, gid_t gid)
{
	uid_t r = 0, e = 0, s = 0;
	gid_t rg = 0, eg = 0, sg = 0;

	if (setresgid(gid, gid, gid) != 0)
		fail("setresgid");
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
		fail("PR_SET_KEEPCAPS");
	if (setresuid(HOLD_UID, uid, HOLD_UID) != 0)
		fail("setresuid");
	limit_caps(CAPS_DECIDE_PERMITTED, CAPS_DECIDE_EFFECTIVE, "capset");
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		fail("prctl");
	if (getresuid(&r, &e, &s) != 0 || r != HOLD_UID || e != uid || s != HOLD_UID ||
	    getresgid(&rg, &eg, &sg) != 0 || rg != gid || eg != gid || sg != gid) {
		errno = EPERM;
		fail("the caller's ids did not take");
	}
	if (uid != 0 && (setresuid(0, 0, 0) == 0 || setuid(0) == 0)) {
		errno = EPERM;
		fail("root could be regained after dropping it");
	}
}

/* From here on only the bind: CAP_NET_BIND_SERVICE, and CAP_CHOWN
 * permitted for set_socket_owner. */
void keep_bind_only(void)
{
	limit_caps(CAPS_BIND_PERMITTED, CAPS_BIND_EFFECTIVE, "capset for the bind");
}

/*
 * The caller's socket is owned by HOLD_UID for the length of a guarded
 * TCP bind (see take_ipv4_half in helper.c).  Why: for a socket with
 * SO_REUSEPORT the kernel skips the whole conflict check, guard and all,
 * when the last SO_REUSEPORT socket to join the port (by binding, or by
 * listening: listen(2) joins again; even one closed since) had the same
 * owner and an address that compares equal, and a v6-only [::] compares
 * equal to a dual-stack one (inet_csk_get_port, sk_reuseport_match).  The
 * caller can make a socket of its own join at any moment; no socket of
 * HOLD_UID joins while our guard is held (every guarded bind of the port
 * needs the guard, and guards exclude each other), so the check runs in
 * full.  fchown sets the owner the kernel compares (sk_uid).  The price:
 * at this bind the socket cannot join a SO_REUSEPORT group of the
 * caller's.  Setting the owner needs CAP_CHOWN, effective only here and
 * only on the caller's socket.
 */
int set_socket_owner(int sock, uid_t owner)
{
	int r = -1, saved;

	if (set_caps(CAPS_BIND_PERMITTED, CAPS_BIND_PERMITTED) == 0)
		r = fchown(sock, owner, (gid_t)-1);
	saved = errno;
	if (set_caps(CAPS_BIND_PERMITTED, CAPS_BIND_EFFECTIVE) != 0)
		return -1;
	if (!holds_caps(CAPS_BIND_PERMITTED, CAPS_BIND_EFFECTIVE)) {
		errno = EPERM;
		return -1;
	}
	errno = saved;
	return r;
}
