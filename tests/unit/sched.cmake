# sched_ext support: the host's parsing behind the scheduler verdict and the
# scheduler discovery/collection, and the guest's kmsg and sysctl pieces.
set(_ktstr_unit_dir ${CMAKE_CURRENT_LIST_DIR})
ktstr_unit_test(test_sched_report SOURCES ${_ktstr_unit_dir}/test_sched_report.c
  LIBS ktstr_runner)
target_include_directories(test_sched_report PRIVATE ${PROJECT_SOURCE_DIR}/framework/src)
# The verdicts on scheduler ops (every instance) and payloads, on a hand-filled runner.
ktstr_unit_test(test_swap_report SOURCES ${_ktstr_unit_dir}/test_swap_report.c
  LIBS ktstr_runner)
target_include_directories(test_swap_report PRIVATE ${PROJECT_SOURCE_DIR}/framework/src)
# The kfunc BTF check: synthetic BTF and the cached default kernel's (skipped without it).
ktstr_unit_test(test_sched_btf SOURCES ${_ktstr_unit_dir}/test_sched_btf.c LIBS ktstr_runner)
target_include_directories(test_sched_btf PRIVATE ${PROJECT_SOURCE_DIR}/framework/src)
include(${PROJECT_SOURCE_DIR}/guest/sources.cmake)   # KTSTR_AGENT_WORK_SOURCES
ktstr_unit_test(test_guest_sched
  SOURCES ${_ktstr_unit_dir}/test_guest_sched.c ${PROJECT_SOURCE_DIR}/guest/sched.c
          ${PROJECT_SOURCE_DIR}/guest/fileio.c ${PROJECT_SOURCE_DIR}/guest/channel.c
          ${PROJECT_SOURCE_DIR}/guest/report.c ${PROJECT_SOURCE_DIR}/guest/workers.c ${PROJECT_SOURCE_DIR}/guest/attrs.c
          ${KTSTR_AGENT_WORK_SOURCES}
          ${PROJECT_SOURCE_DIR}/guest/cgroups.c
  LIBS ktstr_model_host PkgConfig::JANSSON)
target_include_directories(test_guest_sched PRIVATE ${PROJECT_SOURCE_DIR}/guest)
# The host's answer to the guest's VERDICT_REQUEST (verdict.c).
ktstr_unit_test(test_verdict SOURCES ${_ktstr_unit_dir}/test_verdict.c LIBS ktstr_runner)
target_include_directories(test_verdict PRIVATE ${PROJECT_SOURCE_DIR}/framework/src)
