fa_test(solve_linsys SOURCES tests/solve/test_linsys.c LIBS fa_solve)
fa_test(solve_newton SOURCES tests/solve/test_newton.c LIBS fa_solve)
fa_test(solve_sim SOURCES tests/solve/test_sim.c LIBS fa_solve)
fa_test(solve_noalloc SOURCES tests/solve/test_noalloc.c LIBS fa_solve)
