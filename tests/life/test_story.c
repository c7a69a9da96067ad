/* SPDX-License-Identifier: MIT */
/* The seed's stories and care practices as asserted outcomes, on the small
 * test body (tests/life/body.h) with a runner's knee and a pigeon's back leg
 * (below): static holds counted by their viscoelastic flow (long holds
 * lengthen more than short ones at the same total time), ITB impingement in
 * the 20-30 deg zone of the loading response, Fleshman's rule against
 * running through pain, and the desk runner's first year and care habits. The built-in
 * scenario texts are used with the test body's region names (and shorter
 * phases for the desk runner). Directions and sizes, never exact floats. */
#include <stdlib.h>
#include <unistd.h>

#include "fascia/load.h"
#include "fascia/scenario.h"
#ifdef FA_TEST_ANATOMY
#include "fascia/anatomy.h"
#include "fascia/osim.h"
#include "fascia/sim.h"
#endif
#include "harness.h"
#include "life/body.h"
#include "life/internal.h"
#include "life/stimparams.h"

/* A built-in scenario with text replacements (region names of the test
 * body, shorter phases), cut before `cut` when given (e.g. to drop a phase
 * and the events after it), parsed with a variant. */
static fa_scenario *story_cut(const char *name, const char *variant, const char *const *rep, const char *cut)
{
    size_t len = 0;
    const char *t = fa_scenario_builtin_text(name, &len);
    if (!t) return NULL;
    size_t cap = len * 2 + 4096;
    char *a = malloc(cap), *b = malloc(cap);
    memcpy(a, t, len);
    a[len] = 0;
    for (int i = 0; rep && rep[i]; i += 2) {
        const char *from = rep[i], *to = rep[i + 1];
        size_t fl = strlen(from), tl = strlen(to), o = 0;
        for (const char *p = a; *p;) {
            if (!strncmp(p, from, fl)) {
                memcpy(b + o, to, tl);
                o += tl;
                p += fl;
            } else {
                b[o++] = *p++;
            }
        }
        b[o] = 0;
        char *x = a;
        a = b;
        b = x;
    }
    if (cut && strstr(a, cut)) *strstr(a, cut) = 0;
    fa_scenario *sc = NULL;
    fa_error err;
    if (fa_scenario_parse_variant(a, strlen(a), name, variant, &sc, &err))
        fprintf(stderr, "%s: %s\n", name, err.msg);
    free(a);
    free(b);
    return sc;
}

static fa_scenario *story(const char *name, const char *variant, const char *const *rep)
{
    return story_cut(name, variant, rep, NULL);
}

/* Running with a runner's knee (the test body's own stride keeps the knee
 * between 5 and 36 deg, in the impingement zone for half the stride): stance
 * (40 % of the cycle) from 21.4 deg at foot strike (Orchard 1996) to 43 deg
 * and back, swing to 101 deg; hip and adduction as the test body's. */
static fa_status st_gait_pose(void *user, const fa_model *m, fa_data *d, const char *name, double speed,
                              int f, fa_error *err)
{
    double ph = (double)f / LB_NFRAME;
    if (strcmp(name, "running")) {
        /* walking as the test body's, with the trunk's sagittal sway
         * (+-1 deg twice per stride) */
        fa_status st = lb_gait_pose(user, m, d, name, speed, f, err);
        if (st) return st;
        double hip = 12.0 * sin(2.0 * LB_PI * ph), add = fmax(0.0, sin(2.0 * LB_PI * ph + 0.5 * LB_PI));
        double knee = 12.0 * (0.5 - 0.5 * cos(2.0 * LB_PI * ph)) + 5.0;
        lb_pose(d, hip * LB_DEG, add * LB_DEG, knee * LB_DEG, 1.0 * sin(4.0 * LB_PI * ph) * LB_DEG);
        return FA_OK;
    }
    double hip = (8.0 + 4.0 * speed) * sin(2.0 * LB_PI * ph),
           add = 2.0 * fmax(0.0, sin(2.0 * LB_PI * ph + 0.5 * LB_PI));
    double knee =
        ph < 0.4 ? 21.4 + 22.0 * sin(LB_PI * ph / 0.4) : 21.4 + 80.0 * sin(LB_PI * (ph - 0.4) / 0.6);
    lb_pose(d, hip * LB_DEG, add * LB_DEG, knee * LB_DEG, 1.0 * sin(4.0 * LB_PI * ph) * LB_DEG);
    return FA_OK;
}

/* Pigeon: the test body's one leg is pigeon's back leg (hip extended 15 deg
 * and adducted 10 deg under the pelvis, knee straight), the leg whose TFL
 * and iliotibial band the pose lengthens; the test body's own "pigeon" is a
 * seated 90/90 position. Other postures as the test body's. */
static fa_status st_posture(void *user, const fa_model *m, fa_data *d, const char *name, fa_error *err)
{
    if (!strcmp(name, "pigeon")) {
        lb_pose(d, -15.0 * LB_DEG, 10.0 * LB_DEG, 0.0, 0.0);
        return FA_OK;
    }
    return lb_posture(user, m, d, name, err);
}

static fa_life_kin st_kin(void)
{
    fa_life_kin k = lb_kin();
    k.gait_pose = st_gait_pose;
    k.posture = st_posture;
    return k;
}

static fa_life *run(const fa_model *m, const fa_scenario *sc, int ndays)
{
    fa_life_def def = fa_default_life_def();
    def.kin = st_kin();
    def.ndays = ndays;
    return lb_run_def(m, sc, &def);
}

/* The same under the old default (def.habitual_day 0: every element measured
 * against the single stim.* reference day), for the stories whose direction
 * the habitual day does not keep on the test body (docs/running.md). */
static fa_life *run_ref(const fa_model *m, const fa_scenario *sc, int ndays)
{
    fa_life_def def = fa_default_life_def();
    def.kin = st_kin();
    def.ndays = ndays;
    def.habitual_day = 0;
    return lb_run_def(m, sc, &def);
}

static double rec(const fa_life *L, int day, const char *region, int k)
{
    int r = fa_model_find(fa_life_model(L), "region", region);
    return r < 0 ? NAN : fa_life_record(L, day, r, k);
}

#define PERSON "person:\n  body: default\n  mass: 58 kg\n  height: 1.65 m\n  sex: female\n  age: 20\n"

static fa_scenario *parse(const char *text)
{
    fa_scenario *sc = NULL;
    fa_error err;
    if (fa_scenario_parse(text, strlen(text), "<test>", &sc, &err))
        fprintf(stderr, "scenario: %s\n", err.msg);
    return sc;
}

static double param(const char *id)
{
    for (int i = 0; i < fa_life_nparam(); i++)
        if (!strcmp(fa_life_param_id(i), id)) return fa_life_param_value(i);
    fprintf(stderr, "no parameter %s\n", id);
    return NAN;
}

/* G(t) of the hold relaxation from the table. */
static double relax_G(double t)
{
    double g = 1.0;
    static const char *const gi[3] = {"hold.g1", "hold.g2", "hold.g3"}, *const ti[3] = {"hold.tau1",
                                                                                        "hold.tau2",
                                                                                        "hold.tau3"};
    for (int i = 0; i < 3; i++)
        g -= param(gi[i]) * (1.0 - exp(-t / param(ti[i])));
    return g;
}

/* Days in [d0, d1) whose record of region/metric is >= x. */
static int days_at_least(const fa_life *L, const char *region, int k, int d0, int d1, double x)
{
    int n = 0;
    for (int d = d0; d < d1 && d < fa_life_day(L); d++)
        n += rec(L, d, region, k) >= x;
    return n;
}

static double max_over(const fa_life *L, const char *region, int k, int d0, int d1)
{
    double mx = -INFINITY;
    for (int d = d0; d < d1 && d < fa_life_day(L); d++)
        mx = fmax(mx, rec(L, d, region, k));
    return mx;
}

static int count_events(const fa_life *L, int kind, int d0, int d1)
{
    int n = 0;
    for (int i = 0; i < fa_life_nevent(L); i++) {
        const fa_life_event *e = fa_life_event_at(L, i);
        n += e->kind == kind && e->day >= d0 && e->day < d1;
    }
    return n;
}

/* ---------------------------------------------------------------- holds */

/* The relaxation table reproduces its sources: Magnusson 1996 (33 % torque
 * decline over a 90-s hold), Ryan 2011 (84 % of a 30-s stretch's creep in its
 * first 15-20 s), Iatridis 2003 (equilibrium/instantaneous modulus 0.58). */
