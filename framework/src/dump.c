// SPDX-License-Identifier: GPL-2.0-only
/*
 * The failure dump: everything a scheduler developer needs to see why a run
 * failed, without re-running it.
 *
 *   ktstr_test 'NAME' [variant=..] [sched=..] [topo=..] [kernel=..] [accel=..] failed:
 *     ([variant=..] only for a scenario with a matrix or scheduler flags)
 *     <one line per failure>
 *   --- stats ---        per cgroup, then per worker (keyed by tid, which the
 *                        check messages name)
 *   --- diagnostics ---  how far the VM got, why it ended, QEMU's exit, the
 *                        last kernel console lines
 *   --- timeline ---     host-side events with guest scenario time
 *
 * The same text goes to stdout as TAP comments and, with the full console
 * log and the QEMU command line, into a run directory whose path is printed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ktstr/fsutil.h"
#include "payload_report.h"
#include "runner.h"

#define CONSOLE_TAIL_LINES 20

void ktstr_dump_note_failure(struct ktstr_runner *r, const char *fmt, ...)
{
	va_list ap;

	if (r->n_failures >= sizeof(r->failures) / sizeof(r->failures[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(r->failures[r->n_failures++], sizeof(r->failures[0]), fmt, ap);
	va_end(ap);
}

int ktstr_console_append(struct ktstr_console *c, const char *data, size_t len, size_t cap_bytes)
{
	if (c->len + len > cap_bytes) {
		size_t keep = cap_bytes > c->len ? cap_bytes - c->len : 0;

		c->dropped += len - keep;
		len = keep;
	}
	if (!len)
		return 0;
	if (c->len + len + 1 > c->cap) {
		size_t cap = c->cap ? c->cap : 65536;
		char *nb;

		while (cap < c->len + len + 1)
			cap *= 2;
		nb = realloc(c->buf, cap);
		if (!nb)
			return -ENOMEM;
		c->buf = nb;
		c->cap = cap;
	}
	memcpy(c->buf + c->len, data, len);
	c->len += len;
	c->buf[c->len] = '\0';
	return 0;
}

void ktstr_console_tail(const struct ktstr_console *c, unsigned n, char *buf, size_t len)
{
	size_t end = c->len, start;
	unsigned lines = 0;

	buf[0] = '\0';
	if (!c->buf || !c->len)
		return;
	while (end > 0 && (c->buf[end - 1] == '\n' || c->buf[end - 1] == '\r'))
		end--;
	start = end;
	while (start > 0) {
		if (c->buf[start - 1] == '\n' && ++lines == n)
			break;
		start--;
	}
	if (end - start >= len)
		start = end - (len - 1);
	memcpy(buf, c->buf + start, end - start);
	buf[end - start] = '\0';
	/* Console output is untrusted: keep it printable. */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
			*p = ' ';
}

static double ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

/*
 * The cgroup's second row, when its workers measured any of it: migration
 * ratio over their checkpoints, throughput variation, and the wake-up
 * latency of all their wake-ups pooled (histograms of one layout add up).
 * Each item names the check it feeds.
 */
static void write_cgroup_telemetry(const struct ktstr_run_result *res, const char *name, FILE *out)
{
	struct ktstr_wake_hist pooled;
	double rates[KTSTR_MAX_WORKERS];
	struct ktstr_rate_stats st;
	uint64_t mig = 0, ckpt = 0;
	unsigned n_rates = 0;
	char line[512] = "", a[32], b[32], c[32];
	size_t len = 0;

	memset(&pooled, 0, sizeof(pooled));
	for (unsigned i = 0; i < res->n_workers; i++) {
		const struct ktstr_worker_result *w = &res->workers[i];
		double rate = ktstr_worker_work_rate(w);

		if (strcmp(w->cgroup, name))
			continue;
		if (w->checkpoints) {
			mig += w->migrations;
			ckpt += w->checkpoints;
		}
		if (!strcmp(w->status, "ok") && rate >= 0)
			rates[n_rates++] = rate;
		ktstr_wake_hist_merge(&pooled, &w->wake);
	}
	if (ckpt)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					" migration_ratio=%.3g (%llu/%llu checkpoints)",
					(double)mig / (double)ckpt, (unsigned long long)mig,
					(unsigned long long)ckpt);
	if (n_rates >= 2 && len < sizeof(line)) {
		ktstr_rate_stats(rates, n_rates, &st);
		ktstr_format_si(st.lo, a, sizeof(a));
		ktstr_format_si(st.hi, b, sizeof(b));
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					" throughput_cv=%.1f%% (%s-%s units/cpu-s)", st.cv * 100, a, b);
	}
	if (pooled.count && len < sizeof(line)) {
		ktstr_format_ns(ktstr_wake_percentile(&pooled, 0.5), a, sizeof(a));
		ktstr_format_ns(ktstr_wake_percentile(&pooled, 0.99), b, sizeof(b));
		ktstr_format_ns(pooled.max_ns, c, sizeof(c));
		snprintf(line + len, sizeof(line) - len, " wake p50=%s p99=%s max=%s (%llu wake-ups)",
			 a, b, c, (unsigned long long)pooled.count);
	}
	if (line[0])
		fprintf(out, "  %*s%s\n", (int)strlen(name) + 1, "", line);
}

