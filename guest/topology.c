// SPDX-License-Identifier: GPL-2.0-only
/* Topology from sysfs: CPUs, caches, cores, packages, NUMA nodes. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "topology.h"

#define MAX_CACHE_INDEX 16

static int read_cpulist(struct ktstr_cpuset *out, struct ktstr_err *err, const char *path)
{
	char buf[1024];
	int ret = agent_read_file(path, buf, sizeof(buf));

	if (ret < 0)
		return ktstr_err_set(err, ret, "read %s: %s", path, strerror(-ret));
	if (ktstr_cpulist_parse(buf, out))
		return ktstr_err_set(err, -EINVAL, "read %s: '%s' is not a cpulist", path, buf);
	return 0;
}

static int read_int(const char *path, int *out, struct ktstr_err *err)
{
	long v;
	int ret = agent_read_long(path, &v);

	if (ret < 0)
		return ktstr_err_set(err, ret, "read %s: %s", path, strerror(-ret));
	*out = (int)v;
	return 0;
}

/*
 * The LLC is cache/index3 on x86; other machines (or QEMU models without an
 * L3) expose fewer levels, so fall back to the highest index present.  No
 * cache directory at all: the CPU is its own LLC.
 */
static int read_llc(const char *cpudir, struct agent_cpu *c, struct ktstr_err *err)
{
	char path[512];
	int best = -1;

	for (int i = 0; i < MAX_CACHE_INDEX; i++) {
		snprintf(path, sizeof(path), "%s/cache/index%d/shared_cpu_list", cpudir, i);
		if (access(path, R_OK) == 0) {
			best = i;
			if (i == 3)
				break;
		}
	}
	if (best < 0) {
		ktstr_cpuset_zero(&c->llc);
		ktstr_cpuset_set(&c->llc, c->cpu);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/cache/index%d/shared_cpu_list", cpudir, best);
	return read_cpulist(&c->llc, err, path);
}

/* node<N>/cpulist for every node; CPUs of no node stay on node 0. */
static int read_nodes(const char *sysfs_root, struct agent_topo *t, struct ktstr_err *err)
{
	char dir[256], path[512];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	snprintf(dir, sizeof(dir), "%s/devices/system/node", sysfs_root);
	d = opendir(dir);
	if (!d)
		return 0;          /* CONFIG_NUMA=n: one node */
	while ((de = readdir(d))) {
		struct ktstr_cpuset cpus;
		char *end;
		long node;

		if (strncmp(de->d_name, "node", 4))
			continue;
		node = strtol(de->d_name + 4, &end, 10);
		if (end == de->d_name + 4 || *end || node < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/cpulist", dir, de->d_name);
		ret = read_cpulist(&cpus, err, path);
		if (ret)
			break;
		for (unsigned i = 0; i < t->n; i++)
			if (ktstr_cpuset_test(&cpus, t->cpus[i].cpu))
				t->cpus[i].node = (int)node;
	}
	closedir(d);
	return ret;
}

static int read_meminfo(const char *proc_root, struct agent_topo *t, struct ktstr_err *err)
{
	char path[256], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/meminfo", proc_root);
	f = fopen(path, "re");
	if (!f)
		return ktstr_err_set(err, -errno, "read %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned long long kb;

		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1) {
			t->mem_total_kb = kb;
			break;
		}
	}
	fclose(f);
	return 0;
}

static void read_scx(const char *sysfs_root, struct agent_topo *t)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/kernel/sched_ext", sysfs_root);
	t->scx_present = access(path, F_OK) == 0;
	snprintf(t->scx_state, sizeof(t->scx_state), "absent");
	if (t->scx_present &&
	    agent_read_filef(t->scx_state, sizeof(t->scx_state), "%s/state", path) < 0)
		snprintf(t->scx_state, sizeof(t->scx_state), "unknown");
}

