# SPDX-License-Identifier: MIT
# Anatomy: tables against the skeleton, the generated runner body, postures.
fa_test(anatomy_tables SOURCES tests/anatomy/test_tables.c LIBS fa_anatomy)
fa_test(anatomy_runner SOURCES tests/anatomy/test_runner.c LIBS fa_anatomy fa_solve)
add_test(NAME anatomy_cli COMMAND sh ${PROJECT_SOURCE_DIR}/tests/anatomy/cli.sh $<TARGET_FILE:fascia_cli>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(anatomy_cli PROPERTIES TIMEOUT 300)
fa_test(anatomy_strains SOURCES tests/anatomy/test_strains.c LIBS fa_clinical)
# the same program on the postures (anatomy_strains checks the strides), so each stays short in ASan
add_test(NAME anatomy_strains_postures COMMAND test_anatomy_strains postures WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(anatomy_strains_postures PROPERTIES TIMEOUT 600)