static void test_hold_table(void)
{
    double g90 = relax_G(90.0), ginf = relax_G(1e9);
    CHECK_MSG(g90 > 0.66 && g90 < 0.68, "G(90 s) = %.4f (Magnusson 1996: 0.67)", g90);
    CHECK_MSG(ginf > 0.52 && ginf < 0.62, "g_inf = %.4f (Iatridis 2003: 0.58)", ginf);
    double c30 = 1.0 - relax_G(30.0), c15 = (1.0 - relax_G(15.0)) / c30, c20 = (1.0 - relax_G(20.0)) / c30;
    CHECK_MSG(c15 > 0.75 && c20 < 0.95 && c15 < c20, "creep share at 15 s %.3f, 20 s %.3f (Ryan 2011: 0.84)",
              c15, c20);
    printf("hold relaxation: G(90 s) %.4f, g_inf %.4f, creep share of a 30-s stretch at 15/20 s %.3f/%.3f\n",
           g90, ginf, c15, c20);
}

static fa_interval piece(int act, double dur, double hold)
{
    fa_interval iv;
    memset(&iv, 0, sizeof iv);
    iv.act = act;
    iv.t0 = 20 * 3600.0;
    iv.bout_t0 = iv.t0;
    iv.dur = dur;
    iv.bout_dur = dur;
    iv.hold = hold;
    iv.intensity = 1.0;
    iv.temp = NAN;
    iv.hr = NAN;
    return iv;
}

/* Time under load counted by flow: longer holds count more of their time;
 * an 8-h bout nearly all; a piece later in a bout more than its first hour;
 * a piece after a cut restarts. */
static void test_hold_flow(void)
{
    fa_interval a = piece(FA_ACT_YOGA_YIN, 3600.0, 240.0), b = piece(FA_ACT_YOGA_YIN, 3600.0, 20.0);
    double fa = fa_life_hold_flow(&a, a.hold) / a.dur, fb = fa_life_hold_flow(&b, b.hold) / b.dur;
    CHECK_MSG(fa > 0.70 && fa < 0.78 && fb > 0.38 && fb < 0.46,
              "4-min holds %.3f, 20-s holds %.3f of the time", fa, fb);
    fa_interval c = piece(FA_ACT_SIT_SLUMPED, 8 * 3600.0, 0.0);
    CHECK(fa_life_hold_flow(&c, 0.0) / c.dur > 0.98);
    fa_interval h1 = piece(FA_ACT_SIT_SLUMPED, 3600.0, 0.0), h3 = h1;
    h1.bout_dur = h3.bout_dur = 8 * 3600.0;
    h3.t0 += 2 * 3600.0;
    h3.cont = 1;
    double f1 = fa_life_hold_flow(&h1, 0.0), f3 = fa_life_hold_flow(&h3, 0.0);
    CHECK_MSG(f3 > f1 && f3 <= h3.dur, "first hour %.0f s, third hour %.0f s", f1, f3);
    h3.cont = 0; /* after a cut: a new hold */
    CHECK(fabs(fa_life_hold_flow(&h3, 0.0) - f1) < 1e-9 * f1);
    /* relaxed stress of a hold: 90 s at 0.72 of the first value on average */
    fa_interval m = piece(FA_ACT_STRETCH, 90.0, 90.0);
    double r = fa_life_hold_relax(fa_life_hold_flow(&m, 90.0), 90.0);
    CHECK_MSG(r > relax_G(90.0) && r < 0.8, "mean relaxation over 90 s %.3f", r);
    printf("hold flow: 60 min of 4-min holds %.3f, of 20-s holds %.3f; 8-h bout %.3f\n", fa, fb,
           fa_life_hold_flow(&c, 0.0) / c.dur);
}

static const char *HOLD_BASE =
    "name: holds\ndays: 21\nidle: stand\n" PERSON
    "schedule:\n  - daily 22:30 sleep 7.5 h\n  - weekdays 08:00-16:00 sit_upright\n";

/* Same total time, same posture: long holds give the stimulus more time
 * under load and pressure, and over three weeks lengthen the held tissue
 * more (low back in the forward fold). */
static void test_hold_dose(const fa_model *m)
{
    char txt[1024];
    snprintf(txt, sizeof txt, "%s", HOLD_BASE);
    fa_scenario *sc = parse(txt);
    fa_life_def def = fa_default_life_def();
    def.kin = st_kin();
    fa_life *L = NULL;
    fa_error err;
    CHECK(sc && fa_life_create(m, sc, &def, &L, &err) == FA_OK);
    if (L) {
        fa_stimulus *s = fa_stimulus_alloc(m);
        double tl[2], tp[2];
        for (int k = 0; k < 2; k++) {
            fa_interval iv = piece(FA_ACT_YOGA_YIN, 3600.0, k ? 20.0 : 240.0);
            CHECK(fa_life_build_stimulus(L, &iv, s, &err) == FA_OK);
            tl[k] = s->t_load[5];
            fa_interval fr = piece(k ? FA_ACT_FOAM_ROLL_QUICK : FA_ACT_FOAM_ROLL, 240.0, k ? 2.0 : 240.0);
            snprintf(fr.region, sizeof fr.region, "lateral_thigh");
            CHECK(fa_life_build_stimulus(L, &fr, s, &err) == FA_OK);
            tp[k] = s->t_press[11];
        }
        CHECK_MSG(tl[0] > 1.6 * tl[1], "t_load: 4-min holds %.0f s, 20-s holds %.0f s", tl[0], tl[1]);
        CHECK_MSG(tp[0] > 5.0 * tp[1], "t_press: sustained roll %.0f s, quick passes %.0f s", tp[0], tp[1]);
        fa_stimulus_free(s);
    }
    fa_life_free(L);
    fa_scenario_free(sc);
    double drift[3], tone[3];
    static const char *const add[3] = {"  - daily 19:00 yoga_yin 60 min hold 4 min pose forward_fold\n",
                                       "  - daily 19:00 yoga_yin 60 min hold 20 s pose forward_fold\n", ""};
    for (int k = 0; k < 3; k++) {
        snprintf(txt, sizeof txt, "%s%s", HOLD_BASE, add[k]);
        sc = parse(txt);
        /* old default: under the habitual day the test body's low back reaches the 1000 Pa tone
         * limit with the daily hour of holds, 510 Pa without them, and the holds' rest drift is
         * +0.00028/+0.00016/0 (long/short/none); under the old default all three reach the limit
         * (the tone check holds only at the cap; docs/running.md) */
        L = sc ? run_ref(m, sc, 0) : NULL;
        CHECK(L != NULL);
        drift[k] = L ? rec(L, fa_life_day(L) - 1, "low_back", FA_LM_rest_drift) : NAN;
        tone[k] = L ? max_over(L, "low_back", FA_LM_tone, 0, fa_life_day(L)) : NAN;
        fa_life_free(L);
        fa_scenario_free(sc);
    }
    CHECK_MSG(drift[0] > drift[1] && drift[1] > drift[2],
              "low-back rest drift: long %.5f, short %.5f, none %.5f", drift[0], drift[1], drift[2]);
    CHECK_MSG(drift[0] - drift[2] > 1.3 * (drift[1] - drift[2]), "long holds %.5f vs short %.5f over none",
              drift[0] - drift[2], drift[1] - drift[2]);
    /* the holds relax the fibroblasts and activate none (Langevin 2005):
     * no more low-back tone than without them on any day */
    CHECK_MSG(tone[0] <= tone[2] + 1e-6 && tone[1] <= tone[2] + 1e-6,
              "largest low-back tone: %.1f Pa (4-min holds), %.1f (20-s holds), %.1f (none)", tone[0], tone[1],
              tone[2]);
    printf("3 weeks of daily 60-min forward folds: low-back rest drift %.5f (4-min holds), %.5f (20-s "
           "holds), %.5f (none); largest day-end low-back tone %.1f, %.1f, %.1f Pa\n",
           drift[0], drift[1], drift[2], tone[0], tone[1], tone[2]);
}

/* Fibroblast tone and static stretch (physiology module myofibroblast, on the
 * test body's low-back sheet): tone raised by ten days of cyclic high stress
 * is released within a 60-min hold (Langevin 2005: cells relax held tissue
 * within minutes to hours) and comes back after it; daily 60-min holds
 * activate no fibroblasts, ten days of unbroken static tension (a splint)
 * do (Hinz 2001). */
