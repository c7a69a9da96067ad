/* SPDX-License-Identifier: MIT */
/* fascia — tissue physiology: what daily life does to fascia.
 *
 * Ten modules (temperature, hydration, glide, adhesion, remodel,
 * myofibroblast, damage, sensation, strength, compensation), measured against
 * a per-element habitual set point (module "habitual"), advance slow
 * per-element tissue state with large time steps (minutes to days), driven by
 * an fa_stimulus: what the activity of the last interval did to each element.
 * They write the tissue-state fields of fa_data (tis_*, intf_visc, intf_adh)
 * that the mechanics turns into stiffness, plus their own state, which a
 * registry lays out in fa_data.phys (parameters first, then per-element
 * fields), so snapshots, copies and determinism hashes include it.
 *
 * Every parameter is a row of data/params/physiology.csv (compiled into the
 * library; a different table can be loaded). Mechanisms, equations and
 * evidence grades: docs/physiology.md.
 *
 * Usage:
 *   fa_physio_params *p = fa_physio_params_default(&err);
 *   fa_physio_init(m, d, p, &err);          // lays out d->phys, sets state
 *   fa_physio_set_habitual(m, d, day, 86400, &err); // optional: own ordinary day
 *   fa_stimulus *s = fa_stimulus_alloc(m);
 *   fa_stimulus_baseline(m, d, s, 3600);    // or filled by the activity stage
 *   fa_physio_step(m, d, s, 3600);          // advance one hour
 *   fa_stimulus_apply_share(m, d, next);    // compensation on the next stimulus
 */
#ifndef FASCIA_PHYSIO_H
#define FASCIA_PHYSIO_H

#include <stdio.h>

#include "data.h"
#include "model.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- stimulus */

/* Per-element stimulus arrays: X(name, unit/doc). Each has nelem entries
 * (global element numbering). The stimulus describes one interval of length
 * dt_s (the step): extensive quantities (t_load, cycles, t_press, t_slide)
 * are totals over the interval, the others are values while the activity
 * lasted. */
#define FA_STIMULUS_ARRAYS(X)                                                         \
    X(strain_mean, "-, mean strain while loaded (relative to the current rest length)") \
    X(strain_peak, "-, peak strain of the loading cycles")                             \
    X(strain_rate, "1/s, peak strain rate")                                             \
    X(stress_mean, "Pa, mean fibre stress while loaded")                               \
    X(stress_peak, "Pa, peak fibre stress")                                             \
    X(t_load, "s, time under load within the interval (<= dt)")                        \
    X(cycles, "-, loading cycles (strides, repetitions) within the interval")          \
    X(pressure, "Pa, compression while pressed (rolling, massage, sitting, impingement)") \
    X(t_press, "s, time under compression within the interval")                       \
    X(slide_amp, "m, sliding amplitude of the layer while moving (interfaces)")        \
    X(slide_vel, "m/s, peak sliding velocity while moving (interfaces)")               \
    X(t_slide, "s, time with sliding within the interval (interfaces)")                \
    X(heat, "deg C, external temperature applied (bath/ice water); used per heat_mode") \
    X(effort, "-, muscle effort while loaded, fraction of maximal voluntary force")

/* Whole-body heat source of the interval (selects the thermal time constant). */
typedef enum fa_heat_mode {
    FA_HEAT_NONE = 0,  /* tissue relaxes to resting temperature (washout) */
    FA_HEAT_ACTIVITY,  /* metabolic heating, scaled by fa_stimulus.activity */
    FA_HEAT_BATH,      /* immersion in water at stimulus heat[] (deg C) */
    FA_HEAT_COLD       /* cold water / ice at stimulus heat[] (deg C) */
} fa_heat_mode;

typedef struct fa_stimulus {
    int nelem;                 /* entries per array (model nelem) */
#define FA_STIM_FIELD_(name, doc) double *name;
    FA_STIMULUS_ARRAYS(FA_STIM_FIELD_)
#undef FA_STIM_FIELD_
    /* whole-body inputs over the interval */
    double activity;           /* -, whole-body activity level 0 (sleep) .. 1 (hard running) */
    double water;              /* -, water intake relative to adequate intake (1 = adequate) */
    int rest;                  /* 1 = resting/sleeping (damage heals faster: dmg.k_rest) */
    fa_heat_mode heat_mode;    /* heat source of the interval */
} fa_stimulus;

