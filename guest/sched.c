// SPDX-License-Identifier: GPL-2.0-only
/* The sched_ext scheduler under test: sysctls, launch, attach, watch, stop. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktstr/proto.h"

#include "clock.h"
#include "fileio.h"
#include "report.h"
#include "sched_guest.h"

#define AGENT_PORT_SCHEDLOG_WAIT_MS 2000u
#define ATTACH_LOG_PERIOD_MS        5000u

int agent_sysctls_apply(const struct ktstr_scenario *s, const char *procfs,
			struct ktstr_err *err)
{
	for (unsigned i = 0; i < s->n_sysctls; i++) {
		char key[KTSTR_STRLIST_ITEM], path[KTSTR_STRLIST_ITEM + 32];
		const char *eq = strchr(s->sysctls[i], '=');
		int ret;

		if (!eq)
			return ktstr_err_set(err, -EINVAL, "sysctl '%s' has no '='", s->sysctls[i]);
		snprintf(key, sizeof(key), "%.*s", (int)(eq - s->sysctls[i]), s->sysctls[i]);
		for (char *c = key; *c; c++)
			if (*c == '.')
				*c = '/';
		snprintf(path, sizeof(path), "%s/sys/%s", procfs, key);
		ret = agent_write_file(path, eq + 1);
		if (ret)
			return ktstr_err_set(err, ret, "sysctl '%s': write %s: %s", s->sysctls[i], path,
					     strerror(-ret));
	}
	return 0;
}

static uint64_t since_launch_ms(const struct agent_sched *sc)
{
	return sc->launch_ns ? (agent_mono_ns() - sc->launch_ns) / 1000000ull : 0;
}

/*
 * One SCHED frame; a send failure is only logged: the verdict then lacks it.
 * `by` names the op that stopped it ("stopped" only).
 */
static void send_event_by(struct agent_sched *sc, struct agent_channel *ch, const char *event,
			  const struct agent_sched_where *w, int status, const char *state,
			  const char *reason, const char *by)
{
	json_t *o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "event", event, "phase", w->phase,
			      "t_ms", (json_int_t)w->t_ms, "since_launch_ms",
			      (json_int_t)since_launch_ms(sc), "step", (json_int_t)w->step,
			      "n_steps", (json_int_t)w->n_steps);
	int ret;

	if (o && sc->pid > 0)
		json_object_set_new(o, "pid", json_integer(sc->pid));
	if (o && status >= 0 && WIFEXITED(status))
		json_object_set_new(o, "exit_code", json_integer(WEXITSTATUS(status)));
	if (o && status >= 0 && WIFSIGNALED(status))
		json_object_set_new(o, "signal", json_integer(WTERMSIG(status)));
	if (o && state && *state)
		json_object_set_new(o, "state", json_string(state));
	if (o && sc->ops[0])
		json_object_set_new(o, "ops", json_string(sc->ops));
	if (o && reason && *reason)
		json_object_set_new(o, "reason", json_string(reason));
	/* which instance: scheduler ops start more than one */
	if (o && sc->launches) {
		json_object_set_new(o, "instance", json_integer(sc->launches - 1));
		json_object_set_new(o, "scheduler", json_string(sc->label));
		json_object_set_new(o, "op", json_string(sc->origin));
		if (sc->origin_step >= 0)
			json_object_set_new(o, "op_step", json_integer(sc->origin_step));
	}
	if (o && by && *by)
		json_object_set_new(o, "by", json_string(by));
	if (o && !strcmp(event, "not_attached") && sc->spec)
		json_object_set_new(o, "attach_timeout_ms",
				    json_integer((json_int_t)sc->spec->attach_timeout_ms));
	ret = agent_send(ch, KTSTR_FRAME_SCHED, o);
	fprintf(stderr, "ktstr-agent: scheduler %s (%s, %llu ms after launch)%s\n", event, w->phase,
		(unsigned long long)since_launch_ms(sc), ret ? " [frame not sent]" : "");
}

