/* SPDX-License-Identifier: MIT */
/* Passive-resistance clinical tests on the runner body (include/fascia/clinical.h).
 *
 * Design notes.
 *  - The context owns a copy of the model with seven cervical bodies added
 *    (the Rajagopal torso carries the head). Copying goes through the
 *    FA_MODEL_ARRAYS X-macro, so every array of the model travels; only the
 *    body arrays, the name buffer and node_body/node_local of the re-hosted
 *    neck and head nodes differ. The new bodies' frames are the world frame
 *    at the reference pose (as every body of the runner body), so a node's
 *    local position is its reference position.
 *  - Resistance R(theta) = d(Psi*)/dtheta (envelope theorem: the free nodes
 *    are at equilibrium, so their motion does no work): the central
 *    difference of the energy with the bones moved to theta +- fd_deg and
 *    the free nodes kept at the equilibrium (no extra solve). The energy,
 *    not forces on anchored nodes, because gliding layers turn with their
 *    bone (their frame is a function of theta too).
 *  - Every static solve is relaxed (h <= 0: long-term moduli), muscles
 *    passive (activation 0), tone as in the tissue state, and starts from
 *    the reference positions carried by the bones (never from the previous
 *    angle's equilibrium: deep postures have several equilibria, and R must
 *    be a function of theta alone for the search and the calibration).
 *  - End-point torques, norms and sources: the table below, mirrored in
 *    data/clinical/norms.csv and calibration.csv (a test compares them). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/clinical.h"
#include "fascia/mech.h"
#include "fascia/physio.h"
#include "fascia/sim.h"

#define NCERV 7
#define DEG (3.14159265358979323846 / 180.0)

/* ------------------------------------------------------------ the tables */

static const fa_clin_info info_tab[FA_CLIN_NTEST] = {
    {"sit_reach", "sit-and-reach", "cm", 0.0, 5.0, 2.5, 'C',
     "Topend Sports sit-and-reach norms, adult men 'average' 0 to +5 cm, feet = 0 (literature.md P1; "
     "low authority, table based on the author's experience)",
     80.32, 47.26, 80.0, 0.0},
    {"slr", "passive straight leg raise", "deg", 80.0, 100.0, 82.0, 'A',
     "Ayala F, Sainz de Baranda P, De Ste Croix M, Santonja F 2013, Phys Ther Sport 14:98-104: normal "
     "hamstring flexibility >= 80 deg (upper bound 100 deg: modelling assumption)",
     184.0, 82.00, 130.0, 0.0},
    {"ober", "Ober test (contralateral hip 0 deg)", "deg", 3.0, 12.6, 7.8, 'A',
     "Effects of Contralateral Hip Flexion Angle on the Ober Test, BioMed Res Int 2022:3349940, Table 1: "
     "7.81 +/- 4.82 deg with the other hip at 0 deg (n = 28 healthy adults); range = mean +/- 1 SD",
     16.97, 27.80, 80.0, -20.0},
    {"thomas", "modified Thomas test (hip extension)", "deg", 0.0, 25.0, 11.9, 'B',
     "Harvey D 1998, Br J Sports Med 32(1):68-70: elite athletes' thigh 11.9 deg below horizontal; "
     "hip angle > 0 deg = short hip flexors (BMC Sports Sci Med Rehabil 2021, 13, Table 4); upper bound "
     "25 deg: modelling assumption",
     28.87, 11.90, 50.0, -30.0},
    {"knee_to_wall", "knee-to-wall (weight-bearing lunge)", "cm", 9.0, 12.0, 10.5, 'B',
     "weight-bearing ankle dorsiflexion with the knee flexed 39 deg [36-42] (Baumbach SF et al. 2014, "
     "BMC Musculoskelet Disord 15:246); 1 cm = 3.6 deg (Bennell K et al. 1998); cm band = these angles "
     "through the skeleton's geometry, rounded (grade B)",
     66.58, 35.68, 60.0, 0.0},
    {"cervical_flexion", "cervical flexion", "deg", 45.0, 60.0, 50.0, 'C',
     "textbook normal cervical flexion 50 deg (Muscolino JE, Kinesiology, learnmuscles.com glossary); "
     "acceptable 45-60 deg (expert sources, grade C)",
     91.45, 50.00, 90.0, 0.0},
};

const fa_clin_info *fa_clinical_info(int t)
{
    return (t >= 0 && t < FA_CLIN_NTEST) ? &info_tab[t] : NULL;
}

int fa_clinical_find(const char *id)
{
    for (int t = 0; t < FA_CLIN_NTEST; t++)
        if (id && !strcmp(id, info_tab[t].id)) return t;
    return -1;
}

/* Start posture (deg) and drive weights of each test. */
typedef struct coordval {
    const char *coord;
    double v; /* deg (base) or weight (drive) */
} coordval;
typedef struct testdef {
    coordval base[4];
    coordval drive[4];
    double cerv;   /* weight of the cervical flexion drive */
    double offset; /* deg, value of the clinical angle at theta = 0 (angle tests) */
} testdef;

static const testdef test_tab[FA_CLIN_NTEST] = {
    /* long sitting with both hips at the straight-leg-raise end range (set at run time: the
     * hamstring limit), lumbar spine flexed by theta */
    {{{"hip_flexion_r", 0}, {"hip_flexion_l", 0}}, {{"lumbar_extension", -1.0}}, 0, 0},
    /* supine, knee extended, ankle neutral */
    {{{0}}, {{"hip_flexion_r", 1.0}}, 0, 0},
    /* side-lying, hip neutral in flexion, knee 90, thigh dropped from 20 deg abduction */
    {{{"knee_angle_r", 90}, {"hip_adduction_r", -20}}, {{"hip_adduction_r", 1.0}}, 0, -20},
    /* other hip flexed 120 with the knee flexed, tested knee hanging at 80 deg */
    {{{"hip_flexion_l", 120}, {"knee_angle_l", 120}, {"knee_angle_r", 80}}, {{"hip_flexion_r", -1.0}}, 0, 0},
    /* foot flat, thigh vertical: knee flexion = ankle dorsiflexion = shank inclination */
    {{{0}}, {{"ankle_angle_r", 1.0}, {"knee_angle_r", 1.0}}, 0, 0},
    /* sitting upright: head and neck only */
    {{{0}}, {{0}}, 1.0, 0},
};

/* --------------------------------------------------------------- context */

