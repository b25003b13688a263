// SPDX-License-Identifier: GPL-2.0-only
/* Worker processes: spawn, two-phase start, telemetry loop, stop, reap. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attrs.h"
#include "clock.h"
#include "workers.h"

#define RELAXED __ATOMIC_RELAXED

static const char *const status_names[] = {
	[AGENT_WORKER_RUNNING] = "running",
	[AGENT_WORKER_OK] = "ok",
	[AGENT_WORKER_CRASHED] = "crashed",
	[AGENT_WORKER_KILLED] = "killed",
};

const char *agent_worker_status_name(enum agent_worker_status s)
{
	return (unsigned)s < sizeof(status_names) / sizeof(status_names[0]) ? status_names[s] : "?";
}

/* Checkpoints fall on multiples of this many work units (the Rust ktstr's rule). */
#define CHECKPOINT_UNITS 1024u
/* At most one affinity read per this many ns while the CPU stays in the union. */
#define AFFINITY_REFRESH_NS 10000000ull

/*
 * /proc/self/schedstat: on-CPU ns, run-queue wait ns, timeslices, kept by
 * the kernel (CONFIG_SCHED_INFO).  The worker is single-threaded, so the
 * process file is its one thread's.  false when the file is missing.
 */
static bool read_schedstat(uint64_t v[3])
{
	char buf[128];
	char *p = buf, *end;
	ssize_t n;
	int fd = open("/proc/self/schedstat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (int i = 0; i < 3; i++) {
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (end == p || errno)
			return false;
		p = end;
	}
	return true;
}

/*
 * OR the affinity mask into the slot's `allowed` union.  A 1024-bit
 * cpu_set_t so the call works on any host (the kernel refuses a buffer
 * shorter than its nr_cpu_ids); its first KTSTR_MAX_CPUS bits have the
 * layout of struct ktstr_cpuset (unsigned long words, little endian).
 */
static void note_affinity(struct agent_worker_slot *slot, uint64_t *allowed)
{
	cpu_set_t set;
	uint64_t words[KTSTR_MAX_CPUS / 64];

	_Static_assert(sizeof(set) >= sizeof(words), "cpu_set_t smaller than KTSTR_MAX_CPUS");
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	memcpy(words, &set, sizeof(words));
	for (unsigned k = 0; k < KTSTR_MAX_CPUS / 64; k++)
		if (words[k] & ~allowed[k]) {
			allowed[k] |= words[k];
			__atomic_store_n(&slot->allowed[k], allowed[k], RELAXED);
		}
}

/*
 * The telemetry loop around the work type's bursts.  Never returns.  Gap
 * and migration are sampled whenever the unit count crosses a multiple of
 * 1024 (or the type's checkpoint_units): after every burst for SpinWait,
 * after 1024 yields for YieldHeavy, after every burst for ForkExit.  Time a burst reports as blocked on purpose
 * (sleeps, partner waits) is left out of the gap.  Each checkpoint also
 * counts toward the NUMA node of its CPU and keeps the union of the
 * affinity masks seen (isolation); schedstat is read at the start and the
 * end, and wake-up latencies go to the slot's histogram through ctx.wake.
 */
