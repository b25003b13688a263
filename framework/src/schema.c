// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scenario schema tables and their printer (`ktstr schema`, and
 * docs/scenario-reference.md, which is this printer's markdown output).
 * Adding a key here makes the loader accept it, validate its type and range,
 * and document it; the loader only adds checks that span several keys.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ktstr/scenario_load.h"
#include "schema.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NO_RANGE .min = 1, .max = 0

/* ---- cpuset specs ------------------------------------------------------ */

static const struct ktstr_schema_field disjoint_fields[] = {
	{ .key = "index", .type = KTSTR_ST_UINT, .required = true,
	  .min = 0, .max = KTSTR_MAX_CPUS - 1, .off = offsetof(struct ktstr_cpuset_spec, index),
	  .doc = "Which partition, counting from 0; must be below `of`." },
	{ .key = "of", .type = KTSTR_ST_UINT, .required = true,
	  .min = 1, .max = KTSTR_MAX_CPUS, .off = offsetof(struct ktstr_cpuset_spec, of),
	  .doc = "Number of equal partitions of the usable CPUs; the last one also takes "
		 "the remainder. Needs at least `of` usable CPUs." },
};

static const struct ktstr_schema_map disjoint_map = {
	.id = KTSTR_SEC_DISJOINT, .name = "disjoint", .noun = "disjoint cpuset",
	.title = "cpuset: disjoint",
	.doc = "`disjoint: {index: I, of: N}` splits the usable CPUs (in CPU order) into "
	       "N equal chunks and takes chunk I. Cgroups using different indexes of the "
	       "same N never share a CPU.",
	.fields = disjoint_fields, .n_fields = N(disjoint_fields),
};

static const struct ktstr_schema_field overlap_fields[] = {
	{ .key = "index", .type = KTSTR_ST_UINT, .required = true,
	  .min = 0, .max = KTSTR_MAX_CPUS - 1, .off = offsetof(struct ktstr_cpuset_spec, index),
	  .doc = "Which partition, counting from 0; must be below `of`." },
	{ .key = "of", .type = KTSTR_ST_UINT, .required = true,
	  .min = 1, .max = KTSTR_MAX_CPUS, .off = offsetof(struct ktstr_cpuset_spec, of),
	  .doc = "Number of partitions, as for `disjoint`." },
	{ .key = "frac", .type = KTSTR_ST_NUMBER, .required = true, NO_RANGE,
	  .off = offsetof(struct ktstr_cpuset_spec, frac),
	  .def = NULL,
	  .doc = "How far the chunk grows into each neighbouring chunk, as a fraction of the "
		 "chunk size; must lie in [0.0, 1.0]. The first and last chunks do not grow "
		 "past the ends." },
};

static const struct ktstr_schema_map overlap_map = {
	.id = KTSTR_SEC_OVERLAP, .name = "overlap", .noun = "overlap cpuset",
	.title = "cpuset: overlap",
	.doc = "`overlap: {index: I, of: N, frac: F}` is the `disjoint` chunk widened by "
	       "chunk size times F on each inner side, so neighbouring cgroups share CPUs.",
	.fields = overlap_fields, .n_fields = N(overlap_fields),
};

static const struct ktstr_schema_field cpuset_fields[] = {
	{ .key = "llc", .type = KTSTR_ST_UINT, .tag = KTSTR_CPUSET_LLC,
	  .min = 0, .max = 63, .off = offsetof(struct ktstr_cpuset_spec, index),
	  .doc = "All usable CPUs of last-level cache N (0-based, below `topology.llcs`)." },
	{ .key = "numa", .type = KTSTR_ST_UINT, .tag = KTSTR_CPUSET_NUMA,
	  .min = 0, .max = KTSTR_MAX_NUMA_NODES - 1, .off = offsetof(struct ktstr_cpuset_spec, index),
	  .doc = "All usable CPUs of NUMA node N (0-based, below `topology.numa_nodes`)." },
	{ .key = "range", .type = KTSTR_ST_FRAC_PAIR, .tag = KTSTR_CPUSET_RANGE, NO_RANGE,
	  .doc = "`[start_frac, end_frac]`: the slice [len*start, len*end) of the usable "
		 "CPUs; both in [0.0, 1.0] and start < end." },
	{ .key = "disjoint", .type = KTSTR_ST_MAP, .tag = KTSTR_CPUSET_DISJOINT, NO_RANGE,
	  .sub = &disjoint_map, .doc = "Partition I of N, no sharing." },
	{ .key = "overlap", .type = KTSTR_ST_MAP, .tag = KTSTR_CPUSET_OVERLAP, NO_RANGE,
	  .sub = &overlap_map, .doc = "Partition I of N, widened into its neighbours." },
	{ .key = "exact", .type = KTSTR_ST_STRING, .tag = KTSTR_CPUSET_EXACT,
	  .min = 1, .max = KTSTR_CPULIST_MAX - 1, .off = offsetof(struct ktstr_cpuset_spec, exact),
	  .size = KTSTR_CPULIST_MAX,
	  .doc = "An explicit cpulist such as \"0-1,3\"; every CPU must exist in the topology. "
		 "A plain string in place of the mapping means the same." },
};

static const struct ktstr_schema_map cpuset_map = {
	.id = KTSTR_SEC_CPUSET, .name = "cpuset", .noun = "cpuset",
	.title = "cpuset specs",
	.doc = "A cpuset is a cpulist string (`\"0-1,3\"`) or a mapping with exactly one of "
	       "the keys below. Specs other than `exact` are resolved against the usable "
	       "CPUs: every CPU of the topology except the highest-numbered one, which stays "
	       "with the root cgroup for the guest agent (all CPUs when there are at most 2). "
	       "`ktstr validate` resolves every spec against the declared topology, so a "
	       "spec that validates is one the guest can apply.",
	.fields = cpuset_fields, .n_fields = N(cpuset_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_cpuset_spec, loc),
};

/* ---- work types ---------------------------------------------------------- */

/* Offsets are into struct ktstr_work_group: the mapping fills the group's fields. */
#define WP_OFF(p) offsetof(struct ktstr_work_group, work_params.v[KTSTR_WP_##p])
/* ... and the members of work_params beside v[] (Sequence's phases). */
#define WPM_OFF(m) offsetof(struct ktstr_work_group, work_params.m)

static const struct ktstr_schema_field work_fields[] = {
	{ .key = "type", .type = KTSTR_ST_WORK, .required = true, NO_RANGE,
	  .off = offsetof(struct ktstr_work_group, work),
	  .doc = "The work type, as in the plain-string form." },
	{ .key = "burst_ms", .type = KTSTR_ST_UINT, .min = 1, .max = 60000,
	  .off = WP_OFF(BURST_MS), .def = "50",
	  .doc = "`Bursty`: milliseconds of spinning per cycle." },
	{ .key = "sleep_ms", .type = KTSTR_ST_UINT, .min = 1, .max = 60000,
	  .off = WP_OFF(SLEEP_MS), .def = "100",
	  .doc = "`Bursty`: milliseconds of sleep per cycle." },
	{ .key = "burst_iters", .type = KTSTR_ST_UINT, .min = 1, .max = 1 << 24,
	  .off = WP_OFF(BURST_ITERS), .def = "1024",
	  .doc = "`PipeIo`: spin iterations between two pipe exchanges; `CachePipe`: buffer "
		 "touches between two exchanges." },
	{ .key = "spin_iters", .type = KTSTR_ST_UINT, .min = 1, .max = 1 << 24,
	  .off = WP_OFF(SPIN_ITERS), .def = "1024",
	  .doc = "`FutexPingPong`, `FutexFanOut`, `WakeChain`: spin iterations per turn; "
		 "`ThunderingHerd`: the waker's spin iterations between two wake-ups; "
		 "`AffinityChurn`, `PolicyChurn`: spin iterations between two changes; "
		 "`PageFaultChurn` (default 64 there): spin iterations per cycle." },
	{ .key = "size_kb", .type = KTSTR_ST_UINT, .min = 1, .max = 65536,
	  .off = WP_OFF(SIZE_KB), .def = "32",
	  .doc = "`CachePressure`, `CacheYield`, `CachePipe`: KiB of the per-worker buffer." },
	{ .key = "stride", .type = KTSTR_ST_UINT, .min = 1, .max = 1 << 20,
	  .off = WP_OFF(STRIDE), .def = "64",
	  .doc = "`CachePressure`, `CacheYield`: bytes between two touched locations." },
	{ .key = "fan_out", .type = KTSTR_ST_UINT, .min = 1, .max = 64,
	  .off = WP_OFF(FAN_OUT), .def = "4",
	  .doc = "`FutexFanOut`, `FanOutCompute`: receivers per messenger; the group is "
		 "fan_out + 1 workers." },
	{ .key = "contenders", .type = KTSTR_ST_UINT, .min = 2, .max = 64,
	  .off = WP_OFF(CONTENDERS), .def = "4",
	  .doc = "`MutexContention`: workers sharing one lock; the group size." },
	{ .key = "hold_iters", .type = KTSTR_ST_UINT, .min = 1, .max = 1 << 24,
	  .off = WP_OFF(HOLD_ITERS), .def = "256",
	  .doc = "`MutexContention`: spin iterations with the lock held; `PriorityInversion` "
		 "(default 16384 there): the low-priority holder's spin iterations inside the "
		 "lock." },
	{ .key = "work_iters", .type = KTSTR_ST_UINT, .min = 1, .max = 1 << 24,
	  .off = WP_OFF(WORK_ITERS), .def = "1024",
	  .doc = "`MutexContention`: spin iterations between two acquisitions." },
	{ .key = "region_kb", .type = KTSTR_ST_UINT, .min = 4, .max = 262144,
	  .off = WP_OFF(REGION_KB), .def = "4096",
	  .doc = "`PageFaultChurn`: KiB of the region whose pages are faulted in and dropped." },
	{ .key = "touches_per_cycle", .type = KTSTR_ST_UINT, .min = 1, .max = 65536,
	  .off = WP_OFF(TOUCHES_PER_CYCLE), .def = "256",
	  .doc = "`PageFaultChurn`: random page touches before the region is dropped." },
	{ .key = "file_kb", .type = KTSTR_ST_UINT, .min = 4, .max = 262144,
	  .off = WP_OFF(FILE_KB), .def = "4096",
	  .doc = "`IoRandRead`: KiB of each worker's private file (written once at start, in "
		 "the guest's RAM-backed /tmp)." },
	{ .key = "cache_footprint_kb", .type = KTSTR_ST_UINT, .min = 1, .max = 16384,
	  .off = WP_OFF(CACHE_FOOTPRINT_KB), .def = "256",
	  .doc = "`FanOutCompute`: KiB of a receiver's three u64 matrices together (each "
		 "n x n, n = sqrt(KiB * 1024 / 24), at least 2)." },
	{ .key = "operations", .type = KTSTR_ST_UINT, .min = 1, .max = 1000,
	  .off = WP_OFF(OPERATIONS), .def = "5",
	  .doc = "`FanOutCompute`: matrix multiplies a receiver does per wake-up." },
	{ .key = "sleep_usec", .type = KTSTR_ST_UINT, .min = 1, .max = 1000000,
	  .off = WP_OFF(SLEEP_USEC), .def = "100",
	  .doc = "`FanOutCompute`: microseconds a receiver sleeps after each wake-up, before "
		 "it computes." },
	{ .key = "chain_len", .type = KTSTR_ST_UINT, .min = 2, .max = 64,
	  .off = WP_OFF(CHAIN_LEN), .def = "4",
	  .doc = "`WakeChain`: workers in one ring; the group size." },
	{ .key = "waiters", .type = KTSTR_ST_UINT, .min = 1, .max = 64,
	  .off = WP_OFF(WAITERS), .def = "8",
	  .doc = "`ThunderingHerd`: workers woken at once; the group is waiters + 1." },
	{ .key = "pi", .type = KTSTR_ST_BOOL, NO_RANGE, .off = WP_OFF(PI), .def = "false",
	  .doc = "`PriorityInversion`: `true` takes the lock with FUTEX_LOCK_PI / "
		 "FUTEX_UNLOCK_PI (priority inheritance), `false` with the plain futex mutex." },
	{ .key = "rt_priority", .type = KTSTR_ST_UINT, .min = 1, .max = 99,
	  .off = WP_OFF(RT_PRIORITY), .def = "50",
	  .doc = "`RtStarvation`: SCHED_FIFO priority of the real-time worker." },
	{ .key = "rt_burst_ms", .type = KTSTR_ST_UINT, .min = 1, .max = 60000,
	  .off = WP_OFF(RT_BURST_MS), .def = "80",
	  .doc = "`RtStarvation`: milliseconds the real-time worker spins per cycle." },
	{ .key = "rt_sleep_ms", .type = KTSTR_ST_UINT, .min = 1, .max = 60000,
	  .off = WP_OFF(RT_SLEEP_MS), .def = "20",
	  .doc = "`RtStarvation`: milliseconds the real-time worker sleeps per cycle." },
	{ .key = "phases", .type = KTSTR_ST_PHASES, .min = 1, .max = KTSTR_MAX_PHASES,
	  .off = WPM_OFF(phases), .count_off = WPM_OFF(n_phases), .def = "(required by Sequence)",
	  .doc = "`Sequence` (and only it; required there): the phases a worker cycles "
		 "through, each a mapping with exactly one of `spin`, `sleep`, `yield`, `io` "
		 "and a duration from 1ms to 1m, e.g. `[{spin: 5ms}, {sleep: 2ms}]`." },
};

