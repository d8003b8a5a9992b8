/*
 * authbind-helper: binds one socket for its caller, if the policy says so.
 *
 * Installed setuid root and run by libauthbind with the socketpair that
 * carries the request on fd 0.  It reads like a page:
 *
 *   reset_process_state   whatever the caller left us, start from known ground
 *   receive_request       one message of the exact size carrying one fd
 *   check_privilege       refuse to pretend when we are not actually root
 *   check_socket          an unbound TCP or UDP socket of our network namespace
 *   drop_to_caller        the caller's uid, keeping only CAP_NET_BIND_SERVICE
 *   decide                the policy, read with the caller's identity
 *   bind, reply, log, exit
 *
 * Exit status: 0 when a reply was sent (whatever it said), 1 when none
 * could be; the shim never reads it, the reply is the result.
 */
#include "config.h"
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "policy.h"
#include "proto.h"

#define CHANNEL_FD 0
/* The whole run is bounded: a caller that stops us, or never writes, gets
 * nothing but a dead helper and an unbound socket. */
#define HELPER_DEADLINE_S 10
#define REQUEST_WAIT_MS 5000
#define MAX_GROUPS 65536

#ifdef __SANITIZE_ADDRESS__
/* The sanitizer build only: LeakSanitizer cannot inspect a process that
 * is not dumpable, which the helper makes itself. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}
#endif

static void die(const char *what)
{
	int saved = errno;

	syslog(LOG_ERR, "%s: %s", what, strerror(saved));
	fprintf(stderr, "authbind-helper: %s: %s\n", what, strerror(saved));
	_exit(1);
}

static void reply(int outcome, int error, uint32_t detail, const char *text)
{
	struct ab_reply rep;
	ssize_t n;

	ab_reply_init(&rep, outcome, error, detail, text);
	do
		n = send(CHANNEL_FD, &rep, sizeof(rep), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(rep))
		_exit(1);
}

/* The caller's pid as the kernel recorded it when the socketpair was
 * made, for the log; 0 when it cannot tell. */
static int peer_pid(void)
{
	struct ucred peer;
	socklen_t len = sizeof(peer);

	if (getsockopt(CHANNEL_FD, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0)
		return 0;
	return (int)peer.pid;
}

/* Ends the request with a refusal the shim turns into errno and words. */
__attribute__((noreturn))
static void refuse(int outcome, int error, uint32_t detail, const char *text)
{
	syslog(LOG_WARNING, "refused uid=%u pid=%d: %s", (unsigned)getuid(), peer_pid(),
	       text);
	reply(outcome, error, detail, text);
	_exit(0);
}

/*
 * A setuid program inherits whatever its caller chose: closed or odd
 * standard fds, extra fds, environment, signal dispositions and mask,
 * umask, rlimits and cwd.  Put each into a known state before anything
 * else runs, so nothing later depends on the caller's choices.
 */
static void reset_process_state(void)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t none;
	int fd, sig;

	/* An open that lands on 0-2 would otherwise be taken for stdio. */
	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", O_RDWR) != fd)
			_exit(1);
	}
#ifdef HAVE_CLOSE_RANGE
	if (close_range(3, ~0U, 0) != 0)
#endif
	{
		struct rlimit nofile;
		int max = 1024;

		if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
		    nofile.rlim_cur != RLIM_INFINITY && nofile.rlim_cur < 65536)
			max = (int)nofile.rlim_cur;
		for (fd = 3; fd < max; fd++)
			close(fd);
	}
	if (clearenv() != 0)
		_exit(1);
	umask(077);
	/* execve reset every handled signal, but "ignored" survives it: the
	 * deadline's SIGALRM, the rlimits' SIGXCPU and SIGXFSZ and the fatal
	 * ones must act as they normally do, so every disposition goes back
	 * to the default (64 calls, about 30 us; cheap for a known state). */
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL); /* fails harmlessly for KILL, STOP and RT */
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		_exit(1);
	alarm(HELPER_DEADLINE_S);
	if (setrlimit(RLIMIT_CORE, &no_core) != 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 || chdir("/") != 0)
		_exit(1);
	openlog("authbind-helper", LOG_PID, LOG_AUTHPRIV);
}

/* The channel must be the socketpair the shim made; anything else means
 * we were run by hand or by someone pretending to be the shim. */
static void check_channel(void)
{
	int type = 0, domain = 0;
	socklen_t len = sizeof(type);

	if (getsockopt(CHANNEL_FD, SOL_SOCKET, SO_TYPE, &type, &len) != 0 ||
	    type != SOCK_SEQPACKET ||
	    (len = sizeof(domain),
	     getsockopt(CHANNEL_FD, SOL_SOCKET, SO_DOMAIN, &domain, &len)) != 0 ||
	    domain != AF_UNIX) {
		fprintf(stderr, "authbind-helper: standard input is not the socketpair "
				"of libauthbind; this program is run by 'authbind', not by hand\n");
		_exit(1);
	}
}