static void send_event(struct agent_sched *sc, struct agent_channel *ch, const char *event,
		       const struct agent_sched_where *w, int status, const char *state,
		       const char *reason)
{
	send_event_by(sc, ch, event, w, status, state, reason, NULL);
}

static void read_state(const struct agent_sched *sc, char *state, size_t slen, char *ops,
		       size_t olen)
{
	if (agent_read_filef(state, slen, "%s/kernel/sched_ext/state", sc->sysfs) < 0)
		snprintf(state, slen, "absent");
	if (agent_read_filef(ops, olen, "%s/kernel/sched_ext/root/ops", sc->sysfs) < 0)
		ops[0] = '\0';
}

void agent_sched_kmsg_reason(const char *text, char *buf, size_t len)
{
	const char *p = text, *last = NULL, *q, *nl;

	buf[0] = '\0';
	while ((q = strstr(p, "sched_ext: BPF scheduler \""))) {
		nl = strchr(q, '\n');
		if (strstr(q, "\" disabled (") && (!nl || strstr(q, "\" disabled (") < nl))
			last = q;
		p = q + 1;
	}
	if (!last)
		return;
	q = strstr(last, "\" disabled (") + strlen("\" disabled (");
	nl = strchr(q, '\n');
	{
		size_t n = nl ? (size_t)(nl - q) : strlen(q);

		if (n && q[n - 1] == ')')
			n--;
		snprintf(buf, len, "%.*s", (int)n, q);
	}
	/* The stall detail follows on its own line: "sched_ext: NAME: comm[pid] failed to run for 7.4s" */
	if (nl) {
		const char *f = strstr(nl, "failed to run for");

		if (f) {
			const char *ls = f, *le = strchr(f, '\n');
			size_t used = strlen(buf);

			while (ls > nl && ls[-1] != '\n' && ls[-1] != ';')
				ls--;
			if (!strncmp(ls, "sched_ext: ", 11))
				ls += 11;
			snprintf(buf + used, len - used, "; %.*s", (int)(le ? le - ls : (long)strlen(ls)),
				 ls);
		}
	}
}

/* Whatever /dev/kmsg holds, message texts only, one per line. */
static void kmsg_reason(char *buf, size_t len)
{
	size_t cap = 256 * 1024, used = 0;
	char *text = malloc(cap), rec[8192];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0 || !text) {
		if (fd >= 0)
			close(fd);
		free(text);
		return;
	}
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		char *msg, *end;

		if (n <= 0)
			continue;      /* EPIPE: records were overwritten; go on */
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		end = strchr(msg, '\n');
		if (end)
			*end = '\0';
		if (used + strlen(msg) + 2 > cap)
			used = 0;      /* keep the newest */
		used += (size_t)snprintf(text + used, cap - used, "%s\n", msg);
	}
	close(fd);
	text[used] = '\0';
	agent_sched_kmsg_reason(text, buf, len);
	free(text);
}

/*
 * The kernel's debug dump goes through the sched_ext_dump tracepoint;
 * ship every line of it to the log port, where the host sorts them into
 * `--- sched_ext dump ---` (they carry the tracepoint's name).
 */
static void ship_trace(struct agent_sched *sc)
{
	char path[256], line[4096];
	FILE *f;

	if (sc->log_fd < 0)
		return;
	snprintf(path, sizeof(path), "%s/trace", sc->tracefs);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "sched_ext_dump"))
			agent_write_full(sc->log_fd, line, strlen(line));
	fclose(f);
}

static void enable_dump_tracepoint(struct agent_sched *sc, struct agent_channel *ch)
{
	char path[256];
	int ret;

	snprintf(path, sizeof(path), "%s/events/sched_ext/sched_ext_dump/enable", sc->tracefs);
	ret = agent_write_file(path, "1");
	if (ret) {
		char msg[384];

		snprintf(msg, sizeof(msg), "cannot enable the sched_ext_dump tracepoint (%s: %s); "
			 "the dump will lack '--- sched_ext dump ---'", path, strerror(-ret));
		agent_send(ch, KTSTR_FRAME_LOG, agent_json_log("warn", msg));
	}
}

