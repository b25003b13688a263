// SPDX-License-Identifier: GPL-2.0-only
/* Scenario cgroups in cgroup v2. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "fileio.h"


const char *agent_cgroup_hint(const char *file, int code)
{
	if (code == -ENOENT) {
		if (!strncmp(file, "cpuset.", 7))
			return " (requires +cpuset in parent cgroup.subtree_control)";
		if (!strncmp(file, "cpu.", 4))
			return " (requires +cpu in parent cgroup.subtree_control)";
		if (!strcmp(file, "cgroup.subtree_control"))
			return " (controller not listed in cgroup.controllers: kernel built without it?)";
	}
	if (code == -EINVAL && !strcmp(file, "cpuset.cpus"))
		return " (names a CPU the guest does not have?)";
	if (code == -ESRCH && !strcmp(file, "cgroup.procs"))
		return " (the worker exited before it could be placed)";
	if (code == -EBUSY && !strcmp(file, "cgroup.procs"))
		return " (the move was refused: the cgroup hands controllers to children, or a BPF "
		       "scheduler's cgroup_prep_move said no)";
	if (code == -EBUSY && !strcmp(file, "cgroup.subtree_control"))
		return " (a cgroup with tasks cannot hand controllers to its children)";
	if (code == -ENOENT && (!strncmp(file, "memory.", 7) || !strncmp(file, "pids.", 5) ||
				!strncmp(file, "io.", 3)))
		return " (the controller is not enabled in the parent, or the kernel lacks it)";
	return "";
}

int agent_cgroup_set_error(struct ktstr_err *err, int code, const char *name, const char *file,
			   const char *value)
{
	char v[KTSTR_CPULIST_MAX];
	size_t n;

	/* Show the value as the user would type it: no trailing newline. */
	snprintf(v, sizeof(v), "%s", value);
	n = strlen(v);
	while (n && (v[n - 1] == '\n' || v[n - 1] == ' '))
		v[--n] = '\0';
	return ktstr_err_set(err, code, "cgroup '%s': set %s='%s'%s: %s", name, file, v,
			     agent_cgroup_hint(file, code), strerror(-code));
}

int agent_cgroup_path(const struct agent_cgroups *c, const char *name, const char *file,
		      char *buf, size_t len)
{
	int n;

	if (name)
		n = snprintf(buf, len, "%s/%s/%s", c->base, name, file);
	else
		n = snprintf(buf, len, "%s/%s", c->base, file);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

bool agent_cgroup_name_ok(const char *name)
{
	if (!name[0] || name[0] == '/')
		return false;
	for (const char *p = name; *p; p++) {
		bool word = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-';

		if (!word && !(*p == '/' && p[1] && p[1] != '/'))
			return false;
	}
	return true;
}

void agent_cgroups_init(struct agent_cgroups *c, const char *root)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->root, sizeof(c->root), "%s", root);
	snprintf(c->base, sizeof(c->base), "%s/%s", root, AGENT_CGROUP_BASE);
}

static int enable(const char *dir, const char *label, const char *ctrl, struct ktstr_err *err)
{
	char path[512];
	int ret;

	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	ret = agent_write_file(path, ctrl);
	if (ret)
		return agent_cgroup_set_error(err, ret, label, "cgroup.subtree_control", ctrl);
	return 0;
}

static int enable_controllers(const char *dir, const char *label, unsigned mask,
			      struct ktstr_err *err)
{
	static const char *const names[] = { "+cpuset", "+cpu", "+memory", "+pids", "+io" };

	/* One controller per write so a failure names the missing one. */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int ret = mask & (1u << i) ? enable(dir, label, names[i], err) : 0;

		if (ret)
			return ret;
	}
	return 0;
}

enum { CTRL_CPUSET = 1, CTRL_CPU = 2, CTRL_MEMORY = 4, CTRL_PIDS = 8, CTRL_IO = 16 };

static unsigned knob_controllers(const struct ktstr_knob *k, unsigned n)
{
	unsigned mask = 0;

	for (unsigned i = 0; i < n; i++) {
		const char *name = ktstr_knob_name(k[i].id);

		mask |= !strncmp(name, "cpu.", 4) ? CTRL_CPU : !strncmp(name, "memory.", 7) ? CTRL_MEMORY
			: !strncmp(name, "pids.", 5) ? CTRL_PIDS : !strncmp(name, "io.", 3) ? CTRL_IO : 0;
	}
	return mask;
}

