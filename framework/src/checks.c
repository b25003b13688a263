// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side checks over the workers' raw telemetry: starvation, the largest
 * scheduling gap, per-cgroup fairness spread, isolation, and the checks a
 * scenario or scheduler opts into (work rate, throughput variation, wake-up
 * latency, migration ratio, NUMA locality).
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
	[KTSTR_CHECK_ISOLATION]  = "isolation",
	[KTSTR_CHECK_WORK_RATE]  = "work_rate",
	[KTSTR_CHECK_THROUGHPUT_CV] = "throughput_cv",
	[KTSTR_CHECK_WAKE_P99]   = "wake_p99",
	[KTSTR_CHECK_MIGRATION_RATIO] = "migration_ratio",
	[KTSTR_CHECK_NUMA_LOCALITY] = "numa_locality",
};

/* The key of each check in the `checks` section, for "not set" / "disabled" reasons. */
static const char *const check_keys[KTSTR_CHECK__COUNT] = {
	[KTSTR_CHECK_STARVATION] = "starvation",
	[KTSTR_CHECK_MAX_GAP]    = "max_gap",
	[KTSTR_CHECK_SPREAD]     = "max_spread",
	[KTSTR_CHECK_ISOLATION]  = "isolation",
	[KTSTR_CHECK_WORK_RATE]  = "min_work_rate",
	[KTSTR_CHECK_THROUGHPUT_CV] = "max_throughput_cv",
	[KTSTR_CHECK_WAKE_P99]   = "max_wake_p99",
	[KTSTR_CHECK_MIGRATION_RATIO] = "max_migration_ratio",
	[KTSTR_CHECK_NUMA_LOCALITY] = "min_numa_locality",
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
	/* No timing in it, so no scaling: a healthy run never leaves its affinity. */
	out->isolation = true;
	out->min_work_rate = -1;
	out->max_throughput_cv = -1;
	out->max_wake_p99_us = -1;
	out->max_migration_ratio = -1;
	out->min_numa_locality = -1;

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
		if (l->isolation != KTSTR_TRI_UNSET)
			out->isolation = l->isolation != KTSTR_TRI_OFF;
		if (l->min_work_rate >= 0)
			out->min_work_rate = l->min_work_rate;
		if (l->max_throughput_cv >= 0)
			out->max_throughput_cv = l->max_throughput_cv;
		if (l->max_wake_p99_us >= 0)
			out->max_wake_p99_us = (double)l->max_wake_p99_us;
		if (l->max_migration_ratio >= 0)
			out->max_migration_ratio = l->max_migration_ratio;
		if (l->min_numa_locality >= 0)
			out->min_numa_locality = l->min_numa_locality;
	}
}

bool ktstr_check_planned(const struct ktstr_thresholds *th, enum ktstr_check_id id)
{
	switch (id) {
	case KTSTR_CHECK_STARVATION:
	case KTSTR_CHECK_MAX_GAP:
	case KTSTR_CHECK_SPREAD:
	case KTSTR_CHECK_ISOLATION:
		return true;
	case KTSTR_CHECK_WORK_RATE:       return th->min_work_rate >= 0;
	case KTSTR_CHECK_THROUGHPUT_CV:   return th->max_throughput_cv >= 0;
	case KTSTR_CHECK_WAKE_P99:        return th->max_wake_p99_us >= 0;
	case KTSTR_CHECK_MIGRATION_RATIO: return th->max_migration_ratio >= 0;
	case KTSTR_CHECK_NUMA_LOCALITY:   return th->min_numa_locality >= 0;
	case KTSTR_CHECK__COUNT:          break;
	}
	return false;
}

double ktstr_worker_offcpu_pct(const struct ktstr_worker_result *w)
{
	if (!w->wall_ns || w->cpu_ns >= w->wall_ns)
		return 0;   /* cpu may exceed wall by a tick of accounting skew */
	return (double)(w->wall_ns - w->cpu_ns) * 100.0 / (double)w->wall_ns;
}

double ktstr_worker_work_rate(const struct ktstr_worker_result *w)
{
	if (!w->cpu_ns)
		return -1;
	return (double)w->work_units * 1e9 / (double)w->cpu_ns;
}

