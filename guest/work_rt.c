// SPDX-License-Identifier: GPL-2.0-only
/*
 * Priority family: groups whose members run at different priorities on
 * purpose, to see whether the scheduler lets the low one starve the high
 * one (PriorityInversion) or the real-time one starve the normal one
 * (RtStarvation).  Priorities are set in init, in the worker itself; the
 * guest agent is root, so raising them is allowed there.
 */
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "work_parts.h"

/*
 * PriorityInversion{hold_iters, pi}: groups of 3.  Member 0, the holder,
 * runs at nice 19; member 1, the waiter, at nice -20 (when permitted);
 * member 2 spins at nice 0 (the medium task that can keep the holder off
 * the CPU).  A round: the holder takes the lock and announces it, the
 * waiter blocks on the lock, the holder spins hold_iters (and on until the
 * lock shows the waiter queued, so every round inverts), stamps the time
 * and unlocks; the waiter gets the lock, records the wait from the unlock
 * as its wake latency, unlocks and acknowledges, and the holder starts the
 * next round.  `pi: true` uses FUTEX_LOCK_PI / FUTEX_UNLOCK_PI (the kernel
 * hands the lock to the waiter and boosts the holder where its rules allow),
 * `pi: false` the three-state futex mutex.  Units: one per lock acquisition
 * for the holder and the waiter, one per spin iteration for the medium
 * worker; a checkpoint every burst.  All waits are blocked time.
 */
#define PI_MEDIUM_SPIN 1024u
#define PI_HOLD_CHUNK 256u         /* the holder's spin while it waits for a waiter */

struct pi_slot {
	uint32_t lock;             /* plain: 0 free, 1 locked, 2 contended; pi: owner TID | bits */
	uint32_t held;             /* the round the holder holds the lock for */
	uint32_t acked;            /* the round the waiter finished */
	uint32_t pad;
	uint64_t released_ns;      /* the holder's stamp just before it unlocked */
	char pad2[40];
};

enum pi_role { PI_HOLDER = 0, PI_WAITER, PI_MEDIUM };

struct pi_state {
	struct pi_slot *s;
	enum pi_role role;
	int use_pi;
	uint32_t tid;
	uint32_t round;            /* holder: rounds started; waiter: last round seen */
};

static int pi_prepare(void **group, unsigned n, const struct ktstr_work_params *p)
{
	(void)p;
	return agent_shm_alloc(group, (size_t)n * sizeof(struct pi_slot));
}

static void pi_release(void *group, unsigned n)
{
	agent_shm_free(group, (size_t)n * sizeof(struct pi_slot));
}

static int pi_init(void **state, struct agent_work_ctx *ctx)
{
	struct pi_state *st = calloc(1, sizeof(*st));

	if (!st || !ctx->group)
		return -1;
	st->s = (struct pi_slot *)ctx->group + ctx->group_index / 3;
	st->role = (enum pi_role)(ctx->group_index % 3);
	st->use_pi = ctx->params->v[KTSTR_WP_PI] != 0;
	st->tid = (uint32_t)syscall(SYS_gettid);
	if (st->role == PI_HOLDER)
		setpriority(PRIO_PROCESS, 0, 19);
	else if (st->role == PI_WAITER)
		setpriority(PRIO_PROCESS, 0, -20);  /* stays at 0 without CAP_SYS_NICE */
	*state = st;
	return 0;
}

/* The lock's waiter bit: FUTEX_WAITERS for a PI futex, state 2 for the plain mutex. */
static bool pi_has_waiter(const struct pi_state *st)
{
	uint32_t v = __atomic_load_n(&st->s->lock, __ATOMIC_RELAXED);

	return st->use_pi ? (v & FUTEX_WAITERS) != 0 : v == 2;
}

/* Take the lock, stop-aware; 0 or -1 when stopping. */
static int pi_lock(struct pi_state *st, struct agent_work_ctx *ctx)
{
	uint32_t *w = &st->s->lock, c = 0;
	uint64_t t0;
	int ret = 0;

	if (__atomic_compare_exchange_n(w, &c, st->use_pi ? st->tid : 1, 0, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED))
		return 0;
	t0 = agent_mono_ns();
	if (st->use_pi) {
		for (;;) {
			struct timespec ts;

			/* FUTEX_LOCK_PI's timeout is absolute, on CLOCK_REALTIME */
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += AGENT_WORK_WAIT_SLICE_MS * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			if (!syscall(SYS_futex, w, FUTEX_LOCK_PI, 0, &ts, NULL, 0))
				break;
			if (errno != ETIMEDOUT && errno != EINTR && errno != EAGAIN)
				_exit(3);  /* shows as crashed: no PI futexes in this kernel */
			if (agent_work_stopping(ctx)) {
				ret = -1;
				break;
			}
		}
	} else {
		if (c != 2)
			c = __atomic_exchange_n(w, 2, __ATOMIC_ACQUIRE);
		while (c != 0) {
			if (agent_work_stopping(ctx)) {
				ret = -1;
				break;
			}
			agent_futex_wait(w, 2, AGENT_WORK_WAIT_SLICE_MS);
			c = __atomic_exchange_n(w, 2, __ATOMIC_ACQUIRE);
		}
	}
	ctx->blocked_ns += agent_mono_ns() - t0;
	return ret;
}

