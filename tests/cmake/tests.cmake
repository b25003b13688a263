# Build-time behaviour of ktstr_add_scenario() and the installed package.
# Included from tests/CMakeLists.txt.  These configure and build whole
# projects (build/bad_scenario and build/install_package rebuild ktstr), so
# they are slow but need no network and no VM.
set(_ktstr_cmake_tests ${CMAKE_CURRENT_LIST_DIR})
set(_ktstr_cmake_work ${CMAKE_CURRENT_BINARY_DIR}/cmake-tests)
set(_ktstr_gen_args -DGENERATOR=${CMAKE_GENERATOR} -DMAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}
                    -DC_COMPILER=${CMAKE_C_COMPILER} -DKTSTR_SOURCE_DIR=${PROJECT_SOURCE_DIR})

add_test(NAME build/compile_cli
  COMMAND ${CMAKE_COMMAND} -DKTSTR=$<TARGET_FILE:ktstr> -DKTSTR_SOURCE_DIR=${PROJECT_SOURCE_DIR}
          -DWORK_DIR=${_ktstr_cmake_work}/compile_cli -P ${_ktstr_cmake_tests}/compile_cli.cmake)
set_tests_properties(build/compile_cli PROPERTIES LABELS "build" TIMEOUT 60)

add_test(NAME build/bad_scenario
  COMMAND ${CMAKE_COMMAND} ${_ktstr_gen_args} -DWORK_DIR=${_ktstr_cmake_work}/bad_scenario
          -P ${_ktstr_cmake_tests}/bad_scenario.cmake)
set_tests_properties(build/bad_scenario PROPERTIES LABELS "build" TIMEOUT 600)

add_test(NAME build/install_package
  COMMAND ${CMAKE_COMMAND} ${_ktstr_gen_args} -DKTSTR_BINARY_DIR=${PROJECT_BINARY_DIR}
          -DWORK_DIR=${_ktstr_cmake_work}/install_package
          -P ${_ktstr_cmake_tests}/install_package.cmake)
set_tests_properties(build/install_package PROPERTIES LABELS "build" TIMEOUT 600)
