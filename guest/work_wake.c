// SPDX-License-Identifier: GPL-2.0-only
/*
 * Wake family: groups whose members sleep on futex words and wake each
 * other, each woken worker timing its own wake-up.  The waker stores a
 * CLOCK_MONOTONIC stamp in the group's shared memory just before it makes
 * the futex word move (release) and calls FUTEX_WAKE; the woken worker
 * reads the word (acquire), then the stamp, and reports now - stamp with
 * agent_work_wake_sample().  Every wait is stop-aware and counts as blocked
 * time.  The shared memory is one MAP_SHARED mapping per cgroup, one slot
 * per group, made before the fork (zero-filled: generation 0 is "before the
 * first round", so a worker that initialises late misses nothing).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "clock.h"
#include "work_parts.h"

/* ns from the waker's stamp to now; 0 if the clocks disagree (never negative) */
static uint64_t since(const uint64_t *stamp)
{
	uint64_t at = __atomic_load_n(stamp, __ATOMIC_RELAXED), now = agent_mono_ns();

	return now > at ? now - at : 0;
}

static void stamp_now(uint64_t *stamp)
{
	__atomic_store_n(stamp, agent_mono_ns(), __ATOMIC_RELAXED);
}

/*
 * A round: the waker stamps, bumps `gen` and wakes everyone; each woken
 * member does its part and checks in on `done`; the last one to check in
 * wakes the waker, which starts the next round only then, so rounds never
 * overlap and each stamp belongs to the round that reads it.
 * FanOutCompute and ThunderingHerd share it.
 */
struct round {
	uint32_t gen;
	uint32_t done;
	uint64_t stamp_ns;
	char pad[48];              /* a cache line per group */
};

static int round_prepare(void **group, unsigned n, const struct ktstr_work_params *p)
{
	(void)p;
	return agent_shm_alloc(group, (size_t)n * sizeof(struct round));
}

static void round_release(void *group, unsigned n)
{
	agent_shm_free(group, (size_t)n * sizeof(struct round));
}

/* The waker: wait until all `members` checked in (not before the first round). */
static int round_wait_done(struct round *r, unsigned members, bool first,
			   struct agent_work_ctx *ctx)
{
	uint32_t d;

	if (first)
		return 0;
	while ((d = __atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) < members) {
		if (agent_work_stopping(ctx))
			return -1;
		agent_futex_wait_change(&r->done, d, ctx);
	}
	return 0;
}

static void round_start(struct round *r)
{
	__atomic_store_n(&r->done, 0, __ATOMIC_RELAXED);
	stamp_now(&r->stamp_ns);
	__atomic_add_fetch(&r->gen, 1, __ATOMIC_RELEASE);
	agent_futex_wake(&r->gen, INT_MAX);
}

/* A member: wait for the round after `*seen`; false when stopping. */
static bool round_wait(struct round *r, uint32_t *seen, struct agent_work_ctx *ctx)
{
	uint32_t g = agent_futex_wait_change(&r->gen, *seen, ctx);

	if (g == *seen)
		return false;
	*seen = g;
	agent_work_wake_sample(ctx, since(&r->stamp_ns));
	return true;
}

static void round_check_in(struct round *r, unsigned members)
{
	if (__atomic_add_fetch(&r->done, 1, __ATOMIC_RELEASE) >= members)
		agent_futex_wake(&r->done, 1);
}

/*
 * FanOutCompute{fan_out, cache_footprint_kb, operations, sleep_usec}:
 * groups of fan_out + 1.  Member 0, the messenger, starts a round (stamp,
 * wake all) as soon as every receiver finished the last one.  A receiver
 * records its wake latency, sleeps sleep_usec, then does `operations`
 * naive u64 matrix multiplies C = A x B over three private n x n matrices
 * that together fill cache_footprint_kb, one multiply per burst.  Stresses
 * wakeup placement of workers that then need their cache.  Units: one round
 * for the messenger, one multiply for a receiver; a checkpoint every burst.
 */
