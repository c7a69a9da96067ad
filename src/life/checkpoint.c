/* SPDX-License-Identifier: MIT */
/* Runner checkpoints: everything a resumed run needs to continue
 * bit-identically, saved at a day boundary.
 *
 * Layout (native byte order, checked by a byte-order mark):
 *   "FALIFE1\n" | u32 version | u32 0x01020304 | u64 fa_model_hash |
 *   i32 nelem nnode nintf nregion nbody nvisc | char[64] scenario name |
 *   i32 scenario days | i32 run days |
 *   fa_data arrays (FA_DATA_ARRAYS order) | time energy | warn (4 x i32) |
 *   u64 nphys | phys | fa_cursor | runner scalars (day, water, upright habit, ITB speed and
 *   start energy, stats) | records of days 0..day | pain flags | injuries
 *   seen | events | caches (kind name speed valid, then the current solution and i32 nalt
 *   alternates, each: day nframe dt_frame converged used FA_LIFE_MECH_ARRAYS nxw xw) |
 *   u64 FNV-1a of everything before.
 * Loading reads the whole file, checks the checksum, header, model and
 * scenario before touching the runner. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/report.h"
#include "life/internal.h"

#define CK_MAGIC "FALIFE1\n"
#define CK_VERSION 4u /* 3: rule triggers carry the end of an until-healed layoff; the stride cache the band's zone tension and strain; 4: the caches the tension-bearing mean strain */
#define CK_BOM 0x01020304u

typedef struct buf {
    unsigned char *p;
    size_t n, cap;
    int bad;
} buf;

