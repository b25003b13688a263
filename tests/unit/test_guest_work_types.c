// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every work type, run for ~200 ms by the real worker code in host
 * processes: each worker makes progress, pairs and round-based groups
 * progress in lockstep, and workers blocked in a pipe or futex wait still
 * stop promptly.
 * The telemetry comes along: checkpoints per node, the affinity union,
 * schedstat, and wake-up latencies for the types whose workers wake.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unistd.h>

#include "clock.h"
#include "test_guest_spawn.h"
#include "workers.h"

/* Generous for a loaded CI host; a worker stuck in a wait would take the 5 s deadline. */
#define PROMPT_STOP_NS 2000000000ull

/* Which workers of a type must have recorded wake-up latencies. */
enum wakes { WAKES_NONE, WAKES_ALL, WAKES_RECEIVERS, WAKES_SOME, WAKES_ANY };

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
		/*
		 * No timeslices check: a SCHED_FIFO spinner (RtStarvation) can
		 * run from its first to its last checkpoint without once being
		 * switched out, and pcount counts switches in.
		 */
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

/* Run one cgroup of `type` for run_ms; every worker must progress and stop promptly. */
static const struct agent_workers *run_full_wakes(enum ktstr_work_type type, unsigned workers,
						  const struct ktstr_work_params *params,
						  unsigned run_ms, enum wakes expect, unsigned group)
{
	static struct ktstr_scenario s;
	static struct agent_workers ws;
	struct ktstr_err err = { 0 };
	uint64_t t0, used;

	memset(&s, 0, sizeof(s));
	s.n_cgroups = 1;
	s.cgroups[0].groups[0].workers = workers;
	s.cgroups[0].groups[0].work = type;
	if (params)
		s.cgroups[0].groups[0].work_params = *params;
	assert_int_equal(test_spawn_all(&ws, &s, &err), 0);
	assert_int_equal(ws.n, workers);
	agent_workers_release(&ws);
	agent_sleep_ms(run_ms);
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
	if (expect != WAKES_ANY)
		assert_wakes(type, &ws, expect, group);
	return &ws;
}

static const struct agent_workers *run_full(enum ktstr_work_type type, unsigned workers,
					    const struct ktstr_work_params *params, unsigned run_ms)
{
	return run_full_wakes(type, workers, params, run_ms, WAKES_ANY, 1);
}

static const struct agent_workers *run_type_wakes(enum ktstr_work_type type, unsigned workers,
						  const unsigned *params, enum wakes expect,
						  unsigned group)
{
	struct ktstr_work_params p = { 0 };

	for (unsigned i = 0; params && i < KTSTR_WP__COUNT; i++)
		p.v[i] = params[i];
	return run_full_wakes(type, workers, &p, 200, expect, group);
}

static const struct agent_workers *run_type(enum ktstr_work_type type, unsigned workers,
					    const unsigned *params)
{
	return run_type_wakes(type, workers, params, WAKES_NONE, 1);
}

static uint64_t units(const struct agent_workers *ws, unsigned i)
{
	return ws->shm->slots[i].work_units;
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
		s.cgroups[0].groups[0].workers = 2;
		s.cgroups[0].groups[0].work = pairs[t];
		assert_int_equal(test_spawn_all(&ws, &s, &err), 0);
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
	s.cgroups[0].groups[0].workers = 3;
	s.cgroups[0].groups[0].work = KTSTR_WORK_PIPE_IO;
	assert_int_equal(test_spawn_all(&ws, &s, &err), -EINVAL);
	assert_string_equal(err.msg,
			    "cgroup 'cg_0': PipeIo (group 0) requires num_workers divisible by 2, got 3");
	agent_workers_abort(&ws);
	/* a group sized by a parameter: FutexFanOut's fan_out + 1 */
	s.cgroups[0].groups[0].work = KTSTR_WORK_FUTEX_FAN_OUT;
	s.cgroups[0].groups[0].work_params.v[KTSTR_WP_FAN_OUT] = 3;
	s.cgroups[0].groups[0].workers = 6;
	assert_int_equal(test_spawn_all(&ws, &s, &err), -EINVAL);
	assert_string_equal(err.msg,
			    "cgroup 'cg_0': FutexFanOut (group 0) requires num_workers divisible by 4, got 6");
	agent_workers_abort(&ws);
}

