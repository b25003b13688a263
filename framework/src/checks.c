// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side checks over the workers' raw telemetry: starvation, the largest
 * scheduling gap, and per-cgroup fairness spread.
 *
 * The guest only reports numbers; every verdict is made here, so a broken
 * guest can fail a run but never pass one.  In particular a check with no
 * data fails: "no worker telemetry received" is a finding, not a pass.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ktstr/checks.h"

static const char *const check_names[KTSTR_CHECK__COUNT] = {
	[KTSTR_CHECK_STARVATION] = "starvation",
	[KTSTR_CHECK_MAX_GAP]    = "max_gap",
	[KTSTR_CHECK_SPREAD]     = "spread",
};

const char *ktstr_check_name(enum ktstr_check_id id)
{
	if ((unsigned)id < KTSTR_CHECK__COUNT)
		return check_names[id];
	return "unknown";
}

void ktstr_checks_merge(struct ktstr_thresholds *out, double timing_factor,
			const struct ktstr_checks *scheduler_layer,
			const struct ktstr_checks *scenario_layer)
{
	const struct ktstr_checks *layers[2] = { scheduler_layer, scenario_layer };
	double f = timing_factor;

	if (!isfinite(f) || f < 1)
		f = 1;
	out->starvation = true;
	out->max_gap_ms = KTSTR_DEFAULT_MAX_GAP_MS * f;
	/* A ratio, not a time: slowness stretches it much less (checks.h). */
	out->max_spread_pct = fmin(KTSTR_DEFAULT_MAX_SPREAD_PCT * f, KTSTR_MAX_SCALED_SPREAD_PCT);
	out->gap_from_default = true;
	out->spread_from_default = true;

	for (unsigned i = 0; i < 2; i++) {
		const struct ktstr_checks *l = layers[i];

		if (!l)
			continue;
		if (l->starvation != KTSTR_TRI_UNSET)
			out->starvation = l->starvation != KTSTR_TRI_OFF;
		if (l->max_gap_ms >= 0) {
			out->max_gap_ms = (double)l->max_gap_ms;
			out->gap_from_default = false;
		}
		if (l->max_spread_pct >= 0) {
			out->max_spread_pct = l->max_spread_pct;
			out->spread_from_default = false;
		}
	}
}

double ktstr_worker_offcpu_pct(const struct ktstr_worker_result *w)
{
	if (!w->wall_ns || w->cpu_ns >= w->wall_ns)
		return 0;   /* cpu may exceed wall by a tick of accounting skew */
	return (double)(w->wall_ns - w->cpu_ns) * 100.0 / (double)w->wall_ns;
}

/* ---- outcome helpers ---------------------------------------------------- */

static void outcome_init(struct ktstr_check_outcome *o, enum ktstr_check_id id, bool enabled)
{
	memset(o, 0, sizeof(*o));
	o->id = id;
	o->enabled = enabled;
	o->passed = true;
}

__attribute__((format(printf, 2, 3)))
static void summary(struct ktstr_check_outcome *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->summary, sizeof(o->summary), fmt, ap);
	va_end(ap);
}

