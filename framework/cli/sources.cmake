# Sources of the `ktstr` command: one file per subcommand plus shared helpers.
set(KTSTR_CLI_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/main.c           # command table
  ${CMAKE_CURRENT_LIST_DIR}/cli_util.c       # number / accelerator parsing
  ${CMAKE_CURRENT_LIST_DIR}/compile_gen.c    # what `compile` writes (unit-tested)
  ${CMAKE_CURRENT_LIST_DIR}/cmd_compile.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_validate.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_schema.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_kernel.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_timeouts.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_run.c
)
# `ktstr --version` prints the project version.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/main.c PROPERTIES
  COMPILE_DEFINITIONS "KTSTR_VERSION=\"${PROJECT_VERSION}\"")
