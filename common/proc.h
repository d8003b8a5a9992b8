/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small files of /proc (and the like), read whole: for the helper (its
 * tracer, its parent), authbindd's state files and the wrapper's check
 * that authbindd is alive.
 */
#ifndef AUTHBIND_PROC_H
#define AUTHBIND_PROC_H

#include <stddef.h>
#include <sys/types.h>

/* Reads the file at path (relative to dirfd, or AT_FDCWD) into buf,
 * NUL-terminated, opened with O_RDONLY | O_CLOEXEC | flags.  Returns its
 * length, or -1 (also when it is empty or too large for buf). */
ssize_t ab_read_text(int dirfd, const char *path, int flags, char *buf, size_t size);

/* Field number field (as proc(5) counts them, 3 and on: the state, the
 * parent, ... the start time is 22) of /proc/PID/stat, as a number.
 * Returns 0, or -1.  The command name before them may hold anything,
 * ')' too, so fields are counted from its last ')'. */
int ab_proc_stat_field(pid_t pid, int field, unsigned long long *value);

#endif
