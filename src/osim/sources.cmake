# SPDX-License-Identifier: MIT
# OpenSim import: .osim models (libxml2), .mot/.sto motions, forward
# kinematics and muscle-tendon path lengths.
fa_stage(osim
  SOURCES src/osim/func.c src/osim/parse.c src/osim/kin.c src/osim/motion.c src/osim/export.c
  DEPS fa_core
  LIBS PkgConfig::XML2)
list(APPEND FA_APP_SOURCES app/cmd_osim.c)
