/* SPDX-License-Identifier: MIT */
/* Element kernels and assembly into the block-sparse pattern.
 *
 * Each kernel fills a small dense element workspace (force on its k nodes,
 * 3k x 3k tangent and damping, potential and measurements) from positions
 * and velocities; assembly scatters it through m->elem_slot. No allocation,
 * no searches: one pass over each kind's arrays. Element matrices are made
 * exactly symmetric (upper triangle mirrored) before scattering, so the
 * assembled K and C are bitwise symmetric. Equations: docs/mechanics.md. */
#include <math.h>
#include <string.h>

#include "fascia/mech.h"
#include "mech_internal.h"

#define FA_PI 3.14159265358979323846

typedef struct ework {
    int k;          /* nodes */
    int mats;       /* 1: fill Ke (and Ce when cmat) (else they are left untouched) */
    int cmat;       /* 1: fill Ce (the damping matrix or viscous forces are wanted) */
    int nodes[3];
    double fe[9];   /* N, elastic internal force on the nodes */
    double Ke[81];  /* N/m, -dfe/dx, row-major 3k x 3k */
    double Ce[81];  /* N s/m, -df/dv */
    double psi;     /* J, potential */
    double strain, rate, force, stress;
} ework;

static void ework_clear(ework *w, int k)
{
    w->k = k;
    memset(w->fe, 0, sizeof w->fe);
    if (w->mats) {
        /* constant sizes: inlined stores instead of a library call */
        if (k == 2) {
            memset(w->Ke, 0, sizeof(double) * 36);
            if (w->cmat) memset(w->Ce, 0, sizeof(double) * 36);
        } else {
            memset(w->Ke, 0, sizeof w->Ke);
            if (w->cmat) memset(w->Ce, 0, sizeof w->Ce);
        }
    }
    w->psi = w->strain = w->rate = w->force = w->stress = 0.0;
}

/* B = alpha * u u^T + beta * I (3x3, row-major). */
static void dyad(double *B, const double *u, double alpha, double beta)
{
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) B[3 * r + c] = alpha * u[r] * u[c] + (r == c ? beta : 0.0);
}

/* Add s * B to block (a, b) of a 3k x 3k matrix. Only blocks with a <= b are
 * needed: scatter() mirrors the upper triangle. */
static void add_block(double *M, int k, int a, int b, double s, const double *B)
{
    double *row = M + (3 * a) * (3 * k) + 3 * b;
    for (int r = 0; r < 3; r++, row += 3 * k) {
        row[0] += s * B[3 * r];
        row[1] += s * B[3 * r + 1];
        row[2] += s * B[3 * r + 2];
    }
}

/* Two-node element with a central force T(l) along u: the common kernel of
 * cords and muscles. kax = dT/dl (N/m), T (N), l (m), cax damping (N s/m). */
static void two_node_axial(ework *w, const double *u, double l, double T, double kax, double cax)
{
    for (int r = 0; r < 3; r++) {
        w->fe[r] = T * u[r];
        w->fe[3 + r] = -T * u[r];
    }
    if (!w->mats) return;
    double kg = T / l, Bk[9], Bc[9] = {0};
    dyad(Bk, u, kax - kg, kg);
    if (w->cmat) dyad(Bc, u, cax, 0.0);
    for (int a = 0; a < 2; a++)
        for (int b = a; b < 2; b++) {
            double s = a == b ? 1.0 : -1.0;
            add_block(w->Ke, 2, a, b, s, Bk);
            if (w->cmat) add_block(w->Ce, 2, a, b, s, Bc);
        }
}

/* ---- cord --------------------------------------------------------------- */

/* Elastic (instantaneous) nominal stress of cord i at x, with its tangent
 * and energy density; writes geometry. Returns 0 when the cord is degenerate. */
static int cord_elastic(const fa_model *m, const fa_data *d, int i, const double *x, double s, double *u, double *L,
                        double *eps, double *sig, double *Et, double *W)
{
    const int *n = m->cord_node + 2 * i;
    int mat = m->cord_mat[i];
    double dx[3];
    fa_sub3(dx, x + 3 * n[1], x + 3 * n[0]);
    *L = sqrt(fa_dot3(dx, dx));
    if (!(*L > 1e-14)) return 0;
    for (int r = 0; r < 3; r++) u[r] = dx[r] / *L;
    double Lr = m->cord_L0[i] * d->tis_rest[i];
    *eps = *L / Lr - 1.0;
    *sig = fa_fibre_law(s * m->mat_E[mat], m->mat_toe[mat], *eps, Et, W);
    return 1;
}

