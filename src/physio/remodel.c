/* SPDX-License-Identifier: MIT */
/* Remodeling: collagen turnover after loading, chronic adaptation of
 * collagen quality and cross-section, and rest-length drift.
 *
 * Mechanical stimulus. Cells respond to the magnitude of cyclic strain and
 * desensitise with repeated cycles (bone: 36 cycles/day suffice, Rubin &
 * Lanyon 1984; exponent of the daily stress stimulus, Carter 1987; both
 * transferred to fascia: grade C). Sensitivity s in [0,1]:
 *   ds/dt = (1 - s)/rem.tau_sens - s c/rem.n_sat,   c = cycles/dt
 *   Psi   = (eps_peak/eps_hab)^rem.m * integral(c s dt)   (exact over a step)
 *   r     = Psi/dt / Psi_hab   (relative stimulus rate, 1 = the element's
 *                                habitual day: its own set point, module habitual)
 * Chronic load L: EMA of r with rem.tau_load. Collagen quality q (tis_dens,
 * the modulus multiplier) relaxes toward
 *   q_eq = 1 + (qmax-1) tanh(alpha ln L/(qmax-1))    L >= 1
 *        = 1 - (1-qmin) tanh(alpha |ln L|/(1-qmin))  L <  1
 * with rem.tau_gain when rising and rem.tau_loss when falling: loss is fast
 * (Couppe 2012, Kubo 2004: -20..-30 % in 2-3 weeks), gain slow (Reeves 2003:
 * +65 % in 14 weeks), recovery after immobilisation months (A6).
 *
 * Turnover (Langberg 1999, Miller 2005/2007): the cell response saturates,
 * u = 1 + (r-1) R/(R + r - 1) for r > 1 (R = rem.r_sat; u = r below 1);
 * a two-stage chain (each stage rem.tau_syn) filters u into the synthesis signal s2, a one-stage filter
 * (rem.tau_deg) into the degradation signal g; an acute suppression a (rises
 * with rem.tau_sup_on, decays with rem.tau_sup) lowers synthesis right after
 * a bout:
 *   syn = max(b, 1 + G (s2 - 1) - rem.sup a),  a_eq = max(0, 1 - 1/r)
 *   deg = max(b, 1 + G rem.deg_ratio (g - 1))
 *   d tis_thick/dt = rem.fsr (syn - deg tis_thick)   (collagen mass balance;
 *   degradation by mass action, so the cross-section has a set point syn/deg)
 * Early net breakdown (deg rises first), synthesis peaking ~tau_syn later.
 *
 * Rest length (tis_rest = 1 + rf + rs): a fast component rf (acute stretch
 * gain, gone within ~30 min: Behm 2016 I10) and a slow one rs (postures
 * held for hours become ingrained; reverses over weeks). Each relaxes toward
 * k (eps_mean - eps_hab_mean) while held (duty of load) and toward 0
 * otherwise:  rate = duty/tau_on + (1 - duty)/tau_off,
 * eq = (duty/tau_on) k d_eps / rate. Heat raises the slow gain (Warren 1976,
 * I8: low load, long duration, heated tissue gives the largest residual
 * elongation; factor grade C).
 *
 * Muscles (Hill elements): serial sarcomere number follows the lengths a
 * muscle is held at (Tabary 1972: a cat soleus cast short for 4 weeks has
 * 40 % fewer sarcomeres in series, cast long 20 % more, and a short one is
 * back to normal within 4 weeks of release; Williams & Goldspink 1978: the
 * sarcomere length at the held length returns to optimal; grade B).
 * tis_rest of a muscle scales its optimal fibre length (src/mech); while a
 * posture or stride holds the fibres at strain eps (against today's optimal
 * length) the scale relaxes toward the one that would put them at the
 * habitual strain, r* = r (1 + eps)/(1 + eps_hab), with the held time's
 * duty (eps_hab: with a habitual day, the strain at which that day's
 * additions and removals balance, mus_habitual below): with
 * rem.tau_mus_rem when r* < r (sarcomeres removed), and when r* > r a
 * stretch signal: f, the share of recent time held longer than
 * the set point, and r_L, the time-weighted mean of the stretched targets r*
 * (both EMAs over rem.tau_mus_dose, a day). Sarcomeres are then added toward
 * r_L all the time the signal lasts, at a rate that saturates with the dose:
 *   dr/dt = g (r_L - r)/rem.tau_mus_add,   g = f/(f + rem.mus_dose_half),
 * so a muscle stretched all day adds with rem.tau_mus_add (days to weeks,
 * as cast long), and a short daily stretch already adds most of that:
 * 30 min of daily stretch kept a soleus cast short from losing sarcomeres
 * and added some (Williams 1990), 15 min every 2 days did not (Williams
 * 1988). The saturating daily dose is the model's reading of those two
 * (grade C): it is not a fixed faster rate, which would let a muscle held
 * long adapt within hours instead of the weeks of Tabary 1972. */
