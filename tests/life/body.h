/* SPDX-License-Identifier: MIT */
/* A small runner body for the life tests, built in C (no body file), and a
 * kinematics provider that moves it.
 *
 * Bodies (frames = world at standing, +x forward, +y up, +z right):
 *   0 pelvis, 1 torso (lumbar joint at (0, 1.0, 0)), 2 femur (hip at
 *   (0, 0.9, 0.1)), 3 tibia (knee at (0, 0.45, 0.1)).
 * Elements:
 *   itb.0-2   a 3-segment iliotibial band, iliac crest (pelvis) to Gerdy's
 *             tubercle (tibia), over two free nodes that glide over the
 *             vastus lateralis (interfaces to substrate nodes on the femur);
 *   low back  a 3 x 3 node thoracolumbar sheet (8 triangles, fibres
 *             vertical): bottom row on the pelvis, top row on the torso,
 *             middle row free, gliding over substrate nodes on the pelvis;
 *   glmed     a Hill gluteus medius, pelvis to femur.
 * Regions: itb, lateral_thigh, low_back, lateral_hip, lateral_knee.
 * Parameters: data/params/tissue_mechanics.csv rows named in comments. */
#ifndef FA_TEST_LIFE_BODY_H
#define FA_TEST_LIFE_BODY_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/life.h"
#include "fascia/mech.h"
#include "fascia/model.h"
#include "fascia/scenario.h"

#define LB_PI 3.14159265358979323846

static int lb_name(fa_model *m, int *at, const char *s)
{
    int off = *at;
    size_t n = strlen(s) + 1;
    memcpy(m->names + off, s, n);
    *at += (int)n;
    return off;
}

static void lb_node(fa_model *m, int i, int body, double x, double y, double z)
{
    m->node_name[i] = -1;
    m->node_body[i] = body;
    m->node_pos0[3 * i] = x;
    m->node_pos0[3 * i + 1] = y;
    m->node_pos0[3 * i + 2] = z;
    if (body >= 0) memcpy(m->node_local + 3 * i, m->node_pos0 + 3 * i, 3 * sizeof(double));
}

/* Build and finalize the body; NULL on error (printed). With tfl, a second
 * Hill muscle: the tensor fasciae latae, from the anterior superior iliac
 * spine (pelvis) into the band's upper free node (element 17, region
 * lateral_hip). */
