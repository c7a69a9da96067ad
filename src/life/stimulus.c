/* SPDX-License-Identifier: MIT */
/* From an interval of the timeline to a physiology stimulus.
 *
 * The activity catalogue row (fa_activity_info) says what the activity
 * does; the cached mechanics says how much each element is strained by it:
 *   posture activity: strain/stress of the posture's static equilibrium x
 *     strain_scale x intensity, held for the whole interval (t_load = dur),
 *     no cycles;
 *   gait activity: the stride's per-element peak/mean strain, strain rate
 *     and stress (x strain_scale x intensity), cycles = the interval's
 *     strides per leg (cadence/2 x duration), t_load = dur;
 *   interfaces slide for slide x dur with the stride's amplitude and
 *     velocity (walking at 1.4 m/s for non-gait activities that slide:
 *     the catalogue's slide = 1 means "sliding as in gait");
 *   pressure at the target region's elements (manual therapy, rolling)
 *     for the whole interval;
 *   heat: bath/ice water temperature (bath: whole body; ice: the region),
 *     metabolic heating when the activity is at least moderate (>= 3 MET);
 *   whole-body activity level from METs (table below), water intake of
 *     the day, rest while sleeping.
 * Elements of regions immobilised that day get no cycles and no sliding.
 * Movement re-education sessions shift a share of slumped sitting to upright
 * sitting (catalogue `reeducation` per session); slumped sitting then gives
 * the blend of the two postures' mechanics.
 * Every number below is a row of data/life/parameters.csv (value, unit,
 * source, grade); tests/life checks both agree. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "life/internal.h"
#include "life/stimparams.h"

/* Parameters: LP(NAME) = row of data/life/parameters.csv (src/life/params.c). */
#define MET_SLEEP LP(MET_SLEEP)
#define MET_LYING LP(MET_LYING)
#define MET_SIT LP(MET_SIT)
#define MET_STAND LP(MET_STAND)
#define MET_STRETCH LP(MET_STRETCH)
#define MET_YOGA LP(MET_YOGA)
#define MET_STRENGTH LP(MET_STRENGTH)
#define MET_MODERATE LP(MET_MODERATE)
#define ACSM_RUN_H LP(ACSM_RUN_H)
#define ACSM_WALK_H LP(ACSM_WALK_H)
#define VO2_REST LP(VO2_REST)
#define RUN_REF_SPEED LP(RUN_REF_SPEED)
#define WALK_HAB_SPEED LP(WALK_HAB_SPEED)
#define DEFAULT_RUN_SPEED LP(DEFAULT_RUN_SPEED)
#define STRENGTH_EFFORT LP(STRENGTH_EFFORT)
/* m: a replayed stride that moves a layer less than this over its substrate did not move it at
 * all (a numerical zero: layer and substrate ride the same rigid segment of the skeleton) */
#define SLIDE_UNRESOLVED 1e-6
#define STRENGTH_REPS LP(STRENGTH_REPS)
#define MANUAL_PRESSURE LP(MANUAL_PRESSURE)

/* ------------------------------------------------------------ static holds
 *
 * A position held still relaxes (quasi-linear viscoelasticity at constant
 * strain): G(t) = g_inf + sum_i g_i exp(-t/tau_i), three terms (rows
 * hold.g1..hold.tau3 of data/life/parameters.csv: the loose connective
 * tissue times of Iatridis 2003, 3.83 s and 30.15 s, weighted so that
 * G(90 s) = 0.67, the 33 % passive-torque decline of Magnusson 1996 over a
 * 90-s hamstring hold, and a slow cell-mediated term of 20 min, Langevin
 * 2005/Abbott 2013, grade C). In each Maxwell arm the dashpot has flowed by
 * the fraction 1 - exp(-t/tau_i) of the held strain, so the share of the
 * relaxable strain that has flowed t seconds into a hold is
 *   psi(t) = sum_i g_i (1 - exp(-t/tau_i)) / sum_i g_i.
 * The stimulus counts a hold's time under load by that flow: t_load is the
 * integral of psi over the piece (a 4-min hold counts 74 % of its time, a
 * 20-s hold 42 %, a 2-s pass 10 %, an 8-h desk bout 99 %), so the rest-length
 * drift, water expression and sustained-stress drives (which all scale with
 * the duty of load) grow with hold length at the same total time (the
 * direction of Bandy & Irion 1994, 30-s over 15-s holds, and of the yin
 * claim of the seed). The relaxed mean stress of a hold,
 * stress x (1 - sum g x mean psi) (fa_life_hold_relax, checked against
 * Magnusson 1996 by the tests), is not put into the stimulus: t_load
 * already counts the hold by its flow, and scaling the stress too would
 * count the same relaxation twice in the sustained-stress drive
 * (duty x stress). Holds of a piece start afresh (positions change between
 * them); with no hold given, the whole bout is one hold, counted from its
 * start (bout_t0) unless the piece follows a cut (cont = 0).
 * Compression of a sustained manual/roller hold is counted the same way
 * (assumption: the same relaxation spectrum in compression, grade C). */
static const int HOLD_G[3] = {FA_LP_HOLD_G1, FA_LP_HOLD_G2, FA_LP_HOLD_G3};
static const int HOLD_TAU[3] = {FA_LP_HOLD_TAU1, FA_LP_HOLD_TAU2, FA_LP_HOLD_TAU3};

