/* SPDX-License-Identifier: MIT */
/* Running and ranking the plans.
 *
 * Every plan is played by the life runner with the same definition over the
 * same horizon. From each run: the goal value; the region metrics at the end
 * (compared with the baseline run's, they name the state changes the plan
 * caused); the physiology modules' state fields (compared with the
 * baseline's, they name the modules the plan acted through). The noise floor
 * is measured, not assumed: the baseline is re-run with a four times
 * tighter mechanics-cache tolerance, and the change of the goal value is
 * the size of effect the runner's main approximation can produce by itself. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/advise.h"
#include "fascia/physio.h"

fa_advise_def fa_default_advise_def(void)
{
    fa_advise_def d;
    memset(&d, 0, sizeof d);
    d.noise_run = 1;
    d.life = fa_default_life_def();
    return d;
}

fa_advise_report *fa_advise_report_alloc(void)
{
    return (fa_advise_report *)calloc(1, sizeof(fa_advise_report));
}
void fa_advise_report_free(fa_advise_report *rep)
{
    free(rep);
}

/* ------------------------------------------------------------ module grades */

/* Module name -> prefix of its parameter ids in data/params/physiology.csv. */
static const char *param_prefix(const char *module)
{
    static const char *map[][2] = {
        {"temperature", "temp"},  {"hydration", "hyd"}, {"adhesion", "adh"},    {"remodel", "rem"},
        {"myofibroblast", "myo"}, {"damage", "dmg"},    {"sensation", "sense"}, {"strength", "str"},
        {"compensation", "comp"}, {"habitual", "stim"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], module)) return map[i][1];
    return module;
}

static void module_grades(fa_advise_report *rep, const fa_physio_params *p)
{
    int nm = fa_physio_nmodule();
    if (nm > 16) nm = 16;
    rep->nmodule = nm;
    memset(rep->mgrade, 0, sizeof rep->mgrade);
    if (!p) return;
    for (int k = 0; k < nm; k++) {
        const char *pre = param_prefix(fa_physio_module_name(k));
        size_t l = strlen(pre);
        for (int i = 0; i < fa_physio_params_count(p); i++) {
            const char *id = fa_physio_params_id(p, i);
            if (strncmp(id, pre, l) || id[l] != '.') continue;
            char gr = fa_physio_params_grade(p, i);
            if (gr >= 'A' && gr <= 'C') rep->mgrade[k].n[gr - 'A']++;
        }
    }
}

/* ------------------------------------------------------------- one run */

typedef struct snap {
    int nreg;
    double *metric; /* nregion x FA_LIFE_NMETRIC, at the end */
    double *field;  /* every module field, concatenated */
    int nfield_tot;
} snap;

static int field_rows(const fa_model *m, fa_physio_field_info fi)
{
    return fi.on_interfaces ? m->nintf : m->nelem;
}

static int snap_size(const fa_model *m)
{
    int tot = 0;
    for (int k = 0; k < fa_physio_nmodule(); k++)
        for (int f = 0; f < fa_physio_nfield(k); f++)
            tot += field_rows(m, fa_physio_field(k, f));
    return tot;
}

static int snap_take(const fa_model *m, const fa_life *L, snap *s)
{
    s->nreg = m->nregion;
    s->nfield_tot = snap_size(m);
    s->metric =
        (double *)malloc((size_t)(m->nregion > 0 ? m->nregion : 1) * FA_LIFE_NMETRIC * sizeof(double));
    s->field = (double *)malloc((size_t)(s->nfield_tot > 0 ? s->nfield_tot : 1) * sizeof(double));
    if (!s->metric || !s->field) return -1;
    int last = fa_life_day(L) - 1;
    for (int r = 0; r < m->nregion; r++)
        for (int k = 0; k < FA_LIFE_NMETRIC; k++)
            s->metric[r * FA_LIFE_NMETRIC + k] = fa_life_record(L, last, r, k);
    const fa_data *d = fa_life_data(L);
    int at = 0;
    for (int k = 0; k < fa_physio_nmodule(); k++)
        for (int f = 0; f < fa_physio_nfield(k); f++) {
            fa_physio_field_info fi = fa_physio_field(k, f);
            int rows = field_rows(m, fi);
            const double *v = fa_physio_state_const(m, d, fi.name);
            for (int i = 0; i < rows; i++)
                s->field[at + i] = v ? v[i] : 0.0;
            at += rows;
        }
    return 0;
}

static void snap_free(snap *s)
{
    free(s->metric);
    free(s->field);
    memset(s, 0, sizeof *s);
}

