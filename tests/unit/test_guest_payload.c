// SPDX-License-Identifier: GPL-2.0-only
/*
 * The agent's payload ops, for real, on the host: command payloads run
 * under /bin/sh, their PAYLOAD frames go to a file and are read back by the
 * host's own decoder (results.c), so what is checked is what the runner
 * would see.  A chatty payload finishes although nobody drains it; a
 * timeout and a kill take the payload's background children with them.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ktstr/proto.h"
#include "ktstr/results.h"

#include "agent.h"
#include "clock.h"
#include "fileio.h"

static struct agent agent;

/* run.c's, reduced to what payload.c needs: time passes, payloads are looked at. */
int agent_hold(struct agent *a, uint64_t ms, unsigned step, struct ktstr_err *err)
{
	(void)step;
	(void)err;
	agent_sleep_ms((unsigned)ms);
	agent_payloads_poll(a);
	return 0;
}

uint64_t agent_t_ms(const struct agent *a)
{
	return (agent_mono_ns() - a->t0_ns) / 1000000ull;
}

static char frames_path[64];

static struct agent *setup(void)
{
	struct agent *a = &agent;
	struct ktstr_scenario *s;

	if (a->payloads.ring)
		munmap(a->payloads.ring, sizeof(*a->payloads.ring) * KTSTR_MAX_PAYLOADS);
	memset(a, 0, sizeof(*a));
	s = &a->scenario;
	s->duration_ms = 2000;
	s->n_steps = 2;
	s->steps[0].hold_ms = 1000;
	s->steps[1].hold_ms = 1000;
	snprintf(frames_path, sizeof(frames_path), "/tmp/ktstr-payload-frames-XXXXXX");
	a->ch.fd = mkstemp(frames_path);
	assert_true(a->ch.fd >= 0);
	a->t0_ns = agent_mono_ns();
	a->sched.log_fd = -1;
	return a;
}

static void add_payload(struct agent *a, const char *name, const char *command)
{
	struct ktstr_payload *p = &a->scenario.payloads[a->scenario.n_payloads++];

	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->command, sizeof(p->command), "%s", command);
}

static int op(struct agent *a, enum ktstr_op_kind kind, const char *name, unsigned step,
	      uint64_t timeout_ms, const char *arg)
{
	struct ktstr_op o;
	struct ktstr_err err = { 0 };
	int ret;

	memset(&o, 0, sizeof(o));
	o.kind = kind;
	snprintf(o.payload, sizeof(o.payload), "%s", name);
	o.timeout_ms = timeout_ms;
	if (arg) {
		snprintf(o.args[0], sizeof(o.args[0]), "%s", arg);
		o.n_args = 1;
	}
	ret = agent_payload_op(a, &o, step, &err);
	if (ret)
		print_message("%s\n", err.msg);
	return ret;
}

/* Decode every frame the agent wrote, as the host would. */
static struct ktstr_run_result *results(struct agent *a)
{
	static struct ktstr_run_result r;
	struct ktstr_frame_parser p;
	struct ktstr_frame f;
	char buf[1 << 16];
	ssize_t n;
	int fd = open(frames_path, O_RDONLY);

	assert_true(fd >= 0);
	ktstr_results_init(&r);
	ktstr_frame_parser_init(&p);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		assert_int_equal(ktstr_frame_parser_feed(&p, buf, (size_t)n), 0);
	close(fd);
	ktstr_frame_parser_eof(&p);
	while (ktstr_frame_parser_next(&p, &f) == 1) {
		assert_int_equal(f.type, KTSTR_FRAME_PAYLOAD);
		assert_int_equal(ktstr_results_apply_frame(&r, &f, 0), 0);
	}
	assert_int_equal(p.frames_bad, 0);
	ktstr_frame_parser_free(&p);
	close(a->ch.fd);
	unlink(frames_path);
	return &r;
}

