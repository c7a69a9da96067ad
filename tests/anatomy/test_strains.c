/* SPDX-License-Identifier: MIT */
/* Physiological strains of the runner body: the running and walking strides
 * (Rajagopal 2016 motions, replayed at 8 frames per stride; FRAMES=n overrides, 0 = every
 * recorded frame) and every posture of postures.csv strain no cord or membrane past its
 * material's failure strain, and the peak strains per tissue stay in the ranges measured in vivo.
 * Strides (cyclic loading, what the fatigue-damage model of src/physio sees):
 *  - tendon and fascia (cords and membranes) <= 0.05: tendon strain in running and hopping is
 *    a few % (Achilles about 5-8 % at peak force: Lichtwark GA, Wilson AM 2006 J Exp Biol
 *    209:4379-4388), plantar fascia 4-9 % (Caravaggi P et al. 2010 J Anat 217(3):254-261), ITB
 *    1.4-2.2 % (Tomiyama et al. 2016, literature.md R4);
 *  - passive muscle fibres (L - lopt) / lopt <= 0.6 (passive force reaches fmax at 1.6 lopt on
 *    the Thelen 2003 curve the body uses).
 * Postures (static end-range stretches): fascia <= 0.10 (failure 0.141, materials.csv), tendons
 * <= 0.10 and fibres <= 0.75 (a toe-touch takes the hamstrings to the end of their range:
 * semimembranosus fibres 1.67 lopt, tendon 7.3 %, docs/anatomy.md).
 * Interfaces are not strained tissue and are not checked. The test fails on the body before the
 * muscle bellies (45 elements of the running stride past failure, pectoralis major 2.9).
 * It prints the worst element per tissue so a failure names it (TOP=x lists stride elements > x).
 * Arguments: none = the strides, "postures" = the postures, "all" = both. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/anatomy.h"
#include "fascia/clinical.h"
#include "fascia/load.h"
#include "fascia/mech.h"
#include "fascia/sim.h"
#include "harness.h"

#define OSIM "data/opensim/models/opensim4/Rajagopal2016.osim"
#define BODY "data/bodies/runner.yaml"

static fa_anatomy *A;
static fa_osim *O;
static fa_model *M;

static const char *mat_of(int e)
{
    int loc;
    fa_kind k = fa_elem_kind(M, e, &loc);
    int mat = k == FA_CORD ? M->cord_mat[loc] : k == FA_MEMBRANE ? M->mem_mat[loc] : -1;
    return mat >= 0 ? fa_model_name(M, M->mat_name[mat]) : "";
}

static double fail_of(int e)
{
    int loc;
    fa_kind k = fa_elem_kind(M, e, &loc);
    int mat = k == FA_CORD ? M->cord_mat[loc] : k == FA_MEMBRANE ? M->mem_mat[loc] : -1;
    return mat >= 0 ? M->mat_fail[mat] : NAN;
}

/* Range a tissue's peak strain must stay in (see the header). */
static int g_static; /* 1: checking a posture (end-range stretch), 0: a stride */

static double limit_of(int e)
{
    int loc;
    fa_kind k = fa_elem_kind(M, e, &loc);
    if (k == FA_MUSCLE) return g_static ? 0.75 : 0.6;
    if (k == FA_INTERFACE) return INFINITY;
    return g_static ? 0.10 : 0.05;
}

static const char *label(int e, char *buf, size_t n)
{
    int loc;
    fa_kind k = fa_elem_kind(M, e, &loc);
    int nm = k == FA_CORD ? M->cord_name[loc] : k == FA_MUSCLE ? M->muscle_name[loc] : -1;
    if (nm >= 0) {
        snprintf(buf, n, "%s", fa_model_name(M, nm));
        return buf;
    }
    snprintf(buf, n, "%s %d", fa_kind_str(k), loc);
    for (int r = 0; r < M->nregion; r++) { /* a membrane: name its structure */
        const char *rn = fa_model_name(M, M->region_name[r]);
        if (strncmp(rn, "structure.", 10)) continue;
        for (int i = 0; i < M->region_num[r]; i++)
            if (M->region_elem[M->region_adr[r] + i] == e) snprintf(buf, n, "%s %d", rn + 10, loc);
    }
    return buf;
}

