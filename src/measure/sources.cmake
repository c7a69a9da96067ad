fa_stage(measure
  SOURCES src/measure/vtk.c src/measure/tug.c
  DEPS fa_report fa_solve fa_mech fa_core)
