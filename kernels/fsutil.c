// SPDX-License-Identifier: GPL-2.0-only
/* Small filesystem helpers for the cache: rm -rf, mkdir -p, copy, join. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)ftw;
	if (flag == FTW_DP ? rmdir(path) : unlink(path))
		return errno == ENOENT ? 0 : -1;
	return 0;
}

int ktstr_fs_rmtree(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) ? -errno : 0;
	/* FTW_PHYS: never follow a symlink out of the tree being removed. */
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT))
		return errno ? -errno : -EIO;
	return 0;
}

void ktstr_fs_sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int ktstr_fs_copy(const char *src, const char *dst, struct ktstr_err *err)
{
	char buf[1 << 16];
	int in, out, rc = 0;
	ssize_t r;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return ktstr_err_set(err, -errno, "cannot read %s: %s", src, strerror(errno));
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (out < 0) {
		rc = ktstr_err_set(err, -errno, "cannot create %s: %s", dst, strerror(errno));
		close(in);
		return rc;
	}
	while ((r = read(in, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < r; ) {
			ssize_t w = write(out, buf + off, (size_t)(r - off));

			if (w < 0) {
				rc = ktstr_err_set(err, -errno, "cannot write %s: %s", dst,
						   strerror(errno));
				goto out;
			}
			off += w;
		}
	}
	if (r < 0)
		rc = ktstr_err_set(err, -errno, "cannot read %s: %s", src, strerror(errno));
	else if (fsync(out))
		rc = ktstr_err_set(err, -errno, "cannot write %s: %s", dst, strerror(errno));
out:
	close(in);
	close(out);
	return rc;
}

int ktstr_fs_join(char *buf, size_t len, const char *a, const char *b)
{
	int n = snprintf(buf, len, "%s/%s", a, b);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

void ktstr_fs_log_tail(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	long size, from;
	size_t n;

	buf[0] = '\0';
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	from = size > (long)len - 1 ? size - (long)len + 1 : 0;
	fseek(f, from, SEEK_SET);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	if (from > 0) {
		char *nl = strchr(buf, '\n');

		if (nl)
			memmove(buf, nl + 1, strlen(nl + 1) + 1);
	}
	while (n && (buf[strlen(buf) - 1] == '\n'))
		buf[strlen(buf) - 1] = '\0', n--;
}

int ktstr_fs_wait_exit(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}
