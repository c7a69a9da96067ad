/* SPDX-License-Identifier: MIT */
/* Consistency of the assembly, by central finite differences, for every
 * element kind at random deformations (toe and linear regions, anisotropic
 * fibres, with and without viscoelastic history):
 *   f = -dPsi/dx,  K = -df/dx,  C = -df/dv,  K and C exactly symmetric,
 *   the membrane tangent stays positive semidefinite in compression,
 *   bit-identical reruns. */
#include <math.h>

#include "fixtures.h"
#include "harness.h"
#include "mech/mech_internal.h"

static double dense_get(const fa_model *m, const double *K, int i, int j)
{
    int ni = i / 3, nj = j / 3;
    for (int q = 0; q < m->blk_rownum[ni]; q++) {
        int blk = m->blk_rowadr[ni] + q;
        if (m->blk_col[blk] == nj) return K[9 * blk + 3 * (i % 3) + (j % 3)];
    }
    return 0.0;
}

static double maxabs(const double *a, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++) s = fmax(s, fabs(a[i]));
    return s;
}

/* Checks at positions x (copied into a buffer), velocity v (may be NULL). */
static void fd_check(const char *what, const fa_model *m, fa_data *d, const double *x0, const double *v, double h,
                     double step)
{
    int n = 3 * m->nnode;
    double *x = malloc(sizeof(double) * n), *f = malloc(sizeof(double) * n), *fp = malloc(sizeof(double) * n),
           *fm = malloc(sizeof(double) * n);
    double *K = malloc(sizeof(double) * 9 * m->nblock), *C = malloc(sizeof(double) * 9 * m->nblock);
    memcpy(x, x0, sizeof(double) * n);
    fa_assemble(m, d, x, NULL, h, f, K, C);
    double fs = maxabs(f, n), ks = maxabs(K, 9 * m->nblock);
    double ferr = 0, kerr = 0;
    for (int j = 0; j < n; j++) {
        double xj = x[j];
        x[j] = xj + step;
        double pp = fa_assemble(m, d, x, NULL, h, fp, NULL, NULL);
        x[j] = xj - step;
        double pm = fa_assemble(m, d, x, NULL, h, fm, NULL, NULL);
        x[j] = xj;
        ferr = fmax(ferr, fabs(-(pp - pm) / (2 * step) - f[j]));
        for (int i = 0; i < n; i++) kerr = fmax(kerr, fabs(-(fp[i] - fm[i]) / (2 * step) - dense_get(m, K, i, j)));
    }
    CHECK_MSG(ferr <= 1e-6 * fs, "%s: |f + dPsi/dx| = %.3g, |f| = %.3g", what, ferr, fs);
    CHECK_MSG(kerr <= 1e-6 * ks, "%s: |K + df/dx| = %.3g, |K| = %.3g", what, kerr, ks);
    CHECK_MSG(fs > 0 && ks > 0, "%s: non-trivial forces (%g) and stiffness (%g)", what, fs, ks);
    /* exact symmetry */
    int asym = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            if (dense_get(m, K, i, j) != dense_get(m, K, j, i)) asym++;
            if (dense_get(m, C, i, j) != dense_get(m, C, j, i)) asym++;
        }
    CHECK_MSG(asym == 0, "%s: %d asymmetric entries", what, asym);
    /* C = -df/dv (forces are affine in v) */
    if (v) {
        double *vv = malloc(sizeof(double) * n);
        memcpy(vv, v, sizeof(double) * n);
        double cs = maxabs(C, 9 * m->nblock), cerr = 0;
        for (int j = 0; j < n; j++) {
            double vj = vv[j], dv = 1e-3;
            vv[j] = vj + dv;
            fa_assemble(m, d, x, vv, h, fp, NULL, NULL);
            vv[j] = vj - dv;
            fa_assemble(m, d, x, vv, h, fm, NULL, NULL);
            vv[j] = vj;
            for (int i = 0; i < n; i++) cerr = fmax(cerr, fabs(-(fp[i] - fm[i]) / (2 * dv) - dense_get(m, C, i, j)));
        }
        CHECK_MSG(cs > 0 && cerr <= 1e-8 * cs, "%s: |C + df/dv| = %.3g, |C| = %.3g", what, cerr, cs);
        /* viscous force = -C v */
        fa_assemble(m, d, x, vv, h, fp, NULL, NULL);
        double verr = 0, vs = 0;
        for (int i = 0; i < n; i++) {
            double cv = 0;
            for (int j = 0; j < n; j++) cv += dense_get(m, C, i, j) * vv[j];
            verr = fmax(verr, fabs((fp[i] - f[i]) + cv));
            vs = fmax(vs, fabs(cv));
        }
        CHECK_MSG(vs > 0 && verr <= 1e-10 * (vs + fs), "%s: viscous force != -C v (%.3g)", what, verr);
        free(vv);
    }
    free(x), free(f), free(fp), free(fm), free(K), free(C);
}

