# Guest agent pieces, linked into ordinary host executables (not static).
# Each test points the agent's readers at a fake sysfs/procfs/cgroupfs tree
# in a temporary directory.
set(_ktstr_guest ${PROJECT_SOURCE_DIR}/guest)
include(${_ktstr_guest}/sources.cmake)   # KTSTR_AGENT_WORK_SOURCES

function(ktstr_guest_unit_test name)
  ktstr_unit_test(${name}
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/${name}.c ${ARGN}
    LIBS ktstr_model_host PkgConfig::JANSSON)
  target_include_directories(${name} PRIVATE ${_ktstr_guest})
endfunction()

ktstr_guest_unit_test(test_guest_cmdline ${_ktstr_guest}/cmdline.c)
ktstr_guest_unit_test(test_guest_topology ${_ktstr_guest}/topology.c ${_ktstr_guest}/fileio.c)
ktstr_guest_unit_test(test_guest_cgroups ${_ktstr_guest}/cgroups.c ${_ktstr_guest}/fileio.c)
# The host's decoder too: what the agent sends must be what the host accepts.
ktstr_guest_unit_test(test_guest_channel ${_ktstr_guest}/channel.c ${_ktstr_guest}/fileio.c
  ${_ktstr_guest}/report.c ${_ktstr_guest}/workers.c ${_ktstr_guest}/attrs.c ${KTSTR_AGENT_WORK_SOURCES} ${_ktstr_guest}/cgroups.c
  ${PROJECT_SOURCE_DIR}/framework/src/results.c)
ktstr_guest_unit_test(test_guest_work_types ${_ktstr_guest}/workers.c ${_ktstr_guest}/attrs.c ${KTSTR_AGENT_WORK_SOURCES}
  ${_ktstr_guest}/cgroups.c ${_ktstr_guest}/fileio.c)
ktstr_guest_unit_test(test_guest_workers ${_ktstr_guest}/workers.c ${_ktstr_guest}/attrs.c ${KTSTR_AGENT_WORK_SOURCES} ${_ktstr_guest}/cgroups.c ${_ktstr_guest}/fileio.c)
# Payload ops for real on the host (command payloads under /bin/sh); their
# frames are read back with the host's decoder.
ktstr_guest_unit_test(test_guest_payload ${_ktstr_guest}/payload.c ${_ktstr_guest}/channel.c
  ${_ktstr_guest}/cgroups.c ${_ktstr_guest}/fileio.c ${PROJECT_SOURCE_DIR}/framework/src/results.c)