static const struct ktstr_schema_map work_map = {
	.id = KTSTR_SEC_WORK, .name = "work", .noun = "work mapping",
	.title = "work: with parameters",
	.doc = "`work: {type: Bursty, burst_ms: 20, sleep_ms: 80}` chooses a work type and "
	       "sets its parameters; a type accepts only the parameters listed for it below, "
	       "and the ones left out take their defaults. Grouped types (pairs: `PipeIo`, "
	       "`FutexPingPong`, `CachePipe`, `RtStarvation`; `FutexFanOut`, `FanOutCompute`: "
	       "fan_out + 1; `MutexContention`: contenders; `WakeChain`: chain_len; "
	       "`ThunderingHerd`: waiters + 1; `PriorityInversion`: 3) need the cgroup's "
	       "`workers` to be a multiple of the group size. See [workloads](workloads.md).",
	.fields = work_fields, .n_fields = N(work_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_work_group, work_loc),
};

/* ---- scheduling policy, affinity, memory policy ------------------------- */

static const struct ktstr_schema_field deadline_fields[] = {
	{ .key = "runtime", .type = KTSTR_ST_DURATION, .required = true, .min = 1, .max = 1000,
	  .off = offsetof(struct ktstr_policy, runtime_ms),
	  .doc = "CPU time the task may use per period." },
	{ .key = "deadline", .type = KTSTR_ST_DURATION, .required = true, .min = 1, .max = 1000,
	  .off = offsetof(struct ktstr_policy, deadline_ms),
	  .doc = "Relative deadline; runtime <= deadline <= period." },
	{ .key = "period", .type = KTSTR_ST_DURATION, .required = true, .min = 1, .max = 1000,
	  .off = offsetof(struct ktstr_policy, period_ms),
	  .doc = "Period of the reservation." },
};

static const struct ktstr_schema_map deadline_map = {
	.id = KTSTR_SEC_DEADLINE, .name = "deadline", .noun = "deadline policy",
	.title = "policy: deadline",
	.doc = "`policy: {deadline: {runtime: 2ms, deadline: 10ms, period: 10ms}}` runs the "
	       "workers as SCHED_DEADLINE tasks. The kernel's admission control refuses "
	       "reservations that, over all CPUs, exceed `kernel.sched_rt_runtime_us`; such a "
	       "refusal fails the run with the errno.",
	.fields = deadline_fields, .n_fields = N(deadline_fields),
};

static const struct ktstr_schema_field policy_fields[] = {
	{ .key = "normal", .type = KTSTR_ST_FLAG, .tag = KTSTR_POLICY_NORMAL, NO_RANGE,
	  .doc = "SCHED_OTHER: the fair class (or the sched_ext scheduler under test)." },
	{ .key = "batch", .type = KTSTR_ST_FLAG, .tag = KTSTR_POLICY_BATCH, NO_RANGE,
	  .doc = "SCHED_BATCH: fair, but treated as CPU-bound (no wakeup preemption)." },
	{ .key = "idle", .type = KTSTR_ST_FLAG, .tag = KTSTR_POLICY_IDLE, NO_RANGE,
	  .doc = "SCHED_IDLE: runs only when nothing else wants the CPU." },
	{ .key = "fifo", .type = KTSTR_ST_UINT, .tag = KTSTR_POLICY_FIFO, .min = 1, .max = 99,
	  .off = offsetof(struct ktstr_policy, priority),
	  .doc = "`{fifo: PRIORITY}`: SCHED_FIFO real-time at that priority." },
	{ .key = "rr", .type = KTSTR_ST_UINT, .tag = KTSTR_POLICY_RR, .min = 1, .max = 99,
	  .off = offsetof(struct ktstr_policy, priority),
	  .doc = "`{rr: PRIORITY}`: SCHED_RR real-time at that priority." },
	{ .key = "deadline", .type = KTSTR_ST_MAP, .tag = KTSTR_POLICY_DEADLINE, NO_RANGE,
	  .sub = &deadline_map, .doc = "SCHED_DEADLINE with runtime, deadline and period." },
};

static const struct ktstr_schema_map policy_map = {
	.id = KTSTR_SEC_POLICY, .name = "policy", .noun = "policy",
	.title = "policy",
	.doc = "The scheduling policy of a work group's workers, set before they start: "
	       "`normal`, `batch` or `idle` as a string, or a mapping with one key "
	       "(`{fifo: 10}`, `{rr: 5}`, `{deadline: {...}}`). Real-time policies are not "
	       "sched_ext's to schedule: they test how the scheduler under test copes beside them.",
	.fields = policy_fields, .n_fields = N(policy_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_policy, loc),
};

static const struct ktstr_schema_field affinity_fields[] = {
	{ .key = "inherit", .type = KTSTR_ST_FLAG, .tag = KTSTR_AFFINITY_INHERIT, NO_RANGE,
	  .doc = "No sched_setaffinity: the cgroup's cpuset alone decides." },
	{ .key = "random", .type = KTSTR_ST_UINT, .tag = KTSTR_AFFINITY_RANDOM, .min = 1,
	  .max = KTSTR_MAX_CPUS, .off = offsetof(struct ktstr_affinity, count),
	  .doc = "`{random: N}`: each worker gets N CPUs drawn at random from its cgroup's "
		 "CPUs (all of them when the cgroup has fewer)." },
	{ .key = "llc", .type = KTSTR_ST_FLAG, .tag = KTSTR_AFFINITY_LLC, NO_RANGE,
	  .doc = "The CPUs of the LLC holding the cgroup's first CPU." },
	{ .key = "cross_cgroup", .type = KTSTR_ST_FLAG, .tag = KTSTR_AFFINITY_CROSS_CGROUP, NO_RANGE,
	  .doc = "Every CPU of the machine: wider than the cpuset, which still limits." },
	{ .key = "single_cpu", .type = KTSTR_ST_FLAG, .tag = KTSTR_AFFINITY_SINGLE_CPU, NO_RANGE,
	  .doc = "One CPU per worker, round robin over the cgroup's CPUs." },
	{ .key = "exact", .type = KTSTR_ST_STRING, .tag = KTSTR_AFFINITY_EXACT,
	  .min = 1, .max = KTSTR_AFFINITY_LIST_MAX - 1, .off = offsetof(struct ktstr_affinity, exact),
	  .size = KTSTR_AFFINITY_LIST_MAX,
	  .doc = "`{exact: \"0-1\"}`: this cpulist; every CPU must exist in the topology." },
};

static const struct ktstr_schema_map affinity_map = {
	.id = KTSTR_SEC_AFFINITY, .name = "affinity", .noun = "affinity",
	.title = "affinity",
	.doc = "CPU affinity (sched_setaffinity) of a work group's workers, resolved in the "
	       "guest against the cgroup's effective cpuset when the workers start and again "
	       "on each `set_affinity` op: a string (`llc`) or a one-key mapping "
	       "(`{random: 2}`, `{exact: \"0-1\"}`).",
	.fields = affinity_fields, .n_fields = N(affinity_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_affinity, loc),
};

