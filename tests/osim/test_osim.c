/* SPDX-License-Identifier: MIT */
/* OpenSim importer tests. Expected numbers come from outside the importer:
 * element counts from xmllint XPath queries on the staged files (quoted
 * below), knot values read from the XML, hand-written kinematic chains with
 * their own rotation code, the cubic a SimmSpline must reproduce, and the
 * header facts of the motion files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "fascia/osim.h"
#include "osim/osim_internal.h"

#define DATA "data/opensim/"
#define PI 3.14159265358979323846

/* ---- independent little rotation kit (column vectors, row-major) ---- */
static void rz(double R[9], double a)
{
    double c = cos(a), s = sin(a);
    double t[9] = {c, -s, 0, s, c, 0, 0, 0, 1};
    memcpy(R, t, sizeof t);
}
static void rx(double R[9], double a)
{
    double c = cos(a), s = sin(a);
    double t[9] = {1, 0, 0, 0, c, -s, 0, s, c};
    memcpy(R, t, sizeof t);
}
static void ry(double R[9], double a)
{
    double c = cos(a), s = sin(a);
    double t[9] = {c, 0, s, 0, 1, 0, -s, 0, c};
    memcpy(R, t, sizeof t);
}
static void mm(double C[9], const double A[9], const double B[9])
{
    double T[9] = {0};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++) T[3 * i + j] += A[3 * i + k] * B[3 * k + j];
    memcpy(C, T, sizeof T);
}
static void mv(double r[3], const double A[9], const double v[3])
{
    double t[3];
    for (int i = 0; i < 3; i++) t[i] = A[3 * i] * v[0] + A[3 * i + 1] * v[1] + A[3 * i + 2] * v[2];
    memcpy(r, t, sizeof t);
}
/* r = p + R v */
static void xf(double r[3], const double p[3], const double R[9], const double v[3])
{
    double t[3];
    mv(t, R, v);
    for (int i = 0; i < 3; i++) r[i] = p[i] + t[i];
}
static double dist(const double a[3], const double b[3])
{
    return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

static fa_osim *load(const char *path)
{
    fa_osim *m = NULL;
    fa_error err;
    fa_status st = fa_osim_load(path, &m, &err);
    CHECK_MSG(st == FA_OK, "%s: %s", path, err.msg);
    return st == FA_OK ? m : NULL;
}

/* ---------------- SimmSpline (FMM) ---------------- */
static double cubic(double x) { return 0.3 - 1.1 * x + 0.7 * x * x - 0.25 * x * x * x; }
static double dcubic(double x) { return -1.1 + 1.4 * x - 0.75 * x * x; }

static void test_spline(void)
{
    /* unequal spacing; >= 4 knots: FMM end conditions reproduce any cubic */
    double x[7] = {-2.0, -1.3, -0.2, 0.0, 0.9, 1.7, 3.0}, y[7], b[7], c[7], d[7];
    for (int i = 0; i < 7; i++) y[i] = cubic(x[i]);
    fa_osim_fmm_spline(7, x, y, b, c, d);
    for (double u = -2.0; u <= 3.0; u += 0.0625) CHECK_NEAR(fa_osim_fmm_eval(7, x, y, b, c, d, u), cubic(u), 1e-12);
    for (int i = 0; i < 7; i++) CHECK(fa_osim_fmm_eval(7, x, y, b, c, d, x[i]) == y[i]);
    /* linear extrapolation with the end slopes */
    CHECK_NEAR(fa_osim_fmm_eval(7, x, y, b, c, d, -3.0), cubic(-2.0) - dcubic(-2.0), 1e-11);
    CHECK_NEAR(fa_osim_fmm_eval(7, x, y, b, c, d, 4.5), cubic(3.0) + 1.5 * dcubic(3.0), 1e-11);
    /* 4 knots: still exact for a cubic */
    double x4[4] = {0, 0.4, 1.5, 2.0}, y4[4], b4[4], c4[4], d4[4];
    for (int i = 0; i < 4; i++) y4[i] = cubic(x4[i]);
    fa_osim_fmm_spline(4, x4, y4, b4, c4, d4);
    CHECK_NEAR(fa_osim_fmm_eval(4, x4, y4, b4, c4, d4, 1.1), cubic(1.1), 1e-12);
    /* 2 knots: a line */
    double x2[2] = {1, 3}, y2[2] = {2, 6}, b2[2], c2[2], d2[2];
    fa_osim_fmm_spline(2, x2, y2, b2, c2, d2);
    CHECK_NEAR(fa_osim_fmm_eval(2, x2, y2, b2, c2, d2, 2.5), 5.0, 1e-15);
    CHECK_NEAR(fa_osim_fmm_eval(2, x2, y2, b2, c2, d2, 0.0), 0.0, 1e-15);
    /* 3 knots through a parabola: interpolates and is C2 (not exact in between) */
    double x3[3] = {0, 1, 2}, y3[3] = {0, 1, 4}, b3[3], c3[3], d3[3];
    fa_osim_fmm_spline(3, x3, y3, b3, c3, d3);
    CHECK(fa_osim_fmm_eval(3, x3, y3, b3, c3, d3, 1.0) == 1.0);
    double h = 1e-6;
    double sl = (fa_osim_fmm_eval(3, x3, y3, b3, c3, d3, 1.0) - fa_osim_fmm_eval(3, x3, y3, b3, c3, d3, 1.0 - h)) / h;
    double sr = (fa_osim_fmm_eval(3, x3, y3, b3, c3, d3, 1.0 + h) - fa_osim_fmm_eval(3, x3, y3, b3, c3, d3, 1.0)) / h;
    CHECK_NEAR(sl, sr, 1e-5);
}

/* ---------------- counts of every staged model ---------------- */
static void test_counts(void)
{
    // Expected numbers: xmllint --xpath 'count(...)' on each file, with
    // /OpenSimDocument/Model/ + BodySet/objects/Body, JointSet/objects/<any>,
    // JointSet/objects/<any>/coordinates/Coordinate, MarkerSet/objects/Marker,
    // ForceSet/objects/<any>[GeometryPath], .../GeometryPath/PathPointSet/objects/<any>,
    // ...ConditionalPathPoint, ...MovingPathPoint, ForceSet/objects/<any>[PathWrapSet entries].
    // v4 bodies + 1 for Ground; v3 BodySet includes ground and joints are Body/Joint/<any>.
    static const struct {
        const char *file;
        int nbody, njoint, ncoord, nmarker, nmuscle, npoint, ncond, nmov, nwrapped;
    } t[] = {
        {DATA "models/opensim4/Rajagopal2016.osim", 22 + 1, 22, 39, 66, 80, 288, 0, 0, 42},
        {DATA "models/opensim4/gait2392_millard2012muscle.osim", 12 + 1, 12, 23, 0, 92, 322, 26, 8, 0},
        {DATA "models/opensim4/FullBodyModel_Hamner2010_v2_0.osim", 20 + 1, 20, 37, 83, 92, 322, 26, 8, 0},
        {DATA "models/opensim3/Rajagopal2015.osim", 23, 22, 39, 66, 80, 288, 0, 0, 42},
        {DATA "models/opensim3/toyLigamentModel.osim", 3, 2, 7, 0, 4, 8, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        fa_osim *m = load(t[i].file);
        if (!m) continue;
        CHECK_MSG(m->nbody == t[i].nbody, "%s bodies %d", t[i].file, m->nbody);
        CHECK_MSG(m->njoint == t[i].njoint, "%s joints %d", t[i].file, m->njoint);
        CHECK_MSG(m->ncoord == t[i].ncoord, "%s coords %d", t[i].file, m->ncoord);
        CHECK_MSG(m->nmarker == t[i].nmarker, "%s markers %d", t[i].file, m->nmarker);
        CHECK_MSG(m->nmuscle == t[i].nmuscle, "%s muscles %d", t[i].file, m->nmuscle);
        CHECK_MSG(m->npoint == t[i].npoint, "%s points %d", t[i].file, m->npoint);
        int nc = 0, nmv = 0, nw = 0;
        for (int k = 0; k < m->npoint; k++) {
            nc += m->point_kind[k] == FA_OSIM_POINT_CONDITIONAL;
            nmv += m->point_kind[k] == FA_OSIM_POINT_MOVING;
        }
        for (int k = 0; k < m->nmuscle; k++) nw += m->muscle_nwrap[k] > 0;
        CHECK(nc == t[i].ncond);
        CHECK(nmv == t[i].nmov);
        CHECK(nw == t[i].nwrapped);
        CHECK(!strcmp(m->body_name[0], "ground"));
        fa_osim_free(m);
    }
    /* muscle properties as in the file: tfl_r of Rajagopal2016 */
    fa_osim *m = load(DATA "models/opensim4/Rajagopal2016.osim");
    if (m) {
        int i = fa_osim_find_muscle(m, "tfl_r");
        CHECK(i >= 0);
        if (i >= 0) {
            CHECK(m->muscle_fmax[i] == 411.20655737704999);
            CHECK(m->muscle_lopt[i] == 0.095000000000000001);
            CHECK(m->muscle_lts[i] == 0.44949705380542798);
            CHECK(!strcmp(m->muscle_type[i], "Millard2012EquilibriumMuscle"));
            CHECK(m->muscle_point_num[i] == 4);
        }
        int b = fa_osim_find_body(m, "tibia_r");
        CHECK(b >= 0 && m->body_mass[b] > 3.0 && m->body_mass[b] < 4.5);
        int q = fa_osim_find_coord(m, "knee_angle_r_beta");
        CHECK(q >= 0 && m->coord_motion[q] == FA_OSIM_COUPLED && m->coord_indep[q] == fa_osim_find_coord(m, "knee_angle_r"));
        q = fa_osim_find_coord(m, "knee_angle_r");
        CHECK(q >= 0 && m->coord_motion[q] == FA_OSIM_ROTATIONAL);
        q = fa_osim_find_coord(m, "pelvis_ty");
        CHECK(q >= 0 && m->coord_motion[q] == FA_OSIM_TRANSLATIONAL && m->coord_default[q] == 0.93999999999999995);
        q = fa_osim_find_coord(m, "hip_flexion_r");
        CHECK(q >= 0 && m->coord_range[2 * q] == -0.52359878000000004 && m->coord_clamped[q] && !m->coord_locked[q]);
        q = fa_osim_find_coord(m, "wrist_flex_r");
        CHECK(q >= 0 && m->coord_locked[q]);
        fa_osim_free(m);
    }
    /* mesh references: grep -c '<Mesh name=\|<DisplayGeometry>' per file */
    static const struct {
        const char *file;
        int ngeom;
    } g[] = {{DATA "models/opensim4/Rajagopal2016.osim", 81},
             {DATA "models/opensim3/Rajagopal2015.osim", 81},
             {DATA "models/opensim4/FullBodyModel_Hamner2010_v2_0.osim", 79},
             {DATA "models/opensim4/gait2392_millard2012muscle.osim", 20},
             {DATA "models/opensim3/toyLigamentModel.osim", 2}};
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
        m = load(g[i].file);
        if (!m) continue;
        CHECK_MSG(m->ngeom == g[i].ngeom, "%s meshes %d", g[i].file, m->ngeom);
        int hand = 0;
        for (int k = 0; k < m->ngeom; k++)
            if (!strcmp(m->geom_file[k], "lunate_rvs.vtp")) {
                hand = 1;
                CHECK(!strcmp(m->body_name[m->geom_body[k]], "hand_r"));
                CHECK(m->geom_scale[3 * k] == 0.85 && m->geom_scale[3 * k + 2] == 0.85); /* Rajagopal hands */
            }
        if (strstr(g[i].file, "Rajagopal")) CHECK(hand);
        fa_osim_free(m);
    }
    /* load options: ligaments left out on request */
    {
        fa_osim_load_def def = FA_OSIM_LOAD_DEF_DEFAULT;
        def.include_ligaments = 0;
        fa_error e2;
        fa_osim *toy = NULL;
        CHECK(fa_osim_load_ex(DATA "models/opensim3/toyLigamentModel.osim", &def, &toy, &e2) == FA_OK);
        CHECK(toy && toy->nmuscle == 0 && toy->npoint == 0);
        fa_osim_free(toy);
    }
    /* toy ligament model: Ligament paths with resting length and pcsa force */
    m = load(DATA "models/opensim3/toyLigamentModel.osim");
    if (m) {
        int i = fa_osim_find_muscle(m, "lateralLigament");
        CHECK(i >= 0 && m->muscle_kind[i] == FA_OSIM_LIGAMENT && m->muscle_lts[i] == 0.14 && m->muscle_fmax[i] == 1000);
        fa_osim_free(m);
    }
}

/* ---------------- analytic model ---------------- */
static void test_mini(void)
{
    fa_osim *m = load("tests/osim/mini.osim");
    if (!m) return;
    CHECK(m->nbody == 5 && m->njoint == 4 && m->ncoord == 4 && m->nmuscle == 1 && m->npoint == 4 && m->nmarker == 2);
    CHECK(!strcmp(m->name, "mini"));
    CHECK(fa_osim_find_muscle(m, "default") < 0); /* <defaults> skipped */
    fa_osim_pose P;
    fa_error err;
    CHECK(fa_osim_pose_init(m, &P, &err) == FA_OK);
    int qh = fa_osim_find_coord(m, "hip_flex"), qk = fa_osim_find_coord(m, "knee_q");
    int qa = fa_osim_find_coord(m, "ankle_x"), qb = fa_osim_find_coord(m, "ankle_y");
    CHECK(P.q[qk] == 0.25); /* default */
    const double cases[4][4] = {{0.0, 0.25, 0.0, 0.0}, {0.7, 0.4, -0.3, 0.2}, {-0.4, 0.6, 0.5, -0.1}, {1.2, -0.3, 0.0, 0.9}};
    for (int c = 0; c < 4; c++) {
        double h = cases[c][0], k = cases[c][1], a = cases[c][2], b = cases[c][3];
        P.q[qh] = h;
        P.q[qk] = k;
        P.q[qa] = a;
        P.q[qb] = b;
        fa_osim_fk(m, &P);
        /* hip: PinJoint about z; F at (0,1,0) in ground, M at (0,0.2,0) in thigh */
        double Rt[9], pt[3];
        rz(Rt, h);
        double v[3] = {0, -0.2, 0};
        double g1[3] = {0, 1, 0};
        xf(pt, g1, Rt, v);
        /* knee: F = thigh (0,-0.2,0) rot z 0.3; X_FM: R = Rz(-k), p = (s(k), 2 pl(k), 0.01);
         * M = shank (0, 0.1, 0) */
        double s = 0.01 + 0.02 * k - 0.01 * k * k + 0.005 * k * k * k;
        double pl = k <= 0 ? 0.01 * k : k <= 1 ? 0.01 * k : 0.01 + 0.02 * (k - 1);
        double RF[9], RM[9], Rs[9], ps[3], w[3], u[3];
        rz(RF, 0.3);
        rz(RM, -k);
        double mback[3] = {0, -0.1, 0};
        mv(w, RM, mback);
        double pfm[3] = {s + w[0], 2 * pl + w[1], 0.01 + w[2]};
        mv(u, RF, pfm);
        double off[3] = {u[0], -0.2 + u[1], u[2]};
        xf(ps, pt, Rt, off);
        mm(Rs, Rt, RF);
        mm(Rs, Rs, RM);
        /* ankle: F = shank (0,-0.4,0) rot xyz (0.1,0.2,0.3); R_FM = Rx(a) Ry(b) */
        double A[9], B[9], C[9], Rxyz[9], Rf[9], pf[3];
        rx(A, 0.1);
        ry(B, 0.2);
        rz(C, 0.3);
        mm(Rxyz, A, B);
        mm(Rxyz, Rxyz, C);
        double v4[3] = {0, -0.4, 0};
        xf(pf, ps, Rs, v4);
        rx(A, a);
        ry(B, b);
        mm(Rf, Rs, Rxyz);
        mm(Rf, Rf, A);
        mm(Rf, Rf, B);
        /* toe welded 0.1 along foot x */
        double ptoe[3], v5[3] = {0.1, 0, 0};
        xf(ptoe, pf, Rf, v5);
        int bt = fa_osim_find_body(m, "thigh"), bs = fa_osim_find_body(m, "shank"), bf = fa_osim_find_body(m, "foot"),
            bo = fa_osim_find_body(m, "toe");
        for (int i = 0; i < 3; i++) {
            CHECK_NEAR(P.body_p[3 * bt + i], pt[i], 1e-14);
            CHECK_NEAR(P.body_p[3 * bs + i], ps[i], 1e-14);
            CHECK_NEAR(P.body_p[3 * bf + i], pf[i], 1e-14);
            CHECK_NEAR(P.body_p[3 * bo + i], ptoe[i], 1e-14);
        }
        for (int i = 0; i < 9; i++) {
            CHECK_NEAR(P.body_R[9 * bs + i], Rs[i], 1e-14);
            CHECK_NEAR(P.body_R[9 * bf + i], Rf[i], 1e-14);
        }
        /* markers: shank (0.05,0,0); toe marker on the weld's foot frame (0.1,0,0)+(0,0.01,0) */
        double mk[3], e[3], l1[3] = {0.05, 0, 0}, l2[3] = {0.1, 0.01, 0};
        fa_osim_marker_world(m, &P, fa_osim_find_marker(m, "shank_marker"), mk);
        xf(e, ps, Rs, l1);
        for (int i = 0; i < 3; i++) CHECK_NEAR(mk[i], e[i], 1e-14);
        fa_osim_marker_world(m, &P, fa_osim_find_marker(m, "toe_marker"), mk);
        xf(e, pf, Rf, l2);
        for (int i = 0; i < 3; i++) CHECK_NEAR(mk[i], e[i], 1e-14);
        /* muscle: P1 thigh, P2 shank if 0 <= k <= 0.5, P3 shank (0.1k+0.02, -0.2, 0), P4 foot */
        double p1[3], p2[3], p3[3], p4[3];
        double a1[3] = {0.02, 0, 0}, a2[3] = {0.03, 0, 0}, a3[3] = {0.1 * k + 0.02, -0.2, 0}, a4[3] = {0, -0.05, 0};
        xf(p1, pt, Rt, a1);
        xf(p2, ps, Rs, a2);
        xf(p3, ps, Rs, a3);
        xf(p4, pf, Rf, a4);
        int on = k >= 0 && k <= 0.5;
        double L = on ? dist(p1, p2) + dist(p2, p3) + dist(p3, p4) : dist(p1, p3) + dist(p3, p4);
        CHECK_NEAR(fa_osim_muscle_length(m, &P, 0), L, 1e-14);
        double pts[12];
        CHECK(fa_osim_muscle_path(m, &P, 0, pts, 4) == 3 + on);
    }
    fa_osim_pose_free(&P);
    fa_osim_free(m);
    /* a "::" tag name must not stop the reader */
    m = load("tests/osim/mini_colons.osim");
    CHECK(m && m->nmuscle == 1 && m->njoint == 4);
    fa_osim_free(m);
}

/* ---------------- Rajagopal 2016: FK by hand, symmetry ---------------- */
static void test_rajagopal_fk(void)
{
    fa_osim *m = load(DATA "models/opensim4/Rajagopal2016.osim");
    if (!m) return;
    fa_osim_pose P;
    fa_error err;
    fa_osim_pose_init(m, &P, &err);
    /* values read from the XML: pelvis_ty default 0.94; hip_r pelvis_offset
     * (-0.056276 -0.07849 0.07726); markers RASI on pelvis, RTH1 on femur_r */
    const double RASI[3] = {0.0095304699999999992, 0.0180816, 0.12846399999999999};
    const double RTH1[3] = {0.017999999999999999, -0.14999999999999999, 0.064000000000000001};
    const double hip[3] = {-0.056276, -0.078490000000000004, 0.077259999999999995};
    const double glmed_p[3] = {-0.044499999999999998, 0.024500000000000001, 0.1172};
    const double glmed_f[3] = {-0.0218, -0.0117, 0.055500000000000001};
    const double tilts[3][2] = {{0, 0}, {20, 30}, {-10, 75}};
    int qt = fa_osim_find_coord(m, "pelvis_tilt"), qf = fa_osim_find_coord(m, "hip_flexion_r");
    for (int c = 0; c < 3; c++) {
        double tilt = tilts[c][0] * PI / 180, flex = tilts[c][1] * PI / 180;
        fa_osim_pose_defaults(m, &P);
        P.q[qt] = tilt;
        P.q[qf] = flex;
        fa_osim_fk(m, &P);
        /* both rotate about z (rotation1 of ground_pelvis and hip_r) */
        double Rp[9], Rfm[9], Rfw[9], pp[3] = {0, 0.93999999999999995, 0}, pf[3], e[3], w[3];
        rz(Rp, tilt);
        rz(Rfm, flex);
        mm(Rfw, Rp, Rfm);
        xf(pf, pp, Rp, hip);
        double mk[3];
        fa_osim_marker_world(m, &P, fa_osim_find_marker(m, "RASI"), mk);
        xf(e, pp, Rp, RASI);
        for (int i = 0; i < 3; i++) CHECK_NEAR(mk[i], e[i], 1e-14);
        fa_osim_marker_world(m, &P, fa_osim_find_marker(m, "RTH1"), mk);
        xf(e, pf, Rfw, RTH1);
        for (int i = 0; i < 3; i++) CHECK_NEAR(mk[i], e[i], 1e-14);
        /* glmed1_r: a straight pelvis -> femur_r muscle */
        xf(e, pp, Rp, glmed_p);
        xf(w, pf, Rfw, glmed_f);
        CHECK_NEAR(fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, "glmed1_r")), dist(e, w), 1e-14);
    }
    /* left/right symmetry of the default pose: mirror z */
    fa_osim_pose_defaults(m, &P);
    fa_osim_fk(m, &P);
    int npair = 0;
    for (int b = 0; b < m->nbody; b++) {
        size_t n = strlen(m->body_name[b]);
        if (n < 2 || strcmp(m->body_name[b] + n - 2, "_r")) continue;
        char l[128];
        snprintf(l, sizeof l, "%.*s_l", (int)(n - 2), m->body_name[b]);
        int bl = fa_osim_find_body(m, l);
        CHECK(bl >= 0);
        if (bl < 0) continue;
        npair++;
        CHECK_NEAR(P.body_p[3 * b], P.body_p[3 * bl], 1e-12);
        CHECK_NEAR(P.body_p[3 * b + 1], P.body_p[3 * bl + 1], 1e-12);
        CHECK_NEAR(P.body_p[3 * b + 2], -P.body_p[3 * bl + 2], 1e-12);
        CHECK(P.body_p[3 * b + 2] > 0.0); /* +Z is the subject's right */
    }
    CHECK(npair == 10);
    int nmp = 0;
    for (int k = 0; k < m->nmarker; k++) {
        const char *nm = m->marker_name[k];
        /* RPSH/LPSH differ by 8 mm in x in the file itself (-0.050 vs -0.058) */
        if (nm[0] != 'R' || nm[1] == '_' || !strcmp(nm, "RPSH")) continue;
        char l[128];
        snprintf(l, sizeof l, "L%s", nm + 1);
        int kl = fa_osim_find_marker(m, l);
        if (kl < 0) continue;
        double a[3], b[3];
        fa_osim_marker_world(m, &P, k, a);
        fa_osim_marker_world(m, &P, kl, b);
        CHECK_MSG(fabs(a[0] - b[0]) < 1e-5 && fabs(a[1] - b[1]) < 1e-5 && fabs(a[2] + b[2]) < 1e-5, "marker %s vs %s", nm, l);
        nmp++;
    }
    CHECK(nmp >= 28);
    int nmus = 0;
    for (int i = 0; i < m->nmuscle; i++) {
        size_t n = strlen(m->muscle_name[i]);
        if (strcmp(m->muscle_name[i] + n - 2, "_r")) continue;
        char l[128];
        snprintf(l, sizeof l, "%.*s_l", (int)(n - 2), m->muscle_name[i]);
        int il = fa_osim_find_muscle(m, l);
        CHECK(il >= 0);
        if (il < 0) continue;
        CHECK_NEAR(fa_osim_muscle_length(m, &P, i), fa_osim_muscle_length(m, &P, il), 1e-9);
        nmus++;
    }
    CHECK(nmus == 40);
    /* physically right directions */
    const char *ham[] = {"bflh_r", "semimem_r", "semiten_r"}, *quad[] = {"recfem_r", "vaslat_r", "vasmed_r", "vasint_r"};
    int qk = fa_osim_find_coord(m, "knee_angle_r");
    double L0[4];
    fa_osim_pose_defaults(m, &P);
    P.q[qk] = 10 * PI / 180;
    fa_osim_apply_couplers(m, &P);
    fa_osim_fk(m, &P);
    for (int i = 0; i < 3; i++) L0[i] = fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, ham[i]));
    P.q[qf] = 60 * PI / 180;
    fa_osim_fk(m, &P);
    for (int i = 0; i < 3; i++) CHECK_MSG(fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, ham[i])) > L0[i] + 0.02, "%s", ham[i]);
    fa_osim_pose_defaults(m, &P);
    fa_osim_fk(m, &P);
    for (int i = 0; i < 4; i++) L0[i] = fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, quad[i]));
    P.q[qk] = 90 * PI / 180;
    fa_osim_apply_couplers(m, &P);
    CHECK(P.q[fa_osim_find_coord(m, "knee_angle_r_beta")] == P.q[qk]); /* beta = 1 * knee */
    fa_osim_fk(m, &P);
    for (int i = 0; i < 4; i++) CHECK_MSG(fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, quad[i])) > L0[i] + 0.02, "%s", quad[i]);
    fa_osim_pose_free(&P);

    /* OpenSim 3 twin: same kinematics and lengths at a non-trivial pose */
    fa_osim *m3 = load(DATA "models/opensim3/Rajagopal2015.osim");
    if (m3) {
        fa_osim_pose P4, P3;
        fa_osim_pose_init(m, &P4, &err);
        fa_osim_pose_init(m3, &P3, &err);
        for (int q = 0; q < m->ncoord; q++) {
            int q3 = fa_osim_find_coord(m3, m->coord_name[q]);
            CHECK(q3 >= 0);
            double v = m->coord_motion[q] == FA_OSIM_TRANSLATIONAL ? m->coord_default[q] + 0.01 * sin(q)
                                                                   : 0.3 * sin(1.7 * q + 0.2);
            P4.q[q] = v;
            if (q3 >= 0) P3.q[q3] = v;
        }
        fa_osim_apply_couplers(m, &P4);
        fa_osim_apply_couplers(m3, &P3);
        fa_osim_fk(m, &P4);
        fa_osim_fk(m3, &P3);
        for (int b = 0; b < m->nbody; b++) {
            int b3 = fa_osim_find_body(m3, m->body_name[b]);
            CHECK(b3 >= 0);
            if (b3 >= 0)
                for (int i = 0; i < 3; i++) CHECK_NEAR(P4.body_p[3 * b + i], P3.body_p[3 * b3 + i], 1e-6);
        }
        double worst = 0;
        for (int i = 0; i < m->nmuscle; i++) {
            int i3 = fa_osim_find_muscle(m3, m->muscle_name[i]);
            CHECK(i3 >= 0);
            if (i3 >= 0) {
                double d = fabs(fa_osim_muscle_length(m, &P4, i) - fa_osim_muscle_length(m3, &P3, i3));
                worst = d > worst ? d : worst;
            }
        }
        CHECK_MSG(worst < 1e-5, "v3/v4 worst muscle length difference %g m", worst);
        fa_osim_pose_free(&P4);
        fa_osim_pose_free(&P3);
        fa_osim_free(m3);
    }
    fa_osim_free(m);
}

