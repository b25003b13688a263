// SPDX-License-Identifier: GPL-2.0-only
/*
 * ktstr_run_main(): the whole life of one scenario executable.
 *
 *   options -> embedded scenario -> kernel discovery -> initramfs ->
 *   VM event loop (run_loop.c) -> checks + TAP (run_report.c) -> dump.c
 *
 * Environment problems that make the test impossible here (no kernel)
 * are a SKIP with the reason; everything else that goes wrong is a failure
 * with a dump.  Nothing is left behind: the VM dies with us, the initramfs
 * is a memfd, and the run directory is written only when there is
 * something to look at.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "initramfs.h"
#include "preflight.h"
#include "ktstr/scenario_load.h"
#include "kvm_memo.h"
#include "ktstr/variants.h"
#include "runner.h"
#include "sched_host.h"

#define DEFAULT_BUSYBOX "/bin/busybox"

static void usage(const struct ktstr_embedded_scenario *sc, FILE *out)
{
	fprintf(out,
		"usage: %s [options]\n"
		"\n"
		"Runs the ktstr scenario '%s' (from %s) in its own VM and prints TAP.\n"
		"\n"
		"options:\n"
		"  --harness=tap|ctest     how a skip is reported: tap (default) prints\n"
		"                          '1..0 # SKIP' and exits 0; ctest exits %d\n"
		"                          (the test's SKIP_RETURN_CODE)\n"
		"  --harness-timeout=SEC   the harness kills us after SEC seconds; the VM\n"
		"                          watchdog fires before that (also\n"
		"                          KTSTR_HARNESS_TIMEOUT)\n"
		"  --kernel=IMAGE          boot this bzImage (like KTSTR_TEST_KERNEL)\n"
		"  --accel=auto|kvm|tcg    auto: KVM when /dev/kvm is usable, else TCG\n"
		"  --tcg-threads=single|multi\n"
		"                          TCG threading (default single: reliable)\n"
		"  --profile=NAME          timeout profile (default: %s)\n"
		"  --keep                  keep the run directory even when the test passes\n"
		"  --runs-dir=DIR          where run directories go (KTSTR_RUNS_DIR)\n"
		"  --verbose               full kernel console, echoed to stderr\n"
		"  --qemu=PATH             QEMU binary (KTSTR_QEMU)\n"
		"  --qemu-arg=ARG          pass ARG to QEMU (repeatable), e.g. --qemu-arg=-cpu\n"
		"                          --qemu-arg=max\n"
		"  --infra-retries=N       retry a VM that fails before the guest agent\n"
		"                          starts (QEMU crash, boot hang) N times\n"
		"                          (default 2; KTSTR_INFRA_RETRIES)\n"
		"  --print-scenario        print the embedded scenario and exit\n"
		"  --variant=NAME          run this variant of a scenario with a matrix or\n"
		"                          scheduler flags (default: the first one)\n"
		"  --list-variants         print the scenario's variant names and exit\n"
		"  --help                  this text\n"
		"\n"
		"environment: KTSTR_TEST_KERNEL, KTSTR_KERNEL, KTSTR_CACHE_DIR (kernel\n"
		"discovery, see docs/kernels.md), KTSTR_AGENT, KTSTR_BUSYBOX, KTSTR_QEMU,\n"
		"KTSTR_RUNS_DIR, KTSTR_HARNESS_TIMEOUT, KTSTR_VERBOSE, KTSTR_ACCEL,\n"
		"KTSTR_INFRA_RETRIES.\n"
		"exit status: 0 pass (or skip under tap), 1 failure, 2 usage, %d skip\n"
		"under --harness=ctest.\n",
		program_invocation_short_name, sc->name, sc->source_path, KTSTR_EXIT_SKIP,
		sc->profile && *sc->profile ? sc->profile : "default", KTSTR_EXIT_SKIP);
}

enum {
	OPT_HARNESS = 256, OPT_HARNESS_TIMEOUT, OPT_KERNEL, OPT_ACCEL, OPT_TCG_THREADS,
	OPT_PROFILE, OPT_KEEP, OPT_RUNS_DIR, OPT_VERBOSE, OPT_QEMU, OPT_FAULT,
	OPT_PRINT, OPT_HELP, OPT_PROGRESS_TIMEOUT, OPT_BOOT_BUDGET, OPT_INFRA_RETRIES, OPT_QEMU_ARG,
	OPT_VARIANT, OPT_LIST_VARIANTS,
};

static int parse_opts(struct ktstr_runner *r, int argc, char **argv, bool *exit_now)
{
	static const struct option longopts[] = {
		{ "harness", required_argument, NULL, OPT_HARNESS },
		{ "harness-timeout", required_argument, NULL, OPT_HARNESS_TIMEOUT },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "accel", required_argument, NULL, OPT_ACCEL },
		{ "tcg-threads", required_argument, NULL, OPT_TCG_THREADS },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "runs-dir", required_argument, NULL, OPT_RUNS_DIR },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "qemu", required_argument, NULL, OPT_QEMU },
		/* Guest agent fault injection, for ktstr's own watchdog tests. */
		{ "agent-fault", required_argument, NULL, OPT_FAULT },
		/* Watchdog overrides, for ktstr's own watchdog tests. */
		{ "progress-timeout", required_argument, NULL, OPT_PROGRESS_TIMEOUT },
		{ "boot-budget", required_argument, NULL, OPT_BOOT_BUDGET },
		{ "infra-retries", required_argument, NULL, OPT_INFRA_RETRIES },
		{ "qemu-arg", required_argument, NULL, OPT_QEMU_ARG },
		{ "print-scenario", no_argument, NULL, OPT_PRINT },
		{ "variant", required_argument, NULL, OPT_VARIANT },
		{ "list-variants", no_argument, NULL, OPT_LIST_VARIANTS },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0 },
	};
	const char *env;
	int c;

	r->opts.profile = r->sc->profile && *r->sc->profile ? r->sc->profile : "default";
	env = getenv("KTSTR_HARNESS_TIMEOUT");
	if (env && *env)
		r->opts.harness_timeout_s = strtod(env, NULL);
	env = getenv("KTSTR_VERBOSE");
	r->opts.verbose = env && *env && strcmp(env, "0");
	r->opts.runs_dir = getenv("KTSTR_RUNS_DIR");
	env = getenv("KTSTR_INFRA_RETRIES");
	if (env && *env)
		r->opts.infra_retries = (unsigned)strtoul(env, NULL, 10);
	env = getenv("KTSTR_ACCEL");
	if (env && *env && ktstr_accel_parse(env, &r->opts.accel))
		fprintf(stderr, "%s: ignoring KTSTR_ACCEL='%s' (auto, kvm or tcg)\n",
			program_invocation_short_name, env);

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_HARNESS:
			if (!strcmp(optarg, "ctest"))
				r->opts.harness = KTSTR_HARNESS_CTEST;
			else if (!strcmp(optarg, "tap"))
				r->opts.harness = KTSTR_HARNESS_TAP;
			else
				goto bad;
			break;
		case OPT_HARNESS_TIMEOUT:
			r->opts.harness_timeout_s = strtod(optarg, NULL);
			break;
		case OPT_KERNEL: r->opts.kernel = optarg; break;
		case OPT_ACCEL:
			if (ktstr_accel_parse(optarg, &r->opts.accel))
				goto bad;
			break;
		case OPT_TCG_THREADS:
			if (strcmp(optarg, "single") && strcmp(optarg, "multi"))
				goto bad;
			r->opts.tcg_multithread = !strcmp(optarg, "multi");
			break;
		case OPT_PROFILE: r->opts.profile = optarg; break;
		case OPT_KEEP: r->opts.keep = true; break;
		case OPT_RUNS_DIR: r->opts.runs_dir = optarg; break;
		case OPT_VERBOSE: r->opts.verbose = true; break;
		case OPT_QEMU: r->opts.qemu = optarg; break;
		case OPT_FAULT: r->opts.fault = optarg; break;
		case OPT_PROGRESS_TIMEOUT: r->opts.progress_timeout_s = strtod(optarg, NULL); break;
		case OPT_BOOT_BUDGET: r->opts.boot_budget_s = strtod(optarg, NULL); break;
		case OPT_INFRA_RETRIES: r->opts.infra_retries = (unsigned)strtoul(optarg, NULL, 10); break;
		case OPT_QEMU_ARG:
			if (r->opts.n_qemu_args == sizeof(r->opts.qemu_args) / sizeof(r->opts.qemu_args[0])) {
				fprintf(stderr, "%s: too many --qemu-arg options (at most 16)\n",
					program_invocation_short_name);
				*exit_now = true;
				return KTSTR_EXIT_USAGE;
			}
			r->opts.qemu_args[r->opts.n_qemu_args++] = optarg;
			break;
		case OPT_VARIANT: r->opts.variant = optarg; break;
		case OPT_LIST_VARIANTS: r->opts.list_variants = true; break;
		case OPT_PRINT:
			fwrite(r->sc->yaml, 1, r->sc->yaml_len, stdout);
			*exit_now = true;
			return KTSTR_EXIT_PASS;
		case OPT_HELP:
			usage(r->sc, stdout);
			*exit_now = true;
			return KTSTR_EXIT_PASS;
		default:
			usage(r->sc, stderr);
			*exit_now = true;
			return KTSTR_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s' (see --help)\n",
			program_invocation_short_name, argv[optind]);
		*exit_now = true;
		return KTSTR_EXIT_USAGE;
	}
	return 0;
