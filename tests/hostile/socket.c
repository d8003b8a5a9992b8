/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Attacks on the socket: whatever fd arrives must be an unbound TCP or UDP
 * socket of the request's family, made in the helper's network namespace.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attack.h"

static void run_file(struct ctx *c)
{
	c->sock = open("a-file", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (c->sock < 0)
		fatal("open a-file");
	attack(c);
}

static void run_pipe(struct ctx *c)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) != 0)
		fatal("pipe2");
	c->sock = p[0];
	attack(c);
}

static void run_dir(struct ctx *c)
{
	c->sock = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->sock < 0)
		fatal("open .");
	attack(c);
}

/* An O_PATH fd of a socket inode: fstat says S_ISSOCK, yet it is no socket. */
static void run_opath_socket(struct ctx *c)
{
	struct sockaddr_un sun;
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "a-socket");
	unlink("a-socket");
	if (s < 0 || bind(s, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		fatal("binding a-socket");
	c->sock = open("a-socket", O_PATH | O_CLOEXEC);
	if (c->sock < 0)
		fatal("open O_PATH");
	attack(c);
}

/* A socket the user may make, of a kind the helper must not bind, and
 * the address of the request that goes with it (NULL: the default). */
static void run_user_socket(struct ctx *c)
{
	static const struct { int domain, type, protocol; const char *addr; } kinds[] = {
		{ AF_UNIX, SOCK_STREAM, 0, NULL },
		{ AF_UNIX, SOCK_SEQPACKET, 0, NULL },
		{ AF_NETLINK, SOCK_RAW, 0, NULL },
		{ AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE, "0.0.0.0" },
		{ AF_INET, SOCK_STREAM, IPPROTO_MPTCP, "0.0.0.0" },
		{ AF_INET, SOCK_STREAM, IPPROTO_SCTP, "0.0.0.0" },
		{ AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP, "0.0.0.0" },
		{ AF_INET6, SOCK_STREAM, 0, "0.0.0.0" }, /* family mismatch */
		{ AF_INET, SOCK_STREAM, 0, "::" },       /* family mismatch */
		{ AF_INET6, SOCK_DGRAM, IPPROTO_UDPLITE, "::" },
	};
	long k = c->hc->param;

	c->sock = socket(kinds[k].domain, kinds[k].type | SOCK_CLOEXEC, kinds[k].protocol);
	if (c->sock < 0) {
		char why[128];

		snprintf(why, sizeof(why), "the kernel does not make this socket: %s",
			 strerror(errno));
		skip(c, why);
		return;
	}
	if (kinds[k].addr != NULL)
		c->addr = kinds[k].addr;
	attack(c);
}

/* The helper's own channel end, passed as the socket to bind. */
static void run_self_channel(struct ctx *c)
{
	open_channel(c);
	c->sock = dup(c->chan[0]);
	if (c->sock < 0 || fcntl(c->sock, F_SETFD, FD_CLOEXEC) != 0)
		fatal("dup");
	attack(c);
}

/* Made by the referee: c->root_fd[0] is the socket. */
static void run_root_socket(struct ctx *c)
{
	if (c->root_fd[0] < 0) {
		skip(c, "the referee could not make this socket here");
		return;
	}
	c->sock = c->root_fd[0];
	attack(c);
}

static void run_bound(struct ctx *c)
{
	struct sockaddr_in sin;

	c->sock = default_socket(c);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(c->sock, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		fatal("bind 127.0.0.1:0");
	attack(c);
}

static void run_listening(struct ctx *c)
{
	c->sock = default_socket(c);
	if (listen(c->sock, 1) != 0)
		fatal("listen");
	attack(c);
}

static void run_connected_udp(struct ctx *c)
{
	struct sockaddr_in sin;

	c->sock = make_socket(AF_INET, SOCK_DGRAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (c->sock < 0 || connect(c->sock, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		fatal("connect udp");
	attack(c);
}

/* A socket of a network namespace the user made (with a user namespace);
 * there the user may bind what it likes, but not through the helper. */
static void run_userns_socket(struct ctx *c)
{
	int sp[2], st;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) != 0)
		fatal("socketpair");
	pid = fork();
	if (pid < 0)
		fatal("fork");
	if (pid == 0) {
		int s;

		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0)
			_exit(3);
		s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s < 0 || send_with_fds(sp[1], "s", 1, &s, 1) != 1)
			_exit(4);
		_exit(0);
	}
	close(sp[1]);
	if (waitpid(pid, &st, 0) != pid)
		fatal("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		skip(c, "unprivileged user namespaces are not available");
		return;
	}
	c->sock = receive_fd(sp[0]);
	if (c->sock < 0)
		fatal("receiving the socket");
	attack(c);
}

/* ---- the referee's preparations ---- */

static void root_raw(struct ctx *c)
{
	c->root_fd[0] = socket(c->hc->param == 6 ? AF_INET6 : AF_INET,
			       SOCK_RAW | SOCK_CLOEXEC,
			       c->hc->param == 6 ? IPPROTO_UDP : IPPROTO_TCP);
	if (c->hc->param == 6)
		c->addr = "::";
}
static void root_ping(struct ctx *c)
{
	int fd;

	c->root_fd[0] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (c->root_fd[0] >= 0 || errno != EACCES)
		return;
	/* Only in our private network namespace. */
	fd = open("/proc/sys/net/ipv4/ping_group_range", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0 2147483647", 12) != 12)
		fatal("ping_group_range");
	close(fd);
	c->root_fd[0] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
}
static void root_packet(struct ctx *c)
{
	c->root_fd[0] = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}
static void root_netns(struct ctx *c)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	if (self < 0 || unshare(CLONE_NEWNET) != 0)
		fatal("unshare");
	c->root_fd[0] = make_socket(family_of(c->addr), opt_udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (setns(self, CLONE_NEWNET) != 0)
		fatal("setns");
	close(self);
}

const struct hcase cases_socket[] = {
	{ "file", NULL, run_file, AB_BAD_SOCKET, ENOTSOCK, 0, 0, 0 },
	{ "pipe", NULL, run_pipe, AB_BAD_SOCKET, ENOTSOCK, 0, 0, 0 },
	{ "dir", NULL, run_dir, AB_BAD_SOCKET, ENOTSOCK, 0, 0, 0 },
	{ "opath-socket", NULL, run_opath_socket, AB_BAD_SOCKET, 0, 0, 0, 0 },
	{ "unix-stream", NULL, run_user_socket, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 0 },
	{ "unix-seqpacket", NULL, run_user_socket, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 1 },
	{ "netlink", NULL, run_user_socket, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 2 },
	{ "udplite", NULL, run_user_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 3 },
	{ "udplite6", NULL, run_user_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 9 },
	{ "mptcp", NULL, run_user_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 4 },
	{ "sctp", NULL, run_user_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 5 },
	{ "sctp-seqpacket", NULL, run_user_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 6 },
	{ "family-4on6", NULL, run_user_socket, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 7 },
	{ "family-6on4", NULL, run_user_socket, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 8 },
	{ "self-channel", NULL, run_self_channel, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 0 },
	{ "raw4", root_raw, run_root_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 4 },
	{ "raw6", root_raw, run_root_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 6 },
	{ "ping", root_ping, run_root_socket, AB_BAD_SOCKET, EPROTONOSUPPORT, 0, 0, 0 },
	{ "packet", root_packet, run_root_socket, AB_BAD_SOCKET, EAFNOSUPPORT, 0, 0, 0 },
	{ "netns", root_netns, run_root_socket, AB_BAD_SOCKET, EINVAL, 0, 0, 0 },
	{ "userns", NULL, run_userns_socket, AB_BAD_SOCKET, EINVAL, 0, 0, 0 },
	{ "bound", NULL, run_bound, AB_BAD_SOCKET, EINVAL, 0, 0, 0 },
	{ "listening", NULL, run_listening, AB_BAD_SOCKET, EINVAL, 0, 0, 0 },
	{ "connected-udp", NULL, run_connected_udp, AB_BAD_SOCKET, EINVAL, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0, 0, 0 },
};
