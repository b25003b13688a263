// SPDX-License-Identifier: GPL-2.0-only
/*
 * YAML -> scenario model, validated against the schema tables (schema.c).
 *
 * libyaml's document API gives a node graph with anchors and aliases already
 * resolved; `<<` merge keys are expanded here.  The walk never stops at the
 * first problem: every error is recorded with the position of the node at
 * fault, and values that failed to parse are left at their defaults so they
 * cause no follow-on errors.  Fields are visited in schema order (topology
 * before cgroups before steps), so checks that span sections run as soon as
 * everything they need is loaded, whatever order the file uses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "ktstr/scenario_load.h"
#include "schema.h"
#include "value_text.h"
#include "yaml_diag.h"
#include "yaml_loader.h"

#define MERGE_DEPTH_MAX 8

/* ---- mappings: merge keys, duplicates, unknown keys ------------------------ */

static int pairs_push(struct pairs *p, yaml_node_t *key, yaml_node_t *val)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct pair *v = realloc(p->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = (struct pair){ key, val };
	return 0;
}


static bool is_merge_key(const yaml_node_t *k)
{
	return is_plain(k) && strcmp(text(k), "<<") == 0;
}

static int add_mapping(struct yaml_loader *ld, const yaml_node_t *m, struct pairs *p, bool merged,
		       int depth);

static int add_merge(struct yaml_loader *ld, const yaml_node_t *val, struct pairs *p, int depth)
{
	char got[80];
	int ret = 0;

	if (depth > MERGE_DEPTH_MAX) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(val),
				"merge key '<<' nests more than %d levels deep (a recursive alias?)",
				MERGE_DEPTH_MAX);
		return 0;
	}
	if (val->type == YAML_MAPPING_NODE)
		return add_mapping(ld, val, p, true, depth + 1);
	if (val->type == YAML_SEQUENCE_NODE) {
		/* earlier mappings of the list win: each only adds keys still missing */
		for (yaml_node_item_t *it = val->data.sequence.items.start;
		     it < val->data.sequence.items.top && !ret; it++) {
			yaml_node_t *item = node_at(ld, *it);

			if (item->type == YAML_MAPPING_NODE)
				ret = add_mapping(ld, item, p, true, depth + 1);
			else
				ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(item),
						"merge key '<<' needs mappings to merge, got %s",
						ktstr_yaml_describe(item, got, sizeof(got)));
		}
		return ret;
	}
	ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(val),
			"merge key '<<' needs mappings to merge, got %s",
			ktstr_yaml_describe(val, got, sizeof(got)));
	return 0;
}

/*
 * Append m's key/value pairs to p.  A mapping's own keys come first and win
 * over merged ones (YAML's merge rule); among merged keys the first seen wins.
 * Only a mapping's own keys can be duplicates.
 */
static int add_mapping(struct yaml_loader *ld, const yaml_node_t *m, struct pairs *p, bool merged,
		       int depth)
{
	yaml_node_pair_t *pr;
	char got[80];
	size_t own_start = p->n;
	int ret = 0;

	for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top && !ret; pr++) {
		yaml_node_t *k = node_at(ld, pr->key), *v = node_at(ld, pr->value);
		struct pair *prev;

		if (is_merge_key(k))
			continue;
		if (!is_scalar(k)) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(k),
					"mapping keys must be plain strings, got %s",
					ktstr_yaml_describe(k, got, sizeof(got)));
			continue;
		}
		prev = pairs_find(p, text(k));
		if (prev && !merged) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(k),
					"duplicate key '%s' (first at line %u)", text(k),
					loc_of(prev->key).line);
			continue;
		}
		/* a merged mapping's own duplicates are reported where it is declared */
		if (prev && merged && (size_t)(prev - p->v) >= own_start)
			continue;
		if (!prev)
			ret = pairs_push(p, k, v);
	}
	for (pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top && !ret; pr++)
		if (is_merge_key(node_at(ld, pr->key)))
			ret = add_merge(ld, node_at(ld, pr->value), p, depth);
	return ret;
}

#define load_map ktstr_yaml_load_map

/* ---- per-type field loading ------------------------------------------------ */

