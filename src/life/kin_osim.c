/* SPDX-License-Identifier: MIT */
/* The runner body's kinematics provider: postures from the anatomy stage's
 * posture table (data/anatomy/postures.csv) and gait from real motions
 * recorded on the Rajagopal 2016 skeleton, both turned into body poses by
 * fa_anatomy_set_body_poses (displacement from the standing reference).
 *
 * One stride is one cycle of the right hip: from an upward crossing of the
 * mean hip_flexion_r to the next one in the recorded motion. The motion is
 * replayed at its recorded timing, so the per-stride strains and strain
 * rates are those of the recorded runner/walker; the scenario's speed and
 * cadence set the number of strides (and the metabolic level), not the
 * joint angles (docs/running.md, limitations). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/anatomy.h"
#include "life/activation.h"
#include "life/internal.h"

#define NGAIT 2

struct fa_life_osim {
    fa_anatomy *an;
    fa_osim *os;
    fa_osim_pose ref, pose;
    fa_osim_motion mot[NGAIT];
    int *col[NGAIT];
    int f0[NGAIT], nf[NGAIT];   /* first frame and frames of one cycle */
    double dt[NGAIT];           /* s, mean frame spacing */
    int loaded[NGAIT];
    /* muscle activation in strides (fa_life_osim_activation; NULL = passive) */
    fa_life_act *act;
    double contact[NGAIT][2];   /* motion frame (fractional) of the right / left foot contact */
    int contact_grf[NGAIT];     /* 1: contacts from the recorded ground reaction force, 0: kinematic rule */
    char data_dir[512];
};

static const char *const gait_name[NGAIT] = {"running", "walking"};
static const char *const gait_file[NGAIT] = {"opensim/motions/running_rajagopal2016/subject01_run_IK.mot",
                                             "opensim/motions/walking_rajagopal2016/subject_walk_armless_coordinates.mot"};

void fa_life_osim_free(fa_life_osim *k)
{
    if (!k) return;
    fa_life_act_free(k->act);
    for (int g = 0; g < NGAIT; g++) {
        if (k->loaded[g]) fa_osim_motion_free(&k->mot[g]);
        free(k->col[g]);
    }
    fa_osim_pose_free(&k->ref);
    fa_osim_pose_free(&k->pose);
    fa_osim_free(k->os);
    fa_anatomy_free(k->an);
    free(k);
}

/* One cycle of the right hip flexion. */
static fa_status find_cycle(fa_life_osim *k, int g, const char *path, fa_error *err)
{
    const fa_osim_motion *mo = &k->mot[g];
    int q = fa_osim_find_coord(k->os, "hip_flexion_r");
    int c = q >= 0 ? k->col[g][q] : -1;
    if (c < 0 || mo->nframe < 4)
        return fa_error_set(err, FA_ERR_MISSING, path, 0, 0, "expected a hip_flexion_r column and 4+ frames for one stride");
    double mean = 0.0;
    for (int f = 0; f < mo->nframe; f++) mean += mo->data[(size_t)f * mo->ncol + c];
    mean /= mo->nframe;
    int up[3], n = 0;
    for (int f = 1; f < mo->nframe && n < 2; f++) {
        double a = mo->data[(size_t)(f - 1) * mo->ncol + c], b = mo->data[(size_t)f * mo->ncol + c];
        if (a < mean && b >= mean) up[n++] = f;
    }
    if (n < 2) return fa_error_set(err, FA_ERR_RANGE, path, 0, 0, "expected a full stride (two hip-flexion cycles starts), found %d", n);
    k->f0[g] = up[0];
    k->nf[g] = up[1] - up[0];
    k->dt[g] = (mo->time[up[1]] - mo->time[up[0]]) / k->nf[g];
    return FA_OK;
}


static fa_status kin_posture(void *user, const fa_model *m, fa_data *d, const char *name, fa_error *err)
{
    fa_life_osim *k = (fa_life_osim *)user;
    fa_status st = fa_anatomy_posture(k->an, k->os, name, &k->pose, err);
    if (st) return st;
    fa_anatomy_set_body_poses(m, k->os, &k->ref, &k->pose, d);
    fa_kinematics_root_relative(m, d);
    if (k->act && m->nmuscle > 0) memset(d->muscle_act, 0, (size_t)m->nmuscle * sizeof(double));
    return FA_OK;
}

static int gait_index(const char *name)
{
    for (int g = 0; g < NGAIT; g++)
        if (!strcmp(name, gait_name[g])) return g;
    return -1;
}

static fa_status kin_gait(void *user, const fa_model *m, const char *name, double speed, int *nframe, double *dt,
                          fa_error *err)
{
    (void)m;
    (void)speed;
    fa_life_osim *k = (fa_life_osim *)user;
    int g = gait_index(name);
    if (g < 0 || !k->loaded[g])
        return fa_error_set(err, FA_ERR_UNKNOWN, NULL, 0, 0, "expected a gait motion (running, walking), found '%s'", name);
    *nframe = k->nf[g];
    *dt = k->dt[g];
    return FA_OK;
}

