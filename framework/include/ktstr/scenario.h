/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scenario model: what one YAML file declares, as plain data.
 *
 * The same model is built on the host (at build time by `ktstr compile`, at
 * run time by the scenario executable) and inside the guest by the agent,
 * from the same YAML text, so the two can never disagree about what a
 * scenario means.  Fixed-size arrays keep the struct trivially copyable and
 * let the guest agent stay allocation-light; the loader turns every limit
 * into a file:line:col error.
 */
#ifndef KTSTR_SCENARIO_H
#define KTSTR_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KTSTR_SCENARIO_VERSION   1      /* highest `version:` we understand */
#define KTSTR_NAME_MAX           64
#define KTSTR_DESC_MAX           256
#define KTSTR_PATH_MAX           512
#define KTSTR_CPULIST_MAX        256
#define KTSTR_MAX_CGROUPS        32     /* backdrop + step-local, all steps */
#define KTSTR_MAX_WORK_GROUPS    4      /* per cgroup */
#define KTSTR_MAX_KNOBS          8      /* per cgroup */
#define KTSTR_KNOB_VALUE_MAX     48
#define KTSTR_MAX_OP_GROUPS      16     /* work groups of spawn/spawn_host ops, all steps */
#define KTSTR_MAX_OP_SCHEDS      4      /* schedulers named by attach/replace ops */
#define KTSTR_MAX_PAYLOADS       8
#define KTSTR_MAX_PAYLOAD_ARGS   16
#define KTSTR_AFFINITY_LIST_MAX  128
#define KTSTR_CGPATH_MAX         128    /* "parent/child/leaf" */
#define KTSTR_MAX_WORKERS        512    /* per scenario, all cgroups */
#define KTSTR_MAX_STEPS          16
#define KTSTR_MAX_OPS            16     /* per step */
#define KTSTR_MAX_LIVE_CGROUPS   48     /* cgroups alive at once, incl. added ones */
#define KTSTR_MAX_CPUS           256
#define KTSTR_MAX_NUMA_NODES     8
#define KTSTR_MAX_SCHED_ARGS     16
#define KTSTR_MAX_SYSCTLS        16
#define KTSTR_MAX_KERNEL_ARGS    16
#define KTSTR_STRLIST_ITEM       (KTSTR_NAME_MAX * 2)  /* every list-of-strings entry */
#define KTSTR_MAX_SCHED_FLAGS    6      /* per scheduler */
#define KTSTR_MAX_FLAG_ARGS      4      /* per flag */
#define KTSTR_MAX_FLAG_REQUIRES  4      /* per flag */
#define KTSTR_MAX_FLAG_PROFILES  16     /* per scheduler, `default` included */
#define KTSTR_MAX_MATRIX_TOPOLOGIES 8
#define KTSTR_MAX_MATRIX_SCHEDULERS 6
#define KTSTR_MAX_VARIANTS       64     /* per scenario, all dimensions together */
#define KTSTR_VARIANT_NAME_MAX   128

/* 1-based position in the YAML source; 0/0 when not from a file. */
struct ktstr_src_loc {
	unsigned line;
	unsigned col;
};

struct ktstr_topology {
	unsigned numa_nodes;
	unsigned llcs;             /* machine-wide; a multiple of numa_nodes */
	unsigned cores_per_llc;
	unsigned threads_per_core;
	uint64_t memory_mb;
};

static inline unsigned ktstr_topology_cpus(const struct ktstr_topology *t)
{
	return t->llcs * t->cores_per_llc * t->threads_per_core;
}

/*
 * Work types (docs/workloads.md).  Names, parameters, defaults and group
 * sizes live in one table, framework/src/work_types.c; the guest's
 * implementations are indexed by this enum (guest/work.c).  Append only.
 */
