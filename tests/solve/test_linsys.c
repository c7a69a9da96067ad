/* SPDX-License-Identifier: MIT */
/* Linear solvers: CHOLMOD (symbolic analysis reused) and block-Jacobi PCG on
 * the reduced (free-node) system, against a dense Cholesky reference and
 * each other, on random SPD block matrices in a mesh pattern; shifted
 * factorisation of indefinite and singular matrices. */
#include <stdint.h>
#include <stdio.h>

#include "harness.h"
#include "solve/linsys.h"
#include "springs.h"

static uint64_t rng_state = 88172645463325252ULL;
static double urand(void) /* xorshift64, uniform in [-1, 1) */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

static int find_block(const fa_model *m, int r, int c)
{
    for (int k = m->blk_rowadr[r]; k < m->blk_rowadr[r] + m->blk_rownum[r]; k++)
        if (m->blk_col[k] == c) return k;
    return -1;
}

/* Random SPD block matrix in the model pattern: a graph Laplacian with SPD
 * 3x3 edge weights plus a positive diagonal (stiffness-like). */
static void random_spd(const fa_model *m, double *B, double diag)
{
    memset(B, 0, (size_t)m->nblock * 9 * sizeof(double));
    for (int c = 0; c < m->ncord; c++) {
        int a = m->cord_node[2 * c], b = m->cord_node[2 * c + 1];
        double R[9], S[9];
        for (int t = 0; t < 9; t++) R[t] = urand();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double s = 0.0;
                for (int k = 0; k < 3; k++) s += R[3 * k + i] * R[3 * k + j];
                S[3 * i + j] = 100.0 * (s + 0.1 * (i == j));
            }
        int kaa = find_block(m, a, a), kbb = find_block(m, b, b), kab = find_block(m, a, b), kba = find_block(m, b, a);
        for (int t = 0; t < 9; t++) {
            B[9 * kaa + t] += S[t];
            B[9 * kbb + t] += S[t];
            B[9 * kab + t] -= S[t];
            B[9 * kba + t] -= S[t];
        }
    }
    for (int i = 0; i < m->nnode; i++) {
        int k = find_block(m, i, i);
        for (int c = 0; c < 3; c++) B[9 * k + 4 * c] += diag * (1.0 + 0.5 * urand());
    }
}

/* Dense reduced matrix from blocks + dadd + shift. */
static void dense_reduced(const fa_linsys *L, const double *B, const double *dadd, double shift, double *A)
{
    int n = L->ndof;
    memset(A, 0, (size_t)n * n * sizeof(double));
    for (int i = 0; i < L->nfree; i++) {
        for (int k = L->rowptr[i]; k < L->rowptr[i + 1]; k++) {
            int j = L->col[k];
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++) A[(3 * i + a) * n + 3 * j + b] = B[9 * L->blk[k] + 3 * a + b];
        }
        for (int a = 0; a < 3; a++) A[(3 * i + a) * n + 3 * i + a] += shift + (dadd ? dadd[i] : 0.0);
    }
}