bad:
	fprintf(stderr, "%s: invalid value '%s' (see --help)\n", program_invocation_short_name,
		optarg);
	*exit_now = true;
	return KTSTR_EXIT_USAGE;
}

static int skip_all(struct ktstr_runner *r, const char *reason, const char *details)
{
	ktstr_tap_header(&r->tap);
	ktstr_tap_skip_all(&r->tap, reason);
	if (details && *details)
		ktstr_tap_diag_text(&r->tap, details);
	fflush(stdout);
	return r->opts.harness == KTSTR_HARNESS_CTEST ? KTSTR_EXIT_SKIP : KTSTR_EXIT_PASS;
}

static int bail(struct ktstr_runner *r, const char *msg)
{
	ktstr_tap_header(&r->tap);
	ktstr_tap_diag_text(&r->tap, msg);
	ktstr_tap_bail(&r->tap, msg);
	fflush(stdout);
	return KTSTR_EXIT_FAIL;
}

static int load_scenario(struct ktstr_runner *r)
{
	struct ktstr_diags d;
	int rc;

	ktstr_diags_init(&d, r->sc->source_path);
	rc = ktstr_scenario_load_buf(r->sc->yaml, r->sc->yaml_len, r->sc->source_path,
				     &r->scenario, &d);
	if (rc) {
		/* Validated at build time, so this means ktstr itself changed. */
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		if (m) {
			fprintf(m, "the embedded scenario no longer loads; rebuild the test:\n");
			ktstr_diags_print(m, &d);
			fclose(m);
		}
		rc = bail(r, buf ? buf : "the embedded scenario no longer loads; rebuild the test");
		free(buf);
	}
	ktstr_diags_free(&d);
	return rc;
}

