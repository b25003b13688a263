// SPDX-License-Identifier: GPL-2.0-only
/*
 * The catalogue of work types: names, the parameters each takes with their
 * defaults, and group sizes.  The loader validates against it, the guest
 * runs what it describes, and docs/workloads.md explains it; defaults follow
 * the Rust ktstr's so scenarios mean the same in both.
 */
#include <stdbool.h>
#include <strings.h>

#include "ktstr/scenario.h"

#define P(x) (1u << KTSTR_WP_##x)

/* a type's parameters are a bit mask in an unsigned */
_Static_assert(KTSTR_WP__COUNT <= 32, "too many work parameters for the mask");

static const struct {
	const char *name;
	unsigned params;           /* mask of enum ktstr_work_param */
	unsigned group;            /* workers per group; 1 = ungrouped, 0 = from a parameter */
} types[KTSTR_WORK__COUNT] = {
	[KTSTR_WORK_SPIN] = { "SpinWait", 0, 1 },
	[KTSTR_WORK_YIELD_HEAVY] = { "YieldHeavy", 0, 1 },
	[KTSTR_WORK_MIXED] = { "Mixed", 0, 1 },
	[KTSTR_WORK_BURSTY] = { "Bursty", P(BURST_MS) | P(SLEEP_MS), 1 },
	[KTSTR_WORK_IO_SYNC_WRITE] = { "IoSyncWrite", 0, 1 },
	[KTSTR_WORK_PIPE_IO] = { "PipeIo", P(BURST_ITERS), 2 },
	[KTSTR_WORK_FUTEX_PING_PONG] = { "FutexPingPong", P(SPIN_ITERS), 2 },
	[KTSTR_WORK_CACHE_PRESSURE] = { "CachePressure", P(SIZE_KB) | P(STRIDE), 1 },
	[KTSTR_WORK_FORK_EXIT] = { "ForkExit", 0, 1 },
	[KTSTR_WORK_CACHE_YIELD] = { "CacheYield", P(SIZE_KB) | P(STRIDE), 1 },
	[KTSTR_WORK_CACHE_PIPE] = { "CachePipe", P(SIZE_KB) | P(BURST_ITERS), 2 },
	[KTSTR_WORK_FUTEX_FAN_OUT] = { "FutexFanOut", P(FAN_OUT) | P(SPIN_ITERS), 0 },
	[KTSTR_WORK_MUTEX_CONTENTION] = { "MutexContention",
					  P(CONTENDERS) | P(HOLD_ITERS) | P(WORK_ITERS), 0 },
	[KTSTR_WORK_NICE_SWEEP] = { "NiceSweep", 0, 1 },
	[KTSTR_WORK_AFFINITY_CHURN] = { "AffinityChurn", P(SPIN_ITERS), 1 },
	[KTSTR_WORK_POLICY_CHURN] = { "PolicyChurn", P(SPIN_ITERS), 1 },
	[KTSTR_WORK_PAGE_FAULT_CHURN] = { "PageFaultChurn",
					  P(REGION_KB) | P(TOUCHES_PER_CYCLE) | P(SPIN_ITERS), 1 },
	[KTSTR_WORK_IO_RAND_READ] = { "IoRandRead", P(FILE_KB), 1 },
	[KTSTR_WORK_IO_CONVOY] = { "IoConvoy", 0, 1 },
	[KTSTR_WORK_FAN_OUT_COMPUTE] = { "FanOutCompute",
					 P(FAN_OUT) | P(CACHE_FOOTPRINT_KB) | P(OPERATIONS) |
					 P(SLEEP_USEC), 0 },
	[KTSTR_WORK_SEQUENCE] = { "Sequence", 0, 1 },   /* its `phases` are not in v[] */
	[KTSTR_WORK_WAKE_CHAIN] = { "WakeChain", P(CHAIN_LEN) | P(SPIN_ITERS), 0 },
	[KTSTR_WORK_THUNDERING_HERD] = { "ThunderingHerd", P(WAITERS) | P(SPIN_ITERS), 0 },
	[KTSTR_WORK_PRIORITY_INVERSION] = { "PriorityInversion", P(HOLD_ITERS) | P(PI), 3 },
	[KTSTR_WORK_RT_STARVATION] = { "RtStarvation",
				       P(RT_PRIORITY) | P(RT_BURST_MS) | P(RT_SLEEP_MS), 2 },
};