#include "module.h"

enum {
    P_M, P_NSAT, P_TAU_SENS, P_TAU_LOAD, P_ALPHA, P_QMAX, P_QMIN, P_TAU_GAIN, P_TAU_LOSS,
    P_TAU_SYN, P_G, P_TAU_DEG, P_DEG_RATIO, P_BASAL, P_SUP, P_TAU_SUP_ON, P_TAU_SUP, P_FSR,
    P_RF_ON, P_RF_OFF, P_K_RF, P_RS_ON, P_RS_OFF, P_K_RS, P_K_HEAT, P_R_SAT, P_MUS_ADD, P_MUS_REM, P_MUS_HALF, P_MUS_DOSE, NP
};
static const char *const params[NP] = {
    "rem.m",       "rem.n_sat",   "rem.tau_sens",  "rem.tau_load", "rem.alpha",      "rem.q_max",
    "rem.q_min",   "rem.tau_gain", "rem.tau_loss", "rem.tau_syn",  "rem.g_syn",      "rem.tau_deg",
    "rem.deg_ratio", "rem.basal", "rem.sup", "rem.tau_sup_on", "rem.tau_sup",  "rem.fsr",        "rem.tau_rf_on",
    "rem.tau_rf_off", "rem.k_rf", "rem.tau_rs_on", "rem.tau_rs_off", "rem.k_rs",     "rem.k_heat", "rem.r_sat",
    "rem.tau_mus_add", "rem.tau_mus_rem", "rem.mus_dose_half", "rem.tau_mus_dose",
};
enum { F_DENS, F_THICK, F_REST, F_SENS, F_LOAD, F_S1, F_S2, F_G, F_ACUTE, F_SYN, F_DEG, F_RF, F_RS, F_QEQ, F_LQ, F_MLONG, F_MTGT, NF };
static const fa_pm_fdecl fields[NF] = {
    {"tis_dens", "-", "collagen quality (modulus) relative to healthy", 1.0, 0.3, 3.0, FA_KINDS_TISSUE, 0, 1, "tis_dens"},
    {"tis_thick", "-", "cross-section relative to healthy", 1.0, 0.5, 2.0, FA_KINDS_TISSUE, 0, 1, "tis_thick"},
    {"tis_rest", "-", "rest-length scale", 1.0, 0.8, 1.2, FA_KINDS_TISSUE, 0, 1, "tis_rest"},
    {"sens", "-", "cellular mechanosensitivity [0,1]", 1.0, 0.0, 1.0, FA_KINDS_TISSUE, 0, 0, "remodel.sens"},
    {"load", "-", "chronic load relative to habitual", 1.0, 0.0, 1e300, FA_KINDS_TISSUE, 0, 0, "remodel.load"},
    {"s1", "-", "synthesis signal, stage 1", 1.0, 0.0, 1e4, FA_KINDS_TISSUE, 0, 0, "remodel.s1"},
    {"s2", "-", "synthesis signal, stage 2", 1.0, 0.0, 1e4, FA_KINDS_TISSUE, 0, 0, "remodel.s2"},
    {"g", "-", "degradation signal", 1.0, 0.0, 1e4, FA_KINDS_TISSUE, 0, 0, "remodel.g"},
    {"acute", "-", "acute synthesis suppression [0,1]", 0.0, 0.0, 1.0, FA_KINDS_TISSUE, 0, 0, "remodel.acute"},
    {"syn", "-", "collagen synthesis rate relative to habitual", 1.0, 0.0, 1e4, FA_KINDS_TISSUE, 0, 0, "remodel.syn"},
    {"deg", "-", "collagen degradation rate relative to habitual", 1.0, 0.0, 1e4, FA_KINDS_TISSUE, 0, 0, "remodel.deg"},
    {"rf", "-", "fast (acute) rest-length change", 0.0, -0.1, 0.1, FA_KINDS_TISSUE, 0, 0, "remodel.rf"},
    {"rs", "-", "slow (ingrained) rest-length change", 0.0, -0.15, 0.15, FA_KINDS_TISSUE, 0, 0, "remodel.rs"},
    {"qeq", "-", "quality target q_eq(L) last evaluated", 1.0, 0.0, 10.0, FA_KINDS_TISSUE, 0, 0, "remodel.qeq"},
    {"Lq", "-", "chronic load at which qeq was evaluated", 1.0, 0.0, 1e300, FA_KINDS_TISSUE, 0, 0, "remodel.Lq"},
    {"mus_long", "-", "muscles: share of recent time held longer than the set point (EMA)", 0.0, 0.0, 1.0,
     FA_KIND_BIT(FA_MUSCLE), 0, 0, "remodel.mus_long"},
    {"mus_ltgt", "-", "muscles: EMA of (share held stretched) x (stretched target scale); / mus_long = r_L", 0.0,
     0.0, 1.2, FA_KIND_BIT(FA_MUSCLE), 0, 0, "remodel.mus_ltgt"},
};

