/* SPDX-License-Identifier: MIT */
/* Damage and healing. Fatigue micro-damage by Miner's rule on the human
 * tendon S-N line of Schechtman & Bader 1997 (EDL tendon, S = 101.3 -
 * 14.8 log10 N, S in % of UTS, no endurance limit), with strain as the load
 * measure (S = 100 eps_peak / eps_fail; linear region assumed: tendon
 * failure is strain-governed, elastic modulus and ultimate stress correlate
 * across tendons, R^2 0.785, LaCroix AS et al. 2013, J Appl Physiol
 * 115(1):43-51; stress over UTS through the 2 % toe region would read the
 * fascia's 1.5 % habitual day at 4 % instead of 11 % UTS). Miner's
 * sum is linear in cycles: the S-N line, measured to failure, already holds
 * the acceleration of a weakening specimen. Strain above the elastic limit
 * (dmg.eps_yield, 2-4 % in tendon, Rigby 1959 / I9) adds damage per cycle.
 * Both read the strain over the element's fatigue quality q >= 1 (fatigue_q:
 * a tissue whose ordinary day cycles it above dmg.S_hab % of its failure
 * strain is adapted to that use, Ker 2000/2002), so in-vivo tendon strains
 * of 4-9 % that the habitual day itself applies are not overload:
 *   rho   = cycles/dt * [1/N_f(S) + dmg.k_over max(0, eps_peak/q - eps_y)/(eps_f - eps_y)],
 *   S     = 100 eps_peak / (q eps_f)
 *   dD/dt = rho - D/(tau_h g),   tau_h = dmg.tau_heal / (1 + dmg.k_rest rest)
 * (exact for constant rho and g). Severity: g = 1 + (D - D_inj)_+/dmg.D_sat,
 * structural damage beyond the injury level (a lesion that new matrix must
 * fill: proliferation, remodelling over months; Sharma & Maffulli 2005)
 * repairs slower than micro-damage. Above the injury level (and the
 * habitual level) the strain driving damage is at most the mean peak strain
 * of the element and its neighbours (strain_nonlocal: no localisation of
 * all further damage in one softened element of a chain). Inflammation
 * relaxes toward min(1, dmg.k_infl * rho * 1 day) with dmg.tau_infl. An
 * injury event is counted when D crosses dmg.D_inj (re-armed when
 * D < D_inj/2), or at once when eps_peak reaches the failure strain eps_fail
 * of the intact fibres (strain equivalence, Lemaitre 1985: the mechanics
 * already strains a damaged element more; comparing with eps_fail (1 - D)
 * counted the loss twice). eps_fail is
 * the element material's failure strain (mat_fail) when set, else
 * dmg.eps_fail. Habitual loading gives a small steady damage D0 (continuous
 * repair), set at init.
 * Chronicity (failed healing). A lesion loaded while it is irritable does
 * not repair like a fresh one: continued overload of a reactive tendon moves
 * it along a continuum (reactive -> disrepair -> degenerative: disorganised
 * matrix, neovascularity, chondroid cells; Cook JL, Purdam CR 2009, Br J
 * Sports Med 43(6):409-416, doi 10.1136/bjsm.2008.051193; Khan KM et al.
 * 1999, Sports Med 27(6):393-408, doi 10.2165/00007256-199927060-00004) in
 * which repair fails and recovery takes months instead of weeks (tendinitis
 * days to 6 weeks, chronic tendinosis 3-6 months: Khan KM et al. 2000, Phys
 * Sportsmed 28(5):38-48; ITBS of long standing: months, Fredericson M, Wolf C
 * 2005, Sports Med 35(5):451-459). Per element a chronicity C in [0,1]:
 *   x     = (D - D0) / max(D_inj - D0, dmg.margin_min D_inj)   (lesion, 1 = injury)
 *   dC/dt = a (1 - C) - C/dmg.tau_rev,
 *   a     = min(1, (x - x_r)_+/(1 - x_r)) min(1, rho_over tau_heal/D_inj) / dmg.tau_chr
 * with x_r = dmg.x_react and rho_over the damage rate of the cycles beyond
 * what the same cycles at the element's habitual peak strain would do
 * (overload, not the ordinary day): time under overload of a lesion above
 * the reactive level (a lesion that hurts beyond the pain-monitoring safe
 * zone), counted in full for overload that would hold a lesion at the
 * injury level or more (a single large overload is a reactive lesion, not a
 * chronic one: it is the continued loading that makes it chronic, Cook &
 * Purdam 2009); dmg.tau_chr is that loaded time. The failed healing is the lesion's: the
 * habitual turnover min(D, D0) repairs as before, the lesion (D - D0)_+
 * 1 + dmg.k_chr C times slower:
 *   repair = [min(D, D0) + (D - D0)_+/(1 + k_chr C)] / (tau_h g)
 * (so the ordinary day on a chronic lesion still heals it, slowly, and
 * never sustains it). Without overload the chronicity fades with
 * dmg.tau_rev (disrepair is partly reversible, degeneration hardly: Cook
 * JL et al. 2016, Br J Sports Med 50(19):1187-1191). Grade C: the form is
 * the continuum model's, the values are read from recovery times. */