struct fa_clinical {
    const fa_model *m0;
    fa_model *mc;
    const fa_osim *os;
    const fa_anatomy *an;
    fa_clinical_def def;
    fa_data *d;
    fa_osim_pose ref, pose;
    double *q_stand;        /* [ncoord] standing posture */
    int torso;              /* torso body in mc */
    int cb0;                /* first cervical body */
    double piv_lo[3], piv_hi[3];
    double *xp, *xm, *f;    /* [3*nnode] scratch */
    int base_q[FA_CLIN_NTEST][4], drive_q[FA_CLIN_NTEST][4];
    int warm_test;          /* test of the last solve (-1 none) */
    int solves, noconv;
    /* reach geometry */
    double arm_len;         /* m, shoulder centre to fingertip */
    double sr_hip;          /* deg, hip flexion of the sit-and-reach (SLR end range of the state) */
    int sr_hip_beyond;      /* the SLR's end range is out of its range (sr_hip = its resistance peak) */
};

fa_clinical_def fa_clinical_default_def(void)
{
    fa_clinical_def d;
    d.tol_deg = 0.05;
    d.step_deg = 10.0;
    d.torque_scale = 1.0;
    d.fd_deg = 1e-3;
    d.maxiter = 200;
    d.slr_ankle_deg = 0.0;
    return d;
}

const fa_model *fa_clinical_model(const fa_clinical *c) { return c->mc; }
const fa_data *fa_clinical_data(const fa_clinical *c) { return c->d; }

void fa_clinical_free(fa_clinical *c)
{
    if (!c) return;
    fa_data_free(c->d);
    fa_model_free(c->mc);
    fa_osim_pose_free(&c->ref);
    fa_osim_pose_free(&c->pose);
    free(c->q_stand);
    free(c->xp);
    free(c->xm);
    free(c->f);
    free(c);
}

static int landmark_pos(const fa_model *m, const char *name, double out[3])
{
    int l = fa_model_find(m, "landmark", name);
    if (l < 0) return -1;
    int b = m->landmark_body[l];
    /* body frames are the world frame at the reference pose */
    (void)b;
    memcpy(out, m->landmark_pos + 3 * l, 3 * sizeof(double));
    return 0;
}

/* The model copy with the cervical bodies. */
static fa_status build_cervical(fa_clinical *c, fa_error *err)
{
    const fa_model *m = c->m0;
    int torso = fa_model_find(m, "body", "torso");
    if (torso < 0) return fa_error_set(err, FA_ERR_MISSING, NULL, 0, 0, "expected a body named 'torso', found none");
    double c7[3], ant[3], top[3];
    if (landmark_pos(m, "sp_c7", c7) || landmark_pos(m, "cerv_bodies_ant", ant) || landmark_pos(m, "occ_basilar", top))
        return fa_error_set(err, FA_ERR_MISSING, NULL, 0, 0,
                            "expected landmarks sp_c7, cerv_bodies_ant and occ_basilar (cervical pivots), found "
                            "them missing");
    /* C7 vertebral body centre: at the C7 spinous tip's height, midway between the spinous tip and
     * the anterior surface of the cervical bodies (grade C) */
    c->piv_lo[0] = 0.5 * (c7[0] + ant[0]);
    c->piv_lo[1] = c7[1];
    c->piv_lo[2] = 0.0;
    memcpy(c->piv_hi, top, sizeof top);
    static const char *const nm[NCERV] = {"cervical_c7", "cervical_c6", "cervical_c5", "cervical_c4",
                                          "cervical_c3", "cervical_c2", "cervical_head"};
    int extra = 0;
    for (int k = 0; k < NCERV; k++) extra += (int)strlen(nm[k]) + 1;
    fa_model sz = *m;
    sz.nbody = m->nbody + NCERV;
    sz.nnamechar = m->nnamechar + extra;
    fa_model *mc = fa_model_alloc(&sz);
    if (!mc) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "clinical model copy");
#define CP_(type, name, rows, cols, doc) \
    if (m->rows > 0) memcpy(mc->name, m->name, (size_t)m->rows * (size_t)(cols) * sizeof(type));
    FA_MODEL_ARRAYS(CP_)
#undef CP_
    mc->opt = m->opt;
    int off = m->nnamechar;
    c->cb0 = m->nbody;
    for (int k = 0; k < NCERV; k++) {
        int b = m->nbody + k;
        size_t n = strlen(nm[k]) + 1;
        memcpy(mc->names + off, nm[k], n);
        mc->body_name[b] = off;
        off += (int)n;
        mc->body_parent[b] = k == 0 ? torso : b - 1;
        mc->body_mass[b] = 0.0;
    }
    /* re-host the torso-anchored nodes of the neck and head */
    double a[3];
    for (int k = 0; k < 3; k++) a[k] = c->piv_hi[k] - c->piv_lo[k];
    double aa = a[0] * a[0] + a[1] * a[1] + a[2] * a[2];
    for (int i = 0; i < m->nnode; i++) {
        if (m->node_body[i] != torso) continue;
        const double *x = m->node_pos0 + 3 * i;
        if (fabs(x[2]) > 0.065) continue; /* shoulders, clavicles, acromia stay on the torso */
        double s = ((x[0] - c->piv_lo[0]) * a[0] + (x[1] - c->piv_lo[1]) * a[1] + (x[2] - c->piv_lo[2]) * a[2]) / aa;
        if (!(s > 0.0)) continue;
        int lev = (int)ceil(s * NCERV);
        if (lev > NCERV) lev = NCERV;
        if (lev < 1) lev = 1;
        mc->node_body[i] = m->nbody + lev - 1;
        memcpy(mc->node_local + 3 * i, x, 3 * sizeof(double));
    }
    c->mc = mc;
    c->torso = torso;
    return FA_OK;
}

/* Length (m) between two markers at the standing pose. */
static double marker_dist(const fa_clinical *c, const char *a, const char *b)
{
    int i = fa_osim_find_marker(c->os, a), j = fa_osim_find_marker(c->os, b);
    if (i < 0 || j < 0) return NAN;
    double p[3], q[3];
    fa_osim_marker_world(c->os, &c->ref, i, p);
    fa_osim_marker_world(c->os, &c->ref, j, q);
    return sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2]));
}

/* Hand length as a fraction of stature (Drillis & Contini 1966 as tabulated by Winter DA 2009,
 * Biomechanics and Motor Control of Human Movement, 4th ed., Fig. 4.1; data/clinical/calibration.csv
 * row hand_length_frac). */
#define FA_HAND_FRAC 0.108

