/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What one VM run produced, as the host decoded it from the result frames.
 * Everything here came from the (untrusted) guest and was range-checked by
 * ktstr_results_apply_frame(); a frame that fails validation is counted in
 * `frames_rejected` and otherwise ignored.
 */
#ifndef KTSTR_RESULTS_H
#define KTSTR_RESULTS_H

#include <stdbool.h>
#include <stdint.h>

#include "ktstr/cpulist.h"
#include "ktstr/proto.h"
#include "ktstr/scenario.h"
#include "ktstr/wakehist.h"

struct ktstr_worker_result {
	unsigned index;
	int tid;
	char cgroup[KTSTR_CGPATH_MAX];
	unsigned group;            /* work group within the cgroup (KTSTR_SPAWN_GROUP_BASE+: spawn ops) */
	char work[KTSTR_NAME_MAX];
	uint64_t work_units;
	uint64_t cpu_ns;
	uint64_t wall_ns;
	uint64_t max_gap_ns;
	int max_gap_cpu;
	uint64_t max_gap_at_ns;    /* offset from the worker's start */
	uint64_t migrations;
	struct ktstr_cpuset cpus_used;
	struct ktstr_cpuset cpuset;        /* the cgroup's effective cpuset at the end */
	bool has_cpuset;
	uint64_t nvcsw;
	uint64_t nivcsw;
	char status[16];           /* "ok", "killed", "crashed" */
	/* Telemetry added after the first protocol version: each part optional. */
	uint64_t checkpoints;      /* 0: not sent (no migration ratio for it) */
	uint64_t node_checkpoints[KTSTR_MAX_NUMA_NODES];  /* checkpoints per NUMA node */
	struct ktstr_cpuset allowed;   /* union of the affinity masks it saw */
	bool has_allowed;
	bool has_schedstat;        /* false: the guest kernel has no /proc/PID/schedstat */
	uint64_t run_ns;           /* schedstat deltas over the worker's run: on-CPU time, */
	uint64_t wait_ns;          /* time runnable on a run queue, */
	uint64_t timeslices;       /* times scheduled in */
	struct ktstr_wake_hist wake;   /* count 0: no wake-up recorded */
};

/* What the guest reported about its own CPU topology. */
struct ktstr_guest_topology {
	bool valid;
	unsigned nr_cpus;
	unsigned numa_nodes;
	unsigned llcs;
	unsigned cores;            /* physical cores, machine-wide */
	unsigned threads_per_core; /* max SMT siblings of any core */
	uint64_t mem_total_kb;
	bool sched_ext_present;
	char sched_ext_state[32];
};

enum ktstr_stage {
	KTSTR_STAGE_NONE = 0,      /* QEMU not started */
	KTSTR_STAGE_QEMU_STARTED,  /* QEMU running, nothing from the guest yet */
	KTSTR_STAGE_KERNEL_BOOTING,/* console output seen */
	KTSTR_STAGE_AGENT_STARTED, /* HELLO received */
	KTSTR_STAGE_SCENARIO_STARTED,
	KTSTR_STAGE_SCENARIO_ENDED,
	KTSTR_STAGE_RESULTS,       /* DONE received */
};

const char *ktstr_stage_name(enum ktstr_stage s);

#define KTSTR_MAX_TIMELINE 128

struct ktstr_timeline_event {
	double host_s;             /* seconds since the executable started the VM */
	double guest_t_ms;         /* scenario time reported by the guest, <0 if none */
	char what[160];
};

/*
 * The sched_ext scheduler's lifecycle as the agent reported it (SCHED frames,
 * docs/protocol.md).  The first frame of each event is kept.
 */
enum ktstr_sched_event_kind {
	KTSTR_SCHED_EV_LAUNCHED = 0,   /* the agent started the binary */
	KTSTR_SCHED_EV_ATTACHED,       /* state=enabled and root/ops named */
	KTSTR_SCHED_EV_NOT_ATTACHED,   /* still not enabled when the attach bound ran out */
	KTSTR_SCHED_EV_EXITED,         /* the process ended on its own */
	KTSTR_SCHED_EV_DISABLED,       /* sysfs state left `enabled` (the kernel ejected it) */
	KTSTR_SCHED_EV_STOPPED,        /* the agent stopped it at the end (expected) */
	KTSTR_SCHED_EV__COUNT,
};

const char *ktstr_sched_event_name(enum ktstr_sched_event_kind k);

