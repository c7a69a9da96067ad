/* SPDX-License-Identifier: MIT */
/* The shirt tug (B1): pull one free node with a ramped force, hold, release,
 * and record how tension spreads along the sheet over time.
 *
 * Tension is read from the per-element measurements the assembly leaves in
 * fa_data (membrane fibre stress, cord tension) over the resting state, after
 * each implicit step.
 * Elements are binned by the geodesic distance of their centroid from the
 * tug node (reference configuration) and, at the far edge, by azimuth around
 * the pull axis, so a stiff band that channels tension shows up as a sector
 * with a higher peak. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "fascia/measure.h"
#include "fascia/mech.h"
#include "fascia/sim.h"

fa_tug_def fa_default_tug_def(void)
{
    fa_tug_def t;
    memset(&t, 0, sizeof t);
    t.node = -1;
    t.force[1] = 2.0;
    t.ramp = 0.02;
    t.hold = 0.4;
    t.release = 0.4;
    t.sample = 0.005;
    t.nbands = 20;
    t.nsectors = 8;
    t.far_frac = 0.9;
    t.far_node = -1;
    t.linsolver = FA_LIN_AUTO;
    return t;
}

/* ---- geodesic distance: Dijkstra over element edges (binary heap) ---- */

typedef struct heap {
    int *node;
    double *key;
    int n;
} heap;

static void heap_push(heap *h, int node, double key)
{
    int i = h->n++;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (h->key[p] <= key) break;
        h->node[i] = h->node[p];
        h->key[i] = h->key[p];
        i = p;
    }
    h->node[i] = node;
    h->key[i] = key;
}

static int heap_pop(heap *h, double *key)
{
    int top = h->node[0];
    *key = h->key[0];
    int ln = h->node[--h->n];
    double lk = h->key[h->n];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n && h->key[c + 1] < h->key[c]) c++;
        if (lk <= h->key[c]) break;
        h->node[i] = h->node[c];
        h->key[i] = h->key[c];
        i = c;
    }
    h->node[i] = ln;
    h->key[i] = lk;
    return top;
}

fa_status fa_geodesic(const fa_model *m, int src, double *dist)
{
    if (!m || !dist || src < 0 || src >= m->nnode) return FA_ERR_ARG;
    /* node adjacency through elements: the stiffness pattern is exactly that */
    size_t cap = (size_t)m->nblock + (size_t)m->nnode + 1;
    heap h;
    h.node = (int *)malloc(cap * sizeof(int));
    h.key = (double *)malloc(cap * sizeof(double));
    char *done = (char *)calloc((size_t)m->nnode, 1);
    if (!h.node || !h.key || !done) {
        free(h.node);
        free(h.key);
        free(done);
        return FA_ERR_NOMEM;
    }
    h.n = 0;
    for (int i = 0; i < m->nnode; i++) dist[i] = -1.0;
    dist[src] = 0.0;
    heap_push(&h, src, 0.0);
    while (h.n > 0) {
        double k;
        int i = heap_pop(&h, &k);
        if (done[i]) continue;
        done[i] = 1;
        for (int b = m->blk_rowadr[i]; b < m->blk_rowadr[i] + m->blk_rownum[i]; b++) {
            int j = m->blk_col[b];
            if (j == i || done[j]) continue;
            double r[3];
            fa_sub3(r, m->node_pos0 + 3 * j, m->node_pos0 + 3 * i);
            double nd = k + sqrt(fa_dot3(r, r));
            if (dist[j] < 0.0 || nd < dist[j]) {
                dist[j] = nd;
                if ((size_t)h.n < cap) heap_push(&h, j, nd);
            }
        }
    }
    free(h.node);
    free(h.key);
    free(done);
    return FA_OK;
}

/* ---- the tug ---- */

void fa_tug_result_free(fa_tug_result *r)
{
    if (!r) return;
    free(r->time);
    free(r->band_dist);
    free(r->band_stress);
    free(r->band_peak);
    free(r->band_tpeak);
    free(r->far_disp);
    free(r->sector_peak);
    free(r->point_disp);
    free(r->tug_disp);
    free(r->watch_node);
    free(r->watch_dist);
    free(r->watch_disp);
    free(r->watch_peak);
    free(r->watch_t10);
    free(r->watch_name);
    memset(r, 0, sizeof *r);
}

