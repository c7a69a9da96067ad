/* SPDX-License-Identifier: MIT */
/* fascia — a runner's life: the multi-rate runner that plays a scenario.
 *
 * A scenario (scenario.h) is expanded into intervals (sit 8 h, run 30 min,
 * sleep ...). The runner turns each interval into an fa_stimulus for the
 * physiology (physio.h) and advances it in steps of at most one hour
 * (def.dt_max). The fast mechanics runs only when needed:
 *   - one static equilibrium per posture (standing, desk_slumped, ...),
 *   - one stride per (gait, speed bin): the gait motion replayed frame by
 *     frame through the network (quasi-static equilibria), integrating per
 *     element peak strain, strain rate, mean strain, stored-and-returned
 *     elastic energy, and per interface the sliding amplitude and velocity;
 * both cached and re-solved when the tissue state has drifted past
 * def.mech_tol since the solve (relative change of fa_tissue_scale, of the
 * interface shear stiffness with adhesions, or of the rest-length scale).
 * The stride's per-element stimulus is multiplied by the interval's stride
 * count. Rules of the scenario (pain at a region > threshold -> days off)
 * are evaluated after each physiology step and events recorded.
 *
 * The skeleton is moved by a kinematics provider (fa_life_kin): the anatomy
 * stage supplies one for the runner body; tests supply small ones. The
 * runner is deterministic: the same model, scenario and definition give a
 * bit-identical fa_data (fa_data_hash), also across checkpoint/resume.
 * Docs: docs/running.md. */
#ifndef FASCIA_LIFE_H
#define FASCIA_LIFE_H

#include <stdint.h>
#include <stdio.h>

#include "data.h"
#include "model.h"
#include "physio.h"
#include "scenario.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --------------------------------------------------------------- kinematics */

/* How the runner moves the skeleton. Every callback writes the body poses
 * d->body_xpos / d->body_xmat of every model body (the runner then places
 * the anchored nodes with fa_kinematics_anchor). Return FA_ERR_UNKNOWN with
 * a message when a posture or motion is not known. */
typedef struct fa_life_kin {
    void *user;
    /* Static posture `name` (fa_activity_info.posture: "standing",
     * "desk_slumped", ...). */
    fa_status (*posture)(void *user, const fa_model *m, fa_data *d, const char *name, fa_error *err);
    /* Gait `name` ("running", "walking") at `speed` (m/s): frames of one
     * stride (one full cycle of one leg) and their spacing (s). */
    fa_status (*gait)(void *user, const fa_model *m, const char *name, double speed, int *nframe,
                      double *dt_frame, fa_error *err);
    /* Pose at frame `f` in [0, nframe) of that gait. */
    fa_status (*gait_pose)(void *user, const fa_model *m, fa_data *d, const char *name, double speed, int f,
                           fa_error *err);
    /* 1 when the gait's poses do not depend on speed (a recorded motion
     * replayed as recorded): one cached stride serves every speed. */
    int speed_free;
} fa_life_kin;

/* ------------------------------------------------------------- definition */

typedef struct fa_life_def {
    int ndays;               /* days to simulate; 0 = the scenario's length */
    double dt_max;           /* s, longest physiology step (default 3600) */
    double mech_tol;         /* -, re-solve a cached posture/stride when the tissue state drifted by
                                more than this since its solve: energy-weighted mean over elements of
                                the relative stiffness change and of the rest-length change relative
                                to the element's strain (default 0.01; docs/running.md) */
    int drift_max;           /* 1: use the largest element term instead of the weighted mean
                                (stricter; default 0) */
    int resolve_daily;       /* 1: re-solve every cached posture/stride at the start of each day
                                (the reference the cache is tested against; default 0) */
    int stride_frames;       /* frames per replayed stride; 0 = all frames the provider gives
                                (default 0) */
    double speed_bin;        /* m/s, strides are cached per gait speed rounded to this (default 0.1) */
    double pain_onset;       /* 0-10, region pain at which a pain-onset event is recorded (default 2) */
    char itb_region[32];     /* region whose energy per stride is reported (default "itb"; when the
                                body has no such region, cords whose name contains "itb") */
    double body_mass;        /* kg, for J/kg; 0 = the scenario person's mass (default 0) */
    const fa_physio_params *params; /* physiology table; NULL = the built-in one */
    fa_life_kin kin;         /* kinematics provider (required) */
    double mech_xtol;        /* m, a posture or stride-frame solve also ends when the estimated
                                remaining node correction is below this (fa_static_def.xtol);
                                0 = the solver's force tolerance alone (default: see
                                fa_default_life_def, docs/running.md) */
    int mech_slots;          /* solutions kept per posture/stride (1-64, default 8: a week and a
                                day): a re-solve starts from the equilibria of the kept solution
                                whose tissue state is nearest today's (a runner's week repeats:
                                Monday's state is near last Monday's), and with recall_tol > 0
                                such a solution is used without a re-solve. 1 = one solution */
    double recall_tol;       /* -, a stale entry recalls a kept solution whose drift from today's
                                state (as mech_tol) is <= this instead of re-solving; 0 (default)
                                = never. Faster, but a recalled week-old solution lags a trending
                                state in a consistent direction and the error builds up
                                (docs/running.md: 17 % after a year at 0.01) */
    double drift_yield;      /* -, cords and membranes whose peak strain in a solve reached this
                                count with their own drift, not diluted by the energy-weighted
                                mean: the entry is also stale when one of them drifted by more than
                                mech_tol. Above the elastic limit (dmg.eps_yield 4 %) damage grows
                                per cycle and softens the element, which then strains more: a
                                cached solve there can miss an injury (docs/running.md). 0 = off;
                                < 0 (default) = the damage module's dmg.eps_yield */
    int habitual_day;        /* 1: every module's set point is the reference person's ordinary day
                                on this body (data/life/parameters.csv hab.*: sleep, four walks of
                                stim.cycles_day strides, upright sitting, standing; a fixed point of
                                the physiology), and layers no walking stride moves slide by the
                                reference share in every activity (default); 0: the stim.*
                                reference, the same for every element, under which an ordinary
                                desk-runner month loses a quarter of the stiffness and two thirds of
                                the glide of every region (docs/physiology.md) */
} fa_life_def;

