/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * authbind-helper: binds one socket for its caller, if the policy says so.
 *
 * Installed setuid root and run by libauthbind with the socketpair that
 * carries the request on fd 0.  main reads like a page:
 *
 *   reset_process_state   whatever the caller left us, start from known ground
 *   receive_request       one message of the exact size carrying one fd
 *   check_privilege       real root of the initial user namespace, or say why not
 *   hold_off_caller       real and saved uid out of the caller's reach
 *   check_socket          an unbound TCP or UDP socket of our network namespace
 *   drop_to_caller        the caller's euid and gid, root's read access kept
 *   check_policy          the policy, for both halves of a bind of ::
 *   keep_bind_only        CAP_NET_BIND_SERVICE alone
 *   bind_granted          the guard of the IPv4 half where it is needed, the
 *                         bind, a log line saying what was really bound, reply
 *
 * The privilege steps are in privilege.c.
 *
 * Every way out goes through end_run: one line in the log, one reply with
 * the line the user reads (when the channel is ours), exit.  Exit status:
 * 0 the request was answered (granted, denied, refused, or the error of
 * the bind itself); 1 the helper failed, replying when it could.  The shim
 * never reads the status: the reply is the result.
 */
#include "config.h"
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "helper.h"
#include "policy.h"
#include "proc.h"
#include "proto.h"

#define REQUEST_WAIT_MS 5000

#if !HAVE_DECL_SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

/* The longest line the helper composes for the user fits the reply. */
_Static_assert(AB_REPLY_TEXT_MAX >= 620 + 2 * sizeof(AB_POLICY_DIR),
	       "the policy directory's name is too long for the reply");

#ifdef __SANITIZE_ADDRESS__
/* The sanitizer build only: LeakSanitizer cannot inspect a process that
 * is not dumpable, which the helper makes itself. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}
#endif

struct run run = { .pid = "pid=0", .mode = "" };

/* One line in the log: "VERB uid=U pid=P PROTO ADDRESS:PORT (MODE)" and
 * what follows. */
__attribute__((format(printf, 3, 4)))
static void say(int priority, const char *verb, const char *fmt, ...)
{
	char tail[AB_REPLY_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tail, sizeof(tail), fmt, ap);
	va_end(ap);
	syslog(priority, "%s uid=%u%s %s%s%s%s%s", verb, (unsigned)run.uid,
	       run.userns ? "(userns)" : "", run.pid, *run.where ? " " : "", run.where,
	       run.mode, tail);
}

/* The one reply; 0 when it went out whole. */
static int send_reply(enum ab_outcome outcome, int error, uint32_t detail, const char *text)
{
	struct ab_reply rep;
	ssize_t n;

	ab_reply_init(&rep, outcome, error, detail, text);
	do
		n = send(CHANNEL_FD, &rep, sizeof(rep), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(rep) ? 0 : -1;
}

/*
 * Ends a run that binds nothing: one line in the log (log_text after the
 * colon), the reply with user_line (NULL: nothing to say), exit.
 */
__attribute__((noreturn))
static void end_run(int status, int priority, const char *verb, const char *log_text,
		    enum ab_outcome outcome, int error, uint32_t detail,
		    const char *user_line)
{
	say(priority, verb, ": %s", log_text);
	if (run.replying && send_reply(outcome, error, detail, user_line) != 0)
		_exit(1);
	_exit(status);
}

/* "authbind: uid 41000: cannot bind tcp 0.0.0.0:80: TEXT" */
static void user_line(char *out, size_t size, const char *verb, const char *text)
{
	snprintf(out, size, "authbind: uid %u: %s%s%s: %s", (unsigned)run.uid, verb,
		 *run.where ? " " : "", run.where, text);
}

/* A request the helper will not judge: a malformed message, an odd
 * socket, no privilege, a port half it cannot hold. */
void refuse(enum ab_outcome outcome, int error, uint32_t detail, const char *text)
{
	char line[AB_REPLY_TEXT_MAX];

	user_line(line, sizeof(line), "cannot bind", text);
	end_run(0, LOG_WARNING, "refused", text, outcome, error, detail, line);
}

/* A system call the helper needs failed; errno says how. */
void fail(const char *what)
{
	char text[256], line[AB_REPLY_TEXT_MAX];
	int saved = errno;

	snprintf(text, sizeof(text), "the helper failed: %s: %s", what, strerror(saved));
	fprintf(stderr, "authbind-helper: %s: %s\n", what, strerror(saved));
	user_line(line, sizeof(line), "cannot bind", text);
	end_run(1, LOG_ERR, "failed", text, AB_FAILED, EACCES, 0, line);
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
		end_run(1, LOG_WARNING, "refused", "standard input is not the socketpair of "
			"libauthbind (run by hand?)", AB_BAD_REQUEST, EPROTO, 0, NULL);
	}
	run.replying = 1;
}

