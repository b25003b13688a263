// SPDX-License-Identifier: GPL-2.0-only
/* Threshold merging and the three checks, with their exact messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ktstr/checks.h"

#define MS 1000000ull

static struct ktstr_checks UNSET;

struct fixture {
	struct ktstr_run_result r;
	struct ktstr_scenario s;
	struct ktstr_thresholds th;
	struct ktstr_check_outcome out[KTSTR_CHECK__COUNT];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	ktstr_results_init(&f->r);
	ktstr_checks_merge(&f->th, 1.0, NULL, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* A healthy worker: 4 s wall, `offcpu` percent off-CPU, small gap. */
static struct ktstr_worker_result *add_worker(struct fixture *f, unsigned index, int tid,
					      const char *cg, double offcpu, const char *cpus)
{
	struct ktstr_worker_result *w = &f->r.workers[f->r.n_workers++];

	memset(w, 0, sizeof(*w));
	w->index = index;
	w->tid = tid;
	snprintf(w->cgroup, sizeof(w->cgroup), "%s", cg);
	strcpy(w->work, "SpinWait");
	strcpy(w->status, "ok");
	w->work_units = 1000;
	w->wall_ns = 4000 * MS;
	w->cpu_ns = (uint64_t)((double)w->wall_ns * (100.0 - offcpu) / 100.0);
	w->max_gap_ns = 100 * MS;
	w->max_gap_cpu = 0;
	w->max_gap_at_ns = 500 * MS;
	assert_int_equal(ktstr_cpulist_parse(cpus, &w->cpus_used), 0);
	/* allowed where it ran; 4 checkpoints per CPU, all on node 0 */
	w->allowed = w->cpus_used;
	w->has_allowed = true;
	w->checkpoints = 4 * ktstr_cpuset_count(&w->cpus_used);
	w->node_checkpoints[0] = w->checkpoints;
	return w;
}

static void eval(struct fixture *f)
{
	ktstr_checks_eval(&f->s, &f->th, &f->r, f->out);
}

static void set_cgroups(struct fixture *f, unsigned n, unsigned workers_each)
{
	f->s.n_cgroups = n;
	for (unsigned i = 0; i < n; i++) {
		snprintf(f->s.cgroups[i].name, sizeof(f->s.cgroups[i].name), "cg_%u", i);
		f->s.cgroups[i].groups[0].workers = workers_each;
		f->s.cgroups[i].n_groups = 1;
	}
}

/* ---- merge ------------------------------------------------------------------- */

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ktstr_check_name(KTSTR_CHECK_STARVATION), "starvation");
	assert_string_equal(ktstr_check_name(KTSTR_CHECK_MAX_GAP), "max_gap");
	assert_string_equal(ktstr_check_name(KTSTR_CHECK_SPREAD), "spread");
	assert_string_equal(ktstr_check_name(KTSTR_CHECK_ISOLATION), "isolation");
	assert_string_equal(ktstr_check_name(KTSTR_CHECK_WORK_RATE), "work_rate");
	assert_string_equal(ktstr_check_name(KTSTR_CHECK_THROUGHPUT_CV), "throughput_cv");
	assert_string_equal(ktstr_check_name(KTSTR_CHECK_WAKE_P99), "wake_p99");
	assert_string_equal(ktstr_check_name(KTSTR_CHECK_MIGRATION_RATIO), "migration_ratio");
	assert_string_equal(ktstr_check_name(KTSTR_CHECK_NUMA_LOCALITY), "numa_locality");
	assert_string_equal(ktstr_check_name(KTSTR_CHECK__COUNT), "unknown");
}

static void test_merge_defaults(void **state)
{
	struct ktstr_thresholds th;

	(void)state;
	ktstr_checks_merge(&th, 1.0, NULL, &UNSET);
	assert_true(th.starvation);
	assert_true(th.max_gap_ms == 2000);
	assert_true(th.max_spread_pct == 15);
	assert_true(th.gap_from_default);
	assert_true(th.spread_from_default);
}

static void test_merge_layers(void **state)
{
	struct ktstr_checks sched = UNSET, scen = UNSET;
	struct ktstr_thresholds th;

	(void)state;
	sched.max_gap_ms = 5000;
	sched.max_spread_pct = 40;
	sched.starvation = KTSTR_TRI_OFF;
	ktstr_checks_merge(&th, 1.0, &sched, NULL);
	assert_false(th.starvation);
	assert_true(th.max_gap_ms == 5000);
	assert_true(th.max_spread_pct == 40);
	assert_false(th.gap_from_default);
	assert_false(th.spread_from_default);

	/* The scenario wins over the scheduler; unset fields fall through. */
	scen.max_gap_ms = 1000;
	scen.starvation = KTSTR_TRI_ON;
	ktstr_checks_merge(&th, 1.0, &sched, &scen);
	assert_true(th.starvation);
	assert_true(th.max_gap_ms == 1000);
	assert_true(th.max_spread_pct == 40);

	/* Only the scenario layer set. */
	ktstr_checks_merge(&th, 1.0, NULL, &scen);
	assert_true(th.max_gap_ms == 1000);
	assert_true(th.max_spread_pct == 15);
	assert_true(th.spread_from_default);
}