static void load_strlist(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			 const char *key,
			 yaml_node_t *n, void *obj)
{
	char (*dst)[KTSTR_STRLIST_ITEM] = (void *)((char *)obj + f->off);
	unsigned *count = (unsigned *)((char *)obj + f->count_off);
	struct ktstr_schema_field item = { .type = KTSTR_ST_STRING, .min = 0, .max = (double)f->size - 1 };
	size_t i = 0;
	char ekey[80];

	/* the cast above is only valid because every STRLIST entry has this size */
	_Static_assert(sizeof(((struct ktstr_scheduler_spec *)0)->args[0]) == KTSTR_STRLIST_ITEM,
		       "args element size");
	_Static_assert(sizeof(((struct ktstr_scenario *)0)->sysctls[0]) == KTSTR_STRLIST_ITEM,
		       "sysctls element size");
	_Static_assert(sizeof(((struct ktstr_scenario *)0)->kernel_args[0]) == KTSTR_STRLIST_ITEM,
		       "kernel_args element size");
	if (n->type != YAML_SEQUENCE_NODE) {
		ktstr_yaml_err_type(ld, n, key, "a sequence");
		return;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++) {
		if (i >= f->max) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
					"'%s' must have %g to %g entries, got %zu", key, f->min, f->max,
					(size_t)(n->data.sequence.items.top - n->data.sequence.items.start));
			return;
		}
		snprintf(ekey, sizeof(ekey), "%s[%zu]", key, i);
		if (ktstr_yaml_get_string(ld, ekey, node_at(ld, *it), &item, dst[*count]))
			(*count)++;
	}
}

void ktstr_yaml_init_elem(enum ktstr_schema_section id, void *elem, size_t size)
{
	memset(elem, 0, size);
	if (id == KTSTR_SEC_CGROUP) {
		struct ktstr_cgroup_def *cg = elem;

		ktstr_work_group_defaults(&cg->groups[0]);
		cg->n_groups = 1;
		cg->cpuset.kind = KTSTR_CPUSET_NONE;
		cg->step = KTSTR_CGROUP_BACKDROP;
	} else if (id == KTSTR_SEC_GROUP) {
		ktstr_work_group_defaults(elem);
	} else if (id == KTSTR_SEC_OP) {
		struct ktstr_op *op = elem;

		/* "no valid op yet": keeps a misspelt op from tripping op-kind checks */
		op->kind = KTSTR_OP__COUNT;
		op->group = -1;
		op->sched = -1;
	}
}
#define init_elem ktstr_yaml_init_elem

static int load_list(struct yaml_loader *ld, const struct ktstr_schema_field *f, const char *key,
		     yaml_node_t *n, void *obj)
{
	unsigned *count = (unsigned *)((char *)obj + f->count_off);
	size_t total, i = 0;
	char ekey[80];
	int ret = 0;

	if (n->type != YAML_SEQUENCE_NODE) {
		ktstr_yaml_err_type(ld, n, key, "a sequence");
		return 0;
	}
	ld->seq_loc[f->sub->id] = loc_of(n);
	total = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (total < f->min || total > f->max)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
				"'%s' must have %g to %g entries, got %zu", key, f->min, f->max, total);
	*count = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top && i < f->max && !ret; it++, i++) {
		yaml_node_t *item = node_at(ld, *it);
		void *elem = (char *)obj + f->off + (size_t)*count * f->size;

		if (item->type != YAML_MAPPING_NODE) {
			snprintf(ekey, sizeof(ekey), "%s[%zu]", key, i);
			ktstr_yaml_err_type(ld, item, ekey, "a mapping");
			continue;
		}
		init_elem(f->sub->id, elem, f->size);
		(*count)++;
		ret = load_map(ld, f->sub, item, elem);
	}
	return ret;
}

/* A work type name; on failure *w is left alone. */
static void load_work_name(struct yaml_loader *ld, const char *key, yaml_node_t *n,
			   enum ktstr_work_type *w)
{
	const char *canon[KTSTR_WORK__COUNT];
	char known[512], sugg[544];
	size_t off = (size_t)snprintf(known, sizeof(known), "; known work types:");

	if (!is_scalar(n) || is_null(n)) {
		ktstr_yaml_err_type(ld, n, key, "a string");
		return;
	}
	if (ktstr_work_type_lookup(text(n), w))
		return;
	for (int i = 0; i < KTSTR_WORK__COUNT; i++) {
		canon[i] = ktstr_work_type_name((enum ktstr_work_type)i);
		if (off < sizeof(known))
			off += (size_t)snprintf(known + off, sizeof(known) - off, "%s %s",
						i ? "," : "", canon[i]);
	}
	ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n), "unknown work type '%s'%s", text(n),
			ktstr_yaml_suggestion(text(n), canon, KTSTR_WORK__COUNT, known, sugg,
					      sizeof(sugg)));
}

