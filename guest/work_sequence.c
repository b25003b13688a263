// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sequence{phases}: cycle through the scenario's phases, each for its
 * duration: `spin` (busy loop in 1024-iteration bursts, one unit per
 * iteration), `sleep` (sliced, stop-aware; blocked time, no units),
 * `yield` (sched_yield() in a loop, one unit each) and `io` (a 4 KiB
 * pwrite() to a private file in /tmp and fdatasync(), one unit per write;
 * the sync is blocked time).  Stresses a task whose behaviour changes
 * under the scheduler's feet: load tracking, sleeper credit, placement.
 * A phase runs whole bursts, so it may overrun its end by one burst; a
 * checkpoint every burst, so a yield or io phase records gaps too.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "work_parts.h"

#define SEQ_SPIN 1024u
#define SEQ_IO_BLOCK 4096u
#define SEQ_IO_BLOCKS 16u          /* the io phase rewrites a 64 KiB file */

struct sequence {
	const struct ktstr_work_phase *ph;
	unsigned n, cur;
	uint64_t end_ns;           /* when the current phase ends */
	int fd;                    /* -1 without an io phase */
	unsigned block;
	char buf[SEQ_IO_BLOCK];
};

static int sequence_init(void **state, struct agent_work_ctx *ctx)
{
	const struct ktstr_work_params *p = ctx->params;
	struct sequence *q;

	if (!p->n_phases || p->n_phases > KTSTR_MAX_PHASES)
		return -EINVAL;    /* the loader requires 1..8 phases */
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->ph = p->phases;
	q->n = p->n_phases;
	q->fd = -1;
	memset(q->buf, 0x3c, sizeof(q->buf));
	for (unsigned i = 0; i < q->n && q->fd < 0; i++)
		if (q->ph[i].kind == KTSTR_PHASE_IO) {
			q->fd = agent_io_tmpfile();
			if (q->fd < 0) {
				int ret = q->fd;

				free(q);
				return ret;
			}
		}
	q->end_ns = agent_mono_ns() + q->ph[0].duration_ms * 1000000ull;
	*state = q;
	return 0;
}

static uint64_t sequence_burst(void *state, struct agent_work_ctx *ctx)
{
	struct sequence *q = state;
	uint64_t now = agent_mono_ns(), t0;

	if (now >= q->end_ns) {
		q->cur = (q->cur + 1) % q->n;
		q->end_ns = now + q->ph[q->cur].duration_ms * 1000000ull;
	}
	switch (q->ph[q->cur].kind) {
	case KTSTR_PHASE_SPIN:
		agent_work_spin_iters(SEQ_SPIN);
		return SEQ_SPIN;
	case KTSTR_PHASE_SLEEP:
		ctx->blocked_ns += agent_work_sleep_ns(q->end_ns - now, ctx);
		return 0;
	case KTSTR_PHASE_YIELD:
		sched_yield();
		return 1;
	case KTSTR_PHASE_IO:
		if (pwrite(q->fd, q->buf, SEQ_IO_BLOCK,
			   (off_t)(q->block++ % SEQ_IO_BLOCKS) * SEQ_IO_BLOCK) < 0)
			_exit(3);  /* shows as crashed: the disk is gone or full */
		t0 = agent_mono_ns();
		fdatasync(q->fd);
		ctx->blocked_ns += agent_mono_ns() - t0;
		return 1;
	case KTSTR_PHASE__COUNT:
		break;
	}
	return 0;
}

const struct agent_work agent_work_sequence = {
	.name = "Sequence",
	.init = sequence_init,
	.burst = sequence_burst,
	.checkpoint_units = 1,
};