static double hold_gsum(void)
{
    double s = 0.0;
    for (int i = 0; i < 3; i++) s += fa_life_param(HOLD_G[i]);
    return s;
}

/* integral of psi over [a, b] seconds into a hold */
static double hold_psi_int(double a, double b)
{
    double sg = hold_gsum(), s = 0.0;
    if (!(sg > 0.0) || !(b > a)) return b > a ? b - a : 0.0;
    for (int i = 0; i < 3; i++) {
        double g = fa_life_param(HOLD_G[i]), tau = fa_life_param(HOLD_TAU[i]);
        s += g * tau * (exp(-a / tau) - exp(-b / tau));
    }
    double r = (b - a) - s / sg;
    return r > 0.0 ? r : 0.0;
}

double fa_life_hold_flow(const fa_interval *iv, double hold)
{
    const double dur = iv->dur;
    if (!(dur > 0.0)) return 0.0;
    if (hold > 0.0 && hold < dur + (iv->cont ? iv->t0 - iv->bout_t0 : 0.0)) {
        /* whole holds of `hold` seconds within the piece, and the remainder */
        double n = floor(dur / hold);
        return n * hold_psi_int(0.0, hold) + hold_psi_int(0.0, dur - n * hold);
    }
    double a = (iv->cont && iv->t0 > iv->bout_t0) ? iv->t0 - iv->bout_t0 : 0.0;
    return hold_psi_int(a, a + dur);
}

double fa_life_hold_relax(double flow, double dur)
{
    if (!(dur > 0.0)) return 1.0;
    return 1.0 - hold_gsum() * flow / dur;
}

/* -------------------------------------------------- ITB impingement
 *
 * Orchard 1996 / Fairclough 2006: the distal iliotibial band is pressed
 * against the lateral femoral epicondyle (on the fat pad beneath it) near
 * 20-30 deg of knee flexion, in the loaded early stance just after foot
 * strike. Per stride: the time the replayed knee angle (relative rotation
 * angle of the tibia to the femur, right side; the standing reference =
 * 0 deg) spends in [itb.zone_lo, itb.zone_hi] during the loading response,
 * at the recorded motion's timing (the angle interpolated linearly between
 * frames). The loading response is found in the
 * knee curve itself: from foot strike (the knee's minimum after the swing
 * flexion peak) to the stance flexion peak (the other, smaller peak, the
 * most prominent after the swing's); a curve with one peak counts its
 * rising half. Per piece: strides x that
 * time, so more steps per minute give more compressions and more time in
 * the zone. The
 * pressure is that of a band of tension T wrapped over a cylinder,
 * p = T / (r w) (r: epicondyle radius, w: band width, grade C), with T each
 * ITB cord's tension averaged over the time the replayed knee spends in the
 * zone (the stride replay records it frame by frame: fa_life_zone_record),
 * re-expressed with today's material at the recorded strain when the tissue
 * drifted since the solve or the abductors change the band's strain
 * (fa_life_band_zone_tension), times the compensation module's load share
 * of the element, so a tighter (shorter or stiffer) ITB presses harder and
 * one unloaded by a stronger gluteus medius/TFL presses less.
 * Downhill grades are not represented (intervals carry no slope). */
static int knee_bodies(const fa_model *m, int *fem, int *tib)
{
    *fem = fa_model_find(m, "body", "femur_r");
    *tib = fa_model_find(m, "body", "tibia_r");
    if (*fem < 0 || *tib < 0) {
        *fem = fa_model_find(m, "body", "femur");
        *tib = fa_model_find(m, "body", "tibia");
    }
    return *fem >= 0 && *tib >= 0;
}

static double body_angle(const fa_data *d, int fem, int tib)
{
    const double *A = d->body_xmat + 9 * fem, *B = d->body_xmat + 9 * tib;
    double tr = 0.0; /* trace of A^T B */
    for (int k = 0; k < 9; k++) tr += A[k] * B[k];
    double c = 0.5 * (tr - 1.0);
    c = c > 1.0 ? 1.0 : (c < -1.0 ? -1.0 : c);
    return acos(c) * 180.0 / 3.14159265358979323846;
}

double fa_life_knee_angle(const fa_model *m, const fa_data *d)
{
    int fem, tib;
    if (!knee_bodies(m, &fem, &tib)) return NAN;
    return body_angle(d, fem, tib);
}

void fa_life_knee_angles(const fa_model *m, const fa_data *d, double ang[2])
{
    int fem = fa_model_find(m, "body", "femur_l"), tib = fa_model_find(m, "body", "tibia_l");
    ang[0] = fa_life_knee_angle(m, d);
    ang[1] = fem >= 0 && tib >= 0 ? body_angle(d, fem, tib) : NAN;
}

/* Side of band cord e: 1 (left) when the body has a left knee and the
 * cord's midpoint lies nearer the left femur's anchored nodes (their mean
 * reference position) than the right one's, else 0 (right, or the only
 * knee). */