/* Steady sensitivity under a constant cycle rate c (1/s). */
static double s_inf(const double *P, double c)
{
    return 1.0 / (1.0 + c * P[P_TAU_SENS] / P[P_NSAT]);
}

static void init(const fa_model *m, fa_data *d)
{
    const double *P = fa_pm_params(d, FA_PM_REMODEL);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    double *sens = fa_pm_field(m, d, FA_PM_REMODEL, F_SENS);
    for (int e = 0; e < fa_pm_kind_end(m, FA_MEMBRANE); e++) sens[e] = H.sens0[e] >= 0.0 ? H.sens0[e] : s_inf(P, H.rate[e]);
    /* muscles start at the model's optimal fibre length, their stretch
     * signal where the habitual day leaves it at the day's start */
    double *ml = fa_pm_field(m, d, FA_PM_REMODEL, F_MLONG), *mt = fa_pm_field(m, d, FA_PM_REMODEL, F_MTGT);
    for (int e = fa_pm_kind_begin(m, FA_MUSCLE); e < m->nelem; e++) {
        d->tis_rest[e] = 1.0;
        ml[e] = H.mus_long0[e];
        mt[e] = H.mus_tgt0[e];
    }
}

/* tanh(a ln L) = (L^2a - 1)/(L^2a + 1): one pow instead of log + tanh */
static double q_eq(const double *P, double L)
{
    if (L >= 1.0) {
        double b = P[P_QMAX] - 1.0, z = fa_pm_pow(L, 2.0 * P[P_ALPHA] / b);
        return isfinite(z) ? 1.0 + b * (z - 1.0) / (z + 1.0) : P[P_QMAX];
    }
    double b = 1.0 - P[P_QMIN];
    if (L <= 0.0) return P[P_QMIN];
    double z = fa_pm_pow(L, 2.0 * P[P_ALPHA] / b);
    return 1.0 - b * (1.0 - z) / (1.0 + z);
}

/* One step of the muscles' serial-sarcomere law (header): scale r held for
 * the share duty of dt at fibre strain eps, against the balance strain
 * eps_ref; *ml, *mt the stretch-signal EMAs; ed = exp(-dt/tau_dose),
 * gd = (1 - ed)/(dt/tau_dose). */
