// SPDX-License-Identifier: GPL-2.0-only
/* The wake-up latency histogram: bucket edges, percentiles, pooling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ktstr/wakehist.h"

#define US 1000ull
#define MS 1000000ull

static void test_bucket_edges(void **state)
{
	(void)state;
	assert_int_equal(KTSTR_WAKE_BUCKETS, 194);
	assert_int_equal(ktstr_wake_bucket(0), 0);
	assert_int_equal(ktstr_wake_bucket(999), 0);
	assert_int_equal(ktstr_wake_bucket(1000), 1);
	assert_int_equal(ktstr_wake_bucket(1124), 1);
	assert_int_equal(ktstr_wake_bucket(1125), 2);          /* 1 us + 1/8 */
	assert_int_equal(ktstr_wake_bucket(1999), 8);
	assert_int_equal(ktstr_wake_bucket(2000), 9);          /* second octave */
	assert_int_equal(ktstr_wake_bucket(2250), 10);
	/* the last octave, then everything from 2^24 us up */
	assert_int_equal(ktstr_wake_bucket((1000ull << 24) - 1), 192);
	assert_int_equal(ktstr_wake_bucket(1000ull << 24), 193);
	assert_int_equal(ktstr_wake_bucket(UINT64_MAX), 193);
	assert_true(ktstr_wake_bucket_lo(0) == 0);
	assert_true(ktstr_wake_bucket_hi(0) == 1000);
	assert_true(ktstr_wake_bucket_lo(2) == 1125);
	assert_true(ktstr_wake_bucket_hi(8) == 2000);
	assert_true(ktstr_wake_bucket_lo(193) == 1000ull << 24);
	assert_true(ktstr_wake_bucket_hi(193) == UINT64_MAX);
	/* every bucket is contiguous with the next and holds its own edges */
	for (unsigned b = 0; b + 1 < KTSTR_WAKE_BUCKETS; b++) {
		assert_true(ktstr_wake_bucket_hi(b) == ktstr_wake_bucket_lo(b + 1));
		assert_int_equal(ktstr_wake_bucket(ktstr_wake_bucket_lo(b)), b);
		assert_int_equal(ktstr_wake_bucket(ktstr_wake_bucket_hi(b) - 1), b);
		/* above 1 us no bucket is wider than 1/8 of its lower edge */
		if (b > 0)
			assert_true((ktstr_wake_bucket_hi(b) - ktstr_wake_bucket_lo(b)) * 8 <=
				    ktstr_wake_bucket_lo(b));
	}
}

static void test_percentiles(void **state)
{
	struct ktstr_wake_hist h;

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_true(ktstr_wake_percentile(&h, 0.99) == 0);
	assert_true(ktstr_wake_mean_ns(&h) == 0);
	/* 98 samples at 10 us, 2 at 5 ms: p50 is 10 us's bucket, p99 the 5 ms one */
	for (int i = 0; i < 98; i++)
		ktstr_wake_hist_add(&h, 10 * US);
	ktstr_wake_hist_add(&h, 5 * MS);
	ktstr_wake_hist_add(&h, 5 * MS + 1);
	assert_true(h.count == 100);
	assert_true(h.max_ns == 5 * MS + 1);
	assert_true(ktstr_wake_percentile(&h, 0.50) == ktstr_wake_bucket_hi(ktstr_wake_bucket(10 * US)));
	assert_true(ktstr_wake_percentile(&h, 0.50) >= 10 * US);
	assert_true(ktstr_wake_percentile(&h, 0.50) < 10 * US * 9 / 8 + 1);
	assert_true(ktstr_wake_percentile(&h, 0.98) < 12 * US);
	/* rank 99 is a 5 ms sample: the edge is capped at the max */
	assert_true(ktstr_wake_percentile(&h, 0.99) == 5 * MS + 1);
	assert_true(ktstr_wake_percentile(&h, 1.0) == 5 * MS + 1);
	assert_true(ktstr_wake_mean_ns(&h) == (98 * 10 * US + 10 * MS + 1) / 100);
	/* nonsense q is clamped, never out of range */
	assert_true(ktstr_wake_percentile(&h, 7) == 5 * MS + 1);
	assert_true(ktstr_wake_percentile(&h, -1) == ktstr_wake_percentile(&h, 0.01));
	assert_true(ktstr_wake_percentile(&h, 0.0 / 0.0) == ktstr_wake_percentile(&h, 0.01));
}

static void test_sub_microsecond(void **state)
{
	struct ktstr_wake_hist h;

	(void)state;
	memset(&h, 0, sizeof(h));
	ktstr_wake_hist_add(&h, 300);
	ktstr_wake_hist_add(&h, 700);
	/* below 1 us: the bucket edge (1 us) is capped at the max seen */
	assert_true(ktstr_wake_percentile(&h, 0.99) == 700);
	assert_true(ktstr_wake_percentile(&h, 0.5) == 700);
}

static void test_merge_and_saturation(void **state)
{
	struct ktstr_wake_hist a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (int i = 0; i < 10; i++)
		ktstr_wake_hist_add(&a, 20 * US);
	for (int i = 0; i < 90; i++)
		ktstr_wake_hist_add(&b, 2 * US);
	ktstr_wake_hist_add(&b, 40 * MS);
	ktstr_wake_hist_merge(&a, &b);
	assert_true(a.count == 101);
	assert_true(a.max_ns == 40 * MS);
	assert_true(a.sum_ns == 200 * US + 180 * US + 40 * MS);
	/* pooled: p50 from b's majority, p90 from a's 20 us */
	assert_true(ktstr_wake_percentile(&a, 0.5) < 3 * US);
	assert_true(ktstr_wake_percentile(&a, 0.95) >= 20 * US);
	assert_true(ktstr_wake_percentile(&a, 0.95) < 23 * US);
	/* a full bucket stops counting, and count stays the sum of buckets */
	a.buckets[5] = UINT32_MAX - 1;
	a.count += UINT32_MAX - 1;
	ktstr_wake_hist_add(&a, ktstr_wake_bucket_lo(5));
	ktstr_wake_hist_add(&a, ktstr_wake_bucket_lo(5));
	assert_true(a.buckets[5] == UINT32_MAX);
	b = a;
	ktstr_wake_hist_merge(&a, &b);
	assert_true(a.buckets[5] == UINT32_MAX);
	{
		uint64_t sum = 0;

		for (unsigned k = 0; k < KTSTR_WAKE_BUCKETS; k++)
			sum += a.buckets[k];
		assert_true(sum == a.count);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket_edges),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_sub_microsecond),
		cmocka_unit_test(test_merge_and_saturation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