/* Add a failure detail; past KTSTR_CHECK_MAX_DETAILS only count it. */
__attribute__((format(printf, 2, 3)))
static void detail(struct ktstr_check_outcome *o, const char *fmt, ...)
{
	va_list ap;

	o->passed = false;
	if (o->n_details >= KTSTR_CHECK_MAX_DETAILS) {
		o->n_details_dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(o->details[o->n_details++], sizeof(o->details[0]), fmt, ap);
	va_end(ap);
}

/* Thresholds print without a fraction when they have none: "3000", "22.5". */
static const char *num(char *buf, size_t len, double v)
{
	if (fabs(v - round(v)) < 0.05)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.1f", v);
	return buf;
}

static unsigned long long ns_to_ms(uint64_t ns)
{
	return (unsigned long long)(ns / 1000000u);
}

/*
 * Workers in index order, so messages do not depend on the order in which
 * the guest happened to send its frames.
 */
static unsigned sorted_workers(const struct ktstr_run_result *r,
			       const struct ktstr_worker_result *out[KTSTR_MAX_WORKERS])
{
	unsigned n = 0;

	for (unsigned idx = 0; idx < KTSTR_MAX_WORKERS && n < r->n_workers; idx++)
		for (unsigned i = 0; i < r->n_workers; i++)
			if (r->workers[i].index == idx) {
				out[n++] = &r->workers[i];
				break;
			}
	return n;
}

static unsigned expected_workers(const struct ktstr_scenario *s, const struct ktstr_run_result *r)
{
	unsigned n = r->n_workers_expected;

	if (s) {
		unsigned total = ktstr_scenario_total_workers(s);

		if (total > n)
			n = total;
	}
	return n;
}

/* ---- the checks ---------------------------------------------------------- */

static void eval_starvation(const struct ktstr_scenario *s, const struct ktstr_run_result *r,
			    const struct ktstr_worker_result *const *w, unsigned n,
			    struct ktstr_check_outcome *o)
{
	unsigned starved = 0, expected = expected_workers(s, r);

	for (unsigned i = 0; i < n; i++)
		if (w[i]->work_units == 0) {
			starved++;
			detail(o, "tid %d starved (0 work units)", w[i]->tid);
		}
	/* A worker that never reported cannot be shown to have run. */
	if (expected > n) {
		char missing[128] = "";
		size_t len = 0;
		unsigned listed = 0;

		for (unsigned idx = 0; idx < expected && idx < KTSTR_MAX_WORKERS; idx++) {
			bool found = false;

			for (unsigned i = 0; i < n && !found; i++)
				found = w[i]->index == idx;
			if (found)
				continue;
			if (listed == 8) {
				snprintf(missing + len, sizeof(missing) - len, ",...");
				break;
			}
			len += (size_t)snprintf(missing + len, sizeof(missing) - len, "%s%u",
						listed ? "," : "", idx);
			listed++;
		}
		detail(o, "telemetry for %u of %u workers (no report from worker index %s)",
		       n, expected, missing);
	}
	if (o->passed)
		summary(o, "all %u workers made progress", n);
	else if (starved)
		summary(o, "%u of %u workers starved", starved, n);
	else
		summary(o, "%u of %u workers reported", n, expected);
}

static void eval_gap(const struct ktstr_thresholds *th,
		     const struct ktstr_worker_result *const *w, unsigned n,
		     struct ktstr_check_outcome *o)
{
	const struct ktstr_worker_result *worst = NULL;
	unsigned stuck = 0;
	char t[32];

	num(t, sizeof(t), th->max_gap_ms);
	for (unsigned i = 0; i < n; i++) {
		if (!worst || w[i]->max_gap_ns > worst->max_gap_ns)
			worst = w[i];
		if ((double)w[i]->max_gap_ns / 1e6 <= th->max_gap_ms)
			continue;
		stuck++;
		if (w[i]->max_gap_cpu >= 0)
			detail(o, "tid %d stuck %llums on cpu%d at +%llums (threshold %sms)",
			       w[i]->tid, ns_to_ms(w[i]->max_gap_ns), w[i]->max_gap_cpu,
			       ns_to_ms(w[i]->max_gap_at_ns), t);
		else
			detail(o, "tid %d stuck %llums at +%llums (threshold %sms)",
			       w[i]->tid, ns_to_ms(w[i]->max_gap_ns),
			       ns_to_ms(w[i]->max_gap_at_ns), t);
	}
	if (stuck)
		summary(o, "%u of %u workers stuck longer than %sms", stuck, n, t);
	else
		summary(o, "worst %llums (tid %d) within %sms",
			ns_to_ms(worst->max_gap_ns), worst->tid, t);
}

/*
 * A killed or crashed worker reports cpu_ns 0 (docs/protocol.md), which would
 * read as 100% off-CPU: leave it out of the spread rather than blame the
 * scheduler for a fairness problem that is really a dead worker.
 */
static bool finished(const struct ktstr_worker_result *w)
{
	return strcmp(w->status, "ok") == 0;
}

static void eval_spread(const struct ktstr_thresholds *th,
			const struct ktstr_worker_result *const *w, unsigned n,
			struct ktstr_check_outcome *o)
{
	bool done[KTSTR_MAX_WORKERS] = { false };
	unsigned groups = 0, unfair = 0;
	double worst = -1;
	const char *worst_cg = "";
	char t[32];

	num(t, sizeof(t), th->max_spread_pct);
	for (unsigned i = 0; i < n; i++) {
		struct ktstr_cpuset used = w[i]->cpus_used;
		double lo = ktstr_worker_offcpu_pct(w[i]), hi = lo, spread;
		unsigned members = 1;

		if (done[i] || !finished(w[i]))
			continue;
		for (unsigned j = i + 1; j < n; j++) {
			double p;

			if (done[j] || !finished(w[j]) || strcmp(w[j]->cgroup, w[i]->cgroup) != 0)
				continue;
			done[j] = true;
			members++;
			p = ktstr_worker_offcpu_pct(w[j]);
			lo = fmin(lo, p);
			hi = fmax(hi, p);
			for (unsigned k = 0; k < KTSTR_MAX_CPUS / 64; k++)
				used.bits[k] |= w[j]->cpus_used.bits[k];
		}
		if (members < 2)
			continue;       /* one worker has nothing to be unfair to */
		groups++;
		spread = hi - lo;
		if (spread > worst) {
			worst = spread;
			worst_cg = w[i]->cgroup;
		}
		if (spread <= th->max_spread_pct)
			continue;
		unfair++;
		detail(o, "unfair cgroup: spread=%.0f%% (%.0f-%.0f%%) %u workers on %u cpus "
			  "(threshold %s%%) in cgroup '%s'",
		       spread, lo, hi, members, ktstr_cpuset_count(&used), t, w[i]->cgroup);
	}
	if (!groups) {
		o->enabled = false;
		summary(o, "no cgroup has 2 or more finished workers to compare");
	} else if (unfair) {
		summary(o, "%u of %u cgroups unfair (threshold %s%%)", unfair, groups, t);
	} else {
		summary(o, "worst %.0f%% in cgroup '%s' within %s%%", worst, worst_cg, t);
	}
}

void ktstr_checks_eval(const struct ktstr_scenario *s, const struct ktstr_thresholds *th,
		       const struct ktstr_run_result *r,
		       struct ktstr_check_outcome out[KTSTR_CHECK__COUNT])
{
	const struct ktstr_worker_result *w[KTSTR_MAX_WORKERS];
	/* Only starvation can be switched off; gap and spread take a threshold. */
	bool enabled[KTSTR_CHECK__COUNT] = {
		[KTSTR_CHECK_STARVATION] = th->starvation,
		[KTSTR_CHECK_MAX_GAP]    = true,
		[KTSTR_CHECK_SPREAD]     = true,
	};
	unsigned n = sorted_workers(r, w);

	for (unsigned id = 0; id < KTSTR_CHECK__COUNT; id++) {
		struct ktstr_check_outcome *o = &out[id];

		outcome_init(o, (enum ktstr_check_id)id, enabled[id]);
		if (!enabled[id]) {
			summary(o, "disabled (checks.starvation: false)");
			continue;
		}
		if (n == 0) {
			o->passed = false;
			summary(o, "no worker telemetry received (guest stage: %s)",
				ktstr_stage_name(r->stage));
			continue;
		}
		switch (id) {
		case KTSTR_CHECK_STARVATION: eval_starvation(s, r, w, n, o); break;
		case KTSTR_CHECK_MAX_GAP:    eval_gap(th, w, n, o); break;
		case KTSTR_CHECK_SPREAD:     eval_spread(th, w, n, o); break;
		}
	}
}
