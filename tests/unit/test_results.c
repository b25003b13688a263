// SPDX-License-Identifier: GPL-2.0-only
/*
 * Result frames: valid payloads decode; every kind of invalid payload is
 * rejected whole and counted.
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

#include "frame_helpers.h"
#include "ktstr/results.h"

static int apply(struct ktstr_run_result *r, unsigned type, const char *json)
{
	struct ktstr_frame f = tframe(type, json);

	return ktstr_results_apply_frame(r, &f, 1.5);
}

/* The frame is rejected and r is otherwise unchanged. */
static void assert_rejected(struct ktstr_run_result *r, unsigned type, const char *json)
{
	static struct ktstr_run_result before;
	unsigned rej = r->frames_rejected;

	before = *r;
	if (apply(r, type, json) != -EINVAL)
		fail_msg("accepted: %s %s", ktstr_frame_type_name(type), json);
	assert_int_equal(r->frames_rejected, rej + 1);
	r->frames_rejected = rej;
	if (memcmp(&before, r, sizeof(before)) != 0)
		fail_msg("rejected frame changed the result: %s", json);
	r->frames_rejected = rej + 1;
}

#define WORKER_FMT                                                                     \
	"{\"index\":%s,\"tid\":%s,\"cgroup\":%s,\"work\":\"SpinWait\",\"work_units\":%s,"     \
	"\"cpu_ns\":%s,\"wall_ns\":10000000000,\"max_gap_ns\":%s,\"max_gap_cpu\":%s,"         \
	"\"max_gap_at_ns\":3200000000,\"migrations\":3,\"cpus\":%s,\"cpuset\":\"0-1\","      \
	"\"nvcsw\":10,\"nivcsw\":20,\"status\":%s}"

struct wfields {
	const char *index, *tid, *cgroup, *units, *cpu_ns, *gap, *gap_cpu, *cpus, *status;
};

static const struct wfields W_OK = { "0", "1234", "\"cg_0\"", "1000", "3000000000",
				     "4500000000", "2", "\"0-1\"", "\"ok\"" };

static char *worker_json(struct wfields w)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), WORKER_FMT, w.index, w.tid, w.cgroup, w.units, w.cpu_ns,
		 w.gap, w.gap_cpu, w.cpus, w.status);
	return buf;
}

static struct ktstr_run_result *new_result(void)
{
	struct ktstr_run_result *r = malloc(sizeof(*r));

	assert_non_null(r);
	ktstr_results_init(r);
	return r;
}

/* ---- valid ------------------------------------------------------------------- */

static void test_init_and_stage_names(void **state)
{
	struct ktstr_run_result *r = new_result();

	(void)state;
	assert_int_equal(r->stage, KTSTR_STAGE_NONE);
	assert_int_equal(r->n_workers, 0);
	assert_string_equal(ktstr_stage_name(KTSTR_STAGE_NONE), "not started");
	assert_string_equal(ktstr_stage_name(KTSTR_STAGE_AGENT_STARTED), "agent started");
	assert_string_equal(ktstr_stage_name(KTSTR_STAGE_RESULTS), "results received");
	assert_string_equal(ktstr_stage_name((enum ktstr_stage)99), "unknown");
	free(r);
}

static void test_timeline_bounded(void **state)
{
	struct ktstr_run_result *r = new_result();

	(void)state;
	for (unsigned i = 0; i < KTSTR_MAX_TIMELINE + 10; i++)
		ktstr_results_event(r, i, -1, "event %u %s", i, "x");
	assert_int_equal(r->n_timeline, KTSTR_MAX_TIMELINE);
	assert_string_equal(r->timeline[3].what, "event 3 x");
	assert_true(r->timeline[3].host_s == 3.0);
	free(r);
}

static void test_hello(void **state)
{
	struct ktstr_run_result *r = new_result();

	(void)state;
	assert_int_equal(apply(r, KTSTR_FRAME_HELLO,
			       "{\"agent\":\"0.1.0\",\"kernel\":\"7.2.13+deb14-cloud-amd64\","
			       "\"uptime_ms\":2400,\"mode\":\"run\"}"), 0);
	assert_string_equal(r->agent_version, "0.1.0");
	assert_string_equal(r->kernel_release, "7.2.13+deb14-cloud-amd64");
	assert_true(r->hello_uptime_s == 2.4);
	assert_int_equal(r->stage, KTSTR_STAGE_AGENT_STARTED);
	assert_int_equal(r->n_timeline, 1);
	assert_true(r->timeline[0].host_s == 1.5);
	assert_non_null(strstr(r->timeline[0].what, "agent 0.1.0 up"));
	assert_int_equal(r->frames_rejected, 0);
	/* mode is optional; unknown keys are ignored */
	assert_int_equal(apply(r, KTSTR_FRAME_HELLO,
			       "{\"agent\":\"0.1.1\",\"kernel\":\"k\",\"uptime_ms\":1.5,\"x\":[]}"), 0);
	free(r);
}

static const char TOPO_2L[] =
	"{\"nr_cpus\":4,\"online\":\"0-3\",\"cpus\":["
	"{\"cpu\":0,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"0-1\",\"siblings\":\"0\"},"
	"{\"cpu\":1,\"package\":0,\"core\":1,\"node\":0,\"llc\":\"0-1\",\"siblings\":\"1\"},"
	"{\"cpu\":2,\"package\":1,\"core\":0,\"node\":1,\"llc\":\"2-3\",\"siblings\":\"2\"},"
	"{\"cpu\":3,\"package\":1,\"core\":1,\"node\":1,\"llc\":\"2-3\",\"siblings\":\"3\"}],"
	"\"mem_total_kb\":480000,\"sched_ext\":{\"present\":true,\"state\":\"disabled\"}}";

static void test_topology(void **state)
{
	struct ktstr_run_result *r = new_result();

	(void)state;
	assert_int_equal(apply(r, KTSTR_FRAME_TOPOLOGY, TOPO_2L), 0);
	assert_true(r->topo.valid);
	assert_int_equal(r->topo.nr_cpus, 4);
	assert_int_equal(r->topo.numa_nodes, 2);
	assert_int_equal(r->topo.llcs, 2);
	assert_int_equal(r->topo.cores, 4);
	assert_int_equal(r->topo.threads_per_core, 1);
	assert_int_equal(r->topo.mem_total_kb, 480000);
	assert_true(r->topo.sched_ext_present);
	assert_string_equal(r->topo.sched_ext_state, "disabled");

	/* SMT: 2 cores x 2 threads, one LLC, one node. */
	assert_int_equal(apply(r, KTSTR_FRAME_TOPOLOGY,
		"{\"nr_cpus\":4,\"online\":\"0-3\",\"cpus\":["
		"{\"cpu\":0,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"0-3\",\"siblings\":\"0,2\"},"
		"{\"cpu\":1,\"package\":0,\"core\":1,\"node\":0,\"llc\":\"0-3\",\"siblings\":\"1,3\"},"
		"{\"cpu\":2,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"0-3\",\"siblings\":\"0,2\"},"
		"{\"cpu\":3,\"package\":0,\"core\":1,\"node\":0,\"llc\":\"0-3\",\"siblings\":\"1,3\"}],"
		"\"mem_total_kb\":1,\"sched_ext\":{\"present\":false,\"state\":\"none\"}}"), 0);
	assert_int_equal(r->topo.numa_nodes, 1);
	assert_int_equal(r->topo.llcs, 1);
	assert_int_equal(r->topo.cores, 2);
	assert_int_equal(r->topo.threads_per_core, 2);
	assert_false(r->topo.sched_ext_present);
	free(r);
}

