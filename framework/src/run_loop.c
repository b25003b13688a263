// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM event loop: one poll() over the VM's channels and a signalfd,
 * with the watchdog folded into the poll timeout.
 *
 * Watchdog tiers, each with its own end reason and message:
 *  - boot budget: no HELLO from the agent in time (kernel hung, agent never
 *    started, results port never appeared);
 *  - progress: after HELLO, no valid frame for progress_timeout_s (the
 *    agent sends PROGRESS every 500 ms while a scenario runs);
 *  - hard deadline: the whole VM phase, set below the harness timeout so we
 *    always print a verdict and a dump before CTest kills us.
 * QEMU is killed with SIGKILL when any of them fires (nothing in the guest
 * is worth waiting for once we've given up on it).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

#define CONSOLE_CAP (16u << 20)
/* After DONE the agent powers off; give QEMU this long to exit by itself. */
#define POWEROFF_GRACE_S 5.0

double ktstr_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *ktstr_end_name(enum ktstr_end e)
{
	switch (e) {
	case KTSTR_END_VM_EXITED: return "vm exited";
	case KTSTR_END_BOOT_TIMEOUT: return "boot budget exceeded";
	case KTSTR_END_PROGRESS_TIMEOUT: return "no progress";
	case KTSTR_END_DEADLINE: return "hard deadline";
	case KTSTR_END_SIGNAL: return "interrupted";
	case KTSTR_END_START_FAILED: return "qemu failed to start";
	default: return "none";
	}
}

static double since(const struct ktstr_runner *r)
{
	return ktstr_now() - r->t0;
}

static void console_append(struct ktstr_runner *r, const char *data, size_t len)
{
	struct ktstr_console *c = &r->console;
	size_t start = c->len;

	if (r->t_first_console == 0 && len) {
		r->t_first_console = since(r);
		if (r->res.stage < KTSTR_STAGE_KERNEL_BOOTING)
			r->res.stage = KTSTR_STAGE_KERNEL_BOOTING;
		ktstr_results_event(&r->res, r->t_first_console, -1, "first kernel console output");
	}
	if (r->opts.verbose) {
		ssize_t w = write(STDERR_FILENO, data, len);

		(void)w;
	}
	if (ktstr_console_append(c, data, len, CONSOLE_CAP) || !c->len)
		return;

	/* Remember the first panic line: it usually says everything. */
	if (!r->kernel_panic[0]) {
		const char *from = start > 200 ? c->buf + start - 200 : c->buf;
		const char *p = strstr(from, "Kernel panic");

		if (p && memchr(p, '\n', (size_t)(c->buf + c->len - p))) {
			size_t n = strcspn(p, "\r\n");

			if (n >= sizeof(r->kernel_panic))
				n = sizeof(r->kernel_panic) - 1;
			memcpy(r->kernel_panic, p, n);
			r->kernel_panic[n] = '\0';
			ktstr_results_event(&r->res, since(r), -1, "kernel panic: %s", r->kernel_panic);
		}
	}
}

static void handle_frame(struct ktstr_runner *r, const struct ktstr_frame *f)
{
	double t = since(r);
	enum ktstr_stage before = r->res.stage;

	r->t_last_frame = t;
	if (!ktstr_results_apply_frame(&r->res, f, t) && f->type == KTSTR_FRAME_VERDICT_REQUEST)
		ktstr_verdict_answer(r);   /* the guest waits for it, bounded (verdict.c) */
	if (f->type == KTSTR_FRAME_HELLO && r->t_hello == 0) {
		r->t_hello = t;
		if (r->res.stage < KTSTR_STAGE_AGENT_STARTED)
			r->res.stage = KTSTR_STAGE_AGENT_STARTED;
	}
	(void)before;
}

/* Read what is available on fd; returns 0 at EOF, >0 data, <0 nothing now. */
static ssize_t drain_once(int fd, char *buf, size_t len)
{
	ssize_t n = read(fd, buf, len);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return -1;
	return n < 0 ? 0 : n;
}

static void read_console(struct ktstr_runner *r)
{
	char buf[65536];
	ssize_t n;

	while (r->vm->console_fd >= 0 && (n = drain_once(r->vm->console_fd, buf, sizeof(buf))) != -1) {
		if (n == 0) {
			close(r->vm->console_fd);
			r->vm->console_fd = -1;
			break;
		}
		console_append(r, buf, (size_t)n);
	}
}

static void read_results(struct ktstr_runner *r)
{
	char buf[65536];
	struct ktstr_frame f;
	ssize_t n;

	while (r->vm->results_fd >= 0 && (n = drain_once(r->vm->results_fd, buf, sizeof(buf))) != -1) {
		if (n == 0) {
			close(r->vm->results_fd);
			r->vm->results_fd = -1;
			break;
		}
		ktstr_frame_parser_feed(&r->parser, buf, (size_t)n);
	}
	while (ktstr_frame_parser_next(&r->parser, &f) == 1)
		handle_frame(r, &f);
}

/* The scheduler's stdout + stderr: kept for the verdict and the dump. */
static void read_schedlog(struct ktstr_runner *r)
{
	char buf[65536];
	ssize_t n;

	while (r->vm->schedlog_fd >= 0 &&
	       (n = drain_once(r->vm->schedlog_fd, buf, sizeof(buf))) != -1) {
		if (n == 0) {
			close(r->vm->schedlog_fd);
			r->vm->schedlog_fd = -1;
			break;
		}
		ktstr_schedlog_append(r, buf, (size_t)n);
	}
}

static void read_qemu_stderr(struct ktstr_runner *r)
{
	char buf[4096];
	ssize_t n;

	while (r->vm->stderr_fd >= 0 && (n = drain_once(r->vm->stderr_fd, buf, sizeof(buf))) != -1) {
		size_t room;

		if (n == 0) {
			close(r->vm->stderr_fd);
			r->vm->stderr_fd = -1;
			break;
		}
		room = sizeof(r->qemu_stderr) - 1 - r->qemu_stderr_len;
		if ((size_t)n > room)
			n = (ssize_t)room;
		memcpy(r->qemu_stderr + r->qemu_stderr_len, buf, (size_t)n);
		r->qemu_stderr_len += (size_t)n;
		r->qemu_stderr[r->qemu_stderr_len] = '\0';
	}
}

static void read_all(struct ktstr_runner *r)
{
	read_console(r);
	read_results(r);
	read_qemu_stderr(r);
	read_schedlog(r);
	/* QMP is left alone: its greeting waits there until we need QMP. */
}

static void stop_vm(struct ktstr_runner *r, enum ktstr_end why)
{
	if (r->end == KTSTR_END_NONE)
		r->end = why;
	ktstr_results_event(&r->res, since(r), -1, "ktstr stops the VM: %s", ktstr_end_name(why));
	ktstr_vm_kill(r->vm);
}

/* The next watchdog expiry (seconds since t0) and what it means. */
static double next_deadline(const struct ktstr_runner *r, enum ktstr_end *what)
{
	double d = r->to.vm_deadline_s;

	*what = KTSTR_END_DEADLINE;
	if (r->t_hello == 0) {
		if (r->to.boot_budget_s < d) {
			d = r->to.boot_budget_s;
			*what = KTSTR_END_BOOT_TIMEOUT;
		}
	} else if (r->res.stage < KTSTR_STAGE_RESULTS) {
		double p = r->t_last_frame + r->to.progress_timeout_s;

		if (p < d) {
			d = p;
			*what = KTSTR_END_PROGRESS_TIMEOUT;
		}
	} else {
		/* Results are in; the agent is powering off. */
		double p = r->t_last_frame + POWEROFF_GRACE_S;

		if (p < d) {
			d = p;
			*what = KTSTR_END_VM_EXITED;
		}
	}
	return d;
}

int ktstr_run_vm(struct ktstr_runner *r, int initrd_fd)
{
	struct ktstr_vm_config cfg = { 0 };
	struct ktstr_err err = { 0 };
	char extra[512 + KTSTR_MAX_KERNEL_ARGS * KTSTR_STRLIST_ITEM];
	sigset_t mask, old;
	int sfd, rc;

	snprintf(extra, sizeof(extra), "ktstr.mode=run ktstr.progress_ms=500%s%s%s%s",
		 r->opts.fault ? " ktstr.fault=" : "", r->opts.fault ? r->opts.fault : "",
		 /* the guest applies the same variant to the same YAML (variants.h) */
		 r->scenario.variant[0] ? " ktstr.variant=" : "", r->scenario.variant);
	/* The scenario's kernel_args (validated: single words, no ktstr.*). */
	for (unsigned i = 0; i < r->scenario.n_kernel_args; i++) {
		size_t used = strlen(extra);

		snprintf(extra + used, sizeof(extra) - used, " %s", r->scenario.kernel_args[i]);
	}
	cfg.topo = r->scenario.topo;
	cfg.kernel_image = r->kernel.image;
	cfg.initrd_fd = initrd_fd;
	cfg.cmdline_extra = extra;
	cfg.accel = r->accel;
	cfg.tcg_multithread = r->opts.tcg_multithread;
	cfg.verbose_console = r->opts.verbose;
	cfg.qemu_binary = r->opts.qemu;
	cfg.extra_args = r->opts.qemu_args;
	cfg.n_extra_args = r->opts.n_qemu_args;
	cfg.cpu_set = r->pinned ? &r->pin_cpus : NULL;

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

	ktstr_frame_parser_init(&r->parser);
	rc = ktstr_vm_create("qemu", &cfg, &r->vm, &err);
	if (!rc) {
		r->t0 = ktstr_now();
		rc = ktstr_vm_start(r->vm, &err);
	}
	if (rc) {
		snprintf(r->vm_error, sizeof(r->vm_error), "%s", err.msg);
		r->start_errno = -err.code;
		r->end = KTSTR_END_START_FAILED;
		goto out;
	}
	r->res.stage = KTSTR_STAGE_QEMU_STARTED;
	ktstr_results_event(&r->res, 0, -1, "qemu started (pid %d, accel %s)", (int)r->vm->pid,
			    ktstr_accel_name(r->accel));

	while (!r->vm->exited) {
		struct pollfd p[5];
		enum ktstr_end what;
		double left = next_deadline(r, &what) - since(r);
		int np = 0, timeout;

		if (left <= 0) {
			stop_vm(r, what);
			ktstr_vm_reap(r->vm, true);
			break;
		}
		timeout = (int)(left * 1000) + 1;
		p[np++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		p[np++] = (struct pollfd){ .fd = r->vm->console_fd, .events = POLLIN };
		p[np++] = (struct pollfd){ .fd = r->vm->results_fd, .events = POLLIN };
		p[np++] = (struct pollfd){ .fd = r->vm->stderr_fd, .events = POLLIN };
		p[np++] = (struct pollfd){ .fd = r->vm->schedlog_fd, .events = POLLIN };
		if (poll(p, (nfds_t)np, timeout) < 0 && errno != EINTR)
			break;
		read_all(r);
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGCHLD)
					continue;
				r->end_signal = (int)si.ssi_signo;
				stop_vm(r, KTSTR_END_SIGNAL);
			}
		}
		ktstr_vm_reap(r->vm, false);
	}
	/* The guest may have written its last bytes just before QEMU exited. */
	read_all(r);
	ktstr_frame_parser_eof(&r->parser);
	{
		struct ktstr_frame f;

		while (ktstr_frame_parser_next(&r->parser, &f) == 1)
			handle_frame(r, &f);
	}
	if (r->end == KTSTR_END_NONE)
		r->end = KTSTR_END_VM_EXITED;
	r->t_vm_end = since(r);
	{
		char how[128];

		ktstr_vm_describe_exit(r->vm, how, sizeof(how));
		ktstr_results_event(&r->res, r->t_vm_end, -1, "qemu %s", how);
	}
out:
	if (sfd >= 0)
		close(sfd);
	/*
	 * The signals stay blocked: a second SIGTERM while we print the verdict
	 * and the dump must not cut the TAP stream short.  CTest escalates to
	 * SIGKILL after its grace period anyway.
	 */
	(void)old;
	return rc;
}
