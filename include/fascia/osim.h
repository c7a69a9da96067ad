/* SPDX-License-Identifier: MIT */
/* fascia — OpenSim import: a real skeleton and real motions.
 *
 * Reads OpenSim model files (.osim, formats 3.x "30000" and 4.x "40000" /
 * "40600") with libxml2 and motion files (.mot / .sto, legacy Storage,
 * SIMM and TimeSeriesTable headers). Gives forward kinematics for any
 * coordinate vector (body world transforms, marker positions), applies
 * CoordinateCouplerConstraints, and computes muscle-tendon path lengths as
 * the sum of segment lengths over the active path points (PathPoint,
 * ConditionalPathPoint, MovingPathPoint) with WrapCylinder and WrapSphere
 * wrapping applied as geodesics (tangent lines and a helix or great-circle
 * arc) — what OpenSim's MuscleAnalysis reports. Ellipsoids and tori are
 * recorded but not applied.
 *
 * Frames and units follow OpenSim: ground +Y up, +X forward, +Z to the
 * subject's right; metres, kilograms, radians; every point is expressed in
 * the frame of the body it names. The model is a read-only struct of
 * arrays; all mutable state lives in an fa_osim_pose. */
#ifndef FASCIA_OSIM_H
#define FASCIA_OSIM_H

#include <stdio.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How a coordinate moves its joint (OpenSim Coordinate::MotionType). */
typedef enum fa_osim_motion_type {
    FA_OSIM_ROTATIONAL = 1,    /* radians; .mot degrees are converted */
    FA_OSIM_TRANSLATIONAL = 2, /* metres */
    FA_OSIM_COUPLED = 3        /* drives its joint through non-identity functions; never converted */
} fa_osim_motion_type;

/* Kinds of path point. */
typedef enum fa_osim_point_kind {
    FA_OSIM_POINT_FIXED = 0,       /* PathPoint: fixed location in its body */
    FA_OSIM_POINT_CONDITIONAL = 1, /* ConditionalPathPoint: active while point_coord is in point_range */
    FA_OSIM_POINT_MOVING = 2       /* MovingPathPoint: location = functions of coordinates */
} fa_osim_point_kind;

/* Kinds of force element that carry a geometry path. */
typedef enum fa_osim_path_kind {
    FA_OSIM_MUSCLE = 0,   /* any *Muscle class */
    FA_OSIM_LIGAMENT = 1, /* Ligament / Blankevoort1991Ligament */
    FA_OSIM_OTHER_PATH = 2 /* PathActuator, PathSpring, ... */
} fa_osim_path_kind;

struct fa_osim_impl_;

/* A loaded OpenSim model (read-only after fa_osim_load). Body 0 is ground.
 * Names point into storage owned by the model. Arrays with a factor (3*nbody)
 * are row-major: element i starts at [3*i]. */
