/* SPDX-License-Identifier: MIT */
/* Checkpoints: save -> load gives the same fa_data_hash, cursor and RNG;
 * saving twice gives the same bytes; every truncation and every single-bit
 * flip is refused with a message and leaves the state untouched; another
 * model (other sizes, or same sizes and other values) is refused. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fascia/fascia.h"
#include "fascia/report.h"
#include "harness.h"

static fa_model *model(int nnode)
{
    fa_model s;
    memset(&s, 0, sizeof s);
    s.nnode = nnode;
    s.ncord = 2;
    s.nintf = 1;
    s.nmuscle = 1;
    s.nelem = 4;
    s.nbody = 2;
    s.nvisc = 6;
    s.nnamechar = 8;
    fa_model *m = fa_model_alloc(&s);
    if (!m) return NULL;
    for (int i = 0; i < nnode; i++) {
        m->node_pos0[3 * i] = 0.1 * i;
        m->node_body[i] = -1;
    }
    m->cord_node[0] = 0, m->cord_node[1] = 1, m->cord_node[2] = 1, m->cord_node[3] = 2;
    m->intf_node[0] = 0, m->intf_node[1] = 2;
    m->muscle_node[0] = 1, m->muscle_node[1] = 2;
    memcpy(m->names, "itb\0pf\0", 8);
    return m;
}

static void randomise(const fa_model *m, fa_data *d, fa_rng *r)
{
#define RND_(type, name, rows, cols, doc)                                                        \
    for (int i = 0; i < (m->rows > 0 ? m->rows : 0) * (cols); i++) d->name[i] = (type)(fa_rng_uniform(r) * 2 - 1);
    FA_DATA_ARRAYS(RND_)
#undef RND_
    for (size_t i = 0; i < d->nphys; i++) d->phys[i] = fa_rng_uniform(r);
    d->time = 12345.678;
    d->energy = 0.25;
    d->warn.noconv = 3;
}

static void write_raw(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(p, 1, n, f);
        fclose(f);
    }
}

int main(void)
{
    char dir[] = "/tmp/fascia-test-ckpt-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], bad[256];
    snprintf(path, sizeof path, "%s/state.ckpt", dir);
    snprintf(bad, sizeof bad, "%s/bad.ckpt", dir);
    fa_model *m = model(3);
    CHECK(m != NULL);
    if (!m) TEST_MAIN_END();
    fa_data *d = fa_data_alloc(m, 0);
    CHECK(d && fa_data_phys_alloc(d, 5) == FA_OK);
    fa_rng r;
    fa_rng_seed(&r, 99);
    randomise(m, d, &r);
    fa_cursor cur;
    memset(&cur, 0, sizeof cur);
    cur.t = 86400.0 * 21 + 3600.0 * 6;
    cur.inst = 1;
    cur.ntrig = 2;
    cur.trig[0] = (fa_trigger){0, 21, 0};
    cur.trig[1] = (fa_trigger){1, 40, 0};
    cur.scenario = 0x0123456789abcdefULL;
    fa_error err;
    CHECK(fa_checkpoint_save(path, m, d, &cur, &r, &err) == FA_OK);

    /* round trip into fresh state (physiology block allocated on load) */
    fa_data *d2 = fa_data_alloc(m, 0);
    fa_cursor c2;
    fa_rng r2;
    memset(&r2, 0, sizeof r2);
    CHECK(d2 && d2->nphys == 0);
    CHECK(fa_checkpoint_load(path, m, d2, &c2, &r2, &err) == FA_OK);
    CHECK(d2->nphys == 5);
    CHECK(fa_data_hash(m, d2) == fa_data_hash(m, d));
    CHECK(d2->energy == 0.25 && d2->warn.noconv == 3);
    CHECK(c2.t == cur.t && c2.inst == 1 && c2.ntrig == 2 && c2.trig[1].rule == 1 && c2.trig[1].day == 40);
    CHECK(c2.scenario == cur.scenario);
    CHECK(!memcmp(&r2, &r, sizeof r) && fa_rng_next(&r2) == fa_rng_next(&r));

    /* deterministic bytes */
    size_t n1 = 0, n2 = 0;
    FILE *f = fopen(path, "rb");
    unsigned char *b1 = malloc(1 << 16), *b2 = malloc(1 << 16);
    n1 = fread(b1, 1, 1 << 16, f);
    fclose(f);
    fa_rng_seed(&r, 99);
    randomise(m, d, &r);
    CHECK(fa_checkpoint_save(path, m, d, &cur, &r, &err) == FA_OK);
    f = fopen(path, "rb");
    n2 = fread(b2, 1, 1 << 16, f);
    fclose(f);
    CHECK(n1 == n2 && n1 > 100 && !memcmp(b1, b2, n1));

    /* every truncation and every bit flip is refused; the state is untouched */
    uint64_t h2 = fa_data_hash(m, d2);
    int trunc_ok = 1, flip_ok = 1;
    for (size_t k = 0; k < n1; k++) {
        fa_status st = fa_checkpoint_load_mem(b1, k, "mem", m, d2, &c2, &r2, &err);
        if (st == FA_OK || !err.msg[0] || fa_data_hash(m, d2) != h2) trunc_ok = 0;
    }
    CHECK(trunc_ok);
    int flips = 0;
    for (size_t k = 0; k < n1; k++) {
        b2[k] ^= (unsigned char)(1u << (k % 8));
        fa_status st = fa_checkpoint_load_mem(b2, n1, "mem", m, d2, &c2, &r2, &err);
        if (st == FA_OK || fa_data_hash(m, d2) != h2) flip_ok = 0;
        flips += strstr(err.msg, "checksum") != NULL;
        b2[k] ^= (unsigned char)(1u << (k % 8));
    }
    CHECK(flip_ok);
    CHECK(flips >= (int)n1 - 16); /* all but magic/version/byte-order bytes fail on the checksum */
    /* from memory = from the file */
    CHECK(fa_checkpoint_load_mem(b1, n1, "mem", m, d2, &c2, &r2, &err) == FA_OK && fa_data_hash(m, d2) == h2);
    write_raw(bad, b1, n1 / 2);
    CHECK(fa_checkpoint_load(bad, m, d2, NULL, NULL, &err) == FA_ERR_SYNTAX);
    CHECK(strstr(err.msg, "damaged or truncated") != NULL && !strncmp(err.msg, bad, strlen(bad)));
    write_raw(bad, (const unsigned char *)"hello world, not a checkpoint", 29);
    CHECK(fa_checkpoint_load(bad, m, d2, NULL, NULL, &err) == FA_ERR_SYNTAX && strstr(err.msg, "not a fascia checkpoint"));
    /* a future version */
    memcpy(b2, b1, n1);
    b2[8] = 9;
    write_raw(bad, b2, n1);
    CHECK(fa_checkpoint_load(bad, m, d2, NULL, NULL, &err) == FA_ERR_UNSUPPORTED && strstr(err.msg, "version 9"));

    /* another model: other sizes */
    fa_model *m4 = model(4);
    fa_data *d4 = fa_data_alloc(m4, 0);
    CHECK(fa_checkpoint_load(path, m4, d4, NULL, NULL, &err) == FA_ERR_ARG);
    CHECK_MSG(strstr(err.msg, "nnode (mesh nodes) is 3 in the checkpoint and 4 in this model") != NULL, "%s", err.msg);
    /* same sizes, other values */
    fa_model *mc = fa_model_copy(m);
    mc->node_pos0[0] = 0.5;
    CHECK(fa_checkpoint_load(path, mc, d2, NULL, NULL, &err) == FA_ERR_ARG && strstr(err.msg, "model hash"));
    CHECK(fa_data_hash(m, d2) == h2);
    /* a state with a different physiology layout */
    fa_data *d3 = fa_data_alloc(m, 0);
    fa_data_phys_alloc(d3, 7);
    CHECK(fa_checkpoint_load(path, m, d3, NULL, NULL, &err) == FA_ERR_ARG && strstr(err.msg, "physiology block"));
    CHECK(fa_checkpoint_load("/nonexistent/x.ckpt", m, d3, NULL, NULL, &err) == FA_ERR_IO);

    free(b1);
    free(b2);
    fa_data_free(d);
    fa_data_free(d2);
    fa_data_free(d3);
    fa_data_free(d4);
    fa_model_free(m);
    fa_model_free(m4);
    fa_model_free(mc);
    unlink(path);
    unlink(bad);
    rmdir(dir);
    TEST_MAIN_END();
}
