// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every work type, run for ~200 ms by the real worker code in host
 * processes: each worker makes progress, pairs progress in lockstep, and
 * workers blocked in a pipe or futex wait still stop promptly.  The
 * telemetry comes along: checkpoints per node, the affinity union,
 * schedstat, and wake-up latencies for the types whose workers wake.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "workers.h"

/* Generous for a loaded CI host; a worker stuck in a wait would take the 5 s deadline. */
#define PROMPT_STOP_NS 2000000000ull

/* Which workers of a type must have recorded wake-up latencies. */
enum wakes { WAKES_NONE, WAKES_ALL, WAKES_RECEIVERS, WAKES_SOME };

/*
 * The telemetry every worker keeps: checkpoints counted per node (the host
 * map is all node 0 here), the affinity union covering every CPU it ran
 * on, schedstat deltas when the host kernel keeps them.
 */
static void assert_telemetry(const struct agent_worker_slot *slot)
{
	struct ktstr_cpuset used, allowed;
	uint64_t on_nodes = 0;

	assert_true(slot->checkpoints > 0);
	assert_true(slot->migrations < slot->checkpoints);
	for (unsigned n = 0; n < KTSTR_MAX_NUMA_NODES; n++)
		on_nodes += slot->node_checkpoints[n];
	assert_true(on_nodes == slot->checkpoints);
	assert_true(slot->node_checkpoints[0] == slot->checkpoints);
	memcpy(used.bits, slot->cpus_used, sizeof(used.bits));
	memcpy(allowed.bits, slot->allowed, sizeof(allowed.bits));
	assert_true(ktstr_cpuset_count(&allowed) >= 1);
	assert_true(ktstr_cpuset_subset(&used, &allowed));
	if (access("/proc/self/schedstat", R_OK) == 0) {
		assert_int_equal(slot->schedstat_ok, 1);
		assert_true(slot->run_ns > 0);
		assert_true(slot->timeslices > 0);
		/* the kernel's on-CPU time and the process CPU clock agree */
		assert_true(slot->run_ns <= slot->cpu_ns + 50000000ull);
	}
}

static void assert_wakes(enum ktstr_work_type type, const struct agent_workers *ws,
			 enum wakes expect, unsigned group)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < ws->n; i++) {
		const struct ktstr_wake_hist *h = &ws->shm->slots[i].wake;
		uint64_t sum = 0;
		bool want = expect == WAKES_ALL ||
			    (expect == WAKES_RECEIVERS && ws->w[i].group_index % group);

		for (unsigned b = 0; b < KTSTR_WAKE_BUCKETS; b++)
			sum += h->buckets[b];
		print_message("%s worker %u: %llu wake-ups, p50 %llu us, p99 %llu us, max %llu us\n",
			      ktstr_work_type_name(type), i, (unsigned long long)h->count,
			      (unsigned long long)ktstr_wake_percentile(h, 0.5) / 1000,
			      (unsigned long long)ktstr_wake_percentile(h, 0.99) / 1000,
			      (unsigned long long)h->max_ns / 1000);
		assert_true(sum == h->count);
		if (want)
			assert_true(h->count > 0);
		if (expect == WAKES_NONE || (expect == WAKES_RECEIVERS && !want))
			assert_true(h->count == 0);
		if (h->count)
			assert_true(h->max_ns >= ktstr_wake_percentile(h, 0.99));
		total += h->count;
	}
	/* a contended lock: some waiter slept and was handed the lock */
	if (expect == WAKES_SOME)
		assert_true(total > 0);
}

static void run_type_wakes(enum ktstr_work_type type, unsigned workers, const unsigned *params,
			   enum wakes expect, unsigned group);

static void run_type(enum ktstr_work_type type, unsigned workers, const unsigned *params)
{
	run_type_wakes(type, workers, params, WAKES_NONE, 1);
}

static void run_type_wakes(enum ktstr_work_type type, unsigned workers, const unsigned *params,
			   enum wakes expect, unsigned group)
{
	static struct ktstr_scenario s;
	static struct agent_workers ws;
	struct ktstr_err err = { 0 };
	uint64_t t0, used;

