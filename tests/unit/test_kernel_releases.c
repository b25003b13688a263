// SPDX-License-Identifier: GPL-2.0-only
/* releases.json: picking a release, and the not-found messages. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_kernel_util.h"

static const char doc[] =
	"{\"releases\": ["
	"{\"moniker\": \"mainline\", \"version\": \"6.16-rc2\", \"source\": \"http://127.0.0.1:9/linux-6.16-rc2.tar.gz\"},"
	"{\"moniker\": \"stable\", \"version\": \"6.15.3\", \"source\": \"http://127.0.0.1:9/linux-6.15.3.tar.xz\"},"
	"{\"moniker\": \"stable\", \"version\": \"6.14.10\", \"source\": \"http://127.0.0.1:9/linux-6.14.10.tar.xz\"},"
	"{\"moniker\": \"longterm\", \"version\": \"6.12.40\", \"source\": \"http://127.0.0.1:9/linux-6.12.40.tar.xz\"},"
	"{\"moniker\": \"longterm\", \"version\": \"5.15.185\", \"source\": \"http://127.0.0.1:9/linux-5.15.185.tar.xz\"},"
	"{\"moniker\": \"linux-next\", \"version\": \"next-20250606\", \"source\": null}"
	"]}";

static void pick_ok(const char *want, int unlisted, const char *version, const char *source)
{
	struct ktstr_release r;
	struct ktstr_err e = { 0 };

	if (ktstr_releases_pick(doc, want, unlisted, &r, &e))
		fail_msg("%s: %s", want ? want : "(latest)", e.msg);
	assert_string_equal(r.version, version);
	assert_string_equal(r.source, source);
}

static void pick_fail(const char *json, const char *want, int unlisted, const char *msg)
{
	struct ktstr_release r;
	struct ktstr_err e = { 0 };

	assert_int_not_equal(ktstr_releases_pick(json, want, unlisted, &r, &e), 0);
	assert_string_equal(e.msg, msg);
}

static void test_pick(void **state)
{
	(void)state;
	setenv("KTSTR_KERNEL_ORG_URL", "http://127.0.0.1:9/", 1);
	pick_ok(NULL, 1, "6.14.10", "http://127.0.0.1:9/linux-6.14.10.tar.xz");
	pick_ok("", 0, "6.14.10", "http://127.0.0.1:9/linux-6.14.10.tar.xz");
	pick_ok("6.12", 0, "6.12.40", "http://127.0.0.1:9/linux-6.12.40.tar.xz");
	pick_ok("6.15.3", 0, "6.15.3", "http://127.0.0.1:9/linux-6.15.3.tar.xz");
	pick_ok("6.16-rc2", 0, "6.16-rc2", "http://127.0.0.1:9/linux-6.16-rc2.tar.gz");
	/* Older point releases are not listed but exist: derived from the base URL. */
	pick_ok("6.12.2", 1, "6.12.2", "http://127.0.0.1:9/pub/linux/kernel/v6.x/linux-6.12.2.tar.xz");
	pick_ok("4.19.300", 1, "4.19.300", "http://127.0.0.1:9/pub/linux/kernel/v4.x/linux-4.19.300.tar.xz");
	unsetenv("KTSTR_KERNEL_ORG_URL");
}

static void test_messages(void **state)
{
	(void)state;
	pick_fail(doc, "6.14.22", 1, "version 6.14.22 not found, latest 6.14.x: 6.14.10");
	pick_fail(doc, "6.12.2", 0, "version 6.12.2 not found, latest 6.12.x: 6.12.40");
	pick_fail(doc, "5.4.99", 0, "version 5.4.99 not found");
	pick_fail(doc, "6.9", 1,
		  "version 6.9 not found: releases.json lists maintained series only; name a "
		  "full version such as 6.9.1");
	pick_fail("{\"releases\": [{\"moniker\": \"stable\", \"version\": \"6.15.3\", "
		  "\"source\": \"s\"}]}", NULL, 1,
		  "no stable kernel with patch >= 8 found in releases.json; name a version "
		  "(`ktstr kernel build 6.14.10`)");
	pick_fail("{\"x\": 1}", NULL, 1,
		  "releases.json has no \"releases\" array; is KTSTR_KERNEL_ORG_URL a kernel.org "
		  "mirror?");
}

static void test_upstream_version(void **state)
{
	(void)state;
	assert_true(ktstr_is_upstream_version("6.14.10"));
	assert_true(ktstr_is_upstream_version("6.14"));
	assert_false(ktstr_is_upstream_version("6"));
	assert_false(ktstr_is_upstream_version("7.2.13+deb14-cloud-amd64"));
	assert_false(ktstr_is_upstream_version("6.14.10.1"));
	assert_false(ktstr_is_upstream_version("linux-binary-7.2"));
	assert_false(ktstr_is_upstream_version(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_upstream_version),
	};

	return cmocka_run_group_tests_name("kernel_releases", tests, NULL, NULL);
}
