// SPDX-License-Identifier: GPL-2.0-only
/*
 * From a finished VM run to TAP test points.
 *
 * The plan is fixed before the VM starts: boot, topology, completion, then
 * one point per check.  A point the run never reached is reported as
 * `ok N - ... # SKIP not reached` so the plan always adds up; the failure
 * that stopped the run is the `not ok` before it, and the exit code says 1.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "payload_report.h"
#include "runner.h"
#include "sched_report.h"

enum { POINT_BOOT, POINT_TOPOLOGY, POINT_COMPLETE, POINT__FIXED };

/* Every failure text goes through here so docs/tools can find and check it. */
void ktstr_failmsg(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

/* The thresholds in force: built-in defaults (scaled), the scheduler's layer, the scenario's. */
static void merge_thresholds(const struct ktstr_runner *r, struct ktstr_thresholds *th)
{
	ktstr_checks_merge(th, r->to.factor, &r->scenario.sched.checks, &r->scenario.checks);
}

unsigned ktstr_report_plan_count(const struct ktstr_runner *r)
{
	struct ktstr_thresholds th;
	unsigned checks = 0;

	/* checks nobody set have no point (checks.h), so the plan needs the thresholds */
	merge_thresholds(r, &th);
	for (unsigned i = 0; i < KTSTR_CHECK__COUNT; i++)
		checks += ktstr_check_planned(&th, (enum ktstr_check_id)i);
	return POINT__FIXED + checks + ktstr_sched_plan_points(r) + ktstr_payload_plan_points(r);
}

static void not_reached(struct ktstr_runner *r, const char *desc)
{
	ktstr_tap_result(&r->tap, true, desc, "SKIP", "not reached: the VM run ended earlier");
}

static void fail_point(struct ktstr_runner *r, const char *desc, const char *directive,
		       const char *reason, const char *message)
{
	ktstr_tap_result(&r->tap, false, desc, directive, reason);
	ktstr_tap_yaml_begin(&r->tap);
	ktstr_tap_yaml_kv(&r->tap, "message", message);
	ktstr_tap_yaml_kv(&r->tap, "stage", ktstr_stage_name(r->res.stage));
	ktstr_tap_yaml_kv(&r->tap, "ended_by", ktstr_end_name(r->end));
	ktstr_tap_yaml_kv(&r->tap, "category", r->infra && r->t_hello == 0 ? "infrastructure" : "test");
	ktstr_tap_yaml_end(&r->tap);
	ktstr_dump_note_failure(r, "%s", message);
	r->failed = true;
}

static void boot_failure(struct ktstr_runner *r, char *msg, size_t len)
{
	double elapsed = r->t_vm_end;

	if (r->end == KTSTR_END_START_FAILED) {
		ktstr_failmsg(msg, len, "%s", r->vm_error);
	} else if (r->kernel_panic[0]) {
		ktstr_failmsg(msg, len, "the guest kernel panicked before the agent started: %s",
			 r->kernel_panic);
	} else if (r->end == KTSTR_END_VM_EXITED) {
		char how[128] = "";

		if (r->vm)
			ktstr_vm_describe_exit(r->vm, how, sizeof(how));
		ktstr_failmsg(msg, len,
			"QEMU exited before the guest agent was ready (qemu %s, after %.1fs, "
			"console_output=%s); see 'qemu stderr' and the console tail below",
			how, elapsed, r->t_first_console > 0 ? "yes" : "no");
	} else if (r->end == KTSTR_END_SIGNAL) {
		ktstr_failmsg(msg, len, "interrupted by signal %d (%s) while the guest was booting",
			 r->end_signal, strsignal(r->end_signal));
	} else {
		/* Field names follow the seed guide's send_sys_rdy diagnostic. */
		ktstr_failmsg(msg, len,
			 "guest agent not ready within the boot budget; budget_ms=%.0f vcpus=%u "
			 "elapsed_ms=%.0f console_output=%s kernel_panic=%s ended_by='%s'",
			 r->to.boot_budget_s * 1000, ktstr_topology_cpus(&r->scenario.topo),
			 elapsed * 1000, r->t_first_console > 0 ? "yes" : "no",
			 r->kernel_panic[0] ? "yes" : "no", ktstr_end_name(r->end));
	}
}

static bool topology_matches(const struct ktstr_runner *r, char *msg, size_t len)
{
	const struct ktstr_topology *t = &r->scenario.topo;
	const struct ktstr_guest_topology *g = &r->res.topo;
	unsigned cpus = ktstr_topology_cpus(t);
	unsigned cores = t->llcs * t->cores_per_llc;

	if (!g->valid) {
		ktstr_failmsg(msg, len, "the guest sent no valid topology report");
		return false;
	}
	if (g->nr_cpus != cpus || g->numa_nodes != t->numa_nodes || g->llcs != t->llcs ||
	    g->cores != cores || g->threads_per_core != t->threads_per_core) {
		ktstr_failmsg(msg, len,
			 "topology mismatch: requested %s = %u CPUs, %u NUMA nodes, %u LLCs, %u cores, "
			 "%u threads/core; the guest sees %u CPUs, %u NUMA nodes, %u LLCs, %u cores, "
			 "%u threads/core",
			 r->topo_label, cpus, t->numa_nodes, t->llcs, cores, t->threads_per_core,
			 g->nr_cpus, g->numa_nodes, g->llcs, g->cores, g->threads_per_core);
		return false;
	}
	return true;
}

static bool completed(const struct ktstr_runner *r, char *msg, size_t len, const char **directive)
{
	unsigned expected = ktstr_scenario_total_workers(&r->scenario);

	*directive = NULL;
	if (r->res.agent_error[0]) {
		ktstr_failmsg(msg, len, "the guest agent could not run the scenario: %s",
			 r->res.agent_error);
		return false;
	}
	if (r->res.stage >= KTSTR_STAGE_RESULTS) {
		if (r->res.n_workers != expected) {
			ktstr_failmsg(msg, len, "the guest reported %u of %u workers", r->res.n_workers,
				 expected);
			return false;
		}
		return true;
	}
	switch (r->end) {
	case KTSTR_END_PROGRESS_TIMEOUT:
		ktstr_failmsg(msg, len,
			 "no progress from the guest for %.0fs (watchdog); last frame at +%.1fs, "
			 "stage '%s'",
			 r->to.progress_timeout_s, r->t_last_frame, ktstr_stage_name(r->res.stage));
		break;
	case KTSTR_END_DEADLINE:
		ktstr_failmsg(msg, len,
			 "hard deadline of %.0fs reached before the scenario finished (stage '%s')",
			 r->to.vm_deadline_s, ktstr_stage_name(r->res.stage));
		*directive = "TIMEOUT";
		break;
	case KTSTR_END_SIGNAL:
		ktstr_failmsg(msg, len, "interrupted by signal %d (%s) at stage '%s'", r->end_signal,
			 strsignal(r->end_signal), ktstr_stage_name(r->res.stage));
		*directive = "TIMEOUT";
		break;
	default:
		if (r->kernel_panic[0])
			ktstr_failmsg(msg, len, "the guest kernel panicked during the scenario: %s",
				 r->kernel_panic);
		else
			ktstr_failmsg(msg, len,
				 "the VM exited before the results were complete (stage '%s')",
				 ktstr_stage_name(r->res.stage));
		break;
	}
	return false;
}

void ktstr_report_thresholds(struct ktstr_runner *r)
{
	/* defaults -> the scheduler's `checks` -> the scenario's: the last one set wins */
	merge_thresholds(r, &r->th);
}

int ktstr_report(struct ktstr_runner *r)
{
	char msg[2048], desc[256];
	const char *directive;
	bool booted = r->t_hello > 0;
	bool done;

	/* 1: boot */
	if (booted) {
		snprintf(desc, sizeof(desc), "boot: kernel up and guest agent ready in %.1fs",
			 r->t_hello);
		ktstr_tap_result(&r->tap, true, desc, NULL, NULL);
	} else {
		boot_failure(r, msg, sizeof(msg));
		if (r->infra) {
			/* Retries ran out: say whose failure this is. */
			char inner[sizeof(msg)];

			memcpy(inner, msg, sizeof(inner));
			ktstr_failmsg(msg, sizeof(msg),
				"infrastructure failure after %u attempt(s), not a scheduler failure: %s",
				r->attempts, inner);
		}
		fail_point(r, "boot: kernel up and guest agent ready",
			   r->end == KTSTR_END_SIGNAL ? "TIMEOUT" : NULL, NULL, msg);
	}

	/* 2: topology */
	snprintf(desc, sizeof(desc), "topology: guest sees %s (%u CPUs)", r->topo_label,
		 ktstr_topology_cpus(&r->scenario.topo));
	if (!booted || (!r->res.topo.valid && r->res.stage < KTSTR_STAGE_RESULTS &&
			r->end != KTSTR_END_VM_EXITED))
		not_reached(r, desc);
	else if (topology_matches(r, msg, sizeof(msg)))
		ktstr_tap_result(&r->tap, true, desc, NULL, NULL);
	else
		fail_point(r, desc, NULL, NULL, msg);

	/* sched_ext scenarios: the scheduler attached and stayed (sched_report.c) */
	ktstr_sched_report_point(r);

	/* 3: completion */
	snprintf(desc, sizeof(desc), "scenario: ran to completion (%u workers, %.1fs)",
		 ktstr_scenario_total_workers(&r->scenario),
		 (double)r->scenario.duration_ms / 1000.0);
	if (!booted || ktstr_sched_blocked_scenario(r)) {
		not_reached(r, desc);
		done = false;
	} else {
		done = completed(r, msg, sizeof(msg), &directive);
		if (done)
			ktstr_tap_result(&r->tap, true, desc, NULL, NULL);
		else
			fail_point(r, desc, directive, NULL, msg);
	}

	/* scenarios with payloads: every waited one exited 0 (payload_report.c) */
	ktstr_payload_report_point(r);

	/* 4..: checks */
	ktstr_report_thresholds(r);
	if (done)
		ktstr_checks_eval(&r->scenario, &r->th, &r->res, r->checks);
	for (unsigned i = 0; i < KTSTR_CHECK__COUNT; i++) {
		const struct ktstr_check_outcome *o = &r->checks[i];

		if (!ktstr_check_planned(&r->th, (enum ktstr_check_id)i))
			continue;
		snprintf(desc, sizeof(desc), "check %s", ktstr_check_name((enum ktstr_check_id)i));
		if (!done) {
			not_reached(r, desc);
			continue;
		}
		snprintf(desc, sizeof(desc), "check %s: %s", ktstr_check_name(o->id), o->summary);
		if (!o->enabled) {
			ktstr_tap_result(&r->tap, true, desc, "SKIP", o->summary);
		} else if (o->passed) {
			ktstr_tap_result(&r->tap, true, desc, NULL, NULL);
		} else {
			ktstr_tap_result(&r->tap, false, desc, NULL, NULL);
			for (unsigned k = 0; k < o->n_details; k++) {
				ktstr_tap_diag(&r->tap, "  %s", o->details[k]);
				ktstr_dump_note_failure(r, "%s", o->details[k]);
			}
			if (!o->n_details)
				ktstr_dump_note_failure(r, "%s: %s", ktstr_check_name(o->id),
							o->summary);
			if (o->n_details_dropped)
				ktstr_tap_diag(&r->tap, "  ... and %u more", o->n_details_dropped);
			r->failed = true;
		}
	}
	if (r->dump_requested) {
		struct ktstr_schedlog_info li;

		/* the guest's word is the dump lines it shipped, not the request */
		ktstr_schedlog_analyze(r->schedlog.buf, r->schedlog.len, &li);
		if (li.dump_lines)
			ktstr_tap_diag(&r->tap, "sched_ext dump: check %s failed while '%s' was "
				       "attached; the guest triggered SysRq-D before stopping it (dump "
				       "section 'sched_ext dump')", r->verdict_failed,
				       ktstr_scenario_sched_label(&r->scenario));
		else
			ktstr_tap_diag(&r->tap, "sched_ext dump: check %s failed while '%s' was "
				       "attached, but no SysRq-D dump arrived (see the timeline)",
				       r->verdict_failed, ktstr_scenario_sched_label(&r->scenario));
	}
	/* last: the kernel console holds no splat, for every scheduler (sched_report.c) */
	ktstr_kernel_log_point(r);

	if (r->failed || r->opts.keep) {
		int sr = ktstr_dump_save_run_dir(r);

		if (r->failed)
			ktstr_dump_print_tap(r);
		if (!sr)
			ktstr_tap_diag(&r->tap, "run directory (full dump, console log): %s",
				       r->run_dir);
	}
	fflush(stdout);
	return r->failed ? KTSTR_EXIT_FAIL : KTSTR_EXIT_PASS;
}
