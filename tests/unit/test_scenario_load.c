// SPDX-License-Identifier: GPL-2.0-only
/*
 * Good scenarios: defaults, every key, anchors/aliases/merge keys, every
 * cpuset kind resolved against the declared topology, plus the loader's
 * API edges (buffers, missing files, diagnostics printing).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ktstr/scenario_load.h"
#include "ktstr/topo.h"

#define GOOD KTSTR_TEST_FIXTURES "/yaml/good/"

static void load_ok(const char *path, struct ktstr_scenario *s)
{
	struct ktstr_diags d;
	int ret;

	ktstr_diags_init(&d, path);
	ret = ktstr_scenario_load_file(path, s, &d);
	if (ret || d.n) {
		ktstr_diags_print(stderr, &d);
		fail_msg("%s did not load cleanly (%d)", path, ret);
	}
	ktstr_diags_free(&d);
}

/* Resolve a cgroup's cpuset against the scenario's own topology. */
static const char *resolved(const struct ktstr_scenario *s, unsigned cg, char *buf, size_t len)
{
	struct ktstr_topo_map map;
	struct ktstr_cpuset set;
	char err[256];

	ktstr_topo_map_from_spec(&s->topo, &map);
	assert_int_equal(ktstr_cpuset_resolve(&s->cgroups[cg].cpuset, &map, &set, err, sizeof(err)), 0);
	assert_int_equal(ktstr_cpulist_format(&set, buf, len), 0);
	return buf;
}

static void defaults_applied(void **state)
{
	struct ktstr_scenario s;

	load_ok(GOOD "defaults.yaml", &s);
	assert_int_equal(s.version, 1);
	assert_string_equal(s.name, "defaults");           /* file name, no .yaml */
	assert_string_equal(s.description, "");
	assert_int_equal(s.duration_ms, 4000);
	assert_int_equal(s.topo.numa_nodes, 1);
	assert_int_equal(s.topo.llcs, 1);
	assert_int_equal(s.topo.cores_per_llc, 2);
	assert_int_equal(s.topo.threads_per_core, 1);
	assert_int_equal(s.topo.memory_mb, 512);
	assert_int_equal(s.sched.kind, KTSTR_SCHED_EEVDF);
	assert_int_equal(s.n_cgroups, 1);
	assert_string_equal(s.cgroups[0].name, "cg_0");
	assert_int_equal(s.cgroups[0].groups[0].workers, 2);
	assert_int_equal(s.cgroups[0].groups[0].work, KTSTR_WORK_SPIN);
	assert_int_equal(s.cgroups[0].cpuset.kind, KTSTR_CPUSET_NONE);
	assert_int_equal(s.cgroups[0].loc.line, 3);
	assert_int_equal(s.cgroups[0].loc.col, 5);
	assert_int_equal(s.n_steps, 0);                      /* one step, whole duration */
	assert_int_equal(s.checks.starvation, KTSTR_TRI_UNSET);
	assert_true(s.checks.max_gap_ms < 0);
	assert_true(s.checks.max_spread_pct < 0);
	/* the telemetry checks: all unset, zero would be a threshold */
	assert_int_equal(s.checks.isolation, KTSTR_TRI_UNSET);
	assert_true(s.checks.min_work_rate < 0);
	assert_true(s.checks.max_throughput_cv < 0);
	assert_true(s.checks.max_wake_p99_us < 0);
	assert_true(s.checks.max_migration_ratio < 0);
	assert_true(s.checks.min_numa_locality < 0);
	assert_string_equal(s.source_path, GOOD "defaults.yaml");
}

static void every_key(void **state)
{
	struct ktstr_scenario s;
	const struct ktstr_step *st;

	load_ok(GOOD "full.yaml", &s);
	assert_string_equal(s.name, "full.scenario-1");
	assert_string_equal(s.description, "every key set at least once");
	assert_int_equal(s.duration_ms, 90000);
	assert_int_equal(s.topo.numa_nodes, 2);
	assert_int_equal(s.topo.llcs, 4);
	assert_int_equal(s.topo.threads_per_core, 2);
	assert_int_equal(s.topo.memory_mb, 1536);
	assert_int_equal(s.sched.kind, KTSTR_SCHED_EEVDF);
	assert_int_equal(s.sched.loc.line, 22);
	assert_int_equal(s.n_cgroups, 2);
	assert_int_equal(s.cgroups[0].groups[0].workers, 8);
	assert_int_equal(s.cgroups[0].cpuset.kind, KTSTR_CPUSET_NUMA);
	assert_int_equal(s.cgroups[0].cpuset.index, 0);
	assert_int_equal(s.cgroups[0].cpuset.loc.line, 27);
	assert_int_equal(s.cgroups[1].groups[0].work, KTSTR_WORK_SPIN);

	assert_int_equal(s.n_steps, 2);
	st = &s.steps[0];
	assert_true(st->hold_frac == 0.25);
	assert_int_equal(st->hold_ms, 0);
	assert_int_equal(st->n_ops, 1);
	assert_int_equal(st->ops[0].kind, KTSTR_OP_SET_CPUSET);
	assert_string_equal(st->ops[0].cgroup, "hog");
	assert_int_equal(st->ops[0].cpuset.kind, KTSTR_CPUSET_LLC);
	assert_int_equal(st->ops[0].cpuset.index, 1);
	assert_int_equal(st->ops[0].loc.line, 8);
	assert_int_equal(st->loc.line, 6);
	st = &s.steps[1];
	assert_int_equal(st->hold_ms, 1500);
	assert_int_equal(st->n_ops, 2);
	assert_int_equal(st->ops[0].kind, KTSTR_OP_CLEAR_CPUSET);
	assert_int_equal(st->ops[1].cpuset.kind, KTSTR_CPUSET_EXACT);
	assert_string_equal(st->ops[1].cpuset.exact, "0-1");

	assert_int_equal(s.checks.starvation, KTSTR_TRI_OFF);
	assert_int_equal(s.checks.max_gap_ms, 250);
	assert_true(s.checks.max_spread_pct == 12.5);
	assert_int_equal(s.checks.loc.line, 32);     /* the mapping starts at its first key */
	assert_int_equal(s.checks.isolation, KTSTR_TRI_ON);
	assert_true(s.checks.min_work_rate == 1.5e6);
	assert_true(s.checks.max_throughput_cv == 0.15);
	assert_int_equal(s.checks.max_wake_p99_us, 1500);
	assert_true(s.checks.max_migration_ratio == 0.05);
	assert_true(s.checks.min_numa_locality == 0.9);
}

