// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loader checks for what makes one scenario file several runs: a
 * scheduler's `flags` (names, requires, cycles, the profile cap) and the
 * `matrix` (every topology x scheduler combination validated as if it were
 * its own file: cpusets resolved against each topology, names that stay
 * unique, the variant cap).  Errors point at the entry at fault and say
 * which combination failed; the guest runs exactly these combinations, so a
 * file that compiles is one every variant of which can run.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ktstr/scenario_load.h"
#include "ktstr/topo.h"
#include "ktstr/variants.h"
#include "suggest.h"
#include "yaml_loader.h"

/* load_strlist() stores flag args and requires as STRLIST entries. */
_Static_assert(sizeof(((struct ktstr_sched_flag *)0)->args[0]) == KTSTR_STRLIST_ITEM,
	       "flag args element size");
_Static_assert(sizeof(((struct ktstr_sched_flag *)0)->requires[0]) == KTSTR_STRLIST_ITEM,
	       "flag requires element size");
_Static_assert(KTSTR_MAX_MATRIX_TOPOLOGIES <= 32 && KTSTR_MAX_MATRIX_SCHEDULERS <= 32,
	       "matrix_*_bad are 32-bit masks");

/* The value node of `key` in mapping m (own keys only), or NULL. */
static yaml_node_t *map_get(struct yaml_loader *ld, yaml_node_t *m, const char *key)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = node_at(ld, pr->key);

		if (is_scalar(k) && !strcmp(text(k), key))
			return node_at(ld, pr->value);
	}
	return NULL;
}

/* Item i of sequence n, or NULL. */
static yaml_node_t *seq_get(struct yaml_loader *ld, yaml_node_t *n, unsigned i)
{
	if (!n || n->type != YAML_SEQUENCE_NODE ||
	    (size_t)(n->data.sequence.items.top - n->data.sequence.items.start) <= i)
		return NULL;
	return node_at(ld, n->data.sequence.items.start[i]);
}

/* Where flags[i].requires[k] is written; the flag itself when it cannot be found. */
static struct ktstr_src_loc requires_loc(struct yaml_loader *ld, yaml_node_t *flags,
					 const struct ktstr_sched_flag *f, unsigned i, unsigned k)
{
	yaml_node_t *item = seq_get(ld, map_get(ld, seq_get(ld, flags, i), "requires"), k);

	return item ? loc_of(item) : f->loc;
}

static int flag_index(const struct ktstr_scheduler_spec *sc, const char *name)
{
	for (unsigned i = 0; i < sc->n_flags; i++)
		if (!strcmp(sc->flags[i].name, name))
			return (int)i;
	return -1;
}

/*
 * A requires cycle through flag `at`, depth first; path holds the flags on
 * the way.  Returns the cycle's length (its flags are path[0..len)), or 0.
 */
static unsigned find_cycle(const struct ktstr_scheduler_spec *sc, unsigned at, unsigned *path,
			   unsigned depth)
{
	const struct ktstr_sched_flag *f = &sc->flags[at];

	path[depth] = at;
	for (unsigned k = 0; k < f->n_requires; k++) {
		int j = flag_index(sc, f->requires[k]);
		unsigned n;

		if (j < 0)
			continue;
		if ((unsigned)j == path[0])
			return depth + 1;
		/* only cycles back to path[0]: each start flag reports its own */
		bool seen = false;

		for (unsigned d = 0; d <= depth; d++)
			seen |= path[d] == (unsigned)j;
		if (seen || depth + 1 >= KTSTR_MAX_SCHED_FLAGS)
			continue;
		n = find_cycle(sc, (unsigned)j, path, depth + 1);
		if (n)
			return n;
	}
	return 0;
}

