// SPDX-License-Identifier: GPL-2.0-only
/*
 * flock(2) on lock files: the cache's per-key locks (exclusive while a store
 * writes an entry, shared while a VM boots it).
 *
 * Remote filesystems are refused rather than trusted: on NFS, CIFS/SMB,
 * CephFS, AFS and FUSE flock(2) is emulated, per-client, or advisory-only,
 * so two hosts sharing a cache would both "hold" the lock and tear each
 * other's entries.  A refusal with a fix beats silent corruption.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "ktstr/kernel.h"
#include "internal.h"

static const struct { long magic; const char *name; } remote_fs[] = {
	{ 0x6969, "NFS" },
	{ (long)0xFF534D42, "CIFS" },
	{ (long)0xFE534D42, "SMB2" },
	{ 0x517B, "SMB" },
	{ 0x00C36400, "CephFS" },
	{ 0x5346414F, "AFS" },
	{ 0x6B414653, "AFS" },
	{ 0x65735546, "FUSE" },
};

const char *ktstr_lock_remote_fs_name(long magic)
{
	for (size_t i = 0; i < sizeof(remote_fs) / sizeof(remote_fs[0]); i++)
		if ((unsigned int)remote_fs[i].magic == (unsigned int)magic)
			return remote_fs[i].name;
	return NULL;
}

static long fstype_statfs(int fd)
{
	struct statfs sf;

	return fstatfs(fd, &sf) ? 0 : (long)sf.f_type;
}

/* "pid=123 cmd=ktstr kernel fetch, pid=..." from /proc/locks; "unknown" if none. */
static void describe_holders(int fd, char *buf, size_t len)
{
	char line[256], want[64];
	struct stat st;
	size_t used = 0;
	FILE *f;

	snprintf(buf, len, "unknown");
	if (fstat(fd, &st))
		return;
	snprintf(want, sizeof(want), "%02x:%02x:%lu", major(st.st_dev), minor(st.st_dev),
		 (unsigned long)st.st_ino);
	f = fopen("/proc/locks", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char type[16], dev[64], cmd[128] = "?", path[64];
		int pid;
		FILE *c;

		/* "N: FLOCK ADVISORY WRITE PID MAJ:MIN:INO 0 EOF"; "N: -> ..." are waiters. */
		if (strstr(line, "->") ||
		    sscanf(line, "%*d: %15s %*s %*s %d %63s", type, &pid, dev) != 3 ||
		    strcmp(type, "FLOCK") || strcmp(dev, want))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
		c = fopen(path, "re");
		if (c) {
			size_t n = fread(cmd, 1, sizeof(cmd) - 1, c);

			cmd[n] = '\0';
			for (size_t i = 0; i + 1 < n; i++)
				if (!cmd[i])
					cmd[i] = ' ';
			fclose(c);
		}
		if (used < len) {
			int w = snprintf(buf + used, len - used, "%spid=%d cmd=%s",
					 used ? ", " : "", pid, cmd);

			used += w > 0 ? (size_t)w : 0;
		}
	}
	fclose(f);
}

int ktstr_lock_path(const char *path, const struct ktstr_lock_opts *o, struct ktstr_lock *lk,
		    struct ktstr_err *err)
{
	const char *what = o->what ? o->what : path;
	const char *mode = o->exclusive ? "LOCK_EX" : "LOCK_SH";
	const char *remote;
	struct timespec start, now;
	int fd, rc;

	lk->fd = -1;
	snprintf(lk->path, sizeof(lk->path), "%s", path);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return ktstr_err_set(err, -errno, "cannot open lockfile %s: %s", path,
				     strerror(errno));
	remote = ktstr_lock_remote_fs_name((o->fstype ? o->fstype : fstype_statfs)(fd));
	if (remote) {
		close(fd);
		return ktstr_err_set(err, -ENOLCK,
			"%s: filesystem %s is not supported for ktstr lockfiles (flock(2) there is "
			"emulated, per-client or advisory-only, so two hosts could both hold the "
			"lock). Put the kernel cache on a local filesystem (tmpfs, ext4, xfs, btrfs) "
			"with KTSTR_CACHE_DIR=/local/path.", path, remote);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		long ms;

		if (!flock(fd, (o->exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB))
			break;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			rc = -errno;
			close(fd);
			return ktstr_err_set(err, rc, "flock %s on %s failed: %s", mode, path,
					     strerror(-rc));
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (o->timeout_ms >= 0 && ms >= o->timeout_ms) {
			char holders[512];

			describe_holders(fd, holders, sizeof(holders));
			close(fd);
			if (o->timeout_ms == 0)
				return ktstr_err_set(err, -EBUSY,
					"%s is in use (lockfile %s, holders: %s); wait for that "
					"ktstr process to finish, or stop it, then retry.",
					what, path, holders);
			return ktstr_err_set(err, -ETIMEDOUT,
				"flock %s on %s timed out after %ds (lockfile %s, holders: %s). "
				"Another ktstr process is using it; wait for it to finish or stop "
				"it, then retry (KTSTR_CACHE_LOCK_TIMEOUT sets the wait in seconds).",
				mode, what, o->timeout_ms / 1000, path, holders);
		}
		usleep(50 * 1000);
	}
	lk->fd = fd;
	return 0;
}

void ktstr_unlock(struct ktstr_lock *lk)
{
	if (lk && lk->fd >= 0) {
		close(lk->fd);   /* closing the last fd drops the flock */
		lk->fd = -1;
	}
}

int ktstr_cache_lock_timeout_ms(void)
{
	const char *v = getenv("KTSTR_CACHE_LOCK_TIMEOUT");
	char *end;
	long s;

	if (v && *v) {
		s = strtol(v, &end, 10);
		if (!*end && s >= 0 && s < 86400)
			return (int)(s * 1000);
	}
	return 60 * 1000;
}

int ktstr_cache_lock_path(const char *root, const char *key, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/.locks/%s.lock", root, key);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int ktstr_kernel_lock(const struct ktstr_kernel *k, struct ktstr_lock *lk, struct ktstr_err *err)
{
	char root[512], dir[600], path[768], what[300];
	struct ktstr_lock_opts o = { .exclusive = 0 };
	int rc;

	lk->fd = -1;
	lk->path[0] = '\0';
	if (!k->key[0])
		return 0;
	rc = ktstr_cache_root(root, sizeof(root), err);
	if (rc)
		return rc;
	snprintf(dir, sizeof(dir), "%s/.locks", root);
	if ((rc = ktstr_mkdir_p(dir)))
		return ktstr_err_set(err, rc, "cannot create %s: %s", dir, strerror(-rc));
	if (ktstr_cache_lock_path(root, k->key, path, sizeof(path)))
		return ktstr_err_set(err, -ENAMETOOLONG, "cache key too long: %s", k->key);
	snprintf(what, sizeof(what), "cache entry %s", k->key);
	o.timeout_ms = ktstr_cache_lock_timeout_ms();
	o.what = what;
	return ktstr_lock_path(path, &o, lk, err);
}

void ktstr_kernel_unlock(struct ktstr_lock *lk)
{
	ktstr_unlock(lk);
}
