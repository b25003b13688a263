# KtstrScenario: turn scenario YAML files into CTest tests, one VM each.
#
#   ktstr_add_scenario(<name> <file.yaml>
#                      [LABELS <label>...]   # extra CTest labels
#                      [TIMEOUT <seconds>]   # CTest TIMEOUT; default: computed
#                      [PROFILE <profile>]   # timeout profile; default ${KTSTR_PROFILE}
#                      [KERNELS <spec>...]   # kernel matrix; default ${KTSTR_KERNELS}
#                      [NO_TEST])            # build the executable, register no test
#
# A relative <file.yaml> is relative to CMAKE_CURRENT_SOURCE_DIR.  For each
# call the build:
#   1. runs `ktstr compile` on the file (re-run when the file or ktstr
#      changes).  A scenario with errors fails the BUILD with
#      `file.yaml:LINE:COL: error: ...`.  It writes, under
#      ${CMAKE_CURRENT_BINARY_DIR}/ktstr_gen/:
#        <name>.c      main() embedding the validated YAML
#        <name>.cmake  add_test(ktstr/<name> ...) + properties
#   2. builds executable target ktstr-<name> into ${KTSTR_SCENARIO_OUTPUT_DIR}
#      (default ${CMAKE_BINARY_DIR}/scenarios), the same directory for every
#      configuration, so `prove -e '' build/scenarios/ktstr-*` finds them.
#   3. registers test ktstr/<name> (labels `ktstr`, `vm` and LABELS; TIMEOUT;
#      SKIP_RETURN_CODE 77; KTSTR_HARNESS_TIMEOUT in the environment; with
#      CMake >= 3.27 TIMEOUT_SIGNAL_NAME SIGTERM + 10 s grace).  Until the
#      build has run, test ktstr/<name>_NOT_BUILT stands in and fails,
#      saying to build first.  NO_TEST skips this step: for executables
#      that other tests drive ($<TARGET_FILE:ktstr-<name>>).
#      With kernels (KERNELS, else the KTSTR_KERNELS cache variable), one
#      test per kernel instead: ktstr/<name>@<version>, label
#      kernel=<version>, KTSTR_KERNEL=<spec> in its environment.
#      A scenario with a `matrix` or scheduler `flags` registers one test
#      per variant, ktstr/<name>@<variant>[@<version>], run with
#      --variant=<variant>, labels topology=, scheduler= (and flags=)
#      (docs/cmake.md, "Variants").
#
# The default TIMEOUT is `ktstr timeouts` for the scenario's vCPUs and
# duration under PROFILE, assuming TCG unless /dev/kvm is usable at build
# time (KTSTR_ACCEL=kvm|tcg forces one).  See docs/cmake.md.
#
# Timeout profiles are files: ${KTSTR_PROFILE_DIR}/<profile>.yaml (in-tree
# ci/profiles/, installed share/ktstr/profiles/), embedded into each
# executable by `ktstr compile --profile-file`.  Including this module also
# writes ${CMAKE_BINARY_DIR}/ktstr-resources.json, a CTest resource spec
# (host CPUs, capped by KTSTR_MAX_PARALLEL_CPUS, and memory) that each
# scenario test's RESOURCE_GROUPS draw from under
# `ctest --resource-spec-file ktstr-resources.json -j N` (run in the build
# directory; with --test-dir give an absolute path).  See docs/ci.md.
#
# Works the same inside ktstr's own tree, after add_subdirectory(ktstr), and
# after find_package(ktstr): only the targets it uses differ, and those are
# recorded here once, in global properties, so a caller in any directory
# gets the right ones.
include_guard(GLOBAL)

set(KTSTR_PROFILE "default" CACHE STRING "Timeout profile for scenario tests (default, ci)")
set(KTSTR_ACCEL "auto" CACHE STRING
    "Accelerator scenario TIMEOUTs assume: auto (kvm if /dev/kvm is usable at build time), kvm, tcg")
set_property(CACHE KTSTR_ACCEL PROPERTY STRINGS auto kvm tcg)
if(KTSTR_IN_TREE)
  get_filename_component(_ktstr_profile_dir "${CMAKE_CURRENT_LIST_DIR}/../ci/profiles" ABSOLUTE)
else()
  set(_ktstr_profile_dir "${KTSTR_INSTALLED_PROFILE_DIR}")   # set by ktstrConfig.cmake
