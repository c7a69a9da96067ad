/* SPDX-License-Identifier: MIT */
/* fascia — the care advisor: what-if care plans on top of the life runner.
 *
 * A goal names one output and the direction that is better (lower adhesion
 * in the low back, fewer days off running, ...). Plans are generated from
 * the base scenario: the baseline, the base plus one care practice of the
 * activity catalogue at a default dose and frequency (entries written as
 * scenario lines and parsed with the scenario reader, so they obey the same
 * rules as a hand-written file), dose variants and a rest week. Every plan is
 * run with the same runner definition over the same horizon (the runner is
 * deterministic: no seed is involved), the goal is read from each run and
 * the plans are ranked by their change against the baseline, ties broken by
 * cost (minutes per week). Each result carries the tissue state changes the
 * plan caused (region x metric against the baseline run), the physiology
 * modules whose state it moved and their evidence grades, and the practice's
 * mechanism line, grade and citation from the catalogue.
 *
 * Usage:
 *   fa_advise_goal g;   fa_advise_goal_parse("adhesion:low_back", NULL, m, &g, &err);
 *   fa_advise_def def = fa_default_advise_def();  def.life.kin = kin;
 *   fa_advise_report *rep = fa_advise_report_alloc();
 *   fa_advise_run(m, sc, &g, &def, rep, &err);   // runs and ranks
 *   fa_advise_print(rep, stdout, 10);  fa_advise_write_json(rep, "out", &err);
 * Docs: docs/advise.md. */
#ifndef FASCIA_ADVISE_H
#define FASCIA_ADVISE_H

#include <stdio.h>

#include "life.h"
#include "model.h"
#include "scenario.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FA_ADV_MAX_PLAN 32     /* plans per report */
#define FA_ADV_MAX_LINE 4      /* schedule lines a plan adds */
#define FA_ADV_NCHANGE 4       /* state changes kept per plan */
#define FA_ADV_NMODULE 4       /* physiology modules kept per plan */
#define FA_ADV_DEFAULT_DAYS 56 /* default horizon cap, days (8 weeks) */

/* ------------------------------------------------------------------- goals */

typedef enum fa_advise_goal_kind {
    FA_GOAL_METRIC = 0, /* a region metric (fa_life_region_metrics), mean over the last 7 days */
    FA_GOAL_DAYS_OFF,   /* days off running (fa_life_stats.days_off_running) */
    FA_GOAL_INJURIES,   /* injury events (FA_LEV_INJURY) */
    FA_GOAL_ITB_ENERGY  /* ITB elastic energy per stride at the end (J) */
} fa_advise_goal_kind;

typedef struct fa_advise_goal {
    int kind;         /* fa_advise_goal_kind */
    int metric;       /* FA_LM_* for FA_GOAL_METRIC, -1 otherwise */
    char region[32];  /* region name for FA_GOAL_METRIC ("" otherwise) */
    int region_index; /* model region index (-1 when not checked against a model) */
    int better;       /* -1: lower is better, +1: higher is better */
    char text[80];    /* canonical goal text, e.g. "adhesion:low_back" */
    char unit[8];     /* unit of the goal value */
    const char *why;  /* one line: why that direction is better */
} fa_advise_goal;

/* Parse a goal: "METRIC:REGION" (stiffness, hydration, glide, adhesion,
 * thickness, rest_drift, crosslink, damage, pain, tone), "METRIC" with
 * `region` (may be NULL) naming the region, "days-off", "injuries" or
 * "itb-energy". When m is not NULL the region must be a reporting region of
 * m. Errors (FA_ERR_UNKNOWN) say what was expected and list the choices. */
fa_status fa_advise_goal_parse(const char *text, const char *region, const fa_model *m, fa_advise_goal *g,
                               fa_error *err);

/* ------------------------------------------------------------------- plans */

typedef enum fa_advise_plan_kind {
    FA_PLAN_BASELINE = 0, /* the scenario as written */
    FA_PLAN_ADD,          /* the scenario plus schedule lines (a care practice) */
    FA_PLAN_REST          /* the scenario with a week without training load */
} fa_advise_plan_kind;

typedef struct fa_advise_plan {
    char name[32];                   /* short id, e.g. "foam_roll_4min" */
    char label[96];                  /* what the person would do, in words */
    int kind;                        /* fa_advise_plan_kind */
    int act;                         /* activity added (fa_activity), -1 none */
    int nline;                       /* schedule lines added */
    char line[FA_ADV_MAX_LINE][128]; /* each as in a scenario file, e.g. "Sun 10:00 bath 20 min 40 C" */
    int rest_day0, rest_day1;        /* 0-based inclusive days without training (FA_PLAN_REST) */
} fa_advise_plan;

/* Generate the plans for scenario sc over `ndays` days: baseline first, then
 * one plan per care practice and dose variant, then the rest week. Times
 * are fitted to the base schedule (movement breaks inside its sitting bouts,
 * rolling after its runs). Manual therapies target g->region when the goal
 * has one (g may be NULL). Returns the number written (<= cap). */