static void anchors_and_merge(void **state)
{
	struct ktstr_scenario s;
	char buf[64];

	load_ok(GOOD "anchors.yaml", &s);
	assert_int_equal(s.n_cgroups, 3);
	/* a: template + alias for the cpuset */
	assert_string_equal(s.cgroups[0].name, "a");
	assert_int_equal(s.cgroups[0].groups[0].workers, 4);
	assert_int_equal(s.cgroups[0].cpuset.kind, KTSTR_CPUSET_DISJOINT);
	assert_string_equal(resolved(&s, 0, buf, sizeof(buf)), "0-1");
	/* b: its own workers win over the merged ones */
	assert_int_equal(s.cgroups[1].groups[0].workers, 2);
	assert_string_equal(resolved(&s, 1, buf, sizeof(buf)), "2-3");
	/* c: first of the merge list wins */
	assert_int_equal(s.cgroups[2].groups[0].workers, 1);
	assert_int_equal(s.cgroups[2].cpuset.kind, KTSTR_CPUSET_EXACT);
	assert_string_equal(s.cgroups[2].cpuset.exact, "0");
	/* aliased step */
	assert_int_equal(s.n_steps, 2);
	assert_true(s.steps[1].hold_frac == 0.5);
}

static void every_cpuset_kind(void **state)
{
	static const struct { const char *name; enum ktstr_cpuset_kind kind; const char *cpus; } want[] = {
		{ "none", KTSTR_CPUSET_NONE, "" },
		{ "llc3", KTSTR_CPUSET_LLC, "12-14" },        /* CPU 15 stays with the root */
		{ "numa1", KTSTR_CPUSET_NUMA, "8-14" },
		{ "range", KTSTR_CPUSET_RANGE, "0-6" },        /* [0, 7.5) of 15 usable */
		{ "disj0", KTSTR_CPUSET_DISJOINT, "0-2" },
		{ "disj3", KTSTR_CPUSET_DISJOINT, "9-14" },    /* last takes the remainder */
		{ "ovl1", KTSTR_CPUSET_OVERLAP, "2-6" },       /* 3-5 widened by 1 each side */
		{ "exact", KTSTR_CPUSET_EXACT, "1,3,15" },
		{ "plain", KTSTR_CPUSET_EXACT, "4-5,9" },
	};
	struct ktstr_scenario s;
	char buf[64];

	load_ok(GOOD "cpusets.yaml", &s);
	assert_int_equal(s.n_cgroups, sizeof(want) / sizeof(want[0]));
	for (unsigned i = 0; i < s.n_cgroups; i++) {
		assert_string_equal(s.cgroups[i].name, want[i].name);
		assert_int_equal(s.cgroups[i].cpuset.kind, want[i].kind);
		assert_string_equal(resolved(&s, i, buf, sizeof(buf)), want[i].cpus);
	}
}

