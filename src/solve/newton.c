/* SPDX-License-Identifier: MIT */
/* Newton drivers: static equilibrium and backward-Euler steps.
 *
 * Static: minimise Phi(x) = Psi(x) - F.(x - x_start) over free nodes, F =
 * f_ext + m g, Psi from the assembly. Newton direction from
 * (K + shift) dx = f + F, scaled to at most max_step per node, then Armijo
 * backtracking on Phi (Nocedal & Wright 2006, Alg. 3.1). Near convergence
 * Phi differences reach round-off, so a step whose Phi change is below
 * round-off is also accepted when it reduces the force residual. The
 * tangent at an accepted trial point is assembled together with its force,
 * so a typical iteration costs one assembly and one factorisation.
 *
 * Dynamics (backward Euler, position form): with v(x) = (x - x0)/h and
 * xtilde = x0 + h v0, solve
 *   R(x) = f(x, v(x)) + F - M (x - xtilde)/h^2 - a M v(x) = 0
 * with Jacobian M (1/h^2 + a/h) + K + C/h (a = m->opt.damping), starting
 * from the predictor x = xtilde, backtracking on ||R||. Backward Euler is
 * unconditionally stable for the linear(ised) system and dissipative, so a
 * 1 ms step is stable on the stiffest tissue. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solve/solve_internal.h"

fa_static_def fa_default_static_def(void)
{
    fa_static_def s;
    memset(&s, 0, sizeof s);
    s.rtol = 1e-10;
    s.commit = 1;
    s.linsolver = FA_LIN_AUTO;
    s.pcg_tol = 1e-10;
    s.reuse_maxiter = 25;
    s.armijo = 1e-4;
    s.max_backtrack = 30;
    s.max_step = 0.05;
    return s;
}

fa_step_def fa_default_step_def(void)
{
    fa_step_def s;
    memset(&s, 0, sizeof s);
    s.rtol = 1e-10;
    s.linsolver = FA_LIN_AUTO;
    s.pcg_tol = 1e-10;
    s.reuse_maxiter = 25;
    s.max_backtrack = 20;
    return s;
}

/* The accepted trial point's forces and residual become the current ones
 * (buffer swap, no copy). */
static void swap_trial(fa_solver_ws *w)
{
    double *tmp = w->f;
    w->f = w->ft;
    w->ft = tmp;
    tmp = w->r;
    w->r = w->rt;
    w->rt = tmp;
}

static void ws_free(void *p)
{
    fa_solver_ws *w = (fa_solver_ws *)p;
    if (!w) return;
    fa_linsys_free(&w->L);
    free(w->f);
    free(w->ft);
    free(w->K);
    free(w->C);
    free(w->Kt);
    free(w->Ct);
    free(w->A);
    free(w->dadd);
    free(w->xs);
    free(w->xn);
    free(w->xt);
    free(w->xtilde);
    free(w->vt);
    free(w->fg);
    free(w->r);
    free(w->dx);
    free(w->rt);
    free(w);
}

void fa_solver_reset(fa_data *d)
{
    if (d->solver && d->solver_free) d->solver_free(d->solver);
    d->solver = NULL;
    d->solver_free = NULL;
}

void fa_solver_get_stats(const fa_data *d, fa_solver_stats *st)
{
    memset(st, 0, sizeof *st);
    const fa_solver_ws *w = (const fa_solver_ws *)d->solver;
    if (!w || d->solver_free != ws_free) return;
    *st = w->stats;
    st->nfree = w->L.nfree;
    st->lnz = w->have_chol ? w->L.lnz : 0.0;
}

