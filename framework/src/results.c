// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoding of result frames into struct ktstr_run_result.
 *
 * The guest is untrusted: a buggy agent, a scheduler that scribbles over
 * memory, or a test that deliberately misbehaves can all put anything on the
 * port.  So every frame is decoded into a local copy, every field is type-
 * and range-checked, and only a frame that passes as a whole is applied.  A
 * rejected frame changes nothing but `frames_rejected`.
 *
 * Strings: identifiers (cgroup, work type, status, versions) must be short
 * and printable or the frame is rejected; free text (LOG/ERROR messages) is
 * truncated to fit and its control characters are replaced, so nothing the
 * guest sends can move the cursor of the terminal that shows the report.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "ktstr/results.h"

/* Upper bounds that no honest report reaches; beyond them a value is junk. */
#define MAX_NS        (1000000000ull * 86400 * 30)  /* 30 days */
#define MAX_COUNT     ((1ull << 53) - 1)            /* exact in a double */
#define MAX_TID       4194304                        /* PID_MAX_LIMIT */
#define MAX_MEM_KB    (1ull << 40)                   /* 1 PiB */

static const char *const stage_names[] = {
	[KTSTR_STAGE_NONE]              = "not started",
	[KTSTR_STAGE_QEMU_STARTED]      = "qemu started",
	[KTSTR_STAGE_KERNEL_BOOTING]    = "kernel booting",
	[KTSTR_STAGE_AGENT_STARTED]     = "agent started",
	[KTSTR_STAGE_SCENARIO_STARTED]  = "scenario started",
	[KTSTR_STAGE_SCENARIO_ENDED]    = "scenario ended",
	[KTSTR_STAGE_RESULTS]           = "results received",
};

const char *ktstr_stage_name(enum ktstr_stage s)
{
	if ((unsigned)s < sizeof(stage_names) / sizeof(stage_names[0]) && stage_names[s])
		return stage_names[s];
	return "unknown";
}

void ktstr_results_init(struct ktstr_run_result *r)
{
	memset(r, 0, sizeof(*r));
	r->stage = KTSTR_STAGE_NONE;
	r->last_progress_t_ms = -1;
}

void ktstr_results_event(struct ktstr_run_result *r, double host_s, double guest_t_ms,
			 const char *fmt, ...)
{
	struct ktstr_timeline_event *e;
	va_list ap;

	if (r->n_timeline >= KTSTR_MAX_TIMELINE)
		return;
	e = &r->timeline[r->n_timeline++];
	e->host_s = host_s;
	e->guest_t_ms = guest_t_ms;
	va_start(ap, fmt);
	vsnprintf(e->what, sizeof(e->what), fmt, ap);
	va_end(ap);
}

static void advance_stage(struct ktstr_run_result *r, enum ktstr_stage s)
{
	if (s > r->stage)
		r->stage = s;   /* stages only move forward; a late frame cannot rewind */
}

/* ---- field accessors: each returns 0 or -EINVAL ------------------------ */

static int get_uint(json_t *o, const char *key, uint64_t max, uint64_t *out)
{
	json_t *v = json_object_get(o, key);
	json_int_t i;

	if (!json_is_integer(v))
		return -EINVAL;
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > max)
		return -EINVAL;
	*out = (uint64_t)i;
	return 0;
}

static int get_uint_opt(json_t *o, const char *key, uint64_t max, uint64_t *out)
{
	if (!json_object_get(o, key)) {
		*out = 0;
		return 0;
	}
	return get_uint(o, key, max, out);
}

static int get_unsigned(json_t *o, const char *key, unsigned max, unsigned *out)
{
	uint64_t v;

	if (get_uint(o, key, max, &v))
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

static int get_int_range(json_t *o, const char *key, long long lo, long long hi, int *out)
{
	json_t *v = json_object_get(o, key);
	json_int_t i;

	if (!json_is_integer(v))
		return -EINVAL;
	i = json_integer_value(v);
	if (i < lo || i > hi)
		return -EINVAL;
	*out = (int)i;
	return 0;
}

/* Guest milliseconds: an integer or a real, finite, >= 0, < 30 days. */
static int get_ms(json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);
	double d;

	if (!json_is_number(v))
		return -EINVAL;
	d = json_number_value(v);
	if (!isfinite(d) || d < 0 || d > (double)(MAX_NS / 1000000))
		return -EINVAL;
	*out = d;
	return 0;
}

/* An identifier: string, 1..size-1 bytes, printable ASCII only. */
static int get_ident(json_t *o, const char *key, char *dst, size_t size)
{
	json_t *v = json_object_get(o, key);
	const char *s;
	size_t n;

	if (!json_is_string(v))
		return -EINVAL;
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0 || n >= size)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return -EINVAL;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