static fa_model *lb_body_opt(int tfl)
{
    fa_model s;
    memset(&s, 0, sizeof s);
    s.nmat = 2;
    s.nbody = 4;
    s.nnode = 4 + 2 + 9 + 3 + 2 + (tfl ? 1 : 0); /* itb 4, itb substrate 2, sheet 9, sheet substrate 3, muscle 2 */
    s.ncord = 3;
    s.nmem = 8;
    s.nintf = 5;
    s.nmuscle = tfl ? 2 : 1;
    s.nelem = s.ncord + s.nmem + s.nintf + s.nmuscle;
    s.nregion = 5;
    s.nregionel = 3 + 5 + 11 + 2 + 1 + (tfl ? 1 : 0);
    s.nnamechar = 256;
    fa_model *m = fa_model_alloc(&s);
    if (!m) return NULL;
    int at = 0;
    m->names[at++] = 0;
    /* materials: 0 ITB (itb_E_mid 350 MPa, toe_strain 0.02, deep_fail_strain
     * 0.1411, fascia_rho), 1 TLF (tlf_E 150.9 MPa, fl_fib2_angle,
     * fl_fib2_frac); ground matrix 1 MPa, nu 0.3: test assumptions */
    for (int j = 0; j < 2; j++) {
        m->mat_name[j] = lb_name(m, &at, j ? "tlf" : "itb");
        m->mat_E[j] = j ? 1.509e8 : 3.5e8;
        m->mat_toe[j] = 0.02;
        m->mat_Em[j] = 1e6;
        m->mat_nu[j] = 0.3;
        m->mat_rho[j] = 1.12e3;
        m->mat_fail[j] = 0.1411;
        m->mat_fib2_angle[j] = 1.36;
        m->mat_fib2_frac[j] = j ? 0.15 : 0.0;
        m->mat_grade[j] = 'B';
        m->mat_cite[j] = -1;
    }
    static const char *bn[4] = {"pelvis", "torso", "femur", "tibia"};
    static const int bp[4] = {-1, 0, 0, 2};
    static const double bm[4] = {11.8, 26.8, 9.3, 3.7}; /* kg, order of Rajagopal 2016 segment masses */
    for (int b = 0; b < 4; b++) {
        m->body_name[b] = lb_name(m, &at, bn[b]);
        m->body_parent[b] = bp[b];
        m->body_mass[b] = bm[b];
    }
    /* ITB: crest (pelvis), two free nodes, Gerdy's tubercle (tibia) */
    lb_node(m, 0, 0, -0.02, 1.02, 0.19);
    lb_node(m, 1, -1, 0.0, 0.82, 0.17);
    lb_node(m, 2, -1, 0.01, 0.62, 0.16);
    lb_node(m, 3, 3, 0.02, 0.42, 0.15);
    lb_node(m, 4, 2, 0.0, 0.82, 0.17);  /* substrate on the femur */
    lb_node(m, 5, 2, 0.01, 0.62, 0.16);
    for (int i = 0; i < 3; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "itb.%d", i);
        m->cord_name[i] = lb_name(m, &at, nm);
        m->cord_node[2 * i] = i;
        m->cord_node[2 * i + 1] = i + 1;
        m->cord_mat[i] = 0;
        m->cord_area[i] = 4.4e-5; /* 40 mm wide x 1.1 mm (deep_thick_lat_thigh) */
        m->cord_prestrain[i] = 0.005;
    }
    /* thoracolumbar sheet: x = -0.1 plane, rows y = 0.95 (pelvis), 1.10
     * (free), 1.25 (torso); columns z = -0.1, 0, 0.1 */
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < 3; i++) lb_node(m, 6 + 3 * j + i, j == 0 ? 0 : (j == 2 ? 1 : -1), -0.1, 0.95 + 0.15 * j, -0.1 + 0.1 * i);
    for (int i = 0; i < 3; i++) lb_node(m, 15 + i, 0, -0.1, 1.10, -0.1 + 0.1 * i);
    int t = 0;
    for (int j = 0; j < 2; j++)
        for (int i = 0; i < 2; i++) {
            int a = 6 + 3 * j + i, b = a + 1, c = a + 4, d = a + 3;
            int tri[6] = {a, c, b, a, d, c}; /* counter-clockwise seen from -x (outside, posterior) */
            for (int q = 0; q < 2; q++, t++) {
                memcpy(m->mem_node + 3 * t, tri + 3 * q, 3 * sizeof(int));
                m->mem_mat[t] = 1;
                m->mem_thick[t] = 1.5e-3; /* tlf_thick */
                m->mem_fibre[3 * t + 1] = 1.0;
            }
        }
    /* interfaces: lct_G 920 Pa, lct_h 43 um, ha_eta 1 Pa s; normal stiffness
     * 10x tangential (test assumption) */
    const int isheet[5] = {1, 2, 9, 10, 11}, isub[5] = {4, 5, 15, 16, 17};
    for (int i = 0; i < 5; i++) {
        m->intf_node[2 * i] = isheet[i];
        m->intf_node[2 * i + 1] = isub[i];
        m->intf_area[i] = i < 2 ? 8e-3 : 1.5e-2;
        m->intf_G[i] = 920.0;
        m->intf_h[i] = 43e-6;
        m->intf_eta[i] = 1.0;
        m->intf_kn[i] = 10.0 * 920.0 * m->intf_area[i] / 43e-6;
        m->intf_normal[3 * i + (i < 2 ? 2 : 0)] = i < 2 ? 1.0 : -1.0;
    }
    /* gluteus medius: iliac crest to greater trochanter */
    lb_node(m, 18, 0, -0.02, 1.0, 0.15);
    lb_node(m, 19, 2, 0.0, 0.86, 0.17);
    m->muscle_name[0] = lb_name(m, &at, "glmed");
    m->muscle_node[0] = 18;
    m->muscle_node[1] = 19;
    m->muscle_fmax[0] = 1000.0;
    m->muscle_lopt[0] = 0.15;
    m->muscle_vmax[0] = 10.0;
    m->muscle_lslack[0] = 0.0;
    if (tfl) {
        /* tensor fasciae latae: ASIS 6 cm anterior and 7 cm above the hip
         * centre (flexion moment arm ~3 cm) into the band's upper free
         * node; lopt 0.095 m and fmax 155 N of Arnold EM et al. 2010, Ann
         * Biomed Eng 38:269-279 (grade B); tendon slack chosen so that the
         * fibres sit at lopt standing (test assumption) */
        lb_node(m, 20, 0, 0.06, 0.97, 0.17);
        m->muscle_name[1] = lb_name(m, &at, "tfl");
        m->muscle_node[2] = 20;
        m->muscle_node[3] = 1;
        m->muscle_fmax[1] = 155.0;
        m->muscle_lopt[1] = 0.095;
        m->muscle_vmax[1] = 10.0;
        m->muscle_lslack[1] = sqrt(0.06 * 0.06 + 0.15 * 0.15) - 0.095;
    }
    /* regions (global numbering: cords 0-2, membranes 3-10, interfaces 11-15, muscle 16) */
    static const char *rn[5] = {"itb", "lateral_thigh", "low_back", "lateral_hip", "lateral_knee"};
    static const int rel[] = {0, 1, 2, /* itb */
                              0, 1, 2, 11, 12, /* lateral thigh */
                              3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, /* low back */
                              0, 16, 17, /* lateral hip (17: tfl, with tfl only) */
                              2 /* lateral knee */};
    static const int rel0[] = {0, 1, 2, 0, 1, 2, 11, 12, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 0, 16, 2};
    const int rnum[5] = {3, 5, 11, tfl ? 3 : 2, 1};
    for (int r = 0, k = 0; r < 5; r++) {
        m->region_name[r] = lb_name(m, &at, rn[r]);
        m->region_adr[r] = k;
        m->region_num[r] = rnum[r];
        k += rnum[r];
    }
    if (tfl)
        memcpy(m->region_elem, rel, sizeof rel);
    else
        memcpy(m->region_elem, rel0, sizeof rel0);
    fa_error err;
    if (fa_model_finalize(&m, &err) != FA_OK) {
        fprintf(stderr, "test body: %s\n", err.msg);
        fa_model_free(m);
        return NULL;
    }
    return m;
}

