/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Work types: what a worker does between two telemetry checkpoints.  The
 * worker loop (workers.c) owns timing, gap and migration sampling and the
 * stop flag; a work type only supplies a burst function, so a new type is a
 * new file plus one line in the table in work.c.
 */
#ifndef AGENT_WORK_H
#define AGENT_WORK_H

#include <stdint.h>

#include "ktstr/scenario.h"

struct agent_work {
	const char *name;          /* as scenarios spell it, e.g. "SpinWait" */
	/* Optional per-worker setup in the worker process; 0 or -errno. */
	int (*init)(void **state, unsigned worker_index);
	/* One burst; returns the work units it completed. */
	uint64_t (*burst)(void *state);
};

/* NULL for a type this agent does not implement. */
const struct agent_work *agent_work_get(enum ktstr_work_type type);

extern const struct agent_work agent_work_spin;

#endif /* AGENT_WORK_H */