/*
 * Free text: copied, truncated to size-1 bytes on a UTF-8 boundary, with
 * C0/C1 control characters (ESC starts terminal escape sequences) replaced
 * by '?'.  Newlines and tabs survive: messages may span lines.
 */
static void copy_text(char *dst, size_t size, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f) {
			dst[o++] = '?';     /* U+0080..U+009F: C1 controls */
			i++;
		} else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			dst[o++] = '?';
		} else {
			dst[o++] = (char)c;
		}
	}
	/* Do not leave half a UTF-8 sequence at the cut. */
	if (o + 1 >= size && o > 0) {
		size_t k = o;

		while (k > 0 && ((unsigned char)dst[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && (unsigned char)dst[k - 1] >= 0xc0) {
			unsigned char lead = (unsigned char)dst[k - 1];
			size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;

			if (o - (k - 1) < need)
				o = k - 1;
		}
	}
	dst[o] = '\0';
}

static int get_text(json_t *o, const char *key, size_t max_in, char *dst, size_t size)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v) || json_string_length(v) > max_in)
		return -EINVAL;
	copy_text(dst, size, json_string_value(v), json_string_length(v));
	return 0;
}

static int get_cpulist(json_t *o, const char *key, struct ktstr_cpuset *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v) || json_string_length(v) >= KTSTR_CPULIST_MAX)
		return -EINVAL;
	return ktstr_cpulist_parse(json_string_value(v), out) ? -EINVAL : 0;
}

/* ---- per frame type ---------------------------------------------------- */

static int apply_hello(struct ktstr_run_result *r, json_t *o, double host_s)
{
	char agent[sizeof(r->agent_version)], kernel[sizeof(r->kernel_release)];
	char mode[16] = "run";
	double up_ms;

	if (get_ident(o, "agent", agent, sizeof(agent)) ||
	    get_ident(o, "kernel", kernel, sizeof(kernel)))
		return -EINVAL;
	/* "uptime_ms" is the documented key; early agents sent "t_ms". */
	if (get_ms(o, json_object_get(o, "uptime_ms") ? "uptime_ms" : "t_ms", &up_ms))
		return -EINVAL;
	if (json_object_get(o, "mode") && get_ident(o, "mode", mode, sizeof(mode)))
		return -EINVAL;

	strcpy(r->agent_version, agent);
	strcpy(r->kernel_release, kernel);
	r->hello_uptime_s = up_ms / 1000.0;
	advance_stage(r, KTSTR_STAGE_AGENT_STARTED);
	ktstr_results_event(r, host_s, -1, "agent %s up (kernel %s, uptime %.1fs, mode %s)",
			    agent, kernel, r->hello_uptime_s, mode);
	return 0;
}

struct topo_cpu {
	unsigned cpu, package, core, node;
	struct ktstr_cpuset llc, siblings;
};

static int decode_topo_cpu(json_t *c, struct topo_cpu *t)
{
	if (!json_is_object(c) ||
	    get_unsigned(c, "cpu", KTSTR_MAX_CPUS - 1, &t->cpu) ||
	    get_unsigned(c, "package", KTSTR_MAX_CPUS - 1, &t->package) ||
	    get_unsigned(c, "core", 1u << 20, &t->core) ||
	    /* node ids are the kernel's and may be sparse */
	    get_unsigned(c, "node", KTSTR_MAX_CPUS - 1, &t->node) ||
	    get_cpulist(c, "llc", &t->llc) || get_cpulist(c, "siblings", &t->siblings))
		return -EINVAL;
	/* A CPU belongs to its own LLC and sibling set. */
	if (!ktstr_cpuset_test(&t->llc, t->cpu) || !ktstr_cpuset_test(&t->siblings, t->cpu))
		return -EINVAL;
	return 0;
}

