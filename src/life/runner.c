/* SPDX-License-Identifier: MIT */
/* The multi-rate runner: days of intervals -> stimuli -> physiology steps,
 * with rules, events and daily records.
 *
 * A day: invalidate drifted mechanics caches (fa_life_mech_check), apply
 * the scenario's injuries/immobilisations/changes of the day, then consume
 * the timeline in pieces of at most def.dt_max (pieces never cross an
 * activity change), one fa_physio_step per piece; after every step check
 * the rules (fire them through the scenario iterator, which re-plans the
 * rest of the timeline) and the pain/injury events; a new injury fires
 * the rules `when: injury REGION` whose region holds an injured element. At
 * the end of the day count a day off running when the plan (base schedule,
 * phases, events) had a run that day and none took place, record the
 * per-region metrics, and end the off window of every `until: healed` rule
 * whose return-to-run criterion holds (return_check). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "life/internal.h"
#include "life/stimparams.h"


static const char *const event_names[FA_LEV_COUNT] = {
#define FA_LEV_NAME_(e, name, doc) name,
    FA_LIFE_EVENTS(FA_LEV_NAME_)
#undef FA_LEV_NAME_
};

const char *fa_life_event_str(int kind)
{
    return (kind >= 0 && kind < FA_LEV_COUNT) ? event_names[kind] : "?";
}

static const char *const metric_names[FA_LIFE_NMETRIC] = {
#define FA_LM_NAME_(name, unit, doc) #name,
    FA_LIFE_METRICS(FA_LM_NAME_)
#undef FA_LM_NAME_
};
static const char *const metric_units[FA_LIFE_NMETRIC] = {
#define FA_LM_UNIT_(name, unit, doc) unit,
    FA_LIFE_METRICS(FA_LM_UNIT_)
#undef FA_LM_UNIT_
};

const char *fa_life_metric_name(int i) { return (i >= 0 && i < FA_LIFE_NMETRIC) ? metric_names[i] : "?"; }
const char *fa_life_metric_unit(int i) { return (i >= 0 && i < FA_LIFE_NMETRIC) ? metric_units[i] : "?"; }

fa_life_def fa_default_life_def(void)
{
    fa_life_def d;
    memset(&d, 0, sizeof d);
    d.dt_max = 3600.0;
    d.mech_tol = LP(MECH_TOL);
    d.mech_slots = 8;
    d.mech_xtol = 1e-5;
    d.drift_yield = -1.0; /* the damage module's elastic limit (dmg.eps_yield), set in fa_life_create */
    d.speed_bin = 0.1;
    d.pain_onset = LP(PAIN_ONSET);
    d.habitual_day = 1; /* set points from the reference person's ordinary day on this body (docs/running.md) */
    snprintf(d.itb_region, sizeof d.itb_region, "itb");
    return d;
}

void fa_life_region_metrics(const fa_model *m, const fa_data *d, int r, double out[FA_LIFE_NMETRIC])
{
    fa_data *dm = (fa_data *)(uintptr_t)d; /* fa_physio_state takes a mutable pointer; read only here */
    const double *frac = fa_physio_state(m, dm, "adhesion.frac");
    const double *pain = fa_physio_state(m, dm, "sensation.pain");
    double sum[FA_LIFE_NMETRIC] = {0};
    int nt = 0, ni = 0;
    double dmax = 0.0, pmax = 0.0;
    const int *el = m->region_elem + m->region_adr[r];
    for (int j = 0; j < m->region_num[r]; j++) {
        int e = el[j], loc;
        fa_kind k = fa_elem_kind(m, e, &loc);
        if (k == FA_CORD || k == FA_MEMBRANE) {
            nt++;
            sum[FA_LM_stiffness] += fa_tissue_scale(m, d, e);
            sum[FA_LM_hydration] += d->tis_hyd[e];
            sum[FA_LM_thickness] += d->tis_thick[e];
            sum[FA_LM_rest_drift] += d->tis_rest[e] - 1.0;
            sum[FA_LM_crosslink] += d->tis_xlink[e];
            sum[FA_LM_tone] += d->tis_tone[e];
            if (d->tis_damage[e] > dmax) dmax = d->tis_damage[e];
            if (pain && 10.0 * pain[e] > pmax) pmax = 10.0 * pain[e];
        } else if (k == FA_INTERFACE) {
            ni++;
            sum[FA_LM_glide] += d->intf_visc[loc] > 0.0 ? 1.0 / d->intf_visc[loc] : 0.0;
            sum[FA_LM_adhesion] += frac ? frac[loc] : 0.0;
        }
    }
    for (int k = 0; k < FA_LIFE_NMETRIC; k++) out[k] = NAN;
    if (nt > 0) {
        static const int tk[] = {FA_LM_stiffness, FA_LM_hydration, FA_LM_thickness, FA_LM_rest_drift, FA_LM_crosslink,
                                 FA_LM_tone};
        for (size_t i = 0; i < sizeof tk / sizeof tk[0]; i++) out[tk[i]] = sum[tk[i]] / nt;
        out[FA_LM_damage] = dmax;
        out[FA_LM_pain] = pmax;
    }
    if (ni > 0) {
        out[FA_LM_glide] = sum[FA_LM_glide] / ni;
        out[FA_LM_adhesion] = sum[FA_LM_adhesion] / ni;
    }
}