static void test_stage_progress_done(void **state)
{
	struct ktstr_run_result *r = new_result();

	(void)state;
	assert_int_equal(apply(r, KTSTR_FRAME_STAGE, "{\"stage\":\"scenario_start\",\"t_ms\":0}"), 0);
	assert_int_equal(r->stage, KTSTR_STAGE_SCENARIO_STARTED);
	assert_int_equal(apply(r, KTSTR_FRAME_STAGE,
			       "{\"stage\":\"step\",\"t_ms\":1000,\"step\":1,\"n_steps\":2}"), 0);
	assert_string_equal(r->timeline[1].what, "step 2/2 started");
	assert_true(r->timeline[1].guest_t_ms == 1000);
	assert_int_equal(apply(r, KTSTR_FRAME_PROGRESS,
			       "{\"t_ms\":1500,\"work_units\":123456,\"workers_alive\":4}"), 0);
	assert_int_equal(r->last_progress_units, 123456);
	assert_true(r->last_progress_t_ms == 1500);
	assert_int_equal(r->workers_alive, 4);
	assert_int_equal(r->n_progress, 1);
	assert_int_equal(r->n_timeline, 2);         /* progress adds no event */
	assert_int_equal(apply(r, KTSTR_FRAME_STAGE, "{\"stage\":\"scenario_end\",\"t_ms\":4000.5}"), 0);
	assert_int_equal(r->stage, KTSTR_STAGE_SCENARIO_ENDED);
	/* A late scenario_start does not rewind the stage. */
	assert_int_equal(apply(r, KTSTR_FRAME_STAGE, "{\"stage\":\"scenario_start\",\"t_ms\":1}"), 0);
	assert_int_equal(r->stage, KTSTR_STAGE_SCENARIO_ENDED);
	assert_int_equal(apply(r, KTSTR_FRAME_DONE, "{\"workers\":4,\"t_ms\":4100}"), 0);
	assert_int_equal(r->stage, KTSTR_STAGE_RESULTS);
	assert_int_equal(r->n_workers_expected, 4);
	assert_int_equal(r->frames_rejected, 0);
	free(r);
}

static void test_worker(void **state)
{
	struct ktstr_run_result *r = new_result();
	struct wfields w = W_OK;
	const struct ktstr_worker_result *x;

	(void)state;
	assert_int_equal(apply(r, KTSTR_FRAME_WORKER, worker_json(w)), 0);
	assert_int_equal(r->n_workers, 1);
	x = &r->workers[0];
	assert_int_equal(x->index, 0);
	assert_int_equal(x->tid, 1234);
	assert_string_equal(x->cgroup, "cg_0");
	assert_string_equal(x->work, "SpinWait");
	assert_int_equal(x->work_units, 1000);
	assert_int_equal(x->cpu_ns, 3000000000ull);
	assert_int_equal(x->wall_ns, 10000000000ull);
	assert_int_equal(x->max_gap_ns, 4500000000ull);
	assert_int_equal(r->frames_rejected, 0);
	assert_int_equal(r->n_timeline, 0);
	free(r);
}

static void test_worker_fields(void **state)
{
	struct ktstr_run_result *r = new_result();
	struct wfields w = W_OK;
	const struct ktstr_worker_result *x;

	(void)state;
	w.gap = "2500000000";
	assert_int_equal(apply(r, KTSTR_FRAME_WORKER, worker_json(w)), 0);
	x = &r->workers[0];
	assert_int_equal(x->max_gap_ns, 2500000000ull);
	assert_int_equal(x->max_gap_cpu, 2);
	assert_int_equal(x->max_gap_at_ns, 3200000000ull);
	assert_int_equal(x->migrations, 3);
	assert_int_equal(ktstr_cpuset_count(&x->cpus_used), 2);
	assert_true(x->has_cpuset);
	assert_int_equal(x->nvcsw, 10);
	assert_int_equal(x->nivcsw, 20);
	assert_string_equal(x->status, "ok");

	/* max_gap_cpu -1 (unknown) and the optional keys absent */
	assert_int_equal(apply(r, KTSTR_FRAME_WORKER,
		"{\"index\":1,\"tid\":5,\"cgroup\":\"cg_1\",\"work\":\"SpinWait\",\"work_units\":0,"
		"\"cpu_ns\":0,\"wall_ns\":0,\"max_gap_ns\":0,\"max_gap_cpu\":-1,\"max_gap_at_ns\":0,"
		"\"migrations\":0,\"cpus\":\"\",\"status\":\"killed\"}"), 0);
	x = &r->workers[1];
	assert_int_equal(x->max_gap_cpu, -1);
	assert_false(x->has_cpuset);
	assert_int_equal(x->nvcsw, 0);
	assert_string_equal(x->status, "killed");
	assert_int_equal(r->n_workers, 2);
	free(r);
}

/* W_OK with extra keys appended: `extras` starts with a comma. */
static char *worker_with(const char *extras)
{
	static char buf[4096];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", worker_json(W_OK));
	n = strlen(buf);
	snprintf(buf + n - 1, sizeof(buf) - (n - 1), "%s}", extras);
	return buf;
}

#define GOOD_EXTRAS                                                                     \
	",\"checkpoints\":900,\"nodes\":[[0,800],[1,100]],\"allowed\":\"0-3\","               \
	"\"schedstat\":{\"run_ns\":2990000000,\"wait_ns\":12000000,\"timeslices\":4021},"    \
	"\"wake\":{\"count\":100,\"sum_ns\":1500000,\"max_ns\":5000001,"                     \
	"\"buckets\":[[27,98],[98,2]]}"

static void test_worker_telemetry(void **state)
{
	struct ktstr_run_result *r = new_result();
	const struct ktstr_worker_result *x;

	(void)state;
	/* bucket 27 holds 10 us, 98 holds 5 ms (ktstr/wakehist.h) */
	assert_int_equal(ktstr_wake_bucket(10000), 27);
	assert_int_equal(ktstr_wake_bucket(5000001), 98);
	assert_int_equal(apply(r, KTSTR_FRAME_WORKER, worker_with(GOOD_EXTRAS)), 0);
	x = &r->workers[0];
	assert_int_equal(x->checkpoints, 900);
	assert_int_equal(x->node_checkpoints[0], 800);
	assert_int_equal(x->node_checkpoints[1], 100);
	assert_int_equal(x->node_checkpoints[2], 0);
	assert_true(x->has_allowed);
	assert_int_equal(ktstr_cpuset_count(&x->allowed), 4);
	assert_true(x->has_schedstat);
	assert_int_equal(x->run_ns, 2990000000ull);
	assert_int_equal(x->wait_ns, 12000000);
	assert_int_equal(x->timeslices, 4021);
	assert_int_equal(x->wake.count, 100);
	assert_int_equal(x->wake.sum_ns, 1500000);
	assert_int_equal(x->wake.buckets[27], 98);
	assert_int_equal(x->wake.buckets[98], 2);
	assert_true(ktstr_wake_percentile(&x->wake, 0.5) <= 11250);
	assert_true(ktstr_wake_percentile(&x->wake, 0.99) == 5000001);

	/* none of it sent (an older agent, a kernel without schedstat): absent, not zero */
	assert_int_equal(apply(r, KTSTR_FRAME_WORKER,
		"{\"index\":1,\"tid\":5,\"cgroup\":\"cg_1\",\"work\":\"SpinWait\",\"work_units\":0,"
		"\"cpu_ns\":0,\"wall_ns\":0,\"max_gap_ns\":0,\"max_gap_cpu\":-1,\"max_gap_at_ns\":0,"
		"\"migrations\":0,\"cpus\":\"\",\"status\":\"ok\"}"), 0);
	x = &r->workers[1];
	assert_int_equal(x->checkpoints, 0);
	assert_false(x->has_allowed);
	assert_false(x->has_schedstat);
	assert_int_equal(x->wake.count, 0);
	assert_int_equal(r->frames_rejected, 0);
	free(r);
}

