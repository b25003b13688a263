// SPDX-License-Identifier: GPL-2.0-only
/* The discovery chain, link by link, in a sandbox (cwd, cache, fake host). */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_kernel_util.h"

struct sandbox {
	char *top;                 /* top/{cache,host,work/sub} */
	char cache[1024], host[1024], cwd[1024], old_cwd[PATH_MAX];
	struct ktstr_resolve_opts ro;
};

static int setup(void **state)
{
	struct sandbox *s = calloc(1, sizeof(*s));
	char p[1200];

	s->top = kt_tmpdir();
	snprintf(s->cache, sizeof(s->cache), "%s/cache", s->top);
	snprintf(s->host, sizeof(s->host), "%s/host", s->top);
	snprintf(s->cwd, sizeof(s->cwd), "%s/work/sub", s->top);
	mkdir(s->cache, 0755);
	mkdir(s->host, 0755);
	snprintf(p, sizeof(p), "%s/work", s->top);
	mkdir(p, 0755);
	mkdir(s->cwd, 0755);
	if (!getcwd(s->old_cwd, sizeof(s->old_cwd)) || chdir(s->cwd))
		return -1;
	s->ro.host_root = s->host;
	unsetenv("KTSTR_TEST_KERNEL");
	unsetenv("KTSTR_KERNEL");
	unsetenv("XDG_CACHE_HOME");
	setenv("KTSTR_CACHE_DIR", s->cache, 1);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct sandbox *s = *state;

	if (chdir(s->old_cwd))
		return -1;
	kt_rmrf(s->top);
	free(s->top);
	free(s);
	unsetenv("KTSTR_TEST_KERNEL");
	unsetenv("KTSTR_KERNEL");
	unsetenv("KTSTR_CACHE_DIR");
	return 0;
}

/* A built tree at dir: arch/x86/boot/bzImage + .config. */
static void make_tree(const char *dir, const char *config)
{
	char p[1200];

	snprintf(p, sizeof(p), "mkdir -p '%s/arch/x86/boot'", dir);
	if (system(p))
		abort();
	snprintf(p, sizeof(p), "%s/arch/x86/boot", dir);
	kt_writef(p, "bzImage", "MZ");
	if (config)
		kt_writef(dir, ".config", config);
}

static void test_no_kernel_found(void **state)
{
	struct sandbox *s = *state;
	struct ktstr_err err = { 0 };
	struct ktstr_kernel k;

	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), -ENOENT);
	assert_true(!strncmp(err.msg, "no kernel found\nhint: run `ktstr kernel fetch`", 46));
	assert_non_null(strstr(err.msg, "`ktstr kernel list`"));
	assert_non_null(strstr(err.msg, "hint: or set KTSTR_TEST_KERNEL=/path/to/bzImage"));
	assert_null(strstr(err.msg, "cache was not searched"));

	/* an unresolvable cache root is mentioned, not fatal */
	unsetenv("KTSTR_CACHE_DIR");
	setenv("XDG_CACHE_HOME", "", 1);
	{
		char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

		setenv("HOME", "", 1);
		assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), -ENOENT);
		assert_non_null(strstr(err.msg, "hint: the kernel cache was not searched: HOME is "
					       "set to the empty string"));
		if (home)
			setenv("HOME", home, 1);
		else
			unsetenv("HOME");
		free(home);
	}
	unsetenv("XDG_CACHE_HOME");
}

static void test_test_kernel(void **state)
{
	struct sandbox *s = *state;
	struct ktstr_err err = { 0 };
	struct ktstr_kernel k;
	char img[1200];

	snprintf(img, sizeof(img), "%s/vmlinuz", s->top);
	kt_write(img, "MZ");
	kt_writef(s->top, "config", KT_CONFIG_NOSCX);
	/* it wins over everything, KTSTR_KERNEL included */
	setenv("KTSTR_KERNEL", "/nonexistent", 1);
	setenv("KTSTR_TEST_KERNEL", img, 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.image, img);
	assert_string_equal(k.source, "KTSTR_TEST_KERNEL");
	assert_int_equal(k.sched_ext, 0);          /* from the config beside it */
	setenv("KTSTR_TEST_KERNEL", "/nonexistent/bzImage", 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "KTSTR_TEST_KERNEL=/nonexistent/bzImage: no such file."));
}

