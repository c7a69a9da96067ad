/* SPDX-License-Identifier: MIT */
/* "No allocation inside a step": after the first call has built the solver
 * workspace (maps, CHOLMOD analysis), static solves and dynamics steps make
 * no malloc/realloc call at all, CHOLMOD's refactorisations included, with
 * every linear solver. Counted by interposing malloc and realloc (skipped
 * under AddressSanitizer, which owns the allocator). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

#include "fascia/sim.h"
#include "harness.h"
#include "models.h"

#if defined(__SANITIZE_ADDRESS__)
#define COUNTING 0
#else
#define COUNTING 1
static long nalloc = 0;
static void *(*real_malloc)(size_t);
static void *(*real_realloc)(void *, size_t);
void *malloc(size_t n)
{
    if (!real_malloc) real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    nalloc++;
    return real_malloc(n);
}
void *realloc(void *p, size_t n)
{
    if (!real_realloc) real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    nalloc++;
    return real_realloc(p, n);
}
#endif

int main(void)
{
#if COUNTING
    tm_sheet_interfaces = 1;
    fa_model *m = tm_sheet(12, 7, 0.01, 0.01, 1.509e8, 0.02, 1e6, 0.3, 0.15, 1.5e-3, 1, 3.5e8, 1e-6);
    tm_sheet_interfaces = 0;
    CHECK(m != NULL);
    if (!m) TEST_MAIN_END();
    fa_data *d = fa_data_alloc(m, 0);
    const fa_linsolver kinds[3] = {FA_LIN_AUTO, FA_LIN_CHOLMOD, FA_LIN_PCG};
    for (int k = 0; k < 3; k++) {
        fa_static_def sdef = fa_default_static_def();
        fa_step_def def = fa_default_step_def();
        sdef.linsolver = def.linsolver = kinds[k];
        fa_data_reset(m, d);
        for (int j = 0; j < 7; j++) d->f_ext[3 * (j * 12 + 11)] = 3.0;
        CHECK(fa_solve_static(m, d, &sdef, NULL, NULL) == FA_OK); /* builds the workspace */
        for (int j = 0; j < 7; j++) d->f_ext[3 * (j * 12 + 11)] = 0.0;
        long n0 = nalloc;
        int fac = 0, its = 0;
        for (int s = 0; s < 40; s++) {
            fa_step_report rep;
            CHECK(fa_step_ex(m, d, &def, &rep, NULL) == FA_OK);
            fac += rep.factorizations;
            its += rep.iterations;
        }
        for (int j = 0; j < 7; j++) d->f_ext[3 * (j * 12 + 11) + 2] = 0.5;
        fa_static_report srep;
        CHECK(fa_solve_static(m, d, &sdef, &srep, NULL) == FA_OK);
        CHECK(its > 0 && srep.iterations > 0);
        if (kinds[k] == FA_LIN_CHOLMOD) CHECK(fac > 0); /* refactorisations were exercised */
        CHECK_MSG(nalloc == n0, "solver %d: %ld allocations in 40 steps and a static solve", k, nalloc - n0);
    }
    fa_data_free(d);
    fa_model_free(m);
#else
    printf("allocation counting skipped under AddressSanitizer\n");
#endif
    TEST_MAIN_END();
}
