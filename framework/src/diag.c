// SPDX-License-Identifier: GPL-2.0-only
/*
 * Diagnostics list.  Errors are collected rather than returned one at a time
 * so a user fixes every typo in a scenario in one edit-validate round.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ktstr/diag.h"

/*
 * Past this many errors the rest are usually fallout of the first ones (a
 * broken indent re-parses every following line); count them, keep none.
 */
#define DIAGS_MAX_STORED_ERRORS 50

void ktstr_diags_init(struct ktstr_diags *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
}

void ktstr_diags_free(struct ktstr_diags *d)
{
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
	d->n_errors = 0;
}

static size_t stored_errors(const struct ktstr_diags *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += d->v[i].level == KTSTR_DIAG_ERROR;
	return n;
}

/*
 * A mapping merged with `<<` into several places is walked once per use;
 * an error inside it would repeat verbatim, so identical entries collapse.
 */
static bool is_repeat(const struct ktstr_diags *d, const struct ktstr_diag *e)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == e->level && d->v[i].line == e->line &&
		    d->v[i].col == e->col && strcmp(d->v[i].msg, e->msg) == 0)
			return true;
	return false;
}

int ktstr_diags_add(struct ktstr_diags *d, enum ktstr_diag_level level,
		    struct ktstr_src_loc loc, const char *fmt, ...)
{
	struct ktstr_diag e = { .level = level, .line = loc.line, .col = loc.col };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);

	/* a repeat still counts: callers compare n_errors to see if a part failed */
	if (level == KTSTR_DIAG_ERROR)
		d->n_errors++;
	if (is_repeat(d, &e))
		return 0;
	if (level == KTSTR_DIAG_ERROR && stored_errors(d) >= DIAGS_MAX_STORED_ERRORS)
		return 0;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct ktstr_diag *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = e;
	return 0;
}

static const char *level_name(enum ktstr_diag_level l)
{
	switch (l) {
	case KTSTR_DIAG_ERROR:
		return "error";
	case KTSTR_DIAG_WARNING:
		return "warning";
	case KTSTR_DIAG_NOTE:
		return "note";
	}
	return "error";
}

static void print_prefix(FILE *out, const struct ktstr_diags *d, unsigned line, unsigned col)
{
	if (d->file[0])
		fputs(d->file, out);
	else
		fputs("ktstr", out);
	if (line) {
		fprintf(out, ":%u", line);
		if (col)
			fprintf(out, ":%u", col);
	}
	fputs(": ", out);
}

void ktstr_diags_print(FILE *out, const struct ktstr_diags *d)
{
	size_t shown = 0;

	for (size_t i = 0; i < d->n; i++) {
		const struct ktstr_diag *e = &d->v[i];

		print_prefix(out, d, e->line, e->col);
		fprintf(out, "%s: %s\n", level_name(e->level), e->msg);
		shown += e->level == KTSTR_DIAG_ERROR;
	}
	if (shown >= DIAGS_MAX_STORED_ERRORS && d->n_errors > shown) {
		print_prefix(out, d, 0, 0);
		fprintf(out, "note: stopped after %d errors; fix these and run again\n",
			DIAGS_MAX_STORED_ERRORS);
	}
}
