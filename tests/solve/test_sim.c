/* SPDX-License-Identifier: MIT */
/* Public solver API on models assembled by the mechanics stage:
 *  - a single cord under an end load vs the closed-form toe/linear law;
 *  - a membrane strip under an end load vs the closed-form stretch;
 *  - creep of a Prony-viscoelastic cord under constant load vs the
 *    standard-linear-solid creep compliance;
 *  - CHOLMOD and PCG Newton reach the same equilibrium;
 *  - rigid motion of the anchors moves the unloaded sheet rigidly;
 *  - unloaded damped dynamics never gains energy;
 *  - long damped dynamics settles on the static equilibrium;
 *  - 1 ms steps are stable with the stiffest tissue (>= 400 MPa cord);
 *  - identical runs give bit-identical state hashes. */
#include <stdio.h>
#include <time.h>

#include "fascia/sim.h"
#include "harness.h"
#include "models.h"

/* Closed-form strain of the collagen toe/linear law at nominal stress s. */
static double toe_law_strain(double E, double toe, double s)
{
    if (s <= 0) return 0.0;
    if (toe > 0 && s < 0.5 * E * toe) return sqrt(2.0 * toe * s / E);
    return s / E + 0.5 * toe;
}

static void test_cord_end_load(void)
{
    const double E = 3.5e8, toe = 0.02, A = 1e-5, L = 0.3; /* itb_E_mid, toe_strain */
    const double loads[3] = {10.0, 34.0, 400.0};            /* toe, near the knee, linear region */
    for (int solver = FA_LIN_AUTO; solver <= FA_LIN_PCG; solver++)
        for (int k = 0; k < 3; k++) {
            fa_model *m = tm_cord(L, E, toe, A, 0, NULL, NULL);
            CHECK(m != NULL);
            if (!m) return;
            fa_data *d = fa_data_alloc(m, 0);
            d->f_ext[3] = loads[k];
            fa_static_def def = fa_default_static_def();
            def.linsolver = (fa_linsolver)solver;
            fa_static_report rep;
            fa_error err;
            fa_status s = fa_solve_static(m, d, &def, &rep, &err);
            CHECK_MSG(s == FA_OK, "load %g: %s", loads[k], err.msg);
            double eps = toe_law_strain(E, toe, loads[k] / A);
            CHECK_REL(d->x[3] - L, eps * L, 1e-6); /* brief: < 0.5 % */
            CHECK_NEAR(d->x[4], 0.0, 1e-12);
            CHECK_REL(d->elem_force[0], loads[k], 1e-6);
            CHECK(rep.regularised > 0); /* the unloaded cord has no transverse stiffness */
            fa_data_free(d);
            fa_model_free(m);
        }
}

/* Strip of deep fascia, fibres along the load, nu = 0 so the clamped edge
 * does not disturb the homogeneous solution. End force F (consistent nodal
 * loads) balances W t [sigma_f(eps) + (1 + eps) Em E11], E11 = ((1+eps)^2-1)/2. */
static double strip_force(double E, double toe, double Em, double W, double t, double eps)
{
    double sf = fa_fibre_law(E, toe, eps, NULL, NULL);
    double E11 = 0.5 * ((1 + eps) * (1 + eps) - 1);
    return W * t * (sf + (1 + eps) * Em * E11);
}

static void test_membrane_strip(void)
{
    const int nx = 11, ny = 4;
    const double dx = 0.01, dy = 0.01, E = 3.5e8, toe = 0.02, Em = 1e6, t = 1.112e-3; /* deep_thick_lat_thigh */
    const double W = (ny - 1) * dy, L = (nx - 1) * dx;
    const double loads[2] = {20.0, 600.0};
    for (int k = 0; k < 2; k++) {
        fa_model *m = tm_sheet(nx, ny, dx, dy, E, toe, Em, 0.0, 0.0, t, 0, 0.0, 0.0);
        CHECK(m != NULL);
        if (!m) return;
        fa_data *d = fa_data_alloc(m, 0);
        for (int j = 0; j < ny; j++) {
            double trib = (j == 0 || j == ny - 1) ? 0.5 * dy : dy;
            d->f_ext[3 * (j * nx + nx - 1)] = loads[k] * trib / W;
        }
        fa_static_report rep;
        fa_error err;
        fa_status s = fa_solve_static(m, d, NULL, &rep, &err);
        CHECK_MSG(s == FA_OK, "%s", err.msg);
        /* closed form by bisection */
        double lo = 0.0, hi = 0.5;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            if (strip_force(E, toe, Em, W, t, mid) < loads[k]) lo = mid;
            else hi = mid;
        }
        double eps = 0.5 * (lo + hi);
        for (int j = 0; j < ny; j++) {
            int n = j * nx + nx - 1;
            CHECK_REL(d->x[3 * n] - L, eps * L, 1e-6); /* brief: < 0.5 % */
            CHECK_NEAR(d->x[3 * n + 1], j * dy, 1e-9);
            CHECK_NEAR(d->x[3 * n + 2], 0.0, 1e-9);
        }
        CHECK_REL(d->elem_strain[m->nmem / 2], eps, 1e-6);
        fa_data_free(d);
        fa_model_free(m);
    }
}

