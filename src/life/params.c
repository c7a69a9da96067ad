/* SPDX-License-Identifier: MIT */
/* The runner's own parameters: the compiled copy of data/life/parameters.csv
 * (value, unit, source, grade per row there; tests/life checks the two
 * agree): the runner's rows (internal.h) followed by the stimulus builder's
 * (stimparams.h). */
#include <string.h>

#include "life/internal.h"
#include "life/stimparams.h"

static const struct {
    const char *id;
    double value;
} table[FA_LP_ALL_COUNT] = {
#define FA_LP_ROW_(e, id, value) {id, value},
    FA_LIFE_PARAMS(FA_LP_ROW_) FA_LIFE_STIM_PARAMS(FA_LP_ROW_)
#undef FA_LP_ROW_
};

int fa_life_nparam(void) { return FA_LP_ALL_COUNT; }
const char *fa_life_param_id(int i) { return (i >= 0 && i < FA_LP_ALL_COUNT) ? table[i].id : NULL; }
double fa_life_param_value(int i) { return (i >= 0 && i < FA_LP_ALL_COUNT) ? table[i].value : 0.0; }
double fa_life_param(int i) { return table[i].value; }
