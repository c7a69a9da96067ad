/* SPDX-License-Identifier: MIT */
/* The activity catalogue: enum order matches the table, names resolve, and
 * every number, grade and citation key in the C table equals the evidence
 * table data/activities.yaml (so neither can drift from the other). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "fascia/scenario.h"
#include "harness.h"

static yaml_document_t doc;

static yaml_node_t *get(yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, key))
            return yaml_document_get_node(&doc, p->value);
    }
    return NULL;
}

static const char *str(yaml_node_t *n) { return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL; }

static int same_num(yaml_node_t *v, double c)
{
    const char *s = str(v);
    if (!s) return 0;
    if (!strcmp(s, "null")) return isnan(c);
    char *end;
    double x = strtod(s, &end);
    return !*end && x == c;
}

static int same_str(yaml_node_t *v, const char *c)
{
    const char *s = str(v);
    if (!s) return 0;
    if (!strcmp(s, "null")) return c == NULL;
    return c && !strcmp(s, c);
}

int main(void)
{
    /* enum order = table order */
    static const char *const names[] = {
#define N_(e, name) name,
        FA_ACTIVITIES(N_)
#undef N_
    };
    for (int a = 0; a < FA_NACT; a++) {
        const fa_activity_info *ai = fa_activity_get(a);
        CHECK(ai && !strcmp(ai->name, names[a]));
        CHECK(fa_activity_find(names[a]) == a);
        CHECK(ai->grade == 'A' || ai->grade == 'B' || ai->grade == 'C');
        CHECK(ai->cite && ai->cite[0] && ai->mechanism && ai->mechanism[0]);
        CHECK((ai->posture != NULL) + (ai->motion != NULL) <= 1);
        CHECK(!(ai->flags & FA_ACTF_GAIT) || (ai->motion && ai->cadence > 0));
    }
    CHECK(fa_activity_get(-1) == NULL && fa_activity_get(FA_NACT) == NULL);
    CHECK(fa_activity_find("running") == FA_ACT_RUN && fa_activity_find("feldenkrais") == FA_ACT_REEDUCATION);
    CHECK(fa_activity_find("nope") == -1 && fa_activity_find(NULL) == -1);

    FILE *f = fopen("data/activities.yaml", "rb");
    CHECK(f != NULL);
    if (!f) TEST_MAIN_END();
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    int ok = yaml_parser_load(&parser, &doc);
    CHECK(ok);
    if (!ok) TEST_MAIN_END();
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    yaml_node_t *acts = get(root, "activities"), *refs = get(root, "references");
    CHECK(acts && refs);
    int nact = acts ? (int)(acts->data.mapping.pairs.top - acts->data.mapping.pairs.start) : 0;
    CHECK(nact == FA_NACT);
    for (int a = 0; a < FA_NACT; a++) {
        const fa_activity_info *ai = fa_activity_get(a);
        yaml_node_t *e = get(acts, ai->name);
        CHECK_MSG(e != NULL, "%s missing from data/activities.yaml", ai->name);
        if (!e) continue;
        CHECK_MSG(same_str(get(e, "posture"), ai->posture), "%s posture", ai->name);
        CHECK_MSG(same_str(get(e, "motion"), ai->motion), "%s motion", ai->name);
        CHECK_MSG(same_str(get(e, "region"), ai->region), "%s region", ai->name);
        CHECK_MSG(same_str(get(e, "cite"), ai->cite), "%s cite", ai->name);
        CHECK_MSG(same_str(get(e, "mechanism"), ai->mechanism), "%s mechanism", ai->name);
        const char *g = str(get(e, "grade"));
        CHECK_MSG(g && g[0] == ai->grade && !g[1], "%s grade", ai->name);
        /* every citation key is a reference */
        char keys[256];
        snprintf(keys, sizeof keys, "%s", ai->cite);
        for (char *k = strtok(keys, ";"); k; k = strtok(NULL, ";")) CHECK_MSG(get(refs, k) != NULL, "%s: reference %s missing", ai->name, k);
        yaml_node_t *p = get(e, "params");
        struct {
            const char *key;
            double v;
        } num[] = {{"strain_scale", ai->strain_scale}, {"hold", ai->hold}, {"temp", ai->temp}, {"pressure", ai->pressure},
                   {"slide", ai->slide}, {"cadence", ai->cadence}, {"volume", ai->volume}, {"reeducation", ai->reeducation}};
        for (size_t i = 0; i < sizeof num / sizeof num[0]; i++) {
            yaml_node_t *q = get(p, num[i].key);
            CHECK_MSG(q && same_num(get(q, "value"), num[i].v), "%s.%s: table %g vs yaml %s", ai->name, num[i].key, num[i].v,
                      q ? str(get(q, "value")) : "(missing)");
            const char *src = str(get(q, "source"));
            CHECK_MSG(src && (!strcmp(src, "-") || get(refs, src)), "%s.%s: unknown source", ai->name, num[i].key);
            CHECK(q && str(get(q, "unit")) && str(get(q, "grade")));
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(f);
    TEST_MAIN_END();
}
