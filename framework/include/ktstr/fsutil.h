/* SPDX-License-Identifier: GPL-2.0-only */
/* Small file-system helpers shared by the runner and the kernel cache. */
#ifndef KTSTR_FSUTIL_H
#define KTSTR_FSUTIL_H

/* mkdir -p with mode 0755; 0 or a negative errno. */
int ktstr_mkdir_p(const char *path);

#include <stddef.h>

/*
 * "$XDG_CACHE_HOME/ktstr/<name>" (an absolute XDG_CACHE_HOME only, as the
 * spec says), else "$HOME/.cache/ktstr/<name>"; -ENOENT without either.
 * Callers check their own override variable first.
 */
int ktstr_user_cache_path(const char *name, char *buf, size_t len);

#endif
