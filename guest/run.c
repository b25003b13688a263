// SPDX-License-Identifier: GPL-2.0-only
/*
 * One scenario, from cgroup setup to DONE:
 *   backdrop cgroups (cpusets, knobs) -> fork their workers (blocked) ->
 *   place PIDs, set policy/nice/affinity -> release -> STAGE scenario_start
 *   -> per step: ops, the step's own cgroups and workers, STAGE step, hold
 *   with PROGRESS (a loop hold applies the ops again every interval), the
 *   step's cgroups end -> stop workers and payloads -> STAGE scenario_end
 *   -> WORKER xN -> DONE -> remove cgroups.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ktstr/proto.h"

#include "agent.h"
#include "attrs.h"
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

/* Workers' frozen bookkeeping after a->frozen or their cgroups changed. */
static void sync_frozen(struct agent *a)
{
	agent_workers_sync_frozen(&a->workers, (const char (*)[KTSTR_CGPATH_MAX])a->frozen,
				  a->n_frozen, agent_mono_ns());
}

/* Create a declared cgroup and give it its cpuset and knobs. */
static int create_cgroup(struct agent *a, const struct ktstr_cgroup_def *def,
			 struct ktstr_err *err)
{
	int ret = agent_cgroup_create(&a->cg, def->name, err);

	if (!ret && def->cpuset.kind != KTSTR_CPUSET_NONE)
		ret = agent_cgroup_apply_cpuset(&a->cg, def->name, &def->cpuset, &a->map, err);
	if (!ret)
		ret = agent_cgroup_apply_knobs(&a->cg, def->name, def->knobs, def->n_knobs, err);
	return ret;
}

/* Create the cgroups of `step` (or the backdrop) and start their workers together. */
static int start_cgroups(struct agent *a, int step, struct ktstr_err *err)
{
	const struct ktstr_scenario *s = &a->scenario;
	int ret = 0;

	for (unsigned i = 0; !ret && i < s->n_cgroups; i++)
		if (s->cgroups[i].step == step)
			ret = create_cgroup(a, &s->cgroups[i], err);
	if (!ret)
		ret = agent_workers_spawn_step(&a->workers, s, step, a->ch.fd, err);
	if (!ret)
		ret = agent_workers_place(&a->workers, &a->cg, &a->map, err);
	if (!ret) {
		sync_frozen(a);         /* a step's cgroup may sit below a frozen one */
		agent_workers_release(&a->workers);
	}
	return ret;
}

/* A step's own cgroups end with it: stop their workers, remove them, children first. */
static int end_step_cgroups(struct agent *a, int step, struct ktstr_err *err)
{
	const struct ktstr_scenario *s = &a->scenario;

	for (unsigned i = s->n_cgroups; i-- > 0;) {
		const char *name = s->cgroups[i].name;
		int ret;

		if (s->cgroups[i].step != step || !agent_cgroup_exists(&a->cg, name))
			continue;
		agent_workers_stop_cgroup(&a->workers, name, &a->cg, AGENT_STOP_DEADLINE_MS);
		ret = agent_cgroup_remove(&a->cg, name, err);
		if (ret)
			return ret;
	}
	return 0;
}

static int frozen_index(struct agent *a, const char *name)
{
	for (unsigned i = 0; i < a->n_frozen; i++)
		if (!strcmp(a->frozen[i], name))
			return (int)i;
	return -1;
}

/*
 * The list changes, and the workers learn it, before cgroup.freeze is
 * written: a thawed worker must find its paused time at its very first
 * checkpoint.  Freezing counts from the write on; a worker that still
 * reaches a checkpoint while the freeze completes loses those few
 * milliseconds from its next gap, which errs towards passing by no more
 * than the freeze's own latency.
 */
static int freeze_op(struct agent *a, const char *name, bool freeze, struct ktstr_err *err)
{
	int i = frozen_index(a, name);

	if (freeze && i < 0) {
		if (a->n_frozen >= KTSTR_MAX_LIVE_CGROUPS)
			return ktstr_err_set(err, -E2BIG, "cgroup '%s': too many frozen cgroups",
					     name);
		snprintf(a->frozen[a->n_frozen++], sizeof(a->frozen[0]), "%s", name);
	} else if (!freeze && i >= 0) {
		memmove(a->frozen[i], a->frozen[i + 1],
			(a->n_frozen - (unsigned)i - 1) * sizeof(a->frozen[0]));
		a->n_frozen--;
	}
	sync_frozen(a);
	return agent_cgroup_freeze(&a->cg, name, freeze, err);
}

