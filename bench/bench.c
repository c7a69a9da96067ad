/* SPDX-License-Identifier: MIT */
/* fascia_bench — fixed solver workloads, warm-up then best of several
 * repetitions, printed as a table with ratios against a reference in the
 * same run (CHOLMOD is the reference for PCG).
 *
 * Workloads on flat fascia sheets of N nodes (two fibre families, deep
 * fascia parameters of data/params/tissue_mechanics.csv, one column
 * anchored, the far edge pulled):
 *   assemble     fa_assemble with forces, tangent and damping
 *   analyse      CHOLMOD symbolic analysis (done once per model)
 *   lin_static   one Newton linear solve with the tangent at the loaded
 *                equilibrium (factorise + solve, or PCG)
 *   lin_dyn      one linear solve of the 1 ms backward-Euler system
 *   static       a full fa_solve_static from the reference state
 *   dyn_1s       1 s of dynamics (1000 steps of 1 ms) after the load is
 *                released (1k-node sheet)
 * and on the default runner body (data/bodies/runner.yaml): body_static
 * (equilibrium under gravity) and body_dyn_1s (1 s after gravity is
 * switched off). Sheets of 20k nodes run once (no repetitions).
 * And a simulated life (run once, CPU time of fa_life_run, counters in the
 * info column): life_28d, the first 28 days of desk-runner on the runner
 * body (24 frames per stride, as `fascia run`) with the default cache
 * (mech_slots 8, mech_xtol 1e-5 m) and with
 * the reference cache (one solution per entry, force tolerance alone: the
 * runner before the multi-slot cache); life_<N>d, N days (-life N, default
 * 365; 0 skips), the reference beside it only with -life-ref (slow: minutes).
 * Without -life-ref the year (life_365d) is compared with the CPU time of the
 * same workload run by the version before the speed work, stored as row
 * life_365d/before of bench/results.csv (-ref-csv FILE to read another).
 * Usage: fascia_bench [-q] [-r reps] [-o results.csv] [-life N] [-life-ref] [-only-life] [-ref-csv FILE] */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "fascia/life.h"
#include "fascia/load.h"
#include "fascia/mech.h"
#include "fascia/scenario.h"
#include "fascia/sim.h"
#include "solve/solve_internal.h"

typedef struct row {
    char work[24];
    int nnode;
    char solver[12];
    double best_s;
    double ref_s; /* reference time (same workload, CHOLMOD), 0 = none */
    char info[192]; /* iterations, factorisations, nnz(L) ... */
} row;

/* Process CPU time (s): the build machine is shared, and CPU time is less
 * sensitive to other processes than wall time. */
static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static row rows[256];
static int nrows = 0;

static void add_row(const char *work, int nnode, const char *solver, double t, double ref, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void add_row(const char *work, int nnode, const char *solver, double t, double ref, const char *fmt, ...)
{
    if (nrows >= 256) return;
    row *r = &rows[nrows++];
    snprintf(r->work, sizeof r->work, "%s", work);
    snprintf(r->solver, sizeof r->solver, "%s", solver);
    r->nnode = nnode;
    r->best_s = t;
    r->ref_s = ref;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->info, sizeof r->info, fmt, ap);
    va_end(ap);
}

/* nx x ny sheet, spacing 5 mm, crural-fascia-like thickness 0.924 mm
 * (deep_thick_crural), TLF modulus 150.9 MPa (tlf_E), toe 2 % (toe_strain),
 * second family at 78 deg with 15 % share (fl_fib2_angle, fl_fib2_frac),
 * ground matrix 1 MPa (modelling assumption of the mechanics tests). */
