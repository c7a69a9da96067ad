/* SPDX-License-Identifier: MIT */
/* Test-only reference models for the solvers: node grids joined by cords
 * whose sparsity pattern is built here (independent of the mechanics
 * stage's fa_model_finalize), and a reference assembly of linear axial
 * springs (k = E A / L0, energy 1/2 k (l - L0)^2, optionally tension-only,
 * axial damping c = beta k). Used to exercise the linear solvers and the
 * Newton drivers against closed-form answers. Not part of the library. */
#ifndef FA_TEST_SPRINGS_H
#define FA_TEST_SPRINGS_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/data.h"
#include "fascia/model.h"

static int springs_tension_only __attribute__((unused)) = 0;

static inline int cmp_int_(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Fill the block pattern (both triangles, sorted) and cord slots of a model
 * whose nodes and cords are set; returns a new model with nblock/nslot sized. */
static inline fa_model *springs_pattern(fa_model *m0)
{
    int nn = m0->nnode, nc = m0->ncord;
    int *deg = (int *)calloc((size_t)nn, sizeof(int));
    for (int c = 0; c < nc; c++) {
        deg[m0->cord_node[2 * c]]++;
        deg[m0->cord_node[2 * c + 1]]++;
    }
    int *adr = (int *)calloc((size_t)nn + 1, sizeof(int));
    for (int i = 0; i < nn; i++) adr[i + 1] = adr[i] + deg[i] + 1;
    int *cols = (int *)malloc((size_t)adr[nn] * sizeof(int));
    int *cnt = (int *)calloc((size_t)nn, sizeof(int));
    for (int i = 0; i < nn; i++) cols[adr[i] + cnt[i]++] = i;
    for (int c = 0; c < nc; c++) {
        int a = m0->cord_node[2 * c], b = m0->cord_node[2 * c + 1];
        cols[adr[a] + cnt[a]++] = b;
        cols[adr[b] + cnt[b]++] = a;
    }
    /* sort and unique per row */
    fa_model s = *m0;
    int nb = 0;
    for (int i = 0; i < nn; i++) {
        qsort(cols + adr[i], (size_t)cnt[i], sizeof(int), cmp_int_);
        int u = 0;
        for (int k = 0; k < cnt[i]; k++)
            if (u == 0 || cols[adr[i] + k] != cols[adr[i] + u - 1]) cols[adr[i] + u++] = cols[adr[i] + k];
        cnt[i] = u;
        nb += u;
    }
    s.nblock = nb;
    s.nslot = 4 * nc;
    fa_model *m = fa_model_alloc(&s);
    /* copy primary arrays */
    memcpy(m->mat_E, m0->mat_E, (size_t)m0->nmat * sizeof(double));
    memcpy(m->mat_beta, m0->mat_beta, (size_t)m0->nmat * sizeof(double));
    memcpy(m->node_body, m0->node_body, (size_t)nn * sizeof(int));
    memcpy(m->node_pos0, m0->node_pos0, (size_t)nn * 3 * sizeof(double));
    memcpy(m->node_local, m0->node_local, (size_t)nn * 3 * sizeof(double));
    memcpy(m->node_mass, m0->node_mass, (size_t)nn * sizeof(double));
    memcpy(m->cord_node, m0->cord_node, (size_t)nc * 2 * sizeof(int));
    memcpy(m->cord_mat, m0->cord_mat, (size_t)nc * sizeof(int));
    memcpy(m->cord_area, m0->cord_area, (size_t)nc * sizeof(double));
    memcpy(m->cord_L0, m0->cord_L0, (size_t)nc * sizeof(double));
    m->opt = m0->opt;
    int p = 0;
    for (int i = 0; i < nn; i++) {
        m->blk_rowadr[i] = p;
        m->blk_rownum[i] = cnt[i];
        for (int k = 0; k < cnt[i]; k++) m->blk_col[p++] = cols[adr[i] + k];
    }
    for (int c = 0; c < nc; c++) {
        int nd[2] = {m->cord_node[2 * c], m->cord_node[2 * c + 1]};
        m->elem_slot_adr[c] = 4 * c;
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++) {
                int r = nd[a], want = nd[b], slot = -1;
                for (int k = m->blk_rowadr[r]; k < m->blk_rowadr[r] + m->blk_rownum[r]; k++)
                    if (m->blk_col[k] == want) slot = k;
                m->elem_slot[4 * c + 2 * a + b] = slot;
            }
    }
    free(deg);
    free(adr);
    free(cols);
    free(cnt);
    fa_model_free(m0);
    return m;
}

/* A flat nx x ny grid in the x-y plane, spacing dx (m), joined by cords along
 * grid edges and one diagonal per cell; node mass `mass` (kg); cord EA (N)
 * from E (Pa) and area (m^2); the nodes of column 0 fixed to ground. */