/* Goal value of a finished run. */
static fa_status goal_value(fa_life *L, const fa_advise_goal *g, double *v, fa_error *err)
{
    *v = NAN;
    switch (g->kind) {
    case FA_GOAL_DAYS_OFF:
        *v = fa_life_get_stats(L).days_off_running;
        return FA_OK;
    case FA_GOAL_INJURIES: {
        int n = 0;
        for (int i = 0; i < fa_life_nevent(L); i++)
            if (fa_life_event_at(L, i)->kind == FA_LEV_INJURY) n++;
        *v = n;
        return FA_OK;
    }
    case FA_GOAL_ITB_ENERGY:
        return fa_life_itb_energy(L, NULL, v, NULL, err);
    default:
        break;
    }
    int last = fa_life_day(L) - 1, first = last - 6 < 0 ? 0 : last - 6;
    double s = 0.0;
    int n = 0;
    for (int day = first; day <= last; day++) {
        double x = fa_life_record(L, day, g->region_index, g->metric);
        if (isfinite(x)) {
            s += x;
            n++;
        }
    }
    if (!n)
        return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                            "goal %s: region '%s' has no element that metric '%s' applies to", g->text,
                            g->region, fa_life_metric_name(g->metric));
    *v = s / n;
    return FA_OK;
}

typedef struct prog {
    const fa_advise_def *def;
    int plan, nplan;
} prog;

static int day_cb(const fa_life *L, void *user)
{
    prog *p = (prog *)user;
    return p->def->progress(p->plan, p->nplan, fa_life_day(L), fa_life_ndays(L), p->def->user);
}

static fa_status run_one(const fa_model *m, const fa_scenario *sc, const fa_advise_goal *g,
                         const fa_advise_def *def, int ndays, double tol, prog *pg, double *value, snap *s,
                         int *days_off, int *injuries, fa_error *err)
{
    fa_life_def ld = def->life;
    ld.ndays = ndays;
    ld.mech_tol = tol;
    fa_life *L = NULL;
    fa_status st = fa_life_create(m, sc, &ld, &L, err);
    if (!st) st = fa_life_run(L, ndays, def->progress ? day_cb : NULL, pg, err);
    if (!st && fa_life_day(L) < ndays)
        st = fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "stopped at day %d of %d", fa_life_day(L), ndays);
    if (!st) st = goal_value(L, g, value, err);
    if (!st && s && snap_take(m, L, s)) st = fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!st) {
        fa_life_stats S = fa_life_get_stats(L);
        int n = 0;
        for (int i = 0; i < fa_life_nevent(L); i++)
            if (fa_life_event_at(L, i)->kind == FA_LEV_INJURY) n++;
        *days_off = S.days_off_running;
        *injuries = n;
    }
    fa_life_free(L);
    return st;
}

/* --------------------------------------------------------- explanations */

static int top_region(const char *name)
{
    if (strchr(name, '.')) return 0;
    size_t l = strlen(name);
    if (l > 2 && name[l - 2] == '_' && (name[l - 1] == 'l' || name[l - 1] == 'r')) return 0;
    return 1;
}

/* Change score comparable across metrics (as the runner's summary: relative
 * for figures whose healthy value is 1, absolute for drift, adhesion and
 * damage, pain per 10 points). */
static double change_score(int k, double a, double b)
{
    if (!isfinite(a) || !isfinite(b)) return 0.0;
    switch (k) {
    case FA_LM_rest_drift:
    case FA_LM_adhesion:
    case FA_LM_damage:
        return fabs(b - a);
    case FA_LM_pain:
        return fabs(b - a) / 10.0;
    default:
        return a != 0.0 ? fabs(b - a) / fabs(a) : fabs(b - a);
    }
}