enum ktstr_work_type {
	KTSTR_WORK_SPIN = 0,       /* "SpinWait": busy loop, 1024-iteration bursts */
	KTSTR_WORK_YIELD_HEAVY,    /* "YieldHeavy": sched_yield() every iteration */
	KTSTR_WORK_MIXED,          /* "Mixed": 1024 spins, then one yield */
	KTSTR_WORK_BURSTY,         /* "Bursty": spin burst_ms, sleep sleep_ms */
	KTSTR_WORK_IO_SYNC_WRITE,  /* "IoSyncWrite": 16 x 4 KiB writes + fdatasync */
	KTSTR_WORK_PIPE_IO,        /* "PipeIo": pairs exchanging a byte over pipes */
	KTSTR_WORK_FUTEX_PING_PONG,/* "FutexPingPong": pairs alternating on a futex word */
	KTSTR_WORK_CACHE_PRESSURE, /* "CachePressure": strided RMW over a buffer */
	KTSTR_WORK_FORK_EXIT,      /* "ForkExit": fork a child that exits at once, reap it */
	KTSTR_WORK_CACHE_YIELD,    /* "CacheYield": CachePressure burst, then a yield */
	KTSTR_WORK_CACHE_PIPE,     /* "CachePipe": cache burst, then a pipe exchange (pairs) */
	KTSTR_WORK_FUTEX_FAN_OUT,  /* "FutexFanOut": one messenger wakes fan_out receivers */
	KTSTR_WORK_MUTEX_CONTENTION, /* "MutexContention": a futex lock shared by contenders */
	KTSTR_WORK_NICE_SWEEP,     /* "NiceSweep": spin, step nice through -20..19, yield */
	KTSTR_WORK_AFFINITY_CHURN, /* "AffinityChurn": spin, pin to a random allowed CPU, yield */
	KTSTR_WORK_POLICY_CHURN,   /* "PolicyChurn": spin, cycle the scheduling policy, yield */
	KTSTR_WORK_PAGE_FAULT_CHURN, /* "PageFaultChurn": fault pages in, drop them, repeat */
	KTSTR_WORK_IO_RAND_READ,   /* "IoRandRead": random 4 KiB preads of a private file */
	KTSTR_WORK_IO_CONVOY,      /* "IoConvoy": a cgroup's workers append + fdatasync one file */
	KTSTR_WORK_FAN_OUT_COMPUTE,/* "FanOutCompute": a messenger wakes receivers that compute */
	KTSTR_WORK_SEQUENCE,       /* "Sequence": cycle through spin/sleep/yield/io phases */
	KTSTR_WORK_WAKE_CHAIN,     /* "WakeChain": a ring of workers waking the next one */
	KTSTR_WORK_THUNDERING_HERD,/* "ThunderingHerd": one waker wakes all waiters at once */
	KTSTR_WORK_PRIORITY_INVERSION, /* "PriorityInversion": low holder, high waiter, medium spinner */
	KTSTR_WORK_RT_STARVATION,  /* "RtStarvation": a SCHED_FIFO hog beside a normal spinner */
	KTSTR_WORK__COUNT,
};

/* Parameters a work type may take; which ones apply is per type. */
enum ktstr_work_param {
	KTSTR_WP_BURST_MS = 0,
	KTSTR_WP_SLEEP_MS,
	KTSTR_WP_BURST_ITERS,
	KTSTR_WP_SPIN_ITERS,
	KTSTR_WP_SIZE_KB,
	KTSTR_WP_STRIDE,
	KTSTR_WP_FAN_OUT,
	KTSTR_WP_CONTENDERS,
	KTSTR_WP_HOLD_ITERS,
	KTSTR_WP_WORK_ITERS,
	KTSTR_WP_REGION_KB,
	KTSTR_WP_TOUCHES_PER_CYCLE,
	KTSTR_WP_FILE_KB,
	KTSTR_WP_CACHE_FOOTPRINT_KB,
	KTSTR_WP_OPERATIONS,
	KTSTR_WP_SLEEP_USEC,
	KTSTR_WP_CHAIN_LEN,
	KTSTR_WP_WAITERS,
	KTSTR_WP_PI,               /* a bool: 0 false (the default), 1 true */
	KTSTR_WP_RT_PRIORITY,
	KTSTR_WP_RT_BURST_MS,
	KTSTR_WP_RT_SLEEP_MS,
	KTSTR_WP__COUNT,
};

#define KTSTR_MAX_PHASES         8      /* per Sequence */