static void test_cell_relaxation(const fa_model *m)
{
    fa_error err;
    fa_physio_params *pp = fa_physio_params_default(&err);
    fa_data *d = fa_data_alloc(m, 0);
    fa_stimulus *s = fa_stimulus_alloc(m);
    CHECK(pp && d && s && fa_physio_init(m, d, pp, &err) == FA_OK);
    if (!pp || !d || !s) return;
    const int e = 5; /* a low-back triangle */
    const double eps_hab = fa_physio_param(d, "stim.eps_mean"), sig_hab = fa_physio_param(d, "stim.stress_mean");
    const double base = fa_physio_param(d, "myo.base");
    /* 0: cyclic, 1: one daily 60-min static hold, 2: unbroken static tension */
    double tone_loaded = 0.0, tone_hold = 0.0, tone_after = 0.0, frac_end[3];
    for (int mode = 0; mode < 3; mode++) {
        CHECK(fa_physio_init(m, d, pp, &err) == FA_OK);
        for (int day = 0; day < 10; day++)
            for (int h = 0; h < 24; h++) {
                fa_stimulus_baseline(m, d, s, 3600.0);
                int held = mode == 2 || (mode == 1 && h == 19);
                if (mode == 0 || held) {
                    s->stress_mean[e] = sig_hab + 2e6;
                    s->t_load[e] = 3600.0;
                }
                if (held) {
                    s->strain_mean[e] = eps_hab + 0.02;
                    s->cycles[e] = 0.0;
                }
                fa_physio_step(m, d, s, 3600.0);
            }
        frac_end[mode] = fa_physio_state(m, d, "myofibroblast.frac")[e];
        if (mode == 0) {
            tone_loaded = d->tis_tone[e];
            for (int k = 0; k < 6; k++) { /* a 60-min hold in 10-min steps */
                fa_stimulus_baseline(m, d, s, 600.0);
                s->strain_mean[e] = eps_hab + 0.02;
                s->t_load[e] = 600.0;
                s->cycles[e] = 0.0;
                fa_physio_step(m, d, s, 600.0);
            }
            tone_hold = d->tis_tone[e];
            fa_stimulus_baseline(m, d, s, 7200.0);
            fa_physio_step(m, d, s, 7200.0);
            tone_after = d->tis_tone[e];
        }
    }
    CHECK_MSG(frac_end[0] > base + 0.05 && tone_hold < 0.1 * tone_loaded && tone_after > 0.9 * tone_loaded,
              "tone %.0f Pa after 10 days of cyclic stress, %.0f Pa after a 60-min hold, %.0f Pa 2 h later",
              tone_loaded, tone_hold, tone_after);
    CHECK_MSG(frac_end[1] < base + 1e-9 && frac_end[2] > base + 0.05,
              "activated fraction after 10 days: %.4f daily 60-min holds, %.4f unbroken tension (base %.2f)",
              frac_end[1], frac_end[2], base);
    printf("fibroblast tone: %.0f Pa after 10 days of cyclic high stress, %.0f Pa after a 60-min static hold, %.0f "
           "Pa 2 h later; activated fraction after 10 days of daily 60-min holds %.3f, of unbroken static tension "
           "%.3f (base %.3f)\n",
           tone_loaded, tone_hold, tone_after, frac_end[1], frac_end[2], base);
    fa_stimulus_free(s);
    fa_data_free(d);
    fa_physio_params_free(pp);
}

/* Pigeon on the runner body (data/anatomy/postures.csv, McGovern 2017 front
 * leg): the front leg's posterior hip, the upper gluteus maximus inserting
 * on the band and the band itself are strained more than in slumped
 * sitting; the back leg's hip flexors are lengthened, not shortened.
 * Elements of a side are told by their first node (+z right). */
#ifdef FA_TEST_ANATOMY
static int pose_solve(const fa_model *m, const fa_osim *o, const fa_anatomy *a, const fa_osim_pose *ref,
                      const char *name, double *strain)
{
    fa_error err;
    fa_osim_pose pose;
    memset(&pose, 0, sizeof pose);
    fa_data *d = fa_data_alloc(m, 0);
    int ok = d && fa_osim_pose_init(o, &pose, &err) == FA_OK && fa_anatomy_posture(a, o, name, &pose, &err) == FA_OK;
    if (ok) {
        fa_data_reset(m, d);
        fa_anatomy_set_body_poses(m, o, ref, &pose, d);
        fa_kinematics_anchor(m, d);
        fa_anatomy_carry_free_nodes(m, d);
        fa_static_def def = fa_default_static_def();
        def.maxiter = 200;
        def.xtol = 1e-6;
        fa_static_report rep;
        ok = fa_solve_static(m, d, &def, &rep, &err) == FA_OK;
        if (ok) memcpy(strain, d->elem_strain, sizeof(double) * (size_t)m->nelem);
    }
    if (!ok) fprintf(stderr, "posture %s: %s\n", name, err.msg);
    fa_data_free(d);
    fa_osim_pose_free(&pose);
    return ok;
}

/* mean strain of a region's cords and membranes (muscles: mus = 1) on one side */
static double side_mean(const fa_model *m, const double *strain, const char *region, int right, int mus)
{
    int r = fa_model_find(m, "region", region), n = 0;
    double sum = 0.0;
    for (int i = 0; r >= 0 && i < m->region_num[r]; i++) {
        int e = m->region_elem[m->region_adr[r] + i], loc;
        fa_kind k = fa_elem_kind(m, e, &loc);
        if (k == FA_INTERFACE || (k == FA_MUSCLE) != (mus != 0)) continue;
        int nd = k == FA_CORD ? m->cord_node[2 * loc] : k == FA_MEMBRANE ? m->mem_node[3 * loc] : m->muscle_node[2 * loc];
        if ((m->node_pos0[3 * nd + 2] > 0.0) != (right != 0)) continue;
        sum += strain[e];
        n++;
    }
    return n ? sum / n : NAN;
}
#endif

static void test_pigeon_runner_body(void)
{
#ifdef FA_TEST_ANATOMY
    fa_error err;
    fa_anatomy *a = NULL;
    fa_osim *o = NULL;
    fa_model *m = NULL;
    if (fa_anatomy_load("data/anatomy", &a, &err) || fa_osim_load("data/opensim/models/opensim4/Rajagopal2016.osim", &o, &err) ||
        fa_model_load("data/bodies/runner.yaml", &m, &err)) {
        CHECK_MSG(0, "runner body: %s", err.msg);
        fa_anatomy_free(a);
        fa_osim_free(o);
        fa_model_free(m);
        return;
    }
    fa_osim_pose ref;
    memset(&ref, 0, sizeof ref);
    double *sl = malloc(sizeof(double) * (size_t)m->nelem), *pg = malloc(sizeof(double) * (size_t)m->nelem);
    int ok = sl && pg && fa_osim_pose_init(o, &ref, &err) == FA_OK &&
             fa_anatomy_posture(a, o, "standing", &ref, &err) == FA_OK && pose_solve(m, o, a, &ref, "desk_slumped", sl) &&
             pose_solve(m, o, a, &ref, "pigeon", pg);
    CHECK(ok);
    if (ok) {
        double ph[2] = {side_mean(m, sl, "posterior_hip", 1, 0), side_mean(m, pg, "posterior_hip", 1, 0)};
        double phm[2] = {side_mean(m, sl, "posterior_hip", 1, 1), side_mean(m, pg, "posterior_hip", 1, 1)};
        double itb[2] = {side_mean(m, sl, "structure.iliotibial_band_r", 1, 0),
                         side_mean(m, pg, "structure.iliotibial_band_r", 1, 0)};
        double hf[2] = {side_mean(m, sl, "hip_flexors", 0, 0), side_mean(m, pg, "hip_flexors", 0, 0)};
        CHECK_MSG(ph[1] > ph[0] && phm[1] > phm[0] && itb[1] > itb[0] && hf[1] > hf[0],
                  "slumped vs pigeon: front posterior hip %.4f/%.4f (muscles %.3f/%.3f), ITB %.4f/%.4f, back hip "
                  "flexors %.4f/%.4f",
                  ph[0], ph[1], phm[0], phm[1], itb[0], itb[1], hf[0], hf[1]);
        printf("pigeon on the runner body vs slumped sitting: front-leg posterior hip tissue %+.4f vs %+.4f, "
               "muscles %+.3f vs %+.3f, iliotibial band %+.4f vs %+.4f; back-leg hip flexors %+.4f vs %+.4f\n",
               ph[1], ph[0], phm[1], phm[0], itb[1], itb[0], hf[1], hf[0]);
    }
    free(sl);
    free(pg);
    fa_osim_pose_free(&ref);
    fa_model_free(m);
    fa_osim_free(o);
    fa_anatomy_free(a);
#endif
}

/* ----------------------------------------------------------- impingement */