/* "0:812,1:3": checkpoints per NUMA node; "-" when none were reported. */
static void format_nodes(const struct ktstr_worker_result *w, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (unsigned n = 0; n < KTSTR_MAX_NUMA_NODES && o < len; n++)
		if (w->node_checkpoints[n])
			o += (size_t)snprintf(buf + o, len - o, "%s%u:%llu", o ? "," : "", n,
					      (unsigned long long)w->node_checkpoints[n]);
	if (!buf[0])
		snprintf(buf, len, "-");
}

/*
 * The second worker table, keyed by the same tid: what the telemetry
 * checks read (wake-up latency, work rate, checkpoints per node, allowed
 * CPUs) and the kernel's schedstat numbers.  "-": not measured.
 */
static void write_worker_telemetry(const struct ktstr_run_result *res, FILE *out)
{
	fprintf(out, "  %-7s %8s %8s %8s %8s %11s %6s %8s %8s %7s %-14s %s\n", "tid", "wakeups",
		"wake_p50", "wake_p99", "wake_max", "units/cpu-s", "ckpts", "run_ms", "wait_ms",
		"slices", "nodes", "allowed");
	for (unsigned i = 0; i < res->n_workers; i++) {
		const struct ktstr_worker_result *w = &res->workers[i];
		const struct ktstr_wake_hist *h = &w->wake;
		double rate = ktstr_worker_work_rate(w);
		char p50[16] = "-", p99[16] = "-", max[16] = "-", rate_s[16] = "-";
		char run[24] = "-", wait[24] = "-", slices[24] = "-", nodes[64];
		char allowed[KTSTR_CPULIST_MAX] = "-";

		if (h->count) {
			ktstr_format_ns(ktstr_wake_percentile(h, 0.5), p50, sizeof(p50));
			ktstr_format_ns(ktstr_wake_percentile(h, 0.99), p99, sizeof(p99));
			ktstr_format_ns(h->max_ns, max, sizeof(max));
		}
		if (rate >= 0)
			ktstr_format_si(rate, rate_s, sizeof(rate_s));
		if (w->has_schedstat) {
			snprintf(run, sizeof(run), "%.0f", ms(w->run_ns));
			snprintf(wait, sizeof(wait), "%.0f", ms(w->wait_ns));
			snprintf(slices, sizeof(slices), "%llu", (unsigned long long)w->timeslices);
		}
		format_nodes(w, nodes, sizeof(nodes));
		if (w->has_allowed)
			ktstr_cpulist_format(&w->allowed, allowed, sizeof(allowed));
		fprintf(out, "  %-7d %8llu %8s %8s %8s %11s %6llu %8s %8s %7s %-14s %s\n", w->tid,
			(unsigned long long)h->count, p50, p99, max, rate_s,
			(unsigned long long)w->checkpoints, run, wait, slices, nodes, allowed);
	}
}

/*
 * The cgroups the stats show a line for: the declared ones, each name once
 * (a step's own cgroups may reuse a name), then any a worker reported that
 * was not declared (add_cgroup, "/" for spawn_host).
 */