/* What one phase of a `Sequence` worker does for its duration. */
enum ktstr_phase_kind {
	KTSTR_PHASE_SPIN = 0,      /* busy loop */
	KTSTR_PHASE_SLEEP,         /* sleep (blocked on purpose) */
	KTSTR_PHASE_YIELD,         /* sched_yield() in a loop */
	KTSTR_PHASE_IO,            /* 4 KiB pwrite + fdatasync in a loop */
	KTSTR_PHASE__COUNT,
};

struct ktstr_work_phase {
	enum ktstr_phase_kind kind;
	uint64_t duration_ms;      /* at least 1 */
	struct ktstr_src_loc loc;
};

/* Indexed by enum ktstr_work_param; 0 means "not given" until defaults fill it. */
struct ktstr_work_params {
	unsigned v[KTSTR_WP__COUNT];
	/* `Sequence` only: its phases, in order, cycled until the stop */
	struct ktstr_work_phase phases[KTSTR_MAX_PHASES];
	unsigned n_phases;
};

enum ktstr_cpuset_kind {
	KTSTR_CPUSET_NONE = 0,     /* inherit the parent's CPUs */
	KTSTR_CPUSET_LLC,          /* all CPUs of LLC `index` */
	KTSTR_CPUSET_NUMA,         /* all CPUs of NUMA node `index` */
	KTSTR_CPUSET_RANGE,        /* usable[len*start_frac, len*end_frac) */
	KTSTR_CPUSET_DISJOINT,     /* chunk `index` of `of` equal chunks */
	KTSTR_CPUSET_OVERLAP,      /* disjoint chunk widened by chunk*frac */
	KTSTR_CPUSET_EXACT,        /* an explicit cpulist, e.g. "0-1,3" */
};

struct ktstr_cpuset_spec {
	enum ktstr_cpuset_kind kind;
	unsigned index;
	unsigned of;
	double start_frac;
	double end_frac;
	double frac;
	char exact[KTSTR_CPULIST_MAX];
	struct ktstr_src_loc loc;
};

/* Scheduling policy a work group's workers run under (sched_setattr). */
enum ktstr_policy_kind {
	KTSTR_POLICY_NORMAL = 0,   /* SCHED_OTHER */
	KTSTR_POLICY_BATCH,
	KTSTR_POLICY_IDLE,
	KTSTR_POLICY_FIFO,         /* needs priority 1..99 */
	KTSTR_POLICY_RR,           /* needs priority 1..99 */
	KTSTR_POLICY_DEADLINE,     /* needs runtime <= deadline <= period */
	KTSTR_POLICY__COUNT,
};

struct ktstr_policy {
	enum ktstr_policy_kind kind;
	unsigned priority;         /* FIFO/RR */
	uint64_t runtime_ms;       /* DEADLINE */
	uint64_t deadline_ms;
	uint64_t period_ms;
	struct ktstr_src_loc loc;
};

/* Where a work group's workers may run, within their cgroup's cpuset. */
enum ktstr_affinity_kind {
	KTSTR_AFFINITY_INHERIT = 0,  /* the cgroup's CPUs, no sched_setaffinity */
	KTSTR_AFFINITY_RANDOM,       /* `count` random CPUs of the cgroup's (per worker) */
	KTSTR_AFFINITY_LLC,          /* the CPUs of the LLC of the cgroup's first CPU */
	KTSTR_AFFINITY_CROSS_CGROUP, /* every CPU of the machine (the cpuset still limits) */
	KTSTR_AFFINITY_SINGLE_CPU,   /* one CPU each, round robin over the cgroup's */
	KTSTR_AFFINITY_EXACT,        /* an explicit cpulist */
	KTSTR_AFFINITY__COUNT,
};

struct ktstr_affinity {
	enum ktstr_affinity_kind kind;
	unsigned count;              /* RANDOM */
	char exact[KTSTR_AFFINITY_LIST_MAX];
	struct ktstr_src_loc loc;
};

/* NUMA memory policy (set_mempolicy) of a work group's workers. */
enum ktstr_mempolicy_kind {
	KTSTR_MEMPOLICY_DEFAULT = 0,
	KTSTR_MEMPOLICY_LOCAL,
	KTSTR_MEMPOLICY_BIND,        /* nodes */
	KTSTR_MEMPOLICY_PREFERRED,   /* one node */
	KTSTR_MEMPOLICY_INTERLEAVE,  /* nodes */
	KTSTR_MEMPOLICY__COUNT,
};

