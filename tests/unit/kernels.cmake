# Unit tests of kernels/: cache, locks, .deb extraction, discovery, CLI.
foreach(t cache lock deb discover)
  ktstr_unit_test(test_kernel_${t}
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_kernel_${t}.c
    LIBS ktstr_kernels)
endforeach()

# The `ktstr kernel` command, in-process (no VM, no network).
ktstr_unit_test(test_kernel_cli
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_kernel_cli.c
          ${PROJECT_SOURCE_DIR}/framework/cli/cmd_kernel.c
  LIBS ktstr_kernels)
target_include_directories(test_kernel_cli PRIVATE ${PROJECT_SOURCE_DIR}/framework/cli)

# The real Debian path: `ktstr kernel fetch` into a temp cache.  Needs the
# network and the Debian archive, so it is labelled `network`, not `unit`:
#   ctest -L network
if(TARGET ktstr)
  add_test(NAME network/kernel_fetch
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/test_kernel_fetch_network.sh $<TARGET_FILE:ktstr>)
  set_tests_properties(network/kernel_fetch PROPERTIES LABELS "network" TIMEOUT 600)
endif()