static unsigned stats_cgroups(const struct ktstr_runner *r,
			      const char *names[KTSTR_MAX_CGROUPS + KTSTR_MAX_WORKERS])
{
	const struct ktstr_run_result *res = &r->res;
	unsigned n = 0;

	for (unsigned c = 0; c < r->scenario.n_cgroups; c++)
		names[n++] = r->scenario.cgroups[c].name;
	for (unsigned i = 0; i < res->n_workers; i++)
		names[n++] = res->workers[i].cgroup;
	/* keep each name's first occurrence, in order */
	unsigned kept = 0;

	for (unsigned i = 0; i < n; i++) {
		bool seen = false;

		for (unsigned j = 0; j < kept && !seen; j++)
			seen = !strcmp(names[j], names[i]);
		if (!seen)
			names[kept++] = names[i];
	}
	return kept;
}

static void write_stats(const struct ktstr_runner *r, FILE *out)
{
	static const char *names[KTSTR_MAX_CGROUPS + KTSTR_MAX_WORKERS];
	const struct ktstr_run_result *res = &r->res;
	unsigned n_names = stats_cgroups(r, names);
	struct ktstr_cpuset all;
	uint64_t migrations = 0, worst_gap = 0;
	double worst_spread = 0;
	char cpus[KTSTR_CPULIST_MAX];

	ktstr_cpuset_zero(&all);
	for (unsigned i = 0; i < res->n_workers; i++) {
		const struct ktstr_worker_result *w = &res->workers[i];

		migrations += w->migrations;
		if (w->max_gap_ns > worst_gap)
			worst_gap = w->max_gap_ns;
		for (unsigned k = 0; k < KTSTR_MAX_CPUS / 64; k++)
			all.bits[k] |= w->cpus_used.bits[k];
	}
	for (unsigned c = 0; c < n_names; c++) {
		double lo = 1e9, hi = -1;

		for (unsigned i = 0; i < res->n_workers; i++) {
			double p;

			if (strcmp(res->workers[i].cgroup, names[c]) ||
			    strcmp(res->workers[i].status, "ok"))
				continue;   /* as the spread check: killed workers have no CPU time */
			p = ktstr_worker_offcpu_pct(&res->workers[i]);
			lo = p < lo ? p : lo;
			hi = p > hi ? p : hi;
		}
		if (hi >= 0 && hi - lo > worst_spread)
			worst_spread = hi - lo;
	}
	fprintf(out, "--- stats ---\n");
	fprintf(out, "  %u workers, %u cpus, %llu migrations, worst_spread %.1f%%, worst_gap %.0fms\n",
		res->n_workers, ktstr_cpuset_count(&all), (unsigned long long)migrations,
		worst_spread, ms(worst_gap));

	for (unsigned c = 0; c < n_names; c++) {
		const char *name = names[c];
		struct ktstr_cpuset used;
		uint64_t units = 0, mig = 0, gap = 0;
		double lo = 1e9, hi = -1;
		unsigned n = 0;

		ktstr_cpuset_zero(&used);
		for (unsigned i = 0; i < res->n_workers; i++) {
			const struct ktstr_worker_result *w = &res->workers[i];
			double p;

			if (strcmp(w->cgroup, name))
				continue;
			n++;
			units += w->work_units;
			mig += w->migrations;
			gap = w->max_gap_ns > gap ? w->max_gap_ns : gap;
			if (!strcmp(w->status, "ok")) {
				p = ktstr_worker_offcpu_pct(w);
				lo = p < lo ? p : lo;
				hi = p > hi ? p : hi;
			}
			for (unsigned k = 0; k < KTSTR_MAX_CPUS / 64; k++)
				used.bits[k] |= w->cpus_used.bits[k];
		}
		ktstr_cpulist_format(&used, cpus, sizeof(cpus));
		fprintf(out,
			"  %s: workers=%u cpus=%u (%s) spread=%.1f%% (%.1f-%.1f%%) gap=%.0fms "
			"migrations=%llu work_units=%llu\n",
			name, n, ktstr_cpuset_count(&used), cpus[0] ? cpus : "-",
			hi >= 0 ? hi - lo : 0.0, hi >= 0 ? lo : 0.0, hi >= 0 ? hi : 0.0, ms(gap),
			(unsigned long long)mig, (unsigned long long)units);
		write_cgroup_telemetry(res, name, out);
	}
	if (!res->n_workers)
		return;
	fprintf(out, "  %-7s %-12s %12s %9s %9s %7s %9s %5s %9s %6s %-10s %s\n", "tid", "cgroup",
		"work_units", "cpu_ms", "wall_ms", "offcpu", "max_gap", "@cpu", "gap_at", "migr",
		"cpus", "status");
	for (unsigned i = 0; i < res->n_workers; i++) {
		const struct ktstr_worker_result *w = &res->workers[i];

		ktstr_cpulist_format(&w->cpus_used, cpus, sizeof(cpus));
		fprintf(out,
			"  %-7d %-12s %12llu %9.0f %9.0f %6.1f%% %7.0fms %5d %7.0fms %6llu %-10s %s\n",
			w->tid, w->cgroup, (unsigned long long)w->work_units, ms(w->cpu_ns),
			ms(w->wall_ns), ktstr_worker_offcpu_pct(w), ms(w->max_gap_ns),
			w->max_gap_cpu, ms(w->max_gap_at_ns), (unsigned long long)w->migrations,
			cpus[0] ? cpus : "-", w->status);
	}
	write_worker_telemetry(res, out);
}