fa_status fa_clinical_create(const fa_model *m, const fa_osim *osim, const fa_anatomy *an,
                             const fa_clinical_def *def, fa_clinical **out, fa_error *err)
{
    *out = NULL;
    if (!m || !osim || !an) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected a model, a skeleton and anatomy tables");
    fa_clinical *c = (fa_clinical *)calloc(1, sizeof *c);
    if (!c) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "clinical context");
    c->m0 = m;
    c->os = osim;
    c->an = an;
    c->def = def ? *def : fa_clinical_default_def();
    c->warm_test = -1;
    c->sr_hip = info_tab[FA_CLIN_SLR].norm_mid;
    fa_status st = build_cervical(c, err);
    if (st) goto fail;
    if ((st = fa_osim_pose_init(osim, &c->ref, err)) || (st = fa_osim_pose_init(osim, &c->pose, err))) goto fail;
    if ((st = fa_anatomy_posture(an, osim, "standing", &c->ref, err))) goto fail;
    c->q_stand = (double *)malloc(sizeof(double) * (size_t)(osim->ncoord > 0 ? osim->ncoord : 1));
    size_t n3 = 3 * (size_t)(m->nnode > 0 ? m->nnode : 1) * sizeof(double);
    c->xp = (double *)malloc(n3);
    c->xm = (double *)malloc(n3);
    c->f = (double *)malloc(n3);
    c->d = fa_data_alloc(c->mc, 0);
    if (!c->q_stand || !c->xp || !c->xm || !c->f || !c->d) {
        st = fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "clinical context");
        goto fail;
    }
    memcpy(c->q_stand, c->ref.q, sizeof(double) * (size_t)osim->ncoord);
    for (int t = 0; t < FA_CLIN_NTEST; t++) {
        for (int k = 0; k < 4; k++) {
            const char *b = test_tab[t].base[k].coord, *dr = test_tab[t].drive[k].coord;
            c->base_q[t][k] = b ? fa_osim_find_coord(osim, b) : -1;
            c->drive_q[t][k] = dr ? fa_osim_find_coord(osim, dr) : -1;
            if ((b && c->base_q[t][k] < 0) || (dr && c->drive_q[t][k] < 0)) {
                st = fa_error_set(err, FA_ERR_UNKNOWN, NULL, 0, 0, "test %s: expected coordinate '%s' in the skeleton, found none",
                                  info_tab[t].id, b && c->base_q[t][k] < 0 ? b : dr);
                goto fail;
            }
        }
    }
    /* arm: shoulder centre -> elbow centre -> wrist (hand origin) + hand */
    {
        int hand = fa_osim_find_body(osim, "hand_r"), ej = fa_osim_find_marker(osim, "REJC");
        double up = marker_dist(c, "RSJC", "REJC");
        double stature = NAN;
        int lv = fa_anatomy_landmark(an, "vertex_galea");
        double top[3], lo = INFINITY;
        if (lv >= 0) {
            int b = fa_osim_find_body(osim, an->lm_body[lv]);
            if (b >= 0) {
                fa_osim_point_world(&c->ref, b, an->lm_pos + 3 * lv, top);
                for (int mk = 0; mk < osim->nmarker; mk++) {
                    double p[3];
                    fa_osim_marker_world(osim, &c->ref, mk, p);
                    if (p[1] < lo) lo = p[1];
                }
                stature = top[1] - lo;
            }
        }
        if (hand < 0 || ej < 0 || !isfinite(up) || !isfinite(stature)) {
            st = fa_error_set(err, FA_ERR_MISSING, NULL, 0, 0,
                              "expected body hand_r, markers RSJC, REJC and landmark vertex_galea for the reach, found "
                              "them missing");
            goto fail;
        }
        double e[3], w[3];
        fa_osim_marker_world(osim, &c->ref, ej, e);
        memcpy(w, c->ref.body_p + 3 * hand, sizeof w);
        double fore = sqrt((e[0] - w[0]) * (e[0] - w[0]) + (e[1] - w[1]) * (e[1] - w[1]) + (e[2] - w[2]) * (e[2] - w[2]));
        c->arm_len = up + fore + FA_HAND_FRAC * stature;
    }
    fa_clinical_set_state(c, NULL);
    *out = c;
    return FA_OK;
fail:
    fa_clinical_free(c);
    return st;
}

void fa_clinical_set_state(fa_clinical *c, const fa_data *s)
{
    const fa_model *m = c->mc;
    fa_data *d = c->d;
    fa_data_reset(m, d);
    if (!s) {
        /* the healthy person: every physiology module at its steady state under the habitual
         * day (the built-in parameter table), as `fascia run` starts a person: the continuously
         * repaired micro-damage, the habitual tone and layer state are part of healthy tissue */
        fa_error e2;
        fa_physio_params *p = fa_physio_params_default(&e2);
        if (p) fa_physio_init(m, d, p, &e2);
        fa_physio_params_free(p);
    } else {
        size_t ne = (size_t)m->nelem * sizeof(double), ni = (size_t)m->nintf * sizeof(double);
        if (m->nelem > 0) {
            memcpy(d->tis_hyd, s->tis_hyd, ne);
            memcpy(d->tis_dens, s->tis_dens, ne);
            memcpy(d->tis_xlink, s->tis_xlink, ne);
            memcpy(d->tis_thick, s->tis_thick, ne);
            memcpy(d->tis_rest, s->tis_rest, ne);
            memcpy(d->tis_tone, s->tis_tone, ne);
            memcpy(d->tis_damage, s->tis_damage, ne);
            memcpy(d->tis_temp, s->tis_temp, ne);
        }
        if (m->nintf > 0) {
            memcpy(d->intf_visc, s->intf_visc, ni);
            memcpy(d->intf_adh, s->intf_adh, ni);
            memcpy(d->intf_slide, s->intf_slide, 3 * ni);
        }
    }
    c->warm_test = -1;
}

/* ------------------------------------------------------------ kinematics */

/* Rotation by angle a (rad) about world z through point p, applied to the transform (R, t). */
static void rotz_about(double a, const double p[3], double R[9], double t[3])
{
    double ca = cos(a), sa = sin(a);
    double Z[9] = {ca, -sa, 0, sa, ca, 0, 0, 0, 1};
    double R2[9], t2[3];
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) R2[3 * i + j] = Z[3 * i] * R[j] + Z[3 * i + 1] * R[3 + j] + Z[3 * i + 2] * R[6 + j];
        t2[i] = Z[3 * i] * (t[0] - p[0]) + Z[3 * i + 1] * (t[1] - p[1]) + Z[3 * i + 2] * (t[2] - p[2]) + p[i];
    }
    memcpy(R, R2, sizeof R2);
    memcpy(t, t2, sizeof t2);
}