static fa_model *sheet(int nx, int ny)
{
    const double dx = 0.005;
    fa_model s;
    memset(&s, 0, sizeof s);
    s.nmat = 1;
    s.nbody = 1;
    s.nnode = nx * ny;
    s.nmem = 2 * (nx - 1) * (ny - 1);
    s.nelem = s.nmem;
    s.nnamechar = 8;
    fa_model *m = fa_model_alloc(&s);
    if (!m) return NULL;
    m->mat_name[0] = m->mat_cite[0] = -1;
    m->mat_E[0] = 1.509e8;
    m->mat_toe[0] = 0.02;
    m->mat_Em[0] = 1e6;
    m->mat_nu[0] = 0.3;
    m->mat_rho[0] = 1.12e3;
    m->mat_fail[0] = 0.1411;
    m->mat_beta[0] = 1e-4;
    m->mat_fib2_angle[0] = 1.36;
    m->mat_fib2_frac[0] = 0.15;
    m->mat_grade[0] = 'C';
    m->body_name[0] = -1;
    m->body_parent[0] = -1;
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            int n = j * nx + i;
            m->node_name[n] = -1;
            m->node_pos0[3 * n] = i * dx;
            m->node_pos0[3 * n + 1] = j * dx;
            m->node_body[n] = i == 0 ? 0 : -1;
            if (i == 0) memcpy(m->node_local + 3 * n, m->node_pos0 + 3 * n, 3 * sizeof(double));
        }
    int e = 0;
    for (int j = 0; j + 1 < ny; j++)
        for (int i = 0; i + 1 < nx; i++) {
            int a = j * nx + i, b = a + 1, c = a + nx + 1, d = a + nx;
            int tri[6] = {a, b, c, a, c, d};
            for (int q = 0; q < 2; q++, e++) {
                memcpy(m->mem_node + 3 * e, tri + 3 * q, 3 * sizeof(int));
                m->mem_thick[e] = 9.24e-4;
                m->mem_fibre[3 * e] = 1.0;
            }
        }
    fa_error err;
    if (fa_model_finalize(&m, &err) != FA_OK) {
        fprintf(stderr, "fascia_bench: %s\n", err.msg);
        fa_model_free(m);
        return NULL;
    }
    return m;
}

/* far edge pulled along x with f (N) per node */
static void load(const fa_model *m, fa_data *d, int nx, int ny, double f)
{
    memset(d->f_ext, 0, (size_t)m->nnode * 3 * sizeof(double));
    for (int j = 0; j < ny; j++) d->f_ext[3 * (j * nx + nx - 1)] = f;
}

static double best_of(int reps, double *times)
{
    double b = INFINITY;
    for (int i = 0; i < reps; i++)
        if (times[i] < b) b = times[i];
    return b;
}

