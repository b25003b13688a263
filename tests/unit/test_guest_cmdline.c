// SPDX-License-Identifier: GPL-2.0-only
/* ktstr.* kernel command line parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "cmdline.h"

static int parse(const char *text, struct agent_params *p, struct ktstr_err *err)
{
	agent_params_default(p);
	memset(err, 0, sizeof(*err));
	return agent_cmdline_parse(text, p, err);
}

static void test_defaults(void **state)
{
	struct agent_params p;
	struct ktstr_err err;

	(void)state;
	assert_int_equal(parse("console=ttyS0 quiet rdinit=/init\n", &p, &err), 0);
	assert_int_equal(p.mode, AGENT_MODE_RUN);
	assert_int_equal(p.fault, AGENT_FAULT_NONE);
	assert_int_equal(p.progress_ms, 500);
	assert_int_equal(parse("", &p, &err), 0);
	assert_int_equal(p.progress_ms, AGENT_DEFAULT_PROGRESS_MS);
}

static void test_values(void **state)
{
	struct agent_params p;
	struct ktstr_err err;

	(void)state;
	assert_int_equal(parse("quiet ktstr.mode=boot ktstr.progress_ms=250 "
			       "ktstr.fault=stall_mid_scenario panic=-1", &p, &err), 0);
	assert_int_equal(p.mode, AGENT_MODE_BOOT);
	assert_int_equal(p.progress_ms, 250);
	assert_int_equal(p.fault, AGENT_FAULT_STALL_MID_SCENARIO);
	assert_string_equal(agent_mode_name(p.mode), "boot");
	assert_string_equal(agent_fault_name(p.fault), "stall_mid_scenario");

	assert_int_equal(parse("ktstr.fault=hang_before_hello", &p, &err), 0);
	assert_int_equal(p.fault, AGENT_FAULT_HANG_BEFORE_HELLO);
	/* the last occurrence wins, like the kernel's own parameters */
	assert_int_equal(parse("ktstr.mode=boot\tktstr.mode=run", &p, &err), 0);
	assert_int_equal(p.mode, AGENT_MODE_RUN);
	/* quotes group and are removed */
	assert_int_equal(parse("foo=\"a b\" ktstr.progress_ms=\"100\"", &p, &err), 0);
	assert_int_equal(p.progress_ms, 100);
}

static void test_ignored(void **state)
{
	struct agent_params p;
	struct ktstr_err err;

	(void)state;
	/* only the ktstr. prefix is ours; unknown ktstr keys are for newer agents */
	assert_int_equal(parse("mode=boot xktstr.mode=boot ktstr.future=1 ktstr.mod=boot", &p, &err),
			 0);
	assert_int_equal(p.mode, AGENT_MODE_RUN);
}

static void test_errors(void **state)
{
	struct agent_params p;
	struct ktstr_err err;

	(void)state;
	assert_int_equal(parse("ktstr.mode=fast", &p, &err), -EINVAL);
	assert_string_equal(err.msg, "kernel command line: ktstr.mode='fast' is not one of run, boot");
	assert_int_equal(parse("ktstr.fault=crash", &p, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "ktstr.fault='crash'"));
	assert_int_equal(parse("ktstr.progress_ms=0", &p, &err), -EINVAL);
	assert_string_equal(err.msg, "kernel command line: ktstr.progress_ms='0' is not a number "
				     "of milliseconds in 1..60000");
	assert_int_equal(parse("ktstr.progress_ms=5x", &p, &err), -EINVAL);
	assert_int_equal(parse("ktstr.progress_ms=-5", &p, &err), -EINVAL);
	assert_int_equal(parse("ktstr.progress_ms=60001", &p, &err), -EINVAL);
	assert_int_equal(parse("ktstr.progress_ms", &p, &err), -EINVAL);
	assert_int_equal(parse("ktstr.mode=", &p, &err), -EINVAL);
}

/* ktstr.variant= names the variant of a matrix scenario the host runs. */
static void test_variant(void **state)
{
	struct agent_params p;
	struct ktstr_err err;
	char long_name[200];

	(void)state;
	assert_int_equal(parse("console=ttyS0", &p, &err), 0);
	assert_string_equal(p.variant, "");
	assert_int_equal(parse("ktstr.mode=run ktstr.variant=1n2l2c1t+scx_ktstr+patient+slow quiet",
			       &p, &err), 0);
	assert_string_equal(p.variant, "1n2l2c1t+scx_ktstr+patient+slow");
	assert_int_equal(parse("ktstr.variant=\"a b\"", &p, &err), -EINVAL);
	assert_string_equal(err.msg, "kernel command line: ktstr.variant='a b' is not a variant "
				     "name ([A-Za-z0-9_.+-], at most 127 characters)");
	assert_int_equal(parse("ktstr.variant=", &p, &err), -EINVAL);
	assert_int_equal(parse("ktstr.variant=x;y", &p, &err), -EINVAL);
	memset(long_name, 'a', sizeof(long_name));
	memcpy(long_name, "ktstr.variant=", 14);
	long_name[14 + KTSTR_VARIANT_NAME_MAX] = '\0';    /* one character too many */
	assert_int_equal(parse(long_name, &p, &err), -EINVAL);
	long_name[14 + KTSTR_VARIANT_NAME_MAX - 1] = '\0';
	assert_int_equal(parse(long_name, &p, &err), 0);
	assert_int_equal(strlen(p.variant), KTSTR_VARIANT_NAME_MAX - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_ignored),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_variant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
