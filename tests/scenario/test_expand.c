/* SPDX-License-Identifier: MIT */
/* Schedule expansion: exact timelines of the built-in scenarios, tiling of
 * every day, phases, events, rest blocks, rules fired mid-run, imported
 * runs, and the iterator (hour steps, odd steps, resume from a cursor). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/model.h"
#include "fascia/scenario.h"
#include "harness.h"

#define H 3600.0
#define D 86400.0
#define GOLDEN_N 15463L
#define GOLDEN_HASH 0x28d3f7acc7716b66ULL

static fa_scenario *builtin(const char *name)
{
    fa_scenario *sc = NULL;
    fa_error err;
    if (fa_scenario_load_builtin(name, &sc, &err)) fprintf(stderr, "%s\n", err.msg);
    return sc;
}

static int day(const fa_scenario *sc, const fa_cursor *cur, int d, fa_interval *iv, fa_day_info *info)
{
    int n = -1;
    fa_error err;
    fa_status st = fa_expand_day(sc, cur, d, iv, FA_SC_MAX_DAYSEG, &n, info, &err);
    CHECK_MSG(st == FA_OK, "%s", err.msg);
    return st ? -1 : n;
}

/* intervals must tile [d*D, (d+1)*D) exactly, instants in between */
static int tiles(const fa_interval *iv, int n, int d)
{
    double t = d * D;
    for (int i = 0; i < n; i++) {
        if (iv[i].t0 != t || iv[i].day != d) return 0;
        if (!(iv[i].dur >= 0)) return 0;
        if (iv[i].dur == 0 && !(fa_activity_get(iv[i].act)->flags & FA_ACTF_INSTANT)) return 0;
        t += iv[i].dur;
    }
    return t == (d + 1) * D;
}

static int count(const fa_interval *iv, int n, int act, double *total)
{
    int c = 0;
    double s = 0;
    for (int i = 0; i < n; i++)
        if (iv[i].act == act) {
            c++;
            s += iv[i].dur;
        }
    if (total) *total = s;
    return c;
}

