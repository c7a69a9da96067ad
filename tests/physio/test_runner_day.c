/* SPDX-License-Identifier: MIT */
/* All ten physiology modules on the runner body (data/bodies/runner.yaml:
 * its real element kinds, interfaces and regions) for a desk-runner-like
 * day, built element by element with per-element variety: 8 h asleep,
 * 8 h seated at a desk (hips and low back compressed, layers still),
 * a 1-h run (strides 1.5-2x the ordinary strain, ITB-like impingement on a
 * few elements), 10 min of foam rolling, a hot shower, ordinary hours in
 * between; hourly steps, compensation applied to each next stimulus. Every
 * declared state field stays finite and inside its declared bounds, the
 * habitual day keeps the body at its set point, and the day leaves the
 * expected directions (sitting: adhesion up where nothing slid; running:
 * muscles warm). */
#include <math.h>
#include <stdio.h>

#include "fascia/load.h"
#include "fascia/physio.h"
#include "harness.h"

static fa_model *M;
static fa_data *D;
static fa_stimulus *S;

/* deterministic per-element variety in [0.75, 1.25] */
static double vary(int e, int salt)
{
    unsigned h = (unsigned)e * 2654435761u ^ (unsigned)salt * 40503u;
    h ^= h >> 13;
    h *= 0x5bd1e995u;
    h ^= h >> 15;
    return 0.75 + 0.5 * (double)(h & 0xffffu) / 65535.0;
}

enum { HOUR_SLEEP, HOUR_DESK, HOUR_RUN, HOUR_ROLL, HOUR_SHOWER, HOUR_ORDINARY };

static void fill(int what, double dt)
{
    fa_stimulus_baseline(M, D, S, dt); /* ordinary hour of the element's own day */
    for (int e = 0; e < M->nelem; e++) {
        double v = vary(e, what);
        switch (what) {
        case HOUR_SLEEP:
            S->strain_peak[e] = S->strain_mean[e] = 0.0;
            S->cycles[e] = S->t_load[e] = S->t_slide[e] = S->stress_mean[e] = S->stress_peak[e] = S->effort[e] = 0.0;
            S->t_slide[e] = 0.02 * dt;
            break;
        case HOUR_DESK: /* shortened, compressed where one sits (every 3rd element), no sliding */
            S->strain_peak[e] *= 0.3 * v;
            S->strain_mean[e] = -0.005 * v;
            S->cycles[e] *= 0.05;
            S->t_slide[e] = 0.0;
            S->effort[e] = 0.05;
            if (e % 3 == 0) S->pressure[e] = 20e3 * v, S->t_press[e] = dt;
            break;
        case HOUR_RUN:
            S->strain_peak[e] *= 1.5 + 0.5 * v;
            S->strain_rate[e] *= 3.0;
            S->cycles[e] = 85.0 * dt / 60.0;
            S->t_load[e] = dt;
            S->t_slide[e] = dt;
            S->slide_amp[e] *= 2.0;
            S->effort[e] = fmin(1.0, 0.5 * v);
            S->stress_peak[e] *= 2.0;
            if (e % 17 == 0) S->pressure[e] = 100e3 * v, S->t_press[e] = 0.2 * dt; /* impingement */
            break;
        case HOUR_ROLL:
            if (e % 5 == 0) S->pressure[e] = 33.4e3 * v, S->t_press[e] = dt / 6.0, S->t_slide[e] = dt / 6.0;
            break;
        case HOUR_SHOWER: S->heat[e] = 40.0; break;
        default: break;
        }
    }
    S->rest = what == HOUR_SLEEP;
    S->activity = what == HOUR_RUN ? 0.8 : (what == HOUR_SLEEP ? 0.0 : 0.2);
    S->water = 1.0;
    S->heat_mode = what == HOUR_RUN ? FA_HEAT_ACTIVITY : (what == HOUR_SHOWER ? FA_HEAT_BATH : FA_HEAT_NONE);
}

static int day_plan(int h)
{
    if (h < 7) return HOUR_SLEEP;
    if (h >= 9 && h < 17) return HOUR_DESK;
    if (h == 18) return HOUR_RUN;
    if (h == 19) return HOUR_ROLL;
    if (h == 20) return HOUR_SHOWER;
    if (h == 23) return HOUR_SLEEP;
    return HOUR_ORDINARY;
}

