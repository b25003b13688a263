// SPDX-License-Identifier: GPL-2.0-only
/*
 * CI plumbing: timeout profile files (the strict loader, and no drift
 * between ci/profiles/NAME.yaml and the built-in table), CTest resource
 * allocation parsing (with a fake environment), and what `ktstr compile`
 * generates for profiles, RESOURCE_GROUPS and KTSTR_SHARD.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_gen.h"
#include "ktstr/cpulist.h"
#include "ktstr/timeouts.h"
#include "profile_load.h"
#include "resources.h"

#define PROFILE_DIR KTSTR_SOURCE_DIR "/ci/profiles"

/* --- profile files -------------------------------------------------------- */

static const char good_profile[] =
	"# a comment\n"
	"factor: 1.5\n"
	"tcg_factor: 2\n"
	"boot_base_s: 10\n"
	"boot_per_vcpu_s: 0.25\n"
	"teardown_s: 8\n"
	"settle_s: 0\n"
	"progress_timeout_s: 15\n"
	"dump_margin_s: 5\n";

/* Load text as profile "t"; return the printed diagnostics (caller frees). */
static char *load(const char *text, struct ktstr_profile *p, int *ret)
{
	struct ktstr_diags d;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	ktstr_diags_init(&d, "t.yaml");
	*ret = ktstr_profile_load_buf(text, strlen(text), "t", p, &d);
	m = open_memstream(&buf, &len);
	assert_non_null(m);
	ktstr_diags_print(m, &d);
	fclose(m);
	ktstr_diags_free(&d);
	return buf;
}

static void test_profile_good(void **state)
{
	struct ktstr_profile p;
	int ret;
	char *out = load(good_profile, &p, &ret);

	(void)state;
	assert_int_equal(ret, 0);
	assert_string_equal(out, "");
	assert_string_equal(p.name, "t");
	assert_true(p.factor == 1.5 && p.tcg_factor == 2.0 && p.boot_base_s == 10.0);
	assert_true(p.boot_per_vcpu_s == 0.25 && p.teardown_s == 8.0 && p.settle_s == 0.0);
	assert_true(p.progress_timeout_s == 15.0 && p.dump_margin_s == 5.0);
	free(out);
}

/* good_profile with line `from` replaced by `to` (NULL: removed). */
static char *variant(const char *from, const char *to)
{
	const char *at = strstr(good_profile, from);
	size_t n = strlen(good_profile) + (to ? strlen(to) : 0) + 1;
	char *s = malloc(n);

	assert_non_null(at);
	snprintf(s, n, "%.*s%s%s", (int)(at - good_profile), good_profile, to ? to : "",
		 at + strlen(from));
	return s;
}

static void expect_error(const char *text, const char *want)
{
	struct ktstr_profile p;
	int ret;
	char *out = load(text, &p, &ret);

	if (ret != -EINVAL || !strstr(out, want))
		fail_msg("for:\n%s\nwant -EINVAL and '%s', got %d:\n%s", text, want, ret, out);
	free(out);
}

static void expect_variant_error(const char *from, const char *to, const char *want)
{
	char *text = variant(from, to);

	expect_error(text, want);
	free(text);
}

