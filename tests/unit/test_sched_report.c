// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parsing behind the scheduler verdict: cycle collapse of verifier logs,
 * what a scheduler log and a kernel console say, and finding a scheduler's
 * binary and libraries.
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
#include <sys/stat.h>
#include <unistd.h>

#include "sched_host.h"
#include "sched_report.h"

static char *collapse_text(const char *text)
{
	struct ktstr_lines in, out;
	char notes[16][64], *buf = NULL;
	size_t n_notes, len = 0;
	FILE *m = open_memstream(&buf, &len);

	ktstr_lines_split(text, strlen(text), &in);
	ktstr_cycle_collapse(&in, &out, notes, 16, &n_notes);
	for (size_t i = 0; i < out.n; i++)
		fprintf(m, "%.*s\n", (int)out.v[i].n, out.v[i].p);
	fclose(m);
	free(out.v);
	ktstr_lines_free(&in);
	return buf;
}

static void collapse_loop_iterations(void **state)
{
	/* Same instructions, different register states: one iteration each way. */
	char text[4096] = "start\n";
	char *out;

	(void)state;
	for (int i = 0; i < 6; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "129: (bf) r3 = r1   ; R1=scalar(id=%d)\n"
			 "131: (07) r2 += 1   ; R2=%d\n"
			 "from 134 to 129: R2=%d R3=scalar()\n", i + 2, i, i);
	strcat(text, "R3 invalid mem access 'scalar'\n");
	out = collapse_text(text);
	assert_string_equal(out,
			    "start\n"
			    "129: (bf) r3 = r1   ; R1=scalar(id=2)\n"
			    "131: (07) r2 += 1   ; R2=0\n"
			    "from 134 to 129: R2=0 R3=scalar()\n"
			    "--- 4 identical iterations omitted ---\n"
			    "129: (bf) r3 = r1   ; R1=scalar(id=7)\n"
			    "131: (07) r2 += 1   ; R2=5\n"
			    "from 134 to 129: R2=5 R3=scalar()\n"
			    "R3 invalid mem access 'scalar'\n");
	free(out);
}

static void collapse_leaves_short_runs(void **state)
{
	char *out;

	(void)state;
	out = collapse_text("a\na\nb\nc\nb\nc\nx\nx\nx\nx\n");
	/* two repeats stay; four identical lines become first, note, last */
	assert_string_equal(out, "a\na\nb\nc\nb\nc\nx\n--- 2 identical lines omitted ---\nx\n");
	free(out);
	out = collapse_text("");
	assert_string_equal(out, "");
	free(out);
}

static void schedlog_verifier(void **state)
{
	static const char log[] =
		"libbpf: prog 'ktstr_dispatch': BPF program load failed: -EACCES\n"
		"libbpf: prog 'ktstr_dispatch': -- BEGIN PROG LOAD LOG --\n"
		"138: (7b) *(u64 *)(r3 +0) = r1\n"
		"R3 invalid mem access 'scalar'\n"
		"processed 182 insns (limit 1000000) max_states_per_insn 3 total_states 6 peak_states 5 mark_read 0\n"
		"-- END PROG LOAD LOG --\n"
		"     kworker/u8:0-12 [001] d.h1. 20.9: sched_ext_dump: ktstr: root\n"
		"Failed to load skel\n";
	struct ktstr_schedlog_info li;

	(void)state;
	ktstr_schedlog_analyze(log, strlen(log), &li);
	assert_true(li.verifier);
	assert_string_equal(li.stats, "processed=182  states=6/5");
	assert_string_equal(li.complaint, "R3 invalid mem access 'scalar'");
	assert_string_equal(li.load_failed,
			    "libbpf: prog 'ktstr_dispatch': BPF program load failed: -EACCES");
	assert_string_equal(li.kfunc_mismatch, "");
	assert_int_equal(li.dump_lines, 1);
	assert_string_equal(li.last_line, "Failed to load skel");
}

/* scx_qmap on 7.2 (lab notes section 8): the instruction and the source line are found. */
static void schedlog_verifier_where(void **state)
{
	static const char log[] =
		"libbpf: prog 'qmap_dequeue': BPF program load failed: -EACCES\n"
		"libbpf: prog 'qmap_dequeue': -- BEGIN PROG LOAD LOG --\n"
		"; taskc->q_prev = NULL; @ scx_qmap.bpf.c:324\n"
		"96: (b7) r1 = 0                       ; R1_w=0\n"
		"97: (7b) *(u64 *)(r7 +16) = r1\n"
		"R7 invalid mem access 'scalar'\n"
		"processed 71 insns (limit 1000000) max_states_per_insn 0 total_states 5 peak_states 5 mark_read 0\n"
		"-- END PROG LOAD LOG --\n"
		"libbpf: failed to load BPF skeleton 'scx_qmap': -EACCES\n";
	struct ktstr_schedlog_info li;

	(void)state;
	ktstr_schedlog_analyze(log, strlen(log), &li);
	assert_string_equal(li.complaint, "R7 invalid mem access 'scalar'");
	assert_string_equal(li.insn, "97: (7b) *(u64 *)(r7 +16) = r1");
	assert_string_equal(li.src, "scx_qmap.bpf.c:324 `taskc->q_prev = NULL;`");
}