/* ---------------- gait2392: spline knee, conditional and moving points ---------------- */
static void test_gait2392(void)
{
    fa_osim *m = load(DATA "models/opensim4/gait2392_millard2012muscle.osim");
    if (!m) return;
    fa_osim_pose P;
    fa_error err;
    fa_osim_pose_init(m, &P, &err);
    int qk = fa_osim_find_coord(m, "knee_angle_r");
    int bf = fa_osim_find_body(m, "femur_r"), bt = fa_osim_find_body(m, "tibia_r");
    /* knee_r: femur/tibia offsets are identity; R_FM = Rz(q), p_FM = (tx(q), ty(q), 0).
     * Knots from the XML where both splines have one: */
    const double kq[3] = {-2.0944, -0.349066, -0.174533};
    const double ktx[3] = {-0.0032, -0.001, -0.0031};
    const double kty[3] = {-0.4226, -0.3976, -0.3966};
    for (int c = 0; c < 3; c++) {
        P.q[qk] = kq[c];
        fa_osim_fk(m, &P);
        const double *Rf = P.body_R + 9 * bf;
        double d[3], rel[3];
        for (int i = 0; i < 3; i++) d[i] = P.body_p[3 * bt + i] - P.body_p[3 * bf + i];
        for (int i = 0; i < 3; i++) rel[i] = Rf[i] * d[0] + Rf[3 + i] * d[1] + Rf[6 + i] * d[2]; /* R^T d */
        CHECK_NEAR(rel[0], ktx[c], 1e-15);
        CHECK_NEAR(rel[1], kty[c], 1e-15);
        CHECK_NEAR(rel[2], 0.0, 1e-15);
    }
    /* the joint's axis functions evaluated directly */
    {
        int jk = fa_osim_find_joint(m, "knee_r"), coord = -2;
        double v, ax[3];
        CHECK(fa_osim_axis_eval(m, jk, 3, -0.349066, &v, ax, &coord) == 0);
        CHECK(v == -0.001 && ax[0] == 1 && ax[1] == 0 && ax[2] == 0 && coord == qk);
        CHECK(fa_osim_axis_eval(m, jk, 4, -2.0944, &v, ax, &coord) == 0 && v == -0.4226);
        CHECK(fa_osim_axis_eval(m, jk, 5, 1.0, &v, ax, &coord) == 0 && v == 0.0 && coord == -1);
        CHECK(fa_osim_axis_eval(m, jk, 6, 0.0, &v, ax, &coord) < 0);
    }
    /* flexion sweep: tibia rotates by exactly q about femur z, translation continuous */
    double prev[3] = {0, 0, 0};
    for (int s = 0; s <= 40; s++) {
        double q = -2.0 + s * 0.05;
        P.q[qk] = q;
        fa_osim_fk(m, &P);
        double Rrel[9], RfT[9];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++) RfT[3 * a + b] = P.body_R[9 * bf + 3 * b + a];
        mm(Rrel, RfT, P.body_R + 9 * bt);
        double Rq[9];
        rz(Rq, q);
        for (int i = 0; i < 9; i++) CHECK_NEAR(Rrel[i], Rq[i], 1e-14);
        double *pt = P.body_p + 3 * bt;
        if (s) CHECK(dist(pt, prev) < 0.01);
        memcpy(prev, pt, sizeof prev);
    }
    /* ConditionalPathPoint semimem_r-P2: active for knee in [-0.558505, 0.174533] */
    int is = fa_osim_find_muscle(m, "semimem_r");
    CHECK(is >= 0);
    double pts[3 * 8];
    double lo = -0.55850500000000003;
    P.q[qk] = lo;
    fa_osim_fk(m, &P);
    CHECK(fa_osim_muscle_path(m, &P, is, pts, 8) == 3);
    double Lin = dist(pts, pts + 3) + dist(pts + 3, pts + 6);
    CHECK_NEAR(fa_osim_muscle_length(m, &P, is), Lin, 1e-15);
    P.q[qk] = nextafter(lo, -1.0);
    fa_osim_fk(m, &P);
    CHECK(fa_osim_muscle_path(m, &P, is, pts, 8) == 2);
    CHECK_NEAR(fa_osim_muscle_length(m, &P, is), dist(pts, pts + 3), 1e-15);
    CHECK(fa_osim_muscle_length(m, &P, is) < Lin); /* dropping a via point shortens the path */
    /* MovingPathPoint rect_fem_r-P3 follows its splines (knots from the XML) */
    int ir = fa_osim_find_muscle(m, "rect_fem_r");
    int kp = m->muscle_point_adr[ir] + m->muscle_point_num[ir] - 1;
    CHECK(m->point_kind[kp] == FA_OSIM_POINT_MOVING);
    const double mq[3] = {-1.0472, 0, 0.174533}, mx[3] = {0.0365695, 0.0617576, 0.0733035},
                 my[3] = {0.0249184, 0.020984, 0.0159554};
    double Lr[3];
    for (int c = 0; c < 3; c++) {
        P.q[qk] = mq[c];
        fa_osim_fk(m, &P);
        double loc[3];
        CHECK(fa_osim_point_local(m, &P, kp, loc) == 1);
        CHECK_NEAR(loc[0], mx[c], 1e-15);
        CHECK_NEAR(loc[1], my[c], 1e-15);
        CHECK_NEAR(loc[2], 0.0014, 1e-15);
        Lr[c] = fa_osim_muscle_length(m, &P, ir);
    }
    /* gait2392 knee flexion is negative: rectus femoris lengthens with flexion */
    CHECK(Lr[0] > Lr[1] + 0.03);
    fa_osim_pose_free(&P);
    fa_osim_free(m);
}