struct ktstr_sched_event {
	bool seen;
	char phase[8];             /* "load" (before attach), "run", "end" (after the last step) */
	double t_ms;               /* scenario time; 0 before the scenario started */
	double since_launch_ms;    /* since the scheduler was started */
	unsigned step;             /* steps completed when it happened, 0..n_steps */
	unsigned n_steps;
	int pid;                   /* 0: not sent */
	int exit_code;             /* -1: not sent */
	int signal;                /* 0: not sent */
	char state[32];            /* /sys/kernel/sched_ext/state, "" if not sent */
	char ops[64];              /* root/ops, "" if not sent */
	char reason[512];          /* free text (the kernel's disable reason), "" if none */
	double host_s;             /* when the host got it */
};

/*
 * One start of a sched_ext scheduler (an instance): the scenario's own
 * scheduler and every one a scheduler op starts (attach, restart, replace).
 * SCHED frames name their instance; a frame without one is instance 0.
 */
#define KTSTR_MAX_SCHED_RUNS 16

struct ktstr_sched_run {
	unsigned instance;         /* 0-based, in launch order */
	char label[KTSTR_NAME_MAX];/* the scheduler's name ("scheduler"), "" if not sent */
	char op[24];               /* what started it: "start" or the op ("attach_scheduler") */
	int op_step;               /* that op's step, 0-based; -1: not an op */
	char stopped_by[24];       /* the op that stopped it, "end" at the end, "" */
	double attach_timeout_ms;  /* its attach bound (sent with not_attached), 0 */
	struct ktstr_sched_event ev[KTSTR_SCHED_EV__COUNT];   /* first frame of each event */
};

/*
 * A payload's run (PAYLOAD frames, docs/protocol.md): its start, then how it
 * ended and the tail of its output.
 */
#define KTSTR_MAX_PAYLOAD_RESULTS 32
#define KTSTR_PAYLOAD_OUTPUT_MAX  4096

struct ktstr_payload_result {
	char name[KTSTR_NAME_MAX];
	bool started;              /* a "started" frame was seen */
	bool ended;                /* an end frame was seen */
	int pid;                   /* 0: not sent */
	char cgroup[KTSTR_CGPATH_MAX];   /* where it ran ("/": the root cgroup), "" */
	unsigned start_step;       /* the run_payload op's step, 0-based */
	double start_t_ms;
	char event[16];            /* "exited", "signaled", "killed", "timed_out" */
	char by[16];               /* "wait_payload", "kill_payload", "end" */
	unsigned step;             /* the ending op's step, 0-based ("end": steps completed) */
	unsigned n_steps;
	double t_ms;               /* scenario time of the end */
	double duration_ms;
	int exit_code;             /* -1: not sent */
	int signal;                /* 0: not sent */
	double timeout_ms;         /* timed_out: the wait's bound */
	uint64_t output_bytes;     /* everything it printed */
	char output[KTSTR_PAYLOAD_OUTPUT_MAX + 1];   /* the tail of it, made printable */
	double host_s;
};

/* Whether a payload's end fails the run: a wait_payload that saw no clean exit 0. */
bool ktstr_payload_failed(const struct ktstr_payload_result *p);

struct ktstr_run_result {
	enum ktstr_stage stage;
	char agent_version[32];
	char kernel_release[128];
	double hello_uptime_s;     /* guest uptime when the agent said hello */
	struct ktstr_guest_topology topo;
	struct ktstr_worker_result workers[KTSTR_MAX_WORKERS];
	unsigned n_workers;
	unsigned n_workers_expected;   /* from DONE */
	uint64_t last_progress_units;
	double last_progress_t_ms;     /* guest scenario time of the last PROGRESS, <0: none */
	unsigned workers_alive;        /* from the last PROGRESS */
	unsigned n_progress;           /* PROGRESS frames applied */
	char agent_error[1024];        /* from an ERROR frame */
	char last_log[512];
	unsigned frames_rejected;      /* valid frames whose JSON failed validation */
	struct ktstr_timeline_event timeline[KTSTR_MAX_TIMELINE];
	unsigned n_timeline;
	struct ktstr_sched_event sched_ev[KTSTR_SCHED_EV__COUNT];   /* instance 0's */
	/* every scheduler instance (sched_report.c judges each) */
	struct ktstr_sched_run sched_runs[KTSTR_MAX_SCHED_RUNS];
	unsigned n_sched_runs;
	unsigned sched_runs_dropped;   /* instances that had to share the last slot */
	struct ktstr_payload_result payloads[KTSTR_MAX_PAYLOAD_RESULTS];
	unsigned n_payloads;
	unsigned payloads_dropped;     /* runs overwritten for lack of room */
};