static int apply_topology(struct ktstr_run_result *r, json_t *o, double host_s)
{
	struct ktstr_guest_topology t = { 0 };
	struct ktstr_cpuset online, seen, nodes;
	json_t *cpus, *sx, *c;
	size_t i, j, n;

	if (get_unsigned(o, "nr_cpus", KTSTR_MAX_CPUS, &t.nr_cpus) || t.nr_cpus == 0 ||
	    get_cpulist(o, "online", &online) || ktstr_cpuset_count(&online) == 0 ||
	    get_uint(o, "mem_total_kb", MAX_MEM_KB, &t.mem_total_kb))
		return -EINVAL;
	cpus = json_object_get(o, "cpus");
	if (!json_is_array(cpus) || json_array_size(cpus) != t.nr_cpus)
		return -EINVAL;
	sx = json_object_get(o, "sched_ext");
	if (!json_is_object(sx) || !json_is_boolean(json_object_get(sx, "present")) ||
	    get_ident(sx, "state", t.sched_ext_state, sizeof(t.sched_ext_state)))
		return -EINVAL;
	t.sched_ext_present = json_is_true(json_object_get(sx, "present"));

	ktstr_cpuset_zero(&seen);
	ktstr_cpuset_zero(&nodes);
	n = json_array_size(cpus);
	{
		/* Per-CPU records on the stack: 256 x 80 bytes. */
		struct topo_cpu v[KTSTR_MAX_CPUS];

		json_array_foreach(cpus, i, c) {
			if (decode_topo_cpu(c, &v[i]) || ktstr_cpuset_test(&seen, v[i].cpu))
				return -EINVAL;
			ktstr_cpuset_set(&seen, v[i].cpu);
			ktstr_cpuset_set(&nodes, v[i].node);
		}
		t.numa_nodes = ktstr_cpuset_count(&nodes);
		for (i = 0; i < n; i++) {
			bool new_llc = true, new_core = true;
			unsigned sib = ktstr_cpuset_count(&v[i].siblings);

			for (j = 0; j < i; j++) {
				if (ktstr_cpuset_equal(&v[j].llc, &v[i].llc))
					new_llc = false;
				if (v[j].package == v[i].package && v[j].core == v[i].core)
					new_core = false;
			}
			t.llcs += new_llc;
			t.cores += new_core;
			if (sib > t.threads_per_core)
				t.threads_per_core = sib;
		}
	}
	t.valid = true;
	r->topo = t;
	ktstr_results_event(r, host_s, -1,
			    "guest topology: %u cpus, %u nodes, %u llcs, %u cores, %u threads/core",
			    t.nr_cpus, t.numa_nodes, t.llcs, t.cores, t.threads_per_core);
	return 0;
}

static int apply_stage(struct ktstr_run_result *r, json_t *o, double host_s)
{
	char stage[32];
	double t_ms;
	unsigned step = 0, n_steps = 0;

	if (get_ident(o, "stage", stage, sizeof(stage)) || get_ms(o, "t_ms", &t_ms))
		return -EINVAL;
	if (strcmp(stage, "scenario_start") == 0) {
		advance_stage(r, KTSTR_STAGE_SCENARIO_STARTED);
		ktstr_results_event(r, host_s, t_ms, "scenario started");
	} else if (strcmp(stage, "step") == 0) {
		/* step is 0-based; people count from 1. */
		if (get_unsigned(o, "n_steps", KTSTR_MAX_STEPS, &n_steps) || n_steps == 0 ||
		    get_unsigned(o, "step", n_steps - 1, &step))
			return -EINVAL;
		advance_stage(r, KTSTR_STAGE_SCENARIO_STARTED);
		ktstr_results_event(r, host_s, t_ms, "step %u/%u started", step + 1, n_steps);
	} else if (strcmp(stage, "scenario_end") == 0) {
		advance_stage(r, KTSTR_STAGE_SCENARIO_ENDED);
		ktstr_results_event(r, host_s, t_ms, "scenario ended");
	} else {
		return -EINVAL;
	}
	return 0;
}

static int apply_progress(struct ktstr_run_result *r, json_t *o)
{
	double t_ms;
	uint64_t units;
	unsigned alive;

	if (get_ms(o, "t_ms", &t_ms) || get_uint(o, "work_units", MAX_COUNT, &units) ||
	    get_unsigned(o, "workers_alive", KTSTR_MAX_WORKERS, &alive))
		return -EINVAL;
	/* No timeline event: progress comes several times a second. */
	r->last_progress_units = units;
	r->last_progress_t_ms = t_ms;
	r->workers_alive = alive;
	r->n_progress++;
	return 0;
}

/*
 * [[key, count], ...]: at most n_keys pairs, each key < n_keys and given
 * once, each count <= max_count; counts land in out[key] (zeroed first)
 * and add up to *total.
 */
static int get_pairs(json_t *a, unsigned n_keys, uint64_t max_count, uint64_t *out,
		     uint64_t *total)
{
	bool seen[KTSTR_WAKE_BUCKETS] = { false };
	json_t *pair;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) > n_keys || n_keys > KTSTR_WAKE_BUCKETS)
		return -EINVAL;
	memset(out, 0, n_keys * sizeof(*out));
	*total = 0;
	json_array_foreach(a, i, pair) {
		json_t *k = json_array_get(pair, 0), *c = json_array_get(pair, 1);
		json_int_t key, count;

		if (!json_is_array(pair) || json_array_size(pair) != 2 || !json_is_integer(k) ||
		    !json_is_integer(c))
			return -EINVAL;
		key = json_integer_value(k);
		count = json_integer_value(c);
		if (key < 0 || key >= (json_int_t)n_keys || seen[key] || count < 0 ||
		    (uint64_t)count > max_count)
			return -EINVAL;
		seen[key] = true;
		out[key] = (uint64_t)count;
		*total += (uint64_t)count;    /* at most 194 x 2^53: no overflow */
	}
	return 0;
}

