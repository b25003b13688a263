// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scenario values with a shape of their own: one-of choices (policy,
 * affinity, mem_policy), signed integers, NUMA node lists, cgroup knobs,
 * a step's own cgroups, and the work groups / schedulers ops carry, which
 * live in pools of the scenario so an op stays small.  Each reports its own
 * error at the value's position and leaves the model's default otherwise.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ktstr/cpulist.h"
#include "ktstr/scenario_load.h"
#include "value_text.h"
#include "yaml_loader.h"

bool ktstr_yaml_get_int(struct yaml_loader *ld, const char *key, const yaml_node_t *n, double min,
			double max, int *out)
{
	long long v;
	bool overflow;

	if (!is_plain(n) || !ktstr_text_int(text(n), &v, &overflow)) {
		ktstr_yaml_err_type(ld, n, key, "an integer");
		return false;
	}
	if (overflow || v < min || v > max) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
				"'%s' must be between %g and %g, got %s", key, min, max, text(n));
		return false;
	}
	*out = (int)v;
	return true;
}

/* "0-1,3" -> bit per node; every node below KTSTR_MAX_NUMA_NODES. */
static bool get_nodelist(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			 uint32_t *out)
{
	struct ktstr_cpuset set;
	uint32_t mask = 0;

	if (!is_scalar(n) || is_null(n) || ktstr_cpulist_parse(text(n), &set) ||
	    !ktstr_cpuset_count(&set)) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_NODELIST));
		return false;
	}
	for (unsigned i = 0; i < KTSTR_MAX_CPUS; i++) {
		if (!ktstr_cpuset_test(&set, i))
			continue;
		if (i >= KTSTR_MAX_NUMA_NODES) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
					"'%s': node %u is out of range; nodes are 0..%d", key, i,
					KTSTR_MAX_NUMA_NODES - 1);
			return false;
		}
		mask |= 1u << i;
	}
	*out = mask;
	return true;
}

static void list_keys(const struct ktstr_schema_map *m, bool flags_only, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->n_fields && off < len; i++)
		if (!flags_only || m->fields[i].type == KTSTR_ST_FLAG)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
						m->fields[i].key);
}

/*
 * A choice: `name` (a FLAG of the sub map) or `{name: value}` with exactly
 * one key.  The chosen field's tag is the kind, stored first in the struct.
 */
void ktstr_yaml_load_choice(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			    const char *key, yaml_node_t *n, void *dst)
{
	const struct ktstr_schema_map *m = f->sub;
	const struct ktstr_schema_field *c;
	const char *names[24];
	char known[256], sugg[320];
	yaml_node_pair_t *pr;
	size_t nn = 0;

	for (size_t i = 0; i < m->n_fields && nn < 24; i++)
		names[nn++] = m->fields[i].key;
	if (m->has_loc)
		*(struct ktstr_src_loc *)((char *)dst + m->loc_off) = loc_of(n);
	if (is_scalar(n) && !is_null(n)) {
		c = ktstr_schema_field(m, text(n));
		if (c && c->type == KTSTR_ST_FLAG) {
			*(int *)dst = c->tag;
			return;
		}
		if (c) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
					"%s '%s' takes a value: write {%s: ...}", m->name, text(n),
					text(n));
			return;
		}
		list_keys(m, false, known, sizeof(known));
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n), "unknown %s '%s'%s", m->name,
				text(n),
				ktstr_yaml_suggestion(text(n), names, nn,
						      "", sugg, sizeof(sugg)));
		ktstr_diags_add(ld->d, KTSTR_DIAG_NOTE, loc_of(n), "%s is one of: %s", m->name, known);
		return;
	}
	if (n->type != YAML_MAPPING_NODE ||
	    n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1) {
		list_keys(m, false, known, sizeof(known));
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
				"'%s' must be a name or a mapping with exactly one of: %s", key, known);
		return;
	}
	pr = n->data.mapping.pairs.start;
	{
		yaml_node_t *k = node_at(ld, pr->key), *v = node_at(ld, pr->value);
		size_t before = ld->d->n_errors;
		struct ktstr_schema_field one;

		c = is_scalar(k) ? ktstr_schema_field(m, text(k)) : NULL;
		if (!c) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(k), "unknown %s '%s'%s",
					m->name, is_scalar(k) ? text(k) : "?",
					ktstr_yaml_suggestion(is_scalar(k) ? text(k) : "", names, nn, "",
							      sugg, sizeof(sugg)));
			return;
		}
		if (c->type == KTSTR_ST_FLAG) {
			int bv;

			if (is_plain(v) && ktstr_yaml_is_bool(text(v), &bv) && bv) {
				*(int *)dst = c->tag;
				return;
			}
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(v),
					"%s '%s' takes no value: write %s: %s", m->name, c->key, key,
					c->key);
			return;
		}
		if (c->type == KTSTR_ST_NODELIST) {
			if (get_nodelist(ld, c->key, v, (uint32_t *)((char *)dst + c->off)))
				*(int *)dst = c->tag;
			return;
		}
		one = *c;
		ktstr_yaml_load_field(ld, &one, v, dst);
		if (ld->d->n_errors == before)
			*(int *)dst = c->tag;
	}
}

