/* SPDX-License-Identifier: MIT */
/* Compensation: pain and weakness change how load is shared between the
 * elements of a region (model regions = groups of neighbours sharing a
 * task, e.g. lateral hip: gluteus medius, TFL, ITB). Each element sheds
 *   u_e = min(comp.max_shed, comp.k_pain pain_e)
 *       + comp.k_weak (1 - cap_e)            (muscles; negative when strong)
 * (clamped to +-comp.max_shed) and the region's shed load U = sum u is
 * taken up by its members in proportion to their unshed share w = 1 - u:
 *   target_e = 1 - u_e + U w_e / sum w
 * so the total load share of a region is conserved. An element in several
 * regions takes the mean of its targets; one in none keeps 1. The share
 * relaxes toward the target with comp.tau (guarding sets in within hours).
 * The activity stage multiplies strains/stresses by the share
 * (fa_stimulus_apply_share): a painful ITB is spared, its neighbours load
 * up and may become the next overload (compensation -> injury cycle).
 * Grade C throughout (motor-control adaptation to pain: qualitative). */
#include "module.h"

enum { P_K_PAIN, P_K_WEAK, P_MAX_SHED, P_TAU, NP };
static const char *const params[NP] = {"comp.k_pain", "comp.k_weak", "comp.max_shed", "comp.tau"};
enum { F_SHARE, F_TARGET, NF };
static const fa_pm_fdecl fields[NF] = {
    {"share", "-", "load-share factor applied to this element's stimulus", 1.0, 0.0, 3.0, FA_KINDS_ALL, 0, 0, "compensation.share"},
    {"target", "-", "share the element is moving toward (last step)", 1.0, 0.0, 3.0, FA_KINDS_ALL, 0, 0, "compensation.target"},
};

static void step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt)
{
    (void)s;
    const double *P = fa_pm_params(d, FA_PM_COMP);
    double *share = fa_pm_field(m, d, FA_PM_COMP, F_SHARE);
    double *tgt = fa_pm_field(m, d, FA_PM_COMP, F_TARGET);
    size_t mark = fa_arena_mark(d);
    double *nreg = (double *)fa_arena_alloc(d, (size_t)m->nelem * sizeof(double));
    if (!nreg) return; /* counted in d->warn.arena_over; shares kept */
    const double *pain = fa_pm_field(m, d, FA_PM_SENSE, 1);
    const double *cap = fa_pm_field(m, d, FA_PM_STRENGTH, 0);
    for (int e = 0; e < m->nelem; e++) {
        tgt[e] = 0.0;
        nreg[e] = 0.0;
    }
    double *u = (double *)fa_arena_alloc(d, (size_t)m->nelem * sizeof(double));
    if (!u) {
        fa_arena_release(d, mark);
        return;
    }
    /* load shed per element, by kind range (no per-element kind test):
     * sheets and cords shed for pain, muscles for weakness (a strong one,
     * cap > 1, takes load: negative shed), interfaces carry no share of their own */
    const double kp = P[P_K_PAIN], kw = P[P_K_WEAK], mx = P[P_MAX_SHED];
    const int e_tis = m->ncord + m->nmem, e_mus = e_tis + m->nintf;
    for (int e = 0; e < e_tis; e++) u[e] = fa_pm_clamp(fa_pm_min(mx, kp * pain[e]), -mx, mx);
    for (int e = e_tis; e < e_mus; e++) u[e] = 0.0;
    for (int e = e_mus; e < m->nelem; e++) u[e] = fa_pm_clamp(0.0 + kw * (1.0 - cap[e]), -mx, mx);
    for (int r = 0; r < m->nregion; r++) {
        const int *el = m->region_elem + m->region_adr[r];
        int n = m->region_num[r];
        double U = 0.0, W = 0.0;
        for (int i = 0; i < n; i++) {
            U += u[el[i]];
            W += fa_pm_max(0.0, 1.0 - u[el[i]]);
        }
        for (int i = 0; i < n; i++) {
            int e = el[i];
            double w = fa_pm_max(0.0, 1.0 - u[e]);
            tgt[e] += 1.0 - u[e] + (W > 0.0 ? U * w / W : 0.0);
            nreg[e] += 1.0;
        }
    }
    const double a = fa_pm_decay(dt, P[P_TAU]);
    for (int e = 0; e < m->nelem; e++) {
        tgt[e] = nreg[e] > 0.0 ? tgt[e] / nreg[e] : 1.0;
        share[e] = tgt[e] + (share[e] - tgt[e]) * a;
    }
    fa_arena_release(d, mark);
}

const fa_pm_module fa_pm_compensation = {"compensation", NF, fields, NP, params, NULL, step};
