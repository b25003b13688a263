// SPDX-License-Identifier: GPL-2.0-only
/* run/wait/kill_payload ops. */
#include <errno.h>

#include "agent.h"

int agent_payload_op(struct agent *a, const struct ktstr_op *op, unsigned step,
		     struct ktstr_err *err)
{
	(void)a;
	(void)step;
	return ktstr_err_set(err, -ENOTSUP, "payload '%s': %s is not implemented by this agent",
			     op->payload, ktstr_op_kind_name(op->kind));
}

void agent_payloads_end(struct agent *a)
{
	(void)a;
}
