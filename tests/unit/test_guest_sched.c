// SPDX-License-Identifier: GPL-2.0-only
/* The guest's scheduler pieces that need no VM: the kmsg reason, sysctls. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "fileio.h"
#include "sched_guest.h"

static void kmsg_reason(void **state)
{
	char buf[256];

	(void)state;
	agent_sched_kmsg_reason("sched_ext: BPF scheduler \"ktstr\" enabled\n"
				"sched_ext: BPF scheduler \"ktstr\" disabled (runnable task stall)\n"
				"sched_ext: ktstr: init[105] failed to run for 6.696s\n",
				buf, sizeof(buf));
	assert_string_equal(buf, "runnable task stall; ktstr: init[105] failed to run for 6.696s");
	agent_sched_kmsg_reason("sched_ext: BPF scheduler \"a\" disabled (scx_bpf_error)\n"
				"sched_ext: BPF scheduler \"b\" disabled (unregistered from user space)\n",
				buf, sizeof(buf));
	assert_string_equal(buf, "unregistered from user space");
	agent_sched_kmsg_reason("nothing here\n", buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static void sysctls(void **state)
{
	char dir[] = "/tmp/ktstr-sysctl-XXXXXX", path[256], val[64];
	struct ktstr_scenario s;
	struct ktstr_err err = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sys", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel/foo_ms", dir);
	close(creat(path, 0644));
	memset(&s, 0, sizeof(s));
	s.n_sysctls = 1;
	snprintf(s.sysctls[0], sizeof(s.sysctls[0]), "kernel.foo_ms=10");
	assert_int_equal(agent_sysctls_apply(&s, dir, &err), 0);
	assert_true(agent_read_file(path, val, sizeof(val)) >= 0);
	assert_string_equal(val, "10");
	snprintf(s.sysctls[0], sizeof(s.sysctls[0]), "kernel.bar=1");
	assert_int_equal(agent_sysctls_apply(&s, dir, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "sysctl 'kernel.bar=1': write "));
	unlink(path);
	snprintf(path, sizeof(path), "%s/sys/kernel", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sys", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kmsg_reason),
		cmocka_unit_test(sysctls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
