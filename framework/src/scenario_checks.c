// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks that span keys: topology consistency, cpusets resolved against the
 * declared topology, unique cgroup names, ops naming declared cgroups, step
 * holds fitting the duration.  The walk visits sections in schema order
 * (topology, cgroups, steps), so each check runs when a section is complete
 * and everything it depends on is already loaded.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ktstr/cpulist.h"
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

/* Whether two cgroups can be alive at the same time (backdrop or the same step). */
static bool coexist(const struct ktstr_cgroup_def *a, const struct ktstr_cgroup_def *b)
{
	return a->step == KTSTR_CGROUP_BACKDROP || b->step == KTSTR_CGROUP_BACKDROP ||
	       a->step == b->step;
}

/* The parent path of a nested name ("a/b" -> "a"); false for a top-level name. */
static bool parent_of(const char *name, char *buf, size_t len)
{
	const char *slash = strrchr(name, '/');

	if (!slash)
		return false;
	snprintf(buf, len, "%.*s", (int)(slash - name), name);
	return true;
}

static void check_affinity(struct yaml_loader *ld, const char *cgroup,
			   const struct ktstr_affinity *a)
{
	struct ktstr_cpuset set;
	unsigned cpus = ktstr_topology_cpus(&ld->s->topo);

	if (a->kind != KTSTR_AFFINITY_EXACT || ld->topo_bad)
		return;
	if (ktstr_cpulist_parse(a->exact, &set) || !ktstr_cpuset_count(&set)) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, a->loc,
				"cgroup '%s': affinity exact '%s' is not a cpulist such as \"0-1,3\"",
				cgroup, a->exact);
		return;
	}
	for (unsigned c = cpus; c < KTSTR_MAX_CPUS; c++)
		if (ktstr_cpuset_test(&set, c)) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, a->loc,
					"cgroup '%s': affinity exact '%s' names CPU %u, but the "
					"topology has CPUs 0-%u", cgroup, a->exact, c, cpus - 1);
			return;
		}
}

/* Checks of one work group; `idx` is its index in the cgroup ("(group 0)"). */
static void check_group(struct yaml_loader *ld, const char *cgroup, unsigned idx,
			struct ktstr_work_group *g)
{
	const struct ktstr_policy *p = &g->policy;
	unsigned group;
	uint32_t nodes;

	ktstr_work_params_defaults(g->work, &g->work_params);
	group = ktstr_work_group_size(g->work, &g->work_params);
	if (group > 1 && g->workers % group)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, g->loc.line ? g->loc : g->work_loc,
				"cgroup '%s': %s (group %u) requires num_workers divisible by %u, "
				"got %u", cgroup, ktstr_work_type_name(g->work), idx, group,
				g->workers);
	if (p->kind == KTSTR_POLICY_DEADLINE &&
	    !(p->runtime_ms <= p->deadline_ms && p->deadline_ms <= p->period_ms))
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, p->loc,
				"cgroup '%s': deadline policy needs runtime <= deadline <= period, "
				"got %" PRIu64 "ms, %" PRIu64 "ms, %" PRIu64 "ms", cgroup,
				p->runtime_ms, p->deadline_ms, p->period_ms);
	check_affinity(ld, cgroup, &g->affinity);
	/* preferred holds a node number, bind and interleave a bit per node */
	nodes = g->mempolicy.kind == KTSTR_MEMPOLICY_PREFERRED
		? (g->mempolicy.nodes < 32 ? 1u << g->mempolicy.nodes : ~0u) : g->mempolicy.nodes;
	if (!ld->topo_bad && nodes >> ld->s->topo.numa_nodes &&
	    g->mempolicy.kind != KTSTR_MEMPOLICY_DEFAULT && g->mempolicy.kind != KTSTR_MEMPOLICY_LOCAL)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, g->mempolicy.loc,
				"cgroup '%s': mem_policy %s names a node the topology does not have "
				"(numa_nodes: %u)", cgroup, ktstr_mempolicy_kind_name(g->mempolicy.kind),
				ld->s->topo.numa_nodes);
}

static const char *const group_keys[] = { "workers", "work", "policy", "nice", "affinity",
					  "mem_policy" };