/* ---- knobs ------------------------------------------------------------------ */

static bool cpu_max_ok(const char *t, char *out, size_t len)
{
	unsigned long long quota, period = 100000;
	char word[16], extra;
	double pct;
	int n;

	if (ktstr_text_percent(t, &pct) == 0) {
		if (!(pct > 0.0 && pct <= 100.0 * KTSTR_MAX_CPUS))
			return false;
		snprintf(out, len, "%llu 100000", (unsigned long long)(pct * 1000.0 + 0.5));
		return true;
	}
	n = sscanf(t, "%15s %llu %c", word, &period, &extra);
	if (n < 1 || n > 2 || period < 1000 || period > 1000000)
		return false;
	if (!strcmp(word, "max")) {
		snprintf(out, len, "max %llu", period);
		return true;
	}
	if (sscanf(word, "%llu%c", &quota, &extra) != 1 || quota < 1000)
		return false;
	snprintf(out, len, "%llu %llu", quota, period);
	return true;
}

/*
 * Parse one knob value against its schema field into the text written to
 * the cgroup file.  Sizes become bytes; "max" where the knob allows it.
 */
bool ktstr_yaml_knob_value(struct yaml_loader *ld, const struct ktstr_schema_field *kf,
			   const yaml_node_t *v, char *out, size_t len)
{
	uint64_t mb;
	unsigned u;
	int i;

	if (kf->tag == 1 && is_scalar(v) && !strcmp(text(v), "max")) {
		snprintf(out, len, "max");
		return true;
	}
	switch (kf->type) {
	case KTSTR_ST_STRING:   /* cpu.max */
		if (is_scalar(v) && !is_null(v) && cpu_max_ok(text(v), out, len))
			return true;
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(v),
				"knob '%s' must be \"QUOTA PERIOD\" in microseconds (quota >= 1000, "
				"period 1000..1000000), a percentage such as 50%%, or max; got '%s'",
				kf->key, is_scalar(v) ? text(v) : "?");
		return false;
	case KTSTR_ST_SIZE:
		if (!ktstr_yaml_get_size(ld, kf->key, v, kf, &mb))
			return false;
		snprintf(out, len, "%" PRIu64, mb * 1024 * 1024);
		return true;
	case KTSTR_ST_INT:
		if (!ktstr_yaml_get_int(ld, kf->key, v, kf->min, kf->max, &i))
			return false;
		snprintf(out, len, "%d", i);
		return true;
	default:
		if (!ktstr_yaml_get_uint(ld, kf->key, v, kf->min, kf->max, &u))
			return false;
		snprintf(out, len, "%u", u);
		return true;
	}
}

/* Find a knob by name, with a suggestion when it is unknown. */
const struct ktstr_schema_field *ktstr_yaml_knob(struct yaml_loader *ld,
						 const struct ktstr_schema_map *m,
						 const yaml_node_t *k, unsigned *id)
{
	const char *names[24];
	char sugg[96], known[320];
	size_t nn = 0;

	for (size_t i = 0; i < m->n_fields && nn < 24; i++)
		names[nn++] = m->fields[i].key;
	if (is_scalar(k))
		for (size_t i = 0; i < m->n_fields; i++)
			if (!strcmp(m->fields[i].key, text(k))) {
				*id = (unsigned)i;
				return &m->fields[i];
			}
	list_keys(m, false, known, sizeof(known));
	ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(k), "unknown cgroup knob '%s'%s",
			is_scalar(k) ? text(k) : "?",
			ktstr_yaml_suggestion(is_scalar(k) ? text(k) : "", names, nn, "", sugg,
					      sizeof(sugg)));
	ktstr_diags_add(ld->d, KTSTR_DIAG_NOTE, loc_of(k), "supported knobs: %s", known);
	return NULL;
}

