# SPDX-License-Identifier: MIT
# mechanics: model finalisation, constitutive laws, elements, assembly
fa_stage(mech
  SOURCES src/mech/finalize.c src/mech/material.c src/mech/assemble.c
  DEPS fa_core)
list(APPEND FA_APP_SOURCES app/cmd_mech.c)