static fa_model *lb_body(void)
{
    return lb_body_opt(0);
}

/* ---- kinematics ---- */

static void lb_rot(double *R, int axis, double a)
{
    double c = cos(a), s = sin(a);
    for (int k = 0; k < 9; k++) R[k] = (k % 4 == 0) ? 1.0 : 0.0;
    int i = (axis + 1) % 3, j = (axis + 2) % 3;
    R[3 * i + i] = c;
    R[3 * i + j] = -s;
    R[3 * j + i] = s;
    R[3 * j + j] = c;
}

static void lb_mul(double *C, const double *A, const double *B)
{
    double T[9];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) T[3 * i + j] = A[3 * i] * B[j] + A[3 * i + 1] * B[3 + j] + A[3 * i + 2] * B[6 + j];
    memcpy(C, T, sizeof T);
}

static void lb_apply(const double *R, const double *p, const double *x, double *out)
{
    for (int i = 0; i < 3; i++) out[i] = p[i] + R[3 * i] * x[0] + R[3 * i + 1] * x[1] + R[3 * i + 2] * x[2];
}

/* Joint angles (rad): hip flexion (+ forward), hip adduction (+ knee
 * toward the midline), knee flexion (+), trunk flexion (+ forward). */
static void lb_pose(fa_data *d, double hip, double add, double knee, double trunk)
{
    static const double ch[3] = {0, 0.9, 0.1}, ck[3] = {0, 0.45, 0.1}, cl[3] = {0, 1.0, 0};
    double R[9], A[9], p[3], q[3];
    /* pelvis */
    lb_rot(d->body_xmat, 0, 0.0);
    memset(d->body_xpos, 0, 3 * sizeof(double));
    /* torso: about z through the lumbar joint; forward flexion = -z */
    lb_rot(R, 2, -trunk);
    memcpy(d->body_xmat + 9, R, sizeof R);
    lb_apply(R, (double[3]){0, 0, 0}, cl, q);
    for (int k = 0; k < 3; k++) d->body_xpos[3 + k] = cl[k] - q[k];
    /* femur: flexion about +z, adduction about +x (knee toward -z) */
    lb_rot(R, 2, hip);
    lb_rot(A, 0, add);
    lb_mul(R, R, A);
    memcpy(d->body_xmat + 18, R, sizeof R);
    lb_apply(R, (double[3]){0, 0, 0}, ch, q);
    for (int k = 0; k < 3; k++) p[k] = ch[k] - q[k];
    memcpy(d->body_xpos + 6, p, sizeof p);
    /* tibia: knee flexion = -z relative to the femur */
    double kw[3], Rt[9];
    lb_apply(R, p, ck, kw);
    lb_rot(A, 2, -knee);
    lb_mul(Rt, R, A);
    memcpy(d->body_xmat + 27, Rt, sizeof Rt);
    lb_apply(Rt, (double[3]){0, 0, 0}, ck, q);
    for (int k = 0; k < 3; k++) d->body_xpos[9 + k] = kw[k] - q[k];
}

