/* SPDX-License-Identifier: MIT */
/* Shared setup of the clinical tests: the runner body, the skeleton and the anatomy tables. */
#ifndef FA_TEST_CLINICAL_COMMON_H
#define FA_TEST_CLINICAL_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "fascia/clinical.h"
#include "fascia/load.h"

#define OSIM "data/opensim/models/opensim4/Rajagopal2016.osim"
#define BODY "data/bodies/runner.yaml"

static fa_anatomy *A;
static fa_osim *O;
static fa_model *M;

static int setup(void)
{
    fa_error err;
    if (fa_anatomy_load("data/anatomy", &A, &err) || fa_osim_load(OSIM, &O, &err) || fa_model_load(BODY, &M, &err)) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static void teardown(void)
{
    fa_model_free(M);
    fa_osim_free(O);
    fa_anatomy_free(A);
}

/* Coarse search settings for fast tests. */
static inline fa_clinical_def coarse_def(void)
{
    fa_clinical_def d = fa_clinical_default_def();
    d.tol_deg = 0.5;
    d.step_deg = 15.0;
    return d;
}
#endif