static void test_impingement(const fa_model *m)
{
    fa_data *d = fa_data_alloc(m, 0);
    CHECK(d != NULL);
    if (d) {
        lb_pose(d, 10.0 * LB_DEG, 2.0 * LB_DEG, 25.0 * LB_DEG, 0.0);
        CHECK_REL(fa_life_knee_angle(m, d), 25.0, 1e-9);
        fa_data_free(d);
    }
    fa_scenario *sc = parse(HOLD_BASE);
    fa_life_def def = fa_default_life_def();
    def.kin = st_kin();
    fa_life *L = NULL;
    fa_error err;
    CHECK(sc && fa_life_create(m, sc, &def, &L, &err) == FA_OK);
    if (!L) {
        fa_scenario_free(sc);
        return;
    }
    /* the loading response of the runner's knee: from frame 0 (21.4 deg)
     * through frame 1 (28.46 deg) to 30 deg on the way to frame 2 (34.81
     * deg), linearly interpolated; the swing passes are not counted */
    double tz = 0.0;
    CHECK(fa_life_zone_time(L, "running", 3.0, &tz, &err) == FA_OK);
    const double dtf = 120.0 / 170.0 / LB_NFRAME;
    const double k1 = 21.4 + 22.0 * sin(LB_PI / 24.0 / 0.4), k2 = 21.4 + 22.0 * sin(LB_PI * 2.0 / 24.0 / 0.4);
    CHECK_REL(tz, dtf * (1.0 + (30.0 - k1) / (k2 - k1)), 1e-9);
    fa_stimulus *s = fa_stimulus_alloc(m);
    double tp[2], p0 = 0.0;
    for (int k = 0; k < 2; k++) {
        fa_interval iv = piece(FA_ACT_RUN, 1800.0, 0.0);
        iv.speed = 3.0;
        iv.cadence = k ? 190.0 : 170.0;
        iv.strides = iv.cadence * 0.5 * iv.dur / 60.0;
        CHECK(fa_life_build_stimulus(L, &iv, s, &err) == FA_OK);
        tp[k] = s->t_press[2];
        if (!k) p0 = s->pressure[2];
        CHECK_REL(s->t_press[2], iv.strides * tz, 1e-12);
        int other = 0;
        for (int e = 3; e < m->nelem; e++)
            other += s->pressure[e] != 0.0 || s->t_press[e] != 0.0;
        CHECK(other == 0);
        CHECK(s->pressure[0] > 0.0 && s->pressure[1] > 0.0 && s->pressure[2] > 0.0);
    }
    CHECK_REL(tp[1] / tp[0], 190.0 / 170.0, 1e-12);
    /* a band shortened by 1 % is tighter and presses harder */
    fa_data *pd = (fa_data *)fa_life_data(L);
    for (int e = 0; e < 3; e++)
        pd->tis_rest[e] = 0.99;
    fa_life_mech_check(L);
    fa_interval iv = piece(FA_ACT_RUN, 1800.0, 0.0);
    iv.speed = 3.0;
    iv.cadence = 170.0;
    iv.strides = 2550.0;
    CHECK(fa_life_build_stimulus(L, &iv, s, &err) == FA_OK);
    CHECK_MSG(s->pressure[2] > 1.05 * p0, "pressure %.0f Pa (shortened) vs %.0f Pa", s->pressure[2], p0);
    const double p_short = s->pressure[2];
    /* ... and one lengthened by 0.2 % (what months of daily long holds give
     * a held segment: remodel.rs) presses less */
    for (int e = 0; e < 3; e++)
        pd->tis_rest[e] = 1.002;
    fa_life_mech_check(L);
    CHECK(fa_life_build_stimulus(L, &iv, s, &err) == FA_OK);
    CHECK_MSG(s->pressure[2] < 0.95 * p0, "pressure %.0f Pa (lengthened) vs %.0f Pa", s->pressure[2], p0);
    printf("ITB impingement: %.3f s in the 20-30 deg zone per stride; distal ITB %.0f kPa, %.0f kPa when 1 "
           "%% shorter, %.0f kPa when 0.2 %% longer\n",
           tz, p0 / 1e3, p_short / 1e3, s->pressure[2] / 1e3);
    fa_stimulus_free(s);
    fa_life_free(L);
    fa_scenario_free(sc);
}

/* Hip abductors and the band: stronger abductors (strength.cap 1.3) hold the
 * hip 3 deg out of adduction in the replayed stride (itb.add_per_cap), the
 * band's path over the trochanter shortens by moment arm x angle, every
 * band cord's running strain falls by that over the band's length, its
 * impingement pressure follows the band's material at the zone's strain
 * less that; weaker ones (0.8) the reverse. */
static void test_abductors(const fa_model *m)
{
    fa_scenario *sc = parse(HOLD_BASE);
    fa_life_def def = fa_default_life_def();
    def.kin = st_kin();
    fa_life *L = NULL;
    fa_error err;
    CHECK(sc && fa_life_create(m, sc, &def, &L, &err) == FA_OK);
    if (!L) {
        fa_scenario_free(sc);
        return;
    }
    fa_stimulus *s = fa_stimulus_alloc(m);
    fa_data *pd = (fa_data *)fa_life_data(L);
    double *cap = fa_physio_state(m, pd, "strength.cap");
    const int glmed = m->ncord + m->nmem + m->nintf, itb = 2;
    double pk[3], pr[3], sm[3];
    static const double caps[3] = {1.0, 1.3, 0.8};
    for (int k = 0; k < 3; k++) {
        cap[glmed] = caps[k];
        CHECK_REL(fa_life_abductor_cap(L), caps[k], 1e-15);
        fa_interval iv = piece(FA_ACT_RUN, 1800.0, 0.0);
        iv.speed = 3.0;
        iv.cadence = 170.0;
        iv.strides = 2550.0;
        CHECK(fa_life_build_stimulus(L, &iv, s, &err) == FA_OK);
        pk[k] = s->strain_peak[itb];
        sm[k] = s->strain_mean[itb];
        pr[k] = s->pressure[itb];
    }
    const double d_eps = param("itb.add_per_cap") * 0.3 * (LB_PI / 180.0) * param("itb.abd_moment_arm") /
                         param("itb.length");
    CHECK_REL(pk[0] - pk[1], d_eps, 1e-9);
    CHECK_REL(sm[0] - sm[1], d_eps, 1e-9);
    /* the pressure follows the band's tension over the impingement zone of
     * the replayed stride: recorded frame by frame (habitual abductors),
     * re-expressed with the band's material at the zone strain minus d_eps */
    fa_life_mech *c = NULL;
    CHECK(fa_life_mech_get(L, 1, "running", 3.0, &c, &err) == FA_OK && c);
    if (c) {
        const int mat = m->cord_mat[itb];
        double ez = c->strain_zone[itb], k0 = c->ref_k[itb];
        double T0 = fa_life_band_zone_tension(L, c, itb, 0.0), T1 = fa_life_band_zone_tension(L, c, itb, d_eps);
        CHECK(T0 == c->force_zone[itb]); /* nothing drifted: the recorded tension itself */
        double law0 = fa_fibre_law(k0 * m->mat_E[mat], m->mat_toe[mat], ez, NULL, NULL),
               law1 = fa_fibre_law(k0 * m->mat_E[mat], m->mat_toe[mat], ez - d_eps, NULL, NULL);
        CHECK_REL(T1, T0 + m->cord_area[itb] * (law1 - law0), 1e-12);
        CHECK_REL(pr[1] / pr[0], T1 / T0, 1e-9);
        /* early stance loads the band: its tension over the zone exceeds the stride's mean tension */
        double Tmean = c->force_peak[itb] * c->stress_mean[itb] / c->stress_peak[itb];
        CHECK_MSG(T0 > 1.2 * Tmean && ez > c->strain_mean[itb], "band tension over the zone %.1f N (strain %.4f), "
                  "stride mean %.1f N (strain %.4f)", T0, ez, Tmean, c->strain_mean[itb]);
        printf("band over the impingement zone: tension %.1f N at strain %.4f (stride mean %.1f N at %.4f)\n", T0, ez,
               Tmean, c->strain_mean[itb]);
    }
    /* between re-solves: a band 0.5 % stiffer (below the cache tolerance, no re-solve) presses by
     * its material at the recorded zone strain */
    if (c) {
        cap[glmed] = 1.0;
        const int mat = m->cord_mat[itb];
        double k0 = fa_tissue_scale(m, pd, itb), ez = c->strain_zone[itb], T0 = c->force_zone[itb];
        int solves = fa_life_get_stats(L).stride_solves;
        for (int e = 0; e < 3; e++) pd->tis_xlink[e] *= 1.005;
        fa_life_mech_check(L);
        double k1 = fa_tissue_scale(m, pd, itb);
        fa_interval iv = piece(FA_ACT_RUN, 1800.0, 0.0);
        iv.speed = 3.0;
        iv.cadence = 170.0;
        iv.strides = 2550.0;
        CHECK(fa_life_build_stimulus(L, &iv, s, &err) == FA_OK);
        CHECK(fa_life_get_stats(L).stride_solves == solves && k1 > k0);
        double T1 = T0 + m->cord_area[itb] * (fa_fibre_law(k1 * m->mat_E[mat], m->mat_toe[mat], ez, NULL, NULL) -
                                              fa_fibre_law(k0 * m->mat_E[mat], m->mat_toe[mat], ez, NULL, NULL));
        CHECK_REL(s->pressure[itb] / pr[0], T1 / T0, 1e-9);
        CHECK(s->pressure[itb] > pr[0]);
        for (int e = 0; e < 3; e++) pd->tis_xlink[e] /= 1.005;
    }
    CHECK_MSG(pr[1] < 0.8 * pr[0] && pr[2] > 1.1 * pr[0],
              "distal band pressure %.0f kPa (abductors 1.3), %.0f (1.0), %.0f (0.8)", pr[1] / 1e3, pr[0] / 1e3,
              pr[2] / 1e3);
    printf("hip abductors and the band: capacity 1.3 lowers the running strain by %.4f (peak %.4f -> %.4f), "
           "distal band pressure %.0f -> %.0f kPa; capacity 0.8: %.0f kPa\n",
           d_eps, pk[0], pk[1], pr[0] / 1e3, pr[1] / 1e3, pr[2] / 1e3);
    fa_stimulus_free(s);
    fa_life_free(L);
    fa_scenario_free(sc);
}