static inline fa_model *springs_grid(int nx, int ny, double dx, double E, double area, double mass)
{
    fa_model s;
    memset(&s, 0, sizeof s);
    s.nmat = 1;
    s.nnode = nx * ny;
    s.ncord = (nx - 1) * ny + nx * (ny - 1) + (nx - 1) * (ny - 1);
    s.nelem = s.ncord;
    fa_model *m = fa_model_alloc(&s);
    m->mat_E[0] = E;
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            int n = j * nx + i;
            m->node_pos0[3 * n] = i * dx;
            m->node_pos0[3 * n + 1] = j * dx;
            m->node_body[n] = i == 0 ? -2 : -1;
            m->node_mass[n] = mass;
        }
    int c = 0;
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            int n = j * nx + i;
            if (i + 1 < nx) { m->cord_node[2 * c] = n; m->cord_node[2 * c + 1] = n + 1; c++; }
            if (j + 1 < ny) { m->cord_node[2 * c] = n; m->cord_node[2 * c + 1] = n + nx; c++; }
            if (i + 1 < nx && j + 1 < ny) { m->cord_node[2 * c] = n; m->cord_node[2 * c + 1] = n + nx + 1; c++; }
        }
    for (c = 0; c < m->ncord; c++) {
        const double *a = m->node_pos0 + 3 * m->cord_node[2 * c], *b = m->node_pos0 + 3 * m->cord_node[2 * c + 1];
        double d0 = b[0] - a[0], d1 = b[1] - a[1], d2 = b[2] - a[2];
        m->cord_L0[c] = sqrt(d0 * d0 + d1 * d1 + d2 * d2);
        m->cord_area[c] = area;
        m->cord_mat[c] = 0;
    }
    return springs_pattern(m);
}

/* Reference assembly (signature of fa_assemble). */
static inline double springs_assemble(const fa_model *m, fa_data *d, const double *x, const double *v, double h, double *f,
                               double *K, double *C)
{
    (void)h;
    if (f) memset(f, 0, (size_t)m->nnode * 3 * sizeof(double));
    if (K) memset(K, 0, (size_t)m->nblock * 9 * sizeof(double));
    if (C) memset(C, 0, (size_t)m->nblock * 9 * sizeof(double));
    double energy = 0.0;
    for (int c = 0; c < m->ncord; c++) {
        int a = m->cord_node[2 * c], b = m->cord_node[2 * c + 1];
        double L0 = m->cord_L0[c], k = m->mat_E[m->cord_mat[c]] * m->cord_area[c] / L0;
        double cd = m->mat_beta[m->cord_mat[c]] * k;
        double dv[3] = {x[3 * b] - x[3 * a], x[3 * b + 1] - x[3 * a + 1], x[3 * b + 2] - x[3 * a + 2]};
        double l = sqrt(dv[0] * dv[0] + dv[1] * dv[1] + dv[2] * dv[2]);
        double n[3] = {dv[0] / l, dv[1] / l, dv[2] / l};
        int slack = springs_tension_only && l < L0;
        double T = slack ? 0.0 : k * (l - L0);
        double Tv = 0.0;
        if (v && !slack) {
            double rel = (v[3 * b] - v[3 * a]) * n[0] + (v[3 * b + 1] - v[3 * a + 1]) * n[1] +
                         (v[3 * b + 2] - v[3 * a + 2]) * n[2];
            Tv = cd * rel;
        }
        if (!slack) energy += 0.5 * k * (l - L0) * (l - L0);
        if (d) {
            d->elem_force[c] = T;
            d->elem_strain[c] = l / L0 - 1.0;
        }
        if (f)
            for (int r = 0; r < 3; r++) {
                f[3 * a + r] += (T + Tv) * n[r];
                f[3 * b + r] -= (T + Tv) * n[r];
            }
        double Kl[9], Cl[9];
        for (int r = 0; r < 3; r++)
            for (int q = 0; q < 3; q++) {
                double nn = n[r] * n[q];
                Kl[3 * r + q] = slack ? 0.0 : k * nn + T / l * ((r == q) - nn);
                Cl[3 * r + q] = slack ? 0.0 : cd * nn;
            }
        const int *slot = m->elem_slot + m->elem_slot_adr[c];
        for (int p = 0; p < 4; p++) {
            double sg = (p == 0 || p == 3) ? 1.0 : -1.0;
            for (int t = 0; t < 9; t++) {
                if (K) K[9 * slot[p] + t] += sg * Kl[t];
                if (C) C[9 * slot[p] + t] += sg * Cl[t];
            }
        }
    }
    if (d) d->energy = energy;
    return energy;
}

#endif