static int is_traced(void)
{
	char buf[4096];
	const char *p;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "\nTracerPid:");
	return p != NULL && strtol(p + 11, NULL, 10) != 0;
}

/*
 * Without an effective uid of 0 we cannot bind anything, and a denial
 * would be a lie: find out why the kernel did not make us root and say so.
 */
static void check_privilege(void)
{
	struct statvfs vfs;
	struct stat st;
	uint32_t why = AB_UNPRIV_UNKNOWN;
	const char *text = "the helper is not running as root";

	if (geteuid() == 0)
		return;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1) {
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
 * Exactly one message of exactly sizeof(struct ab_request) bytes, with
 * exactly one SCM_RIGHTS control message holding exactly one fd.  Every
 * fd that arrives is closed unless it is the one we accept.
 */
static int receive_request(struct ab_request *req)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} control;
	char data[sizeof(*req) + 1];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg;
	struct cmsghdr *cmsg;
	struct pollfd pfd = { CHANNEL_FD, POLLIN, 0 };
	int sock = -1, bad = 0, r;
	ssize_t n;

	do
		r = poll(&pfd, 1, REQUEST_WAIT_MS);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		refuse(AB_BAD_REQUEST, ETIMEDOUT, 0, "no request arrived in time");
	if (r < 0)
		die("poll");
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	do
		n = recvmsg(CHANNEL_FD, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die("recvmsg");
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
			size_t nfds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			size_t i;

			for (i = 0; i < nfds; i++) {
				int fd;

				memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(fd));
				if (sock < 0 && cmsg->cmsg_len == CMSG_LEN(sizeof(int)))
					sock = fd;
				else {
					close(fd);
					bad = 1;
				}
			}
		} else {
			bad = 1;
		}
	}
	if (bad || sock < 0 || n != (ssize_t)sizeof(*req) ||
	    (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		if (sock >= 0)
			close(sock);
		refuse(AB_BAD_REQUEST, EPROTO, 0,
		       "the request is not one message of the expected size with one fd");
	}
	memcpy(req, data, sizeof(*req));
	return sock;
}

static int get_int_option(int fd, int level, int name, int *value)
{
	socklen_t len = sizeof(*value);

	return getsockopt(fd, level, name, value, &len) == 0 && len == sizeof(*value) ? 0 : -1;
}

/* The network namespace the socket was made in; only ours will do. */
static int same_netns(int sock)
{
	uint64_t theirs = 0, ours = 0;
	socklen_t len = sizeof(theirs);
	int probe, ok;

	if (getsockopt(sock, SOL_SOCKET, SO_NETNS_COOKIE, &theirs, &len) != 0)
		return 0;
	probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (probe < 0)
		return 0;
	len = sizeof(ours);
	ok = getsockopt(probe, SOL_SOCKET, SO_NETNS_COOKIE, &ours, &len) == 0 &&
	     ours == theirs;
	close(probe);
	return ok;
}

/*
 * Only a socket we understand: a TCP stream or UDP datagram socket of the
 * family the request names, not yet bound, made in our network namespace.
 * Returns the protocol, IPPROTO_TCP or IPPROTO_UDP.
 */
static int check_socket(int sock, const struct ab_request *req)
{
	struct sockaddr_storage bound;
	socklen_t len = sizeof(bound);
	struct stat st;
	int domain, type, protocol;

	if (fstat(sock, &st) != 0 || !S_ISSOCK(st.st_mode))
		refuse(AB_BAD_SOCKET, ENOTSOCK, 0, "the fd is not a socket");
	if (get_int_option(sock, SOL_SOCKET, SO_DOMAIN, &domain) != 0 ||
	    domain != req->family)
		refuse(AB_BAD_SOCKET, EAFNOSUPPORT, 0,
		       "the socket's family is not the family of the address");
	if (get_int_option(sock, SOL_SOCKET, SO_TYPE, &type) != 0 ||
	    get_int_option(sock, SOL_SOCKET, SO_PROTOCOL, &protocol) != 0 ||
	    !((type == SOCK_STREAM && protocol == IPPROTO_TCP) ||
	      (type == SOCK_DGRAM && protocol == IPPROTO_UDP)))
		refuse(AB_BAD_SOCKET, EPROTONOSUPPORT, 0,
		       "only TCP and UDP sockets are bound by authbind");
	if (!same_netns(sock))
		refuse(AB_BAD_SOCKET, EINVAL, 0,
		       "the socket belongs to another network namespace");
	memset(&bound, 0, sizeof(bound));
	if (getsockname(sock, (struct sockaddr *)&bound, &len) != 0)
		refuse(AB_BAD_SOCKET, EINVAL, 0, "the socket cannot be examined");
	if ((bound.ss_family == AF_INET &&
	     ((struct sockaddr_in *)&bound)->sin_port != 0) ||
	    (bound.ss_family == AF_INET6 &&
	     ((struct sockaddr_in6 *)&bound)->sin6_port != 0))
		refuse(AB_BAD_SOCKET, EINVAL, 0, "the socket is already bound");
	return protocol;
}

