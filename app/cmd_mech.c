/* SPDX-License-Identifier: MIT */
/* `fascia tensile`: a virtual uniaxial tensile test of one collagen cord or a
 * fascial sheet strip, ramp at constant strain rate then hold (stress
 * relaxation), through the public mechanics API (fa_model_finalize,
 * fa_assemble, fa_visc_commit). Prints CSV: time, strain, stress, force,
 * potential. Defaults: iliotibial band modulus and toe strain from
 * data/params/tissue_mechanics.csv (rows itb_E_mid, toe_strain). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fascia/data.h"
#include "fascia/mech.h"
#include "fascia/model.h"

#define MAX_PRONY 8

typedef struct tensile_def {
    double E, toe, Em, nu;          /* Pa, -, Pa, - */
    double area, length;            /* m^2 (cord), m */
    double width, thick;            /* m (sheet) */
    double frac, angle_deg;         /* second fibre family (sheet) */
    double strain, rate, hold, dt;  /* -, 1/s, s, s */
    double hyd, xlink, damage;      /* tissue state */
    int nprony;
    double g[MAX_PRONY], tau[MAX_PRONY];
    int sheet, across;
    const char *out;
} tensile_def;

static void tensile_usage(FILE *f)
{
    fprintf(f,
            "usage: fascia tensile [options]\n"
            "Virtual uniaxial tensile test: ramp to --strain at --rate, then hold for --hold\n"
            "seconds (stress relaxation). CSV on stdout: t_s,strain,stress_Pa,force_N,psi_J\n"
            "(psi: elastic potential incl. the viscoelastic history term; stress: force over\n"
            "the reference section).\n"
            "  --E PA          fibre modulus, linear region (350e6: ITB, Otsuka 2020)\n"
            "  --toe S         toe-region end strain (0.02)\n"
            "  --strain S      peak engineering strain (0.06)\n"
            "  --rate R        strain rate, 1/s (0.01)\n"
            "  --hold T        relaxation hold, s (0)\n"
            "  --dt T          time step, s (ramp time / 60)\n"
            "  --prony g:tau[,g:tau...]  relaxation spectrum (none: elastic)\n"
            "  --area A        cord cross-section, m^2 (1e-5)\n"
            "  --length L      specimen length, m (0.1)\n"
            "  --sheet         test a membrane strip (planar tension: width held) instead of a cord\n"
            "  --across        pull the sheet across its main fibre direction\n"
            "  --width W --thick T   strip width and thickness, m (0.02, 1e-3)\n"
            "  --frac F --angle DEG  second fibre family share and angle (0.15, 78)\n"
            "  --Em PA --nu NU       ground matrix (1e6, 0.3)\n"
            "  --hyd H --xlink X --damage D   tissue state (1, 1, 0)\n"
            "  --out FILE      write the CSV to FILE\n");
}

static int parse_num(const char *opt, const char *s, double *v)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(x)) {
        fprintf(stderr, "fascia tensile: %s expects a number, found '%s'\n", opt, s);
        return 0;
    }
    *v = x;
    return 1;
}

static int parse_prony(const char *s, tensile_def *t)
{
    const char *p = s;
    t->nprony = 0;
    while (*p) {
        char *end;
        double g = strtod(p, &end);
        if (end == p || *end != ':') goto bad;
        p = end + 1;
        double tau = strtod(p, &end);
        if (end == p || (*end && *end != ',')) goto bad;
        if (t->nprony == MAX_PRONY) {
            fprintf(stderr, "fascia tensile: at most %d Prony terms\n", MAX_PRONY);
            return 0;
        }
        t->g[t->nprony] = g;
        t->tau[t->nprony++] = tau;
        p = *end ? end + 1 : end;
    }
    return 1;
bad:
    fprintf(stderr, "fascia tensile: --prony expects g:tau[,g:tau...], found '%s'\n", s);
    return 0;
}

static fa_model *build(const tensile_def *t, fa_error *err)
{
    fa_model s;
    memset(&s, 0, sizeof s);
    s.nmat = 1;
    s.nprony = t->nprony;
    s.nnode = t->sheet ? 4 : 2;
    s.ncord = t->sheet ? 0 : 1;
    s.nmem = t->sheet ? 2 : 0;
    s.nelem = s.ncord + s.nmem;
    fa_model *m = fa_model_alloc(&s);
    if (!m) return NULL;
    m->mat_name[0] = -1;
    m->mat_cite[0] = -1;
    m->mat_E[0] = t->E;
    m->mat_toe[0] = t->toe;
    m->mat_Em[0] = t->Em;
    m->mat_nu[0] = t->nu;
    m->mat_fib2_frac[0] = t->frac;
    m->mat_fib2_angle[0] = t->angle_deg * 3.14159265358979323846 / 180.0;
    m->mat_grade[0] = 'C';
    m->mat_prony_num[0] = t->nprony;
    for (int p = 0; p < t->nprony; p++) {
        m->prony_g[p] = t->g[p];
        m->prony_tau[p] = t->tau[p];
    }
    for (int i = 0; i < s.nnode; i++) {
        m->node_name[i] = -1;
        m->node_body[i] = -1;
    }
    if (!t->sheet) {
        m->node_pos0[3] = t->length;
        m->cord_name[0] = -1;
        m->cord_node[1] = 1;
        m->cord_area[0] = t->area;
    } else {
        double P[4][2] = {{0, 0}, {t->length, 0}, {t->length, t->width}, {0, t->width}};
        for (int i = 0; i < 4; i++) m->node_pos0[3 * i] = P[i][0], m->node_pos0[3 * i + 1] = P[i][1];
        int tri[6] = {0, 1, 2, 0, 2, 3};
        memcpy(m->mem_node, tri, sizeof tri);
        for (int i = 0; i < 2; i++) {
            m->mem_thick[i] = t->thick;
            m->mem_fibre[3 * i + (t->across ? 1 : 0)] = 1.0;
        }
    }
    if (fa_model_finalize(&m, err) != FA_OK) {
        fa_model_free(m);
        return NULL;
    }
    return m;
}