/* ---------------------------------------------------------------- stories */

static const char *const REGIONS[] = {"knee_l", "lateral_knee", "strength_hip 20 min",
                                      "strength_hip 20 min region lateral_hip", NULL};

/* Layoffs of the `until: healed` rules ('injured': `when: injury`; Fleshman's
 * through-pain 'unable': `when: pain > 7`): count, the longest and the total
 * (days off from the firing to the first day back; an open window at the end
 * counts to the last simulated day; each rule's window on its own). */
typedef struct flayoff {
    int n, longest, total, first, first_len, open;
} flayoff;

static flayoff layoffs(const fa_life *L)
{
    static const char *const names[2] = {"injured", "unable"};
    flayoff o = {0, 0, 0, -1, 0, 0};
    int start[2] = {-1, -1};
    for (int i = 0; i < fa_life_nevent(L); i++) {
        const fa_life_event *e = fa_life_event_at(L, i);
        int k = !strcmp(e->name, names[0]) ? 0 : !strcmp(e->name, names[1]) ? 1 : -1;
        if (k < 0) continue;
        if (e->kind == FA_LEV_RULE) {
            start[k] = e->day;
            o.n++;
            if (o.first < 0) o.first = e->day;
        } else if (e->kind == FA_LEV_RETURN && start[k] >= 0) {
            int len = (int)e->value;
            CHECK_MSG(len == e->day + 1 - start[k], "layoff from day %d: %d days, return event on day %d",
                      start[k] + 1, len, e->day + 1);
            if (o.first_len == 0) o.first_len = len;
            o.total += len;
            if (len > o.longest) o.longest = len;
            start[k] = -1;
        }
    }
    for (int k = 0; k < 2; k++)
        if (start[k] >= 0) {
            int len = fa_life_day(L) - start[k];
            o.open = 1;
            if (o.first_len == 0) o.first_len = len;
            o.total += len;
            if (len > o.longest) o.longest = len;
        }
    return o;
}

/* Largest sensitisation (sensation.sens) of a region's tissue elements,
 * sampled after each day into a daily array. */
typedef struct {
    int region;
    double *sens;
} sens_trace;

static int sens_day(const fa_life *L, void *user)
{
    sens_trace *tr = (sens_trace *)user;
    const fa_model *m = fa_life_model(L);
    const double *s = fa_physio_state_const(m, fa_life_data(L), "sensation.sens");
    double x = 0.0;
    for (int j = 0; s && j < m->region_num[tr->region]; j++) {
        int e = m->region_elem[m->region_adr[tr->region] + j];
        if (e < m->ncord + m->nmem && s[e] > x) x = s[e];
    }
    tr->sens[fa_life_day(L) - 1] = x;
    return 0;
}

/* Fleshman: running through ITB pain vs her rule (pain -> days off,
 * lateral-leg massage, hip strengthening), under the habitual day. Through
 * pain she runs on a painful band until the pain makes running impossible
 * (rule 'unable': pain > 7/10) or the band is injured (rule 'injured': the
 * damage model's injury), then is off running until healed (pain < 2/10 on
 * 7 day-ends and damage < D_inj/2, data/life/parameters.csv return.*): the
 * layoff is the model's, and months of pain sensitise the band
 * (sensation.c), so the pain outlasts more of the repair. Her rule stops
 * the running at 2/10, before the pain can persist: no layoff, breaks of 3
 * days, and the band's sensitisation stays near zero. Which variant has
 * more days off depends on the band (measured: docs/scenario-format.md):
 * it is printed, not asserted. Both run 400 days, to keep the test short
 * under ASan. */
