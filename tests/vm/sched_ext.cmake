# sched_ext VM tests (labels `vm;sched_ext`): each failure category the
# runner reports for a scheduler under test, with its exact message and dump
# sections, driven by the fixture scheduler scx_ktstr (bpf/) where one is
# needed.  Without the BPF toolchain (ci/bpf-toolchain.sh) the fixture is not
# built and its tests are not registered; bpf/CMakeLists.txt says so.

set(_vm ${CMAKE_CURRENT_LIST_DIR})
function(ktstr_sched_test name)
  add_test(NAME vm/sched_${name} COMMAND bash ${_vm}/expect_sched.sh ${ARGN})
  set_tests_properties(vm/sched_${name} PROPERTIES LABELS "vm;sched_ext" TIMEOUT 180)
endfunction()

# No fixture needed: discovery failure and the attach bound.
foreach(s not_found no_attach)
  ktstr_add_scenario(sched_${s} ${_vm}/scenarios/sched_${s}.yaml NO_TEST)
endforeach()
ktstr_sched_test(not_found $<TARGET_FILE:ktstr-sched_not_found> 1
  "scheduler 'scx_ktstr_does_not_exist' not found\\. Set KTSTR_SCHEDULER_BIN_SCX_KTSTR_DOES_NOT_EXIST or KTSTR_SCHEDULER")
ktstr_sched_test(no_attach $<TARGET_FILE:ktstr-sched_no_attach> 1
  "scheduler 'sleep' did not turn on within 2s: /sys/kernel/sched_ext/state is 'disabled'"
  "~^not ok 3 - scheduler: 'sleep'" "~^ok 4 - scenario: .* # SKIP not reached"
  "scheduler log")

if(NOT KTSTR_BPF_FIXTURE)
  message(STATUS "ktstr: sched_ext fixture VM tests not registered (scx_ktstr is not built)")
  return()
endif()
foreach(s healthy stall error verify died starve expect_err expect_err_unmet swap swap_fail)
  ktstr_add_scenario(sched_${s} ${_vm}/scenarios/sched_${s}.yaml NO_TEST)
  add_dependencies(ktstr-sched_${s} scx_ktstr)
endforeach()
ktstr_sched_test(healthy $<TARGET_FILE:ktstr-sched_healthy> 0
  "^ok 3 - scheduler: 'scx_ktstr' attached in [0-9.]+s \\(ops 'ktstr'\\) and stayed attached"
  "~^ok 9 - kernel log: no BUG"
  "!scheduler log")
ktstr_sched_test(stall $<TARGET_FILE:ktstr-sched_stall> 1
  "sched_ext disabled scheduler 'scx_ktstr' after completing step 0 of 1 \\([0-9.]+s into test\\): runnable task stall[;] ktstr: init\\[[0-9]+\\] failed to run for"
  "scheduler log" "sched_ext dump")
ktstr_sched_test(error $<TARGET_FILE:ktstr-sched_error> 1
  "sched_ext disabled scheduler 'scx_ktstr' after completing step 0 of 1 \\([0-9.]+s into test\\): scx_bpf_error[;] ktstr: [^ ]*scx_ktstr.bpf.c:[0-9]+: ktstr fixture: injected error after 200 dispatches"
  "scheduler log" "sched_ext dump")
ktstr_sched_test(verify $<TARGET_FILE:ktstr-sched_verify> 1
  "scheduler 'scx_ktstr' did not turn on: the BPF verifier rejected it: R[0-9] invalid mem access 'scalar' \\(processed=[0-9]+  states=[0-9]+/[0-9]+\\)"
  "verifier stats" "scheduler log")
ktstr_sched_test(died $<TARGET_FILE:ktstr-sched_died> 1
  "scheduler process died unexpectedly after completing step 0 of 1 \\([0-9.]+s into test\\)[;] 'scx_ktstr' exit code 3"
  "scheduler log")
ktstr_sched_test(starve $<TARGET_FILE:ktstr-sched_starve> 1
  "^not ok 6 - check max_gap" "~^ok 3 - scheduler: 'scx_ktstr' attached"
  "scheduler log")
ktstr_sched_test(expect_err $<TARGET_FILE:ktstr-sched_expect_err> 0
  "^# expect_err: the scheduler failed as expected: scheduler 'scx_ktstr' did not turn on: the BPF verifier rejected it: R[0-9] invalid mem access 'scalar'"
  "~^ok 3 - scheduler: 'scx_ktstr' failed as expected \\(expect_err \"invalid mem access 'scalar'\"\\): "
  "~^# expect_err: \"invalid mem access 'scalar'\" found in the failure message"
  "~^ok 4 - scenario: .* # SKIP not reached")
ktstr_sched_test(expect_err_unmet $<TARGET_FILE:ktstr-sched_expect_err_unmet> 1
  "^not ok 3 - scheduler: 'scx_ktstr' fails as expected \\(expect_err\\)"
  "~expect_err: scheduler 'scx_ktstr' attached in [0-9.]+s \\(ops 'ktstr'\\) and stayed attached, but the scenario expects it to fail"
  "scheduler log")

