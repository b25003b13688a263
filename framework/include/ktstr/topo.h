/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A CPU topology map (which LLC / NUMA node / core each CPU belongs to) and
 * cpuset resolution against it.  The build-time validator resolves cpuset
 * specs against a map synthesised from the requested topology; the guest
 * agent resolves the same specs against a map read from sysfs.  One function
 * for both means a spec that validates is a spec the guest can apply.
 *
 * CPU numbering of a synthesised map (and of QEMU with sockets = LLCs):
 * thread fastest, then core, then LLC; LLCs are split evenly and
 * contiguously over NUMA nodes.
 */
#ifndef KTSTR_TOPO_H
#define KTSTR_TOPO_H

#include <stddef.h>

#include "ktstr/cpulist.h"
#include "ktstr/scenario.h"

struct ktstr_cpu_info {
	unsigned cpu;
	int llc;                   /* dense LLC index, 0..n_llcs-1 */
	int node;                  /* NUMA node id */
	int core;                  /* dense machine-wide core index */
};

struct ktstr_topo_map {
	struct ktstr_cpu_info cpus[KTSTR_MAX_CPUS];
	unsigned n;                /* number of CPUs, cpus[] sorted by cpu */
	unsigned n_llcs;
	unsigned n_nodes;
};

/* Synthesise the map QEMU will present for t. */
void ktstr_topo_map_from_spec(const struct ktstr_topology *t, struct ktstr_topo_map *m);

/*
 * CPUs cpusets may use: all CPUs when there are at most 2, otherwise all but
 * the last one, which stays with the root cgroup (the agent and the kernel's
 * housekeeping run there), as ktstr does.
 */
void ktstr_topo_usable(const struct ktstr_topo_map *m, struct ktstr_cpuset *usable);

/*
 * Resolve spec against m.  KTSTR_CPUSET_NONE yields the empty set (meaning:
 * inherit).  On failure returns -EINVAL with err set to the part of the
 * message after "CpusetSpec validation failed: ", e.g.
 * "not enough usable CPUs (4) for 8 partitions".
 */
int ktstr_cpuset_resolve(const struct ktstr_cpuset_spec *spec, const struct ktstr_topo_map *m,
			 struct ktstr_cpuset *out, char *err, size_t errlen);

#endif /* KTSTR_TOPO_H */
