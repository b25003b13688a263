// SPDX-License-Identifier: GPL-2.0-only
/*
 * Choosing a kernel.org release from releases.json.
 *
 * releases.json lists the maintained series only, each at its newest point
 * release: {"releases": [{"moniker": "stable", "version": "6.14.10",
 * "source": "https://cdn.kernel.org/.../linux-6.14.10.tar.xz"}, ...]}.
 *
 * With no version the newest stable/longterm release with patch >= 8 wins:
 * a brand-new series (X.Y.0 .. X.Y.7) still collects build fixes, and a
 * test framework wants a kernel that builds.  A version newer than its
 * series' newest gets a suggestion; an older point release is not listed
 * but is still on the server, so its URL is derived from the series.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ktstr/kernel.h"

#define MIN_PATCH 8

/* "6.14.10" -> {6,14,10}, n = 3; "6.14" -> n = 2.  0 when not X.Y[.Z]. */
static int parse_version(const char *s, long v[3], int *n)
{
	char *end;

	*n = 0;
	v[0] = v[1] = v[2] = -1;
	for (;;) {
		if (*s < '0' || *s > '9' || *n == 3)
			return 0;
		v[(*n)++] = strtol(s, &end, 10);
		if (*end == '\0')
			return *n >= 2;
		if (*end != '.')
			return 0;
		s = end + 1;
	}
}

int ktstr_is_upstream_version(const char *s)
{
	long v[3];
	int n;

	return s && parse_version(s, v, &n);
}

static int vcmp(const long a[3], const long b[3])
{
	for (int i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static void fill(struct ktstr_release *out, json_t *r)
{
	const char *src = json_string_value(json_object_get(r, "source"));
	const char *mon = json_string_value(json_object_get(r, "moniker"));

	memset(out, 0, sizeof(*out));
	snprintf(out->version, sizeof(out->version), "%s",
		 json_string_value(json_object_get(r, "version")));
	snprintf(out->moniker, sizeof(out->moniker), "%s", mon ? mon : "");
	snprintf(out->source, sizeof(out->source), "%s", src ? src : "");
}

/* <base>/pub/linux/kernel/vX.x/linux-V.tar.xz: where every release lives. */
static void derived(struct ktstr_release *out, const char *version, long major)
{
	char base[256];

	ktstr_kernel_org_url(base, sizeof(base));
	memset(out, 0, sizeof(*out));
	snprintf(out->version, sizeof(out->version), "%s", version);
	snprintf(out->moniker, sizeof(out->moniker), "unlisted");
	snprintf(out->source, sizeof(out->source), "%s/pub/linux/kernel/v%ld.x/linux-%s.tar.xz",
		 base, major, version);
}

int ktstr_releases_pick(const char *text, const char *want, int allow_unlisted,
			struct ktstr_release *out, struct ktstr_err *err)
{
	json_t *doc, *rels, *r, *best = NULL, *series = NULL;
	long wv[3], bv[3] = { -1, -1, -1 }, sv[3] = { -1, -1, -1 };
	json_error_t je;
	int wn = 0, rc = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	doc = json_loads(text, 0, &je);
	if (!doc)
		return ktstr_err_set(err, -EINVAL,
			"releases.json is not JSON (%s at line %d); is KTSTR_KERNEL_ORG_URL a "
			"kernel.org mirror?", je.text, je.line);
	rels = json_object_get(doc, "releases");
	if (!json_is_array(rels)) {
		rc = ktstr_err_set(err, -EINVAL,
			"releases.json has no \"releases\" array; is KTSTR_KERNEL_ORG_URL a "
			"kernel.org mirror?");
		goto out;
	}
	if (want && *want && !parse_version(want, wv, &wn)) {
		/* RCs and other tags: only an exact listed match. */
		json_array_foreach(rels, i, r) {
			const char *v = json_string_value(json_object_get(r, "version"));

			if (v && !strcmp(v, want) && json_is_string(json_object_get(r, "source"))) {
				fill(out, r);
				goto out;
			}
		}
		rc = ktstr_err_set(err, -ENOENT,
			"version %s not found: kernel.org versions look like 6.14.10 or 6.14 (RC "
			"tarballs are listed in releases.json only until the stable release ships)",
			want);
		goto out;
	}
	json_array_foreach(rels, i, r) {
		const char *v = json_string_value(json_object_get(r, "version"));
		const char *mon = json_string_value(json_object_get(r, "moniker"));
		long rv[3];
		int rn;

		if (!v || !mon || !parse_version(v, rv, &rn) ||
		    !json_is_string(json_object_get(r, "source")))
			continue;
		if (rn == 2)
			rv[2] = 0;          /* "6.15" is 6.15.0 */
		if (!want || !*want) {
			if ((strcmp(mon, "stable") && strcmp(mon, "longterm")) || rv[2] < MIN_PATCH)
				continue;
			if (!best || vcmp(rv, bv) > 0) {
				best = r;
				memcpy(bv, rv, sizeof(bv));
			}
			continue;
		}
		if (rv[0] != wv[0] || rv[1] != wv[1])
			continue;
		if (!series || vcmp(rv, sv) > 0) {
			series = r;
			memcpy(sv, rv, sizeof(sv));
		}
		if (wn == 3 && rv[2] == wv[2])
			best = r;
	}
	if (!want || !*want) {
		if (!best)
			rc = ktstr_err_set(err, -ENOENT,
				"no stable kernel with patch >= %d found in releases.json; name a "
				"version (`ktstr kernel build 6.14.10`)", MIN_PATCH);
		else
			fill(out, best);
		goto out;
	}
	if (wn == 2) {
		if (series)
			fill(out, series);
		else
			rc = ktstr_err_set(err, -ENOENT,
				"version %s not found: releases.json lists maintained series only; "
				"name a full version such as %s.1", want, want);
		goto out;
	}
	if (best) {
		fill(out, best);
	} else if (series && wv[2] < sv[2] && allow_unlisted) {
		derived(out, want, wv[0]);     /* an older point release of a listed series */
	} else if (series) {
		rc = ktstr_err_set(err, -ENOENT, "version %s not found, latest %ld.%ld.x: %s", want,
				   wv[0], wv[1], json_string_value(json_object_get(series, "version")));
	} else if (allow_unlisted) {
		derived(out, want, wv[0]);     /* an EOL series: the download decides */
	} else {
		rc = ktstr_err_set(err, -ENOENT, "version %s not found", want);
	}
out:
	json_decref(doc);
	return rc;
}
