// SPDX-License-Identifier: GPL-2.0-only
/* Value syntax (durations, sizes, percentages), suggestions, schema table sanity. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ktstr/scenario_load.h"
#include "schema.h"
#include "suggest.h"
#include "value_text.h"

static void durations(void **state)
{
	static const struct { const char *in; int ret; uint64_t ms; } cases[] = {
		{ "4s", 0, 4000 }, { "500ms", 0, 500 }, { "1.5s", 0, 1500 }, { "2m", 0, 120000 },
		{ "1.5m", 0, 90000 }, { "1h", 0, 3600000 }, { "0.5ms", 0, 1 },
		{ "4", -ENODATA, 0 }, { "1.5", -ENODATA, 0 }, { "-1s", -EINVAL, 0 },
		{ "4x", -EINVAL, 0 }, { "s", -EINVAL, 0 }, { "4 s", -EINVAL, 0 }, { "", -EINVAL, 0 },
		{ "1.s", -EINVAL, 0 }, { "4S", -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t ms = 0;

		assert_int_equal(ktstr_text_duration(cases[i].in, &ms), cases[i].ret);
		if (!cases[i].ret)
			assert_int_equal(ms, cases[i].ms);
	}
}

static void durations_us(void **state)
{
	static const struct { const char *in; int ret; uint64_t us; } cases[] = {
		{ "1us", 0, 1 }, { "250us", 0, 250 }, { "1.5ms", 0, 1500 }, { "2s", 0, 2000000 },
		{ "1m", 0, 60000000 }, { "0.4us", 0, 0 }, { "250", -ENODATA, 0 },
		{ "2µs", -EINVAL, 0 }, { "-1us", -EINVAL, 0 }, { "us", -EINVAL, 0 },
		{ "1 us", -EINVAL, 0 }, { "1e3us", -EINVAL, 0 },
	};
	static const struct { uint64_t us; const char *s; } fmt[] = {
		{ 1, "1us" }, { 250, "250us" }, { 1500, "1.5ms" }, { 1234, "1.234ms" },
		{ 2000, "2ms" }, { 60000000, "1m" }, { 1000000, "1s" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t us = 7;

		assert_int_equal(ktstr_text_duration_us(cases[i].in, &us), cases[i].ret);
		if (!cases[i].ret)
			assert_int_equal(us, cases[i].us);
	}
	for (size_t i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		uint64_t back;

		ktstr_duration_us_format(fmt[i].us, buf, sizeof(buf));
		assert_string_equal(buf, fmt[i].s);
		assert_int_equal(ktstr_text_duration_us(buf, &back), 0);
		assert_int_equal(back, fmt[i].us);
	}
}

static void ratios(void **state)
{
	double d;

	assert_int_equal(ktstr_text_ratio("0.05", &d), 0);
	assert_true(d == 0.05);
	assert_int_equal(ktstr_text_ratio("5%", &d), 0);
	assert_true(d == 0.05);
	assert_int_equal(ktstr_text_ratio("1", &d), 0);
	assert_true(d == 1);
	assert_int_equal(ktstr_text_ratio("-0.5", &d), 0);   /* the range check rejects it */
	assert_true(d == -0.5);
	assert_int_equal(ktstr_text_ratio(".inf", &d), -EINVAL);
	assert_int_equal(ktstr_text_ratio(".nan", &d), -EINVAL);
	assert_int_equal(ktstr_text_ratio("lots", &d), -EINVAL);
	assert_int_equal(ktstr_text_ratio("5 %", &d), -EINVAL);
}