#include "module.h"

enum {
    P_S0, P_S1, P_EPS_FAIL, P_EPS_YIELD, P_K_OVER, P_TAU_HEAL, P_K_REST, P_D_INJ, P_TAU_INFL, P_K_INFL, P_D_SAT,
    P_K_CHR, P_TAU_CHR, P_TAU_REV, P_X_REACT, P_MARGIN_MIN, P_S_HAB, NP
};
static const char *const params[NP] = {"dmg.S0",     "dmg.S1",     "dmg.eps_fail", "dmg.eps_yield", "dmg.k_over",
                                       "dmg.tau_heal", "dmg.k_rest", "dmg.D_inj",   "dmg.tau_infl",  "dmg.k_infl",
                                       "dmg.D_sat",  "dmg.k_chr",  "dmg.tau_chr",  "dmg.tau_rev",   "dmg.x_react",
                                       "dmg.margin_min", "dmg.S_hab"};
enum { F_D, F_INFL, F_INJ, F_ARMED, F_INFL0, F_D0, F_CHR, NF };
static const fa_pm_fdecl fields[NF] = {
    {"tis_damage", "-", "micro-damage fraction [0,1)", 0.0, 0.0, 0.999, FA_KINDS_TISSUE, 0, 1, "tis_damage"},
    {"infl", "-", "inflammation [0,1]", 0.0, 0.0, 1.0, FA_KINDS_TISSUE, 0, 0, "damage.infl"},
    {"inj", "-", "injury events counted", 0.0, 0.0, 1e9, FA_KINDS_TISSUE, 0, 0, "damage.inj"},
    {"armed", "-", "1 while below the injury threshold (event re-armed)", 1.0, 0.0, 1.0, FA_KINDS_TISSUE, 0, 0, "damage.armed"},
    {"infl0", "-", "habitual inflammation (set at init; drives are measured above it)", 0.0, 0.0, 1.0,
     FA_KINDS_TISSUE, 0, 0, "damage.infl0"},
    {"D0", "-", "habitual steady damage (set at init; continuous repair)", 0.0, 0.0, 0.999, FA_KINDS_TISSUE, 0, 0, "damage.D0"},
    {"chron", "-", "chronicity of the lesion (0 reactive .. 1 degenerative; slows repair)", 0.0, 0.0, 1.0,
     FA_KINDS_TISSUE, 0, 0, "damage.chron"},
};

/* The lesion: damage beyond the habitual level as a fraction of the margin
 * to the injury level (1 = injured), the margin at least dmg.margin_min of
 * D_inj (an element whose habitual day holds it near the injury level).
 * Shared with the sensation module (the damage it feels). */
FA_HIDDEN double fa_pm_lesion(const double *P, double D, double D0)
{
    return (D - D0) / fa_pm_max(P[P_D_INJ] - D0, P[P_MARGIN_MIN] * P[P_D_INJ]);
}

