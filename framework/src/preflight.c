// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pre-flight notes (preflight.h).  Every message here is a `#` comment, never
 * a failure: it explains a slow or flaky run before it happens.  The texts
 * are documented in docs/troubleshooting/ci.md (docs/tools/
 * check_errors_documented.py checks the preflight_note() literals).
 */
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "preflight.h"
#include "resources.h"
#include "runner.h"

static void preflight_note(struct ktstr_runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void preflight_note(struct ktstr_runner *r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ktstr_tap_diag(&r->tap, "%s", buf);
}

/* The host CPUs this process may run on, as a set; 0 when unknown. */
static unsigned usable_cpus(struct ktstr_cpuset *set)
{
	cpu_set_t cs;

	ktstr_cpuset_zero(set);
	if (sched_getaffinity(0, sizeof(cs), &cs))
		return 0;
	for (unsigned c = 0; c < KTSTR_MAX_CPUS && c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &cs))
			ktstr_cpuset_set(set, c);
	return ktstr_cpuset_count(set);
}

static void pinning(struct ktstr_runner *r, const struct ktstr_cpuset *usable, unsigned n_usable)
{
	char why[400], have[256], got[256];
	int rc = ktstr_resources_cpus(ktstr_real_getenv, NULL, &r->pin_cpus, why, sizeof(why));

	r->pinned = false;
	if (rc < 0) {
		preflight_note(r, "not pinning QEMU: %s", why);
		return;
	}
	if (rc == 0)
		return;
	ktstr_cpulist_format(&r->pin_cpus, got, sizeof(got));
	if (n_usable && !ktstr_cpuset_subset(&r->pin_cpus, usable)) {
		ktstr_cpulist_format(usable, have, sizeof(have));
		preflight_note(r, "not pinning QEMU: the CTest allocation (host CPUs %s) is not within "
			       "the CPUs this process may use (%s); was the resource spec generated on "
			       "another machine? Re-run cmake to regenerate ktstr-resources.json",
			       got, have);
		return;
	}
	r->pinned = true;
	preflight_note(r, "pinned to host CPUs %s (CTest resource allocation)", got);
}

static bool ci_env(const char **val)
{
	const char *ci = getenv("CI");

	*val = ci;
	return ci && *ci && strcmp(ci, "0") && strcasecmp(ci, "false") && strcasecmp(ci, "no");
}

void ktstr_preflight_tcg(struct ktstr_runner *r)
{
	if (r->accel == KTSTR_ACCEL_TCG)
		preflight_note(r, "TCG in use (%s): budgets are scaled by tcg_factor %g "
			       "(boot budget %.0fs) because software emulation runs the guest several "
			       "times slower than KVM; a runner with a usable /dev/kvm is faster",
			       r->accel_why, r->profile.tcg_factor, r->to.boot_budget_s);
}

void ktstr_preflight(struct ktstr_runner *r)
{
	struct ktstr_cpuset usable;
	unsigned n_usable = usable_cpus(&usable);
	unsigned vcpus = ktstr_topology_cpus(&r->scenario.topo);
	unsigned avail;
	const char *ci;
	FILE *f;

	pinning(r, &usable, n_usable);
	ktstr_preflight_tcg(r);

	avail = r->pinned ? ktstr_cpuset_count(&r->pin_cpus) : n_usable;
	/*
	 * Single-threaded TCG runs every vCPU on one host thread whatever it
	 * is given, so only KVM and multi-threaded TCG can be oversubscribed.
	 */
	if (avail && vcpus > avail &&
	    (r->accel == KTSTR_ACCEL_KVM || r->opts.tcg_multithread))
		preflight_note(r, "oversubscribed: the VM has %u vCPUs but only %u host CPU%s %s; "
			       "vCPUs time-share, so gaps and spreads grow (use a smaller topology or "
			       "a bigger runner)", vcpus, avail, avail == 1 ? "" : "s",
			       r->pinned ? "allocated by CTest" : (avail == 1 ? "is usable" : "are usable"));

	if (ci_env(&ci) && !strcmp(r->profile.name, "default"))
		preflight_note(r, "CI detected (CI=%.32s) but the timeout profile is 'default': "
			       "configure with -DKTSTR_PROFILE=ci (or the ci preset) for budgets "
			       "sized for shared runners", ci);

	f = fopen("/proc/loadavg", "re");
	if (f) {
		double load1;

		if (fscanf(f, "%lf", &load1) == 1 && n_usable && load1 > (double)n_usable)
			preflight_note(r, "loaded host: 1-minute load average %.2f exceeds the %u usable "
				       "host CPU%s; boots and workers run slower than on an idle machine",
				       load1, n_usable, n_usable == 1 ? "" : "s");
		fclose(f);
	}
}