/* Pose of the skeleton for a list of coordinates (deg) and cervical flexion (deg). */
static void set_pose_coords(fa_clinical *c, const int *qi, const double *deg, int n, double cerv_deg)
{
    const fa_osim *os = c->os;
    memcpy(c->pose.q, c->q_stand, sizeof(double) * (size_t)os->ncoord);
    for (int k = 0; k < n; k++)
        if (qi[k] >= 0) c->pose.q[qi[k]] += deg[k] * DEG;
    fa_osim_apply_couplers(os, &c->pose);
    fa_osim_fk(os, &c->pose);
    fa_data *d = c->d;
    const fa_model *m = c->mc;
    fa_anatomy_set_body_poses(m, os, &c->ref, &c->pose, d);
    /* cervical chain: body k = T_torso * Rot(p_0) ... Rot(p_k), flexion = rotation about -z */
    const double *Rt = d->body_xmat + 9 * c->torso, *pt = d->body_xpos + 3 * c->torso;
    double a = -cerv_deg * DEG / NCERV;
    for (int k = 0; k < NCERV; k++) {
        double R[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1}, t[3] = {0, 0, 0};
        for (int j = k; j >= 0; j--) {
            double p[3];
            for (int i = 0; i < 3; i++) p[i] = c->piv_lo[i] + (c->piv_hi[i] - c->piv_lo[i]) * j / (double)NCERV;
            rotz_about(a, p, R, t);
        }
        int b = c->cb0 + k;
        double *Rb = d->body_xmat + 9 * b, *pb = d->body_xpos + 3 * b;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) Rb[3 * i + j] = Rt[3 * i] * R[j] + Rt[3 * i + 1] * R[3 + j] + Rt[3 * i + 2] * R[6 + j];
            pb[i] = Rt[3 * i] * t[0] + Rt[3 * i + 1] * t[1] + Rt[3 * i + 2] * t[2] + pt[i];
        }
    }
}

static void set_pose(fa_clinical *c, int t, double theta)
{
    int qi[8], n = 0;
    double deg[8];
    for (int k = 0; k < 4; k++)
        if (c->base_q[t][k] >= 0) {
            qi[n] = c->base_q[t][k];
            deg[n++] = t == FA_CLIN_SIT_REACH ? c->sr_hip : test_tab[t].base[k].v;
        }
    for (int k = 0; k < 4; k++)
        if (c->drive_q[t][k] >= 0) {
            qi[n] = c->drive_q[t][k];
            deg[n++] = test_tab[t].drive[k].v * theta;
        }
    if (t == FA_CLIN_SLR && c->def.slr_ankle_deg != 0.0) { /* ankle pre-position of the SLR */
        qi[n] = fa_osim_find_coord(c->os, "ankle_angle_r");
        deg[n++] = c->def.slr_ankle_deg;
    }
    set_pose_coords(c, qi, deg, n, test_tab[t].cerv * theta);
}

/* Relaxed static equilibrium at the current body poses. cold: start from the reference with the
 * gliding nodes carried by their bone; else from the last equilibrium. */
static fa_status solve(fa_clinical *c, int cold, fa_error *err)
{
    const fa_model *m = c->mc;
    fa_data *d = c->d;
    if (cold) memcpy(d->x, m->node_pos0, 3 * (size_t)m->nnode * sizeof(double));
    fa_kinematics_anchor(m, d);
    if (cold) fa_anatomy_carry_free_nodes(m, d);
    fa_static_def sd = fa_default_static_def();
    sd.maxiter = c->def.maxiter;
    /* at the force residual's round-off floor (about 3e-7 N standing, where gravity on the free
     * stations and the stiff tendons meet), accept a remaining node move below 1 um instead of
     * iterating to maxiter */
    sd.xtol = 1e-6;
    /* a fresh factorisation per Newton system: with FA_LIN_AUTO the previous solve's factor
     * preconditions the next, and where the network has several equilibria that history picks one */
    sd.linsolver = FA_LIN_CHOLMOD;
    fa_static_report rep;
    fa_error e2;
    fa_status st = fa_solve_static(m, d, &sd, &rep, &e2);
    c->solves++;
    if (st == FA_ERR_NOCONV) {
        c->noconv++;
        return FA_OK;
    }
    if (st) {
        if (err) *err = e2;
        return st;
    }
    return FA_OK;
}

static fa_status solve_at(fa_clinical *c, int t, double theta, double *psi, fa_error *err)
{
    set_pose(c, t, theta);
    /* always from the reference with the gliding nodes carried by their bone: the network has
     * more than one equilibrium in deep postures (sheets and cords can settle on either side of a
     * bone), so a warm start from another angle would make R depend on the search path */
    fa_status st = solve(c, 1, err);
    if (st) return st;
    c->warm_test = t;
    double E = fa_assemble(c->mc, c->d, c->d->x, NULL, 0.0, c->f, NULL, NULL);
    if (psi) *psi = E;
    return FA_OK;
}

fa_status fa_clinical_torque(fa_clinical *c, int t, double theta_deg, double *R, double *psi, double fd_h_deg,
                             double *R_fd, fa_error *err)
{
    if (t < 0 || t >= FA_CLIN_NTEST) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected a test index 0..%d, found %d", FA_CLIN_NTEST - 1, t);
    const fa_model *m = c->mc;
    fa_data *d = c->d;
    size_t n3 = 3 * (size_t)m->nnode * sizeof(double);
    if (R_fd) {
        double ep, em;
        fa_status st = solve_at(c, t, theta_deg + fd_h_deg, &ep, err);
        if (!st) st = solve_at(c, t, theta_deg - fd_h_deg, &em, err);
        if (st) return st;
        *R_fd = (ep - em) / (2.0 * fd_h_deg * DEG);
    }
    /* R = dPsi* / dtheta = partial dPsi / dtheta at the equilibrium's free nodes (envelope theorem):
     * central difference of the energy with the bones (anchored nodes and the gliding layers'
     * frames, which turn with their bone) moved to theta +- h and the free nodes kept in place */
    double h = c->def.fd_deg, E;
    fa_status st = solve_at(c, t, theta_deg, &E, err);
    if (st) return st;
    memcpy(c->xm, d->x, n3);
    set_pose(c, t, theta_deg + h);
    fa_kinematics_anchor(m, d);
    double Ep = fa_assemble(m, d, d->x, NULL, 0.0, c->f, NULL, NULL);
    memcpy(d->x, c->xm, n3);
    set_pose(c, t, theta_deg - h);
    fa_kinematics_anchor(m, d);
    double Em = fa_assemble(m, d, d->x, NULL, 0.0, c->f, NULL, NULL);
    memcpy(d->x, c->xm, n3);
    set_pose(c, t, theta_deg);
    fa_kinematics_anchor(m, d);
    fa_assemble(m, d, d->x, NULL, 0.0, c->f, NULL, NULL); /* element outputs of the equilibrium */
    if (R) *R = (Ep - Em) / (2.0 * h * DEG);
    if (psi) *psi = E;
    return FA_OK;
}

