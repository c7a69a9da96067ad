/* SPDX-License-Identifier: MIT */
/* Care plans generated from a base scenario.
 *
 * Each plan adds schedule lines written exactly as in a scenario file; the
 * lines are parsed by the scenario reader (a one-entry scenario text) and
 * the resulting entries are appended to a copy of the base scenario as
 * events spanning every day, so they cut the base bouts under them (a
 * movement break interrupts the desk bout). Doses and frequencies are the
 * catalogue's defaults or the seed article's (docs/advise.md lists them);
 * times are fitted to the base schedule: breaks inside its sitting bouts,
 * rolling 5 min after its runs. A rest week is a "no training" block. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/advise.h"

static void hhmm(double s, char *buf, size_t n)
{
    int m = (int)floor(s / 60.0 + 0.5);
    snprintf(buf, n, "%02d:%02d", (m / 60) % 24, m % 60);
}

static void days_text(unsigned mask, char *buf, size_t n)
{
    static const char *wd[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    mask &= 0x7fu;
    if (mask == 0x7fu || mask == 0) {
        snprintf(buf, n, "daily");
        return;
    }
    buf[0] = 0;
    for (int i = 0; i < 7; i++)
        if (mask & (1u << i)) {
            size_t l = strlen(buf);
            snprintf(buf + l, n - l, "%s%s", l ? "," : "", wd[i]);
        }
}

static fa_advise_plan *add(fa_advise_plan *out, int *n, int cap, const char *name, const char *label,
                           int kind, int act)
{
    if (*n >= cap) return NULL;
    fa_advise_plan *p = &out[(*n)++];
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->label, sizeof p->label, "%s", label);
    p->kind = kind;
    p->act = act;
    p->rest_day0 = p->rest_day1 = -1;
    return p;
}

static void line(fa_advise_plan *p, const char *fmt, ...)
{
    if (!p || p->nline >= FA_ADV_MAX_LINE) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->line[p->nline++], sizeof p->line[0], fmt, ap);
    va_end(ap);
}

/* A region phrase for manual therapy: the goal region when there is one. */
static void target(const fa_advise_goal *g, const char *dflt, char *buf, size_t n)
{
    const char *r = g && g->kind == FA_GOAL_METRIC && g->region[0] ? g->region : dflt;
    if (r && r[0])
        snprintf(buf, n, " region %s", r);
    else
        buf[0] = 0;
}

