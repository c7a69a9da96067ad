/* SPDX-License-Identifier: MIT */
/* Outputs of a run: timeseries.csv, events.csv, summary.json (each written
 * to a temporary file in the target folder, flushed, fsynced and renamed),
 * and the plain-text summary. Numbers use %.9g in files (round trip of the
 * figures shown is not needed for these reports; checkpoints are binary). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fascia/report.h"
#include "life/internal.h"

static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static void jnum(FILE *f, double x)
{
    if (isfinite(x)) fprintf(f, "%.9g", x);
    else fputs("null", f);
}

static void csv_str(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"') fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
}

static void csv_num(FILE *f, double x)
{
    if (isfinite(x)) fprintf(f, "%.9g", x);
}

/* Rest-length drift is a share of the element's length: it is weighed
 * against 1 %, the order of a fascial band's working strain in a stride
 * (peaks 1-3 %, docs/anatomy.md), so a band 0.2 % longer (which pulls about
 * 10 % less in the stride: docs/scenario-format.md, Dewey) counts like an
 * adhesion change of 0.2. */
#define REST_DRIFT_SCALE 0.01

/* A change score that is comparable across metrics (relative for figures
 * whose healthy value is 1, rest drift per percent of length, absolute for
 * adhesion and damage, pain per 10 points). */
static double change_score(int k, double a, double b)
{
    if (!isfinite(a) || !isfinite(b)) return 0.0;
    switch (k) {
    case FA_LM_rest_drift: return fabs(b - a) / REST_DRIFT_SCALE;
    case FA_LM_adhesion:
    case FA_LM_damage: return fabs(b - a);
    case FA_LM_pain: return fabs(b - a) / 10.0;
    case FA_LM_tone: return 0.0;
    default: return a != 0.0 ? fabs(b - a) / fabs(a) : fabs(b - a);
    }
}

typedef struct change {
    int r, k;
    double score;
} change;

/* The largest changes between the records of day0 and day1 (-1 = start). */
static int most_changed_between(const fa_life *L, int day0, int day1, change *top, int cap)
{
    const fa_model *m = L->m;
    int n = 0;
    for (int r = 0; r < m->nregion; r++)
        for (int k = 0; k < FA_LIFE_NMETRIC; k++) {
            double s = change_score(k, fa_life_record(L, day0, r, k), fa_life_record(L, day1, r, k));
            if (!(s > 0.0)) continue;
            int pos = n < cap ? n : cap;
            while (pos > 0 && top[pos - 1].score < s) pos--;
            if (pos >= cap) continue;
            int last = n < cap ? n : cap - 1;
            for (int j = last; j > pos; j--) top[j] = top[j - 1];
            top[pos] = (change){r, k, s};
            if (n < cap) n++;
        }
    return n;
}

static int most_changed(const fa_life *L, change *top, int cap) { return most_changed_between(L, -1, L->day - 1, top, cap); }

/* Phase p of the scenario as record days: the record before its first day
 * (*d0, -1 = start) and at the end of its last simulated day (*d1); 0 when
 * the phase has not begun within the simulated days. */
static int phase_days(const fa_life *L, int p, int *d0, int *d1)
{
    const fa_phase *ph = &L->sc->phase[p];
    int a = (ph->week0 - 1) * 7, b = ph->week1 * 7 - 1; /* 0-based days */
    if (a >= L->day) return 0;
    if (b > L->day - 1) b = L->day - 1;
    *d0 = a - 1;
    *d1 = b;
    return 1;
}

/* Only whole-body regions in the per-phase lists (as in the table). */
static int summary_region(const char *name);

static int most_changed_phase(const fa_life *L, int p, change *top, int cap)
{
    int d0, d1;
    if (!phase_days(L, p, &d0, &d1)) return 0;
    change all[64];
    int n = most_changed_between(L, d0, d1, all, 64), k = 0;
    for (int i = 0; i < n && k < cap; i++)
        if (summary_region(fa_model_name(L->m, L->m->region_name[all[i].r]))) top[k++] = all[i];
    return k;
}

/* Elements of a cached solve strained past their material's failure
 * strain (a sign that the body or the posture is unrealistic). */
