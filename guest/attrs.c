// SPDX-License-Identifier: GPL-2.0-only
/* Policy, nice, affinity and memory policy of workers (attrs.h). */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "attrs.h"
#include "workers.h"

/* glibc 2.36 wraps neither sched_setattr nor set_mempolicy. */
struct agent_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif
#define AGENT_MPOL_DEFAULT 0
#define AGENT_MPOL_PREFERRED 1
#define AGENT_MPOL_BIND 2
#define AGENT_MPOL_INTERLEAVE 3
#define AGENT_MPOL_LOCAL 4

int agent_worker_attrs_self(const struct ktstr_work_group *g)
{
	static const int modes[KTSTR_MEMPOLICY__COUNT] = {
		[KTSTR_MEMPOLICY_DEFAULT] = AGENT_MPOL_DEFAULT,
		[KTSTR_MEMPOLICY_LOCAL] = AGENT_MPOL_LOCAL,
		[KTSTR_MEMPOLICY_BIND] = AGENT_MPOL_BIND,
		[KTSTR_MEMPOLICY_PREFERRED] = AGENT_MPOL_PREFERRED,
		[KTSTR_MEMPOLICY_INTERLEAVE] = AGENT_MPOL_INTERLEAVE,
	};
	unsigned long mask;

	if (g->mempolicy.kind == KTSTR_MEMPOLICY_DEFAULT ||
	    (unsigned)g->mempolicy.kind >= KTSTR_MEMPOLICY__COUNT)
		return 0;
	mask = g->mempolicy.kind == KTSTR_MEMPOLICY_PREFERRED ? 1ul << g->mempolicy.nodes
							       : g->mempolicy.nodes;
	if (syscall(SYS_set_mempolicy, modes[g->mempolicy.kind],
		    g->mempolicy.kind == KTSTR_MEMPOLICY_LOCAL ? NULL : &mask,
		    g->mempolicy.kind == KTSTR_MEMPOLICY_LOCAL ? 0ul : (unsigned long)KTSTR_MAX_NUMA_NODES + 1))
		return -errno;
	return 0;
}

static int set_policy(pid_t pid, const struct ktstr_policy *p)
{
	struct agent_sched_attr attr = { .size = sizeof(attr) };

	switch (p->kind) {
	case KTSTR_POLICY_NORMAL:
		return 0;          /* what fork gave it */
	case KTSTR_POLICY_BATCH:
		attr.sched_policy = SCHED_BATCH;
		break;
	case KTSTR_POLICY_IDLE:
		attr.sched_policy = SCHED_IDLE;
		break;
	case KTSTR_POLICY_FIFO:
	case KTSTR_POLICY_RR:
		attr.sched_policy = p->kind == KTSTR_POLICY_FIFO ? SCHED_FIFO : SCHED_RR;
		attr.sched_priority = p->priority;
		break;
	case KTSTR_POLICY_DEADLINE:
		attr.sched_policy = SCHED_DEADLINE;
		attr.sched_runtime = p->runtime_ms * 1000000ull;
		attr.sched_deadline = p->deadline_ms * 1000000ull;
		attr.sched_period = p->period_ms * 1000000ull;
		break;
	default:
		return -EINVAL;
	}
	return syscall(SYS_sched_setattr, pid, &attr, 0) ? -errno : 0;
}

