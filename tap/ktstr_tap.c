// SPDX-License-Identifier: GPL-2.0-only
/*
 * TAP 13 producer; see ktstr_tap.h for the subset we emit and why.
 *
 * Every line is flushed as soon as it is complete: a scenario executable can
 * be killed by ctest's timeout at any moment, and whatever TAP was already
 * printed should reach the harness.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktstr_tap.h"

void ktstr_tap_init(struct ktstr_tap *t, FILE *out)
{
	memset(t, 0, sizeof(*t));
	t->out = out ? out : stdout;
	t->next = 1;
}

void ktstr_tap_header(struct ktstr_tap *t)
{
	if (t->header_done)
		return;
	/* 13, not 14: TAP::Harness 3.44 (Debian 12) rejects "version 14". */
	fputs("TAP version 13\n", t->out);
	fflush(t->out);
	t->header_done = true;
}

void ktstr_tap_plan(struct ktstr_tap *t, unsigned n)
{
	ktstr_tap_header(t);
	if (t->plan_done)
		return;                 /* TAP 14: exactly one plan */
	fprintf(t->out, "1..%u\n", n);
	fflush(t->out);
	t->planned = n;
	t->plan_done = true;
}

/*
 * Write s on one line: newlines and other control characters become spaces
 * (a raw newline would end the test line and turn the rest into non-TAP),
 * and, when `escape` is set, '#' and '\' are backslash-escaped so the text
 * can never be read as a directive.
 */
static void put_line_text(FILE *out, const char *s, bool escape)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			fputc(' ', out);
		else if (escape && (c == '#' || c == '\\'))
			fprintf(out, "\\%c", c);
		else
			fputc(c, out);
	}
}

unsigned ktstr_tap_result(struct ktstr_tap *t, bool ok, const char *desc,
			  const char *directive, const char *reason)
{
	unsigned n = t->next++;
	bool todo = directive && strcmp(directive, "TODO") == 0;
	bool skip = directive && strcmp(directive, "SKIP") == 0;
	/*
	 * KTAP's TIMEOUT, on failures only.  TAP 13/14 parsers read it as part
	 * of the description (prove 3.44 parses it without complaint), so the
	 * line stays valid while telling a human why the test ended.
	 */
	bool timeout = !ok && directive && strcmp(directive, "TIMEOUT") == 0;

	ktstr_tap_header(t);
	fprintf(t->out, "%s %u", ok ? "ok" : "not ok", n);
	if (desc && *desc) {
		fputs(" - ", t->out);
		put_line_text(t->out, desc, true);
	}
	if (todo || skip) {
		fprintf(t->out, " # %s", todo ? "TODO" : "SKIP");
		if (reason && *reason) {
			fputc(' ', t->out);
			put_line_text(t->out, reason, false);
		}
	} else if (timeout) {
		fputs(" # TIMEOUT", t->out);
		if (reason && *reason) {
			fputc(' ', t->out);
			put_line_text(t->out, reason, true);
		}
	}
	fputc('\n', t->out);
	fflush(t->out);

	if (!ok && !todo)
		t->failed++;
	if (skip)
		t->skipped++;
	return n;
}

void ktstr_tap_skip_all(struct ktstr_tap *t, const char *reason)
{
	ktstr_tap_header(t);
	if (t->plan_done)
		return;
	fputs("1..0 # SKIP", t->out);
	if (reason && *reason) {
		fputc(' ', t->out);
		put_line_text(t->out, reason, false);
	}
	fputc('\n', t->out);
	fflush(t->out);
	t->planned = 0;
	t->plan_done = true;
}

void ktstr_tap_yaml_begin(struct ktstr_tap *t)
{
	ktstr_tap_header(t);
	fputs("  ---\n", t->out);
}

void ktstr_tap_yaml_end(struct ktstr_tap *t)
{
	fputs("  ...\n", t->out);
	fflush(t->out);
}

