# Docs generated from, or describing, the scenario schema must match the code:
#   docs/scenario-reference.md == `ktstr schema --markdown`
#   docs/troubleshooting/scenario-errors.md documents every loader message.
# Regenerate the reference: ktstr schema --markdown > docs/scenario-reference.md
add_executable(test_scenario_reference ${CMAKE_CURRENT_LIST_DIR}/test_scenario_reference.c)
target_link_libraries(test_scenario_reference PRIVATE ktstr_model_host)
target_compile_definitions(test_scenario_reference PRIVATE
  KTSTR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
ktstr_host_target(test_scenario_reference)
add_test(NAME docs/scenario-reference COMMAND test_scenario_reference reference)
add_test(NAME docs/scenario-errors COMMAND test_scenario_reference errors)
set_tests_properties(docs/scenario-reference docs/scenario-errors PROPERTIES
  LABELS "docs" TIMEOUT 60)
