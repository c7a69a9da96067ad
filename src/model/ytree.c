/* SPDX-License-Identifier: MIT */
/* libyaml events -> fa_ynode tree with line:column marks. See ytree.h.
 *
 * libyaml is used because it is small, stable, packaged everywhere (Debian 12
 * libyaml-dev) and every event carries start marks; the parser is a state
 * machine, so deep input cannot overflow the C stack, and we bound depth and
 * size ourselves. */
#include "ytree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---- pool ---------------------------------------------------------------- */

typedef struct fa_pool_block {
    struct fa_pool_block *next;
    size_t size, used;
    /* data follows, 16-byte aligned */
} fa_pool_block;

struct fa_pool {
    fa_pool_block *head;
};

#define POOL_HDR ((sizeof(fa_pool_block) + 15u) & ~(size_t)15u)
#define POOL_BLOCK (256u * 1024u)

fa_pool *fa_pool_new(void)
{
    return (fa_pool *)calloc(1, sizeof(fa_pool));
}

void fa_pool_free(fa_pool *p)
{
    if (!p) return;
    fa_pool_block *b = p->head;
    while (b) {
        fa_pool_block *n = b->next;
        free(b);
        b = n;
    }
    free(p);
}

void *fa_pool_alloc(fa_pool *p, size_t bytes)
{
    if (bytes > SIZE_MAX / 2) return NULL;
    bytes = (bytes + 15u) & ~(size_t)15u;
    if (bytes == 0) bytes = 16;
    fa_pool_block *b = p->head;
    if (!b || b->size - b->used < bytes) {
        size_t sz = bytes > POOL_BLOCK ? bytes : POOL_BLOCK;
        b = (fa_pool_block *)malloc(POOL_HDR + sz);
        if (!b) return NULL;
        b->size = sz;
        b->used = 0;
        /* a big one-off block goes behind the head so the head keeps filling */
        if (p->head && bytes > POOL_BLOCK) {
            b->next = p->head->next;
            p->head->next = b;
        } else {
            b->next = p->head;
            p->head = b;
        }
    }
    unsigned char *r = (unsigned char *)b + POOL_HDR + b->used;
    b->used += bytes;
    memset(r, 0, bytes);
    return r;
}