/* Hamner 2010 = gait2392 legs and trunk plus arms: the 92 shared muscles must
 * have identical lengths at any common pose (translations at each model's defaults). */
static void test_hamner_vs_gait2392(void)
{
    fa_osim *a = load(DATA "models/opensim4/gait2392_millard2012muscle.osim");
    fa_osim *b = load(DATA "models/opensim4/FullBodyModel_Hamner2010_v2_0.osim");
    if (!a || !b) {
        fa_osim_free(a);
        fa_osim_free(b);
        return;
    }
    fa_osim_pose pa, pb;
    fa_error err;
    fa_osim_pose_init(a, &pa, &err);
    fa_osim_pose_init(b, &pb, &err);
    double worst = 0, sym = 0;
    int matched = 0;
    for (int c = 0; c < 6; c++) {
        for (int q = 0; q < a->ncoord; q++) {
            int k = fa_osim_find_coord(b, a->coord_name[q]);
            CHECK(k >= 0);
            if (k < 0) continue;
            double v = 0.5 * sin(2.1 * q + 0.7 * c);
            if (!strncmp(a->coord_name[q], "knee_angle", 10)) v = -1.9 + 0.4 * c; /* sweep across the conditional points */
            pa.q[q] = a->coord_motion[q] == FA_OSIM_TRANSLATIONAL ? a->coord_default[q] : v;
            pb.q[k] = b->coord_motion[k] == FA_OSIM_TRANSLATIONAL ? b->coord_default[k] : v;
        }
        fa_osim_fk(a, &pa);
        fa_osim_fk(b, &pb);
        matched = 0;
        for (int i = 0; i < a->nmuscle; i++) {
            int j = fa_osim_find_muscle(b, a->muscle_name[i]);
            if (j < 0) continue;
            matched++;
            double d = fabs(fa_osim_muscle_length(a, &pa, i) - fa_osim_muscle_length(b, &pb, j));
            worst = d > worst ? d : worst;
        }
    }
    CHECK(matched == 92);
    CHECK_MSG(worst < 1e-12, "Hamner vs gait2392 muscle lengths differ by %g m", worst);
    /* left/right symmetry of the Hamner default pose */
    fa_osim_pose_defaults(b, &pb);
    fa_osim_fk(b, &pb);
    for (int i = 0; i < b->nmuscle; i++) {
        size_t n = strlen(b->muscle_name[i]);
        if (n < 2 || strcmp(b->muscle_name[i] + n - 2, "_r")) continue;
        char l[128];
        snprintf(l, sizeof l, "%.*s_l", (int)(n - 2), b->muscle_name[i]);
        int j = fa_osim_find_muscle(b, l);
        CHECK(j >= 0);
        if (j >= 0) {
            double d = fabs(fa_osim_muscle_length(b, &pb, i) - fa_osim_muscle_length(b, &pb, j));
            sym = d > sym ? d : sym;
        }
    }
    CHECK_MSG(sym < 1e-12, "Hamner left/right asymmetry %g m", sym);
    fa_osim_pose_free(&pa);
    fa_osim_pose_free(&pb);
    fa_osim_free(a);
    fa_osim_free(b);
}

