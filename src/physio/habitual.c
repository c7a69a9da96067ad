/* SPDX-License-Identifier: MIT */
/* Habitual set point: what an ordinary day does to each element. Tissues
 * adapt to their own habitual loading (the mechanostat's set point), so every
 * module measures its drives against these per-element values rather than
 * against one global number. They start from the stim.* rows of the table
 * (one reference person, the same for every element) and are replaced by the
 * element's own habitual day with fa_physio_set_habitual (e.g. the strains
 * the mechanics computes for an average day of walking, sitting and sleep),
 * or with fa_physio_set_habitual_day from the day's pieces in order, which
 * also records the mechanostimulus the day delivers once desensitisation
 * (remodel) is replayed over its bouts (stim_rate, sens0): 4000 strides in a
 * few walks stimulate the cells far less than the same strides spread
 * evenly over 24 h, and a set point that assumed the latter made every
 * ordinary day a disuse day. The module has no dynamics: the set point
 * changes only through those calls. */
#include "module.h"

static const fa_pm_fdecl fields[FA_HAB_COUNT] = {
    {"eps_peak", "-", "habitual peak strain of loading cycles", 0.015, 1e-4, 1.0, FA_KINDS_ALL, 0, 0, "habitual.eps_peak"},
    {"eps_mean", "-", "habitual mean strain while loaded", 0.005, -1.0, 1.0, FA_KINDS_ALL, 0, 0, "habitual.eps_mean"},
    {"rate", "1/s", "habitual loading-cycle rate (day average)", 0.0463, 1e-9, 100.0, FA_KINDS_ALL, 0, 0,
     "habitual.rate"},
    {"load_frac", "-", "habitual fraction of time under load", 0.667, 0.0, 1.0, FA_KINDS_ALL, 0, 0,
     "habitual.load_frac"},
    {"stress_mean", "Pa", "habitual mean stress while loaded", 1e6, -1e9, 1e9, FA_KINDS_ALL, 0, 0,
     "habitual.stress_mean"},
    {"slide_amp", "m", "habitual sliding amplitude", 0.005, 1e-6, 1.0, FA_KINDS_ALL, 0, 0, "habitual.slide_amp"},
    {"slide_vel", "m/s", "habitual sliding velocity", 0.02, 0.0, 10.0, FA_KINDS_ALL, 0, 0, "habitual.slide_vel"},
    {"slide_frac", "-", "habitual fraction of time with sliding", 0.25, 0.0, 1.0, FA_KINDS_ALL, 0, 0,
     "habitual.slide_frac"},
    {"effort", "-", "habitual peak muscle effort", 0.3, 1e-3, 1.0, FA_KINDS_ALL, 0, 0, "habitual.effort"},
    {"stim_rate", "1/s",
     "habitual mechanostimulus per second (remodel's desensitised cycle integral over the habitual day's pieces; 0: "
     "uniform cycles at rate; -1: the day strains the element in no cycle)",
     0.0, -1.0, 1e6, FA_KINDS_ALL, 0, 0, "habitual.stim_rate"},
    {"sens0", "-", "remodel's mechanosensitivity at the start of the habitual day (< 0: the uniform-rate steady value)",
     -1.0, -1.0, 1.0, FA_KINDS_ALL, 0, 0, "habitual.sens0"},
    {"mus_eps", "-",
     "muscles: fibre strain at which the habitual day's serial-sarcomere additions and removals balance (remodel; "
     "without a habitual day: eps_mean)",
     0.005, -1.0, 1.0, FA_KINDS_ALL, 0, 0, "habitual.mus_eps"},
    {"mus_long0", "-", "muscles: remodel's stretch-share EMA at the start of the habitual day", 0.0, 0.0, 1.0,
     FA_KINDS_ALL, 0, 0, "habitual.mus_long0"},
    {"mus_tgt0", "-", "muscles: remodel's stretched-target EMA at the start of the habitual day", 0.0, 0.0, 1.2,
     FA_KINDS_ALL, 0, 0, "habitual.mus_tgt0"},
};

static void init(const fa_model *m, fa_data *d)
{
    const double *S = fa_pm_stim(d);
    const double v[FA_HAB_COUNT] = {S[FA_STIM_EPS_PEAK],   S[FA_STIM_EPS_MEAN],  S[FA_STIM_CYCLES_DAY] / FA_PM_DAY,
                                    S[FA_STIM_LOAD_FRAC],  S[FA_STIM_STRESS_MEAN], S[FA_STIM_SLIDE_AMP],
                                    S[FA_STIM_SLIDE_VEL],  S[FA_STIM_SLIDE_FRAC], S[FA_STIM_EFFORT], 0.0, -1.0,
                                    S[FA_STIM_EPS_MEAN],  0.0,                 0.0};
    for (int j = 0; j < FA_HAB_COUNT; j++) {
        double *x = fa_pm_field(m, d, FA_PM_HAB, j);
        for (int e = 0; e < m->nelem; e++) x[e] = v[j];
    }
}

static void step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt)
{
    (void)m;
    (void)d;
    (void)s;
    (void)dt;
}

const fa_pm_module fa_pm_habitual = {"habitual", FA_HAB_COUNT, fields, 0, NULL, init, step};

fa_pm_hab fa_pm_habitual_get(const fa_model *m, const fa_data *d)
{
    fa_data *dm = (fa_data *)(uintptr_t)d;
    fa_pm_hab h;
    h.eps_peak = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_EPS_PEAK);
    h.eps_mean = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_EPS_MEAN);
    h.rate = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_RATE);
    h.load_frac = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_LOAD_FRAC);
    h.stress_mean = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_STRESS_MEAN);
    h.slide_amp = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_SLIDE_AMP);
    h.slide_vel = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_SLIDE_VEL);
    h.slide_frac = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_SLIDE_FRAC);
    h.effort = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_EFFORT);
    h.stim_rate = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_STIM_RATE);
    h.sens0 = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_SENS0);
    h.mus_eps = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_MUS_EPS);
    h.mus_long0 = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_MUS_LONG0);
    h.mus_tgt0 = fa_pm_field(m, dm, FA_PM_HAB, FA_HAB_MUS_TGT0);
    return h;
}
