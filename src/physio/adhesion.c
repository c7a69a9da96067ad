/* SPDX-License-Identifier: MIT */
/* Adhesion and crosslinks: where two layers do not slide for long, collagen
 * bridges form between them (Akeson/Woo immobilisation work, A5/A6:
 * qualitative; rates grade C); sliding, stretching and manual therapy break
 * them.
 * Interfaces (adhesion fraction f in [0,1]):
 *   df/dt = imm (1 - f)/adh.tau_form - f [mov/adh.tau_break + man/adh.tau_manual]
 *   imm = 1 - duty of sliding; mov = duty of sliding x min(1, amp/amp_hab);
 *   man = duty of compression x pressure/adh.p_ref while the layer slides
 *   (deep manual therapy, rolling).
 *   d->intf_adh = adh.k_full x intf_area x (f - f0)_+   (N/m of bridges
 *   beyond the habitual level f0, which is part of the healthy layer).
 * Tissue elements (crosslink density x, 1 = healthy):
 *   x relaxes toward x_eq = 1 + adh.x_gain (1 - mov_e) with tau adh.tau_form
 *   when rising, adh.tau_xbreak when falling; mov_e = min(1, day-averaged
 *   cycle rate / habitual rate) + stretch beyond habitual (duty x strain
 *   excess/adh.eps_ref). The day average (a one-day moving average) keeps the
 *   habitual day's walks and the still hours between them at x = 1: the
 *   instantaneous rate counted every hour without cycles as immobility.
 * Exact exponential updates (linear over a step). */
#include "module.h"

enum { P_TAU_FORM, P_TAU_BREAK, P_TAU_MANUAL, P_P_REF, P_K_FULL, P_X_GAIN, P_TAU_XBREAK, P_EPS_REF, NP };
static const char *const params[NP] = {"adh.tau_form", "adh.tau_break", "adh.tau_manual", "adh.p_ref",
                                       "adh.k_full",   "adh.x_gain",    "adh.tau_xbreak", "adh.eps_ref"};
enum { F_ADH, F_FRAC, F_XLINK, F_FRAC0, F_RATE };
static const fa_pm_fdecl fields[] = {
    {"intf_adh", "N/m", "tangential stiffness of adhesions", 0.0, 0.0, 1e12, FA_KIND_BIT(FA_INTERFACE), 1, 1, "intf_adh"},
    {"frac", "-", "adhesion fraction of the interface [0,1]", 0.0, 0.0, 1.0, FA_KIND_BIT(FA_INTERFACE), 1, 0, "adhesion.frac"},
    {"tis_xlink", "-", "crosslink density relative to healthy", 1.0, 0.5, 3.0, FA_KINDS_TISSUE, 0, 1, "tis_xlink"},
    {"frac0", "-", "habitual adhesion fraction (set at init)", 0.0, 0.0, 1.0, FA_KIND_BIT(FA_INTERFACE), 1, 0,
     "adhesion.frac0"},
    {"rate_day", "1/s", "cycle rate averaged over the last day (EMA, 1 day)", 0.0, 0.0, 1e3, FA_KINDS_TISSUE, 0, 0,
     "adhesion.rate_day"},
};

static double f_hab(const fa_model *m, const fa_data *d, int e)
{
    const double *P = fa_pm_params(d, FA_PM_ADH);
    double mov = fa_pm_habitual_get(m, d).slide_frac[e], imm = 1.0 - mov;
    double kf = imm / P[P_TAU_FORM], kb = mov / P[P_TAU_BREAK];
    return kf + kb > 0.0 ? kf / (kf + kb) : 0.0;
}

static void init(const fa_model *m, fa_data *d)
{
    double *f = fa_pm_field(m, d, FA_PM_ADH, F_FRAC), *f0 = fa_pm_field(m, d, FA_PM_ADH, F_FRAC0);
    const int e0 = fa_pm_kind_begin(m, FA_INTERFACE);
    for (int i = 0; i < m->nintf; i++) {
        f[i] = f0[i] = f_hab(m, d, e0 + i);
        d->intf_adh[i] = 0.0;
    }
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    double *rd = fa_pm_field(m, d, FA_PM_ADH, F_RATE);
    for (int e = 0; e < fa_pm_kind_end(m, FA_MEMBRANE); e++) rd[e] = H.rate[e];
}

static void step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt)
{
    const double *P = fa_pm_params(d, FA_PM_ADH);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    double *f = fa_pm_field(m, d, FA_PM_ADH, F_FRAC);
    const double *f0 = fa_pm_field(m, d, FA_PM_ADH, F_FRAC0);
    fa_pm_memo mk = FA_PM_MEMO_INIT;
    const double exf = fa_pm_decay(dt, P[P_TAU_FORM]), exb = fa_pm_decay(dt, P[P_TAU_XBREAK]);
    const int e0 = fa_pm_kind_begin(m, FA_INTERFACE);
    for (int i = 0; i < m->nintf; i++) {
        int e = e0 + i;
        double ds = fa_pm_duty(s->t_slide[e], dt);
        double amp = fa_pm_min(1.0, s->slide_amp[e] / H.slide_amp[e]);
        double mov = ds * fa_pm_max(0.0, amp), imm = 1.0 - ds;
        double man = fa_pm_min(fa_pm_duty(s->t_press[e], dt), ds) * fa_pm_max(0.0, s->pressure[e]) / P[P_P_REF];
        double kf = imm / P[P_TAU_FORM], kb = mov / P[P_TAU_BREAK] + man / P[P_TAU_MANUAL];
        double k = kf + kb;
        if (k > 0.0) f[i] = kf / k + (f[i] - kf / k) * fa_pm_exp(&mk, -dt * k);
        d->intf_adh[i] = P[P_K_FULL] * m->intf_area[i] * fa_pm_max(0.0, f[i] - f0[i]);
    }
    /* crosslinks in cords and membranes */
    const int e1 = fa_pm_kind_end(m, FA_MEMBRANE);
    double *rd = fa_pm_field(m, d, FA_PM_ADH, F_RATE);
    const double xd = dt / FA_PM_DAY, ed = exp(-xd), gd = (1.0 - ed) / xd;
    for (int e = 0; e < e1; e++) {
        /* movement counts over the day: the cycle rate's mean over the
         * step of its one-day moving average (a walk in the morning moves
         * the tissue for the day; the habitual day's mean is its rate) */
        double c = fa_pm_max(0.0, s->cycles[e]) / dt, r0 = rd[e];
        /* a set point from uniform cycles (fa_physio_set_habitual, the
         * stim.* reference: habitual.stim_rate 0) compares the step's own rate */
        double rate = H.stim_rate[e] == 0.0 ? c : c + (r0 - c) * gd;
        rd[e] = c + (r0 - c) * ed;
        /* an element the habitual day strains in no cycle (remodel's
         * unresolved, habitual.stim_rate < 0: the scalp, the hand) is not
         * moved by strides: its everyday motion is counted as habitual */
        double mov = H.stim_rate[e] < 0.0 ? 1.0 : fa_pm_min(1.0, rate / H.rate[e]);
        mov += fa_pm_duty(s->t_load[e], dt) * fa_pm_max(0.0, s->strain_mean[e] - H.eps_mean[e]) / P[P_EPS_REF];
        mov = fa_pm_min(mov, 1.0);
        double xeq = 1.0 + P[P_X_GAIN] * (1.0 - mov);
        double x = d->tis_xlink[e];
        d->tis_xlink[e] = xeq + (x - xeq) * (xeq > x ? exf : exb);
    }
}

const fa_pm_module fa_pm_adhesion = {"adhesion", 5, fields, NP, params, init, step};
