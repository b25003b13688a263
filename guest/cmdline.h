/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Run parameters the host passes on the kernel command line (ktstr.*).
 * Keys the agent does not know are ignored so a newer host can talk to an
 * older agent; values it cannot parse are errors.
 */
#ifndef AGENT_CMDLINE_H
#define AGENT_CMDLINE_H

#include "ktstr/error.h"
#include "ktstr/scenario.h"

enum agent_mode {
	AGENT_MODE_RUN = 0,        /* run /ktstr/scenario.yaml */
	AGENT_MODE_BOOT,           /* HELLO + TOPOLOGY, then power off (boot benchmark) */
};

/* Test hooks for the host watchdog. */
enum agent_fault {
	AGENT_FAULT_NONE = 0,
	AGENT_FAULT_HANG_BEFORE_HELLO,    /* never send anything */
	AGENT_FAULT_STALL_MID_SCENARIO,   /* go silent after scenario_start */
};

#define AGENT_DEFAULT_PROGRESS_MS 500u
#define AGENT_MAX_PROGRESS_MS     60000u

struct agent_params {
	enum agent_mode mode;
	enum agent_fault fault;
	unsigned progress_ms;
	/* ktstr.variant=: which variant of the scenario to run ("" : none given) */
	char variant[KTSTR_VARIANT_NAME_MAX];
};

void agent_params_default(struct agent_params *p);

/*
 * Parse the text of /proc/cmdline into p (which the caller has defaulted).
 * Returns 0, or -EINVAL with err naming the parameter and its value.
 */
int agent_cmdline_parse(const char *cmdline, struct agent_params *p, struct ktstr_err *err);

const char *agent_mode_name(enum agent_mode m);
const char *agent_fault_name(enum agent_fault f);

#endif /* AGENT_CMDLINE_H */