static void cord_kernel(const fa_model *m, fa_data *d, int i, const double *x, const double *v, double h, ework *w)
{
    int e = i, mat = m->cord_mat[i];
    ework_clear(w, 2);
    w->nodes[0] = m->cord_node[2 * i];
    w->nodes[1] = m->cord_node[2 * i + 1];
    double s = fa_tissue_scale(m, d, e);
    double u[3], L, eps, sig, Et, W;
    if (!cord_elastic(m, d, i, x, s, u, &L, &eps, &sig, &Et, &W)) {
        d->warn.inverted++;
        return;
    }
    double *hist = m->mat_prony_num[mat] > 0 ? d->visc + m->elem_visc_adr[e] : NULL;
    double alpha, beta;
    fa_mech_prony_affine(m, mat, h, hist, 1, &alpha, &beta);
    double Lr = m->cord_L0[i] * d->tis_rest[e], A = m->cord_area[i];
    double Ts = alpha * sig + beta, kt = alpha * Et;
    if (Ts < 0) Ts = kt = 0.0; /* tension only, also for the relaxing history */
    double Ftone = d->tis_tone[e] * A * d->tis_thick[e];
    double T = A * Ts + Ftone;
    double kax = A * kt / Lr;
    two_node_axial(w, u, L, T, kax, m->mat_beta[mat] * kax);
    w->psi = A * Lr * (alpha * W + beta * eps) + Ftone * L;
    w->strain = eps;
    if (v) {
        double dv[3];
        fa_sub3(dv, v + 3 * w->nodes[1], v + 3 * w->nodes[0]);
        w->rate = fa_dot3(u, dv) / Lr;
    }
    w->force = T;
    double th = d->tis_thick[e] > 0 ? d->tis_thick[e] : 1.0;
    w->stress = T / (A * th);
}

/* ---- membrane ----------------------------------------------------------- */

typedef struct memgeo {
    double b[3][2]; /* 1/m, reference gradients of the shape functions (local 2-D) */
    double F[3][2]; /* -, deformation gradient local 2-D -> world (unscaled by rest) */
    double a[2][2]; /* -, fibre family directions (local 2-D) */
} memgeo;

/* cos and sin of the second fibre family's angle of material mat, cached
 * across calls (membranes of one material come in runs) */
typedef struct fibcache {
    int mat;
    double ca, sa;
} fibcache;

static void fib2_angle(const fa_model *m, int mat, fibcache *fc)
{
    if (fc->mat == mat) return;
    fc->mat = mat;
    fc->ca = cos(m->mat_fib2_angle[mat]);
    fc->sa = sin(m->mat_fib2_angle[mat]);
}

static void mem_geometry(const fa_model *m, int i, const double *x, memgeo *g, fibcache *fc)
{
    const int *n = m->mem_node + 3 * i;
    const double *Di = m->mem_Dminv + 4 * i;
    g->b[1][0] = Di[0], g->b[1][1] = Di[1];
    g->b[2][0] = Di[2], g->b[2][1] = Di[3];
    g->b[0][0] = -(Di[0] + Di[2]), g->b[0][1] = -(Di[1] + Di[3]);
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 2; c++)
            g->F[r][c] = x[3 * n[0] + r] * g->b[0][c] + x[3 * n[1] + r] * g->b[1][c] + x[3 * n[2] + r] * g->b[2][c];
    int mat = m->mem_mat[i];
    double a0 = m->mem_fib2d[2 * i], a1 = m->mem_fib2d[2 * i + 1];
    fib2_angle(m, mat, fc);
    double ca = fc->ca, sa = fc->sa;
    g->a[0][0] = a0, g->a[0][1] = a1;
    g->a[1][0] = ca * a0 - sa * a1, g->a[1][1] = sa * a0 + ca * a1;
}