static void finish_cgroup(struct yaml_loader *ld, struct ktstr_cgroup_def *cg,
			  const struct pairs *p)
{
	const struct pair *name = pairs_find(p, "name"), *works = pairs_find(p, "works");
	char parent[KTSTR_CGPATH_MAX];

	for (struct ktstr_cgroup_def *o = ld->s->cgroups; o < cg && name && cg->name[0]; o++)
		if (strcmp(o->name, cg->name) == 0 && coexist(o, cg)) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(name->val),
					"duplicate cgroup name '%s' (first declared at line %u)", cg->name,
					o->loc.line);
			break;
		}
	if (name && parent_of(cg->name, parent, sizeof(parent))) {
		bool found = false;

		for (struct ktstr_cgroup_def *o = ld->s->cgroups; o < cg && !found; o++)
			found = !strcmp(o->name, parent) && coexist(o, cg) &&
				(o->step == cg->step || o->step == KTSTR_CGROUP_BACKDROP);
		if (!found)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(name->val),
					"cgroup '%s' is nested under '%s', which is not declared before "
					"it; declare the parent first", cg->name, parent);
	}
	for (size_t i = 0; works && i < sizeof(group_keys) / sizeof(group_keys[0]); i++) {
		const struct pair *k = pairs_find(p, group_keys[i]);

		if (k)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(k->key),
					"cgroup '%s' has both 'works' and '%s'; with 'works', set "
					"'%s' in each entry", cg->name, group_keys[i], group_keys[i]);
	}
	resolve_cpuset(ld, cg->name, &cg->cpuset);
	for (unsigned i = 0; i < cg->n_groups; i++) {
		/* the implicit group's positions are its keys' */
		if (!works && !cg->groups[i].loc.line) {
			const struct pair *w = pairs_find(p, "workers");

			cg->groups[i].loc = w ? loc_of(w->val) : cg->groups[i].work_loc;
		}
		check_group(ld, cg->name, i, &cg->groups[i]);
	}
}

void ktstr_yaml_need_phases(struct yaml_loader *ld, enum ktstr_work_type w,
			    struct ktstr_src_loc at)
{
	ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, at,
			"work type %s needs 'phases', e.g. work: {type: %s, phases: "
			"[{spin: 5ms}, {sleep: 2ms}]}", ktstr_work_type_name(w), ktstr_work_type_name(w));
}

/*
 * Each parameter given must be one the chosen type takes; `phases` (not in
 * v[]) belongs to Sequence, which must have it.
 */
static void finish_work(struct yaml_loader *ld, yaml_node_t *node, struct ktstr_work_group *cg,
			const struct pairs *p)
{
	bool phases = ktstr_work_takes_phases(cg->work);
	unsigned mask;
	char list[256];
	size_t off = 0;

	if (cg->work == KTSTR_WORK__COUNT)
		return;            /* the type was missing or bad, already reported */
	mask = ktstr_work_param_mask(cg->work);
	list[0] = '\0';
	for (unsigned i = 0; i < KTSTR_WP__COUNT; i++)
		if (mask & (1u << i) && off < sizeof(list))
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", off ? ", " : "",
						ktstr_work_param_name((enum ktstr_work_param)i));
	if (phases && off < sizeof(list))
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%sphases", off ? ", " : "");
	if (phases && !pairs_find(p, "phases"))
		ktstr_yaml_need_phases(ld, cg->work, loc_of(node));
	for (size_t i = 0; i < p->n; i++) {
		const char *key = text(p->v[i].key);
		bool is_phases = strcmp(key, "phases") == 0;
		unsigned j;

		for (j = 0; j < KTSTR_WP__COUNT; j++)
			if (strcmp(key, ktstr_work_param_name((enum ktstr_work_param)j)) == 0)
				break;
		if (is_phases ? phases : (j == KTSTR_WP__COUNT || mask & (1u << j)))
			continue;  /* `type`, an unknown key (reported), or one that applies */
		if (off)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(p->v[i].key),
					"work type %s takes no '%s'; its parameters: %s",
					ktstr_work_type_name(cg->work), key, list);
		else
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(p->v[i].key),
					"work type %s takes no parameters, got '%s'",
					ktstr_work_type_name(cg->work), key);
		/* keep the model clean: a rejected value must not linger */
		if (is_phases)
			cg->work_params.n_phases = 0;
		else
			cg->work_params.v[j] = 0;
	}
}

/*
 * The keys each op takes: required ones, then optional ones, and what a
 * missing required key is for.  "op" is always there.
 */
