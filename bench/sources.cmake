# fascia_bench: solver benchmarks (not a test; see docs/solvers.md).
add_executable(fascia_bench bench/bench.c)
target_include_directories(fascia_bench PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(fascia_bench PRIVATE fascia)
