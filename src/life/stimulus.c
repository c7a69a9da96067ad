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
#include <string.h>

#include "life/internal.h"

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
#define STRENGTH_REPS LP(STRENGTH_REPS)
#define MANUAL_PRESSURE LP(MANUAL_PRESSURE)

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
    if (!slide && slide_frac > 0.0) {
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
    if (c) {
        const double h = up ? L->upright : 0.0;
        for (int e = 0; e < m->nelem; e++) {
            if (up) {
                s->strain_mean[e] = k * ((1.0 - h) * c->strain_mean[e] + h * up->strain_mean[e]);
                s->strain_peak[e] = k * ((1.0 - h) * c->strain_peak[e] + h * up->strain_peak[e]);
                s->strain_rate[e] = 0.0;
                s->stress_mean[e] = k * ((1.0 - h) * c->stress_mean[e] + h * up->stress_mean[e]);
                s->stress_peak[e] = k * ((1.0 - h) * c->stress_peak[e] + h * up->stress_peak[e]);
                s->t_load[e] = dur;
                continue;
            }
            s->strain_mean[e] = k * c->strain_mean[e];
            s->strain_peak[e] = k * c->strain_peak[e];
            s->strain_rate[e] = k * c->strain_rate[e];
            s->stress_mean[e] = k * c->stress_mean[e];
            s->stress_peak[e] = k * c->stress_peak[e];
            s->t_load[e] = dur;
        }
    }
    if (gait) {
        double strides = iv->strides > 0.0 ? iv->strides : 0.0;
        double v = iv->speed > 0.0 ? iv->speed : (A->flags & FA_ACTF_RUNNING ? DEFAULT_RUN_SPEED : WALK_HAB_SPEED);
        double eff = fa_physio_param(L->d, "stim.effort");
        if (!isfinite(eff)) eff = 0.0;
        eff *= v / WALK_HAB_SPEED;
        if (eff > 1.0) eff = 1.0;
        for (int e = 0; e < m->nelem; e++) s->cycles[e] = strides;
        for (int e = e0m; e < m->nelem; e++) s->effort[e] = eff;
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
    if (slide && slide_frac > 0.0) {
        for (int e = e0i; e < e0m; e++) {
            s->slide_amp[e] = slide->slide_amp[e];
            s->slide_vel[e] = slide->slide_vel[e];
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
                s->t_press[e] = dur;
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
    return FA_OK;
}