static int swap_cpusets(struct agent *a, const char *x, const char *y, struct ktstr_err *err)
{
	char cx[KTSTR_CPULIST_MAX], cy[KTSTR_CPULIST_MAX];

	if (agent_cgroup_read(&a->cg, x, "cpuset.cpus", cx, sizeof(cx)) < 0)
		cx[0] = '\0';
	if (agent_cgroup_read(&a->cg, y, "cpuset.cpus", cy, sizeof(cy)) < 0)
		cy[0] = '\0';
	/* kernfs ignores empty writes; a lone newline clears the mask */
	return agent_cgroup_set(&a->cg, x, "cpuset.cpus", cy[0] ? cy : "\n", err) ?:
	       agent_cgroup_set(&a->cg, y, "cpuset.cpus", cx[0] ? cx : "\n", err);
}

static int spawn_op(struct agent *a, const char *cgroup, const struct ktstr_work_group *g,
		    struct ktstr_err *err)
{
	/* a spawned batch is a work group of its own: it is not compared with the cgroup's */
	int ret = agent_workers_spawn_group(&a->workers, cgroup, g,
					    KTSTR_SPAWN_GROUP_BASE + (unsigned)(g - a->scenario.op_groups),
					    a->ch.fd, err);

	if (!ret)
		ret = agent_workers_place(&a->workers, &a->cg, &a->map, err);
	sync_frozen(a);                 /* spawned into a frozen cgroup: frozen from the start */
	agent_workers_release(&a->workers);
	return ret;
}

static int apply_op(struct agent *a, const struct ktstr_op *op, unsigned step,
		    struct ktstr_err *err)
{
	const struct ktstr_scenario *s = &a->scenario;

	switch (op->kind) {
	case KTSTR_OP_SET_CPUSET:
		return agent_cgroup_apply_cpuset(&a->cg, op->cgroup, &op->cpuset, &a->map, err);
	case KTSTR_OP_CLEAR_CPUSET:
		return agent_cgroup_apply_cpuset(&a->cg, op->cgroup, NULL, &a->map, err);
	case KTSTR_OP_ADD_CGROUP: {
		int ret = agent_cgroup_create(&a->cg, op->cgroup, err);

		if (!ret && op->cpuset.kind != KTSTR_CPUSET_NONE)
			ret = agent_cgroup_apply_cpuset(&a->cg, op->cgroup, &op->cpuset, &a->map, err);
		return ret;
	}
	case KTSTR_OP_REMOVE_CGROUP:
		if (frozen_index(a, op->cgroup) >= 0 && freeze_op(a, op->cgroup, false, err))
			return -EIO;
		agent_workers_stop_cgroup(&a->workers, op->cgroup, &a->cg, AGENT_STOP_DEADLINE_MS);
		return agent_cgroup_remove(&a->cg, op->cgroup, err);
	case KTSTR_OP_SWAP_CPUSETS:
		return swap_cpusets(a, op->cgroup, op->to, err);
	case KTSTR_OP_SPAWN:
	case KTSTR_OP_SPAWN_HOST:
		if (op->group < 0 || (unsigned)op->group >= s->n_op_groups)
			return ktstr_err_set(err, -EINVAL, "%s: no work group", ktstr_op_kind_name(op->kind));
		return spawn_op(a, op->kind == KTSTR_OP_SPAWN ? op->cgroup : "",
				&s->op_groups[op->group], err);
	case KTSTR_OP_STOP_CGROUP:
		if (frozen_index(a, op->cgroup) >= 0 && freeze_op(a, op->cgroup, false, err))
			return -EIO;
		agent_workers_stop_cgroup(&a->workers, op->cgroup, &a->cg, AGENT_STOP_DEADLINE_MS);
		return 0;
	case KTSTR_OP_SET_AFFINITY:
		return agent_workers_set_affinity(&a->workers, op->cgroup, &op->affinity, &a->cg,
						  &a->map, err);
	case KTSTR_OP_MOVE_ALL_TASKS:
		/*
		 * Moving thaws tasks that leave a frozen cgroup and freezes those
		 * that enter one: account for it before they run again.
		 */
		agent_workers_moved(&a->workers, op->cgroup, op->to);
		sync_frozen(a);
		return agent_cgroup_move_all(&a->cg, op->cgroup, op->to, err);
	case KTSTR_OP_SET_KNOB:
		return agent_cgroup_apply_knobs(&a->cg, op->cgroup, &op->knob, 1, err);
	case KTSTR_OP_FREEZE:
	case KTSTR_OP_UNFREEZE:
		return freeze_op(a, op->cgroup, op->kind == KTSTR_OP_FREEZE, err);
	case KTSTR_OP_RUN_PAYLOAD:
	case KTSTR_OP_WAIT_PAYLOAD:
	case KTSTR_OP_KILL_PAYLOAD:
		return agent_payload_op(a, op, step, err);
	case KTSTR_OP_ATTACH_SCHEDULER:
	case KTSTR_OP_DETACH_SCHEDULER:
	case KTSTR_OP_RESTART_SCHEDULER:
	case KTSTR_OP_REPLACE_SCHEDULER:
		return agent_sched_op(a, op, step, err);
	case KTSTR_OP__COUNT:
		break;
	}
	return ktstr_err_set(err, -ENOTSUP, "op %d is not implemented by this agent", (int)op->kind);
}

