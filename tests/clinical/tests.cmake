# SPDX-License-Identifier: MIT
# Clinical: passive clinical tests on the runner body, the leg-stretch remote effect, gait energy.
fa_test(clinical_tests SOURCES tests/clinical/test_clinical.c LIBS fa_clinical fa_life)
fa_test(clinical_gait SOURCES tests/clinical/test_gait.c LIBS fa_clinical)
fa_test(clinical_stretch SOURCES tests/clinical/test_stretch.c LIBS fa_clinical)
fa_test(clinical_remote SOURCES tests/clinical/test_remote.c LIBS fa_clinical)
fa_test(clinical_state SOURCES tests/clinical/test_state.c LIBS fa_life)