static int band_side(const fa_model *m, int e)
{
    int fem[2] = {fa_model_find(m, "body", "femur_r"), fa_model_find(m, "body", "femur_l")};
    if (fem[0] < 0 || fem[1] < 0 || e >= m->ncord) return 0;
    const double *a = m->node_pos0 + 3 * m->cord_node[2 * e], *b = m->node_pos0 + 3 * m->cord_node[2 * e + 1];
    double dist[2];
    for (int k = 0; k < 2; k++) {
        double cen[3] = {0.0, 0.0, 0.0};
        int n = 0;
        for (int i = 0; i < m->nnode; i++)
            if (m->node_body[i] == fem[k]) {
                for (int j = 0; j < 3; j++) cen[j] += m->node_pos0[3 * i + j];
                n++;
            }
        if (n == 0) return 0;
        double d2 = 0.0;
        for (int j = 0; j < 3; j++) {
            double x = 0.5 * (a[j] + b[j]) - cen[j] / n;
            d2 += x * x;
        }
        dist[k] = d2;
    }
    return dist[1] < dist[0];
}

/* Share of each frame-to-frame segment f -> f+1 (cyclic) of a stride's knee
 * curve a[0..nf-1] spent in the impingement zone during the loading
 * response (frac[f] in [0,1], 0 outside it). */
static void zone_segments(const double *a, int nf, double *frac)
{
    for (int f = 0; f < nf; f++) frac[f] = 0.0;
    if (nf < 3) return;
    /* the loading response: from foot strike (the knee's minimum after the
     * swing peak) to the stance flexion peak (the most prominent local
     * maximum other than the swing peak: a recorded cycle's small wiggles
     * near the swing peak are not it); with one peak only, its rising half */
    int sw = 0;
    for (int f = 1; f < nf; f++)
        if (a[f] > a[sw]) sw = f;
    int sp = -1;
    double best = 0.0;
    for (int k = 1; k < nf; k++) {
        int f = (sw + k) % nf;
        double prev = a[(f + nf - 1) % nf], next = a[(f + 1) % nf];
        if (!(a[f] > prev && a[f] >= next)) continue;
        /* prominence: the deeper of the two descents needed to reach a
         * higher angle on either side */
        double lmin = a[f], rmin = a[f];
        for (int j = 1; j < nf; j++) {
            double x = a[(f + nf - j) % nf];
            if (x > a[f]) break;
            if (x < lmin) lmin = x;
        }
        for (int j = 1; j < nf; j++) {
            double x = a[(f + j) % nf];
            if (x > a[f]) break;
            if (x < rmin) rmin = x;
        }
        double prom = a[f] - (lmin > rmin ? lmin : rmin);
        if (sp < 0 || prom > best) {
            sp = f;
            best = prom;
        }
    }
    if (sp < 0) sp = sw;
    int fs = (sw + 1) % nf; /* foot strike: the minimum on the way from the swing peak to sp */
    for (int f = fs; f != sp; f = (f + 1) % nf)
        if (a[f] < a[fs]) fs = f;
    /* share in [lo, hi] of the knee angle interpolated linearly between
     * frames, from foot strike to the stance peak */
    const double lo = LP(ITB_ZONE_LO), hi = LP(ITB_ZONE_HI);
    for (int f = fs; f != sp; f = (f + 1) % nf) {
        double x0 = a[f], x1 = a[(f + 1) % nf];
        double u0 = x0 < x1 ? x0 : x1, u1 = x0 < x1 ? x1 : x0;
        if (u1 - u0 < 1e-12) {
            if (u0 >= lo && u0 <= hi) frac[f] = 1.0;
            continue;
        }
        double w0 = u0 > lo ? u0 : lo, w1 = u1 < hi ? u1 : hi;
        if (w1 > w0) frac[f] = (w1 - w0) / (u1 - u0);
    }
}

fa_status fa_life_zone_time(fa_life *L, const char *motion, double speed, double *t_zone, fa_error *err)
{
    *t_zone = 0.0;
    int fem, tib;
    if (!knee_bodies(L->m, &fem, &tib) || !L->def.kin.gait || !L->def.kin.gait_pose) return FA_OK;
    int nf = 0;
    double dtf = 0.0;
    fa_status st = L->def.kin.gait(L->def.kin.user, L->m, motion, speed, &nf, &dtf, err);
    if (st) return st;
    if (nf < 3) return FA_OK;
    double *a = (double *)malloc(2 * (size_t)nf * sizeof(double));
    if (!a) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "knee angles of a stride");
    for (int f = 0; f < nf; f++) {
        st = L->def.kin.gait_pose(L->def.kin.user, L->m, L->md, motion, speed, f, err);
        if (st) {
            free(a);
            return st;
        }
        a[f] = fa_life_knee_angle(L->m, L->md);
    }
    double *frac = a + nf;
    zone_segments(a, nf, frac);
    for (int f = 0; f < nf; f++)
        if (frac[f] > 0.0) *t_zone += dtf * frac[f];
    free(a);
    return FA_OK;
}

