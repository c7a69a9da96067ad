/* SPDX-License-Identifier: MIT */
/* fascia — measurements and mesh output.
 *
 * The shirt tug (seed behaviour B1, continuity): pull one point of a sheet,
 * run the implicit dynamics, and measure how tension spreads over the
 * network in space and time — how far (distance along the sheet at which the
 * peak tension still reaches 10 % of the tug site's) and how fast (time for
 * the far edge to reach 10 % of its peak) — then release and watch it settle
 * back. Distances are geodesic: shortest paths along element edges in the
 * reference configuration. */
#ifndef FASCIA_MEASURE_H
#define FASCIA_MEASURE_H

#include <stdio.h>

#include "data.h"
#include "model.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write the current state as a legacy-VTK unstructured grid (ASCII) that
 * ParaView opens: points = d->x, cells = membrane triangles, cords and
 * muscles as lines (interfaces are omitted); point data: displacement (m);
 * cell data: kind, strain (-), stress (Pa), force (N), energy (J),
 * hydration, crosslinks, damage, tone (Pa). Written to PATH.tmp then renamed,
 * so a failure never clobbers an existing file. */
fa_status fa_write_vtk(const fa_model *m, const fa_data *d, const char *path, fa_error *err);

/* Geodesic distance (m) from node `src` to every node along element edges in
 * the reference configuration (node_pos0); unreachable nodes get -1.
 * dist has nnode entries. */
fa_status fa_geodesic(const fa_model *m, int src, double *dist);

/* Settings of a tug (fa_default_tug_def). */
typedef struct fa_tug_def {
    int node;           /* node pulled (index; required) */
    double force[3];    /* N, pull force at the end of the ramp (default 0, 2, 0: 2 N upward) */
    double ramp;        /* s, linear force ramp (default 0.02) */
    double hold;        /* s, hold at full force after the ramp (default 0.4) */
    double release;     /* s, observation after the force is removed (default 0.4) */
    double sample;      /* s, sampling interval of the time series (default 0.005) */
    int nbands;         /* distance bands (default 20) */
    int nsectors;       /* angular sectors at the far edge around the pull axis (default 8) */
    double far_frac;    /* elements with distance >= far_frac * max distance are the far edge (0.9) */
    double prestrain;   /* -, resting (in vivo) prestrain of cords and membranes, applied as a
                           rest-length scale tis_rest = 1/(1+prestrain) and settled by a static
                           solve before the pull (default 0) */
    int far_node;       /* node whose displacement is followed as "the far point" (-1, default:
                           the free node farthest against the pull, nearest the pull line: for
                           the shirt's collar, the small of the back below it) */
    int linsolver;      /* fa_linsolver of the implicit steps (default FA_LIN_AUTO: CG
                           preconditioned by a reused CHOLMOD factor, measured 22 % faster than
                           block-Jacobi PCG on the shirt; see docs/solvers.md) */
    int nwatch;         /* watched nodes (default 0): their displacement along the pull is
                           followed like the far point's (a sleeve's hem, the small of the back) */
    const int *watch;   /* nwatch node indices (not owned; any node, anchored ones too) */
} fa_tug_def;

fa_tug_def fa_default_tug_def(void);

