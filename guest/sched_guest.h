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
 * The kernel's reason for the last sched_ext disable, from /dev/kmsg:
 * `sched_ext: BPF scheduler "X" disabled (REASON)` plus a following
 * `... failed to run for Ns` line when there is one.  "" when none.
 */
void agent_sched_kmsg_reason(const char *kmsg_text, char *buf, size_t len);

#endif /* AGENT_SCHED_GUEST_H */
