/* SPDX-License-Identifier: MIT */
/* Public solver entry points: the Newton drivers of newton.c with the
 * mechanics stage's assembly (fa_assemble) and history update
 * (fa_visc_commit). */
#include <math.h>

#include "fascia/mech.h"
#include "mech/mech_internal.h"
#include "solve/solve_internal.h"

static const fa_asm_ops mech_ops = {fa_assemble, fa_visc_commit};
/* static solves read only the free-free blocks of the tangent (linsys.c):
 * the assembly skips the rest (docs/solvers.md, "Cheaper trial points") */
static const fa_asm_ops mech_static_ops = {fa_assemble_free, fa_visc_commit};

fa_status fa_solve_static(const fa_model *m, fa_data *d, const fa_static_def *def, fa_static_report *rep,
                          fa_error *err)
{
    return fa_solve_static_ops(m, d, def, rep, &mech_static_ops, err);
}

fa_status fa_step_ex(const fa_model *m, fa_data *d, const fa_step_def *def, fa_step_report *rep, fa_error *err)
{
    return fa_step_ops(m, d, def, rep, &mech_ops, err);
}

fa_status fa_step(const fa_model *m, fa_data *d, fa_error *err) { return fa_step_ops(m, d, NULL, NULL, &mech_ops, err); }

fa_status fa_simulate(const fa_model *m, fa_data *d, double duration, const fa_step_def *def, fa_step_callback cb,
                      void *user, fa_error *err)
{
    if (!m || !d) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_simulate: expected model and data");
    double h = def && def->h > 0 ? def->h : m->opt.timestep;
    if (!(duration >= 0) || !isfinite(duration) || !(h > 0))
        return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                            "fa_simulate: expected duration >= 0 s and step > 0 s, found %g s and %g s", duration, h);
    long n = lround(duration / h);
    fa_status first = FA_OK;
    for (long k = 0; k < n; k++) {
        fa_status s = fa_step_ops(m, d, def, NULL, &mech_ops, err);
        if (s == FA_ERR_NOCONV) {
            if (first == FA_OK) first = s;
        } else if (s != FA_OK) {
            return s;
        }
        if (cb && cb(m, d, user)) break;
    }
    if (first != FA_OK && err) err->code = first;
    return first;
}
