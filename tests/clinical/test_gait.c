/* SPDX-License-Identifier: MIT */
/* Gait energy: the right ITB stores and returns more elastic energy per stride in running than in
 * walking (Eng et al. 2015, J Biomech 48:3341, qualitative); over a closed stride the stored and
 * returned energies of every element are equal up to the motion's start/end mismatch and at least
 * the element's energy swing; the replay is cached per (motion, tissue state) and deterministic.
 * Coarse sampling (8 frames per stride) keeps the test fast. */
#include <math.h>
#include <stdio.h>

#include "common.h"
#include "harness.h"

static const char *const RUN = "data/opensim/motions/running_rajagopal2016/subject01_run_IK.mot";
static const char *const WALK = "data/opensim/motions/walking_rajagopal2016/subject_walk_armless_coordinates.mot";

int main(void)
{
    if (setup()) return 1;
    fa_error err;
    fa_osim_pose ref;
    memset(&ref, 0, sizeof ref);
    CHECK(fa_osim_pose_init(O, &ref, &err) == FA_OK);
    CHECK(fa_anatomy_posture(A, O, "standing", &ref, &err) == FA_OK);
    fa_osim_motion run, walk;
    CHECK(fa_osim_motion_load(RUN, &run, &err) == FA_OK);
    CHECK(fa_osim_motion_load(WALK, &walk, &err) == FA_OK);
    fa_data *d = fa_data_alloc(M, 0);
    fa_gait_def gd = fa_gait_default_def();
    gd.frames = 8;
    fa_gait_result rr, rw, rr2;
    memset(&rr, 0, sizeof rr);
    memset(&rw, 0, sizeof rw);
    memset(&rr2, 0, sizeof rr2);
    CHECK(fa_gait_stride(M, d, O, &ref, &run, &gd, &rr, &err) == FA_OK);
    CHECK(rr.cached == 0);
    CHECK(fa_gait_stride(M, d, O, &ref, &walk, &gd, &rw, &err) == FA_OK);
    double Sr = 0, Rr = 0, Pr = 0, Sw = 0, Rw = 0, Pw = 0;
    CHECK(fa_gait_region(M, &rr, "structure.iliotibial_band_r", &Sr, &Rr, &Pr, &err) == FA_OK);
    CHECK(fa_gait_region(M, &rw, "structure.iliotibial_band_r", &Sw, &Rw, &Pw, &err) == FA_OK);
    printf("ITB per stride: running stored %.4g J returned %.4g J peak strain %.4f (%.2f s/stride, %d frames, period %.3f s)\n",
           Sr, Rr, Pr, rr.seconds, rr.nframe, rr.period);
    printf("                walking stored %.4g J returned %.4g J peak strain %.4f (%.2f s/stride, period %.3f s)\n", Sw, Rw,
           Pw, rw.seconds, rw.period);
    CHECK(rr.nframe == 8 && rw.nframe == 8);
    CHECK(rr.period > 0.5 && rr.period < 0.9);  /* running stride ~0.69 s (174 steps/min) */
    CHECK(rw.period > 1.0 && rw.period < 1.4);  /* walking stride ~1.2 s */
    CHECK(rr.noconv == 0 && rw.noconv == 0);
    CHECK(Sr > Sw);
    CHECK(Rr > Rw);
    CHECK(Pr > 0.0);
    /* closed stride: stored ~ returned, both >= energy swing */
    CHECK_REL(Sr, Rr, 0.25);
    for (int e = 0; e < M->nelem; e++) CHECK(rr.stored[e] >= 0.0 && rr.returned[e] >= 0.0 && rr.strain_peak[e] >= rr.strain_min[e]);
    /* unknown region */
    CHECK(fa_gait_region(M, &rr, "no_such_region_xyz", &Sr, &Rr, &Pr, &err) == FA_ERR_UNKNOWN);
    /* cache: same motion and tissue state -> served at once */
    CHECK(fa_gait_stride(M, d, O, &ref, &run, &gd, &rr, &err) == FA_OK);
    CHECK(rr.cached == 1);
    /* determinism: a fresh replay gives the same bits */
    CHECK(fa_gait_stride(M, d, O, &ref, &run, &gd, &rr2, &err) == FA_OK);
    CHECK(rr2.cached == 0);
    CHECK(memcmp(rr.stored, rr2.stored, sizeof(double) * (size_t)M->nelem) == 0);
    /* a stiffer ITB (collagen density x 2): the cache is invalidated, the band strains less */
    int rg = fa_model_find(M, "region", "structure.iliotibial_band_r");
    for (int k = 0; rg >= 0 && k < M->region_num[rg]; k++) d->tis_dens[M->region_elem[M->region_adr[rg] + k]] *= 2.0;
    CHECK(fa_gait_stride(M, d, O, &ref, &run, &gd, &rr, &err) == FA_OK);
    CHECK(rr.cached == 0);
    double S2 = 0, P2 = 0;
    CHECK(fa_gait_region(M, &rr, "structure.iliotibial_band_r", &S2, NULL, &P2, &err) == FA_OK);
    printf("ITB x2 stiffer: running stored %.4g J, peak strain %.4f\n", S2, P2);
    CHECK(P2 < Pr);
    fa_gait_result_free(&rr);
    fa_gait_result_free(&rr2);
    fa_gait_result_free(&rw);
    fa_data_free(d);
    fa_osim_motion_free(&run);
    fa_osim_motion_free(&walk);
    fa_osim_pose_free(&ref);
    teardown();
    TEST_MAIN_END();
}