/*
 * `work: Name` or `work: {type: Name, param: value...}`.  The mapping's
 * fields live in the work group itself (schema offsets are group offsets).
 * While it loads, `work` holds KTSTR_WORK__COUNT so the per-type parameter
 * check (finish_work) stays quiet when the type itself was bad.
 */
static int load_work(struct yaml_loader *ld, const struct ktstr_schema_field *f, const char *key,
		     yaml_node_t *n, struct ktstr_work_group *cg)
{
	int ret;

	cg->work_loc = loc_of(n);
	if (n->type != YAML_MAPPING_NODE || !f->sub) {
		if (n->type == YAML_MAPPING_NODE || n->type == YAML_SEQUENCE_NODE)
			ktstr_yaml_err_type(ld, n, key, f->sub ? "a string or a mapping" : "a string");
		else
			load_work_name(ld, key, n, &cg->work);
		if (ktstr_work_takes_phases(cg->work))
			ktstr_yaml_need_phases(ld, cg->work, loc_of(n));
		return 0;
	}
	cg->work = KTSTR_WORK__COUNT;
	ret = load_map(ld, f->sub, n, cg);
	if (cg->work == KTSTR_WORK__COUNT)
		cg->work = KTSTR_WORK_SPIN;
	return ret;
}

/*
 * One phase of a Sequence: a mapping with exactly one key, the phase kind,
 * whose value is a duration.  False when it is not usable.
 */
static bool load_phase(struct yaml_loader *ld, const char *key, yaml_node_t *n,
		       struct ktstr_work_phase *ph)
{
	static const struct ktstr_schema_field dur = {
		.type = KTSTR_ST_DURATION, .min = 1, .max = 60000,
	};
	const char *kinds[KTSTR_PHASE__COUNT];
	struct pairs p = { 0 };
	char sugg[96], dkey[96];
	bool ok = false;

	if (n->type != YAML_MAPPING_NODE) {
		ktstr_yaml_err_type(ld, n, key, "a mapping such as {spin: 5ms}");
		return false;
	}
	if (add_mapping(ld, n, &p, false, 0) || p.n != 1) {
		if (p.n > 1)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(p.v[1].key),
					"'%s' has both '%s' and '%s'; a phase is exactly one of spin, "
					"sleep, yield, io with a duration, e.g. {spin: 5ms}",
					key, text(p.v[0].key), text(p.v[1].key));
		else if (!p.n)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
					"'%s' is empty; a phase is exactly one of spin, sleep, yield, "
					"io with a duration, e.g. {spin: 5ms}", key);
		free(p.v);
		return false;
	}
	for (int i = 0; i < KTSTR_PHASE__COUNT; i++)
		kinds[i] = ktstr_phase_kind_name((enum ktstr_phase_kind)i);
	ph->loc = loc_of(n);
	if (!ktstr_phase_kind_lookup(text(p.v[0].key), &ph->kind)) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(p.v[0].key),
				"unknown phase kind '%s' in '%s'%s", text(p.v[0].key), key,
				ktstr_yaml_suggestion(text(p.v[0].key), kinds, KTSTR_PHASE__COUNT,
						      "; known phase kinds: spin, sleep, yield, io",
						      sugg, sizeof(sugg)));
	} else {
		snprintf(dkey, sizeof(dkey), "%s.%s", key, kinds[ph->kind]);
		ok = ktstr_yaml_get_duration(ld, dkey, p.v[0].val, &dur, &ph->duration_ms);
	}
	free(p.v);
	return ok;
}

/* `phases: [{spin: 5ms}, {sleep: 2ms}, ...]` (Sequence): 1 to KTSTR_MAX_PHASES entries. */
static void load_phases(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			const char *key, yaml_node_t *n, void *obj)
{
	struct ktstr_work_phase *dst = (void *)((char *)obj + f->off);
	unsigned *count = (unsigned *)((char *)obj + f->count_off);
	size_t total, i = 0;
	char ekey[80];

	*count = 0;
	if (n->type != YAML_SEQUENCE_NODE) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_PHASES));
		return;
	}
	total = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (total < f->min || total > f->max)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
				"'%s' must have %g to %g entries, got %zu", key, f->min, f->max, total);
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top && i < f->max; it++, i++) {
		snprintf(ekey, sizeof(ekey), "%s[%zu]", key, i);
		if (load_phase(ld, ekey, node_at(ld, *it), &dst[*count]))
			(*count)++;
	}
}