static void test_profile_errors(void **state)
{
	(void)state;
	/* Every message with file:line:col. */
	expect_variant_error("factor: 1.5\n", "factr: 1.5\n",
			     "t.yaml:2:1: error: unknown timeout profile key 'factr'; did you mean 'factor'?");
	expect_variant_error("factor: 1.5\n", "factor: 1.5\nwhatever: 1\n",
			     "t.yaml:3:1: error: unknown timeout profile key 'whatever' (known: factor, "
			     "tcg_factor, boot_base_s, boot_per_vcpu_s, teardown_s, settle_s, "
			     "progress_timeout_s, dump_margin_s)");
	expect_variant_error("factor: 1.5\n", "factor: fast\n",
			     "t.yaml:2:9: error: timeout profile key 'factor' needs a plain number "
			     "(a number > 0 and <= 100), got 'fast'");
	expect_variant_error("factor: 1.5\n", "factor: \"1.5\"\n", "t.yaml:2:9: error: timeout "
			     "profile key 'factor' needs a plain number");
	expect_variant_error("teardown_s: 8\n", "teardown_s: 8s\n", "t.yaml:6:13: error: timeout "
			     "profile key 'teardown_s' needs a plain number (seconds, 0 to 3600), got '8s'");
	expect_variant_error("factor: 1.5\n", "factor: .inf\n", "needs a plain number");
	expect_variant_error("factor: 1.5\n", "factor: 1e999\n", "needs a plain number");
	expect_variant_error("factor: 1.5\n", "factor: 0x10\n", "needs a plain number");
	expect_variant_error("factor: 1.5\n", "factor: 0\n",
			     "t.yaml:2:9: error: timeout profile key 'factor' is out of range: 0 "
			     "(expected a number > 0 and <= 100)");
	expect_variant_error("settle_s: 0\n", "settle_s: -1\n",
			     "t.yaml:7:11: error: timeout profile key 'settle_s' is out of range: -1");
	expect_variant_error("factor: 1.5\n", "factor: {a: 1}\n",
			     "t.yaml:2:9: error: timeout profile key 'factor' needs a number, got a mapping");
	expect_variant_error("dump_margin_s: 5\n", "dump_margin_s: 5\nfactor: 2\n",
			     "t.yaml:10:1: error: duplicate timeout profile key 'factor' (first given at line 2)");
	expect_variant_error("settle_s: 0\n", NULL,
			     "t.yaml:2:1: error: timeout profile is missing key 'settle_s'");
	expect_variant_error("dump_margin_s: 5\n", "dump_margin_s: 5\n---\nfactor: 1\n",
			     "t.yaml:11:1: error: a timeout profile holds one YAML document");
	expect_variant_error("factor: 1.5\n", "factor: [1\n", "t.yaml:3:11: error: timeout profile: "
			     "YAML syntax error:");
	expect_error("- 1\n- 2\n", "t.yaml:1:1: error: a timeout profile must be a mapping of "
		     "key: number, got a list");
	expect_error("", "t.yaml:1:1: error: timeout profile is empty");
	expect_error("# only a comment\n", "timeout profile is empty");
}

static void test_profile_files(void **state)
{
	struct ktstr_profile p;
	struct ktstr_diags d;

	(void)state;
	ktstr_diags_init(&d, "/nonexistent/x.yaml");
	assert_int_equal(ktstr_profile_load_file("/nonexistent/x.yaml", &p, &d), -ENOENT);
	assert_int_equal(d.n_errors, 1);
	assert_non_null(strstr(d.v[0].msg, "cannot read timeout profile: No such file"));
	ktstr_diags_free(&d);

	ktstr_diags_init(&d, "/tmp/bad name!.yaml");
	assert_int_equal(ktstr_profile_load_file("/tmp/bad name!.yaml", &p, &d), -EINVAL);
	assert_non_null(strstr(d.v[0].msg, "timeout profile file name must be NAME.yaml"));
	ktstr_diags_free(&d);

	{
		char name[32];

		assert_int_equal(ktstr_profile_name_from_path("/a/b/ci.yaml", name, sizeof(name)), 0);
		assert_string_equal(name, "ci");
		assert_int_equal(ktstr_profile_name_from_path("slow.yml", name, sizeof(name)), 0);
		assert_string_equal(name, "slow");
		assert_int_equal(ktstr_profile_name_from_path("/a/.yaml", name, sizeof(name)), -EINVAL);
	}
}