static double mus_step(const double *P, double r, double *ml, double *mt, double duty, double eps, double eps_ref,
                       double dt, double ed, double gd)
{
    double rt = duty > 0.0 ? fa_pm_clamp(r * (1.0 + eps) / (1.0 + eps_ref), 0.8, 1.2) : r;
    /* the stretch signal: share of time held longer than the set point
     * and the time-weighted stretched target (exact EMAs over the step;
     * the share's mean over the step sets the rate) */
    double dl = rt > r ? duty : 0.0, f0 = *ml;
    double fm = dl + (f0 - dl) * gd;
    *ml = dl + (f0 - dl) * ed;
    *mt = dl * rt + (*mt - dl * rt) * ed;
    double f = *ml, rl = f > 1e-12 ? *mt / f : r;
    if (rl > r && fm > 0.0 && P[P_MUS_ADD] > 0.0) {
        double g = fm / (fm + P[P_MUS_HALF]);
        r = rl + (r - rl) * exp(-g * dt / P[P_MUS_ADD]);
    }
    if (rt < r && duty > 0.0 && P[P_MUS_REM] > 0.0) r = rt + (r - rt) * exp(-duty * dt / P[P_MUS_REM]);
    return fa_pm_clamp(r, 0.8, 1.2);
}

static void step(const fa_model *m, fa_data *d, const fa_stimulus *st, double dt)
{
    const double *P = fa_pm_params(d, FA_PM_REMODEL);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    double *F[NF];
    for (int j = 0; j < NF; j++) F[j] = fa_pm_field(m, d, FA_PM_REMODEL, j);
    const int nsub0 = (int)fa_pm_max(1.0, ceil(dt / (P[P_TAU_SYN] / 24.0)));
    const double h0 = dt / nsub0;
    const double eL = fa_pm_decay(h0, P[P_TAU_LOAD]), eS = fa_pm_decay(h0, P[P_TAU_SYN]);
    const double eG = fa_pm_decay(h0, P[P_TAU_DEG]), eA = fa_pm_decay(h0, P[P_TAU_SUP]);
    const double eAon = fa_pm_decay(h0, P[P_TAU_SUP_ON]);
    const double eQg = fa_pm_decay(h0, P[P_TAU_GAIN]), eQl = fa_pm_decay(h0, P[P_TAU_LOSS]);
    const double G = P[P_G], Gd = P[P_G] * P[P_DEG_RATIO], b = P[P_BASAL];
    const double inv_dt = 1.0 / dt, inv_ts = 1.0 / P[P_TAU_SENS], inv_n = 1.0 / P[P_NSAT];
    double mr_duty = -1.0, mr_gf = 0.0, mr_ef = 0.0, mr_gs = 0.0, mr_es = 0.0;
    double mc_c = -1.0, mc_k = 0.0, mc_ik = 0.0, mc_si = 0.0, mc_ek = 0.0, mh_rate = 0.0, mh_iph = 0.0;
    const int e1 = fa_pm_kind_end(m, FA_MEMBRANE);
    for (int e = 0; e < e1; e++) {
        /* Substeps of at most rem.tau_syn/24 keep the mass balance and the
         * chronic-load/quality coupling accurate for day-long steps; the
         * signals themselves are integrated exactly within each substep. */
        const int nsub = nsub0;
        const double h = h0;
        double c = fa_pm_max(0.0, st->cycles[e]) * inv_dt;
        /* per-cycle-rate and per-set-point constants, remembered across
         * elements (neighbours usually share both) */
        if (c != mc_c) {
            mc_c = c;
            mc_k = inv_ts + c * inv_n;
            mc_ik = 1.0 / mc_k;
            mc_si = inv_ts * mc_ik;
            mc_ek = exp(-mc_k * h);
        }
        /* the habitual stimulus rate: what the habitual day's bouts deliver
         * (fa_physio_set_habitual_day) or, without it, uniform cycles at the
         * habitual rate; an element the habitual day strains in no cycle is
         * not resolved by the mechanics: its chronic load stays at 1 */
        const int unresolved = H.stim_rate[e] < 0.0;
        const double psr = H.stim_rate[e] > 0.0 ? H.stim_rate[e] : -H.rate[e]; /* memo key */
        if (psr != mh_rate) {
            mh_rate = psr;
            mh_iph = psr > 0.0 ? 1.0 / (h * psr) : 1.0 / (h * H.rate[e] * s_inf(P, H.rate[e])); /* 1/(h x habitual stimulus rate) */
        }
        double mag = unresolved ? 0.0
                                : st->strain_peak[e] > 0.0 ? fa_pm_pow(st->strain_peak[e] / H.eps_peak[e], P[P_M]) : 0.0;
        const double si = mc_si, ek = mc_ek;
        for (int sub = 0; sub < nsub; sub++) {
            /* mechanostimulus with desensitisation (exact for constant c) */
            double s0 = F[F_SENS][e];
            double integ = c * (si * h + (s0 - si) * (1.0 - ek) * mc_ik);
            F[F_SENS][e] = si + (s0 - si) * ek;
            double r = unresolved ? 1.0 : mag * integ * mh_iph;

            /* chronic load and collagen quality */
            double L = F[F_LOAD][e] = r + (F[F_LOAD][e] - r) * eL;
            /* q_eq(L) is re-evaluated when L moved by > 0.1 % (L is a
             * week-long average; this keeps pow() out of most steps) */
            if (fabs(L - F[F_LQ][e]) > 1e-3 * F[F_LQ][e] + 1e-9) {
                F[F_LQ][e] = L;
                F[F_QEQ][e] = q_eq(P, L);
            }
            double q = d->tis_dens[e], qe = F[F_QEQ][e];
            d->tis_dens[e] = qe + (q - qe) * (qe > q ? eQg : eQl);

            /* turnover signals */
            double syn0 = F[F_SYN][e], deg0 = F[F_DEG][e];
            double s1 = F[F_S1][e], s2 = F[F_S2][e];
            double u = r > 1.0 ? 1.0 + (r - 1.0) * P[P_R_SAT] / (P[P_R_SAT] + r - 1.0) : r;
            F[F_S1][e] = u + (s1 - u) * eS;
            F[F_S2][e] = u + ((s2 - u) + (s1 - u) * (h / P[P_TAU_SYN])) * eS;
            F[F_G][e] = u + (F[F_G][e] - u) * eG;
            double aeq = r > 1.0 ? 1.0 - 1.0 / r : 0.0;
            F[F_ACUTE][e] = aeq + (F[F_ACUTE][e] - aeq) * (aeq > F[F_ACUTE][e] ? eAon : eA);
            double syn = fa_pm_max(b, 1.0 + G * (F[F_S2][e] - 1.0) - P[P_SUP] * F[F_ACUTE][e]);
            double deg = fa_pm_max(b, 1.0 + Gd * (F[F_G][e] - 1.0));
            F[F_SYN][e] = syn;
            F[F_DEG][e] = deg;
            /* mass action: degradation proportional to the collagen present,
             * d thick/dt = fsr (syn - deg thick), exact for the substep-mean rates */
            double sm = 0.5 * (syn0 + syn), dm = 0.5 * (deg0 + deg);
            double tstar = sm / dm;
            double x = P[P_FSR] * dm * h; /* tiny for hour steps: series to 4th order */
            double ex = x < 1e-2 ? 1.0 - x * (1.0 - x * (0.5 - x * (1.0 / 6.0 - x / 24.0))) : exp(-x);
            double th = tstar + (d->tis_thick[e] - tstar) * ex;
            d->tis_thick[e] = fa_pm_clamp(th, 0.5, 2.0);
        }

        /* rest length: fast and slow components (constants remembered per duty) */
        double duty = fa_pm_duty(st->t_load[e], dt);
        double de = st->strain_mean[e] - H.eps_mean[e];
        double heat = 1.0 + P[P_K_HEAT] * fa_pm_max(0.0, d->tis_temp[e] - m->opt.temperature);
        if (duty != mr_duty) {
            mr_duty = duty;
            double kon = duty / P[P_RF_ON], rate = kon + (1.0 - duty) / P[P_RF_OFF];
            mr_gf = rate > 0.0 ? kon * P[P_K_RF] / rate : 0.0;
            mr_ef = exp(-rate * dt);
            kon = duty / P[P_RS_ON];
            rate = kon + (1.0 - duty) / P[P_RS_OFF];
            mr_gs = rate > 0.0 ? kon * P[P_K_RS] / rate : 0.0;
            mr_es = exp(-rate * dt);
        }
        double eq = mr_gf * de;
        F[F_RF][e] = fa_pm_clamp(eq + (F[F_RF][e] - eq) * mr_ef, -0.1, 0.1);
        eq = mr_gs * heat * de;
        F[F_RS][e] = fa_pm_clamp(eq + (F[F_RS][e] - eq) * mr_es, -0.15, 0.15);
        d->tis_rest[e] = 1.0 + F[F_RF][e] + F[F_RS][e];
    }
    /* muscles: serial sarcomere number (optimal fibre length scale) */
    const double xd = dt / P[P_MUS_DOSE], ed = exp(-xd), gd = xd > 1e-12 ? (1.0 - ed) / xd : 1.0;
    for (int e = fa_pm_kind_begin(m, FA_MUSCLE); e < m->nelem; e++) {
        double r = d->tis_rest[e];
        if (!(r > 0.0)) continue;
        d->tis_rest[e] = mus_step(P, r, &F[F_MLONG][e], &F[F_MTGT][e], fa_pm_duty(st->t_load[e], dt), st->strain_mean[e],
                                  H.mus_eps[e], dt, ed, gd);
    }
}