static void desk_runner_week3_tuesday(void)
{
    fa_scenario *sc = builtin("desk-runner");
    CHECK(sc != NULL);
    if (!sc) return;
    CHECK(sc->ndays == 728);
    fa_interval iv[FA_SC_MAX_DAYSEG];
    fa_day_info info;
    int d = 2 * 7 + 1; /* week 3, Tuesday (day 0 is a Monday) */
    int n = day(sc, NULL, d, iv, &info);
    CHECK(info.weekday == 1 && info.week == 3 && info.phase == 0 && info.noverride == 0);
    struct {
        int act;
        double a, b;
    } want[] = {{FA_ACT_SLEEP, 0, 6 * H},          {FA_ACT_STAND, 6 * H, 8 * H},       {FA_ACT_SIT_SLUMPED, 8 * H, 16 * H},
                {FA_ACT_STAND, 16 * H, 18 * H},    {FA_ACT_RUN, 18 * H, 18.5 * H},     {FA_ACT_STAND, 18.5 * H, 20 * H},
                {FA_ACT_SIT_UPRIGHT, 20 * H, 22.5 * H}, {FA_ACT_SLEEP, 22.5 * H, 24 * H}};
    CHECK(n == 8);
    for (int i = 0; i < n && i < 8; i++) {
        CHECK_MSG(iv[i].act == want[i].act && iv[i].t0 == d * D + want[i].a && iv[i].dur == want[i].b - want[i].a,
                  "piece %d: %s at %g for %g", i, fa_activity_get(iv[i].act)->name, iv[i].t0 - d * D, iv[i].dur);
    }
    /* the night's sleep started yesterday at 22:30 and continues */
    CHECK(iv[0].cont == 1 && iv[0].bout_t0 == (d - 1) * D + 22.5 * H && iv[0].bout_dur == 7.5 * H);
    CHECK(iv[7].cont == 0 && iv[7].bout_dur == 7.5 * H);
    CHECK(iv[1].source == FA_SRC_IDLE && iv[1].line == 0);
    CHECK(iv[2].source == FA_SRC_SCHEDULE && iv[2].line == 22);
    /* the run: 30 min at 3.0 m/s and 170 steps/min = 2,550 loading cycles per leg ("about 2,500") */
    const fa_interval *run = &iv[4];
    CHECK(run->speed == 3.0 && run->cadence == 170);
    CHECK_REL(run->strides, 2550.0, 1e-15);
    CHECK_REL(run->distance, 5400.0, 1e-15);
    CHECK(fabs(run->strides - 2500) / 2500 < 0.03);
    /* Wednesday has no run, Sunday no desk */
    n = day(sc, NULL, 16, iv, &info);
    CHECK(count(iv, n, FA_ACT_RUN, NULL) == 0 && count(iv, n, FA_ACT_SIT_SLUMPED, NULL) == 1);
    n = day(sc, NULL, 20, iv, &info);
    CHECK(info.weekday == 6 && count(iv, n, FA_ACT_SIT_SLUMPED, NULL) == 0 && count(iv, n, FA_ACT_RUN, NULL) == 0);
    /* day 0 has no previous night: idle until the desk */
    n = day(sc, NULL, 0, iv, &info);
    CHECK(iv[0].act == FA_ACT_STAND && iv[0].dur == 8 * H);

    /* year 2, Tuesday of week 53: the care habits */
    d = 52 * 7 + 1;
    n = day(sc, NULL, d, iv, &info);
    CHECK(info.phase == 1 && !strcmp(sc->phase[info.phase].name, "care"));
    CHECK(tiles(iv, n, d));
    double t_desk, t_break, t_roll;
    CHECK(count(iv, n, FA_ACT_MOVE_BREAK, &t_break) == 15); /* 08:30, 09:00, ..., 15:30 */
    CHECK(t_break == 15 * 180.0);
    CHECK(count(iv, n, FA_ACT_SIT_SLUMPED, &t_desk) == 16);
    CHECK(t_desk == 8 * H - 15 * 180.0);
    CHECK(info.noverride == 15);
    CHECK(count(iv, n, FA_ACT_FOAM_ROLL, &t_roll) == 2 && t_roll == 480.0); /* lateral thigh, posterior hip */
    int ih = -1;
    for (int i = 0; i < n; i++)
        if (iv[i].act == FA_ACT_HYDRATE) ih = i;
    CHECK(ih > 0 && iv[ih].dur == 0 && iv[ih].t0 == d * D + 6.75 * H && fabs(iv[ih].volume - 5e-4) < 1e-18);
    /* the idle piece around the instant is split with cont = 1 */
    CHECK(ih > 0 && iv[ih - 1].act == FA_ACT_STAND && iv[ih + 1].act == FA_ACT_STAND && iv[ih + 1].cont == 1);
    CHECK(ih > 0 && iv[ih + 1].bout_t0 == iv[ih - 1].bout_t0);
    for (int i = 0; i < n; i++)
        if (iv[i].act == FA_ACT_STRETCH) CHECK(!strcmp(iv[i].pose, "lunge") && iv[i].hold == 30.0 && iv[i].dur == 300);
    /* Sunday: bath 20 min at 40 C */
    n = day(sc, NULL, 52 * 7 + 6, iv, &info);
    for (int i = 0; i < n; i++)
        if (iv[i].act == FA_ACT_BATH) CHECK(iv[i].temp == 40.0 && iv[i].dur == 1200 && iv[i].source == FA_SRC_PHASE);
    CHECK(count(iv, n, FA_ACT_BATH, NULL) == 1);
    fa_scenario_free(sc);
}

static void all_builtins_tile(void)
{
    for (int b = 0; fa_scenario_builtin_name(b); b++) {
        fa_scenario *sc = builtin(fa_scenario_builtin_name(b));
        CHECK(sc != NULL);
        if (!sc) continue;
        fa_interval iv[FA_SC_MAX_DAYSEG];
        fa_day_info info;
        int bad = 0;
        for (int d = 0; d < sc->ndays; d++) {
            int n = day(sc, NULL, d, iv, &info);
            if (n <= 0 || !tiles(iv, n, d)) bad++;
        }
        CHECK_MSG(bad == 0, "%s: %d days do not tile", fa_scenario_builtin_name(b), bad);
        fa_scenario_free(sc);
    }
}