static void bench_size(int nx, int ny, int reps, int do_dyn)
{
    fa_model *m = sheet(nx, ny);
    if (!m) return;
    int N = m->nnode;
    fa_data *d = fa_data_alloc(m, 0);
    double times[64];
    if (reps > 64) reps = 64;
    fa_error err;

    /* static solve from the reference state: AUTO (factor reuse), CHOLMOD, PCG */
    static const char *names[3] = {"auto", "cholmod", "pcg"};
    static const fa_linsolver kinds[3] = {FA_LIN_AUTO, FA_LIN_CHOLMOD, FA_LIN_PCG};
    double t_static[3] = {0, 0, 0};
    int its[3] = {0, 0, 0}, fac[3] = {0, 0, 0};
    for (int s = 0; s < 3; s++) {
        fa_static_def def = fa_default_static_def();
        def.linsolver = kinds[s];
        fa_static_report rep;
        memset(&rep, 0, sizeof rep);
        for (int r = -1; r < reps; r++) { /* r = -1: warm-up (workspace, analysis) */
            fa_data_reset(m, d);
            load(m, d, nx, ny, 2.0);
            double t0 = cpu_s();
            fa_status st = fa_solve_static(m, d, &def, &rep, &err);
            double t1 = cpu_s();
            if (st != FA_OK) fprintf(stderr, "fascia_bench: static %d nodes: %s\n", N, err.msg);
            if (r >= 0) times[r] = t1 - t0;
        }
        t_static[s] = best_of(reps, times);
        its[s] = rep.iterations;
        fac[s] = s == 2 ? rep.pcg_iterations : rep.factorizations;
        fa_solver_reset(d);
    }

    /* at the loaded equilibrium: assembly and single linear solves */
    fa_data_reset(m, d);
    load(m, d, nx, ny, 2.0);
    fa_solve_static(m, d, NULL, NULL, NULL);
    fa_solver_ws *w = fa_solver_get(m, d, 1, &err);
    if (!w) {
        fprintf(stderr, "fascia_bench: %s\n", err.msg);
        return;
    }
    fa_linsys *L = &w->L;
    for (int r = -1; r < reps; r++) {
        double t0 = cpu_s();
        fa_assemble(m, d, d->x, d->v, 1e-3, w->f, w->K, w->C);
        if (r >= 0) times[r] = cpu_s() - t0;
    }
    double t_asm = best_of(reps, times);
    add_row("assemble", N, "-", t_asm, 0, "K, C and f");
    /* CHOLMOD analysis on a fresh system */
    for (int r = 0; r < reps && r < 3; r++) {
        fa_linsys L2;
        fa_linsys_init(&L2, m, 1, NULL);
        times[r] = L2.analyse_s; /* wall time measured inside */
        fa_linsys_free(&L2);
    }
    add_row("analyse", N, "cholmod", best_of(reps < 3 ? reps : 3, times), 0, "nnz(L) %.0f, wall time", L->lnz);

    fa_assemble(m, d, d->x, NULL, 0.0, w->f, w->K, NULL);
    double *b = w->r, *x = w->dx;
    for (int i = 0; i < L->ndof; i++) b[i] = sin(0.37 * i);
    for (int sys = 0; sys < 2; sys++) {
        const double *B = w->K;
        const double *dadd = NULL;
        if (sys == 1) {
            double h = 1e-3, a = m->opt.damping;
            fa_assemble(m, d, d->x, d->v, h, w->f, w->K, w->C);
            for (int k = 0; k < 9 * m->nblock; k++) w->A[k] = w->K[k] + w->C[k] / h;
            for (int i = 0; i < L->nfree; i++) w->dadd[i] = m->node_mass[L->node_of[i]] * (1 / (h * h) + a / h);
            B = w->A;
            dadd = w->dadd;
        }
        double tc, tp;
        fa_linres res;
        for (int r = -1; r < reps; r++) {
            double t0 = cpu_s();
            fa_linsys_solve(L, 1, B, dadd, 0.0, b, x, 1e-10, 3 * L->ndof + 10, &res);
            if (r >= 0) times[r] = cpu_s() - t0;
        }
        tc = best_of(reps, times);
        for (int r = -1; r < reps; r++) {
            double t0 = cpu_s();
            fa_linsys_solve(L, 0, B, dadd, 0.0, b, x, 1e-10, 3 * L->ndof + 10, &res);
            if (r >= 0) times[r] = cpu_s() - t0;
        }
        tp = best_of(reps, times);
        const char *wn = sys == 0 ? "lin_static" : "lin_dyn";
        add_row(wn, N, "cholmod", tc, 0, "factorise + solve, %s", L->supernodal ? "supernodal" : "simplicial");
        add_row(wn, N, "pcg", tp, tc, "%d block-Jacobi CG iterations", res.iters);
    }
    for (int k = 0; k < 3; k++)
        add_row("static", N, names[k], t_static[k], k == 1 ? 0 : t_static[1], "%d Newton, %d %s", its[k], fac[k],
                k == 2 ? "CG iterations" : "factorisations");

    if (do_dyn) {
        double t_dyn[3];
        int nc[3], nf[3];
        for (int s = 0; s < 3; s++) {
            fa_step_def def = fa_default_step_def();
            def.linsolver = kinds[s];
            int nr = reps < 2 ? reps : 2;
            for (int r = 0; r < nr; r++) {
                fa_data_reset(m, d);
                load(m, d, nx, ny, 2.0);
                fa_solve_static(m, d, NULL, NULL, NULL);
                load(m, d, nx, ny, 0.0); /* release: the sheet recoils */
                int nfac = 0, nstep = 1000;
                double t0 = cpu_s();
                for (int k = 0; k < nstep; k++) {
                    fa_step_report sr;
                    fa_step_ex(m, d, &def, &sr, NULL);
                    nfac += sr.factorizations;
                }
                times[r] = cpu_s() - t0;
                nf[s] = nfac;
            }
            t_dyn[s] = best_of(nr, times);
            nc[s] = d->warn.noconv;
        }
        for (int k = 0; k < 3; k++)
            add_row("dyn_1s", N, names[k], t_dyn[k], k == 1 ? 0 : t_dyn[1], "%d factorisations, %d noconv", nf[k],
                    nc[k]);
    }
    fa_data_free(d);
    fa_model_free(m);
}

/* The default runner body (data/bodies/runner.yaml, run from the repository
 * root): relaxed equilibrium under gravity from the reference posture, then
 * 1 s of dynamics after gravity is switched off (the network recoils). */
