// SPDX-License-Identifier: GPL-2.0-only
/* SpinWait: pure CPU burn in bursts of 1024 iterations. */
#include "work.h"

#define SPIN_BURST 1024u

void agent_work_spin_iters(unsigned n)
{
	/* volatile keeps the compiler from folding the loop away. */
	volatile uint64_t acc = 0;

	for (unsigned i = 0; i < n; i++)
		acc = acc * 31 + i;
}

static uint64_t spin_burst(void *state, struct agent_work_ctx *ctx)
{
	(void)state;
	(void)ctx;
	agent_work_spin_iters(SPIN_BURST);
	return SPIN_BURST;
}

const struct agent_work agent_work_spin = {
	.name = "SpinWait",
	.burst = spin_burst,
};
