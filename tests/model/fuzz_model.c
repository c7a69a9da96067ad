/* SPDX-License-Identifier: MIT */
/* Fuzz entry point for the body-file loader (libFuzzer convention). Any
 * input must either compile or fail with a status and a message; never
 * crash, hang, leak or read out of bounds. Built as a libFuzzer target with
 * -DFA_LIBFUZZER=ON (clang) and driven deterministically by fuzz_driver.c
 * in the normal test suite. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* inputs that compiled (the driver reports it: mutants must reach the compiler) */
long fa_fuzz_compiled = 0;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fa_model *m = NULL;
    fa_error err;
    /* includes resolve against tests/model/good/ (when run from the
     * repository root), so mutants of included.yaml still find minimal.yaml */
    fa_status st =
        fa_model_load_buffer((const char *)data, size, "tests/model/good/fuzz-input.yaml", &m, &err);
    if (st == FA_OK) {
        if (!m) abort();
        fa_fuzz_compiled++;
        fa_model_free(m);
    } else {
        if (m || err.code != st || err.msg[0] == '\0') abort();
    }
    return 0;
}
