/* SPDX-License-Identifier: GPL-2.0-only */
/* Payloads: programs a scenario runs in the guest beside its workers (run_payload). */
#ifndef AGENT_PAYLOAD_H
#define AGENT_PAYLOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ktstr/scenario.h"

struct agent_payload_run {
	pid_t pid;                 /* > 0 while running */
	uint64_t start_ns;
};

struct agent_payloads {
	struct agent_payload_run run[KTSTR_MAX_PAYLOADS];   /* indexed like scenario.payloads */
};

#endif /* AGENT_PAYLOAD_H */