/* ---------------- toy ligament model: FreeJoint ---------------- */
static void test_free_joint(void)
{
    fa_osim *m = load(DATA "models/opensim3/toyLigamentModel.osim");
    if (!m) return;
    fa_osim_pose P;
    fa_error err;
    fa_osim_pose_init(m, &P, &err);
    double e[3] = {0.3, -0.2, 0.5}, t[3] = {0.1, 0.2, -0.3};
    for (int i = 0; i < 3; i++) P.q[i] = e[i], P.q[3 + i] = t[i];
    fa_osim_fk(m, &P);
    /* block: child frame at (0, 0.07, 0) in the block; R = Rx Ry Rz, p = t */
    double A[9], B[9], C[9], R[9], v[3] = {0, -0.07, 0}, w[3];
    rx(A, e[0]);
    ry(B, e[1]);
    rz(C, e[2]);
    mm(R, A, B);
    mm(R, R, C);
    xf(w, t, R, v);
    int b = fa_osim_find_body(m, "block");
    for (int i = 0; i < 3; i++) CHECK_NEAR(P.body_p[3 * b + i], w[i], 1e-15);
    fa_osim_pose_free(&P);
    fa_osim_free(m);
}

/* ---------------- cylinder wrapping, analytic ---------------- */
/* Geodesic over a cylinder of radius r (axis z) from P to Q, both at height
 * difference dz: tangent lengths sqrt(rho^2 - r^2), arc r*phi, unrolled into a
 * straight line: L = sqrt((dP + r phi + dQ)^2 + dz^2). */
