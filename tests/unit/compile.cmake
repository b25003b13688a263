# Unit tests of `ktstr compile`'s pieces: escaping, embedding, the generated
# files, atomic writes.  Included from tests/CMakeLists.txt.
ktstr_unit_test(test_compile
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_compile.c
          ${PROJECT_SOURCE_DIR}/framework/cli/compile_gen.c
          ${PROJECT_SOURCE_DIR}/framework/cli/cli_util.c
  LIBS ktstr_vmm ktstr_model_host m)
target_include_directories(test_compile PRIVATE ${PROJECT_SOURCE_DIR}/framework/cli)