static void run_and_wait(void **state)
{
	struct agent *a = setup();
	struct ktstr_run_result *r;

	(void)state;
	add_payload(a, "count", "for i in 1 2; do echo \"tick $i $0:$1\"; done");
	add_payload(a, "three", "echo bye >&2; exit 3");
	add_payload(a, "segv", "kill -SEGV $$");
	assert_int_equal(op(a, KTSTR_OP_RUN_PAYLOAD, "count", 0, 0, "hello"), 0);
	assert_int_equal(op(a, KTSTR_OP_RUN_PAYLOAD, "three", 0, 0, NULL), 0);
	assert_int_equal(op(a, KTSTR_OP_RUN_PAYLOAD, "segv", 0, 0, NULL), 0);
	assert_int_equal(op(a, KTSTR_OP_WAIT_PAYLOAD, "count", 1, 5000, NULL), 0);
	assert_int_equal(op(a, KTSTR_OP_WAIT_PAYLOAD, "three", 1, 5000, NULL), 0);
	assert_int_equal(op(a, KTSTR_OP_WAIT_PAYLOAD, "segv", 1, 5000, NULL), 0);
	/* the waits took part of step 2's hold */
	assert_true(agent_payloads_waited_ms(a, 1) < 5000);
	assert_int_equal(agent_payloads_waited_ms(a, 0), 0);
	r = results(a);
	assert_int_equal(r->n_payloads, 3);
	assert_true(r->payloads[0].started);
	assert_string_equal(r->payloads[0].cgroup, "/");
	assert_string_equal(r->payloads[0].event, "exited");
	assert_int_equal(r->payloads[0].exit_code, 0);
	/* $0 is the payload's name, the op's args follow */
	assert_string_equal(r->payloads[0].output, "tick 1 count:hello\ntick 2 count:hello\n");
	assert_false(ktstr_payload_failed(&r->payloads[0]));
	assert_int_equal(r->payloads[1].exit_code, 3);
	assert_string_equal(r->payloads[1].output, "bye\n");
	assert_true(ktstr_payload_failed(&r->payloads[1]));
	assert_string_equal(r->payloads[2].event, "signaled");
	assert_int_equal(r->payloads[2].signal, SIGSEGV);
	assert_true(ktstr_payload_failed(&r->payloads[2]));
}

static void chatty_never_blocks(void **state)
{
	struct agent *a = setup();
	struct ktstr_run_result *r;
	uint64_t t0;

	(void)state;
	/* 8 MiB on stdout, far beyond a pipe's 64 KiB, and nobody calls the agent meanwhile */
	add_payload(a, "chatty", "head -c 8388608 /dev/zero | tr '\\0' y; echo; echo done");
	assert_int_equal(op(a, KTSTR_OP_RUN_PAYLOAD, "chatty", 0, 0, NULL), 0);
	t0 = agent_mono_ns();
	while (agent_payloads_poll(a) && agent_mono_ns() - t0 < 20000000000ull)
		agent_sleep_ms(20);
	assert_false(agent_payloads_poll(a));     /* it finished on its own */
	assert_int_equal(op(a, KTSTR_OP_WAIT_PAYLOAD, "chatty", 0, 1000, NULL), 0);
	r = results(a);
	assert_int_equal(r->payloads[0].exit_code, 0);
	assert_true(r->payloads[0].output_bytes == 8388608 + 6);
	/* the tail only: the last AGENT_PAYLOAD_TAIL bytes */
	assert_int_equal(strlen(r->payloads[0].output), AGENT_PAYLOAD_TAIL);
	assert_int_equal(strspn(r->payloads[0].output, "y"), AGENT_PAYLOAD_TAIL - 6);
	assert_string_equal(r->payloads[0].output + AGENT_PAYLOAD_TAIL - 6, "\ndone\n");
}