static void load_opkind(struct yaml_loader *ld, const char *key, yaml_node_t *n,
			enum ktstr_op_kind *k)
{
	const char *names[KTSTR_OP__COUNT];
	char sugg[512], known[400];
	size_t off = (size_t)snprintf(known, sizeof(known), "; known ops:");

	if (!is_scalar(n) || is_null(n)) {
		ktstr_yaml_err_type(ld, n, key, "a string");
		return;
	}
	for (int i = 0; i < KTSTR_OP__COUNT; i++) {
		names[i] = ktstr_op_kind_name((enum ktstr_op_kind)i);
		if (strcmp(text(n), names[i]) == 0) {
			*k = (enum ktstr_op_kind)i;
			return;
		}
		if (off < sizeof(known))
			off += (size_t)snprintf(known + off, sizeof(known) - off, "%s %s",
						i ? "," : "", names[i]);
	}
	ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n), "unknown op '%s'%s", text(n),
			ktstr_yaml_suggestion(text(n), names, KTSTR_OP__COUNT, known, sugg,
					      sizeof(sugg)));
}

static void load_hold(struct yaml_loader *ld, const struct ktstr_schema_field *f, const char *key,
		      yaml_node_t *n, struct ktstr_step *st)
{
	uint64_t ms;
	double v;

	if (is_plain(n) && ktstr_text_number(text(n), &v)) {
		if (!(v > 0.0 && v <= 1.0)) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
					"step hold fraction must be in (0, 1], got %s; "
					"for a fixed time write a duration such as 2s", text(n));
			return;
		}
		st->hold_frac = v;
		st->hold_ms = 0;
		return;
	}
	if (is_scalar(n) && !is_null(n) && ktstr_text_duration(text(n), &ms) == 0) {
		ktstr_yaml_get_duration(ld, key, n, f, &st->hold_ms);
		return;
	}
	if (n->type == YAML_MAPPING_NODE && f->sub) {
		load_map(ld, f->sub, n, st);
		return;
	}
	ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_HOLD));
}

static void load_frac_pair(struct yaml_loader *ld, const char *key, yaml_node_t *n,
			   struct ktstr_cpuset_spec *c)
{
	yaml_node_item_t *it;
	char got[80], ekey[64];
	size_t count;

	if (n->type != YAML_SEQUENCE_NODE) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_FRAC_PAIR));
		return;
	}
	it = n->data.sequence.items.start;
	count = (size_t)(n->data.sequence.items.top - it);
	if (count != 2) {
		snprintf(got, sizeof(got), "%zu", count);
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
				"cpuset range needs exactly 2 numbers [start_frac, end_frac], got %s",
				got);
		return;
	}
	snprintf(ekey, sizeof(ekey), "%s[0]", key);
	if (!ktstr_yaml_get_number(ld, ekey, node_at(ld, it[0]), &c->start_frac))
		return;
	snprintf(ekey, sizeof(ekey), "%s[1]", key);
	ktstr_yaml_get_number(ld, ekey, node_at(ld, it[1]), &c->end_frac);
}

static void load_cpuset(struct yaml_loader *ld, const struct ktstr_schema_field *f, const char *key,
			yaml_node_t *n, struct ktstr_cpuset_spec *c)
{
	size_t before = ld->d->n_errors;

	memset(c, 0, sizeof(*c));
	c->loc = loc_of(n);
	if (is_scalar(n) && !is_null(n)) {
		if (ktstr_yaml_get_string(ld, key, n, ktstr_schema_field(f->sub, "exact"), c->exact))
			c->kind = KTSTR_CPUSET_EXACT;
		return;
	}
	if (n->type != YAML_MAPPING_NODE) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_CPUSET));
		return;
	}
	load_map(ld, f->sub, n, c);
	/* a half-parsed spec would only produce confusing resolution errors */
	if (ld->d->n_errors != before)
		c->kind = KTSTR_CPUSET_NONE;
}

