/* SPDX-License-Identifier: MIT */
/* Pass 0 of the model compiler: YAML tree -> fa_spec.
 *
 * Checks shapes (mapping/sequence/scalar), field names (unknown fields are
 * errors, with the closest known name suggested), units and number syntax,
 * and stores SI values with the node they came from. Value ranges are checked
 * later by the compiler's validate pass; names are resolved there too. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"
#include "units.h"

/* ---- spec lifecycle --------------------------------------------------------- */

fa_spec *fa_spec_new(void)
{
    fa_spec *s = (fa_spec *)calloc(1, sizeof *s);
    if (!s) return NULL;
    s->pool = fa_pool_new();
    if (!s->pool) {
        free(s);
        return NULL;
    }
    s->opt = fa_default_options();
    return s;
}

void fa_spec_free(fa_spec *s)
{
    if (!s) return;
#define FREE_(type, name) free(s->name);
    FA_SPEC_LISTS(FREE_)
#undef FREE_
    fa_pool_free(s->pool);
    free(s);
}

/* Grow a vector to hold n+1 items; returns the new (zeroed) item or NULL. */
static void *push(void **arr, int *n, int *cap, size_t size)
{
    if (*n >= *cap) {
        int nc = *cap ? *cap * 2 : 16;
        void *p = realloc(*arr, (size_t)nc * size);
        if (!p) return NULL;
        *arr = p;
        *cap = nc;
    }
    void *item = (char *)*arr + (size_t)(*n) * size;
    memset(item, 0, size);
    (*n)++;
    return item;
}
#define PUSH(s, list) push((void **)&(s)->list, &(s)->n##list, &(s)->cap##list, sizeof *(s)->list)

/* ---- names ------------------------------------------------------------------ */

static int lev(const char *a, const char *b, int cap)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 64 || lb > 64) return cap + 1;
    if (abs(la - lb) > cap) return cap + 1;
    int d[65], p[65];
    for (int j = 0; j <= lb; j++)
        p[j] = j;
    for (int i = 1; i <= la; i++) {
        d[0] = i;
        int rowmin = d[0];
        for (int j = 1; j <= lb; j++) {
            int c = p[j - 1] + (a[i - 1] != b[j - 1]);
            if (p[j] + 1 < c) c = p[j] + 1;
            if (d[j - 1] + 1 < c) c = d[j - 1] + 1;
            d[j] = c;
            if (c < rowmin) rowmin = c;
        }
        if (rowmin > cap) return cap + 1;
        memcpy(p, d, (size_t)(lb + 1) * sizeof(int));
    }
    return p[lb];
}

const char *fa_closest_name(const char *name, const char *const *cand, int n)
{
    int len = (int)strlen(name);
    int cap = len / 3 > 2 ? len / 3 : 2;
    const char *best = NULL;
    int bd = cap + 1;
    for (int i = 0; i < n; i++) {
        if (!cand[i]) continue;
        int dd = lev(name, cand[i], bd - 1 < cap ? bd - 1 : cap);
        if (dd < bd) {
            bd = dd;
            best = cand[i];
        }
    }
    return bd <= cap ? best : NULL;
}

/* ---- shape and field helpers -------------------------------------------------- */

static int is_null(const fa_ynode *n)
{
    return n->kind == FA_Y_SCALAR && !n->quoted &&
           (n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null") || !strcmp(n->str, "Null") ||
            !strcmp(n->str, "NULL"));
}