void ktstr_yaml_finish_flags(struct yaml_loader *ld, struct ktstr_scheduler_spec *sc,
			     const struct pairs *p)
{
	const struct pair *fp = pairs_find(p, "flags");
	const char *names[KTSTR_MAX_SCHED_FLAGS];
	unsigned extra_args = 0, profiles, path[KTSTR_MAX_SCHED_FLAGS];
	bool cyclic = false;
	char sugg[KTSTR_MAX_SCHED_FLAGS * KTSTR_NAME_MAX + 32];

	if (!fp || !sc->n_flags)
		return;
	if (!strcasecmp(sc->value, "eevdf") && pairs_find(p, "name")) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(fp->key),
				"scheduler flags need a sched_ext scheduler: eevdf has no command "
				"line for a flag's args");
		return;
	}
	for (unsigned i = 0; i < sc->n_flags; i++) {
		const struct ktstr_sched_flag *f = &sc->flags[i];

		names[i] = f->name;
		extra_args += f->n_args;
		if (!f->name[0])
			continue;  /* missing or bad name: reported by the schema walk */
		if (!strcmp(f->name, "default"))
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, f->loc,
					"flag name 'default' is reserved: it names the profile without "
					"flags; rename the flag");
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(sc->flags[j].name, f->name)) {
				ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, f->loc,
						"duplicate flag name '%s' (first declared at line %u)",
						f->name, sc->flags[j].loc.line);
				break;
			}
	}
	for (unsigned i = 0; i < sc->n_flags; i++) {
		const struct ktstr_sched_flag *f = &sc->flags[i];

		for (unsigned k = 0; k < f->n_requires; k++) {
			size_t off;

			if (flag_index(sc, f->requires[k]) >= 0)
				continue;
			off = (size_t)snprintf(sugg, sizeof(sugg), "; its flags:");
			for (unsigned j = 0; j < sc->n_flags && off < sizeof(sugg); j++)
				off += (size_t)snprintf(sugg + off, sizeof(sugg) - off, "%s %s",
							j ? "," : "", names[j]);
			if (ktstr_suggest(f->requires[k], names, sc->n_flags))
				ktstr_yaml_suggestion(f->requires[k], names, sc->n_flags, "", sugg,
						      sizeof(sugg));
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR,
					requires_loc(ld, fp->val, f, i, k),
					"flag '%s' requires unknown flag '%s'%s", f->name,
					f->requires[k], sugg);
		}
	}
	for (unsigned i = 0; i < sc->n_flags && !cyclic; i++) {
		unsigned n = find_cycle(sc, i, path, 0);
		char chain[KTSTR_MAX_SCHED_FLAGS * (KTSTR_NAME_MAX + 4) + KTSTR_NAME_MAX];
		size_t off = 0;

		if (!n)
			continue;
		cyclic = true;
		for (unsigned d = 0; d < n && off < sizeof(chain); d++)
			off += (size_t)snprintf(chain + off, sizeof(chain) - off, "%s -> ",
						sc->flags[path[d]].name);
		if (off < sizeof(chain))
			snprintf(chain + off, sizeof(chain) - off, "%s", sc->flags[i].name);
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, sc->flags[i].loc,
				"flag requires cycle: %s; a flag cannot require itself, directly or "
				"through others", chain);
	}
	if (sc->n_args + extra_args > KTSTR_MAX_SCHED_ARGS)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(fp->key),
				"the scheduler's %u args plus the %u args of its flags exceed %d, the "
				"most a scheduler command line may have",
				sc->n_args, extra_args, KTSTR_MAX_SCHED_ARGS);
	profiles = ktstr_sched_profiles(sc, NULL, 0);
	if (!cyclic && profiles > KTSTR_MAX_FLAG_PROFILES)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(fp->key),
				"%u flags give %u profiles; at most %d per scheduler are supported "
				"(use 'requires' to tie flags together, or fewer flags)",
				sc->n_flags, profiles, KTSTR_MAX_FLAG_PROFILES);
}

/* ---- matrix ---------------------------------------------------------------- */

bool ktstr_yaml_has_matrix_topology(struct yaml_loader *ld, yaml_node_t *root)
{
	return map_get(ld, map_get(ld, root, "matrix"), "topology") != NULL;
}

/* Every cpuset of the scenario, resolved against matrix topology entry i. */
static void resolve_against(struct yaml_loader *ld, unsigned i)
{
	const struct ktstr_scenario *s = ld->s;
	const struct ktstr_topology *t = &s->matrix.topos[i];
	struct ktstr_topo_map map;
	struct ktstr_cpuset cpus;
	char label[32], why[256];

	ktstr_topology_label(t, label, sizeof(label));
	ktstr_topo_map_from_spec(t, &map);
	for (unsigned c = 0; c < s->n_cgroups; c++) {
		const struct ktstr_cpuset_spec *cs = &s->cgroups[c].cpuset;

		if (cs->kind != KTSTR_CPUSET_NONE &&
		    ktstr_cpuset_resolve(cs, &map, &cpus, why, sizeof(why)))
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, s->matrix.topo_locs[i],
					"matrix topology entry %u (%s): cgroup '%s' (cpuset at line %u): "
					"CpusetSpec validation failed: %s",
					i + 1, label, s->cgroups[c].name, cs->loc.line, why);
	}
	for (unsigned st = 0; st < s->n_steps; st++)
		for (unsigned o = 0; o < s->steps[st].n_ops; o++) {
			const struct ktstr_op *op = &s->steps[st].ops[o];

			if (op->kind == KTSTR_OP_SET_CPUSET && op->cpuset.kind != KTSTR_CPUSET_NONE &&
			    ktstr_cpuset_resolve(&op->cpuset, &map, &cpus, why, sizeof(why)))
				ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, s->matrix.topo_locs[i],
						"matrix topology entry %u (%s): step %u set_cpuset of "
						"cgroup '%s' (line %u): CpusetSpec validation failed: %s",
						i + 1, label, st + 1, op->cgroup, op->cpuset.loc.line,
						why);
		}
}