static void test_merge_timing_factor(void **state)
{
	struct ktstr_checks scen = UNSET;
	struct ktstr_thresholds th;

	(void)state;
	ktstr_checks_merge(&th, 1.5, NULL, NULL);
	assert_true(th.max_gap_ms == 3000);
	assert_true(th.max_spread_pct == 22.5);
	ktstr_checks_merge(&th, 2.0, NULL, NULL);
	assert_true(th.max_gap_ms == 4000);
	assert_true(th.max_spread_pct == 30);
	/* Spread is capped at 35% however slow the machine is. */
	ktstr_checks_merge(&th, 10.0, NULL, NULL);
	assert_true(th.max_gap_ms == 20000);
	assert_true(th.max_spread_pct == 35);
	/* Factors below 1 (or nonsense) never tighten the defaults. */
	ktstr_checks_merge(&th, 0.5, NULL, NULL);
	assert_true(th.max_gap_ms == 2000);
	ktstr_checks_merge(&th, 0.0 / 0.0, NULL, NULL);
	assert_true(th.max_gap_ms == 2000);
	/* Explicit values are never scaled. */
	scen.max_gap_ms = 2500;
	scen.max_spread_pct = 10;
	ktstr_checks_merge(&th, 4.0, NULL, &scen);
	assert_true(th.max_gap_ms == 2500);
	assert_true(th.max_spread_pct == 10);
}

/* ---- evaluation --------------------------------------------------------------- */

static void test_offcpu_pct(void **state)
{
	struct ktstr_worker_result w = { 0 };

	(void)state;
	assert_true(ktstr_worker_offcpu_pct(&w) == 0);
	w.wall_ns = 1000;
	w.cpu_ns = 250;
	assert_true(ktstr_worker_offcpu_pct(&w) == 75);
	w.cpu_ns = 1001;               /* accounting skew: clamp */
	assert_true(ktstr_worker_offcpu_pct(&w) == 0);
}

static void test_all_pass(void **state)
{
	struct fixture *f = *state;

	set_cgroups(f, 2, 2);
	add_worker(f, 0, 101, "cg_0", 10, "0-1");
	add_worker(f, 1, 102, "cg_0", 12, "0-1");
	add_worker(f, 2, 103, "cg_1", 5, "2-3");
	add_worker(f, 3, 104, "cg_1", 9, "2")->max_gap_ns = 250 * MS;
	eval(f);
	for (unsigned i = 0; i < KTSTR_CHECK__COUNT; i++) {
		bool planned = ktstr_check_planned(&f->th, (enum ktstr_check_id)i);

		assert_int_equal(f->out[i].id, i);
		/* only the four default checks run unless a layer sets one */
		assert_int_equal(planned, i <= KTSTR_CHECK_ISOLATION);
		assert_int_equal(f->out[i].enabled, planned);
		assert_true(f->out[i].passed);
		assert_int_equal(f->out[i].n_details, 0);
	}
	assert_string_equal(f->out[KTSTR_CHECK_ISOLATION].summary,
			    "all 4 workers stayed on their allowed CPUs");
	assert_string_equal(f->out[KTSTR_CHECK_WAKE_P99].summary, "not set (checks.max_wake_p99)");
	assert_string_equal(f->out[KTSTR_CHECK_STARVATION].summary,
			    "all 4 workers made progress");
	assert_string_equal(f->out[KTSTR_CHECK_MAX_GAP].summary,
			    "worst 250ms (tid 104) within 2000ms");
	assert_string_equal(f->out[KTSTR_CHECK_SPREAD].summary,
			    "worst 4% in cgroup 'cg_1' within 15%");
}

static void test_starvation_fails(void **state)
{
	struct fixture *f = *state;

	set_cgroups(f, 1, 3);
	add_worker(f, 0, 201, "cg_0", 10, "0");
	add_worker(f, 1, 202, "cg_0", 10, "1")->work_units = 0;
	add_worker(f, 2, 203, "cg_0", 10, "1");
	eval(f);
	assert_false(f->out[KTSTR_CHECK_STARVATION].passed);
	assert_int_equal(f->out[KTSTR_CHECK_STARVATION].n_details, 1);
	assert_string_equal(f->out[KTSTR_CHECK_STARVATION].details[0],
			    "tid 202 starved (0 work units)");
	assert_string_equal(f->out[KTSTR_CHECK_STARVATION].summary,
			    "1 of 3 workers starved");
	assert_true(f->out[KTSTR_CHECK_MAX_GAP].passed);
}

