// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_ktstr: ktstr's fixture sched_ext scheduler.  A global FIFO (one shared
 * DSQ) that is correct by default, plus fault injection so ktstr's own tests
 * can make a real scheduler fail in each way the framework must report:
 *
 *   stall_after_ns   stop dispatching user tasks that far after enable: the
 *                    kernel's watchdog ejects us ("runnable task stall")
 *   error_after      scx_bpf_error() on the Nth dispatch ("runtime error")
 *   fail_verify      a program the verifier rejects (a bounded loop first,
 *                    so the log shows what cycle collapse is for)
 *   slow_dispatch    serve the shared DSQ on only one dispatch call in
 *                    slow_every (default four); a CPU with nothing new keeps
 *                    running its current task, so the others wait in line
 *   starve_cgroup    tasks of the cgroup with this name run at most once per
 *                    starve_period_ns, machine-wide: long scheduling gaps
 *
 * User tasks other than PID 1 (the guest agent) and our own process go to
 * WORK_DSQ, everything else to SYS_DSQ, so the faults hit the workload and
 * never the agent that has to report them or the kthreads the kernel needs.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define SYS_DSQ     0
#define WORK_DSQ    1
#define STARVE_DSQ  2

const volatile u64 stall_after_ns;
const volatile u64 error_after;
const volatile bool fail_verify;
const volatile bool slow_dispatch;
const volatile u64 slow_every = 4;
const volatile char starve_cgroup[64];
const volatile u64 starve_period_ns = 1000000000ull;
const volatile s32 own_tgid;

u64 nr_dispatched, nr_enqueued, nr_starved_runs;
static u64 enabled_at, starve_last;

UEI_DEFINE(uei);

static bool is_workload(const struct task_struct *p)
{
	return !(p->flags & PF_KTHREAD) && p->tgid != 1 && p->tgid != own_tgid;
}

/* The task's cgroup (v2) directory name equals starve_cgroup. */
static bool in_starved_cgroup(struct task_struct *p)
{
	char name[64];
	const char *kn_name;

	if (!starve_cgroup[0])
		return false;
	kn_name = BPF_CORE_READ(p, cgroups, dfl_cgrp, kn, name);
	if (!kn_name || bpf_probe_read_kernel_str(name, sizeof(name), kn_name) < 0)
		return false;
	for (int i = 0; i < (int)sizeof(name); i++) {
		if (name[i] != starve_cgroup[i])
			return false;
		if (!name[i])
			return true;
	}
	return false;
}

s32 BPF_STRUCT_OPS(ktstr_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);

	/* Idle CPU, system task: straight to it.  Workload tasks always queue. */
	if (is_idle && !is_workload(p))
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
	return cpu;
}

void BPF_STRUCT_OPS(ktstr_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 dsq = SYS_DSQ;

	__sync_fetch_and_add(&nr_enqueued, 1);
	if (is_workload(p))
		dsq = in_starved_cgroup(p) ? STARVE_DSQ : WORK_DSQ;
	scx_bpf_dsq_insert(p, dsq, SCX_SLICE_DFL, enq_flags);
	/* Idle CPUs sleep until kicked: make sure someone looks at the queue. */
	scx_bpf_kick_cpu(scx_bpf_task_cpu(p), SCX_KICK_IDLE);
}

/* A verifier failure on demand: a loop, then a store through a scalar. */
static __noinline int rejected(u64 seed)
{
	u64 acc = seed;

#pragma clang loop unroll(disable)
	for (int i = 0; i < 24; i++)
		acc = acc * 31 + (u64)i;
	*(volatile u64 *)(long)acc = 1;
	return 0;
}

void BPF_STRUCT_OPS(ktstr_dispatch, s32 cpu, struct task_struct *prev)
{
	u64 n = __sync_fetch_and_add(&nr_dispatched, 1) + 1;
	u64 now = bpf_ktime_get_ns();

	if (fail_verify)
		rejected(now);
	if (error_after && n == error_after)
		scx_bpf_error("ktstr fixture: injected error after %llu dispatches", n);
	if (scx_bpf_dsq_move_to_local(SYS_DSQ, 0))
		return;
	if (slow_dispatch && slow_every > 1 && n % slow_every)
		return;
	if (stall_after_ns && enabled_at && now - enabled_at > stall_after_ns)
		return;                     /* the stall: workload tasks wait forever */
	if (scx_bpf_dsq_move_to_local(WORK_DSQ, 0))
		return;
	if (starve_cgroup[0] && now - starve_last > starve_period_ns) {
		starve_last = now;
		if (scx_bpf_dsq_move_to_local(STARVE_DSQ, 0))
			__sync_fetch_and_add(&nr_starved_runs, 1);
	}
}

s32 BPF_STRUCT_OPS_SLEEPABLE(ktstr_init)
{
	s32 ret;

	enabled_at = bpf_ktime_get_ns();
	ret = scx_bpf_create_dsq(SYS_DSQ, -1);
	if (!ret)
		ret = scx_bpf_create_dsq(WORK_DSQ, -1);
	if (!ret)
		ret = scx_bpf_create_dsq(STARVE_DSQ, -1);
	if (ret)
		scx_bpf_error("ktstr fixture: cannot create DSQs (%d)", ret);
	return ret;
}

void BPF_STRUCT_OPS(ktstr_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(ktstr_ops,
	       .select_cpu = (void *)ktstr_select_cpu,
	       .enqueue = (void *)ktstr_enqueue,
	       .dispatch = (void *)ktstr_dispatch,
	       .init = (void *)ktstr_init,
	       .exit = (void *)ktstr_exit,
	       .timeout_ms = 5000,
	       .name = "ktstr");
