/* SPDX-License-Identifier: MIT */
/* Muscle activation over the gait cycle for the replayed strides: the table
 * data/anatomy/activation.csv (per gait and runner-body muscle, an envelope
 * of activation at p0..p95 % of the gait cycle from the muscle's own foot
 * contact) and its mapping onto a model's Hill muscles. Used by the runner
 * body's kinematics (kin_osim.c) when fa_life_osim_activation is called.
 * Docs: docs/anatomy.md, "Muscle activation in strides". */
#ifndef FA_LIFE_ACTIVATION_H
#define FA_LIFE_ACTIVATION_H

#include "fascia/data.h"
#include "fascia/model.h"
#include "fascia/status.h"

#define FA_ACT_MAXPT 64

typedef struct fa_life_act {
    int nrow;
    int npt;                    /* phase points per row */
    double phase[FA_ACT_MAXPT]; /* -, cycle fraction of each point, increasing, first 0, last < 1 */
    char (*gait)[32];           /* [nrow] gait name (running, walking) */
    char (*muscle)[64];         /* [nrow] body muscle without the side suffix */
    char *grade;                /* [nrow] A, B or C */
    int *fileline;              /* [nrow] line of the row */
    double *val;                /* [nrow * npt] activation 0-1 */
} fa_life_act;

/* Read the table. Errors name file:line:col (missing column, phase columns
 * not p<percent> increasing from p0 below p100, value outside [0,1], bad
 * grade, duplicate gait/muscle row, empty table). */
fa_status fa_life_act_load(const char *path, fa_life_act **out, fa_error *err);
void fa_life_act_free(fa_life_act *a);

/* Row of (gait, muscle) or -1. */
int fa_life_act_row(const fa_life_act *a, const char *gait, const char *muscle);

/* Activation of row r at cycle fraction phase (any real: wrapped into
 * [0,1)), linear between points, periodic. */
double fa_life_act_eval(const fa_life_act *a, int r, double phase);

/* Row of model muscle i for gait (its name less a trailing _r/_l), and its
 * side (0 right, 1 left, -1 no suffix: right timing); -1 when none. */
int fa_life_act_muscle_row(const fa_life_act *a, const fa_model *m, const char *gait, int i, int *side);

/* Set d->muscle_act of every muscle with a row for gait from the cycle
 * fraction of the right leg (phase_r) and of the left leg (phase_l), each
 * measured from that leg's foot contact; other muscles 0. Returns the
 * number of muscles given a row. */
int fa_life_act_apply(const fa_life_act *a, const fa_model *m, fa_data *d, const char *gait, double phase_r,
                      double phase_l);

/* Cycle phase (0-1) of the right [0] and left [1] foot contact in the
 * stride of gait as replayed by the runner body's kinematics (frame 0 =
 * phase 0); 0 when activation is off or the gait is unknown (kin_osim.c). */
struct fa_life_osim;
int fa_life_osim_contact_phase(const struct fa_life_osim *k, const char *gait, double phase[2]);

#endif