void fa_life_add_event(fa_life *L, int day, double t, int kind, const char *region, const char *name, double value)
{
    if (L->nevent >= FA_LIFE_MAXEVENT) {
        L->stats.events_dropped++;
        return;
    }
    fa_life_event *ev = &L->event[L->nevent++];
    memset(ev, 0, sizeof *ev);
    ev->day = day;
    ev->t = t;
    ev->kind = kind;
    snprintf(ev->region, sizeof ev->region, "%.*s", (int)sizeof ev->region - 1, region ? region : "");
    snprintf(ev->name, sizeof ev->name, "%.*s", (int)sizeof ev->name - 1, name ? name : "");
    ev->value = value;
}

static void record_day(fa_life *L, int row)
{
    const fa_model *m = L->m;
    for (int r = 0; r < m->nregion; r++)
        fa_life_region_metrics(m, L->d, r, L->rec + ((size_t)row * m->nregion + r) * FA_LIFE_NMETRIC);
}

double fa_life_record(const fa_life *L, int day, int r, int k)
{
    if (!L || day < -1 || day >= L->day || r < 0 || r >= L->m->nregion || k < 0 || k >= FA_LIFE_NMETRIC) return NAN;
    return L->rec[((size_t)(day + 1) * L->m->nregion + r) * FA_LIFE_NMETRIC + k];
}

/* Signal of a rule at a region: pain 0-10, irritation, damage (largest). */
static double signal_at(const fa_life *L, const char *signal, int r)
{
    const fa_model *m = L->m;
    const char *f = !strcmp(signal, "pain") ? "sensation.pain" : !strcmp(signal, "irritation") ? "sensation.irrit" : "tis_damage";
    const double *v = fa_physio_state(m, L->d, f);
    if (!v) return 0.0;
    double scale = !strcmp(signal, "pain") ? 10.0 : 1.0, x = 0.0;
    for (int j = 0; j < m->region_num[r]; j++) {
        int e = m->region_elem[m->region_adr[r] + j];
        if (e < m->ncord + m->nmem && scale * v[e] > x) x = scale * v[e];
    }
    return x;
}

static fa_status fire(fa_life *L, int i, int day, double t, double value, fa_error *err);

static fa_status check_rules(fa_life *L, int day, double t, fa_error *err)
{
    const fa_scenario *sc = L->sc;
    for (int i = 0; i < sc->nrule; i++) {
        const fa_rule *ru = &sc->rule[i];
        if (ru->injury) continue; /* fired by check_events */
        int r = fa_model_find(L->m, "region", ru->region);
        if (r < 0)
            return fa_error_set(err, FA_ERR_UNKNOWN, sc->file, ru->line, 0,
                                "rule '%s': expected a region of the body, found '%s'", ru->name, ru->region);
        double v = signal_at(L, ru->signal, r);
        int on = ru->ge ? v >= ru->threshold : v > ru->threshold;
        if (!on) continue;
        fa_status st = fire(L, i, day, t, v, err);
        if (st) return st;
    }
    return FA_OK;
}

/* Fire rule i on the day the timeline has reached (the next day when the
 * step ended at midnight); an event when it fired. */