/* Keys are ours, but keep them YAML-plain whatever a caller passes. */
static void put_yaml_key(FILE *out, const char *key)
{
	if (!key || !*key) {
		fputs("value", out);
		return;
	}
	for (; *key; key++) {
		unsigned char c = (unsigned char)*key;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '_' || c == '-';

		fputc(plain ? c : '_', out);
	}
}

/* A value that YAML (and TAP::Parser's YAMLish) read back verbatim unquoted. */
static bool yaml_plain_ok(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || v[0] == ' ' || v[0] == '-' || v[n - 1] == ' ')
		return false;
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr(" _.,/+=()%@-", c)))
			return false;
	}
	return true;
}

/* A value that can go into a `|` literal block, line by line. */
static bool yaml_literal_ok(const char *v)
{
	if (!strchr(v, '\n') || v[0] == ' ' || v[0] == '\n')
		return false;          /* a leading space would need an indent indicator */
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

static void put_yaml_quoted(FILE *out, const char *v)
{
	fputc('"', out);
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		switch (c) {
		case '"':  fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(out, "\\x%02x", c);
			else
				fputc(c, out);
		}
	}
	fputc('"', out);
}

void ktstr_tap_yaml_kv(struct ktstr_tap *t, const char *key, const char *value)
{
	const char *v = value ? value : "";

	fputs("  ", t->out);
	put_yaml_key(t->out, key);
	fputs(":", t->out);
	if (yaml_plain_ok(v)) {
		fprintf(t->out, " %s\n", v);
	} else if (yaml_literal_ok(v)) {
		/*
		 * `|` (clip) is the only block style TAP::Parser's YAMLish reader
		 * knows.  Empty lines keep the block's indentation, otherwise that
		 * reader would end the block there.
		 */
		size_t n = strlen(v);

		if (v[n - 1] == '\n')
			n--;                /* clip supplies the final newline */
		fputs(" |\n", t->out);
		while (n) {
			const char *nl = memchr(v, '\n', n);
			size_t l = nl ? (size_t)(nl - v) : n;

			fprintf(t->out, "    %.*s\n", (int)l, v);
			v += l;
			n -= l;
			if (n) {            /* skip the newline */
				v++;
				n--;
				if (!n)
					fputs("    \n", t->out);
			}
		}
	} else {
		fputc(' ', t->out);
		put_yaml_quoted(t->out, v);
		fputc('\n', t->out);
	}
}

/* One "# line" per line of text; an empty line is a bare "#". */
static void put_diag_lines(FILE *out, const char *text)
{
	const char *p = text;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (!nl && l == 0 && p != text)
			break;              /* text ended with a newline */
		if (l) {
			fputs("# ", out);
			for (size_t i = 0; i < l; i++) {
				unsigned char c = (unsigned char)p[i];

				fputc(c < 0x20 && c != '\t' ? ' ' : c, out);
			}
			fputc('\n', out);
		} else {
			fputs("#\n", out);
		}
		if (!nl)
			break;
		p = nl + 1;
	}
}

void ktstr_tap_diag_text(struct ktstr_tap *t, const char *text)
{
	ktstr_tap_header(t);
	put_diag_lines(t->out, text ? text : "");
	fflush(t->out);
}

void ktstr_tap_diag(struct ktstr_tap *t, const char *fmt, ...)
{
	va_list ap;
	char small[512], *buf = small;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small)) {
		buf = malloc((size_t)n + 1);
		if (!buf) {
			buf = small;        /* print the truncated text rather than nothing */
		} else {
			va_start(ap, fmt);
			vsnprintf(buf, (size_t)n + 1, fmt, ap);
			va_end(ap);
		}
	}
	ktstr_tap_diag_text(t, buf);
	if (buf != small)
		free(buf);
}

void ktstr_tap_bail(struct ktstr_tap *t, const char *reason)
{
	ktstr_tap_header(t);
	fputs("Bail out!", t->out);
	if (reason && *reason) {
		fputc(' ', t->out);
		put_line_text(t->out, reason, false);
	}
	fputc('\n', t->out);
	fflush(t->out);
	t->bailed = true;
}
