// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's verdicts for scheduler ops and payloads, on a runner whose
 * results are filled by hand: which scheduler instance a failure is pinned
 * on, with its op, step and time; which log lines are its; the payload
 * point's messages and its `--- payload NAME ---` dump sections.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "payload_report.h"
#include "runner.h"
#include "sched_report.h"

struct out {
	struct ktstr_runner *r;
	char *buf;
	size_t len;
	FILE *f;
};

/* A runner whose TAP goes to memory; eevdf plus one attach op unless told otherwise. */
static void runner_new(struct out *o)
{
	struct ktstr_runner *r = calloc(1, sizeof(*r));
	struct ktstr_scenario *s;

	assert_non_null(r);
	s = &r->scenario;
	snprintf(s->name, sizeof(s->name), "swap");
	s->sched.kind = KTSTR_SCHED_EEVDF;
	s->sched.attach_timeout_ms = 20000;
	s->n_steps = 2;
	s->steps[1].n_ops = 1;
	s->steps[1].ops[0].kind = KTSTR_OP_ATTACH_SCHEDULER;
	s->steps[1].ops[0].sched = 0;
	s->n_op_scheds = 1;
	s->op_scheds[0].kind = KTSTR_SCHED_NAME;
	snprintf(s->op_scheds[0].value, sizeof(s->op_scheds[0].value), "scx_ktstr");
	ktstr_results_init(&r->res);
	r->res.stage = KTSTR_STAGE_RESULTS;
	r->t_hello = 3.0;
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
	ktstr_tap_init(&r->tap, o->f);
	o->r = r;
}

static const char *runner_text(struct out *o)
{
	fflush(o->f);
	return o->buf;
}

static void runner_free(struct out *o)
{
	fclose(o->f);
	free(o->buf);
	free(o->r->schedlog.buf);
	free(o->r->console.buf);
	free(o->r);
}

static struct ktstr_sched_run *add_run(struct ktstr_runner *r, const char *op, int op_step)
{
	struct ktstr_sched_run *run = &r->res.sched_runs[r->res.n_sched_runs];

	memset(run, 0, sizeof(*run));
	run->instance = r->res.n_sched_runs++;
	snprintf(run->label, sizeof(run->label), "scx_ktstr");
	snprintf(run->op, sizeof(run->op), "%s", op);
	run->op_step = op_step;
	for (int k = 0; k < KTSTR_SCHED_EV__COUNT; k++) {
		run->ev[k].exit_code = -1;
		run->ev[k].n_steps = 4;
	}
	return run;
}

static void ev(struct ktstr_sched_run *run, enum ktstr_sched_event_kind k, double t_ms,
	       double since_ms, unsigned step)
{
	run->ev[k].seen = true;
	run->ev[k].t_ms = t_ms;
	run->ev[k].since_launch_ms = since_ms;
	run->ev[k].step = step;
	if (k == KTSTR_SCHED_EV_ATTACHED)
		snprintf(run->ev[k].ops, sizeof(run->ev[k].ops), "ktstr");
}

/* launched, attached, stopped by `by` */
static void healthy(struct ktstr_sched_run *run, double t_ms, const char *by)
{
	ev(run, KTSTR_SCHED_EV_LAUNCHED, t_ms, 0, 1);
	ev(run, KTSTR_SCHED_EV_ATTACHED, t_ms + 900, 900, 1);
	ev(run, KTSTR_SCHED_EV_STOPPED, t_ms + 1500, 1500, 2);
	snprintf(run->stopped_by, sizeof(run->stopped_by), "%s", by);
}

static void log_append(struct ktstr_runner *r, const char *s)
{
	ktstr_schedlog_append(r, s, strlen(s));
}

/* ---- the log of one instance --------------------------------------------------- */

static void segment_is(const char *log, unsigned inst, const char *want)
{
	size_t off, len;

	ktstr_schedlog_segment(log, strlen(log), inst, &off, &len);
	if (len != strlen(want) || memcmp(log + off, want, len))
		fail_msg("instance %u: got '%.*s', want '%s'", inst, (int)len, log + off, want);
}