static fa_status fire(fa_life *L, int i, int day, double t, double value, fa_error *err)
{
    int tday = (int)floor(L->it.cur.t / 86400.0);
    if (tday < day) tday = day;
    if (tday >= L->sc->ndays) return FA_OK;
    int n0 = L->it.cur.ntrig;
    fa_status st = fa_iter_trigger(&L->it, i, tday, err);
    if (st) return st;
    if (L->it.cur.ntrig > n0) fa_life_add_event(L, tday, t, FA_LEV_RULE, L->sc->rule[i].region, L->sc->rule[i].name, value);
    return FA_OK;
}

static fa_status check_events(fa_life *L, int day, double t, fa_error *err)
{
    const fa_model *m = L->m;
    for (int r = 0; r < m->nregion; r++) {
        double p = signal_at(L, "pain", r);
        const char *rn = fa_model_name(m, m->region_name[r]);
        if (!L->pain_on[r] && p >= L->def.pain_onset) {
            L->pain_on[r] = 1;
            fa_life_add_event(L, day, t, FA_LEV_PAIN_ONSET, rn, "", p);
        } else if (L->pain_on[r] && p < 0.5 * L->def.pain_onset) {
            L->pain_on[r] = 0;
            fa_life_add_event(L, day, t, FA_LEV_PAIN_RESOLVED, rn, "", p);
        }
    }
    /* new injuries: one event per region and step (the element of the
     * region's first new injury names it; value = largest damage; the
     * count of newly injured elements is in the name when > 1) */
    size_t mark = fa_arena_mark(L->d);
    int *cnt = (int *)fa_arena_alloc(L->d, (size_t)(m->nregion + 1) * sizeof(int));
    int *first = (int *)fa_arena_alloc(L->d, (size_t)(m->nregion + 1) * sizeof(int));
    double *dmax = (double *)fa_arena_alloc(L->d, (size_t)(m->nregion + 1) * sizeof(double));
    int *newe = (int *)fa_arena_alloc(L->d, (size_t)(m->ncord + m->nmem + 1) * sizeof(int));
    int nnew = 0;
    if (!cnt || !first || !dmax || !newe) {
        fa_arena_release(L->d, mark);
        return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "injury events: arena too small for %d regions", m->nregion);
    }
    for (int r = 0; r <= m->nregion; r++) {
        cnt[r] = 0;
        first[r] = -1;
        dmax[r] = 0.0;
    }
    for (int e = 0; e < m->ncord + m->nmem; e++) {
        int n = fa_physio_injuries(m, L->d, e);
        if (n <= (int)L->inj_seen[e]) continue;
        L->inj_seen[e] = n;
        newe[nnew++] = e;
        int reg = m->nregion; /* "no region" bucket */
        for (int r = 0; r < m->nregion && reg == m->nregion; r++)
            if (fa_life_region_has(m, r, e)) reg = r;
        if (first[reg] < 0) first[reg] = e;
        cnt[reg]++;
        if (L->d->tis_damage[e] > dmax[reg]) dmax[reg] = L->d->tis_damage[e];
    }
    for (int r = 0; r <= m->nregion; r++) {
        if (!cnt[r]) continue;
        int e = first[r], loc;
        char nm[48];
        const char *en = "";
        if (fa_elem_kind(m, e, &loc) == FA_CORD && m->cord_name[loc] >= 0) en = fa_model_name(m, m->cord_name[loc]);
        else en = fa_kind_str(fa_elem_kind(m, e, &loc));
        if (cnt[r] > 1) snprintf(nm, sizeof nm, "%.18s +%d", en, cnt[r] > 9999 ? 9999 : cnt[r] - 1);
        else snprintf(nm, sizeof nm, "%.31s", en);
        fa_life_add_event(L, day, t, FA_LEV_INJURY, r < m->nregion ? fa_model_name(m, m->region_name[r]) : "", nm,
                          dmax[r]);
    }
    /* rules `when: injury REGION`: an element of REGION newly injured (value: its largest damage) */
    fa_status st = FA_OK;
    for (int i = 0; i < L->sc->nrule && nnew > 0 && !st; i++) {
        const fa_rule *ru = &L->sc->rule[i];
        if (!ru->injury) continue;
        int r = fa_model_find(m, "region", ru->region);
        if (r < 0) {
            st = fa_error_set(err, FA_ERR_UNKNOWN, L->sc->file, ru->line, 0,
                              "rule '%s': expected a region of the body, found '%s'", ru->name, ru->region);
            break;
        }
        double v = -1.0;
        for (int j = 0; j < nnew; j++)
            if (fa_life_region_has(m, r, newe[j]) && L->d->tis_damage[newe[j]] > v) v = L->d->tis_damage[newe[j]];
        if (v >= 0.0) st = fire(L, i, day, t, v, err);
    }
    fa_arena_release(L->d, mark);
    return st;
}