static const char *stage_story(enum ktstr_stage s)
{
	switch (s) {
	case KTSTR_STAGE_NONE: return "QEMU never ran";
	case KTSTR_STAGE_QEMU_STARTED: return "QEMU started but the kernel printed nothing";
	case KTSTR_STAGE_KERNEL_BOOTING: return "the kernel booted but the guest agent never reported";
	case KTSTR_STAGE_AGENT_STARTED: return "the agent started but the scenario never ran";
	case KTSTR_STAGE_SCENARIO_STARTED: return "the scenario started but never finished";
	case KTSTR_STAGE_SCENARIO_ENDED: return "the scenario ended but the results are incomplete";
	case KTSTR_STAGE_RESULTS: return "all results received";
	}
	return "unknown";
}

static void write_diagnostics(struct ktstr_runner *r, FILE *out)
{
	char tail[8192], how[160];

	fprintf(out, "--- diagnostics ---\n");
	fprintf(out, "  stage: %s (%s)\n", ktstr_stage_name(r->res.stage),
		stage_story(r->res.stage));
	fprintf(out, "  ended by: %s", ktstr_end_name(r->end));
	if (r->end == KTSTR_END_SIGNAL)
		fprintf(out, " (signal %d, %s)", r->end_signal, strsignal(r->end_signal));
	fprintf(out, " at +%.1fs\n", r->t_vm_end);
	if (r->vm) {
		ktstr_vm_describe_exit(r->vm, how, sizeof(how));
		fprintf(out, "  qemu: %s\n", how);
	}
	if (r->vm_error[0])
		fprintf(out, "  qemu start: %s\n", r->vm_error);
	if (r->attempts > 1 || r->infra) {
		fprintf(out, "  attempts: %u (infrastructure failures are retried; the last attempt is shown)\n",
			r->attempts);
		for (unsigned i = 0; i < r->attempts && i < 8; i++)
			if (r->infra_notes[i][0])
				fprintf(out, "    %s\n", r->infra_notes[i]);
	}
	if (r->qemu_stderr_len)
		fprintf(out, "  qemu stderr: %s%s", r->qemu_stderr,
			r->qemu_stderr[r->qemu_stderr_len - 1] == '\n' ? "" : "\n");
	fprintf(out, "  budgets: boot %.0fs, progress %.0fs, vm deadline %.0fs (factor %.1f, profile %s)\n",
		r->to.boot_budget_s, r->to.progress_timeout_s, r->to.vm_deadline_s, r->to.factor,
		r->profile.name);
	if (r->res.kernel_release[0])
		fprintf(out, "  guest kernel: %s, agent %s\n", r->res.kernel_release,
			r->res.agent_version);
	if (r->res.agent_error[0])
		fprintf(out, "  agent error: %s\n", r->res.agent_error);
	if (r->kernel_panic[0])
		fprintf(out, "  kernel panic: %s\n", r->kernel_panic);
	fprintf(out, "  result frames: %llu ok, %llu rejected by CRC/header, %u rejected by content, "
		"%llu garbage bytes skipped\n",
		(unsigned long long)r->parser.frames_ok, (unsigned long long)r->parser.frames_bad,
		r->res.frames_rejected, (unsigned long long)r->parser.bytes_skipped);
	ktstr_console_tail(&r->console, CONSOLE_TAIL_LINES, tail, sizeof(tail));
	fprintf(out, "  kernel console (last %d lines%s):\n", CONSOLE_TAIL_LINES,
		r->console.dropped ? ", log truncated" : "");
	if (!tail[0]) {
		fprintf(out, "    (no console output)\n");
		return;
	}
	for (char *line = strtok(tail, "\n"); line; line = strtok(NULL, "\n"))
		fprintf(out, "    %s\n", line);
}