static void schedlog_segments(void **state)
{
	const char *marked = "=== ktstr: scheduler #1 'a' (start) ===\nA1\n"
			     "=== ktstr: scheduler #2 'a' (restart_scheduler in step 2) ===\nB1\nB2\n"
			     "=== ktstr: scheduler #3 'b' (replace_scheduler in step 3) ===\nC1";
	const char *legacy = "A1\nA2\n=== ktstr: scheduler #2 'a' (attach_scheduler in step 2) ===\nB1\n";

	(void)state;
	segment_is(marked, 0, "=== ktstr: scheduler #1 'a' (start) ===\nA1\n");
	segment_is(marked, 1,
		   "=== ktstr: scheduler #2 'a' (restart_scheduler in step 2) ===\nB1\nB2\n");
	segment_is(marked, 2, "=== ktstr: scheduler #3 'b' (replace_scheduler in step 3) ===\nC1");
	segment_is(marked, 3, "");
	/* an agent that marks only the instances ops start: the rest is instance 0's */
	segment_is(legacy, 0, "A1\nA2\n");
	segment_is(legacy, 1, "=== ktstr: scheduler #2 'a' (attach_scheduler in step 2) ===\nB1\n");
	/* no markers at all: everything is instance 0's */
	segment_is("x\ny\n", 0, "x\ny\n");
	segment_is("x\ny\n", 1, "");
	/* a marker mid-line is output, not a marker */
	segment_is("say === ktstr: scheduler #2 'a' (x) ===\n", 0,
		   "say === ktstr: scheduler #2 'a' (x) ===\n");
}

/* ---- the scheduler point over instances ---------------------------------------- */

static void swap_all_attached(void **state)
{
	struct out o;
	struct ktstr_runner *r;
	const char *t;

	(void)state;
	runner_new(&o);
	r = o.r;
	healthy(add_run(r, "attach_scheduler", 1), 500, "detach_scheduler");
	healthy(add_run(r, "attach_scheduler", 3), 2500, "restart_scheduler");
	healthy(add_run(r, "restart_scheduler", 4), 4500, "end");
	ktstr_sched_report_point(r);
	t = runner_text(&o);
	assert_non_null(strstr(t, "ok 1 - scheduler: 3 starts ('scx_ktstr' first, attached in "
				  "0.9s), each attached and stayed attached until stopped\n"));
	assert_non_null(strstr(t, "# scheduler #1 'scx_ktstr' (attach_scheduler in step 2): "
				  "attached in 0.9s (ops 'ktstr'), stopped by detach_scheduler at 2.0s\n"));
	assert_non_null(strstr(t, "# scheduler #3 'scx_ktstr' (restart_scheduler in step 5): "
				  "attached in 0.9s (ops 'ktstr'), stopped by end at 6.0s\n"));
	assert_false(r->failed);
	runner_free(&o);
}

static void swap_op_instance_not_attached(void **state)
{
	struct out o;
	struct ktstr_runner *r;
	struct ktstr_sched_run *run;
	const char *t;

	(void)state;
	runner_new(&o);
	r = o.r;
	healthy(add_run(r, "attach_scheduler", 1), 500, "restart_scheduler");
	run = add_run(r, "restart_scheduler", 2);
	ev(run, KTSTR_SCHED_EV_LAUNCHED, 1234, 0, 2);
	ev(run, KTSTR_SCHED_EV_NOT_ATTACHED, 3300, 2000, 2);
	run->attach_timeout_ms = 2000;
	snprintf(run->ev[KTSTR_SCHED_EV_NOT_ATTACHED].state, 32, "disabled");
	ktstr_sched_report_point(r);
	t = runner_text(&o);
	assert_non_null(strstr(t, "not ok 1 - scheduler: 'scx_ktstr' attached and stayed attached\n"));
	/* the op's instance: its own attach bound, and which op, step and when */
	assert_non_null(strstr(t, "message: \"scheduler 'scx_ktstr' did not turn on within 2s: "
				  "/sys/kernel/sched_ext/state is 'disabled' (scheduler #2, started "
				  "by restart_scheduler in step 3, 1.2s into test)\""));
	assert_true(r->failed);
	runner_free(&o);
}

