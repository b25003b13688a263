// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's verdict on a sched_ext scheduler and on the guest kernel's log.
 *
 * Test points:
 *   scheduler   (sched_ext scenarios only) it attached and stayed attached;
 *               otherwise one failure category, each with its own message:
 *               not found (before the VM), did not turn on (timeout), exited
 *               during load, BPF verifier rejection, kfunc BTF mismatch,
 *               died mid-run, disabled by the kernel (with its reason).
 *   kernel log  (every scenario) no BUG:, WARNING:, lockup, RCU stall or
 *               KASAN report anywhere on the console; the splat is quoted.
 *
 * Dump sections: `--- verifier stats ---`, `--- scheduler log ---`
 * (cycle-collapsed: repeated loop iterations of a verifier log become
 * "--- N identical iterations omitted ---"), `--- sched_ext dump ---` (the
 * sched_ext_dump trace lines the agent shipped), `--- kernel splats ---`.
 *
 * Everything parsed here came from the guest (console, scheduler output)
 * and is untrusted: lines are bounded and made printable before printing.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "sched_host.h"
#include "sched_report.h"

#define SCHEDLOG_CAP       (8u << 20)
#define LOG_TAIL_LINES     120
#define LOG_PART_TAIL_LINES 30     /* an instance other than the last (scheduler ops) */
#define DUMP_MAX_LINES     400
#define SPLAT_CONTEXT      12
#define MAX_SPLATS         3

void ktstr_schedlog_append(struct ktstr_runner *r, const char *data, size_t len)
{
	ktstr_console_append(&r->schedlog, data, len, SCHEDLOG_CAP);
}

/* ---- lines ------------------------------------------------------------------ */

void ktstr_lines_split(const char *text, size_t len, struct ktstr_lines *out)
{
	size_t cap = 0;
	const char *p = text, *end = text + len;

	memset(out, 0, sizeof(*out));
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n && p[n - 1] == '\r')
			n--;
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct ktstr_line *v = realloc(out->v, ncap * sizeof(*v));

			if (!v)
				return;
			out->v = v;
			cap = ncap;
		}
		out->v[out->n++] = (struct ktstr_line){ p, n };
		p = nl ? nl + 1 : NULL;
	}
}

