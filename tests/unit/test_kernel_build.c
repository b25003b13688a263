// SPDX-License-Identifier: GPL-2.0-only
/*
 * Building from a local tree with a fake make (fake_kernel_make.sh): the
 * configure step (defconfig, fragment merge, olddefconfig, the check of
 * what survived), and caching only clean git trees.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_kernel_util.h"

#define FAKE_MAKE KTSTR_SOURCE_DIR "/tests/unit/fake_kernel_make.sh"

static char *make_tree(void)
{
	char *t = kt_tmpdir();

	kt_writef(t, "Makefile", "# fake\n");
	kt_writef(t, "Kconfig", "# fake\n");
	kt_writef(t, ".fake-release", "6.14.0-test\n");
	return t;
}

static void sh(const char *fmt, const char *arg)
{
	char cmd[2048];

	snprintf(cmd, sizeof(cmd), fmt, arg);
	assert_int_equal(system(cmd), 0);
}

static void test_configure(void **state)
{
	struct ktstr_err e = { 0 };
	char *t = make_tree(), cfg[1100], v[16];

	(void)state;
	snprintf(cfg, sizeof(cfg), "%s/.config", t);
	if (ktstr_kernel_configure(t, FAKE_MAKE, &e))
		fail_msg("%s", e.msg);
	/* defconfig said "not set"; the fragment, appended later, wins. */
	assert_int_equal(ktstr_kconfig_is_y(cfg, "SCHED_CLASS_EXT"), 1);
	assert_int_equal(ktstr_kconfig_get(cfg, "SMP", v, sizeof(v)), 1);
	/* Configured already: nothing appended again. */
	assert_int_equal(ktstr_kernel_configure(t, FAKE_MAKE, &e), 0);
	assert_null(strstr(strstr(kt_read(cfg), "CONFIG_BPF=y") + 1, "CONFIG_BPF=y\nCONFIG_BPF=y"));

	/* olddefconfig drops an option whose dependencies are off: named. */
	unlink(cfg);
	setenv("FAKE_MAKE_DROP", "CONFIG_SCHED_CLASS_EXT", 1);
	assert_int_equal(ktstr_kernel_configure(t, FAKE_MAKE, &e), -EINVAL);
	unsetenv("FAKE_MAKE_DROP");
	assert_non_null(strstr(e.msg, "kernel config: CONFIG_SCHED_CLASS_EXT not =y in "));

	setenv("FAKE_MAKE_FAIL", "olddefconfig", 1);
	unlink(cfg);
	assert_int_equal(ktstr_kernel_configure(t, FAKE_MAKE, &e), -EIO);
	unsetenv("FAKE_MAKE_FAIL");
	assert_non_null(strstr(e.msg, "kernel build: `make olddefconfig` in "));
	assert_non_null(strstr(e.msg, "failed on purpose"));

	unlink(cfg);
	assert_int_equal(ktstr_kernel_configure(t, "/nonexistent/make", &e), -ENOENT);
	assert_non_null(strstr(e.msg, "make not found"));
	assert_non_null(strstr(ktstr_kconfig_fragment_text(), "CONFIG_SCHED_CLASS_EXT=y\n"));
	kt_rmrf(t);
	free(t);
}

static void test_local_trees(void **state)
{
	struct ktstr_build_opts o = { .make = FAKE_MAKE, .jobs = 1 };
	struct ktstr_build_result res;
	struct ktstr_cache_entry ent;
	struct ktstr_err e = { 0 };
	char *t = make_tree(), *root = kt_tmpdir(), want[1200];

	(void)state;
	o.source = t;
	/* Not a git tree: built, not cached. */
	if (ktstr_kernel_build(root, &o, &res, &e))
		fail_msg("%s", e.msg);
	assert_false(res.cached);
	assert_string_equal(res.not_cached_why, "it is not a git tree");
	snprintf(want, sizeof(want), "%s/arch/x86/boot/bzImage", t);
	assert_string_equal(res.path, want);

	/* A clean git tree: cached under <release>-local-<commit>-x86_64. */
	sh("cd '%s' && git init -q && git add Makefile Kconfig && "
	   "git -c user.name=t -c user.email=t@t commit -qm init", t);
	assert_int_equal(ktstr_kernel_build(root, &o, &res, &e), 0);
	assert_true(res.cached);
	assert_non_null(strstr(res.key, "6.14.0-test-local-"));
	assert_int_equal(ktstr_cache_lookup(root, res.key, &ent, &e), 0);
	assert_int_equal(ent.kind, KTSTR_CACHE_OK);
	assert_string_equal(ent.meta.source_type, "local");
	assert_string_equal(ent.meta.version, "6.14.0-test");

	/* Dirty: built, not cached, and says why. */
	sh("echo change >> '%s/Makefile'", t);
	assert_int_equal(ktstr_kernel_build(root, &o, &res, &e), 0);
	assert_false(res.cached);
	assert_string_equal(res.not_cached_why, "it has uncommitted changes");

	o.source = root;      /* no Kconfig there */
	assert_int_equal(ktstr_kernel_build(root, &o, &res, &e), -ENOENT);
	assert_non_null(strstr(e.msg, "not a kernel source tree (no Kconfig at its top)"));
	kt_rmrf(t);
	kt_rmrf(root);
	free(t);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_configure),
		cmocka_unit_test(test_local_trees),
	};

	return cmocka_run_group_tests_name("kernel_build", tests, NULL, NULL);
}
