/* SPDX-License-Identifier: MIT */
/* Every region named by every built-in scenario (and variant), including
 * the catalogue's default regions, is a reporting region of the default
 * runner body data/bodies/runner.yaml; a misspelt one is reported at its
 * scenario line. */
#include <string.h>

#include "fascia/load.h"
#include "fascia/scenario.h"
#include "harness.h"

int main(void)
{
    fa_model *m = NULL;
    fa_error err;
    fa_status st = fa_model_load("data/bodies/runner.yaml", &m, &err);
    CHECK_MSG(st == FA_OK, "%s", err.msg);
    if (!m) TEST_MAIN_END();
    CHECK(m->nregion > 10);
    int nchecked = 0;
    for (int b = 0; fa_scenario_builtin_name(b); b++) {
        const char *name = fa_scenario_builtin_name(b);
        fa_scenario *sc = NULL;
        CHECK(fa_scenario_load_builtin(name, &sc, &err) == FA_OK);
        if (!sc) continue;
        int nv = sc->nvariant;
        char vn[FA_SC_MAX_VARIANT][32];
        memcpy(vn, sc->variant_name, sizeof vn);
        CHECK_MSG(fa_scenario_check_regions(sc, m, &err) == FA_OK, "%s: %s", name, err.msg);
        nchecked++;
        fa_scenario_free(sc);
        for (int v = 0; v < nv; v++) {
            char full[320];
            snprintf(full, sizeof full, "%s:%s", name, vn[v]);
            CHECK(fa_scenario_load_builtin(full, &sc, &err) == FA_OK);
            CHECK_MSG(sc && fa_scenario_check_regions(sc, m, &err) == FA_OK, "%s: %s", full, err.msg);
            nchecked++;
            fa_scenario_free(sc);
        }
    }
    CHECK(nchecked == 10); /* 6 scenarios + 4 variants */
    const char *txt = "schedule:\n  - daily 22:00 sleep 8 h\n  - daily 20:00 foam_roll 4 min region lateral_thight\n";
    fa_scenario *sc = NULL;
    CHECK(fa_scenario_parse(txt, strlen(txt), "typo.yaml", &sc, &err) == FA_OK);
    CHECK(sc && fa_scenario_check_regions(sc, m, &err) == FA_ERR_UNKNOWN);
    CHECK_MSG(!strncmp(err.msg, "typo.yaml:3: unknown region 'lateral_thight' in an entry", 55), "%s", err.msg);
    fa_scenario_free(sc);
    fa_model_free(m);
    TEST_MAIN_END();
}