/* ----------------------------------------------------------- clinical values */

static int osim_landmark_world(const fa_clinical *c, const char *name, double out[3])
{
    int l = fa_anatomy_landmark(c->an, name);
    if (l < 0) return -1;
    int b = fa_osim_find_body(c->os, c->an->lm_body[l]);
    if (b < 0) return -1;
    fa_osim_point_world(&c->pose, b, c->an->lm_pos + 3 * l, out);
    return 0;
}

double fa_clinical_value(fa_clinical *c, int t, double theta)
{
    if (t < 0 || t >= FA_CLIN_NTEST) return NAN;
    if (t == FA_CLIN_SIT_REACH || t == FA_CLIN_KTW) set_pose(c, t, theta);
    const fa_osim *os = c->os;
    if (t == FA_CLIN_SIT_REACH) {
        /* u: hip centre -> ankle centre; fingertips = shoulder centre + arm length along u */
        int h = fa_osim_find_marker(os, "RHJC"), a = fa_osim_find_marker(os, "RAJC"), s = fa_osim_find_marker(os, "RSJC");
        if (h < 0 || a < 0 || s < 0) return NAN;
        double ph[3], pa[3], ps[3], u[3];
        fa_osim_marker_world(os, &c->pose, h, ph);
        fa_osim_marker_world(os, &c->pose, a, pa);
        fa_osim_marker_world(os, &c->pose, s, ps);
        double n = 0.0;
        for (int k = 0; k < 3; k++) {
            u[k] = pa[k] - ph[k];
            n += u[k] * u[k];
        }
        n = sqrt(n);
        for (int k = 0; k < 3; k++) u[k] /= n;
        /* soles: the farthest foot landmark along u */
        double sole = -INFINITY;
        int cb = fa_osim_find_body(os, "calcn_r"), tb = fa_osim_find_body(os, "toes_r");
        for (int l = 0; l < c->an->nlandmark; l++) {
            int b = fa_osim_find_body(os, c->an->lm_body[l]);
            if (b < 0 || (b != cb && b != tb)) continue;
            double p[3];
            fa_osim_point_world(&c->pose, b, c->an->lm_pos + 3 * l, p);
            double s2 = p[0] * u[0] + p[1] * u[1] + p[2] * u[2];
            if (s2 > sole) sole = s2;
        }
        double tip = ps[0] * u[0] + ps[1] * u[1] + ps[2] * u[2] + c->arm_len;
        return 100.0 * (tip - sole);
    }
    if (t == FA_CLIN_KTW) {
        /* distance along the foot's forward axis from the big toe to the front of the patella */
        double pk[3], pt[3];
        if (osim_landmark_world(c, "patella_r", pk) || osim_landmark_world(c, "toe_dorsal_hallux_r", pt)) return NAN;
        int cb = fa_osim_find_body(os, "calcn_r");
        if (cb < 0) return NAN;
        const double *R = c->pose.body_R + 9 * cb;
        double fx[3] = {R[0], R[3], R[6]}; /* calcaneus x axis (forward) in ground */
        fx[1] = 0.0;
        double n = sqrt(fx[0] * fx[0] + fx[2] * fx[2]);
        return 100.0 * ((pk[0] - pt[0]) * fx[0] + (pk[2] - pt[2]) * fx[2]) / n;
    }
    return test_tab[t].offset + theta;
}

/* ------------------------------------------------------------- end range */

/* End range with the side it left the test's range on: *dir 0 reached, +1 not reached up to
 * theta_max (theta = the resistance peak's angle), -1 exceeded already at theta_min (theta =
 * theta_min); FA_ERR_RANGE when dir != 0. */