static const struct {
	const char *req, *opt, *why;
} op_keys[KTSTR_OP__COUNT] = {
	[KTSTR_OP_SET_CPUSET] = { "cgroup cpuset", "", "the CPUs to give the cgroup" },
	[KTSTR_OP_CLEAR_CPUSET] = { "cgroup", "", "the cgroup whose cpuset to clear" },
	[KTSTR_OP_ADD_CGROUP] = { "cgroup", "cpuset", "the name of the new cgroup" },
	[KTSTR_OP_REMOVE_CGROUP] = { "cgroup", "", "the cgroup to remove" },
	[KTSTR_OP_SWAP_CPUSETS] = { "cgroup with", "", "the two cgroups whose cpusets swap" },
	[KTSTR_OP_SPAWN] = { "cgroup group", "", "where and which workers to start" },
	[KTSTR_OP_STOP_CGROUP] = { "cgroup", "", "the cgroup whose workers stop" },
	[KTSTR_OP_SET_AFFINITY] = { "cgroup affinity", "", "the cgroup and its workers' new affinity" },
	[KTSTR_OP_SPAWN_HOST] = { "group", "", "the workers to start in the root cgroup" },
	[KTSTR_OP_MOVE_ALL_TASKS] = { "cgroup to", "", "the source and the destination cgroup" },
	[KTSTR_OP_SET_KNOB] = { "cgroup knob value", "", "the cgroup, the knob and its value" },
	[KTSTR_OP_FREEZE] = { "cgroup", "", "the cgroup to freeze" },
	[KTSTR_OP_UNFREEZE] = { "cgroup", "", "the cgroup to thaw" },
	[KTSTR_OP_RUN_PAYLOAD] = { "payload", "args cgroup", "a name from 'payloads'" },
	[KTSTR_OP_WAIT_PAYLOAD] = { "payload", "timeout", "a name from 'payloads'" },
	[KTSTR_OP_KILL_PAYLOAD] = { "payload", "", "a name from 'payloads'" },
	[KTSTR_OP_ATTACH_SCHEDULER] = { "", "scheduler", "" },
	[KTSTR_OP_DETACH_SCHEDULER] = { "", "", "" },
	[KTSTR_OP_RESTART_SCHEDULER] = { "", "", "" },
	[KTSTR_OP_REPLACE_SCHEDULER] = { "scheduler", "", "the sched_ext scheduler to start" },
};

/* Whether `word` is one of the space-separated words of `list`. */
static bool word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *w = list; *w; ) {
		size_t len = strcspn(w, " ");

		if (len == n && !strncmp(w, word, n))
			return true;
		w += len;
		w += *w == ' ';
	}
	return false;
}

static void finish_op(struct yaml_loader *ld, yaml_node_t *node, struct ktstr_op *op,
		      const struct pairs *p)
{
	const char *req, *opt;
	char takes[96], word[32];

	if (pairs_find(p, "cgroup"))
		op->cgroup_loc = loc_of(pairs_find(p, "cgroup")->val);
	if (pairs_find(p, "to") || pairs_find(p, "with"))
		op->to_loc = loc_of((pairs_find(p, "to") ?: pairs_find(p, "with"))->val);
	if (op->kind == KTSTR_OP__COUNT)
		return;
	req = op_keys[op->kind].req;
	opt = op_keys[op->kind].opt;
	snprintf(takes, sizeof(takes), "%s%s%s", req, *req && *opt ? " " : "", opt);
	for (size_t i = 0; i < p->n; i++) {
		const char *key = text(p->v[i].key);

		if (!strcmp(key, "op") || word_in(req, key) || word_in(opt, key) ||
		    !ktstr_schema_field(ktstr_schema_section(KTSTR_SEC_OP), key))
			continue;
		if (*takes)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(p->v[i].key),
					"%s op takes no '%s'; it takes: %s", ktstr_op_kind_name(op->kind),
					key, takes);
		else
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(p->v[i].key),
					"%s op takes no '%s'; it takes no keys besides 'op'",
					ktstr_op_kind_name(op->kind), key);
	}
	for (const char *w = req; *w; ) {
		size_t len = strcspn(w, " ");

		snprintf(word, sizeof(word), "%.*s", (int)len, w);
		if (!pairs_find(p, word))
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(node),
					"%s op needs a '%s' (%s)", ktstr_op_kind_name(op->kind), word,
					op_keys[op->kind].why);
		w += len;
		w += *w == ' ';
	}
	if (op->kind == KTSTR_OP_SET_KNOB && pairs_find(p, "value") && op->knob.id != ~0u &&
	    pairs_find(p, "knob")) {
		const struct ktstr_schema_field *kf =
			&ktstr_schema_section(KTSTR_SEC_KNOBS)->fields[op->knob.id];
		yaml_node_t v = *pairs_find(p, "value")->val;

		/*
		 * `value` is a string key: "50" is the text written to the file,
		 * as much as 50 is, so a quoted value is read like a plain one.
		 */
		if (is_scalar(&v))
			v.data.scalar.style = YAML_PLAIN_SCALAR_STYLE;
		ktstr_yaml_knob_value(ld, kf, &v, op->knob.value, sizeof(op->knob.value));
	}
	if (op->group >= 0)
		check_group(ld, op->kind == KTSTR_OP_SPAWN ? op->cgroup : "(host)", 0,
			    &ld->s->op_groups[op->group]);
	if (op->kind == KTSTR_OP_SET_AFFINITY)
		check_affinity(ld, op->cgroup, &op->affinity);
}

/* ---- the timeline: which cgroups, payloads and schedulers exist when ------ */

struct timeline {
	struct yaml_loader *ld;
	char live[KTSTR_MAX_LIVE_CGROUPS][KTSTR_CGPATH_MAX];
	bool frozen[KTSTR_MAX_LIVE_CGROUPS];
	unsigned n_live;
	bool running[KTSTR_MAX_PAYLOADS];
	bool attached;
	unsigned step;             /* 1-based, for messages */
};