/* Creep of a linear (toe = 0) cord with one Prony term (g_inf = 0.58, loose
 * connective tissue lct_E_eq/lct_E_inst; tau = lct_tau1 = 3.83 s) under a
 * constant load: standard linear solid, eps(t) = s/E [1/g_inf - (g1/g_inf)
 * exp(-t g_inf/tau)]. Quasi-static steps of fa_solve_static with h > 0. */
static void test_creep(void)
{
    const double E = 3.5e8, A = 1e-6, L = 0.1, F = 20.0, g1 = 0.42, tau = 3.83, ginf = 1.0 - g1;
    fa_model *m = tm_cord(L, E, 0.0, A, 1, &g1, &tau);
    CHECK(m != NULL);
    if (!m) return;
    fa_data *d = fa_data_alloc(m, 0);
    d->f_ext[3] = F;
    fa_static_def def = fa_default_static_def();
    fa_error err;
    /* instantaneous response: a very short first step */
    def.h = 1e-7;
    CHECK_MSG(fa_solve_static(m, d, &def, NULL, &err) == FA_OK, "%s", err.msg);
    double s = F / A;
    CHECK_REL(d->x[3] - L, s / E * L, 1e-5);
    double dt = tau / 200.0;
    def.h = dt;
    double checkpoints[3] = {tau, 3 * tau, 10 * tau};
    int ci = 0, bad = 0;
    for (int k = 1; ci < 3 && k < 100000; k++) {
        if (fa_solve_static(m, d, &def, NULL, &err) != FA_OK) bad++;
        double t = d->time;
        if (fabs(t - 1e-7 - checkpoints[ci]) < 0.5 * dt) {
            double tc = t;
            double eps = s / E * (1.0 / ginf - g1 / ginf * exp(-tc * ginf / tau));
            CHECK_REL((d->x[3] - L) / L, eps, 2e-3);
            ci++;
        }
    }
    CHECK(bad == 0 && ci == 3);
    /* fully relaxed equilibrium */
    def.h = 0.0;
    CHECK(fa_solve_static(m, d, &def, NULL, NULL) == FA_OK);
    CHECK_REL((d->x[3] - L) / L, s / (E * ginf), 1e-8);
    fa_data_free(d);
    fa_model_free(m);
}

/* A sheet with a stiff cord along one edge under gravity and a corner load:
 * both linear solvers, same equilibrium; fa_solve_static leaves an
 * independently checked residual. */