static void rest_blocks_and_events(void)
{
    fa_interval iv[FA_SC_MAX_DAYSEG];
    fa_day_info info;
    fa_scenario *sc = builtin("fleshman"); /* default variant: through-pain */
    CHECK(sc && sc->variant == 0);
    if (!sc) return;
    /* days 100-104 (1-based) time_off: no runs; day 105 (index 104, a Monday... check weekday) runs again */
    for (int d = 99; d <= 103; d++) CHECK(count(iv, day(sc, NULL, d, iv, &info), FA_ACT_RUN, NULL) == 0);
    int d = 104;
    day(sc, NULL, d, iv, &info);
    int nrun = count(iv, day(sc, NULL, d, iv, &info), FA_ACT_RUN, NULL);
    CHECK(nrun == (info.weekday == 6 ? 0 : 1));
    /* the injury markers */
    day(sc, NULL, 14, iv, &info);
    CHECK(info.ninjury == 1 && sc->block[info.injury_block[0]].severity == 0.1);
    day(sc, NULL, 363, iv, &info);
    CHECK(info.ninjury == 0); /* the injury that ends the running is the damage model's (rule 'injured') */
    /* the layoff once the 'injured' rule fires (here on day 365) until released (here a year later): no
     * running, physio Mon/Thu, massage twice a week plus daily self-massage */
    CHECK(sc->nrule == 2 && sc->rule[0].injury && sc->rule[0].until_healed && !strcmp(sc->rule[1].signal, "pain") &&
          sc->rule[1].threshold == 7.0 && sc->rule[1].until_healed); /* and pain > 7/10 (unable to run) */
    fa_cursor cur;
    memset(&cur, 0, sizeof cur);
    cur.ntrig = 1;
    cur.trig[0] = (fa_trigger){0, 364, 728};
    int nphys = 0, nmass = 0, nrun2 = 0;
    for (d = 364; d < 728; d++) {
        int n = day(sc, &cur, d, iv, &info);
        nrun2 += count(iv, n, FA_ACT_RUN, NULL);
        nphys += count(iv, n, FA_ACT_PHYSIO, NULL);
        nmass += count(iv, n, FA_ACT_MASSAGE, NULL);
    }
    CHECK(nrun2 == 0);
    CHECK(nphys == 104);       /* 52 weeks x Mon,Thu */
    CHECK(nmass == 364 + 104); /* daily self-massage + Tue,Fri sessions */
    fa_scenario_free(sc);

    sc = builtin("immobilised-then-rehab");
    CHECK(sc != NULL);
    if (!sc) return;
    day(sc, NULL, 0, iv, &info);
    CHECK(info.ninjury == 1 && info.nimmob == 1 && !strcmp(sc->block[info.immob_block[0]].region, "knee_l"));
    day(sc, NULL, 20, iv, &info);
    CHECK(info.nimmob == 1 && info.ninjury == 0);
    int n = day(sc, NULL, 21, iv, &info); /* day 22: a Monday, physio 18:00 */
    CHECK(info.nimmob == 0 && info.weekday == 0 && count(iv, n, FA_ACT_PHYSIO, NULL) == 1);
    CHECK(count(iv, n, FA_ACT_WALK, NULL) == 1);
    n = day(sc, NULL, 22, iv, &info); /* Tuesday: walk, no physio */
    CHECK(count(iv, n, FA_ACT_PHYSIO, NULL) == 0 && count(iv, n, FA_ACT_WALK, NULL) == 1);
    for (int i = 0; i < n; i++)
        if (iv[i].act == FA_ACT_WALK) CHECK(iv[i].speed == 1.2 && iv[i].cadence == 115.2 && iv[i].source == FA_SRC_EVENT);
    fa_scenario_free(sc);

    /* precedence: an event cuts the base schedule; a cross-midnight bout is split */
    const char *txt = "days: 3\nschedule:\n  - daily 08:00-16:00 sit_slumped\n  - daily 23:00 sleep 8 h\n"
                      "events:\n  - day 2 12:00 race 10 km 4 m/s\n  - day 2 no sleep\n";
    fa_error err;
    CHECK(fa_scenario_parse(txt, strlen(txt), "p.yaml", &sc, &err) == FA_OK);
    n = day(sc, NULL, 1, iv, &info);
    CHECK(tiles(iv, n, 1));
    /* sleep from day 1 spills in; no sleep starts on day 2 */
    CHECK(iv[0].act == FA_ACT_SLEEP && iv[0].dur == 7 * H && iv[0].cont);
    CHECK(count(iv, n, FA_ACT_SLEEP, NULL) == 1);
    double t;
    CHECK(count(iv, n, FA_ACT_SIT_SLUMPED, &t) == 2 && t == 8 * H - 2500);
    CHECK(count(iv, n, FA_ACT_RACE, &t) == 1 && t == 2500 && info.noverride == 1);
    for (int i = 0; i < n; i++)
        if (iv[i].act == FA_ACT_SIT_SLUMPED && iv[i].t0 > D + 12 * H) CHECK(iv[i].cont == 0 && iv[i].bout_t0 == D + 8 * H);
    n = day(sc, NULL, 2, iv, &info); /* no spill from the suppressed night */
    CHECK(iv[0].act == FA_ACT_STAND && iv[0].dur == 8 * H);
    fa_scenario_free(sc);
}

