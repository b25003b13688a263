# Debian 12's prove must parse what ktstr prints.
#   cmake -DPROVE=/usr/bin/prove -DPERL=/usr/bin/perl -DGEN=<tap_sample>
#         -DSTRICT=<tap_strict.pl> -P prove_parse.cmake
# The sample contains one real failure, so prove reports the test as failed
# (exit 1, "Dubious"); that is expected.  What must not happen is a parse
# error, an unknown line, or counts other than the ones the sample prints.
execute_process(COMMAND ${PROVE} -v -e "" ${GEN}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}${err}")
foreach(bad "Parse errors" "Unknown TAP token" "parse error" "Bad plan" "don't know")
  string(FIND "${out}${err}" "${bad}" pos)
  if(NOT pos EQUAL -1)
    message(FATAL_ERROR "prove reported '${bad}' for the tap_sample stream")
  endif()
endforeach()
foreach(want "Tests: 6 Failed: 1" "Failed test:  3" "Failed 1/6 subtests"
             "(less 1 skipped subtest: 4 okay)" "ok 4 - spread # SKIP"
             "not ok 5 - isolation # TODO")
  string(FIND "${out}${err}" "${want}" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR "prove's output lacks '${want}'")
  endif()
endforeach()
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "prove exited ${rc}; expected 1 (one failing test point)")
endif()

# prove skips lines it does not know without a word; TAP::Parser can tell.
execute_process(COMMAND ${PERL} ${STRICT} ${GEN} RESULT_VARIABLE rc2)
if(NOT rc2 EQUAL 0)
  message(FATAL_ERROR "TAP::Parser found unknown lines or a bad YAML block (see above)")
endif()
