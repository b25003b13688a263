/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loading a scenario from YAML (schema version 1) into the model, and
 * describing that schema.  The host (`ktstr compile`, `ktstr validate`, the
 * scenario executable) and the guest agent call the same loader on the same
 * text, so a file that validates at build time means the same in the guest.
 *
 * The schema is one table (framework/src/schema.c): the loader validates
 * against it, `ktstr schema` prints it, docs/scenario-reference.md is
 * generated from it.
 */
#ifndef KTSTR_SCENARIO_LOAD_H
#define KTSTR_SCENARIO_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ktstr/diag.h"
#include "ktstr/scenario.h"

/*
 * Fill s with the values the loader uses for absent keys: version 1,
 * duration 4s, topology 1n1l2c1t with 512M, scheduler eevdf, no cgroups,
 * no steps (n_steps == 0 means one step holding the whole duration), every
 * check unset (KTSTR_TRI_UNSET / negative) so the host's layers apply.
 */
void ktstr_scenario_defaults(struct ktstr_scenario *s);

/*
 * Parse and validate YAML text.  Diagnostics are appended to d (initialise
 * it with ktstr_diags_init first; its file name is what messages show).
 * `display_name` names the file in the model (source_path) and gives the
 * default scenario name (its basename without .yaml/.yml); NULL means
 * "<string>", which is not a valid name, so a file without `name:` then
 * fails.  Host and guest must pass the same display_name (the original
 * file's basename) for the default name to agree.  Returns 0 on success;
 * -EINVAL when d->n_errors > 0 after loading (out then holds whatever could
 * be parsed); -ENOMEM.
 */
int ktstr_scenario_load_buf(const char *buf, size_t len, const char *display_name,
			    struct ktstr_scenario *out, struct ktstr_diags *d);

/* As above, reading path; an unreadable file is a diagnostic too (-EINVAL). */
int ktstr_scenario_load_file(const char *path, struct ktstr_scenario *out, struct ktstr_diags *d);

enum ktstr_schema_format { KTSTR_SCHEMA_TEXT, KTSTR_SCHEMA_MARKDOWN };

/* Every key with its type, default, range and meaning.  0, or -EIO. */
int ktstr_schema_print(FILE *out, enum ktstr_schema_format fmt);

/* A complete scenario using every section; shown in the reference and tested to load. */
extern const char ktstr_schema_example[];

/* "4s", "500ms", "1.5s", "2m", "1h": the shortest exact spelling the loader accepts. */
void ktstr_duration_format(uint64_t ms, char *buf, size_t len);

/* The same for microseconds: "250us", "2ms", "1.5ms", "3s" (checks.max_wake_p99). */
void ktstr_duration_us_format(uint64_t us, char *buf, size_t len);

/* "512M", "1G", "1536M": the shortest exact spelling the loader accepts. */
void ktstr_size_format(uint64_t mb, char *buf, size_t len);

#endif /* KTSTR_SCENARIO_LOAD_H */
