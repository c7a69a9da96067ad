/* SPDX-License-Identifier: MIT */
/* Damage module: healing that depends on the severity (structural damage
 * beyond the injury level repairs slower: weeks for 0.35, months for 0.8,
 * against the closed form), the nonlocal strain that keeps a softened
 * element in a chain from taking all further damage, and the acute overload
 * measured on the intact fibres' failure strain (strain equivalence), and
 * the chronicity of a lesion loaded through pain (failed healing: a lesion
 * kept near the injury level by 16 weeks of daily runs heals half as long
 * again as the same lesion rested at once; one loaded below the reactive
 * level does not grow chronic), and pain from damage measured on the
 * margin to the injury level, and a tendon whose fatigue quality matches its
 * ordinary day (walking at 5.5 %) that runs at 7 % for a year uninjured but
 * is injured within a week strained near its failure strain. */
#include <math.h>
#include <stdio.h>

#include "harness.h"
#include "physio_util.h"

static fa_model *M;
static fa_data *D;
static fa_stimulus *S;

static double par(const char *id) { return fa_physio_param(D, id); }

/* Days for element e to heal from D1 to below Dend with no load, awake. */
static double heal_days(int e, double D1, double Dend)
{
    fa_data_reset(M, D);
    fa_physio_reset(M, D);
    const int dm = fa_physio_module_find("damage");
    D->tis_damage[e] = D1;
    fa_stimulus_clear(S);
    S->rest = 0;
    for (int h = 0; h < 24 * 730; h++) {
        fa_physio_step_module(M, D, dm, S, 3600.0);
        if (D->tis_damage[e] < Dend) return (h + 1) / 24.0;
    }
    return INFINITY;
}

/* closed form of dD/dt = -D / (tau g(D)), g = 1 + (D - Di)_+/Ds */
static double heal_exact(double D1, double Dend, double tau, double Di, double Ds)
{
    double t = 0.0;
    if (D1 > Di) {
        t += log(D1 / Di) + (D1 - Di) / Ds - Di / Ds * log(D1 / Di);
        D1 = Di;
    }
    t += log(D1 / Dend);
    return t * tau / 86400.0;
}

static void test_severity(void)
{
    const double tau = par("dmg.tau_heal"), Di = par("dmg.D_inj"), Ds = par("dmg.D_sat"), end = 0.5 * Di;
    double t35 = heal_days(0, 0.35, end), t80 = heal_days(0, 0.8, end), t30 = heal_days(0, Di, end);
    double x35 = heal_exact(0.35, end, tau, Di, Ds), x80 = heal_exact(0.8, end, tau, Di, Ds);
    CHECK_MSG(fabs(t35 - x35) < 0.02 * x35 + 1.0 / 24 && fabs(t80 - x80) < 0.02 * x80 + 1.0 / 24,
              "healing 0.35: %.1f d (exact %.1f), 0.8: %.1f d (exact %.1f)", t35, x35, t80, x80);
    /* at or below the injury level, first order with dmg.tau_heal (unchanged) */
    CHECK_REL(t30, log(2.0) * tau / 86400.0, 0.01);
    /* weeks for 0.35, months for 0.8, and far more than the first-order ratio */
    CHECK_MSG(t35 < 42.0 && t80 > 60.0 && t80 > 2.0 * t35 && t80 > 1.2 * log(0.8 / end) / log(0.35 / end) * t35,
              "healing 0.35: %.1f d, 0.8: %.1f d", t35, t80);
    printf("healing to D_inj/2, awake, unloaded: injury 0.35 %.1f days, 0.8 %.1f days (first order would be %.1f)\n",
           t35, t80, log(0.8 / end) * tau / 86400.0);
}

/* A chain cord0-cord1-cord2 (cord1 softened to 0.8 and strained 4.6 % in
 * walking, its neighbours 2 %) and a lone cord3 strained 4.6 %: walked 30
 * min a day, the chained lesion heals (its damage is driven by the strain
 * of the tissue around it), the lone one takes damage to rupture. */
