/* SPDX-License-Identifier: MIT */
/* Measurements: geodesic distances, the VTK writer, and the tug on a small
 * fascial sheet gliding over a fixed substrate (the seed's shirt on a body).
 * Mechanism checks: tension decays with distance from the tug; a denser
 * hyaluronan layer (higher viscosity) slows the spread; adhesions shorten
 * its reach; a stiff band channels tension to its own sector of the far edge;
 * after letting go an elastic sheet springs back at once, a viscoelastic one
 * (Prony terms) creeps back over its relaxation times. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../mech/fixtures.h"
#include "fascia/measure.h"
#include "fascia/sim.h"
#include "harness.h"

#define NX 7
#define NY 15
#define DX 0.01

static int nid(int i, int j) { return j * NX + i; }

/* sheet NX x NY (free) over substrate (fixed), interfaces node to node;
 * optional stiff cord along column `band` (-1 none); visc: the sheet's
 * material relaxes (two Prony terms, 20 ms and 200 ms, g 0.3 and 0.2). */
static fa_model *sheet_ex(int band, int visc)
{
    int nn = 2 * NX * NY, nm = 2 * (NX - 1) * (NY - 1), nc = band >= 0 ? NY - 1 : 0, ni = NX * NY;
    fa_model *m = fx_alloc(2, visc ? 2 : 0, nn, nc, nm, ni, 0);
    if (visc) {
        m->mat_prony_num[0] = 2;
        m->prony_g[0] = 0.3, m->prony_tau[0] = 0.02;
        m->prony_g[1] = 0.2, m->prony_tau[1] = 0.2;
    }
    m->mat_E[0] = 5e6; /* soft sheet for a short test, Pa */
    m->mat_toe[0] = 0.0;
    m->mat_Em[0] = 0.5e6;
    m->mat_rho[0] = 1000;
    m->mat_fib2_frac[0] = 0.5;
    m->mat_fib2_angle[0] = 1.5707963267948966;
    m->mat_E[1] = 400e6; /* the band: ITB-like */
    m->mat_toe[1] = 0.0;
    for (int j = 0; j < NY; j++)
        for (int i = 0; i < NX; i++) {
            fx_set_node(m, nid(i, j), i * DX, j * DX, 0.0);
            fx_set_node(m, NX * NY + nid(i, j), i * DX, j * DX, -43e-6);
            m->node_body[NX * NY + nid(i, j)] = -2;
        }
    int t = 0;
    for (int j = 0; j + 1 < NY; j++)
        for (int i = 0; i + 1 < NX; i++) {
            int a = nid(i, j), b = nid(i + 1, j), c = nid(i + 1, j + 1), d = nid(i, j + 1);
            int tri[2][3] = {{a, b, c}, {a, c, d}};
            for (int k = 0; k < 2; k++, t++) {
                memcpy(m->mem_node + 3 * t, tri[k], sizeof tri[k]);
                m->mem_mat[t] = 0;
                m->mem_thick[t] = 1e-3;
                m->mem_fibre[3 * t + 1] = 1.0;
            }
        }
    for (int k = 0; k < nc; k++) {
        m->cord_node[2 * k] = nid(band, k);
        m->cord_node[2 * k + 1] = nid(band, k + 1);
        m->cord_mat[k] = 1;
        m->cord_area[k] = 2e-6;
    }
    for (int k = 0; k < ni; k++) {
        m->intf_node[2 * k] = k;
        m->intf_node[2 * k + 1] = NX * NY + k;
        m->intf_area[k] = DX * DX;
        m->intf_G[k] = 200.0;
        m->intf_h[k] = 43e-6;
        m->intf_eta[k] = 1.0;
        m->intf_kn[k] = 1e4;
    }
    if (fa_model_finalize(&m, NULL) != FA_OK) return NULL;
    m->opt.timestep = 1e-3;
    m->opt.damping = 0.0;
    return m;
}

static fa_model *sheet(int band) { return sheet_ex(band, 0); }

static fa_status tug(const fa_model *m, fa_data *d, fa_tug_result *r)
{
    fa_tug_def def = fa_default_tug_def();
    def.node = nid(NX / 2, NY - 1); /* top edge centre: the "collar" */
    def.force[1] = 0.5;
    def.ramp = 0.01;
    def.hold = 0.06;
    def.release = 0.03;
    def.sample = 0.002;
    def.nbands = 10;
    def.nsectors = 4;
    return fa_tug_run(m, d, &def, r, NULL, NULL, NULL);
}

