/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The topology the guest really sees, read from sysfs: reported to the host
 * in the TOPOLOGY frame (so a QEMU that presented something other than what
 * was asked is visible) and turned into a ktstr_topo_map for cpuset
 * resolution.  Every reader takes its root so tests can use a fake tree.
 */
#ifndef AGENT_TOPOLOGY_H
#define AGENT_TOPOLOGY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "ktstr/cpulist.h"
#include "ktstr/error.h"
#include "ktstr/topo.h"

struct agent_cpu {
	unsigned cpu;
	int package;               /* topology/physical_package_id */
	int core_id;               /* topology/core_id (unique per package only) */
	int node;                  /* NUMA node; 0 without node directories */
	struct ktstr_cpuset llc;   /* CPUs sharing the last-level cache */
	struct ktstr_cpuset siblings; /* SMT siblings, this CPU included */
};

struct agent_topo {
	struct ktstr_cpuset online;
	struct agent_cpu cpus[KTSTR_MAX_CPUS];
	unsigned n;                /* online CPUs, cpus[] ascending */
	uint64_t mem_total_kb;
	bool scx_present;          /* /sys/kernel/sched_ext exists */
	char scx_state[32];        /* its `state`, or "absent" */
};

/*
 * Read the topology from sysfs_root (normally "/sys") and the memory size
 * from proc_root ("/proc").  Returns 0 or -errno with err naming the file.
 */
int agent_topo_read(const char *sysfs_root, const char *proc_root, struct agent_topo *t,
		    struct ktstr_err *err);

/* The TOPOLOGY payload (new reference; NULL on allocation failure). */
json_t *agent_topo_json(const struct agent_topo *t);

/*
 * Dense indices for cpuset resolution: LLCs numbered by distinct CPU set in
 * order of their lowest CPU, cores by distinct (package, core_id) likewise,
 * nodes by their kernel id.
 */
void agent_topo_to_map(const struct agent_topo *t, struct ktstr_topo_map *m);

#endif /* AGENT_TOPOLOGY_H */
