/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/uio.h>

#include "proto.h"

int ab_request_encode(struct ab_request *req, const struct sockaddr *sa,
		      socklen_t len)
{
	memset(req, 0, sizeof(*req));
	req->magic = AB_PROTO_MAGIC;
	req->version = AB_PROTO_VERSION;
	if (sa == NULL || len < (socklen_t)sizeof(sa_family_t))
		return -1;
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in sin;

		if (len < (socklen_t)sizeof(sin))
			return -1;
		memcpy(&sin, sa, sizeof(sin));
		req->family = AF_INET;
		req->port = ntohs(sin.sin_port);
		memcpy(req->addr, &sin.sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 sin6;

		if (len < (socklen_t)sizeof(sin6))
			return -1;
		memcpy(&sin6, sa, sizeof(sin6));
		req->family = AF_INET6;
		req->port = ntohs(sin6.sin6_port);
		req->flowinfo = sin6.sin6_flowinfo;
		req->scope_id = sin6.sin6_scope_id;
		memcpy(req->addr, &sin6.sin6_addr, 16);
	} else {
		return -1;
	}
	return req->port == 0 ? -1 : 0;
}

static int is_zero(const uint8_t *p, size_t n)
{
	while (n-- > 0)
		if (*p++ != 0)
			return 0;
	return 1;
}

int ab_request_decode(const struct ab_request *req,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (req->magic != AB_PROTO_MAGIC || req->version != AB_PROTO_VERSION ||
	    req->reserved != 0 || req->port == 0)
		return -1;
	if (req->family == AF_INET) {
		struct sockaddr_in sin;

		if (req->flowinfo != 0 || req->scope_id != 0 ||
		    !is_zero(req->addr + 4, sizeof(req->addr) - 4))
			return -1;
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(req->port);
		memcpy(&sin.sin_addr, req->addr, 4);
		memcpy(ss, &sin, sizeof(sin));
		*len = sizeof(sin);
		return 0;
	}
	if (req->family == AF_INET6) {
		struct sockaddr_in6 sin6;

		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(req->port);
		sin6.sin6_flowinfo = req->flowinfo;
		sin6.sin6_scope_id = req->scope_id;
		memcpy(&sin6.sin6_addr, req->addr, 16);
		memcpy(ss, &sin6, sizeof(sin6));
		*len = sizeof(sin6);
		return 0;
	}
	return -1;
}

void ab_reply_init(struct ab_reply *rep, enum ab_outcome outcome,
		   int error, uint32_t detail, const char *text)
{
	static const char cut[] = "...";
	size_t n = text == NULL ? 0 : strnlen(text, sizeof(rep->text));

	memset(rep, 0, sizeof(*rep));
	rep->magic = AB_PROTO_MAGIC;
	rep->version = AB_PROTO_VERSION;
	rep->outcome = (uint16_t)outcome;
	rep->error = error;
	rep->detail = detail;
	if (n == sizeof(rep->text)) {
		/* Too long: cut where the reader can see it was. */
		n = sizeof(rep->text) - sizeof(cut);
		memcpy(rep->text + n, cut, sizeof(cut));
	}
	if (n > 0)
		memcpy(rep->text, text, n);
}

int ab_reply_check(const struct ab_reply *rep)
{
	if (rep->magic != AB_PROTO_MAGIC || rep->version != AB_PROTO_VERSION ||
	    memchr(rep->text, '\0', sizeof(rep->text)) == NULL)
		return -1;
	switch (rep->outcome) {
	case AB_GRANTED:
		return rep->error == 0 ? 0 : -1;
	case AB_BIND_FAILED:
	case AB_DENIED:
	case AB_NOT_PRIVILEGED:
	case AB_BAD_SOCKET:
	case AB_BAD_REQUEST:
	case AB_HALF_IN_USE:
	case AB_FAILED:
		return rep->error > 0 && rep->error < 4096 ? 0 : -1;
	default:
		return -1;
	}
}

int ab_send_with_fd(int channel, const void *buf, size_t len, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov;
	struct msghdr msg;
	struct cmsghdr *cmsg;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	memset(&control, 0, sizeof(control));
	memcpy(&iov.iov_base, &buf, sizeof(buf)); /* sendmsg does not write it */
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	do
		n = sendmsg(channel, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n >= 0 && (size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return n < 0 ? -1 : 0;
}
