// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr compile`: the build-time step of ktstr_add_scenario().  Loads and
 * validates one scenario, then writes the C source of its executable and the
 * CTest script registering it.  A bad scenario fails here, so it fails the
 * build with file:line:col diagnostics instead of failing a VM later.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_util.h"
#include "commands.h"
#include "compile_gen.h"
#include "ktstr/error.h"
#include "ktstr/scenario_load.h"
#include "ktstr/timeouts.h"
#include "ktstr/variants.h"
#include "profile_load.h"

#define MAX_LABELS 32
#define MAX_KERNELS 16

struct compile_opts {
	const char *name;
	const char *c_out;
	const char *ctest_out;
	const char *exe;
	const char *labels[MAX_LABELS];
	size_t n_labels;
	const char *kernels[MAX_KERNELS];   /* --kernel: one test per kernel */
	size_t n_kernels;
	double timeout_s;          /* < 0: compute from the profile */
	const char *profile;
	const char *profile_file;  /* --profile-file: values (and name) from this file */
	unsigned resource_cpus;    /* --resource-cpus: instances of `cpus` in the spec; 0: none */
	unsigned resource_mem_mb;  /* --resource-mem-mb: slots of `mem_mb`; 0: no cap */
	const char *agent;
	enum ktstr_accel accel;
	const char *cmake_version;
	const char *scenario;
};

static const char compile_usage[] =
	"usage: ktstr compile --name NAME --c-out FILE.c --ctest-out FILE.cmake --exe PATH\n"
	"                     [--label L]... [--timeout SECONDS] [--profile NAME]\n"
	"                     [--agent PATH] [--accel tcg|kvm|auto] [--cmake-version V]\n"
	"                     [--kernel SPEC]... SCENARIO.yaml\n"
	"\n"
	"Validate SCENARIO.yaml and generate the scenario executable's source (FILE.c)\n"
	"and the CTest script that registers it as test ktstr/NAME (FILE.cmake); a\n"
	"scenario with a matrix or scheduler flags registers ktstr/NAME@VARIANT per\n"
	"variant, run with --variant=VARIANT.\n"
	"ktstr_add_scenario() in CMake runs this at build time; a scenario with errors\n"
	"prints file:line:col diagnostics, removes both outputs and exits 1.\n"
	"\n"
	"  --name NAME          test name (letters, digits, _ . + -)\n"
	"  --c-out FILE.c       where to write the executable's C source\n"
	"  --ctest-out FILE     where to write the add_test() script\n"
	"  --exe PATH           path of the built executable, as CTest runs it\n"
	"  --label L            extra CTest label (repeatable); ktstr and vm are always set\n"
	"  --timeout SECONDS    CTest TIMEOUT; default: the harness budget of the profile\n"
	"                       for this scenario's vCPUs and duration (ktstr timeouts)\n"
	"  --profile NAME       timeout profile: default, ci (default: default)\n"
	"  --profile-file PATH  load the profile from PATH (ci/profiles/NAME.yaml; its\n"
	"                       name is the file name) and embed its values; replaces\n"
	"                       --profile and the built-in table\n"
	"  --resource-cpus N    add CTest RESOURCE_GROUPS: cpus:1 per host CPU the VM\n"
	"                       uses (1 under TCG, one per vCPU under --accel kvm, at\n"
	"                       most N, the spec's CPU count) and mem_mb:(guest memory\n"
	"                       + 256) (docs/ci.md)\n"
	"  --resource-mem-mb M  the spec's mem_mb slots: caps the mem_mb requirement\n"
	"  --agent PATH         guest agent the executable uses by default\n"
	"  --accel MODE         budget for tcg or kvm; auto (default) budgets for tcg,\n"
	"                       since a run may fall back to TCG when KVM fails\n"
	"  --cmake-version V    the CMake version that reads FILE.cmake; >= 3.27 adds\n"
	"                       TIMEOUT_SIGNAL_NAME SIGTERM with a 10 s grace period\n"
	"  --kernel SPEC        kernel matrix (repeatable): register one test per SPEC,\n"
	"                       ktstr/NAME@VERSION with label kernel=VERSION, run with\n"
	"                       KTSTR_KERNEL=SPEC (a cache key, a cached version, an\n"
	"                       image or a built tree); none: one test ktstr/NAME\n"
	"  -h, --help           this text\n"
	"\n"
	"Outputs are replaced atomically and only when their content changes.\n"
	"Exit status: 0 written, 1 scenario or I/O error, 2 usage error.\n";

