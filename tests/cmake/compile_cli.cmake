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

# A matrix with scheduler flags: one test per variant, which CTest itself
# must read back with the names, command lines and labels documented in
# docs/cmake.md (variants.h names them).
set(mx "${WORK_DIR}/mx.yaml")
file(WRITE "${mx}" [=[
duration: 2s
matrix:
  topology: [{llcs: 1}, {llcs: 2}]
  scheduler:
    - eevdf
    - name: scx_ktstr
      flags:
        - {name: slow, args: [--slow-dispatch], requires: [patient]}
        - {name: patient, args: [--timeout-ms, "20000"]}
cgroups: [{name: cg_0, cpuset: {llc: 0}}]
]=])
ktstr_t_run(mx "${KTSTR}" compile ${outs} --label smoke --kernel 7.2.13+deb14-cloud-amd64-deb-x86_64
            --accel tcg "${mx}")
ktstr_t_expect_rc(mx 0)
# CTest lists a test's command only when the executable exists.
file(WRITE "${WORK_DIR}/ktstr-cli" "#!/bin/sh\n")
file(CHMOD "${WORK_DIR}/ktstr-cli" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
set(ctdir "${WORK_DIR}/ctest")
file(MAKE_DIRECTORY "${ctdir}")
file(WRITE "${ctdir}/CTestTestfile.cmake" "include([=[${t}]=])
")
get_filename_component(_bindir "${CMAKE_COMMAND}" DIRECTORY)
find_program(ctest_exe ctest HINTS "${_bindir}" NO_DEFAULT_PATH)
if(NOT ctest_exe)
  find_program(ctest_exe ctest REQUIRED)
endif()
ktstr_t_run(list "${ctest_exe}" --test-dir "${ctdir}" --show-only=json-v1)
ktstr_t_expect_rc(list 0)
string(JSON n LENGTH "${list_out}" tests)
if(NOT n EQUAL 8)
  message(FATAL_ERROR "expected 8 variant tests (2 topologies x (eevdf + 3 profiles)), got ${n}:
${list_out}")
endif()
set(want_names
  "ktstr/cli@1n1l2c1t+eevdf@7.2.13+deb14-cloud-amd64"
  "ktstr/cli@1n1l2c1t+scx_ktstr+default@7.2.13+deb14-cloud-amd64"
  "ktstr/cli@1n1l2c1t+scx_ktstr+patient@7.2.13+deb14-cloud-amd64"
  "ktstr/cli@1n1l2c1t+scx_ktstr+patient+slow@7.2.13+deb14-cloud-amd64"
  "ktstr/cli@1n2l2c1t+eevdf@7.2.13+deb14-cloud-amd64"
  "ktstr/cli@1n2l2c1t+scx_ktstr+default@7.2.13+deb14-cloud-amd64"
  "ktstr/cli@1n2l2c1t+scx_ktstr+patient@7.2.13+deb14-cloud-amd64"
  "ktstr/cli@1n2l2c1t+scx_ktstr+patient+slow@7.2.13+deb14-cloud-amd64")
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  list(GET want_names ${i} want)
  string(JSON name GET "${list_out}" tests ${i} name)
  string(JSON argc LENGTH "${list_out}" tests ${i} command)
  string(JSON arg GET "${list_out}" tests ${i} command 2)
  if(NOT name STREQUAL want OR NOT argc EQUAL 3)
    message(FATAL_ERROR "test ${i}: '${name}' with ${argc} arguments, expected '${want}' with 3")
  endif()
  string(REGEX MATCH "@([^@]+)@" _ "${name}")
  if(NOT arg STREQUAL "--variant=${CMAKE_MATCH_1}")
    message(FATAL_ERROR "test ${name}: runs with '${arg}', expected --variant=${CMAKE_MATCH_1}")
  endif()
endforeach()
string(JSON np LENGTH "${list_out}" tests 3 properties)
math(EXPR np "${np} - 1")
foreach(i RANGE ${np})
  string(JSON pname GET "${list_out}" tests 3 properties ${i} name)
  if(pname STREQUAL "LABELS")
    string(JSON labels GET "${list_out}" tests 3 properties ${i} value)
  endif()
endforeach()
string(JSON nl LENGTH "${labels}")
set(got_labels "")
math(EXPR nl "${nl} - 1")
foreach(i RANGE ${nl})
  string(JSON l GET "${labels}" ${i})
  list(APPEND got_labels "${l}")
endforeach()
list(SORT got_labels)   # CTest reports them sorted
if(NOT got_labels STREQUAL "flags=patient+slow;kernel=7.2.13+deb14-cloud-amd64;ktstr;scheduler=scx_ktstr;smoke;topology=1n1l2c1t;vm")
  message(FATAL_ERROR "labels of test 3: ${got_labels}")
endif()
# Labels select: each profile is its own test.
ktstr_t_run(sel "${ctest_exe}" --test-dir "${ctdir}" -N -L "^flags=patient[+]slow$" -L "^topology=1n2l2c1t$")
ktstr_t_expect_match(sel "Total Tests: 1
")
ktstr_t_expect_match(sel "ktstr/cli@1n2l2c1t[+]scx_ktstr[+]patient[+]slow@")
# eevdf variants need no scheduler time in their budget: a smaller TIMEOUT.
ktstr_t_expect_file_match("${t}" "\"ktstr/cli@1n1l2c1t[+]eevdf@[^\"]*\" PROPERTIES\n[^\n]*\n  TIMEOUT [1-9][0-9]\n")
file(READ "${t}" text)
string(REGEX MATCH "cli@1n1l2c1t[+]eevdf@[^\n]*\n[^\n]*\n[^\n]*\n  TIMEOUT ([0-9]+)" _ "${text}")
set(t_eevdf "${CMAKE_MATCH_1}")
string(REGEX MATCH "cli@1n1l2c1t[+]scx_ktstr[+]default@[^\n]*\n[^\n]*\n[^\n]*\n  TIMEOUT ([0-9]+)" _ "${text}")
if(NOT t_eevdf OR NOT CMAKE_MATCH_1 GREATER t_eevdf)
  message(FATAL_ERROR "eevdf TIMEOUT '${t_eevdf}' is not below the sched_ext one '${CMAKE_MATCH_1}':\n${text}")
endif()

# `ktstr timeouts --variant` shows the very TIMEOUT that variant's test got.
ktstr_t_run(vt "${KTSTR}" timeouts --accel tcg --variant=1n2l2c1t+scx_ktstr+patient+slow "${mx}")
ktstr_t_expect_rc(vt 0)
ktstr_t_expect_match(vt "Variant 1n2l2c1t[+]scx_ktstr[+]patient[+]slow [(]8 of 8")
string(REGEX MATCH "CTest TIMEOUT ([0-9]+)" _ "${vt_out}")
set(t_shown "${CMAKE_MATCH_1}")
string(REGEX MATCH "cli@1n2l2c1t[+]scx_ktstr[+]patient[+]slow@[^\n]*\n[^\n]*\n[^\n]*\n  TIMEOUT ([0-9]+)" _ "${text}")
if(NOT t_shown OR NOT t_shown STREQUAL CMAKE_MATCH_1)
  message(FATAL_ERROR "ktstr timeouts says TIMEOUT '${t_shown}', the test has '${CMAKE_MATCH_1}'")
endif()
ktstr_t_run(vt "${KTSTR}" timeouts --variant=nope "${mx}")
ktstr_t_expect_rc(vt 1)
ktstr_t_expect_match(vt "--variant=nope: .*mx[.]yaml has no such variant[;] its variants: 1n1l2c1t[+]eevdf, ")

# A combination that cannot run fails the build, naming the matrix entry.
file(WRITE "${mx}" "matrix:\n  topology: [{llcs: 2}, {llcs: 1}]\ncgroups: [{name: cg_0, cpuset: {llc: 1}}]\n")
ktstr_t_run(mxbad "${KTSTR}" compile ${outs} "${mx}")
ktstr_t_expect_rc(mxbad 1)
ktstr_t_expect_match(mxbad "mx\\.yaml:2:25: error: matrix topology entry 2 \\(1n1l2c1t\\): cgroup 'cg_0' \\(cpuset at line 3\\): CpusetSpec validation failed: llc 1 is out of range")
if(EXISTS "${c}" OR EXISTS "${t}")
  message(FATAL_ERROR "stale outputs left after a failed matrix compile")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
message(STATUS "build/compile_cli: ok")
