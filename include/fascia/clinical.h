/* SPDX-License-Identifier: MIT */
/* fascia — passive-resistance clinical tests and gait energy on the runner body.
 *
 * A clinical flexibility test drives one or more skeleton coordinates with a
 * single angle theta (deg) from a start posture, q_i = base_i + w_i theta,
 * and stops where the passive resistance of the fascial network reaches the
 * test's end-point torque. The resistance is the generalised force
 *   R(theta) = d(Psi*)/dtheta   (N m per rad of theta),
 * Psi* the elastic energy of the network in relaxed static equilibrium at
 * theta (free nodes re-solved; cords, membranes, interfaces and the passive
 * curves of the Hill muscles, activation 0). By the envelope theorem it
 * equals the virtual work of the internal forces on the anchored nodes,
 *   R = -sum_a f_int(a) . dx_a/dtheta,
 * which needs one static solve per theta (dx_a/dtheta by forward kinematics);
 * fa_clinical_torque returns both that and, on request, the central
 * difference of Psi* (two more solves) as a check. The end range is found by
 * bracketing and regula falsi (Illinois) on theta. Each test's end-point torque is
 * calibrated once (data/clinical/calibration.csv) so that the healthy
 * default runner body lands inside the published adult norms
 * (data/clinical/norms.csv); the same values are compiled in and a test
 * checks the two agree.
 *
 * Cervical flexion. The Rajagopal 2016 torso is one rigid body with the
 * head. The clinical context therefore works on a copy of the model in
 * which the torso-anchored nodes of the neck and head are moved to seven
 * added bodies, one per cervical motion segment (C7-T1 ... C0-C1), stacked
 * along the line from the C7 vertebral body to the basiocciput; a node goes
 * to the level of its height on that line. Flexion theta rotates each
 * segment by theta/7 about its own pivot (uniform distribution over the
 * segments: grade C, docs/clinical.md). Elements and tissue state are
 * unchanged, so the caller's fa_data tissue state applies as is.
 *
 * Gait energy. fa_gait_stride replays one stride of a recorded OpenSim
 * motion through the network (quasi-static: one relaxed static solve per
 * frame, warm-started from the previous frame) and integrates per element
 * the peak strain, peak strain rate, and the elastic energy stored (sum of
 * the increases of the element's energy between frames) and returned (sum
 * of the decreases) over the stride. Docs: docs/clinical.md. */
#ifndef FASCIA_CLINICAL_H
#define FASCIA_CLINICAL_H

#include <stdio.h>

#include "anatomy.h"
#include "data.h"
#include "model.h"
#include "osim.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The clinical tests (right side where a side applies). */
typedef enum fa_clin_test {
    FA_CLIN_SIT_REACH = 0, /* sit-and-reach: cm of fingertip reach beyond the soles (feet = 0); hips at
                              the SLR end range of the state, drive = lumbar flexion */
    FA_CLIN_SLR,           /* passive straight leg raise: deg of hip flexion, knee extended */
    FA_CLIN_OBER,          /* Ober: deg of hip adduction, side-lying, hip in neutral, knee 90 deg */
    FA_CLIN_THOMAS,        /* modified Thomas: deg of hip extension of the tested hip (+ below the
                              table), other hip flexed 120 deg */
    FA_CLIN_KTW,           /* knee-to-wall: cm from the big toe to the wall at the end range
                              (weight-bearing lunge, heel down) */
    FA_CLIN_CERVICAL,      /* cervical flexion: deg (seven cervical segments, see above) */
    FA_CLIN_NTEST
} fa_clin_test;

/* Static description of a test (compiled table; values and sources also in
 * data/clinical/norms.csv and data/clinical/calibration.csv). */