/* Return to running: the open off window of an `until: healed` rule ends
 * (tomorrow is the first day back) when the rule region's day-end pain has
 * stayed below return.pain_max (a pain rule: its own threshold if lower) on each of
 * the last return.pain_days days of the window, and its largest damage is
 * below return.damage_frac x dmg.D_inj (data/life/parameters.csv). Read from
 * the daily records, so a resumed run decides the same. */
static fa_status return_check(fa_life *L, int day, fa_error *err)
{
    const fa_scenario *sc = L->sc;
    const fa_model *m = L->m;
    const double dinj = fa_physio_param(L->d, "dmg.D_inj");
    const int need = (int)LP(RETURN_DAYS);
    for (int k = 0; k < L->it.cur.ntrig; k++) {
        const fa_trigger *tg = &L->it.cur.trig[k];
        const fa_rule *ru = &sc->rule[tg->rule];
        if (!ru->until_healed || tg->end != FA_TRIG_OPEN || tg->day > day || day + 1 >= sc->ndays) continue;
        int r = fa_model_find(m, "region", ru->region);
        if (r < 0)
            return fa_error_set(err, FA_ERR_UNKNOWN, sc->file, ru->line, 0,
                                "rule '%s': expected a region of the body, found '%s'", ru->name, ru->region);
        double pmax = !strcmp(ru->signal, "pain") ? fmin(ru->threshold, LP(RETURN_PAIN)) : LP(RETURN_PAIN);
        if (day - tg->day + 1 < need) continue;
        int calm = 1;
        for (int d = day; d > day - need && calm; d--) calm = fa_life_record(L, d, r, FA_LM_pain) < pmax;
        double dmg = fa_life_record(L, day, r, FA_LM_damage);
        if (!calm || !(isfinite(dinj) && dmg < LP(RETURN_DAMAGE) * dinj)) continue;
        int rule = tg->rule, d0 = tg->day;
        fa_status st = fa_iter_release(&L->it, rule, day + 1, err);
        if (st) return st;
        fa_life_add_event(L, day, (day + 1) * 86400.0, FA_LEV_RETURN, ru->region, ru->name, (double)(day + 1 - d0));
    }
    return FA_OK;
}

/* Did the plan (base schedule, the day's phase, events, imports) have a run
 * on this day? Rules and "no" blocks are what take runs away. */
static int planned_run(const fa_scenario *sc, const fa_day_info *info, int day)
{
    const fa_phase *ph = info->phase >= 0 ? &sc->phase[info->phase] : NULL;
    for (int i = 0; i < sc->nentry; i++) {
        const fa_entry *en = &sc->entry[i];
        const fa_activity_info *A = fa_activity_get(en->proto.act);
        if (!A || !(A->flags & FA_ACTF_RUNNING)) continue;
        if (en->owner == FA_OWN_RULE_OFF || en->owner == FA_OWN_RULE_AFTER) continue;
        if (en->owner == FA_OWN_BASE && ph && (ph->replace || (ph->remove >> en->proto.act) & 1u)) continue;
        if (en->owner == FA_OWN_PHASE && en->owner_index != info->phase) continue;
        if (en->day0 >= 0 && (day < en->day0 || day > en->day1)) continue;
        if (!((en->days >> info->weekday) & 1u)) continue;
        return 1;
    }
    return 0;
}

static double person_water_ai(const fa_scenario *sc)
{
    return sc->person.sex == FA_SEX_MALE ? LP(WATER_AI_MALE) : LP(WATER_AI_FEMALE);
}

static double person_water_base(const fa_scenario *sc)
{
    for (int i = 0; i < sc->person.nparam; i++)
        if (!strcmp(sc->person.param_name[i], "water")) return sc->person.param_value[i];
    return LP(WATER_BASE);
}