#define LB_DEG (LB_PI / 180.0)

static fa_status lb_posture(void *user, const fa_model *m, fa_data *d, const char *name, fa_error *err)
{
    (void)user;
    (void)m;
    static const struct {
        const char *name;
        double hip, add, knee, trunk; /* deg */
    } P[] = {
        {"standing", 0, 0, 0, 0},       {"lying", 0, 0, 0, 0},          {"side_lying", 0, 5, 10, 0},
        {"desk_upright", 90, 0, 90, 0}, {"desk_slumped", 90, 0, 90, 3}, {"forward_fold", 100, 0, 0, 5},
        {"lunge", -15, 0, 60, 0},        {"pigeon", 90, 8, 90, 2},      {"calf_stretch", -10, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++)
        if (!strcmp(P[i].name, name)) {
            lb_pose(d, P[i].hip * LB_DEG, P[i].add * LB_DEG, P[i].knee * LB_DEG, P[i].trunk * LB_DEG);
            return FA_OK;
        }
    return fa_error_set(err, FA_ERR_UNKNOWN, NULL, 0, 0, "test body: expected a posture, found '%s'", name);
}

#define LB_NFRAME 24

static fa_status lb_gait(void *user, const fa_model *m, const char *name, double speed, int *nframe, double *dt,
                         fa_error *err)
{
    (void)user;
    (void)m;
    if (strcmp(name, "running") && strcmp(name, "walking"))
        return fa_error_set(err, FA_ERR_UNKNOWN, NULL, 0, 0, "test body: expected a gait, found '%s'", name);
    double cadence = !strcmp(name, "running") ? 170.0 : 115.0; /* steps/min */
    *nframe = LB_NFRAME;
    *dt = 120.0 / cadence / LB_NFRAME * (speed > 0.0 ? 1.0 : 1.0);
    return FA_OK;
}

static fa_status lb_gait_pose(void *user, const fa_model *m, fa_data *d, const char *name, double speed, int f,
                              fa_error *err)
{
    (void)user;
    (void)m;
    (void)err;
    int run = !strcmp(name, "running");
    double ph = 2.0 * LB_PI * f / LB_NFRAME;
    double amp = run ? 8.0 + 4.0 * speed : 12.0; /* deg of hip flexion */
    double hip = amp * sin(ph), add = (run ? 2.0 : 1.0) * fmax(0.0, sin(ph + 0.5 * LB_PI));
    double knee = (run ? 10.0 + 5.0 * speed : 12.0) * (0.5 - 0.5 * cos(ph)) + 5.0;
    lb_pose(d, hip * LB_DEG, add * LB_DEG, knee * LB_DEG, 0.0);
    return FA_OK;
}

static fa_life_kin lb_kin(void)
{
    fa_life_kin k = {NULL, lb_posture, lb_gait, lb_gait_pose, 0};
    return k;
}

/* A scenario from YAML text; NULL (the error printed) on failure. */
static inline fa_scenario *lb_parse(const char *text)
{
    fa_scenario *sc = NULL;
    fa_error err;
    if (fa_scenario_parse(text, strlen(text), "<test>", &sc, &err)) {
        fprintf(stderr, "scenario: %s\n", err.msg);
        return NULL;
    }
    return sc;
}

/* Create a runner with def and run it to its end; NULL (the error printed) on failure. */
static inline fa_life *lb_run_def(const fa_model *m, const fa_scenario *sc, const fa_life_def *def)
{
    fa_life *L = NULL;
    fa_error err;
    if (fa_life_create(m, sc, def, &L, &err)) {
        fprintf(stderr, "create: %s\n", err.msg);
        return NULL;
    }
    if (fa_life_run(L, 0, NULL, NULL, &err)) {
        fprintf(stderr, "run: %s\n", err.msg);
        fa_life_free(L);
        return NULL;
    }
    return L;
}
#endif