static void bench_body(const char *path, int reps)
{
    fa_model *m = NULL;
    fa_error err;
    if (fa_model_load(path, &m, &err) != FA_OK) {
        fprintf(stderr, "fascia_bench: %s (runner body skipped)\n", err.msg);
        return;
    }
    fa_data *d = fa_data_alloc(m, 0);
    static const char *names[3] = {"auto", "cholmod", "pcg"};
    double ts[3], td[3], times[64];
    int its[3], work[3], dits[3], dwork[3];
    if (reps > 64) reps = 64;
    for (int k = 0; k < 3; k++) {
        fa_static_def def = fa_default_static_def();
        def.linsolver = (fa_linsolver)k;
        def.maxiter = 200;
        fa_static_report rep;
        memset(&rep, 0, sizeof rep);
        for (int r = -1; r < reps; r++) {
            fa_data_reset(m, d);
            m->opt.gravity[1] = -9.81;
            double t0 = cpu_s();
            if (fa_solve_static(m, d, &def, &rep, &err) != FA_OK) fprintf(stderr, "fascia_bench: body: %s\n", err.msg);
            if (r >= 0) times[r] = cpu_s() - t0;
        }
        ts[k] = best_of(reps, times);
        its[k] = rep.iterations;
        work[k] = k == 2 ? rep.pcg_iterations : rep.factorizations;
        fa_step_def sd = fa_default_step_def();
        sd.linsolver = (fa_linsolver)k;
        m->opt.gravity[1] = 0.0;
        int ni = 0, nw = 0;
        double t0 = cpu_s();
        for (int s = 0; s < 1000; s++) {
            fa_step_report sr;
            fa_step_ex(m, d, &sd, &sr, NULL);
            ni += sr.iterations;
            nw += k == 2 ? sr.pcg_iterations : sr.factorizations;
        }
        td[k] = cpu_s() - t0;
        dits[k] = ni;
        dwork[k] = nw;
        fa_solver_reset(d);
    }
    int nf = 0;
    for (int i = 0; i < m->nnode; i++) nf += m->node_body[i] == -1;
    for (int k = 0; k < 3; k++)
        add_row("body_static", m->nnode, names[k], ts[k], k == 1 ? 0 : ts[1], "%d free nodes, %d Newton, %d %s", nf,
                its[k], work[k], k == 2 ? "CG iterations" : "factorisations");
    for (int k = 0; k < 3; k++)
        add_row("body_dyn_1s", m->nnode, names[k], td[k], k == 1 ? 0 : td[1], "%d Newton, %d %s", dits[k], dwork[k],
                k == 2 ? "CG iterations" : "factorisations");
    fa_data_free(d);
    fa_model_free(m);
}

/* One run of `days` days of desk-runner on the runner body; CPU time of
 * the run (creation included: it replays the first stride) and counters. */
static int life_once(const fa_model *m, const fa_scenario *sc, int days, int slots, double xtol, double *cpu,
                     fa_life_stats *stats)
{
    fa_life_def def = fa_default_life_def();
    def.ndays = days;
    def.stride_frames = 24; /* as `fascia run` */
    def.mech_slots = slots;
    def.mech_xtol = xtol;
    fa_life_osim *kin = NULL;
    fa_life *L = NULL;
    fa_error err;
    int ok = 0;
    if (fa_life_osim_create(m, "data", &kin, &def.kin, &err) != FA_OK) {
        fprintf(stderr, "fascia_bench: life: %s\n", err.msg);
        return 0;
    }
    double t0 = cpu_s();
    if (fa_life_create(m, sc, &def, &L, &err) == FA_OK && fa_life_run(L, days, NULL, NULL, &err) == FA_OK) {
        *cpu = cpu_s() - t0;
        *stats = fa_life_get_stats(L);
        ok = 1;
    } else {
        fprintf(stderr, "fascia_bench: life: %s\n", err.msg);
    }
    fa_life_free(L);
    fa_life_osim_free(kin);
    return ok;
}

static void life_row(const char *work, int nnode, const char *solver, double t, double ref, const fa_life_stats *s)
{
    add_row(work, nnode, solver, t, ref,
            "%d posture solves, %d stride replays, %ld cached uses (%ld recalled), %ld Newton, %ld factorisations, "
            "%ld physiology steps",
            s->posture_solves, s->stride_solves, s->cache_hits, s->cache_recalls, s->newton_iterations,
            s->factorizations, s->physio_steps);
}

/* CPU time (s) of row (work, solver) in a results file written by -o, 0 when
 * absent: the year's reference is the version before the speed work,
 * measured on the same machine (row life_365d/before of bench/results.csv). */
static double stored_ref(const char *path, const char *work, const char *solver, int *nnode)
{
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f) return 0.0;
    char line[512], key[64];
    double t = 0.0;
    snprintf(key, sizeof key, "%s,", work);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, strlen(key))) continue;
        char *p = line + strlen(key), *e;
        long nn = strtol(p, &e, 10);
        if (*e != ',') continue;
        p = e + 1;
        size_t ls = strlen(solver);
        if (strncmp(p, solver, ls) || p[ls] != ',') continue;
        t = strtod(p + ls + 1, &e);
        if (nnode) *nnode = (int)nn;
        break;
    }
    fclose(f);
    return t > 0.0 ? t : 0.0;
}

