/* SPDX-License-Identifier: MIT */
/* The care advisor: goal parsing, plan generation against the base
 * schedule (with analytic minutes per week), ranking on a made-up result
 * table, and a short end-to-end run of desk-runner on the small life-test
 * body (deterministic; movement breaks beat a bath for lateral-thigh adhesion,
 * the direction docs/physiology.md section 4 implies: adhesions grow where
 * layers do not slide and are broken by sliding, while a bath acts on
 * temperature and HA viscosity, not on adhesion). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness.h"
#include "../life/body.h"
#include "fascia/advise.h"

static const fa_advise_plan *find_plan(const fa_advise_plan *p, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(p[i].name, name)) return &p[i];
    return NULL;
}

static const fa_advise_result *find_result(const fa_advise_report *rep, const char *name)
{
    for (int i = 0; i < rep->nresult; i++)
        if (!strcmp(rep->r[i].plan.name, name)) return &rep->r[i];
    return NULL;
}

static void test_goals(const fa_model *m)
{
    fa_advise_goal g;
    fa_error err;
    CHECK(fa_advise_goal_parse("adhesion:low_back", NULL, m, &g, &err) == FA_OK);
    CHECK(g.kind == FA_GOAL_METRIC && g.metric == FA_LM_adhesion && g.better == -1);
    CHECK(g.region_index == fa_model_find(m, "region", "low_back") && g.region_index >= 0);
    CHECK(!strcmp(g.text, "adhesion:low_back"));
    CHECK(fa_advise_goal_parse("glide", "lateral_thigh", m, &g, &err) == FA_OK);
    CHECK(g.metric == FA_LM_glide && g.better == +1 && !strcmp(g.text, "glide:lateral_thigh"));
    CHECK(fa_advise_goal_parse("hydration:low_back", NULL, NULL, &g, &err) == FA_OK && g.better == +1);
    CHECK(fa_advise_goal_parse("pain:itb", NULL, m, &g, &err) == FA_OK && g.better == -1);
    CHECK(fa_advise_goal_parse("days-off", NULL, m, &g, &err) == FA_OK && g.kind == FA_GOAL_DAYS_OFF &&
          g.better == -1);
    CHECK(fa_advise_goal_parse("injuries", NULL, m, &g, &err) == FA_OK && g.kind == FA_GOAL_INJURIES);
    CHECK(fa_advise_goal_parse("itb-energy", NULL, m, &g, &err) == FA_OK && g.kind == FA_GOAL_ITB_ENERGY &&
          g.better == +1);
    /* errors */
    CHECK(fa_advise_goal_parse("happiness:low_back", NULL, m, &g, &err) == FA_ERR_UNKNOWN);
    CHECK(strstr(err.msg, "happiness") && strstr(err.msg, "adhesion"));
    CHECK(fa_advise_goal_parse("adhesion:elbow", NULL, m, &g, &err) == FA_ERR_UNKNOWN);
    CHECK(strstr(err.msg, "unknown region 'elbow'") != NULL);
    CHECK(fa_advise_goal_parse("adhesion", NULL, m, &g, &err) == FA_ERR_UNKNOWN);
    CHECK(strstr(err.msg, "expected a region") != NULL);
    CHECK(fa_advise_goal_parse("adhesion:low_back", "itb", m, &g, &err) == FA_ERR_UNKNOWN);
    CHECK(fa_advise_goal_parse("", NULL, m, &g, &err) == FA_ERR_UNKNOWN);
}