/* The files are the source of truth; the C table must not drift from them. */
static void expect_same(const char *name)
{
	struct ktstr_profile table, file;
	struct ktstr_diags d;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.yaml", PROFILE_DIR, name);
	if (ktstr_profile_get(name, &table))
		fail_msg("%s has no entry in the built-in table (framework/src/timeouts.c)", path);
	ktstr_diags_init(&d, path);
	if (ktstr_profile_load_file(path, &file, &d)) {
		ktstr_diags_print(stderr, &d);
		fail_msg("%s does not load", path);
	}
	ktstr_diags_free(&d);
	assert_string_equal(table.name, file.name);
#define SAME(f) \
	if (table.f != file.f) \
		fail_msg("profile '%s': %s is %g in %s but %g in the built-in table " \
			 "(framework/src/timeouts.c): change both", name, #f, file.f, path, table.f)
	SAME(factor);
	SAME(tcg_factor);
	SAME(boot_base_s);
	SAME(boot_per_vcpu_s);
	SAME(teardown_s);
	SAME(settle_s);
	SAME(progress_timeout_s);
	SAME(dump_margin_s);
#undef SAME
}

static void test_table_equals_files(void **state)
{
	DIR *dir = opendir(PROFILE_DIR);
	struct dirent *e;
	unsigned n = 0;

	(void)state;
	assert_non_null(dir);
	/* Every file has a table entry with the same values ... */
	while ((e = readdir(dir))) {
		size_t l = strlen(e->d_name);
		char name[64];

		if (l <= 5 || strcmp(e->d_name + l - 5, ".yaml"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(l - 5), e->d_name);
		expect_same(name);
		n++;
	}
	closedir(dir);
	/* ... and the table's profiles all have files. */
	assert_true(n >= 2);
	expect_same("default");
	expect_same("ci");
}

/* --- CTest resource allocation -------------------------------------------- */

struct fake_env {
	const char *const *kv;     /* name, value, name, value, ..., NULL */
};

static const char *fake_getenv(const char *name, void *ctx)
{
	const struct fake_env *env = ctx;

	for (const char *const *p = env->kv; *p; p += 2)
		if (!strcmp(p[0], name))
			return p[1];
	return NULL;
}

static int parse(const char *const *kv, char *cpus, size_t len, char *why, size_t why_len)
{
	struct fake_env env = { kv };
	struct ktstr_cpuset set;
	int rc = ktstr_resources_cpus(fake_getenv, &env, &set, why, why_len);

	ktstr_cpulist_format(&set, cpus, len);
	return rc;
}

#define EXPECT_CPUS(want_rc, want, ...) do { \
		static const char *const kv[] = { __VA_ARGS__, NULL }; \
		char cpus[128], why[512]; \
		int rc = parse(kv, cpus, sizeof(cpus), why, sizeof(why)); \
		if (rc != (want_rc) || strcmp(cpus, want)) \
			fail_msg("line %d: want %d '%s', got %d '%s' (%s)", __LINE__, want_rc, \
				 want, rc, cpus, why); \
	} while (0)

#define EXPECT_BAD(want_why, ...) do { \
		static const char *const kv[] = { __VA_ARGS__, NULL }; \
		char cpus[128], why[512]; \
		int rc = parse(kv, cpus, sizeof(cpus), why, sizeof(why)); \
		if (rc != -EINVAL || !strstr(why, want_why)) \
			fail_msg("line %d: want -EINVAL '%s', got %d '%s'", __LINE__, want_why, rc, \
				 why); \
	} while (0)