static int overstrained(const fa_life *L, const fa_life_mech *c, double *maxs, int *emax)
{
    const fa_model *m = L->m;
    int n = 0;
    *maxs = 0.0;
    *emax = -1;
    for (int e = 0; e < m->ncord + m->nmem; e++) {
        int mat = e < m->ncord ? m->cord_mat[e] : m->mem_mat[e - m->ncord];
        double ef = (mat >= 0 && mat < m->nmat) ? m->mat_fail[mat] : 0.0;
        if (!(ef > 0.0)) continue;
        if (c->strain_peak[e] > ef) n++;
        if (c->strain_peak[e] > *maxs) {
            *maxs = c->strain_peak[e];
            *emax = e;
        }
    }
    return n;
}

static const char *elem_label(const fa_model *m, int e, char *buf, size_t cap)
{
    int loc;
    fa_kind k = fa_elem_kind(m, e, &loc);
    if (k == FA_CORD && m->cord_name[loc] >= 0) snprintf(buf, cap, "%s", fa_model_name(m, m->cord_name[loc]));
    else snprintf(buf, cap, "%s %d", fa_kind_str(k), loc);
    return buf;
}

static double person_mass(const fa_life *L)
{
    if (L->def.body_mass > 0.0) return L->def.body_mass;
    if (L->sc->person.mass > 0.0) return L->sc->person.mass;
    return NAN;
}

static int is_pain_or_injury(int k)
{
    return k == FA_LEV_PAIN_ONSET || k == FA_LEV_INJURY || k == FA_LEV_SCENARIO_INJURY;
}

fa_status fa_life_write_outputs(fa_life *L, const char *dir, fa_error *err)
{
    return fa_life_write_outputs_clinical(L, dir, NULL, 0, err);
}

