// SPDX-License-Identifier: GPL-2.0-only
/*
 * Topology from a fake sysfs: 2 packages x 2 cores x 2 threads on 2 NUMA
 * nodes, with sparse core ids (0 and 4, as real kernels show) so the dense
 * core numbering is exercised.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_guest_tree.h"
#include "topology.h"

#define CPU "devices/system/cpu/cpu%u"

/* cpu = pkg*4 + core*2 + thread */
static void make_tree(const char *root, bool with_l3)
{
	tree_file(root, "0-7", "devices/system/cpu/online");
	for (unsigned cpu = 0; cpu < 8; cpu++) {
		unsigned pkg = cpu / 4, core = cpu / 2 % 2;
		char buf[32];

		snprintf(buf, sizeof(buf), "%u", pkg);
		tree_file(root, buf, CPU "/topology/physical_package_id", cpu);
		tree_file(root, core ? "4" : "0", CPU "/topology/core_id", cpu);
		snprintf(buf, sizeof(buf), "%u-%u", cpu & ~1u, cpu | 1u);
		tree_file(root, buf, CPU "/topology/thread_siblings_list", cpu);
		/* L1d, L1i, L2 per core; L3 per package */
		tree_file(root, buf, CPU "/cache/index0/shared_cpu_list", cpu);
		tree_file(root, buf, CPU "/cache/index1/shared_cpu_list", cpu);
		tree_file(root, buf, CPU "/cache/index2/shared_cpu_list", cpu);
		if (with_l3)
			tree_file(root, pkg ? "4-7" : "0-3", CPU "/cache/index3/shared_cpu_list", cpu);
	}
	tree_file(root, "0-3", "devices/system/node/node0/cpulist");
	tree_file(root, "4-7", "devices/system/node/node1/cpulist");
	tree_file(root, "", "devices/system/node/possible");   /* not a node dir */
	tree_file(root, "MemTotal:        1012345 kB\nMemFree:   1000 kB", "proc/meminfo");
	tree_file(root, "enabled", "kernel/sched_ext/state");
}

static const char *const expected_json =
	"{\"nr_cpus\":8,\"online\":\"0-7\",\"cpus\":["
	"{\"cpu\":0,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"0-3\",\"siblings\":\"0-1\"},"
	"{\"cpu\":1,\"package\":0,\"core\":0,\"node\":0,\"llc\":\"0-3\",\"siblings\":\"0-1\"},"
	"{\"cpu\":2,\"package\":0,\"core\":4,\"node\":0,\"llc\":\"0-3\",\"siblings\":\"2-3\"},"
	"{\"cpu\":3,\"package\":0,\"core\":4,\"node\":0,\"llc\":\"0-3\",\"siblings\":\"2-3\"},"
	"{\"cpu\":4,\"package\":1,\"core\":0,\"node\":1,\"llc\":\"4-7\",\"siblings\":\"4-5\"},"
	"{\"cpu\":5,\"package\":1,\"core\":0,\"node\":1,\"llc\":\"4-7\",\"siblings\":\"4-5\"},"
	"{\"cpu\":6,\"package\":1,\"core\":4,\"node\":1,\"llc\":\"4-7\",\"siblings\":\"6-7\"},"
	"{\"cpu\":7,\"package\":1,\"core\":4,\"node\":1,\"llc\":\"4-7\",\"siblings\":\"6-7\"}],"
	"\"mem_total_kb\":1012345,\"sched_ext\":{\"present\":true,\"state\":\"enabled\"}}";

static void read_tree(const char *root, struct agent_topo *t)
{
	char sys[512], proc[512];
	struct ktstr_err err = { 0 };

	snprintf(sys, sizeof(sys), "%s", root);
	snprintf(proc, sizeof(proc), "%s/proc", root);
	assert_int_equal(agent_topo_read(sys, proc, t, &err), 0);
}

static void test_json(void **state)
{
	static struct agent_topo t;
	char *root = tree_new();
	json_t *got, *want;
	json_error_t jerr;

	(void)state;
	make_tree(root, true);
	read_tree(root, &t);
	got = agent_topo_json(&t);
	want = json_loads(expected_json, 0, &jerr);
	assert_non_null(got);
	assert_non_null(want);
	if (!json_equal(got, want)) {
		char *s = json_dumps(got, JSON_COMPACT);

		print_error("got %s\n", s);
		free(s);
		fail();
	}
	json_decref(got);
	json_decref(want);
	tree_free(root);
}

