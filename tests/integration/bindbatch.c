/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bindbatch: many binds in one process, for the differential tests.
 *
 *   bindbatch < LINES
 *
 * Each line is "PROTO ADDRESS PORT V6ONLY" (tcp|udp, a numeric address,
 * perhaps with %SCOPE, a port, and 0, 1 or - for IPV6_V6ONLY on an IPv6
 * socket).  For each, a fresh socket of the address's family, with
 * IP_FREEBIND/IPV6_FREEBIND so that any address can be bound, is bound
 * and closed; the answer is one line, "ok" or the errno's name.  A bind
 * that fails must leave the socket unbound, and one that succeeds must
 * hold the port: otherwise "inconsistent" and exit 2.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "boundport.h"

static const char *errno_name(int e)
{
	switch (e) {
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EADDRINUSE: return "EADDRINUSE";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case EINVAL: return "EINVAL";
	case ENODEV: return "ENODEV";
	default: return "EOTHER";
	}
}

static int one_bind(const char *proto, char *addr, unsigned port, const char *v6only)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	char *scope = strchr(addr, '%');
	int udp = strcmp(proto, "udp") == 0, six, fd, one = 1, r, err;
	socklen_t len;

	memset(&ss, 0, sizeof(ss));
	if (scope != NULL)
		*scope++ = '\0';
	six = strchr(addr, ':') != NULL;
	if (six) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) != 1)
			return -1;
		if (scope != NULL)
			sin6->sin6_scope_id = (uint32_t)strtoul(scope, NULL, 10);
		len = sizeof(*sin6);
	} else {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
			return -1;
		len = sizeof(*sin);
	}
	fd = socket(six ? AF_INET6 : AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, six ? IPPROTO_IPV6 : IPPROTO_IP, six ? IPV6_FREEBIND : IP_FREEBIND,
		       &one, sizeof(one)) != 0)
		return -1;
	if (six && strcmp(v6only, "-") != 0) {
		int v = atoi(v6only);

		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof(v)) != 0)
			return -1;
	}
	r = bind(fd, (struct sockaddr *)&ss, len);
	err = errno;
	if ((r == 0 && bound_port(fd) != (int)port) || (r != 0 && bound_port(fd) != 0)) {
		printf("inconsistent\n");
		exit(2);
	}
	printf("%s\n", r == 0 ? "ok" : errno_name(err));
	close(fd);
	return 0;
}

int main(void)
{
	char line[256], proto[8], addr[80], v6only[4];
	unsigned port;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		if (sscanf(line, "%7s %79s %u %3s", proto, addr, &port, v6only) != 4 ||
		    one_bind(proto, addr, port, v6only) != 0) {
			printf("bad %s", line);
			return 2;
		}
	}
	return 0;
}