/* Positions: reference scaled by stretch (sx, sy, sz) plus a random jitter. */
static void deform(const fa_model *m, double *x, double sx, double sy, double sz, double jit, unsigned *seed)
{
    for (int i = 0; i < m->nnode; i++) {
        x[3 * i] = m->node_pos0[3 * i] * sx + jit * fx_rand(seed);
        x[3 * i + 1] = m->node_pos0[3 * i + 1] * sy + jit * fx_rand(seed);
        x[3 * i + 2] = m->node_pos0[3 * i + 2] * sz + jit * fx_rand(seed);
    }
}

static void test_cord(void)
{
    for (int toe0 = 0; toe0 < 2; toe0++) {
        fa_model *m = fx_alloc(1, 2, 2, 1, 0, 0, 0);
        fx_set_node(m, 0, 0.01, -0.02, 0.03);
        fx_set_node(m, 1, 0.25, 0.05, -0.01);
        m->cord_node[0] = 0, m->cord_node[1] = 1;
        m->cord_prestrain[0] = 0.01;
        m->mat_beta[0] = 0.01;
        if (toe0) m->mat_toe[0] = 0.0;
        m->mat_prony_num[0] = 2;
        m->prony_g[0] = 0.3, m->prony_tau[0] = 0.5;
        m->prony_g[1] = 0.2, m->prony_tau[1] = 20;
        fa_error err;
        CHECK(fa_model_finalize(&m, &err) == FA_OK);
        fa_data *d = fa_data_alloc(m, 0);
        unsigned seed = 7u + (unsigned)toe0;
        double x[6], v[6];
        for (int trial = 0; trial < 6; trial++) {
            double st = trial < 3 ? 1.0 + 0.003 * trial : 1.03 + 0.01 * trial; /* toe, then linear */
            deform(m, x, st, st, st, 1e-4, &seed);
            for (int i = 0; i < 6; i++) v[i] = fx_rand(&seed);
            d->tis_tone[0] = trial == 4 ? 5e4 : 0.0;
            d->tis_hyd[0] = trial == 5 ? 0.8 : 1.0;
            fd_check(toe0 ? "cord linear law" : "cord", m, d, x, v, trial % 2 ? 0.01 : 0.0, 1e-7);
            /* history: commit a smaller stretch then check the h > 0 tangent */
            double xs[6];
            for (int i = 0; i < 6; i++) xs[i] = m->node_pos0[i] * (1.0 + 0.5 * (st - 1.0));
            fa_visc_commit(m, d, xs, 0.05);
            fd_check("cord with history", m, d, x, v, 0.02, 1e-7);
        }
        fa_data_free(d);
        fa_model_free(m);
    }
}

static fa_model *two_triangles(int nprony)
{
    fa_model *m = fx_alloc(1, nprony, 4, 0, 2, 0, 0);
    fx_set_node(m, 0, 0.0, 0.0, 0.0);
    fx_set_node(m, 1, 0.1, 0.0, 0.01);
    fx_set_node(m, 2, 0.11, 0.05, 0.0);
    fx_set_node(m, 3, -0.01, 0.06, -0.005);
    int tri[6] = {0, 1, 2, 0, 2, 3};
    memcpy(m->mem_node, tri, sizeof tri);
    m->mem_fibre[0] = 0.9, m->mem_fibre[1] = 0.3;
    m->mem_fibre[3] = 0.2, m->mem_fibre[4] = 1.0;
    m->mat_beta[0] = 0.01;
    if (nprony) {
        m->mat_prony_num[0] = nprony;
        for (int p = 0; p < nprony; p++) m->prony_g[p] = 0.2, m->prony_tau[p] = 0.3 * (p + 1) * (p + 1);
    }
    return m;
}