void ktstr_results_init(struct ktstr_run_result *r);

/* Record a timeline event (dropped silently when the timeline is full). */
void ktstr_results_event(struct ktstr_run_result *r, double host_s, double guest_t_ms,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Decode one frame into r.  Returns 0 when applied, -EINVAL when the payload
 * was rejected (malformed JSON, missing fields, values out of range); a
 * rejected frame changes nothing but `frames_rejected`.
 *
 * Validation rules (the guest is untrusted):
 *  - the payload is one JSON object; duplicate keys are rejected; unknown
 *    keys are ignored (a newer agent may send more);
 *  - every documented key is required unless noted: WORKER's "cpuset",
 *    "nvcsw", "nivcsw", "checkpoints", "nodes", "allowed", "schedstat",
 *    "wake" and HELLO's "mode" are optional;
 *  - integers must be integers (not reals or strings), >= 0, and below
 *    sanity bounds (ns counters < 30 days, counts < 2^53, tid in
 *    1..4194304, worker index < KTSTR_MAX_WORKERS and unique per run,
 *    max_gap_cpu in -1..KTSTR_MAX_CPUS-1, max_gap_ns <= wall_ns);
 *  - WORKER extras: migrations <= checkpoints; "nodes" is an array of
 *    [node, count] pairs, node < KTSTR_MAX_NUMA_NODES, each node once,
 *    counts adding up to at most checkpoints; "schedstat" an object of
 *    run_ns, wait_ns (< 30 days) and timeslices; "wake" an object of
 *    count, sum_ns, max_ns and "buckets", [index, count] pairs with index
 *    < KTSTR_WAKE_BUCKETS, each once, 1 <= count < 2^32, adding up to
 *    count, and max_ns inside the highest non-empty bucket;
 *  - cpulists must parse with ktstr_cpulist_parse();
 *  - identifiers (cgroup, work, status, agent, kernel, level, stage,
 *    sched_ext state) must fit their buffer and be printable ASCII without
 *    spaces; free text (LOG/ERROR "msg") is truncated to fit and its control
 *    characters (C0 except newline/tab, DEL, C1) become '?'.
 *  - STAGE "step" is 0-based: "step" < "n_steps" <= KTSTR_MAX_STEPS (the
 *    timeline shows it 1-based).  Stages only advance, never go back.
 *  - TOPOLOGY: len(cpus) == nr_cpus, cpu numbers unique, each CPU inside its
 *    own llc and siblings lists, node ids < KTSTR_MAX_CPUS.
 *  - SCHED: "event" one of launched/attached/not_attached/exited/disabled/
 *    stopped, "phase" one of load/run/end, 1 <= "n_steps" <= KTSTR_MAX_STEPS,
 *    "step" <= "n_steps"; optional "pid" (1..4194304), "exit_code" (0..255),
 *    "signal" (1..64), "state"/"ops" (identifiers), "reason" (free text);
 *    "attached" needs "ops".  A repeated event keeps the first report.
 *    Optional "instance" (0..100000, default 0: the scheduler's start
 *    count), "scheduler" (identifier), "op" (start or a scheduler op),
 *    "op_step" (< KTSTR_MAX_STEPS), "by" (the stopping op, or end) and
 *    "attach_timeout_ms" (a duration) put
 *    the event into sched_runs[]; instance 0's also go to sched_ev[].  An
 *    instance older than the last one kept is rejected.
 *  - PAYLOAD: "name" (identifier), "event" one of started/exited/signaled/
 *    killed/timed_out, "by" one of run_payload (started only)/wait_payload/
 *    kill_payload/end, "step" <= "n_steps" <= KTSTR_MAX_STEPS, "t_ms";
 *    started: optional "pid", "cgroup"; an end: "duration_ms",
 *    "output_bytes", "output" (free text, its tail kept), "exit_code"
 *    (0..255, required for exited), "signal" (1..64, required for
 *    signaled), "timeout_ms" (required for timed_out).
 */
int ktstr_results_apply_frame(struct ktstr_run_result *r, const struct ktstr_frame *f,
			      double host_s);

#endif /* KTSTR_RESULTS_H */
