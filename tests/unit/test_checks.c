// SPDX-License-Identifier: GPL-2.0-only
/* Threshold merging and the three checks, with their exact messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ktstr/checks.h"

#define MS 1000000ull

static const struct ktstr_checks UNSET = { KTSTR_TRI_UNSET, -1, -1, { 0, 0 } };

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
		assert_int_equal(f->out[i].id, i);
		assert_true(f->out[i].enabled);
		assert_true(f->out[i].passed);
		assert_int_equal(f->out[i].n_details, 0);
	}
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
	for (unsigned i = 0; i < KTSTR_CHECK__COUNT; i++) {
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

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

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
		T(test_spread_not_applicable),
		T(test_spread_ignores_dead_workers),
		T(test_no_telemetry_fails),
		T(test_disabled_check),
		T(test_zero_threshold_is_literal),
		T(test_details_capped_and_sorted),
		T(test_done_count_expected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
