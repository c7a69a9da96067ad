/* SPDX-License-Identifier: MIT */
/* Lulu Dewey's knee (seed article; data/scenarios/dewey.yaml) on the small
 * test body with a tensor fasciae latae (tests/life/body.h lb_body_opt(1)),
 * a runner's knee in the stride and pigeon's back leg (hip extended and
 * adducted: the leg whose lateral line the pose lengthens), under the
 * habitual day (the default: every element measured against the reference
 * person's ordinary day on this body: 8 h sleep, four walks, 7.7 h of
 * upright sitting, standing).
 *
 * The chain the model carries, asserted link by link against the same
 * weeks without the practice (counterfactual runs of the same scenario):
 *   novice weeks: her desk hours are the reference day's sitting (the
 *     band's rest length does not drift shorter); what is new is running:
 *     each stride presses the band on the lateral femoral epicondyle in the
 *     20-30 deg zone; her hip abductors weaken (her day takes fewer steps
 *     than the reference day's walks), leaving more of the stride's load and
 *     strain to the band, and the extra strain stiffens it (remodel), so the
 *     band's tension in the zone rises and her knee pain with it, with no
 *     scripted injury (switches: without the weakening, or without the
 *     collagen-quality gain, the pain rises about a third as much);
 *   two weeks of rest: the pain goes and comes back with the runs;
 *   treatments (physio, massage and foam rolling of the lateral thigh, ice
 *     on the knee): the layers glide again and adhesions break, but the
 *     band's rest length and stiffness, so its tension and her pain, stay
 *     as they were;
 *   pigeon weeks (90 min of reading in pigeon plus a 45-min evening hold):
 *     the band is held long for hours a day, its ingrained rest length grows,
 *     each stride strains it less (so the runs stiffen it less), the zone
 *     tension and her pain fall; glide and adhesion are not what changes.
 * Two switches show which mechanism does it: without the ingrained rest
 * length (rem.k_rs 0) the pigeon weeks leave the pain almost as it is;
 * without the muscle set point (TFL) they lower it just the same. Six runs
 * of 78 weeks, two of 10 weeks and a few stride solves: ~2 s CPU release,
 * ~21 s CPU ASan.
 * Directions and sizes, never exact floats. On the runner body (working
 * muscles, the default) the novice rise, the rest and the treatments' glide
 * appear through the same mechanism, but the pigeon weeks give no relief
 * (within 1 % of reading seated: its back leg holds her left band shorter
 * than her desk); one 78-week run is ~100 s release, so it is measured, not
 * asserted here: docs/scenario-format.md. */
#include <stdlib.h>
#include <unistd.h>

#include "fascia/load.h"
#include "fascia/scenario.h"
#include "harness.h"
#include "life/body.h"
#include "life/internal.h"
#include "life/stimparams.h"

/* Running with a runner's knee: stance (40 % of the cycle) from 21.4 deg at
 * foot strike (Orchard 1996) to 43 deg and back, swing to 101 deg; hip and
 * adduction as the test body's; walking as the test body's. */
static fa_status dw_gait_pose(void *user, const fa_model *m, fa_data *d, const char *name, double speed, int f,
                              fa_error *err)
{
    if (strcmp(name, "running")) return lb_gait_pose(user, m, d, name, speed, f, err);
    double ph = (double)f / LB_NFRAME;
    double hip = (8.0 + 4.0 * speed) * sin(2.0 * LB_PI * ph),
           add = 2.0 * fmax(0.0, sin(2.0 * LB_PI * ph + 0.5 * LB_PI));
    double knee = ph < 0.4 ? 21.4 + 22.0 * sin(LB_PI * ph / 0.4) : 21.4 + 80.0 * sin(LB_PI * (ph - 0.4) / 0.6);
    lb_pose(d, hip * LB_DEG, add * LB_DEG, knee * LB_DEG, 1.0 * sin(4.0 * LB_PI * ph) * LB_DEG);
    return FA_OK;
}

/* Pigeon's back leg: hip extended 15 deg and adducted 10 deg under the
 * pelvis, knee straight. Other postures as the test body's. */