static const struct ktstr_schema_field mempolicy_fields[] = {
	{ .key = "default", .type = KTSTR_ST_FLAG, .tag = KTSTR_MEMPOLICY_DEFAULT, NO_RANGE,
	  .doc = "The kernel's default (local allocation, with NUMA balancing if enabled)." },
	{ .key = "local", .type = KTSTR_ST_FLAG, .tag = KTSTR_MEMPOLICY_LOCAL, NO_RANGE,
	  .doc = "MPOL_LOCAL: allocate on the node of the CPU the task runs on." },
	{ .key = "bind", .type = KTSTR_ST_NODELIST, .tag = KTSTR_MEMPOLICY_BIND, NO_RANGE,
	  .off = offsetof(struct ktstr_mempolicy, nodes),
	  .doc = "`{bind: \"0-1\"}`: MPOL_BIND to these nodes." },
	{ .key = "preferred", .type = KTSTR_ST_UINT, .tag = KTSTR_MEMPOLICY_PREFERRED,
	  .min = 0, .max = KTSTR_MAX_NUMA_NODES - 1, .off = offsetof(struct ktstr_mempolicy, nodes),
	  .doc = "`{preferred: N}`: MPOL_PREFERRED node N." },
	{ .key = "interleave", .type = KTSTR_ST_NODELIST, .tag = KTSTR_MEMPOLICY_INTERLEAVE,
	  NO_RANGE, .off = offsetof(struct ktstr_mempolicy, nodes),
	  .doc = "`{interleave: \"0-1\"}`: MPOL_INTERLEAVE over these nodes." },
};

static const struct ktstr_schema_map mempolicy_map = {
	.id = KTSTR_SEC_MEMPOLICY, .name = "mem_policy", .noun = "mem_policy",
	.title = "mem_policy",
	.doc = "NUMA memory policy (set_mempolicy) of a work group's workers: a string "
	       "(`local`) or a one-key mapping (`{bind: \"0\"}`). Nodes must lie below "
	       "`topology.numa_nodes`.",
	.fields = mempolicy_fields, .n_fields = N(mempolicy_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_mempolicy, loc),
};

/* ---- work groups ----------------------------------------------------------- */

#define DOC_WORKERS "Worker processes of the group. All cgroups and spawn ops together may " \
		    "have at most 512."
#define DOC_WORK "What each worker does: a work type name (`SpinWait`, `YieldHeavy`, `Mixed`, " \
		 "`Bursty`, `IoSyncWrite`, `PipeIo`, `FutexPingPong`, `CachePressure`, " \
		 "`ForkExit`, `CacheYield`, `CachePipe`, `FutexFanOut`, `MutexContention`, " \
		 "`NiceSweep`, `AffinityChurn`, `PolicyChurn`, `PageFaultChurn`, `IoRandRead`, " \
		 "`IoConvoy`, `FanOutCompute`, `Sequence`, `WakeChain`, `ThunderingHerd`, " \
		 "`PriorityInversion`, `RtStarvation`; any case, `spin` for SpinWait) or a " \
		 "mapping with `type` and parameters (`Sequence` needs the mapping, for its " \
		 "`phases`). See [workloads](workloads.md)."
#define DOC_NICE "Nice value (-20..19) set before the workers start; left alone when absent."

/*
 * The keys of one work group.  A cgroup takes them directly (its one group,
 * groups[0]) or as entries of `works`; `pfx` is the path to the group.
 */
#define GROUP_FIELDS(T, pfx, min_workers)                                                    \
	{ .key = "workers", .type = KTSTR_ST_UINT, .min = (min_workers), .max = 256,          \
	  .off = offsetof(T, pfx workers), .def = "2", .doc = DOC_WORKERS },                  \
	{ .key = "work", .type = KTSTR_ST_WORK, NO_RANGE, .sub = &work_map,                   \
	  .off = offsetof(T, pfx work), .def = "SpinWait", .doc = DOC_WORK },                 \
	{ .key = "policy", .type = KTSTR_ST_CHOICE, NO_RANGE, .sub = &policy_map,             \
	  .off = offsetof(T, pfx policy), .def = "normal",                                    \
	  .doc = "Scheduling policy of the workers." },                                       \
	{ .key = "nice", .type = KTSTR_ST_INT, .min = -20, .max = 19,                         \
	  .off = offsetof(T, pfx nice), .def = "(unchanged)", .doc = DOC_NICE },              \
	{ .key = "affinity", .type = KTSTR_ST_CHOICE, NO_RANGE, .sub = &affinity_map,         \
	  .off = offsetof(T, pfx affinity), .def = "inherit",                                 \
	  .doc = "CPU affinity of each worker within the cgroup." },                          \
	{ .key = "mem_policy", .type = KTSTR_ST_CHOICE, NO_RANGE, .sub = &mempolicy_map,      \
	  .off = offsetof(T, pfx mempolicy), .def = "default",                                \
	  .doc = "NUMA memory policy of the workers." }

static const struct ktstr_schema_field group_fields[] = {
	GROUP_FIELDS(struct ktstr_work_group, , 1),
};

static const struct ktstr_schema_map group_map = {
	.id = KTSTR_SEC_GROUP, .name = "work group", .noun = "work group",
	.title = "work groups",
	.doc = "A set of identical workers: an entry of a cgroup's `works` list, or the "
	       "`group` of a `spawn` / `spawn_host` op. A cgroup without `works` is one group "
	       "whose keys sit in the cgroup itself.",
	.fields = group_fields, .n_fields = N(group_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_work_group, loc),
};

/* ---- cgroup knobs ---------------------------------------------------------- */

/* .tag = 1: the value may also be `max` (no limit). */
static const struct ktstr_schema_field knob_fields[] = {
	{ .key = "cpu.max", .type = KTSTR_ST_STRING, .tag = 1, .min = 1, .max = KTSTR_KNOB_VALUE_MAX - 1,
	  .size = KTSTR_KNOB_VALUE_MAX,
	  .doc = "CPU bandwidth limit: `\"QUOTA PERIOD\"` in microseconds (`\"50000 100000\"`), "
		 "`QUOTA` alone (period 100000), a percentage of one CPU (`50%`, `150%`) or `max`." },
	{ .key = "cpu.max.burst", .type = KTSTR_ST_UINT, .min = 0, .max = 1e9,
	  .doc = "Microseconds of unused quota the cgroup may bank for bursts." },
	{ .key = "cpu.weight", .type = KTSTR_ST_UINT, .min = 1, .max = 10000,
	  .doc = "Proportional CPU share (default 100)." },
	{ .key = "cpu.weight.nice", .type = KTSTR_ST_INT, .min = -20, .max = 19,
	  .doc = "The same share as a nice value." },
	{ .key = "cpu.idle", .type = KTSTR_ST_UINT, .min = 0, .max = 1,
	  .doc = "1: the cgroup's tasks are treated as SCHED_IDLE." },
	{ .key = "memory.max", .type = KTSTR_ST_SIZE, .tag = 1, .min = 1, .max = 1 << 20,
	  .doc = "Hard memory limit (`256M`) or `max`; past it the OOM killer runs." },
	{ .key = "memory.high", .type = KTSTR_ST_SIZE, .tag = 1, .min = 1, .max = 1 << 20,
	  .doc = "Memory throttling threshold or `max`." },
	{ .key = "memory.low", .type = KTSTR_ST_SIZE, .min = 0, .max = 1 << 20,
	  .doc = "Best-effort memory protection." },
	{ .key = "memory.min", .type = KTSTR_ST_SIZE, .min = 0, .max = 1 << 20,
	  .doc = "Hard memory protection." },
	{ .key = "pids.max", .type = KTSTR_ST_UINT, .tag = 1, .min = 1, .max = 4194304,
	  .doc = "Process limit or `max`; forks past it fail with EAGAIN." },
	{ .key = "io.weight", .type = KTSTR_ST_UINT, .min = 1, .max = 10000,
	  .doc = "Proportional IO share (default 100); needs an IO scheduler that honours it." },
};

static const struct ktstr_schema_map knob_map = {
	.id = KTSTR_SEC_KNOBS, .name = "knobs", .noun = "knobs",
	.title = "knobs",
	.doc = "`knobs: {cpu.weight: 50, memory.max: 256M}` writes cgroup interface files "
	       "before the cgroup's workers start (and `set_knob` ops write one mid-run). The "
	       "controller of each knob (the part before the first `.`) is enabled "
	       "automatically in every ancestor's `cgroup.subtree_control`. cgroup v2 forbids "
	       "tasks in a cgroup that hands controllers to its children, so a nested cgroup "
	       "with knobs or a cpuset needs a parent without workers.",
	.fields = knob_fields, .n_fields = N(knob_fields),
};

const char *ktstr_knob_name(unsigned id)
{
	return id < N(knob_fields) ? knob_fields[id].key : "?";
}

/* ---- cgroups ------------------------------------------------------------ */

static const struct ktstr_schema_field cgroup_fields[] = {
	{ .key = "name", .type = KTSTR_ST_STRING, .required = true, .strclass = KTSTR_STR_CGNAME,
	  .min = 1, .max = KTSTR_CGPATH_MAX - 1, .off = offsetof(struct ktstr_cgroup_def, name),
	  .size = KTSTR_CGPATH_MAX,
	  .doc = "Cgroup name, unique among the cgroups alive at the same time; ops refer to "
		 "it. `parent/child` nests it under a cgroup declared before it." },
	GROUP_FIELDS(struct ktstr_cgroup_def, groups[0]., 0),
	{ .key = "works", .type = KTSTR_ST_LIST, .min = 1, .max = KTSTR_MAX_WORK_GROUPS,
	  .sub = &group_map, .off = offsetof(struct ktstr_cgroup_def, groups),
	  .size = sizeof(struct ktstr_work_group),
	  .count_off = offsetof(struct ktstr_cgroup_def, n_groups), .def = "(one group)",
	  .doc = "Several work groups in one cgroup, each with its own `workers`, `work`, "
		 "`policy`, `nice`, `affinity` and `mem_policy`; instead of those keys on the "
		 "cgroup." },
	{ .key = "cpuset", .type = KTSTR_ST_CPUSET, NO_RANGE, .sub = &cpuset_map,
	  .off = offsetof(struct ktstr_cgroup_def, cpuset), .def = "(none: inherit)",
	  .doc = "CPUs the cgroup may run on, set before its workers start." },
	{ .key = "knobs", .type = KTSTR_ST_KNOBS, .min = 0, .max = KTSTR_MAX_KNOBS, .sub = &knob_map,
	  .off = offsetof(struct ktstr_cgroup_def, knobs),
	  .count_off = offsetof(struct ktstr_cgroup_def, n_knobs),
	  .def = "(none)", .doc = "Cgroup interface files to write, such as `cpu.max`." },
};

