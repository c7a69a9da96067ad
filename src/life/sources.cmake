# SPDX-License-Identifier: MIT
# Life stage: the multi-rate runner that plays a scenario (physiology in
# hour steps, cached posture and stride mechanics), checkpoints, outputs and
# the main job `fascia run`. The runner body's kinematics (kin_osim.c) needs
# the anatomy stage; without it fa_life_osim_create reports so.
set(FA_LIFE_SOURCES src/life/params.c src/life/mech.c src/life/stimulus.c src/life/runner.c src/life/checkpoint.c
                    src/life/output.c src/life/habitual_state.c)
set(FA_LIFE_DEPS fa_scenario fa_physio fa_measure fa_solve fa_mech fa_model fa_osim fa_core)
if(TARGET fa_anatomy)
  list(APPEND FA_LIFE_SOURCES src/life/kin_osim.c src/life/activation.c)
  list(APPEND FA_LIFE_DEPS fa_anatomy)
else()
  list(APPEND FA_LIFE_SOURCES src/life/kin_none.c)
endif()
fa_stage(life SOURCES ${FA_LIFE_SOURCES} DEPS ${FA_LIFE_DEPS})
list(APPEND FA_APP_SOURCES app/cmd_life.c)
