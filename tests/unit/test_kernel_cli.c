// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr kernel list|clean|path` against a synthetic cache: output, markers,
 * the stderr footer, JSON error_kind, clean's modes, exit codes.  (fetch
 * needs the network: see test_kernel_fetch_network.sh.)
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <jansson.h>

#include "commands.h"
#include "test_kernel_util.h"

static char out[1 << 16], errout[1 << 16];

/* Runs `ktstr kernel ARGS...` in a child; returns its exit status. */
static int run(const char *first, ...)
{
	char *argv[16] = { "kernel", (char *)first };
	char dir[] = "/tmp/ktstr-cli-XXXXXX", o[64], e[64];
	int argc = 2, st;
	va_list ap;
	pid_t pid;

	va_start(ap, first);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	if (!mkdtemp(dir))
		abort();
	snprintf(o, sizeof(o), "%s/out", dir);
	snprintf(e, sizeof(e), "%s/err", dir);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(open(o, O_WRONLY | O_CREAT | O_TRUNC, 0644), 1);
		dup2(open(e, O_WRONLY | O_CREAT | O_TRUNC, 0644), 2);
		int rc = ktstr_cmd_kernel(argc, argv);

		fflush(NULL);   /* _exit does not flush stdio */
		_exit(rc);
	}
	waitpid(pid, &st, 0);
	strcpy(out, kt_read(o));
	strcpy(errout, kt_read(e));
	kt_rmrf(dir);
	return WEXITSTATUS(st);
}

