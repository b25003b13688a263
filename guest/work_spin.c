// SPDX-License-Identifier: GPL-2.0-only
/* SpinWait: pure CPU burn in bursts of 1024 iterations. */
#include "work.h"

#define SPIN_BURST 1024u

static uint64_t spin_burst(void *state)
{
	/* volatile keeps the compiler from folding the loop away. */
	volatile uint64_t acc = 0;

	(void)state;
	for (unsigned i = 0; i < SPIN_BURST; i++)
		acc = acc * 31 + i;
	return SPIN_BURST;
}

const struct agent_work agent_work_spin = {
	.name = "SpinWait",
	.burst = spin_burst,
};