static void test_membrane(void)
{
    fa_model *m = two_triangles(2);
    fa_error err;
    CHECK(fa_model_finalize(&m, &err) == FA_OK);
    fa_data *d = fa_data_alloc(m, 0);
    unsigned seed = 11;
    double x[12], v[12];
    for (int trial = 0; trial < 6; trial++) {
        /* toe (1-2 %) then linear (4-8 %) stretch in both directions */
        double sx = trial < 3 ? 1.012 + 0.003 * trial : 1.05 + 0.01 * trial, sy = trial < 3 ? 1.01 : 1.04;
        deform(m, x, sx, sy, 1.0, 2e-4, &seed);
        for (int i = 0; i < 12; i++) v[i] = fx_rand(&seed);
        d->tis_tone[0] = trial == 2 ? 3e4 : 0.0;
        d->tis_rest[1] = trial == 3 ? 1.01 : 1.0;
        d->tis_xlink[0] = trial == 4 ? 1.3 : 1.0;
        fd_check("membrane", m, d, x, v, trial % 2 ? 0.01 : 0.0, 1e-8);
        double xs[12];
        for (int i = 0; i < 12; i++) xs[i] = m->node_pos0[i] * (i % 3 == 2 ? 1.0 : 1.005);
        fa_visc_commit(m, d, xs, 0.02);
        fd_check("membrane with history", m, d, x, v, 0.01, 1e-8);
    }
    /* compressed matrix: tangent semidefinite (x^T K x >= 0 for random x) and
     * finite (projection of the geometric term) */
    memset(d->visc, 0, sizeof(double) * m->nvisc);
    for (int i = 0; i < m->nelem; i++) d->tis_tone[i] = 0, d->tis_rest[i] = 1, d->tis_xlink[i] = 1;
    deform(m, x, 0.97, 1.02, 1.0, 3e-4, &seed);
    double *K = malloc(sizeof(double) * 9 * m->nblock);
    fa_assemble(m, d, x, NULL, 0.0, NULL, K, NULL);
    int neg = 0;
    for (int t = 0; t < 200; t++) {
        double z[12], q = 0, zz = 0;
        for (int i = 0; i < 12; i++) z[i] = fx_rand(&seed), zz += z[i] * z[i];
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < 12; j++) q += z[i] * dense_get(m, K, i, j) * z[j];
        if (q < -1e-10 * maxabs(K, 9 * m->nblock) * zz) neg++;
    }
    CHECK_MSG(neg == 0, "membrane K indefinite in compression (%d of 200 directions)", neg);
    free(K);
    fa_data_free(d);
    fa_model_free(m);
}

static void test_interface_muscle(void)
{
    /* interface 0 over 1, muscle 2-3, interface 3 over 2 with adhesion */
    fa_model *m = fx_alloc(1, 0, 4, 0, 0, 2, 1);
    fx_set_node(m, 0, 0.0, 0.0, 0.002);
    fx_set_node(m, 1, 0.0, 0.0, 0.0);
    fx_set_node(m, 2, 0.1, 0.0, 0.0);
    fx_set_node(m, 3, 0.22, 0.01, 0.0);
    m->intf_node[0] = 0, m->intf_node[1] = 1;
    m->intf_node[2] = 3, m->intf_node[3] = 2;
    m->intf_normal[3] = 0.6, m->intf_normal[4] = 0.8, m->intf_normal[5] = 0;
    m->muscle_node[0] = 2, m->muscle_node[1] = 3;
    m->muscle_lslack[0] = 0.02;
    fa_error err;
    CHECK(fa_model_finalize(&m, &err) == FA_OK);
    fa_data *d = fa_data_alloc(m, 0);
    d->intf_adh[1] = 50.0;
    d->intf_visc[0] = 3.0;
    d->intf_slide[0] = 1e-4;
    unsigned seed = 5;
    double x[12], v[12];
    for (int trial = 0; trial < 6; trial++) {
        d->muscle_act[0] = 0.2 * trial;
        double s = 0.95 + 0.04 * trial; /* ascending and descending limbs, passive region */
        deform(m, x, s, 1.0, 1.0, 1e-3, &seed);
        for (int i = 0; i < 12; i++) v[i] = fx_rand(&seed);
        fd_check("interface+muscle", m, d, x, v, 0.0, 1e-7);
    }
    fa_data_free(d);
    fa_model_free(m);
}

