fa_test(scenario_parse SOURCES tests/scenario/test_parse.c LIBS fa_scenario)
fa_test(scenario_expand SOURCES tests/scenario/test_expand.c LIBS fa_scenario)
fa_test(scenario_gpx SOURCES tests/scenario/test_gpx.c LIBS fa_scenario)
fa_test(scenario_fuzz SOURCES tests/scenario/test_fuzz.c LIBS fa_scenario)
fa_test(scenario_activity SOURCES tests/scenario/test_activity.c LIBS fa_scenario)
# Integration with the default runner body (needs the model stage).
if(TARGET fa_model)
  fa_test(scenario_body SOURCES tests/scenario/test_body.c LIBS fa_scenario fa_model)
endif()