static void __attribute__((noreturn))
worker_run(struct agent_worker_slot *slot, const struct agent_worker *w,
	   const uint8_t *cpu_node)
{
	const struct agent_work *work = w->work;
	uint64_t start, prev, units = 0, max_gap = 0, blocked = 0, checkpoints = 0;
	uint64_t period = work->checkpoint_units ? work->checkpoint_units : CHECKPOINT_UNITS;
	uint64_t allowed[KTSTR_MAX_CPUS / 64] = { 0 }, ss0[3], ss1[3], affinity_ns;
	uint32_t migrations = 0, per_node[KTSTR_MAX_NUMA_NODES] = { 0 };
	bool ss_ok;
	int last_cpu = -1;
	void *state = NULL;
	struct rusage ru;
	struct agent_work_ctx ctx = {
		.params = &w->params, .index = w->index, .group_index = w->group_index,
		.group = w->group, .stop = &slot->stop, .wake = &slot->wake,
	};

	/* A failed init shows as status "crashed" with exit_code 2. */
	if (work->init && work->init(&state, &ctx))
		_exit(2);
	/* The mask in force from the start counts as seen (isolation check). */
	note_affinity(slot, allowed);
	ss_ok = read_schedstat(ss0);
	/*
	 * From the release, not from the first instruction the scheduler gave
	 * us: a worker left waiting after the start (or frozen before it ran)
	 * must show that wait as its first gap and in its wall time.
	 */
	start = __atomic_load_n(&slot->released_ns, __ATOMIC_ACQUIRE);
	if (!start || start > agent_mono_ns())
		start = agent_mono_ns();
	prev = affinity_ns = start;
	while (!__atomic_load_n(&slot->stop, RELAXED)) {
		uint64_t now, gap, before = units;
		int cpu;

		ctx.blocked_ns = 0;
		units += work->burst(state, &ctx);
		blocked += ctx.blocked_ns;
		__atomic_store_n(&slot->work_units, units, RELAXED);
		/*
		 * The first burst with any work always ends in a checkpoint, so a
		 * worker slowed to a few hundred yields or forks still records a
		 * CPU and a gap.
		 */
		if (units == before || (before && units / period == before / period))
			continue;
		now = agent_mono_ns();
		gap = now - prev;
		/* frozen by a freeze op: the agent says how long */
		blocked += __atomic_exchange_n(&slot->paused_ns, 0, RELAXED);
		gap = gap > blocked ? gap - blocked : 0;
		prev = now;
		blocked = 0;
		cpu = sched_getcpu();
		/*
		 * The mask after the CPU: a cpuset change between the two reads
		 * then only widens the union; read the other way round, a worker
		 * moved by the change would look like it ran outside its mask.
		 * sched_getaffinity() is a real syscall (sched_getcpu() is not):
		 * at every checkpoint it cost SpinWait ~30% of its unit rate on
		 * a host, so it is read when the CPU is not in the union yet (a
		 * possible violation, judged against a fresh mask) and otherwise
		 * every AFFINITY_REFRESH_NS, which keeps the union current.
		 */
		if (cpu < 0 || cpu >= KTSTR_MAX_CPUS || !(allowed[cpu / 64] >> (cpu % 64) & 1) ||
		    now - affinity_ns >= AFFINITY_REFRESH_NS) {
			note_affinity(slot, allowed);
			affinity_ns = now;
		}
		__atomic_store_n(&slot->checkpoints, ++checkpoints, RELAXED);
		if (cpu >= 0 && cpu < KTSTR_MAX_CPUS && cpu_node[cpu] < KTSTR_MAX_NUMA_NODES) {
			unsigned node = cpu_node[cpu];

			__atomic_store_n(&slot->node_checkpoints[node], ++per_node[node], RELAXED);
		}
		if (gap > max_gap) {
			max_gap = gap;
			__atomic_store_n(&slot->max_gap_ns, gap, RELAXED);
			__atomic_store_n(&slot->max_gap_cpu, cpu, RELAXED);
			__atomic_store_n(&slot->max_gap_at_ns, now - start, RELAXED);
		}
		if (cpu != last_cpu && cpu >= 0) {
			uint64_t *word = &slot->cpus_used[(unsigned)cpu / 64 % (KTSTR_MAX_CPUS / 64)];

			if (last_cpu >= 0)
				__atomic_store_n(&slot->migrations, ++migrations, RELAXED);
			__atomic_store_n(word, *word | 1ull << (cpu % 64), RELAXED);
			last_cpu = cpu;
		}
	}
	slot->wall_ns = agent_mono_ns() - start;
	slot->cpu_ns = agent_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	if (ss_ok && read_schedstat(ss1) && ss1[0] >= ss0[0] && ss1[1] >= ss0[1] &&
	    ss1[2] >= ss0[2]) {
		slot->run_ns = ss1[0] - ss0[0];
		slot->wait_ns = ss1[1] - ss0[1];
		slot->timeslices = ss1[2] - ss0[2];
		slot->schedstat_ok = 1;
	}
	if (!getrusage(RUSAGE_SELF, &ru)) {
		slot->nvcsw = (uint64_t)ru.ru_nvcsw;
		slot->nivcsw = (uint64_t)ru.ru_nivcsw;
	}
	__atomic_store_n(&slot->done, 1, __ATOMIC_RELEASE);
	_exit(0);
}

