// SPDX-License-Identifier: GPL-2.0-only
/*
 * Variant enumeration, naming and selection (ktstr/variants.h).  Part of the
 * model library: the guest agent applies a variant with the same code the
 * host used to name it, from the same YAML.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ktstr/variants.h"

/* Bit j set when flag j is among flag i's requires. */
static uint32_t requires_mask(const struct ktstr_scheduler_spec *sc, unsigned i)
{
	const struct ktstr_sched_flag *f = &sc->flags[i];
	uint32_t m = 0;

	for (unsigned k = 0; k < f->n_requires && k < KTSTR_MAX_FLAG_REQUIRES; k++)
		for (unsigned j = 0; j < sc->n_flags && j < KTSTR_MAX_SCHED_FLAGS; j++)
			if (!strcmp(f->requires[k], sc->flags[j].name))
				m |= 1u << j;
	return m;
}

static unsigned popcount(uint32_t m)
{
	unsigned n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

void ktstr_sched_profile_name(const struct ktstr_scheduler_spec *sc, uint32_t mask, char *buf,
			      size_t len)
{
	const char *names[KTSTR_MAX_SCHED_FLAGS];
	unsigned n = 0;
	size_t o = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (unsigned i = 0; i < sc->n_flags && i < KTSTR_MAX_SCHED_FLAGS; i++)
		if (mask & (1u << i))
			names[n++] = sc->flags[i].name;
	if (!n) {
		snprintf(buf, len, "default");
		return;
	}
	/* insertion sort: at most KTSTR_MAX_SCHED_FLAGS names */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *t = names[j];

			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (unsigned i = 0; i < n && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "+" : "", names[i]);
}

/* Profile order: fewer flags first, then by display name. */
static int profile_cmp(const struct ktstr_scheduler_spec *sc, uint32_t a, uint32_t b)
{
	char na[KTSTR_VARIANT_NAME_MAX], nb[KTSTR_VARIANT_NAME_MAX];

	if (popcount(a) != popcount(b))
		return popcount(a) < popcount(b) ? -1 : 1;
	ktstr_sched_profile_name(sc, a, na, sizeof(na));
	ktstr_sched_profile_name(sc, b, nb, sizeof(nb));
	return strcmp(na, nb);
}

unsigned ktstr_sched_profiles(const struct ktstr_scheduler_spec *sc, uint32_t *masks,
			      unsigned max)
{
	unsigned n_flags = sc->n_flags < KTSTR_MAX_SCHED_FLAGS ? sc->n_flags : KTSTR_MAX_SCHED_FLAGS;
	uint32_t req[KTSTR_MAX_SCHED_FLAGS], all[1u << KTSTR_MAX_SCHED_FLAGS];
	unsigned n = 0;

	for (unsigned i = 0; i < n_flags; i++)
		req[i] = requires_mask(sc, i);
	for (uint32_t m = 0; m < (1u << n_flags); m++) {
		bool closed = true;

		for (unsigned i = 0; i < n_flags && closed; i++)
			if ((m & (1u << i)) && (req[i] & ~m))
				closed = false;
		if (!closed)
			continue;
		/* insert in order */
		unsigned j = n++;

		while (j > 0 && profile_cmp(sc, all[j - 1], m) > 0) {
			all[j] = all[j - 1];
			j--;
		}
		all[j] = m;
	}
	for (unsigned i = 0; masks && i < n && i < max; i++)
		masks[i] = all[i];
	return n;
}

void ktstr_sched_variant_label(const struct ktstr_scheduler_spec *sc, char *buf, size_t len)
{
	const char *v = "eevdf", *slash;

	if (sc->kind == KTSTR_SCHED_NAME) {
		v = sc->value;
	} else if (sc->kind == KTSTR_SCHED_PATH) {
		slash = strrchr(sc->value, '/');
		v = slash && slash[1] ? slash + 1 : sc->value;
	}
	snprintf(buf, len, "%s", v);
	/* '+' separates the parts of a variant name; CTest names want no odd characters */
	for (char *p = buf; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			*p = '_';
}

static unsigned n_topos(const struct ktstr_scenario *s)
{
	return s->matrix.n_topos ? s->matrix.n_topos : 1;
}

static unsigned n_scheds(const struct ktstr_scenario *s)
{
	return s->matrix.n_scheds ? s->matrix.n_scheds : 1;
}

static const struct ktstr_scheduler_spec *sched_at(const struct ktstr_scenario *s, unsigned k)
{
	return s->matrix.n_scheds ? &s->matrix.scheds[k] : &s->sched;
}

static bool has_variants(const struct ktstr_scenario *s)
{
	if (s->matrix.n_topos || s->matrix.n_scheds)
		return true;
	return s->sched.n_flags > 0;
}

unsigned ktstr_scenario_variant_count(const struct ktstr_scenario *s)
{
	unsigned per_topo = 0;

	if (!has_variants(s))
		return 0;
	for (unsigned k = 0; k < n_scheds(s); k++)
		per_topo += ktstr_sched_profiles(sched_at(s, k), NULL, 0);
	return n_topos(s) * per_topo;
}

int ktstr_scenario_variant_get(const struct ktstr_scenario *s, unsigned i, struct ktstr_variant *v)
{
	uint32_t masks[1u << KTSTR_MAX_SCHED_FLAGS];
	unsigned idx = 0;

	if (!has_variants(s))
		return -ERANGE;
	for (unsigned t = 0; t < n_topos(s); t++) {
		for (unsigned k = 0; k < n_scheds(s); k++) {
			const struct ktstr_scheduler_spec *sc = sched_at(s, k);
			unsigned np = ktstr_sched_profiles(sc, masks, sizeof(masks) / sizeof(masks[0]));
			const struct ktstr_topology *topo;
			size_t o;

			if (i >= idx + np) {
				idx += np;
				continue;
			}
			memset(v, 0, sizeof(*v));
			v->index = i;
			v->topo = s->matrix.n_topos ? t : KTSTR_VARIANT_OWN;
			v->sched = s->matrix.n_scheds ? k : KTSTR_VARIANT_OWN;
			v->flags = masks[i - idx];
			topo = s->matrix.n_topos ? &s->matrix.topos[t] : &s->topo;
			ktstr_topology_label(topo, v->topology, sizeof(v->topology));
			ktstr_sched_variant_label(sc, v->scheduler, sizeof(v->scheduler));
			if (sc->n_flags)
				ktstr_sched_profile_name(sc, v->flags, v->profile, sizeof(v->profile));
			o = 0;
			if (s->matrix.n_topos)
				o += (size_t)snprintf(v->name + o, sizeof(v->name) - o, "%s",
						      v->topology);
			if (s->matrix.n_scheds && o < sizeof(v->name))
				o += (size_t)snprintf(v->name + o, sizeof(v->name) - o, "%s%s",
						      o ? "+" : "", v->scheduler);
			if (v->profile[0] && o < sizeof(v->name))
				snprintf(v->name + o, sizeof(v->name) - o, "%s%s", o ? "+" : "",
					 v->profile);
			return 0;
		}
	}
	return -ERANGE;
}

int ktstr_scenario_variant_find(const struct ktstr_scenario *s, const char *name,
				struct ktstr_variant *v)
{
	unsigned n = ktstr_scenario_variant_count(s);

	for (unsigned i = 0; name && i < n; i++)
		if (!ktstr_scenario_variant_get(s, i, v) && !strcmp(v->name, name))
			return 0;
	return -ENOENT;
}

int ktstr_scenario_variant_apply(struct ktstr_scenario *s, const struct ktstr_variant *v)
{
	struct ktstr_scheduler_spec *sc = &s->sched;

	if (s->variant[0])
		return -EALREADY;
	if (v->topo != KTSTR_VARIANT_OWN) {
		if (v->topo >= s->matrix.n_topos)
			return -ERANGE;
		s->topo = s->matrix.topos[v->topo];
	}
	if (v->sched != KTSTR_VARIANT_OWN) {
		if (v->sched >= s->matrix.n_scheds)
			return -ERANGE;
		*sc = s->matrix.scheds[v->sched];
	}
	for (unsigned i = 0; i < sc->n_flags && i < KTSTR_MAX_SCHED_FLAGS; i++) {
		const struct ktstr_sched_flag *f = &sc->flags[i];

		if (!(v->flags & (1u << i)))
			continue;
		if (sc->n_args + f->n_args > KTSTR_MAX_SCHED_ARGS)
			return -E2BIG;
		for (unsigned a = 0; a < f->n_args; a++)
			memcpy(sc->args[sc->n_args++], f->args[a], sizeof(sc->args[0]));
	}
	snprintf(s->variant, sizeof(s->variant), "%s", v->name);
	return 0;
}

void ktstr_scenario_variant_list(const struct ktstr_scenario *s, char *buf, size_t len)
{
	unsigned n = ktstr_scenario_variant_count(s);
	struct ktstr_variant v;
	size_t o = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		if (ktstr_scenario_variant_get(s, i, &v))
			break;
		if (o + strlen(v.name) + 6 >= len) {
			snprintf(buf + o, len - o, "%s...", o ? ", " : "");
			return;
		}
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "", v.name);
	}
}
