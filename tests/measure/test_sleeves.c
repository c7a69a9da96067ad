/* SPDX-License-Identifier: MIT */
/* The whole shirt responds (seed, the shirt tug): the shirt with sleeves
 * (data/bodies/shirt-sleeves.yaml), sewn to the torso at the armholes and
 * gliding on the arms through the loose connective layer.
 *   1. A tug at the top of the right shoulder lifts the torso's side at the
 *      armhole, and the right sleeve moves up the arm: the lift fades from
 *      the armhole down the sleeve (its own shear lag on the arm), the hem
 *      still moves up the forearm (> 0.1 % of the pulled point's lift); the
 *      left sleeve, across the body, barely moves (< 1 % of the right hem's).
 *   2. A tug at the back of the collar lifts the small of the back far more
 *      than a sleeve hem (> 100 x): the tension reaches down the pulled
 *      column, not around the body to the armholes.
 *   3. "Then it falls back into place": after letting go, every followed
 *      point returns toward rest (less than half its peak lift is left).
 * (A 43 um gliding layer holding the sleeve still is measured in docs/tug.md,
 * not here, to keep the test short.) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fascia/load.h"
#include "fascia/measure.h"
#include "fascia/sim.h"
#include "harness.h"

enum { W_TOP, W_MID, W_HEM, W_HEM_L, W_BACK, NW };
static const char *const wname[NW] = {"shirt.48.38", "sleeve_r.4.20", "sleeve_r.4.39", "sleeve_l.12.39",
                                      "shirt.32.0"};

/* the shirt at rest: resting prestrain 1 % (the CLI's default) settled once */
static fa_data *settled(fa_model *m)
{
    m->opt.timestep = 0.005; /* backward Euler: the lifts agree with 2 ms steps within 3 % */
    fa_data *d = fa_data_alloc(m, 0);
    fa_tug_def def = fa_default_tug_def();
    def.node = fa_model_lookup(m, "node", "shirt.32.47");
    def.prestrain = 0.01;
    def.ramp = def.hold = def.release = 0.0; /* settle only */
    fa_tug_result r;
    CHECK(fa_tug_run(m, d, &def, &r, NULL, NULL, NULL) == FA_OK);
    CHECK(r.steps == 0);
    fa_tug_result_free(&r);
    return d;
}

static int run(fa_model *m, const fa_data *rest, const char *node, fa_tug_result *r)
{
    int watch[NW];
    for (int w = 0; w < NW; w++) {
        watch[w] = fa_model_lookup(m, "node", wname[w]);
        CHECK_MSG(watch[w] >= 0, "node %s", wname[w]);
        if (watch[w] < 0) return 0;
    }
    fa_data *d = fa_data_alloc(m, 0);
    fa_data_copy(m, d, rest);
    fa_tug_def def = fa_default_tug_def();
    def.node = fa_model_lookup(m, "node", node);
    def.force[1] = 2.0;  /* N, up: the CLI's default tug */
    def.prestrain = 0.0; /* already settled */
    def.ramp = 0.01;
    def.hold = 0.02;
    def.release = 0.03;
    def.sample = 0.005;
    def.nwatch = NW;
    def.watch = watch;
    fa_status st = fa_tug_run(m, d, &def, r, NULL, NULL, NULL);
    CHECK_MSG(st == FA_OK, "tug at %s: status %d", node, (int)st);
    if (getenv("FA_TEST_VERBOSE")) fa_tug_print(r, stdout);
    fa_data_free(d);
    return st == FA_OK;
}

/* fraction of watched node w's peak lift left at the end of the run */
static double left_at_end(const fa_tug_result *r, int w)
{
    return r->watch_disp[(size_t)(r->nsample - 1) * r->nwatch + w] / r->watch_peak[w];
}

int main(void)
{
    fa_model *m = NULL;
    fa_error err;
    CHECK_MSG(fa_model_load("data/bodies/shirt-sleeves.yaml", &m, &err) == FA_OK, "%s", err.msg);
    if (!m) TEST_MAIN_END();
    fa_data *rest = settled(m);

    /* 1. shoulder tug */
    fa_tug_result r;
    if (run(m, rest, "shirt.48.47", &r)) {
        double top = r.watch_peak[W_TOP], mid = r.watch_peak[W_MID], hem = r.watch_peak[W_HEM];
        CHECK_MSG(top > 0.0 && mid > 0.0 && hem > 0.0, "armhole and right sleeve move up: %g %g %g m", top,
                  mid, hem);
        CHECK_MSG(top > mid && mid > hem, "lift fades from the armhole down the sleeve: %g > %g > %g m", top,
                  mid, hem);
        CHECK_MSG(hem > 1e-3 * r.tug_peak_disp,
                  "the hem moves up the forearm: %g m of the pulled point's %g m", hem, r.tug_peak_disp);
        CHECK_MSG(top < r.tug_peak_disp, "the armhole lifts less than the pulled point: %g vs %g m", top,
                  r.tug_peak_disp);
        CHECK_MSG(fabs(r.watch_peak[W_HEM_L]) < 0.01 * hem, "the left hem barely moves: %g vs %g m",
                  r.watch_peak[W_HEM_L], hem);
        /* 3. it falls back into place */
        CHECK(r.t_release > 0.0 && r.time[r.nsample - 1] > r.t_release);
        for (int w = W_TOP; w <= W_HEM; w++)
            CHECK_MSG(left_at_end(&r, w) < 0.5, "%s falls back: %.3f of its peak left", wname[w],
                      left_at_end(&r, w));
        double v;
        CHECK(fa_tug_disp_at(&r, FA_TUG_TUG_NODE, r.t_release + 0.02, &v) == 0);
        CHECK_MSG(v < 0.5 * r.tug_peak_disp, "the pulled point falls back: %g of %g m", v, r.tug_peak_disp);
        CHECK(fa_tug_disp_at(&r, FA_TUG_TUG_NODE, r.time[r.nsample - 1] + 1.0, &v) == -1);
        CHECK(fa_tug_disp_at(&r, NW, 0.0, &v) == -1);
        CHECK_REL(fa_tug_disp_peak(&r, FA_TUG_TUG_NODE), r.tug_peak_disp, 1e-12);
        fa_tug_result_free(&r);
    }

    /* 2. collar tug: the small of the back, not the sleeves */
    if (run(m, rest, "shirt.32.47", &r)) {
        double back = r.watch_peak[W_BACK], hem = fabs(r.watch_peak[W_HEM]);
        CHECK_MSG(back > 0.0, "the small of the back moves up: %g m", back);
        CHECK_MSG(back > 100.0 * hem, "small of the back %g m vs sleeve hem %g m", back, hem);
        CHECK_MSG(left_at_end(&r, W_BACK) < 0.5, "the tail falls back: %.3f left", left_at_end(&r, W_BACK));
        fa_tug_result_free(&r);
    }
    fa_data_free(rest);
    fa_model_free(m);
    TEST_MAIN_END();
}
