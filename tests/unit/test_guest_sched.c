// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's scheduler pieces that need no VM: the kmsg reason, sysctls, and
 * the verdict exchange with its SysRq-D dump (fake sysfs/procfs/tracefs, a
 * socketpair for the port, a child process for the scheduler).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "ktstr/proto.h"

#include "fileio.h"
#include "sched_guest.h"
#include "test_guest_tree.h"

static void kmsg_reason(void **state)
{
	char buf[256];

	(void)state;
	agent_sched_kmsg_reason("sched_ext: BPF scheduler \"ktstr\" enabled\n"
				"sched_ext: BPF scheduler \"ktstr\" disabled (runnable task stall)\n"
				"sched_ext: ktstr: init[105] failed to run for 6.696s\n",
				buf, sizeof(buf));
	assert_string_equal(buf, "runnable task stall; ktstr: init[105] failed to run for 6.696s");
	agent_sched_kmsg_reason("sched_ext: BPF scheduler \"a\" disabled (scx_bpf_error)\n"
				"sched_ext: BPF scheduler \"b\" disabled (unregistered from user space)\n",
				buf, sizeof(buf));
	assert_string_equal(buf, "unregistered from user space");
	agent_sched_kmsg_reason("nothing here\n", buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static void sysctls(void **state)
{
	char dir[] = "/tmp/ktstr-sysctl-XXXXXX", path[256], val[64];
	struct ktstr_scenario s;
	struct ktstr_err err = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sys", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel/foo_ms", dir);
	close(creat(path, 0644));
	memset(&s, 0, sizeof(s));
	s.n_sysctls = 1;
	snprintf(s.sysctls[0], sizeof(s.sysctls[0]), "kernel.foo_ms=10");
	assert_int_equal(agent_sysctls_apply(&s, dir, &err), 0);
	assert_true(agent_read_file(path, val, sizeof(val)) >= 0);
	assert_string_equal(val, "10");
	snprintf(s.sysctls[0], sizeof(s.sysctls[0]), "kernel.bar=1");
	assert_int_equal(agent_sysctls_apply(&s, dir, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "sysctl 'kernel.bar=1': write "));
	unlink(path);
	snprintf(path, sizeof(path), "%s/sys/kernel", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sys", dir);
	rmdir(path);
	rmdir(dir);
}

/* A fake guest: sysfs says enabled, a trace buffer with a dump in it, a sysrq-trigger. */
struct fake_guest {
	char *root;
	char sysfs[512], tracefs[512], procfs[512], log[512], sysrq[512], trace[512];
	int sv[2];                 /* sv[0]: the agent's port, sv[1]: the host */
	int log_fd;
	pid_t child;
	struct agent_sched sc;
	struct agent_channel ch;
};

static void fake_guest_init(struct fake_guest *g, bool with_sysrq)
{
	memset(g, 0, sizeof(*g));
	g->root = tree_new();
	tree_file(g->root, "enabled", "sys/kernel/sched_ext/state");
	tree_file(g->root, "ktstr", "sys/kernel/sched_ext/root/ops");
	tree_file(g->root, "# tracer: nop\n"
		  "   init-1 [001] d..1. 9.829318: sched_ext_dump: ktstr: root\n"
		  "   init-1 [001] d..1. 9.829929: sched_ext_dump: Debug dump triggered by SysRq-D\n"
		  "   init-1 [001] d..1. 9.830000: something_else: x",
		  "tracing/trace");
	if (with_sysrq)
		tree_file(g->root, "", "proc/sysrq-trigger");
	else
		tree_dir(g->root, "proc");
	snprintf(g->sysfs, sizeof(g->sysfs), "%s/sys", g->root);
	snprintf(g->tracefs, sizeof(g->tracefs), "%s/tracing", g->root);
	snprintf(g->procfs, sizeof(g->procfs), "%s/proc", g->root);
	snprintf(g->sysrq, sizeof(g->sysrq), "%s/proc/sysrq-trigger", g->root);
	snprintf(g->trace, sizeof(g->trace), "%s/tracing/trace", g->root);
	snprintf(g->log, sizeof(g->log), "%s/schedlog", g->root);
	g->log_fd = open(g->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(g->log_fd >= 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, g->sv), 0);
	g->child = fork();
	assert_true(g->child >= 0);
	if (!g->child) {
		/* the "scheduler": alive until killed, and never past a test that failed early */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(0);
		pause();
		_exit(0);
	}
	g->ch.fd = g->sv[0];
	g->sc = (struct agent_sched){
		.active = true, .attached = true, .pid = g->child, .log_fd = g->log_fd,
		.sysfs = g->sysfs, .tracefs = g->tracefs, .procfs = g->procfs,
		.verdict_wait_ms = 3000,
	};
	snprintf(g->sc.label, sizeof(g->sc.label), "scx_ktstr");
}

static void fake_guest_free(struct fake_guest *g)
{
	kill(g->child, SIGKILL);
	waitpid(g->child, NULL, 0);
	close(g->log_fd);
	close(g->sv[0]);
	close(g->sv[1]);
	tree_free(g->root);
}

/* What the agent sent on its port, as frames: types into types[], payloads kept in out. */
static unsigned agent_frames(struct fake_guest *g, unsigned *types, json_t **objs, unsigned max)
{
	struct ktstr_frame_parser p;
	struct ktstr_frame f;
	char buf[8192];
	ssize_t n;
	unsigned k = 0;

	fcntl(g->sv[1], F_SETFL, O_NONBLOCK);
	ktstr_frame_parser_init(&p);
	while ((n = read(g->sv[1], buf, sizeof(buf))) > 0)
		ktstr_frame_parser_feed(&p, buf, (size_t)n);
	while (k < max && ktstr_frame_parser_next(&p, &f) == 1) {
		types[k] = f.type;
		objs[k++] = json_loads(f.payload, 0, NULL);
	}
	ktstr_frame_parser_free(&p);
	return k;
}

static void host_says(struct fake_guest *g, const char *json)
{
	char buf[256];
	long n = ktstr_frame_encode(KTSTR_FRAME_VERDICT, json, strlen(json), buf, sizeof(buf));

	assert_true(n > 0);
	assert_int_equal(write(g->sv[1], buf, (size_t)n), n);
}

static void read_back(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
}

static const struct agent_sched_where at_end = { .phase = "end", .t_ms = 3137, .step = 1,
						  .n_steps = 1 };

/* A check failed: ask, get "dump", write 'D', ship the dump lines once, say so. */
static void verdict_dump(void **state)
{
	struct fake_guest g;
	unsigned types[8];
	json_t *objs[8];
	char buf[4096];
	unsigned n;

	(void)state;
	fake_guest_init(&g, true);
	/* the answer is already waiting: the agent must still ask first */
	host_says(&g, "{\"dump\":true,\"failed\":[\"max_gap\",\"spread\"]}");
	agent_sched_verdict(&g.sc, &g.ch, &at_end, 4);
	assert_true(g.sc.dumped);
	read_back(g.sysrq, buf, sizeof(buf));
	assert_string_equal(buf, "D");
	read_back(g.log, buf, sizeof(buf));
	assert_string_equal(buf,
		"   init-1 [001] d..1. 9.829318: sched_ext_dump: ktstr: root\n"
		"   init-1 [001] d..1. 9.829929: sched_ext_dump: Debug dump triggered by SysRq-D\n");
	/* the trace buffer is emptied: a later ship cannot send the dump twice */
	read_back(g.trace, buf, sizeof(buf));
	assert_string_equal(buf, "");
	n = agent_frames(&g, types, objs, 8);
	assert_int_equal(n, 2);
	assert_int_equal(types[0], KTSTR_FRAME_VERDICT_REQUEST);
	assert_int_equal(json_integer_value(json_object_get(objs[0], "workers")), 4);
	assert_int_equal(json_integer_value(json_object_get(objs[0], "t_ms")), 3137);
	assert_int_equal(json_integer_value(json_object_get(objs[0], "wait_ms")), 3000);
	assert_int_equal(types[1], KTSTR_FRAME_LOG);
	assert_string_equal(json_string_value(json_object_get(objs[1], "msg")),
			    "check max_gap, spread failed: scheduler 'scx_ktstr' dumped with SysRq-D");
	for (unsigned i = 0; i < n; i++)
		json_decref(objs[i]);
	/* the scheduler is still running: stopping it is agent_sched_stop's job */
	assert_int_equal(g.sc.pid, g.child);
	fake_guest_free(&g);
}

/* Every check passed: no dump, nothing written, nothing logged. */
static void verdict_pass(void **state)
{
	struct fake_guest g;
	unsigned types[8];
	json_t *objs[8];
	char buf[256];

	(void)state;
	fake_guest_init(&g, true);
	host_says(&g, "{\"dump\":false,\"failed\":[]}");
	agent_sched_verdict(&g.sc, &g.ch, &at_end, 2);
	assert_false(g.sc.dumped);
	read_back(g.sysrq, buf, sizeof(buf));
	assert_string_equal(buf, "\n");              /* as created: untouched */
	read_back(g.log, buf, sizeof(buf));
	assert_string_equal(buf, "");
	assert_int_equal(agent_frames(&g, types, objs, 8), 1);
	assert_int_equal(types[0], KTSTR_FRAME_VERDICT_REQUEST);
	json_decref(objs[0]);
	fake_guest_free(&g);
}

/* No answer: the wait ends at its bound, with a warning, and no dump. */
static void verdict_timeout(void **state)
{
	struct fake_guest g;
	unsigned types[8];
	json_t *objs[8];
	struct timespec a, b;
	double ms;

	(void)state;
	fake_guest_init(&g, true);
	g.sc.verdict_wait_ms = 200;
	clock_gettime(CLOCK_MONOTONIC, &a);
	agent_sched_verdict(&g.sc, &g.ch, &at_end, 2);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	assert_true(ms >= 200 && ms < 2000);
	assert_false(g.sc.dumped);
	assert_int_equal(agent_frames(&g, types, objs, 8), 2);
	assert_int_equal(types[1], KTSTR_FRAME_LOG);
	assert_string_equal(json_string_value(json_object_get(objs[1], "level")), "warn");
	assert_non_null(strstr(json_string_value(json_object_get(objs[1], "msg")),
			       "no verdict from the host within 200 ms"));
	json_decref(objs[0]);
	json_decref(objs[1]);
	fake_guest_free(&g);
}

/* No sysrq-trigger (no CONFIG_MAGIC_SYSRQ): a warning, no dump, the run goes on. */
static void verdict_no_sysrq(void **state)
{
	struct fake_guest g;
	unsigned types[8];
	json_t *objs[8];

	(void)state;
	fake_guest_init(&g, false);
	host_says(&g, "{\"dump\":true,\"failed\":[\"max_gap\"]}");
	agent_sched_verdict(&g.sc, &g.ch, &at_end, 2);
	assert_false(g.sc.dumped);
	assert_int_equal(agent_frames(&g, types, objs, 8), 2);
	assert_non_null(strstr(json_string_value(json_object_get(objs[1], "msg")),
			       "cannot trigger the sched_ext dump: write 'D' to "));
	json_decref(objs[0]);
	json_decref(objs[1]);
	fake_guest_free(&g);
}

/* eevdf, a scheduler that never attached or is already gone: nothing is asked. */
static void verdict_not_asked(void **state)
{
	struct fake_guest g;
	unsigned types[8];
	json_t *objs[8];

	(void)state;
	fake_guest_init(&g, true);
	g.sc.attached = false;
	agent_sched_verdict(&g.sc, &g.ch, &at_end, 2);
	g.sc.attached = true;
	g.sc.gone = true;
	agent_sched_verdict(&g.sc, &g.ch, &at_end, 2);
	g.sc.gone = false;
	g.sc.active = false;
	agent_sched_verdict(&g.sc, &g.ch, &at_end, 2);
	assert_int_equal(agent_frames(&g, types, objs, 8), 0);
	/* disabled by the kernel just before: reported as such, still no question */
	g.sc.active = true;
	tree_file(g.root, "disabled", "sys/kernel/sched_ext/state");
	agent_sched_verdict(&g.sc, &g.ch, &at_end, 2);
	assert_true(g.sc.gone);
	assert_true(agent_frames(&g, types, objs, 8) >= 1);
	assert_int_equal(types[0], KTSTR_FRAME_SCHED);
	json_decref(objs[0]);
	fake_guest_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kmsg_reason),
		cmocka_unit_test(sysctls),
		cmocka_unit_test(verdict_dump),
		cmocka_unit_test(verdict_pass),
		cmocka_unit_test(verdict_timeout),
		cmocka_unit_test(verdict_no_sysrq),
		cmocka_unit_test(verdict_not_asked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