static void test_wrap(void)
{
    fa_osim *m = load("tests/osim/wrap.osim");
    if (!m) return;
    CHECK(m->nmuscle == 8 && m->nbody == 1);
    fa_osim_pose P;
    fa_error err;
    fa_osim_pose_init(m, &P, &err);
    const double r = 0.05;
    double p1[3] = {-0.2, 0.01, 0}, p2[3] = {0.2, 0.01, 0.1};
    double rho = sqrt(0.2 * 0.2 + 0.01 * 0.01), a = acos(r / rho), dt = sqrt(rho * rho - r * r);
    double thP = atan2(0.01, -0.2), thQ = atan2(0.01, 0.2);
    double top = (thP - thQ) - 2 * a;              /* over +y, the short way */
    double bottom = 2 * PI - (thP - thQ) - 2 * a;  /* under -y */
    double Ltop = sqrt((2 * dt + r * top) * (2 * dt + r * top) + 0.01);
    double Lbot = sqrt((2 * dt + r * bottom) * (2 * dt + r * bottom) + 0.01);
    CHECK_NEAR(fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, "w_all")), Ltop, 1e-14);
    CHECK_NEAR(fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, "w_negy")), Lbot, 1e-14);
    /* the tangent points lie on the cylinder and on the right side */
    double pts[12];
    CHECK(fa_osim_muscle_path(m, &P, fa_osim_find_muscle(m, "w_all"), pts, 4) == 4);
    CHECK_NEAR(hypot(pts[3], pts[4]), r, 1e-15);
    CHECK_NEAR(hypot(pts[6], pts[7]), r, 1e-15);
    CHECK(pts[4] > 0 && pts[7] > 0);
    CHECK_NEAR(pts[5], 0.1 * dt / (2 * dt + r * top), 1e-15); /* height grows linearly along the unrolled path */
    CHECK(fa_osim_muscle_path(m, &P, fa_osim_find_muscle(m, "w_negy"), pts, 4) == 4);
    CHECK(pts[4] < 0 && pts[7] < 0);
    /* a path that misses the cylinder, and one beyond the cylinder's ends, stay straight */
    double c1[3] = {-0.2, 0.2, 0}, c2[3] = {0.2, 0.2, 0.1}, d1[3] = {-0.2, 0.01, 0.5}, d2[3] = {0.2, 0.01, 0.6};
    CHECK_NEAR(fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, "w_miss")), dist(c1, c2), 1e-15);
    CHECK_NEAR(fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, "w_short")), dist(d1, d2), 1e-15);
    /* a cylinder rotated 90 deg about x (axis along -y in ground) at (0,1,0):
     * in its frame the points are (-0.2, -0.01, 0) and (0.2, -0.01, 0.1) */
    double L = fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, "w_moved"));
    CHECK_NEAR(L, Ltop, 1e-14); /* mirror image of w_all */
    /* spheres: the path lies in the plane of P, Q and the centre:
     * L = sqrt(|P|^2 - r^2) + sqrt(|Q|^2 - r^2) + r (angle PCQ - acos(r/|P|) - acos(r/|Q|)) */
    double Ls = fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, "s_plane"));
    CHECK_NEAR(Ls, 2 * dt + r * top, 1e-14);
    CHECK_NEAR(fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, "s_negy")), 2 * dt + r * bottom, 1e-14);
    {
        double a3[3] = {-0.2, 0.03, 0.05}, b3[3] = {0.15, -0.02, -0.04};
        double na = sqrt(a3[0] * a3[0] + a3[1] * a3[1] + a3[2] * a3[2]), nb = sqrt(b3[0] * b3[0] + b3[1] * b3[1] + b3[2] * b3[2]);
        double ang = acos((a3[0] * b3[0] + a3[1] * b3[1] + a3[2] * b3[2]) / (na * nb));
        double Le = sqrt(na * na - r * r) + sqrt(nb * nb - r * r) + r * (ang - acos(r / na) - acos(r / nb));
        CHECK_NEAR(fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, "s_3d")), Le, 1e-14);
        CHECK(fa_osim_muscle_path(m, &P, fa_osim_find_muscle(m, "s_3d"), pts, 4) == 4);
        double c0[3] = {0, 2, 0};
        CHECK_NEAR(dist(pts + 3, c0), r, 1e-15);
        CHECK_NEAR(dist(pts + 6, c0), r, 1e-15);
    }
    /* wrapping off: straight lines */
    fa_osim_set_wrapping(m, 0);
    CHECK_NEAR(fa_osim_muscle_length(m, &P, fa_osim_find_muscle(m, "w_all")), dist(p1, p2), 1e-15);
    fa_osim_set_wrapping(m, 1);
    fa_osim_pose_free(&P);
    fa_osim_free(m);
}

