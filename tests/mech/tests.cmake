# SPDX-License-Identifier: MIT
fa_test(mech_finalize SOURCES tests/mech/test_finalize.c LIBS fa_mech)