static const struct {
	const char *name;
	unsigned def;
} params[KTSTR_WP__COUNT] = {
	[KTSTR_WP_BURST_MS] = { "burst_ms", 50 },
	[KTSTR_WP_SLEEP_MS] = { "sleep_ms", 100 },
	[KTSTR_WP_BURST_ITERS] = { "burst_iters", 1024 },
	[KTSTR_WP_SPIN_ITERS] = { "spin_iters", 1024 },
	[KTSTR_WP_SIZE_KB] = { "size_kb", 32 },
	[KTSTR_WP_STRIDE] = { "stride", 64 },
	[KTSTR_WP_FAN_OUT] = { "fan_out", 4 },
	[KTSTR_WP_CONTENDERS] = { "contenders", 4 },
	[KTSTR_WP_HOLD_ITERS] = { "hold_iters", 256 },
	[KTSTR_WP_WORK_ITERS] = { "work_iters", 1024 },
	[KTSTR_WP_REGION_KB] = { "region_kb", 4096 },
	[KTSTR_WP_TOUCHES_PER_CYCLE] = { "touches_per_cycle", 256 },
	[KTSTR_WP_FILE_KB] = { "file_kb", 4096 },
	[KTSTR_WP_CACHE_FOOTPRINT_KB] = { "cache_footprint_kb", 256 },
	[KTSTR_WP_OPERATIONS] = { "operations", 5 },
	[KTSTR_WP_SLEEP_USEC] = { "sleep_usec", 100 },
	[KTSTR_WP_CHAIN_LEN] = { "chain_len", 4 },
	[KTSTR_WP_WAITERS] = { "waiters", 8 },
	[KTSTR_WP_PI] = { "pi", 0 },              /* false; 0 is also "not given" */
	[KTSTR_WP_RT_PRIORITY] = { "rt_priority", 50 },
	[KTSTR_WP_RT_BURST_MS] = { "rt_burst_ms", 80 },
	[KTSTR_WP_RT_SLEEP_MS] = { "rt_sleep_ms", 20 },
};

static const char *const phase_names[KTSTR_PHASE__COUNT] = {
	[KTSTR_PHASE_SPIN] = "spin",
	[KTSTR_PHASE_SLEEP] = "sleep",
	[KTSTR_PHASE_YIELD] = "yield",
	[KTSTR_PHASE_IO] = "io",
};

const char *ktstr_work_type_name(enum ktstr_work_type w)
{
	return (unsigned)w < KTSTR_WORK__COUNT ? types[w].name : "?";
}

bool ktstr_work_type_lookup(const char *name, enum ktstr_work_type *out)
{
	if (strcasecmp(name, "spin") == 0) {
		*out = KTSTR_WORK_SPIN;
		return true;
	}
	for (unsigned i = 0; i < KTSTR_WORK__COUNT; i++)
		if (strcasecmp(name, types[i].name) == 0) {
			*out = (enum ktstr_work_type)i;
			return true;
		}
	return false;
}

unsigned ktstr_work_group_size(enum ktstr_work_type w, const struct ktstr_work_params *p)
{
	struct ktstr_work_params d = p ? *p : (struct ktstr_work_params){ 0 };

	if ((unsigned)w >= KTSTR_WORK__COUNT)
		return 1;
	if (types[w].group)
		return types[w].group;
	ktstr_work_params_defaults(w, &d);
	switch (w) {
	case KTSTR_WORK_FUTEX_FAN_OUT:
	case KTSTR_WORK_FAN_OUT_COMPUTE:
		return d.v[KTSTR_WP_FAN_OUT] + 1;     /* the messenger and its receivers */
	case KTSTR_WORK_WAKE_CHAIN:
		return d.v[KTSTR_WP_CHAIN_LEN];       /* the ring */
	case KTSTR_WORK_THUNDERING_HERD:
		return d.v[KTSTR_WP_WAITERS] + 1;     /* the waker and its herd */
	default:
		return d.v[KTSTR_WP_CONTENDERS];      /* MutexContention */
	}
}

unsigned ktstr_work_param_mask(enum ktstr_work_type w)
{
	return (unsigned)w < KTSTR_WORK__COUNT ? types[w].params : 0;
}

const char *ktstr_work_param_name(enum ktstr_work_param p)
{
	return (unsigned)p < KTSTR_WP__COUNT ? params[p].name : "?";
}

/*
 * A parameter's default for a type: the common one, but PageFaultChurn spins
 * little and PriorityInversion holds its lock long enough for the high
 * worker to block on it.
 */
static unsigned param_default(enum ktstr_work_type w, unsigned i)
{
	if (w == KTSTR_WORK_PAGE_FAULT_CHURN && i == KTSTR_WP_SPIN_ITERS)
		return 64;
	if (w == KTSTR_WORK_PRIORITY_INVERSION && i == KTSTR_WP_HOLD_ITERS)
		return 16384;
	return params[i].def;
}

void ktstr_work_params_defaults(enum ktstr_work_type w, struct ktstr_work_params *p)
{
	unsigned mask = ktstr_work_param_mask(w);

	for (unsigned i = 0; i < KTSTR_WP__COUNT; i++)
		if (mask & (1u << i) && !p->v[i])
			p->v[i] = param_default(w, i);
}

bool ktstr_work_takes_phases(enum ktstr_work_type w)
{
	return w == KTSTR_WORK_SEQUENCE;
}

const char *ktstr_phase_kind_name(enum ktstr_phase_kind k)
{
	return (unsigned)k < KTSTR_PHASE__COUNT ? phase_names[k] : "?";
}

bool ktstr_phase_kind_lookup(const char *name, enum ktstr_phase_kind *out)
{
	for (unsigned i = 0; i < KTSTR_PHASE__COUNT; i++)
		if (strcasecmp(name, phase_names[i]) == 0) {
			*out = (enum ktstr_phase_kind)i;
			return true;
		}
	return false;
}
