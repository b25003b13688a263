# Sources of the guest agent.  KTSTR_AGENT_LIB_SOURCES are the testable
# pieces (also linked into the host unit tests); agent_main.c is PID 1.
# The work types (work.c is their table); host unit tests link these too.
set(KTSTR_AGENT_WORK_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/work.c
  ${CMAKE_CURRENT_LIST_DIR}/work_spin.c
  ${CMAKE_CURRENT_LIST_DIR}/work_yield.c
  ${CMAKE_CURRENT_LIST_DIR}/work_bursty.c
  ${CMAKE_CURRENT_LIST_DIR}/work_io.c
  ${CMAKE_CURRENT_LIST_DIR}/work_pipe.c
  ${CMAKE_CURRENT_LIST_DIR}/work_futex.c
  ${CMAKE_CURRENT_LIST_DIR}/work_cache.c
  ${CMAKE_CURRENT_LIST_DIR}/work_fork.c
  ${CMAKE_CURRENT_LIST_DIR}/work_churn.c
  ${CMAKE_CURRENT_LIST_DIR}/work_pagefault.c
  ${CMAKE_CURRENT_LIST_DIR}/work_wake.c
  ${CMAKE_CURRENT_LIST_DIR}/work_sequence.c
  ${CMAKE_CURRENT_LIST_DIR}/work_rt.c
)
set(KTSTR_AGENT_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/fileio.c
  ${CMAKE_CURRENT_LIST_DIR}/cmdline.c
  ${CMAKE_CURRENT_LIST_DIR}/channel.c
  ${CMAKE_CURRENT_LIST_DIR}/topology.c
  ${CMAKE_CURRENT_LIST_DIR}/cgroups.c
  ${CMAKE_CURRENT_LIST_DIR}/mounts.c
  ${KTSTR_AGENT_WORK_SOURCES}
  ${CMAKE_CURRENT_LIST_DIR}/workers.c
  ${CMAKE_CURRENT_LIST_DIR}/report.c
  ${CMAKE_CURRENT_LIST_DIR}/scenario_file.c
  ${CMAKE_CURRENT_LIST_DIR}/sched.c
  ${CMAKE_CURRENT_LIST_DIR}/run.c
  ${CMAKE_CURRENT_LIST_DIR}/lifecycle.c
)
set(KTSTR_AGENT_SOURCES
  ${KTSTR_AGENT_LIB_SOURCES}
  ${CMAKE_CURRENT_LIST_DIR}/agent_main.c
)
