# SPDX-License-Identifier: MIT
# Anatomy: tables against the skeleton, the generated runner body, postures.
fa_test(anatomy_tables SOURCES tests/anatomy/test_tables.c LIBS fa_anatomy)
fa_test(anatomy_runner SOURCES tests/anatomy/test_runner.c LIBS fa_anatomy fa_solve)
