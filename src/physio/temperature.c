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
 * Exercise heat is made inside the working tissue and warms the whole limb,
 * a heat store S (excess C) that outlasts the bout: S follows the exercise
 * target with temp.tau_ex and, in every other mode, decays with
 * temp.tau_store; at rest the tissue relaxes toward T0 + S, not T0
 * (Kenny 2003: 60 min after 15 min of knee extensions vastus medialis was
 * still 0.9-1.8 C above rest, 44-55 % of the rise). Passive heating (bath)
 * does not charge the store: its excess washes out with temp.tau_wash
 * (Jackman 2023). With S decaying, the rest-mode update is exact:
 *   x(t) = A e^{-t/tau_s} + (x0 - A) e^{-t/tau},  A = S0 tau_s/(tau_s - tau)
 * (x = T - T0). Feeds the glide module (Arrhenius viscosity) and the
 * mechanics. */
#include "module.h"

enum { P_TAU_WASH, P_TAU_EX, P_DT_EX, P_TAU_BATH, P_GAIN_BATH, P_TAU_COLD, P_GAIN_COLD, P_TAU_REWARM, P_TAU_STORE, NP };
static const char *const params[NP] = {"temp.tau_wash",   "temp.tau_ex",   "temp.dT_ex",
                                       "temp.tau_bath",   "temp.gain_bath", "temp.tau_cold",
                                       "temp.gain_cold",  "temp.tau_rewarm", "temp.tau_store"};
enum { F_T, F_STORE };
static const fa_pm_fdecl fields[] = {
    {"tis_temp", "deg C", "tissue temperature", 37.0, 0.0, 45.0, FA_KINDS_ALL, 0, 1, "tis_temp"},
    {"store", "deg C", "exercise heat store of the limb (excess over rest)", 0.0, 0.0, 20.0, FA_KINDS_ALL, 0, 0,
     "temperature.store"},
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
    const double ts = P[P_TAU_STORE], es = fa_pm_decay(dt, ts);
    const int exercise = s->heat_mode == FA_HEAT_ACTIVITY, none = s->heat_mode == FA_HEAT_NONE;
    double *S = fa_pm_field(m, d, FA_PM_TEMP, F_STORE);
    /* A/S0 for the rest-mode solution, washout and rewarming time constants */
    double cw = 0.0, cr = 0.0;
    if (none) {
        double tw = P[P_TAU_WASH], tr = P[P_TAU_REWARM];
        cw = fabs(ts - tw) > 1e-9 * ts ? ts / (ts - tw) * (es - a) : (dt / tw) * a;
        cr = fabs(ts - tr) > 1e-9 * ts ? ts / (ts - tr) * (es - ar) : (dt / tr) * ar;
    }
    for (int e = 0; e < m->nelem; e++) {
        double Teq = T0;
        switch (s->heat_mode) {
        case FA_HEAT_ACTIVITY: Teq = T0 + P[P_DT_EX] * fa_pm_clamp(s->activity, 0.0, 1.0); break;
        case FA_HEAT_BATH: Teq = T0 + P[P_GAIN_BATH] * (s->heat[e] - T0); break;
        case FA_HEAT_COLD: Teq = T0 + P[P_GAIN_COLD] * (s->heat[e] - T0); break;
        default: break;
        }
        double S0 = S[e];
        if (exercise) {
            S[e] = fa_pm_clamp(Teq - T0 + (S0 - (Teq - T0)) * a, 0.0, 20.0);
            d->tis_temp[e] = Teq + (d->tis_temp[e] - Teq) * a;
        } else if (none) {
            /* toward T0 + S while S decays (exact) */
            int rewarm = d->tis_temp[e] < T0;
            double x0 = d->tis_temp[e] - T0;
            d->tis_temp[e] = T0 + x0 * (rewarm ? ar : a) + S0 * (rewarm ? cr : cw);
            S[e] = S0 * es;
        } else {
            d->tis_temp[e] = Teq + (d->tis_temp[e] - Teq) * a;
            S[e] = S0 * es;
        }
    }
}

const fa_pm_module fa_pm_temperature = {"temperature", 2, fields, NP, params, init, step};
