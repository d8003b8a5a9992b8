/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The environment the wrapper hands to COMMAND and the shim hands on:
 * LD_PRELOAD with the library in it, and AUTHBIND_DEPTH saying how many
 * more program levels keep it.
 */
#ifndef AUTHBIND_ENV_H
#define AUTHBIND_ENV_H

#include <stddef.h>

#define AB_DEPTH_VAR "AUTHBIND_DEPTH"
#define AB_QUIET_VAR "AUTHBIND_QUIET"
#define AB_LIB_NAME "libauthbind.so"
#define AB_DEPTH_DEEP 0 /* every descendant */
#define AB_DEPTH_MAX 100

/*
 * Writes into out (of size) the LD_PRELOAD value old, less any token
 * naming a file called AB_LIB_NAME, with lib appended: the library is
 * there once, after the user's own.  old may be NULL.  Returns 0, or -1
 * if out is too small.
 */
int ab_preload_add(char *out, size_t size, const char *old, const char *lib);

/*
 * Writes into out the LD_PRELOAD value old without any token naming a
 * file called AB_LIB_NAME, tokens separated by ':' as glibc reads spaces
 * and colons alike.  Returns 0, or -1 if out is too small.
 */
int ab_preload_remove(char *out, size_t size, const char *old);

/* Parses a depth: "deep" is AB_DEPTH_DEEP, else strict decimal 1-100.
 * Returns 0, or -1 for anything else. */
int ab_depth_parse(const char *text, int *depth);

#endif
