/* SPDX-License-Identifier: MIT */
/* Hydration: water pressed out of the ground substance under sustained
 * stretch or compression, refilling at rest with supercompensation
 * (Schleip et al. 2012, V3: dip during/after a 15-min stretch, then an
 * overshoot above the initial level with rest; passive, also in non-viable
 * tissue). Magnitudes and times are not in the literature we have: grade C.
 *
 *   drive  D = min(1, duty_load * max(0, eps_mean - max(0, eps_hab))/hyd.eps_ref
 *                     + duty_press * pressure/hyd.p_ref)
 *   ceiling c = 1 - hyd.dry * (1 - min(water, 1))        (drinking sets it)
 *   w_eq   = c (1 + a (1 - D)) (1 - hyd.loss * D)   (swelling shows once unloaded)
 *   dw/dt  = (w_eq - w)/tau,  tau = hyd.tau_out if w > w_eq else hyd.tau_in
 *   da/dt  = (hyd.k_swell * (c - w) - a)/hyd.tau_swell,  a >= 0
 * w (hydration.water) is the total water content, what Schleip weighed. a is
 * the swelling potential built up by the water deficit (matrix
 * proteoglycans exposed by the squeeze); it makes w overshoot c after
 * release and decays over hours (an overshoot above c consumes it).
 *
 * Two pools, one stiffness rule (the decision on V1 vs V3). The mechanics
 * scales stiffness by 1/tis_hyd (fa_tissue_scale): less free water, stiffer
 * (Yahia 1993, V1: repeated loading stiffens, rest reverses it; dehydrated
 * tendon and ligament are stiffer). Water above the ceiling c is there only
 * because the swollen proteoglycans hold it osmotically: it does not
 * lubricate the fibres, and the swelling pressure that holds it pre-tensions
 * the collagen network (the stiffening Schleip saw with the overshoot, also
 * in dead tissue, so passive). tis_hyd is therefore the free (plasticising)
 * water
 *   tis_hyd = w - (1 + hyd.k_bound) max(0, w - c)
 * so both the dip (w < c) and the overshoot (w > c) are stiffer than the
 * habitual state (tis_hyd = w = c = 1). The split is a hypothesis (grade C)
 * consistent with both observations. */
#include "module.h"

enum { P_TAU_OUT, P_TAU_IN, P_LOSS, P_EPS_REF, P_P_REF, P_K_SWELL, P_TAU_SWELL, P_DRY, P_K_BOUND, NP };
static const char *const params[NP] = {"hyd.tau_out", "hyd.tau_in",    "hyd.loss", "hyd.eps_ref", "hyd.p_ref",
                                       "hyd.k_swell", "hyd.tau_swell", "hyd.dry",  "hyd.k_bound"};
enum { F_FREE, F_SWELL, F_WATER };
static const fa_pm_fdecl fields[] = {
    {"tis_hyd", "-", "free (unbound) water relative to healthy: the mechanics' hydration", 1.0, 0.5, 1.5, FA_KINDS_TISSUE,
     0, 1, "tis_hyd"},
    {"swell", "-", "swelling potential (supercompensation drive)", 0.0, 0.0, 1.0, FA_KINDS_TISSUE, 0, 0, "hydration.swell"},
    {"water", "-", "total water content relative to healthy (free + bound)", 1.0, 0.5, 1.5, FA_KINDS_TISSUE, 0, 0,
     "hydration.water"},
};

static void step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt)
{
    const double *P = fa_pm_params(d, FA_PM_HYD);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    double *w = fa_pm_field(m, d, FA_PM_HYD, F_WATER);
    double *a = fa_pm_field(m, d, FA_PM_HYD, F_SWELL);
    const double kb = P[P_K_BOUND];
    const double c = 1.0 - P[P_DRY] * (1.0 - fa_pm_clamp(s->water, 0.0, 1.0));
    /* Substeps of at most hyd.tau_swell/2 (w_eq depends on a); within a
     * substep w relaxes to w_eq exactly (a held), and a integrates the
     * deficit d(t) = c - w(t), itself an exponential, analytically:
     *   a(h) = a0 Ea + k d_eq (1 - Ea) + k (d0 - d_eq) tw (Ew - Ea)/(tw - ta) */
    const double ta = P[P_TAU_SWELL], k = P[P_K_SWELL];
    const int n = (int)fa_pm_max(1.0, ceil(dt / (0.5 * ta)));
    const double h = dt / n, Ea = fa_pm_decay(h, ta);
    const double Eo = fa_pm_decay(h, P[P_TAU_OUT]), Ei = fa_pm_decay(h, P[P_TAU_IN]);
    const double Co = fabs(P[P_TAU_OUT] - ta) > 1e-9 * ta ? P[P_TAU_OUT] * (Eo - Ea) / (P[P_TAU_OUT] - ta) : (h / ta) * Ea;
    const double Ci = fabs(P[P_TAU_IN] - ta) > 1e-9 * ta ? P[P_TAU_IN] * (Ei - Ea) / (P[P_TAU_IN] - ta) : (h / ta) * Ea;
    const int e1 = fa_pm_kind_end(m, FA_MEMBRANE);
    for (int e = 0; e < e1; e++) {
        double dl = fa_pm_duty(s->t_load[e], dt), dp = fa_pm_duty(s->t_press[e], dt);
        /* tension presses the water out: strain beyond the habitual
         * tensile strain (a slack element's habitual compression, negative
         * strain, does not make an unloaded night a stretch) */
        double D = dl * fa_pm_max(0.0, s->strain_mean[e] - fa_pm_max(0.0, H.eps_mean[e])) / P[P_EPS_REF] +
                   dp * fa_pm_max(0.0, s->pressure[e]) / P[P_P_REF];
        D = fa_pm_min(D, 1.0);
        for (int q = 0; q < n; q++) {
            double weq = c * (1.0 + a[e] * (1.0 - D)) * (1.0 - P[P_LOSS] * D);
            double w0 = w[e];
            int out = w0 > weq;
            w[e] = fa_pm_clamp(weq + (w0 - weq) * (out ? Eo : Ei), 0.5, 1.5);
            double d0 = c - w0, deq = c - weq;
            a[e] = fa_pm_clamp(a[e] * Ea + k * deq * (1.0 - Ea) + k * (d0 - deq) * (out ? Co : Ci), 0.0, 1.0);
        }
        d->tis_hyd[e] = fa_pm_clamp(w[e] - (1.0 + kb) * fa_pm_max(0.0, w[e] - c), 0.5, 1.5);
    }
}

const fa_pm_module fa_pm_hydration = {"hydration", 3, fields, NP, params, NULL, step};
