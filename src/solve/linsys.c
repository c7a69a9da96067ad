/* SPDX-License-Identifier: MIT */
/* Free-dof maps, reduced block CSR, CSC value map, block-Jacobi PCG and the
 * shift/fallback policy of the Newton linear solves (see linsys.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "solve/linsys.h"

double fa_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

fa_status fa_linsys_init(fa_linsys *L, const fa_model *m, int with_chol, fa_error *err)
{
    memset(L, 0, sizeof *L);
    int nn = m->nnode;
    L->nnode = nn;
    L->free_of = (int *)malloc((size_t)(nn > 0 ? nn : 1) * sizeof(int));
    L->node_of = (int *)malloc((size_t)(nn > 0 ? nn : 1) * sizeof(int));
    if (!L->free_of || !L->node_of) goto nomem;
    int nf = 0;
    for (int i = 0; i < nn; i++) {
        if (m->node_body[i] == -1) {
            L->free_of[i] = nf;
            L->node_of[nf++] = i;
        } else {
            L->free_of[i] = -1;
        }
    }
    L->nfree = nf;
    L->ndof = 3 * nf;
    /* reduced block CSR */
    L->rowptr = (int *)malloc((size_t)(nf + 1) * sizeof(int));
    L->diagblk = (int *)malloc((size_t)(nf > 0 ? nf : 1) * sizeof(int));
    if (!L->rowptr || !L->diagblk) goto nomem;
    int nrb = 0;
    for (int i = 0; i < nf; i++) {
        int n = L->node_of[i];
        for (int k = m->blk_rowadr[n]; k < m->blk_rowadr[n] + m->blk_rownum[n]; k++)
            if (L->free_of[m->blk_col[k]] >= 0) nrb++;
    }
    L->nrb = nrb;
    L->blk = (int *)malloc((size_t)(nrb > 0 ? nrb : 1) * sizeof(int));
    L->col = (int *)malloc((size_t)(nrb > 0 ? nrb : 1) * sizeof(int));
    if (!L->blk || !L->col) goto nomem;
    nrb = 0;
    int nnz = 0;
    for (int i = 0; i < nf; i++) {
        int n = L->node_of[i];
        L->rowptr[i] = nrb;
        L->diagblk[i] = -1;
        for (int k = m->blk_rowadr[n]; k < m->blk_rowadr[n] + m->blk_rownum[n]; k++) {
            int j = L->free_of[m->blk_col[k]];
            if (j < 0) continue;
            if (j == i) L->diagblk[i] = k;
            if (j < i) nnz += 9;
            L->blk[nrb] = k;
            L->col[nrb++] = j;
        }
        if (L->diagblk[i] < 0)
            return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0,
                                "stiffness pattern: expected a diagonal block for node %d, found none", n);
        nnz += 6;
    }
    L->rowptr[nf] = nrb;
    /* CSC upper triangle: column dof j = 3J+b holds rows 3I+a with I < J (all
     * a) and I == J (a <= b). By symmetry K(I,J)[a][b] = K(J,I)[b][a], so the
     * column is read from block row J. */
    L->nnz = nnz;
    L->cscp = (int *)malloc((size_t)(L->ndof + 1) * sizeof(int));
    L->csci = (int *)malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof(int));
    L->cscsrc = (int *)malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof(int));
    L->cscdiag = (int *)malloc((size_t)(L->ndof > 0 ? L->ndof : 1) * sizeof(int));
    if (!L->cscp || !L->csci || !L->cscsrc || !L->cscdiag) goto nomem;
    int pos = 0;
    for (int J = 0; J < nf; J++) {
        for (int b = 0; b < 3; b++) {
            L->cscp[3 * J + b] = pos;
            for (int k = L->rowptr[J]; k < L->rowptr[J + 1]; k++) {
                int I = L->col[k];
                if (I > J) break; /* sorted columns */
                int amax = (I == J) ? b : 2;
                for (int a = 0; a <= amax; a++) {
                    L->csci[pos] = 3 * I + a;
                    L->cscsrc[pos] = 9 * L->blk[k] + 3 * b + a;
                    if (I == J && a == b) L->cscdiag[3 * J + b] = pos;
                    pos++;
                }
            }
        }
    }
    L->cscp[L->ndof] = pos;
    FA_ASSERT(pos == nnz);
    size_t nv = (size_t)(L->ndof > 0 ? L->ndof : 1);
    L->r = (double *)malloc(nv * sizeof(double));
    L->z = (double *)malloc(nv * sizeof(double));
    L->p = (double *)malloc(nv * sizeof(double));
    L->q = (double *)malloc(nv * sizeof(double));
    L->dinv = (double *)malloc(3 * nv * sizeof(double));
    if (!L->r || !L->z || !L->p || !L->q || !L->dinv) goto nomem;
    if (with_chol && nf > 0) {
        fa_status s = fa_chol_init(L, err);
        if (s != FA_OK) return s;
    }
    return FA_OK;