static int apply_ops(struct agent *a, const struct ktstr_step *step, unsigned index,
		     struct ktstr_err *err)
{
	for (unsigned i = 0; i < step->n_ops; i++) {
		const struct ktstr_op *op = &step->ops[i];
		int ret;

		/* the loader checked the timeline; a missing cgroup here is an agent bug */
		if (op->cgroup[0] && op->kind != KTSTR_OP_ADD_CGROUP &&
		    !agent_cgroup_exists(&a->cg, op->cgroup))
			return ktstr_err_set(err, -ENOENT,
					     "cgroup '%s': %s names a cgroup that does not exist now",
					     op->cgroup, ktstr_op_kind_name(op->kind));
		ret = apply_op(a, op, index, err);
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
		bool running;

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
		/* a payload's end is timed to the look that sees it */
		running = agent_payloads_poll(a);
		if (now >= end)
			return 0;
		wake = end < *next_progress_ns ? end : *next_progress_ns;
		if (a->sched.active && wake > now + AGENT_SCHED_POLL_MS * 1000000ull)
			wake = now + AGENT_SCHED_POLL_MS * 1000000ull;
		if (running && wake > now + AGENT_PAYLOAD_POLL_MS * 1000000ull)
			wake = now + AGENT_PAYLOAD_POLL_MS * 1000000ull;
		agent_sleep_until_ns(wake);
	}
}

int agent_hold(struct agent *a, uint64_t ms, unsigned step, struct ktstr_err *err)
{
	return hold(a, ms, step, &a->next_progress_ns, err);
}

static uint64_t step_hold_ms(const struct ktstr_scenario *s, const struct ktstr_step *st)
{
	if (st->hold_ms)
		return st->hold_ms;
	return (uint64_t)(st->hold_frac * (double)s->duration_ms + 0.5);
}

/* The scheduler is gone: end the scenario now, report what ran. */
static int end_early(struct agent *a, unsigned i, unsigned n)
{
	fprintf(stderr, "ktstr-agent: scheduler gone in step %u of %u; ending the scenario early\n",
		i + 1, n);
	a->steps_done = i;
	return 0;
}

static int run_steps(struct agent *a, struct ktstr_err *err)
{
	const struct ktstr_scenario *s = &a->scenario;
	uint64_t *next_progress = &a->next_progress_ns;
	unsigned n = s->n_steps ? s->n_steps : 1;

	*next_progress = a->t0_ns + (uint64_t)a->params.progress_ms * 1000000ull;

	for (unsigned i = 0; i < n; i++) {
		const struct ktstr_step *st = s->n_steps ? &s->steps[i] : NULL;
		uint64_t hold_ms = s->duration_ms;
		int ret = 0;

		if (st) {
			ret = apply_ops(a, st, i, err);
			if (!ret)
				ret = start_cgroups(a, (int)i, err);
			if (ret == -ECANCELED)  /* a scheduler op's instance failed (reported) */
				return end_early(a, i, n);
			if (ret)
				return ret;
			hold_ms = step_hold_ms(s, st);
			/* time spent waiting for payloads is part of the step's hold */
			hold_ms -= hold_ms < agent_payloads_waited_ms(a, i) ? hold_ms :
				   agent_payloads_waited_ms(a, i);
			if (st->loop_ms) {
				uint64_t done = agent_t_ms(a);

				hold_ms = s->duration_ms > done ? s->duration_ms - done : 0;
			}
		}
		ret = send_checked(a, KTSTR_FRAME_STAGE, agent_json_step(i, n, agent_t_ms(a), hold_ms),
				   err);
		if (!ret && st && st->loop_ms) {
			/* apply the ops again every loop_ms until the hold ends */
			uint64_t end = agent_mono_ns() + hold_ms * 1000000ull;

			while (!ret) {
				uint64_t now = agent_mono_ns(), slice;

				if (now >= end)
					break;
				slice = (end - now) / 1000000ull;
				if (slice > st->loop_ms)
					slice = st->loop_ms;
				ret = hold(a, slice, i, next_progress, err);
				if (!ret && agent_mono_ns() < end)
					ret = apply_ops(a, st, i, err);
			}
		} else if (!ret) {
			ret = hold(a, hold_ms, i, next_progress, err);
		}
		if (ret == -ECANCELED)
			return end_early(a, i, n);
		if (!ret && st)
			ret = end_step_cgroups(a, (int)i, err);
		if (ret)
			return ret;
	}
	a->steps_done = n;
	return 0;
}