static const struct ktstr_schema_map cgroup_map = {
	.id = KTSTR_SEC_CGROUP, .name = "cgroup", .noun = "cgroup entry",
	.title = "cgroups entries",
	.doc = "Each entry creates one cgroup under the agent's `ktstr` cgroup and spawns its "
	       "workers. The top-level `cgroups` are the backdrop: they live for the whole "
	       "scenario (unless a `remove_cgroup` op ends them). A step's own `cgroups` are "
	       "created when the step starts (after its ops) and removed when it ends.",
	.fields = cgroup_fields, .n_fields = N(cgroup_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_cgroup_def, loc),
};

/* ---- payloads ------------------------------------------------------------ */

static const struct ktstr_schema_field payload_fields[] = {
	{ .key = "name", .type = KTSTR_ST_STRING, .required = true, .strclass = KTSTR_STR_NAME,
	  .min = 1, .max = KTSTR_NAME_MAX - 1, .off = offsetof(struct ktstr_payload, name),
	  .size = KTSTR_NAME_MAX, .doc = "Name the payload ops refer to." },
	{ .key = "path", .type = KTSTR_ST_STRING, .min = 1, .max = KTSTR_PATH_MAX - 1,
	  .off = offsetof(struct ktstr_payload, path), .size = KTSTR_PATH_MAX,
	  .doc = "A host binary, packed into the guest as `/ktstr/payload/NAME` with its ELF "
		 "interpreter and shared libraries (a script goes alone: its `#!` interpreter "
		 "must be in the guest, like `/bin/sh`). A relative path is taken from the "
		 "scenario file's directory. It must exist when the test runs "
		 "([payloads](payloads.md))." },
	{ .key = "command", .type = KTSTR_ST_STRING, .min = 1, .max = KTSTR_DESC_MAX - 1,
	  .off = offsetof(struct ktstr_payload, command), .size = KTSTR_DESC_MAX,
	  .doc = "A shell command line run by the guest's busybox as `sh -c COMMAND NAME "
		 "ARGS...`: `$0` is the payload's name, `$1`... its arguments." },
	{ .key = "args", .type = KTSTR_ST_STRLIST, .min = 0, .max = KTSTR_MAX_PAYLOAD_ARGS,
	  .off = offsetof(struct ktstr_payload, args), .size = KTSTR_STRLIST_ITEM,
	  .count_off = offsetof(struct ktstr_payload, n_args), .def = "(none)",
	  .doc = "Arguments (`path`: the binary's; `command`: the command's `$1`...), before "
		 "those a `run_payload` op adds." },
};

static const struct ktstr_schema_map payload_map = {
	.id = KTSTR_SEC_PAYLOAD, .name = "payload", .noun = "payload entry",
	.title = "payloads entries",
	.doc = "A program run in the guest beside the workers by `run_payload`, exactly one "
	       "of `path` or `command`. Its output (stdout and stderr, the last 4 KiB) goes to "
	       "the dump's `--- payload NAME ---` section; `wait_payload` fails the run when "
	       "it exits non-zero, dies of a signal or outlives its timeout. Payloads still "
	       "running when the scenario ends are killed, their children with them. See "
	       "[payloads](payloads.md).",
	.fields = payload_fields, .n_fields = N(payload_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_payload, loc),
};

/* ---- steps and ops ------------------------------------------------------ */

static const struct ktstr_schema_map sched_map;   /* defined with the scheduler below */

static const struct ktstr_schema_field op_fields[] = {
	{ .key = "op", .type = KTSTR_ST_OPKIND, .required = true, NO_RANGE,
	  .off = offsetof(struct ktstr_op, kind),
	  .doc = "What to do; see the op table above for the keys each op takes." },
	{ .key = "cgroup", .type = KTSTR_ST_STRING, .strclass = KTSTR_STR_CGNAME,
	  .min = 1, .max = KTSTR_CGPATH_MAX - 1, .off = offsetof(struct ktstr_op, cgroup),
	  .size = KTSTR_CGPATH_MAX,
	  .doc = "The cgroup acted on (`move_all_tasks`: the source; `run_payload`: where the "
		 "payload runs, default the root cgroup)." },
	{ .key = "with", .type = KTSTR_ST_STRING, .strclass = KTSTR_STR_CGNAME,
	  .min = 1, .max = KTSTR_CGPATH_MAX - 1, .off = offsetof(struct ktstr_op, to),
	  .size = KTSTR_CGPATH_MAX, .doc = "`swap_cpusets`: the other cgroup." },
	{ .key = "to", .type = KTSTR_ST_STRING, .strclass = KTSTR_STR_CGNAME,
	  .min = 1, .max = KTSTR_CGPATH_MAX - 1, .off = offsetof(struct ktstr_op, to),
	  .size = KTSTR_CGPATH_MAX, .doc = "`move_all_tasks`: the destination cgroup." },
	{ .key = "cpuset", .type = KTSTR_ST_CPUSET, NO_RANGE, .sub = &cpuset_map,
	  .off = offsetof(struct ktstr_op, cpuset),
	  .doc = "`set_cpuset`: the new cpuset; `add_cgroup`: an optional first one." },
	{ .key = "affinity", .type = KTSTR_ST_CHOICE, NO_RANGE, .sub = &affinity_map,
	  .off = offsetof(struct ktstr_op, affinity),
	  .doc = "`set_affinity`: the workers' new affinity, resolved per worker." },
	{ .key = "group", .type = KTSTR_ST_OP_GROUP, NO_RANGE, .sub = &group_map,
	  .off = offsetof(struct ktstr_op, group),
	  .doc = "`spawn`, `spawn_host`: the workers to start." },
	{ .key = "knob", .type = KTSTR_ST_KNOB_NAME, NO_RANGE, .sub = &knob_map,
	  .off = offsetof(struct ktstr_op, knob),
	  .doc = "`set_knob`: which cgroup file, as in `knobs`." },
	{ .key = "value", .type = KTSTR_ST_STRING, .min = 1, .max = KTSTR_KNOB_VALUE_MAX - 1,
	  .off = offsetof(struct ktstr_op, knob.value), .size = KTSTR_KNOB_VALUE_MAX,
	  .doc = "`set_knob`: the value, with the knob's syntax." },
	{ .key = "payload", .type = KTSTR_ST_STRING, .strclass = KTSTR_STR_NAME,
	  .min = 1, .max = KTSTR_NAME_MAX - 1, .off = offsetof(struct ktstr_op, payload),
	  .size = KTSTR_NAME_MAX, .doc = "`run/wait/kill_payload`: a name from `payloads`." },
	{ .key = "args", .type = KTSTR_ST_STRLIST, .min = 0, .max = KTSTR_MAX_PAYLOAD_ARGS,
	  .off = offsetof(struct ktstr_op, args), .size = KTSTR_STRLIST_ITEM,
	  .count_off = offsetof(struct ktstr_op, n_args),
	  .doc = "`run_payload`: arguments appended to the payload's own." },
	{ .key = "timeout", .type = KTSTR_ST_DURATION, .min = 1, .max = 3600000,
	  .off = offsetof(struct ktstr_op, timeout_ms),
	  .doc = "`wait_payload`: fail (and kill it) when the payload has not exited by then "
		 "(default: when the step's hold would end; the time waited is part of the "
		 "step's hold)." },
	{ .key = "scheduler", .type = KTSTR_ST_OP_SCHED, NO_RANGE, .sub = &sched_map,
	  .off = offsetof(struct ktstr_op, sched),
	  .doc = "`attach_scheduler` (default: the scenario's), `replace_scheduler`: the "
		 "sched_ext scheduler to start, as in the top-level `scheduler` mapping; found "
		 "and packed like it, except that `KTSTR_SCHEDULER` does not apply "
		 "([scheduler ops](schedulers.md#scheduler-ops))." },
};

static const char op_doc[] =
	"An op changes the running scenario when its step starts, in list order (a step's "
	"own `cgroups` are created after its ops). Which keys each op takes:\n\n"
	"| Op | Keys | Effect |\n|---|---|---|\n"
	"| `set_cpuset` | `cgroup`, `cpuset` | write the cgroup's cpuset |\n"
	"| `clear_cpuset` | `cgroup` | empty cpuset: inherit the parent's CPUs |\n"
	"| `swap_cpusets` | `cgroup`, `with` | exchange two cgroups' cpusets |\n"
	"| `add_cgroup` | `cgroup`, `cpuset`? | create an empty cgroup (workers come with `spawn`) |\n"
	"| `remove_cgroup` | `cgroup` | stop its workers, move leftover tasks out, remove it |\n"
	"| `spawn` | `cgroup`, `group` | start more workers in a cgroup |\n"
	"| `spawn_host` | `group` | start workers in the root cgroup, outside every scenario "
	"cgroup: host contention |\n"
	"| `stop_cgroup` | `cgroup` | stop the cgroup's workers (their telemetry is kept) |\n"
	"| `set_affinity` | `cgroup`, `affinity` | re-pin every worker of the cgroup |\n"
	"| `move_all_tasks` | `cgroup`, `to` | move every task of one cgroup into another |\n"
	"| `set_knob` | `cgroup`, `knob`, `value` | write one cgroup knob |\n"
	"| `freeze` / `unfreeze` | `cgroup` | cgroup.freeze; frozen time is not a scheduling gap |\n"
	"| `run_payload` | `payload`, `args`?, `cgroup`? | start a payload in the background |\n"
	"| `wait_payload` | `payload`, `timeout`? | wait for it to exit; non-zero fails the run |\n"
	"| `kill_payload` | `payload` | SIGKILL it and reap it |\n"
	"| `attach_scheduler` | `scheduler`? | start a sched_ext scheduler and wait for it to attach |\n"
	"| `detach_scheduler` | | stop the sched_ext scheduler and wait until sched_ext is off: "
	"tasks fall back to EEVDF |\n"
	"| `restart_scheduler` | | stop and start the same scheduler again |\n"
	"| `replace_scheduler` | `scheduler` | stop the running scheduler, start another |\n\n"
	"Ops are checked against the scenario's timeline at build time: a cgroup must exist "
	"when an op names it, a payload must be running to be waited for, a scheduler must "
	"be attached to be detached.";