nomem:
    return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "solver workspace: out of memory for %d nodes",
                        m->nnode);
}

void fa_linsys_free(fa_linsys *L)
{
    if (!L) return;
    fa_chol_free(L);
    free(L->node_of);
    free(L->free_of);
    free(L->rowptr);
    free(L->blk);
    free(L->col);
    free(L->diagblk);
    free(L->cscp);
    free(L->csci);
    free(L->cscsrc);
    free(L->cscdiag);
    free(L->r);
    free(L->z);
    free(L->p);
    free(L->q);
    free(L->dinv);
    memset(L, 0, sizeof *L);
}

void fa_linsys_gather(const fa_linsys *L, const double *full, double *red)
{
    for (int i = 0; i < L->nfree; i++) {
        const double *s = full + 3 * L->node_of[i];
        red[3 * i] = s[0];
        red[3 * i + 1] = s[1];
        red[3 * i + 2] = s[2];
    }
}

void fa_linsys_scatter(const fa_linsys *L, const double *red, double *full)
{
    for (int i = 0; i < L->nfree; i++) {
        double *t = full + 3 * L->node_of[i];
        t[0] = red[3 * i];
        t[1] = red[3 * i + 1];
        t[2] = red[3 * i + 2];
    }
}

void fa_linsys_matvec(const fa_linsys *L, const double *B, const double *dadd, double shift, const double *x,
                      double *y)
{
    for (int i = 0; i < L->nfree; i++) {
        double s = shift + (dadd ? dadd[i] : 0.0);
        double y0 = s * x[3 * i], y1 = s * x[3 * i + 1], y2 = s * x[3 * i + 2];
        for (int k = L->rowptr[i]; k < L->rowptr[i + 1]; k++) {
            const double *K = B + 9 * (size_t)L->blk[k];
            const double *xj = x + 3 * L->col[k];
            y0 += K[0] * xj[0] + K[1] * xj[1] + K[2] * xj[2];
            y1 += K[3] * xj[0] + K[4] * xj[1] + K[5] * xj[2];
            y2 += K[6] * xj[0] + K[7] * xj[1] + K[8] * xj[2];
        }
        y[3 * i] = y0;
        y[3 * i + 1] = y1;
        y[3 * i + 2] = y2;
    }
}

double fa_linsys_maxdiag(const fa_linsys *L, const double *B, const double *dadd)
{
    double mx = 0.0;
    for (int i = 0; i < L->nfree; i++) {
        const double *K = B + 9 * (size_t)L->diagblk[i];
        double a = dadd ? dadd[i] : 0.0;
        for (int c = 0; c < 3; c++) {
            double v = fabs(K[4 * c] + a);
            if (v > mx) mx = v;
        }
    }
    return mx;
}

static double mindiag(const fa_linsys *L, const double *B, const double *dadd)
{
    double mn = INFINITY;
    for (int i = 0; i < L->nfree; i++) {
        const double *K = B + 9 * (size_t)L->diagblk[i];
        double a = dadd ? dadd[i] : 0.0;
        for (int c = 0; c < 3; c++)
            if (K[4 * c] + a < mn) mn = K[4 * c] + a;
    }
    return mn;
}

