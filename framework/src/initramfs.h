/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's initramfs: a cached base archive (the agent as /init, busybox,
 * /dev/console) keyed by the SHA-256 of its inputs, plus a small per-run
 * suffix archive (the scenario).  The kernel unpacks concatenated cpio
 * archives in order, so the two are simply appended into one memfd.
 */
#ifndef KTSTR_INITRAMFS_H
#define KTSTR_INITRAMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ktstr/error.h"

struct ktstr_initramfs_file {
	const char *path;          /* inside the guest, e.g. "ktstr/scenario.yaml" */
	const void *data;
	size_t len;
	mode_t mode;
	/*
	 * When set (data NULL), the content is read from this host file instead
	 * (symlinks followed): the scheduler binary and its libraries.  Missing
	 * parent directories of `path` are created in the archive either way.
	 */
	const char *host_path;
};

struct ktstr_initramfs_info {
	char base_hash[65];
	bool cache_hit;
	bool cached;               /* false when no cache directory was usable */
	char cache_path[1024];
	size_t base_bytes;
	size_t total_bytes;
};

/* Cache directory: $KTSTR_INITRAMFS_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/ktstr/initramfs. */
int ktstr_initramfs_cache_dir(char *buf, size_t len);

/*
 * Build the initramfs into a new memfd (*out_fd, CLOEXEC).  busybox may be
 * NULL (then the guest has no shell).  Errors name the missing input and the
 * fix.
 */
int ktstr_initramfs_build(const char *agent_path, const char *busybox_path,
			  const struct ktstr_initramfs_file *extra, unsigned n_extra,
			  int *out_fd, struct ktstr_initramfs_info *info, struct ktstr_err *err);

#endif