static const struct ktstr_schema_map op_map = {
	.id = KTSTR_SEC_OP, .name = "op", .noun = "op entry",
	.title = "ops entries",
	.doc = op_doc,
	.fields = op_fields, .n_fields = N(op_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_op, loc),
};

static const struct ktstr_schema_field loop_fields[] = {
	{ .key = "loop", .type = KTSTR_ST_DURATION, .required = true, .min = 10, .max = 3600000,
	  .off = offsetof(struct ktstr_step, loop_ms),
	  .doc = "Interval between two applications of the step's ops." },
};

static const struct ktstr_schema_map loop_map = {
	.id = KTSTR_SEC_LOOP, .name = "hold loop", .noun = "hold loop",
	.title = "hold: loop",
	.doc = "`hold: {loop: 500ms}` holds for the rest of `duration`, applying the step's ops "
	       "again every interval: cpuset and affinity churn. Only the last step may loop, "
	       "and only with ops that can repeat (`set_cpuset`, `clear_cpuset`, "
	       "`swap_cpusets`, `set_affinity`, `move_all_tasks`, `set_knob`, "
	       "`restart_scheduler`).",
	.fields = loop_fields, .n_fields = N(loop_fields),
};

static const struct ktstr_schema_field step_fields[] = {
	{ .key = "hold", .type = KTSTR_ST_HOLD, .required = true, .sub = &loop_map,
	  .min = 1, .max = 3600000, .off = offsetof(struct ktstr_step, hold_frac),
	  .doc = "How long the step lasts: a number in (0, 1] is that fraction of `duration`; "
		 "a duration such as `2s` is a fixed time; `{loop: 500ms}` repeats the ops until "
		 "the end. Fractions of all steps sum to at most 1.0 and all holds together fit "
		 "in `duration`." },
	{ .key = "ops", .type = KTSTR_ST_LIST, .min = 0, .max = KTSTR_MAX_OPS, .sub = &op_map,
	  .off = offsetof(struct ktstr_step, ops), .size = sizeof(struct ktstr_op),
	  .count_off = offsetof(struct ktstr_step, n_ops), .def = "(none)",
	  .doc = "Ops applied, in order, when the step starts." },
	{ .key = "cgroups", .type = KTSTR_ST_STEP_CGROUPS, .min = 1, .max = KTSTR_MAX_CGROUPS,
	  .sub = &cgroup_map, .count_off = offsetof(struct ktstr_step, n_cgroups),
	  .def = "(none)",
	  .doc = "Cgroups that live for this step only: created after its ops, removed with "
		 "their workers when it ends. Same keys as the top-level `cgroups`." },
};

static const struct ktstr_schema_map step_map = {
	.id = KTSTR_SEC_STEP, .name = "step", .noun = "step entry",
	.title = "steps entries",
	.doc = "Steps run in order; each applies its ops, creates its own cgroups, then holds.",
	.fields = step_fields, .n_fields = N(step_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_step, loc),
};

/* ---- scheduler, topology, checks --------------------------------------- */

/* Defined below; a scheduler has a layer of the same thresholds. */
static const struct ktstr_schema_map checks_map;

static const struct ktstr_schema_field flag_fields[] = {
	{ .key = "name", .type = KTSTR_ST_STRING, .required = true, .strclass = KTSTR_STR_NAME,
	  .min = 1, .max = KTSTR_NAME_MAX - 1, .off = offsetof(struct ktstr_sched_flag, name),
	  .size = KTSTR_NAME_MAX,
	  .doc = "The flag's name, unique within the scheduler; `default` is reserved (the "
		 "profile without flags)." },
	{ .key = "args", .type = KTSTR_ST_STRLIST, .min = 0, .max = KTSTR_MAX_FLAG_ARGS,
	  .off = offsetof(struct ktstr_sched_flag, args), .size = KTSTR_STRLIST_ITEM,
	  .count_off = offsetof(struct ktstr_sched_flag, n_args), .def = "(none)",
	  .doc = "Arguments appended to the scheduler's `args` when the flag is on, in flag "
		 "declaration order." },
	{ .key = "requires", .type = KTSTR_ST_STRLIST, .min = 0, .max = KTSTR_MAX_FLAG_REQUIRES,
	  .off = offsetof(struct ktstr_sched_flag, requires), .size = KTSTR_STRLIST_ITEM,
	  .count_off = offsetof(struct ktstr_sched_flag, n_requires), .def = "(none)",
	  .doc = "Names of flags of the same scheduler that must be on whenever this one is; "
		 "no cycles." },
};

static const struct ktstr_schema_map flag_map = {
	.id = KTSTR_SEC_FLAG, .name = "flag", .noun = "flag entry",
	.title = "scheduler flags",
	.doc = "A scheduler's `flags` are optional features. Every set of them that holds "
	       "each member's `requires` is a **profile**: `default` (no flags), then each "
	       "allowed combination, displayed as its flags sorted by name and joined by `+` "
	       "(`llc+steal`). Each profile is its own variant, so its own CTest test, with "
	       "the flags' `args` appended to the scheduler's `args`. At most 16 profiles per "
	       "scheduler. See [schedulers](schedulers.md#flag-profiles).",
	.fields = flag_fields, .n_fields = N(flag_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_sched_flag, loc),
};

static const struct ktstr_schema_field sched_fields[] = {
	{ .key = "path", .type = KTSTR_ST_STRING, .min = 1, .max = KTSTR_PATH_MAX - 1,
	  .off = offsetof(struct ktstr_scheduler_spec, value), .size = KTSTR_PATH_MAX,
	  .doc = "A sched_ext scheduler binary by path. A relative path is taken from the "
		 "scenario file's directory. It must exist when the test runs." },
	{ .key = "name", .type = KTSTR_ST_STRING, .strclass = KTSTR_STR_NAME,
	  .min = 1, .max = KTSTR_NAME_MAX - 1,
	  .off = offsetof(struct ktstr_scheduler_spec, value), .size = KTSTR_PATH_MAX,
	  .doc = "A sched_ext scheduler binary found by name when the test runs: "
		 "`KTSTR_SCHEDULER_BIN_<NAME>` (upper case, `-` and `.` as `_`), "
		 "`KTSTR_SCHEDULER`, next to the test executable, the build tree's `bpf/` "
		 "and `schedulers/` directories, then `$PATH` (see [schedulers](schedulers.md))." },
	{ .key = "args", .type = KTSTR_ST_STRLIST, .min = 0, .max = KTSTR_MAX_SCHED_ARGS,
	  .off = offsetof(struct ktstr_scheduler_spec, args), .size = KTSTR_STRLIST_ITEM,
	  .count_off = offsetof(struct ktstr_scheduler_spec, n_args), .def = "(none)",
	  .doc = "Arguments passed to the scheduler binary, each at most 127 characters." },
	{ .key = "attach_timeout", .type = KTSTR_ST_DURATION, .min = 1000, .max = 600000,
	  .off = offsetof(struct ktstr_scheduler_spec, attach_timeout_ms), .def = "20s",
	  .doc = "How long the guest waits for `/sys/kernel/sched_ext/state` to read "
		 "`enabled` after starting the scheduler; past it the test fails with "
		 "\"scheduler did not turn on\". Added to the VM's time budget." },
	{ .key = "checks", .type = KTSTR_ST_MAP, NO_RANGE, .sub = &checks_map,
	  .off = offsetof(struct ktstr_scheduler_spec, checks), .def = "(none)",
	  .doc = "This scheduler's check thresholds, the same keys as the top-level `checks`: "
		 "the middle layer between the built-in defaults and the scenario's `checks` "
		 "(a key the scenario sets wins)." },
	{ .key = "flags", .type = KTSTR_ST_LIST, .min = 0, .max = KTSTR_MAX_SCHED_FLAGS,
	  .sub = &flag_map, .off = offsetof(struct ktstr_scheduler_spec, flags),
	  .size = sizeof(struct ktstr_sched_flag),
	  .count_off = offsetof(struct ktstr_scheduler_spec, n_flags), .def = "(none)",
	  .doc = "Optional features, each with the `args` it adds and the flags it "
		 "`requires`; every allowed combination runs as its own test." },
};

static const struct ktstr_schema_map sched_map = {
	.id = KTSTR_SEC_SCHEDULER, .name = "scheduler", .noun = "scheduler",
	.title = "scheduler",
	.doc = "`scheduler: eevdf` runs the kernel's own fair class. The mapping form "
	       "(exactly one of `path` or `name`, plus optional `args`) runs a sched_ext "
	       "scheduler: the binary and its shared libraries go into the guest, the agent "
	       "starts it before the workers, waits for it to attach and watches it for the "
	       "whole run. Its output is the dump's `--- scheduler log ---`. When a check "
	       "fails while it is still attached, the guest triggers its debug dump (SysRq-D) "
	       "before stopping it: the dump's `--- sched_ext dump ---`.",
	.fields = sched_fields, .n_fields = N(sched_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_scheduler_spec, loc),
};

static const struct ktstr_schema_field topo_fields[] = {
	{ .key = "numa_nodes", .type = KTSTR_ST_UINT, .min = 1, .max = KTSTR_MAX_NUMA_NODES,
	  .off = offsetof(struct ktstr_topology, numa_nodes), .def = "1",
	  .doc = "NUMA nodes; the LLCs are split evenly over them." },
	{ .key = "llcs", .type = KTSTR_ST_UINT, .min = 1, .max = 64,
	  .off = offsetof(struct ktstr_topology, llcs), .def = "1",
	  .doc = "Last-level caches in the whole machine; a multiple of `numa_nodes`." },
	{ .key = "cores_per_llc", .type = KTSTR_ST_UINT, .min = 1, .max = 64,
	  .off = offsetof(struct ktstr_topology, cores_per_llc), .def = "2",
	  .doc = "Cores sharing each LLC." },
	{ .key = "threads_per_core", .type = KTSTR_ST_UINT, .min = 1, .max = 4,
	  .off = offsetof(struct ktstr_topology, threads_per_core), .def = "1",
	  .doc = "SMT threads per core. llcs x cores_per_llc x threads_per_core is the CPU "
		 "count, at most 256." },
	{ .key = "memory", .type = KTSTR_ST_SIZE, .min = 128, .max = 65536,
	  .off = offsetof(struct ktstr_topology, memory_mb), .def = "512M",
	  .doc = "Guest memory." },
};

