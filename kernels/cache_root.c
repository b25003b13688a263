// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where the kernel cache lives: KTSTR_CACHE_DIR > $XDG_CACHE_HOME/ktstr/kernels
 * > $HOME/.cache/ktstr/kernels.  HOME unset and HOME="" get distinct
 * messages because their causes (bare container init vs. `ENV HOME=`) and
 * fixes differ.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ktstr/kernel.h"

static int put(char *buf, size_t len, const char *a, const char *b, struct ktstr_err *err)
{
	int n = snprintf(buf, len, "%s%s", a, b);

	if (n < 0 || (size_t)n >= len)
		return ktstr_err_set(err, -ENAMETOOLONG, "cache directory path too long: %s%s", a, b);
	return 0;
}

int ktstr_cache_root(char *buf, size_t len, struct ktstr_err *err)
{
	const char *v;

	v = getenv("KTSTR_CACHE_DIR");
	if (v && *v) {
		if (v[0] != '/')
			return ktstr_err_set(err, -EINVAL,
				"KTSTR_CACHE_DIR=%s is not an absolute path; set it to an absolute "
				"path (e.g. /tmp/ktstr-cache)", v);
		return put(buf, len, v, "", err);
	}
	v = getenv("XDG_CACHE_HOME");
	/* The XDG spec says to ignore a relative XDG_CACHE_HOME. */
	if (v && v[0] == '/')
		return put(buf, len, v, "/ktstr/kernels", err);
	v = getenv("HOME");
	if (!v)
		return ktstr_err_set(err, -ENOENT,
			"HOME is unset; cannot resolve cache directory. The process was started "
			"without HOME (a bare container init, a systemd unit without "
			"Environment=HOME=...) — set HOME to an absolute path, or set "
			"KTSTR_CACHE_DIR to an absolute path (e.g. /tmp/ktstr-cache) or "
			"XDG_CACHE_HOME to choose the cache location explicitly.");
	if (!*v)
		return ktstr_err_set(err, -ENOENT,
			"HOME is set to the empty string; cannot resolve cache directory. An "
			"empty HOME usually comes from `export HOME=` or `ENV HOME=` with no value "
			"in a shell rc or Dockerfile — set HOME to a real absolute path, or set "
			"KTSTR_CACHE_DIR to an absolute path (e.g. /tmp/ktstr-cache) or "
			"XDG_CACHE_HOME to choose the cache location explicitly.");
	if (v[0] != '/')
		return ktstr_err_set(err, -EINVAL,
			"HOME=%s is not an absolute path; cannot resolve cache directory. Set HOME "
			"to an absolute path, or set KTSTR_CACHE_DIR to an absolute path "
			"(e.g. /tmp/ktstr-cache).", v);
	return put(buf, len, v, "/.cache/ktstr/kernels", err);
}
