/* SPDX-License-Identifier: MIT */
/* Built without the anatomy stage: the runner body's kinematics is not
 * available (a kinematics provider can still be passed in fa_life_def). */
#include "life/internal.h"

fa_status fa_life_osim_create(const fa_model *m, const char *data_dir, fa_life_osim **out, fa_life_kin *kin,
                              fa_error *err)
{
    (void)m;
    (void)data_dir;
    (void)kin;
    *out = NULL;
    return fa_error_set(err, FA_ERR_UNSUPPORTED, NULL, 0, 0,
                        "the runner body's kinematics needs the anatomy stage (src/anatomy), which this build lacks");
}

void fa_life_osim_free(fa_life_osim *k) { (void)k; }
fa_status fa_life_osim_activation(fa_life_osim *k, const char *path, fa_error *err)
{
    (void)k;
    (void)path;
    return fa_error_set(err, FA_ERR_UNSUPPORTED, NULL, 0, 0, "muscle activation in strides needs the anatomy stage");
}
