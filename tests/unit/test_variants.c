// SPDX-License-Identifier: GPL-2.0-only
/*
 * Variants (ktstr/variants.h): matrix expansion and naming, flag profiles
 * with requires, selection and application, and the check-threshold layers
 * (defaults -> the scheduler's checks -> the scenario's) on loaded files.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ktstr/checks.h"
#include "ktstr/scenario_load.h"
#include "ktstr/topo.h"
#include "ktstr/variants.h"

#define GOOD KTSTR_TEST_FIXTURES "/yaml/good/"

static struct ktstr_scenario *load(const char *path)
{
	struct ktstr_scenario *s = calloc(1, sizeof(*s));
	struct ktstr_diags d;
	int ret;

	assert_non_null(s);
	ktstr_diags_init(&d, path);
	ret = ktstr_scenario_load_file(path, s, &d);
	if (ret || d.n) {
		ktstr_diags_print(stderr, &d);
		fail_msg("%s did not load cleanly (%d)", path, ret);
	}
	ktstr_diags_free(&d);
	return s;
}

static struct ktstr_scenario *load_text(const char *yaml)
{
	struct ktstr_scenario *s = calloc(1, sizeof(*s));
	struct ktstr_diags d;
	int ret;

	assert_non_null(s);
	ktstr_diags_init(&d, "t.yaml");
	ret = ktstr_scenario_load_buf(yaml, strlen(yaml), "t.yaml", s, &d);
	if (ret || d.n) {
		ktstr_diags_print(stderr, &d);
		fail_msg("text did not load cleanly (%d)", ret);
	}
	ktstr_diags_free(&d);
	return s;
}

static void names(const struct ktstr_scenario *s, char *buf, size_t len)
{
	ktstr_scenario_variant_list(s, buf, len);
}

static void matrix_expansion(void **state)
{
	struct ktstr_scenario *s = load(GOOD "matrix.yaml");
	struct ktstr_variant v;
	char list[1024];

	(void)state;
	assert_int_equal(s->matrix.n_topos, 2);
	assert_int_equal(s->matrix.n_scheds, 2);
	/* entries start from the top-level topology: its memory is inherited */
	assert_int_equal(s->matrix.topos[1].memory_mb, 1024);
	assert_int_equal(s->matrix.topos[1].threads_per_core, 2);
	/* 2 topologies x (eevdf + 3 profiles of scx_ktstr) */
	assert_int_equal(ktstr_scenario_variant_count(s), 8);
	names(s, list, sizeof(list));
	assert_string_equal(list,
		"1n1l4c1t+eevdf, 1n1l4c1t+scx_ktstr+default, 1n1l4c1t+scx_ktstr+patient, "
		"1n1l4c1t+scx_ktstr+patient+slow, 1n2l2c2t+eevdf, 1n2l2c2t+scx_ktstr+default, "
		"1n2l2c2t+scx_ktstr+patient, 1n2l2c2t+scx_ktstr+patient+slow");

	assert_int_equal(ktstr_scenario_variant_get(s, 7, &v), 0);
	assert_int_equal(v.index, 7);
	assert_string_equal(v.topology, "1n2l2c2t");
	assert_string_equal(v.scheduler, "scx_ktstr");
	assert_string_equal(v.profile, "patient+slow");
	assert_int_equal(v.topo, 1);
	assert_int_equal(v.sched, 1);
	assert_int_equal(v.flags, 3);
	assert_int_equal(ktstr_scenario_variant_get(s, 4, &v), 0);
	assert_string_equal(v.name, "1n2l2c2t+eevdf");
	assert_string_equal(v.profile, "");        /* eevdf has no flags: no profile part */
	assert_int_equal(ktstr_scenario_variant_get(s, 8, &v), -ERANGE);
	assert_int_equal(ktstr_scenario_variant_find(s, "1n1l4c1t+scx_ktstr", &v), -ENOENT);
	free(s);
}

