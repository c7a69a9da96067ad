# SPDX-License-Identifier: MIT
# Clinical: passive-resistance clinical tests, remote stretch effect, gait energy per stride.
fa_stage(clinical SOURCES src/clinical/clinical.c src/clinical/gait.c
         DEPS fa_anatomy fa_physio fa_measure fa_solve fa_mech fa_model fa_osim fa_core)
list(APPEND FA_APP_SOURCES app/cmd_clinical.c)