static int report_workers(struct agent *a, struct ktstr_err *err)
{
	for (unsigned i = 0; i < a->workers.n; i++) {
		const struct agent_worker *w = &a->workers.w[i];
		int ret = send_checked(a, KTSTR_FRAME_WORKER,
				       agent_json_worker(&a->workers, i, w->cgroup[0] ? w->cgroup : "/",
							 w->cpuset),
				       err);
		if (ret)
			return ret;
	}
	return 0;
}

/* Thaw what is still frozen: frozen workers could not see their stop flag. */
static void thaw_all(struct agent *a)
{
	struct ktstr_err ignored;

	while (a->n_frozen) {
		char name[KTSTR_CGPATH_MAX];

		/* freeze_op takes the entry off the list: keep the name */
		snprintf(name, sizeof(name), "%s", a->frozen[0]);
		freeze_op(a, name, false, &ignored);
	}
}

int agent_run_scenario(struct agent *a, struct ktstr_err *err)
{
	int ret;

	a->n_frozen = 0;
	ret = agent_workers_init(&a->workers, err);
	/* Workers count their checkpoints per node (NUMA locality). */
	memset(a->workers.cpu_node, AGENT_NODE_NONE, sizeof(a->workers.cpu_node));
	for (unsigned i = 0; i < a->topo.n; i++)
		if (a->topo.cpus[i].node >= 0 && a->topo.cpus[i].node < KTSTR_MAX_NUMA_NODES &&
		    a->topo.cpus[i].cpu < KTSTR_MAX_CPUS)
			a->workers.cpu_node[a->topo.cpus[i].cpu] = (uint8_t)a->topo.cpus[i].node;
	if (!ret) {
		agent_cgroups_init(&a->cg, AGENT_CGROUP_ROOT);
		ret = agent_cgroups_setup(&a->cg, &a->scenario, err);
	}
	if (!ret)
		ret = start_cgroups(a, KTSTR_CGROUP_BACKDROP, err);
	if (ret)
		goto out;
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
	thaw_all(a);
	agent_workers_stop_cgroup(&a->workers, NULL, &a->cg, AGENT_STOP_DEADLINE_MS);
	agent_payloads_end(a);
	ret = send_checked(a, KTSTR_FRAME_STAGE, agent_json_stage("scenario_end", agent_t_ms(a)),
			   err);
	if (!ret)
		ret = report_workers(a, err);
	/*
	 * The scheduler stops only now: the host judges the checks on the
	 * WORKER frames, and a failure asks for its SysRq-D dump while it is
	 * still attached (agent_sched_verdict, bounded).
	 */
	{
		struct agent_sched_where w = {
			.phase = "end", .t_ms = agent_t_ms(a), .step = a->steps_done,
			.n_steps = a->scenario.n_steps ? a->scenario.n_steps : 1,
		};

		if (!ret && a->sched.active)
			agent_sched_verdict(&a->sched, &a->ch, &w, a->workers.n);
		agent_sched_stop(&a->sched, &a->ch, &w);
	}
	if (!ret)
		ret = send_checked(a, KTSTR_FRAME_DONE,
				   agent_json_done(a->workers.n, agent_t_ms(a)), err);
out:
	thaw_all(a);
	agent_workers_abort(&a->workers);
	agent_payloads_end(a);
	if (agent_cgroups_teardown(&a->cg))
		fprintf(stderr, "ktstr-agent: some cgroups under %s could not be removed\n",
			a->cg.base);
	return ret;
}
