// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel discovery chain, first match wins:
 *
 *   1. KTSTR_TEST_KERNEL   an image path, used as is
 *   2. KTSTR_KERNEL        an image path, a source/build dir (its
 *                          arch/x86/boot/bzImage), a cache key, or a version
 *                          (prefix) of a cached entry; naming something that
 *                          does not exist is an error, never a fall-through,
 *                          so a typo cannot silently test another kernel
 *   3. the newest valid, non-stale cache entry
 *   4. ./linux, 5. ../linux  (arch/x86/boot/bzImage)
 *   6. the running kernel: /lib/modules/$(uname -r)/vmlinuz,
 *      /boot/vmlinuz-$(uname -r)
 *
 * Discovery never fetches or stores; `ktstr kernel fetch` does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ktstr/default_kernel.h"
#include "ktstr/kernel.h"
#include "internal.h"

static int is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void set_config(struct ktstr_kernel *k, const char *config)
{
	snprintf(k->config, sizeof(k->config), "%s", is_file(config) ? config : "");
	k->sched_ext = ktstr_kconfig_is_y(k->config, "SCHED_CLASS_EXT");
	k->btf = ktstr_kconfig_is_y(k->config, "DEBUG_INFO_BTF");
}

static void from_entry(struct ktstr_kernel *k, const struct ktstr_cache_entry *e,
		       const char *source)
{
	char cfg[1024];

	memset(k, 0, sizeof(*k));
	snprintf(k->image, sizeof(k->image), "%s/%s", e->path, e->meta.image_name);
	snprintf(cfg, sizeof(cfg), "%s/config", e->path);
	set_config(k, cfg);
	snprintf(k->version, sizeof(k->version), "%s", e->meta.version);
	snprintf(k->key, sizeof(k->key), "%s", e->key);
	snprintf(k->source, sizeof(k->source), "%s", source);
}

/* A kernel build/source tree: dir/arch/x86/boot/bzImage with dir/.config. */
static int from_tree(struct ktstr_kernel *k, const char *dir, const char *source)
{
	char img[1024], cfg[1024];

	snprintf(img, sizeof(img), "%s/" KTSTR_KERNEL_IMAGE_SUBPATH, dir);
	if (!is_file(img))
		return 0;
	memset(k, 0, sizeof(*k));
	snprintf(k->image, sizeof(k->image), "%s", img);
	snprintf(cfg, sizeof(cfg), "%s/.config", dir);
	set_config(k, cfg);
	snprintf(k->source, sizeof(k->source), "%s", source);
	return 1;
}

static void from_image(struct ktstr_kernel *k, const char *img, const char *source)
{
	char cfg[1024];
	const char *slash;

	memset(k, 0, sizeof(*k));
	snprintf(k->image, sizeof(k->image), "%s", img);
	/* A config next to the image (cache entries, unpacked packages). */
	slash = strrchr(img, '/');
	snprintf(cfg, sizeof(cfg), "%.*s/config", slash ? (int)(slash - img) : 1,
		 slash ? img : ".");
	set_config(k, cfg);
	snprintf(k->source, sizeof(k->source), "%s", source);
}

/* "7.2" matches "7.2.13+deb14-cloud-amd64" but not "7.20.1". */
static int version_matches(const char *version, const char *want)
{
	size_t n = strlen(want);

	if (strncmp(version, want, n))
		return 0;
	return version[n] == '\0' || version[n] == '.' || version[n] == '+' ||
	       version[n] == '-' || version[n] == '~';
}

static int resolve_ktstr_kernel(const char *v, struct ktstr_kernel *k, struct ktstr_err *err)
{
	struct ktstr_cache_entry *ents = NULL;
	char root[512], why[sizeof(ents->error) + 64] = "";
	size_t n = 0;
	int rc, stale_hit = -1;
	char deb_version[128];

	if (is_file(v)) {
		from_image(k, v, "KTSTR_KERNEL");
		return 0;
	}
	if (is_dir(v) && from_tree(k, v, "KTSTR_KERNEL"))
		return 0;
	if (strchr(v, '/') || v[0] == '.') {
		return ktstr_err_set(err, -ENOENT,
			"KTSTR_KERNEL=%s: no kernel image there. A path must be a bzImage or a "
			"built kernel tree containing " KTSTR_KERNEL_IMAGE_SUBPATH " (run `make` "
			"in it first).", v);
	}
	/*
	 * A Debian package spec (linux-binary-VER, linux-image-VER-unsigned)
	 * names the same kernel as its version: match cached entries by that.
	 */
	if (!strncmp(v, "linux-", 6)) {
		struct ktstr_deb_spec spec;
		struct ktstr_err ignored = { 0 };

		if (!ktstr_deb_spec_parse(v, &spec, &ignored) && spec.version[0])
			v = memcpy(deb_version, spec.version, sizeof(deb_version));
	}
	rc = ktstr_cache_root(root, sizeof(root), err);
	if (rc)
		return ktstr_err_wrap(err, "KTSTR_KERNEL=%s names a cached kernel, but", v);
	rc = ktstr_cache_list(root, &ents, &n, err);
	if (rc)
		return rc;
	rc = -ENOENT;
	for (size_t i = 0; i < n && rc; i++) {
		struct ktstr_cache_entry *e = &ents[i];
		int hit = !strcmp(e->key, v) ||
			  (e->kind == KTSTR_CACHE_OK && version_matches(e->meta.version, v));

		if (!hit)
			continue;
		if (e->kind != KTSTR_CACHE_OK) {
			snprintf(why, sizeof(why), " (entry %s is corrupt: %s)", e->key, e->error);
			continue;
		}
		/* Newest first: take the first non-stale match, else a stale one. */
		if (e->stale_kconfig) {
			if (stale_hit < 0)
				stale_hit = (int)i;
			continue;
		}
		from_entry(k, e, "KTSTR_KERNEL");
		rc = 0;
	}
	if (rc && stale_hit >= 0) {
		/* An explicit request beats the kconfig check: use it, as asked. */
		from_entry(k, &ents[stale_hit], "KTSTR_KERNEL");
		rc = 0;
	}
	free(ents);
	if (rc)
		return ktstr_err_set(err, -ENOENT,
			"KTSTR_KERNEL=%s is not a path, a cache key or the version of a cached "
			"kernel in %s%s. See what is cached with `ktstr kernel list`; fetch a "
			"kernel with `ktstr kernel fetch VERSION` (a full Debian version such as "
			KTSTR_DEFAULT_KERNEL_VERSION ").", v, root, why);
	return 0;
}

