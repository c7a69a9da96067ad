/* SPDX-License-Identifier: MIT */
/* Temperature: tissue temperature relaxes first-order toward a target set by
 * the interval's heat source:
 *   none      T_eq = T0 (m->opt.temperature),          tau = temp.tau_wash
 *             (temp.tau_rewarm when the tissue is below T0: cold-induced
 *             vasoconstriction slows rewarming, Myrer 1979)
 *   activity  T_eq = T0 + temp.dT_ex * activity,        tau = temp.tau_ex
 *   bath      T_eq = T0 + temp.gain_bath (T_w - T0),    tau = temp.tau_bath
 *   cold      T_eq = T0 + temp.gain_cold (T_w - T0),    tau = temp.tau_cold
 * T_w is the stimulus heat[] (water temperature). Exact exponential update.
 * Feeds the glide module (Arrhenius viscosity) and the mechanics. */
#include "module.h"

enum { P_TAU_WASH, P_TAU_EX, P_DT_EX, P_TAU_BATH, P_GAIN_BATH, P_TAU_COLD, P_GAIN_COLD, P_TAU_REWARM, NP };
static const char *const params[NP] = {"temp.tau_wash", "temp.tau_ex",   "temp.dT_ex",   "temp.tau_bath",
                                       "temp.gain_bath", "temp.tau_cold", "temp.gain_cold", "temp.tau_rewarm"};
static const fa_pm_fdecl fields[] = {
    {"tis_temp", "deg C", "tissue temperature", 37.0, 0.0, 45.0, FA_KINDS_ALL, 0, 1, "tis_temp"},
};

static void init(const fa_model *m, fa_data *d)
{
    for (int e = 0; e < m->nelem; e++) d->tis_temp[e] = m->opt.temperature;
}

static void step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt)
{
    const double *P = fa_pm_params(d, FA_PM_TEMP);
    const double T0 = m->opt.temperature;
    double tau = P[P_TAU_WASH];
    switch (s->heat_mode) {
    case FA_HEAT_ACTIVITY: tau = P[P_TAU_EX]; break;
    case FA_HEAT_BATH: tau = P[P_TAU_BATH]; break;
    case FA_HEAT_COLD: tau = P[P_TAU_COLD]; break;
    default: break;
    }
    const double a = fa_pm_decay(dt, tau), ar = fa_pm_decay(dt, P[P_TAU_REWARM]);
    for (int e = 0; e < m->nelem; e++) {
        double Teq = T0;
        switch (s->heat_mode) {
        case FA_HEAT_ACTIVITY: Teq = T0 + P[P_DT_EX] * fa_pm_clamp(s->activity, 0.0, 1.0); break;
        case FA_HEAT_BATH: Teq = T0 + P[P_GAIN_BATH] * (s->heat[e] - T0); break;
        case FA_HEAT_COLD: Teq = T0 + P[P_GAIN_COLD] * (s->heat[e] - T0); break;
        default: break;
        }
        int rewarm = s->heat_mode == FA_HEAT_NONE && d->tis_temp[e] < T0;
        d->tis_temp[e] = Teq + (d->tis_temp[e] - Teq) * (rewarm ? ar : a);
    }
}

const fa_pm_module fa_pm_temperature = {"temperature", 1, fields, NP, params, init, step};
