/* SPDX-License-Identifier: MIT */
/* The body spec: what a body file says, before names become indices.
 *
 * parse.c fills a fa_spec from YAML trees (one per file, includes first);
 * values are already converted to SI and type-checked, references are still
 * names (the YAML scalar nodes, so errors can point at them). compile.c runs
 * the named passes (gather names, duplicates, resolve, expand generators,
 * validate values, fill fa_model, finalize). */
#ifndef FA_MODEL_SPEC_H
#define FA_MODEL_SPEC_H

#include "fascia/model.h"
#include "ytree.h"

#define FA_SP_MAX_PRONY 8

/* A number with the node it came from (at == NULL: default value). */
typedef struct sp_num {
    double v;
    const fa_ynode *at;
} sp_num;

typedef struct sp_mat {
    const fa_ynode *name, *def;
    sp_num E, toe, Em, nu, rho, fail, beta, f2angle, f2frac;
    int nprony;
    sp_num prony_g[FA_SP_MAX_PRONY], prony_tau[FA_SP_MAX_PRONY];
    const fa_ynode *grade, *cite;
} sp_mat;

typedef struct sp_body {
    const fa_ynode *name, *def, *parent; /* parent NULL = ground */
    sp_num mass;
} sp_body;

typedef struct sp_landmark {
    const fa_ynode *name, *def, *body; /* body NULL = ground */
    double pos[3];
} sp_landmark;

typedef struct sp_node {
    const fa_ynode *name, *def, *body; /* body NULL and fixed 0 = free */
    int fixed;
    double pos[3];
    sp_num mass;
} sp_node;

enum { SP_MESH_CYLINDER = 0, SP_MESH_RECT };
enum { SP_FIBRE_AXIAL = 0, SP_FIBRE_CIRC, SP_FIBRE_ANGLE };
enum { SP_ROW = 0, SP_COLUMN };

typedef struct sp_anchor {
    const fa_ynode *at; /* the anchor mapping */
    int which;          /* SP_ROW or SP_COLUMN */
    long index;         /* negative counts from the end */
    const fa_ynode *index_at;
    int fixed;
    const fa_ynode *body;
} sp_anchor;

typedef struct sp_mesh {
    const fa_ynode *name, *def;
    int type;
    double origin[3], axis[3], u[3], v[3];
    const fa_ynode *axis_at, *u_at, *v_at;
    sp_num radius, height, width;
    long ni, nj; /* nodes around/along u, rings/along v */
    const fa_ynode *ni_at, *nj_at;
    const fa_ynode *material; /* NULL: nodes only */
    sp_num thick;
    int fibre;
    sp_num fibre_angle;
    int fixed;
    const fa_ynode *body;
    int nanchor;
    sp_anchor *anchor;
    /* filled by the compiler */
    int node0, mem0, nmem;
} sp_mesh;

enum { SP_CORD_NODES = 0, SP_CORD_PATH, SP_CORD_ALONG };

typedef struct sp_cord {
    const fa_ynode *name, *def;
    int form;
    int nn;
    const fa_ynode **nodes; /* nodes / path */
    const fa_ynode *mesh;   /* along */
    int along_which;
    long along_index;
    const fa_ynode *along_at;
    const fa_ynode *material;
    sp_num area, prestrain;
    int c0, nc; /* compiler: first cord, count */
} sp_cord;

typedef struct sp_memb {
    const fa_ynode *name, *def, *material;
    sp_num thick;
    int ntri;
    const fa_ynode **tri;    /* 3 per triangle */
    const fa_ynode **tri_at; /* the triangle's sequence node */
    double fibre[3];
    const fa_ynode *fibre_at;
    int m0; /* compiler: first membrane */
} sp_memb;

typedef struct sp_intf {
    const fa_ynode *name, *def;
    int npair;
    const fa_ynode **pair; /* 2 per pair: sheet, substrate */
    const fa_ynode *sheet, *substrate;
    sp_num tol;
    sp_num G, h, eta, kn, area;
    double normal[3];
    const fa_ynode *normal_at;
    const fa_ynode *grade, *cite;
    int i0, ni; /* compiler: first interface, count */
} sp_intf;

typedef struct sp_muscle {
    const fa_ynode *name, *def;
    const fa_ynode *nodes[2];
    sp_num fmax, lopt, vmax, lslack;
} sp_muscle;

/* A selector entry of a line/region: the triangles of a mesh, or the
 * interfaces of a `between` interface, within ring and column ranges. */
typedef struct sp_sel {
    const fa_ynode *at;     /* the selector mapping */
    const fa_ynode *target; /* mesh or interface name */
    int is_intf;
    long ring[2], col[2]; /* inclusive node ranges; negative from the end */
    int has_ring, has_col;
    const fa_ynode *ring_at, *col_at;
} sp_sel;

/* Lines and regions. */
typedef struct sp_group {
    const fa_ynode *name, *def, *grade; /* grade: lines only */
    int nel;
    const fa_ynode **el; /* entry nodes (names or selector mappings) */
    sp_sel **sel;        /* per entry: NULL for a name */
} sp_group;

#define FA_SPEC_LISTS(X)                                                                                     \
    X(sp_mat, mat)                                                                                           \
    X(sp_body, body)                                                                                         \
    X(sp_landmark, landmark)                                                                                 \
    X(sp_node, node)                                                                                         \
    X(sp_mesh, mesh)                                                                                         \
    X(sp_cord, cord)                                                                                         \
    X(sp_memb, memb)                                                                                         \
    X(sp_intf, intf)                                                                                         \
    X(sp_muscle, muscle)                                                                                     \
    X(sp_group, line)                                                                                        \
    X(sp_group, region)

typedef struct fa_spec {
    fa_pool *pool; /* trees, strings and per-entity arrays */
#define FA_SPEC_FIELD_(type, name)                                                                           \
    type *name;                                                                                              \
    int n##name, cap##name;
    FA_SPEC_LISTS(FA_SPEC_FIELD_)
#undef FA_SPEC_FIELD_
    fa_options opt;
    int nfile; /* files read (main + includes) */
} fa_spec;

/* Create an empty spec with its own pool. NULL on out of memory. */
fa_spec *fa_spec_new(void);
void fa_spec_free(fa_spec *s);

/* Add the sections of one parsed file (a mapping) to the spec. Include
 * directives are handled by the loader before calling this. */
fa_status fa_spec_parse(fa_spec *s, const fa_ynode *root, fa_error *err);

/* Compile a spec into a finalized model. */
fa_status fa_spec_compile(const fa_spec *s, fa_model **out, fa_error *err);

/* Closest string to `name` among `n` candidates (Levenshtein distance within
 * max(2, len/3)), or NULL. */
const char *fa_closest_name(const char *name, const char *const *cand, int n);

#endif
