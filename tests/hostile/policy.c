/*
 * Controls and identity: a granted request binds and a refused one does
 * not (so the checks of every other case can see both), and only the
 * caller's own real uid counts.  The attacks on the policy files
 * themselves are set up by hostile.sh and run as "denied".
 */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>
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

const struct hcase cases_policy[] = {
	{ "granted", NULL, run_plain, AB_GRANTED, 0, 0, F_BOUND, 0 },
	{ "denied", NULL, run_plain, AB_DENIED, EACCES, 0, 0, 0 },
	{ "foreign-peer", root_foreign, run_foreign_peer, AB_DENIED, EACCES, 0, 0, 0 },
	{ NULL, NULL, NULL, 0, 0, 0, 0, 0 },
};