int main(void)
{
    fa_model *m = sheet(-1);
    CHECK(m != NULL);
    if (!m) TEST_MAIN_END();

    /* geodesic: along the bottom row distances are exact multiples of DX */
    double *dist = malloc(sizeof(double) * m->nnode);
    CHECK(fa_geodesic(m, nid(0, 0), dist) == FA_OK);
    CHECK_REL(dist[nid(4, 0)], 4 * DX, 1e-12);
    CHECK_REL(dist[nid(0, 7)], 7 * DX, 1e-12);
    /* diagonal edges: (3,3) is three diagonals away */
    CHECK_REL(dist[nid(3, 3)], 3 * DX * sqrt(2.0), 1e-12);
    CHECK(fa_geodesic(m, -1, dist) == FA_ERR_ARG);
    free(dist);

    /* healthy glide */
    fa_data *d = fa_data_alloc(m, 0);
    fa_tug_result r;
    CHECK(tug(m, d, &r) == FA_OK);
    if (getenv("FA_TEST_VERBOSE")) fa_tug_print(&r, stdout);
    CHECK(r.noconv == 0);
    CHECK(r.peak_source > 0.0);
    /* tension decays away from the tug */
    CHECK(r.band_peak[0] > r.band_peak[4] && r.band_peak[4] > r.band_peak[9]);
    CHECK(r.t_far10 > 0.0);
    /* the far point is the bottom-edge node under the tug; it lifts, less than the tug point */
    CHECK(r.far_node == nid(NX / 2, 0));
    CHECK(r.point_peak > 0.0 && r.point_peak < r.tug_peak_disp);
    CHECK(r.point_t10 >= 0.0);
    /* it settles back after release: far-edge displacement returns toward 0 */
    CHECK(fabs(r.far_final) < 0.5 * fabs(r.far_lift) + 1e-12);

    /* VTK: written atomically, refused for a bad path without a crash */
    const char *vtk = "build_test_measure.vtk";
    CHECK(fa_write_vtk(m, d, vtk, NULL) == FA_OK);
    FILE *f = fopen(vtk, "r");
    CHECK(f != NULL);
    if (f) {
        char line[128];
        CHECK(fgets(line, sizeof line, f) && strncmp(line, "# vtk DataFile", 14) == 0);
        fclose(f);
    }
    remove(vtk);
    fa_error err;
    CHECK(fa_write_vtk(m, d, "/nonexistent-dir/x.vtk", &err) == FA_ERR_IO);
    CHECK(strstr(err.msg, "/nonexistent-dir/x.vtk") != NULL);

    /* densified hyaluronan (3x viscosity) slows the spread to the far edge */
    fa_data *d2 = fa_data_alloc(m, 0);
    for (int i = 0; i < m->nintf; i++) d2->intf_visc[i] = 3.0;
    fa_tug_result r2;
    CHECK(tug(m, d2, &r2) == FA_OK);
    CHECK_MSG(r2.band_tpeak[9] > r.band_tpeak[9] || r2.t_far10 > r.t_far10,
              "viscous glide should delay the far edge: t10 %g vs %g", r2.t_far10, r.t_far10);

    /* adhesions (stiff bridges to the substrate) cut the reach */
    fa_data *d3 = fa_data_alloc(m, 0);
    for (int i = 0; i < m->nintf; i++) d3->intf_adh[i] = 50.0 * m->intf_G[i] * m->intf_area[i] / m->intf_h[i];
    fa_tug_result r3;
    CHECK(tug(m, d3, &r3) == FA_OK);
    CHECK_MSG(r3.peak_far < 0.5 * r.peak_far, "adhered far peak %g vs glide %g", r3.peak_far, r.peak_far);
    CHECK_MSG(r.decay_length > 0.0 && r3.decay_length > 0.0 && r3.decay_length < r.decay_length,
              "adhesions shorten the decay length: %g vs %g m", r3.decay_length, r.decay_length);

    /* determinism: rerun gives bit-identical state */
    fa_data *d4 = fa_data_alloc(m, 0);
    fa_tug_result r4;
    CHECK(tug(m, d4, &r4) == FA_OK);
    CHECK(fa_data_hash(m, d4) == fa_data_hash(m, d));

    fa_tug_result_free(&r);
    fa_tug_result_free(&r2);
    fa_tug_result_free(&r3);
    fa_tug_result_free(&r4);
    fa_data_free(d);
    fa_data_free(d2);
    fa_data_free(d3);
    fa_data_free(d4);
    fa_model_free(m);

    /* a stiff band under the tug column channels tension to its sector */
    fa_model *mb = sheet(NX / 2);
    fa_model *mn = sheet(-1);
    fa_data *db = fa_data_alloc(mb, 0), *dn = fa_data_alloc(mn, 0);
    fa_tug_result rb, rn;
    CHECK(tug(mb, db, &rb) == FA_OK);
    CHECK(tug(mn, dn, &rn) == FA_OK);
    CHECK(rb.cord_peak > 0.0);
    /* with the band, the tug site's sheet carries less (the band takes it) */
    CHECK_MSG(rb.peak_source < rn.peak_source, "band source %g vs none %g", rb.peak_source, rn.peak_source);
    fa_tug_result_free(&rb);
    fa_tug_result_free(&rn);
    fa_data_free(db);
    fa_data_free(dn);
    fa_model_free(mb);
    fa_model_free(mn);

    /* "then it falls back into place": elastic vs viscoelastic sheet, 0.1 s
     * after letting go of a 60 ms hold */
    fa_model *me = sheet_ex(-1, 0), *mv = sheet_ex(-1, 1);
    CHECK(me != NULL && mv != NULL);
    if (me && mv) {
        fa_data *de = fa_data_alloc(me, 0), *dv = fa_data_alloc(mv, 0);
        fa_tug_def def = fa_default_tug_def();
        def.node = nid(NX / 2, NY - 1);
        def.force[1] = 0.5;
        def.ramp = 0.01;
        def.hold = 0.06;
        def.release = 0.1;
        def.sample = 0.002;
        def.nbands = 10;
        def.nsectors = 4;
        fa_tug_result re, rv;
        CHECK(fa_tug_run(me, de, &def, &re, NULL, NULL, NULL) == FA_OK);
        CHECK(fa_tug_run(mv, dv, &def, &rv, NULL, NULL, NULL) == FA_OK);
        if (getenv("FA_TEST_VERBOSE")) fa_tug_print(&rv, stdout);
        double e1, v1, v2, pe = re.tug_peak_disp, pv = rv.tug_peak_disp;
        CHECK(fa_tug_disp_at(&re, FA_TUG_TUG_NODE, re.t_release + 0.02, &e1) == 0);
        CHECK(fa_tug_disp_at(&rv, FA_TUG_TUG_NODE, rv.t_release + 0.02, &v1) == 0);
        CHECK(fa_tug_disp_at(&rv, FA_TUG_TUG_NODE, rv.t_release + 0.1, &v2) == 0);
        if (getenv("FA_TEST_VERBOSE"))
            printf("left after 20 ms: elastic %.4f, viscous %.4f; after 0.1 s viscous %.4f\n", e1 / pe, v1 / pv,
                   v2 / pv);
        CHECK_MSG(fabs(e1) < 0.05 * pe, "the elastic sheet springs back: %.3g of %.3g m left after 20 ms", e1, pe);
        CHECK_MSG(v1 > 0.0 && v1 < 0.5 * pv, "the viscoelastic sheet is on its way back: %.3g of %.3g m", v1, pv);
        CHECK_MSG(v1 / pv > 2.0 * fabs(e1) / pe, "it lags the elastic one: %.3g vs %.3g of the peak", v1 / pv,
                  fabs(e1) / pe);
        CHECK_MSG(v2 < v1 && v2 > -0.05 * pv, "it creeps back into place: %.3g m after 20 ms, %.3g m after 0.1 s", v1,
                  v2);
        fa_tug_result_free(&re);
        fa_tug_result_free(&rv);
        fa_data_free(de);
        fa_data_free(dv);
    }
    fa_model_free(me);
    fa_model_free(mv);
    TEST_MAIN_END();
}