/* The measured spread. Arrays are owned; free with fa_tug_result_free. */
typedef struct fa_tug_result {
    int nsample;            /* samples of the time series */
    int nbands;             /* distance bands */
    int nsectors;           /* far-edge sectors */
    double dmax;            /* m, largest geodesic distance from the tug node */
    double *time;           /* nsample, s */
    double *band_dist;      /* nbands, m, band centre distance */
    double *band_stress;    /* nsample x nbands, Pa, mean membrane fibre stress in the band */
    double *band_peak;      /* nbands, Pa, peak over time of band_stress */
    double *band_tpeak;     /* nbands, s, time of the band's peak */
    double *far_disp;       /* nsample, m, mean far-edge displacement along the pull direction,
                               from the state at the start of the pull */
    double *sector_peak;    /* nsectors, Pa, peak mean stress of far-edge elements per sector;
                               sector 0 is centred on the tug node's azimuth */
    double peak_source;     /* Pa, peak of the first (tug site) band */
    double peak_far;        /* Pa, peak of the far-edge mean stress */
    double t_far10;         /* s, first time the far edge reaches 10 % of its own peak (-1 never) */
    double t_far10_src;     /* s, first time the far edge reaches 10 % of the source peak (-1 never) */
    double reach10;         /* m, largest band distance whose peak >= 10 % of the source peak */
    double decay_length;    /* m, e-fold decay length of band peaks with distance (log-linear least
                               squares over the leading run of decreasing bands above 1e-6 of the
                               source peak, so a free far edge does not bias it; -1 when < 3 bands):
                               the shear-lag length of a sheet bonded to its substrate */
    double far_lift;        /* m, largest mean far-edge displacement along the pull */
    double far_final;       /* m, far-edge displacement at the end (after release) */
    double cord_peak;       /* N, largest cord tension increase over rest (0 without cords) */
    int far_node;           /* the followed far point (node index) */
    char far_node_name[64]; /* its name ("" when unnamed) */
    double far_node_dist;   /* m, its geodesic distance from the tug node */
    double *point_disp;     /* nsample, m, far point's displacement along the pull from the start */
    double tug_peak_disp;   /* m, largest displacement of the tug node along the pull */
    double point_peak;      /* m, largest far-point displacement along the pull */
    double point_t10;       /* s, first time the far point reaches 10 % of its peak (-1 never) */
    double point_final;     /* m, far-point displacement at the end (after release) */
    int steps;              /* dynamics steps taken */
    int noconv;             /* steps that did not converge */
    /* appended: the release and the watched nodes */
    double t_release;       /* s, time the force is removed (ramp + hold), from the start */
    double *tug_disp;       /* nsample, m, tug node's displacement along the pull from the start */
    int nwatch;             /* watched nodes */
    int *watch_node;        /* nwatch node indices */
    double *watch_dist;     /* nwatch, m, geodesic distance from the tug node (-1 unreachable) */
    double *watch_disp;     /* nsample x nwatch, m, displacement along the pull from the start */
    double *watch_peak;     /* nwatch, m, displacement of largest magnitude (signed) */
    double *watch_t10;      /* nwatch, s, first time |disp| reaches 10 % of |peak| (-1 never) */
    char *watch_name;       /* nwatch x 64, node names ("" when unnamed) */
} fa_tug_result;

/* Series selectors of fa_tug_disp_at. */
enum { FA_TUG_TUG_NODE = -1, FA_TUG_FAR_POINT = -2 };

/* Displacement along the pull (m) of the tug node (which = FA_TUG_TUG_NODE),
 * the far point (FA_TUG_FAR_POINT) or watched node `which` (0..nwatch-1) at
 * time t (s from the start; linear between samples). Returns 0 with *disp
 * set, or -1 when t lies outside the recorded series or `which` is invalid. */
int fa_tug_disp_at(const fa_tug_result *res, int which, double t, double *disp);

/* Peak displacement (signed, largest magnitude; m) of the same series (0 when invalid). */
double fa_tug_disp_peak(const fa_tug_result *res, int which);

/* Progress callback: fraction done in [0,1]; return non-zero to cancel. */
typedef int (*fa_progress_fn)(double fraction, void *user);

/* Run a tug on (m, d) from d's current state with implicit dynamics at
 * m->opt.timestep. d->f_ext is used for the pull (restored to zero at the
 * end). res receives the time series and figures. */
fa_status fa_tug_run(const fa_model *m, fa_data *d, const fa_tug_def *def, fa_tug_result *res,
                     fa_progress_fn progress, void *user, fa_error *err);

void fa_tug_result_free(fa_tug_result *res);

/* Print the tug figures as plain text. */
void fa_tug_print(const fa_tug_result *res, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