static int setup(void **state)
{
	char *root = kt_tmpdir(), p[1024];

	setenv("KTSTR_CACHE_DIR", root, 1);
	unsetenv("KTSTR_KERNEL");
	unsetenv("KTSTR_TEST_KERNEL");
	kt_make_entry(root, "a-new", "7.2.13+deb14-cloud-amd64", "2026-03-01T00:00:00Z", NULL, NULL);
	kt_make_entry(root, "b-mid", "7.2.9+deb13-cloud-amd64", "2026-02-01T00:00:00Z", NULL,
		      KT_CONFIG_NOSCX);
	kt_make_entry(root, "c-old", "7.0.1+deb13-cloud-amd64", "2026-01-01T00:00:00Z", NULL, NULL);
	kt_make_entry(root, "d-stale", "7.3.4+deb13-cloud-amd64", "2025-01-01T00:00:00Z",
		      KT_OTHER_HASH, NULL);
	kt_make_entry(root, "x-malformed", "7.2.13-x", "2026-01-01T00:00:00Z", NULL, NULL);
	snprintf(p, sizeof(p), "%s/x-malformed", root);
	kt_writef(p, "metadata.json", "not json");
	kt_make_entry(root, "y-noimage", "7.2.13-y", "2026-01-01T00:00:00Z", NULL, NULL);
	snprintf(p, sizeof(p), "%s/y-noimage/bzImage", root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/.tmp-a-new-AbCdEf", root);   /* a killed fetch */
	mkdir(p, 0755);
	*state = root;
	return 0;
}

static int teardown(void **state)
{
	kt_rmrf(*state);
	free(*state);
	unsetenv("KTSTR_CACHE_DIR");
	return 0;
}

static void test_help_and_usage(void **state)
{
	assert_int_equal(run("--help", NULL), 0);
	assert_non_null(strstr(out, "usage: ktstr kernel <command>"));
	assert_non_null(strstr(out, "Exit status: 0 success, 1 failure, 2 usage error."));
	assert_int_equal(run("fetch", "--help", NULL), 0);
	assert_non_null(strstr(out, "usage: ktstr kernel fetch [SPEC]"));
	assert_int_equal(run("list", "-h", NULL), 0);
	assert_int_equal(run("clean", "--help", NULL), 0);
	assert_int_equal(run("path", "--help", NULL), 0);
	assert_int_equal(run("frobnicate", NULL), 2);
	assert_non_null(strstr(errout, "unknown command 'frobnicate'"));
	assert_int_equal(run("list", "--force", NULL), 2);
	assert_non_null(strstr(errout, "option '--force' does not apply here"));
	assert_int_equal(run("clean", "--keep", "x", NULL), 2);
	assert_non_null(strstr(errout, "invalid --keep 'x'"));
	assert_int_equal(run("clean", "--keep", "1", "--corrupt-only", NULL), 2);
	assert_int_equal(run("list", "extra", NULL), 2);
	assert_non_null(strstr(errout, "unexpected argument 'extra'"));
	assert_int_equal(run("fetch", "7.2", NULL), 1);
	assert_non_null(strstr(errout, "kernel spec '7.2' is not a Debian kernel version"));
}

static void test_list(void **state)
{
	assert_int_equal(run("list", NULL), 0);
	assert_non_null(strstr(out, "cache: "));
	/* newest first, stale marked, corrupt last with the reason */
	assert_true(strstr(out, "a-new") < strstr(out, "b-mid"));
	assert_true(strstr(out, "b-mid") < strstr(out, "c-old"));
	assert_non_null(strstr(out, "(stale kconfig)"));
	assert_non_null(strstr(out, "(corrupt: metadata.json malformed: "));
	assert_non_null(strstr(out, "(corrupt: image missing: "));
	assert_null(strstr(out, ".tmp-"));
	/* the footer is on stderr */
	assert_non_null(strstr(errout, "warning: entries marked (corrupt) cannot be used"));
	assert_non_null(strstr(errout, "ktstr kernel clean --corrupt-only --force"));
	assert_non_null(strstr(errout, "warning: entries marked (stale kconfig) were stored"));
	assert_null(strstr(out, "warning:"));
}

static void test_list_json(void **state)
{
	json_t *doc, *ents, *e;
	int seen = 0;
	size_t i;

	assert_int_equal(run("list", "--json", NULL), 0);
	doc = json_loads(out, 0, NULL);
	assert_non_null(doc);
	ents = json_object_get(doc, "entries");
	assert_int_equal(json_array_size(ents), 6);
	json_array_foreach(ents, i, e) {
		const char *key = json_string_value(json_object_get(e, "key"));
		const char *kind = json_string_value(json_object_get(e, "error_kind"));

		if (!strcmp(key, "x-malformed")) {
			assert_string_equal(kind, "malformed");
			assert_true(json_is_true(json_object_get(e, "corrupt")));
			seen++;
		} else if (!strcmp(key, "y-noimage")) {
			assert_string_equal(kind, "image_missing");
			seen++;
		} else if (!strcmp(key, "d-stale")) {
			assert_true(json_is_true(json_object_get(e, "stale_kconfig")));
			assert_null(kind);
			seen++;
		} else if (!strcmp(key, "b-mid")) {
			assert_true(json_is_false(json_object_get(e, "sched_ext")));
			assert_string_equal(json_string_value(json_object_get(
				json_object_get(e, "source"), "type")), "deb");
			seen++;
		}
	}
	assert_int_equal(seen, 4);
	json_decref(doc);
}

static void test_clean_dry_run(void **state)
{
	const char *root = *state;

	assert_int_equal(run("clean", NULL), 1);      /* would remove: exit 1, nothing gone */
	assert_non_null(strstr(out, "would remove a-new"));
	assert_non_null(strstr(out, "would remove x-malformed (corrupt)"));
	assert_non_null(strstr(errout, "6 entries would be removed from "));
	assert_true(kt_exists(root, "a-new") && kt_exists(root, "x-malformed"));
	assert_true(kt_exists(root, ".tmp-a-new-AbCdEf"));
}

static void test_clean_corrupt_only(void **state)
{
	const char *root = *state;

	assert_int_equal(run("clean", "--corrupt-only", "--force", NULL), 0);
	assert_false(kt_exists(root, "x-malformed"));
	assert_false(kt_exists(root, "y-noimage"));
	assert_false(kt_exists(root, ".tmp-a-new-AbCdEf"));   /* swept */
	assert_true(kt_exists(root, "a-new") && kt_exists(root, "b-mid") &&
		    kt_exists(root, "c-old") && kt_exists(root, "d-stale"));
	assert_int_equal(run("list", NULL), 0);
	assert_null(strstr(errout, "(corrupt)"));
	assert_int_equal(run("clean", "--corrupt-only", NULL), 0);   /* nothing to do */
	assert_non_null(strstr(out, "nothing to remove"));
}

static void test_clean_keep(void **state)
{
	const char *root = *state;

	assert_int_equal(run("clean", "--keep", "2", "--force", NULL), 0);
	assert_true(kt_exists(root, "a-new") && kt_exists(root, "b-mid"));
	assert_false(kt_exists(root, "c-old"));
	assert_false(kt_exists(root, "d-stale"));
	assert_false(kt_exists(root, "x-malformed"));   /* corrupt never counts as kept */
	assert_non_null(strstr(out, "removed c-old"));
	assert_int_equal(run("clean", "--force", NULL), 0);
	assert_false(kt_exists(root, "a-new") || kt_exists(root, "b-mid"));
	assert_int_equal(run("list", NULL), 0);
	assert_non_null(strstr(out, "no cached kernels"));
}

static void test_path(void **state)
{
	json_t *doc;

	assert_int_equal(run("path", NULL), 0);
	assert_non_null(strstr(out, "/a-new/bzImage\n"));
	setenv("KTSTR_KERNEL", "7.2.9", 1);
	assert_int_equal(run("path", "--json", NULL), 0);
	doc = json_loads(out, 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "key")), "b-mid");
	assert_string_equal(json_string_value(json_object_get(doc, "source")), "KTSTR_KERNEL");
	assert_true(json_is_false(json_object_get(doc, "sched_ext")));
	json_decref(doc);
	setenv("KTSTR_KERNEL", "9.9", 1);
	assert_int_equal(run("path", NULL), 1);
	assert_non_null(strstr(errout, "ktstr kernel path: KTSTR_KERNEL=9.9 is not a path"));
	unsetenv("KTSTR_KERNEL");
}

static void test_home_unset(void **state)
{
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	unsetenv("KTSTR_CACHE_DIR");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("HOME");
	assert_int_equal(run("list", NULL), 1);
	assert_non_null(strstr(errout, "ktstr kernel list: HOME is unset; cannot resolve cache "
					"directory."));
	if (home)
		setenv("HOME", home, 1);
	free(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_help_and_usage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clean_dry_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clean_corrupt_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clean_keep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home_unset, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
