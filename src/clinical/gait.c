/* SPDX-License-Identifier: MIT */
/* Gait energy: one stride of a recorded OpenSim motion replayed through the
 * fascial network (include/fascia/clinical.h, fa_gait_stride).
 *
 * The stride is one cycle of def.cycle_coord (default hip_flexion_r): from
 * its first upward crossing of its mean to the next. N frames are replayed
 * (every recorded frame, or def.frames evenly spaced) plus the first frame
 * of the next cycle, so the stride closes: the energy stored (sum of the
 * increases of an element's elastic energy between consecutive frames) and
 * returned (sum of the decreases) are then equal up to the difference
 * between the motion's start and end, and both are >= max - min. Each
 * frame is a relaxed static equilibrium (quasi-static: fascial node masses
 * are grams and the stride ~0.7 s), warm-started from the previous frame;
 * body poses are taken relative to the pelvis. Strain rate = |d strain| / dt
 * between replayed frames. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/internal.h"
#include "fascia/clinical.h"
#include "fascia/mech.h"
#include "fascia/sim.h"

fa_gait_def fa_gait_default_def(void)
{
    fa_gait_def g;
    g.frames = 0;
    g.cycle_coord = "hip_flexion_r";
    g.maxiter = 100;
    return g;
}

void fa_gait_result_free(fa_gait_result *r)
{
    if (!r) return;
    free(r->strain_peak);
    free(r->strain_min);
    free(r->rate_peak);
    free(r->stored);
    free(r->returned);
    memset(r, 0, sizeof *r);
}

static uint64_t state_hash(const fa_model *m, const fa_data *d)
{
    uint64_t h = 1469598103934665603ULL;
    size_t ne = (size_t)m->nelem * sizeof(double), ni = (size_t)m->nintf * sizeof(double);
    h = fa_fnv1a(h, d->tis_hyd, ne);
    h = fa_fnv1a(h, d->tis_dens, ne);
    h = fa_fnv1a(h, d->tis_xlink, ne);
    h = fa_fnv1a(h, d->tis_thick, ne);
    h = fa_fnv1a(h, d->tis_rest, ne);
    h = fa_fnv1a(h, d->tis_tone, ne);
    h = fa_fnv1a(h, d->tis_damage, ne);
    h = fa_fnv1a(h, d->tis_temp, ne);
    h = fa_fnv1a(h, d->intf_visc, ni);
    h = fa_fnv1a(h, d->intf_adh, ni);
    h = fa_fnv1a(h, d->intf_slide, 3 * ni);
    return h;
}


fa_status fa_gait_stride(const fa_model *m, fa_data *d, const fa_osim *osim, const fa_osim_pose *ref,
                         const fa_osim_motion *mot, const fa_gait_def *gdef, fa_gait_result *res, fa_error *err)
{
    fa_gait_def g = gdef ? *gdef : fa_gait_default_def();
    uint64_t key = state_hash(m, d);
    if (res->nelem == m->nelem && res->stored && res->state_hash == key && res->frames_req == g.frames &&
        !strcmp(res->motion, mot->file)) {
        res->cached = 1;
        return FA_OK;
    }
    fa_gait_result_free(res);
    int q = fa_osim_find_coord(osim, g.cycle_coord ? g.cycle_coord : "hip_flexion_r");
    int *col = (int *)calloc((size_t)(osim->ncoord > 0 ? osim->ncoord : 1), sizeof(int));
    if (!col) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "gait");
    fa_osim_motion_def md = FA_OSIM_MOTION_DEF_DEFAULT;
    fa_status st = fa_osim_motion_bind(osim, mot, &md, col, err);
    if (st) {
        free(col);
        return st;
    }
    int c = q >= 0 ? col[q] : -1;
    if (c < 0 || mot->nframe < 4) {
        free(col);
        return fa_error_set(err, FA_ERR_MISSING, mot->file, mot->label_line, 0,
                            "expected a column for %s and at least 4 frames, found %s and %d frames", g.cycle_coord,
                            c < 0 ? "no column" : "a column", mot->nframe);
    }
    double mean = 0.0;
    for (int f = 0; f < mot->nframe; f++) mean += mot->data[(size_t)f * mot->ncol + c];
    mean /= mot->nframe;
    int up[2], n = 0;
    for (int f = 1; f < mot->nframe && n < 2; f++) {
        double a = mot->data[(size_t)(f - 1) * mot->ncol + c], b = mot->data[(size_t)f * mot->ncol + c];
        if (a < mean && b >= mean) up[n++] = f;
    }
    if (n < 2) {
        free(col);
        return fa_error_set(err, FA_ERR_RANGE, mot->file, mot->label_line, 0,
                            "expected a full stride (two upward crossings of the mean of %s), found %d", g.cycle_coord, n);
    }
    int nf = up[1] - up[0];
    int N = (g.frames > 0 && g.frames < nf) ? g.frames : nf;
    size_t ne = (size_t)(m->nelem > 0 ? m->nelem : 1);
    res->nelem = m->nelem;
    res->strain_peak = (double *)malloc(ne * sizeof(double));
    res->strain_min = (double *)malloc(ne * sizeof(double));
    res->rate_peak = (double *)calloc(ne, sizeof(double));
    res->stored = (double *)calloc(ne, sizeof(double));
    res->returned = (double *)calloc(ne, sizeof(double));
    double *eprev = (double *)malloc(ne * sizeof(double)), *sprev = (double *)malloc(ne * sizeof(double));
    fa_osim_pose pose;
    memset(&pose, 0, sizeof pose);
    if (!res->strain_peak || !res->strain_min || !res->rate_peak || !res->stored || !res->returned || !eprev || !sprev ||
        fa_osim_pose_init(osim, &pose, err)) {
        free(col);
        free(eprev);
        free(sprev);
        fa_gait_result_free(res);
        return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "gait");
    }
    res->period = mot->time[up[1]] - mot->time[up[0]];
    res->nframe = N;
    snprintf(res->motion, sizeof res->motion, "%s", mot->file);
    res->frames_req = g.frames;
    res->state_hash = key;
    clock_t t0 = clock();
    fa_static_def sd = fa_default_static_def();
    sd.maxiter = g.maxiter;
    double tprev = 0.0;
    for (int j = 0; j <= N && !st; j++) {
        /* frame j of N evenly over the cycle; j = N is the first frame of the next cycle */
        int f = up[0] + (int)((long)j * nf / N);
        double tf = mot->time[f];
        fa_osim_motion_pose(osim, mot, &md, col, f, &pose);
        fa_anatomy_set_body_poses(m, osim, ref, &pose, d);
        fa_kinematics_root_relative(m, d);
        if (j == 0) {
            memcpy(d->x, m->node_pos0, 3 * (size_t)m->nnode * sizeof(double));
            fa_kinematics_anchor(m, d);
            fa_anatomy_carry_free_nodes(m, d);
        }
        fa_static_report rep;
        fa_error e2;
        fa_status s2 = fa_solve_static(m, d, &sd, &rep, &e2);
        res->newton += rep.iterations;
        if (j > 0 && s2 == FA_ERR_NOCONV) {
            /* too far from the previous frame (coarse sampling): again from the reference pose
             * carried by the bones */
            memcpy(d->x, m->node_pos0, 3 * (size_t)m->nnode * sizeof(double));
            fa_kinematics_anchor(m, d);
            fa_anatomy_carry_free_nodes(m, d);
            s2 = fa_solve_static(m, d, &sd, &rep, &e2);
            res->newton += rep.iterations;
            res->restarts++;
        }
        if (s2 == FA_ERR_NOCONV) {
            res->noconv++;
        } else if (s2) {
            if (err) *err = e2;
            st = s2;
            break;
        }
        fa_assemble(m, d, d->x, NULL, 0.0, NULL, NULL, NULL);
        for (int e = 0; e < m->nelem; e++) {
            double s = d->elem_strain[e], en = d->elem_energy[e];
            if (j == 0) {
                res->strain_peak[e] = res->strain_min[e] = s;
            } else {
                double dE = en - eprev[e];
                if (dE > 0.0)
                    res->stored[e] += dE;
                else
                    res->returned[e] -= dE;
                double dt = tf - tprev;
                if (dt > 0.0) {
                    double r = fabs(s - sprev[e]) / dt;
                    if (r > res->rate_peak[e]) res->rate_peak[e] = r;
                }
                if (s > res->strain_peak[e]) res->strain_peak[e] = s;
                if (s < res->strain_min[e]) res->strain_min[e] = s;
            }
            eprev[e] = en;
            sprev[e] = s;
        }
        tprev = tf;
    }
    res->seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    res->cached = 0;
    fa_osim_pose_free(&pose);
    free(col);
    free(eprev);
    free(sprev);
    if (st) fa_gait_result_free(res);
    return st;
}

