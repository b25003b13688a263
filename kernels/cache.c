// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel cache: one directory per key under the cache root.
 *
 *   <root>/<key>/{bzImage,config,metadata.json}   an entry
 *   <root>/.tmp-<key>-XXXXXX/                     a store in progress (or
 *                                                 killed midway: an orphan)
 *   <root>/.locks/<key>.lock                      the key's flock
 *
 * An entry appears only by rename(2) of a complete .tmp dir, so readers
 * never see half an entry; dot names are never listed as entries.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ktstr/kernel.h"
#include "internal.h"

#define TMP_PREFIX ".tmp-"
#define TMP_SUFFIX_LEN 7   /* "-XXXXXX" */

static int key_ok(const char *key)
{
	size_t n = strlen(key);

	return n > 0 && n <= 200 && key[0] != '.' && !strchr(key, '/');
}

int ktstr_cache_key_deb(const char *version, const char *arch, char *key, size_t len)
{
	int n;

	if (!version[0] || version[0] == '.' || strchr(version, '/'))
		return -EINVAL;
	n = snprintf(key, len, "%s-deb-%s", version, arch);
	return n < 0 || (size_t)n >= len || !key_ok(key) ? -ENAMETOOLONG : 0;
}

static void fill_entry(const char *root, const char *key, struct ktstr_cache_entry *e)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->key, sizeof(e->key), "%s", key);
	snprintf(e->path, sizeof(e->path), "%s/%s", root, key);
	e->kind = ktstr_meta_read(e->path, &e->meta, e->error, sizeof(e->error));
	e->stale_kconfig = e->kind == KTSTR_CACHE_OK &&
			   strcmp(e->meta.kconfig_hash, ktstr_kconfig_fragment_hash()) != 0;
}

int ktstr_cache_lookup(const char *root, const char *key, struct ktstr_cache_entry *e,
		       struct ktstr_err *err)
{
	char path[1024];
	struct stat st;

	if (!key_ok(key))
		return ktstr_err_set(err, -EINVAL, "invalid cache key '%s'", key);
	snprintf(path, sizeof(path), "%s/%s", root, key);
	if (lstat(path, &st) || !S_ISDIR(st.st_mode))
		return -ENOENT;
	fill_entry(root, key, e);
	return 0;
}

/* Valid entries first, newest built_at first; corrupt ones last, by key. */
static int entry_cmp(const void *a, const void *b)
{
	const struct ktstr_cache_entry *x = a, *y = b;
	int xc = x->kind != KTSTR_CACHE_OK, yc = y->kind != KTSTR_CACHE_OK, c;

	if (xc != yc)
		return xc - yc;
	if (!xc && (c = strcmp(y->meta.built_at, x->meta.built_at)))
		return c;
	return strcmp(x->key, y->key);
}

int ktstr_cache_list(const char *root, struct ktstr_cache_entry **out, size_t *n,
		     struct ktstr_err *err)
{
	struct ktstr_cache_entry *v = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *d;
	DIR *dir;

	*out = NULL;
	*n = 0;
	dir = opendir(root);
	if (!dir) {
		if (errno == ENOENT)
			return 0;
		return ktstr_err_set(err, -errno, "cannot read cache directory %s: %s", root,
				     strerror(errno));
	}
	while ((d = readdir(dir))) {
		char path[1024];
		struct stat st;

		if (d->d_name[0] == '.')
			continue;   /* .tmp-*, .locks, .apt: never entries */
		snprintf(path, sizeof(path), "%s/%s", root, d->d_name);
		if (lstat(path, &st) || !S_ISDIR(st.st_mode))
			continue;
		if (cnt == cap) {
			struct ktstr_cache_entry *nv;

			cap = cap ? cap * 2 : 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(dir);
				return ktstr_err_set(err, -ENOMEM, "out of memory listing %s", root);
			}
			v = nv;
		}
		fill_entry(root, d->d_name, &v[cnt++]);
	}
	closedir(dir);
	if (cnt)
		qsort(v, cnt, sizeof(*v), entry_cmp);
	*out = v;
	*n = cnt;
	return 0;
}

static int lock_key(const char *root, const char *key, int timeout_ms, struct ktstr_lock *lk,
		    struct ktstr_err *err)
{
	char dir[1024], path[1024], what[300];
	struct ktstr_lock_opts o = { .exclusive = 1, .timeout_ms = timeout_ms };
	int rc;

