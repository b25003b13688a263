// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr run FILE.yaml [scenario options]`: run a scenario file directly,
 * without compiling it into a test executable first.  Same VM, same TAP,
 * same dump; handy while writing a scenario.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "ktstr/diag.h"
#include "ktstr/run.h"
#include "ktstr/scenario_load.h"

#ifndef KTSTR_BUILD_AGENT_PATH
#define KTSTR_BUILD_AGENT_PATH ""
#endif

/* The installed layout first (bin/ktstr -> libexec/ktstr/ktstr-agent), then the build tree. */
static void find_agent(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		snprintf(buf, len, "%s/../libexec/ktstr/ktstr-agent", dirname(self));
		if (!access(buf, R_OK))
			return;
	}
	snprintf(buf, len, "%s", KTSTR_BUILD_AGENT_PATH);
}

static int read_all(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return -errno;
	for (;;) {
		size_t got;

		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int ktstr_cmd_run(int argc, char **argv)
{
	static struct ktstr_scenario s;   /* large: keep it off the stack */
	struct ktstr_embedded_scenario sc = { 0 };
	struct ktstr_diags d;
	char agent[PATH_MAX], abspath[PATH_MAX], name[KTSTR_NAME_MAX];
	char *yaml = NULL;
	size_t len = 0;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: ktstr run FILE.yaml [options]\n"
			"\n"
			"Validates FILE.yaml and runs it in its own VM, printing TAP, exactly as\n"
			"its compiled test executable would.  The options are the scenario\n"
			"executable's (see `ktstr run FILE.yaml --help`): --kernel, --accel,\n"
			"--keep, --verbose, --profile, ...\n");
		return argc < 2 ? KTSTR_EXIT_USAGE : KTSTR_EXIT_PASS;
	}
	if (!realpath(argv[1], abspath))
		snprintf(abspath, sizeof(abspath), "%s", argv[1]);
	rc = read_all(argv[1], &yaml, &len);
	if (rc) {
		fprintf(stderr, "ktstr run: cannot read '%s': %s\n", argv[1], strerror(-rc));
		return KTSTR_EXIT_USAGE;
	}
	ktstr_diags_init(&d, argv[1]);
	rc = ktstr_scenario_load_buf(yaml, len, argv[1], &s, &d);
	ktstr_diags_print(stderr, &d);
	ktstr_diags_free(&d);
	if (rc) {
		free(yaml);
		return KTSTR_EXIT_FAIL;
	}
	snprintf(name, sizeof(name), "%s", s.name);
	find_agent(agent, sizeof(agent));
	sc.name = name;
	sc.source_path = abspath;
	sc.yaml = yaml;
	sc.yaml_len = len;
	sc.agent_path = agent;
	sc.profile = "default";
	/* The scenario options follow the file name; getopt sees argv[0] = "run". */
	rc = ktstr_run_main(&sc, argc - 1, argv + 1);
	free(yaml);
	return rc;
}
