/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every time limit of a run, derived from one formula (docs/timeouts.md):
 *
 *   boot budget   = (boot_base + boot_per_vcpu * vcpus) * factor
 *   run budget    = duration + teardown
 *   vm deadline   = boot budget + run budget + settle            (the hard deadline)
 *   harness       = vm deadline + dump margin                    (CTest TIMEOUT)
 *
 * `factor` = profile factor * accelerator factor (TCG is slower than KVM).
 * When the harness announces its own timeout (KTSTR_HARNESS_TIMEOUT or
 * --harness-timeout), the hard deadline is min(vm deadline, harness - dump
 * margin) so the executable always reports before the harness kills it.
 */
#ifndef KTSTR_TIMEOUTS_H
#define KTSTR_TIMEOUTS_H

#include <stdbool.h>

struct ktstr_profile {
	char name[32];
	double factor;             /* multiplies every budget */
	double tcg_factor;         /* extra multiplier under TCG */
	double boot_base_s;
	double boot_per_vcpu_s;
	double teardown_s;         /* worker stop + results + poweroff */
	double settle_s;
	double progress_timeout_s; /* no frame for this long after HELLO = stalled */
	double dump_margin_s;      /* time reserved to print the dump before the harness kills us */
};

/* Look up a built-in profile by name ("default", "ci"); -ENOENT if unknown. */
int ktstr_profile_get(const char *name, struct ktstr_profile *out);

struct ktstr_timeouts {
	double factor;             /* effective: profile x accelerator */
	double boot_budget_s;
	double progress_timeout_s;
	double run_budget_s;
	double vm_deadline_s;      /* hard deadline from VM start */
	double harness_timeout_s;  /* what CTest's TIMEOUT should be */
};

void ktstr_timeouts_compute(const struct ktstr_profile *p, bool tcg, unsigned vcpus,
			    double duration_s, struct ktstr_timeouts *out);

/* Clamp the hard deadline below a harness timeout announced at run time. */
void ktstr_timeouts_apply_harness(struct ktstr_timeouts *t, const struct ktstr_profile *p,
				  double harness_timeout_s);

#endif /* KTSTR_TIMEOUTS_H */