/* Whether `name` lies strictly below `dir` ("a/b" under "a"). */
static bool below(const char *name, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(name, dir, n) && name[n] == '/';
}

/*
 * Controllers the children of `dir` need: cpuset for any cpuset (declared,
 * or set by an op), the knobs' own controllers.  "" is the base: every
 * top-level scenario cgroup gets cpuset and cpu, as before nesting existed.
 */
static unsigned child_needs(const struct ktstr_scenario *s, const char *dir)
{
	unsigned mask = 0;

	if (!s)
		return 0;
	for (unsigned i = 0; i < s->n_cgroups; i++) {
		const struct ktstr_cgroup_def *cg = &s->cgroups[i];

		if (!below(cg->name, dir))
			continue;
		if (cg->cpuset.kind != KTSTR_CPUSET_NONE)
			mask |= CTRL_CPUSET;
		mask |= knob_controllers(cg->knobs, cg->n_knobs);
	}
	for (unsigned i = 0; i < s->n_steps; i++)
		for (unsigned j = 0; j < s->steps[i].n_ops; j++) {
			const struct ktstr_op *op = &s->steps[i].ops[j];

			if (!below(op->cgroup, dir) && !below(op->to, dir))
				continue;
			if (op->kind == KTSTR_OP_SET_CPUSET || op->kind == KTSTR_OP_SWAP_CPUSETS ||
			    (op->kind == KTSTR_OP_ADD_CGROUP && op->cpuset.kind != KTSTR_CPUSET_NONE))
				mask |= CTRL_CPUSET;
			if (op->kind == KTSTR_OP_SET_KNOB)
				mask |= knob_controllers(&op->knob, 1);
		}
	return mask;
}

/* Controllers any knob of the scenario needs from the root down. */
static unsigned all_knob_controllers(const struct ktstr_scenario *s)
{
	unsigned mask = 0;

	for (unsigned i = 0; s && i < s->n_cgroups; i++)
		mask |= knob_controllers(s->cgroups[i].knobs, s->cgroups[i].n_knobs);
	for (unsigned i = 0; s && i < s->n_steps; i++)
		for (unsigned j = 0; j < s->steps[i].n_ops; j++)
			if (s->steps[i].ops[j].kind == KTSTR_OP_SET_KNOB)
				mask |= knob_controllers(&s->steps[i].ops[j].knob, 1);
	return mask;
}

static int make_dir(const char *path, const char *label, struct ktstr_err *err)
{
	if (mkdir(path, 0755) && errno != EEXIST)
		return ktstr_err_set(err, -errno, "cgroup '%s': mkdir %s: %s", label, path,
				     strerror(errno));
	return 0;
}

int agent_cgroups_setup(struct agent_cgroups *c, const struct ktstr_scenario *s,
			struct ktstr_err *err)
{
	unsigned mask = CTRL_CPUSET | CTRL_CPU | all_knob_controllers(s);
	int ret;

	c->s = s;
	ret = enable_controllers(c->root, "/", mask, err);
	if (ret)
		return ret;
	ret = make_dir(c->base, AGENT_CGROUP_BASE, err);
	if (ret)
		return ret;
	c->base_created = true;
	return enable_controllers(c->base, AGENT_CGROUP_BASE, mask, err);
}

bool agent_cgroup_exists(const struct agent_cgroups *c, const char *name)
{
	for (unsigned i = 0; i < c->n; i++)
		if (!strcmp(c->names[i], name))
			return true;
	return false;
}

