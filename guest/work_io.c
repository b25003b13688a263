// SPDX-License-Identifier: GPL-2.0-only
/*
 * IO family.  Files live in /tmp: tmpfs in the guest (RAM), so syncs are
 * cheap and a read is a copy from the page cache, but the syscalls, the
 * inode and file locks and the sleeps are real.
 *
 * IoSyncWrite: 16 x 4 KiB pwrite()s to a private unlinked file, fdatasync(),
 * then a 100 us sleep.  Stresses the block/IO wakeup path and tasks that are
 * mostly off-CPU.  One unit per 4 KiB write; the sync and the sleep count as
 * blocked time, not as gaps.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "work_parts.h"

#define IO_WRITES 16u
#define IO_BLOCK 4096u
#define IO_SLEEP_NS 100000L

struct io_state {
	int fd;
	char buf[IO_BLOCK];
};

int agent_io_tmpfile(void)
{
	static const char *const dirs[] = { "/tmp", "." };
	int fd = -ENOENT;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && fd < 0; i++) {
		char path[64];

		snprintf(path, sizeof(path), "%s/ktstr-io-XXXXXX", dirs[i]);
		fd = mkostemp(path, O_CLOEXEC);
		if (fd >= 0)
			unlink(path);  /* gone when the worker exits, however it exits */
		else
			fd = -errno;
	}
	return fd;
}