double ktstr_worker_numa_locality(const struct ktstr_worker_result *w, unsigned *node,
				  unsigned *nodes)
{
	uint64_t total = 0, most = 0;

	*node = 0;
	*nodes = 0;
	for (unsigned n = 0; n < KTSTR_MAX_NUMA_NODES; n++) {
		total += w->node_checkpoints[n];
		if (w->node_checkpoints[n])
			(*nodes)++;
		if (w->node_checkpoints[n] > most) {
			most = w->node_checkpoints[n];
			*node = n;
		}
	}
	return total ? (double)most / (double)total : -1;
}

void ktstr_rate_stats(const double *rates, unsigned n, struct ktstr_rate_stats *out)
{
	double sum = 0, var = 0;

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (!n)
		return;
	out->lo = out->hi = rates[0];
	for (unsigned k = 0; k < n; k++) {
		sum += rates[k];
		out->lo = fmin(out->lo, rates[k]);
		out->hi = fmax(out->hi, rates[k]);
	}
	out->mean = sum / n;
	for (unsigned k = 0; k < n; k++)
		var += (rates[k] - out->mean) * (rates[k] - out->mean);
	/* population standard deviation: these are all the workers, not a sample */
	out->cv = out->mean > 0 ? sqrt(var / n) / out->mean : 0;
}

/* v with no fraction when it has none, else one decimal: "3", "1.5". */
static void one_decimal(char *buf, size_t len, double v, const char *unit)
{
	if (fabs(v - round(v)) < 0.05)
		snprintf(buf, len, "%.0f%s", v, unit);
	else
		snprintf(buf, len, "%.1f%s", v, unit);
}

void ktstr_format_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		one_decimal(buf, len, (double)ns / 1e3, "us");
	else if (ns < 1000000000)
		one_decimal(buf, len, (double)ns / 1e6, "ms");
	else
		one_decimal(buf, len, (double)ns / 1e9, "s");
}