static int tl_find(const struct timeline *t, const char *name)
{
	for (unsigned i = 0; i < t->n_live; i++)
		if (!strcmp(t->live[i], name))
			return (int)i;
	return -1;
}

static void tl_add(struct timeline *t, const char *name)
{
	if (t->n_live < KTSTR_MAX_LIVE_CGROUPS) {
		snprintf(t->live[t->n_live], sizeof(t->live[0]), "%s", name);
		t->frozen[t->n_live++] = false;
	}
}

static void tl_del(struct timeline *t, int i)
{
	t->n_live--;
	memmove(t->live[i], t->live[i + 1], (t->n_live - (unsigned)i) * sizeof(t->live[0]));
	memmove(&t->frozen[i], &t->frozen[i + 1], (t->n_live - (unsigned)i) * sizeof(bool));
}

/* A live child of `name`, or NULL. */
static const char *tl_child(const struct timeline *t, const char *name)
{
	size_t n = strlen(name);

	for (unsigned i = 0; i < t->n_live; i++)
		if (!strncmp(t->live[i], name, n) && t->live[i][n] == '/')
			return t->live[i];
	return NULL;
}

/* Whether any cgroup of the scenario or any add_cgroup op ever uses this name. */
static bool ever_declared(const struct ktstr_scenario *s, const char *name)
{
	for (unsigned i = 0; i < s->n_cgroups; i++)
		if (!strcmp(s->cgroups[i].name, name))
			return true;
	for (unsigned i = 0; i < s->n_steps; i++)
		for (unsigned j = 0; j < s->steps[i].n_ops; j++)
			if (s->steps[i].ops[j].kind == KTSTR_OP_ADD_CGROUP &&
			    !strcmp(s->steps[i].ops[j].cgroup, name))
				return true;
	return false;
}

/* Whether another cgroup alive at the same time has the same name (finish_cgroup). */
static bool declared_twice(const struct ktstr_scenario *s, unsigned c)
{
	for (unsigned i = 0; i < s->n_cgroups; i++)
		if (i != c && !strcmp(s->cgroups[i].name, s->cgroups[c].name) &&
		    coexist(&s->cgroups[i], &s->cgroups[c]))
			return true;
	return false;
}

static bool backdrop_has(const struct ktstr_scenario *s, const char *name)
{
	for (unsigned i = 0; i < s->n_cgroups; i++)
		if (s->cgroups[i].step == KTSTR_CGROUP_BACKDROP && !strcmp(s->cgroups[i].name, name))
			return true;
	return false;
}

/* An op's cgroup must be alive at its step; false (reported) otherwise. */
static bool tl_need(struct timeline *t, const struct ktstr_op *op, const char *name,
		    struct ktstr_src_loc at)
{
	const struct ktstr_scenario *s = t->ld->s;
	const char *names[KTSTR_MAX_CGROUPS];
	char sugg[KTSTR_MAX_CGROUPS * KTSTR_NAME_MAX + 32];
	size_t off, n = 0;

	if (tl_find(t, name) >= 0)
		return true;
	if (ever_declared(s, name)) {
		ktstr_diags_add(t->ld->d, KTSTR_DIAG_ERROR, at,
				"cgroup '%s' does not exist when step %u applies %s (it is removed "
				"earlier, added later, or belongs to another step)", name, t->step,
				ktstr_op_kind_name(op->kind));
		return false;
	}
	for (unsigned i = 0; i < s->n_cgroups; i++)
		names[n++] = s->cgroups[i].name;
	off = (size_t)snprintf(sugg, sizeof(sugg), "; declared cgroups:");
	for (size_t i = 0; i < n && off < sizeof(sugg); i++)
		off += (size_t)snprintf(sugg + off, sizeof(sugg) - off, "%s %s", i ? "," : "",
					names[i]);
	if (ktstr_suggest(name, names, n))
		ktstr_yaml_suggestion(name, names, n, "", sugg, sizeof(sugg));
	ktstr_diags_add(t->ld->d, KTSTR_DIAG_ERROR, at, "unknown cgroup '%s' in %s%s", name,
			ktstr_op_kind_name(op->kind), sugg);
	return false;
}

static int payload_index(const struct ktstr_scenario *s, const char *name)
{
	for (unsigned i = 0; i < s->n_payloads; i++)
		if (!strcmp(s->payloads[i].name, name))
			return (int)i;
	return -1;
}

/* Ops a loop step may apply again and again. */
static bool op_repeats(enum ktstr_op_kind k)
{
	switch (k) {
	case KTSTR_OP_SET_CPUSET:
	case KTSTR_OP_CLEAR_CPUSET:
	case KTSTR_OP_SWAP_CPUSETS:
	case KTSTR_OP_SET_AFFINITY:
	case KTSTR_OP_MOVE_ALL_TASKS:
	case KTSTR_OP_SET_KNOB:
	case KTSTR_OP_RESTART_SCHEDULER:
		return true;
	default:
		return false;
	}
}