static void explain(const fa_model *m, const fa_advise_goal *g, const snap *base, const snap *plan,
                    fa_advise_result *r)
{
    r->nchange = 0;
    for (int reg = 0; reg < m->nregion; reg++) {
        const char *name = m->names + m->region_name[reg];
        if (!top_region(name)) continue;
        for (int k = 0; k < FA_LIFE_NMETRIC; k++) {
            double a = base->metric[reg * FA_LIFE_NMETRIC + k], b = plan->metric[reg * FA_LIFE_NMETRIC + k];
            double sc = change_score(k, a, b);
            if (!(sc > 1e-9)) continue;
            int pos = r->nchange;
            while (pos > 0) {
                const fa_advise_change *c = &r->change[pos - 1];
                if (change_score(c->metric, c->base, c->plan) >= sc) break;
                pos--;
            }
            if (pos >= FA_ADV_NCHANGE) continue;
            int last = r->nchange < FA_ADV_NCHANGE ? r->nchange : FA_ADV_NCHANGE - 1;
            for (int j = last; j > pos; j--)
                r->change[j] = r->change[j - 1];
            fa_advise_change *c = &r->change[pos];
            snprintf(c->region, sizeof c->region, "%s", name);
            c->metric = k;
            c->base = a;
            c->plan = b;
            if (r->nchange < FA_ADV_NCHANGE) r->nchange++;
        }
    }
    /* modules: summed absolute change of each field over its summed magnitude, largest field;
     * for a region goal only over the goal region's elements (the modules that moved where the
     * goal is measured: whole-body sums let a field that is near zero almost everywhere, such as
     * pain, crowd out the mechanism acting on the goal) */
    unsigned char *in = NULL;
    if (g && g->kind == FA_GOAL_METRIC && g->region_index >= 0 && g->region_index < m->nregion &&
        (in = (unsigned char *)calloc((size_t)(m->nelem > 0 ? m->nelem : 1), 1)) != NULL) {
        int ra = m->region_adr[g->region_index], rn = m->region_num[g->region_index];
        for (int q = 0; q < rn; q++) {
            int e = m->region_elem[ra + q];
            if (e >= 0 && e < m->nelem) in[e] = 1;
        }
    }
    r->nmodule = 0;
    int at = 0, ie0 = m->ncord + m->nmem;
    for (int k = 0; k < fa_physio_nmodule(); k++) {
        double best = 0.0;
        for (int f = 0; f < fa_physio_nfield(k); f++) {
            fa_physio_field_info fi = fa_physio_field(k, f);
            int rows = field_rows(m, fi);
            double num = 0.0, den = 0.0;
            for (int i = 0; i < rows; i++) {
                if (in && !in[fi.on_interfaces ? ie0 + i : i]) continue;
                num += fabs(plan->field[at + i] - base->field[at + i]);
                den += fabs(base->field[at + i]);
            }
            at += rows;
            double rel = den > 0.0 ? num / den : num;
            if (rel > best) best = rel;
        }
        if (!(best > 1e-9)) continue;
        int pos = r->nmodule;
        while (pos > 0 && r->module_change[pos - 1] < best)
            pos--;
        if (pos >= FA_ADV_NMODULE) continue;
        int last = r->nmodule < FA_ADV_NMODULE ? r->nmodule : FA_ADV_NMODULE - 1;
        for (int j = last; j > pos; j--) {
            r->module[j] = r->module[j - 1];
            r->module_change[j] = r->module_change[j - 1];
        }
        r->module[pos] = k;
        r->module_change[pos] = best;
        if (r->nmodule < FA_ADV_NMODULE) r->nmodule++;
    }    free(in);
}

static int selected(const char *only, const char *name)
{
    if (!only || !strcmp(name, "baseline")) return 1;
    size_t l = strlen(name);
    for (const char *s = only; *s;) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == l && !strncmp(s, name, l)) return 1;
        if (!e) break;
        s = e + 1;
    }
    return 0;
}