static void test_fleshman(const fa_model *m)
{
    const int ndays = 400;
    fa_life *L[2] = {NULL, NULL};
    fa_scenario *sc[2] = {NULL, NULL};
    static double strace[2][400];
    for (int v = 0; v < 2; v++) {
        sc[v] = story("fleshman", v ? "rule" : "through-pain", REGIONS);
        fa_life_def def = fa_default_life_def();
        def.kin = st_kin();
        def.ndays = ndays;
        fa_error err;
        sens_trace tr = {fa_model_find(m, "region", "lateral_thigh"), strace[v]};
        if (sc[v] && (fa_life_create(m, sc[v], &def, &L[v], &err) || fa_life_run(L[v], 0, sens_day, &tr, &err))) {
            fprintf(stderr, "fleshman: %s\n", err.msg);
            fa_life_free(L[v]);
            L[v] = NULL;
        }
        CHECK(L[v] != NULL);
    }
    if (L[0] && getenv("FA_FLESH_TRACE"))
        for (int d = 0; d < ndays; d++)
            printf("day %3d pain %.2f dmg %.3f sens %.3f | rule pain %.2f sens %.3f\n", d + 1,
                   rec(L[0], d, "lateral_thigh", FA_LM_pain), rec(L[0], d, "lateral_thigh", FA_LM_damage), strace[0][d],
                   L[1] ? rec(L[1], d, "lateral_thigh", FA_LM_pain) : NAN, strace[1][d]);
    if (L[0] && L[1]) {
        int pd[2], off[2], fired[2], inj[2], sinj[2], unable = 0;
        double dmg[2], smax[2] = {0.0, 0.0};
        flayoff lo[2];
        for (int v = 0; v < 2; v++) {
            pd[v] = days_at_least(L[v], "lateral_thigh", FA_LM_pain, 0, ndays, 2.0);
            dmg[v] = max_over(L[v], "itb", FA_LM_damage, 0, ndays);
            off[v] = fa_life_get_stats(L[v]).days_off_running;
            fired[v] = 0;
            for (int i = 0; i < fa_life_nevent(L[v]); i++) {
                const fa_life_event *e = fa_life_event_at(L[v], i);
                fired[v] += e->kind == FA_LEV_RULE && !strcmp(e->name, "fleshman");
                unable += v == 0 && e->kind == FA_LEV_RULE && !strcmp(e->name, "unable");
            }
            inj[v] = count_events(L[v], FA_LEV_INJURY, 0, ndays);
            sinj[v] = count_events(L[v], FA_LEV_SCENARIO_INJURY, 0, ndays);
            lo[v] = layoffs(L[v]);
            for (int d = 0; d < ndays; d++)
                if (strace[v][d] > smax[v]) smax[v] = strace[v][d];
        }
        /* through pain: she runs on a painful band for weeks before the pain or the injury stops her (if
         * they do: on this body the band has also ached 2-6/10 for the whole 400 days without either) */
        const int first = lo[0].first;
        const int pd_before = first > 0 ? days_at_least(L[0], "lateral_thigh", FA_LM_pain, 0, first, 2.0) : 0;
        CHECK_MSG(sinj[0] == 1 && (lo[0].n == 0 || (first >= 14 && pd_before >= 14)),
                  "through pain: %d layoffs, the first on day %d after %d day-ends with pain >= 2/10", lo[0].n,
                  first + 1, pd_before);
        /* ... and comes back the day after the return criterion first holds */
        if (lo[0].n >= 1 && !(lo[0].n == 1 && lo[0].open)) {
            const double dinj = 0.3; /* dmg.D_inj, data/params/physiology.csv */
            const int back = first + lo[0].first_len, last = back - 1;
            int calm_last = 1, calm_prev = 1;
            for (int d = last; d > last - 7; d--) calm_last &= rec(L[0], d, "lateral_thigh", FA_LM_pain) < 2.0;
            for (int d = last - 1; d > last - 8; d--) calm_prev &= rec(L[0], d, "lateral_thigh", FA_LM_pain) < 2.0;
            double d_last = rec(L[0], last, "lateral_thigh", FA_LM_damage),
                   d_prev = rec(L[0], last - 1, "lateral_thigh", FA_LM_damage);
            CHECK_MSG(lo[0].first_len >= 7 && calm_last && d_last < 0.5 * dinj &&
                          !(calm_prev && d_prev < 0.5 * dinj),
                      "return on day %d after %d days: damage %.3f (day before %.3f), pain calm %d (day before %d)",
                      back + 1, lo[0].first_len, d_last, d_prev, calm_last, calm_prev);
            /* no running in the layoff: its days with a planned run are days off */
            int planned = 0;
            for (int d = first + 1; d < back; d++) planned += (d % 7) != 6; /* Mon-Sat runs; day 0 a Monday */
            CHECK_MSG(off[0] >= planned, "days off running %d, planned runs in the layoff %d", off[0], planned);
            printf("fleshman, through pain: stopped on day %d (%s; ITB damage %.3f, sensitisation %.3f), back on day "
                   "%d after %d days off (damage then %.3f, sensitisation %.3f)\n",
                   first + 1, inj[0] > 0 && unable == 0 ? "injury" : "pain > 7/10 or injury",
                   rec(L[0], first, "itb", FA_LM_damage), strace[0][first], back + 1, lo[0].first_len, d_last,
                   strace[0][last]);
        }
        /* through pain the band hurts at least as often and is at least as sensitised; her rule keeps the pain
         * from persisting, so the band is not sensitised */
        CHECK_MSG(pd[0] >= pd[1] && smax[1] < 0.02 && smax[0] >= smax[1],
                  "days with ITB pain >= 2/10: %d through pain, %d rule; largest sensitisation %.3f and %.3f", pd[0],
                  pd[1], smax[0], smax[1]);
        /* the rule: no injury, no layoff, breaks of 3 days from the first weeks */
        int rfirst = -1;
        for (int i = 0; i < fa_life_nevent(L[1]) && rfirst < 0; i++)
            if (fa_life_event_at(L[1], i)->kind == FA_LEV_RULE) rfirst = fa_life_event_at(L[1], i)->day;
        CHECK_MSG(inj[1] == 0 && lo[1].n == 0 && fired[1] > 0 && off[1] <= 3 * fired[1] && rfirst >= 0 && rfirst < 28,
                  "rule: %d injuries, %d layoffs, fired %d times (first on day %d), %d days off running", inj[1],
                  lo[1].n, fired[1], rfirst + 1, off[1]);
        CHECK_MSG(dmg[1] < 0.3 && dmg[0] > dmg[1], "largest ITB damage: %.3f through pain, %.3f rule", dmg[0], dmg[1]);
        printf("fleshman (%d days, habitual day): through pain: %d model injuries, %d stops at pain > 7/10, %d "
               "layoffs (first %d days, longest %d, %d in all), %d days off running, %d days with ITB pain >= 2/10, "
               "largest ITB damage %.3f, largest sensitisation %.3f (%.3f at the end); rule: %d injuries, fired %d "
               "times (first on day %d), %d days off running, %d painful days, largest ITB damage %.3f, largest "
               "sensitisation %.3f, hip abductor capacity %.3f at the end (through pain %.3f)\n",
               ndays, inj[0], unable, lo[0].n, lo[0].first_len, lo[0].longest, lo[0].total, off[0], pd[0], dmg[0],
               smax[0], strace[0][ndays - 1], inj[1], fired[1], rfirst + 1, off[1], pd[1], dmg[1], smax[1],
               fa_life_abductor_cap(L[1]), fa_life_abductor_cap(L[0]));
    }
    for (int v = 0; v < 2; v++) {
        fa_life_free(L[v]);
        fa_scenario_free(sc[v]);
    }
}

/* The layoff's length is the damage module's healing: an injury of
 * severity 0.8 set by the scenario on day 3 (a runner who then only walks)
 * fires the rule on that day; running returns the day after the lateral
 * thigh's damage first falls below D_inj/2 with 7 calm days, i.e. after
 * the severity-dependent healing time (0.8 -> D_inj slowed by
 * g = 1 + (D - D_inj)/dmg.D_sat, then first order to D_inj/2: 2.19 healing
 * times), each between dmg.tau_heal/(1 + dmg.k_rest) (asleep) and
 * dmg.tau_heal (awake), plus up to a week, without failed healing
 * (dmg.k_chr 0: the closed form). With healing twice as fast the layoff
 * about halves (measured 72 and 35 days). With failed healing (the
 * default) the layoff is no shorter (72 days: the walks are not an
 * overload of the band, damage.chron). */
static void test_layoff_healing(const fa_model *m)
{
    static const char *txt = "name: heal\ndays: 120\nstart_weekday: Mon\nidle: stand\n" PERSON
                             "schedule:\n  - daily 22:00 sleep 8 h\n  - daily 07:00 run 30 min 3 m/s\n"
                             "events:\n  - day 3 injury lateral_thigh 0.8\n"
                             "rules:\n  - name: injured\n    when: injury lateral_thigh\n    off: running\n"
                             "    until: healed\n    add:\n      - daily 10:00 walk 30 min 1.4 m/s\n";
    fa_scenario *sc = parse(txt);
    fa_physio_params *pp = NULL;
    fa_error err;
    int len[3] = {-1, -1, -1};
    double tau = NAN, krest = NAN, dinj = NAN, dsat = NAN;
    for (int v = 0; v < 3 && sc; v++) {
        fa_life_def def = fa_default_life_def();
        def.kin = st_kin();
        pp = fa_physio_params_default(&err);
        CHECK(pp != NULL);
        if (!pp) break;
        if (v == 1) {
            /* the same run with healing twice as fast */
            fa_data *d0 = fa_data_alloc(m, 0);
            CHECK(d0 && fa_physio_init(m, d0, pp, &err) == FA_OK);
            double t0 = d0 ? fa_physio_param(d0, "dmg.tau_heal") : NAN;
            fa_data_free(d0);
            CHECK(fa_physio_params_set(pp, "dmg.tau_heal", 0.5 * t0) == FA_OK);
        }
        if (v < 2) CHECK(fa_physio_params_set(pp, "dmg.k_chr", 0.0) == FA_OK); /* no failed healing */
        def.params = pp;
        fa_life *L = NULL;
        CHECK(fa_life_create(m, sc, &def, &L, &err) == FA_OK && fa_life_run(L, 0, NULL, NULL, &err) == FA_OK);
        if (L && v == 0) {
            tau = fa_physio_param(fa_life_data(L), "dmg.tau_heal");
            krest = fa_physio_param(fa_life_data(L), "dmg.k_rest");
            dinj = fa_physio_param(fa_life_data(L), "dmg.D_inj");
            dsat = fa_physio_param(fa_life_data(L), "dmg.D_sat");
        }
        int fired = -1, ret = -1;
        for (int i = 0; L && i < fa_life_nevent(L); i++) {
            const fa_life_event *e = fa_life_event_at(L, i);
            if (e->kind == FA_LEV_RULE && fired < 0) fired = e->day;
            if (e->kind == FA_LEV_RETURN && ret < 0) {
                ret = e->day;
                len[v] = (int)e->value;
            }
        }
        CHECK_MSG(fired == 2 && ret > fired, "healing x%d: rule fired on day %d, return event on day %d", v + 1,
                  fired + 1, ret + 1);
        fa_life_free(L);
        fa_physio_params_free(pp);
        pp = NULL;
    }
    if (isfinite(tau)) {
        /* healing times: structural part 0.8 -> D_inj slowed by g = 1 + (D - D_inj)/D_sat, then first order */
        double nt = log(0.8 / dinj) + (0.8 - dinj) / dsat - dinj / dsat * log(0.8 / dinj) + log(2.0);
        double lo = nt * tau / (1.0 + krest) / 86400.0, hi = nt * tau / 86400.0;
        CHECK_MSG(len[0] >= lo && len[0] <= hi + 8.0, "layoff %d days, healing bounds %.1f-%.1f days", len[0], lo, hi);
        CHECK_MSG(len[1] > 0.3 * len[0] && len[1] < 0.6 * len[0], "layoff %d days with healing twice as fast, %d",
                  len[1], len[0]);
        /* failed healing never speeds the repair */
        CHECK_MSG(len[2] >= len[0], "layoff %d days with failed healing, %d without", len[2], len[0]);
        printf("layoff after a severity-0.8 injury, without failed healing: %d days (healing bounds %.1f-%.1f days); "
               "%d days with healing twice as fast; with failed healing (default) %d days\n",
               len[0], lo, hi, len[1], len[2]);
    }
    fa_scenario_free(sc);
}