static fa_status dw_posture(void *user, const fa_model *m, fa_data *d, const char *name, fa_error *err)
{
    if (!strcmp(name, "pigeon")) {
        lb_pose(d, -15.0 * LB_DEG, 10.0 * LB_DEG, 0.0, 0.0);
        return FA_OK;
    }
    return lb_posture(user, m, d, name, err);
}

/* The built-in dewey scenario with text replacements (the test body's
 * region names; a practice left out). */
static fa_scenario *dw_scenario(const char *const *rep)
{
    size_t len = 0;
    const char *t = fa_scenario_builtin_text("dewey", &len);
    if (!t) return NULL;
    size_t cap = len * 2 + 4096;
    char *a = malloc(cap), *b = malloc(cap);
    if (!a || !b) {
        free(a);
        free(b);
        return NULL;
    }
    memcpy(a, t, len);
    a[len] = 0;
    for (int i = 0; rep && rep[i]; i += 2) {
        const char *from = rep[i], *to = rep[i + 1];
        size_t fl = strlen(from), tl = strlen(to), o = 0;
        int hit = 0;
        for (const char *p = a; *p;) {
            if (!strncmp(p, from, fl)) {
                memcpy(b + o, to, tl);
                o += tl;
                p += fl;
                hit = 1;
            } else {
                b[o++] = *p++;
            }
        }
        b[o] = 0;
        CHECK_MSG(hit, "dewey.yaml no longer contains '%s'", from);
        char *x = a;
        a = b;
        b = x;
    }
    fa_scenario *sc = NULL;
    fa_error err;
    if (fa_scenario_parse(a, strlen(a), "dewey", &sc, &err)) fprintf(stderr, "dewey: %s\n", err.msg);
    free(a);
    free(b);
    return sc;
}

/* phases of dewey.yaml: novice weeks 1-12 (rest days 70-84), treatments 13-40, pigeon 41-78 */
#define NDAY 546
enum { W_EARLY, W_NOV, W_OFF, W_BACK, W_TRT, W_PIG, NW };
static const int WIN[NW][2] = {{7, 21}, {42, 70}, {74, 84}, {105, 126}, {224, 280}, {490, 546}};
static const char *const WN[NW] = {"weeks 2-3",    "weeks 7-10", "rest days 75-84",
                                   "weeks 16-18", "treat. end", "pigeon end"};

enum { K_PAIN, K_TENS, K_DRIFT, K_KDRIFT, K_STIFF, K_GLIDE, K_ADH, K_TFL, K_CAP, NK };
static const char *const KN[NK] = {"knee pain /10",   "distal band tension N", "band rest drift",
                                   "distal rest drift", "band stiffness",     "lateral thigh glide",
                                   "lateral thigh adhesion", "TFL optimal length", "abductor capacity"};

typedef struct {
    double x[NK][NDAY];
    int n, injuries;
} dw_rec;

static double rec(const fa_life *L, int day, const char *region, int k)
{
    int r = fa_model_find(fa_life_model(L), "region", region);
    return r < 0 ? NAN : fa_life_record(L, day, r, k);
}

/* Mean tension over the stride of band cord e (peak tension x mean/peak
 * stress) as the cached running solve holds it; NaN when the cache has no
 * current solve (read only: nothing is re-solved here). */
static double dw_tension(const fa_life *L, int e)
{
    for (int i = 0; i < L->nmech; i++) {
        const fa_life_mech *c = &L->mech[i];
        if (c->kind == 1 && c->valid && !strcmp(c->name, "running") && c->stress_peak[e] > 0.0)
            return c->force_peak[e] * c->stress_mean[e] / c->stress_peak[e];
    }
    return NAN;
}