struct ktstr_mempolicy {
	enum ktstr_mempolicy_kind kind;
	uint32_t nodes;              /* bit per node, below topology.numa_nodes */
	struct ktstr_src_loc loc;
};

#define KTSTR_NICE_UNSET 100       /* nice outside -20..19: leave it alone */

/* A set of identical workers: how many, what they do, how they are scheduled. */
struct ktstr_work_group {
	unsigned workers;
	enum ktstr_work_type work;
	struct ktstr_work_params work_params;  /* defaults filled in by the loader */
	struct ktstr_src_loc work_loc;         /* the `work:` value */
	struct ktstr_policy policy;
	int nice;                              /* KTSTR_NICE_UNSET: not set */
	struct ktstr_affinity affinity;
	struct ktstr_mempolicy mempolicy;
	struct ktstr_src_loc loc;
};

/* A cgroup interface file the scenario writes (docs: scenario-reference, knobs). */
struct ktstr_knob {
	unsigned id;               /* index into the knob table (ktstr_knob_info) */
	char value[KTSTR_KNOB_VALUE_MAX];   /* as written to the file: "50000 100000", bytes */
	struct ktstr_src_loc loc;
};

/* Work-group id a spawn op's workers report: this plus the op's group index. */
#define KTSTR_SPAWN_GROUP_BASE KTSTR_MAX_WORK_GROUPS

/* When a cgroup exists: the whole run (backdrop) or one step. */
#define KTSTR_CGROUP_BACKDROP (-1)

struct ktstr_cgroup_def {
	char name[KTSTR_CGPATH_MAX];   /* "cg_0" or nested "cg_0/sub_a" */
	struct ktstr_cpuset_spec cpuset;
	struct ktstr_work_group groups[KTSTR_MAX_WORK_GROUPS];
	unsigned n_groups;
	struct ktstr_knob knobs[KTSTR_MAX_KNOBS];
	unsigned n_knobs;
	int step;                  /* KTSTR_CGROUP_BACKDROP or the step that owns it */
	struct ktstr_src_loc loc;
};

enum ktstr_op_kind {
	KTSTR_OP_SET_CPUSET = 0,
	KTSTR_OP_CLEAR_CPUSET,
	KTSTR_OP_ADD_CGROUP,
	KTSTR_OP_REMOVE_CGROUP,
	KTSTR_OP_SWAP_CPUSETS,
	KTSTR_OP_SPAWN,
	KTSTR_OP_STOP_CGROUP,
	KTSTR_OP_SET_AFFINITY,
	KTSTR_OP_SPAWN_HOST,
	KTSTR_OP_MOVE_ALL_TASKS,
	KTSTR_OP_SET_KNOB,
	KTSTR_OP_FREEZE,
	KTSTR_OP_UNFREEZE,
	KTSTR_OP_RUN_PAYLOAD,
	KTSTR_OP_WAIT_PAYLOAD,
	KTSTR_OP_KILL_PAYLOAD,
	KTSTR_OP_ATTACH_SCHEDULER,
	KTSTR_OP_DETACH_SCHEDULER,
	KTSTR_OP_RESTART_SCHEDULER,
	KTSTR_OP_REPLACE_SCHEDULER,
	KTSTR_OP__COUNT,
};

struct ktstr_op {
	enum ktstr_op_kind kind;
	char cgroup[KTSTR_CGPATH_MAX];     /* the cgroup acted on (move_all_tasks: from) */
	char to[KTSTR_CGPATH_MAX];         /* swap_cpusets: the other; move_all_tasks: to */
	struct ktstr_cpuset_spec cpuset;   /* set_cpuset, add_cgroup (optional) */
	struct ktstr_affinity affinity;    /* set_affinity */
	int group;                         /* spawn, spawn_host: index into op_groups; -1 */
	int sched;                         /* attach/replace_scheduler: index into op_scheds; -1 */
	char payload[KTSTR_NAME_MAX];      /* run/wait/kill_payload */
	char args[KTSTR_MAX_PAYLOAD_ARGS][KTSTR_STRLIST_ITEM];  /* run_payload: extra args */
	unsigned n_args;
	struct ktstr_knob knob;            /* set_knob */
	uint64_t timeout_ms;               /* wait_payload: 0 = until the step ends */
	struct ktstr_src_loc loc;
	struct ktstr_src_loc cgroup_loc;   /* the `cgroup` value, for precise errors */
	struct ktstr_src_loc to_loc;       /* the `to` / `with` value */
};