/* Elastic stresses of membrane i: sig[0..1] fibre nominal stresses of the two
 * families (Pa, per unit tissue volume), sig[2..4] ground-matrix PK2 (S11,
 * S22, S12) in the local frame. Also tangents Et[2], energy densities W[3],
 * fibre strains eps[2], Green strain E[3] (E11, E22, E12). */
static void mem_elastic(const fa_model *m, const fa_data *d, int i, const memgeo *g, double s, double *sig,
                        double *Et, double *W, double *eps, double *lam_raw, double (*ghat)[3], double *E)
{
    int e = m->ncord + i, mat = m->mem_mat[i];
    double r = d->tis_rest[e];
    double frac[2] = {1.0 - m->mat_fib2_frac[mat], m->mat_fib2_frac[mat]};
    for (int j = 0; j < 2; j++) {
        double gv[3];
        for (int q = 0; q < 3; q++) gv[q] = g->F[q][0] * g->a[j][0] + g->F[q][1] * g->a[j][1];
        double l = sqrt(fa_dot3(gv, gv));
        lam_raw[j] = l;
        for (int q = 0; q < 3; q++) ghat[j][q] = l > 0 ? gv[q] / l : 0.0;
        eps[j] = l / r - 1.0;
        sig[j] = fa_fibre_law(s * frac[j] * m->mat_E[mat], m->mat_toe[mat], eps[j], &Et[j], &W[j]);
    }
    /* Green strain of F/r */
    double C00 = 0, C11 = 0, C01 = 0;
    for (int q = 0; q < 3; q++) {
        C00 += g->F[q][0] * g->F[q][0];
        C11 += g->F[q][1] * g->F[q][1];
        C01 += g->F[q][0] * g->F[q][1];
    }
    double ir2 = 1.0 / (r * r);
    E[0] = 0.5 * (C00 * ir2 - 1.0);
    E[1] = 0.5 * (C11 * ir2 - 1.0);
    E[2] = 0.5 * C01 * ir2;
    double Em = s * m->mat_Em[mat], nu = m->mat_nu[mat];
    double lam = Em * nu / (1.0 - nu * nu), mu = Em / (2.0 * (1.0 + nu));
    double tr = E[0] + E[1];
    sig[2] = lam * tr + 2.0 * mu * E[0];
    sig[3] = lam * tr + 2.0 * mu * E[1];
    sig[4] = 2.0 * mu * E[2];
    W[2] = 0.5 * lam * tr * tr + mu * (E[0] * E[0] + E[1] * E[1] + 2.0 * E[2] * E[2]);
}

