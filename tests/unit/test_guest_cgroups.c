// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cgroup paths, values and error messages.  A plain directory stands in for
 * cgroupfs: a missing knob file fails with ENOENT exactly as a knob of a
 * controller that is not enabled does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cgroups.h"
#include "fileio.h"
#include "test_guest_tree.h"

static void test_error_shape(void **state)
{
	struct ktstr_err err = { 0 };

	(void)state;
	assert_int_equal(agent_cgroup_set_error(&err, -ENOENT, "cg_0", "cpuset.cpus", "0-1\n"),
			 -ENOENT);
	assert_string_equal(err.msg, "cgroup 'cg_0': set cpuset.cpus='0-1' (requires +cpuset in "
				     "parent cgroup.subtree_control): No such file or directory");
	agent_cgroup_set_error(&err, -ENOENT, "cg_1", "cpu.max", "100000 100000");
	assert_string_equal(err.msg, "cgroup 'cg_1': set cpu.max='100000 100000' (requires +cpu "
				     "in parent cgroup.subtree_control): No such file or directory");
	agent_cgroup_set_error(&err, -EACCES, "cg_0", "cpuset.cpus", "3");
	assert_string_equal(err.msg, "cgroup 'cg_0': set cpuset.cpus='3': Permission denied");
	agent_cgroup_set_error(&err, -ESRCH, "cg_0", "cgroup.procs", "42");
	assert_string_equal(err.msg, "cgroup 'cg_0': set cgroup.procs='42' (the worker exited "
				     "before it could be placed): No such process");
	assert_string_equal(agent_cgroup_hint("cgroup.subtree_control", -ENOENT),
			    " (controller not listed in cgroup.controllers: kernel built without it?)");
	assert_string_equal(agent_cgroup_hint("cpuset.cpus", -EINVAL),
			    " (names a CPU the guest does not have?)");
	assert_string_equal(agent_cgroup_hint("cpuset.cpus", -EIO), "");
}