/* Allocate a zeroed stimulus for a model (water = 1). NULL on out of memory. */
fa_stimulus *fa_stimulus_alloc(const fa_model *m);
void fa_stimulus_free(fa_stimulus *s);
/* Zero every array and set whole-body inputs to neutral (water 1, no heat). */
void fa_stimulus_clear(fa_stimulus *s);
/* Fill the habitual daily-life stimulus for an interval of dt_s seconds:
 * each element's habitual set point (the reference person of the stim.*
 * parameters unless fa_physio_set_habitual was called), under which every
 * module is at its healthy steady state. */
void fa_stimulus_baseline(const fa_model *m, const fa_data *d, fa_stimulus *s, double dt_s);
/* Scale strain/stress of every element by the compensation module's load
 * share factors (what the activity stage applies after a physiology step). */
void fa_stimulus_apply_share(const fa_model *m, const fa_data *d, fa_stimulus *s);

/* -------------------------------------------------------------- parameters */

typedef struct fa_physio_params fa_physio_params;

/* The built-in table (data/params/physiology.csv compiled in). NULL on
 * error (err says why). Free with fa_physio_params_free. */
fa_physio_params *fa_physio_params_default(fa_error *err);
/* Load a table from a CSV file with header
 * id,module,quantity,value,unit,source,grade,notes. Errors name file:line:col. */
fa_physio_params *fa_physio_params_load(const char *path, fa_error *err);
void fa_physio_params_free(fa_physio_params *p);
/* Number of rows; row i's id, value, unit, grade ('A','B','C'), source. */
int fa_physio_params_count(const fa_physio_params *p);
const char *fa_physio_params_id(const fa_physio_params *p, int i);
double fa_physio_params_value(const fa_physio_params *p, int i);
const char *fa_physio_params_unit(const fa_physio_params *p, int i);
char fa_physio_params_grade(const fa_physio_params *p, int i);
const char *fa_physio_params_source(const fa_physio_params *p, int i);
/* Find a row by id; -1 when absent. */
int fa_physio_params_find(const fa_physio_params *p, const char *id);
/* Override one value (e.g. for sensitivity runs). FA_ERR_UNKNOWN if absent. */
fa_status fa_physio_params_set(fa_physio_params *p, const char *id, double value);

/* ---------------------------------------------------------------- modules */

/* Lay out d->phys for all modules (parameters copied from p, state set to
 * the declared initial values) and set the fa_data tissue fields the modules
 * own to their initial values. Fails with FA_ERR_MISSING naming the
 * parameter when p lacks a row a module declares. */
fa_status fa_physio_init(const fa_model *m, fa_data *d, const fa_physio_params *p, fa_error *err);
/* Reset module state to initial values, keeping the parameters and the
 * habitual set point in d->phys (call after fa_data_reset). */
void fa_physio_reset(const fa_model *m, fa_data *d);
/* Set each element's habitual set point from a stimulus describing its
 * ordinary day over dt_s (e.g. one day of the person's usual walking,
 * sitting and sleep, as computed by the mechanics), then put every module at
 * the steady state of that day. Tissues adapt to their own habitual loading,
 * so drives (strain magnitude, cycle rate, held strain, sustained stress,
 * sliding) are measured relative to it. Without this call the set point is
 * the reference person of the stim.* parameters, the same for every element.
 * Floors: 0.1 % peak strain, 1 % of the reference cycle rate, 1 mm sliding,
 * 1 % effort. */
fa_status fa_physio_set_habitual(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt_s, fa_error *err);
/* The same from the habitual day's pieces in order (piece i lasts dt_s[i]
 * seconds; extensive quantities are totals over the piece, as for
 * fa_physio_step): the set point is the day's aggregate (held strain and
 * stress weighted by time under load, peak strain and effort by cycles,
 * sliding amplitude and velocity by sliding time), and remodel's habitual
 * stimulus is what the pieces deliver once the cells' desensitisation is
 * replayed over them, so repeating the same pieces keeps every module at its
 * initial state (the habitual day is a fixed point). */
