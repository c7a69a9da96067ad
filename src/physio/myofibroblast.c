/* SPDX-License-Identifier: MIT */
/* Myofibroblast tone: fascia contracts slowly on its own (Schleip 2005/2019,
 * F1; Yahia 1993 V1: tension rises during isometric holds). The activated
 * fraction a of fibroblasts (alpha-SMA phenotype) follows sustained stress
 * and inflammation (TGF-beta) on a days time scale (Hinz 2001, A15: markers
 * fall 2-5 days after tension release; splinting speeds their appearance):
 *   sig = duty_load * max(0, stress_mean - stress_hab)
 *   a_eq = myo.base + (1 - myo.base) min(1, sig/(sig + myo.sig_half)
 *                                        + myo.k_infl max(0, infl - infl_hab))
 *   da/dt = (a_eq - a)/tau,  tau = myo.tau_on rising, myo.tau_off falling
 *   tis_tone = myo.tone_max * a * r   (Pa; small: below muscle stresses, F1)
 * Static stretch (Langevin 2005, 2011): fibroblasts of loose connective
 * tissue held elongated remodel their cytoskeleton within minutes and lower
 * the tissue's tension over an hour or two. While an element is held beyond
 * its habitual strain with no loading cycles (a hold, a posture; duty h of
 * the step), the share r of the active tone that is not released relaxes
 *   dr/dt = ((1 - h) - r)/myo.tau_relax        (r = 1 when nothing is held)
 * and such a hold activates no fibroblasts until it has lasted
 * myo.t_sustain without a break: differentiation needs tension sustained
 * over days (Hinz 2001, splinted wounds), which a yoga hold, a desk bout or
 * a night never reach; cyclic loading and inflammation drive as above.
 * Exact exponential updates. */
#include "module.h"

enum { P_BASE, P_TAU_ON, P_TAU_OFF, P_SIG_HALF, P_K_INFL, P_TONE_MAX, P_TAU_RELAX, P_T_SUSTAIN, NP };
static const char *const params[NP] = {"myo.base",     "myo.tau_on",   "myo.tau_off",   "myo.sig_half",
                                       "myo.k_infl",   "myo.tone_max", "myo.tau_relax", "myo.t_sustain"};
enum { F_FRAC, F_TONE, F_RELAX, F_HELD, NF };
static const fa_pm_fdecl fields[NF] = {
    {"frac", "-", "activated (myofibroblast) fraction [0,1]", 0.0, 0.0, 1.0, FA_KINDS_TISSUE, 0, 0, "myofibroblast.frac"},
    {"tis_tone", "Pa", "active myofibroblast stress", 0.0, 0.0, 1e6, FA_KINDS_TISSUE, 0, 1, "tis_tone"},
    {"relax", "-", "share of the active tone not released by a static stretch (1 = none released)", 1.0, 0.0, 1.0,
     FA_KINDS_TISSUE, 0, 0, "myofibroblast.relax"},
    {"held", "s", "time the element has been held stretched without a break", 0.0, 0.0, 1e12, FA_KINDS_TISSUE, 0, 0,
     "myofibroblast.held"},
};

static void init(const fa_model *m, fa_data *d)
{
    const double *P = fa_pm_params(d, FA_PM_MYO);
    double *a = fa_pm_field(m, d, FA_PM_MYO, F_FRAC);
    for (int e = 0; e < fa_pm_kind_end(m, FA_MEMBRANE); e++) {
        a[e] = P[P_BASE];
        d->tis_tone[e] = P[P_TONE_MAX] * P[P_BASE];
    }
}

static void step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt)
{
    const double *P = fa_pm_params(d, FA_PM_MYO);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    double *a = fa_pm_field(m, d, FA_PM_MYO, F_FRAC);
    double *rl = fa_pm_field(m, d, FA_PM_MYO, F_RELAX), *held = fa_pm_field(m, d, FA_PM_MYO, F_HELD);
    const double er = fa_pm_decay(dt, P[P_TAU_RELAX]);
    const double *infl = fa_pm_field(m, d, FA_PM_DAMAGE, 1);
    const double *infl0 = fa_pm_field(m, d, FA_PM_DAMAGE, 4);
    const double eon = fa_pm_decay(dt, P[P_TAU_ON]), eoff = fa_pm_decay(dt, P[P_TAU_OFF]);
    const int e1 = fa_pm_kind_end(m, FA_MEMBRANE);
    for (int e = 0; e < e1; e++) {
        double duty = fa_pm_duty(s->t_load[e], dt);
        double sig = duty * fa_pm_max(0.0, s->stress_mean[e] - H.stress_mean[e]);
        /* a static stretch: relaxes the cells; activates only the part of
         * it beyond myo.t_sustain of unbroken holding */
        int hold = s->cycles[e] <= 0.0 && duty > 0.0 && s->strain_mean[e] > H.eps_mean[e];
        if (hold) {
            double h0 = held[e];
            held[e] = h0 + dt;
            sig *= fa_pm_clamp((held[e] - fa_pm_max(h0, P[P_T_SUSTAIN])) / dt, 0.0, 1.0);
        } else {
            held[e] = 0.0;
        }
        double req = hold ? 1.0 - duty : 1.0;
        rl[e] = req + (rl[e] - req) * er;
        double drive = sig / (sig + P[P_SIG_HALF]) + P[P_K_INFL] * fa_pm_max(0.0, infl[e] - infl0[e]);
        double aeq = P[P_BASE] + (1.0 - P[P_BASE]) * fa_pm_min(1.0, drive);
        a[e] = aeq + (a[e] - aeq) * (aeq > a[e] ? eon : eoff);
        d->tis_tone[e] = P[P_TONE_MAX] * a[e] * rl[e];
    }
}

const fa_pm_module fa_pm_myofibroblast = {"myofibroblast", NF, fields, NP, params, init, step};