static void test_io_rand_read(void **state)
{
	unsigned p[KTSTR_WP__COUNT] = { [KTSTR_WP_FILE_KB] = 64 };

	(void)state;
	run_type(KTSTR_WORK_IO_RAND_READ, 2, p);
	/* the default 4 MiB file */
	run_type(KTSTR_WORK_IO_RAND_READ, 1, NULL);
}

static void test_io_convoy(void **state)
{
	const struct agent_workers *ws;

	(void)state;
	/* three writers on one file, each made some appends (16 per burst) */
	ws = run_type(KTSTR_WORK_IO_CONVOY, 3, NULL);
	for (unsigned i = 0; i < ws->n; i++)
		assert_int_equal(units(ws, i) % 16, 0);
}

/*
 * A round-based group (messenger + receivers): the messenger starts round
 * R only after every receiver finished round R - 1, so each receiver did
 * between (R - 1) and R rounds of `per_round` units.
 */
static void assert_rounds(const struct agent_workers *ws, unsigned size, uint64_t per_lead_round,
			  uint64_t per_round)
{
	for (unsigned g = 0; g + size <= ws->n; g += size) {
		uint64_t rounds = units(ws, g) / per_lead_round;

		assert_true(rounds > 0);
		for (unsigned k = 1; k < size; k++) {
			print_message("group %u member %u: %llu units, lead rounds %llu\n", g / size, k,
				      (unsigned long long)units(ws, g + k),
				      (unsigned long long)rounds);
			assert_true(units(ws, g + k) <= rounds * per_round);
			assert_true(units(ws, g + k) >= (rounds - 1) * per_round);
		}
	}
}

static void test_fan_out_compute(void **state)
{
	struct ktstr_work_params p = { .v = { [KTSTR_WP_FAN_OUT] = 2,
					      [KTSTR_WP_CACHE_FOOTPRINT_KB] = 16,
					      [KTSTR_WP_OPERATIONS] = 3 } };
	const struct agent_workers *ws;

	(void)state;
	/* two groups of messenger + 2 receivers; a receiver's unit is one multiply */
	ws = run_full(KTSTR_WORK_FAN_OUT_COMPUTE, 6, &p, 300);
	assert_rounds(ws, 3, 1, 3);
}

static void test_fan_out_compute_defaults(void **state)
{
	(void)state;
	/* fan_out 4 (groups of 5), 256 KiB of matrices, 5 multiplies per wake-up */
	assert_rounds(run_full(KTSTR_WORK_FAN_OUT_COMPUTE, 5, NULL, 300), 5, 1, 5);
}

static void test_thundering_herd(void **state)
{
	struct ktstr_work_params p = { .v = { [KTSTR_WP_WAITERS] = 3, [KTSTR_WP_SPIN_ITERS] = 512 } };

	(void)state;
	/* two herds of 3; the waker counts its spins, a waiter its wake-ups */
	assert_rounds(run_full(KTSTR_WORK_THUNDERING_HERD, 8, &p, 300), 4, 512, 1);
}

static void test_wake_chain(void **state)
{
	struct ktstr_work_params p = { .v = { [KTSTR_WP_CHAIN_LEN] = 3, [KTSTR_WP_SPIN_ITERS] = 256 } };
	const struct agent_workers *ws;

	(void)state;
	/* one token per ring of 3: members are never more than one pass apart */
	ws = run_full(KTSTR_WORK_WAKE_CHAIN, 6, &p, 300);
	for (unsigned g = 0; g < 6; g += 3)
		for (unsigned k = 1; k < 3; k++) {
			uint64_t a = units(ws, g), b = units(ws, g + k);

			assert_true(a > 0 && b > 0);
			assert_true((a > b ? a - b : b - a) <= 256);
		}
	/* the default ring of 4 */
	run_type_wakes(KTSTR_WORK_WAKE_CHAIN, 4, NULL, WAKES_ALL, 1);
}

static void test_sequence(void **state)
{
	struct ktstr_work_params p = {
		.phases = { { KTSTR_PHASE_SPIN, 5, { 0, 0 } }, { KTSTR_PHASE_SLEEP, 2, { 0, 0 } },
			    { KTSTR_PHASE_YIELD, 1, { 0, 0 } }, { KTSTR_PHASE_IO, 1, { 0, 0 } } },
		.n_phases = 4,
	};

	(void)state;
	run_full(KTSTR_WORK_SEQUENCE, 2, &p, 200);
}

