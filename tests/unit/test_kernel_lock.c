// SPDX-License-Identifier: GPL-2.0-only
/* Lockfiles: remote-FS refusal (with an injected fs type), timeouts, modes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "test_kernel_util.h"

static long fake_nfs(int fd) { (void)fd; return 0x6969; }
static long fake_fuse(int fd) { (void)fd; return 0x65735546; }
static long fake_cifs(int fd) { (void)fd; return (long)0xFF534D42; }
static long fake_ext4(int fd) { (void)fd; return 0xEF53; }

static void test_remote_fs_refused(void **state)
{
	char *dir = kt_tmpdir(), path[1024];
	struct ktstr_lock_opts o = { .exclusive = 1, .fstype = fake_nfs };
	struct ktstr_err err = { 0 };
	struct ktstr_lock lk;

	snprintf(path, sizeof(path), "%s/k.lock", dir);
	assert_int_equal(ktstr_lock_path(path, &o, &lk, &err), -ENOLCK);
	assert_int_equal(lk.fd, -1);
	assert_non_null(strstr(err.msg, ": filesystem NFS is not supported for ktstr lockfiles"));
	assert_non_null(strstr(err.msg, "KTSTR_CACHE_DIR"));
	o.fstype = fake_fuse;
	assert_int_equal(ktstr_lock_path(path, &o, &lk, &err), -ENOLCK);
	assert_non_null(strstr(err.msg, "filesystem FUSE is not supported"));
	o.fstype = fake_cifs;
	assert_int_equal(ktstr_lock_path(path, &o, &lk, &err), -ENOLCK);
	o.fstype = fake_ext4;
	assert_int_equal(ktstr_lock_path(path, &o, &lk, &err), 0);
	ktstr_unlock(&lk);
	assert_null(ktstr_lock_remote_fs_name(0x01021994));   /* tmpfs */
	assert_string_equal(ktstr_lock_remote_fs_name(0x00C36400), "CephFS");
	kt_rmrf(dir);
	free(dir);
}

static void test_modes_and_timeout(void **state)
{
	char *dir = kt_tmpdir(), path[1024];
	struct ktstr_lock_opts sh = { .exclusive = 0 }, ex = { .exclusive = 1, .timeout_ms = 200,
							       .what = "cache entry k" };
	struct ktstr_err err = { 0 };
	struct ktstr_lock a, b, c;

	snprintf(path, sizeof(path), "%s/k.lock", dir);
	/* two VMs share an entry */
	assert_int_equal(ktstr_lock_path(path, &sh, &a, &err), 0);
	assert_int_equal(ktstr_lock_path(path, &sh, &b, &err), 0);
	/* a store waits, then gives up naming the holder */
	assert_int_equal(ktstr_lock_path(path, &ex, &c, &err), -ETIMEDOUT);
	assert_non_null(strstr(err.msg, "flock LOCK_EX on cache entry k timed out after 0s"));
	assert_non_null(strstr(err.msg, "holders: pid="));
	ktstr_unlock(&a);
	ktstr_unlock(&b);
	assert_int_equal(ktstr_lock_path(path, &ex, &c, &err), 0);
	ktstr_unlock(&c);
	ktstr_unlock(&c);   /* idempotent */
	kt_rmrf(dir);
	free(dir);
}

static void test_kernel_lock_for_runner(void **state)
{
	char *root = kt_tmpdir(), lockp[1024];
	struct ktstr_kernel k = { 0 };
	struct ktstr_err err = { 0 };
	struct ktstr_lock lk, ex;
	struct ktstr_lock_opts o = { .exclusive = 1 };

	setenv("KTSTR_CACHE_DIR", root, 1);
	/* not from the cache: nothing to lock */
	assert_int_equal(ktstr_kernel_lock(&k, &lk, &err), 0);
	assert_int_equal(lk.fd, -1);
	strcpy(k.key, "7.2.13+deb14-cloud-amd64-deb-x86_64");
	assert_int_equal(ktstr_kernel_lock(&k, &lk, &err), 0);
	assert_true(lk.fd >= 0);
	ktstr_cache_lock_path(root, k.key, lockp, sizeof(lockp));
	assert_int_equal(ktstr_lock_path(lockp, &o, &ex, &err), -EBUSY);
	assert_non_null(strstr(err.msg, "is in use (lockfile "));
	ktstr_kernel_unlock(&lk);
	assert_int_equal(ktstr_lock_path(lockp, &o, &ex, &err), 0);
	ktstr_unlock(&ex);
	unsetenv("KTSTR_CACHE_DIR");
	kt_rmrf(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remote_fs_refused),
		cmocka_unit_test(test_modes_and_timeout),
		cmocka_unit_test(test_kernel_lock_for_runner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
