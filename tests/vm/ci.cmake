# VM tests of the CI plumbing (label `vm`): QEMU pinned to the host CPUs a
# CTest resource allocation gives the test (faked in the environment), and
# an invalid allocation as a warning, not a crash.  Included from
# tests/CMakeLists.txt.
foreach(mode valid invalid)
  add_test(NAME vm/pinning_${mode}
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/pinning.sh ${KTSTR_BUNDLED_SCENARIO_DIR}/ktstr-steady ${mode})
  set_tests_properties(vm/pinning_${mode} PROPERTIES LABELS "vm" TIMEOUT 180 SKIP_RETURN_CODE 77)
endforeach()