static void matrix_apply(void **state)
{
	struct ktstr_scenario *s = load(GOOD "matrix.yaml");
	struct ktstr_thresholds th;
	struct ktstr_variant v;

	(void)state;
	assert_int_equal(ktstr_scenario_variant_find(s, "1n2l2c2t+scx_ktstr+patient+slow", &v), 0);
	assert_int_equal(ktstr_scenario_variant_apply(s, &v), 0);
	assert_string_equal(s->variant, "1n2l2c2t+scx_ktstr+patient+slow");
	assert_int_equal(ktstr_topology_cpus(&s->topo), 8);
	assert_int_equal(s->topo.memory_mb, 1024);
	assert_int_equal(s->sched.kind, KTSTR_SCHED_NAME);
	assert_string_equal(s->sched.value, "scx_ktstr");
	/* own args, then each flag's in declaration order: slow before patient */
	assert_int_equal(s->sched.n_args, 5);
	assert_string_equal(s->sched.args[0], "--verbose");
	assert_string_equal(s->sched.args[1], "--slow-dispatch-every");
	assert_string_equal(s->sched.args[2], "16");
	assert_string_equal(s->sched.args[3], "--timeout-ms");
	assert_string_equal(s->sched.args[4], "20000");
	/* applying twice would append the args twice */
	assert_int_equal(ktstr_scenario_variant_apply(s, &v), -EALREADY);

	/* the scheduler's thresholds are the middle layer; the scenario's spread wins over defaults */
	ktstr_checks_merge(&th, 3.0, &s->sched.checks, &s->checks);
	assert_false(th.starvation);
	assert_true(th.max_gap_ms == 400.0);
	assert_false(th.gap_from_default);
	assert_true(th.max_spread_pct == 20.0);
	free(s);

	/* the eevdf variant: no scheduler layer, scaled defaults */
	s = load(GOOD "matrix.yaml");
	assert_int_equal(ktstr_scenario_variant_find(s, "1n1l4c1t+eevdf", &v), 0);
	assert_int_equal(ktstr_scenario_variant_apply(s, &v), 0);
	assert_false(ktstr_scenario_has_scx(s));
	assert_int_equal(ktstr_topology_cpus(&s->topo), 4);
	ktstr_checks_merge(&th, 3.0, &s->sched.checks, &s->checks);
	assert_true(th.starvation);
	assert_true(th.max_gap_ms == 6000.0);
	assert_true(th.gap_from_default);
	free(s);
}

/* Threshold layers on loaded files: defaults -> scheduler -> scenario, the last one set wins. */
static void threshold_layers(void **state)
{
	struct ktstr_scenario *s;
	struct ktstr_thresholds th;

	(void)state;
	s = load_text("scheduler: {name: x, checks: {max_gap: 400ms, max_spread: 30%}}\n"
		      "checks: {max_gap: 900ms}\n"
		      "cgroups: [{name: cg_0}]\n");
	ktstr_checks_merge(&th, 2.0, &s->sched.checks, &s->checks);
	assert_true(th.max_gap_ms == 900.0);          /* the scenario's */
	assert_true(th.max_spread_pct == 30.0);       /* the scheduler's */
	assert_false(th.spread_from_default);
	assert_true(th.starvation);                   /* the default */
	free(s);

	/* a scheduler without checks leaves every key unset, so defaults apply */
	s = load_text("scheduler: {name: x}\ncgroups: [{name: cg_0}]\n");
	assert_int_equal(s->sched.checks.starvation, KTSTR_TRI_UNSET);
	assert_true(s->sched.checks.max_gap_ms < 0);
	assert_true(s->sched.checks.max_spread_pct < 0);
	ktstr_checks_merge(&th, 2.0, &s->sched.checks, &s->checks);
	assert_true(th.max_gap_ms == 4000.0);
	assert_true(th.gap_from_default);
	free(s);

	/* eevdf, the default: an empty layer too */
	s = load_text("cgroups: [{name: cg_0}]\n");
	assert_int_equal(s->sched.checks.starvation, KTSTR_TRI_UNSET);
	assert_true(s->sched.checks.max_gap_ms < 0);
	free(s);
}

