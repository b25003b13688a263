// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr validate FILE...`: load each scenario exactly as `ktstr compile`
 * and the guest agent will, print every diagnostic GCC-style to stderr and a
 * one-line summary per good file to stdout.  Exit 0 when all files are good,
 * 1 when any has an error, 2 on usage errors.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "ktstr/diag.h"
#include "ktstr/scenario_load.h"
#include "ktstr/variants.h"

static const char validate_usage[] =
	"usage: ktstr validate [--quiet] FILE...\n"
	"\n"
	"Check scenario YAML files without building anything. Problems are printed as\n"
	"FILE:LINE:COL: error: MESSAGE on stderr; each good file gets a summary line on\n"
	"stdout (suppressed by --quiet).\n"
	"\n"
	"Exit status: 0 all files valid, 1 some file has errors, 2 usage error.\n"
	"See `ktstr schema` for every key the files may use.\n";

static const char *plural(unsigned n)
{
	return n == 1 ? "" : "s";
}

static void print_summary(FILE *out, const char *path, const struct ktstr_scenario *s)
{
	char topo[64], dur[32];
	unsigned workers = ktstr_scenario_total_workers(s), cpus = ktstr_topology_cpus(&s->topo);

	ktstr_topology_label(&s->topo, topo, sizeof(topo));
	ktstr_duration_format(s->duration_ms, dur, sizeof(dur));
	fprintf(out, "%s: ok (%u cgroup%s, %u worker%s, topology %s, %u CPU%s, duration %s", path,
		s->n_cgroups, plural(s->n_cgroups), workers, plural(workers), topo, cpus,
		plural(cpus), dur);
	if (s->n_steps)
		fprintf(out, ", %u step%s", s->n_steps, plural(s->n_steps));
	/* a matrix or scheduler flags: the base topology above may not even run */
	if (ktstr_scenario_variant_count(s))
		fprintf(out, ", %u variant%s", ktstr_scenario_variant_count(s),
			plural(ktstr_scenario_variant_count(s)));
	fputs(")\n", out);
}

/* 0 valid, 1 invalid, -1 out of memory. */
static int validate_one(const char *path, bool quiet)
{
	struct ktstr_scenario s;
	struct ktstr_diags d;
	int ret;

	ktstr_diags_init(&d, path);
	ret = ktstr_scenario_load_file(path, &s, &d);
	ktstr_diags_print(stderr, &d);
	ktstr_diags_free(&d);
	if (ret && ret != -EINVAL) {
		fprintf(stderr, "%s: error: out of memory\n", path);
		return -1;
	}
	if (!ret && !quiet)
		print_summary(stdout, path, &s);
	return ret ? 1 : 0;
}

int ktstr_cmd_validate(int argc, char **argv)
{
	bool quiet = false, opts = true;
	int first = 0, status = 0, nfiles = 0;

	/* argv[0] is "validate" */
	for (int i = 1; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0) {
			opts = false;
		} else if (opts && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))) {
			fputs(validate_usage, stdout);
			return 0;
		} else if (opts && (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q"))) {
			quiet = true;
		} else if (opts && argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "ktstr validate: unknown option '%s'\n%s", argv[i],
				validate_usage);
			return 2;
		} else {
			nfiles++;
			if (!first)
				first = i;
		}
	}
	if (!nfiles) {
		fprintf(stderr, "ktstr validate: no scenario files given\n%s", validate_usage);
		return 2;
	}
	opts = true;
	for (int i = first; i < argc; i++) {
		int r;

		if (opts && strcmp(argv[i], "--") == 0) {
			opts = false;
			continue;
		}
		if (opts && argv[i][0] == '-' && argv[i][1])
			continue;
		r = validate_one(argv[i], quiet);
		if (r < 0)
			return 1;
		status |= r;
	}
	fflush(stdout);
	return status ? 1 : 0;
}
