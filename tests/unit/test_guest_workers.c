// SPDX-License-Identifier: GPL-2.0-only
/*
 * Worker processes on the host: two-phase start, telemetry, stop.  No
 * cgroups here (placement is covered by the VM run); the workers run in the
 * test's own cgroup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "test_guest_spawn.h"
#include "workers.h"

static void scenario(struct ktstr_scenario *s, unsigned a, unsigned b)
{
	memset(s, 0, sizeof(*s));
	s->n_cgroups = 2;
	s->cgroups[0].groups[0].workers = a;
	s->cgroups[1].groups[0].workers = b;
	snprintf(s->cgroups[0].name, sizeof(s->cgroups[0].name), "cg_0");
	snprintf(s->cgroups[1].name, sizeof(s->cgroups[1].name), "cg_1");
}

static void test_run_and_stop(void **state)
{
	static struct ktstr_scenario s;
	static struct agent_workers ws;
	struct ktstr_err err = { 0 };
	uint64_t before;

	(void)state;
	scenario(&s, 2, 1);
	assert_int_equal(test_spawn_all(&ws, &s, &err), 0);
	assert_int_equal(ws.n, 3);
	assert_string_equal(ws.w[2].cgroup, "cg_1");
	/* phase one: forked but blocked on the start pipe */
	agent_sleep_ms(50);
	assert_int_equal(agent_workers_units(&ws), 0);
	assert_int_equal(agent_workers_alive(&ws), 3);
	agent_workers_release(&ws);
	agent_sleep_ms(200);
	before = agent_workers_units(&ws);
	assert_true(before > 0);
	assert_int_equal(before % 1024, 0);
	assert_int_equal(agent_workers_stop(&ws, AGENT_STOP_DEADLINE_MS), 0);
	for (unsigned i = 0; i < ws.n; i++) {
		const struct agent_worker_slot *slot = &ws.shm->slots[i];
		struct ktstr_cpuset used;

		assert_int_equal(ws.w[i].status, AGENT_WORKER_OK);
		assert_int_equal(slot->done, 1);
		assert_true(slot->work_units > 0);
		assert_true(slot->wall_ns >= 100000000ull);
		assert_int_equal(agent_worker_wall_ns(&ws, i), slot->wall_ns);
		assert_true(slot->cpu_ns > 0);
		assert_true(slot->max_gap_ns > 0);
		assert_true(slot->max_gap_at_ns <= slot->wall_ns);
		memcpy(used.bits, slot->cpus_used, sizeof(used.bits));
		assert_true(ktstr_cpuset_count(&used) >= 1);
		assert_true(ktstr_cpuset_test(&used, (unsigned)slot->max_gap_cpu));
	}
	assert_int_equal(agent_workers_alive(&ws), 0);
}

static void test_crash_and_abort(void **state)
{
	static struct ktstr_scenario s;
	static struct agent_workers ws;
	struct ktstr_err err = { 0 };

	(void)state;
	scenario(&s, 1, 1);
	assert_int_equal(test_spawn_all(&ws, &s, &err), 0);
	agent_workers_release(&ws);
	agent_sleep_ms(20);
	kill(ws.w[1].pid, SIGSEGV);
	/* an early death shows up in the alive count */
	for (int i = 0; i < 200 && agent_workers_alive(&ws) != 1; i++)
		agent_sleep_ms(5);
	assert_int_equal(agent_workers_alive(&ws), 1);
	agent_workers_abort(&ws);
	assert_int_equal(ws.w[0].status, AGENT_WORKER_OK);
	assert_int_equal(ws.w[1].status, AGENT_WORKER_CRASHED);
	assert_int_equal(ws.w[1].signal, SIGSEGV);
	assert_string_equal(agent_worker_status_name(ws.w[1].status), "crashed");

	/* aborted before the start: they leave without doing any work */
	assert_int_equal(test_spawn_all(&ws, &s, &err), 0);
	agent_workers_abort(&ws);
	assert_int_equal(agent_workers_units(&ws), 0);
	assert_int_equal(ws.w[0].status, AGENT_WORKER_OK);
}

