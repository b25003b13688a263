// SPDX-License-Identifier: GPL-2.0-only
/*
 * ktstr-agent: PID 1 of the guest.  Mounts what it needs, tells the host it
 * is up (HELLO) and what it sees (TOPOLOGY), runs /ktstr/scenario.yaml and
 * reports every worker, then powers the VM off.  It never returns: PID 1
 * exiting panics the kernel, so every path, failures included, ends in
 * agent_poweroff() (or, for the watchdog tests, in a deliberate hang).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <jansson.h>

#include "ktstr/proto.h"

#include "agent.h"
#include "clock.h"
#include "fileio.h"
#include "report.h"

/* One struct for the whole run; big (scenario, topology), so not on the stack. */
static struct agent agent;

static void __attribute__((noreturn)) agent_fail(struct agent *a, const char *msg)
{
	fprintf(stderr, "ktstr-agent: error: %s\n", msg);
	if (a->ch.fd >= 0 && agent_send(&a->ch, KTSTR_FRAME_ERROR, agent_json_error(msg)))
		fprintf(stderr, "ktstr-agent: could not send the ERROR frame either\n");
	agent_channel_close(&a->ch);
	agent_poweroff();
}

/* What /proc/uptime says, with millisecond resolution instead of 10 ms. */
static uint64_t uptime_ms(void)
{
	return agent_clock_ns(CLOCK_BOOTTIME) / 1000000ull;
}

static int send_or_fail(struct agent *a, unsigned type, json_t *obj)
{
	int ret = agent_send(&a->ch, type, obj);

	if (ret) {
		char msg[256];

		snprintf(msg, sizeof(msg), "send %s frame on port '%s': %s",
			 ktstr_frame_type_name(type), KTSTR_PORT_RESULTS, strerror(-ret));
		agent_fail(a, msg);
	}
	return 0;
}

static void hello(struct agent *a)
{
	struct utsname u;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	send_or_fail(a, KTSTR_FRAME_HELLO,
		     agent_json_hello(u.release, uptime_ms(), agent_mode_name(a->params.mode)));
	/* What failed to mount, now that someone listens. */
	for (unsigned i = 0; i < a->notes.n; i++)
		send_or_fail(a, KTSTR_FRAME_LOG, agent_json_log("warn", a->notes.msg[i]));
}

int main(void)
{
	struct agent *a = &agent;
	struct ktstr_err err = { 0 };
	char cmdline[4096];
	int cmdline_ret;

	a->ch.fd = -1;
	a->sched.log_fd = -1;
	/*
	 * jansson seeds its hash tables from getrandom() on first use, which
	 * blocks until the guest's entropy pool is initialised: ~2 s into a
	 * TCG boot without RDRAND.  Hash flooding is no concern here, so seed
	 * it from the clock and send HELLO as soon as the port exists.
	 */
	json_object_seed((size_t)agent_mono_ns() | 1);
	/*
	 * Workers are reaped explicitly with waitpid(); keep SIGCHLD at its
	 * default so they are.  Ignore SIGPIPE: a write error is reported, not
	 * fatal.
	 */
	signal(SIGPIPE, SIG_IGN);
	agent_mount_all(&a->notes);
	agent_console_fds();
	fprintf(stderr, "ktstr-agent: up at %llu ms\n", (unsigned long long)uptime_ms());

	agent_params_default(&a->params);
	cmdline_ret = agent_read_file(AGENT_PROCFS "/cmdline", cmdline, sizeof(cmdline));
	if (cmdline_ret >= 0)
		cmdline_ret = agent_cmdline_parse(cmdline, &a->params, &err);
	else
		ktstr_err_set(&err, cmdline_ret, "read %s/cmdline: %s", AGENT_PROCFS,
			      strerror(-cmdline_ret));

	if (a->params.fault == AGENT_FAULT_HANG_BEFORE_HELLO) {
		fprintf(stderr, "ktstr-agent: fault hang_before_hello: hanging\n");
		agent_hang();
	}

	if (agent_channel_open(&a->ch, AGENT_SYSFS, AGENT_DEVFS, KTSTR_PORT_RESULTS,
			       AGENT_PORT_WAIT_MS, &err))
		agent_fail(a, err.msg);
	hello(a);
	/* A bad parameter is reported after HELLO so the host sees it as ours. */
	if (cmdline_ret)
		agent_fail(a, err.msg);

	if (agent_topo_read(AGENT_SYSFS, AGENT_PROCFS, &a->topo, &err))
		agent_fail(a, err.msg);
	agent_topo_to_map(&a->topo, &a->map);
	send_or_fail(a, KTSTR_FRAME_TOPOLOGY, agent_topo_json(&a->topo));
	if (a->params.mode == AGENT_MODE_BOOT) {
		agent_channel_close(&a->ch);
		agent_poweroff();
	}

	if (agent_scenario_load(a, AGENT_SCENARIO, &err) || agent_scenario_variant(a, &err))
		agent_fail(a, err.msg);
	fprintf(stderr, "ktstr-agent: running '%s'%s%s: %u cgroups, %u workers, %llu ms\n",
		a->scenario.name, a->scenario.variant[0] ? " variant " : "", a->scenario.variant,
		a->scenario.n_cgroups, ktstr_scenario_total_workers(&a->scenario),
		(unsigned long long)a->scenario.duration_ms);
	if (agent_sysctls_apply(&a->scenario, AGENT_PROCFS, &err))
		agent_fail(a, err.msg);
	/* Scheduler ops start more instances: mark each one's output in the log. */
	a->sched.markers = ktstr_scenario_sched_starts(&a->scenario) > 0;
	if (ktstr_scenario_has_scx(&a->scenario)) {
		int ret = agent_sched_start(&a->sched, &a->scenario, &a->ch,
					    a->scenario.n_steps ? a->scenario.n_steps : 1, &err);

		if (ret == -ECANCELED) {
			/* Reported in a SCHED frame; there is no scenario to run without it. */
			agent_channel_close(&a->ch);
			agent_poweroff();
		}
		if (ret)
			agent_fail(a, err.msg);
	}
	if (agent_run_scenario(a, &err))
		agent_fail(a, err.msg);
	fprintf(stderr, "ktstr-agent: done, %lu frames sent\n", a->ch.frames);
	agent_channel_close(&a->ch);
	agent_poweroff();
}