static fa_status kin_gait_pose(void *user, const fa_model *m, fa_data *d, const char *name, double speed, int f,
                               fa_error *err)
{
    (void)speed;
    fa_life_osim *k = (fa_life_osim *)user;
    int g = gait_index(name);
    if (g < 0 || !k->loaded[g] || f < 0 || f >= k->nf[g])
        return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "gait '%s': frame %d out of range", name, f);
    fa_osim_motion_def md = FA_OSIM_MOTION_DEF_DEFAULT;
    fa_osim_motion_pose(k->os, &k->mot[g], &md, k->col[g], k->f0[g] + f, &k->pose);
    fa_anatomy_set_body_poses(m, k->os, &k->ref, &k->pose, d);
    fa_kinematics_root_relative(m, d);
    if (k->act) {
        double F = k->f0[g] + f, ph[2];
        for (int s = 0; s < 2; s++) ph[s] = (F - k->contact[g][s]) / k->nf[g];
        fa_life_act_apply(k->act, m, d, name, ph[0], ph[1]);
    }
    return FA_OK;
}

/* Recorded ground reaction forces of a gait motion (NULL: none); foot
 * contact where the vertical force of a foot rises through 20 N. */
static const char *const gait_grf[NGAIT] = {"opensim/motions/running_rajagopal2016/grf_run.mot", NULL};
#define GRF_CONTACT_N 20.0

/* Foot contacts from the recorded vertical ground reaction force: the first
 * upward crossing of GRF_CONTACT_N in the stride, as a fractional motion
 * frame. 1 when both feet were found. */
static int grf_contacts(fa_life_osim *k, int g, const fa_osim_motion *gr)
{
    static const char *const col[2] = {"R_ground_force_vy", "L_ground_force_vy"};
    const fa_osim_motion *mo = &k->mot[g];
    double t0 = mo->time[k->f0[g]], T = k->dt[g] * k->nf[g];
    for (int s = 0; s < 2; s++) {
        int c = -1;
        for (int j = 0; j < gr->ncol; j++)
            if (!strcmp(gr->label[j], col[s])) c = j;
        if (c < 0) return 0;
        int found = 0;
        for (int i = 1; i < gr->nframe && !found; i++) {
            double a = gr->data[(size_t)(i - 1) * gr->ncol + c], b = gr->data[(size_t)i * gr->ncol + c];
            if (gr->time[i] < t0 || gr->time[i - 1] >= t0 + T || !(a < GRF_CONTACT_N && b >= GRF_CONTACT_N)) continue;
            double tc = gr->time[i - 1] + (GRF_CONTACT_N - a) / (b - a) * (gr->time[i] - gr->time[i - 1]);
            k->contact[g][s] = k->f0[g] + (tc - t0) / k->dt[g];
            found = 1;
        }
        if (!found) return 0;
    }
    return 1;
}

/* Foot contacts of one stride: from the recorded ground reaction force when
 * the gait has one, else by the kinematic rule of Zeni, Richards and
 * Higginson 2008 (Gait Posture 27:710): heel strike where the calcaneus is
 * furthest in front of the pelvis (ground x: OpenSim's forward axis),
 * refined to a fraction of a frame by the parabola through the peak. */
static fa_status find_contacts(fa_life_osim *k, int g, fa_error *err)
{
    if (gait_grf[g]) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", k->data_dir, gait_grf[g]);
        fa_osim_motion gr;
        memset(&gr, 0, sizeof gr);
        fa_status st = fa_osim_motion_load(path, &gr, err);
        if (st) return st;
        int ok = grf_contacts(k, g, &gr);
        fa_osim_motion_free(&gr);
        if (!ok)
            return fa_error_set(err, FA_ERR_MISSING, path, 0, 0,
                                "expected R_ground_force_vy and L_ground_force_vy rising through %g N within the stride",
                                GRF_CONTACT_N);
        k->contact_grf[g] = 1;
        return FA_OK;
    }
    static const char *const calcn[2] = {"calcn_r", "calcn_l"};
    int bp = fa_osim_find_body(k->os, "pelvis");
    const fa_osim_motion *mo = &k->mot[g];
    fa_osim_motion_def md = FA_OSIM_MOTION_DEF_DEFAULT;
    for (int s = 0; s < 2; s++) {
        int bc = fa_osim_find_body(k->os, calcn[s]);
        if (bp < 0 || bc < 0)
            return fa_error_set(err, FA_ERR_MISSING, NULL, 0, 0, "expected bodies pelvis and %s for the foot contacts",
                                calcn[s]);
        double best = -INFINITY, dm = 0.0, dp = 0.0;
        int fb = -1;
        for (int F = k->f0[g] - 1; F <= k->f0[g] + k->nf[g]; F++) {
            if (F < 0 || F >= mo->nframe) continue;
            fa_osim_motion_pose(k->os, mo, &md, k->col[g], F, &k->pose);
            double dx = k->pose.body_p[3 * bc] - k->pose.body_p[3 * bp];
            if (F >= k->f0[g] && F < k->f0[g] + k->nf[g] && dx > best) {
                best = dx;
                fb = F;
            }
        }
        if (fb < 0) return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "gait '%s': no foot contact found", gait_name[g]);
        double c = fb;
        if (fb > 0 && fb + 1 < mo->nframe) {
            fa_osim_motion_pose(k->os, mo, &md, k->col[g], fb - 1, &k->pose);
            dm = k->pose.body_p[3 * bc] - k->pose.body_p[3 * bp];
            fa_osim_motion_pose(k->os, mo, &md, k->col[g], fb + 1, &k->pose);
            dp = k->pose.body_p[3 * bc] - k->pose.body_p[3 * bp];
            double den = dm - 2.0 * best + dp;
            if (den < 0.0) {
                double off = 0.5 * (dm - dp) / den;
                if (off > -1.0 && off < 1.0) c += off;
            }
        }
        k->contact[g][s] = c;
    }
    return FA_OK;
}