/* "wake": the worker's wake-up latency histogram (ktstr/wakehist.h). */
static int decode_wake(json_t *v, struct ktstr_wake_hist *h)
{
	uint64_t counts[KTSTR_WAKE_BUCKETS], total;
	unsigned top = 0;

	if (!json_is_object(v) || get_uint(v, "count", MAX_COUNT, &h->count) || h->count == 0 ||
	    get_uint(v, "sum_ns", MAX_NS, &h->sum_ns) || get_uint(v, "max_ns", MAX_NS, &h->max_ns) ||
	    get_pairs(json_object_get(v, "buckets"), KTSTR_WAKE_BUCKETS, UINT32_MAX, counts,
		      &total) ||
	    total != h->count)
		return -EINVAL;
	for (unsigned b = 0; b < KTSTR_WAKE_BUCKETS; b++) {
		h->buckets[b] = (uint32_t)counts[b];
		if (counts[b])
			top = b;
	}
	/* The largest sample lies in the highest bucket that has one. */
	if (h->max_ns < ktstr_wake_bucket_lo(top) || h->max_ns >= ktstr_wake_bucket_hi(top))
		return -EINVAL;
	return 0;
}

/* The WORKER keys added after the first protocol version; all optional. */
static int decode_worker_extras(json_t *o, struct ktstr_worker_result *w)
{
	json_t *v;
	uint64_t total;

	if (json_object_get(o, "checkpoints") &&
	    (get_uint(o, "checkpoints", MAX_COUNT, &w->checkpoints) ||
	     w->migrations > w->checkpoints))
		return -EINVAL;    /* a migration is seen at a checkpoint */
	if ((v = json_object_get(o, "nodes")) &&
	    (get_pairs(v, KTSTR_MAX_NUMA_NODES, MAX_COUNT, w->node_checkpoints, &total) ||
	     total > w->checkpoints))
		return -EINVAL;
	if (json_object_get(o, "allowed")) {
		/* a task always has some CPU it may run on */
		if (get_cpulist(o, "allowed", &w->allowed) || !ktstr_cpuset_count(&w->allowed))
			return -EINVAL;
		w->has_allowed = true;
	}
	if ((v = json_object_get(o, "schedstat"))) {
		if (!json_is_object(v) || get_uint(v, "run_ns", MAX_NS, &w->run_ns) ||
		    get_uint(v, "wait_ns", MAX_NS, &w->wait_ns) ||
		    get_uint(v, "timeslices", MAX_COUNT, &w->timeslices))
			return -EINVAL;
		w->has_schedstat = true;
	}
	if ((v = json_object_get(o, "wake")) && decode_wake(v, &w->wake))
		return -EINVAL;
	return 0;
}

static int decode_worker(json_t *o, struct ktstr_worker_result *w)
{
	memset(w, 0, sizeof(*w));
	if (get_unsigned(o, "index", KTSTR_MAX_WORKERS - 1, &w->index) ||
	    get_int_range(o, "tid", 1, MAX_TID, &w->tid) ||
	    get_ident(o, "cgroup", w->cgroup, sizeof(w->cgroup)) ||
	    (json_object_get(o, "group") &&
	     get_unsigned(o, "group", KTSTR_SPAWN_GROUP_BASE + KTSTR_MAX_OP_GROUPS - 1,
			  &w->group)) ||
	    get_ident(o, "work", w->work, sizeof(w->work)) ||
	    get_uint(o, "work_units", MAX_COUNT, &w->work_units) ||
	    get_uint(o, "cpu_ns", MAX_NS, &w->cpu_ns) ||
	    get_uint(o, "wall_ns", MAX_NS, &w->wall_ns) ||
	    get_uint(o, "max_gap_ns", MAX_NS, &w->max_gap_ns) ||
	    get_int_range(o, "max_gap_cpu", -1, KTSTR_MAX_CPUS - 1, &w->max_gap_cpu) ||
	    get_uint(o, "max_gap_at_ns", MAX_NS, &w->max_gap_at_ns) ||
	    get_uint(o, "migrations", MAX_COUNT, &w->migrations) ||
	    get_cpulist(o, "cpus", &w->cpus_used) ||
	    get_uint_opt(o, "nvcsw", MAX_COUNT, &w->nvcsw) ||
	    get_uint_opt(o, "nivcsw", MAX_COUNT, &w->nivcsw) ||
	    get_ident(o, "status", w->status, sizeof(w->status)))
		return -EINVAL;
	if (json_object_get(o, "cpuset")) {
		if (get_cpulist(o, "cpuset", &w->cpuset))
			return -EINVAL;
		w->has_cpuset = true;
	}
	if (strcmp(w->status, "ok") && strcmp(w->status, "killed") &&
	    strcmp(w->status, "crashed"))
		return -EINVAL;
	/* A gap is a stretch of the worker's own run: it cannot outlast it. */
	if (w->max_gap_ns > w->wall_ns)
		return -EINVAL;
	return decode_worker_extras(o, w);
}