static void test_reject_worker_telemetry(void **state)
{
	static const char *const bad[] = {
		/* checkpoints: negative, huge, wrong type, fewer than the migrations (3) */
		",\"checkpoints\":-1",
		",\"checkpoints\":100000000000000000000",
		",\"checkpoints\":\"9\"",
		",\"checkpoints\":2.5",
		",\"checkpoints\":2",
		/* nodes: not an array, bad pairs, node out of range, twice, more than checkpoints */
		",\"checkpoints\":9,\"nodes\":{\"0\":9}",
		",\"checkpoints\":9,\"nodes\":[9]",
		",\"checkpoints\":9,\"nodes\":[[0]]",
		",\"checkpoints\":9,\"nodes\":[[0,1,2]]",
		",\"checkpoints\":9,\"nodes\":[[8,1]]",
		",\"checkpoints\":9,\"nodes\":[[-1,1]]",
		",\"checkpoints\":9,\"nodes\":[[0,-1]]",
		",\"checkpoints\":9,\"nodes\":[[\"0\",1]]",
		",\"checkpoints\":9,\"nodes\":[[0,1.5]]",
		",\"checkpoints\":9,\"nodes\":[[0,1],[0,1]]",
		",\"checkpoints\":9,\"nodes\":[[0,5],[1,5]]",
		",\"nodes\":[[0,1]]",
		",\"checkpoints\":9,\"nodes\":[[0,1],[1,1],[2,1],[3,1],[4,1],[5,1],[6,1],[7,1],[7,1]]",
		/* allowed: not a cpulist, empty, wrong type */
		",\"allowed\":\"0-\"",
		",\"allowed\":\"\"",
		",\"allowed\":3",
		",\"allowed\":\"300\"",
		/* schedstat: wrong type, a field missing, negative, huge */
		",\"schedstat\":[1,2,3]",
		",\"schedstat\":{\"run_ns\":1,\"wait_ns\":2}",
		",\"schedstat\":{\"run_ns\":-1,\"wait_ns\":2,\"timeslices\":3}",
		",\"schedstat\":{\"run_ns\":1,\"wait_ns\":99999999999999999,\"timeslices\":3}",
		",\"schedstat\":{\"run_ns\":1,\"wait_ns\":2,\"timeslices\":\"3\"}",
		",\"schedstat\":null",
		/* wake: wrong type, count 0 or not the sum, bad buckets, max outside its bucket */
		",\"wake\":7",
		",\"wake\":{\"count\":0,\"sum_ns\":0,\"max_ns\":0,\"buckets\":[]}",
		",\"wake\":{\"count\":3,\"sum_ns\":3000,\"max_ns\":1000,\"buckets\":[[1,2]]}",
		",\"wake\":{\"count\":2,\"sum_ns\":3000,\"max_ns\":1000,\"buckets\":[[1,2],[1,0]]}",
		",\"wake\":{\"count\":2,\"sum_ns\":3000,\"max_ns\":1000,\"buckets\":[[194,2]]}",
		",\"wake\":{\"count\":2,\"sum_ns\":3000,\"max_ns\":1000,\"buckets\":[[-1,2]]}",
		",\"wake\":{\"count\":4294967296,\"sum_ns\":3000,\"max_ns\":1000,"
		"\"buckets\":[[1,4294967296]]}",
		",\"wake\":{\"count\":2,\"sum_ns\":3000,\"max_ns\":999,\"buckets\":[[1,2]]}",
		",\"wake\":{\"count\":2,\"sum_ns\":3000,\"max_ns\":1125,\"buckets\":[[1,2]]}",
		",\"wake\":{\"count\":2,\"sum_ns\":-3,\"max_ns\":1000,\"buckets\":[[1,2]]}",
		",\"wake\":{\"count\":2,\"sum_ns\":3000,\"max_ns\":1000}",
		",\"wake\":{\"count\":2,\"sum_ns\":3000,\"max_ns\":1000,\"buckets\":\"1:2\"}",
		",\"wake\":{\"count\":2,\"sum_ns\":3000,\"max_ns\":1000,\"buckets\":[[1,2]],"
		"\"count\":2}",
	};
	struct ktstr_run_result *r = new_result();

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_rejected(r, KTSTR_FRAME_WORKER, worker_with(bad[i]));
	assert_int_equal(r->n_workers, 0);
	assert_int_equal(r->frames_rejected, sizeof(bad) / sizeof(bad[0]));
	/* the same worker with sane extras still decodes afterwards */
	assert_int_equal(apply(r, KTSTR_FRAME_WORKER,
			       worker_with(",\"checkpoints\":3,\"wake\":{\"count\":2,\"sum_ns\":3000,"
					   "\"max_ns\":1124,\"buckets\":[[1,2]]}")), 0);
	assert_int_equal(r->n_workers, 1);
	free(r);
}

static void test_log_and_error_sanitised(void **state)
{
	struct ktstr_run_result *r = new_result();
	char big[5000];

	(void)state;
	assert_int_equal(apply(r, KTSTR_FRAME_LOG,
			       "{\"level\":\"warn\",\"msg\":\"red \\u001b[31m text\\r\\u0085 end\\nnext\\tcol\"}"), 0);
	assert_string_equal(r->last_log, "red ?[31m text?? end\nnext\tcol");
	assert_non_null(strstr(r->timeline[0].what, "agent warn: red ?[31m"));
	assert_int_equal(apply(r, KTSTR_FRAME_LOG, "{\"level\":\"info\",\"msg\":\"quiet\"}"), 0);
	assert_int_equal(r->n_timeline, 1);

	assert_int_equal(apply(r, KTSTR_FRAME_ERROR,
			       "{\"msg\":\"cannot create cgroup 'cg_0': \\u00e9\\u0007\"}"), 0);
	assert_string_equal(r->agent_error, "cannot create cgroup 'cg_0': \xc3\xa9?");

	/* Long text is truncated on a UTF-8 boundary, never split mid-character. */
	strcpy(big, "{\"msg\":\"");
	for (size_t i = 0; i < 700; i++)
		strcat(big, "\\u00e9");
	strcat(big, "\"}");
	assert_int_equal(apply(r, KTSTR_FRAME_ERROR, big), 0);
	assert_int_equal(strlen(r->agent_error) % 2, 0);
	assert_true(strlen(r->agent_error) <= sizeof(r->agent_error) - 1);
	assert_int_equal(strlen(r->agent_error), 1022);
	free(r);
}

