/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the fuzz targets share: the libFuzzer entry point and a check that
 * stays on whatever NDEBUG says and names the invariant that broke.
 */
#ifndef AUTHBIND_FUZZ_H
#define AUTHBIND_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                     \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",     \
				__FILE__, __LINE__, #cond);                  \
			abort();                                             \
		}                                                            \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
