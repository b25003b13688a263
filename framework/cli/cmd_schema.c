// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr schema [--markdown]`: every scenario key with its type, default,
 * range and meaning, printed from the same table the loader validates with.
 * docs/scenario-reference.md is the --markdown output.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "ktstr/scenario_load.h"

static const char schema_usage[] =
	"usage: ktstr schema [--markdown]\n"
	"\n"
	"Print every key a scenario YAML file may use, with its type, default, range\n"
	"and meaning. --markdown prints docs/scenario-reference.md.\n";

int ktstr_cmd_schema(int argc, char **argv)
{
	enum ktstr_schema_format fmt = KTSTR_SCHEMA_TEXT;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(schema_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--markdown")) {
			fmt = KTSTR_SCHEMA_MARKDOWN;
		} else {
			fprintf(stderr, "ktstr schema: unexpected argument '%s'\n%s", argv[i],
				schema_usage);
			return 2;
		}
	}
	if (ktstr_schema_print(stdout, fmt) || fflush(stdout)) {
		perror("ktstr schema: writing output");
		return 1;
	}
	return 0;
}