/* ---------------- motions ---------------- */
static void test_motions(void)
{
    /* rows after endheader minus the label line (awk), rates and angle units from the headers */
    static const struct {
        const char *file;
        int nframe, ncol, deg;
        double rate, t0;
    } t[] = {
        {DATA "motions/running_rajagopal2016/subject01_run_IK.mot", 477, 39, 1, 100, 0.23},
        {DATA "motions/running_hamner2010/subject02_running_ik.mot", 599, 37, 1, 60, 0.0},
        {DATA "motions/running_hamner2010/subject02_running_arms_ik.mot", 600, 160, -1, 60, 0.0},
        {DATA "motions/walking_gait2392/subject01_walk1_ik.mot", 211, 23, 1, 60, 0.5},
        {DATA "motions/walking_rajagopal2016/subject_walk_armless_coordinates.mot", 238, 39, 1, 100, 0.0},
        {DATA "motions/walking_rajagopal2016/coordinates.sto", 1350, 31, 0, 1000, 0.45},
        {DATA "motions/running_rajagopal2016/grf_run.mot", 5091, 18, -1, 1000, 0.23},
        {DATA "motions/running_hamner2010/subject02_running_grf.mot", 601, -1, -1, 0, 0.0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        fa_osim_motion mot;
        fa_error err;
        fa_status st = fa_osim_motion_load(t[i].file, &mot, &err);
        CHECK_MSG(st == FA_OK, "%s", err.msg);
        if (st) continue;
        CHECK_MSG(mot.nframe == t[i].nframe, "%s frames %d", t[i].file, mot.nframe);
        if (t[i].ncol >= 0) CHECK_MSG(mot.ncol == t[i].ncol, "%s cols %d", t[i].file, mot.ncol);
        CHECK_MSG(mot.in_degrees == t[i].deg, "%s inDegrees %d", t[i].file, mot.in_degrees);
        if (t[i].rate > 0) CHECK_REL(fa_osim_motion_rate(&mot), t[i].rate, 2e-3);
        CHECK_NEAR(mot.time[0], t[i].t0, 1e-9);
        fa_osim_motion_free(&mot);
    }

    /* stride period from hip_flexion_r vs the strides stated in data/opensim/README.md
     * (0.689 s Hamner run, 0.688 s Rajagopal run, 1.22 s gait2392 walk, 1.15 s Rajagopal walk) */
    static const struct {
        const char *file;
        double stride;
    } st[] = {{DATA "motions/running_hamner2010/subject02_running_ik.mot", 0.689},
              {DATA "motions/running_rajagopal2016/subject01_run_IK.mot", 0.688},
              {DATA "motions/walking_gait2392/subject01_walk1_ik.mot", 1.22},
              {DATA "motions/walking_rajagopal2016/subject_walk_armless_coordinates.mot", 1.15},
              {DATA "motions/walking_rajagopal2016/coordinates.sto", 0.0}}; /* 1.35 s: under two strides */
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
        fa_osim_motion mo;
        fa_error e2;
        if (fa_osim_motion_load(st[i].file, &mo, &e2) != FA_OK) continue;
        int col = -1;
        for (int k = 0; k < mo.ncol; k++)
            if (strstr(mo.label[k], "hip_flexion_r") && !strstr(mo.label[k], "speed")) {
                col = k;
                break;
            }
        double T = fa_osim_motion_period(&mo, col, 0.4, 2.0);
        if (st[i].stride > 0)
            CHECK_MSG(fabs(T - st[i].stride) < 0.01 * st[i].stride, "%s stride %g s", st[i].file, T);
        else
            CHECK(T == 0.0);
        fa_osim_motion_free(&mo);
    }

    /* Rajagopal running: degrees converted for knee, beta read as stored (radians) */
    fa_osim *m = load(DATA "models/opensim4/Rajagopal2016.osim");
    fa_osim_motion mot;
    fa_error err;
    if (m && fa_osim_motion_load(DATA "motions/running_rajagopal2016/subject01_run_IK.mot", &mot, &err) == FA_OK) {
        fa_osim_motion_def def = FA_OSIM_MOTION_DEF_DEFAULT;
        int map[64];
        CHECK(fa_osim_motion_bind(m, &mot, &def, map, &err) == FA_OK);
        int qk = fa_osim_find_coord(m, "knee_angle_r"), qb = fa_osim_find_coord(m, "knee_angle_r_beta");
        int qtx = fa_osim_find_coord(m, "pelvis_tx");
        CHECK(map[qk] >= 0 && map[qb] >= 0);
        fa_osim_pose P;
        fa_osim_pose_init(m, &P, &err);
        double worst = 0;
        for (int f = 0; f < mot.nframe; f += 7) {
            fa_osim_motion_pose(m, &mot, &def, map, f, &P);
            CHECK(P.q[qk] == mot.data[(size_t)f * mot.ncol + map[qk]] * (PI / 180.0));
            CHECK(P.q[qb] == mot.data[(size_t)f * mot.ncol + map[qb]]);
            CHECK(P.q[qtx] == mot.data[(size_t)f * mot.ncol + map[qtx]]);
            double d = fabs(P.q[qb] - P.q[qk]);
            worst = d > worst ? d : worst;
        }
        CHECK_MSG(worst < 1e-3, "beta vs knee (rad) %g", worst); /* the file's beta is knee in radians */
        /* lengths over the trial: 477 frames x 80 muscles, each finite and in (0.05, 0.7) m */
        double *L = malloc((size_t)mot.nframe * m->nmuscle * sizeof(double));
        CHECK(fa_osim_muscle_lengths(m, &mot, &def, L, &err) == FA_OK);
        int bad = 0;
        for (int k = 0; k < mot.nframe * m->nmuscle; k++) bad += !(L[k] > 0.05 && L[k] < 0.7);
        CHECK(bad == 0);
        free(L);
        fa_osim_pose_free(&P);
        fa_osim_motion_free(&mot);
    }
    /* clamping (off by default): Rajagopal's knee range is [0, 2.0944] rad and clamped;
     * a frame forced outside is clamped only when asked */
    if (m && fa_osim_motion_load(DATA "motions/running_rajagopal2016/subject01_run_IK.mot", &mot, &err) == FA_OK) {
        int map[64];
        fa_osim_motion_def def = FA_OSIM_MOTION_DEF_DEFAULT;
        fa_osim_motion_bind(m, &mot, &def, map, &err);
        int qk = fa_osim_find_coord(m, "knee_angle_r"), qb = fa_osim_find_coord(m, "knee_angle_r_beta");
        mot.data[map[qk]] = -30.0; /* degrees, frame 0 */
        fa_osim_pose P;
        fa_osim_pose_init(m, &P, &err);
        fa_osim_motion_pose(m, &mot, &def, map, 0, &P);
        CHECK_NEAR(P.q[qk], -30.0 * PI / 180.0, 1e-15);
        def.clamp = 1;
        def.recompute_coupled = 1;
        fa_osim_motion_pose(m, &mot, &def, map, 0, &P);
        CHECK(m->coord_clamped[qk] && P.q[qk] == m->coord_range[2 * qk]);
        CHECK(P.q[qb] == P.q[qk]); /* the coupler follows the clamped knee */
        fa_osim_pose_free(&P);
        fa_osim_motion_free(&mot);
    }
    /* path labels in radians (.sto) bind to coordinates, no conversion */
    if (m && fa_osim_motion_load(DATA "motions/walking_rajagopal2016/coordinates.sto", &mot, &err) == FA_OK) {
        int map[64];
        fa_osim_motion_def def = FA_OSIM_MOTION_DEF_DEFAULT;
        CHECK(fa_osim_motion_bind(m, &mot, &def, map, &err) == FA_OK);
        int qh = fa_osim_find_coord(m, "hip_flexion_r");
        CHECK(map[qh] >= 0 && !strcmp(mot.label[map[qh]], "/jointset/hip_r/hip_flexion_r/value"));
        fa_osim_pose P;
        fa_osim_pose_init(m, &P, &err);
        fa_osim_motion_pose(m, &mot, &def, map, 100, &P);
        CHECK(P.q[qh] == mot.data[100 * (size_t)mot.ncol + map[qh]]);
        int qb = fa_osim_find_coord(m, "knee_angle_r_beta"), qk = fa_osim_find_coord(m, "knee_angle_r");
        if (map[qb] < 0) CHECK(P.q[qb] == P.q[qk]); /* recomputed from the coupler */
        fa_osim_pose_free(&P);
        fa_osim_motion_free(&mot);
    }
    /* strict binding: the arms file has 41 markers x 3 columns that are no coordinates */
    fa_osim *h = load(DATA "models/opensim4/FullBodyModel_Hamner2010_v2_0.osim");
    if (h && fa_osim_motion_load(DATA "motions/running_hamner2010/subject02_running_arms_ik.mot", &mot, &err) == FA_OK) {
        int map[64];
        fa_osim_motion_def def = FA_OSIM_MOTION_DEF_DEFAULT;
        CHECK(fa_osim_motion_bind(h, &mot, &def, map, &err) == FA_OK);
        def.strict = 1;
        CHECK(fa_osim_motion_bind(h, &mot, &def, map, &err) == FA_ERR_UNKNOWN);
        CHECK(strstr(err.msg, "column 39") != NULL);
        fa_osim_motion_free(&mot);
    }
    fa_osim_free(h);
    fa_osim_free(m);
}