static void test_missing_worker_telemetry(void **state)
{
	struct fixture *f = *state;

	set_cgroups(f, 1, 4);
	add_worker(f, 0, 301, "cg_0", 10, "0");
	add_worker(f, 2, 303, "cg_0", 10, "0");
	eval(f);
	assert_false(f->out[KTSTR_CHECK_STARVATION].passed);
	assert_string_equal(f->out[KTSTR_CHECK_STARVATION].details[0],
			    "telemetry for 2 of 4 workers (no report from worker index 1,3)");
	assert_string_equal(f->out[KTSTR_CHECK_STARVATION].summary,
			    "2 of 4 workers reported");
}

static void test_gap_fails_exact_message(void **state)
{
	struct fixture *f = *state;
	struct ktstr_worker_result *w;

	ktstr_checks_merge(&f->th, 1.5, NULL, NULL);        /* 3000 ms */
	set_cgroups(f, 1, 3);
	add_worker(f, 0, 1, "cg_0", 10, "0-3");
	w = add_worker(f, 1, 2, "cg_0", 10, "0-3");
	w->max_gap_ns = 4500 * MS;
	w->max_gap_cpu = 2;
	w->max_gap_at_ns = 3200 * MS;
	w = add_worker(f, 2, 3, "cg_0", 10, "0-3");
	w->max_gap_ns = 3100 * MS;
	w->max_gap_cpu = -1;                                /* unknown CPU */
	w->max_gap_at_ns = 10 * MS;
	eval(f);
	assert_false(f->out[KTSTR_CHECK_MAX_GAP].passed);
	assert_int_equal(f->out[KTSTR_CHECK_MAX_GAP].n_details, 2);
	assert_string_equal(f->out[KTSTR_CHECK_MAX_GAP].details[0],
			    "tid 2 stuck 4500ms on cpu2 at +3200ms (threshold 3000ms)");
	assert_string_equal(f->out[KTSTR_CHECK_MAX_GAP].details[1],
			    "tid 3 stuck 3100ms at +10ms (threshold 3000ms)");
	assert_string_equal(f->out[KTSTR_CHECK_MAX_GAP].summary,
			    "2 of 3 workers stuck longer than 3000ms");
	assert_true(f->out[KTSTR_CHECK_STARVATION].passed);
}

static void test_gap_boundary(void **state)
{
	struct fixture *f = *state;

	add_worker(f, 0, 1, "a", 0, "0")->max_gap_ns = 2000 * MS;       /* equal: passes */
	eval(f);
	assert_true(f->out[KTSTR_CHECK_MAX_GAP].passed);
	f->r.workers[0].max_gap_ns = 2000 * MS + 1;
	eval(f);
	assert_false(f->out[KTSTR_CHECK_MAX_GAP].passed);
}

static void test_spread_fails_exact_message(void **state)
{
	struct fixture *f = *state;
	struct ktstr_checks scen = UNSET;

	scen.max_spread_pct = 35;
	ktstr_checks_merge(&f->th, 1.0, NULL, &scen);
	set_cgroups(f, 2, 4);
	add_worker(f, 0, 11, "cg_0", 8, "0");
	add_worker(f, 1, 12, "cg_0", 50, "1");
	add_worker(f, 2, 13, "cg_0", 20, "2");
	add_worker(f, 3, 14, "cg_0", 30, "3");
	/* cg_1 is fair */
	add_worker(f, 4, 15, "cg_1", 10, "0");
	add_worker(f, 5, 16, "cg_1", 12, "0");
	add_worker(f, 6, 17, "cg_1", 14, "1");
	add_worker(f, 7, 18, "cg_1", 11, "1");
	eval(f);
	assert_false(f->out[KTSTR_CHECK_SPREAD].passed);
	assert_int_equal(f->out[KTSTR_CHECK_SPREAD].n_details, 1);
	assert_string_equal(f->out[KTSTR_CHECK_SPREAD].details[0],
			    "unfair cgroup: spread=42% (8-50%) 4 workers on 4 cpus "
			    "(threshold 35%) in cgroup 'cg_0'");
	assert_string_equal(f->out[KTSTR_CHECK_SPREAD].summary,
			    "1 of 2 cgroups unfair (threshold 35%)");
}

static void test_spread_uses_scaled_default(void **state)
{
	struct fixture *f = *state;

	ktstr_checks_merge(&f->th, 1.5, NULL, NULL);        /* 22.5% */
	add_worker(f, 0, 1, "cg_0", 10, "0");
	add_worker(f, 1, 2, "cg_0", 35, "0");
	eval(f);
	assert_string_equal(f->out[KTSTR_CHECK_SPREAD].details[0],
			    "unfair cgroup: spread=25% (10-35%) 2 workers on 1 cpus "
			    "(threshold 22.5%) in cgroup 'cg_0'");
}