static const struct ktstr_schema_map topo_map = {
	.id = KTSTR_SEC_TOPOLOGY, .name = "topology", .noun = "topology",
	.title = "topology",
	.doc = "The virtual machine's CPU layout. CPUs are numbered thread first, then "
	       "core, then LLC; LLCs are assigned to NUMA nodes in contiguous runs.",
	.fields = topo_fields, .n_fields = N(topo_fields),
};

static const struct ktstr_schema_field checks_fields[] = {
	{ .key = "starvation", .type = KTSTR_ST_BOOL, NO_RANGE,
	  .off = offsetof(struct ktstr_checks, starvation), .def = "(inherited)",
	  .doc = "Fail when a worker made no progress at all." },
	{ .key = "max_gap", .type = KTSTR_ST_DURATION, .min = 1, .max = 3600000,
	  .off = offsetof(struct ktstr_checks, max_gap_ms), .def = "(inherited)",
	  .doc = "Fail when a worker went longer than this without running." },
	{ .key = "max_spread", .type = KTSTR_ST_PERCENT, .min = 0, .max = 100,
	  .off = offsetof(struct ktstr_checks, max_spread_pct), .def = "(inherited)",
	  .doc = "Fail when CPU time within a cgroup differs between workers by more than "
		 "this." },
	{ .key = "isolation", .type = KTSTR_ST_BOOL, NO_RANGE,
	  .off = offsetof(struct ktstr_checks, isolation), .def = "(inherited)",
	  .doc = "Fail when a worker ran on a CPU outside every affinity mask it saw (its "
		 "cgroup's cpuset)." },
	{ .key = "min_work_rate", .type = KTSTR_ST_NUMBER, .min = 0, .max = 1e12,
	  .off = offsetof(struct ktstr_checks, min_work_rate), .def = "(inherited)",
	  .doc = "Fail when a worker did fewer work units per CPU-second than this." },
	{ .key = "max_throughput_cv", .type = KTSTR_ST_RATIO, .min = 0, .max = 10,
	  .off = offsetof(struct ktstr_checks, max_throughput_cv), .def = "(inherited)",
	  .doc = "Fail when the work units per CPU-second of a cgroup's workers vary more than "
		 "this (coefficient of variation: standard deviation / mean)." },
	{ .key = "max_wake_p99", .type = KTSTR_ST_DURATION_US, .min = 1, .max = 60000000,
	  .off = offsetof(struct ktstr_checks, max_wake_p99_us), .def = "(inherited)",
	  .doc = "Fail when a worker's 99th-percentile wake-up latency is above this." },
	{ .key = "max_migration_ratio", .type = KTSTR_ST_RATIO, .min = 0, .max = 1,
	  .off = offsetof(struct ktstr_checks, max_migration_ratio), .def = "(inherited)",
	  .doc = "Fail when a cgroup's workers changed CPU at more than this share of their "
		 "checkpoints." },
	{ .key = "min_numa_locality", .type = KTSTR_ST_RATIO, .min = 0, .max = 1,
	  .off = offsetof(struct ktstr_checks, min_numa_locality), .def = "(inherited)",
	  .doc = "Fail when a worker spent less than this share of its checkpoints on the NUMA "
		 "node it used most. Needs `numa_nodes` > 1." },
};

static const struct ktstr_schema_map checks_map = {
	.id = KTSTR_SEC_CHECKS, .name = "checks", .noun = "checks",
	.title = "checks",
	.doc = "Pass/fail thresholds. A key left out is inherited: built-in defaults, then "
	       "the scheduler's, then these, the last one set wins. [Checks](checks.md) "
	       "explains each one and its default.",
	.fields = checks_fields, .n_fields = N(checks_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_checks, loc),
};

/* ---- matrix ------------------------------------------------------------- */

static const struct ktstr_schema_field matrix_fields[] = {
	{ .key = "topology", .type = KTSTR_ST_TOPOLOGY_LIST, .min = 1,
	  .max = KTSTR_MAX_MATRIX_TOPOLOGIES, .sub = &topo_map,
	  .off = offsetof(struct ktstr_matrix, topos), .size = sizeof(struct ktstr_topology),
	  .count_off = offsetof(struct ktstr_matrix, n_topos), .def = "(the scenario's)",
	  .doc = "Topologies to run under, each a `topology` mapping; keys left out are the "
		 "top-level `topology`'s. Each one's variant name part is its label "
		 "(`1n2l2c1t`), so two entries must differ in their CPU layout." },
	{ .key = "scheduler", .type = KTSTR_ST_SCHEDULER_LIST, .min = 1,
	  .max = KTSTR_MAX_MATRIX_SCHEDULERS, .sub = &sched_map,
	  .off = offsetof(struct ktstr_matrix, scheds),
	  .size = sizeof(struct ktstr_scheduler_spec),
	  .count_off = offsetof(struct ktstr_matrix, n_scheds), .def = "(the scenario's)",
	  .doc = "Schedulers to run under, each `eevdf` or a `scheduler` mapping (with its own "
		 "`args`, `checks` and `flags`). Replaces the top-level `scheduler`, which must "
		 "then be left out. Each one's variant name part is its name (a path's file "
		 "name), so two entries must differ in it." },
};

static const struct ktstr_schema_map matrix_map = {
	.id = KTSTR_SEC_MATRIX, .name = "matrix", .noun = "matrix",
	.title = "matrix",
	.doc = "Runs the scenario once per combination of the listed topologies and "
	       "schedulers (times each scheduler's flag profiles): each combination is a "
	       "**variant** with its own CTest test `ktstr/NAME@VARIANT` and labels "
	       "`topology=`, `scheduler=` (and `flags=`). The variant name joins, with `+`, "
	       "the parts that vary: topology label, scheduler name, flag profile, e.g. "
	       "`1n2l2c1t+scx_simple`. Every combination is validated at build time (cpusets "
	       "resolved against each topology). At most 64 variants. See "
	       "[cmake](cmake.md#variants-matrix-and-flag-profiles).",
	.fields = matrix_fields, .n_fields = N(matrix_fields),
	.has_loc = true, .loc_off = offsetof(struct ktstr_matrix, loc),
};

/* ---- top level ---------------------------------------------------------- */

static const struct ktstr_schema_field top_fields[] = {
	{ .key = "version", .type = KTSTR_ST_VERSION, .min = 1, .max = KTSTR_SCENARIO_VERSION,
	  .off = offsetof(struct ktstr_scenario, version), .def = "1",
	  .doc = "Schema version the file is written for. A newer version is refused "
		 "rather than misread." },
	{ .key = "name", .type = KTSTR_ST_STRING, .strclass = KTSTR_STR_NAME,
	  .min = 1, .max = KTSTR_NAME_MAX - 1, .off = offsetof(struct ktstr_scenario, name),
	  .size = KTSTR_NAME_MAX, .def = "(file name without .yaml)",
	  .doc = "Scenario name, used for the test executable and in reports." },
	{ .key = "description", .type = KTSTR_ST_STRING, .min = 0, .max = KTSTR_DESC_MAX - 1,
	  .off = offsetof(struct ktstr_scenario, description), .size = KTSTR_DESC_MAX,
	  .def = "(empty)", .doc = "One line saying what the scenario exercises." },
	{ .key = "duration", .type = KTSTR_ST_DURATION, .min = 100, .max = 3600000,
	  .off = offsetof(struct ktstr_scenario, duration_ms), .def = "4s",
	  .doc = "How long the workload runs, with a unit: `500ms`, `4s`, `1.5m`, `1h`." },
	{ .key = "topology", .type = KTSTR_ST_MAP, NO_RANGE, .sub = &topo_map,
	  .off = offsetof(struct ktstr_scenario, topo), .def = "(1n1l2c1t, 512M)",
	  .doc = "Virtual machine CPU layout and memory." },
	{ .key = "scheduler", .type = KTSTR_ST_SCHEDULER, NO_RANGE, .sub = &sched_map,
	  .off = offsetof(struct ktstr_scenario, sched), .def = "eevdf",
	  .doc = "Scheduler under test." },
	{ .key = "cgroups", .type = KTSTR_ST_LIST, .required = true,
	  .min = 1, .max = KTSTR_MAX_CGROUPS, .sub = &cgroup_map,
	  .off = offsetof(struct ktstr_scenario, cgroups), .size = sizeof(struct ktstr_cgroup_def),
	  .count_off = offsetof(struct ktstr_scenario, n_cgroups),
	  .doc = "The backdrop: cgroups and their workers that live for the whole scenario." },
	{ .key = "payloads", .type = KTSTR_ST_LIST, .min = 1, .max = KTSTR_MAX_PAYLOADS,
	  .sub = &payload_map, .off = offsetof(struct ktstr_scenario, payloads),
	  .size = sizeof(struct ktstr_payload),
	  .count_off = offsetof(struct ktstr_scenario, n_payloads), .def = "(none)",
	  .doc = "Programs the `run_payload` op can start in the guest." },
	{ .key = "steps", .type = KTSTR_ST_LIST, .min = 1, .max = KTSTR_MAX_STEPS, .sub = &step_map,
	  .off = offsetof(struct ktstr_scenario, steps), .size = sizeof(struct ktstr_step),
	  .count_off = offsetof(struct ktstr_scenario, n_steps),
	  .def = "(one step: all of duration)",
	  .doc = "Phases that change cpusets while the workers run. Without `steps` the "
		 "scenario is a single step holding the whole `duration` with no ops." },
	{ .key = "checks", .type = KTSTR_ST_MAP, NO_RANGE, .sub = &checks_map,
	  .off = offsetof(struct ktstr_scenario, checks), .def = "(inherited)",
	  .doc = "Pass/fail thresholds." },
	{ .key = "sysctls", .type = KTSTR_ST_STRLIST, .min = 0, .max = KTSTR_MAX_SYSCTLS,
	  .off = offsetof(struct ktstr_scenario, sysctls), .size = KTSTR_STRLIST_ITEM,
	  .count_off = offsetof(struct ktstr_scenario, n_sysctls), .def = "(none)",
	  .doc = "`key=value` entries as for sysctl(8) (`kernel.sched_cfs_bandwidth_slice_us=3000`), "
		 "written under `/proc/sys` in the guest before the scheduler starts; a write "
		 "that fails is an error." },
	{ .key = "kernel_args", .type = KTSTR_ST_STRLIST, .min = 0, .max = KTSTR_MAX_KERNEL_ARGS,
	  .off = offsetof(struct ktstr_scenario, kernel_args), .size = KTSTR_STRLIST_ITEM,
	  .count_off = offsetof(struct ktstr_scenario, n_kernel_args), .def = "(none)",
	  .doc = "Extra words for the guest kernel command line (`nohz_full=1`), one per "
		 "entry, without spaces or quotes; `ktstr.*` is reserved." },
	{ .key = "expect_err", .type = KTSTR_ST_EXPECT_ERR, .min = 1, .max = KTSTR_DESC_MAX - 1,
	  .off = offsetof(struct ktstr_scenario, expect_err_text), .size = KTSTR_DESC_MAX,
	  .def = "false",
	  .doc = "The scheduler is expected to fail: `true` (any failure) or a substring the "
		 "failure message or the scheduler's log must contain, e.g. `\"invalid mem "
		 "access\"`. The run passes only when the sched_ext scheduler did not attach, "
		 "died or was disabled (printing `# expect_err: the scheduler failed as expected: "
		 "...`), and fails when it attached and stayed attached. Needs a sched_ext "
		 "`scheduler`. A kernel whose kfunc BTF no released scheduler can match is a SKIP, "
		 "so such a kernel cannot turn these runs green." },
	{ .key = "matrix", .type = KTSTR_ST_MAP, NO_RANGE, .sub = &matrix_map,
	  .off = offsetof(struct ktstr_scenario, matrix), .def = "(none: one run)",
	  .doc = "Topologies and schedulers to run the scenario under, one variant (and one "
		 "test) per combination." },
};