/* ---- invalid ----------------------------------------------------------------- */

static void test_reject_not_json(void **state)
{
	struct ktstr_run_result *r = new_result();
	struct ktstr_frame f = { .type = KTSTR_FRAME_DONE, .len = 3, .payload = NULL };

	(void)state;
	assert_rejected(r, KTSTR_FRAME_DONE, "");
	assert_rejected(r, KTSTR_FRAME_DONE, "{\"workers\":4,\"t_ms\":");   /* truncated */
	assert_rejected(r, KTSTR_FRAME_DONE, "[1,2]");                        /* not an object */
	assert_rejected(r, KTSTR_FRAME_DONE, "42");
	assert_rejected(r, KTSTR_FRAME_DONE, "\"str\"");
	assert_rejected(r, KTSTR_FRAME_DONE, "{\"workers\":4,\"t_ms\":1} trailing");
	assert_rejected(r, KTSTR_FRAME_DONE, "{\"workers\":4,\"workers\":5,\"t_ms\":1}");
	assert_rejected(r, KTSTR_FRAME_DONE, "{\"workers\":4,\"t_ms\":1\xff}");
	assert_rejected(r, 0, "{}");
	assert_rejected(r, 99, "{}");
	assert_int_equal(ktstr_results_apply_frame(r, &f, 0), -EINVAL);
	assert_int_equal(ktstr_results_apply_frame(r, NULL, 0), -EINVAL);
	assert_int_equal(r->frames_rejected, 12);
	free(r);
}

static void test_reject_hello(void **state)
{
	struct ktstr_run_result *r = new_result();

	(void)state;
	assert_rejected(r, KTSTR_FRAME_HELLO, "{\"kernel\":\"k\",\"uptime_ms\":1}");
	assert_rejected(r, KTSTR_FRAME_HELLO, "{\"agent\":1,\"kernel\":\"k\",\"uptime_ms\":1}");
	assert_rejected(r, KTSTR_FRAME_HELLO, "{\"agent\":\"a\",\"kernel\":\"k\",\"uptime_ms\":-1}");
	assert_rejected(r, KTSTR_FRAME_HELLO, "{\"agent\":\"a\",\"kernel\":\"k\",\"uptime_ms\":\"1\"}");
	assert_rejected(r, KTSTR_FRAME_HELLO, "{\"agent\":\"a\",\"kernel\":\"k\"}");
	assert_rejected(r, KTSTR_FRAME_HELLO, "{\"agent\":\"a\\u001b\",\"kernel\":\"k\",\"uptime_ms\":1}");
	assert_rejected(r, KTSTR_FRAME_HELLO, "{\"agent\":\"\",\"kernel\":\"k\",\"uptime_ms\":1}");
	assert_rejected(r, KTSTR_FRAME_HELLO,
			"{\"agent\":\"0123456789012345678901234567890123\",\"kernel\":\"k\",\"uptime_ms\":1}");
	assert_rejected(r, KTSTR_FRAME_HELLO, "{\"agent\":\"a\",\"kernel\":\"k\",\"uptime_ms\":1,\"mode\":7}");
	assert_rejected(r, KTSTR_FRAME_HELLO, "{\"agent\":\"a\",\"kernel\":\"k\",\"uptime_ms\":1e300}");
	assert_int_equal(r->stage, KTSTR_STAGE_NONE);
	free(r);
}

static void test_reject_topology(void **state)
{
	static const char *bad[] = {
		/* nr_cpus does not match the array */
		"{\"nr_cpus\":3,\"online\":\"0-3\",\"cpus\":[],\"mem_total_kb\":1,\"sched_ext\":{\"present\":true,\"state\":\"x\"}}",
		"{\"nr_cpus\":0,\"online\":\"0\",\"cpus\":[],\"mem_total_kb\":1,\"sched_ext\":{\"present\":true,\"state\":\"x\"}}",
		"{\"nr_cpus\":1,\"online\":\"0-\",\"cpus\":[{\"cpu\":0,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"0\",\"siblings\":\"0\"}],\"mem_total_kb\":1,\"sched_ext\":{\"present\":true,\"state\":\"x\"}}",
		"{\"nr_cpus\":1,\"online\":\"0\",\"cpus\":[{\"cpu\":0,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"zz\",\"siblings\":\"0\"}],\"mem_total_kb\":1,\"sched_ext\":{\"present\":true,\"state\":\"x\"}}",
		/* cpu out of range, node out of range */
		"{\"nr_cpus\":1,\"online\":\"0\",\"cpus\":[{\"cpu\":256,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"0\",\"siblings\":\"0\"}],\"mem_total_kb\":1,\"sched_ext\":{\"present\":true,\"state\":\"x\"}}",
		"{\"nr_cpus\":1,\"online\":\"0\",\"cpus\":[{\"cpu\":0,\"package\":0,\"core\":0,\"node\":256,\"llc\":\"0\",\"siblings\":\"0\"}],\"mem_total_kb\":1,\"sched_ext\":{\"present\":true,\"state\":\"x\"}}",
		/* duplicate cpu */
		"{\"nr_cpus\":2,\"online\":\"0-1\",\"cpus\":[{\"cpu\":0,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"0\",\"siblings\":\"0\"},{\"cpu\":0,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"0\",\"siblings\":\"0\"}],\"mem_total_kb\":1,\"sched_ext\":{\"present\":true,\"state\":\"x\"}}",
		/* a CPU outside its own llc */
		"{\"nr_cpus\":1,\"online\":\"0\",\"cpus\":[{\"cpu\":0,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"1\",\"siblings\":\"0\"}],\"mem_total_kb\":1,\"sched_ext\":{\"present\":true,\"state\":\"x\"}}",
		/* element not an object; sched_ext missing / wrong type */
		"{\"nr_cpus\":1,\"online\":\"0\",\"cpus\":[0],\"mem_total_kb\":1,\"sched_ext\":{\"present\":true,\"state\":\"x\"}}",
		"{\"nr_cpus\":1,\"online\":\"0\",\"cpus\":[{\"cpu\":0,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"0\",\"siblings\":\"0\"}],\"mem_total_kb\":1}",
		"{\"nr_cpus\":1,\"online\":\"0\",\"cpus\":[{\"cpu\":0,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"0\",\"siblings\":\"0\"}],\"mem_total_kb\":1,\"sched_ext\":{\"present\":1,\"state\":\"x\"}}",
		"{\"nr_cpus\":1,\"online\":\"0\",\"cpus\":[{\"cpu\":0,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"0\",\"siblings\":\"0\"}],\"mem_total_kb\":-5,\"sched_ext\":{\"present\":true,\"state\":\"x\"}}",
	};
	struct ktstr_run_result *r = new_result();

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_rejected(r, KTSTR_FRAME_TOPOLOGY, bad[i]);
	assert_false(r->topo.valid);
	assert_int_equal(r->frames_rejected, sizeof(bad) / sizeof(bad[0]));
	free(r);
}