/* The habitual day of a muscle: the day's pieces in order, replayed with
 * the sarcomere law until its stretch signal is periodic, starting each day
 * at r = 1; returns the last day's drift of r and the EMAs at its start. */
enum { MUS_DAYS = 8 };
static double mus_day_drift(const double *P, const fa_stimulus *const *piece, const double *dt, int n, int e,
                            double eps_ref, double *ml0, double *mt0)
{
    double ml = 0.0, mt = 0.0, r = 1.0;
    for (int day = 0; day < MUS_DAYS; day++) {
        *ml0 = ml;
        *mt0 = mt;
        r = 1.0;
        for (int i = 0; i < n; i++) {
            if (!(dt[i] > 0.0)) continue;
            double xd = dt[i] / P[P_MUS_DOSE], ed = exp(-xd), gd = xd > 1e-12 ? (1.0 - ed) / xd : 1.0;
            double eps = isfinite(piece[i]->strain_mean[e]) ? piece[i]->strain_mean[e] : 0.0;
            r = mus_step(P, r, &ml, &mt, fa_pm_duty(piece[i]->t_load[e], dt[i]), eps, eps_ref, dt[i], ed, gd);
        }
    }
    return r - 1.0;
}

/* The muscles' set point on the habitual day: the fibre strain at which the
 * day's sarcomere additions (saturating with the stretch dose) and removals
 * (with the time held short) balance, so that the ordinary day keeps every
 * muscle's serial sarcomere number, as it keeps every other tissue's set
 * point. Measured against the day's time-weighted mean strain instead, the
 * law's asymmetry (a few minutes stretched in each walk add nearly as much
 * as a whole day) ratcheted the hamstrings 12 % longer within weeks of an
 * ordinary life (docs/clinical.md). Bisection: the drift falls as the
 * balance strain rises (more time counts as short, less as long). */
