/* SPDX-License-Identifier: MIT */
/* Hydration: water pressed out of the ground substance under sustained
 * stretch or compression, refilling at rest with supercompensation
 * (Schleip et al. 2012, V3: dip during/after a 15-min stretch, then an
 * overshoot above the initial level with rest; passive, also in non-viable
 * tissue). Magnitudes and times are not in the literature we have: grade C.
 *
 *   drive  D = min(1, duty_load * max(0, eps_mean - eps_hab)/hyd.eps_ref
 *                     + duty_press * pressure/hyd.p_ref)
 *   ceiling c = 1 - hyd.dry * (1 - min(water, 1))        (drinking sets it)
 *   w_eq   = c (1 + a) (1 - hyd.loss * D)
 *   dw/dt  = (w_eq - w)/tau,  tau = hyd.tau_out if w > w_eq else hyd.tau_in
 *   da/dt  = (hyd.k_swell * max(0, c - w) - a)/hyd.tau_swell
 * a is the swelling potential built up by the water deficit (matrix
 * proteoglycans exposed by the squeeze); it makes w overshoot c after
 * release and decays over hours. Updates are sequential exact exponentials.
 * The mechanics' stiffness follows 1 + hyd.k_stiff (w - 1). */
#include "module.h"

enum { P_K_STIFF, P_TAU_OUT, P_TAU_IN, P_LOSS, P_EPS_REF, P_P_REF, P_K_SWELL, P_TAU_SWELL, P_DRY, NP };
static const char *const params[NP] = {"hyd.k_stiff", "hyd.tau_out", "hyd.tau_in",    "hyd.loss",   "hyd.eps_ref",
                                       "hyd.p_ref",   "hyd.k_swell", "hyd.tau_swell", "hyd.dry"};
enum { F_W, F_SWELL };
static const fa_pm_fdecl fields[] = {
    {"tis_hyd", "-", "water content relative to healthy baseline", 1.0, 0.5, 1.5, FA_KINDS_TISSUE, 0, 1},
    {"swell", "-", "swelling potential (supercompensation drive)", 0.0, 0.0, 1.0, FA_KINDS_TISSUE, 0, 0},
};

static void step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt)
{
    const double *P = fa_pm_params(d, FA_PM_HYD);
    const double *S = fa_pm_stim(d);
    double *w = d->tis_hyd;
    double *a = fa_pm_field(m, d, FA_PM_HYD, F_SWELL);
    const double c = 1.0 - P[P_DRY] * (1.0 - fa_pm_clamp(s->water, 0.0, 1.0));
    const double a_out = fa_pm_decay(dt, P[P_TAU_OUT]), a_in = fa_pm_decay(dt, P[P_TAU_IN]);
    const int e1 = fa_pm_kind_end(m, FA_MEMBRANE);
    for (int e = 0; e < e1; e++) {
        double dl = fa_pm_duty(s->t_load[e], dt), dp = fa_pm_duty(s->t_press[e], dt);
        double D = dl * fmax(0.0, s->strain_mean[e] - S[FA_STIM_EPS_MEAN]) / P[P_EPS_REF] +
                   dp * fmax(0.0, s->pressure[e]) / P[P_P_REF];
        D = fmin(D, 1.0);
        double weq = c * (1.0 + a[e]) * (1.0 - P[P_LOSS] * D);
        double w0 = w[e];
        w[e] = weq + (w0 - weq) * (w0 > weq ? a_out : a_in);
        /* swelling potential driven by the mean deficit over the step */
        double def = fmax(0.0, c - 0.5 * (w0 + w[e]));
        a[e] = fa_pm_relax(a[e], P[P_K_SWELL] * def, dt, P[P_TAU_SWELL]);
    }
}

const fa_pm_module fa_pm_hydration = {"hydration", 2, fields, NP, params, NULL, step};