static int from_cache(struct ktstr_kernel *k, const char *root)
{
	struct ktstr_cache_entry *ents = NULL;
	size_t n = 0;
	int found = 0;

	if (ktstr_cache_list(root, &ents, &n, NULL))
		return 0;
	for (size_t i = 0; i < n && !found; i++) {
		if (ents[i].kind != KTSTR_CACHE_OK || ents[i].stale_kconfig)
			continue;
		from_entry(k, &ents[i], "cache");
		found = 1;
	}
	free(ents);
	return found;
}

static int from_host(struct ktstr_kernel *k, const char *hr)
{
	char img[600], cfg[600];
	struct utsname u;

	if (uname(&u))
		return 0;
	snprintf(img, sizeof(img), "%s/lib/modules/%s/vmlinuz", hr, u.release);
	if (access(img, R_OK)) {
		/* /boot/vmlinuz-* is often 0600: unreadable counts as absent. */
		snprintf(img, sizeof(img), "%s/boot/vmlinuz-%s", hr, u.release);
		if (access(img, R_OK))
			return 0;
	}
	memset(k, 0, sizeof(*k));
	snprintf(k->image, sizeof(k->image), "%s", img);
	snprintf(k->version, sizeof(k->version), "%s", u.release);
	snprintf(cfg, sizeof(cfg), "%s/boot/config-%s", hr, u.release);
	if (!is_file(cfg))
		snprintf(cfg, sizeof(cfg), "%s/lib/modules/%s/config", hr, u.release);
	set_config(k, cfg);
	snprintf(k->source, sizeof(k->source), "host");
	return 1;
}

int ktstr_kernel_resolve(struct ktstr_kernel *out, struct ktstr_err *err)
{
	return ktstr_kernel_resolve_opts(NULL, out, err);
}

int ktstr_kernel_resolve_opts(const struct ktstr_resolve_opts *o, struct ktstr_kernel *out,
			      struct ktstr_err *err)
{
	const char *hr = o && o->host_root ? o->host_root : "";
	struct ktstr_err root_err = { 0 };
	const char *v;
	char root[512];

	memset(out, 0, sizeof(*out));
	out->sched_ext = out->btf = -1;
	if (o && o->spec && *o->spec)
		return resolve_ktstr_kernel(o->spec, out, err);
	v = getenv("KTSTR_TEST_KERNEL");
	if (v && *v) {
		if (!is_file(v))
			return ktstr_err_set(err, -ENOENT,
				"KTSTR_TEST_KERNEL=%s: no such file. It must name a bootable "
				"kernel image (bzImage); unset it to use the discovery chain.", v);
		from_image(out, v, "KTSTR_TEST_KERNEL");
		return 0;
	}
	v = getenv("KTSTR_KERNEL");
	if (v && *v)
		return resolve_ktstr_kernel(v, out, err);
	if (ktstr_cache_root(root, sizeof(root), &root_err) == 0 && from_cache(out, root))
		return 0;
	if (from_tree(out, "./linux", "./linux") || from_tree(out, "../linux", "../linux") ||
	    from_host(out, hr))
		return 0;
	/* The hints go in as an argument so the message's first line stays the
	 * stable, greppable "no kernel found". */
	return ktstr_err_set(err, -ENOENT, "no kernel found%s%s%s",
		"\nhint: run `ktstr kernel fetch` to download and cache the default sched_ext "
		"kernel, or set KTSTR_KERNEL to a built kernel tree, a cached version "
		"(e.g. `7.2`) or a cache key (see `ktstr kernel list`)\n"
		"hint: or set KTSTR_TEST_KERNEL=/path/to/bzImage to boot an image directly",
		root_err.code ? "\nhint: the kernel cache was not searched: " : "",
		root_err.code ? root_err.msg : "");
}
