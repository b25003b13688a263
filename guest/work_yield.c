// SPDX-License-Identifier: GPL-2.0-only
/*
 * Yield families: YieldHeavy (sched_yield() every iteration, one unit each)
 * and Mixed (1024 spins, then one yield).  They stress the scheduler's
 * yield path and the requeue it implies.
 */
#include <sched.h>

#include "work.h"

/*
 * YieldHeavy bursts are short so the stop flag is seen promptly; the loop
 * still checkpoints every 1024 yields (units), as the Rust ktstr does.
 */
#define YIELD_BURST 64u
#define MIXED_SPIN 1024u

static uint64_t yield_heavy_burst(void *state, struct agent_work_ctx *ctx)
{
	(void)state;
	(void)ctx;
	for (unsigned i = 0; i < YIELD_BURST; i++)
		sched_yield();
	return YIELD_BURST;
}

static uint64_t mixed_burst(void *state, struct agent_work_ctx *ctx)
{
	(void)state;
	(void)ctx;
	agent_work_spin_iters(MIXED_SPIN);
	sched_yield();
	return MIXED_SPIN;
}

const struct agent_work agent_work_yield_heavy = {
	.name = "YieldHeavy",
	.burst = yield_heavy_burst,
};

const struct agent_work agent_work_mixed = {
	.name = "Mixed",
	.burst = mixed_burst,
};