/* xorshift32: a worker's random CPUs must differ without libc's shared state */
static unsigned next_rand(unsigned *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

bool agent_affinity_resolve(const struct ktstr_affinity *a, const struct ktstr_cpuset *allowed,
			    const struct ktstr_topo_map *map, unsigned k, unsigned seed,
			    struct ktstr_cpuset *out)
{
	unsigned cpus[KTSTR_MAX_CPUS], n = 0, x = seed * 2654435761u + k * 40503u + 1;

	for (unsigned c = 0; c < KTSTR_MAX_CPUS; c++)
		if (ktstr_cpuset_test(allowed, c))
			cpus[n++] = c;
	ktstr_cpuset_zero(out);
	switch (a->kind) {
	case KTSTR_AFFINITY_INHERIT:
		return false;
	case KTSTR_AFFINITY_RANDOM:
		if (a->count >= n)
			*out = *allowed;
		else
			for (unsigned got = 0; got < a->count; ) {
				unsigned c = cpus[next_rand(&x) % n];

				if (!ktstr_cpuset_test(out, c)) {
					ktstr_cpuset_set(out, c);
					got++;
				}
			}
		return true;
	case KTSTR_AFFINITY_LLC:
		for (unsigned i = 0; n && i < map->n; i++)
			for (unsigned j = 0; j < map->n; j++)
				if (map->cpus[j].cpu == cpus[0] && map->cpus[i].llc == map->cpus[j].llc)
					ktstr_cpuset_set(out, map->cpus[i].cpu);
		return true;
	case KTSTR_AFFINITY_CROSS_CGROUP:
		for (unsigned i = 0; i < map->n; i++)
			ktstr_cpuset_set(out, map->cpus[i].cpu);
		return true;
	case KTSTR_AFFINITY_SINGLE_CPU:
		if (n)
			ktstr_cpuset_set(out, cpus[k % n]);
		return true;
	case KTSTR_AFFINITY_EXACT:
		if (ktstr_cpulist_parse(a->exact, out))
			ktstr_cpuset_zero(out);
		return true;
	case KTSTR_AFFINITY__COUNT:
		break;
	}
	return false;
}

/* The CPUs a worker's cgroup offers it: cpuset.cpus.effective, else every CPU. */
static void cgroup_cpus(const struct agent_cgroups *cg, const char *cgroup,
			const struct ktstr_topo_map *map, struct ktstr_cpuset *out)
{
	char list[KTSTR_CPULIST_MAX];

	if (cgroup[0] && agent_cgroup_read(cg, cgroup, "cpuset.cpus.effective", list,
					   sizeof(list)) > 0 &&
	    !ktstr_cpulist_parse(list, out) && ktstr_cpuset_count(out))
		return;
	ktstr_cpuset_zero(out);
	for (unsigned i = 0; i < map->n; i++)
		ktstr_cpuset_set(out, map->cpus[i].cpu);
}

static int set_affinity(struct agent_worker *w, const struct ktstr_affinity *a,
			const struct ktstr_cpuset *allowed, const struct ktstr_topo_map *map,
			unsigned seed, struct ktstr_err *err)
{
	struct ktstr_cpuset want;
	char list[KTSTR_CPULIST_MAX];
	cpu_set_t set;

	if (!agent_affinity_resolve(a, allowed, map, w->group_index, seed, &want))
		return 0;
	CPU_ZERO(&set);
	for (unsigned c = 0; c < KTSTR_MAX_CPUS && c < CPU_SETSIZE; c++)
		if (ktstr_cpuset_test(&want, c))
			CPU_SET(c, &set);
	if (ktstr_cpulist_format(&want, list, sizeof(list)))
		list[0] = '\0';
	if (!CPU_COUNT(&set))
		return ktstr_err_set(err, -EINVAL,
				     "cgroup '%s': affinity %s leaves worker %u no CPU (cgroup CPUs "
				     "and the affinity do not intersect)", w->cgroup[0] ? w->cgroup : "(host)",
				     ktstr_affinity_kind_name(a->kind), w->index);
	if (sched_setaffinity(w->pid, sizeof(set), &set))
		return ktstr_err_set(err, -errno,
				     "cgroup '%s': set affinity %s (%s) of worker %u: %s",
				     w->cgroup[0] ? w->cgroup : "(host)",
				     ktstr_affinity_kind_name(a->kind), list, w->index, strerror(errno));
	return 0;
}

int agent_worker_attrs_apply(struct agent_workers *ws, unsigned i, const struct agent_cgroups *cg,
			     const struct ktstr_topo_map *map, struct ktstr_err *err)
{
	struct agent_worker *w = &ws->w[i];
	const struct ktstr_work_group *g = w->def;
	const char *label = w->cgroup[0] ? w->cgroup : "(host)";
	struct ktstr_cpuset allowed;
	int ret;

	if (!g)
		return 0;
	ret = set_policy(w->pid, &g->policy);
	if (ret)
		return ktstr_err_set(err, ret,
				     "cgroup '%s': set policy %s of worker %u: %s%s", label,
				     ktstr_policy_kind_name(g->policy.kind), w->index, strerror(-ret),
				     ret == -EBUSY ? " (SCHED_DEADLINE admission control refused "
						     "the reservation)"
				     : ret == -EPERM && g->policy.kind == KTSTR_POLICY_DEADLINE
				     ? " (a SCHED_DEADLINE task must be allowed on every CPU: its "
				       "cgroup's cpuset is narrower)" : "");
	if (g->nice != KTSTR_NICE_UNSET && setpriority(PRIO_PROCESS, (id_t)w->pid, g->nice))
		return ktstr_err_set(err, -errno, "cgroup '%s': set nice %d of worker %u: %s",
				     label, g->nice, w->index, strerror(errno));
	if (g->affinity.kind == KTSTR_AFFINITY_INHERIT)
		return 0;
	cgroup_cpus(cg, w->cgroup, map, &allowed);
	return set_affinity(w, &g->affinity, &allowed, map, 0, err);
}

int agent_workers_set_affinity(struct agent_workers *ws, const char *cgroup,
			       const struct ktstr_affinity *a, const struct agent_cgroups *cg,
			       const struct ktstr_topo_map *map, struct ktstr_err *err)
{
	static unsigned applications;
	struct ktstr_cpuset allowed;
	struct ktstr_affinity all = { .kind = KTSTR_AFFINITY_CROSS_CGROUP };

	cgroup_cpus(cg, cgroup, map, &allowed);
	applications++;
	for (unsigned i = 0; i < ws->n; i++) {
		struct agent_worker *w = &ws->w[i];
		int ret;

		if (w->status != AGENT_WORKER_RUNNING || strcmp(w->cgroup, cgroup))
			continue;
		/* inherit: undo an earlier pin by allowing every CPU again */
		ret = set_affinity(w, a->kind == KTSTR_AFFINITY_INHERIT ? &all : a, &allowed, map,
				   applications, err);
		/* a worker that exited meanwhile has nothing to re-pin */
		if (ret == -ESRCH)
			continue;
		if (ret)
			return ret;
	}
	return 0;
}