static fa_status end_range_dir(fa_clinical *c, int t, double *theta_out, double *value, int *dir, fa_error *err)
{
    if (t < 0 || t >= FA_CLIN_NTEST) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected a test index 0..%d, found %d", FA_CLIN_NTEST - 1, t);
    const fa_clin_info *in = &info_tab[t];
    *dir = 0;
    if (t == FA_CLIN_SIT_REACH) {
        /* the hips go to the hamstring limit of this tissue state first (its resistance peak when
         * the SLR has no end point in range: the reach is then a lower bound) */
        double th = 0.0;
        int d1 = 0;
        fa_status s1 = end_range_dir(c, FA_CLIN_SLR, &th, NULL, &d1, err);
        if (s1 && s1 != FA_ERR_RANGE) return s1;
        c->sr_hip = th;
        c->sr_hip_beyond = d1;
    }
    double target = in->torque * c->def.torque_scale;
    double tmin = fmin(in->theta_min, 0.0);
    double lo = tmin, hi = tmin, R = 0.0, Rlo = 0.0, Rhi = 0.0;
    int found = 0;
    c->warm_test = -1;
    /* bracket the crossing starting at the calibrated angle (the healthy end range), stepping up
     * or down from there: the crossing nearest the calibrated angle */
    double step = c->def.step_deg > 0.0 ? c->def.step_deg : 10.0;
    double th0 = fmin(fmax(in->theta_cal, tmin), in->theta_max);
    fa_status st = fa_clinical_torque(c, t, th0, &R, NULL, 0.0, NULL, err);
    if (st) return st;
    double Rmax = R, thmax = th0;
    if (R < target) {
        lo = th0;
        Rlo = R;
        for (double th = th0 + step; th0 < in->theta_max; th += step) {
            if (th > in->theta_max) th = in->theta_max;
            if ((st = fa_clinical_torque(c, t, th, &R, NULL, 0.0, NULL, err))) return st;
            if (R > Rmax) {
                Rmax = R;
                thmax = th;
            }
            if (R >= target) {
                hi = th;
                Rhi = R;
                found = 1;
                break;
            }
            lo = th;
            Rlo = R;
            if (th >= in->theta_max) break;
        }
    } else {
        hi = th0;
        Rhi = R;
        found = 1;
        for (double th = th0 - step;; th -= step) {
            if (th < tmin) th = tmin;
            if ((st = fa_clinical_torque(c, t, th, &R, NULL, 0.0, NULL, err))) return st;
            if (R < target) {
                lo = th;
                Rlo = R;
                break;
            }
            hi = th;
            Rhi = R;
            if (th <= tmin) {
                /* resisting beyond the end-point torque already at the start of the drive range */
                *theta_out = tmin;
                *dir = -1;
                if (value) *value = fa_clinical_value(c, t, tmin);
                return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                    "test %s: end-point torque %.4g N m exceeded already at the drive range's start "
                                    "(%.1f deg: R %.4g N m)",
                                    in->id, target, tmin, R);
            }
        }
    }
    if (!found) {
        /* the resistance stays below the end-point torque at every sample: find its peak (golden
         * section on R around the best sample). A peak narrower than the bracketing step can still
         * reach the torque: the crossing then lies between the window's lower end and the peak.
         * Otherwise the end range is beyond the test's range: the angle of the peak, FA_ERR_RANGE */
        const double a0 = fmax(tmin, thmax - step);
        double a = a0, b = fmin(in->theta_max, thmax + step);
        const double g = 0.6180339887498949;
        double x1 = b - g * (b - a), x2 = a + g * (b - a), R1, R2;
        if ((st = fa_clinical_torque(c, t, x1, &R1, NULL, 0.0, NULL, err)) ||
            (st = fa_clinical_torque(c, t, x2, &R2, NULL, 0.0, NULL, err)))
            return st;
        while (b - a > 4.0 * c->def.tol_deg) {
            if (R1 >= R2) {
                b = x2;
                x2 = x1;
                R2 = R1;
                x1 = b - g * (b - a);
                if ((st = fa_clinical_torque(c, t, x1, &R1, NULL, 0.0, NULL, err))) return st;
            } else {
                a = x1;
                x1 = x2;
                R1 = R2;
                x2 = a + g * (b - a);
                if ((st = fa_clinical_torque(c, t, x2, &R2, NULL, 0.0, NULL, err))) return st;
            }
        }
        double xb = R1 >= R2 ? x1 : x2, Rb = fmax(R1, R2), Ra = 0.0;
        if (Rb >= target && (st = fa_clinical_torque(c, t, a0, &Ra, NULL, 0.0, NULL, err))) return st;
        if (Rb >= target && Ra < target) {
            lo = a0;
            Rlo = Ra;
            hi = xb;
            Rhi = Rb;
        } else {
            *theta_out = 0.5 * (a + b);
            *dir = 1;
            if (value) *value = fa_clinical_value(c, t, *theta_out);
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                "test %s: end-point torque %.4g N m not reached (resistance peaks at %.4g N m near %.1f deg)",
                                in->id, target, Rb, *theta_out);
        }
    }
    /* Illinois regula falsi on R(theta) - target over [lo, hi], bisection when it stalls */
    double flo = Rlo - target, fhi = Rhi - target;
    int side = 0;
    while (hi - lo > c->def.tol_deg) {
        double mid = hi - fhi * (hi - lo) / (fhi - flo);
        double w = hi - lo;
        if (!(mid > lo + 0.05 * w && mid < hi - 0.05 * w)) mid = 0.5 * (lo + hi);
        if ((st = fa_clinical_torque(c, t, mid, &R, NULL, 0.0, NULL, err))) return st;
        double fm = R - target;
        if (fabs(fm) <= 1e-6 * target) {
            lo = hi = mid;
            break;
        }
        if (fm >= 0.0) {
            hi = mid;
            fhi = fm;
            if (side == 1) flo *= 0.5;
            side = 1;
        } else {
            lo = mid;
            flo = fm;
            if (side == -1) fhi *= 0.5;
            side = -1;
        }
        /* a bracket shrinking from one side only: also cut it from the other */
        if (hi - lo > c->def.tol_deg && hi - lo > 0.5 * w) {
            double m2 = 0.5 * (lo + hi);
            if ((st = fa_clinical_torque(c, t, m2, &R, NULL, 0.0, NULL, err))) return st;
            if (R - target >= 0.0) {
                hi = m2;
                fhi = R - target;
            } else {
                lo = m2;
                flo = R - target;
            }
            side = 0;
        }
    }
    *theta_out = 0.5 * (lo + hi);
    if (value) *value = fa_clinical_value(c, t, *theta_out);
    return FA_OK;
}

fa_status fa_clinical_end_range(fa_clinical *c, int t, double *theta_out, double *value, fa_error *err)
{
    int dir = 0;
    return end_range_dir(c, t, theta_out, value, &dir, err);
}

fa_status fa_clinical_calibrate(fa_clinical *c, double theta_mid[FA_CLIN_NTEST], double torque[FA_CLIN_NTEST],
                                fa_error *err)
{
    /* the SLR first: its calibrated angle is the healthy hamstring limit, where the sit-and-reach
     * puts the hips */
    static const int order[FA_CLIN_NTEST] = {FA_CLIN_SLR, FA_CLIN_SIT_REACH, FA_CLIN_OBER, FA_CLIN_THOMAS, FA_CLIN_KTW,
                                             FA_CLIN_CERVICAL};
    for (int k = 0; k < FA_CLIN_NTEST; k++) {
        int t = order[k];
        const fa_clin_info *in = &info_tab[t];
        if (t == FA_CLIN_SIT_REACH) c->sr_hip = theta_mid[FA_CLIN_SLR];
        double lo = 0.0, hi = in->theta_max;
        double vlo = fa_clinical_value(c, t, lo), vhi = fa_clinical_value(c, t, hi);
        if (!((vlo - in->norm_mid) * (vhi - in->norm_mid) <= 0.0))
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "test %s: the norm's %.4g %s lies outside the drive range (%.4g .. %.4g)",
                                in->id, in->norm_mid, in->unit, vlo, vhi);
        for (int it = 0; it < 60; it++) {
            double mid = 0.5 * (lo + hi), v = fa_clinical_value(c, t, mid);
            if ((v - in->norm_mid) * (vlo - in->norm_mid) > 0.0) {
                lo = mid;
                vlo = v;
            } else {
                hi = mid;
            }
        }
        theta_mid[t] = 0.5 * (lo + hi);
        c->warm_test = -1;
        fa_status st = fa_clinical_torque(c, t, theta_mid[t], &torque[t], NULL, 0.0, NULL, err);
        if (st) return st;
    }
    return FA_OK;
}

