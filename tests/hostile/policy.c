/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Controls and identity: a granted request binds and a refused one does
 * not (so the checks of every other case can see both), and only the
 * caller's own real uid counts.  The attacks on the policy files
 * themselves are set up by hostile.sh and run as "denied".
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attack.h"

/* The channel and the socket were made by a user the policy grants; the
 * helper is run by the test user, whose identity alone counts. */
static void run_foreign_peer(struct ctx *c)
{
	c->chan[0] = c->root_fd[1];
	c->chan[1] = c->root_fd[2];
	c->fd0 = c->chan[0];
	c->peer = c->chan[1];
	c->sock = c->root_fd[0];
	attack(c);
}

/* A socket and a channel made by the other user (the one the policy
 * grants), as if it had handed them to the test user. */
static void root_foreign(struct ctx *c)
{
	if (setresgid((gid_t)-1, opt_other, (gid_t)-1) != 0 ||
	    setresuid((uid_t)-1, opt_other, (uid_t)-1) != 0)
		fatal("becoming the other user");
	c->root_fd[0] = make_socket(family_of(c->addr), opt_udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, c->root_fd + 1) != 0)
		fatal("socketpair");
	if (setresuid((uid_t)-1, 0, (uid_t)-1) != 0 || setresgid((gid_t)-1, 0, (gid_t)-1) != 0)
		fatal("back to root");
}

/*
 * The channel made by a process that is neither the helper's parent nor
 * its grandparent (a child of the caller's, gone by the time the helper
 * runs): the pid the helper logs is then only the caller's claim
 * (audit.sh reads the line: "pid=N(claimed) ppid=M").
 */
static void run_claimed_pid(struct ctx *c)
{
	int sp[2], st;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) != 0)
		fatal("socketpair");
	pid = fork();
	if (pid < 0)
		fatal("fork");
	if (pid == 0) {
		int chan[2];

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, chan) != 0 ||
		    send_with_fds(sp[1], "c", 1, chan, 2) != 1)
			_exit(1);
		_exit(0);
	}
	close(sp[1]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fatal("the channel's maker");
	{
		union {
			char buf[CMSG_SPACE(2 * sizeof(int))];
			struct cmsghdr align;
		} control;
		char byte;
		struct iovec iov = { &byte, 1 };
		struct msghdr msg;
		struct cmsghdr *cmsg;
		int fds[2];

		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		if (recvmsg(sp[0], &msg, MSG_CMSG_CLOEXEC) != 1 ||
		    (cmsg = CMSG_FIRSTHDR(&msg)) == NULL ||
		    cmsg->cmsg_len != CMSG_LEN(2 * sizeof(int)))
			fatal("receiving the channel");
		memcpy(fds, CMSG_DATA(cmsg), sizeof(fds));
		c->chan[0] = c->fd0 = fds[0];
		c->chan[1] = c->peer = fds[1];
	}
	close(sp[0]);
	attack(c);
}

const struct hcase cases_policy[] = {
	{ "granted", NULL, run_plain, AB_GRANTED, 0, 0, F_BOUND, 0 },
	{ "denied", NULL, run_plain, AB_DENIED, EACCES, 0, 0, 0 },
	{ "foreign-peer", root_foreign, run_foreign_peer, AB_DENIED, EACCES, 0, 0, 0 },
	{ "claimed-pid", NULL, run_claimed_pid, AB_DENIED, EACCES, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0, 0, 0 },
};
