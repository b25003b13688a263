// SPDX-License-Identifier: GPL-2.0-only
/*
 * One scenario, from cgroup setup to DONE:
 *   cgroups + initial cpusets -> fork workers (blocked) -> place PIDs ->
 *   release -> STAGE scenario_start -> per step: ops, STAGE step, hold with
 *   PROGRESS -> stop workers -> STAGE scenario_end -> WORKER xN -> DONE ->
 *   remove cgroups.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ktstr/proto.h"

#include "agent.h"
#include "clock.h"
#include "report.h"

uint64_t agent_t_ms(const struct agent *a)
{
	return (agent_mono_ns() - a->t0_ns) / 1000000ull;
}

static int send_checked(struct agent *a, unsigned type, json_t *obj, struct ktstr_err *err)
{
	int ret = agent_send(&a->ch, type, obj);

	if (ret)
		return ktstr_err_set(err, ret, "send %s frame on port '%s': %s",
				     ktstr_frame_type_name(type), KTSTR_PORT_RESULTS, strerror(-ret));
	return 0;
}

static int find_cgroup(const struct ktstr_scenario *s, const char *name)
{
	for (unsigned i = 0; i < s->n_cgroups; i++)
		if (!strcmp(s->cgroups[i].name, name))
			return (int)i;
	return -1;
}

static int setup_cgroups(struct agent *a, struct ktstr_err *err)
{
	const struct ktstr_scenario *s = &a->scenario;
	int ret;

	agent_cgroups_init(&a->cg, AGENT_CGROUP_ROOT);
	ret = agent_cgroups_setup(&a->cg, s, err);
	for (unsigned i = 0; !ret && i < s->n_cgroups; i++)
		if (s->cgroups[i].cpuset.kind != KTSTR_CPUSET_NONE)
			ret = agent_cgroup_apply_cpuset(&a->cg, s->cgroups[i].name,
							&s->cgroups[i].cpuset, &a->map, err);
	return ret;
}

static int apply_ops(struct agent *a, const struct ktstr_step *step, struct ktstr_err *err)
{
	for (unsigned i = 0; i < step->n_ops; i++) {
		const struct ktstr_op *op = &step->ops[i];
		int ret;

		if (find_cgroup(&a->scenario, op->cgroup) < 0)
			return ktstr_err_set(err, -ENOENT,
					     "cgroup '%s': %s names a cgroup the scenario does not declare",
					     op->cgroup, ktstr_op_kind_name(op->kind));
		switch (op->kind) {
		case KTSTR_OP_SET_CPUSET:
			ret = agent_cgroup_apply_cpuset(&a->cg, op->cgroup, &op->cpuset, &a->map, err);
			break;
		case KTSTR_OP_CLEAR_CPUSET:
			ret = agent_cgroup_apply_cpuset(&a->cg, op->cgroup, NULL, &a->map, err);
			break;
		default:
			ret = ktstr_err_set(err, -ENOTSUP, "cgroup '%s': op %d is not implemented by this agent",
					    op->cgroup, (int)op->kind);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Hold for hold_ms, sending PROGRESS on a cadence that runs across steps.
 * With a sched_ext scheduler, look at it every AGENT_SCHED_POLL_MS too;
 * -ECANCELED when it exited or was disabled (already reported).
 */
static int hold(struct agent *a, uint64_t hold_ms, unsigned step, uint64_t *next_progress_ns,
		struct ktstr_err *err)
{
	uint64_t end = agent_mono_ns() + hold_ms * 1000000ull;
	uint64_t period = (uint64_t)a->params.progress_ms * 1000000ull;
	unsigned n_steps = a->scenario.n_steps ? a->scenario.n_steps : 1;

	for (;;) {
		uint64_t now = agent_mono_ns(), wake;

		if (now >= *next_progress_ns) {
			int ret = send_checked(a, KTSTR_FRAME_PROGRESS,
					       agent_json_progress(agent_t_ms(a),
								   agent_workers_units(&a->workers),
								   agent_workers_alive(&a->workers)),
					       err);
			if (ret)
				return ret;
			*next_progress_ns += period;
			if (*next_progress_ns <= now)   /* fell behind: don't burst */
				*next_progress_ns = now + period;
		}
		if (a->sched.active) {
			struct agent_sched_where w = { .phase = "run", .t_ms = agent_t_ms(a),
						       .step = step, .n_steps = n_steps };

			if (agent_sched_poll(&a->sched, &a->ch, &w))
				return -ECANCELED;
		}
		if (now >= end)
			return 0;
		wake = end < *next_progress_ns ? end : *next_progress_ns;
		if (a->sched.active && wake > now + AGENT_SCHED_POLL_MS * 1000000ull)
			wake = now + AGENT_SCHED_POLL_MS * 1000000ull;
		agent_sleep_until_ns(wake);
	}
}