typedef struct fa_clin_info {
    const char *id;        /* "sit_reach", "slr", "ober", "thomas", "knee_to_wall", "cervical_flexion" */
    const char *title;     /* human-readable name */
    const char *unit;      /* "cm" or "deg" */
    double norm_lo;        /* lower bound of the adult norm (unit) */
    double norm_hi;        /* upper bound of the adult norm (unit) */
    double norm_mid;       /* value the calibration aims at (unit) */
    char grade;            /* evidence grade of the norm 'A'|'B'|'C' */
    const char *source;    /* citation of the norm */
    double torque;         /* N m/rad, calibrated end-point resistance R at the end range */
    double theta_cal;      /* deg, drive angle of the calibration (where the search starts) */
    double theta_max;      /* deg, largest drive angle searched */
    double theta_min;      /* deg, smallest drive angle searched (< 0 where the test's value can go
                              below its start posture: Thomas thigh above the horizontal, Ober thigh
                              held in abduction; 0 otherwise) */
} fa_clin_info;

/* Table entry of test t (NULL when out of range). */
const fa_clin_info *fa_clinical_info(int t);
/* Test index by id, -1 when unknown. */
int fa_clinical_find(const char *id);

/* Settings (fa_clinical_default_def). */
typedef struct fa_clinical_def {
    double tol_deg;          /* deg, end-range tolerance on theta (default 0.05) */
    double step_deg;         /* deg, bracketing step of the end-range search (default 10) */
    double torque_scale;     /* -, multiplies every calibrated end-point torque (default 1) */
    double fd_deg;           /* deg, step of the partial derivative dPsi/dtheta (default 1e-3) */
    int maxiter;             /* Newton iterations per static solve (default 200) */
    double slr_ankle_deg;    /* deg, ankle pre-position of the straight leg raise (+ dorsiflexion;
                                default 0 = neutral; Boyd BS, Villa PS 2012 BMC Musculoskelet Disord
                                13:245 compare dorsiflexed and plantarflexed SLR) */
} fa_clinical_def;
fa_clinical_def fa_clinical_default_def(void);

/* The clinical context: the cervical copy of the model, a scratch state,
 * the skeleton poses. Create once per model; reuse for many tissue states. */
typedef struct fa_clinical fa_clinical;

/* Create a context for model m (a body on the Rajagopal 2016 skeleton:
 * bodies named as the .osim's), skeleton osim and anatomy tables an (both
 * must outlive the context). def may be NULL (defaults). Errors: a body
 * without the landmarks sp_c7, cerv_bodies_ant, occ_basilar or without a
 * torso (FA_ERR_MISSING). */
fa_status fa_clinical_create(const fa_model *m, const fa_osim *osim, const fa_anatomy *an,
                             const fa_clinical_def *def, fa_clinical **out, fa_error *err);
void fa_clinical_free(fa_clinical *c);

/* The model the context solves (the cervical copy of m: same elements,
 * nodes and tissue-state layout, 7 more bodies). */
const fa_model *fa_clinical_model(const fa_clinical *c);

/* Tissue state used by later calls: copied from `state` (an fa_data of the
 * original model m: tis_*, intf_visc, intf_adh, intf_slide), or, when state
 * is NULL, the healthy person: every physiology module at its steady state
 * under the habitual day (fa_physio_init with the built-in parameters), the
 * state `fascia run` starts from. */
void fa_clinical_set_state(fa_clinical *c, const fa_data *state);

/* Scratch state of the context (read access: the last equilibrium). */
const fa_data *fa_clinical_data(const fa_clinical *c);

/* Passive resistance of test t at drive angle theta (deg): one relaxed
 * static solve, started from the reference pose carried by the bones (so R
 * is a function of theta alone). *R (N m/rad) by virtual work on the
 * anchored nodes; *psi (J) the equilibrium energy; when R_fd is not NULL
 * also the central difference (Psi*(theta+h) - Psi*(theta-h))/2h,
 * h = fd_h_deg (two more solves). Any output pointer may be NULL. */
fa_status fa_clinical_torque(fa_clinical *c, int t, double theta_deg, double *R, double *psi, double fd_h_deg,
                             double *R_fd, fa_error *err);

