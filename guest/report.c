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
