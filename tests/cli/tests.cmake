# CLI end-to-end checks (shell scripts driving the built `fascia`).
add_test(NAME cli_tug COMMAND sh ${PROJECT_SOURCE_DIR}/tests/cli/tug.sh $<TARGET_FILE:fascia_cli>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_tug PROPERTIES TIMEOUT 600)