fa_solver_ws *fa_solver_get(const fa_model *m, fa_data *d, int with_chol, fa_error *err)
{
    fa_solver_ws *w = (fa_solver_ws *)d->solver;
    if (w && d->solver_free == ws_free && w->m == m && w->nnode == m->nnode && w->nblock == m->nblock &&
        w->blk_col == m->blk_col && w->node_body == m->node_body) {
        if (with_chol && !w->have_chol && w->L.nfree > 0) {
            fa_status s = fa_chol_init(&w->L, err);
            if (s != FA_OK) return NULL;
            w->have_chol = 1;
        }
        return w;
    }
    fa_solver_reset(d);
    w = (fa_solver_ws *)calloc(1, sizeof *w);
    if (!w) {
        fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "solver workspace: out of memory");
        return NULL;
    }
    w->m = m;
    w->nnode = m->nnode;
    w->nblock = m->nblock;
    w->blk_col = m->blk_col;
    w->node_body = m->node_body;
    if (fa_linsys_init(&w->L, m, with_chol, err) != FA_OK) {
        ws_free(w);
        return NULL;
    }
    w->have_chol = with_chol && w->L.nfree > 0;
    size_t n3 = (size_t)(m->nnode > 0 ? 3 * m->nnode : 1);
    size_t nb9 = (size_t)(m->nblock > 0 ? 9 * m->nblock : 1);
    size_t nf = (size_t)(w->L.nfree > 0 ? w->L.nfree : 1);
    w->f = (double *)calloc(n3, sizeof(double));
    w->ft = (double *)calloc(n3, sizeof(double));
    w->K = (double *)calloc(nb9, sizeof(double));
    w->C = (double *)calloc(nb9, sizeof(double));
    w->Kt = (double *)calloc(nb9, sizeof(double));
    w->Ct = (double *)calloc(nb9, sizeof(double));
    w->A = (double *)calloc(nb9, sizeof(double));
    w->dadd = (double *)calloc(nf, sizeof(double));
    w->xs = (double *)calloc(n3, sizeof(double));
    w->xn = (double *)calloc(n3, sizeof(double));
    w->xt = (double *)calloc(n3, sizeof(double));
    w->xtilde = (double *)calloc(n3, sizeof(double));
    w->vt = (double *)calloc(n3, sizeof(double));
    w->fg = (double *)calloc(n3, sizeof(double));
    w->r = (double *)calloc(3 * nf, sizeof(double));
    w->dx = (double *)calloc(3 * nf, sizeof(double));
    w->rt = (double *)calloc(3 * nf, sizeof(double));
    if (!w->f || !w->ft || !w->K || !w->C || !w->Kt || !w->Ct || !w->A || !w->dadd || !w->xs || !w->xn || !w->xt || !w->xtilde ||
        !w->vt || !w->fg || !w->r || !w->dx || !w->rt) {
        ws_free(w);
        fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "solver workspace: out of memory for %d nodes", m->nnode);
        return NULL;
    }
    d->solver = w;
    d->solver_free = ws_free;
    return w;
}

static double norm2(int n, const double *a);

static double maxabs(int n, const double *a)
{
    double mx = 0.0;
    for (int i = 0; i < n; i++) {
        double t = fabs(a[i]);
        if (t > mx || t != t) mx = t; /* NaN propagates */
    }
    return mx;
}

static double dotn(int n, const double *a, const double *b)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

static int all_finite(int n, const double *a)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(a[i])) return 0;
    return 1;
}

/* F = f_ext + m g for every node (fg, 3*nnode). */
static void external_force(const fa_model *m, const fa_data *d, double *fg)
{
    const double *g = m->opt.gravity;
    for (int i = 0; i < m->nnode; i++)
        for (int c = 0; c < 3; c++) fg[3 * i + c] = d->f_ext[3 * i + c] + m->node_mass[i] * g[c];
}

/* Force residual of the static problem on free dofs: r = f + F; returns the
 * force scale max(|f|, |F|) over free dofs. */
static double static_residual(const fa_linsys *L, const double *f, const double *fg, double *r)
{
    double sc = 0.0;
    for (int i = 0; i < L->nfree; i++) {
        int n = L->node_of[i];
        for (int c = 0; c < 3; c++) {
            double a = f[3 * n + c], b = fg[3 * n + c];
            r[3 * i + c] = a + b;
            if (fabs(a) > sc) sc = fabs(a);
            if (fabs(b) > sc) sc = fabs(b);
        }
    }
    return sc;
}

/* Phi = Psi - F.(x - xs) over all nodes (anchored nodes do not move during a
 * solve, so they only add a constant). */
static double static_potential(const fa_model *m, double psi, const double *fg, const double *x, const double *xs)
{
    double w = 0.0;
    for (int i = 0; i < 3 * m->nnode; i++) w += fg[i] * (x[i] - xs[i]);
    return psi - w;
}

/* Scale a reduced displacement so no node moves more than max_step. */
static int limit_step(const fa_linsys *L, double *dx, double max_step)
{
    if (!(max_step > 0.0)) return 0;
    double mx = 0.0;
    for (int i = 0; i < L->nfree; i++) {
        double s = sqrt(dx[3 * i] * dx[3 * i] + dx[3 * i + 1] * dx[3 * i + 1] + dx[3 * i + 2] * dx[3 * i + 2]);
        if (s > mx) mx = s;
    }
    if (mx > max_step) {
        double k = max_step / mx;
        for (int i = 0; i < L->ndof; i++) dx[i] *= k;
        return 1;
    }
    return 0;
}