static int dw_day(const fa_life *L, void *user)
{
    dw_rec *r = user;
    int d = fa_life_day(L) - 1;
    if (d < 0 || d >= NDAY) return 0;
    const fa_model *m = fa_life_model(L);
    r->x[K_PAIN][d] = rec(L, d, "itb", FA_LM_pain);
    double T = dw_tension(L, 2); /* the solve of the last run day when today's is not made */
    r->x[K_TENS][d] = isfinite(T) || d == 0 ? T : r->x[K_TENS][d - 1];
    r->x[K_DRIFT][d] = rec(L, d, "itb", FA_LM_rest_drift);
    r->x[K_KDRIFT][d] = rec(L, d, "lateral_knee", FA_LM_rest_drift);
    r->x[K_STIFF][d] = rec(L, d, "itb", FA_LM_stiffness);
    r->x[K_GLIDE][d] = rec(L, d, "lateral_thigh", FA_LM_glide);
    r->x[K_ADH][d] = rec(L, d, "lateral_thigh", FA_LM_adhesion);
    r->x[K_TFL][d] = m->nelem > 17 ? fa_life_data(L)->tis_rest[17] : NAN;
    r->x[K_CAP][d] = fa_life_abductor_cap(L);
    r->n = d + 1;
    return 0;
}

/* The life settings of her runs: the test body's kinematics with a runner's knee
 * in the stride and pigeon's back leg. */
static fa_life_def dw_def(void)
{
    fa_life_def def = fa_default_life_def();
    def.kin = lb_kin();
    def.kin.gait_pose = dw_gait_pose;
    def.kin.posture = dw_posture;
    return def;
}

/* Run the scenario (its first days only when days > 0) with physiology
 * parameters set (id, value pairs); summary.json written to dir when given. */
static int dw_run(const fa_model *m, const fa_scenario *sc, dw_rec *r, const char *const *set, int days, const char *dir)
{
    fa_life_def def = dw_def();
    fa_error err;
    fa_physio_params *pp = fa_physio_params_default(&err);
    if (!pp) return 0;
    for (int i = 0; set && set[i]; i += 2) CHECK(fa_physio_params_set(pp, set[i], atof(set[i + 1])) == FA_OK);
    def.params = pp;
    fa_life *L = NULL;
    memset(r, 0, sizeof *r);
    int ok = !fa_life_create(m, sc, &def, &L, &err) && !fa_life_run(L, days, dw_day, r, &err);
    if (!ok) fprintf(stderr, "dewey: %s\n", err.msg);
    if (ok) {
        const fa_life_event *ev = L->event;
        for (int i = 0; i < L->nevent; i++) r->injuries += ev[i].kind == FA_LEV_INJURY;
    }
    if (ok && dir) CHECK(fa_life_write_outputs(L, dir, &err) == FA_OK);
    fa_life_free(L);
    fa_physio_params_free(pp);
    return ok && r->n >= (days > 0 ? days : NDAY);
}

static double wmean(const dw_rec *r, int k, int w)
{
    double s = 0.0;
    for (int d = WIN[w][0]; d < WIN[w][1]; d++) s += r->x[k][d];
    return s / (WIN[w][1] - WIN[w][0]);
}

/* text of summary.json, NULL when unreadable (caller frees) */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = calloc(1, 1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (!n) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The phase object of summary.json named name: its changed_most list. */
static const char *phase_list(const char *json, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "{\"name\": \"%s\"", name);
    const char *p = strstr(json, key);
    return p ? strstr(p, "\"changed_most\": [") : NULL;
}

/* Whether the first n entries of a changed_most list include region/metric. */
static int names(const char *list, int n, const char *region, const char *metric)
{
    char r[64], k[64];
    snprintf(r, sizeof r, "{\"region\": \"%s\", \"metric\": \"%s\"", region, metric);
    snprintf(k, sizeof k, "%s", "{\"region\"");
    const char *end = list ? strchr(list, ']') : NULL;
    for (const char *p = list; p && n > 0; n--) {
        p = strstr(p, k);
        if (!p || (end && p > end)) return 0;
        if (!strncmp(p, r, strlen(r))) return 1;
        p++;
    }
    return 0;
}