/* The parent of pid, from /proc/PID/stat; -1 when it cannot tell. */
static pid_t parent_of(pid_t pid)
{
	unsigned long long ppid;

	return ab_proc_stat_field(pid, 4, &ppid) == 0 ? (pid_t)ppid : -1;
}

/*
 * The pid for the log.  SO_PEERCRED names whoever made the socketpair,
 * which the caller chooses; the kernel vouches for it only when that is
 * our parent or (the shim's go-between in the middle) our grandparent.
 */
static void describe_caller(void)
{
	struct ucred peer;
	socklen_t len = sizeof(peer);
	pid_t parent = getppid();

	if (getsockopt(CHANNEL_FD, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0)
		return;
	if (peer.pid == parent || peer.pid == parent_of(parent))
		snprintf(run.pid, sizeof(run.pid), "pid=%d", (int)peer.pid);
	else
		snprintf(run.pid, sizeof(run.pid), "pid=%d(claimed) ppid=%d", (int)peer.pid,
			 (int)parent);
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
		fail("poll");
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	do
		n = recvmsg(CHANNEL_FD, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		fail("recvmsg");
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

/* "tcp 0.0.0.0:80" for the log and the user's line, as soon as the
 * request says where (udp only when the socket says so, as the shim
 * always printed it). */
static void describe_target(int sock, const struct sockaddr_storage *ss, socklen_t len)
{
	struct ab_addr a;
	char endpoint[AB_ENDPOINT_TEXT_MAX];
	int protocol = 0;
	uint16_t port;

	if (ab_addr_from_sockaddr(&a, (const struct sockaddr *)ss, len) != 0)
		return;
	port = ss->ss_family == AF_INET ? ntohs(((const struct sockaddr_in *)ss)->sin_port)
					: ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	ab_endpoint_format(&a, port, endpoint);
	if (get_int_option(sock, SOL_SOCKET, SO_PROTOCOL, &protocol) != 0)
		protocol = 0;
	snprintf(run.where, sizeof(run.where), "%s %s",
		 protocol == IPPROTO_UDP ? "udp" : "tcp", endpoint);
}

/* The socket's network namespace as its nsfs inode (SIOCGSKNS, Linux
 * 4.10; needs CAP_NET_ADMIN over it, which root has). */
static int netns_inode(int sock, struct stat *st)
{
	int ns = ioctl(sock, SIOCGSKNS);
	int r;

	if (ns < 0)
		return -1;
	r = fstat(ns, st);
	close(ns);
	return r;
}

/* 1 when the socket was made in our network namespace, 0 when not, -1
 * when this kernel cannot tell us (no SO_NETNS_COOKIE, Linux 5.14, and no
 * SIOCGSKNS).  The probe is a socket of our own, in our namespace. */
static int same_netns(int sock)
{
	uint64_t theirs = 0, ours = 0;
	socklen_t len = sizeof(theirs);
	struct stat a, b;
	int probe, same = -1;

	probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (probe < 0)
		fail("socket AF_UNIX");
	if (getsockopt(sock, SOL_SOCKET, SO_NETNS_COOKIE, &theirs, &len) == 0 &&
	    (len = sizeof(ours),
	     getsockopt(probe, SOL_SOCKET, SO_NETNS_COOKIE, &ours, &len)) == 0)
		same = ours == theirs;
	else if (netns_inode(sock, &a) == 0 && netns_inode(probe, &b) == 0)
		same = a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	close(probe);
	return same;
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
	int domain, type, protocol, same;

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
	same = same_netns(sock);
	if (same < 0)
		refuse(AB_BAD_SOCKET, EINVAL, 0, "the helper cannot tell the socket's network "
		       "namespace on this kernel (it needs Linux 4.10 or later)");
	if (!same)
		refuse(AB_BAD_SOCKET, EINVAL, 0, "the socket belongs to another network namespace");
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

/*
 * Decides the bind, as the caller with root's read access.  A bind of ::
 * is decided for both halves, whatever IPV6_V6ONLY says now: the IPv4
 * half (0.0.0.0, same protocol and port) must be granted for a dual-stack
 * bind, and decides whether a v6-only one needs the guard.
 */
static void check_policy(const struct ab_caller *caller, const struct ab_target *target,
			 int any6, struct ab_decision *d6, struct ab_decision *d4)
{
	struct ab_target any4 = *target;
	int dirfd;

	memset(d4, 0, sizeof(*d4));
	dirfd = ab_policy_open(AB_POLICY_DIR, d6);
	if (dirfd < 0) {
		d6->granted = 0;
		d6->final = 1;
		*d4 = *d6;
		return;
	}
	ab_policy_decide(dirfd, caller, target, d6, NULL);
	if (any6) {
		memset(&any4.addr, 0, sizeof(any4.addr));
		any4.addr.family = AF_INET;
		ab_policy_decide(dirfd, caller, &any4, d4, NULL);
	}
	close(dirfd);
}

/* The policy said no: say why, and which rule line would lift it. */
__attribute__((noreturn))
static void deny(const struct ab_target *target, int dual,
		 const struct ab_decision *d6, const struct ab_decision *d4)
{
	const struct ab_decision *d = d6->granted ? d4 : d6;
	char why[AB_WORDS_MAX], rule[AB_ADDR_TEXT_MAX + 24];
	char line[AB_REPLY_TEXT_MAX];
	int n;

	ab_words_refused(d6, dual ? d4 : NULL, why, sizeof(why));
	n = snprintf(line, sizeof(line), "authbind: uid %u: may not bind %s: refused by %s: %s",
		     (unsigned)run.uid, run.where, AB_POLICY_DIR, why);
	if (!d->final && n > 0 && (size_t)n < sizeof(line)) {
		ab_rule_suggest(target, dual, rule, sizeof(rule));
		snprintf(line + n, sizeof(line) - (size_t)n,
			 "; to allow it, add the line '%s' to %s/byuid/%u "
			 "(authbind --explain tells more)", rule, AB_POLICY_DIR,
			 (unsigned)run.uid);
	}
	end_run(0, LOG_WARNING, "denied", why, AB_DENIED, EACCES, 0, line);
}

/*
 * The guard: the IPv4 half of the port, held by us across a v6-only bind
 * of :: that the policy grants while it does not grant 0.0.0.0.
 *
 * Why: the caller holds the socket too and can turn IPV6_V6ONLY off
 * between our look and our bind (no call sets it and binds at once); the
 * bind would then take 0.0.0.0:PORT as well.  With the guard bound, such
 * a dual-stack bind conflicts and fails, whatever options the caller set:
 * - TCP: SO_REUSEADDR and listening.  A listening holder defeats the
 *   caller's SO_REUSEADDR, no SO_REUSEPORT defeats its SO_REUSEPORT, no
 *   bound device its SO_BINDTODEVICE; and SO_REUSEADDR lets the guard
 *   share the port with TIME_WAIT leftovers and non-listening holders that
 *   set it too, as a v6-only bind would.  (The kernel can still skip the
 *   check for a socket with SO_REUSEPORT: see set_socket_owner.)
 * - UDP: neither option, which conflicts with every dual-stack bind.
 * A filter that drops everything (classic BPF "ret #0") means the guard
 * never accepts a connection or a datagram.
 *
 * make_guard runs while we are still root, for every v6-only bind of ::
 * (whether the guard is needed is known only after the policy): some
 * kernels let only CAP_NET_ADMIN attach a socket filter.  The socket is
 * bound only later, by take_ipv4_half, with CAP_NET_BIND_SERVICE alone.
 */
static int make_guard(int protocol)
{
	static struct sock_filter drop_all[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog prog = { 1, drop_all };
	int fd, one = 1, tcp = protocol == IPPROTO_TCP;

	fd = socket(AF_INET, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		fail("socket for the IPv4 half");
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) != 0)
		fail("SO_ATTACH_FILTER on the IPv4 half");
	if (tcp && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0)
		fail("SO_REUSEADDR on the IPv4 half");
	return fd;
}

/*
 * Binds the guard.  When it cannot be bound, something holds the IPv4
 * half in a way that conflicts with it, and we do not bind without it: a
 * bound socket cannot be unbound, and whether it became dual-stack is
 * known only after the bind.
 */
static void take_ipv4_half(int guard, int protocol, uint16_t port)
{
	struct sockaddr_in sin;
	char text[400];

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (bind(guard, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    (protocol != IPPROTO_TCP || listen(guard, 1) == 0))
		return;
	if (errno != EADDRINUSE)
		fail("holding the IPv4 half");
	snprintf(text, sizeof(text),
		 "0.0.0.0:%u is in use, and the helper must hold it while it binds [::]:%u "
		 "v6-only, since nothing grants it to uid %u (grant '%s 0.0.0.0,%u' too, or "
		 "bind when nothing holds the IPv4 half of the port)",
		 (unsigned)port, (unsigned)port, (unsigned)run.uid, ab_proto_name(protocol),
		 (unsigned)port);
	refuse(AB_HALF_IN_USE, EADDRINUSE, 0, text);
}

/*
 * The policy granted the bind: take the guard where it is needed, log the
 * grant, bind, say what was bound, reply.  guard is the socket make_guard
 * made for a v6-only bind of :: (-1 for any other bind).
 */
static int bind_granted(int sock, const struct sockaddr_storage *ss, socklen_t sslen,
			const struct ab_target *target, int any6, int v6only, int guard,
			const struct ab_decision *d6, const struct ab_decision *d4)
{
	char by[AB_WORDS_MAX];
	int after = v6only, disowned = 0, error;
	struct stat st;

	if (guard >= 0 && d4->granted) {
		close(guard);
		guard = -1;
	}
	if (guard >= 0) {
		take_ipv4_half(guard, target->proto, target->port);
		if (target->proto == IPPROTO_TCP) {
			/* (given back to its owner, who may not be the caller) */
			if (fstat(sock, &st) != 0)
				fail("fstat of the socket");
			if (set_socket_owner(sock, HOLD_UID) != 0)
				fail("fchown of the socket to the holding uid");
			disowned = 1;
		}
	}
	ab_words_granted(d6, any6 && !v6only ? d4 : NULL, by, sizeof(by));
	/* The grant is logged before the bind: a bind must never happen
	 * without its line in the log, whatever happens to us next. */
	say(LOG_NOTICE, "granted", " by %s", by);
	if (bind(sock, (const struct sockaddr *)ss, sslen) != 0) {
		error = errno;
		if (disowned && set_socket_owner(sock, st.st_uid) != 0)
			say(LOG_ERR, "failed", ": fchown of the socket back to its owner: %s",
			    strerror(errno));
		end_run(0, LOG_NOTICE, "bind failed", strerror(error), AB_BIND_FAILED, error, 0,
			NULL);
	}
	/* Bound: from here on nothing may turn the reply into a refusal. */
	if (disowned && set_socket_owner(sock, st.st_uid) != 0)
		say(LOG_ERR, "failed", ": fchown of the socket back to its owner: %s",
		    strerror(errno));
	if (guard >= 0)
		close(guard);
	/* Once bound, IPV6_V6ONLY can no longer change: this is what the
	 * socket really holds.  If the caller turned it over after our look,
	 * the line above named what the look saw, and this one says what was
	 * bound.  Dual-stack can only have come about with 0.0.0.0 granted
	 * (the guard stops it otherwise). */
	if (any6 && get_int_option(sock, IPPROTO_IPV6, IPV6_V6ONLY, &after) != 0) {
		say(LOG_ERR, "failed", ": IPV6_V6ONLY cannot be read after the bind: %s",
		    strerror(errno));
	} else if (any6 && after != v6only) {
		run.mode = after ? " (v6-only; it was dual-stack when checked)"
				 : " (dual-stack; it was v6-only when checked)";
		if (!after)
			ab_words_granted(d6, d4, by, sizeof(by));
		say(LOG_NOTICE, "bound", " by %s", by);
	}
	return send_reply(AB_GRANTED, 0, 0, NULL) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static gid_t groups[AB_GROUPS_MAX];
	struct ab_request req;
	struct sockaddr_storage ss;
	struct ab_decision d6, d4;
	struct ab_caller caller;
	struct ab_target target;
	socklen_t sslen;
	int sock, decoded, any6, v6only = 1, guard = -1, ngroups;

	(void)argc;
	(void)argv;
	/* The caller's identity, before anything can change it. */
	run.uid = getuid();
	run.gid = getgid();
	openlog("authbind-helper", LOG_PID, LOG_AUTHPRIV);
	reset_process_state();
	check_channel();
	describe_caller();
	/* Read the request even when we cannot act on it: closing our end
	 * with it unread would reset the caller's end, and the refusal would
	 * be lost behind ECONNRESET. */
	sock = receive_request(&req);
	decoded = ab_request_decode(&req, &ss, &sslen) == 0;
	if (decoded)
		describe_target(sock, &ss, sslen);
	check_privilege();
	hold_off_caller();
	if (!decoded)
		refuse(AB_BAD_REQUEST, EINVAL, 0, "the request has a field out of range");
	memset(&target, 0, sizeof(target));
	target.proto = check_socket(sock, &req);
	target.port = req.port;
	if (ab_addr_from_sockaddr(&target.addr, (struct sockaddr *)&ss, sslen) != 0)
		refuse(AB_BAD_REQUEST, EINVAL, 0, "the address cannot be judged");
	any6 = target.addr.family == AF_INET6 && ab_addr_is_any(&target.addr);
	if (any6) {
		if (get_int_option(sock, IPPROTO_IPV6, IPV6_V6ONLY, &v6only) != 0)
			refuse(AB_BAD_SOCKET, EINVAL, 0, "IPV6_V6ONLY cannot be read");
		run.mode = v6only ? " (v6-only)" : " (dual-stack)";
		if (v6only)
			guard = make_guard(target.proto);
	}
	ngroups = getgroups(AB_GROUPS_MAX, groups);
	if (ngroups < 0)
		fail("getgroups");
	memset(&caller, 0, sizeof(caller));
	caller.uid = run.uid;
	caller.gid = run.gid;
	caller.groups = groups;
	caller.ngroups = (size_t)ngroups;
	/* Names (byuid/NAME, bygid/NAME) are looked up only if the lookup
	 * reaches them, in /etc/passwd and /etc/group alone. */
	caller.user_name_of = ab_user_name_of;
	caller.group_by_name = ab_group_id_of;

	drop_to_caller(run.uid, run.gid);
	check_policy(&caller, &target, any6, &d6, &d4);
	keep_bind_only();
	if (!d6.granted || (any6 && !v6only && !d4.granted))
		deny(&target, any6 && !v6only, &d6, &d4);
	return bind_granted(sock, &ss, sslen, &target, any6, v6only, guard, &d6, &d4);
}