typedef struct fa_osim {
    char name[128];   /* Model@name */
    char file[256];   /* path it was loaded from */
    int version;      /* OpenSimDocument@Version, e.g. 30000, 40000 */
    double gravity[3]; /* m/s^2, ground frame */

    int nbody;               /* bodies including ground (index 0) */
    const char **body_name;  /* [nbody] */
    double *body_mass;       /* [nbody] kg */
    double *body_com;        /* [3*nbody] m, mass centre in the body frame */
    double *body_inertia;    /* [6*nbody] kg m^2, Ixx Iyy Izz Ixy Ixz Iyz about the COM, body axes */
    int *body_joint;         /* [nbody] joint whose child is this body, -1 for ground */

    int njoint;              /* joints */
    const char **joint_name; /* [njoint] */
    const char **joint_type; /* [njoint] XML class name: "CustomJoint", "PinJoint", ... */
    int *joint_parent;       /* [njoint] parent body index */
    int *joint_child;        /* [njoint] child body index */
    int *joint_coord_adr;    /* [njoint] first coordinate of the joint */
    int *joint_coord_num;    /* [njoint] number of coordinates of the joint */

    int ncoord;                /* generalized coordinates */
    const char **coord_name;   /* [ncoord] */
    int *coord_joint;          /* [ncoord] owning joint */
    int *coord_motion;         /* [ncoord] fa_osim_motion_type */
    double *coord_default;     /* [ncoord] rad or m, default value */
    double *coord_range;       /* [2*ncoord] rad or m, min max */
    unsigned char *coord_locked;  /* [ncoord] 1 if locked in the model */
    unsigned char *coord_clamped; /* [ncoord] 1 if clamped to its range */
    int *coord_indep;          /* [ncoord] independent coordinate if this one is the dependent
                                  of an enforced CoordinateCouplerConstraint, else -1 */

    int nmarker;               /* markers */
    const char **marker_name;  /* [nmarker] */
    int *marker_body;          /* [nmarker] body index */
    double *marker_loc;        /* [3*nmarker] m, in the body frame */

    int nmuscle;               /* force elements with a GeometryPath (muscles, ligaments, ...) */
    const char **muscle_name;  /* [nmuscle] */
    const char **muscle_type;  /* [nmuscle] XML class name, e.g. "Millard2012EquilibriumMuscle" */
    int *muscle_kind;          /* [nmuscle] fa_osim_path_kind */
    unsigned char *muscle_enabled; /* [nmuscle] appliesForce (v4) / !isDisabled (v3) */
    double *muscle_fmax;       /* [nmuscle] N, max_isometric_force (ligament: pcsa_force); NaN if absent */
    double *muscle_lopt;       /* [nmuscle] m, optimal_fiber_length; NaN if absent */
    double *muscle_lts;        /* [nmuscle] m, tendon_slack_length (ligament: resting_length); NaN if absent */
    double *muscle_penn;       /* [nmuscle] rad, pennation_angle_at_optimal; NaN if absent */
    double *muscle_vmax;       /* [nmuscle] optimal lengths/s, max_contraction_velocity; NaN if absent */
    int *muscle_point_adr;     /* [nmuscle] first path point */
    int *muscle_point_num;     /* [nmuscle] number of path points */
    int *muscle_nwrap;         /* [nmuscle] PathWrap entries (cylinders and spheres applied, others not) */

    int npoint;                /* path points of all muscles */
    const char **point_name;   /* [npoint] */
    int *point_kind;           /* [npoint] fa_osim_point_kind */
    int *point_body;           /* [npoint] body index */
    double *point_loc;         /* [3*npoint] m, body frame (fixed and conditional points) */
    int *point_coord;          /* [npoint] conditional: the switching coordinate, else -1 */
    double *point_range;       /* [2*npoint] conditional: active while range[0] <= q <= range[1] */

    int ngeom;                 /* mesh references attached to bodies (files are not read) */
    const char **geom_file;    /* [ngeom] mesh file name as written (e.g. "r_pelvis.vtp") */
    int *geom_body;            /* [ngeom] body index */
    double *geom_scale;        /* [3*ngeom] -, scale factors along the mesh axes */
    double *geom_R;            /* [9*ngeom] rotation mesh->body, row-major */
    double *geom_p;            /* [3*ngeom] m, mesh origin in the body frame */

    struct fa_osim_impl_ *impl; /* joints, functions, name storage (internal) */
} fa_osim;

/* Options for fa_osim_load_ex. Start from FA_OSIM_LOAD_DEF_DEFAULT. */
typedef struct fa_osim_load_def {
    int include_ligaments;  /* 1: Ligament paths are listed among muscles (default 1) */
    int include_disabled;   /* 1: keep force elements with appliesForce=false (default 1) */
} fa_osim_load_def;
#define FA_OSIM_LOAD_DEF_DEFAULT {1, 1}

/* Load an OpenSim model. On success *out owns a new model (free with
 * fa_osim_free). Errors name file:line:col. */
