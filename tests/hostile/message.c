/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Attacks on the message and the channel: exactly one message of exactly
 * the request's size with exactly one fd, on a SOCK_SEQPACKET socketpair
 * at fd 0, within the helper's wait.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "attack.h"

static void run_two_fds(struct ctx *c)
{
	struct ab_request req;
	int fds[2];

	prepare(c);
	fds[0] = c->sock;
	fds[1] = default_socket(c);
	watch(c, fds[1]);
	build_request(c, &req);
	if (send_with_fds(c->peer, &req, sizeof(req), fds, 2) != (ssize_t)sizeof(req))
		note(c, "send: %s", strerror(errno));
	collect(c);
}

/* Two SCM_RIGHTS control messages of one fd each.  Linux hands the
 * receiver one message with both fds, but another kernel need not. */
static void run_two_cmsgs(struct ctx *c)
{
	union {
		char buf[2 * CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct ab_request req;
	struct iovec iov = { &req, sizeof(req) };
	struct msghdr msg;
	struct cmsghdr *cmsg;
	int second;

	prepare(c);
	second = default_socket(c);
	watch(c, second);
	build_request(c, &req);
	memset(&control, 0, sizeof(control));
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &c->sock, sizeof(int));
	cmsg = CMSG_NXTHDR(&msg, cmsg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &second, sizeof(int));
	if (sendmsg(c->peer, &msg, MSG_NOSIGNAL) != (ssize_t)sizeof(req))
		note(c, "sendmsg: %s", strerror(errno));
	collect(c);
}

static void run_no_fd(struct ctx *c)
{
	struct ab_request req;

	prepare(c);
	build_request(c, &req);
	if (send_with_fds(c->peer, &req, sizeof(req), NULL, 0) != (ssize_t)sizeof(req))
		note(c, "send: %s", strerror(errno));
	collect(c);
}

/* SO_PASSCRED on the helper's end makes the kernel add SCM_CREDENTIALS
 * to the message; we send our own as well. */
static void run_passcred(struct ctx *c)
{
	union {
		char buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} control;
	struct ab_request req;
	struct iovec iov = { &req, sizeof(req) };
	struct ucred cred = { getpid(), getuid(), getgid() };
	struct msghdr msg;
	struct cmsghdr *cmsg;
	int on = 1;

	c->sock = default_socket(c);
	watch(c, c->sock);
	open_channel(c);
	if (setsockopt(c->chan[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) != 0)
		fatal("SO_PASSCRED");
	spawn_helper(c);
	build_request(c, &req);
	memset(&control, 0, sizeof(control));
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_CREDENTIALS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(cred));
	memcpy(CMSG_DATA(cmsg), &cred, sizeof(cred));
	cmsg = CMSG_NXTHDR(&msg, cmsg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &c->sock, sizeof(int));
	if (sendmsg(c->peer, &msg, MSG_NOSIGNAL) != (ssize_t)sizeof(req))
		note(c, "sendmsg: %s", strerror(errno));
	collect(c);
}

/* More fds than the helper's control buffer holds: MSG_CTRUNC. */
static void run_many_fds(struct ctx *c)
{
	struct ab_request req;
	int fds[24], i;

	prepare(c);
	for (i = 0; i < 24; i++) {
		fds[i] = default_socket(c);
		watch(c, fds[i]);
	}
	build_request(c, &req);
	if (send_with_fds(c->peer, &req, sizeof(req), fds, 24) != (ssize_t)sizeof(req))
		note(c, "send: %s", strerror(errno));
	collect(c);
}

/* A request of the wrong length: param bytes more (or fewer) than one. */
static void run_length(struct ctx *c)
{
	char buf[sizeof(struct ab_request) + 8192];
	struct ab_request req;
	size_t len = (size_t)((long)sizeof(req) + c->hc->param);

	prepare(c);
	build_request(c, &req);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &req, sizeof(req));
	if (send_with_fds(c->peer, buf, len, &c->sock, 1) != (ssize_t)len)
		note(c, "send: %s", strerror(errno));
	collect(c);
}

/* A malformed request with one socket, then a good one with another:
 * the helper answers the first and never looks at the second. */
static void run_two_messages(struct ctx *c)
{
	struct ab_request req;
	int second;

	prepare(c);
	second = default_socket(c);
	watch(c, second);
	build_request(c, &req);
	req.magic ^= 1;
	send_request(c, &req, sizeof(req));
	req.magic ^= 1;
	if (send_with_fds(c->peer, &req, sizeof(req), &second, 1) != (ssize_t)sizeof(req))
		note(c, "send: %s", strerror(errno));
	collect(c);
}

/* One field of an otherwise good request set wrong. */
static void run_field(struct ctx *c)
{
	struct ab_request req;

	prepare(c);
	build_request(c, &req);
	switch (c->hc->param) {
	case 0: req.magic = 0x444e4241u; break; /* byte-swapped */
	case 1: req.version = AB_PROTO_VERSION + 1; break;
	case 2: req.reserved = 1; break;
	case 3: req.port = 0; break;
	case 4: req.addr[15] = 1; break;
	case 5: req.scope_id = 1; break;
	case 6: req.flowinfo = 1; break;
	case 7: req.family = AF_UNIX; break;
	case 8: req.family = AF_INET | 0x100; break;
	default: fatal("no such field");
	}
	send_request(c, &req, sizeof(req));
	collect(c);
}

