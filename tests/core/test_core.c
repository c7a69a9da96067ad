/* SPDX-License-Identifier: MIT */
/* Core: status strings, error formatting, model/data X-macro lifecycle,
 * hashes, arena, anchoring. */
#include <stdlib.h>

#include "fascia/data.h"
#include "fascia/model.h"
#include "fascia/status.h"
#include "core/internal.h"
#include "harness.h"

static fa_model *small_model(void)
{
    fa_model s;
    memset(&s, 0, sizeof s);
    s.nnode = 3;
    s.ncord = 2;
    s.nelem = 2;
    s.nbody = 1;
    s.nnamechar = 8;
    fa_model *m = fa_model_alloc(&s);
    if (!m) return NULL;
    for (int i = 0; i < 3; i++) {
        m->node_pos0[3 * i] = (double)i;
        m->node_body[i] = -1;
    }
    m->node_body[0] = 0;
    m->node_local[0] = 0.5;
    m->cord_node[0] = 0; m->cord_node[1] = 1;
    m->cord_node[2] = 1; m->cord_node[3] = 2;
    memcpy(m->names, "itb\0pf\0", 8);
    m->cord_name[0] = 0;
    m->cord_name[1] = 4;
    return m;
}

int main(void)
{
    /* status strings come from one list */
    CHECK(strcmp(fa_status_str(FA_OK), "ok") == 0);
    CHECK(strcmp(fa_status_str(FA_ERR_CYCLE), "cycle") == 0);
    CHECK(strcmp(fa_status_str((fa_status)999), "unknown status") == 0);

    fa_error err;
    fa_error_clear(&err);
    CHECK(fa_error_set(&err, FA_ERR_UNKNOWN, "body.yaml", 12, 7, "unknown material '%s'", "foo") ==
          FA_ERR_UNKNOWN);
    CHECK(strcmp(err.msg, "body.yaml:12:7: unknown material 'foo'") == 0);
    CHECK(err.line == 12 && err.col == 7);
    fa_error_set(&err, FA_ERR_IO, NULL, 0, 0, "plain");
    CHECK(strcmp(err.msg, "plain") == 0);
    CHECK(fa_error_set(NULL, FA_ERR_ARG, "x", 1, 1, "ignored") == FA_ERR_ARG);

    fa_model *m = small_model();
    CHECK(m != NULL);
    CHECK(fa_model_find(m, "cord", "pf") == 1);
    CHECK(fa_model_find(m, "cord", "nope") == -1);
    int local = -1;
    CHECK(fa_elem_kind(m, 1, &local) == FA_CORD && local == 1);
    int nodes[3];
    CHECK(fa_elem_nodes(m, 1, nodes) == 2 && nodes[0] == 1 && nodes[1] == 2);

    fa_model *c = fa_model_copy(m);
    CHECK(c && fa_model_hash(c) == fa_model_hash(m));
    c->node_pos0[4] = 1e-300; /* any bit change changes the hash */
    CHECK(fa_model_hash(c) != fa_model_hash(m));
    fa_model_free(c);

    fa_data *d = fa_data_alloc(m, 4096);
    CHECK(d != NULL);
    CHECK(d->x[3] == 1.0 && d->tis_hyd[1] == 1.0 && d->tis_damage[0] == 0.0);
    uint64_t h0 = fa_data_hash(m, d);
    fa_data *d2 = fa_data_alloc(m, 4096);
    CHECK(fa_data_hash(m, d2) == h0);
    d2->tis_xlink[1] = 1.5;
    CHECK(fa_data_hash(m, d2) != h0);
    fa_data_copy(m, d2, d);
    CHECK(fa_data_hash(m, d2) == h0);

    /* arena: aligned, balanced, refuses overflow and counts it */
    size_t mark = fa_arena_mark(d);
    double *a = fa_arena_alloc(d, 100 * sizeof(double));
    CHECK(a && ((size_t)a % 16) == 0);
    CHECK(fa_arena_alloc(d, 1u << 20) == NULL && d->warn.arena_over == 1);
    fa_arena_release(d, mark);
    CHECK(d->arena_used == mark);

    /* anchoring: node 0 rides on body 0 (rotate 90 deg about z, shift) */
    double R[9] = {0, -1, 0, 1, 0, 0, 0, 0, 1};
    memcpy(d->body_xmat, R, sizeof R);
    d->body_xpos[0] = 1.0;
    fa_kinematics_anchor(m, d);
    CHECK_NEAR(d->x[0], 1.0, 1e-15);
    CHECK_NEAR(d->x[1], 0.5, 1e-15);
    CHECK_NEAR(d->x[3], 1.0, 1e-15); /* free node untouched */

    fa_data_free(d);
    fa_data_free(d2);
    fa_model_free(m);

    /* root-relative poses: the root becomes the identity, the others keep
     * their pose relative to it */
    {
        fa_model sz;
        memset(&sz, 0, sizeof sz);
        sz.nbody = 2;
        fa_model *mb = fa_model_alloc(&sz);
        fa_data *db = mb ? fa_data_alloc(mb, 1024) : NULL;
        CHECK(mb && db);
        if (mb && db) {
            mb->body_parent[0] = -1;
            mb->body_parent[1] = 0;
            double Rz[9] = {0, -1, 0, 1, 0, 0, 0, 0, 1}; /* 90 deg about z */
            memcpy(db->body_xmat, Rz, sizeof Rz);
            db->body_xpos[0] = 1.0;
            db->body_xpos[1] = 2.0;
            memcpy(db->body_xmat + 9, Rz, sizeof Rz);
            db->body_xpos[3] = 1.0;
            db->body_xpos[4] = 3.0;
            fa_kinematics_root_relative(mb, db);
            CHECK_NEAR(db->body_xmat[0], 1.0, 1e-15);
            CHECK_NEAR(db->body_xmat[1], 0.0, 1e-15);
            CHECK_NEAR(db->body_xpos[0], 0.0, 1e-15);
            CHECK_NEAR(db->body_xpos[1], 0.0, 1e-15);
            /* body 1: R0^T (p1 - p0) = R0^T (0, 1, 0) = (1, 0, 0); R0^T R1 = I */
            CHECK_NEAR(db->body_xpos[3], 1.0, 1e-15);
            CHECK_NEAR(db->body_xpos[4], 0.0, 1e-15);
            CHECK_NEAR(db->body_xmat[9], 1.0, 1e-15);
            CHECK_NEAR(db->body_xmat[9 + 4], 1.0, 1e-15);
        }
        fa_data_free(db);
        fa_model_free(mb);
    }

    /* whole-file reader: content, NUL, size limit, missing file */
    const char *tp = "build_test_core_read.txt";
    FILE *tf = fopen(tp, "wb");
    CHECK(tf != NULL);
    if (tf) {
        for (int i = 0; i < 100000; i++) fputc('a' + i % 26, tf);
        fclose(tf);
    }
    char *buf = NULL;
    size_t len = 0;
    CHECK(fa_read_file(tp, 0, &buf, &len, &err) == FA_OK && len == 100000 && buf[len] == '\0' && buf[27] == 'b');
    free(buf);
    CHECK(fa_read_file(tp, 1000, &buf, &len, &err) == FA_ERR_RANGE && buf == NULL);
    CHECK(strstr(err.msg, tp) != NULL);
    remove(tp);
    CHECK(fa_read_file("no/such/file", 0, &buf, &len, &err) == FA_ERR_IO);
    CHECK(strstr(err.msg, "no/such/file: cannot read the file") != NULL);
    TEST_MAIN_END();
}
