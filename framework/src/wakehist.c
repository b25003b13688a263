// SPDX-License-Identifier: GPL-2.0-only
/* Wake-up latency histogram: bucket arithmetic and percentiles (wakehist.h). */
#include "ktstr/wakehist.h"

#define SUBS (1u << KTSTR_WAKE_SUB_BITS)
#define LAST (KTSTR_WAKE_BUCKETS - 1)

unsigned ktstr_wake_bucket(uint64_t ns)
{
	uint64_t q = ns / KTSTR_WAKE_BASE_NS, base;
	unsigned k;

	if (q == 0)
		return 0;
	/*
	 * floor(ns / 1000) >= 2^k exactly when ns >= 1000 * 2^k, so the octave
	 * is the index of q's top bit.
	 */
	k = 63u - (unsigned)__builtin_clzll(q);
	if (k >= KTSTR_WAKE_OCTAVES)
		return LAST;
	base = (uint64_t)KTSTR_WAKE_BASE_NS << k;
	return 1 + k * SUBS + (unsigned)((ns - base) * SUBS / base);
}

uint64_t ktstr_wake_bucket_lo(unsigned b)
{
	uint64_t base;

	if (b == 0)
		return 0;
	if (b >= LAST)
		return (uint64_t)KTSTR_WAKE_BASE_NS << KTSTR_WAKE_OCTAVES;
	base = (uint64_t)KTSTR_WAKE_BASE_NS << ((b - 1) / SUBS);
	/* base is a multiple of 1000 >= 8, so base / SUBS is exact */
	return base + (b - 1) % SUBS * (base / SUBS);
}

uint64_t ktstr_wake_bucket_hi(unsigned b)
{
	return b >= LAST ? UINT64_MAX : ktstr_wake_bucket_lo(b + 1);
}

void ktstr_wake_hist_add(struct ktstr_wake_hist *h, uint64_t ns)
{
	unsigned b = ktstr_wake_bucket(ns);

	if (h->buckets[b] == UINT32_MAX)
		return;            /* saturated: keep count == sum of buckets */
	h->buckets[b]++;
	h->count++;
	h->sum_ns += ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
}

void ktstr_wake_hist_merge(struct ktstr_wake_hist *dst, const struct ktstr_wake_hist *src)
{
	for (unsigned b = 0; b < KTSTR_WAKE_BUCKETS; b++) {
		uint64_t sum = (uint64_t)dst->buckets[b] + src->buckets[b];
		uint32_t add = sum > UINT32_MAX ? UINT32_MAX - dst->buckets[b] : src->buckets[b];

		dst->buckets[b] += add;
		dst->count += add;
	}
	dst->sum_ns += src->sum_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
}

uint64_t ktstr_wake_percentile(const struct ktstr_wake_hist *h, double q)
{
	uint64_t rank, seen = 0;
	double x;

	if (!h->count)
		return 0;
	if (!(q > 0))
		q = 0;
	if (q > 1)
		q = 1;
	x = q * (double)h->count;
	rank = (uint64_t)x;
	if ((double)rank < x)
		rank++;            /* ceil, without libm (the guest links statically) */
	if (rank < 1)
		rank = 1;
	for (unsigned b = 0; b < KTSTR_WAKE_BUCKETS; b++) {
		seen += h->buckets[b];
		if (seen >= rank) {
			uint64_t hi = ktstr_wake_bucket_hi(b);

			return hi < h->max_ns ? hi : h->max_ns;
		}
	}
	return h->max_ns;
}

uint64_t ktstr_wake_mean_ns(const struct ktstr_wake_hist *h)
{
	return h->count ? h->sum_ns / h->count : 0;
}
