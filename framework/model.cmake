# Sources of the scenario model, compiled into both the host and the guest.
set(KTSTR_MODEL_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/src/proto.c
  ${CMAKE_CURRENT_LIST_DIR}/src/diag.c
  ${CMAKE_CURRENT_LIST_DIR}/src/scenario.c
  ${CMAKE_CURRENT_LIST_DIR}/src/scenario_yaml.c
  ${CMAKE_CURRENT_LIST_DIR}/src/cpulist.c
  ${CMAKE_CURRENT_LIST_DIR}/src/error.c
  ${CMAKE_CURRENT_LIST_DIR}/src/topo.c
)
