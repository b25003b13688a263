/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Wake-up latency histogram, shared by the guest (which fills one per
 * worker, in its MAP_SHARED telemetry slot) and the host (which decodes it
 * from the WORKER frame and computes percentiles, per worker and pooled per
 * cgroup: histograms with one bucket layout add up exactly, so a pooled
 * percentile is as honest as a per-worker one).
 *
 * Layout: log-linear, 8 sub-buckets per power of two from 1 us.
 *   bucket 0                below 1 us
 *   bucket 1 + 8k + s       [1us * 2^k * (1 + s/8), 1us * 2^k * (1 + (s+1)/8))
 *                           for octave k in 0..23, sub-bucket s in 0..7
 *   bucket 193              1us * 2^24 (16.8 s) and above
 * So every bucket above 1 us is at most 12.5 % wide: a percentile reported
 * as its bucket's upper edge overstates the true value by less than 12.5 %.
 * Fixed size, no allocation: recording a sample is a few instructions.
 */
#ifndef KTSTR_WAKEHIST_H
#define KTSTR_WAKEHIST_H

#include <stdint.h>

#define KTSTR_WAKE_BASE_NS   1000u     /* 1 us: the first octave starts here */
#define KTSTR_WAKE_SUB_BITS  3         /* 2^3 = 8 sub-buckets per octave */
#define KTSTR_WAKE_OCTAVES   24        /* 1 us .. 16.8 s */
#define KTSTR_WAKE_BUCKETS   (2 + KTSTR_WAKE_OCTAVES * (1 << KTSTR_WAKE_SUB_BITS))

struct ktstr_wake_hist {
	uint64_t count;            /* samples: always the sum of buckets[] */
	uint64_t sum_ns;           /* for the mean */
	uint64_t max_ns;
	uint32_t buckets[KTSTR_WAKE_BUCKETS];   /* saturate at UINT32_MAX */
};

/* The bucket a latency falls in. */
unsigned ktstr_wake_bucket(uint64_t ns);

/* Bucket b covers [lo, hi); hi is UINT64_MAX for the last bucket. */
uint64_t ktstr_wake_bucket_lo(unsigned b);
uint64_t ktstr_wake_bucket_hi(unsigned b);

/* Record one sample (no allocation, no syscall). */
void ktstr_wake_hist_add(struct ktstr_wake_hist *h, uint64_t ns);

/* Add every sample of src to dst (pooling per cgroup). */
void ktstr_wake_hist_merge(struct ktstr_wake_hist *dst, const struct ktstr_wake_hist *src);

/*
 * Nearest-rank percentile, q in (0, 1]: the upper edge of the bucket that
 * holds sample number ceil(q * count) in ascending order, capped at max_ns
 * (so p100 is the max and no percentile exceeds it).  0 when there are no
 * samples.
 */
uint64_t ktstr_wake_percentile(const struct ktstr_wake_hist *h, double q);

/* Mean in ns; 0 when there are no samples. */
uint64_t ktstr_wake_mean_ns(const struct ktstr_wake_hist *h);

#endif /* KTSTR_WAKEHIST_H */