/* Work groups of one cgroup differ on purpose: each is judged on its own. */
static void test_spread_per_work_group(void **state)
{
	struct fixture *f = *state;

	ktstr_checks_merge(&f->th, 1.0, NULL, NULL);        /* 15% */
	/* group 0 at 10%, group 1 (say, nice 19) at 80%: no spread between them */
	add_worker(f, 0, 1, "cg_0", 10, "0");
	add_worker(f, 1, 2, "cg_0", 12, "0");
	add_worker(f, 2, 3, "cg_0", 80, "1")->group = 1;
	add_worker(f, 3, 4, "cg_0", 81, "1")->group = 1;
	/* a spawned batch that is unfair within itself */
	add_worker(f, 4, 5, "cg_0", 10, "0")->group = KTSTR_SPAWN_GROUP_BASE;
	add_worker(f, 5, 6, "cg_0", 60, "1")->group = KTSTR_SPAWN_GROUP_BASE;
	eval(f);
	assert_false(f->out[KTSTR_CHECK_SPREAD].passed);
	assert_int_equal(f->out[KTSTR_CHECK_SPREAD].n_details, 1);
	assert_string_equal(f->out[KTSTR_CHECK_SPREAD].details[0],
			    "unfair cgroup: spread=50% (10-60%) 2 workers on 2 cpus "
			    "(threshold 15%) in cgroup 'cg_0' (spawned group 0)");
	assert_string_equal(f->out[KTSTR_CHECK_SPREAD].summary,
			    "1 of 3 cgroups unfair (threshold 15%)");
}

static void test_spread_not_applicable(void **state)
{
	struct fixture *f = *state;

	add_worker(f, 0, 1, "cg_0", 10, "0");
	add_worker(f, 1, 2, "cg_1", 90, "1");
	eval(f);
	assert_false(f->out[KTSTR_CHECK_SPREAD].enabled);
	assert_string_equal(f->out[KTSTR_CHECK_SPREAD].summary,
			    "no cgroup has 2 or more finished workers to compare");
}

static void test_spread_ignores_dead_workers(void **state)
{
	struct fixture *f = *state;
	struct ktstr_worker_result *w;

	add_worker(f, 0, 1, "cg_0", 10, "0");
	add_worker(f, 1, 2, "cg_0", 12, "1");
	w = add_worker(f, 2, 3, "cg_0", 0, "1");
	strcpy(w->status, "killed");
	w->cpu_ns = 0;                      /* what the agent reports for it */
	eval(f);
	assert_true(f->out[KTSTR_CHECK_SPREAD].passed);
	assert_string_equal(f->out[KTSTR_CHECK_SPREAD].summary,
			    "worst 2% in cgroup 'cg_0' within 15%");
}

static void test_no_telemetry_fails(void **state)
{
	struct fixture *f = *state;

	set_cgroups(f, 1, 2);
	f->r.stage = KTSTR_STAGE_SCENARIO_STARTED;
	eval(f);
	for (unsigned i = 0; i <= KTSTR_CHECK_ISOLATION; i++) {
		assert_true(f->out[i].enabled);
		assert_false(f->out[i].passed);
		assert_non_null(strstr(f->out[i].summary, "no worker telemetry received"));
	}
	assert_string_equal(f->out[KTSTR_CHECK_STARVATION].summary,
			    "no worker telemetry received (guest stage: scenario started)");
}

static void test_disabled_check(void **state)
{
	struct fixture *f = *state;
	struct ktstr_checks scen = UNSET;

	scen.starvation = KTSTR_TRI_OFF;
	ktstr_checks_merge(&f->th, 1.0, NULL, &scen);
	/* Even with no telemetry, a disabled check is a skip, not a failure... */
	eval(f);
	assert_false(f->out[KTSTR_CHECK_STARVATION].enabled);
	assert_true(f->out[KTSTR_CHECK_STARVATION].passed);
	assert_string_equal(f->out[KTSTR_CHECK_STARVATION].summary,
			    "disabled (checks.starvation: false)");
	/* ...while the checks still on fail for lack of data. */
	assert_true(f->out[KTSTR_CHECK_MAX_GAP].enabled);
	assert_false(f->out[KTSTR_CHECK_MAX_GAP].passed);
	/* A starved worker does not fail a disabled starvation check. */
	add_worker(f, 0, 9, "cg_0", 0, "0")->work_units = 0;
	eval(f);
	assert_false(f->out[KTSTR_CHECK_STARVATION].enabled);
	assert_true(f->out[KTSTR_CHECK_STARVATION].passed);
	assert_int_equal(f->out[KTSTR_CHECK_STARVATION].n_details, 0);
	assert_true(f->out[KTSTR_CHECK_MAX_GAP].passed);
}

static void test_zero_threshold_is_literal(void **state)
{
	struct fixture *f = *state;
	struct ktstr_checks scen = UNSET;

	scen.max_spread_pct = 0;
	ktstr_checks_merge(&f->th, 1.0, NULL, &scen);
	add_worker(f, 0, 1, "cg_0", 10, "0");
	add_worker(f, 1, 2, "cg_0", 11, "0");
	eval(f);
	assert_true(f->out[KTSTR_CHECK_SPREAD].enabled);
	assert_false(f->out[KTSTR_CHECK_SPREAD].passed);
	assert_string_equal(f->out[KTSTR_CHECK_SPREAD].details[0],
			    "unfair cgroup: spread=1% (10-11%) 2 workers on 1 cpus "
			    "(threshold 0%) in cgroup 'cg_0'");
}