/* A program the scenario runs in the guest beside its workers (run_payload). */
struct ktstr_payload {
	char name[KTSTR_NAME_MAX];
	char path[KTSTR_PATH_MAX];         /* a host binary packed into the guest, or "" */
	char command[KTSTR_DESC_MAX];      /* a busybox sh -c command line, or "" */
	char args[KTSTR_MAX_PAYLOAD_ARGS][KTSTR_STRLIST_ITEM];
	unsigned n_args;
	struct ktstr_src_loc loc;
};

/*
 * How long a step lasts: a fraction of the scenario duration, a fixed time,
 * or (loop_ms > 0, last step only) the rest of the duration with the ops
 * applied again every loop_ms.
 */
struct ktstr_step {
	double hold_frac;          /* used when hold_ms == 0 and loop_ms == 0 */
	uint64_t hold_ms;
	uint64_t loop_ms;
	struct ktstr_op ops[KTSTR_MAX_OPS];
	unsigned n_ops;
	unsigned n_cgroups;        /* step-local cgroups (in the scenario's cgroups[]) */
	struct ktstr_src_loc loc;
};

/*
 * Check thresholds.  A negative value (or KTSTR_TRI_UNSET) means "not set
 * here": the three layers (built-in defaults -> scheduler -> scenario) are
 * merged last-set-wins by ktstr_checks_merge().
 */
enum { KTSTR_TRI_UNSET = -1, KTSTR_TRI_OFF = 0, KTSTR_TRI_ON = 1 };

struct ktstr_checks {
	int starvation;            /* tri-state */
	int64_t max_gap_ms;        /* < 0: unset */
	double max_spread_pct;     /* < 0: unset */
	struct ktstr_src_loc loc;
	/* the telemetry checks (docs/checks.md); zero is a value, so init with ktstr_checks_unset() */
	int isolation;             /* tri-state */
	double min_work_rate;      /* work units per CPU-second; < 0: unset */
	double max_throughput_cv;  /* fraction (0.1 = 10%); < 0: unset */
	int64_t max_wake_p99_us;   /* < 0: unset */
	double max_migration_ratio;/* fraction; < 0: unset */
	double min_numa_locality;  /* fraction; < 0: unset */
};

/* Every threshold "not set here" (a layer that inherits everything). */
void ktstr_checks_unset(struct ktstr_checks *c);

/*
 * A scheduler flag (`flags:` entry): a name, the arguments it appends to
 * the scheduler's `args`, and the flags it needs alongside it.
 */
struct ktstr_sched_flag {
	char name[KTSTR_NAME_MAX];
	char args[KTSTR_MAX_FLAG_ARGS][KTSTR_STRLIST_ITEM];
	unsigned n_args;
	char requires[KTSTR_MAX_FLAG_REQUIRES][KTSTR_STRLIST_ITEM];
	unsigned n_requires;
	struct ktstr_src_loc loc;
};

enum ktstr_sched_kind {
	KTSTR_SCHED_EEVDF = 0,     /* the kernel's own fair class, no sched_ext */
	KTSTR_SCHED_PATH,          /* a binary given by path */
	KTSTR_SCHED_NAME,          /* a binary discovered by name */
};

struct ktstr_scheduler_spec {
	enum ktstr_sched_kind kind;
	char value[KTSTR_PATH_MAX];   /* PATH: the path as written; NAME: the name */
	char args[KTSTR_MAX_SCHED_ARGS][KTSTR_STRLIST_ITEM];
	unsigned n_args;
	struct ktstr_src_loc loc;
	uint64_t attach_timeout_ms;   /* how long the guest waits for state=enabled */
	/* The middle layer of ktstr_checks_merge(): this scheduler's thresholds. */
	struct ktstr_checks checks;
	/* Optional flags; every closed subset is a profile (a variant, see below). */
	struct ktstr_sched_flag flags[KTSTR_MAX_SCHED_FLAGS];
	unsigned n_flags;
};

