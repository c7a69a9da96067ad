/* SPDX-License-Identifier: MIT */
/* CHOLMOD (SuiteSparse, LGPL-2.1+, linked dynamically) behind fa_linsys.
 *
 * The upper-triangle CSC matrix (stype = 1) of the reduced system is
 * allocated once with its pattern; cholmod_analyze runs once (AMD, METIS
 * if AMD is poor, CHOLMOD's default choice; deterministic: single-threaded
 * reference BLAS, no random orderings). Each Newton iteration copies values
 * through the precomputed map and calls cholmod_factorize_p, which refactors
 * numerically in the same symbolic structure; the shift beta*I is passed to
 * CHOLMOD directly. Solves reuse X/Y/E workspaces (cholmod_solve2), so no
 * memory is allocated per iteration by this file. CHOLMOD never prints
 * (print = 0, no error handler). */
#include <cholmod.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solve/linsys.h"

typedef struct chol_state {
    cholmod_common c;
    cholmod_sparse *A;
    cholmod_factor *F;
    cholmod_dense *B, *X, *Y, *E;
    int started;
} chol_state;

void fa_chol_free(fa_linsys *L)
{
    chol_state *s = (chol_state *)L->chol;
    if (!s) return;
    if (s->started) {
        cholmod_free_sparse(&s->A, &s->c);
        cholmod_free_factor(&s->F, &s->c);
        cholmod_free_dense(&s->B, &s->c);
        cholmod_free_dense(&s->X, &s->c);
        cholmod_free_dense(&s->Y, &s->c);
        cholmod_free_dense(&s->E, &s->c);
        cholmod_finish(&s->c);
    }
    free(s);
    L->chol = NULL;
}

fa_status fa_chol_init(fa_linsys *L, fa_error *err)
{
    chol_state *s = (chol_state *)calloc(1, sizeof *s);
    if (!s) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "CHOLMOD state: out of memory");
    L->chol = s;
    cholmod_start(&s->c);
    s->started = 1;
    s->c.print = 0;
    s->c.error_handler = NULL;
    /* Simplicial LDL': with the single-threaded reference BLAS of the
     * target platform, supernodal triangular solves spend most of their
     * time in BLAS-2 call overhead on small supernodes, and the solves
     * dominate when the factor is reused as a CG preconditioner
     * (docs/solvers.md has the measurements). Pivots are checked for
     * positivity after each factorisation. */
    s->c.supernodal = CHOLMOD_SIMPLICIAL;
    s->c.final_ll = 0;
    size_t n = (size_t)L->ndof;
    s->A = cholmod_allocate_sparse(n, n, (size_t)L->nnz, 1, 1, 1, CHOLMOD_REAL, &s->c);
    s->B = cholmod_allocate_dense(n, 1, n, CHOLMOD_REAL, &s->c);
    if (!s->A || !s->B) {
        fa_chol_free(L);
        return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "CHOLMOD matrix: out of memory (%zu dofs)", n);
    }
    int *Ap = (int *)s->A->p, *Ai = (int *)s->A->i;
    double *Ax = (double *)s->A->x;
    memcpy(Ap, L->cscp, (n + 1) * sizeof(int));
    memcpy(Ai, L->csci, (size_t)L->nnz * sizeof(int));
    /* a positive-definite placeholder for the analysis (values unused by it) */
    memset(Ax, 0, (size_t)L->nnz * sizeof(double));
    for (size_t j = 0; j < n; j++) Ax[L->cscdiag[j]] = 1.0;
    double t0 = fa_wall_seconds();
    s->F = cholmod_analyze(s->A, &s->c);
    L->analyse_s = fa_wall_seconds() - t0;
    if (!s->F || s->c.status < CHOLMOD_OK) {
        int st = s->c.status;
        fa_chol_free(L);
        return fa_error_set(err, st == CHOLMOD_OUT_OF_MEMORY ? FA_ERR_NOMEM : FA_ERR_NUMERIC, NULL, 0, 0,
                            "CHOLMOD symbolic analysis failed (status %d) for %zu dofs", st, n);
    }
    L->lnz = s->c.lnz;
    L->supernodal = s->F->is_super;
    return FA_OK;
}

int fa_chol_factor(fa_linsys *L, const double *Bv, const double *dadd, double shift)
{
    chol_state *s = (chol_state *)L->chol;
    if (!s) return 0;
    double *Ax = (double *)s->A->x;
    for (int k = 0; k < L->nnz; k++) Ax[k] = Bv[L->cscsrc[k]];
    if (dadd) {
        for (int i = 0; i < L->nfree; i++)
            for (int c = 0; c < 3; c++) Ax[L->cscdiag[3 * i + c]] += dadd[i];
    }
    double beta[2] = {shift, 0.0};
    int ok = cholmod_factorize_p(s->A, beta, NULL, 0, s->F, &s->c);
    if (!ok || s->c.status != CHOLMOD_OK || s->F->minor < s->F->n) return 0;
    if (!s->F->is_super && !s->F->is_ll) {
        /* LDL' simplicial factor: positive definite iff all pivots > 0 */
        const int *Lp = (const int *)s->F->p;
        const double *Lx = (const double *)s->F->x;
        for (size_t j = 0; j < s->F->n; j++)
            if (!(Lx[Lp[j]] > 0.0)) return 0;
    }
    return 1;
}

int fa_chol_solve(fa_linsys *L, const double *b, double *x)
{
    chol_state *s = (chol_state *)L->chol;
    if (!s) return 0;
    memcpy(s->B->x, b, (size_t)L->ndof * sizeof(double));
    if (!cholmod_solve2(CHOLMOD_A, s->F, s->B, NULL, &s->X, NULL, &s->Y, &s->E, &s->c)) return 0;
    const double *xs = (const double *)s->X->x;
    for (int i = 0; i < L->ndof; i++) {
        if (!isfinite(xs[i])) return 0;
        x[i] = xs[i];
    }
    return 1;
}
