/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scenario's cgroups under <root>/ktstr: creation with the controllers
 * the scenario needs, cpuset writes, task placement, removal.  Every failure
 * becomes one line in the troubleshooting guide's shape:
 *   cgroup 'cg_0': set cpuset.cpus='0-1' (requires +cpuset in parent
 *   cgroup.subtree_control): No such file or directory
 */
#ifndef AGENT_CGROUPS_H
#define AGENT_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ktstr/error.h"
#include "ktstr/scenario.h"
#include "ktstr/topo.h"

#define AGENT_CGROUP_BASE "ktstr"

struct agent_cgroups {
	char root[128];            /* the cgroup2 mount, "/sys/fs/cgroup" */
	char base[160];            /* root/ktstr */
	bool base_created;
	const struct ktstr_scenario *s;    /* what decides the controllers a parent hands down */
	unsigned n;                /* scenario cgroups alive, in creation order */
	char names[KTSTR_MAX_LIVE_CGROUPS][KTSTR_CGPATH_MAX];
};

/*
 * Why a write to `file` may have failed with `code` (negative errno), as a
 * parenthesised hint, or "" when there is nothing useful to add.
 */
const char *agent_cgroup_hint(const char *file, int code);

/* Fill err with the "cgroup 'NAME': set FILE='VALUE' (hint): strerror" line. */
int agent_cgroup_set_error(struct ktstr_err *err, int code, const char *name, const char *file,
			   const char *value);

/* root/ktstr/name/file (name NULL: root/ktstr/file).  -ENAMETOOLONG if too long. */
int agent_cgroup_path(const struct agent_cgroups *c, const char *name, const char *file,
		      char *buf, size_t len);

/* A cgroup path the agent will turn into directories: words of [A-Za-z0-9_-] joined by '/'. */
bool agent_cgroup_name_ok(const char *name);

void agent_cgroups_init(struct agent_cgroups *c, const char *root);

/*
 * Enable +cpuset +cpu (and the controllers the scenario's knobs need) from
 * the root down and create root/ktstr.  Scenario cgroups come later, with
 * agent_cgroup_create().  Returns 0 or -errno.
 */
int agent_cgroups_setup(struct agent_cgroups *c, const struct ktstr_scenario *s,
			struct ktstr_err *err);

/*
 * Create a scenario cgroup (its parent must exist; a nested parent first
 * gets the controllers its children need in cgroup.subtree_control).
 */
int agent_cgroup_create(struct agent_cgroups *c, const char *name, struct ktstr_err *err);

/* Whether a scenario cgroup exists (was created and not removed). */
bool agent_cgroup_exists(const struct agent_cgroups *c, const char *name);

/* Move every task left in the cgroup to the root cgroup, then remove it. */
int agent_cgroup_remove(struct agent_cgroups *c, const char *name, struct ktstr_err *err);

/* Write each knob (ktstr_knob_name(id) = value). */
int agent_cgroup_apply_knobs(const struct agent_cgroups *c, const char *name,
			     const struct ktstr_knob *knobs, unsigned n, struct ktstr_err *err);

/* cgroup.freeze, then wait (bounded) until cgroup.events says so. */
int agent_cgroup_freeze(const struct agent_cgroups *c, const char *name, bool freeze,
			struct ktstr_err *err);

/* Move every task of `from` into `to` (tasks that exit meanwhile are skipped). */
int agent_cgroup_move_all(const struct agent_cgroups *c, const char *from, const char *to,
			  struct ktstr_err *err);

/* Write value to a scenario cgroup's file; errors in the shape above. */
int agent_cgroup_set(const struct agent_cgroups *c, const char *name, const char *file,
		     const char *value, struct ktstr_err *err);

/*
 * Resolve spec against m and write cpuset.cpus; KTSTR_CPUSET_NONE (and
 * clear) writes the empty list, which in cgroup v2 means "inherit".
 */
int agent_cgroup_apply_cpuset(const struct agent_cgroups *c, const char *name,
			      const struct ktstr_cpuset_spec *spec, const struct ktstr_topo_map *m,
			      struct ktstr_err *err);

/* Move pid into the cgroup (cgroup.procs). */
int agent_cgroup_add_pid(const struct agent_cgroups *c, const char *name, pid_t pid,
			 struct ktstr_err *err);

/* Read a file of a scenario cgroup (trimmed).  Returns length or -errno. */
int agent_cgroup_read(const struct agent_cgroups *c, const char *name, const char *file,
		      char *buf, size_t len);

/*
 * Remove what setup created, children first.  Tasks must be gone.  Returns
 * the number of directories that could not be removed.
 */
int agent_cgroups_teardown(struct agent_cgroups *c);

#endif /* AGENT_CGROUPS_H */
