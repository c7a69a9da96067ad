fa_stage(core
  SOURCES src/core/error.c src/core/hash.c src/core/model.c src/core/data.c src/core/version.c src/core/io.c)