static void mus_habitual(const fa_model *m, fa_data *d, const fa_stimulus *const *piece, const double *dt, int n)
{
    const double *P = fa_pm_params(d, FA_PM_REMODEL);
    double *eps_ref = fa_pm_field(m, d, FA_PM_HAB, FA_HAB_MUS_EPS);
    double *long0 = fa_pm_field(m, d, FA_PM_HAB, FA_HAB_MUS_LONG0), *tgt0 = fa_pm_field(m, d, FA_PM_HAB, FA_HAB_MUS_TGT0);
    double *ml = fa_pm_field(m, d, FA_PM_REMODEL, F_MLONG), *mt = fa_pm_field(m, d, FA_PM_REMODEL, F_MTGT);
    for (int e = fa_pm_kind_begin(m, FA_MUSCLE); e < m->nelem; e++) {
        double lo = HUGE_VAL, hi = -HUGE_VAL, a = 0.0, b = 0.0;
        for (int i = 0; i < n; i++) {
            double eps = piece[i]->strain_mean[e];
            if (!(dt[i] > 0.0) || !(piece[i]->t_load[e] > 0.0) || !isfinite(eps)) continue;
            lo = fmin(lo, eps);
            hi = fmax(hi, eps);
        }
        if (!(lo <= hi)) continue; /* never held: eps_mean stays the reference */
        lo -= 0.25;
        hi += 0.25;
        if (!(mus_day_drift(P, piece, dt, n, e, lo, &a, &b) > 0.0) || !(mus_day_drift(P, piece, dt, n, e, hi, &a, &b) < 0.0))
            continue; /* no balance within the day's range (law switched off) */
        for (int it = 0; it < 60; it++) {
            double mid = 0.5 * (lo + hi);
            if (mus_day_drift(P, piece, dt, n, e, mid, &a, &b) > 0.0)
                lo = mid;
            else
                hi = mid;
        }
        eps_ref[e] = 0.5 * (lo + hi);
        mus_day_drift(P, piece, dt, n, e, eps_ref[e], &long0[e], &tgt0[e]);
        ml[e] = long0[e];
        mt[e] = tgt0[e];
    }
}