static void mem_kernel(const fa_model *m, fa_data *d, int i, const double *x, const double *v, double h, ework *w,
                       fibcache *fc)
{
    int e = m->ncord + i, mat = m->mem_mat[i];
    ework_clear(w, 3);
    for (int a = 0; a < 3; a++) w->nodes[a] = m->mem_node[3 * i + a];
    memgeo g;
    mem_geometry(m, i, x, &g, fc);
    double s = fa_tissue_scale(m, d, e);
    double sig[5], Et[2], W[3], eps[2], lraw[2], gh[2][3], E[3];
    mem_elastic(m, d, i, &g, s, sig, Et, W, eps, lraw, gh, E);
    double *hist = m->mat_prony_num[mat] > 0 ? d->visc + m->elem_visc_adr[e] : NULL;
    double alpha, beta[5];
    fa_mech_prony_affine(m, mat, h, hist, 5, &alpha, beta);
    double r = d->tis_rest[e];
    double V = m->mem_area0[i] * r * r * m->mem_thick[i];
    double bd = m->mat_beta[mat];
    double tone = d->tis_tone[e] * d->tis_thick[e];
    double T1 = 0.0;
    /* fibre families: potential V*(alpha W(eps) + beta eps), eps = |F a|/r - 1 */
    for (int j = 0; j < 2; j++) {
        double T = alpha * sig[j] + beta[j], kt = alpha * Et[j];
        if (T < 0) T = kt = 0.0;
        double Ttot = T + (j == 0 ? tone : 0.0);
        w->psi += V * (alpha * W[j] + beta[j] * eps[j]) + (j == 0 ? V * tone * (eps[j] + 1.0) : 0.0);
        if (j == 0) T1 = Ttot;
        if (!(lraw[j] > 1e-14)) {
            d->warn.inverted++;
            continue;
        }
        double c[3];
        for (int a = 0; a < 3; a++) c[a] = g.b[a][0] * g.a[j][0] + g.b[a][1] * g.a[j][1];
        for (int a = 0; a < 3; a++)
            for (int q = 0; q < 3; q++) w->fe[3 * a + q] -= V * Ttot / r * c[a] * gh[j][q];
        if (!w->mats) continue;
        double kax = V * kt / (r * r), kg = V * Ttot / (r * lraw[j]), Bk[9], Bc[9] = {0};
        dyad(Bk, gh[j], kax - kg, kg);
        if (w->cmat) dyad(Bc, gh[j], bd * kax, 0.0);
        for (int a = 0; a < 3; a++)
            for (int b = a; b < 3; b++) {
                add_block(w->Ke, 3, a, b, c[a] * c[b], Bk);
                if (w->cmat) add_block(w->Ce, 3, a, b, c[a] * c[b], Bc);
            }
    }
    /* ground matrix: St Venant-Kirchhoff, S = alpha S_e + beta */
    double S[3] = {alpha * sig[2] + beta[2], alpha * sig[3] + beta[3], alpha * sig[4] + beta[4]};
    w->psi += V * (alpha * W[2] + beta[2] * E[0] + beta[3] * E[1] + 2.0 * beta[4] * E[2]);
    double Em = s * m->mat_Em[mat], nu = m->mat_nu[mat];
    double lam = Em * nu / (1.0 - nu * nu), mu = Em / (2.0 * (1.0 + nu));
    double Cv[3][3] = {{lam + 2 * mu, lam, 0}, {lam, lam + 2 * mu, 0}, {0, 0, mu}};
    double B[3][3][3]; /* B[a][voigt][dof]: dE_voigt/dx_a,dof (E12 counted twice) */
    double ir = 1.0 / r;
    for (int a = 0; a < 3; a++)
        for (int q = 0; q < 3; q++) {
            double F0 = g.F[q][0] * ir * ir, F1 = g.F[q][1] * ir * ir;
            B[a][0][q] = F0 * g.b[a][0];
            B[a][1][q] = F1 * g.b[a][1];
            B[a][2][q] = F0 * g.b[a][1] + F1 * g.b[a][0];
        }
    for (int a = 0; a < 3; a++)
        for (int q = 0; q < 3; q++) w->fe[3 * a + q] -= V * (B[a][0][q] * S[0] + B[a][1][q] * S[1] + B[a][2][q] * S[2]);
    if (w->mats) {
        /* positive part of S for the geometric term (keeps K semidefinite when
         * the matrix is in compression; exact whenever S is semidefinite) */
        double Sp[3] = {S[0], S[1], S[2]};
        double tr = S[0] + S[1], dif = 0.5 * (S[0] - S[1]);
        double rad = sqrt(dif * dif + S[2] * S[2]);
        double l1 = 0.5 * tr + rad, l2 = 0.5 * tr - rad;
        if (l2 < 0) {
            if (l1 <= 0) {
                Sp[0] = Sp[1] = Sp[2] = 0.0;
            } else {
                double vx = 1.0, vy = 0.0; /* eigenvector of l1 */
                if (rad > 0) {
                    if (dif >= 0) vx = dif + rad, vy = S[2];
                    else vx = S[2], vy = rad - dif;
                    double nv = sqrt(vx * vx + vy * vy);
                    vx /= nv, vy /= nv;
                }
                Sp[0] = l1 * vx * vx, Sp[1] = l1 * vy * vy, Sp[2] = l1 * vx * vy;
            }
        }
        double BC[3][3][3]; /* BC[a][dof][voigt] = sum_s B[a][s][dof] Cv[s][voigt] */
        for (int a = 0; a < 3; a++)
            for (int p = 0; p < 3; p++)
                for (int s2 = 0; s2 < 3; s2++)
                    BC[a][p][s2] = B[a][0][p] * Cv[0][s2] + B[a][1][p] * Cv[1][s2] + B[a][2][p] * Cv[2][s2];
        for (int a = 0; a < 3; a++)
            for (int b = a; b < 3; b++) {
                double geo = g.b[a][0] * (Sp[0] * g.b[b][0] + Sp[2] * g.b[b][1]) +
                             g.b[a][1] * (Sp[2] * g.b[b][0] + Sp[1] * g.b[b][1]);
                for (int q = 0; q < 3; q++) w->Ke[(3 * a + q) * 9 + 3 * b + q] += V * geo * ir * ir;
                for (int p = 0; p < 3; p++)
                    for (int q = 0; q < 3; q++) {
                        double km = BC[a][p][0] * B[b][0][q] + BC[a][p][1] * B[b][1][q] + BC[a][p][2] * B[b][2][q];
                        w->Ke[(3 * a + p) * 9 + 3 * b + q] += alpha * V * km;
                        if (w->cmat) w->Ce[(3 * a + p) * 9 + 3 * b + q] += bd * alpha * V * km;
                    }
            }
    }
    w->strain = eps[0];
    if (v && lraw[0] > 1e-14) {
        double c0 = 0;
        for (int a = 0; a < 3; a++) {
            double ca = g.b[a][0] * g.a[0][0] + g.b[a][1] * g.a[0][1];
            c0 += ca * fa_dot3(gh[0], v + 3 * w->nodes[a]);
        }
        w->rate = c0 / r;
    }
    double th = d->tis_thick[e] > 0 ? d->tis_thick[e] : 1.0;
    w->stress = T1 / th;
    w->force = T1 * m->mem_thick[i] * sqrt(m->mem_area0[i]) * r;
}

