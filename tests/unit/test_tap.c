// SPDX-License-Identifier: GPL-2.0-only
/* The TAP producer prints exactly what TAP 13 (and 14) consumers expect. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ktstr_tap.h"

struct capture {
	char *text;
	size_t len;
	FILE *f;
	struct ktstr_tap tap;
};

static int setup(void **state)
{
	struct capture *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->f = open_memstream(&c->text, &c->len);
	assert_non_null(c->f);
	ktstr_tap_init(&c->tap, c->f);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct capture *c = *state;

	if (c->f)
		fclose(c->f);
	free(c->text);
	free(c);
	return 0;
}

static const char *out(struct capture *c)
{
	fflush(c->f);
	return c->text;
}

static void test_header_once_and_plan(void **state)
{
	struct capture *c = *state;

	ktstr_tap_header(&c->tap);
	ktstr_tap_header(&c->tap);
	ktstr_tap_plan(&c->tap, 3);
	ktstr_tap_plan(&c->tap, 5);         /* only one plan, ever */
	assert_string_equal(out(c), "TAP version 13\n1..3\n");
	assert_int_equal(c->tap.planned, 3);
	assert_true(c->tap.plan_done);
}

static void test_plan_prints_header_first(void **state)
{
	struct capture *c = *state;

	ktstr_tap_plan(&c->tap, 1);
	assert_string_equal(out(c), "TAP version 13\n1..1\n");
}

static void test_ok_not_ok_numbering(void **state)
{
	struct capture *c = *state;

	ktstr_tap_plan(&c->tap, 3);
	assert_int_equal(ktstr_tap_result(&c->tap, true, "boots", NULL, NULL), 1);
	assert_int_equal(ktstr_tap_result(&c->tap, false, "starvation", NULL, NULL), 2);
	assert_int_equal(ktstr_tap_result(&c->tap, true, NULL, NULL, NULL), 3);
	assert_string_equal(out(c),
			    "TAP version 13\n1..3\n"
			    "ok 1 - boots\n"
			    "not ok 2 - starvation\n"
			    "ok 3\n");
	assert_int_equal(c->tap.failed, 1);
	assert_int_equal(c->tap.skipped, 0);
	assert_int_equal(c->tap.next, 4);
}

static void test_skip_and_todo(void **state)
{
	struct capture *c = *state;

	ktstr_tap_result(&c->tap, true, "spread", "SKIP", "no cgroup has 2 workers");
	ktstr_tap_result(&c->tap, false, "gap", "TODO", "scheduler fix pending");
	ktstr_tap_result(&c->tap, true, "isolation", "SKIP", NULL);
	ktstr_tap_result(&c->tap, true, "x", "BOGUS", "ignored");
	ktstr_tap_result(&c->tap, false, "run", "TIMEOUT", "hard deadline");
	ktstr_tap_result(&c->tap, true, "y", "TIMEOUT", "only on failures");
	assert_string_equal(out(c),
			    "TAP version 13\n"
			    "ok 1 - spread # SKIP no cgroup has 2 workers\n"
			    "not ok 2 - gap # TODO scheduler fix pending\n"
			    "ok 3 - isolation # SKIP\n"
			    "ok 4 - x\n"
			    "not ok 5 - run # TIMEOUT hard deadline\n"
			    "ok 6 - y\n");
	/* A failing TODO is not a failure; a TIMEOUT is. */
	assert_int_equal(c->tap.failed, 1);
	assert_int_equal(c->tap.skipped, 2);
}

static void test_escaping(void **state)
{
	struct capture *c = *state;

	ktstr_tap_result(&c->tap, true, "cg#1 uses C:\\path # SKIP not really", NULL, NULL);
	ktstr_tap_result(&c->tap, false, "two\nlines\tand\rcr", NULL, NULL);
	ktstr_tap_result(&c->tap, true, "d", "SKIP", "reason with # hash\nand newline");
	assert_string_equal(out(c),
			    "TAP version 13\n"
			    "ok 1 - cg\\#1 uses C:\\\\path \\# SKIP not really\n"
			    "not ok 2 - two lines and cr\n"
			    "ok 3 - d # SKIP reason with # hash and newline\n");
	/* The escaped '#' is not a directive: the test did not count as skipped. */
	assert_int_equal(c->tap.skipped, 1);
}

