// SPDX-License-Identifier: GPL-2.0-only
/* Whole-value file reads and writes for pseudo filesystems. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

int agent_read_file(const char *path, char *buf, size_t len)
{
	size_t got = 0;
	int fd, ret = 0;

	if (!len)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (got == len - 1) {
			char c;

			/* Full buffer: fine only if the file ends here. */
			n = read(fd, &c, 1);
			if (n > 0)
				ret = -EFBIG;
			else if (n < 0 && errno == EINTR)
				continue;
			else if (n < 0)
				ret = -errno;
			break;
		}
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (ret)
		return ret;
	while (got && isspace((unsigned char)buf[got - 1]))
		got--;
	buf[got] = '\0';
	return (int)got;
}

int agent_read_filef(char *buf, size_t len, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	return agent_read_file(path, buf, len);
}

int agent_read_long(const char *path, long *out)
{
	char buf[64], *end;
	int ret = agent_read_file(path, buf, sizeof(buf));

	if (ret < 0)
		return ret;
	errno = 0;
	*out = strtol(buf, &end, 10);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

int agent_write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int agent_write_file(const char *path, const char *val)
{
	size_t len = strlen(val);
	int fd, ret = 0;
	ssize_t n;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do
		n = write(fd, val, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	if (close(fd) < 0 && !ret && errno != EINTR)
		ret = -errno;
	return ret;
}

int agent_path_join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}
