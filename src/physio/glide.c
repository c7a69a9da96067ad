/* SPDX-License-Identifier: MIT */
/* Glide: hyaluronan (HA) in the loose sliding layers between fascial sheets.
 * Relative viscosity (1 = healthy layer at 37 C) =
 *   exp(glide.Ea/R (1/T - 1/T0)) * (1 + (glide.f_dens - 1) D) / (1 + (glide.f_dens - 1) D0)
 * D in [0,1] is densification (HA aggregation/crowding, Stecco & Pavan's
 * hypothesis, grade C), T the interface element's tissue temperature.
 *   dD/dt = imm (1 - D)/glide.tau_dens
 *           - D [mov/glide.tau_move + press/glide.tau_press] (1 + glide.k_heat max(0, T - T0))
 * imm = 1 - duty of sliding, mov = duty of sliding x min(1, amp/amp_hab),
 * press = min(duty of compression, duty of sliding) x pressure/glide.p_ref
 * (pressure with shear, as in adhesion.c). Linear in D over a
 * step with constant stimulus: exact exponential update.
 * Acute fluidisation F in [0,1]: pressure with shear disperses the
 * aggregated HA for a while (thixotropy, frictional warming), and it
 * re-aggregates within tens of minutes once the pressure stops:
 *   dF/dt = press (1 - F)/glide.tau_fluid_on - F/glide.tau_fluid_off
 * and only the undispersed part of the densification counts:
 *   visc = Arrhenius x (1 + (f_dens - 1) D (1 - F)) / (1 + (f_dens - 1) D0).
 * So one rolling or massage session lowers viscosity at once and most of
 * that is gone within the hour (a single foam-rolling bout's range-of-motion
 * gain is back to baseline 30 min later: Nakamura 2021), while the
 * structural change of D per session is small (glide.tau_press). D0 is the habitual
 * steady state (computed at init from the element's habitual set point), so a habitual
 * day keeps viscosity at 1. Writes d->intf_visc (glide = 1/visc), the
 * zero-shear value; HA is shear-thinning (Cowman 2015, H1), and
 * fa_physio_ha_viscosity applies a Cross law 1/(1 + (lambda gdot)^m) with the
 * relaxation time of HA solutions (~4.5 s, Rwei 2008) for the mechanics. */
#include "module.h"

enum { P_EA, P_F_DENS, P_TAU_DENS, P_TAU_MOVE, P_TAU_PRESS, P_P_REF, P_K_HEAT, P_LAMBDA, P_CROSS_M, P_FL_ON, P_FL_OFF,
       NP };
static const char *const params[NP] = {"glide.Ea",       "glide.f_dens",       "glide.tau_dens",       "glide.tau_move",
                                       "glide.tau_press", "glide.p_ref",        "glide.k_heat",         "glide.lambda",
                                       "glide.cross_m",   "glide.tau_fluid_on", "glide.tau_fluid_off"};
enum { F_VISC, F_DENS, F_DENS0, F_FLUID };
static const fa_pm_fdecl fields[] = {
    {"intf_visc", "-", "HA viscosity relative to healthy 37 C", 1.0, 0.05, 50.0, FA_KIND_BIT(FA_INTERFACE), 1, 1, "intf_visc"},
    {"dens", "-", "HA densification [0,1]", 0.0, 0.0, 1.0, FA_KIND_BIT(FA_INTERFACE), 1, 0, "glide.dens"},
    {"dens0", "-", "habitual steady densification (set at init)", 0.0, 0.0, 1.0, FA_KIND_BIT(FA_INTERFACE), 1, 0,
     "glide.dens0"},
    {"fluid", "-", "acutely dispersed fraction of the densified HA (manual pressure with shear)", 0.0, 0.0, 1.0,
     FA_KIND_BIT(FA_INTERFACE), 1, 0, "glide.fluid"},
};

#define R_GAS 8.314462618 /* J/(mol K) */

