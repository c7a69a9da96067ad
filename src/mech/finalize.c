/* SPDX-License-Identifier: MIT */
/* fa_model_finalize: derived mechanical fields of a compiled model.
 *
 * Passes, in order:
 *   1. validate indices and parameters (nothing is modified on error);
 *   2. size the derived arrays: node adjacency through elements gives the
 *      3x3 block pattern (CSR per node row, sorted columns, both triangles,
 *      diagonal always present), element slots and the viscoelastic history
 *      layout; reallocate the model when those sizes change;
 *   3. reference geometry: cord rest lengths, membrane local frames
 *      (area, inverse edge matrix, in-plane fibre direction), unit interface
 *      normals;
 *   4. lumped masses: each cord/membrane's mass (mat_rho x volume) split
 *      equally among its nodes, added to any explicit node mass.
 * Call once per model (masses accumulate). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "fascia/mech.h"

#define FA_MIN_CORD_LENGTH 1e-9  /* m */
#define FA_MIN_TRI_AREA 1e-14    /* m^2 */
#define FA_MIN_FIBRE_INPLANE 1e-3 /* -, cos of the fibre's angle to the plane */

static const char *elem_label(const fa_model *m, int e, char *buf, size_t n)
{
    int i;
    fa_kind k = fa_elem_kind(m, e, &i);
    const char *name = "";
    if (k == FA_CORD && m->cord_name) name = fa_model_name(m, m->cord_name[i]);
    if (k == FA_MUSCLE && m->muscle_name) name = fa_model_name(m, m->muscle_name[i]);
    if (name[0])
        snprintf(buf, n, "%s %d '%s' (element %d)", fa_kind_str(k), i, name, e);
    else
        snprintf(buf, n, "%s %d (element %d)", fa_kind_str(k), i, e);
    return buf;
}

