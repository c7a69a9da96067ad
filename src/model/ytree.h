/* SPDX-License-Identifier: MIT */
/* YAML document tree with source marks (internal to the model stage).
 *
 * libyaml's event stream is folded into a small tree of scalars, sequences and
 * mappings. Every node keeps the file name and the 1-based line:column where
 * it starts, so every later error can point at the text. The reader is
 * defensive: aliases are rejected (no billion-laughs expansion), nesting depth,
 * node count, scalar length and input size are bounded, only one document is
 * accepted, and duplicate mapping keys are errors. All memory comes from one
 * pool freed in one call. */
#ifndef FA_MODEL_YTREE_H
#define FA_MODEL_YTREE_H

#include <stddef.h>

#include "fascia/status.h"

/* Limits of the reader (documented in docs/model-format.md). */
#define FA_Y_MAX_DEPTH 64          /* nesting of sequences/mappings */
#define FA_Y_MAX_NODES 2000000     /* tree nodes in one file */
#define FA_Y_MAX_SCALAR 65536      /* bytes in one scalar */
#define FA_Y_MAX_INPUT (64u << 20) /* bytes in one file */

/* A bump allocator: blocks are chained and freed together. */
typedef struct fa_pool fa_pool;
fa_pool *fa_pool_new(void);
void fa_pool_free(fa_pool *p);
/* Zeroed memory, 16-byte aligned; NULL on out of memory. */
void *fa_pool_alloc(fa_pool *p, size_t bytes);
/* Copy of a string (n bytes + NUL). */
char *fa_pool_strndup(fa_pool *p, const char *s, size_t n);

typedef enum fa_ykind { FA_Y_SCALAR = 0, FA_Y_SEQ, FA_Y_MAP } fa_ykind;

/* One node. For a mapping, the children alternate key, value, key, value. */
typedef struct fa_ynode {
    fa_ykind kind;
    int line, col;              /* 1-based start mark */
    const char *file;           /* file name for messages (pool-owned) */
    const char *str;            /* scalar text, NUL-terminated ("" otherwise) */
    size_t len;                 /* scalar length in bytes */
    int quoted;                 /* scalar was quoted or a block literal */
    int n;                      /* children (mapping: 2 x pairs) */
    struct fa_ynode *child;     /* first child */
    struct fa_ynode *last;      /* last child (building) */
    struct fa_ynode *next;      /* next sibling */
    const struct fa_ynode *key; /* for a mapping value: its key (else NULL) */
} fa_ynode;

/* Parse `len` bytes of YAML text into a tree allocated from `pool`. An empty
 * document (no content) is an error. On error returns a status and fills err
 * with "file:line:col: ...". */
fa_status fa_yaml_parse(fa_pool *pool, const char *text, size_t len, const char *file, fa_ynode **root,
                        fa_error *err);

/* Human name of a node kind: "scalar", "sequence", "mapping". */
const char *fa_ykind_str(fa_ykind k);

/* Value of key `key` in mapping `map`, or NULL. */
fa_ynode *fa_ymap_get(const fa_ynode *map, const char *key);

#endif
