// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parse CTest's resource allocation variables into a host CPU set (see
 * resources.h).  Never trusts them: anything malformed is reported, and the
 * caller then runs unpinned.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resources.h"

#define MAX_GROUPS 1024

const char *ktstr_real_getenv(const char *name, void *ctx)
{
	(void)ctx;
	return getenv(name);
}

/* A decimal number in [0, max]; no sign, no spaces. */
static int parse_dec(const char *s, size_t n, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (n == 0 || n > 9)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Whether the comma-separated list holds the word. */
static int list_has(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");

		if (n == wl && !strncmp(p, word, wl))
			return 1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* "id:3,slots:1;id:5,slots:1" -> CPUs 3 and 5. */
static int parse_cpus(const char *var, const char *val, struct ktstr_cpuset *cpus,
		      char *why, size_t why_len)
{
	const char *p = val;

	if (!*p)
		goto bad;
	while (*p) {
		size_t n = strcspn(p, ";");
		const char *comma = memchr(p, ',', n);
		unsigned long id, slots;

		if (n < 3 || strncmp(p, "id:", 3) || !comma)
			goto bad;
		if (parse_dec(p + 3, (size_t)(comma - p - 3), KTSTR_MAX_CPUS - 1, &id)) {
			snprintf(why, why_len, "%s='%.100s': resource id '%.*s' is not a host CPU "
				 "number below %d (is the resource spec ktstr's ktstr-resources.json?)",
				 var, val, (int)(comma - p - 3 > 32 ? 32 : comma - p - 3), p + 3,
				 KTSTR_MAX_CPUS);
			return -EINVAL;
		}
		if (strncmp(comma + 1, "slots:", 6) ||
		    parse_dec(comma + 7, n - (size_t)(comma + 7 - p), 1000000, &slots) || !slots)
			goto bad;
		ktstr_cpuset_set(cpus, (unsigned)id);
		p += n;
		if (*p == ';') {
			p++;
			if (!*p)
				goto bad;
		}
	}
	return 0;
bad:
	snprintf(why, why_len, "%s='%.100s' is not of the form id:N,slots:N[;id:N,slots:N...]",
		 var, val);
	return -EINVAL;
}

int ktstr_resources_cpus(ktstr_getenv_fn get, void *ctx, struct ktstr_cpuset *cpus,
			 char *why, size_t why_len)
{
	const char *count = get("CTEST_RESOURCE_GROUP_COUNT", ctx);
	unsigned long n;
	char var[64];

	ktstr_cpuset_zero(cpus);
	if (why_len)
		why[0] = '\0';
	if (!count || !*count)
		return 0;
	if (parse_dec(count, strlen(count), MAX_GROUPS, &n)) {
		snprintf(why, why_len, "CTEST_RESOURCE_GROUP_COUNT='%.32s' is not a number of "
			 "groups (0 to %d)", count, MAX_GROUPS);
		return -EINVAL;
	}
	for (unsigned long i = 0; i < n; i++) {
		const char *types, *val;

		snprintf(var, sizeof(var), "CTEST_RESOURCE_GROUP_%lu", i);
		types = get(var, ctx);
		if (!types || !*types) {
			snprintf(why, why_len, "CTEST_RESOURCE_GROUP_COUNT is %lu but %s is not set",
				 n, var);
			return -EINVAL;
		}
		if (!list_has(types, "cpus"))
			continue;
		snprintf(var, sizeof(var), "CTEST_RESOURCE_GROUP_%lu_CPUS", i);
		val = get(var, ctx);
		if (!val) {
			snprintf(why, why_len, "CTEST_RESOURCE_GROUP_%lu lists cpus but %s is not set",
				 i, var);
			return -EINVAL;
		}
		if (parse_cpus(var, val, cpus, why, why_len))
			return -EINVAL;
	}
	return ktstr_cpuset_count(cpus) > 0 ? 1 : 0;
}