static void expect_err_matching(void **state)
{
	static const char log[] = "line one\nR7 invalid mem access 'scalar'\n";
	const char *where;

	(void)state;
	assert_true(ktstr_expect_err_matches("", "anything", NULL, 0, &where));
	assert_string_equal(where, "");
	assert_true(ktstr_expect_err_matches(NULL, "anything", NULL, 0, &where));
	assert_true(ktstr_expect_err_matches("verifier rejected", "the BPF verifier rejected it: x",
					     log, strlen(log), &where));
	assert_string_equal(where, "the failure message");
	assert_true(ktstr_expect_err_matches("R7 invalid mem", "exited", log, strlen(log), &where));
	assert_string_equal(where, "the scheduler log");
	assert_false(ktstr_expect_err_matches("R8 invalid", "exited", log, strlen(log), &where));
	/* the log is not NUL-terminated: only log_len bytes count */
	assert_false(ktstr_expect_err_matches("scalar", "exited", log, 20, &where));
}

static void schedlog_kfunc_mismatch(void **state)
{
	static const char log[] =
		"libbpf: extern (func ksym) 'scx_bpf_create_dsq': func_proto [755] incompatible with vmlinux [54769]\n"
		"libbpf: failed to load BPF skeleton 'bpf_bpf': -EINVAL\n";
	struct ktstr_schedlog_info li;

	(void)state;
	ktstr_schedlog_analyze(log, strlen(log), &li);
	assert_false(li.verifier);
	assert_non_null(strstr(li.kfunc_mismatch, "'scx_bpf_create_dsq': func_proto [755]"));
	ktstr_schedlog_analyze(NULL, 0, &li);
	assert_string_equal(li.last_line, "");
}

static void console_disable_and_splats(void **state)
{
	static const char con[] =
		"[    5.6] sched_ext: BPF scheduler \"ktstr\" enabled\n"
		"[   20.9] sched_ext: BPF scheduler \"ktstr\" disabled (runnable task stall)\n"
		"[   20.9] sched_ext: ktstr: init[105] failed to run for 6.696s\n"
		"[   21.0] \x1b[31mWARNING: CPU: 1 PID: 9 at kernel/sched/ext.c:100 f+0x1\n"
		"[   21.0] Call Trace:\n"
		"[   22.0] watchdog: BUG: soft lockup - CPU#0 stuck for 22s!\n";
	struct ktstr_console_info ci;

	(void)state;
	ktstr_console_analyze(con, strlen(con), &ci);
	assert_string_equal(ci.disabled, "runnable task stall");
	assert_string_equal(ci.stall, "ktstr: init[105] failed to run for 6.696s");
	/* the lockup falls inside the first splat's quoted context */
	assert_int_equal(ci.n_splats, 1);
	assert_int_equal(ci.n_splat_lines, 2);
	assert_string_equal(ci.splats[0].first,
			    "[   21.0] ?[31mWARNING: CPU: 1 PID: 9 at kernel/sched/ext.c:100 f+0x1");
	assert_non_null(strstr(ci.splats[0].text, "BUG: soft lockup"));

	ktstr_console_analyze("[ 1.0] Linux version 7.2\nktstr-agent: up\n", 34, &ci);
	assert_int_equal(ci.n_splats, 0);
	assert_string_equal(ci.disabled, "");
}

static void env_name(void **state)
{
	char buf[64];

	(void)state;
	ktstr_sched_env_name("scx_simple", buf, sizeof(buf));
	assert_string_equal(buf, "KTSTR_SCHEDULER_BIN_SCX_SIMPLE");
	ktstr_sched_env_name("my-sched.v2", buf, sizeof(buf));
	assert_string_equal(buf, "KTSTR_SCHEDULER_BIN_MY_SCHED_V2");
}