static void schema_example_loads(void **state)
{
	struct ktstr_scenario s;
	struct ktstr_diags d;

	ktstr_diags_init(&d, "example.yaml");
	assert_int_equal(ktstr_scenario_load_buf(ktstr_schema_example, strlen(ktstr_schema_example),
						 "example.yaml", &s, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(s.name, "split_then_clear");
	assert_int_equal(s.n_cgroups, 2);
	assert_int_equal(s.cgroups[1].groups[0].workers, 2);               /* merged from cg_0 */
	ktstr_diags_free(&d);
}

static void sched_ext_scheduler(void **state)
{
	struct ktstr_scenario s;

	(void)state;
	load_ok(GOOD "sched_ext.yaml", &s);
	assert_int_equal(s.sched.kind, KTSTR_SCHED_NAME);
	assert_string_equal(s.sched.value, "scx_rusty");
	assert_int_equal(s.sched.n_args, 2);
	assert_string_equal(s.sched.args[0], "--slice-us");
	assert_string_equal(s.sched.args[1], "5000");
	assert_int_equal(s.sched.attach_timeout_ms, 30000);
	assert_int_equal(s.n_sysctls, 1);
	assert_string_equal(s.sysctls[0], "kernel.sched_rr_timeslice_ms=10");
	assert_int_equal(s.n_kernel_args, 1);
	assert_string_equal(s.kernel_args[0], "nohz=off");
	assert_true(ktstr_scenario_has_scx(&s));
	assert_string_equal(ktstr_scenario_sched_label(&s), "scx_rusty");
	/* duration + attach bound + stop grace + the wait for the host's verdict */
	assert_true(ktstr_scenario_run_s(&s) == 4.0 + 30.0 + KTSTR_SCHED_STOP_GRACE_MS / 1000.0 +
		    KTSTR_SCHED_VERDICT_WAIT_MS / 1000.0);
	s.sched.kind = KTSTR_SCHED_PATH;
	snprintf(s.sched.value, sizeof(s.sched.value), "/opt/bin/scx_x");
	assert_string_equal(ktstr_scenario_sched_label(&s), "scx_x");
	s.sched.kind = KTSTR_SCHED_EEVDF;
	assert_true(ktstr_scenario_run_s(&s) == 4.0);
	assert_string_equal(ktstr_scenario_sched_label(&s), "eevdf");
}

static void buffer_and_default_names(void **state)
{
	static const char yaml[] = "cgroups: [{name: x}]\n";
	struct ktstr_scenario s;
	struct ktstr_diags d;
	char *out = NULL;
	size_t len = 0;
	FILE *mem;

	ktstr_diags_init(&d, "a/b/quick.yml");
	assert_int_equal(ktstr_scenario_load_buf(yaml, strlen(yaml), "a/b/quick.yml", &s, &d), 0);
	assert_string_equal(s.name, "quick");
	ktstr_diags_free(&d);

	ktstr_diags_init(&d, "");
	assert_int_equal(ktstr_scenario_load_buf(yaml, strlen(yaml), NULL, &s, &d), -EINVAL);
	mem = open_memstream(&out, &len);
	ktstr_diags_print(mem, &d);
	fclose(mem);
	assert_string_equal(out, "ktstr: error: default scenario name '<string>' (from the file "
				 "name) does not match [A-Za-z0-9_.-]{1,63}; add a 'name' key\n");
	free(out);
	ktstr_diags_free(&d);

	/* not NUL-terminated: only len bytes are read */
	ktstr_diags_init(&d, "t.yaml");
	assert_int_equal(ktstr_scenario_load_buf("cgroups: [{name: x}]\nbogus: 1", 21, "t.yaml", &s, &d), 0);
	ktstr_diags_free(&d);
}

static int load_text(const char *yaml, struct ktstr_scenario *s, char **diag)
{
	struct ktstr_diags d;
	size_t len = 0;
	FILE *mem;
	int ret;

	ktstr_diags_init(&d, "t.yaml");
	ret = ktstr_scenario_load_buf(yaml, strlen(yaml), "t.yaml", s, &d);
	mem = open_memstream(diag, &len);
	ktstr_diags_print(mem, &d);
	fclose(mem);
	ktstr_diags_free(&d);
	return ret;
}

static void expect_err_forms(void **state)
{
	struct ktstr_scenario s;
	char *diag = NULL;

	(void)state;
	assert_int_equal(load_text("scheduler: {name: scx_x}\ncgroups: [{name: a}]\n", &s, &diag), 0);
	assert_false(s.expect_err);
	free(diag);
	assert_int_equal(load_text("scheduler: {name: scx_x}\nexpect_err: true\n"
				   "cgroups: [{name: a}]\n", &s, &diag), 0);
	assert_string_equal(diag, "");
	assert_true(s.expect_err);
	assert_string_equal(s.expect_err_text, "");
	free(diag);
	assert_int_equal(load_text("scheduler: {name: scx_x}\nexpect_err: \"R7 invalid mem access 'scalar'\"\n"
				   "cgroups: [{name: a}]\n", &s, &diag), 0);
	assert_true(s.expect_err);
	assert_string_equal(s.expect_err_text, "R7 invalid mem access 'scalar'");
	assert_int_equal(s.expect_err_loc.line, 2);
	free(diag);
	assert_int_equal(load_text("scheduler: {name: scx_x}\nexpect_err: false\n"
				   "cgroups: [{name: a}]\n", &s, &diag), 0);
	assert_false(s.expect_err);
	free(diag);

	/* errors: eevdf cannot fail to load, empty text, a mapping */
	load_text("expect_err: true\ncgroups: [{name: a}]\n", &s, &diag);
	assert_non_null(strstr(diag, "t.yaml:1:13: error: expect_err needs a sched_ext scheduler"));
	free(diag);
	load_text("scheduler: {name: x}\nexpect_err: \"\"\ncgroups: [{name: a}]\n", &s, &diag);
	assert_non_null(strstr(diag, "'expect_err' must not be empty"));
	free(diag);
	load_text("scheduler: {name: x}\nexpect_err: {a: 1}\ncgroups: [{name: a}]\n", &s, &diag);
	assert_non_null(strstr(diag, "true, false or the expected error text"));
	free(diag);
}

static void missing_file(void **state)
{
	struct ktstr_scenario s;
	struct ktstr_diags d;
	char *out = NULL;
	size_t len = 0;
	FILE *mem;

	ktstr_diags_init(&d, NULL);
	assert_int_equal(ktstr_scenario_load_file("/nonexistent/x.yaml", &s, &d), -EINVAL);
	mem = open_memstream(&out, &len);
	ktstr_diags_print(mem, &d);
	fclose(mem);
	assert_string_equal(out, "/nonexistent/x.yaml: error: cannot read scenario file: "
				 "No such file or directory\n");
	free(out);
	ktstr_diags_free(&d);
}

static void diags_format_and_cap(void **state)
{
	struct ktstr_diags d;
	char *out = NULL;
	size_t len = 0;
	FILE *mem;

	ktstr_diags_init(&d, "f.yaml");
	ktstr_diags_add(&d, KTSTR_DIAG_WARNING, (struct ktstr_src_loc){ 3, 7 }, "careful: %d", 1);
	ktstr_diags_add(&d, KTSTR_DIAG_NOTE, (struct ktstr_src_loc){ 0, 0 }, "just so you know");
	/* identical entries (a merged template's error) collapse into one */
	for (int i = 0; i < 60; i++)
		ktstr_diags_add(&d, KTSTR_DIAG_ERROR, (struct ktstr_src_loc){ (unsigned)i / 2 + 1, 1 },
				"problem %d", i / 2);
	assert_int_equal(d.n_errors, 60);                /* repeats count, print once */
	assert_int_equal(d.n, 32);
	for (int i = 0; i < 30; i++)
		ktstr_diags_add(&d, KTSTR_DIAG_ERROR, (struct ktstr_src_loc){ 100, 1 }, "more %d", i);
	assert_int_equal(d.n_errors, 90);
	assert_int_equal(d.n, 52);                       /* 50 errors + 2 others kept */
	mem = open_memstream(&out, &len);
	ktstr_diags_print(mem, &d);
	fclose(mem);
	assert_non_null(strstr(out, "f.yaml:3:7: warning: careful: 1\nf.yaml: note: just so you know\n"
				    "f.yaml:1:1: error: problem 0\n"));
	assert_non_null(strstr(out, "f.yaml:100:1: error: more 19\n"
				    "f.yaml: note: stopped after 50 errors; fix these and run again\n"));
	assert_null(strstr(out, "more 20"));
	free(out);
	ktstr_diags_free(&d);
}

/* Work types: names in any case, the mapping form, and per-type defaults. */
static void work_types(void **state)
{
	static const enum ktstr_work_type want[] = {
		KTSTR_WORK_SPIN, KTSTR_WORK_YIELD_HEAVY, KTSTR_WORK_MIXED, KTSTR_WORK_BURSTY,
		KTSTR_WORK_IO_SYNC_WRITE, KTSTR_WORK_PIPE_IO, KTSTR_WORK_FUTEX_PING_PONG,
		KTSTR_WORK_CACHE_PRESSURE, KTSTR_WORK_FORK_EXIT, KTSTR_WORK_CACHE_YIELD,
		KTSTR_WORK_CACHE_PIPE, KTSTR_WORK_FUTEX_FAN_OUT, KTSTR_WORK_MUTEX_CONTENTION,
		KTSTR_WORK_NICE_SWEEP, KTSTR_WORK_AFFINITY_CHURN, KTSTR_WORK_POLICY_CHURN,
		KTSTR_WORK_PAGE_FAULT_CHURN, KTSTR_WORK_IO_RAND_READ, KTSTR_WORK_IO_CONVOY,
		KTSTR_WORK_FAN_OUT_COMPUTE, KTSTR_WORK_SEQUENCE, KTSTR_WORK_WAKE_CHAIN,
		KTSTR_WORK_THUNDERING_HERD, KTSTR_WORK_PRIORITY_INVERSION, KTSTR_WORK_RT_STARVATION,
	};
	struct ktstr_scenario s;
	const struct ktstr_work_params *p;

	(void)state;
	load_ok(GOOD "work_types.yaml", &s);
	assert_int_equal(s.n_cgroups, sizeof(want) / sizeof(want[0]));
	for (unsigned i = 0; i < s.n_cgroups; i++)
		assert_int_equal(s.cgroups[i].groups[0].work, want[i]);
	/* Bursty: burst_ms given, sleep_ms defaulted; nothing else set */
	p = &s.cgroups[3].groups[0].work_params;
	assert_int_equal(p->v[KTSTR_WP_BURST_MS], 20);
	assert_int_equal(p->v[KTSTR_WP_SLEEP_MS], 100);
	assert_int_equal(p->v[KTSTR_WP_STRIDE], 0);
	assert_int_equal(s.cgroups[3].groups[0].work_loc.line, 7);
	assert_int_equal(s.cgroups[5].groups[0].work_params.v[KTSTR_WP_BURST_ITERS], 256);
	assert_int_equal(s.cgroups[5].groups[0].workers, 2);
	/* the plain-string form takes every default */
	assert_int_equal(s.cgroups[6].groups[0].work_params.v[KTSTR_WP_SPIN_ITERS], 1024);
	assert_int_equal(s.cgroups[7].groups[0].work_params.v[KTSTR_WP_SIZE_KB], 1024);
	assert_int_equal(s.cgroups[7].groups[0].work_params.v[KTSTR_WP_STRIDE], 4160);
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_PIPE_IO, NULL), 2);
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_MIXED, NULL), 1);
	/* grouped by a parameter: fan_out + 1, contenders (default 4) */
	assert_int_equal(ktstr_work_group_size(s.cgroups[11].groups[0].work, &s.cgroups[11].groups[0].work_params), 3);
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_MUTEX_CONTENTION, NULL), 4);
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_FUTEX_FAN_OUT, NULL), 5);
	assert_int_equal(s.cgroups[12].groups[0].work_params.v[KTSTR_WP_HOLD_ITERS], 256);
	assert_int_equal(s.cgroups[14].groups[0].work_params.v[KTSTR_WP_SPIN_ITERS], 256);
	/* the one per-type default: PageFaultChurn spins 64, not 1024 */
	assert_int_equal(s.cgroups[16].groups[0].work_params.v[KTSTR_WP_SPIN_ITERS], 64);
	assert_int_equal(s.cgroups[16].groups[0].work_params.v[KTSTR_WP_REGION_KB], 4096);
	assert_int_equal(s.cgroups[16].groups[0].work_params.v[KTSTR_WP_TOUCHES_PER_CYCLE], 256);
	/* the new types: their own parameters and defaults */
	assert_int_equal(s.cgroups[17].groups[0].work_params.v[KTSTR_WP_FILE_KB], 256);
	assert_int_equal(s.cgroups[18].groups[0].workers, 3);
	p = &s.cgroups[19].groups[0].work_params;
	assert_int_equal(p->v[KTSTR_WP_FAN_OUT], 2);
	assert_int_equal(p->v[KTSTR_WP_OPERATIONS], 2);
	assert_int_equal(p->v[KTSTR_WP_CACHE_FOOTPRINT_KB], 256);
	assert_int_equal(p->v[KTSTR_WP_SLEEP_USEC], 100);
	assert_int_equal(p->v[KTSTR_WP_SPIN_ITERS], 0);
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_FAN_OUT_COMPUTE, p), 3);
	p = &s.cgroups[20].groups[0].work_params;
	assert_int_equal(p->n_phases, 4);
	assert_int_equal(p->phases[0].kind, KTSTR_PHASE_SPIN);
	assert_int_equal(p->phases[0].duration_ms, 5);
	assert_int_equal(p->phases[1].kind, KTSTR_PHASE_SLEEP);
	assert_int_equal(p->phases[1].duration_ms, 2);
	assert_int_equal(p->phases[2].kind, KTSTR_PHASE_YIELD);
	assert_int_equal(p->phases[3].kind, KTSTR_PHASE_IO);
	assert_int_equal(p->phases[3].duration_ms, 1500);
	assert_int_equal(p->phases[3].loc.line, 28);
	assert_int_equal(s.cgroups[21].groups[0].work_params.v[KTSTR_WP_CHAIN_LEN], 4);
	assert_int_equal(s.cgroups[21].groups[0].work_params.v[KTSTR_WP_SPIN_ITERS], 1024);
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_WAKE_CHAIN, NULL), 4);
	p = &s.cgroups[22].groups[0].work_params;
	assert_int_equal(p->v[KTSTR_WP_WAITERS], 2);
	assert_int_equal(p->v[KTSTR_WP_SPIN_ITERS], 100);
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_THUNDERING_HERD, p), 3);
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_THUNDERING_HERD, NULL), 9);
	p = &s.cgroups[23].groups[0].work_params;
	assert_int_equal(p->v[KTSTR_WP_PI], 1);
	/* PriorityInversion holds its lock longer than MutexContention by default */
	assert_int_equal(p->v[KTSTR_WP_HOLD_ITERS], 16384);
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_PRIORITY_INVERSION, NULL), 3);
	p = &s.cgroups[24].groups[0].work_params;
	assert_int_equal(p->v[KTSTR_WP_RT_PRIORITY], 10);
	assert_int_equal(p->v[KTSTR_WP_RT_BURST_MS], 80);
	assert_int_equal(p->v[KTSTR_WP_RT_SLEEP_MS], 20);
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_RT_STARVATION, NULL), 2);
	/* only Sequence takes phases; a type without them keeps none */
	assert_true(ktstr_work_takes_phases(KTSTR_WORK_SEQUENCE));
	assert_false(ktstr_work_takes_phases(KTSTR_WORK_BURSTY));
	assert_int_equal(s.cgroups[3].groups[0].work_params.n_phases, 0);
	assert_string_equal(ktstr_phase_kind_name(KTSTR_PHASE_YIELD), "yield");
	assert_string_equal(ktstr_phase_kind_name(KTSTR_PHASE__COUNT), "?");
	assert_string_equal(ktstr_work_type_name(KTSTR_WORK_FUTEX_PING_PONG), "FutexPingPong");
	assert_string_equal(ktstr_work_type_name(KTSTR_WORK__COUNT), "?");
}