static void add_step(const fa_linsys *L, const double *x, const double *dx, double alpha, double *xt, int nnode)
{
    memcpy(xt, x, (size_t)nnode * 3 * sizeof(double));
    for (int i = 0; i < L->nfree; i++) {
        int n = L->node_of[i];
        for (int c = 0; c < 3; c++) xt[3 * n + c] = x[3 * n + c] + alpha * dx[3 * i + c];
    }
}

/* Round-off floor of a force residual: forces are differences of positions
 * times stiffness, so they cannot be resolved below ~eps * |A| * |x|
 * (A the system's largest diagonal, |x| the largest free coordinate). */
static double roundoff_floor(const fa_linsys *L, const double *B, const double *dadd, const double *x)
{
    double xm = 0.0;
    for (int i = 0; i < L->nfree; i++)
        for (int c = 0; c < 3; c++) xm = fmax(xm, fabs(x[3 * L->node_of[i] + c]));
    return 1e3 * DBL_EPSILON * fa_linsys_maxdiag(L, B, dadd) * xm;
}

/* Chord steps (fa_static_def.chord) continue while each error estimate is
 * below this fraction of the previous one; measured on the runner body's
 * stride frames, whose tails converge linearly (0.5 ends the chord runs too
 * early, 0.99 gains nothing over 0.9; docs/solvers.md). */
#define FA_CHORD_RATIO 0.9

/* A full Newton step no longer than this many xtol is usually the last one
 * (the error estimate after it is second order in the step): its trial point
 * is assembled without the tangent, which is then only assembled if the
 * solve goes on (1,586 of 1,783 last steps and 35 of 3,230 others on a year
 * of desk-runner at 5 xtol). */
#define FA_LAST_STEP_XTOL 5.0

static int want_chol(fa_linsolver s) { return s != FA_LIN_PCG; }

/* Relative CG tolerance of inexact Newton (Eisenstat & Walker 1996, choice 2:
 * eta = 0.9 (|r_k|/|r_k-1|)^2, at most 1e-2 and 1e-4 on the first iteration),
 * never tighter than needed to resolve the Newton tolerance (0.1 tol/|r|) nor
 * than pcg_tol. Only iterative solves use it; a direct solve is exact. */
static double forcing(int it, double r2, double r2_prev, double tol_abs, double pcg_tol)
{
    double eta = 1e-4;
    if (it > 1 && r2_prev > 0) {
        double q = r2 / r2_prev;
        eta = 0.9 * q * q;
    }
    if (eta > 1e-2) eta = 1e-2;
    if (r2 > 0 && eta < 0.1 * tol_abs / r2) eta = 0.1 * tol_abs / r2;
    if (eta > 1e-2) eta = 1e-2;
    if (eta < pcg_tol) eta = pcg_tol;
    return eta;
}

static int ls_mode(fa_linsolver s, int have_chol)
{
    if (s == FA_LIN_PCG || !have_chol) return FA_LS_PCG;
    return s == FA_LIN_CHOLMOD ? FA_LS_CHOL : FA_LS_CHOL_REUSE;
}