void fa_life_zone_record(const fa_life *L, fa_life_mech *c, const double *ang, const double *T, const double *eps,
                         double *frac, int nf)
{
    for (int i = 0; i < L->itb_n; i++) {
        int e = L->itb_elem[i];
        if (e < L->m->ncord) {
            c->force_zone[e] = 0.0;
            c->strain_zone[e] = c->strain_mean[e];
        }
    }
    /* each knee's zone: frac[0..nf) right (or the only knee), frac[nf..2nf) left; frac[2nf..3nf)
     * holds the knee's angle column of ang (nf x 2) */
    double wsum[2] = {0.0, 0.0}, *col = frac + 2 * (size_t)nf;
    for (int k = 0; k < 2; k++) {
        double *fk = frac + (size_t)k * nf;
        for (int f = 0; f < nf; f++) col[f] = ang[2 * f + k];
        if (!isfinite(col[0])) {
            for (int f = 0; f < nf; f++) fk[f] = 0.0; /* no such knee */
            continue;
        }
        zone_segments(col, nf, fk);
        for (int f = 0; f < nf; f++) wsum[k] += fk[f];
    }
    for (int i = 0; i < L->itb_n; i++) {
        int e = L->itb_elem[i];
        if (e >= L->m->ncord) continue;
        int side = band_side(L->m, e);
        const double *fr = frac + (size_t)side * nf;
        if (!(wsum[side] > 0.0)) continue;
        double ts = 0.0, es = 0.0;
        for (int f = 0; f < nf; f++) {
            if (!(fr[f] > 0.0)) continue;
            int g = (f + 1) % nf; /* segment f -> g: the mean of its ends (trapezoid) */
            ts += fr[f] * 0.5 * (T[(size_t)f * L->itb_n + i] + T[(size_t)g * L->itb_n + i]);
            es += fr[f] * 0.5 * (eps[(size_t)f * L->itb_n + i] + eps[(size_t)g * L->itb_n + i]);
        }
        c->force_zone[e] = ts / wsum[side];
        c->strain_zone[e] = es / wsum[side];
    }
}

/* Hip abductor capacity seen by the band: the mean strength capacity
 * (strength.cap, 1 = habitual) of the muscles sharing a region with a band
 * element (test body: gluteus medius in lateral_hip; runner body: TFL and
 * the upper gluteus maximus inserting on the band in lateral_thigh); 1 when
 * there is none. */
double fa_life_abductor_cap(const fa_life *L)
{
    const fa_model *m = L->m;
    const double *cap = fa_physio_state_const(m, L->d, "strength.cap");
    const int e0m = m->ncord + m->nmem + m->nintf;
    double sum = 0.0;
    int n = 0;
    if (!cap) return 1.0;
    for (int r = 0; r < m->nregion; r++) {
        const int *el = m->region_elem + m->region_adr[r];
        int band = 0;
        for (int i = 0; i < m->region_num[r] && !band; i++)
            for (int j = 0; j < L->itb_n && !band; j++) band = el[i] == L->itb_elem[j];
        if (!band) continue;
        for (int i = 0; i < m->region_num[r]; i++)
            if (el[i] >= e0m) {
                sum += cap[el[i]];
                n++;
            }
    }
    return n > 0 ? sum / n : 1.0;
}

/* Fibre stress (Pa, per unit thickness factor) of band cord e at strain eps
 * with the stiffness factor k (fa_tissue_scale): the cord's material law. */
static double band_law(const fa_model *m, int e, double k, double eps)
{
    int mat = m->cord_mat[e];
    return fa_fibre_law(k * m->mat_E[mat], m->mat_toe[mat], eps, NULL, NULL);
}

/* Tension (N) of band cord e over the impingement zone of the cached stride
 * c in today's tissue state with its running strain lowered by d_eps (the
 * abductors): the tension recorded over the zone's frames (force_zone), re-
 * expressed with the element's current material at the recorded zone
 * strain: the strain against today's rest length ((1 + eps) r0 / r - 1) minus
 * d_eps, the stiffness factor of today, the recorded tension's departure
 * from the law at the mean zone strain (the averaging over the frames)
 * kept. Equal to the recorded tension when nothing drifted and d_eps = 0. */
double fa_life_band_zone_tension(const fa_life *L, const fa_life_mech *c, int e, double d_eps)
{
    const fa_model *m = L->m;
    double ez = c->strain_zone[e], r0 = c->ref_rest[e], r = fa_life_rest_solved(m, L->d, fa_life_rest_fast(m, L->d), e);
    double en = (r > 0.0 && r0 > 0.0 && r != r0 ? (1.0 + ez) * r0 / r - 1.0 : ez) - d_eps;
    double dT = m->cord_area[e] * (band_law(m, e, fa_tissue_scale(m, L->d, e), en) - band_law(m, e, c->ref_k[e], ez));
    double T = c->force_zone[e] + dT;
    return T > 0.0 ? T : 0.0;
}

double fa_life_met(const fa_interval *iv)
{
    const fa_activity_info *A = fa_activity_get(iv->act);
    if (!A) return MET_STAND;
    if (A->flags & FA_ACTF_GAIT) {
        double v = iv->speed > 0.0 ? iv->speed : (A->flags & FA_ACTF_RUNNING ? DEFAULT_RUN_SPEED : WALK_HAB_SPEED);
        double h = (A->flags & FA_ACTF_RUNNING) ? ACSM_RUN_H : ACSM_WALK_H;
        return (h * v * 60.0 + VO2_REST) / VO2_REST;
    }
    switch (iv->act) {
    case FA_ACT_SLEEP: return MET_SLEEP;
    case FA_ACT_BATH:
    case FA_ACT_ICE:
    case FA_ACT_ROLFING:
    case FA_ACT_MASSAGE: return MET_LYING;
    case FA_ACT_SIT_UPRIGHT:
    case FA_ACT_SIT_SLUMPED: return MET_SIT;
    case FA_ACT_STRETCH:
    case FA_ACT_FOAM_ROLL:
    case FA_ACT_FOAM_ROLL_QUICK:
    case FA_ACT_PIGEON: return MET_STRETCH;
    case FA_ACT_YOGA_YIN:
    case FA_ACT_YOGA_FLOW: return MET_YOGA;
    case FA_ACT_STRENGTH_HIP:
    case FA_ACT_PHYSIO: return MET_STRENGTH;
    default: return MET_STAND;
    }
}

