/* SPDX-License-Identifier: MIT */
/* Small models for the solver tests, completed by the mechanics stage's
 * fa_model_finalize, with parameters from data/params/tissue_mechanics.csv
 * (row ids in comments). */
#ifndef FA_TEST_SOLVE_MODELS_H
#define FA_TEST_SOLVE_MODELS_H

#include <stdlib.h>
#include <string.h>

#include "fascia/mech.h"
#include "fascia/model.h"

#define TM_PI 3.14159265358979323846

static inline void tm_material(fa_model *m, int j, double E, double toe, double Em, double nu, double frac)
{
    m->mat_name[j] = -1;
    m->mat_cite[j] = -1;
    m->mat_E[j] = E;
    m->mat_toe[j] = toe;
    m->mat_Em[j] = Em;
    m->mat_nu[j] = nu;
    m->mat_rho[j] = 1.12e3;                     /* fascia_rho */
    m->mat_fail[j] = 0.1411;                    /* deep_fail_strain */
    m->mat_fib2_angle[j] = 1.36;                /* fl_fib2_angle */
    m->mat_fib2_frac[j] = frac;
    m->mat_grade[j] = 'C';
}

/* One cord from a ground-fixed node 0 to a free node 1 along +x. */
static inline fa_model *tm_cord(double L, double E, double toe, double area, int nprony, const double *g,
                                const double *tau)
{
    fa_model s;
    memset(&s, 0, sizeof s);
    s.nmat = 1;
    s.nprony = nprony;
    s.nnode = 2;
    s.ncord = 1;
    s.nelem = 1;
    s.nnamechar = 8;
    fa_model *m = fa_model_alloc(&s);
    tm_material(m, 0, E, toe, 0.0, 0.0, 0.0);
    m->mat_prony_adr[0] = 0;
    m->mat_prony_num[0] = nprony;
    for (int p = 0; p < nprony; p++) {
        m->prony_g[p] = g[p];
        m->prony_tau[p] = tau[p];
    }
    m->node_name[0] = m->node_name[1] = -1;
    m->node_body[0] = -2;
    m->node_body[1] = -1;
    m->node_pos0[3] = L;
    m->cord_name[0] = -1;
    m->cord_node[0] = 0;
    m->cord_node[1] = 1;
    m->cord_area[0] = area;
    fa_error err;
    if (fa_model_finalize(&m, &err) != FA_OK) {
        fa_model_free(m);
        return NULL;
    }
    return m;
}

/* A flat sheet of nx x ny nodes (spacing dx along x, dy along y) in the
 * x-y plane, two triangles per cell (counter-clockwise seen from +z),
 * fibres along x. Column 0 is anchored to body 0 (origin at the world
 * origin). Material 0: sheet (E, toe, Em, nu, fib2 share frac, thickness t).
 * With ncordrow > 0, cords of material 1 (E_cord, area_cord) run along the
 * first ncordrow rows between neighbouring nodes. */
static int tm_sheet_interfaces = 0; /* set to 1: every free node glides over a fixed substrate node */
static int tm_sheet_nprony = 0;      /* Prony terms of the sheet material (tm_sheet_g, tm_sheet_tau) */
static double tm_sheet_g[2], tm_sheet_tau[2];

static inline fa_model *tm_sheet(int nx, int ny, double dx, double dy, double E, double toe, double Em, double nu,
                                 double frac, double t, int ncordrow, double E_cord, double area_cord)
{
    fa_model s;
    memset(&s, 0, sizeof s);
    int nintf = tm_sheet_interfaces ? (nx - 1) * ny : 0;
    s.nmat = 2;
    s.nprony = tm_sheet_nprony;
    s.nbody = 1;
    s.nnode = nx * ny + nintf;
    s.nmem = 2 * (nx - 1) * (ny - 1);
    s.ncord = ncordrow * (nx - 1);
    s.nintf = nintf;
    s.nelem = s.nmem + s.ncord + s.nintf;
    s.nnamechar = 8;
    fa_model *m = fa_model_alloc(&s);
    tm_material(m, 0, E, toe, Em, nu, frac);
    tm_material(m, 1, E_cord, toe, 0.0, 0.0, 0.0);
    m->mat_prony_num[0] = tm_sheet_nprony;
    for (int p = 0; p < tm_sheet_nprony; p++) {
        m->prony_g[p] = tm_sheet_g[p];
        m->prony_tau[p] = tm_sheet_tau[p];
    }
    m->body_name[0] = -1;
    m->body_parent[0] = -1;
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            int n = j * nx + i;
            m->node_name[n] = -1;
            m->node_pos0[3 * n] = i * dx;
            m->node_pos0[3 * n + 1] = j * dy;
            m->node_body[n] = i == 0 ? 0 : -1;
            if (i == 0) memcpy(m->node_local + 3 * n, m->node_pos0 + 3 * n, 3 * sizeof(double));
        }
    int e = 0;
    for (int j = 0; j + 1 < ny; j++)
        for (int i = 0; i + 1 < nx; i++) {
            int a = j * nx + i, b = a + 1, c = a + nx + 1, d = a + nx;
            int tri[6] = {a, b, c, a, c, d};
            for (int q = 0; q < 2; q++, e++) {
                memcpy(m->mem_node + 3 * e, tri + 3 * q, 3 * sizeof(int));
                m->mem_mat[e] = 0;
                m->mem_thick[e] = t;
                m->mem_fibre[3 * e] = 1.0;
            }
        }
    int c = 0;
    for (int j = 0; j < ncordrow; j++)
        for (int i = 0; i + 1 < nx; i++, c++) {
            m->cord_name[c] = -1;
            m->cord_node[2 * c] = j * nx + i;
            m->cord_node[2 * c + 1] = j * nx + i + 1;
            m->cord_mat[c] = 1;
            m->cord_area[c] = area_cord;
        }
    /* interfaces: loose connective layer under the sheet (lct_G 920 Pa,
     * lct_h 43 um, ha_eta 1 Pa s; tributary area dx*dy; normal stiffness
     * 10x the tangential one: a test assumption, no table value) */
    for (int k = 0, q = 0; k < nx * ny; k++) {
        if (!nintf || m->node_body[k] != -1) continue;
        int sub = nx * ny + q;
        m->node_name[sub] = -1;
        m->node_body[sub] = -2;
        memcpy(m->node_pos0 + 3 * sub, m->node_pos0 + 3 * k, 3 * sizeof(double));
        m->intf_node[2 * q] = k;
        m->intf_node[2 * q + 1] = sub;
        m->intf_normal[3 * q + 2] = 1.0;
        m->intf_area[q] = dx * dy;
        m->intf_G[q] = 920.0;
        m->intf_h[q] = 43e-6;
        m->intf_eta[q] = 1.0;
        m->intf_kn[q] = 10.0 * 920.0 * dx * dy / 43e-6;
        q++;
    }
    fa_error err;
    if (fa_model_finalize(&m, &err) != FA_OK) {
        fa_model_free(m);
        return NULL;
    }
    return m;
}

#endif