static double eps_fail(const fa_model *m, const double *P, int e)
{
    int mat = -1;
    if (e < m->ncord) mat = m->cord_mat ? m->cord_mat[e] : -1;
    else if (e < m->ncord + m->nmem) mat = m->mem_mat ? m->mem_mat[e - m->ncord] : -1;
    if (mat >= 0 && mat < m->nmat && m->mat_fail[mat] > 0.0) return m->mat_fail[mat];
    return P[P_EPS_FAIL];
}

/* Fatigue quality matched to use (Ker RF, Wang XT, Pike AVL 2000, J Exp
 * Biol 203(8):1317-1327; Ker RF 2002, Comp Biochem Physiol A 133(4):987-1000,
 * doi 10.1016/S1095-6433(02)00171-X): tendons that their muscles stress more
 * in life resist fatigue better, so that in life all tendons are similarly
 * prone to damage. The S-N line was measured on a low-stress tendon (the
 * EDL, Schechtman & Bader 1997): the poorest fatigue quality. An element
 * whose habitual day cycles it above dmg.S_hab % of its failure strain has
 * its fatigue reference raised in proportion: the damage law reads the strain
 * divided by q = max(1, eps_hab / (S_hab/100 eps_fail)) (the S-N load and
 * the elastic limit alike; the acute overload keeps the intact fibres'
 * failure strain). */
static double fatigue_q(const double *P, double ef, double eps_hab)
{
    const double lim = 0.01 * P[P_S_HAB] * ef;
    return eps_hab > lim ? eps_hab / lim : 1.0;
}

/* Damage rate (1/s) for a cycle rate c (1/s) at peak strain eps and damage D
 * (eps already divided by the element's fatigue quality q). */
static double rho(const double *P, double ef, double c, double eps, double D)
{
    if (c <= 0.0 || eps <= 0.0) return 0.0;
    (void)D; /* the S-N line already contains the weakening of a fatigued tissue */
    double S = 100.0 * eps / ef;
    double logN = (P[P_S0] - S) / P[P_S1];
    double inv_n = logN > 0.0 ? exp(-2.302585092994046 * logN) : 1.0;
    double over = fa_pm_max(0.0, eps - P[P_EPS_YIELD]) / (ef - P[P_EPS_YIELD]);
    return c * (inv_n + P[P_K_OVER] * over);
}

/* Slowing of repair for structural damage: 1 at or below the injury level,
 * 1 + (D - D_inj)/D_sat above it (repair rate D/(tau_h g)). */
static double repair_slow(const double *P, double D)
{
    return D > P[P_D_INJ] ? 1.0 + (D - P[P_D_INJ]) / P[P_D_SAT] : 1.0;
}

/* Strain driving the damage of a structurally damaged element (D > D_inj):
 * the mean peak strain of the element and its neighbours of the same kind
 * (cords sharing a node, membranes sharing an edge). A softened element in a
 * series chain takes up the chain's stretch and a local damage law then
 * concentrates all further damage in it (strain localisation: the result
 * depends on the mesh); a nonlocal strain over the element's surroundings
 * is the standard regularisation (Pijaudier-Cabot G, Bazant ZP 1987,
 * J Eng Mech 113(10):1512-1533), the surroundings here being the tissue
 * whose fibres bridge the lesion and take up its load (long fibrils and
 * interfibrillar shear transfer, Szczesny SE, Elliott DM 2014, Acta
 * Biomater 10(6):2582-2590). */
static double strain_nonlocal(const fa_model *m, const fa_stimulus *s, int e)
{
    double sum = s->strain_peak[e];
    int n = 1;
    if (e < m->ncord) {
        const int a = m->cord_node[2 * e], b = m->cord_node[2 * e + 1];
        for (int j = 0; j < m->ncord; j++) {
            if (j == e) continue;
            const int p = m->cord_node[2 * j], q = m->cord_node[2 * j + 1];
            if (p == a || p == b || q == a || q == b) sum += s->strain_peak[j], n++;
        }
    } else if (e < m->ncord + m->nmem) {
        const int *t = m->mem_node + 3 * (e - m->ncord);
        for (int j = 0; j < m->nmem; j++) {
            const int *u = m->mem_node + 3 * j;
            if (j == e - m->ncord) continue;
            int shared = 0;
            for (int x = 0; x < 3; x++)
                for (int y = 0; y < 3; y++) shared += t[x] == u[y];
            if (shared >= 2) sum += s->strain_peak[m->ncord + j], n++;
        }
    }
    return sum / n;
}

