fa_test(core SOURCES tests/core/test_core.c LIBS fa_core)