static void rules_fire(void)
{
    fa_scenario *sc = builtin("fleshman:rule");
    CHECK(sc && sc->nrule == 2 && !strcmp(sc->rule[0].name, "fleshman")); /* and 'injured' (until healed) */
    if (!sc) return;
    fa_iter it;
    fa_iter_init(&it, sc, NULL);
    fa_interval v, iv[FA_SC_MAX_DAYSEG];
    fa_day_info info;
    fa_error err;
    /* run to day 21 (a Monday) 06:00, then the rule fires (pain > 2) */
    while (fa_iter_next(&it, 21 * D + 6 * H, &v, &err) == 1) {
    }
    CHECK(it.cur.t == 21 * D + 6 * H);
    CHECK(fa_iter_trigger(&it, 0, 21, &err) == FA_OK && it.cur.ntrig == 1);
    CHECK(fa_iter_trigger(&it, 0, 22, &err) == FA_OK && it.cur.ntrig == 1); /* in force: ignored */
    CHECK(fa_iter_trigger(&it, 0, 3, &err) == FA_ERR_RANGE);                /* the past */
    CHECK(fa_iter_trigger(&it, 5, 30, &err) == FA_ERR_ARG);
    int runs = 0, mass = 0;
    while (fa_iter_next(&it, 22 * D, &v, &err) == 1) {
        runs += v.act == FA_ACT_RUN;
        mass += v.act == FA_ACT_MASSAGE;
        if (v.act == FA_ACT_MASSAGE) CHECK(v.source == FA_SRC_RULE && v.t0 == 21 * D + 14 * H && !strcmp(v.region, "lateral_thigh"));
    }
    CHECK(runs == 0 && mass == 1);
    /* days 21-23 off running with massage; strength Mon/Wed/Fri from day 24 for a year */
    for (int d = 21; d <= 23; d++) {
        int n = day(sc, &it.cur, d, iv, &info);
        CHECK(count(iv, n, FA_ACT_RUN, NULL) == 0 && count(iv, n, FA_ACT_MASSAGE, NULL) == 1);
        CHECK(count(iv, n, FA_ACT_STRENGTH_HIP, NULL) == 0);
    }
    /* her planned runs on a day (doubles on some days), from the timeline without the trigger */
    const int runs_fri = count(iv, day(sc, NULL, 25, iv, &info), FA_ACT_RUN, NULL),
              runs_mon = count(iv, day(sc, NULL, 21, iv, &info), FA_ACT_RUN, NULL);
    CHECK(runs_fri >= 1 && runs_mon >= 1);
    int n = day(sc, &it.cur, 25, iv, &info); /* Friday */
    CHECK(info.weekday == 4 && count(iv, n, FA_ACT_RUN, NULL) == runs_fri && count(iv, n, FA_ACT_STRENGTH_HIP, NULL) == 1);
    CHECK(count(iv, n, FA_ACT_MASSAGE, NULL) == 0);
    CHECK(count(iv, day(sc, &it.cur, 24, iv, &info), FA_ACT_STRENGTH_HIP, NULL) == 0); /* Thursday */
    int nstr = 0, want = 0;
    for (int d = 24; d < 24 + 365; d++) {
        nstr += count(iv, day(sc, &it.cur, d, iv, &info), FA_ACT_STRENGTH_HIP, NULL);
        want += d % 7 == 0 || d % 7 == 2 || d % 7 == 4;
    }
    CHECK(nstr == want && want == 156);
    CHECK(count(iv, day(sc, &it.cur, 24 + 365 + 2, iv, &info), FA_ACT_STRENGTH_HIP, NULL) == 0);
    /* without the trigger the same days run */
    CHECK(count(iv, day(sc, NULL, 21, iv, &info), FA_ACT_RUN, NULL) == runs_mon);
    /* after the off days the rule can fire again (pain persisting); the
     * strength sessions are not doubled */
    CHECK(fa_iter_trigger(&it, 0, 23, &err) == FA_OK && it.cur.ntrig == 1);
    CHECK(fa_iter_trigger(&it, 0, 30, &err) == FA_OK && it.cur.ntrig == 2);
    n = day(sc, &it.cur, 30, iv, &info); /* Wednesday: no run, massage, no strength while off */
    CHECK(info.weekday == 2 && count(iv, n, FA_ACT_RUN, NULL) == 0 && count(iv, n, FA_ACT_MASSAGE, NULL) == 1);
    CHECK(count(iv, n, FA_ACT_STRENGTH_HIP, NULL) == 1); /* the first firing's after window still covers it */
    n = day(sc, &it.cur, 35, iv, &info); /* Monday after: one strength session */
    CHECK(count(iv, n, FA_ACT_STRENGTH_HIP, NULL) == 1 && count(iv, n, FA_ACT_RUN, NULL) == runs_mon);
    fa_scenario_free(sc);
}