static int capset_only(uint32_t cap)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	data[cap / 32].effective = data[cap / 32].permitted = 1u << (cap % 32);
	return (int)syscall(SYS_capset, &head, data);
}

static int holds_only(uint32_t cap)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	int i;

	if (syscall(SYS_capget, &head, data) != 0)
		return 0;
	for (i = 0; i < 2; i++) {
		uint32_t want = (uint32_t)i == cap / 32 ? 1u << (cap % 32) : 0;

		if (data[i].effective != want || data[i].permitted != want ||
		    data[i].inheritable != 0)
			return 0;
	}
	return 1;
}

/*
 * Become the caller, keeping only the right to bind low ports.
 *
 * Why here and in this order: everything after this point (opening the
 * policy tree, parsing it, binding) needs nothing of root but
 * CAP_NET_BIND_SERVICE.  Reading the policy as the caller means a path the
 * caller controls can never make root read or open anything the caller
 * could not, and the execute-permission rules of byport/byaddr are the
 * caller's own.  The gid goes first, while we may still change it; then
 * the uid with PR_SET_KEEPCAPS so the permitted set survives; then capset
 * trims permitted and effective to the one capability.  Finally we check
 * that root cannot be regained and that nothing else is held.
 */
static void drop_to_caller(uid_t uid, gid_t gid)
{
	uid_t r, e, s;

	if (setresgid(gid, gid, gid) != 0)
		die("setresgid");
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
		die("PR_SET_KEEPCAPS");
	if (setresuid(uid, uid, uid) != 0)
		die("setresuid");
	if (capset_only(CAP_NET_BIND_SERVICE) != 0)
		die("capset");
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		die("prctl");
	if (getresuid(&r, &e, &s) != 0 || r != uid || e != uid || s != uid)
		die("getresuid");
	if (uid != 0 && (setresuid(0, 0, 0) == 0 || setuid(0) == 0)) {
		errno = EPERM;
		die("root could be regained after dropping it");
	}
	if (!holds_only(CAP_NET_BIND_SERVICE)) {
		errno = EPERM;
		die("capabilities other than CAP_NET_BIND_SERVICE remain");
	}
}

static const char *protocol_name(int protocol)
{
	return protocol == IPPROTO_TCP ? "tcp" : "udp";
}

/*
 * Decides the bind.  For the dual-stack wildcard (:: with IPV6_V6ONLY
 * off) the socket takes the IPv4 port too, so 0.0.0.0 must be granted as
 * well; *v4_half says that half was the one refused.
 */
static int decide(int dirfd, const struct ab_caller *caller,
		  const struct ab_target *target, int dual,
		  struct ab_decision *d, int *v4_half)
{
	struct ab_target any4 = *target;

	*v4_half = 0;
	ab_policy_decide(dirfd, caller, target, d, NULL);
	if (!d->granted || !dual)
		return d->granted;
	memset(&any4.addr, 0, sizeof(any4.addr));
	any4.addr.family = AF_INET;
	ab_policy_decide(dirfd, caller, &any4, d, NULL);
	*v4_half = !d->granted;
	return d->granted;
}

/*
 * Takes the IPv4 half of the port, for the length of a v6-only bind of ::.
 *
 * Why: that bind was judged with IPV6_V6ONLY on, but the caller holds the
 * same socket and can turn the option off between our look and our bind;
 * the bind would then take 0.0.0.0 as well, which nothing granted.  No
 * call sets the option and binds at once, so we hold 0.0.0.0:PORT on a
 * socket of our own across the bind: a bind that became dual-stack
 * conflicts with it and fails.  Our socket is never handed out and is
 * closed right after.  When the IPv4 half is held already (a server that
 * binds 0.0.0.0 and then [::] v6-only), its holder makes a dual-stack
 * bind conflict in the same way, unless both sockets allow address reuse,
 * so the bind goes on without our guard (EADDRINUSE).
 */