static void load_scheduler(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			   const char *key,
			   yaml_node_t *n, struct ktstr_scheduler_spec *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->loc = loc_of(n);
	sc->attach_timeout_ms = KTSTR_DEFAULT_ATTACH_TIMEOUT_MS;
	sc->checks = ld->unset_checks;
	if (is_scalar(n) && !is_null(n)) {
		if (strcasecmp(text(n), "eevdf") != 0)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
					"unknown scheduler '%s'; the built-in one is 'eevdf' "
					"(a sched_ext scheduler is a mapping: {name: ...} or {path: ...})",
					text(n));
		sc->kind = KTSTR_SCHED_EEVDF;
		return;
	}
	if (n->type != YAML_MAPPING_NODE) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_SCHEDULER));
		return;
	}
	load_map(ld, f->sub, n, sc);
}

/* The entries of a matrix list: a sequence of 1..f->max values. */
static bool matrix_list(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			const char *key, yaml_node_t *n, size_t *total)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(f->type));
		return false;
	}
	*total = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (*total < f->min || *total > f->max)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
				"'%s' must have %g to %g entries, got %zu", key, f->min, f->max, *total);
	return true;
}

/* matrix.topology: each entry starts from the scenario's own topology. */
static int load_topology_list(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			      const char *key, yaml_node_t *n, struct ktstr_matrix *m)
{
	bool topo_bad = ld->topo_bad;
	size_t total, i = 0;
	char ekey[80];
	int ret = 0;

	m->n_topos = 0;
	if (!matrix_list(ld, f, key, n, &total))
		return 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top && i < f->max && !ret; it++, i++) {
		yaml_node_t *item = node_at(ld, *it);
		size_t before = ld->d->n_errors;

		m->topos[i] = ld->s->topo;
		m->topo_locs[i] = loc_of(item);
		m->n_topos = (unsigned)i + 1;
		if (item->type != YAML_MAPPING_NODE) {
			snprintf(ekey, sizeof(ekey), "%s[%zu]", key, i);
			ktstr_yaml_err_type(ld, item, ekey, "a topology mapping");
			ld->matrix_topo_bad |= 1u << i;
			continue;
		}
		ret = load_map(ld, f->sub, item, &m->topos[i]);
		if (ld->d->n_errors != before)
			ld->matrix_topo_bad |= 1u << i;
	}
	/* finish_topology marks the scenario's topology bad; these are separate */
	ld->topo_bad = topo_bad;
	return ret;
}

/* matrix.scheduler: each entry is a whole `scheduler` value. */
static void load_scheduler_list(struct yaml_loader *ld, const struct ktstr_schema_field *f,
				const char *key, yaml_node_t *n, struct ktstr_matrix *m)
{
	size_t total, i = 0;
	char ekey[80];

	m->n_scheds = 0;
	if (!matrix_list(ld, f, key, n, &total))
		return;
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top && i < f->max; it++, i++) {
		size_t before = ld->d->n_errors;

		snprintf(ekey, sizeof(ekey), "%s[%zu]", key, i);
		load_scheduler(ld, f, ekey, node_at(ld, *it), &m->scheds[i]);
		m->n_scheds = (unsigned)i + 1;
		if (ld->d->n_errors != before)
			ld->matrix_sched_bad |= 1u << i;
	}
}

/* expect_err: true / false, or the text the scheduler's failure must contain. */
static void load_expect_err(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			    const char *key, yaml_node_t *n, struct ktstr_scenario *s)
{
	int bv;

	s->expect_err_loc = loc_of(n);
	s->expect_err_text[0] = '\0';
	if (is_plain(n) && ktstr_yaml_is_bool(text(n), &bv)) {
		s->expect_err = bv;
		return;
	}
	if (!is_scalar(n) || is_null(n)) {
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_EXPECT_ERR));
		return;
	}
	if (ktstr_yaml_get_string(ld, key, n, f, s->expect_err_text))
		s->expect_err = true;
}

static void load_version(struct yaml_loader *ld, const char *key, yaml_node_t *n, unsigned *version)
{
	unsigned v;

	if (!ktstr_yaml_get_uint(ld, key, n, 1, 1e9, &v))
		return;
	if (v > KTSTR_SCENARIO_VERSION) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(n),
				"scenario version %u is newer than this ktstr understands (highest: %d); "
				"upgrade ktstr", v, KTSTR_SCENARIO_VERSION);
		return;
	}
	*version = v;
}