static void swap_failure_uses_its_own_log(void **state)
{
	struct out o;
	struct ktstr_runner *r;
	struct ktstr_sched_run *run;
	const char *t;

	(void)state;
	runner_new(&o);
	r = o.r;
	r->scenario.sched.kind = KTSTR_SCHED_NAME;      /* the scenario's own, then a replace */
	snprintf(r->scenario.sched.value, sizeof(r->scenario.sched.value), "scx_ktstr");
	healthy(add_run(r, "start", -1), 0, "replace_scheduler");
	run = add_run(r, "replace_scheduler", 1);
	ev(run, KTSTR_SCHED_EV_LAUNCHED, 2000, 0, 1);
	ev(run, KTSTR_SCHED_EV_EXITED, 2400, 400, 1);
	run->ev[KTSTR_SCHED_EV_EXITED].exit_code = 2;
	/* the first instance's verifier chatter must not decide the second's category */
	log_append(r, "=== ktstr: scheduler #1 'scx_ktstr' (start) ===\n"
		      "processed 12 insns (limit 1000000) max_states_per_insn 0 total_states 1 "
		      "peak_states 1 mark_read 0\nscx_ktstr: attached\n"
		      "=== ktstr: scheduler #2 'scx_ktstr' (replace_scheduler in step 2) ===\n"
		      "scx_ktstr: --bogus: unknown option\n");
	ktstr_sched_report_point(r);
	t = runner_text(&o);
	assert_non_null(strstr(t, "message: \"scheduler 'scx_ktstr' did not turn on: scheduler "
				  "process exited during BPF load/startup (exit code 2, 0.4s after "
				  "launch); last log line: scx_ktstr: --bogus: unknown option "
				  "(scheduler #2, started by replace_scheduler in step 2, 2.0s into "
				  "test)\""));
	runner_free(&o);
}

static void swap_op_instance_disabled(void **state)
{
	struct out o;
	struct ktstr_runner *r;
	struct ktstr_sched_run *run;
	const char *t;
	char *dump = NULL;
	size_t dlen = 0;
	FILE *d;

	(void)state;
	runner_new(&o);
	r = o.r;
	healthy(add_run(r, "attach_scheduler", 1), 500, "detach_scheduler");
	run = add_run(r, "attach_scheduler", 2);
	ev(run, KTSTR_SCHED_EV_LAUNCHED, 2000, 0, 2);
	ev(run, KTSTR_SCHED_EV_ATTACHED, 2900, 900, 2);
	ev(run, KTSTR_SCHED_EV_DISABLED, 4500, 2500, 3);
	snprintf(run->ev[KTSTR_SCHED_EV_DISABLED].reason, 512, "runnable task stall");
	log_append(r, "=== ktstr: scheduler #1 'scx_ktstr' (attach_scheduler in step 2) ===\none\n"
		      "=== ktstr: scheduler #2 'scx_ktstr' (attach_scheduler in step 3) ===\ntwo\n");
	ktstr_sched_report_point(r);
	t = runner_text(&o);
	assert_non_null(strstr(t, "message: \"sched_ext disabled scheduler 'scx_ktstr' after "
				  "completing step 3 of 4 (4.5s into test): runnable task stall "
				  "(scheduler #2, started by attach_scheduler in step 3)\""));
	/* the dump's log shows each instance's part under its marker */
	d = open_memstream(&dump, &dlen);
	ktstr_sched_dump_write(r, d);
	fclose(d);
	assert_non_null(strstr(dump, "--- scheduler log ---\n"
				     "  === ktstr: scheduler #1 'scx_ktstr' (attach_scheduler in step 2) ===\n"
				     "  one\n"
				     "  === ktstr: scheduler #2 'scx_ktstr' (attach_scheduler in step 3) ===\n"
				     "  two\n"));
	free(dump);
	runner_free(&o);
}