static double activity_level(double met)
{
    double ref = (ACSM_RUN_H * RUN_REF_SPEED * 60.0 + VO2_REST) / VO2_REST;
    double a = (met - 1.0) / (ref - 1.0);
    return a < 0.0 ? 0.0 : (a > 1.0 ? 1.0 : a);
}

int fa_life_region_has(const fa_model *m, int r, int e)
{
    const int *el = m->region_elem + m->region_adr[r];
    for (int i = 0; i < m->region_num[r]; i++)
        if (el[i] == e) return 1;
    return 0;
}

static fa_status find_region(const fa_life *L, const char *name, const fa_interval *iv, int *r, fa_error *err)
{
    *r = -1;
    if (!name || !*name) return FA_OK;
    *r = fa_model_find(L->m, "region", name);
    if (*r < 0)
        return fa_error_set(err, FA_ERR_UNKNOWN, L->sc->file, iv->line, 0,
                            "expected a region of the body for activity '%s', found '%s' (not a region of the body)",
                            fa_activity_get(iv->act)->name, name);
    return FA_OK;
}

fa_status fa_life_build_stimulus(fa_life *L, const fa_interval *iv, fa_stimulus *s, fa_error *err)
{
    const fa_model *m = L->m;
    const fa_activity_info *A = fa_activity_get(iv->act);
    fa_stimulus_clear(s);
    s->water = L->water;
    if (!A) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected an activity id, found %d", iv->act);
    const double dur = iv->dur;
    const double T0 = m->opt.temperature;
    const double inten = (iv->intensity > 0.0 && isfinite(iv->intensity)) ? iv->intensity : 1.0;
    const double k = (isfinite(A->strain_scale) ? A->strain_scale : 1.0) * inten;
    const double met = fa_life_met(iv);
    s->activity = activity_level(met);
    s->rest = iv->act == FA_ACT_SLEEP;
    s->heat_mode = met >= MET_MODERATE ? FA_HEAT_ACTIVITY : FA_HEAT_NONE;
    const int e0i = m->ncord + m->nmem, e0m = e0i + m->nintf;
    fa_status st;

    /* the mechanics of the interval */
    fa_life_mech *c = NULL, *slide = NULL;
    int gait = (A->flags & FA_ACTF_GAIT) && A->motion;
    if (gait) {
        double v = iv->speed > 0.0 ? iv->speed : (A->flags & FA_ACTF_RUNNING ? DEFAULT_RUN_SPEED : WALK_HAB_SPEED);
        st = fa_life_mech_get(L, 1, A->motion, v, &c, err);
        if (st) return st;
        slide = c;
    } else if (A->posture || iv->pose[0]) {
        st = fa_life_mech_get(L, 0, iv->pose[0] ? iv->pose : A->posture, 0.0, &c, err);
        if (st) return st;
    }
    double slide_frac = isfinite(A->slide) ? A->slide : 0.0;
    const int manual = (A->flags & FA_ACTF_MANUAL) != 0;
    if (!slide && slide_frac > 0.0 && !manual) {
        st = fa_life_mech_get(L, 1, "walking", WALK_HAB_SPEED, &slide, err);
        if (st) return st;
    }
    /* movement re-education: a share L->upright of slumped sitting is done
     * upright (posture mechanics blended by that share) */
    fa_life_mech *up = NULL;
    if (iv->act == FA_ACT_SIT_SLUMPED && !iv->pose[0] && L->upright > 0.0) {
        const fa_activity_info *U = fa_activity_get(FA_ACT_SIT_UPRIGHT);
        st = fa_life_mech_get(L, 0, U->posture, 0.0, &up, err);
        if (st) return st;
    }
    /* a static hold (no sliding, or a hold given): time under load counted
     * by the viscous flow of the hold */
    double hold = iv->hold > 0.0 ? iv->hold : (isfinite(A->hold) ? A->hold : 0.0);
    int still = !gait && (hold > 0.0 || !(isfinite(A->slide) && A->slide > 0.0));
    double t_held = still ? fa_life_hold_flow(iv, hold) : dur;
    /* The held strain (strain_held): a cord of a slack chain reads the chain's strain, every
     * other element its own (src/life/mech.c chain_init: how a slack chain's slack is shared
     * among its segments is not set by the bones). */
    if (c) {
        const double h = up ? L->upright : 0.0;
        for (int e = 0; e < m->nelem; e++) {
            if (up) {
                s->strain_mean[e] = k * ((1.0 - h) * c->strain_held[e] + h * up->strain_held[e]);
                s->strain_peak[e] = k * ((1.0 - h) * c->strain_peak[e] + h * up->strain_peak[e]);
                s->strain_rate[e] = 0.0;
                s->stress_mean[e] = k * ((1.0 - h) * c->stress_mean[e] + h * up->stress_mean[e]);
                s->stress_peak[e] = k * ((1.0 - h) * c->stress_peak[e] + h * up->stress_peak[e]);
                s->t_load[e] = t_held;
                continue;
            }
            s->strain_mean[e] = k * c->strain_held[e];
            s->strain_peak[e] = k * c->strain_peak[e];
            s->strain_rate[e] = k * c->strain_rate[e];
            s->stress_mean[e] = k * c->stress_mean[e];
            s->stress_peak[e] = k * c->stress_peak[e];
            s->t_load[e] = t_held;
        }
        /* muscles: the cached solve measured fibre strain against the
         * optimal length of its day (ref_rest); the fibres' length is the
         * posture's, the optimal length is today's (remodel's serial
         * sarcomere set point), so the strain is re-expressed against it
         * (the cache re-solves for tissue drift, not for a muscle's) */
        for (int e = e0m; e < m->nelem; e++) {
            double r = L->d->tis_rest[e], r0 = c->ref_rest[e];
            if (!(r > 0.0) || !(r0 > 0.0) || r == r0) continue;
            s->strain_mean[e] = (1.0 + s->strain_mean[e]) * r0 / r - 1.0;
            s->strain_peak[e] = (1.0 + s->strain_peak[e]) * r0 / r - 1.0;
        }
    }
    if (gait) {
        double strides = iv->strides > 0.0 ? iv->strides : 0.0;
        double v = iv->speed > 0.0 ? iv->speed : (A->flags & FA_ACTF_RUNNING ? DEFAULT_RUN_SPEED : WALK_HAB_SPEED);
        double eff = fa_physio_param(L->d, "stim.effort");
        if (!isfinite(eff)) eff = 0.0;
        eff *= v / WALK_HAB_SPEED;
        if (eff > LP(GAIT_EFFORT_MAX)) eff = LP(GAIT_EFFORT_MAX);
        for (int e = 0; e < m->nelem; e++) s->cycles[e] = strides;
        for (int e = e0m; e < m->nelem; e++) s->effort[e] = eff;
        /* hip abductor capacity and the band's strain: the replayed stride
         * is that of habitual abductors; stronger ones hold the hip out of
         * adduction (Noehren 2007, Fredericson 2000: itb.add_per_cap), which
         * shortens the band's path over the greater trochanter by
         * moment arm x angle: every band cord's strain falls by d_eps, its
         * peak and mean stress by the material law's change between the
         * recorded strain and that strain minus d_eps (weaker abductors: the
         * reverse) */
        double d_eps = 0.0;
        if (L->itb_n > 0)
            d_eps = LP(ITB_ADD_PER_CAP) * (fa_life_abductor_cap(L) - 1.0) * (3.14159265358979323846 / 180.0) *
                    LP(ITB_ABD_ARM) / LP(ITB_LENGTH);
        for (int i = 0; i < L->itb_n && d_eps != 0.0; i++) {
            int e = L->itb_elem[i];
            if (e >= m->ncord) continue;
            double ep = c->strain_peak[e], em = c->strain_held[e], ep1 = ep - d_eps, em1 = em - d_eps;
            double k0 = c->ref_k[e], th = L->d->tis_thick[e] > 0.0 ? L->d->tis_thick[e] : 1.0;
            s->strain_mean[e] = k * (em1 > 0.0 ? em1 : 0.0);
            s->strain_peak[e] = k * (ep1 > 0.0 ? ep1 : 0.0);
            double sm = c->stress_mean[e] + (band_law(m, e, k0, em1) - band_law(m, e, k0, em)) / th;
            double sp = c->stress_peak[e] + (band_law(m, e, k0, ep1) - band_law(m, e, k0, ep)) / th;
            s->stress_mean[e] = k * (sm > 0.0 ? sm : 0.0);
            s->stress_peak[e] = k * (sp > 0.0 ? sp : 0.0);
        }
        /* ITB impingement over the lateral femoral epicondyle */
        if (L->itb_n > 0 && strides > 0.0) {
            double tz = 0.0;
            st = fa_life_zone_time(L, A->motion, v, &tz, err);
            if (st) return st;
            double tp = strides * tz;
            if (tp > dur) tp = dur;
            const double rw = LP(ITB_EPI_RADIUS) * LP(ITB_WIDTH);
            for (int i = 0; i < L->itb_n && tp > 0.0; i++) {
                int e = L->itb_elem[i];
                if (e >= m->ncord) continue; /* the band's cords */
                /* the band's tension over the zone's frames, in today's tissue */
                double T = inten * fa_life_band_zone_tension(L, c, e, d_eps);
                if (!(T > 0.0) || !(rw > 0.0)) continue;
                s->pressure[e] = T / rw;
                s->t_press[e] = tp;
            }
        }
    }
    if (iv->act == FA_ACT_STRENGTH_HIP) {
        int r = -1;
        st = find_region(L, iv->region[0] ? iv->region : A->region, iv, &r, err);
        if (st) return st;
        for (int e = e0m; e < m->nelem; e++)
            if (r < 0 || fa_life_region_has(m, r, e)) {
                s->effort[e] = STRENGTH_EFFORT;
                s->cycles[e] = STRENGTH_REPS * (iv->bout_dur > 0.0 ? dur / iv->bout_dur : 1.0);
            }
    }
    if (slide && slide_frac > 0.0 && !manual) {
        /* without the habitual day (def.habitual_day 0): layers that no replayed stride moves
         * slide as the reference person's layers do while the activity slides */
        double amp_h = fa_physio_param(L->d, "stim.slide_amp"), vel_h = fa_physio_param(L->d, "stim.slide_vel");
        int hab = !L->def.habitual_day && isfinite(amp_h) && isfinite(vel_h);
        for (int e = e0i; e < e0m; e++) {
            int unresolved = hab && !(slide->slide_amp[e] >= SLIDE_UNRESOLVED);
            s->slide_amp[e] = unresolved ? amp_h : slide->slide_amp[e];
            s->slide_vel[e] = unresolved ? vel_h : slide->slide_vel[e];
            s->t_slide[e] = slide_frac * dur;
        }
    }
    /* layers that no replayed stride moves over their substrate (the scalp, neck and face on
     * the rigid torso-head, the hand on the rigid hand segment, the pelvic floor) are layers
     * whose everyday motion (breathing, head and hand use) the skeleton does not resolve, not
     * immobile ones: whatever the activity, they slide as the habitual reference person's
     * layers do (stim.slide_amp, stim.slide_vel, for the share stim.slide_frac of every
     * interval), so no day of walking, running or sitting densifies or frees them; only
     * immobilisation (below) and manual therapy on them (next) change their sliding */
    if (L->def.habitual_day) {
        double amp_h = fa_physio_param(L->d, "stim.slide_amp"), vel_h = fa_physio_param(L->d, "stim.slide_vel");
        double frac_h = fa_physio_param(L->d, "stim.slide_frac");
        /* resolved or not: by the habitual walking stride, whatever today's gait (a structural
         * property: a stride solved once, even if tissue drift invalidated it since, tells) */
        fa_life_mech *w = NULL;
        if (isfinite(amp_h) && isfinite(vel_h) && isfinite(frac_h) && m->nintf > 0) {
            for (int i = 0; i < L->nmech && !w; i++)
                if (L->mech[i].kind == 1 && !strcmp(L->mech[i].name, "walking") && L->mech[i].used >= 0 &&
                    L->mech[i].slide_amp)
                    w = &L->mech[i];
            if (!w) {
                st = fa_life_mech_get(L, 1, "walking", WALK_HAB_SPEED, &w, err);
                if (st) return st;
            }
        }
        for (int e = e0i; w && e < e0m; e++)
            if (!(w->slide_amp[e] >= SLIDE_UNRESOLVED)) {
                s->slide_amp[e] = amp_h;
                s->slide_vel[e] = vel_h;
                s->t_slide[e] = frac_h * dur;
            }
    }
    /* manual therapy and rolling move the superficial layer over the deep
     * one where the hands or the roller work (strokes, passes, the slow
     * rolling between sustained holds), not the whole body: the target
     * region's interfaces slide by manual.slide_amp for the catalogue's
     * sliding share of the session */
    if (manual && slide_frac > 0.0) {
        int r = -1;
        st = find_region(L, iv->region[0] ? iv->region : A->region, iv, &r, err);
        if (st) return st;
        for (int e = e0i; e < e0m; e++)
            if (r < 0 || fa_life_region_has(m, r, e)) {
                s->slide_amp[e] = LP(MANUAL_SLIDE_AMP);
                s->slide_vel[e] = LP(MANUAL_SLIDE_VEL);
                s->t_slide[e] = slide_frac * dur;
            }
    }
    /* pressure at the target region */
    double p = A->pressure;
    if (A->flags & FA_ACTF_MANUAL) {
        if (iv->pressure > 0.0) p = iv->pressure;
        if (!isfinite(p)) p = MANUAL_PRESSURE;
        p *= inten;
    } else if (iv->pressure > 0.0) {
        p = iv->pressure;
    }
    if (isfinite(p) && p > 0.0) {
        int r = -1;
        st = find_region(L, iv->region[0] ? iv->region : A->region, iv, &r, err);
        if (st) return st;
        for (int e = 0; e < m->nelem; e++)
            if (r < 0 || fa_life_region_has(m, r, e)) {
                s->pressure[e] = p;
                s->t_press[e] = t_held;
            }
    }
    /* heat */
    double tw = isfinite(iv->temp) ? iv->temp : A->temp;
    if (isfinite(tw)) {
        int r = -1;
        if (iv->act != FA_ACT_BATH) {
            st = find_region(L, iv->region[0] ? iv->region : A->region, iv, &r, err);
            if (st) return st;
        }
        s->heat_mode = tw >= T0 ? FA_HEAT_BATH : FA_HEAT_COLD;
        for (int e = 0; e < m->nelem; e++) s->heat[e] = (r < 0 || fa_life_region_has(m, r, e)) ? tw : T0;
    }
    /* immobilised regions */
    if (L->it.day == iv->day) {
        for (int b = 0; b < L->it.info.nimmob; b++) {
            const fa_block *bl = &L->sc->block[L->it.info.immob_block[b]];
            int r = fa_model_find(m, "region", bl->region);
            if (r < 0)
                return fa_error_set(err, FA_ERR_UNKNOWN, L->sc->file, bl->line, 0,
                                    "expected a region of the body to immobilise, found '%s'", bl->region);
            for (int i = 0; i < m->region_num[r]; i++) {
                int e = m->region_elem[m->region_adr[r] + i];
                s->cycles[e] = 0.0;
                s->t_slide[e] = 0.0;
            }
        }
    }
    /* a re-education session shifts the habit (catalogue `reeducation` per
     * whole session; a piece counts in proportion to its duration) */
    if (isfinite(A->reeducation) && A->reeducation > 0.0) {
        double frac = iv->bout_dur > 0.0 ? dur / iv->bout_dur : 1.0;
        L->upright += A->reeducation * inten * frac * (1.0 - L->upright);
        if (L->upright > 1.0) L->upright = 1.0;
    }
    fa_stimulus_apply_share(m, L->d, s);
    /* the band's impingement pressure follows its tension, which the
     * compensation module's load share scales (a strong gluteus medius/TFL
     * or a guarded painful band carries part of the ITB's load) */
    if (gait && L->itb_n > 0) {
        const double *share = fa_physio_state_const(m, L->d, "compensation.share");
        for (int i = 0; share && i < L->itb_n; i++) {
            int e = L->itb_elem[i];
            if (e < m->ncord && s->t_press[e] > 0.0) s->pressure[e] *= share[e] > 0.0 ? share[e] : 0.0;
        }
    }
    return FA_OK;
}