/* Defaults (see the field comments); kin is zeroed. */
fa_life_def fa_default_life_def(void);

/* ----------------------------------------------------------------- events */

#define FA_LIFE_EVENTS(X)                                                       \
    X(FA_LEV_PAIN_ONSET, "pain_onset", "region pain reached def.pain_onset (value: pain 0-10)") \
    X(FA_LEV_PAIN_RESOLVED, "pain_resolved", "region pain fell below half of def.pain_onset") \
    X(FA_LEV_INJURY, "injury",                                                   \
      "tissue damage crossed the injury threshold in a region (name: first element, "  \
      "'+N' more; value: largest damage)")                                         \
    X(FA_LEV_SCENARIO_INJURY, "scenario_injury", "injury set by the scenario (value: severity)") \
    X(FA_LEV_RULE, "rule", "a scenario rule fired (name: rule; value: signal)")     \
    X(FA_LEV_IMMOBILISE, "immobilise", "a region immobilised by the scenario begins") \
    X(FA_LEV_CHANGE, "change", "a change marked by the scenario")                  \
    X(FA_LEV_RETURN, "return",                                                    \
      "an `until: healed` rule's off window ends: its return-to-run criterion held " \
      "(day: the last day off; name: rule; value: days off)")

typedef enum fa_life_event_kind {
#define FA_LEV_ENUM_(e, name, doc) e,
    FA_LIFE_EVENTS(FA_LEV_ENUM_)
#undef FA_LEV_ENUM_
    FA_LEV_COUNT
} fa_life_event_kind;

/* Name of an event kind ("pain_onset", ...). */
const char *fa_life_event_str(int kind);

typedef struct fa_life_event {
    int day;          /* 0-based day */
    double t;         /* s since day 0 00:00 */
    int kind;         /* fa_life_event_kind */
    char region[32];  /* region ("" none) */
    char name[32];    /* rule name, element name or what changed ("" none) */
    double value;     /* see the kind */
} fa_life_event;

/* ------------------------------------------------------ per-region state */

/* X(name, unit, doc): the per-region figures of timeseries.csv and the
 * summary (means over the region's elements of the kinds they apply to). */
#define FA_LIFE_METRICS(X)                                                               \
    X(stiffness, "-", "mean fa_tissue_scale of cords and membranes (1 = healthy)")        \
    X(hydration, "-", "mean tis_hyd (1 = healthy)")                                       \
    X(glide, "-", "mean 1/intf_visc of interfaces (1 = healthy 37 C)")                   \
    X(adhesion, "-", "mean adhesion fraction of interfaces [0,1]")                        \
    X(thickness, "-", "mean tis_thick (1 = healthy)")                                     \
    X(rest_drift, "-", "mean tis_rest - 1 (ingrained rest-length change)")               \
    X(crosslink, "-", "mean tis_xlink (1 = healthy)")                                     \
    X(damage, "-", "largest tis_damage")                                                  \
    X(pain, "0-10", "largest pain, 10 x the sensation module's pain")                     \
    X(tone, "Pa", "mean myofibroblast tone")

enum {
#define FA_LM_ENUM_(name, unit, doc) FA_LM_##name,
    FA_LIFE_METRICS(FA_LM_ENUM_)
#undef FA_LM_ENUM_
    FA_LIFE_NMETRIC
};