static void test_details_capped_and_sorted(void **state)
{
	struct fixture *f = *state;

	/* Reported in reverse order; messages come out in index order. */
	for (int i = 19; i >= 0; i--)
		add_worker(f, (unsigned)i, 1000 + i, "cg_0", 0, "0")->work_units = 0;
	ktstr_checks_eval(NULL, &f->th, &f->r, f->out);
	assert_int_equal(f->out[KTSTR_CHECK_STARVATION].n_details, KTSTR_CHECK_MAX_DETAILS);
	assert_int_equal(f->out[KTSTR_CHECK_STARVATION].n_details_dropped, 4);
	assert_string_equal(f->out[KTSTR_CHECK_STARVATION].details[0],
			    "tid 1000 starved (0 work units)");
	assert_string_equal(f->out[KTSTR_CHECK_STARVATION].details[15],
			    "tid 1015 starved (0 work units)");
}

static void test_done_count_expected(void **state)
{
	struct fixture *f = *state;

	/* No scenario given: DONE's count is the expectation. */
	f->r.n_workers_expected = 2;
	add_worker(f, 0, 5, "cg_0", 0, "0");
	ktstr_checks_eval(NULL, &f->th, &f->r, f->out);
	assert_false(f->out[KTSTR_CHECK_STARVATION].passed);
	assert_string_equal(f->out[KTSTR_CHECK_STARVATION].details[0],
			    "telemetry for 1 of 2 workers (no report from worker index 1)");
}

/* ---- the telemetry checks ------------------------------------------------------ */

static void test_merge_telemetry_checks(void **state)
{
	struct ktstr_checks sched = UNSET, scen = UNSET;
	struct ktstr_thresholds th;

	(void)state;
	/* defaults: isolation on, the rest not set and not planned */
	ktstr_checks_merge(&th, 1.0, NULL, NULL);
	assert_true(th.isolation);
	assert_true(th.min_work_rate < 0 && th.max_throughput_cv < 0 && th.max_wake_p99_us < 0 &&
		    th.max_migration_ratio < 0 && th.min_numa_locality < 0);
	for (unsigned i = 0; i < KTSTR_CHECK__COUNT; i++)
		assert_int_equal(ktstr_check_planned(&th, (enum ktstr_check_id)i),
				 i <= KTSTR_CHECK_ISOLATION);
	/* the scheduler sets some, the scenario overrides some, the rest fall through */
	sched.isolation = KTSTR_TRI_OFF;
	sched.min_work_rate = 1e6;
	sched.max_wake_p99_us = 500;
	sched.max_migration_ratio = 0.2;
	scen.isolation = KTSTR_TRI_ON;
	scen.max_wake_p99_us = 100;
	scen.min_numa_locality = 0.9;
	scen.max_throughput_cv = 0;           /* zero is a value, not "unset" */
	ktstr_checks_merge(&th, 1.0, &sched, &scen);
	assert_true(th.isolation);
	assert_true(th.min_work_rate == 1e6);
	assert_true(th.max_wake_p99_us == 100);
	assert_true(th.max_migration_ratio == 0.2);
	assert_true(th.min_numa_locality == 0.9);
	assert_true(th.max_throughput_cv == 0);
	for (unsigned i = 0; i < KTSTR_CHECK__COUNT; i++)
		assert_true(ktstr_check_planned(&th, (enum ktstr_check_id)i));
	/* the scheduler alone can switch isolation off */
	ktstr_checks_merge(&th, 1.0, &sched, NULL);
	assert_false(th.isolation);
	assert_true(th.max_wake_p99_us == 500);
	assert_true(ktstr_check_planned(&th, KTSTR_CHECK_ISOLATION));   /* as a SKIP */
	assert_false(ktstr_check_planned(&th, KTSTR_CHECK_NUMA_LOCALITY));
}

static void test_telemetry_checks_not_scaled(void **state)
{
	struct ktstr_checks scen = UNSET;
	struct ktstr_thresholds th;

	(void)state;
	/*
	 * TCG (timing factor 3): the defaults that are times scale, the new
	 * checks have no time default to scale, and a value set is literal.
	 */
	ktstr_checks_merge(&th, 3.0, NULL, NULL);
	assert_true(th.max_gap_ms == 6000);
	assert_true(th.isolation);
	assert_true(th.max_wake_p99_us < 0);
	scen.max_wake_p99_us = 50;
	scen.min_work_rate = 2e6;
	scen.max_migration_ratio = 0.25;
	ktstr_checks_merge(&th, 3.0, NULL, &scen);
	assert_true(th.max_wake_p99_us == 50);
	assert_true(th.min_work_rate == 2e6);
	assert_true(th.max_migration_ratio == 0.25);
}

