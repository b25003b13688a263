// SPDX-License-Identifier: GPL-2.0-only
/*
 * run/wait/kill_payload ops (payload.h, docs/payloads.md).
 *
 * run_payload forks the payload as its own process group leader with
 * PDEATHSIG, blocked on a start pipe until the agent has written its PID
 * into the op's cgroup (the workers' two-phase start), then execs it:
 * a path payload as /ktstr/payload/<name> with the payload's args and the
 * op's, a command payload as `/bin/sh -c COMMAND NAME ARGS...`.  Its output
 * goes to a drainer process that keeps the tail in a shared ring.
 *
 * Every start and every end is a PAYLOAD frame (docs/protocol.md); the
 * host judges them: only a wait_payload that saw a non-zero exit, a
 * signal or its timeout fails the run.  A killed payload is no failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "ktstr/proto.h"

#include "agent.h"
#include "clock.h"

#define DRAINER_EXIT_MS 500u       /* after the payload's end: EOF should come at once */

static int payload_index(const struct ktstr_scenario *s, const char *name)
{
	for (unsigned i = 0; i < s->n_payloads && i < KTSTR_MAX_PAYLOADS; i++)
		if (!strcmp(s->payloads[i].name, name))
			return (int)i;
	return -1;
}

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

size_t agent_payload_tail(const struct agent_payload_ring *r, char *buf, size_t max)
{
	uint64_t total = __atomic_load_n(&r->total, __ATOMIC_ACQUIRE);
	size_t kept = total < AGENT_PAYLOAD_RING ? (size_t)total : AGENT_PAYLOAD_RING;
	size_t take = kept < max ? kept : max, o = 0, i = 0;
	unsigned char raw[AGENT_PAYLOAD_RING];
	uint64_t from = total - take;

	for (size_t k = 0; k < take; k++)
		raw[k] = (unsigned char)r->buf[(from + k) % AGENT_PAYLOAD_RING];
	/* cut: begin at a line start rather than mid-line (when a newline is near) */
	if (take < total) {
		const unsigned char *nl = memchr(raw, '\n', take);

		if (nl && (size_t)(nl - raw) < take / 2)
			i = (size_t)(nl - raw) + 1;
	}
	while (i < take) {
		size_t len = utf8_len(raw + i, take - i);

		if (len == 1 && ((raw[i] < 0x20 && raw[i] != '\n' && raw[i] != '\t') ||
				 raw[i] == 0x7f))
			len = 0;
		if (!len) {
			buf[o++] = '?';
			i++;
			continue;
		}
		memcpy(buf + o, raw + i, len);
		o += len;
		i += len;
	}
	buf[o] = '\0';
	return o;
}

static void send_frame(struct agent *a, json_t *o)
{
	if (agent_send(&a->ch, KTSTR_FRAME_PAYLOAD, o))
		fprintf(stderr, "ktstr-agent: PAYLOAD frame not sent\n");
}

static unsigned n_steps(const struct agent *a)
{
	return a->scenario.n_steps ? a->scenario.n_steps : 1;
}

/* Copy the drainer's view of the output, once it has seen EOF (or been made to stop). */
static void finish_drainer(struct agent_payload_run *run)
{
	uint64_t end = agent_mono_ns() + DRAINER_EXIT_MS * 1000000ull;

	while (run->drainer > 0) {
		pid_t r = waitpid(run->drainer, NULL, WNOHANG);

		if (r == run->drainer || (r < 0 && errno == ECHILD)) {
			run->drainer = 0;
			break;
		}
		if (agent_mono_ns() >= end) {
			/* an escaped grandchild still holds the pipe: stop listening */
			kill(run->drainer, SIGKILL);
			waitpid(run->drainer, NULL, 0);
			run->drainer = 0;
			break;
		}
		agent_sleep_ms(5);
	}
}

/*
 * The payload has ended (status from waitpid): kill what is left of its
 * process group, collect its output, send the PAYLOAD frame.  `event` is
 * "killed" or "timed_out" when the agent ended it, NULL to derive
 * "exited" / "signaled" from the status.
 */