static fa_status validate(const fa_model *m, fa_error *err)
{
    char lb[320];
    if (m->nelem != m->ncord + m->nmem + m->nintf + m->nmuscle)
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0,
                            "model: expected nelem = ncord + nmem + nintf + nmuscle = %d, found %d",
                            m->ncord + m->nmem + m->nintf + m->nmuscle, m->nelem);
    for (int j = 0; j < m->nmat; j++) {
        const char *mn = fa_model_name(m, m->mat_name[j]);
        if (!(m->mat_E[j] >= 0) || !(m->mat_toe[j] >= 0) || !(m->mat_Em[j] >= 0) || !(m->mat_rho[j] >= 0) ||
            !(m->mat_beta[j] >= 0))
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                "material %d '%s': expected E, toe, Em, rho, beta >= 0, found E=%g toe=%g "
                                "Em=%g rho=%g beta=%g",
                                j, mn, m->mat_E[j], m->mat_toe[j], m->mat_Em[j], m->mat_rho[j], m->mat_beta[j]);
        if (!(m->mat_nu[j] > -1.0 && m->mat_nu[j] < 0.5))
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                "material %d '%s': expected -1 < nu < 0.5, found %g", j, mn, m->mat_nu[j]);
        if (!(m->mat_fib2_frac[j] >= 0 && m->mat_fib2_frac[j] <= 1))
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                "material %d '%s': expected 0 <= fib2_frac <= 1, found %g", j, mn,
                                m->mat_fib2_frac[j]);
        int a = m->mat_prony_adr[j], n = m->mat_prony_num[j];
        if (n < 0 || (n > 0 && (a < 0 || a + n > m->nprony)))
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                "material %d '%s': Prony terms [%d, %d) outside [0, %d)", j, mn, a, a + n,
                                m->nprony);
        double gs = 0;
        for (int p = a; p < a + n; p++) {
            if (!(m->prony_g[p] >= 0) || !(m->prony_tau[p] > 0))
                return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                    "material %d '%s': expected Prony g >= 0 and tau > 0, found g=%g tau=%g",
                                    j, mn, m->prony_g[p], m->prony_tau[p]);
            gs += m->prony_g[p];
        }
        if (gs > 1.0)
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                "material %d '%s': expected sum of Prony g <= 1, found %g", j, mn, gs);
    }
    for (int e = 0; e < m->nelem; e++) {
        int nodes[3];
        int k = fa_elem_nodes(m, e, nodes);
        for (int a = 0; a < k; a++) {
            if (nodes[a] < 0 || nodes[a] >= m->nnode)
                return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                    "%s: expected node index in [0, %d), found %d",
                                    elem_label(m, e, lb, sizeof lb), m->nnode, nodes[a]);
            for (int b = 0; b < a; b++)
                if (nodes[a] == nodes[b])
                    return fa_error_set(err, FA_ERR_GEOMETRY, NULL, 0, 0,
                                        "%s: expected distinct nodes, found node %d twice",
                                        elem_label(m, e, lb, sizeof lb), nodes[a]);
        }
    }
    for (int i = 0; i < m->ncord; i++) {
        int e = i;
        if (m->cord_mat[i] < 0 || m->cord_mat[i] >= m->nmat)
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "%s: expected material index in [0, %d), found %d",
                                elem_label(m, e, lb, sizeof lb), m->nmat, m->cord_mat[i]);
        if (!(m->cord_area[i] > 0))
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "%s: expected area > 0 m^2, found %g",
                                elem_label(m, e, lb, sizeof lb), m->cord_area[i]);
        if (!(m->cord_prestrain[i] > -1))
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "%s: expected prestrain > -1, found %g",
                                elem_label(m, e, lb, sizeof lb), m->cord_prestrain[i]);
        double dx[3];
        fa_sub3(dx, m->node_pos0 + 3 * m->cord_node[2 * i + 1], m->node_pos0 + 3 * m->cord_node[2 * i]);
        double L = sqrt(fa_dot3(dx, dx));
        if (!(L >= FA_MIN_CORD_LENGTH))
            return fa_error_set(err, FA_ERR_GEOMETRY, NULL, 0, 0,
                                "%s: expected a cord length >= %g m, found %g m (zero-length cord)",
                                elem_label(m, e, lb, sizeof lb), FA_MIN_CORD_LENGTH, L);
    }
    for (int i = 0; i < m->nmem; i++) {
        int e = m->ncord + i;
        if (m->mem_mat[i] < 0 || m->mem_mat[i] >= m->nmat)
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "%s: expected material index in [0, %d), found %d",
                                elem_label(m, e, lb, sizeof lb), m->nmat, m->mem_mat[i]);
        if (!(m->mem_thick[i] > 0))
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "%s: expected thickness > 0 m, found %g",
                                elem_label(m, e, lb, sizeof lb), m->mem_thick[i]);
        const int *n = m->mem_node + 3 * i;
        double e1[3], e2[3], nn[3];
        fa_sub3(e1, m->node_pos0 + 3 * n[1], m->node_pos0 + 3 * n[0]);
        fa_sub3(e2, m->node_pos0 + 3 * n[2], m->node_pos0 + 3 * n[0]);
        fa_cross3(nn, e1, e2);
        double A = 0.5 * sqrt(fa_dot3(nn, nn));
        if (!(A >= FA_MIN_TRI_AREA))
            return fa_error_set(err, FA_ERR_GEOMETRY, NULL, 0, 0,
                                "%s: expected a triangle area >= %g m^2, found %g m^2 (degenerate triangle)",
                                elem_label(m, e, lb, sizeof lb), FA_MIN_TRI_AREA, A);
        const double *fb = m->mem_fibre + 3 * i;
        double fl = sqrt(fa_dot3(fb, fb));
        double unit_n[3] = {nn[0] / (2 * A), nn[1] / (2 * A), nn[2] / (2 * A)};
        double fn = fl > 0 ? fa_dot3(fb, unit_n) / fl : 1.0;
        double inplane = sqrt(fmax(0.0, 1.0 - fn * fn));
        if (!(fl > 0) || !(inplane >= FA_MIN_FIBRE_INPLANE))
            return fa_error_set(err, FA_ERR_GEOMETRY, NULL, 0, 0,
                                "%s: expected a fibre direction in the triangle's plane, found (%g, %g, %g) "
                                "parallel to the normal",
                                elem_label(m, e, lb, sizeof lb), fb[0], fb[1], fb[2]);
    }
    for (int i = 0; i < m->nintf; i++) {
        int e = m->ncord + m->nmem + i;
        const double *nv = m->intf_normal + 3 * i;
        if (!(sqrt(fa_dot3(nv, nv)) > 1e-12))
            return fa_error_set(err, FA_ERR_GEOMETRY, NULL, 0, 0, "%s: expected a non-zero normal, found (%g, %g, %g)",
                                elem_label(m, e, lb, sizeof lb), nv[0], nv[1], nv[2]);
        if (!(m->intf_area[i] > 0) || !(m->intf_h[i] > 0) || !(m->intf_G[i] >= 0) || !(m->intf_eta[i] >= 0) ||
            !(m->intf_kn[i] >= 0))
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                "%s: expected area > 0, h > 0, G >= 0, eta >= 0, kn >= 0, found area=%g h=%g "
                                "G=%g eta=%g kn=%g",
                                elem_label(m, e, lb, sizeof lb), m->intf_area[i], m->intf_h[i], m->intf_G[i],
                                m->intf_eta[i], m->intf_kn[i]);
    }
    for (int i = 0; i < m->nmuscle; i++) {
        int e = m->ncord + m->nmem + m->nintf + i;
        if (!(m->muscle_fmax[i] >= 0) || !(m->muscle_lopt[i] > 0) || !(m->muscle_vmax[i] > 0) ||
            !(m->muscle_lslack[i] >= 0))
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                "%s: expected fmax >= 0, lopt > 0, vmax > 0, lslack >= 0, found fmax=%g lopt=%g "
                                "vmax=%g lslack=%g",
                                elem_label(m, e, lb, sizeof lb), m->muscle_fmax[i], m->muscle_lopt[i],
                                m->muscle_vmax[i], m->muscle_lslack[i]);
    }
    return FA_OK;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Block pattern into caller arrays. cnt/adr: nnode+1 ints scratch; cols: scratch
 * of capacity cap. Returns the number of blocks (rows compacted into cols) and
 * fills rowadr/rownum. */
