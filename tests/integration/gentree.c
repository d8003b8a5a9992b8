/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gentree: a random policy tree and binds to ask about it, for the
 * differential tests (tests/gen/gentree.c makes both).
 *
 *   gentree SEED DIR BINDS
 *
 * Fills the empty directory DIR with a tree and prints BINDS lines
 * "PROTO ADDRESS PORT", addresses as inet_ntop writes them (with %SCOPE
 * for some link-local ones).
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "gentree.h"

int main(int argc, char **argv)
{
	int treefd, n, i;

	if (argc != 4) {
		fprintf(stderr, "usage: gentree SEED DIR BINDS\n");
		return 2;
	}
	gen_seed(strtoull(argv[1], NULL, 10));
	treefd = open(argv[2], O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (treefd < 0) {
		perror(argv[2]);
		return 2;
	}
	if (gen_tree(treefd) != 0)
		return 2;
	n = atoi(argv[3]);
	for (i = 0; i < n; i++) {
		struct ab_target t;
		char host[AB_ADDR_TEXT_MAX];

		gen_target(&t);
		ab_addr_format(&t.addr, host);
		printf("%s %s %u\n", ab_proto_name(t.proto), host, (unsigned)t.port);
	}
	close(treefd);
	return 0;
}