static fa_status start_of_day(fa_life *L, int day, fa_error *err)
{
    const fa_scenario *sc = L->sc;
    const fa_model *m = L->m;
    fa_interval iv;
    /* make the iterator expand today (it->info) without consuming anything */
    if (L->it.day != day) {
        int n = 0;
        fa_status st = fa_expand_day(sc, &L->it.cur, day, L->it.seg, FA_SC_MAX_DAYSEG, &n, &L->it.info, err);
        if (st) return st;
        L->it.nseg = n;
        L->it.day = day;
    }
    (void)iv;
    const fa_day_info *info = &L->it.info;
    double t = day * 86400.0;
    for (int i = 0; i < info->ninjury; i++) {
        const fa_block *bl = &sc->block[info->injury_block[i]];
        int r = fa_model_find(m, "region", bl->region);
        if (r < 0)
            return fa_error_set(err, FA_ERR_UNKNOWN, sc->file, bl->line, 0,
                                "injury: expected a region of the body, found '%s'", bl->region);
        for (int j = 0; j < m->region_num[r]; j++) {
            int e = m->region_elem[m->region_adr[r] + j];
            if (e < m->ncord + m->nmem && L->d->tis_damage[e] < bl->severity) L->d->tis_damage[e] = bl->severity;
        }
        fa_life_add_event(L, day, t, FA_LEV_SCENARIO_INJURY, bl->region, "", bl->severity);
    }
    for (int i = 0; i < info->nimmob; i++) {
        const fa_block *bl = &sc->block[info->immob_block[i]];
        if (bl->day0 == day) fa_life_add_event(L, day, t, FA_LEV_IMMOBILISE, bl->region, "", (double)(bl->day1 - bl->day0 + 1));
    }
    for (int i = 0; i < info->nchange; i++) {
        const fa_block *bl = &sc->block[info->change_block[i]];
        fa_life_add_event(L, day, t, FA_LEV_CHANGE, "", bl->region, 0.0);
    }
    L->water = person_water_base(sc);
    return FA_OK;
}

fa_status fa_life_step_day(fa_life *L, fa_error *err)
{
    if (!L) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected a runner, found NULL");
    const int day = L->day;
    if (day >= L->ndays)
        return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "expected a day before %d, found %d (run complete)", L->ndays + 1,
                            day + 1);
    fa_life_mech_check(L);
    fa_status st = start_of_day(L, day, err);
    if (st) return st;
    const double t_day = (day + 1) * 86400.0;
    const double dtm = L->def.dt_max > 0.0 ? L->def.dt_max : 3600.0;
    int ran = 0;
    while (L->it.cur.t < t_day) {
        double t = L->it.cur.t;
        double t_end = (floor(t / dtm) + 1.0) * dtm;
        if (t_end > t_day) t_end = t_day;
        fa_interval iv;
        int r = fa_iter_next(&L->it, t_end, &iv, err);
        if (r < 0) return err ? err->code : FA_ERR_NUMERIC;
        if (r == 0) {
            if (L->it.cur.t < t_end) break; /* end of the scenario */
            continue;
        }
        L->stats.intervals++;
        const fa_activity_info *A = fa_activity_get(iv.act);
        if (iv.dur <= 0.0) {
            if (iv.act == FA_ACT_HYDRATE && iv.volume > 0.0) L->water += iv.volume / person_water_ai(L->sc);
            continue;
        }
        st = fa_life_build_stimulus(L, &iv, L->stim, err);
        if (st) return st;
        fa_physio_step(L->m, L->d, L->stim, iv.dur);
        L->stats.physio_steps++;
        if (A && (A->flags & FA_ACTF_RUNNING)) {
            ran = 1;
            L->stats.run_distance += iv.distance;
            L->stats.run_strides += iv.strides;
        }
        double tn = iv.t0 + iv.dur;
        st = check_rules(L, day, tn, err);
        if (st) return st;
        st = check_events(L, day, tn, err);
        if (st) return st;
    }
    if (planned_run(L->sc, &L->it.info, day) && !ran) L->stats.days_off_running++;
    L->stats.days_run += ran;
    L->day++;
    record_day(L, L->day);
    return return_check(L, day, err);
}

