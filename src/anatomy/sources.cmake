# SPDX-License-Identifier: MIT
# Anatomy: the default runner body on the Rajagopal 2016 skeleton.
fa_stage(anatomy SOURCES src/anatomy/tables.c src/anatomy/runner.c src/anatomy/pose.c
         DEPS fa_model fa_osim fa_mech fa_core)
list(APPEND FA_APP_SOURCES app/cmd_anatomy.c)