static void tl_op(struct timeline *t, const struct ktstr_step *st, const struct ktstr_op *op)
{
	struct yaml_loader *ld = t->ld;
	const struct ktstr_scenario *s = ld->s;
	char parent[KTSTR_CGPATH_MAX];
	const char *child;
	int i, pl;

	if (st->loop_ms && !op_repeats(op->kind))
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
				"%s cannot repeat in a loop step; loop steps take set_cpuset, "
				"clear_cpuset, swap_cpusets, set_affinity, move_all_tasks, set_knob or "
				"restart_scheduler", ktstr_op_kind_name(op->kind));
	switch (op->kind) {
	case KTSTR_OP_ADD_CGROUP:
		if (tl_find(t, op->cgroup) >= 0) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
					"add_cgroup: cgroup '%s' already exists at step %u", op->cgroup,
					t->step);
			break;
		}
		if (parent_of(op->cgroup, parent, sizeof(parent)) && tl_find(t, parent) < 0) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
					"add_cgroup '%s': its parent '%s' does not exist at step %u; "
					"add the parent first", op->cgroup, parent, t->step);
			break;
		}
		if (op->cpuset.kind != KTSTR_CPUSET_NONE)
			resolve_cpuset(ld, op->cgroup, &op->cpuset);
		tl_add(t, op->cgroup);
		break;
	case KTSTR_OP_REMOVE_CGROUP:
		if (!tl_need(t, op, op->cgroup, op->cgroup_loc))
			break;
		child = tl_child(t, op->cgroup);
		if (child) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
					"remove_cgroup: cgroup '%s' still has the child '%s' at step %u; "
					"remove the child first", op->cgroup, child, t->step);
			break;
		}
		tl_del(t, tl_find(t, op->cgroup));
		break;
	case KTSTR_OP_SET_CPUSET:
		if (tl_need(t, op, op->cgroup, op->cgroup_loc))
			resolve_cpuset(ld, op->cgroup, &op->cpuset);
		break;
	case KTSTR_OP_SWAP_CPUSETS:
	case KTSTR_OP_MOVE_ALL_TASKS:
		if (tl_need(t, op, op->cgroup, op->cgroup_loc) && tl_need(t, op, op->to, op->to_loc) &&
		    !strcmp(op->cgroup, op->to))
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
					"%s names cgroup '%s' twice; it needs two different cgroups",
					ktstr_op_kind_name(op->kind), op->cgroup);
		if (op->kind == KTSTR_OP_MOVE_ALL_TASKS && (child = tl_child(t, op->to)))
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
					"move_all_tasks: destination '%s' has the child '%s'; cgroup v2 "
					"runs tasks only in cgroups that hand no controllers down, so move "
					"them to a leaf", op->to, child);
		break;
	case KTSTR_OP_FREEZE:
	case KTSTR_OP_UNFREEZE:
		if (!tl_need(t, op, op->cgroup, op->cgroup_loc))
			break;
		i = tl_find(t, op->cgroup);
		if (t->frozen[i] == (op->kind == KTSTR_OP_FREEZE))
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
					"%s: cgroup '%s' is already %s at step %u",
					ktstr_op_kind_name(op->kind), op->cgroup,
					t->frozen[i] ? "frozen" : "thawed", t->step);
		t->frozen[i] = op->kind == KTSTR_OP_FREEZE;
		break;
	case KTSTR_OP_SPAWN:
		if (tl_need(t, op, op->cgroup, op->cgroup_loc) && (child = tl_child(t, op->cgroup)))
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
					"spawn: cgroup '%s' has the child '%s'; cgroup v2 runs tasks "
					"only in cgroups that hand no controllers down, so spawn into a "
					"leaf", op->cgroup, child);
		break;
	case KTSTR_OP_CLEAR_CPUSET:
	case KTSTR_OP_STOP_CGROUP:
	case KTSTR_OP_SET_AFFINITY:
	case KTSTR_OP_SET_KNOB:
		tl_need(t, op, op->cgroup, op->cgroup_loc);
		break;
	case KTSTR_OP_RUN_PAYLOAD:
	case KTSTR_OP_WAIT_PAYLOAD:
	case KTSTR_OP_KILL_PAYLOAD:
		if (!op->payload[0])
			break;
		pl = payload_index(s, op->payload);
		if (pl < 0) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
					"%s: payload '%s' is not declared under 'payloads'",
					ktstr_op_kind_name(op->kind), op->payload);
			break;
		}
		if (op->kind == KTSTR_OP_RUN_PAYLOAD) {
			if (t->running[pl])
				ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
						"run_payload: payload '%s' is already running at step %u; "
						"wait for it or kill it first", op->payload, t->step);
			if (op->cgroup[0])
				tl_need(t, op, op->cgroup, op->cgroup_loc);
			t->running[pl] = true;
		} else {
			if (!t->running[pl])
				ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
						"%s: payload '%s' is not running at step %u; start it "
						"with run_payload", ktstr_op_kind_name(op->kind),
						op->payload, t->step);
			t->running[pl] = false;
		}
		break;
	case KTSTR_OP_ATTACH_SCHEDULER:
		if (t->attached)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
					"attach_scheduler: a sched_ext scheduler is already attached at "
					"step %u; use replace_scheduler or detach_scheduler first", t->step);
		else if (op->sched < 0 && s->sched.kind == KTSTR_SCHED_EEVDF)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
					"attach_scheduler needs a 'scheduler' when the scenario's "
					"scheduler is eevdf");
		t->attached = true;
		break;
	case KTSTR_OP_DETACH_SCHEDULER:
	case KTSTR_OP_RESTART_SCHEDULER:
	case KTSTR_OP_REPLACE_SCHEDULER:
		if (!t->attached)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
					"%s: no sched_ext scheduler is attached at step %u%s",
					ktstr_op_kind_name(op->kind), t->step,
					op->kind == KTSTR_OP_DETACH_SCHEDULER ? ""
					: "; start one with attach_scheduler");
		t->attached = op->kind != KTSTR_OP_DETACH_SCHEDULER;
		break;
	case KTSTR_OP_SPAWN_HOST:
	case KTSTR_OP__COUNT:
		break;
	}
}

