/* SPDX-License-Identifier: MIT */
/* Checkpoints. Layout (native byte order, marked by 0x01020304):
 *   "FASCIACP" u32 version u32 byte-order-mark u64 fa_model_hash
 *   u32 nsizes, i32 x nsizes (FA_MODEL_SIZES order)
 *   u32 narrays, per FA_DATA_ARRAYS entry: u32 namelen, name, u32 elemsize, u64 count, bytes
 *   u64 nphys, f64 x nphys
 *   f64 time, f64 energy, i32 x 4 warning counts
 *   f64 cursor.t, i32 cursor.inst, i32 ntrig, (i32 rule, i32 day) x ntrig, u64 cursor.scenario
 *   u64 x 4 RNG state
 *   u64 FNV-1a of all the bytes before it
 * Loading checks magic, version, byte order and checksum, then sizes and
 * model hash, then every array's name/size, before writing into fa_data. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "fascia/report.h"

#define MAGIC "FASCIACP"
#define BOM 0x01020304u
#define ROWS_(m, rows) ((uint64_t)((m)->rows > 0 ? (m)->rows : 0))

typedef struct wbuf {
    unsigned char *p;
    size_t n, cap;
    int oom;
} wbuf;

static void put(wbuf *w, const void *x, size_t n)
{
    if (w->oom || n == 0) return;
    if (w->n + n > w->cap) {
        size_t c = w->cap ? w->cap : 4096;
        while (c < w->n + n) c *= 2;
        unsigned char *q = realloc(w->p, c);
        if (!q) {
            w->oom = 1;
            return;
        }
        w->p = q;
        w->cap = c;
    }
    memcpy(w->p + w->n, x, n);
    w->n += n;
}
static void put_u32(wbuf *w, uint32_t x) { put(w, &x, 4); }
static void put_i32(wbuf *w, int32_t x) { put(w, &x, 4); }
static void put_u64(wbuf *w, uint64_t x) { put(w, &x, 8); }
static void put_f64(wbuf *w, double x) { put(w, &x, 8); }

fa_status fa_checkpoint_save(const char *path, const fa_model *m, const fa_data *d, const fa_cursor *cur, const fa_rng *rng,
                             fa_error *err)
{
    if (!path || !m || !d) return fa_error_set(err, FA_ERR_ARG, path, 0, 0, "fa_checkpoint_save: NULL argument");
    wbuf w = {0};
    put(&w, MAGIC, 8);
    put_u32(&w, FA_CHECKPOINT_VERSION);
    put_u32(&w, BOM);
    put_u64(&w, fa_model_hash(m));
    uint32_t ns = 0;
#define CNT_(name, doc) ns++;
    FA_MODEL_SIZES(CNT_)
#undef CNT_
    put_u32(&w, ns);
#define SZ_(name, doc) put_i32(&w, m->name);
    FA_MODEL_SIZES(SZ_)
#undef SZ_
    uint32_t na = 0;
#define CNTA_(type, name, rows, cols, doc) na++;
    FA_DATA_ARRAYS(CNTA_)
#undef CNTA_
    put_u32(&w, na);
#define ARR_(type, name, rows, cols, doc)                                 \
    {                                                                     \
        uint64_t cnt = ROWS_(m, rows) * (uint64_t)(cols);                 \
        put_u32(&w, (uint32_t)strlen(#name));                             \
        put(&w, #name, strlen(#name));                                    \
        put_u32(&w, (uint32_t)sizeof(type));                              \
        put_u64(&w, cnt);                                                 \
        if (cnt) put(&w, d->name, (size_t)cnt * sizeof(type));            \
    }
    FA_DATA_ARRAYS(ARR_)
#undef ARR_
    put_u64(&w, (uint64_t)d->nphys);
    if (d->nphys) put(&w, d->phys, d->nphys * sizeof(double));
    put_f64(&w, d->time);
    put_f64(&w, d->energy);
    put_i32(&w, d->warn.nan);
    put_i32(&w, d->warn.inverted);
    put_i32(&w, d->warn.noconv);
    put_i32(&w, d->warn.arena_over);
    fa_cursor c0;
    memset(&c0, 0, sizeof c0);
    if (!cur) cur = &c0;
    if (cur->ntrig < 0 || cur->ntrig > FA_SC_MAX_TRIG) {
        free(w.p);
        return fa_error_set(err, FA_ERR_ARG, path, 0, 0, "cursor has %d rule firings (max %d)", cur->ntrig, FA_SC_MAX_TRIG);
    }
    put_f64(&w, cur->t);
    put_i32(&w, cur->inst);
    put_i32(&w, cur->ntrig);
    for (int k = 0; k < cur->ntrig; k++) {
        put_i32(&w, cur->trig[k].rule);
        put_i32(&w, cur->trig[k].day);
    }
    put_u64(&w, cur->scenario);
    fa_rng r0;
    memset(&r0, 0, sizeof r0);
    if (!rng) rng = &r0;
    for (int k = 0; k < 4; k++) put_u64(&w, rng->s[k]);
    if (!w.oom) put_u64(&w, fa_fnv1a(FA_FNV_OFFSET, w.p, w.n));
    if (w.oom) {
        free(w.p);
        return fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory writing the checkpoint");
    }
    fa_status st = fa_write_file_atomic(path, w.p, w.n, err);
    free(w.p);
    return st;
}

typedef struct rbuf {
    const unsigned char *p;
    size_t n, off;
} rbuf;

static int get(rbuf *r, void *x, size_t n)
{
    if (n > r->n - r->off) return -1;
    if (x) memcpy(x, r->p + r->off, n);
    r->off += n;
    return 0;
}

/* One pass over the body: pass 0 validates, pass 1 copies into d. */
static fa_status body(rbuf *r, const char *path, const fa_model *m, fa_data *d, fa_cursor *cur, fa_rng *rng, int copy,
                      uint64_t *nphys_out, fa_error *err)
{
#define NEED_(x, n, what)                                                                                                \
    if (get(r, (x), (n)))                                                                                                \
    return fa_error_set(err, FA_ERR_SYNTAX, path, 0, 0, "truncated checkpoint: the file ends inside %s (offset %zu)", what, \
                        r->off)
    uint32_t ns, na, u;
    int32_t v;
    NEED_(&ns, 4, "the size list");
    uint32_t ns_want = 0;
#define CNT_(name, doc) ns_want++;
    FA_MODEL_SIZES(CNT_)
#undef CNT_
    if (ns != ns_want)
        return fa_error_set(err, FA_ERR_UNSUPPORTED, path, 0, 0, "checkpoint lists %u model sizes, this build has %u", ns, ns_want);
#define SZ_(name, doc)                                                                                                      \
    NEED_(&v, 4, "the size list");                                                                                          \
    if (v != m->name)                                                                                                       \
        return fa_error_set(err, FA_ERR_ARG, path, 0, 0,                                                                    \
                            "checkpoint is for another model: %s (%s) is %d in the checkpoint and %d in this model", #name, \
                            doc, (int)v, m->name);
    FA_MODEL_SIZES(SZ_)
#undef SZ_
    NEED_(&na, 4, "the array list");
    uint32_t na_want = 0;
#define CNTA_(type, name, rows, cols, doc) na_want++;
    FA_DATA_ARRAYS(CNTA_)
#undef CNTA_
    if (na != na_want)
        return fa_error_set(err, FA_ERR_UNSUPPORTED, path, 0, 0, "checkpoint has %u state arrays, this build has %u", na, na_want);
#define ARR_(type, name, rows, cols, doc)                                                                                  \
    {                                                                                                                      \
        uint64_t want = ROWS_(m, rows) * (uint64_t)(cols), cnt;                                                            \
        char nm[64];                                                                                                       \
        NEED_(&u, 4, "an array header");                                                                                   \
        if (u >= sizeof nm || u != strlen(#name))                                                                          \
            return fa_error_set(err, FA_ERR_UNSUPPORTED, path, 0, 0, "checkpoint array list differs from this build at '%s'", \
                                #name);                                                                                    \
        NEED_(nm, u, "an array name");                                                                                     \
        nm[u] = '\0';                                                                                                      \
        if (strcmp(nm, #name))                                                                                             \
            return fa_error_set(err, FA_ERR_UNSUPPORTED, path, 0, 0, "checkpoint has array '%s' where this build has '%s'", \
                                nm, #name);                                                                                \
        NEED_(&u, 4, "an array header");                                                                                   \
        if (u != sizeof(type))                                                                                             \
            return fa_error_set(err, FA_ERR_UNSUPPORTED, path, 0, 0, "array '%s' has %u-byte elements, expected %zu", #name, \
                                u, sizeof(type));                                                                          \
        NEED_(&cnt, 8, "an array header");                                                                                 \
        if (cnt != want)                                                                                                   \
            return fa_error_set(err, FA_ERR_ARG, path, 0, 0, "array '%s' has %llu entries, this model needs %llu", #name,  \
                                (unsigned long long)cnt, (unsigned long long)want);                                        \
        NEED_(copy && cnt ? (void *)d->name : NULL, (size_t)cnt * sizeof(type), "array '" #name "'");                     \
    }
    FA_DATA_ARRAYS(ARR_)
#undef ARR_
    uint64_t np;
    NEED_(&np, 8, "the physiology block");
    if (np > (r->n - r->off) / 8) return fa_error_set(err, FA_ERR_SYNTAX, path, 0, 0, "truncated checkpoint: physiology block of %llu doubles does not fit", (unsigned long long)np);
    if (!copy && d->nphys != 0 && d->nphys != np)
        return fa_error_set(err, FA_ERR_ARG, path, 0, 0, "physiology block has %llu doubles in the checkpoint and %zu in this state (different modules)",
                            (unsigned long long)np, d->nphys);
    *nphys_out = np;
    NEED_(copy && np ? (void *)d->phys : NULL, (size_t)np * sizeof(double), "the physiology block");
    double t, e;
    int32_t wc[4];
    NEED_(&t, 8, "the time");
    NEED_(&e, 8, "the energy");
    NEED_(wc, 16, "the warning counts");
    double ct;
    int32_t inst, ntrig;
    NEED_(&ct, 8, "the scenario cursor");
    NEED_(&inst, 4, "the scenario cursor");
    NEED_(&ntrig, 4, "the scenario cursor");
    if (ntrig < 0 || ntrig > FA_SC_MAX_TRIG)
        return fa_error_set(err, FA_ERR_RANGE, path, 0, 0, "scenario cursor has %d rule firings (max %d)", (int)ntrig, FA_SC_MAX_TRIG);
    fa_trigger tr[FA_SC_MAX_TRIG];
    for (int k = 0; k < ntrig; k++) {
        int32_t a, b;
        NEED_(&a, 4, "the rule firings");
        NEED_(&b, 4, "the rule firings");
        tr[k].rule = a;
        tr[k].day = b;
    }
    uint64_t scen;
    NEED_(&scen, 8, "the scenario cursor");
    uint64_t rs[4];
    NEED_(rs, 32, "the RNG state");
    if (r->off != r->n) return fa_error_set(err, FA_ERR_SYNTAX, path, 0, 0, "checkpoint has %zu unexpected bytes at the end", r->n - r->off);
#undef NEED_
    if (copy) {
        d->time = t;
        d->energy = e;
        d->warn.nan = wc[0];
        d->warn.inverted = wc[1];
        d->warn.noconv = wc[2];
        d->warn.arena_over = wc[3];
        if (cur) {
            memset(cur, 0, sizeof *cur);
            cur->t = ct;
            cur->inst = inst;
            cur->ntrig = ntrig;
            memcpy(cur->trig, tr, (size_t)ntrig * sizeof tr[0]);
            cur->scenario = scen;
        }
        if (rng) memcpy(rng->s, rs, sizeof rs);
    }
    return FA_OK;
}

fa_status fa_checkpoint_load(const char *path, const fa_model *m, fa_data *d, fa_cursor *cur, fa_rng *rng, fa_error *err)
{
    if (!path || !m || !d) return fa_error_set(err, FA_ERR_ARG, path, 0, 0, "fa_checkpoint_load: NULL argument");
    char *buf;
    size_t n;
    fa_status st = fa_read_file(path, (size_t)1 << 34, &buf, &n, err);
    if (st != FA_OK) return st;
    st = fa_checkpoint_load_mem((const unsigned char *)buf, n, path, m, d, cur, rng, err);
    free(buf);
    return st;
}

fa_status fa_checkpoint_load_mem(const void *buf, size_t n, const char *path, const fa_model *m, fa_data *d, fa_cursor *cur,
                                 fa_rng *rng, fa_error *err)
{
    if (!buf || !m || !d) return fa_error_set(err, FA_ERR_ARG, path, 0, 0, "fa_checkpoint_load_mem: NULL argument");
    const unsigned char *p = buf;
    fa_status st = FA_OK;
    const size_t head = 8 + 4 + 4 + 8;
    uint32_t ver, bom;
    uint64_t mh, sum;
    if (n < 8 || memcmp(p, MAGIC, 8))
        st = fa_error_set(err, FA_ERR_SYNTAX, path, 0, 0, "not a fascia checkpoint (expected the magic 'FASCIACP' at the start)");
    else if (n < head + 8)
        st = fa_error_set(err, FA_ERR_SYNTAX, path, 0, 0, "truncated checkpoint: %zu bytes, the header alone needs %zu", n, head + 8);
    if (st) return st;
    memcpy(&ver, p + 8, 4);
    memcpy(&bom, p + 12, 4);
    memcpy(&mh, p + 16, 8);
    memcpy(&sum, p + n - 8, 8);
    if (bom != BOM)
        st = fa_error_set(err, FA_ERR_UNSUPPORTED, path, 0, 0, "checkpoint was written on a machine with another byte order");
    else if (ver != FA_CHECKPOINT_VERSION)
        st = fa_error_set(err, FA_ERR_UNSUPPORTED, path, 0, 0, "checkpoint format version %u, this build reads version %d", ver,
                          FA_CHECKPOINT_VERSION);
    else if (fa_fnv1a(FA_FNV_OFFSET, p, n - 8) != sum)
        st = fa_error_set(err, FA_ERR_SYNTAX, path, 0, 0, "checkpoint is damaged or truncated (checksum mismatch over %zu bytes)", n);
    if (!st) {
        rbuf r = {p, n - 8, head};
        uint64_t np = 0;
        st = body(&r, path, m, d, cur, rng, 0, &np, err);
        if (!st && mh != fa_model_hash(m))
            st = fa_error_set(err, FA_ERR_ARG, path, 0, 0,
                              "checkpoint is for another model: model hash %016llx in the checkpoint, %016llx for this model",
                              (unsigned long long)mh, (unsigned long long)fa_model_hash(m));
        if (!st && d->nphys != np && fa_data_phys_alloc(d, (size_t)np))
            st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory for the physiology block");
        if (!st) {
            r.off = head;
            st = body(&r, path, m, d, cur, rng, 1, &np, err);
        }
    }
    return st;
}
