/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Timeout profiles as files (ci/profiles/<name>.yaml): the single source of
 * truth for the budgets `ktstr compile` embeds into scenario executables.
 * The C table in timeouts.c is only the built-in fallback.
 *
 * A profile file is one YAML mapping whose keys are exactly the numeric
 * fields of struct ktstr_profile, each given once, each a plain number:
 *
 *   factor: 1.5
 *   tcg_factor: 2.0
 *   boot_base_s: 10
 *   ...
 *
 * The profile's name is the file name without .yaml/.yml.  Unknown keys,
 * missing keys, duplicates and bad values are errors with file:line:col.
 */
#ifndef KTSTR_PROFILE_LOAD_H
#define KTSTR_PROFILE_LOAD_H

#include <stddef.h>

#include "ktstr/diag.h"
#include "ktstr/timeouts.h"

/* The keys of a profile file, in struct ktstr_profile order. */
extern const char *const ktstr_profile_keys[];
#define KTSTR_PROFILE_N_KEYS 8

/*
 * Parse a profile from memory; name is the profile's name (stored in
 * out->name).  0, -EINVAL with the errors in d, or -ENOMEM.
 */
int ktstr_profile_load_buf(const char *buf, size_t len, const char *name,
			   struct ktstr_profile *out, struct ktstr_diags *d);

/* Read and parse path; the name comes from its file name.  Same returns. */
int ktstr_profile_load_file(const char *path, struct ktstr_profile *out, struct ktstr_diags *d);

/* "ci" for ".../ci.yaml"; -EINVAL when the stem is not a valid profile name. */
int ktstr_profile_name_from_path(const char *path, char *buf, size_t len);

#endif /* KTSTR_PROFILE_LOAD_H */