fa_status fa_life_osim_activation(fa_life_osim *k, const char *path, fa_error *err)
{
    char buf[1024];
    if (!path) {
        snprintf(buf, sizeof buf, "%s/anatomy/activation.csv", k->data_dir);
        path = buf;
    }
    fa_life_act *a = NULL;
    fa_status st = fa_life_act_load(path, &a, err);
    for (int g = 0; g < NGAIT && !st; g++)
        if (k->loaded[g]) st = find_contacts(k, g, err);
    if (st) {
        fa_life_act_free(a);
        return st;
    }
    fa_life_act_free(k->act);
    k->act = a;
    return FA_OK;
}

int fa_life_osim_contact_phase(const fa_life_osim *k, const char *gait, double phase[2])
{
    int g = gait_index(gait);
    if (g < 0 || !k->loaded[g] || !k->act) return 0;
    for (int s = 0; s < 2; s++) {
        double p = (k->contact[g][s] - k->f0[g]) / k->nf[g];
        phase[s] = p - floor(p);
    }
    return 1;
}

fa_status fa_life_osim_create(const fa_model *m, const char *data_dir, fa_life_osim **out, fa_life_kin *kin,
                              fa_error *err)
{
    *out = NULL;
    char path[1024];
    fa_life_osim *k = (fa_life_osim *)calloc(1, sizeof *k);
    if (!k) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "kinematics");
    snprintf(k->data_dir, sizeof k->data_dir, "%s", data_dir);
    fa_status st;
    snprintf(path, sizeof path, "%s/anatomy", data_dir);
    if ((st = fa_anatomy_load(path, &k->an, err))) goto fail;
    snprintf(path, sizeof path, "%s/opensim/models/opensim4/Rajagopal2016.osim", data_dir);
    if ((st = fa_osim_load(path, &k->os, err))) goto fail;
    if ((st = fa_osim_pose_init(k->os, &k->ref, err))) goto fail;
    if ((st = fa_osim_pose_init(k->os, &k->pose, err))) goto fail;
    if ((st = fa_anatomy_posture(k->an, k->os, "standing", &k->ref, err))) goto fail;
    for (int g = 0; g < NGAIT; g++) {
        snprintf(path, sizeof path, "%s/%s", data_dir, gait_file[g]);
        if ((st = fa_osim_motion_load(path, &k->mot[g], err))) goto fail;
        k->loaded[g] = 1;
        k->col[g] = (int *)calloc((size_t)k->os->ncoord, sizeof(int));
        if (!k->col[g]) {
            st = fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "kinematics");
            goto fail;
        }
        fa_osim_motion_def md = FA_OSIM_MOTION_DEF_DEFAULT;
        if ((st = fa_osim_motion_bind(k->os, &k->mot[g], &md, k->col[g], err))) goto fail;
        if ((st = find_cycle(k, g, path, err))) goto fail;
    }
    /* the body must be the skeleton's: at least the pelvis matched */
    {
        fa_data *d = fa_data_alloc(m, 0);
        int nb = d ? fa_anatomy_set_body_poses(m, k->os, &k->ref, &k->ref, d) : 0;
        fa_data_free(d);
        if (nb == 0) {
            st = fa_error_set(err, FA_ERR_MISSING, NULL, 0, 0,
                              "expected a body on the Rajagopal 2016 skeleton (bodies named as its bodies), found none "
                              "matching");
            goto fail;
        }
    }
    *out = k;
    kin->user = k;
    kin->posture = kin_posture;
    kin->gait = kin_gait;
    kin->gait_pose = kin_gait_pose;
    kin->speed_free = 1;
    return FA_OK;
fail:
    fa_life_osim_free(k);
    return st;
}