/* `when: injury REGION` with `until: healed`: the off window stays open
 * (no running, the add entries every day) until fa_iter_release names the
 * first day back; the after entries then start; a later injury opens a new
 * window. */
static void rules_until_healed(void)
{
    static const char txt[] = "name: heal\ndays: 120\nstart_weekday: Mon\n"
                              "schedule:\n  - daily 22:00 sleep 8 h\n  - daily 07:00 run 30 min 3 m/s\n"
                              "rules:\n  - name: injured\n    when: injury lateral_thigh\n    off: running\n"
                              "    until: healed\n    add:\n      - daily 14:00 physio 45 min\n"
                              "    after:\n      - daily 16:00 strength_hip 20 min\n    after_days: 14\n";
    fa_scenario *sc = NULL;
    fa_error err;
    CHECK(fa_scenario_parse(txt, strlen(txt), "heal.yaml", &sc, &err) == FA_OK);
    if (!sc) return;
    CHECK(sc->nrule == 1 && sc->rule[0].injury && sc->rule[0].until_healed && sc->rule[0].off_days == 0 &&
          !strcmp(sc->rule[0].signal, "injury") && !strcmp(sc->rule[0].region, "lateral_thigh"));
    fa_iter it;
    fa_iter_init(&it, sc, NULL);
    fa_interval v, iv[FA_SC_MAX_DAYSEG];
    fa_day_info info;
    while (fa_iter_next(&it, 10 * D + 9 * H, &v, &err) == 1) {
    }
    CHECK(fa_iter_release(&it, 0, 20, &err) == FA_ERR_ARG); /* nothing open */
    CHECK(fa_iter_trigger(&it, 0, 10, &err) == FA_OK && it.cur.ntrig == 1 && it.cur.trig[0].end == FA_TRIG_OPEN);
    CHECK(fa_trigger_end(sc, &it.cur.trig[0]) == FA_TRIG_OPEN);
    CHECK(fa_iter_trigger(&it, 0, 60, &err) == FA_OK && it.cur.ntrig == 1); /* open window: in force */
    int off = 0, physio = 0, strength = 0;
    for (int d = 10; d < 120; d++) {
        int n = day(sc, &it.cur, d, iv, &info);
        off += count(iv, n, FA_ACT_RUN, NULL) == 0;
        physio += count(iv, n, FA_ACT_PHYSIO, NULL);
        strength += count(iv, n, FA_ACT_STRENGTH_HIP, NULL);
    }
    CHECK_MSG(off == 110 && physio == 110 && strength == 0, "open window: %d days off, %d physio, %d strength", off,
              physio, strength);
    CHECK(fa_iter_release(&it, 0, 10, &err) == FA_ERR_RANGE); /* not after the firing day */
    CHECK(fa_iter_release(&it, 0, 40, &err) == FA_OK && it.cur.trig[0].end == 40);
    CHECK(fa_iter_release(&it, 0, 41, &err) == FA_ERR_ARG); /* already released */
    off = physio = strength = 0;
    for (int d = 10; d < 70; d++) {
        int n = day(sc, &it.cur, d, iv, &info);
        off += count(iv, n, FA_ACT_RUN, NULL) == 0;
        physio += count(iv, n, FA_ACT_PHYSIO, NULL);
        strength += count(iv, n, FA_ACT_STRENGTH_HIP, NULL);
    }
    CHECK_MSG(off == 30 && physio == 30 && strength == 14, "released on day 41: %d days off, %d physio, %d strength",
              off, physio, strength);
    while (fa_iter_next(&it, 50 * D, &v, &err) == 1) {
    }
    CHECK(fa_iter_trigger(&it, 0, 50, &err) == FA_OK && it.cur.ntrig == 2 && it.cur.trig[1].end == FA_TRIG_OPEN);
    CHECK(count(iv, day(sc, &it.cur, 51, iv, &info), FA_ACT_RUN, NULL) == 0);
    fa_scenario_free(sc);
}

