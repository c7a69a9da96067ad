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
#define FA_LIFE_EPS_FLOOR 1e-3 /* -, strain floor of the rest-length drift test */

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
    X(slide_vel, "m/s, peak interface sliding velocity")

typedef struct fa_life_mech {
    int kind;          /* 0 posture, 1 gait */
    char name[32];     /* posture or motion name */
    double speed;      /* m/s (gait; binned), 0 for postures */
    int valid;         /* 1 when solved */
    int day;           /* day of the last solve */
    int nframe;        /* frames replayed (gait) */
    double dt_frame;   /* s */
    int converged;     /* 1 when every solve converged */
#define FA_LIFE_MECH_FIELD_(name, doc) double *name;
    FA_LIFE_MECH_ARRAYS(FA_LIFE_MECH_FIELD_)
#undef FA_LIFE_MECH_FIELD_
} fa_life_mech;

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
};

/* mech.c */
FA_HIDDEN fa_status fa_life_mech_get(fa_life *L, int kind, const char *name, double speed, fa_life_mech **out,
                                     fa_error *err);
FA_HIDDEN void fa_life_mech_check(fa_life *L);  /* invalidate drifted entries */
FA_HIDDEN void fa_life_mech_free(fa_life_mech *c);
FA_HIDDEN double fa_life_kfactor(const fa_model *m, const fa_data *d, int e);
FA_HIDDEN int fa_life_skin_init(fa_life *L);

/* stimulus.c */
FA_HIDDEN fa_status fa_life_build_stimulus(fa_life *L, const fa_interval *iv, fa_stimulus *s, fa_error *err);
FA_HIDDEN double fa_life_met(const fa_interval *iv);

/* output.c */
FA_HIDDEN fa_status fa_life_atomic_open(const char *path, char *tmp, size_t cap, FILE **f, fa_error *err);
FA_HIDDEN fa_status fa_life_atomic_commit(FILE *f, const char *tmp, const char *path, fa_error *err);

/* runner.c */
FA_HIDDEN void fa_life_add_event(fa_life *L, int day, double t, int kind, const char *region, const char *name,
                                 double value);
FA_HIDDEN int fa_life_region_has(const fa_model *m, int r, int e);

#endif
