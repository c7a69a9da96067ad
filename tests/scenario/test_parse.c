/* SPDX-License-Identifier: MIT */
/* Scenario reader: units and grammar of good inputs, and the bad corpus in
 * tests/scenario/bad/ whose first line "# expect: TEXT" must appear in the
 * error message (which must also start with "FILE:LINE:COL: "). */
#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/scenario.h"
#include "harness.h"

static fa_scenario *parse(const char *text, fa_error *err)
{
    fa_scenario *sc = NULL;
    fa_error_clear(err);
    fa_status st = fa_scenario_parse(text, strlen(text), "t.yaml", &sc, err);
    if (st) fprintf(stderr, "parse: %s\n", err->msg);
    return st ? NULL : sc;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void bad_corpus(void)
{
    const char *dir = "tests/scenario/bad";
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d) return;
    char *names[256];
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 256) {
        size_t l = strlen(de->d_name);
        if (l > 5 && !strcmp(de->d_name + l - 5, ".yaml")) names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmpstr);
    CHECK(n >= 25);
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        char line[512] = "";
        CHECK(f && fgets(line, sizeof line, f));
        if (f) fclose(f);
        line[strcspn(line, "\n")] = '\0';
        const char *tag = "# expect: ";
        CHECK_MSG(!strncmp(line, tag, strlen(tag)), "%s: first line must be '# expect: ...'", path);
        const char *want = line + strlen(tag);
        fa_scenario *sc = NULL;
        fa_error err;
        fa_error_clear(&err);
        fa_status st = fa_scenario_load(path, &sc, &err);
        CHECK_MSG(st != FA_OK && sc == NULL, "%s: parsed but should fail", path);
        CHECK_MSG(err.code == st, "%s: err.code %d != status %d", path, err.code, st);
        char prefix[600];
        snprintf(prefix, sizeof prefix, "%s:", path);
        CHECK_MSG(!strncmp(err.msg, prefix, strlen(prefix)), "%s: message lacks the file name: %s", path, err.msg);
        CHECK_MSG(strstr(err.msg, want) != NULL, "%s:\n   expected: %s\n   got:      %s", path, want, err.msg);
        /* the line:col in the expectation is the error's position */
        int el = 0, ec = 0;
        if (sscanf(want, "%d:%d:", &el, &ec) == 2) CHECK_MSG(err.line == el && err.col == ec, "%s: position %d:%d", path, err.line, err.col);
        fa_scenario_free(sc);
        free(names[i]);
    }
}