static void test_nonlocal(void)
{
    fa_model *m = tiny_model(4);
    CHECK(m != NULL);
    if (!m) return;
    for (int i = 0; i < 3; i++) m->cord_node[2 * i] = i, m->cord_node[2 * i + 1] = i + 1;
    m->cord_node[6] = 5, m->cord_node[7] = 6;
    fa_error err;
    fa_physio_params *p = fa_physio_params_default(&err);
    fa_data *d = fa_data_alloc(m, 0);
    fa_stimulus *s = fa_stimulus_alloc(m);
    /* the nonlocal strain alone: a lesion walked on also grows chronic (damage.chron, test_chronic) */
    CHECK(p && fa_physio_params_set(p, "dmg.k_chr", 0.0) == FA_OK);
    CHECK(p && d && s && fa_physio_init(m, d, p, &err) == FA_OK);
    if (p && d && s) {
        const int dm = fa_physio_module_find("damage");
        d->tis_damage[1] = d->tis_damage[3] = 0.8;
        for (int day = 0; day < 90; day++) {
            fa_stimulus_clear(s);
            s->rest = 1;
            fa_physio_step_module(m, d, dm, s, 8 * 3600.0);
            s->rest = 0;
            fa_physio_step_module(m, d, dm, s, 15.5 * 3600.0);
            for (int e = 0; e < 4; e++) s->strain_peak[e] = (e == 1 || e == 3) ? 0.046 : 0.02, s->cycles[e] = 1728.0;
            fa_physio_step_module(m, d, dm, s, 1800.0);
        }
        CHECK_MSG(d->tis_damage[1] < 0.6 && d->tis_damage[3] > 0.95,
                  "after 90 days of walking: chained lesion %.3f, lone %.3f", d->tis_damage[1], d->tis_damage[3]);
        printf("lesion 0.8 walked 90 days: in a chain %.3f (nonlocal strain %.4f), alone %.3f\n", d->tis_damage[1],
               (0.046 + 0.04) / 3.0, d->tis_damage[3]);
    }
    fa_stimulus_free(s);
    fa_data_free(d);
    fa_physio_params_free(p);
    fa_model_free(m);
}

/* An element damaged to 0.25 strained to 80 % of the failure strain (above
 * the old damaged capacity eps_fail (1 - D)) takes fatigue damage but no
 * injury at once; at the failure strain it is injured at once. */
static void test_overload(void)
{
    const int e = 0, dm = fa_physio_module_find("damage");
    for (int k = 0; k < 2; k++) {
        fa_data_reset(M, D);
        fa_physio_reset(M, D);
        D->tis_damage[e] = 0.25;
        fa_stimulus_baseline(M, D, S, 1.0);
        for (int q = 0; q < M->nelem; q++) S->strain_peak[q] = (k ? 1.0 : 0.8) * par("dmg.eps_fail"), S->cycles[q] = 1;
        fa_physio_step_module(M, D, dm, S, 1.0);
        int inj = fa_physio_injuries(M, D, e);
        CHECK_MSG(k ? inj == 1 : (inj == 0 && D->tis_damage[e] > 0.26),
                  "strain %.0f %% of failure at damage 0.25: %d injuries, damage %.3f", k ? 100.0 : 80.0, inj,
                  D->tis_damage[e]);
    }
}


/* Failed healing (damage.chron): element 0 starts with a lesion of D1. Rested
 * at once it heals to D_inj/2 in the first-order time. Run on for 16 weeks
 * (90 min a day at a strain well above the habitual one, the S-N line's
 * daily damage equal to the repair of D1: running through pain that holds
 * the lesion where it is), its chronicity grows and it then heals slower;
 * the same loading of a lesion below the reactive level (dmg.x_react)
 * leaves its chronicity at zero. */
static double loaded_then_rest(double D1, int weeks, double *chron)
{
    const int e = 0, dm = fa_physio_module_find("damage");
    const double *C = fa_physio_state_const(M, D, "damage.chron");
    fa_data_reset(M, D);
    fa_physio_reset(M, D);
    D->tis_damage[e] = D1;
    /* daily runs of n cycles at the strain whose S-N life gives n/N_f = D1 dt/tau_heal a day
     * (well above the habitual peak strain: overload) */
    const double n = 2000.0, tau = par("dmg.tau_heal"), Nf = n * tau / (D1 * 86400.0);
    const double Sp = par("dmg.S0") - par("dmg.S1") * log10(Nf), eps = Sp / 100.0 * par("dmg.eps_fail");
    for (int day = 0; day < 7 * weeks; day++) {
        fa_stimulus_clear(S);
        S->rest = 0;
        fa_physio_step_module(M, D, dm, S, 86400.0 - 5400.0);
        S->strain_peak[e] = eps;
        S->cycles[e] = n;
        fa_physio_step_module(M, D, dm, S, 5400.0);
    }
    *chron = C[e];
    fa_stimulus_clear(S);
    for (int h = 0; h < 24 * 730; h++) {
        fa_physio_step_module(M, D, dm, S, 3600.0);
        if (D->tis_damage[e] < 0.5 * par("dmg.D_inj")) return (h + 1) / 24.0;
    }
    return INFINITY;
}