static void __attribute__((noreturn))
worker_main(struct agent_workers *ws, unsigned index, int close_fd, pid_t parent)
{
	static const int defaults[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT,
					SIGPIPE, SIGTERM, SIGINT, SIGHUP };
	struct agent_worker_slot *slot = &ws->shm->slots[index];
	char c;

	/*
	 * Whatever the agent did with signals (it ignores SIGPIPE), a worker
	 * must die of a fault so the parent can report it as crashed.
	 */
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		signal(defaults[i], SIG_DFL);
	if (close_fd >= 0)
		close(close_fd);
	/* Own process group so a stray signal to the agent's group misses us. */
	setpgid(0, 0);
	/*
	 * A spinning worker must never outlive whoever started it (in the
	 * guest that is PID 1, but the same code runs in host unit tests,
	 * where a killed test would otherwise leave spinners behind).
	 */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);          /* the parent died before PDEATHSIG was armed */
	close(ws->start_wr);
	/* Only the worker itself can set its memory policy; a failure shows as exit 3. */
	if (ws->w[index].def && agent_worker_attrs_self(ws->w[index].def))
		_exit(3);
	/* Phase one: wait for EOF, i.e. for the parent to close its end. */
	while (read(ws->start_rd, &c, 1) < 0 && errno == EINTR)
		;
	close(ws->start_rd);
	if (__atomic_load_n(&slot->stop, RELAXED))
		_exit(0);          /* aborted before the start */
	worker_run(slot, &ws->w[index], ws->cpu_node);
}

int agent_workers_init(struct agent_workers *ws, struct ktstr_err *err)
{
	memset(ws, 0, sizeof(*ws));
	ws->start_rd = ws->start_wr = -1;
	ws->shm_len = sizeof(struct agent_shared);
	ws->shm = mmap(NULL, ws->shm_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ws->shm == MAP_FAILED) {
		ws->shm = NULL;
		return ktstr_err_set(err, -errno, "mmap %zu bytes of worker telemetry: %s",
				     ws->shm_len, strerror(errno));
	}
	return 0;
}

/* The pending batch's start pipe, made on its first fork. */
static int batch_pipe(struct agent_workers *ws, struct ktstr_err *err)
{
	int pfd[2];

	if (ws->start_wr >= 0)
		return 0;
	/* No CLOEXEC needed (no exec), but keep it tidy. */
	if (pipe2(pfd, O_CLOEXEC))
		return ktstr_err_set(err, -errno, "pipe for the worker start: %s", strerror(errno));
	ws->start_rd = pfd[0];
	ws->start_wr = pfd[1];
	return 0;
}

/*
 * Fork the workers of one group.  The work type's shared resources are made
 * before the first fork (each worker inherits them) and the agent drops its
 * own references once the last one forked.
 */
int agent_workers_spawn_group(struct agent_workers *ws, const char *cgroup,
			      const struct ktstr_work_group *def, unsigned group_no, int close_fd,
			      struct ktstr_err *err)
{
	const struct agent_work *work = agent_work_get(def->work);
	const char *label = cgroup[0] ? cgroup : "(host)";
	struct ktstr_work_params params = def->work_params;
	pid_t parent = getpid();
	unsigned group;
	void *shared = NULL;
	int ret = 0;

	if (!ws->shm)
		return ktstr_err_set(err, -EINVAL, "workers: telemetry not mapped");
	if (!work)
		return ktstr_err_set(err, -ENOTSUP,
				     "cgroup '%s': work type %d is not implemented by this agent",
				     label, (int)def->work);
	if (ws->n + def->workers > KTSTR_MAX_WORKERS)
		return ktstr_err_set(err, -E2BIG, "%u workers exceed the agent's limit of %u",
				     ws->n + def->workers, KTSTR_MAX_WORKERS);
	/* the loader fills defaults; a hand-built scenario (unit tests) may not have */
	ktstr_work_params_defaults(def->work, &params);
	group = ktstr_work_group_size(def->work, &params);
	if (group > 1 && def->workers % group)
		return ktstr_err_set(err, -EINVAL,
				     "cgroup '%s': %s (group %u) requires num_workers divisible by %u, "
				     "got %u", label, work->name, group_no, group, def->workers);
	ret = batch_pipe(ws, err);
	if (ret)
		return ret;
	if (work->prepare) {
		ret = work->prepare(&shared, def->workers, &params);
		if (ret)
			return ktstr_err_set(err, ret, "cgroup '%s': %s setup: %s", label,
					     work->name, strerror(-ret));
	}
	for (unsigned k = 0; k < def->workers; k++) {
		struct agent_worker *w = &ws->w[ws->n];
		pid_t pid;

		memset(w, 0, sizeof(*w));
		memset(&ws->shm->slots[ws->n], 0, sizeof(ws->shm->slots[0]));
		w->index = ws->n;
		snprintf(w->cgroup, sizeof(w->cgroup), "%s", cgroup);
		w->def = def;
		w->group_no = group_no;
		w->work = work;
		w->params = params;
		w->group_index = k;
		w->group = shared;
		w->pid = -1;
		w->pending = true;
		pid = fork();
		if (pid < 0) {
			ret = ktstr_err_set(err, -errno, "fork worker %u: %s", ws->n, strerror(errno));
			break;
		}
		if (pid == 0)
			worker_main(ws, w->index, close_fd, parent);
		w->pid = pid;
		ws->n++;
	}
	if (work->release)
		work->release(shared, def->workers);
	return ret;
}