static void test_resources(void **state)
{
	(void)state;
	/* No allocation: not under ctest --resource-spec-file. */
	EXPECT_CPUS(0, "", "PATH", "/bin");
	EXPECT_CPUS(0, "", "CTEST_RESOURCE_GROUP_COUNT", "");
	EXPECT_CPUS(0, "", "CTEST_RESOURCE_GROUP_COUNT", "0");
	/* The TCG case: one group, one CPU, plus memory. */
	EXPECT_CPUS(1, "1", "CTEST_RESOURCE_GROUP_COUNT", "1",
		    "CTEST_RESOURCE_GROUP_0", "cpus", "CTEST_RESOURCE_GROUP_0_CPUS", "id:1,slots:1");
	EXPECT_CPUS(1, "3", "CTEST_RESOURCE_GROUP_COUNT", "1",
		    "CTEST_RESOURCE_GROUP_0", "cpus,mem_mb",
		    "CTEST_RESOURCE_GROUP_0_CPUS", "id:3,slots:1",
		    "CTEST_RESOURCE_GROUP_0_MEM_MB", "id:0,slots:768");
	/* The KVM case: one group per vCPU; the union. */
	EXPECT_CPUS(1, "0,2-3", "CTEST_RESOURCE_GROUP_COUNT", "3",
		    "CTEST_RESOURCE_GROUP_0", "mem_mb,cpus", "CTEST_RESOURCE_GROUP_0_CPUS", "id:2,slots:1",
		    "CTEST_RESOURCE_GROUP_1", "cpus", "CTEST_RESOURCE_GROUP_1_CPUS", "id:0,slots:1",
		    "CTEST_RESOURCE_GROUP_2", "cpus", "CTEST_RESOURCE_GROUP_2_CPUS", "id:3,slots:1");
	/* Several instances in one group. */
	EXPECT_CPUS(1, "5,7", "CTEST_RESOURCE_GROUP_COUNT", "1", "CTEST_RESOURCE_GROUP_0", "cpus",
		    "CTEST_RESOURCE_GROUP_0_CPUS", "id:5,slots:1;id:7,slots:2");
	/* Groups without cpus (someone else's spec): nothing to pin. */
	EXPECT_CPUS(0, "", "CTEST_RESOURCE_GROUP_COUNT", "1", "CTEST_RESOURCE_GROUP_0", "gpus",
		    "CTEST_RESOURCE_GROUP_0_GPUS", "id:0,slots:1");
	/* "cpuset" is not "cpus". */
	EXPECT_CPUS(0, "", "CTEST_RESOURCE_GROUP_COUNT", "1", "CTEST_RESOURCE_GROUP_0", "cpuset");

	/* Malformed: a warning, never a crash. */
	EXPECT_BAD("CTEST_RESOURCE_GROUP_COUNT='two' is not a number of groups",
		   "CTEST_RESOURCE_GROUP_COUNT", "two");
	EXPECT_BAD("CTEST_RESOURCE_GROUP_COUNT='-1'", "CTEST_RESOURCE_GROUP_COUNT", "-1");
	EXPECT_BAD("CTEST_RESOURCE_GROUP_COUNT='99999999999'",
		   "CTEST_RESOURCE_GROUP_COUNT", "99999999999");
	EXPECT_BAD("CTEST_RESOURCE_GROUP_COUNT is 2 but CTEST_RESOURCE_GROUP_1 is not set",
		   "CTEST_RESOURCE_GROUP_COUNT", "2", "CTEST_RESOURCE_GROUP_0", "cpus",
		   "CTEST_RESOURCE_GROUP_0_CPUS", "id:1,slots:1");
	EXPECT_BAD("CTEST_RESOURCE_GROUP_0 lists cpus but CTEST_RESOURCE_GROUP_0_CPUS is not set",
		   "CTEST_RESOURCE_GROUP_COUNT", "1", "CTEST_RESOURCE_GROUP_0", "cpus");
	EXPECT_BAD("resource id 'a' is not a host CPU number",
		   "CTEST_RESOURCE_GROUP_COUNT", "1", "CTEST_RESOURCE_GROUP_0", "cpus",
		   "CTEST_RESOURCE_GROUP_0_CPUS", "id:a,slots:1");
	EXPECT_BAD("resource id '256' is not a host CPU number",
		   "CTEST_RESOURCE_GROUP_COUNT", "1", "CTEST_RESOURCE_GROUP_0", "cpus",
		   "CTEST_RESOURCE_GROUP_0_CPUS", "id:256,slots:1");
	EXPECT_BAD("is not of the form id:N,slots:N",
		   "CTEST_RESOURCE_GROUP_COUNT", "1", "CTEST_RESOURCE_GROUP_0", "cpus",
		   "CTEST_RESOURCE_GROUP_0_CPUS", "id:1");
	EXPECT_BAD("is not of the form id:N,slots:N",
		   "CTEST_RESOURCE_GROUP_COUNT", "1", "CTEST_RESOURCE_GROUP_0", "cpus",
		   "CTEST_RESOURCE_GROUP_0_CPUS", "id:1,slots:0");
	EXPECT_BAD("is not of the form id:N,slots:N",
		   "CTEST_RESOURCE_GROUP_COUNT", "1", "CTEST_RESOURCE_GROUP_0", "cpus",
		   "CTEST_RESOURCE_GROUP_0_CPUS", "id:1,slots:1;");
	EXPECT_BAD("is not of the form id:N,slots:N",
		   "CTEST_RESOURCE_GROUP_COUNT", "1", "CTEST_RESOURCE_GROUP_0", "cpus",
		   "CTEST_RESOURCE_GROUP_0_CPUS", "");
	EXPECT_BAD("is not of the form id:N,slots:N",
		   "CTEST_RESOURCE_GROUP_COUNT", "1", "CTEST_RESOURCE_GROUP_0", "cpus",
		   "CTEST_RESOURCE_GROUP_0_CPUS", "slots:1,id:1");
}