static void test_equivalence_real(void)
{
    fa_model *m = tm_sheet(10, 6, 0.01, 0.01, 1.509e8, 0.02, 1e6, 0.3, 0.15, 1.5e-3, 1, 3.5e8, 4e-6);
    CHECK(m != NULL);
    if (!m) return;
    m->opt.gravity[2] = -9.81;
    fa_data *d1 = fa_data_alloc(m, 0), *d2 = fa_data_alloc(m, 0);
    /* far edge pulled along the fibres (keeps the sheet taut: a membrane
     * without bending stiffness has no unique wrinkled equilibrium), plus a
     * transverse load on one node */
    for (int j = 0; j < 6; j++) d1->f_ext[3 * (j * 10 + 9)] = d2->f_ext[3 * (j * 10 + 9)] = 40.0;
    d1->f_ext[3 * (3 * 10 + 6) + 2] = d2->f_ext[3 * (3 * 10 + 6) + 2] = -2.0;
    fa_static_def def = fa_default_static_def();
    fa_static_report r1, r2;
    fa_error err;
    def.linsolver = FA_LIN_CHOLMOD;
    CHECK_MSG(fa_solve_static(m, d1, &def, &r1, &err) == FA_OK, "%s", err.msg);
    def.linsolver = FA_LIN_PCG;
    CHECK_MSG(fa_solve_static(m, d2, &def, &r2, &err) == FA_OK, "%s", err.msg);
    CHECK(r2.pcg_iterations > 0 && r1.pcg_iterations == 0);
    CHECK(r1.factorizations >= r1.iterations && r2.factorizations == 0);
    double mx = 0.0;
    for (int i = 0; i < 3 * m->nnode; i++) mx = fmax(mx, fabs(d1->x[i] - d2->x[i]));
    CHECK_MSG(mx < 1e-9, "CHOLMOD vs PCG: %g m", mx);
    /* the default (CG preconditioned by a reused factor) agrees too */
    fa_data *d3 = fa_data_alloc(m, 0);
    memcpy(d3->f_ext, d1->f_ext, (size_t)m->nnode * 3 * sizeof(double));
    fa_static_report r3;
    CHECK_MSG(fa_solve_static(m, d3, NULL, &r3, &err) == FA_OK, "%s", err.msg);
    CHECK(r3.factorizations < r1.factorizations);
    mx = 0.0;
    for (int i = 0; i < 3 * m->nnode; i++) mx = fmax(mx, fabs(d1->x[i] - d3->x[i]));
    CHECK_MSG(mx < 1e-9, "CHOLMOD vs default: %g m", mx);
    fa_data_free(d3);
    double *f = calloc((size_t)m->nnode * 3, sizeof(double));
    fa_assemble(m, d1, d1->x, NULL, 0.0, f, NULL, NULL);
    double res = 0.0, fs = 0.0;
    for (int i = 0; i < m->nnode; i++) {
        if (m->node_body[i] != -1) continue;
        for (int c = 0; c < 3; c++) {
            res = fmax(res, fabs(f[3 * i + c] + d1->f_ext[3 * i + c] + m->node_mass[i] * m->opt.gravity[c]));
            fs = fmax(fs, fabs(f[3 * i + c]));
        }
    }
    CHECK_MSG(res <= 1e-8 + 1e-10 * fs + 1e-6 * r1.residual + 1e-7, "residual %g N", res);
    fa_solver_stats st;
    fa_solver_get_stats(d1, &st);
    CHECK(st.static_solves == 1 && st.newton == r1.iterations && st.factorizations == r1.factorizations);
    CHECK(st.nfree == r1.nfree && st.lnz > 0 && st.noconv == 0);
    fa_solver_get_stats(d2, &st);
    CHECK(st.cg_iterations == r2.pcg_iterations && st.factorizations == 0);
    CHECK(res <= 1e-7);
    free(f);
    fa_data_free(d1);
    fa_data_free(d2);
    fa_model_free(m);
}

/* In-plane rigid motion of the anchoring body (rotation about the sheet
 * normal and an in-plane translation) moves the unloaded sheet rigidly.
 * (Out-of-plane motion is not unique: without bending stiffness any
 * isometric bending of the sheet is stress-free.) */
static void test_rigid_anchor(void)
{
    fa_model *m = tm_sheet(8, 5, 0.01, 0.01, 1.509e8, 0.02, 1e6, 0.3, 0.15, 1.5e-3, 0, 0.0, 0.0);
    CHECK(m != NULL);
    if (!m) return;
    fa_data *d = fa_data_alloc(m, 0);
    /* small enough that the first iterate does not fold triangles (a folded
     * membrane is stress-free too, so it would be another equilibrium) */
    double th = 2.0 * TM_PI / 180.0, p[3] = {0.002, -0.001, 0.0};
    double R[9] = {cos(th), -sin(th), 0, sin(th), cos(th), 0, 0, 0, 1};
    memcpy(d->body_xmat, R, sizeof R);
    memcpy(d->body_xpos, p, sizeof p);
    fa_static_report rep;
    fa_error err;
    CHECK_MSG(fa_solve_static(m, d, NULL, &rep, &err) == FA_OK, "%s", err.msg);
    double mx = 0.0;
    for (int i = 0; i < m->nnode; i++) {
        const double *x0 = m->node_pos0 + 3 * i;
        for (int r = 0; r < 3; r++) {
            double want = p[r] + R[3 * r] * x0[0] + R[3 * r + 1] * x0[1] + R[3 * r + 2] * x0[2];
            mx = fmax(mx, fabs(d->x[3 * i + r] - want));
        }
    }
    CHECK_MSG(mx < 1e-8, "rigid motion error %g m after %d iterations", mx, rep.iterations);
    CHECK(fabs(rep.energy) < 1e-10);
    fa_data_free(d);
    fa_model_free(m);
}

/* Unloaded damped dynamics (no Prony terms: Psi is the stored energy) of a
 * sheet with a cord along one edge, gliding on its loose connective layer. */