fa_status fa_physio_set_habitual_day(const fa_model *m, fa_data *d, const fa_stimulus *const *piece, const double *dt_s,
                                     int n, fa_error *err);
/* Advance every module by dt_s seconds under stimulus s (module order:
 * habitual (set point, no dynamics), temperature, hydration, glide,
 * adhesion, remodel, myofibroblast, damage, sensation, strength,
 * compensation). No allocation. */
void fa_physio_step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt_s);
/* Advance one module only (index in [0, fa_physio_nmodule())). */
void fa_physio_step_module(const fa_model *m, fa_data *d, int module, const fa_stimulus *s, double dt_s);

/* Introspection of the registry. */
int fa_physio_nmodule(void);
const char *fa_physio_module_name(int module);
int fa_physio_module_find(const char *name);
/* State fields of a module: name, unit, bounds, initial value, kinds mask
 * (bit k set = defined on elements of fa_kind k). */
int fa_physio_nfield(int module);
typedef struct fa_physio_field_info {
    const char *name;   /* "module.field", e.g. "damage.infl"; fa_data fields use their name */
    const char *unit;
    const char *doc;
    double init;        /* initial (healthy) value */
    double lo, hi;      /* bounds the state stays in */
    unsigned kinds;     /* bit (1u << fa_kind) per element kind */
    int on_interfaces;  /* 1: indexed by interface (nintf rows), 0: by element */
} fa_physio_field_info;
fa_physio_field_info fa_physio_field(int module, int field);
/* Pointer to a field's values (nelem or nintf rows); NULL if unknown.
 * Accepts "module.field" or an fa_data array name ("tis_hyd"). */
double *fa_physio_state(const fa_model *m, fa_data *d, const char *name);
/* Read-only variant for const data. */
const double *fa_physio_state_const(const fa_model *m, const fa_data *d, const char *name);
/* Parameter value from d->phys by id (NaN when absent). */
double fa_physio_param(const fa_data *d, const char *id);

/* ---------------------------------------------------------------- outputs */

/* Relative stiffness of element e implied by tissue state (1 = healthy
 * habitual steady state): the mechanics' fa_tissue_scale (collagen density x
 * crosslinks / hydration x (1 - damage) x thickness) divided by (1 - D0),
 * D0 the habitual damage level. Used by validation targets that report
 * tendon/aponeurosis stiffness. */
double fa_physio_stiffness(const fa_model *m, const fa_data *d, int e);
/* Apparent relative viscosity of interface i's hyaluronan layer at a shear
 * rate (1/s; sliding velocity / layer thickness): d->intf_visc[i] (the
 * zero-shear state) x 1/(1 + (glide.lambda * rate)^glide.cross_m), a Cross
 * law: HA is shear-thinning (Cowman 2015). */
double fa_physio_ha_viscosity(const fa_model *m, const fa_data *d, int i, double shear_rate);
/* Pain signal of a model region in [0,1]: the largest pain of its cords and
 * membranes (what the person feels there); 0 for an empty region. */
double fa_physio_region_pain(const fa_model *m, const fa_data *d, int region);
/* Number of injury events recorded for element e since init. */
int fa_physio_injuries(const fa_model *m, const fa_data *d, int e);

/* -------------------------------------------------------------- validation */

/* Result of one literature target. */
typedef struct fa_validate_result {
    char id[64];
    char quantity[128];
    char source[256];
    char grade;          /* evidence grade of the published figure */
    int calibrated;      /* 1: a parameter was set from this figure (not a held-out check) */
    double paper;        /* published value */
    double lo, hi;       /* accepted range */
    double model;        /* simulated value */
    int pass;
} fa_validate_result;

/* Run one target file (YAML, see data/validation/README.md). */
fa_status fa_validate_file(const char *path, const fa_physio_params *p, fa_validate_result *res, fa_error *err);
/* Run every *.yaml in a directory (sorted by name); results in res (capacity
 * cap), count in *n. Returns the first error met (remaining files still run). */
fa_status fa_validate_dir(const char *dir, const fa_physio_params *p, fa_validate_result *res, int cap, int *n,
                          fa_error *err);
/* Print results as a table (explicit report function). */
void fa_validate_print(FILE *f, const fa_validate_result *res, int n);

#ifdef __cplusplus
}
#endif
#endif
