/* SPDX-License-Identifier: MIT */
/* Internal interface of the Newton drivers: the assembly is passed as a
 * function table so tests can drive the solvers with a reference assembly
 * (e.g. linear springs with a known answer) independent of the element
 * library; the public API (api.c) passes fa_assemble/fa_visc_commit. */
#ifndef FA_SOLVE_INTERNAL_H
#define FA_SOLVE_INTERNAL_H

#include "fascia/sim.h"
#include "solve/linsys.h"

typedef struct fa_asm_ops {
    /* as fa_assemble (mech.h) */
    double (*assemble)(const fa_model *m, fa_data *d, const double *x, const double *v, double h, double *f,
                       double *K, double *C);
    /* as fa_visc_commit (mech.h); may be NULL */
    void (*commit)(const fa_model *m, fa_data *d, const double *x, double h);
} fa_asm_ops;

/* Solver workspace kept in d->solver (allocated once per model/data pair). */
typedef struct fa_solver_ws {
    const fa_model *m;   /* model the maps were built for (identity check) */
    int nnode, nblock;
    const int *blk_col;   /* pattern and anchoring arrays the maps were built from */
    const int *node_body;
    fa_linsys L;
    int have_chol;
    double *f, *ft;      /* 3*nnode: internal force at the iterate / trial */
    double *K, *C, *A;   /* 9*nblock: tangent, damping, system blocks */
    double *Kt, *Ct;     /* 9*nblock: tangent and damping at a trial point */
    double *dadd;        /* nfree: diagonal mass terms */
    double *xs, *xn, *xt, *xtilde, *vt, *fg; /* 3*nnode */
    double *r, *dx, *rt; /* 3*nfree */
    fa_solver_stats stats; /* cumulative */
} fa_solver_ws;

/* Get (building when needed) the workspace. with_chol: also set up CHOLMOD. */
FA_HIDDEN fa_solver_ws *fa_solver_get(const fa_model *m, fa_data *d, int with_chol, fa_error *err);

FA_HIDDEN fa_status fa_solve_static_ops(const fa_model *m, fa_data *d, const fa_static_def *def,
                                        fa_static_report *rep, const fa_asm_ops *ops, fa_error *err);
FA_HIDDEN fa_status fa_step_ops(const fa_model *m, fa_data *d, const fa_step_def *def, fa_step_report *rep,
                                const fa_asm_ops *ops, fa_error *err);

#endif
