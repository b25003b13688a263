// SPDX-License-Identifier: GPL-2.0-only
/*
 * Churn family: a worker that keeps changing its own scheduling attributes
 * between short spins, so the scheduler keeps re-weighting, re-placing or
 * re-classing it.  NiceSweep steps its nice value through -20..19;
 * AffinityChurn{spin_iters} pins itself to a random CPU of the set it
 * started with; PolicyChurn{spin_iters} cycles SCHED_OTHER -> BATCH -> IDLE
 * (-> FIFO -> RR at priority 1).  Changes the worker may not make (negative
 * nice, leaving SCHED_IDLE, real-time policies without CAP_SYS_NICE, as in
 * host unit tests) are skipped, decided once at init.  Each burst ends with
 * a sched_yield(); one unit per spin iteration.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "work.h"

#define NICE_SPIN 512u

struct nice_sweep {
	int nice, lowest;
};

static int nice_init(void **state, struct agent_work_ctx *ctx)
{
	struct nice_sweep *n = malloc(sizeof(*n));

	(void)ctx;
	if (!n)
		return -1;
	/* raising priority needs CAP_SYS_NICE (or RLIMIT_NICE): find out once */
	n->lowest = setpriority(PRIO_PROCESS, 0, -20) == 0 ? -20 : 0;
	n->nice = n->lowest;
	*state = n;
	return 0;
}

static uint64_t nice_burst(void *state, struct agent_work_ctx *ctx)
{
	struct nice_sweep *n = state;

	(void)ctx;
	agent_work_spin_iters(NICE_SPIN);
	setpriority(PRIO_PROCESS, 0, n->nice);
	n->nice = n->nice >= 19 ? n->lowest : n->nice + 1;
	sched_yield();
	return NICE_SPIN;
}

struct affinity_churn {
	int cpus[CPU_SETSIZE];
	int n;
	uint64_t rng;
};

static void affinity_refresh(struct affinity_churn *a)
{
	cpu_set_t set;

	a->n = 0;
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			a->cpus[a->n++] = c;
}

static int affinity_init(void **state, struct agent_work_ctx *ctx)
{
	struct affinity_churn *a = malloc(sizeof(*a));

	if (!a)
		return -1;
	affinity_refresh(a);
	a->rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)ctx->index + 1) * 0xbf58476d1ce4e5b9ull;
	*state = a;
	return 0;
}

static uint64_t affinity_burst(void *state, struct agent_work_ctx *ctx)
{
	struct affinity_churn *a = state;
	unsigned iters = ctx->params->v[KTSTR_WP_SPIN_ITERS];
	cpu_set_t set;

	agent_work_spin_iters(iters);
	if (a->n > 0) {
		a->rng ^= a->rng << 13;
		a->rng ^= a->rng >> 7;
		a->rng ^= a->rng << 17;
		CPU_ZERO(&set);
		CPU_SET(a->cpus[a->rng % (uint64_t)a->n], &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			/*
			 * The cgroup's cpuset changed under us (a step): take
			 * every CPU (the kernel keeps the cpuset's) and relearn.
			 */
			for (int c = 0; c < CPU_SETSIZE; c++)
				CPU_SET(c, &set);
			sched_setaffinity(0, sizeof(set), &set);
			affinity_refresh(a);
		}
	}
	sched_yield();
	return iters;
}

struct policy_churn {
	unsigned next, n;
	int policies[5];
};

static int policy_init(void **state, struct agent_work_ctx *ctx)
{
	struct policy_churn *p = malloc(sizeof(*p));
	struct sched_param rt = { .sched_priority = 1 }, other = { 0 };

	(void)ctx;
	if (!p)
		return -1;
	p->next = 0;
	p->n = 0;
	p->policies[p->n++] = SCHED_OTHER;
	p->policies[p->n++] = SCHED_BATCH;
	/* without the privilege for FIFO, leaving SCHED_IDLE is refused too */
	if (sched_setscheduler(0, SCHED_FIFO, &rt) == 0) {
		sched_setscheduler(0, SCHED_OTHER, &other);
		p->policies[p->n++] = SCHED_IDLE;
		p->policies[p->n++] = SCHED_FIFO;
		p->policies[p->n++] = SCHED_RR;
	}
	*state = p;
	return 0;
}

static uint64_t policy_burst(void *state, struct agent_work_ctx *ctx)
{
	struct policy_churn *p = state;
	unsigned iters = ctx->params->v[KTSTR_WP_SPIN_ITERS];
	int pol = p->policies[p->next];
	struct sched_param sp = { .sched_priority = pol == SCHED_FIFO || pol == SCHED_RR };

	agent_work_spin_iters(iters);
	sched_setscheduler(0, pol, &sp);
	p->next = (p->next + 1) % p->n;
	sched_yield();
	return iters;
}

const struct agent_work agent_work_nice_sweep = {
	.name = "NiceSweep",
	.init = nice_init,
	.burst = nice_burst,
};

const struct agent_work agent_work_affinity_churn = {
	.name = "AffinityChurn",
	.init = affinity_init,
	.burst = affinity_burst,
};

const struct agent_work agent_work_policy_churn = {
	.name = "PolicyChurn",
	.init = policy_init,
	.burst = policy_burst,
};
