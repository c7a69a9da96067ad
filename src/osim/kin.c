/* SPDX-License-Identifier: MIT */
/* OpenSim forward kinematics and muscle-tendon path lengths.
 *
 * Body pose: X_G,child = X_G,parent * X_parent,F * X_FM(q) * (X_child,M)^-1,
 * with F and M the joint's parent and child frames. CustomJoint:
 * R_FM = Rot(f1(q), a1) Rot(f2(q), a2) Rot(f3(q), a3) (successive body-fixed
 * rotations about the three rotation axes) and p_FM = f4 a4 + f5 a5 + f6 a6
 * expressed in F — Simbody's FunctionBased mobilizer. Frame orientations are
 * body-fixed X-Y-Z Euler angles, R = Rx(a) Ry(b) Rz(c). Path length: the sum
 * of straight segments between consecutive active path points (no wrapping). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "osim/osim_internal.h"

void fa_osim_mat_mul(double C[9], const double A[9], const double B[9])
{
    double T[9];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            T[3 * i + j] = A[3 * i] * B[j] + A[3 * i + 1] * B[3 + j] + A[3 * i + 2] * B[6 + j];
    memcpy(C, T, sizeof T);
}

void fa_osim_mat_vec(double r[3], const double A[9], const double v[3])
{
    double t[3];
    for (int i = 0; i < 3; i++) t[i] = A[3 * i] * v[0] + A[3 * i + 1] * v[1] + A[3 * i + 2] * v[2];
    memcpy(r, t, sizeof t);
}

/* Rodrigues: rotation by angle about the unit axis. */
void fa_osim_rot_axis(double R[9], const double u[3], double angle)
{
    double c = cos(angle), s = sin(angle), v = 1.0 - c;
    double x = u[0], y = u[1], z = u[2];
    R[0] = c + x * x * v;
    R[1] = x * y * v - z * s;
    R[2] = x * z * v + y * s;
    R[3] = y * x * v + z * s;
    R[4] = c + y * y * v;
    R[5] = y * z * v - x * s;
    R[6] = z * x * v - y * s;
    R[7] = z * y * v + x * s;
    R[8] = c + z * z * v;
}

void fa_osim_rot_xyz(double R[9], const double e[3])
{
    static const double X[3] = {1, 0, 0}, Y[3] = {0, 1, 0}, Z[3] = {0, 0, 1};
    double A[9], B[9], C[9];
    fa_osim_rot_axis(A, X, e[0]);
    fa_osim_rot_axis(B, Y, e[1]);
    fa_osim_rot_axis(C, Z, e[2]);
    fa_osim_mat_mul(A, A, B);
    fa_osim_mat_mul(R, A, C);
}

fa_status fa_osim_pose_init(const fa_osim *m, fa_osim_pose *pose, fa_error *err)
{
    memset(pose, 0, sizeof *pose);
    pose->ncoord = m->ncoord;
    pose->nbody = m->nbody;
    pose->q = calloc((size_t)(m->ncoord > 0 ? m->ncoord : 1), sizeof(double));
    pose->body_R = calloc((size_t)9 * (size_t)m->nbody, sizeof(double));
    pose->body_p = calloc((size_t)3 * (size_t)m->nbody, sizeof(double));
    if (!pose->q || !pose->body_R || !pose->body_p) {
        fa_osim_pose_free(pose);
        return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "out of memory for a pose");
    }
    fa_osim_pose_defaults(m, pose);
    fa_osim_fk(m, pose);
    return FA_OK;
}

void fa_osim_pose_free(fa_osim_pose *pose)
{
    if (!pose) return;
    free(pose->q);
    free(pose->body_R);
    free(pose->body_p);
    memset(pose, 0, sizeof *pose);
}

void fa_osim_pose_defaults(const fa_osim *m, fa_osim_pose *pose)
{
    memcpy(pose->q, m->coord_default, (size_t)m->ncoord * sizeof(double));
    fa_osim_apply_couplers(m, pose);
}

void fa_osim_apply_couplers(const fa_osim *m, fa_osim_pose *pose)
{
    const struct fa_osim_impl_ *im = m->impl;
    for (int i = 0; i < im->ncpl; i++) {
        const fa_osim_coupler *c = &im->cpl[i];
        pose->q[c->dep] = c->scale * fa_osim_fn_eval(im, c->fn, pose->q[c->indep]);
    }
}

