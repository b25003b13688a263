// SPDX-License-Identifier: GPL-2.0-only
/* JSON payloads of the frames the agent sends. */
#include "ktstr/cpulist.h"

#include "report.h"

#define J(v) ((json_int_t)(v))

json_t *agent_json_hello(const char *kernel, uint64_t uptime_ms, const char *mode)
{
	return json_pack("{s:s,s:s,s:I,s:s}", "agent", AGENT_VERSION_STRING, "kernel", kernel,
			 "uptime_ms", J(uptime_ms), "mode", mode);
}

json_t *agent_json_stage(const char *stage, uint64_t t_ms)
{
	return json_pack("{s:s,s:I}", "stage", stage, "t_ms", J(t_ms));
}

json_t *agent_json_step(unsigned step, unsigned n_steps, uint64_t t_ms, uint64_t hold_ms)
{
	return json_pack("{s:s,s:I,s:I,s:I,s:I}", "stage", "step", "step", J(step), "n_steps",
			 J(n_steps), "t_ms", J(t_ms), "hold_ms", J(hold_ms));
}

json_t *agent_json_progress(uint64_t t_ms, uint64_t work_units, unsigned alive)
{
	return json_pack("{s:I,s:I,s:I}", "t_ms", J(t_ms), "work_units", J(work_units),
			 "workers_alive", J(alive));
}

/*
 * "wake": count, sum, max and the non-empty buckets as [index, count]
 * pairs; NULL when the worker recorded no wake-up.  A worker killed in the
 * middle of recording a sample can leave count or max a step behind its
 * buckets, so both are derived from what the buckets hold: the host
 * rejects a histogram that does not add up.
 */
static json_t *wake_json(const struct ktstr_wake_hist *h)
{
	uint64_t count = 0, max = h->max_ns;
	unsigned top = 0;
	json_t *buckets = json_array(), *obj;

	if (!buckets)
		return NULL;
	for (unsigned b = 0; b < KTSTR_WAKE_BUCKETS; b++) {
		if (!h->buckets[b])
			continue;
		count += h->buckets[b];
		top = b;
		json_array_append_new(buckets, json_pack("[I,I]", J(b), J(h->buckets[b])));
	}
	if (!count) {
		json_decref(buckets);
		return NULL;
	}
	if (max < ktstr_wake_bucket_lo(top))
		max = ktstr_wake_bucket_lo(top);
	if (max >= ktstr_wake_bucket_hi(top))
		max = ktstr_wake_bucket_hi(top) - 1;
	obj = json_pack("{s:I,s:I,s:I,s:o}", "count", J(count), "sum_ns", J(h->sum_ns),
			"max_ns", J(max), "buckets", buckets);
	return obj;
}

/* Telemetry added after the first protocol version; each piece optional. */
static void worker_extras(json_t *obj, const struct agent_worker_slot *slot,
			  const struct agent_worker *w)
{
	struct ktstr_cpuset allowed;
	char cpus[KTSTR_CPULIST_MAX * 4];
	json_t *nodes = json_array(), *wake;

	json_object_set_new(obj, "checkpoints", json_integer(J(slot->checkpoints)));
	for (unsigned k = 0; k < KTSTR_MAX_CPUS / 64; k++)
		allowed.bits[k] = slot->allowed[k];
	if (ktstr_cpuset_count(&allowed) && !ktstr_cpulist_format(&allowed, cpus, sizeof(cpus)))
		json_object_set_new(obj, "allowed", json_string(cpus));
	for (unsigned n = 0; nodes && n < KTSTR_MAX_NUMA_NODES; n++)
		if (slot->node_checkpoints[n])
			json_array_append_new(nodes, json_pack("[I,I]", J(n),
							       J(slot->node_checkpoints[n])));
	if (nodes)
		json_object_set_new(obj, "nodes", nodes);
	/* Only a worker that ended normally wrote its end-of-run numbers. */
	if (w->status == AGENT_WORKER_OK && slot->schedstat_ok)
		json_object_set_new(obj, "schedstat",
				    json_pack("{s:I,s:I,s:I}", "run_ns", J(slot->run_ns),
					      "wait_ns", J(slot->wait_ns),
					      "timeslices", J(slot->timeslices)));
	wake = wake_json(&slot->wake);
	if (wake)
		json_object_set_new(obj, "wake", wake);
}

json_t *agent_json_worker(const struct agent_workers *ws, unsigned i, const char *cgroup,
			  const char *cpuset)
{
	const struct agent_worker_slot *slot = &ws->shm->slots[i];
	const struct agent_worker *w = &ws->w[i];
	struct ktstr_cpuset used;
	char cpus[KTSTR_CPULIST_MAX * 4];
	json_t *obj;

	for (unsigned k = 0; k < KTSTR_MAX_CPUS / 64; k++)
		used.bits[k] = slot->cpus_used[k];
	if (ktstr_cpulist_format(&used, cpus, sizeof(cpus)))
		cpus[0] = '\0';
	obj = json_pack("{s:I,s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:i,s:I,s:I,s:s,s:s,s:I,s:I,s:s}",
			"index", J(w->index), "tid", J(w->pid), "cgroup", cgroup,
			"work", w->work ? w->work->name : "?",
			"work_units", J(slot->work_units), "cpu_ns", J(slot->cpu_ns),
			"wall_ns", J(agent_worker_wall_ns(ws, i)), "max_gap_ns", J(slot->max_gap_ns),
			"max_gap_cpu", (int)slot->max_gap_cpu, "max_gap_at_ns", J(slot->max_gap_at_ns),
			"migrations", J(slot->migrations), "cpus", cpus, "cpuset", cpuset,
			"nvcsw", J(slot->nvcsw), "nivcsw", J(slot->nivcsw),
			"status", agent_worker_status_name(w->status));
	if (obj) {
		worker_extras(obj, slot, w);
		/* which work group: fairness is judged among a group's workers */
		json_object_set_new(obj, "group", json_integer(w->group_no));
	}
	/* Say how it ended when it did not end well. */
	if (obj && w->status != AGENT_WORKER_OK && w->exited)
		json_object_set_new(obj, "exit_code", json_integer(w->exit_code));
	else if (obj && w->status != AGENT_WORKER_OK)
		json_object_set_new(obj, "signal", json_integer(w->signal));
	return obj;
}

json_t *agent_json_done(unsigned workers, uint64_t t_ms)
{
	return json_pack("{s:I,s:I}", "workers", J(workers), "t_ms", J(t_ms));
}

/*
 * Messages can quote bytes from sysfs or the scenario; an invalid UTF-8
 * sequence must not cost us the whole frame, so fall back to '?'.
 */
static json_t *text(const char *msg)
{
	json_t *s = json_string(msg);
	char buf[2048];
	size_t i;

	if (s)
		return s;
	for (i = 0; msg[i] && i < sizeof(buf) - 1; i++)
		buf[i] = (msg[i] >= 0x20 && msg[i] < 0x7f) ? msg[i] : '?';
	buf[i] = '\0';
	return json_string(buf);
}

json_t *agent_json_error(const char *msg)
{
	return json_pack("{s:o}", "msg", text(msg));
}

json_t *agent_json_log(const char *level, const char *msg)
{
	return json_pack("{s:s,s:o}", "level", level, "msg", text(msg));
}
