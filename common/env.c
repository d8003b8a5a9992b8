/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <string.h>

#include "env.h"

static int is_separator(char c)
{
	return c == ':' || c == ' ' || c == '\t';
}

/* True when the token text[0..len) is a path whose last part is the library. */
static int names_library(const char *text, size_t len)
{
	size_t name = strlen(AB_LIB_NAME);

	return len >= name && memcmp(text + len - name, AB_LIB_NAME, name) == 0 &&
	       (len == name || text[len - name - 1] == '/');
}

static int append(char *out, size_t size, size_t *used, const char *text, size_t len)
{
	size_t sep = *used > 0 ? 1 : 0;

	if (*used + sep + len + 1 > size)
		return -1;
	if (sep)
		out[(*used)++] = ':';
	memcpy(out + *used, text, len);
	*used += len;
	out[*used] = '\0';
	return 0;
}

/* Copies the tokens of old to out, ':'-separated, except those naming the
 * library. */
static int without_library(char *out, size_t size, const char *old)
{
	size_t used = 0;
	const char *p = old == NULL ? "" : old;

	if (size == 0)
		return -1;
	out[0] = '\0';
	while (*p != '\0') {
		size_t len = 0;

		while (is_separator(*p))
			p++;
		while (p[len] != '\0' && !is_separator(p[len]))
			len++;
		if (len == 0)
			break;
		if (!names_library(p, len) && append(out, size, &used, p, len) != 0)
			return -1;
		p += len;
	}
	return 0;
}

int ab_preload_add(char *out, size_t size, const char *old, const char *lib)
{
	size_t used;

	if (without_library(out, size, old) != 0)
		return -1;
	used = strlen(out);
	return append(out, size, &used, lib, strlen(lib));
}

int ab_preload_remove(char *out, size_t size, const char *old)
{
	return without_library(out, size, old);
}

int ab_depth_parse(const char *text, int *depth)
{
	int v = 0;
	size_t i, len;

	if (text == NULL)
		return -1;
	if (strcmp(text, "deep") == 0) {
		*depth = AB_DEPTH_DEEP;
		return 0;
	}
	/* One spelling per value: "010" is 8 to strtol(..., 0) and to the
	 * shell, so a leading zero is refused rather than guessed at. */
	len = strlen(text);
	if (len == 0 || len > 3 || text[0] == '0')
		return -1;
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		v = v * 10 + (text[i] - '0');
	}
	if (v < 1 || v > AB_DEPTH_MAX)
		return -1;
	*depth = v;
	return 0;
}