/* End range of test t: the theta in [theta_min, theta_max] at which R(theta)
 * reaches the calibrated torque (times def.torque_scale), to def.tol_deg. Writes theta (deg) and the clinical value in the test's unit
 * (cm or deg). The search brackets the crossing nearest theta_cal (stepping
 * def.step_deg up or down from it), then refines it by regula falsi.
 * When the resistance never reaches the torque in
 * [theta_min, theta_max] (it peaks: straight tracks whose moment arm shrinks), theta
 * is the angle of the resistance peak and FA_ERR_RANGE is returned (the
 * results are still written); when it exceeds the torque already at
 * theta_min, theta is theta_min and FA_ERR_RANGE is returned. In both cases
 * the end range is out of the test's range: fa_clinical_all reports it as a
 * bound (fa_clinical_result.beyond), never as a measured value. */
fa_status fa_clinical_end_range(fa_clinical *c, int t, double *theta_deg, double *value, fa_error *err);

/* Clinical value (unit of the test) of test t at drive angle theta (deg),
 * from the skeleton's geometry. */
double fa_clinical_value(fa_clinical *c, int t, double theta_deg);

/* The calibration (run once on the healthy default body; results go to
 * data/clinical/calibration.csv and the compiled table): for each test the
 * drive angle theta_mid (deg) at which the clinical value equals the norm's
 * norm_mid (geometry only, bisection) and the resistance R there (N m/rad),
 * which becomes the test's end-point torque; the sit-and-reach puts the
 * hips at the SLR's calibrated angle. Uses the context's current
 * tissue state. */
fa_status fa_clinical_calibrate(fa_clinical *c, double theta_mid[FA_CLIN_NTEST], double torque[FA_CLIN_NTEST],
                                fa_error *err);

/* Results of all tests. */
typedef struct fa_clinical_result {
    double value[FA_CLIN_NTEST];   /* unit of the test (cm / deg) */
    double theta[FA_CLIN_NTEST];   /* deg, drive angle at the end range */
    double torque[FA_CLIN_NTEST];  /* N m/rad, resistance at the end range */
    int inside[FA_CLIN_NTEST];     /* 1 inside [norm_lo, norm_hi], 0 outside */
    int reached[FA_CLIN_NTEST];    /* 1 when the end-point torque was reached inside [theta_min, theta_max] */
    int solves;                    /* static solves used */
    int noconv;                    /* static solves that did not converge (kept, counted) */
    int beyond[FA_CLIN_NTEST];     /* 0: reached (value measured); +1: the end-point torque is not
                                      reached up to theta_max (the resistance peaks below it or is
                                      still below at the bound): the end range is beyond the test's
                                      range, value = the value at the bound, a lower bound ("> value");
                                      -1: already exceeded at theta_min: value = the value there, an
                                      upper bound ("< value"). The sit-and-reach is +1 as well when the
                                      SLR is (its hips sit at the SLR's resistance peak, a lower bound
                                      of the hamstring limit). theta and torque are then at the bound */
} fa_clinical_result;

/* Text of a result's value: "82.0", or "> 130.0" / "< -30.0" when the end
 * range is beyond the test's range (res->beyond). Returns buf. */
const char *fa_clinical_value_str(const fa_clinical_result *res, int t, char *buf, size_t n);

/* Run every test on the context's current tissue state. */
fa_status fa_clinical_all(fa_clinical *c, fa_clinical_result *res, fa_error *err);

/* One-call form: context for (m, osim, an), tissue state from d (NULL =
 * healthy), every test. */
fa_status fa_clinical_run(const fa_model *m, const fa_data *d, const fa_osim *osim, const fa_anatomy *an,
                          const fa_clinical_def *def, fa_clinical_result *res, fa_error *err);

/* Print the results as a table (test, value, norm, inside/outside, grade). */
void fa_clinical_print(const fa_clinical_result *res, FILE *f);

/* ------------------------------------------------------- remote effect */

