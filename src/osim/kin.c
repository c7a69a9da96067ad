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

int fa_osim_muscle_path(const fa_osim *m, const fa_osim_pose *pose, int i, double *pts, int maxpts)
{
    int n = 0;
    for (int k = m->muscle_point_adr[i]; k < m->muscle_point_adr[i] + m->muscle_point_num[i]; k++) {
        double loc[3];
        if (!fa_osim_point_local(m, pose, k, loc)) continue;
        if (n < maxpts) fa_osim_point_world(pose, m->point_body[k], loc, pts + 3 * n);
        n++;
    }
    return n;
}

double fa_osim_muscle_length(const fa_osim *m, const fa_osim_pose *pose, int i)
{
    double prev[3], cur[3], len = 0.0;
    int have = 0;
    for (int k = m->muscle_point_adr[i]; k < m->muscle_point_adr[i] + m->muscle_point_num[i]; k++) {
        double loc[3];
        if (!fa_osim_point_local(m, pose, k, loc)) continue;
        fa_osim_point_world(pose, m->point_body[k], loc, cur);
        if (have) {
            double d[3] = {cur[0] - prev[0], cur[1] - prev[1], cur[2] - prev[2]};
            len += sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        }
        memcpy(prev, cur, sizeof cur);
        have = 1;
    }
    return len;
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