fa_status fa_gait_region(const fa_model *m, const fa_gait_result *r, const char *region, double *stored,
                         double *returned, double *peak, fa_error *err)
{
    double S = 0.0, Rt = 0.0, P = -INFINITY;
    int n = 0;
    int rg = fa_model_find(m, "region", region);
    if (rg >= 0) {
        for (int k = 0; k < m->region_num[rg]; k++) {
            int e = m->region_elem[m->region_adr[rg] + k];
            fa_kind kd = fa_elem_kind(m, e, NULL);
            if (kd != FA_CORD && kd != FA_MEMBRANE) continue;
            S += r->stored[e];
            Rt += r->returned[e];
            if (r->strain_peak[e] > P) P = r->strain_peak[e];
            n++;
        }
    } else {
        for (int i = 0; i < m->ncord; i++) {
            if (!strstr(fa_model_name(m, m->cord_name[i]), region)) continue;
            S += r->stored[i];
            Rt += r->returned[i];
            if (r->strain_peak[i] > P) P = r->strain_peak[i];
            n++;
        }
    }
    if (n == 0) return fa_error_set(err, FA_ERR_UNKNOWN, NULL, 0, 0, "expected a region or cords named '%s', found none", region);
    if (stored) *stored = S;
    if (returned) *returned = Rt;
    if (peak) *peak = P;
    return FA_OK;
}
