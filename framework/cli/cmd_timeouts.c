// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr timeouts`: show the budget formula and every number it gives, for
 * a profile and accelerator, optionally for a scenario file's topology and
 * duration.  The same numbers `ktstr compile` registers as CTest TIMEOUT.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"
#include "ktstr/error.h"
#include "ktstr/scenario_load.h"
#include "ktstr/timeouts.h"
#include "ktstr/variants.h"
#include "profile_load.h"

static const char timeouts_usage[] =
	"usage: ktstr timeouts [--profile NAME | --profile-file PATH] [--accel tcg|kvm|auto]\n"
	"                      [--vcpus N] [--duration SECONDS] [--variant NAME]\n"
	"                      [SCENARIO.yaml]\n"
	"\n"
	"Print the timeout formula and the budgets it gives.  With SCENARIO.yaml, the\n"
	"vCPU count and duration come from the scenario (--vcpus / --duration override);\n"
	"for a scenario with a matrix or scheduler flags, from one variant's.\n"
	"\n"
	"  --profile NAME       default or ci (default: default), from the built-in table\n"
	"  --profile-file PATH  the profile file CMake uses (ci/profiles/NAME.yaml; the\n"
	"                       build's is ${KTSTR_PROFILE_DIR}/${KTSTR_PROFILE}.yaml)\n"
	"  --accel MODE         tcg, kvm, or auto (default): tcg unless /dev/kvm opens read-write\n"
	"  --vcpus N            vCPUs of the VM (default 2, the default topology 1n1l2c1t)\n"
	"  --duration SECONDS   scenario duration (default 4)\n"
	"  --variant NAME       which variant of SCENARIO.yaml (default: the first; each\n"
	"                       variant's test has its own TIMEOUT)\n"
	"  -h, --help           this text\n";

struct timeouts_opts {
	const char *profile;
	const char *profile_file;
	enum ktstr_accel accel;
	unsigned vcpus;            /* 0: from the scenario or the default */
	double duration_s;         /* < 0: from the scenario or the default */
	const char *scenario;
	const char *variant;       /* --variant */
	struct ktstr_variant used; /* the variant the numbers are for (name "" : none) */
	unsigned n_variants;
};

static int parse_args(int argc, char **argv, struct timeouts_opts *o, struct ktstr_err *err)
{
	enum { O_PROFILE = 256, O_ACCEL, O_VCPUS, O_DURATION, O_PROFILE_FILE, O_VARIANT };
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, O_PROFILE },
		{ "profile-file", required_argument, NULL, O_PROFILE_FILE },
		{ "accel", required_argument, NULL, O_ACCEL },
		{ "vcpus", required_argument, NULL, O_VCPUS },
		{ "duration", required_argument, NULL, O_DURATION },
		{ "variant", required_argument, NULL, O_VARIANT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->profile = "default";
	o->duration_s = -1;
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case O_PROFILE: o->profile = optarg; break;
		case O_PROFILE_FILE: o->profile_file = optarg; break;
		case O_VARIANT: o->variant = optarg; break;
		case O_ACCEL:
			if (ktstr_accel_parse(optarg, &o->accel))
				return ktstr_err_set(err, -EINVAL,
					"invalid --accel '%s': expected tcg, kvm or auto", optarg);
			break;
		case O_VCPUS:
			if (ktstr_parse_uint(optarg, 1, KTSTR_MAX_CPUS, &o->vcpus))
				return ktstr_err_set(err, -EINVAL,
					"invalid --vcpus '%s': expected 1 to %d", optarg, KTSTR_MAX_CPUS);
			break;
		case O_DURATION:
			if (ktstr_parse_seconds(optarg, &o->duration_s))
				return ktstr_err_set(err, -EINVAL,
					"invalid --duration '%s': expected seconds, e.g. 4 or 1.5", optarg);
			break;
		case 'h':
			fputs(timeouts_usage, stdout);
			return 1;
		default:
			return ktstr_cli_bad_option(argv, err);
		}
	}
	if (optind + 1 < argc)
		return ktstr_err_set(err, -EINVAL, "one scenario per invocation, got extra argument '%s'",
				     argv[optind + 1]);
	o->scenario = optind < argc ? argv[optind] : NULL;
	return 0;
}

/* Take vCPUs and duration from the scenario where the command line did not; 0 or 1. */
static int from_scenario(struct timeouts_opts *o)
{
	struct ktstr_scenario *s = calloc(1, sizeof(*s));
	struct ktstr_diags d;
	int ret;

	if (!s) {
		fprintf(stderr, "ktstr timeouts: out of memory\n");
		return 1;
	}
	ktstr_diags_init(&d, o->scenario);
	ret = ktstr_scenario_load_file(o->scenario, s, &d);
	ktstr_diags_print(stderr, &d);
	if (ret == 0 && d.n_errors == 0) {
		o->n_variants = ktstr_scenario_variant_count(s);
		if (o->n_variants || o->variant) {
			char list[1024];

			ret = o->variant ? ktstr_scenario_variant_find(s, o->variant, &o->used)
					 : ktstr_scenario_variant_get(s, 0, &o->used);
			if (!ret)
				ret = ktstr_scenario_variant_apply(s, &o->used);
			if (ret) {
				ktstr_scenario_variant_list(s, list, sizeof(list));
				fprintf(stderr, "ktstr timeouts: --variant=%s: %s has no such variant; its "
					"variants: %s\n", o->variant ? o->variant : "", o->scenario,
					list[0] ? list : "(none: no matrix, no scheduler flags)");
				ktstr_diags_free(&d);
				free(s);
				return 1;
			}
		}
		if (!o->vcpus)
			o->vcpus = ktstr_topology_cpus(&s->topo);
		if (o->duration_s < 0)
			o->duration_s = ktstr_scenario_run_s(s);
	} else if (d.n_errors == 0) {
		fprintf(stderr, "%s: error: cannot load scenario: %s\n", o->scenario,
			strerror(ret < 0 ? -ret : EINVAL));
	}
	ret = ret == 0 && d.n_errors == 0 ? 0 : 1;
	ktstr_diags_free(&d);
	free(s);
	return ret;
}