/* Walk the steps in order, as the guest will, and check every op against what exists. */
static void check_timeline(struct yaml_loader *ld)
{
	static struct timeline t;      /* ~7 KiB: keep it off small stacks */
	const struct ktstr_scenario *s = ld->s;

	memset(&t, 0, sizeof(t));
	t.ld = ld;
	t.attached = s->sched.kind != KTSTR_SCHED_EEVDF;
	for (unsigned i = 0; i < s->n_cgroups; i++)
		if (s->cgroups[i].step == KTSTR_CGROUP_BACKDROP)
			tl_add(&t, s->cgroups[i].name);
	for (unsigned i = 0; i < s->n_steps; i++) {
		const struct ktstr_step *st = &s->steps[i];

		t.step = i + 1;
		if (st->loop_ms && i + 1 != s->n_steps)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, st->loc,
					"step %u holds in a loop, but only the last step may loop "
					"(it runs until the end of 'duration')", i + 1);
		for (unsigned j = 0; j < st->n_ops; j++)
			if (st->ops[j].kind != KTSTR_OP__COUNT)
				tl_op(&t, st, &st->ops[j]);
		for (unsigned c = 0; c < s->n_cgroups; c++)
			if (s->cgroups[c].step == (int)i) {
				char parent[KTSTR_CGPATH_MAX];

				/* a name declared twice is reported as a duplicate already */
				if (tl_find(&t, s->cgroups[c].name) >= 0 && !declared_twice(s, c))
					ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, s->cgroups[c].loc,
							"step %u's cgroup '%s' already exists when the "
							"step starts", i + 1, s->cgroups[c].name);
				/* a backdrop parent may be gone (an undeclared one is reported already) */
				else if (tl_find(&t, s->cgroups[c].name) < 0 &&
					 parent_of(s->cgroups[c].name, parent, sizeof(parent)) &&
					 tl_find(&t, parent) < 0 && backdrop_has(s, parent))
					ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, s->cgroups[c].loc,
							"step %u's cgroup '%s' is nested under '%s', which "
							"does not exist when the step starts (removed "
							"earlier)", i + 1, s->cgroups[c].name, parent);
				tl_add(&t, s->cgroups[c].name);
			}
		/* the step's own cgroups end with it */
		for (unsigned c = 0; c < s->n_cgroups; c++) {
			int at = s->cgroups[c].step == (int)i ? tl_find(&t, s->cgroups[c].name) : -1;

			if (at >= 0)
				tl_del(&t, at);
		}
	}
}

static void nesting_error(struct yaml_loader *ld, struct ktstr_src_loc at, const char *name,
			  const char *what, const char *parent)
{
	ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, at,
			"cgroup '%s' has a %s, so its parent '%s' must hand controllers down and "
			"cannot run workers itself (cgroup v2's no-internal-process rule); move the "
			"parent's workers to a leaf such as '%s/main'", name, what, parent, parent);
}

/*
 * check_nesting's rule for ops that give a nested cgroup a cpuset or a knob mid-run:
 * its parent, a backdrop cgroup with workers, would have to hand the
 * controller down while running them.
 */