static void swap_not_reached(void **state)
{
	struct out o;
	const char *t;

	(void)state;
	runner_new(&o);
	/* eevdf first, and the VM ended before the attach op: nothing to judge */
	o.r->res.stage = KTSTR_STAGE_SCENARIO_STARTED;
	ktstr_sched_report_point(o.r);
	t = runner_text(&o);
	assert_non_null(strstr(t, "ok 1 - scheduler: 'scx_ktstr' attached and stayed attached "
				  "# SKIP not reached: the VM run ended earlier"));
	assert_int_equal(ktstr_sched_plan_points(o.r), 2);
	/* a scenario that never runs sched_ext has no scheduler point */
	o.r->scenario.steps[1].n_ops = 0;
	assert_int_equal(ktstr_sched_plan_points(o.r), 1);
	runner_free(&o);
}

/* ---- payloads ------------------------------------------------------------------- */

static struct ktstr_payload_result *add_payload(struct ktstr_runner *r, const char *name,
						const char *event, const char *by, unsigned step)
{
	struct ktstr_payload_result *p = &r->res.payloads[r->res.n_payloads++];

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->started = p->ended = true;
	p->pid = 105;
	snprintf(p->cgroup, sizeof(p->cgroup), "/");
	snprintf(p->event, sizeof(p->event), "%s", event);
	snprintf(p->by, sizeof(p->by), "%s", by);
	p->step = step;
	p->n_steps = 3;
	p->duration_ms = 1234;
	p->exit_code = -1;
	return p;
}

static void payload_messages(void **state)
{
	struct ktstr_payload_result p;
	char msg[512];

	(void)state;
	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "hog");
	p.ended = true;
	snprintf(p.by, sizeof(p.by), "wait_payload");
	p.step = 1;
	p.duration_ms = 1234;
	snprintf(p.event, sizeof(p.event), "exited");
	p.exit_code = 3;
	ktstr_payload_failure(&p, msg, sizeof(msg));
	assert_string_equal(msg, "payload 'hog' exited with status 3 after 1.2s (wait_payload in "
			    "step 2)");
	snprintf(p.event, sizeof(p.event), "signaled");
	p.signal = 11;
	ktstr_payload_failure(&p, msg, sizeof(msg));
	assert_string_equal(msg, "payload 'hog' was killed by signal 11 (Segmentation fault) after "
			    "1.2s (wait_payload in step 2)");
	snprintf(p.event, sizeof(p.event), "timed_out");
	p.timeout_ms = 5000;
	ktstr_payload_failure(&p, msg, sizeof(msg));
	assert_string_equal(msg, "payload 'hog' did not exit within 5.0s (wait_payload in step 2); "
			    "the agent killed it");
	p.ended = false;
	p.start_step = 0;
	ktstr_payload_failure(&p, msg, sizeof(msg));
	assert_string_equal(msg, "payload 'hog' started in step 1, but the guest never reported "
			    "its end");
	p.ended = true;
	snprintf(p.event, sizeof(p.event), "killed");
	snprintf(p.by, sizeof(p.by), "end");
	ktstr_payload_describe(&p, msg, sizeof(msg));
	assert_string_equal(msg, "was killed after 1.2s (at the end of the scenario)");
}