static void test_paths(void **state)
{
	struct agent_cgroups c;
	char buf[256], small[16];

	(void)state;
	agent_cgroups_init(&c, "/sys/fs/cgroup");
	assert_string_equal(c.base, "/sys/fs/cgroup/ktstr");
	assert_int_equal(agent_cgroup_path(&c, "cg_0", "cpuset.cpus", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/fs/cgroup/ktstr/cg_0/cpuset.cpus");
	assert_int_equal(agent_cgroup_path(&c, NULL, "cgroup.subtree_control", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/sys/fs/cgroup/ktstr/cgroup.subtree_control");
	assert_int_equal(agent_cgroup_path(&c, "cg_0", "cpuset.cpus", small, sizeof(small)),
			 -ENAMETOOLONG);
	assert_true(agent_cgroup_name_ok("cg_0"));
	assert_false(agent_cgroup_name_ok(""));
	assert_false(agent_cgroup_name_ok(".."));
	assert_true(agent_cgroup_name_ok("a/b"));
	assert_false(agent_cgroup_name_ok("a//b"));
	assert_false(agent_cgroup_name_ok("/a"));
	assert_false(agent_cgroup_name_ok("a/"));
	assert_false(agent_cgroup_name_ok("a/.."));
}

static void scenario_two(struct ktstr_scenario *s)
{
	memset(s, 0, sizeof(*s));
	s->n_cgroups = 2;
	snprintf(s->cgroups[0].name, KTSTR_NAME_MAX, "cg_0");
	snprintf(s->cgroups[1].name, KTSTR_NAME_MAX, "cg_1");
	s->cgroups[0].groups[0].workers = s->cgroups[1].groups[0].workers = 1;
}

static void test_setup_missing_controller(void **state)
{
	static struct ktstr_scenario s;
	struct agent_cgroups c;
	struct ktstr_err err = { 0 };
	char *root = tree_new();

	(void)state;
	scenario_two(&s);
	tree_file(root, "", "cgroup.subtree_control");
	agent_cgroups_init(&c, root);
	/* root/ktstr gets created, but its cgroup.subtree_control is missing */
	assert_int_equal(agent_cgroups_setup(&c, &s, &err), -ENOENT);
	assert_string_equal(err.msg, "cgroup 'ktstr': set cgroup.subtree_control='+cpuset' "
				     "(controller not listed in cgroup.controllers: kernel built "
				     "without it?): No such file or directory");
	assert_int_equal(agent_cgroups_teardown(&c), 0);
	tree_free(root);
}

static void test_setup_and_cpusets(void **state)
{
	static struct ktstr_scenario s;
	static struct ktstr_topo_map m;
	struct ktstr_topology topo = { .numa_nodes = 1, .llcs = 2, .cores_per_llc = 2,
				       .threads_per_core = 1 };
	struct ktstr_cpuset_spec exact = { .kind = KTSTR_CPUSET_EXACT, .exact = "0-1" };
	struct ktstr_cpuset_spec llc = { .kind = KTSTR_CPUSET_LLC, .index = 1 };
	struct ktstr_cpuset_spec bad = { .kind = KTSTR_CPUSET_DISJOINT, .index = 0, .of = 8 };
	struct agent_cgroups c;
	struct ktstr_err err = { 0 };
	char *root = tree_new(), buf[64];

	(void)state;
	scenario_two(&s);
	ktstr_topo_map_from_spec(&topo, &m);
	tree_file(root, "", "cgroup.subtree_control");
	tree_file(root, "", "ktstr/cgroup.subtree_control");
	agent_cgroups_init(&c, root);
	assert_int_equal(agent_cgroups_setup(&c, &s, &err), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(agent_cgroup_create(&c, "cg_0", &err), 0);
	assert_int_equal(agent_cgroup_create(&c, "cg_1", &err), 0);
	assert_int_equal(c.n, 2);
	assert_true(agent_cgroup_exists(&c, "cg_1"));
	/* written (a plain file keeps the longer first write's tail) */
	assert_true(agent_read_filef(buf, sizeof(buf), "%s/ktstr/cgroup.subtree_control", root) > 0);
	assert_true(strncmp(buf, "+cpu", 4) == 0);

	/* no cpuset.cpus knob yet: the controller-not-enabled message */
	assert_int_equal(agent_cgroup_apply_cpuset(&c, "cg_0", &exact, &m, &err), -ENOENT);
	assert_string_equal(err.msg, "cgroup 'cg_0': set cpuset.cpus='0-1' (requires +cpuset in "
				     "parent cgroup.subtree_control): No such file or directory");
	tree_file(root, "", "ktstr/cg_0/cpuset.cpus");
	tree_file(root, "", "ktstr/cg_1/cpuset.cpus");
	assert_int_equal(agent_cgroup_apply_cpuset(&c, "cg_0", &exact, &m, &err), 0);
	assert_int_equal(agent_cgroup_read(&c, "cg_0", "cpuset.cpus", buf, sizeof(buf)), 3);
	assert_string_equal(buf, "0-1");
	assert_int_equal(agent_cgroup_apply_cpuset(&c, "cg_1", &llc, &m, &err), 0);
	agent_cgroup_read(&c, "cg_1", "cpuset.cpus", buf, sizeof(buf));
	assert_string_equal(buf, "2");     /* LLC 1 = 2-3, CPU 3 stays with the root */
	/* clear: an empty list (a newline) means inherit */
	assert_int_equal(agent_cgroup_apply_cpuset(&c, "cg_1", NULL, &m, &err), 0);
	assert_int_equal(agent_cgroup_read(&c, "cg_1", "cpuset.cpus", buf, sizeof(buf)), 0);
	/* a spec the topology cannot satisfy */
	assert_int_equal(agent_cgroup_apply_cpuset(&c, "cg_0", &bad, &m, &err), -EINVAL);
	assert_true(strncmp(err.msg, "cgroup 'cg_0': CpusetSpec validation failed: ", 45) == 0);

	assert_int_equal(agent_cgroup_add_pid(&c, "cg_1", 1234, &err), -ENOENT);
	assert_string_equal(err.msg, "cgroup 'cg_1': set cgroup.procs='1234': No such file or directory");
	tree_file(root, "", "ktstr/cg_1/cgroup.procs");
	assert_int_equal(agent_cgroup_add_pid(&c, "cg_1", 1234, &err), 0);
	agent_cgroup_read(&c, "cg_1", "cgroup.procs", buf, sizeof(buf));
	assert_string_equal(buf, "1234");

	/* real cgroupfs has no removable files; here they block the rmdir */
	unlink(strcat(strcpy(buf, root), "/ktstr/cg_1/cpuset.cpus"));
	unlink(strcat(strcpy(buf, root), "/ktstr/cg_1/cgroup.procs"));
	assert_int_equal(agent_cgroups_teardown(&c), 2);    /* cg_0 and ktstr not empty */
	assert_int_equal(c.n, 0);
	tree_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_shape),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_setup_missing_controller),
		cmocka_unit_test(test_setup_and_cpusets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
