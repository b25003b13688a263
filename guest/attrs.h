/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A work group's scheduling attributes on its workers: policy (incl.
 * SCHED_DEADLINE via sched_setattr), nice, CPU affinity and NUMA memory
 * policy.  The agent sets policy, nice and affinity on a worker's PID after
 * placing it in its cgroup and before its batch starts (affinity is
 * resolved against the cgroup's effective CPUs, known only then); the
 * memory policy can only be set by the task itself, before it waits.
 */
#ifndef AGENT_ATTRS_H
#define AGENT_ATTRS_H

#include "ktstr/cpulist.h"
#include "ktstr/error.h"
#include "ktstr/scenario.h"
#include "ktstr/topo.h"

#include "cgroups.h"

struct agent_workers;

/* In the worker, before its start: its memory policy.  0 or -errno. */
int agent_worker_attrs_self(const struct ktstr_work_group *g);

/* In the agent: policy, nice and affinity of worker i.  0 or -errno with err set. */
int agent_worker_attrs_apply(struct agent_workers *ws, unsigned i, const struct agent_cgroups *cg,
			     const struct ktstr_topo_map *map, struct ktstr_err *err);

/*
 * The CPUs affinity a gives the k-th worker of a cgroup whose effective
 * CPUs are `allowed`; false for inherit (no sched_setaffinity).  `seed`
 * makes `random` differ per worker and per application.
 */
bool agent_affinity_resolve(const struct ktstr_affinity *a, const struct ktstr_cpuset *allowed,
			    const struct ktstr_topo_map *map, unsigned k, unsigned seed,
			    struct ktstr_cpuset *out);

/* set_affinity: re-pin every running worker of cgroup.  0 or -errno with err set. */
int agent_workers_set_affinity(struct agent_workers *ws, const char *cgroup,
			       const struct ktstr_affinity *a, const struct agent_cgroups *cg,
			       const struct ktstr_topo_map *map, struct ktstr_err *err);

#endif /* AGENT_ATTRS_H */
