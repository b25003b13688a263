# VM tests: real kernels in real QEMU (label `vm`; slow under TCG).
# They drive scenario executables and assert on exit codes, TAP and dumps.
# Run them alone with `ctest -L vm`; skip them with `ctest -LE vm`.

ktstr_add_scenario(fail_gap ${CMAKE_CURRENT_LIST_DIR}/scenarios/fail_gap.yaml NO_TEST)
ktstr_add_scenario(long ${CMAKE_CURRENT_LIST_DIR}/scenarios/long.yaml NO_TEST)
ktstr_add_scenario(topology_numa_smt ${CMAKE_CURRENT_LIST_DIR}/scenarios/topology_numa_smt.yaml NO_TEST)
ktstr_add_scenario(fail_wake ${CMAKE_CURRENT_LIST_DIR}/scenarios/fail_wake.yaml NO_TEST)
ktstr_add_scenario(isolation_numa ${CMAKE_CURRENT_LIST_DIR}/scenarios/isolation_numa.yaml NO_TEST)
# One scenario per work-type family (docs/workloads.md), run under EEVDF below.
set(_ktstr_work_families work_yield work_bursty work_io work_pairs work_cache work_fork
  work_futex_groups work_churn work_pagefault work_wake work_sequence work_rt)
foreach(_f IN LISTS _ktstr_work_families)
  ktstr_add_scenario(${_f} ${CMAKE_CURRENT_LIST_DIR}/scenarios/${_f}.yaml NO_TEST)
endforeach()

set(_vm ${CMAKE_CURRENT_LIST_DIR})
set(_steady ${KTSTR_BUNDLED_SCENARIO_DIR}/ktstr-steady)

function(ktstr_vm_test name)
  add_test(NAME vm/${name} COMMAND bash ${ARGN})
  set_tests_properties(vm/${name} PROPERTIES LABELS "vm" TIMEOUT 180)
endfunction()

# A failing scenario: not ok + dump + run directory + exit 1.
ktstr_vm_test(failure_dump ${_vm}/expect_fail.sh $<TARGET_FILE:ktstr-fail_gap>)
# prove (TAP::Harness 3.44) parses the stream without errors.
ktstr_vm_test(prove_parses ${_vm}/prove.sh ${_steady})
# No orphan QEMU whatever signal ends the executable.
ktstr_vm_test(sigterm_no_orphan ${_vm}/signals.sh ${_steady} TERM)
ktstr_vm_test(sigint_no_orphan ${_vm}/signals.sh ${_steady} INT)
ktstr_vm_test(sigkill_no_orphan ${_vm}/signals.sh ${_steady} KILL)
# Watchdog tiers, each with its own message, before the harness timeout.
ktstr_vm_test(watchdog_boot ${_vm}/watchdog.sh ${_steady}
  "guest agent not ready within the boot budget" 40 --agent-fault=hang_before_hello --boot-budget=10
  --infra-retries=0)
# A guest that never reaches userspace (QEMU started paused: not a single
# console line) ends at the boot budget with console_output=no.
ktstr_vm_test(never_userspace ${_vm}/watchdog.sh ${_steady}
  "guest agent not ready within the boot budget.*console_output=no" 40
  --qemu-arg=-S --boot-budget=8 --infra-retries=0)
# A VM that never reaches the agent is an infrastructure failure: retried,
# then reported as such (not as a scheduler failure).
ktstr_vm_test(infra_retry ${_vm}/watchdog.sh ${_steady}
  "infrastructure failure after 2 attempt.s., not a scheduler failure" 40
  --agent-fault=hang_before_hello --boot-budget=6 --infra-retries=1)
ktstr_vm_test(watchdog_progress ${_vm}/watchdog.sh ${_steady}
  "no progress from the guest for 5s" 60 --agent-fault=stall_mid_scenario --progress-timeout=5)
ktstr_vm_test(watchdog_deadline ${_vm}/watchdog.sh $<TARGET_FILE:ktstr-long>
  "hard deadline of 30s reached" 35)
set_tests_properties(vm/watchdog_boot vm/watchdog_progress vm/watchdog_deadline vm/infra_retry vm/never_userspace
  PROPERTIES RESOURCE_LOCK ktstr_agent_fault)

# The guest sees the requested NUMA/LLC/SMT layout and per-LLC/node cpusets hold.
add_test(NAME vm/topology_numa_smt COMMAND $<TARGET_FILE:ktstr-topology_numa_smt> --harness=ctest)
set_tests_properties(vm/topology_numa_smt PROPERTIES LABELS "vm" TIMEOUT 180 SKIP_RETURN_CODE 77)
# The telemetry checks on a real guest: wake-up latencies and schedstat make it
# into the dump, and a wake_p99 that cannot hold fails naming the tids; the
# isolation and NUMA locality checks pass across cpusets per node and a
# cpuset change, with the per-node counts and allowed CPUs in the dump.
ktstr_vm_test(check_wake_p99 ${_vm}/expect_check.sh 1 $<TARGET_FILE:ktstr-fail_wake>
  ${_vm}/expect/fail_wake.txt)
ktstr_vm_test(check_isolation_numa ${_vm}/expect_check.sh 0 $<TARGET_FILE:ktstr-isolation_numa>
  ${_vm}/expect/isolation_numa.txt)
# Every work type runs, progresses and stops in a real guest.
foreach(_f IN LISTS _ktstr_work_families)
  add_test(NAME vm/${_f} COMMAND $<TARGET_FILE:ktstr-${_f}> --harness=ctest)
  set_tests_properties(vm/${_f} PROPERTIES LABELS "vm" TIMEOUT 180 SKIP_RETURN_CODE 77)
endforeach()
# Payloads (docs/payloads.md): a waited command passes, a non-zero exit fails with its
# message and dump section, kill_payload takes a payload and its children down.
foreach(_p payload_wait payload_fail payload_kill)
  ktstr_add_scenario(${_p} ${CMAKE_CURRENT_LIST_DIR}/scenarios/${_p}.yaml NO_TEST)
endforeach()
foreach(_p payload_wait payload_kill)
  add_test(NAME vm/${_p} COMMAND $<TARGET_FILE:ktstr-${_p}> --harness=ctest)
  set_tests_properties(vm/${_p} PROPERTIES LABELS "vm" TIMEOUT 180 SKIP_RETURN_CODE 77)
endforeach()
ktstr_vm_test(payload_fail ${_vm}/expect_payload_fail.sh $<TARGET_FILE:ktstr-payload_fail>)
# The scenario library's ops do what they claim, as the per-worker CPUs,
# cgroups and times in the dump show (lib_check.sh); lib_ops covers every
# cgroup op in one VM, the others check bundled scenarios.
ktstr_add_scenario(lib_ops ${CMAKE_CURRENT_LIST_DIR}/scenarios/lib_ops.yaml NO_TEST)
ktstr_vm_test(lib_ops ${_vm}/lib_check.sh $<TARGET_FILE:ktstr-lib_ops> ops)
foreach(_s affinity_pinned freeze_thaw nested_task_move cgroup_knobs)
  ktstr_vm_test(lib_${_s} ${_vm}/lib_check.sh ${KTSTR_BUNDLED_SCENARIO_DIR}/ktstr-${_s} ${_s})
  set_tests_properties(vm/lib_${_s} PROPERTIES SKIP_RETURN_CODE 77)
endforeach()
set_tests_properties(vm/lib_ops PROPERTIES SKIP_RETURN_CODE 77)
# sched_ext schedulers under test: every failure category, with the fixture scheduler.
include(${CMAKE_CURRENT_LIST_DIR}/sched_ext.cmake)