int agent_cgroup_create(struct agent_cgroups *c, const char *name, struct ktstr_err *err)
{
	char path[512], parent[KTSTR_CGPATH_MAX];
	const char *slash = strrchr(name, '/');
	int ret;

	if (!agent_cgroup_name_ok(name))
		return ktstr_err_set(err, -EINVAL, "cgroup '%s': not usable as a directory name",
				     name);
	if (c->n >= KTSTR_MAX_LIVE_CGROUPS)
		return ktstr_err_set(err, -E2BIG, "cgroup '%s': more than %d cgroups alive at once",
				     name, KTSTR_MAX_LIVE_CGROUPS);
	if (slash) {
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - name), name);
		if (!agent_cgroup_exists(c, parent))
			return ktstr_err_set(err, -ENOENT,
					     "cgroup '%s': its parent '%s' does not exist", name, parent);
		if (agent_path_join(path, sizeof(path), c->base, parent))
			return ktstr_err_set(err, -ENAMETOOLONG, "cgroup '%s': path too long", name);
		ret = enable_controllers(path, parent, child_needs(c->s, parent), err);
		if (ret)
			return ret;
	}
	if (agent_path_join(path, sizeof(path), c->base, name))
		return ktstr_err_set(err, -ENAMETOOLONG, "cgroup '%s': path too long", name);
	ret = make_dir(path, name, err);
	if (ret)
		return ret;
	snprintf(c->names[c->n++], sizeof(c->names[0]), "%s", name);
	return 0;
}

int agent_cgroup_set(const struct agent_cgroups *c, const char *name, const char *file,
		     const char *value, struct ktstr_err *err)
{
	char path[512];
	int ret;

	if (agent_cgroup_path(c, name, file, path, sizeof(path)))
		return ktstr_err_set(err, -ENAMETOOLONG, "cgroup '%s': path too long", name);
	ret = agent_write_file(path, value);
	if (ret)
		return agent_cgroup_set_error(err, ret, name, file, value);
	return 0;
}

int agent_cgroup_apply_cpuset(const struct agent_cgroups *c, const char *name,
			      const struct ktstr_cpuset_spec *spec, const struct ktstr_topo_map *m,
			      struct ktstr_err *err)
{
	struct ktstr_cpuset set;
	char list[KTSTR_CPULIST_MAX], why[256];

	ktstr_cpuset_zero(&set);
	if (spec && spec->kind != KTSTR_CPUSET_NONE &&
	    ktstr_cpuset_resolve(spec, m, &set, why, sizeof(why)))
		return ktstr_err_set(err, -EINVAL, "cgroup '%s': CpusetSpec validation failed: %s",
				     name, why);
	if (ktstr_cpulist_format(&set, list, sizeof(list)))
		return ktstr_err_set(err, -ENOSPC, "cgroup '%s': cpuset too long to format", name);
	/* kernfs ignores empty writes; a lone newline clears the mask. */
	if (!list[0])
		snprintf(list, sizeof(list), "\n");
	return agent_cgroup_set(c, name, "cpuset.cpus", list, err);
}

int agent_cgroup_add_pid(const struct agent_cgroups *c, const char *name, pid_t pid,
			 struct ktstr_err *err)
{
	char val[32], path[512];
	int ret;

	snprintf(val, sizeof(val), "%d", (int)pid);
	if (agent_cgroup_path(c, name, "cgroup.procs", path, sizeof(path)))
		return ktstr_err_set(err, -ENAMETOOLONG, "cgroup '%s': path too long", name);
	/* A sched_ext scheduler may refuse a move for a moment (EBUSY). */
	for (int tries = 0;; tries++) {
		ret = agent_write_file(path, val);
		if (ret != -EBUSY || tries == 3)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 100 * 1000000L }, NULL);
	}
	if (ret)
		return agent_cgroup_set_error(err, ret, name, "cgroup.procs", val);
	return 0;
}

int agent_cgroup_read(const struct agent_cgroups *c, const char *name, const char *file,
		      char *buf, size_t len)
{
	char path[512];

	if (agent_cgroup_path(c, name, file, path, sizeof(path)))
		return -ENAMETOOLONG;
	return agent_read_file(path, buf, len);
}