static int open_log_port(struct agent_channel *ch)
{
	struct agent_channel log = { .fd = -1 };
	struct ktstr_err err = { 0 };

	if (!agent_channel_open(&log, "/sys", "/dev", KTSTR_PORT_SCHEDLOG,
				AGENT_PORT_SCHEDLOG_WAIT_MS, &err))
		return log.fd;
	agent_send(ch, KTSTR_FRAME_LOG, agent_json_log("warn", err.msg));
	return open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
}

static pid_t launch(struct agent_sched *sc, const struct ktstr_scheduler_spec *spec)
{
	char *argv[KTSTR_MAX_SCHED_ARGS + 2];
	char *envp[] = { "PATH=/ktstr/sched:/bin:/sbin:/usr/bin", "HOME=/tmp", "TERM=dumb", NULL };
	unsigned n = spec->n_args < KTSTR_MAX_SCHED_ARGS ? spec->n_args : KTSTR_MAX_SCHED_ARGS;
	pid_t pid;

	argv[0] = sc->label;
	for (unsigned i = 0; i < n; i++)
		argv[i + 1] = (char *)spec->args[i];
	argv[n + 1] = NULL;
	pid = fork();
	if (pid)
		return pid;
	/* The child: default signals, own session, output to the log port. */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	setsid();
	if (sc->log_fd >= 0) {
		dup2(sc->log_fd, STDOUT_FILENO);
		dup2(sc->log_fd, STDERR_FILENO);
	}
	{
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0 && null != STDIN_FILENO) {
			dup2(null, STDIN_FILENO);
			close(null);
		}
	}
	if (chdir("/tmp") && chdir("/"))
		_exit(126);
	execve(sc->path, argv, envp);
	dprintf(STDERR_FILENO, "ktstr-agent: exec %s: %s\n", sc->path, strerror(errno));
	_exit(127);
}

/* Ask the process to go, then make it go; returns its wait status (-1 if unknown). */
static int terminate(struct agent_sched *sc)
{
	uint64_t end = agent_mono_ns() + KTSTR_SCHED_STOP_GRACE_MS * 1000000ull;
	int status = -1;

	if (sc->pid <= 0)
		return -1;
	kill(sc->pid, SIGINT);
	while (agent_mono_ns() < end) {
		pid_t r = waitpid(sc->pid, &status, WNOHANG);

		if (r == sc->pid) {
			sc->pid = 0;
			return status;
		}
		agent_sleep_ms(20);
	}
	kill(sc->pid, SIGKILL);
	if (waitpid(sc->pid, &status, 0) != sc->pid)
		status = -1;
	sc->pid = 0;
	return status;
}

/* Wait a little for a process that should exit by itself (after a disable). */
static int reap_within(struct agent_sched *sc, unsigned ms)
{
	uint64_t end = agent_mono_ns() + (uint64_t)ms * 1000000ull;
	int status;

	while (sc->pid > 0 && agent_mono_ns() < end) {
		if (waitpid(sc->pid, &status, WNOHANG) == sc->pid) {
			sc->pid = 0;
			return status;
		}
		agent_sleep_ms(20);
	}
	return -1;
}

/* w, with the scenario time moved on by the time since launch (not before the scenario). */
static const struct agent_sched_where *where_now(const struct agent_sched *sc,
						 const struct agent_sched_where *w,
						 struct agent_sched_where *at)
{
	*at = *w;
	if (strcmp(w->phase, "load"))
		at->t_ms += since_launch_ms(sc);
	return at;
}

