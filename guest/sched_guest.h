/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sched_ext scheduler under test, inside the guest: sysctls, launch
 * (stdout + stderr to the KTSTR_PORT_SCHEDLOG port), a bounded wait for
 * /sys/kernel/sched_ext/state to read `enabled` with root/ops named, a
 * watch for the whole run (process alive, sysfs state still `enabled`), and
 * the stop at the end.  Every change is a SCHED frame (docs/protocol.md);
 * the host turns them into the `scheduler` test point.
 *
 * Judged by sysfs, never by the exit status alone: example schedulers exit
 * 0 even after the kernel ejected them (lab notes).
 */
#ifndef AGENT_SCHED_GUEST_H
#define AGENT_SCHED_GUEST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ktstr/error.h"
#include "ktstr/scenario.h"

#include "channel.h"

#define AGENT_SCHED_BIN_DIR   "/ktstr/sched"
#define AGENT_SCHED_POLL_MS   100u

struct agent_sched {
	bool active;               /* the scenario has a sched_ext scheduler */
	char label[KTSTR_PATH_MAX];
	char path[KTSTR_PATH_MAX + 16];
	pid_t pid;                 /* 0 when not running */
	int log_fd;                /* the schedlog port (or the console), -1 */
	uint64_t launch_ns;
	bool attached;
	bool gone;                 /* exited or disabled: reported, scenario should end */
	char ops[64];
	const char *sysfs;         /* "/sys" (tests: a fake tree) */
	const char *tracefs;       /* "/sys/kernel/tracing" */
	const char *procfs;        /* "/proc": sysrq-trigger */
	unsigned verdict_wait_ms;  /* bound on the wait for the host's verdict (0: default) */
	bool dumped;               /* SysRq-D was triggered and its dump shipped */
	/*
	 * Scheduler ops (sched_ops.c) start and stop it more than once; each
	 * start is an instance, numbered from 0 in the SCHED frames.
	 */
	const struct ktstr_scheduler_spec *spec;  /* the current (or last) instance's */
	unsigned launches;         /* instances started so far */
	char origin[24];           /* what started the current one: "start" or the op */
	int origin_step;           /* the op's step (0-based); -1 for "start" */
	bool markers;              /* mark each instance's start in the log (scenarios with ops) */
	bool trace_enabled;        /* the sched_ext_dump tracepoint is on */
};

/* Where the scenario is, for the frames' phase/step/t_ms fields. */
struct agent_sched_where {
	const char *phase;         /* "load", "run", "end" */
	uint64_t t_ms;
	unsigned step;             /* steps completed */
	unsigned n_steps;
};

/*
 * Write every `sysctls` entry to /proc/sys/<key, '.' as '/'>.  Returns 0 or
 * -errno with err naming the entry.
 */
int agent_sysctls_apply(const struct ktstr_scenario *s, const char *procfs,
			struct ktstr_err *err);

/*
 * Start the scheduler and wait (bounded by sched.attach_timeout_ms) for it
 * to attach.  Sends SCHED launched, then attached / exited / not_attached.
 * Returns 0 when attached, -ECANCELED when it did not (already reported:
 * the caller ends the run without the scenario), -errno for the agent's own
 * failures (err set).
 */
int agent_sched_start(struct agent_sched *sc, const struct ktstr_scenario *s,
		      struct agent_channel *ch, unsigned n_steps, struct ktstr_err *err);

/*
 * One look while the scenario runs: returns true (once) when the scheduler
 * just exited or was disabled — reported with a SCHED frame, its
 * sched_ext_dump trace lines shipped to the log port — so the caller ends
 * the scenario early.
 */
bool agent_sched_poll(struct agent_sched *sc, struct agent_channel *ch,
		      const struct agent_sched_where *w);

/*
 * After the WORKER frames, with the scheduler still attached: send
 * VERDICT_REQUEST and wait at most KTSTR_SCHED_VERDICT_WAIT_MS for the
 * host's VERDICT; when it says a check failed ("dump": true), write 'D' to
 * /proc/sysrq-trigger so the kernel emits the scheduler's debug dump through
 * the sched_ext_dump tracepoint, and ship those lines to the log port.  A
 * scheduler already gone, or no answer in time, means no dump: the run goes
 * on either way.  Nothing happens for eevdf.
 */
void agent_sched_verdict(struct agent_sched *sc, struct agent_channel *ch,
			 const struct agent_sched_where *w, unsigned n_workers);

/* End of run: SIGINT, wait KTSTR_SCHED_STOP_GRACE_MS, SIGKILL; SCHED stopped/exited. */
void agent_sched_stop(struct agent_sched *sc, struct agent_channel *ch,
		      const struct agent_sched_where *w);

/*
 * Start `spec` as a new instance and wait (bounded by its attach_timeout_ms)
 * for it to attach, exactly like agent_sched_start(); `op` says what
 * started it ("start" or the op's name, at step op_step, 0-based, -1 for
 * none).  With sc->markers, a line "=== ktstr: scheduler #N 'LABEL' (...)
 * ===" goes to the log port first, so the host can tell the instances'
 * output apart.  Returns as agent_sched_start() does.
 */
int agent_sched_launch(struct agent_sched *sc, const struct ktstr_scheduler_spec *spec,
		       struct agent_channel *ch, const struct agent_sched_where *w,
		       const char *op, int op_step, struct ktstr_err *err);

/*
 * Stop the current instance because of the op `by` (detach/restart/
 * replace_scheduler): SIGINT, the stop grace, SIGKILL; SCHED stopped with
 * "by"; then wait (bounded by KTSTR_SCHED_STOP_GRACE_MS) until
 * /sys/kernel/sched_ext/state reads `disabled`, so that the next op (a new
 * attach above all) never sees the old instance.  Returns 0; -ECANCELED
 * when it had already exited or been disabled (reported like any such end:
 * the caller ends the scenario); -ETIMEDOUT with err set when sched_ext did
 * not turn off.
 */
int agent_sched_detach(struct agent_sched *sc, struct agent_channel *ch,
		       const struct agent_sched_where *w, const char *by, struct ktstr_err *err);

/* The log port (or console) stays open across instances; close it at the very end. */
void agent_sched_close(struct agent_sched *sc);

/*
 * The kernel's reason for the last sched_ext disable, from /dev/kmsg:
 * `sched_ext: BPF scheduler "X" disabled (REASON)` plus a following
 * `... failed to run for Ns` line when there is one.  "" when none.
 */
void agent_sched_kmsg_reason(const char *kmsg_text, char *buf, size_t len);

#endif /* AGENT_SCHED_GUEST_H */
