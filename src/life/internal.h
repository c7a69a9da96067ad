/* SPDX-License-Identifier: MIT */
/* Internals of the multi-rate runner (src/life). */
#ifndef FA_LIFE_INTERNAL_H
#define FA_LIFE_INTERNAL_H

#include "core/internal.h"
#include "fascia/life.h"
#include "fascia/mech.h"
#include "fascia/sim.h"

#define FA_LIFE_MAXMECH 32   /* cached solves (postures + gait speed bins) */
#define FA_LIFE_MAXEVENT 4096

/* Per-element arrays of a cached solve: X(name, doc). */
#define FA_LIFE_MECH_ARRAYS(X)                                                     \
    X(ref_k, "-, stiffness factor of the tissue state the solve was made in")      \
    X(ref_rest, "-, rest-length scale the solve was made in")                      \
    X(strain_mean, "-, mean strain over the stride (posture: the strain)")          \
    X(strain_peak, "-, peak strain")                                               \
    X(strain_rate, "1/s, peak |strain rate| (0 for postures)")                     \
    X(stress_mean, "Pa, mean fibre stress")                                        \
    X(stress_peak, "Pa, peak fibre stress")                                        \
    X(force_peak, "N, peak tension")                                               \
    X(energy, "J, stored and returned per stride (max - min); posture: stored")    \
    X(slide_amp, "m, interface sliding amplitude (max - min tangential offset)")   \
    X(slide_vel, "m/s, peak interface sliding velocity")                          \
    X(force_zone, "N, ITB cords: mean tension over the knee's 20-30 deg impingement zone of the loading response") \
    X(strain_zone, "-, ITB cords: mean strain over that zone (stimulus.c fa_life_zone_record)") \
    X(strain_held, "-, mean held strain: a cord of a slack chain reads the chain's strain (mech.c " \
                   "fa_life_chain_init), every other element its own; the stimuli's strain_mean")

#define FA_LIFE_MECH_COUNT_(name, doc) +1
enum { FA_LIFE_NMECHARR = 0 FA_LIFE_MECH_ARRAYS(FA_LIFE_MECH_COUNT_) };
#undef FA_LIFE_MECH_COUNT_

typedef struct fa_life_mech {
    int kind;          /* 0 posture, 1 gait */
    char name[32];     /* posture or motion name */
    double speed;      /* m/s (gait; binned), 0 for postures */
    int valid;         /* 1 when solved */
    int day;           /* day of the last solve */
    int nframe;        /* frames replayed (gait) */
    double dt_frame;   /* s */
    int converged;     /* 1 when every solve converged */
    int nxw;           /* solutions stored in xw (0 none; 1 posture; frames replayed, gait) */
    double *xw;        /* nxw x nnode x 3, m: node positions of the last solve (posture) or of every
                          frame of the last replay (gait): the next solve's initial guesses */
#define FA_LIFE_MECH_FIELD_(name, doc) double *name;
    FA_LIFE_MECH_ARRAYS(FA_LIFE_MECH_FIELD_)
#undef FA_LIFE_MECH_FIELD_
    int used;          /* day this solution was last made current (eviction of alternates) */
    int nalt;          /* earlier solutions kept (at most def.mech_slots - 1) */
    struct fa_life_mech *alt; /* their solutions (day .. xw and arrays; kind/name/speed unused): a
                                 stale entry re-solves from the equilibria of the one nearest the
                                 current tissue state, or with def.recall_tol recalls one within
                                 that drift (mech.c) */
} fa_life_mech;

#define FA_LIFE_MAXSLOT 64 /* largest def.mech_slots */

struct fa_life {
    const fa_model *m;
    const fa_scenario *sc;
    fa_life_def def;
    int ndays;
    fa_physio_params *own_params;  /* built-in table when def.params was NULL */
    fa_data *d;        /* the person's state */
    fa_data *md;       /* mechanics scratch (tissue state copied in before each solve) */
    fa_stimulus *stim;
    fa_iter it;
    int day;           /* days completed */
    double water;      /* -, water intake of the current day relative to adequate */
    double upright;    /* -, share of slumped sitting done upright, learned by movement re-education [0,1] */
    /* scenario-derived helpers */
    int itb_n;         /* ITB elements */
    int *itb_elem;
    double itb_speed;  /* m/s, speed of the ITB energy figure */
    double itb_start;  /* J/stride at the start */
    /* caches */
    int nmech;
    fa_life_mech mech[FA_LIFE_MAXMECH];
    /* records: (ndays + 1) x nregion x FA_LIFE_NMETRIC, row 0 = start */
    double *rec;
    /* events */
    int nevent;
    fa_life_event *event;
    unsigned char *pain_on;   /* nregion: 1 while the region is in pain (onset recorded) */
    double *inj_seen;         /* nelem: injury counts already reported */
    fa_life_stats stats;
    int *skin_body;           /* nnode: body a free node follows for the solves' initial guess (-1 none) */
    /* cord chains (mech.c fa_life_chain_init; in skin_body's allocation, after its nnode entries):
     * chain of each cord (-1: none), nchain chains, chain_adr/chain_num into chain_cord */
    int *chain_of, nchain, *chain_adr, *chain_num, *chain_cord;
};

