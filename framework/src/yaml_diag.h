/* SPDX-License-Identifier: GPL-2.0-only */
/* The diagnostic for a libyaml parse failure, shared by every YAML loader. */
#ifndef KTSTR_YAML_DIAG_H
#define KTSTR_YAML_DIAG_H

#include <yaml.h>

#include "ktstr/diag.h"

/*
 * "file:line:col: error: [what: ]YAML syntax error: <problem> <context>" at
 * libyaml's problem mark (0-based there, 1-based here).
 */
void ktstr_yaml_syntax_error(struct ktstr_diags *d, const yaml_parser_t *parser,
			     const char *what);

#endif