static void report_end(struct agent *a, unsigned idx, int status, const char *event,
		       const char *by, unsigned step, uint64_t timeout_ms)
{
	struct agent_payload_run *run = &a->payloads.run[idx];
	const char *name = a->scenario.payloads[idx].name;
	uint64_t dur_ms = ((run->reaped ? run->end_ns : agent_mono_ns()) - run->start_ns) / 1000000ull;
	static char tail[AGENT_PAYLOAD_TAIL + 1];
	json_t *o;

	run->pid = 0;
	run->reaped = false;
	finish_drainer(run);
	tail[0] = '\0';
	if (a->payloads.ring)
		agent_payload_tail(&a->payloads.ring[idx], tail, AGENT_PAYLOAD_TAIL);
	if (!event)
		event = WIFSIGNALED(status) ? "signaled" : "exited";
	o = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "name", name, "event", event, "by", by,
		      "step", (json_int_t)step, "n_steps", (json_int_t)n_steps(a),
		      "t_ms", (json_int_t)agent_t_ms(a), "duration_ms", (json_int_t)dur_ms,
		      "output_bytes",
		      (json_int_t)(a->payloads.ring ? a->payloads.ring[idx].total : 0));
	if (o && !strcmp(event, "exited") && WIFEXITED(status))
		json_object_set_new(o, "exit_code", json_integer(WEXITSTATUS(status)));
	if (o && WIFSIGNALED(status))
		json_object_set_new(o, "signal", json_integer(WTERMSIG(status)));
	if (o && timeout_ms)
		json_object_set_new(o, "timeout_ms", json_integer((json_int_t)timeout_ms));
	if (o) {
		json_t *t = json_string(tail);

		json_object_set_new(o, "output", t ? t : json_string("(output not valid UTF-8)"));
	}
	fprintf(stderr, "ktstr-agent: payload '%s' %s (%s, %llu ms)\n", name, event, by,
		(unsigned long long)dur_ms);
	send_frame(a, o);
}

/* Whether it has ended (reaped now or by an earlier poll); *status then says how. */
static bool ended(struct agent_payload_run *run, int *status)
{
	if (!run->reaped && waitpid(run->pid, &run->status, WNOHANG) == run->pid) {
		run->reaped = true;
		run->end_ns = agent_mono_ns();
		/*
		 * Nothing of it outlives its end: background children die with
		 * it, now, while they still hold its group id (so it cannot
		 * have been reused).
		 */
		kill(-run->pid, SIGKILL);
	}
	*status = run->status;
	return run->reaped;
}

