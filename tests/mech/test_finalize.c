/* SPDX-License-Identifier: MIT */
/* fa_model_finalize: block pattern against a brute-force adjacency matrix,
 * element slots, history layout, reference geometry (the reference pose is an
 * isometry of the local frame), lumped mass conservation, and input errors. */
#include <math.h>

#include "fixtures.h"
#include "harness.h"

/* 6 nodes (node 5 isolated), cord 0-1, membranes (1,2,3) (1,3,4),
 * interface 2 over 0, muscle 0-4. Material 0 has 2 Prony terms. */
static fa_model *mixed_model(void)
{
    fa_model *m = fx_alloc(2, 2, 6, 1, 2, 1, 1);
    fx_set_node(m, 0, 0, 0, 0);
    fx_set_node(m, 1, 0.1, 0, 0);
    fx_set_node(m, 2, 0.2, 0.01, 0.0);
    fx_set_node(m, 3, 0.15, 0.08, 0.02);
    fx_set_node(m, 4, 0.05, 0.09, -0.01);
    fx_set_node(m, 5, 1, 1, 1);
    m->mat_prony_adr[0] = 0;
    m->mat_prony_num[0] = 2;
    m->prony_g[0] = 0.3;
    m->prony_tau[0] = 1.0;
    m->prony_g[1] = 0.2;
    m->prony_tau[1] = 100.0;
    m->cord_node[0] = 0, m->cord_node[1] = 1;
    m->cord_mat[0] = 0;
    m->cord_prestrain[0] = 0.02;
    int tri[6] = {1, 2, 3, 1, 3, 4};
    memcpy(m->mem_node, tri, sizeof tri);
    m->mem_mat[0] = 0;
    m->mem_mat[1] = 1;
    m->mem_fibre[0] = 1; /* x axis, not in the plane of tri 0 exactly */
    m->mem_fibre[4] = 1; /* y axis */
    m->intf_node[0] = 2, m->intf_node[1] = 0;
    m->intf_normal[2] = 2.0; /* normalised by finalize */
    m->muscle_node[0] = 0, m->muscle_node[1] = 4;
    m->node_mass[5] = 0.25;
    return m;
}

static void test_pattern_and_geometry(void)
{
    fa_model *m = mixed_model();
    fa_error err;
    CHECK(fa_model_finalize(&m, &err) == FA_OK);
    int nn = m->nnode;
    /* brute-force adjacency */
    int adj[6][6];
    memset(adj, 0, sizeof adj);
    for (int i = 0; i < nn; i++) adj[i][i] = 1;
    for (int e = 0; e < m->nelem; e++) {
        int nd[3], k = fa_elem_nodes(m, e, nd);
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++) adj[nd[a]][nd[b]] = 1;
    }
    int nb = 0;
    for (int i = 0; i < nn; i++)
        for (int j = 0; j < nn; j++) nb += adj[i][j];
    CHECK(m->nblock == nb);
    for (int i = 0; i < nn; i++) {
        int cnt = 0;
        for (int j = 0; j < nn; j++) cnt += adj[i][j];
        CHECK(m->blk_rownum[i] == cnt);
        if (i + 1 < nn) CHECK(m->blk_rowadr[i + 1] == m->blk_rowadr[i] + m->blk_rownum[i]);
        for (int q = 0; q < m->blk_rownum[i]; q++) {
            int c = m->blk_col[m->blk_rowadr[i] + q];
            CHECK(adj[i][c]);
            if (q > 0) CHECK(c > m->blk_col[m->blk_rowadr[i] + q - 1]);
        }
    }
    CHECK(m->blk_rownum[5] == 1 && m->blk_col[m->blk_rowadr[5]] == 5);
    /* slots point at the (row, col) block of the node pair */
    CHECK(m->nslot == 4 + 9 + 9 + 4 + 4);
    for (int e = 0; e < m->nelem; e++) {
        int nd[3], k = fa_elem_nodes(m, e, nd);
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++) {
                int blk = m->elem_slot[m->elem_slot_adr[e] + a * k + b];
                CHECK(blk >= m->blk_rowadr[nd[a]] && blk < m->blk_rowadr[nd[a]] + m->blk_rownum[nd[a]]);
                CHECK(m->blk_col[blk] == nd[b]);
            }
    }
    /* history: cord (1+2), membrane 0 mat 0: 5*(1+2), membrane 1 mat 1: none */
    CHECK(m->nvisc == 3 + 15);
    CHECK(m->elem_visc_adr[0] == 0 && m->elem_visc_adr[1] == 3 && m->elem_visc_adr[2] == 18);
    /* cord rest length */
    CHECK_REL(m->cord_L0[0], 0.1 / 1.02, 1e-14);
    /* membranes: F = Ds Dminv maps the local frame isometrically (F^T F = I),
     * the area is half the cross product, F fib2d is the in-plane fibre */
    for (int i = 0; i < m->nmem; i++) {
        const int *n = m->mem_node + 3 * i;
        const double *X = m->node_pos0, *Di = m->mem_Dminv + 4 * i;
        double F[3][2];
        for (int r = 0; r < 3; r++) {
            double d1 = X[3 * n[1] + r] - X[3 * n[0] + r], d2 = X[3 * n[2] + r] - X[3 * n[0] + r];
            F[r][0] = d1 * Di[0] + d2 * Di[2];
            F[r][1] = d1 * Di[1] + d2 * Di[3];
        }
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++) {
                double s = F[0][a] * F[0][b] + F[1][a] * F[1][b] + F[2][a] * F[2][b];
                CHECK_NEAR(s, a == b ? 1.0 : 0.0, 1e-12);
            }
        double a1[3], a2[3], c[3];
        for (int r = 0; r < 3; r++) {
            a1[r] = X[3 * n[1] + r] - X[3 * n[0] + r];
            a2[r] = X[3 * n[2] + r] - X[3 * n[0] + r];
        }
        c[0] = a1[1] * a2[2] - a1[2] * a2[1];
        c[1] = a1[2] * a2[0] - a1[0] * a2[2];
        c[2] = a1[0] * a2[1] - a1[1] * a2[0];
        double A = 0.5 * sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]);
        CHECK_REL(m->mem_area0[i], A, 1e-14);
        const double *g = m->mem_fib2d + 2 * i;
        CHECK_NEAR(g[0] * g[0] + g[1] * g[1], 1.0, 1e-14);
        /* in-plane projection of the world fibre, normalised */
        double nrm[3] = {c[0] / (2 * A), c[1] / (2 * A), c[2] / (2 * A)};
        const double *fb = m->mem_fibre + 3 * i;
        double fn = fb[0] * nrm[0] + fb[1] * nrm[1] + fb[2] * nrm[2];
        double p[3] = {fb[0] - fn * nrm[0], fb[1] - fn * nrm[1], fb[2] - fn * nrm[2]};
        double pl = sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
        for (int r = 0; r < 3; r++) CHECK_NEAR(F[r][0] * g[0] + F[r][1] * g[1], p[r] / pl, 1e-12);
    }
    CHECK_NEAR(m->intf_normal[2], 1.0, 1e-15);
    /* masses: total = explicit + rho * (cord volume + membrane volumes) */
    double tot = 0, expect = 0.25 + 1100 * (1e-5 * 0.1 + 1e-3 * (m->mem_area0[0] + m->mem_area0[1]));
    for (int i = 0; i < nn; i++) tot += m->node_mass[i];
    CHECK_REL(tot, expect, 1e-13);
    CHECK_REL(m->node_mass[5], 0.25, 0);
    /* finalize twice with unchanged sizes keeps the pattern (model not reallocated) */
    fa_model *same = m;
    uint64_t hb = 0;
    (void)hb;
    CHECK(fa_model_finalize(&m, &err) == FA_OK && m == same);
    fa_model_free(m);
}