	snprintf(dir, sizeof(dir), "%s/.locks", root);
	if ((rc = ktstr_mkdir_p(dir)))
		return ktstr_err_set(err, rc, "cannot create cache directory %s: %s", dir,
				     strerror(-rc));
	if (ktstr_cache_lock_path(root, key, path, sizeof(path)))
		return ktstr_err_set(err, -ENAMETOOLONG, "cache key too long: %s", key);
	snprintf(what, sizeof(what), "cache entry %s", key);
	o.what = what;
	return ktstr_lock_path(path, &o, lk, err);
}

/* The key a .tmp-<key>-XXXXXX name belongs to; 0 if it is not such a name. */
static int tmp_key(const char *name, char *key, size_t len)
{
	size_t n = strlen(name), pl = strlen(TMP_PREFIX);

	if (strncmp(name, TMP_PREFIX, pl) || n <= pl + TMP_SUFFIX_LEN ||
	    name[n - TMP_SUFFIX_LEN] != '-' || n - pl - TMP_SUFFIX_LEN >= len)
		return 0;
	memcpy(key, name + pl, n - pl - TMP_SUFFIX_LEN);
	key[n - pl - TMP_SUFFIX_LEN] = '\0';
	return key_ok(key);
}

/*
 * Removes orphaned .tmp dirs.  only_key: those of one key, whose lock the
 * caller holds; NULL: all, each under its key's lock taken non-blocking
 * (a live store holds it, so its dir is left alone).
 */
static int sweep(const char *root, const char *only_key)
{
	struct dirent *d;
	int removed = 0;
	DIR *dir;

	dir = opendir(root);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((d = readdir(dir))) {
		char key[256], path[1024];
		struct ktstr_lock lk = { .fd = -1 };
		int locked = 0;

		if (strncmp(d->d_name, TMP_PREFIX, strlen(TMP_PREFIX)))
			continue;
		if (!tmp_key(d->d_name, key, sizeof(key)))
			key[0] = '\0';
		if (only_key && strcmp(key, only_key))
			continue;
		if (!only_key && key[0]) {
			if (lock_key(root, key, 0, &lk, NULL))
				continue;   /* a store of that key is running */
			locked = 1;
		}
		snprintf(path, sizeof(path), "%s/%s", root, d->d_name);
		if (ktstr_fs_rmtree(path) == 0)
			removed++;
		if (locked)
			ktstr_unlock(&lk);
	}
	closedir(dir);
	return removed;
}

int ktstr_cache_sweep_tmp(const char *root, struct ktstr_err *err)
{
	int rc = sweep(root, NULL);

	if (rc < 0)
		return ktstr_err_set(err, rc, "cannot sweep %s: %s", root, strerror(-rc));
	return rc;
}

static void now_iso8601(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Derives what the cache records from the files fill() left in dir. */
static int finish_meta(const char *dir, struct ktstr_kernel_meta *m, struct ktstr_err *err)
{
	char config[1024], image[1024];
	struct stat st;
	int rc;

	snprintf(image, sizeof(image), "%s/%s", dir, m->image_name);
	if (stat(image, &st) || !S_ISREG(st.st_mode) || st.st_size == 0)
		return ktstr_err_set(err, -ENOENT, "store: no kernel image %s was produced",
				     image);
	snprintf(config, sizeof(config), "%s/config", dir);
	rc = ktstr_sha256_file(config, m->config_hash, err);
	if (rc)
		return ktstr_err_wrap(err, "store: a cache entry needs the kernel config");
	snprintf(m->kconfig_hash, sizeof(m->kconfig_hash), "%s", ktstr_kconfig_fragment_hash());
	now_iso8601(m->built_at, sizeof(m->built_at));
	m->schema = KTSTR_CACHE_SCHEMA;
	m->sched_ext = ktstr_kconfig_is_y(config, "SCHED_CLASS_EXT");
	m->btf = ktstr_kconfig_is_y(config, "DEBUG_INFO_BTF");
	/* vmlinux.btf for bpf/'s vmlinux.h: best effort, a kernel without BTF
	 * is still bootable (ktstr kernel btf explains what is missing). */
	if (m->btf != 0) {
		char btf[1100];

		snprintf(btf, sizeof(btf), "%s/" KTSTR_KERNEL_BTF_NAME, dir);
		m->has_btf_file = ktstr_kernel_btf_write(image, btf, 0, NULL, NULL) == 0;
	}
	return 0;
}

/* Moves tmp into place as dst, replacing an old entry without a gap. */
static int install(const char *root, const char *key, const char *tmp, const char *dst,
		   struct ktstr_err *err)
{
	char old[1024];
	struct stat st;

	if (lstat(dst, &st)) {
		if (rename(tmp, dst))
			return ktstr_err_set(err, -errno, "cannot rename %s to %s: %s", tmp, dst,
					     strerror(errno));
		return 0;
	}
	/* Exchange: readers see the old or the new entry, never neither. */
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dst, RENAME_EXCHANGE) == 0) {
		ktstr_fs_rmtree(tmp);
		return 0;
	}
	snprintf(old, sizeof(old), "%s/" TMP_PREFIX "%s-%06d", root, key, (int)(getpid() % 1000000));
	if (rename(dst, old) || rename(tmp, dst))
		return ktstr_err_set(err, -errno, "cannot replace %s: %s", dst, strerror(errno));
	ktstr_fs_rmtree(old);
	return 0;
}

