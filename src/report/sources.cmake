# Report stage: atomic files, CSV/JSON writers, output folder, progress bar,
# checkpoints.
fa_stage(report
  SOURCES src/report/afile.c src/report/json.c src/report/csv.c src/report/outdir.c src/report/progress.c
          src/report/checkpoint.c
  DEPS fa_scenario fa_core)
