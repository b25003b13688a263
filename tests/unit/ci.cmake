# Unit tests of the CI plumbing: timeout profile files (strict loader, no
# drift from the built-in table), CTest resource allocation parsing, and
# what `ktstr compile` generates for profiles, RESOURCE_GROUPS and sharding.
# Included from tests/CMakeLists.txt.
ktstr_unit_test(test_ci
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_ci.c
          ${PROJECT_SOURCE_DIR}/framework/cli/compile_gen.c
  LIBS ktstr_runner)
target_include_directories(test_ci PRIVATE ${PROJECT_SOURCE_DIR}/framework/cli
                                           ${PROJECT_SOURCE_DIR}/framework/src)
