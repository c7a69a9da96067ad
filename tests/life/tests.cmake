# SPDX-License-Identifier: MIT
fa_test(life_runner SOURCES tests/life/test_runner.c LIBS fa_life)
fa_test(life_params SOURCES tests/life/test_params.c LIBS fa_life)
