// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cache family.  CachePressure{size_kb, stride}: read-modify-write of a
 * private buffer, stepping `stride` bytes and wrapping at size_kb KiB; a
 * migration or a cache-sharing neighbour shows as slower progress.
 * CacheYield adds a sched_yield() after each burst (footprint that keeps
 * giving the CPU away); CachePipe{size_kb, burst_iters} pairs workers that
 * exchange a message over pipes after burst_iters touches (footprint plus
 * wakeups: wake-affine placement versus cache warmth).  One unit per touch.
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "work_parts.h"

#define CACHE_TOUCHES 1024u
/* CachePipe has no stride parameter: one touch per cache line */
#define CACHE_PIPE_STRIDE 64u

int agent_cache_buf_init(struct agent_cache_buf *c, unsigned size_kb, unsigned stride)
{
	c->size = (size_t)size_kb * 1024;
	c->stride = stride % c->size;
	if (!c->stride)
		c->stride = 1;
	c->pos = 0;
	c->buf = malloc(c->size);
	if (!c->buf)
		return -1;
	memset((void *)c->buf, 0, c->size);   /* fault it in before the clock starts */
	return 0;
}

void agent_cache_buf_touch(struct agent_cache_buf *c, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		c->buf[c->pos]++;
		c->pos += c->stride;
		if (c->pos >= c->size)
			c->pos -= c->size;
	}
}

static int cache_init(void **state, struct agent_work_ctx *ctx)
{
	struct agent_cache_buf *c = malloc(sizeof(*c));

	if (!c || agent_cache_buf_init(c, ctx->params->v[KTSTR_WP_SIZE_KB],
				       ctx->params->v[KTSTR_WP_STRIDE])) {
		free(c);
		return -1;
	}
	*state = c;
	return 0;
}

static uint64_t cache_burst(void *state, struct agent_work_ctx *ctx)
{
	(void)ctx;
	agent_cache_buf_touch(state, CACHE_TOUCHES);
	return CACHE_TOUCHES;
}

static uint64_t cache_yield_burst(void *state, struct agent_work_ctx *ctx)
{
	(void)ctx;
	agent_cache_buf_touch(state, CACHE_TOUCHES);
	sched_yield();
	return CACHE_TOUCHES;
}

struct cache_pipe {
	struct agent_cache_buf c;
	int rd, wr;
};

static int cache_pipe_init(void **state, struct agent_work_ctx *ctx)
{
	struct cache_pipe *cp = malloc(sizeof(*cp));

	if (!cp || agent_pipe_ends(ctx, &cp->rd, &cp->wr) ||
	    agent_cache_buf_init(&cp->c, ctx->params->v[KTSTR_WP_SIZE_KB], CACHE_PIPE_STRIDE)) {
		free(cp);
		return -1;
	}
	*state = cp;
	return 0;
}

static uint64_t cache_pipe_burst(void *state, struct agent_work_ctx *ctx)
{
	struct cache_pipe *cp = state;
	unsigned iters = ctx->params->v[KTSTR_WP_BURST_ITERS];

	agent_cache_buf_touch(&cp->c, iters);
	agent_pipe_exchange(cp->rd, cp->wr, ctx);
	return iters;
}

const struct agent_work agent_work_cache_pressure = {
	.name = "CachePressure",
	.init = cache_init,
	.burst = cache_burst,
};

const struct agent_work agent_work_cache_yield = {
	.name = "CacheYield",
	.init = cache_init,
	.burst = cache_yield_burst,
};

const struct agent_work agent_work_cache_pipe = {
	.name = "CachePipe",
	.prepare = agent_pipe_prepare,
	.release = agent_pipe_release,
	.init = cache_pipe_init,
	.burst = cache_pipe_burst,
};
