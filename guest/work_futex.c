// SPDX-License-Identifier: GPL-2.0-only
/*
 * Futex family; every word lives in a MAP_SHARED mapping made before the
 * fork (process-shared futexes: no FUTEX_PRIVATE_FLAG), and every wait has
 * a short timeout so a worker still sees the stop flag when nobody will
 * wake it again.
 *
 * FutexPingPong{spin_iters}: pairs of workers take turns on one shared
 * futex word: wait for your turn, spin spin_iters, hand the turn over and
 * FUTEX_WAKE the partner.  Stresses the futex wake path and cross-CPU
 * wakeups.  The words live in a MAP_SHARED mapping made before the fork
 * (a process-shared futex: no FUTEX_PRIVATE_FLAG).  FUTEX_WAIT has a short
 * timeout so a worker whose partner already stopped still sees the stop.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "work_parts.h"

/*
 * One of these per group; at most one group per worker.  wake_ns is when
 * the waker last woke (or released) the group, CLOCK_MONOTONIC, stored
 * just before it did: a woken worker's wake-up latency is its own clock
 * minus that.  FutexFanOut keeps one stamp per generation parity (below);
 * the others use wake_ns[0].
 */
struct futex_group {
	uint32_t word;
	uint32_t pad;
	uint64_t wake_ns[2];
};

static size_t futex_len(unsigned n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return ((size_t)(n + 1) * sizeof(struct futex_group) + page - 1) / page * page;
}

static struct futex_group *futex_group(const struct agent_work_ctx *ctx, unsigned size)
{
	return (struct futex_group *)ctx->group + ctx->group_index / size;
}

/* A latency from a timestamp the waker stored; 0 stays out (no wake seen). */
static void wake_sample_since(struct agent_work_ctx *ctx, uint64_t wake_ns)
{
	uint64_t now = agent_mono_ns();

	if (wake_ns && now >= wake_ns)
		agent_work_wake_sample(ctx, now - wake_ns);
}

void agent_futex_wait(uint32_t *word, uint32_t val, unsigned timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };

	/* sleeps only while *word == val; EAGAIN/ETIMEDOUT/EINTR all mean "look again" */
	syscall(SYS_futex, word, FUTEX_WAIT, val, &ts, NULL, 0);
}

void agent_futex_wake(uint32_t *word, int n)
{
	syscall(SYS_futex, word, FUTEX_WAKE, n, NULL, NULL, 0);
}

int agent_shm_alloc(void **group, size_t len)
{
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return -errno;
	*group = m;
	return 0;
}

void agent_shm_free(void *group, size_t len)
{
	if (group)
		munmap(group, len);
}

uint32_t agent_futex_wait_change(uint32_t *word, uint32_t val, struct agent_work_ctx *ctx)
{
	uint64_t t0 = agent_mono_ns();
	uint32_t now;

	while ((now = __atomic_load_n(word, __ATOMIC_ACQUIRE)) == val && !agent_work_stopping(ctx))
		agent_futex_wait(word, val, AGENT_WORK_WAIT_SLICE_MS);
	ctx->blocked_ns += agent_mono_ns() - t0;
	return now;
}

static int futex_prepare(void **group, unsigned n, const struct ktstr_work_params *p)
{
	(void)p;
	/* zero-filled: worker 2p has the first turn of pair p */
	return agent_shm_alloc(group, futex_len(n));
}

static void futex_release(void *group, unsigned n)
{
	agent_shm_free(group, futex_len(n));
}

static uint64_t futex_burst(void *state, struct agent_work_ctx *ctx)
{
	struct futex_group *g = futex_group(ctx, 2);
	uint32_t *word = &g->word;
	uint32_t me = ctx->group_index & 1, other = me ^ 1;
	unsigned iters = ctx->params->v[KTSTR_WP_SPIN_ITERS];
	uint64_t t0 = agent_mono_ns();
	bool waited = false;

	(void)state;
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) != me) {
		if (agent_work_stopping(ctx)) {
			ctx->blocked_ns += agent_mono_ns() - t0;
			return 0;
		}
		/* sleeps only while the word still says "partner's turn" */
		agent_futex_wait(word, other, AGENT_WORK_WAIT_SLICE_MS);
		waited = true;
	}
	ctx->blocked_ns += agent_mono_ns() - t0;
	/*
	 * The partner stored wake_ns before handing the turn over (release),
	 * and cannot store again until we hand it back: the load is exact.
	 * A turn that was ours before we looked involved no wake-up.
	 */
	if (waited)
		wake_sample_since(ctx, __atomic_load_n(&g->wake_ns[0], __ATOMIC_RELAXED));
	agent_work_spin_iters(iters);
	__atomic_store_n(&g->wake_ns[0], agent_mono_ns(), __ATOMIC_RELAXED);
	__atomic_store_n(word, other, __ATOMIC_RELEASE);
	agent_futex_wake(word, 1);
	return iters;
}

/*
 * FutexFanOut{fan_out, spin_iters}: groups of fan_out + 1; member 0 (the
 * messenger) spins spin_iters, bumps the group's generation word and wakes
 * every receiver; receivers wait for the generation to move.  Stresses
 * one-to-many wakeups and where the woken land.  Units: the messenger's
 * spin iterations, one per wakeup for a receiver; a checkpoint every burst.
 */
struct fan_out {
	struct futex_group *g;
	uint32_t *word;
	uint32_t seen;             /* receivers: last generation seen */
	int messenger;
};