void ktstr_format_si(double v, char *buf, size_t len)
{
	static const char *const suffix[] = { "", "k", "M", "G", "T" };
	unsigned i = 0;

	while (fabs(v) >= 1000 && i + 1 < sizeof(suffix) / sizeof(suffix[0])) {
		v /= 1000;
		i++;
	}
	snprintf(buf, len, "%.3g%s", v, suffix[i]);
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

/* "" for a cgroup's first (or only) work group; " (work group 1)", " (spawned group 0)". */
static const char *group_label(unsigned group)
{
	static char buf[40];

	if (!group)
		return "";
	if (group >= KTSTR_SPAWN_GROUP_BASE)
		snprintf(buf, sizeof(buf), " (spawned group %u)", group - KTSTR_SPAWN_GROUP_BASE);
	else
		snprintf(buf, sizeof(buf), " (work group %u)", group);
	return buf;
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

			/* a cgroup's work groups differ on purpose (policy, nice, work) */
			if (done[j] || !finished(w[j]) || strcmp(w[j]->cgroup, w[i]->cgroup) != 0 ||
			    w[j]->group != w[i]->group)
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
			  "(threshold %s%%) in cgroup '%s'%s",
		       spread, lo, hi, members, ktstr_cpuset_count(&used), t, w[i]->cgroup,
		       group_label(w[i]->group));
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

/* ---- the telemetry checks ------------------------------------------------- */

static void eval_isolation(const struct ktstr_worker_result *const *w, unsigned n,
			   struct ktstr_check_outcome *o)
{
	unsigned measured = 0, outside = 0;

	for (unsigned i = 0; i < n; i++) {
		struct ktstr_cpuset bad;
		char bad_s[KTSTR_CPULIST_MAX], ok_s[KTSTR_CPULIST_MAX];

		if (!w[i]->has_allowed)
			continue;
		measured++;
		for (unsigned k = 0; k < KTSTR_MAX_CPUS / 64; k++)
			bad.bits[k] = w[i]->cpus_used.bits[k] & ~w[i]->allowed.bits[k];
		if (!ktstr_cpuset_count(&bad))
			continue;
		outside++;
		ktstr_cpulist_format(&bad, bad_s, sizeof(bad_s));
		ktstr_cpulist_format(&w[i]->allowed, ok_s, sizeof(ok_s));
		detail(o, "tid %d ran on unexpected CPUs %s (allowed %s) in cgroup '%s'", w[i]->tid,
		       bad_s, ok_s, w[i]->cgroup);
	}
	if (!measured) {
		o->passed = false;
		summary(o, "no worker reported its allowed CPUs");
	} else if (outside) {
		summary(o, "%u of %u workers ran outside their allowed CPUs", outside, measured);
	} else {
		summary(o, "all %u workers stayed on their allowed CPUs", measured);
	}
}

static void eval_work_rate(const struct ktstr_thresholds *th,
			   const struct ktstr_worker_result *const *w, unsigned n,
			   struct ktstr_check_outcome *o)
{
	const struct ktstr_worker_result *slowest = NULL;
	double slowest_rate = 0;
	unsigned measured = 0, below = 0;
	char floor_s[32], rate_s[32];

	ktstr_format_si(th->min_work_rate, floor_s, sizeof(floor_s));
	for (unsigned i = 0; i < n; i++) {
		double rate = ktstr_worker_work_rate(w[i]);

		if (!finished(w[i]) || rate < 0)
			continue;      /* killed or crashed: no CPU time to divide by */
		measured++;
		if (!slowest || rate < slowest_rate) {
			slowest = w[i];
			slowest_rate = rate;
		}
		if (rate >= th->min_work_rate)
			continue;
		below++;
		ktstr_format_si(rate, rate_s, sizeof(rate_s));
		detail(o, "tid %d did %s work units per cpu-second (floor %s) in cgroup '%s'",
		       w[i]->tid, rate_s, floor_s, w[i]->cgroup);
	}
	if (!measured) {
		o->passed = false;
		summary(o, "no finished worker with CPU time to rate");
		return;
	}
	ktstr_format_si(slowest_rate, rate_s, sizeof(rate_s));
	if (below)
		summary(o, "%u of %u workers below %s work units per cpu-second", below, measured,
			floor_s);
	else
		summary(o, "slowest %s work units per cpu-second (tid %d), floor %s", rate_s,
			slowest->tid, floor_s);
}

static void eval_throughput_cv(const struct ktstr_thresholds *th,
			       const struct ktstr_worker_result *const *w, unsigned n,
			       struct ktstr_check_outcome *o)
{
	bool done[KTSTR_MAX_WORKERS] = { false };
	unsigned groups = 0, uneven = 0;
	double worst = -1;
	const char *worst_cg = "";
	char t[32];

	one_decimal(t, sizeof(t), th->max_throughput_cv * 100, "%");
	for (unsigned i = 0; i < n; i++) {
		double rates[KTSTR_MAX_WORKERS], cv;
		struct ktstr_rate_stats st;
		unsigned members = 0;
		char lo_s[32], hi_s[32], cv_s[32];

		if (done[i])
			continue;
		for (unsigned j = i; j < n; j++) {
			double rate = ktstr_worker_work_rate(w[j]);

			if (done[j] || strcmp(w[j]->cgroup, w[i]->cgroup) != 0)
				continue;
			done[j] = true;
			if (!finished(w[j]) || rate < 0)
				continue;
			rates[members++] = rate;
		}
		if (members < 2)
			continue;
		groups++;
		ktstr_rate_stats(rates, members, &st);
		cv = st.cv;
		if (cv > worst) {
			worst = cv;
			worst_cg = w[i]->cgroup;
		}
		if (cv <= th->max_throughput_cv)
			continue;
		uneven++;
		ktstr_format_si(st.lo, lo_s, sizeof(lo_s));
		ktstr_format_si(st.hi, hi_s, sizeof(hi_s));
		one_decimal(cv_s, sizeof(cv_s), cv * 100, "%");
		detail(o, "uneven throughput: cv=%s (%s-%s work units per cpu-second) %u workers "
			  "(threshold %s) in cgroup '%s'",
		       cv_s, lo_s, hi_s, members, t, w[i]->cgroup);
	}
	if (!groups) {
		o->enabled = false;
		summary(o, "no cgroup has 2 or more finished workers to compare");
	} else if (uneven) {
		summary(o, "%u of %u cgroups uneven (threshold %s)", uneven, groups, t);
	} else {
		char cv_s[32];

		one_decimal(cv_s, sizeof(cv_s), worst * 100, "%");
		summary(o, "worst cv %s in cgroup '%s' within %s", cv_s, worst_cg, t);
	}
}

static void eval_wake_p99(const struct ktstr_thresholds *th,
			  const struct ktstr_worker_result *const *w, unsigned n,
			  struct ktstr_check_outcome *o)
{
	uint64_t limit = (uint64_t)(th->max_wake_p99_us * 1000 + 0.5), worst = 0;
	const struct ktstr_worker_result *worst_w = NULL;
	unsigned measured = 0, slow = 0;
	char t[32], p99_s[32], p50_s[32], max_s[32];

	ktstr_format_ns(limit, t, sizeof(t));
	for (unsigned i = 0; i < n; i++) {
		const struct ktstr_wake_hist *h = &w[i]->wake;
		uint64_t p99;

		if (!h->count)
			continue;      /* its work type does not wake, or it never waited */
		measured++;
		p99 = ktstr_wake_percentile(h, 0.99);
		if (!worst_w || p99 > worst) {
			worst = p99;
			worst_w = w[i];
		}
		if (p99 <= limit)
			continue;
		slow++;
		ktstr_format_ns(p99, p99_s, sizeof(p99_s));
		ktstr_format_ns(ktstr_wake_percentile(h, 0.5), p50_s, sizeof(p50_s));
		ktstr_format_ns(h->max_ns, max_s, sizeof(max_s));
		detail(o, "tid %d wake-up p99 %s (p50 %s, max %s, %llu wake-ups) (threshold %s) "
			  "in cgroup '%s'",
		       w[i]->tid, p99_s, p50_s, max_s, (unsigned long long)h->count, t,
		       w[i]->cgroup);
	}
	if (!measured) {
		o->passed = false;
		summary(o, "no worker recorded a wake-up");
		return;
	}
	ktstr_format_ns(worst, p99_s, sizeof(p99_s));
	if (slow)
		summary(o, "%u of %u workers with a wake-up p99 above %s", slow, measured, t);
	else
		summary(o, "worst p99 %s (tid %d) within %s", p99_s, worst_w->tid, t);
}

static void eval_migration_ratio(const struct ktstr_thresholds *th,
				 const struct ktstr_worker_result *const *w, unsigned n,
				 struct ktstr_check_outcome *o)
{
	bool done[KTSTR_MAX_WORKERS] = { false };
	unsigned groups = 0, high = 0;
	double worst = -1;
	const char *worst_cg = "";

	for (unsigned i = 0; i < n; i++) {
		uint64_t mig = 0, ckpt = 0;
		unsigned members = 0;
		double ratio;

		if (done[i])
			continue;
		for (unsigned j = i; j < n; j++) {
			if (done[j] || strcmp(w[j]->cgroup, w[i]->cgroup) != 0)
				continue;
			done[j] = true;
			if (!w[j]->checkpoints)
				continue;      /* not measured */
			members++;
			mig += w[j]->migrations;
			ckpt += w[j]->checkpoints;
		}
		if (!members)
			continue;
		groups++;
		ratio = (double)mig / (double)ckpt;
		if (ratio > worst) {
			worst = ratio;
			worst_cg = w[i]->cgroup;
		}
		if (ratio <= th->max_migration_ratio)
			continue;
		high++;
		detail(o, "high migration ratio: %.3g (%llu migrations in %llu checkpoints) "
			  "%u workers (threshold %g) in cgroup '%s'",
		       ratio, (unsigned long long)mig, (unsigned long long)ckpt, members,
		       th->max_migration_ratio, w[i]->cgroup);
	}
	if (!groups) {
		o->passed = false;
		summary(o, "no worker reported its checkpoints");
	} else if (high) {
		summary(o, "%u of %u cgroups above %g", high, groups, th->max_migration_ratio);
	} else {
		summary(o, "worst %.3g in cgroup '%s' within %g", worst, worst_cg,
			th->max_migration_ratio);
	}
}

static void eval_numa_locality(const struct ktstr_thresholds *th, const struct ktstr_run_result *r,
			       const struct ktstr_worker_result *const *w, unsigned n,
			       struct ktstr_check_outcome *o)
{
	const struct ktstr_worker_result *lowest_w = NULL;
	double lowest = 2;
	unsigned measured = 0, remote = 0;
	char t[32], loc_s[32];

	if (r->topo.valid && r->topo.numa_nodes < 2) {
		o->enabled = false;
		summary(o, "the guest has 1 NUMA node: nothing to be local to");
		return;
	}
	one_decimal(t, sizeof(t), th->min_numa_locality * 100, "%");
	for (unsigned i = 0; i < n; i++) {
		unsigned node, nodes;
		double loc = ktstr_worker_numa_locality(w[i], &node, &nodes);

		if (loc < 0)
			continue;
		measured++;
		if (loc < lowest) {
			lowest = loc;
			lowest_w = w[i];
		}
		if (loc >= th->min_numa_locality)
			continue;
		remote++;
		one_decimal(loc_s, sizeof(loc_s), loc * 100, "%");
		detail(o, "tid %d numa locality %s (node %u, %u nodes used) (threshold %s) in "
			  "cgroup '%s'",
		       w[i]->tid, loc_s, node, nodes, t, w[i]->cgroup);
	}
	if (!measured) {
		o->passed = false;
		summary(o, "no worker reported checkpoints per NUMA node");
		return;
	}
	one_decimal(loc_s, sizeof(loc_s), lowest * 100, "%");
	if (remote)
		summary(o, "%u of %u workers below %s on their main node", remote, measured, t);
	else
		summary(o, "lowest %s (tid %d) within %s", loc_s, lowest_w->tid, t);
}

void ktstr_checks_eval(const struct ktstr_scenario *s, const struct ktstr_thresholds *th,
		       const struct ktstr_run_result *r,
		       struct ktstr_check_outcome out[KTSTR_CHECK__COUNT])
{
	const struct ktstr_worker_result *w[KTSTR_MAX_WORKERS];
	/*
	 * starvation and isolation can be switched off; gap and spread always
	 * take a threshold; the rest run only when a layer set one.
	 */
	bool enabled[KTSTR_CHECK__COUNT] = {
		[KTSTR_CHECK_STARVATION] = th->starvation,
		[KTSTR_CHECK_MAX_GAP]    = true,
		[KTSTR_CHECK_SPREAD]     = true,
		[KTSTR_CHECK_ISOLATION]  = th->isolation,
	};
	unsigned n = sorted_workers(r, w);

	for (unsigned id = KTSTR_CHECK_WORK_RATE; id < KTSTR_CHECK__COUNT; id++)
		enabled[id] = ktstr_check_planned(th, (enum ktstr_check_id)id);
	for (unsigned id = 0; id < KTSTR_CHECK__COUNT; id++) {
		struct ktstr_check_outcome *o = &out[id];

		outcome_init(o, (enum ktstr_check_id)id, enabled[id]);
		if (!enabled[id]) {
			if (id == KTSTR_CHECK_STARVATION || id == KTSTR_CHECK_ISOLATION)
				summary(o, "disabled (checks.%s: false)", check_keys[id]);
			else
				summary(o, "not set (checks.%s)", check_keys[id]);
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
		case KTSTR_CHECK_ISOLATION:  eval_isolation(w, n, o); break;
		case KTSTR_CHECK_WORK_RATE:  eval_work_rate(th, w, n, o); break;
		case KTSTR_CHECK_THROUGHPUT_CV: eval_throughput_cv(th, w, n, o); break;
		case KTSTR_CHECK_WAKE_P99:   eval_wake_p99(th, w, n, o); break;
		case KTSTR_CHECK_MIGRATION_RATIO: eval_migration_ratio(th, w, n, o); break;
		case KTSTR_CHECK_NUMA_LOCALITY: eval_numa_locality(th, r, w, n, o); break;
		}
	}
}