/* SIGKILL it and its group, reap it: the status says whether it had ended first. */
static int kill_and_reap(struct agent_payload_run *run)
{
	int status = 0;

	if (ended(run, &status))
		return status;
	kill(-run->pid, SIGKILL);
	kill(run->pid, SIGKILL);
	while (waitpid(run->pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

bool agent_payloads_poll(struct agent *a)
{
	bool running = false;
	int status;

	for (unsigned i = 0; i < KTSTR_MAX_PAYLOADS; i++)
		if (a->payloads.run[i].pid > 0)
			running |= !ended(&a->payloads.run[i], &status);
	return running;
}

static int map_rings(struct agent_payloads *p, struct ktstr_err *err)
{
	void *m;

	if (p->ring)
		return 0;
	m = mmap(NULL, sizeof(*p->ring) * KTSTR_MAX_PAYLOADS, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return ktstr_err_set(err, -errno, "payload output: mmap %zu bytes: %s",
				     sizeof(*p->ring) * KTSTR_MAX_PAYLOADS, strerror(errno));
	p->ring = m;
	return 0;
}

/* The drainer: read until EOF, keep the tail.  Never returns. */
static void __attribute__((noreturn)) drain(int fd, struct agent_payload_ring *r)
{
	char buf[4096];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		uint64_t total = r->total;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		for (ssize_t k = 0; k < n; k++)
			r->buf[(total + (uint64_t)k) % AGENT_PAYLOAD_RING] = buf[k];
		__atomic_store_n(&r->total, total + (uint64_t)n, __ATOMIC_RELEASE);
	}
}

/* The payload child: wait for the release, then exec.  Never returns. */
static void __attribute__((noreturn)) child(const char *path, char **argv, int out, int start)
{
	char *envp[] = { "PATH=" AGENT_PAYLOAD_DIR ":/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/tmp",
			 "TERM=dumb", NULL };
	ssize_t got;
	char c;
	int null;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	setpgid(0, 0);
	/* released (EOF) once the agent has placed it in its cgroup; a byte means "give up" */
	do
		got = read(start, &c, 1);
	while (got < 0 && errno == EINTR);
	if (got != 0)
		_exit(126);
	close(start);
	dup2(out, STDOUT_FILENO);
	dup2(out, STDERR_FILENO);
	null = open("/dev/null", O_RDONLY);
	if (null >= 0 && null != STDIN_FILENO) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	if (chdir("/tmp") && chdir("/"))
		_exit(126);
	execve(path, argv, envp);
	dprintf(STDERR_FILENO, "ktstr-agent: exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

static int run_payload(struct agent *a, const struct ktstr_op *op, unsigned idx, unsigned step,
		       struct ktstr_err *err)
{
	const struct ktstr_payload *p = &a->scenario.payloads[idx];
	struct agent_payload_run *run = &a->payloads.run[idx];
	char *argv[2 * KTSTR_MAX_PAYLOAD_ARGS + 6];
	char path[KTSTR_PATH_MAX];
	unsigned n = 0;
	int out[2], start[2], ret;
	pid_t pid;
	json_t *o;

	if (run->pid > 0)
		return ktstr_err_set(err, -EBUSY, "payload '%s': run_payload while it still runs "
				     "(pid %d)", p->name, (int)run->pid);
	ret = map_rings(&a->payloads, err);
	if (ret)
		return ret;
	if (p->path[0]) {
		snprintf(path, sizeof(path), "%s/%s", AGENT_PAYLOAD_DIR, p->name);
		if (access(path, X_OK))
			return ktstr_err_set(err, -errno,
					     "payload '%s': %s is not in the initramfs: %s (the host "
					     "puts it there; is this agent older than the runner?)",
					     p->name, path, strerror(errno));
		argv[n++] = (char *)p->name;
		for (unsigned i = 0; i < p->n_args && i < KTSTR_MAX_PAYLOAD_ARGS; i++)
			argv[n++] = (char *)p->args[i];
	} else {
		/* sh -c COMMAND NAME ARGS...: $0 is its name, the args are the command's "$@" */
		snprintf(path, sizeof(path), "/bin/sh");
		argv[n++] = "sh";
		argv[n++] = "-c";
		argv[n++] = (char *)p->command;
		argv[n++] = (char *)p->name;
		for (unsigned i = 0; i < p->n_args && i < KTSTR_MAX_PAYLOAD_ARGS; i++)
			argv[n++] = (char *)p->args[i];
	}
	for (unsigned i = 0; i < op->n_args && i < KTSTR_MAX_PAYLOAD_ARGS; i++)
		argv[n++] = (char *)op->args[i];
	argv[n] = NULL;

	memset(&a->payloads.ring[idx], 0, sizeof(a->payloads.ring[idx]));
	if (pipe2(out, O_CLOEXEC))
		return ktstr_err_set(err, -errno, "payload '%s': pipe for its output: %s", p->name,
				     strerror(errno));
	if (pipe2(start, O_CLOEXEC)) {
		ret = -errno;
		close(out[0]);
		close(out[1]);
		return ktstr_err_set(err, ret, "payload '%s': pipe for its start: %s", p->name,
				     strerror(-ret));
	}
	run->drainer = fork();
	if (run->drainer == 0) {
		close(out[1]);
		close(start[0]);
		close(start[1]);
		drain(out[0], &a->payloads.ring[idx]);
	}
	if (run->drainer < 0) {
		ret = -errno;
		run->drainer = 0;
		close(out[0]);
		close(out[1]);
		close(start[0]);
		close(start[1]);
		return ktstr_err_set(err, ret, "payload '%s': fork its output drainer: %s", p->name,
				     strerror(-ret));
	}
	close(out[0]);
	pid = fork();
	if (pid == 0) {
		close(start[1]);
		child(path, argv, out[1], start[0]);
	}
	ret = pid < 0 ? -errno : 0;
	close(out[1]);
	close(start[0]);
	if (ret) {
		close(start[1]);
		finish_drainer(run);
		return ktstr_err_set(err, ret, "payload '%s': fork: %s", p->name, strerror(-ret));
	}
	/* both sides, so neither races the other's setpgid */
	setpgid(pid, pid);
	run->pid = pid;
	run->reaped = false;
	run->status = 0;
	run->step = step;
	run->start_ns = agent_mono_ns();
	if (op->cgroup[0])
		ret = agent_cgroup_add_pid(&a->cg, op->cgroup, pid, err);
	if (ret) {
		/* not released: it must not run outside the cgroup asked for */
		if (write(start[1], "x", 1) < 0)
			kill(pid, SIGKILL);
		close(start[1]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		run->pid = 0;
		finish_drainer(run);
		return ret;
	}
	close(start[1]);   /* release it */
	o = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:s}", "name", p->name, "event", "started",
		      "by", "run_payload", "step", (json_int_t)step, "n_steps",
		      (json_int_t)n_steps(a), "t_ms", (json_int_t)agent_t_ms(a), "pid",
		      (json_int_t)pid, "cgroup", op->cgroup[0] ? op->cgroup : "/");
	fprintf(stderr, "ktstr-agent: payload '%s' started (pid %d, cgroup %s)\n", p->name,
		(int)pid, op->cgroup[0] ? op->cgroup : "/");
	send_frame(a, o);
	return 0;
}

/* Time the step has left of its hold, given what earlier waits in it used. */
static uint64_t hold_left_ms(const struct agent *a, unsigned step)
{
	const struct ktstr_scenario *s = &a->scenario;
	uint64_t hold, used = agent_payloads_waited_ms(a, step);

	if (!s->n_steps || step >= s->n_steps)
		return s->duration_ms;
	hold = ktstr_step_hold_ms(s, &s->steps[step]);
	return hold > used ? hold - used : 0;
}

uint64_t agent_payloads_waited_ms(const struct agent *a, unsigned step)
{
	return a->payloads.waited_step == step ? a->payloads.waited_ns / 1000000ull : 0;
}

static int wait_payload(struct agent *a, const struct ktstr_op *op, unsigned idx, unsigned step,
			struct ktstr_err *err)
{
	struct agent_payload_run *run = &a->payloads.run[idx];
	uint64_t timeout_ms = op->timeout_ms ? op->timeout_ms : hold_left_ms(a, step);
	uint64_t t0 = agent_mono_ns(), deadline = t0 + timeout_ms * 1000000ull;
	int status = 0, ret = 0;

	if (run->pid <= 0)
		return ktstr_err_set(err, -ESRCH, "payload '%s': wait_payload, but it is not running "
				     "(the loader should have refused this timeline)",
				     a->scenario.payloads[idx].name);
	for (;;) {
		uint64_t now = agent_mono_ns();

		if (ended(run, &status)) {
			report_end(a, idx, status, NULL, "wait_payload", step, 0);
			break;
		}
		if (now >= deadline) {
			status = kill_and_reap(run);
			report_end(a, idx, status, run->reaped ? NULL : "timed_out", "wait_payload",
				   step, run->reaped ? 0 : timeout_ms);
			break;
		}
		/* the workers run on: keep PROGRESS flowing and the scheduler watched */
		ret = agent_hold(a, (deadline - now) / 1000000ull < AGENT_PAYLOAD_POLL_MS ?
				 (deadline - now + 999999ull) / 1000000ull : AGENT_PAYLOAD_POLL_MS,
				 step, err);
		if (ret)
			break;      /* -ECANCELED: the scheduler is gone; the end kills it */
	}
	if (a->payloads.waited_step != step) {
		a->payloads.waited_step = step;
		a->payloads.waited_ns = 0;
	}
	a->payloads.waited_ns += agent_mono_ns() - t0;
	return ret;
}

static int kill_payload(struct agent *a, unsigned idx, unsigned step, struct ktstr_err *err)
{
	struct agent_payload_run *run = &a->payloads.run[idx];
	int status;

	if (run->pid <= 0)
		return ktstr_err_set(err, -ESRCH, "payload '%s': kill_payload, but it is not running "
				     "(the loader should have refused this timeline)",
				     a->scenario.payloads[idx].name);
	status = kill_and_reap(run);
	/* it may have ended by itself already: say so rather than "killed" */
	report_end(a, idx, status, run->reaped ? NULL : "killed", "kill_payload", step, 0);
	return 0;
}

int agent_payload_op(struct agent *a, const struct ktstr_op *op, unsigned step,
		     struct ktstr_err *err)
{
	int idx = payload_index(&a->scenario, op->payload);

	if (idx < 0)
		return ktstr_err_set(err, -ENOENT, "payload '%s': %s names a payload the scenario "
				     "does not declare", op->payload, ktstr_op_kind_name(op->kind));
	switch (op->kind) {
	case KTSTR_OP_RUN_PAYLOAD:
		return run_payload(a, op, (unsigned)idx, step, err);
	case KTSTR_OP_WAIT_PAYLOAD:
		return wait_payload(a, op, (unsigned)idx, step, err);
	case KTSTR_OP_KILL_PAYLOAD:
		return kill_payload(a, (unsigned)idx, step, err);
	default:
		break;
	}
	return ktstr_err_set(err, -EINVAL, "payload '%s': %s is not a payload op", op->payload,
			     ktstr_op_kind_name(op->kind));
}

void agent_payloads_end(struct agent *a)
{
	for (unsigned i = 0; i < KTSTR_MAX_PAYLOADS; i++) {
		struct agent_payload_run *run = &a->payloads.run[i];
		int status;

		if (run->pid <= 0) {
			if (run->drainer > 0)
				finish_drainer(run);
			continue;
		}
		status = kill_and_reap(run);
		report_end(a, i, status, run->reaped ? NULL : "killed", "end", a->steps_done, 0);
	}
}