/* A long sleep phase is blocked time: it never reads as a scheduling gap. */
static void test_sequence_sleep_not_gap(void **state)
{
	struct ktstr_work_params p = {
		.phases = { { KTSTR_PHASE_SPIN, 5, { 0, 0 } }, { KTSTR_PHASE_SLEEP, 300, { 0, 0 } } },
		.n_phases = 2,
	};
	const struct agent_workers *ws;

	(void)state;
	ws = run_full(KTSTR_WORK_SEQUENCE, 1, &p, 700);
	assert_true(ws->shm->slots[0].max_gap_ns < 200000000ull);
}

/*
 * Run one PriorityInversion group.  The holder runs at nice 19 against a
 * nice-0 spinner: on a busy host it may get no CPU at all in a short run
 * (the inversion the type exists to show), so only a holder that made
 * progress is checked, and the caller retries.  Returns holder progress.
 */
static bool priority_inversion_once(struct ktstr_work_params *p, bool relaxed)
{
	static struct ktstr_scenario s;
	static struct agent_workers ws;
	struct ktstr_err err = { 0 };
	uint64_t holder, waiter;

	memset(&s, 0, sizeof(s));
	s.n_cgroups = 1;
	s.cgroups[0].groups[0].workers = 3;
	s.cgroups[0].groups[0].work = KTSTR_WORK_PRIORITY_INVERSION;
	s.cgroups[0].groups[0].work_params = *p;
	assert_int_equal(test_spawn_all(&ws, &s, &err), 0);
	agent_workers_release(&ws);
	agent_sleep_ms(300);
	assert_int_equal(agent_workers_stop(&ws, AGENT_STOP_DEADLINE_MS), 0);
	holder = units(&ws, 0);
	waiter = units(&ws, 1);
	print_message("pi=%u: holder %llu, waiter %llu acquisitions, medium %llu spins\n",
		      p->v[KTSTR_WP_PI], (unsigned long long)holder, (unsigned long long)waiter,
		      (unsigned long long)units(&ws, 2));
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(ws.w[i].status, AGENT_WORKER_OK);
	/* strict turns: the waiter is never more than the current round behind */
	assert_true(holder == waiter || holder == waiter + 1);
	assert_true(units(&ws, 2) > 0 && units(&ws, 2) % 1024 == 0);
	if (!holder && relaxed)
		return false;
	assert_true(holder > 0 && waiter > 0);
	return true;
}

/* Holder and waiter take the lock in strict turns, plain and PI; the medium worker only spins. */
static void test_priority_inversion(void **state)
{
	struct ktstr_work_params p = { .v = { [KTSTR_WP_HOLD_ITERS] = 1024 } };

	(void)state;
	for (unsigned pi = 0; pi <= 1; pi++) {
		unsigned tries = 0;

		p.v[KTSTR_WP_PI] = pi;
		while (!priority_inversion_once(&p, ++tries < 4))
			;
	}
	/* the defaults: plain futex, hold_iters 16384 */
	memset(&p, 0, sizeof(p));
	for (unsigned tries = 0; !priority_inversion_once(&p, ++tries < 4);)
		;
}

