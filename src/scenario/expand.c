/* SPDX-License-Identifier: MIT */
/* Schedule expansion: scenario + fired rules -> one day's intervals.
 *
 * A day is painted in precedence order onto a strip [0, 86400) s that starts
 * as the idle activity: base schedule < phase entries < events < rule entries
 * < imported runs; within a level, the previous day's bouts (which may run
 * past midnight) before the day's own, then file order. A later paint cuts
 * whatever lies under it, so "10:00 move_break 5 min" interrupts a desk bout
 * and a race on a Saturday pre-empts the usual Saturday run at that time.
 * Instant activities (hydrate) do not paint; they split the strip at their
 * time and are listed before the piece that starts there.
 * Everything is integer-free floating arithmetic on whole seconds in
 * practice, so the expansion is exact and deterministic. */
#include <math.h>
#include <string.h>

#include "internal.h"

#define DAY 86400.0
#define MAXSEG 512

typedef struct seg {
    double a, b;       /* s within the day */
    int entry;         /* -1 idle */
    double bout_a;     /* s relative to this day's midnight (may be < 0) */
    double bout_dur;
    int cont;
} seg;

static int prio(int owner)
{
    switch (owner) {
    case FA_OWN_BASE: return 1;
    case FA_OWN_PHASE: return 2;
    case FA_OWN_EVENT: return 3;
    case FA_OWN_RULE_OFF:
    case FA_OWN_RULE_AFTER: return 4;
    default: return 5;
    }
}

static int phase_of_day(const fa_scenario *sc, int day)
{
    int week = day / 7 + 1;
    for (int p = 0; p < sc->nphase; p++)
        if (week >= sc->phase[p].week0 && week <= sc->phase[p].week1) return p;
    return -1;
}

int fa_trigger_end(const fa_scenario *sc, const fa_trigger *t)
{
    const fa_rule *r = &sc->rule[t->rule];
    return r->until_healed ? t->end : t->day + r->off_days;
}

/* Is entry e scheduled on day dd (before suppression)? */
static int entry_on(const fa_scenario *sc, const fa_cursor *cur, const fa_entry *e, int dd, int phase)
{
    if (dd < 0 || dd >= sc->ndays) return 0;
    int wd = (sc->start_weekday + dd) % 7;
    if (!(e->days & (1u << wd))) return 0;
    if (e->day0 >= 0 && (dd < e->day0 || dd > e->day1)) return 0;
    switch (e->owner) {
    case FA_OWN_BASE:
        if (phase >= 0 && (sc->phase[phase].replace || (sc->phase[phase].remove & (1ull << e->proto.act)))) return 0;
        return 1;
    case FA_OWN_PHASE: return phase == e->owner_index;
    case FA_OWN_RULE_OFF:
    case FA_OWN_RULE_AFTER: {
        if (!cur) return 0;
        const fa_rule *r = &sc->rule[e->owner_index];
        for (int k = 0; k < cur->ntrig; k++) {
            if (cur->trig[k].rule != e->owner_index) continue;
            int a = cur->trig[k].day, b = fa_trigger_end(sc, &cur->trig[k]);
            if (e->owner == FA_OWN_RULE_AFTER) {
                if (b == FA_TRIG_OPEN) continue; /* still off: the after entries wait for the release */
                a = b;
                b = a + r->after_days;
            }
            if (dd >= a && dd < b) return 1;
        }
        return 0;
    }
    default: return 1;
    }
}

/* Activities suppressed on day dd by "no" blocks and fired rules. */
static uint64_t suppressed(const fa_scenario *sc, const fa_cursor *cur, int dd)
{
    uint64_t m = 0;
    for (int b = 0; b < sc->nblock; b++)
        if (sc->block[b].kind == FA_BLOCK_NO && dd >= sc->block[b].day0 && dd <= sc->block[b].day1) m |= sc->block[b].mask;
    if (cur)
        for (int k = 0; k < cur->ntrig; k++) {
            const fa_rule *r = &sc->rule[cur->trig[k].rule];
            if (dd >= cur->trig[k].day && dd < fa_trigger_end(sc, &cur->trig[k])) m |= r->off;
        }
    return m;
}

