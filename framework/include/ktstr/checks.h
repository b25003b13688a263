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
/*
 * The most the timing factor may raise the spread default: 35%, ktstr's
 * relaxed (debug-build) value, i.e. a multiplier of at most 35/15 ~ 2.33.
 */
#define KTSTR_MAX_SCALED_SPREAD_PCT    35.0

enum ktstr_check_id {
	KTSTR_CHECK_STARVATION = 0,
	KTSTR_CHECK_MAX_GAP,
	KTSTR_CHECK_SPREAD,
	KTSTR_CHECK__COUNT,
};

const char *ktstr_check_name(enum ktstr_check_id id);

/*
 * The thresholds in force for a run.
 *
 * Merge rule: built-in defaults, then the scheduler's layer, then the
 * scenario's; each field a layer sets (not UNSET / not negative) replaces
 * the value below it.
 *
 * Timing factor: `timing_factor` (values < 1, NaN or inf count as 1) relaxes
 * the *built-in defaults only* for slow environments (TCG emulation, the ci
 * timeout profile); a value a scheduler or scenario set explicitly is used
 * as written.
 *  - max gap is a time: default 2000 ms x factor.
 *  - spread is a ratio of times, so a slow machine stretches it far less;
 *    it is scaled by the same factor but capped at
 *    KTSTR_MAX_SCALED_SPREAD_PCT: min(15% x factor, 35%).
 *
 * Only the starvation check can be switched off (starvation ==
 * KTSTR_TRI_OFF); it is then reported with enabled = false (a TAP SKIP).
 * Gap and spread always run against their threshold, taken literally.
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

/*
 * Evaluate every check; out has KTSTR_CHECK__COUNT entries, in enum order.
 * `s` (may be NULL) supplies the number of workers expected.  Detail lines
 * (exact formats, docs/troubleshooting/checks.md lists them):
 *   starvation  "tid N starved (0 work units)"
 *               "telemetry for N of M workers (missing worker index I...)"
 *   max gap     "tid N stuck Xms on cpuC at +Tms (threshold Yms)"
 *               ("on cpuC" is left out when the guest did not know the CPU)
 *   spread      "unfair cgroup: spread=X% (lo-hi%) N workers on M cpus
 *                (threshold Z%) in cgroup 'NAME'"
 * Summaries do not repeat the check's name (the runner prints
 * "check NAME: summary").  With no worker telemetry at all every enabled
 * check fails with the summary "no worker telemetry received (guest stage:
 * ...)".  Workers whose status is not "ok" report cpu_ns 0, so the spread
 * check leaves them out; a spread check with no cgroup of 2+ such workers
 * has nothing to compare and is reported as not enabled (SKIP, summary as
 * the reason).
 */
void ktstr_checks_eval(const struct ktstr_scenario *s, const struct ktstr_thresholds *th,
		       const struct ktstr_run_result *r,
		       struct ktstr_check_outcome out[KTSTR_CHECK__COUNT]);

/*
 * Per-worker off-CPU percentage, (wall - cpu) / wall * 100; 0 when wall is 0.
 * The spread check compares these within a cgroup.
 */
double ktstr_worker_offcpu_pct(const struct ktstr_worker_result *w);

#endif /* KTSTR_CHECKS_H */