static void test_plans(void)
{
    fa_scenario *sc = NULL;
    fa_error err;
    CHECK(fa_scenario_load_builtin("desk-runner", &sc, &err) == FA_OK);
    if (!sc) return;
    fa_advise_plan p[FA_ADV_MAX_PLAN];
    int n = fa_advise_plans(sc, NULL, 28, p, FA_ADV_MAX_PLAN);
    CHECK(n >= 16);
    CHECK(!strcmp(p[0].name, "baseline") && p[0].kind == FA_PLAN_BASELINE && p[0].nline == 0);
    const char *names[] = {"move_breaks",    "hydrate",         "stretch_30s", "stretch_3min",
                           "yoga_yin",       "yoga_flow",       "bath",        "foam_roll_4min",
                           "foam_roll_1min", "foam_roll_quick", "rolfing",     "massage",
                           "reeducation",    "strength_hip",    "pigeon",      "rest_week"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK_MSG(find_plan(p, n, names[i]) != NULL, "plan %s missing", names[i]);
    /* breaks fitted into the desk bout (08:00-16:00 weekdays) and the evening sitting (20:00-22:30) */
    const fa_advise_plan *mb = find_plan(p, n, "move_breaks");
    CHECK(mb && mb->nline == 2);
    if (mb && mb->nline == 2) {
        CHECK(!strcmp(mb->line[0], "Mon,Tue,Wed,Thu,Fri 08:30-16:00 move_break 3 min every 30 min"));
        CHECK(!strcmp(mb->line[1], "daily 20:30-22:30 move_break 3 min every 30 min"));
    }
    /* rolling 5 min after the runs (18:00 + 30 min) on the run days */
    const fa_advise_plan *fr = find_plan(p, n, "foam_roll_4min");
    CHECK(fr && !strcmp(fr->line[0], "Mon,Tue,Thu,Fri,Sat 18:35 foam_roll 4 min region lateral_thigh"));
    /* manual therapy follows the goal region */
    fa_advise_goal g;
    CHECK(fa_advise_goal_parse("adhesion:low_back", NULL, NULL, &g, &err) == FA_OK);
    fa_advise_plan q[FA_ADV_MAX_PLAN];
    int nq = fa_advise_plans(sc, &g, 28, q, FA_ADV_MAX_PLAN);
    const fa_advise_plan *ms = find_plan(q, nq, "massage");
    CHECK(ms && strstr(ms->line[0], "region low_back"));
    const fa_advise_plan *rw = find_plan(p, n, "rest_week");
    CHECK(rw && rw->rest_day0 == 14 && rw->rest_day1 == 20);

    /* every plan's lines parse; minutes per week against hand counts */
    for (int i = 0; i < n; i++) {
        fa_scenario *ps = NULL;
        CHECK_MSG(fa_advise_apply(sc, &p[i], &ps, &err) == FA_OK, "plan %s: %s", p[i].name, err.msg);
        if (!ps) continue;
        double mpw = fa_advise_minutes_per_week(sc, ps, p[i].act, 28);
        if (!strcmp(p[i].name, "move_breaks")) CHECK_NEAR(mpw, 15 * 3 * 5 + 4 * 3 * 7, 1e-9);
        if (!strcmp(p[i].name, "bath")) CHECK_NEAR(mpw, 20, 1e-9);
        if (!strcmp(p[i].name, "stretch_3min")) CHECK_NEAR(mpw, 6 * 7, 1e-9);
        if (!strcmp(p[i].name, "foam_roll_1min")) CHECK_NEAR(mpw, 5, 1e-9);
        if (!strcmp(p[i].name, "strength_hip")) CHECK_NEAR(mpw, 60, 1e-9);
        if (!strcmp(p[i].name, "pigeon")) CHECK_NEAR(mpw, 45 * 7, 1e-9);
        if (!strcmp(p[i].name, "hydrate")) CHECK_NEAR(mpw, 0, 1e-12);
        if (!strncmp(p[i].name, "stretch_", 8)) {
            /* the dose variants reach the timeline: 30 s vs 180 s holds */
            fa_interval buf[FA_SC_MAX_DAYSEG];
            int k = 0, seen = 0;
            fa_day_info info;
            CHECK(fa_expand_day(ps, NULL, 0, buf, FA_SC_MAX_DAYSEG, &k, &info, &err) == FA_OK);
            for (int j = 0; j < k; j++)
                if (buf[j].act == FA_ACT_STRETCH) {
                    seen = 1;
                    CHECK_NEAR(buf[j].hold, strcmp(p[i].name, "stretch_30s") ? 180.0 : 30.0, 1e-9);
                }
            CHECK(seen);
        }
        if (!strcmp(p[i].name, "baseline")) CHECK(ps->nentry == sc->nentry && ps->nblock == sc->nblock);
        if (!strcmp(p[i].name, "rest_week")) {
            /* no run in the rest week, the usual runs around it */
            double run_in = 0, run_out = 0;
            fa_interval buf[FA_SC_MAX_DAYSEG];
            for (int day = 0; day < 28; day++) {
                int k = 0;
                fa_day_info info;
                CHECK(fa_expand_day(ps, NULL, day, buf, FA_SC_MAX_DAYSEG, &k, &info, &err) == FA_OK);
                for (int j = 0; j < k; j++)
                    if (buf[j].act == FA_ACT_RUN)
                        *(day >= 14 && day <= 20 ? &run_in : &run_out) += buf[j].dur;
            }
            CHECK(run_in == 0.0);
            CHECK_NEAR(run_out, 3 * 5 * 1800.0, 1e-9);
        }
        fa_scenario_free(ps);
    }
    /* a plan line the scenario reader rejects names the plan and the line */
    fa_advise_plan bad = p[1];
    snprintf(bad.name, sizeof bad.name, "broken");
    bad.nline = 1;
    snprintf(bad.line[0], sizeof bad.line[0], "daily 07:00 jogg 5 min");
    fa_scenario *ps = NULL;
    CHECK(fa_advise_apply(sc, &bad, &ps, &err) != FA_OK && ps == NULL);
    CHECK(strstr(err.msg, "plan broken") && strstr(err.msg, "jogg"));
    fa_scenario_free(sc);
}

/* Ranking on a made-up table (no simulation). */
static void test_rank(void)
{
    fa_advise_report *rep = fa_advise_report_alloc();
    CHECK(rep != NULL);
    if (!rep) return;
    CHECK(fa_advise_goal_parse("adhesion:low_back", NULL, NULL, &rep->goal, NULL) == FA_OK);
    rep->baseline = 0.40;
    rep->noise_floor = 1e-4;
    struct {
        const char *name;
        double value, cost;
    } T[] = {{"baseline", 0.40, 0},     {"harm", 0.41, 30},       {"big", 0.36, 300},
             {"small_cheap", 0.39, 10}, {"small_dear", 0.39, 60}, {"noise", 0.40005, 5},
             {"free_noise", 0.39995, 0}};
    int n = (int)(sizeof T / sizeof T[0]);
    for (int i = 0; i < n; i++) {
        fa_advise_result *r = &rep->r[i];
        memset(r, 0, sizeof *r);
        snprintf(r->plan.name, sizeof r->plan.name, "%s", T[i].name);
        r->plan.kind = i ? FA_PLAN_ADD : FA_PLAN_BASELINE;
        r->value = T[i].value;
        r->cost = T[i].cost;
    }
    rep->nresult = n;
    fa_advise_rank(rep);
    const char *want[] = {"big", "small_cheap", "small_dear", "baseline", "free_noise", "noise", "harm"};
    for (int i = 0; i < n; i++)
        CHECK_MSG(!strcmp(rep->r[i].plan.name, want[i]), "rank %d: %s", i + 1, rep->r[i].plan.name);
    for (int i = 0; i < n; i++)
        CHECK(rep->r[i].rank == i + 1);
    const fa_advise_result *big = find_result(rep, "big"), *nz = find_result(rep, "noise"),
                           *hm = find_result(rep, "harm");
    CHECK(big && fabs(big->delta - (-0.04)) < 1e-12 && fabs(big->delta_pct - (-10.0)) < 1e-9 &&
          big->benefit > 0);
    CHECK(nz && nz->noise == 1);
    CHECK(hm && hm->noise == 0 && hm->benefit < 0);
    /* higher-is-better goal flips the order of effects */
    CHECK(fa_advise_goal_parse("glide:low_back", NULL, NULL, &rep->goal, NULL) == FA_OK);
    fa_advise_rank(rep);
    CHECK(!strcmp(rep->r[0].plan.name, "harm"));
    CHECK(!strcmp(rep->r[n - 1].plan.name, "big"));
    fa_advise_report_free(rep);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = (char *)malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b) b[n] = 0;
    fclose(f);
    return b;
}