static void test_yaml_block(void **state)
{
	struct capture *c = *state;

	ktstr_tap_result(&c->tap, false, "max gap", NULL, NULL);
	ktstr_tap_yaml_begin(&c->tap);
	ktstr_tap_yaml_kv(&c->tap, "check", "max_gap");
	ktstr_tap_yaml_kv(&c->tap, "threshold_ms", "3000");
	ktstr_tap_yaml_kv(&c->tap, "message",
			  "tid 2 stuck 4500ms on cpu2 at +3200ms (threshold 3000ms)");
	ktstr_tap_yaml_kv(&c->tap, "quoted", "say \"hi\" \\ back\x01");
	ktstr_tap_yaml_kv(&c->tap, "empty", "");
	ktstr_tap_yaml_kv(&c->tap, "null", NULL);
	ktstr_tap_yaml_kv(&c->tap, "bad key:", "-leading dash");
	ktstr_tap_yaml_kv(&c->tap, "details", "line one\n\nline: three\n");
	ktstr_tap_yaml_kv(&c->tap, "indented", "  starts with spaces\nsecond");
	ktstr_tap_yaml_end(&c->tap);
	assert_string_equal(out(c),
			    "TAP version 13\n"
			    "not ok 1 - max gap\n"
			    "  ---\n"
			    "  check: max_gap\n"
			    "  threshold_ms: 3000\n"
			    "  message: tid 2 stuck 4500ms on cpu2 at +3200ms (threshold 3000ms)\n"
			    "  quoted: \"say \\\"hi\\\" \\\\ back\\x01\"\n"
			    "  empty: \"\"\n"
			    "  null: \"\"\n"
			    "  bad_key_: \"-leading dash\"\n"
			    "  details: |\n"
			    "    line one\n"
			    "    \n"
			    "    line: three\n"
			    "  indented: \"  starts with spaces\\nsecond\"\n"
			    "  ...\n");
}

static void test_diag_multiline(void **state)
{
	struct capture *c = *state;

	ktstr_tap_diag(&c->tap, "%d workers", 4);
	ktstr_tap_diag_text(&c->tap, "--- stats ---\n  tid 12  cg_0  work=100\n\nend\n");
	ktstr_tap_diag_text(&c->tap, "");
	ktstr_tap_diag_text(&c->tap, "esc\x1b[31m red");
	assert_string_equal(out(c),
			    "TAP version 13\n"
			    "# 4 workers\n"
			    "# --- stats ---\n"
			    "#   tid 12  cg_0  work=100\n"
			    "#\n"
			    "# end\n"
			    "#\n"
			    "# esc [31m red\n");
}

static void test_diag_long(void **state)
{
	struct capture *c = *state;
	char big[2000];
	const char *o;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ktstr_tap_diag(&c->tap, "%s|", big);
	o = out(c);
	assert_int_equal(strlen(o), strlen("TAP version 13\n# ") + sizeof(big) - 1 + 2);
	assert_int_equal(o[strlen(o) - 2], '|');
}

static void test_skip_all(void **state)
{
	struct capture *c = *state;

	ktstr_tap_skip_all(&c->tap, "no sched_ext in kernel 6.12");
	ktstr_tap_plan(&c->tap, 3);         /* ignored: the plan is printed */
	assert_string_equal(out(c), "TAP version 13\n1..0 # SKIP no sched_ext in kernel 6.12\n");
	assert_true(c->tap.plan_done);
	assert_int_equal(c->tap.planned, 0);
}

static void test_bail_out(void **state)
{
	struct capture *c = *state;

	ktstr_tap_plan(&c->tap, 2);
	ktstr_tap_bail(&c->tap, "QEMU not found\nin PATH");
	assert_string_equal(out(c), "TAP version 13\n1..2\nBail out! QEMU not found in PATH\n");
	assert_true(c->tap.bailed);
}

static void test_trailing_plan(void **state)
{
	struct capture *c = *state;

	ktstr_tap_result(&c->tap, true, "a", NULL, NULL);
	ktstr_tap_result(&c->tap, true, "b", NULL, NULL);
	ktstr_tap_plan(&c->tap, 2);
	assert_string_equal(out(c), "TAP version 13\nok 1 - a\nok 2 - b\n1..2\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_header_once_and_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_prints_header_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ok_not_ok_numbering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_and_todo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yaml_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag_multiline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bail_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trailing_plan, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
