# build/compile_cli: `ktstr compile` / `ktstr timeouts` as the build calls
# them: exit codes, outputs, stale-output removal, the TIMEOUT formula.
#   cmake -DKTSTR= -DKTSTR_SOURCE_DIR= -DWORK_DIR= -P compile_cli.cmake
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(good "${KTSTR_SOURCE_DIR}/tests/cmake/consumer/hello.yaml")
set(bad "${KTSTR_SOURCE_DIR}/tests/cmake/bad_project/bad.yaml")
set(c "${WORK_DIR}/cli.c")
set(t "${WORK_DIR}/cli.cmake")
ktstr_t_regex_quote(work_re "${WORK_DIR}")
ktstr_t_regex_quote(good_re "${good}")
set(outs --name cli --c-out "${c}" --ctest-out "${t}" --exe "${WORK_DIR}/ktstr-cli")

ktstr_t_run(top "${KTSTR}" --version)
ktstr_t_expect_rc(top 0)
ktstr_t_expect_match(top "^ktstr [0-9]")
ktstr_t_run(top "${KTSTR}" no-such-command)
ktstr_t_expect_rc(top 2)
ktstr_t_expect_match(top "unknown command 'no-such-command'")
ktstr_t_run(top "${KTSTR}" help compile)
ktstr_t_expect_rc(top 0)
ktstr_t_expect_match(top "usage: ktstr compile")

ktstr_t_run(usage "${KTSTR}" compile "${good}")
ktstr_t_expect_rc(usage 2)
ktstr_t_expect_match(usage "--name, --c-out, --ctest-out and --exe are all required")
ktstr_t_run(usage "${KTSTR}" compile ${outs} --accel fast "${good}")
ktstr_t_expect_rc(usage 2)
ktstr_t_expect_match(usage "invalid --accel 'fast'")

# A good scenario: both files, the TIMEOUT rounded up, the 3.27 properties.
ktstr_t_run(good "${KTSTR}" compile ${outs} --label smoke --timeout 122.2 --cmake-version 3.27.0 "${good}")
ktstr_t_expect_rc(good 0)
ktstr_t_expect_file_match("${t}" "add_test\\(\"ktstr/cli\" \"${work_re}/ktstr-cli\" \"--harness=ctest\"\\)")
ktstr_t_expect_file_match("${t}" "LABELS \"ktstr;vm;smoke\"\n  TIMEOUT 123\n  SKIP_RETURN_CODE 77\n")
ktstr_t_expect_file_match("${t}" "ENVIRONMENT \"KTSTR_HARNESS_TIMEOUT=123\"")
ktstr_t_expect_file_match("${t}" "TIMEOUT_SIGNAL_NAME SIGTERM\n  TIMEOUT_SIGNAL_GRACE_PERIOD 10\\)")
ktstr_t_expect_file_match("${c}" "ktstr_run_main\\(&scenario, argc, argv\\)")
ktstr_t_expect_file_match("${c}" "\\.source_path = \"${good_re}\"")

# The computed TIMEOUT is the harness budget: hello.yaml is 2 vCPUs, 2 s;
# ci under TCG: factor 3, boot (10+0.5*2)*3=33, run 2+8*3=26, settle 6, +5 -> 70.
ktstr_t_run(good "${KTSTR}" compile ${outs} --profile ci --accel tcg --cmake-version 3.25.1 "${good}")
ktstr_t_expect_rc(good 0)
ktstr_t_expect_file_match("${t}" "TIMEOUT 70\n")
file(READ "${t}" text)
if(text MATCHES "TIMEOUT_SIGNAL")
  message(FATAL_ERROR "TIMEOUT_SIGNAL_NAME written for CMake 3.25:\n${text}")
endif()
ktstr_t_run(formula "${KTSTR}" timeouts --profile ci --accel tcg "${good}")
ktstr_t_expect_rc(formula 0)
ktstr_t_expect_match(formula "CTest TIMEOUT 70")

# A bad scenario: the diagnostic, exit 1, and the earlier outputs are gone.
ktstr_t_run(bad "${KTSTR}" compile ${outs} "${bad}")
ktstr_t_expect_rc(bad 1)
ktstr_t_expect_match(bad "bad\\.yaml:9:1: error: unknown key 'durration'")
if(EXISTS "${c}" OR EXISTS "${t}")
  message(FATAL_ERROR "stale outputs left after a failed compile")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
message(STATUS "build/compile_cli: ok")