static void iterator(void)
{
    fa_scenario *sc = builtin("desk-runner");
    if (!sc) return;
    fa_error err;
    fa_interval v;
    /* hour steps over weeks 52-54 reproduce the day expansion */
    double t0 = 51 * 7 * D, t1 = 54 * 7 * D;
    fa_cursor c0 = {0};
    c0.t = t0;
    fa_iter it;
    fa_iter_init(&it, sc, &c0);
    double strides = 0, dist = 0, dur[FA_NACT] = {0};
    int ninst = 0, pieces = 0;
    for (double t = t0 + H; t <= t1; t += H) {
        int r;
        while ((r = fa_iter_next(&it, t, &v, &err)) == 1) {
            CHECK(v.t0 >= t - H && v.t0 + v.dur <= t);
            strides += v.strides;
            dist += v.distance;
            dur[v.act] += v.dur;
            ninst += v.dur == 0;
            pieces++;
        }
        CHECK(r == 0 && it.cur.t == t);
    }
    /* weeks 52 (base) + 53, 54 (care): 15 runs of 2,550 strides */
    CHECK_REL(strides, 15 * 2550.0, 1e-12);
    CHECK_REL(dist, 15 * 5400.0, 1e-12);
    CHECK(ninst == 14); /* hydrate daily in the care phase */
    double tot = 0;
    for (int a = 0; a < FA_NACT; a++) tot += dur[a];
    CHECK(tot == t1 - t0);
    CHECK(dur[FA_ACT_MOVE_BREAK] == 10 * 15 * 180.0);
    CHECK(dur[FA_ACT_YOGA_YIN] == 2 * H);
    /* odd steps (3601 s) give the same totals; pieces split at step ends */
    fa_iter_init(&it, sc, &c0);
    double s2 = 0, d2[FA_NACT] = {0};
    int r;
    for (double t = t0 + 3601; ; t += 3601) {
        double te = t < t1 ? t : t1;
        while ((r = fa_iter_next(&it, te, &v, &err)) == 1) {
            s2 += v.strides;
            d2[v.act] += v.dur;
        }
        if (te == t1) break;
    }
    CHECK_REL(s2, strides, 1e-12);
    CHECK_REL(d2[FA_ACT_SIT_SLUMPED], dur[FA_ACT_SIT_SLUMPED], 1e-12);
    /* resume from a saved cursor anywhere (between instants too) gives the same tail */
    c0.t = t0 = 52 * 7 * D;
    fa_iter_init(&it, sc, &c0);
    fa_interval ref[4096];
    int nref = 0;
    while (nref < 4096 && fa_iter_next(&it, t0 + 3 * D, &ref[nref], &err) == 1) nref++;
    CHECK(nref > 100 && nref < 4096);
    fa_rng rng;
    fa_rng_seed(&rng, 42);
    for (int trial = 0; trial < 40; trial++) {
        int k = (int)(fa_rng_uniform(&rng) * nref);
        fa_iter a;
        fa_iter_init(&a, sc, &c0);
        for (int i = 0; i < k; i++) fa_iter_next(&a, t0 + 3 * D, &v, &err);
        fa_cursor saved = a.cur;
        fa_iter b;
        fa_iter_init(&b, sc, &saved);
        int same = 1;
        for (int i = k; i < nref; i++) {
            if (fa_iter_next(&b, t0 + 3 * D, &v, &err) != 1 || memcmp(&v, &ref[i], sizeof v)) same = 0;
        }
        CHECK_MSG(same, "resume at piece %d differs", k);
    }
    /* end of the scenario */
    fa_cursor ce = {0};
    ce.t = fa_scenario_end(sc) - 10;
    fa_iter_init(&it, sc, &ce);
    CHECK(fa_iter_next(&it, 1e12, &v, &err) == 1 && v.dur == 10);
    CHECK(fa_iter_next(&it, 1e12, &v, &err) == 0);
    fa_scenario_free(sc);
}