static void test_energy_monotone(void)
{
    tm_sheet_interfaces = 1;
    fa_model *m = tm_sheet(10, 6, 0.01, 0.01, 1.509e8, 0.02, 1e6, 0.3, 0.15, 1.5e-3, 1, 3.5e8, 1e-6);
    tm_sheet_interfaces = 0;
    CHECK(m != NULL);
    if (!m) return;
    fa_data *d = fa_data_alloc(m, 0);
    for (int i = 0; i < m->nnode; i++) {
        if (m->node_body[i] != -1) continue;
        d->x[3 * i] *= 1.02;
        d->x[3 * i + 2] = 0.003 * sin(40.0 * d->x[3 * i]) * sin(60.0 * d->x[3 * i + 1]);
    }
    fa_step_report rep;
    fa_error err;
    CHECK(fa_step_ex(m, d, NULL, &rep, &err) == FA_OK);
    double e0 = fa_total_energy(m, d), prev = e0;
    int rises = 0, bad = 0;
    for (int k = 0; k < 100; k++) {
        if (fa_step_ex(m, d, NULL, &rep, &err) != FA_OK) bad++;
        double e = fa_total_energy(m, d);
        if (e > prev * (1.0 + 1e-10) + 1e-15) rises++;
        prev = e;
    }
    CHECK_MSG(bad == 0, "%d steps failed: %s", bad, err.msg);
    CHECK(rises == 0);
    fa_solver_stats st;
    fa_solver_get_stats(d, &st);
    CHECK(st.steps == 101 && st.static_solves == 0 && st.newton > 0 && st.noconv == 0);
    CHECK(prev < 0.5 * e0);
    CHECK(e0 > 0.0);
    fa_data_free(d);
    fa_model_free(m);
}

/* early_exit (opt-in) ends steps at the residual noise floor: same motion
 * to well below the displacement scale, never more backtracking. */
static void test_early_exit(void)
{
    tm_sheet_interfaces = 1;
    fa_model *m = tm_sheet(8, 5, 0.01, 0.01, 1.509e8, 0.02, 1e6, 0.3, 0.15, 1.5e-3, 1, 3.5e8, 1e-6);
    tm_sheet_interfaces = 0;
    CHECK(m != NULL);
    if (!m) return;
    fa_data *d0 = fa_data_alloc(m, 0), *d1 = fa_data_alloc(m, 0);
    for (int i = 0; i < 8 * 5; i++)
        if (m->node_body[i] == -1) d0->x[3 * i] = d1->x[3 * i] = 1.02 * m->node_pos0[3 * i];
    fa_step_def a = fa_default_step_def(), b = fa_default_step_def();
    CHECK(a.early_exit == 0);
    b.early_exit = 1;
    int bt0 = 0, bt1 = 0;
    for (int k = 0; k < 40; k++) {
        fa_step_report r0, r1;
        fa_step_ex(m, d0, &a, &r0, NULL);
        fa_step_ex(m, d1, &b, &r1, NULL);
        bt0 += r0.backtracks;
        bt1 += r1.backtracks;
    }
    double mx = 0.0;
    for (int i = 0; i < 3 * m->nnode; i++) mx = fmax(mx, fabs(d0->x[i] - d1->x[i]));
    CHECK_MSG(mx < 1e-8, "early exit changed the motion by %g m", mx);
    CHECK(bt1 <= bt0);
    fa_data_free(d0);
    fa_data_free(d1);
    fa_model_free(m);
}

static void test_static_dynamic(void)
{
    fa_model *m = tm_sheet(8, 4, 0.01, 0.01, 1.509e8, 0.02, 1e6, 0.3, 0.15, 1.5e-3, 1, 3.5e8, 1e-6);
    CHECK(m != NULL);
    if (!m) return;
    m->opt.gravity[2] = -9.81;
    m->opt.damping = 100.0;
    fa_data *ds = fa_data_alloc(m, 0), *dd = fa_data_alloc(m, 0);
    for (int j = 0; j < 4; j++) ds->f_ext[3 * (j * 8 + 7)] = dd->f_ext[3 * (j * 8 + 7)] = 2.0;
    fa_error err;
    CHECK_MSG(fa_solve_static(m, ds, NULL, NULL, &err) == FA_OK, "%s", err.msg);
    fa_step_def sd = fa_default_step_def();
    sd.h = 2e-3;
    CHECK_MSG(fa_simulate(m, dd, 0.4, &sd, NULL, NULL, &err) == FA_OK, "%s", err.msg);
    CHECK_NEAR(dd->time, 0.4, 1e-9);
    double mx = 0.0, span = 0.0;
    for (int i = 0; i < 3 * m->nnode; i++) {
        mx = fmax(mx, fabs(ds->x[i] - dd->x[i]));
        span = fmax(span, fabs(ds->x[i] - m->node_pos0[i]));
    }
    CHECK(span > 1e-4);
    CHECK_MSG(mx < 1e-6 * span + 1e-9, "static vs dynamic: %g m (displacement %g m)", mx, span);
    fa_data_free(ds);
    fa_data_free(dd);
    fa_model_free(m);
}