# A check fails while the scheduler stays attached: the guest asks for the
# verdict and dumps the scheduler with SysRq-D (docs/schedulers.md).  The
# `slow` variant's args reach the scheduler only through the guest's own
# variant selection (ktstr.variant=), so the failure also proves that.
ktstr_add_scenario(sched_slow_dispatch ${_vm}/scenarios/sched_slow_dispatch.yaml NO_TEST)
add_dependencies(ktstr-sched_slow_dispatch scx_ktstr)
ktstr_sched_test(slow_dispatch_dump $<TARGET_FILE:ktstr-sched_slow_dispatch> 1
  "^not ok 6 - check max_gap: [1-4] of 4 workers stuck longer than 400ms"
  "~^# variant slow \\(2 of 2\\): topology=1n1l2c1t scheduler=scx_ktstr flags=slow$"
  "~^ok 3 - scheduler: 'scx_ktstr' attached in [0-9.]+s \\(ops 'ktstr'\\) and stayed attached$"
  "~^#   tid [0-9]+ stuck [0-9]+ms( on cpu[0-9]+)? at [+][0-9]+ms \\(threshold 400ms\\)$"
  "~^# sched_ext dump: check max_gap failed while 'scx_ktstr' was attached[;] the guest triggered SysRq-D"
  "~^# ktstr_test 'sched_slow_dispatch' \\[variant=slow\\] \\[sched=scx_ktstr\\]"
  "~sched_ext_dump: Debug dump triggered by SysRq-D$"
  "~verdict sent: check max_gap failed"
  "sched_ext dump" "scheduler log")
set_tests_properties(vm/sched_slow_dispatch_dump PROPERTIES ENVIRONMENT "KTSTR_TEST_ARGS=--variant=slow")

# Flag profiles are tests of their own: ktstr/sched_profiles@default,
# @patient, @patient+slow (on one kernel of the matrix, to keep VM time down).
set(_kernels "")
if(KTSTR_KERNELS)
  list(GET KTSTR_KERNELS 0 _first_kernel)
  set(_kernels KERNELS "${_first_kernel}")
endif()
ktstr_add_scenario(sched_profiles ${_vm}/scenarios/sched_profiles.yaml LABELS sched_ext ${_kernels})
add_dependencies(ktstr-sched_profiles scx_ktstr)
# Scheduler ops under SpinWait load: eevdf, attach, detach, attach, restart, replace; each
# instance attaches, and the TAP says how each came and went.
ktstr_sched_test(swap $<TARGET_FILE:ktstr-sched_swap> 0
  "^ok 3 - scheduler: 4 starts \\('scx_ktstr' first, attached in [0-9.]+s\\), each attached and stayed attached until stopped$"
  "~^# scheduler #1 'scx_ktstr' \\(attach_scheduler in step 2\\): attached in [0-9.]+s \\(ops 'ktstr'\\), stopped by detach_scheduler at [0-9.]+s$"
  "~^# scheduler #2 'scx_ktstr' \\(attach_scheduler in step 4\\): attached in [0-9.]+s \\(ops 'ktstr'\\), stopped by restart_scheduler at"
  "~^# scheduler #3 'scx_ktstr' \\(restart_scheduler in step 5\\): attached in [0-9.]+s \\(ops 'ktstr'\\), stopped by replace_scheduler at"
  "~^# scheduler #4 'scx_ktstr' \\(replace_scheduler in step 6\\): attached in [0-9.]+s \\(ops 'ktstr'\\), stopped by end at"
  "~^ok 4 - scenario: ran to completion" "~^ok 9 - kernel log"
  "!scheduler log")
# An op's scheduler that fails to load is reported like the scenario's own: category,
# which op in which step, when, and its part of the log.
ktstr_sched_test(swap_fail $<TARGET_FILE:ktstr-sched_swap_fail> 1
  "scheduler 'scx_ktstr' did not turn on: the BPF verifier rejected it: R[0-9] invalid mem access 'scalar' .* \\(scheduler #1, started by attach_scheduler in step 2, [0-9.]+s into test\\)"
  "~^not ok 3 - scheduler: 'scx_ktstr' attached and stayed attached$"
  "~^#   === ktstr: scheduler #1 'scx_ktstr' \\(attach_scheduler in step 2\\) ===$"
  "~\\[t= +[0-9]+ms\\] scheduler #1 'scx_ktstr' launched \\(attach_scheduler in step 2\\)"
  "verifier stats" "scheduler log")

# The kernel's scx_qmap, rejected by the 7.2 verifier (scenarios/steady_scx_qmap.yaml,
# expect_err): the report says "verifier rejected", the instruction and the source line.
if(TARGET ktstr-steady_scx_qmap)
  ktstr_sched_test(qmap_verifier $<TARGET_FILE:ktstr-steady_scx_qmap> 0
    "^# expect_err: the scheduler failed as expected: scheduler 'scx_qmap' did not turn on: the BPF verifier rejected it: R7 invalid mem access 'scalar' \\(processed=[0-9]+  states=[0-9]+/[0-9]+\\)[;] offending instruction [0-9]+: \\([0-9a-f]+\\) [^;]+[;] source line scx_qmap[.]bpf[.]c:[0-9]+ `[^`]+`$"
    "~^ok 3 - scheduler: 'scx_qmap' failed as expected \\(expect_err \"R7 invalid mem access 'scalar'\"\\)")
endif()
