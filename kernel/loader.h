/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BPF side of authbindd: load the embedded object, attach its four
 * programs to one cgroup, swap generations of the policy in, read the
 * event ring and the count of lost events.  The links are held, never
 * pinned: when authbindd exits, for whatever reason, the kernel detaches
 * the programs and no grant survives it.
 */
#ifndef AUTHBIND_LOADER_H
#define AUTHBIND_LOADER_H

#include <stddef.h>
#include <stdint.h>

#define AB_LOADER_PROGS 4

struct bpf_object;
struct bpf_link;

struct ab_loader {
	struct bpf_object *obj;
	struct bpf_link *links[AB_LOADER_PROGS];
	int policy_fd;  /* the array of maps whose slot 0 is the generation */
	int events_fd;  /* the ring buffer */
	int lost_fd;    /* per-CPU count of events the ring had no room for */
};

/* The embedded object (bind_bpf_obj.c, made by make from bind.bpf.o). */
extern const unsigned char ab_bpf_object[];
extern const size_t ab_bpf_object_size;

/* Opens and loads the programs for the namespaces given (see struct
 * ab_kconfig); nothing is attached yet.  Returns 0, or -1 with a
 * one-line reason in err. */
int ab_loader_load(struct ab_loader *l, uint64_t netns_cookie, uint64_t pidns_dev,
		   uint64_t pidns_ino, int verbose, char *err, size_t errsize);

/* Attaches every program to the cgroup directory fd (multi-attach: other
 * programs on the same hooks keep working).  Returns 0 or -1 with err. */
int ab_loader_attach(struct ab_loader *l, int cgroup_fd, char *err, size_t errsize);

/* Makes the trie inner_fd the policy every later bind sees, in one step.
 * Returns 0 or -1 with errno. */
int ab_loader_swap(struct ab_loader *l, int inner_fd);

/* Removes the policy: every bind is left to the kernel's own check. */
int ab_loader_clear(struct ab_loader *l);

/* Events lost so far, over every CPU. */
uint64_t ab_loader_lost(const struct ab_loader *l);

/* Detaches and unloads. */
void ab_loader_close(struct ab_loader *l);

#endif