static void test_killed(void **state)
{
	static struct ktstr_scenario s;
	static struct agent_workers ws;
	struct ktstr_err err = { 0 };

	(void)state;
	scenario(&s, 1, 0);
	assert_int_equal(test_spawn_all(&ws, &s, &err), 0);
	agent_workers_release(&ws);
	agent_sleep_ms(20);
	/* a stopped worker cannot see the stop flag: it misses the deadline */
	kill(ws.w[0].pid, SIGSTOP);
	assert_int_equal(agent_workers_stop(&ws, 100), 1);
	assert_int_equal(ws.w[0].status, AGENT_WORKER_KILLED);
	assert_int_equal(ws.shm->slots[0].done, 0);
	/* no final fields: the wall time is the parent's view, covering the gap */
	assert_true(agent_worker_wall_ns(&ws, 0) >= 100000000ull);
	assert_true(agent_worker_wall_ns(&ws, 0) >= ws.shm->slots[0].max_gap_ns);
	assert_string_equal(agent_worker_status_name(ws.w[0].status), "killed");
}

/*
 * Frozen time is not a gap: SIGSTOP stands in for cgroup.freeze.  The
 * bookkeeping happens before the thaw (SIGCONT), as the agent does it; a
 * worker stopped just as long without it shows the whole pause as its gap.
 * A worker below a frozen cgroup is frozen too.
 */
static void test_frozen_not_a_gap(void **state)
{
	static struct ktstr_scenario s;
	static struct agent_workers ws;
	static const char frozen[1][KTSTR_CGPATH_MAX] = { "par" };
	struct ktstr_err err = { 0 };

	(void)state;
	scenario(&s, 1, 1);
	snprintf(s.cgroups[0].name, sizeof(s.cgroups[0].name), "par/a");
	assert_int_equal(test_spawn_all(&ws, &s, &err), 0);
	agent_workers_release(&ws);
	agent_sleep_ms(20);
	agent_workers_sync_frozen(&ws, frozen, 1, agent_mono_ns());
	assert_true(ws.w[0].frozen_since_ns > 0);        /* par/a lies below par */
	assert_int_equal(ws.w[1].frozen_since_ns, 0);    /* cg_1 does not */
	kill(ws.w[0].pid, SIGSTOP);
	kill(ws.w[1].pid, SIGSTOP);
	/* long enough that a loaded host's own delays (ASan, -j2) cannot pass for it */
	agent_sleep_ms(1500);
	agent_workers_sync_frozen(&ws, frozen, 0, agent_mono_ns());
	assert_int_equal(ws.w[0].frozen_since_ns, 0);
	assert_true(ws.shm->slots[0].paused_ns >= 1500000000ull);
	kill(ws.w[0].pid, SIGCONT);
	kill(ws.w[1].pid, SIGCONT);
	agent_sleep_ms(50);
	assert_int_equal(agent_workers_stop(&ws, AGENT_STOP_DEADLINE_MS), 0);
	assert_true(ws.shm->slots[0].max_gap_ns < 1000000000ull);
	assert_true(ws.shm->slots[1].max_gap_ns >= 1500000000ull);
}

/*
 * A worker that does not get to run after its release (SIGSTOP stands in
 * for a scheduler that never picks it) shows the wait as its first gap and
 * in its wall time: its clock starts at the release, not at its first
 * instruction.
 */
static void test_wait_after_release(void **state)
{
	static struct ktstr_scenario s;
	static struct agent_workers ws;
	struct ktstr_err err = { 0 };

	(void)state;
	scenario(&s, 1, 0);
	assert_int_equal(test_spawn_all(&ws, &s, &err), 0);
	agent_sleep_ms(20);                 /* blocked on the start pipe by now */
	kill(ws.w[0].pid, SIGSTOP);
	agent_workers_release(&ws);
	assert_true(ws.shm->slots[0].released_ns > 0);
	agent_sleep_ms(400);
	kill(ws.w[0].pid, SIGCONT);
	agent_sleep_ms(50);
	assert_int_equal(agent_workers_stop(&ws, AGENT_STOP_DEADLINE_MS), 0);
	assert_true(ws.shm->slots[0].max_gap_ns >= 400000000ull);
	assert_true(ws.shm->slots[0].wall_ns >= 450000000ull);
}

static void test_limits(void **state)
{
	static struct ktstr_scenario s;
	static struct agent_workers ws;
	struct ktstr_err err = { 0 };

	(void)state;
	scenario(&s, KTSTR_MAX_WORKERS, 1);
	assert_int_equal(test_spawn_all(&ws, &s, &err), -E2BIG);
	assert_string_equal(err.msg, "513 workers exceed the agent's limit of 512");
	assert_non_null(agent_work_get(KTSTR_WORK_SPIN));
	assert_null(agent_work_get(KTSTR_WORK__COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_and_stop),
		cmocka_unit_test(test_crash_and_abort),
		cmocka_unit_test(test_killed),
		cmocka_unit_test(test_frozen_not_a_gap),
		cmocka_unit_test(test_wait_after_release),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
