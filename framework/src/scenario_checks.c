// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks that span keys: topology consistency, cpusets resolved against the
 * declared topology, unique cgroup names, ops naming declared cgroups, step
 * holds fitting the duration.  The walk visits sections in schema order
 * (topology, cgroups, steps), so each check runs when a section is complete
 * and everything it depends on is already loaded.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ktstr/scenario_load.h"
#include "ktstr/topo.h"
#include "suggest.h"
#include "yaml_loader.h"

static void resolve_cpuset(struct yaml_loader *ld, const char *cgroup,
			   const struct ktstr_cpuset_spec *c)
{
	struct ktstr_topo_map map;
	struct ktstr_cpuset cpus;
	char why[256];

	if (ld->topo_bad || c->kind == KTSTR_CPUSET_NONE)
		return;
	ktstr_topo_map_from_spec(&ld->s->topo, &map);
	if (ktstr_cpuset_resolve(c, &map, &cpus, why, sizeof(why)))
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, c->loc,
				"cgroup '%s': CpusetSpec validation failed: %s", cgroup, why);
}

static void finish_topology(struct yaml_loader *ld, yaml_node_t *node, struct ktstr_topology *t)
{
	char label[64];

	if (t->llcs % t->numa_nodes) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(node),
				"topology: llcs (%u) must be a multiple of numa_nodes (%u)", t->llcs,
				t->numa_nodes);
		ld->topo_bad = true;
	}
	if (ktstr_topology_cpus(t) > KTSTR_MAX_CPUS) {
		ktstr_topology_label(t, label, sizeof(label));
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(node),
				"topology %s has %u CPUs; at most %d are supported", label,
				ktstr_topology_cpus(t), KTSTR_MAX_CPUS);
		ld->topo_bad = true;
	}
}

static void finish_cpuset(struct yaml_loader *ld, yaml_node_t *node,
			  const struct ktstr_schema_map *map,
			  struct ktstr_cpuset_spec *c, const struct pairs *p)
{
	const char *first = NULL;

	for (size_t i = 0; i < map->n_fields; i++) {
		const struct ktstr_schema_field *f = &map->fields[i];

		if (!pairs_find(p, f->key))
			continue;
		if (first) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(node),
					"cpuset mapping has both '%s' and '%s'; use exactly one", first,
					f->key);
			return;
		}
		first = f->key;
		c->kind = (enum ktstr_cpuset_kind)f->tag;
	}
	if (!first)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(node),
				"cpuset mapping needs one of llc, numa, range, disjoint, overlap, exact");
}

static void finish_scheduler(struct yaml_loader *ld, yaml_node_t *node,
			     struct ktstr_scheduler_spec *sc,
			     const struct pairs *p)
{
	const struct pair *name = pairs_find(p, "name");
	bool path = pairs_find(p, "path");

	if (path == !!name) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(node),
				"scheduler mapping needs exactly one of 'path' or 'name'");
		return;
	}
	sc->kind = path ? KTSTR_SCHED_PATH : KTSTR_SCHED_NAME;
	/* "eevdf" is not a binary: the mapping form always means sched_ext */
	if (name && !strcasecmp(sc->value, "eevdf"))
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(name->val),
				"scheduler name 'eevdf' is the built-in scheduler; write "
				"`scheduler: eevdf`, not a mapping");
}

/* A sysctl(8) key: dotted or slashed words of [A-Za-z0-9_-], no "..", no leading '/'. */
static bool sysctl_key_ok(const char *k, size_t n)
{
	if (n == 0 || k[0] == '.' || k[0] == '/' || k[n - 1] == '.' || k[n - 1] == '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];

		if (!(isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' || c == '/'))
			return false;
		if (i && (c == '.' || c == '/') && (k[i - 1] == '.' || k[i - 1] == '/'))
			return false;
	}
	return true;
}

static void finish_sysctls(struct yaml_loader *ld, const struct pair *pr)
{
	for (unsigned i = 0; i < ld->s->n_sysctls; i++) {
		const char *e = ld->s->sysctls[i], *eq = strchr(e, '=');
		yaml_node_t *item = node_at(ld, pr->val->data.sequence.items.start[i]);

		if (!eq || !sysctl_key_ok(e, (size_t)(eq - e)) || strpbrk(eq + 1, "\n\r"))
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(item),
					"sysctl '%s' must be key=value with a sysctl(8) key such as "
					"kernel.sched_rr_timeslice_ms=10", e);
	}
}

static void finish_kernel_args(struct yaml_loader *ld, const struct pair *pr)
{
	for (unsigned i = 0; i < ld->s->n_kernel_args; i++) {
		const char *a = ld->s->kernel_args[i];
		yaml_node_t *item = node_at(ld, pr->val->data.sequence.items.start[i]);
		bool bad = !a[0];

		for (const char *c = a; *c; c++)
			bad |= *c <= ' ' || *c > '~' || *c == '"' || *c == '\'';
		if (bad)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(item),
					"kernel_args entry '%s' must be one word of printable characters "
					"without spaces or quotes", a);
		else if (!strncmp(a, "ktstr.", 6))
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(item),
					"kernel_args entry '%s': ktstr.* parameters are reserved for the "
					"guest agent", a);
	}
}

