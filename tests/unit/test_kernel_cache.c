// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel cache: root resolution and its messages, metadata.json
 * corruption kinds, stale kconfig, listing order, atomic and serialised
 * stores, removal.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "test_kernel_util.h"

/* ---- cache root ------------------------------------------------------- */

static void clear_env(void)
{
	unsetenv("KTSTR_CACHE_DIR");
	unsetenv("XDG_CACHE_HOME");
}

static void test_root_home_unset(void **state)
{
	struct ktstr_err err = { 0 };
	char buf[512];

	clear_env();
	unsetenv("HOME");
	assert_int_equal(ktstr_cache_root(buf, sizeof(buf), &err), -ENOENT);
	assert_non_null(strstr(err.msg, "HOME is unset; cannot resolve cache directory."));
	assert_non_null(strstr(err.msg, "KTSTR_CACHE_DIR"));
}

static void test_root_home_empty(void **state)
{
	struct ktstr_err err = { 0 };
	char buf[512];

	clear_env();
	setenv("HOME", "", 1);
	assert_int_equal(ktstr_cache_root(buf, sizeof(buf), &err), -ENOENT);
	assert_non_null(strstr(err.msg,
		"HOME is set to the empty string; cannot resolve cache directory."));
}

static void test_root_home_relative(void **state)
{
	struct ktstr_err err = { 0 };
	char buf[512];

	clear_env();
	setenv("HOME", "relative/home", 1);
	assert_int_equal(ktstr_cache_root(buf, sizeof(buf), &err), -EINVAL);
	assert_non_null(strstr(err.msg, "HOME=relative/home is not an absolute path"));
}

