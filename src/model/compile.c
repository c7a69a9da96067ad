/* SPDX-License-Identifier: MIT */
/* The model compiler: fa_spec -> fa_model, in named passes.
 *
 *   1. gather      count entities, number nodes (explicit nodes first, then
 *                  each mesh's generated nodes row by row), size the model;
 *   2. duplicates  one namespace per kind (materials, bodies, landmarks,
 *                  nodes, meshes, element groups = cords+membranes+meshes+
 *                  interfaces+muscles, lines, regions); generated node names
 *                  <mesh>.<i>.<j> take part;
 *   3. resolve     names -> indices (unknown names get the closest known name
 *                  suggested), body-parent cycles;
 *   4. validate    value ranges (thickness > 0, 0 <= nu < 0.5, fractions,
 *                  grades, Prony sums, generator sizes ...);
 *   5. expand      generators: mesh node positions, triangles and fibre
 *                  directions, cords along mesh columns/rings, interface
 *                  pairing by proximity, tributary areas and normals;
 *   6. geometry    degenerate triangles, zero-length cords, coincident
 *                  muscle ends, free nodes that no element holds;
 *   7. fill        fa_model arrays and the packed name buffer;
 *   8. finalize    fa_model_finalize (mechanics stage): sparsity, rest
 *                  lengths, reference areas, lumped masses.
 * Every error names file:line:col of the text it comes from. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

#define MAX_NODES 1000000L /* nodes in one model */
#define MAX_ELEMS 4000000L /* elements in one model */
#define TRI_AREA_REL 1e-10 /* degenerate: |e1 x e2| <= 1e-10 (|e1|^2 + |e2|^2) */
#define PI_ 3.14159265358979323846

/* ---- a string -> int hash map (open addressing) ----------------------------- */

typedef struct nmap {
    const char **key;
    int *val;
    int cap, n;
} nmap;

static uint64_t strhash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

static int nmap_init(nmap *m, int expect)
{
    int cap = 16;
    while (cap < 2 * expect + 16)
        cap *= 2;
    m->key = (const char **)calloc((size_t)cap, sizeof *m->key);
    m->val = (int *)calloc((size_t)cap, sizeof *m->val);
    m->cap = cap;
    m->n = 0;
    return m->key && m->val;
}

static void nmap_free(nmap *m)
{
    free(m->key);
    free(m->val);
}

static int nmap_get(const nmap *m, const char *k)
{
    if (!m->cap) return -1;
    size_t i = (size_t)(strhash(k) & (uint64_t)(m->cap - 1));
    while (m->key[i]) {
        if (!strcmp(m->key[i], k)) return m->val[i];
        i = (i + 1) & (size_t)(m->cap - 1);
    }
    return -1;
}

/* Insert; returns -1 when new, else the existing value (nothing changed). */
static int nmap_put(nmap *m, const char *k, int v)
{
    size_t i = (size_t)(strhash(k) & (uint64_t)(m->cap - 1));
    while (m->key[i]) {
        if (!strcmp(m->key[i], k)) return m->val[i];
        i = (i + 1) & (size_t)(m->cap - 1);
    }
    m->key[i] = k;
    m->val[i] = v;
    m->n++;
    return -1;
}

/* Closest key of a map (for "did you mean"). */
static const char *nmap_closest(const nmap *m, const char *name)
{
    if (!m->n) return NULL;
    const char **c = (const char **)malloc((size_t)m->n * sizeof *c);
    if (!c) return NULL;
    int k = 0;
    for (int i = 0; i < m->cap; i++)
        if (m->key[i]) c[k++] = m->key[i];
    const char *r = fa_closest_name(name, c, k);
    free(c);
    return r;
}

/* ---- compiler state --------------------------------------------------------- */

/* element group kinds */
enum { G_CORD = 0, G_MEMB, G_MESH, G_INTF, G_MUSCLE, G_SEL_MESH, G_SEL_INTF };

typedef struct cc {
    const fa_spec *s;
    fa_error *err;
    nmap mat, body, lmk, node, mesh, group, line, region;
    long nnode;
    /* resolved references */
    int *body_parent, *lmk_body, *mesh_mat, *mesh_body, *memb_mat, *cord_mat;
    int **anchor_body;          /* per mesh, per anchor */
    int **cord_nodes;           /* per cord spec: node indices (nodes/path) */
    int *cord_mesh;             /* along: mesh index */
    int **memb_tri;             /* per membrane spec: 3 x ntri node indices */
    int **intf_pairs;           /* per interface spec: 2 x npair (explicit) */
    int *intf_sheet, *intf_sub; /* between: mesh indices */
    int *muscle_nodes;          /* 2 per muscle */
    int **line_g, **region_g;   /* per group: 2 ints (kind, index) per entry */
    /* nodes */
    double *pos;   /* 3 x nnode, m */
    int *nbody;    /* -1 free, -2 fixed, >= 0 body */
    double *nmass; /* kg, explicit */
    /* elements, built by expand */
    long ncord, nmem, nintf;
    int *c_node, *c_mat;
    double *c_area, *c_pre;
    int *m_node, *m_mat;
    double *m_thick, *m_fibre;
    int *i_node;
    double *i_normal, *i_area, *i_G, *i_h, *i_eta, *i_kn;
    long i_cap;
    double *trib_area, *trib_n; /* per node, from all membranes */
} cc;

