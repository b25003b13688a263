/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VERDICT frame the host sends back to the guest (verdict.c): pieces
 * that the unit tests drive without a VM.
 */
#ifndef KTSTR_VERDICT_H
#define KTSTR_VERDICT_H

#include <stddef.h>

#include <jansson.h>

#include "ktstr/checks.h"

/*
 * {"dump":bool,"failed":["max_gap",...]}: the enabled checks that failed,
 * in check order; dump is true when there is one.  Their names also go to
 * failed[len] as "max_gap, spread" ("" when none).  NULL when out of memory.
 */
json_t *ktstr_verdict_json(const struct ktstr_check_outcome out[KTSTR_CHECK__COUNT], char *failed,
			   size_t len);

/* Encode o (consumed) as a VERDICT frame and write it to fd, waiting at most ~1 s. 0 or -errno. */
int ktstr_verdict_send(int fd, json_t *o);

#endif /* KTSTR_VERDICT_H */