fa_status fa_solve_static_ops(const fa_model *m, fa_data *d, const fa_static_def *def_in, fa_static_report *rep_in,
                              const fa_asm_ops *ops, fa_error *err)
{
    fa_static_def def = def_in ? *def_in : fa_default_static_def();
    fa_static_report rep_local;
    fa_static_report *rep = rep_in ? rep_in : &rep_local;
    memset(rep, 0, sizeof *rep);
    if (!m || !d || !ops || !ops->assemble)
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_solve_static: expected model, data, assembly");
    int maxiter = def.maxiter > 0 ? def.maxiter : m->opt.newton_maxiter;
    double tol = def.tol > 0 ? def.tol : m->opt.newton_tol;
    fa_solver_ws *w = fa_solver_get(m, d, want_chol(def.linsolver), err);
    if (!w) return err ? err->code : FA_ERR_NOMEM;
    fa_linsys *L = &w->L;
    int pcg_max = def.pcg_maxiter > 0 ? def.pcg_maxiter : 3 * L->ndof + 10;
    int n3 = 3 * m->nnode, nd = L->ndof;
    rep->nfree = L->nfree;

    fa_kinematics_anchor(m, d);
    memcpy(w->xs, d->x, (size_t)n3 * sizeof(double));
    external_force(m, d, w->fg);
    double *x = d->x;
    double h = def.h;

    double psi = ops->assemble(m, d, x, NULL, h, w->f, w->K, NULL);
    if (!isfinite(psi) || !all_finite(n3, w->f)) {
        d->warn.nan++;
        return fa_error_set(err, FA_ERR_NUMERIC, NULL, 0, 0,
                            "static solve: non-finite force or energy at the starting state");
    }
    double phi = static_potential(m, psi, w->fg, x, w->xs);
    double scale = static_residual(L, w->f, w->fg, w->r);
    double rn = maxabs(nd, w->r), r2_prev = 0.0;
    int it = 0, converged = 0;
    int est_ok = 0; /* 1 when the last accepted step came from an unshifted Cholesky factor */
    int k_stale = 0; /* 1 when w->K is the tangent at an earlier iterate (chord or last-guess steps) */
    int nchord = 0;  /* chord steps in a row */
    double est_prev = INFINITY, chord_max = def.chord_max > 0.0 ? def.chord_max : 100.0 * def.xtol;
    double floor_ = 0.0;
    int lazy = def.lazy_tangent && def.first_rejected; /* next full-step trial without the tangent */
    for (;;) {
        floor_ = roundoff_floor(L, w->K, NULL, x);
        if (rn <= tol + def.rtol * scale + floor_) {
            converged = 1;
            break;
        }
        if (def.xtol > 0.0 && est_ok && L->have_factor && fa_chol_solve(L, w->r, w->dx)) {
            /* error estimate: the correction the last factor gives for the
             * new residual (a chord step); near the solution it measures
             * |x - x*| to second order in the step just taken */
            double mx = 0.0;
            for (int i = 0; i < L->nfree; i++) {
                const double *q = w->dx + 3 * i;
                double s2 = q[0] * q[0] + q[1] * q[1] + q[2] * q[2];
                if (s2 > mx || s2 != s2) mx = s2;
            }
            rep->step_est = sqrt(mx);
            if (rep->step_est <= def.xtol) {
                converged = 1;
                rep->xconverged = 1;
                break;
            }
            /* chord step: the estimate's correction itself, while it is
             * small and shrinking (linear convergence with the last factor);
             * judged like a Newton step on the potential, force-only */
            double slope = dotn(nd, w->r, w->dx);
            if (nchord < def.chord && rep->step_est <= chord_max && rep->step_est < FA_CHORD_RATIO * est_prev && slope > 0.0 &&
                all_finite(nd, w->dx)) {
                add_step(L, x, w->dx, 1.0, w->xt, m->nnode);
                double psit = ops->assemble(m, d, w->xt, NULL, h, w->ft, NULL, NULL);
                if (isfinite(psit) && all_finite(n3, w->ft)) {
                    double phit = static_potential(m, psit, w->fg, w->xt, w->xs);
                    double sct = static_residual(L, w->ft, w->fg, w->rt);
                    double rnt = maxabs(nd, w->rt);
                    double roundoff = 1e-12 * (fabs(phi) + fabs(psi) + fabs(psit)) + 1e-300;
                    if (phit <= phi - def.armijo * slope || (fabs(phit - phi) <= roundoff && rnt < rn)) {
                        memcpy(x, w->xt, (size_t)n3 * sizeof(double));
                        swap_trial(w);
                        psi = psit;
                        phi = phit;
                        rn = rnt;
                        scale = sct;
                        est_prev = rep->step_est;
                        nchord++;
                        k_stale = 1;
                        rep->chord_steps++;
                        continue;
                    }
                }
                k_stale = 1; /* the rejected trial left its measurements in d */
            }
        }
        if (k_stale) {
            /* a Newton step needs the tangent at the current iterate (and d
             * its measurements there); f and psi come out the same */
            psi = ops->assemble(m, d, x, NULL, h, w->f, w->K, NULL);
            k_stale = 0;
        }
        if (it >= maxiter) break;
        nchord = 0;
        est_prev = INFINITY;
        it++;
        fa_linres lr;
        L->reuse_maxiter = def.reuse_maxiter;
        double r2 = norm2(nd, w->r);
        double eta = forcing(it, r2, r2_prev, tol + def.rtol * scale + floor_, def.pcg_tol);
        r2_prev = r2;
        fa_linsys_solve(L, ls_mode(def.linsolver, w->have_chol), w->K, NULL, 0.0, w->r, w->dx, eta, pcg_max, &lr);
        if (lr.nshift || lr.shift > 0.0) rep->regularised++;
        if (lr.shift > rep->max_shift) rep->max_shift = lr.shift;
        rep->pcg_iterations += lr.iters;
        rep->factorizations += lr.factored ? 1 + lr.nshift : 0;
        if (lr.used_pcg && want_chol(def.linsolver) && w->have_chol) rep->fallbacks++;
        double slope = dotn(nd, w->r, w->dx); /* = -dPhi/dalpha at 0 */
        int newton_dir = 1;
        if (!(slope > 0.0) || !all_finite(nd, w->dx)) {
            newton_dir = 0;
            /* not a descent direction: use the scaled residual (steepest descent) */
            double md = fa_linsys_maxdiag(L, w->K, NULL);
            double k = md > 0 ? 1.0 / md : 1.0;
            for (int i = 0; i < nd; i++) w->dx[i] = k * w->r[i];
            slope = dotn(nd, w->r, w->dx);
        }
        int limited = limit_step(L, w->dx, def.max_step) || newton_dir == 0;
        slope = dotn(nd, w->r, w->dx);
        /* a short full Newton step that the error estimate can end: its
         * trial point first without the tangent */
        int last_guess = 0;
        if (def.xtol > 0.0 && !limited && lr.ok && !lr.used_pcg && lr.shift == 0.0 && w->have_chol) {
            double mx = 0.0;
            for (int i = 0; i < L->nfree; i++) {
                const double *q = w->dx + 3 * i;
                double s2 = q[0] * q[0] + q[1] * q[1] + q[2] * q[2];
                if (s2 > mx || s2 != s2) mx = s2;
            }
            last_guess = sqrt(mx) <= FA_LAST_STEP_XTOL * def.xtol;
        }
        double alpha = 1.0;
        int accepted = 0, rejected_full = 0;
        if (lazy && !last_guess) rep->lazy_trials++;
        for (int bt = 0; bt <= def.max_backtrack; bt++) {
            add_step(L, x, w->dx, alpha, w->xt, m->nnode);
            /* the full step is usually taken: its tangent comes with its
             * force; shorter trial steps are judged on force and energy
             * alone (a force-only assembly is ~4x cheaper), and the one
             * accepted gets its tangent below. With def.lazy_tangent a full
             * step expected to fail (the last one did) is judged the same
             * way: force and energy do not depend on whether the tangent is
             * assembled, so the iterates are the same. */
            double *Kt = bt == 0 && !last_guess && !lazy ? w->K : NULL;
            double psit = ops->assemble(m, d, w->xt, NULL, h, w->ft, Kt, NULL);
            if (isfinite(psit) && all_finite(n3, w->ft)) {
                double phit = static_potential(m, psit, w->fg, w->xt, w->xs);
                double sct = static_residual(L, w->ft, w->fg, w->rt);
                double rnt = maxabs(nd, w->rt);
                double roundoff = 1e-12 * (fabs(phi) + fabs(psi) + fabs(psit)) + 1e-300;
                int armijo = phit <= phi - def.armijo * alpha * slope;
                int flat = fabs(phit - phi) <= roundoff && rnt < rn;
                int resid = def.accept_residual && lr.shift == 0.0 && rnt <= 0.5 * rn &&
                            phit <= phi + 100.0 * roundoff;
                if (armijo || flat || resid) {
                    memcpy(x, w->xt, (size_t)n3 * sizeof(double));
                    if (bt > 0 || (lazy && !last_guess))
                        psit = ops->assemble(m, d, x, NULL, h, w->ft, w->K, NULL); /* same f, psi */
                    else if (last_guess) k_stale = 1; /* tangent assembled when the solve goes on */
                    swap_trial(w);
                    psi = psit;
                    phi = phit;
                    rn = rnt;
                    scale = sct;
                    accepted = 1;
                    break;
                }
            }
            if (bt == 0) rejected_full = 1;
            rep->backtracks++;
            alpha *= 0.5;
        }
        if (it == 1) rep->first_rejected = rejected_full;
        lazy = def.lazy_tangent && rejected_full;
        /* the estimate is only trusted after a full, unshifted Cholesky-Newton
         * step (quadratic regime); a damped or limited step says the iterate
         * is still far from the solution */
        est_ok = accepted && alpha == 1.0 && !limited && lr.ok && !lr.used_pcg && lr.shift == 0.0 && w->have_chol;
        if (!accepted) {
            /* restore the tangent and measurements at the current iterate */
            psi = ops->assemble(m, d, x, NULL, h, w->f, w->K, NULL);
            break;
        }
    }
    for (int i = 0; i < L->nfree; i++) {
        int n = L->node_of[i];
        d->v[3 * n] = d->v[3 * n + 1] = d->v[3 * n + 2] = 0.0;
    }
    memcpy(d->f_int, w->f, (size_t)n3 * sizeof(double));
    d->energy = psi;
    rep->converged = converged;
    rep->iterations = it;
    rep->residual = rn;
    rep->energy = psi;
    {
        double wext = 0.0;
        for (int i = 0; i < n3; i++) wext += w->fg[i] * x[i];
        rep->potential = psi - wext;
    }
    w->stats.static_solves++;
    w->stats.newton += it;
    w->stats.factorizations += rep->factorizations;
    w->stats.cg_iterations += rep->pcg_iterations;
    w->stats.regularised += rep->regularised;
    w->stats.fallbacks += rep->fallbacks;
    if (!converged) {
        w->stats.noconv++;
        d->warn.noconv++;
        return fa_error_set(err, FA_ERR_NOCONV, NULL, 0, 0,
                            "static solve: force residual %.3g N after %d Newton iterations, expected <= %.3g N",
                            rn, it, tol + def.rtol * scale + floor_);
    }
    if (h > 0 && def.commit) {
        if (ops->commit) ops->commit(m, d, x, h);
        d->time += h;
    }
    return FA_OK;
}