	memset(&s, 0, sizeof(s));
	s.n_cgroups = 1;
	s.cgroups[0].workers = workers;
	s.cgroups[0].work = type;
	for (unsigned i = 0; params && i < KTSTR_WP__COUNT; i++)
		s.cgroups[0].work_params.v[i] = params[i];
	assert_int_equal(agent_workers_spawn(&ws, &s, -1, &err), 0);
	assert_int_equal(ws.n, workers);
	agent_workers_release(&ws);
	agent_sleep_ms(200);
	t0 = agent_mono_ns();
	assert_int_equal(agent_workers_stop(&ws, AGENT_STOP_DEADLINE_MS), 0);
	assert_true(agent_mono_ns() - t0 < PROMPT_STOP_NS);
	for (unsigned i = 0; i < ws.n; i++) {
		const struct agent_worker_slot *slot = &ws.shm->slots[i];

		print_message("%s worker %u: %llu units, max gap %llu us\n",
			      ktstr_work_type_name(type), i, (unsigned long long)slot->work_units,
			      (unsigned long long)slot->max_gap_ns / 1000);
		assert_int_equal(ws.w[i].status, AGENT_WORKER_OK);
		assert_int_equal(slot->done, 1);
		assert_true(slot->work_units > 0);
		/* at least one checkpoint: the CPU it ran on was recorded */
		used = 0;
		for (unsigned k = 0; k < KTSTR_MAX_CPUS / 64; k++)
			used |= slot->cpus_used[k];
		assert_true(used != 0);
		assert_telemetry(slot);
	}
	assert_wakes(type, &ws, expect, group);
}

/* Partners hand the turn back and forth: neither gets more than a burst or two ahead. */
static void assert_lockstep(const struct agent_workers *ws, uint64_t burst)
{
	for (unsigned i = 0; i + 1 < ws->n; i += 2) {
		uint64_t a = ws->shm->slots[i].work_units, b = ws->shm->slots[i + 1].work_units;

		assert_true(a > 0 && b > 0);
		assert_true((a > b ? a - b : b - a) <= 2 * burst);
	}
}

static void test_yield_heavy(void **state)
{
	(void)state;
	run_type(KTSTR_WORK_YIELD_HEAVY, 2, NULL);
}

static void test_mixed(void **state)
{
	(void)state;
	run_type(KTSTR_WORK_MIXED, 2, NULL);
}

static void test_bursty(void **state)
{
	unsigned p[KTSTR_WP__COUNT] = { [KTSTR_WP_BURST_MS] = 20, [KTSTR_WP_SLEEP_MS] = 30 };

	(void)state;
	run_type(KTSTR_WORK_BURSTY, 2, p);
}

static void test_bursty_defaults(void **state)
{
	(void)state;
	/* 50 ms on, 100 ms off: the sleep must not read as a gap */
	run_type(KTSTR_WORK_BURSTY, 1, NULL);
}

static void test_io_sync_write(void **state)
{
	(void)state;
	run_type(KTSTR_WORK_IO_SYNC_WRITE, 2, NULL);
}

static void test_pipe_io(void **state)
{
	(void)state;
	run_type_wakes(KTSTR_WORK_PIPE_IO, 4, NULL, WAKES_ALL, 1);
}

static void test_futex_ping_pong(void **state)
{
	(void)state;
	run_type_wakes(KTSTR_WORK_FUTEX_PING_PONG, 4, NULL, WAKES_ALL, 1);
}

static void test_cache_pressure(void **state)
{
	unsigned p[KTSTR_WP__COUNT] = { [KTSTR_WP_SIZE_KB] = 256, [KTSTR_WP_STRIDE] = 4160 };

	(void)state;
	run_type(KTSTR_WORK_CACHE_PRESSURE, 2, NULL);
	run_type(KTSTR_WORK_CACHE_PRESSURE, 1, p);
}

static void test_fork_exit(void **state)
{
	(void)state;
	run_type(KTSTR_WORK_FORK_EXIT, 2, NULL);
}

static void test_cache_yield(void **state)
{
	(void)state;
	run_type(KTSTR_WORK_CACHE_YIELD, 2, NULL);
}

static void test_cache_pipe(void **state)
{
	(void)state;
	run_type_wakes(KTSTR_WORK_CACHE_PIPE, 2, NULL, WAKES_ALL, 1);
}

static void test_futex_fan_out(void **state)
{
	unsigned p[KTSTR_WP__COUNT] = { [KTSTR_WP_FAN_OUT] = 2 };

	(void)state;
	/* two groups of messenger + 2 receivers; every receiver is woken */
	run_type_wakes(KTSTR_WORK_FUTEX_FAN_OUT, 6, p, WAKES_RECEIVERS, 3);
}

static void test_mutex_contention(void **state)
{
	unsigned p[KTSTR_WP__COUNT] = { [KTSTR_WP_CONTENDERS] = 3 };

	(void)state;
	run_type_wakes(KTSTR_WORK_MUTEX_CONTENTION, 4, NULL, WAKES_SOME, 4);
	run_type_wakes(KTSTR_WORK_MUTEX_CONTENTION, 3, p, WAKES_SOME, 3);
}

