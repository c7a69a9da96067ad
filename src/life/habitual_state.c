/* SPDX-License-Identifier: MIT */
/* The healthy person's tissue state: the state `fascia run` starts a person
 * from (fa_life_create with the same definition), built without a scenario of
 * the caller's. The clinical tests measure and calibrate on it
 * (fascia test-clinical, docs/clinical.md): with def->habitual_day every
 * physiology module sits at its steady state under the reference person's
 * ordinary day on this body (sleep, upright sitting, four walks, standing;
 * fa_life_set_habitual), which is not the steady state under the stim.*
 * reference that fa_physio_init gives (habitual tone, damage and layer state
 * differ per element). */
#include <string.h>

#include "fascia/life.h"
#include "fascia/scenario.h"

fa_status fa_life_habitual_state(const fa_model *m, const fa_life_def *def, fa_data *out, fa_error *err)
{
    if (!m || !def || !out)
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected a model, a run definition and a state to fill");
    /* any scenario gives the same start state: fa_life_create reads the scenario's days and
     * first running speed (the ITB energy it reports), never its schedule, for the start state */
    static const char text[] = "name: habitual-day\ndays: 1\nidle: stand\nschedule:\n  - daily 23:00 sleep 8 h\n";
    fa_scenario *sc = NULL;
    fa_status st = fa_scenario_parse(text, strlen(text), "<habitual day>", &sc, err);
    if (st) return st;
    fa_life_def d = *def;
    d.ndays = 1;
    fa_life *L = NULL;
    st = fa_life_create(m, sc, &d, &L, err);
    if (!st) fa_data_copy(m, out, fa_life_data(L));
    fa_life_free(L);
    fa_scenario_free(sc);
    return st;
}