static void pi_unlock(struct pi_state *st)
{
	uint32_t *w = &st->s->lock, c = st->tid;

	if (st->use_pi) {
		/* with FUTEX_WAITERS set the kernel hands the lock to the top waiter */
		if (!__atomic_compare_exchange_n(w, &c, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			syscall(SYS_futex, w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
		return;
	}
	if (__atomic_exchange_n(w, 0, __ATOMIC_RELEASE) == 2)
		agent_futex_wake(w, 1);
}

static uint64_t pi_holder(struct pi_state *st, struct agent_work_ctx *ctx)
{
	uint32_t round = st->round + 1, acked;

	if (pi_lock(st, ctx))
		return 0;
	st->round = round;
	__atomic_store_n(&st->s->held, round, __ATOMIC_RELEASE);
	agent_futex_wake(&st->s->held, 1);
	agent_work_spin_iters(ctx->params->v[KTSTR_WP_HOLD_ITERS]);
	while (!pi_has_waiter(st) && !agent_work_stopping(ctx))
		agent_work_spin_iters(PI_HOLD_CHUNK);
	__atomic_store_n(&st->s->released_ns, agent_mono_ns(), __ATOMIC_RELAXED);
	pi_unlock(st);
	/* the next round starts once the waiter had its turn */
	while ((acked = __atomic_load_n(&st->s->acked, __ATOMIC_ACQUIRE)) != round &&
	       !agent_work_stopping(ctx))
		agent_futex_wait_change(&st->s->acked, acked, ctx);
	return 1;
}

static uint64_t pi_waiter(struct pi_state *st, struct agent_work_ctx *ctx)
{
	uint32_t round = agent_futex_wait_change(&st->s->held, st->round, ctx);
	uint64_t t0, released;

	if (round == st->round)
		return 0;          /* stopping */
	st->round = round;
	t0 = agent_mono_ns();
	if (pi_lock(st, ctx))
		return 0;
	released = __atomic_load_n(&st->s->released_ns, __ATOMIC_RELAXED);
	/* a wake-up only when the holder let go after this worker started waiting */
	if (released >= t0)
		agent_work_wake_sample(ctx, agent_mono_ns() - released);
	pi_unlock(st);
	__atomic_store_n(&st->s->acked, round, __ATOMIC_RELEASE);
	agent_futex_wake(&st->s->acked, 1);
	return 1;
}

static uint64_t pi_burst(void *state, struct agent_work_ctx *ctx)
{
	struct pi_state *st = state;

	switch (st->role) {
	case PI_HOLDER:
		return pi_holder(st, ctx);
	case PI_WAITER:
		return pi_waiter(st, ctx);
	case PI_MEDIUM:
		break;
	}
	agent_work_spin_iters(PI_MEDIUM_SPIN);
	return PI_MEDIUM_SPIN;
}

const struct agent_work agent_work_priority_inversion = {
	.name = "PriorityInversion",
	.prepare = pi_prepare,
	.release = pi_release,
	.init = pi_init,
	.burst = pi_burst,
	.checkpoint_units = 1,
};

/*
 * RtStarvation{rt_priority, rt_burst_ms, rt_sleep_ms}: pairs.  Member 0
 * switches itself to SCHED_FIFO at rt_priority, then spins rt_burst_ms
 * (in 1024-iteration bursts) and sleeps rt_sleep_ms, repeat: a real-time
 * hog whose duty cycle (80% by default) stays below the kernel's RT
 * throttling (95%).  Member 1 is a plain SpinWait that must keep making
 * progress beside it.  One unit per spin iteration; the sleeps are blocked
 * time.  Without the right to SCHED_FIFO the real-time member fails its
 * init (crashed, exit code 2) and says why on stderr (the guest console).
 */
#define RT_SPIN 1024u

struct rt_state {
	int rt;
	uint64_t phase_end_ns;     /* the RT member: end of the current spin phase */
};

static int rt_init(void **state, struct agent_work_ctx *ctx)
{
	struct rt_state *st = calloc(1, sizeof(*st));
	unsigned prio = ctx->params->v[KTSTR_WP_RT_PRIORITY];

	if (!st)
		return -ENOMEM;
	st->rt = ctx->group_index % 2 == 0;
	if (st->rt) {
		struct sched_param sp = { .sched_priority = (int)prio };

		if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
			int ret = -errno;

			fprintf(stderr, "ktstr-agent: RtStarvation worker %u: SCHED_FIFO priority %u "
				"refused: %s (it needs CAP_SYS_NICE or an RLIMIT_RTPRIO of %u)\n",
				ctx->index, prio, strerror(-ret), prio);
			free(st);
			return ret;
		}
		st->phase_end_ns = agent_mono_ns() +
				   (uint64_t)ctx->params->v[KTSTR_WP_RT_BURST_MS] * 1000000ull;
	}
	*state = st;
	return 0;
}

static uint64_t rt_burst(void *state, struct agent_work_ctx *ctx)
{
	struct rt_state *st = state;

	if (!st->rt || agent_mono_ns() < st->phase_end_ns) {
		agent_work_spin_iters(RT_SPIN);
		return RT_SPIN;
	}
	ctx->blocked_ns += agent_work_sleep_ns(
		(uint64_t)ctx->params->v[KTSTR_WP_RT_SLEEP_MS] * 1000000ull, ctx);
	st->phase_end_ns = agent_mono_ns() +
			   (uint64_t)ctx->params->v[KTSTR_WP_RT_BURST_MS] * 1000000ull;
	return 0;
}

const struct agent_work agent_work_rt_starvation = {
	.name = "RtStarvation",
	.init = rt_init,
	.burst = rt_burst,
};
