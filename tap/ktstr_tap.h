/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small TAP producer.
 *
 * Output is TAP version 13, which Debian 12's prove (TAP::Harness 3.44)
 * accepts and which TAP 14 consumers must also accept.  We use only the
 * intersection of the two: a version line, one plan, `ok`/`not ok` with a
 * number and a description, `# SKIP`/`# TODO` directives, 2-space indented
 * YAML diagnostic blocks, `#` comments and `Bail out!`.
 */
#ifndef KTSTR_TAP_H
#define KTSTR_TAP_H

#include <stdbool.h>
#include <stdio.h>

struct ktstr_tap {
	FILE *out;
	unsigned planned;          /* the plan's count (0 for skip_all) */
	bool plan_done;            /* a plan line was printed; a second is ignored */
	unsigned next;             /* number of the next test point */
	unsigned failed;           /* not ok, excluding TODO */
	unsigned skipped;
	bool header_done;
	bool bailed;
};

void ktstr_tap_init(struct ktstr_tap *t, FILE *out);
/* "TAP version 13" (once); every other call prints it first if needed. */
void ktstr_tap_header(struct ktstr_tap *t);
/* "1..n"; printed once (TAP 14 allows one plan), before or after the tests. */
void ktstr_tap_plan(struct ktstr_tap *t, unsigned n);
/*
 * "1..0 # SKIP reason": the whole stream is skipped.  The caller then exits
 * 0 under prove, or with the SKIP_RETURN_CODE (77) under ctest.
 */
void ktstr_tap_skip_all(struct ktstr_tap *t, const char *reason);

/*
 * One test point.  `directive` is NULL, "SKIP" or "TODO"; `reason` goes
 * after it.  '#' and '\' in the description are escaped, newlines become
 * spaces.  Returns the test point's number.
 */
unsigned ktstr_tap_result(struct ktstr_tap *t, bool ok, const char *desc,
			  const char *directive, const char *reason);

/*
 * YAML diagnostic block after the last test point: begin, key lines, end.
 * Lines are indented 2 spaces ("  ---" ... "  ...").  Values that are not
 * plain YAML are double-quoted; multi-line values become a `|` block (the
 * only block style TAP::Harness 3.44's YAMLish reader understands).
 */
void ktstr_tap_yaml_begin(struct ktstr_tap *t);
/* A scalar value; multi-line values are emitted as a literal block. */
void ktstr_tap_yaml_kv(struct ktstr_tap *t, const char *key, const char *value);
void ktstr_tap_yaml_end(struct ktstr_tap *t);

/*
 * "# ..." comment; every line of a multi-line message gets its own '#', an
 * empty line is a bare "#".
 */
void ktstr_tap_diag(struct ktstr_tap *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Same for a block of text that is already formatted. */
void ktstr_tap_diag_text(struct ktstr_tap *t, const char *text);

/* "Bail out! reason" at the root level: the harness stops the whole run. */
void ktstr_tap_bail(struct ktstr_tap *t, const char *reason);

#endif /* KTSTR_TAP_H */