static void check_nesting_ops(struct yaml_loader *ld)
{
	const struct ktstr_scenario *s = ld->s;
	char parent[KTSTR_CGPATH_MAX];

	for (unsigned i = 0; i < s->n_steps; i++)
		for (unsigned j = 0; j < s->steps[i].n_ops; j++) {
			const struct ktstr_op *op = &s->steps[i].ops[j];
			const char *names[2] = { op->cgroup, op->to };
			const char *what = NULL;

			if (op->kind == KTSTR_OP_SET_CPUSET || op->kind == KTSTR_OP_SWAP_CPUSETS ||
			    (op->kind == KTSTR_OP_ADD_CGROUP && op->cpuset.kind != KTSTR_CPUSET_NONE))
				what = "cpuset";
			else if (op->kind == KTSTR_OP_SET_KNOB)
				what = "knob";
			for (unsigned n = 0; what && n < (op->kind == KTSTR_OP_SWAP_CPUSETS ? 2u : 1u);
			     n++) {
				bool busy = false;

				if (!parent_of(names[n], parent, sizeof(parent)))
					continue;
				for (unsigned c = 0; c < s->n_cgroups && !busy; c++)
					busy = s->cgroups[c].step == KTSTR_CGROUP_BACKDROP &&
					       !strcmp(s->cgroups[c].name, parent) &&
					       ktstr_cgroup_workers(&s->cgroups[c]);
				if (busy)
					nesting_error(ld, op->loc, names[n], what, parent);
			}
		}
}

/*
 * cgroup v2's no-internal-process rule: a cgroup whose children need a
 * controller (a cpuset, knobs) hands it down through subtree_control and
 * may then hold no tasks itself.
 */
static void check_nesting(struct yaml_loader *ld)
{
	const struct ktstr_scenario *s = ld->s;
	char parent[KTSTR_CGPATH_MAX];

	for (unsigned i = 0; i < s->n_cgroups; i++) {
		const struct ktstr_cgroup_def *c = &s->cgroups[i];

		if (!parent_of(c->name, parent, sizeof(parent)) ||
		    (c->cpuset.kind == KTSTR_CPUSET_NONE && !c->n_knobs))
			continue;
		for (unsigned j = 0; j < s->n_cgroups; j++)
			if (!strcmp(s->cgroups[j].name, parent) && coexist(&s->cgroups[j], c) &&
			    ktstr_cgroup_workers(&s->cgroups[j]))
				nesting_error(ld, c->loc, c->name,
					      c->cpuset.kind != KTSTR_CPUSET_NONE ? "cpuset" : "knob",
					      parent);
	}
	check_nesting_ops(ld);
}

/* ---- SCHED_DEADLINE: a deadline task must be allowed on every CPU ---------- */

/*
 * Whether a cpuset spec leaves out a CPU of the machine.  The kernel refuses
 * sched_setattr(SCHED_DEADLINE) (EPERM) for a task whose affinity is not the
 * whole root domain, which a narrower cpuset makes it.
 */
static bool cpuset_narrows(struct yaml_loader *ld, const struct ktstr_cpuset_spec *c)
{
	struct ktstr_topo_map map;
	struct ktstr_cpuset cpus;
	char why[256];

	if (c->kind == KTSTR_CPUSET_NONE || ld->topo_bad)
		return false;
	ktstr_topo_map_from_spec(&ld->s->topo, &map);
	if (ktstr_cpuset_resolve(c, &map, &cpus, why, sizeof(why)))
		return false;          /* reported where the spec is resolved */
	return ktstr_cpuset_count(&cpus) < ktstr_topology_cpus(&ld->s->topo);
}

/* The declared cgroup `name` or an ancestor with a narrowing cpuset, or NULL. */
static const char *narrowed_by(struct yaml_loader *ld, const char *name)
{
	const struct ktstr_scenario *s = ld->s;
	char cur[KTSTR_CGPATH_MAX], up[KTSTR_CGPATH_MAX];

	snprintf(cur, sizeof(cur), "%s", name);
	for (;;) {
		for (unsigned i = 0; i < s->n_cgroups; i++)
			if (!strcmp(s->cgroups[i].name, cur) && cpuset_narrows(ld, &s->cgroups[i].cpuset))
				return s->cgroups[i].name;
		if (!parent_of(cur, up, sizeof(up)))
			return NULL;
		memcpy(cur, up, sizeof(cur));
	}
}

static bool affinity_narrows(const struct ktstr_affinity *a)
{
	return a->kind != KTSTR_AFFINITY_INHERIT && a->kind != KTSTR_AFFINITY_CROSS_CGROUP;
}

/* Whether a declared cgroup `name` (or one below it) runs SCHED_DEADLINE workers. */
static bool runs_deadline(const struct ktstr_scenario *s, const char *name)
{
	size_t n = strlen(name);

	for (unsigned i = 0; i < s->n_cgroups; i++)
		if (!strncmp(s->cgroups[i].name, name, n) &&
		    (s->cgroups[i].name[n] == '\0' || s->cgroups[i].name[n] == '/'))
			for (unsigned g = 0; g < s->cgroups[i].n_groups; g++)
				if (s->cgroups[i].groups[g].policy.kind == KTSTR_POLICY_DEADLINE)
					return true;
	return false;
}

