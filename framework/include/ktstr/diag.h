/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Diagnostics: a list of file:line:col messages collected while loading or
 * validating a scenario.  Printed GCC-style so editors and CI annotators can
 * jump to the fault.
 */
#ifndef KTSTR_DIAG_H
#define KTSTR_DIAG_H

#include <stdio.h>
#include <stddef.h>

#include "ktstr/scenario.h"

enum ktstr_diag_level { KTSTR_DIAG_ERROR = 0, KTSTR_DIAG_WARNING, KTSTR_DIAG_NOTE };

struct ktstr_diag {
	enum ktstr_diag_level level;
	unsigned line;             /* 1-based; 0 = no position */
	unsigned col;
	char msg[512];
};

struct ktstr_diags {
	char file[KTSTR_PATH_MAX]; /* the file the positions refer to */
	struct ktstr_diag *v;
	size_t n;
	size_t cap;
	size_t n_errors;
};

void ktstr_diags_init(struct ktstr_diags *d, const char *file);
void ktstr_diags_free(struct ktstr_diags *d);

/* Append a message; positions may be 0.  Returns -ENOMEM on failure. */
int ktstr_diags_add(struct ktstr_diags *d, enum ktstr_diag_level level,
		    struct ktstr_src_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "file:line:col: error: msg" per entry, in insertion order. */
void ktstr_diags_print(FILE *out, const struct ktstr_diags *d);

#endif /* KTSTR_DIAG_H */