static void test_dewey(void)
{
    fa_model *m = lb_body_opt(1);
    CHECK(m != NULL);
    if (!m) return;
    /* the story, the same weeks reading seated instead of in pigeon, and
     * without the treatments; the story with the ingrained rest length
     * switched off and with the muscle set point switched off (each with
     * its own no-pigeon run) */
    static const char *const knee[] = {"knee_l", "lateral_knee", NULL};
    static const char *const nopig[] = {"knee_l", "lateral_knee", "      - weekdays 15:30-17:00 pigeon\n",
                                        "      - weekdays 15:30-17:00 sit_slumped\n",
                                        "      - daily 20:00 pigeon 45 min\n", "", NULL};
    static const char *const notrt[] = {"knee_l", "lateral_knee", "      - Tue 10:00 physio 45 min\n", "",
                                        "      - Thu 18:30 massage 60 min region lateral_thigh\n", "",
                                        "      - daily 21:00 foam_roll 4 min region lateral_thigh\n", "",
                                        "      - Mon,Wed,Fri,Sun 18:05 ice 15 min region lateral_knee\n",
                                        "      - Mon 06:00 stand 1 min\n", NULL};
    static const char *const no_rs[] = {"rem.k_rs", "0", NULL};
    static const char *const no_sp[] = {"rem.tau_mus_add", "1e30", "rem.tau_mus_rem", "1e30", NULL};
    /* the novice weeks without the runs' collagen-quality gain, and without
     * the abductors' disuse weakening (first 70 days: up to the rest) */
    static const char *const no_gain[] = {"rem.tau_gain", "1e30", NULL};
    static const char *const no_weak[] = {"str.tau_loss", "1e30", NULL};
    enum { STORY, NOPIG, NOTRT, RS_STORY, RS_NOPIG, SP_STORY, NO_GAIN, NO_WEAK, NV };
    static const struct {
        const char *name;
        const char *const *rep, *const *set;
        int days;
    } V[NV] = {{"story", knee, NULL, 0},
               {"reading seated instead of pigeon", nopig, NULL, 0},
               {"no treatments", notrt, NULL, 0},
               {"no ingrained rest length (rem.k_rs 0)", knee, no_rs, 0},
               {"no ingrained rest length, no pigeon", nopig, no_rs, 0},
               {"no muscle set point", knee, no_sp, 0},
               {"novice weeks without collagen-quality gain (rem.tau_gain 1e30)", knee, no_gain, 70},
               {"novice weeks without abductor weakening (str.tau_loss 1e30)", knee, no_weak, 70}};
    static dw_rec r[NV];
    char dir[64];
    snprintf(dir, sizeof dir, "test_dewey_out_%d", (int)getpid());
    int ok = 1;
    for (int v = 0; v < NV; v++) {
        fa_scenario *sc = dw_scenario(V[v].rep);
        int run = sc && dw_run(m, sc, &r[v], V[v].set, V[v].days, v == STORY ? dir : NULL);
        CHECK_MSG(run, "dewey variant '%s' did not run", V[v].name);
        ok = ok && run;
        fa_scenario_free(sc);
    }
    fa_model_free(m);
    if (!ok) return;
    for (int v = 0; v < NV; v++) {
        printf("dewey, test body, %s (day 1 |", V[v].name);
        for (int w = 0; w < NW; w++)
            if (!V[v].days || WIN[w][1] <= V[v].days) printf(" %s |", WN[w]);
        printf("):\n");
        for (int k = 0; k < NK; k++)
            if (v <= NOTRT || k == K_PAIN || k == K_DRIFT || k == K_STIFF || k == K_TENS || k == K_TFL || (v >= NO_GAIN && k == K_CAP)) {
                printf("  %-23s %9.5f", KN[k], r[v].x[k][0]);
                for (int w = 0; w < NW; w++)
                    if (!V[v].days || WIN[w][1] <= V[v].days) printf(" %9.5f", wmean(&r[v], k, w));
                printf("\n");
            }
    }
    const dw_rec *s = &r[STORY], *np = &r[NOPIG], *nt = &r[NOTRT];
#define W(rr, k, w) wmean(rr, k, w)
    /* novice: pain develops with no scripted injury (and none counted) */
    CHECK_MSG(s->injuries == 0, "injuries in the story: %d", s->injuries);
    CHECK_MSG(W(s, K_PAIN, W_NOV) > s->x[K_PAIN][0] + 0.1 && W(s, K_PAIN, W_NOV) > W(s, K_PAIN, W_EARLY) + 0.03,
              "novice: knee pain %.3f (day 1) -> %.3f (weeks 2-3) -> %.3f", s->x[K_PAIN][0], W(s, K_PAIN, W_EARLY),
              W(s, K_PAIN, W_NOV));
    /* ... not because the desk holds the band shorter (her desk is the
     * reference day's sitting: the rest length does not drift shorter) but
     * because the runs stiffen it and it pulls harder in the stride's zone */
    CHECK_MSG(W(s, K_DRIFT, W_NOV) > -5e-4, "novice: band rest drift %+.5f", W(s, K_DRIFT, W_NOV));
    CHECK_MSG(W(s, K_STIFF, W_NOV) > 1.02 * W(s, K_STIFF, W_EARLY) && W(s, K_TENS, W_NOV) > 1.06 * W(s, K_TENS, W_EARLY),
              "novice: band stiffness %.3f -> %.3f, zone tension %.1f -> %.1f N", W(s, K_STIFF, W_EARLY),
              W(s, K_STIFF, W_NOV), W(s, K_TENS, W_EARLY), W(s, K_TENS, W_NOV));
    /* which of them: the abductors' disuse weakening (her day takes fewer
     * steps than the reference day's walks; a weaker gluteus medius/TFL
     * leaves more of the stride's load and strain to the band) and the
     * collagen-quality gain (the strain stiffening the band) each carry a
     * large part of the novice rise */
    {
        const dw_rec *g = &r[NO_GAIN], *wk = &r[NO_WEAK];
        double rise = W(s, K_PAIN, W_NOV) - W(s, K_PAIN, W_EARLY), rise_g = W(g, K_PAIN, W_NOV) - W(g, K_PAIN, W_EARLY),
               rise_w = W(wk, K_PAIN, W_NOV) - W(wk, K_PAIN, W_EARLY);
        printf("dewey, novice pain rise weeks 2-3 -> 7-10: %.3f; without the quality gain %.3f (stiffness %.3f against "
               "%.3f); without the abductors' weakening %.3f (stiffness %.3f, capacity %.3f against %.3f)\n",
               rise, rise_g, W(g, K_STIFF, W_NOV), W(s, K_STIFF, W_NOV), rise_w, W(wk, K_STIFF, W_NOV),
               W(wk, K_CAP, W_NOV), W(s, K_CAP, W_NOV));
        CHECK_MSG(W(s, K_CAP, W_NOV) < 0.95 && fabs(rise_w) < 0.6 * rise,
                  "novice: abductor capacity %.3f; pain rise %.3f, without the weakening %.3f", W(s, K_CAP, W_NOV), rise,
                  rise_w);
        CHECK_MSG(rise_g < 0.6 * rise && rise_g > 0.0 && W(g, K_STIFF, W_NOV) < W(s, K_STIFF, W_NOV) - 0.05,
                  "novice: pain rise %.3f, without the quality gain %.3f (stiffness %.3f against %.3f)", rise, rise_g,
                  W(g, K_STIFF, W_NOV), W(s, K_STIFF, W_NOV));
    }
    /* two weeks of rest: the pain goes, and is back within weeks of running */
    CHECK_MSG(W(s, K_PAIN, W_OFF) < 0.3 * W(s, K_PAIN, W_NOV) && W(s, K_PAIN, W_BACK) > 0.85 * W(s, K_PAIN, W_NOV),
              "rest: pain %.3f before, %.3f resting, %.3f weeks later", W(s, K_PAIN, W_NOV), W(s, K_PAIN, W_OFF),
              W(s, K_PAIN, W_BACK));
    /* treatments: the layers, not the band's length, stiffness, tension or pain */
    CHECK_MSG(W(s, K_GLIDE, W_TRT) > W(nt, K_GLIDE, W_TRT) + 0.1 && W(s, K_ADH, W_TRT) < W(nt, K_ADH, W_TRT) - 0.15,
              "treatments: glide %.3f vs %.3f, adhesion %.3f vs %.3f", W(s, K_GLIDE, W_TRT), W(nt, K_GLIDE, W_TRT),
              W(s, K_ADH, W_TRT), W(nt, K_ADH, W_TRT));
    CHECK_MSG(fabs(W(s, K_DRIFT, W_TRT) - W(nt, K_DRIFT, W_TRT)) < 2e-4 &&
                  fabs(W(s, K_STIFF, W_TRT) / W(nt, K_STIFF, W_TRT) - 1.0) < 0.01,
              "treatments and the band: rest drift %+.5f vs %+.5f, stiffness %.3f vs %.3f", W(s, K_DRIFT, W_TRT),
              W(nt, K_DRIFT, W_TRT), W(s, K_STIFF, W_TRT), W(nt, K_STIFF, W_TRT));
    CHECK_MSG(W(s, K_PAIN, W_TRT) > 0.97 * W(nt, K_PAIN, W_TRT) && W(s, K_PAIN, W_TRT) >= W(s, K_PAIN, W_NOV),
              "treatments: pain %.3f (without them %.3f, novice %.3f)", W(s, K_PAIN, W_TRT), W(nt, K_PAIN, W_TRT),
              W(s, K_PAIN, W_NOV));
    /* pigeon weeks: the band's ingrained rest length grows (distal segment
     * over the epicondyle included), the stride strains it less so the runs
     * stiffen it less, its zone tension and the pain fall below the end of
     * the treatments and below the same weeks reading seated */
    CHECK_MSG(W(s, K_DRIFT, W_PIG) > W(np, K_DRIFT, W_PIG) + 5e-4 && W(s, K_KDRIFT, W_PIG) > W(np, K_KDRIFT, W_PIG) + 5e-5,
              "pigeon: band rest drift %+.5f vs %+.5f seated, distal %+.5f vs %+.5f", W(s, K_DRIFT, W_PIG),
              W(np, K_DRIFT, W_PIG), W(s, K_KDRIFT, W_PIG), W(np, K_KDRIFT, W_PIG));
    CHECK_MSG(W(s, K_STIFF, W_PIG) < W(np, K_STIFF, W_PIG) - 0.03 && W(s, K_TENS, W_PIG) < 0.96 * W(np, K_TENS, W_PIG),
              "pigeon: band stiffness %.3f vs %.3f seated, zone tension %.1f vs %.1f N", W(s, K_STIFF, W_PIG),
              W(np, K_STIFF, W_PIG), W(s, K_TENS, W_PIG), W(np, K_TENS, W_PIG));
    CHECK_MSG(W(s, K_PAIN, W_PIG) < 0.92 * W(s, K_PAIN, W_TRT) && W(s, K_PAIN, W_PIG) < 0.92 * W(np, K_PAIN, W_PIG) &&
                  W(np, K_PAIN, W_PIG) - W(s, K_PAIN, W_PIG) > 0.02,
              "pigeon: pain %.3f (end of the treatments %.3f, reading seated %.3f)", W(s, K_PAIN, W_PIG),
              W(s, K_PAIN, W_TRT), W(np, K_PAIN, W_PIG));
    /* ... and not through the layers (a tenth of what the treatments move) */
    CHECK_MSG(fabs(W(s, K_GLIDE, W_PIG) - W(np, K_GLIDE, W_PIG)) < 0.1 * (W(s, K_GLIDE, W_TRT) - W(nt, K_GLIDE, W_TRT)) &&
                  fabs(W(s, K_ADH, W_PIG) - W(np, K_ADH, W_PIG)) < 0.1 * (W(nt, K_ADH, W_TRT) - W(s, K_ADH, W_TRT)),
              "pigeon and the layers: glide %.3f vs %.3f, adhesion %.3f vs %.3f", W(s, K_GLIDE, W_PIG),
              W(np, K_GLIDE, W_PIG), W(s, K_ADH, W_PIG), W(np, K_ADH, W_PIG));
    /* which mechanism: the ingrained rest length carries the pigeon's
     * effect (its stiffness change included), the muscle set point (TFL)
     * does not */
    double d_story = W(np, K_PAIN, W_PIG) - W(s, K_PAIN, W_PIG);
    double d_rs = W(&r[RS_NOPIG], K_PAIN, W_PIG) - W(&r[RS_STORY], K_PAIN, W_PIG);
    double s_rs = W(&r[RS_NOPIG], K_STIFF, W_PIG) - W(&r[RS_STORY], K_STIFF, W_PIG);
    /* without the set point the seated weeks are the same (the TFL plays
     * no part in them either) */
    double d_sp = W(np, K_PAIN, W_PIG) - W(&r[SP_STORY], K_PAIN, W_PIG);
    printf("dewey, pain relief of the pigeon weeks against reading seated: %.3f; without the ingrained rest length "
           "%.3f (band stiffness %+.3f against %+.3f); without the muscle set point %.3f; TFL optimal length x%.4f "
           "(pigeon) vs x%.4f (seated)\n",
           d_story, d_rs, -s_rs, W(s, K_STIFF, W_PIG) - W(np, K_STIFF, W_PIG), d_sp, W(s, K_TFL, W_PIG),
           W(np, K_TFL, W_PIG));
    CHECK_MSG(fabs(d_rs) < 0.25 * d_story && fabs(d_sp - d_story) < 0.25 * d_story,
              "pigeon relief %.3f: without rs %.3f, without the set point %.3f", d_story, d_rs, d_sp);
    CHECK_MSG(fabs(s_rs) < 0.25 * (W(np, K_STIFF, W_PIG) - W(s, K_STIFF, W_PIG)),
              "without rs the pigeon weeks' stiffness change %.3f", -s_rs);
    CHECK_MSG(W(s, K_TFL, W_PIG) > W(np, K_TFL, W_PIG) + 0.005, "pigeon lengthens the TFL: x%.4f vs x%.4f",
              W(s, K_TFL, W_PIG), W(np, K_TFL, W_PIG));
#undef W
    /* summary.json: per phase what changed most; the treatments' are the
     * lateral thigh's glide and adhesion next to the band's stiffness (the
     * runs), the pigeon weeks' the lateral line's rest length */
    char path[128];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *js = slurp(path);
    CHECK(js != NULL);
    if (js) {
        const char *t = phase_list(js, "treatments"), *p = phase_list(js, "pigeon");
        CHECK(phase_list(js, "novice") != NULL && t != NULL && p != NULL);
        CHECK_MSG(names(t, 3, "lateral_thigh", "glide") && names(t, 5, "lateral_thigh", "adhesion") &&
                      (names(t, 3, "itb", "stiffness") || names(t, 3, "lateral_thigh", "stiffness") ||
                       names(t, 3, "lateral_knee", "stiffness")),
                  "treatments phase: glide and adhesion of the lateral thigh and the band's stiffness: %.400s",
                  t ? t : "(none)");
        /* the pigeon weeks' change that matters is the band's: its rest
         * length or the stiffness it spares the band, among the first five
         * (the layers falling back after the treatments come next to it) */
        int band = 0;
        static const char *const br[] = {"itb", "lateral_thigh", "lateral_knee", "lateral_hip"};
        for (int i = 0; i < 4; i++) band |= names(p, 5, br[i], "rest_drift") || names(p, 5, br[i], "stiffness");
        CHECK_MSG(band, "pigeon phase: the band's rest length or stiffness among the first five: %.300s", p ? p : "(none)");
        free(js);
    }
    static const char *const files[] = {"summary.json", "timeseries.csv", "events.csv"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        remove(path);
    }
    rmdir(dir);
}