fa_status fa_life_write_outputs_clinical(fa_life *L, const char *dir, const fa_life_clinical *clin, int nclin,
                                         fa_error *err)
{
    const fa_model *m = L->m;
    fa_status st = fa_outdir_create(dir, err);
    if (st) return st;
    char path[1024];
    fa_afile af;
    FILE *f;
    double e0, e1, v;
    st = fa_life_itb_energy(L, &e0, &e1, &v, err);
    if (st) return st;
    const double mass = person_mass(L);
    const fa_life_stats S = L->stats;

    /* timeseries.csv */
    snprintf(path, sizeof path, "%s/timeseries.csv", dir);
    if ((st = fa_afile_open(&af, path, err))) return st;
    f = af.f;
    fputs("day,t_s", f);
    for (int r = 0; r < m->nregion; r++)
        for (int k = 0; k < FA_LIFE_NMETRIC; k++) fprintf(f, ",%s.%s", fa_model_name(m, m->region_name[r]), fa_life_metric_name(k));
    fputc('\n', f);
    for (int day = -1; day < L->day; day++) {
        fprintf(f, "%d,%.9g", day + 1, (day + 1) * 86400.0);
        for (int r = 0; r < m->nregion; r++)
            for (int k = 0; k < FA_LIFE_NMETRIC; k++) {
                fputc(',', f);
                csv_num(f, fa_life_record(L, day, r, k));
            }
        fputc('\n', f);
    }
    if ((st = fa_afile_commit(&af, err))) return st;

    /* events.csv */
    snprintf(path, sizeof path, "%s/events.csv", dir);
    if ((st = fa_afile_open(&af, path, err))) return st;
    f = af.f;
    fputs("day,time_s,kind,region,name,value\n", f);
    for (int i = 0; i < L->nevent; i++) {
        const fa_life_event *ev = &L->event[i];
        fprintf(f, "%d,%.9g,%s,", ev->day + 1, ev->t, fa_life_event_str(ev->kind));
        csv_str(f, ev->region);
        fputc(',', f);
        csv_str(f, ev->name);
        fputc(',', f);
        csv_num(f, ev->value);
        fputc('\n', f);
    }
    if ((st = fa_afile_commit(&af, err))) return st;

    /* summary.json */
    snprintf(path, sizeof path, "%s/summary.json", dir);
    if ((st = fa_afile_open(&af, path, err))) return st;
    f = af.f;
    fputs("{\n  \"scenario\": ", f);
    jstr(f, L->sc->name);
    fputs(",\n  \"variant\": ", f);
    if (L->sc->variant >= 0) jstr(f, L->sc->variant_name[L->sc->variant]);
    else fputs("null", f);
    fprintf(f, ",\n  \"days\": %d,\n  \"days_simulated\": %d,\n  \"body\": {\"elements\": %d, \"regions\": %d, \"mass_kg\": ",
            L->ndays, L->day, m->nelem, m->nregion);
    jnum(f, mass);
    fputs("},\n  \"regions\": {", f);
    for (int r = 0; r < m->nregion; r++) {
        fprintf(f, "%s\n    ", r ? "," : "");
        jstr(f, fa_model_name(m, m->region_name[r]));
        fputs(": {", f);
        static const char *const when[2] = {"start", "end"};
        for (int w = 0; w < 2; w++) {
            fprintf(f, "%s\"%s\": {", w ? ", " : "", when[w]);
            for (int k = 0; k < FA_LIFE_NMETRIC; k++) {
                fprintf(f, "%s\"%s\": ", k ? ", " : "", fa_life_metric_name(k));
                jnum(f, fa_life_record(L, w ? L->day - 1 : -1, r, k));
            }
            fputc('}', f);
        }
        fputc('}', f);
    }
    fputs("\n  },\n  \"most_changed\": [", f);
    change top[8];
    int nt = most_changed(L, top, 8);
    for (int i = 0; i < nt; i++) {
        fprintf(f, "%s\n    {\"region\": ", i ? "," : "");
        jstr(f, fa_model_name(m, m->region_name[top[i].r]));
        fprintf(f, ", \"metric\": \"%s\", \"start\": ", fa_life_metric_name(top[i].k));
        jnum(f, fa_life_record(L, -1, top[i].r, top[i].k));
        fputs(", \"end\": ", f);
        jnum(f, fa_life_record(L, L->day - 1, top[i].r, top[i].k));
        fputs(", \"score\": ", f);
        jnum(f, top[i].score);
        fputc('}', f);
    }
    /* what changed in each phase of the scenario (the interventions of that
     * phase): the largest changes of whole-body regions over its days */
    fputs("\n  ],\n  \"phases\": [", f);
    for (int p = 0, first = 1; p < L->sc->nphase; p++) {
        int d0, d1;
        if (!phase_days(L, p, &d0, &d1)) continue;
        fprintf(f, "%s\n    {\"name\": ", first ? "" : ",");
        first = 0;
        jstr(f, L->sc->phase[p].name);
        fprintf(f, ", \"day_start\": %d, \"day_end\": %d, \"changed_most\": [", d0 + 2, d1 + 1);
        change pt[8];
        int np = most_changed_phase(L, p, pt, 8);
        for (int i = 0; i < np; i++) {
            fprintf(f, "%s{\"region\": ", i ? ", " : "");
            jstr(f, fa_model_name(m, m->region_name[pt[i].r]));
            fprintf(f, ", \"metric\": \"%s\", \"start\": ", fa_life_metric_name(pt[i].k));
            jnum(f, fa_life_record(L, d0, pt[i].r, pt[i].k));
            fputs(", \"end\": ", f);
            jnum(f, fa_life_record(L, d1, pt[i].r, pt[i].k));
            fputc('}', f);
        }
        fputs("]}", f);
    }
    fputs("\n  ],\n  \"events\": [", f);
    for (int pass = 0, first = 1; pass < 1; pass++)
        for (int i = 0; i < L->nevent; i++) {
            const fa_life_event *ev = &L->event[i];
            fprintf(f, "%s\n    {\"day\": %d, \"kind\": \"%s\", \"region\": ", first ? "" : ",", ev->day + 1,
                    fa_life_event_str(ev->kind));
            first = 0;
            jstr(f, ev->region);
            fputs(", \"name\": ", f);
            jstr(f, ev->name);
            fputs(", \"value\": ", f);
            jnum(f, ev->value);
            fputc('}', f);
        }
    fputs("\n  ],\n  \"pain_injury_events\": [", f);
    for (int i = 0, first = 1; i < L->nevent; i++) {
        const fa_life_event *ev = &L->event[i];
        if (!is_pain_or_injury(ev->kind)) continue;
        fprintf(f, "%s\n    {\"day\": %d, \"kind\": \"%s\", \"region\": ", first ? "" : ",", ev->day + 1,
                fa_life_event_str(ev->kind));
        first = 0;
        jstr(f, ev->region);
        fputs(", \"value\": ", f);
        jnum(f, ev->value);
        fputc('}', f);
    }
    fprintf(f, "\n  ],\n  \"days_off_running\": %d,\n  \"layoffs\": [", S.days_off_running);
    {
        /* off windows of `until: healed` rules: first and last day off (1-based), calendar days, still open */
        const fa_cursor *cur = fa_life_cursor(L);
        int first = 1;
        for (int k = 0; k < cur->ntrig; k++) {
            const fa_rule *ru = &L->sc->rule[cur->trig[k].rule];
            if (!ru->until_healed || cur->trig[k].day >= L->day) continue;
            int d0 = cur->trig[k].day, end = cur->trig[k].end, open = end == FA_TRIG_OPEN || end > L->day;
            int d1 = open ? L->day - 1 : end - 1;
            fprintf(f, "%s\n    {\"rule\": ", first ? "" : ",");
            jstr(f, ru->name);
            fprintf(f, ", \"first_day\": %d, \"last_day\": %d, \"days\": %d, \"open\": %s}", d0 + 1, d1 + 1, d1 - d0 + 1,
                    open ? "true" : "false");
            first = 0;
        }
    }
    fprintf(f, "\n  ],\n  \"days_run\": %d,\n  \"run_distance_m\": ", S.days_run);
    jnum(f, S.run_distance);
    fputs(",\n  \"run_strides_per_leg\": ", f);
    jnum(f, S.run_strides);
    fputs(",\n  \"itb_energy_per_stride\": {\"speed_m_s\": ", f);
    jnum(f, v);
    fputs(", \"start_J\": ", f);
    jnum(f, e0);
    fputs(", \"end_J\": ", f);
    jnum(f, e1);
    fputs(", \"start_J_per_kg\": ", f);
    jnum(f, e0 / mass);
    fputs(", \"end_J_per_kg\": ", f);
    jnum(f, e1 / mass);
    fputs("},\n  \"clinical\": [", f);
    for (int i = 0; i < nclin && clin; i++) {
        const fa_life_clinical *c = &clin[i];
        fprintf(f, "%s\n    {\"test\": ", i ? "," : "");
        jstr(f, c->test ? c->test : "");
        fputs(", \"unit\": ", f);
        jstr(f, c->unit ? c->unit : "");
        /* a value out of the test's range is a bound, never a number: null, with its side */
        fputs(", \"start\": ", f);
        jnum(f, c->start_beyond ? NAN : c->start);
        fputs(", \"end\": ", f);
        jnum(f, c->end_beyond ? NAN : c->end);
        fprintf(f, ", \"start_beyond\": %s, \"end_beyond\": %s",
                c->start_beyond > 0 ? "\">\"" : c->start_beyond < 0 ? "\"<\"" : "null",
                c->end_beyond > 0 ? "\">\"" : c->end_beyond < 0 ? "\"<\"" : "null");
        fputs(", \"start_bound\": ", f);
        jnum(f, c->start_beyond ? c->start : NAN);
        fputs(", \"end_bound\": ", f);
        jnum(f, c->end_beyond ? c->end : NAN);
        fputs(", \"norm_lo\": ", f);
        jnum(f, c->norm_lo);
        fputs(", \"norm_hi\": ", f);
        jnum(f, c->norm_hi);
        fprintf(f, ", \"grade\": \"%c\", \"day_start\": %d, \"day_end\": %d, \"start_reached\": %s, \"end_reached\": %s}",
                c->grade ? c->grade : '?', c->day_start, c->day_end, c->start_reached ? "true" : "false",
                c->end_reached ? "true" : "false");
    }
    fputs("\n  ],\n  \"mechanics\": [", f);
    for (int i = 0; i < L->nmech; i++) {
        const fa_life_mech *c = &L->mech[i];
        double mx;
        int em, n = overstrained(L, c, &mx, &em);
        char lab[96];
        fprintf(f, "%s\n    {\"%s\": ", i ? "," : "", c->kind ? "gait" : "posture");
        jstr(f, c->name);
        fputs(", \"speed_m_s\": ", f);
        jnum(f, c->speed);
        fprintf(f, ", \"converged\": %s, \"frames\": %d, \"elements_past_failure_strain\": %d, \"max_strain\": ",
                c->converged ? "true" : "false", c->nframe, n);
        jnum(f, mx);
        fputs(", \"max_strain_element\": ", f);
        jstr(f, em >= 0 ? elem_label(L->m, em, lab, sizeof lab) : "");
        fputc('}', f);
    }
    fprintf(f,
            "\n  ],\n  \"runner\": {\"physio_steps\": %ld, \"intervals\": %ld, \"posture_solves\": %d, \"stride_solves\": %d, "
            "\"cache_hits\": %ld, \"newton_iterations\": %ld, \"factorizations\": %ld, \"mech_failures\": %d, "
            "\"events_dropped\": %d}\n}\n",
            S.physio_steps, S.intervals, S.posture_solves, S.stride_solves, S.cache_hits, S.newton_iterations,
            S.factorizations, S.mech_failures, S.events_dropped);
    return fa_afile_commit(&af, err);
}

