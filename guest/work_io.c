// SPDX-License-Identifier: GPL-2.0-only
/*
 * IoSyncWrite: 16 x 4 KiB pwrite()s to a private unlinked file, fdatasync(),
 * then a 100 us sleep.  Stresses the block/IO wakeup path and tasks that are
 * mostly off-CPU.  One unit per 4 KiB write; the sync and the sleep count as
 * blocked time, not as gaps.  The file lives in /tmp (tmpfs in the guest,
 * where the sync is cheap but the syscalls and sleeps remain).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "work.h"

#define IO_WRITES 16u
#define IO_BLOCK 4096u
#define IO_SLEEP_NS 100000L

struct io_state {
	int fd;
	char buf[IO_BLOCK];
};

static int io_init(void **state, struct agent_work_ctx *ctx)
{
	static const char *const dirs[] = { "/tmp", "." };
	struct io_state *io = malloc(sizeof(*io));

	(void)ctx;
	if (!io)
		return -ENOMEM;
	memset(io->buf, 0xa5, sizeof(io->buf));
	io->fd = -1;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && io->fd < 0; i++) {
		char path[64];

		snprintf(path, sizeof(path), "%s/ktstr-io-XXXXXX", dirs[i]);
		io->fd = mkstemp(path);
		if (io->fd >= 0)
			unlink(path);  /* gone when the worker exits, however it exits */
	}
	if (io->fd < 0) {
		free(io);
		return -errno;
	}
	*state = io;
	return 0;
}

static uint64_t io_burst(void *state, struct agent_work_ctx *ctx)
{
	struct io_state *io = state;
	struct timespec ts = { 0, IO_SLEEP_NS };
	uint64_t t0;

	for (unsigned i = 0; i < IO_WRITES; i++)
		if (pwrite(io->fd, io->buf, IO_BLOCK, (off_t)i * IO_BLOCK) < 0)
			_exit(3);  /* shows as crashed: the disk is gone or full */
	t0 = agent_mono_ns();
	fdatasync(io->fd);
	nanosleep(&ts, NULL);
	ctx->blocked_ns += agent_mono_ns() - t0;
	return IO_WRITES;
}

const struct agent_work agent_work_io_sync_write = {
	.name = "IoSyncWrite",
	.init = io_init,
	.burst = io_burst,
	.checkpoint_units = IO_WRITES,
};
