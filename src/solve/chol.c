/* SPDX-License-Identifier: MIT */
/* CHOLMOD (SuiteSparse, LGPL-2.1+, linked dynamically) behind fa_linsys.
 *
 * Set-up, once per (model, data):
 *   1. CHOLMOD's default analysis of the reduced upper-triangle pattern picks
 *      the fill-reducing ordering P (AMD; METIS with its fixed seed when AMD
 *      is poor; then a postorder of the elimination tree). Deterministic.
 *   2. The permuted matrix P A P' is laid out once as an upper-triangle CSC
 *      (stype = 1) with a value map into the model's block array, and
 *      analysed again with the natural ordering: CHOLMOD then factorises it
 *      in place, without the permuted transposes it would otherwise build
 *      (and allocate) on every factorisation.
 * Per Newton system: gather values through the map, add the diagonal mass
 * terms, cholmod_factorize_p with the shift as beta (simplicial LDL',
 * pivots checked for positivity). Solves are done here on the LDL' factor
 * (permute, forward, diagonal, backward, permute back) with a preallocated
 * vector, so neither factorisation nor solve allocates memory (measured:
 * docs/solvers.md). CHOLMOD never prints (print = 0, no error handler). */
#include <cholmod.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solve/linsys.h"

typedef struct chol_state {
    cholmod_common c;
    cholmod_sparse *A; /* P A P', upper triangle, stype 1 */
    cholmod_factor *F;
    int *src;          /* nnz: value source (offset into the block array) of each entry of A */
    int *diag;         /* ndof: position in A of the diagonal of ORIGINAL dof d */
    int *perm;         /* ndof: row k of P A P' is original dof perm[k] */
    double *y;         /* ndof: solve workspace */
    int started;
} chol_state;

void fa_chol_free(fa_linsys *L)
{
    chol_state *s = (chol_state *)L->chol;
    if (!s) return;
    if (s->started) {
        cholmod_free_sparse(&s->A, &s->c);
        cholmod_free_factor(&s->F, &s->c);
        cholmod_finish(&s->c);
    }
    free(s->src);
    free(s->diag);
    free(s->perm);
    free(s->y);
    free(s);
    L->chol = NULL;
}

static fa_status chol_fail(fa_linsys *L, int status, size_t n, const char *what, fa_error *err)
{
    fa_chol_free(L);
    return fa_error_set(err, status == CHOLMOD_OUT_OF_MEMORY ? FA_ERR_NOMEM : FA_ERR_NUMERIC, NULL, 0, 0,
                        "CHOLMOD %s failed (status %d) for %zu dofs", what, status, n);
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
    size_t n = (size_t)L->ndof;
    int nnz = L->nnz;
    s->src = (int *)malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof(int));
    s->diag = (int *)malloc(n * sizeof(int));
    s->perm = (int *)malloc(n * sizeof(int));
    s->y = (double *)malloc(n * sizeof(double));
    int *pinv = (int *)malloc(n * sizeof(int));
    int *cnt = (int *)calloc(n + 1, sizeof(int));
    if (!s->src || !s->diag || !s->perm || !s->y || !pinv || !cnt) {
        free(pinv);
        free(cnt);
        return chol_fail(L, CHOLMOD_OUT_OF_MEMORY, n, "set-up", err);
    }
    double t0 = fa_wall_seconds();
    /* 1. ordering from CHOLMOD's default analysis of the upper pattern */
    {
        cholmod_sparse *U = cholmod_allocate_sparse(n, n, (size_t)nnz, 1, 1, 1, CHOLMOD_PATTERN, &s->c);
        if (!U) {
            free(pinv);
            free(cnt);
            return chol_fail(L, s->c.status, n, "matrix allocation", err);
        }
        memcpy(U->p, L->cscp, (n + 1) * sizeof(int));
        memcpy(U->i, L->csci, (size_t)nnz * sizeof(int));
        cholmod_factor *F0 = cholmod_analyze(U, &s->c);
        cholmod_free_sparse(&U, &s->c);
        if (!F0 || s->c.status < CHOLMOD_OK) {
            cholmod_free_factor(&F0, &s->c);
            free(pinv);
            free(cnt);
            return chol_fail(L, s->c.status, n, "ordering", err);
        }
        memcpy(s->perm, F0->Perm, n * sizeof(int));
        cholmod_free_factor(&F0, &s->c);
    }
    for (size_t k = 0; k < n; k++) pinv[s->perm[k]] = (int)k;
    /* 2. upper triangle of P A P': entry (i <= j) of A goes to
     * (min(pi, pj), max(pi, pj)); columns sorted by row */
    for (size_t j = 0; j < n; j++)
        for (int p = L->cscp[j]; p < L->cscp[j + 1]; p++) {
            int pi = pinv[L->csci[p]], pj = pinv[j];
            cnt[(pi > pj ? pi : pj) + 1]++;
        }
    for (size_t k = 0; k < n; k++) cnt[k + 1] += cnt[k];
    s->A = cholmod_allocate_sparse(n, n, (size_t)nnz, 1, 1, 1, CHOLMOD_REAL, &s->c);
    if (!s->A) {
        free(pinv);
        free(cnt);
        return chol_fail(L, s->c.status, n, "matrix allocation", err);
    }
    int *Ap = (int *)s->A->p, *Ai = (int *)s->A->i;
    double *Ax = (double *)s->A->x;
    memcpy(Ap, cnt, (n + 1) * sizeof(int));
    for (size_t j = 0; j < n; j++)
        for (int p = L->cscp[j]; p < L->cscp[j + 1]; p++) {
            int pi = pinv[L->csci[p]], pj = pinv[j];
            int col = pi > pj ? pi : pj, row = pi > pj ? pj : pi;
            int q = cnt[col]++;
            /* insertion keeps the column sorted by row */
            while (q > Ap[col] && Ai[q - 1] > row) {
                Ai[q] = Ai[q - 1];
                s->src[q] = s->src[q - 1];
                q--;
            }
            Ai[q] = row;
            s->src[q] = L->cscsrc[p];
        }
    for (size_t k = 0; k < n; k++) {
        s->diag[s->perm[k]] = Ap[k + 1] - 1; /* the diagonal is the last entry of its upper column */
        FA_ASSERT(Ai[Ap[k + 1] - 1] == (int)k);
    }
    free(pinv);
    free(cnt);
    /* placeholder values (positive definite); the analysis reads the pattern only */
    memset(Ax, 0, (size_t)nnz * sizeof(double));
    for (size_t k = 0; k < n; k++) Ax[Ap[k + 1] - 1] = 1.0;
    /* 3. symbolic analysis of P A P' with the natural ordering */
    s->c.nmethods = 1;
    s->c.method[0].ordering = CHOLMOD_NATURAL;
    s->c.postorder = 0;
    /* Simplicial LDL': with the single-threaded reference BLAS of the target
     * platform, supernodal factors lose to simplicial ones on the solves that
     * dominate with factor reuse (docs/solvers.md). */
    s->c.supernodal = CHOLMOD_SIMPLICIAL;
    s->c.final_ll = 0;
    s->F = cholmod_analyze(s->A, &s->c);
    L->analyse_s = fa_wall_seconds() - t0;
    if (!s->F || s->c.status < CHOLMOD_OK) return chol_fail(L, s->c.status, n, "symbolic analysis", err);
    if (s->F->Perm) {
        const int *P2 = (const int *)s->F->Perm;
        for (size_t k = 0; k < n; k++)
            if (P2[k] != (int)k) return chol_fail(L, CHOLMOD_INVALID, n, "natural-order analysis", err);
    }
    L->lnz = s->c.lnz;
    L->fl = s->c.fl;
    /* one CG iteration with the factor: two triangular solves (4 lnz flops),
     * a block product (18 flops per block) and ~10 vector flops per dof */
    double cg = 4.0 * L->lnz + 18.0 * (double)L->nrb + 10.0 * (double)n;
    double cap = cg > 0 ? L->fl / cg : 3.0;
    L->reuse_cap = cap < 3.0 ? 3 : (cap > 1e6 ? 1000000 : (int)cap);
    L->supernodal = s->F->is_super;
    return FA_OK;
}

