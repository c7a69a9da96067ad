# SPDX-License-Identifier: MIT
if(TARGET fa_advise)
  fa_test(advise SOURCES tests/advise/test_advise.c LIBS fa_advise)
  if(TARGET fascia_cli)
    fa_test(advise_cli SOURCES tests/advise/test_cli.c LIBS fa_core)
    target_compile_definitions(test_advise_cli PRIVATE FA_CLI_PATH="$<TARGET_FILE:fascia_cli>")
    add_dependencies(test_advise_cli fascia_cli)
  endif()
endif()