static int paint(seg *s, int n, seg x, int *cut)
{
    seg tmp[MAXSEG];
    int m = 0;
    int placed = 0;
    for (int i = 0; i < n; i++) {
        if (s[i].b <= x.a || s[i].a >= x.b) {
            if (!placed && s[i].a >= x.b) {
                if (m >= MAXSEG) return -1;
                tmp[m++] = x;
                placed = 1;
            }
            if (m >= MAXSEG) return -1;
            tmp[m++] = s[i];
            continue;
        }
        if (s[i].entry >= 0) (*cut)++;
        if (s[i].a < x.a) {
            if (m >= MAXSEG) return -1;
            tmp[m] = s[i];
            tmp[m].b = x.a;
            m++;
        }
        if (!placed) {
            if (m >= MAXSEG) return -1;
            tmp[m++] = x;
            placed = 1;
        }
        if (s[i].b > x.b) {
            if (m >= MAXSEG) return -1;
            tmp[m] = s[i];
            tmp[m].a = x.b;
            tmp[m].cont = 0; /* the hold was interrupted */
            m++;
        }
    }
    if (!placed) {
        if (m >= MAXSEG) return -1;
        tmp[m++] = x;
    }
    memcpy(s, tmp, (size_t)m * sizeof *s);
    return m;
}

typedef struct inst {
    double t;
    int entry;
} inst;

static void fill(const fa_scenario *sc, int day, const seg *s, fa_interval *o)
{
    double base = day * DAY;
    if (s->entry >= 0) {
        const fa_entry *e = &sc->entry[s->entry];
        *o = e->proto;
        static const int src[] = {FA_SRC_SCHEDULE, FA_SRC_PHASE, FA_SRC_EVENT, FA_SRC_RULE, FA_SRC_RULE, FA_SRC_IMPORT};
        o->source = src[e->owner];
        o->line = e->line;
    } else {
        const fa_activity_info *ai = fa_activity_get(sc->idle);
        memset(o, 0, sizeof *o);
        o->act = sc->idle;
        o->hold = ai->hold;
        o->temp = ai->temp;
        o->pressure = ai->pressure;
        o->intensity = 1.0;
        o->hr = NAN;
        o->source = FA_SRC_IDLE;
        o->line = 0;
    }
    o->t0 = base + s->a;
    o->dur = s->b - s->a;
    o->day = day;
    o->cont = s->cont;
    o->bout_t0 = base + s->bout_a;
    o->bout_dur = s->bout_dur;
    o->strides = o->cadence * 0.5 * o->dur / 60.0;
    o->distance = o->speed * o->dur;
}

