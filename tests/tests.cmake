# fa_test(NAME SOURCES a.c ... [LIBS fa_x ...]) — one executable, one ctest.
# Tests run with the repository root as working directory.
function(fa_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(test_${name} ${T_SOURCES})
  target_include_directories(test_${name} PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src
                                                  ${PROJECT_SOURCE_DIR}/tests)
  if(T_LIBS)
    target_link_libraries(test_${name} PRIVATE ${T_LIBS})
  else()
    target_link_libraries(test_${name} PRIVATE fascia)
  endif()
  add_test(NAME ${name} COMMAND test_${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES TIMEOUT 600)
endfunction()

foreach(stage core osim mech model solve anatomy physio activity scenario report measure clinical life advise cli)
  if(EXISTS ${PROJECT_SOURCE_DIR}/tests/${stage}/tests.cmake)
    include(${PROJECT_SOURCE_DIR}/tests/${stage}/tests.cmake)
  endif()
endforeach()
