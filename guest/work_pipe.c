// SPDX-License-Identifier: GPL-2.0-only
/*
 * PipeIo{burst_iters}: pairs of workers (group_index 2p and 2p+1) spin
 * burst_iters, then send their partner one message (an 8-byte timestamp,
 * for the wake-up latency) and wait for the partner's.  Stresses wakeup latency and wake-affine placement of two tasks
 * that hand work back and forth.  Each pair has two pipes, made before the
 * fork: 2p writes pipe A and reads pipe B, 2p+1 the other way round.
 *
 * Every worker inherits every pipe, so a partner's exit never gives EOF;
 * the wait therefore polls in short slices and re-checks the stop flag,
 * which is what lets a blocked worker stop promptly.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"
#include "work_parts.h"

/* fds[4p..4p+3]: A read, A write, B read, B write */
struct pipe_group {
	unsigned n_fds;
	int fds[];
};

struct pipe_end {
	int rd, wr;
};

void agent_pipe_release(void *group, unsigned n)
{
	struct pipe_group *g = group;

	(void)n;
	if (!g)
		return;
	for (unsigned i = 0; i < g->n_fds; i++)
		if (g->fds[i] >= 0)
			close(g->fds[i]);
	free(g);
}

int agent_pipe_prepare(void **group, unsigned n, const struct ktstr_work_params *p)
{
	struct pipe_group *g;

	(void)p;
	g = malloc(sizeof(*g) + (size_t)n * 2 * sizeof(int));
	if (!g)
		return -ENOMEM;
	g->n_fds = n / 2 * 4;
	for (unsigned i = 0; i < g->n_fds; i++)
		g->fds[i] = -1;
	/* O_NONBLOCK: a write never blocks, reads wait in poll() */
	for (unsigned i = 0; i < g->n_fds; i += 2)
		if (pipe2(&g->fds[i], O_NONBLOCK | O_CLOEXEC)) {
			int ret = -errno;

			agent_pipe_release(g, n);
			return ret;
		}
	*group = g;
	return 0;
}

int agent_pipe_ends(const struct agent_work_ctx *ctx, int *rd, int *wr)
{
	const struct pipe_group *g = ctx->group;
	unsigned base = ctx->group_index / 2 * 4;

	if (!g || base + 3 >= g->n_fds)
		return -1;
	if (ctx->group_index % 2 == 0) {
		*wr = g->fds[base + 1];
		*rd = g->fds[base + 2];
	} else {
		*rd = g->fds[base + 0];
		*wr = g->fds[base + 3];
	}
	return 0;
}

/*
 * The message is the sender's CLOCK_MONOTONIC time, taken just before the
 * write that wakes the partner; the receiver's wake-up latency is its clock
 * when the read succeeds minus that.  8 bytes < PIPE_BUF, so every write
 * and read moves one whole message; only a read that had to wait in poll()
 * is a wake-up (a message already waiting says nothing about the
 * scheduler).
 */
void agent_pipe_exchange(int rd, int wr, struct agent_work_ctx *ctx)
{
	struct pollfd pfd = { .fd = rd, .events = POLLIN };
	uint64_t msg = agent_mono_ns(), t0;
	bool waited = false;

	if (write(wr, &msg, sizeof(msg)) < 0 && errno != EAGAIN)
		_exit(3);
	t0 = agent_mono_ns();
	while (!agent_work_stopping(ctx)) {
		ssize_t r = read(rd, &msg, sizeof(msg));

		if (r == (ssize_t)sizeof(msg)) {
			uint64_t now = agent_mono_ns();

			if (waited && now >= msg)
				agent_work_wake_sample(ctx, now - msg);
			break;
		}
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			_exit(3);
		poll(&pfd, 1, AGENT_WORK_WAIT_SLICE_MS);
		waited = true;
	}
	ctx->blocked_ns += agent_mono_ns() - t0;
}

static int pipe_init(void **state, struct agent_work_ctx *ctx)
{
	struct pipe_end *e = malloc(sizeof(*e));

	if (!e || agent_pipe_ends(ctx, &e->rd, &e->wr)) {
		free(e);
		return -1;
	}
	*state = e;
	return 0;
}

static uint64_t pipe_burst(void *state, struct agent_work_ctx *ctx)
{
	const struct pipe_end *e = state;
	unsigned iters = ctx->params->v[KTSTR_WP_BURST_ITERS];

	agent_work_spin_iters(iters);
	agent_pipe_exchange(e->rd, e->wr, ctx);
	return iters;
}

const struct agent_work agent_work_pipe_io = {
	.name = "PipeIo",
	.prepare = agent_pipe_prepare,
	.release = agent_pipe_release,
	.init = pipe_init,
	.burst = pipe_burst,
};