static void expect_error(fa_model *m, fa_status code, const char *needle)
{
    fa_error err;
    fa_error_clear(&err);
    fa_model *before = m;
    uint64_t h = fa_model_hash(m);
    fa_status st = fa_model_finalize(&m, &err);
    CHECK_MSG(st == code, "got %s: %s", fa_status_str(st), err.msg);
    CHECK_MSG(strstr(err.msg, needle) != NULL, "message '%s' lacks '%s'", err.msg, needle);
    CHECK(m == before && fa_model_hash(m) == h); /* untouched on error */
    fa_model_free(m);
}

static void test_errors(void)
{
    fa_model *m = mixed_model();
    fx_set_node(m, 4, 0.2, 0.01, 0.0); /* same as node 2: collinear 1,3,4? make tri (1,2,3) degenerate */
    fx_set_node(m, 3, 0.15, 0.005, 0.0); /* 1,2,3 collinear */
    expect_error(m, FA_ERR_GEOMETRY, "degenerate triangle");

    m = mixed_model();
    fx_set_node(m, 1, 0, 0, 0); /* cord 0-1 zero length */
    expect_error(m, FA_ERR_GEOMETRY, "zero-length cord");

    m = mixed_model();
    m->mem_node[4] = 9;
    expect_error(m, FA_ERR_RANGE, "membrane 1 (element 2): expected node index in [0, 6), found 9");

    m = mixed_model();
    m->cord_mat[0] = 2;
    expect_error(m, FA_ERR_RANGE, "cord 0 (element 0): expected material index in [0, 2), found 2");

    m = mixed_model();
    m->mem_fibre[3] = 0, m->mem_fibre[4] = 0, m->mem_fibre[5] = 1; /* tri 1 is almost in z=0 */
    fx_set_node(m, 4, 0.05, 0.09, 0.02);
    fx_set_node(m, 3, 0.15, 0.08, 0.02);
    fx_set_node(m, 1, 0.1, 0.0, 0.02);
    expect_error(m, FA_ERR_GEOMETRY, "parallel to the normal");

    m = mixed_model();
    m->prony_g[1] = 0.8;
    expect_error(m, FA_ERR_RANGE, "sum of Prony g <= 1");

    m = mixed_model();
    m->nelem = 4;
    expect_error(m, FA_ERR_ARG, "nelem");
}

int main(void)
{
    test_pattern_and_geometry();
    test_errors();
    TEST_MAIN_END();
}