static int fan_out_init(void **state, struct agent_work_ctx *ctx)
{
	unsigned size = ctx->params->v[KTSTR_WP_FAN_OUT] + 1;
	struct fan_out *f = malloc(sizeof(*f));

	if (!f || !ctx->group)
		return -1;
	f->g = futex_group(ctx, size);
	f->word = &f->g->word;
	f->messenger = ctx->group_index % size == 0;
	f->seen = __atomic_load_n(f->word, __ATOMIC_ACQUIRE);
	*state = f;
	return 0;
}

static uint64_t fan_out_burst(void *state, struct agent_work_ctx *ctx)
{
	struct fan_out *f = state;
	uint64_t t0, wake_ns;
	uint32_t now;
	bool waited = false;

	if (f->messenger) {
		unsigned iters = ctx->params->v[KTSTR_WP_SPIN_ITERS];

		agent_work_spin_iters(iters);
		/*
		 * The stamp of generation n + 1 goes to slot (n + 1) & 1, with
		 * release: whoever sees it also sees generation n published.
		 */
		__atomic_store_n(&f->g->wake_ns[(f->seen + 1) & 1], agent_mono_ns(),
				 __ATOMIC_RELEASE);
		f->seen = __atomic_add_fetch(f->word, 1, __ATOMIC_RELEASE);
		agent_futex_wake(f->word, INT_MAX);
		return iters;
	}
	t0 = agent_mono_ns();
	while ((now = __atomic_load_n(f->word, __ATOMIC_ACQUIRE)) == f->seen &&
	       !agent_work_stopping(ctx)) {
		agent_futex_wait(f->word, f->seen, AGENT_WORK_WAIT_SLICE_MS);
		waited = true;
	}
	ctx->blocked_ns += agent_mono_ns() - t0;
	if (now == f->seen)
		return 0;          /* stopping */
	/*
	 * Generation `now`'s stamp is in slot now & 1.  The messenger reuses
	 * that slot only for generation now + 2, after publishing now + 1; if
	 * the word still reads `now` after the stamp was read, the stamp is
	 * this wake's (a seqlock's check), otherwise the sample is dropped.
	 */
	wake_ns = __atomic_load_n(&f->g->wake_ns[now & 1], __ATOMIC_ACQUIRE);
	if (waited && __atomic_load_n(f->word, __ATOMIC_ACQUIRE) == now)
		wake_sample_since(ctx, wake_ns);
	f->seen = now;
	return 1;
}

/*
 * MutexContention{contenders, hold_iters, work_iters}: groups of
 * `contenders` share one futex lock (the three-state mutex of Drepper's
 * "Futexes Are Tricky": 0 free, 1 locked, 2 locked with waiters).  Each
 * worker spins work_iters, takes the lock, spins hold_iters, releases it.
 * Stresses lock-holder preemption and wakeup of the next waiter.  One unit
 * per spin iteration in either phase; time waiting for the lock is blocked.
 */
/*
 * A waiter that slept and then took the lock records the time from the
 * release that let it in (the unlocker stamps wake_ns before releasing) to
 * its acquisition: the hand-over latency of a contended lock.  Its acquire
 * pairs with that release, and nobody can release again before it does, so
 * the stamp it reads is the one of that release.
 */
static int mutex_lock(struct futex_group *g, struct agent_work_ctx *ctx)
{
	uint32_t *lock = &g->word;
	uint32_t c = 0;
	uint64_t t0;

	if (__atomic_compare_exchange_n(lock, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	t0 = agent_mono_ns();
	if (c != 2)
		c = __atomic_exchange_n(lock, 2, __ATOMIC_ACQUIRE);
	if (c == 0) {
		ctx->blocked_ns += agent_mono_ns() - t0;
		return 0;          /* freed before we slept: no wake-up */
	}
	while (c != 0) {
		if (agent_work_stopping(ctx)) {
			ctx->blocked_ns += agent_mono_ns() - t0;
			return -1;
		}
		agent_futex_wait(lock, 2, AGENT_WORK_WAIT_SLICE_MS);
		c = __atomic_exchange_n(lock, 2, __ATOMIC_ACQUIRE);
	}
	ctx->blocked_ns += agent_mono_ns() - t0;
	wake_sample_since(ctx, __atomic_load_n(&g->wake_ns[0], __ATOMIC_RELAXED));
	return 0;
}

static void mutex_unlock(struct futex_group *g)
{
	__atomic_store_n(&g->wake_ns[0], agent_mono_ns(), __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&g->word, 0, __ATOMIC_RELEASE) == 2)
		agent_futex_wake(&g->word, 1);
}

static uint64_t mutex_burst(void *state, struct agent_work_ctx *ctx)
{
	unsigned size = ctx->params->v[KTSTR_WP_CONTENDERS];
	unsigned work = ctx->params->v[KTSTR_WP_WORK_ITERS];
	unsigned hold = ctx->params->v[KTSTR_WP_HOLD_ITERS];
	struct futex_group *g = futex_group(ctx, size);

	(void)state;
	agent_work_spin_iters(work);
	if (mutex_lock(g, ctx))
		return work;
	agent_work_spin_iters(hold);
	mutex_unlock(g);
	return (uint64_t)work + hold;
}

const struct agent_work agent_work_futex_ping_pong = {
	.name = "FutexPingPong",
	.prepare = futex_prepare,
	.release = futex_release,
	.burst = futex_burst,
};

const struct agent_work agent_work_futex_fan_out = {
	.name = "FutexFanOut",
	.prepare = futex_prepare,
	.release = futex_release,
	.init = fan_out_init,
	.burst = fan_out_burst,
	.checkpoint_units = 1,
};

const struct agent_work agent_work_mutex_contention = {
	.name = "MutexContention",
	.prepare = futex_prepare,
	.release = futex_release,
	.burst = mutex_burst,
};
