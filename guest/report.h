/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Frame payloads (docs/protocol.md), built with jansson.  Each returns a new
 * reference for agent_send(), or NULL when out of memory.
 */
#ifndef AGENT_REPORT_H
#define AGENT_REPORT_H

#include <jansson.h>
#include <stdint.h>

#include "workers.h"

#define AGENT_VERSION_STRING "0.1.0"

json_t *agent_json_hello(const char *kernel, uint64_t uptime_ms, const char *mode);
json_t *agent_json_stage(const char *stage, uint64_t t_ms);
json_t *agent_json_step(unsigned step, unsigned n_steps, uint64_t t_ms, uint64_t hold_ms);
json_t *agent_json_progress(uint64_t t_ms, uint64_t work_units, unsigned alive);
json_t *agent_json_worker(const struct agent_worker *w, const struct agent_worker_slot *slot,
			  const char *cgroup, const char *cpuset);
json_t *agent_json_done(unsigned workers, uint64_t t_ms);
json_t *agent_json_error(const char *msg);
json_t *agent_json_log(const char *level, const char *msg);

#endif /* AGENT_REPORT_H */