static void test_ktstr_kernel_forms(void **state)
{
	struct sandbox *s = *state;
	struct ktstr_err err = { 0 };
	struct ktstr_kernel k;
	char tree[1200];

	kt_make_entry(s->cache, "7.2.13+deb14-cloud-amd64-deb-x86_64", "7.2.13+deb14-cloud-amd64",
		      "2026-01-01T00:00:00Z", NULL, NULL);
	kt_make_entry(s->cache, "7.2.9+deb13-cloud-amd64-deb-x86_64", "7.2.9+deb13-cloud-amd64",
		      "2026-02-01T00:00:00Z", NULL, NULL);
	kt_make_entry(s->cache, "7.20.1-x-deb-x86_64", "7.20.1-x", "2026-03-01T00:00:00Z", NULL, NULL);

	/* a cache key */
	setenv("KTSTR_KERNEL", "7.2.13+deb14-cloud-amd64-deb-x86_64", 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.key, "7.2.13+deb14-cloud-amd64-deb-x86_64");
	assert_string_equal(k.source, "KTSTR_KERNEL");
	assert_int_equal(k.sched_ext, 1);
	assert_int_equal(k.btf, 1);
	assert_non_null(strstr(k.image, "/7.2.13+deb14-cloud-amd64-deb-x86_64/bzImage"));
	/* a version prefix: newest match, and 7.2 does not match 7.20 */
	setenv("KTSTR_KERNEL", "7.2", 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.version, "7.2.9+deb13-cloud-amd64");
	setenv("KTSTR_KERNEL", "7.2.13", 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.version, "7.2.13+deb14-cloud-amd64");
	/* a Debian package spec names the kernel by its version */
	setenv("KTSTR_KERNEL", "linux-binary-7.2.13+deb14-cloud-amd64", 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.version, "7.2.13+deb14-cloud-amd64");
	setenv("KTSTR_KERNEL", "linux-image-7.2.9+deb13-cloud-amd64-unsigned", 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.version, "7.2.9+deb13-cloud-amd64");
	/* unknown: an error naming the fix, never a fall-through */
	setenv("KTSTR_KERNEL", "6.1", 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "KTSTR_KERNEL=6.1 is not a path, a cache key or the "
				       "version of a cached kernel in "));
	/* a built tree */
	snprintf(tree, sizeof(tree), "%s/linux-next", s->top);
	make_tree(tree, KT_CONFIG_NOSCX);
	setenv("KTSTR_KERNEL", tree, 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_non_null(strstr(k.image, "/linux-next/arch/x86/boot/bzImage"));
	assert_int_equal(k.sched_ext, 0);
	assert_string_equal(k.key, "");
	/* a directory with no image */
	setenv("KTSTR_KERNEL", s->host, 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), -ENOENT);
	assert_non_null(strstr(err.msg, ": no kernel image there."));
	/* an image file */
	snprintf(tree, sizeof(tree), "%s/linux-next/arch/x86/boot/bzImage", s->top);
	setenv("KTSTR_KERNEL", tree, 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.image, tree);
	assert_int_equal(k.sched_ext, -1);         /* no config beside it */
	unsetenv("KTSTR_KERNEL");
}

static void test_cache_then_trees_then_host(void **state)
{
	struct sandbox *s = *state;
	struct ktstr_err err = { 0 };
	struct ktstr_kernel k;
	char p[1200];
	struct utsname_like { char r[256]; } u;
	FILE *f;

	/* host: <host_root>/lib/modules/$(uname -r)/vmlinuz */
	f = popen("uname -r", "r");
	assert_non_null(fgets(u.r, sizeof(u.r), f));
	pclose(f);
	u.r[strcspn(u.r, "\n")] = '\0';
	snprintf(p, sizeof(p), "mkdir -p '%s/lib/modules/%s' '%s/boot'", s->host, u.r, s->host);
	assert_int_equal(system(p), 0);
	snprintf(p, sizeof(p), "%s/boot/vmlinuz-%s", s->host, u.r);
	kt_write(p, "MZ");
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.source, "host");
	assert_string_equal(k.image, p);
	assert_string_equal(k.version, u.r);
	/* ../linux beats the host, ./linux beats ../linux */
	make_tree("../linux", NULL);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.source, "../linux");
	assert_int_equal(k.sched_ext, -1);
	make_tree("./linux", KT_CONFIG_SCX);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.source, "./linux");
	assert_int_equal(k.sched_ext, 1);
	/* corrupt and stale entries are skipped; the newest valid one wins */
	kt_make_entry(s->cache, "stale", "7.3.4+deb13-cloud-amd64", "2026-09-01T00:00:00Z",
		      KT_OTHER_HASH, NULL);
	snprintf(p, sizeof(p), "%s/corrupt", s->cache);
	mkdir(p, 0755);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.source, "./linux");
	kt_make_entry(s->cache, "older", "7.0.1-a", "2025-01-01T00:00:00Z", NULL, NULL);
	kt_make_entry(s->cache, "newer", "7.2.13-a", "2026-01-01T00:00:00Z", NULL, NULL);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.source, "cache");
	assert_string_equal(k.key, "newer");
	/* a stale entry is still used when asked for by name */
	setenv("KTSTR_KERNEL", "stale", 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), 0);
	assert_string_equal(k.key, "stale");
	/* a corrupt one is not, and the message says why */
	setenv("KTSTR_KERNEL", "corrupt", 1);
	assert_int_equal(ktstr_kernel_resolve_opts(&s->ro, &k, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "(entry corrupt is corrupt: metadata.json missing)"));
	unsetenv("KTSTR_KERNEL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_kernel_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_test_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ktstr_kernel_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_then_trees_then_host, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
