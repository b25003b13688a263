// SPDX-License-Identifier: GPL-2.0-only
/*
 * Topology maps and cpuset resolution.  Resolution works on the ordered list
 * of usable CPUs, so fractional and partitioned specs mean the same thing on
 * the synthesised map (build time) and the sysfs map (in the guest).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ktstr/topo.h"

void ktstr_topo_map_from_spec(const struct ktstr_topology *t, struct ktstr_topo_map *m)
{
	unsigned nodes = t->numa_nodes ? t->numa_nodes : 1;
	unsigned llcs = t->llcs ? t->llcs : 1;
	unsigned cores = t->cores_per_llc ? t->cores_per_llc : 1;
	unsigned threads = t->threads_per_core ? t->threads_per_core : 1;

	memset(m, 0, sizeof(*m));
	m->n_llcs = llcs;
	m->n_nodes = nodes;
	/* thread fastest, then core, then LLC; the loader rejects > KTSTR_MAX_CPUS */
	for (unsigned l = 0; l < llcs; l++)
		for (unsigned c = 0; c < cores; c++)
			for (unsigned th = 0; th < threads; th++) {
				unsigned cpu = (l * cores + c) * threads + th;

				if (cpu >= KTSTR_MAX_CPUS)
					return;
				m->cpus[cpu] = (struct ktstr_cpu_info){
					.cpu = cpu,
					.llc = (int)l,
					/* even, contiguous split of LLCs over nodes */
					.node = (int)(l * nodes / llcs),
					.core = (int)(l * cores + c),
				};
				m->n = cpu + 1;
			}
}

void ktstr_topo_usable(const struct ktstr_topo_map *m, struct ktstr_cpuset *usable)
{
	ktstr_cpuset_zero(usable);
	for (unsigned i = 0; i < m->n; i++)
		ktstr_cpuset_set(usable, m->cpus[i].cpu);
	if (m->n > 2) {
		unsigned last = 0;

		for (unsigned i = 0; i < m->n; i++)
			if (m->cpus[i].cpu > last)
				last = m->cpus[i].cpu;
		usable->bits[last / 64] &= ~(1ull << (last % 64));
	}
}

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool frac_ok(double f)
{
	return isfinite(f) && f >= 0.0 && f <= 1.0;
}

/* usable[from, to) of the ascending usable list, into out */
static void take_slice(const unsigned *list, unsigned from, unsigned to, struct ktstr_cpuset *out)
{
	for (unsigned i = from; i < to; i++)
		ktstr_cpuset_set(out, list[i]);
}

static int resolve_domain(const struct ktstr_cpuset_spec *spec, const struct ktstr_topo_map *m,
			  const struct ktstr_cpuset *usable, struct ktstr_cpuset *out,
			  char *err, size_t errlen)
{
	bool llc = spec->kind == KTSTR_CPUSET_LLC;
	unsigned limit = llc ? m->n_llcs : m->n_nodes;

	if (spec->index >= limit)
		return fail(err, errlen, "%s %u is out of range: the topology has %u %s%s",
			    llc ? "llc" : "numa node", spec->index, limit,
			    llc ? "LLC" : "NUMA node", limit == 1 ? "" : "s");
	for (unsigned i = 0; i < m->n; i++) {
		int dom = llc ? m->cpus[i].llc : m->cpus[i].node;

		/* clamp to the usable CPUs: the reserved one stays with the root */
		if (dom == (int)spec->index && ktstr_cpuset_test(usable, m->cpus[i].cpu))
			ktstr_cpuset_set(out, m->cpus[i].cpu);
	}
	return 0;
}

static int resolve_exact(const struct ktstr_cpuset_spec *spec, const struct ktstr_topo_map *m,
			 struct ktstr_cpuset *out, char *err, size_t errlen)
{
	struct ktstr_cpuset all, outside;
	char a[KTSTR_CPULIST_MAX], b[KTSTR_CPULIST_MAX];