static int count_steps(const fa_model *m, fa_data *d, void *user)
{
    (void)m;
    (void)d;
    return ++*(int *)user >= 500;
}

/* 1 ms steps with a 1 mm^2 ITB-like cord of 450 MPa (above the 338-363 MPa
 * of itb_E_mid) on a 1 g node, and on its own 5.6e-9 kg lumped tissue mass. */
static void test_stiff(void)
{
    for (int light = 0; light < 2; light++) {
        fa_model *m = tm_cord(0.01, 4.5e8, 0.02, 1e-6, 0, NULL, NULL);
        CHECK(m != NULL);
        if (!m) return;
        if (!light) m->node_mass[1] += 1e-3;
        m->opt.damping = 0.0;
        fa_data *d = fa_data_alloc(m, 0);
        d->x[3] = 0.0105;
        d->x[4] = 0.002;
        fa_error err;
        int n = 0;
        CHECK(fa_step(m, d, &err) == FA_OK);
        double e0 = fa_total_energy(m, d);
        fa_status s = fa_simulate(m, d, 1.0, NULL, count_steps, &n, &err);
        CHECK_MSG(s == FA_OK, "%s", err.msg);
        CHECK(n == 500);
        CHECK(isfinite(d->x[3]) && isfinite(d->x[4]) && d->warn.nan == 0 && d->warn.noconv == 0);
        double e1 = fa_total_energy(m, d);
        CHECK(e1 <= e0 * (1 + 1e-12));
        CHECK(fabs(d->x[4]) <= 0.0021 && fabs(d->x[3]) < 0.0121);
        fa_data_free(d);
        fa_model_free(m);
    }
}

static uint64_t hash_run(const fa_model *m)
{
    fa_data *d = fa_data_alloc(m, 0);
    int corner = 9 * 5 - 1; /* last sheet node (substrate nodes follow) */
    d->f_ext[3 * corner] = 5.0;
    fa_solve_static(m, d, NULL, NULL, NULL);
    d->f_ext[3 * corner + 2] = 2.0;
    for (int k = 0; k < 20; k++) fa_step(m, d, NULL);
    uint64_t h = fa_data_hash(m, d);
    fa_data_free(d);
    return h;
}

static void test_hash(void)
{
    /* Prony terms on the sheet (loose-tissue time constants lct_tau1/2; the
     * split of g is a test assumption) so the viscoelastic history is part
     * of the hashed state */
    tm_sheet_interfaces = 1;
    tm_sheet_nprony = 2;
    tm_sheet_g[0] = 0.3, tm_sheet_g[1] = 0.1, tm_sheet_tau[0] = 3.83, tm_sheet_tau[1] = 30.15;
    fa_model *m = tm_sheet(9, 5, 0.01, 0.01, 1.509e8, 0.02, 1e6, 0.3, 0.15, 1.5e-3, 1, 3.5e8, 1e-6);
    tm_sheet_interfaces = 0;
    tm_sheet_nprony = 0;
    CHECK(m != NULL);
    if (!m) return;
    CHECK(m->nvisc > 0);
    uint64_t h1 = hash_run(m), h2 = hash_run(m);
    CHECK(h1 == h2);
    /* the history moved: it is part of the state */
    fa_data *d = fa_data_alloc(m, 0);
    d->f_ext[3 * (9 * 5 - 1)] = 5.0;
    fa_step(m, d, NULL);
    double hs = 0.0;
    for (int k = 0; k < m->nvisc; k++) hs += fabs(d->visc[k]);
    CHECK(hs > 0.0);
    fa_data_free(d);
    m->opt.damping = 2.0000001;
    CHECK(hash_run(m) != h1);
    fa_model_free(m);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

#define RUN(fn)                                                     \
    do {                                                            \
        double t0_ = now_s();                                       \
        fn();                                                       \
        printf("%-24s %8.3f s\n", #fn, now_s() - t0_);             \
    } while (0)

int main(void)
{
    RUN(test_cord_end_load);
    RUN(test_membrane_strip);
    RUN(test_creep);
    RUN(test_equivalence_real);
    RUN(test_rigid_anchor);
    RUN(test_energy_monotone);
    RUN(test_early_exit);
    RUN(test_static_dynamic);
    RUN(test_stiff);
    RUN(test_hash);
    TEST_MAIN_END();
}