static void test_map(void **state)
{
	static struct agent_topo t;
	static struct ktstr_topo_map m;
	struct ktstr_cpuset_spec spec = { .kind = KTSTR_CPUSET_LLC, .index = 1 };
	struct ktstr_cpuset set;
	char *root = tree_new(), buf[64], why[256];
	static const int core[8] = { 0, 0, 1, 1, 2, 2, 3, 3 };

	(void)state;
	make_tree(root, true);
	read_tree(root, &t);
	agent_topo_to_map(&t, &m);
	assert_int_equal(m.n, 8);
	assert_int_equal(m.n_llcs, 2);
	assert_int_equal(m.n_nodes, 2);
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(m.cpus[i].cpu, i);
		assert_int_equal(m.cpus[i].llc, i / 4);
		assert_int_equal(m.cpus[i].node, i / 4);
		assert_int_equal(m.cpus[i].core, core[i]);
	}
	/* The map feeds the shared resolver: LLC 1 minus the reserved last CPU. */
	assert_int_equal(ktstr_cpuset_resolve(&spec, &m, &set, why, sizeof(why)), 0);
	ktstr_cpulist_format(&set, buf, sizeof(buf));
	assert_string_equal(buf, "4-6");
	spec.kind = KTSTR_CPUSET_NUMA;
	spec.index = 0;
	assert_int_equal(ktstr_cpuset_resolve(&spec, &m, &set, why, sizeof(why)), 0);
	ktstr_cpulist_format(&set, buf, sizeof(buf));
	assert_string_equal(buf, "0-3");
	tree_free(root);
}

/* Without index3 the highest cache index present is the LLC. */
static void test_llc_fallback(void **state)
{
	static struct agent_topo t;
	static struct ktstr_topo_map m;
	char *root = tree_new(), buf[64];

	(void)state;
	make_tree(root, false);
	read_tree(root, &t);
	ktstr_cpulist_format(&t.cpus[5].llc, buf, sizeof(buf));
	assert_string_equal(buf, "4-5");
	agent_topo_to_map(&t, &m);
	assert_int_equal(m.n_llcs, 4);
	tree_free(root);
}

/* A machine without NUMA directories, sched_ext or caches; CPU 1 offline. */
static void test_minimal(void **state)
{
	static struct agent_topo t;
	char *root = tree_new(), buf[64];
	json_t *j;

	(void)state;
	tree_file(root, "0,2", "devices/system/cpu/online");
	for (unsigned cpu = 0; cpu <= 2; cpu += 2) {
		tree_file(root, "0", CPU "/topology/physical_package_id", cpu);
		tree_file(root, cpu ? "2" : "0", CPU "/topology/core_id", cpu);
		tree_file(root, cpu ? "2" : "0", CPU "/topology/thread_siblings_list", cpu);
	}
	tree_file(root, "MemTotal: 4096 kB", "proc/meminfo");
	read_tree(root, &t);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.cpus[1].cpu, 2);
	assert_int_equal(t.cpus[1].node, 0);
	ktstr_cpulist_format(&t.cpus[1].llc, buf, sizeof(buf));
	assert_string_equal(buf, "2");
	assert_false(t.scx_present);
	j = agent_topo_json(&t);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "sched_ext"),
							      "state")), "absent");
	assert_int_equal(json_integer_value(json_object_get(j, "mem_total_kb")), 4096);
	json_decref(j);
	tree_free(root);
}

static void test_errors(void **state)
{
	static struct agent_topo t;
	struct ktstr_err err = { 0 };
	char *root = tree_new(), path[512], proc[512];

	(void)state;
	snprintf(proc, sizeof(proc), "%s/proc", root);
	assert_int_equal(agent_topo_read(root, proc, &t, &err), -ENOENT);
	snprintf(path, sizeof(path), "read %s/devices/system/cpu/online: No such file or directory",
		 root);
	assert_string_equal(err.msg, path);

	tree_file(root, "0-1", "devices/system/cpu/online");
	tree_file(root, "0", "devices/system/cpu/cpu0/topology/physical_package_id");
	tree_file(root, "zero", "devices/system/cpu/cpu0/topology/core_id");
	assert_int_equal(agent_topo_read(root, proc, &t, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "cpu0/topology/core_id"));
	tree_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_llc_fallback),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