/* Settings of the leg stretch (fa_stretch_default_def). Two mechanisms change the clinical end
 * range after a stretch, and they are reported apart (docs/clinical.md, data/clinical/stretch.csv):
 *  - mechanical (the tissue): viscoelastic stress relaxation of every collagen element strained
 *    beyond its standing strain, a two-term relaxation spectrum (g_fast, tau_fast; g_slow,
 *    tau_slow) that relaxes while held and recovers with the same times otherwise (quasi-linear
 *    viscoelasticity); the residual relaxation at the measurement, r, shifts the element's rest
 *    length by r d_eps. Fitted to hamstring stress relaxation in vivo: 23 % after 30 s (Peixoto
 *    2015: 25 %), 30 % after 90 s (Magnusson 1996), slow part gone in ~15 min (Ryan 2008);
 *  - nervous (stretch tolerance, Weppler & Magnusson 2010): the end-point torque a person accepts
 *    rises by tol_local in the stretched regions and by tol_remote elsewhere (non-local effect,
 *    Behm 2021), decaying with tau_tol. It changes the measurement, never the tissue state. */
typedef struct fa_stretch_def {
    int sets;           /* holds per stretch (default 3) */
    double hold;        /* s, hold duration (default 30) */
    double rest;        /* s, rest between holds (default 30) */
    double hold_slr_deg, hold_ktw_deg; /* deg, > 0: hold the hamstrings / calves at these drive
                           angles and measure nothing (res keeps only the rest-length gains);
                           default 0: hold at the measured end ranges and measure before/after */
    int neck;           /* 1: hold the neck at its cervical flexion end range instead of the legs
                           (the local stretch Wilke et al. 2017 compared with the leg stretch;
                           default 0) */
    double g_fast, tau_fast; /* -, s: fast relaxation term (default 0.20, 8 s; grade B fit) */
    double g_slow, tau_slow; /* -, s: slow relaxation term (default 0.39, 300 s; grade B fit) */
    double t_after;     /* s, from the end of the last hold to the measurement (default 30) */
    double tol_local;   /* -, end-point torque rise in the stretched region (default 0.09: Hatano
                           2022 J Sports Sci Med 21:171, hamstrings, grade A) */
    double tol_remote;  /* -, end-point torque rise in the other tests (default 0.09: non-local
                           ROM effect as large as the local one, Behm 2021 / Konrad 2023 effect
                           sizes; grade C) */
    double tau_tol;     /* s, decay time of the tolerance rise (default 600: ROM gains last
                           < 30 min, Behm 2016 Appl Physiol Nutr Metab 41:1; grade A) */
    int measure;        /* bit (1 << FA_CLIN_x) per test measured before and after: SLR, KTW,
                           CERVICAL (default all three); the end range a hold needs is always
                           measured before */
    double n_end;       /* -, exponent of the human passive torque-angle curve near the end range,
                           T ~ theta^n (default 2.7, from Hatano 2022: ROM +6 % with maximal torque
                           +9 % and stiffness -7 %; grade C): turns the two parts into degrees */
} fa_stretch_def;
fa_stretch_def fa_stretch_default_def(void);

/* Residual relaxation r (fraction of the held strain increase turned into rest length) at the
 * measurement, for def's sets, holds, rests, spectrum and t_after. */
double fa_stretch_relaxation(const fa_stretch_def *def);
/* Rise of the end-point torque (tolerance) at the measurement: local = 1 for a stretched region. */
double fa_stretch_tolerance(const fa_stretch_def *def, int local);

/* What the stretch did. For each test: before, after = mechanical part (tissue change only,
 * end-point torque unchanged) + tolerance part (the end-point torque risen by tol). */
typedef struct fa_stretch_result {
    double slr_before, slr_after;           /* deg, right SLR (local effect of the leg stretch) */
    double ktw_before, ktw_after;           /* cm, right knee-to-wall (local effect) */
    double cerv_before, cerv_after;         /* deg, cervical flexion (remote effect of the legs) */
    double rest_gain_max;                   /* -, largest tis_rest increase applied */
    int nelem_changed;                      /* elements whose rest length changed */
    double hold_slr_deg, hold_ktw_deg;      /* deg, drive angles of the hamstring / calf holds */
    double slr_mech, ktw_mech, cerv_mech;   /* after, tissue change only (network part) */
    double tol_slr, tol_ktw, tol_cerv;      /* -, end-point torque rise applied to each test */
    double relax;                           /* -, residual relaxation r at the measurement */
    double rho_slr, rho_ktw, rho_cerv;      /* -, relative change of the resistance at the
                                               pre-stretch end angle (network part) */
} fa_stretch_result;

