/* SPDX-License-Identifier: MIT */
/* Conformance suite every physiology module must pass:
 *  1. steady state: under the habitual stimulus the module's state stays put
 *     (1-day and 1-hour steps, 60 days);
 *  2. robustness: random stimuli and step sizes (1 min .. 3 days) never give
 *     NaN/Inf and keep every field within its declared bounds;
 *  3. dt refinement: from a perturbed state, one 1-day step and 24 one-hour
 *     steps under the same constant stimulus agree within 5 % of the change
 *     (plus 1e-9 absolute);
 *  4. determinism, snapshot/restore and reset through fa_data hashes (the
 *     physiology block is part of the hash). */
#include <stdio.h>

#include "harness.h"
#include "physio_util.h"

static int nvals(const fa_model *m, fa_physio_field_info fi) { return fi.on_interfaces ? m->nintf : m->nelem; }

static int defined_on(const fa_model *m, fa_physio_field_info fi, int i)
{
    if (fi.on_interfaces) return 1;
    fa_kind k = fa_elem_kind(m, i, NULL);
    return (fi.kinds >> (unsigned)k) & 1u;
}

/* Copy of all module fields (for comparisons). */
typedef struct snap {
    double v[64][256];
} snap;

static void take(const fa_model *m, fa_data *d, int k, snap *s)
{
    for (int j = 0; j < fa_physio_nfield(k); j++) {
        fa_physio_field_info fi = fa_physio_field(k, j);
        double *x = fa_physio_state(m, d, fi.name);
        for (int i = 0; i < nvals(m, fi); i++) s->v[j][i] = x[i];
    }
}