static void write_timeline(const struct ktstr_runner *r, FILE *out)
{
	fprintf(out, "--- timeline ---\n");
	fprintf(out, "  kernel %s, topology %s (%u cpus), scheduler %s, duration %.1fs\n",
		r->kernel.version[0] ? r->kernel.version : r->kernel.image, r->topo_label,
		ktstr_topology_cpus(&r->scenario.topo), ktstr_scenario_sched_label(&r->scenario),
		(double)r->scenario.duration_ms / 1000.0);
	for (unsigned i = 0; i < r->res.n_timeline; i++) {
		const struct ktstr_timeline_event *e = &r->res.timeline[i];

		if (e->guest_t_ms >= 0)
			fprintf(out, "  +%7.3fs  [t=%6.0fms] %s\n", e->host_s, e->guest_t_ms, e->what);
		else
			fprintf(out, "  +%7.3fs              %s\n", e->host_s, e->what);
	}
}

void ktstr_dump_write(struct ktstr_runner *r, FILE *out)
{
	fprintf(out, "ktstr_test '%s'%s%s%s [sched=%s] [topo=%s] [kernel=%s] [accel=%s] %s:\n",
		r->scenario.name, r->scenario.variant[0] ? " [variant=" : "", r->scenario.variant,
		r->scenario.variant[0] ? "]" : "", ktstr_scenario_sched_label(&r->scenario), r->topo_label,
		r->kernel.version[0] ? r->kernel.version : "?", ktstr_accel_name(r->accel),
		r->failed ? "failed" : "passed");
	for (unsigned i = 0; i < r->n_failures; i++)
		fprintf(out, "  %s\n", r->failures[i]);
	write_stats(r, out);
	write_diagnostics(r, out);
	write_timeline(r, out);
	ktstr_sched_dump_write(r, out);
	ktstr_payload_dump_write(r, out);
}

void ktstr_dump_print_tap(struct ktstr_runner *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	ktstr_dump_write(r, m);
	fclose(m);
	ktstr_tap_diag_text(&r->tap, buf);
	free(buf);
}

static void write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[1200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return;
	fwrite(data, 1, len, f);
	fclose(f);
}

int ktstr_dump_save_run_dir(struct ktstr_runner *r)
{
	char root[700], stamp[32], path[1100];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f;

	if (r->opts.runs_dir && *r->opts.runs_dir)
		snprintf(root, sizeof(root), "%s", r->opts.runs_dir);
	else if (ktstr_user_cache_path("runs", root, sizeof(root)))
		return -ENOENT;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(r->run_dir, sizeof(r->run_dir), "%s/%s-%s-%d", root, r->scenario.name, stamp,
		 (int)getpid());
	if (ktstr_mkdir_p(r->run_dir)) {
		r->run_dir[0] = '\0';
		return -errno;
	}
	snprintf(path, sizeof(path), "%s/dump.txt", r->run_dir);
	f = fopen(path, "w");
	if (f) {
		ktstr_dump_write(r, f);
		fclose(f);
	}
	write_file(r->run_dir, "console.log", r->console.buf ? r->console.buf : "", r->console.len);
	if (r->vm)
		write_file(r->run_dir, "qemu-cmdline.txt", r->vm->cmdline, strlen(r->vm->cmdline));
	write_file(r->run_dir, "scenario.yaml", r->sc->yaml, r->sc->yaml_len);
	if (r->schedlog.len)
		write_file(r->run_dir, "sched.log", r->schedlog.buf, r->schedlog.len);
	return 0;
}