/* 1 for a whole-body reporting region: not a named structure ("structure.")
 * and not one side of a bilateral region ("_r"/"_l"). */
static int summary_region(const char *name)
{
    size_t n = strlen(name);
    if (!strncmp(name, "structure.", 10)) return 0;
    if (n > 2 && name[n - 2] == '_' && (name[n - 1] == 'r' || name[n - 1] == 'l')) return 0;
    return 1;
}

void fa_life_print_summary(fa_life *L, FILE *f) { fa_life_print_summary_clinical(L, f, NULL, 0); }

void fa_life_print_summary_clinical(fa_life *L, FILE *f, const fa_life_clinical *clin, int nclin)
{
    const fa_model *m = L->m;
    const fa_life_stats S = L->stats;
    fprintf(f, "fascia run: %s, %d of %d days\n\n", L->sc->name, L->day, L->ndays);
    /* the table shows whole-body regions; per-side regions and named structures
     * are in summary.json and timeseries.csv (shown here only when the body has
     * nothing else) */
    int nwhole = 0;
    for (int r = 0; r < m->nregion; r++) nwhole += summary_region(fa_model_name(m, m->region_name[r]));
    fprintf(f, "%-22s %-10s %10s %10s %9s\n", "region", "figure", "start", "end", "change");
    for (int r = 0; r < m->nregion; r++) {
        if (nwhole > 0 && !summary_region(fa_model_name(m, m->region_name[r]))) continue;
        for (int k = 0; k < FA_LIFE_NMETRIC; k++) {
            if (k == FA_LM_tone) continue;
            double a = fa_life_record(L, -1, r, k), b = fa_life_record(L, L->day - 1, r, k);
            if (!isfinite(a) || !isfinite(b)) continue;
            fprintf(f, "%-22s %-10s %10.4f %10.4f %+9.4f\n", k == 0 ? fa_model_name(m, m->region_name[r]) : "",
                    fa_life_metric_name(k), a, b, b - a);
        }
    }
    change top[5];
    int nt = most_changed(L, top, 5);
    fprintf(f, "\nchanged most:\n");
    for (int i = 0; i < nt; i++)
        fprintf(f, "  %d. %s %s: %.4g -> %.4g\n", i + 1, fa_model_name(m, m->region_name[top[i].r]),
                fa_life_metric_name(top[i].k), fa_life_record(L, -1, top[i].r, top[i].k),
                fa_life_record(L, L->day - 1, top[i].r, top[i].k));
    /* per phase: what the phase's interventions changed */
    for (int p = 0; p < L->sc->nphase; p++) {
        int d0, d1;
        if (!phase_days(L, p, &d0, &d1)) continue;
        change pt[5];
        int npc = most_changed_phase(L, p, pt, 5);
        fprintf(f, "%s phase '%s' (days %d-%d):", p ? "" : "\nchanged most in each phase:\n", L->sc->phase[p].name, d0 + 2,
                d1 + 1);
        for (int i = 0; i < npc; i++)
            fprintf(f, "%s %s %s %.4g -> %.4g", i ? "," : "", fa_model_name(m, m->region_name[pt[i].r]),
                    fa_life_metric_name(pt[i].k), fa_life_record(L, d0, pt[i].r, pt[i].k),
                    fa_life_record(L, d1, pt[i].r, pt[i].k));
        fputc('\n', f);
    }
    int np = 0;
    for (int i = 0; i < L->nevent; i++)
        if (is_pain_or_injury(L->event[i].kind) || L->event[i].kind == FA_LEV_RULE || L->event[i].kind == FA_LEV_RETURN) np++;
    fprintf(f, "\npain, injury, rule and return events: %d\n", np);
    for (int i = 0, shown = 0; i < L->nevent && shown < 20; i++) {
        const fa_life_event *ev = &L->event[i];
        if (!is_pain_or_injury(ev->kind) && ev->kind != FA_LEV_RULE && ev->kind != FA_LEV_RETURN) continue;
        fprintf(f, "  day %4d  %-16s %-18s %s%s%.3g\n", ev->day + 1, fa_life_event_str(ev->kind), ev->region, ev->name,
                ev->name[0] ? " " : "", ev->value);
        shown++;
    }
    if (S.events_dropped) fprintf(f, "  (%d later events not recorded: the event list is full)\n", S.events_dropped);
    fprintf(f, "\ndays off running: %d (days run: %d, %.1f km, %.0f strides per leg)\n", S.days_off_running, S.days_run,
            S.run_distance / 1000.0, S.run_strides);
    {
        const fa_cursor *cur = fa_life_cursor(L);
        for (int k = 0; k < cur->ntrig; k++) {
            const fa_rule *ru = &L->sc->rule[cur->trig[k].rule];
            if (!ru->until_healed || cur->trig[k].day >= L->day) continue;
            int d0 = cur->trig[k].day, end = cur->trig[k].end, open = end == FA_TRIG_OPEN || end > L->day;
            int d1 = open ? L->day - 1 : end - 1;
            fprintf(f, "  layoff (rule %s, until healed): days %d-%d, %d days%s\n", ru->name, d0 + 1, d1 + 1, d1 - d0 + 1,
                    open ? ", not healed at the end of the run" : "");
        }
    }
    double e0, e1, v;
    fa_error err;
    if (fa_life_itb_energy(L, &e0, &e1, &v, &err) == FA_OK && isfinite(e0)) {
        double mass = person_mass(L);
        fprintf(f, "ITB energy per stride at %.1f m/s: start %.4g J (%.3g J/kg), end %.4g J (%.3g J/kg)\n", v, e0,
                e0 / mass, e1, e1 / mass);
    } else {
        fprintf(f, "ITB energy per stride: not available (the body has no ITB region or cords)\n");
    }
    for (int i = 0; i < L->nmech; i++) {
        double mx;
        int em, n = overstrained(L, &L->mech[i], &mx, &em);
        char lab[96];
        if (n > 0)
            fprintf(f, "warning: %s '%s': %d elements strained past their failure strain (largest %.3g, %s)\n",
                    L->mech[i].kind ? "stride" : "posture", L->mech[i].name, n, mx, elem_label(m, em, lab, sizeof lab));
    }
    fprintf(f,
            "mechanics: %d posture solves, %d stride replays, %ld cached uses (%ld Newton iterations, %ld factorisations, "
            "%d solves not converged); %ld physiology steps\n",
            S.posture_solves, S.stride_solves, S.cache_hits, S.newton_iterations, S.factorizations, S.mech_failures,
            S.physio_steps);
    if (nclin > 0 && clin) {
        fprintf(f, "\nclinical tests (day %d -> day %d):\n", clin[0].day_start, clin[0].day_end);
        fprintf(f, "  %-40s %10s %10s %8s  %-14s\n", "test", "start", "end", "change", "norm");
        int beyond = 0, out = 0;
        for (int i = 0; i < nclin; i++) {
            const fa_life_clinical *c = &clin[i];
            /* out of the test's range: "> bound" / "< bound", no change figure */
            char v0[32], v1[32], dv[32];
            snprintf(v0, sizeof v0, "%s%.1f%s", c->start_beyond > 0 ? "> " : c->start_beyond < 0 ? "< " : "", c->start,
                     c->start_reached || c->start_beyond ? " " : "*");
            snprintf(v1, sizeof v1, "%s%.1f%s", c->end_beyond > 0 ? "> " : c->end_beyond < 0 ? "< " : "", c->end,
                     c->end_reached || c->end_beyond ? " " : "*");
            if (c->start_beyond || c->end_beyond) snprintf(dv, sizeof dv, "%s", "-");
            else snprintf(dv, sizeof dv, "%+.1f", c->end - c->start);
            fprintf(f, "  %-40s %10s %10s %8s  %.1f-%.1f %s (%c)\n", c->title ? c->title : (c->test ? c->test : ""), v0, v1,
                    dv, c->norm_lo, c->norm_hi, c->unit ? c->unit : "", c->grade ? c->grade : '?');
            beyond |= (!c->start_reached && !c->start_beyond) || (!c->end_reached && !c->end_beyond);
            out |= c->start_beyond || c->end_beyond;
        }
        if (out)
            fputs("  > / < the end range lies beyond the test's drive range (the end-point torque is not reached\n"
                  "    up to the bound, or exceeded at its start): out of range, the bound is shown (docs/clinical.md)\n",
                  f);
        if (beyond)
            fputs("  * end-point torque not reached within the test's range: the value is where the search stopped,\n"
                  "    not a measured end range (docs/clinical.md, flattening resistance curves)\n",
                  f);
    }
}
