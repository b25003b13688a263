// SPDX-License-Identifier: GPL-2.0-only
/* The table of work types, indexed by the model's enum. */
#include <stddef.h>

#include "work.h"

static const struct agent_work *const agent_works[KTSTR_WORK__COUNT] = {
	[KTSTR_WORK_SPIN] = &agent_work_spin,
	[KTSTR_WORK_YIELD_HEAVY] = &agent_work_yield_heavy,
	[KTSTR_WORK_MIXED] = &agent_work_mixed,
	[KTSTR_WORK_BURSTY] = &agent_work_bursty,
	[KTSTR_WORK_IO_SYNC_WRITE] = &agent_work_io_sync_write,
	[KTSTR_WORK_PIPE_IO] = &agent_work_pipe_io,
	[KTSTR_WORK_FUTEX_PING_PONG] = &agent_work_futex_ping_pong,
	[KTSTR_WORK_CACHE_PRESSURE] = &agent_work_cache_pressure,
	[KTSTR_WORK_FORK_EXIT] = &agent_work_fork_exit,
	[KTSTR_WORK_CACHE_YIELD] = &agent_work_cache_yield,
	[KTSTR_WORK_CACHE_PIPE] = &agent_work_cache_pipe,
	[KTSTR_WORK_FUTEX_FAN_OUT] = &agent_work_futex_fan_out,
	[KTSTR_WORK_MUTEX_CONTENTION] = &agent_work_mutex_contention,
	[KTSTR_WORK_NICE_SWEEP] = &agent_work_nice_sweep,
	[KTSTR_WORK_AFFINITY_CHURN] = &agent_work_affinity_churn,
	[KTSTR_WORK_POLICY_CHURN] = &agent_work_policy_churn,
	[KTSTR_WORK_PAGE_FAULT_CHURN] = &agent_work_page_fault_churn,
	[KTSTR_WORK_IO_RAND_READ] = &agent_work_io_rand_read,
	[KTSTR_WORK_IO_CONVOY] = &agent_work_io_convoy,
	[KTSTR_WORK_FAN_OUT_COMPUTE] = &agent_work_fan_out_compute,
	[KTSTR_WORK_SEQUENCE] = &agent_work_sequence,
	[KTSTR_WORK_WAKE_CHAIN] = &agent_work_wake_chain,
	[KTSTR_WORK_THUNDERING_HERD] = &agent_work_thundering_herd,
	[KTSTR_WORK_PRIORITY_INVERSION] = &agent_work_priority_inversion,
	[KTSTR_WORK_RT_STARVATION] = &agent_work_rt_starvation,
};

const struct agent_work *agent_work_get(enum ktstr_work_type type)
{
	if ((unsigned)type >= KTSTR_WORK__COUNT)
		return NULL;
	return agent_works[type];
}