endif()
set(KTSTR_PROFILE_DIR "${_ktstr_profile_dir}" CACHE PATH
    "Directory of timeout profile files <profile>.yaml (ktstr's ci/profiles, or share/ktstr/profiles when installed)")
unset(_ktstr_profile_dir)
set(KTSTR_MAX_PARALLEL_CPUS "" CACHE STRING
    "Host CPUs that concurrent VM tests may use under ctest --resource-spec-file (empty or 0: all)")

# The CTest resource spec: resource `cpus`, one instance per host CPU this
# process may use (its id is the CPU number, so the runner can pin QEMU to
# it), 1 slot each, at most KTSTR_MAX_PARALLEL_CPUS of them; resource
# `mem_mb`, one instance with the host's memory in MiB.
function(_ktstr_write_resource_spec)
  set(ids "")
  if(EXISTS "/proc/self/status")
    file(STRINGS "/proc/self/status" allowed REGEX "^Cpus_allowed_list:")
    string(REGEX REPLACE "^Cpus_allowed_list:[ \t]*" "" allowed "${allowed}")
    string(REPLACE "," ";" allowed "${allowed}")
    foreach(range IN LISTS allowed)
      if(range MATCHES "^([0-9]+)-([0-9]+)$")
        foreach(cpu RANGE ${CMAKE_MATCH_1} ${CMAKE_MATCH_2})
          list(APPEND ids ${cpu})
        endforeach()
      elseif(range MATCHES "^[0-9]+$")
        list(APPEND ids ${range})
      endif()
    endforeach()
  endif()
  if(NOT ids)
    cmake_host_system_information(RESULT ncpu QUERY NUMBER_OF_LOGICAL_CORES)
    if(ncpu LESS 1)
      set(ncpu 1)
    endif()
    math(EXPR last "${ncpu} - 1")
    foreach(cpu RANGE 0 ${last})
      list(APPEND ids ${cpu})
    endforeach()
  endif()
  set(cap "${KTSTR_MAX_PARALLEL_CPUS}")
  if(NOT cap STREQUAL "" AND NOT cap MATCHES "^[0-9]+$")
    message(FATAL_ERROR "KTSTR_MAX_PARALLEL_CPUS='${cap}' is not a number of host CPUs; "
                        "use e.g. -DKTSTR_MAX_PARALLEL_CPUS=2, or empty (or 0) for all")
  endif()
  list(LENGTH ids n)
  if(cap AND cap LESS n)
    list(SUBLIST ids 0 ${cap} ids)
    set(n ${cap})
  endif()
  cmake_host_system_information(RESULT mem QUERY TOTAL_PHYSICAL_MEMORY)
  set(cpus "")
  foreach(cpu IN LISTS ids)
    if(NOT cpus STREQUAL "")
      string(APPEND cpus ",\n")
    endif()
    string(APPEND cpus "        { \"id\": \"${cpu}\", \"slots\": 1 }")
  endforeach()
  file(CONFIGURE OUTPUT "${CMAKE_BINARY_DIR}/ktstr-resources.json" CONTENT [=[
{
  "version": { "major": 1, "minor": 0 },
  "local": [
    {
      "cpus": [
@cpus@
      ],
      "mem_mb": [
        { "id": "0", "slots": @mem@ }
      ]
    }
  ]
}
]=] @ONLY)
  set_property(GLOBAL PROPERTY KTSTR_RESOURCE_CPUS "${n}")
  set_property(GLOBAL PROPERTY KTSTR_RESOURCE_MEM_MB "${mem}")
endfunction()
_ktstr_write_resource_spec()
set(KTSTR_KERNELS "" CACHE STRING
    "Kernel matrix: ;-list of KTSTR_KERNEL specs (cache keys, cached versions, images, trees); each scenario becomes one test per kernel. Empty: one test on the discovered kernel")

if(KTSTR_IN_TREE)
  # ktstr's own tree, or a project that did add_subdirectory(ktstr).
  set_property(GLOBAL PROPERTY KTSTR_COMPILER_TARGET ktstr)
  set_property(GLOBAL PROPERTY KTSTR_AGENT_TARGET ktstr-agent)
  set_property(GLOBAL PROPERTY KTSTR_RUNNER_TARGET ktstr_runner)
  # The installed names, so consumers write the same thing either way.
  if(NOT TARGET ktstr::ktstr)
    add_executable(ktstr::ktstr ALIAS ktstr)
    add_executable(ktstr::agent ALIAS ktstr-agent)
    add_library(ktstr::runner ALIAS ktstr_runner)
  endif()