static char *print_to_string(const fa_advise_report *rep)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    fa_advise_print(rep, f, 0);
    fclose(f);
    return buf;
}

/* Two weeks of desk-runner on the small body: deterministic ranking, breaks
 * above the bath for lateral-thigh adhesion, advice.json keys. The goal is
 * the lateral thigh's: under the habitual day (the default) the small body's
 * low back, moved by no walking stride, slides by the reference share in
 * every activity and keeps its adhesion (measured 0.3 with or without
 * breaks); the breaks slide the lateral thigh's layers (measured -0.075). */
static void test_end_to_end(const fa_model *m)
{
    fa_scenario *sc = NULL;
    fa_error err;
    CHECK(fa_scenario_load_builtin("desk-runner", &sc, &err) == FA_OK);
    if (!sc) return;
    fa_advise_goal g;
    CHECK(fa_advise_goal_parse("adhesion:lateral_thigh", NULL, m, &g, &err) == FA_OK);
    fa_advise_def def = fa_default_advise_def();
    def.ndays = 14;
    def.only = "move_breaks,bath";
    def.life.kin = lb_kin();
    fa_advise_report *a = fa_advise_report_alloc(), *b = fa_advise_report_alloc();
    CHECK(a && b);
    if (!a || !b) return;
    CHECK_MSG(fa_advise_run(m, sc, &g, &def, a, &err) == FA_OK, "%s", err.msg);
    def.noise_run = 0;
    CHECK_MSG(fa_advise_run(m, sc, &g, &def, b, &err) == FA_OK, "%s", err.msg);
    CHECK(a->nresult == 3 && b->nresult == 3 && a->ndays == 14);
    /* same plans, bit-identical values (the order follows the noise floor, which only a measures:
     * without it the bath's -1.9e-6 ranks above the baseline) */
    for (int i = 0; i < a->nresult; i++) {
        const fa_advise_result *rb = find_result(b, a->r[i].plan.name);
        CHECK(rb != NULL);
        if (rb) CHECK(memcmp(&a->r[i].value, &rb->value, sizeof(double)) == 0);
    }
    b->noise_floor = a->noise_floor;
    fa_advise_rank(b);
    char *ta = print_to_string(a), *tb = print_to_string(b);
    CHECK(ta && tb && !strcmp(ta, tb));
    if (ta) printf("%s", ta);
    free(ta);
    free(tb);
    const fa_advise_result *mb = find_result(a, "move_breaks"), *bath = find_result(a, "bath"),
                           *base = find_result(a, "baseline");
    CHECK(mb && bath && base);
    if (mb && bath && base) {
        CHECK(mb->rank < bath->rank);
        CHECK(mb->benefit > 0.0 && !mb->noise);
        CHECK(mb->value < base->value);
        CHECK(base->delta == 0.0 && base->noise);
        CHECK(mb->grade == 'C' && bath->grade == 'A');
        /* the explanation names the adhesion or glide of some region and the adhesion module */
        int seen = 0;
        for (int c = 0; c < mb->nchange; c++)
            seen |= mb->change[c].metric == FA_LM_adhesion || mb->change[c].metric == FA_LM_glide;
        CHECK(seen);
        int adh = 0;
        for (int k = 0; k < mb->nmodule; k++)
            adh |= !strcmp(fa_physio_module_name(mb->module[k]), "adhesion") ||
                   !strcmp(fa_physio_module_name(mb->module[k]), "glide");
        /* the modules named are those that moved most in the goal region (lateral thigh) */
        CHECK(adh);
        CHECK(mb->cost > bath->cost);
    }
    /* the other goal kinds run end to end: ITB energy per stride (J, finite, positive) and days off */
    fa_advise_goal gi, gd;
    CHECK(fa_advise_goal_parse("itb-energy", NULL, m, &gi, &err) == FA_OK);
    CHECK(fa_advise_goal_parse("days-off", NULL, m, &gd, &err) == FA_OK);
    def.only = "pigeon";
    def.noise_run = 0;
    CHECK_MSG(fa_advise_run(m, sc, &gi, &def, b, &err) == FA_OK, "%s", err.msg);
    CHECK(b->nresult == 2 && isfinite(b->baseline) && b->baseline > 0.0);
    def.only = "rest_week";
    CHECK_MSG(fa_advise_run(m, sc, &gd, &def, b, &err) == FA_OK, "%s", err.msg);
    const fa_advise_result *rw = find_result(b, "rest_week");
    /* a rest week in days 8-14 of desk-runner stops the 5 weekly runs: 5 more days off */
    CHECK(rw && rw->value - b->baseline == 5.0 && rw->benefit < 0.0 && rw->rank == 2);
    /* an unknown plan name is an error listing the plans */
    def.only = "move_breaks,jogging";
    CHECK(fa_advise_run(m, sc, &g, &def, b, &err) == FA_ERR_UNKNOWN);
    CHECK(strstr(err.msg, "jogging") && strstr(err.msg, "foam_roll_quick"));
    CHECK(a->noise_floor >= 0.0 && a->noise_floor < 0.1 * fabs(mb ? mb->delta : 1.0));

    /* advice.json */
    char dir[] = "/tmp/fa_advise_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    CHECK_MSG(fa_advise_write_json(a, dir, &err) == FA_OK, "%s", err.msg);
    char path[256];
    snprintf(path, sizeof path, "%s/advice.json", dir);
    char *js = slurp(path);
    CHECK(js != NULL);
    if (js) {
        const char *keys[] = {"\"goal\"",
                              "\"better\": \"lower\"",
                              "\"scenario\": \"desk-runner\"",
                              "\"days\": 14",
                              "\"baseline\"",
                              "\"noise_floor\"",
                              "\"plans\"",
                              "\"rank\"",
                              "\"delta\"",
                              "\"delta_pct\"",
                              "\"cost_min_per_week\"",
                              "\"within_noise\"",
                              "\"verdict\"",
                              "\"practice\"",
                              "\"mechanism\"",
                              "\"grade\": \"C\"",
                              "\"cite\"",
                              "\"changes\"",
                              "\"modules\"",
                              "\"param_grades\"",
                              "\"lines\"",
                              "move_break 3 min every 30 min"};
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            CHECK_MSG(strstr(js, keys[i]) != NULL, "%s", keys[i]);
        free(js);
    }
    remove(path);
    rmdir(dir);
    fa_advise_report_free(a);
    fa_advise_report_free(b);
    fa_scenario_free(sc);
}

int main(void)
{
    fa_model *m = lb_body();
    CHECK(m != NULL);
    if (!m) return 1;
    test_goals(m);
    test_plans();
    test_rank();
    test_end_to_end(m);
    fa_model_free(m);
    TEST_MAIN_END();
}