static void sizes(void **state)
{
	static const struct { const char *in; int ret; uint64_t mb; } cases[] = {
		{ "512M", 0, 512 }, { "1G", 0, 1024 }, { "1.5G", 0, 1536 }, { "131072K", 0, 128 },
		{ "2GiB", 0, 2048 }, { "256mb", 0, 256 }, { "512", -ENODATA, 0 },
		{ "1000K", -EINVAL, 0 }, { "1T", -EINVAL, 0 }, { "lots", -EINVAL, 0 },
		{ "1Gx", -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t mb = 0;

		assert_int_equal(ktstr_text_size(cases[i].in, &mb), cases[i].ret);
		if (!cases[i].ret)
			assert_int_equal(mb, cases[i].mb);
	}
}

static void numbers_and_percent(void **state)
{
	long long v;
	bool overflow;
	double d;

	assert_true(ktstr_text_int("42", &v, &overflow) && v == 42 && !overflow);
	assert_true(ktstr_text_int("-3", &v, &overflow) && v == -3);
	assert_true(ktstr_text_int("99999999999999999999", &v, &overflow) && overflow);
	assert_false(ktstr_text_int("2.5", &v, &overflow));
	assert_false(ktstr_text_int("0x10", &v, &overflow));
	assert_true(ktstr_text_number("2.5", &d) && d == 2.5);
	assert_true(ktstr_text_number("-1e-2", &d) && d == -0.01);
	assert_true(ktstr_text_number(".inf", &d) && isinf(d));
	assert_true(ktstr_text_number(".NaN", &d) && isnan(d));
	assert_false(ktstr_text_number("0x1p3", &d));
	assert_false(ktstr_text_number("nan", &d));
	assert_false(ktstr_text_number("1.2.3", &d));
	assert_int_equal(ktstr_text_percent("35%", &d), 0);
	assert_true(d == 35);
	assert_int_equal(ktstr_text_percent("12.5%", &d), 0);
	assert_int_equal(ktstr_text_percent("35", &d), -EINVAL);
	assert_int_equal(ktstr_text_percent("%", &d), -EINVAL);
	assert_int_equal(ktstr_text_percent(".inf%", &d), -EINVAL);
}

static void formatting(void **state)
{
	static const struct { uint64_t ms; const char *s; } d[] = {
		{ 4000, "4s" }, { 500, "500ms" }, { 1500, "1.5s" }, { 1234, "1.234s" },
		{ 120000, "2m" }, { 3600000, "1h" }, { 90000, "90s" }, { 0, "0ms" },
		{ 1234567, "1234.567s" },
	};
	char buf[32];
	uint64_t back;

	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		ktstr_duration_format(d[i].ms, buf, sizeof(buf));
		assert_string_equal(buf, d[i].s);
		/* what we print, the loader reads back to the same value */
		assert_int_equal(ktstr_text_duration(buf, &back), 0);
		assert_int_equal(back, d[i].ms);
	}
	ktstr_size_format(512, buf, sizeof(buf));
	assert_string_equal(buf, "512M");
	ktstr_size_format(65536, buf, sizeof(buf));
	assert_string_equal(buf, "64G");
}

static void suggestions(void **state)
{
	static const char *const keys[] = { "name", "workers", "work", "cpuset" };

	assert_int_equal(ktstr_edit_distance("wokers", "workers"), 1);
	assert_int_equal(ktstr_edit_distance("", "abc"), 3);
	assert_int_equal(ktstr_edit_distance("kitten", "sitting"), 3);
	assert_string_equal(ktstr_suggest("wokers", keys, 4), "workers");
	assert_string_equal(ktstr_suggest("WORK", keys, 4), "work");          /* case only */
	assert_string_equal(ktstr_suggest("cpusets", keys, 4), "cpuset");
	assert_null(ktstr_suggest("frobnicate", keys, 4));
	assert_null(ktstr_suggest("ab", (const char *const[]){ "op" }, 1)); /* 2 edits of 2 chars */
}

/* The tables the loader and the docs share must be internally consistent. */
static void schema_tables(void **state)
{
	char range[96];

	for (int id = 0; id < KTSTR_SEC__COUNT; id++) {
		const struct ktstr_schema_map *m = ktstr_schema_section((enum ktstr_schema_section)id);

		assert_non_null(m);
		assert_int_equal(m->id, id);
		/* the loader's "did you mean" considers at most 32 keys of a section */
		assert_true(m->n_fields > 0 && m->n_fields <= 32);
		for (size_t i = 0; i < m->n_fields; i++) {
			const struct ktstr_schema_field *f = &m->fields[i];

			assert_non_null(f->doc);
			assert_null(strchr(f->doc, '\n'));
			/* required keys have no default, optional ones document theirs */
			if (f->required)
				assert_null(f->def);
			assert_ptr_equal(ktstr_schema_field(m, f->key), f);
			if (f->type == KTSTR_ST_MAP || f->type == KTSTR_ST_LIST ||
			    f->type == KTSTR_ST_CPUSET || f->type == KTSTR_ST_SCHEDULER)
				assert_non_null(f->sub);
		}
	}
	ktstr_schema_range(ktstr_schema_field(&ktstr_schema_top, "duration"), range, sizeof(range));
	assert_string_equal(range, "100ms..1h");
	ktstr_schema_range(ktstr_schema_field(&ktstr_schema_top, "cgroups"), range, sizeof(range));
	assert_string_equal(range, "1..32 entries");
	ktstr_schema_range(ktstr_schema_field(ktstr_schema_section(KTSTR_SEC_TOPOLOGY), "memory"),
			   range, sizeof(range));
	assert_string_equal(range, "128M..64G");
	ktstr_schema_range(ktstr_schema_field(ktstr_schema_section(KTSTR_SEC_WORK), "phases"),
			   range, sizeof(range));
	assert_string_equal(range, "1..8 entries");
	ktstr_schema_range(ktstr_schema_field(ktstr_schema_section(KTSTR_SEC_CHECKS),
					      "max_wake_p99"), range, sizeof(range));
	assert_string_equal(range, "1us..1m");
	ktstr_schema_range(ktstr_schema_field(ktstr_schema_section(KTSTR_SEC_CHECKS),
					      "max_migration_ratio"), range, sizeof(range));
	assert_string_equal(range, "0..1 (0%..100%)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(durations),
		cmocka_unit_test(durations_us),
		cmocka_unit_test(ratios),
		cmocka_unit_test(sizes),
		cmocka_unit_test(numbers_and_percent),
		cmocka_unit_test(formatting),
		cmocka_unit_test(suggestions),
		cmocka_unit_test(schema_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