static void test_churn(void **state)
{
	(void)state;
	run_type(KTSTR_WORK_NICE_SWEEP, 2, NULL);
	run_type(KTSTR_WORK_AFFINITY_CHURN, 2, NULL);
	run_type(KTSTR_WORK_POLICY_CHURN, 2, NULL);
}

static void test_page_fault_churn(void **state)
{
	unsigned p[KTSTR_WP__COUNT] = { [KTSTR_WP_REGION_KB] = 256, [KTSTR_WP_TOUCHES_PER_CYCLE] = 64 };

	(void)state;
	run_type(KTSTR_WORK_PAGE_FAULT_CHURN, 2, NULL);
	run_type(KTSTR_WORK_PAGE_FAULT_CHURN, 1, p);
}

/* Pairs progress together, checked on one run each with the telemetry kept. */
static void test_pairs_lockstep(void **state)
{
	static const enum ktstr_work_type pairs[] = { KTSTR_WORK_PIPE_IO,
						      KTSTR_WORK_FUTEX_PING_PONG,
						      KTSTR_WORK_CACHE_PIPE };
	static struct ktstr_scenario s;
	static struct agent_workers ws;
	struct ktstr_err err = { 0 };

	(void)state;
	for (size_t t = 0; t < sizeof(pairs) / sizeof(pairs[0]); t++) {
		memset(&s, 0, sizeof(s));
		s.n_cgroups = 1;
		s.cgroups[0].workers = 2;
		s.cgroups[0].work = pairs[t];
		assert_int_equal(agent_workers_spawn(&ws, &s, -1, &err), 0);
		agent_workers_release(&ws);
		agent_sleep_ms(200);
		assert_int_equal(agent_workers_stop(&ws, AGENT_STOP_DEADLINE_MS), 0);
		assert_lockstep(&ws, 1024);
	}
}

static void test_group_size(void **state)
{
	static struct ktstr_scenario s;
	static struct agent_workers ws;
	struct ktstr_err err = { 0 };

	(void)state;
	memset(&s, 0, sizeof(s));
	s.n_cgroups = 1;
	snprintf(s.cgroups[0].name, sizeof(s.cgroups[0].name), "cg_0");
	s.cgroups[0].workers = 3;
	s.cgroups[0].work = KTSTR_WORK_PIPE_IO;
	assert_int_equal(agent_workers_spawn(&ws, &s, -1, &err), -EINVAL);
	assert_string_equal(err.msg,
			    "cgroup 'cg_0': PipeIo (group 0) requires num_workers divisible by 2, got 3");
	agent_workers_abort(&ws);
	/* a group sized by a parameter: FutexFanOut's fan_out + 1 */
	s.cgroups[0].work = KTSTR_WORK_FUTEX_FAN_OUT;
	s.cgroups[0].work_params.v[KTSTR_WP_FAN_OUT] = 3;
	s.cgroups[0].workers = 6;
	assert_int_equal(agent_workers_spawn(&ws, &s, -1, &err), -EINVAL);
	assert_string_equal(err.msg,
			    "cgroup 'cg_0': FutexFanOut (group 0) requires num_workers divisible by 4, got 6");
	agent_workers_abort(&ws);
}

static void test_table(void **state)
{
	(void)state;
	for (int i = 0; i < KTSTR_WORK__COUNT; i++) {
		const struct agent_work *w = agent_work_get((enum ktstr_work_type)i);

		assert_non_null(w);
		assert_non_null(w->burst);
		assert_string_equal(w->name, ktstr_work_type_name((enum ktstr_work_type)i));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_yield_heavy),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_bursty),
		cmocka_unit_test(test_bursty_defaults),
		cmocka_unit_test(test_io_sync_write),
		cmocka_unit_test(test_pipe_io),
		cmocka_unit_test(test_futex_ping_pong),
		cmocka_unit_test(test_cache_pressure),
		cmocka_unit_test(test_fork_exit),
		cmocka_unit_test(test_cache_yield),
		cmocka_unit_test(test_cache_pipe),
		cmocka_unit_test(test_futex_fan_out),
		cmocka_unit_test(test_mutex_contention),
		cmocka_unit_test(test_churn),
		cmocka_unit_test(test_page_fault_churn),
		cmocka_unit_test(test_pairs_lockstep),
		cmocka_unit_test(test_group_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