/* D after time h of dD/dt = r - [min(D, D0) + (D - D0)_+/hc]/tg (repair of
 * the habitual turnover at the normal rate, of the lesion hc times slower),
 * exact for constant r, tg and hc: linear on each side of D0, crossed at
 * most once (both sides relax toward the same side of D0). */
static double relax_lesion(double D, double r, double tg, double hc, double D0, double h)
{
    const double eqB = r * tg; /* below D0: first order toward r tg */
    if (hc == 1.0 || D0 <= 0.0) return eqB + (D - eqB) * exp(-h / tg);
    const double eqA = D0 + hc * (eqB - D0), tA = hc * tg; /* above D0 */
    if (D >= D0) {
        if (eqA >= D0) return eqA + (D - eqA) * exp(-h / tA);
        double ts = tA * log((D - eqA) / (D0 - eqA)); /* time to reach D0 */
        if (ts >= h) return eqA + (D - eqA) * exp(-h / tA);
        return eqB + (D0 - eqB) * exp(-(h - ts) / tg);
    }
    if (eqB <= D0) return eqB + (D - eqB) * exp(-h / tg);
    double ts = tg * log((eqB - D) / (eqB - D0));
    if (ts >= h) return eqB + (D - eqB) * exp(-h / tg);
    return eqA + (D0 - eqA) * exp(-(h - ts) / tA);
}

/* Habitual steady damage and inflammation for an element (fixed point). */
static void habitual(const fa_model *m, const fa_data *d, const fa_pm_hab *Hp, int e, double *D0, double *I0)
{
    const double *P = fa_pm_params(d, FA_PM_DAMAGE);
    const fa_pm_hab H = *Hp;
    double ef = eps_fail(m, P, e), c = H.rate[e], D = 0.0, r = 0.0;
    const double q = fatigue_q(P, ef, H.eps_peak[e]);
    for (int it = 0; it < 50; it++) {
        r = rho(P, ef, c, H.eps_peak[e] / q, D);
        /* D = r tau g(D), g = 1 + (D - D_inj)_+/D_sat, solved in closed form */
        double a = r * P[P_TAU_HEAL], di = P[P_D_INJ], ds = P[P_D_SAT];
        D = a <= di ? a : (a < ds ? a * (1.0 - di / ds) / (1.0 - a / ds) : 0.9);
        D = fa_pm_min(0.9, D);
    }
    *D0 = D;
    *I0 = fa_pm_min(1.0, P[P_K_INFL] * r * FA_PM_DAY);
}

static void init(const fa_model *m, fa_data *d)
{
    double *infl = fa_pm_field(m, d, FA_PM_DAMAGE, F_INFL);
    double *infl0 = fa_pm_field(m, d, FA_PM_DAMAGE, F_INFL0);
    double *D0 = fa_pm_field(m, d, FA_PM_DAMAGE, F_D0);
    double *armed = fa_pm_field(m, d, FA_PM_DAMAGE, F_ARMED);
    const double *P = fa_pm_params(d, FA_PM_DAMAGE);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    for (int e = 0; e < fa_pm_kind_end(m, FA_MEMBRANE); e++) {
        habitual(m, d, &H, e, &d->tis_damage[e], &infl[e]);
        infl0[e] = infl[e];
        D0[e] = d->tis_damage[e];
        armed[e] = D0[e] < P[P_D_INJ] ? 1.0 : 0.0; /* an unsustainable habitual day is not a new injury */
    }
}