/* Parameters (data/life/parameters.csv): X(ENUM, "id", value). */
#define FA_LIFE_PARAMS(X)                                \
    X(FA_LP_MET_SLEEP, "met.sleep", 0.95)                \
    X(FA_LP_MET_LYING, "met.lying", 1.3)                 \
    X(FA_LP_MET_SIT, "met.sit", 1.45)                    \
    X(FA_LP_MET_STAND, "met.stand", 1.59)                \
    X(FA_LP_MET_STRETCH, "met.stretch", 2.3)             \
    X(FA_LP_MET_YOGA, "met.yoga", 2.5)                   \
    X(FA_LP_MET_STRENGTH, "met.strength", 3.5)           \
    X(FA_LP_MET_MODERATE, "met.moderate", 3.0)           \
    X(FA_LP_ACSM_RUN_H, "acsm.run_h", 0.2)               \
    X(FA_LP_ACSM_WALK_H, "acsm.walk_h", 0.1)             \
    X(FA_LP_VO2_REST, "acsm.vo2_rest", 3.5)              \
    X(FA_LP_RUN_REF_SPEED, "activity.run_ref_speed", 4.0) \
    X(FA_LP_WALK_HAB_SPEED, "gait.walk_hab_speed", 1.4)  \
    X(FA_LP_DEFAULT_RUN_SPEED, "gait.default_run_speed", 3.0) \
    X(FA_LP_STRENGTH_EFFORT, "strength.effort", 0.65)    \
    X(FA_LP_STRENGTH_REPS, "strength.reps", 30.0)        \
    X(FA_LP_MANUAL_PRESSURE, "manual.pressure", 33.4e3)  \
    X(FA_LP_WATER_AI_FEMALE, "water.ai_female", 2.0e-3)  \
    X(FA_LP_WATER_AI_MALE, "water.ai_male", 2.5e-3)      \
    X(FA_LP_WATER_BASE, "water.base", 1.0)               \
    X(FA_LP_PAIN_ONSET, "events.pain_onset", 2.0)        \
    X(FA_LP_MECH_TOL, "cache.mech_tol", 0.01)            \
    X(FA_LP_EPS_FLOOR, "cache.eps_floor", 1e-3)

enum {
#define FA_LP_ENUM_(e, id, value) e,
    FA_LIFE_PARAMS(FA_LP_ENUM_)
#undef FA_LP_ENUM_
    FA_LP_COUNT
};
FA_HIDDEN double fa_life_param(int i);
#define LP(name) fa_life_param(FA_LP_##name)

/* mech.c */
FA_HIDDEN fa_status fa_life_mech_get(fa_life *L, int kind, const char *name, double speed, fa_life_mech **out,
                                     fa_error *err);
FA_HIDDEN void fa_life_mech_check(fa_life *L);  /* invalidate drifted entries */
FA_HIDDEN double fa_life_mech_drift(const fa_life *L, const fa_life_mech *c);
FA_HIDDEN void fa_life_mech_free(fa_life_mech *c);
FA_HIDDEN void fa_life_mech_swap(fa_life_mech *a, fa_life_mech *b);
FA_HIDDEN int fa_life_mech_alloc(const fa_model *m, fa_life_mech *c);
FA_HIDDEN int fa_life_mech_xw(const fa_model *m, fa_life_mech *c, int n); /* room for n solutions */
FA_HIDDEN double fa_life_kfactor(const fa_model *m, const fa_data *d, int e);
FA_HIDDEN int fa_life_skin_init(fa_life *L);
/* rest-length scale of element e as the cached solves see it (cords and membranes without the
 * acute part remodel.rf; rf from fa_life_rest_fast, NULL: none) */
FA_HIDDEN double fa_life_rest_solved(const fa_model *m, const fa_data *d, const double *rf, int e);
FA_HIDDEN const double *fa_life_rest_fast(const fa_model *m, const fa_data *d);

/* stimulus.c */
FA_HIDDEN fa_status fa_life_build_stimulus(fa_life *L, const fa_interval *iv, fa_stimulus *s, fa_error *err);
FA_HIDDEN double fa_life_met(const fa_interval *iv);

/* output.c */

/* runner.c */
FA_HIDDEN void fa_life_add_event(fa_life *L, int day, double t, int kind, const char *region, const char *name,
                                 double value);
FA_HIDDEN int fa_life_region_has(const fa_model *m, int r, int e);

#endif