/* --- what `ktstr compile` generates ---------------------------------------- */

static struct ktstr_compile_spec spec(void)
{
	return (struct ktstr_compile_spec){
		.name = "steady",
		.source_path = "/src/steady.yaml",
		.yaml = "version: 1\n",
		.yaml_len = 11,
		.profile = "ci",
		.exe_path = "/b/ktstr-steady",
		.timeout_s = 72,
	};
}

static char *gen(int (*fn)(FILE *, const struct ktstr_compile_spec *),
		 const struct ktstr_compile_spec *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	assert_int_equal(fn(m, s), 0);
	assert_int_equal(fclose(m), 0);
	return buf;
}

static void test_gen_profile(void **state)
{
	struct ktstr_compile_spec s = spec();
	struct ktstr_profile p = {
		.name = "ci", .factor = 1.5, .tcg_factor = 2, .boot_base_s = 10,
		.boot_per_vcpu_s = 0.1, .teardown_s = 8, .settle_s = 2,
		.progress_timeout_s = 15, .dump_margin_s = 5,
	};
	char *got;

	(void)state;
	got = gen(ktstr_gen_c_source, &s);
	assert_null(strstr(got, ".profile_values"));
	free(got);
	s.profile_values = &p;
	got = gen(ktstr_gen_c_source, &s);
	assert_non_null(strstr(got,
		"\t.ctest_timeout_s = 72.0,\n"
		"\t.profile_values = {\n"
		"\t\t.name = \"ci\",\n"
		"\t\t.factor = 1.5, .tcg_factor = 2,\n"
		"\t\t.boot_base_s = 10, .boot_per_vcpu_s = 0.10000000000000001,\n"
		"\t\t.teardown_s = 8, .settle_s = 2,\n"
		"\t\t.progress_timeout_s = 15, .dump_margin_s = 5,\n"
		"\t},\n"
		"};\n"));
	free(got);
}

static void test_gen_resources_and_shard(void **state)
{
	struct ktstr_compile_spec s = spec();
	char *got;

	(void)state;
	got = gen(ktstr_gen_ctest, &s);
	assert_null(strstr(got, "RESOURCE_GROUPS"));
	assert_null(strstr(got, "KTSTR_SHARD"));
	free(got);

	s.resource_cpus = 1;
	s.resource_mem_mb = 768;
	got = gen(ktstr_gen_ctest, &s);
	assert_non_null(strstr(got, "  SKIP_RETURN_CODE 77\n"
				    "  RESOURCE_GROUPS \"cpus:1,mem_mb:768\"\n"
				    "  ENVIRONMENT \"KTSTR_HARNESS_TIMEOUT=72\")\n"));
	free(got);

	s.resource_cpus = 4;
	s.shard = true;
	got = gen(ktstr_gen_ctest, &s);
	assert_non_null(strstr(got, "  RESOURCE_GROUPS \"cpus:1,mem_mb:768;3,cpus:1\"\n"));
	assert_non_null(strstr(got, "if(NOT COMMAND ktstr_shard_selects)\n"));
	assert_non_null(strstr(got, "$ENV{KTSTR_SHARD}"));
	assert_non_null(strstr(got, "ktstr_shard_selects(\"ktstr/steady\" _ktstr_selected)\n"
				    "if(_ktstr_selected)\n"
				    "add_test(\"ktstr/steady\" "));
	assert_non_null(strstr(got, ")\nendif()\n"));
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_good),
		cmocka_unit_test(test_profile_errors),
		cmocka_unit_test(test_profile_files),
		cmocka_unit_test(test_table_equals_files),
		cmocka_unit_test(test_resources),
		cmocka_unit_test(test_gen_profile),
		cmocka_unit_test(test_gen_resources_and_shard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