static int apply_worker(struct ktstr_run_result *r, json_t *o, double host_s)
{
	struct ktstr_worker_result w;

	if (decode_worker(o, &w))
		return -EINVAL;
	if (r->n_workers >= KTSTR_MAX_WORKERS)
		return -EINVAL;
	for (unsigned i = 0; i < r->n_workers; i++)
		if (r->workers[i].index == w.index)
			return -EINVAL;   /* duplicate: keep the first report */
	r->workers[r->n_workers++] = w;
	return 0;
}

static int apply_log(struct ktstr_run_result *r, json_t *o, double host_s)
{
	char level[16], msg[sizeof(r->last_log)];

	if (get_ident(o, "level", level, sizeof(level)) ||
	    get_text(o, "msg", 64 * 1024, msg, sizeof(msg)))
		return -EINVAL;
	memcpy(r->last_log, msg, sizeof(msg));
	/* Warnings and errors are rare and matter; info lines would flood. */
	if (strcmp(level, "warn") == 0 || strcmp(level, "error") == 0)
		ktstr_results_event(r, host_s, -1, "agent %s: %s", level, msg);
	return 0;
}

static int apply_error(struct ktstr_run_result *r, json_t *o, double host_s)
{
	char msg[sizeof(r->agent_error)];

	if (get_text(o, "msg", 64 * 1024, msg, sizeof(msg)))
		return -EINVAL;
	memcpy(r->agent_error, msg, sizeof(msg));
	ktstr_results_event(r, host_s, -1, "agent error: %s", msg);
	return 0;
}

static int apply_done(struct ktstr_run_result *r, json_t *o, double host_s)
{
	unsigned n;
	double t_ms;

	if (get_unsigned(o, "workers", KTSTR_MAX_WORKERS, &n) || get_ms(o, "t_ms", &t_ms))
		return -EINVAL;
	r->n_workers_expected = n;
	advance_stage(r, KTSTR_STAGE_RESULTS);
	ktstr_results_event(r, host_s, t_ms, "results complete: %u workers reported, %u expected",
			    r->n_workers, n);
	return 0;
}

static const char *const sched_event_names[KTSTR_SCHED_EV__COUNT] = {
	[KTSTR_SCHED_EV_LAUNCHED] = "launched",
	[KTSTR_SCHED_EV_ATTACHED] = "attached",
	[KTSTR_SCHED_EV_NOT_ATTACHED] = "not_attached",
	[KTSTR_SCHED_EV_EXITED] = "exited",
	[KTSTR_SCHED_EV_DISABLED] = "disabled",
	[KTSTR_SCHED_EV_STOPPED] = "stopped",
};

const char *ktstr_sched_event_name(enum ktstr_sched_event_kind k)
{
	return (unsigned)k < KTSTR_SCHED_EV__COUNT ? sched_event_names[k] : "?";
}

static int opt_int(json_t *o, const char *key, long long lo, long long hi, int none, int *out)
{
	if (!json_object_get(o, key)) {
		*out = none;
		return 0;
	}
	return get_int_range(o, key, lo, hi, out);
}

static int opt_ident(json_t *o, const char *key, char *dst, size_t size)
{
	dst[0] = '\0';
	return json_object_get(o, key) ? get_ident(o, key, dst, size) : 0;
}

/* A slot in sched_runs[] for instance i; NULL when i is older than the last slot kept. */
static struct ktstr_sched_run *sched_run_slot(struct ktstr_run_result *r, unsigned i)
{
	struct ktstr_sched_run *last;

	for (unsigned k = 0; k < r->n_sched_runs; k++)
		if (r->sched_runs[k].instance == i)
			return &r->sched_runs[k];
	if (r->n_sched_runs < KTSTR_MAX_SCHED_RUNS) {
		last = &r->sched_runs[r->n_sched_runs++];
	} else {
		/* Full: the newest instance takes the last slot (the one a failure ends on). */
		last = &r->sched_runs[KTSTR_MAX_SCHED_RUNS - 1];
		if (i < last->instance)
			return NULL;
		r->sched_runs_dropped++;
	}
	memset(last, 0, sizeof(*last));
	last->instance = i;
	last->op_step = -1;
	return last;
}

static const char *const sched_ops_names[] = {
	"start", "attach_scheduler", "restart_scheduler", "replace_scheduler",
	"detach_scheduler", "end",
};

static bool known_sched_op(const char *s, bool stop)
{
	/* what starts one: start, attach, restart, replace; what stops one: the last four */
	for (size_t i = stop ? 2 : 0; i < (stop ? 6 : 4); i++)
		if (!strcmp(s, sched_ops_names[i]))
			return true;
	return false;
}