fa_status fa_tug_run(const fa_model *m, fa_data *d, const fa_tug_def *def, fa_tug_result *res,
                     fa_progress_fn progress, void *user, fa_error *err)
{
    memset(res, 0, sizeof *res);
    if (!def || def->node < 0 || def->node >= m->nnode)
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "tug: node index out of range");
    if (m->node_body[def->node] != -1)
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0,
                            "tug: node '%s' is anchored or fixed; pull a free node",
                            fa_model_name(m, m->node_name[def->node]));
    if (m->nmem == 0) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "tug: the model has no membrane");
    double fn = sqrt(fa_dot3(def->force, def->force));
    if (!(fn > 0.0) || !(def->ramp >= 0.0) || !(def->hold >= 0.0) || !(def->release >= 0.0) ||
        !(def->sample > 0.0) || def->nbands < 1 || def->nsectors < 1 || !(def->far_frac > 0.0 && def->far_frac < 1.0))
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "tug: invalid settings (force, times, bands)");
    if (def->nwatch < 0 || (def->nwatch > 0 && !def->watch))
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "tug: invalid watch list");
    for (int w = 0; w < def->nwatch; w++)
        if (def->watch[w] < 0 || def->watch[w] >= m->nnode)
            return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "tug: watched node index %d out of range",
                                def->watch[w]);

    const double h = m->opt.timestep;
    const double T = def->ramp + def->hold + def->release;
    const int nstep = (int)llround(T / h);
    int every = (int)llround(def->sample / h);
    if (every < 1) every = 1;
    const int nsample = nstep / every + 1;
    const int nb = def->nbands, ns = def->nsectors;

    double *base = NULL, *x0 = NULL;
    double *dist = (double *)malloc((size_t)m->nnode * sizeof(double));
    int *eband = (int *)malloc((size_t)m->nmem * sizeof(int));
    int *esect = (int *)malloc((size_t)m->nmem * sizeof(int));
    int *bcount = (int *)calloc((size_t)nb, sizeof(int));
    int *scount = (int *)calloc((size_t)ns, sizeof(int));
    double *smean = (double *)calloc((size_t)ns, sizeof(double));
    char *farnode = (char *)calloc((size_t)m->nnode, 1);
    res->time = (double *)calloc((size_t)nsample, sizeof(double));
    res->band_dist = (double *)calloc((size_t)nb, sizeof(double));
    res->band_stress = (double *)calloc((size_t)nsample * (size_t)nb, sizeof(double));
    res->band_peak = (double *)calloc((size_t)nb, sizeof(double));
    res->band_tpeak = (double *)calloc((size_t)nb, sizeof(double));
    res->far_disp = (double *)calloc((size_t)nsample, sizeof(double));
    res->sector_peak = (double *)calloc((size_t)ns, sizeof(double));
    res->point_disp = (double *)calloc((size_t)nsample, sizeof(double));
    res->tug_disp = (double *)calloc((size_t)nsample, sizeof(double));
    const int nw = def->nwatch;
    res->watch_node = (int *)calloc((size_t)nw + 1, sizeof(int));
    res->watch_dist = (double *)calloc((size_t)nw + 1, sizeof(double));
    res->watch_disp = (double *)calloc((size_t)nsample * (size_t)nw + 1, sizeof(double));
    res->watch_peak = (double *)calloc((size_t)nw + 1, sizeof(double));
    res->watch_t10 = (double *)calloc((size_t)nw + 1, sizeof(double));
    res->watch_name = (char *)calloc((size_t)nw * 64 + 1, 1);
    fa_status st = FA_OK;
    if (!dist || !eband || !esect || !bcount || !scount || !smean || !farnode || !res->time || !res->band_dist ||
        !res->band_stress || !res->band_peak || !res->band_tpeak || !res->far_disp || !res->sector_peak ||
        !res->point_disp || !res->tug_disp || !res->watch_node || !res->watch_dist || !res->watch_disp ||
        !res->watch_peak || !res->watch_t10 || !res->watch_name) {
        st = fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "tug: out of memory");
        goto done;
    }
    res->nsample = nsample;
    res->nbands = nb;
    res->nsectors = ns;
    res->nwatch = nw;
    res->t_release = def->ramp + def->hold;
    if ((st = fa_geodesic(m, def->node, dist)) != FA_OK) {
        fa_error_set(err, st, NULL, 0, 0, "tug: geodesic distances failed");
        goto done;
    }
    double dmax = 0.0;
    for (int i = 0; i < m->nnode; i++)
        if (dist[i] > dmax) dmax = dist[i];
    res->dmax = dmax;
    if (!(dmax > 0.0)) {
        st = fa_error_set(err, FA_ERR_GEOMETRY, NULL, 0, 0, "tug: the tug node is not connected to the sheet");
        goto done;
    }
    for (int b = 0; b < nb; b++) res->band_dist[b] = (b + 0.5) * dmax / nb;

    /* pull axis, centroid, reference azimuth of the tug node */
    double ax[3] = {def->force[0] / fn, def->force[1] / fn, def->force[2] / fn};
    double c[3] = {0, 0, 0};
    for (int i = 0; i < m->nnode; i++)
        for (int k = 0; k < 3; k++) c[k] += m->node_pos0[3 * i + k] / m->nnode;
    double u[3];
    fa_sub3(u, m->node_pos0 + 3 * def->node, c);
    double ua = fa_dot3(u, ax);
    for (int k = 0; k < 3; k++) u[k] -= ua * ax[k];

    /* the far point: against the pull, nearest the pull line through the tug */
    int fp = def->far_node;
    if (fp < 0 || fp >= m->nnode) {
        double best_s = 0.0, best_r = 0.0;
        fp = -1;
        for (int i = 0; i < m->nnode; i++) {
            if (m->node_body[i] != -1 || dist[i] < 0.0) continue;
            double r[3];
            fa_sub3(r, m->node_pos0 + 3 * i, m->node_pos0 + 3 * def->node);
            double sa = fa_dot3(r, ax);
            double rp = sqrt(fmax(fa_dot3(r, r) - sa * sa, 0.0));
            if (fp < 0 || sa < best_s - 1e-9 || (sa <= best_s + 1e-9 && rp < best_r)) {
                fp = i;
                best_s = sa;
                best_r = rp;
            }
        }
    }
    res->far_node = fp;
    if (fp >= 0) snprintf(res->far_node_name, sizeof res->far_node_name, "%s", fa_model_name(m, m->node_name[fp]));
    res->far_node_dist = fp >= 0 ? dist[fp] : -1.0;
    for (int w = 0; w < nw; w++) {
        res->watch_node[w] = def->watch[w];
        res->watch_dist[w] = dist[def->watch[w]];
        res->watch_t10[w] = -1.0;
        snprintf(res->watch_name + 64 * w, 64, "%s", fa_model_name(m, m->node_name[def->watch[w]]));
    }
    int nfar_node = 0;
    for (int i = 0; i < m->nnode; i++)
        if (dist[i] >= def->far_frac * dmax) {
            farnode[i] = 1;
            nfar_node++;
        }
    for (int t = 0; t < m->nmem; t++) {
        const int *nd = m->mem_node + 3 * t;
        double dc = -1.0, pc[3] = {0, 0, 0};
        int ok = 1;
        for (int a = 0; a < 3; a++) {
            if (dist[nd[a]] < 0.0) ok = 0;
            dc += dist[nd[a]] / 3.0;
            for (int k = 0; k < 3; k++) pc[k] += m->node_pos0[3 * nd[a] + k] / 3.0;
        }
        dc += 1.0;
        eband[t] = -1;
        esect[t] = -1;
        if (!ok) continue;
        int b = (int)(dc / dmax * nb);
        if (b >= nb) b = nb - 1;
        eband[t] = b;
        bcount[b]++;
        if (dc >= def->far_frac * dmax) {
            double r[3], cr[3];
            fa_sub3(r, pc, c);
            double ra = fa_dot3(r, ax);
            for (int k = 0; k < 3; k++) r[k] -= ra * ax[k];
            fa_cross3(cr, u, r);
            double ang = atan2(fa_dot3(cr, ax), fa_dot3(u, r)); /* (-pi, pi] */
            int s = (int)floor(ang / (2.0 * 3.14159265358979323846) * ns + 0.5);
            s = ((s % ns) + ns) % ns;
            esect[t] = s;
            scount[s]++;
        }
    }

    if (def->prestrain != 0.0) {
        /* resting tension: shorten the rest geometry, then settle statically
         * (fully relaxed) before the pull */
        for (int e = 0; e < m->ncord + m->nmem; e++) d->tis_rest[e] = 1.0 / (1.0 + def->prestrain);
        fa_static_def sd = fa_default_static_def();
        sd.linsolver = (fa_linsolver)def->linsolver;
        fa_status ss = fa_solve_static(m, d, &sd, NULL, err);
        if (ss != FA_OK && ss != FA_ERR_NOCONV) {
            st = ss;
            goto done;
        }
        fa_visc_commit(m, d, d->x, 0.0);
        for (int i = 0; i < m->nnode; i++) d->v[3 * i] = d->v[3 * i + 1] = d->v[3 * i + 2] = 0.0;
    }
    /* tension is measured as the increment over the resting state */
    base = (double *)malloc((size_t)(m->nmem + m->ncord + 1) * sizeof(double));
    if (!base) {
        st = fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "tug: out of memory");
        goto done;
    }
    fa_assemble(m, d, d->x, NULL, 0.0, NULL, NULL, NULL);
    for (int e = 0; e < m->nmem; e++) base[e] = d->elem_stress[m->ncord + e];
    for (int e = 0; e < m->ncord; e++) base[m->nmem + e] = d->elem_force[e];
    x0 = (double *)malloc((size_t)m->nnode * 3 * sizeof(double));
    if (!x0) {
        st = fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "tug: out of memory");
        goto done;
    }
    memcpy(x0, d->x, (size_t)m->nnode * 3 * sizeof(double));
    double *fe = d->f_ext + 3 * def->node;
    double tpeak_far = 0.0, far_series_peak = 0.0;
    double *far_stress = (double *)calloc((size_t)nsample, sizeof(double));
    if (!far_stress) {
        st = fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "tug: out of memory");
        goto done;
    }
    const double t0 = d->time;
    fa_step_def sdef = fa_default_step_def();
    sdef.linsolver = (fa_linsolver)def->linsolver;
    int is = 0;
    for (int step = 0; step <= nstep; step++) {
        if (step > 0) {
            double tt = step * h; /* force at the end of the step (backward Euler) */
            double s = tt < def->ramp ? tt / def->ramp : (tt <= def->ramp + def->hold + 0.5 * h ? 1.0 : 0.0);
            if (def->ramp <= 0.0 && tt <= def->hold + 0.5 * h) s = 1.0;
            for (int k = 0; k < 3; k++) fe[k] = s * def->force[k];
            fa_status ss = fa_step_ex(m, d, &sdef, NULL, err);
            res->steps++;
            if (ss == FA_ERR_NOCONV) res->noconv++;
            else if (ss != FA_OK) {
                st = ss;
                break;
            }
        }
        if (step % every != 0 || is >= nsample) continue;
        double t = d->time - t0;
        res->time[is] = t;
        double *bs = res->band_stress + (size_t)is * nb;
        for (int s = 0; s < ns; s++) smean[s] = 0.0;
        double fsum = 0.0;
        int fcnt = 0;
        for (int e = 0; e < m->nmem; e++) {
            int ge = m->ncord + e;
            double sv = d->elem_stress[ge] - base[e];
            if (eband[e] >= 0) bs[eband[e]] += sv / bcount[eband[e]];
            if (esect[e] >= 0) {
                smean[esect[e]] += sv / scount[esect[e]];
                fsum += sv;
                fcnt++;
            }
        }
        double fmean = fcnt ? fsum / fcnt : 0.0;
        far_stress[is] = fmean;
        if (fmean > far_series_peak) {
            far_series_peak = fmean;
            tpeak_far = t;
        }
        for (int s = 0; s < ns; s++)
            if (smean[s] > res->sector_peak[s]) res->sector_peak[s] = smean[s];
        for (int b = 0; b < nb; b++)
            if (bs[b] > res->band_peak[b]) {
                res->band_peak[b] = bs[b];
                res->band_tpeak[b] = t;
            }
        double fd = 0.0;
        for (int i = 0; i < m->nnode; i++)
            if (farnode[i]) {
                double dx[3];
                fa_sub3(dx, d->x + 3 * i, x0 + 3 * i);
                fd += fa_dot3(dx, ax) / nfar_node;
            }
        res->far_disp[is] = fd;
        {
            double dx[3];
            fa_sub3(dx, d->x + 3 * def->node, x0 + 3 * def->node);
            double td = fa_dot3(dx, ax);
            if (td > res->tug_peak_disp) res->tug_peak_disp = td;
            res->tug_disp[is] = td;
            for (int w = 0; w < nw; w++) {
                fa_sub3(dx, d->x + 3 * def->watch[w], x0 + 3 * def->watch[w]);
                double wd = fa_dot3(dx, ax);
                res->watch_disp[(size_t)is * nw + w] = wd;
                if (fabs(wd) > fabs(res->watch_peak[w])) res->watch_peak[w] = wd;
            }
            double pd = 0.0;
            if (fp >= 0) {
                fa_sub3(dx, d->x + 3 * fp, x0 + 3 * fp);
                pd = fa_dot3(dx, ax);
            }
            res->point_disp[is] = pd;
            if (pd > res->point_peak) res->point_peak = pd;
        }
        if (fd > res->far_lift) res->far_lift = fd;
        for (int e = 0; e < m->ncord; e++)
            if (d->elem_force[e] - base[m->nmem + e] > res->cord_peak)
                res->cord_peak = d->elem_force[e] - base[m->nmem + e];
        is++;
        if (progress && progress((double)step / nstep, user)) {
            st = fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "tug: cancelled");
            break;
        }
    }
    res->nsample = is;
    fe[0] = fe[1] = fe[2] = 0.0;
    (void)tpeak_far;
    res->peak_source = res->band_peak[0];
    res->peak_far = far_series_peak;
    res->far_final = is > 0 ? res->far_disp[is - 1] : 0.0;
    res->point_final = is > 0 ? res->point_disp[is - 1] : 0.0;
    res->point_t10 = -1.0;
    for (int k = 0; k < is; k++)
        if (res->point_peak > 0.0 && res->point_disp[k] >= 0.1 * res->point_peak) {
            res->point_t10 = res->time[k];
            break;
        }
    for (int w = 0; w < nw; w++)
        for (int k = 0; k < is; k++)
            if (res->watch_peak[w] != 0.0 &&
                fabs(res->watch_disp[(size_t)k * nw + w]) >= 0.1 * fabs(res->watch_peak[w])) {
                res->watch_t10[w] = res->time[k];
                break;
            }
    res->t_far10 = res->t_far10_src = -1.0;
    for (int k = 0; k < is; k++) {
        if (res->t_far10 < 0.0 && far_series_peak > 0.0 && far_stress[k] >= 0.1 * far_series_peak)
            res->t_far10 = res->time[k];
        if (res->t_far10_src < 0.0 && res->peak_source > 0.0 && far_stress[k] >= 0.1 * res->peak_source)
            res->t_far10_src = res->time[k];
    }
    res->reach10 = 0.0;
    for (int b = 0; b < nb; b++)
        if (res->peak_source > 0.0 && res->band_peak[b] >= 0.1 * res->peak_source) res->reach10 = res->band_dist[b];
    {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int nfit = 0;
        for (int b = 0; b < nb; b++) {
            if (b > 0 && res->band_peak[b] >= res->band_peak[b - 1]) break; /* leading decreasing run */
            if (res->peak_source > 0.0 && res->band_peak[b] > 1e-6 * res->peak_source) {
                double x = res->band_dist[b], y = log(res->band_peak[b]);
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                nfit++;
            }
        }
        double den = nfit * sxx - sx * sx;
        double slope = nfit >= 3 && den > 0.0 ? (nfit * sxy - sx * sy) / den : 0.0;
        res->decay_length = slope < 0.0 ? -1.0 / slope : -1.0;
    }
    free(far_stress);