void fa_pm_remodel_habitual(const fa_model *m, fa_data *d, const fa_stimulus *const *piece, const double *dt, int n)
{
    const double *P = fa_pm_params(d, FA_PM_REMODEL);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    double *rate = fa_pm_field(m, d, FA_PM_HAB, FA_HAB_STIM_RATE), *sens0 = fa_pm_field(m, d, FA_PM_HAB, FA_HAB_SENS0);
    double *sens = fa_pm_field(m, d, FA_PM_REMODEL, F_SENS);
    double T = 0.0;
    for (int i = 0; i < n; i++) T += dt[i] > 0.0 ? dt[i] : 0.0;
    const double inv_ts = 1.0 / P[P_TAU_SENS], inv_n = 1.0 / P[P_NSAT];
    for (int e = 0; e < fa_pm_kind_end(m, FA_MEMBRANE); e++) {
        int strained = 0;
        for (int i = 0; i < n; i++) strained |= piece[i]->cycles[e] > 0.0 && piece[i]->strain_peak[e] >= FA_PM_HAB_EPS_FLOOR;
        if (!strained || !(T > 0.0)) {
            rate[e] = -1.0;
            sens0[e] = -1.0;
            sens[e] = s_inf(P, H.rate[e]);
            continue;
        }
        /* replay the day (sensitivity recovers with rem.tau_sens, hours: a
         * few days reach the periodic state); the step's exact integral */
        double s = 1.0, s_start = 1.0, psi = 0.0;
        for (int rep = 0; rep < 8; rep++) {
            s_start = s;
            psi = 0.0;
            for (int i = 0; i < n; i++) {
                if (!(dt[i] > 0.0)) continue;
                double c = fa_pm_max(0.0, piece[i]->cycles[e]) / dt[i];
                double k = inv_ts + c * inv_n, si = inv_ts / k, ek = exp(-k * dt[i]);
                double integ = c * (si * dt[i] + (s - si) * (1.0 - ek) / k);
                s = si + (s - si) * ek;
                double pk = piece[i]->strain_peak[e];
                psi += (pk > 0.0 ? fa_pm_pow(pk / H.eps_peak[e], P[P_M]) : 0.0) * integ;
            }
        }
        rate[e] = psi > 0.0 ? psi / T : -1.0;
        sens0[e] = s_start;
        sens[e] = s_start;
    }
    mus_habitual(m, d, piece, dt, n);
}

const fa_pm_module fa_pm_remodel = {"remodel", NF, fields, NP, params, init, step};