/*
 * File one SCHED event under its instance (*instance).  Returns 1 when it
 * put the event on the timeline (an instance an op started: the entry
 * names it), 0 when the caller should (the scenario's own scheduler, as
 * before instances), -EINVAL when the instance fields are malformed.
 */
static int apply_sched_run(struct ktstr_run_result *r, json_t *o, enum ktstr_sched_event_kind k,
			   const struct ktstr_sched_event *e, unsigned *out_instance)
{
	struct ktstr_sched_run *run;
	char label[KTSTR_NAME_MAX] = "", op[24] = "", by[24] = "";
	unsigned instance = 0, op_step = 0;
	bool has_step = json_object_get(o, "op_step") != NULL;
	double attach_ms = 0;

	if ((json_object_get(o, "instance") && get_unsigned(o, "instance", 100000, &instance)) ||
	    opt_ident(o, "scheduler", label, sizeof(label)) || opt_ident(o, "op", op, sizeof(op)) ||
	    opt_ident(o, "by", by, sizeof(by)) ||
	    (has_step && get_unsigned(o, "op_step", KTSTR_MAX_STEPS - 1, &op_step)) ||
	    (json_object_get(o, "attach_timeout_ms") && get_ms(o, "attach_timeout_ms", &attach_ms)))
		return -EINVAL;
	if ((op[0] && !known_sched_op(op, false)) || (by[0] && !known_sched_op(by, true)))
		return -EINVAL;
	run = sched_run_slot(r, instance);
	if (!run)
		return -EINVAL;
	if (label[0] && !run->label[0])
		snprintf(run->label, sizeof(run->label), "%s", label);
	if (op[0] && !run->op[0]) {
		snprintf(run->op, sizeof(run->op), "%s", op);
		run->op_step = has_step ? (int)op_step : -1;
	}
	if (attach_ms > 0 && run->attach_timeout_ms <= 0)
		run->attach_timeout_ms = attach_ms;
	if (by[0] && !run->stopped_by[0])
		snprintf(run->stopped_by, sizeof(run->stopped_by), "%s", by);
	*out_instance = instance;
	if (run->ev[k].seen)
		return 1;          /* keep the first; a repeat is harmless (and not news) */
	run->ev[k] = *e;
	if (instance == 0 && (!run->op[0] || !strcmp(run->op, "start")))
		return 0;
	/* The timeline: what happened to which instance, and why. */
	switch (k) {
	case KTSTR_SCHED_EV_LAUNCHED: {
		char where[48] = "";

		if (run->op_step >= 0)
			snprintf(where, sizeof(where), " in step %d", run->op_step + 1);
		ktstr_results_event(r, e->host_s, e->t_ms, "scheduler #%u '%s' launched (%s%s)",
				    instance + 1, run->label, run->op, where);
		break;
	}
	case KTSTR_SCHED_EV_ATTACHED:
		ktstr_results_event(r, e->host_s, e->t_ms,
				    "scheduler #%u '%s' attached (ops '%s') %.1fs after launch",
				    instance + 1, run->label, e->ops, e->since_launch_ms / 1000.0);
		break;
	case KTSTR_SCHED_EV_DISABLED:
		ktstr_results_event(r, e->host_s, e->t_ms,
				    "sched_ext disabled scheduler #%u '%s' (state '%s')%s%s",
				    instance + 1, run->label, e->state, e->reason[0] ? ": " : "",
				    e->reason);
		break;
	default:
		ktstr_results_event(r, e->host_s, e->t_ms,
				    "scheduler #%u '%s' %s%s%s (exit code %d, signal %d)",
				    instance + 1, run->label, sched_event_names[k],
				    by[0] ? " by " : "", by, e->exit_code, e->signal);
		break;
	}
	return 1;
}

