/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checks evaluated on the host from raw telemetry.  Thresholds merge in
 * three layers, last set wins: built-in defaults -> scheduler -> scenario.
 */
#ifndef KTSTR_CHECKS_H
#define KTSTR_CHECKS_H

#include <stdbool.h>
#include <stdio.h>

#include "ktstr/results.h"
#include "ktstr/scenario.h"

/* Built-in defaults (docs/checks.md explains them). */
#define KTSTR_DEFAULT_MAX_GAP_MS       2000
#define KTSTR_DEFAULT_MAX_SPREAD_PCT   15.0

enum ktstr_check_id {
	KTSTR_CHECK_STARVATION = 0,
	KTSTR_CHECK_MAX_GAP,
	KTSTR_CHECK_SPREAD,
	KTSTR_CHECK__COUNT,
};

const char *ktstr_check_name(enum ktstr_check_id id);

/*
 * The thresholds in force for a run.  `timing_factor` (>= 1) scales the
 * time-based defaults for emulation (TCG) and the timeout profile; it never
 * scales a value the scenario set explicitly.
 */
struct ktstr_thresholds {
	bool starvation;
	double max_gap_ms;
	double max_spread_pct;
	bool gap_from_default;     /* true when max_gap_ms is a scaled default */
	bool spread_from_default;
};

/* Merge layers (any may be NULL) into effective thresholds. */
void ktstr_checks_merge(struct ktstr_thresholds *out, double timing_factor,
			const struct ktstr_checks *scheduler_layer,
			const struct ktstr_checks *scenario_layer);

#define KTSTR_CHECK_MAX_DETAILS 16

struct ktstr_check_outcome {
	enum ktstr_check_id id;
	bool enabled;              /* false: reported as SKIP with `summary` as reason */
	bool passed;
	char summary[256];         /* one line for the TAP description */
	char details[KTSTR_CHECK_MAX_DETAILS][256];  /* e.g. "tid 123 stuck 4500ms on cpu2 at +3200ms (threshold 3000ms)" */
	unsigned n_details;
	unsigned n_details_dropped;
};

/* Evaluate every check; out has KTSTR_CHECK__COUNT entries, in enum order. */
void ktstr_checks_eval(const struct ktstr_scenario *s, const struct ktstr_thresholds *th,
		       const struct ktstr_run_result *r,
		       struct ktstr_check_outcome out[KTSTR_CHECK__COUNT]);

/*
 * Per-worker off-CPU percentage, (wall - cpu) / wall * 100; 0 when wall is 0.
 * The spread check compares these within a cgroup.
 */
double ktstr_worker_offcpu_pct(const struct ktstr_worker_result *w);

#endif /* KTSTR_CHECKS_H */