static void test_reject_stage_progress_done(void **state)
{
	struct ktstr_run_result *r = new_result();

	(void)state;
	assert_rejected(r, KTSTR_FRAME_STAGE, "{\"stage\":\"bogus\",\"t_ms\":0}");
	assert_rejected(r, KTSTR_FRAME_STAGE, "{\"stage\":\"scenario_start\"}");
	assert_rejected(r, KTSTR_FRAME_STAGE, "{\"stage\":\"step\",\"t_ms\":0,\"step\":3,\"n_steps\":2}");
	assert_rejected(r, KTSTR_FRAME_STAGE, "{\"stage\":\"step\",\"t_ms\":0,\"step\":2,\"n_steps\":2}");
	assert_rejected(r, KTSTR_FRAME_STAGE, "{\"stage\":\"step\",\"t_ms\":0,\"step\":0,\"n_steps\":0}");
	assert_rejected(r, KTSTR_FRAME_STAGE, "{\"stage\":\"step\",\"t_ms\":0,\"step\":0,\"n_steps\":99}");
	assert_rejected(r, KTSTR_FRAME_STAGE, "{\"stage\":\"step\",\"t_ms\":0}");
	assert_rejected(r, KTSTR_FRAME_PROGRESS, "{\"t_ms\":1,\"work_units\":-1,\"workers_alive\":1}");
	assert_rejected(r, KTSTR_FRAME_PROGRESS, "{\"t_ms\":1,\"work_units\":1,\"workers_alive\":513}");
	assert_rejected(r, KTSTR_FRAME_PROGRESS, "{\"t_ms\":1,\"work_units\":1.5,\"workers_alive\":1}");
	assert_rejected(r, KTSTR_FRAME_PROGRESS,
			"{\"t_ms\":1,\"work_units\":9223372036854775807,\"workers_alive\":1}");
	assert_rejected(r, KTSTR_FRAME_PROGRESS,
			"{\"t_ms\":1,\"work_units\":100000000000000000000000,\"workers_alive\":1}");
	assert_rejected(r, KTSTR_FRAME_DONE, "{\"workers\":-1,\"t_ms\":1}");
	assert_rejected(r, KTSTR_FRAME_DONE, "{\"workers\":100000,\"t_ms\":1}");
	assert_rejected(r, KTSTR_FRAME_DONE, "{\"t_ms\":1}");
	assert_rejected(r, KTSTR_FRAME_LOG, "{\"level\":\"info\"}");
	assert_rejected(r, KTSTR_FRAME_LOG, "{\"level\":\"in fo\",\"msg\":\"x\"}");
	assert_rejected(r, KTSTR_FRAME_LOG, "{\"level\":\"info\",\"msg\":3}");
	assert_rejected(r, KTSTR_FRAME_ERROR, "{\"message\":\"x\"}");
	assert_int_equal(r->stage, KTSTR_STAGE_NONE);
	assert_int_equal(r->frames_rejected, 19);
	free(r);
}

#define SCHED_BASE "\"phase\":\"run\",\"t_ms\":2300,\"since_launch_ms\":5400,\"step\":2,\"n_steps\":5"

static void test_sched(void **state)
{
	struct ktstr_run_result *r = new_result();
	const struct ktstr_sched_event *e;

	(void)state;
	assert_int_equal(apply(r, KTSTR_FRAME_SCHED,
			       "{\"event\":\"launched\",\"phase\":\"load\",\"t_ms\":0,"
			       "\"since_launch_ms\":0,\"step\":0,\"n_steps\":5,\"pid\":90}"), 0);
	assert_int_equal(apply(r, KTSTR_FRAME_SCHED,
			       "{\"event\":\"attached\",\"phase\":\"load\",\"t_ms\":0,"
			       "\"since_launch_ms\":3100.5,\"step\":0,\"n_steps\":5,\"ops\":\"simple\","
			       "\"state\":\"enabled\",\"pid\":90}"), 0);
	assert_int_equal(apply(r, KTSTR_FRAME_SCHED,
			       "{\"event\":\"disabled\"," SCHED_BASE ",\"state\":\"disabled\","
			       "\"reason\":\"runnable task stall (w[1] failed to run for 7.4s)\\u001b\"}"), 0);
	assert_int_equal(apply(r, KTSTR_FRAME_SCHED,
			       "{\"event\":\"exited\"," SCHED_BASE ",\"exit_code\":0,\"future\":1}"), 0);
	/* a repeat keeps the first report */
	assert_int_equal(apply(r, KTSTR_FRAME_SCHED,
			       "{\"event\":\"exited\",\"phase\":\"end\",\"t_ms\":9000,"
			       "\"since_launch_ms\":9000,\"step\":5,\"n_steps\":5,\"signal\":9}"), 0);
	assert_true(r->sched_ev[KTSTR_SCHED_EV_LAUNCHED].seen);
	assert_int_equal(r->sched_ev[KTSTR_SCHED_EV_LAUNCHED].pid, 90);
	e = &r->sched_ev[KTSTR_SCHED_EV_ATTACHED];
	assert_string_equal(e->ops, "simple");
	assert_true(e->since_launch_ms > 3100 && e->since_launch_ms < 3101);
	e = &r->sched_ev[KTSTR_SCHED_EV_DISABLED];
	assert_string_equal(e->reason, "runnable task stall (w[1] failed to run for 7.4s)?");
	assert_int_equal(e->exit_code, -1);
	e = &r->sched_ev[KTSTR_SCHED_EV_EXITED];
	assert_string_equal(e->phase, "run");
	assert_int_equal(e->step, 2);
	assert_int_equal(e->n_steps, 5);
	assert_int_equal(e->exit_code, 0);
	assert_int_equal(e->signal, 0);
	assert_false(r->sched_ev[KTSTR_SCHED_EV_STOPPED].seen);
	assert_int_equal(r->frames_rejected, 0);
	assert_string_equal(ktstr_frame_type_name(KTSTR_FRAME_SCHED), "sched");
	assert_string_equal(ktstr_sched_event_name(KTSTR_SCHED_EV_NOT_ATTACHED), "not_attached");
	free(r);
}

static void test_reject_sched(void **state)
{
	struct ktstr_run_result *r = new_result();

	(void)state;
	assert_rejected(r, KTSTR_FRAME_SCHED, "{\"event\":\"exploded\"," SCHED_BASE "}");
	assert_rejected(r, KTSTR_FRAME_SCHED, "{\"event\":\"exited\"}");
	assert_rejected(r, KTSTR_FRAME_SCHED, "{\"event\":\"attached\"," SCHED_BASE "}"); /* no ops */
	assert_rejected(r, KTSTR_FRAME_SCHED,
			"{\"event\":\"exited\",\"phase\":\"later\",\"t_ms\":1,\"since_launch_ms\":1,"
			"\"step\":0,\"n_steps\":1}");
	assert_rejected(r, KTSTR_FRAME_SCHED,
			"{\"event\":\"exited\",\"phase\":\"run\",\"t_ms\":1,\"since_launch_ms\":1,"
			"\"step\":3,\"n_steps\":2}");
	assert_rejected(r, KTSTR_FRAME_SCHED,
			"{\"event\":\"exited\",\"phase\":\"run\",\"t_ms\":1,\"since_launch_ms\":1,"
			"\"step\":0,\"n_steps\":0}");
	assert_rejected(r, KTSTR_FRAME_SCHED,
			"{\"event\":\"exited\",\"phase\":\"run\",\"t_ms\":-1,\"since_launch_ms\":1,"
			"\"step\":0,\"n_steps\":1}");
	assert_rejected(r, KTSTR_FRAME_SCHED, "{\"event\":\"exited\"," SCHED_BASE ",\"exit_code\":256}");
	assert_rejected(r, KTSTR_FRAME_SCHED, "{\"event\":\"exited\"," SCHED_BASE ",\"signal\":0}");
	assert_rejected(r, KTSTR_FRAME_SCHED, "{\"event\":\"exited\"," SCHED_BASE ",\"pid\":0}");
	assert_rejected(r, KTSTR_FRAME_SCHED, "{\"event\":\"exited\"," SCHED_BASE ",\"state\":\"en abled\"}");
	assert_rejected(r, KTSTR_FRAME_SCHED, "{\"event\":\"exited\"," SCHED_BASE ",\"reason\":7}");
	assert_rejected(r, KTSTR_FRAME_SCHED, "{\"event\":\"exited\"," SCHED_BASE ",\"step\":1}");
	assert_int_equal(r->frames_rejected, 13);
	for (int k = 0; k < KTSTR_SCHED_EV__COUNT; k++)
		assert_false(r->sched_ev[k].seen);
	free(r);
}

