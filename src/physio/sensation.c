/* SPDX-License-Identifier: MIT */
/* Sensation: irritation/pain and proprioceptive richness per element.
 * Irritation I relaxes (sense.tau_irrit) toward
 *   I_eq = sense.k_infl max(0, infl - infl0)
 *        + sense.k_dmg (x - sense.dmg_tol)_+
 *        + sense.k_imp duty_press (pressure/sense.p_ref) min(4, c/c_hab)
 * the second term being repeated compression under load: the ITB pressed on
 * the lateral femoral epicondyle at each stride near 20-30 deg of knee
 * flexion (Orchard 1996 impingement zone); the activity stage sets pressure
 * and t_press from the time spent in that zone. The damage term (silent
 * below sense.dmg_tol of the injury level) keeps an injured element
 * irritable until it has healed (ITBS symptoms persist for
 * weeks to months: literature.md R8/R9). x is the lesion (damage.c): the
 * damage beyond the habitual level D0 as a fraction of the margin from D0
 * to the injury level, so an element whose ordinary day already holds it
 * near dmg.D_inj hurts before it is injured, as one at D0 = 0 does (pain as
 * a protective output that precedes tissue failure: Moseley GL 2007, Phys
 * Ther Rev 12:169-178; grade C); measured on D_inj alone such an element
 * was injured painlessly (the test body's distal band under the habitual
 * day: D0 0.23, injured at 0.30 with pain < 1.5/10). Pain is a saturating
 * function of irritation: pain = I^n/(I^n + sense.half^n) in [0,1].
 * Sensitisation (pain that outlasts the repair). Weeks to months of
 * nociceptive input sensitise the pain pathway (peripheral and central
 * sensitisation: Woolf CJ 2011, Pain 152(3 Suppl):S2-S15, doi
 * 10.1016/j.pain.2010.09.030; pain is called chronic after 3 months:
 * Treede RD et al. 2015, Pain 156:1003-1007); once the input stops the
 * hypersensitivity resolves over months (widespread hyperalgesia of painful
 * hip osteoarthritis normalised 6-14 months after pain-relieving surgery:
 * Kosek E, Ordeberg G 2000, Eur J Pain 4:229-238; central sensitisation positive
 * in 47.5 % of knee osteoarthritis patients before and 10 % three months
 * after arthroplasty: Sasaki E et al. 2022, Prog Rehabil Med 7:20220009).
 * The memory S is the nociceptive pain h(I) (the tissue's own pain, not the
 * sensitised output: sensitisation maintained by ongoing input, so it cannot
 * feed itself) averaged over sense.tau_sens:
 *   dS/dt = (h(I) - S)/sense.tau_sens,
 * and the sensitisation s = S^m/(S^m + sense.s_half^m) (m = sense.n_sens)
 * amplifies the input and adds pain without it (allodynia, pain at rest):
 *   I_eff = (1 + sense.k_gain s) I + sense.k_spont s,   pain = h(I_eff)
 * (grade C: the form and the sizes are hypotheses; the evidence for
 * central sensitisation in lower-limb tendinopathy is limited: Plinsinga
 * ML, Brink MS, Vicenzino B, van Wilgen CP 2015, J Orthop Sports Phys Ther
 * 45(11):864-875). sense.s_half is bounded below by the ITBS recovery
 * target (the model's injury there hurts ~9/10 for 8 weeks; any
 * sensitisation lengthens the time to pain < 1/10): a 6-week episode at
 * 9/10 leaves S = 0.33, s = 0.08; a year at 9/10 s = 0.83, whose pain
 * outlasts the input by ~3 weeks; months at 5/10 barely sensitise.
 * Proprioceptive richness P (1 = habitual) relaxes (sense.tau_prop) toward
 *   P_eq = (0.5 + 0.5 min(1, c/c_hab)) (1 - sense.k_pdmg (D - D0)_+)
 * (varied movement feeds the fascial mechanoreceptors; immobility and damage
 * blunt them; grade C). */
#include "module.h"

enum {
    P_TAU_IRRIT,
    P_K_INFL,
    P_K_IMP,
    P_P_REF,
    P_HALF,
    P_N,
    P_TAU_PROP,
    P_K_PDMG,
    P_K_DMG,
    P_DMG_TOL,
    P_TAU_SENS,
    P_S_HALF,
    P_N_SENS,
    P_K_GAIN,
    P_K_SPONT,
    NP
};
static const char *const params[NP] = {"sense.tau_irrit", "sense.k_infl", "sense.k_imp",    "sense.p_ref",
                                       "sense.half",      "sense.n",      "sense.tau_prop", "sense.k_pdmg",
                                       "sense.k_dmg",     "sense.dmg_tol", "sense.tau_sens", "sense.s_half",
                                       "sense.n_sens",    "sense.k_gain", "sense.k_spont"};