/* The stretch: measure SLR, knee-to-wall and cervical flexion (def.measure); hold both legs in the
 * hamstring stretch (SLR at its end range) and the calf stretch (knee extended, ankle dorsiflexed
 * to the knee-to-wall end angle), or the neck at its flexion end range (def.neck), each def.sets x
 * def.hold s with def.rest s between; every collagen element whose relaxed strain in a hold exceeds
 * its standing strain keeps the residual stress relaxation r (fa_stretch_relaxation) as rest
 * length (tis_rest *= 1 + r d_eps); then evaluate the resistance again at the pre-stretch end
 * angles: the mechanical part (the end-point torque unchanged) and the total (the end-point torque
 * risen by the tolerance), through the end-range exponent n_end. The context's tissue state
 * keeps the relaxed rest lengths afterwards; the tolerance is not kept. */
fa_status fa_clinical_stretch(fa_clinical *c, const fa_stretch_def *def, fa_stretch_result *res, fa_error *err);

/* ---------------------------------------------------------- gait energy */

/* Settings of a stride replay (fa_gait_default_def). */
typedef struct fa_gait_def {
    int frames;         /* frames replayed per stride; 0 = every recorded frame (default 0) */
    const char *cycle_coord; /* coordinate whose upward crossings of its mean delimit the stride
                                (default "hip_flexion_r") */
    int maxiter;        /* Newton iterations per frame (default 100) */
} fa_gait_def;
fa_gait_def fa_gait_default_def(void);

/* Per-element stride figures. Arrays [nelem] owned by the result
 * (fa_gait_result_free). */
typedef struct fa_gait_result {
    int nelem;
    int nframe;          /* frames replayed */
    double period;       /* s, stride period (one cycle of cycle_coord) */
    double *strain_peak; /* -, largest strain over the stride */
    double *strain_min;  /* -, smallest strain over the stride */
    double *rate_peak;   /* 1/s, largest |d strain/dt| between replayed frames */
    double *stored;      /* J, sum of the increases of the element's elastic energy */
    double *returned;    /* J, sum of the decreases */
    double seconds;      /* s of CPU wall time the replay took */
    int newton;          /* Newton iterations over all frames */
    int noconv;          /* frames whose static solve did not converge */
    int restarts;        /* frames re-solved from the reference after a warm start failed */
    unsigned long long state_hash; /* FNV-1a of the tissue state replayed (cache key) */
    char motion[256];    /* file of the motion replayed (cache key) */
    int frames_req;      /* def.frames of the replay (cache key) */
    int cached;          /* 1 when the last fa_gait_stride call was served from the cache */
} fa_gait_result;
void fa_gait_result_free(fa_gait_result *r);

/* Replay one stride of `motion` (bound to osim) through (m, d): d's tissue
 * state is used (and its node positions, poses and measurements are
 * overwritten); `ref` is the reference (standing) pose of the body
 * (fa_anatomy_posture "standing"). Body poses are taken relative to the
 * pelvis (a rigid motion of the whole body strains nothing). The result is
 * cached in `res`: when res already holds a replay of the same motion file,
 * frame count and tissue state (state_hash), the call returns at once. */
fa_status fa_gait_stride(const fa_model *m, fa_data *d, const fa_osim *osim, const fa_osim_pose *ref,
                         const fa_osim_motion *motion, const fa_gait_def *def, fa_gait_result *res,
                         fa_error *err);

/* Sum of stored and of returned energy (J) and the peak strain over the
 * collagen elements (cords and membranes) of region `region` (by name) or,
 * when the model has no such region, over cords whose name contains
 * `region`. FA_ERR_UNKNOWN when neither matches. */
fa_status fa_gait_region(const fa_model *m, const fa_gait_result *r, const char *region, double *stored,
                         double *returned, double *peak, fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
