# Install rules and the CMake package, so a scheduler project can write
#   find_package(ktstr REQUIRED)
#   ktstr_add_scenario(steady steady.yaml)
# Everything is exported as ktstr::<name>: ktstr::ktstr (the compiler),
# ktstr::agent (the static guest agent), ktstr::runner (what scenario
# executables link) and the libraries behind it.
set(KTSTR_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/ktstr" CACHE STRING
    "Where the ktstr CMake package files are installed, relative to the prefix")

set_target_properties(ktstr PROPERTIES EXPORT_NAME ktstr)
set_target_properties(ktstr-agent PROPERTIES EXPORT_NAME agent)
foreach(lib runner model model_host tap vmm kernels)
  set_target_properties(ktstr_${lib} PROPERTIES EXPORT_NAME ${lib})
endforeach()

install(TARGETS ktstr EXPORT ktstrTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Not on PATH: it is PID 1 of the guest, never run on the host.
install(TARGETS ktstr-agent EXPORT ktstrTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/ktstr)
install(TARGETS ktstr_runner ktstr_model ktstr_model_host ktstr_tap ktstr_vmm ktstr_kernels
  EXPORT ktstrTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})

# Public headers only: each tree's include/ktstr, plus the TAP writer.
foreach(dir framework vmm kernels)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/include/ktstr
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.h")
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/tap/ktstr_tap.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ktstr)

# Timeout profiles (the files ktstr_add_scenario() embeds): KTSTR_PROFILE_DIR
# of an installed package points here.
set(KTSTR_INSTALL_PROFILEDIR "${CMAKE_INSTALL_DATADIR}/ktstr/profiles")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/ci/profiles/ DESTINATION ${KTSTR_INSTALL_PROFILEDIR}
  FILES_MATCHING PATTERN "*.yaml")

install(EXPORT ktstrTargets NAMESPACE ktstr:: DESTINATION ${KTSTR_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/ktstrConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ktstrConfig.cmake
  INSTALL_DESTINATION ${KTSTR_INSTALL_CMAKEDIR}
  PATH_VARS KTSTR_INSTALL_PROFILEDIR)
# 0.x: a minor release may change the scenario format, so only same-minor matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ktstrConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/ktstrConfig.cmake
  ${PROJECT_BINARY_DIR}/ktstrConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/KtstrScenario.cmake
  DESTINATION ${KTSTR_INSTALL_CMAKEDIR})
