# The docs stay true: the troubleshooting guide is assembled from its
# fragments, and every user-facing error message is documented in it.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
add_test(NAME docs/troubleshooting_assembled
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/docs/tools/assemble_troubleshooting.py --check)
add_test(NAME docs/errors_documented
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/docs/tools/check_errors_documented.py)
set_tests_properties(docs/troubleshooting_assembled docs/errors_documented PROPERTIES LABELS "docs")
# Every complete scenario shown in README.md and docs/ validates with the real loader.
add_test(NAME docs/yaml_examples
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/docs/tools/check_yaml_examples.py
  $<TARGET_FILE:ktstr>)
set_tests_properties(docs/yaml_examples PROPERTIES LABELS "docs")