/* The life workloads (see the header). */
static void bench_life(const char *path, int days, int with_ref, const char *ref_csv)
{
    fa_model *m = NULL;
    fa_scenario *sc = NULL;
    fa_error err;
    if (fa_model_load(path, &m, &err) != FA_OK || fa_scenario_load_builtin("desk-runner", &sc, &err) != FA_OK) {
        fprintf(stderr, "fascia_bench: %s (life skipped)\n", err.msg);
        fa_model_free(m);
        return;
    }
    const fa_life_def d0 = fa_default_life_def();
    double t1 = 0, t0 = 0;
    fa_life_stats s1, s0;
    if (life_once(m, sc, 28, 1, 0.0, &t0, &s0) && life_once(m, sc, 28, d0.mech_slots, d0.mech_xtol, &t1, &s1)) {
        life_row("life_28d", m->nnode, "cache", t1, t0, &s1);
        life_row("life_28d", m->nnode, "ref", t0, 0, &s0);
    }
    if (days > 0) {
        char w[24];
        snprintf(w, sizeof w, "life_%dd", days);
        int ok0 = with_ref && life_once(m, sc, days, 1, 0.0, &t0, &s0);
        /* without -life-ref, a year is compared with the stored run of the
         * version before the speed work (same workload and defaults) */
        int nb = 0;
        double tb = !ok0 && days == 365 ? stored_ref(ref_csv, w, "before", &nb) : 0.0;
        if (life_once(m, sc, days, d0.mech_slots, d0.mech_xtol, &t1, &s1))
            life_row(w, m->nnode, "cache", t1, ok0 ? t0 : tb, &s1);
        if (ok0) life_row(w, m->nnode, "ref", t0, 0, &s0);
        if (tb > 0.0) add_row(w, nb, "before", tb, 0, "stored in %s (the version before the speed work)", ref_csv);
    }
    fa_scenario_free(sc);
    fa_model_free(m);
}

int main(int argc, char **argv)
{
    int reps = 5, quick = 0, life_days = 365, life_ref = 0, only_life = 0;
    const char *out = NULL, *ref_csv = "bench/results.csv";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-q")) quick = 1;
        else if (!strcmp(argv[i], "-r") && i + 1 < argc) reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-o") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "-life") && i + 1 < argc) life_days = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-life-ref")) life_ref = 1;
        else if (!strcmp(argv[i], "-only-life")) only_life = 1;
        else if (!strcmp(argv[i], "-ref-csv") && i + 1 < argc) ref_csv = argv[++i];
        else {
            fprintf(stderr, "usage: fascia_bench [-q] [-r reps] [-o results.csv] [-life DAYS] [-life-ref] [-only-life] "
                            "[-ref-csv FILE]\n");
            return 2;
        }
    }
    if (reps < 1) reps = 1;
    if (life_days < 0) life_days = 0;
    /* sheets of ~1k, ~5k, ~20k nodes */
    int sizes[3][2] = {{40, 25}, {100, 50}, {200, 100}};
    int ns = quick ? 1 : 3;
    if (!only_life) {
        bench_body("data/bodies/runner.yaml", reps);
        for (int k = 0; k < ns; k++) bench_size(sizes[k][0], sizes[k][1], k < 2 ? reps : 1, k < 1);
    }
    if (!quick || only_life) bench_life("data/bodies/runner.yaml", life_days, life_ref, ref_csv);
    printf("CPU time, best of %d (ratio: to CHOLMOD refactorising every Newton system; life: to the reference "
           "cache, one run each; life_365d without -life-ref: to the stored run before the speed work)\n", reps);
    printf("%-11s %7s %-8s %12s %8s  %s\n", "workload", "nodes", "solver", "best_ms", "ratio", "info");
    for (int i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        char ratio[16] = "-";
        if (r->ref_s > 0) snprintf(ratio, sizeof ratio, "%.2f", r->best_s / r->ref_s);
        printf("%-11s %7d %-8s %12.3f %8s  %s\n", r->work, r->nnode, r->solver, 1e3 * r->best_s, ratio, r->info);
    }
    if (out) {
        FILE *f = fopen(out, "w");
        if (!f) {
            fprintf(stderr, "fascia_bench: cannot write %s\n", out);
            return 1;
        }
        fprintf(f, "workload,nodes,solver,best_cpu_s,ratio_to_cholmod,info\n");
        for (int i = 0; i < nrows; i++) {
            const row *r = &rows[i];
            fprintf(f, "%s,%d,%s,%.6e,%.4f,\"%s\"\n", r->work, r->nnode, r->solver, r->best_s,
                    r->ref_s > 0 ? r->best_s / r->ref_s : 1.0, r->info);
        }
        fclose(f);
    }
    return 0;
}