fa_status fa_expand_day(const fa_scenario *sc, const fa_cursor *cur, int day, fa_interval *out, int cap, int *n,
                        fa_day_info *info, fa_error *err)
{
    if (!sc || !out || !n) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_expand_day: NULL argument");
    *n = 0;
    if (day < 0 || day >= sc->ndays)
        return fa_error_set(err, FA_ERR_RANGE, sc->file, 0, 0, "expected a day within 1-%d, found %d", sc->ndays, day + 1);
    seg s[MAXSEG];
    int ns = 1, cut = 0;
    s[0] = (seg){0.0, DAY, -1, 0.0, DAY, 0};
    inst ins[MAXSEG];
    int ni = 0;
    int phase_d = phase_of_day(sc, day), phase_p = day > 0 ? phase_of_day(sc, day - 1) : -1;
    uint64_t sup_d = suppressed(sc, cur, day), sup_p = day > 0 ? suppressed(sc, cur, day - 1) : 0;
    for (int pr = 1; pr <= 5; pr++) {
        for (int dd = day - 1; dd <= day; dd++) {
            if (dd < 0) continue;
            int phase = dd == day ? phase_d : phase_p;
            uint64_t sup = dd == day ? sup_d : sup_p;
            double off = (dd - day) * DAY;
            for (int ei = 0; ei < sc->nentry; ei++) {
                const fa_entry *e = &sc->entry[ei];
                if (prio(e->owner) != pr) continue;
                if (sup & (1ull << e->proto.act)) continue;
                if (!entry_on(sc, cur, e, dd, phase)) continue;
                double dur = e->proto.dur;
                int nb = e->every > 0 ? (int)ceil((e->until - e->start) / e->every) : 1;
                for (int k = 0; k < nb; k++) {
                    double a = off + e->start + k * e->every;
                    if (e->every > 0 && e->start + k * e->every >= e->until) break;
                    if (dur == 0) {
                        if (dd == day && a >= 0 && a < DAY) {
                            if (ni >= MAXSEG) goto full;
                            ins[ni++] = (inst){a, ei};
                        }
                        continue;
                    }
                    double b = a + dur;
                    if (b <= 0 || a >= DAY) continue;
                    seg x = {a < 0 ? 0 : a, b > DAY ? DAY : b, ei, a, dur, a < 0};
                    ns = paint(s, ns, x, &cut);
                    if (ns < 0) goto full;
                }
            }
        }
    }
    /* merge neighbouring idle pieces */
    {
        int m = 0;
        for (int i = 0; i < ns; i++) {
            if (m > 0 && s[i].entry < 0 && s[m - 1].entry < 0 && s[m - 1].b == s[i].a) {
                s[m - 1].b = s[i].b;
                continue;
            }
            s[m++] = s[i];
        }
        ns = m;
        for (int i = 0; i < ns; i++)
            if (s[i].entry < 0) {
                s[i].bout_a = s[i].a;
                s[i].bout_dur = s[i].b - s[i].a;
                s[i].cont = 0;
            }
    }
    /* stable sort instants by time (insertion sort keeps file order at equal t) */
    for (int i = 1; i < ni; i++) {
        inst v = ins[i];
        int j = i - 1;
        while (j >= 0 && ins[j].t > v.t) {
            ins[j + 1] = ins[j];
            j--;
        }
        ins[j + 1] = v;
    }
    /* emit: pieces split at instant times, instants before the piece at their t */
    {
        int k = 0, m = 0;
        for (int i = 0; i < ns; i++) {
            seg p = s[i];
            for (;;) {
                while (k < ni && ins[k].t <= p.a) {
                    if (m >= cap) goto full;
                    seg z = {ins[k].t, ins[k].t, ins[k].entry, ins[k].t, 0.0, 0};
                    fill(sc, day, &z, &out[m++]);
                    k++;
                }
                if (k < ni && ins[k].t < p.b) {
                    seg left = p;
                    left.b = ins[k].t;
                    if (m >= cap) goto full;
                    fill(sc, day, &left, &out[m++]);
                    p.a = ins[k].t;
                    p.cont = 1;
                    continue;
                }
                break;
            }
            if (m >= cap) goto full;
            fill(sc, day, &p, &out[m++]);
        }
        *n = m;
    }
    if (info) {
        memset(info, 0, sizeof *info);
        info->day = day;
        info->weekday = (sc->start_weekday + day) % 7;
        info->week = day / 7 + 1;
        info->phase = phase_d;
        info->noverride = cut;
        for (int b = 0; b < sc->nblock; b++) {
            const fa_block *bl = &sc->block[b];
            if (day < bl->day0 || day > bl->day1) continue;
            if (bl->kind == FA_BLOCK_IMMOBILISE && info->nimmob < 8) info->immob_block[info->nimmob++] = b;
            if (bl->kind == FA_BLOCK_INJURY && day == bl->day0 && info->ninjury < 8) info->injury_block[info->ninjury++] = b;
            if (bl->kind == FA_BLOCK_CHANGE && day == bl->day0 && info->nchange < 8) info->change_block[info->nchange++] = b;
        }
    }
    return FA_OK;
full:
    *n = 0;
    return fa_error_set(err, FA_ERR_RANGE, sc->file, 0, 0,
                        "day %d has more intervals than fit (%d; at most %d bouts are painted): use fewer or longer bouts",
                        day + 1, cap < MAXSEG ? cap : MAXSEG, MAXSEG);
}

double fa_scenario_end(const fa_scenario *sc) { return sc ? sc->ndays * DAY : 0.0; }