int ktstr_yaml_load_field(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			  yaml_node_t *n, void *obj)
{
	void *dst = (char *)obj + f->off;
	const char *key = f->key;
	unsigned u;
	uint64_t u64;
	double dv;
	int bv;
	size_t before;

	switch (f->type) {
	case KTSTR_ST_UINT:
		if (ktstr_yaml_get_uint(ld, key, n, f->min, f->max, &u))
			*(unsigned *)dst = u;
		break;
	case KTSTR_ST_STRING:
		ktstr_yaml_get_string(ld, key, n, f, dst);
		break;
	case KTSTR_ST_DURATION:
		/* int64_t (checks) and uint64_t (duration) may alias each other */
		if (ktstr_yaml_get_duration(ld, key, n, f, &u64))
			*(uint64_t *)dst = u64;
		break;
	case KTSTR_ST_SIZE:
		if (ktstr_yaml_get_size(ld, key, n, f, &u64))
			*(uint64_t *)dst = u64;
		break;
	case KTSTR_ST_PERCENT:
		if (ktstr_yaml_get_percent(ld, key, n, f, &dv))
			*(double *)dst = dv;
		break;
	case KTSTR_ST_BOOL:
		if (is_plain(n) && ktstr_yaml_is_bool(text(n), &bv))
			*(int *)dst = bv;
		else
			ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(KTSTR_ST_BOOL));
		break;
	case KTSTR_ST_NUMBER:
		if (ktstr_yaml_get_number_in(ld, key, n, f, &dv))
			*(double *)dst = dv;
		break;
	case KTSTR_ST_DURATION_US:
		if (ktstr_yaml_get_duration_us(ld, key, n, f, &u64))
			*(int64_t *)dst = (int64_t)u64;
		break;
	case KTSTR_ST_RATIO:
		if (ktstr_yaml_get_ratio(ld, key, n, f, &dv))
			*(double *)dst = dv;
		break;
	case KTSTR_ST_MAP:
		if (n->type != YAML_MAPPING_NODE) {
			ktstr_yaml_err_type(ld, n, key, "a mapping");
			if (f->sub->id == KTSTR_SEC_TOPOLOGY)
				ld->topo_bad = true;
			break;
		}
		before = ld->d->n_errors;
		if (load_map(ld, f->sub, n, dst))
			return -ENOMEM;
		if (f->sub->id == KTSTR_SEC_TOPOLOGY && ld->d->n_errors != before)
			ld->topo_bad = true;
		break;
	case KTSTR_ST_LIST:
		return load_list(ld, f, key, n, obj);
	case KTSTR_ST_STRLIST:
		load_strlist(ld, f, key, n, obj);
		break;
	case KTSTR_ST_VERSION:
		load_version(ld, key, n, dst);
		break;
	case KTSTR_ST_SCHEDULER:
		load_scheduler(ld, f, key, n, dst);
		break;
	case KTSTR_ST_CPUSET:
		load_cpuset(ld, f, key, n, dst);
		break;
	case KTSTR_ST_WORK:
		/* `work` in a cgroup (the mapping form fills the cgroup); `type` inside it */
		if (f->sub)
			return load_work(ld, f, key, n,
					 (void *)((char *)dst - offsetof(struct ktstr_work_group, work)));
		load_work_name(ld, key, n, dst);
		break;
	case KTSTR_ST_OPKIND:
		load_opkind(ld, key, n, dst);
		break;
	case KTSTR_ST_HOLD:
		load_hold(ld, f, key, n, obj);
		break;
	case KTSTR_ST_FRAC_PAIR:
		load_frac_pair(ld, key, n, obj);
		break;
	case KTSTR_ST_EXPECT_ERR:
		load_expect_err(ld, f, key, n, obj);
		break;
	case KTSTR_ST_INT:
		if (ktstr_yaml_get_int(ld, key, n, f->min, f->max, &bv))
			*(int *)dst = bv;
		break;
	case KTSTR_ST_CHOICE:
		ktstr_yaml_load_choice(ld, f, key, n, dst);
		break;
	case KTSTR_ST_FLAG:
	case KTSTR_ST_NODELIST:
		/* only ever inside a choice, which reads them itself */
		ktstr_yaml_err_type(ld, n, key, ktstr_schema_type_expect(f->type));
		break;
	case KTSTR_ST_KNOBS:
		ktstr_yaml_load_knobs(ld, f, key, n, obj);
		break;
	case KTSTR_ST_KNOB_NAME: {
		struct ktstr_knob *kn = dst;

		kn->loc = loc_of(n);
		if (!ktstr_yaml_knob(ld, f->sub, n, &kn->id))
			kn->id = ~0u;
		break;
	}
	case KTSTR_ST_STEP_CGROUPS:
		ktstr_yaml_load_step_cgroups(ld, f, key, n, obj);
		break;
	case KTSTR_ST_OP_GROUP:
		ktstr_yaml_load_op_group(ld, f, key, n, dst);
		break;
	case KTSTR_ST_OP_SCHED:
		ktstr_yaml_load_op_sched(ld, f, key, n, dst);
		break;
	case KTSTR_ST_PHASES:
		load_phases(ld, f, key, n, obj);
		break;
	case KTSTR_ST_TOPOLOGY_LIST:
		return load_topology_list(ld, f, key, n, obj);
	case KTSTR_ST_SCHEDULER_LIST:
		load_scheduler_list(ld, f, key, n, obj);
		break;
	}
	return 0;
}
#define load_field ktstr_yaml_load_field