/* Dense Cholesky solve (reference); returns 0 if not SPD. */
static int dense_solve(int n, double *A, const double *b, double *x)
{
    for (int j = 0; j < n; j++) {
        double s = A[j * n + j];
        for (int k = 0; k < j; k++) s -= A[j * n + k] * A[j * n + k];
        if (!(s > 0)) return 0;
        A[j * n + j] = sqrt(s);
        for (int i = j + 1; i < n; i++) {
            double t = A[i * n + j];
            for (int k = 0; k < j; k++) t -= A[i * n + k] * A[j * n + k];
            A[i * n + j] = t / A[j * n + j];
        }
    }
    for (int i = 0; i < n; i++) {
        double t = b[i];
        for (int k = 0; k < i; k++) t -= A[i * n + k] * x[k];
        x[i] = t / A[i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
        double t = x[i];
        for (int k = i + 1; k < n; k++) t -= A[k * n + i] * x[k];
        x[i] = t / A[i * n + i];
    }
    return 1;
}

static double maxdiff(int n, const double *a, const double *b)
{
    double mx = 0.0;
    for (int i = 0; i < n; i++)
        if (fabs(a[i] - b[i]) > mx) mx = fabs(a[i] - b[i]);
    return mx;
}

static double maxabs_(int n, const double *a)
{
    double mx = 0.0;
    for (int i = 0; i < n; i++)
        if (fabs(a[i]) > mx) mx = fabs(a[i]);
    return mx;
}

static void test_small_dense(void)
{
    fa_model *m = springs_grid(6, 5, 0.01, 1e6, 1e-6, 1e-3);
    fa_linsys L;
    CHECK(fa_linsys_init(&L, m, 1, NULL) == FA_OK);
    CHECK(L.nfree == 25 && L.ndof == 75);
    CHECK(L.chol != NULL);
    int n = L.ndof;
    double *B = malloc((size_t)m->nblock * 9 * sizeof(double));
    double *A = malloc((size_t)n * n * sizeof(double));
    double *b = malloc((size_t)n * sizeof(double)), *x = malloc((size_t)n * sizeof(double));
    double *xr = malloc((size_t)n * sizeof(double)), *xp = malloc((size_t)n * sizeof(double));
    double *dadd = malloc((size_t)L.nfree * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
    for (int rep = 0; rep < 3; rep++) { /* same symbolic analysis, new values */
        random_spd(m, B, rep == 0 ? 1.0 : 0.0);
        for (int i = 0; i < L.nfree; i++) dadd[i] = rep == 2 ? 50.0 * (1.0 + urand() * 0.5) : 0.0;
        double shift = rep == 1 ? 3.0 : 0.0;
        for (int i = 0; i < n; i++) b[i] = urand();
        dense_reduced(&L, B, dadd, shift, A);
        /* the dense matrix is symmetric: the block pattern is mirrored */
        double asym = 0.0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) asym = fmax(asym, fabs(A[i * n + j] - A[j * n + i]));
        CHECK(asym < 1e-12);
        CHECK(dense_solve(n, A, b, xr));
        CHECK(fa_chol_factor(&L, B, dadd, shift));
        CHECK(fa_chol_solve(&L, b, x));
        double sc = maxabs_(n, xr);
        CHECK_MSG(maxdiff(n, x, xr) <= 1e-10 * sc, "cholmod vs dense rep %d: %g", rep, maxdiff(n, x, xr) / sc);
        fa_linres res;
        fa_linsys_pcg(&L, B, dadd, shift, b, xp, 1e-13, 10 * n, &res);
        CHECK(res.ok && res.used_pcg && !res.negcurv);
        CHECK_MSG(maxdiff(n, xp, xr) <= 1e-9 * sc, "pcg vs dense rep %d: %g", rep, maxdiff(n, xp, xr) / sc);
        /* matvec consistent with the dense matrix: A x_ref = b */
        fa_linsys_matvec(&L, B, dadd, shift, xr, y);
        CHECK(maxdiff(n, y, b) <= 1e-10 * maxabs_(n, b));
    }
    /* gather/scatter are inverse on free nodes */
    double *full = calloc((size_t)m->nnode * 3, sizeof(double));
    fa_linsys_scatter(&L, b, full);
    fa_linsys_gather(&L, full, x);
    CHECK(maxdiff(n, x, b) == 0.0);
    CHECK(full[0] == 0.0 && full[1] == 0.0); /* node 0 is fixed: untouched */
    free(full);
    fa_linsys_free(&L);
    free(B); free(A); free(b); free(x); free(xr); free(xp); free(dadd); free(y);
    fa_model_free(m);
}

static void test_cholmod_vs_pcg_large(void)
{
    fa_model *m = springs_grid(60, 40, 0.01, 1e6, 1e-6, 1e-3);
    fa_linsys L;
    CHECK(fa_linsys_init(&L, m, 1, NULL) == FA_OK);
    int n = L.ndof;
    double *B = malloc((size_t)m->nblock * 9 * sizeof(double));
    double *b = malloc((size_t)n * sizeof(double)), *x = malloc((size_t)n * sizeof(double));
    double *xp = malloc((size_t)n * sizeof(double)), *y = malloc((size_t)n * sizeof(double));
    random_spd(m, B, 0.0);
    for (int i = 0; i < n; i++) b[i] = urand();
    fa_linres rc, rp;
    fa_linsys_solve(&L, 1, B, NULL, 0.0, b, x, 1e-12, 20 * n, &rc);
    CHECK(rc.ok && !rc.used_pcg && rc.nshift == 0);
    fa_linsys_solve(&L, 0, B, NULL, 0.0, b, xp, 1e-12, 20 * n, &rp);
    CHECK(rp.ok && rp.used_pcg);
    CHECK(rp.iters > 10 && rp.iters < 20 * n);
    double sc = maxabs_(n, x);
    CHECK_MSG(maxdiff(n, x, xp) <= 1e-8 * sc, "cholmod vs pcg: rel %g (pcg %d iters)", maxdiff(n, x, xp) / sc,
              rp.iters);
    fa_linsys_matvec(&L, B, NULL, 0.0, x, y);
    CHECK(maxdiff(n, y, b) <= 1e-9 * maxabs_(n, b));
    fa_linsys_free(&L);
    free(B); free(b); free(x); free(xp); free(y);
    fa_model_free(m);
}

/* Indefinite and singular systems: CHOLMOD refuses them, the policy shifts
 * the diagonal and the result solves the shifted system; PCG truncates at
 * negative curvature with a descent direction. */
static void test_indefinite_singular(void)
{
    fa_model *m = springs_grid(8, 6, 0.01, 1e6, 1e-6, 1e-3);
    fa_linsys L;
    CHECK(fa_linsys_init(&L, m, 1, NULL) == FA_OK);
    int n = L.ndof;
    double *B = malloc((size_t)m->nblock * 9 * sizeof(double));
    double *A = malloc((size_t)n * n * sizeof(double));
    double *b = malloc((size_t)n * sizeof(double)), *x = malloc((size_t)n * sizeof(double));
    double *xr = malloc((size_t)n * sizeof(double));
    random_spd(m, B, 0.0);
    /* make it indefinite: a negative diagonal entry on one free node */
    int k = find_block(m, 20, 20);
    B[9 * k + 4] = -500.0;
    for (int i = 0; i < n; i++) b[i] = urand();
    CHECK(!fa_chol_factor(&L, B, NULL, 0.0));
    fa_linres res;
    fa_linsys_solve(&L, 1, B, NULL, 0.0, b, x, 1e-12, 10 * n, &res);
    CHECK(res.ok && !res.used_pcg && res.nshift >= 0 && res.shift > 0.0);
    dense_reduced(&L, B, NULL, res.shift, A);
    CHECK(dense_solve(n, A, b, xr));
    CHECK(maxdiff(n, x, xr) <= 1e-9 * maxabs_(n, xr));
    /* PCG on the indefinite matrix gives a descent direction b.x > 0 */
    fa_linres rp;
    fa_linsys_pcg(&L, B, NULL, 0.0, b, x, 1e-12, 10 * n, &rp);
    double bx = 0.0;
    for (int i = 0; i < n; i++) bx += b[i] * x[i];
    CHECK(bx > 0.0);
    /* singular: a node with an all-zero row (a slack part) */
    random_spd(m, B, 0.0);
    int node = 30;
    for (int q = m->blk_rowadr[node]; q < m->blk_rowadr[node] + m->blk_rownum[node]; q++) {
        int c = m->blk_col[q];
        memset(B + 9 * q, 0, 9 * sizeof(double));
        int kk = find_block(m, c, node);
        memset(B + 9 * kk, 0, 9 * sizeof(double));
    }
    for (int i = 0; i < n; i++) b[i] = urand();
    int fi = L.free_of[node];
    b[3 * fi] = b[3 * fi + 1] = b[3 * fi + 2] = 0.0; /* no load on the slack node */
    fa_linsys_solve(&L, 1, B, NULL, 0.0, b, x, 1e-12, 10 * n, &res);
    CHECK(res.ok && res.shift > 0.0);
    CHECK(x[3 * fi] == 0.0 && x[3 * fi + 1] == 0.0 && x[3 * fi + 2] == 0.0);
    for (int i = 0; i < n; i++) CHECK(isfinite(x[i]));
    fa_linsys_free(&L);
    free(B); free(A); free(b); free(x); free(xr);
    fa_model_free(m);
}

/* Factor reuse: CG preconditioned by the factor of a nearby matrix solves
 * the new system in a few iterations; a far-away matrix makes it give up
 * and refactorise; both answers match a fresh factorisation. */
static void test_reuse(void)
{
    fa_model *m = springs_grid(30, 20, 0.01, 1e6, 1e-6, 1e-3);
    fa_linsys L;
    CHECK(fa_linsys_init(&L, m, 1, NULL) == FA_OK);
    int n = L.ndof;
    size_t nb9 = (size_t)m->nblock * 9;
    double *B1 = malloc(nb9 * sizeof(double)), *B2 = malloc(nb9 * sizeof(double));
    double *b = malloc((size_t)n * sizeof(double)), *x = malloc((size_t)n * sizeof(double));
    double *xr = malloc((size_t)n * sizeof(double));
    random_spd(m, B1, 0.0);
    random_spd(m, B2, 0.0); /* B2 = 0.97 B1 + 0.03 (another SPD matrix): SPD and nearby */
    for (size_t k = 0; k < nb9; k++) B2[k] = 0.97 * B1[k] + 0.03 * B2[k];
    for (int i = 0; i < n; i++) b[i] = urand();
    fa_linres res;
    fa_linsys_solve(&L, FA_LS_CHOL_REUSE, B1, NULL, 0.0, b, x, 1e-12, 10 * n, &res);
    CHECK(res.ok && res.factored && !res.reused);
    int nf = L.nfactor;
    L.reuse_maxiter = 40;
    fa_linsys_solve(&L, FA_LS_CHOL_REUSE, B2, NULL, 0.0, b, x, 1e-12, 10 * n, &res);
    CHECK(res.ok && res.reused && !res.factored && res.iters > 0 && res.iters <= 40);
    CHECK(L.nfactor == nf);
    fa_linsys_solve(&L, FA_LS_CHOL, B2, NULL, 0.0, b, xr, 1e-12, 10 * n, &res);
    CHECK(res.ok && res.factored);
    CHECK(maxdiff(n, x, xr) <= 1e-9 * maxabs_(n, xr));
    /* a very different matrix with a tiny cap: reuse gives up, refactorises */
    random_spd(m, B2, 10.0);
    L.reuse_maxiter = 2;
    fa_linsys_solve(&L, FA_LS_CHOL_REUSE, B2, NULL, 0.0, b, x, 1e-12, 10 * n, &res);
    fa_linsys_solve(&L, FA_LS_CHOL_REUSE, B2, NULL, 0.0, b, x, 1e-12, 10 * n, &res);
    CHECK(res.ok);
    fa_linsys_solve(&L, FA_LS_CHOL, B2, NULL, 0.0, b, xr, 1e-12, 10 * n, &res);
    CHECK(maxdiff(n, x, xr) <= 1e-9 * maxabs_(n, xr));
    /* a failed reuse forces a direct refactorisation on the next solve */
    random_spd(m, B1, 0.0);
    L.reuse_maxiter = 1;
    fa_linsys_solve(&L, FA_LS_CHOL_REUSE, B1, NULL, 0.0, b, x, 1e-12, 10 * n, &res);
    CHECK(res.ok && res.factored && !res.reused);
    fa_linsys_free(&L);
    free(B1); free(B2); free(b); free(x); free(xr);
    fa_model_free(m);
}

/* Every dof anchored: empty system is fine. */
static void test_all_fixed(void)
{
    fa_model *m = springs_grid(2, 2, 0.01, 1e6, 1e-6, 1e-3);
    for (int i = 0; i < m->nnode; i++) m->node_body[i] = -2;
    fa_linsys L;
    CHECK(fa_linsys_init(&L, m, 1, NULL) == FA_OK);
    CHECK(L.nfree == 0 && L.chol == NULL);
    fa_linres res;
    double B[1] = {0};
    fa_linsys_solve(&L, 1, B, NULL, 0.0, NULL, NULL, 1e-10, 10, &res);
    CHECK(res.ok);
    fa_linsys_free(&L);
    fa_model_free(m);
}

int main(void)
{
    test_small_dense();
    test_cholmod_vs_pcg_large();
    test_indefinite_singular();
    test_reuse();
    test_all_fixed();
    TEST_MAIN_END();
}
