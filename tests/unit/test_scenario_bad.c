// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every bad fixture under tests/fixtures/yaml/bad/ with the exact
 * diagnostics it must produce, as `ktstr validate` prints them.  A fixture
 * without an entry here fails the suite, so none is silently untested.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ktstr/scenario_load.h"

#define BAD_DIR KTSTR_TEST_FIXTURES "/yaml/bad"

struct bad_case {
	const char *file;
	const char *expect;        /* ktstr_diags_print() output, every line */
};

static const struct bad_case cases[] = {
	{ "affinity_exact.yaml",
	  "affinity_exact.yaml:3:28: error: cgroup 'cg_0': affinity exact '9' names CPU 9, but the topology has CPUs 0-3\n"
	  "affinity_exact.yaml:4:28: error: cgroup 'cg_1': affinity exact 'x' is not a cpulist such as \"0-1,3\"\n"
	  "affinity_exact.yaml:8:52: error: cgroup 'cg_0': affinity exact '2-5' names CPU 4, but the topology has CPUs 0-3\n" },
	{ "args_too_many.yaml",
	  "args_too_many.yaml:3:9: error: 'args' must have 0 to 16 entries, got 17\n" },
	{ "bool_type.yaml",
	  "bool_type.yaml:3:15: error: 'starvation' must be true or false, got string 'yes'\n" },
	{ "cgroup_name_pattern.yaml",
	  "cgroup_name_pattern.yaml:1:18: error: 'name' must match [A-Za-z0-9_/-]{1,127}, got 'cg.0'\n" },
	{ "clear_with_cpuset.yaml",
	  "clear_with_cpuset.yaml:4:44: error: clear_cpuset op takes no 'cpuset'; it takes: cgroup\n" },
	{ "cpuset_empty.yaml",
	  "cpuset_empty.yaml:4:13: error: cgroup 'cg_0': CpusetSpec validation failed: llc spec resolves to an empty CPU set (usable CPUs: 0-1)\n" },
	{ "cpuset_exact_invalid.yaml",
	  "cpuset_exact_invalid.yaml:3:13: error: cgroup 'cg_0': CpusetSpec validation failed: exact cpulist '0-' is not a valid cpulist (expected e.g. 0-3,8)\n" },
	{ "cpuset_exact_outside.yaml",
	  "cpuset_exact_outside.yaml:4:13: error: cgroup 'cg_0': CpusetSpec validation failed: exact CPUs 4-7 are outside the topology (CPUs 0-3)\n" },
	{ "cpuset_index.yaml",
	  "cpuset_index.yaml:5:7: error: cgroup 'cg_1': CpusetSpec validation failed: index 3 >= partition count 3\n" },
	{ "cpuset_llc_range.yaml",
	  "cpuset_llc_range.yaml:4:13: error: cgroup 'cg_0': CpusetSpec validation failed: llc 2 is out of range: the topology has 2 LLCs\n" },
	{ "cpuset_no_kind.yaml",
	  "cpuset_no_kind.yaml:3:13: error: cpuset mapping needs one of llc, numa, range, disjoint, overlap, exact\n" },
	{ "cpuset_numa_range.yaml",
	  "cpuset_numa_range.yaml:3:13: error: cgroup 'cg_0': CpusetSpec validation failed: numa node 1 is out of range: the topology has 1 NUMA node\n" },
	{ "cpuset_overlap_frac.yaml",
	  "cpuset_overlap_frac.yaml:4:13: error: cgroup 'cg_0': CpusetSpec validation failed: Overlap frac must lie in [0.0, 1.0]: frac=1.5\n" },
	{ "cpuset_partitions.yaml",
	  "cpuset_partitions.yaml:4:13: error: cgroup 'cg_0': CpusetSpec validation failed: not enough usable CPUs (4) for 8 partitions\n" },
	{ "cpuset_range_fracs.yaml",
	  "cpuset_range_fracs.yaml:4:13: error: cgroup 'cg_2': CpusetSpec validation failed: Range fracs must lie in [0.0, 1.0]: start_frac=-1, end_frac=0.5\n" },
	{ "cpuset_range_len.yaml",
	  "cpuset_range_len.yaml:3:21: error: cpuset range needs exactly 2 numbers [start_frac, end_frac], got 3\n" },
	{ "cpuset_range_order.yaml",
	  "cpuset_range_order.yaml:3:13: error: cgroup 'cg_0': CpusetSpec validation failed: Range needs start_frac < end_frac: start_frac=0.5, end_frac=0.5\n" },
	{ "cpuset_range_type.yaml",
	  "cpuset_range_type.yaml:3:22: error: 'range[0]' must be a number, got string 'a'\n" },
	{ "cpuset_two_kinds.yaml",
	  "cpuset_two_kinds.yaml:3:13: error: cpuset mapping has both 'llc' and 'numa'; use exactly one\n" },
	{ "deadline_cpus.yaml",
	  "deadline_cpus.yaml:6:15: error: cgroup 'pinned': SCHED_DEADLINE workers cannot take affinity llc: the kernel allows a deadline task only with every CPU in its affinity; drop the affinity or use {fifo: N}\n"
	  "deadline_cpus.yaml:10:13: error: cgroup 'par/dl': SCHED_DEADLINE workers cannot run under the cpuset of 'par': the kernel allows a deadline task only with every CPU in its affinity; drop the cpuset or use {fifo: N}\n"
	  "deadline_cpus.yaml:16:9: error: set_cpuset would narrow the CPUs of SCHED_DEADLINE workers in 'dl': the kernel allows a deadline task only with every CPU in its affinity\n"
	  "deadline_cpus.yaml:22:9: error: set_affinity would narrow the CPUs of SCHED_DEADLINE workers in 'dl': the kernel allows a deadline task only with every CPU in its affinity\n" },
	{ "deadline_order.yaml",
	  "deadline_order.yaml:4:13: error: cgroup 'cg_0': deadline policy needs runtime <= deadline <= period, got 20ms, 10ms, 10ms\n" },
	{ "description_long.yaml",
	  "description_long.yaml:1:14: error: 'description' must be at most 255 characters, got 300\n" },
	{ "duplicate_cgroup.yaml",
	  "duplicate_cgroup.yaml:4:11: error: duplicate cgroup name 'cg_0' (first declared at line 2)\n" },
	{ "duplicate_key.yaml",
	  "duplicate_key.yaml:4:5: error: duplicate key 'workers' (first at line 3)\n" },
	{ "duration_no_unit.yaml",
	  "duration_no_unit.yaml:1:11: error: 'duration' needs a unit, e.g. 4s or 500ms\n" },
	{ "duration_range.yaml",
	  "duration_range.yaml:1:11: error: 'duration' must be between 100ms and 1h, got 2h\n" },
	{ "duration_type.yaml",
	  "duration_type.yaml:1:11: error: 'duration' must be a duration such as 4s or 500ms, got string 'soon'\n" },
	{ "empty.yaml",
	  "empty.yaml: error: scenario file is empty; it needs at least a 'cgroups' list\n" },
	{ "flag_args_too_many.yaml",
	  "flag_args_too_many.yaml:4:3: error: the scheduler's 10 args plus the 7 args of its flags exceed 16, the most a scheduler command line may have\n" },
	{ "flag_default_name.yaml",
	  "flag_default_name.yaml:3:11: error: flag name 'default' is reserved: it names the profile without flags; rename the flag\n" },
	{ "flag_duplicate.yaml",
	  "flag_duplicate.yaml:5:7: error: duplicate flag name 'slow' (first declared at line 4)\n" },
	{ "flag_eevdf.yaml",
	  "flag_eevdf.yaml:2:9: error: scheduler name 'eevdf' is the built-in scheduler; write `scheduler: eevdf`, not a mapping\n"
	  "flag_eevdf.yaml:3:3: error: scheduler flags need a sched_ext scheduler: eevdf has no command line for a flag's args\n" },
	{ "flag_name_long.yaml",
	  "flag_name_long.yaml:2:3: error: a variant name would be longer than 126 characters; use shorter scheduler or flag names\n" },
	{ "flag_profiles_many.yaml",
	  "flag_profiles_many.yaml:3:3: error: 5 flags give 32 profiles; at most 16 per scheduler are supported (use 'requires' to tie flags together, or fewer flags)\n" },
	{ "flag_requires_cycle.yaml",
	  "flag_requires_cycle.yaml:4:7: error: flag requires cycle: a -> b -> c -> a; a flag cannot require itself, directly or through others\n" },
	{ "flag_requires_unknown.yaml",
	  "flag_requires_unknown.yaml:5:56: error: flag 'slow' requires unknown flag 'patinet'; did you mean 'patient'?\n" },
	{ "hold_fraction.yaml",
	  "hold_fraction.yaml:3:11: error: step hold fraction must be in (0, 1], got 2; for a fixed time write a duration such as 2s\n" },
	{ "hold_type.yaml",
	  "hold_type.yaml:3:11: error: 'hold' must be a fraction in (0, 1] or a duration such as 2s, got string 'forever'\n" },
	{ "holds_fixed.yaml",
	  "holds_fixed.yaml:4:3: error: fixed step holds total 5s, longer than 'duration' (4s)\n" },
	{ "holds_mixed.yaml",
	  "holds_mixed.yaml:4:3: error: step holds total 5s (fractions 0.5 of 'duration' plus fixed 3s), longer than 'duration' (4s)\n" },
	{ "holds_sum.yaml",
	  "holds_sum.yaml:3:3: error: fractional step holds sum to 1.2; they must sum to at most 1.0\n" },
	{ "key_not_scalar.yaml",
	  "key_not_scalar.yaml:2:3: error: mapping keys must be plain strings, got a sequence\n" },
	{ "knob_forms.yaml",
	  "knob_forms.yaml:4:7: error: unknown cgroup knob 'cpu.weigth'; did you mean 'cpu.weight'?\n"
	  "knob_forms.yaml:4:7: note: supported knobs: cpu.max, cpu.max.burst, cpu.weight, cpu.weight.nice, cpu.idle, memory.max, memory.high, memory.low, memory.min, pids.max, io.weight\n"
	  "knob_forms.yaml:5:16: error: knob 'cpu.max' must be \"QUOTA PERIOD\" in microseconds (quota >= 1000, period 1000..1000000), a percentage such as 50%, or max; got 'half'\n"
	  "knob_forms.yaml:6:19: error: 'memory.max' must be between 1M and 1024G, got 0M\n"
	  "knob_forms.yaml:7:20: error: 'memory.high' must be a size such as 512M or 1G, got string '1T'\n"
	  "knob_forms.yaml:9:29: error: duplicate knob 'cpu.weight'\n"
	  "knob_forms.yaml:10:25: error: 'knobs' must be a mapping, got number '5'\n"
	  "knob_forms.yaml:14:44: error: unknown cgroup knob 'cpu.shares'\n"
	  "knob_forms.yaml:14:44: note: supported knobs: cpu.max, cpu.max.burst, cpu.weight, cpu.weight.nice, cpu.idle, memory.max, memory.high, memory.low, memory.min, pids.max, io.weight\n"
	  "knob_forms.yaml:15:63: error: 'cpu.weight' must be between 1 and 10000, got 0\n"
	  "knob_forms.yaml:16:60: error: knob 'cpu.max' must be \"QUOTA PERIOD\" in microseconds (quota >= 1000, period 1000..1000000), a percentage such as 50%, or max; got '500 100000'\n" },
	{ "knobs_too_many.yaml",
	  "knobs_too_many.yaml:12:7: error: 'knobs' may set at most 8 knobs\n" },
	{ "llcs_multiple.yaml",
	  "llcs_multiple.yaml:2:3: error: topology: llcs (3) must be a multiple of numa_nodes (2)\n" },
	{ "many_errors.yaml",
	  "many_errors.yaml:4:38: error: unknown cgroup 'cg_3' in clear_cpuset; did you mean 'cg_0'?\n"
	  "many_errors.yaml:7:14: error: 'workers' must be between 0 and 256, got -1\n"
	  "many_errors.yaml:11:11: error: 'duration' needs a unit, e.g. 4s or 500ms\n"
	  "many_errors.yaml:13:21: error: 'threads_per_core' must be between 1 and 4, got 0\n" },
	{ "mapping_type.yaml",
	  "mapping_type.yaml:1:11: error: 'topology' must be a mapping, got string 'big'\n" },
	{ "matrix_cpuset.yaml",
	  "matrix_cpuset.yaml:4:7: error: matrix topology entry 2 (1n1l4c1t): cgroup 'cg_0' (cpuset at line 6): CpusetSpec validation failed: llc 1 is out of range: the topology has 1 LLC\n" },
	{ "matrix_empty.yaml",
	  "matrix_empty.yaml:1:9: error: matrix needs 'topology' or 'scheduler': a list of topologies or schedulers to run the scenario under\n" },
	{ "matrix_expect_err.yaml",
	  "matrix_expect_err.yaml:2:33: error: matrix scheduler entry 2 is eevdf, but expect_err needs a sched_ext scheduler in every variant\n" },
	{ "matrix_not_list.yaml",
	  "matrix_not_list.yaml:2:13: error: 'topology' must be a sequence of topology mappings, got a mapping\n"
	  "matrix_not_list.yaml:3:22: error: unknown scheduler '7'; the built-in one is 'eevdf' (a sched_ext scheduler is a mapping: {name: ...} or {path: ...})\n" },
	{ "matrix_op_cpuset.yaml",
	  "matrix_op_cpuset.yaml:4:7: error: matrix topology entry 2 (1n1l2c1t): step 1 set_cpuset of cgroup 'cg_0' (line 8): CpusetSpec validation failed: not enough usable CPUs (2) for 4 partitions\n" },
	{ "matrix_scheduler_dup.yaml",
	  "matrix_scheduler_dup.yaml:4:7: error: matrix scheduler entries 1 and 2 are both 'scx_simple': variant names must differ; for the same scheduler with other arguments use its 'flags'\n" },
	{ "matrix_scheduler_twice.yaml",
	  "matrix_scheduler_twice.yaml:1:1: error: 'scheduler' and matrix 'scheduler' both given (the matrix's at line 3); list every scheduler in the matrix and drop this one\n" },
	{ "matrix_too_many.yaml",
	  "matrix_too_many.yaml:1:1: error: the scenario has 128 variants (topologies: 8, schedulers: 1, flag profiles included); at most 64 are supported\n" },
	{ "matrix_topology_bad.yaml",
	  "matrix_topology_bad.yaml:3:7: error: topology: llcs (3) must be a multiple of numa_nodes (2)\n" },
	{ "matrix_topology_dup.yaml",
	  "matrix_topology_dup.yaml:4:7: error: matrix topology entries 1 and 2 are both 1n2l2c1t: variant names must differ; list each CPU layout once\n" },
	{ "memory_no_unit.yaml",
	  "memory_no_unit.yaml:2:11: error: 'memory' needs a unit, e.g. 512M or 1G\n" },
	{ "memory_range.yaml",
	  "memory_range.yaml:2:11: error: 'memory' must be between 128M and 64G, got 64M\n" },
	{ "memory_type.yaml",
	  "memory_type.yaml:2:11: error: 'memory' must be a size such as 512M or 1G, got string 'lots'\n" },
	{ "mempolicy_nodes.yaml",
	  "mempolicy_nodes.yaml:3:30: error: cgroup 'cg_0': mem_policy bind names a node the topology does not have (numa_nodes: 2)\n"
	  "mempolicy_nodes.yaml:4:30: error: cgroup 'cg_1': mem_policy preferred names a node the topology does not have (numa_nodes: 2)\n"
	  "mempolicy_nodes.yaml:5:43: error: 'interleave': node 9 is out of range; nodes are 0..7\n"
	  "mempolicy_nodes.yaml:6:37: error: 'bind' must be a node list such as \"0-1\", got a sequence\n" },
	{ "merge_not_mapping.yaml",
	  "merge_not_mapping.yaml:2:9: error: merge key '<<' needs mappings to merge, got number '42'\n" },
	{ "missing_cgroups.yaml",
	  "missing_cgroups.yaml:1:1: error: scenario needs a 'cgroups'\n" },
	{ "missing_name.yaml",
	  "missing_name.yaml:2:5: error: cgroup entry needs a 'name'\n" },
	{ "name_pattern.yaml",
	  "name_pattern.yaml:1:7: error: 'name' must match [A-Za-z0-9_.-]{1,63}, got 'my scenario'\n" },
	{ "nested_parent_workers.yaml",
	  "nested_parent_workers.yaml:3:5: error: cgroup 'cg_0/sub' has a cpuset, so its parent 'cg_0' must hand controllers down and cannot run workers itself (cgroup v2's no-internal-process rule); move the parent's workers to a leaf such as 'cg_0/main'\n"
	  "nested_parent_workers.yaml:5:5: error: cgroup 'cg_0/knobbed' has a knob, so its parent 'cg_0' must hand controllers down and cannot run workers itself (cgroup v2's no-internal-process rule); move the parent's workers to a leaf such as 'cg_0/main'\n"
	  "nested_parent_workers.yaml:11:9: error: cgroup 'cg_0/plain' has a cpuset, so its parent 'cg_0' must hand controllers down and cannot run workers itself (cgroup v2's no-internal-process rule); move the parent's workers to a leaf such as 'cg_0/main'\n"
	  "nested_parent_workers.yaml:12:9: error: cgroup 'cg_0/plain' has a knob, so its parent 'cg_0' must hand controllers down and cannot run workers itself (cgroup v2's no-internal-process rule); move the parent's workers to a leaf such as 'cg_0/main'\n" },
	{ "nested_undeclared.yaml",
	  "nested_undeclared.yaml:2:12: error: cgroup 'cg_0/sub' is nested under 'cg_0', which is not declared before it; declare the parent first\n" },
	{ "numa_range.yaml",
	  "numa_range.yaml:2:15: error: 'numa_nodes' must be between 1 and 8, got 9\n" },
	{ "number_range.yaml",
	  "number_range.yaml:3:18: error: 'min_work_rate' must be between 0 and 1e+12, got -5\n" },
	{ "op_unknown.yaml",
	  "op_unknown.yaml:4:16: error: unknown op 'set_cpus'; did you mean 'set_cpuset'?\n" },
	{ "op_unknown_far.yaml",
	  "op_unknown_far.yaml:6:14: error: unknown op 'teleport'; known ops: set_cpuset, clear_cpuset, add_cgroup, remove_cgroup, swap_cpusets, spawn, stop_cgroup, set_affinity, spawn_host, move_all_tasks, set_knob, freeze, unfreeze, run_payload, wait_payload, kill_payload, attach_scheduler, detach_scheduler, restart_scheduler, replace_scheduler\n" },
	{ "percent_range.yaml",
	  "percent_range.yaml:3:15: error: 'max_spread' must be between 0% and 100%, got 150%\n" },
	{ "percent_type.yaml",
	  "percent_type.yaml:3:15: error: 'max_spread' must be a percentage such as 35% or 35, got string 'half'\n" },
	{ "ratio_nan.yaml",
	  "ratio_nan.yaml:3:22: error: 'max_throughput_cv' must be a ratio such as 0.05 or 5%, got number '.nan'\n" },
	{ "ratio_range.yaml",
	  "ratio_range.yaml:3:22: error: 'min_numa_locality' must be between 0 (0%) and 1 (100%), got 150%\n" },
	{ "ratio_type.yaml",
	  "ratio_type.yaml:3:24: error: 'max_migration_ratio' must be a ratio such as 0.05 or 5%, got string 'lots'\n" },
	{ "policy_forms.yaml",
	  "policy_forms.yaml:2:23: error: unknown policy 'fifi'; did you mean 'fifo'?\n"
	  "policy_forms.yaml:2:23: note: policy is one of: normal, batch, idle, fifo, rr, deadline\n"
	  "policy_forms.yaml:3:23: error: policy 'fifo' takes a value: write {fifo: ...}\n"
	  "policy_forms.yaml:4:31: error: affinity 'llc' takes no value: write affinity: llc\n"
	  "policy_forms.yaml:5:23: error: 'policy' must be a name or a mapping with exactly one of: normal, batch, idle, fifo, rr, deadline\n"
	  "policy_forms.yaml:6:24: error: unknown policy 'rund'\n"
	  "policy_forms.yaml:7:30: error: 'fifo' must be an integer, got string 'high'\n"
	  "policy_forms.yaml:8:28: error: 'rr' must be between 1 and 99, got 100\n"
	  "policy_forms.yaml:8:40: error: 'nice' must be between -20 and 19, got -21\n" },
	{ "root_not_mapping.yaml",
	  "root_not_mapping.yaml:1:1: error: a scenario must be a mapping of keys such as 'cgroups', got a sequence\n" },
	{ "sched_both.yaml",
	  "sched_both.yaml:1:12: error: scheduler mapping needs exactly one of 'path' or 'name'\n" },
	{ "sched_fields.yaml",
	  "sched_fields.yaml:1:19: error: scheduler name 'eevdf' is the built-in scheduler; write `scheduler: eevdf`, not a mapping\n"
	  "sched_fields.yaml:2:11: error: sysctl 'kernel.foo' must be key=value with a sysctl(8) key such as kernel.sched_rr_timeslice_ms=10\n"
	  "sched_fields.yaml:2:23: error: sysctl '../x=1' must be key=value with a sysctl(8) key such as kernel.sched_rr_timeslice_ms=10\n"
	  "sched_fields.yaml:3:15: error: kernel_args entry 'ktstr.mode=boot': ktstr.* parameters are reserved for the guest agent\n"
	  "sched_fields.yaml:3:32: error: kernel_args entry 'a b' must be one word of printable characters without spaces or quotes\n" },
	{ "sched_name_pattern.yaml",
	  "sched_name_pattern.yaml:1:19: error: 'name' must match [A-Za-z0-9_.-]{1,63}, got 'bin/scx_simple'\n"
	  "sched_name_pattern.yaml:1:51: error: 'attach_timeout' must be between 1s and 10m, got 500ms\n" },
	{ "sched_unknown.yaml",
	  "sched_unknown.yaml:1:12: error: unknown scheduler 'cfs'; the built-in one is 'eevdf' (a sched_ext scheduler is a mapping: {name: ...} or {path: ...})\n" },
	{ "sequence_type.yaml",
	  "sequence_type.yaml:2:3: error: 'cgroups' must be a sequence, got a mapping\n" },
	{ "set_cpuset_missing.yaml",
	  "set_cpuset_missing.yaml:4:11: error: set_cpuset op needs a 'cpuset' (the CPUs to give the cgroup)\n" },
	{ "syntax_error.yaml",
	  "syntax_error.yaml:3:4: error: YAML syntax error: did not find expected '-' indicator while parsing a block collection\n" },
	{ "threads_range.yaml",
	  "threads_range.yaml:1:30: error: 'threads_per_core' must be between 1 and 4, got 5\n" },
	{ "timeline_add.yaml",
	  "timeline_add.yaml:7:9: error: add_cgroup: cgroup 'extra' already exists at step 1\n"
	  "timeline_add.yaml:8:9: error: add_cgroup 'a/b': its parent 'a' does not exist at step 1; add the parent first\n" },
	{ "timeline_children.yaml",
	  "timeline_children.yaml:7:9: error: move_all_tasks: destination 'a' has the child 'a/b'; cgroup v2 runs tasks only in cgroups that hand no controllers down, so move them to a leaf\n"
	  "timeline_children.yaml:8:9: error: spawn: cgroup 'a' has the child 'a/b'; cgroup v2 runs tasks only in cgroups that hand no controllers down, so spawn into a leaf\n"
	  "timeline_children.yaml:9:9: error: remove_cgroup: cgroup 'a' still has the child 'a/b' at step 1; remove the child first\n" },
	{ "timeline_gone.yaml",
	  "timeline_gone.yaml:10:34: error: cgroup 'cg_1' does not exist when step 2 applies set_cpuset (it is removed earlier, added later, or belongs to another step)\n" },
	{ "timeline_loop.yaml",
	  "timeline_loop.yaml:4:5: error: step 1 holds in a loop, but only the last step may loop (it runs until the end of 'duration')\n"
	  "timeline_loop.yaml:7:9: error: add_cgroup cannot repeat in a loop step; loop steps take set_cpuset, clear_cpuset, swap_cpusets, set_affinity, move_all_tasks, set_knob or restart_scheduler\n" },
	{ "timeline_step_cgroups.yaml",
	  "timeline_step_cgroups.yaml:10:9: error: step 1's cgroup 'extra' already exists when the step starts\n"
	  "timeline_step_cgroups.yaml:13:9: error: step 2's cgroup 'par/x' is nested under 'par', which does not exist when the step starts (removed earlier)\n" },
	{ "timeline_twice.yaml",
	  "timeline_twice.yaml:6:9: error: swap_cpusets names cgroup 'cg_0' twice; it needs two different cgroups\n"
	  "timeline_twice.yaml:8:9: error: freeze: cgroup 'cg_0' is already frozen at step 1\n"
	  "timeline_twice.yaml:12:9: error: unfreeze: cgroup 'cg_0' is already thawed at step 2\n" },
	{ "too_many_cgroups.yaml",
	  "too_many_cgroups.yaml:2:3: error: 'cgroups' must have 1 to 32 entries, got 33\n" },
	{ "too_many_cpus.yaml",
	  "too_many_cpus.yaml:1:11: error: topology 1n8l16c4t has 512 CPUs; at most 256 are supported\n" },
	{ "too_many_op_scheds.yaml",
	  "too_many_op_scheds.yaml:12:44: error: too many schedulers in ops: at most 4\n" },
	{ "too_many_spawn_groups.yaml",
	  "too_many_spawn_groups.yaml:25:42: error: too many spawn groups: all ops together may start at most 16\n" },
	{ "too_many_step_cgroups.yaml",
	  "too_many_step_cgroups.yaml:38:9: error: too many cgroups: the backdrop and all steps together may declare at most 32\n" },
	{ "too_many_workers.yaml",
	  "too_many_workers.yaml:2:3: error: cgroups have 600 workers in total; at most 512 are supported\n" },
	{ "two_documents.yaml",
	  "two_documents.yaml:3:1: error: a scenario file holds one YAML document; a second one starts here\n" },
	{ "unknown_cgroup.yaml",
	  "unknown_cgroup.yaml:8:17: error: unknown cgroup 'cg_9' in set_cpuset; did you mean 'cg_0'?\n" },
	{ "unknown_cgroup_far.yaml",
	  "unknown_cgroup_far.yaml:7:36: error: unknown cgroup 'batch' in clear_cpuset; declared cgroups: cg_0, cg_1\n" },
	{ "unknown_key.yaml",
	  "unknown_key.yaml:8:5: error: unknown key 'wokers' in cgroup; did you mean 'workers'?\n" },
	{ "unknown_key_case.yaml",
	  "unknown_key_case.yaml:1:1: error: unknown key 'Duration' in scenario; did you mean 'duration'?\n" },
	{ "unknown_key_far.yaml",
	  "unknown_key_far.yaml:1:1: error: unknown key 'frobnicate' in scenario\n" },
	{ "version_new.yaml",
	  "version_new.yaml:1:10: error: scenario version 2 is newer than this ktstr understands (highest: 1); upgrade ktstr\n" },
	{ "wake_no_unit.yaml",
	  "wake_no_unit.yaml:3:17: error: 'max_wake_p99' needs a unit, e.g. 250us or 2ms\n" },
	{ "wake_range.yaml",
	  "wake_range.yaml:3:17: error: 'max_wake_p99' must be between 1us and 1m, got 2m\n" },
	{ "work_far.yaml",
	  "work_far.yaml:3:11: error: unknown work type 'Teleport'; known work types: SpinWait, YieldHeavy, Mixed, Bursty, IoSyncWrite, PipeIo, FutexPingPong, CachePressure, ForkExit, CacheYield, CachePipe, FutexFanOut, MutexContention, NiceSweep, AffinityChurn, PolicyChurn, PageFaultChurn, IoRandRead, IoConvoy, FanOutCompute, Sequence, WakeChain, ThunderingHerd, PriorityInversion, RtStarvation\n" },
	{ "work_group_contenders.yaml",
	  "work_group_contenders.yaml:3:11: error: cgroup 'cg_0': MutexContention (group 0) requires num_workers divisible by 3, got 2\n" },
	{ "work_group_fan_out.yaml",
	  "work_group_fan_out.yaml:3:14: error: cgroup 'cg_0': FutexFanOut (group 0) requires num_workers divisible by 5, got 4\n" },
	{ "work_group_futex.yaml",
	  "work_group_futex.yaml:4:14: error: cgroup 'cg_0': FutexPingPong (group 0) requires num_workers divisible by 2, got 5\n" },
	{ "work_group_size.yaml",
	  "work_group_size.yaml:3:14: error: cgroup 'cg_0': PipeIo (group 0) requires num_workers divisible by 2, got 3\n" },
	{ "work_group_wake_chain.yaml",
	  "work_group_wake_chain.yaml:3:14: error: cgroup 'cg_0': WakeChain (group 0) requires num_workers divisible by 4, got 3\n"
	  "work_group_wake_chain.yaml:6:11: error: cgroup 'cg_1': ThunderingHerd (group 0) requires num_workers divisible by 3, got 2\n"
	  "work_group_wake_chain.yaml:8:14: error: cgroup 'cg_2': PriorityInversion (group 0) requires num_workers divisible by 3, got 4\n"
	  "work_group_wake_chain.yaml:11:14: error: cgroup 'cg_3': RtStarvation (group 0) requires num_workers divisible by 2, got 5\n"
	  "work_group_wake_chain.yaml:14:14: error: cgroup 'cg_4': FanOutCompute (group 0) requires num_workers divisible by 5, got 4\n" },
	{ "work_no_type.yaml",
	  "work_no_type.yaml:3:11: error: work mapping needs a 'type'\n" },
	{ "work_param_new_range.yaml",
	  "work_param_new_range.yaml:4:45: error: 'rt_priority' must be between 1 and 99, got 100\n"
	  "work_param_new_range.yaml:4:63: error: 'rt_burst_ms' must be between 1 and 60000, got 0\n"
	  "work_param_new_range.yaml:7:41: error: 'pi' must be true or false, got string 'maybe'\n" },
	{ "work_param_none.yaml",
	  "work_param_none.yaml:5:7: error: work type ForkExit takes no parameters, got 'size_kb'\n" },
	{ "work_param_other.yaml",
	  "work_param_other.yaml:3:40: error: work type Bursty takes no 'stride'; its parameters: burst_ms, sleep_ms\n" },
	{ "work_param_range.yaml",
	  "work_param_range.yaml:3:42: error: 'size_kb' must be between 1 and 65536, got 0\n" },
	{ "work_param_unknown.yaml",
	  "work_param_unknown.yaml:3:33: error: unknown key 'strid' in work; did you mean 'stride'?\n" },
	{ "work_phase_duration.yaml",
	  "work_phase_duration.yaml:3:45: error: 'phases[0].sleep' must be between 1ms and 1m, got 0ms\n"
	  "work_phase_duration.yaml:3:58: error: 'phases[1].spin' needs a unit, e.g. 4s or 500ms\n"
	  "work_phase_duration.yaml:3:70: error: 'phases[2].yield' must be between 1ms and 1m, got 2m\n"
	  "work_phase_duration.yaml:3:80: error: 'phases[3].io' must be a duration such as 4s or 500ms, got string 'fast'\n" },
	{ "work_phase_two_keys.yaml",
	  "work_phase_two_keys.yaml:6:23: error: 'phases[0]' has both 'spin' and 'sleep'; a phase is exactly one of spin, sleep, yield, io with a duration, e.g. {spin: 5ms}\n"
	  "work_phase_two_keys.yaml:7:11: error: 'phases[1]' is empty; a phase is exactly one of spin, sleep, yield, io with a duration, e.g. {spin: 5ms}\n"
	  "work_phase_two_keys.yaml:8:11: error: 'phases[2]' must be a mapping such as {spin: 5ms}, got string 'spin'\n" },
	{ "work_phase_unknown.yaml",
	  "work_phase_unknown.yaml:3:51: error: unknown phase kind 'slep' in 'phases[1]'; did you mean 'sleep'?\n"
	  "work_phase_unknown.yaml:3:64: error: unknown phase kind 'nap' in 'phases[2]'; known phase kinds: spin, sleep, yield, io\n" },
	{ "work_phases_many.yaml",
	  "work_phases_many.yaml:5:15: error: 'phases' must have 1 to 8 entries, got 9\n"
	  "work_phases_many.yaml:8:36: error: 'phases' must have 1 to 8 entries, got 0\n"
	  "work_phases_many.yaml:10:36: error: 'phases' must be a sequence of phases such as [{spin: 5ms}, {sleep: 2ms}], got a mapping\n" },
	{ "work_phases_other.yaml",
	  "work_phases_other.yaml:3:26: error: work type Bursty takes no 'phases'; its parameters: burst_ms, sleep_ms\n"
	  "work_phases_other.yaml:5:28: error: work type ForkExit takes no parameters, got 'phases'\n"
	  "work_phases_other.yaml:7:51: error: work type Sequence takes no 'spin_iters'; its parameters: phases\n" },
	{ "work_sequence.yaml",
	  "work_sequence.yaml:3:11: error: 'work' must be a string or a mapping, got a sequence\n" },
	{ "work_sequence_no_phases.yaml",
	  "work_sequence_no_phases.yaml:3:11: error: work type Sequence needs 'phases', e.g. work: {type: Sequence, phases: [{spin: 5ms}, {sleep: 2ms}]}\n"
	  "work_sequence_no_phases.yaml:5:11: error: work type Sequence needs 'phases', e.g. work: {type: Sequence, phases: [{spin: 5ms}, {sleep: 2ms}]}\n" },
	{ "work_type_typo.yaml",
	  "work_type_typo.yaml:3:18: error: unknown work type 'Burst'; did you mean 'Bursty'?\n" },
	{ "work_unknown.yaml",
	  "work_unknown.yaml:3:11: error: unknown work type 'SpinWiat'; did you mean 'SpinWait'?\n" },
	{ "workers_float.yaml",
	  "workers_float.yaml:3:14: error: 'workers' must be an integer, got number '2.5'\n" },
	{ "workers_range.yaml",
	  "workers_range.yaml:3:14: error: 'workers' must be between 0 and 256, got 300\n" },
	{ "workers_type.yaml",
	  "workers_type.yaml:3:14: error: 'workers' must be an integer, got string 'two'\n" },
	{ "works_and_keys.yaml",
	  "works_and_keys.yaml:3:5: error: cgroup 'cg_0' has both 'works' and 'workers'; with 'works', set 'workers' in each entry\n"
	  "works_and_keys.yaml:6:5: error: cgroup 'cg_0' has both 'works' and 'policy'; with 'works', set 'policy' in each entry\n" },
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void run_case(void **state)
{
	const struct bad_case *c = *state;
	struct ktstr_scenario s;
	struct ktstr_diags d;
	char path[512], *out = NULL;
	size_t len = 0;
	FILE *mem;

	snprintf(path, sizeof(path), "%s/%s", BAD_DIR, c->file);
	/* messages name the file as the user typed it; here its basename */
	ktstr_diags_init(&d, c->file);
	assert_int_equal(ktstr_scenario_load_file(path, &s, &d), -EINVAL);
	assert_true(d.n_errors > 0);
	mem = open_memstream(&out, &len);
	assert_non_null(mem);
	ktstr_diags_print(mem, &d);
	fclose(mem);
	assert_string_equal(out, c->expect);
	free(out);
	ktstr_diags_free(&d);
}

static void every_fixture_has_a_case(void **state)
{
	DIR *dir = opendir(BAD_DIR);
	struct dirent *e;
	unsigned n = 0;

	assert_non_null(dir);
	while ((e = readdir(dir))) {
		bool found = false;

		if (!strstr(e->d_name, ".yaml"))
			continue;
		n++;
		for (size_t i = 0; i < N_CASES; i++)
			found |= strcmp(cases[i].file, e->d_name) == 0;
		if (!found)
			fail_msg("fixture %s has no expected diagnostics in test_scenario_bad.c", e->d_name);
	}
	closedir(dir);
	assert_int_equal(n, N_CASES);
}

int main(void)
{
	struct CMUnitTest tests[N_CASES + 1];

	for (size_t i = 0; i < N_CASES; i++)
		tests[i] = (struct CMUnitTest){ .name = cases[i].file, .test_func = run_case,
						.initial_state = (void *)&cases[i] };
	tests[N_CASES] = (struct CMUnitTest){ .name = "every_fixture_has_a_case",
					      .test_func = every_fixture_has_a_case };
	return _cmocka_run_group_tests("scenario_bad", tests, N_CASES + 1, NULL, NULL);
}