int agent_topo_read(const char *sysfs_root, const char *proc_root, struct agent_topo *t,
		    struct ktstr_err *err)
{
	char path[512], cpudir[256];
	int ret;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s/devices/system/cpu/online", sysfs_root);
	ret = read_cpulist(&t->online, err, path);
	if (ret)
		return ret;
	for (unsigned cpu = 0; cpu < KTSTR_MAX_CPUS; cpu++) {
		struct agent_cpu *c;

		if (!ktstr_cpuset_test(&t->online, cpu))
			continue;
		c = &t->cpus[t->n++];
		c->cpu = cpu;
		snprintf(cpudir, sizeof(cpudir), "%s/devices/system/cpu/cpu%u", sysfs_root, cpu);
		snprintf(path, sizeof(path), "%s/topology/physical_package_id", cpudir);
		ret = read_int(path, &c->package, err);
		if (!ret) {
			snprintf(path, sizeof(path), "%s/topology/core_id", cpudir);
			ret = read_int(path, &c->core_id, err);
		}
		if (!ret) {
			snprintf(path, sizeof(path), "%s/topology/thread_siblings_list", cpudir);
			ret = read_cpulist(&c->siblings, err, path);
		}
		if (!ret)
			ret = read_llc(cpudir, c, err);
		if (ret)
			return ret;
	}
	if (!t->n)
		return ktstr_err_set(err, -ENODEV, "%s/devices/system/cpu/online lists no CPU",
				     sysfs_root);
	ret = read_nodes(sysfs_root, t, err);
	if (!ret)
		ret = read_meminfo(proc_root, t, err);
	read_scx(sysfs_root, t);
	return ret;
}

static json_t *cpulist_json(const struct ktstr_cpuset *s)
{
	char buf[1024];

	if (ktstr_cpulist_format(s, buf, sizeof(buf)))
		return NULL;
	return json_string(buf);
}

json_t *agent_topo_json(const struct agent_topo *t)
{
	json_t *cpus = json_array(), *obj;

	if (!cpus)
		return NULL;
	for (unsigned i = 0; i < t->n; i++) {
		const struct agent_cpu *c = &t->cpus[i];

		if (json_array_append_new(cpus, json_pack("{s:I,s:i,s:i,s:i,s:o,s:o}",
							  "cpu", (json_int_t)c->cpu,
							  "package", c->package,
							  "core", c->core_id,
							  "node", c->node,
							  "llc", cpulist_json(&c->llc),
							  "siblings", cpulist_json(&c->siblings)))) {
			json_decref(cpus);
			return NULL;
		}
	}
	obj = json_pack("{s:I,s:o,s:o,s:I,s:{s:b,s:s}}",
			"nr_cpus", (json_int_t)t->n,
			"online", cpulist_json(&t->online),
			"cpus", cpus,
			"mem_total_kb", (json_int_t)t->mem_total_kb,
			"sched_ext", "present", t->scx_present, "state", t->scx_state);
	return obj;
}

void agent_topo_to_map(const struct agent_topo *t, struct ktstr_topo_map *m)
{
	/* Representatives of each dense index seen so far. */
	struct ktstr_cpuset llc_seen[KTSTR_MAX_CPUS];
	int core_pkg[KTSTR_MAX_CPUS], core_id[KTSTR_MAX_CPUS];
	unsigned n_cores = 0;
	int max_node = -1;

	memset(m, 0, sizeof(*m));
	m->n = t->n;
	for (unsigned i = 0; i < t->n; i++) {
		const struct agent_cpu *c = &t->cpus[i];
		struct ktstr_cpu_info *ci = &m->cpus[i];
		unsigned j;

		ci->cpu = c->cpu;
		for (j = 0; j < m->n_llcs; j++)
			if (ktstr_cpuset_equal(&llc_seen[j], &c->llc))
				break;
		if (j == m->n_llcs)
			llc_seen[m->n_llcs++] = c->llc;
		ci->llc = (int)j;
		for (j = 0; j < n_cores; j++)
			if (core_pkg[j] == c->package && core_id[j] == c->core_id)
				break;
		if (j == n_cores) {
			core_pkg[n_cores] = c->package;
			core_id[n_cores++] = c->core_id;
		}
		ci->core = (int)j;
		ci->node = c->node;
		if (c->node > max_node)
			max_node = c->node;
	}
	/* Node ids are what cpuset specs name, so count up to the highest. */
	m->n_nodes = (unsigned)(max_node + 1);
}
