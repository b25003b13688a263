// SPDX-License-Identifier: GPL-2.0-only
/* Names and small derived values of the scenario model. */
#include <stdio.h>
#include <string.h>

#include "ktstr/scenario.h"

const char *ktstr_cpuset_kind_name(enum ktstr_cpuset_kind k)
{
	switch (k) {
	case KTSTR_CPUSET_NONE:
		return "none";
	case KTSTR_CPUSET_LLC:
		return "llc";
	case KTSTR_CPUSET_NUMA:
		return "numa";
	case KTSTR_CPUSET_RANGE:
		return "range";
	case KTSTR_CPUSET_DISJOINT:
		return "disjoint";
	case KTSTR_CPUSET_OVERLAP:
		return "overlap";
	case KTSTR_CPUSET_EXACT:
		return "exact";
	}
	return "?";
}

static const char *const op_names[KTSTR_OP__COUNT] = {
	[KTSTR_OP_SET_CPUSET] = "set_cpuset",
	[KTSTR_OP_CLEAR_CPUSET] = "clear_cpuset",
	[KTSTR_OP_ADD_CGROUP] = "add_cgroup",
	[KTSTR_OP_REMOVE_CGROUP] = "remove_cgroup",
	[KTSTR_OP_SWAP_CPUSETS] = "swap_cpusets",
	[KTSTR_OP_SPAWN] = "spawn",
	[KTSTR_OP_STOP_CGROUP] = "stop_cgroup",
	[KTSTR_OP_SET_AFFINITY] = "set_affinity",
	[KTSTR_OP_SPAWN_HOST] = "spawn_host",
	[KTSTR_OP_MOVE_ALL_TASKS] = "move_all_tasks",
	[KTSTR_OP_SET_KNOB] = "set_knob",
	[KTSTR_OP_FREEZE] = "freeze",
	[KTSTR_OP_UNFREEZE] = "unfreeze",
	[KTSTR_OP_RUN_PAYLOAD] = "run_payload",
	[KTSTR_OP_WAIT_PAYLOAD] = "wait_payload",
	[KTSTR_OP_KILL_PAYLOAD] = "kill_payload",
	[KTSTR_OP_ATTACH_SCHEDULER] = "attach_scheduler",
	[KTSTR_OP_DETACH_SCHEDULER] = "detach_scheduler",
	[KTSTR_OP_RESTART_SCHEDULER] = "restart_scheduler",
	[KTSTR_OP_REPLACE_SCHEDULER] = "replace_scheduler",
};

const char *ktstr_op_kind_name(enum ktstr_op_kind k)
{
	return (unsigned)k < KTSTR_OP__COUNT && op_names[k] ? op_names[k] : "?";
}

static const char *const policy_names[KTSTR_POLICY__COUNT] = {
	[KTSTR_POLICY_NORMAL] = "normal", [KTSTR_POLICY_BATCH] = "batch",
	[KTSTR_POLICY_IDLE] = "idle",     [KTSTR_POLICY_FIFO] = "fifo",
	[KTSTR_POLICY_RR] = "rr",         [KTSTR_POLICY_DEADLINE] = "deadline",
};

const char *ktstr_policy_kind_name(enum ktstr_policy_kind k)
{
	return (unsigned)k < KTSTR_POLICY__COUNT ? policy_names[k] : "?";
}

static const char *const affinity_names[KTSTR_AFFINITY__COUNT] = {
	[KTSTR_AFFINITY_INHERIT] = "inherit",           [KTSTR_AFFINITY_RANDOM] = "random",
	[KTSTR_AFFINITY_LLC] = "llc",                   [KTSTR_AFFINITY_CROSS_CGROUP] = "cross_cgroup",
	[KTSTR_AFFINITY_SINGLE_CPU] = "single_cpu",     [KTSTR_AFFINITY_EXACT] = "exact",
};

const char *ktstr_affinity_kind_name(enum ktstr_affinity_kind k)
{
	return (unsigned)k < KTSTR_AFFINITY__COUNT ? affinity_names[k] : "?";
}