/* ---- interface ---------------------------------------------------------- */

static void intf_kernel(const fa_model *m, fa_data *d, int i, const double *x, const double *v, ework *w)
{
    int e = m->ncord + m->nmem + i;
    ework_clear(w, 2);
    int ns = m->intf_node[2 * i], nb = m->intf_node[2 * i + 1];
    w->nodes[0] = ns;
    w->nodes[1] = nb;
    /* The sliding plane and the rest offset of the sheet node belong to the substrate: when the
     * substrate node is anchored to a bone they turn with that bone (body frames coincide with
     * the world at the reference pose, so R = body_xmat; docs/mechanics.md "Interfaces"). The
     * anchored node is prescribed, so R does not depend on the unknowns and K keeps its form. */
    double n[3], r0[3], u[3];
    for (int q = 0; q < 3; q++) r0[q] = m->node_pos0[3 * ns + q] - m->node_pos0[3 * nb + q] + d->intf_slide[3 * i + q];
    int bb = m->node_body[nb];
    if (bb >= 0) {
        const double *R = d->body_xmat + 9 * bb, *n0 = m->intf_normal + 3 * i;
        double t[3] = {r0[0], r0[1], r0[2]};
        for (int q = 0; q < 3; q++) {
            n[q] = R[3 * q] * n0[0] + R[3 * q + 1] * n0[1] + R[3 * q + 2] * n0[2];
            r0[q] = R[3 * q] * t[0] + R[3 * q + 1] * t[1] + R[3 * q + 2] * t[2];
        }
    } else {
        for (int q = 0; q < 3; q++) n[q] = m->intf_normal[3 * i + q];
    }
    for (int q = 0; q < 3; q++) u[q] = (x[3 * ns + q] - x[3 * nb + q]) - r0[q];
    double un = fa_dot3(n, u), ut[3];
    for (int q = 0; q < 3; q++) ut[q] = u[q] - un * n[q];
    double A = m->intf_area[i], hl = m->intf_h[i];
    double kt = fa_tissue_scale(m, d, e) * m->intf_G[i] * A / hl + d->intf_adh[i];
    double kn = m->intf_kn[i];
    double th = d->tis_thick[e] > 1e-6 ? d->tis_thick[e] : 1e-6; /* relative layer thickness */
    double c = m->intf_eta[i] * d->intf_visc[i] * A / (hl * th);
    for (int q = 0; q < 3; q++) {
        double fq = kt * ut[q] + kn * un * n[q];
        w->fe[q] = -fq;
        w->fe[3 + q] = fq;
    }
    if (w->mats) {
        double Bk[9], Bc[9] = {0};
        dyad(Bk, n, kn - kt, kt);
        if (w->cmat) dyad(Bc, n, -c, c);
        for (int a = 0; a < 2; a++)
            for (int b = a; b < 2; b++) {
                double sg = a == b ? 1.0 : -1.0;
                add_block(w->Ke, 2, a, b, sg, Bk);
                if (w->cmat) add_block(w->Ce, 2, a, b, sg, Bc);
            }
    }
    double utl = sqrt(fa_dot3(ut, ut));
    w->psi = 0.5 * (kt * utl * utl + kn * un * un);
    w->strain = utl / (hl * th);
    if (v) {
        double dv[3];
        fa_sub3(dv, v + 3 * ns, v + 3 * nb);
        double vn = fa_dot3(n, dv);
        for (int q = 0; q < 3; q++) dv[q] -= vn * n[q];
        w->rate = sqrt(fa_dot3(dv, dv)) / (hl * th);
    }
    w->force = kt * utl;
    w->stress = w->force / A;
}

