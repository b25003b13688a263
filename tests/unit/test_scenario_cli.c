// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr validate` and `ktstr schema` as a user runs them: exit codes,
 * stdout summary lines, stderr diagnostics.  The commands write to the
 * process's stdout/stderr, so each call runs with both redirected to files.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "commands.h"
#include "ktstr/scenario_load.h"

#define FIX KTSTR_TEST_FIXTURES "/yaml/"

struct run {
	int rc;
	char out[65536];
	char err[16384];
};

static void slurp(FILE *f, char *buf, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void run_cmd(int (*cmd)(int, char **), struct run *r, int argc, char **argv)
{
	FILE *o = tmpfile(), *e = tmpfile();
	int so, se;

	assert_non_null(o);
	assert_non_null(e);
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	dup2(fileno(o), 1);
	dup2(fileno(e), 2);
	r->rc = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(o, r->out, sizeof(r->out));
	slurp(e, r->err, sizeof(r->err));
}

static void validate_good(void **state)
{
	static struct run r;
	char *argv[] = { "validate", FIX "good/defaults.yaml", FIX "good/full.yaml",
			 FIX "good/matrix.yaml", NULL };

	run_cmd(ktstr_cmd_validate, &r, 4, argv);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	assert_string_equal(r.out,
		FIX "good/defaults.yaml: ok (1 cgroup, 2 workers, topology 1n1l2c1t, 2 CPUs, duration 4s)\n"
		FIX "good/full.yaml: ok (2 cgroups, 9 workers, topology 2n4l2c2t, 16 CPUs, duration 90s, 2 steps)\n"
		FIX "good/matrix.yaml: ok (2 cgroups, 4 workers, topology 1n1l2c1t, 2 CPUs, duration 3s, 2 steps, 8 variants)\n");
}

static void validate_mixed(void **state)
{
	static struct run r;
	char *argv[] = { "validate", FIX "bad/unknown_key.yaml", FIX "good/defaults.yaml", NULL };

	run_cmd(ktstr_cmd_validate, &r, 3, argv);
	assert_int_equal(r.rc, 1);
	assert_string_equal(r.err, FIX "bad/unknown_key.yaml:8:5: error: unknown key 'wokers' in "
				   "cgroup; did you mean 'workers'?\n");
	assert_non_null(strstr(r.out, "defaults.yaml: ok"));
}

static void validate_quiet_and_usage(void **state)
{
	static struct run r;
	char *quiet[] = { "validate", "--quiet", FIX "good/defaults.yaml", NULL };
	char *none[] = { "validate", NULL };
	char *bogus[] = { "validate", "--frob", "x.yaml", NULL };
	char *help[] = { "validate", "--help", NULL };

	run_cmd(ktstr_cmd_validate, &r, 3, quiet);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "");
	run_cmd(ktstr_cmd_validate, &r, 1, none);
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "no scenario files given"));
	run_cmd(ktstr_cmd_validate, &r, 3, bogus);
	assert_int_equal(r.rc, 2);
	assert_non_null(strstr(r.err, "unknown option '--frob'"));
	run_cmd(ktstr_cmd_validate, &r, 2, help);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "usage: ktstr validate"));
}

static void schema_outputs(void **state)
{
	static struct run r;
	char *text[] = { "schema", NULL };
	char *md[] = { "schema", "--markdown", NULL };
	char *bad[] = { "schema", "--json", NULL };
	char *mem = NULL;
	size_t len = 0;
	FILE *f;

	run_cmd(ktstr_cmd_schema, &r, 1, text);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "  workers: integer, default 2, range 1..256\n"));
	assert_non_null(strstr(r.out, "  duration: duration, default 4s, range 100ms..1h\n"));
	assert_non_null(strstr(r.out, "  name: string, required, range [A-Za-z0-9_/-]{1,127}\n"));

	run_cmd(ktstr_cmd_schema, &r, 2, md);
	assert_int_equal(r.rc, 0);
	f = open_memstream(&mem, &len);
	ktstr_schema_print(f, KTSTR_SCHEMA_MARKDOWN);
	fclose(f);
	assert_string_equal(r.out, mem);
	free(mem);

	run_cmd(ktstr_cmd_schema, &r, 2, bad);
	assert_int_equal(r.rc, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(validate_good),
		cmocka_unit_test(validate_mixed),
		cmocka_unit_test(validate_quiet_and_usage),
		cmocka_unit_test(schema_outputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
