/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The agent's whole state, one object passed around: PID 1 has a single
 * flow (boot -> report -> run -> report -> power off) and every piece of it
 * reads or fills part of this.
 */
#ifndef AGENT_AGENT_H
#define AGENT_AGENT_H

#include <stdint.h>

#include "ktstr/error.h"
#include "ktstr/scenario.h"
#include "ktstr/topo.h"

#include "cgroups.h"
#include "channel.h"
#include "cmdline.h"
#include "mounts.h"
#include "payload.h"
#include "sched_guest.h"
#include "topology.h"
#include "workers.h"

#define AGENT_SYSFS        "/sys"
#define AGENT_PROCFS       "/proc"
#define AGENT_DEVFS        "/dev"
#define AGENT_CGROUP_ROOT  "/sys/fs/cgroup"
#define AGENT_SCENARIO     "/ktstr/scenario.yaml"
#define AGENT_SCENARIO_DISPLAY "scenario.yaml"
#define AGENT_PORT_WAIT_MS 5000u

struct agent {
	struct agent_params params;
	struct agent_notes notes;
	struct agent_channel ch;
	struct agent_topo topo;
	struct ktstr_topo_map map;
	struct ktstr_scenario scenario;
	struct agent_cgroups cg;
	struct agent_workers workers;
	struct agent_sched sched;  /* the sched_ext scheduler, when the scenario has one */
	uint64_t t0_ns;            /* scenario start (workers released) */
	unsigned steps_done;       /* steps that ran to their end */
	/* cgroups a freeze op froze, until thawed (their workers: agent_workers_sync_frozen) */
	char frozen[KTSTR_MAX_LIVE_CGROUPS][KTSTR_CGPATH_MAX];
	unsigned n_frozen;
	struct agent_payloads payloads;    /* payload.c */
	uint64_t next_progress_ns;         /* when the next PROGRESS frame is due (run.c) */
};

/* Milliseconds since the scenario started. */
uint64_t agent_t_ms(const struct agent *a);

/* Load AGENT_SCENARIO into a->scenario; errors as "scenario.yaml: <diag>". */
int agent_scenario_load(struct agent *a, const char *path, struct ktstr_err *err);

/*
 * Apply the variant the host chose (params.variant, else the first, as the
 * host does) to a->scenario: variants.h.  A scenario without variants runs
 * as loaded.  0, or -errno with err set.
 */
int agent_scenario_variant(struct agent *a, struct ktstr_err *err);

/*
 * Cgroups, workers, steps, telemetry: everything from scenario_start to
 * DONE.  Returns 0 or -errno with err set; cleans up after itself either way.
 */
int agent_run_scenario(struct agent *a, struct ktstr_err *err);

/*
 * run/wait/kill_payload ops (payload.c); `step` is 0-based.  0 or -errno
 * with err set.  A payload that ends badly is reported as a frame, not as an
 * error of the agent.
 */
int agent_payload_op(struct agent *a, const struct ktstr_op *op, unsigned step,
		     struct ktstr_err *err);

/* Kill and reap every payload still running, reporting each (idempotent). */
void agent_payloads_end(struct agent *a);

/*
 * Reap payloads that ended by themselves, noting when (their end is
 * reported by the op that waits for or kills them, or at the end).  Returns
 * whether any is still running: holds then look every AGENT_PAYLOAD_POLL_MS.
 */
bool agent_payloads_poll(struct agent *a);

/* Milliseconds wait_payload ops spent in `step` (0-based): its hold is that much shorter. */
uint64_t agent_payloads_waited_ms(const struct agent *a, unsigned step);

/*
 * Hold for ms while the workers run: PROGRESS frames stay on their cadence
 * and the scheduler is watched (run.c).  0, -ECANCELED when the scheduler
 * just exited or was disabled (reported), or -errno with err set.
 */
int agent_hold(struct agent *a, uint64_t ms, unsigned step, struct ktstr_err *err);

/* attach/detach/restart/replace_scheduler ops (sched_ops.c).  0 or -errno with err set. */
int agent_sched_op(struct agent *a, const struct ktstr_op *op, unsigned step,
		   struct ktstr_err *err);

/* sync + power off; never returns (PID 1 must not exit). */
void agent_poweroff(void) __attribute__((noreturn));

/* Block forever (fault injection). */
void agent_hang(void) __attribute__((noreturn));

#endif /* AGENT_AGENT_H */
