/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzzes the environment parsing the shim does inside other people's
 * processes: AUTHBIND_DEPTH, and the LD_PRELOAD rewriting.
 *
 * The first input byte picks the output size, the rest is the variable's
 * value.  The output buffer is a heap block of exactly that size, so that
 * a write past it is caught, and the result is compared with a plain
 * re-implementation of the rule in env.h.
 */
#include "config.h"

#include <string.h>

#include "env.h"
#include "fuzz.h"

#define LIB "/usr/lib/x/" AB_LIB_NAME

static int is_separator(char c)
{
	return c == ':' || c == ' ' || c == '\t';
}

/* The value with every token naming the library dropped, the others
 * joined by ':'; lib appended when not NULL. */
static char *expected_preload(const char *old, const char *lib)
{
	size_t name = strlen(AB_LIB_NAME), used = 0;
	char *out = malloc(strlen(old) + (lib != NULL ? strlen(lib) : 0) + 2);
	const char *p = old;

	FUZZ_CHECK(out != NULL);
	out[0] = '\0';
	for (;;) {
		size_t len = 0;
		int library;

		while (*p != '\0' && is_separator(*p))
			p++;
		while (p[len] != '\0' && !is_separator(p[len]))
			len++;
		if (len == 0)
			break;
		library = len >= name && memcmp(p + len - name, AB_LIB_NAME, name) == 0 &&
			  (len == name || p[len - name - 1] == '/');
		if (!library) {
			if (used > 0)
				out[used++] = ':';
			memcpy(out + used, p, len);
			used += len;
			out[used] = '\0';
		}
		p += len;
	}
	if (lib != NULL) {
		if (used > 0)
			out[used++] = ':';
		strcpy(out + used, lib);
	}
	return out;
}

static void check_preload(const char *old, size_t size)
{
	char *out = malloc(size > 0 ? size : 1);
	char *expect;
	int ret;

	FUZZ_CHECK(out != NULL);
	expect = expected_preload(old, LIB);
	ret = ab_preload_add(out, size, old, LIB);
	FUZZ_CHECK((ret == 0) == (strlen(expect) < size));
	if (ret == 0)
		FUZZ_CHECK(strcmp(out, expect) == 0);
	free(expect);

	expect = expected_preload(old, NULL);
	ret = ab_preload_remove(out, size, old);
	FUZZ_CHECK((ret == 0) == (strlen(expect) < size));
	if (ret == 0)
		FUZZ_CHECK(strcmp(out, expect) == 0);
	free(expect);
	free(out);
}

static void check_depth(const char *text)
{
	size_t len = strlen(text), i;
	int depth = -1;

	if (ab_depth_parse(text, &depth) != 0) {
		FUZZ_CHECK(depth == -1);
		return;
	}
	if (strcmp(text, "deep") == 0) {
		FUZZ_CHECK(depth == AB_DEPTH_DEEP);
		return;
	}
	FUZZ_CHECK(len >= 1 && len <= 3 && text[0] != '0');
	for (i = 0; i < len; i++)
		FUZZ_CHECK(text[i] >= '0' && text[i] <= '9');
	FUZZ_CHECK(depth >= 1 && depth <= AB_DEPTH_MAX);
	FUZZ_CHECK(depth == atoi(text));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	size_t out_size;

	if (size == 0)
		return 0;
	out_size = data[0];
	text = malloc(size);
	FUZZ_CHECK(text != NULL);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	check_depth(text);
	check_preload(text, out_size);
	free(text);
	return 0;
}