struct fan_compute {
	struct round *r;
	uint32_t seen;
	int messenger;
	bool first;
	unsigned left;             /* multiplies still to do this round */
	size_t n;
	uint64_t *a, *b, *c;
};

static int fan_compute_init(void **state, struct agent_work_ctx *ctx)
{
	unsigned size = ctx->params->v[KTSTR_WP_FAN_OUT] + 1;
	/* three matrices of 8-byte cells: n = sqrt(footprint / 24), at least 2 */
	size_t cells = (size_t)ctx->params->v[KTSTR_WP_CACHE_FOOTPRINT_KB] * 1024 / 24;
	struct fan_compute *f = calloc(1, sizeof(*f));
	size_t nn;

	if (!f || !ctx->group)
		return -1;
	f->r = (struct round *)ctx->group + ctx->group_index / size;
	f->messenger = ctx->group_index % size == 0;
	f->first = true;
	*state = f;
	if (f->messenger)
		return 0;
	for (f->n = 2; (f->n + 1) * (f->n + 1) <= cells; f->n++)
		;
	nn = f->n * f->n;
	f->a = malloc(nn * sizeof(uint64_t));
	f->b = malloc(nn * sizeof(uint64_t));
	f->c = calloc(nn, sizeof(uint64_t));
	if (!f->a || !f->b || !f->c)
		return -1;
	for (size_t i = 0; i < nn; i++) {
		f->a[i] = i * 2654435761u + ctx->index;
		f->b[i] = i ^ 0x5555555555555555ull;
	}
	return 0;
}

static void matmul(struct fan_compute *f)
{
	size_t n = f->n;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			uint64_t acc = 0;

			for (size_t k = 0; k < n; k++)
				acc += f->a[i * n + k] * f->b[k * n + j];
			f->c[i * n + j] = acc;
		}
	/* feed a result back so no two multiplies are the same (and none is dead) */
	f->a[0] ^= f->c[n * n - 1];
}

static uint64_t fan_compute_burst(void *state, struct agent_work_ctx *ctx)
{
	struct fan_compute *f = state;
	unsigned fan_out = ctx->params->v[KTSTR_WP_FAN_OUT];

	if (f->messenger) {
		if (round_wait_done(f->r, fan_out, f->first, ctx))
			return 0;
		f->first = false;
		round_start(f->r);
		return 1;
	}
	if (!f->left) {
		if (!round_wait(f->r, &f->seen, ctx))
			return 0;
		ctx->blocked_ns += agent_work_sleep_ns(
			(uint64_t)ctx->params->v[KTSTR_WP_SLEEP_USEC] * 1000ull, ctx);
		f->left = ctx->params->v[KTSTR_WP_OPERATIONS];
	}
	matmul(f);
	if (--f->left == 0)
		round_check_in(f->r, fan_out);
	return 1;
}

const struct agent_work agent_work_fan_out_compute = {
	.name = "FanOutCompute",
	.prepare = round_prepare,
	.release = round_release,
	.init = fan_compute_init,
	.burst = fan_compute_burst,
	.checkpoint_units = 1,
};

/*
 * ThunderingHerd{waiters, spin_iters}: groups of waiters + 1.  Member 0,
 * the waker, spins spin_iters and wakes every waiter at once (FUTEX_WAKE
 * with INT_MAX on the one word they all sleep on); each waiter records its
 * wake latency, spins HERD_WAITER_SPIN iterations and checks in; the waker
 * waits until all have (a barrier) before the next round.  Stresses
 * placing many simultaneous wakeups.  Units: the waker's spin iterations,
 * one per wake-up for a waiter; a checkpoint every burst.
 */
#define HERD_WAITER_SPIN 256u

struct herd {
	struct round *r;
	uint32_t seen;
	int waker;
	bool first;
};

