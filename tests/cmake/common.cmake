# Helpers for the cmake -P drivers in this directory.

# ktstr_t_run(<name> <command...>): run it; <name>_rc and <name>_out (stdout
# and stderr together) are set in the caller.
function(ktstr_t_run name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  set(${name}_rc "${rc}" PARENT_SCOPE)
  set(${name}_out "${out}" PARENT_SCOPE)
endfunction()


function(ktstr_t_expect_rc name want)
  if(NOT "${${name}_rc}" STREQUAL "${want}")
    message(FATAL_ERROR "${name}: exit status ${${name}_rc}, expected ${want}; output:\n${${name}_out}")
  endif()
endfunction()

function(ktstr_t_expect_match name regex)
  if(NOT "${${name}_out}" MATCHES "${regex}")
    message(FATAL_ERROR "${name}: output does not match '${regex}':\n${${name}_out}")
  endif()
endfunction()

# ktstr_t_regex_quote(<out> <text>): text as a regex matching itself (paths).
function(ktstr_t_regex_quote out text)
  string(REGEX REPLACE "([][+.*()^$?|\\\\])" "\\\\\\1" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(ktstr_t_expect_file_match file regex)
  file(READ "${file}" text)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${file} does not match '${regex}':\n${text}")
  endif()
endfunction()

# The generator/compiler arguments of the build running this test, so the
# inner project builds the same way (and offline: nothing is fetched).
function(ktstr_t_generator_args out)
  set(args -G "${GENERATOR}")
  if(MAKE_PROGRAM)
    list(APPEND args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
  endif()
  if(C_COMPILER)
    list(APPEND args "-DCMAKE_C_COMPILER=${C_COMPILER}")
  endif()
  set(${out} ${args} PARENT_SCOPE)
endfunction()
