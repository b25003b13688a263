// SPDX-License-Identifier: GPL-2.0-only
/*
 * Timeout profiles and the budget formula.  Boot numbers come from the lab
 * measurements on the 2-core CI machines: a TCG boot to userspace takes
 * 3-4.5 s at <= 4 vCPUs and 5-7 s at 8 on an idle host, and twice that when
 * two VMs share the host (ctest -j2).  The budgets leave room for that.
 */
#include <errno.h>
#include <string.h>

#include "ktstr/timeouts.h"

static const struct ktstr_profile profiles[] = {
	{
		.name = "default",
		.factor = 1.0, .tcg_factor = 2.0,
		.boot_base_s = 10.0, .boot_per_vcpu_s = 0.5,
		.teardown_s = 8.0, .settle_s = 2.0,
		.progress_timeout_s = 15.0, .dump_margin_s = 5.0,
	},
	{
		/* Busy shared CI runners: everything gets 1.5x more room. */
		.name = "ci",
		.factor = 1.5, .tcg_factor = 2.0,
		.boot_base_s = 10.0, .boot_per_vcpu_s = 0.5,
		.teardown_s = 8.0, .settle_s = 2.0,
		.progress_timeout_s = 15.0, .dump_margin_s = 5.0,
	},
};

int ktstr_profile_get(const char *name, struct ktstr_profile *out)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		if (!strcmp(profiles[i].name, name ? name : "default")) {
			*out = profiles[i];
			return 0;
		}
	}
	return -ENOENT;
}

void ktstr_timeouts_compute(const struct ktstr_profile *p, bool tcg, unsigned vcpus,
			    double duration_s, struct ktstr_timeouts *out)
{
	double f = p->factor * (tcg ? p->tcg_factor : 1.0);

	out->factor = f;
	out->boot_budget_s = (p->boot_base_s + p->boot_per_vcpu_s * vcpus) * f;
	out->progress_timeout_s = p->progress_timeout_s * f;
	out->run_budget_s = duration_s + p->teardown_s * f;
	out->vm_deadline_s = out->boot_budget_s + out->run_budget_s + p->settle_s * f;
	out->harness_timeout_s = out->vm_deadline_s + p->dump_margin_s;
}

void ktstr_timeouts_apply_harness(struct ktstr_timeouts *t, const struct ktstr_profile *p,
				  double harness_timeout_s)
{
	double limit;

	if (harness_timeout_s <= 0)
		return;
	limit = harness_timeout_s - p->dump_margin_s;
	if (limit < 1.0)
		limit = harness_timeout_s * 0.8;
	if (t->vm_deadline_s > limit)
		t->vm_deadline_s = limit;
	if (t->boot_budget_s > t->vm_deadline_s)
		t->boot_budget_s = t->vm_deadline_s;
	t->harness_timeout_s = harness_timeout_s;
}
