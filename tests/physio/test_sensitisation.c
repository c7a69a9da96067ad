/* SPDX-License-Identifier: MIT */
/* Sensitisation of the pain pathway (sensation.c): months of nociceptive
 * input raise the pain gain and add pain without input, which outlasts
 * the tissue's repair and resolves over months (Woolf 2011; Kosek &
 * Ordeberg 2000; data/params/physiology.csv sense.tau_sens ... k_spont).
 * One element is held at a lesion whose nociceptive pain is 9/10 (severe)
 * for a number of weeks, then the lesion is removed at once (the tissue
 * healed), and only the sensation module runs (6-h steps). Directions and
 * sizes: a 6-week episode barely sensitises and its pain ends with its
 * input; 26 and 52 weeks sensitise (pain above the input's while it lasts,
 * pain >= 2/10 for days to weeks after the input has gone, resolved within
 * months); a year at 5/10 sensitises less than half as much and leaves no
 * lasting pain (sense.s_half is bounded by the ITBS recovery target); the memory is fed by the nociceptive pain only,
 * so it never sustains itself. */
#include <math.h>
#include <stdio.h>

#include "harness.h"
#include "physio_util.h"

static fa_model *M;
static fa_data *D;
static fa_stimulus *S;

static double par(const char *id) { return fa_physio_param(D, id); }

typedef struct {
    double sens_end, pain_during, pain_noci, mem_end, sens_after[3];
    int days_after;  /* days after the input stopped with pain >= 2/10 (day-ends) */
    int resolved;    /* first day after the input with pain < 2/10 */
    int mem_rises;   /* days after the input's first week on which the memory rose */
} episode;

/* irritation after 10 days at damage Dl (sensation module only) */
static double irrit_at(double Dl)
{
    const int sm = fa_physio_module_find("sensation");
    fa_data_reset(M, D);
    fa_physio_reset(M, D);
    fa_stimulus_clear(S);
    D->tis_damage[0] = Dl;
    for (int q = 0; q < 40; q++) fa_physio_step_module(M, D, sm, S, 21600.0);
    return fa_physio_state_const(M, D, "sensation.irrit")[0];
}

/* `weeks` at a lesion of nociceptive pain p, then 365 days without input */
static episode run_episode(int weeks, double p)
{
    const int sm = fa_physio_module_find("sensation");
    const double *pain = fa_physio_state_const(M, D, "sensation.pain");
    const double *sens = fa_physio_state_const(M, D, "sensation.sens");
    const double *mem = fa_physio_state_const(M, D, "sensation.pain_mem");
    const double *irr = fa_physio_state_const(M, D, "sensation.irrit");
    /* the nociceptive irritation of pain p: h(I) = I^2/(I^2 + half^2) = p */
    const double D1 = par("dmg.D_inj") * (par("sense.dmg_tol") + 0.5 / par("sense.k_dmg")), D2 = 1.2 * D1;
    const double I1 = irrit_at(D1), I2 = irrit_at(D2); /* linear above the tolerance */
    const double Iw = par("sense.half") * sqrt(p / (1.0 - p));
    const double Dles = D1 + (Iw - I1) * (D2 - D1) / (I2 - I1);
    episode ep = {0};
    ep.resolved = -1;
    fa_data_reset(M, D);
    fa_physio_reset(M, D);
    fa_stimulus_clear(S);
    D->tis_damage[0] = Dles;
    for (int q = 0; q < 4 * 7 * weeks; q++) fa_physio_step_module(M, D, sm, S, 21600.0);
    double I = irr[0], In = I * I, h2 = par("sense.half") * par("sense.half");
    ep.pain_noci = In / (In + h2);
    ep.pain_during = pain[0];
    ep.sens_end = sens[0];
    ep.mem_end = mem[0];
    D->tis_damage[0] = 0.0; /* healed */
    double prev = mem[0];
    for (int day = 0; day < 365; day++) {
        for (int q = 0; q < 4; q++) fa_physio_step_module(M, D, sm, S, 21600.0);
        if (pain[0] >= 0.2) ep.days_after++;
        if (pain[0] < 0.2 && ep.resolved < 0) ep.resolved = day + 1;
        ep.mem_rises += day >= 7 && mem[0] > prev; /* the first days: the irritation's own decay (2 days) */
        prev = mem[0];
        if (day == 29) ep.sens_after[0] = sens[0];
        if (day == 89) ep.sens_after[1] = sens[0];
        if (day == 364) ep.sens_after[2] = sens[0];
    }
    return ep;
}

