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

/* Controllers every scenario gets; cpuset for placement, cpu for fairness knobs. */
static const char *const agent_controllers[] = { "+cpuset", "+cpu" };

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
		return " (the move was refused, e.g. by a BPF scheduler's cgroup_prep_move)";
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
	return name[0] && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

void agent_cgroups_init(struct agent_cgroups *c, const char *root)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->root, sizeof(c->root), "%s", root);
	snprintf(c->base, sizeof(c->base), "%s/%s", root, AGENT_CGROUP_BASE);
}

static int enable_controllers(const char *dir, const char *label, struct ktstr_err *err)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	/* One controller per write so a failure names the missing one. */
	for (size_t i = 0; i < sizeof(agent_controllers) / sizeof(agent_controllers[0]); i++) {
		int ret = agent_write_file(path, agent_controllers[i]);

		if (ret)
			return agent_cgroup_set_error(err, ret, label, "cgroup.subtree_control",
						      agent_controllers[i]);
	}
	return 0;
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
	char path[256];
	int ret;

	ret = enable_controllers(c->root, "/", err);
	if (ret)
		return ret;
	ret = make_dir(c->base, AGENT_CGROUP_BASE, err);
	if (ret)
		return ret;
	c->base_created = true;
	ret = enable_controllers(c->base, AGENT_CGROUP_BASE, err);
	if (ret)
		return ret;
	for (unsigned i = 0; i < s->n_cgroups; i++) {
		const char *name = s->cgroups[i].name;

		if (!agent_cgroup_name_ok(name))
			return ktstr_err_set(err, -EINVAL,
					     "cgroup '%s': not usable as a directory name", name);
		if (agent_path_join(path, sizeof(path), c->base, name))
			return ktstr_err_set(err, -ENAMETOOLONG, "cgroup '%s': path too long", name);
		ret = make_dir(path, name, err);
		if (ret)
			return ret;
		snprintf(c->names[c->n++], sizeof(c->names[0]), "%s", name);
	}
	return 0;
}

int agent_cgroup_set(const struct agent_cgroups *c, const char *name, const char *file,
		     const char *value, struct ktstr_err *err)
{
	char path[256];
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
	char val[32], path[256];
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
	char path[256];

	if (agent_cgroup_path(c, name, file, path, sizeof(path)))
		return -ENAMETOOLONG;
	return agent_read_file(path, buf, len);
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

int agent_cgroups_teardown(struct agent_cgroups *c)
{
	char path[256];
	int failed = 0;

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