static int hold_ipv4_half(int protocol, uint16_t port)
{
	struct sockaddr_in sin;
	int fd, saved;

	fd = socket(AF_INET, (protocol == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM) |
			     SOCK_CLOEXEC, protocol);
	if (fd < 0)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* "byuid/1000 line 3", "byport/80", or the reason alone. */
static void describe(const struct ab_decision *d, char *out, size_t size)
{
	if (d->line != 0)
		snprintf(out, size, "%s line %u", d->source, d->line);
	else
		snprintf(out, size, "%s%s%s", d->source,
			 *d->source && !d->granted ? " " : "",
			 d->granted ? "" : d->reason);
}

int main(int argc, char **argv)
{
	struct ab_request req;
	struct sockaddr_storage ss;
	struct ab_decision d;
	struct ab_caller caller;
	struct ab_target target;
	socklen_t sslen;
	static gid_t groups[MAX_GROUPS];
	char host[AB_ADDR_TEXT_MAX], where[AB_ADDR_TEXT_MAX + 32];
	char rule[AB_SOURCE_MAX + AB_REASON_MAX + 16];
	char text[AB_SOURCE_MAX + AB_REASON_MAX + 80];
	int sock, dual = 0, v6only = 1, dirfd, ngroups, v4_half = 0, pid;
	int v6only_any, guard = -1;
	const char *proto;

	(void)argc;
	(void)argv;
	reset_process_state();
	check_channel();
	/* Read the request even when we cannot act on it: closing our end
	 * with it unread would reset the caller's end, and the refusal would
	 * be lost behind ECONNRESET. */
	sock = receive_request(&req);
	check_privilege();
	if (ab_request_decode(&req, &ss, &sslen) != 0)
		refuse(AB_BAD_REQUEST, EINVAL, 0, "the request has a field out of range");
	memset(&target, 0, sizeof(target));
	target.proto = check_socket(sock, &req);
	target.port = req.port;
	proto = protocol_name(target.proto);
	if (ab_addr_from_sockaddr(&target.addr, (struct sockaddr *)&ss, sslen) != 0)
		refuse(AB_BAD_REQUEST, EINVAL, 0, "the address cannot be judged");
	if (target.addr.family == AF_INET6 && ab_addr_is_any(&target.addr)) {
		if (get_int_option(sock, IPPROTO_IPV6, IPV6_V6ONLY, &v6only) != 0)
			refuse(AB_BAD_SOCKET, EINVAL, 0, "IPV6_V6ONLY cannot be read");
		dual = !v6only;
	}
	pid = peer_pid();
	ngroups = getgroups(MAX_GROUPS, groups);
	if (ngroups < 0)
		die("getgroups");
	memset(&caller, 0, sizeof(caller));
	caller.uid = getuid();
	caller.gid = getgid();
	caller.groups = groups;
	caller.ngroups = (size_t)ngroups;

	drop_to_caller(caller.uid, caller.gid);

	/* Names (byuid/NAME, bygid/NAME) are looked up only if the lookup
	 * reaches them, as the caller, in /etc/passwd and /etc/group alone. */
	caller.user_name_of = ab_user_name_of;
	caller.group_by_name = ab_group_id_of;
	ab_addr_format(&target.addr, host);
	snprintf(where, sizeof(where), target.addr.family == AF_INET6 ? "[%s]:%u%s" : "%s:%u%s",
		 host, (unsigned)target.port, dual ? " (dual-stack)" : "");
	dirfd = ab_policy_open(AB_POLICY_DIR, &d);
	if (dirfd < 0 || !decide(dirfd, &caller, &target, dual, &d, &v4_half)) {
		describe(&d, rule, sizeof(rule));
		snprintf(text, sizeof(text), "%s%s", v4_half ? "for 0.0.0.0, the IPv4 half "
			 "of this dual-stack bind: " : "", rule);
		syslog(LOG_WARNING, "denied uid=%u pid=%d %s %s: %s", (unsigned)caller.uid,
		       pid, proto, where, text);
		reply(AB_DENIED, EACCES, dirfd < 0 || d.final ? AB_DENY_BY_FILE : AB_DENY_NO_RULE,
		      text);
		return 0;
	}
	describe(&d, rule, sizeof(rule));
	/* The grant is logged before the bind: the caller may kill us at any
	 * moment, and a bind must never happen without its line in the log. */
	syslog(LOG_NOTICE, "granted uid=%u pid=%d %s %s by %s", (unsigned)caller.uid,
	       pid, proto, where, rule);
	v6only_any = target.addr.family == AF_INET6 && ab_addr_is_any(&target.addr) && !dual;
	if (v6only_any)
		guard = hold_ipv4_half(target.proto, target.port);
	if ((v6only_any && guard < 0 && errno != EADDRINUSE) ||
	    bind(sock, (struct sockaddr *)&ss, sslen) != 0) {
		int error = errno;

		if (guard >= 0)
			close(guard);
		syslog(LOG_NOTICE, "bind failed uid=%u pid=%d %s %s: %s", (unsigned)caller.uid,
		       pid, proto, where, strerror(error));
		reply(AB_BIND_FAILED, error, 0, strerror(error));
		return 0;
	}
	if (guard >= 0)
		close(guard);
	reply(AB_GRANTED, 0, 0, NULL);
	return 0;
}