	if (ktstr_cpulist_parse(spec->exact, out))
		return fail(err, errlen, "exact cpulist '%s' is not a valid cpulist (expected e.g. 0-3,8)",
			    spec->exact);
	ktstr_cpuset_zero(&all);
	for (unsigned i = 0; i < m->n; i++)
		ktstr_cpuset_set(&all, m->cpus[i].cpu);
	if (!ktstr_cpuset_subset(out, &all)) {
		for (size_t i = 0; i < KTSTR_MAX_CPUS / 64; i++)
			outside.bits[i] = out->bits[i] & ~all.bits[i];
		ktstr_cpulist_format(&outside, a, sizeof(a));
		ktstr_cpulist_format(&all, b, sizeof(b));
		return fail(err, errlen, "exact CPUs %s are outside the topology (CPUs %s)", a, b);
	}
	return 0;
}

int ktstr_cpuset_resolve(const struct ktstr_cpuset_spec *spec, const struct ktstr_topo_map *m,
			 struct ktstr_cpuset *out, char *err, size_t errlen)
{
	struct ktstr_cpuset usable;
	unsigned list[KTSTR_MAX_CPUS], len = 0, chunk, from, to;
	char ubuf[KTSTR_CPULIST_MAX];
	int ret = 0;

	ktstr_cpuset_zero(out);
	if (err && errlen)
		err[0] = '\0';
	if (spec->kind == KTSTR_CPUSET_NONE)
		return 0;

	ktstr_topo_usable(m, &usable);
	for (unsigned c = 0; c < KTSTR_MAX_CPUS; c++)
		if (ktstr_cpuset_test(&usable, c))
			list[len++] = c;

	switch (spec->kind) {
	case KTSTR_CPUSET_NONE:
		return 0;
	case KTSTR_CPUSET_LLC:
	case KTSTR_CPUSET_NUMA:
		ret = resolve_domain(spec, m, &usable, out, err, errlen);
		break;
	case KTSTR_CPUSET_RANGE:
		if (!frac_ok(spec->start_frac) || !frac_ok(spec->end_frac))
			return fail(err, errlen,
				    "Range fracs must lie in [0.0, 1.0]: start_frac=%g, end_frac=%g",
				    spec->start_frac, spec->end_frac);
		if (!(spec->start_frac < spec->end_frac))
			return fail(err, errlen,
				    "Range needs start_frac < end_frac: start_frac=%g, end_frac=%g",
				    spec->start_frac, spec->end_frac);
		from = (unsigned)(len * spec->start_frac);
		to = (unsigned)(len * spec->end_frac);
		take_slice(list, from, to < len ? to : len, out);
		break;
	case KTSTR_CPUSET_DISJOINT:
	case KTSTR_CPUSET_OVERLAP:
		if (spec->kind == KTSTR_CPUSET_OVERLAP && !frac_ok(spec->frac))
			return fail(err, errlen, "Overlap frac must lie in [0.0, 1.0]: frac=%g",
				    spec->frac);
		if (spec->index >= spec->of)
			return fail(err, errlen, "index %u >= partition count %u", spec->index,
				    spec->of);
		if (len < spec->of)
			return fail(err, errlen, "not enough usable CPUs (%u) for %u partitions", len,
				    spec->of);
		chunk = len / spec->of;
		from = spec->index * chunk;
		/* the last partition takes the remainder so no usable CPU is orphaned */
		to = spec->index == spec->of - 1 ? len : from + chunk;
		if (spec->kind == KTSTR_CPUSET_OVERLAP) {
			/* widen towards the neighbours only; the outer edges stay put */
			unsigned widen = (unsigned)(chunk * spec->frac);

			from = from > widen ? from - widen : 0;
			to = to + widen < len ? to + widen : len;
		}
		take_slice(list, from, to, out);
		break;
	case KTSTR_CPUSET_EXACT:
		ret = resolve_exact(spec, m, out, err, errlen);
		break;
	}
	if (ret)
		return ret;
	if (ktstr_cpuset_count(out) == 0) {
		ktstr_cpulist_format(&usable, ubuf, sizeof(ubuf));
		return fail(err, errlen, "%s spec resolves to an empty CPU set (usable CPUs: %s)",
			    ktstr_cpuset_kind_name(spec->kind), ubuf);
	}
	return 0;
}