done:
    free(base);
    free(x0);
    free(dist);
    free(eband);
    free(esect);
    free(bcount);
    free(scount);
    free(smean);
    free(farnode);
    if (st != FA_OK && st != FA_ERR_NOCONV) {
        /* keep the partial series for inspection; caller frees */
    }
    return st;
}

/* the series `which` selects: stride and first element */
static const double *disp_series(const fa_tug_result *r, int which, int *stride)
{
    *stride = 1;
    if (which == FA_TUG_TUG_NODE) return r->tug_disp;
    if (which == FA_TUG_FAR_POINT) return r->far_node >= 0 ? r->point_disp : NULL;
    if (which >= 0 && which < r->nwatch && r->watch_disp) {
        *stride = r->nwatch;
        return r->watch_disp + which;
    }
    return NULL;
}

int fa_tug_disp_at(const fa_tug_result *r, int which, double t, double *disp)
{
    int stride;
    const double *s = r ? disp_series(r, which, &stride) : NULL;
    if (!s || r->nsample < 1 || !(t >= r->time[0]) || t > r->time[r->nsample - 1] + 1e-9) return -1;
    int k = 0;
    while (k + 1 < r->nsample && r->time[k + 1] < t) k++;
    if (k + 1 >= r->nsample) {
        *disp = s[(size_t)k * stride];
        return 0;
    }
    double t0 = r->time[k], t1 = r->time[k + 1];
    double a = t1 > t0 ? (t - t0) / (t1 - t0) : 0.0;
    if (a > 1.0) a = 1.0;
    *disp = (1.0 - a) * s[(size_t)k * stride] + a * s[(size_t)(k + 1) * stride];
    return 0;
}