int agent_workers_spawn_step(struct agent_workers *ws, const struct ktstr_scenario *s, int step,
			     int close_fd, struct ktstr_err *err)
{
	for (unsigned i = 0; i < s->n_cgroups; i++) {
		const struct ktstr_cgroup_def *cg = &s->cgroups[i];

		if (cg->step != step)
			continue;
		for (unsigned g = 0; g < cg->n_groups; g++) {
			int ret;

			if (!cg->groups[g].workers)
				continue;
			ret = agent_workers_spawn_group(ws, cg->name, &cg->groups[g], g, close_fd,
							err);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int agent_workers_place(struct agent_workers *ws, const struct agent_cgroups *cg,
			const struct ktstr_topo_map *map, struct ktstr_err *err)
{
	for (unsigned i = 0; i < ws->n; i++) {
		struct agent_worker *w = &ws->w[i];
		int ret = 0;

		if (!w->pending)
			continue;
		if (w->cgroup[0])
			ret = agent_cgroup_add_pid(cg, w->cgroup, w->pid, err);
		if (!ret)
			ret = agent_worker_attrs_apply(ws, i, cg, map, err);
		if (ret)
			return ret;
	}
	return 0;
}

void agent_workers_release(struct agent_workers *ws)
{
	uint64_t now = agent_mono_ns();

	/* before the pipe closes: a released worker reads it right after EOF */
	for (unsigned i = 0; ws->shm && i < ws->n; i++)
		if (ws->w[i].pending)
			__atomic_store_n(&ws->shm->slots[i].released_ns, now, __ATOMIC_RELEASE);
	if (ws->start_rd >= 0)
		close(ws->start_rd);
	if (ws->start_wr >= 0) {
		close(ws->start_wr);
		if (!ws->release_ns)
			ws->release_ns = now;
	}
	ws->start_rd = ws->start_wr = -1;
	for (unsigned i = 0; i < ws->n; i++)
		if (ws->w[i].pending) {
			ws->w[i].pending = false;
			ws->w[i].start_ns = now;
		}
}

uint64_t agent_worker_wall_ns(const struct agent_workers *ws, unsigned i)
{
	const struct agent_worker_slot *slot = &ws->shm->slots[i];
	const struct agent_worker *w = &ws->w[i];
	uint64_t wall;

	if (__atomic_load_n(&slot->done, __ATOMIC_ACQUIRE))
		return slot->wall_ns;
	wall = w->end_ns > w->start_ns && w->start_ns ? w->end_ns - w->start_ns : 0;
	/* never shorter than what the worker itself saw */
	return wall > slot->max_gap_at_ns ? wall : slot->max_gap_at_ns;
}

uint64_t agent_workers_units(const struct agent_workers *ws)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < ws->n; i++)
		sum += __atomic_load_n(&ws->shm->slots[i].work_units, RELAXED);
	return sum;
}

static void record_exit(struct agent_worker *w, int status)
{
	w->end_ns = agent_mono_ns();
	if (WIFEXITED(status)) {
		w->exited = true;
		w->exit_code = WEXITSTATUS(status);
		w->status = w->exit_code ? AGENT_WORKER_CRASHED : AGENT_WORKER_OK;
	} else if (WIFSIGNALED(status)) {
		w->signal = WTERMSIG(status);
		w->status = w->sigkilled && w->signal == SIGKILL ? AGENT_WORKER_KILLED
								 : AGENT_WORKER_CRASHED;
	}
}

/* waitpid one worker; returns true once it is reaped. */
static bool reap(struct agent_worker *w, int flags)
{
	int status;
	pid_t r;

	if (w->status != AGENT_WORKER_RUNNING || w->pid <= 0)
		return true;
	do
		r = waitpid(w->pid, &status, flags);
	while (r < 0 && errno == EINTR);
	if (r == w->pid) {
		record_exit(w, status);
		return true;
	}
	if (r < 0) {
		/* ECHILD: not ours any more; nothing to learn from it. */
		w->end_ns = agent_mono_ns();
		w->status = AGENT_WORKER_CRASHED;
		return true;
	}
	return false;
}

unsigned agent_workers_alive(struct agent_workers *ws)
{
	unsigned alive = 0;

	for (unsigned i = 0; i < ws->n; i++)
		if (!reap(&ws->w[i], WNOHANG))
			alive++;
	return alive;
}

static bool in_cgroup(const struct agent_worker *w, const char *cgroup)
{
	return !cgroup || !strcmp(w->cgroup, cgroup);
}

unsigned agent_workers_stop_cgroup(struct agent_workers *ws, const char *cgroup,
				   const struct agent_cgroups *cg, unsigned deadline_ms)
{
	uint64_t deadline = agent_mono_ns() + (uint64_t)deadline_ms * 1000000ull;
	unsigned killed = 0, left;

	for (unsigned i = 0; i < ws->n; i++) {
		struct agent_worker *w = &ws->w[i];

		if (w->status != AGENT_WORKER_RUNNING || !in_cgroup(w, cgroup))
			continue;
		/* what the cgroup allowed, read while it still exists */
		if (cg && w->cgroup[0] && !w->cpuset[0] &&
		    agent_cgroup_read(cg, w->cgroup, "cpuset.cpus.effective", w->cpuset,
				      sizeof(w->cpuset)) < 0)
			w->cpuset[0] = '\0';
		__atomic_store_n(&ws->shm->slots[i].stop, 1, __ATOMIC_RELEASE);
	}
	do {
		left = 0;
		for (unsigned i = 0; i < ws->n; i++)
			if (in_cgroup(&ws->w[i], cgroup) && !reap(&ws->w[i], WNOHANG))
				left++;
		if (left)
			agent_sleep_ms(5);
	} while (left && agent_mono_ns() < deadline);
	for (unsigned i = 0; i < ws->n; i++) {
		struct agent_worker *w = &ws->w[i];

		if (w->status != AGENT_WORKER_RUNNING || w->pid <= 0 || !in_cgroup(w, cgroup))
			continue;
		w->sigkilled = true;
		kill(w->pid, SIGKILL);
		reap(w, 0);
		killed++;
	}
	return killed;
}

unsigned agent_workers_stop(struct agent_workers *ws, unsigned deadline_ms)
{
	return agent_workers_stop_cgroup(ws, NULL, NULL, deadline_ms);
}

void agent_workers_abort(struct agent_workers *ws)
{
	if (!ws->shm)
		return;
	for (unsigned i = 0; i < ws->n; i++)
		__atomic_store_n(&ws->shm->slots[i].stop, 1, __ATOMIC_RELEASE);
	agent_workers_release(ws);
	agent_workers_stop(ws, AGENT_STOP_DEADLINE_MS);
}

void agent_workers_moved(struct agent_workers *ws, const char *cgroup, const char *to)
{
	for (unsigned i = 0; i < ws->n; i++)
		if (ws->w[i].status == AGENT_WORKER_RUNNING && !strcmp(ws->w[i].cgroup, cgroup))
			snprintf(ws->w[i].cgroup, sizeof(ws->w[i].cgroup), "%s", to);
}

/* Whether `cgroup` is one of the listed cgroups or lies below one. */
static bool under_frozen(const char *cgroup, const char (*frozen)[KTSTR_CGPATH_MAX], unsigned n)
{
	for (unsigned i = 0; cgroup[0] && i < n; i++) {
		size_t len = strlen(frozen[i]);

		if (!strncmp(cgroup, frozen[i], len) && (cgroup[len] == '\0' || cgroup[len] == '/'))
			return true;
	}
	return false;
}

void agent_workers_sync_frozen(struct agent_workers *ws, const char (*frozen)[KTSTR_CGPATH_MAX],
			       unsigned n, uint64_t now_ns)
{
	for (unsigned i = 0; i < ws->n; i++) {
		struct agent_worker *w = &ws->w[i];
		bool is = under_frozen(w->cgroup, frozen, n);

		if (w->status != AGENT_WORKER_RUNNING)
			continue;
		if (is && !w->frozen_since_ns) {
			w->frozen_since_ns = now_ns ? now_ns : 1;
		} else if (!is && w->frozen_since_ns) {
			if (now_ns > w->frozen_since_ns)
				__atomic_add_fetch(&ws->shm->slots[i].paused_ns,
						   now_ns - w->frozen_since_ns, RELAXED);
			w->frozen_since_ns = 0;
		}
	}
}

unsigned agent_workers_in(const struct agent_workers *ws, const char *cgroup)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ws->n; i++)
		n += ws->w[i].status == AGENT_WORKER_RUNNING && !strcmp(ws->w[i].cgroup, cgroup);
	return n;
}

void agent_work_wake_sample(struct agent_work_ctx *ctx, uint64_t latency_ns)
{
	/* ctx->wake is the worker's own slot histogram: no allocation, no syscall */
	if (ctx->wake)
		ktstr_wake_hist_add(ctx->wake, latency_ns);
}
