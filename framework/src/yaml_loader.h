/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the scenario YAML loader, shared by its three files:
 *   scenario_yaml.c    the walk: merge keys, duplicates, unknown keys, types
 *   yaml_values.c      reading one scalar value, with its error messages
 *   scenario_checks.c  checks that span keys (topology, cpusets, holds, ...)
 * Not installed; not for use outside the loader.
 */
#ifndef KTSTR_YAML_LOADER_H
#define KTSTR_YAML_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <yaml.h>

#include "ktstr/diag.h"
#include "ktstr/scenario.h"
#include "schema.h"

struct yaml_loader {
	struct ktstr_diags *d;
	yaml_document_t *doc;
	struct ktstr_scenario *s;
	const char *display;                 /* file name for the default name */
	bool topo_bad;                       /* skip cpuset resolution */
	struct ktstr_src_loc seq_loc[KTSTR_SEC__COUNT]; /* where each list starts */
	struct ktstr_checks unset_checks;    /* "nothing set": a scheduler's layer starts here */
	uint32_t matrix_topo_bad;            /* bit i: matrix.topology[i] had errors */
	uint32_t matrix_sched_bad;           /* bit i: matrix.scheduler[i] had errors */
};

/* A mapping's key/value pairs after `<<` merges are expanded. */
struct pair {
	yaml_node_t *key, *val;
};

struct pairs {
	struct pair *v;
	size_t n, cap;
};

static inline struct ktstr_src_loc loc_of(const yaml_node_t *n)
{
	return (struct ktstr_src_loc){ .line = (unsigned)n->start_mark.line + 1,
				       .col = (unsigned)n->start_mark.column + 1 };
}

static inline const char *text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static inline bool is_scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE;
}

static inline bool is_plain(const yaml_node_t *n)
{
	return is_scalar(n) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static inline bool is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

	if (!is_plain(n))
		return false;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(text(n), nulls[i]) == 0)
			return true;
	return false;
}


static inline yaml_node_t *node_at(const struct yaml_loader *ld, int index)
{
	return yaml_document_get_node(ld->doc, index);
}


static inline struct pair *pairs_find(const struct pairs *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(text(p->v[i].key), key) == 0)
			return &p->v[i];
	return NULL;
}

/* yaml_values.c: each reports its own error and returns false on failure */
bool ktstr_yaml_is_bool(const char *t, int *v);
/* What a node is, for "got ...": "a mapping", "null", "string 'two'". */
const char *ktstr_yaml_describe(const yaml_node_t *n, char *buf, size_t len);
void ktstr_yaml_err_type(struct yaml_loader *ld, const yaml_node_t *n, const char *key,
			 const char *expect);
/* "; did you mean 'x'?" or `otherwise` (may be "") into buf. */
const char *ktstr_yaml_suggestion(const char *word, const char *const *cands, size_t n,
				  const char *otherwise, char *buf, size_t len);
bool ktstr_yaml_get_uint(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			 double min, double max, unsigned *out);
bool ktstr_yaml_get_number(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			   double *out);
bool ktstr_yaml_get_duration(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			     const struct ktstr_schema_field *f, uint64_t *ms);
bool ktstr_yaml_get_size(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			 const struct ktstr_schema_field *f, uint64_t *mb);
bool ktstr_yaml_get_percent(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			    const struct ktstr_schema_field *f, double *pct);
/* A number within f's range (when it has one). */
bool ktstr_yaml_get_number_in(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			      const struct ktstr_schema_field *f, double *out);
bool ktstr_yaml_get_duration_us(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
				const struct ktstr_schema_field *f, uint64_t *us);
bool ktstr_yaml_get_ratio(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			  const struct ktstr_schema_field *f, double *frac);
bool ktstr_yaml_string_ok(const char *s, const struct ktstr_schema_field *f);
/* A scalar's text into dst[f->size]; names must match their class. */
bool ktstr_yaml_get_string(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			   const struct ktstr_schema_field *f, char *dst);

/* scenario_yaml.c: the walk, for the compound loaders */
int ktstr_yaml_load_map(struct yaml_loader *ld, const struct ktstr_schema_map *map,
			yaml_node_t *node, void *obj);
int ktstr_yaml_load_field(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			  yaml_node_t *n, void *obj);
/* Defaults of a list element (cgroup, work group, op) before its keys load. */
void ktstr_yaml_init_elem(enum ktstr_schema_section id, void *elem, size_t size);

/* yaml_compound.c: values with a shape of their own */
bool ktstr_yaml_get_int(struct yaml_loader *ld, const char *key, const yaml_node_t *n,
			double min, double max, int *out);
void ktstr_yaml_load_choice(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			    const char *key, yaml_node_t *n, void *dst);
const struct ktstr_schema_field *ktstr_yaml_knob(struct yaml_loader *ld,
						 const struct ktstr_schema_map *m,
						 const yaml_node_t *k, unsigned *id);
bool ktstr_yaml_knob_value(struct yaml_loader *ld, const struct ktstr_schema_field *kf,
			   const yaml_node_t *v, char *out, size_t len);
void ktstr_yaml_load_knobs(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			   const char *key, yaml_node_t *n, void *obj);
void ktstr_yaml_load_step_cgroups(struct yaml_loader *ld, const struct ktstr_schema_field *f,
				  const char *key, yaml_node_t *n, struct ktstr_step *st);
void ktstr_yaml_load_op_group(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			      const char *key, yaml_node_t *n, int *index);
void ktstr_yaml_load_op_sched(struct yaml_loader *ld, const struct ktstr_schema_field *f,
			      const char *key, yaml_node_t *n, int *index);

/* scenario_checks.c: run once a section's keys are all loaded */
void ktstr_yaml_finish_section(struct yaml_loader *ld, const struct ktstr_schema_map *map,
			       yaml_node_t *node, void *obj, const struct pairs *p);
/* "work type Sequence needs 'phases'" at `at`, for a type that needs them. */
void ktstr_yaml_need_phases(struct yaml_loader *ld, enum ktstr_work_type w,
			    struct ktstr_src_loc at);
/* The scenario name a file gets without `name:`. */
void ktstr_yaml_default_name(struct yaml_loader *ld);

/* scenario_matrix.c: scheduler flags and the matrix, checked once loaded */
void ktstr_yaml_finish_flags(struct yaml_loader *ld, struct ktstr_scheduler_spec *sc,
			     const struct pairs *p);
void ktstr_yaml_finish_matrix(struct yaml_loader *ld, const struct pairs *top);
/* Whether the document's root mapping declares matrix.topology (decided before the walk). */
bool ktstr_yaml_has_matrix_topology(struct yaml_loader *ld, yaml_node_t *root);

#endif /* KTSTR_YAML_LOADER_H */