static void finish_matrix_topologies(struct yaml_loader *ld)
{
	const struct ktstr_matrix *m = &ld->s->matrix;
	char a[32], b[32];

	for (unsigned i = 0; i < m->n_topos; i++) {
		if (ld->matrix_topo_bad & (1u << i))
			continue;      /* already reported; resolving would only add noise */
		ktstr_topology_label(&m->topos[i], a, sizeof(a));
		for (unsigned j = 0; j < i; j++) {
			ktstr_topology_label(&m->topos[j], b, sizeof(b));
			if (!strcmp(a, b)) {
				ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, m->topo_locs[i],
						"matrix topology entries %u and %u are both %s: variant "
						"names must differ; list each CPU layout once", j + 1,
						i + 1, a);
				break;
			}
		}
		resolve_against(ld, i);
	}
}

static void finish_matrix_schedulers(struct yaml_loader *ld, const struct pairs *top)
{
	const struct ktstr_matrix *m = &ld->s->matrix;
	const struct pair *own = pairs_find(top, "scheduler");
	char a[KTSTR_NAME_MAX], b[KTSTR_NAME_MAX];

	if (!m->n_scheds)
		return;
	if (own)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(own->key),
				"'scheduler' and matrix 'scheduler' both given (the matrix's at line "
				"%u); list every scheduler in the matrix and drop this one",
				m->scheds[0].loc.line);
	for (unsigned i = 0; i < m->n_scheds; i++) {
		const struct ktstr_scheduler_spec *sc = &m->scheds[i];

		if (ld->matrix_sched_bad & (1u << i))
			continue;      /* already reported */
		ktstr_sched_variant_label(sc, a, sizeof(a));
		for (unsigned j = 0; j < i; j++) {
			if (ld->matrix_sched_bad & (1u << j))
				continue;
			ktstr_sched_variant_label(&m->scheds[j], b, sizeof(b));
			if (!strcmp(a, b)) {
				ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, sc->loc,
						"matrix scheduler entries %u and %u are both '%s': "
						"variant names must differ; for the same scheduler with "
						"other arguments use its 'flags'", j + 1, i + 1, a);
				break;
			}
		}
		if (ld->s->expect_err && sc->kind == KTSTR_SCHED_EEVDF)
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, sc->loc,
					"matrix scheduler entry %u is eevdf, but expect_err needs a "
					"sched_ext scheduler in every variant", i + 1);
	}
}

void ktstr_yaml_finish_matrix(struct yaml_loader *ld, const struct pairs *top)
{
	const struct pair *mp = pairs_find(top, "matrix");
	const struct ktstr_scenario *s = ld->s;
	unsigned n, longest = 0;
	struct ktstr_variant v;

	if (mp && mp->val->type == YAML_MAPPING_NODE) {
		if (!map_get(ld, mp->val, "topology") && !map_get(ld, mp->val, "scheduler")) {
			ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, loc_of(mp->val),
					"matrix needs 'topology' or 'scheduler': a list of topologies "
					"or schedulers to run the scenario under");
			return;
		}
		finish_matrix_topologies(ld);
		finish_matrix_schedulers(ld, top);
	}
	n = ktstr_scenario_variant_count(s);
	if (n > KTSTR_MAX_VARIANTS) {
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, mp ? loc_of(mp->key) : s->sched.loc,
				"the scenario has %u variants (topologies: %u, schedulers: %u, flag "
				"profiles included); at most %d are supported", n,
				s->matrix.n_topos ? s->matrix.n_topos : 1,
				s->matrix.n_scheds ? s->matrix.n_scheds : 1, KTSTR_MAX_VARIANTS);
		return;
	}
	/* names are built with snprintf: one that fills the buffer may have been cut */
	for (unsigned i = 0; i < n; i++)
		if (!ktstr_scenario_variant_get(s, i, &v) && strlen(v.name) > longest)
			longest = (unsigned)strlen(v.name);
	if (longest >= KTSTR_VARIANT_NAME_MAX - 1)
		ktstr_diags_add(ld->d, KTSTR_DIAG_ERROR, mp ? loc_of(mp->key) : s->sched.loc,
				"a variant name would be longer than %d characters; use shorter "
				"scheduler or flag names", KTSTR_VARIANT_NAME_MAX - 2);
}
