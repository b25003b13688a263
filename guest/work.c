// SPDX-License-Identifier: GPL-2.0-only
/* The table of work types, indexed by the model's enum. */
#include <stddef.h>

#include "work.h"

static const struct agent_work *const agent_works[KTSTR_WORK__COUNT] = {
	[KTSTR_WORK_SPIN] = &agent_work_spin,
};

const struct agent_work *agent_work_get(enum ktstr_work_type type)
{
	if ((unsigned)type >= KTSTR_WORK__COUNT)
		return NULL;
	return agent_works[type];
}