static void test_isolation(void **state)
{
	struct fixture *f = *state;
	struct ktstr_checks scen = UNSET;
	struct ktstr_worker_result *w;
	struct ktstr_check_outcome *o = &f->out[KTSTR_CHECK_ISOLATION];

	set_cgroups(f, 1, 3);
	add_worker(f, 0, 41, "cg_0", 0, "0-3");
	w = add_worker(f, 1, 42, "cg_0", 0, "0-3,5,7");
	assert_int_equal(ktstr_cpulist_parse("0-3", &w->allowed), 0);
	w = add_worker(f, 2, 43, "cg_0", 0, "6");
	w->has_allowed = false;                 /* not measured: left out */
	eval(f);
	assert_true(o->enabled);
	assert_false(o->passed);
	assert_int_equal(o->n_details, 1);
	assert_string_equal(o->details[0],
			    "tid 42 ran on unexpected CPUs 5,7 (allowed 0-3) in cgroup 'cg_0'");
	assert_string_equal(o->summary, "1 of 2 workers ran outside their allowed CPUs");
	/* a wider union (the cpuset grew mid-run) covers it */
	assert_int_equal(ktstr_cpulist_parse("0-7", &f->r.workers[1].allowed), 0);
	eval(f);
	assert_true(o->passed);
	assert_string_equal(o->summary, "all 2 workers stayed on their allowed CPUs");
	/* nobody measured: a failure, not a pass */
	for (unsigned i = 0; i < f->r.n_workers; i++)
		f->r.workers[i].has_allowed = false;
	eval(f);
	assert_false(o->passed);
	assert_string_equal(o->summary, "no worker reported its allowed CPUs");
	/* switched off: a SKIP whatever the data */
	scen.isolation = KTSTR_TRI_OFF;
	ktstr_checks_merge(&f->th, 1.0, NULL, &scen);
	eval(f);
	assert_false(o->enabled);
	assert_true(o->passed);
	assert_string_equal(o->summary, "disabled (checks.isolation: false)");
}

static void test_work_rate(void **state)
{
	struct fixture *f = *state;
	struct ktstr_checks scen = UNSET;
	struct ktstr_worker_result *w;
	struct ktstr_check_outcome *o = &f->out[KTSTR_CHECK_WORK_RATE];

	scen.min_work_rate = 5e6;
	ktstr_checks_merge(&f->th, 1.0, NULL, &scen);
	set_cgroups(f, 1, 3);
	w = add_worker(f, 0, 7, "cg_0", 0, "0");
	w->work_units = 4000000;
	w->cpu_ns = 2000 * MS;                  /* 2M per cpu-second */
	w = add_worker(f, 1, 8, "cg_0", 0, "1");
	w->work_units = 24000000;
	w->cpu_ns = 4000 * MS;                  /* 6M */
	w = add_worker(f, 2, 9, "cg_0", 0, "1");
	strcpy(w->status, "killed");            /* no CPU time: not rated */
	w->cpu_ns = 0;
	eval(f);
	assert_false(o->passed);
	assert_int_equal(o->n_details, 1);
	assert_string_equal(o->details[0],
			    "tid 7 did 2M work units per cpu-second (floor 5M) in cgroup 'cg_0'");
	assert_string_equal(o->summary, "1 of 2 workers below 5M work units per cpu-second");
	/* exactly at the floor passes */
	f->r.workers[0].work_units = 10000000;
	eval(f);
	assert_true(o->passed);
	assert_string_equal(o->summary,
			    "slowest 5M work units per cpu-second (tid 7), floor 5M");
	/* nothing to rate */
	f->r.n_workers = 0;
	add_worker(f, 2, 9, "cg_0", 0, "1")->cpu_ns = 0;
	eval(f);
	assert_false(o->passed);
	assert_string_equal(o->summary, "no finished worker with CPU time to rate");
}

static void test_throughput_cv(void **state)
{
	struct fixture *f = *state;
	struct ktstr_checks scen = UNSET;
	struct ktstr_check_outcome *o = &f->out[KTSTR_CHECK_THROUGHPUT_CV];
	static const uint64_t units[] = { 1000000, 1000000, 2000000, 2000000 };

	scen.max_throughput_cv = 0.10;
	ktstr_checks_merge(&f->th, 1.0, NULL, &scen);
	set_cgroups(f, 2, 4);
	/* cg_0: 1M, 1M, 2M, 2M per cpu-second: mean 1.5M, sd 0.5M, cv 33.3% */
	for (unsigned i = 0; i < 4; i++) {
		struct ktstr_worker_result *w = add_worker(f, i, 20 + (int)i, "cg_0", 0, "0");

		w->work_units = units[i];
		w->cpu_ns = 1000 * MS;
	}
	/* cg_1: even */
	for (unsigned i = 4; i < 6; i++)
		add_worker(f, i, 20 + (int)i, "cg_1", 10, "1");
	eval(f);
	assert_false(o->passed);
	assert_int_equal(o->n_details, 1);
	assert_string_equal(o->details[0],
			    "uneven throughput: cv=33.3% (1M-2M work units per cpu-second) 4 workers "
			    "(threshold 10%) in cgroup 'cg_0'");
	assert_string_equal(o->summary, "1 of 2 cgroups uneven (threshold 10%)");
	/* evened out: passes with the worst cgroup named */
	f->r.workers[0].work_units = f->r.workers[1].work_units = 1900000;
	eval(f);
	assert_true(o->passed);
	assert_string_equal(o->summary, "worst cv 2.6% in cgroup 'cg_0' within 10%");
	/* one worker per cgroup: nothing to compare, a SKIP */
	f->r.n_workers = 0;
	add_worker(f, 0, 1, "cg_0", 0, "0");
	add_worker(f, 1, 2, "cg_1", 0, "0");
	eval(f);
	assert_false(o->enabled);
	assert_string_equal(o->summary, "no cgroup has 2 or more finished workers to compare");
}

