/* SPDX-License-Identifier: MIT */
/* Mechanics internals shared by the stage's files (not installed). */
#ifndef FA_MECH_INTERNAL_H
#define FA_MECH_INTERNAL_H

#include "core/internal.h"

/* Quasi-linear viscoelastic stress at the end of a step of length h as an
 * affine function of the elastic stress at that time:
 *   sigma = alpha * sigma_e + beta[c]   (per stress component c).
 * hist: ncomp last committed elastic stresses, then ncomp hereditary
 * stresses per Prony term (NULL or no terms: alpha = 1 or g_inf, beta = 0).
 * h <= 0 gives the long-term response (alpha = g_inf, beta = 0). */
FA_HIDDEN void fa_mech_prony_affine(const fa_model *m, int mat, double h, const double *hist, int ncomp,
                                    double *alpha, double *beta);

/* Advance hist over a step of length h ending at elastic stress sig_e
 * (exact for sigma_e linear in time over the step); h <= 0 relaxes fully. */
FA_HIDDEN void fa_mech_prony_commit(const fa_model *m, int mat, double h, double *hist, int ncomp,
                                    const double *sig_e);
#endif