/* ---------------- against OpenSim's own outputs ---------------- */
#define VAL DATA "validation/rajagopal2015_run/"
static void test_opensim_reference(void)
{
    fa_error err;
    fa_osim_motion_def def = FA_OSIM_MOTION_DEF_DEFAULT;
    int map[64];
    /* 1. IK model marker locations: registered model driven by the IK motion */
    fa_osim *m = load(VAL "subject01_registered.osim");
    fa_osim_motion q, L;
    if (m && fa_osim_motion_load(DATA "motions/running_rajagopal2016/subject01_run_IK.mot", &q, &err) == FA_OK) {
        CHECK(fa_osim_motion_load(VAL "ik_model_marker_locations.sto", &L, &err) == FA_OK);
        CHECK(fa_osim_motion_bind(m, &q, &def, map, &err) == FA_OK);
        CHECK(L.nframe == q.nframe);
        fa_osim_pose P;
        fa_osim_pose_init(m, &P, &err);
        double worst = 0;
        int nmk = 0;
        for (int f = 0; f < q.nframe && f < L.nframe; f++) {
            CHECK(fabs(L.time[f] - q.time[f]) < 1e-9);
            fa_osim_motion_pose(m, &q, &def, map, f, &P);
            nmk = 0;
            for (int c = 0; c + 2 < L.ncol; c += 3) {
                char nm[64];
                snprintf(nm, sizeof nm, "%s", L.label[c]);
                char *u = strrchr(nm, '_');
                if (u) *u = '\0';
                int k = fa_osim_find_marker(m, nm);
                CHECK(k >= 0);
                if (k < 0) continue;
                nmk++;
                double w[3];
                fa_osim_marker_world(m, &P, k, w);
                for (int a = 0; a < 3; a++) {
                    double d = fabs(w[a] - L.data[(size_t)f * L.ncol + c + a]);
                    worst = d > worst ? d : worst;
                }
            }
        }
        CHECK(nmk == 41);
        CHECK_MSG(worst < 1e-6, "worst marker difference to OpenSim IK %g m", worst);
        fa_osim_pose_free(&P);
        fa_osim_motion_free(&L);
        fa_osim_motion_free(&q);
    }
    fa_osim_free(m);
    /* 2. MuscleAnalysis lengths of the CMC run, muscles without wrap objects */
    m = load(VAL "subject01_RRA_Adjusted.osim");
    if (m && fa_osim_motion_load(VAL "cmc_Kinematics_q.sto", &q, &err) == FA_OK) {
        CHECK(fa_osim_motion_load(VAL "cmc_MuscleAnalysis_Length.sto", &L, &err) == FA_OK);
        CHECK(fa_osim_motion_bind(m, &q, &def, map, &err) == FA_OK);
        fa_osim_pose P;
        fa_osim_pose_init(m, &P, &err);
        double worst = 0, worst_w = 0;
        int nf = 0, nmus = 0, nwr = 0;
        for (int f = 0; f < q.nframe; f++) {
            int g = -1;
            for (int k = 0; k < L.nframe; k++)
                if (fabs(L.time[k] - q.time[f]) < 1e-7) g = k;
            if (g < 0) continue;
            nf++;
            fa_osim_motion_pose(m, &q, &def, map, f, &P);
            nmus = nwr = 0;
            for (int c = 0; c < L.ncol; c++) {
                int i = fa_osim_find_muscle(m, L.label[c]);
                CHECK(i >= 0);
                if (i < 0) continue;
                double d = fabs(fa_osim_muscle_length(m, &P, i) - L.data[(size_t)g * L.ncol + c]);
                if (m->muscle_nwrap[i]) {
                    nwr++;
                    worst_w = d > worst_w ? d : worst_w;
                } else {
                    nmus++;
                    worst = d > worst ? d : worst;
                }
            }
        }
        CHECK(nf == 47);
        CHECK(nmus == 38 && nwr == 42);
        CHECK_MSG(worst < 1e-7, "worst muscle length difference to OpenSim MuscleAnalysis %g m", worst);
        /* WrapCylinder geodesics: within 0.02 mm of OpenSim's wrapping (worst seen 0.009 mm) */
        CHECK_MSG(worst_w < 2e-5, "worst wrapped muscle length difference to OpenSim %g m", worst_w);
        fa_osim_pose_free(&P);
        fa_osim_motion_free(&L);
        fa_osim_motion_free(&q);
    }
    fa_osim_free(m);
}

/* ---------------- robustness: truncated and corrupted inputs ---------------- */
static char *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) b[len] = 0;
    *n = (size_t)len;
    return b;
}

static void test_corrupt(void)
{
    static const char *const src[] = {"tests/osim/mini.osim", "tests/osim/wrap.osim", "tests/osim/bad/bad_cell.mot"};
    char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/fa_osim_fuzz_%ld.tmp", (long)getpid());
    unsigned long long rng = 88172645463325252ULL;
    int ok = 0, errs = 0;
    for (int s = 0; s < 3; s++) {
        size_t n;
        char *orig = read_all(src[s], &n);
        CHECK(orig != NULL);
        if (!orig) continue;
        for (int k = 0; k < 120; k++) {
            char *b = malloc(n + 1);
            memcpy(b, orig, n + 1);
            size_t len = n;
            rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
            if (k % 3 == 0)
                len = (size_t)(rng % n); /* truncation */
            else
                for (int f = 0; f < 1 + k % 5; f++) { /* byte flips to digits, brackets, letters */
                    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
                    static const char pool[] = "<>/=\"0123456789.-eE xX\t\nabc";
                    b[rng % n] = pool[(rng >> 32) % (sizeof pool - 1)];
                }
            FILE *f = fopen(tmp, "wb");
            fwrite(b, 1, len, f);
            fclose(f);
            fa_error err;
            fa_error_clear(&err);
            fa_status st;
            if (s < 2) {
                fa_osim *m = NULL;
                st = fa_osim_load(tmp, &m, &err);
                if (st == FA_OK) {
                    fa_osim_pose P;
                    if (fa_osim_pose_init(m, &P, &err) == FA_OK) {
                        for (int i = 0; i < m->nmuscle; i++) (void)fa_osim_muscle_length(m, &P, i);
                        fa_osim_pose_free(&P);
                    }
                }
                fa_osim_free(m);
            } else {
                fa_osim_motion mot;
                st = fa_osim_motion_load(tmp, &mot, &err);
                if (st == FA_OK) fa_osim_motion_free(&mot);
            }
            if (st == FA_OK)
                ok++;
            else {
                errs++;
                /* every error names the file */
                CHECK_MSG(!strncmp(err.msg, tmp, strlen(tmp)), "%s", err.msg);
            }
            free(b);
        }
        free(orig);
    }
    remove(tmp);
    CHECK(errs > 100); /* most corruptions are caught */
    printf("corrupted inputs: %d accepted, %d rejected with a message\n", ok, errs);
}