/* every declared field finite and within its bounds, for the elements it covers */
static int check_bounds(const char *when)
{
    int bad = 0;
    for (int k = 0; k < fa_physio_nmodule(); k++)
        for (int j = 0; j < fa_physio_nfield(k); j++) {
            fa_physio_field_info fi = fa_physio_field(k, j);
            const double *x = fa_physio_state(M, D, fi.name);
            int n = fi.on_interfaces ? M->nintf : M->nelem;
            for (int i = 0; i < n && x; i++) {
                int e = fi.on_interfaces ? M->ncord + M->nmem + i : i;
                if (!(fi.kinds & (1u << (unsigned)fa_elem_kind(M, e, NULL)))) continue;
                if (!isfinite(x[i]) || x[i] < fi.lo - 1e-12 || x[i] > fi.hi + 1e-12) {
                    if (bad++ < 5) fprintf(stderr, "%s: %s[%d] = %g outside [%g, %g]\n", when, fi.name, i, x[i], fi.lo, fi.hi);
                }
            }
        }
    return bad;
}

int main(void)
{
    fa_error err;
    fa_status st = fa_model_load("data/bodies/runner.yaml", &M, &err);
    CHECK_MSG(st == FA_OK, "%s", err.msg);
    if (!M) TEST_MAIN_END();
    CHECK(M->nintf > 0 && M->ncord > 0 && M->nmem > 0 && M->nmuscle > 0 && M->nregion > 10);
    fa_physio_params *P = fa_physio_params_default(&err);
    D = fa_data_alloc(M, 0);
    S = fa_stimulus_alloc(M);
    CHECK(P && D && S);
    CHECK_MSG(fa_physio_init(M, D, P, &err) == FA_OK, "%s", err.msg);
    /* the person's ordinary day, per element (variety in strain, rate and sliding) */
    fa_stimulus_baseline(M, D, S, 86400.0);
    for (int e = 0; e < M->nelem; e++) {
        S->strain_peak[e] *= vary(e, 101);
        S->cycles[e] *= vary(e, 102);
        S->t_slide[e] *= vary(e, 103);
        S->slide_amp[e] *= vary(e, 104);
    }
    CHECK_MSG(fa_physio_set_habitual(M, D, S, 86400.0, &err) == FA_OK, "%s", err.msg);
    CHECK(check_bounds("after set_habitual") == 0);
    /* a habitual day keeps the set point */
    double adh0 = 0, syn0 = 0;
    const double *adh = fa_physio_state(M, D, "adhesion.frac"), *syn = fa_physio_state(M, D, "remodel.syn");
    CHECK(adh && syn);
    for (int i = 0; i < M->nintf; i++) adh0 += adh[i];
    const int c1 = M->ncord;
    for (int e = 0; e < c1; e++) syn0 += syn[e];
    for (int h = 0; h < 24; h++) {
        fa_stimulus_baseline(M, D, S, 3600.0);
        fa_physio_step(M, D, S, 3600.0);
    }
    double adh1 = 0;
    for (int i = 0; i < M->nintf; i++) adh1 += adh[i];
    CHECK_REL(adh1, adh0, 1e-9);
    CHECK(check_bounds("habitual day") == 0);
    /* the desk-runner day, hourly, compensation applied to each next stimulus */
    double adh_desk = 0, t_run = 0;
    for (int h = 0; h < 24; h++) {
        fill(day_plan(h), 3600.0);
        fa_stimulus_apply_share(M, D, S);
        fa_physio_step(M, D, S, 3600.0);
        char when[32];
        snprintf(when, sizeof when, "hour %d", h);
        CHECK(check_bounds(when) == 0);
        if (h == 16)
            for (int i = 0; i < M->nintf; i++) adh_desk += adh[i];
        if (h == 18) {
            for (int e = M->nelem - M->nmuscle; e < M->nelem; e++) t_run += D->tis_temp[e];
            t_run /= M->nmuscle;
        }
    }
    CHECK(adh_desk > adh0);  /* eight hours without sliding: more bridges */
    CHECK(t_run > M->opt.temperature + 1.0); /* the run warmed the muscles */
    (void)syn0;
    /* two more days, with a 3-day step in between (large steps stay in bounds) */
    fill(HOUR_ORDINARY, 3.0 * 86400.0);
    fa_physio_step(M, D, S, 3.0 * 86400.0);
    CHECK(check_bounds("3-day step") == 0);
    for (int h = 0; h < 48; h++) {
        fill(day_plan(h % 24), 3600.0);
        fa_stimulus_apply_share(M, D, S);
        fa_physio_step(M, D, S, 3600.0);
    }
    CHECK(check_bounds("day 5") == 0);
    fa_stimulus_free(S);
    fa_data_free(D);
    fa_physio_params_free(P);
    fa_model_free(M);
    TEST_MAIN_END();
}