static void flag_profiles(void **state)
{
	struct ktstr_scenario *s = load(GOOD "flags.yaml");
	uint32_t masks[KTSTR_MAX_FLAG_PROFILES];
	char list[1024], name[KTSTR_VARIANT_NAME_MAX];
	struct ktstr_variant v;
	unsigned n;

	(void)state;
	/*
	 * llc, steal (requires borrow), borrow (requires llc), rebal: a profile
	 * holding steal holds borrow and llc; borrow holds llc.
	 */
	n = ktstr_sched_profiles(&s->sched, masks, KTSTR_MAX_FLAG_PROFILES);
	assert_int_equal(n, 8);
	names(s, list, sizeof(list));
	assert_string_equal(list, "default, llc, rebal, borrow+llc, llc+rebal, borrow+llc+rebal, "
			    "borrow+llc+steal, borrow+llc+rebal+steal");
	assert_int_equal(masks[0], 0);
	ktstr_sched_profile_name(&s->sched, masks[6], name, sizeof(name));
	assert_string_equal(name, "borrow+llc+steal");
	/* no matrix: the names are the profiles alone, the labels still say the rest */
	assert_int_equal(ktstr_scenario_variant_count(s), 8);
	assert_int_equal(ktstr_scenario_variant_get(s, 0, &v), 0);
	assert_string_equal(v.name, "default");
	assert_string_equal(v.topology, "1n1l2c1t");
	assert_string_equal(v.scheduler, "scx_odd.bin");     /* '+' is the separator */
	assert_int_equal(v.topo, KTSTR_VARIANT_OWN);
	assert_int_equal(v.sched, KTSTR_VARIANT_OWN);
	assert_int_equal(ktstr_scenario_variant_find(s, "borrow+llc+rebal+steal", &v), 0);
	assert_int_equal(ktstr_scenario_variant_apply(s, &v), 0);
	/* -v, then llc, steal, borrow, rebal: declaration order */
	assert_int_equal(s->sched.n_args, 6);
	assert_string_equal(s->sched.args[0], "-v");
	assert_string_equal(s->sched.args[1], "--llc");
	assert_string_equal(s->sched.args[2], "--steal");
	assert_string_equal(s->sched.args[3], "--borrow");
	assert_string_equal(s->sched.args[4], "--rebal");
	assert_string_equal(s->sched.args[5], "5");
	assert_string_equal(s->sched.value, "../bin/scx+odd.bin");
	free(s);
}

static void flag_profile_edges(void **state)
{
	struct ktstr_scheduler_spec sc;
	uint32_t masks[64];
	char name[KTSTR_VARIANT_NAME_MAX];

	(void)state;
	memset(&sc, 0, sizeof(sc));
	sc.kind = KTSTR_SCHED_NAME;
	/* no flags: exactly one profile, the empty one */
	assert_int_equal(ktstr_sched_profiles(&sc, masks, 64), 1);
	assert_int_equal(masks[0], 0);
	ktstr_sched_profile_name(&sc, 0, name, sizeof(name));
	assert_string_equal(name, "default");
	/* independent flags: the whole power set, fewest flags first, then by name */
	sc.n_flags = 3;
	snprintf(sc.flags[0].name, sizeof(sc.flags[0].name), "c");
	snprintf(sc.flags[1].name, sizeof(sc.flags[1].name), "a");
	snprintf(sc.flags[2].name, sizeof(sc.flags[2].name), "b");
	assert_int_equal(ktstr_sched_profiles(&sc, masks, 64), 8);
	ktstr_sched_profile_name(&sc, masks[1], name, sizeof(name));
	assert_string_equal(name, "a");
	ktstr_sched_profile_name(&sc, masks[4], name, sizeof(name));
	assert_string_equal(name, "a+b");
	ktstr_sched_profile_name(&sc, masks[7], name, sizeof(name));
	assert_string_equal(name, "a+b+c");
	/* a requires c, c requires a: only together (the loader rejects the cycle) */
	snprintf(sc.flags[1].requires[0], sizeof(sc.flags[1].requires[0]), "c");
	sc.flags[1].n_requires = 1;
	snprintf(sc.flags[0].requires[0], sizeof(sc.flags[0].requires[0]), "a");
	sc.flags[0].n_requires = 1;
	assert_int_equal(ktstr_sched_profiles(&sc, masks, 64), 4);
	/* max limits what is written, not the count */
	assert_int_equal(ktstr_sched_profiles(&sc, masks, 1), 4);
	/* labels: eevdf, a path's file name, sanitised */
	sc.kind = KTSTR_SCHED_EEVDF;
	ktstr_sched_variant_label(&sc, name, sizeof(name));
	assert_string_equal(name, "eevdf");
	sc.kind = KTSTR_SCHED_PATH;
	snprintf(sc.value, sizeof(sc.value), "/opt/sched/my sched@2");
	ktstr_sched_variant_label(&sc, name, sizeof(name));
	assert_string_equal(name, "my_sched_2");
}

