# Scenario stage: activity catalogue, scenario reader, schedule expansion,
# GPX/TCX import, calendar/RNG helpers. The built-in scenarios in
# data/scenarios/*.yaml are embedded into the library at configure time.
file(GLOB FA_SCENARIO_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/data/scenarios/*.yaml)
list(SORT FA_SCENARIO_FILES)
set(_fa_gen ${CMAKE_BINARY_DIR}/generated/fa_builtin_scenarios.c)
set(_fa_c "/* generated from the files in data/scenarios/ by src/scenario/sources.cmake: do not edit */\n#include \"scenario/internal.h\"\n")
set(_fa_tab "")
set(_fa_i 0)
foreach(_fa_f ${FA_SCENARIO_FILES})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_fa_f})
  get_filename_component(_fa_n ${_fa_f} NAME_WE)
  file(READ ${_fa_f} _fa_hex HEX)
  string(LENGTH "${_fa_hex}" _fa_hl)
  math(EXPR _fa_len "${_fa_hl} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _fa_hex "${_fa_hex}")
  string(APPEND _fa_c "static const unsigned char fa_sc_${_fa_i}[] = {${_fa_hex}0x00};\n")
  string(APPEND _fa_tab "    {\"${_fa_n}\", fa_sc_${_fa_i}, ${_fa_len}},\n")
  math(EXPR _fa_i "${_fa_i} + 1")
endforeach()
string(APPEND _fa_c "const fa_builtin_file fa_builtin_scenarios[] = {\n${_fa_tab}    {0, 0, 0}};\nconst int fa_builtin_nscenarios = ${_fa_i};\n")
file(WRITE ${_fa_gen}.tmp "${_fa_c}")
configure_file(${_fa_gen}.tmp ${_fa_gen} COPYONLY)

fa_stage(scenario
  SOURCES src/scenario/activity.c src/scenario/parse.c src/scenario/expand.c src/scenario/gpx.c
          src/scenario/util.c ${_fa_gen}
  DEPS fa_core
  LIBS PkgConfig::YAML PkgConfig::XML2)
list(APPEND FA_APP_SOURCES app/cmd_scenario.c)
