/* SPDX-License-Identifier: MIT */
/* Scenario stage internals (not installed). */
#ifndef FA_SCENARIO_INTERNAL_H
#define FA_SCENARIO_INTERNAL_H

#include "core/internal.h"
#include "fascia/scenario.h"

/* Built-in scenario table (generated at build time from data/scenarios/). */
typedef struct fa_builtin_file {
    const char *name;
    const unsigned char *text;
    size_t len;
} fa_builtin_file;
FA_HIDDEN extern const fa_builtin_file fa_builtin_scenarios[];
FA_HIDDEN extern const int fa_builtin_nscenarios;

/* Copy a string into a fixed buffer; 0 when it fits, -1 when too long. */
FA_HIDDEN int fa_sc_copy(char *dst, size_t cap, const char *src, size_t n);

#endif