/* Link by link on the stride: the distal band's mean tension when the
 * band's rest length is 0.2 % longer (what the pigeon weeks give back is of
 * that order) and when both of the lateral thigh's gliding interfaces are
 * fully adhered (adh.k_full x area: what the treatments take away).
 * Candidate B of the issue (stuck layers concentrating the hip's
 * excursion in the free distal band) needs the second to matter. */
static double dw_stride_tension(const fa_model *m, const fa_scenario *sc, double drest, double adh, int e)
{
    fa_life_def def = dw_def();
    fa_life *L = NULL;
    fa_error err;
    if (fa_life_create(m, sc, &def, &L, &err)) return NAN;
    for (int c = 0; c < m->ncord; c++) L->d->tis_rest[c] += drest;
    double kf = fa_physio_param(L->d, "adh.k_full");
    for (int i = 0; i < 2; i++) L->d->intf_adh[i] = adh * kf * m->intf_area[i];
    for (int i = 0; i < L->nmech; i++) L->mech[i].valid = 0;
    fa_life_mech *c = NULL;
    double T = NAN;
    if (!fa_life_mech_get(L, 1, "running", 2.7, &c, &err) && c->stress_peak[e] > 0.0)
        T = c->force_peak[e] * c->stress_mean[e] / c->stress_peak[e];
    fa_life_free(L);
    return T;
}

