// SPDX-License-Identifier: GPL-2.0-only
/* Text forms of scenario values; see value_text.h. */
#include <ctype.h>
#include <errno.h>
#include <math.h>     /* INFINITY, NAN, isfinite: macros, no libm */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "value_text.h"

bool ktstr_text_int(const char *s, long long *out, bool *overflow)
{
	const char *p = s;
	char *end;

	*overflow = false;
	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p)
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	*overflow = errno == ERANGE;
	return true;
}

bool ktstr_text_number(const char *s, double *out)
{
	static const struct { const char *text; double v; } special[] = {
		{ ".inf", INFINITY }, { "+.inf", INFINITY }, { "-.inf", -INFINITY },
		{ ".nan", NAN },
	};
	char *end;

	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (strcasecmp(s, special[i].text) == 0) {
			*out = special[i].v;
			return true;
		}
	/* strtod also takes hex, "inf", "nan": keep to decimal notation */
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p))
			return false;
	if (!*s)
		return false;
	errno = 0;
	*out = strtod(s, &end);
	return end != s && *end == '\0';
}

/* Unsigned decimal "12" or "1.5" at the start of s; *end after it. */
static bool leading_decimal(const char *s, double *v, const char **end)
{
	const char *p = s;
	char *e;

	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	*v = strtod(s, &e);
	*end = p;
	return e == p;
}

struct unit_scale {
	const char *unit;
	double scale;
};

/* "<decimal><unit>" with a unit of the table, scaled and rounded; -ENODATA without a unit. */
static int scaled_value(const char *s, const struct unit_scale *units, size_t n, uint64_t *out)
{
	const char *unit;
	double v, d;

	if (ktstr_text_number(s, &d))
		return -ENODATA;
	if (!leading_decimal(s, &v, &unit))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(unit, units[i].unit) == 0) {
			v *= units[i].scale;
			if (v > 1e15)
				return -EINVAL;
			*out = (uint64_t)(v + 0.5);
			return 0;
		}
	return -EINVAL;
}

int ktstr_text_duration(const char *s, uint64_t *ms)
{
	static const struct unit_scale units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
	};

	return scaled_value(s, units, sizeof(units) / sizeof(units[0]), ms);
}

int ktstr_text_duration_us(const char *s, uint64_t *us)
{
	static const struct unit_scale units[] = {
		{ "us", 1 }, { "ms", 1000 }, { "s", 1e6 }, { "m", 6e7 }, { "h", 3.6e9 },
	};

	return scaled_value(s, units, sizeof(units) / sizeof(units[0]), us);
}

int ktstr_text_ratio(const char *s, double *frac)
{
	double pct;

	if (ktstr_text_number(s, frac))
		return isfinite(*frac) ? 0 : -EINVAL;
	if (ktstr_text_percent(s, &pct))
		return -EINVAL;
	*frac = pct / 100.0;
	return 0;
}

int ktstr_text_size(const char *s, uint64_t *mb)
{
	const char *unit;
	double v, d, kib;

	if (ktstr_text_number(s, &d))
		return -ENODATA;
	if (!leading_decimal(s, &v, &unit))
		return -EINVAL;
	switch (toupper((unsigned char)unit[0])) {
	case 'K':
		kib = v;
		break;
	case 'M':
		kib = v * 1024;
		break;
	case 'G':
		kib = v * 1024 * 1024;
		break;
	default:
		return -EINVAL;
	}
	unit++;
	if (*unit && strcasecmp(unit, "B") && strcasecmp(unit, "iB"))
		return -EINVAL;
	/* guest memory is given to QEMU in whole MiB */
	if (kib > 1e15 || (double)(uint64_t)(kib / 1024) != kib / 1024)
		return -EINVAL;
	*mb = (uint64_t)(kib / 1024);
	return 0;
}

int ktstr_text_percent(const char *s, double *pct)
{
	size_t n = strlen(s);
	char buf[64];

	if (n < 2 || n >= sizeof(buf) || s[n - 1] != '%')
		return -EINVAL;
	memcpy(buf, s, n - 1);
	buf[n - 1] = '\0';
	if (!ktstr_text_number(buf, pct) || !isfinite(*pct))
		return -EINVAL;
	return 0;
}