static int usage_error(struct ktstr_err *err)
{
	fprintf(stderr, "ktstr compile: %s\nTry 'ktstr compile --help'.\n", err->msg);
	return 2;
}

/*
 * Adds a --kernel spec.  Two specs with the same label would register two
 * tests of the same name: CTest would silently keep one.
 */
static int add_kernel(struct compile_opts *o, const char *spec, struct ktstr_err *err)
{
	char label[128], other[128];

	if (ktstr_kernel_spec_label(spec, label, sizeof(label)))
		return ktstr_err_set(err, -EINVAL,
			"invalid --kernel '%s': a kernel spec must be non-empty, printable and free "
			"of ';' (KTSTR_KERNELS is a CMake list: separate kernels with ';')", spec);
	if (o->n_kernels == MAX_KERNELS)
		return ktstr_err_set(err, -EINVAL, "too many --kernel options (at most %d)",
				     MAX_KERNELS);
	for (size_t i = 0; i < o->n_kernels; i++) {
		ktstr_kernel_spec_label(o->kernels[i], other, sizeof(other));
		if (!strcmp(label, other))
			return ktstr_err_set(err, -EINVAL,
				"--kernel '%s' and --kernel '%s' both give test suffix @%s; list each "
				"kernel once in KTSTR_KERNELS", o->kernels[i], spec, label);
	}
	o->kernels[o->n_kernels++] = spec;
	return 0;
}

