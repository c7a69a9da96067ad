/* SPDX-License-Identifier: MIT */
/* Small hand-built models for the mechanics tests (no YAML needed). */
#ifndef FA_TEST_MECH_FIXTURES_H
#define FA_TEST_MECH_FIXTURES_H

#include <stdlib.h>
#include <string.h>

#include "fascia/data.h"
#include "fascia/mech.h"
#include "fascia/model.h"

/* Model sizes; everything else zero. */
static inline fa_model *fx_alloc(int nmat, int nprony, int nnode, int ncord, int nmem, int nintf, int nmuscle)
{
    fa_model s;
    memset(&s, 0, sizeof s);
    s.nmat = nmat;
    s.nprony = nprony;
    s.nnode = nnode;
    s.ncord = ncord;
    s.nmem = nmem;
    s.nintf = nintf;
    s.nmuscle = nmuscle;
    s.nelem = ncord + nmem + nintf + nmuscle;
    s.nnamechar = 16;
    fa_model *m = fa_model_alloc(&s);
    if (!m) return NULL;
    for (int i = 0; i < nmat; i++) {
        m->mat_name[i] = -1;
        m->mat_E[i] = 400e6; /* fascia lata order of magnitude, Pa */
        m->mat_toe[i] = 0.02;
        m->mat_Em[i] = 1e6;
        m->mat_nu[i] = 0.3;
        m->mat_rho[i] = 1100;
        m->mat_fail[i] = 0.14;
        m->mat_fib2_angle[i] = 78.0 * 3.14159265358979323846 / 180.0;
        m->mat_fib2_frac[i] = 0.3;
        m->mat_grade[i] = 'C';
        m->mat_cite[i] = -1;
    }
    for (int i = 0; i < nnode; i++) {
        m->node_name[i] = -1;
        m->node_body[i] = -1;
    }
    for (int i = 0; i < ncord; i++) {
        m->cord_name[i] = -1;
        m->cord_area[i] = 1e-5;
    }
    for (int i = 0; i < nmem; i++) m->mem_thick[i] = 1e-3;
    for (int i = 0; i < nintf; i++) {
        m->intf_area[i] = 1e-4;
        m->intf_G[i] = 1e3;
        m->intf_h[i] = 43e-6;
        m->intf_eta[i] = 1.0;
        m->intf_kn[i] = 1e4;
        m->intf_normal[3 * i + 2] = 1.0;
    }
    for (int i = 0; i < nmuscle; i++) {
        m->muscle_name[i] = -1;
        m->muscle_fmax[i] = 1000;
        m->muscle_lopt[i] = 0.1;
        m->muscle_vmax[i] = 10;
    }
    return m;
}

static inline void fx_set_node(fa_model *m, int i, double x, double y, double z)
{
    m->node_pos0[3 * i] = x;
    m->node_pos0[3 * i + 1] = y;
    m->node_pos0[3 * i + 2] = z;
}

/* Deterministic pseudo-random numbers in [-1, 1). */
static inline double fx_rand(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return ((*s >> 8) & 0xFFFFFF) / 8388608.0 - 1.0;
}
#endif
