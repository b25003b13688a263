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

const char *ktstr_op_kind_name(enum ktstr_op_kind k)
{
	switch (k) {
	case KTSTR_OP_SET_CPUSET:
		return "set_cpuset";
	case KTSTR_OP_CLEAR_CPUSET:
		return "clear_cpuset";
	case KTSTR_OP__COUNT:
		break;
	}
	return "?";
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
		t += (double)(s->sched.attach_timeout_ms + KTSTR_SCHED_STOP_GRACE_MS +
			      KTSTR_SCHED_VERDICT_WAIT_MS) / 1000.0;
	return t;
}

const char *ktstr_scenario_sched_label(const struct ktstr_scenario *s)
{
	const char *slash;

	switch (s->sched.kind) {
	case KTSTR_SCHED_EEVDF:
		return "eevdf";
	case KTSTR_SCHED_NAME:
		return s->sched.value;
	case KTSTR_SCHED_PATH:
		slash = strrchr(s->sched.value, '/');
		return slash && slash[1] ? slash + 1 : s->sched.value;
	}
	return "?";
}

unsigned ktstr_scenario_total_workers(const struct ktstr_scenario *s)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->n_cgroups && i < KTSTR_MAX_CGROUPS; i++)
		n += s->cgroups[i].workers;
	return n;
}

void ktstr_topology_label(const struct ktstr_topology *t, char *buf, size_t len)
{
	snprintf(buf, len, "%un%ul%uc%ut", t->numa_nodes, t->llcs, t->cores_per_llc,
		 t->threads_per_core);
}
