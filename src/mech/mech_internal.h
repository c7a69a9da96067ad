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
/* fa_assemble for solvers that read only the free-free blocks of K and C
 * (both nodes with node_body -1; the static solver's linear systems): the
 * other blocks are neither zeroed nor written, and without damping forces
 * (C NULL or v NULL) elements without a free node skip their element
 * matrices. f, the potential, the measurements and the free-free blocks are
 * bitwise those of fa_assemble. */
FA_HIDDEN double fa_assemble_free(const fa_model *m, fa_data *d, const double *x, const double *v, double h,
                                  double *f, double *K, double *C);
#endif
