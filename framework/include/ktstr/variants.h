/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Variants: the runs one scenario file stands for.
 *
 * A scenario with a `matrix` (topologies and/or schedulers) or a scheduler
 * with `flags` runs once per combination: topology x scheduler x that
 * scheduler's flag profile.  Each combination is a variant, with its own
 * CTest test `ktstr/NAME@VARIANT`.  The host (`ktstr compile`, the scenario
 * executable) and the guest agent enumerate and apply variants with these
 * functions on the same loaded scenario, so `--variant=X` on the host and
 * `ktstr.variant=X` in the guest mean the same run.
 *
 * Names (stable: they depend only on the file, never on the host):
 *   the parts that vary, joined by '+', in this order:
 *     topology   the topology's label, "1n2l2c1t"      (matrix.topology)
 *     scheduler  "eevdf", the name, or a path's file   (matrix.scheduler)
 *                name; characters outside [A-Za-z0-9_.-] become '_'
 *     profile    "default", or the profile's flags     (the scheduler has flags)
 *                sorted by name and joined by '+'
 *   e.g. "1n2l2c1t", "1n2l2c1t+scx_simple", "1n1l2c1t+scx_ktstr+patient+slow",
 *   "default".  Order: topologies in file order, then schedulers in file
 *   order, then profiles (fewest flags first, then by name).
 * A scenario without matrix and flags has no variants (count 0) and runs as
 * it always did.
 */
#ifndef KTSTR_VARIANTS_H
#define KTSTR_VARIANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ktstr/scenario.h"

/* topo / sched of a variant that uses the scenario's own topology / scheduler */
#define KTSTR_VARIANT_OWN UINT32_MAX

struct ktstr_variant {
	unsigned index;                       /* 0-based, in enumeration order */
	char name[KTSTR_VARIANT_NAME_MAX];
	char topology[32];                    /* its topology's label */
	char scheduler[KTSTR_NAME_MAX];       /* its scheduler's label */
	char profile[KTSTR_VARIANT_NAME_MAX]; /* its flag profile; "" when the scheduler has no flags */
	uint32_t topo;                        /* index into matrix.topos, or KTSTR_VARIANT_OWN */
	uint32_t sched;                       /* index into matrix.scheds, or KTSTR_VARIANT_OWN */
	uint32_t flags;                       /* bit i: the scheduler's flags[i] is on */
};

/*
 * The flag profiles of sc: every subset of its flags that contains each
 * member's `requires` (unknown names are ignored: the loader reports them),
 * as bit masks, in order (fewest flags first, then by display name).  Fills
 * up to max masks and returns how many profiles there are (1, the empty
 * `default`, without flags).
 */
unsigned ktstr_sched_profiles(const struct ktstr_scheduler_spec *sc, uint32_t *masks,
			      unsigned max);

/* "default", or the flags of mask sorted by name joined by '+'. */
void ktstr_sched_profile_name(const struct ktstr_scheduler_spec *sc, uint32_t mask, char *buf,
			      size_t len);

/* The scheduler's variant name part: "eevdf", its name, or its path's file name, sanitised. */
void ktstr_sched_variant_label(const struct ktstr_scheduler_spec *sc, char *buf, size_t len);

/* Variants of the scenario; 0 when it has neither a matrix nor scheduler flags. */
unsigned ktstr_scenario_variant_count(const struct ktstr_scenario *s);

/* Variant i (0-based).  0, or -ERANGE. */
int ktstr_scenario_variant_get(const struct ktstr_scenario *s, unsigned i, struct ktstr_variant *v);

/* The variant called name.  0, or -ENOENT. */
int ktstr_scenario_variant_find(const struct ktstr_scenario *s, const char *name,
				struct ktstr_variant *v);

/*
 * Make s that variant: its topology and scheduler replace the scenario's,
 * its flags' args are appended to the scheduler's args (flag declaration
 * order), and s->variant names it.  0; -EALREADY when a variant was already
 * applied; -E2BIG when the args do not fit (the loader rejects such files).
 */
int ktstr_scenario_variant_apply(struct ktstr_scenario *s, const struct ktstr_variant *v);

/* "1n2l2c1t+scx_simple, 1n2l2c1t+eevdf, ..." (truncated with "..." to len). */
void ktstr_scenario_variant_list(const struct ktstr_scenario *s, char *buf, size_t len);

#endif /* KTSTR_VARIANTS_H */