int fa_advise_plans(const fa_scenario *sc, const fa_advise_goal *g, int ndays, fa_advise_plan *out, int cap)
{
    int n = 0;
    char d[64], t0[8], t1[8], rg[48], buf[128];
    add(out, &n, cap, "baseline", "the scenario as written", FA_PLAN_BASELINE, -1);

    /* movement breaks: 3 min every 30 min inside each base sitting bout of >= 1 h */
    fa_advise_plan *p = NULL;
    for (int i = 0; i < sc->nentry; i++) {
        const fa_entry *e = &sc->entry[i];
        if (e->owner != FA_OWN_BASE) continue;
        if (e->proto.act != FA_ACT_SIT_SLUMPED && e->proto.act != FA_ACT_SIT_UPRIGHT) continue;
        double len = e->every > 0 ? e->until - e->start : e->proto.dur;
        if (len < 3600.0 || e->start + len > 86400.0) continue;
        if (!p)
            p = add(out, &n, cap, "move_breaks", "3-min movement breaks every 30 min of sitting", FA_PLAN_ADD,
                    FA_ACT_MOVE_BREAK);
        days_text(e->days, d, sizeof d);
        hhmm(e->start + 1800.0, t0, sizeof t0);
        hhmm(e->start + len, t1, sizeof t1);
        snprintf(buf, sizeof buf, "%s %s-%s", d, t0, t1);
        line(p, "%s move_break 3 min every 30 min%s", buf, "");
    }

    p = add(out, &n, cap, "hydrate", "0.5 L of water every morning", FA_PLAN_ADD, FA_ACT_HYDRATE);
    line(p, "daily 06:45 hydrate 0.5 L");
    p = add(out, &n, cap, "stretch_30s", "daily 6-min lunge stretch, 30-s holds", FA_PLAN_ADD,
            FA_ACT_STRETCH);
    line(p, "daily 07:00 stretch 6 min pose lunge hold 30 s");
    p = add(out, &n, cap, "stretch_3min", "daily 6-min lunge stretch, 3-min holds", FA_PLAN_ADD,
            FA_ACT_STRETCH);
    line(p, "daily 07:00 stretch 6 min pose lunge hold 3 min");
    p = add(out, &n, cap, "yoga_yin", "weekly 60-min yin yoga (3-5 min holds)", FA_PLAN_ADD, FA_ACT_YOGA_YIN);
    line(p, "Wed 19:00 yoga_yin 60 min");
    p = add(out, &n, cap, "yoga_flow", "weekly 60-min flow yoga (quick progressions)", FA_PLAN_ADD,
            FA_ACT_YOGA_FLOW);
    line(p, "Wed 19:00 yoga_flow 60 min");
    p = add(out, &n, cap, "bath", "weekly warm Epsom bath, 20 min at 40 C", FA_PLAN_ADD, FA_ACT_BATH);
    line(p, "Sun 10:00 bath 20 min 40 C");

    /* foam rolling 5 min after the base runs (or daily in the evening) */
    unsigned rdays = 0;
    double rend = -1.0;
    for (int i = 0; i < sc->nentry; i++) {
        const fa_entry *e = &sc->entry[i];
        const fa_activity_info *ai = fa_activity_get(e->proto.act);
        if (e->owner != FA_OWN_BASE || !ai || !(ai->flags & FA_ACTF_RUNNING)) continue;
        rdays |= e->days;
        if (rend < 0.0) rend = e->start + e->proto.dur + 300.0;
    }
    if (rend < 0.0 || rend + 600.0 > 86400.0) {
        rdays = 0x7fu;
        rend = 19.0 * 3600.0;
    }
    days_text(rdays, d, sizeof d);
    hhmm(rend, t0, sizeof t0);
    snprintf(buf, sizeof buf, "%s %s", d, t0);
    target(g, "lateral_thigh", rg, sizeof rg);
    p = add(out, &n, cap, "foam_roll_4min", "sustained foam rolling, 4 min after each run", FA_PLAN_ADD,
            FA_ACT_FOAM_ROLL);
    line(p, "%s foam_roll 4 min%s", buf, rg);
    p = add(out, &n, cap, "foam_roll_1min", "sustained foam rolling, 1 min after each run", FA_PLAN_ADD,
            FA_ACT_FOAM_ROLL);
    line(p, "%s foam_roll 1 min%s", buf, rg);
    p = add(out, &n, cap, "foam_roll_quick", "quick foam-roller passes, 4 min after each run", FA_PLAN_ADD,
            FA_ACT_FOAM_ROLL_QUICK);
    line(p, "%s foam_roll_quick 4 min%s", buf, rg);

    target(g, NULL, rg, sizeof rg);
    p = add(out, &n, cap, "rolfing", "weekly 60-min Rolfing / deep manual therapy", FA_PLAN_ADD,
            FA_ACT_ROLFING);
    line(p, "Sat 11:00 rolfing 60 min%s", rg);
    p = add(out, &n, cap, "massage", "weekly 60-min fascial specialist massage", FA_PLAN_ADD, FA_ACT_MASSAGE);
    line(p, "Sat 14:00 massage 60 min%s", rg);
    p = add(out, &n, cap, "reeducation", "weekly 45-min Alexander/Feldenkrais lesson", FA_PLAN_ADD,
            FA_ACT_REEDUCATION);
    line(p, "Sun 17:00 movement_reeducation 45 min");
    p = add(out, &n, cap, "strength_hip", "gluteus medius/TFL strengthening, 20 min 3x/week", FA_PLAN_ADD,
            FA_ACT_STRENGTH_HIP);
    line(p, "Mon,Wed,Fri 16:30 strength_hip 20 min");
    p = add(out, &n, cap, "pigeon", "daily 45-min pigeon-pose hold (Dewey)", FA_PLAN_ADD, FA_ACT_PIGEON);
    line(p, "daily 21:00 pigeon 45 min");

    /* a rest week in the middle of the horizon (whole weeks when possible) */
    if (ndays >= 14) {
        p = add(out, &n, cap, "rest_week", "one week without training load mid-way", FA_PLAN_REST, -1);
        if (p) {
            p->rest_day0 = (ndays / 2 / 7) * 7;
            if (p->rest_day0 + 7 > ndays) p->rest_day0 = ndays - 7;
            p->rest_day1 = p->rest_day0 + 6;
        }
    }
    return n;
}

