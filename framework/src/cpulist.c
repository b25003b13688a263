// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's cpulist format.  No library speaks it, and it is tiny: ranges
 * "a-b" and single CPUs separated by commas.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktstr/cpulist.h"

unsigned ktstr_cpuset_count(const struct ktstr_cpuset *s)
{
	unsigned n = 0;

	for (size_t i = 0; i < KTSTR_MAX_CPUS / 64; i++)
		n += (unsigned)__builtin_popcountll(s->bits[i]);
	return n;
}

bool ktstr_cpuset_equal(const struct ktstr_cpuset *a, const struct ktstr_cpuset *b)
{
	return memcmp(a->bits, b->bits, sizeof(a->bits)) == 0;
}

bool ktstr_cpuset_subset(const struct ktstr_cpuset *a, const struct ktstr_cpuset *b)
{
	for (size_t i = 0; i < KTSTR_MAX_CPUS / 64; i++)
		if (a->bits[i] & ~b->bits[i])
			return false;
	return true;
}

static int parse_cpu(const char **p, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	errno = 0;
	v = strtoul(*p, &end, 10);
	if (errno || v >= KTSTR_MAX_CPUS)
		return -EINVAL;
	*p = end;
	*out = (unsigned)v;
	return 0;
}

int ktstr_cpulist_parse(const char *str, struct ktstr_cpuset *out)
{
	const char *p = str;

	ktstr_cpuset_zero(out);
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0')
		return 0;
	for (;;) {
		unsigned a, b;

		if (parse_cpu(&p, &a))
			return -EINVAL;
		b = a;
		if (*p == '-') {
			p++;
			if (parse_cpu(&p, &b) || b < a)
				return -EINVAL;
		}
		for (unsigned c = a; c <= b; c++)
			ktstr_cpuset_set(out, c);
		if (*p == ',') {
			p++;
			continue;
		}
		while (isspace((unsigned char)*p))
			p++;
		return *p == '\0' ? 0 : -EINVAL;
	}
}

int ktstr_cpulist_format(const struct ktstr_cpuset *s, char *buf, size_t len)
{
	size_t off = 0;
	unsigned c = 0;
	bool first = true;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	while (c < KTSTR_MAX_CPUS) {
		unsigned end;
		int n;

		if (!ktstr_cpuset_test(s, c)) {
			c++;
			continue;
		}
		end = c;
		while (end + 1 < KTSTR_MAX_CPUS && ktstr_cpuset_test(s, end + 1))
			end++;
		if (end == c)
			n = snprintf(buf + off, len - off, "%s%u", first ? "" : ",", c);
		else
			n = snprintf(buf + off, len - off, "%s%u-%u", first ? "" : ",", c, end);
		if (n < 0 || (size_t)n >= len - off)
			return -ENOSPC;
		off += (size_t)n;
		first = false;
		c = end + 1;
	}
	return 0;
}