int fa_cmd_tensile(int argc, char **argv)
{
    tensile_def t = {.E = 350e6, .toe = 0.02, .Em = 1e6, .nu = 0.3, .area = 1e-5, .length = 0.1,
                     .width = 0.02, .thick = 1e-3, .frac = 0.15, .angle_deg = 78, .strain = 0.06,
                     .rate = 0.01, .hold = 0, .dt = 0, .hyd = 1, .xlink = 1, .damage = 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            tensile_usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--sheet")) { t.sheet = 1; continue; }
        if (!strcmp(a, "--across")) { t.across = 1; continue; }
        if (i + 1 >= argc) {
            fprintf(stderr, "fascia tensile: unknown option or missing value: '%s'\n", a);
            tensile_usage(stderr);
            return 2;
        }
        const char *v = argv[++i];
        struct { const char *name; double *dst; } num[] = {
            {"--E", &t.E}, {"--toe", &t.toe}, {"--Em", &t.Em}, {"--nu", &t.nu}, {"--area", &t.area},
            {"--length", &t.length}, {"--width", &t.width}, {"--thick", &t.thick}, {"--frac", &t.frac},
            {"--angle", &t.angle_deg}, {"--strain", &t.strain}, {"--rate", &t.rate}, {"--hold", &t.hold},
            {"--dt", &t.dt}, {"--hyd", &t.hyd}, {"--xlink", &t.xlink}, {"--damage", &t.damage}};
        int done = 0;
        for (size_t k = 0; k < sizeof num / sizeof num[0] && !done; k++)
            if (!strcmp(a, num[k].name)) {
                if (!parse_num(a, v, num[k].dst)) return 2;
                done = 1;
            }
        if (done) continue;
        if (!strcmp(a, "--prony")) {
            if (!parse_prony(v, &t)) return 2;
        } else if (!strcmp(a, "--out")) {
            t.out = v;
        } else {
            fprintf(stderr, "fascia tensile: unknown option '%s'\n", a);
            tensile_usage(stderr);
            return 2;
        }
    }
    if (!(t.rate > 0) || !(t.strain > -1) || !(t.hold >= 0) || !(t.dt >= 0) || !(t.length > 0)) {
        fprintf(stderr, "fascia tensile: expected rate > 0, strain > -1, hold >= 0, dt >= 0, length > 0\n");
        return 2;
    }
    fa_error err;
    fa_error_clear(&err);
    fa_model *m = build(&t, &err);
    if (!m) {
        fprintf(stderr, "fascia tensile: %s\n", err.msg[0] ? err.msg : "out of memory");
        return 1;
    }
    fa_data *d = fa_data_alloc(m, 0);
    FILE *out = t.out ? fopen(t.out, "w") : stdout;
    if (!d || !out) {
        fprintf(stderr, "fascia tensile: %s\n", d ? "cannot open the output file" : "out of memory");
        fa_data_free(d);
        fa_model_free(m);
        return 1;
    }
    for (int e = 0; e < m->nelem; e++) {
        d->tis_hyd[e] = t.hyd;
        d->tis_xlink[e] = t.xlink;
        d->tis_damage[e] = t.damage;
    }
    double tramp = fabs(t.strain) / t.rate;
    double dt = t.dt > 0 ? t.dt : (tramp > 0 ? tramp / 60.0 : 1.0);
    double section = t.sheet ? t.width * t.thick : t.area;
    double f[12], x[12];
    fprintf(out, "t_s,strain,stress_Pa,force_N,psi_J\n");
    fprintf(out, "%.6g,%.6g,%.6g,%.6g,%.6g\n", 0.0, 0.0, 0.0, 0.0, 0.0);
    double time = 0.0, tend = tramp + t.hold;
    while (time < tend - 1e-12 * (tend > 1 ? tend : 1)) {
        double h = dt;
        if (time < tramp && time + h > tramp) h = tramp - time; /* land on the peak */
        if (time + h > tend) h = tend - time;
        time += h;
        double eps = time < tramp ? t.strain * time / tramp : t.strain;
        for (int i = 0; i < m->nnode; i++) {
            x[3 * i] = m->node_pos0[3 * i] * (1.0 + eps);
            x[3 * i + 1] = m->node_pos0[3 * i + 1];
            x[3 * i + 2] = m->node_pos0[3 * i + 2];
        }
        double psi = fa_assemble(m, d, x, NULL, h, f, NULL, NULL);
        fa_visc_commit(m, d, x, h);
        double force = t.sheet ? -(f[3] + f[6]) : -f[3];
        fprintf(out, "%.6g,%.6g,%.6g,%.6g,%.6g\n", time, eps, force / section, force, psi);
    }
    if (t.out) fclose(out);
    fa_data_free(d);
    fa_model_free(m);
    return 0;
}