static void finish_cgroup(struct yaml_loader *ld, struct ktstr_cgroup_def *cg,
			  const struct pairs *p)
{
	const struct pair *name = pairs_find(p, "name");
	unsigned group;

	for (struct ktstr_cgroup_def *o = ld->s->cgroups; o < cg && name && cg->name[0]; o++)
		if (strcmp(o->name, cg->name) == 0) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(name->val),
					"duplicate cgroup name '%s' (first declared at line %u)", cg->name,
					o->loc.line);
			break;
		}
	resolve_cpuset(ld, cg->name, &cg->cpuset);
	ktstr_work_params_defaults(cg->work, &cg->work_params);
	group = ktstr_work_group_size(cg->work, &cg->work_params);
	if (group > 1 && cg->workers % group) {
		/* "(group 0)": the Rust ktstr's shape; a cgroup has one work entry today */
		const struct pair *w = pairs_find(p, "workers");

		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, w ? loc_of(w->val) : cg->work_loc,
				"cgroup '%s': %s (group 0) requires num_workers divisible by %u, "
				"got %u", cg->name, ktstr_work_type_name(cg->work), group,
				cg->workers);
	}
}

/* Each parameter given must be one the chosen type takes. */
static void finish_work(struct yaml_loader *ld, struct ktstr_cgroup_def *cg,
			const struct pairs *p)
{
	unsigned mask;
	char list[128];
	size_t off = 0;

	if (cg->work == KTSTR_WORK__COUNT)
		return;            /* the type was missing or bad, already reported */
	mask = ktstr_work_param_mask(cg->work);
	list[0] = '\0';
	for (unsigned i = 0; i < KTSTR_WP__COUNT; i++)
		if (mask & (1u << i) && off < sizeof(list))
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", off ? ", " : "",
						ktstr_work_param_name((enum ktstr_work_param)i));
	for (size_t i = 0; i < p->n; i++) {
		const char *key = text(p->v[i].key);
		unsigned j;

		for (j = 0; j < KTSTR_WP__COUNT; j++)
			if (strcmp(key, ktstr_work_param_name((enum ktstr_work_param)j)) == 0)
				break;
		if (j == KTSTR_WP__COUNT || mask & (1u << j))
			continue;  /* `type`, an unknown key (reported), or one that applies */
		if (mask)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(p->v[i].key),
					"work type %s takes no '%s'; its parameters: %s",
					ktstr_work_type_name(cg->work), key, list);
		else
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(p->v[i].key),
					"work type %s takes no parameters, got '%s'",
					ktstr_work_type_name(cg->work), key);
		/* keep the model clean: a rejected value must not linger */
		cg->work_params.v[j] = 0;
	}
}

static void finish_op(struct yaml_loader *ld, yaml_node_t *node, struct ktstr_op *op,
		      const struct pairs *p)
{
	const struct pair *cgp = pairs_find(p, "cgroup"), *cs = pairs_find(p, "cpuset");
	const char *names[KTSTR_MAX_CGROUPS];
	char sugg[KTSTR_MAX_CGROUPS * KTSTR_NAME_MAX + 32];
	size_t off, n = ld->s->n_cgroups;
	bool found = false;

	if (op->kind == KTSTR_OP__COUNT)
		return;
	if (op->kind == KTSTR_OP_SET_CPUSET && !cs)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(node),
				"set_cpuset op needs a 'cpuset' (the CPUs to give the cgroup)");
	if (op->kind == KTSTR_OP_CLEAR_CPUSET && cs)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(cs->key),
				"clear_cpuset op takes no 'cpuset'; use set_cpuset to change it");
	if (!op->cgroup[0] || !n)
		return;
	for (size_t i = 0; i < n; i++) {
		names[i] = ld->s->cgroups[i].name;
		found |= strcmp(names[i], op->cgroup) == 0;
	}
	if (!found) {
		off = (size_t)snprintf(sugg, sizeof(sugg), "; declared cgroups:");
		for (size_t i = 0; i < n && off < sizeof(sugg); i++)
			off += (size_t)snprintf(sugg + off, sizeof(sugg) - off, "%s %s",
						i ? "," : "", names[i]);
		if (ktstr_suggest(op->cgroup, names, n))
			ktstr_yaml_suggestion(op->cgroup, names, n, "", sugg, sizeof(sugg));
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(cgp->val), "unknown cgroup '%s' in %s%s",
				op->cgroup, ktstr_op_kind_name(op->kind), sugg);
		return;
	}
	if (op->kind == KTSTR_OP_SET_CPUSET)
		resolve_cpuset(ld, op->cgroup, &op->cpuset);
}