int fa_chol_factor(fa_linsys *L, const double *Bv, const double *dadd, double shift)
{
    chol_state *s = (chol_state *)L->chol;
    if (!s) return 0;
    double *Ax = (double *)s->A->x;
    const int *src = s->src;
    for (int k = 0; k < L->nnz; k++) Ax[k] = Bv[src[k]];
    if (dadd) {
        for (int i = 0; i < L->nfree; i++)
            for (int c = 0; c < 3; c++) Ax[s->diag[3 * i + c]] += dadd[i];
    }
    double beta[2] = {shift, 0.0};
    int ok = cholmod_factorize_p(s->A, beta, NULL, 0, s->F, &s->c);
    if (!ok || s->c.status != CHOLMOD_OK || s->F->minor < s->F->n || s->F->is_super) return 0;
    /* simplicial factor: LDL' (D on the diagonal) or LL'; positive definite
     * iff every pivot is > 0 */
    const int *Lp = (const int *)s->F->p;
    const double *Lx = (const double *)s->F->x;
    for (size_t j = 0; j < s->F->n; j++)
        if (!(Lx[Lp[j]] > 0.0) || !isfinite(Lx[Lp[j]])) return 0;
    return 1;
}

int fa_chol_solve(fa_linsys *L, const double *b, double *x)
{
    chol_state *s = (chol_state *)L->chol;
    if (!s || !s->F || s->F->is_super || s->F->xtype != CHOLMOD_REAL) return 0;
    int n = L->ndof;
    const int *Lp = (const int *)s->F->p, *Li = (const int *)s->F->i, *Lnz = (const int *)s->F->nz;
    const double *Lx = (const double *)s->F->x;
    const int *perm = s->perm;
    double *y = s->y;
    int ll = s->F->is_ll;
    for (int k = 0; k < n; k++) y[k] = b[perm[k]];
    /* forward: L y = Pb (unit diagonal for LDL') */
    for (int j = 0; j < n; j++) {
        int p0 = Lp[j], p1 = Lp[j] + Lnz[j];
        double yj = ll ? y[j] / Lx[p0] : y[j];
        y[j] = yj;
        for (int p = p0 + 1; p < p1; p++) y[Li[p]] -= Lx[p] * yj;
    }
    if (!ll)
        for (int j = 0; j < n; j++) y[j] /= Lx[Lp[j]];
    /* backward: L' y = z */
    for (int j = n - 1; j >= 0; j--) {
        int p0 = Lp[j], p1 = Lp[j] + Lnz[j];
        double yj = y[j];
        for (int p = p0 + 1; p < p1; p++) yj -= Lx[p] * y[Li[p]];
        y[j] = ll ? yj / Lx[p0] : yj;
    }
    for (int k = 0; k < n; k++) {
        if (!isfinite(y[k])) return 0;
        x[perm[k]] = y[k];
    }
    return 1;
}
