/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Worker processes.  Processes rather than threads because cgroup placement
 * is per PID.  Workers come in batches (the backdrop's at the start, a step's
 * cgroups or a spawn op later), and each batch starts two-phase: its workers
 * block on the batch's start pipe until the parent has written their PIDs
 * into their cgroups and set their policy, nice and affinity, then the
 * parent closes the pipe and they all start together, each already in its
 * cgroup from its first instruction of work.
 *
 * Telemetry lives in one MAP_SHARED anonymous mapping made before the first
 * fork, one cache-line-aligned slot per possible worker, with the worker's
 * own stop flag (a cgroup's workers can stop while others run on).  Running
 * counters are published with relaxed atomic stores (the parent only sums
 * work_units for PROGRESS); the final fields are published before `done`
 * with a release store and read after waitpid().  The WORKER frame
 * (report.c) is built from the slot once the worker has been reaped.
 */
#ifndef AGENT_WORKERS_H
#define AGENT_WORKERS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ktstr/error.h"
#include "ktstr/scenario.h"
#include "ktstr/wakehist.h"

#include "cgroups.h"
#include "work.h"

#define AGENT_STOP_DEADLINE_MS 5000u

struct agent_worker_slot {
	uint32_t stop;             /* set by the parent; the worker polls it */
	uint32_t pad0;
	/* ns the worker's cgroup was frozen; the worker takes it out of its next gap */
	uint64_t paused_ns;
	/* when the agent released the worker's batch: its time (wall, first gap) counts from here */
	uint64_t released_ns;
	/* running: relaxed atomic stores by the worker */
	uint64_t work_units;
	uint64_t max_gap_ns;       /* longest time between two checkpoints */
	uint64_t max_gap_at_ns;    /* when it ended, from the worker's start */
	int32_t max_gap_cpu;       /* CPU the worker was on after that gap */
	uint32_t migrations;       /* CPU changes seen at checkpoints */
	uint64_t cpus_used[KTSTR_MAX_CPUS / 64];
	/* final: valid once done == 1 (release/acquire) */
	uint64_t cpu_ns;
	uint64_t wall_ns;
	uint64_t nvcsw;
	uint64_t nivcsw;
	uint32_t done;
	/* running, relaxed stores; checkpoints is bumped before anything it bounds */
	uint64_t checkpoints;
	uint32_t node_checkpoints[KTSTR_MAX_NUMA_NODES];  /* checkpoints per NUMA node */
	uint64_t allowed[KTSTR_MAX_CPUS / 64];   /* union of the affinity masks seen */
	/* final: /proc/self/schedstat deltas, when the file exists (schedstat_ok) */
	uint32_t schedstat_ok;
	uint64_t run_ns;           /* on-CPU time */
	uint64_t wait_ns;          /* runnable, waiting on a run queue */
	uint64_t timeslices;       /* times it was scheduled in */
	/*
	 * Wake-up latencies (agent_work_wake_sample).  Only the worker writes
	 * it, and the parent reads it after reaping the worker, so plain
	 * stores do.
	 */
	struct ktstr_wake_hist wake;
} __attribute__((aligned(64)));

struct agent_shared {
	struct agent_worker_slot slots[KTSTR_MAX_WORKERS];
};

enum agent_worker_status {
	AGENT_WORKER_RUNNING = 0,
	AGENT_WORKER_OK,           /* stopped when asked and exited 0 */
	AGENT_WORKER_CRASHED,      /* died by a signal the agent did not send, or exited non-zero */
	AGENT_WORKER_KILLED,       /* missed the stop deadline, SIGKILLed */
};

struct agent_worker {
	unsigned index;
	pid_t pid;
	char cgroup[KTSTR_CGPATH_MAX];     /* where it runs now; "" = the root cgroup (host) */
	char cpuset[KTSTR_CPULIST_MAX];    /* its cgroup's effective CPUs when it stopped */
	const struct ktstr_work_group *def;
	unsigned group_no;                 /* the group's index in its cgroup */
	const struct agent_work *work;
	struct ktstr_work_params params;   /* the group's, defaults filled */
	unsigned group_index;      /* index within its cgroup */
	void *group;               /* the work type's per-cgroup resources */
	enum agent_worker_status status;
	int exit_code;             /* when it exited (exited == true) */
	int signal;                /* when a signal ended it */
	bool exited;
	bool sigkilled;            /* the agent sent SIGKILL */
	bool pending;              /* forked, waiting for its batch's release */
	uint64_t start_ns;         /* monotonic time its batch was released */
	uint64_t end_ns;           /* monotonic time it was reaped */
	uint64_t frozen_since_ns;  /* when its cgroup (or an ancestor) froze; 0: not frozen */
};

struct agent_workers {
	struct agent_shared *shm;
	size_t shm_len;
	struct agent_worker w[KTSTR_MAX_WORKERS];
	unsigned n;
	int start_rd, start_wr;    /* the current batch's start pipe; -1 when none */
	uint64_t release_ns;       /* monotonic time of the first release */
	/*
	 * NUMA node of each CPU (AGENT_NODE_NONE: not counted), filled from
	 * the topology after agent_workers_init(); all zero (node 0) when left alone.
	 */
	uint8_t cpu_node[KTSTR_MAX_CPUS];
};

#define AGENT_NODE_NONE 0xff

const char *agent_worker_status_name(enum agent_worker_status s);

/* Map the telemetry slots (once, for KTSTR_MAX_WORKERS).  0 or -errno. */
int agent_workers_init(struct agent_workers *ws, struct ktstr_err *err);

/*
 * Fork the workers of one work group into the pending batch (they block on
 * its start pipe).  cgroup "" is the root cgroup (spawn_host).  close_fd
 * (>= 0) is closed in each child.  Returns 0 or -errno; workers already
 * forked are stopped by agent_workers_abort().
 */
int agent_workers_spawn_group(struct agent_workers *ws, const char *cgroup,
			      const struct ktstr_work_group *g, unsigned group_no, int close_fd,
			      struct ktstr_err *err);

/* Every group of every cgroup in s whose step is `step` (KTSTR_CGROUP_BACKDROP...). */
int agent_workers_spawn_step(struct agent_workers *ws, const struct ktstr_scenario *s, int step,
			     int close_fd, struct ktstr_err *err);

/* Write each pending worker's PID into its cgroup's cgroup.procs. */
/* ... and set their policy, nice and affinity (attrs.c) against map. */
int agent_workers_place(struct agent_workers *ws, const struct agent_cgroups *cg,
			const struct ktstr_topo_map *map, struct ktstr_err *err);

/*
 * Wall time of worker i: its own measurement when it finished normally, else
 * the parent's view (release to reap), so a killed worker's gap never
 * exceeds its wall time.
 */
uint64_t agent_worker_wall_ns(const struct agent_workers *ws, unsigned i);

/* Let the pending batch run (close its start pipe). */
void agent_workers_release(struct agent_workers *ws);

/* Sum of work_units over all workers. */
uint64_t agent_workers_units(const struct agent_workers *ws);

/* Reap workers that exited early; returns how many are still running. */
unsigned agent_workers_alive(struct agent_workers *ws);

/*
 * Stop the running workers of `cgroup` (NULL: all): raise their stop flags,
 * wait up to deadline_ms, SIGKILL the rest.  Each stopped worker keeps the
 * cgroup's effective cpuset for its report (read through cg, may be NULL).
 * Returns the number of workers that had to be killed.
 */
unsigned agent_workers_stop_cgroup(struct agent_workers *ws, const char *cgroup,
				   const struct agent_cgroups *cg, unsigned deadline_ms);

/* All of them. */
unsigned agent_workers_stop(struct agent_workers *ws, unsigned deadline_ms);

/* Stop whatever was spawned after a failure (stop flags, release, stop). */
void agent_workers_abort(struct agent_workers *ws);

/* Running workers of `cgroup`: now in `to` (move_all_tasks). */
void agent_workers_moved(struct agent_workers *ws, const char *cgroup, const char *to);

/*
 * Frozen time is not a scheduling gap.  `frozen` lists the n cgroups whose
 * cgroup.freeze is 1; a worker is frozen when its cgroup or an ancestor is
 * listed.  A running worker that is frozen now and was not remembers since
 * when; one that was frozen and is not any more gets the time added to its
 * paused_ns, which its next checkpoint takes out of the gap.  Call it after
 * each change to the list (freeze, thaw, move, spawn) and BEFORE the write
 * that thaws: a thawed spinner reaches its next checkpoint within
 * microseconds, long before the agent could tell it how long it stood still.
 */
void agent_workers_sync_frozen(struct agent_workers *ws, const char (*frozen)[KTSTR_CGPATH_MAX],
			       unsigned n, uint64_t now_ns);

/* Number of running workers in `cgroup`. */
unsigned agent_workers_in(const struct agent_workers *ws, const char *cgroup);

#endif /* AGENT_WORKERS_H */
