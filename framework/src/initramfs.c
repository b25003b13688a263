// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpio "newc" archives with libarchive.  See initramfs.h for the layout.
 *
 * The cached base is written to a temporary file and renamed into place, so
 * a killed run can never leave a half archive under a valid name.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ktstr/fsutil.h"
#include "hash.h"
#include "initramfs.h"

/* Bump when the base layout changes so old cache entries are not reused. */
#define BASE_FORMAT "ktstr-initramfs-base-v1"

int ktstr_initramfs_cache_dir(char *buf, size_t len)
{
	const char *e = getenv("KTSTR_INITRAMFS_CACHE");

	if (e && *e) {
		snprintf(buf, len, "%s", e);
		return 0;
	}
	return ktstr_user_cache_path("initramfs", buf, len);
}

static int write_fd_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_file(const char *path, void **data, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;
	size_t off = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		close(fd);
		return -errno;
	}
	buf = malloc((size_t)st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (off < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + off, (size_t)st.st_size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? -errno : -EIO;

			free(buf);
			close(fd);
			return e;
		}
		off += (size_t)n;
	}
	close(fd);
	*data = buf;
	*len = off;
	return 0;
}

/* libarchive callback: append to a file descriptor. */
static la_ssize_t fd_writer(struct archive *a, void *ctx, const void *buf, size_t len)
{
	int fd = *(int *)ctx;

	if (write_fd_all(fd, buf, len)) {
		archive_set_error(a, errno, "write failed");
		return -1;
	}
	return (la_ssize_t)len;
}

static int add_entry(struct archive *a, const char *path, mode_t type_mode, dev_t rdev,
		     const void *data, size_t len, const char *symlink)
{
	struct archive_entry *e = archive_entry_new();
	int r;

	archive_entry_set_pathname(e, path);
	archive_entry_set_mode(e, type_mode);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, 0, 0);   /* reproducible archives */
	archive_entry_set_nlink(e, S_ISDIR(type_mode) ? 2 : 1);
	if (S_ISCHR(type_mode))
		archive_entry_set_rdev(e, rdev);
	if (symlink)
		archive_entry_set_symlink(e, symlink);
	archive_entry_set_size(e, S_ISREG(type_mode) ? (la_int64_t)len : 0);
	r = archive_write_header(a, e);
	if (r == ARCHIVE_OK && S_ISREG(type_mode) && len &&
	    archive_write_data(a, data, len) != (la_ssize_t)len)
		r = ARCHIVE_FATAL;
	archive_entry_free(e);
	return r == ARCHIVE_OK ? 0 : -EIO;
}

static struct archive *cpio_writer(int *fd)
{
	struct archive *a = archive_write_new();

	if (!a)
		return NULL;
	if (archive_write_set_format_cpio_newc(a) != ARCHIVE_OK ||
	    archive_write_add_filter_none(a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    archive_write_open(a, fd, NULL, fd_writer, NULL) != ARCHIVE_OK) {
		archive_write_free(a);
		return NULL;
	}
	return a;
}

static int write_base(int fd, const void *agent, size_t agent_len, const void *bb, size_t bb_len)
{
	static const char *const dirs[] = {
		"bin", "dev", "proc", "sys", "tmp", "run", "ktstr", "sbin", "usr", "usr/bin",
	};
	struct archive *a = cpio_writer(&fd);
	int r = 0;

	if (!a)
		return -EIO;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && !r; i++)
		r = add_entry(a, dirs[i], S_IFDIR | 0755, 0, NULL, 0, NULL);
	/* PID 1 gets its stdio from /dev/console before devtmpfs is mounted. */
	if (!r)
		r = add_entry(a, "dev/console", S_IFCHR | 0600, makedev(5, 1), NULL, 0, NULL);
	if (!r)
		r = add_entry(a, "init", S_IFREG | 0755, 0, agent, agent_len, NULL);
	if (!r && bb) {
		r = add_entry(a, "bin/busybox", S_IFREG | 0755, 0, bb, bb_len, NULL);
		if (!r)
			r = add_entry(a, "bin/sh", S_IFLNK | 0777, 0, NULL, 0, "busybox");
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		r = -EIO;
	archive_write_free(a);
	return r;
}

static int copy_fd(int in, int out, size_t *copied)
{
	char buf[1 << 16];
	ssize_t n;

	*copied = 0;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		int r = write_fd_all(out, buf, (size_t)n);

		if (r)
			return r;
		*copied += (size_t)n;
	}
	return n < 0 ? -errno : 0;
}

/*
 * A run killed while storing leaves its .tmp-PID.cpio behind; whoever stores
 * next removes temporaries whose writer is gone (no such PID).
 */
static void sweep_stale_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[1100];
		int pid;

		if (sscanf(e->d_name, ".tmp-%d.cpio", &pid) != 1 || pid <= 0)
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
}

/* Store the base in the cache atomically; failures only cost the cache. */
static void cache_store(const char *dir, const char *final, const void *agent, size_t agent_len,
			const void *bb, size_t bb_len)
{
	char tmp[1100];
	int fd;

	if (ktstr_mkdir_p(dir))
		return;
	sweep_stale_tmp(dir);
	snprintf(tmp, sizeof(tmp), "%s/.tmp-%d.cpio", dir, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write_base(fd, agent, agent_len, bb, bb_len) || fsync(fd)) {
		close(fd);
		unlink(tmp);
		return;
	}
	close(fd);
	if (rename(tmp, final))
		unlink(tmp);
}

