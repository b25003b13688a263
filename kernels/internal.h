/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers shared by the files of kernels/; not installed. */
#ifndef KTSTR_KERNELS_INTERNAL_H
#define KTSTR_KERNELS_INTERNAL_H

#include <stddef.h>
#include <sys/types.h>

#include "ktstr/error.h"
#include "ktstr/fsutil.h"

/* rm -rf path (does not follow symlinks); 0 or negative errno. */
int ktstr_fs_rmtree(const char *path);
/* fsync a directory so a rename inside it is durable. */
void ktstr_fs_sync_dir(const char *path);
/* Copies src to dst (created, must not exist) and fsyncs it. */
int ktstr_fs_copy(const char *src, const char *dst, struct ktstr_err *err);
/* snprintf that reports truncation as -ENAMETOOLONG. */
/* The end of a log file (at most len-1 bytes, from a line start) for error messages. */
/* Reap pid: its exit status, 128 + signal when killed, or -errno. */
int ktstr_fs_wait_exit(pid_t pid);
void ktstr_fs_log_tail(const char *path, char *buf, size_t len);
int ktstr_fs_join(char *buf, size_t len, const char *a, const char *b);

/* Default lock timeout: KTSTR_CACHE_LOCK_TIMEOUT (seconds) or 60 s. */
int ktstr_cache_lock_timeout_ms(void);

/* The cache key's arch component for this build ("x86_64"). */
#define KTSTR_KERNEL_ARCH "x86_64"
#define KTSTR_KERNEL_IMAGE_NAME "bzImage"
#define KTSTR_KERNEL_IMAGE_SUBPATH "arch/x86/boot/bzImage"

struct ktstr_deb_spec;
/* The classic-layout (linux-image-VER-unsigned) fallback for a version. */
int ktstr_deb_spec_classic(const char *version, struct ktstr_deb_spec *s);

#endif
