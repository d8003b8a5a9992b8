/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the message format between shim and helper.
 *
 * The same input is read three ways, each from a heap buffer of exactly
 * the size the receiver has, so that AddressSanitizer sees any read past
 * it: as a request for ab_request_decode (the helper's side), as a
 * sockaddr of the input's length for ab_request_encode (the shim's side,
 * where bind(2)'s caller chose the bytes and the length), and as a reply
 * for ab_reply_check (the shim's side again).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "proto.h"

/* A heap copy of the input in exactly size bytes, zero-padded. */
static void *copy_exact(const uint8_t *data, size_t n, size_t size)
{
	uint8_t *p = malloc(size > 0 ? size : 1);

	FUZZ_CHECK(p != NULL);
	memset(p, 0, size);
	if (size > 0)
		memcpy(p, data, n < size ? n : size);
	return p;
}

static int is_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n-- > 0)
		if (*b++ != 0)
			return 0;
	return 1;
}

/* The helper's side: whatever decodes is a complete address of the
 * request's family and port, and encodes back to the very same request. */
static void check_decode(const uint8_t *data, size_t n)
{
	struct ab_request *req = copy_exact(data, n, sizeof(*req));
	struct ab_request again;
	struct sockaddr_storage ss;
	socklen_t len = 0;

	if (ab_request_decode(req, &ss, &len) != 0) {
		free(req);
		return;
	}
	FUZZ_CHECK(req->magic == AB_PROTO_MAGIC);
	FUZZ_CHECK(req->version == AB_PROTO_VERSION);
	FUZZ_CHECK(req->reserved == 0);
	FUZZ_CHECK(req->port != 0);
	FUZZ_CHECK(ss.ss_family == req->family);
	if (req->family == AF_INET) {
		struct sockaddr_in sin;

		FUZZ_CHECK(len == sizeof(sin));
		memcpy(&sin, &ss, sizeof(sin));
		FUZZ_CHECK(ntohs(sin.sin_port) == req->port);
		FUZZ_CHECK(memcmp(&sin.sin_addr, req->addr, 4) == 0);
		FUZZ_CHECK(is_zero(sin.sin_zero, sizeof(sin.sin_zero)));
		FUZZ_CHECK(is_zero(req->addr + 4, sizeof(req->addr) - 4));
		FUZZ_CHECK(req->flowinfo == 0 && req->scope_id == 0);
	} else {
		struct sockaddr_in6 sin6;

		FUZZ_CHECK(req->family == AF_INET6);
		FUZZ_CHECK(len == sizeof(sin6));
		memcpy(&sin6, &ss, sizeof(sin6));
		FUZZ_CHECK(ntohs(sin6.sin6_port) == req->port);
		FUZZ_CHECK(sin6.sin6_flowinfo == req->flowinfo);
		FUZZ_CHECK(sin6.sin6_scope_id == req->scope_id);
		FUZZ_CHECK(memcmp(&sin6.sin6_addr, req->addr, 16) == 0);
	}
	/* Nothing of the request leaks into the rest of the storage. */
	FUZZ_CHECK(is_zero((const uint8_t *)&ss + len, sizeof(ss) - len));

	FUZZ_CHECK(ab_request_encode(&again, (const struct sockaddr *)&ss, len) == 0);
	FUZZ_CHECK(memcmp(&again, req, sizeof(again)) == 0);
	FUZZ_CHECK(ab_request_encode(&again, (const struct sockaddr *)&ss, len - 1) != 0);
	free(req);
}

/* The shim's side: a sockaddr of n bytes as bind(2)'s caller passed it.
 * What encodes was long enough, and decodes to the same address. */
static void check_encode(const uint8_t *data, size_t n)
{
	struct sockaddr *sa = copy_exact(data, n, n);
	struct ab_request req;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	sa_family_t family;

	if (ab_request_encode(&req, sa, (socklen_t)n) != 0) {
		free(sa);
		return;
	}
	FUZZ_CHECK(n >= sizeof(family));
	memcpy(&family, sa, sizeof(family));
	FUZZ_CHECK(req.family == family);
	FUZZ_CHECK(req.port != 0);
	FUZZ_CHECK(ab_request_decode(&req, &ss, &len) == 0);
	FUZZ_CHECK(ss.ss_family == family);
	if (family == AF_INET) {
		struct sockaddr_in in, out;

		FUZZ_CHECK(n >= sizeof(in) && len == sizeof(out));
		memcpy(&in, sa, sizeof(in));
		memcpy(&out, &ss, sizeof(out));
		FUZZ_CHECK(in.sin_port == out.sin_port);
		FUZZ_CHECK(in.sin_addr.s_addr == out.sin_addr.s_addr);
	} else {
		struct sockaddr_in6 in6, out6;

		FUZZ_CHECK(family == AF_INET6);
		FUZZ_CHECK(n >= sizeof(in6) && len == sizeof(out6));
		memcpy(&in6, sa, sizeof(in6));
		memcpy(&out6, &ss, sizeof(out6));
		FUZZ_CHECK(in6.sin6_port == out6.sin6_port);
		FUZZ_CHECK(in6.sin6_flowinfo == out6.sin6_flowinfo);
		FUZZ_CHECK(in6.sin6_scope_id == out6.sin6_scope_id);
		FUZZ_CHECK(memcmp(&in6.sin6_addr, &out6.sin6_addr, 16) == 0);
	}
	free(sa);
}

/* The shim reading a reply: a reply that passes is one it may print. */
static void check_reply(const uint8_t *data, size_t n)
{
	struct ab_reply *rep = copy_exact(data, n, sizeof(*rep));
	struct ab_reply made;
	char text[AB_REPLY_TEXT_MAX + 16];
	size_t text_len = n < sizeof(text) - 1 ? n : sizeof(text) - 1;

	if (ab_reply_check(rep) == 0) {
		FUZZ_CHECK(rep->magic == AB_PROTO_MAGIC);
		FUZZ_CHECK(rep->version == AB_PROTO_VERSION);
		FUZZ_CHECK(memchr(rep->text, '\0', sizeof(rep->text)) != NULL);
		FUZZ_CHECK(rep->outcome >= AB_GRANTED && rep->outcome <= AB_OUTCOME_LAST);
		if (rep->outcome == AB_GRANTED)
			FUZZ_CHECK(rep->error == 0);
		else
			FUZZ_CHECK(rep->error > 0 && rep->error < 4096);
	}
	free(rep);

	/* A reply the helper builds from any text passes, the text whole or
	 * cut visibly (ending in "...") and terminated. */
	memcpy(text, data, text_len);
	text[text_len] = '\0';
	ab_reply_init(&made, AB_DENIED, EACCES, 0, text);
	FUZZ_CHECK(ab_reply_check(&made) == 0);
	FUZZ_CHECK(strlen(made.text) < sizeof(made.text));
	if (strlen(text) < sizeof(made.text)) {
		FUZZ_CHECK(strcmp(made.text, text) == 0);
	} else {
		FUZZ_CHECK(strlen(made.text) == sizeof(made.text) - 1);
		FUZZ_CHECK(strncmp(made.text, text, sizeof(made.text) - 4) == 0);
		FUZZ_CHECK(strcmp(made.text + sizeof(made.text) - 4, "...") == 0);
	}
	ab_reply_init(&made, AB_GRANTED, 0, 0, NULL);
	FUZZ_CHECK(ab_reply_check(&made) == 0 && made.text[0] == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_decode(data, size);
	check_encode(data, size);
	check_reply(data, size);
	return 0;
}