int fa_advise_plans(const fa_scenario *sc, const fa_advise_goal *g, int ndays, fa_advise_plan *out, int cap);

/* The scenario of a plan: a copy of base with the plan's lines added as
 * entries over the whole scenario (event precedence: they cut what lies
 * under them), or with a "no training" block for a rest week. Free with
 * fa_scenario_free. A line the scenario reader rejects is an error naming
 * the plan and the line. */
fa_status fa_advise_apply(const fa_scenario *base, const fa_advise_plan *p, fa_scenario **out, fa_error *err);

/* Minutes per week the plan adds of its activity over the first `ndays`
 * days of the expanded timelines (plan minus base), 0 for plans without an
 * activity; instant activities (hydrate) count 0. */
double fa_advise_minutes_per_week(const fa_scenario *base, const fa_scenario *plan, int act, int ndays);

/* ----------------------------------------------------------------- results */

/* A state change a plan caused: region metric at the end, plan vs baseline. */
typedef struct fa_advise_change {
    char region[32];
    int metric;        /* FA_LM_* */
    double base, plan; /* value in the baseline run and in the plan's run */
} fa_advise_change;

typedef struct fa_advise_result {
    fa_advise_plan plan;
    double value;     /* goal value of the plan's run (unit of the goal) */
    double delta;     /* value - baseline value */
    double delta_pct; /* %, 100 delta / |baseline| (NaN when the baseline is 0) */
    double benefit;   /* better * delta: > 0 means the plan helps */
    double cost;      /* min/week the plan adds (fa_advise_minutes_per_week) */
    int noise;        /* 1: |delta| <= the report's noise floor */
    int rank;         /* 1 = best; the baseline is ranked too */
    char grade;       /* evidence grade of the practice's mechanism ('-' none) */
    int nchange;      /* state changes kept (largest first) */
    fa_advise_change change[FA_ADV_NCHANGE];
    int nmodule;                          /* physiology modules whose state moved most */
    int module[FA_ADV_NMODULE];           /* module index (fa_physio_module_name) */
    double module_change[FA_ADV_NMODULE]; /* -, mean relative change of its state fields */
    int days_off;                         /* days off running in this run */
    int injuries;                         /* injury events in this run */
} fa_advise_result;

/* Evidence behind a physiology module: how many of its parameter rows are
 * grade A, B and C (data/params/physiology.csv). */
typedef struct fa_advise_module_grade {
    int n[3];
} fa_advise_module_grade;

typedef struct fa_advise_report {
    fa_advise_goal goal;
    char scenario[64];
    int ndays;          /* horizon simulated */
    double baseline;    /* goal value of the baseline run */
    double noise_floor; /* unit of the goal: changes this small are not distinguishable from
                           the runner's mechanics-cache approximation (see docs/advise.md) */
    int nresult;        /* results, in rank order after fa_advise_rank */
    fa_advise_result r[FA_ADV_MAX_PLAN];
    int nmodule; /* fa_physio_nmodule() */
    fa_advise_module_grade mgrade[16];
} fa_advise_report;

fa_advise_report *fa_advise_report_alloc(void);
void fa_advise_report_free(fa_advise_report *rep);

/* Called after each simulated day of each plan; return non-zero to stop. */
typedef int (*fa_advise_progress_fn)(int plan, int nplan, int day, int ndays, void *user);

typedef struct fa_advise_def {
    int ndays;        /* horizon, days; 0 = the scenario's length capped at FA_ADV_DEFAULT_DAYS */
    int noise_run;    /* 1: re-run the baseline at mech_tol / 4 to measure the noise floor
                         (default 1) */
    const char *only; /* comma-separated plan names to run (the baseline always runs); NULL all */
    fa_life_def life; /* runner definition (kin required); its ndays is overwritten */
    fa_advise_progress_fn progress; /* may be NULL */
    void *user;
} fa_advise_def;

fa_advise_def fa_default_advise_def(void);

/* Generate, run and rank the plans. rep is overwritten. */
fa_status fa_advise_run(const fa_model *m, const fa_scenario *sc, const fa_advise_goal *g,
                        const fa_advise_def *def, fa_advise_report *rep, fa_error *err);

/* Fill delta, delta_pct, benefit and noise from value, rep->baseline and
 * rep->noise_floor, then sort: larger benefit first; benefits within the
 * noise floor of each other are ties, broken by lower cost, then by name.
 * Pure (no simulation): tests drive it with made-up values. */
void fa_advise_rank(fa_advise_report *rep);

/* Plain-text table and per-plan explanation of the top `top` plans (0 = all)
 * (explicit report function). */
void fa_advise_print(const fa_advise_report *rep, FILE *f, int top);

/* DIR/advice.json (atomic): goal, scenario, horizon, baseline, noise floor
 * and every ranked plan with its lines, effect, cost, changes, modules and
 * evidence. DIR is created when missing. */
fa_status fa_advise_write_json(const fa_advise_report *rep, const char *dir, fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