/* Pain that outlasts the repair (sensation.c: sensitisation): the same
 * severity-0.8 band injury on day 151 for a person who only walks (rule
 * 'injured', off until healed: pain < 2/10 on 7 day-ends and damage <
 * D_inj/2), once on a quiet band and once on a band kept injured for the
 * 150 days before (severity 0.5 renewed every third day: a band run on
 * through an injury for five months, without the running, so that the
 * comparison is the pain's alone; test_fleshman runs the band itself).
 * Five months of severe pain sensitise the band (s 0.70 at the injury
 * against 0) and the pain holds the return a few days beyond the damage's
 * repair (measured: back 8 days after the damage fell below D_inj/2,
 * against 1 day on the quiet band and 1 day with the sensitisation off; sensitisation 0.54 at the return
 * against 0.07): the ~10 weeks of healing pain already resolve most of
 * the sensitisation, whose size is bounded by the ITBS recovery target
 * (sense.s_half, data/params/physiology.csv). */
static void test_fleshman_sensitised(const fa_model *m)
{
    static const char *head = "name: sens\ndays: 330\nstart_weekday: Mon\nidle: stand\n" PERSON
                              "schedule:\n  - daily 22:00 sleep 8 h\n  - daily 10:00 walk 30 min 1.4 m/s\n"
                              "rules:\n  - name: injured\n    when: injury lateral_thigh\n    off: running\n"
                              "    until: healed\n    add:\n      - daily 07:00 walk 30 min 1.4 m/s\n"
                              "events:\n  - day 151 injury lateral_thigh 0.8\n";
    static char txt[2][8192];
    snprintf(txt[0], sizeof txt[0], "%s", head);
    int pos = snprintf(txt[1], sizeof txt[1], "%s", head);
    /* an injury event takes one day, and a scenario at most 128 blocks: every third day */
    for (int d = 1; d <= 150 && pos > 0 && pos < (int)sizeof txt[1]; d += 3)
        pos += snprintf(txt[1] + pos, sizeof txt[1] - (size_t)pos, "  - day %d injury lateral_thigh 0.5\n", d);
    CHECK(pos > 0 && pos < (int)sizeof txt[1]);
    const int nd = 330, inj = 150;
    int back[2] = {-1, -1}, healed[2] = {-1, -1}, painful[2] = {0, 0};
    double s_inj[2] = {NAN, NAN}, s_back[2] = {NAN, NAN}, s_max[2] = {0.0, 0.0};
    static double trace[2][330];
    for (int v = 0; v < 2; v++) {
        fa_scenario *sc = parse(txt[v]);
        CHECK(sc != NULL);
        if (!sc) continue;
        fa_life_def def = fa_default_life_def();
        def.kin = st_kin();
        fa_life *L = NULL;
        fa_error err;
        sens_trace tr = {fa_model_find(m, "region", "lateral_thigh"), trace[v]};
        CHECK(tr.region >= 0);
        CHECK(fa_life_create(m, sc, &def, &L, &err) == FA_OK && fa_life_run(L, 0, sens_day, &tr, &err) == FA_OK);
        for (int i = 0; L && i < fa_life_nevent(L); i++) {
            const fa_life_event *e = fa_life_event_at(L, i);
            if (e->kind == FA_LEV_RETURN && back[v] < 0) back[v] = e->day + 1; /* the first day back */
        }
        if (L) {
            const double dinj = fa_physio_param(fa_life_data(L), "dmg.D_inj");
            for (int d = inj; d < nd && healed[v] < 0; d++)
                if (rec(L, d, "lateral_thigh", FA_LM_damage) < 0.5 * dinj) healed[v] = d;
            painful[v] = days_at_least(L, "lateral_thigh", FA_LM_pain, 0, inj, 2.0);
            s_inj[v] = trace[v][inj];
            if (back[v] > 0) s_back[v] = trace[v][back[v] - 1];
            for (int d = 0; d < nd; d++)
                if (trace[v][d] > s_max[v]) s_max[v] = trace[v][d];
        }
        fa_life_free(L);
        fa_scenario_free(sc);
    }
    printf("band injured on day %d: on a quiet band back on day %d (damage below D_inj/2 on day %d; "
           "sensitisation %.3f at the injury, %.3f at most, %.3f at the return); after %d days of pain >= 2/10 "
           "back on day %d (damage healed on day %d; sensitisation %.3f at the injury, %.3f at most, %.3f at the "
           "return)\n",
           inj + 1, back[0] + 1, healed[0] + 1, s_inj[0], s_max[0], s_back[0], painful[1], back[1] + 1,
           healed[1] + 1, s_inj[1], s_max[1], s_back[1]);
    /* months of severe pain before the injury; a quiet band before it */
    CHECK_MSG(painful[1] > 120 && painful[0] == 0, "days of pain >= 2/10 before the injury: %d and %d", painful[0],
              painful[1]);
    /* ... sensitise the band; a quiet band is not sensitised at the injury */
    CHECK_MSG(s_inj[1] > 0.4 && s_inj[0] < 0.01 && s_max[1] > s_max[0],
              "sensitisation at the injury: %.3f after months of pain, %.3f without", s_inj[1], s_inj[0]);
    /* the pain, not the damage, holds the return after months of pain; the quiet band's return follows its
     * damage's repair */
    CHECK_MSG(healed[0] > inj && back[0] > healed[0] && back[0] <= healed[0] + 3,
              "quiet band: damage healed on day %d, back on day %d", healed[0] + 1, back[0] + 1);
    CHECK_MSG(healed[1] > inj && back[1] - healed[1] > back[0] - healed[0] + 2 && s_back[1] > 4.0 * s_back[0],
              "after months of pain: damage healed on day %d, back on day %d (quiet band: %d and %d); sensitisation "
              "at the return %.3f (%.3f)",
              healed[1] + 1, back[1] + 1, healed[0] + 1, back[0] + 1, s_back[1], s_back[0]);
}

/* A layoff across a checkpoint: through pain with a scripted band injury
 * (severity 0.4) on day 20, to the middle of its layoff (day 30), saved,
 * loaded into a fresh runner and continued: the return and every record
 * are those of an uninterrupted run (the open window is in the cursor, the
 * criterion reads the checkpointed records). */
static void test_fleshman_resume(const fa_model *m)
{
    static const char *const rep[] = {"knee_l", "lateral_knee", "  - day 15 injury lateral_thigh 0.1\n",
                                      "  - day 15 injury lateral_thigh 0.1\n  - day 20 injury lateral_thigh 0.4\n",
                                      NULL};
    fa_scenario *sc = story("fleshman", "through-pain", rep);
    fa_life_def def = fa_default_life_def();
    def.kin = st_kin();
    def.ndays = 90;
    fa_life *a = NULL, *b = NULL;
    fa_error err;
    char path[256];
    snprintf(path, sizeof path, "/tmp/fa_life_flesh_%d.bin", (int)getpid());
    CHECK(sc && fa_life_create(m, sc, &def, &a, &err) == FA_OK && fa_life_create(m, sc, &def, &b, &err) == FA_OK);
    if (a && b) {
        CHECK(fa_life_run(a, 30, NULL, NULL, &err) == FA_OK);
        const fa_cursor *cur = fa_life_cursor(a);
        int open = 0;
        for (int k = 0; k < cur->ntrig; k++) open += cur->trig[k].end == FA_TRIG_OPEN;
        CHECK_MSG(open >= 1, "open layoffs on day 30: %d (the injury and its pain > 7/10)", open);
        CHECK_MSG(fa_life_save(a, path, &err) == FA_OK, "%s", err.msg);
        CHECK_MSG(fa_life_load(b, path, &err) == FA_OK, "%s", err.msg);
        CHECK(fa_life_run(a, 0, NULL, NULL, &err) == FA_OK && fa_life_run(b, 0, NULL, NULL, &err) == FA_OK);
        int same = fa_life_nevent(a) == fa_life_nevent(b), ret = -1;
        for (int i = 0; same && i < fa_life_nevent(a); i++) {
            const fa_life_event *x = fa_life_event_at(a, i), *y = fa_life_event_at(b, i);
            same = x->day == y->day && x->kind == y->kind && x->value == y->value;
            if (x->kind == FA_LEV_RETURN && ret < 0) ret = x->day;
        }
        CHECK_MSG(same && ret > 30, "resumed run: same events %d, return on day %d", same, ret + 1);
        int r = fa_model_find(m, "region", "lateral_thigh"), diff = 0;
        for (int d = 0; d < 90; d++)
            for (int k = 0; k < FA_LIFE_NMETRIC; k++) {
                double x = fa_life_record(a, d, r, k), y = fa_life_record(b, d, r, k);
                diff += !(x == y || (isnan(x) && isnan(y)));
            }
        CHECK_MSG(diff == 0, "resumed run: %d lateral thigh records differ", diff);
        CHECK(fa_life_get_stats(a).days_off_running == fa_life_get_stats(b).days_off_running);
        /* summary.json lists the layoff (first and last day off, 1-based) */
        char dir[256], js[300];
        snprintf(dir, sizeof dir, "/tmp/fa_life_flesh_out_%d", (int)getpid());
        CHECK_MSG(fa_life_write_outputs(b, dir, &err) == FA_OK, "%s", err.msg);
        snprintf(js, sizeof js, "%s/summary.json", dir);
        FILE *f = fopen(js, "rb");
        static char text[1 << 20];
        size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
        text[n] = 0;
        if (f) fclose(f);
        char want[160];
        int d0 = -1;
        for (int i = 0; i < fa_life_nevent(b) && d0 < 0; i++)
            if (fa_life_event_at(b, i)->kind == FA_LEV_RULE) d0 = fa_life_event_at(b, i)->day;
        snprintf(want, sizeof want, "{\"rule\": \"injured\", \"first_day\": %d, \"last_day\": %d, \"days\": %d, \"open\": false}",
                 d0 + 1, ret + 1, ret - d0 + 1);
        CHECK_MSG(strstr(text, "\"layoffs\": [") && strstr(text, want), "summary.json lacks %s", want);
        static const char *const outs[] = {"summary.json", "events.csv", "timeseries.csv", NULL};
        for (int i = 0; outs[i]; i++) {
            snprintf(js, sizeof js, "%s/%s", dir, outs[i]);
            unlink(js);
        }
        rmdir(dir);
    }
    unlink(path);
    fa_life_free(a);
    fa_life_free(b);
    fa_scenario_free(sc);
}