/* ---- the mapping walk ------------------------------------------------------ */

static void report_unknown(struct yaml_loader *ld, const struct ktstr_schema_map *map,
			   const yaml_node_t *k)
{
	const char *keys[32];
	char sugg[96];
	size_t n = 0;

	/* top-level "x-..." keys are free for anchors to live in (templates) */
	if (map->id == KTSTR_SEC_TOP && strncmp(text(k), "x-", 2) == 0)
		return;
	for (size_t i = 0; i < map->n_fields && n < 32; i++)
		keys[n++] = map->fields[i].key;
	ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(k), "unknown key '%s' in %s%s", text(k),
			map->name, ktstr_yaml_suggestion(text(k), keys, n, "", sugg, sizeof(sugg)));
}

int ktstr_yaml_load_map(struct yaml_loader *ld, const struct ktstr_schema_map *map,
			yaml_node_t *node, void *obj)
{
	struct pairs p = { 0 };
	int ret;

	if (map->has_loc)
		*(struct ktstr_src_loc *)((char *)obj + map->loc_off) = loc_of(node);
	ret = add_mapping(ld, node, &p, false, 0);
	for (size_t i = 0; i < p.n && !ret; i++)
		if (!ktstr_schema_field(map, text(p.v[i].key)))
			report_unknown(ld, map, p.v[i].key);
	/* schema order, so e.g. cgroups exist before steps refer to them */
	for (size_t i = 0; i < map->n_fields && !ret; i++) {
		const struct ktstr_schema_field *f = &map->fields[i];
		struct pair *pr = pairs_find(&p, f->key);

		if (pr)
			ret = load_field(ld, f, pr->val, obj);
		else if (f->required)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(node), "%s needs a '%s'",
					map->noun, f->key);
	}
	if (!ret)
		ktstr_yaml_finish_section(ld, map, node, obj, &p);
	free(p.v);
	return ret;
}

/* ---- entry points ---------------------------------------------------------- */

void ktstr_scenario_defaults(struct ktstr_scenario *s)
{
	memset(s, 0, sizeof(*s));
	s->version = KTSTR_SCENARIO_VERSION;
	s->duration_ms = KTSTR_DEFAULT_DURATION_MS;
	s->topo = (struct ktstr_topology){ .numa_nodes = 1, .llcs = 1, .cores_per_llc = 2,
					   .threads_per_core = 1,
					   .memory_mb = KTSTR_DEFAULT_MEMORY_MB };
	s->sched.kind = KTSTR_SCHED_EEVDF;
	s->sched.attach_timeout_ms = KTSTR_DEFAULT_ATTACH_TIMEOUT_MS;
	ktstr_checks_unset(&s->checks);
	/* The scheduler's layer starts as empty as the scenario's. */
	s->sched.checks = s->checks;
}

/* The scenario name a file gets without `name:`: its basename minus .yaml/.yml. */
static bool too_new(struct yaml_loader *ld, yaml_node_t *root)
{
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = node_at(ld, pr->key), *v = node_at(ld, pr->value);
		long long n;
		bool overflow;

		if (is_scalar(k) && strcmp(text(k), "version") == 0 && is_plain(v) &&
		    ktstr_text_int(text(v), &n, &overflow) && n > KTSTR_SCENARIO_VERSION) {
			load_version(ld, "version", v, &ld->s->version);
			return true;
		}
	}
	return false;
}