int main(void)
{
    const int N = 3;
    fa_model *m = tiny_model(N);
    fa_error err;
    fa_physio_params *p = fa_physio_params_default(&err);
    CHECK_MSG(p != NULL, "%s", err.msg);
    fa_data *d = fa_data_alloc(m, 0), *d2 = fa_data_alloc(m, 0);
    fa_stimulus *s = fa_stimulus_alloc(m);
    CHECK(fa_physio_init(m, d, p, &err) == FA_OK);
    CHECK(fa_physio_init(m, d2, p, &err) == FA_OK);
    static snap a, b, c;

    for (int k = 0; k < fa_physio_nmodule(); k++) {
        const char *name = fa_physio_module_name(k);
        CHECK(fa_physio_module_find(name) == k);
        CHECK(fa_physio_nfield(k) > 0 && fa_physio_nfield(k) <= 64);
        /* 1. steady state under the habitual day (whole registry stepping, so
         *    inputs from other modules are at their own steady state) */
        for (int pass = 0; pass < 2; pass++) {
            double dt = pass ? 3600.0 : 86400.0;
            fa_physio_reset(m, d);
            take(m, d, k, &a);
            fa_stimulus_baseline(m, d, s, dt);
            for (double t = 0; t < 60 * 86400.0; t += dt) fa_physio_step(m, d, s, dt);
            take(m, d, k, &b);
            for (int j = 0; j < fa_physio_nfield(k); j++) {
                fa_physio_field_info fi = fa_physio_field(k, j);
                for (int i = 0; i < nvals(m, fi); i++)
                    CHECK_MSG(fabs(b.v[j][i] - a.v[j][i]) <= 1e-9 * fmax(1.0, fabs(a.v[j][i])),
                              "%s drifts under habitual stimulus (dt %g): %.12g -> %.12g", fi.name, dt, a.v[j][i],
                              b.v[j][i]);
            }
        }
        /* 2. random stimuli: finite and within bounds */
        fa_physio_reset(m, d);
        for (int it = 0; it < 300; it++) {
            double dt = 60.0 * pow(10.0, 3.6 * urand()); /* 1 min .. ~3 days */
            random_stimulus(m, d, s, dt);
            fa_physio_step(m, d, s, dt);
            for (int j = 0; j < fa_physio_nfield(k); j++) {
                fa_physio_field_info fi = fa_physio_field(k, j);
                double *x = fa_physio_state(m, d, fi.name);
                for (int i = 0; i < nvals(m, fi); i++) {
                    if (!defined_on(m, fi, i)) continue;
                    CHECK_MSG(isfinite(x[i]) && x[i] >= fi.lo && x[i] <= fi.hi,
                              "%s[%d] = %g outside [%g, %g] after random step %d", fi.name, i, x[i], fi.lo, fi.hi, it);
                }
            }
        }
        /* 3. dt refinement: perturb, then 1 x 1 day vs 24 x 1 h on copies */
        fa_physio_reset(m, d);
        for (int it = 0; it < 5; it++) {
            random_stimulus(m, d, s, 43200.0);
            fa_physio_step(m, d, s, 43200.0);
        }
        random_stimulus(m, d, s, 86400.0);
        s->heat_mode = FA_HEAT_NONE;
        fa_data_copy(m, d2, d);
        take(m, d, k, &a);
        fa_physio_step_module(m, d, k, s, 86400.0);
        take(m, d, k, &b);
        /* hourly: extensive quantities scale with the step */
#define SCALE_(f) for (int e = 0; e < m->nelem; e++) s->f[e] /= 24.0;
        SCALE_(t_load) SCALE_(cycles) SCALE_(t_press) SCALE_(t_slide)
#undef SCALE_
        for (int h = 0; h < 24; h++) fa_physio_step_module(m, d2, k, s, 3600.0);
        take(m, d2, k, &c);
        for (int j = 0; j < fa_physio_nfield(k); j++) {
            fa_physio_field_info fi = fa_physio_field(k, j);
            for (int i = 0; i < nvals(m, fi); i++) {
                if (!defined_on(m, fi, i)) continue;
                /* clamped regimes (a value at a declared bound) are not smooth */
                double span = 1e-3 * fmin(1.0, fi.hi - fi.lo);
                if (fmin(b.v[j][i], c.v[j][i]) <= fi.lo + span || fmax(b.v[j][i], c.v[j][i]) >= fi.hi - span) continue;
                double tol = 0.05 * fabs(c.v[j][i] - a.v[j][i]) + 1e-9 * fmax(1.0, fabs(c.v[j][i]));
                CHECK_MSG(fabs(b.v[j][i] - c.v[j][i]) <= tol, "%s[%d]: 1 day %.10g vs 24 h %.10g (start %.10g)",
                          fi.name, i, b.v[j][i], c.v[j][i], a.v[j][i]);
            }
        }
        fa_stimulus_baseline(m, d, s, 3600.0); /* restore whole-body inputs for the next module */
    }

    /* 1b. steady state also holds for an arbitrary per-element habitual set
     *     point (fa_physio_set_habitual): every module, every field */
    /* a sustainable but element-specific ordinary day */
    random_stimulus(m, d, s, 86400.0);
    for (int e = 0; e < m->nelem; e++) {
        s->strain_peak[e] = 0.005 + 0.02 * urand();
        s->cycles[e] = 8000.0 * urand();
    }
    CHECK(fa_physio_set_habitual(m, d, s, 86400.0, &err) == FA_OK);
    CHECK(fa_physio_set_habitual(m, d, s, 0.0, &err) == FA_ERR_ARG);
    for (int k = 0; k < fa_physio_nmodule(); k++) take(m, d, k, k == 0 ? &a : &c);
    static snap all0[16];
    for (int k = 0; k < fa_physio_nmodule() && k < 16; k++) take(m, d, k, &all0[k]);
    for (int pass = 0; pass < 2; pass++) {
        double dt = pass ? 3600.0 : 86400.0;
        fa_physio_reset(m, d);
        fa_stimulus_baseline(m, d, s, dt);
        for (double t = 0; t < 60 * 86400.0; t += dt) fa_physio_step(m, d, s, dt);
        for (int k = 0; k < fa_physio_nmodule() && k < 16; k++) {
            take(m, d, k, &b);
            for (int j = 0; j < fa_physio_nfield(k); j++) {
                fa_physio_field_info fi = fa_physio_field(k, j);
                for (int i = 0; i < nvals(m, fi); i++)
                    CHECK_MSG(fabs(b.v[j][i] - all0[k].v[j][i]) <= 1e-9 * fmax(1.0, fabs(all0[k].v[j][i])),
                              "%s[%d] drifts under its own habitual day (dt %g): %.12g -> %.12g", fi.name, i, dt,
                              all0[k].v[j][i], b.v[j][i]);
            }
        }
    }
    /* back to the reference person for the hash checks */
    CHECK(fa_physio_init(m, d, p, &err) == FA_OK);

    /* 4. determinism, snapshot/restore, reset */
    fa_physio_reset(m, d);
    fa_physio_reset(m, d2);
    uint64_t h0 = fa_data_hash(m, d);
    CHECK(h0 == fa_data_hash(m, d2));
    uint64_t seed = rng_state_;
    for (int it = 0; it < 50; it++) {
        random_stimulus(m, d, s, 7200.0);
        fa_physio_step(m, d, s, 7200.0);
    }
    rng_state_ = seed;
    for (int it = 0; it < 50; it++) {
        random_stimulus(m, d2, s, 7200.0);
        fa_physio_step(m, d2, s, 7200.0);
    }
    CHECK(fa_data_hash(m, d) == fa_data_hash(m, d2));
    CHECK(fa_data_hash(m, d) != h0);
    /* a change only in the physiology block changes the hash */
    double *sw = fa_physio_state(m, d2, "hydration.swell");
    CHECK(sw != NULL);
    sw[0] += 1e-12;
    CHECK(fa_data_hash(m, d) != fa_data_hash(m, d2));
    /* snapshot, continue both, same hash */
    fa_data_copy(m, d2, d);
    random_stimulus(m, d, s, 3600.0);
    fa_physio_step(m, d, s, 3600.0);
    fa_physio_step(m, d2, s, 3600.0);
    CHECK(fa_data_hash(m, d) == fa_data_hash(m, d2));
    /* reset returns to the initial hash */
    fa_data_reset(m, d);
    fa_physio_reset(m, d);
    CHECK(fa_data_hash(m, d) == h0);
    /* parameters live in the state too */
    CHECK(fa_physio_param(d, "dmg.S0") == 101.3);
    CHECK(fa_physio_state_const(m, d, "remodel.syn") == fa_physio_state(m, d, "remodel.syn"));
    CHECK(fa_physio_state(m, d, "remodel.nosuch") == NULL && fa_physio_state(m, d, "tis_hyd") == d->tis_hyd);
    CHECK(fa_physio_state(m, d, "intf_visc") == d->intf_visc);
    CHECK(isnan(fa_physio_param(d, "no.such")));

    fa_stimulus_free(s);
    fa_data_free(d);
    fa_data_free(d2);
    fa_physio_params_free(p);
    fa_model_free(m);
    TEST_MAIN_END();
}
