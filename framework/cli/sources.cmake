set(KTSTR_CLI_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/main.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_compile.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_validate.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_schema.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_kernel.c
)
