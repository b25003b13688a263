/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Work types: what a worker does between two telemetry checkpoints.  The
 * worker loop (workers.c) owns timing, gap and migration sampling and the
 * stop flag; a work type supplies a burst function (plus optional per-cgroup
 * and per-worker setup), so a new type is a new file plus one line in the
 * table in work.c.  The catalogue of names, parameters and group sizes is
 * the model's (framework/src/work_types.c).
 */
#ifndef AGENT_WORK_H
#define AGENT_WORK_H

#include <stdint.h>

#include "ktstr/scenario.h"

/* A blocking wait re-checks the stop flag at least this often (ms). */
#define AGENT_WORK_WAIT_SLICE_MS 10

/* What a worker's burst sees; lives in the worker process. */
struct agent_work_ctx {
	const struct ktstr_work_params *params;   /* defaults already filled */
	unsigned index;            /* worker index over the whole scenario */
	unsigned group_index;      /* index within its cgroup: partner = group_index ^ 1 */
	void *group;               /* what prepare() made for the cgroup (inherited by fork) */
	const uint32_t *stop;      /* the agent's stop flag; blocking waits poll it */
	/*
	 * Time the burst spent off-CPU on purpose (sleeping, waiting for its
	 * partner).  The loop leaves it out of the gap: a gap is time a worker
	 * wanted to run and did not.
	 */
	uint64_t blocked_ns;
	/*
	 * Where agent_work_wake_sample() records wake-up latencies; owned by
	 * the worker loop (workers.c), NULL in contexts that do not collect.
	 */
	void *wake;
};

struct agent_work {
	const char *name;          /* as scenarios spell it, e.g. "SpinWait" */
	/*
	 * Optional, in the agent before the cgroup's workers fork: shared
	 * resources (pipes, MAP_SHARED futex words) for n workers.  0 or -errno.
	 */
	int (*prepare)(void **group, unsigned n, const struct ktstr_work_params *p);
	/* Optional, in the agent once they forked: drop its own references. */
	void (*release)(void *group, unsigned n);
	/* Optional per-worker setup in the worker process; 0 or -errno. */
	int (*init)(void **state, struct agent_work_ctx *ctx);
	/* One burst; returns the work units it completed (0 is fine when stopping). */
	uint64_t (*burst)(void *state, struct agent_work_ctx *ctx);
	/*
	 * Units between two telemetry checkpoints; 0 means 1024, the Rust
	 * ktstr's period.  Types whose unit is a whole fork or 16 writes set a
	 * smaller one, or a run under TCG might never reach a checkpoint and
	 * the gap would measure 1024 forks of work instead of a scheduling gap.
	 */
	unsigned checkpoint_units;
};

/* NULL for a type this agent does not implement. */
const struct agent_work *agent_work_get(enum ktstr_work_type type);

/* Whether the agent asked the workers to stop. */
static inline int agent_work_stopping(const struct agent_work_ctx *ctx)
{
	return __atomic_load_n(ctx->stop, __ATOMIC_RELAXED) != 0;
}

/*
 * Record one wake-up latency: ns from the moment the waker woke this worker
 * (its timestamp, taken just before FUTEX_WAKE / write()) to the moment the
 * worker runs again.  Work types whose workers block on a partner call it
 * after every wake-up they can time.
 */
void agent_work_wake_sample(struct agent_work_ctx *ctx, uint64_t latency_ns);

/* Spin n iterations the compiler cannot fold away. */
void agent_work_spin_iters(unsigned n);

extern const struct agent_work agent_work_spin;
extern const struct agent_work agent_work_yield_heavy;
extern const struct agent_work agent_work_mixed;
extern const struct agent_work agent_work_bursty;
extern const struct agent_work agent_work_io_sync_write;
extern const struct agent_work agent_work_pipe_io;
extern const struct agent_work agent_work_futex_ping_pong;
extern const struct agent_work agent_work_cache_pressure;
extern const struct agent_work agent_work_fork_exit;
extern const struct agent_work agent_work_cache_yield;
extern const struct agent_work agent_work_cache_pipe;
extern const struct agent_work agent_work_futex_fan_out;
extern const struct agent_work agent_work_mutex_contention;
extern const struct agent_work agent_work_nice_sweep;
extern const struct agent_work agent_work_affinity_churn;
extern const struct agent_work agent_work_policy_churn;
extern const struct agent_work agent_work_page_fault_churn;
extern const struct agent_work agent_work_io_rand_read;
extern const struct agent_work agent_work_io_convoy;
extern const struct agent_work agent_work_fan_out_compute;
extern const struct agent_work agent_work_sequence;
extern const struct agent_work agent_work_wake_chain;
extern const struct agent_work agent_work_thundering_herd;
extern const struct agent_work agent_work_priority_inversion;
extern const struct agent_work agent_work_rt_starvation;

#endif /* AGENT_WORK_H */
