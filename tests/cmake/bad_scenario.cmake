# build/bad_scenario: a project with a scenario typo must fail to BUILD,
# printing bad.yaml:LINE:COL: error: ...; fixing the file makes it build;
# breaking it again removes the stale generated test.
#   cmake -DKTSTR_SOURCE_DIR= -DWORK_DIR= -DGENERATOR= [-DMAKE_PROGRAM=] [-DC_COMPILER=] -P bad_scenario.cmake
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)

set(src "${WORK_DIR}/src")
set(bin "${WORK_DIR}/build")
file(REMOVE_RECURSE "${WORK_DIR}")
file(COPY "${CMAKE_CURRENT_LIST_DIR}/bad_project/" DESTINATION "${src}")
ktstr_t_generator_args(gen)

ktstr_t_run(configure ${CMAKE_COMMAND} -S "${src}" -B "${bin}" ${gen} "-DKTSTR_SOURCE_DIR=${KTSTR_SOURCE_DIR}")
ktstr_t_expect_rc(configure 0)
ktstr_t_run(listed ${CMAKE_CTEST_COMMAND} --test-dir "${bin}" -N -L ktstr)
ktstr_t_expect_match(listed "ktstr/bad_NOT_BUILT")

# 1. The typo fails the build, with the diagnostic.
ktstr_t_run(build ${CMAKE_COMMAND} --build "${bin}")
if(build_rc EQUAL 0)
  message(FATAL_ERROR "the build succeeded; it must fail on bad.yaml:\n${build_out}")
endif()
ktstr_t_expect_match(build "bad\\.yaml:9:1: error: unknown key 'durration'")
if(EXISTS "${bin}/ktstr_gen/bad.c" OR EXISTS "${bin}/ktstr_gen/bad.cmake")
  message(FATAL_ERROR "a failed compile left generated files in ${bin}/ktstr_gen")
endif()

# 2. Fixed, it builds and registers ktstr/bad.
file(READ "${src}/bad.yaml" bad_text)
string(REPLACE "durration: 3s" "# fixed" good_text "${bad_text}")
file(WRITE "${src}/bad.yaml" "${good_text}")
ktstr_t_run(rebuild ${CMAKE_COMMAND} --build "${bin}")
ktstr_t_expect_rc(rebuild 0)
if(NOT EXISTS "${bin}/scenarios/ktstr-bad")
  message(FATAL_ERROR "no executable ${bin}/scenarios/ktstr-bad after a good build")
endif()
ktstr_t_run(listed ${CMAKE_CTEST_COMMAND} --test-dir "${bin}" -N -L bad_project)
ktstr_t_expect_match(listed "ktstr/bad\n")

# 3. Broken again: the build fails and the old test is no longer registered.
file(WRITE "${src}/bad.yaml" "${bad_text}")
ktstr_t_run(build ${CMAKE_COMMAND} --build "${bin}")
if(build_rc EQUAL 0)
  message(FATAL_ERROR "the build succeeded after re-breaking bad.yaml:\n${build_out}")
endif()
ktstr_t_expect_match(build "bad\\.yaml:9:1: error: unknown key 'durration'")
ktstr_t_run(listed ${CMAKE_CTEST_COMMAND} --test-dir "${bin}" -N -L ktstr)
ktstr_t_expect_match(listed "ktstr/bad_NOT_BUILT")

file(REMOVE_RECURSE "${WORK_DIR}")
message(STATUS "build/bad_scenario: ok")