static void add_wakes(struct ktstr_worker_result *w, unsigned n, uint64_t ns)
{
	for (unsigned i = 0; i < n; i++)
		ktstr_wake_hist_add(&w->wake, ns);
}

static void test_wake_p99(void **state)
{
	struct fixture *f = *state;
	struct ktstr_checks scen = UNSET;
	struct ktstr_check_outcome *o = &f->out[KTSTR_CHECK_WAKE_P99];
	struct ktstr_worker_result *w;

	scen.max_wake_p99_us = 1000;
	ktstr_checks_merge(&f->th, 1.0, NULL, &scen);
	set_cgroups(f, 1, 3);
	w = add_worker(f, 0, 5, "cg_0", 0, "0");
	add_wakes(w, 98, 10 * 1000);
	add_wakes(w, 2, 5 * MS);
	w = add_worker(f, 1, 6, "cg_0", 0, "1");
	add_wakes(w, 100, 200 * 1000);
	add_worker(f, 2, 7, "cg_0", 0, "1");    /* never woken: left out */
	eval(f);
	assert_false(o->passed);
	assert_int_equal(o->n_details, 1);
	/* p99 is sample 99: a 5 ms one; p50 the upper edge of 10 us's bucket */
	assert_string_equal(o->details[0],
			    "tid 5 wake-up p99 5ms (p50 11us, max 5ms, 100 wake-ups) (threshold 1ms) "
			    "in cgroup 'cg_0'");
	assert_string_equal(o->summary, "1 of 2 workers with a wake-up p99 above 1ms");
	/* equal to the threshold passes */
	scen.max_wake_p99_us = 5000;
	ktstr_checks_merge(&f->th, 1.0, NULL, &scen);
	eval(f);
	assert_true(o->passed);
	assert_string_equal(o->summary, "worst p99 5ms (tid 5) within 5ms");
	/* 1us: a sub-microsecond wake-up passes, anything slower fails */
	scen.max_wake_p99_us = 1;
	ktstr_checks_merge(&f->th, 1.0, NULL, &scen);
	f->r.n_workers = 0;
	add_wakes(add_worker(f, 0, 5, "cg_0", 0, "0"), 10, 800);
	eval(f);
	assert_true(o->passed);
	add_wakes(add_worker(f, 1, 6, "cg_0", 0, "0"), 10, 1300);
	eval(f);
	assert_false(o->passed);
	assert_string_equal(o->details[0],
			    "tid 6 wake-up p99 1.3us (p50 1.3us, max 1.3us, 10 wake-ups) "
			    "(threshold 1us) in cgroup 'cg_0'");
	/* set, but no worker woke: a finding, not a pass */
	f->r.n_workers = 0;
	add_worker(f, 0, 5, "cg_0", 0, "0");
	eval(f);
	assert_false(o->passed);
	assert_int_equal(o->n_details, 0);
	assert_string_equal(o->summary, "no worker recorded a wake-up");
}

static void test_migration_ratio(void **state)
{
	struct fixture *f = *state;
	struct ktstr_checks scen = UNSET;
	struct ktstr_check_outcome *o = &f->out[KTSTR_CHECK_MIGRATION_RATIO];
	struct ktstr_worker_result *w;

	scen.max_migration_ratio = 0.1;
	ktstr_checks_merge(&f->th, 1.0, NULL, &scen);
	set_cgroups(f, 2, 2);
	w = add_worker(f, 0, 1, "cg_0", 0, "0-3");
	w->checkpoints = 1000;
	w->migrations = 400;
	w = add_worker(f, 1, 2, "cg_0", 0, "0-3");
	w->checkpoints = 1000;
	w->migrations = 440;
	w = add_worker(f, 2, 3, "cg_1", 0, "0");
	w->checkpoints = 500;
	w->migrations = 5;
	add_worker(f, 3, 4, "cg_1", 0, "0")->checkpoints = 0;  /* not measured */
	eval(f);
	assert_false(o->passed);
	assert_int_equal(o->n_details, 1);
	assert_string_equal(o->details[0],
			    "high migration ratio: 0.42 (840 migrations in 2000 checkpoints) "
			    "2 workers (threshold 0.1) in cgroup 'cg_0'");
	assert_string_equal(o->summary, "1 of 2 cgroups above 0.1");
	scen.max_migration_ratio = 0.5;
	ktstr_checks_merge(&f->th, 1.0, NULL, &scen);
	eval(f);
	assert_true(o->passed);
	assert_string_equal(o->summary, "worst 0.42 in cgroup 'cg_0' within 0.5");
	for (unsigned i = 0; i < f->r.n_workers; i++)
		f->r.workers[i].checkpoints = 0;
	eval(f);
	assert_false(o->passed);
	assert_string_equal(o->summary, "no worker reported its checkpoints");
}

