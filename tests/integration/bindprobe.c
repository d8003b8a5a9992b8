/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bindprobe: binds one socket and says what happened, for the
 * integration tests.
 *
 *   bindprobe [-u] [-6] [-V 0|1] [-r] [-p] [-n] [-c] [-f FD] [-h SECONDS] ADDRESS PORT
 *
 *   -u   UDP instead of TCP        -6   an AF_INET6 socket (else by address)
 *   -V   set IPV6_V6ONLY           -r   set SO_REUSEADDR   -p  SO_REUSEPORT
 *   -n   O_NONBLOCK                -c   leave close-on-exec off
 *   -f   dup the socket to this fd number before binding
 *   -h   after a successful bind, listen (TCP) and hold it this long
 *
 * Prints "bound ADDRESS PORT" or "error ERRNO-NAME", then checks that the
 * fd, its flags and its socket options are what they were, and that the
 * socket is bound exactly when bind said so.  Exit 0 when the bind
 * succeeded, 1 when it failed cleanly, 2 when anything is inconsistent.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "boundport.h"

static int get_opt(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, name, &v, &len) != 0)
		return -1;
	return v;
}

static void inconsistent(const char *what)
{
	printf("inconsistent %s\n", what);
	exit(2);
}

int main(int argc, char **argv)
{
	int udp = 0, six = 0, v6only = -1, reuseaddr = 0, reuseport = 0;
	int nonblock = 0, cloexec = 1, want_fd = -1, hold = 0, c, fd, r, err;
	int fl_before, fd_before, one = 1;
	struct sockaddr_storage ss;
	socklen_t len;
	const char *host;
	char *scope;
	unsigned long port;

	while ((c = getopt(argc, argv, "u6V:rpncf:h:")) != -1) {
		switch (c) {
		case 'u': udp = 1; break;
		case '6': six = 1; break;
		case 'V': v6only = atoi(optarg); break;
		case 'r': reuseaddr = 1; break;
		case 'p': reuseport = 1; break;
		case 'n': nonblock = 1; break;
		case 'c': cloexec = 0; break;
		case 'f': want_fd = atoi(optarg); break;
		case 'h': hold = atoi(optarg); break;
		default: return 2;
		}
	}
	if (argc - optind != 2)
		return 2;
	host = argv[optind];
	port = strtoul(argv[optind + 1], NULL, 10);
	memset(&ss, 0, sizeof(ss));
	if (!six && strchr(host, ':') == NULL) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return 2;
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		char buf[128];

		snprintf(buf, sizeof(buf), "%s", host);
		scope = strchr(buf, '%');
		if (scope != NULL) {
			*scope++ = '\0';
			sin6->sin6_scope_id = if_nametoindex(scope);
			if (sin6->sin6_scope_id == 0)
				sin6->sin6_scope_id = (uint32_t)atoi(scope);
		}
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		if (strchr(buf, ':') == NULL) {
			/* an IPv4 address on an IPv6 socket: mapped */
			char mapped[sizeof(buf)];

			if (strlen(buf) > 20)
				return 2;
			memcpy(mapped, buf, sizeof(mapped));
			snprintf(buf, sizeof(buf), "::ffff:%.20s", mapped);
		}
		if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) != 1)
			return 2;
		len = sizeof(*sin6);
	}
	fd = socket(ss.ss_family, (udp ? SOCK_DGRAM : SOCK_STREAM) |
				  (cloexec ? SOCK_CLOEXEC : 0) | (nonblock ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return 2;
	if (want_fd >= 0 && want_fd != fd) {
		if (dup3(fd, want_fd, cloexec ? O_CLOEXEC : 0) != want_fd)
			return 2;
		close(fd);
		fd = want_fd;
	}
	if (v6only >= 0 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) != 0)
		return 2;
	if (reuseaddr && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0)
		return 2;
	if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0)
		return 2;
	fl_before = fcntl(fd, F_GETFL);
	fd_before = fcntl(fd, F_GETFD);
	v6only = ss.ss_family == AF_INET6 ? get_opt(fd, IPPROTO_IPV6, IPV6_V6ONLY) : -1;

	errno = 12345;
	r = bind(fd, (struct sockaddr *)&ss, len);
	err = errno;
	if (r == 0) {
		printf("bound %s %lu\n", host, port);
		if (err != 12345)
			inconsistent("errno changed by a successful bind");
	} else {
		printf("error %s\n", strerrorname_np(err) ? strerrorname_np(err) : "?");
	}
	fflush(stdout);
	if (fcntl(fd, F_GETFL) != fl_before || fcntl(fd, F_GETFD) != fd_before)
		inconsistent("fd flags");
	/* The kernel itself sets IPV6_V6ONLY when a socket is bound to a
	 * specific IPv6 address that is not IPv4-mapped. */
	if (r == 0 && ss.ss_family == AF_INET6) {
		const struct in6_addr *a = &((struct sockaddr_in6 *)&ss)->sin6_addr;

		if (!IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_V4MAPPED(a))
			v6only = 1;
	}
	if (ss.ss_family == AF_INET6 && get_opt(fd, IPPROTO_IPV6, IPV6_V6ONLY) != v6only)
		inconsistent("IPV6_V6ONLY");
	if (get_opt(fd, SOL_SOCKET, SO_REUSEADDR) != reuseaddr ||
	    get_opt(fd, SOL_SOCKET, SO_REUSEPORT) != reuseport)
		inconsistent("SO_REUSEADDR/SO_REUSEPORT");
	if ((r == 0) != (bound_port(fd) == (int)port))
		inconsistent("bound state");
	if (r != 0 && bound_port(fd) != 0)
		inconsistent("a failed bind left the socket bound");
	if (r == 0 && hold > 0) {
		if (!udp && listen(fd, 16) != 0)
			inconsistent("listen");
		sleep((unsigned)hold);
	}
	return r == 0 ? 0 : 1;
}
