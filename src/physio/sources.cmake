# Physiology stage: ten tissue-state modules behind one registry, the
# parameter table (data/params/physiology.csv, compiled in) and the
# literature validation runner (`fascia validate`, data/validation/*.yaml).
set(FA_PHYSIO_CSV ${PROJECT_SOURCE_DIR}/data/params/physiology.csv)
set(FA_PHYSIO_GEN ${CMAKE_BINARY_DIR}/generated/physio_params_csv.c)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${FA_PHYSIO_CSV})
file(READ ${FA_PHYSIO_CSV} FA_PHYSIO_CSV_HEX HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," FA_PHYSIO_CSV_BYTES "${FA_PHYSIO_CSV_HEX}")
file(WRITE ${FA_PHYSIO_GEN}.tmp
  "/* Generated from data/params/physiology.csv at configure time. */\n"
  "const char fa_physio_params_csv[] = {${FA_PHYSIO_CSV_BYTES} 0x00};\n")
configure_file(${FA_PHYSIO_GEN}.tmp ${FA_PHYSIO_GEN} COPYONLY)

fa_stage(physio
  SOURCES src/physio/registry.c src/physio/params.c src/physio/habitual.c
          src/physio/temperature.c src/physio/hydration.c src/physio/glide.c src/physio/adhesion.c
          src/physio/remodel.c src/physio/myofibroblast.c src/physio/damage.c src/physio/sensation.c
          src/physio/strength.c src/physio/compensation.c
          src/physio/validate.c ${FA_PHYSIO_GEN}
  DEPS fa_core fa_mech
  LIBS PkgConfig::YAML)
list(APPEND FA_APP_SOURCES app/cmd_physio.c)