fa_status fa_osim_load(const char *path, fa_osim **out, fa_error *err);
fa_status fa_osim_load_ex(const char *path, const fa_osim_load_def *def, fa_osim **out,
                          fa_error *err);
void fa_osim_free(fa_osim *m);

/* Index of a named body / joint / coordinate / marker / muscle, -1 if none. */
int fa_osim_find_body(const fa_osim *m, const char *name);
int fa_osim_find_joint(const fa_osim *m, const char *name);
int fa_osim_find_coord(const fa_osim *m, const char *name);
int fa_osim_find_marker(const fa_osim *m, const char *name);
int fa_osim_find_muscle(const fa_osim *m, const char *name);

/* Pose: coordinate values and the body transforms computed from them. */
typedef struct fa_osim_pose {
    int ncoord;     /* = model ncoord */
    int nbody;      /* = model nbody */
    double *q;      /* [ncoord] rad or m */
    double *body_R; /* [9*nbody] rotation body->ground, row-major: v_G = R v_B + p */
    double *body_p; /* [3*nbody] m, body origin in ground */
} fa_osim_pose;

/* Allocate a pose for the model with q at the defaults and FK done. */
fa_status fa_osim_pose_init(const fa_osim *m, fa_osim_pose *pose, fa_error *err);
void fa_osim_pose_free(fa_osim_pose *pose);
/* Set q to the model defaults (couplers applied). Does not run FK. */
void fa_osim_pose_defaults(const fa_osim *m, fa_osim_pose *pose);
/* q[dep] = scale * f(q[indep]) for every enforced CoordinateCouplerConstraint. */
void fa_osim_apply_couplers(const fa_osim *m, fa_osim_pose *pose);
/* Forward kinematics: body_R, body_p from q (q used as given). */
void fa_osim_fk(const fa_osim *m, fa_osim_pose *pose);
/* World position of a point given in body `b`'s frame. Needs fa_osim_fk. */
void fa_osim_point_world(const fa_osim_pose *pose, int b, const double local[3], double out[3]);
/* World position of marker i. Needs fa_osim_fk. */
void fa_osim_marker_world(const fa_osim *m, const fa_osim_pose *pose, int i, double out[3]);
/* Location of path point k in its body frame at this q (moving points follow
 * their functions). Returns 1 if the point is active, 0 if a conditional
 * point is switched off. */
int fa_osim_point_local(const fa_osim *m, const fa_osim_pose *pose, int k, double out[3]);
/* Muscle-tendon path length (m): sum of distances between consecutive active
 * path points, with wrapping over cylinders and spheres (see fa_osim_set_wrapping). Needs
 * fa_osim_fk. */
double fa_osim_muscle_length(const fa_osim *m, const fa_osim_pose *pose, int i);
/* World positions of muscle i's path into pts[3*maxpts]: active path points
 * and, where a cylinder or sphere wraps the path, its two tangent points (the arc
 * between them is not sampled). Returns the count (only maxpts written). */
int fa_osim_muscle_path(const fa_osim *m, const fa_osim_pose *pose, int i, double *pts, int maxpts);

/* Moment arm (m; dimensionless for a translational coordinate) of muscle i
 * about coordinate q at this pose: r = -dL/dq by central difference, coupled
 * dependents following q (as OpenSim's MuscleAnalysis reports it). Exactly 0
 * when no body, wrap object or point function of the path depends on q.
 * Perturbs pose->q temporarily; on return q is restored and FK redone. */
double fa_osim_moment_arm(const fa_osim *m, fa_osim_pose *pose, int i, int q);

/* Apply WrapCylinder/WrapSphere wrapping in muscle lengths and paths (default
 * on after loading). Off: straight segments between active path points only. */
void fa_osim_set_wrapping(fa_osim *m, int on);

/* Evaluate one of the model's functions by handle (internal use and tests):
 * the TransformAxis function of joint j, axis a (0..5). Returns 0 and sets
 * *coord to the driving coordinate (-1 if none) when the axis exists. */
