/* SPDX-License-Identifier: MIT */
/* Sparse symmetric systems over the free nodes (internal to the solve stage).
 *
 * The model stores the tangent as 3x3 blocks in node-row CSR (both
 * triangles, sorted columns; blk_rowadr/blk_rownum/blk_col). Anchored nodes
 * are Dirichlet, so the Newton system is the principal submatrix over free
 * nodes. fa_linsys precomputes, once per model:
 *   - the free-node map (model node <-> free index, order preserving);
 *   - the reduced block CSR (free rows x free columns) as indices into the
 *     model's block array, so a matrix-vector product reads K in place;
 *   - the CHOLMOD upper-triangle CSC pattern of the reduced system and a
 *     value map (CSC entry -> offset in the model's nblock*9 array), so each
 *     Newton iteration only gathers values, and the symbolic analysis
 *     (fill-reducing ordering, elimination tree, supernodes) is done once.
 * The system matrix is A = B + diag(dadd per free node) + shift*I, where B is
 * a block array in the model pattern (K, or K + C/h) and dadd holds the mass
 * terms of dynamics. */
#ifndef FA_SOLVE_LINSYS_H
#define FA_SOLVE_LINSYS_H

#include <stdint.h>

#include "core/internal.h"

typedef struct fa_linsys {
    int nnode;       /* model nodes */
    int nfree;       /* free nodes */
    int ndof;        /* 3 * nfree */
    int *node_of;    /* nfree: model node of free node i */
    int *free_of;    /* nnode: free index of model node, -1 when anchored/fixed */
    /* reduced block CSR */
    int *rowptr;     /* nfree + 1 */
    int *blk;        /* nrb: model block index */
    int *col;        /* nrb: free column index */
    int *diagblk;    /* nfree: model block index of the diagonal block (-1 if absent) */
    int nrb;
    /* CSC of the upper triangle of the reduced scalar matrix */
    int nnz;
    int *cscp;       /* ndof + 1 */
    int *csci;       /* nnz: row dof */
    int *cscsrc;     /* nnz: offset into the model block array (block*9 + r*3 + c) */
    int *cscdiag;    /* ndof: position of the diagonal entry in csci */
    /* CHOLMOD state (opaque: cholmod.h only in chol.c) */
    void *chol;
    /* PCG workspace (4 vectors of ndof + block inverses 9*nfree) */
    double *r, *z, *p, *q, *dinv;
    /* factor reuse (mode FA_LS_CHOL_REUSE) */
    int have_factor;   /* 1 when the CHOLMOD factor holds a valid SPD factorisation */
    int reuse_maxiter; /* PCG iterations allowed with an old factor before refactorising (default 25) */
    int nfactor;       /* numeric factorisations done (statistics) */
    int reuse_failed;  /* 1 when the last reuse attempt hit its cap: the next solve refactorises
                          directly (bounds the wasted CG work to one attempt per factorisation) */
    /* statistics */
    double analyse_s;  /* s, wall time of the symbolic analysis */
    double lnz;        /* nonzeros in the factor */
    double fl;         /* flops of one numeric factorisation (CHOLMOD's count) */
    int reuse_cap;     /* CG iterations worth one factorisation (flop model, >= 3), caps reuse */
    int supernodal;    /* 1 when CHOLMOD chose a supernodal factor */
} fa_linsys;

/* Result of a linear solve. */
typedef struct fa_linres {
    int ok;            /* 1 when x solves A x = b to the requested accuracy */
    int used_pcg;      /* 1 when PCG produced x */
    int iters;         /* PCG iterations */
    int negcurv;       /* PCG met non-positive curvature (A indefinite) */
    double relres;     /* ||b - A x|| / ||b|| (PCG), 0 for Cholesky */
    double shift;      /* diagonal shift actually used */
    int nshift;        /* factorisation attempts that failed and were shifted */
    int reused;        /* 1 when an earlier factor, as a PCG preconditioner, solved the system */
    int factored;      /* 1 when a new numeric factorisation was made */
} fa_linres;