int main(void)
{
    fa_error err;
    /* person units, defaults, start date, weekday */
    fa_scenario *sc = parse("name: p\n"
                            "start: 2026-03-04\n"
                            "days: 10\n"
                            "cadence: 176 spm\n"
                            "person:\n"
                            "  body: runner.yaml\n"
                            "  mass: 154 lb\n"
                            "  height: 175 cm\n"
                            "  sex: male\n"
                            "  age: 41\n"
                            "  parameters: {collagen_rate: 1.5, hyd: 0.9}\n"
                            "schedule:\n"
                            "  - daily 07:00 hydrate 500 ml\n"
                            "  - Mon,Wed-Fri 06:00 run 5:00 /km 10 km\n"
                            "  - Sat 09:00 run 21.1 km 10 km/h cadence 168 terrain trail\n"
                            "  - weekends 10:00 walk 40 min 1.3 m/s\n"
                            "  - weekdays 09:00-17:00 sit_slumped\n"
                            "  - weekdays 09:30-17:00 move_break 2 min every 20 min\n"
                            "  - Sun 20:00 bath 20 min\n"
                            "  - Tue 20:00 foam_roll 5 min region lateral_thigh hold 3 min\n"
                            "  - daily 22:00-06:00 sleep\n"
                            "events:\n"
                            "  - date 2026-03-08 12:00 tug 15 s 20 N\n"
                            "  - dates 2026-03-10..2026-03-12 no running\n",
                            &err);
    CHECK(sc != NULL);
    if (sc) {
        CHECK(sc->ndays == 10);
        CHECK(sc->start_weekday == 2); /* 2026-03-04 is a Wednesday */
        CHECK(sc->start_date == 20516);
        CHECK_REL(sc->person.mass, 154 * 0.45359237, 1e-15);
        CHECK_REL(sc->person.height, 1.75, 1e-15);
        CHECK(sc->person.sex == FA_SEX_MALE && sc->person.age == 41);
        CHECK(!strcmp(sc->person.body, "runner.yaml"));
        CHECK(sc->person.nparam == 2 && !strcmp(sc->person.param_name[1], "hyd") && sc->person.param_value[0] == 1.5);
        CHECK(sc->nentry == 10);
        const fa_entry *e = &sc->entry[0];
        CHECK(e->proto.act == FA_ACT_HYDRATE && e->proto.dur == 0 && fabs(e->proto.volume - 5e-4) < 1e-18);
        e = &sc->entry[1];
        CHECK(e->days == 0x1d); /* Mon, Wed, Thu, Fri */
        CHECK_REL(e->proto.speed, 1000.0 / 300.0, 1e-14);
        CHECK_REL(e->proto.dur, 3000.0, 1e-14);
        CHECK(e->proto.cadence == 176);  /* the scenario's cadence */
        CHECK(e->start == 6 * 3600);
        e = &sc->entry[2];
        CHECK_REL(e->proto.speed, 10 / 3.6, 1e-15);
        CHECK_REL(e->proto.dur, 21100 / (10 / 3.6), 1e-14);
        CHECK(e->proto.cadence == 168 && !strcmp(e->proto.terrain, "trail"));
        e = &sc->entry[3];
        CHECK(e->days == 0x60 && e->proto.cadence == 115.2); /* walking default, not the running cadence */
        e = &sc->entry[5];
        CHECK(e->every == 1200 && e->proto.dur == 120 && e->until == 17 * 3600);
        e = &sc->entry[6];
        CHECK(e->proto.temp == 40.0); /* catalogue default */
        e = &sc->entry[7];
        CHECK(e->proto.hold == 180 && e->proto.pressure == 33.4e3 && !strcmp(e->proto.region, "lateral_thigh"));
        e = &sc->entry[8];
        CHECK(e->proto.dur == 8 * 3600 && e->start == 22 * 3600);
        e = &sc->entry[9];
        CHECK(e->owner == FA_OWN_EVENT && e->day0 == 4 && e->day1 == 4 && e->proto.force == 20 && e->proto.dur == 15);
        CHECK(sc->nblock == 1 && sc->block[0].day0 == 6 && sc->block[0].day1 == 8);
        CHECK(sc->block[0].mask == ((1ull << FA_ACT_RUN) | (1ull << FA_ACT_RACE)));
        CHECK(!strcmp(fa_activity_get(sc->idle)->name, "stand"));
        CHECK(sc->variant == -1 && sc->nvariant == 0);
    }
    fa_scenario_free(sc);

    /* defaults: 365 days, Monday start, no date */
    sc = parse("schedule:\n  - daily 22:00 sleep 8 h\n", &err);
    CHECK(sc && sc->ndays == 365 && sc->start_weekday == 0 && sc->start_date == INT_MIN);
    CHECK(sc && sc->person.mass == 70.0 && !strcmp(sc->person.body, "default"));
    fa_scenario_free(sc);

    /* phases in the short form "weeks A-B: name" */
    sc = parse("weeks: 10\nschedule:\n  - daily 22:00 sleep 8 h\nphases:\n  - weeks 1-4: base\n"
               "  - weeks 5-10:\n      name: care\n      add: ['daily 07:00 stretch 5 min']\n      remove: [sleep]\n", &err);
    CHECK(sc && sc->nphase == 2 && !strcmp(sc->phase[0].name, "base") && sc->phase[0].week0 == 1 && sc->phase[0].week1 == 4);
    CHECK(sc && !strcmp(sc->phase[1].name, "care") && sc->phase[1].week0 == 5 && sc->phase[1].week1 == 10);
    CHECK(sc && sc->phase[1].remove == (1ull << FA_ACT_SLEEP) && sc->nentry == 2 && sc->entry[1].owner == FA_OWN_PHASE);
    fa_scenario_free(sc);

    /* variants: default, explicit, unknown */
    const char *vt = "variant: a\nschedule:\n  - daily 18:00 run 30 min 3 m/s\n"
                     "variants:\n  a:\n    add: ['daily 07:00 stretch 5 min']\n"
                     "  b:\n    remove: [run]\n    add: ['daily 18:00 walk 30 min 1.4 m/s']\n";
    sc = NULL;
    CHECK(fa_scenario_parse_variant(vt, strlen(vt), "v.yaml", NULL, &sc, &err) == FA_OK);
    CHECK(sc && sc->variant == 0 && sc->nvariant == 2 && sc->nentry == 2 && sc->entry[1].proto.act == FA_ACT_STRETCH);
    fa_scenario_free(sc);
    CHECK(fa_scenario_parse_variant(vt, strlen(vt), "v.yaml", "b", &sc, &err) == FA_OK);
    CHECK(sc && sc->variant == 1 && sc->nentry == 2 && sc->entry[0].days == 0 && sc->entry[1].proto.act == FA_ACT_WALK);
    fa_scenario_free(sc);
    CHECK(fa_scenario_parse_variant(vt, strlen(vt), "v.yaml", "", &sc, &err) == FA_OK);
    CHECK(sc && sc->variant == -1 && sc->nentry == 1);
    fa_scenario_free(sc);
    CHECK(fa_scenario_parse_variant(vt, strlen(vt), "v.yaml", "c", &sc, &err) == FA_ERR_UNKNOWN);
    CHECK(strstr(err.msg, "unknown variant 'c' (expected one of: a, b)") != NULL);

    /* built-ins: all parse, with every variant */
    int nb = 0;
    for (int i = 0; fa_scenario_builtin_name(i); i++, nb++) {
        const char *name = fa_scenario_builtin_name(i);
        CHECK_MSG(fa_scenario_load_builtin(name, &sc, &err) == FA_OK, "%s: %s", name, err.msg);
        if (!sc) continue;
        int nv = sc->nvariant;
        char vn[FA_SC_MAX_VARIANT][32];
        memcpy(vn, sc->variant_name, sizeof vn);
        fa_scenario_free(sc);
        for (int v = 0; v < nv; v++) {
            char full[320];
            snprintf(full, sizeof full, "%s:%s", name, vn[v]);
            CHECK_MSG(fa_scenario_load_builtin(full, &sc, &err) == FA_OK, "%s: %s", full, err.msg);
            CHECK(sc && sc->variant == v);
            fa_scenario_free(sc);
        }
    }
    CHECK(nb == 6);
    CHECK(fa_scenario_load_builtin("nope", &sc, &err) == FA_ERR_UNKNOWN && sc == NULL);
    CHECK(strstr(err.msg, "desk-runner") != NULL);
    /* the files in data/scenarios are the built-ins, byte for byte */
    size_t len = 0;
    const char *txt = fa_scenario_builtin_text("desk-runner", &len);
    FILE *f = fopen("data/scenarios/desk-runner.yaml", "rb");
    CHECK(txt && f);
    if (txt && f) {
        char *buf = malloc(len + 1);
        CHECK(fread(buf, 1, len + 1, f) == len && !memcmp(buf, txt, len));
        free(buf);
    }
    if (f) fclose(f);
    /* load a file through the ':variant' suffix */
    CHECK(fa_scenario_load("data/scenarios/yin-vs-flow.yaml:flow", &sc, &err) == FA_OK);
    CHECK(sc && sc->variant == 1);
    fa_scenario_free(sc);
    CHECK(fa_scenario_load("no/such/file.yaml", &sc, &err) == FA_ERR_IO);

    /* absurd nesting is refused before libyaml composes it */
    {
        static char deep[200100];
        size_t k = (size_t)snprintf(deep, sizeof deep, "schedule: ");
        for (int i = 0; i < 100000; i++) deep[k++] = '[';
        for (int i = 0; i < 100000; i++) deep[k++] = ']';
        CHECK(fa_scenario_parse(deep, k, "deep.yaml", &sc, &err) == FA_ERR_RANGE && strstr(err.msg, "nested"));
    }

    bad_corpus();
    TEST_MAIN_END();
}