static void put(buf *b, const void *src, size_t n)
{
    if (b->bad || n == 0) return;
    if (b->n + n > b->cap) {
        size_t c = b->cap ? b->cap : 4096;
        while (c < b->n + n) c *= 2;
        unsigned char *q = (unsigned char *)realloc(b->p, c);
        if (!q) {
            b->bad = 1;
            return;
        }
        b->p = q;
        b->cap = c;
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
}
static void put_i32(buf *b, int32_t v) { put(b, &v, sizeof v); }

typedef struct rd {
    const unsigned char *p;
    size_t n, at;
    int bad;
} rd;

static void get(rd *r, void *dst, size_t n)
{
    if (r->bad || n == 0) return;
    if (r->at + n > r->n) {
        r->bad = 1;
        return;
    }
    if (dst) memcpy(dst, r->p + r->at, n);
    r->at += n;
}
static int32_t get_i32(rd *r)
{
    int32_t v = 0;
    get(r, &v, sizeof v);
    return v;
}

static int model_size(const fa_model *m, const char *name)
{
#define SZ_(n, doc) \
    if (!strcmp(name, #n)) return m->n;
    FA_MODEL_SIZES(SZ_)
#undef SZ_
    return 0;
}

/* One solution of a cache entry (the current one or an alternate). */
static void put_solution(buf *b, const fa_model *m, const fa_life_mech *c)
{
    put_i32(b, c->day);
    put_i32(b, c->nframe);
    put(b, &c->dt_frame, sizeof c->dt_frame);
    put_i32(b, c->converged);
    put_i32(b, c->used);
#define PUT_MECH_(name, doc) put(b, c->name, (size_t)m->nelem * sizeof(double));
    FA_LIFE_MECH_ARRAYS(PUT_MECH_)
#undef PUT_MECH_
    put_i32(b, c->nxw);
    put(b, c->xw, (size_t)c->nxw * 3 * (size_t)m->nnode * sizeof(double));
}

/* Size check of one solution (dry pass); sets t->bad when it does not fit. */
static void skip_solution(rd *t, const fa_model *m)
{
    get(t, NULL, 4 + 4 + 8 + 4 + 4 + (size_t)FA_LIFE_NMECHARR * m->nelem * sizeof(double));
    int32_t nx = get_i32(t);
    if (nx < 0 || nx > 100000) t->bad = 1;
    else get(t, NULL, (size_t)nx * 3 * (size_t)m->nnode * sizeof(double));
}

/* Read one solution into c (arrays allocated); -1 out of memory. */
static int get_solution(rd *r, const fa_model *m, fa_life_mech *c)
{
    c->day = get_i32(r);
    c->nframe = get_i32(r);
    get(r, &c->dt_frame, sizeof c->dt_frame);
    c->converged = get_i32(r);
    c->used = get_i32(r);
#define GET_MECH_(name, doc) get(r, c->name, (size_t)m->nelem * sizeof(double));
    FA_LIFE_MECH_ARRAYS(GET_MECH_)
#undef GET_MECH_
    int nx = get_i32(r);
    c->nxw = 0;
    if (nx > 0 && fa_life_mech_xw(m, c, nx)) return -1;
    c->nxw = nx;
    get(r, c->xw, (size_t)c->nxw * 3 * (size_t)m->nnode * sizeof(double));
    return 0;
}

static void header(buf *b, const fa_life *L)
{
    const fa_model *m = L->m;
    put(b, CK_MAGIC, 8);
    uint32_t v = CK_VERSION, bom = CK_BOM;
    put(b, &v, 4);
    put(b, &bom, 4);
    uint64_t h = fa_model_hash(m);
    put(b, &h, 8);
    put_i32(b, m->nelem);
    put_i32(b, m->nnode);
    put_i32(b, m->nintf);
    put_i32(b, m->nregion);
    put_i32(b, m->nbody);
    put_i32(b, m->nvisc);
    char name[64];
    memset(name, 0, sizeof name);
    snprintf(name, sizeof name, "%s", L->sc->name);
    put(b, name, sizeof name);
    put_i32(b, L->sc->ndays);
    put_i32(b, L->ndays);
}

fa_status fa_life_save(const fa_life *L, const char *path, fa_error *err)
{
    if (!L || !path) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected a runner and a path");
    const fa_model *m = L->m;
    const fa_data *d = L->d;
    buf b = {0};
    header(&b, L);
#define PUT_ARR_(type, name, rows, cols, doc) put(&b, d->name, (size_t)model_size(m, #rows) * (cols) * sizeof(type));
    FA_DATA_ARRAYS(PUT_ARR_)
#undef PUT_ARR_
    put(&b, &d->time, sizeof d->time);
    put(&b, &d->energy, sizeof d->energy);
    put_i32(&b, d->warn.nan);
    put_i32(&b, d->warn.inverted);
    put_i32(&b, d->warn.noconv);
    put_i32(&b, d->warn.arena_over);
    uint64_t np = d->nphys;
    put(&b, &np, 8);
    put(&b, d->phys, d->nphys * sizeof(double));
    put(&b, &L->it.cur, sizeof L->it.cur);
    put_i32(&b, L->day);
    put(&b, &L->water, sizeof L->water);
    put(&b, &L->upright, sizeof L->upright);
    put(&b, &L->itb_speed, sizeof L->itb_speed);
    put(&b, &L->itb_start, sizeof L->itb_start);
    put(&b, &L->stats, sizeof L->stats);
    put(&b, L->rec, ((size_t)L->day + 1) * (size_t)m->nregion * FA_LIFE_NMETRIC * sizeof(double));
    put(&b, L->pain_on, (size_t)m->nregion);
    put(&b, L->inj_seen, (size_t)m->nelem * sizeof(double));
    put_i32(&b, L->nevent);
    put(&b, L->event, (size_t)L->nevent * sizeof(fa_life_event));
    put_i32(&b, L->nmech);
    for (int i = 0; i < L->nmech; i++) {
        const fa_life_mech *c = &L->mech[i];
        put_i32(&b, c->kind);
        put(&b, c->name, sizeof c->name);
        put(&b, &c->speed, sizeof c->speed);
        put_i32(&b, c->valid);
        put_solution(&b, m, c);
        put_i32(&b, c->nalt);
        for (int j = 0; j < c->nalt; j++) put_solution(&b, m, &c->alt[j]);
    }
    uint64_t sum = fa_fnv1a(1469598103934665603ULL, b.p, b.n);
    put(&b, &sum, 8);
    if (b.bad) {
        free(b.p);
        return fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "checkpoint buffer");
    }
    fa_status st = fa_write_file_atomic(path, b.p, b.n, err);
    free(b.p);
    return st;
}

/* Read and open a checkpoint: magic, checksum, byte order, version and body
 * model; *text (free it, also on failure) holds the file, and on success *r
 * is positioned after the model's sizes (at the scenario name). */
static fa_status ck_open(const char *path, const fa_model *m, char **text, rd *r, fa_error *err)
{
    size_t n = 0;
    *text = NULL;
    fa_status st = fa_read_file(path, 0, text, &n, err);
    if (st != FA_OK) return st;
    const unsigned char *p = (const unsigned char *)*text;
    if (n < 8 + 8 + 8 || memcmp(p, CK_MAGIC, 8))
        return fa_error_set(err, FA_ERR_SYNTAX, path, 0, 0, "expected a fascia run checkpoint (magic FALIFE1), found %s",
                            n < 8 ? "a truncated file" : "another file type");
    uint64_t sum;
    memcpy(&sum, p + n - 8, 8);
    if (sum != fa_fnv1a(1469598103934665603ULL, p, n - 8))
        return fa_error_set(err, FA_ERR_SYNTAX, path, 0, 0, "checkpoint is damaged: checksum mismatch");
    *r = (rd){p, n - 8, 8, 0};
    uint32_t ver = 0, bom = 0;
    get(r, &ver, 4);
    get(r, &bom, 4);
    if (bom != CK_BOM)
        return fa_error_set(err, FA_ERR_UNSUPPORTED, path, 0, 0, "checkpoint written on a machine of another byte order");
    if (ver != CK_VERSION)
        return fa_error_set(err, FA_ERR_UNSUPPORTED, path, 0, 0, "expected checkpoint version %u, found %u", CK_VERSION, ver);
    uint64_t h = 0;
    get(r, &h, 8);
    int32_t sz[6];
    for (int i = 0; i < 6; i++) sz[i] = get_i32(r);
    if (h != fa_model_hash(m) || sz[0] != m->nelem || sz[1] != m->nnode || sz[2] != m->nintf || sz[3] != m->nregion ||
        sz[4] != m->nbody || sz[5] != m->nvisc)
        return fa_error_set(err, FA_ERR_ARG, path, 0, 0,
                            "checkpoint is of another body model (hash %016llx, %d elements), this model has hash "
                            "%016llx, %d elements",
                            (unsigned long long)h, sz[0], (unsigned long long)fa_model_hash(m), m->nelem);
    return FA_OK;
}

fa_status fa_life_load(fa_life *L, const char *path, fa_error *err)
{
    if (!L || !path) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected a runner and a path");
    const fa_model *m = L->m;
    char *text = NULL;
    rd r;
    fa_status st = ck_open(path, m, &text, &r, err);
    if (st) goto out;
    char name[64];
    get(&r, name, sizeof name);
    name[63] = 0;
    int32_t scd = get_i32(&r), rund = get_i32(&r);
    (void)rund; /* the saved run's length: a resumed run may go further */
    if (strcmp(name, L->sc->name) || scd != L->sc->ndays) {
        st = fa_error_set(err, FA_ERR_ARG, path, 0, 0, "checkpoint is of scenario '%s' (%d days), this run is '%s' (%d days)",
                          name, scd, L->sc->name, L->sc->ndays);
        goto out;
    }
    /* validate the remaining length by a dry pass over the sizes */
    {
        rd t = r;
#define SKIP_ARR_(type, nm, rows, cols, doc) get(&t, NULL, (size_t)model_size(m, #rows) * (cols) * sizeof(type));
        FA_DATA_ARRAYS(SKIP_ARR_)
#undef SKIP_ARR_
        get(&t, NULL, 2 * sizeof(double) + 4 * 4);
        uint64_t np = 0;
        get(&t, &np, 8);
        if (L->d->nphys != np) {
            st = fa_error_set(err, FA_ERR_ARG, path, 0, 0, "checkpoint physiology block has %llu values, this run %llu",
                              (unsigned long long)np, (unsigned long long)L->d->nphys);
            goto out;
        }
        get(&t, NULL, np * sizeof(double) + sizeof(fa_cursor));
        int32_t day = get_i32(&t);
        if (t.bad || day < 0 || day > L->ndays) {
            st = fa_error_set(err, t.bad ? FA_ERR_SYNTAX : FA_ERR_RANGE, path, 0, 0,
                              t.bad ? "checkpoint is truncated (day %d)" : "checkpoint is at day %d, past this run's %d days",
                              day, L->ndays);
            goto out;
        }
        get(&t, NULL, 4 * sizeof(double) + sizeof(fa_life_stats));
        get(&t, NULL, ((size_t)day + 1) * (size_t)m->nregion * FA_LIFE_NMETRIC * sizeof(double) + (size_t)m->nregion +
                          (size_t)m->nelem * sizeof(double));
        int32_t nev = get_i32(&t);
        if (nev < 0 || nev > FA_LIFE_MAXEVENT) t.bad = 1;
        get(&t, NULL, (size_t)(nev > 0 ? nev : 0) * sizeof(fa_life_event));
        int32_t nm = get_i32(&t);
        if (nm < 0 || nm > FA_LIFE_MAXMECH) t.bad = 1;
        for (int i = 0; i < nm && !t.bad; i++) {
            get(&t, NULL, 4 + 32 + 8 + 4);
            skip_solution(&t, m);
            int32_t na = get_i32(&t);
            if (na < 0 || na >= FA_LIFE_MAXSLOT) t.bad = 1;
            for (int j = 0; j < na && !t.bad; j++) skip_solution(&t, m);
        }
        if (t.bad || t.at != t.n) {
            st = fa_error_set(err, FA_ERR_SYNTAX, path, 0, 0, "checkpoint is damaged: sections do not match the model sizes");
            goto out;
        }
    }
    /* apply */
    fa_data *d = L->d;
#define GET_ARR_(type, nm, rows, cols, doc) get(&r, d->nm, (size_t)model_size(m, #rows) * (cols) * sizeof(type));
    FA_DATA_ARRAYS(GET_ARR_)
#undef GET_ARR_
    get(&r, &d->time, sizeof d->time);
    get(&r, &d->energy, sizeof d->energy);
    d->warn.nan = get_i32(&r);
    d->warn.inverted = get_i32(&r);
    d->warn.noconv = get_i32(&r);
    d->warn.arena_over = get_i32(&r);
    uint64_t np = 0;
    get(&r, &np, 8);
    get(&r, d->phys, np * sizeof(double));
    fa_cursor cur;
    get(&r, &cur, sizeof cur);
    fa_iter_init(&L->it, L->sc, &cur);
    L->day = get_i32(&r);
    get(&r, &L->water, sizeof L->water);
    get(&r, &L->upright, sizeof L->upright);
    get(&r, &L->itb_speed, sizeof L->itb_speed);
    get(&r, &L->itb_start, sizeof L->itb_start);
    get(&r, &L->stats, sizeof L->stats);
    get(&r, L->rec, ((size_t)L->day + 1) * (size_t)m->nregion * FA_LIFE_NMETRIC * sizeof(double));
    get(&r, L->pain_on, (size_t)m->nregion);
    get(&r, L->inj_seen, (size_t)m->nelem * sizeof(double));
    L->nevent = get_i32(&r);
    get(&r, L->event, (size_t)L->nevent * sizeof(fa_life_event));
    int nm = get_i32(&r);
    for (int i = nm; i < L->nmech; i++) fa_life_mech_free(&L->mech[i]);
    for (int i = 0; i < nm; i++) {
        fa_life_mech *c = &L->mech[i];
        if (i >= L->nmech) {
            memset(c, 0, sizeof *c);
            if (fa_life_mech_alloc(m, c)) {
                L->nmech = i;
                st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "mechanics cache");
                goto out;
            }
            L->nmech = i + 1;
        }
        c->kind = get_i32(&r);
        get(&r, c->name, sizeof c->name);
        c->name[sizeof c->name - 1] = 0;
        get(&r, &c->speed, sizeof c->speed);
        c->valid = get_i32(&r);
        int bad = get_solution(&r, m, c);
        int na = get_i32(&r);
        /* alternates: the entry's own beyond na are released, missing ones allocated */
        for (int j = na; j < c->nalt; j++) fa_life_mech_free(&c->alt[j]);
        if (c->nalt > na) c->nalt = na;
        if (na > 0 && !c->alt) {
            c->alt = (fa_life_mech *)calloc(FA_LIFE_MAXSLOT, sizeof *c->alt);
            if (!c->alt) bad = 1;
        }
        for (int j = 0; j < na && !bad; j++) {
            if (j >= c->nalt) {
                memset(&c->alt[j], 0, sizeof c->alt[j]);
                if (fa_life_mech_alloc(m, &c->alt[j])) {
                    bad = 1;
                    break;
                }
                c->nalt = j + 1;
            }
            bad = get_solution(&r, m, &c->alt[j]);
        }
        if (bad) {
            st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "mechanics cache");
            goto out;
        }
    }
    L->nmech = nm;
out:
    free(text);
    return st;
}

fa_status fa_life_checkpoint_state(const fa_model *m, const char *path, fa_data *out, int *day, fa_error *err)
{
    if (!m || !path || !out) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected a model, a path and a state");
    char *text = NULL;
    rd r;
    fa_status st = ck_open(path, m, &text, &r, err);
    if (st) goto out;
    get(&r, NULL, 64 + 2 * 4); /* scenario name and days */
#define GET_ARR_(type, nm, rows, cols, doc) get(&r, out->nm, (size_t)model_size(m, #rows) * (cols) * sizeof(type));
    FA_DATA_ARRAYS(GET_ARR_)
#undef GET_ARR_
    get(&r, NULL, 2 * sizeof(double) + 4 * 4);
    uint64_t np = 0;
    get(&r, &np, 8);
    get(&r, NULL, np * sizeof(double) + sizeof(fa_cursor));
    int32_t dd = get_i32(&r);
    if (r.bad) {
        st = fa_error_set(err, FA_ERR_SYNTAX, path, 0, 0, "checkpoint is truncated");
        goto out;
    }
    if (day) *day = dd;
out:
    free(text);
    return st;
}