static void test_numa_locality(void **state)
{
	struct fixture *f = *state;
	struct ktstr_checks scen = UNSET;
	struct ktstr_check_outcome *o = &f->out[KTSTR_CHECK_NUMA_LOCALITY];
	struct ktstr_worker_result *w;
	unsigned node, nodes;

	scen.min_numa_locality = 0.9;
	ktstr_checks_merge(&f->th, 1.0, NULL, &scen);
	f->r.topo.valid = true;
	f->r.topo.numa_nodes = 2;
	set_cgroups(f, 1, 2);
	w = add_worker(f, 0, 9, "cg_0", 0, "0-3");
	w->node_checkpoints[0] = 45;
	w->node_checkpoints[1] = 55;
	assert_true(ktstr_worker_numa_locality(w, &node, &nodes) == 0.55);
	assert_int_equal(node, 1);
	assert_int_equal(nodes, 2);
	add_worker(f, 1, 10, "cg_0", 0, "0");   /* all on node 0: 100% */
	eval(f);
	assert_false(o->passed);
	assert_int_equal(o->n_details, 1);
	assert_string_equal(o->details[0],
			    "tid 9 numa locality 55% (node 1, 2 nodes used) (threshold 90%) in "
			    "cgroup 'cg_0'");
	assert_string_equal(o->summary, "1 of 2 workers below 90% on their main node");
	f->r.workers[0].node_checkpoints[0] = 5;
	eval(f);
	assert_true(o->passed);
	assert_string_equal(o->summary, "lowest 91.7% (tid 9) within 90%");
	/* no per-node counts at all: a failure */
	memset(f->r.workers[0].node_checkpoints, 0, sizeof(f->r.workers[0].node_checkpoints));
	memset(f->r.workers[1].node_checkpoints, 0, sizeof(f->r.workers[1].node_checkpoints));
	eval(f);
	assert_false(o->passed);
	assert_string_equal(o->summary, "no worker reported checkpoints per NUMA node");
	/* one node: nothing to measure, a SKIP */
	f->r.topo.numa_nodes = 1;
	eval(f);
	assert_false(o->enabled);
	assert_string_equal(o->summary, "the guest has 1 NUMA node: nothing to be local to");
}

static void test_format_helpers(void **state)
{
	char b[32];

	(void)state;
	ktstr_format_ns(850, b, sizeof(b));
	assert_string_equal(b, "850ns");
	ktstr_format_ns(1000, b, sizeof(b));
	assert_string_equal(b, "1us");
	ktstr_format_ns(31400, b, sizeof(b));
	assert_string_equal(b, "31.4us");
	ktstr_format_ns(2100000, b, sizeof(b));
	assert_string_equal(b, "2.1ms");
	ktstr_format_ns(1200000000, b, sizeof(b));
	assert_string_equal(b, "1.2s");
	ktstr_format_si(950, b, sizeof(b));
	assert_string_equal(b, "950");
	ktstr_format_si(12345, b, sizeof(b));
	assert_string_equal(b, "12.3k");
	ktstr_format_si(5e6, b, sizeof(b));
	assert_string_equal(b, "5M");
	ktstr_format_si(1.234e9, b, sizeof(b));
	assert_string_equal(b, "1.23G");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

static int group_setup(void **state)
{
	(void)state;
	ktstr_checks_unset(&UNSET);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_merge_defaults),
		cmocka_unit_test(test_merge_layers),
		cmocka_unit_test(test_merge_timing_factor),
		cmocka_unit_test(test_offcpu_pct),
		T(test_all_pass),
		T(test_starvation_fails),
		T(test_missing_worker_telemetry),
		T(test_gap_fails_exact_message),
		T(test_gap_boundary),
		T(test_spread_fails_exact_message),
		T(test_spread_uses_scaled_default),
		T(test_spread_per_work_group),
		T(test_spread_not_applicable),
		T(test_spread_ignores_dead_workers),
		T(test_no_telemetry_fails),
		T(test_disabled_check),
		T(test_zero_threshold_is_literal),
		T(test_details_capped_and_sorted),
		T(test_done_count_expected),
		cmocka_unit_test(test_merge_telemetry_checks),
		cmocka_unit_test(test_telemetry_checks_not_scaled),
		T(test_isolation),
		T(test_work_rate),
		T(test_throughput_cv),
		T(test_wake_p99),
		T(test_migration_ratio),
		T(test_numa_locality),
		cmocka_unit_test(test_format_helpers),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