static const char *found_str(const fa_ynode *n, char *buf, size_t size)
{
    if (n->kind != FA_Y_SCALAR) {
        snprintf(buf, size, "a %s", fa_ykind_str(n->kind));
    } else if (is_null(n)) {
        snprintf(buf, size, "nothing");
    } else {
        /* clip long text, keep it printable */
        size_t k = 0;
        buf[k++] = '\'';
        for (size_t i = 0; i < n->len && k + 5 < size; i++) {
            unsigned char c = (unsigned char)n->str[i];
            if (i >= 40) {
                memcpy(buf + k, "...", 3);
                k += 3;
                break;
            }
            buf[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
        }
        buf[k++] = '\'';
        buf[k] = '\0';
    }
    return buf;
}

static fa_status want(const fa_ynode *n, fa_ykind k, const char *what, fa_error *err)
{
    if (n->kind == k && !(k == FA_Y_SCALAR && is_null(n))) return FA_OK;
    char b[64];
    return fa_error_set(err, is_null(n) ? FA_ERR_MISSING : FA_ERR_TYPE, n->file, n->line, n->col,
                        "expected %s %s, found %s",
                        k == FA_Y_MAP   ? "a mapping for"
                        : k == FA_Y_SEQ ? "a sequence for"
                                        : "a value for",
                        what, found_str(n, b, sizeof b));
}

/* Every key of `map` must be in `allowed` (NULL-terminated). */
static fa_status check_keys(const fa_ynode *map, const char *const *allowed, const char *ctx, fa_error *err)
{
    int na = 0;
    while (allowed[na])
        na++;
    for (const fa_ynode *k = map->child; k && k->next; k = k->next->next) {
        int ok = 0;
        for (int i = 0; i < na && !ok; i++)
            ok = !strcmp(k->str, allowed[i]);
        if (ok) continue;
        const char *near = fa_closest_name(k->str, allowed, na);
        char list[400];
        size_t n = 0;
        list[0] = '\0';
        for (int i = 0; i < na && n + 32 < sizeof list; i++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", allowed[i]);
        if (near)
            return fa_error_set(err, FA_ERR_UNKNOWN, k->file, k->line, k->col,
                                "unknown field '%s' in %s (did you mean '%s'?)", k->str, ctx, near);
        return fa_error_set(err, FA_ERR_UNKNOWN, k->file, k->line, k->col,
                            "unknown field '%s' in %s: expected one of %s", k->str, ctx, list);
    }
    return FA_OK;
}

/* The key naming a mapping value (its entity name), else the node itself. */
static const fa_ynode *named(const fa_ynode *n)
{
    return n->key ? n->key : n;
}

static fa_status missing(const fa_ynode *map, const char *key, const char *ctx, fa_error *err)
{
    /* point at the name of what lacks the field when there is one */
    const fa_ynode *at = named(map);
    return fa_error_set(err, FA_ERR_MISSING, at->file, at->line, at->col, "missing required field '%s' in %s",
                        key, ctx);
}

static int starts_nonfinite(const char *s)
{
    while (*s == ' ' || *s == '+' || *s == '-' || *s == '.')
        s++;
    char b[4] = {0};
    for (int i = 0; i < 3 && s[i]; i++)
        b[i] = (char)tolower((unsigned char)s[i]);
    return !strcmp(b, "nan") || !strcmp(b, "inf");
}

/* English article for a dimension name ("an angle", "a length"). */
static const char *art(fa_dim d)
{
    const char *n = fa_dim_name(d);
    return strchr("aeiou", n[0]) ? "an" : "a";
}

/* Convert a scalar node to a quantity of dimension dim. */
static fa_status quantity(const fa_ynode *n, fa_dim dim, const char *what, double *out, fa_error *err)
{
    char b[64], ex[160];
    fa_status st = want(n, FA_Y_SCALAR, what, err);
    if (st) return st;
    fa_dim found;
    fa_qerr q = fa_parse_quantity(n->str, dim, out, &found);
    if (q == FA_Q_OK) return FA_OK;
    fa_dim_units(dim, ex, sizeof ex);
    if (q == FA_Q_NOTNUM && starts_nonfinite(n->str))
        return fa_error_set(err, FA_ERR_RANGE, n->file, n->line, n->col,
                            "expected a finite number for %s, found %s", what, found_str(n, b, sizeof b));
    switch (q) {
    case FA_Q_NOTNUM:
        if (dim == FA_DIM_NONE)
            return fa_error_set(err, FA_ERR_TYPE, n->file, n->line, n->col,
                                "expected a number for %s, found %s", what, found_str(n, b, sizeof b));
        return fa_error_set(err, FA_ERR_TYPE, n->file, n->line, n->col,
                            "expected %s %s with a unit (%s) for %s, found %s", art(dim), fa_dim_name(dim),
                            ex, what, found_str(n, b, sizeof b));
    case FA_Q_RANGE:
        return fa_error_set(err, FA_ERR_RANGE, n->file, n->line, n->col,
                            "number out of range for %s: expected a finite double, found %s", what,
                            found_str(n, b, sizeof b));
    case FA_Q_NOUNIT:
        return fa_error_set(err, FA_ERR_UNIT, n->file, n->line, n->col,
                            "missing unit for %s: expected %s %s in %s (e.g. '%s %s'), found %s", what,
                            art(dim), fa_dim_name(dim), ex, n->str, fa_dim_si(dim),
                            found_str(n, b, sizeof b));
    case FA_Q_WRONGDIM:
        if (dim == FA_DIM_NONE)
            return fa_error_set(err, FA_ERR_UNIT, n->file, n->line, n->col,
                                "wrong unit for %s: expected a plain number, found %s (%s %s)", what,
                                found_str(n, b, sizeof b), art(found), fa_dim_name(found));
        return fa_error_set(err, FA_ERR_UNIT, n->file, n->line, n->col,
                            "wrong unit for %s: expected %s %s (%s), found %s (%s %s)", what, art(dim),
                            fa_dim_name(dim), ex, found_str(n, b, sizeof b), art(found), fa_dim_name(found));
    default:
        if (dim == FA_DIM_NONE)
            return fa_error_set(err, FA_ERR_UNIT, n->file, n->line, n->col,
                                "unknown unit in %s for %s: expected a plain number",
                                found_str(n, b, sizeof b), what);
        return fa_error_set(err, FA_ERR_UNIT, n->file, n->line, n->col,
                            "unknown unit in %s for %s: expected %s %s in %s", found_str(n, b, sizeof b),
                            what, art(dim), fa_dim_name(dim), ex);
    }
}

/* Optional/required quantity field of a mapping. */
static fa_status qfield(const fa_ynode *map, const char *key, fa_dim dim, int required, double def,
                        const char *ctx, sp_num *out, fa_error *err)
{
    const fa_ynode *v = fa_ymap_get(map, key);
    out->v = def;
    out->at = NULL;
    if (!v) return required ? missing(map, key, ctx, err) : FA_OK;
    char what[160];
    snprintf(what, sizeof what, "'%s' of %s", key, ctx);
    fa_status st = quantity(v, dim, what, &out->v, err);
    if (st == FA_OK) out->at = v;
    return st;
}

static fa_status integer(const fa_ynode *n, const char *what, long *out, fa_error *err)
{
    char b[64];
    fa_status st = want(n, FA_Y_SCALAR, what, err);
    if (st) return st;
    const char *s = n->str;
    char *end;
    while (*s == ' ')
        s++;
    if (!(*s == '-' || *s == '+' || isdigit((unsigned char)*s)))
        return fa_error_set(err, FA_ERR_TYPE, n->file, n->line, n->col,
                            "expected an integer for %s, found %s", what, found_str(n, b, sizeof b));
    long v = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (*end)
        return fa_error_set(err, FA_ERR_TYPE, n->file, n->line, n->col,
                            "expected an integer for %s, found %s", what, found_str(n, b, sizeof b));
    if (v > 1000000 || v < -1000000)
        return fa_error_set(err, FA_ERR_RANGE, n->file, n->line, n->col,
                            "integer out of range for %s: expected |n| <= 1000000, found %s", what,
                            found_str(n, b, sizeof b));
    *out = v;
    return FA_OK;
}

static fa_status boolean(const fa_ynode *n, const char *what, int *out, fa_error *err)
{
    char b[64];
    fa_status st = want(n, FA_Y_SCALAR, what, err);
    if (st) return st;
    if (!strcmp(n->str, "true"))
        *out = 1;
    else if (!strcmp(n->str, "false"))
        *out = 0;
    else
        return fa_error_set(err, FA_ERR_TYPE, n->file, n->line, n->col,
                            "expected true or false for %s, found %s", what, found_str(n, b, sizeof b));
    return FA_OK;
}

/* A name reference: a non-empty scalar without blanks. */
static fa_status nameref(const fa_ynode *n, const char *what, fa_error *err)
{
    char b[64];
    fa_status st = want(n, FA_Y_SCALAR, what, err);
    if (st) return st;
    for (size_t i = 0; i < n->len; i++) {
        unsigned char c = (unsigned char)n->str[i];
        if (c <= ' ' || c == 0x7f)
            return fa_error_set(err, FA_ERR_TYPE, n->file, n->line, n->col,
                                "expected a name (no blanks) for %s, found %s", what,
                                found_str(n, b, sizeof b));
    }
    if (n->len > 200)
        return fa_error_set(err, FA_ERR_RANGE, n->file, n->line, n->col,
                            "name too long for %s: expected at most 200 bytes", what);
    return FA_OK;
}

/* A 3-vector: [a, b, c] of quantities, or one scalar "a b c unit". */
static fa_status vec3(const fa_ynode *n, fa_dim dim, const char *what, double out[3], fa_error *err)
{
    char b[64];
    if (n->kind == FA_Y_SEQ) {
        if (n->n != 3)
            return fa_error_set(err, FA_ERR_TYPE, n->file, n->line, n->col,
                                "expected 3 components for %s, found %d", what, n->n);
        int i = 0;
        for (const fa_ynode *c = n->child; c; c = c->next, i++) {
            fa_status st = quantity(c, dim, what, &out[i], err);
            if (st) return st;
        }
        return FA_OK;
    }
    fa_status st = want(n, FA_Y_SCALAR, what, err);
    if (st) return st;
    /* "x y z unit": three numbers (blank or comma separated), then the unit */
    const char *s = n->str;
    const char *tok[3];
    size_t tl[3];
    for (int i = 0; i < 3; i++) {
        while (*s == ' ' || *s == ',')
            s++;
        tok[i] = s;
        while (*s && *s != ' ' && *s != ',')
            s++;
        tl[i] = (size_t)(s - tok[i]);
        if (tl[i] == 0 || tl[i] > 60)
            return fa_error_set(err, FA_ERR_TYPE, n->file, n->line, n->col,
                                "expected 3 numbers%s for %s (e.g. '%s'), found %s",
                                dim == FA_DIM_NONE ? "" : " and a unit", what,
                                dim == FA_DIM_NONE ? "[0, 0, 1]" : "0 0.1 1.2 m", found_str(n, b, sizeof b));
    }
    while (*s == ' ' || *s == ',')
        s++;
    size_t ul = strlen(s);
    if (ul > 30) ul = 30;
    for (int i = 0; i < 3; i++) {
        char buf[100];
        memcpy(buf, tok[i], tl[i]);
        buf[tl[i]] = ' ';
        memcpy(buf + tl[i] + 1, s, ul);
        buf[tl[i] + 1 + ul] = '\0';
        fa_ynode tmp = *n;
        tmp.str = buf;
        tmp.len = strlen(buf);
        tmp.quoted = 1;
        fa_status st2 = quantity(&tmp, dim, what, &out[i], err);
        if (st2) return st2;
    }
    return FA_OK;
}

static fa_status grade_field(const fa_ynode *map, const char *ctx, int required, const fa_ynode **out,
                             fa_error *err)
{
    const fa_ynode *g = fa_ymap_get(map, "grade");
    *out = g;
    if (!g) return required ? missing(map, "grade", ctx, err) : FA_OK;
    char what[320];
    snprintf(what, sizeof what, "'grade' of %s", ctx);
    return want(g, FA_Y_SCALAR, what, err);
}

/* ---- sections ------------------------------------------------------------------- */

static fa_status entity(const fa_ynode *key, const fa_ynode *val, const char *kind, char *ctx, size_t nctx,
                        fa_error *err)
{
    snprintf(ctx, nctx, "%s '%s'", kind, key->str);
    fa_status st = nameref(key, kind, err);
    if (st) return st;
    return want(val, FA_Y_MAP, ctx, err);
}

#define TRY(x)                                                                                               \
    do {                                                                                                     \
        fa_status st_ = (x);                                                                                 \
        if (st_ != FA_OK) return st_;                                                                        \
    } while (0)

static fa_status parse_materials(fa_spec *s, const fa_ynode *sec, fa_error *err)
{
    static const char *const keys[] = {"E",       "toe_strain",     "matrix_E", "nu",
                                       "density", "failure_strain", "damping",  "fibre2",
                                       "prony",   "grade",          "cite",     NULL};
    char ctx[256];
    for (const fa_ynode *k = sec->child; k && k->next; k = k->next->next) {
        const fa_ynode *v = k->next;
        TRY(entity(k, v, "material", ctx, sizeof ctx, err));
        TRY(check_keys(v, keys, ctx, err));
        sp_mat *m = (sp_mat *)PUSH(s, mat);
        if (!m) return fa_error_set(err, FA_ERR_NOMEM, k->file, k->line, k->col, "out of memory");
        m->name = k;
        m->def = v;
        TRY(qfield(v, "E", FA_DIM_PRESSURE, 1, 0, ctx, &m->E, err));
        TRY(qfield(v, "toe_strain", FA_DIM_NONE, 1, 0, ctx, &m->toe, err));
        TRY(qfield(v, "matrix_E", FA_DIM_PRESSURE, 1, 0, ctx, &m->Em, err));
        TRY(qfield(v, "nu", FA_DIM_NONE, 1, 0, ctx, &m->nu, err));
        TRY(qfield(v, "density", FA_DIM_DENSITY, 1, 0, ctx, &m->rho, err));
        TRY(qfield(v, "failure_strain", FA_DIM_NONE, 1, 0, ctx, &m->fail, err));
        TRY(qfield(v, "damping", FA_DIM_TIME, 0, 0, ctx, &m->beta, err));
        const fa_ynode *f2 = fa_ymap_get(v, "fibre2");
        m->f2angle.v = m->f2frac.v = 0;
        if (f2) {
            char c2[300];
            snprintf(c2, sizeof c2, "'fibre2' of %s", ctx);
            static const char *const k2[] = {"angle", "fraction", NULL};
            TRY(want(f2, FA_Y_MAP, c2, err));
            TRY(check_keys(f2, k2, c2, err));
            TRY(qfield(f2, "angle", FA_DIM_ANGLE, 1, 0, c2, &m->f2angle, err));
            TRY(qfield(f2, "fraction", FA_DIM_NONE, 1, 0, c2, &m->f2frac, err));
        }
        const fa_ynode *pr = fa_ymap_get(v, "prony");
        if (pr) {
            char c2[300];
            snprintf(c2, sizeof c2, "'prony' of %s", ctx);
            TRY(want(pr, FA_Y_SEQ, c2, err));
            if (pr->n > FA_SP_MAX_PRONY)
                return fa_error_set(err, FA_ERR_RANGE, pr->file, pr->line, pr->col,
                                    "too many Prony terms in %s: expected at most %d, found %d", ctx,
                                    FA_SP_MAX_PRONY, pr->n);
            static const char *const kp[] = {"g", "tau", NULL};
            for (const fa_ynode *t = pr->child; t; t = t->next) {
                TRY(want(t, FA_Y_MAP, c2, err));
                TRY(check_keys(t, kp, c2, err));
                TRY(qfield(t, "g", FA_DIM_NONE, 1, 0, c2, &m->prony_g[m->nprony], err));
                TRY(qfield(t, "tau", FA_DIM_TIME, 1, 0, c2, &m->prony_tau[m->nprony], err));
                m->nprony++;
            }
        }
        TRY(grade_field(v, ctx, 1, &m->grade, err));
        m->cite = fa_ymap_get(v, "cite");
        if (!m->cite) return missing(v, "cite", ctx, err);
        char c3[300];
        snprintf(c3, sizeof c3, "'cite' of %s", ctx);
        TRY(want(m->cite, FA_Y_SCALAR, c3, err));
    }
    return FA_OK;
}

/* body: NAME | ground, optional */
static fa_status body_ref(const fa_ynode *map, const char *ctx, const fa_ynode **out, fa_error *err)
{
    const fa_ynode *b = fa_ymap_get(map, "body");
    *out = NULL;
    if (!b) return FA_OK;
    char what[300];
    snprintf(what, sizeof what, "'body' of %s", ctx);
    TRY(nameref(b, what, err));
    if (strcmp(b->str, "ground") != 0) *out = b;
    return FA_OK;
}

static fa_status parse_bodies(fa_spec *s, const fa_ynode *sec, fa_error *err)
{
    static const char *const keys[] = {"parent", "mass", NULL};
    char ctx[256];
    for (const fa_ynode *k = sec->child; k && k->next; k = k->next->next) {
        const fa_ynode *v = k->next;
        TRY(entity(k, v, "body", ctx, sizeof ctx, err));
        TRY(check_keys(v, keys, ctx, err));
        if (!strcmp(k->str, "ground"))
            return fa_error_set(err, FA_ERR_DUPLICATE, k->file, k->line, k->col,
                                "'ground' is the implied world body: choose another body name");
        sp_body *b = (sp_body *)PUSH(s, body);
        if (!b) return fa_error_set(err, FA_ERR_NOMEM, k->file, k->line, k->col, "out of memory");
        b->name = k;
        b->def = v;
        const fa_ynode *p = fa_ymap_get(v, "parent");
        if (p) {
            TRY(nameref(p, "'parent' of a body", err));
            if (strcmp(p->str, "ground") != 0) b->parent = p;
        }
        TRY(qfield(v, "mass", FA_DIM_MASS, 0, 0, ctx, &b->mass, err));
    }
    return FA_OK;
}

static fa_status parse_landmarks(fa_spec *s, const fa_ynode *sec, fa_error *err)
{
    static const char *const keys[] = {"body", "position", NULL};
    char ctx[256];
    for (const fa_ynode *k = sec->child; k && k->next; k = k->next->next) {
        const fa_ynode *v = k->next;
        TRY(entity(k, v, "landmark", ctx, sizeof ctx, err));
        TRY(check_keys(v, keys, ctx, err));
        sp_landmark *l = (sp_landmark *)PUSH(s, landmark);
        if (!l) return fa_error_set(err, FA_ERR_NOMEM, k->file, k->line, k->col, "out of memory");
        l->name = k;
        l->def = v;
        TRY(body_ref(v, ctx, &l->body, err));
        const fa_ynode *p = fa_ymap_get(v, "position");
        if (!p) return missing(v, "position", ctx, err);
        TRY(vec3(p, FA_DIM_LENGTH, "'position' of a landmark", l->pos, err));
    }
    return FA_OK;
}

static fa_status parse_nodes(fa_spec *s, const fa_ynode *sec, fa_error *err)
{
    static const char *const keys[] = {"position", "body", "fixed", "mass", NULL};
    char ctx[256];
    for (const fa_ynode *k = sec->child; k && k->next; k = k->next->next) {
        const fa_ynode *v = k->next;
        TRY(entity(k, v, "node", ctx, sizeof ctx, err));
        TRY(check_keys(v, keys, ctx, err));
        sp_node *n = (sp_node *)PUSH(s, node);
        if (!n) return fa_error_set(err, FA_ERR_NOMEM, k->file, k->line, k->col, "out of memory");
        n->name = k;
        n->def = v;
        const fa_ynode *p = fa_ymap_get(v, "position");
        if (!p) return missing(v, "position", ctx, err);
        TRY(vec3(p, FA_DIM_LENGTH, "'position' of a node", n->pos, err));
        TRY(body_ref(v, ctx, &n->body, err));
        const fa_ynode *f = fa_ymap_get(v, "fixed");
        if (f) TRY(boolean(f, "'fixed' of a node", &n->fixed, err));
        if (n->fixed && n->body)
            return fa_error_set(err, FA_ERR_TYPE, f->file, f->line, f->col,
                                "%s: expected either 'fixed: true' or 'body', found both", ctx);
        TRY(qfield(v, "mass", FA_DIM_MASS, 0, 0, ctx, &n->mass, err));
    }
    return FA_OK;
}

static fa_status parse_mesh(fa_spec *s, const fa_ynode *k, const fa_ynode *v, fa_error *err)
{
    static const char *const kcyl[] = {"type",     "center", "axis",     "radius",    "height",
                                       "segments", "rings",  "material", "thickness", "fibre",
                                       "fixed",    "body",   "anchors",  NULL};
    static const char *const krect[] = {"type",   "origin", "u",    "v",        "width",
                                        "height", "nu",     "nv",   "material", "thickness",
                                        "fibre",  "fixed",  "body", "anchors",  NULL};
    char ctx[256];
    TRY(entity(k, v, "mesh", ctx, sizeof ctx, err));
    const fa_ynode *t = fa_ymap_get(v, "type");
    if (!t) return missing(v, "type", ctx, err);
    TRY(want(t, FA_Y_SCALAR, "'type' of a mesh", err));
    int type;
    if (!strcmp(t->str, "cylinder"))
        type = SP_MESH_CYLINDER;
    else if (!strcmp(t->str, "rect"))
        type = SP_MESH_RECT;
    else {
        char b[64];
        return fa_error_set(err, FA_ERR_TYPE, t->file, t->line, t->col,
                            "expected mesh type 'cylinder' or 'rect' for %s, found %s", ctx,
                            found_str(t, b, sizeof b));
    }
    TRY(check_keys(v, type == SP_MESH_CYLINDER ? kcyl : krect, ctx, err));
    sp_mesh *m = (sp_mesh *)PUSH(s, mesh);
    if (!m) return fa_error_set(err, FA_ERR_NOMEM, k->file, k->line, k->col, "out of memory");
    m->name = k;
    m->def = v;
    m->type = type;
    const fa_ynode *n;
    char what[300];
    if (type == SP_MESH_CYLINDER) {
        if (!(n = fa_ymap_get(v, "center"))) return missing(v, "center", ctx, err);
        TRY(vec3(n, FA_DIM_LENGTH, "'center' of a cylinder", m->origin, err));
        m->axis[2] = 1.0;
        if ((n = fa_ymap_get(v, "axis"))) {
            TRY(vec3(n, FA_DIM_NONE, "'axis' of a cylinder", m->axis, err));
            m->axis_at = n;
        }
        TRY(qfield(v, "radius", FA_DIM_LENGTH, 1, 0, ctx, &m->radius, err));
        TRY(qfield(v, "height", FA_DIM_LENGTH, 1, 0, ctx, &m->height, err));
        if (!(n = fa_ymap_get(v, "segments"))) return missing(v, "segments", ctx, err);
        TRY(integer(n, "'segments' of a cylinder", &m->ni, err));
        m->ni_at = n;
        if (!(n = fa_ymap_get(v, "rings"))) return missing(v, "rings", ctx, err);
        TRY(integer(n, "'rings' of a cylinder", &m->nj, err));
        m->nj_at = n;
    } else {
        if (!(n = fa_ymap_get(v, "origin"))) return missing(v, "origin", ctx, err);
        TRY(vec3(n, FA_DIM_LENGTH, "'origin' of a rect", m->origin, err));
        m->u[0] = 1.0;
        m->v[1] = 1.0;
        if ((n = fa_ymap_get(v, "u"))) {
            TRY(vec3(n, FA_DIM_NONE, "'u' of a rect", m->u, err));
            m->u_at = n;
        }
        if ((n = fa_ymap_get(v, "v"))) {
            TRY(vec3(n, FA_DIM_NONE, "'v' of a rect", m->v, err));
            m->v_at = n;
        }
        TRY(qfield(v, "width", FA_DIM_LENGTH, 1, 0, ctx, &m->width, err));
        TRY(qfield(v, "height", FA_DIM_LENGTH, 1, 0, ctx, &m->height, err));
        if (!(n = fa_ymap_get(v, "nu"))) return missing(v, "nu", ctx, err);
        TRY(integer(n, "'nu' of a rect", &m->ni, err));
        m->ni_at = n;
        if (!(n = fa_ymap_get(v, "nv"))) return missing(v, "nv", ctx, err);
        TRY(integer(n, "'nv' of a rect", &m->nj, err));
        m->nj_at = n;
    }
    if ((n = fa_ymap_get(v, "material"))) {
        TRY(nameref(n, "'material' of a mesh", err));
        m->material = n;
        TRY(qfield(v, "thickness", FA_DIM_LENGTH, 1, 0, ctx, &m->thick, err));
        m->fibre = type == SP_MESH_CYLINDER ? SP_FIBRE_AXIAL : SP_FIBRE_ANGLE;
        if ((n = fa_ymap_get(v, "fibre"))) {
            snprintf(what, sizeof what, "'fibre' of %s", ctx);
            TRY(want(n, FA_Y_SCALAR, what, err));
            if (type == SP_MESH_CYLINDER && !strcmp(n->str, "axial"))
                m->fibre = SP_FIBRE_AXIAL;
            else if (type == SP_MESH_CYLINDER && !strcmp(n->str, "circumferential"))
                m->fibre = SP_FIBRE_CIRC;
            else {
                if (type == SP_MESH_CYLINDER && !isdigit((unsigned char)n->str[0]) && n->str[0] != '-' &&
                    n->str[0] != '+' && n->str[0] != '.') {
                    char b[64];
                    return fa_error_set(err, FA_ERR_TYPE, n->file, n->line, n->col,
                                        "expected 'axial', 'circumferential' or a helical angle (e.g. "
                                        "'30 deg') for %s, found %s",
                                        what, found_str(n, b, sizeof b));
                }
                m->fibre = SP_FIBRE_ANGLE;
                TRY(quantity(n, FA_DIM_ANGLE, what, &m->fibre_angle.v, err));
                m->fibre_angle.at = n;
            }
        }
    } else {
        const fa_ynode *x = fa_ymap_get(v, "thickness");
        if (!x) x = fa_ymap_get(v, "fibre");
        if (x)
            return fa_error_set(err, FA_ERR_MISSING, x->file, x->line, x->col,
                                "%s has a sheet property but no 'material' (a mesh without material "
                                "generates nodes only)",
                                ctx);
    }
    if ((n = fa_ymap_get(v, "fixed"))) TRY(boolean(n, "'fixed' of a mesh", &m->fixed, err));
    TRY(body_ref(v, ctx, &m->body, err));
    if (m->fixed && m->body)
        return fa_error_set(err, FA_ERR_TYPE, named(v)->file, named(v)->line, named(v)->col,
                            "%s: expected either 'fixed: true' or 'body', found both", ctx);
    if ((n = fa_ymap_get(v, "anchors"))) {
        snprintf(what, sizeof what, "'anchors' of %s", ctx);
        TRY(want(n, FA_Y_SEQ, what, err));
        m->anchor = (sp_anchor *)fa_pool_alloc(s->pool, (size_t)(n->n ? n->n : 1) * sizeof(sp_anchor));
        if (!m->anchor) return fa_error_set(err, FA_ERR_NOMEM, n->file, n->line, n->col, "out of memory");
        static const char *const ka[] = {"ring", "row", "column", "fixed", "body", NULL};
        for (const fa_ynode *a = n->child; a; a = a->next) {
            TRY(want(a, FA_Y_MAP, what, err));
            TRY(check_keys(a, ka, "an anchor", err));
            sp_anchor *an = &m->anchor[m->nanchor++];
            an->at = a;
            const fa_ynode *r = fa_ymap_get(a, "ring");
            if (!r) r = fa_ymap_get(a, "row");
            const fa_ynode *c = fa_ymap_get(a, "column");
            if ((r != NULL) == (c != NULL))
                return fa_error_set(err, FA_ERR_MISSING, a->file, a->line, a->col,
                                    "an anchor of %s needs exactly one of 'ring'/'row' or 'column'", ctx);
            an->which = r ? SP_ROW : SP_COLUMN;
            an->index_at = r ? r : c;
            TRY(integer(an->index_at, "an anchor index", &an->index, err));
            const fa_ynode *f = fa_ymap_get(a, "fixed"), *bd = fa_ymap_get(a, "body");
            if ((f != NULL) == (bd != NULL))
                return fa_error_set(err, FA_ERR_MISSING, a->file, a->line, a->col,
                                    "an anchor of %s needs exactly one of 'fixed: true' or 'body'", ctx);
            if (f) {
                TRY(boolean(f, "'fixed' of an anchor", &an->fixed, err));
                if (!an->fixed)
                    return fa_error_set(err, FA_ERR_RANGE, f->file, f->line, f->col,
                                        "expected 'fixed: true' in an anchor, found false");
            }
            TRY(body_ref(a, "an anchor", &an->body, err));
            if (bd && !an->body) an->fixed = 1; /* body: ground */
        }
    }
    return FA_OK;
}

static fa_status parse_meshes(fa_spec *s, const fa_ynode *sec, fa_error *err)
{
    for (const fa_ynode *k = sec->child; k && k->next; k = k->next->next)
        TRY(parse_mesh(s, k, k->next, err));
    return FA_OK;
}

/* A sequence of node names. */
static fa_status name_list(fa_spec *s, const fa_ynode *n, int min, const char *what, const fa_ynode ***out,
                           int *count, fa_error *err)
{
    TRY(want(n, FA_Y_SEQ, what, err));
    if (n->n < min)
        return fa_error_set(err, FA_ERR_RANGE, n->file, n->line, n->col,
                            "expected at least %d names in %s, found %d", min, what, n->n);
    const fa_ynode **arr = (const fa_ynode **)fa_pool_alloc(s->pool, (size_t)(n->n ? n->n : 1) * sizeof *arr);
    if (!arr) return fa_error_set(err, FA_ERR_NOMEM, n->file, n->line, n->col, "out of memory");
    int i = 0;
    for (const fa_ynode *c = n->child; c; c = c->next) {
        TRY(nameref(c, what, err));
        arr[i++] = c;
    }
    *out = arr;
    *count = i;
    return FA_OK;
}

static fa_status parse_cords(fa_spec *s, const fa_ynode *sec, fa_error *err)
{
    static const char *const keys[] = {"nodes", "path", "along", "material", "area", "prestrain", NULL};
    char ctx[256], what[300];
    for (const fa_ynode *k = sec->child; k && k->next; k = k->next->next) {
        const fa_ynode *v = k->next;
        TRY(entity(k, v, "cord", ctx, sizeof ctx, err));
        TRY(check_keys(v, keys, ctx, err));
        sp_cord *c = (sp_cord *)PUSH(s, cord);
        if (!c) return fa_error_set(err, FA_ERR_NOMEM, k->file, k->line, k->col, "out of memory");
        c->name = k;
        c->def = v;
        const fa_ynode *nn = fa_ymap_get(v, "nodes"), *pp = fa_ymap_get(v, "path"),
                       *al = fa_ymap_get(v, "along");
        if ((nn != NULL) + (pp != NULL) + (al != NULL) != 1)
            return fa_error_set(err, FA_ERR_MISSING, named(v)->file, named(v)->line, named(v)->col,
                                "%s needs exactly one of 'nodes', 'path' or 'along'", ctx);
        snprintf(what, sizeof what, "the nodes of %s", ctx);
        if (nn) {
            c->form = SP_CORD_NODES;
            TRY(name_list(s, nn, 2, what, &c->nodes, &c->nn, err));
            if (c->nn != 2)
                return fa_error_set(err, FA_ERR_RANGE, nn->file, nn->line, nn->col,
                                    "expected 2 nodes for %s (use 'path' for a polyline), found %d", ctx,
                                    c->nn);
        } else if (pp) {
            c->form = SP_CORD_PATH;
            TRY(name_list(s, pp, 2, what, &c->nodes, &c->nn, err));
        } else {
            static const char *const ka[] = {"mesh", "column", "ring", "row", NULL};
            snprintf(what, sizeof what, "'along' of %s", ctx);
            TRY(want(al, FA_Y_MAP, what, err));
            TRY(check_keys(al, ka, what, err));
            c->form = SP_CORD_ALONG;
            c->mesh = fa_ymap_get(al, "mesh");
            if (!c->mesh) return missing(al, "mesh", what, err);
            TRY(nameref(c->mesh, what, err));
            const fa_ynode *col = fa_ymap_get(al, "column"), *row = fa_ymap_get(al, "ring");
            if (!row) row = fa_ymap_get(al, "row");
            if ((col != NULL) == (row != NULL))
                return fa_error_set(err, FA_ERR_MISSING, al->file, al->line, al->col,
                                    "%s needs exactly one of 'column' or 'ring'/'row'", what);
            c->along_which = col ? SP_COLUMN : SP_ROW;
            c->along_at = col ? col : row;
            TRY(integer(c->along_at, what, &c->along_index, err));
        }
        c->material = fa_ymap_get(v, "material");
        if (!c->material) return missing(v, "material", ctx, err);
        TRY(nameref(c->material, "'material' of a cord", err));
        TRY(qfield(v, "area", FA_DIM_AREA, 1, 0, ctx, &c->area, err));
        TRY(qfield(v, "prestrain", FA_DIM_NONE, 0, 0, ctx, &c->prestrain, err));
    }
    return FA_OK;
}

static fa_status parse_membranes(fa_spec *s, const fa_ynode *sec, fa_error *err)
{
    static const char *const keys[] = {"material", "thickness", "triangles", "fibre", NULL};
    char ctx[256], what[300];
    for (const fa_ynode *k = sec->child; k && k->next; k = k->next->next) {
        const fa_ynode *v = k->next;
        TRY(entity(k, v, "membrane", ctx, sizeof ctx, err));
        TRY(check_keys(v, keys, ctx, err));
        sp_memb *m = (sp_memb *)PUSH(s, memb);
        if (!m) return fa_error_set(err, FA_ERR_NOMEM, k->file, k->line, k->col, "out of memory");
        m->name = k;
        m->def = v;
        m->material = fa_ymap_get(v, "material");
        if (!m->material) return missing(v, "material", ctx, err);
        TRY(nameref(m->material, "'material' of a membrane", err));
        TRY(qfield(v, "thickness", FA_DIM_LENGTH, 1, 0, ctx, &m->thick, err));
        const fa_ynode *f = fa_ymap_get(v, "fibre");
        if (!f) return missing(v, "fibre", ctx, err);
        TRY(vec3(f, FA_DIM_NONE, "'fibre' of a membrane", m->fibre, err));
        m->fibre_at = f;
        const fa_ynode *t = fa_ymap_get(v, "triangles");
        if (!t) return missing(v, "triangles", ctx, err);
        snprintf(what, sizeof what, "'triangles' of %s", ctx);
        TRY(want(t, FA_Y_SEQ, what, err));
        if (t->n < 1)
            return fa_error_set(err, FA_ERR_MISSING, t->file, t->line, t->col,
                                "expected at least one triangle in %s, found none", ctx);
        m->tri = (const fa_ynode **)fa_pool_alloc(s->pool, (size_t)t->n * 3 * sizeof *m->tri);
        m->tri_at = (const fa_ynode **)fa_pool_alloc(s->pool, (size_t)t->n * sizeof *m->tri_at);
        if (!m->tri || !m->tri_at)
            return fa_error_set(err, FA_ERR_NOMEM, t->file, t->line, t->col, "out of memory");
        for (const fa_ynode *tr = t->child; tr; tr = tr->next) {
            const fa_ynode **arr = NULL;
            int cnt = 0;
            TRY(name_list(s, tr, 3, "a triangle (3 node names)", &arr, &cnt, err));
            if (cnt != 3)
                return fa_error_set(err, FA_ERR_RANGE, tr->file, tr->line, tr->col,
                                    "expected 3 node names for a triangle of %s, found %d", ctx, cnt);
            memcpy(&m->tri[3 * m->ntri], arr, 3 * sizeof *arr);
            m->tri_at[m->ntri++] = tr;
        }
    }
    return FA_OK;
}

static fa_status parse_interfaces(fa_spec *s, const fa_ynode *sec, fa_error *err)
{
    static const char *const keys[] = {
        "pairs", "between", "shear_modulus", "thickness", "viscosity", "normal_stiffness",
        "area",  "normal",  "grade",         "cite",      NULL};
    char ctx[256], what[300];
    for (const fa_ynode *k = sec->child; k && k->next; k = k->next->next) {
        const fa_ynode *v = k->next;
        TRY(entity(k, v, "interface", ctx, sizeof ctx, err));
        TRY(check_keys(v, keys, ctx, err));
        sp_intf *f = (sp_intf *)PUSH(s, intf);
        if (!f) return fa_error_set(err, FA_ERR_NOMEM, k->file, k->line, k->col, "out of memory");
        f->name = k;
        f->def = v;
        const fa_ynode *pr = fa_ymap_get(v, "pairs"), *bw = fa_ymap_get(v, "between");
        if ((pr != NULL) == (bw != NULL))
            return fa_error_set(err, FA_ERR_MISSING, named(v)->file, named(v)->line, named(v)->col,
                                "%s needs exactly one of 'pairs' or 'between'", ctx);
        if (pr) {
            snprintf(what, sizeof what, "'pairs' of %s", ctx);
            TRY(want(pr, FA_Y_SEQ, what, err));
            f->pair =
                (const fa_ynode **)fa_pool_alloc(s->pool, (size_t)(pr->n ? pr->n : 1) * 2 * sizeof *f->pair);
            if (!f->pair)
                return fa_error_set(err, FA_ERR_NOMEM, pr->file, pr->line, pr->col, "out of memory");
            for (const fa_ynode *p = pr->child; p; p = p->next) {
                const fa_ynode **arr = NULL;
                int cnt = 0;
                TRY(name_list(s, p, 2, "a node pair [sheet, substrate]", &arr, &cnt, err));
                if (cnt != 2)
                    return fa_error_set(err, FA_ERR_RANGE, p->file, p->line, p->col,
                                        "expected a node pair [sheet, substrate], found %d names", cnt);
                f->pair[2 * f->npair] = arr[0];
                f->pair[2 * f->npair + 1] = arr[1];
                f->npair++;
            }
            if (f->npair == 0)
                return fa_error_set(err, FA_ERR_MISSING, pr->file, pr->line, pr->col,
                                    "expected at least one pair in %s, found none", ctx);
        } else {
            static const char *const kb[] = {"sheet", "substrate", "tolerance", NULL};
            snprintf(what, sizeof what, "'between' of %s", ctx);
            TRY(want(bw, FA_Y_MAP, what, err));
            TRY(check_keys(bw, kb, what, err));
            if (!(f->sheet = fa_ymap_get(bw, "sheet"))) return missing(bw, "sheet", what, err);
            if (!(f->substrate = fa_ymap_get(bw, "substrate"))) return missing(bw, "substrate", what, err);
            TRY(nameref(f->sheet, what, err));
            TRY(nameref(f->substrate, what, err));
            TRY(qfield(bw, "tolerance", FA_DIM_LENGTH, 1, 0, what, &f->tol, err));
        }
        TRY(qfield(v, "shear_modulus", FA_DIM_PRESSURE, 1, 0, ctx, &f->G, err));
        TRY(qfield(v, "thickness", FA_DIM_LENGTH, 1, 0, ctx, &f->h, err));
        TRY(qfield(v, "viscosity", FA_DIM_VISCOSITY, 1, 0, ctx, &f->eta, err));
        TRY(qfield(v, "normal_stiffness", FA_DIM_STIFFNESS, 1, 0, ctx, &f->kn, err));
        TRY(qfield(v, "area", FA_DIM_AREA, 0, 0, ctx, &f->area, err));
        const fa_ynode *nm = fa_ymap_get(v, "normal");
        if (nm) {
            TRY(vec3(nm, FA_DIM_NONE, "'normal' of an interface", f->normal, err));
            f->normal_at = nm;
        }
        TRY(grade_field(v, ctx, 1, &f->grade, err));
        f->cite = fa_ymap_get(v, "cite");
        if (!f->cite) return missing(v, "cite", ctx, err);
        TRY(want(f->cite, FA_Y_SCALAR, "'cite' of an interface", err));
    }
    return FA_OK;
}

static fa_status parse_muscles(fa_spec *s, const fa_ynode *sec, fa_error *err)
{
    static const char *const keys[] = {"nodes", "fmax", "optimal_length", "vmax", "slack_length", NULL};
    char ctx[256], what[300];
    for (const fa_ynode *k = sec->child; k && k->next; k = k->next->next) {
        const fa_ynode *v = k->next;
        TRY(entity(k, v, "muscle", ctx, sizeof ctx, err));
        TRY(check_keys(v, keys, ctx, err));
        sp_muscle *m = (sp_muscle *)PUSH(s, muscle);
        if (!m) return fa_error_set(err, FA_ERR_NOMEM, k->file, k->line, k->col, "out of memory");
        m->name = k;
        m->def = v;
        const fa_ynode *nn = fa_ymap_get(v, "nodes");
        if (!nn) return missing(v, "nodes", ctx, err);
        const fa_ynode **arr = NULL;
        int cnt = 0;
        snprintf(what, sizeof what, "the nodes of %s", ctx);
        TRY(name_list(s, nn, 2, what, &arr, &cnt, err));
        if (cnt != 2)
            return fa_error_set(err, FA_ERR_RANGE, nn->file, nn->line, nn->col,
                                "expected 2 nodes for %s, found %d", ctx, cnt);
        m->nodes[0] = arr[0];
        m->nodes[1] = arr[1];
        TRY(qfield(v, "fmax", FA_DIM_FORCE, 1, 0, ctx, &m->fmax, err));
        TRY(qfield(v, "optimal_length", FA_DIM_LENGTH, 1, 0, ctx, &m->lopt, err));
        TRY(qfield(v, "vmax", FA_DIM_RATE, 1, 0, ctx, &m->vmax, err));
        TRY(qfield(v, "slack_length", FA_DIM_LENGTH, 0, 0, ctx, &m->lslack, err));
    }
    return FA_OK;
}

/* [a, b]: an inclusive integer range */
static fa_status int_range(const fa_ynode *n, const char *what, long out[2], fa_error *err)
{
    TRY(want(n, FA_Y_SEQ, what, err));
    if (n->n != 2)
        return fa_error_set(err, FA_ERR_TYPE, n->file, n->line, n->col,
                            "expected a range [first, last] for %s, found %d values", what, n->n);
    TRY(integer(n->child, what, &out[0], err));
    return integer(n->child->next, what, &out[1], err);
}

/* {mesh: M | interface: I, rings: [a, b], columns: [a, b]} */
static fa_status parse_selector(fa_spec *s, const fa_ynode *e, const char *what, sp_sel **out, fa_error *err)
{
    static const char *const ks[] = {"mesh", "interface", "rings", "columns", NULL};
    TRY(check_keys(e, ks, "a selector (mesh or interface, rings, columns)", err));
    sp_sel *x = (sp_sel *)fa_pool_alloc(s->pool, sizeof *x);
    if (!x) return fa_error_set(err, FA_ERR_NOMEM, e->file, e->line, e->col, "out of memory");
    x->at = e;
    const fa_ynode *m = fa_ymap_get(e, "mesh"), *f = fa_ymap_get(e, "interface");
    if ((m != NULL) == (f != NULL))
        return fa_error_set(err, FA_ERR_MISSING, e->file, e->line, e->col,
                            "a selector in %s needs exactly one of 'mesh' or 'interface'", what);
    x->target = m ? m : f;
    x->is_intf = f != NULL;
    TRY(nameref(x->target, what, err));
    const fa_ynode *r = fa_ymap_get(e, "rings"), *c = fa_ymap_get(e, "columns");
    if (r) {
        TRY(int_range(r, "'rings' of a selector", x->ring, err));
        x->has_ring = 1;
        x->ring_at = r;
    }
    if (c) {
        TRY(int_range(c, "'columns' of a selector", x->col, err));
        x->has_col = 1;
        x->col_at = c;
    }
    *out = x;
    return FA_OK;
}

static fa_status parse_groups(fa_spec *s, const fa_ynode *sec, int lines, fa_error *err)
{
    static const char *const kl[] = {"elements", "grade", NULL};
    static const char *const kr[] = {"elements", NULL};
    const char *kind = lines ? "line" : "region";
    char ctx[256], what[300];
    for (const fa_ynode *k = sec->child; k && k->next; k = k->next->next) {
        const fa_ynode *v = k->next;
        snprintf(ctx, sizeof ctx, "%s '%s'", kind, k->str);
        TRY(nameref(k, kind, err));
        sp_group *g = lines ? (sp_group *)PUSH(s, line) : (sp_group *)PUSH(s, region);
        if (!g) return fa_error_set(err, FA_ERR_NOMEM, k->file, k->line, k->col, "out of memory");
        g->name = k;
        g->def = v;
        const fa_ynode *el = v;
        if (v->kind == FA_Y_MAP) {
            TRY(check_keys(v, lines ? kl : kr, ctx, err));
            el = fa_ymap_get(v, "elements");
            if (!el) return missing(v, "elements", ctx, err);
            if (lines) TRY(grade_field(v, ctx, 1, &g->grade, err));
        } else if (lines) {
            TRY(want(v, FA_Y_MAP, ctx, err));
        }
        snprintf(what, sizeof what, "the elements of %s", ctx);
        TRY(want(el, FA_Y_SEQ, what, err));
        if (el->n < 1)
            return fa_error_set(err, FA_ERR_MISSING, el->file, el->line, el->col,
                                "expected at least 1 entry in %s, found none", what);
        g->el = (const fa_ynode **)fa_pool_alloc(s->pool, (size_t)el->n * sizeof *g->el);
        g->sel = (sp_sel **)fa_pool_alloc(s->pool, (size_t)el->n * sizeof *g->sel);
        if (!g->el || !g->sel)
            return fa_error_set(err, FA_ERR_NOMEM, el->file, el->line, el->col, "out of memory");
        for (const fa_ynode *e = el->child; e; e = e->next) {
            int i = g->nel++;
            g->el[i] = e;
            if (e->kind == FA_Y_MAP)
                TRY(parse_selector(s, e, what, &g->sel[i], err));
            else
                TRY(nameref(e, what, err));
        }
    }
    return FA_OK;
}

static fa_status parse_options(fa_spec *s, const fa_ynode *sec, fa_error *err)
{
    static const char *const keys[] = {"timestep",   "gravity",        "damping", "temperature",
                                       "newton_tol", "newton_maxiter", NULL};
    TRY(check_keys(sec, keys, "options", err));
    sp_num x;
    const fa_ynode *n;
    TRY(qfield(sec, "timestep", FA_DIM_TIME, 0, s->opt.timestep, "options", &x, err));
    if (x.at && !(x.v > 0 && x.v <= 1))
        return fa_error_set(err, FA_ERR_RANGE, x.at->file, x.at->line, x.at->col,
                            "out of range: expected a timestep in (0, 1 s], found %g s", x.v);
    s->opt.timestep = x.v;
    if ((n = fa_ymap_get(sec, "gravity")))
        TRY(vec3(n, FA_DIM_ACCEL, "'gravity' of options", s->opt.gravity, err));
    TRY(qfield(sec, "damping", FA_DIM_RATE, 0, s->opt.damping, "options", &x, err));
    if (x.at && x.v < 0)
        return fa_error_set(err, FA_ERR_RANGE, x.at->file, x.at->line, x.at->col,
                            "out of range: expected damping >= 0, found %g 1/s", x.v);
    s->opt.damping = x.v;
    TRY(qfield(sec, "temperature", FA_DIM_TEMP, 0, s->opt.temperature, "options", &x, err));
    if (x.at && !(x.v >= 0 && x.v <= 50))
        return fa_error_set(err, FA_ERR_RANGE, x.at->file, x.at->line, x.at->col,
                            "out of range: expected a tissue temperature in [0, 50] degC, found %g", x.v);
    s->opt.temperature = x.v;
    TRY(qfield(sec, "newton_tol", FA_DIM_FORCE, 0, s->opt.newton_tol, "options", &x, err));
    if (x.at && !(x.v > 0))
        return fa_error_set(err, FA_ERR_RANGE, x.at->file, x.at->line, x.at->col,
                            "out of range: expected newton_tol > 0, found %g N", x.v);
    s->opt.newton_tol = x.v;
    if ((n = fa_ymap_get(sec, "newton_maxiter"))) {
        long it;
        TRY(integer(n, "'newton_maxiter' of options", &it, err));
        if (it < 1 || it > 10000)
            return fa_error_set(err, FA_ERR_RANGE, n->file, n->line, n->col,
                                "out of range: expected newton_maxiter in [1, 10000], found %ld", it);
        s->opt.newton_maxiter = (int)it;
    }
    return FA_OK;
}

fa_status fa_spec_parse(fa_spec *s, const fa_ynode *root, fa_error *err)
{
    static const char *const sections[] = {"include", "materials", "bodies",    "landmarks",  "nodes",
                                           "meshes",  "cords",     "membranes", "interfaces", "muscles",
                                           "lines",   "regions",   "options",   NULL};
    TRY(want(root, FA_Y_MAP, "the top level of a body file (sections materials, nodes, ...)", err));
    TRY(check_keys(root, sections, "the top level", err));
    s->nfile++;
    for (const fa_ynode *k = root->child; k && k->next; k = k->next->next) {
        const fa_ynode *v = k->next;
        if (!strcmp(k->str, "include")) continue; /* handled by the loader */
        if (is_null(v)) continue;                 /* an empty section */
        char what[64];
        snprintf(what, sizeof what, "section '%s'", k->str);
        TRY(want(v, FA_Y_MAP, what, err));
        if (!strcmp(k->str, "materials"))
            TRY(parse_materials(s, v, err));
        else if (!strcmp(k->str, "bodies"))
            TRY(parse_bodies(s, v, err));
        else if (!strcmp(k->str, "landmarks"))
            TRY(parse_landmarks(s, v, err));
        else if (!strcmp(k->str, "nodes"))
            TRY(parse_nodes(s, v, err));
        else if (!strcmp(k->str, "meshes"))
            TRY(parse_meshes(s, v, err));
        else if (!strcmp(k->str, "cords"))
            TRY(parse_cords(s, v, err));
        else if (!strcmp(k->str, "membranes"))
            TRY(parse_membranes(s, v, err));
        else if (!strcmp(k->str, "interfaces"))
            TRY(parse_interfaces(s, v, err));
        else if (!strcmp(k->str, "muscles"))
            TRY(parse_muscles(s, v, err));
        else if (!strcmp(k->str, "lines"))
            TRY(parse_groups(s, v, 1, err));
        else if (!strcmp(k->str, "regions"))
            TRY(parse_groups(s, v, 0, err));
        else if (!strcmp(k->str, "options"))
            TRY(parse_options(s, v, err));
    }
    return FA_OK;
}
