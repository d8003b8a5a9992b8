/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * helperdrive: runs one command with a ready request on fd 0, as the shim
 * would run the helper, and reports what came back and what it cost.
 * bench/run.sh uses it to run the helper under callgrind and to read its
 * peak memory; run as root.
 *
 *   helperdrive [--as UID:GID | --ruid UID:GID] PROTO FAMILY PORT -- COMMAND [ARG...]
 *
 * It makes a PROTO (tcp/udp) socket of FAMILY (4/6), puts a request to
 * bind it to the wildcard address and PORT on a SOCK_SEQPACKET socketpair
 * together with the socket, and starts COMMAND with the other end on fd 0.
 *   --as UID:GID    COMMAND runs with all its ids set to UID and GID and no
 *                   supplementary groups: the caller of a setuid helper
 *   --ruid UID:GID  only the real ids become UID and GID, the effective ones
 *                   stay root: the ids a setuid-root helper starts with,
 *                   without the setuid bit (valgrind cannot run one)
 * Prints one line:
 *   outcome=N error=E bound=0|1 status=S maxrss_kib=K minflt=F
 * where outcome is the reply's (0 when none came), bound says whether the
 * socket ended up on PORT, status is the exit status, maxrss_kib the
 * child's peak resident memory and minflt its minor page faults (getrusage
 * of the child: COMMAND and what it runs, plus the few pages the child
 * touched between fork and exec).
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proto.h"

#define REPLY_WAIT_MS 120000 /* a helper under callgrind is slow */

static void parse_ids(const char *s, uid_t *uid, gid_t *gid)
{
	unsigned long u, g;
	char *end;

	errno = 0;
	u = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != ':')
		errx(2, "bad UID:GID '%s'", s);
	g = strtoul(end + 1, &end, 10);
	if (errno != 0 || *end != '\0')
		errx(2, "bad UID:GID '%s'", s);
	*uid = (uid_t)u;
	*gid = (gid_t)g;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss, got;
	struct ab_request req;
	struct ab_reply rep;
	struct rusage ru;
	struct pollfd pfd;
	socklen_t len, glen = sizeof(got);
	uid_t uid = 0;
	gid_t gid = 0;
	int mode = 0, i = 1, family, type, sock, sv[2], status, bound = 0;
	unsigned long port;
	pid_t pid;
	ssize_t n;

	if (argc > 2 && (strcmp(argv[1], "--as") == 0 || strcmp(argv[1], "--ruid") == 0)) {
		mode = argv[1][2] == 'a' ? 1 : 2;
		parse_ids(argv[2], &uid, &gid);
		i = 3;
	}
	if (argc - i < 5 || strcmp(argv[i + 3], "--") != 0)
		errx(2, "usage: helperdrive [--as UID:GID | --ruid UID:GID] "
			"PROTO FAMILY PORT -- COMMAND [ARG...]");
	type = strcmp(argv[i], "udp") == 0 ? SOCK_DGRAM : SOCK_STREAM;
	family = strcmp(argv[i + 1], "6") == 0 ? AF_INET6 : AF_INET;
	port = strtoul(argv[i + 2], NULL, 10);
	if (port < 1 || port > 65535)
		errx(2, "bad port '%s'", argv[i + 2]);

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_any;
		sin6->sin6_port = htons((uint16_t)port);
		len = sizeof(*sin6);
	}
	sock = socket(family, type | SOCK_CLOEXEC, 0);
	if (sock < 0)
		err(1, "socket");
	if (ab_request_encode(&req, (struct sockaddr *)&ss, len) != 0)
		errx(1, "cannot encode the request");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		err(1, "socketpair");
	if (ab_send_with_fd(sv[0], &req, sizeof(req), sock) != 0)
		err(1, "sendmsg");

	pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		if (dup2(sv[1], 0) != 0)
			err(1, "dup2");
		if (mode != 0 && setgroups(0, NULL) != 0)
			err(1, "setgroups");
		if (mode == 1 && (setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0))
			err(1, "setting ids");
		if (mode == 2 && (setresgid(gid, 0, 0) != 0 || setresuid(uid, 0, 0) != 0))
			err(1, "setting real ids");
		execvp(argv[i + 4], argv + i + 4);
		err(127, "%s", argv[i + 4]);
	}
	close(sv[1]);

	memset(&rep, 0, sizeof(rep));
	pfd.fd = sv[0];
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, REPLY_WAIT_MS) > 0) {
		n = recv(sv[0], &rep, sizeof(rep), MSG_DONTWAIT);
		if (n != (ssize_t)sizeof(rep) || ab_reply_check(&rep) != 0)
			memset(&rep, 0, sizeof(rep));
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			err(1, "wait4");
	memset(&got, 0, sizeof(got));
	if (getsockname(sock, (struct sockaddr *)&got, &glen) != 0)
		err(1, "getsockname");
	if (family == AF_INET)
		bound = ntohs(((struct sockaddr_in *)&got)->sin_port) == port;
	else
		bound = ntohs(((struct sockaddr_in6 *)&got)->sin6_port) == port;
	printf("outcome=%u error=%d bound=%d status=%d maxrss_kib=%ld minflt=%ld\n",
	       (unsigned)rep.outcome, (int)rep.error, bound,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
	       ru.ru_maxrss, ru.ru_minflt);
	return 0;
}
