/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one request the shim sends to the helper, and the one reply.
 *
 * The request travels over a SOCK_SEQPACKET socketpair together with
 * exactly one file descriptor (SCM_RIGHTS): the socket to bind.  Both
 * sides check the exact size, the magic and the version, so a shim and a
 * helper from different builds refuse each other instead of guessing.
 *
 * One voice: the reply carries the whole line the user reads on stderr
 * (the helper knows the decision, the protocol and the rule that would
 * grant), and the shim only decides whether to write it.
 */
#ifndef AUTHBIND_PROTO_H
#define AUTHBIND_PROTO_H

#include <stdint.h>
#include <sys/socket.h>

#define AB_PROTO_MAGIC   0x41424e44u /* "ABND" */
#define AB_PROTO_VERSION 2u

struct ab_request {
	uint32_t magic;
	uint16_t version;
	uint16_t family;   /* AF_INET or AF_INET6 */
	uint16_t port;     /* host byte order, 1-65535 */
	uint16_t reserved; /* zero */
	uint32_t flowinfo; /* AF_INET6: sin6_flowinfo as the caller gave it */
	uint32_t scope_id; /* AF_INET6: sin6_scope_id */
	uint8_t addr[16];  /* AF_INET uses the first 4 bytes, the rest are zero */
};

/* What the helper did; the shim turns each into the errno of bind(2). */
enum ab_outcome {
	AB_GRANTED = 1,     /* bound; error is 0 */
	AB_BIND_FAILED,     /* granted, but bind(2) failed with error */
	AB_DENIED,          /* the policy does not grant it; error is EACCES */
	AB_NOT_PRIVILEGED,  /* the helper is not root; detail says why */
	AB_BAD_SOCKET,      /* the fd is not a socket the helper will bind */
	AB_BAD_REQUEST,     /* the message itself was malformed */
	AB_HALF_IN_USE,     /* a v6-only bind of ::, whose IPv4 half the helper
			     * must hold across the bind, is in use; EADDRINUSE */
	AB_FAILED,          /* a system call of the helper's own failed; EACCES */
};
#define AB_OUTCOME_LAST AB_FAILED

/* Why the helper runs without privilege (detail of AB_NOT_PRIVILEGED). */
enum ab_unprivileged {
	AB_UNPRIV_UNKNOWN = 0,
	AB_UNPRIV_NO_NEW_PRIVS, /* NoNewPrivileges is set */
	AB_UNPRIV_NOSUID,       /* the helper lies on a nosuid mount */
	AB_UNPRIV_NOT_SETUID,   /* the helper is not setuid root */
	AB_UNPRIV_TRACED,       /* the caller is being traced */
	AB_UNPRIV_USERNS,       /* it runs in a user namespace other than the
				 * initial one (root there is no root) */
	AB_UNPRIV_NO_USERNS,    /* it cannot tell which user namespace it runs in */
};

/*
 * The line for the user, without its newline: "authbind: uid 41000: may
 * not bind tcp 0.0.0.0:81: refused by /etc/authbind: ...; to allow it,
 * add the line ... (authbind --explain tells more)".  The longest the
 * helper composes is about 600 bytes plus twice the policy directory's
 * name (helper.c checks this at compile time); a longer text is cut and
 * ends in "...".  Empty when there is nothing to say (a grant, or a
 * failed bind(2), which says no more than a native one).
 */
#define AB_REPLY_TEXT_MAX 1024

struct ab_reply {
	uint32_t magic;
	uint16_t version;
	uint16_t outcome; /* enum ab_outcome */
	int32_t error;    /* the errno bind(2) returns to the application */
	uint32_t detail;  /* AB_NOT_PRIVILEGED: enum ab_unprivileged; else 0 */
	char text[AB_REPLY_TEXT_MAX]; /* NUL-terminated */
};

/*
 * Fills req from a sockaddr as passed to bind(2).  Returns 0, or -1 when
 * the address is not a complete AF_INET/AF_INET6 address with a port.
 */
int ab_request_encode(struct ab_request *req, const struct sockaddr *sa,
		      socklen_t len);

/*
 * Checks every field of req and builds the sockaddr to bind from the
 * validated fields only.  Returns 0, or -1 when any field is out of range.
 */
int ab_request_decode(const struct ab_request *req,
		      struct sockaddr_storage *ss, socklen_t *len);

/* Fills rep; a text longer than the field is cut and ends in "...". */
void ab_reply_init(struct ab_reply *rep, enum ab_outcome outcome,
		   int error, uint32_t detail, const char *text);

/*
 * Sends len bytes of buf and the file descriptor fd (SCM_RIGHTS) as one
 * message on channel, retrying on EINTR, with no SIGPIPE.  Returns 0, or
 * -1 with errno set.
 */
int ab_send_with_fd(int channel, const void *buf, size_t len, int fd);

/* Returns 0 when rep is a reply of this version with a known outcome, an
 * errno in range and a NUL-terminated text. */
int ab_reply_check(const struct ab_reply *rep);

#endif