/* ---------------- body-file export ---------------- */
static void test_export(void)
{
    fa_osim *m = load("tests/osim/mini.osim");
    if (!m) return;
    fa_osim_pose P;
    fa_error err;
    fa_osim_pose_init(m, &P, &err);
    char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/fa_osim_export_%ld.yaml", (long)getpid());
    FILE *f = fopen(tmp, "w");
    CHECK(f && fa_osim_write_body_yaml(m, &P, f, &err) == FA_OK);
    if (f) fclose(f);
    size_t n;
    char *txt = read_all(tmp, &n);
    remove(tmp);
    CHECK(txt != NULL);
    if (txt) {
        CHECK(strstr(txt, "\n  thigh: {parent: ground, mass: 2 kg}") != NULL);
        CHECK(strstr(txt, "\n  toe: {parent: foot, mass: 0.1 kg}") != NULL);
        /* marker world position at the default pose */
        double w[3];
        char want[160];
        fa_osim_marker_world(m, &P, fa_osim_find_marker(m, "shank_marker"), w);
        snprintf(want, sizeof want, "  shank_marker: {body: shank, position: \"%.9g %.9g %.9g m\"}", w[0], w[1], w[2]);
        CHECK_MSG(strstr(txt, want) != NULL, "missing %s", want);
        /* knee_q defaults to 0.25, inside the conditional range: 4 path landmarks */
        CHECK(strstr(txt, "m1.p3: {body: foot") != NULL && strstr(txt, "m1.p4") == NULL);
        CHECK(strstr(txt, "m1.origin: {body: thigh") != NULL && strstr(txt, "m1.insertion: {body: foot") != NULL);
        /* no max_contraction_velocity in the muscle or its template: the table default */
        double vt = 0;
        FILE *c = fopen("data/opensim/import_defaults.csv", "r");
        char line[1024];
        while (c && fgets(line, sizeof line, c))
            if (!strncmp(line, "muscle_vmax_default,", 20)) vt = atof(line + 20);
        if (c) fclose(c);
        CHECK(vt == 10.0);
        snprintf(want, sizeof want, "m1: {nodes: [m1.origin, m1.insertion], fmax: 1000 N, optimal_length: 0.1 m, vmax: %g /s, slack_length: 0.2 m}", vt);
        CHECK_MSG(strstr(txt, want) != NULL, "missing %s", want);
        free(txt);
    }
    fa_osim_pose_free(&P);
    fa_osim_free(m);
    /* Rajagopal: max_contraction_velocity comes from the <defaults> template */
    m = load(DATA "models/opensim4/Rajagopal2016.osim");
    if (m) {
        int i = fa_osim_find_muscle(m, "vaslat_r");
        CHECK(i >= 0 && m->muscle_vmax[i] == 10.0);
        fa_osim_free(m);
    }
}

/* moment arms: OpenSim 4.0 development-format model (Version 30516) and its outputs */
#define MA DATA "validation/rajagopal_run_momentarms/"
static void test_moment_arms(void)
{
    fa_error err;
    fa_osim *m = load(MA "subject01_RRA_Adjusted.osim");
    fa_osim_motion q, A;
    if (!m || fa_osim_motion_load(MA "cmc_Kinematics_q.sto", &q, &err) != FA_OK) {
        fa_osim_free(m);
        CHECK(0);
        return;
    }
    CHECK(m->version == 30516 && m->nbody == 23 && m->njoint == 22 && m->nmuscle == 80);
    fa_osim_motion_def def = FA_OSIM_MOTION_DEF_DEFAULT;
    int map[64];
    CHECK(fa_osim_motion_bind(m, &q, &def, map, &err) == FA_OK);
    fa_osim_pose P;
    fa_osim_pose_init(m, &P, &err);
    static const char *const coords[2] = {"knee_angle_r", "hip_flexion_r"};
    static const char *const files[2] = {MA "cmc_MuscleAnalysis_MomentArm_knee_angle_r.sto",
                                         MA "cmc_MuscleAnalysis_MomentArm_hip_flexion_r.sto"};
    for (int cc = 0; cc < 2; cc++) {
        if (fa_osim_motion_load(files[cc], &A, &err) != FA_OK) {
            CHECK_MSG(0, "%s", err.msg);
            continue;
        }
        int qc = fa_osim_find_coord(m, coords[cc]);
        double wu = 0, ww = 0;
        int nf = 0;
        for (int f = 0; f < q.nframe; f++) {
            int g = -1;
            for (int k = 0; k < A.nframe; k++)
                if (fabs(A.time[k] - q.time[f]) < 1e-7) g = k;
            if (g < 0) continue;
            nf++;
            fa_osim_motion_pose(m, &q, &def, map, f, &P);
            double q0 = P.q[qc];
            for (int c = 0; c < A.ncol; c++) {
                int i = fa_osim_find_muscle(m, A.label[c]);
                CHECK(i >= 0);
                if (i < 0) continue;
                double d = fabs(fa_osim_moment_arm(m, &P, i, qc) - A.data[(size_t)g * A.ncol + c]);
                if (m->muscle_nwrap[i])
                    ww = d > ww ? d : ww;
                else
                    wu = d > wu ? d : wu;
            }
            CHECK(P.q[qc] == q0); /* restored */
        }
        CHECK(nf == 47);
        CHECK_MSG(wu < 1e-7, "%s: unwrapped moment arms differ from OpenSim by %g m", coords[cc], wu);
        CHECK_MSG(ww < 2e-4, "%s: wrapped moment arms differ from OpenSim by %g m", coords[cc], ww);
        fa_osim_motion_free(&A);
    }
    /* sign convention: knee extensors have negative moment arms about Rajagopal's knee flexion */
    fa_osim_pose_defaults(m, &P);
    P.q[fa_osim_find_coord(m, "knee_angle_r")] = 0.5;
    fa_osim_apply_couplers(m, &P);
    fa_osim_fk(m, &P);
    CHECK(fa_osim_moment_arm(m, &P, fa_osim_find_muscle(m, "vaslat_r"), fa_osim_find_coord(m, "knee_angle_r")) < -0.02);
    CHECK(fa_osim_moment_arm(m, &P, fa_osim_find_muscle(m, "bflh_r"), fa_osim_find_coord(m, "knee_angle_r")) > 0.01);
    /* a muscle that does not cross the knee has exactly zero moment arm about it */
    CHECK(fa_osim_moment_arm(m, &P, fa_osim_find_muscle(m, "glmed1_r"), fa_osim_find_coord(m, "knee_angle_r")) == 0.0);
    CHECK(fa_osim_moment_arm(m, &P, fa_osim_find_muscle(m, "vaslat_l"), fa_osim_find_coord(m, "knee_angle_r")) == 0.0);
    CHECK(fabs(fa_osim_moment_arm(m, &P, fa_osim_find_muscle(m, "glmed1_r"), fa_osim_find_coord(m, "hip_flexion_r"))) > 1e-3);
    fa_osim_pose_free(&P);
    fa_osim_motion_free(&q);
    fa_osim_free(m);
}

/* ---------------- bad inputs: tests/osim/bad/expected.tsv ---------------- */
static fa_status status_from_name(const char *s)
{
    static const char *const names[] = {
#define X(name, text) #name,
        FA_STATUS_LIST(X)
#undef X
    };
    for (int i = 0; i < FA_STATUS_COUNT; i++)
        if (!strcmp(names[i], s)) return (fa_status)i;
    return FA_STATUS_COUNT;
}

static void test_bad_corpus(void)
{
    FILE *f = fopen("tests/osim/bad/expected.tsv", "r");
    CHECK(f != NULL);
    if (!f) return;
    char line[1024];
    int n = 0;
    fa_osim *mini = load("tests/osim/mini.osim");
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char file[256], code[64], sub[512];
        int ln = 0;
        line[strcspn(line, "\n")] = '\0';
        if (sscanf(line, "%255[^\t]\t%63[^\t]\t%d\t%511[^\n]", file, code, &ln, sub) != 4) {
            CHECK_MSG(0, "bad expected.tsv line: %s", line);
            continue;
        }
        char path[400];
        snprintf(path, sizeof path, "tests/osim/bad/%s", file);
        fa_error err;
        fa_error_clear(&err);
        fa_status st;
        size_t len = strlen(file);
        if (len > 5 && !strcmp(file + len - 5, ".osim")) {
            fa_osim *m = NULL;
            st = fa_osim_load(path, &m, &err);
            fa_osim_free(m);
        } else {
            fa_osim_motion mot;
            st = fa_osim_motion_load(path, &mot, &err);
            if (st == FA_OK && mini) {
                int map[8];
                fa_osim_motion_def def = FA_OSIM_MOTION_DEF_DEFAULT;
                def.strict = 1;
                st = fa_osim_motion_bind(mini, &mot, &def, map, &err);
                fa_osim_motion_free(&mot);
            }
        }
        CHECK_MSG(st == status_from_name(code), "%s: status %s, expected %s (%s)", file, fa_status_str(st), code, err.msg);
        CHECK_MSG(err.line == ln, "%s: line %d, expected %d (%s)", file, err.line, ln, err.msg);
        CHECK_MSG(strstr(err.msg, sub) != NULL, "%s: message \"%s\" lacks \"%s\"", file, err.msg, sub);
        CHECK_MSG(strncmp(err.msg, path, strlen(path)) == 0, "%s: message does not start with the path", file);
        n++;
    }
    fclose(f);
    fa_osim_free(mini);
    CHECK(n >= 12);
}

int main(void)
{
    test_spline();
    test_counts();
    test_mini();
    test_rajagopal_fk();
    test_gait2392();
    test_free_joint();
    test_hamner_vs_gait2392();
    test_wrap();
    test_motions();
    test_opensim_reference();
    test_moment_arms();
    test_bad_corpus();
    test_corrupt();
    test_export();
    TEST_MAIN_END();
}