enum { F_IRRIT, F_PAIN, F_PROP, F_SENSMEM, F_SENS, NF };
static const fa_pm_fdecl fields[NF] = {
    {"irrit", "-", "irritation (sensitisation) level", 0.0, 0.0, 1e3, FA_KINDS_TISSUE, 0, 0, "sensation.irrit"},
    {"pain", "-", "pain signal [0,1]", 0.0, 0.0, 1.0, FA_KINDS_TISSUE, 0, 0, "sensation.pain"},
    {"proprio", "-", "proprioceptive richness (1 = habitual)", 1.0, 0.0, 1.5, FA_KINDS_TISSUE, 0, 0, "sensation.proprio"},
    {"pain_mem", "-", "nociceptive pain averaged over months (sensitisation drive)", 0.0, 0.0, 1.0, FA_KINDS_TISSUE, 0, 0,
     "sensation.pain_mem"},
    {"sens", "-", "sensitisation of the pain pathway [0,1]", 0.0, 0.0, 1.0, FA_KINDS_TISSUE, 0, 0, "sensation.sens"},
};

static void step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt)
{
    const double *P = fa_pm_params(d, FA_PM_SENSE);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    double *I = fa_pm_field(m, d, FA_PM_SENSE, F_IRRIT);
    double *pain = fa_pm_field(m, d, FA_PM_SENSE, F_PAIN);
    double *prop = fa_pm_field(m, d, FA_PM_SENSE, F_PROP);
    double *mem = fa_pm_field(m, d, FA_PM_SENSE, F_SENSMEM);
    double *sens = fa_pm_field(m, d, FA_PM_SENSE, F_SENS);
    const double *d0 = fa_pm_field(m, d, FA_PM_DAMAGE, 5);
    const double *infl = fa_pm_field(m, d, FA_PM_DAMAGE, 1);
    const double *infl0 = fa_pm_field(m, d, FA_PM_DAMAGE, 4);
    const double ei = fa_pm_decay(dt, P[P_TAU_IRRIT]), ep = fa_pm_decay(dt, P[P_TAU_PROP]);
    const double hn = fa_pm_pow(P[P_HALF], P[P_N]);
    const double es = fa_pm_decay(dt, P[P_TAU_SENS]), sn = fa_pm_pow(P[P_S_HALF], P[P_N_SENS]);
    const double *Pd = fa_pm_params(d, FA_PM_DAMAGE);
    const int e1 = fa_pm_kind_end(m, FA_MEMBRANE);
    for (int e = 0; e < e1; e++) {
        double crel = fa_pm_max(0.0, s->cycles[e]) / dt / H.rate[e];
        double Ieq = P[P_K_INFL] * fa_pm_max(0.0, infl[e] - infl0[e]) + P[P_K_DMG] * fa_pm_max(0.0, fa_pm_lesion(Pd, d->tis_damage[e], d0[e]) - P[P_DMG_TOL]) +
                     P[P_K_IMP] * fa_pm_duty(s->t_press[e], dt) * fa_pm_max(0.0, s->pressure[e]) / P[P_P_REF] *
                         fa_pm_min(4.0, crel);
        I[e] = Ieq + (I[e] - Ieq) * ei;
        double In = I[e] > 0.0 ? fa_pm_pow(I[e], P[P_N]) : 0.0;
        double noci = In / (In + hn);
        mem[e] = noci + (mem[e] - noci) * es;
        double Sm = mem[e] > 0.0 ? fa_pm_pow(mem[e], P[P_N_SENS]) : 0.0;
        sens[e] = Sm / (Sm + sn);
        double Ie = (1.0 + P[P_K_GAIN] * sens[e]) * I[e] + P[P_K_SPONT] * sens[e];
        double Ien = Ie > 0.0 ? fa_pm_pow(Ie, P[P_N]) : 0.0;
        pain[e] = Ien / (Ien + hn);
        double Peq = (0.5 + 0.5 * fa_pm_min(1.0, crel)) * (1.0 - P[P_K_PDMG] * fa_pm_max(0.0, d->tis_damage[e] - d0[e]));
        prop[e] = fa_pm_clamp(Peq + (prop[e] - Peq) * ep, 0.0, 1.5);
    }
}

const fa_pm_module fa_pm_sensation = {"sensation", NF, fields, NP, params, NULL, step};