/* Dynamics residual on free dofs and the kinetic energy-free scale. */
static double dyn_residual(const fa_model *m, const fa_linsys *L, const double *f, const double *fg,
                           const double *x, const double *xtilde, const double *v, double h, double a,
                           double *r)
{
    double sc = 0.0, ih2 = 1.0 / (h * h);
    for (int i = 0; i < L->nfree; i++) {
        int n = L->node_of[i];
        double mass = m->node_mass[n];
        for (int c = 0; c < 3; c++) {
            int k = 3 * n + c;
            double inert = mass * ((x[k] - xtilde[k]) * ih2 + a * v[k]);
            r[3 * i + c] = f[k] + fg[k] - inert;
            if (fabs(f[k]) > sc) sc = fabs(f[k]);
            if (fabs(fg[k]) > sc) sc = fabs(fg[k]);
        }
    }
    return sc;
}

static double norm2(int n, const double *a) { return sqrt(dotn(n, a, a)); }

/* Incremental potential of a backward-Euler step (its stationarity is the
 * step equation): Psi - F.(x - x0) + sum m (|x - xtilde|^2/(2h^2) + a |x - x0|^2/(2h))
 * + h/2 v'C v with C frozen at the current Newton iterate (exact for linear
 * viscous forces, first-order consistent otherwise). */