fa_status fa_advise_run(const fa_model *m, const fa_scenario *sc, const fa_advise_goal *g,
                        const fa_advise_def *def, fa_advise_report *rep, fa_error *err)
{
    memset(rep, 0, sizeof *rep);
    rep->goal = *g;
    if (g->kind == FA_GOAL_METRIC && g->region_index < 0) {
        rep->goal.region_index = fa_model_find(m, "region", g->region);
        if (rep->goal.region_index < 0)
            return fa_error_set(err, FA_ERR_UNKNOWN, NULL, 0, 0, "goal %s: unknown region '%s'", g->text,
                                g->region);
    }
    g = &rep->goal;
    snprintf(rep->scenario, sizeof rep->scenario, "%s", sc->name);
    int ndays = def->ndays > 0 ? def->ndays : FA_ADV_DEFAULT_DAYS;
    if (ndays > sc->ndays) ndays = sc->ndays;
    rep->ndays = ndays;
    double tol = def->life.mech_tol > 0.0 ? def->life.mech_tol : 0.01;

    fa_error e2;
    fa_physio_params *pp = fa_physio_params_default(&e2);
    module_grades(rep, def->life.params ? def->life.params : pp);
    fa_physio_params_free(pp);

    fa_advise_plan *plans = (fa_advise_plan *)malloc(FA_ADV_MAX_PLAN * sizeof *plans);
    if (!plans) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "out of memory");
    int np = fa_advise_plans(sc, g, ndays, plans, FA_ADV_MAX_PLAN), nrun = 0;
    /* every name in def->only must be a plan */
    for (const char *s = def->only; s && *s;) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        int found = 0;
        for (int i = 0; i < np && !found; i++)
            found = strlen(plans[i].name) == n && !strncmp(plans[i].name, s, n);
        if (!found) {
            char list[FA_ADV_MAX_PLAN * 20] = "";
            for (int i = 0; i < np; i++) {
                size_t l = strlen(list);
                snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", plans[i].name);
            }
            fa_error_set(err, FA_ERR_UNKNOWN, NULL, 0, 0, "unknown plan '%.*s' (expected one of: %s)", (int)n,
                         s, list);
            free(plans);
            return FA_ERR_UNKNOWN;
        }
        if (!e) break;
        s = e + 1;
    }
    for (int i = 0; i < np; i++)
        nrun += selected(def->only, plans[i].name);
    if (def->noise_run) nrun++;

    fa_status st = FA_OK;
    snap base;
    memset(&base, 0, sizeof base);
    prog pg = {def, 0, nrun};
    int irun = 0;
    for (int i = 0; i < np && !st; i++) {
        if (!selected(def->only, plans[i].name)) continue;
        fa_advise_result *r = &rep->r[rep->nresult];
        memset(r, 0, sizeof *r);
        r->plan = plans[i];
        const fa_activity_info *ai = fa_activity_get(plans[i].act >= 0 ? plans[i].act : FA_ACT_TIME_OFF);
        r->grade = plans[i].kind == FA_PLAN_BASELINE ? '-' : ai->grade;
        fa_scenario *psc = NULL;
        st = fa_advise_apply(sc, &plans[i], &psc, err);
        if (st) break;
        r->cost = fa_advise_minutes_per_week(sc, psc, plans[i].act, ndays);
        snap s;
        memset(&s, 0, sizeof s);
        pg.plan = irun++;
        st = run_one(m, psc, g, def, ndays, tol, &pg, &r->value, &s, &r->days_off, &r->injuries, err);
        fa_scenario_free(psc);
        if (st) {
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", err->msg);
            fa_error_set(err, st, NULL, 0, 0, "plan %s: %s", plans[i].name, msg);
            snap_free(&s);
            break;
        }
        if (plans[i].kind == FA_PLAN_BASELINE) {
            rep->baseline = r->value;
            base = s;
        } else {
            explain(m, g, &base, &s, r);
            snap_free(&s);
        }
        rep->nresult++;
    }
    if (!st && def->noise_run) {
        double v2 = NAN;
        int d0, i0;
        pg.plan = irun++;
        st = run_one(m, sc, g, def, ndays, tol * 0.25, &pg, &v2, NULL, &d0, &i0, err);
        if (st) {
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", err->msg);
            fa_error_set(err, st, NULL, 0, 0, "noise run: %s", msg);
        } else {
            rep->noise_floor = fabs(v2 - rep->baseline);
        }
    }
    /* round-off floor: differences below this are not effects of anything */
    double ro = 1e-9 * fmax(1.0, fabs(rep->baseline));
    if (!(rep->noise_floor > ro)) rep->noise_floor = ro;
    snap_free(&base);
    free(plans);
    if (!st) fa_advise_rank(rep);
    return st;
}

/* ---------------------------------------------------------------- ranking */

static int cmp_result(const void *pa, const void *pb)
{
    const fa_advise_result *a = (const fa_advise_result *)pa, *b = (const fa_advise_result *)pb;
    double ba = a->noise ? 0.0 : a->benefit, bb = b->noise ? 0.0 : b->benefit;
    if (ba != bb) return ba > bb ? -1 : 1;
    double ca = isfinite(a->cost) ? a->cost : 1e300, cb = isfinite(b->cost) ? b->cost : 1e300;
    if (ca != cb) return ca < cb ? -1 : 1;
    if (a->plan.kind != b->plan.kind)
        return a->plan.kind == FA_PLAN_BASELINE ? -1 : (b->plan.kind == FA_PLAN_BASELINE ? 1 : 0);
    return strcmp(a->plan.name, b->plan.name);
}

void fa_advise_rank(fa_advise_report *rep)
{
    int better = rep->goal.better ? rep->goal.better : -1;
    for (int i = 0; i < rep->nresult; i++) {
        fa_advise_result *r = &rep->r[i];
        r->delta = r->value - rep->baseline;
        r->delta_pct = rep->baseline != 0.0 ? 100.0 * r->delta / fabs(rep->baseline) : NAN;
        r->benefit = better * r->delta;
        r->noise = !(fabs(r->delta) > rep->noise_floor);
    }
    qsort(rep->r, (size_t)rep->nresult, sizeof rep->r[0], cmp_result);
    for (int i = 0; i < rep->nresult; i++)
        rep->r[i].rank = i + 1;
}
