/* SPDX-License-Identifier: MIT */
/* Round trip OpenSim -> body file -> compiled model: the importer's output
 * (fa_osim_write_body_yaml, Rajagopal 2016 at its default pose) must compile
 * with the model compiler and keep the skeleton tree, masses and muscle
 * parameters of the .osim file. */
#include <stdio.h>
#include <stdlib.h>

#include "fascia/load.h"
#include "fascia/osim.h"
#include "harness.h"

#define OSIM "data/opensim/models/opensim4/Rajagopal2016.osim"

int main(void)
{
    fa_osim *o = NULL;
    fa_error err;
    fa_status st = fa_osim_load(OSIM, &o, &err);
    CHECK_MSG(st == FA_OK, "%s", err.msg);
    if (st) TEST_MAIN_END();
    fa_osim_pose pose;
    CHECK(fa_osim_pose_init(o, &pose, &err) == FA_OK);
    fa_osim_pose_defaults(o, &pose);
    fa_osim_apply_couplers(o, &pose);
    fa_osim_fk(o, &pose);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    CHECK(f != NULL);
    if (!f) TEST_MAIN_END();
    CHECK(fa_osim_write_body_yaml(o, &pose, f, &err) == FA_OK);
    fclose(f);
    fa_model *m = NULL;
    st = fa_model_load_buffer(text, len, "rajagopal.yaml", &m, &err);
    CHECK_MSG(st == FA_OK, "%s", err.msg);
    if (st == FA_OK) {
        CHECK(m->nbody == o->nbody - 1); /* ground is implied */
        for (int b = 1; b < o->nbody; b++) {
            int k = fa_model_lookup(m, "body", o->body_name[b]);
            CHECK_MSG(k >= 0, "body %s missing", o->body_name[b]);
            if (k < 0) continue;
            CHECK_REL(m->body_mass[k], o->body_mass[b], 1e-8);
            int pj = o->body_joint[b], pb = pj >= 0 ? o->joint_parent[pj] : 0;
            int mp = m->body_parent[k];
            CHECK_MSG(pb == 0 ? mp == -1
                              : (mp >= 0 && !strcmp(fa_model_name(m, m->body_name[mp]), o->body_name[pb])),
                      "parent of %s", o->body_name[b]);
        }
        int nmus = 0;
        for (int i = 0; i < o->nmuscle; i++) {
            if (!(o->muscle_fmax[i] > 0 && o->muscle_lopt[i] > 0)) continue;
            nmus++;
            int k = fa_model_lookup(m, "muscle", o->muscle_name[i]);
            CHECK_MSG(k >= 0, "muscle %s missing", o->muscle_name[i]);
            if (k < 0) continue;
            CHECK_REL(m->muscle_fmax[k], o->muscle_fmax[i], 1e-8);
            CHECK_REL(m->muscle_lopt[k], o->muscle_lopt[i], 1e-8);
            /* both ends anchored to a body (not free, not ground-fixed) */
            CHECK(m->node_body[m->muscle_node[2 * k]] >= 0 && m->node_body[m->muscle_node[2 * k + 1]] >= 0);
        }
        CHECK(nmus == 80 && m->nmuscle == nmus);
        CHECK(m->nlandmark >= o->nmarker);
    }
    fa_model_free(m);
    free(text);
    fa_osim_pose_free(&pose);
    fa_osim_free(o);
    TEST_MAIN_END();
}
