// SPDX-License-Identifier: GPL-2.0-only
/* attach/detach/restart/replace_scheduler ops. */
#include <errno.h>

#include "agent.h"

int agent_sched_op(struct agent *a, const struct ktstr_op *op, unsigned step,
		   struct ktstr_err *err)
{
	(void)a;
	(void)step;
	return ktstr_err_set(err, -ENOTSUP, "%s is not implemented by this agent",
			     ktstr_op_kind_name(op->kind));
}