/* Inverse of a symmetric 3x3 block (symmetrised) by Cholesky; when the block
 * is not positive definite, the inverse of its (positive) diagonal, or 1 for
 * a zero diagonal, so the preconditioner stays SPD. */
static void block_inverse(const double *K, double s, double *inv)
{
    double a00 = K[0] + s, a11 = K[4] + s, a22 = K[8] + s;
    double a01 = 0.5 * (K[1] + K[3]), a02 = 0.5 * (K[2] + K[6]), a12 = 0.5 * (K[5] + K[7]);
    double l00 = a00 > 0 ? sqrt(a00) : 0.0;
    int ok = l00 > 0;
    double l10 = 0, l20 = 0, l11 = 0, l21 = 0, l22 = 0;
    if (ok) {
        l10 = a01 / l00;
        l20 = a02 / l00;
        double t = a11 - l10 * l10;
        ok = t > 1e-14 * a11;
        if (ok) {
            l11 = sqrt(t);
            l21 = (a12 - l20 * l10) / l11;
            double u = a22 - l20 * l20 - l21 * l21;
            ok = u > 1e-14 * a22;
            if (ok) l22 = sqrt(u);
        }
    }
    if (!ok) {
        memset(inv, 0, 9 * sizeof(double));
        inv[0] = a00 > 0 ? 1.0 / a00 : 1.0;
        inv[4] = a11 > 0 ? 1.0 / a11 : 1.0;
        inv[8] = a22 > 0 ? 1.0 / a22 : 1.0;
        return;
    }
    /* inverse of L (lower) */
    double i00 = 1.0 / l00, i11 = 1.0 / l11, i22 = 1.0 / l22;
    double i10 = -l10 * i00 * i11;
    double i21 = -l21 * i11 * i22;
    double i20 = -(l20 * i00 + l21 * i10) * i22;
    /* A^-1 = L^-T L^-1 */
    inv[0] = i00 * i00 + i10 * i10 + i20 * i20;
    inv[1] = i10 * i11 + i20 * i21;
    inv[2] = i20 * i22;
    inv[4] = i11 * i11 + i21 * i21;
    inv[5] = i21 * i22;
    inv[8] = i22 * i22;
    inv[3] = inv[1];
    inv[6] = inv[2];
    inv[7] = inv[5];
}

static double dot(int n, const double *a, const double *b)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

static void precond(const fa_linsys *L, const double *r, double *z)
{
    for (int i = 0; i < L->nfree; i++) {
        const double *D = L->dinv + 9 * i, *ri = r + 3 * i;
        z[3 * i] = D[0] * ri[0] + D[1] * ri[1] + D[2] * ri[2];
        z[3 * i + 1] = D[3] * ri[0] + D[4] * ri[1] + D[5] * ri[2];
        z[3 * i + 2] = D[6] * ri[0] + D[7] * ri[1] + D[8] * ri[2];
    }
}

/* Preconditioned CG core. kind 0: block-Jacobi (L->dinv ready); kind 1:
 * the CHOLMOD factor. x0 = 0. */
