/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The text forms of scenario values: integers, numbers, durations with a
 * unit, sizes with a unit, percentages.  Pure string functions, no YAML and
 * no diagnostics, so the loader decides what each failure means to a user.
 */
#ifndef KTSTR_VALUE_TEXT_H
#define KTSTR_VALUE_TEXT_H

#include <stdbool.h>
#include <stdint.h>

/* Decimal integer with optional sign.  *overflow is set for huge values. */
bool ktstr_text_int(const char *s, long long *out, bool *overflow);

/* Any float, including YAML's .inf/-.inf/.nan spellings. */
bool ktstr_text_number(const char *s, double *out);

/*
 * "4s", "500ms", "1.5m", "1h" -> milliseconds (rounded).  0; -EINVAL when
 * malformed; -ENODATA when s is a bare number (a unit is required).
 */
int ktstr_text_duration(const char *s, uint64_t *ms);

/*
 * The same with microsecond precision: "1us", "250us", "2ms", "1.5s" ->
 * microseconds (rounded).  As above.
 */
int ktstr_text_duration_us(const char *s, uint64_t *us);

/*
 * A ratio: a plain number taken as is ("0.05"), or a percentage ("5%")
 * divided by 100.  -EINVAL when malformed or not finite.
 */
int ktstr_text_ratio(const char *s, double *frac);

/* "512M", "1G", "131072K" (optionally "MiB"/"MB") -> MiB.  As above. */
int ktstr_text_size(const char *s, uint64_t *mb);

/* "35%" -> 35.  -EINVAL when there is no '%' or the number is malformed. */
int ktstr_text_percent(const char *s, double *pct);

#endif /* KTSTR_VALUE_TEXT_H */