/* ---- muscle ------------------------------------------------------------- */

static void muscle_kernel(const fa_model *m, fa_data *d, int i, const double *x, const double *v, ework *w)
{
    int e = m->ncord + m->nmem + m->nintf + i;
    ework_clear(w, 2);
    w->nodes[0] = m->muscle_node[2 * i];
    w->nodes[1] = m->muscle_node[2 * i + 1];
    double dx[3], u[3];
    fa_sub3(dx, x + 3 * w->nodes[1], x + 3 * w->nodes[0]);
    double l = sqrt(fa_dot3(dx, dx));
    if (!(l > 1e-14)) {
        d->warn.inverted++;
        return;
    }
    for (int q = 0; q < 3; q++) u[q] = dx[q] / l;
    /* tis_rest of a muscle scales its optimal fibre length: serial
     * sarcomere number adapted to the lengths it is held at (remodel
     * module; 1 = the model's lopt) */
    double fmax = m->muscle_fmax[i], lopt = m->muscle_lopt[i] * (d->tis_rest[e] > 0.0 ? d->tis_rest[e] : 1.0);
    double act = d->muscle_act[i];
    act = act < 0 ? 0 : (act > 1 ? 1 : act);
    double sp = fa_tissue_scale(m, d, e);
    double lt = (l - m->muscle_lslack[i]) / lopt; /* rigid tendon */
    double dl = lt - 1.0;
    double fL = exp(-dl * dl / FA_HILL_GAMMA), dfL = -2.0 * dl / FA_HILL_GAMMA * fL;
    double IL = 0.5 * sqrt(FA_PI * FA_HILL_GAMMA) * erf(dl / sqrt(FA_HILL_GAMMA));
    double fPE = 0, dfPE = 0, IPE = 0;
    if (dl > 0) {
        double den = exp(FA_HILL_KPE) - 1.0, ex = exp(FA_HILL_KPE * dl / FA_HILL_E0);
        fPE = (ex - 1.0) / den;
        dfPE = FA_HILL_KPE / FA_HILL_E0 * ex / den;
        IPE = (FA_HILL_E0 / FA_HILL_KPE * (ex - 1.0) - dl) / den;
    }
    double T = fmax * (act * fL + sp * fPE);
    double kax = fmax * (act * dfL + sp * dfPE) / lopt;
    /* Hill force-velocity slope at isometric: dF/dv = -F_act (1 + 1/Af) / vmax */
    double cax = act * fmax * fL * (1.0 + 1.0 / FA_HILL_AF) / (m->muscle_vmax[i] * lopt);
    two_node_axial(w, u, l, T, kax, cax);
    w->psi = fmax * lopt * (act * IL + sp * IPE);
    w->strain = dl;
    if (v) {
        double dv[3];
        fa_sub3(dv, v + 3 * w->nodes[1], v + 3 * w->nodes[0]);
        w->rate = fa_dot3(u, dv) / lopt;
    }
    w->force = T;
    w->stress = 0.0;
}

/* ---- assembly ----------------------------------------------------------- */

/* Entry (p, q) of an element matrix whose kernel filled the blocks a <= b:
 * the upper triangle is read for both triangles (exact symmetry). */
