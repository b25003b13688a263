# Unit tests of the host-side pieces: TAP producer, frame protocol, result
# decoding, checks.  Included from tests/CMakeLists.txt.

option(KTSTR_FUZZ "Build libFuzzer targets (clang only): tests/fuzz/" OFF)

# results.c + checks.c on their own, so these tests do not depend on the rest
# of the runner library (which pulls in the VMM, kernels, ...).  proto.c is
# compiled here too so that a KTSTR_SANITIZE build instruments it (ktstr_model
# is shared with the static guest agent and is never sanitized); objects in
# this library come first on the link line and win over ktstr_model's.
add_library(ktstr_test_host STATIC
  ${PROJECT_SOURCE_DIR}/framework/src/proto.c
  ${PROJECT_SOURCE_DIR}/framework/src/results.c
  ${PROJECT_SOURCE_DIR}/framework/src/checks.c
  ${PROJECT_SOURCE_DIR}/framework/src/wakehist.c)
target_link_libraries(ktstr_test_host PUBLIC ktstr_model_host PkgConfig::JANSSON m)
ktstr_host_target(ktstr_test_host)

set(_ktstr_unit_dir ${CMAKE_CURRENT_LIST_DIR})

ktstr_unit_test(test_tap SOURCES ${_ktstr_unit_dir}/test_tap.c LIBS ktstr_tap)
ktstr_unit_test(test_proto
  SOURCES ${_ktstr_unit_dir}/test_proto.c ${_ktstr_unit_dir}/frame_helpers.c
  LIBS ktstr_test_host)
ktstr_unit_test(test_results
  SOURCES ${_ktstr_unit_dir}/test_results.c ${_ktstr_unit_dir}/frame_helpers.c
  LIBS ktstr_test_host)
ktstr_unit_test(test_checks
  SOURCES ${_ktstr_unit_dir}/test_checks.c
  LIBS ktstr_test_host)
ktstr_unit_test(test_wakehist
  SOURCES ${_ktstr_unit_dir}/test_wakehist.c
  LIBS ktstr_test_host)

# prove must parse what we print: a generator prints a representative stream
# and a script runs Debian's prove on it, failing on any parse error.
add_executable(tap_sample ${_ktstr_unit_dir}/tap_sample.c)
target_link_libraries(tap_sample PRIVATE ktstr_tap)
ktstr_host_target(tap_sample)
find_program(KTSTR_PROVE prove)
find_program(KTSTR_PERL perl)
if(KTSTR_PROVE AND KTSTR_PERL)
  add_test(NAME unit/tap_prove_parse
    COMMAND ${CMAKE_COMMAND} -DPROVE=${KTSTR_PROVE} -DPERL=${KTSTR_PERL}
            -DGEN=$<TARGET_FILE:tap_sample> -DSTRICT=${_ktstr_unit_dir}/tap_strict.pl
            -P ${_ktstr_unit_dir}/prove_parse.cmake)
  set_tests_properties(unit/tap_prove_parse PROPERTIES LABELS "unit" TIMEOUT 60)
else()
  message(STATUS "prove not found: unit/tap_prove_parse not registered (apt-get install perl)")
endif()

if(KTSTR_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "KTSTR_FUZZ=ON needs clang (libFuzzer): configure with CC=clang")
  endif()
  # The code under test is compiled into the target so libFuzzer's coverage
  # instrumentation sees it.
  add_executable(fuzz_proto ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_proto.c
    ${PROJECT_SOURCE_DIR}/framework/src/proto.c
    ${PROJECT_SOURCE_DIR}/framework/src/results.c
    ${PROJECT_SOURCE_DIR}/framework/src/cpulist.c)
  target_include_directories(fuzz_proto PRIVATE ${PROJECT_SOURCE_DIR}/framework/include)
  target_link_libraries(fuzz_proto PRIVATE PkgConfig::JANSSON PkgConfig::ZLIB m)
  # KtstrWarnings.cmake passes GCC-only -W flags; clang must not choke on them.
  target_compile_options(fuzz_proto PRIVATE -fsanitize=fuzzer,address,undefined -g
                         -Wno-unknown-warning-option)
  target_link_options(fuzz_proto PRIVATE -fsanitize=fuzzer,address,undefined)
endif()

# The KVM-unusable memo of --accel=auto.
ktstr_unit_test(test_kvm_memo
  SOURCES ${_ktstr_unit_dir}/test_kvm_memo.c ${PROJECT_SOURCE_DIR}/framework/src/kvm_memo.c
  ${PROJECT_SOURCE_DIR}/framework/src/fsutil.c)
target_include_directories(test_kvm_memo PRIVATE ${PROJECT_SOURCE_DIR}/framework/src
  ${PROJECT_SOURCE_DIR}/framework/include)
