# SPDX-License-Identifier: MIT
# model: YAML body files (libyaml) -> spec -> compiled fa_model
fa_stage(model
  SOURCES src/model/ytree.c src/model/units.c src/model/parse.c src/model/compile.c src/model/load.c
  DEPS fa_core fa_mech
  LIBS PkgConfig::YAML)
list(APPEND FA_APP_SOURCES app/cmd_model.c)
