# build/junit: `ctest --output-junit` writes one <testcase> per test.  Runs
# the docs tests of this build tree (a tiny, VM-free subset) through a
# nested ctest with its own Testing/ directory (the tests/ subdirectory).
#   cmake -DCTEST=<ctest> -DTEST_DIR=<build>/tests -DWORK_DIR= -P junit.cmake
cmake_minimum_required(VERSION 3.20)
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(xml "${WORK_DIR}/junit.xml")

ktstr_t_run(list "${CTEST}" --test-dir "${TEST_DIR}" -N -L "^docs$" --show-only=json-v1)
ktstr_t_expect_rc(list 0)
string(JSON n_tests LENGTH "${list_out}" tests)
if(n_tests EQUAL 0)
  message(FATAL_ERROR "no docs tests in ${TEST_DIR}:\n${list_out}")
endif()

# Pass or fail does not matter here: the report must list every test.
ktstr_t_run(run "${CTEST}" --test-dir "${TEST_DIR}" -L "^docs$" --output-junit "${xml}")
if(NOT EXISTS "${xml}")
  message(FATAL_ERROR "ctest --output-junit wrote no ${xml}:\n${run_out}")
endif()
file(READ "${xml}" text)
if(NOT text MATCHES "<testsuite[ >]")
  message(FATAL_ERROR "${xml} has no <testsuite>:\n${text}")
endif()
string(REGEX MATCHALL "<testcase " cases "${text}")
list(LENGTH cases n_cases)
if(NOT n_cases EQUAL n_tests)
  message(FATAL_ERROR "${xml}: ${n_cases} <testcase> for ${n_tests} tests:\n${text}")
endif()
math(EXPR last "${n_tests} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${list_out}" tests ${i} name)
  ktstr_t_regex_quote(name_re "${name}")
  if(NOT text MATCHES "<testcase name=\"${name_re}\"")
    message(FATAL_ERROR "${xml}: no <testcase> for ${name}:\n${text}")
  endif()
endforeach()
message(STATUS "${xml}: ${n_cases} testcases for ${n_tests} tests")
file(REMOVE_RECURSE "${WORK_DIR}")
