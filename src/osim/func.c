/* SPDX-License-Identifier: MIT */
/* OpenSim functions: Constant, LinearFunction, SimmSpline,
 * PiecewiseLinearFunction, MultiplierFunction.
 *
 * SimmSpline is the cubic spline of Forsythe, Malcolm & Moler, "Computer
 * Methods for Mathematical Computations" (Prentice-Hall 1977), routines
 * SPLINE/SEVAL: the end conditions match the third derivative at each end to
 * that of the cubic through the four end knots (third divided differences),
 * so any cubic is reproduced exactly; two knots give a line, three knots use
 * zero end third-derivative terms. Outside [x0, xn-1] the value extrapolates
 * linearly with the end slope b. Written here from the published algorithm. */
#include <math.h>

#include "osim/osim_internal.h"

void fa_osim_fmm_spline(int n, const double *x, const double *y, double *b, double *c, double *d)
{
    if (n < 2) {
        if (n == 1) b[0] = c[0] = d[0] = 0.0;
        return;
    }
    if (n < 3) {
        double s = (y[1] - y[0]) / (x[1] - x[0]);
        b[0] = b[1] = s;
        c[0] = c[1] = d[0] = d[1] = 0.0;
        return;
    }
    int nm1 = n - 1;
    /* tridiagonal system: b = diagonal, d = off-diagonal, c = right-hand side */
    d[0] = x[1] - x[0];
    c[1] = (y[1] - y[0]) / d[0];
    for (int i = 1; i < nm1; i++) {
        d[i] = x[i + 1] - x[i];
        b[i] = 2.0 * (d[i - 1] + d[i]);
        c[i + 1] = (y[i + 1] - y[i]) / d[i];
        c[i] = c[i + 1] - c[i];
    }
    /* end conditions from third divided differences */
    b[0] = -d[0];
    b[nm1] = -d[n - 2];
    c[0] = 0.0;
    c[nm1] = 0.0;
    if (n > 3) {
        c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0]);
        c[nm1] = c[n - 2] / (x[nm1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4]);
        c[0] = c[0] * d[0] * d[0] / (x[3] - x[0]);
        c[nm1] = -c[nm1] * d[n - 2] * d[n - 2] / (x[nm1] - x[n - 4]);
    }
    /* forward elimination */
    for (int i = 1; i < n; i++) {
        double t = d[i - 1] / b[i - 1];
        b[i] = b[i] - t * d[i - 1];
        c[i] = c[i] - t * c[i - 1];
    }
    /* back substitution */
    c[nm1] = c[nm1] / b[nm1];
    for (int i = n - 2; i >= 0; i--) c[i] = (c[i] - d[i] * c[i + 1]) / b[i];
    /* polynomial coefficients */
    b[nm1] = (y[nm1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[nm1]);
    for (int i = 0; i < nm1; i++) {
        b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i]);
        d[i] = (c[i + 1] - c[i]) / d[i];
        c[i] = 3.0 * c[i];
    }
    c[nm1] = 3.0 * c[nm1];
    d[nm1] = d[n - 2];
}

double fa_osim_fmm_eval(int n, const double *x, const double *y, const double *b, const double *c,
                        const double *d, double u)
{
    if (n <= 0) return 0.0;
    if (n == 1) return y[0];
    if (u < x[0]) return y[0] + b[0] * (u - x[0]);
    if (u > x[n - 1]) return y[n - 1] + b[n - 1] * (u - x[n - 1]);
    /* binary search for x[i] <= u < x[i+1] */
    int lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (u < x[mid])
            hi = mid;
        else
            lo = mid;
    }
    double dx = u - x[lo];
    return y[lo] + dx * (b[lo] + dx * (c[lo] + dx * d[lo]));
}

double fa_osim_fn_eval(const struct fa_osim_impl_ *im, int f, double x)
{
    if (f < 0) return 0.0;
    const fa_osim_fn *fn = &im->fn[f];
    switch (fn->kind) {
    case FA_FN_CONSTANT: return fn->a;
    case FA_FN_LINEAR: return fn->a * x + fn->b;
    case FA_FN_SPLINE: {
        const double *p = im->pool + fn->adr;
        int n = fn->n;
        return fa_osim_fmm_eval(n, p, p + n, p + 2 * n, p + 3 * n, p + 4 * n, x);
    }
    case FA_FN_PIECEWISE: {
        const double *xs = im->pool + fn->adr, *ys = xs + fn->n;
        int n = fn->n;
        if (n == 1) return ys[0];
        int i;
        if (x <= xs[0])
            i = 0;
        else if (x >= xs[n - 1])
            i = n - 2;
        else {
            int lo = 0, hi = n - 1;
            while (hi - lo > 1) {
                int mid = (lo + hi) / 2;
                if (x < xs[mid])
                    hi = mid;
                else
                    lo = mid;
            }
            i = lo;
        }
        double s = (ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]);
        return ys[i] + s * (x - xs[i]);
    }
    case FA_FN_MULTIPLIER: return fn->a * fa_osim_fn_eval(im, fn->child, x);
    default: return 0.0;
    }
}