static void test_links(void)
{
    fa_model *m = lb_body_opt(1);
    static const char *const knee[] = {"knee_l", "lateral_knee", NULL};
    fa_scenario *sc = dw_scenario(knee);
    CHECK(m != NULL && sc != NULL);
    if (m && sc) {
        double T0 = dw_stride_tension(m, sc, 0.0, 0.0, 2), Tr = dw_stride_tension(m, sc, 0.002, 0.0, 2);
        double Ta = dw_stride_tension(m, sc, 0.0, 1.0, 2);
        double M0 = dw_stride_tension(m, sc, 0.0, 0.0, 1), Ma = dw_stride_tension(m, sc, 0.0, 1.0, 1);
        printf("dewey, stride links: distal band tension %.2f N; band 0.2 %% longer %.2f N (%+.1f %%); lateral "
               "thigh interfaces fully adhered %.2f N (%+.2f %%; middle segment %.2f -> %.2f N)\n",
               T0, Tr, 100.0 * (Tr / T0 - 1.0), Ta, 100.0 * (Ta / T0 - 1.0), M0, Ma);
        /* the band's strain in her postures (test body geometry) */
        fa_life_def def = dw_def();
        fa_life *L = NULL;
        fa_error err;
        if (!fa_life_create(m, sc, &def, &L, &err)) {
            static const char *const pn[] = {"desk_slumped", "desk_upright", "pigeon", "standing", "lying"};
            for (int i = 0; i < 5; i++) {
                fa_life_mech *c = NULL;
                if (!fa_life_mech_get(L, 0, pn[i], 0.0, &c, &err))
                    printf("dewey, test body, %-12s band strain %+.4f %+.4f %+.4f (proximal, middle, distal); TFL %+.4f\n", pn[i],
                           c->strain_mean[0], c->strain_mean[1], c->strain_mean[2], c->strain_mean[17]);
            }
            /* the set point: the reference day's mean strain while loaded */
            const double *hm = fa_physio_state_const(m, L->d, "habitual.eps_mean");
            if (hm)
                printf("dewey, test body, habitual day's mean band strain %+.4f %+.4f %+.4f; TFL %+.4f\n", hm[0], hm[1],
                       hm[2], hm[17]);
            fa_life_mech *c = NULL;
            if (!fa_life_mech_get(L, 1, "running", 2.7, &c, &err))
                printf("dewey, test body, running mean band strain %+.4f %+.4f %+.4f; TFL %+.4f\n", c->strain_mean[0],
                       c->strain_mean[1], c->strain_mean[2], c->strain_mean[17]);
            fa_life_free(L);
        }
        CHECK_MSG(Tr < 0.95 * T0, "a longer band pulls less: %.2f -> %.2f N", T0, Tr);
        CHECK_MSG(fabs(Ta / T0 - 1.0) < 0.02, "adhesion and the distal band: %.2f -> %.2f N", T0, Ta);
    }
    fa_scenario_free(sc);
    fa_model_free(m);
}

int main(void)
{
    test_links();
    (void)lb_body; /* the story needs the body with a TFL */
    test_dewey();
    TEST_MAIN_END();
}