static void test_root_order(void **state)
{
	struct ktstr_err err = { 0 };
	char buf[512];

	clear_env();
	setenv("HOME", "/home/u", 1);
	assert_int_equal(ktstr_cache_root(buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "/home/u/.cache/ktstr/kernels");
	setenv("XDG_CACHE_HOME", "relative", 1);      /* ignored, per XDG */
	assert_int_equal(ktstr_cache_root(buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "/home/u/.cache/ktstr/kernels");
	setenv("XDG_CACHE_HOME", "/xdg", 1);
	assert_int_equal(ktstr_cache_root(buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "/xdg/ktstr/kernels");
	unsetenv("HOME");                             /* not needed any more */
	setenv("KTSTR_CACHE_DIR", "/explicit", 1);
	assert_int_equal(ktstr_cache_root(buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "/explicit");
	setenv("KTSTR_CACHE_DIR", "rel", 1);
	assert_int_equal(ktstr_cache_root(buf, sizeof(buf), &err), -EINVAL);
	assert_non_null(strstr(err.msg, "KTSTR_CACHE_DIR=rel is not an absolute path"));
	clear_env();
}

/* ---- metadata.json corruption kinds ------------------------------------ */

static enum ktstr_cache_error_kind kind_of(const char *root, const char *key, char *why)
{
	struct ktstr_cache_entry e;

	assert_int_equal(ktstr_cache_lookup(root, key, &e, NULL), 0);
	strcpy(why, e.error);
	return e.kind;
}

static void corrupt_meta(const char *root, const char *key, const char *json)
{
	char dir[1024];

	kt_make_entry(root, key, "7.2.13+deb14-cloud-amd64", "2026-01-01T00:00:00Z", NULL, NULL);
	snprintf(dir, sizeof(dir), "%s/%s", root, key);
	kt_writef(dir, "metadata.json", json);
}

static void test_meta_kinds(void **state)
{
	char *root = kt_tmpdir(), dir[1024], why[512];

	kt_make_entry(root, "good", "7.2.13+deb14-cloud-amd64", "2026-01-01T00:00:00Z", NULL, NULL);
	assert_int_equal(kind_of(root, "good", why), KTSTR_CACHE_OK);

	corrupt_meta(root, "empty", "");
	assert_int_equal(kind_of(root, "empty", why), KTSTR_CACHE_TRUNCATED);
	assert_non_null(strstr(why, "metadata.json truncated"));

	corrupt_meta(root, "cut", "{\"schema\": 1, \"version\": \"7.2");
	assert_int_equal(kind_of(root, "cut", why), KTSTR_CACHE_TRUNCATED);

	corrupt_meta(root, "garbage", "this is not json\n");
	assert_int_equal(kind_of(root, "garbage", why), KTSTR_CACHE_MALFORMED);
	assert_non_null(strstr(why, "metadata.json malformed: "));

	corrupt_meta(root, "future", "{\"schema\": 2}\n");
	assert_int_equal(kind_of(root, "future", why), KTSTR_CACHE_SCHEMA_DRIFT);
	assert_non_null(strstr(why, "metadata.json schema drift: schema 2"));

	corrupt_meta(root, "nofield", "{\"schema\": 1, \"version\": \"x\"}\n");
	assert_int_equal(kind_of(root, "nofield", why), KTSTR_CACHE_SCHEMA_DRIFT);
	assert_non_null(strstr(why, "\"arch\" missing or not a string"));

	corrupt_meta(root, "array", "[1, 2]\n");
	assert_int_equal(kind_of(root, "array", why), KTSTR_CACHE_SCHEMA_DRIFT);

	/* parse_error: all fields there, a value unusable */
	kt_make_entry(root, "badhash", "7.2.13+deb14-cloud-amd64", "2026-01-01T00:00:00Z",
		      "nothex", NULL);
	assert_int_equal(kind_of(root, "badhash", why), KTSTR_CACHE_PARSE_ERROR);
	assert_non_null(strstr(why, "metadata.json parse error"));

	kt_make_entry(root, "noimage", "7.2.13+deb14-cloud-amd64", "2026-01-01T00:00:00Z", NULL, NULL);
	snprintf(dir, sizeof(dir), "%s/noimage/bzImage", root);
	unlink(dir);
	assert_int_equal(kind_of(root, "noimage", why), KTSTR_CACHE_IMAGE_MISSING);
	assert_non_null(strstr(why, "image missing"));

	snprintf(dir, sizeof(dir), "%s/nometa", root);
	mkdir(dir, 0755);
	assert_int_equal(kind_of(root, "nometa", why), KTSTR_CACHE_MISSING);
	assert_string_equal(why, "metadata.json missing");

	if (geteuid() != 0) {   /* root reads anything */
		corrupt_meta(root, "locked", "{}");
		snprintf(dir, sizeof(dir), "%s/locked/metadata.json", root);
		chmod(dir, 0);
		assert_int_equal(kind_of(root, "locked", why), KTSTR_CACHE_UNREADABLE);
	}

	assert_string_equal(ktstr_cache_error_kind_name(KTSTR_CACHE_SCHEMA_DRIFT), "schema_drift");
	assert_string_equal(ktstr_cache_error_kind_name(KTSTR_CACHE_IMAGE_MISSING), "image_missing");
	assert_string_equal(ktstr_cache_error_kind_name(KTSTR_CACHE_TRUNCATED), "truncated");
	assert_string_equal(ktstr_cache_error_kind_name((enum ktstr_cache_error_kind)99), "unknown");
	kt_rmrf(root);
	free(root);
}

/* ---- listing --------------------------------------------------------- */

static void test_list_order_and_stale(void **state)
{
	char *root = kt_tmpdir(), p[1024];
	struct ktstr_cache_entry *v;
	struct ktstr_err err = { 0 };
	size_t n;

	kt_make_entry(root, "old", "7.0.1+deb13-cloud-amd64", "2025-01-01T00:00:00Z", NULL, NULL);
	kt_make_entry(root, "new", "7.2.13+deb14-cloud-amd64", "2026-06-01T00:00:00Z", NULL, NULL);
	kt_make_entry(root, "stale", "7.3.4+deb13-cloud-amd64", "2026-07-01T00:00:00Z",
		      KT_OTHER_HASH, NULL);
	corrupt_meta(root, "broken", "{");
	/* a store in progress / killed, and the state dirs: never entries */
	snprintf(p, sizeof(p), "%s/.tmp-new-AbCdEf", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/.locks", root);
	mkdir(p, 0755);
	kt_writef(root, "stray-file", "x");

	assert_int_equal(ktstr_cache_list(root, &v, &n, &err), 0);
	assert_int_equal(n, 4);
	assert_string_equal(v[0].key, "stale");    /* newest first */
	assert_true(v[0].stale_kconfig);
	assert_string_equal(v[1].key, "new");
	assert_false(v[1].stale_kconfig);
	assert_int_equal(v[1].meta.sched_ext, 1);
	assert_int_equal(v[1].meta.btf, 1);
	assert_string_equal(v[2].key, "old");
	assert_string_equal(v[3].key, "broken");   /* corrupt last */
	assert_int_equal(v[3].kind, KTSTR_CACHE_TRUNCATED);
	free(v);

	/* A missing root is an empty cache, not an error. */
	snprintf(p, sizeof(p), "%s/nonexistent", root);
	assert_int_equal(ktstr_cache_list(p, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	kt_rmrf(root);
	free(root);
}

/* ---- store ------------------------------------------------------------ */

struct fill_arg {
	const char *log;      /* append "start"/"end" lines here */
	int sleep_ms;
	int die;              /* _exit midway: a killed store */
	const char *config;
};

static void log_line(const char *log, const char *what)
{
	FILE *f;

	if (!log)
		return;
	f = fopen(log, "a");
	fprintf(f, "%s %d\n", what, (int)getpid());
	fclose(f);
}

static int fill(const char *tmpdir, struct ktstr_kernel_meta *meta, void *varg,
		struct ktstr_err *err)
{
	struct fill_arg *a = varg;

	log_line(a->log, "start");
	kt_writef(tmpdir, "bzImage", "MZ partial");
	if (a->die)
		_exit(9);
	usleep(a->sleep_ms * 1000);
	kt_writef(tmpdir, "config", a->config ? a->config : KT_CONFIG_SCX);
	snprintf(meta->version, sizeof(meta->version), "7.2.13+deb14-cloud-amd64");
	snprintf(meta->source_type, sizeof(meta->source_type), "deb");
	log_line(a->log, "end");
	return 0;
}

static int count_tmp(const char *root)
{
	char cmd[1200];
	FILE *p;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "ls -a '%s' | grep -c '^\\.tmp-'", root);
	p = popen(cmd, "r");
	if (fscanf(p, "%d", &n) != 1)
		n = -1;
	pclose(p);
	return n;
}

static void test_store_basic(void **state)
{
	char *root = kt_tmpdir();
	struct fill_arg a = { .config = KT_CONFIG_NOSCX };
	struct ktstr_cache_store_opts o = { 0 };
	struct ktstr_cache_entry e;
	struct ktstr_err err = { 0 };
	char key[256];

	assert_int_equal(ktstr_cache_key_deb("7.2.13+deb14-cloud-amd64", "x86_64", key,
					     sizeof(key)), 0);
	assert_string_equal(key, "7.2.13+deb14-cloud-amd64-deb-x86_64");
	assert_int_equal(ktstr_cache_key_deb("../x", "x86_64", key, sizeof(key)), -EINVAL);

	assert_int_equal(ktstr_cache_store(root, "k", &o, fill, &a, &err), 0);
	assert_int_equal(ktstr_cache_lookup(root, "k", &e, &err), 0);
	assert_int_equal(e.kind, KTSTR_CACHE_OK);
	assert_int_equal(e.meta.sched_ext, 0);       /* derived from the config */
	assert_int_equal(e.meta.btf, 0);
	assert_string_equal(e.meta.kconfig_hash, ktstr_kconfig_fragment_hash());
	assert_string_equal(e.meta.image_name, "bzImage");
	assert_int_equal(count_tmp(root), 0);
	/* valid and not stale: a second store is a no-op */
	assert_int_equal(ktstr_cache_store(root, "k", &o, fill, &a, &err), 1);
	/* --force replaces it in place */
	a.config = KT_CONFIG_SCX;
	o.force = 1;
	assert_int_equal(ktstr_cache_store(root, "k", &o, fill, &a, &err), 0);
	assert_int_equal(ktstr_cache_lookup(root, "k", &e, &err), 0);
	assert_int_equal(e.meta.sched_ext, 1);
	assert_int_equal(count_tmp(root), 0);
	kt_rmrf(root);
	free(root);
}

static void test_store_stale_is_refreshed(void **state)
{
	char *root = kt_tmpdir();
	struct fill_arg a = { 0 };
	struct ktstr_cache_entry e;
	struct ktstr_err err = { 0 };

	kt_make_entry(root, "k", "7.2.13+deb14-cloud-amd64", "2020-01-01T00:00:00Z",
		      KT_OTHER_HASH, NULL);
	assert_int_equal(ktstr_cache_store(root, "k", NULL, fill, &a, &err), 0);
	assert_int_equal(ktstr_cache_lookup(root, "k", &e, &err), 0);
	assert_false(e.stale_kconfig);
	kt_rmrf(root);
	free(root);
}

static int fill_noconfig(const char *tmpdir, struct ktstr_kernel_meta *meta, void *varg,
			 struct ktstr_err *err)
{
	kt_writef(tmpdir, "bzImage", "MZ");
	return 0;
}

static void test_store_fill_error(void **state)
{
	char *root = kt_tmpdir();
	struct ktstr_err err = { 0 };
	struct ktstr_cache_entry e;

	/* no config produced: the store fails and leaves nothing behind */
	assert_true(ktstr_cache_store(root, "k", NULL, fill_noconfig, NULL, &err) < 0);
	assert_non_null(strstr(err.msg, "store: a cache entry needs the kernel config"));
	assert_int_equal(ktstr_cache_lookup(root, "k", &e, &err), -ENOENT);
	assert_int_equal(count_tmp(root), 0);
	kt_rmrf(root);
	free(root);
}

static void test_store_killed_midway(void **state)
{
	char *root = kt_tmpdir();
	struct fill_arg a = { .die = 1 };
	struct ktstr_cache_entry *v;
	struct ktstr_err err = { 0 };
	size_t n;
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0) {
		ktstr_cache_store(root, "k", NULL, fill, &a, NULL);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 9);       /* died inside fill */
	assert_int_equal(count_tmp(root), 1);      /* the half entry is a .tmp dir... */
	assert_int_equal(ktstr_cache_list(root, &v, &n, &err), 0);
	assert_int_equal(n, 0);                     /* ...which list ignores */
	free(v);
	assert_int_equal(ktstr_cache_sweep_tmp(root, &err), 1);   /* and clean sweeps */
	assert_int_equal(count_tmp(root), 0);

	/* A killed store's orphan is also swept by the next store of its key. */
	pid = fork();
	if (pid == 0) {
		ktstr_cache_store(root, "k", NULL, fill, &a, NULL);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	assert_int_equal(count_tmp(root), 1);
	a.die = 0;
	assert_int_equal(ktstr_cache_store(root, "k", NULL, fill, &a, &err), 0);
	assert_int_equal(count_tmp(root), 0);
	kt_rmrf(root);
	free(root);
}

static void test_sweep_spares_live_store(void **state)
{
	struct ktstr_lock_opts lo = { .exclusive = 1 };
	char *root = kt_tmpdir(), p[1024];
	struct ktstr_err err = { 0 };
	struct ktstr_lock lk;

	snprintf(p, sizeof(p), "%s/.locks", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/.tmp-k-AbCdEf", root);
	mkdir(p, 0755);
	/* a store of "k" is running: it holds k's lock */
	ktstr_cache_lock_path(root, "k", p, sizeof(p));
	assert_int_equal(ktstr_lock_path(p, &lo, &lk, &err), 0);
	assert_int_equal(ktstr_cache_sweep_tmp(root, &err), 0);
	assert_int_equal(count_tmp(root), 1);
	ktstr_unlock(&lk);
	assert_int_equal(ktstr_cache_sweep_tmp(root, &err), 1);
	kt_rmrf(root);
	free(root);
}

/* Two processes store one key: the second waits for the first. */
static void concurrent(int force, int *starts, int *interleaved)
{
	char *root = kt_tmpdir(), log[1024], line[64], last[16] = "end";
	struct fill_arg a = { .sleep_ms = 300 };
	struct ktstr_cache_store_opts o = { .force = force };
	struct ktstr_cache_entry e;
	pid_t pids[2];
	FILE *f;
	int st;

	snprintf(log, sizeof(log), "%s/fill.log", root);
	a.log = log;
	mkdir(root, 0755);
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int rc = ktstr_cache_store(root, "k", &o, fill, &a, NULL);

			_exit(rc < 0 ? 1 : 0);
		}
	}
	for (int i = 0; i < 2; i++) {
		waitpid(pids[i], &st, 0);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	*starts = 0;
	*interleaved = 0;
	f = fopen(log, "r");
	while (fgets(line, sizeof(line), f)) {
		char what[16];

		sscanf(line, "%15s", what);
		if (!strcmp(what, "start")) {
			(*starts)++;
			if (strcmp(last, "end"))
				*interleaved = 1;   /* a start while another fill runs */
		}
		strcpy(last, what);
	}
	fclose(f);
	assert_int_equal(ktstr_cache_lookup(root, "k", &e, NULL), 0);
	assert_int_equal(e.kind, KTSTR_CACHE_OK);
	assert_int_equal(count_tmp(root), 0);
	kt_rmrf(root);
	free(root);
}

static void test_store_concurrent_serialised(void **state)
{
	int starts, interleaved;

	concurrent(0, &starts, &interleaved);
	assert_int_equal(starts, 1);       /* the loser found a valid entry */
	assert_false(interleaved);
	concurrent(1, &starts, &interleaved);
	assert_int_equal(starts, 2);       /* --force: both ran, one after the other */
	assert_false(interleaved);
}

static void test_remove_busy(void **state)
{
	struct ktstr_lock_opts lo = { .exclusive = 0 };
	char *root = kt_tmpdir(), p[1024];
	struct ktstr_err err = { 0 };
	struct ktstr_cache_entry e;
	struct ktstr_lock lk;

	kt_make_entry(root, "k", "7.2.13+deb14-cloud-amd64", "2026-01-01T00:00:00Z", NULL, NULL);
	snprintf(p, sizeof(p), "%s/.locks", root);
	mkdir(p, 0755);
	ktstr_cache_lock_path(root, "k", p, sizeof(p));
	assert_int_equal(ktstr_lock_path(p, &lo, &lk, &err), 0);    /* a VM uses it */
	assert_int_equal(ktstr_cache_remove(root, "k", &err), -EBUSY);
	assert_non_null(strstr(err.msg, "cache entry k is in use (lockfile "));
	ktstr_unlock(&lk);
	assert_int_equal(ktstr_cache_remove(root, "k", &err), 0);
	assert_int_equal(ktstr_cache_lookup(root, "k", &e, &err), -ENOENT);
	assert_int_equal(count_tmp(root), 0);
	assert_int_equal(ktstr_cache_remove(root, "../etc", &err), -EINVAL);
	kt_rmrf(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_home_unset),
		cmocka_unit_test(test_root_home_empty),
		cmocka_unit_test(test_root_home_relative),
		cmocka_unit_test(test_root_order),
		cmocka_unit_test(test_meta_kinds),
		cmocka_unit_test(test_list_order_and_stale),
		cmocka_unit_test(test_store_basic),
		cmocka_unit_test(test_store_stale_is_refreshed),
		cmocka_unit_test(test_store_fill_error),
		cmocka_unit_test(test_store_killed_midway),
		cmocka_unit_test(test_sweep_spares_live_store),
		cmocka_unit_test(test_store_concurrent_serialised),
		cmocka_unit_test(test_remove_busy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