/*
 * A scenario with a matrix or scheduler flags runs one variant: --variant,
 * else the first.  The guest applies the same one (ktstr.variant=, run_loop.c).
 * 0 to go on; 1 when --list-variants printed them; KTSTR_EXIT_USAGE.
 */
static int select_variant(struct ktstr_runner *r)
{
	unsigned n = ktstr_scenario_variant_count(&r->scenario);
	char list[1024];
	int rc;

	if (r->opts.list_variants) {
		for (unsigned i = 0; i < n; i++)
			if (!ktstr_scenario_variant_get(&r->scenario, i, &r->variant))
				printf("%s\n", r->variant.name);
		if (!n)
			fprintf(stderr, "%s: scenario '%s' has no variants (no matrix, no scheduler "
				"flags)\n", program_invocation_short_name, r->sc->name);
		return 1;
	}
	if (!n) {
		if (!r->opts.variant)
			return 0;
		fprintf(stderr, "%s: --variant=%s: scenario '%s' has no variants (no matrix, no "
			"scheduler flags); run it without --variant\n", program_invocation_short_name,
			r->opts.variant, r->sc->name);
		return KTSTR_EXIT_USAGE;
	}
	if (r->opts.variant)
		rc = ktstr_scenario_variant_find(&r->scenario, r->opts.variant, &r->variant);
	else
		rc = ktstr_scenario_variant_get(&r->scenario, 0, &r->variant);
	if (rc) {
		ktstr_scenario_variant_list(&r->scenario, list, sizeof(list));
		fprintf(stderr, "%s: --variant=%s: scenario '%s' has no such variant; its variants: "
			"%s (--list-variants)\n", program_invocation_short_name, r->opts.variant,
			r->sc->name, list);
		return KTSTR_EXIT_USAGE;
	}
	rc = ktstr_scenario_variant_apply(&r->scenario, &r->variant);
	if (rc) {
		fprintf(stderr, "%s: cannot apply variant '%s': %s\n", program_invocation_short_name,
			r->variant.name, strerror(-rc));
		return KTSTR_EXIT_USAGE;
	}
	return 0;
}