double fa_tug_disp_peak(const fa_tug_result *r, int which)
{
    int stride;
    const double *s = r ? disp_series(r, which, &stride) : NULL;
    double p = 0.0;
    if (!s) return 0.0;
    for (int k = 0; k < r->nsample; k++)
        if (fabs(s[(size_t)k * stride]) > fabs(p)) p = s[(size_t)k * stride];
    return p;
}

/* "  12.3 %" of the peak left `after` s after the release, or "     -" past the
 * run or when the peak is below 1e-4 of the tug point's (solver noise) */
static void print_left(const fa_tug_result *r, int which, double after, FILE *out)
{
    double v, p = fa_tug_disp_peak(r, which);
    if (fabs(p) > 1e-4 * r->tug_peak_disp && fa_tug_disp_at(r, which, r->t_release + after, &v) == 0)
        fprintf(out, " %6.1f %%", 100.0 * v / p);
    else fprintf(out, "      -  ");
}

void fa_tug_print(const fa_tug_result *r, FILE *out)
{
    fprintf(out, "tension spread from the tug site (geodesic distance, peak mean fibre stress, time of peak):\n");
    for (int b = 0; b < r->nbands; b++) {
        double rel = r->peak_source > 0.0 ? r->band_peak[b] / r->peak_source : 0.0;
        fprintf(out, "  %6.3f m  %10.4g Pa  %6.1f %%  t=%6.3f s\n", r->band_dist[b], r->band_peak[b], 100.0 * rel,
                r->band_tpeak[b]);
    }
    fprintf(out, "reach (band peak >= 10 %% of the tug site's): %.3f m of %.3f m\n", r->reach10, r->dmax);
    if (r->decay_length > 0.0) fprintf(out, "decay length (e-fold, fitted over bands): %.3f m\n", r->decay_length);
    if (r->t_far10 >= 0.0) fprintf(out, "far edge reaches 10 %% of its peak after: %.3f s\n", r->t_far10);
    else fprintf(out, "far edge: no tension\n");
    if (r->t_far10_src >= 0.0)
        fprintf(out, "far edge reaches 10 %% of the tug site's peak after: %.3f s\n", r->t_far10_src);
    else fprintf(out, "far edge never reaches 10 %% of the tug site's peak\n");
    fprintf(out, "far edge peak stress: %.4g Pa (%.2f %% of the tug site's)\n", r->peak_far,
            r->peak_source > 0 ? 100.0 * r->peak_far / r->peak_source : 0.0);
    fprintf(out, "far edge lift: peak %.3f mm, after release %.3f mm\n", 1e3 * r->far_lift, 1e3 * r->far_final);
    if (r->far_node >= 0)
        fprintf(out,
                "far point (node %d '%s', %.3f m away): lift peak %.1f um (%.1f %% of the tug point's %.1f um), "
                "10 %% of its peak after %.3f s, %.1f um after release\n",
                r->far_node, r->far_node_name, r->far_node_dist, 1e6 * r->point_peak,
                r->tug_peak_disp > 0 ? 100.0 * r->point_peak / r->tug_peak_disp : 0.0, 1e6 * r->tug_peak_disp,
                r->point_t10, 1e6 * r->point_final);
    if (r->nsample > 0 && r->time[r->nsample - 1] > r->t_release + 1e-9) {
        /* "then it falls back into place": what is left of the peak lift after letting go */
        fprintf(out, "after letting go at %.3f s, left of the peak lift 0.1 s / 1 s later: tug point", r->t_release);
        print_left(r, FA_TUG_TUG_NODE, 0.1, out);
        fprintf(out, " /");
        print_left(r, FA_TUG_TUG_NODE, 1.0, out);
        if (r->far_node >= 0) {
            fprintf(out, ", far point");
            print_left(r, FA_TUG_FAR_POINT, 0.1, out);
            fprintf(out, " /");
            print_left(r, FA_TUG_FAR_POINT, 1.0, out);
        }
        /* how fast: first sample after letting go within 10 % of the peak */
        double p = fa_tug_disp_peak(r, FA_TUG_TUG_NODE);
        for (int k = 0; k < r->nsample; k++)
            if (r->time[k] > r->t_release + 1e-9 && fabs(r->tug_disp[k]) <= 0.1 * fabs(p) && p != 0.0) {
                fprintf(out, "; the tug point is back within 10 %% of its peak %.3f s after letting go",
                        r->time[k] - r->t_release);
                break;
            }
        fputc('\n', out);
    }
    if (r->nwatch > 0) {
        fprintf(out, "watched nodes (displacement along the pull: peak, %% of the tug point's, first 10 %% of own peak, "
                     "left 0.1 s / 1 s after letting go):\n");
        for (int w = 0; w < r->nwatch; w++) {
            fprintf(out, "  %-28s %6.3f m  %10.3f um  %7.2f %%  t=%6.3f s ", r->watch_name + 64 * w, r->watch_dist[w],
                    1e6 * r->watch_peak[w], r->tug_peak_disp > 0 ? 100.0 * r->watch_peak[w] / r->tug_peak_disp : 0.0,
                    r->watch_t10[w]);
            print_left(r, w, 0.1, out);
            fprintf(out, " /");
            print_left(r, w, 1.0, out);
            fputc('\n', out);
        }
    }
    fprintf(out, "far edge peak stress by sector around the pull axis (sector 0 under the tug):\n ");
    for (int s = 0; s < r->nsectors; s++) fprintf(out, " %.3g", r->sector_peak[s]);
    fputc('\n', out);
    if (r->cord_peak > 0.0) fprintf(out, "largest cord tension increase: %.4g N\n", r->cord_peak);
    fprintf(out, "steps: %d (%d not converged)\n", r->steps, r->noconv);
}
