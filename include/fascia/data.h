/* SPDX-License-Identifier: MIT */
/* fascia — mutable simulation state (fa_data).
 *
 * Everything that changes during a run lives here, so many runs can share one
 * const fa_model, and a checkpoint is a dump of fa_data. One X-macro list
 * (FA_DATA_ARRAYS) drives allocation, copy, hashing and save/load. Sizes are
 * model size names (see model.h). Per-step scratch comes from the arena; no
 * allocation happens inside a step. */
#ifndef FASCIA_DATA_H
#define FASCIA_DATA_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(type, name, rows, cols, doc) — rows is a model size name. */
#define FA_DATA_ARRAYS(X)                                                                         \
    /* skeleton pose (set by kinematics or the caller) */                                        \
    X(double, body_xpos, nbody, 3, "m, body origin in world")                                   \
    X(double, body_xmat, nbody, 9, "-, body rotation (row-major, body->world)")                 \
    /* nodes */                                                                                   \
    X(double, x, nnode, 3, "m, node position (world)")                                          \
    X(double, v, nnode, 3, "m/s, node velocity")                                                \
    X(double, f_ext, nnode, 3, "N, external force applied to the node")                        \
    X(double, f_int, nnode, 3, "N, internal force on the node from the last assembly")        \
    /* tissue state per element (driven by physiology; 1 = healthy baseline) */                 \
    X(double, tis_hyd, nelem, 1, "-, water content relative to healthy baseline")              \
    X(double, tis_dens, nelem, 1, "-, collagen density relative to baseline")                  \
    X(double, tis_xlink, nelem, 1, "-, crosslink density relative to baseline (1 = healthy)")  \
    X(double, tis_thick, nelem, 1, "-, thickness/area relative to baseline")                   \
    X(double, tis_rest, nelem, 1, "-, rest-length scale (ingrained length / compiled L0)")     \
    X(double, tis_tone, nelem, 1, "Pa, active myofibroblast stress")                           \
    X(double, tis_damage, nelem, 1, "-, micro-damage fraction [0,1)")                          \
    X(double, tis_temp, nelem, 1, "deg C, tissue temperature")                                  \
    /* interfaces */                                                                              \
    X(double, intf_visc, nintf, 1, "-, HA viscosity relative to healthy 37 C (glide = 1/visc)") \
    X(double, intf_adh, nintf, 1, "N/m, tangential stiffness of adhesions (crosslink bridges)")\
    X(double, intf_slide, nintf, 3, "m, reference offset of the sheet node (substrate body frame; moves as it glides)") \
    /* muscles */                                                                                 \
    X(double, muscle_act, nmuscle, 1, "-, activation [0,1]")                                   \
    /* viscoelastic history (layout per element set by the compiler) */                         \
    X(double, visc, nvisc, 1, "element-specific Prony history")                                 \
    /* per-element measurements from the last assembly */                                       \
    X(double, elem_strain, nelem, 1, "-, strain (cord/muscle: engineering; membrane: fibre)")  \
    X(double, elem_strain_rate, nelem, 1, "1/s")                                                \
    X(double, elem_force, nelem, 1, "N, tension (cord/muscle) or fibre force (membrane)")      \
    X(double, elem_stress, nelem, 1, "Pa, fibre-direction Cauchy-like stress")                  \
    X(double, elem_energy, nelem, 1, "J, stored elastic energy")

typedef struct fa_warning_counts {
    int nan;          /* NaN/Inf found in state */
    int inverted;     /* inverted/degenerate elements met */
    int noconv;       /* Newton solves that did not converge */
    int arena_over;   /* arena requests that could not be met */
} fa_warning_counts;

typedef struct fa_data {
#define FA_DATA_ARRAY_FIELD_(type, name, rows, cols, doc) type *name;
    FA_DATA_ARRAYS(FA_DATA_ARRAY_FIELD_)
#undef FA_DATA_ARRAY_FIELD_
    double time;              /* s, simulated time of the mechanics */
    double energy;            /* J, total elastic energy from the last assembly */
    fa_warning_counts warn;
    /* physiology state laid out by the physio stage's module registry
     * (hashed, copied and saved with the state; see fa_data_phys_alloc) */
    double *phys;
    size_t nphys;
    /* scratch arena (not part of the state; not hashed or saved) */
    unsigned char *arena;
    size_t arena_size;
    size_t arena_used;
    size_t arena_peak;
    void *solver;             /* solver workspace, owned (not part of the state) */
    void (*solver_free)(void *);
} fa_data;

/* Allocate data for a model, set to the reference state (fa_data_reset).
 * arena_bytes 0 picks a size from the model. NULL on out of memory. */
fa_data *fa_data_alloc(const fa_model *m, size_t arena_bytes);

/* Free data (and any solver workspace). NULL is allowed. */
void fa_data_free(fa_data *d);

/* Reset to the reference state: nodes at node_pos0, zero velocity and force,
 * identity body poses, healthy tissue (1 for relative fields, 0 for tone and
 * damage, 37 C), zero history. */
void fa_data_reset(const fa_model *m, fa_data *d);

/* Copy state arrays from src to dst (same model). */
void fa_data_copy(const fa_model *m, fa_data *dst, const fa_data *src);

/* 64-bit FNV-1a over every state array, time included (bit-exact). */
uint64_t fa_data_hash(const fa_model *m, const fa_data *d);

/* (Re)allocate the physiology state block to n zeroed doubles. Returns
 * FA_ERR_NOMEM on failure (the old block is kept). */
fa_status fa_data_phys_alloc(fa_data *d, size_t n);

/* Arena: aligned (16 B) scratch; returns NULL and counts warn.arena_over when
 * full. Use mark/release around a stage. */
void *fa_arena_alloc(fa_data *d, size_t bytes);
size_t fa_arena_mark(const fa_data *d);
void fa_arena_release(fa_data *d, size_t mark);

/* Update anchored node positions from body poses (x = xpos + xmat*local). */
void fa_kinematics_anchor(const fa_model *m, fa_data *d);

/* Express every body pose relative to the root body (the first body without
 * a parent, e.g. the pelvis): a rigid motion of the whole body changes no
 * strain, and keeping the root at its reference keeps free nodes near their
 * reference positions, where static solves start. No-op without bodies. */
void fa_kinematics_root_relative(const fa_model *m, fa_data *d);

#ifdef __cplusplus
}
#endif
#endif
