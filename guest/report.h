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

/* The project version, set by guest/CMakeLists.txt like the CLI's KTSTR_VERSION. */
#ifndef KTSTR_VERSION
#define KTSTR_VERSION "unknown"
#endif
#define AGENT_VERSION_STRING KTSTR_VERSION

json_t *agent_json_hello(const char *kernel, uint64_t uptime_ms, const char *mode);
json_t *agent_json_stage(const char *stage, uint64_t t_ms);
json_t *agent_json_step(unsigned step, unsigned n_steps, uint64_t t_ms, uint64_t hold_ms);
json_t *agent_json_progress(uint64_t t_ms, uint64_t work_units, unsigned alive);
/* WORKER for worker i of ws; cpuset is its cgroup's cpuset.cpus.effective. */
json_t *agent_json_worker(const struct agent_workers *ws, unsigned i, const char *cgroup,
			  const char *cpuset);
json_t *agent_json_done(unsigned workers, uint64_t t_ms);
json_t *agent_json_error(const char *msg);
json_t *agent_json_log(const char *level, const char *msg);

#endif /* AGENT_REPORT_H */