/* `works`, every policy, nice, affinity and mem_policy form (groups.yaml). */
static void work_groups(void **state)
{
	struct ktstr_scenario s;
	const struct ktstr_work_group *g;

	(void)state;
	load_ok(GOOD "groups.yaml", &s);
	assert_int_equal(s.n_cgroups, 5);
	assert_int_equal(ktstr_scenario_total_workers(&s), 18);
	/* classes: four groups, the defaults where a key is left out */
	assert_int_equal(s.cgroups[0].n_groups, 4);
	assert_int_equal(ktstr_cgroup_workers(&s.cgroups[0]), 7);
	g = s.cgroups[0].groups;
	assert_int_equal(g[0].workers, 1);
	assert_int_equal(g[0].work, KTSTR_WORK_SPIN);
	assert_int_equal(g[0].policy.kind, KTSTR_POLICY_NORMAL);
	assert_int_equal(g[0].nice, KTSTR_NICE_UNSET);
	assert_int_equal(g[0].affinity.kind, KTSTR_AFFINITY_INHERIT);
	assert_int_equal(g[0].mempolicy.kind, KTSTR_MEMPOLICY_DEFAULT);
	assert_int_equal(g[0].loc.line, 7);
	assert_int_equal(g[1].workers, 2);
	assert_int_equal(g[1].work, KTSTR_WORK_BURSTY);
	assert_int_equal(g[1].work_params.v[KTSTR_WP_BURST_MS], 50);    /* defaults filled */
	assert_int_equal(g[1].policy.kind, KTSTR_POLICY_BATCH);
	assert_int_equal(g[1].nice, -5);
	assert_int_equal(g[2].policy.kind, KTSTR_POLICY_IDLE);
	assert_int_equal(g[2].nice, 19);
	assert_int_equal(g[3].workers, 3);
	assert_int_equal(g[3].work_params.v[KTSTR_WP_SLEEP_MS], 30);
	assert_int_equal(g[3].policy.kind, KTSTR_POLICY_FIFO);
	assert_int_equal(g[3].policy.priority, 10);
	assert_int_equal(g[3].policy.loc.line, 12);
	assert_int_equal(g[3].policy.loc.col, 17);
	/* rt_dl: rr and deadline */
	g = s.cgroups[1].groups;
	assert_int_equal(s.cgroups[1].n_groups, 2);
	assert_int_equal(g[0].policy.kind, KTSTR_POLICY_RR);
	assert_int_equal(g[0].policy.priority, 99);
	assert_int_equal(g[1].policy.kind, KTSTR_POLICY_DEADLINE);
	assert_int_equal(g[1].policy.runtime_ms, 2);
	assert_int_equal(g[1].policy.deadline_ms, 5);
	assert_int_equal(g[1].policy.period_ms, 10);
	/* pinned: every affinity and mem_policy kind */
	g = s.cgroups[2].groups;
	assert_int_equal(g[0].affinity.kind, KTSTR_AFFINITY_INHERIT);
	assert_int_equal(g[0].mempolicy.kind, KTSTR_MEMPOLICY_DEFAULT);
	assert_int_equal(g[1].affinity.kind, KTSTR_AFFINITY_RANDOM);
	assert_int_equal(g[1].affinity.count, 2);
	assert_int_equal(g[1].mempolicy.kind, KTSTR_MEMPOLICY_LOCAL);
	assert_int_equal(g[2].affinity.kind, KTSTR_AFFINITY_LLC);
	assert_int_equal(g[2].mempolicy.kind, KTSTR_MEMPOLICY_BIND);
	assert_int_equal(g[2].mempolicy.nodes, 0x3);
	assert_int_equal(g[3].affinity.kind, KTSTR_AFFINITY_SINGLE_CPU);
	assert_int_equal(g[3].mempolicy.kind, KTSTR_MEMPOLICY_PREFERRED);
	assert_int_equal(g[3].mempolicy.nodes, 1);                        /* the node number */
	/* flat: the group keys on the cgroup itself are its one group */
	assert_int_equal(s.cgroups[3].n_groups, 1);
	g = s.cgroups[3].groups;
	assert_int_equal(g[0].workers, 4);
	assert_int_equal(g[0].work, KTSTR_WORK_YIELD_HEAVY);
	assert_int_equal(g[0].nice, 3);
	assert_int_equal(g[0].affinity.kind, KTSTR_AFFINITY_EXACT);
	assert_string_equal(g[0].affinity.exact, "1,3");
	assert_int_equal(g[0].mempolicy.kind, KTSTR_MEMPOLICY_INTERLEAVE);
	assert_int_equal(g[0].mempolicy.nodes, 0x3);
	assert_int_equal(g[0].loc.line, 26);                               /* its `workers` */
	/* flags: `{name: true}` means the bare name */
	assert_int_equal(s.cgroups[4].groups[0].affinity.kind, KTSTR_AFFINITY_CROSS_CGROUP);
	assert_int_equal(s.cgroups[4].groups[0].policy.kind, KTSTR_POLICY_BATCH);
	assert_string_equal(ktstr_policy_kind_name(KTSTR_POLICY_DEADLINE), "deadline");
	assert_string_equal(ktstr_affinity_kind_name(KTSTR_AFFINITY_CROSS_CGROUP), "cross_cgroup");
	assert_string_equal(ktstr_mempolicy_kind_name(KTSTR_MEMPOLICY_INTERLEAVE), "interleave");
	assert_string_equal(ktstr_policy_kind_name(KTSTR_POLICY__COUNT), "?");
}

