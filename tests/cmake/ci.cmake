# CI plumbing, checked without a VM (label `build`).  Included from
# tests/CMakeLists.txt.
#   build/ci_compile_shard  profile files, RESOURCE_GROUPS and KTSTR_SHARD as
#                           `ktstr compile` generates and ctest evaluates them
#   build/junit             ctest --output-junit: one <testcase> per test
add_test(NAME build/ci_compile_shard
  COMMAND ${CMAKE_COMMAND} -DKTSTR=$<TARGET_FILE:ktstr> -DKTSTR_SOURCE_DIR=${PROJECT_SOURCE_DIR}
          -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/cmake-tests/ci_compile_shard
          -P ${CMAKE_CURRENT_LIST_DIR}/shard.cmake)
add_test(NAME build/junit
  COMMAND ${CMAKE_COMMAND} -DCTEST=${CMAKE_CTEST_COMMAND} -DTEST_DIR=${CMAKE_CURRENT_BINARY_DIR}
          -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/cmake-tests/junit
          -P ${CMAKE_CURRENT_LIST_DIR}/junit.cmake)
set_tests_properties(build/ci_compile_shard build/junit PROPERTIES LABELS "build" TIMEOUT 120)