static void deadline_group(struct yaml_loader *ld, const char *cgroup,
			   const struct ktstr_work_group *g)
{
	const char *by;

	if (g->policy.kind != KTSTR_POLICY_DEADLINE)
		return;
	if (affinity_narrows(&g->affinity))
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, g->affinity.loc,
				"cgroup '%s': SCHED_DEADLINE workers cannot take affinity %s: the "
				"kernel allows a deadline task only with every CPU in its affinity; "
				"drop the affinity or use {fifo: N}", cgroup,
				ktstr_affinity_kind_name(g->affinity.kind));
	else if (cgroup[0] && (by = narrowed_by(ld, cgroup)))
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, g->policy.loc,
				"cgroup '%s': SCHED_DEADLINE workers cannot run under the cpuset of "
				"'%s': the kernel allows a deadline task only with every CPU in its "
				"affinity; drop the cpuset or use {fifo: N}", cgroup, by);
}

static void check_deadline(struct yaml_loader *ld)
{
	const struct ktstr_scenario *s = ld->s;

	for (unsigned i = 0; i < s->n_cgroups; i++)
		for (unsigned g = 0; g < s->cgroups[i].n_groups; g++)
			deadline_group(ld, s->cgroups[i].name, &s->cgroups[i].groups[g]);
	for (unsigned i = 0; i < s->n_steps; i++)
		for (unsigned j = 0; j < s->steps[i].n_ops; j++) {
			const struct ktstr_op *op = &s->steps[i].ops[j];
			bool narrows = false;

			if (op->group >= 0 && (unsigned)op->group < s->n_op_groups)
				deadline_group(ld, op->kind == KTSTR_OP_SPAWN ? op->cgroup : "",
					       &s->op_groups[op->group]);
			if (op->kind == KTSTR_OP_SET_CPUSET)
				narrows = cpuset_narrows(ld, &op->cpuset);
			else if (op->kind == KTSTR_OP_SET_AFFINITY)
				narrows = affinity_narrows(&op->affinity);
			else if (op->kind == KTSTR_OP_SWAP_CPUSETS)
				narrows = true;  /* the other cgroup's cpuset is not known here */
			if (narrows && (runs_deadline(s, op->cgroup) ||
					(op->kind == KTSTR_OP_SWAP_CPUSETS && runs_deadline(s, op->to))))
				ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, op->loc,
						"%s would narrow the CPUs of SCHED_DEADLINE workers in "
						"'%s': the kernel allows a deadline task only with every "
						"CPU in its affinity", ktstr_op_kind_name(op->kind),
						runs_deadline(s, op->cgroup) ? op->cgroup : op->to);
		}
}

static void finish_steps(struct yaml_loader *ld)
{
	const struct ktstr_scenario *s = ld->s;
	struct ktstr_src_loc at = ld->seq_loc[KTSTR_SEC_STEP];
	double frac = 0.0, total;
	uint64_t fixed = 0;
	char a[32], b[32], c[32];

	for (unsigned i = 0; i < s->n_steps; i++) {
		if (s->steps[i].loop_ms)
			continue;          /* takes what the others leave */
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
	if (ld->s->n_steps) {
		finish_steps(ld);
		check_timeline(ld);
	}
	check_nesting(ld);
	check_deadline(ld);
	for (unsigned i = 0; i < ld->s->n_payloads; i++)
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(ld->s->payloads[i].name, ld->s->payloads[j].name))
				ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, ld->s->payloads[i].loc,
						"duplicate payload name '%s' (first declared at line %u)",
						ld->s->payloads[i].name, ld->s->payloads[j].loc.line);
	if (ld->s->n_sysctls)
		finish_sysctls(ld, pairs_find(p, "sysctls"));
	if (ld->s->expect_err && ld->s->sched.kind == KTSTR_SCHED_EEVDF && !ld->s->n_op_scheds &&
	    !ld->s->matrix.n_scheds)
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
		finish_work(ld, node, obj, p);
		break;
	case KTSTR_SEC_CPUSET:
		finish_cpuset(ld, node, map, obj, p);
		break;
	case KTSTR_SEC_OP:
		finish_op(ld, node, obj, p);
		break;
	case KTSTR_SEC_PAYLOAD:
		if (!pairs_find(p, "path") == !pairs_find(p, "command"))
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(node),
					"payload '%s' needs exactly one of 'path' or 'command'",
					((struct ktstr_payload *)obj)->name);
		break;
	case KTSTR_SEC_DISJOINT:
	case KTSTR_SEC_OVERLAP:
	case KTSTR_SEC_STEP:
	case KTSTR_SEC_CHECKS:
	case KTSTR_SEC_GROUP:
	case KTSTR_SEC_POLICY:
	case KTSTR_SEC_DEADLINE:
	case KTSTR_SEC_AFFINITY:
	case KTSTR_SEC_MEMPOLICY:
	case KTSTR_SEC_KNOBS:
	case KTSTR_SEC_LOOP:
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
