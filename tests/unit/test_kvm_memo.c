// SPDX-License-Identifier: GPL-2.0-only
/* The KVM-unusable memo: remembered for this boot only, written atomically. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvm_memo.h"

static void test_memo_roundtrip(void **state)
{
	char home[] = "/tmp/ktstr-memo-XXXXXX", path[512], cmd[600];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(home));
	setenv("HOME", home, 1);
	unsetenv("XDG_CACHE_HOME");
	assert_int_equal(ktstr_kvm_memo_path(path, sizeof(path)), 0);
	assert_true(strstr(path, "/.cache/ktstr/kvm-unusable") != NULL);
	/* nothing recorded: try KVM */
	assert_false(ktstr_kvm_memo_says_unusable());
	ktstr_kvm_memo_record("failed to set MSR");
	assert_true(ktstr_kvm_memo_says_unusable());
	/* a memo from another boot is ignored */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("00000000-0000-0000-0000-000000000000\n", f);
	fclose(f);
	assert_false(ktstr_kvm_memo_says_unusable());
	/* no home, no memo: never an error */
	unsetenv("HOME");
	assert_int_equal(ktstr_kvm_memo_path(path, sizeof(path)), -ENOENT);
	assert_false(ktstr_kvm_memo_says_unusable());
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memo_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
