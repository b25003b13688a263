/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Start every work group of a hand-built scenario as one batch, the way the
 * agent starts the backdrop (tests fill groups[0] and may leave n_groups 0).
 */
#ifndef TEST_GUEST_SPAWN_H
#define TEST_GUEST_SPAWN_H

#include "workers.h"

static inline int test_spawn_all(struct agent_workers *ws, struct ktstr_scenario *s,
				 struct ktstr_err *err)
{
	int ret = agent_workers_init(ws, err);

	for (unsigned i = 0; !ret && i < s->n_cgroups; i++) {
		struct ktstr_cgroup_def *cg = &s->cgroups[i];

		if (!cg->n_groups)
			cg->n_groups = 1;
		for (unsigned g = 0; !ret && g < cg->n_groups; g++)
			ret = agent_workers_spawn_group(ws, cg->name, &cg->groups[g], g, -1, err);
	}
	return ret;
}

#endif /* TEST_GUEST_SPAWN_H */
