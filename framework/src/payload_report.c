// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's verdict on a scenario's payloads (docs/payloads.md).
 *
 * Test point `payloads` (scenarios with a run_payload op): every payload a
 * wait_payload op waited for exited with status 0 in time, and every
 * payload that started was reported ended.  A payload killed by
 * kill_payload or at the end of the scenario is no failure, nor is one
 * that ended by itself without being waited for: wait_payload is how a
 * scenario asserts on a payload.
 *
 * Dump sections: `--- payload NAME ---` per run, how it ended and the tail
 * of its output (untrusted guest text: made printable, bounded).
 */
#include <stdio.h>
#include <string.h>

#include "payload_report.h"
#include "runner.h"
#include "sched_report.h"

#define OUTPUT_LINES 60

unsigned ktstr_payload_plan_points(const struct ktstr_runner *r)
{
	const struct ktstr_scenario *s = &r->scenario;

	for (unsigned i = 0; i < s->n_steps && i < KTSTR_MAX_STEPS; i++)
		for (unsigned j = 0; j < s->steps[i].n_ops && j < KTSTR_MAX_OPS; j++)
			if (s->steps[i].ops[j].kind == KTSTR_OP_RUN_PAYLOAD)
				return 1;
	return 0;
}

/* "(wait_payload in step 2)" / "(at the end of the scenario)" */
static void where(const struct ktstr_payload_result *p, char *buf, size_t len)
{
	if (!strcmp(p->by, "end"))
		snprintf(buf, len, "(at the end of the scenario)");
	else
		snprintf(buf, len, "(%s in step %u)", p->by, p->step + 1);
}

void ktstr_payload_describe(const struct ktstr_payload_result *p, char *buf, size_t len)
{
	char at[64];

	if (!p->ended) {
		snprintf(buf, len, "started in step %u; its end was never reported", p->start_step + 1);
		return;
	}
	where(p, at, sizeof(at));
	if (!strcmp(p->event, "exited"))
		snprintf(buf, len, "exited with status %d after %.1fs %s", p->exit_code,
			 p->duration_ms / 1000.0, at);
	else if (!strcmp(p->event, "signaled"))
		snprintf(buf, len, "was killed by signal %d (%s) after %.1fs %s", p->signal,
			 strsignal(p->signal), p->duration_ms / 1000.0, at);
	else if (!strcmp(p->event, "timed_out"))
		snprintf(buf, len, "did not exit within %.1fs %s; the agent killed it",
			 p->timeout_ms / 1000.0, at);
	else
		snprintf(buf, len, "was killed after %.1fs %s", p->duration_ms / 1000.0, at);
}

void ktstr_payload_failure(const struct ktstr_payload_result *p, char *msg, size_t len)
{
	char at[64];

	where(p, at, sizeof(at));
	if (!p->ended)
		ktstr_failmsg(msg, len,
			"payload '%s' started in step %u, but the guest never reported its end",
			p->name, p->start_step + 1);
	else if (!strcmp(p->event, "exited"))
		ktstr_failmsg(msg, len, "payload '%s' exited with status %d after %.1fs %s", p->name,
			p->exit_code, p->duration_ms / 1000.0, at);
	else if (!strcmp(p->event, "timed_out"))
		ktstr_failmsg(msg, len,
			"payload '%s' did not exit within %.1fs %s; the agent killed it", p->name,
			p->timeout_ms / 1000.0, at);
	else
		ktstr_failmsg(msg, len, "payload '%s' was killed by signal %d (%s) after %.1fs %s",
			p->name, p->signal, p->signal ? strsignal(p->signal) : "?",
			p->duration_ms / 1000.0, at);
}

void ktstr_payload_report_point(struct ktstr_runner *r)
{
	const struct ktstr_run_result *res = &r->res;
	bool complete = res->stage >= KTSTR_STAGE_RESULTS;
	unsigned waited = 0, killed = 0, bad = 0;
	char desc[256], msg[1024], first[1024] = "";

	if (!ktstr_payload_plan_points(r))
		return;
	for (unsigned i = 0; i < res->n_payloads; i++) {
		const struct ktstr_payload_result *p = &res->payloads[i];

		if (ktstr_payload_failed(p) || (complete && p->started && !p->ended)) {
			ktstr_payload_failure(p, msg, sizeof(msg));
			if (!bad++) {
				snprintf(first, sizeof(first), "%s", msg);
			} else {
				ktstr_tap_diag(&r->tap, "  %s", msg);
				ktstr_dump_note_failure(r, "%s", msg);
			}
			continue;
		}
		waited += p->ended && !strcmp(p->by, "wait_payload");
		killed += p->ended && strcmp(p->by, "wait_payload");
	}
	if (bad) {
		snprintf(desc, sizeof(desc), "payloads: %u of %u runs ended badly", bad,
			 res->n_payloads);
		ktstr_sched_fail(r, desc, first);
		return;
	}
	snprintf(desc, sizeof(desc), "payloads: %u runs, %u waited for (exit 0), %u killed or "
		 "left running", res->n_payloads, waited, killed);
	if (!complete) {
		ktstr_tap_result(&r->tap, true, desc, "SKIP", "not reached: the VM run ended earlier");
		return;
	}
	ktstr_tap_result(&r->tap, true, desc, NULL, NULL);
}

/* One untrusted line, printable and bounded (the host already replaced control bytes). */
static void put_out_line(FILE *out, const char *s, size_t n)
{
	if (n > 400)
		n = 400;
	fprintf(out, "    %.*s\n", (int)n, s);
}

void ktstr_payload_dump_write(const struct ktstr_runner *r, FILE *out)
{
	const struct ktstr_run_result *res = &r->res;

	for (unsigned i = 0; i < res->n_payloads; i++) {
		const struct ktstr_payload_result *p = &res->payloads[i];
		const char *text = p->output, *end = text + strlen(text);
		unsigned runs = 0, lines = 0;
		char how[256];

		for (unsigned k = 0; k < i; k++)
			runs += !strcmp(res->payloads[k].name, p->name);
		if (runs)
			fprintf(out, "--- payload %s (run %u) ---\n", p->name, runs + 1);
		else
			fprintf(out, "--- payload %s ---\n", p->name);
		ktstr_payload_describe(p, how, sizeof(how));
		if (p->started)
			fprintf(out, "  started in step %u at %.1fs (cgroup %s, pid %d); %s\n",
				p->start_step + 1, p->start_t_ms / 1000.0,
				p->cgroup[0] ? p->cgroup : "/", p->pid, how);
		else
			fprintf(out, "  %s\n", how);
		if (!p->ended)
			continue;
		if (!p->output_bytes) {
			fprintf(out, "  (it printed nothing on its stdout or stderr)\n");
			continue;
		}
		for (const char *c = text; c < end; c++)
			lines += *c == '\n';
		fprintf(out, "  output (%llu bytes%s):\n", (unsigned long long)p->output_bytes,
			p->output_bytes > strlen(text) ? ", the tail" : "");
		/* the last OUTPUT_LINES lines */
		while (lines > OUTPUT_LINES && text < end) {
			const char *nl = memchr(text, '\n', (size_t)(end - text));

			text = nl ? nl + 1 : end;
			lines--;
		}
		while (text < end) {
			const char *nl = memchr(text, '\n', (size_t)(end - text));
			size_t n = nl ? (size_t)(nl - text) : (size_t)(end - text);

			put_out_line(out, text, n);
			text += n + (nl ? 1 : 0);
		}
	}
	if (res->payloads_dropped)
		fprintf(out, "--- payloads ---\n  (%u earlier payload runs were not kept)\n",
			res->payloads_dropped);
}
