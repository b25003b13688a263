// SPDX-License-Identifier: GPL-2.0-only
/*
 * Docs that must not drift from the code:
 *
 *   test_scenario_reference reference [--update]
 *       docs/scenario-reference.md equals `ktstr schema --markdown`
 *       (--update rewrites the file instead of comparing).
 *   test_scenario_reference errors
 *       every diagnostic literal of the scenario loader and of cpuset
 *       resolution appears in docs/troubleshooting/scenario-errors.md: its
 *       text up to the first conversion, and, when that is shorter than 8
 *       characters, its first fixed run of at least 8.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktstr/scenario_load.h"

#define REFERENCE KTSTR_SOURCE_DIR "/docs/scenario-reference.md"
#define ERRORS_DOC KTSTR_SOURCE_DIR "/docs/troubleshooting/scenario-errors.md"

/* Where messages are made, and the call whose first string literal is one. */
static const struct { const char *file; const char *call; } sources[] = {
	{ "framework/src/scenario_yaml.c", "ktstr_diags_add(" },
	{ "framework/src/yaml_values.c", "ktstr_diags_add(" },
	{ "framework/src/scenario_checks.c", "ktstr_diags_add(" },
	{ "framework/src/scenario_matrix.c", "ktstr_diags_add(" },
	{ "framework/src/yaml_compound.c", "ktstr_diags_add(" },
	{ "framework/src/topo.c", "fail(err, errlen," },
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int c;

	if (!f)
		return NULL;
	mem = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, mem);
	fclose(mem);
	fclose(f);
	return buf;
}

static int check_reference(int update)
{
	char *want = NULL, *have;
	size_t len = 0;
	FILE *mem = open_memstream(&want, &len);
	int ret = 0;

	ktstr_schema_print(mem, KTSTR_SCHEMA_MARKDOWN);
	fclose(mem);
	if (update) {
		FILE *f = fopen(REFERENCE, "w");

		if (!f || fputs(want, f) < 0 || fclose(f)) {
			perror(REFERENCE);
			return 1;
		}
		printf("wrote %s\n", REFERENCE);
		free(want);
		return 0;
	}
	have = slurp(REFERENCE);
	if (!have || strcmp(have, want) != 0) {
		fprintf(stderr, "%s is out of date with the schema (framework/src/schema.c).\n"
				"Regenerate it: ktstr schema --markdown > docs/scenario-reference.md\n"
				"  (or: test_scenario_reference reference --update)\n", REFERENCE);
		ret = 1;
	} else {
		printf("ok: %s matches the schema\n", REFERENCE);
	}
	free(have);
	free(want);
	return ret;
}

/* The C string literal(s) starting at p (adjacent ones concatenated). */
static const char *literal(const char *p, char *out, size_t len)
{
	size_t o = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p != '"')
			break;
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1])
				p++;
			if (o + 1 < len)
				out[o++] = *p;
		}
		if (*p)
			p++;
	}
	out[o] = '\0';
	return p;
}

/* Length of the printf conversion at s (s[0] == '%'). */
static size_t conversion_len(const char *s)
{
	size_t i = 1;

	if (s[1] == '%')
		return 2;
	while (s[i] && strchr("-+ #0123456789.*hlzjt", s[i]))
		i++;
	return s[i] ? i + 1 : i;
}

/* 0 when documented; prints what is missing otherwise. */
static int check_literal(const char *doc, const char *file, const char *msg)
{
	char seg[512];
	size_t o = 0;
	int first = 1;

	for (const char *p = msg;; ) {
		if (*p == '%' && p[1] != '%') {
			seg[o] = '\0';
			if (first && !strstr(doc, seg)) {
				fprintf(stderr, "%s: message \"%s\": leading text \"%s\" is not in %s\n",
					file, msg, seg, ERRORS_DOC);
				return 1;
			}
			if (!first && o >= 8) {
				if (!strstr(doc, seg)) {
					fprintf(stderr, "%s: message \"%s\": text \"%s\" is not in %s\n",
						file, msg, seg, ERRORS_DOC);
					return 1;
				}
				return 0;
			}
			if (first && o >= 8)
				return 0;
			first = 0;
			o = 0;
			p += conversion_len(p);
			continue;
		}
		if (!*p) {
			seg[o] = '\0';
			if ((first || o >= 8) && !strstr(doc, seg)) {
				fprintf(stderr, "%s: message \"%s\" is not in %s\n", file, msg, ERRORS_DOC);
				return 1;
			}
			return 0;
		}
		if (*p == '%')
			p++;            /* "%%" is one literal percent sign */
		if (o + 1 < sizeof(seg))
			seg[o++] = *p;
		p++;
	}
}

static int check_errors(void)
{
	char *doc = slurp(ERRORS_DOC);
	int bad = 0, n = 0;

	if (!doc) {
		perror(ERRORS_DOC);
		return 1;
	}
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		char path[512], msg[1024];
		char *src;

		snprintf(path, sizeof(path), "%s/%s", KTSTR_SOURCE_DIR, sources[i].file);
		src = slurp(path);
		if (!src) {
			perror(path);
			return 1;
		}
		for (const char *p = strstr(src, sources[i].call); p; p = strstr(p, sources[i].call)) {
			const char *q = strchr(p, '"'), *end = strchr(p, ';');

			p += strlen(sources[i].call);
			/* declarations and calls with no literal message */
			if (!q || (end && end < q))
				continue;
			literal(q, msg, sizeof(msg));
			bad += check_literal(doc, sources[i].file, msg);
			n++;
		}
		free(src);
	}
	free(doc);
	if (n < 40) {
		fprintf(stderr, "found only %d message literals: has the source layout changed?\n", n);
		return 1;
	}
	if (!bad)
		printf("ok: %d message literals documented in %s\n", n, ERRORS_DOC);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "reference") == 0)
		return check_reference(argc >= 3 && strcmp(argv[2], "--update") == 0);
	if (argc == 2 && strcmp(argv[1], "errors") == 0)
		return check_errors();
	fprintf(stderr, "usage: %s reference [--update] | errors\n", argv[0]);
	return 2;
}