void ktstr_yaml_load_knobs(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			   const char *key, yaml_node_t *n, void *obj)
{
	struct ktstr_knob *knobs = (void *)((char *)obj + f->off);
	unsigned *count = (unsigned *)((char *)obj + f->count_off);

	if (n->type != YAML_MAPPING_NODE) {
		ktstr_yaml_err_type(ld, n, key, "a mapping");
		return;
	}
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = node_at(ld, pr->key), *v = node_at(ld, pr->value);
		const struct ktstr_schema_field *kf;
		struct ktstr_knob kn = { .loc = loc_of(k) };
		bool dup = false;

		kf = ktstr_yaml_knob(ld, f->sub, k, &kn.id);
		if (!kf || !ktstr_yaml_knob_value(ld, kf, v, kn.value, sizeof(kn.value)))
			continue;
		for (unsigned i = 0; i < *count; i++)
			dup |= knobs[i].id == kn.id;
		if (dup) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(k), "duplicate knob '%s'",
					kf->key);
			continue;
		}
		if (*count >= f->max) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(k),
					"'%s' may set at most %g knobs", key, f->max);
			return;
		}
		knobs[(*count)++] = kn;
	}
}

/* ---- pooled values: a step's cgroups, ops' work groups and schedulers ------- */

void ktstr_yaml_load_step_cgroups(struct yaml_loader *ld, const struct ktstr_schema_field *f,
				  const char *key, yaml_node_t *n, struct ktstr_step *st)
{
	struct ktstr_scenario *s = ld->s;
	int step = (int)(st - s->steps);
	char ekey[80];
	size_t i = 0;

	if (n->type != YAML_SEQUENCE_NODE) {
		ktstr_yaml_err_type(ld, n, key, "a sequence");
		return;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++) {
		yaml_node_t *item = node_at(ld, *it);
		struct ktstr_cgroup_def *cg;

		if (item->type != YAML_MAPPING_NODE) {
			snprintf(ekey, sizeof(ekey), "%s[%zu]", key, i);
			ktstr_yaml_err_type(ld, item, ekey, "a mapping");
			continue;
		}
		if (s->n_cgroups >= KTSTR_MAX_CGROUPS) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(item),
					"too many cgroups: the backdrop and all steps together may "
					"declare at most %d", KTSTR_MAX_CGROUPS);
			return;
		}
		cg = &s->cgroups[s->n_cgroups++];
		ktstr_yaml_init_elem(KTSTR_SEC_CGROUP, cg, sizeof(*cg));
		cg->step = step;
		st->n_cgroups++;
		if (ktstr_yaml_load_map(ld, f->sub, item, cg))
			return;
	}
}

void ktstr_yaml_load_op_group(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			      const char *key, yaml_node_t *n, int *index)
{
	struct ktstr_scenario *s = ld->s;
	struct ktstr_work_group *g;

	if (n->type != YAML_MAPPING_NODE) {
		ktstr_yaml_err_type(ld, n, key, "a mapping");
		return;
	}
	if (s->n_op_groups >= KTSTR_MAX_OP_GROUPS) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
				"too many spawn groups: all ops together may start at most %d",
				KTSTR_MAX_OP_GROUPS);
		return;
	}
	g = &s->op_groups[s->n_op_groups];
	ktstr_yaml_init_elem(KTSTR_SEC_GROUP, g, sizeof(*g));
	*index = (int)s->n_op_groups++;
	ktstr_yaml_load_map(ld, f->sub, n, g);
}

void ktstr_yaml_load_op_sched(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			      const char *key, yaml_node_t *n, int *index)
{
	struct ktstr_scenario *s = ld->s;
	struct ktstr_scheduler_spec *sc;
	size_t before = ld->d->n_errors;

	if (n->type != YAML_MAPPING_NODE) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_OP_SCHED));
		return;
	}
	if (s->n_op_scheds >= KTSTR_MAX_OP_SCHEDS) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
				"too many schedulers in ops: at most %d", KTSTR_MAX_OP_SCHEDS);
		return;
	}
	sc = &s->op_scheds[s->n_op_scheds];
	memset(sc, 0, sizeof(*sc));
	sc->loc = loc_of(n);
	sc->attach_timeout_ms = KTSTR_DEFAULT_ATTACH_TIMEOUT_MS;
	ktstr_checks_unset(&sc->checks);
	ktstr_yaml_load_map(ld, f->sub, n, sc);
	if (ld->d->n_errors == before)
		*index = (int)s->n_op_scheds++;
}
