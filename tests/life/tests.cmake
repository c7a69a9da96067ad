# SPDX-License-Identifier: MIT
fa_test(life_runner SOURCES tests/life/test_runner.c LIBS fa_life)