static int build_pattern(const fa_model *m, int *rowadr, int *rownum, int *cols, int *fill)
{
    int nn = m->nnode;
    /* upper-bound row sizes: 1 (diagonal) + sum over incident elements of k */
    for (int i = 0; i < nn; i++) rownum[i] = 1;
    for (int e = 0; e < m->nelem; e++) {
        int nodes[3], k = fa_elem_nodes(m, e, nodes);
        for (int a = 0; a < k; a++) rownum[nodes[a]] += k;
    }
    int tot = 0;
    for (int i = 0; i < nn; i++) {
        rowadr[i] = tot;
        tot += rownum[i];
        fill[i] = 0;
    }
    for (int i = 0; i < nn; i++) cols[rowadr[i] + fill[i]++] = i;
    for (int e = 0; e < m->nelem; e++) {
        int nodes[3], k = fa_elem_nodes(m, e, nodes);
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++) cols[rowadr[nodes[a]] + fill[nodes[a]]++] = nodes[b];
    }
    /* sort + unique each row, compacting in place */
    int out = 0;
    for (int i = 0; i < nn; i++) {
        int *r = cols + rowadr[i];
        int n = fill[i];
        qsort(r, (size_t)n, sizeof(int), cmp_int);
        int start = out;
        for (int j = 0; j < n; j++)
            if (j == 0 || r[j] != r[j - 1]) cols[out++] = r[j];
        rowadr[i] = start;
        rownum[i] = out - start;
    }
    return out;
}

int fa_visc_size(const fa_model *m, fa_kind kind, int mat)
{
    if (mat < 0 || mat >= m->nmat) return 0;
    int np = m->mat_prony_num[mat];
    if (np <= 0) return 0;
    if (kind == FA_CORD) return 1 + np;
    if (kind == FA_MEMBRANE) return 5 * (1 + np);
    return 0;
}

