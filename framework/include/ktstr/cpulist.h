/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPU sets in the kernel's cpulist format ("0-3,8,10-11"), as sysfs and
 * cgroup cpuset files speak it.  Bounded by KTSTR_MAX_CPUS.
 */
#ifndef KTSTR_CPULIST_H
#define KTSTR_CPULIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ktstr/scenario.h"

struct ktstr_cpuset {
	uint64_t bits[KTSTR_MAX_CPUS / 64];
};

static inline void ktstr_cpuset_zero(struct ktstr_cpuset *s)
{
	for (size_t i = 0; i < KTSTR_MAX_CPUS / 64; i++)
		s->bits[i] = 0;
}

static inline void ktstr_cpuset_set(struct ktstr_cpuset *s, unsigned cpu)
{
	if (cpu < KTSTR_MAX_CPUS)
		s->bits[cpu / 64] |= 1ull << (cpu % 64);
}

static inline bool ktstr_cpuset_test(const struct ktstr_cpuset *s, unsigned cpu)
{
	return cpu < KTSTR_MAX_CPUS && (s->bits[cpu / 64] >> (cpu % 64)) & 1;
}

unsigned ktstr_cpuset_count(const struct ktstr_cpuset *s);
bool ktstr_cpuset_equal(const struct ktstr_cpuset *a, const struct ktstr_cpuset *b);
/* true when every CPU of a is in b */
bool ktstr_cpuset_subset(const struct ktstr_cpuset *a, const struct ktstr_cpuset *b);

/*
 * Parse a cpulist.  Whitespace around the list (a trailing newline from
 * sysfs) is accepted; anything else malformed, or a CPU >= KTSTR_MAX_CPUS,
 * returns -EINVAL.  An empty string is the empty set.
 */
int ktstr_cpulist_parse(const char *str, struct ktstr_cpuset *out);

/* Format as a cpulist; "" for the empty set.  Returns -ENOSPC if truncated. */
int ktstr_cpulist_format(const struct ktstr_cpuset *s, char *buf, size_t len);

#endif /* KTSTR_CPULIST_H */