/* A knob's value as the guest writes it to the cgroup file. */
static const char *knob(const struct ktstr_cgroup_def *cg, const char *name)
{
	for (unsigned i = 0; i < cg->n_knobs; i++)
		if (!strcmp(ktstr_knob_name(cg->knobs[i].id), name))
			return cg->knobs[i].value;
	return NULL;
}

/* Every knob and value form, in `knobs` and in set_knob (knobs.yaml). */
static void knobs(void **state)
{
	struct ktstr_scenario s;
	const struct ktstr_op *op;

	(void)state;
	load_ok(GOOD "knobs.yaml", &s);
	assert_int_equal(s.n_cgroups, 6);
	assert_int_equal(s.cgroups[0].n_knobs, 4);
	assert_string_equal(knob(&s.cgroups[0], "cpu.max"), "50000 100000");
	assert_string_equal(knob(&s.cgroups[0], "cpu.max.burst"), "20000");
	assert_string_equal(knob(&s.cgroups[0], "cpu.weight"), "200");
	assert_string_equal(knob(&s.cgroups[0], "cpu.idle"), "1");
	assert_int_equal(s.cgroups[0].knobs[0].loc.line, 5);
	assert_int_equal(s.cgroups[0].knobs[0].loc.col, 7);
	assert_string_equal(knob(&s.cgroups[1], "cpu.max"), "150000 100000");    /* 150% */
	assert_string_equal(knob(&s.cgroups[1], "cpu.weight.nice"), "-5");
	assert_string_equal(knob(&s.cgroups[2], "cpu.max"), "30000 100000");     /* quota alone */
	assert_string_equal(knob(&s.cgroups[3], "cpu.max"), "max 50000");
	assert_string_equal(knob(&s.cgroups[4], "memory.max"), "268435456");     /* 256M in bytes */
	assert_string_equal(knob(&s.cgroups[4], "memory.high"), "max");
	assert_string_equal(knob(&s.cgroups[4], "memory.low"), "16777216");
	assert_string_equal(knob(&s.cgroups[4], "memory.min"), "0");
	assert_string_equal(knob(&s.cgroups[4], "pids.max"), "64");
	assert_string_equal(knob(&s.cgroups[4], "io.weight"), "50");
	assert_string_equal(knob(&s.cgroups[5], "memory.max"), "max");
	assert_string_equal(knob(&s.cgroups[5], "pids.max"), "max");
	assert_null(knob(&s.cgroups[5], "cpu.max"));
	assert_string_equal(ktstr_knob_name(~0u), "?");
	/* set_knob: the same syntax; a quoted number is the same number */
	assert_int_equal(s.steps[0].n_ops, 5);
	op = s.steps[0].ops;
	assert_int_equal(op[0].kind, KTSTR_OP_SET_KNOB);
	assert_string_equal(op[0].cgroup, "cpu");
	assert_string_equal(ktstr_knob_name(op[0].knob.id), "cpu.max");
	assert_string_equal(op[0].knob.value, "25000 100000");
	assert_string_equal(op[1].knob.value, "50");
	assert_string_equal(op[2].knob.value, "1073741824");
	assert_string_equal(op[3].knob.value, "max");
	assert_string_equal(ktstr_knob_name(op[4].knob.id), "cpu.weight.nice");
	assert_string_equal(op[4].knob.value, "7");
}

