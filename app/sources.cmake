list(APPEND FA_APP_SOURCES app/cmd_version.c)