fa_status fa_life_run(fa_life *L, int day_end, fa_life_day_fn cb, void *user, fa_error *err)
{
    if (!L) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected a runner, found NULL");
    if (day_end <= 0 || day_end > L->ndays) day_end = L->ndays;
    while (L->day < day_end) {
        fa_status st = fa_life_step_day(L, err);
        if (st) return st;
        if (cb && cb(L, user)) break;
    }
    return FA_OK;
}

/* ITB elements: the region def.itb_region, else cords named *itb*. */
static int find_itb(fa_life *L)
{
    const fa_model *m = L->m;
    int r = L->def.itb_region[0] ? fa_model_find(m, "region", L->def.itb_region) : -1;
    L->itb_elem = (int *)calloc((size_t)(m->nelem > 0 ? m->nelem : 1), sizeof(int));
    if (!L->itb_elem) return -1;
    L->itb_n = 0;
    if (r >= 0) {
        for (int j = 0; j < m->region_num[r]; j++) L->itb_elem[L->itb_n++] = m->region_elem[m->region_adr[r] + j];
    } else {
        for (int i = 0; i < m->ncord; i++) {
            const char *n = fa_model_name(m, m->cord_name[i]);
            if (strstr(n, "itb") || strstr(n, "iliotibial")) L->itb_elem[L->itb_n++] = i;
        }
    }
    return 0;
}

static double first_run_speed(const fa_scenario *sc)
{
    for (int i = 0; i < sc->nentry; i++) {
        const fa_activity_info *A = fa_activity_get(sc->entry[i].proto.act);
        if (A && (A->flags & FA_ACTF_RUNNING) && sc->entry[i].proto.speed > 0.0) return sc->entry[i].proto.speed;
    }
    return 3.0;
}

static fa_status region_energy(fa_life *L, const char *motion, double speed, const int *el, int n, double *J,
                               double *peak, fa_error *err)
{
    fa_life_mech *c = NULL;
    fa_status st = fa_life_mech_get(L, 1, motion, speed, &c, err);
    if (st) return st;
    double s = 0.0, p = 0.0;
    for (int j = 0; j < n; j++) {
        s += c->energy[el[j]];
        if (c->strain_peak[el[j]] > p) p = c->strain_peak[el[j]];
    }
    if (J) *J = s;
    if (peak) *peak = p;
    return FA_OK;
}

fa_status fa_life_stride_energy(fa_life *L, const char *motion, double speed, const char *region, double *joule,
                                double *peak, fa_error *err)
{
    if (!region || !*region) return region_energy(L, motion, speed, L->itb_elem, L->itb_n, joule, peak, err);
    int r = fa_model_find(L->m, "region", region);
    if (r < 0) return fa_error_set(err, FA_ERR_UNKNOWN, NULL, 0, 0, "expected a region of the body, found '%s'", region);
    return region_energy(L, motion, speed, L->m->region_elem + L->m->region_adr[r], L->m->region_num[r], joule, peak,
                         err);
}

fa_status fa_life_itb_energy(fa_life *L, double *start_J, double *now_J, double *speed, fa_error *err)
{
    if (speed) *speed = L->itb_speed;
    if (start_J) *start_J = L->itb_start;
    if (now_J) {
        *now_J = NAN;
        if (L->itb_n > 0) {
            fa_life_mech_check(L);
            return region_energy(L, "running", L->itb_speed, L->itb_elem, L->itb_n, now_J, NULL, err);
        }
    }
    return FA_OK;
}