/* Name and unit of metric i. */
const char *fa_life_metric_name(int i);
const char *fa_life_metric_unit(int i);

/* Metrics of region r for a model and state (NaN where the region has no
 * element of the kinds a metric applies to). d must hold physiology state
 * (fa_physio_init). */
void fa_life_region_metrics(const fa_model *m, const fa_data *d, int r, double out[FA_LIFE_NMETRIC]);

/* -------------------------------------------------------------- the runner */

typedef struct fa_life fa_life;

/* Counters of what the runner did. */
typedef struct fa_life_stats {
    long physio_steps;        /* fa_physio_step calls */
    long intervals;           /* intervals consumed */
    int posture_solves;       /* static posture solves */
    int stride_solves;        /* stride replays */
    long cache_hits;          /* intervals served from a cached solve */
    int mech_failures;        /* solves that did not converge (result kept, counted) */
    long newton_iterations;   /* Newton iterations over all static solves */
    long factorizations;      /* CHOLMOD numeric factorisations over all static solves */
    int events_dropped;       /* events not recorded because the event list was full (4096) */
    int days_off_running;     /* days with running scheduled in the base plan but not run */
    int days_run;             /* days with at least one run */
    double run_distance;      /* m */
    double run_strides;       /* strides per leg while running */
    long cache_recalls;       /* stale cached entries replaced by a kept earlier solution
                                 (def.recall_tol; counted in cache_hits too) */
} fa_life_stats;

/* Create a runner for model m (finalized) and scenario sc (both must outlive
 * the runner). Allocates the state, lays out the physiology (def->params or
 * the built-in table) and records the day-0 figures. def may not be NULL
 * (kin is required). */
fa_status fa_life_create(const fa_model *m, const fa_scenario *sc, const fa_life_def *def, fa_life **out,
                         fa_error *err);
void fa_life_free(fa_life *L);

/* Advance one day. FA_ERR_RANGE past the end. */
fa_status fa_life_step_day(fa_life *L, fa_error *err);

/* Called after each day; return non-zero to stop. */
typedef int (*fa_life_day_fn)(const fa_life *L, void *user);

/* Advance until day `day_end` (exclusive; <= 0 or past the end = the last
 * day), calling cb (may be NULL) after each day. */
fa_status fa_life_run(fa_life *L, int day_end, fa_life_day_fn cb, void *user, fa_error *err);

int fa_life_day(const fa_life *L);          /* days completed */
int fa_life_ndays(const fa_life *L);        /* days the run will simulate */
const fa_model *fa_life_model(const fa_life *L);
const fa_scenario *fa_life_scenario(const fa_life *L);
const fa_data *fa_life_data(const fa_life *L);
fa_life_stats fa_life_get_stats(const fa_life *L);
int fa_life_nevent(const fa_life *L);
const fa_life_event *fa_life_event_at(const fa_life *L, int i);
/* Share of slumped sitting done upright, learned by movement re-education
 * sessions (0 at the start). */
double fa_life_upright_habit(const fa_life *L);
/* Scenario cursor (where the timeline stands, rules fired). */
const fa_cursor *fa_life_cursor(const fa_life *L);

/* The healthy person's tissue state on body m (out: an fa_data of m): the
 * state fa_life_create starts a run from with definition def (kinematics
 * provider, stride frames, physiology table, habitual_day), without a
 * scenario: with def->habitual_day every module at its steady state under
 * the reference person's ordinary day on this body. The clinical tests'
 * healthy state and calibration (fascia test-clinical, docs/clinical.md). */
fa_status fa_life_habitual_state(const fa_model *m, const fa_life_def *def, fa_data *out, fa_error *err);

/* Daily per-region record: value of metric k of region r at the end of day
 * `day` (day -1 = the start). NaN when not recorded. */
double fa_life_record(const fa_life *L, int day, int r, int k);

/* Elastic energy stored and returned per stride (J) by the elements of
 * `region` ("" = def.itb_region), from a stride replay of gait `motion` at
 * `speed` in the current tissue state (uses the cache when valid). Also
 * returns the region's peak strain (-) over the stride when peak != NULL. */
fa_status fa_life_stride_energy(fa_life *L, const char *motion, double speed, const char *region, double *joule,
                                double *peak, fa_error *err);

/* ITB energy per stride (J) running at *speed (the scenario's first run
 * speed, else 3.0 m/s) at the start (recorded at creation) and in the
 * current state; NaN when the body has no ITB. Any pointer may be NULL. */
fa_status fa_life_itb_energy(fa_life *L, double *start_J, double *now_J, double *speed, fa_error *err);

/* Checkpoint: the state, physiology, scenario cursor, the runner's records,
 * events, counters and mechanics caches, behind a header (magic, version,
 * model hash, scenario name and length) and a trailing checksum. A resumed
 * run is bit-identical to an uninterrupted one. Load refuses another model
 * or scenario, or a damaged file, saying which. Written atomically. */