/* Check one set of peak strains; print the worst elements per tissue. */
static void check(const char *what, const double *peak)
{
    int past = 0, over = 0, worst[4] = {-1, -1, -1, -1};
    for (int e = 0; e < M->nelem; e++) {
        int loc;
        fa_kind k = fa_elem_kind(M, e, &loc);
        if (k == FA_INTERFACE || !isfinite(peak[e])) continue;
        int cls = k == FA_MUSCLE ? 3 : !strcmp(mat_of(e), "tendon") ? 0 : k == FA_MEMBRANE ? 2 : 1;
        if (worst[cls] < 0 || peak[e] > peak[worst[cls]]) worst[cls] = e;
        double f = fail_of(e);
        if (isfinite(f) && f > 0 && peak[e] > f) past++;
        if (peak[e] > limit_of(e)) over++;
    }
    static const char *cn[4] = {"tendon", "fascia cord", "membrane", "muscle"};
    printf("%-14s past failure %3d, out of range %3d;", what, past, over);
    for (int c = 0; c < 4; c++) {
        char b[96];
        if (worst[c] >= 0) printf(" %s %.3f (%s)", cn[c], peak[worst[c]], label(worst[c], b, sizeof b));
    }
    printf("\n");
    if (over)
        for (int e = 0, shown = 0; e < M->nelem && shown < 12; e++)
            if (fa_elem_kind(M, e, NULL) != FA_INTERFACE && peak[e] > limit_of(e)) {
                char b[96];
                printf("    %s %.3f\n", label(e, b, sizeof b), peak[e]);
                shown++;
            }
    CHECK_MSG(past == 0, "%s: %d elements past their failure strain", what, past);
    CHECK_MSG(over == 0, "%s: %d elements past the physiological range", what, over);
}

static void stride(const char *file, const char *name, fa_data *d, const fa_osim_pose *ref)
{
    fa_error err;
    fa_osim_motion mot;
    CHECK(fa_osim_motion_load(file, &mot, &err) == FA_OK);
    fa_gait_def gd = fa_gait_default_def();
    gd.frames = getenv("FRAMES") ? atoi(getenv("FRAMES")) : 8;
    fa_gait_result r;
    memset(&r, 0, sizeof r);
    CHECK(fa_gait_stride(M, d, O, ref, &mot, &gd, &r, &err) == FA_OK);
    CHECK(r.noconv == 0);
    check(name, r.strain_peak);
    if (getenv("TOP")) {
        double thr = atof(getenv("TOP"));
        for (int e = 0; e < M->ncord + M->nmem; e++)
            if (r.strain_peak[e] > thr) {
                char b[96];
                printf("   > %s %.4f\n", label(e, b, sizeof b), r.strain_peak[e]);
            }
    }
    fa_gait_result_free(&r);
    fa_osim_motion_free(&mot);
}

int main(int argc, char **argv)
{
    /* no argument: the strides; "postures": the postures; "all": both (two ctest entries, so each
     * stays well under a minute in the ASan build) */
    int all = argc > 1 && !strcmp(argv[1], "all");
    int do_postures = argc > 1 && (all || !strcmp(argv[1], "postures")), do_strides = all || !do_postures;
    fa_error err;
    if (fa_anatomy_load("data/anatomy", &A, &err) || fa_osim_load(OSIM, &O, &err) || fa_model_load(BODY, &M, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return 1;
    }
    fa_osim_pose ref, pose;
    memset(&ref, 0, sizeof ref);
    memset(&pose, 0, sizeof pose);
    CHECK(fa_osim_pose_init(O, &ref, &err) == FA_OK);
    CHECK(fa_osim_pose_init(O, &pose, &err) == FA_OK);
    CHECK(fa_anatomy_posture(A, O, "standing", &ref, &err) == FA_OK);
    fa_data *d = fa_data_alloc(M, 0);
    if (do_strides) {
        stride("data/opensim/motions/running_rajagopal2016/subject01_run_IK.mot", "running", d, &ref);
        stride("data/opensim/motions/walking_rajagopal2016/subject_walk_armless_coordinates.mot", "walking", d, &ref);
    }
    const char *names[32];
    int np = do_postures ? fa_anatomy_postures(A, names, 32) : 0;
    CHECK(np >= 10 || !do_postures);
    g_static = 1;
    for (int p = 0; p < np; p++) {
        CHECK(fa_anatomy_posture(A, O, names[p], &pose, &err) == FA_OK);
        fa_data_reset(M, d);
        fa_anatomy_set_body_poses(M, O, &ref, &pose, d);
        fa_kinematics_anchor(M, d);
        fa_anatomy_carry_free_nodes(M, d);
        fa_static_def def = fa_default_static_def();
        def.maxiter = 200;
        def.xtol = 1e-6; /* lying ends at a 2e-7 N residual round-off floor: accept a 1 um remaining move */
        fa_static_report rep;
        fa_status st = fa_solve_static(M, d, &def, &rep, &err);
        CHECK_MSG(st == FA_OK, "%s: %s", names[p], err.msg);
        check(names[p], d->elem_strain);
    }
    fa_data_free(d);
    fa_osim_pose_free(&ref);
    fa_osim_pose_free(&pose);
    fa_model_free(M);
    fa_osim_free(O);
    fa_anatomy_free(A);
    TEST_MAIN_END();
}