static int apply_sched(struct ktstr_run_result *r, json_t *o, double host_s)
{
	struct ktstr_sched_event e = { .seen = true, .host_s = host_s };
	char event[16];
	unsigned instance = 0;
	int k, rc;

	if (get_ident(o, "event", event, sizeof(event)) ||
	    get_ident(o, "phase", e.phase, sizeof(e.phase)) ||
	    get_ms(o, "t_ms", &e.t_ms) || get_ms(o, "since_launch_ms", &e.since_launch_ms) ||
	    get_unsigned(o, "n_steps", KTSTR_MAX_STEPS, &e.n_steps) || e.n_steps == 0 ||
	    get_unsigned(o, "step", e.n_steps, &e.step) ||
	    opt_int(o, "pid", 1, MAX_TID, 0, &e.pid) ||
	    opt_int(o, "exit_code", 0, 255, -1, &e.exit_code) ||
	    opt_int(o, "signal", 1, 64, 0, &e.signal) ||
	    opt_ident(o, "state", e.state, sizeof(e.state)) ||
	    opt_ident(o, "ops", e.ops, sizeof(e.ops)))
		return -EINVAL;
	if (json_object_get(o, "reason") &&
	    get_text(o, "reason", 64 * 1024, e.reason, sizeof(e.reason)))
		return -EINVAL;
	if (strcmp(e.phase, "load") && strcmp(e.phase, "run") && strcmp(e.phase, "end"))
		return -EINVAL;
	for (k = 0; k < KTSTR_SCHED_EV__COUNT; k++)
		if (!strcmp(event, sched_event_names[k]))
			break;
	if (k == KTSTR_SCHED_EV__COUNT)
		return -EINVAL;
	if (k == KTSTR_SCHED_EV_ATTACHED && !e.ops[0])
		return -EINVAL;
	rc = apply_sched_run(r, o, (enum ktstr_sched_event_kind)k, &e, &instance);
	if (rc < 0)
		return rc;
	if (instance != 0 || r->sched_ev[k].seen)
		return 0;          /* keep the first; a repeat is harmless */
	r->sched_ev[k] = e;
	if (rc == 1)
		return 0;          /* on the timeline already, with its instance */
	switch (k) {
	case KTSTR_SCHED_EV_ATTACHED:
		ktstr_results_event(r, host_s, -1, "scheduler attached (ops '%s') %.1fs after launch",
				    e.ops, e.since_launch_ms / 1000.0);
		break;
	case KTSTR_SCHED_EV_EXITED:
	case KTSTR_SCHED_EV_STOPPED:
		ktstr_results_event(r, host_s, e.phase[0] == 'l' ? -1 : e.t_ms,
				    "scheduler %s (%s, exit code %d, signal %d) after step %u/%u",
				    sched_event_names[k], e.phase, e.exit_code, e.signal, e.step,
				    e.n_steps);
		break;
	case KTSTR_SCHED_EV_DISABLED:
		ktstr_results_event(r, host_s, e.phase[0] == 'l' ? -1 : e.t_ms,
				    "sched_ext disabled the scheduler (state '%s')%s%s", e.state,
				    e.reason[0] ? ": " : "", e.reason);
		break;
	default:
		ktstr_results_event(r, host_s, -1, "scheduler %s%s%s", sched_event_names[k],
				    e.state[0] ? ", state " : "", e.state);
		break;
	}
	return 0;
}

/* The agent asks for the checks' verdict before stopping its scheduler (verdict.c answers). */
static int apply_verdict_request(struct ktstr_run_result *r, json_t *o, double host_s)
{
	double t_ms, wait_ms;
	unsigned n;

	if (get_ms(o, "t_ms", &t_ms) || get_unsigned(o, "workers", KTSTR_MAX_WORKERS, &n) ||
	    get_ms(o, "wait_ms", &wait_ms))
		return -EINVAL;
	ktstr_results_event(r, host_s, t_ms,
			    "the guest asks for the checks' verdict (%u workers reported, waits %.0f ms)",
			    n, wait_ms);
	return 0;
}

bool ktstr_payload_failed(const struct ktstr_payload_result *p)
{
	return p->ended && !strcmp(p->by, "wait_payload") &&
	       !(!strcmp(p->event, "exited") && p->exit_code == 0);
}

static bool one_of(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, v[i]))
			return true;
	return false;
}

/* Where a new run goes: a free slot, else the last one unless it holds a failure. */
static struct ktstr_payload_result *payload_new(struct ktstr_run_result *r)
{
	struct ktstr_payload_result *p;

	if (r->n_payloads < KTSTR_MAX_PAYLOAD_RESULTS) {
		p = &r->payloads[r->n_payloads++];
	} else {
		p = &r->payloads[KTSTR_MAX_PAYLOAD_RESULTS - 1];
		r->payloads_dropped++;
		if (ktstr_payload_failed(p))
			return NULL;   /* the failure matters more than this run */
	}
	memset(p, 0, sizeof(*p));
	p->exit_code = -1;
	return p;
}

