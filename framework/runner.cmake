# Sources of the host runner library (linked into every scenario executable).
set(KTSTR_RUNNER_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/src/run_main.c
  ${CMAKE_CURRENT_LIST_DIR}/src/run_loop.c
  ${CMAKE_CURRENT_LIST_DIR}/src/run_report.c
  ${CMAKE_CURRENT_LIST_DIR}/src/results.c
  ${CMAKE_CURRENT_LIST_DIR}/src/checks.c
  ${CMAKE_CURRENT_LIST_DIR}/src/dump.c
  ${CMAKE_CURRENT_LIST_DIR}/src/initramfs.c
  ${CMAKE_CURRENT_LIST_DIR}/src/sched_host.c
  ${CMAKE_CURRENT_LIST_DIR}/src/sched_report.c
  ${CMAKE_CURRENT_LIST_DIR}/src/sched_btf.c
  ${CMAKE_CURRENT_LIST_DIR}/src/timeouts.c
  ${CMAKE_CURRENT_LIST_DIR}/src/profile_load.c
  ${CMAKE_CURRENT_LIST_DIR}/src/resources.c
  ${CMAKE_CURRENT_LIST_DIR}/src/preflight.c
  ${CMAKE_CURRENT_LIST_DIR}/src/hash.c
)