fa_status fa_life_create(const fa_model *m, const fa_scenario *sc, const fa_life_def *def, fa_life **out,
                         fa_error *err)
{
    *out = NULL;
    if (!m || !sc || !def) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected a model, a scenario and a definition");
    if (!def->kin.posture || !def->kin.gait || !def->kin.gait_pose)
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0,
                            "expected a kinematics provider (posture, gait, gait_pose) in the run definition, found none");
    fa_life *L = (fa_life *)calloc(1, sizeof *L);
    if (!L) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "runner");
    L->m = m;
    L->sc = sc;
    L->def = *def;
    L->ndays = def->ndays > 0 && def->ndays < sc->ndays ? def->ndays : sc->ndays;
    fa_status st = FA_OK;
    const fa_physio_params *p = def->params;
    if (!p) {
        L->own_params = fa_physio_params_default(err);
        if (!L->own_params) {
            st = err ? err->code : FA_ERR_IO;
            goto fail;
        }
        p = L->own_params;
    }
    L->d = fa_data_alloc(m, 0);
    L->md = fa_data_alloc(m, 0);
    L->stim = fa_stimulus_alloc(m);
    L->rec = (double *)calloc(((size_t)L->ndays + 1) * (size_t)(m->nregion > 0 ? m->nregion : 1) * FA_LIFE_NMETRIC,
                              sizeof(double));
    L->event = (fa_life_event *)calloc(FA_LIFE_MAXEVENT, sizeof(fa_life_event));
    L->pain_on = (unsigned char *)calloc((size_t)(m->nregion > 0 ? m->nregion : 1), 1);
    L->inj_seen = (double *)calloc((size_t)(m->nelem > 0 ? m->nelem : 1), sizeof(double));
    if (!L->d || !L->md || !L->stim || !L->rec || !L->event || !L->pain_on || !L->inj_seen) {
        st = fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "runner state for %d elements", m->nelem);
        goto fail;
    }
    st = fa_physio_init(m, L->d, p, err);
    if (st) goto fail;
    if (L->def.drift_yield < 0.0) {
        /* damaging strains decide their own staleness: above the elastic limit damage grows per
         * cycle and softens the element, which strains more; an energy-weighted mean hides it
         * (a year of desk-runner: quadriceps tendon pain 1.5/10 cached vs 9.6/10 re-solved daily) */
        double y = fa_physio_param(L->d, "dmg.eps_yield");
        L->def.drift_yield = isfinite(y) && y > 0.0 ? y : 0.0;
    }
    fa_iter_init(&L->it, sc, NULL);
    for (int e = 0; e < m->ncord + m->nmem; e++) L->inj_seen[e] = fa_physio_injuries(m, L->d, e);
    if (find_itb(L) || fa_life_skin_init(L)) {
        st = fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "runner");
        goto fail;
    }
    if (L->def.habitual_day) {
        st = fa_life_set_habitual(L, err); /* the set point: the reference person's ordinary day on this body */
        if (st) goto fail;
    }
    L->itb_speed = first_run_speed(sc);
    L->itb_start = NAN;
    if (L->itb_n > 0) {
        st = region_energy(L, "running", L->itb_speed, L->itb_elem, L->itb_n, &L->itb_start, NULL, err);
        if (st) goto fail;
    }
    record_day(L, 0);
    *out = L;
    return FA_OK;
fail:
    fa_life_free(L);
    return st ? st : FA_ERR_NOMEM;
}

void fa_life_free(fa_life *L)
{
    if (!L) return;
    for (int i = 0; i < L->nmech; i++) fa_life_mech_free(&L->mech[i]);
    fa_physio_params_free(L->own_params);
    fa_data_free(L->d);
    fa_data_free(L->md);
    fa_stimulus_free(L->stim);
    free(L->rec);
    free(L->event);
    free(L->pain_on);
    free(L->inj_seen);
    free(L->itb_elem);
    free(L->skin_body);
    free(L);
}

int fa_life_day(const fa_life *L) { return L ? L->day : 0; }
int fa_life_ndays(const fa_life *L) { return L ? L->ndays : 0; }
const fa_model *fa_life_model(const fa_life *L) { return L ? L->m : NULL; }
const fa_scenario *fa_life_scenario(const fa_life *L) { return L ? L->sc : NULL; }
const fa_data *fa_life_data(const fa_life *L) { return L ? L->d : NULL; }
fa_life_stats fa_life_get_stats(const fa_life *L)
{
    fa_life_stats s;
    memset(&s, 0, sizeof s);
    return L ? L->stats : s;
}
int fa_life_nevent(const fa_life *L) { return L ? L->nevent : 0; }
const fa_life_event *fa_life_event_at(const fa_life *L, int i)
{
    return (L && i >= 0 && i < L->nevent) ? &L->event[i] : NULL;
}
const fa_cursor *fa_life_cursor(const fa_life *L) { return L ? &L->it.cur : NULL; }
double fa_life_upright_habit(const fa_life *L) { return L ? L->upright : 0.0; }