int fa_osim_axis_eval(const fa_osim *m, int j, int a, double q, double *value, double axis[3],
                      int *coord);

/* Write the model as a fascia body file (docs/model-format.md) to f: bodies
 * (parent, mass), landmarks from markers, and each muscle as a Hill element
 * between two body-anchored nodes at its first and last active path point,
 * with its whole path polyline as landmarks "<muscle>.p<k>". Positions are
 * world positions at `pose` (FK must be done), which becomes the body file's
 * reference pose. Muscles without fmax/optimal length (ligaments, path
 * actuators) are listed in comments only. Returns FA_ERR_UNSUPPORTED for a
 * name that is not a plain YAML scalar, FA_ERR_IO on a write error. */
fa_status fa_osim_write_body_yaml(const fa_osim *m, const fa_osim_pose *pose, FILE *f, fa_error *err);

/* A motion: a table of time and named columns (.mot / .sto). */
typedef struct fa_osim_motion {
    char file[256];   /* path it was loaded from */
    char name[128];   /* first header line / "name" key */
    int in_degrees;   /* 1 = inDegrees=yes, 0 = no, -1 = not stated (treated as degrees) */
    int label_line;   /* 1-based line of the column labels in the file */
    int nframe;       /* rows */
    int ncol;         /* data columns, time excluded */
    double *time;     /* [nframe] s */
    double *data;     /* [nframe*ncol] row-major, as stored in the file */
    char **label;     /* [ncol] column labels */
} fa_osim_motion;

fa_status fa_osim_motion_load(const char *path, fa_osim_motion *mot, fa_error *err);
void fa_osim_motion_free(fa_osim_motion *mot);
/* Mean sampling rate (Hz) = (nframe-1)/(t_last - t_first); 0 if < 2 frames. */
double fa_osim_motion_rate(const fa_osim_motion *mot);

/* Period (s) of a periodic column (e.g. hip_flexion_r: the stride) from its
 * normalised autocorrelation: the first local maximum within [tmin, tmax] s
 * that reaches 80% of the highest one there, refined by a parabola through
 * the three samples around it. 0 if none (or fewer than two periods of data). */
double fa_osim_motion_period(const fa_osim_motion *mot, int col, double tmin, double tmax);

/* How a motion drives a model. Start from FA_OSIM_MOTION_DEF_DEFAULT. */
typedef struct fa_osim_motion_def {
    int strict;            /* 1: a column that is neither a coordinate value nor a
                              coordinate speed of the model is an error (default 0) */
    int clamp;             /* 1: clamp coordinates flagged clamped to their range (default 0,
                              as OpenSim's analyses, which set states directly) */
    int recompute_coupled; /* 1: coupled dependents always from the coupler function;
                              0: read them from the file when present (default 0, as OpenSim) */
} fa_osim_motion_def;
#define FA_OSIM_MOTION_DEF_DEFAULT {0, 0, 0}

/* Match motion columns to coordinates: col_of_coord[ncoord] receives the
 * column index (or -1: the coordinate keeps its default / coupler value).
 * Labels match a coordinate name or a path ".../<coord>/value". */
fa_status fa_osim_motion_bind(const fa_osim *m, const fa_osim_motion *mot,
                              const fa_osim_motion_def *def, int *col_of_coord, fa_error *err);
/* Set pose to frame f of the motion (degrees converted for rotational
 * coordinates only), apply couplers, run FK. */
void fa_osim_motion_pose(const fa_osim *m, const fa_osim_motion *mot, const fa_osim_motion_def *def,
                         const int *col_of_coord, int f, fa_osim_pose *pose);
/* Muscle-tendon lengths for every frame: out[nframe*nmuscle] (m), row-major. */
fa_status fa_osim_muscle_lengths(const fa_osim *m, const fa_osim_motion *mot,
                                 const fa_osim_motion_def *def, double *out, fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