/* The agent's question before it stops its scheduler: recorded, validated; a VERDICT is the host's. */
static void test_verdict_request(void **state)
{
	struct ktstr_run_result *r = new_result();

	(void)state;
	assert_int_equal(apply(r, KTSTR_FRAME_VERDICT_REQUEST,
			       "{\"t_ms\":3137,\"workers\":4,\"wait_ms\":3000}"), 0);
	assert_int_equal(r->n_timeline, 1);
	assert_string_equal(r->timeline[0].what, "the guest asks for the checks' verdict (4 "
			    "workers reported, waits 3000 ms)");
	assert_true(r->timeline[0].guest_t_ms == 3137);
	assert_rejected(r, KTSTR_FRAME_VERDICT_REQUEST, "{\"t_ms\":1,\"workers\":4}");
	assert_rejected(r, KTSTR_FRAME_VERDICT_REQUEST,
			"{\"t_ms\":1,\"workers\":-1,\"wait_ms\":3000}");
	assert_rejected(r, KTSTR_FRAME_VERDICT_REQUEST,
			"{\"t_ms\":1,\"workers\":99999,\"wait_ms\":3000}");
	/* the host's answer travels the other way: from the guest it is nonsense */
	assert_rejected(r, KTSTR_FRAME_VERDICT, "{\"dump\":true,\"failed\":[]}");
	assert_int_equal(r->frames_rejected, 4);
	assert_int_equal(r->stage, KTSTR_STAGE_NONE);
	assert_string_equal(ktstr_frame_type_name(KTSTR_FRAME_VERDICT_REQUEST), "verdict_request");
	assert_string_equal(ktstr_frame_type_name(KTSTR_FRAME_VERDICT), "verdict");
	free(r);
}

static void test_reject_worker(void **state)
{
	struct ktstr_run_result *r = new_result();
	struct wfields w;
	unsigned n = 0;

	(void)state;
#define BAD(field, value) do { w = W_OK; w.field = value; \
	assert_rejected(r, KTSTR_FRAME_WORKER, worker_json(w)); n++; } while (0)
	w = W_OK;
	w.gap = "2000000000";
	assert_int_equal(apply(r, KTSTR_FRAME_WORKER, worker_json(w)), 0);   /* index 0 */

	BAD(index, "0");                    /* duplicate */
	BAD(index, "512");                  /* out of range */
	BAD(index, "-1");
	BAD(index, "\"1\"");                /* wrong type */
	BAD(index, "1.0");
	BAD(tid, "0");
	BAD(tid, "-5");
	BAD(tid, "4194305");
	BAD(tid, "null");
	BAD(cgroup, "\"cg\\u0007\"");       /* control character in an identifier */
	BAD(cgroup, "\"cg 0\"");
	BAD(cgroup, "\"\"");
	BAD(cgroup, "\"0123456789012345678901234567890123456789012345678901234567890123\"");
	BAD(cgroup, "[]");
	BAD(units, "-1");
	BAD(units, "18446744073709551615");
	BAD(units, "true");
	BAD(cpu_ns, "99999999999999999");   /* > 30 days */
	BAD(gap, "10000000001");            /* longer than wall_ns */
	BAD(gap_cpu, "-2");
	BAD(gap_cpu, "256");
	BAD(cpus, "\"0-\"");                /* bad cpulist */
	BAD(cpus, "\"3-1\"");
	BAD(cpus, "\"999\"");
	BAD(cpus, "\"0,,1\"");
	BAD(cpus, "7");
	BAD(status, "\"running\"");
	BAD(status, "\"OK\"");
#undef BAD
	/* missing fields, one at a time */
	{
		static const char *keys[] = { "index", "tid", "cgroup", "work", "work_units",
					      "cpu_ns", "wall_ns", "max_gap_ns", "max_gap_cpu",
					      "max_gap_at_ns", "migrations", "cpus", "status" };
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			char json[1024], pat[40], *at, *end;

			w = W_OK;
			w.index = "7";
			strcpy(json, worker_json(w));
			snprintf(pat, sizeof(pat), "\"%s\":", keys[k]);
			at = strstr(json, pat);
			assert_non_null(at);
			end = strchr(at, ',');
			if (!end) {             /* last key: drop the comma before it */
				end = strchr(at, '}');
				at--;
			} else {
				end++;
			}
			memmove(at, end, strlen(end) + 1);
			assert_rejected(r, KTSTR_FRAME_WORKER, json);
			n++;
		}
	}
	/* a bad optional field still rejects */
	assert_rejected(r, KTSTR_FRAME_WORKER,
		"{\"index\":3,\"tid\":5,\"cgroup\":\"c\",\"work\":\"w\",\"work_units\":0,\"cpu_ns\":0,"
		"\"wall_ns\":0,\"max_gap_ns\":0,\"max_gap_cpu\":0,\"max_gap_at_ns\":0,\"migrations\":0,"
		"\"cpus\":\"0\",\"cpuset\":\"x\",\"status\":\"ok\"}");
	n++;
	assert_int_equal(r->n_workers, 1);
	assert_int_equal(r->frames_rejected, n);
	free(r);
}

static void test_worker_table_full(void **state)
{
	struct ktstr_run_result *r = new_result();
	struct wfields w = W_OK;
	char idx[16];

	(void)state;
	w.gap = "1";
	w.index = idx;
	for (unsigned i = 0; i < KTSTR_MAX_WORKERS; i++) {
		snprintf(idx, sizeof(idx), "%u", i);
		assert_int_equal(apply(r, KTSTR_FRAME_WORKER, worker_json(w)), 0);
	}
	assert_int_equal(r->n_workers, KTSTR_MAX_WORKERS);
	snprintf(idx, sizeof(idx), "%u", 0);
	assert_rejected(r, KTSTR_FRAME_WORKER, worker_json(w));
	free(r);
}

/* ---- scheduler instances (scheduler ops) -------------------------------------- */