/* Parse argv into o; 0, 1 for --help (already printed), or -EINVAL with err set. */
static int parse_args(int argc, char **argv, struct compile_opts *o, struct ktstr_err *err)
{
	enum { O_NAME = 256, O_C_OUT, O_CTEST_OUT, O_EXE, O_LABEL, O_TIMEOUT, O_PROFILE,
	       O_AGENT, O_ACCEL, O_CMAKE_VERSION, O_KERNEL, O_PROFILE_FILE, O_RES_CPUS,
	       O_RES_MEM };
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, O_NAME },
		{ "c-out", required_argument, NULL, O_C_OUT },
		{ "ctest-out", required_argument, NULL, O_CTEST_OUT },
		{ "exe", required_argument, NULL, O_EXE },
		{ "label", required_argument, NULL, O_LABEL },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "profile", required_argument, NULL, O_PROFILE },
		{ "agent", required_argument, NULL, O_AGENT },
		{ "accel", required_argument, NULL, O_ACCEL },
		{ "cmake-version", required_argument, NULL, O_CMAKE_VERSION },
		{ "kernel", required_argument, NULL, O_KERNEL },
		{ "profile-file", required_argument, NULL, O_PROFILE_FILE },
		{ "resource-cpus", required_argument, NULL, O_RES_CPUS },
		{ "resource-mem-mb", required_argument, NULL, O_RES_MEM },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->timeout_s = -1;
	o->profile = "default";
	opterr = 0;
	optind = 0;                /* glibc: full re-initialisation */
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case O_NAME: o->name = optarg; break;
		case O_C_OUT: o->c_out = optarg; break;
		case O_CTEST_OUT: o->ctest_out = optarg; break;
		case O_EXE: o->exe = optarg; break;
		case O_PROFILE: o->profile = optarg; break;
		case O_PROFILE_FILE: o->profile_file = optarg; break;
		case O_RES_CPUS:
			if (ktstr_parse_uint(optarg, 1, KTSTR_MAX_CPUS, &o->resource_cpus))
				return ktstr_err_set(err, -EINVAL,
					"invalid --resource-cpus '%s': expected 1 to %d", optarg,
					KTSTR_MAX_CPUS);
			break;
		case O_RES_MEM:
			if (ktstr_parse_uint(optarg, 1, 1u << 30, &o->resource_mem_mb))
				return ktstr_err_set(err, -EINVAL,
					"invalid --resource-mem-mb '%s': expected a positive number of MiB",
					optarg);
			break;
		case O_AGENT: o->agent = optarg; break;
		case O_CMAKE_VERSION: o->cmake_version = optarg; break;
		case O_LABEL:
			if (!ktstr_compile_label_ok(optarg))
				return ktstr_err_set(err, -EINVAL,
					"invalid label '%s': labels must be non-empty, printable and free of ';'",
					optarg);
			if (o->n_labels == MAX_LABELS)
				return ktstr_err_set(err, -EINVAL, "too many --label options (at most %d)",
						     MAX_LABELS);
			o->labels[o->n_labels++] = optarg;
			break;
		case O_KERNEL:
			if (add_kernel(o, optarg, err))
				return -EINVAL;
			break;
		case O_TIMEOUT:
			if (ktstr_parse_seconds(optarg, &o->timeout_s) || o->timeout_s <= 0 ||
			    o->timeout_s > UINT_MAX)
				return ktstr_err_set(err, -EINVAL,
					"invalid --timeout '%s': expected a positive number of seconds",
					optarg);
			break;
		case O_ACCEL:
			if (ktstr_accel_parse(optarg, &o->accel))
				return ktstr_err_set(err, -EINVAL,
					"invalid --accel '%s': expected tcg, kvm or auto", optarg);
			break;
		case 'h':
			fputs(compile_usage, stdout);
			return 1;
		default:
			return ktstr_cli_bad_option(argv, err);
		}
	}
	if (optind >= argc)
		return ktstr_err_set(err, -EINVAL, "missing the SCENARIO.yaml argument");
	if (optind + 1 < argc)
		return ktstr_err_set(err, -EINVAL, "one scenario per invocation, got extra argument '%s'",
				     argv[optind + 1]);
	o->scenario = argv[optind];
	if (!o->name || !o->c_out || !o->ctest_out || !o->exe)
		return ktstr_err_set(err, -EINVAL,
			"--name, --c-out, --ctest-out and --exe are all required");
	if (!ktstr_compile_name_ok(o->name))
		return ktstr_err_set(err, -EINVAL,
			"invalid --name '%s': use 1-63 letters, digits, '_', '.', '+' or '-'", o->name);
	/* A ';' would split the path when CTest reads it back as a list. */
	if (strchr(o->exe, ';'))
		return ktstr_err_set(err, -EINVAL, "the --exe path contains ';', which CTest cannot run: %s",
				     o->exe);
	return 0;
}

