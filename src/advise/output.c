/* SPDX-License-Identifier: MIT */
/* Reports of the care advisor: the ranked table with explanations (text)
 * and advice.json (atomic, via the report stage's JSON writer). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fascia/advise.h"
#include "fascia/physio.h"
#include "fascia/report.h"

static const char *kind_name(int k)
{
    return k == FA_PLAN_BASELINE ? "baseline" : k == FA_PLAN_REST ? "rest" : "add";
}

/* 1 when the physiology a plan acts through (its two most-moved modules)
 * rests mostly on grade C parameters: no grade A row and at least three
 * quarters grade C. */
static int weak_modules(const fa_advise_report *rep, const fa_advise_result *r)
{
    int n = r->nmodule < 2 ? r->nmodule : 2;
    if (!n) return 0;
    for (int k = 0; k < n; k++) {
        const fa_advise_module_grade *mg = &rep->mgrade[r->module[k]];
        int tot = mg->n[0] + mg->n[1] + mg->n[2];
        if (mg->n[0] > 0 || 4 * mg->n[2] < 3 * tot) return 0;
    }
    return 1;
}

/* Verdict words for one result (honest about noise, size and evidence). */
static const char *verdict(const fa_advise_report *rep, const fa_advise_result *r)
{
    if (r->plan.kind == FA_PLAN_BASELINE) return "reference";
    if (r->noise) return "no effect beyond numerical noise";
    if (isfinite(r->delta_pct) && fabs(r->delta_pct) < 0.1) return "negligible (< 0.1 %)";
    int weak = r->grade == 'C' || weak_modules(rep, r);
    if (r->benefit > 0.0) return weak ? "helps (grade C evidence)" : "helps";
    return weak ? "worsens (grade C evidence)" : "worsens";
}

static const fa_activity_info *practice(const fa_advise_result *r)
{
    if (r->plan.kind == FA_PLAN_BASELINE) return NULL;
    return fa_activity_get(r->plan.act >= 0 ? r->plan.act : FA_ACT_TIME_OFF);
}

void fa_advise_print(const fa_advise_report *rep, FILE *f, int top)
{
    const fa_advise_goal *g = &rep->goal;
    const char *u = strcmp(g->unit, "-") ? g->unit : "";
    int n = top > 0 && top < rep->nresult ? top : rep->nresult;
    fprintf(f, "fascia advise: %s, goal %s (%s is better: %s)\n", rep->scenario, g->text,
            g->better > 0 ? "higher" : "lower", g->why ? g->why : "");
    fprintf(
        f,
        "horizon %d days, same runner settings for every plan; baseline %.6g%s%s; noise floor %.3g%s%s\n\n",
        rep->ndays, rep->baseline, u[0] ? " " : "", u, rep->noise_floor, u[0] ? " " : "", u);
    fprintf(f, "%4s  %-16s %13s %9s %9s  %5s  %s\n", "rank", "plan", "value", "change", "change%", "min/wk",
            "verdict");
    for (int i = 0; i < n; i++) {
        const fa_advise_result *r = &rep->r[i];
        char pct[24];
        if (isfinite(r->delta_pct))
            snprintf(pct, sizeof pct, "%+.2f%%", r->delta_pct);
        else
            snprintf(pct, sizeof pct, "-");
        fprintf(f, "%4d  %-16s %13.6g %+9.3g %9s  %5.0f  %s\n", r->rank, r->plan.name, r->value, r->delta,
                pct, r->cost, verdict(rep, r));
    }
    fprintf(f, "\n");
    for (int i = 0; i < n; i++) {
        const fa_advise_result *r = &rep->r[i];
        if (r->plan.kind == FA_PLAN_BASELINE) continue;
        fprintf(f, "%d. %s: %s\n", r->rank, r->plan.name, r->plan.label);
        for (int l = 0; l < r->plan.nline; l++)
            fprintf(f, "   adds:      %s\n", r->plan.line[l]);
        if (r->plan.kind == FA_PLAN_REST)
            fprintf(f, "   rest:      days %d-%d without training load\n", r->plan.rest_day0 + 1,
                    r->plan.rest_day1 + 1);
        fprintf(f, "   effect:    %s %.6g -> %.6g%s%s (%+.3g", g->text, rep->baseline, r->value,
                u[0] ? " " : "", u, r->delta);
        if (isfinite(r->delta_pct)) fprintf(f, ", %+.2f %%", r->delta_pct);
        fprintf(f, ")%s\n", r->noise ? " -- within numerical noise" : "");
        if (r->nchange) {
            fprintf(f, "   changed:  ");
            for (int c = 0; c < r->nchange; c++)
                fprintf(f, "%s %s %s %+.3g", c ? ";" : "", fa_life_metric_name(r->change[c].metric),
                        r->change[c].region, r->change[c].plan - r->change[c].base);
            fprintf(f, "\n");
        } else {
            fprintf(f, "   changed:   no region metric moved\n");
        }
        const fa_activity_info *ai = practice(r);
        if (ai)
            fprintf(f, "   mechanism: %s (%s, grade %c; %s)\n", ai->mechanism, ai->name, ai->grade, ai->cite);
        if (r->nmodule) {
            fprintf(f, "   through:  ");
            for (int k = 0; k < r->nmodule; k++) {
                const fa_advise_module_grade *mg = &rep->mgrade[r->module[k]];
                fprintf(f, "%s %s %.3g%% (params A%d B%d C%d)", k ? ";" : "",
                        fa_physio_module_name(r->module[k]), 100.0 * r->module_change[k], mg->n[0], mg->n[1],
                        mg->n[2]);
            }
            fprintf(f, "\n");
        }
        if (r->noise) {
            fprintf(f, "   note:      the change is no larger than the noise floor; this run cannot tell it "
                       "from zero\n");
        } else {
            if (ai && ai->grade == 'C')
                fprintf(f, "   note:      the practice's mechanism is grade C (expert model/hypothesis)\n");
            if (weak_modules(rep, r))
                fprintf(
                    f,
                    "   note:      the physiology it acts through (%s%s%s) has mostly grade C parameters\n",
                    fa_physio_module_name(r->module[0]), r->nmodule > 1 ? ", " : "",
                    r->nmodule > 1 ? fa_physio_module_name(r->module[1]) : "");
        }
        fprintf(f, "\n");
    }
}