static int find_block(const fa_model *m, int row, int col)
{
    const int *c = m->blk_col + m->blk_rowadr[row];
    int lo = 0, hi = m->blk_rownum[row] - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (c[mid] == col) return m->blk_rowadr[row] + mid;
        if (c[mid] < col) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

fa_status fa_model_finalize(fa_model **mp, fa_error *err)
{
    if (!mp || !*mp) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_model_finalize: expected a model, found NULL");
    fa_model *m0 = *mp;
    fa_status st = validate(m0, err);
    if (st != FA_OK) return st;

    /* --- sizes --- */
    int nn = m0->nnode;
    long cap = nn;
    for (int e = 0; e < m0->nelem; e++) {
        int nodes[3];
        int k = fa_elem_nodes(m0, e, nodes);
        cap += (long)k * k;
    }
    int *rowadr = (int *)malloc(sizeof(int) * (size_t)(nn > 0 ? nn : 1));
    int *rownum = (int *)malloc(sizeof(int) * (size_t)(nn > 0 ? nn : 1));
    int *fill = (int *)malloc(sizeof(int) * (size_t)(nn > 0 ? nn : 1));
    int *cols = (int *)malloc(sizeof(int) * (size_t)(cap > 0 ? cap : 1));
    if (!rowadr || !rownum || !fill || !cols) {
        free(rowadr), free(rownum), free(fill), free(cols);
        return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "fa_model_finalize: out of memory");
    }
    int nblock = build_pattern(m0, rowadr, rownum, cols, fill);
    int nslot = 0, nvisc = 0;
    for (int e = 0; e < m0->nelem; e++) {
        int nodes[3], loc;
        int k = fa_elem_nodes(m0, e, nodes);
        nslot += k * k;
        fa_kind kind = fa_elem_kind(m0, e, &loc);
        if (kind == FA_CORD) nvisc += fa_visc_size(m0, kind, m0->cord_mat[loc]);
        if (kind == FA_MEMBRANE) nvisc += fa_visc_size(m0, kind, m0->mem_mat[loc]);
    }

    fa_model *m = m0;
    if (m0->nblock != nblock || m0->nslot != nslot || m0->nvisc != nvisc) {
        fa_model sz = *m0;
        sz.nblock = nblock;
        sz.nslot = nslot;
        sz.nvisc = nvisc;
        m = fa_model_alloc(&sz);
        if (!m) {
            free(rowadr), free(rownum), free(fill), free(cols);
            return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "fa_model_finalize: out of memory");
        }
        m->opt = m0->opt;
        /* copy primary fields; derived arrays whose size changed are recomputed below */
#define COPY_(type, name, rows, cols_, doc)                                                          \
    if (m->rows > 0 && m->rows == m0->rows)                                                          \
        memcpy(m->name, m0->name, (size_t)m->rows * (size_t)(cols_) * sizeof(type));
        FA_MODEL_ARRAYS(COPY_)
#undef COPY_
    }

    /* --- pattern --- */
    if (nn > 0) {
        memcpy(m->blk_rowadr, rowadr, sizeof(int) * (size_t)nn);
        memcpy(m->blk_rownum, rownum, sizeof(int) * (size_t)nn);
    }
    if (nblock > 0) memcpy(m->blk_col, cols, sizeof(int) * (size_t)nblock);
    free(rowadr), free(rownum), free(fill), free(cols);

    int slot = 0, vadr = 0;
    for (int e = 0; e < m->nelem; e++) {
        int nodes[3], loc;
        int k = fa_elem_nodes(m, e, nodes);
        m->elem_slot_adr[e] = slot;
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++) {
                int blk = find_block(m, nodes[a], nodes[b]);
                FA_ASSERT(blk >= 0);
                m->elem_slot[slot++] = blk;
            }
        m->elem_visc_adr[e] = vadr;
        fa_kind kind = fa_elem_kind(m, e, &loc);
        if (kind == FA_CORD) vadr += fa_visc_size(m, kind, m->cord_mat[loc]);
        if (kind == FA_MEMBRANE) vadr += fa_visc_size(m, kind, m->mem_mat[loc]);
    }

    /* --- reference geometry and masses --- */
    for (int i = 0; i < m->ncord; i++) {
        const int *n = m->cord_node + 2 * i;
        double dx[3];
        fa_sub3(dx, m->node_pos0 + 3 * n[1], m->node_pos0 + 3 * n[0]);
        double L = sqrt(fa_dot3(dx, dx));
        m->cord_L0[i] = L / (1.0 + m->cord_prestrain[i]);
        double mass = m->mat_rho[m->cord_mat[i]] * m->cord_area[i] * L;
        m->node_mass[n[0]] += 0.5 * mass;
        m->node_mass[n[1]] += 0.5 * mass;
    }
    for (int i = 0; i < m->nmem; i++) {
        const int *n = m->mem_node + 3 * i;
        double a1[3], a2[3], nv[3], e1[3], e2[3];
        fa_sub3(a1, m->node_pos0 + 3 * n[1], m->node_pos0 + 3 * n[0]);
        fa_sub3(a2, m->node_pos0 + 3 * n[2], m->node_pos0 + 3 * n[0]);
        fa_cross3(nv, a1, a2);
        double nl = sqrt(fa_dot3(nv, nv));
        double l1 = sqrt(fa_dot3(a1, a1));
        for (int c = 0; c < 3; c++) {
            e1[c] = a1[c] / l1;
            nv[c] /= nl;
        }
        fa_cross3(e2, nv, e1);
        /* Dm = [[e1.a1, e1.a2], [e2.a1, e2.a2]] (columns = reference edges) */
        double D00 = fa_dot3(e1, a1), D01 = fa_dot3(e1, a2), D10 = fa_dot3(e2, a1), D11 = fa_dot3(e2, a2);
        double det = D00 * D11 - D01 * D10;
        double *Di = m->mem_Dminv + 4 * i;
        Di[0] = D11 / det;
        Di[1] = -D01 / det;
        Di[2] = -D10 / det;
        Di[3] = D00 / det;
        m->mem_area0[i] = 0.5 * nl;
        const double *fb = m->mem_fibre + 3 * i;
        double f1 = fa_dot3(fb, e1), f2 = fa_dot3(fb, e2), fl = sqrt(f1 * f1 + f2 * f2);
        m->mem_fib2d[2 * i] = f1 / fl;
        m->mem_fib2d[2 * i + 1] = f2 / fl;
        double mass = m->mat_rho[m->mem_mat[i]] * m->mem_area0[i] * m->mem_thick[i];
        for (int a = 0; a < 3; a++) m->node_mass[n[a]] += mass / 3.0;
    }
    for (int i = 0; i < m->nintf; i++) {
        double *nv = m->intf_normal + 3 * i;
        double l = sqrt(fa_dot3(nv, nv));
        for (int c = 0; c < 3; c++) nv[c] /= l;
    }

    if (m != m0) {
        fa_model_free(m0);
        *mp = m;
    }
    return FA_OK;
}