/* Linear solve modes of fa_linsys_solve. */
enum {
    FA_LS_PCG = 0,        /* block-Jacobi PCG */
    FA_LS_CHOL = 1,       /* CHOLMOD: factorise every system */
    FA_LS_CHOL_REUSE = 2  /* CG preconditioned by the last CHOLMOD factor; refactorise when it needs
                             more than reuse_maxiter iterations or meets negative curvature */
};

/* Build the maps (and CHOLMOD analysis when with_chol). Returns FA_OK,
 * FA_ERR_NOMEM, FA_ERR_NUMERIC (CHOLMOD analysis failed) or FA_ERR_ARG
 * (missing diagonal blocks in the pattern). */
FA_HIDDEN fa_status fa_linsys_init(fa_linsys *L, const fa_model *m, int with_chol, fa_error *err);
FA_HIDDEN void fa_linsys_free(fa_linsys *L);

/* Gather model-node vector (3*nnode) into free dofs and scatter back. */
FA_HIDDEN void fa_linsys_gather(const fa_linsys *L, const double *full, double *red);
FA_HIDDEN void fa_linsys_scatter(const fa_linsys *L, const double *red, double *full);

/* y = (B + diag(dadd) + shift I) x on free dofs. dadd may be NULL. */
FA_HIDDEN void fa_linsys_matvec(const fa_linsys *L, const double *B, const double *dadd, double shift,
                                const double *x, double *y);

/* Largest |diagonal| of B + diag(dadd) over free dofs (scale for shifts). */
FA_HIDDEN double fa_linsys_maxdiag(const fa_linsys *L, const double *B, const double *dadd);

/* Block-Jacobi PCG for (B + diag(dadd) + shift I) x = b, x0 = 0. Stops at
 * ||r|| <= tol ||b|| or maxiter; on non-positive curvature returns the
 * current iterate (or the preconditioned residual if at the first
 * iteration), which is still a descent direction for a Newton step
 * (Steihaug truncation). */
FA_HIDDEN void fa_linsys_pcg(fa_linsys *L, const double *B, const double *dadd, double shift, const double *b,
                             double *x, double tol, int maxiter, fa_linres *res);

/* CHOLMOD set-up (pattern copy + symbolic analysis) and release. */
FA_HIDDEN fa_status fa_chol_init(fa_linsys *L, fa_error *err);
FA_HIDDEN void fa_chol_free(fa_linsys *L);

/* CHOLMOD: numeric factorisation of B + diag(dadd) + shift I (symbolic
 * analysis reused). Returns 1 on success, 0 when not positive definite (or a
 * CHOLMOD failure). */
FA_HIDDEN int fa_chol_factor(fa_linsys *L, const double *B, const double *dadd, double shift);
/* Solve with the last factor; 1 on success. */
FA_HIDDEN int fa_chol_solve(fa_linsys *L, const double *b, double *x);

/* Full solve with policy (mode FA_LS_*): with CHOLMOD, first (REUSE) CG
 * preconditioned by the previous factor; else a new factorisation, shifted
 * on failure (Nocedal & Wright 2006, Alg. 3.3: start from 0 when the diagonal
 * is positive else -min diag + beta, then beta, 10 beta, ...; beta =
 * 1e-10 * max diag; 14 tries), then block-Jacobi PCG as a last resort; or
 * block-Jacobi PCG alone (shifted when the diagonal is not positive).
 * base_shift (>= 0) is always added. */
FA_HIDDEN void fa_linsys_solve(fa_linsys *L, int mode, const double *B, const double *dadd, double base_shift,
                               const double *b, double *x, double pcg_tol, int pcg_maxiter, fa_linres *res);

/* Monotonic wall clock in seconds (bench and statistics only; never feeds
 * back into results). */
FA_HIDDEN double fa_wall_seconds(void);

#endif