static void imported_runs(void)
{
    const char *txt = "start: 2026-03-02\ndays: 7\nschedule:\n  - daily 22:00 sleep 8 h\n"
                      "runs:\n  - file: runs/equator.gpx\n  - file: runs/device.tcx\n    day: 6\n    at: '18:15'\n    cadence: 176\n";
    fa_scenario *sc = NULL;
    fa_error err;
    CHECK(fa_scenario_parse(txt, strlen(txt), "tests/scenario/imports.yaml", &sc, &err) == FA_OK);
    if (!sc) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    fa_interval iv[FA_SC_MAX_DAYSEG];
    fa_day_info info;
    /* equator.gpx starts 2026-03-04T07:00Z: day index 2 at 07:00 */
    int n = day(sc, NULL, 2, iv, &info);
    int k = -1;
    for (int i = 0; i < n; i++)
        if (iv[i].act == FA_ACT_RUN) k = i;
    CHECK(k >= 0);
    if (k >= 0) {
        CHECK(iv[k].source == FA_SRC_IMPORT && iv[k].t0 == 2 * D + 7 * H && iv[k].dur == 3000);
        CHECK_REL(iv[k].distance, FA_EARTH_RADIUS * 0.1 * 3.14159265358979323846 / 180, 1e-12);
        CHECK(iv[k].hr == 145 && iv[k].cadence == 171.3);
        CHECK_REL(iv[k].strides, 171.3 / 2 * 50, 1e-14);
    }
    n = day(sc, NULL, 5, iv, &info);
    k = -1;
    for (int i = 0; i < n; i++)
        if (iv[i].act == FA_ACT_RUN) k = i;
    CHECK(k >= 0 && iv[k].t0 == 5 * D + 18.25 * H && iv[k].distance == 5000 && iv[k].cadence == 176);
    fa_scenario_free(sc);
}

static fa_model *region_model(int with_hip)
{
    fa_model sz;
    memset(&sz, 0, sizeof sz);
    sz.nregion = with_hip ? 5 : 3;
    sz.nnamechar = 64;
    fa_model *m = fa_model_alloc(&sz);
    if (!m) return NULL;
    memcpy(m->names, "lateral_thigh\0neck\0knee_l\0posterior_hip\0low_back\0", 49);
    m->region_name[0] = 0;
    m->region_name[1] = 14;
    m->region_name[2] = 19;
    if (with_hip) m->region_name[3] = 26, m->region_name[4] = 40;
    return m;
}

static void regions(void)
{
    fa_model *m = region_model(1), *m3 = region_model(0);
    CHECK(m && m3);
    if (!m || !m3) return;
    fa_error err;
    const char *ok[] = {"fleshman", "fleshman:rule", "dewey", "immobilised-then-rehab", "desk-runner"};
    for (int i = 0; i < 5; i++) {
        fa_scenario *sc = builtin(ok[i]);
        CHECK_MSG(sc && fa_scenario_check_regions(sc, m, &err) == FA_OK, "%s: %s", ok[i], err.msg);
        fa_scenario_free(sc);
    }
    fa_scenario *sc = builtin("dewey"); /* pigeon targets posterior_hip */
    CHECK(sc && fa_scenario_check_regions(sc, m3, &err) == FA_ERR_UNKNOWN);
    CHECK_MSG(strstr(err.msg, "unknown region 'posterior_hip' in an entry") && err.line > 0, "%s", err.msg);
    fa_scenario_free(sc);
    const char *txt = "schedule:\n  - daily 22:00 sleep 8 h\nevents:\n  - day 3 injury ankle_r 0.3\n";
    CHECK(fa_scenario_parse(txt, strlen(txt), "r.yaml", &sc, &err) == FA_OK);
    CHECK(fa_scenario_check_regions(sc, m, &err) == FA_ERR_UNKNOWN);
    CHECK_MSG(!strcmp(err.msg, "r.yaml:4: unknown region 'ankle_r' in an event (the body has 5 regions, e.g. lateral_thigh)"), "%s", err.msg);
    fa_scenario_free(sc);
    fa_model_free(m);
    fa_model_free(m3);
}

/* FNV-1a over the exact bits of every interval of every day of the default
 * scenario. The expansion uses exact arithmetic only, so the value is the
 * same on every platform and build (release, ASan); it changes only when
 * desk-runner.yaml or the expansion rules change, and then deliberately. */