static void step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt)
{
    const double *P = fa_pm_params(d, FA_PM_DAMAGE);
    double *D = d->tis_damage;
    double *infl = fa_pm_field(m, d, FA_PM_DAMAGE, F_INFL);
    double *inj = fa_pm_field(m, d, FA_PM_DAMAGE, F_INJ);
    double *armed = fa_pm_field(m, d, FA_PM_DAMAGE, F_ARMED);
    const double *D0 = fa_pm_field(m, d, FA_PM_DAMAGE, F_D0);
    double *chr = fa_pm_field(m, d, FA_PM_DAMAGE, F_CHR);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    const double tau_h = P[P_TAU_HEAL] / (1.0 + P[P_K_REST] * (s->rest ? 1.0 : 0.0));
    const double ehd = fa_pm_decay(dt, tau_h), ei = fa_pm_decay(dt, P[P_TAU_INFL]), erev = fa_pm_decay(dt, P[P_TAU_REV]);
    const int e1 = fa_pm_kind_end(m, FA_MEMBRANE);
    for (int e = 0; e < e1; e++) {
        double ef = eps_fail(m, P, e), c = fa_pm_max(0.0, s->cycles[e]) / dt, eps = s->strain_peak[e];
        const double q = fatigue_q(P, ef, H.eps_peak[e]);
        if (c > 0.0 && D[e] > fa_pm_max(P[P_D_INJ], D0[e])) eps = fa_pm_min(eps, strain_nonlocal(m, s, e));
        double r = 0.0, rsum = 0.0;
        const double xl = fa_pm_max(0.0, (fa_pm_lesion(P, D[e], D0[e]) - P[P_X_REACT]) / (1.0 - P[P_X_REACT]));
        const double hc = 1.0 + P[P_K_CHR] * chr[e]; /* failed healing */
        if (c > 0.0 && eps >= ef) D[e] = fa_pm_max(D[e], P[P_D_INJ]); /* acute overload */
        /* substeps keep D changing by at most ~0.01 per substep (rho is
         * evaluated per substep so a future capacity coupling stays exact) */
        r = rho(P, ef, c, eps / q, D[e]);
        int n = (int)fa_pm_min(256.0, ceil(r * dt / 0.01));
        if (n < 1) n = 1;
        double h = dt / n, eh = n == 1 ? ehd : exp(-h / tau_h);
        for (int k = 0; k < n; k++) {
            if (k > 0) r = rho(P, ef, c, eps / q, D[e]);
            double g = repair_slow(P, D[e]);
            if (g == 1.0 && hc == 1.0) {
                double Deq = r * tau_h;
                D[e] = fa_pm_clamp(Deq + (D[e] - Deq) * eh, 0.0, 0.999);
            } else {
                D[e] = fa_pm_clamp(relax_lesion(D[e], r, tau_h * g, hc, D0[e], h), 0.0, 0.999);
            }
            rsum += r;
        }
        r = rsum / n;
        {
            /* chronicity: exact for the step's overload and the lesion at its start */
            double ro = xl > 0.0 && eps > H.eps_peak[e] ? fa_pm_max(0.0, r - rho(P, ef, c, H.eps_peak[e] / q, D[e])) : 0.0;
            double a = ro > 0.0 ? fa_pm_min(xl, 1.0) * fa_pm_min(1.0, ro * P[P_TAU_HEAL] / P[P_D_INJ]) / P[P_TAU_CHR] : 0.0;
            if (a > 0.0) {
                double k = a + 1.0 / P[P_TAU_REV], ceq = a / k;
                chr[e] = fa_pm_clamp(ceq + (chr[e] - ceq) * exp(-k * dt), 0.0, 1.0);
            } else if (chr[e] > 0.0) {
                chr[e] *= erev; /* fading without overload (no libm call on the common path) */
            }
        }
        if (armed[e] > 0.5 && D[e] >= P[P_D_INJ]) {
            inj[e] += 1.0;
            armed[e] = 0.0;
        } else if (armed[e] < 0.5 && D[e] < 0.5 * P[P_D_INJ]) {
            armed[e] = 1.0;
        }
        double ieq = fa_pm_min(1.0, P[P_K_INFL] * r * FA_PM_DAY);
        infl[e] = ieq + (infl[e] - ieq) * ei;
    }
}

const fa_pm_module fa_pm_damage = {"damage", NF, fields, NP, params, init, step};