static void print_budgets(const struct ktstr_profile *p, bool tcg, const struct timeouts_opts *o)
{
	struct ktstr_timeouts t;
	double f;

	ktstr_timeouts_compute(p, tcg, o->vcpus, o->duration_s, &t);
	f = t.factor;
	printf("Formula (docs/timeouts.md):\n"
	       "  factor           = profile factor x accelerator factor (tcg_factor under TCG)\n"
	       "  boot budget      = (boot_base + boot_per_vcpu x vcpus) x factor\n"
	       "  progress timeout = progress_timeout x factor\n"
	       "  run budget       = duration + teardown x factor\n"
	       "  vm deadline      = boot budget + run budget + settle x factor\n"
	       "  harness timeout  = vm deadline + dump_margin        (CTest TIMEOUT)\n\n");
	printf("Profile %s (%s%s): factor %g, tcg_factor %g, boot_base %g s, boot_per_vcpu %g s,\n"
	       "  teardown %g s, settle %g s, progress_timeout %g s, dump_margin %g s\n\n",
	       p->name, o->profile_file ? "from " : "built-in",
	       o->profile_file ? o->profile_file : "", p->factor, p->tcg_factor, p->boot_base_s, p->boot_per_vcpu_s,
	       p->teardown_s, p->settle_s, p->progress_timeout_s, p->dump_margin_s);
	if (o->scenario)
		printf("Scenario %s\n", o->scenario);
	if (o->used.name[0])
		printf("Variant %s (%u of %u; --variant picks another)\n", o->used.name,
		       o->used.index + 1, o->n_variants);
	printf("Inputs: accelerator %s, vcpus %u, duration %g s\n\n", tcg ? "tcg" : "kvm",
	       o->vcpus, o->duration_s);
	printf("  factor           = %g x %g = %g\n", p->factor, tcg ? p->tcg_factor : 1.0, f);
	printf("  boot budget      = (%g + %g x %u) x %g = %.1f s\n", p->boot_base_s,
	       p->boot_per_vcpu_s, o->vcpus, f, t.boot_budget_s);
	printf("  progress timeout = %g x %g = %.1f s\n", p->progress_timeout_s, f,
	       t.progress_timeout_s);
	printf("  run budget       = %g + %g x %g = %.1f s\n", o->duration_s, p->teardown_s, f,
	       t.run_budget_s);
	printf("  vm deadline      = %.1f + %.1f + %g x %g = %.1f s\n", t.boot_budget_s,
	       t.run_budget_s, p->settle_s, f, t.vm_deadline_s);
	printf("  harness timeout  = %.1f + %g = %.1f s  -> CTest TIMEOUT %.0f\n", t.vm_deadline_s,
	       p->dump_margin_s, t.harness_timeout_s, ceil(t.harness_timeout_s));
	printf("\nUnder CTest the executable gets KTSTR_HARNESS_TIMEOUT=%.0f and keeps its hard\n"
	       "deadline at min(vm deadline, harness timeout - dump_margin) = %.1f s, so the dump\n"
	       "is printed before CTest kills it.  Under prove there is no harness timeout: the\n"
	       "profile alone decides (hard deadline = vm deadline).\n",
	       ceil(t.harness_timeout_s), t.vm_deadline_s < ceil(t.harness_timeout_s) - p->dump_margin_s ?
	       t.vm_deadline_s : ceil(t.harness_timeout_s) - p->dump_margin_s);
}

int ktstr_cmd_timeouts(int argc, char **argv)
{
	struct timeouts_opts o = { 0 };
	struct ktstr_err err = { 0 };
	struct ktstr_profile prof;
	int ret;

	ret = parse_args(argc, argv, &o, &err);
	if (ret == 1)
		return 0;
	if (ret == 0 && o.profile_file) {
		struct ktstr_diags pd;

		ktstr_diags_init(&pd, o.profile_file);
		ret = ktstr_profile_load_file(o.profile_file, &prof, &pd);
		ktstr_diags_print(stderr, &pd);
		ktstr_diags_free(&pd);
		if (ret)
			return 1;
	} else if (ret == 0 && ktstr_profile_get(o.profile, &prof))
		ret = ktstr_err_set(&err, -EINVAL,
				    "unknown --profile '%s': known profiles are default and ci", o.profile);
	if (ret < 0) {
		fprintf(stderr, "ktstr timeouts: %s\nTry 'ktstr timeouts --help'.\n", err.msg);
		return 2;
	}
	if (o.scenario && from_scenario(&o))
		return 1;
	if (!o.vcpus)
		o.vcpus = 2;
	if (o.duration_s < 0)
		o.duration_s = KTSTR_DEFAULT_DURATION_MS / 1000.0;
	print_budgets(&prof, ktstr_accel_is_tcg(o.accel), &o);
	return 0;
}