static int apply_payload(struct ktstr_run_result *r, json_t *o, double host_s)
{
	static const char *const events[] = { "started", "exited", "signaled", "killed",
					      "timed_out" };
	static const char *const bys[] = { "wait_payload", "kill_payload", "end" };
	struct ktstr_payload_result *p = NULL;
	char name[KTSTR_NAME_MAX], event[16], by[16], cgroup[KTSTR_CGPATH_MAX] = "";
	unsigned step, n_steps;
	double t_ms, dur = 0, timeout = 0;
	int pid = 0, code = -1, sig = 0;
	uint64_t bytes = 0;
	char out[KTSTR_PAYLOAD_OUTPUT_MAX + 1];

	if (get_ident(o, "name", name, sizeof(name)) ||
	    get_ident(o, "event", event, sizeof(event)) || get_ident(o, "by", by, sizeof(by)) ||
	    get_unsigned(o, "n_steps", KTSTR_MAX_STEPS, &n_steps) || n_steps == 0 ||
	    get_unsigned(o, "step", n_steps, &step) || get_ms(o, "t_ms", &t_ms) ||
	    !one_of(event, events, sizeof(events) / sizeof(events[0])))
		return -EINVAL;
	if (!strcmp(event, "started")) {
		if (strcmp(by, "run_payload") || step >= n_steps ||
		    opt_int(o, "pid", 1, MAX_TID, 0, &pid) ||
		    opt_ident(o, "cgroup", cgroup, sizeof(cgroup)))
			return -EINVAL;
		p = payload_new(r);
		if (!p)
			return 0;
		snprintf(p->name, sizeof(p->name), "%s", name);
		p->started = true;
		p->pid = pid;
		snprintf(p->cgroup, sizeof(p->cgroup), "%s", cgroup);
		p->start_step = step;
		p->start_t_ms = t_ms;
		ktstr_results_event(r, host_s, t_ms, "payload '%s' started in step %u (cgroup %s)",
				    name, step + 1, cgroup[0] ? cgroup : "/");
		return 0;
	}
	out[0] = '\0';
	if (!one_of(by, bys, sizeof(bys) / sizeof(bys[0])) || get_ms(o, "duration_ms", &dur) ||
	    get_uint(o, "output_bytes", MAX_COUNT, &bytes) ||
	    opt_int(o, "exit_code", 0, 255, -1, &code) || opt_int(o, "signal", 1, 64, 0, &sig) ||
	    (json_object_get(o, "timeout_ms") && get_ms(o, "timeout_ms", &timeout)) ||
	    (json_object_get(o, "output") &&
	     get_text(o, "output", 64 * 1024, out, sizeof(out))))
		return -EINVAL;
	if ((!strcmp(event, "exited") && code < 0) || (!strcmp(event, "signaled") && !sig) ||
	    (!strcmp(event, "timed_out") && !json_object_get(o, "timeout_ms")))
		return -EINVAL;
	/* the newest run of that name still waiting for its end */
	for (unsigned i = r->n_payloads; i-- > 0;)
		if (!strcmp(r->payloads[i].name, name) && !r->payloads[i].ended) {
			p = &r->payloads[i];
			break;
		}
	if (!p) {
		p = payload_new(r);     /* its start was lost: keep the end anyway */
		if (!p)
			return 0;
		snprintf(p->name, sizeof(p->name), "%s", name);
	}
	p->ended = true;
	snprintf(p->event, sizeof(p->event), "%s", event);
	snprintf(p->by, sizeof(p->by), "%s", by);
	p->step = step;
	p->n_steps = n_steps;
	p->t_ms = t_ms;
	p->duration_ms = dur;
	p->exit_code = code;
	p->signal = sig;
	p->timeout_ms = timeout;
	p->output_bytes = bytes;
	memcpy(p->output, out, sizeof(p->output));
	p->host_s = host_s;
	ktstr_results_event(r, host_s, t_ms, "payload '%s' %s (%s, exit code %d, signal %d) after "
			    "%.1fs", name, event, by, code, sig, dur / 1000.0);
	return 0;
}

static int apply_json(struct ktstr_run_result *r, unsigned type, json_t *o, double host_s)
{
	switch (type) {
	case KTSTR_FRAME_HELLO:    return apply_hello(r, o, host_s);
	case KTSTR_FRAME_TOPOLOGY: return apply_topology(r, o, host_s);
	case KTSTR_FRAME_STAGE:    return apply_stage(r, o, host_s);
	case KTSTR_FRAME_PROGRESS: return apply_progress(r, o);
	case KTSTR_FRAME_WORKER:   return apply_worker(r, o, host_s);
	case KTSTR_FRAME_LOG:      return apply_log(r, o, host_s);
	case KTSTR_FRAME_ERROR:    return apply_error(r, o, host_s);
	case KTSTR_FRAME_DONE:     return apply_done(r, o, host_s);
	case KTSTR_FRAME_SCHED:    return apply_sched(r, o, host_s);
	case KTSTR_FRAME_VERDICT_REQUEST: return apply_verdict_request(r, o, host_s);
	case KTSTR_FRAME_PAYLOAD:  return apply_payload(r, o, host_s);
	default:                   return -EINVAL;
	}
}

int ktstr_results_apply_frame(struct ktstr_run_result *r, const struct ktstr_frame *f,
			      double host_s)
{
	json_error_t jerr;
	json_t *o;
	int rc = -EINVAL;

	if (!f || (!f->payload && f->len))
		goto out;
	/* Duplicate keys are ambiguous ("which tid?"): refuse them. */
	o = json_loadb(f->payload ? f->payload : "", f->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		goto out;
	if (json_is_object(o))
		rc = apply_json(r, f->type, o, host_s);
	json_decref(o);
out:
	if (rc)
		r->frames_rejected++;
	return rc;
}
