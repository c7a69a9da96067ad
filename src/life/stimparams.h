/* SPDX-License-Identifier: MIT */
/* The stimulus builder's parameters (holds, ITB impingement) and the
 * runner's return-to-run criterion of `until: healed` rules: rows of
 * data/life/parameters.csv after the runner's own (FA_LIFE_PARAMS in
 * internal.h), same X(ENUM, "id", value) form; params.c compiles both
 * tables into one and tests/life/test_params.c checks them against the
 * file. */
#ifndef FA_LIFE_STIMPARAMS_H
#define FA_LIFE_STIMPARAMS_H

#include "life/internal.h"

#define FA_LIFE_STIM_PARAMS(X)                                                                               \
    X(FA_LP_HOLD_G1, "hold.g1", 0.1656)                                                                      \
    X(FA_LP_HOLD_TAU1, "hold.tau1", 3.83)                                                                    \
    X(FA_LP_HOLD_G2, "hold.g2", 0.1656)                                                                      \
    X(FA_LP_HOLD_TAU2, "hold.tau2", 30.15)                                                                   \
    X(FA_LP_HOLD_G3, "hold.g3", 0.1)                                                                         \
    X(FA_LP_HOLD_TAU3, "hold.tau3", 1200.0)                                                                  \
    X(FA_LP_ITB_ZONE_LO, "itb.zone_lo", 20.0)                                                                \
    X(FA_LP_ITB_ZONE_HI, "itb.zone_hi", 30.0)                                                                \
    X(FA_LP_ITB_EPI_RADIUS, "itb.epicondyle_radius", 0.025)                                                  \
    X(FA_LP_ITB_WIDTH, "itb.width", 0.03)                                                                    \
    X(FA_LP_ITB_ADD_PER_CAP, "itb.add_per_cap", 10.0)                                                        \
    X(FA_LP_ITB_ABD_ARM, "itb.abd_moment_arm", 0.05)                                                         \
    X(FA_LP_ITB_LENGTH, "itb.length", 0.50)                                                                  \
    X(FA_LP_GAIT_EFFORT_MAX, "gait.effort_max", 0.5)                                                        \
    X(FA_LP_MANUAL_SLIDE_AMP, "manual.slide_amp", 0.005)                                                     \
    X(FA_LP_MANUAL_SLIDE_VEL, "manual.slide_vel", 0.02)                                                     \
    X(FA_LP_RETURN_PAIN, "return.pain_max", 2.0)                                                             \
    X(FA_LP_RETURN_DAYS, "return.pain_days", 7.0)                                                            \
    X(FA_LP_RETURN_DAMAGE, "return.damage_frac", 0.5)                                                        \
    X(FA_LP_HAB_SLEEP_H, "hab.sleep_h", 8.0)                                                                 \
    X(FA_LP_HAB_SIT_H, "hab.sit_h", 7.7)                                                                     \
    X(FA_LP_HAB_WALK_BOUTS, "hab.walk_bouts", 4.0)

enum {
    FA_LP_STIM_FIRST_ = FA_LP_COUNT - 1,
#define FA_LP_STIM_ENUM_(e, id, value) e,
    FA_LIFE_STIM_PARAMS(FA_LP_STIM_ENUM_)
#undef FA_LP_STIM_ENUM_
        FA_LP_ALL_COUNT
};

/* stimulus.c: static holds (time under load counted by the hold's viscous
 * flow; mean relaxation) and ITB impingement (knee angle, time in the
 * 20-30 deg zone per stride). */
FA_HIDDEN double fa_life_abductor_cap(const fa_life *L);
/* The habitual set point from the reference person's ordinary day (sleep,
 * walks, upright sitting, standing: rows hab.* and stim.cycles_day) on this
 * body, through fa_physio_set_habitual_day (fa_life_create). */
FA_HIDDEN fa_status fa_life_set_habitual(fa_life *L, fa_error *err);
FA_HIDDEN double fa_life_hold_flow(const fa_interval *iv, double hold);
FA_HIDDEN double fa_life_hold_relax(double flow, double dur);
FA_HIDDEN double fa_life_knee_angle(const fa_model *m, const fa_data *d);
FA_HIDDEN fa_status fa_life_zone_time(fa_life *L, const char *motion, double speed, double *t_zone,
                                      fa_error *err);
/* Right (or only) and left knee angles, deg (NAN for a knee the body lacks). */
FA_HIDDEN void fa_life_knee_angles(const fa_model *m, const fa_data *d, double ang[2]);
/* The band's tension and strain over the impingement zone of a replayed
 * stride (mech.c): from the knee angles ang[2f], ang[2f+1] (right, left) of
 * each of the nf replayed frames and the tension T and strain eps of every
 * ITB element per frame (row f: the L->itb_elem order), the time-weighted
 * means over the time its own knee (the femur nearer the cord) spends in
 * the zone in its loading response (linear between frames) into
 * c->force_zone/c->strain_zone of the band's cords (0 and the stride's mean
 * strain when that knee never passes the zone). frac: 3 nf scratch. */
FA_HIDDEN double fa_life_band_zone_tension(const fa_life *L, const fa_life_mech *c, int e, double d_eps);
FA_HIDDEN void fa_life_zone_record(const fa_life *L, fa_life_mech *c, const double *ang, const double *T,
                                   const double *eps, double *frac, int nf);

#endif
