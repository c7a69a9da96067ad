# SPDX-License-Identifier: MIT
fa_test(model SOURCES tests/model/test_model.c LIBS fa_model)
fa_test(model_bad SOURCES tests/model/test_bad_models.c LIBS fa_model)
fa_test(model_osim SOURCES tests/model/test_model_osim.c LIBS fa_model fa_osim)
fa_test(model_fuzz SOURCES tests/model/fuzz_model.c tests/model/fuzz_driver.c LIBS fa_model)
add_test(NAME model_cli COMMAND sh ${PROJECT_SOURCE_DIR}/tests/model/test_cli.sh $<TARGET_FILE:fascia_cli>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(model_cli PROPERTIES TIMEOUT 120)
# libFuzzer build of the same entry point (clang only), in a build folder of its own:
#   cmake -S . -B BUILD -DCMAKE_C_COMPILER=clang -DFA_LIBFUZZER=ON && cmake --build BUILD --target fuzz_model_libfuzzer
#   mkdir -p /tmp/corpus && BUILD/fuzz_model_libfuzzer /tmp/corpus tests/model/good tests/bad_models
# (libFuzzer writes new inputs into the first folder: give it a scratch one)
option(FA_LIBFUZZER "Build the libFuzzer target fuzz_model_libfuzzer (clang)" OFF)
if(FA_LIBFUZZER)
  add_executable(fuzz_model_libfuzzer tests/model/fuzz_model.c)
  target_include_directories(fuzz_model_libfuzzer PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(fuzz_model_libfuzzer PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_model_libfuzzer PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(fuzz_model_libfuzzer PRIVATE fa_model)
  # coverage feedback from the code under test, not only the entry point
  target_compile_options(fa_model PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
endif()
