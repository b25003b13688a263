// SPDX-License-Identifier: GPL-2.0-only
/* Topology maps and cpuset resolution (framework/src/topo.c). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ktstr/topo.h"

/* 2 nodes, 4 LLCs, 2 cores per LLC, 2 threads: 16 CPUs, usable 0-14. */
static const struct ktstr_topology t2n4l2c2t = { 2, 4, 2, 2, 512 };

static void map_layout(void **state)
{
	struct ktstr_topo_map m;

	ktstr_topo_map_from_spec(&t2n4l2c2t, &m);
	assert_int_equal(m.n, 16);
	assert_int_equal(m.n_llcs, 4);
	assert_int_equal(m.n_nodes, 2);
	for (unsigned cpu = 0; cpu < 16; cpu++) {
		assert_int_equal(m.cpus[cpu].cpu, cpu);
		assert_int_equal(m.cpus[cpu].llc, cpu / 4);      /* 2 cores x 2 threads */
		assert_int_equal(m.cpus[cpu].node, cpu / 8);     /* 2 LLCs per node */
		assert_int_equal(m.cpus[cpu].core, cpu / 2);     /* threads are adjacent */
	}
}

static void map_uneven_nodes(void **state)
{
	/* the loader rejects this; the map still spreads LLCs evenly */
	struct ktstr_topology t = { 2, 3, 1, 1, 512 };
	struct ktstr_topo_map m;

	ktstr_topo_map_from_spec(&t, &m);
	assert_int_equal(m.cpus[0].node, 0);
	assert_int_equal(m.cpus[1].node, 0);
	assert_int_equal(m.cpus[2].node, 1);
}

static void usable(void **state)
{
	static const struct { unsigned cores; const char *want; } cases[] = {
		{ 1, "0" }, { 2, "0-1" }, { 3, "0-1" }, { 8, "0-6" },
	};
	struct ktstr_topo_map m;
	struct ktstr_cpuset u;
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ktstr_topology t = { 1, 1, cases[i].cores, 1, 512 };

		ktstr_topo_map_from_spec(&t, &m);
		ktstr_topo_usable(&m, &u);
		ktstr_cpulist_format(&u, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].want);
	}
	ktstr_topo_map_from_spec(&t2n4l2c2t, &m);
	ktstr_topo_usable(&m, &u);
	ktstr_cpulist_format(&u, buf, sizeof(buf));
	assert_string_equal(buf, "0-14");
}

struct rcase {
	struct ktstr_cpuset_spec spec;
	const char *want;          /* cpulist, or the error text when err */
	bool err;
};