static inline double esym(const double *M, int n, int p, int q) { return p <= q ? M[p * n + q] : M[q * n + p]; }

/* free_only: only blocks between two free nodes (node_body -1) are scattered
 * into K and C (fa_assemble_free). */
static inline __attribute__((always_inline)) void scatter_k(const fa_model *m, int e, ework *w, const double *v,
                                                            double *f, double *K, double *C, int free_only,
                                                            const int k)
{
    const int n = 3 * k;
    if (!w->mats) {
        if (f)
            for (int a = 0; a < k; a++)
                for (int q = 0; q < 3; q++) f[3 * w->nodes[a] + q] += w->fe[3 * a + q];
        return;
    }
    if (f) {
        for (int a = 0; a < k; a++)
            for (int q = 0; q < 3; q++) {
                double fq = w->fe[3 * a + q];
                if (v)
                    for (int b = 0; b < k; b++)
                        for (int c = 0; c < 3; c++) fq -= esym(w->Ce, n, 3 * a + q, 3 * b + c) * v[3 * w->nodes[b] + c];
                f[3 * w->nodes[a] + q] += fq;
            }
    }
    const int *slot = m->elem_slot + m->elem_slot_adr[e];
    int fixed[3] = {0, 0, 0}; /* free_only: 1 for a node that is not free */
    if (free_only)
        for (int a = 0; a < k; a++) fixed[a] = m->node_body[w->nodes[a]] != -1;
    for (int a = 0; a < k; a++)
        for (int b = 0; b < k; b++) {
            if (fixed[a] || fixed[b]) continue;
            int blk = slot[a * k + b];
            if (K) {
                double *Kb = K + 9 * (size_t)blk;
                if (a < b) {
                    const double *E = w->Ke + (3 * a) * n + 3 * b;
                    for (int r = 0; r < 3; r++)
                        for (int c = 0; c < 3; c++) Kb[3 * r + c] += E[r * n + c];
                } else if (a > b) {
                    const double *E = w->Ke + (3 * b) * n + 3 * a; /* transpose of block (b, a) */
                    for (int r = 0; r < 3; r++)
                        for (int c = 0; c < 3; c++) Kb[3 * r + c] += E[c * n + r];
                } else {
                    for (int r = 0; r < 3; r++)
                        for (int c = 0; c < 3; c++) Kb[3 * r + c] += esym(w->Ke, n, 3 * a + r, 3 * a + c);
                }
            }
            if (C)
                for (int r = 0; r < 3; r++)
                    for (int c = 0; c < 3; c++) C[9 * (size_t)blk + 3 * r + c] += esym(w->Ce, n, 3 * a + r, 3 * b + c);
        }
}

/* scatter_k with the element's node count a constant (unrolled loops) */
static void scatter(const fa_model *m, int e, ework *w, const double *v, double *f, double *K, double *C,
                    int free_only)
{
    if (w->k == 2) scatter_k(m, e, w, v, f, K, C, free_only, 2);
    else scatter_k(m, e, w, v, f, K, C, free_only, 3);
}

static double finish(fa_data *d, int e, const ework *w)
{
    d->elem_strain[e] = w->strain;
    d->elem_strain_rate[e] = w->rate;
    d->elem_force[e] = w->force;
    d->elem_stress[e] = w->stress;
    d->elem_energy[e] = w->psi;
    return w->psi;
}

/* 1 when any of the k nodes is free (node_body -1) */
static int any_free(const fa_model *m, const int *nodes, int k)
{
    for (int a = 0; a < k; a++)
        if (m->node_body[nodes[a]] == -1) return 1;
    return 0;
}

/* The assembly of fa_assemble and fa_assemble_free. free_only: K and C get
 * only their free-free blocks (the others are neither zeroed nor written),
 * and elements without a free node skip their matrices. The force, energy,
 * measurements and every free-free block are computed by the same operations
 * in the same order as the full assembly, so they are bitwise the same. */