uint64_t fa_scenario_hash(const fa_scenario *sc)
{
    uint64_t h = FA_FNV_OFFSET;
    h = fa_fnv1a(h, &sc->ndays, sizeof sc->ndays);
    h = fa_fnv1a(h, &sc->start_weekday, sizeof sc->start_weekday);
    h = fa_fnv1a(h, &sc->start_date, sizeof sc->start_date);
    h = fa_fnv1a(h, &sc->idle, sizeof sc->idle);
    h = fa_fnv1a(h, &sc->default_cadence, sizeof sc->default_cadence);
    h = fa_fnv1a(h, &sc->person, sizeof sc->person);
    h = fa_fnv1a(h, &sc->nentry, sizeof sc->nentry);
    h = fa_fnv1a(h, sc->entry, (size_t)sc->nentry * sizeof sc->entry[0]);
    h = fa_fnv1a(h, &sc->nphase, sizeof sc->nphase);
    h = fa_fnv1a(h, sc->phase, (size_t)sc->nphase * sizeof sc->phase[0]);
    h = fa_fnv1a(h, &sc->nblock, sizeof sc->nblock);
    h = fa_fnv1a(h, sc->block, (size_t)sc->nblock * sizeof sc->block[0]);
    h = fa_fnv1a(h, &sc->nrule, sizeof sc->nrule);
    h = fa_fnv1a(h, sc->rule, (size_t)sc->nrule * sizeof sc->rule[0]);
    h = fa_fnv1a(h, &sc->variant, sizeof sc->variant);
    return h ? h : 1; /* 0 means "unbound" in a cursor */
}

void fa_iter_init(fa_iter *it, const fa_scenario *sc, const fa_cursor *cur)
{
    memset(it, 0, sizeof *it);
    it->sc = sc;
    if (cur) it->cur = *cur;
    it->day = -1;
    it->hash = fa_scenario_hash(sc);
    if (it->cur.scenario == 0) it->cur.scenario = it->hash;
}

int fa_iter_next(fa_iter *it, double t_end, fa_interval *out, fa_error *err)
{
    const fa_scenario *sc = it->sc;
    double end = fa_scenario_end(sc);
    if (t_end < end) end = t_end;
    if (it->cur.scenario != it->hash) {
        fa_error_set(err, FA_ERR_ARG, sc->file, 0, 0,
                     "expected a cursor of this scenario, found one of another scenario (hash %016llx, this one %016llx)",
                     (unsigned long long)it->cur.scenario, (unsigned long long)it->hash);
        return -1;
    }
    double t = it->cur.t;
    if (!(t < end)) return 0;
    int day = (int)floor(t / DAY);
    if (day != it->day) {
        fa_status st = fa_expand_day(sc, &it->cur, day, it->seg, FA_SC_MAX_DAYSEG, &it->nseg, &it->info, err);
        if (st) return -1;
        it->day = day;
    }
    int skipped = 0;
    for (int i = 0; i < it->nseg; i++) {
        const fa_interval *s = &it->seg[i];
        if (s->dur == 0) {
            if (s->t0 != t) continue;
            if (skipped < it->cur.inst) {
                skipped++;
                continue;
            }
            *out = *s;
            it->cur.inst++;
            return 1;
        }
        double se = s->t0 + s->dur;
        if (se <= t) continue;
        double pe = se < end ? se : end;
        *out = *s;
        if (t > s->t0) out->cont = 1;
        out->t0 = t;
        out->dur = pe - t;
        out->strides = out->cadence * 0.5 * out->dur / 60.0;
        out->distance = out->speed * out->dur;
        it->cur.t = pe;
        it->cur.inst = 0;
        return 1;
    }
    /* floating t not covered: cannot happen as pieces tile the day */
    fa_error_set(err, FA_ERR_NUMERIC, sc->file, 0, 0, "timeline does not cover t = %.17g s", t);
    return -1;
}