int main(void)
{
    fa_error err;
    fa_physio_params *P = fa_physio_params_default(&err);
    M = tiny_model(2);
    D = fa_data_alloc(M, 0);
    S = fa_stimulus_alloc(M);
    CHECK(P && M && D && S && fa_physio_init(M, D, P, &err) == FA_OK);
    if (P && M && D && S) {
        const int wk[6] = {2, 6, 12, 26, 52, 52};
        const double lvl[6] = {0.9, 0.9, 0.9, 0.9, 0.9, 0.5};
        episode ep[6];
        for (int k = 0; k < 6; k++) {
            ep[k] = run_episode(wk[k], lvl[k]);
            printf("%2d weeks at nociceptive pain %.1f/10: sensitisation %.3f (memory %.3f), pain %.1f/10 at the end; "
                   "after the input: pain >= 2/10 on %d days (first day below: %d), sensitisation %.3f / %.3f / %.3f "
                   "after 30 / 90 / 365 days\n",
                   wk[k], 10.0 * ep[k].pain_noci, ep[k].sens_end, ep[k].mem_end, 10.0 * ep[k].pain_during,
                   ep[k].days_after, ep[k].resolved, ep[k].sens_after[0], ep[k].sens_after[1], ep[k].sens_after[2]);
            CHECK_MSG(fabs(ep[k].pain_noci - lvl[k]) < 0.01, "nociceptive pain %.3f", ep[k].pain_noci);
            /* the memory is fed by the nociceptive pain only: it never rises without input */
            CHECK_MSG(ep[k].mem_rises == 0, "%d weeks: the memory rose on %d days without input", wk[k],
                      ep[k].mem_rises);
        }
        /* builds with the weeks of pain */
        for (int k = 1; k < 5; k++)
            CHECK_MSG(ep[k].sens_end > ep[k - 1].sens_end + 0.02, "sensitisation after %d weeks %.3f, %d weeks %.3f",
                      wk[k], ep[k].sens_end, wk[k - 1], ep[k - 1].sens_end);
        /* a 6-week episode barely sensitises: its pain ends with its input, as a 2-week one's (the irritation's
         * own decay, sense.tau_irrit) */
        CHECK_MSG(ep[1].sens_end < 0.2 && ep[1].days_after <= ep[0].days_after + 1,
                  "6 weeks: sensitisation %.3f, %d painful days after (2 weeks: %d)", ep[1].sens_end,
                  ep[1].days_after, ep[0].days_after);
        /* 26 weeks sensitise: pain above the input's, and pain >= 2/10 for days after the input stopped */
        CHECK_MSG(ep[3].sens_end > 0.5 && ep[3].pain_during > ep[3].pain_noci + 0.03,
                  "26 weeks: sensitisation %.3f, pain %.2f (input %.2f)", ep[3].sens_end, ep[3].pain_during,
                  ep[3].pain_noci);
        CHECK_MSG(ep[3].days_after >= ep[0].days_after + 5 && ep[3].resolved < 365,
                  "26 weeks: pain >= 2/10 on %d days after the input (2 weeks: %d), resolved on day %d",
                  ep[3].days_after, ep[0].days_after, ep[3].resolved);
        /* a year of pain outlasts its input longer still */
        CHECK_MSG(ep[4].days_after > ep[3].days_after, "pain >= 2/10 after the input: %d days after 52 weeks, %d after 26",
                  ep[4].days_after, ep[3].days_after);
        /* ... and the sensitisation decays over months, not days */
        CHECK_MSG(ep[4].sens_after[0] > 0.3 * ep[4].sens_end && ep[4].sens_after[1] < ep[4].sens_after[0] &&
                      ep[4].sens_after[2] < 0.05,
                  "52 weeks: sensitisation %.3f -> %.3f / %.3f / %.3f after 30 / 90 / 365 days", ep[4].sens_end,
                  ep[4].sens_after[0], ep[4].sens_after[1], ep[4].sens_after[2]);
        /* a year at moderate pain (5/10) sensitises less than half as much, and its pain ends with its input */
        CHECK_MSG(ep[5].sens_end < 0.5 * ep[4].sens_end &&
                      ep[5].days_after <= ep[0].days_after + 1,
                  "52 weeks at 5/10: sensitisation %.3f (9/10: %.3f), %d painful days after", ep[5].sens_end,
                  ep[4].sens_end, ep[5].days_after);
    }
    fa_stimulus_free(S);
    fa_data_free(D);
    fa_model_free(M);
    fa_physio_params_free(P);
    TEST_MAIN_END();
}