static void topology_matrix(void **state)
{
	struct ktstr_scenario *s = load(GOOD "matrix_topology.yaml");
	struct ktstr_topo_map map;
	struct ktstr_cpuset set;
	struct ktstr_variant v;
	char list[256], err[256];

	(void)state;
	names(s, list, sizeof(list));
	assert_string_equal(list, "1n2l2c1t, 2n4l2c1t");
	assert_int_equal(ktstr_scenario_variant_get(s, 1, &v), 0);
	assert_string_equal(v.scheduler, "eevdf");
	assert_string_equal(v.profile, "");
	assert_int_equal(ktstr_scenario_variant_apply(s, &v), 0);
	assert_int_equal(s->topo.numa_nodes, 2);
	assert_int_equal(s->topo.memory_mb, 2048);
	assert_false(ktstr_scenario_has_scx(s));
	/* the cpuset the base topology could not hold resolves in this variant */
	ktstr_topo_map_from_spec(&s->topo, &map);
	assert_int_equal(ktstr_cpuset_resolve(&s->cgroups[0].cpuset, &map, &set, err, sizeof(err)),
			 0);
	free(s);
}

/* Without matrix or flags nothing changes: no variants, names as before. */
static void no_variants(void **state)
{
	struct ktstr_scenario *s = load(GOOD "sched_ext.yaml");
	struct ktstr_variant v;
	char list[16];

	(void)state;
	assert_int_equal(ktstr_scenario_variant_count(s), 0);
	assert_int_equal(ktstr_scenario_variant_get(s, 0, &v), -ERANGE);
	assert_int_equal(ktstr_scenario_variant_find(s, "default", &v), -ENOENT);
	names(s, list, sizeof(list));
	assert_string_equal(list, "");
	assert_string_equal(s->variant, "");
	free(s);
}

/* The same text loaded twice (host and guest) enumerates identically. */
static void stable_across_loads(void **state)
{
	struct ktstr_scenario *a = load(GOOD "matrix.yaml"), *b = load(GOOD "matrix.yaml");
	struct ktstr_variant va, vb;

	(void)state;
	for (unsigned i = 0; i < ktstr_scenario_variant_count(a); i++) {
		assert_int_equal(ktstr_scenario_variant_get(a, i, &va), 0);
		assert_int_equal(ktstr_scenario_variant_find(b, va.name, &vb), 0);
		assert_int_equal(vb.index, i);
		assert_int_equal(memcmp(&va, &vb, sizeof(va)), 0);
	}
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matrix_expansion),
		cmocka_unit_test(matrix_apply),
		cmocka_unit_test(threshold_layers),
		cmocka_unit_test(flag_profiles),
		cmocka_unit_test(flag_profile_edges),
		cmocka_unit_test(topology_matrix),
		cmocka_unit_test(no_variants),
		cmocka_unit_test(stable_across_loads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
