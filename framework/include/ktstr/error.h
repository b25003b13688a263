/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A user-facing error: an errno-style code plus a message that names the
 * thing at fault and the fix, in the style of docs/troubleshooting.md.
 * Library code fills one and returns the negative code; only main() decides
 * to print and exit.
 */
#ifndef KTSTR_ERROR_H
#define KTSTR_ERROR_H

#include <stddef.h>

struct ktstr_err {
	int code;                  /* negative errno, 0 = no error */
	char msg[4096];
};

/* Sets err (if non-NULL) and returns `code` (expected negative). */
int ktstr_err_set(struct ktstr_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix existing message with context: "context: old message". */
int ktstr_err_wrap(struct ktstr_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* KTSTR_ERROR_H */