fa_status fa_life_save(const fa_life *L, const char *path, fa_error *err);
fa_status fa_life_load(fa_life *L, const char *path, fa_error *err);
/* The tissue state of a run checkpoint without its scenario: the fa_data arrays of model m's
 * state saved in `path` into out (an fa_data of m; physiology block not read) and the days
 * completed (day may be NULL). Refuses another model, version or a damaged file, saying which;
 * out is unchanged unless the header and checksum are right. (fascia test-clinical --state.) */
fa_status fa_life_checkpoint_state(const fa_model *m, const char *path, fa_data *out, int *day, fa_error *err);

/* The runner's parameter table (compiled copy of data/life/parameters.csv):
 * number of rows, id and value (units of the table) of row i. */
int fa_life_nparam(void);
const char *fa_life_param_id(int i);
double fa_life_param_value(int i);

/* ------------------------------------------- the runner body's kinematics */

/* Kinematics of a body built on the Rajagopal 2016 skeleton (the default
 * runner body): postures from data/anatomy/postures.csv, strides from the
 * recorded running and walking motions in data/opensim/motions, turned into
 * body poses by the anatomy stage. data_dir is the data folder (holding
 * anatomy/ and opensim/). Fills *kin to use it; free with
 * fa_life_osim_free after the runner. FA_ERR_UNSUPPORTED when the library
 * was built without the anatomy stage. */
typedef struct fa_life_osim fa_life_osim;
fa_status fa_life_osim_create(const fa_model *m, const char *data_dir, fa_life_osim **out, fa_life_kin *kin,
                              fa_error *err);
void fa_life_osim_free(fa_life_osim *k);
/* Muscles that work in the replayed strides (default off: every muscle
 * passive, activation 0). Reads the activation envelopes over the gait
 * cycle from `path` (NULL = <data_dir>/anatomy/activation.csv), finds each
 * leg's foot contact in the recorded motions, and from then on every stride
 * frame sets each body muscle with a row for its gait to the activation at
 * its leg's cycle phase; postures stay passive. Errors name file:line:col
 * for a bad table. FA_ERR_UNSUPPORTED without the anatomy stage. The CLI
 * (fascia run, advise, test-clinical) calls it by default (--passive: not).
 * Docs: docs/anatomy.md, "Muscle activation in strides". */
fa_status fa_life_osim_activation(fa_life_osim *k, const char *path, fa_error *err);

/* ---------------------------------------------------------------- outputs */

/* Write DIR/timeseries.csv (daily per-region metrics), DIR/events.csv and
 * DIR/summary.json (figures at start and end, events, days off running,
 * ITB energy per stride), each via a temporary file and rename. DIR is
 * created when missing. */
fa_status fa_life_write_outputs(fa_life *L, const char *dir, fa_error *err);

/* Plain-text summary (explicit report function). */
void fa_life_print_summary(fa_life *L, FILE *f);

/* A clinical test evaluated by the caller (fascia run with the clinical
 * stage) at the start and at the end of the run, for the outputs. */
typedef struct fa_life_clinical {
    const char *test;   /* id ("slr", "ober", ...) */
    const char *title;  /* human-readable name (may be NULL: the id is shown) */
    const char *unit;   /* "cm", "deg" */
    int day_start;      /* days completed at the start evaluation */
    int day_end;        /* days completed at the end evaluation */
    double start, end;  /* values (unit) */
    double norm_lo, norm_hi; /* adult norm (unit) */
    char grade;         /* evidence grade of the norm */
    int start_reached, end_reached; /* 1 when the test's end-point torque was reached; 0: the
                                       network's resistance never got there within the test's
                                       range, the value is where the search stopped (a bound) */
    int start_beyond, end_beyond; /* +1: the end range lies above the test's range (the value is a
                                     lower bound, shown "> value", null in summary.json with
                                     "start_beyond": ">" and "start_bound"); -1: below it ("<");
                                     0: measured (or unknown: see start_reached) */
} fa_life_clinical;

/* As fa_life_write_outputs / fa_life_print_summary, with nclin clinical
 * tests in summary.json ("clinical": test, unit, start, end, norm_lo,
 * norm_hi, grade, day_start, day_end, start_reached, end_reached) and in the plain-text summary
 * (clin may be NULL when nclin is 0: "clinical" is then an empty list). */
fa_status fa_life_write_outputs_clinical(fa_life *L, const char *dir, const fa_life_clinical *clin, int nclin,
                                         fa_error *err);
void fa_life_print_summary_clinical(fa_life *L, FILE *f, const fa_life_clinical *clin, int nclin);

#ifdef __cplusplus
}
#endif
#endif