void ktstr_lines_free(struct ktstr_lines *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Print one untrusted line, printable, bounded. */
static void put_line(FILE *out, const char *indent, const char *s, size_t n)
{
	fputs(indent, out);
	if (n > 400)
		n = 400;
	for (size_t i = 0; i < n; i++)
		fputc(((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f ? '?' : s[i], out);
	fputc('\n', out);
}

/*
 * A verifier line without its register-state annotations: the same
 * instruction on the next loop iteration differs only in those.
 *   "12: (bf) r1 = r6   ; R1_w=scalar(...)"  -> "12: (bf) r1 = r6"
 *   "from 12 to 15: R0=... R1=..."          -> "from 12 to 15:"
 */
static size_t norm_len(const struct ktstr_line *l)
{
	size_t n = l->n;

	for (size_t i = 0; i + 2 < l->n; i++) {
		if ((l->p[i] == ' ' || l->p[i] == '\t') && l->p[i + 1] == ';' && l->p[i + 2] == ' ') {
			n = i;
			break;
		}
		if (l->p[i] == ':' && l->p[i + 1] == ' ' && l->p[i + 2] == 'R' && i + 3 < l->n &&
		    isdigit((unsigned char)l->p[i + 3])) {
			n = i + 1;
			break;
		}
	}
	while (n && (l->p[n - 1] == ' ' || l->p[n - 1] == '\t'))
		n--;
	return n;
}

static bool same(const struct ktstr_line *a, const struct ktstr_line *b)
{
	size_t na = norm_len(a), nb = norm_len(b);

	return na == nb && !memcmp(a->p, b->p, na);
}

static bool blocks_equal(const struct ktstr_line *v, size_t i, size_t j, size_t p)
{
	for (size_t k = 0; k < p; k++)
		if (!same(&v[i + k], &v[j + k]))
			return false;
	return true;
}

/*
 * Cycle collapse: a block of `period` lines repeated >= MIN_REPS times in a
 * row becomes its first iteration, one "--- N identical iterations omitted
 * ---" line and its last iteration.  The smallest period that repeats wins.
 */
#define COLLAPSE_MAX_PERIOD 64
#define COLLAPSE_MIN_REPS   3

void ktstr_cycle_collapse(const struct ktstr_lines *in, struct ktstr_lines *out,
			  char (*notes)[64], size_t max_notes, size_t *n_notes)
{
	size_t cap = in->n + 16, i = 0;

	memset(out, 0, sizeof(*out));
	*n_notes = 0;
	out->v = malloc(cap * sizeof(*out->v));
	if (!out->v)
		return;
	while (i < in->n) {
		size_t best_p = 0, best_k = 0;

		for (size_t p = 1; p <= COLLAPSE_MAX_PERIOD && i + p * COLLAPSE_MIN_REPS <= in->n; p++) {
			size_t k = 1;

			while (i + (k + 1) * p <= in->n && blocks_equal(in->v, i, i + k * p, p))
				k++;
			if (k >= COLLAPSE_MIN_REPS) {
				best_p = p;
				best_k = k;
				break;
			}
		}
		if (!best_p || *n_notes >= max_notes || out->n + 2 * best_p + 1 > cap) {
			if (out->n < cap)
				out->v[out->n++] = in->v[i];
			i++;
			continue;
		}
		for (size_t k = 0; k < best_p; k++)
			out->v[out->n++] = in->v[i + k];
		snprintf(notes[*n_notes], 64, "--- %zu identical %s omitted ---", best_k - 2,
			 best_p == 1 ? "lines" : "iterations");
		out->v[out->n++] = (struct ktstr_line){ notes[*n_notes], strlen(notes[*n_notes]) };
		(*n_notes)++;
		for (size_t k = 0; k < best_p; k++)
			out->v[out->n++] = in->v[i + (best_k - 1) * best_p + k];
		i += best_k * best_p;
	}
}

/* ---- what the scheduler log says ------------------------------------------- */

static bool line_has(const struct ktstr_line *l, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= l->n; i++)
		if (!memcmp(l->p + i, needle, n))
			return true;
	return false;
}

static void line_copy(char *dst, size_t size, const struct ktstr_line *l)
{
	size_t n = l->n < size - 1 ? l->n : size - 1;

	for (size_t i = 0; i < n; i++)
		dst[i] = ((unsigned char)l->p[i] < 0x20 || l->p[i] == 0x7f) ? '?' : l->p[i];
	dst[n] = '\0';
}

/* "97: (7b) *(u64 *)(r7 +16) = r1": an instruction line of a verifier log. */
static bool is_insn_line(const struct ktstr_line *l)
{
	size_t i = 0;

	while (i < l->n && isdigit((unsigned char)l->p[i]))
		i++;
	return i > 0 && i + 3 < l->n && l->p[i] == ':' && l->p[i + 1] == ' ' && l->p[i + 2] == '(';
}

/*
 * Where the verifier stopped: the instruction line just above its complaint
 * (at line k), and the nearest source annotation above that,
 * "; taskc->q_prev = NULL; @ scx_qmap.bpf.c:324", turned into
 * "scx_qmap.bpf.c:324 `taskc->q_prev = NULL;`".
 */
static void verifier_where(const struct ktstr_lines *l, size_t k,
			   struct ktstr_schedlog_info *info)
{
	size_t j = k, lim;

	info->insn[0] = info->src[0] = '\0';
	for (lim = 0; j-- > 0 && lim < 4; lim++)
		if (is_insn_line(&l->v[j])) {
			line_copy(info->insn, sizeof(info->insn), &l->v[j]);
			break;
		}
	if (!info->insn[0])
		return;
	for (lim = 0; j-- > 0 && lim < 64; lim++) {
		const struct ktstr_line *x = &l->v[j];
		char buf[256], *at;

		if (!(x->n > 2 && x->p[0] == ';' && x->p[1] == ' '))
			continue;
		line_copy(buf, sizeof(buf), x);
		at = strstr(buf, " @ ");
		if (at) {
			*at = '\0';
			snprintf(info->src, sizeof(info->src), "%s `%s`", at + 3, buf + 2);
		} else {
			snprintf(info->src, sizeof(info->src), "`%s`", buf + 2);
		}
		break;
	}
}

void ktstr_schedlog_analyze(const char *text, size_t len, struct ktstr_schedlog_info *info)
{
	struct ktstr_lines l;

	memset(info, 0, sizeof(*info));
	ktstr_lines_split(text ? text : "", text ? len : 0, &l);
	for (size_t i = 0; i < l.n; i++) {
		const struct ktstr_line *x = &l.v[i];
		unsigned long long processed, total, peak, limit, mps;

		if (line_has(x, "sched_ext_dump")) {
			info->dump_lines++;
			continue;
		}
		if (line_has(x, "-- BEGIN PROG LOAD LOG --"))
			info->verifier = true;
		if (!info->kfunc_mismatch[0] && line_has(x, "func_proto") &&
		    line_has(x, "incompatible with vmlinux"))
			line_copy(info->kfunc_mismatch, sizeof(info->kfunc_mismatch), x);
		if (!info->load_failed[0] && line_has(x, "BPF program load failed"))
			line_copy(info->load_failed, sizeof(info->load_failed), x);
		{
			char buf[256];

			line_copy(buf, sizeof(buf), x);
			if (sscanf(buf, "processed %llu insns (limit %llu) max_states_per_insn %llu "
				   "total_states %llu peak_states %llu", &processed, &limit, &mps,
				   &total, &peak) == 5) {
				info->verifier = true;
				snprintf(info->stats, sizeof(info->stats), "processed=%llu  states=%llu/%llu",
					 processed, total, peak);
				/* The complaint is the last non-empty line before the stats. */
				for (size_t k = i; k-- > 0;) {
					if (l.v[k].n && !line_has(&l.v[k], "sched_ext_dump")) {
						line_copy(info->complaint, sizeof(info->complaint), &l.v[k]);
						verifier_where(&l, k, info);
						break;
					}
				}
			}
		}
		if (x->n)
			line_copy(info->last_line, sizeof(info->last_line), x);
	}
	ktstr_lines_free(&l);
}

/* ---- what the console says -------------------------------------------------- */

static const char *const splat_markers[] = {
	"BUG:", "WARNING:", "Oops:", "general protection fault", "soft lockup", "hard LOCKUP",
	"detected stalls on CPUs", "self-detected stall", "rcu_sched detected stall",
	"KASAN:", "UBSAN:", "Kernel panic",
};

static bool is_splat(const struct ktstr_line *l)
{
	for (size_t i = 0; i < sizeof(splat_markers) / sizeof(splat_markers[0]); i++)
		if (line_has(l, splat_markers[i]))
			return true;
	return false;
}

void ktstr_console_analyze(const char *text, size_t len, struct ktstr_console_info *info)
{
	struct ktstr_lines l;

	memset(info, 0, sizeof(*info));
	ktstr_lines_split(text ? text : "", text ? len : 0, &l);
	for (size_t i = 0; i < l.n; i++) {
		const struct ktstr_line *x = &l.v[i];

		if (line_has(x, "sched_ext: BPF scheduler \"") && line_has(x, "\" disabled (")) {
			char buf[512], *p;

			line_copy(buf, sizeof(buf), x);
			p = strstr(buf, "\" disabled (") + strlen("\" disabled (");
			snprintf(info->disabled, sizeof(info->disabled), "%s", p);
			if (info->disabled[0] && info->disabled[strlen(info->disabled) - 1] == ')')
				info->disabled[strlen(info->disabled) - 1] = '\0';
			info->stall[0] = '\0';
			continue;
		}
		/*
		 * The kernel's detail follows the disable line: "sched_ext: NAME:
		 * comm[pid] failed to run for 7.4s" for a stall, "sched_ext: NAME:
		 * file.bpf.c:109: <message>" for scx_bpf_error().
		 */
		if (info->disabled[0] && !info->stall[0] && line_has(x, "sched_ext: ") &&
			 i > 0 && line_has(&l.v[i - 1], "\" disabled (")) {
			char buf[512], *p;

			line_copy(buf, sizeof(buf), x);
			p = strstr(buf, "sched_ext: ") + strlen("sched_ext: ");
			snprintf(info->stall, sizeof(info->stall), "%s", p);
		}
		if (is_splat(x) && info->n_splats < MAX_SPLATS &&
		    !(info->n_splats && i < info->splat_end)) {
			struct ktstr_splat *s = &info->splats[info->n_splats++];
			size_t end = i + SPLAT_CONTEXT < l.n ? i + SPLAT_CONTEXT : l.n;
			size_t o = 0;

			line_copy(s->first, sizeof(s->first), x);
			for (size_t k = i; k < end && o + 2 < sizeof(s->text); k++) {
				char buf[256];

				line_copy(buf, sizeof(buf), &l.v[k]);
				o += (size_t)snprintf(s->text + o, sizeof(s->text) - o, "%s\n", buf);
				if (o >= sizeof(s->text))
					o = sizeof(s->text) - 1;
			}
			info->splat_end = end;
		}
		if (is_splat(x))
			info->n_splat_lines++;
	}
	ktstr_lines_free(&l);
}

/* ---- the scheduler test point ------------------------------------------------ */

unsigned ktstr_sched_plan_points(const struct ktstr_runner *r)
{
	return (ktstr_scenario_runs_scx(&r->scenario) ? 1 : 0) + 1;
}

bool ktstr_sched_blocked_scenario(const struct ktstr_runner *r)
{
	const struct ktstr_sched_event *ev = r->res.sched_ev;

	return ktstr_scenario_has_scx(&r->scenario) && !ev[KTSTR_SCHED_EV_ATTACHED].seen &&
	       (ev[KTSTR_SCHED_EV_EXITED].seen || ev[KTSTR_SCHED_EV_NOT_ATTACHED].seen ||
		ev[KTSTR_SCHED_EV_DISABLED].seen);
}

static void how_it_ended(const struct ktstr_sched_event *e, char *buf, size_t len)
{
	if (e->signal)
		snprintf(buf, len, "killed by signal %d, %s", e->signal, strsignal(e->signal));
	else if (e->exit_code >= 0)
		snprintf(buf, len, "exit code %d", e->exit_code);
	else
		snprintf(buf, len, "exit status unknown");
}

/* A run's scheduler name: from its frames, else the scenario's (agents before instances). */
static const char *run_label(const struct ktstr_runner *r, const struct ktstr_sched_run *run)
{
	const struct ktstr_scenario *s = &r->scenario;

	if (run && run->label[0])
		return run->label;
	/* no report yet: the first sched_ext scheduler the scenario runs */
	if (!ktstr_scenario_has_scx(s) && s->n_op_scheds)
		return ktstr_sched_spec_label(&s->op_scheds[0]);
	return ktstr_scenario_sched_label(s);
}

/* Why it never attached: the categories the seed guide names. */
static void load_failure(const struct ktstr_runner *r, const struct ktstr_sched_run *run,
			 const struct ktstr_schedlog_info *li, char *msg, size_t len)
{
	const struct ktstr_sched_event *ev = run->ev;
	const struct ktstr_sched_event *x = &ev[KTSTR_SCHED_EV_EXITED];
	const char *name = run_label(r, run);
	double timeout_ms = run->attach_timeout_ms > 0 ? run->attach_timeout_ms :
			    (double)r->scenario.sched.attach_timeout_ms;
	char how[96];

	if (li->kfunc_mismatch[0]) {
		ktstr_failmsg(msg, len,
			"scheduler '%s' cannot load: kfunc BTF mismatch: %s (the kernel's BTF lacks "
			"the trimmed kfunc prototypes released schedulers are built against)",
			name, li->kfunc_mismatch);
	} else if (li->verifier) {
		ktstr_failmsg(msg, len,
			"scheduler '%s' did not turn on: the BPF verifier rejected it: %s%s%s%s%s%s%s%s%s",
			name, li->complaint[0] ? li->complaint : "see the log",
			li->stats[0] ? " (" : "", li->stats, li->stats[0] ? ")" : "",
			li->insn[0] ? "; offending instruction " : "", li->insn,
			li->src[0] ? "; source line " : "", li->src,
			li->load_failed[0] ? "; see '--- scheduler log ---'" : "");
	} else if (ev[KTSTR_SCHED_EV_NOT_ATTACHED].seen) {
		const struct ktstr_sched_event *na = &ev[KTSTR_SCHED_EV_NOT_ATTACHED];

		ktstr_failmsg(msg, len,
			"scheduler '%s' did not turn on within %.0fs: /sys/kernel/sched_ext/state is "
			"'%s'%s%s",
			name, timeout_ms / 1000.0,
			na->state[0] ? na->state : "?", na->reason[0] ? "; " : "", na->reason);
	} else {
		how_it_ended(x, how, sizeof(how));
		ktstr_failmsg(msg, len,
			"scheduler '%s' did not turn on: scheduler process exited during BPF "
			"load/startup (%s, %.1fs after launch)%s%s",
			name, how, x->since_launch_ms / 1000.0,
			li->last_line[0] ? "; last log line: " : "; it printed nothing", li->last_line);
	}
}

bool ktstr_expect_err_matches(const char *want, const char *msg, const char *log, size_t log_len,
			      const char **where)
{
	size_t n = want ? strlen(want) : 0;

	*where = "";
	if (!n)
		return true;
	if (msg && strstr(msg, want)) {
		*where = "the failure message";
		return true;
	}
	for (size_t i = 0; log && i + n <= log_len; i++)
		if (!memcmp(log + i, want, n)) {
			*where = "the scheduler log";
			return true;
		}
	return false;
}

/*
 * The scheduler failed with msg.  Without expect_err that is a failure;
 * with it, the run's point: pass (loudly) when the text matches.
 */
static void sched_failed(struct ktstr_runner *r, const char *name, const char *desc,
			 const char *msg)
{
	const struct ktstr_scenario *s = &r->scenario;
	const char *where;
	char d[512], m[2400];

	if (!s->expect_err) {
		ktstr_sched_fail(r, desc, msg);
		return;
	}
	if (ktstr_expect_err_matches(s->expect_err_text, msg, r->schedlog.buf, r->schedlog.len,
				     &where)) {
		/* A pass prints no dump: do not point at one. */
		static const char see[] = "; see '--- scheduler log ---'";
		char shown[2048];
		size_t n = strlen(msg);

		snprintf(shown, sizeof(shown), "%s", msg);
		if (n >= sizeof(see) - 1 && n < sizeof(shown) && !strcmp(shown + n - (sizeof(see) - 1), see))
			shown[n - (sizeof(see) - 1)] = '\0';
		msg = shown;
		snprintf(d, sizeof(d), "scheduler: '%s' failed as expected (expect_err%s%s%s): %.300s",
			 name, s->expect_err_text[0] ? " \"" : "", s->expect_err_text,
			 s->expect_err_text[0] ? "\"" : "", msg);
		ktstr_tap_result(&r->tap, true, d, NULL, NULL);
		ktstr_tap_diag(&r->tap, "expect_err: the scheduler failed as expected: %s", msg);
		if (s->expect_err_text[0])
			ktstr_tap_diag(&r->tap, "expect_err: \"%s\" found in %s", s->expect_err_text,
				       where);
		return;
	}
	ktstr_failmsg(m, sizeof(m),
		"expect_err: scheduler '%s' failed, but not with the expected text \"%s\" (in "
		"neither the failure message nor the scheduler log): %s",
		name, s->expect_err_text, msg);
	ktstr_sched_fail(r, desc, m);
}

/* ---- scheduler instances ------------------------------------------------------ */

#define MARKER "=== ktstr: scheduler #"

/* "=== ktstr: scheduler #N ..." at a line start: instance N-1 begins; -1 otherwise. */
static long marker_instance(const char *p, size_t n)
{
	size_t m = sizeof(MARKER) - 1;
	long v = 0;

	if (n <= m || memcmp(p, MARKER, m))
		return -1;
	for (size_t i = m; i < n && isdigit((unsigned char)p[i]) && v < 1000000; i++)
		v = v * 10 + (p[i] - '0');
	return v > 0 ? v - 1 : -1;
}

void ktstr_schedlog_segment(const char *text, size_t len, unsigned instance, size_t *off,
			    size_t *seg_len)
{
	size_t i = 0, start = 0, end = len;
	long cur = 0;              /* before any marker: instance 0 (an agent without markers) */
	bool in = instance == 0;

	while (text && i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		long m = marker_instance(text + i, n);

		if (m >= 0 && m != cur) {
			if (in) {
				end = i;
				break;
			}
			cur = m;
			if (cur == (long)instance) {
				in = true;
				start = i;
			}
		}
		i += n + (nl ? 1 : 0);
	}
	if (!in || !text) {
		*off = *seg_len = 0;
		return;
	}
	*off = start;
	*seg_len = end - start;
}

/* 0 fine (or not over), 1 never attached, 2 attached and then died or was disabled */
static int run_failure(const struct ktstr_sched_run *run)
{
	const struct ktstr_sched_event *ev = run->ev;

	if (!ev[KTSTR_SCHED_EV_ATTACHED].seen)
		return ev[KTSTR_SCHED_EV_EXITED].seen || ev[KTSTR_SCHED_EV_NOT_ATTACHED].seen ||
		       ev[KTSTR_SCHED_EV_DISABLED].seen;
	return ev[KTSTR_SCHED_EV_DISABLED].seen || ev[KTSTR_SCHED_EV_EXITED].seen ? 2 : 0;
}

/*
 * " (scheduler #2, started by restart_scheduler in step 3)" for an op's
 * instance, with ", 4.1s into test" when t_s >= 0; "" for the scenario's own.
 */
static void run_origin(const struct ktstr_sched_run *run, double t_s, char *buf, size_t len)
{
	char when[48] = "", step[32] = "";

	buf[0] = '\0';
	if (!run->op[0] || !strcmp(run->op, "start"))
		return;
	if (run->op_step >= 0)
		snprintf(step, sizeof(step), " in step %d", run->op_step + 1);
	if (t_s >= 0)
		snprintf(when, sizeof(when), ", %.1fs into test", t_s);
	snprintf(buf, len, " (scheduler #%u, started by %s%s%s)", run->instance + 1, run->op, step,
		 when);
}

/* One TAP comment per instance: how it came and went. */
static void run_diag(struct ktstr_runner *r, const struct ktstr_sched_run *run)
{
	const struct ktstr_sched_event *ev = run->ev;
	char from[64] = "", att[96] = "not attached", end[96] = "";

	if (run->op_step >= 0)
		snprintf(from, sizeof(from), "%s in step %d", run->op, run->op_step + 1);
	else
		snprintf(from, sizeof(from), "%s", run->op[0] ? run->op : "start");
	if (ev[KTSTR_SCHED_EV_ATTACHED].seen)
		snprintf(att, sizeof(att), "attached in %.1fs (ops '%s')",
			 ev[KTSTR_SCHED_EV_ATTACHED].since_launch_ms / 1000.0,
			 ev[KTSTR_SCHED_EV_ATTACHED].ops);
	if (ev[KTSTR_SCHED_EV_DISABLED].seen)
		snprintf(end, sizeof(end), ", disabled by sched_ext at %.1fs",
			 ev[KTSTR_SCHED_EV_DISABLED].t_ms / 1000.0);
	else if (ev[KTSTR_SCHED_EV_EXITED].seen)
		snprintf(end, sizeof(end), ", exited by itself at %.1fs",
			 ev[KTSTR_SCHED_EV_EXITED].t_ms / 1000.0);
	else if (ev[KTSTR_SCHED_EV_STOPPED].seen)
		snprintf(end, sizeof(end), ", stopped by %s at %.1fs",
			 run->stopped_by[0] ? run->stopped_by : "the agent",
			 ev[KTSTR_SCHED_EV_STOPPED].t_ms / 1000.0);
	ktstr_tap_diag(&r->tap, "scheduler #%u '%s' (%s): %s%s", run->instance + 1,
		       run_label(r, run), from, att, end);
}

void ktstr_sched_report_point(struct ktstr_runner *r)
{
	const struct ktstr_sched_run *runs = r->res.sched_runs, *bad = NULL, *first = NULL;
	unsigned n = r->res.n_sched_runs, attached = 0;
	const struct ktstr_sched_event *ev, *att;
	const char *name;
	struct ktstr_schedlog_info li;
	struct ktstr_console_info ci;
	char desc[256], msg[2048], how[96], origin[96];
	const struct ktstr_sched_event *end_ev = NULL;
	size_t off = 0, len = 0;
	int kind = 0;

	if (!ktstr_scenario_runs_scx(&r->scenario))
		return;
	for (unsigned i = 0; i < n; i++) {
		attached += runs[i].ev[KTSTR_SCHED_EV_ATTACHED].seen;
		if (!first && runs[i].ev[KTSTR_SCHED_EV_LAUNCHED].seen)
			first = &runs[i];
		if (!bad && (kind = run_failure(&runs[i])))
			bad = &runs[i];
	}
	if (!first && n)
		first = &runs[0];
	name = run_label(r, bad ? bad : first);
	snprintf(desc, sizeof(desc), "scheduler: '%s' attached and stayed attached", name);
	if (n > 1 || (first && first->op[0] && strcmp(first->op, "start")))
		for (unsigned i = 0; i < n; i++)
			run_diag(r, &runs[i]);
	if (r->res.sched_runs_dropped)
		ktstr_tap_diag(&r->tap, "(%u earlier scheduler instances shared the last slot)",
			       r->res.sched_runs_dropped);
	if (!bad) {
		att = first ? &first->ev[KTSTR_SCHED_EV_ATTACHED] : NULL;
		if (!att || !att->seen) {
			if (r->t_hello == 0 || r->res.agent_error[0] ||
			    r->res.stage < KTSTR_STAGE_RESULTS || !ktstr_scenario_has_scx(&r->scenario)) {
				ktstr_tap_result(&r->tap, true, desc, "SKIP",
						 ktstr_scenario_has_scx(&r->scenario) || r->t_hello == 0 ||
						 r->res.stage < KTSTR_STAGE_RESULTS ?
						 "not reached: the VM run ended earlier" :
						 "not reached: no scheduler op ran");
				return;
			}
			ktstr_failmsg(msg, sizeof(msg),
				"the guest sent no scheduler report (SCHED frames) for '%s'; is the "
				"guest agent older than the runner?", name);
			ktstr_sched_fail(r, desc, msg);
			return;
		}
		if (n > 1)
			snprintf(desc, sizeof(desc), "scheduler: %u starts ('%s' first, attached in "
				 "%.1fs), each attached and stayed attached until stopped", n, name,
				 att->since_launch_ms / 1000.0);
		else
			snprintf(desc, sizeof(desc), "scheduler: '%s' attached in %.1fs (ops '%s') and "
				 "stayed attached", name, att->since_launch_ms / 1000.0, att->ops);
		if (!r->scenario.expect_err) {
			ktstr_tap_result(&r->tap, true, desc, NULL, NULL);
			return;
		}
		ktstr_failmsg(msg, sizeof(msg),
			"expect_err: scheduler '%s' attached in %.1fs (ops '%s') and stayed attached, "
			"but the scenario expects it to fail%s%s%s",
			name, att->since_launch_ms / 1000.0, att->ops,
			r->scenario.expect_err_text[0] ? " with \"" : "", r->scenario.expect_err_text,
			r->scenario.expect_err_text[0] ? "\"" : "");
		snprintf(desc, sizeof(desc), "scheduler: '%s' fails as expected (expect_err)", name);
		ktstr_sched_fail(r, desc, msg);
		return;
	}
	/* The failing instance's own output decides the category. */
	ktstr_schedlog_segment(r->schedlog.buf, r->schedlog.len, bad->instance, &off, &len);
	ktstr_schedlog_analyze(r->schedlog.buf ? r->schedlog.buf + off : NULL, len, &li);
	ev = bad->ev;
	if (kind == 1) {
		const struct ktstr_sched_event *l = &ev[KTSTR_SCHED_EV_LAUNCHED];
		size_t used;

		load_failure(r, bad, &li, msg, sizeof(msg));
		/* an op's instance fails while the scenario runs: say which, where and when */
		used = strlen(msg);
		run_origin(bad, l->seen ? l->t_ms / 1000.0 : 0.0, msg + used, sizeof(msg) - used);
		sched_failed(r, name, desc, msg);
		return;
	}
	run_origin(bad, -1, origin, sizeof(origin));
	ktstr_console_analyze(r->console.buf, r->console.len, &ci);
	if (ev[KTSTR_SCHED_EV_DISABLED].seen) {
		/* The console line is the kernel's own word; the agent's kmsg copy is the fallback. */
		const char *why;

		end_ev = &ev[KTSTR_SCHED_EV_DISABLED];
		why = ci.disabled[0] ? ci.disabled : end_ev->reason[0] ? end_ev->reason :
		      "reason not found on the console";
		ktstr_failmsg(msg, sizeof(msg),
			"sched_ext disabled scheduler '%s' after completing step %u of %u (%.1fs into "
			"test): %s%s%s%s",
			name, end_ev->step, end_ev->n_steps, end_ev->t_ms / 1000.0, why,
			ci.stall[0] && why == ci.disabled ? "; " : "",
			ci.stall[0] && why == ci.disabled ? ci.stall : "", origin);
	} else {
		end_ev = &ev[KTSTR_SCHED_EV_EXITED];
		how_it_ended(end_ev, how, sizeof(how));
		/* The seed guide's message, then how it ended. */
		ktstr_failmsg(msg, sizeof(msg),
			"scheduler process died unexpectedly after completing step %u of %u (%.1fs "
			"into test); '%s' %s%s%s%s",
			end_ev->step, end_ev->n_steps, end_ev->t_ms / 1000.0, name, how,
			ci.disabled[0] ? "; sched_ext: " : "", ci.disabled, origin);
	}
	sched_failed(r, name, desc, msg);
}

/* ---- the kernel log test point ------------------------------------------------ */

void ktstr_kernel_log_point(struct ktstr_runner *r)
{
	struct ktstr_console_info ci;
	const char *desc = "kernel log: no BUG, WARNING, lockup, RCU stall or KASAN report";
	char msg[1024];

	if (!r->console.len) {
		ktstr_tap_result(&r->tap, true, desc, "SKIP", "not reached: no console output");
		return;
	}
	ktstr_console_analyze(r->console.buf, r->console.len, &ci);
	if (!ci.n_splats) {
		ktstr_tap_result(&r->tap, true, desc, NULL, NULL);
		return;
	}
	ktstr_failmsg(msg, sizeof(msg), "the guest kernel reported a problem (%u splat line%s): %s",
		ci.n_splat_lines, ci.n_splat_lines == 1 ? "" : "s", ci.splats[0].first);
	ktstr_sched_fail(r, desc, msg);
	for (unsigned i = 0; i < ci.n_splats; i++)
		ktstr_tap_diag_text(&r->tap, ci.splats[i].text);
}

/* ---- dump sections ------------------------------------------------------------- */

void ktstr_sched_dump_write(const struct ktstr_runner *r, FILE *out)
{
	struct ktstr_lines all, log, col;
	struct ktstr_schedlog_info li;
	struct ktstr_console_info ci;
	char (*notes)[64] = calloc(256, sizeof(*notes));
	size_t n_notes = 0, from, dump_n = 0;

	ktstr_console_analyze(r->console.buf, r->console.len, &ci);
	if (ci.n_splats) {
		fprintf(out, "--- kernel splats ---\n");
		for (unsigned i = 0; i < ci.n_splats; i++) {
			struct ktstr_lines sl;

			ktstr_lines_split(ci.splats[i].text, strlen(ci.splats[i].text), &sl);
			for (size_t k = 0; k < sl.n; k++)
				put_line(out, "  ", sl.v[k].p, sl.v[k].n);
			ktstr_lines_free(&sl);
		}
	}
	if (!ktstr_scenario_runs_scx(&r->scenario) || !notes) {
		free(notes);
		return;
	}
	/* The verifier stats of the instance the verdict is about (the first that failed). */
	{
		size_t off = 0, len = r->schedlog.len;

		for (unsigned i = 0; i < r->res.n_sched_runs; i++)
			if (run_failure(&r->res.sched_runs[i])) {
				ktstr_schedlog_segment(r->schedlog.buf, r->schedlog.len,
						       r->res.sched_runs[i].instance, &off, &len);
				break;
			}
		ktstr_schedlog_analyze(r->schedlog.buf ? r->schedlog.buf + off : NULL, len, &li);
	}
	if (li.stats[0])
		fprintf(out, "--- verifier stats ---\n  %s\n", li.stats);

	ktstr_lines_split(r->schedlog.buf ? r->schedlog.buf : "", r->schedlog.len, &all);
	memset(&log, 0, sizeof(log));
	log.v = malloc((all.n + 1) * sizeof(*log.v));
	for (size_t i = 0; log.v && i < all.n; i++)
		if (!line_has(&all.v[i], "sched_ext_dump"))
			log.v[log.n++] = all.v[i];
	fprintf(out, "--- scheduler log ---\n");
	if (!log.n)
		fprintf(out, "  (the scheduler printed nothing%s)\n",
			r->schedlog.dropped ? "" : " on its stdout or stderr");
	/*
	 * One part per instance (scheduler ops start several), each led by the
	 * agent's "=== ktstr: scheduler #N ... ===" line and cut to its own
	 * tail: the last instance, where a failure ends the run, gets the most.
	 */
	for (size_t s = 0; s < log.n;) {
		long cur = marker_instance(log.v[s].p, log.v[s].n);
		size_t e = s + 1, used = n_notes, n_new = 0, limit;
		struct ktstr_lines part;

		while (e < log.n) {
			long m = marker_instance(log.v[e].p, log.v[e].n);

			if (m >= 0 && m != cur)
				break;
			e++;
		}
		part.v = log.v + s;
		part.n = e - s;
		ktstr_cycle_collapse(&part, &col, notes + used, 256 - used, &n_new);
		n_notes += n_new;
		limit = e == log.n ? LOG_TAIL_LINES : LOG_PART_TAIL_LINES;
		from = col.n > limit ? col.n - limit : 0;
		/* keep the marker line in view */
		if (from && marker_instance(col.v[0].p, col.v[0].n) >= 0)
			put_line(out, "  ", col.v[0].p, col.v[0].n);
		if (from)
			fprintf(out, "  (%zu earlier lines: the run directory's sched.log has all of it)\n",
				from);
		for (size_t i = from; i < col.n; i++)
			put_line(out, "  ", col.v[i].p, col.v[i].n);
		free(col.v);
		col.v = NULL;
		s = e;
	}
	if (r->schedlog.dropped)
		fprintf(out, "  (%zu bytes beyond the %u MiB cap were dropped)\n", r->schedlog.dropped,
			SCHEDLOG_CAP >> 20);

	for (size_t i = 0; i < all.n; i++)
		if (line_has(&all.v[i], "sched_ext_dump")) {
			if (!dump_n++)
				fprintf(out, "--- sched_ext dump ---\n");
			if (dump_n <= DUMP_MAX_LINES)
				put_line(out, "  ", all.v[i].p, all.v[i].n);
		}
	if (dump_n > DUMP_MAX_LINES)
		fprintf(out, "  (%zu more dump lines in sched.log)\n", dump_n - DUMP_MAX_LINES);
	free(log.v);
	ktstr_lines_free(&all);
	free(notes);
}

void ktstr_sched_fail(struct ktstr_runner *r, const char *desc, const char *msg)
{
	ktstr_tap_result(&r->tap, false, desc, NULL, NULL);
	ktstr_tap_yaml_begin(&r->tap);
	ktstr_tap_yaml_kv(&r->tap, "message", msg);
	ktstr_tap_yaml_kv(&r->tap, "stage", ktstr_stage_name(r->res.stage));
	ktstr_tap_yaml_kv(&r->tap, "ended_by", ktstr_end_name(r->end));
	ktstr_tap_yaml_end(&r->tap);
	ktstr_dump_note_failure(r, "%s", msg);
	r->failed = true;
}
