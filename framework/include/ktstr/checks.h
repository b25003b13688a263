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
	KTSTR_CHECK_ISOLATION,         /* on by default */
	KTSTR_CHECK_WORK_RATE,         /* the rest run only when a layer sets them */
	KTSTR_CHECK_THROUGHPUT_CV,
	KTSTR_CHECK_WAKE_P99,
	KTSTR_CHECK_MIGRATION_RATIO,
	KTSTR_CHECK_NUMA_LOCALITY,
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
 * The starvation and isolation checks can be switched off (KTSTR_TRI_OFF);
 * they are then reported with enabled = false (a TAP SKIP).  Gap and spread
 * always run against their threshold, taken literally; the telemetry checks
 * after isolation run only when a layer sets them.
 */
struct ktstr_thresholds {
	bool starvation;
	double max_gap_ms;
	double max_spread_pct;
	bool gap_from_default;     /* true when max_gap_ms is a scaled default */
	bool spread_from_default;
	/*
	 * The telemetry checks.  isolation is on by default (a worker outside
	 * its affinity is wrong at any speed, so there is nothing to scale);
	 * the others have no default: < 0 means not set, the check is not run
	 * and has no TAP point.  Values set are used as written, like max_gap.
	 */
	bool isolation;
	double min_work_rate;      /* work units per CPU-second */
	double max_throughput_cv;  /* fraction */
	double max_wake_p99_us;
	double max_migration_ratio;/* fraction */
	double min_numa_locality;  /* fraction */
};

/* Merge layers (any may be NULL) into effective thresholds. */
void ktstr_checks_merge(struct ktstr_thresholds *out, double timing_factor,
			const struct ktstr_checks *scheduler_layer,
			const struct ktstr_checks *scenario_layer);

/*
 * Whether check `id` gets a TAP point: starvation, max_gap, spread and
 * isolation always do (a switched-off one as a SKIP); the others only when
 * a layer set their threshold.
 */
bool ktstr_check_planned(const struct ktstr_thresholds *th, enum ktstr_check_id id);

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
 *   isolation   "tid N ran on unexpected CPUs 5,7 (allowed 0-3) in cgroup 'NAME'"
 *   work rate   "tid N did 1.2M work units per cpu-second (floor 5M) in cgroup 'NAME'"
 *   throughput  "uneven throughput: cv=23% (1.1M-2.0M units per cpu-second)
 *                N workers (threshold 10%) in cgroup 'NAME'"
 *   wake p99    "tid N wake-up p99 120us (p50 31us, max 2.1ms, 5123 wake-ups)
 *                (threshold 50us) in cgroup 'NAME'"
 *   migration   "high migration ratio: 0.42 (840 migrations in 2000 checkpoints)
 *                N workers (threshold 0.1) in cgroup 'NAME'"
 *   numa        "tid N numa locality 55% (node 1, 2 nodes used) (threshold 90%)
 *                in cgroup 'NAME'"
 * Summaries do not repeat the check's name (the runner prints
 * "check NAME: summary").  With no worker telemetry at all every enabled
 * check fails with the summary "no worker telemetry received (guest stage:
 * ...)".  Workers whose status is not "ok" report cpu_ns 0, so the spread
 * check leaves them out; a spread check with no cgroup of 2+ such workers
 * has nothing to compare and is reported as not enabled (SKIP, summary as
 * the reason).  The telemetry checks leave out what a worker did not
 * measure (no `allowed`, no wake-up, no checkpoints) and fail when a set
 * check found nothing at all to measure, except where the scenario's shape
 * is why (no cgroup of 2 workers for throughput_cv, one NUMA node for
 * numa_locality): those are SKIPs.  docs/checks.md has the details.
 */
void ktstr_checks_eval(const struct ktstr_scenario *s, const struct ktstr_thresholds *th,
		       const struct ktstr_run_result *r,
		       struct ktstr_check_outcome out[KTSTR_CHECK__COUNT]);

/*
 * Per-worker off-CPU percentage, (wall - cpu) / wall * 100; 0 when wall is 0.
 * The spread check compares these within a cgroup.
 */
double ktstr_worker_offcpu_pct(const struct ktstr_worker_result *w);

/*
 * Work units per CPU-second: work_units / cpu_ns; < 0 when the worker has
 * no CPU time to divide by (killed, crashed, or none measured).
 */
double ktstr_worker_work_rate(const struct ktstr_worker_result *w);

/*
 * Share of a worker's checkpoints on the node it used most (*node, *nodes
 * used); < 0 when it reported no per-node counts.
 */
double ktstr_worker_numa_locality(const struct ktstr_worker_result *w, unsigned *node,
				  unsigned *nodes);

/*
 * Spread of work units per CPU-second over n workers: mean, lowest,
 * highest, and the coefficient of variation (population standard deviation
 * / mean; 0 when the mean is 0).  The throughput_cv check and the dump's
 * cgroup rows both use it.
 */
struct ktstr_rate_stats {
	unsigned n;
	double mean, lo, hi, cv;
};
void ktstr_rate_stats(const double *rates, unsigned n, struct ktstr_rate_stats *out);

/* "850ns", "31us", "2.1ms", "1.2s": a latency for messages and the dump. */
void ktstr_format_ns(uint64_t ns, char *buf, size_t len);

/* "950", "12.3k", "1.2M", "3.4G": a rate for messages and the dump. */
void ktstr_format_si(double v, char *buf, size_t len);

#endif /* KTSTR_CHECKS_H */