static void golden(void)
{
    fa_scenario *sc = builtin("desk-runner");
    if (!sc) return;
    uint64_t h = 1469598103934665603ULL;
    fa_interval iv[FA_SC_MAX_DAYSEG];
    fa_day_info info;
    long total = 0;
    for (int d = 0; d < sc->ndays; d++) {
        int n = day(sc, NULL, d, iv, &info);
        for (int i = 0; i < n; i++) {
            double f[6] = {iv[i].t0, iv[i].dur, iv[i].strides, iv[i].distance, iv[i].bout_t0, iv[i].bout_dur};
            int k[3] = {iv[i].act, iv[i].cont, iv[i].source};
            const unsigned char *p = (const unsigned char *)f;
            for (size_t b = 0; b < sizeof f; b++) h = (h ^ p[b]) * 1099511628211ULL;
            p = (const unsigned char *)k;
            for (size_t b = 0; b < sizeof k; b++) h = (h ^ p[b]) * 1099511628211ULL;
        }
        total += n;
    }
    CHECK_MSG(total == GOLDEN_N && h == GOLDEN_HASH, "desk-runner timeline: %ld intervals, hash 0x%016llx", total,
              (unsigned long long)h);
    fa_scenario_free(sc);
}

static void identity(void)
{
    fa_scenario *a = builtin("desk-runner"), *b = builtin("desk-runner"), *c = builtin("fleshman");
    fa_scenario *v1 = builtin("yin-vs-flow:yin"), *v2 = builtin("yin-vs-flow:flow"), *f = NULL;
    fa_error err;
    CHECK(fa_scenario_load("data/scenarios/desk-runner.yaml", &f, &err) == FA_OK);
    if (!a || !b || !c || !v1 || !v2 || !f) return;
    CHECK(fa_scenario_hash(a) == fa_scenario_hash(b));
    CHECK(fa_scenario_hash(a) == fa_scenario_hash(f)); /* built-in or file: same content */
    CHECK(fa_scenario_hash(a) != fa_scenario_hash(c));
    CHECK(fa_scenario_hash(v1) != fa_scenario_hash(v2));
    /* a cursor taken on desk-runner resumes there but not on fleshman */
    fa_iter it;
    fa_interval v;
    fa_iter_init(&it, a, NULL);
    CHECK(it.cur.scenario == fa_scenario_hash(a));
    CHECK(fa_iter_next(&it, 3 * D, &v, &err) == 1);
    fa_cursor saved = it.cur;
    fa_iter_init(&it, f, &saved);
    CHECK(fa_iter_next(&it, 3 * D, &v, &err) == 1);
    fa_iter_init(&it, c, &saved);
    CHECK(fa_iter_next(&it, 3 * D, &v, &err) == -1 && strstr(err.msg, "another scenario"));
    /* an unbound cursor (scenario 0) is bound by init */
    saved.scenario = 0;
    fa_iter_init(&it, c, &saved);
    CHECK(fa_iter_next(&it, 3 * D, &v, &err) == 1 && it.cur.scenario == fa_scenario_hash(c));
    fa_scenario_free(a);
    fa_scenario_free(b);
    fa_scenario_free(c);
    fa_scenario_free(v1);
    fa_scenario_free(v2);
    fa_scenario_free(f);
}

static void capacity(void)
{
    fa_error err;
    fa_scenario *sc = NULL;
    fa_interval iv[FA_SC_MAX_DAYSEG];
    fa_day_info info;
    int n = -1;
    const char *ok = "days: 1\nschedule:\n  - 06:00-22:00 sit_slumped\n  - 06:00-22:00 move_break 1 min every 10 min\n";
    CHECK(fa_scenario_parse(ok, strlen(ok), "cap.yaml", &sc, &err) == FA_OK);
    CHECK(fa_expand_day(sc, NULL, 0, iv, FA_SC_MAX_DAYSEG, &n, &info, &err) == FA_OK);
    CHECK(n == 2 + 96 * 2 && tiles(iv, n, 0) && count(iv, n, FA_ACT_MOVE_BREAK, NULL) == 96);
    fa_scenario_free(sc);
    const char *many = "days: 1\nschedule:\n  - 06:00-22:00 sit_slumped\n  - 06:00-22:00 move_break 1 min every 2 min\n";
    CHECK(fa_scenario_parse(many, strlen(many), "cap.yaml", &sc, &err) == FA_OK);
    CHECK(fa_expand_day(sc, NULL, 0, iv, FA_SC_MAX_DAYSEG, &n, &info, &err) == FA_ERR_RANGE && n == 0);
    CHECK(strstr(err.msg, "day 1 has more intervals than fit (256") != NULL);
    fa_scenario_free(sc);
}

int main(void)
{
    capacity();
    identity();
    golden();
    regions();
    desk_runner_week3_tuesday();
    all_builtins_tile();
    rest_blocks_and_events();
    rules_fire();
    rules_until_healed();
    iterator();
    imported_runs();
    TEST_MAIN_END();
}