fa_status fa_clinical_all(fa_clinical *c, fa_clinical_result *res, fa_error *err)
{
    memset(res, 0, sizeof *res);
    int s0 = c->solves, n0 = c->noconv;
    for (int t = 0; t < FA_CLIN_NTEST; t++) {
        const fa_clin_info *in = &info_tab[t];
        double th = 0.0, v = 0.0;
        int dir = 0;
        fa_error e2;
        fa_status st = end_range_dir(c, t, &th, &v, &dir, &e2);
        if (st && st != FA_ERR_RANGE) {
            if (err) *err = e2;
            return st;
        }
        if (dir > 0) th = in->theta_max; /* out of range above: the bound, not the peak */
        if (dir) v = fa_clinical_value(c, t, th);
        if (!dir && t == FA_CLIN_SIT_REACH && c->sr_hip_beyond > 0) dir = 1; /* hips at the SLR peak */
        res->reached[t] = dir == 0;
        res->beyond[t] = dir;
        res->theta[t] = th;
        res->value[t] = v;
        double R = 0.0;
        if ((st = fa_clinical_torque(c, t, th, &R, NULL, 0.0, NULL, err))) return st;
        res->torque[t] = R;
        /* a bound is inside the norm only when the whole side it opens is (never, for these norms) */
        res->inside[t] = !dir && v >= in->norm_lo && v <= in->norm_hi;
    }
    res->solves = c->solves - s0;
    res->noconv = c->noconv - n0;
    return FA_OK;
}

const char *fa_clinical_value_str(const fa_clinical_result *res, int t, char *buf, size_t n)
{
    if (!buf || n == 0) return "";
    if (!res || t < 0 || t >= FA_CLIN_NTEST) {
        snprintf(buf, n, "?");
        return buf;
    }
    int d = res->beyond[t];
    snprintf(buf, n, "%s%.1f", d > 0 ? "> " : d < 0 ? "< " : "", res->value[t]);
    return buf;
}

fa_status fa_clinical_run(const fa_model *m, const fa_data *d, const fa_osim *osim, const fa_anatomy *an,
                          const fa_clinical_def *def, fa_clinical_result *res, fa_error *err)
{
    fa_clinical *c = NULL;
    fa_status st = fa_clinical_create(m, osim, an, def, &c, err);
    if (st) return st;
    fa_clinical_set_state(c, d);
    st = fa_clinical_all(c, res, err);
    fa_clinical_free(c);
    return st;
}

void fa_clinical_print(const fa_clinical_result *res, FILE *f)
{
    fprintf(f, "%-38s %9s %5s %17s %8s %5s %10s\n", "test", "value", "unit", "norm", "", "grade", "R (N m)");
    for (int t = 0; t < FA_CLIN_NTEST; t++) {
        const fa_clin_info *in = &info_tab[t];
        char norm[64];
        snprintf(norm, sizeof norm, "%.1f .. %.1f", in->norm_lo, in->norm_hi);
        char val[32];
        fprintf(f, "%-38s %9s %5s %17s %8s %5c %10.3g%s\n", in->title, fa_clinical_value_str(res, t, val, sizeof val),
                in->unit, norm, res->beyond[t] ? "BEYOND" : res->inside[t] ? "inside" : "OUTSIDE", in->grade,
                res->torque[t],
                res->beyond[t] > 0 ? " (end-point torque not reached up to the bound: out of range)"
                : res->beyond[t] < 0 ? " (end-point torque exceeded at the drive's start: out of range)" : "");
    }
}

/* ---------------------------------------------------------- remote effect */

fa_stretch_def fa_stretch_default_def(void)
{
    /* values and sources: data/clinical/stretch.csv (test_stretch compares them) */
    fa_stretch_def s;
    memset(&s, 0, sizeof s);
    s.sets = 3;
    s.hold = 30.0;
    s.rest = 30.0;
    s.hold_slr_deg = 0.0;
    s.hold_ktw_deg = 0.0;
    s.neck = 0;
    s.g_fast = 0.20;    /* with g_slow: 23 % relaxed after a 30 s hold, 30 % after 90 s (grade B fit) */
    s.tau_fast = 8.0;
    s.g_slow = 0.39;
    s.tau_slow = 300.0; /* slow part recovered (95 %) in 15 min: Ryan 2008 */
    s.t_after = 30.0;
    s.tol_local = 0.09; /* Hatano 2022: maximal passive torque +9 % after hamstring stretching */
    s.tol_remote = 0.09;
    s.tau_tol = 600.0;  /* Behm 2016: acute ROM gains gone within 30 min */
    s.measure = (1 << FA_CLIN_SLR) | (1 << FA_CLIN_KTW) | (1 << FA_CLIN_CERVICAL);
    s.n_end = 2.7;      /* Hatano 2022: ln(1.09 / 0.93) / ln(1.06) */
    return s;
}

/* One relaxation term through the protocol: relaxes toward g with tau while held, recovers with
 * tau otherwise (quasi-linear viscoelasticity: the same relaxation time on and off). */
static double relax_term(const fa_stretch_def *s, double g, double tau)
{
    if (!(g > 0.0) || !(tau > 0.0)) return 0.0;
    double r = 0.0;
    for (int k = 0; k < s->sets; k++) {
        r = g + (r - g) * exp(-s->hold / tau);
        if (k + 1 < s->sets) r *= exp(-s->rest / tau);
    }
    return r * exp(-fmax(s->t_after, 0.0) / tau);
}

double fa_stretch_relaxation(const fa_stretch_def *def)
{
    fa_stretch_def s = def ? *def : fa_stretch_default_def();
    return relax_term(&s, s.g_fast, s.tau_fast) + relax_term(&s, s.g_slow, s.tau_slow);
}

double fa_stretch_tolerance(const fa_stretch_def *def, int local)
{
    fa_stretch_def s = def ? *def : fa_stretch_default_def();
    double f = local ? s.tol_local : s.tol_remote;
    return s.tau_tol > 0.0 ? f * exp(-fmax(s.t_after, 0.0) / s.tau_tol) : f;
}

/* End range where a resistance peak below the end-point torque (FA_ERR_RANGE) counts as the range. */
static fa_status end_range_ok(fa_clinical *c, int t, double *th, double *v, fa_error *err)
{
    fa_error e2;
    fa_status st = fa_clinical_end_range(c, t, th, v, &e2);
    if (st == FA_ERR_RANGE) return FA_OK;
    if (st && err) *err = e2;
    return st;
}

