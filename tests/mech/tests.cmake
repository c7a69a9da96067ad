# SPDX-License-Identifier: MIT
fa_test(mech_finalize SOURCES tests/mech/test_finalize.c LIBS fa_mech)
fa_test(mech_assemble SOURCES tests/mech/test_assemble.c LIBS fa_mech)
fa_test(mech_laws SOURCES tests/mech/test_laws.c LIBS fa_mech)
fa_test(mech_tensile SOURCES tests/mech/test_tensile.c app/cmd_mech.c LIBS fa_mech)