static void timeout_and_kill(void **state)
{
	struct agent *a = setup();
	struct ktstr_run_result *r;
	char pidfile[] = "/tmp/ktstr-payload-bg-XXXXXX", cmd[256], buf[32], proc[64], st[512];
	int fd = mkstemp(pidfile);
	uint64_t t0;
	pid_t bg;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "sleep 1000 & echo $! > %s; echo waiting; wait", pidfile);
	add_payload(a, "slow", "echo slow; sleep 30");
	add_payload(a, "bg", cmd);
	add_payload(a, "left", "sleep 30");
	assert_int_equal(op(a, KTSTR_OP_RUN_PAYLOAD, "slow", 0, 0, NULL), 0);
	assert_int_equal(op(a, KTSTR_OP_RUN_PAYLOAD, "bg", 0, 0, NULL), 0);
	assert_int_equal(op(a, KTSTR_OP_RUN_PAYLOAD, "left", 0, 0, NULL), 0);
	t0 = agent_mono_ns();
	assert_int_equal(op(a, KTSTR_OP_WAIT_PAYLOAD, "slow", 1, 300, NULL), 0);
	assert_true(agent_mono_ns() - t0 < 3000000000ull);
	/* the background child wrote its pid; kill_payload takes it down too */
	for (int i = 0; i < 200; i++) {
		if (agent_read_file(pidfile, buf, sizeof(buf)) > 0)
			break;
		agent_sleep_ms(10);
	}
	bg = (pid_t)atoi(buf);
	assert_true(bg > 0);
	assert_int_equal(op(a, KTSTR_OP_KILL_PAYLOAD, "bg", 1, 0, NULL), 0);
	snprintf(proc, sizeof(proc), "/proc/%d/stat", (int)bg);
	for (int i = 0; i < 200; i++) {
		/* gone, or a zombie waiting for whoever adopted it */
		if (agent_read_file(proc, st, sizeof(st)) < 0 || strstr(st, ") Z "))
			break;
		agent_sleep_ms(10);
	}
	assert_true(agent_read_file(proc, st, sizeof(st)) < 0 || strstr(st, ") Z ") != NULL);
	/* the end of the scenario kills what is left, and is idempotent */
	a->steps_done = 2;
	agent_payloads_end(a);
	agent_payloads_end(a);
	r = results(a);
	assert_int_equal(r->n_payloads, 3);
	assert_string_equal(r->payloads[0].event, "timed_out");
	assert_true(r->payloads[0].timeout_ms == 300);
	assert_string_equal(r->payloads[0].output, "slow\n");
	assert_true(ktstr_payload_failed(&r->payloads[0]));
	assert_string_equal(r->payloads[1].event, "killed");
	assert_string_equal(r->payloads[1].by, "kill_payload");
	assert_false(ktstr_payload_failed(&r->payloads[1]));
	assert_string_equal(r->payloads[2].event, "killed");
	assert_string_equal(r->payloads[2].by, "end");
	assert_int_equal(r->payloads[2].step, 2);
	unlink(pidfile);
}

static void tail_is_text(void **state)
{
	static struct agent_payload_ring ring;
	char buf[AGENT_PAYLOAD_TAIL + 1];
	const char *in = "caf\xc3\xa9 \x1b[31mred\xff\n";

	(void)state;
	memcpy(ring.buf, in, strlen(in));
	ring.total = strlen(in);
	agent_payload_tail(&ring, buf, AGENT_PAYLOAD_TAIL);
	/* valid UTF-8 stays, escapes and stray bytes become '?' */
	assert_string_equal(buf, "caf\xc3\xa9 ?[31mred?\n");
	/* wrapped ring: the newest 64 bytes, from the line start near their beginning */
	memset(ring.buf, 'a', sizeof(ring.buf));
	ring.total = 3ull * AGENT_PAYLOAD_RING + 10;
	memcpy(ring.buf + (ring.total - 59) % AGENT_PAYLOAD_RING, "x\nlast line\n", 12);
	assert_int_equal(agent_payload_tail(&ring, buf, 64), 10 + 47);
	assert_memory_equal(buf, "last line\n", 10);
	assert_int_equal(strspn(buf + 10, "a"), 47);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_and_wait),
		cmocka_unit_test(chatty_never_blocks),
		cmocka_unit_test(timeout_and_kill),
		cmocka_unit_test(tail_is_text),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
