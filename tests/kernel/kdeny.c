/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kdeny: another program on the same hooks, as systemd's SocketBindDeny=
 * puts there: cgroup/bind4 and cgroup/bind6 programs that refuse (return
 * 0, EPERM) every bind to PORT and allow the rest (return 1), attached to
 * CGROUP with BPF_F_ALLOW_MULTI beside whatever else is there.  Prints
 * "ready" and holds them until killed.
 *
 *   kdeny CGROUP PORT
 */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

static int load(enum bpf_attach_type type, unsigned port)
{
	struct bpf_insn prog[] = {
		/* r2 = ctx->user_port (network order, in the low 16 bits) */
		{ BPF_LDX | BPF_MEM | BPF_W, 2, 1, offsetof(struct bpf_sock_addr, user_port), 0 },
		{ BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1 },
		{ BPF_JMP | BPF_JNE | BPF_K, 2, 0, 1, (int)htons((uint16_t)port) },
		{ BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0 },
		{ BPF_JMP | BPF_EXIT, 0, 0, 0, 0 },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = type);

	return bpf_prog_load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, "kdeny", "GPL", prog,
			     sizeof(prog) / sizeof(prog[0]), &opts);
}

int main(int argc, char **argv)
{
	static const enum bpf_attach_type types[] = { BPF_CGROUP_INET4_BIND,
						      BPF_CGROUP_INET6_BIND };
	int cg, i;

	if (argc != 3)
		return 2;
	cg = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0) {
		perror(argv[1]);
		return 1;
	}
	for (i = 0; i < 2; i++) {
		int fd = load(types[i], (unsigned)atoi(argv[2]));

		/* a link, not a legacy attachment: it goes when we exit */
		if (fd < 0 || bpf_link_create(fd, cg, types[i], NULL) < 0) {
			perror("kdeny: load or attach");
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