/*
 * The kernel's cpio unpacker creates no missing parent directories, so each
 * ancestor of an extra file gets its own entry (a repeated directory entry
 * is harmless: mkdir of an existing directory is ignored).
 */
static int add_parents(struct archive *a, const char *path)
{
	char dir[1024];
	int r = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = strchr(dir + 1, '/'); p && !r; p = strchr(p + 1, '/')) {
		*p = '\0';
		r = add_entry(a, dir, S_IFDIR | 0755, 0, NULL, 0, NULL);
		*p = '/';
	}
	return r;
}

static int add_extra(struct archive *a, const struct ktstr_initramfs_file *f,
		     struct ktstr_err *err)
{
	void *data = NULL;
	size_t len = f->len;
	int r = add_parents(a, f->path);

	if (!r && f->host_path && !f->data) {
		r = read_file(f->host_path, &data, &len);
		if (r)
			return ktstr_err_set(err, r, "cannot read '%s' for the initramfs (%s): %s",
					     f->host_path, f->path, strerror(-r));
	}
	if (!r)
		r = add_entry(a, f->path, S_IFREG | (f->mode & 07777), 0, data ? data : f->data, len,
			      NULL);
	free(data);
	return r;
}

int ktstr_initramfs_build(const char *agent_path, const char *busybox_path,
			  const struct ktstr_initramfs_file *extra, unsigned n_extra,
			  int *out_fd, struct ktstr_initramfs_info *info, struct ktstr_err *err)
{
	void *agent = NULL, *bb = NULL;
	size_t agent_len = 0, bb_len = 0;
	struct ktstr_hash *h;
	char dir[1024];
	int fd = -1, cfd, r;
	struct archive *a;

	memset(info, 0, sizeof(*info));
	r = read_file(agent_path, &agent, &agent_len);
	if (r)
		return ktstr_err_set(err, r,
				     "guest agent '%s' cannot be read: %s. Rebuild ktstr "
				     "(the ktstr-agent target), or set KTSTR_AGENT to its path",
				     agent_path, strerror(-r));
	if (busybox_path) {
		r = read_file(busybox_path, &bb, &bb_len);
		if (r) {
			free(agent);
			return ktstr_err_set(err, r,
					     "busybox '%s' cannot be read: %s. Install it with "
					     "`apt-get install busybox-static`, or set KTSTR_BUSYBOX",
					     busybox_path, strerror(-r));
		}
	}

	h = ktstr_hash_new();
	if (!h) {
		r = ktstr_err_set(err, -ENOMEM, "cannot hash the initramfs inputs");
		goto out;
	}
	ktstr_hash_update(h, BASE_FORMAT, sizeof(BASE_FORMAT));
	ktstr_hash_update(h, agent, agent_len);
	ktstr_hash_update(h, bb ? bb : "", bb_len);
	ktstr_hash_final_hex(h, info->base_hash);

	fd = memfd_create("ktstr-initramfs", MFD_CLOEXEC);
	if (fd < 0) {
		r = ktstr_err_set(err, -errno, "memfd_create for the initramfs: %s", strerror(errno));
		goto out;
	}

	if (!ktstr_initramfs_cache_dir(dir, sizeof(dir))) {
		info->cached = true;
		snprintf(info->cache_path, sizeof(info->cache_path), "%s/%s.cpio", dir,
			 info->base_hash);
		cfd = open(info->cache_path, O_RDONLY | O_CLOEXEC);
		if (cfd < 0) {
			cache_store(dir, info->cache_path, agent, agent_len, bb, bb_len);
			cfd = open(info->cache_path, O_RDONLY | O_CLOEXEC);
		} else {
			info->cache_hit = true;
		}
		if (cfd >= 0) {
			r = copy_fd(cfd, fd, &info->base_bytes);
			close(cfd);
			if (r) {
				/* Fall back to building in memory below. */
				if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET))
					goto io_fail;
				info->cache_hit = false;
				info->base_bytes = 0;
			}
		}
	}
	if (!info->base_bytes) {
		r = write_base(fd, agent, agent_len, bb, bb_len);
		if (r)
			goto io_fail;
		info->base_bytes = (size_t)lseek(fd, 0, SEEK_CUR);
	}

	a = cpio_writer(&fd);
	if (!a)
		goto io_fail;
	r = 0;
	for (unsigned i = 0; i < n_extra && !r; i++)
		r = add_extra(a, &extra[i], err);
	if (archive_write_close(a) != ARCHIVE_OK && !r)
		r = -EIO;
	archive_write_free(a);
	if (r == -ENOENT || r == -EACCES || r == -EISDIR)
		goto out;          /* add_extra() said which file */
	if (r)
		goto io_fail;
	info->total_bytes = (size_t)lseek(fd, 0, SEEK_CUR);
	lseek(fd, 0, SEEK_SET);
	*out_fd = fd;
	fd = -1;
	r = 0;
	goto out;

io_fail:
	r = ktstr_err_set(err, -EIO, "cannot write the initramfs (memfd): %s", strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	free(agent);
	free(bb);
	return r;
}