static int find_kernel(struct ktstr_runner *r, struct ktstr_err *err)
{
	if (r->opts.kernel) {
		if (access(r->opts.kernel, R_OK))
			return ktstr_err_set(err, -ENOENT,
					     "--kernel=%s: cannot read the kernel image: %s",
					     r->opts.kernel, strerror(errno));
		setenv("KTSTR_TEST_KERNEL", r->opts.kernel, 1);
	}
	return ktstr_kernel_resolve(&r->kernel, err);
}

/*
 * A failure before the guest agent said hello is the infrastructure's (QEMU,
 * the host, a TCG boot that hung before userspace), never the scheduler's:
 * nothing of the scenario ran yet.  A kernel panic is the exception: the
 * kernel under test is part of what is being tested.
 */
static bool infra_failure(const struct ktstr_runner *r, char *why, size_t len)
{
	if (r->t_hello > 0 || r->kernel_panic[0] || r->end == KTSTR_END_SIGNAL)
		return false;
	switch (r->end) {
	case KTSTR_END_BOOT_TIMEOUT:
	case KTSTR_END_DEADLINE:
		snprintf(why, len, "no guest agent within %.0fs, %s", r->to.boot_budget_s,
			 r->t_first_console > 0 ? "the kernel printed but userspace never reported" :
						  "no console output at all");
		return true;
	case KTSTR_END_VM_EXITED: {
		char how[128];

		ktstr_vm_describe_exit(r->vm, how, sizeof(how));
		snprintf(why, len, "QEMU %s during boot", how);
		return true;
	}
	case KTSTR_END_START_FAILED:
		/* fork/socket exhaustion is transient; a missing QEMU is not. */
		if (r->start_errno == EAGAIN || r->start_errno == ENOMEM ||
		    r->start_errno == EMFILE || r->start_errno == ENFILE) {
			snprintf(why, len, "QEMU could not be started: %s", strerror(r->start_errno));
			return true;
		}
		return false;
	default:
		return false;
	}
}

/* Another attempt needs a whole boot budget plus the scenario before the harness kills us. */
static bool time_for_another_attempt(const struct ktstr_runner *r)
{
	double left;

	if (r->opts.harness_timeout_s <= 0)
		return true;
	left = r->opts.harness_timeout_s - r->profile.dump_margin_s - (ktstr_now() - r->t_start);
	return left >= r->to.boot_budget_s * 0.5 + (double)r->scenario.duration_ms / 1000.0;
}

