# SPDX-License-Identifier: MIT
# OpenSim import: library tests, and the CLI commands end to end.
fa_test(osim SOURCES tests/osim/test_osim.c LIBS fa_osim)
add_test(NAME osim_cli COMMAND sh ${PROJECT_SOURCE_DIR}/tests/osim/cli.sh $<TARGET_FILE:fascia_cli>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(osim_cli PROPERTIES TIMEOUT 120)