static void run_hangup(struct ctx *c)
{
	prepare(c);
	close(c->peer);
	c->peer = -1;
	collect(c);
	expect_exit(c, -1);
	if (c->r.elapsed_ms > 3000)
		note(c, "the helper took %ld ms to notice the hangup", c->r.elapsed_ms);
}

static void run_silent(struct ctx *c)
{
	prepare(c);
	collect(c);
	snprintf(c->r.info, sizeof(c->r.info), "the helper gave up after %ld ms",
		 c->r.elapsed_ms);
	if (c->r.elapsed_ms < 4000 || c->r.elapsed_ms > 11000)
		note(c, "the helper gave up after %ld ms, not within 4-11 s",
		     c->r.elapsed_ms);
}

/* fd 0 is no SOCK_SEQPACKET socketpair: the helper must not read from it,
 * bind, or answer; it exits 1 with a word on stderr. */
static void run_fd0(struct ctx *c)
{
	struct ab_request req;
	int sp[2];

	c->sock = default_socket(c);
	watch(c, c->sock);
	switch (c->hc->param) {
	case 0: /* a file */
		c->fd0 = open("a-file", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (c->fd0 < 0)
			fatal("open");
		break;
	case 1: /* a stream socketpair carrying a good request */
	case 2: /* a datagram socketpair carrying a good request */
		if (socketpair(AF_UNIX, (c->hc->param == 1 ? SOCK_STREAM : SOCK_DGRAM) |
					    SOCK_CLOEXEC, 0, sp) != 0)
			fatal("socketpair");
		c->chan[0] = sp[0];
		c->chan[1] = c->peer = sp[1];
		c->fd0 = sp[0];
		break;
	case 3: { /* a listening SEQPACKET socket, with a connection pending */
		struct sockaddr_un sun;
		int l = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof(sun.sun_path), "listener");
		unlink("listener");
		if (l < 0 || bind(l, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
		    listen(l, 4) != 0)
			fatal("listener");
		c->peer = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (c->peer < 0 || connect(c->peer, (struct sockaddr *)&sun, sizeof(sun)) != 0)
			fatal("connect listener");
		c->fd0 = l;
		break;
	}
	default: /* closed, and 1 and 2 with it */
		c->fd0 = -1;
		c->child_prep = prep_close_std;
		break;
	}
	/* Queued before the helper starts: it cannot be gone before we send. */
	if (c->peer >= 0) {
		build_request(c, &req);
		if (send_with_fds(c->peer, &req, sizeof(req), &c->sock, 1) != (ssize_t)sizeof(req))
			note(c, "send: %s", strerror(errno));
	}
	spawn_helper(c);
	if (c->hc->param == 3)
		close(c->fd0);
	collect(c);
	expect_exit(c, 1);
	/* A listening SEQPACKET socket passes for the channel until the
	 * helper reads from it. */
	if (c->hc->param <= 2)
		expect_output(c, "not the socketpair");
	else if (c->hc->param == 3)
		expect_output(c, "recvmsg");
}

const struct hcase cases_message[] = {
	{ "two-fds", NULL, run_two_fds, AB_BAD_REQUEST, EPROTO, 0, 0, 0 },
	{ "two-cmsgs", NULL, run_two_cmsgs, AB_BAD_REQUEST, EPROTO, 0, 0, 0 },
	{ "no-fd", NULL, run_no_fd, AB_BAD_REQUEST, EPROTO, 0, 0, 0 },
	{ "passcred", NULL, run_passcred, AB_BAD_REQUEST, EPROTO, 0, 0, 0 },
	{ "many-fds", NULL, run_many_fds, AB_BAD_REQUEST, EPROTO, 0, 0, 0 },
	{ "empty", NULL, run_length, AB_BAD_REQUEST, EPROTO, 0, 0,
	  -(long)sizeof(struct ab_request) },
	{ "short", NULL, run_length, AB_BAD_REQUEST, EPROTO, 0, 0, -1 },
	{ "long", NULL, run_length, AB_BAD_REQUEST, EPROTO, 0, 0, 1 },
	{ "very-long", NULL, run_length, AB_BAD_REQUEST, EPROTO, 0, 0, 8192 },
	{ "two-messages", NULL, run_two_messages, AB_BAD_REQUEST, EINVAL, 0, 0, 0 },
	{ "magic", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 0 },
	{ "version", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 1 },
	{ "reserved", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 2 },
	{ "port0", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 3 },
	{ "v4-tail", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 4 },
	{ "v4-scope", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 5 },
	{ "v4-flowinfo", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 6 },
	{ "family-unix", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 7 },
	{ "family-high", NULL, run_field, AB_BAD_REQUEST, EINVAL, 0, 0, 8 },
	{ "hangup", NULL, run_hangup, W_NONE, 0, 0, 0, 0 },
	{ "silent", NULL, run_silent, AB_BAD_REQUEST, ETIMEDOUT, 0, 0, 0 },
	{ "fd0-file", NULL, run_fd0, W_NONE, 0, 0, 0, 0 },
	{ "fd0-stream", NULL, run_fd0, W_NONE, 0, 0, 0, 1 },
	{ "fd0-dgram", NULL, run_fd0, W_NONE, 0, 0, 0, 2 },
	{ "fd0-listener", NULL, run_fd0, W_NONE, 0, 0, 0, 3 },
	{ "fd0-closed", NULL, run_fd0, W_NONE, 0, 0, 0, 4 },
	{ NULL, NULL, NULL, 0, 0, 0, 0, 0 },
};
