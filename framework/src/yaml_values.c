// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading one scalar value of a scenario: integers, numbers, durations,
 * sizes, percentages, strings.  Each reader reports its own diagnostic
 * ("'workers' must be an integer, got string 'two'") at the value's position
 * and returns false, so the caller keeps the default and moves on.
 */
#include <errno.h>
#include <math.h>     /* isfinite: a macro, so the model needs no libm */
#include <stdio.h>
#include <string.h>

#include "ktstr/scenario_load.h"
#include "suggest.h"
#include "value_text.h"
#include "yaml_loader.h"

bool ktstr_yaml_is_bool(const char *t, int *v)
{
	if (!strcmp(t, "true") || !strcmp(t, "True") || !strcmp(t, "TRUE"))
		*v = 1;
	else if (!strcmp(t, "false") || !strcmp(t, "False") || !strcmp(t, "FALSE"))
		*v = 0;
	else
		return false;
	return true;
}

const char *ktstr_yaml_describe(const yaml_node_t *n, char *buf, size_t len)
{
	const char *kind = "string";
	double dv;
	int bv;

	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a sequence";
	if (is_null(n))
		return "null";
	if (is_plain(n) && ktstr_yaml_is_bool(text(n), &bv))
		kind = "bool";
	else if (is_plain(n) && ktstr_text_number(text(n), &dv))
		kind = "number";
	if (strlen(text(n)) > 40)
		snprintf(buf, len, "%s '%.37s...'", kind, text(n));
	else
		snprintf(buf, len, "%s '%s'", kind, text(n));
	return buf;
}

void ktstr_yaml_err_type(struct yaml_loader *ld, const yaml_node_t *n, const char *key,
			 const char *expect)
{
	char got[80];

	ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n), "'%s' must be %s, got %s", key, expect,
			ktstr_yaml_describe(n, got, sizeof(got)));
}

static void err_range(struct yaml_loader *ld, const yaml_node_t *n, const char *key, const char *lo,
		      const char *hi)
{
	ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n), "'%s' must be between %s and %s, got %s",
			key, lo, hi, text(n));
}

const char *ktstr_yaml_suggestion(const char *word, const char *const *cands, size_t n,
			      const char *otherwise, char *buf, size_t len)
{
	const char *s = ktstr_suggest(word, cands, n);

	if (s)
		snprintf(buf, len, "; did you mean '%s'?", s);
	else
		snprintf(buf, len, "%s", otherwise);
	return buf;
}

bool ktstr_yaml_get_uint(struct yaml_loader *ld, const char *key, const yaml_node_t *n, double min,
		     double max, unsigned *out)
{
	char lo[32], hi[32];
	long long v;
	bool overflow;

	if (!is_plain(n) || !ktstr_text_int(text(n), &v, &overflow)) {
		ktstr_yaml_err_type(ld, n, key, "an integer");
		return false;
	}
	if (overflow || (min <= max && (v < min || v > max)) || v < 0 || v > (long long)~0u) {
		snprintf(lo, sizeof(lo), "%g", min);
		snprintf(hi, sizeof(hi), "%g", max);
		err_range(ld, n, key, lo, hi);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

bool ktstr_yaml_get_number(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			   double *out)
{
	if (!is_plain(n) || !ktstr_text_number(text(n), out)) {
		ktstr_yaml_err_type(ld, n, key, "a number");
		return false;
	}
	return true;
}

bool ktstr_yaml_get_duration(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			 const struct ktstr_schema_field *f, uint64_t *ms)
{
	char lo[32], hi[32];
	int ret = is_scalar(n) && !is_null(n) ? ktstr_text_duration(text(n), ms) : -EINVAL;

	if (ret == -ENODATA) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n), "'%s' needs a unit, e.g. %s",
				key, "4s or 500ms");
		return false;
	}
	if (ret) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_DURATION));
		return false;
	}
	if (*ms < f->min || *ms > f->max) {
		ktstr_duration_format((uint64_t)f->min, lo, sizeof(lo));
		ktstr_duration_format((uint64_t)f->max, hi, sizeof(hi));
		err_range(ld, n, key, lo, hi);
		return false;
	}
	return true;
}

bool ktstr_yaml_get_size(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
		     const struct ktstr_schema_field *f, uint64_t *mb)
{
	char lo[32], hi[32];
	int ret = is_scalar(n) && !is_null(n) ? ktstr_text_size(text(n), mb) : -EINVAL;

	if (ret == -ENODATA) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n), "'%s' needs a unit, e.g. %s",
				key, "512M or 1G");
		return false;
	}
	if (ret) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_SIZE));
		return false;
	}
	if (*mb < f->min || *mb > f->max) {
		ktstr_size_format((uint64_t)f->min, lo, sizeof(lo));
		ktstr_size_format((uint64_t)f->max, hi, sizeof(hi));
		err_range(ld, n, key, lo, hi);
		return false;
	}
	return true;
}