/* "=== ktstr: scheduler #2 'scx_ktstr' (restart_scheduler in step 3) ===" on the log port. */
static void write_marker(struct agent_sched *sc)
{
	char line[KTSTR_PATH_MAX + 128];
	int n;

	if (!sc->markers || sc->log_fd < 0)
		return;
	if (sc->origin_step >= 0)
		n = snprintf(line, sizeof(line), "=== ktstr: scheduler #%u '%s' (%s in step %d) ===\n",
			     sc->launches, sc->label, sc->origin, sc->origin_step + 1);
	else
		n = snprintf(line, sizeof(line), "=== ktstr: scheduler #%u '%s' (%s) ===\n",
			     sc->launches, sc->label, sc->origin);
	if (n > 0)
		agent_write_full(sc->log_fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

int agent_sched_launch(struct agent_sched *sc, const struct ktstr_scheduler_spec *spec,
		       struct agent_channel *ch, const struct agent_sched_where *w,
		       const char *op, int op_step, struct ktstr_err *err)
{
	struct agent_sched_where at;
	uint64_t deadline, next_log;
	char state[32], ops[64];

	if (sc->pid > 0)
		return ktstr_err_set(err, -EBUSY, "scheduler op %s: scheduler '%s' is still running "
				     "(pid %d)", op, sc->label, (int)sc->pid);
	sc->active = true;
	if (!sc->sysfs)
		sc->sysfs = "/sys";
	if (!sc->tracefs)
		sc->tracefs = "/sys/kernel/tracing";
	/* a new instance: nothing of the last one carries over */
	sc->spec = spec;
	sc->attached = false;
	sc->gone = false;
	sc->ops[0] = '\0';
	sc->launch_ns = 0;
	snprintf(sc->origin, sizeof(sc->origin), "%s", op);
	sc->origin_step = op_step;
	snprintf(sc->label, sizeof(sc->label), "%s", ktstr_sched_spec_label(spec));
	snprintf(sc->path, sizeof(sc->path), "%s/%s", AGENT_SCHED_BIN_DIR, sc->label);
	if (access(sc->path, X_OK))
		return ktstr_err_set(err, -errno,
				     "scheduler binary %s is not in the initramfs: %s (the host puts "
				     "it there; is this agent older than the runner?)",
				     sc->path, strerror(errno));
	sc->launches++;
	read_state(sc, state, sizeof(state), ops, sizeof(ops));
	if (!strcmp(state, "absent")) {
		send_event(sc, ch, "not_attached", w, -1, state,
			   "the kernel has no /sys/kernel/sched_ext (CONFIG_SCHED_CLASS_EXT)");
		sc->gone = true;
		return -ECANCELED;
	}
	if (!sc->trace_enabled) {
		enable_dump_tracepoint(sc, ch);
		sc->trace_enabled = true;
	}
	if (sc->log_fd < 0)
		sc->log_fd = open_log_port(ch);
	write_marker(sc);
	sc->launch_ns = agent_mono_ns();
	sc->pid = launch(sc, spec);
	if (sc->pid < 0) {
		sc->pid = 0;
		return ktstr_err_set(err, -errno, "fork for the scheduler: %s", strerror(errno));
	}
	send_event(sc, ch, "launched", w, -1, state, NULL);

	deadline = sc->launch_ns + spec->attach_timeout_ms * 1000000ull;
	next_log = sc->launch_ns + ATTACH_LOG_PERIOD_MS * 1000000ull;
	for (;;) {
		int status;
		uint64_t now;

		if (waitpid(sc->pid, &status, WNOHANG) == sc->pid) {
			read_state(sc, state, sizeof(state), ops, sizeof(ops));
			send_event(sc, ch, "exited", where_now(sc, w, &at), status, state, NULL);
			sc->pid = 0;
			sc->gone = true;
			ship_trace(sc);
			return -ECANCELED;
		}
		read_state(sc, state, sizeof(state), ops, sizeof(ops));
		if (!strcmp(state, "enabled") && ops[0]) {
			snprintf(sc->ops, sizeof(sc->ops), "%s", ops);
			sc->attached = true;
			send_event(sc, ch, "attached", where_now(sc, w, &at), -1, state, NULL);
			return 0;
		}
		now = agent_mono_ns();
		if (now >= deadline) {
			char why[128];

			snprintf(why, sizeof(why), "not enabled %llu ms after launch",
				 (unsigned long long)spec->attach_timeout_ms);
			send_event(sc, ch, "not_attached", where_now(sc, w, &at), -1, state, why);
			terminate(sc);
			sc->gone = true;
			ship_trace(sc);
			return -ECANCELED;
		}
		if (now >= next_log) {
			char msg[160];

			/* Also keeps the host's progress watchdog fed during a slow load. */
			snprintf(msg, sizeof(msg), "waiting for scheduler '%s' to attach: state %s",
				 sc->label, state);
			agent_send(ch, KTSTR_FRAME_LOG, agent_json_log("info", msg));
			next_log = now + ATTACH_LOG_PERIOD_MS * 1000000ull;
		}
		agent_sleep_ms(50);
	}
}

int agent_sched_start(struct agent_sched *sc, const struct ktstr_scenario *s,
		      struct agent_channel *ch, unsigned n_steps, struct ktstr_err *err)
{
	struct agent_sched_where w = { .phase = "load", .n_steps = n_steps };

	return agent_sched_launch(sc, &s->sched, ch, &w, "start", -1, err);
}

bool agent_sched_poll(struct agent_sched *sc, struct agent_channel *ch,
		      const struct agent_sched_where *w)
{
	char state[32], ops[64], reason[512];
	int status;

	if (!sc->active || sc->gone || sc->pid <= 0)
		return false;
	if (waitpid(sc->pid, &status, WNOHANG) == sc->pid) {
		sc->pid = 0;
		read_state(sc, state, sizeof(state), ops, sizeof(ops));
		send_event(sc, ch, "exited", w, status, state, NULL);
		sc->gone = true;
		ship_trace(sc);
		return true;
	}
	read_state(sc, state, sizeof(state), ops, sizeof(ops));
	if (!strcmp(state, "enabled"))
		return false;
	/*
	 * Not enabled any more while the process lived a moment ago.  Either the
	 * kernel ejected it (error, stall: the reason is an error) or the
	 * process is dying and its exit closed the struct_ops link
	 * ("unregistered from user space").  Let "disabling" settle and the
	 * process go, then decide which it was.
	 */
	for (unsigned i = 0; i < 20 && strcmp(state, "disabled"); i++) {
		agent_sleep_ms(50);
		read_state(sc, state, sizeof(state), ops, sizeof(ops));
	}
	kmsg_reason(reason, sizeof(reason));
	if (!reason[0] || !strncmp(reason, "unregistered from user space", 28)) {
		status = reap_within(sc, 1000);
		if (status >= 0) {
			send_event(sc, ch, "exited", w, status, state, reason);
			sc->gone = true;
			ship_trace(sc);
			return true;
		}
	}
	/* The dump is in the trace buffer already; let the process print its own report. */
	send_event(sc, ch, "disabled", w, -1, state, reason);
	sc->gone = true;
	status = reap_within(sc, KTSTR_SCHED_STOP_GRACE_MS);
	if (status >= 0)
		send_event(sc, ch, "exited", w, status, state, NULL);
	ship_trace(sc);
	return true;
}

/* Empty the trace buffer, so lines already shipped are not shipped again. */
static void clear_trace(struct agent_sched *sc)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/trace", sc->tracefs);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
}

/* 'D' to sysrq-trigger: the kernel dumps the scheduler's state synchronously. */
static void sysrq_dump(struct agent_sched *sc, struct agent_channel *ch, const char *failed)
{
	char path[256], msg[512];
	int ret;

	snprintf(path, sizeof(path), "%s/sysrq-trigger", sc->procfs ? sc->procfs : "/proc");
	ret = agent_write_file(path, "D");
	if (ret) {
		snprintf(msg, sizeof(msg), "cannot trigger the sched_ext dump: write 'D' to %s: %s "
			 "(CONFIG_MAGIC_SYSRQ?); the dump will lack '--- sched_ext dump ---'", path,
			 strerror(-ret));
		agent_send(ch, KTSTR_FRAME_LOG, agent_json_log("warn", msg));
		return;
	}
	ship_trace(sc);
	clear_trace(sc);
	sc->dumped = true;
	snprintf(msg, sizeof(msg), "check %s failed: scheduler '%s' dumped with SysRq-D", failed,
		 sc->label);
	agent_send(ch, KTSTR_FRAME_LOG, agent_json_log("info", msg));
	fprintf(stderr, "ktstr-agent: %s\n", msg);
}

void agent_sched_verdict(struct agent_sched *sc, struct agent_channel *ch,
			 const struct agent_sched_where *w, unsigned n_workers)
{
	unsigned wait_ms = sc->verdict_wait_ms ? sc->verdict_wait_ms : KTSTR_SCHED_VERDICT_WAIT_MS;
	char failed[160] = "", msg[256];
	json_t *o, *list;
	int err;

	if (!sc->active || !sc->attached || sc->gone || sc->pid <= 0)
		return;
	/* Gone just now: reported, and the kernel's own dump (if any) is shipped. */
	if (agent_sched_poll(sc, ch, w))
		return;
	if (agent_send(ch, KTSTR_FRAME_VERDICT_REQUEST,
		       json_pack("{s:I,s:I,s:I}", "t_ms", (json_int_t)w->t_ms, "workers",
				 (json_int_t)n_workers, "wait_ms", (json_int_t)wait_ms)))
		return;
	o = agent_channel_wait_frame(ch, KTSTR_FRAME_VERDICT, wait_ms, &err);
	if (!o) {
		snprintf(msg, sizeof(msg), "no verdict from the host within %u ms (%s); stopping the "
			 "scheduler without a dump", wait_ms, strerror(-err));
		agent_send(ch, KTSTR_FRAME_LOG, agent_json_log("warn", msg));
		return;
	}
	list = json_object_get(o, "failed");
	for (size_t i = 0; json_is_array(list) && i < json_array_size(list); i++) {
		const char *name = json_string_value(json_array_get(list, i));
		size_t used = strlen(failed);

		if (name && used < sizeof(failed))
			snprintf(failed + used, sizeof(failed) - used, "%s%.32s", used ? ", " : "", name);
	}
	if (json_is_true(json_object_get(o, "dump")))
		sysrq_dump(sc, ch, failed[0] ? failed : "(unnamed)");
	json_decref(o);
}

void agent_sched_stop(struct agent_sched *sc, struct agent_channel *ch,
		      const struct agent_sched_where *w)
{
	int status;

	if (sc->active) {
		/* It may have gone by itself just before the end: that is reported as such. */
		if (sc->pid > 0 && !sc->gone)
			agent_sched_poll(sc, ch, w);
		if (sc->pid > 0) {
			status = terminate(sc);
			send_event_by(sc, ch, sc->gone ? "exited" : "stopped", w, status, NULL, NULL,
				      sc->gone ? NULL : "end");
		}
		sc->active = false;
	}
	agent_sched_close(sc);
}

void agent_sched_close(struct agent_sched *sc)
{
	if (sc->log_fd >= 0) {
		close(sc->log_fd);
		sc->log_fd = -1;
	}
}

int agent_sched_detach(struct agent_sched *sc, struct agent_channel *ch,
		       const struct agent_sched_where *w, const char *by, struct ktstr_err *err)
{
	uint64_t deadline;
	char state[32], ops[64];
	int status;

	if (!sc->active || sc->gone || sc->pid <= 0)
		return -ECANCELED;
	/* Gone by itself since the last look: that is its failure, not this op's stop. */
	if (agent_sched_poll(sc, ch, w))
		return -ECANCELED;
	status = terminate(sc);
	read_state(sc, state, sizeof(state), ops, sizeof(ops));
	send_event_by(sc, ch, "stopped", w, status, state, NULL, by);
	sc->active = false;
	deadline = agent_mono_ns() + KTSTR_SCHED_STOP_GRACE_MS * 1000000ull;
	while (strcmp(state, "disabled") && strcmp(state, "absent")) {
		if (agent_mono_ns() >= deadline)
			return ktstr_err_set(err, -ETIMEDOUT,
					     "scheduler op %s: /sys/kernel/sched_ext/state is still "
					     "'%s' %u ms after scheduler '%s' stopped; sched_ext did not "
					     "turn off", by, state, KTSTR_SCHED_STOP_GRACE_MS, sc->label);
		agent_sleep_ms(20);
		read_state(sc, state, sizeof(state), ops, sizeof(ops));
	}
	return 0;
}