static const char *const mempolicy_names[KTSTR_MEMPOLICY__COUNT] = {
	[KTSTR_MEMPOLICY_DEFAULT] = "default",     [KTSTR_MEMPOLICY_LOCAL] = "local",
	[KTSTR_MEMPOLICY_BIND] = "bind",           [KTSTR_MEMPOLICY_PREFERRED] = "preferred",
	[KTSTR_MEMPOLICY_INTERLEAVE] = "interleave",
};

const char *ktstr_mempolicy_kind_name(enum ktstr_mempolicy_kind k)
{
	return (unsigned)k < KTSTR_MEMPOLICY__COUNT ? mempolicy_names[k] : "?";
}

void ktstr_work_group_defaults(struct ktstr_work_group *g)
{
	memset(g, 0, sizeof(*g));
	g->workers = KTSTR_DEFAULT_WORKERS;
	g->work = KTSTR_WORK_SPIN;
	g->policy.kind = KTSTR_POLICY_NORMAL;
	g->nice = KTSTR_NICE_UNSET;
	g->affinity.kind = KTSTR_AFFINITY_INHERIT;
	g->mempolicy.kind = KTSTR_MEMPOLICY_DEFAULT;
}

unsigned ktstr_cgroup_workers(const struct ktstr_cgroup_def *cg)
{
	unsigned n = 0;

	for (unsigned i = 0; i < cg->n_groups && i < KTSTR_MAX_WORK_GROUPS; i++)
		n += cg->groups[i].workers;
	return n;
}

/* The attach bound of the scheduler an op starts; restart: the longest any spec has. */
static uint64_t op_attach_ms(const struct ktstr_scenario *s, const struct ktstr_op *op)
{
	uint64_t ms = s->sched.kind != KTSTR_SCHED_EEVDF ? s->sched.attach_timeout_ms : 0;

	if (op->kind != KTSTR_OP_RESTART_SCHEDULER && op->sched >= 0 &&
	    (unsigned)op->sched < s->n_op_scheds && (unsigned)op->sched < KTSTR_MAX_OP_SCHEDS)
		return s->op_scheds[op->sched].attach_timeout_ms;
	if (op->kind == KTSTR_OP_RESTART_SCHEDULER)
		for (unsigned i = 0; i < s->n_op_scheds && i < KTSTR_MAX_OP_SCHEDS; i++)
			if (s->op_scheds[i].attach_timeout_ms > ms)
				ms = s->op_scheds[i].attach_timeout_ms;
	return ms ? ms : KTSTR_DEFAULT_ATTACH_TIMEOUT_MS;
}

static bool op_starts_sched(enum ktstr_op_kind k)
{
	return k == KTSTR_OP_ATTACH_SCHEDULER || k == KTSTR_OP_RESTART_SCHEDULER ||
	       k == KTSTR_OP_REPLACE_SCHEDULER;
}

unsigned ktstr_scenario_sched_starts(const struct ktstr_scenario *s)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->n_steps && i < KTSTR_MAX_STEPS; i++)
		for (unsigned j = 0; j < s->steps[i].n_ops && j < KTSTR_MAX_OPS; j++)
			n += op_starts_sched(s->steps[i].ops[j].kind);
	return n;
}

bool ktstr_scenario_runs_scx(const struct ktstr_scenario *s)
{
	if (ktstr_scenario_has_scx(s))
		return true;
	for (unsigned i = 0; i < s->n_steps && i < KTSTR_MAX_STEPS; i++)
		for (unsigned j = 0; j < s->steps[i].n_ops && j < KTSTR_MAX_OPS; j++)
			if (s->steps[i].ops[j].kind == KTSTR_OP_ATTACH_SCHEDULER)
				return true;
	return false;
}

uint64_t ktstr_step_hold_ms(const struct ktstr_scenario *s, const struct ktstr_step *st)
{
	if (st->loop_ms)
		return 0;
	if (st->hold_ms)
		return st->hold_ms;
	return (uint64_t)(st->hold_frac * (double)s->duration_ms + 0.5);
}