fa_status fa_advise_apply(const fa_scenario *base, const fa_advise_plan *p, fa_scenario **out, fa_error *err)
{
    *out = NULL;
    fa_scenario *sc = (fa_scenario *)malloc(sizeof *sc);
    if (!sc) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "plan %s: out of memory", p->name);
    memcpy(sc, base, sizeof *sc);
    for (int i = 0; i < p->nline; i++) {
        char text[256];
        int len = snprintf(text, sizeof text, "name: plan\ndays: 7\nschedule:\n  - \"%s\"\n", p->line[i]);
        fa_scenario *one = NULL;
        fa_error e2;
        fa_error_clear(&e2);
        fa_status st = fa_scenario_parse(text, (size_t)len, NULL, &one, &e2);
        if (st || !one || one->nentry != 1) {
            fa_scenario_free(one);
            fa_scenario_free(sc);
            return fa_error_set(err, st ? st : FA_ERR_SYNTAX, NULL, 0, 0, "plan %s: line '%s': %s", p->name,
                                p->line[i], e2.msg[0] ? e2.msg : "not one schedule entry");
        }
        if (sc->nentry >= FA_SC_MAX_ENTRY) {
            fa_scenario_free(one);
            fa_scenario_free(sc);
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "plan %s: the scenario already has %d entries",
                                p->name, FA_SC_MAX_ENTRY);
        }
        fa_entry e = one->entry[0];
        fa_scenario_free(one);
        e.owner = FA_OWN_EVENT;
        e.owner_index = -1;
        e.day0 = 0;
        e.day1 = sc->ndays - 1;
        e.line = e.col = 0;
        e.proto.line = 0;
        sc->entry[sc->nentry++] = e;
    }
    if (p->kind == FA_PLAN_REST) {
        if (sc->nblock >= FA_SC_MAX_BLOCK) {
            fa_scenario_free(sc);
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "plan %s: the scenario already has %d events",
                                p->name, FA_SC_MAX_BLOCK);
        }
        fa_block *b = &sc->block[sc->nblock++];
        memset(b, 0, sizeof *b);
        b->kind = FA_BLOCK_NO;
        b->day0 = p->rest_day0;
        b->day1 = p->rest_day1;
        for (int a = 0; a < FA_NACT; a++)
            if (fa_activity_get(a)->flags & FA_ACTF_TRAINING) b->mask |= 1ull << a;
    }
    *out = sc;
    return FA_OK;
}

static double act_seconds(const fa_scenario *sc, int act, int ndays, fa_interval *buf)
{
    double s = 0.0;
    if (ndays > sc->ndays) ndays = sc->ndays;
    for (int day = 0; day < ndays; day++) {
        int n = 0;
        fa_day_info info;
        fa_error err;
        fa_error_clear(&err);
        if (fa_expand_day(sc, NULL, day, buf, FA_SC_MAX_DAYSEG, &n, &info, &err) != FA_OK) continue;
        for (int i = 0; i < n; i++)
            if (buf[i].act == act) s += buf[i].dur;
    }
    return s;
}

double fa_advise_minutes_per_week(const fa_scenario *base, const fa_scenario *plan, int act, int ndays)
{
    if (act < 0 || ndays <= 0) return 0.0;
    fa_interval *buf = (fa_interval *)malloc(FA_SC_MAX_DAYSEG * sizeof *buf);
    if (!buf) return NAN;
    double s = act_seconds(plan, act, ndays, buf) - act_seconds(base, act, ndays, buf);
    free(buf);
    return s / 60.0 / (ndays / 7.0);
}