static void compute_budgets(struct ktstr_runner *r)
{
	double harness = r->opts.harness_timeout_s;

	ktstr_timeouts_compute(&r->profile, r->accel == KTSTR_ACCEL_TCG,
			       ktstr_topology_cpus(&r->scenario.topo),
			       ktstr_scenario_run_s(&r->scenario), &r->to);
	if (r->opts.progress_timeout_s > 0)
		r->to.progress_timeout_s = r->opts.progress_timeout_s;
	if (r->opts.boot_budget_s > 0)
		r->to.boot_budget_s = r->opts.boot_budget_s;
	/* Earlier attempts already used part of the harness's time. */
	if (harness > 0)
		harness -= ktstr_now() - r->t_start;
	/* No harness timeout (prove): 0, the profile alone decides. */
	ktstr_timeouts_apply_harness(&r->to, &r->profile,
				     r->opts.harness_timeout_s > 0 ? (harness > 1 ? harness : 1) : 0);
}

/* KVM was chosen automatically and QEMU died before the guest said anything. */
static bool kvm_unusable(const struct ktstr_runner *r)
{
	return r->accel == KTSTR_ACCEL_KVM && r->opts.accel == KTSTR_ACCEL_AUTO &&
	       r->end == KTSTR_END_VM_EXITED && r->t_hello == 0 &&
	       r->kernel_panic[0] == '\0' && r->t_vm_end < 5.0;
}

static void reset_vm_state(struct ktstr_runner *r)
{
	ktstr_vm_destroy(r->vm);
	r->vm = NULL;
	ktstr_frame_parser_free(&r->parser);
	free(r->console.buf);
	memset(&r->console, 0, sizeof(r->console));
	free(r->schedlog.buf);
	memset(&r->schedlog, 0, sizeof(r->schedlog));
	ktstr_results_init(&r->res);
	r->qemu_stderr[0] = '\0';
	r->qemu_stderr_len = 0;
	r->vm_error[0] = '\0';
	r->t0 = r->t_first_console = r->t_hello = r->t_last_frame = r->t_vm_end = 0;
	r->end = KTSTR_END_NONE;
	r->end_signal = 0;
	r->start_errno = 0;
	r->verdict_requested = r->verdict_sent = r->dump_requested = false;
	r->verdict_failed[0] = '\0';
}