static void find_and_collect(void **state)
{
	struct ktstr_scenario s;
	struct ktstr_sched_files *f = calloc(1, sizeof(*f));
	struct ktstr_err err = { 0 };
	bool interp = false, libc = false;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.sched.kind = KTSTR_SCHED_NAME;
	snprintf(s.sched.value, sizeof(s.sched.value), "true");
	unsetenv("KTSTR_SCHEDULER");
	unsetenv("KTSTR_SCHEDULER_BIN_TRUE");
	setenv("PATH", "/nonexistent:/usr/bin:/bin", 1);
	assert_int_equal(ktstr_sched_find(&s, "/x/s.yaml", "/nonexistent/guest/ktstr-agent", f, &err), 0);
	assert_string_equal(f->found_by, "$PATH");
	assert_int_equal(ktstr_sched_collect(&s, f, &err), 0);
	assert_string_equal(f->guest[0], "ktstr/sched/true");
	assert_false(f->is_static);
	for (unsigned i = 1; i < f->n; i++) {
		interp |= strstr(f->guest[i], "ld-linux") != NULL;
		libc |= strstr(f->guest[i], "libc.so.6") != NULL;
		assert_true(f->guest[i][0] != '/');
	}
	assert_true(interp);
	assert_true(libc);

	setenv("KTSTR_SCHEDULER_BIN_TRUE", "/nonexistent/true", 1);
	assert_int_equal(ktstr_sched_find(&s, NULL, NULL, f, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "KTSTR_SCHEDULER_BIN_TRUE=/nonexistent/true is not an executable file"));
	unsetenv("KTSTR_SCHEDULER_BIN_TRUE");

	snprintf(s.sched.value, sizeof(s.sched.value), "scx_ktstr_nope");
	assert_int_equal(ktstr_sched_find(&s, NULL, "/nonexistent/guest/ktstr-agent", f, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "scheduler 'scx_ktstr_nope' not found. Set "
				       "KTSTR_SCHEDULER_BIN_SCX_KTSTR_NOPE or KTSTR_SCHEDULER"));

	s.sched.kind = KTSTR_SCHED_PATH;
	snprintf(s.sched.value, sizeof(s.sched.value), "no/such/sched");
	assert_int_equal(ktstr_sched_find(&s, "/tmp/s.yaml", NULL, f, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "scheduler path 'no/such/sched' is not an executable file"));
	free(f);
}

static void payload_find_and_collect(void **state)
{
	char dir[] = "/tmp/ktstr-payload-XXXXXX", yaml[128], script[160];
	struct ktstr_sched_files *f = calloc(1, sizeof(*f));
	struct ktstr_payload p;
	struct ktstr_scheduler_spec spec;
	struct ktstr_err err = { 0 };
	FILE *s;
	bool libc = false;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(yaml, sizeof(yaml), "%s/s.yaml", dir);
	snprintf(script, sizeof(script), "%s/load.sh", dir);
	s = fopen(script, "w");
	assert_non_null(s);
	fputs("#!/bin/sh\necho hi\n", s);
	fclose(s);
	assert_int_equal(chmod(script, 0755), 0);

	/* a script, relative to the scenario file: packed alone, its #! is the guest's */
	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "load");
	snprintf(p.path, sizeof(p.path), "load.sh");
	assert_int_equal(ktstr_payload_find(&p, yaml, f, &err), 0);
	assert_string_equal(f->label, "load");
	assert_string_equal(f->found_by, "payloads.path");
	assert_int_equal(ktstr_bin_collect("ktstr/payload/load", f, &err), 0);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->guest[0], "ktstr/payload/load");
	assert_true(f->is_static);

	/* an ELF payload brings its loader and libraries */
	snprintf(p.path, sizeof(p.path), "/bin/true");
	assert_int_equal(ktstr_payload_find(&p, yaml, f, &err), 0);
	assert_int_equal(ktstr_bin_collect("ktstr/payload/load", f, &err), 0);
	for (unsigned i = 1; i < f->n; i++)
		libc |= strstr(f->guest[i], "libc.so.6") != NULL;
	assert_true(libc);

	snprintf(p.path, sizeof(p.path), "nope");
	assert_int_equal(ktstr_payload_find(&p, yaml, f, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "payload 'load': path 'nope' is not an executable file "
				       "(looked at nope): no such file. Build it first, or fix the "
				       "payload's `path:`"));
	assert_int_equal(chmod(script, 0644), 0);
	snprintf(p.path, sizeof(p.path), "load.sh");
	assert_int_equal(ktstr_payload_find(&p, yaml, f, &err), -EACCES);
	assert_non_null(strstr(err.msg, ": not executable."));

	/* KTSTR_SCHEDULER stands for the scenario's scheduler only, not an op's */
	memset(&spec, 0, sizeof(spec));
	spec.kind = KTSTR_SCHED_NAME;
	snprintf(spec.value, sizeof(spec.value), "scx_ktstr_op_nope");
	unsetenv("KTSTR_SCHEDULER_BIN_SCX_KTSTR_OP_NOPE");
	setenv("KTSTR_SCHEDULER", "/bin/true", 1);
	assert_int_equal(ktstr_sched_find_spec(&spec, true, NULL, NULL, f, &err), 0);
	assert_string_equal(f->found_by, "KTSTR_SCHEDULER");
	assert_string_equal(f->label, "scx_ktstr_op_nope");
	assert_int_equal(ktstr_sched_find_spec(&spec, false, NULL, NULL, f, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "scheduler 'scx_ktstr_op_nope' not found."));
	unsetenv("KTSTR_SCHEDULER");
	unlink(script);
	rmdir(dir);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(collapse_loop_iterations),
		cmocka_unit_test(collapse_leaves_short_runs),
		cmocka_unit_test(schedlog_verifier),
		cmocka_unit_test(schedlog_verifier_where),
		cmocka_unit_test(expect_err_matching),
		cmocka_unit_test(schedlog_kfunc_mismatch),
		cmocka_unit_test(console_disable_and_splats),
		cmocka_unit_test(env_name),
		cmocka_unit_test(find_and_collect),
		cmocka_unit_test(payload_find_and_collect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
