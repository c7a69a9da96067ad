list(APPEND FA_APP_SOURCES app/cmd_version.c app/cli_util.c)
if(TARGET fa_measure)
  list(APPEND FA_APP_SOURCES app/cmd_measure.c)
endif()
