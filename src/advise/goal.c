/* SPDX-License-Identifier: MIT */
/* Goals of the care advisor: which output, which region, which direction is
 * better. The directions follow the meaning of each metric in life.h and
 * docs/physiology.md (1 = healthy for the scaled figures). */
#include <stdio.h>
#include <string.h>

#include "fascia/advise.h"

typedef struct goal_dir {
    const char *metric;
    int better;
    const char *why;
} goal_dir;

/* Direction per life metric (same order as FA_LIFE_METRICS). */
static const goal_dir dirs[] = {
    {"stiffness", -1, "fa_tissue_scale above the healthy 1 means stiffer, densified tissue"},
    {"hydration", +1, "water bound in the matrix keeps layers compliant (1 = healthy; lower = dehydrated)"},
    {"glide", +1, "1/viscosity of the loose layer: higher means layers slide more easily"},
    {"adhesion", -1, "adhesion fraction binds neighbouring layers so they cannot slide"},
    {"thickness", -1, "thickening above 1 marks densification (Stecco/Pavan hypothesis)"},
    {"rest_drift", +1, "negative drift is ingrained shortening; positive is lengthening"},
    {"crosslink", -1, "extra crosslinks stiffen collagen and resist remodelling"},
    {"damage", -1, "micro-damage weakens the tissue and drives pain"},
    {"pain", -1, "pain on the 0-10 scale"},
    {"tone", -1, "myofibroblast contractile tone adds stiffness the person cannot relax"},
};

static const char *goal_list =
    "METRIC:REGION with METRIC one of stiffness, hydration, glide, adhesion, thickness, rest_drift, "
    "crosslink, damage, pain, tone; or days-off, injuries, itb-energy";

static fa_status bad(fa_error *err, const char *fmt, const char *a, const char *b)
{
    fa_error_set(err, FA_ERR_UNKNOWN, NULL, 0, 0, fmt, a, b);
    return FA_ERR_UNKNOWN;
}

fa_status fa_advise_goal_parse(const char *text, const char *region, const fa_model *m, fa_advise_goal *g,
                               fa_error *err)
{
    memset(g, 0, sizeof *g);
    g->metric = -1;
    g->region_index = -1;
    if (!text || !text[0]) return bad(err, "goal: expected %s, found '%s'", goal_list, text ? text : "");
    if (strlen(text) >= 64)
        return bad(err, "goal: expected %s, found a %s-character text", goal_list, "long");
    if (!strcmp(text, "days-off") || !strcmp(text, "days_off")) {
        g->kind = FA_GOAL_DAYS_OFF;
        g->better = -1;
        snprintf(g->text, sizeof g->text, "days-off");
        snprintf(g->unit, sizeof g->unit, "d");
        g->why = "days with running scheduled but not run (pain rules, injuries, rest)";
        return FA_OK;
    }
    if (!strcmp(text, "injuries")) {
        g->kind = FA_GOAL_INJURIES;
        g->better = -1;
        snprintf(g->text, sizeof g->text, "injuries");
        snprintf(g->unit, sizeof g->unit, "-");
        g->why = "tissue damage crossing the injury threshold";
        return FA_OK;
    }
    if (!strcmp(text, "itb-energy") || !strcmp(text, "itb_energy")) {
        g->kind = FA_GOAL_ITB_ENERGY;
        g->better = +1;
        snprintf(g->text, sizeof g->text, "itb-energy");
        snprintf(g->unit, sizeof g->unit, "J");
        g->why = "elastic energy the ITB stores and returns per stride (Eng 2015: a spring that saves "
                 "muscle work)";
        return FA_OK;
    }
    char metric[64];
    snprintf(metric, sizeof metric, "%s", text);
    char *colon = strchr(metric, ':');
    const char *reg = region;
    if (colon) {
        *colon = 0;
        if (region && region[0] && strcmp(region, colon + 1))
            return bad(err, "goal: the region is given twice ('%s' and --region '%s')", colon + 1, region);
        reg = colon + 1;
    }
    int k = -1;
    for (int i = 0; i < FA_LIFE_NMETRIC; i++)
        if (!strcmp(metric, fa_life_metric_name(i))) k = i;
    if (k < 0) return bad(err, "goal: expected %s, found '%s'", goal_list, text);
    if (!reg || !reg[0])
        return bad(err, "goal '%s': expected a region (METRIC:REGION or --region R)%s", text, "");
    if (strlen(reg) >= sizeof g->region) return bad(err, "goal: region name too long: '%s'%s", reg, "");
    if (m) {
        int r = fa_model_find(m, "region", reg);
        if (r < 0) {
            fa_error_set(err, FA_ERR_UNKNOWN, NULL, 0, 0,
                         "goal '%s': unknown region '%s' (expected a reporting region of the body, e.g. "
                         "low_back, lateral_thigh, hip_flexors, plantar_foot)",
                         text, reg);
            return FA_ERR_UNKNOWN;
        }
        g->region_index = r;
    }
    g->kind = FA_GOAL_METRIC;
    g->metric = k;
    g->better = dirs[k].better;
    g->why = dirs[k].why;
    snprintf(g->region, sizeof g->region, "%s", reg);
    snprintf(g->text, sizeof g->text, "%s:%s", fa_life_metric_name(k), reg);
    snprintf(g->unit, sizeof g->unit, "%s", fa_life_metric_unit(k));
    return FA_OK;
}