static int io_init(void **state, struct agent_work_ctx *ctx)
{
	struct io_state *io = malloc(sizeof(*io));

	(void)ctx;
	if (!io)
		return -ENOMEM;
	memset(io->buf, 0xa5, sizeof(io->buf));
	io->fd = agent_io_tmpfile();
	if (io->fd < 0) {
		int ret = io->fd;

		free(io);
		return ret;
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

/*
 * IoRandRead{file_kb}: 16 random 4 KiB pread()s of a private file_kb KiB
 * file per burst.  The file is written once in init; reads go through
 * O_DIRECT when the file system takes it (the file is reopened through
 * /proc/self/fd), else buffered, with POSIX_FADV_DONTNEED before every
 * burst so that on a disk-backed file system each read misses the cache.
 * On the guest's tmpfs the advice is a no-op and the reads are copies from
 * RAM; the cgroup's first worker says on the console which mode ran.
 * Stresses short syscall-bound bursts; one unit per read, never blocked
 * time (in RAM a read is CPU work, so a slow read is a gap).
 */
#define RR_READS 16u
#define RR_CHUNK (64u * 1024u)

struct rand_read {
	int fd;
	int direct;
	uint64_t blocks;
	uint64_t rng;
	void *buf;                 /* IO_BLOCK bytes, IO_BLOCK-aligned for O_DIRECT */
};

static int rand_read_fill(int fd, uint64_t bytes)
{
	static char chunk[RR_CHUNK];

	memset(chunk, 0x5a, sizeof(chunk));
	for (uint64_t off = 0; off < bytes; off += RR_CHUNK) {
		size_t len = bytes - off < RR_CHUNK ? (size_t)(bytes - off) : RR_CHUNK;

		if (pwrite(fd, chunk, len, (off_t)off) != (ssize_t)len)
			return errno ? -errno : -EIO;
	}
	return fdatasync(fd) ? -errno : 0;
}

static int rand_read_init(void **state, struct agent_work_ctx *ctx)
{
	uint64_t bytes = (uint64_t)ctx->params->v[KTSTR_WP_FILE_KB] * 1024;
	struct rand_read *r = calloc(1, sizeof(*r));
	char path[64];
	int fd, ret, derr;

	if (!r)
		return -ENOMEM;
	fd = agent_io_tmpfile();
	ret = fd < 0 ? fd : rand_read_fill(fd, bytes);
	if (!ret && posix_memalign(&r->buf, IO_BLOCK, IO_BLOCK))
		ret = -ENOMEM;
	if (ret) {
		if (fd >= 0)
			close(fd);
		free(r);
		return ret;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r->fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	derr = errno;
	r->direct = r->fd >= 0;
	if (r->direct)
		close(fd);
	else
		r->fd = fd;
	r->blocks = bytes / IO_BLOCK;
	r->rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)ctx->index + 1) * 0xbf58476d1ce4e5b9ull;
	if (ctx->group_index == 0) {
		if (r->direct)
			fprintf(stderr, "ktstr-agent: IoRandRead: O_DIRECT reads\n");
		else
			fprintf(stderr, "ktstr-agent: IoRandRead: buffered reads with "
				"POSIX_FADV_DONTNEED (O_DIRECT: %s)\n", strerror(derr));
	}
	*state = r;
	return 0;
}

static uint64_t rand_read_burst(void *state, struct agent_work_ctx *ctx)
{
	struct rand_read *r = state;

	(void)ctx;
	if (!r->direct)
		posix_fadvise(r->fd, 0, 0, POSIX_FADV_DONTNEED);
	for (unsigned i = 0; i < RR_READS; i++) {
		off_t off;

		r->rng ^= r->rng << 13;
		r->rng ^= r->rng >> 7;
		r->rng ^= r->rng << 17;
		off = (off_t)(r->rng % r->blocks) * IO_BLOCK;
		if (pread(r->fd, r->buf, IO_BLOCK, off) != (ssize_t)IO_BLOCK)
			_exit(3);  /* shows as crashed: the file went away */
	}
	return RR_READS;
}

const struct agent_work agent_work_io_rand_read = {
	.name = "IoRandRead",
	.init = rand_read_init,
	.burst = rand_read_burst,
	.checkpoint_units = RR_READS,
};

/*
 * IoConvoy: every worker of the cgroup appends 4 KiB to ONE shared file
 * (O_APPEND, one open file description made before the fork) and
 * fdatasync()s it, 16 times per burst.  Appends to one file description
 * serialise on its position lock and the inode lock, so the writers queue
 * behind each other: a convoy, where a preempted writer holds up the rest.
 * The file is cut back to empty whenever it passes 1 MiB, so it stays
 * small in the guest's RAM.  One unit per append; the append and the sync
 * (the time queued) count as blocked.
 */
#define CONVOY_APPENDS 16u
#define CONVOY_MAX_BYTES (1u << 20)

struct convoy {
	int fd;
};

static int convoy_prepare(void **group, unsigned n, const struct ktstr_work_params *p)
{
	struct convoy *c = malloc(sizeof(*c));

	(void)n;
	(void)p;
	if (!c)
		return -ENOMEM;
	c->fd = agent_io_tmpfile();
	if (c->fd < 0 || fcntl(c->fd, F_SETFL, O_APPEND)) {
		int ret = c->fd < 0 ? c->fd : -errno;

		if (c->fd >= 0)
			close(c->fd);
		free(c);
		return ret;
	}
	*group = c;
	return 0;
}

static void convoy_release(void *group, unsigned n)
{
	struct convoy *c = group;

	(void)n;
	if (!c)
		return;
	close(c->fd);
	free(c);
}

static uint64_t convoy_burst(void *state, struct agent_work_ctx *ctx)
{
	const struct convoy *c = ctx->group;
	static char buf[IO_BLOCK];
	uint64_t t0 = agent_mono_ns();

	(void)state;
	buf[0] = (char)ctx->index;
	for (unsigned i = 0; i < CONVOY_APPENDS; i++) {
		if (write(c->fd, buf, IO_BLOCK) != (ssize_t)IO_BLOCK)
			_exit(3);  /* shows as crashed: the disk is gone or full */
		fdatasync(c->fd);
	}
	/* the shared offset is the end of the file after an O_APPEND write */
	if (lseek(c->fd, 0, SEEK_CUR) >= (off_t)CONVOY_MAX_BYTES && ftruncate(c->fd, 0))
		_exit(3);  /* shows as crashed: the file cannot be cut back */
	ctx->blocked_ns += agent_mono_ns() - t0;
	return CONVOY_APPENDS;
}

const struct agent_work agent_work_io_convoy = {
	.name = "IoConvoy",
	.prepare = convoy_prepare,
	.release = convoy_release,
	.burst = convoy_burst,
	.checkpoint_units = CONVOY_APPENDS,
};