static void pcg_core(fa_linsys *L, int kind, const double *B, const double *dadd, double shift, const double *b,
                     double *x, double tol, int maxiter, fa_linres *res)
{
    int n = L->ndof;
    double *r = L->r, *z = L->z, *p = L->p, *q = L->q;
    memset(x, 0, (size_t)n * sizeof(double));
    memcpy(r, b, (size_t)n * sizeof(double));
    double bn = sqrt(dot(n, b, b));
    if (bn == 0.0) {
        res->ok = 1;
        return;
    }
    if (kind == 0) precond(L, r, z);
    else if (!fa_chol_solve(L, r, z)) return;
    memcpy(p, z, (size_t)n * sizeof(double));
    double rz = dot(n, r, z);
    double rn = bn;
    int it = 0;
    for (; it < maxiter; it++) {
        fa_linsys_matvec(L, B, dadd, shift, p, q);
        double pq = dot(n, p, q);
        if (!(pq > 0.0)) {
            res->negcurv = 1;
            if (it == 0) memcpy(x, z, (size_t)n * sizeof(double));
            break;
        }
        double alpha = rz / pq;
        for (int i = 0; i < n; i++) {
            x[i] += alpha * p[i];
            r[i] -= alpha * q[i];
        }
        rn = sqrt(dot(n, r, r));
        if (rn <= tol * bn) {
            it++;
            break;
        }
        if (kind == 0) precond(L, r, z);
        else if (!fa_chol_solve(L, r, z)) break;
        double rz1 = dot(n, r, z);
        double beta = rz1 / rz;
        rz = rz1;
        for (int i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
    }
    res->iters = it;
    res->relres = rn / bn;
    res->ok = !res->negcurv && rn <= tol * bn;
}

void fa_linsys_pcg(fa_linsys *L, const double *B, const double *dadd, double shift, const double *b, double *x,
                   double tol, int maxiter, fa_linres *res)
{
    memset(res, 0, sizeof *res);
    res->used_pcg = 1;
    res->shift = shift;
    for (int i = 0; i < L->nfree; i++)
        block_inverse(B + 9 * (size_t)L->diagblk[i], shift + (dadd ? dadd[i] : 0.0), L->dinv + 9 * i);
    pcg_core(L, 0, B, dadd, shift, b, x, tol, maxiter, res);
}

void fa_linsys_solve(fa_linsys *L, int mode, const double *B, const double *dadd, double base_shift,
                     const double *b, double *x, double pcg_tol, int pcg_maxiter, fa_linres *res)
{
    memset(res, 0, sizeof *res);
    if (L->ndof == 0) {
        res->ok = 1;
        return;
    }
    if (mode == FA_LS_CHOL_REUSE && L->chol && L->have_factor && !L->reuse_failed) {
        /* the last factor as preconditioner: a few iterations while the
         * tangent changes slowly (dynamics, late Newton iterations) */
        /* no more iterations than one factorisation is worth (flop model) */
        int maxit = L->reuse_maxiter > 0 ? L->reuse_maxiter : 25;
        if (L->reuse_cap > 0 && maxit > L->reuse_cap) maxit = L->reuse_cap;
        pcg_core(L, 1, B, dadd, base_shift, b, x, pcg_tol, maxit, res);
        if (res->ok) {
            res->reused = 1;
            res->shift = base_shift;
            return;
        }
        memset(res, 0, sizeof *res);
        L->reuse_failed = 1;
    }
    double scale = fa_linsys_maxdiag(L, B, dadd);
    if (!(scale > 0.0)) scale = 1.0;
    double beta = 1e-10 * scale;
    if (mode != FA_LS_PCG && L->chol) {
        /* Nocedal & Wright (2006) Alg. 3.3: start unshifted when the diagonal is
         * positive, else from -min diag + beta; grow the shift until LL' succeeds. */
        double md = mindiag(L, B, dadd) + base_shift;
        double tau = md > 0.0 ? 0.0 : -md + beta;
        L->have_factor = 0;
        for (int attempt = 0; attempt < 14; attempt++) {
            L->nfactor++;
            res->factored = 1;
            if (fa_chol_factor(L, B, dadd, base_shift + tau)) {
                L->have_factor = 1;
                L->reuse_failed = 0;
                if (fa_chol_solve(L, b, x)) {
                    res->ok = 1;
                    res->shift = base_shift + tau;
                    return;
                }
                break;
            }
            res->nshift++;
            tau = tau > 0.0 ? 10.0 * tau : beta;
        }
        /* CHOLMOD failed even with a large shift: fall back to PCG */
    }
    double tau = 0.0;
    double md = mindiag(L, B, dadd) + base_shift;
    if (!(md > 0.0)) {
        tau = -md + beta;
        res->nshift++;
    }
    int nsh = res->nshift, fac = res->factored;
    fa_linsys_pcg(L, B, dadd, base_shift + tau, b, x, pcg_tol, pcg_maxiter, res);
    res->nshift = nsh;
    res->factored = fac;
}