/* ------------------------------------------------------- the habitual day
 *
 * The set point every module measures its drives against (physiology
 * module `habitual`) is the reference person's ordinary day as this body's
 * mechanics sees it, built with the same stimulus builder as the life:
 * hab.sleep_h of sleep, stim.cycles_day strides per leg of walking at the
 * habitual speed and the catalogue's walking cadence in hab.walk_bouts
 * equal walks spread over the waking day, hab.sit_h of upright sitting
 * (half after the first walk, half after the third), standing for the rest.
 * The pieces go to fa_physio_set_habitual_day in order, so that day repeated
 * is a fixed point of every module (remodel's stimulus is what those walks
 * deliver once the cells desensitise, not what 4000 strides spread evenly
 * over 24 h would); a life that differs from it (slumped desk hours,
 * running instead of walking, care) moves the regions it loads
 * differently. Replaces the stim.* reference that was the same for every
 * element: 1.5 % peak strain everywhere, 6 h of sliding a day, cycles
 * counted as if uniform, under which an ordinary desk-runner month lost a
 * quarter of every region's stiffness and two thirds of its glide. */
fa_status fa_life_set_habitual(fa_life *L, fa_error *err)
{
    const fa_model *m = L->m;
    enum { NMAX = 16 };
    int act[NMAX], n = 0;
    double dur[NMAX];
    const double H = 3600.0;
    const double strides = fa_physio_param(L->d, "stim.cycles_day");
    const fa_activity_info *W = fa_activity_get(FA_ACT_WALK);
    const double cad = W && isfinite(W->cadence) && W->cadence > 0.0 ? W->cadence : 115.2;
    int nb = (int)LP(HAB_WALK_BOUTS);
    if (nb < 1) nb = 1;
    if (nb > 4) nb = 4;
    const double walk = isfinite(strides) && strides > 0.0 ? strides / (cad / 2.0) * 60.0 : 0.0;
    const double sleep = LP(HAB_SLEEP_H) * H, sit = LP(HAB_SIT_H) * H;
    const double stand = 86400.0 - sleep - sit - walk;
    if (!(stand >= 0.0))
        return fa_error_set(err, FA_ERR_RANGE, "data/life/parameters.csv", 0, 0,
                            "expected the habitual day's sleep (%g h), sitting (%g h) and walking (%g h) to fit in 24 h",
                            sleep / H, sit / H, walk / H);
    act[n] = FA_ACT_SLEEP, dur[n++] = sleep;
    for (int b = 0; b < nb; b++) {
        act[n] = FA_ACT_WALK, dur[n++] = walk / nb;
        if (b == 0 || b == 2 || (nb < 3 && b == nb - 1)) act[n] = FA_ACT_SIT_UPRIGHT, dur[n++] = sit / (nb < 3 ? nb : 2);
        else act[n] = FA_ACT_STAND, dur[n++] = stand / (nb - (nb < 3 ? nb : 2));
    }
    if (nb < 3) act[n] = FA_ACT_STAND, dur[n++] = stand;
    fa_stimulus *piece[NMAX] = {NULL};
    fa_status st = FA_OK;
    double t0 = 0.0;
    for (int i = 0; i < n && !st; i++) {
        piece[i] = fa_stimulus_alloc(m);
        if (!piece[i]) {
            st = fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "habitual day of %d elements", m->nelem);
            break;
        }
        fa_interval iv;
        memset(&iv, 0, sizeof iv);
        iv.t0 = t0;
        iv.dur = dur[i];
        iv.day = -1; /* no immobilisation, no scenario day */
        iv.act = act[i];
        iv.bout_t0 = t0;
        iv.bout_dur = dur[i];
        iv.intensity = 1.0;
        iv.temp = NAN;
        iv.hr = NAN;
        if (act[i] == FA_ACT_WALK) {
            iv.speed = WALK_HAB_SPEED;
            iv.cadence = cad;
            iv.strides = cad / 2.0 * dur[i] / 60.0;
            iv.distance = iv.speed * dur[i];
        }
        t0 += dur[i];
        st = fa_life_build_stimulus(L, &iv, piece[i], err);
    }
    if (!st) st = fa_physio_set_habitual_day(m, L->d, (const fa_stimulus *const *)piece, dur, n, err);
    for (int i = 0; i < n; i++) fa_stimulus_free(piece[i]);
    return st;
}