/* Default bound on a sched_ext scheduler's load + verify + attach (TCG: 2.5-4.4 s measured). */
#define KTSTR_DEFAULT_ATTACH_TIMEOUT_MS 20000
/* How long the guest gives a scheduler to exit (and print its exit report) once asked or disabled. */
#define KTSTR_SCHED_STOP_GRACE_MS       3000
/* How long the guest waits for the host's check verdict before stopping the scheduler. */
#define KTSTR_SCHED_VERDICT_WAIT_MS     3000

/*
 * `matrix:`: the scenario runs once per combination (a variant) of these
 * topologies and schedulers, times each scheduler's flag profiles.  Variant
 * names, enumeration and selection: ktstr/variants.h.
 */
struct ktstr_matrix {
	struct ktstr_topology topos[KTSTR_MAX_MATRIX_TOPOLOGIES];
	unsigned n_topos;          /* 0: the scenario's own `topology` */
	struct ktstr_src_loc topo_locs[KTSTR_MAX_MATRIX_TOPOLOGIES];
	struct ktstr_scheduler_spec scheds[KTSTR_MAX_MATRIX_SCHEDULERS];
	unsigned n_scheds;         /* 0: the scenario's own `scheduler` */
	struct ktstr_src_loc loc;
};

struct ktstr_scenario {
	unsigned version;
	char name[KTSTR_NAME_MAX];
	char description[KTSTR_DESC_MAX];
	uint64_t duration_ms;
	struct ktstr_topology topo;
	struct ktstr_scheduler_spec sched;
	/* the backdrop (step == KTSTR_CGROUP_BACKDROP) first, then each step's own */
	struct ktstr_cgroup_def cgroups[KTSTR_MAX_CGROUPS];
	unsigned n_cgroups;
	struct ktstr_step steps[KTSTR_MAX_STEPS];
	unsigned n_steps;
	struct ktstr_work_group op_groups[KTSTR_MAX_OP_GROUPS];
	unsigned n_op_groups;
	struct ktstr_scheduler_spec op_scheds[KTSTR_MAX_OP_SCHEDS];
	unsigned n_op_scheds;
	struct ktstr_payload payloads[KTSTR_MAX_PAYLOADS];
	unsigned n_payloads;
	struct ktstr_checks checks;
	char source_path[KTSTR_PATH_MAX];
	/* "key=value" (key as in sysctl(8): kernel.foo), written before the scheduler starts */
	char sysctls[KTSTR_MAX_SYSCTLS][KTSTR_STRLIST_ITEM];
	unsigned n_sysctls;
	/* extra guest kernel command line words */
	char kernel_args[KTSTR_MAX_KERNEL_ARGS][KTSTR_STRLIST_ITEM];
	unsigned n_kernel_args;
	/*
	 * expect_err: the run passes only when the sched_ext scheduler fails
	 * (never attaches, dies, is disabled); with expect_err_text set, only
	 * when the failure message or the scheduler's log contains it.
	 */
	bool expect_err;
	char expect_err_text[KTSTR_DESC_MAX];
	struct ktstr_src_loc expect_err_loc;
	struct ktstr_matrix matrix;
	/* The variant applied by ktstr_scenario_variant_apply(); "" when none. */
	char variant[KTSTR_VARIANT_NAME_MAX];
};

/* Defaults applied by the loader when a key is absent. */
#define KTSTR_DEFAULT_DURATION_MS   4000
#define KTSTR_DEFAULT_MEMORY_MB     512
#define KTSTR_DEFAULT_WORKERS       2