/* Every cgroup op, nesting, a step's own cgroups and a loop hold (ops.yaml). */
static void ops_and_steps(void **state)
{
	struct ktstr_scenario s;
	const struct ktstr_op *op;
	const struct ktstr_cgroup_def *cg;

	(void)state;
	load_ok(GOOD "ops.yaml", &s);
	/* the backdrop first, then each step's own cgroups in step order */
	assert_int_equal(s.n_cgroups, 8);
	assert_string_equal(s.cgroups[3].name, "par/a");
	assert_int_equal(s.cgroups[3].step, KTSTR_CGROUP_BACKDROP);
	assert_int_equal(ktstr_cgroup_workers(&s.cgroups[2]), 0);           /* par: workers: 0 */
	cg = &s.cgroups[5];
	assert_string_equal(cg->name, "s1");
	assert_int_equal(cg->step, 0);
	assert_int_equal(ktstr_cgroup_workers(cg), 0);
	assert_string_equal(s.cgroups[6].name, "s1/leaf");
	assert_int_equal(s.cgroups[6].step, 0);
	assert_int_equal(s.cgroups[6].groups[0].work, KTSTR_WORK_YIELD_HEAVY);
	assert_int_equal(s.cgroups[6].loc.line, 23);
	assert_string_equal(s.cgroups[7].name, "s1");                       /* again, step 2 */
	assert_int_equal(s.cgroups[7].step, 1);
	assert_int_equal(s.steps[0].n_cgroups, 2);
	assert_int_equal(s.steps[1].n_cgroups, 1);
	assert_int_equal(s.steps[2].n_cgroups, 0);
	/* 6 backdrop-and-step workers plus 3 from spawn ops */
	assert_int_equal(ktstr_scenario_total_workers(&s), 9);

	op = s.steps[0].ops;
	assert_int_equal(s.steps[0].n_ops, 6);
	assert_int_equal(op[0].kind, KTSTR_OP_SET_CPUSET);
	assert_int_equal(op[0].cpuset.kind, KTSTR_CPUSET_DISJOINT);
	assert_int_equal(op[0].cgroup_loc.line, 13);
	assert_int_equal(op[0].cgroup_loc.col, 34);
	assert_int_equal(op[1].kind, KTSTR_OP_SWAP_CPUSETS);
	assert_string_equal(op[1].cgroup, "cg_0");
	assert_string_equal(op[1].to, "cg_1");                             /* `with` */
	assert_int_equal(op[1].to_loc.col, 48);
	assert_int_equal(op[2].kind, KTSTR_OP_ADD_CGROUP);
	assert_int_equal(op[2].cpuset.kind, KTSTR_CPUSET_NONE);
	assert_int_equal(op[3].kind, KTSTR_OP_ADD_CGROUP);
	assert_string_equal(op[3].cgroup, "par/c");
	assert_int_equal(op[3].cpuset.kind, KTSTR_CPUSET_EXACT);
	assert_int_equal(op[4].kind, KTSTR_OP_SPAWN);
	assert_int_equal(op[4].loc.line, 17);
	assert_int_equal(op[4].group, 0);
	assert_int_equal(s.op_groups[0].workers, 2);
	assert_int_equal(s.op_groups[0].work, KTSTR_WORK_BURSTY);
	assert_int_equal(s.op_groups[0].policy.kind, KTSTR_POLICY_BATCH);
	assert_int_equal(op[5].kind, KTSTR_OP_SPAWN_HOST);
	assert_int_equal(op[5].group, 1);
	assert_string_equal(op[5].cgroup, "");
	assert_int_equal(s.op_groups[1].nice, 10);
	assert_int_equal(s.n_op_groups, 2);

	op = s.steps[1].ops;
	assert_true(s.steps[1].hold_frac == 0.25);
	assert_int_equal(op[0].kind, KTSTR_OP_FREEZE);
	assert_string_equal(op[0].cgroup, "par");
	assert_int_equal(op[1].kind, KTSTR_OP_SET_AFFINITY);
	assert_int_equal(op[1].affinity.kind, KTSTR_AFFINITY_RANDOM);
	assert_int_equal(op[1].affinity.count, 1);
	assert_int_equal(op[2].kind, KTSTR_OP_SET_KNOB);
	assert_string_equal(op[2].knob.value, "300");
	assert_int_equal(op[3].kind, KTSTR_OP_STOP_CGROUP);

	op = s.steps[2].ops;
	assert_int_equal(op[0].kind, KTSTR_OP_UNFREEZE);
	assert_int_equal(op[1].kind, KTSTR_OP_MOVE_ALL_TASKS);
	assert_string_equal(op[1].cgroup, "par/a");
	assert_string_equal(op[1].to, "par/b");
	assert_int_equal(op[2].kind, KTSTR_OP_REMOVE_CGROUP);
	assert_int_equal(op[3].kind, KTSTR_OP_REMOVE_CGROUP);
	assert_int_equal(op[4].kind, KTSTR_OP_CLEAR_CPUSET);
	assert_int_equal(op[1].group, -1);
	assert_int_equal(op[1].sched, -1);

	/* the loop step: the rest of the duration, ops every 200ms */
	assert_int_equal(s.steps[3].loop_ms, 200);
	assert_int_equal(s.steps[3].hold_ms, 0);
	assert_int_equal(s.steps[3].n_ops, 5);
	assert_int_equal(s.steps[3].ops[2].cpuset.kind, KTSTR_CPUSET_RANGE);
	assert_int_equal(s.steps[3].ops[4].affinity.kind, KTSTR_AFFINITY_INHERIT);
	assert_string_equal(ktstr_op_kind_name(KTSTR_OP_MOVE_ALL_TASKS), "move_all_tasks");
	assert_string_equal(ktstr_op_kind_name(KTSTR_OP__COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_applied),
		cmocka_unit_test(every_key),
		cmocka_unit_test(anchors_and_merge),
		cmocka_unit_test(every_cpuset_kind),
		cmocka_unit_test(schema_example_loads),
		cmocka_unit_test(sched_ext_scheduler),
		cmocka_unit_test(buffer_and_default_names),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(expect_err_forms),
		cmocka_unit_test(diags_format_and_cap),
		cmocka_unit_test(work_types),
		cmocka_unit_test(work_groups),
		cmocka_unit_test(knobs),
		cmocka_unit_test(ops_and_steps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