static int herd_init(void **state, struct agent_work_ctx *ctx)
{
	unsigned size = ctx->params->v[KTSTR_WP_WAITERS] + 1;
	struct herd *h = calloc(1, sizeof(*h));

	if (!h || !ctx->group)
		return -1;
	h->r = (struct round *)ctx->group + ctx->group_index / size;
	h->waker = ctx->group_index % size == 0;
	h->first = true;
	*state = h;
	return 0;
}

static uint64_t herd_burst(void *state, struct agent_work_ctx *ctx)
{
	struct herd *h = state;
	unsigned waiters = ctx->params->v[KTSTR_WP_WAITERS];

	if (h->waker) {
		unsigned iters = ctx->params->v[KTSTR_WP_SPIN_ITERS];

		if (round_wait_done(h->r, waiters, h->first, ctx))
			return 0;
		h->first = false;
		agent_work_spin_iters(iters);
		round_start(h->r);
		return iters;
	}
	if (!round_wait(h->r, &h->seen, ctx))
		return 0;
	agent_work_spin_iters(HERD_WAITER_SPIN);
	round_check_in(h->r, waiters);
	return 1;
}

const struct agent_work agent_work_thundering_herd = {
	.name = "ThunderingHerd",
	.prepare = round_prepare,
	.release = round_release,
	.init = herd_init,
	.burst = herd_burst,
	.checkpoint_units = 1,
};

/*
 * WakeChain{chain_len, spin_iters}: groups of chain_len in a ring.  One
 * token goes round: the member holding it spins spin_iters, stamps the
 * time and passes it on (bumps the next member's own futex word and wakes
 * just that member); the woken one records its wake latency.  Member 0
 * holds the token first.  Stresses a serial chain of wakeups, each one on
 * the critical path.  One unit per spin iteration.
 */
#define CHAIN_MAX 64               /* the schema's chain_len limit */

struct chain_slot {
	uint64_t stamp_ns;
	uint32_t tok[CHAIN_MAX];   /* member k sleeps on tok[k] */
};

struct chain {
	struct chain_slot *s;
	unsigned me, next;
	uint32_t seen;
	bool token;
};

static int chain_prepare(void **group, unsigned n, const struct ktstr_work_params *p)
{
	(void)p;
	return agent_shm_alloc(group, (size_t)n * sizeof(struct chain_slot));
}

static void chain_release(void *group, unsigned n)
{
	agent_shm_free(group, (size_t)n * sizeof(struct chain_slot));
}

static int chain_init(void **state, struct agent_work_ctx *ctx)
{
	unsigned size = ctx->params->v[KTSTR_WP_CHAIN_LEN];
	struct chain *c = calloc(1, sizeof(*c));

	if (!c || !ctx->group || size < 2 || size > CHAIN_MAX)
		return -1;
	c->s = (struct chain_slot *)ctx->group + ctx->group_index / size;
	c->me = ctx->group_index % size;
	c->next = (c->me + 1) % size;
	c->token = c->me == 0;
	*state = c;
	return 0;
}

static uint64_t chain_burst(void *state, struct agent_work_ctx *ctx)
{
	struct chain *c = state;
	unsigned iters = ctx->params->v[KTSTR_WP_SPIN_ITERS];

	if (!c->token) {
		uint32_t t = agent_futex_wait_change(&c->s->tok[c->me], c->seen, ctx);

		if (t == c->seen)
			return 0;  /* stopping */
		c->seen = t;
		agent_work_wake_sample(ctx, since(&c->s->stamp_ns));
	}
	c->token = false;
	agent_work_spin_iters(iters);
	stamp_now(&c->s->stamp_ns);
	__atomic_add_fetch(&c->s->tok[c->next], 1, __ATOMIC_RELEASE);
	agent_futex_wake(&c->s->tok[c->next], 1);
	return iters;
}

const struct agent_work agent_work_wake_chain = {
	.name = "WakeChain",
	.prepare = chain_prepare,
	.release = chain_release,
	.init = chain_init,
	.burst = chain_burst,
};
