# SPDX-License-Identifier: MIT
fa_test(life_runner SOURCES tests/life/test_runner.c LIBS fa_life)
fa_test(life_params SOURCES tests/life/test_params.c LIBS fa_life)
if(TARGET fascia_cli)
  fa_test(life_cli SOURCES tests/life/test_cli.c LIBS fa_core)
  target_compile_definitions(test_life_cli PRIVATE FA_CLI_PATH="$<TARGET_FILE:fascia_cli>")
  add_dependencies(test_life_cli fascia_cli)
endif()
fa_test(life_story SOURCES tests/life/test_story.c LIBS fa_life)