else()
  set_property(GLOBAL PROPERTY KTSTR_COMPILER_TARGET ktstr::ktstr)
  set_property(GLOBAL PROPERTY KTSTR_AGENT_TARGET ktstr::agent)
  set_property(GLOBAL PROPERTY KTSTR_RUNNER_TARGET ktstr::runner)
endif()

function(ktstr_add_scenario name file)
  cmake_parse_arguments(PARSE_ARGV 2 KS "NO_TEST" "TIMEOUT;PROFILE" "LABELS;KERNELS")
  if(KS_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ktstr_add_scenario(${name}): unexpected arguments '${KS_UNPARSED_ARGUMENTS}' "
                        "(expected: NAME FILE [LABELS l...] [TIMEOUT s] [PROFILE p] [KERNELS k...] [NO_TEST])")
  endif()
  if(NOT name MATCHES "^[A-Za-z0-9_.+-]+$")
    message(FATAL_ERROR "ktstr_add_scenario(${name}): invalid scenario name; "
                        "use letters, digits, '_', '.', '+' or '-'")
  endif()
  if(NOT IS_ABSOLUTE "${file}")
    set(file "${CMAKE_CURRENT_SOURCE_DIR}/${file}")
  endif()
  if(NOT EXISTS "${file}")
    message(FATAL_ERROR "ktstr_add_scenario(${name}): scenario file ${file} does not exist")
  endif()
  if(DEFINED KS_TIMEOUT AND NOT KS_TIMEOUT MATCHES "^[0-9]+(\\.[0-9]+)?$")
    message(FATAL_ERROR "ktstr_add_scenario(${name}): TIMEOUT '${KS_TIMEOUT}' is not a number of seconds")
  endif()
  foreach(label IN LISTS KS_LABELS)
    if(label STREQUAL "")
      message(FATAL_ERROR "ktstr_add_scenario(${name}): empty label in LABELS")
    endif()
  endforeach()

  set(profile "${KS_PROFILE}")
  if(profile STREQUAL "")
    set(profile "${KTSTR_PROFILE}")
  endif()
  if(profile STREQUAL "")
    set(profile "default")
  endif()
  set(profile_file "${KTSTR_PROFILE_DIR}/${profile}.yaml")
  if(NOT EXISTS "${profile_file}")
    message(FATAL_ERROR "ktstr_add_scenario(${name}): no timeout profile file for profile "
                        "'${profile}': ${profile_file} does not exist (KTSTR_PROFILE_DIR="
                        "${KTSTR_PROFILE_DIR}; profiles are <name>.yaml files there)")
  endif()
  get_property(res_cpus GLOBAL PROPERTY KTSTR_RESOURCE_CPUS)
  get_property(res_mem GLOBAL PROPERTY KTSTR_RESOURCE_MEM_MB)
  set(accel "${KTSTR_ACCEL}")
  if(accel STREQUAL "")
    set(accel "auto")
  endif()

  get_property(compiler GLOBAL PROPERTY KTSTR_COMPILER_TARGET)
  get_property(agent GLOBAL PROPERTY KTSTR_AGENT_TARGET)
  get_property(runner GLOBAL PROPERTY KTSTR_RUNNER_TARGET)
  if(NOT TARGET "${compiler}" OR NOT TARGET "${runner}")
    message(FATAL_ERROR "ktstr_add_scenario(${name}): the ktstr targets are not defined; "
                        "use find_package(ktstr REQUIRED) or add_subdirectory(<ktstr source>) first")
  endif()

  # The executable's path must be known as a plain string: passing
  # $<TARGET_FILE:ktstr-${name}> to the command that generates its own
  # source would make the target depend on itself.
  if(DEFINED KTSTR_SCENARIO_OUTPUT_DIR AND NOT KTSTR_SCENARIO_OUTPUT_DIR STREQUAL "")
    set(outdir "${KTSTR_SCENARIO_OUTPUT_DIR}")
  else()
    set(outdir "${CMAKE_BINARY_DIR}/scenarios")
  endif()
  set(exe "${outdir}/ktstr-${name}${CMAKE_EXECUTABLE_SUFFIX}")
  # Not "ktstr-gen": KTSTR_SCENARIO_OUTPUT_DIR may be this very directory, and
  # `prove -e '' build/scenarios/ktstr-*` must match executables only.
  set(gendir "${CMAKE_CURRENT_BINARY_DIR}/ktstr_gen")
  set(gen_c "${gendir}/${name}.c")
  set(gen_cmake "${gendir}/${name}.cmake")
  file(MAKE_DIRECTORY "${gendir}")

  set(extra_args "")
  foreach(label IN LISTS KS_LABELS)
    list(APPEND extra_args --label "${label}")
  endforeach()
  if(DEFINED KS_TIMEOUT)
    list(APPEND extra_args --timeout "${KS_TIMEOUT}")
  endif()
  if(DEFINED KS_KERNELS)
    set(kernels "${KS_KERNELS}")
  else()
    set(kernels "${KTSTR_KERNELS}")
  endif()
  foreach(kernel IN LISTS kernels)
    if(NOT kernel STREQUAL "")
      list(APPEND extra_args --kernel "${kernel}")
    endif()
  endforeach()
  if(TARGET "${agent}")
    list(APPEND extra_args --agent "$<TARGET_FILE:${agent}>")
  endif()

  add_custom_command(
    OUTPUT "${gen_c}" "${gen_cmake}"
    COMMAND "${compiler}" compile
            --name "${name}" --c-out "${gen_c}" --ctest-out "${gen_cmake}" --exe "${exe}"
            --profile "${profile}" --profile-file "${profile_file}"
            --resource-cpus "${res_cpus}" --resource-mem-mb "${res_mem}"
            --accel "${accel}" --cmake-version "${CMAKE_VERSION}"
            ${extra_args} "${file}"
    # A target in DEPENDS also re-runs the command when ktstr is rebuilt.
    DEPENDS "${file}" "${profile_file}" "${compiler}"
    COMMENT "Compiling scenario ${name}"
    VERBATIM)

  add_executable(ktstr-${name} "${gen_c}")
  target_link_libraries(ktstr-${name} PRIVATE "${runner}")
  set_target_properties(ktstr-${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${outdir}")
  # Multi-config generators append the configuration unless told otherwise.
  foreach(cfg IN LISTS CMAKE_CONFIGURATION_TYPES CMAKE_BUILD_TYPE)
    if(cfg STREQUAL "")
      continue()
    endif()
    string(TOUPPER "${cfg}" cfg)
    set_target_properties(ktstr-${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY_${cfg} "${outdir}")
  endforeach()
  # In-tree (also under add_subdirectory, where KTSTR_IN_TREE is not visible
  # to the caller): link like ktstr's own host code, so a sanitized runner
  # library gets the sanitizer runtime.
  if(compiler STREQUAL "ktstr" AND COMMAND ktstr_host_target)
    ktstr_host_target(ktstr-${name})
  endif()
  # Building one scenario builds the agent it will boot (in-tree only; an
  # installed agent already exists).
  if(TARGET ktstr-agent AND agent STREQUAL "ktstr-agent")
    add_dependencies(ktstr-${name} ktstr-agent)
  endif()

  if(KS_NO_TEST)
    return()
  endif()
  # CTest reads the generated script through this wrapper, which exists from
  # configure time on: before the first build it registers a failing
  # placeholder instead of silently running nothing.
  # Paths go in bracket arguments: taken verbatim, whatever characters they hold.
  set(not_built "${gendir}/${name}-not-built.cmake")
  file(CONFIGURE OUTPUT "${not_built}" CONTENT [==[
message(FATAL_ERROR [=[ktstr scenario '@name@' is not built yet: run `cmake --build @CMAKE_BINARY_DIR@` first, then ctest again]=])
]==] @ONLY)
  set(wrapper "${gendir}/${name}-include.cmake")
  file(CONFIGURE OUTPUT "${wrapper}" CONTENT [==[
# Written by ktstr_add_scenario(@name@) at configure time; see KtstrScenario.cmake.
if(EXISTS [=[@gen_cmake@]=])
  include([=[@gen_cmake@]=])
else()
  add_test([=[ktstr/@name@_NOT_BUILT]=] [=[@CMAKE_COMMAND@]=] -P [=[@not_built@]=])
  set_tests_properties([=[ktstr/@name@_NOT_BUILT]=] PROPERTIES LABELS "ktstr;vm" TIMEOUT 60)
endif()
]==] @ONLY)
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${wrapper}")
endfunction()
