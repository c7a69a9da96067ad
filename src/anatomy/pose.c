/* SPDX-License-Identifier: MIT */
/* Postures on a compiled body and the body summary.
 *
 * The runner body's frames are the world frame at the reference pose (see
 * include/fascia/anatomy.h), so the pose of model body b in an OpenSim pose
 * is the rigid displacement of the OpenSim body from its reference pose:
 *   R = R_q R_ref^T,  p = p_q - R p_ref,
 * which maps a reference world point x_ref to R x_ref + p = T_q T_ref^-1 x_ref. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "anatomy_internal.h"

int fa_anatomy_set_body_poses(const fa_model *m, const fa_osim *osim, const fa_osim_pose *ref,
                              const fa_osim_pose *pose, fa_data *d)
{
    int matched = 0;
    for (int b = 0; b < m->nbody; b++) {
        double *R = d->body_xmat + 9 * b, *p = d->body_xpos + 3 * b;
        int ob = fa_osim_find_body(osim, fa_model_name(m, m->body_name[b]));
        if (ob < 0) {
            memset(R, 0, 9 * sizeof(double));
            R[0] = R[4] = R[8] = 1.0;
            memset(p, 0, 3 * sizeof(double));
            continue;
        }
        const double *Rq = pose->body_R + 9 * ob, *Rr = ref->body_R + 9 * ob;
        const double *pq = pose->body_p + 3 * ob, *pr = ref->body_p + 3 * ob;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) s += Rq[3 * i + k] * Rr[3 * j + k];
                R[3 * i + j] = s;
            }
        for (int i = 0; i < 3; i++) p[i] = pq[i] - (R[3 * i] * pr[0] + R[3 * i + 1] * pr[1] + R[3 * i + 2] * pr[2]);
        matched++;
    }
    return matched;
}

int fa_anatomy_carry_free_nodes(const fa_model *m, fa_data *d)
{
    int moved = 0;
    for (int i = 0; i < m->nintf; i++) {
        int s = m->intf_node[2 * i], b = m->intf_node[2 * i + 1];
        if (m->node_body[s] != -1 || m->node_body[b] < 0) continue;
        const double *R = d->body_xmat + 9 * m->node_body[b];
        double r[3];
        for (int k = 0; k < 3; k++) r[k] = m->node_pos0[3 * s + k] - m->node_pos0[3 * b + k];
        for (int k = 0; k < 3; k++) d->x[3 * s + k] = d->x[3 * b + k] + R[3 * k] * r[0] + R[3 * k + 1] * r[1] + R[3 * k + 2] * r[2];
        moved++;
    }
    return moved;
}

static double node_dist(const fa_model *m, int a, int b)
{
    double s = 0;
    for (int k = 0; k < 3; k++) {
        double d = m->node_pos0[3 * a + k] - m->node_pos0[3 * b + k];
        s += d * d;
    }
    return sqrt(s);
}

double fa_line_length(const fa_model *m, int l, int *ntri)
{
    double L = 0;
    int nt = 0;
    for (int k = 0; k < m->line_num[l]; k++) {
        int e = m->line_elem[m->line_adr[l] + k], loc, nodes[3];
        fa_kind kind = fa_elem_kind(m, e, &loc);
        if (kind == FA_MEMBRANE) nt++;
        if (kind != FA_CORD && kind != FA_MUSCLE) continue;
        fa_elem_nodes(m, e, nodes);
        L += node_dist(m, nodes[0], nodes[1]);
    }
    if (ntri) *ntri = nt;
    return L;
}

void fa_body_print(const fa_model *m, FILE *f)
{
    fprintf(f, "bodies %d, landmarks %d, nodes %d\n", m->nbody, m->nlandmark, m->nnode);
    fprintf(f, "elements %d: cords %d, membranes %d, interfaces %d, muscles %d\n", m->nelem, m->ncord, m->nmem, m->nintf,
            m->nmuscle);
    fprintf(f, "\nlines %d (length = reference length of the line's cords and muscles):\n", m->nline);
    fprintf(f, "  %-8s %6s %9s %9s %6s\n", "line", "grade", "elements", "length_m", "tris");
    for (int l = 0; l < m->nline; l++) {
        int nt;
        double L = fa_line_length(m, l, &nt);
        fprintf(f, "  %-8s %6c %9d %9.3f %6d\n", fa_model_name(m, m->line_name[l]), m->line_grade[l], m->line_num[l], L, nt);
    }
    fprintf(f, "\nstructures:\n");
    for (int r = 0; r < m->nregion; r++) {
        const char *nm = fa_model_name(m, m->region_name[r]);
        if (strncmp(nm, "structure.", 10)) continue;
        int n[FA_NKIND] = {0};
        for (int k = 0; k < m->region_num[r]; k++) {
            int loc;
            n[fa_elem_kind(m, m->region_elem[m->region_adr[r] + k], &loc)]++;
        }
        fprintf(f, "  %-34s cords %4d  membranes %4d  interfaces %4d  muscles %3d\n", nm + 10, n[FA_CORD], n[FA_MEMBRANE],
                n[FA_INTERFACE], n[FA_MUSCLE]);
    }
    fprintf(f, "\nregions:\n");
    for (int r = 0; r < m->nregion; r++) {
        const char *nm = fa_model_name(m, m->region_name[r]);
        if (!strncmp(nm, "structure.", 10)) continue;
        fprintf(f, "  %-24s %5d elements\n", nm, m->region_num[r]);
    }
}