fa_status fa_clinical_stretch(fa_clinical *c, const fa_stretch_def *sdef, fa_stretch_result *res, fa_error *err)
{
    fa_stretch_def s = sdef ? *sdef : fa_stretch_default_def();
    memset(res, 0, sizeof *res);
    const fa_model *m = c->mc;
    fa_status st = FA_OK;
    static const int tests[3] = {FA_CLIN_SLR, FA_CLIN_KTW, FA_CLIN_CERVICAL};
    double *before[3] = {&res->slr_before, &res->ktw_before, &res->cerv_before};
    double *mech[3] = {&res->slr_mech, &res->ktw_mech, &res->cerv_mech};
    double *after[3] = {&res->slr_after, &res->ktw_after, &res->cerv_after};
    double *tolr[3] = {&res->tol_slr, &res->tol_ktw, &res->tol_cerv};
    double *rho[3] = {&res->rho_slr, &res->rho_ktw, &res->rho_cerv};
    double th[3] = {s.hold_slr_deg, s.hold_ktw_deg, 0.0}, R0[3] = {0.0, 0.0, 0.0};
    if (!(s.n_end > 0.0))
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "stretch: expected an end-range exponent n_end > 0, found %g",
                            s.n_end);
    if (s.sets < 1 || !(s.hold >= 0.0) || !(s.rest >= 0.0) || !(s.t_after >= 0.0) || !(s.g_fast >= 0.0) ||
        !(s.g_slow >= 0.0) || !(s.g_fast + s.g_slow < 1.0) || !(s.tol_local > -1.0) || !(s.tol_remote > -1.0))
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0,
                            "stretch: expected sets >= 1, hold, rest, t_after >= 0, g_fast, g_slow >= 0 with sum < 1 "
                            "and tolerances > -1; found %d, %g, %g, %g, %g, %g, %g, %g",
                            s.sets, s.hold, s.rest, s.t_after, s.g_fast, s.g_slow, s.tol_local, s.tol_remote);
    int legacy_hold = !s.neck && s.hold_slr_deg > 0.0 && s.hold_ktw_deg > 0.0; /* measure nothing */
    int mask = legacy_hold ? 0 : s.measure;
    /* before: the tests measured, and the end ranges the holds need */
    for (int i = 0; i < 3 && !st; i++) {
        int need = s.neck ? tests[i] == FA_CLIN_CERVICAL : (tests[i] != FA_CLIN_CERVICAL && !legacy_hold);
        if ((mask >> tests[i] & 1) || need) st = end_range_ok(c, tests[i], &th[i], before[i], err);
        if (!st && (mask >> tests[i] & 1)) st = fa_clinical_torque(c, tests[i], th[i], &R0[i], NULL, 0.0, NULL, err);
    }
    if (st) return st;
    res->hold_slr_deg = th[0];
    res->hold_ktw_deg = th[1];
    double r = fa_stretch_relaxation(&s);
    res->relax = r;
    size_t ne = (size_t)(m->nelem > 0 ? m->nelem : 1);
    double *eps0 = (double *)malloc(ne * sizeof(double)), *gain = (double *)calloc(ne, sizeof(double));
    if (!eps0 || !gain) {
        free(eps0);
        free(gain);
        return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "stretch");
    }
    /* standing strains */
    set_pose_coords(c, NULL, NULL, 0, 0.0);
    c->warm_test = -1;
    st = solve(c, 1, err);
    if (!st) memcpy(eps0, c->d->elem_strain, (size_t)m->nelem * sizeof(double));
    /* the holds: hamstrings (SLR end range) and calf (knee straight, ankle at the KTW end angle),
     * each leg; or the neck at its flexion end range */
    const char *cn[4] = {"hip_flexion_r", "hip_flexion_l", "ankle_angle_r", "ankle_angle_l"};
    double ang[4] = {th[0], th[0], th[1], th[1]};
    for (int p = 0; p < (s.neck ? 1 : 4) && !st; p++) {
        if (s.neck) {
            set_pose_coords(c, NULL, NULL, 0, th[2]);
        } else {
            int qi = fa_osim_find_coord(c->os, cn[p]);
            set_pose_coords(c, &qi, &ang[p], 1, 0.0);
        }
        st = solve(c, 1, err);
        if (st) break;
        for (int e = 0; e < m->nelem; e++) {
            fa_kind k = fa_elem_kind(m, e, NULL);
            if (k != FA_CORD && k != FA_MEMBRANE) continue;
            double de = c->d->elem_strain[e] - eps0[e];
            if (de > 0.0) gain[e] += r * de;
        }
    }
    if (!st) {
        for (int e = 0; e < m->nelem; e++) {
            if (gain[e] <= 0.0) continue;
            c->d->tis_rest[e] *= 1.0 + gain[e];
            res->nelem_changed++;
            if (gain[e] > res->rest_gain_max) res->rest_gain_max = gain[e];
        }
        c->warm_test = -1;
        /* after: the resistance at the pre-stretch end angle (network part), then the end angle
         * on the human end-range curve T ~ theta^n without and with the tolerance (local for the
         * stretched regions) */
        for (int i = 0; i < 3 && !st; i++) {
            if (!(mask >> tests[i] & 1)) continue;
            int local = s.neck ? tests[i] == FA_CLIN_CERVICAL : tests[i] != FA_CLIN_CERVICAL;
            double R1 = 0.0;
            if ((st = fa_clinical_torque(c, tests[i], th[i], &R1, NULL, 0.0, NULL, err))) break;
            if (!(R0[i] > 0.0 && R1 > 0.0)) {
                st = fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                  "stretch: test %s: no resistance at the end angle %.2f deg (before %.4g, after %.4g N m)",
                                  info_tab[tests[i]].id, th[i], R0[i], R1);
                break;
            }
            *tolr[i] = fa_stretch_tolerance(&s, local);
            *rho[i] = R1 / R0[i] - 1.0;
            double thm = th[i] * pow(R0[i] / R1, 1.0 / s.n_end);
            double tha = th[i] * pow((1.0 + *tolr[i]) * R0[i] / R1, 1.0 / s.n_end);
            *mech[i] = fa_clinical_value(c, tests[i], thm);
            *after[i] = fa_clinical_value(c, tests[i], tha);
        }
    }
    free(eps0);
    free(gain);
    return st;
}