#define INST(ev, inst, extra)                                                             \
	"{\"event\":\"" ev "\",\"phase\":\"run\",\"t_ms\":1200,\"since_launch_ms\":900,"     \
	"\"step\":1,\"n_steps\":4,\"instance\":" #inst ",\"scheduler\":\"scx_ktstr\"" extra "}"

static void test_sched_instances(void **state)
{
	struct ktstr_run_result *r = new_result();
	const struct ktstr_sched_run *run;

	(void)state;
	/* the scenario's own scheduler: instance 0, also in sched_ev[] */
	assert_int_equal(apply(r, KTSTR_FRAME_SCHED,
			       "{\"event\":\"launched\",\"phase\":\"load\",\"t_ms\":0,"
			       "\"since_launch_ms\":0,\"step\":0,\"n_steps\":4,\"instance\":0,"
			       "\"scheduler\":\"scx_ktstr\",\"op\":\"start\"}"), 0);
	assert_int_equal(apply(r, KTSTR_FRAME_SCHED,
			       INST("stopped", 0, ",\"by\":\"restart_scheduler\",\"exit_code\":0")), 0);
	/* restart_scheduler's instance: its own run, not in sched_ev[] */
	assert_int_equal(apply(r, KTSTR_FRAME_SCHED,
			       INST("launched", 1, ",\"op\":\"restart_scheduler\",\"op_step\":1")), 0);
	assert_int_equal(apply(r, KTSTR_FRAME_SCHED,
			       INST("not_attached", 1, ",\"op\":\"restart_scheduler\",\"op_step\":1,"
				    "\"attach_timeout_ms\":2000,\"state\":\"disabled\"")), 0);
	assert_int_equal(r->frames_rejected, 0);
	assert_int_equal(r->n_sched_runs, 2);
	run = &r->sched_runs[0];
	assert_int_equal(run->instance, 0);
	assert_string_equal(run->op, "start");
	assert_int_equal(run->op_step, -1);
	assert_string_equal(run->stopped_by, "restart_scheduler");
	assert_true(run->ev[KTSTR_SCHED_EV_STOPPED].seen);
	assert_true(r->sched_ev[KTSTR_SCHED_EV_STOPPED].seen);
	run = &r->sched_runs[1];
	assert_int_equal(run->instance, 1);
	assert_string_equal(run->label, "scx_ktstr");
	assert_string_equal(run->op, "restart_scheduler");
	assert_int_equal(run->op_step, 1);
	assert_true(run->attach_timeout_ms == 2000);
	assert_true(run->ev[KTSTR_SCHED_EV_NOT_ATTACHED].seen);
	assert_string_equal(run->ev[KTSTR_SCHED_EV_NOT_ATTACHED].state, "disabled");
	/* instance 1's events never reach the scenario scheduler's sched_ev[] */
	assert_false(r->sched_ev[KTSTR_SCHED_EV_NOT_ATTACHED].seen);
	assert_int_equal(r->sched_ev[KTSTR_SCHED_EV_LAUNCHED].step, 0);
	free(r);
}

static void test_sched_instances_full(void **state)
{
	struct ktstr_run_result *r = new_result();
	char json[512];

	(void)state;
	/* a loop of restarts: more instances than slots; the newest keeps the last slot */
	for (unsigned i = 0; i < KTSTR_MAX_SCHED_RUNS + 5; i++) {
		snprintf(json, sizeof(json),
			 "{\"event\":\"launched\",\"phase\":\"run\",\"t_ms\":1,\"since_launch_ms\":0,"
			 "\"step\":1,\"n_steps\":2,\"instance\":%u,\"op\":\"restart_scheduler\","
			 "\"op_step\":1}", i);
		assert_int_equal(apply(r, KTSTR_FRAME_SCHED, json), 0);
	}
	assert_int_equal(r->n_sched_runs, KTSTR_MAX_SCHED_RUNS);
	assert_int_equal(r->sched_runs[KTSTR_MAX_SCHED_RUNS - 1].instance,
			 KTSTR_MAX_SCHED_RUNS + 4);
	assert_int_equal(r->sched_runs_dropped, 5);
	/* an instance that lost its slot to a newer one: stale, refused */
	snprintf(json, sizeof(json),
		 "{\"event\":\"exited\",\"phase\":\"run\",\"t_ms\":1,\"since_launch_ms\":0,"
		 "\"step\":1,\"n_steps\":2,\"instance\":%u,\"exit_code\":1}",
		 KTSTR_MAX_SCHED_RUNS);
	assert_rejected(r, KTSTR_FRAME_SCHED, json);
	/* one that kept its slot still files its events */
	assert_int_equal(apply(r, KTSTR_FRAME_SCHED, INST("exited", 3, ",\"exit_code\":1")), 0);
	assert_true(r->sched_runs[3].ev[KTSTR_SCHED_EV_EXITED].seen);
	free(r);
}

static void test_reject_sched_instance(void **state)
{
	struct ktstr_run_result *r = new_result();

	(void)state;
	assert_rejected(r, KTSTR_FRAME_SCHED, INST("exited", -1, ""));
	assert_rejected(r, KTSTR_FRAME_SCHED, INST("exited", 100001, ""));
	assert_rejected(r, KTSTR_FRAME_SCHED, INST("exited", "1", ""));
	assert_rejected(r, KTSTR_FRAME_SCHED, INST("exited", 1, ",\"op\":\"rm -rf\""));
	assert_rejected(r, KTSTR_FRAME_SCHED, INST("exited", 1, ",\"op\":\"detach_scheduler\""));
	assert_rejected(r, KTSTR_FRAME_SCHED, INST("stopped", 1, ",\"by\":\"start\""));
	assert_rejected(r, KTSTR_FRAME_SCHED, INST("exited", 1, ",\"op_step\":16"));
	assert_rejected(r, KTSTR_FRAME_SCHED, INST("exited", 1, ",\"scheduler\":\"a b\""));
	assert_rejected(r, KTSTR_FRAME_SCHED, INST("exited", 1, ",\"attach_timeout_ms\":\"20s\""));
	assert_int_equal(r->n_sched_runs, 0);
	free(r);
}

/* ---- payloads ----------------------------------------------------------------- */

#define PL_START(name, step) \
	"{\"name\":\"" name "\",\"event\":\"started\",\"by\":\"run_payload\",\"step\":" #step \
	",\"n_steps\":3,\"t_ms\":120,\"pid\":105,\"cgroup\":\"cg_0\"}"
#define PL_END(name, ev, by, extra) \
	"{\"name\":\"" name "\",\"event\":\"" ev "\",\"by\":\"" by "\",\"step\":1,\"n_steps\":3," \
	"\"t_ms\":1300,\"duration_ms\":1180,\"output_bytes\":15" extra "}"

