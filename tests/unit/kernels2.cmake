# Unit tests of kernels/ sources and BTF: kernel.org releases, safe tarball
# extraction, BTF from a bzImage, building (with a fake make), and the
# download paths against a fake kernel.org on 127.0.0.1 (no internet).
foreach(t releases tarball btf build)
  ktstr_unit_test(test_kernel_${t}
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_kernel_${t}.c
    LIBS ktstr_kernels)
endforeach()
target_link_libraries(test_kernel_btf PRIVATE PkgConfig::LIBELF)

find_program(KTSTR_PYTHON3 python3)
if(KTSTR_PYTHON3)
  ktstr_unit_test(test_kernel_http
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_kernel_http.c
    LIBS ktstr_kernels)
else()
  message(STATUS "python3 not found: unit/test_kernel_http (fake kernel.org) is not registered")
endif()

# `ktstr kernel build|btf|fetch` and `ktstr compile --kernel` from the
# command line: usage errors, exit codes, messages.
if(TARGET ktstr)
  add_test(NAME unit/kernel_cli2
    COMMAND ${CMAKE_COMMAND} -DKTSTR=$<TARGET_FILE:ktstr> -DKTSTR_SOURCE_DIR=${PROJECT_SOURCE_DIR}
            -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/kernel_cli2
            -P ${CMAKE_CURRENT_LIST_DIR}/kernel_cli2.cmake)
  set_tests_properties(unit/kernel_cli2 PROPERTIES LABELS "unit" TIMEOUT 60)
endif()