#define SPEC(...) { .spec = { __VA_ARGS__ }
static const struct rcase rcases[] = {
	SPEC(.kind = KTSTR_CPUSET_NONE), .want = "" },
	SPEC(.kind = KTSTR_CPUSET_LLC, .index = 0), .want = "0-3" },
	SPEC(.kind = KTSTR_CPUSET_LLC, .index = 3), .want = "12-14" },
	SPEC(.kind = KTSTR_CPUSET_NUMA, .index = 0), .want = "0-7" },
	SPEC(.kind = KTSTR_CPUSET_NUMA, .index = 1), .want = "8-14" },
	SPEC(.kind = KTSTR_CPUSET_RANGE, .start_frac = 0.0, .end_frac = 0.5), .want = "0-6" },
	SPEC(.kind = KTSTR_CPUSET_RANGE, .start_frac = 0.5, .end_frac = 1.0), .want = "7-14" },
	SPEC(.kind = KTSTR_CPUSET_DISJOINT, .index = 0, .of = 4), .want = "0-2" },
	SPEC(.kind = KTSTR_CPUSET_DISJOINT, .index = 2, .of = 4), .want = "6-8" },
	SPEC(.kind = KTSTR_CPUSET_DISJOINT, .index = 3, .of = 4), .want = "9-14" },
	SPEC(.kind = KTSTR_CPUSET_DISJOINT, .index = 0, .of = 1), .want = "0-14" },
	SPEC(.kind = KTSTR_CPUSET_OVERLAP, .index = 0, .of = 4, .frac = 0.5), .want = "0-3" },
	SPEC(.kind = KTSTR_CPUSET_OVERLAP, .index = 1, .of = 4, .frac = 0.5), .want = "2-6" },
	SPEC(.kind = KTSTR_CPUSET_OVERLAP, .index = 3, .of = 4, .frac = 0.5), .want = "8-14" },
	SPEC(.kind = KTSTR_CPUSET_OVERLAP, .index = 1, .of = 4, .frac = 1.0), .want = "0-8" },
	SPEC(.kind = KTSTR_CPUSET_OVERLAP, .index = 1, .of = 4, .frac = 0.0), .want = "3-5" },
	SPEC(.kind = KTSTR_CPUSET_EXACT, .exact = "1,3,15"), .want = "1,3,15" },
	/* errors: the text after "CpusetSpec validation failed: " */
	SPEC(.kind = KTSTR_CPUSET_LLC, .index = 4), .err = true,
		.want = "llc 4 is out of range: the topology has 4 LLCs" },
	SPEC(.kind = KTSTR_CPUSET_NUMA, .index = 2), .err = true,
		.want = "numa node 2 is out of range: the topology has 2 NUMA nodes" },
	SPEC(.kind = KTSTR_CPUSET_RANGE, .start_frac = -1, .end_frac = 0.5), .err = true,
		.want = "Range fracs must lie in [0.0, 1.0]: start_frac=-1, end_frac=0.5" },
	SPEC(.kind = KTSTR_CPUSET_RANGE, .start_frac = 0, .end_frac = NAN), .err = true,
		.want = "Range fracs must lie in [0.0, 1.0]: start_frac=0, end_frac=nan" },
	SPEC(.kind = KTSTR_CPUSET_RANGE, .start_frac = 0.6, .end_frac = 0.4), .err = true,
		.want = "Range needs start_frac < end_frac: start_frac=0.6, end_frac=0.4" },
	SPEC(.kind = KTSTR_CPUSET_RANGE, .start_frac = 0.0, .end_frac = 0.05), .err = true,
		.want = "range spec resolves to an empty CPU set (usable CPUs: 0-14)" },
	SPEC(.kind = KTSTR_CPUSET_DISJOINT, .index = 0, .of = 16), .err = true,
		.want = "not enough usable CPUs (15) for 16 partitions" },
	SPEC(.kind = KTSTR_CPUSET_DISJOINT, .index = 3, .of = 3), .err = true,
		.want = "index 3 >= partition count 3" },
	SPEC(.kind = KTSTR_CPUSET_OVERLAP, .index = 0, .of = 2, .frac = 1.5), .err = true,
		.want = "Overlap frac must lie in [0.0, 1.0]: frac=1.5" },
	SPEC(.kind = KTSTR_CPUSET_EXACT, .exact = "3-1"), .err = true,
		.want = "exact cpulist '3-1' is not a valid cpulist (expected e.g. 0-3,8)" },
	SPEC(.kind = KTSTR_CPUSET_EXACT, .exact = "14-17,20"), .err = true,
		.want = "exact CPUs 16-17,20 are outside the topology (CPUs 0-15)" },
	SPEC(.kind = KTSTR_CPUSET_EXACT, .exact = ""), .err = true,
		.want = "exact spec resolves to an empty CPU set (usable CPUs: 0-14)" },
};

static void resolve_kinds(void **state)
{
	struct ktstr_topo_map m;

	ktstr_topo_map_from_spec(&t2n4l2c2t, &m);
	for (size_t i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		const struct rcase *c = &rcases[i];
		struct ktstr_cpuset out;
		char err[256], buf[128];
		int ret = ktstr_cpuset_resolve(&c->spec, &m, &out, err, sizeof(err));

		if (c->err) {
			assert_int_equal(ret, -EINVAL);
			assert_string_equal(err, c->want);
		} else {
			if (ret)
				fail_msg("case %zu: unexpected error: %s", i, err);
			ktstr_cpulist_format(&out, buf, sizeof(buf));
			assert_string_equal(buf, c->want);
		}
	}
}

static void resolve_small_machines(void **state)
{
	/* 1 CPU: it is usable (nothing to hold back), so llc 0 is that CPU */
	struct ktstr_topology one = { 1, 1, 1, 1, 512 };
	struct ktstr_cpuset_spec llc0 = { .kind = KTSTR_CPUSET_LLC, .index = 0 };
	struct ktstr_topo_map m;
	struct ktstr_cpuset out;
	char err[128], buf[32];

	ktstr_topo_map_from_spec(&one, &m);
	assert_int_equal(ktstr_cpuset_resolve(&llc0, &m, &out, err, sizeof(err)), 0);
	ktstr_cpulist_format(&out, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	/* a NULL error buffer is allowed */
	llc0.index = 1;
	assert_int_equal(ktstr_cpuset_resolve(&llc0, &m, &out, NULL, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(map_layout),
		cmocka_unit_test(map_uneven_nodes),
		cmocka_unit_test(usable),
		cmocka_unit_test(resolve_kinds),
		cmocka_unit_test(resolve_small_machines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