const struct ktstr_schema_map ktstr_schema_top = {
	.id = KTSTR_SEC_TOP, .name = "scenario", .noun = "scenario",
	.title = "Top-level keys",
	.doc = "A scenario file is one YAML mapping. Unknown and duplicate keys are errors, "
	       "except that top-level keys starting with `x-` are ignored: a place for "
	       "anchored templates (`x-templates: {spinner: &spinner {workers: 4}}`).",
	.fields = top_fields, .n_fields = N(top_fields),
};

/*
 * Print order of the reference.  A default in parentheses is prose, not a
 * YAML value, and is shown without code formatting.
 */
static const struct ktstr_schema_map *const sections[KTSTR_SEC__COUNT] = {
	[KTSTR_SEC_TOP] = &ktstr_schema_top,
	[KTSTR_SEC_TOPOLOGY] = &topo_map,
	[KTSTR_SEC_SCHEDULER] = &sched_map,
	[KTSTR_SEC_CGROUP] = &cgroup_map,
	[KTSTR_SEC_WORK] = &work_map,
	[KTSTR_SEC_CPUSET] = &cpuset_map,
	[KTSTR_SEC_DISJOINT] = &disjoint_map,
	[KTSTR_SEC_OVERLAP] = &overlap_map,
	[KTSTR_SEC_STEP] = &step_map,
	[KTSTR_SEC_OP] = &op_map,
	[KTSTR_SEC_CHECKS] = &checks_map,
	[KTSTR_SEC_GROUP] = &group_map,
	[KTSTR_SEC_POLICY] = &policy_map,
	[KTSTR_SEC_DEADLINE] = &deadline_map,
	[KTSTR_SEC_AFFINITY] = &affinity_map,
	[KTSTR_SEC_MEMPOLICY] = &mempolicy_map,
	[KTSTR_SEC_KNOBS] = &knob_map,
	[KTSTR_SEC_PAYLOAD] = &payload_map,
	[KTSTR_SEC_LOOP] = &loop_map,
	[KTSTR_SEC_FLAG] = &flag_map,
	[KTSTR_SEC_MATRIX] = &matrix_map,
};

const struct ktstr_schema_map *ktstr_schema_section(enum ktstr_schema_section id)
{
	return id < KTSTR_SEC__COUNT ? sections[id] : NULL;
}

const struct ktstr_schema_field *ktstr_schema_field(const struct ktstr_schema_map *m,
						    const char *key)
{
	for (size_t i = 0; i < m->n_fields; i++)
		if (strcmp(m->fields[i].key, key) == 0)
			return &m->fields[i];
	return NULL;
}

const char ktstr_schema_example[] =
	"version: 1\n"
	"name: split_then_clear\n"
	"description: two cgroups on disjoint halves, then one is released\n"
	"duration: 6s\n"
	"topology: {numa_nodes: 1, llcs: 2, cores_per_llc: 2, threads_per_core: 1, memory: 1G}\n"
	"scheduler: eevdf\n"
	"cgroups:\n"
	"  - &spinner            # an anchor: later entries reuse it with <<\n"
	"    name: cg_0\n"
	"    workers: 2\n"
	"    work: SpinWait\n"
	"    cpuset: {disjoint: {index: 0, of: 2}}\n"
	"  - <<: *spinner\n"
	"    name: cg_1\n"
	"    cpuset: {disjoint: {index: 1, of: 2}}\n"
	"steps:\n"
	"  - hold: 0.5           # half of duration\n"
	"  - hold: 3s\n"
	"    ops:\n"
	"      - {op: clear_cpuset, cgroup: cg_1}\n"
	"checks:\n"
	"  starvation: true\n"
	"  max_gap: 2s\n"
	"  max_spread: 35%\n";

/* ---- printing ----------------------------------------------------------- */

void ktstr_duration_format(uint64_t ms, char *buf, size_t len)
{
	if (ms && ms % 3600000 == 0)
		snprintf(buf, len, "%" PRIu64 "h", ms / 3600000);
	else if (ms && ms % 60000 == 0)
		snprintf(buf, len, "%" PRIu64 "m", ms / 60000);
	else if (ms % 1000 == 0 && ms)
		snprintf(buf, len, "%" PRIu64 "s", ms / 1000);
	else if (ms < 1000)
		snprintf(buf, len, "%" PRIu64 "ms", ms);
	else {
		/* exact decimal seconds, trailing zeros trimmed: 1500 -> 1.5s */
		char frac[4];
		int i = 2;

		snprintf(frac, sizeof(frac), "%03" PRIu64, ms % 1000);
		while (i > 0 && frac[i] == '0')
			frac[i--] = '\0';
		snprintf(buf, len, "%" PRIu64 ".%ss", ms / 1000, frac);
	}
}

void ktstr_duration_us_format(uint64_t us, char *buf, size_t len)
{
	if (us % 1000 == 0)
		ktstr_duration_format(us / 1000, buf, len);
	else if (us < 1000)
		snprintf(buf, len, "%" PRIu64 "us", us);
	else {
		/* exact decimal milliseconds, trailing zeros trimmed: 1500 -> 1.5ms */
		char frac[4];
		int i = 2;

		snprintf(frac, sizeof(frac), "%03" PRIu64, us % 1000);
		while (i > 0 && frac[i] == '0')
			frac[i--] = '\0';
		snprintf(buf, len, "%" PRIu64 ".%sms", us / 1000, frac);
	}
}

void ktstr_size_format(uint64_t mb, char *buf, size_t len)
{
	if (mb && mb % 1024 == 0)
		snprintf(buf, len, "%" PRIu64 "G", mb / 1024);
	else
		snprintf(buf, len, "%" PRIu64 "M", mb);
}

const char *ktstr_schema_type_expect(enum ktstr_schema_type t)
{
	switch (t) {
	case KTSTR_ST_UINT:
	case KTSTR_ST_VERSION:
		return "an integer";
	case KTSTR_ST_STRING:
	case KTSTR_ST_WORK:
	case KTSTR_ST_OPKIND:
		return "a string";
	case KTSTR_ST_DURATION:
		return "a duration such as 4s or 500ms";
	case KTSTR_ST_SIZE:
		return "a size such as 512M or 1G";
	case KTSTR_ST_PERCENT:
		return "a percentage such as 35% or 35";
	case KTSTR_ST_BOOL:
		return "true or false";
	case KTSTR_ST_NUMBER:
		return "a number";
	case KTSTR_ST_MAP:
		return "a mapping";
	case KTSTR_ST_LIST:
	case KTSTR_ST_STRLIST:
		return "a sequence";
	case KTSTR_ST_SCHEDULER:
		return "'eevdf' or a mapping such as {name: scx_simple}";
	case KTSTR_ST_CPUSET:
		return "a cpulist string or a mapping";
	case KTSTR_ST_HOLD:
		return "a fraction in (0, 1] or a duration such as 2s";
	case KTSTR_ST_FRAC_PAIR:
		return "a sequence [start_frac, end_frac]";
	case KTSTR_ST_EXPECT_ERR:
		return "true, false or the expected error text";
	case KTSTR_ST_INT:
		return "an integer";
	case KTSTR_ST_CHOICE:
	case KTSTR_ST_FLAG:
		return "a name or a one-key mapping";
	case KTSTR_ST_NODELIST:
		return "a node list such as \"0-1\"";
	case KTSTR_ST_KNOBS:
		return "a mapping of cgroup knobs";
	case KTSTR_ST_KNOB_NAME:
		return "a cgroup knob name such as cpu.weight";
	case KTSTR_ST_STEP_CGROUPS:
		return "a sequence";
	case KTSTR_ST_OP_GROUP:
		return "a mapping";
	case KTSTR_ST_OP_SCHED:
		return "a mapping such as {name: scx_simple}";
	case KTSTR_ST_PHASES:
		return "a sequence of phases such as [{spin: 5ms}, {sleep: 2ms}]";
	case KTSTR_ST_DURATION_US:
		return "a duration such as 250us, 2ms or 1s";
	case KTSTR_ST_RATIO:
		return "a ratio such as 0.05 or 5%";
	case KTSTR_ST_TOPOLOGY_LIST:
		return "a sequence of topology mappings";
	case KTSTR_ST_SCHEDULER_LIST:
		return "a sequence of schedulers ('eevdf' or mappings)";
	}
	return "a value";
}

