/* SPDX-License-Identifier: MIT */
/* fa_model allocation, copy, hash and lookups, all driven by the X-macro
 * lists in model.h. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

fa_options fa_default_options(void)
{
    fa_options o;
    memset(&o, 0, sizeof o);
    o.timestep = 1e-3;
    o.damping = 2.0;
    o.temperature = 37.0;
    o.newton_tol = 1e-8;
    o.newton_maxiter = 50;
    return o;
}

static int model_alloc_arrays(fa_model *m)
{
#define ALLOC_(type, name, rows, cols, doc)                                             \
    m->name = NULL;                                                                     \
    if (m->rows > 0) {                                                                  \
        m->name = (type *)calloc((size_t)m->rows * (size_t)(cols), sizeof(type));       \
        if (!m->name) return 0;                                                         \
    }
    FA_MODEL_ARRAYS(ALLOC_)
#undef ALLOC_
    return 1;
}

fa_model *fa_model_alloc(const fa_model *sizes)
{
    fa_model *m = (fa_model *)calloc(1, sizeof *m);
    if (!m) return NULL;
#define SIZE_(name, doc)                              \
    m->name = sizes->name < 0 ? 0 : sizes->name;
    FA_MODEL_SIZES(SIZE_)
#undef SIZE_
    m->opt = fa_default_options();
    if (!model_alloc_arrays(m)) {
        fa_model_free(m);
        return NULL;
    }
    return m;
}

void fa_model_free(fa_model *m)
{
    if (!m) return;
#define FREE_(type, name, rows, cols, doc) free(m->name);
    FA_MODEL_ARRAYS(FREE_)
#undef FREE_
    free(m);
}

fa_model *fa_model_copy(const fa_model *src)
{
    fa_model *m = fa_model_alloc(src);
    if (!m) return NULL;
    m->opt = src->opt;
#define COPY_(type, name, rows, cols, doc)                                                \
    if (m->rows > 0) memcpy(m->name, src->name, (size_t)m->rows * (size_t)(cols) * sizeof(type));
    FA_MODEL_ARRAYS(COPY_)
#undef COPY_
    return m;
}

uint64_t fa_model_hash(const fa_model *m)
{
    uint64_t h = FA_FNV_OFFSET;
#define HSIZE_(name, doc) h = fa_fnv1a(h, &m->name, sizeof m->name);
    FA_MODEL_SIZES(HSIZE_)
#undef HSIZE_
#define HARR_(type, name, rows, cols, doc)                                                \
    if (m->rows > 0) h = fa_fnv1a(h, m->name, (size_t)m->rows * (size_t)(cols) * sizeof(type));
    FA_MODEL_ARRAYS(HARR_)
#undef HARR_
    h = fa_fnv1a(h, &m->opt.timestep, sizeof m->opt.timestep);
    h = fa_fnv1a(h, m->opt.gravity, sizeof m->opt.gravity);
    h = fa_fnv1a(h, &m->opt.damping, sizeof m->opt.damping);
    h = fa_fnv1a(h, &m->opt.temperature, sizeof m->opt.temperature);
    return h;
}

const char *fa_model_name(const fa_model *m, int offset)
{
    if (!m || offset < 0 || offset >= m->nnamechar) return "";
    return m->names + offset;
}

fa_kind fa_elem_kind(const fa_model *m, int e, int *local)
{
    int base[FA_NKIND + 1] = {0, m->ncord, m->ncord + m->nmem, m->ncord + m->nmem + m->nintf,
                              m->nelem};
    for (int k = 0; k < FA_NKIND; k++) {
        if (e >= base[k] && e < base[k + 1]) {
            if (local) *local = e - base[k];
            return (fa_kind)k;
        }
    }
    FA_ASSERT(0 && "element index out of range");
    return FA_NKIND;
}

int fa_elem_index(const fa_model *m, fa_kind k, int local)
{
    switch (k) {
    case FA_CORD: return local;
    case FA_MEMBRANE: return m->ncord + local;
    case FA_INTERFACE: return m->ncord + m->nmem + local;
    case FA_MUSCLE: return m->ncord + m->nmem + m->nintf + local;
    default: FA_ASSERT(0 && "bad kind"); return -1;
    }
}

int fa_kind_nnode(fa_kind k) { return k == FA_MEMBRANE ? 3 : 2; }

int fa_elem_nodes(const fa_model *m, int e, int nodes[3])
{
    int i;
    switch (fa_elem_kind(m, e, &i)) {
    case FA_CORD: nodes[0] = m->cord_node[2 * i]; nodes[1] = m->cord_node[2 * i + 1]; return 2;
    case FA_MEMBRANE:
        for (int a = 0; a < 3; a++) nodes[a] = m->mem_node[3 * i + a];
        return 3;
    case FA_INTERFACE: nodes[0] = m->intf_node[2 * i]; nodes[1] = m->intf_node[2 * i + 1]; return 2;
    case FA_MUSCLE: nodes[0] = m->muscle_node[2 * i]; nodes[1] = m->muscle_node[2 * i + 1]; return 2;
    default: return 0;
    }
}

const char *fa_kind_str(fa_kind k)
{
    static const char *const s[FA_NKIND] = {"cord", "membrane", "interface", "muscle"};
    return ((int)k >= 0 && k < FA_NKIND) ? s[k] : "?";
}

static int find_in(const fa_model *m, const int *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (names[i] >= 0 && strcmp(fa_model_name(m, names[i]), name) == 0) return i;
    return -1;
}

int fa_model_find(const fa_model *m, const char *kind, const char *name)
{
    if (!m || !kind || !name) return -1;
    if (!strcmp(kind, "material")) return find_in(m, m->mat_name, m->nmat, name);
    if (!strcmp(kind, "body")) return find_in(m, m->body_name, m->nbody, name);
    if (!strcmp(kind, "landmark")) return find_in(m, m->landmark_name, m->nlandmark, name);
    if (!strcmp(kind, "node")) return find_in(m, m->node_name, m->nnode, name);
    if (!strcmp(kind, "cord")) return find_in(m, m->cord_name, m->ncord, name);
    if (!strcmp(kind, "muscle")) return find_in(m, m->muscle_name, m->nmuscle, name);
    if (!strcmp(kind, "line")) return find_in(m, m->line_name, m->nline, name);
    if (!strcmp(kind, "region")) return find_in(m, m->region_name, m->nregion, name);
    return -1;
}
