/* SPDX-License-Identifier: MIT */
/* Helpers for the physiology tests: a tiny model (n of each element kind,
 * one region per group of one cord + one membrane + one interface + one
 * muscle) and a deterministic random generator. */
#ifndef FA_PHYSIO_TEST_UTIL_H
#define FA_PHYSIO_TEST_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/physio.h"

static inline fa_model *tiny_model(int n)
{
    fa_model s;
    memset(&s, 0, sizeof s);
    s.nnode = 2 * n + 2;
    s.ncord = s.nmem = s.nintf = s.nmuscle = n;
    s.nelem = 4 * n;
    s.nregion = n;
    s.nregionel = 4 * n;
    s.nnamechar = 4;
    fa_model *m = fa_model_alloc(&s);
    if (!m) return NULL;
    m->opt = fa_default_options();
    for (int i = 0; i < s.nnode; i++) m->node_body[i] = -1;
    for (int i = 0; i < n; i++) {
        m->cord_mat[i] = -1;
        m->mem_mat[i] = -1;
        m->intf_area[i] = 1e-3;
        m->region_adr[i] = 4 * i;
        m->region_num[i] = 4;
        m->region_elem[4 * i + 0] = i;
        m->region_elem[4 * i + 1] = n + i;
        m->region_elem[4 * i + 2] = 2 * n + i;
        m->region_elem[4 * i + 3] = 3 * n + i;
    }
    return m;
}

static uint64_t rng_state_ = 0x9E3779B97F4A7C15ULL;
static inline double urand(void)
{
    rng_state_ ^= rng_state_ << 13;
    rng_state_ ^= rng_state_ >> 7;
    rng_state_ ^= rng_state_ << 17;
    return (double)(rng_state_ >> 11) * (1.0 / 9007199254740992.0);
}

/* A random but plausible stimulus over dt (covers rest .. heavy overload). */
static inline void random_stimulus(const fa_model *m, const fa_data *d, fa_stimulus *s, double dt)
{
    fa_stimulus_baseline(m, d, s, dt);
    for (int e = 0; e < m->nelem; e++) {
        s->strain_peak[e] = 0.12 * urand() * urand();
        s->strain_mean[e] = s->strain_peak[e] * urand() - 0.01 * urand();
        s->strain_rate[e] = 2.0 * urand();
        s->stress_mean[e] = 5e6 * urand() * urand();
        s->stress_peak[e] = 2.0 * s->stress_mean[e];
        s->t_load[e] = dt * urand();
        s->cycles[e] = dt * 3.0 * urand() * urand();
        s->pressure[e] = 2e5 * urand() * urand();
        s->t_press[e] = dt * urand() * urand();
        s->slide_amp[e] = 0.02 * urand();
        s->slide_vel[e] = 0.1 * urand();
        s->t_slide[e] = dt * urand();
        s->heat[e] = 5.0 + 40.0 * urand();
        s->effort[e] = urand();
    }
    s->activity = urand();
    s->water = urand() * 1.2;
    s->rest = urand() < 0.3;
    s->heat_mode = (fa_heat_mode)(int)(4.0 * urand());
}

#endif