fa_status fa_iter_trigger(fa_iter *it, int rule, int day, fa_error *err)
{
    const fa_scenario *sc = it->sc;
    if (rule < 0 || rule >= sc->nrule)
        return fa_error_set(err, FA_ERR_ARG, sc->file, 0, 0, "expected a rule index 0-%d, found %d", sc->nrule - 1, rule);
    int today = (int)floor(it->cur.t / DAY);
    if (day < today || day >= sc->ndays)
        return fa_error_set(err, FA_ERR_RANGE, sc->file, 0, 0, "expected a trigger day within %d-%d, found %d", today + 1,
                            sc->ndays, day + 1);
    const fa_rule *r = &sc->rule[rule];
    for (int k = 0; k < it->cur.ntrig; k++) {
        const fa_trigger *t = &it->cur.trig[k];
        /* in force: inside its off window (or the same day for a rule without one) */
        int end = r->until_healed ? t->end : t->day + (r->off_days > 0 ? r->off_days : 1);
        if (t->rule == rule && day >= t->day && day < (end > t->day ? end : t->day + 1)) return FA_OK;
    }
    if (it->cur.ntrig >= FA_SC_MAX_TRIG)
        return fa_error_set(err, FA_ERR_RANGE, sc->file, 0, 0, "expected at most %d rule firings, found more", FA_SC_MAX_TRIG);
    it->cur.trig[it->cur.ntrig++] = (fa_trigger){rule, day, r->until_healed ? FA_TRIG_OPEN : 0};
    it->day = -1; /* re-expand */
    return FA_OK;
}

fa_status fa_iter_release(fa_iter *it, int rule, int day, fa_error *err)
{
    const fa_scenario *sc = it->sc;
    if (rule < 0 || rule >= sc->nrule)
        return fa_error_set(err, FA_ERR_ARG, sc->file, 0, 0, "expected a rule index 0-%d, found %d", sc->nrule - 1, rule);
    const fa_rule *r = &sc->rule[rule];
    if (!r->until_healed)
        return fa_error_set(err, FA_ERR_ARG, sc->file, r->line, 0,
                            "rule '%s': expected a rule with 'until: healed' to release, found one with off_days", r->name);
    int k = it->cur.ntrig - 1;
    while (k >= 0 && it->cur.trig[k].rule != rule) k--;
    if (k < 0 || it->cur.trig[k].end != FA_TRIG_OPEN)
        return fa_error_set(err, FA_ERR_ARG, sc->file, r->line, 0, "rule '%s': expected an open off window to release, found none",
                            r->name);
    int today = (int)floor(it->cur.t / DAY);
    if (day < today || day <= it->cur.trig[k].day)
        return fa_error_set(err, FA_ERR_RANGE, sc->file, r->line, 0,
                            "rule '%s': expected a first day back after day %d and not before day %d, found day %d", r->name,
                            it->cur.trig[k].day + 1, today + 1, day + 1);
    it->cur.trig[k].end = day;
    it->day = -1; /* re-expand */
    return FA_OK;
}

static fa_status region_known(const fa_scenario *sc, const fa_model *m, const char *region, int line, const char *what,
                              fa_error *err)
{
    if (!region[0] || fa_model_find(m, "region", region) >= 0) return FA_OK;
    return fa_error_set(err, FA_ERR_UNKNOWN, sc->file, line, 0, "unknown region '%s' in %s (the body has %d regions%s%s)",
                        region, what, m->nregion, m->nregion ? ", e.g. " : "",
                        m->nregion ? fa_model_name(m, m->region_name[0]) : "");
}

fa_status fa_scenario_check_regions(const fa_scenario *sc, const fa_model *m, fa_error *err)
{
    fa_status st;
    for (int i = 0; i < sc->nentry; i++)
        if ((st = region_known(sc, m, sc->entry[i].proto.region, sc->entry[i].line, "an entry", err))) return st;
    for (int b = 0; b < sc->nblock; b++) {
        const fa_block *bl = &sc->block[b];
        if (bl->kind != FA_BLOCK_IMMOBILISE && bl->kind != FA_BLOCK_INJURY) continue;
        if ((st = region_known(sc, m, bl->region, bl->line, "an event", err))) return st;
    }
    for (int r = 0; r < sc->nrule; r++)
        if ((st = region_known(sc, m, sc->rule[r].region, sc->rule[r].line, "a rule", err))) return st;
    return FA_OK;
}
