// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bursty{burst_ms, sleep_ms}: spin for burst_ms, sleep for sleep_ms, repeat.
 * Stresses wakeup placement and the fairness credit of tasks that sleep.
 * Spinning happens in 1024-iteration bursts (one checkpoint each), the sleep
 * is one burst of zero units whose time is reported as blocked, so a sleep
 * never reads as a scheduling gap.
 */
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "work_parts.h"

#define BURSTY_SPIN 1024u

struct bursty {
	uint64_t phase_end_ns;     /* end of the current spin phase */
};

static int bursty_init(void **state, struct agent_work_ctx *ctx)
{
	struct bursty *b = calloc(1, sizeof(*b));

	if (!b)
		return -1;
	b->phase_end_ns = agent_mono_ns() + (uint64_t)ctx->params->v[KTSTR_WP_BURST_MS] * 1000000ull;
	*state = b;
	return 0;
}

uint64_t agent_work_sleep_ns(uint64_t ns, const struct agent_work_ctx *ctx)
{
	uint64_t t0 = agent_mono_ns(), end = t0 + ns, now;

	while (!agent_work_stopping(ctx) && (now = agent_mono_ns()) < end) {
		uint64_t left = end - now, slice = AGENT_WORK_WAIT_SLICE_MS * 1000000ull;
		struct timespec ts;

		if (left < slice)
			slice = left;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)slice;
		nanosleep(&ts, NULL);
	}
	return agent_mono_ns() - t0;
}

static uint64_t bursty_burst(void *state, struct agent_work_ctx *ctx)
{
	struct bursty *b = state;

	if (agent_mono_ns() < b->phase_end_ns) {
		agent_work_spin_iters(BURSTY_SPIN);
		return BURSTY_SPIN;
	}
	ctx->blocked_ns += agent_work_sleep_ns((uint64_t)ctx->params->v[KTSTR_WP_SLEEP_MS] * 1000000ull,
					       ctx);
	b->phase_end_ns = agent_mono_ns() + (uint64_t)ctx->params->v[KTSTR_WP_BURST_MS] * 1000000ull;
	return 0;
}

const struct agent_work agent_work_bursty = {
	.name = "Bursty",
	.init = bursty_init,
	.burst = bursty_burst,
};