int ktstr_cache_store(const char *root, const char *key, const struct ktstr_cache_store_opts *o,
		      ktstr_cache_fill_fn fill, void *arg, struct ktstr_err *err)
{
	struct ktstr_cache_store_opts def = { 0 };
	struct ktstr_kernel_meta meta;
	struct ktstr_cache_entry e;
	struct ktstr_lock lk;
	char tmp[1024], dst[1024];
	int rc;

	if (!o)
		o = &def;
	if (!key_ok(key))
		return ktstr_err_set(err, -EINVAL, "invalid cache key '%s'", key);
	rc = lock_key(root, key, o->lock_timeout_ms ? o->lock_timeout_ms
						    : ktstr_cache_lock_timeout_ms(), &lk, err);
	if (rc)
		return rc;
	sweep(root, key);    /* we hold the key: its .tmp dirs are orphans */
	if (!o->force && ktstr_cache_lookup(root, key, &e, NULL) == 0 &&
	    e.kind == KTSTR_CACHE_OK && !e.stale_kconfig) {
		ktstr_unlock(&lk);
		return 1;
	}
	snprintf(tmp, sizeof(tmp), "%s/" TMP_PREFIX "%s-XXXXXX", root, key);
	if (!mkdtemp(tmp)) {
		rc = ktstr_err_set(err, -errno, "cannot create %s: %s", tmp, strerror(errno));
		goto out;
	}
	chmod(tmp, 0755);
	memset(&meta, 0, sizeof(meta));
	snprintf(meta.arch, sizeof(meta.arch), "%s", KTSTR_KERNEL_ARCH);
	snprintf(meta.image_name, sizeof(meta.image_name), "%s", KTSTR_KERNEL_IMAGE_NAME);
	rc = fill(tmp, &meta, arg, err);
	if (!rc)
		rc = finish_meta(tmp, &meta, err);
	if (!rc)
		rc = ktstr_meta_write(tmp, &meta, err);
	if (!rc) {
		ktstr_fs_sync_dir(tmp);
		snprintf(dst, sizeof(dst), "%s/%s", root, key);
		rc = install(root, key, tmp, dst, err);
	}
	if (rc)
		ktstr_fs_rmtree(tmp);
	else
		ktstr_fs_sync_dir(root);
out:
	ktstr_unlock(&lk);
	return rc;
}

int ktstr_cache_remove(const char *root, const char *key, struct ktstr_err *err)
{
	char path[1024], gone[1024];
	struct ktstr_lock lk;
	int rc;

	if (!key_ok(key))
		return ktstr_err_set(err, -EINVAL, "invalid cache key '%s'", key);
	rc = lock_key(root, key, 0, &lk, err);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/%s", root, key);
	/* Rename first: the entry vanishes at once even if rm -rf is slow or dies. */
	snprintf(gone, sizeof(gone), "%s/" TMP_PREFIX "%s-%06d", root, key, (int)(getpid() % 1000000));
	if (rename(path, gone)) {
		rc = errno == ENOENT ? 0 : ktstr_err_set(err, -errno, "cannot remove %s: %s",
							 path, strerror(errno));
	} else if ((rc = ktstr_fs_rmtree(gone))) {
		ktstr_err_set(err, rc, "cannot remove %s: %s", gone, strerror(-rc));
	}
	ktstr_unlock(&lk);
	return rc;
}