/* Whether this process may use SCHED_FIFO (root here, maybe not in CI). */
static bool fifo_allowed(void)
{
	struct sched_param sp = { .sched_priority = 1 };
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(sched_setscheduler(0, SCHED_FIFO, &sp) ? 1 : 0);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void test_rt_starvation(void **state)
{
	struct ktstr_work_params p = { .v = { [KTSTR_WP_RT_BURST_MS] = 2, [KTSTR_WP_RT_SLEEP_MS] = 2 } };
	static struct ktstr_scenario s;
	static struct agent_workers ws;
	struct ktstr_err err = { 0 };

	(void)state;
	if (fifo_allowed()) {
		/* the RT worker and the normal one both progress */
		run_full(KTSTR_WORK_RT_STARVATION, 2, &p, 200);
		return;
	}
	/* no SCHED_FIFO: the RT worker fails its init (crashed, exit 2), its partner runs */
	memset(&s, 0, sizeof(s));
	s.n_cgroups = 1;
	s.cgroups[0].groups[0].workers = 2;
	s.cgroups[0].groups[0].work = KTSTR_WORK_RT_STARVATION;
	s.cgroups[0].groups[0].work_params = p;
	assert_int_equal(test_spawn_all(&ws, &s, &err), 0);
	agent_workers_release(&ws);
	agent_sleep_ms(100);
	assert_int_equal(agent_workers_stop(&ws, AGENT_STOP_DEADLINE_MS), 0);
	assert_int_equal(ws.w[0].status, AGENT_WORKER_CRASHED);
	assert_int_equal(ws.w[0].exit_code, 2);
	assert_int_equal(ws.w[1].status, AGENT_WORKER_OK);
	assert_true(ws.shm->slots[1].work_units > 0);
}

/* Every grouped type names its own group size in the build-time message. */
static void test_group_sizes_new(void **state)
{
	static const struct {
		enum ktstr_work_type type;
		enum ktstr_work_param param;
		unsigned value, workers;
		const char *msg;
	} cases[] = {
		{ KTSTR_WORK_WAKE_CHAIN, KTSTR_WP__COUNT, 0, 3,
		  "cgroup 'cg_0': WakeChain (group 0) requires num_workers divisible by 4, got 3" },
		{ KTSTR_WORK_WAKE_CHAIN, KTSTR_WP_CHAIN_LEN, 3, 4,
		  "cgroup 'cg_0': WakeChain (group 0) requires num_workers divisible by 3, got 4" },
		{ KTSTR_WORK_THUNDERING_HERD, KTSTR_WP__COUNT, 0, 8,
		  "cgroup 'cg_0': ThunderingHerd (group 0) requires num_workers divisible by 9, got 8" },
		{ KTSTR_WORK_THUNDERING_HERD, KTSTR_WP_WAITERS, 2, 4,
		  "cgroup 'cg_0': ThunderingHerd (group 0) requires num_workers divisible by 3, got 4" },
		{ KTSTR_WORK_FAN_OUT_COMPUTE, KTSTR_WP__COUNT, 0, 4,
		  "cgroup 'cg_0': FanOutCompute (group 0) requires num_workers divisible by 5, got 4" },
		{ KTSTR_WORK_PRIORITY_INVERSION, KTSTR_WP__COUNT, 0, 4,
		  "cgroup 'cg_0': PriorityInversion (group 0) requires num_workers divisible by 3, got 4" },
		{ KTSTR_WORK_RT_STARVATION, KTSTR_WP__COUNT, 0, 3,
		  "cgroup 'cg_0': RtStarvation (group 0) requires num_workers divisible by 2, got 3" },
	};
	static struct ktstr_scenario s;
	static struct agent_workers ws;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ktstr_err err = { 0 };

		memset(&s, 0, sizeof(s));
		s.n_cgroups = 1;
		snprintf(s.cgroups[0].name, sizeof(s.cgroups[0].name), "cg_0");
		s.cgroups[0].groups[0].workers = cases[i].workers;
		s.cgroups[0].groups[0].work = cases[i].type;
		if (cases[i].param < KTSTR_WP__COUNT)
			s.cgroups[0].groups[0].work_params.v[cases[i].param] = cases[i].value;
		assert_int_equal(test_spawn_all(&ws, &s, &err), -EINVAL);
		assert_string_equal(err.msg, cases[i].msg);
		agent_workers_abort(&ws);
	}
	/* the ungrouped ones take any count */
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_IO_RAND_READ, NULL), 1);
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_IO_CONVOY, NULL), 1);
	assert_int_equal(ktstr_work_group_size(KTSTR_WORK_SEQUENCE, NULL), 1);
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
		cmocka_unit_test(test_io_rand_read),
		cmocka_unit_test(test_io_convoy),
		cmocka_unit_test(test_fan_out_compute),
		cmocka_unit_test(test_fan_out_compute_defaults),
		cmocka_unit_test(test_thundering_herd),
		cmocka_unit_test(test_wake_chain),
		cmocka_unit_test(test_sequence),
		cmocka_unit_test(test_sequence_sleep_not_gap),
		cmocka_unit_test(test_priority_inversion),
		cmocka_unit_test(test_rt_starvation),
		cmocka_unit_test(test_group_sizes_new),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