static void finish_steps(struct yaml_loader *ld)
{
	const struct ktstr_scenario *s = ld->s;
	struct ktstr_src_loc at = ld->seq_loc[KTSTR_SEC_STEP];
	double frac = 0.0, total;
	uint64_t fixed = 0;
	char a[32], b[32], c[32];

	for (unsigned i = 0; i < s->n_steps; i++) {
		if (s->steps[i].hold_ms)
			fixed += s->steps[i].hold_ms;
		else
			frac += s->steps[i].hold_frac;
	}
	ktstr_duration_format(s->duration_ms, b, sizeof(b));
	/* allow for binary fractions: 0.1 * 10 is not exactly 1.0 */
	if (frac > 1.0 + 1e-9) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, at,
				"fractional step holds sum to %g; they must sum to at most 1.0", frac);
		return;
	}
	if (fixed > s->duration_ms) {
		ktstr_duration_format(fixed, a, sizeof(a));
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, at,
				"fixed step holds total %s, longer than 'duration' (%s)", a, b);
		return;
	}
	total = frac * (double)s->duration_ms + (double)fixed;
	if (total > (double)s->duration_ms + 0.5) {
		ktstr_duration_format((uint64_t)(total + 0.5), a, sizeof(a));
		ktstr_duration_format(fixed, c, sizeof(c));
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, at,
				"step holds total %s (fractions %g of 'duration' plus fixed %s), "
				"longer than 'duration' (%s)", a, frac, c, b);
	}
}

static void finish_top(struct yaml_loader *ld, const struct pairs *p)
{
	unsigned workers = ktstr_scenario_total_workers(ld->s);

	if (!pairs_find(p, "name"))
		ktstr_yaml_default_name(ld);

	if (workers > KTSTR_MAX_WORKERS)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, ld->seq_loc[KTSTR_SEC_CGROUP],
				"cgroups have %u workers in total; at most %d are supported", workers,
				KTSTR_MAX_WORKERS);
	if (ld->s->n_steps)
		finish_steps(ld);
	if (ld->s->n_sysctls)
		finish_sysctls(ld, pairs_find(p, "sysctls"));
	if (ld->s->expect_err && ld->s->sched.kind == KTSTR_SCHED_EEVDF && !ld->s->matrix.n_scheds)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, ld->s->expect_err_loc,
				"expect_err needs a sched_ext scheduler (scheduler: {name: ...} or "
				"{path: ...}); the built-in eevdf has nothing that can fail to load");
	if (ld->s->n_kernel_args)
		finish_kernel_args(ld, pairs_find(p, "kernel_args"));
	ktstr_yaml_finish_matrix(ld, p);
}

void ktstr_yaml_finish_section(struct yaml_loader *ld, const struct ktstr_schema_map *map,
			       yaml_node_t *node,
		       void *obj, const struct pairs *p)
{
	switch (map->id) {
	case KTSTR_SEC_TOP:
		finish_top(ld, p);
		break;
	case KTSTR_SEC_TOPOLOGY:
		finish_topology(ld, node, obj);
		break;
	case KTSTR_SEC_SCHEDULER:
		finish_scheduler(ld, node, obj, p);
		ktstr_yaml_finish_flags(ld, obj, p);
		break;
	case KTSTR_SEC_CGROUP:
		finish_cgroup(ld, obj, p);
		break;
	case KTSTR_SEC_WORK:
		finish_work(ld, obj, p);
		break;
	case KTSTR_SEC_CPUSET:
		finish_cpuset(ld, node, map, obj, p);
		break;
	case KTSTR_SEC_OP:
		finish_op(ld, node, obj, p);
		break;
	case KTSTR_SEC_DISJOINT:
	case KTSTR_SEC_OVERLAP:
	case KTSTR_SEC_STEP:
	case KTSTR_SEC_CHECKS:
	case KTSTR_SEC_FLAG:
	case KTSTR_SEC_MATRIX:
	case KTSTR_SEC__COUNT:
		break;
	}
}

void ktstr_yaml_default_name(struct yaml_loader *ld)
{
	const char *display = ld->display;
	const struct ktstr_schema_field *f = ktstr_schema_field(&ktstr_schema_top, "name");
	const char *base = strrchr(display, '/');
	char name[KTSTR_PATH_MAX], shape[64];
	size_t len;

	snprintf(name, sizeof(name), "%s", base ? base + 1 : display);
	len = strlen(name);
	if (len > 5 && strcmp(name + len - 5, ".yaml") == 0)
		name[len - 5] = '\0';
	else if (len > 4 && strcmp(name + len - 4, ".yml") == 0)
		name[len - 4] = '\0';
	if (!ktstr_yaml_string_ok(name, f)) {
		ktstr_schema_string_shape(f, shape, sizeof(shape));
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, (struct ktstr_src_loc){ 0, 0 },
				"default scenario name '%s' (from the file name) does not match %s; "
				"add a 'name' key", name, shape);
		return;
	}
	snprintf(ld->s->name, sizeof(ld->s->name), "%s", name);
}

/*
 * A file for a newer schema is refused before anything else is looked at:
 * its other keys would only produce misleading "unknown key" errors.
 */