static fa_status nomem(cc *c)
{
    return fa_error_set(c->err, FA_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

#define TRY(x)                                                                                               \
    do {                                                                                                     \
        fa_status st_ = (x);                                                                                 \
        if (st_ != FA_OK) return st_;                                                                        \
    } while (0)

static long wrap_index(long i, long n)
{
    return i < 0 ? n + i : i;
}

static long mesh_nodes(const sp_mesh *m)
{
    return m->ni * m->nj;
}

/* ---- pass 1: gather ------------------------------------------------------------ */

static fa_status pass_gather(cc *c)
{
    const fa_spec *s = c->s;
    long n = s->nnode;
    for (int k = 0; k < s->nmesh; k++) {
        sp_mesh *m = &s->mesh[k];
        long min_i = m->type == SP_MESH_CYLINDER ? 3 : 2;
        if (m->ni < min_i)
            return fa_error_set(
                c->err, FA_ERR_RANGE, m->ni_at->file, m->ni_at->line, m->ni_at->col,
                "out of range: mesh '%s' needs at least %ld nodes %s, found %ld", m->name->str, min_i,
                m->type == SP_MESH_CYLINDER ? "around ('segments')" : "along u ('nu')", m->ni);
        if (m->nj < 2)
            return fa_error_set(c->err, FA_ERR_RANGE, m->nj_at->file, m->nj_at->line, m->nj_at->col,
                                "out of range: mesh '%s' needs at least 2 %s, found %ld", m->name->str,
                                m->type == SP_MESH_CYLINDER ? "rings" : "nodes along v ('nv')", m->nj);
        if (m->ni > MAX_NODES || m->nj > MAX_NODES || m->ni * m->nj > MAX_NODES - n)
            return fa_error_set(c->err, FA_ERR_RANGE, m->name->file, m->name->line, m->name->col,
                                "mesh '%s' too large: expected at most %ld nodes in the model", m->name->str,
                                MAX_NODES);
        m->node0 = (int)n;
        n += mesh_nodes(m);
    }
    c->nnode = n;
    return FA_OK;
}

/* ---- pass 2: duplicates --------------------------------------------------------- */

static fa_status dup(cc *c, nmap *map, const fa_ynode *name, int idx, const char *kind, const fa_ynode *first)
{
    if (nmap_put(map, name->str, idx) < 0) return FA_OK;
    return fa_error_set(c->err, FA_ERR_DUPLICATE, name->file, name->line, name->col,
                        "duplicate %s '%s' (first defined at %s:%d:%d)", kind, name->str,
                        first ? first->file : "?", first ? first->line : 0, first ? first->col : 0);
}

/* Split "<mesh>.<i>.<j>" -> mesh index, i, j; 0 when the name is not of that
 * form or the mesh is unknown. */
static int split_mesh_node(const cc *c, const char *name, int *mesh, long *i, long *j)
{
    const char *d2 = strrchr(name, '.');
    if (!d2 || d2 == name) return 0;
    const char *d1 = d2 - 1;
    while (d1 > name && *d1 != '.')
        d1--;
    if (d1 == name) return 0;
    char buf[256];
    size_t ml = (size_t)(d1 - name);
    if (ml >= sizeof buf) return 0;
    memcpy(buf, name, ml);
    buf[ml] = '\0';
    int k = nmap_get(&c->mesh, buf);
    if (k < 0) return 0;
    /* canonical decimal indices only: digits, no sign, no leading zero */
    char *end;
    const char *p = d1 + 1;
    if (!(*p >= '0' && *p <= '9') || (p[0] == '0' && p + 1 != d2) || d2 - p > 7) return 0;
    long a = strtol(p, &end, 10);
    if (end != d2) return 0;
    p = d2 + 1;
    if (!(*p >= '0' && *p <= '9') || (p[0] == '0' && p[1]) || strlen(p) > 7) return 0;
    long b = strtol(p, &end, 10);
    if (*end) return 0;
    *mesh = k;
    *i = a;
    *j = b;
    return 1;
}

static fa_status pass_duplicates(cc *c)
{
    const fa_spec *s = c->s;
    int ngroup = s->ncord + s->nmemb + s->nmesh + s->nintf + s->nmuscle;
    if (!nmap_init(&c->mat, s->nmat) || !nmap_init(&c->body, s->nbody) || !nmap_init(&c->lmk, s->nlandmark) ||
        !nmap_init(&c->node, s->nnode) || !nmap_init(&c->mesh, s->nmesh) || !nmap_init(&c->group, ngroup) ||
        !nmap_init(&c->line, s->nline) || !nmap_init(&c->region, s->nregion))
        return nomem(c);
#define DUPS_(list, map, kind)                                                                               \
    for (int i = 0; i < s->n##list; i++) {                                                                   \
        int f = nmap_get(&c->map, s->list[i].name->str);                                                     \
        TRY(dup(c, &c->map, s->list[i].name, i, kind, f >= 0 ? s->list[f].name : NULL));                     \
    }
    DUPS_(mat, mat, "material")
    DUPS_(body, body, "body")
    DUPS_(landmark, lmk, "landmark")
    DUPS_(node, node, "node")
    DUPS_(mesh, mesh, "mesh")
    DUPS_(line, line, "line")
    DUPS_(region, region, "region")
#undef DUPS_
    /* element groups share one namespace; value = kind << 24 | index */
    const fa_ynode *gname[5];
    int gcount[5] = {s->ncord, s->nmemb, s->nmesh, s->nintf, s->nmuscle};
    for (int g = 0; g < 5; g++) {
        for (int i = 0; i < gcount[g]; i++) {
            switch (g) {
            case G_CORD:
                gname[g] = s->cord[i].name;
                break;
            case G_MEMB:
                gname[g] = s->memb[i].name;
                break;
            case G_MESH:
                gname[g] = s->mesh[i].name;
                break;
            case G_INTF:
                gname[g] = s->intf[i].name;
                break;
            default:
                gname[g] = s->muscle[i].name;
                break;
            }
            int prev = nmap_put(&c->group, gname[g]->str, (g << 24) | i);
            if (prev >= 0) {
                int pg = prev >> 24, pi = prev & 0xffffff;
                const fa_ynode *first = pg == G_CORD   ? s->cord[pi].name
                                        : pg == G_MEMB ? s->memb[pi].name
                                        : pg == G_MESH ? s->mesh[pi].name
                                        : pg == G_INTF ? s->intf[pi].name
                                                       : s->muscle[pi].name;
                static const char *const kn[5] = {"cord", "membrane", "mesh", "interface", "muscle"};
                return fa_error_set(c->err, FA_ERR_DUPLICATE, gname[g]->file, gname[g]->line, gname[g]->col,
                                    "duplicate element name '%s': already used by %s at %s:%d:%d",
                                    gname[g]->str, kn[pg], first->file, first->line, first->col);
            }
        }
    }
    /* explicit nodes must not take a generated name */
    for (int i = 0; i < s->nnode; i++) {
        int mk;
        long a, b;
        if (split_mesh_node(c, s->node[i].name->str, &mk, &a, &b) && a < s->mesh[mk].ni &&
            b < s->mesh[mk].nj) {
            const fa_ynode *nm = s->node[i].name;
            return fa_error_set(c->err, FA_ERR_DUPLICATE, nm->file, nm->line, nm->col,
                                "duplicate node '%s': mesh '%s' (at %d:%d) generates a node of that name",
                                nm->str, s->mesh[mk].name->str, s->mesh[mk].name->line,
                                s->mesh[mk].name->col);
        }
    }
    return FA_OK;
}

/* ---- pass 3: resolve ------------------------------------------------------------ */

static fa_status unknown(cc *c, const nmap *map, const fa_ynode *ref, const char *kind, const char *extra)
{
    const char *near = nmap_closest(map, ref->str);
    if (near)
        return fa_error_set(c->err, FA_ERR_UNKNOWN, ref->file, ref->line, ref->col,
                            "unknown %s '%s' (did you mean '%s'?)%s", kind, ref->str, near,
                            extra ? extra : "");
    return fa_error_set(c->err, FA_ERR_UNKNOWN, ref->file, ref->line, ref->col, "unknown %s '%s'%s", kind,
                        ref->str, extra ? extra : "");
}

static fa_status ref_mat(cc *c, const fa_ynode *ref, int *out)
{
    *out = nmap_get(&c->mat, ref->str);
    return *out >= 0 ? FA_OK : unknown(c, &c->mat, ref, "material", NULL);
}

/* body reference: NULL = ground (-1) */
static fa_status ref_body(cc *c, const fa_ynode *ref, int *out)
{
    *out = -1;
    if (!ref) return FA_OK;
    *out = nmap_get(&c->body, ref->str);
    return *out >= 0 ? FA_OK : unknown(c, &c->body, ref, "body", NULL);
}

static fa_status ref_mesh(cc *c, const fa_ynode *ref, int *out)
{
    *out = nmap_get(&c->mesh, ref->str);
    return *out >= 0 ? FA_OK : unknown(c, &c->mesh, ref, "mesh", NULL);
}

static fa_status ref_node(cc *c, const fa_ynode *ref, int *out)
{
    int k = nmap_get(&c->node, ref->str);
    if (k >= 0) {
        *out = k;
        return FA_OK;
    }
    int mk;
    long i, j;
    if (split_mesh_node(c, ref->str, &mk, &i, &j)) {
        const sp_mesh *m = &c->s->mesh[mk];
        if (i >= m->ni || j >= m->nj) {
            return fa_error_set(c->err, FA_ERR_RANGE, ref->file, ref->line, ref->col,
                                "node '%s' out of range: mesh '%s' has nodes %s.<0..%ld>.<0..%ld>", ref->str,
                                m->name->str, m->name->str, m->ni - 1, m->nj - 1);
        }
        *out = m->node0 + (int)(j * m->ni + i);
        return FA_OK;
    }
    /* "<mesh>.<i>.<j>" with a misspelt mesh: suggest the closest mesh */
    const char *d2 = strrchr(ref->str, '.');
    const char *d1 = d2;
    if (d2)
        while (d1 > ref->str && *--d1 != '.') {
        }
    if (d2 && d1 > ref->str && *d1 == '.' && d1 - ref->str < 250 && nmap_get(&c->node, ref->str) < 0) {
        char mesh[256];
        memcpy(mesh, ref->str, (size_t)(d1 - ref->str));
        mesh[d1 - ref->str] = '\0';
        const char *near = nmap_get(&c->mesh, mesh) < 0 ? nmap_closest(&c->mesh, mesh) : NULL;
        if (near)
            return fa_error_set(c->err, FA_ERR_UNKNOWN, ref->file, ref->line, ref->col,
                                "unknown node '%s': no mesh '%s' (did you mean '%s%s'?)", ref->str, mesh,
                                near, d1);
    }
    return unknown(c, &c->node, ref, "node",
                   c->s->nmesh
                       ? " (generated mesh nodes are named <mesh>.<i>.<j>, indices without leading zeros)"
                       : NULL);
}

static fa_status ref_nodes(cc *c, const fa_ynode *const *refs, int n, int **out)
{
    *out = (int *)malloc((size_t)(n ? n : 1) * sizeof(int));
    if (!*out) return nomem(c);
    for (int i = 0; i < n; i++)
        TRY(ref_node(c, refs[i], &(*out)[i]));
    return FA_OK;
}

/* An element reference of a line/region: a group name, or "<cord>.<k>". */
static fa_status ref_elem(cc *c, const fa_ynode *ref, int *kind, int *idx)
{
    int g = nmap_get(&c->group, ref->str);
    if (g >= 0) {
        *kind = g >> 24;
        *idx = g & 0xffffff;
        if (*kind == G_MESH && !c->s->mesh[*idx].material)
            return fa_error_set(c->err, FA_ERR_TYPE, ref->file, ref->line, ref->col,
                                "mesh '%s' has no elements (no material): expected an element or element "
                                "group name",
                                ref->str);
        return FA_OK;
    }
    const char *dot = strrchr(ref->str, '.');
    if (dot && dot[1] >= '0' && dot[1] <= '9') {
        char buf[256];
        size_t l = (size_t)(dot - ref->str);
        if (l < sizeof buf) {
            memcpy(buf, ref->str, l);
            buf[l] = '\0';
            int cg = nmap_get(&c->group, buf);
            char *end;
            long k = strtol(dot + 1, &end, 10);
            if (cg >= 0 && (cg >> 24) == G_CORD && !*end) {
                const sp_cord *cd = &c->s->cord[cg & 0xffffff];
                if (cd->form != SP_CORD_NODES) {
                    if (k < 0 || k > 1000000)
                        return fa_error_set(c->err, FA_ERR_RANGE, ref->file, ref->line, ref->col,
                                            "cord segment '%s' out of range", ref->str);
                    *kind = -1 - (int)k; /* a single segment k of cord idx */
                    *idx = cg & 0xffffff;
                    return FA_OK;
                }
            }
        }
    }
    return unknown(c, &c->group, ref, "element", NULL);
}

static fa_status resolve_selector(cc *c, const sp_sel *x, int *kind, int *idx)
{
    const fa_spec *s = c->s;
    int mk;
    if (x->is_intf) {
        int g = nmap_get(&c->group, x->target->str);
        if (g < 0 || (g >> 24) != G_INTF) return unknown(c, &c->group, x->target, "interface", NULL);
        const sp_intf *f = &s->intf[g & 0xffffff];
        if (f->npair)
            return fa_error_set(c->err, FA_ERR_TYPE, x->target->file, x->target->line, x->target->col,
                                "interface '%s': a selector with rings/columns needs a 'between' interface, "
                                "found one with explicit pairs",
                                x->target->str);
        *kind = G_SEL_INTF;
        *idx = g & 0xffffff;
        mk = nmap_get(&c->mesh, f->sheet->str);
    } else {
        TRY(ref_mesh(c, x->target, &mk));
        if (!s->mesh[mk].material)
            return fa_error_set(c->err, FA_ERR_TYPE, x->target->file, x->target->line, x->target->col,
                                "mesh '%s' has no elements (no material): expected a mesh with triangles",
                                x->target->str);
        *kind = G_SEL_MESH;
        *idx = mk;
    }
    if (mk < 0) return FA_OK; /* the interface's own sheet reference reports it */
    const sp_mesh *m = &s->mesh[mk];
    for (int r = 0; r < 2; r++) {
        const long *rg = r ? x->col : x->ring;
        long n = r ? m->ni : m->nj;
        const fa_ynode *at = r ? x->col_at : x->ring_at;
        if (!at) continue;
        long a = wrap_index(rg[0], n), b = wrap_index(rg[1], n);
        if (a < 0 || a >= n || b < 0 || b >= n || a > b)
            return fa_error_set(c->err, FA_ERR_RANGE, at->file, at->line, at->col,
                                "out of range: %s [%ld, %ld] of mesh '%s': expected first <= last within "
                                "[-%ld, %ld]",
                                r ? "columns" : "rings", rg[0], rg[1], m->name->str, n, n - 1);
    }
    return FA_OK;
}

static fa_status resolve_groups(cc *c, const sp_group *g, int n, int ***out)
{
    *out = (int **)calloc((size_t)(n ? n : 1), sizeof **out);
    if (!*out) return nomem(c);
    for (int i = 0; i < n; i++) {
        (*out)[i] = (int *)malloc((size_t)(2 * g[i].nel + 1) * sizeof(int));
        if (!(*out)[i]) return nomem(c);
        for (int k = 0; k < g[i].nel; k++) {
            if (g[i].sel[k])
                TRY(resolve_selector(c, g[i].sel[k], &(*out)[i][2 * k], &(*out)[i][2 * k + 1]));
            else
                TRY(ref_elem(c, g[i].el[k], &(*out)[i][2 * k], &(*out)[i][2 * k + 1]));
        }
    }
    return FA_OK;
}

static fa_status pass_resolve(cc *c)
{
    const fa_spec *s = c->s;
#define ALLOC_(p, n)                                                                                         \
    do {                                                                                                     \
        (p) = calloc((size_t)((n) > 0 ? (n) : 1), sizeof *(p));                                              \
        if (!(p)) return nomem(c);                                                                           \
    } while (0)
    ALLOC_(c->body_parent, s->nbody);
    ALLOC_(c->lmk_body, s->nlandmark);
    ALLOC_(c->mesh_mat, s->nmesh);
    ALLOC_(c->mesh_body, s->nmesh);
    ALLOC_(c->anchor_body, s->nmesh);
    ALLOC_(c->memb_mat, s->nmemb);
    ALLOC_(c->memb_tri, s->nmemb);
    ALLOC_(c->cord_mat, s->ncord);
    ALLOC_(c->cord_nodes, s->ncord);
    ALLOC_(c->cord_mesh, s->ncord);
    ALLOC_(c->intf_pairs, s->nintf);
    ALLOC_(c->intf_sheet, s->nintf);
    ALLOC_(c->intf_sub, s->nintf);
    ALLOC_(c->muscle_nodes, 2 * s->nmuscle);
    ALLOC_(c->pos, 3 * c->nnode);
    ALLOC_(c->nbody, c->nnode);
    ALLOC_(c->nmass, c->nnode);
    for (int i = 0; i < s->nbody; i++)
        TRY(ref_body(c, s->body[i].parent, &c->body_parent[i]));
    /* body parents must form a forest */
    for (int i = 0; i < s->nbody; i++) {
        int b = i, steps = 0;
        while (b >= 0 && steps <= s->nbody) {
            b = c->body_parent[b];
            steps++;
            if (b == i) {
                char chain[600];
                size_t n = 0;
                int x = i;
                do {
                    int w = snprintf(chain + n, sizeof chain - n, "%s -> ", s->body[x].name->str);
                    n = (w < 0 || (size_t)w >= sizeof chain - n) ? sizeof chain - 1 : n + (size_t)w;
                    x = c->body_parent[x];
                } while (x != i && n + 1 < sizeof chain);
                if (n + 1 < sizeof chain) snprintf(chain + n, sizeof chain - n, "%s", s->body[i].name->str);
                const fa_ynode *p = s->body[i].parent;
                return fa_error_set(c->err, FA_ERR_CYCLE, p->file, p->line, p->col,
                                    "cycle in body parents: %s (expected a tree rooted at ground)", chain);
            }
        }
    }
    for (int i = 0; i < s->nlandmark; i++)
        TRY(ref_body(c, s->landmark[i].body, &c->lmk_body[i]));
    for (int k = 0; k < s->nmesh; k++) {
        const sp_mesh *m = &s->mesh[k];
        c->mesh_mat[k] = -1;
        if (m->material) TRY(ref_mat(c, m->material, &c->mesh_mat[k]));
        TRY(ref_body(c, m->body, &c->mesh_body[k]));
        if (!m->body) c->mesh_body[k] = m->fixed ? -2 : -1;
        ALLOC_(c->anchor_body[k], m->nanchor);
        for (int a = 0; a < m->nanchor; a++) {
            TRY(ref_body(c, m->anchor[a].body, &c->anchor_body[k][a]));
            if (!m->anchor[a].body) c->anchor_body[k][a] = -2;
        }
    }
    for (int i = 0; i < s->nnode; i++) {
        int b;
        TRY(ref_body(c, s->node[i].body, &b));
        c->nbody[i] = s->node[i].body ? b : (s->node[i].fixed ? -2 : -1);
    }
    for (int i = 0; i < s->nmemb; i++) {
        TRY(ref_mat(c, s->memb[i].material, &c->memb_mat[i]));
        TRY(ref_nodes(c, s->memb[i].tri, 3 * s->memb[i].ntri, &c->memb_tri[i]));
    }
    for (int i = 0; i < s->ncord; i++) {
        const sp_cord *cd = &s->cord[i];
        TRY(ref_mat(c, cd->material, &c->cord_mat[i]));
        if (cd->form == SP_CORD_ALONG) {
            TRY(ref_mesh(c, cd->mesh, &c->cord_mesh[i]));
        } else {
            TRY(ref_nodes(c, cd->nodes, cd->nn, &c->cord_nodes[i]));
        }
    }
    for (int i = 0; i < s->nintf; i++) {
        const sp_intf *f = &s->intf[i];
        if (f->npair) {
            TRY(ref_nodes(c, f->pair, 2 * f->npair, &c->intf_pairs[i]));
        } else {
            TRY(ref_mesh(c, f->sheet, &c->intf_sheet[i]));
            TRY(ref_mesh(c, f->substrate, &c->intf_sub[i]));
            if (!s->mesh[c->intf_sheet[i]].material)
                return fa_error_set(
                    c->err, FA_ERR_TYPE, f->sheet->file, f->sheet->line, f->sheet->col,
                    "interface '%s': expected a sheet mesh with a material (triangles give the "
                    "sliding areas), found mesh '%s' without one",
                    f->name->str, f->sheet->str);
        }
    }
    for (int i = 0; i < s->nmuscle; i++)
        for (int a = 0; a < 2; a++)
            TRY(ref_node(c, s->muscle[i].nodes[a], &c->muscle_nodes[2 * i + a]));
    TRY(resolve_groups(c, s->line, s->nline, &c->line_g));
    TRY(resolve_groups(c, s->region, s->nregion, &c->region_g));
#undef ALLOC_
    return FA_OK;
}

/* ---- pass 4: validate values ------------------------------------------------------ */

static fa_status range(cc *c, const sp_num *x, const fa_ynode *owner, const char *what, int ok,
                       const char *expect, const char *unit)
{
    if (ok) return FA_OK;
    const fa_ynode *at = x->at ? x->at : owner;
    const char *neg = (x->v < 0 && strstr(expect, "> 0")) ? "negative " : "";
    return fa_error_set(c->err, FA_ERR_RANGE, at->file, at->line, at->col,
                        "out of range: %s%s of '%s': expected %s, found %g%s%s", neg, what, owner->str,
                        expect, x->v, unit[0] ? " " : "", unit);
}

static fa_status grade_ok(cc *c, const fa_ynode *g, const char *owner)
{
    if (g && g->len == 1 && (g->str[0] == 'A' || g->str[0] == 'B' || g->str[0] == 'C')) return FA_OK;
    return fa_error_set(c->err, FA_ERR_RANGE, g->file, g->line, g->col,
                        "bad grade for '%s': expected A (human controlled data), B (tissue/animal data) or C "
                        "(expert model/hypothesis), found '%.40s'",
                        owner, g->str);
}

static fa_status pass_validate(cc *c)
{
    const fa_spec *s = c->s;
    for (int i = 0; i < s->nmat; i++) {
        const sp_mat *m = &s->mat[i];
        const fa_ynode *o = m->name;
        TRY(range(c, &m->E, o, "fibre modulus E", m->E.v > 0, "> 0", "Pa"));
        TRY(range(c, &m->toe, o, "toe_strain", m->toe.v >= 0 && m->toe.v < 0.5, "in [0, 0.5)", ""));
        TRY(range(c, &m->Em, o, "matrix_E", m->Em.v >= 0, ">= 0", "Pa"));
        TRY(range(c, &m->nu, o, "Poisson ratio nu", m->nu.v >= 0 && m->nu.v < 0.5, "in [0, 0.5)", ""));
        TRY(range(c, &m->rho, o, "density", m->rho.v > 0, "> 0", "kg/m^3"));
        TRY(range(c, &m->fail, o, "failure_strain", m->fail.v > m->toe.v && m->fail.v <= 2,
                  "in (toe_strain, 2]", ""));
        TRY(range(c, &m->beta, o, "damping time", m->beta.v >= 0, ">= 0", "s"));
        TRY(range(c, &m->f2angle, o, "fibre2 angle", m->f2angle.v >= 0 && m->f2angle.v <= PI_,
                  "in [0, 180 deg]", "rad"));
        TRY(range(c, &m->f2frac, o, "fibre2 fraction", m->f2frac.v >= 0 && m->f2frac.v <= 1, "in [0, 1]",
                  ""));
        double gs = 0;
        for (int p = 0; p < m->nprony; p++) {
            TRY(range(c, &m->prony_g[p], o, "Prony g", m->prony_g[p].v > 0 && m->prony_g[p].v < 1,
                      "in (0, 1)", ""));
            TRY(range(c, &m->prony_tau[p], o, "Prony tau", m->prony_tau[p].v > 0, "> 0", "s"));
            gs += m->prony_g[p].v;
        }
        if (m->nprony && !(gs < 1)) {
            sp_num x = {gs, m->prony_g[m->nprony - 1].at};
            TRY(range(c, &x, o, "sum of Prony g", 0, "< 1", ""));
        }
        TRY(grade_ok(c, m->grade, o->str));
        if (!m->cite->len)
            return fa_error_set(c->err, FA_ERR_MISSING, m->cite->file, m->cite->line, m->cite->col,
                                "empty 'cite' of material '%s': expected a citation key", o->str);
    }
    for (int i = 0; i < s->nbody; i++)
        TRY(range(c, &s->body[i].mass, s->body[i].name, "mass", s->body[i].mass.v >= 0, ">= 0", "kg"));
    for (int i = 0; i < s->nnode; i++)
        TRY(range(c, &s->node[i].mass, s->node[i].name, "mass", s->node[i].mass.v >= 0, ">= 0", "kg"));
    for (int k = 0; k < s->nmesh; k++) {
        const sp_mesh *m = &s->mesh[k];
        const fa_ynode *o = m->name;
        if (m->type == SP_MESH_CYLINDER) {
            TRY(range(c, &m->radius, o, "radius", m->radius.v > 0, "> 0", "m"));
            double al = sqrt(m->axis[0] * m->axis[0] + m->axis[1] * m->axis[1] + m->axis[2] * m->axis[2]);
            if (!(al > 1e-12))
                return fa_error_set(
                    c->err, FA_ERR_GEOMETRY, m->axis_at->file, m->axis_at->line, m->axis_at->col,
                    "axis of mesh '%s': expected a non-zero direction, found (0, 0, 0)", o->str);
        } else {
            TRY(range(c, &m->width, o, "width", m->width.v > 0, "> 0", "m"));
            double u[3], v[3], x[3];
            memcpy(u, m->u, sizeof u);
            memcpy(v, m->v, sizeof v);
            x[0] = u[1] * v[2] - u[2] * v[1];
            x[1] = u[2] * v[0] - u[0] * v[2];
            x[2] = u[0] * v[1] - u[1] * v[0];
            double nx = sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
            double nu = sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
            double nv = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            if (!(nx > 1e-9 * nu * nv) || !(nu > 0) || !(nv > 0)) {
                const fa_ynode *at = m->v_at ? m->v_at : m->u_at ? m->u_at : o;
                return fa_error_set(c->err, FA_ERR_GEOMETRY, at->file, at->line, at->col,
                                    "directions u and v of mesh '%s': expected two non-parallel non-zero "
                                    "vectors, found parallel or zero ones (degenerate sheet)",
                                    o->str);
            }
        }
        TRY(range(c, &m->height, o, "height", m->height.v > 0, "> 0", "m"));
        if (m->material) TRY(range(c, &m->thick, o, "thickness", m->thick.v > 0, "> 0", "m"));
        for (int a = 0; a < m->nanchor; a++) {
            const sp_anchor *an = &m->anchor[a];
            long n = an->which == SP_ROW ? m->nj : m->ni;
            long ix = wrap_index(an->index, n);
            if (ix < 0 || ix >= n)
                return fa_error_set(c->err, FA_ERR_RANGE, an->index_at->file, an->index_at->line,
                                    an->index_at->col,
                                    "out of range: anchor %s %ld of mesh '%s': expected in [-%ld, %ld]",
                                    an->which == SP_ROW ? "ring/row" : "column", an->index, o->str, n, n - 1);
        }
    }
    for (int i = 0; i < s->ncord; i++) {
        const sp_cord *cd = &s->cord[i];
        TRY(range(c, &cd->area, cd->name, "area", cd->area.v > 0, "> 0", "m^2"));
        TRY(range(c, &cd->prestrain, cd->name, "prestrain", cd->prestrain.v > -0.5 && cd->prestrain.v < 0.5,
                  "in (-0.5, 0.5)", ""));
        if (cd->form == SP_CORD_ALONG) {
            const sp_mesh *m = &s->mesh[c->cord_mesh[i]];
            long n = cd->along_which == SP_ROW ? m->nj : m->ni;
            long ix = wrap_index(cd->along_index, n);
            if (ix < 0 || ix >= n)
                return fa_error_set(c->err, FA_ERR_RANGE, cd->along_at->file, cd->along_at->line,
                                    cd->along_at->col,
                                    "out of range: %s %ld of mesh '%s': expected in [-%ld, %ld]",
                                    cd->along_which == SP_ROW ? "ring/row" : "column", cd->along_index,
                                    m->name->str, n, n - 1);
        }
    }
    for (int i = 0; i < s->nmemb; i++)
        TRY(range(c, &s->memb[i].thick, s->memb[i].name, "thickness", s->memb[i].thick.v > 0, "> 0", "m"));
    for (int i = 0; i < s->nintf; i++) {
        const sp_intf *f = &s->intf[i];
        const fa_ynode *o = f->name;
        TRY(range(c, &f->G, o, "shear_modulus", f->G.v >= 0, ">= 0", "Pa"));
        TRY(range(c, &f->h, o, "thickness", f->h.v > 0, "> 0", "m"));
        TRY(range(c, &f->eta, o, "viscosity", f->eta.v >= 0, ">= 0", "Pa s"));
        TRY(range(c, &f->kn, o, "normal_stiffness", f->kn.v >= 0, ">= 0", "N/m"));
        if (f->area.at) TRY(range(c, &f->area, o, "area", f->area.v > 0, "> 0", "m^2"));
        if (!f->npair) TRY(range(c, &f->tol, o, "tolerance", f->tol.v > 0, "> 0", "m"));
        TRY(grade_ok(c, f->grade, o->str));
        if (!f->cite->len)
            return fa_error_set(c->err, FA_ERR_MISSING, f->cite->file, f->cite->line, f->cite->col,
                                "empty 'cite' of interface '%s': expected a citation key", o->str);
    }
    for (int i = 0; i < s->nmuscle; i++) {
        const sp_muscle *m = &s->muscle[i];
        const fa_ynode *o = m->name;
        TRY(range(c, &m->fmax, o, "fmax", m->fmax.v > 0, "> 0", "N"));
        TRY(range(c, &m->lopt, o, "optimal_length", m->lopt.v > 0, "> 0", "m"));
        TRY(range(c, &m->vmax, o, "vmax", m->vmax.v > 0, "> 0", "1/s"));
        TRY(range(c, &m->lslack, o, "slack_length", m->lslack.v >= 0, ">= 0", "m"));
    }
    for (int i = 0; i < s->nline; i++)
        TRY(grade_ok(c, s->line[i].grade, s->line[i].name->str));
    return FA_OK;
}

/* ---- pass 5: expand generators ------------------------------------------------------ */

static void normalize3(double *v)
{
    double l = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (l > 0) {
        v[0] /= l;
        v[1] /= l;
        v[2] /= l;
    }
}

static void cross3(double *r, const double *a, const double *b)
{
    double x = a[1] * b[2] - a[2] * b[1], y = a[2] * b[0] - a[0] * b[2], z = a[0] * b[1] - a[1] * b[0];
    r[0] = x;
    r[1] = y;
    r[2] = z;
}

static double dot3(const double *a, const double *b)
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* Orthonormal frame of a mesh: e0 (around / u), e1 (e_y of the cylinder /
 * v), ax (axis / sheet normal). */
static void mesh_frame(const sp_mesh *m, double ex[3], double ey[3], double ax[3])
{
    if (m->type == SP_MESH_CYLINDER) {
        memcpy(ax, m->axis, 3 * sizeof(double));
        normalize3(ax);
        double ref[3] = {1, 0, 0};
        if (fabs(ax[0]) > 0.9) {
            ref[0] = 0;
            ref[1] = 1;
        }
        double d = dot3(ref, ax);
        for (int k = 0; k < 3; k++)
            ex[k] = ref[k] - d * ax[k];
        normalize3(ex);
        cross3(ey, ax, ex);
    } else {
        memcpy(ex, m->u, 3 * sizeof(double));
        normalize3(ex);
        double d = dot3(m->v, ex);
        for (int k = 0; k < 3; k++)
            ey[k] = m->v[k] - d * ex[k];
        normalize3(ey);
        cross3(ax, ex, ey);
    }
}

static int grow(void **p, long *cap, long need, size_t size)
{
    if (need <= *cap) return 1;
    long nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, (size_t)nc * size);
    if (!q) return 0;
    *p = q;
    *cap = nc;
    return 1;
}

/* Make room for `need` entities in a set of parallel arrays (capacity counted
 * in entities; each array holds mult[k] items of size[k] per entity). */
static int ensure(void **arr[], const int *mult, const size_t *size, int narr, long *cap, long need)
{
    if (need <= *cap) return 1;
    long nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    for (int k = 0; k < narr; k++) {
        void *q = realloc(*arr[k], (size_t)nc * (size_t)mult[k] * size[k]);
        if (!q) return 0;
        *arr[k] = q;
    }
    *cap = nc;
    return 1;
}

static fa_status add_tri(cc *c, long *cap, int a, int b, int d, int mat, double thick, const double fib[3])
{
    if (c->nmem + c->ncord + 1 > MAX_ELEMS)
        return fa_error_set(c->err, FA_ERR_RANGE, NULL, 0, 0, "too many elements: expected at most %ld",
                            MAX_ELEMS);
    void **arr[] = {(void **)&c->m_node, (void **)&c->m_fibre, (void **)&c->m_mat, (void **)&c->m_thick};
    static const int mult[] = {3, 3, 1, 1};
    static const size_t size[] = {sizeof(int), sizeof(double), sizeof(int), sizeof(double)};
    if (!ensure(arr, mult, size, 4, cap, c->nmem + 1)) return nomem(c);
    long i = c->nmem++;
    c->m_node[3 * i] = a;
    c->m_node[3 * i + 1] = b;
    c->m_node[3 * i + 2] = d;
    c->m_mat[i] = mat;
    c->m_thick[i] = thick;
    /* fibre projected into the triangle's plane */
    double e1[3], e2[3], n[3], f[3];
    for (int k = 0; k < 3; k++) {
        e1[k] = c->pos[3 * b + k] - c->pos[3 * a + k];
        e2[k] = c->pos[3 * d + k] - c->pos[3 * a + k];
    }
    cross3(n, e1, e2);
    normalize3(n);
    double dn = dot3(fib, n);
    for (int k = 0; k < 3; k++)
        f[k] = fib[k] - dn * n[k];
    normalize3(f);
    memcpy(c->m_fibre + 3 * i, f, sizeof f);
    return FA_OK;
}

static fa_status add_cord(cc *c, long *cap, int a, int b, int mat, double area, double pre)
{
    if (c->nmem + c->ncord + 1 > MAX_ELEMS)
        return fa_error_set(c->err, FA_ERR_RANGE, NULL, 0, 0, "too many elements: expected at most %ld",
                            MAX_ELEMS);
    void **arr[] = {(void **)&c->c_node, (void **)&c->c_mat, (void **)&c->c_area, (void **)&c->c_pre};
    static const int mult[] = {2, 1, 1, 1};
    static const size_t size[] = {sizeof(int), sizeof(int), sizeof(double), sizeof(double)};
    if (!ensure(arr, mult, size, 4, cap, c->ncord + 1)) return nomem(c);
    long i = c->ncord++;
    c->c_node[2 * i] = a;
    c->c_node[2 * i + 1] = b;
    c->c_mat[i] = mat;
    c->c_area[i] = area;
    c->c_pre[i] = pre;
    return FA_OK;
}

static fa_status add_intf(cc *c, const sp_intf *f, int a, int b, const double n[3], double area)
{
    if (c->nintf + 1 > MAX_ELEMS)
        return fa_error_set(c->err, FA_ERR_RANGE, NULL, 0, 0, "too many interfaces: expected at most %ld",
                            MAX_ELEMS);
    void **arr[] = {(void **)&c->i_node, (void **)&c->i_normal, (void **)&c->i_area, (void **)&c->i_G,
                    (void **)&c->i_h,    (void **)&c->i_eta,    (void **)&c->i_kn};
    static const int mult[] = {2, 3, 1, 1, 1, 1, 1};
    static const size_t size[] = {sizeof(int),    sizeof(double), sizeof(double), sizeof(double),
                                  sizeof(double), sizeof(double), sizeof(double)};
    if (!ensure(arr, mult, size, 7, &c->i_cap, c->nintf + 1)) return nomem(c);
    long i = c->nintf++;
    c->i_node[2 * i] = a;
    c->i_node[2 * i + 1] = b;
    memcpy(c->i_normal + 3 * i, n, 3 * sizeof(double));
    c->i_area[i] = area;
    c->i_G[i] = f->G.v;
    c->i_h[i] = f->h.v;
    c->i_eta[i] = f->eta.v;
    c->i_kn[i] = f->kn.v;
    return FA_OK;
}

/* Proximity pairing on a uniform grid of cells of size `tolerance`: the
 * substrate nodes are sorted by cell, each sheet node looks at the 27 cells
 * around its own. Ties go to the lower node index (deterministic). */
typedef struct gcell {
    long long k[3];
    int node;
} gcell;

static int cmp_gcell(const void *a, const void *b)
{
    const gcell *p = (const gcell *)a, *q = (const gcell *)b;
    for (int t = 0; t < 3; t++)
        if (p->k[t] != q->k[t]) return p->k[t] < q->k[t] ? -1 : 1;
    return (p->node > q->node) - (p->node < q->node);
}

static long long cell_of(double x, double tol)
{
    double c = floor(x / tol);
    if (c > 1e15) c = 1e15; /* far-away nodes share a cell: slower, never wrong */
    if (c < -1e15) c = -1e15;
    return (long long)c;
}

static fa_status pair_between(cc *c, int fi)
{
    const fa_spec *s = c->s;
    const sp_intf *f = &s->intf[fi];
    const sp_mesh *sh = &s->mesh[c->intf_sheet[fi]], *sb = &s->mesh[c->intf_sub[fi]];
    long nsb = mesh_nodes(sb);
    double tol = f->tol.v, tol2 = tol * tol;
    gcell *g = (gcell *)malloc((size_t)nsb * sizeof *g);
    if (!g) return nomem(c);
    for (long k = 0; k < nsb; k++) {
        g[k].node = sb->node0 + (int)k;
        for (int t = 0; t < 3; t++)
            g[k].k[t] = cell_of(c->pos[3 * g[k].node + t], tol);
    }
    qsort(g, (size_t)nsb, sizeof *g, cmp_gcell);
    long npair0 = c->nintf;
    fa_status st = FA_OK;
    for (long k = 0; k < mesh_nodes(sh) && st == FA_OK; k++) {
        int a = sh->node0 + (int)k;
        const double *pa = c->pos + 3 * a;
        long long ka[3];
        for (int t = 0; t < 3; t++)
            ka[t] = cell_of(pa[t], tol);
        int best = -1;
        double bd = tol2;
        for (int dx = -1; dx <= 1; dx++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dz = -1; dz <= 1; dz++) {
                    gcell key = {{ka[0] + dx, ka[1] + dy, ka[2] + dz}, -1};
                    long lo = 0, hi = nsb;
                    while (lo < hi) {
                        long mid = lo + (hi - lo) / 2;
                        if (cmp_gcell(&g[mid], &key) < 0)
                            lo = mid + 1;
                        else
                            hi = mid;
                    }
                    for (long q = lo;
                         q < nsb && g[q].k[0] == key.k[0] && g[q].k[1] == key.k[1] && g[q].k[2] == key.k[2];
                         q++) {
                        int b = g[q].node;
                        if (b == a) continue;
                        double d[3];
                        for (int t = 0; t < 3; t++)
                            d[t] = c->pos[3 * b + t] - pa[t];
                        double dd = dot3(d, d);
                        if (dd < bd || (dd == bd && (best < 0 || b < best))) {
                            bd = dd;
                            best = b;
                        }
                    }
                }
        if (best < 0) continue;
        if (!(c->trib_area[a] > 0)) continue; /* node of no triangle */
        double n[3] = {c->trib_n[3 * a], c->trib_n[3 * a + 1], c->trib_n[3 * a + 2]};
        if (f->normal_at) memcpy(n, f->normal, sizeof n);
        st = add_intf(c, f, a, best, n, f->area.at ? f->area.v : c->trib_area[a]);
    }
    free(g);
    if (st) return st;
    if (c->nintf == npair0)
        return fa_error_set(
            c->err, FA_ERR_GEOMETRY, f->name->file, f->name->line, f->name->col,
            "interface '%s': expected sheet nodes of '%s' within %g m of nodes of '%s', found none",
            f->name->str, sh->name->str, tol, sb->name->str);
    return FA_OK;
}

static fa_status pass_expand(cc *c)
{
    const fa_spec *s = c->s;
    /* explicit nodes */
    for (int i = 0; i < s->nnode; i++) {
        memcpy(c->pos + 3 * i, s->node[i].pos, 3 * sizeof(double));
        c->nmass[i] = s->node[i].mass.v;
    }
    /* generated nodes */
    for (int k = 0; k < s->nmesh; k++) {
        const sp_mesh *m = &s->mesh[k];
        double ex[3], ey[3], ax[3];
        mesh_frame(m, ex, ey, ax);
        for (long j = 0; j < m->nj; j++) {
            for (long i = 0; i < m->ni; i++) {
                long id = m->node0 + j * m->ni + i;
                double *p = c->pos + 3 * id;
                if (m->type == SP_MESH_CYLINDER) {
                    double th = 2.0 * PI_ * (double)i / (double)m->ni;
                    double h = m->height.v * (double)j / (double)(m->nj - 1);
                    double cs = cos(th), sn = sin(th);
                    for (int t = 0; t < 3; t++)
                        p[t] = m->origin[t] + m->radius.v * (cs * ex[t] + sn * ey[t]) + h * ax[t];
                } else {
                    double x = m->width.v * (double)i / (double)(m->ni - 1);
                    double y = m->height.v * (double)j / (double)(m->nj - 1);
                    for (int t = 0; t < 3; t++)
                        p[t] = m->origin[t] + x * ex[t] + y * ey[t];
                }
                c->nbody[id] = c->mesh_body[k];
            }
        }
        for (int a = 0; a < m->nanchor; a++) {
            const sp_anchor *an = &m->anchor[a];
            long n = an->which == SP_ROW ? m->nj : m->ni;
            long ix = wrap_index(an->index, n);
            long cnt = an->which == SP_ROW ? m->ni : m->nj;
            for (long t = 0; t < cnt; t++) {
                long id = an->which == SP_ROW ? m->node0 + ix * m->ni + t : m->node0 + t * m->ni + ix;
                c->nbody[id] = c->anchor_body[k][a];
            }
        }
    }
    /* membranes: explicit, then meshes */
    long mcap = 0, ccap = 0;
    for (int i = 0; i < s->nmemb; i++) {
        const sp_memb *mb = &s->memb[i];
        s->memb[i].m0 = (int)c->nmem;
        for (int t = 0; t < mb->ntri; t++) {
            const int *tn = c->memb_tri[i] + 3 * t;
            TRY(add_tri(c, &mcap, tn[0], tn[1], tn[2], c->memb_mat[i], mb->thick.v, mb->fibre));
        }
    }
    for (int k = 0; k < s->nmesh; k++) {
        sp_mesh *m = &s->mesh[k];
        m->mem0 = (int)c->nmem;
        m->nmem = 0;
        if (!m->material) continue;
        double ex[3], ey[3], ax[3];
        mesh_frame(m, ex, ey, ax);
        int cyl = m->type == SP_MESH_CYLINDER;
        long ncol = cyl ? m->ni : m->ni - 1;
        for (long j = 0; j + 1 < m->nj; j++) {
            for (long i = 0; i < ncol; i++) {
                long i1 = (i + 1) % m->ni;
                int a = m->node0 + (int)(j * m->ni + i), b = m->node0 + (int)(j * m->ni + i1);
                int d = m->node0 + (int)((j + 1) * m->ni + i1), e = m->node0 + (int)((j + 1) * m->ni + i);
                /* fibre at the quad centre */
                double fib[3];
                if (cyl) {
                    double th = 2.0 * PI_ * ((double)i + 0.5) / (double)m->ni;
                    double et[3];
                    for (int t = 0; t < 3; t++)
                        et[t] = -sin(th) * ex[t] + cos(th) * ey[t];
                    double al = m->fibre == SP_FIBRE_AXIAL  ? 0.0
                                : m->fibre == SP_FIBRE_CIRC ? 0.5 * PI_
                                                            : m->fibre_angle.v;
                    for (int t = 0; t < 3; t++)
                        fib[t] = cos(al) * ax[t] + sin(al) * et[t];
                } else {
                    double al = m->fibre_angle.v;
                    for (int t = 0; t < 3; t++)
                        fib[t] = cos(al) * ex[t] + sin(al) * ey[t];
                }
                /* alternate the diagonal so the mesh has no handedness */
                if (((i + j) & 1) == 0) {
                    TRY(add_tri(c, &mcap, a, b, d, c->mesh_mat[k], m->thick.v, fib));
                    TRY(add_tri(c, &mcap, a, d, e, c->mesh_mat[k], m->thick.v, fib));
                } else {
                    TRY(add_tri(c, &mcap, a, b, e, c->mesh_mat[k], m->thick.v, fib));
                    TRY(add_tri(c, &mcap, b, d, e, c->mesh_mat[k], m->thick.v, fib));
                }
                m->nmem += 2;
            }
        }
    }
    /* tributary areas and normals */
    c->trib_area = (double *)calloc((size_t)(c->nnode ? c->nnode : 1), sizeof(double));
    c->trib_n = (double *)calloc((size_t)(c->nnode ? 3 * c->nnode : 1), sizeof(double));
    if (!c->trib_area || !c->trib_n) return nomem(c);
    for (long t = 0; t < c->nmem; t++) {
        const int *n = c->m_node + 3 * t;
        double e1[3], e2[3], x[3];
        for (int k = 0; k < 3; k++) {
            e1[k] = c->pos[3 * n[1] + k] - c->pos[3 * n[0] + k];
            e2[k] = c->pos[3 * n[2] + k] - c->pos[3 * n[0] + k];
        }
        cross3(x, e1, e2);
        double A = 0.5 * sqrt(dot3(x, x));
        for (int a = 0; a < 3; a++) {
            c->trib_area[n[a]] += A / 3.0;
            for (int k = 0; k < 3; k++)
                c->trib_n[3 * n[a] + k] += x[k];
        }
    }
    for (long i = 0; i < c->nnode; i++)
        normalize3(c->trib_n + 3 * i);
    /* cords */
    for (int i = 0; i < s->ncord; i++) {
        sp_cord *cd = &s->cord[i];
        cd->c0 = (int)c->ncord;
        if (cd->form != SP_CORD_ALONG) {
            for (int k = 0; k + 1 < cd->nn; k++)
                TRY(add_cord(c, &ccap, c->cord_nodes[i][k], c->cord_nodes[i][k + 1], c->cord_mat[i],
                             cd->area.v, cd->prestrain.v));
        } else {
            const sp_mesh *m = &s->mesh[c->cord_mesh[i]];
            if (cd->along_which == SP_COLUMN) {
                long ix = wrap_index(cd->along_index, m->ni);
                for (long j = 0; j + 1 < m->nj; j++)
                    TRY(add_cord(c, &ccap, m->node0 + (int)(j * m->ni + ix),
                                 m->node0 + (int)((j + 1) * m->ni + ix), c->cord_mat[i], cd->area.v,
                                 cd->prestrain.v));
            } else {
                long jx = wrap_index(cd->along_index, m->nj);
                long ncol = m->type == SP_MESH_CYLINDER ? m->ni : m->ni - 1;
                for (long k = 0; k < ncol; k++)
                    TRY(add_cord(c, &ccap, m->node0 + (int)(jx * m->ni + k),
                                 m->node0 + (int)(jx * m->ni + (k + 1) % m->ni), c->cord_mat[i], cd->area.v,
                                 cd->prestrain.v));
            }
        }
        cd->nc = (int)c->ncord - cd->c0;
    }
    /* interfaces */
    for (int i = 0; i < s->nintf; i++) {
        sp_intf *f = &s->intf[i];
        f->i0 = (int)c->nintf;
        if (f->npair) {
            for (int p = 0; p < f->npair; p++) {
                int a = c->intf_pairs[i][2 * p], b = c->intf_pairs[i][2 * p + 1];
                double n[3] = {c->trib_n[3 * a], c->trib_n[3 * a + 1], c->trib_n[3 * a + 2]};
                double area = c->trib_area[a];
                const fa_ynode *at = f->pair[2 * p];
                if (f->normal_at)
                    memcpy(n, f->normal, sizeof n);
                else if (!(area > 0))
                    return fa_error_set(c->err, FA_ERR_MISSING, at->file, at->line, at->col,
                                        "interface '%s': sheet node '%s' belongs to no triangle, so 'normal' "
                                        "is required",
                                        f->name->str, at->str);
                if (f->area.at)
                    area = f->area.v;
                else if (!(area > 0))
                    return fa_error_set(
                        c->err, FA_ERR_MISSING, at->file, at->line, at->col,
                        "interface '%s': sheet node '%s' belongs to no triangle, so 'area' is "
                        "required",
                        f->name->str, at->str);
                TRY(add_intf(c, f, a, b, n, area));
            }
        } else {
            TRY(pair_between(c, i));
        }
        f->ni = (int)c->nintf - f->i0;
    }
    return FA_OK;
}

/* ---- pass 6: geometry ---------------------------------------------------------------- */

static const fa_ynode *tri_source(const cc *c, long t, long *local)
{
    const fa_spec *s = c->s;
    for (int i = 0; i < s->nmemb; i++)
        if (t >= s->memb[i].m0 && t < s->memb[i].m0 + s->memb[i].ntri) {
            *local = t - s->memb[i].m0;
            return s->memb[i].tri_at[*local];
        }
    for (int k = 0; k < s->nmesh; k++)
        if (t >= s->mesh[k].mem0 && t < s->mesh[k].mem0 + s->mesh[k].nmem) {
            *local = t - s->mesh[k].mem0;
            return s->mesh[k].name;
        }
    *local = t;
    return NULL;
}

static const char *node_label(const cc *c, int id, char *buf, size_t n)
{
    const fa_spec *s = c->s;
    if (id < s->nnode) {
        snprintf(buf, n, "%s", s->node[id].name->str);
        return buf;
    }
    for (int k = 0; k < s->nmesh; k++) {
        const sp_mesh *m = &s->mesh[k];
        if (id >= m->node0 && id < m->node0 + mesh_nodes(m)) {
            long l = id - m->node0;
            snprintf(buf, n, "%s.%ld.%ld", m->name->str, l % m->ni, l / m->ni);
            return buf;
        }
    }
    snprintf(buf, n, "#%d", id);
    return buf;
}

static fa_status pass_geometry(cc *c)
{
    const fa_spec *s = c->s;
    char b1[256], b2[256], b3[256];
    for (long t = 0; t < c->nmem; t++) {
        const int *n = c->m_node + 3 * t;
        double e1[3], e2[3], x[3];
        for (int k = 0; k < 3; k++) {
            e1[k] = c->pos[3 * n[1] + k] - c->pos[3 * n[0] + k];
            e2[k] = c->pos[3 * n[2] + k] - c->pos[3 * n[0] + k];
        }
        cross3(x, e1, e2);
        if (!(sqrt(dot3(x, x)) > TRI_AREA_REL * (dot3(e1, e1) + dot3(e2, e2))) || n[0] == n[1] ||
            n[1] == n[2] || n[0] == n[2]) {
            long local;
            const fa_ynode *at = tri_source(c, t, &local);
            return fa_error_set(c->err, FA_ERR_GEOMETRY, at ? at->file : NULL, at ? at->line : 0,
                                at ? at->col : 0,
                                "degenerate triangle %ld (%s, %s, %s): expected three distinct non-collinear "
                                "nodes, found area %g m^2",
                                local, node_label(c, n[0], b1, sizeof b1), node_label(c, n[1], b2, sizeof b2),
                                node_label(c, n[2], b3, sizeof b3), 0.5 * sqrt(dot3(x, x)));
        }
        if (!(dot3(c->m_fibre + 3 * t, c->m_fibre + 3 * t) > 0.5)) {
            long local;
            const fa_ynode *at = tri_source(c, t, &local);
            for (int i = 0; i < s->nmemb; i++)
                if (t >= s->memb[i].m0 && t < s->memb[i].m0 + s->memb[i].ntri) at = s->memb[i].fibre_at;
            return fa_error_set(
                c->err, FA_ERR_GEOMETRY, at ? at->file : NULL, at ? at->line : 0, at ? at->col : 0,
                "fibre direction of triangle %ld: expected a direction in the triangle's plane, "
                "found one along its normal",
                local);
        }
    }
    for (int i = 0; i < s->ncord; i++) {
        const sp_cord *cd = &s->cord[i];
        for (int k = 0; k < cd->nc; k++) {
            const int *n = c->c_node + 2 * (cd->c0 + k);
            double d[3];
            for (int t = 0; t < 3; t++)
                d[t] = c->pos[3 * n[1] + t] - c->pos[3 * n[0] + t];
            if (!(sqrt(dot3(d, d)) > 1e-9)) {
                const fa_ynode *at = cd->form == SP_CORD_ALONG ? cd->name : cd->nodes[k];
                return fa_error_set(
                    c->err, FA_ERR_GEOMETRY, at->file, at->line, at->col,
                    "zero-length cord '%s' segment %d: expected distinct node positions, found "
                    "%s and %s at the same point",
                    cd->name->str, k, node_label(c, n[0], b1, sizeof b1), node_label(c, n[1], b2, sizeof b2));
            }
        }
    }
    for (int i = 0; i < s->nmuscle; i++) {
        const int *n = c->muscle_nodes + 2 * i;
        double d[3];
        for (int t = 0; t < 3; t++)
            d[t] = c->pos[3 * n[1] + t] - c->pos[3 * n[0] + t];
        if (!(sqrt(dot3(d, d)) > 1e-9)) {
            const fa_ynode *at = s->muscle[i].nodes[1];
            return fa_error_set(
                c->err, FA_ERR_GEOMETRY, at->file, at->line, at->col,
                "muscle '%s': expected two distinct node positions, found %s and %s at the same "
                "point",
                s->muscle[i].name->str, node_label(c, n[0], b1, sizeof b1),
                node_label(c, n[1], b2, sizeof b2));
        }
    }
    for (int i = 0; i < s->nintf; i++) {
        const sp_intf *f = &s->intf[i];
        for (int k = 0; k < f->ni; k++) {
            const int *n = c->i_node + 2 * (f->i0 + k);
            if (n[0] == n[1]) {
                const fa_ynode *at = f->npair ? f->pair[2 * k + 1] : f->name;
                return fa_error_set(
                    c->err, FA_ERR_GEOMETRY, at->file, at->line, at->col,
                    "interface '%s': expected a sheet node and a different substrate node, found "
                    "%s twice",
                    f->name->str, node_label(c, n[0], b1, sizeof b1));
            }
            if (!(dot3(c->i_normal + 3 * (f->i0 + k), c->i_normal + 3 * (f->i0 + k)) > 1e-20)) {
                const fa_ynode *at = f->normal_at ? f->normal_at : f->name;
                return fa_error_set(c->err, FA_ERR_GEOMETRY, at->file, at->line, at->col,
                                    "interface '%s': expected a non-zero normal, found (0, 0, 0)",
                                    f->name->str);
            }
        }
    }
    /* every free node must be held by an element */
    unsigned char *used = (unsigned char *)calloc((size_t)(c->nnode ? c->nnode : 1), 1);
    if (!used) return nomem(c);
    for (long i = 0; i < 2 * c->ncord; i++)
        used[c->c_node[i]] = 1;
    for (long i = 0; i < 3 * c->nmem; i++)
        used[c->m_node[i]] = 1;
    for (long i = 0; i < 2 * c->nintf; i++)
        used[c->i_node[i]] = 1;
    for (long i = 0; i < 2 * s->nmuscle; i++)
        used[c->muscle_nodes[i]] = 1;
    long bad = -1;
    for (long i = 0; i < c->nnode && bad < 0; i++)
        if (c->nbody[i] == -1 && !used[i]) bad = i;
    free(used);
    if (bad >= 0) {
        const fa_ynode *at = NULL;
        if (bad < s->nnode) at = s->node[bad].name;
        for (int k = 0; k < s->nmesh && !at; k++)
            if (bad >= s->mesh[k].node0 && bad < s->mesh[k].node0 + mesh_nodes(&s->mesh[k]))
                at = s->mesh[k].name;
        return fa_error_set(
            c->err, FA_ERR_GEOMETRY, at ? at->file : NULL, at ? at->line : 0, at ? at->col : 0,
            "free node '%s' is held by no element: expected it fixed ('fixed: true'), anchored "
            "('body: NAME') or connected by a cord, membrane, interface or muscle",
            node_label(c, (int)bad, b1, sizeof b1));
    }
    return FA_OK;
}

/* ---- pass 7: fill ---------------------------------------------------------------------- */

typedef struct namebuf {
    char *p;
    long n, cap;
} namebuf;

static int nb_add(namebuf *b, const char *s, int *off)
{
    long l = (long)strlen(s) + 1;
    if (!grow((void **)&b->p, &b->cap, b->n + l, 1)) return 0;
    memcpy(b->p + b->n, s, (size_t)l);
    *off = (int)b->n;
    b->n += l;
    return 1;
}

/* Is node id of mesh m within the selector's ranges? */
static int sel_node(const sp_mesh *m, const sp_sel *x, int id)
{
    long l = id - m->node0;
    if (l < 0 || l >= mesh_nodes(m)) return 0;
    long i = l % m->ni, j = l / m->ni;
    if (x->has_ring && (j < wrap_index(x->ring[0], m->nj) || j > wrap_index(x->ring[1], m->nj))) return 0;
    if (x->has_col && (i < wrap_index(x->col[0], m->ni) || i > wrap_index(x->col[1], m->ni))) return 0;
    return 1;
}

/* Append the global element indices of a group entry to out (or count
 * them when out is NULL). -1: a cord segment out of range. */
static long group_elems(const cc *c, const fa_model *m, int kind, int idx, const sp_sel *sel, int *out)
{
    const fa_spec *s = c->s;
    long n = 0;
    switch (kind) {
    case G_CORD:
        for (int k = 0; k < s->cord[idx].nc; k++, n++)
            if (out) out[n] = fa_elem_index(m, FA_CORD, s->cord[idx].c0 + k);
        break;
    case G_MEMB:
        for (int k = 0; k < s->memb[idx].ntri; k++, n++)
            if (out) out[n] = fa_elem_index(m, FA_MEMBRANE, s->memb[idx].m0 + k);
        break;
    case G_MESH:
        for (int k = 0; k < s->mesh[idx].nmem; k++, n++)
            if (out) out[n] = fa_elem_index(m, FA_MEMBRANE, s->mesh[idx].mem0 + k);
        break;
    case G_INTF:
        for (int k = 0; k < s->intf[idx].ni; k++, n++)
            if (out) out[n] = fa_elem_index(m, FA_INTERFACE, s->intf[idx].i0 + k);
        break;
    case G_MUSCLE:
        if (out) out[0] = fa_elem_index(m, FA_MUSCLE, idx);
        n = 1;
        break;
    case G_SEL_MESH: {
        const sp_mesh *me = &s->mesh[idx];
        for (int k = 0; k < me->nmem; k++) {
            const int *t = c->m_node + 3 * (me->mem0 + k);
            if (sel_node(me, sel, t[0]) && sel_node(me, sel, t[1]) && sel_node(me, sel, t[2])) {
                if (out) out[n] = fa_elem_index(m, FA_MEMBRANE, me->mem0 + k);
                n++;
            }
        }
        break;
    }
    case G_SEL_INTF: {
        const sp_intf *f = &s->intf[idx];
        int mk = nmap_get(&c->mesh, f->sheet->str);
        for (int k = 0; k < f->ni; k++) {
            if (sel_node(&s->mesh[mk], sel, c->i_node[2 * (f->i0 + k)])) {
                if (out) out[n] = fa_elem_index(m, FA_INTERFACE, f->i0 + k);
                n++;
            }
        }
        break;
    }
    default: /* kind = -1 - k: segment k of cord idx */
    {
        int seg = -1 - kind;
        if (seg < s->cord[idx].nc) {
            if (out) out[0] = fa_elem_index(m, FA_CORD, s->cord[idx].c0 + seg);
            n = 1;
        } else {
            n = -1;
        }
    }
    }
    return n;
}

static fa_status count_groups(cc *c, const sp_group *g, int ng, int **gi, long *total)
{
    fa_model dummy;
    memset(&dummy, 0, sizeof dummy);
    *total = 0;
    for (int i = 0; i < ng; i++)
        for (int k = 0; k < g[i].nel; k++) {
            long n = group_elems(c, &dummy, gi[i][2 * k], gi[i][2 * k + 1], g[i].sel[k], NULL);
            if (n == 0 && g[i].sel[k]) {
                const fa_ynode *at = g[i].sel[k]->at;
                return fa_error_set(
                    c->err, FA_ERR_RANGE, at->file, at->line, at->col,
                    "selector of '%s' selects no elements: expected ranges that hold at least one "
                    "%s",
                    g[i].name->str, g[i].sel[k]->is_intf ? "interface" : "whole triangle");
            }
            if (n < 0) {
                const fa_ynode *at = g[i].el[k];
                int ci = gi[i][2 * k + 1];
                return fa_error_set(c->err, FA_ERR_RANGE, at->file, at->line, at->col,
                                    "cord segment '%s' out of range: cord '%s' has segments 0..%d", at->str,
                                    c->s->cord[ci].name->str, c->s->cord[ci].nc - 1);
            }
            *total += n;
            if (*total > MAX_ELEMS)
                return fa_error_set(c->err, FA_ERR_RANGE, g[i].name->file, g[i].name->line, g[i].name->col,
                                    "too many line/region entries: expected at most %ld", MAX_ELEMS);
        }
    return FA_OK;
}

static fa_status pass_fill(cc *c, fa_model **out)
{
    const fa_spec *s = c->s;
    fa_model sz;
    memset(&sz, 0, sizeof sz);
    long nlineel, nregionel;
    TRY(count_groups(c, s->line, s->nline, c->line_g, &nlineel));
    TRY(count_groups(c, s->region, s->nregion, c->region_g, &nregionel));
    sz.nmat = s->nmat;
    for (int i = 0; i < s->nmat; i++)
        sz.nprony += s->mat[i].nprony;
    sz.nbody = s->nbody;
    sz.nlandmark = s->nlandmark;
    sz.nnode = (int)c->nnode;
    sz.ncord = (int)c->ncord;
    sz.nmem = (int)c->nmem;
    sz.nintf = (int)c->nintf;
    sz.nmuscle = s->nmuscle;
    sz.nelem = sz.ncord + sz.nmem + sz.nintf + sz.nmuscle;
    sz.nline = s->nline;
    sz.nlineel = (int)nlineel;
    sz.nregion = s->nregion;
    sz.nregionel = (int)nregionel;
    fa_model *m = fa_model_alloc(&sz);
    if (!m) return nomem(c);
    m->opt = s->opt;
    namebuf nb = {NULL, 0, 0};
    int ok = 1;
    char buf[300];
    /* materials */
    int pr = 0;
    for (int i = 0; i < s->nmat && ok; i++) {
        const sp_mat *x = &s->mat[i];
        ok = nb_add(&nb, x->name->str, &m->mat_name[i]) && nb_add(&nb, x->cite->str, &m->mat_cite[i]);
        m->mat_E[i] = x->E.v;
        m->mat_toe[i] = x->toe.v;
        m->mat_Em[i] = x->Em.v;
        m->mat_nu[i] = x->nu.v;
        m->mat_rho[i] = x->rho.v;
        m->mat_fail[i] = x->fail.v;
        m->mat_beta[i] = x->beta.v;
        m->mat_fib2_angle[i] = x->f2angle.v;
        m->mat_fib2_frac[i] = x->f2frac.v;
        m->mat_prony_adr[i] = pr;
        m->mat_prony_num[i] = x->nprony;
        for (int p = 0; p < x->nprony; p++, pr++) {
            m->prony_g[pr] = x->prony_g[p].v;
            m->prony_tau[pr] = x->prony_tau[p].v;
        }
        m->mat_grade[i] = x->grade->str[0];
    }
    for (int i = 0; i < s->nbody && ok; i++) {
        ok = nb_add(&nb, s->body[i].name->str, &m->body_name[i]);
        m->body_parent[i] = c->body_parent[i];
        m->body_mass[i] = s->body[i].mass.v;
    }
    for (int i = 0; i < s->nlandmark && ok; i++) {
        ok = nb_add(&nb, s->landmark[i].name->str, &m->landmark_name[i]);
        m->landmark_body[i] = c->lmk_body[i];
        memcpy(m->landmark_pos + 3 * i, s->landmark[i].pos, 3 * sizeof(double));
    }
    for (long i = 0; i < c->nnode && ok; i++) {
        ok = nb_add(&nb, node_label(c, (int)i, buf, sizeof buf), &m->node_name[i]);
        m->node_body[i] = c->nbody[i];
        memcpy(m->node_pos0 + 3 * i, c->pos + 3 * i, 3 * sizeof(double));
        /* the reference pose of every body is the identity, so a body-frame
         * position equals the world position at the reference */
        memcpy(m->node_local + 3 * i, c->pos + 3 * i, 3 * sizeof(double));
        m->node_mass[i] = c->nmass[i];
    }
    for (int i = 0; i < s->ncord && ok; i++) {
        const sp_cord *cd = &s->cord[i];
        for (int k = 0; k < cd->nc && ok; k++) {
            int e = cd->c0 + k;
            if (cd->form == SP_CORD_NODES)
                snprintf(buf, sizeof buf, "%s", cd->name->str);
            else
                snprintf(buf, sizeof buf, "%s.%d", cd->name->str, k);
            ok = nb_add(&nb, buf, &m->cord_name[e]);
        }
    }
    if (c->ncord) {
        memcpy(m->cord_node, c->c_node, (size_t)c->ncord * 2 * sizeof(int));
        memcpy(m->cord_mat, c->c_mat, (size_t)c->ncord * sizeof(int));
        memcpy(m->cord_area, c->c_area, (size_t)c->ncord * sizeof(double));
        memcpy(m->cord_prestrain, c->c_pre, (size_t)c->ncord * sizeof(double));
    }
    if (c->nmem) {
        memcpy(m->mem_node, c->m_node, (size_t)c->nmem * 3 * sizeof(int));
        memcpy(m->mem_mat, c->m_mat, (size_t)c->nmem * sizeof(int));
        memcpy(m->mem_thick, c->m_thick, (size_t)c->nmem * sizeof(double));
        memcpy(m->mem_fibre, c->m_fibre, (size_t)c->nmem * 3 * sizeof(double));
    }
    if (c->nintf) {
        memcpy(m->intf_node, c->i_node, (size_t)c->nintf * 2 * sizeof(int));
        memcpy(m->intf_normal, c->i_normal, (size_t)c->nintf * 3 * sizeof(double));
        memcpy(m->intf_area, c->i_area, (size_t)c->nintf * sizeof(double));
        memcpy(m->intf_G, c->i_G, (size_t)c->nintf * sizeof(double));
        memcpy(m->intf_h, c->i_h, (size_t)c->nintf * sizeof(double));
        memcpy(m->intf_eta, c->i_eta, (size_t)c->nintf * sizeof(double));
        memcpy(m->intf_kn, c->i_kn, (size_t)c->nintf * sizeof(double));
    }
    for (int i = 0; i < s->nmuscle && ok; i++) {
        const sp_muscle *x = &s->muscle[i];
        ok = nb_add(&nb, x->name->str, &m->muscle_name[i]);
        m->muscle_node[2 * i] = c->muscle_nodes[2 * i];
        m->muscle_node[2 * i + 1] = c->muscle_nodes[2 * i + 1];
        m->muscle_fmax[i] = x->fmax.v;
        m->muscle_lopt[i] = x->lopt.v;
        m->muscle_vmax[i] = x->vmax.v;
        m->muscle_lslack[i] = x->lslack.v;
    }
    int adr = 0;
    for (int i = 0; i < s->nline && ok; i++) {
        ok = nb_add(&nb, s->line[i].name->str, &m->line_name[i]);
        m->line_adr[i] = adr;
        for (int k = 0; k < s->line[i].nel; k++)
            adr += (int)group_elems(c, m, c->line_g[i][2 * k], c->line_g[i][2 * k + 1], s->line[i].sel[k],
                                    m->line_elem + adr);
        m->line_num[i] = adr - m->line_adr[i];
        m->line_grade[i] = s->line[i].grade->str[0];
    }
    adr = 0;
    for (int i = 0; i < s->nregion && ok; i++) {
        ok = nb_add(&nb, s->region[i].name->str, &m->region_name[i]);
        m->region_adr[i] = adr;
        for (int k = 0; k < s->region[i].nel; k++)
            adr += (int)group_elems(c, m, c->region_g[i][2 * k], c->region_g[i][2 * k + 1],
                                    s->region[i].sel[k], m->region_elem + adr);
        m->region_num[i] = adr - m->region_adr[i];
    }
    if (!ok || nb.n > 0x7fffffffL) {
        free(nb.p);
        fa_model_free(m);
        return nomem(c);
    }
    m->names = nb.p;
    m->nnamechar = (int)nb.n;
    *out = m;
    return FA_OK;
}

/* ---- driver ------------------------------------------------------------------------------ */

static void cc_free(cc *c)
{
    const fa_spec *s = c->s;
    nmap_free(&c->mat);
    nmap_free(&c->body);
    nmap_free(&c->lmk);
    nmap_free(&c->node);
    nmap_free(&c->mesh);
    nmap_free(&c->group);
    nmap_free(&c->line);
    nmap_free(&c->region);
#define FREE_LIST_(p, n)                                                                                     \
    if (p)                                                                                                   \
        for (int i_ = 0; i_ < (n); i_++)                                                                     \
            free((p)[i_]);                                                                                   \
    free(p);
    FREE_LIST_(c->anchor_body, s->nmesh)
    FREE_LIST_(c->cord_nodes, s->ncord)
    FREE_LIST_(c->memb_tri, s->nmemb)
    FREE_LIST_(c->intf_pairs, s->nintf)
    FREE_LIST_(c->line_g, s->nline)
    FREE_LIST_(c->region_g, s->nregion)
#undef FREE_LIST_
    void *flat[] = {c->body_parent, c->lmk_body,   c->mesh_mat, c->mesh_body,    c->memb_mat,  c->cord_mat,
                    c->cord_mesh,   c->intf_sheet, c->intf_sub, c->muscle_nodes, c->pos,       c->nbody,
                    c->nmass,       c->c_node,     c->c_mat,    c->c_area,       c->c_pre,     c->m_node,
                    c->m_mat,       c->m_thick,    c->m_fibre,  c->i_node,       c->i_normal,  c->i_area,
                    c->i_G,         c->i_h,        c->i_eta,    c->i_kn,         c->trib_area, c->trib_n};
    for (size_t i = 0; i < sizeof flat / sizeof flat[0]; i++)
        free(flat[i]);
}

fa_status fa_spec_compile(const fa_spec *s, fa_model **out, fa_error *err)
{
    *out = NULL;
    cc c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.err = err;
    fa_model *m = NULL;
    fa_status st = pass_gather(&c);
    if (!st) st = pass_duplicates(&c);
    if (!st) st = pass_resolve(&c);
    if (!st) st = pass_validate(&c);
    if (!st) st = pass_expand(&c);
    if (!st) st = pass_geometry(&c);
    if (!st) st = pass_fill(&c, &m);
    cc_free(&c);
    if (st) return st;
    st = fa_model_finalize(&m, err);
    if (st) {
        fa_model_free(m);
        return st;
    }
    *out = m;
    return FA_OK;
}
