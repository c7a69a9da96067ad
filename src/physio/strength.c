/* SPDX-License-Identifier: MIT */
/* Strength: muscle force capacity (1 = habitual) adapts to training over
 * weeks. Repetitions at effort >= str.eff_thr (heavy resistance) build a
 * training dose T; everyday use U (cycles x effort relative to habitual)
 * keeps capacity; disuse lowers it:
 *   x   = reps_hi/day / str.reps_ref,      T -> x   (tau str.tau_dose)
 *   u   = (c/c_hab)(effort/effort_hab),  U -> u (tau str.tau_dose)
 *   cap_eq = 1 + (cap_max - 1)(1 - exp(-(T - T_hab)+)) - (1 - cap_min) max(0, 1 - U)
 *   (u is not capped per step: U is the week's use relative to the habitual
 *   one, so an hour's run that does the day's loading counts as a day of
 *   use, not as one active hour in 24 idle ones; capped per step, a runner
 *   whose loading comes in one bout read as disused and lost strength)
 *   (T_hab: heavy repetitions of the habitual day, the set point)
 *   cap relaxes with str.tau_gain rising, str.tau_loss falling.
 * Hip-abductor (gluteus medius/TFL) capacity enters the compensation module:
 * a weaker muscle sheds load onto the fascia of its region (ITB), a stronger
 * one takes load off it (Fredericson 2000: abductor deficit in ITBS; 6-week
 * strengthening closed the side-to-side deficit, Beers 2008). */
#include "module.h"

enum { P_EFF_THR, P_REPS_REF, P_TAU_DOSE, P_CAP_MAX, P_CAP_MIN, P_TAU_GAIN, P_TAU_LOSS, NP };
static const char *const params[NP] = {"str.eff_thr", "str.reps_ref", "str.tau_dose", "str.cap_max",
                                       "str.cap_min", "str.tau_gain", "str.tau_loss"};
enum { F_CAP, F_T, F_U, NF };
static const fa_pm_fdecl fields[NF] = {
    {"cap", "-", "force capacity relative to habitual", 1.0, 0.3, 2.0, FA_KIND_BIT(FA_MUSCLE), 0, 0, "strength.cap"},
    {"dose", "-", "heavy-training dose (EMA)", 0.0, 0.0, 1e300, FA_KIND_BIT(FA_MUSCLE), 0, 0, "strength.dose"},
    {"use", "-", "everyday use relative to habitual (EMA)", 1.0, 0.0, 1e3, FA_KIND_BIT(FA_MUSCLE), 0, 0, "strength.use"},
};

static void init(const fa_model *m, fa_data *d)
{
    const double *P = fa_pm_params(d, FA_PM_STRENGTH);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    double *T = fa_pm_field(m, d, FA_PM_STRENGTH, F_T);
    for (int e = fa_pm_kind_begin(m, FA_MUSCLE); e < m->nelem; e++)
        T[e] = H.effort[e] >= P[P_EFF_THR] ? H.rate[e] * FA_PM_DAY / P[P_REPS_REF] : 0.0;
}

static void step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt)
{
    const double *P = fa_pm_params(d, FA_PM_STRENGTH);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    double *cap = fa_pm_field(m, d, FA_PM_STRENGTH, F_CAP);
    double *T = fa_pm_field(m, d, FA_PM_STRENGTH, F_T);
    double *U = fa_pm_field(m, d, FA_PM_STRENGTH, F_U);
    const double ed = fa_pm_decay(dt, P[P_TAU_DOSE]);
    const double eg = fa_pm_decay(dt, P[P_TAU_GAIN]), el = fa_pm_decay(dt, P[P_TAU_LOSS]);
    fa_pm_memo mt = FA_PM_MEMO_INIT;
    for (int e = fa_pm_kind_begin(m, FA_MUSCLE); e < m->nelem; e++) {
        double c = fa_pm_max(0.0, s->cycles[e]);
        double x = s->effort[e] >= P[P_EFF_THR] ? c * FA_PM_DAY / dt / P[P_REPS_REF] : 0.0;
        double u = fa_pm_min(1e3, c / dt / H.rate[e] * s->effort[e] / H.effort[e]);
        T[e] = x + (T[e] - x) * ed;
        U[e] = u + (U[e] - u) * ed;
        /* heavy repetitions that are part of the habitual day are the set
         * point, not training */
        double th = H.effort[e] >= P[P_EFF_THR] ? H.rate[e] * FA_PM_DAY / P[P_REPS_REF] : 0.0;
        double ceq = 1.0 + (P[P_CAP_MAX] - 1.0) * (1.0 - fa_pm_exp(&mt, -fa_pm_max(0.0, T[e] - th))) -
                     (1.0 - P[P_CAP_MIN]) * fa_pm_max(0.0, 1.0 - U[e]);
        cap[e] = ceq + (cap[e] - ceq) * (ceq > cap[e] ? eg : el);
    }
}

const fa_pm_module fa_pm_strength = {"strength", NF, fields, NP, params, init, step};