/* The short type name of the reference's Type column. */
static const char *type_name(const struct ktstr_schema_field *f)
{
	switch (f->type) {
	case KTSTR_ST_UINT:
	case KTSTR_ST_VERSION:
		return "integer";
	case KTSTR_ST_STRING:
		return "string";
	case KTSTR_ST_DURATION:
		return "duration";
	case KTSTR_ST_SIZE:
		return "size";
	case KTSTR_ST_PERCENT:
		return "percent";
	case KTSTR_ST_BOOL:
		return "bool";
	case KTSTR_ST_NUMBER:
		return "number";
	case KTSTR_ST_MAP:
		return "mapping";
	case KTSTR_ST_LIST:
		return "list of mappings";
	case KTSTR_ST_STRLIST:
		return "list of strings";
	case KTSTR_ST_SCHEDULER:
		return "eevdf or mapping";
	case KTSTR_ST_CPUSET:
		return "cpuset spec";
	case KTSTR_ST_WORK:
		return "work type";
	case KTSTR_ST_OPKIND:
		return "op name";
	case KTSTR_ST_HOLD:
		return "fraction or duration";
	case KTSTR_ST_FRAC_PAIR:
		return "[number, number]";
	case KTSTR_ST_EXPECT_ERR:
		return "bool or string";
	case KTSTR_ST_INT:
		return "integer";
	case KTSTR_ST_CHOICE:
		return "name or mapping";
	case KTSTR_ST_FLAG:
		return "name";
	case KTSTR_ST_NODELIST:
		return "node list";
	case KTSTR_ST_KNOBS:
		return "mapping";
	case KTSTR_ST_KNOB_NAME:
		return "knob name";
	case KTSTR_ST_STEP_CGROUPS:
		return "list of mappings";
	case KTSTR_ST_OP_GROUP:
		return "mapping";
	case KTSTR_ST_OP_SCHED:
		return "mapping";
	case KTSTR_ST_PHASES:
		return "list of phases";
	case KTSTR_ST_DURATION_US:
		return "duration";
	case KTSTR_ST_RATIO:
		return "ratio";
	case KTSTR_ST_TOPOLOGY_LIST:
		return "list of topologies";
	case KTSTR_ST_SCHEDULER_LIST:
		return "list of schedulers";
	}
	return "?";
}

void ktstr_schema_string_shape(const struct ktstr_schema_field *f, char *buf, size_t len)
{
	const char *cls = f->strclass == KTSTR_STR_NAME ? "[A-Za-z0-9_.-]"
			: f->strclass == KTSTR_STR_CGNAME ? "[A-Za-z0-9_/-]" : NULL;

	if (cls)
		snprintf(buf, len, "%s{%g,%g}", cls, f->min, f->max);
	else
		snprintf(buf, len, "%g..%g chars", f->min, f->max);
}

void ktstr_schema_range(const struct ktstr_schema_field *f, char *buf, size_t len)
{
	char a[32], b[32];

	buf[0] = '\0';
	if (f->type == KTSTR_ST_EXPECT_ERR) {
		snprintf(buf, len, "text: %g..%g chars", f->min, f->max);
		return;
	}
	if (f->type == KTSTR_ST_STRING) {
		ktstr_schema_string_shape(f, buf, len);
		return;
	}
	if (f->min > f->max)
		return;
	switch (f->type) {
	case KTSTR_ST_DURATION:
		ktstr_duration_format((uint64_t)f->min, a, sizeof(a));
		ktstr_duration_format((uint64_t)f->max, b, sizeof(b));
		snprintf(buf, len, "%s..%s", a, b);
		break;
	case KTSTR_ST_HOLD:
		ktstr_duration_format((uint64_t)f->min, a, sizeof(a));
		ktstr_duration_format((uint64_t)f->max, b, sizeof(b));
		snprintf(buf, len, "(0, 1] or %s..%s", a, b);
		break;
	case KTSTR_ST_SIZE:
		ktstr_size_format((uint64_t)f->min, a, sizeof(a));
		ktstr_size_format((uint64_t)f->max, b, sizeof(b));
		snprintf(buf, len, "%s..%s", a, b);
		break;
	case KTSTR_ST_PERCENT:
		snprintf(buf, len, "%g..%g%%", f->min, f->max);
		break;
	case KTSTR_ST_DURATION_US:
		ktstr_duration_us_format((uint64_t)f->min, a, sizeof(a));
		ktstr_duration_us_format((uint64_t)f->max, b, sizeof(b));
		snprintf(buf, len, "%s..%s", a, b);
		break;
	case KTSTR_ST_RATIO:
		snprintf(buf, len, "%g..%g (%g%%..%g%%)", f->min, f->max, f->min * 100, f->max * 100);
		break;
	case KTSTR_ST_LIST:
	case KTSTR_ST_STRLIST:
	case KTSTR_ST_STEP_CGROUPS:
	case KTSTR_ST_KNOBS:
	case KTSTR_ST_PHASES:
	case KTSTR_ST_TOPOLOGY_LIST:
	case KTSTR_ST_SCHEDULER_LIST:
		snprintf(buf, len, "%g..%g entries", f->min, f->max);
		break;
	default:
		if (f->min == f->max)
			snprintf(buf, len, "%g", f->min);
		else
			snprintf(buf, len, "%g..%g", f->min, f->max);
		break;
	}
}

/* GitHub-style heading anchor: lower case, spaces to '-', punctuation dropped. */
static void anchor(const char *title, char *buf, size_t len)
{
	size_t o = 0;

	for (const char *p = title; *p && o + 1 < len; p++) {
		if (*p >= 'A' && *p <= 'Z')
			buf[o++] = (char)(*p - 'A' + 'a');
		else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
			buf[o++] = *p;
		else if (*p == ' ')
			buf[o++] = '-';
	}
	buf[o] = '\0';
}

static const char md_intro[] =
	"A scenario is one YAML file. `ktstr compile` validates it at build time and embeds "
	"it in the scenario's test executable; the guest agent parses the same text with "
	"the same loader. `ktstr validate FILE...` checks files without building, and "
	"reports every problem as `file:line:col: error: message` (see "
	"[troubleshooting](troubleshooting.md)).\n"
	"\n"
	"Value syntax:\n"
	"\n"
	"- **duration**: a number with a unit `ms`, `s`, `m` or `h`: `500ms`, `4s`, `1.5m`. "
	"A bare number is an error, so `4` is never mistaken for milliseconds. "
	"`max_wake_p99` also takes `us`: `250us`.\n"
	"- **size**: a number with a unit `K`, `M` or `G` (binary): `512M`, `1G`.\n"
	"- **percent**: `35%` or a plain number `35`.\n"
	"- **ratio**: a plain number `0.05`, or a percentage `5%` (the same thing).\n"
	"- **bool**: `true` or `false`.\n"
	"- **cpulist**: the kernel's format, `0-3,8,10-11`.\n"
	"- **reuse**: YAML anchors and aliases work anywhere (`&name`, `*name`), and a "
	"mapping may merge others with `<<: *name` or `<<: [*a, *b]`; its own keys win.\n";

static void md_cell(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', out);
		fputc(*s, out);
	}
}

static void print_md_field(FILE *out, const struct ktstr_schema_field *f)
{
	char range[96], anc[64];

	ktstr_schema_range(f, range, sizeof(range));
	fprintf(out, "| `%s` | ", f->key);
	if (f->sub && f->type != KTSTR_ST_KNOB_NAME) {
		anchor(f->sub->title, anc, sizeof(anc));
		fprintf(out, "%s ([%s](#%s))", type_name(f), f->sub->title, anc);
	} else {
		fputs(type_name(f), out);
	}
	fputs(" | ", out);
	if (f->required)
		fputs("required", out);
	else if (f->def && f->def[0] == '(')
		fprintf(out, "%.*s", (int)strlen(f->def) - 2, f->def + 1);
	else if (f->def)
		fprintf(out, "`%s`", f->def);
	fputs(" | ", out);
	if (range[0]) {
		fputc('`', out);
		md_cell(out, range);
		fputc('`', out);
	}
	fputs(" | ", out);
	md_cell(out, f->doc);
	fputs(" |\n", out);
}

static void print_markdown(FILE *out)
{
	fprintf(out, "# Scenario reference (schema version %d)\n\n", KTSTR_SCENARIO_VERSION);
	fputs("<!-- Generated by `ktstr schema --markdown` from framework/src/schema.c; "
	      "do not edit. A test fails when this file and the schema differ. -->\n\n", out);
	fputs(md_intro, out);
	fputs("\n## Example\n\n```yaml\n", out);
	fputs(ktstr_schema_example, out);
	fputs("```\n", out);
	for (int i = 0; i < KTSTR_SEC__COUNT; i++) {
		const struct ktstr_schema_map *m = sections[i];

		fprintf(out, "\n## %s\n\n%s\n\n", m->title, m->doc);
		fputs("| Key | Type | Default | Range | Meaning |\n|---|---|---|---|---|\n", out);
		for (size_t j = 0; j < m->n_fields; j++)
			print_md_field(out, &m->fields[j]);
	}
}

static void print_text(FILE *out)
{
	fprintf(out, "ktstr scenario schema, version %d\n", KTSTR_SCENARIO_VERSION);
	for (int i = 0; i < KTSTR_SEC__COUNT; i++) {
		const struct ktstr_schema_map *m = sections[i];

		fprintf(out, "\n%s\n  %s\n", m->title, m->doc);
		for (size_t j = 0; j < m->n_fields; j++) {
			const struct ktstr_schema_field *f = &m->fields[j];
			char range[96];

			ktstr_schema_range(f, range, sizeof(range));
			fprintf(out, "\n  %s: %s", f->key, type_name(f));
			if (f->required)
				fputs(", required", out);
			else if (f->def)
				fprintf(out, ", default %s", f->def);
			if (range[0])
				fprintf(out, ", range %s", range);
			fprintf(out, "\n      %s\n", f->doc);
		}
	}
}

int ktstr_schema_print(FILE *out, enum ktstr_schema_format fmt)
{
	if (fmt == KTSTR_SCHEMA_MARKDOWN)
		print_markdown(out);
	else
		print_text(out);
	return ferror(out) ? -EIO : 0;
}
