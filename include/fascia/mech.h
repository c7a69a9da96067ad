/* SPDX-License-Identifier: MIT */
/* fascia — mechanics: constitutive laws, elements and assembly.
 *
 * The mechanics stage turns node positions (and velocities) into internal
 * forces, a tangent stiffness and a damping matrix, all in the 3x3 block
 * sparsity pattern computed by fa_model_finalize (blk_rowadr/blk_col, both
 * triangles, sorted columns). Elements (global numbering of model.h):
 *   cord       1-D collagen cord, toe-then-linear fibre law times area
 *   membrane   constant-strain triangle: two tension-only fibre families
 *              (toe law) plus a St Venant-Kirchhoff ground matrix
 *   interface  sheet node over substrate node: tangential spring (loose
 *              connective tissue shear + adhesions), normal spring,
 *              hyaluronan viscous shear
 *   muscle     Hill type (Thelen 2003 curves), rigid tendon
 * Viscoelasticity is quasi-linear (Prony series on the elastic stress) for
 * cords and membranes. Tissue state in fa_data (hydration, collagen density,
 * crosslinks, thickness, damage, rest length, active tone) modulates every
 * element; see fa_tissue_scale. Equations and sources: docs/mechanics.md;
 * parameter values: data/params/tissue_mechanics.csv.
 *
 * Sign conventions: f is the internal force ON the nodes (N), so static
 * equilibrium is f + f_ext = 0; K = -df/dx and C = -df/dv (N/m, N s/m). */
#ifndef FASCIA_MECH_H
#define FASCIA_MECH_H

#include "data.h"
#include "model.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Tissue-state exponents of fa_tissue_scale (grade C modelling assumptions;
 * the same values are tabulated in data/params/tissue_mechanics.csv rows
 * scale_hyd_exp and scale_xlink_exp, and a test checks they agree). */
#define FA_TISSUE_HYD_EXP 1.0   /* -, stiffness ~ hydration^(-FA_TISSUE_HYD_EXP) */
#define FA_TISSUE_XLINK_EXP 1.0 /* -, stiffness ~ crosslinks^(+FA_TISSUE_XLINK_EXP) */

/* Hill-muscle curve constants (Thelen 2003, J Biomech Eng 125:70-77). */
#define FA_HILL_GAMMA 0.45 /* -, width of the Gaussian active force-length curve */
#define FA_HILL_KPE 4.0    /* -, exponential shape of the passive curve */
#define FA_HILL_E0 0.6     /* -, passive strain at fmax (young adults) */
#define FA_HILL_AF 0.25    /* -, force-velocity shape factor (Hill a/F0) */

/* Assemble internal forces, tangent stiffness and damping at positions x.
 *   x  (nnode x 3, m) node positions; usually d->x.
 *   v  (nnode x 3, m/s) node velocities, or NULL (then no viscous forces and
 *      strain rates are reported as 0).
 *   h  (s) > 0: step size of an implicit step; the quasi-linear viscoelastic
 *      stress is the one reached at the end of a step of length h from the
 *      committed history in d->visc (read, not modified).
 *      <= 0: fully relaxed long-term (equilibrium) response g_inf * E.
 *   f  (3*nnode, N) or NULL: internal force on each node, -dPsi/dx, plus the
 *      viscous forces -C v when v is given.
 *   K  (nblock*9, N/m) or NULL: tangent stiffness -df/dx of the elastic part
 *      in the model's block pattern (row-major 3x3 blocks), exactly
 *      symmetric, positive semidefinite except for muscles on the
 *      descending limb (the membrane matrix geometric term uses the
 *      positive part of its stress; docs/mechanics.md).
 *   C  (nblock*9, N s/m) or NULL: damping matrix -df/dv (interface
 *      hyaluronan shear, muscle force-velocity slope, mat_beta
 *      stiffness-proportional damping of cords and membranes).
 * f, K, C are overwritten (zeroed first). Writes d->elem_strain,
 * elem_strain_rate, elem_force, elem_stress, elem_energy and d->energy.
 * Returns Psi (J): the sum of element potentials whose negative gradient is
 * the elastic part of f: stored elastic energy, plus the work potentials of
 * active tone and muscle activation, plus (h > 0) the linear term of the
 * viscoelastic history. Never allocates. */
double fa_assemble(const fa_model *m, fa_data *d, const double *x, const double *v, double h,
                   double *f, double *K, double *C);

/* Advance the viscoelastic history in d->visc after an accepted step of
 * length h (s) that ended at positions x (nnode x 3, m). h <= 0 relaxes the
 * history fully at x (the state after holding x for a long time). */
void fa_visc_commit(const fa_model *m, fa_data *d, const double *x, double h);

/* Stiffness multiplier (-) of element e from its tissue state:
 *   s = tis_dens * tis_xlink^FA_TISSUE_XLINK_EXP * tis_hyd^(-FA_TISSUE_HYD_EXP)
 *       * (1 - tis_damage)
 * times tis_thick for cords, membranes and muscles (more tissue carries more
 * force), divided by tis_thick for interfaces (a thicker loose layer shears
 * more easily: G A / h). 1 for healthy baseline tissue. It multiplies the
 * fibre modulus and the ground matrix of cords and membranes, the loose-layer
 * shear stiffness of interfaces and the passive (connective tissue) curve of
 * muscles. */
double fa_tissue_scale(const fa_model *m, const fa_data *d, int e);

/* The collagen fibre law (toe region then linear, tension-only), per unit
 * reference volume. E (Pa) linear modulus, toe (-) strain at the end of the
 * toe region (0 = linear from zero strain), eps (-) engineering strain.
 * Returns the nominal stress (Pa); writes the tangent dsigma/deps (Pa) and
 * the strain energy density (J/m^3) when the pointers are non-NULL. */
double fa_fibre_law(double E, double toe, double eps, double *tangent, double *energy);

/* Closed-form relaxation function of material `mat`,
 * G(t) = g_inf + sum g_i exp(-t/tau_i), g_inf = 1 - sum g_i (-). */
double fa_relaxation(const fa_model *m, int mat, double t);

/* Number of doubles of viscoelastic history an element of material `mat`
 * needs: (1 + nprony) * ncomp, ncomp = 1 for cords, 5 for membranes (two
 * fibre families and three ground-matrix stress components), 0 otherwise. */
int fa_visc_size(const fa_model *m, fa_kind kind, int mat);

#ifdef __cplusplus
}
#endif
#endif