static double dyn_potential(const fa_model *m, const fa_linsys *L, double psi, const double *fg, const double *x,
                            const double *x0, const double *xtilde, const double *v, const double *C, double h,
                            double a)
{
    double phi = psi;
    for (int k = 0; k < 3 * m->nnode; k++) phi -= fg[k] * (x[k] - x0[k]);
    for (int i = 0; i < L->nfree; i++) {
        int n = L->node_of[i];
        double s1 = 0.0, s2 = 0.0;
        for (int c = 0; c < 3; c++) {
            double e1 = x[3 * n + c] - xtilde[3 * n + c], e2 = x[3 * n + c] - x0[3 * n + c];
            s1 += e1 * e1;
            s2 += e2 * e2;
        }
        phi += m->node_mass[n] * (s1 / (2.0 * h * h) + a * s2 / (2.0 * h));
    }
    double q = 0.0;
    for (int i = 0; i < m->nnode; i++) {
        const double *vi = v + 3 * i;
        for (int k = m->blk_rowadr[i]; k < m->blk_rowadr[i] + m->blk_rownum[i]; k++) {
            const double *B = C + 9 * (size_t)k, *vj = v + 3 * m->blk_col[k];
            q += vi[0] * (B[0] * vj[0] + B[1] * vj[1] + B[2] * vj[2]) +
                 vi[1] * (B[3] * vj[0] + B[4] * vj[1] + B[5] * vj[2]) +
                 vi[2] * (B[6] * vj[0] + B[7] * vj[1] + B[8] * vj[2]);
        }
    }
    return phi + 0.5 * h * q;
}

