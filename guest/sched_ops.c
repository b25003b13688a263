// SPDX-License-Identifier: GPL-2.0-only
/*
 * attach/detach/restart/replace_scheduler ops: the sched_ext lifecycle of
 * sched.c, run again between steps while the workers keep running, so a
 * scenario can test load and unload under load.
 *
 * Every start is a new instance with its own SCHED frames (launched, then
 * attached / exited / not_attached) and every stop a SCHED `stopped` frame
 * naming the op, so the host can judge each instance like the scenario's
 * own scheduler.  An instance that does not attach, or one that had
 * already died when an op wanted to stop it, ends the scenario early
 * (-ECANCELED): that is the scheduler's failure, reported by the host with
 * its category, step and time, not an error of the agent.
 */
#include <errno.h>

#include "agent.h"

static const struct ktstr_scheduler_spec *op_spec(const struct agent *a, const struct ktstr_op *op)
{
	const struct ktstr_scenario *s = &a->scenario;

	if (op->sched >= 0 && (unsigned)op->sched < s->n_op_scheds)
		return &s->op_scheds[op->sched];
	return &s->sched;
}

int agent_sched_op(struct agent *a, const struct ktstr_op *op, unsigned step,
		   struct ktstr_err *err)
{
	const char *name = ktstr_op_kind_name(op->kind);
	const struct ktstr_scheduler_spec *spec = op_spec(a, op);
	struct agent_sched_where w = {
		.phase = "run", .t_ms = agent_t_ms(a), .step = step,
		.n_steps = a->scenario.n_steps ? a->scenario.n_steps : 1,
	};
	int ret;

	switch (op->kind) {
	case KTSTR_OP_ATTACH_SCHEDULER:
		if (a->sched.active && !a->sched.gone && a->sched.pid > 0)
			return ktstr_err_set(err, -EBUSY,
					     "scheduler op %s: scheduler '%s' is still attached (the "
					     "loader should have refused this timeline)", name,
					     a->sched.label);
		break;
	case KTSTR_OP_DETACH_SCHEDULER:
	case KTSTR_OP_RESTART_SCHEDULER:
	case KTSTR_OP_REPLACE_SCHEDULER:
		if (!a->sched.active || !a->sched.spec)
			return ktstr_err_set(err, -ENOENT,
					     "scheduler op %s: no sched_ext scheduler is running (the "
					     "loader should have refused this timeline)", name);
		/* restart: the same scheduler, arguments and all */
		if (op->kind == KTSTR_OP_RESTART_SCHEDULER)
			spec = a->sched.spec;
		ret = agent_sched_detach(&a->sched, &a->ch, &w, name, err);
		if (ret || op->kind == KTSTR_OP_DETACH_SCHEDULER)
			return ret;
		w.t_ms = agent_t_ms(a);
		break;
	default:
		return ktstr_err_set(err, -EINVAL, "scheduler op %s: not a scheduler op", name);
	}
	if (spec->kind == KTSTR_SCHED_EEVDF)
		return ktstr_err_set(err, -EINVAL,
				     "scheduler op %s: the scheduler to start is eevdf, which is no "
				     "sched_ext binary (the loader should have refused this)", name);
	return agent_sched_launch(&a->sched, spec, &a->ch, &w, name, (int)step, err);
}
