/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Payloads: programs a scenario runs in the guest beside its workers
 * (run_payload, docs/payloads.md).
 *
 * A payload's stdout and stderr go into a pipe that a small drainer
 * process (forked from the agent) empties all the time, keeping only the
 * last AGENT_PAYLOAD_RING bytes in a shared ring: a chatty payload never
 * blocks on a full pipe, whatever the agent is busy with, and never costs
 * the guest more memory than the ring.  The PAYLOAD frame that reports its
 * end carries the last AGENT_PAYLOAD_TAIL bytes.
 */
#ifndef AGENT_PAYLOAD_H
#define AGENT_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ktstr/scenario.h"

#define AGENT_PAYLOAD_DIR   "/ktstr/payload"   /* path payloads: DIR/<name> */
#define AGENT_PAYLOAD_RING  (16u * 1024)       /* output kept per payload (its tail) */
#define AGENT_PAYLOAD_TAIL  4096u              /* of which the end frame carries */
#define AGENT_PAYLOAD_POLL_MS 20u              /* wait_payload's look interval */

/* Written by the drainer, read by the agent once the drainer is gone. */
struct agent_payload_ring {
	uint64_t total;            /* bytes seen; the last min(total, RING) are in buf */
	char buf[AGENT_PAYLOAD_RING];
};

struct agent_payload_run {
	pid_t pid;                 /* > 0 until its end is reported (a process group leader) */
	uint64_t start_ns;
	pid_t drainer;             /* > 0 while its output drainer lives */
	unsigned step;             /* the run_payload op's step, 0-based */
	bool reaped;               /* it ended by itself and was reaped, not reported yet */
	int status;                /* then: its wait status */
	uint64_t end_ns;           /* then: when the agent noticed */
};

struct agent_payloads {
	struct agent_payload_run run[KTSTR_MAX_PAYLOADS];   /* indexed like scenario.payloads */
	struct agent_payload_ring *ring;   /* KTSTR_MAX_PAYLOADS, MAP_SHARED, on first use */
	unsigned waited_step;      /* the step waited_ns belongs to */
	uint64_t waited_ns;        /* time wait_payload ops spent in it */
};

/*
 * The tail of a ring as text: at most `max` bytes, starting after a newline
 * when the output was cut, bytes that are not printable ASCII, tab or
 * newline replaced by '?' (the host treats it as untrusted text anyway).
 * Returns the length written (buf holds max + 1 bytes).
 */
size_t agent_payload_tail(const struct agent_payload_ring *r, char *buf, size_t max);

#endif /* AGENT_PAYLOAD_H */