fa_status fa_step_ops(const fa_model *m, fa_data *d, const fa_step_def *def_in, fa_step_report *rep_in,
                      const fa_asm_ops *ops, fa_error *err)
{
    fa_step_def def = def_in ? *def_in : fa_default_step_def();
    fa_step_report rep_local;
    fa_step_report *rep = rep_in ? rep_in : &rep_local;
    memset(rep, 0, sizeof *rep);
    if (!m || !d || !ops || !ops->assemble)
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_step: expected model, data, assembly");
    double h = def.h > 0 ? def.h : m->opt.timestep;
    if (!(h > 0) || !isfinite(h))
        return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "fa_step: expected a time step > 0 s, found %g", h);
    int maxiter = def.maxiter > 0 ? def.maxiter : m->opt.newton_maxiter;
    double tol = def.tol > 0 ? def.tol : m->opt.newton_tol;
    double a = m->opt.damping;
    fa_solver_ws *w = fa_solver_get(m, d, want_chol(def.linsolver), err);
    if (!w) return err ? err->code : FA_ERR_NOMEM;
    fa_linsys *L = &w->L;
    int pcg_max = def.pcg_maxiter > 0 ? def.pcg_maxiter : 3 * L->ndof + 10;
    int n3 = 3 * m->nnode, nd = L->ndof;
    double *x = d->x, *v = d->v;

    /* start of step: x0, predictor xtilde = x0 + h v0, anchored nodes moved */
    memcpy(w->xn, x, (size_t)n3 * sizeof(double));
    memcpy(w->xs, v, (size_t)n3 * sizeof(double)); /* v0, for a NaN restore */
    for (int k = 0; k < n3; k++) w->xtilde[k] = x[k] + h * v[k];
    fa_kinematics_anchor(m, d);
    for (int i = 0; i < L->nfree; i++) {
        int n = L->node_of[i];
        for (int c = 0; c < 3; c++) x[3 * n + c] = w->xtilde[3 * n + c];
    }
    external_force(m, d, w->fg);
    double ih = 1.0 / h;
    for (int i = 0; i < L->nfree; i++) w->dadd[i] = m->node_mass[L->node_of[i]] * (ih * ih + a * ih);

    for (int k = 0; k < n3; k++) v[k] = (x[k] - w->xn[k]) * ih;
    double psi = ops->assemble(m, d, x, v, h, w->f, w->K, w->C);
    if (!isfinite(psi) || !all_finite(n3, w->f)) goto nan;
    double scale = dyn_residual(m, L, w->f, w->fg, x, w->xtilde, v, h, a, w->r);
    double rn = maxabs(nd, w->r), r2 = norm2(nd, w->r), r2_prev = 0.0;
    int it = 0, converged = 0, stall = 0, noise = 0;
    double floor_ = 0.0;
    for (;;) {
        for (int k = 0; k < 9 * m->nblock; k++) w->A[k] = w->K[k] + ih * w->C[k];
        floor_ = roundoff_floor(L, w->A, w->dadd, x);
        if (rn <= tol + def.rtol * scale + floor_) {
            converged = 1;
            break;
        }
        if (it >= maxiter) break;
        it++;
        fa_linres lr;
        L->reuse_maxiter = def.reuse_maxiter;
        double eta = forcing(it, r2, r2_prev, tol + def.rtol * scale + floor_, def.pcg_tol);
        r2_prev = r2;
        fa_linsys_solve(L, ls_mode(def.linsolver, w->have_chol), w->A, w->dadd, 0.0, w->r, w->dx, eta, pcg_max,
                        &lr);
        if (lr.nshift || lr.shift > 0.0) rep->regularised++;
        rep->pcg_iterations += lr.iters;
        rep->factorizations += lr.factored ? 1 + lr.nshift : 0;
        if (lr.used_pcg && want_chol(def.linsolver) && w->have_chol) rep->fallbacks++;
        double slope = dotn(nd, w->r, w->dx); /* -dPhi/dalpha at 0 (> 0 for an SPD-shifted solve) */
        if (!(slope > 0.0) || !all_finite(nd, w->dx)) {
            double md = fa_linsys_maxdiag(L, w->A, w->dadd);
            double k = md > 0 ? 1.0 / md : 1.0;
            for (int i = 0; i < nd; i++) w->dx[i] = k * w->r[i];
            slope = dotn(nd, w->r, w->dx);
        }
        double phi = dyn_potential(m, L, psi, w->fg, x, w->xn, w->xtilde, v, w->C, h, a);
        double alpha = 1.0;
        int accepted = 0;
        for (int bt = 0; bt <= def.max_backtrack; bt++) {
            add_step(L, x, w->dx, alpha, w->xt, m->nnode);
            for (int k = 0; k < n3; k++) w->vt[k] = (w->xt[k] - w->xn[k]) * ih;
            double psit = ops->assemble(m, d, w->xt, w->vt, h, w->ft, w->Kt, w->Ct);
            if (isfinite(psit) && all_finite(n3, w->ft)) {
                double sct = dyn_residual(m, L, w->ft, w->fg, w->xt, w->xtilde, w->vt, h, a, w->rt);
                double r2t = norm2(nd, w->rt);
                double phit = dyn_potential(m, L, psit, w->fg, w->xt, w->xn, w->xtilde, w->vt, w->C, h, a);
                double roundoff = 1e-12 * (fabs(phi) + fabs(psi) + fabs(psit)) + 1e-300;
                int armijo = phit <= phi - 1e-4 * alpha * slope;
                int flat = fabs(phit - phi) <= roundoff && r2t < r2;
                /* near convergence the frozen-C potential is only first-order
                 * consistent with R (C depends on x): also accept an unshifted
                 * (positive definite) Newton step that halves the residual
                 * while Phi stays within 100x round-off */
                int resid = def.early_exit && lr.shift == 0.0 && r2t <= 0.5 * r2 && phit <= phi + 100.0 * roundoff;
                if (def.early_exit && bt == 0 && !armijo && !flat && !resid &&
                    rn <= 10.0 * (tol + def.rtol * scale + floor_)) {
                    /* within 10x of the tolerance a rejected full Newton step
                     * means the residual is at its noise floor: shorter steps
                     * (one assembly each) cannot help; end the step */
                    noise = 1;
                    break;
                }
                if (armijo || flat || resid) {
                    memcpy(x, w->xt, (size_t)n3 * sizeof(double));
                    memcpy(v, w->vt, (size_t)n3 * sizeof(double));
                    swap_trial(w);
                    double *tmp = w->K;
                    w->K = w->Kt;
                    w->Kt = tmp;
                    tmp = w->C;
                    w->C = w->Ct;
                    w->Ct = tmp;
                    psi = psit;
                    rn = maxabs(nd, w->r);
                    r2 = r2t;
                    scale = sct;
                    accepted = 1;
                    break;
                }
            }
            rep->backtracks++;
            alpha *= 0.5;
        }
        if (!accepted) {
            /* leave measurements and forces consistent with x */
            psi = ops->assemble(m, d, x, v, h, w->f, w->K, w->C);
            if (noise) break;
        }
        /* stall: five unshifted (positive definite) Newton iterations in a
         * row that cut the residual by < 10 % (round-off floor or a tangent
         * inconsistent with the forces) end the step early as not converged */
        stall = accepted && lr.shift == 0.0 && r2 > 0.9 * r2_prev ? stall + 1 : 0;
        if (def.early_exit && stall >= 5) break;
        if (!accepted) break;
    }
    if (!all_finite(n3, x) || !isfinite(psi)) goto nan;
    memcpy(d->f_int, w->f, (size_t)n3 * sizeof(double));
    d->energy = psi;
    if (ops->commit) ops->commit(m, d, x, h);
    d->time += h;
    rep->converged = converged;
    rep->iterations = it;
    rep->residual = rn;
    rep->energy = psi;
    {
        double ke = 0.0;
        for (int i = 0; i < L->nfree; i++) {
            int n = L->node_of[i];
            ke += 0.5 * m->node_mass[n] * fa_dot3(v + 3 * n, v + 3 * n);
        }
        rep->kinetic = ke;
    }
    w->stats.steps++;
    w->stats.newton += it;
    w->stats.factorizations += rep->factorizations;
    w->stats.cg_iterations += rep->pcg_iterations;
    w->stats.regularised += rep->regularised;
    w->stats.fallbacks += rep->fallbacks;
    if (!converged) {
        w->stats.noconv++;
        d->warn.noconv++;
        return fa_error_set(err, FA_ERR_NOCONV, NULL, 0, 0,
                            "implicit step at t = %g s: residual %.3g N after %d Newton iterations, expected <= %.3g N",
                            d->time, rn, it, tol + def.rtol * scale + floor_);
    }
    return FA_OK;
nan:
    memcpy(x, w->xn, (size_t)n3 * sizeof(double));
    memcpy(v, w->xs, (size_t)n3 * sizeof(double));
    d->warn.nan++;
    return fa_error_set(err, FA_ERR_NUMERIC, NULL, 0, 0,
                        "implicit step at t = %g s: non-finite force or energy; state restored", d->time);
}

double fa_total_energy(const fa_model *m, const fa_data *d)
{
    double e = d->energy;
    const double *g = m->opt.gravity;
    for (int i = 0; i < m->nnode; i++) {
        const double *v = d->v + 3 * i, *x = d->x + 3 * i, *f = d->f_ext + 3 * i;
        double mass = m->node_mass[i];
        if (m->node_body[i] == -1) e += 0.5 * mass * fa_dot3(v, v);
        e -= f[0] * x[0] + f[1] * x[1] + f[2] * x[2];
        e -= mass * (g[0] * x[0] + g[1] * x[1] + g[2] * x[2]);
    }
    return e;
}