/* Habitual steady densification of the interface whose element is e. */
static double d_hab(const fa_model *m, const fa_data *d, int e)
{
    const double *P = fa_pm_params(d, FA_PM_GLIDE);
    double mov = fa_pm_habitual_get(m, d).slide_frac[e], imm = 1.0 - mov;
    double kf = imm / P[P_TAU_DENS], kb = mov / P[P_TAU_MOVE];
    return kf + kb > 0.0 ? kf / (kf + kb) : 0.0;
}

static void init(const fa_model *m, fa_data *d)
{
    double *D = fa_pm_field(m, d, FA_PM_GLIDE, F_DENS), *D0 = fa_pm_field(m, d, FA_PM_GLIDE, F_DENS0);
    const int e0 = fa_pm_kind_begin(m, FA_INTERFACE);
    for (int i = 0; i < m->nintf; i++) {
        D[i] = D0[i] = d_hab(m, d, e0 + i);
        d->intf_visc[i] = 1.0;
    }
}

static void step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt)
{
    const double *P = fa_pm_params(d, FA_PM_GLIDE);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    double *D = fa_pm_field(m, d, FA_PM_GLIDE, F_DENS);
    const double *D0 = fa_pm_field(m, d, FA_PM_GLIDE, F_DENS0);
    double *F = fa_pm_field(m, d, FA_PM_GLIDE, F_FLUID);
    const double T0 = m->opt.temperature + 273.15;
    const double kon = 1.0 / P[P_FL_ON], koff = 1.0 / P[P_FL_OFF], Eoff = fa_pm_decay(dt, P[P_FL_OFF]);
    const int e0 = fa_pm_kind_begin(m, FA_INTERFACE);
    fa_pm_memo mk = FA_PM_MEMO_INIT, ma = FA_PM_MEMO_INIT, mf = FA_PM_MEMO_INIT;
    for (int i = 0; i < m->nintf; i++) {
        int e = e0 + i;
        double ds = fa_pm_duty(s->t_slide[e], dt);
        double amp = fa_pm_min(1.0, s->slide_amp[e] / H.slide_amp[e]);
        double mov = ds * fa_pm_max(0.0, amp), imm = 1.0 - ds;
        /* pressure acts on the layer only while it is sheared (rolling,
         * massage: pressure with sliding); static compression (sitting, a
         * sustained roller) neither clears nor disperses densified HA */
        double press = fa_pm_min(fa_pm_duty(s->t_press[e], dt), ds) * fa_pm_max(0.0, s->pressure[e]) / P[P_P_REF];
        double heat = 1.0 + P[P_K_HEAT] * fa_pm_max(0.0, d->tis_temp[e] - m->opt.temperature);
        double kf = imm / P[P_TAU_DENS];
        double kb = (mov / P[P_TAU_MOVE] + press / P[P_TAU_PRESS]) * heat;
        double k = kf + kb;
        if (k > 0.0) D[i] = kf / k + (D[i] - kf / k) * fa_pm_exp(&mk, -dt * k);
        /* acute fluidisation: linear, exact exponential (only the decay when no pressure) */
        double pr = fa_pm_min(press, 1.0);
        if (pr > 0.0) {
            double kp = pr * kon, kt = kp + koff, Feq = kp / kt;
            F[i] = Feq + (F[i] - Feq) * fa_pm_exp(&mf, -dt * kt);
        } else {
            F[i] *= Eoff;
        }
        double T = d->tis_temp[e] + 273.15;
        double arr = fa_pm_exp(&ma, P[P_EA] / R_GAS * (1.0 / T - 1.0 / T0));
        d->intf_visc[i] = arr * (1.0 + (P[P_F_DENS] - 1.0) * D[i] * (1.0 - F[i])) / (1.0 + (P[P_F_DENS] - 1.0) * D0[i]);
    }
}

double fa_physio_ha_viscosity(const fa_model *m, const fa_data *d, int i, double shear_rate)
{
    FA_ASSERT(i >= 0 && i < m->nintf && d->phys);
    const double *P = fa_pm_params(d, FA_PM_GLIDE);
    double x = P[P_LAMBDA] * fabs(shear_rate);
    return d->intf_visc[i] / (1.0 + (x > 0.0 ? pow(x, P[P_CROSS_M]) : 0.0));
}

const fa_pm_module fa_pm_glide = {"glide", 4, fields, NP, params, init, step};