int ktstr_run_main(const struct ktstr_embedded_scenario *sc, int argc, char **argv)
{
	struct ktstr_runner *r = calloc(1, sizeof(*r));
	struct ktstr_initramfs_info info;
	struct ktstr_initramfs_file files[1 + KTSTR_GUEST_MAX_FILES];
	unsigned n_files = 1;
	struct ktstr_err err = { 0 };
	struct ktstr_lock kernel_lock = { .fd = -1 };
	const char *agent, *busybox;
	bool exit_now = false;
	int rc, initrd = -1;

	if (!r) {
		fprintf(stderr, "out of memory\n");
		return KTSTR_EXIT_FAIL;
	}
	/* TAP must not interleave with our own stderr chatter in odd ways. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	r->sc = sc;
	r->t_start = ktstr_now();
	r->attempts = 1;
	r->opts.infra_retries = 2;
	ktstr_tap_init(&r->tap, stdout);
	ktstr_results_init(&r->res);

	rc = parse_opts(r, argc, argv, &exit_now);
	if (exit_now)
		goto out;
	/* The profile file's values embedded at build time, unless --profile names another. */
	if (sc->profile_values.name[0] && !strcmp(r->opts.profile, sc->profile_values.name))
		r->profile = sc->profile_values;
	else if (ktstr_profile_get(r->opts.profile, &r->profile)) {
		fprintf(stderr, "%s: unknown timeout profile '%s' (known: default, ci)\n",
			program_invocation_short_name, r->opts.profile);
		rc = KTSTR_EXIT_USAGE;
		goto out;
	}
	rc = load_scenario(r);
	if (rc)
		goto out;
	rc = select_variant(r);
	if (rc) {
		if (rc == 1)
			rc = KTSTR_EXIT_PASS;
		goto out;
	}
	ktstr_topology_label(&r->scenario.topo, r->topo_label, sizeof(r->topo_label));

	rc = find_kernel(r, &err);
	if (rc) {
		rc = skip_all(r, "no kernel found", err.msg);
		goto out;
	}
	/* A shared lock keeps `ktstr kernel clean` from removing it under us. */
	if (ktstr_kernel_lock(&r->kernel, &kernel_lock, &err)) {
		rc = bail(r, err.msg);
		goto out;
	}

	agent = getenv("KTSTR_AGENT");
	if (!agent || !*agent)
		agent = sc->agent_path;
	busybox = getenv("KTSTR_BUSYBOX");
	if (!busybox || !*busybox)
		busybox = DEFAULT_BUSYBOX;
	files[0] = (struct ktstr_initramfs_file){
		.path = "ktstr/scenario.yaml", .data = sc->yaml, .len = sc->yaml_len, .mode = 0644,
	};
	/* A sched_ext scheduler: its binary and libraries go in too (sched_host.c). */
	rc = ktstr_sched_prepare(r, files, sizeof(files) / sizeof(files[0]), &n_files, &err);
	if (rc > 0) {
		rc = skip_all(r, r->sched_skip[0] ? r->sched_skip : "kernel has no sched_ext",
			      err.msg);
		goto out;
	}
	if (rc < 0) {
		rc = bail(r, err.msg);
		goto out;
	}
	if (ktstr_initramfs_build(agent, busybox, files, n_files, &initrd, &info, &err)) {
		rc = bail(r, err.msg);
		goto out;
	}

	if (r->opts.accel == KTSTR_ACCEL_KVM && ktstr_accel_check_kvm(&err)) {
		rc = bail(r, err.msg);
		goto out;
	}
	r->accel = ktstr_accel_resolve(r->opts.accel, r->accel_why, sizeof(r->accel_why));
	if (r->accel == KTSTR_ACCEL_KVM && r->opts.accel == KTSTR_ACCEL_AUTO &&
	    ktstr_kvm_memo_says_unusable()) {
		char memo[512] = "";

		ktstr_kvm_memo_path(memo, sizeof(memo));
		r->accel = KTSTR_ACCEL_TCG;
		snprintf(r->accel_why, sizeof(r->accel_why),
			 "KVM failed earlier in this host boot; delete %s to try it again", memo);
	}
	compute_budgets(r);

	ktstr_tap_header(&r->tap);
	ktstr_tap_plan(&r->tap, ktstr_report_plan_count(r));
	ktstr_tap_diag(&r->tap, "ktstr scenario '%s' (%s): topology %s, %u workers, %.1fs, sched %s",
		       r->scenario.name, sc->source_path, r->topo_label,
		       ktstr_scenario_total_workers(&r->scenario),
		       (double)r->scenario.duration_ms / 1000.0,
		       ktstr_scenario_sched_label(&r->scenario));
	if (r->scenario.variant[0])
		ktstr_tap_diag(&r->tap, "variant %s (%u of %u): topology=%s scheduler=%s%s%s%s",
			       r->variant.name, r->variant.index + 1,
			       ktstr_scenario_variant_count(&r->scenario), r->variant.topology,
			       r->variant.scheduler, r->variant.profile[0] ? " flags=" : "",
			       r->variant.profile, r->opts.variant ? "" : " (the first; --variant "
			       "picks another)");
	if (r->sched_files)
		ktstr_tap_diag(&r->tap, "scheduler %s (found by %s; %s, %u shared libraries)",
			       r->sched_files->bin, r->sched_files->found_by,
			       r->sched_files->is_static ? "static" : "dynamic",
			       r->sched_files->n_libs);
	for (unsigned i = 0; i < r->n_bins; i++)
		ktstr_tap_diag(&r->tap, "%s %s: %s (found by %s; %s, %u shared libraries)",
			       r->bins[i].what ? r->bins[i].what : "op scheduler", r->bins[i].label,
			       r->bins[i].bin, r->bins[i].found_by,
			       r->bins[i].is_static ? "static" : "dynamic", r->bins[i].n_libs);
	ktstr_tap_diag(&r->tap, "kernel %s (%s%s%s), accel %s (%s), initramfs %zu KiB%s",
		       r->kernel.version[0] ? r->kernel.version : r->kernel.image, r->kernel.source,
		       r->kernel.key[0] ? ": " : "", r->kernel.key, ktstr_accel_name(r->accel),
		       r->accel_why, info.total_bytes / 1024,
		       info.cache_hit ? " (base cached)" : "");
	ktstr_tap_diag(&r->tap, "budgets: boot %.0fs, progress %.0fs, vm deadline %.0fs%s",
		       r->to.boot_budget_s, r->to.progress_timeout_s, r->to.vm_deadline_s,
		       r->opts.harness_timeout_s > 0 ? " (below the harness timeout)" : "");
	ktstr_preflight(r);

	for (;;) {
		char why[256];

		ktstr_run_vm(r, initrd);
		if (kvm_unusable(r)) {
			/*
			 * /dev/kvm opened but KVM could not run this guest (nested
			 * or partial KVM: "failed to set MSR" and similar).  Under
			 * --accel=auto that is an infrastructure problem, not a
			 * test result: say so and run the same VM under TCG.  This
			 * does not count as a retry.
			 */
			char how[128];

			ktstr_vm_describe_exit(r->vm, how, sizeof(how));
			ktstr_tap_diag(&r->tap, "KVM could not run the guest (qemu %s%s%.*s); retrying under TCG",
				       how, r->qemu_stderr_len ? ": " : "",
				       (int)strcspn(r->qemu_stderr, "\n"), r->qemu_stderr);
			reset_vm_state(r);
			r->accel = KTSTR_ACCEL_TCG;
			snprintf(r->accel_why, sizeof(r->accel_why), "KVM failed to start the guest");
			/* later runs in this boot go straight to TCG */
			ktstr_kvm_memo_record(how);
			compute_budgets(r);
			ktstr_tap_diag(&r->tap, "budgets: boot %.0fs, progress %.0fs, vm deadline %.0fs",
				       r->to.boot_budget_s, r->to.progress_timeout_s, r->to.vm_deadline_s);
			ktstr_preflight_tcg(r);
			continue;
		}
		if (!infra_failure(r, why, sizeof(why)))
			break;
		r->infra = true;
		if (r->attempts <= sizeof(r->infra_notes) / sizeof(r->infra_notes[0]))
			snprintf(r->infra_notes[r->attempts - 1], sizeof(r->infra_notes[0]),
				 "attempt %u: %s", r->attempts, why);
		if (r->attempts > r->opts.infra_retries || !time_for_another_attempt(r)) {
			ktstr_tap_diag(&r->tap, "infrastructure: attempt %u failed (%s); %s", r->attempts,
				       why, r->attempts > r->opts.infra_retries ?
				       "no retries left" : "no time left for another attempt");
			break;
		}
		ktstr_tap_diag(&r->tap, "infrastructure: attempt %u failed (%s); retrying (%u of %u)",
			       r->attempts, why, r->attempts, r->opts.infra_retries);
		reset_vm_state(r);
		r->attempts++;
		compute_budgets(r);
	}
	rc = ktstr_report(r);
out:
	ktstr_kernel_unlock(&kernel_lock);
	if (initrd >= 0)
		close(initrd);
	if (r->vm)
		ktstr_vm_destroy(r->vm);
	ktstr_frame_parser_free(&r->parser);
	free(r->console.buf);
	free(r->schedlog.buf);
	free(r->sched_files);
	free(r->bins);
	free(r);
	fflush(stdout);
	return rc;
}
