# Sources of the scenario model, compiled into both the host and the guest.
# Only libc, libyaml and zlib may be used here: the guest agent links these
# statically.
set(KTSTR_MODEL_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/src/proto.c
  ${CMAKE_CURRENT_LIST_DIR}/src/diag.c
  ${CMAKE_CURRENT_LIST_DIR}/src/scenario.c
  ${CMAKE_CURRENT_LIST_DIR}/src/work_types.c
  ${CMAKE_CURRENT_LIST_DIR}/src/scenario_yaml.c
  ${CMAKE_CURRENT_LIST_DIR}/src/scenario_checks.c
  ${CMAKE_CURRENT_LIST_DIR}/src/yaml_values.c
  ${CMAKE_CURRENT_LIST_DIR}/src/yaml_compound.c
  ${CMAKE_CURRENT_LIST_DIR}/src/schema.c
  ${CMAKE_CURRENT_LIST_DIR}/src/suggest.c
  ${CMAKE_CURRENT_LIST_DIR}/src/value_text.c
  ${CMAKE_CURRENT_LIST_DIR}/src/cpulist.c
  ${CMAKE_CURRENT_LIST_DIR}/src/error.c
  ${CMAKE_CURRENT_LIST_DIR}/src/fsutil.c
  ${CMAKE_CURRENT_LIST_DIR}/src/topo.c
  ${CMAKE_CURRENT_LIST_DIR}/src/wakehist.c
  ${CMAKE_CURRENT_LIST_DIR}/src/scenario_matrix.c
  ${CMAKE_CURRENT_LIST_DIR}/src/variants.c
)