static uint64_t step_hold_ms(const struct ktstr_scenario *s, const struct ktstr_step *st)
{
	if (st->hold_ms)
		return st->hold_ms;
	return (uint64_t)(st->hold_frac * (double)s->duration_ms + 0.5);
}

static int run_steps(struct agent *a, struct ktstr_err *err)
{
	const struct ktstr_scenario *s = &a->scenario;
	uint64_t next_progress = a->t0_ns + (uint64_t)a->params.progress_ms * 1000000ull;
	unsigned n = s->n_steps ? s->n_steps : 1;

	for (unsigned i = 0; i < n; i++) {
		uint64_t hold_ms = s->duration_ms;
		int ret;

		if (s->n_steps) {
			ret = apply_ops(a, &s->steps[i], err);
			if (ret)
				return ret;
			hold_ms = step_hold_ms(s, &s->steps[i]);
		}
		ret = send_checked(a, KTSTR_FRAME_STAGE, agent_json_step(i, n, agent_t_ms(a), hold_ms),
				   err);
		if (!ret)
			ret = hold(a, hold_ms, i, &next_progress, err);
		if (ret == -ECANCELED) {
			/* The scheduler is gone: end the scenario now, report what ran. */
			fprintf(stderr, "ktstr-agent: scheduler gone in step %u of %u; ending the "
				"scenario early\n", i + 1, n);
			a->steps_done = i;
			return 0;
		}
		if (ret)
			return ret;
	}
	a->steps_done = n;
	return 0;
}

static int report_workers(struct agent *a, struct ktstr_err *err)
{
	const struct ktstr_scenario *s = &a->scenario;
	char cpusets[KTSTR_MAX_CGROUPS][KTSTR_CPULIST_MAX];

	/* Read once per cgroup: what the kernel ended up giving each one. */
	for (unsigned i = 0; i < s->n_cgroups; i++)
		if (agent_cgroup_read(&a->cg, s->cgroups[i].name, "cpuset.cpus.effective",
				      cpusets[i], sizeof(cpusets[i])) < 0)
			cpusets[i][0] = '\0';
	for (unsigned i = 0; i < a->workers.n; i++) {
		const struct agent_worker *w = &a->workers.w[i];
		int ret = send_checked(a, KTSTR_FRAME_WORKER,
				       agent_json_worker(&a->workers, i, s->cgroups[w->cgroup].name,
							 cpusets[w->cgroup]),
				       err);
		if (ret)
			return ret;
	}
	return 0;
}

int agent_run_scenario(struct agent *a, struct ktstr_err *err)
{
	int ret;

	memset(&a->workers, 0, sizeof(a->workers));
	a->workers.start_rd = a->workers.start_wr = -1;
	ret = setup_cgroups(a, err);
	if (!ret)
		ret = agent_workers_spawn(&a->workers, &a->scenario, a->ch.fd, err);
	if (!ret)
		ret = agent_workers_place(&a->workers, &a->scenario, &a->cg, err);
	if (ret)
		goto out;
	agent_workers_release(&a->workers);
	a->t0_ns = agent_mono_ns();
	ret = send_checked(a, KTSTR_FRAME_STAGE, agent_json_stage("scenario_start", 0), err);
	if (ret)
		goto out;
	if (a->params.fault == AGENT_FAULT_STALL_MID_SCENARIO) {
		fprintf(stderr, "ktstr-agent: fault stall_mid_scenario: going silent\n");
		agent_hang();
	}
	ret = run_steps(a, err);
	if (ret)
		goto out;
	agent_workers_stop(&a->workers, AGENT_STOP_DEADLINE_MS);
	ret = send_checked(a, KTSTR_FRAME_STAGE, agent_json_stage("scenario_end", agent_t_ms(a)),
			   err);
	if (!ret)
		ret = report_workers(a, err);
	/*
	 * The scheduler stops only now: the host judges the checks on the
	 * WORKER frames, and a failure asks for its SysRq-D dump while it is
	 * still attached (agent_sched_verdict, bounded).
	 */
	if (a->sched.active) {
		struct agent_sched_where w = {
			.phase = "end", .t_ms = agent_t_ms(a), .step = a->steps_done,
			.n_steps = a->scenario.n_steps ? a->scenario.n_steps : 1,
		};

		if (!ret)
			agent_sched_verdict(&a->sched, &a->ch, &w, a->workers.n);
		agent_sched_stop(&a->sched, &a->ch, &w);
	}
	if (!ret)
		ret = send_checked(a, KTSTR_FRAME_DONE,
				   agent_json_done(a->workers.n, agent_t_ms(a)), err);
out:
	agent_workers_abort(&a->workers);
	if (agent_cgroups_teardown(&a->cg))
		fprintf(stderr, "ktstr-agent: some cgroups under %s could not be removed\n",
			a->cg.base);
	return ret;
}