bool ktstr_yaml_get_percent(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			const struct ktstr_schema_field *f, double *pct)
{
	char lo[32], hi[32];
	bool ok = false;

	if (is_plain(n) && ktstr_text_number(text(n), pct))
		ok = isfinite(*pct);
	else if (is_scalar(n) && !is_null(n))
		ok = ktstr_text_percent(text(n), pct) == 0;
	if (!ok) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_PERCENT));
		return false;
	}
	if (*pct < f->min || *pct > f->max) {
		snprintf(lo, sizeof(lo), "%g%%", f->min);
		snprintf(hi, sizeof(hi), "%g%%", f->max);
		err_range(ld, n, key, lo, hi);
		return false;
	}
	return true;
}

bool ktstr_yaml_get_number_in(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			      const struct ktstr_schema_field *f, double *out)
{
	char lo[32], hi[32];

	if (!ktstr_yaml_get_number(ld, key, n, out))
		return false;
	if (f->min > f->max)
		return true;       /* no range: checked where used */
	/* !(in range) also catches NaN */
	if (!(*out >= f->min && *out <= f->max)) {
		snprintf(lo, sizeof(lo), "%g", f->min);
		snprintf(hi, sizeof(hi), "%g", f->max);
		err_range(ld, n, key, lo, hi);
		return false;
	}
	return true;
}

bool ktstr_yaml_get_duration_us(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
				const struct ktstr_schema_field *f, uint64_t *us)
{
	char lo[32], hi[32];
	int ret = is_scalar(n) && !is_null(n) ? ktstr_text_duration_us(text(n), us) : -EINVAL;

	if (ret == -ENODATA) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n), "'%s' needs a unit, e.g. %s",
				key, "250us or 2ms");
		return false;
	}
	if (ret) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_DURATION_US));
		return false;
	}
	if (*us < f->min || *us > f->max) {
		ktstr_duration_us_format((uint64_t)f->min, lo, sizeof(lo));
		ktstr_duration_us_format((uint64_t)f->max, hi, sizeof(hi));
		err_range(ld, n, key, lo, hi);
		return false;
	}
	return true;
}

bool ktstr_yaml_get_ratio(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			  const struct ktstr_schema_field *f, double *frac)
{
	char lo[48], hi[48];

	if (!is_scalar(n) || is_null(n) || ktstr_text_ratio(text(n), frac)) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_RATIO));
		return false;
	}
	if (*frac < f->min || *frac > f->max) {
		snprintf(lo, sizeof(lo), "%g (%g%%)", f->min, f->min * 100);
		snprintf(hi, sizeof(hi), "%g (%g%%)", f->max, f->max * 100);
		err_range(ld, n, key, lo, hi);
		return false;
	}
	return true;
}

static bool name_char(char c, enum ktstr_strclass cls)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '-')
		return true;
	return c == '.' && cls == KTSTR_STR_NAME;
}

bool ktstr_yaml_string_ok(const char *s, const struct ktstr_schema_field *f)
{
	size_t len = strlen(s);

	if (len < f->min || len > f->max)
		return false;
	if (f->strclass != KTSTR_STR_ANY)
		for (const char *p = s; *p; p++) {
			/* a cgroup path: words joined by single '/', none empty */
			if (*p == '/' && f->strclass == KTSTR_STR_CGNAME && p != s && p[1] &&
			    p[1] != '/')
				continue;
			if (!name_char(*p, f->strclass))
				return false;
		}
	return true;
}

bool ktstr_yaml_get_string(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
		       const struct ktstr_schema_field *f, char *dst)
{
	char shape[64];
	size_t len;

	if (!is_scalar(n) || is_null(n)) {
		ktstr_yaml_err_type(ld, n, key, "a string");
		return false;
	}
	len = strlen(text(n));
	if (!ktstr_yaml_string_ok(text(n), f)) {
		if (f->strclass != KTSTR_STR_ANY) {
			ktstr_schema_string_shape(f, shape, sizeof(shape));
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n), "'%s' must match %s, got '%s'",
					key, shape, text(n));
		} else if (len == 0) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n), "'%s' must not be empty", key);
		} else {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
					"'%s' must be at most %g characters, got %zu", key, f->max, len);
		}
		return false;
	}
	memcpy(dst, text(n), len + 1);
	return true;
}