fa_status fa_advise_write_json(const fa_advise_report *rep, const char *dir, fa_error *err)
{
    char path[1024];
    fa_status st = fa_outdir_create(dir, err);
    if (!st) st = fa_outdir_path(dir, "advice.json", path, sizeof path, err);
    if (st) return st;
    fa_afile a;
    st = fa_afile_open(&a, path, err);
    if (st) return st;
    fa_json j;
    fa_json_init(&j, a.f, 1);
    const fa_advise_goal *g = &rep->goal;
    fa_json_begin_object(&j);
    fa_json_key(&j, "goal");
    fa_json_begin_object(&j);
    fa_json_key(&j, "text");
    fa_json_string(&j, g->text);
    fa_json_key(&j, "kind");
    fa_json_string(&j, g->kind == FA_GOAL_METRIC     ? "metric"
                       : g->kind == FA_GOAL_DAYS_OFF ? "days-off"
                       : g->kind == FA_GOAL_INJURIES ? "injuries"
                                                     : "itb-energy");
    fa_json_key(&j, "metric");
    if (g->metric >= 0)
        fa_json_string(&j, fa_life_metric_name(g->metric));
    else
        fa_json_null(&j);
    fa_json_key(&j, "region");
    if (g->region[0])
        fa_json_string(&j, g->region);
    else
        fa_json_null(&j);
    fa_json_key(&j, "better");
    fa_json_string(&j, g->better > 0 ? "higher" : "lower");
    fa_json_key(&j, "unit");
    fa_json_string(&j, g->unit);
    fa_json_key(&j, "why");
    fa_json_string(&j, g->why ? g->why : "");
    fa_json_end_object(&j);
    fa_json_key(&j, "scenario");
    fa_json_string(&j, rep->scenario);
    fa_json_key(&j, "days");
    fa_json_int(&j, rep->ndays);
    fa_json_key(&j, "baseline");
    fa_json_number(&j, rep->baseline);
    fa_json_key(&j, "noise_floor");
    fa_json_number(&j, rep->noise_floor);
    fa_json_key(&j, "plans");
    fa_json_begin_array(&j);
    for (int i = 0; i < rep->nresult; i++) {
        const fa_advise_result *r = &rep->r[i];
        fa_json_begin_object(&j);
        fa_json_key(&j, "rank");
        fa_json_int(&j, r->rank);
        fa_json_key(&j, "name");
        fa_json_string(&j, r->plan.name);
        fa_json_key(&j, "label");
        fa_json_string(&j, r->plan.label);
        fa_json_key(&j, "kind");
        fa_json_string(&j, kind_name(r->plan.kind));
        fa_json_key(&j, "lines");
        fa_json_begin_array(&j);
        for (int l = 0; l < r->plan.nline; l++)
            fa_json_string(&j, r->plan.line[l]);
        fa_json_end_array(&j);
        if (r->plan.kind == FA_PLAN_REST) {
            fa_json_key(&j, "rest_days");
            fa_json_begin_array(&j);
            fa_json_int(&j, r->plan.rest_day0 + 1);
            fa_json_int(&j, r->plan.rest_day1 + 1);
            fa_json_end_array(&j);
        }
        fa_json_key(&j, "value");
        fa_json_number(&j, r->value);
        fa_json_key(&j, "delta");
        fa_json_number(&j, r->delta);
        fa_json_key(&j, "delta_pct");
        fa_json_number(&j, r->delta_pct);
        fa_json_key(&j, "benefit");
        fa_json_number(&j, r->benefit);
        fa_json_key(&j, "cost_min_per_week");
        fa_json_number(&j, r->cost);
        fa_json_key(&j, "within_noise");
        fa_json_bool(&j, r->noise);
        fa_json_key(&j, "verdict");
        fa_json_string(&j, verdict(rep, r));
        fa_json_key(&j, "modules_mostly_grade_c");
        fa_json_bool(&j, weak_modules(rep, r));
        fa_json_key(&j, "days_off");
        fa_json_int(&j, r->days_off);
        fa_json_key(&j, "injuries");
        fa_json_int(&j, r->injuries);
        const fa_activity_info *ai = practice(r);
        fa_json_key(&j, "practice");
        if (ai) {
            char gr[2] = {ai->grade, 0};
            fa_json_begin_object(&j);
            fa_json_key(&j, "activity");
            fa_json_string(&j, ai->name);
            fa_json_key(&j, "mechanism");
            fa_json_string(&j, ai->mechanism);
            fa_json_key(&j, "grade");
            fa_json_string(&j, gr);
            fa_json_key(&j, "cite");
            fa_json_string(&j, ai->cite);
            fa_json_end_object(&j);
        } else {
            fa_json_null(&j);
        }
        fa_json_key(&j, "changes");
        fa_json_begin_array(&j);
        for (int c = 0; c < r->nchange; c++) {
            fa_json_begin_object(&j);
            fa_json_key(&j, "region");
            fa_json_string(&j, r->change[c].region);
            fa_json_key(&j, "metric");
            fa_json_string(&j, fa_life_metric_name(r->change[c].metric));
            fa_json_key(&j, "baseline");
            fa_json_number(&j, r->change[c].base);
            fa_json_key(&j, "plan");
            fa_json_number(&j, r->change[c].plan);
            fa_json_end_object(&j);
        }
        fa_json_end_array(&j);
        fa_json_key(&j, "modules");
        fa_json_begin_array(&j);
        for (int k = 0; k < r->nmodule; k++) {
            const fa_advise_module_grade *mg = &rep->mgrade[r->module[k]];
            fa_json_begin_object(&j);
            fa_json_key(&j, "name");
            fa_json_string(&j, fa_physio_module_name(r->module[k]));
            fa_json_key(&j, "change");
            fa_json_number(&j, r->module_change[k]);
            fa_json_key(&j, "param_grades");
            fa_json_begin_object(&j);
            fa_json_key(&j, "A");
            fa_json_int(&j, mg->n[0]);
            fa_json_key(&j, "B");
            fa_json_int(&j, mg->n[1]);
            fa_json_key(&j, "C");
            fa_json_int(&j, mg->n[2]);
            fa_json_end_object(&j);
            fa_json_end_object(&j);
        }
        fa_json_end_array(&j);
        fa_json_end_object(&j);
    }
    fa_json_end_array(&j);
    fa_json_end_object(&j);
    fputc('\n', a.f);
    st = fa_json_finish(&j, err);
    if (st) {
        fa_afile_abort(&a);
        return st;
    }
    return fa_afile_commit(&a, err);
}
