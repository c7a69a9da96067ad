/* SPDX-License-Identifier: MIT */
/* Constitutive building blocks: the collagen fibre law, the Prony-series
 * relaxation function and its recursive (exact for piecewise-linear input)
 * update coefficients, and the tissue-state stiffness multiplier.
 * Equations and sources: docs/mechanics.md. */
#include <math.h>

#include "core/internal.h"
#include "fascia/mech.h"
#include "mech_internal.h"

double fa_fibre_law(double E, double toe, double eps, double *tangent, double *energy)
{
    double s, t, w;
    if (!(eps > 0)) {
        s = t = w = 0.0; /* tension only: crimped fibres carry no compression */
    } else if (eps < toe) {
        /* toe: recruitment of crimped fibrils, stiffness rising linearly */
        s = E * eps * eps / (2.0 * toe);
        t = E * eps / toe;
        w = E * eps * eps * eps / (6.0 * toe);
    } else {
        /* linear region, C1 at eps = toe */
        s = E * (eps - 0.5 * toe);
        t = E;
        w = E * toe * toe / 6.0 + 0.5 * E * (eps * eps - toe * eps);
    }
    if (tangent) *tangent = t;
    if (energy) *energy = w;
    return s;
}

double fa_relaxation(const fa_model *m, int mat, double t)
{
    int a = m->mat_prony_adr[mat], n = m->mat_prony_num[mat];
    double g = 1.0;
    for (int p = a; p < a + n; p++) g -= m->prony_g[p];
    for (int p = a; p < a + n; p++) g += m->prony_g[p] * exp(-t / m->prony_tau[p]);
    return g;
}

void fa_mech_prony_affine(const fa_model *m, int mat, double h, const double *hist, int ncomp, double *alpha,
                          double *beta)
{
    int a = m->mat_prony_adr[mat], n = m->mat_prony_num[mat];
    for (int c = 0; c < ncomp; c++) beta[c] = 0.0;
    double ginf = 1.0;
    for (int p = a; p < a + n; p++) ginf -= m->prony_g[p];
    if (n <= 0 || !hist) {
        *alpha = n <= 0 ? 1.0 : ginf;
        return;
    }
    if (!(h > 0)) {
        *alpha = ginf;
        return;
    }
    double al = ginf;
    for (int p = 0; p < n; p++) {
        double g = m->prony_g[a + p], tau = m->prony_tau[a + p];
        double r = h / tau, dec = exp(-r);
        double gam = r > 1e-8 ? (1.0 - dec) / r : 1.0 - 0.5 * r;
        al += g * gam;
        const double *q = hist + ncomp * (1 + p);
        for (int c = 0; c < ncomp; c++) beta[c] += dec * q[c] - g * gam * hist[c];
    }
    *alpha = al;
}

void fa_mech_prony_commit(const fa_model *m, int mat, double h, double *hist, int ncomp, const double *sig_e)
{
    int a = m->mat_prony_adr[mat], n = m->mat_prony_num[mat];
    for (int p = 0; p < n; p++) {
        double *q = hist + ncomp * (1 + p);
        if (!(h > 0)) {
            for (int c = 0; c < ncomp; c++) q[c] = 0.0;
            continue;
        }
        double g = m->prony_g[a + p], tau = m->prony_tau[a + p];
        double r = h / tau, dec = exp(-r);
        double gam = r > 1e-8 ? (1.0 - dec) / r : 1.0 - 0.5 * r;
        for (int c = 0; c < ncomp; c++) q[c] = dec * q[c] + g * gam * (sig_e[c] - hist[c]);
    }
    for (int c = 0; c < ncomp; c++) hist[c] = sig_e[c];
}

double fa_tissue_scale(const fa_model *m, const fa_data *d, int e)
{
    double hyd = d->tis_hyd[e] > 1e-3 ? d->tis_hyd[e] : 1e-3;
    double xl = d->tis_xlink[e] > 0 ? d->tis_xlink[e] : 0.0;
    double fh = FA_TISSUE_HYD_EXP == 1.0 ? 1.0 / hyd : pow(hyd, -FA_TISSUE_HYD_EXP);
    double fx = FA_TISSUE_XLINK_EXP == 1.0 ? xl : pow(xl, FA_TISSUE_XLINK_EXP);
    double dmg = d->tis_damage[e];
    dmg = dmg < 0 ? 0 : (dmg > 1 ? 1 : dmg);
    double dens = d->tis_dens[e] > 0 ? d->tis_dens[e] : 0.0;
    double th = d->tis_thick[e] > 1e-6 ? d->tis_thick[e] : 1e-6;
    double s = dens * fx * fh * (1.0 - dmg);
    /* a thicker sheet or cord carries proportionally more force; a thicker
     * loose layer under an interface shears more easily (G A / h) */
    int first_intf = m->ncord + m->nmem, end_intf = first_intf + m->nintf;
    return (e >= first_intf && e < end_intf) ? s / th : s * th;
}
