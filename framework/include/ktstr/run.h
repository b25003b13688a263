/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The entry point of every scenario executable.  `ktstr compile` generates a
 * main() that embeds the validated scenario text and calls ktstr_run_main().
 */
#ifndef KTSTR_RUN_H
#define KTSTR_RUN_H

#include <stddef.h>

#include "ktstr/timeouts.h"

struct ktstr_embedded_scenario {
	const char *name;          /* test name, e.g. "steady" */
	const char *source_path;   /* the YAML file it was compiled from */
	const char *yaml;          /* the scenario text, NUL-terminated */
	size_t yaml_len;
	const char *agent_path;    /* default guest agent binary (build or install tree) */
	const char *profile;       /* timeout profile chosen at configure time */
	double ctest_timeout_s;    /* the TIMEOUT registered with CTest, 0 if none */
	/*
	 * The resolved values of `profile`, from the profile file given to
	 * `ktstr compile --profile-file` (ci/profiles/NAME.yaml).  The runner
	 * uses them unless --profile names another profile; name[0] == '\0'
	 * (executables generated without a file) means the built-in table.
	 */
	struct ktstr_profile profile_values;
};

/* Exit codes of a scenario executable. */
#define KTSTR_EXIT_PASS      0
#define KTSTR_EXIT_FAIL      1
#define KTSTR_EXIT_USAGE     2
#define KTSTR_EXIT_SKIP      77   /* only with --harness=ctest; under prove a skip exits 0 */

int ktstr_run_main(const struct ktstr_embedded_scenario *sc, int argc, char **argv);

#endif /* KTSTR_RUN_H */
