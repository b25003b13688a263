/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small file helpers for sysfs, procfs and cgroupfs: whole-value reads and
 * writes that report -errno, because every caller turns a failure into a
 * message naming the file.
 */
#ifndef AGENT_FILEIO_H
#define AGENT_FILEIO_H

#include <stddef.h>

/*
 * Read a whole small file into buf (NUL-terminated, trailing whitespace
 * trimmed).  Returns the trimmed length, or -errno.  -EFBIG when it does not
 * fit.
 */
int agent_read_file(const char *path, char *buf, size_t len);

/* Like agent_read_file() with a printf-style path. */
int agent_read_filef(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Parse a file holding one decimal integer.  Returns 0 or -errno. */
int agent_read_long(const char *path, long *out);

/*
 * Write val with a single write(2) (kernfs files act on each write), then
 * close.  Returns 0 or -errno.
 */
int agent_write_file(const char *path, const char *val);

/* write(2) until all of buf is out; retries EINTR and short writes. */
int agent_write_full(int fd, const void *buf, size_t len);

/* "dir/name" into buf; -ENAMETOOLONG when it does not fit. */
int agent_path_join(char *buf, size_t len, const char *dir, const char *name);

#endif /* AGENT_FILEIO_H */