static void test_chronic(void)
{
    const double Di = par("dmg.D_inj"), D0 = fa_physio_state_const(M, D, "damage.D0")[0];
    const double hi = 0.28, lo = D0 + 0.5 * par("dmg.x_react") * (Di - D0); /* x 0.93 and 0.3 (x_react 0.6) */
    double c_rest, c_hi, c_lo;
    const int weeks = 16;
    double t_rest = loaded_then_rest(hi, 0, &c_rest), t_hi = loaded_then_rest(hi, weeks, &c_hi);
    double t_lo_rest = loaded_then_rest(lo, 0, &c_rest), t_lo = loaded_then_rest(lo, weeks, &c_lo);
    /* rested at once: first order (no chronicity) */
    CHECK_REL(t_rest, log(hi / (0.5 * Di)) * par("dmg.tau_heal") / 86400.0, 0.02);
    /* 16 weeks through pain: chronic, healing a third longer and more (measured 1.5 times) */
    CHECK_MSG(c_hi > 0.3 && t_hi > 1.3 * t_rest,
              "lesion %.2f loaded %d weeks: chronicity %.3f, healing %.1f d (rested at once %.1f d)", hi, weeks, c_hi,
              t_hi, t_rest);
    /* below the reactive level the loading leaves the repair as it was (the last run's damage aside) */
    CHECK_MSG(c_lo == 0.0 && fabs(t_lo - t_lo_rest) < 0.15 * t_lo_rest,
              "lesion %.3f loaded %d weeks: chronicity %.3f, healing %.1f d (rested %.1f d)", lo, weeks, c_lo, t_lo,
              t_lo_rest);
    printf("lesion %.2f: healed to D_inj/2 in %.1f days rested at once, %.1f days after %d weeks run on through pain "
           "(chronicity %.3f); lesion %.3f below the reactive level: %.1f / %.1f days (chronicity %.3f)\n",
           hi, t_rest, t_hi, weeks, c_hi, lo, t_lo_rest, t_lo, c_lo);
}

/* Pain from damage is measured on the margin from the habitual damage D0
 * to the injury level (sensation.c, fa_pm_lesion): an element whose
 * ordinary day holds it at D0 0.23 hurts (> 2/10) at 0.28, before it is
 * injured at 0.30; the same excess over D0 = 0 is not felt. Irritation
 * relaxes for 10 days at a fixed damage, no other drive. */
static void test_margin_pain(void)
{
    const int sm = fa_physio_module_find("sensation");
    double *d0 = fa_physio_state(M, D, "damage.D0");
    const double *pain = fa_physio_state_const(M, D, "sensation.pain");
    const double Di = par("dmg.D_inj");
    double p[2];
    for (int k = 0; k < 2; k++) {
        fa_data_reset(M, D);
        fa_physio_reset(M, D);
        d0[0] = k ? 0.0 : 0.23;
        D->tis_damage[0] = d0[0] + 0.05;
        fa_stimulus_clear(S);
        for (int day = 0; day < 10; day++) fa_physio_step_module(M, D, sm, S, 86400.0);
        p[k] = pain[0];
    }
    CHECK_MSG(0.28 < Di && p[0] > 0.2 && p[1] < 0.01,
              "damage 0.05 above D0: pain %.3f with D0 0.23 (injury at %.2f), %.3f with D0 0", p[0], Di, p[1]);
    printf("damage 0.05 above the habitual level: pain %.1f/10 with D0 0.23, %.1f/10 with D0 0\n", 10.0 * p[0],
           10.0 * p[1]);
}

