# The scenario model: YAML loader, schema, diagnostics, topology, and the
# validate/schema subcommands (linked directly: they only need the model).
set(_ktstr_model_tests ${CMAKE_CURRENT_LIST_DIR})
set(_ktstr_model_src ${CMAKE_CURRENT_LIST_DIR}/../../framework/src)
set(_ktstr_model_cli ${CMAKE_CURRENT_LIST_DIR}/../../framework/cli)

ktstr_unit_test(test_scenario_load SOURCES ${_ktstr_model_tests}/test_scenario_load.c
                LIBS ktstr_model_host)
ktstr_unit_test(test_scenario_bad SOURCES ${_ktstr_model_tests}/test_scenario_bad.c
                LIBS ktstr_model_host)
ktstr_unit_test(test_scenario_values SOURCES ${_ktstr_model_tests}/test_scenario_values.c
                LIBS ktstr_model_host)
target_include_directories(test_scenario_values PRIVATE ${_ktstr_model_src})
ktstr_unit_test(test_topo SOURCES ${_ktstr_model_tests}/test_topo.c LIBS ktstr_model_host)
ktstr_unit_test(test_scenario_cli SOURCES ${_ktstr_model_tests}/test_scenario_cli.c
                ${_ktstr_model_cli}/cmd_validate.c ${_ktstr_model_cli}/cmd_schema.c
                LIBS ktstr_model_host)
target_include_directories(test_scenario_cli PRIVATE ${_ktstr_model_cli})
# Variants: matrix expansion, flag profiles, selection, threshold layers
# (checks.c comes from ktstr_test_host, host.cmake).
ktstr_unit_test(test_variants SOURCES ${_ktstr_model_tests}/test_variants.c
                LIBS ktstr_test_host)
