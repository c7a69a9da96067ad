# Solvers: sparse symmetric systems (CHOLMOD, block-Jacobi PCG), Newton
# static equilibrium, backward-Euler dynamics.
fa_stage(solve
  SOURCES src/solve/linsys.c src/solve/chol.c src/solve/newton.c src/solve/api.c
  DEPS fa_core fa_mech
  LIBS fa_cholmod)
