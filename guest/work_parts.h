/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pieces shared between work types of different families: the pipe pair
 * plumbing (PipeIo, CachePipe), the strided buffer (CachePressure,
 * CacheYield, CachePipe), futex words in shared memory (the futex, wake and
 * rt families), sliced sleeps and private files.  Each lives in its
 * family's file.
 */
#ifndef AGENT_WORK_PARTS_H
#define AGENT_WORK_PARTS_H

#include <stddef.h>
#include <stdint.h>

#include "work.h"

/* work_pipe.c: two pipes per pair, made before the fork. */
int agent_pipe_prepare(void **group, unsigned n, const struct ktstr_work_params *p);
void agent_pipe_release(void *group, unsigned n);
/* This worker's ends: read from the partner, write to it. */
int agent_pipe_ends(const struct agent_work_ctx *ctx, int *rd, int *wr);
/*
 * Send one message, wait (stop-aware) for the partner's; the wait is blocked
 * time, and a wait that ended with the partner's message a wake-up sample.
 */
void agent_pipe_exchange(int rd, int wr, struct agent_work_ctx *ctx);

/* work_cache.c: a private buffer walked with a stride. */
struct agent_cache_buf {
	volatile uint8_t *buf;
	size_t size, stride, pos;
};

int agent_cache_buf_init(struct agent_cache_buf *c, unsigned size_kb, unsigned stride);
/* n read-modify-writes, stepping the stride and wrapping. */
void agent_cache_buf_touch(struct agent_cache_buf *c, unsigned n);

/* work_futex.c: FUTEX_WAIT/WAKE on a process-shared word. */
void agent_futex_wait(uint32_t *word, uint32_t val, unsigned timeout_ms);
void agent_futex_wake(uint32_t *word, int n);
/*
 * work_futex.c: a zero-filled MAP_SHARED mapping of len bytes (rounded up
 * to pages) for a group's shared words, made before the fork; 0 or -errno.
 */
int agent_shm_alloc(void **group, size_t len);
void agent_shm_free(void *group, size_t len);
/*
 * work_futex.c: wait (stop-aware, in AGENT_WORK_WAIT_SLICE_MS slices) until
 * *word differs from val; the time waited is added to ctx->blocked_ns.
 * Returns the new value, or val when the worker is stopping.
 */
uint32_t agent_futex_wait_change(uint32_t *word, uint32_t val, struct agent_work_ctx *ctx);

/* work_bursty.c: sleep ns in slices, returning early on a stop; returns the ns slept. */
uint64_t agent_work_sleep_ns(uint64_t ns, const struct agent_work_ctx *ctx);

/* work_io.c: a private, already unlinked file in /tmp (or the cwd); an fd or -errno. */
int agent_io_tmpfile(void);

#endif /* AGENT_WORK_PARTS_H */
