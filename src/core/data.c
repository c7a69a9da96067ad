/* SPDX-License-Identifier: MIT */
/* fa_data allocation, reset, copy, hash, arena and anchoring. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ROWS_(m, rows) ((size_t)((m)->rows > 0 ? (m)->rows : 0))

fa_data *fa_data_alloc(const fa_model *m, size_t arena_bytes)
{
    fa_data *d = (fa_data *)calloc(1, sizeof *d);
    if (!d) return NULL;
#define ALLOC_(type, name, rows, cols, doc)                                       \
    if (ROWS_(m, rows) > 0) {                                                     \
        d->name = (type *)calloc(ROWS_(m, rows) * (size_t)(cols), sizeof(type));  \
        if (!d->name) goto fail;                                                  \
    }
    FA_DATA_ARRAYS(ALLOC_)
#undef ALLOC_
    if (arena_bytes == 0) {
        /* enough for a few dof-sized vectors plus element scratch */
        arena_bytes = 64 * 1024 + (size_t)m->nnode * 3 * sizeof(double) * 32 +
                      (size_t)m->nblock * 9 * sizeof(double) * 4 + (size_t)m->nelem * 64 * sizeof(double);
    }
    d->arena = (unsigned char *)malloc(arena_bytes);
    if (!d->arena) goto fail;
    d->arena_size = arena_bytes;
    fa_data_reset(m, d);
    return d;
fail:
    fa_data_free(d);
    return NULL;
}

void fa_data_free(fa_data *d)
{
    if (!d) return;
#define FREE_(type, name, rows, cols, doc) free(d->name);
    FA_DATA_ARRAYS(FREE_)
#undef FREE_
    if (d->solver && d->solver_free) d->solver_free(d->solver);
    free(d->phys);
    free(d->arena);
    free(d);
}

void fa_data_reset(const fa_model *m, fa_data *d)
{
#define ZERO_(type, name, rows, cols, doc)                                                  \
    if (ROWS_(m, rows) > 0) memset(d->name, 0, ROWS_(m, rows) * (size_t)(cols) * sizeof(type));
    FA_DATA_ARRAYS(ZERO_)
#undef ZERO_
    for (int b = 0; b < m->nbody; b++) {
        d->body_xmat[9 * b + 0] = d->body_xmat[9 * b + 4] = d->body_xmat[9 * b + 8] = 1.0;
    }
    if (m->nnode > 0) memcpy(d->x, m->node_pos0, (size_t)m->nnode * 3 * sizeof(double));
    for (int e = 0; e < m->nelem; e++) {
        d->tis_hyd[e] = d->tis_dens[e] = d->tis_xlink[e] = d->tis_thick[e] = d->tis_rest[e] = 1.0;
        d->tis_temp[e] = m->opt.temperature;
    }
    for (int i = 0; i < m->nintf; i++) d->intf_visc[i] = 1.0;
    d->time = 0.0;
    d->energy = 0.0;
    memset(&d->warn, 0, sizeof d->warn);
    d->arena_used = 0;
}

void fa_data_copy(const fa_model *m, fa_data *dst, const fa_data *src)
{
#define COPY_(type, name, rows, cols, doc)                                                   \
    if (ROWS_(m, rows) > 0) memcpy(dst->name, src->name, ROWS_(m, rows) * (size_t)(cols) * sizeof(type));
    FA_DATA_ARRAYS(COPY_)
#undef COPY_
    if (src->nphys == dst->nphys && src->nphys > 0) memcpy(dst->phys, src->phys, src->nphys * sizeof(double));
    dst->time = src->time;
    dst->energy = src->energy;
    dst->warn = src->warn;
}

uint64_t fa_data_hash(const fa_model *m, const fa_data *d)
{
    uint64_t h = FA_FNV_OFFSET;
#define HASH_(type, name, rows, cols, doc)                                                   \
    if (ROWS_(m, rows) > 0) h = fa_fnv1a(h, d->name, ROWS_(m, rows) * (size_t)(cols) * sizeof(type));
    FA_DATA_ARRAYS(HASH_)
#undef HASH_
    if (d->nphys > 0) h = fa_fnv1a(h, d->phys, d->nphys * sizeof(double));
    h = fa_fnv1a(h, &d->time, sizeof d->time);
    return h;
}

fa_status fa_data_phys_alloc(fa_data *d, size_t n)
{
    double *p = n > 0 ? (double *)calloc(n, sizeof(double)) : NULL;
    if (n > 0 && !p) return FA_ERR_NOMEM;
    free(d->phys);
    d->phys = p;
    d->nphys = n;
    return FA_OK;
}

void *fa_arena_alloc(fa_data *d, size_t bytes)
{
    size_t start = (d->arena_used + 15u) & ~(size_t)15u;
    if (start > d->arena_size || bytes > d->arena_size - start) {
        d->warn.arena_over++;
        return NULL;
    }
    d->arena_used = start + bytes;
    if (d->arena_used > d->arena_peak) d->arena_peak = d->arena_used;
    return d->arena + start;
}

size_t fa_arena_mark(const fa_data *d) { return d->arena_used; }

void fa_arena_release(fa_data *d, size_t mark)
{
    FA_ASSERT(mark <= d->arena_used);
    d->arena_used = mark;
}

void fa_kinematics_anchor(const fa_model *m, fa_data *d)
{
    for (int i = 0; i < m->nnode; i++) {
        int b = m->node_body[i];
        if (b < 0) {
            if (b == -2) memcpy(d->x + 3 * i, m->node_pos0 + 3 * i, 3 * sizeof(double));
            continue;
        }
        const double *R = d->body_xmat + 9 * b, *p = d->body_xpos + 3 * b, *l = m->node_local + 3 * i;
        for (int r = 0; r < 3; r++)
            d->x[3 * i + r] = p[r] + R[3 * r] * l[0] + R[3 * r + 1] * l[1] + R[3 * r + 2] * l[2];
    }
}

void fa_kinematics_root_relative(const fa_model *m, fa_data *d)
{
    int root = -1;
    for (int b = 0; b < m->nbody && root < 0; b++)
        if (m->body_parent[b] < 0) root = b;
    if (root < 0) return;
    double Rp[9], pp[3];
    memcpy(Rp, d->body_xmat + 9 * root, sizeof Rp);
    memcpy(pp, d->body_xpos + 3 * root, sizeof pp);
    for (int b = 0; b < m->nbody; b++) {
        double *R = d->body_xmat + 9 * b, *p = d->body_xpos + 3 * b, T[9], w[3];
        for (int i = 0; i < 3; i++) {
            w[i] = 0.0;
            for (int j = 0; j < 3; j++) {
                T[3 * i + j] = Rp[i] * R[j] + Rp[3 + i] * R[3 + j] + Rp[6 + i] * R[6 + j]; /* Rp^T R */
                w[i] += Rp[3 * j + i] * (p[j] - pp[j]);                                    /* Rp^T (p - pp) */
            }
        }
        memcpy(R, T, sizeof T);
        memcpy(p, w, sizeof w);
    }
}
