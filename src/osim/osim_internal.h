/* SPDX-License-Identifier: MIT */
/* OpenSim import — internal representation of joints and functions. */
#ifndef FA_OSIM_INTERNAL_H
#define FA_OSIM_INTERNAL_H

#include "core/internal.h"
#include "fascia/osim.h"

/* Function kinds (OpenSim Function subclasses). */
enum {
    FA_FN_CONSTANT = 0,   /* a = value */
    FA_FN_LINEAR,         /* a = slope, b = intercept */
    FA_FN_SPLINE,         /* SimmSpline (FMM natural-type cubic): n knots at pool[adr]: x y b c d */
    FA_FN_PIECEWISE,      /* PiecewiseLinearFunction: n knots at pool[adr]: x y */
    FA_FN_MULTIPLIER      /* a * f_child(x) */
};

typedef struct fa_osim_fn {
    int kind;
    int n;     /* knots */
    int adr;   /* offset into impl->pool */
    int child; /* multiplier: function index */
    double a, b;
} fa_osim_fn;

/* Joint kinds. */
enum {
    FA_J_CUSTOM = 0,
    FA_J_PIN,       /* Rz(q0) */
    FA_J_UNIVERSAL, /* Rx(q0) Ry(q1) */
    FA_J_WELD,
    FA_J_GIMBAL,    /* Rx Ry Rz body-fixed (also Ball, Free rotations) */
    FA_J_FREE,      /* Rx Ry Rz then translation x y z in F */
    FA_J_SLIDER,    /* translation q0 along x */
    FA_J_PLANAR     /* Rz(q0), translation (q1, q2, 0) in F */
};

typedef struct fa_osim_joint {
    int kind;
    double RPF[9], pPF[3]; /* F frame in the parent body frame */
    double RBM[9], pBM[3]; /* M frame in the child body frame */
    /* CustomJoint: 3 rotation then 3 translation axes */
    double axis[6][3]; /* unit vectors in F */
    int fn[6];         /* function index, -1 = zero */
    int fcoord[6];     /* driving coordinate, -1 = none (function at 0) */
} fa_osim_joint;

typedef struct fa_osim_coupler {
    int dep, indep, fn;
    double scale;
} fa_osim_coupler;

/* A wrap surface (cylinders and spheres are applied). */
typedef struct fa_osim_wrapobj {
    char name[128];
    int kind;         /* 0 cylinder, 1 other (not applied), 2 sphere */
    int body;
    double R[9], p[3]; /* object frame in the body frame */
    double radius, length; /* m */
    int qaxis;        /* quadrant axis 0/1/2, -1 = all */
    int qsign;        /* +1 / -1, 0 = all */
    int active;
} fa_osim_wrapobj;

/* A PathWrap of a muscle. */
typedef struct fa_osim_pathwrap {
    int obj;          /* wrap object index, -1 if unresolved/not applied */
    int start, end;   /* 1-based path point range, < 1 = first / last */
} fa_osim_pathwrap;

struct fa_osim_impl_ {
    fa_osim_wrapobj *wobj;
    int nwobj;
    fa_osim_pathwrap *pwrap; /* [sum of muscle_nwrap], muscle i's at pwrap_adr[i] */
    int *pwrap_adr;          /* [nmuscle] */
    int wrap_enabled;        /* apply cylinder wrapping in muscle lengths */
    fa_osim_joint *joint; /* [njoint] */
    int *joint_order;     /* [njoint] parent-before-child order */
    fa_osim_fn *fn;
    int nfn, capfn;
    double *pool;
    int npool, cappool;
    fa_osim_coupler *cpl;
    int ncpl;
    /* moving points: function per axis (-1 = zero) and coordinate per axis (-1) */
    int *point_fn;    /* [3*npoint] */
    int *point_fcoord; /* [3*npoint] */
    char *names;      /* packed NUL-terminated names */
    size_t nnames, capnames;
};

/* Functions (func.c). */
FA_HIDDEN double fa_osim_fn_eval(const struct fa_osim_impl_ *im, int f, double x);
/* Fit FMM spline coefficients for n knots x[n], y[n] into b, c, d. x strictly increasing. */
FA_HIDDEN void fa_osim_fmm_spline(int n, const double *x, const double *y, double *b, double *c,
                                  double *d);
FA_HIDDEN double fa_osim_fmm_eval(int n, const double *x, const double *y, const double *b,
                                  const double *c, const double *d, double u);

/* Rotation helpers (kin.c). Row-major 3x3. */
FA_HIDDEN void fa_osim_rot_axis(double R[9], const double axis[3], double angle);
FA_HIDDEN void fa_osim_rot_xyz(double R[9], const double e[3]);
FA_HIDDEN void fa_osim_mat_mul(double C[9], const double A[9], const double B[9]);
FA_HIDDEN void fa_osim_mat_vec(double r[3], const double A[9], const double v[3]);

#endif