static double assemble(const fa_model *m, fa_data *d, const double *x, const double *v, double h, double *f,
                       double *K, double *C, int free_only)
{
    if (f) memset(f, 0, sizeof(double) * 3 * (size_t)m->nnode);
    if (!free_only) {
        if (K) memset(K, 0, sizeof(double) * 9 * (size_t)m->nblock);
        if (C) memset(C, 0, sizeof(double) * 9 * (size_t)m->nblock);
    } else if (K || C) {
        for (int i = 0; i < m->nnode; i++) { /* the block rows of free nodes */
            if (m->node_body[i] != -1) continue;
            size_t a = 9 * (size_t)m->blk_rowadr[i], len = sizeof(double) * 9 * (size_t)m->blk_rownum[i];
            if (K) memset(K + a, 0, len);
            if (C) memset(C + a, 0, len);
        }
    }
    double psi = 0.0;
    ework w;
    const int cmat = C || (v && f); /* viscous forces need the damping matrix */
    const int mats = K || cmat;
    for (int i = 0; i < m->ncord; i++) {
        int e = i;
        w.cmat = cmat;
        w.mats = mats && (!free_only || cmat || any_free(m, m->cord_node + 2 * i, 2));
        cord_kernel(m, d, i, x, v, h, &w);
        scatter(m, e, &w, v, f, K, C, free_only);
        psi += finish(d, e, &w);
    }
    fibcache fc = {-1, 0.0, 0.0};
    for (int i = 0; i < m->nmem; i++) {
        int e = m->ncord + i;
        w.cmat = cmat;
        w.mats = mats && (!free_only || cmat || any_free(m, m->mem_node + 3 * i, 3));
        mem_kernel(m, d, i, x, v, h, &w, &fc);
        scatter(m, e, &w, v, f, K, C, free_only);
        psi += finish(d, e, &w);
    }
    for (int i = 0; i < m->nintf; i++) {
        int e = m->ncord + m->nmem + i;
        w.cmat = cmat;
        w.mats = mats && (!free_only || cmat || any_free(m, m->intf_node + 2 * i, 2));
        intf_kernel(m, d, i, x, v, &w);
        scatter(m, e, &w, v, f, K, C, free_only);
        psi += finish(d, e, &w);
    }
    for (int i = 0; i < m->nmuscle; i++) {
        int e = m->ncord + m->nmem + m->nintf + i;
        w.cmat = cmat;
        w.mats = mats && (!free_only || cmat || any_free(m, m->muscle_node + 2 * i, 2));
        muscle_kernel(m, d, i, x, v, &w);
        scatter(m, e, &w, v, f, K, C, free_only);
        psi += finish(d, e, &w);
    }
    d->energy = psi;
    return psi;
}

double fa_assemble(const fa_model *m, fa_data *d, const double *x, const double *v, double h, double *f, double *K,
                   double *C)
{
    return assemble(m, d, x, v, h, f, K, C, 0);
}

double fa_assemble_free(const fa_model *m, fa_data *d, const double *x, const double *v, double h, double *f,
                        double *K, double *C)
{
    return assemble(m, d, x, v, h, f, K, C, 1);
}

void fa_visc_commit(const fa_model *m, fa_data *d, const double *x, double h)
{
    for (int i = 0; i < m->ncord; i++) {
        int mat = m->cord_mat[i];
        if (m->mat_prony_num[mat] <= 0) continue;
        double u[3], L, eps, sig = 0, Et, W;
        if (!cord_elastic(m, d, i, x, fa_tissue_scale(m, d, i), u, &L, &eps, &sig, &Et, &W)) sig = 0.0;
        fa_mech_prony_commit(m, mat, h, d->visc + m->elem_visc_adr[i], 1, &sig);
    }
    fibcache fc = {-1, 0.0, 0.0};
    for (int i = 0; i < m->nmem; i++) {
        int e = m->ncord + i, mat = m->mem_mat[i];
        if (m->mat_prony_num[mat] <= 0) continue;
        memgeo g;
        mem_geometry(m, i, x, &g, &fc);
        double sig[5], Et[2], W[3], eps[2], lraw[2], gh[2][3], E[3];
        mem_elastic(m, d, i, &g, fa_tissue_scale(m, d, e), sig, Et, W, eps, lraw, gh, E);
        fa_mech_prony_commit(m, mat, h, d->visc + m->elem_visc_adr[e], 5, sig);
    }
}