const char *ktstr_work_type_name(enum ktstr_work_type w);
/* Case-insensitive; also accepts the aliases `spin`.  False when unknown. */
bool ktstr_work_type_lookup(const char *name, enum ktstr_work_type *out);
/* Workers per group (2 for pairs, 1 when ungrouped); a cgroup's count must divide by it. */
unsigned ktstr_work_group_size(enum ktstr_work_type w, const struct ktstr_work_params *p);
/* Bit (1u << param) set for each parameter the type takes. */
unsigned ktstr_work_param_mask(enum ktstr_work_type w);
/* "burst_ms", ... as YAML spells them. */
const char *ktstr_work_param_name(enum ktstr_work_param p);
/* Fill every unset (0) parameter the type takes with its default. */
void ktstr_work_params_defaults(enum ktstr_work_type w, struct ktstr_work_params *p);
/* Whether the type takes a `phases` list (Sequence, which also needs one). */
bool ktstr_work_takes_phases(enum ktstr_work_type w);
/* "spin", "sleep", "yield", "io" as YAML spells them; "?" when out of range. */
const char *ktstr_phase_kind_name(enum ktstr_phase_kind k);
/* Case-insensitive; false when unknown. */
bool ktstr_phase_kind_lookup(const char *name, enum ktstr_phase_kind *out);
const char *ktstr_cpuset_kind_name(enum ktstr_cpuset_kind k);
const char *ktstr_policy_kind_name(enum ktstr_policy_kind k);
const char *ktstr_affinity_kind_name(enum ktstr_affinity_kind k);
const char *ktstr_mempolicy_kind_name(enum ktstr_mempolicy_kind k);
/* A work group with the loader's defaults: 2 SpinWait workers, SCHED_OTHER, no nice. */
void ktstr_work_group_defaults(struct ktstr_work_group *g);
/* The cgroup file a knob id names ("cpu.weight"); "?" when out of range. */
const char *ktstr_knob_name(unsigned id);
/* Workers of a cgroup over all its groups. */
unsigned ktstr_cgroup_workers(const struct ktstr_cgroup_def *cg);
const char *ktstr_op_kind_name(enum ktstr_op_kind k);
const char *ktstr_sched_kind_name(enum ktstr_sched_kind k);

/* Whether the scenario runs a sched_ext scheduler (anything but eevdf). */
static inline bool ktstr_scenario_has_scx(const struct ktstr_scenario *s)
{
	return s->sched.kind != KTSTR_SCHED_EEVDF;
}

/*
 * Whether the scenario runs a sched_ext scheduler at some point: its own
 * (ktstr_scenario_has_scx) or one an attach_scheduler op starts.  What
 * depends on sched_ext being used at all (the kernel and kfunc BTF checks,
 * the scheduler verdict and its dump sections) asks this.
 */
bool ktstr_scenario_runs_scx(const struct ktstr_scenario *s);

/* Ops of the scenario that start a scheduler (attach, restart, replace). */
unsigned ktstr_scenario_sched_starts(const struct ktstr_scenario *s);

/*
 * Seconds the scenario needs inside the VM beyond booting: its duration,
 * plus, with a sched_ext scheduler, the attach bound and the scheduler's
 * stop, once per start (the initial one and every op that starts one),
 * plus whatever a wait_payload `timeout` may run past its step's hold.
 * Every budget computation (runner, `ktstr compile`'s CTest TIMEOUT,
 * `ktstr timeouts`) feeds this to ktstr_timeouts_compute().
 */
double ktstr_scenario_run_s(const struct ktstr_scenario *s);

/* A scheduler spec's display name: "eevdf", the name, or the path's basename. */
const char *ktstr_sched_spec_label(const struct ktstr_scheduler_spec *sc);

/* The milliseconds a step holds (hold_ms, or its fraction of the duration; loop: 0). */
uint64_t ktstr_step_hold_ms(const struct ktstr_scenario *s, const struct ktstr_step *st);

/* The scheduler's display name: "eevdf", the name, or the path's basename. */
const char *ktstr_scenario_sched_label(const struct ktstr_scenario *s);

/* Total workers over all cgroups of the scenario and all spawn ops (the agent's bound). */
unsigned ktstr_scenario_total_workers(const struct ktstr_scenario *s);

/* Compact topology label as ktstr prints it, e.g. "1n2l4c1t". */
void ktstr_topology_label(const struct ktstr_topology *t, char *buf, size_t len);

#endif /* KTSTR_SCENARIO_H */