/* Every PID listed in dir/cgroup.procs goes to dest (a cgroup.procs path). */
static int move_procs(const char *procs, const char *dest, const char *label, struct ktstr_err *err)
{
	char buf[8192], *save = NULL;
	int ret = agent_read_file(procs, buf, sizeof(buf));

	if (ret < 0)
		return ret == -ENOENT ? 0 : ktstr_err_set(err, ret, "cgroup '%s': read %s: %s",
							 label, procs, strerror(-ret));
	for (char *tok = strtok_r(buf, "\n", &save); tok; tok = strtok_r(NULL, "\n", &save)) {
		ret = agent_write_file(dest, tok);
		if (ret && ret != -ESRCH)
			return agent_cgroup_set_error(err, ret, label, "cgroup.procs", tok);
	}
	return 0;
}

int agent_cgroup_move_all(const struct agent_cgroups *c, const char *from, const char *to,
			  struct ktstr_err *err)
{
	char src[512], dst[512];

	if (agent_cgroup_path(c, from, "cgroup.procs", src, sizeof(src)) ||
	    agent_cgroup_path(c, to, "cgroup.procs", dst, sizeof(dst)))
		return ktstr_err_set(err, -ENAMETOOLONG, "cgroup '%s': path too long", from);
	return move_procs(src, dst, to, err);
}

int agent_cgroup_apply_knobs(const struct agent_cgroups *c, const char *name,
			     const struct ktstr_knob *knobs, unsigned n, struct ktstr_err *err)
{
	for (unsigned i = 0; i < n; i++) {
		int ret = agent_cgroup_set(c, name, ktstr_knob_name(knobs[i].id), knobs[i].value, err);

		if (ret)
			return ret;
	}
	return 0;
}

int agent_cgroup_freeze(const struct agent_cgroups *c, const char *name, bool freeze,
			struct ktstr_err *err)
{
	char events[512];
	int ret = agent_cgroup_set(c, name, "cgroup.freeze", freeze ? "1" : "0", err);

	if (ret)
		return ret;
	/* Freezing completes asynchronously; 2 s is generous even under TCG. */
	for (int tries = 0; tries < 200; tries++) {
		if (agent_cgroup_read(c, name, "cgroup.events", events, sizeof(events)) < 0)
			break;
		if (strstr(events, freeze ? "frozen 1" : "frozen 0"))
			return 0;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000000L }, NULL);
	}
	return ktstr_err_set(err, -ETIMEDOUT, "cgroup '%s': %s did not complete within 2s "
			     "(cgroup.events never showed frozen %d)", name,
			     freeze ? "freeze" : "thaw", freeze);
}

/* rmdir, retrying briefly: exiting tasks can keep a cgroup busy for a moment. */
static int remove_dir(const char *path)
{
	for (int tries = 0; tries < 20; tries++) {
		if (!rmdir(path) || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -errno;
		nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000000L }, NULL);
	}
	return -EBUSY;
}

int agent_cgroup_remove(struct agent_cgroups *c, const char *name, struct ktstr_err *err)
{
	char path[512], procs[512], root_procs[256];
	int ret;

	if (agent_path_join(path, sizeof(path), c->base, name) ||
	    agent_cgroup_path(c, name, "cgroup.procs", procs, sizeof(procs)))
		return ktstr_err_set(err, -ENAMETOOLONG, "cgroup '%s': path too long", name);
	snprintf(root_procs, sizeof(root_procs), "%s/cgroup.procs", c->root);
	/* the internal-process rule allows tasks only in the root on the way out */
	ret = move_procs(procs, root_procs, name, err);
	if (ret)
		return ret;
	ret = remove_dir(path);
	if (ret)
		return ktstr_err_set(err, ret, "cgroup '%s': rmdir %s: %s", name, path,
				     strerror(-ret));
	for (unsigned i = 0; i < c->n; i++)
		if (!strcmp(c->names[i], name)) {
			memmove(c->names[i], c->names[i + 1], (c->n - i - 1) * sizeof(c->names[0]));
			c->n--;
			break;
		}
	return 0;
}

int agent_cgroups_teardown(struct agent_cgroups *c)
{
	char path[512];
	int failed = 0;

	/* newest first: children were created after their parents */
	while (c->n) {
		c->n--;
		if (agent_path_join(path, sizeof(path), c->base, c->names[c->n]) || remove_dir(path))
			failed++;
	}
	if (c->base_created) {
		if (remove_dir(c->base))
			failed++;
		c->base_created = false;
	}
	return failed;
}