static void test_payload(void **state)
{
	struct ktstr_run_result *r = new_result();
	const struct ktstr_payload_result *p;

	(void)state;
	assert_string_equal(ktstr_frame_type_name(KTSTR_FRAME_PAYLOAD), "payload");
	assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD, PL_START("hog", 0)), 0);
	assert_int_equal(r->n_payloads, 1);
	p = &r->payloads[0];
	assert_true(p->started);
	assert_false(p->ended);
	assert_false(ktstr_payload_failed(p));
	assert_int_equal(p->pid, 105);
	assert_string_equal(p->cgroup, "cg_0");
	assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD,
			       PL_END("hog", "exited", "wait_payload",
				      ",\"exit_code\":3,\"output\":\"hog: \\u001b[2Jgiving up\\n\"")), 0);
	assert_true(p->ended);
	assert_string_equal(p->event, "exited");
	assert_int_equal(p->exit_code, 3);
	assert_int_equal(p->step, 1);
	assert_true(p->duration_ms == 1180);
	/* terminal escapes from the guest do not reach the report */
	assert_string_equal(p->output, "hog: ?[2Jgiving up\n");
	assert_true(ktstr_payload_failed(p));
	/* the same payload again: a second run */
	assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD, PL_START("hog", 2)), 0);
	assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD,
			       PL_END("hog", "killed", "kill_payload", ",\"signal\":9")), 0);
	assert_int_equal(r->n_payloads, 2);
	assert_false(ktstr_payload_failed(&r->payloads[1]));
	assert_int_equal(r->payloads[1].start_step, 2);
	/* an end whose start was lost is kept all the same */
	assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD,
			       PL_END("bench", "timed_out", "wait_payload",
				      ",\"timeout_ms\":1000,\"signal\":9")), 0);
	assert_int_equal(r->n_payloads, 3);
	assert_false(r->payloads[2].started);
	assert_true(ktstr_payload_failed(&r->payloads[2]));
	/* exit 0 at a wait, or any end at the end of the scenario: no failure */
	assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD, PL_START("ok", 0)), 0);
	assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD,
			       PL_END("ok", "exited", "wait_payload", ",\"exit_code\":0")), 0);
	assert_false(ktstr_payload_failed(&r->payloads[3]));
	assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD, PL_START("bye", 0)), 0);
	assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD,
			       PL_END("bye", "exited", "end", ",\"exit_code\":7")), 0);
	assert_false(ktstr_payload_failed(&r->payloads[4]));
	assert_int_equal(r->frames_rejected, 0);
	free(r);
}

static void test_payload_output_bounded(void **state)
{
	struct ktstr_run_result *r = new_result();
	size_t n = 20000;
	char *json = malloc(n + 512), *o;

	(void)state;
	o = json + sprintf(json, "{\"name\":\"chatty\",\"event\":\"exited\",\"by\":\"wait_payload\","
			   "\"step\":0,\"n_steps\":1,\"t_ms\":1,\"duration_ms\":1,"
			   "\"output_bytes\":99999999,\"exit_code\":0,\"output\":\"");
	memset(o, 'y', n);
	strcpy(o + n, "\"}");
	assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD, json), 0);
	assert_int_equal(strlen(r->payloads[0].output), KTSTR_PAYLOAD_OUTPUT_MAX);
	assert_true(r->payloads[0].output_bytes == 99999999);
	free(json);
	free(r);
}

static void test_payload_table_full(void **state)
{
	struct ktstr_run_result *r = new_result();

	(void)state;
	/* a failed wait in the last slot survives the runs that come after it */
	for (unsigned i = 0; i < KTSTR_MAX_PAYLOAD_RESULTS; i++)
		assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD, PL_START("p", 0)), 0);
	assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD,
			       PL_END("p", "exited", "wait_payload", ",\"exit_code\":1")), 0);
	assert_true(ktstr_payload_failed(&r->payloads[KTSTR_MAX_PAYLOAD_RESULTS - 1]));
	assert_int_equal(apply(r, KTSTR_FRAME_PAYLOAD, PL_START("q", 1)), 0);
	assert_int_equal(r->n_payloads, KTSTR_MAX_PAYLOAD_RESULTS);
	assert_true(ktstr_payload_failed(&r->payloads[KTSTR_MAX_PAYLOAD_RESULTS - 1]));
	assert_int_equal(r->payloads_dropped, 1);
	free(r);
}

static void test_reject_payload(void **state)
{
	struct ktstr_run_result *r = new_result();

	(void)state;
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, "{}");
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, "[1]");
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, PL_START("two words", 0));
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, PL_START("hog", 3));   /* step == n_steps */
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, PL_START("hog", -1));
	assert_rejected(r, KTSTR_FRAME_PAYLOAD,
			"{\"name\":\"hog\",\"event\":\"started\",\"by\":\"wait_payload\",\"step\":0,"
			"\"n_steps\":3,\"t_ms\":1}");
	assert_rejected(r, KTSTR_FRAME_PAYLOAD,
			"{\"name\":\"hog\",\"event\":\"started\",\"by\":\"run_payload\",\"step\":0,"
			"\"n_steps\":3,\"t_ms\":1,\"pid\":0}");
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, PL_END("hog", "exploded", "wait_payload",
						       ",\"exit_code\":0"));
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, PL_END("hog", "exited", "run_payload",
						       ",\"exit_code\":0"));
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, PL_END("hog", "exited", "wait_payload", ""));
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, PL_END("hog", "exited", "wait_payload",
						       ",\"exit_code\":256"));
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, PL_END("hog", "signaled", "wait_payload", ""));
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, PL_END("hog", "signaled", "wait_payload",
						       ",\"signal\":65"));
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, PL_END("hog", "timed_out", "wait_payload", ""));
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, PL_END("hog", "killed", "end", ",\"output\":7"));
	assert_rejected(r, KTSTR_FRAME_PAYLOAD, PL_END("hog", "killed", "end",
						       ",\"output_bytes\":-1"));
	assert_rejected(r, KTSTR_FRAME_PAYLOAD,
			"{\"name\":\"hog\",\"event\":\"killed\",\"by\":\"end\",\"step\":1,"
			"\"n_steps\":3,\"t_ms\":1,\"output_bytes\":0}");   /* no duration */
	assert_rejected(r, KTSTR_FRAME_PAYLOAD,
			"{\"name\":\"hog\",\"name\":\"x\",\"event\":\"killed\",\"by\":\"end\","
			"\"step\":1,\"n_steps\":3,\"t_ms\":1,\"duration_ms\":1,\"output_bytes\":0}");
	assert_int_equal(r->n_payloads, 0);
	free(r);
}



int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_and_stage_names),
		cmocka_unit_test(test_timeline_bounded),
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_topology),
		cmocka_unit_test(test_stage_progress_done),
		cmocka_unit_test(test_worker),
		cmocka_unit_test(test_worker_fields),
		cmocka_unit_test(test_worker_telemetry),
		cmocka_unit_test(test_reject_worker_telemetry),
		cmocka_unit_test(test_log_and_error_sanitised),
		cmocka_unit_test(test_reject_not_json),
		cmocka_unit_test(test_reject_hello),
		cmocka_unit_test(test_reject_topology),
		cmocka_unit_test(test_reject_stage_progress_done),
		cmocka_unit_test(test_reject_worker),
		cmocka_unit_test(test_sched),
		cmocka_unit_test(test_reject_sched),
		cmocka_unit_test(test_verdict_request),
		cmocka_unit_test(test_sched_instances),
		cmocka_unit_test(test_sched_instances_full),
		cmocka_unit_test(test_reject_sched_instance),
		cmocka_unit_test(test_payload),
		cmocka_unit_test(test_payload_output_bounded),
		cmocka_unit_test(test_payload_table_full),
		cmocka_unit_test(test_reject_payload),
		cmocka_unit_test(test_worker_table_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