const char *ktstr_sched_kind_name(enum ktstr_sched_kind k)
{
	switch (k) {
	case KTSTR_SCHED_EEVDF:
		return "eevdf";
	case KTSTR_SCHED_PATH:
		return "path";
	case KTSTR_SCHED_NAME:
		return "name";
	}
	return "?";
}

double ktstr_scenario_run_s(const struct ktstr_scenario *s)
{
	double t = (double)s->duration_ms / 1000.0;

	if (ktstr_scenario_has_scx(s))
		t += (double)(s->sched.attach_timeout_ms + KTSTR_SCHED_STOP_GRACE_MS) / 1000.0;
	for (unsigned i = 0; i < s->n_steps && i < KTSTR_MAX_STEPS; i++) {
		const struct ktstr_step *st = &s->steps[i];
		uint64_t hold = ktstr_step_hold_ms(s, st);

		for (unsigned j = 0; j < st->n_ops && j < KTSTR_MAX_OPS; j++) {
			const struct ktstr_op *op = &st->ops[j];

			/* each start: its attach bound, and the stop of the one before */
			if (op_starts_sched(op->kind))
				t += (double)(op_attach_ms(s, op) + KTSTR_SCHED_STOP_GRACE_MS) / 1000.0;
			else if (op->kind == KTSTR_OP_DETACH_SCHEDULER)
				t += (double)KTSTR_SCHED_STOP_GRACE_MS / 1000.0;
			/* a wait may run past its step's hold by the rest of its timeout */
			else if (op->kind == KTSTR_OP_WAIT_PAYLOAD && op->timeout_ms > hold)
				t += (double)(op->timeout_ms - hold) / 1000.0;
		}
	}
	/* the host's check verdict before the scheduler stops (SysRq-D on a failure) */
	if (ktstr_scenario_runs_scx(s))
		t += (double)KTSTR_SCHED_VERDICT_WAIT_MS / 1000.0;
	return t;
}

const char *ktstr_sched_spec_label(const struct ktstr_scheduler_spec *sc)
{
	const char *slash;

	switch (sc->kind) {
	case KTSTR_SCHED_EEVDF:
		return "eevdf";
	case KTSTR_SCHED_NAME:
		return sc->value;
	case KTSTR_SCHED_PATH:
		slash = strrchr(sc->value, '/');
		return slash && slash[1] ? slash + 1 : sc->value;
	}
	return "?";
}

const char *ktstr_scenario_sched_label(const struct ktstr_scenario *s)
{
	return ktstr_sched_spec_label(&s->sched);
}

unsigned ktstr_scenario_total_workers(const struct ktstr_scenario *s)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->n_cgroups && i < KTSTR_MAX_CGROUPS; i++)
		n += ktstr_cgroup_workers(&s->cgroups[i]);
	for (unsigned i = 0; i < s->n_op_groups && i < KTSTR_MAX_OP_GROUPS; i++)
		n += s->op_groups[i].workers;
	return n;
}

void ktstr_topology_label(const struct ktstr_topology *t, char *buf, size_t len)
{
	snprintf(buf, len, "%un%ul%uc%ut", t->numa_nodes, t->llcs, t->cores_per_llc,
		 t->threads_per_core);
}

void ktstr_checks_unset(struct ktstr_checks *c)
{
	struct ktstr_src_loc loc = c->loc;

	memset(c, 0, sizeof(*c));
	c->loc = loc;
	c->starvation = KTSTR_TRI_UNSET;
	c->max_gap_ms = -1;
	c->max_spread_pct = -1.0;
	c->isolation = KTSTR_TRI_UNSET;
	c->min_work_rate = -1.0;
	c->max_throughput_cv = -1.0;
	c->max_wake_p99_us = -1;
	c->max_migration_ratio = -1.0;
	c->min_numa_locality = -1.0;
}