char *fa_pool_strndup(fa_pool *p, const char *s, size_t n)
{
    char *r = (char *)fa_pool_alloc(p, n + 1);
    if (!r) return NULL;
    if (n) memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

/* ---- tree ---------------------------------------------------------------- */

const char *fa_ykind_str(fa_ykind k)
{
    switch (k) {
    case FA_Y_SCALAR:
        return "scalar";
    case FA_Y_SEQ:
        return "sequence";
    case FA_Y_MAP:
        return "mapping";
    }
    return "?";
}

fa_ynode *fa_ymap_get(const fa_ynode *map, const char *key)
{
    if (!map || map->kind != FA_Y_MAP) return NULL;
    for (fa_ynode *k = map->child; k && k->next; k = k->next->next)
        if (k->kind == FA_Y_SCALAR && strcmp(k->str, key) == 0) return k->next;
    return NULL;
}

/* 1-based line/column of a byte offset (reader errors carry only offsets). */
static void offset_mark(const char *text, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    if (off > len) off = len;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static int cmp_keyp(const void *a, const void *b)
{
    const fa_ynode *x = *(const fa_ynode *const *)a, *y = *(const fa_ynode *const *)b;
    int r = strcmp(x->str, y->str);
    if (r) return r;
    /* later occurrence sorts after: report the second one */
    return (x->line != y->line) ? (x->line < y->line ? -1 : 1) : (x->col < y->col ? -1 : x->col > y->col);
}

/* Duplicate keys are an error (YAML says so; libyaml does not check). */
static fa_status check_dup_keys(const fa_ynode *map, fa_error *err)
{
    int npair = map->n / 2;
    if (npair < 2) return FA_OK;
    if (npair <= 16) {
        for (fa_ynode *k = map->child; k; k = k->next ? k->next->next : NULL)
            for (fa_ynode *j = map->child; j != k; j = j->next->next)
                if (strcmp(j->str, k->str) == 0)
                    return fa_error_set(err, FA_ERR_DUPLICATE, k->file, k->line, k->col,
                                        "duplicate key '%s' (first at line %d:%d)", k->str, j->line, j->col);
        return FA_OK;
    }
    const fa_ynode **keys = (const fa_ynode **)malloc((size_t)npair * sizeof *keys);
    if (!keys) return fa_error_set(err, FA_ERR_NOMEM, map->file, map->line, map->col, "out of memory");
    int i = 0;
    for (fa_ynode *k = map->child; k && i < npair; k = k->next ? k->next->next : NULL)
        keys[i++] = k;
    qsort(keys, (size_t)i, sizeof *keys, cmp_keyp);
    fa_status st = FA_OK;
    for (int a = 1; a < i; a++) {
        if (strcmp(keys[a - 1]->str, keys[a]->str) == 0) {
            st = fa_error_set(err, FA_ERR_DUPLICATE, keys[a]->file, keys[a]->line, keys[a]->col,
                              "duplicate key '%s' (first at line %d:%d)", keys[a]->str, keys[a - 1]->line,
                              keys[a - 1]->col);
            break;
        }
    }
    free(keys);
    return st;
}

static void add_child(fa_ynode *parent, fa_ynode *c)
{
    if (parent->last)
        parent->last->next = c;
    else
        parent->child = c;
    parent->last = c;
    parent->n++;
}

fa_status fa_yaml_parse(fa_pool *pool, const char *text, size_t len, const char *file, fa_ynode **root,
                        fa_error *err)
{
    *root = NULL;
    const char *fname = fa_pool_strndup(pool, file ? file : "", file ? strlen(file) : 0);
    if (!fname) return fa_error_set(err, FA_ERR_NOMEM, file, 0, 0, "out of memory");
    if (len > FA_Y_MAX_INPUT)
        return fa_error_set(err, FA_ERR_RANGE, fname, 1, 1,
                            "file too large: expected at most %u bytes, found %zu", FA_Y_MAX_INPUT, len);
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return fa_error_set(err, FA_ERR_NOMEM, fname, 0, 0, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);

    fa_ynode *stack[FA_Y_MAX_DEPTH + 1];
    int depth = 0, ndoc = 0, nnode = 0;
    fa_ynode *doc_root = NULL;
    fa_status st = FA_OK;
    int done = 0;
    while (!done && st == FA_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            int line, col;
            if (parser.error == YAML_READER_ERROR) {
                offset_mark(text, len, parser.problem_offset, &line, &col);
                st = fa_error_set(err, FA_ERR_SYNTAX, fname, line, col,
                                  "invalid text: expected UTF-8 YAML, found %s (byte 0x%02x)",
                                  parser.problem ? parser.problem : "bad input",
                                  (unsigned)(parser.problem_value & 0xff));
            } else if (parser.error == YAML_MEMORY_ERROR) {
                st = fa_error_set(err, FA_ERR_NOMEM, fname, 0, 0, "out of memory reading YAML");
            } else {
                line = (int)parser.problem_mark.line + 1;
                col = (int)parser.problem_mark.column + 1;
                if (parser.context)
                    st = fa_error_set(err, FA_ERR_SYNTAX, fname, line, col, "YAML syntax error: %s %s",
                                      parser.context, parser.problem ? parser.problem : "");
                else
                    st = fa_error_set(err, FA_ERR_SYNTAX, fname, line, col, "YAML syntax error: %s",
                                      parser.problem ? parser.problem : "invalid YAML");
            }
            break;
        }
        int line = (int)ev.start_mark.line + 1, col = (int)ev.start_mark.column + 1;
        fa_ynode *nd = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++ndoc > 1)
                st = fa_error_set(err, FA_ERR_SYNTAX, fname, line, col,
                                  "expected one YAML document per file, found a second document");
            break;
        case YAML_ALIAS_EVENT:
            st = fa_error_set(err, FA_ERR_UNSUPPORTED, fname, line, col,
                              "YAML aliases (*%s) are not supported: write the value out or use a "
                              "generator",
                              ev.data.alias.anchor ? (const char *)ev.data.alias.anchor : "");
            break;
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++nnode > FA_Y_MAX_NODES) {
                st = fa_error_set(err, FA_ERR_RANGE, fname, line, col,
                                  "too many YAML nodes: expected at most %d", FA_Y_MAX_NODES);
                break;
            }
            nd = (fa_ynode *)fa_pool_alloc(pool, sizeof *nd);
            if (!nd) {
                st = fa_error_set(err, FA_ERR_NOMEM, fname, line, col, "out of memory");
                break;
            }
            nd->line = line;
            nd->col = col;
            nd->file = fname;
            nd->str = "";
            if (ev.type == YAML_SCALAR_EVENT) {
                nd->kind = FA_Y_SCALAR;
                if (ev.data.scalar.length > FA_Y_MAX_SCALAR) {
                    st = fa_error_set(err, FA_ERR_RANGE, fname, line, col,
                                      "scalar too long: expected at most %d bytes, found %zu",
                                      FA_Y_MAX_SCALAR, (size_t)ev.data.scalar.length);
                    break;
                }
                if (memchr(ev.data.scalar.value, '\0', ev.data.scalar.length)) {
                    st =
                        fa_error_set(err, FA_ERR_SYNTAX, fname, line, col, "scalar contains a NUL character");
                    break;
                }
                nd->str = fa_pool_strndup(pool, (const char *)ev.data.scalar.value, ev.data.scalar.length);
                if (!nd->str) {
                    st = fa_error_set(err, FA_ERR_NOMEM, fname, line, col, "out of memory");
                    break;
                }
                nd->len = ev.data.scalar.length;
                nd->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE &&
                             ev.data.scalar.style != YAML_ANY_SCALAR_STYLE;
            } else {
                nd->kind = ev.type == YAML_SEQUENCE_START_EVENT ? FA_Y_SEQ : FA_Y_MAP;
            }
            if (depth > 0) {
                fa_ynode *parent = stack[depth - 1];
                if (parent->kind == FA_Y_MAP && (parent->n % 2) == 0 && nd->kind != FA_Y_SCALAR) {
                    st = fa_error_set(err, FA_ERR_TYPE, fname, line, col,
                                      "mapping keys must be plain names, found a %s", fa_ykind_str(nd->kind));
                    break;
                }
                if (parent->kind == FA_Y_MAP && (parent->n % 2) == 1) nd->key = parent->last;
                add_child(parent, nd);
            } else {
                doc_root = nd;
            }
            if (nd->kind != FA_Y_SCALAR) {
                if (depth >= FA_Y_MAX_DEPTH) {
                    st = fa_error_set(err, FA_ERR_RANGE, fname, line, col,
                                      "nesting too deep: expected at most %d levels", FA_Y_MAX_DEPTH);
                    break;
                }
                stack[depth++] = nd;
            }
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth > 0) {
                fa_ynode *closed = stack[--depth];
                if (closed->kind == FA_Y_MAP) st = check_dup_keys(closed, err);
            }
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (st != FA_OK) return st;
    if (!doc_root || (doc_root->kind == FA_Y_SCALAR && !doc_root->quoted &&
                      (doc_root->len == 0 || !strcmp(doc_root->str, "~") || !strcmp(doc_root->str, "null"))))
        return fa_error_set(err, FA_ERR_MISSING, fname, 1, 1,
                            "empty file: expected a mapping of sections (materials, nodes, ...)");
    *root = doc_root;
    return FA_OK;
}