static void payload_point_and_dump(void **state)
{
	struct out o;
	struct ktstr_runner *r;
	struct ktstr_payload_result *p;
	const char *t;
	char *dump = NULL, big[KTSTR_PAYLOAD_OUTPUT_MAX + 1];
	size_t dlen = 0;
	FILE *d;

	(void)state;
	runner_new(&o);
	r = o.r;
	assert_int_equal(ktstr_payload_plan_points(r), 0);
	r->scenario.steps[0].n_ops = 1;
	r->scenario.steps[0].ops[0].kind = KTSTR_OP_RUN_PAYLOAD;
	assert_int_equal(ktstr_payload_plan_points(r), 1);
	p = add_payload(r, "hog", "exited", "wait_payload", 1);
	p->exit_code = 3;
	p->output_bytes = 15;
	snprintf(p->output, sizeof(p->output), "hog: giving up\n");
	add_payload(r, "sleeper", "killed", "kill_payload", 2)->signal = 9;
	p = add_payload(r, "hog", "exited", "wait_payload", 2);
	p->exit_code = 0;
	/* 100 lines of output: the dump shows the last 60 */
	for (int i = 0, n = 0; i < 100; i++)
		n += snprintf(big + n, sizeof(big) - (size_t)n, "line %d\n", i);
	snprintf(p->output, sizeof(p->output), "%s", big);
	p->output_bytes = 123456;
	ktstr_payload_report_point(r);
	t = runner_text(&o);
	assert_non_null(strstr(t, "not ok 1 - payloads: 1 of 3 runs ended badly\n"));
	assert_non_null(strstr(t, "message: \"payload 'hog' exited with status 3 after 1.2s "
				  "(wait_payload in step 2)\""));
	assert_true(r->failed);
	assert_string_equal(r->failures[0], "payload 'hog' exited with status 3 after 1.2s "
			    "(wait_payload in step 2)");
	d = open_memstream(&dump, &dlen);
	ktstr_payload_dump_write(r, d);
	fclose(d);
	assert_non_null(strstr(dump, "--- payload hog ---\n  started in step 1 at 0.0s (cgroup /, "
				     "pid 105); exited with status 3 after 1.2s (wait_payload in "
				     "step 2)\n  output (15 bytes):\n    hog: giving up\n"));
	assert_non_null(strstr(dump, "--- payload sleeper ---\n"));
	assert_non_null(strstr(dump, "  (it printed nothing on its stdout or stderr)\n"));
	assert_non_null(strstr(dump, "--- payload hog (run 2) ---\n"));
	assert_non_null(strstr(dump, "  output (123456 bytes, the tail):\n    line 40\n"));
	assert_null(strstr(dump, "line 39\n"));
	assert_non_null(strstr(dump, "    line 99\n"));
	free(dump);
	runner_free(&o);
}

static void payload_point_pass_and_missing_end(void **state)
{
	struct out o;
	struct ktstr_payload_result *p;
	const char *t;

	(void)state;
	runner_new(&o);
	o.r->scenario.steps[0].n_ops = 1;
	o.r->scenario.steps[0].ops[0].kind = KTSTR_OP_RUN_PAYLOAD;
	add_payload(o.r, "a", "exited", "wait_payload", 1)->exit_code = 0;
	add_payload(o.r, "b", "exited", "end", 2)->exit_code = 9;   /* never waited for */
	ktstr_payload_report_point(o.r);
	t = runner_text(&o);
	assert_non_null(strstr(t, "ok 1 - payloads: 2 runs, 1 waited for (exit 0), 1 killed or "
				  "left running\n"));
	assert_false(o.r->failed);
	/* a start without an end, once every result is in */
	p = add_payload(o.r, "c", "", "", 0);
	p->ended = false;
	ktstr_payload_report_point(o.r);
	t = runner_text(&o);
	assert_non_null(strstr(t, "message: \"payload 'c' started in step 1, but the guest never "
				  "reported its end\""));
	runner_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(schedlog_segments),
		cmocka_unit_test(swap_all_attached),
		cmocka_unit_test(swap_op_instance_not_attached),
		cmocka_unit_test(swap_failure_uses_its_own_log),
		cmocka_unit_test(swap_op_instance_disabled),
		cmocka_unit_test(swap_not_reached),
		cmocka_unit_test(payload_messages),
		cmocka_unit_test(payload_point_and_dump),
		cmocka_unit_test(payload_point_pass_and_missing_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