/* Mobilizer transform X_FM(q) of joint j. */
static void joint_xfm(const fa_osim *m, int j, const double *q, double R[9], double p[3])
{
    const struct fa_osim_impl_ *im = m->impl;
    const fa_osim_joint *J = &im->joint[j];
    const double *qj = q + m->joint_coord_adr[j];
    static const double X[3] = {1, 0, 0}, Y[3] = {0, 1, 0}, Z[3] = {0, 0, 1};
    static const double I[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    double A[9];
    memcpy(R, I, sizeof I);
    p[0] = p[1] = p[2] = 0.0;
    switch (J->kind) {
    case FA_J_CUSTOM:
        for (int a = 0; a < 6; a++) {
            if (J->fn[a] < 0) continue;
            double x = J->fcoord[a] >= 0 ? q[J->fcoord[a]] : 0.0;
            double v = fa_osim_fn_eval(im, J->fn[a], x);
            if (a < 3) {
                fa_osim_rot_axis(A, J->axis[a], v);
                fa_osim_mat_mul(R, R, A);
            } else {
                for (int k = 0; k < 3; k++) p[k] += v * J->axis[a][k];
            }
        }
        break;
    case FA_J_PIN: fa_osim_rot_axis(R, Z, qj[0]); break;
    case FA_J_UNIVERSAL:
        fa_osim_rot_axis(R, X, qj[0]);
        fa_osim_rot_axis(A, Y, qj[1]);
        fa_osim_mat_mul(R, R, A);
        break;
    case FA_J_GIMBAL: fa_osim_rot_xyz(R, qj); break;
    case FA_J_FREE:
        fa_osim_rot_xyz(R, qj);
        p[0] = qj[3];
        p[1] = qj[4];
        p[2] = qj[5];
        break;
    case FA_J_SLIDER: p[0] = qj[0]; break;
    case FA_J_PLANAR:
        fa_osim_rot_axis(R, Z, qj[0]);
        p[0] = qj[1];
        p[1] = qj[2];
        break;
    default: break;
    }
}

void fa_osim_fk(const fa_osim *m, fa_osim_pose *pose)
{
    const struct fa_osim_impl_ *im = m->impl;
    static const double I[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    memcpy(pose->body_R, I, sizeof I);
    pose->body_p[0] = pose->body_p[1] = pose->body_p[2] = 0.0;
    for (int o = 0; o < m->njoint; o++) {
        int j = im->joint_order[o];
        const fa_osim_joint *J = &im->joint[j];
        int pb = m->joint_parent[j], cb = m->joint_child[j];
        const double *RGP = pose->body_R + 9 * pb, *pGP = pose->body_p + 3 * pb;
        double RGF[9], pGF[3], RFM[9], pFM[3], RGM[9], pGM[3], t[3];
        /* X_GF = X_GP X_PF */
        fa_osim_mat_mul(RGF, RGP, J->RPF);
        fa_osim_mat_vec(t, RGP, J->pPF);
        for (int k = 0; k < 3; k++) pGF[k] = pGP[k] + t[k];
        /* X_GM = X_GF X_FM */
        joint_xfm(m, j, pose->q, RFM, pFM);
        fa_osim_mat_mul(RGM, RGF, RFM);
        fa_osim_mat_vec(t, RGF, pFM);
        for (int k = 0; k < 3; k++) pGM[k] = pGF[k] + t[k];
        /* X_GB = X_GM X_BM^-1: R_GB = R_GM R_BM^T, p_GB = p_GM - R_GB p_BM */
        double RBMt[9];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++) RBMt[3 * a + b] = J->RBM[3 * b + a];
        double *RGB = pose->body_R + 9 * cb, *pGB = pose->body_p + 3 * cb;
        fa_osim_mat_mul(RGB, RGM, RBMt);
        fa_osim_mat_vec(t, RGB, J->pBM);
        for (int k = 0; k < 3; k++) pGB[k] = pGM[k] - t[k];
    }
}

void fa_osim_point_world(const fa_osim_pose *pose, int b, const double local[3], double out[3])
{
    double t[3];
    fa_osim_mat_vec(t, pose->body_R + 9 * b, local);
    for (int k = 0; k < 3; k++) out[k] = pose->body_p[3 * b + k] + t[k];
}

void fa_osim_marker_world(const fa_osim *m, const fa_osim_pose *pose, int i, double out[3])
{
    fa_osim_point_world(pose, m->marker_body[i], m->marker_loc + 3 * i, out);
}

int fa_osim_point_local(const fa_osim *m, const fa_osim_pose *pose, int k, double out[3])
{
    const struct fa_osim_impl_ *im = m->impl;
    switch (m->point_kind[k]) {
    case FA_OSIM_POINT_MOVING:
        for (int a = 0; a < 3; a++) {
            int qc = im->point_fcoord[3 * k + a];
            out[a] = fa_osim_fn_eval(im, im->point_fn[3 * k + a], qc >= 0 ? pose->q[qc] : 0.0);
        }
        return 1;
    case FA_OSIM_POINT_CONDITIONAL: {
        memcpy(out, m->point_loc + 3 * k, 3 * sizeof(double));
        double q = pose->q[m->point_coord[k]];
        return q >= m->point_range[2 * k] && q <= m->point_range[2 * k + 1];
    }
    default: memcpy(out, m->point_loc + 3 * k, 3 * sizeof(double)); return 1;
    }
}

int fa_osim_muscle_path(const fa_osim *m, const fa_osim_pose *pose, int i, double *pts, int maxpts);

/* ---------- cylinder wrapping ---------- */

enum { WRAP_NONE = 0, WRAP_INSIDE, WRAP_WRAPPED, WRAP_MANDATORY };

static double wrap_2pi(double a)
{
    const double tau = 2.0 * 3.14159265358979323846;
    a = fmod(a, tau);
    return a < 0.0 ? a + tau : a;
}

/* Wrap segment P-Q (world) over cylinder o: on success r1, r2 (world) and the
 * length of the helical arc between them. The path is the geodesic: straight
 * tangent lines and a helix, straight when the cylinder is unrolled. */
static int wrap_cylinder(const fa_osim_wrapobj *o, const fa_osim_pose *pose, const double Pw[3],
                         const double Qw[3], double r1w[3], double r2w[3], double *arc)
{
    /* cylinder frame in ground */
    double RG[9], pG[3], t[3];
    fa_osim_mat_mul(RG, pose->body_R + 9 * o->body, o->R);
    fa_osim_mat_vec(t, pose->body_R + 9 * o->body, o->p);
    for (int k = 0; k < 3; k++) pG[k] = pose->body_p[3 * o->body + k] + t[k];
    double P[3], Q[3], d[3];
    for (int k = 0; k < 3; k++) d[k] = Pw[k] - pG[k];
    for (int k = 0; k < 3; k++) P[k] = RG[k] * d[0] + RG[3 + k] * d[1] + RG[6 + k] * d[2];
    for (int k = 0; k < 3; k++) d[k] = Qw[k] - pG[k];
    for (int k = 0; k < 3; k++) Q[k] = RG[k] * d[0] + RG[3 + k] * d[1] + RG[6 + k] * d[2];
    double r = o->radius, r2 = r * r;
    double rP2 = P[0] * P[0] + P[1] * P[1], rQ2 = Q[0] * Q[0] + Q[1] * Q[1];
    if (rP2 < r2 || rQ2 < r2) return WRAP_INSIDE;
    double D[3] = {Q[0] - P[0], Q[1] - P[1], Q[2] - P[2]};
    double dxy2 = D[0] * D[0] + D[1] * D[1];
    double t12 = dxy2 > 0.0 ? -(P[0] * D[0] + P[1] * D[1]) / dxy2 : 0.0;
    double near[3] = {P[0] + t12 * D[0], P[1] + t12 * D[1], P[2] + t12 * D[2]};
    int hits = near[0] * near[0] + near[1] * near[1] < r2 && t12 > 0.0 && t12 < 1.0;
    int status;
    int a = o->qaxis, sg = o->qsign;
    if (!sg) {
        if (!hits) return WRAP_NONE;
        status = WRAP_MANDATORY;
    } else {
        int sP = P[a] >= 0.0 ? 1 : -1, sQ = Q[a] >= 0.0 ? 1 : -1, sN = near[a] >= 0.0 ? 1 : -1;
        if (sP == sg || sQ == sg) {
            if (hits)
                status = WRAP_MANDATORY;
            else if (sP != sQ && sN != sg)
                status = WRAP_WRAPPED;
            else
                return WRAP_NONE;
        } else
            status = WRAP_WRAPPED; /* both ends on the inactive side: the path must go round */
    }
    double rP = sqrt(rP2), rQ = sqrt(rQ2);
    double thP = atan2(P[1], P[0]), thQ = atan2(Q[1], Q[0]);
    double aP = acos(r / rP), aQ = acos(r / rQ);
    /* counter-clockwise (about +z) and clockwise candidates */
    double f1c = thP + aP, f2c = thQ - aQ, dc = wrap_2pi(f2c - f1c);
    double f1w = thP - aP, f2w = thQ + aQ, dw = wrap_2pi(f1w - f2w);
    int ccw = dc <= dw;
    if (sg && a < 2) {
        double mc = f1c + 0.5 * dc, mw = f1w - 0.5 * dw;
        double vc = a == 0 ? cos(mc) : sin(mc), vw = a == 0 ? cos(mw) : sin(mw);
        int okc = (vc >= 0.0 ? 1 : -1) == sg, okw = (vw >= 0.0 ? 1 : -1) == sg;
        if (okc != okw) ccw = okc;
    }
    double f1 = ccw ? f1c : f1w, f2 = ccw ? f2c : f2w, dl = ccw ? dc : dw;
    double dP = sqrt(rP2 - r2), dQ = sqrt(rQ2 - r2), s_arc = r * dl;
    double S = dP + s_arc + dQ;
    double z1 = P[2] + (Q[2] - P[2]) * dP / S, z2 = P[2] + (Q[2] - P[2]) * (dP + s_arc) / S;
    double h = 0.5 * o->length;
    if ((z1 < -h || z1 > h) && (z2 < -h || z2 > h)) return WRAP_NONE;
    double c1[3] = {r * cos(f1), r * sin(f1), z1}, c2[3] = {r * cos(f2), r * sin(f2), z2};
    fa_osim_mat_vec(t, RG, c1);
    for (int k = 0; k < 3; k++) r1w[k] = pG[k] + t[k];
    fa_osim_mat_vec(t, RG, c2);
    for (int k = 0; k < 3; k++) r2w[k] = pG[k] + t[k];
    *arc = sqrt(s_arc * s_arc + (z2 - z1) * (z2 - z1));
    return status;
}

/* Wrap segment P-Q (world) over sphere o: the shortest path lies in the plane
 * through P, Q and the centre: tangent lines and a great-circle arc. Same
 * wrap conditions as the cylinder, with the closest approach measured to the
 * centre. */
static int wrap_sphere(const fa_osim_wrapobj *o, const fa_osim_pose *pose, const double Pw[3],
                       const double Qw[3], double r1w[3], double r2w[3], double *arc)
{
    double RG[9], pG[3], t[3];
    fa_osim_mat_mul(RG, pose->body_R + 9 * o->body, o->R);
    fa_osim_mat_vec(t, pose->body_R + 9 * o->body, o->p);
    for (int k = 0; k < 3; k++) pG[k] = pose->body_p[3 * o->body + k] + t[k];
    double P[3], Q[3], d[3];
    for (int k = 0; k < 3; k++) d[k] = Pw[k] - pG[k];
    for (int k = 0; k < 3; k++) P[k] = RG[k] * d[0] + RG[3 + k] * d[1] + RG[6 + k] * d[2];
    for (int k = 0; k < 3; k++) d[k] = Qw[k] - pG[k];
    for (int k = 0; k < 3; k++) Q[k] = RG[k] * d[0] + RG[3 + k] * d[1] + RG[6 + k] * d[2];
    double r = o->radius, r2 = r * r;
    double rP2 = P[0] * P[0] + P[1] * P[1] + P[2] * P[2], rQ2 = Q[0] * Q[0] + Q[1] * Q[1] + Q[2] * Q[2];
    if (rP2 < r2 || rQ2 < r2) return WRAP_INSIDE;
    double D[3] = {Q[0] - P[0], Q[1] - P[1], Q[2] - P[2]};
    double dd = D[0] * D[0] + D[1] * D[1] + D[2] * D[2];
    double t12 = dd > 0.0 ? -(P[0] * D[0] + P[1] * D[1] + P[2] * D[2]) / dd : 0.0;
    double near[3] = {P[0] + t12 * D[0], P[1] + t12 * D[1], P[2] + t12 * D[2]};
    int hits = near[0] * near[0] + near[1] * near[1] + near[2] * near[2] < r2 && t12 > 0.0 && t12 < 1.0;
    int status, a = o->qaxis, sg = o->qsign;
    if (!sg) {
        if (!hits) return WRAP_NONE;
        status = WRAP_MANDATORY;
    } else {
        int sP = P[a] >= 0.0 ? 1 : -1, sQ = Q[a] >= 0.0 ? 1 : -1, sN = near[a] >= 0.0 ? 1 : -1;
        if (sP == sg || sQ == sg) {
            if (hits)
                status = WRAP_MANDATORY;
            else if (sP != sQ && sN != sg)
                status = WRAP_WRAPPED;
            else
                return WRAP_NONE;
        } else
            status = WRAP_WRAPPED;
    }
    /* plane basis: e1 along P, e2 towards Q (or, if P, Q and the centre are
     * aligned, any direction perpendicular to P) */
    double rP = sqrt(rP2), rQ = sqrt(rQ2);
    double e1[3] = {P[0] / rP, P[1] / rP, P[2] / rP}, e2[3];
    double qd = (Q[0] * e1[0] + Q[1] * e1[1] + Q[2] * e1[2]);
    for (int k = 0; k < 3; k++) e2[k] = Q[k] - qd * e1[k];
    double n2 = sqrt(e2[0] * e2[0] + e2[1] * e2[1] + e2[2] * e2[2]);
    if (n2 < 1e-12 * rQ) {
        double ax[3] = {0, 0, 0};
        ax[fabs(e1[0]) < 0.9 ? 0 : 1] = 1.0;
        double dt = ax[0] * e1[0] + ax[1] * e1[1] + ax[2] * e1[2];
        for (int k = 0; k < 3; k++) e2[k] = ax[k] - dt * e1[k];
        n2 = sqrt(e2[0] * e2[0] + e2[1] * e2[1] + e2[2] * e2[2]);
    }
    for (int k = 0; k < 3; k++) e2[k] /= n2;
    double thQ = atan2(Q[0] * e2[0] + Q[1] * e2[1] + Q[2] * e2[2], qd); /* in [0, pi] */
    double aP = acos(r / rP), aQ = acos(r / rQ);
    double f1c = aP, f2c = thQ - aQ, dc = wrap_2pi(f2c - f1c);
    double f1w = -aP, f2w = thQ + aQ, dw = wrap_2pi(f1w - f2w);
    int ccw = dc <= dw;
    if (sg) {
        double mc = f1c + 0.5 * dc, mw = f1w - 0.5 * dw;
        double vc = cos(mc) * e1[a] + sin(mc) * e2[a], vw = cos(mw) * e1[a] + sin(mw) * e2[a];
        int okc = (vc >= 0.0 ? 1 : -1) == sg, okw = (vw >= 0.0 ? 1 : -1) == sg;
        if (okc != okw) ccw = okc;
    }
    double f1 = ccw ? f1c : f1w, f2 = ccw ? f2c : f2w, dl = ccw ? dc : dw;
    double c1[3], c2[3];
    for (int k = 0; k < 3; k++) {
        c1[k] = r * (cos(f1) * e1[k] + sin(f1) * e2[k]);
        c2[k] = r * (cos(f2) * e1[k] + sin(f2) * e2[k]);
    }
    fa_osim_mat_vec(t, RG, c1);
    for (int k = 0; k < 3; k++) r1w[k] = pG[k] + t[k];
    fa_osim_mat_vec(t, RG, c2);
    for (int k = 0; k < 3; k++) r2w[k] = pG[k] + t[k];
    *arc = r * dl;
    return status;
}

static double dist3(const double *a, const double *b)
{
    double d[3] = {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

/* One node of a wrapped path. */
typedef struct pnode {
    double x[3];
    int orig;   /* path point (0-based within the muscle), -1 for a wrap point */
    int wrap;   /* PathWrap (0-based within the muscle) for wrap points, else -1 */
    double arc; /* second wrap point: helical length from the first */
} pnode;

static double nodes_length(const pnode *nd, int n)
{
    double len = 0.0;
    for (int i = 1; i < n; i++)
        len += (nd[i].wrap >= 0 && nd[i - 1].wrap == nd[i].wrap) ? nd[i].arc : dist3(nd[i - 1].x, nd[i].x);
    return len;
}

/* The path of muscle i with wrapping applied: nodes into nd (capacity
 * npoint + 2*nwrap). Returns the node count. */
static int muscle_nodes(const fa_osim *m, const fa_osim_pose *pose, int i, pnode *nd)
{
    const struct fa_osim_impl_ *im = m->impl;
    int n = 0, adr = m->muscle_point_adr[i], num = m->muscle_point_num[i];
    for (int k = 0; k < num; k++) {
        double loc[3];
        if (!fa_osim_point_local(m, pose, adr + k, loc)) continue;
        fa_osim_point_world(pose, m->point_body[adr + k], loc, nd[n].x);
        nd[n].orig = k;
        nd[n].wrap = -1;
        nd[n].arc = 0.0;
        n++;
    }
    int nw = m->muscle_nwrap[i];
    if (!im->wrap_enabled || nw == 0 || n < 2) return n;
    const fa_osim_pathwrap *pw = im->pwrap + im->pwrap_adr[i];
    int iters = nw < 2 ? 1 : 8;
    double last = INFINITY;
    for (int it = 0; it < iters; it++) {
        for (int w = 0; w < nw; w++) {
            /* remove this wrap's points */
            int j = 0;
            for (int k = 0; k < n; k++)
                if (nd[k].wrap != w) nd[j++] = nd[k];
            n = j;
            const fa_osim_wrapobj *o = pw[w].obj >= 0 ? &im->wobj[pw[w].obj] : NULL;
            if (!o || o->kind == 1 || !o->active) continue;
            int ws = pw[w].start < 1 ? 0 : pw[w].start - 1;
            int we = pw[w].end < 1 ? num - 1 : pw[w].end - 1;
            int s = -1, e = -1;
            for (int k = 0; k < n; k++)
                if (nd[k].orig >= ws && nd[k].orig <= we) {
                    if (s < 0) s = k;
                    e = k;
                }
            if (s < 0 || e <= s) continue;
            int best = -1;
            double bmin = INFINITY, br1[3], br2[3], barc = 0.0;
            for (int p1 = s; p1 < e; p1++) {
                int p2 = p1 + 1;
                if (nd[p1].wrap >= 0 && nd[p1].wrap == nd[p2].wrap) continue;
                double r1[3], r2[3], arc;
                int st = o->kind == 2 ? wrap_sphere(o, pose, nd[p1].x, nd[p2].x, r1, r2, &arc)
                                      : wrap_cylinder(o, pose, nd[p1].x, nd[p2].x, r1, r2, &arc);
                if (st == WRAP_MANDATORY) {
                    best = p1;
                    memcpy(br1, r1, sizeof r1);
                    memcpy(br2, r2, sizeof r2);
                    barc = arc;
                    break;
                }
                if (st == WRAP_WRAPPED) {
                    double ch = dist3(nd[p1].x, r1) + arc + dist3(r2, nd[p2].x) - dist3(nd[p1].x, nd[p2].x);
                    if (ch < bmin) {
                        bmin = ch;
                        best = p1;
                        memcpy(br1, r1, sizeof r1);
                        memcpy(br2, r2, sizeof r2);
                        barc = arc;
                    }
                }
            }
            if (best < 0) continue;
            memmove(nd + best + 3, nd + best + 1, (size_t)(n - best - 1) * sizeof *nd);
            memcpy(nd[best + 1].x, br1, sizeof br1);
            nd[best + 1].orig = -1;
            nd[best + 1].wrap = w;
            nd[best + 1].arc = 0.0;
            memcpy(nd[best + 2].x, br2, sizeof br2);
            nd[best + 2].orig = -1;
            nd[best + 2].wrap = w;
            nd[best + 2].arc = barc;
            n += 2;
        }
        double len = nodes_length(nd, n);
        if (fabs(len - last) < 0.0005) break;
        last = len;
    }
    return n;
}

double fa_osim_muscle_length(const fa_osim *m, const fa_osim_pose *pose, int i)
{
    pnode stackbuf[64];
    int cap = m->muscle_point_num[i] + 2 * m->muscle_nwrap[i];
    pnode *nd = cap <= 64 ? stackbuf : malloc((size_t)cap * sizeof *nd);
    if (!nd) return NAN;
    int n = muscle_nodes(m, pose, i, nd);
    double len = nodes_length(nd, n);
    if (nd != stackbuf) free(nd);
    return len;
}

void fa_osim_set_wrapping(fa_osim *m, int on) { m->impl->wrap_enabled = on ? 1 : 0; }

int fa_osim_muscle_path(const fa_osim *m, const fa_osim_pose *pose, int i, double *pts, int maxpts)
{
    pnode stackbuf[64];
    int cap = m->muscle_point_num[i] + 2 * m->muscle_nwrap[i];
    pnode *nd = cap <= 64 ? stackbuf : malloc((size_t)cap * sizeof *nd);
    if (!nd) return 0;
    int n = muscle_nodes(m, pose, i, nd);
    for (int k = 0; k < n && k < maxpts; k++) memcpy(pts + 3 * k, nd[k].x, 3 * sizeof(double));
    if (nd != stackbuf) free(nd);
    return n;
}

int fa_osim_axis_eval(const fa_osim *m, int j, int a, double q, double *value, double axis[3], int *coord)
{
    if (j < 0 || j >= m->njoint || a < 0 || a > 5) return -1;
    const fa_osim_joint *J = &m->impl->joint[j];
    if (J->kind != FA_J_CUSTOM) return -1;
    *value = fa_osim_fn_eval(m->impl, J->fn[a], q);
    memcpy(axis, J->axis[a], 3 * sizeof(double));
    *coord = J->fcoord[a];
    return 0;
}

/* Does coordinate q (or a coupled dependent of q) move body b relative to ground? */
static int moves_body(const fa_osim *m, int q, int b)
{
    const struct fa_osim_impl_ *im = m->impl;
    for (; b > 0; b = m->joint_parent[m->body_joint[b]]) {
        int j = m->body_joint[b];
        for (int k = m->joint_coord_adr[j]; k < m->joint_coord_adr[j] + m->joint_coord_num[j]; k++) {
            if (k == q) return 1;
            for (int c = 0; c < im->ncpl; c++)
                if (im->cpl[c].dep == k && im->cpl[c].indep == q) return 1;
        }
    }
    return 0;
}

/* 1 if the path of muscle i can change with coordinate q: its bodies (points
 * and wrap objects) move relative to one another, or a conditional or moving
 * point depends on q or a coupled dependent of q. */
static int path_depends_on(const fa_osim *m, int i, int q)
{
    const struct fa_osim_impl_ *im = m->impl;
    int moved = -1;
    for (int k = m->muscle_point_adr[i]; k < m->muscle_point_adr[i] + m->muscle_point_num[i]; k++) {
        int mv = moves_body(m, q, m->point_body[k]);
        if (moved >= 0 && mv != moved) return 1;
        moved = mv;
        int dep[4] = {m->point_coord[k], im->point_fcoord[3 * k], im->point_fcoord[3 * k + 1], im->point_fcoord[3 * k + 2]};
        for (int a = 0; a < 4; a++) {
            if (dep[a] < 0) continue;
            if (dep[a] == q) return 1;
            for (int c = 0; c < im->ncpl; c++)
                if (im->cpl[c].dep == dep[a] && im->cpl[c].indep == q) return 1;
        }
    }
    for (int w = 0; w < m->muscle_nwrap[i]; w++) {
        int o = im->pwrap[im->pwrap_adr[i] + w].obj;
        if (o >= 0 && moves_body(m, q, im->wobj[o].body) != moved) return 1;
    }
    return 0;
}

double fa_osim_moment_arm(const fa_osim *m, fa_osim_pose *pose, int i, int q)
{
    const struct fa_osim_impl_ *im = m->impl;
    if (!path_depends_on(m, i, q)) return 0.0;
    const double h = 1e-5; /* rad or m: central difference, truncation error ~ h^2 d3L/dq3 */
    double q0 = pose->q[q], L[2];
    for (int s = 0; s < 2; s++) {
        double dq = s ? -h : h;
        pose->q[q] = q0 + dq;
        /* coupled dependents move with their independent coordinate */
        for (int k = 0; k < im->ncpl; k++)
            if (im->cpl[k].indep == q)
                pose->q[im->cpl[k].dep] += im->cpl[k].scale * (fa_osim_fn_eval(im, im->cpl[k].fn, q0 + dq) -
                                                                fa_osim_fn_eval(im, im->cpl[k].fn, q0));
        fa_osim_fk(m, pose);
        L[s] = fa_osim_muscle_length(m, pose, i);
        for (int k = 0; k < im->ncpl; k++)
            if (im->cpl[k].indep == q)
                pose->q[im->cpl[k].dep] -= im->cpl[k].scale * (fa_osim_fn_eval(im, im->cpl[k].fn, q0 + dq) -
                                                                fa_osim_fn_eval(im, im->cpl[k].fn, q0));
    }
    pose->q[q] = q0;
    fa_osim_fk(m, pose);
    return -(L[0] - L[1]) / (2.0 * h);
}