/* The whole file, NUL-terminated; NULL with err set. */
static char *read_all(const char *path, size_t *len, struct ktstr_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		ktstr_err_set(err, -errno, "cannot read scenario %s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (!nb) {
				ktstr_err_set(err, -ENOMEM, "out of memory reading %s", path);
				goto fail;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);

		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		ktstr_err_set(err, -EIO, "cannot read scenario %s: read error", path);
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

/* Generate into memory with gen(), then write path if it changed. */
static int emit(const char *path, int (*gen)(FILE *, const struct ktstr_compile_spec *),
		const struct ktstr_compile_spec *spec, struct ktstr_err *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int ret;

	if (!m)
		return ktstr_err_set(err, -ENOMEM, "out of memory generating %s", path);
	ret = gen(m, spec);
	if (fclose(m) || ret) {
		free(text);
		return ktstr_err_set(err, -ENOMEM, "out of memory generating %s", path);
	}
	ret = ktstr_write_if_changed(path, text, len, err);
	free(text);
	return ret < 0 ? ret : 0;
}

/* Never leave outputs of an earlier, valid version for the build or CTest to pick up. */
static void remove_outputs(const struct compile_opts *o)
{
	unlink(o->c_out);
	unlink(o->ctest_out);
}

/* --timeout, else the harness budget of docs/timeouts.md, rounded up to whole seconds. */
static unsigned compile_timeout(const struct compile_opts *o, const struct ktstr_profile *prof,
				const struct ktstr_scenario *s)
{
	struct ktstr_timeouts t;

	if (o->timeout_s > 0)
		return (unsigned)ceil(o->timeout_s);
	ktstr_timeouts_compute(prof, ktstr_accel_is_tcg(o->accel), ktstr_topology_cpus(&s->topo),
			       ktstr_scenario_run_s(s), &t);
	return (unsigned)ceil(t.harness_timeout_s);
}

/*
 * CTest RESOURCE_GROUPS: QEMU under single-threaded TCG runs every vCPU on
 * one host thread, so it needs one host CPU; under KVM one per vCPU.  Never
 * more than the spec has, or CTest could never schedule the test.
 */
static void resource_groups(const struct compile_opts *o, const struct ktstr_scenario *s,
			    struct ktstr_compile_spec *spec)
{
	unsigned vcpus = ktstr_topology_cpus(&s->topo);
	unsigned long long mem = s->topo.memory_mb + 256;

	if (!o->resource_cpus)
		return;
	spec->resource_cpus = ktstr_accel_is_tcg(o->accel) ? 1 : vcpus;
	if (spec->resource_cpus > o->resource_cpus)
		spec->resource_cpus = o->resource_cpus;
	if (spec->resource_cpus == 0)
		spec->resource_cpus = 1;
	if (o->resource_mem_mb && mem > o->resource_mem_mb)
		mem = o->resource_mem_mb;
	spec->resource_mem_mb = (unsigned)mem;
}

/*
 * One test per variant (ktstr/variants.h): each with the TIMEOUT and
 * RESOURCE_GROUPS of its own topology and scheduler.  vars/names hold
 * KTSTR_MAX_VARIANTS entries; returns how many, -ENOMEM.
 */
static int compile_variants(const struct compile_opts *o, const struct ktstr_profile *prof,
			    const struct ktstr_scenario *s, struct ktstr_compile_variant *vars,
			    struct ktstr_variant *names, unsigned *max_timeout)
{
	unsigned n = ktstr_scenario_variant_count(s);
	struct ktstr_scenario *tmp;

	if (!n)
		return 0;
	tmp = malloc(sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	for (unsigned i = 0; i < n && i < KTSTR_MAX_VARIANTS; i++) {
		struct ktstr_compile_spec res = { 0 };

		*tmp = *s;
		/* validated by the loader: every variant exists and applies */
		if (ktstr_scenario_variant_get(s, i, &names[i]) ||
		    ktstr_scenario_variant_apply(tmp, &names[i])) {
			free(tmp);
			return -EINVAL;
		}
		resource_groups(o, tmp, &res);
		vars[i] = (struct ktstr_compile_variant){
			.name = names[i].name,
			.topology = names[i].topology,
			.scheduler = names[i].scheduler,
			.flags = names[i].profile,
			.timeout_s = compile_timeout(o, prof, tmp),
			.resource_cpus = res.resource_cpus,
			.resource_mem_mb = res.resource_mem_mb,
		};
		if (vars[i].timeout_s > *max_timeout)
			*max_timeout = vars[i].timeout_s;
	}
	free(tmp);
	return (int)(n < KTSTR_MAX_VARIANTS ? n : KTSTR_MAX_VARIANTS);
}

int ktstr_cmd_compile(int argc, char **argv)
{
	struct compile_opts o = { 0 };
	struct ktstr_err err = { 0 };
	struct ktstr_profile prof;
	struct ktstr_scenario *s = NULL;
	struct ktstr_compile_spec spec;
	struct ktstr_diags d;
	struct ktstr_compile_variant *vars = NULL;
	struct ktstr_variant *names = NULL;
	char *yaml = NULL, *abs = NULL;
	size_t yaml_len = 0;
	int ret, rc = 1;

	ret = parse_args(argc, argv, &o, &err);
	if (ret == 1)
		return 0;
	if (ret < 0)
		return usage_error(&err);
	if (o.profile_file) {
		/* The single source of truth: ci/profiles/NAME.yaml, embedded as resolved values. */
		struct ktstr_diags pd;

		ktstr_diags_init(&pd, o.profile_file);
		ret = ktstr_profile_load_file(o.profile_file, &prof, &pd);
		ktstr_diags_print(stderr, &pd);
		ktstr_diags_free(&pd);
		if (ret) {
			remove_outputs(&o);
			return 1;
		}
	} else if (ktstr_profile_get(o.profile, &prof)) {
		ktstr_err_set(&err, -EINVAL, "unknown --profile '%s': known profiles are default and ci",
			      o.profile);
		return usage_error(&err);
	}

	s = calloc(1, sizeof(*s));
	if (!s) {
		fprintf(stderr, "ktstr compile: out of memory\n");
		return 1;
	}
	ktstr_diags_init(&d, o.scenario);
	/* Read once: the bytes embedded are exactly the bytes validated. */
	yaml = read_all(o.scenario, &yaml_len, &err);
	if (!yaml)
		goto fail;
	ret = ktstr_scenario_load_buf(yaml, yaml_len, o.scenario, s, &d);
	ktstr_diags_print(stderr, &d);     /* warnings too, even on success */
	if (ret < 0 || d.n_errors > 0) {
		if (d.n_errors == 0)
			fprintf(stderr, "%s: error: cannot load scenario: %s\n", o.scenario,
				strerror(ret < 0 ? -ret : EINVAL));
		remove_outputs(&o);
		goto out;
	}
	abs = realpath(o.scenario, NULL);

	spec = (struct ktstr_compile_spec){
		.name = o.name,
		.source_path = abs ? abs : o.scenario,
		.yaml = yaml,
		.yaml_len = yaml_len,
		.agent_path = o.agent,
		.profile = prof.name,
		.exe_path = o.exe,
		.labels = o.labels,
		.n_labels = o.n_labels,
		.timeout_s = compile_timeout(&o, &prof, s),
		.timeout_signal = ktstr_cmake_version_at_least(o.cmake_version, 3, 27),
		.kernels = o.kernels,
		.n_kernels = o.n_kernels,
		.profile_values = o.profile_file ? &prof : NULL,
		.shard = true,
	};
	resource_groups(&o, s, &spec);
	vars = calloc(KTSTR_MAX_VARIANTS, sizeof(*vars));
	names = calloc(KTSTR_MAX_VARIANTS, sizeof(*names));
	ret = vars && names ? compile_variants(&o, &prof, s, vars, names, &spec.timeout_s) : -ENOMEM;
	if (ret < 0) {
		ktstr_err_set(&err, ret, "cannot enumerate the variants of %s: %s", o.scenario,
			      strerror(-ret));
		goto fail;
	}
	spec.variants = vars;
	spec.n_variants = (size_t)ret;

	if (emit(o.c_out, ktstr_gen_c_source, &spec, &err) ||
	    emit(o.ctest_out, ktstr_gen_ctest, &spec, &err))
		goto fail;
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "ktstr compile: %s\n", err.msg);
	remove_outputs(&o);
out:
	ktstr_diags_free(&d);
	free(vars);
	free(names);
	free(abs);
	free(yaml);
	free(s);
	return rc;
}