/* The desk runner's first months (8 weeks of the base year here): the
 * slumped desk and the runs leave the low back and lateral thigh layers
 * adhered and less gliding, the lateral hip shortened and drier. The care
 * habits of year two (8 weeks here) reverse the adhesion: the foam roller's
 * slow rolling between holds and the Rolfer's strokes slide the layers where
 * they work (life parameter manual.slide_amp), so pressure with shear breaks
 * bridges; without the care weeks adhesion keeps rising. */
static void test_desk_runner(const fa_model *m)
{
    static const char *const rep[] = {"weeks: 104",    "weeks: 16",   "weeks 1-52",    "weeks 1-8",
                                      "weeks 53-104",  "weeks 9-16",  "days 364-433",  "days 56-111",
                                      "posterior_hip", "lateral_hip", NULL};
    static const char *const name[2] = {"care", "no care"};
    fa_life *L[2] = {NULL, NULL};
    for (int v = 0; v < 2; v++) {
        fa_scenario *sc = story_cut("desk-runner", NULL, rep, v ? "  - weeks 9-16:" : NULL);
        L[v] = sc ? run(m, sc, 0) : NULL;
        CHECK(L[v] != NULL);
        if (L[v]) {
            const fa_life *l = L[v];
            int b = 55, e = fa_life_day(l) - 1;
            printf("desk runner, %s: start low back adhesion %.3f glide %.3f, lateral thigh adhesion %.3f; day 56 "
                   "lateral hip rest drift %.4f hydration %.4f\n",
                   name[v], rec(l, -1, "low_back", FA_LM_adhesion), rec(l, -1, "low_back", FA_LM_glide),
                   rec(l, -1, "lateral_thigh", FA_LM_adhesion), rec(l, 55, "lateral_hip", FA_LM_rest_drift),
                   rec(l, 55, "lateral_hip", FA_LM_hydration));
            printf("desk runner, %s (weeks 9-16): low back adhesion %.3f -> %.3f, glide %.3f -> %.3f; lateral thigh "
                   "adhesion %.3f -> %.3f, glide %.3f -> %.3f\n",
                   name[v], rec(l, b, "low_back", FA_LM_adhesion), rec(l, e, "low_back", FA_LM_adhesion),
                   rec(l, b, "low_back", FA_LM_glide), rec(l, e, "low_back", FA_LM_glide),
                   rec(l, b, "lateral_thigh", FA_LM_adhesion), rec(l, e, "lateral_thigh", FA_LM_adhesion),
                   rec(l, b, "lateral_thigh", FA_LM_glide), rec(l, e, "lateral_thigh", FA_LM_glide));
        }
    }
    if (L[0] && L[1]) {
        const fa_life *l = L[0];
        const int s = -1, b = 55, e = fa_life_day(l) - 1;
        /* habitual day (measured): low back adhesion 0.738 -> 0.938 and glide 1 -> 0.712 by day 56,
         * lateral thigh adhesion 0.738 -> 0.913 (+0.3 and glide halved under the old default) */
        CHECK(rec(l, b, "low_back", FA_LM_adhesion) > rec(l, s, "low_back", FA_LM_adhesion) + 0.15);
        CHECK(rec(l, b, "low_back", FA_LM_glide) < 0.8 * rec(l, s, "low_back", FA_LM_glide));
        CHECK(rec(l, b, "lateral_thigh", FA_LM_adhesion) > rec(l, s, "lateral_thigh", FA_LM_adhesion) + 0.12);
        /* the lateral hip shortened and drier: under the old default only (measured -0.0021 and
         * 0.976 on day 56 since a slack chain's segments hold the chain's strain, commit a9394d2;
         * -0.005 or less before, when a slack segment's arbitrary share of the slack counted as
         * held short); with the habitual day it lengthens and keeps its water */
        {
            fa_scenario *sc = story_cut("desk-runner", NULL, rep, "  - weeks 9-16:");
            fa_life *lr = sc ? run_ref(m, sc, 56) : NULL;
            CHECK(lr != NULL);
            if (lr) {
                printf("desk runner, old default: day 56 lateral hip rest drift %.4f hydration %.4f\n",
                       rec(lr, b, "lateral_hip", FA_LM_rest_drift), rec(lr, b, "lateral_hip", FA_LM_hydration));
                CHECK(rec(lr, b, "lateral_hip", FA_LM_rest_drift) < -0.001);
                CHECK(rec(lr, b, "lateral_hip", FA_LM_hydration) < 0.99);
            }
            fa_life_free(lr);
            fa_scenario_free(sc);
        }
        double adh[2], gl[2], th[2];
        for (int v = 0; v < 2; v++) {
            adh[v] = rec(L[v], e, "low_back", FA_LM_adhesion) - rec(L[v], b, "low_back", FA_LM_adhesion);
            gl[v] = rec(L[v], e, "low_back", FA_LM_glide) - rec(L[v], b, "low_back", FA_LM_glide);
            th[v] = rec(L[v], e, "lateral_thigh", FA_LM_adhesion) - rec(L[v], b, "lateral_thigh", FA_LM_adhesion);
        }
        /* with care the low back's adhesion falls and its glide rises;
         * without care it rises (measured once: twice-weekly rolling of
         * the low back without the Rolfer only slows the rise, 0.948 ->
         * 0.982 against 0.995; docs/scenario-format.md) */
        CHECK_MSG(adh[0] < -0.15 && adh[1] > 0.0,
                  "low-back adhesion change over the care weeks: %+.3f care, %+.3f none", adh[0], adh[1]);
        CHECK_MSG(gl[0] > 0.05 && gl[1] <= 0.0, "low-back glide change: %+.3f care, %+.3f none", gl[0], gl[1]);
        CHECK_MSG(th[0] < -0.02 && th[1] > 0.0, "lateral-thigh adhesion change: %+.3f care, %+.3f none", th[0],
                  th[1]);
    }
    for (int v = 0; v < 2; v++) {
        const fa_scenario *sc = L[v] ? fa_life_scenario(L[v]) : NULL;
        fa_life_free(L[v]);
        fa_scenario_free((fa_scenario *)sc);
    }
}

int main(void)
{
    fa_model *m = lb_body();
    CHECK(m != NULL);
    if (!m) TEST_MAIN_END();
    test_hold_table();
    test_hold_flow();
    test_hold_dose(m);
    test_cell_relaxation(m);
    test_pigeon_runner_body();
    test_impingement(m);
    test_abductors(m);
    test_fleshman(m);
    test_fleshman_resume(m);
    test_fleshman_sensitised(m);
    test_layoff_healing(m);
    test_desk_runner(m);
    fa_model_free(m);
    TEST_MAIN_END();
}