void ktstr_yaml_syntax_error(struct ktstr_diags *d, const yaml_parser_t *parser,
			     const char *what)
{
	struct ktstr_src_loc at = { (unsigned)parser->problem_mark.line + 1,
				    (unsigned)parser->problem_mark.column + 1 };

	/* "YAML syntax error: ..." or "timeout profile: YAML syntax error: ..." */
	ktstr_diags_add(d, KTSTR_DIAG_ERROR, at, "%s%sYAML syntax error: %s%s%s",
			what ? what : "", what ? ": " : "",
			parser->problem ? parser->problem : "malformed input",
			parser->context ? " " : "", parser->context ? parser->context : "");
}

static int load_document(struct yaml_loader *ld, yaml_parser_t *parser)
{
	yaml_document_t extra;
	yaml_node_t *root = yaml_document_get_root_node(ld->doc);
	char got[80];

	if (!root) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, (struct ktstr_src_loc){ 0, 0 },
				"scenario file is empty; it needs at least a 'cgroups' list");
		return 0;
	}
	if (yaml_parser_load(parser, &extra)) {
		yaml_node_t *second = yaml_document_get_root_node(&extra);

		if (second)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(second),
					"a scenario file holds one YAML document; a second one starts here");
		yaml_document_delete(&extra);
	} else if (parser->error == YAML_MEMORY_ERROR) {
		return -ENOMEM;
	} else {
		ktstr_yaml_syntax_error(ld->d, parser, NULL);
	}
	if (root->type != YAML_MAPPING_NODE) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(root),
				"a scenario must be a mapping of keys such as 'cgroups', got %s",
				ktstr_yaml_describe(root, got, sizeof(got)));
		return 0;
	}
	if (too_new(ld, root))
		return 0;
	/*
	 * With matrix.topology the scenario's own topology is only the base the
	 * entries start from: cpusets are resolved against each entry instead
	 * (scenario_matrix.c), not against a topology that never runs.
	 */
	if (ktstr_yaml_has_matrix_topology(ld, root))
		ld->topo_bad = true;
	return load_map(ld, &ktstr_schema_top, root, ld->s);
}

/* Report in file order, however the walk visited the keys; stable. */
static void sort_diags(struct ktstr_diags *d, size_t from)
{
	for (size_t i = from + 1; i < d->n; i++) {
		struct ktstr_diag e = d->v[i];
		size_t j = i;

		while (j > from && (d->v[j - 1].line > e.line ||
				    (d->v[j - 1].line == e.line && d->v[j - 1].col > e.col))) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = e;
	}
}

int ktstr_scenario_load_buf(const char *buf, size_t len, const char *display_name,
			    struct ktstr_scenario *out, struct ktstr_diags *d)
{
	const char *display = display_name ? display_name : "<string>";
	struct yaml_loader ld = { .d = d, .s = out, .display = display };
	size_t first_diag = d->n;
	yaml_parser_t parser;
	yaml_document_t doc;
	int ret = 0;

	ktstr_scenario_defaults(out);
	ld.unset_checks = out->checks;
	snprintf(out->source_path, sizeof(out->source_path), "%s", display);
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		if (parser.error == YAML_MEMORY_ERROR)
			ret = -ENOMEM;
		else
			ktstr_yaml_syntax_error(d, &parser, NULL);
	} else {
		ld.doc = &doc;
		ret = load_document(&ld, &parser);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	sort_diags(d, first_diag);
	if (ret)
		return ret;
	return d->n_errors > 0 ? -EINVAL : 0;
}

int ktstr_scenario_load_file(const char *path, struct ktstr_scenario *out, struct ktstr_diags *d)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int ret;

	ktstr_scenario_defaults(out);
	if (!d->file[0])
		snprintf(d->file, sizeof(d->file), "%s", path);
	while (f) {
		if (len == cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		len += fread(buf + len, 1, cap - len, f);
		if (len < cap)
			break;
	}
	if (!f || ferror(f)) {
		ktstr_diags_add(d, KTSTR_DIAG_ERROR, (struct ktstr_src_loc){ 0, 0 },
				"cannot read scenario file: %s", strerror(f ? EIO : errno));
		if (f)
			fclose(f);
		free(buf);
		return -EINVAL;
	}
	fclose(f);
	ret = ktstr_scenario_load_buf(buf ? buf : "", len, path, out, d);
	free(buf);
	return ret;
}