/* Fatigue quality matched to use (dmg.S_hab; Ker 2000/2002): a tendon (failure
 * strain 16.1 %, data/anatomy/materials.csv) whose ordinary day is 4000
 * walking strides at 5.5 % (the Achilles on the runner body with the
 * muscles working) runs 30 min a day (desk-runner's runs, here every day) at
 * 7 % (in vivo 4.6-9 %) for a year: never injured, its damage stays below
 * 0.6 of the injury level. Strained to
 * 95 % of its failure strain in the same runs it is injured within the
 * first week. With the matching off (dmg.S_hab huge: the EDL's S-N line read
 * on the raw strain, the old law) the ordinary day alone holds it at the
 * injury level or beyond. Returns the year's highest damage; *inj the
 * injury events, *d0 the habitual damage, *day the first injury day. */
static double tendon_year(double S_hab, double eps_run, int *inj, double *d0, int *day)
{
    const int e = 0, dm = fa_physio_module_find("damage");
    const double run = 1800.0, strides = 85.0 * 30.0; /* 30 min at cadence 170 */
    fa_error err;
    fa_physio_params *p = fa_physio_params_default(&err);
    fa_data *d = fa_data_alloc(M, 0);
    double Dmax = 0.0;
    *inj = -1, *d0 = -1.0, *day = -1;
    if (p && d && fa_physio_params_set(p, "dmg.eps_fail", 0.161) == FA_OK &&
        fa_physio_params_set(p, "dmg.S_hab", S_hab) == FA_OK && fa_physio_init(M, d, p, &err) == FA_OK) {
        fa_physio_state(M, d, "habitual.eps_peak")[e] = 0.055;
        fa_physio_state(M, d, "habitual.rate")[e] = 4000.0 / 86400.0;
        fa_physio_reset(M, d);
        *d0 = fa_physio_state_const(M, d, "damage.D0")[e];
        for (int k = 0; k < 365; k++) {
            fa_stimulus_clear(S);
            S->rest = 1;
            fa_physio_step_module(M, d, dm, S, 8 * 3600.0);
            S->rest = 0;
            S->strain_peak[e] = 0.055, S->cycles[e] = 4000.0;
            fa_physio_step_module(M, d, dm, S, 16 * 3600.0 - run);
            S->strain_peak[e] = eps_run, S->cycles[e] = strides;
            fa_physio_step_module(M, d, dm, S, run);
            Dmax = fmax(Dmax, d->tis_damage[e]);
            if (*day < 0 && fa_physio_injuries(M, d, e) > 0) *day = k + 1;
        }
        *inj = fa_physio_injuries(M, d, e);
    }
    fa_data_free(d);
    fa_physio_params_free(p);
    return Dmax;
}

static void test_tendon_use(void)
{
    const double S_hab = par("dmg.S_hab"), Di = par("dmg.D_inj");
    int inj7, injf, inj0, day7, dayf, day0;
    double d07, d0f, d00;
    double D7 = tendon_year(S_hab, 0.07, &inj7, &d07, &day7);
    double Df = tendon_year(S_hab, 0.95 * 0.161, &injf, &d0f, &dayf);
    double D0old = tendon_year(1e6, 0.07, &inj0, &d00, &day0);
    CHECK_MSG(inj7 == 0 && D7 < 0.6 * Di && d07 < 0.4 * Di,
              "tendon run at 7 %% for a year: %d injuries, highest damage %.3f (habitual %.3f)", inj7, D7, d07);
    CHECK_MSG(injf >= 1 && dayf >= 1 && dayf <= 7, "tendon run at 95 %% of failure: %d injuries, first on day %d",
              injf, dayf);
    CHECK_MSG(d00 >= Di, "matching off: habitual damage %.3f (injury level %.2f)", d00, Di);
    printf("tendon walked at 5.5 %% (habitual D0 %.3f), run 30 min/day for a year: at 7 %% highest damage %.3f, "
           "%d injuries; at 95 %% of failure %d injuries (first day %d, highest %.3f); EDL line on raw strain: D0 %.3f, "
           "max %.3f\n",
           d07, D7, inj7, injf, dayf, Df, d00, D0old);
}

int main(void)
{
    fa_error err;
    fa_physio_params *P = fa_physio_params_default(&err);
    M = tiny_model(2);
    D = fa_data_alloc(M, 0);
    S = fa_stimulus_alloc(M);
    CHECK(P && M && D && S && fa_physio_init(M, D, P, &err) == FA_OK);
    test_severity();
    test_nonlocal();
    test_overload();
    test_chronic();
    test_margin_pain();
    test_tendon_use();
    fa_stimulus_free(S);
    fa_data_free(D);
    fa_model_free(M);
    fa_physio_params_free(P);
    TEST_MAIN_END();
}