static uint64_t hash_doubles(const double *a, int n)
{
    uint64_t h = 1469598103934665603ULL;
    const unsigned char *p = (const unsigned char *)a;
    for (size_t i = 0; i < sizeof(double) * (size_t)n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

static void test_determinism(void)
{
    fa_model *m = two_triangles(1);
    fa_error err;
    CHECK(fa_model_finalize(&m, &err) == FA_OK);
    uint64_t hs[2], hk[2];
    for (int run = 0; run < 2; run++) {
        fa_data *d = fa_data_alloc(m, 0);
        unsigned seed = 99;
        double x[12], v[12], f[12];
        double *K = malloc(sizeof(double) * 9 * m->nblock);
        deform(m, x, 1.03, 1.02, 1.0, 1e-4, &seed);
        for (int i = 0; i < 12; i++) v[i] = fx_rand(&seed);
        for (int step = 0; step < 5; step++) {
            fa_assemble(m, d, x, v, 0.01, f, K, NULL);
            fa_visc_commit(m, d, x, 0.01);
            for (int i = 0; i < 12; i++) x[i] += 1e-5 * v[i];
        }
        memcpy(d->x, x, sizeof x);
        memcpy(d->f_int, f, sizeof f);
        hs[run] = fa_data_hash(m, d);
        hk[run] = hash_doubles(K, 9 * m->nblock);
        free(K);
        fa_data_free(d);
    }
    CHECK(hs[0] == hs[1]);
    CHECK(hk[0] == hk[1]);
    fa_model_free(m);
}

/* Objectivity: a rigid rotation + translation of the deformed state leaves the
 * energy unchanged and rotates the forces (cords, membranes, muscles). */
static void test_objectivity(void)
{
    fa_model *m = fx_alloc(1, 0, 5, 1, 2, 0, 1);
    fx_set_node(m, 0, 0.0, 0.0, 0.0);
    fx_set_node(m, 1, 0.1, 0.0, 0.01);
    fx_set_node(m, 2, 0.11, 0.05, 0.0);
    fx_set_node(m, 3, -0.01, 0.06, -0.005);
    fx_set_node(m, 4, 0.2, 0.1, 0.05);
    int tri[6] = {0, 1, 2, 0, 2, 3};
    memcpy(m->mem_node, tri, sizeof tri);
    m->mem_fibre[0] = 1, m->mem_fibre[4] = 1;
    m->cord_node[0] = 1, m->cord_node[1] = 4;
    m->muscle_node[0] = 3, m->muscle_node[1] = 4;
    m->muscle_lopt[0] = 0.25; /* |x4 - x3| = 0.221 m: passive curve slack at the reference */
    fa_error err;
    CHECK(fa_model_finalize(&m, &err) == FA_OK);
    fa_data *d = fa_data_alloc(m, 0);
    d->muscle_act[0] = 0.4;
    d->tis_tone[1] = 2e4;
    unsigned seed = 3;
    double x[15], y[15], f[15], g[15];
    deform(m, x, 1.04, 1.02, 1.01, 1e-3, &seed);
    /* rotation about a random axis by 1.1 rad (Rodrigues) */
    double k[3] = {0.3, -0.5, 0.81}, kl = sqrt(k[0] * k[0] + k[1] * k[1] + k[2] * k[2]);
    for (int i = 0; i < 3; i++) k[i] /= kl;
    double th = 1.1, c = cos(th), s = sin(th), R[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double kx = (i == j) ? 0 : ((i == 0 && j == 1) ? -k[2] : (i == 0 && j == 2) ? k[1] : (i == 1 && j == 0) ? k[2]
                                                                  : (i == 1 && j == 2) ? -k[0] : (i == 2 && j == 0) ? -k[1] : k[0]);
            R[i][j] = c * (i == j) + s * kx + (1 - c) * k[i] * k[j];
        }
    for (int n = 0; n < 5; n++)
        for (int i = 0; i < 3; i++)
            y[3 * n + i] = R[i][0] * x[3 * n] + R[i][1] * x[3 * n + 1] + R[i][2] * x[3 * n + 2] + 0.5 * (i + 1);
    double e1 = fa_assemble(m, d, x, NULL, 0, f, NULL, NULL);
    double e2 = fa_assemble(m, d, y, NULL, 0, g, NULL, NULL);
    CHECK_REL(e2, e1, 1e-10);
    double fs = maxabs(f, 15), err2 = 0;
    for (int n = 0; n < 5; n++)
        for (int i = 0; i < 3; i++)
            err2 = fmax(err2, fabs(g[3 * n + i] - (R[i][0] * f[3 * n] + R[i][1] * f[3 * n + 1] + R[i][2] * f[3 * n + 2])));
    CHECK_MSG(fs > 0 && err2 <= 1e-9 * fs, "forces not objective: %g of %g", err2, fs);
    /* no net force or moment from internal forces */
    double sum[3] = {0, 0, 0}, mom[3] = {0, 0, 0};
    for (int n = 0; n < 5; n++) {
        double r[3];
        for (int i = 0; i < 3; i++) sum[i] += f[3 * n + i];
        r[0] = x[3 * n + 1] * f[3 * n + 2] - x[3 * n + 2] * f[3 * n + 1];
        r[1] = x[3 * n + 2] * f[3 * n] - x[3 * n] * f[3 * n + 2];
        r[2] = x[3 * n] * f[3 * n + 1] - x[3 * n + 1] * f[3 * n];
        for (int i = 0; i < 3; i++) mom[i] += r[i];
    }
    for (int i = 0; i < 3; i++) {
        CHECK_NEAR(sum[i], 0.0, 1e-10 * fs);
        CHECK_NEAR(mom[i], 0.0, 1e-10 * fs);
    }
    /* stress-free reference: zero force and energy without tone and activation */
    d->muscle_act[0] = 0;
    d->tis_tone[1] = 0;
    double e0 = fa_assemble(m, d, m->node_pos0, NULL, 0, f, NULL, NULL);
    CHECK_MSG(fabs(e0) <= 1e-12 * fabs(e1) && maxabs(f, 15) <= 1e-9 * fs, "reference pose: energy %g J, force %g N", e0, maxabs(f, 15));
    fa_data_free(d);
    fa_model_free(m);
}

/* Collapsed and inverted elements: finite forces, counted, no NaN. */
static void test_degenerate(void)
{
    fa_model *m = fx_alloc(1, 1, 4, 1, 1, 1, 1);
    fx_set_node(m, 0, 0, 0, 0);
    fx_set_node(m, 1, 0.1, 0, 0);
    fx_set_node(m, 2, 0, 0.1, 0);
    fx_set_node(m, 3, 0.1, 0.1, 0.001);
    m->cord_node[0] = 0, m->cord_node[1] = 1;
    int tri[3] = {0, 1, 2};
    memcpy(m->mem_node, tri, sizeof tri);
    m->mem_fibre[0] = 1;
    m->intf_node[0] = 3, m->intf_node[1] = 1;
    m->muscle_node[0] = 2, m->muscle_node[1] = 3;
    m->mat_prony_num[0] = 1, m->prony_g[0] = 0.4, m->prony_tau[0] = 1;
    fa_error err;
    CHECK(fa_model_finalize(&m, &err) == FA_OK);
    fa_data *d = fa_data_alloc(m, 0);
    double *K = malloc(sizeof(double) * 9 * m->nblock), *C = malloc(sizeof(double) * 9 * m->nblock);
    /* all nodes at one point: every element collapsed */
    double x[12] = {0}, v[12] = {0}, f[12];
    double e = fa_assemble(m, d, x, v, 0.01, f, K, C);
    int bad = !isfinite(e);
    for (int i = 0; i < 12; i++) bad += !isfinite(f[i]);
    for (int i = 0; i < 9 * m->nblock; i++) bad += !isfinite(K[i]) + !isfinite(C[i]);
    CHECK(bad == 0);
    CHECK(d->warn.inverted >= 3); /* cord, both membrane fibre families, muscle */
    /* inverted triangle (node 2 mirrored): finite, compressed across, K still semidefinite on the diagonal */
    memcpy(x, m->node_pos0, sizeof x);
    x[7] = -0.1;
    e = fa_assemble(m, d, x, v, 0.0, f, K, C);
    bad = !isfinite(e);
    for (int i = 0; i < 12; i++) bad += !isfinite(f[i]);
    for (int i = 0; i < 9 * m->nblock; i++) bad += !isfinite(K[i]);
    CHECK(bad == 0);
    for (int i = 0; i < 12; i++) CHECK(dense_get(m, K, i, i) >= 0);
    fa_visc_commit(m, d, x, 0.01);
    for (int i = 0; i < m->nvisc; i++) CHECK(isfinite(d->visc[i]));
    free(K), free(C);
    fa_data_free(d);
    fa_model_free(m);
}

/* The gliding layer belongs to its bone: when the substrate node's body turns, the sliding
 * plane and the sheet node's rest offset turn with it (soft along the rotated surface, stiff
 * along the rotated normal, no force at the rotated rest position). */
static void test_interface_rotates_with_bone(void)
{
    fa_model s;
    memset(&s, 0, sizeof s);
    s.nbody = 1, s.nnode = 2, s.nintf = 1, s.nelem = 1, s.nnamechar = 16;
    fa_model *m = fa_model_alloc(&s);
    CHECK(m != NULL);
    m->body_parent[0] = -1, m->body_mass[0] = 1.0, m->body_name[0] = -1;
    m->node_name[0] = m->node_name[1] = -1;
    m->node_body[0] = -1, m->node_body[1] = 0;
    fx_set_node(m, 0, 0.0, 0.0, 0.002);
    fx_set_node(m, 1, 0.0, 0.0, 0.0);
    m->intf_node[0] = 0, m->intf_node[1] = 1;
    m->intf_area[0] = 1e-4, m->intf_G[0] = 1e3, m->intf_h[0] = 43e-6, m->intf_eta[0] = 1.0, m->intf_kn[0] = 1e4;
    m->intf_normal[2] = 1.0;
    fa_error err;
    CHECK(fa_model_finalize(&m, &err) == FA_OK);
    fa_data *d = fa_data_alloc(m, 0);
    /* body turned 90 deg about x: y -> z, z -> -y (row-major body->world) */
    double R[9] = {1, 0, 0, 0, 0, -1, 0, 1, 0};
    memcpy(d->body_xmat, R, sizeof R);
    fa_kinematics_anchor(m, d);
    double x[6] = {0, -0.002, 0, 0, 0, 0}, f[6];
    fa_assemble(m, d, x, NULL, 0.0, f, NULL, NULL);
    CHECK_MSG(maxabs(f, 6) < 1e-12, "rotated rest position: |f| = %g", maxabs(f, 6));
    double kt = 1e3 * 1e-4 / 43e-6, dl = 1e-5;
    x[2] = dl; /* along the rotated surface (was the reference normal) */
    fa_assemble(m, d, x, NULL, 0.0, f, NULL, NULL);
    CHECK_NEAR(f[2], -kt * dl, 1e-9 * kt * dl);
    x[2] = 0, x[1] = -0.002 + dl; /* along the rotated normal */
    fa_assemble(m, d, x, NULL, 0.0, f, NULL, NULL);
    CHECK_NEAR(f[1], -1e4 * dl, 1e-9 * 1e4 * dl);
    x[1] = -0.002 + 3e-4, x[0] = 2e-4, x[2] = -1e-4;
    double v[6] = {0.1, -0.2, 0.3, 0, 0, 0};
    fd_check("interface on a turned bone", m, d, x, v, 0.0, 1e-8);
    fa_data_free(d);
    fa_model_free(m);
}

/* fa_assemble_free (static solves): the force, energy, measurements and
 * every block between two free nodes are bitwise those of fa_assemble; the
 * blocks touching a fixed node are left untouched. Membranes with one fixed
 * node, an interface over a fixed substrate node, a muscle, with and without
 * velocities (viscous forces need the element damping matrices). */
static void free_check(const char *what, const fa_model *m, fa_data *d, const double *x, const double *v)
{
    int n = 3 * m->nnode, nb = 9 * m->nblock;
    double *f = malloc(sizeof(double) * n), *f2 = malloc(sizeof(double) * n);
    double *K = malloc(sizeof(double) * nb), *K2 = malloc(sizeof(double) * nb);
    double *C = malloc(sizeof(double) * nb), *C2 = malloc(sizeof(double) * nb);
    double *s1 = malloc(sizeof(double) * m->nelem);
    for (int i = 0; i < nb; i++) K2[i] = C2[i] = 12345.0; /* marks: blocks the free assembly must not touch */
    double p1 = fa_assemble(m, d, x, v, 0.0, f, K, C);
    memcpy(s1, d->elem_strain, sizeof(double) * m->nelem);
    double p2 = fa_assemble_free(m, d, x, v, 0.0, f2, K2, C2);
    CHECK_MSG(p1 == p2 && !memcmp(f, f2, sizeof(double) * n), "%s: same potential and forces", what);
    CHECK_MSG(!memcmp(s1, d->elem_strain, sizeof(double) * m->nelem), "%s: same measurements", what);
    int nfree = 0, nfixed = 0, bad = 0;
    for (int i = 0; i < m->nnode; i++)
        for (int k = m->blk_rowadr[i]; k < m->blk_rowadr[i] + m->blk_rownum[i]; k++) {
            const double *a = K + 9 * k, *b = K2 + 9 * k, *c = C + 9 * k, *e = C2 + 9 * k;
            if (m->node_body[i] == -1 && m->node_body[m->blk_col[k]] == -1) {
                nfree++;
                if (memcmp(a, b, 72) || memcmp(c, e, 72)) bad++;
            } else if (m->node_body[i] != -1) {
                nfixed++;
                for (int q = 0; q < 9; q++) bad += b[q] != 12345.0 || e[q] != 12345.0;
            }
        }
    CHECK_MSG(nfree > 0 && nfixed > 0 && bad == 0, "%s: %d free-free blocks, %d fixed rows' blocks, %d wrong", what,
              nfree, nfixed, bad);
    free(f), free(f2), free(K), free(K2), free(C), free(C2), free(s1);
}

static void test_assemble_free(void)
{
    fa_error err;
    unsigned seed = 17;
    fa_model *m = two_triangles(1);
    CHECK(fa_model_finalize(&m, &err) == FA_OK);
    m->node_body[0] = -2; /* ground-fixed corner */
    fa_data *d = fa_data_alloc(m, 0);
    double x[12], v[12];
    deform(m, x, 1.03, 0.99, 1.0, 1e-3, &seed);
    for (int i = 0; i < 12; i++) v[i] = fx_rand(&seed);
    free_check("membranes", m, d, x, NULL);
    free_check("membranes, velocities", m, d, x, v);
    fa_data_free(d);
    fa_model_free(m);

    m = fx_alloc(1, 0, 4, 0, 0, 2, 1);
    fx_set_node(m, 0, 0.0, 0.0, 0.002);
    fx_set_node(m, 1, 0.0, 0.0, 0.0);
    fx_set_node(m, 2, 0.1, 0.0, 0.0);
    fx_set_node(m, 3, 0.22, 0.01, 0.0);
    m->intf_node[0] = 0, m->intf_node[1] = 1;
    m->intf_node[2] = 3, m->intf_node[3] = 2;
    m->intf_normal[3] = 0.6, m->intf_normal[4] = 0.8, m->intf_normal[5] = 0;
    m->muscle_node[0] = 2, m->muscle_node[1] = 3;
    m->muscle_lslack[0] = 0.02;
    CHECK(fa_model_finalize(&m, &err) == FA_OK);
    m->node_body[1] = -2; /* the substrate of interface 0 */
    d = fa_data_alloc(m, 0);
    d->intf_visc[0] = 3.0;
    d->muscle_act[0] = 0.4;
    deform(m, x, 1.02, 1.0, 1.0, 1e-3, &seed);
    for (int i = 0; i < 12; i++) v[i] = fx_rand(&seed);
    free_check("interfaces+muscle", m, d, x, NULL);
    free_check("interfaces+muscle, velocities", m, d, x, v);
    fa_data_free(d);
    fa_model_free(m);
}

int main(void)
{
    test_degenerate();
    test_objectivity();
    test_cord();
    test_membrane();
    test_interface_muscle();
    test_interface_rotates_with_bone();
    test_determinism();
    test_assemble_free();
    TEST_MAIN_END();
}
