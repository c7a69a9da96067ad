/* SPDX-License-Identifier: MIT */
/* The clinical tests' healthy state and run checkpoints: fa_life_habitual_state is bit for bit the
 * state `fascia run desk-runner` starts from (fa_life_create with fascia run's definition), and
 * differs from the stim.* reference's steady state; fa_life_checkpoint_state reads that state back
 * from a run checkpoint (fascia test-clinical --state) and refuses other files, saying why. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fascia/life.h"
#include "fascia/load.h"
#include "fascia/physio.h"
#include "fascia/scenario.h"
#include "harness.h"

#define BODY "data/bodies/runner.yaml"

/* Tissue arrays the clinical tests read (fa_clinical_set_state) equal bit for bit. */
static int same_tissue(const fa_model *m, const fa_data *a, const fa_data *b)
{
    size_t ne = (size_t)m->nelem * sizeof(double), ni = (size_t)m->nintf * sizeof(double);
    return !memcmp(a->tis_hyd, b->tis_hyd, ne) && !memcmp(a->tis_dens, b->tis_dens, ne) &&
           !memcmp(a->tis_xlink, b->tis_xlink, ne) && !memcmp(a->tis_thick, b->tis_thick, ne) &&
           !memcmp(a->tis_rest, b->tis_rest, ne) && !memcmp(a->tis_tone, b->tis_tone, ne) &&
           !memcmp(a->tis_damage, b->tis_damage, ne) && !memcmp(a->tis_temp, b->tis_temp, ne) &&
           !memcmp(a->intf_visc, b->intf_visc, ni) && !memcmp(a->intf_adh, b->intf_adh, ni) &&
           !memcmp(a->intf_slide, b->intf_slide, 3 * ni);
}

int main(void)
{
    fa_error err;
    fa_model *m = NULL;
    if (fa_model_load(BODY, &m, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    fa_life_def def = fa_default_life_def();
    def.stride_frames = 24; /* fascia run's default */
    fa_life_osim *kin = NULL;
    CHECK(fa_life_osim_create(m, "data", &kin, &def.kin, &err) == FA_OK);
    if (kin) CHECK(fa_life_osim_activation(kin, NULL, &err) == FA_OK); /* fascia run's default: working muscles */
    fa_data *h = fa_data_alloc(m, 0), *r = fa_data_alloc(m, 0), *ck = fa_data_alloc(m, 0);
    CHECK(h && r && ck);
    fa_scenario *sc = NULL;
    fa_life *L = NULL;
    if (!kin || !h || !r || !ck) goto out;
    CHECK(fa_life_habitual_state(m, &def, h, &err) == FA_OK);
    /* fascia run desk-runner's start */
    CHECK(fa_scenario_load_builtin("desk-runner", &sc, &err) == FA_OK);
    if (sc) CHECK(fa_life_create(m, sc, &def, &L, &err) == FA_OK);
    if (!L) goto out;
    CHECK(same_tissue(m, h, fa_life_data(L)));
    /* not the stim.* reference's steady state: the habitual day's tone and damage differ */
    fa_physio_params *p = fa_physio_params_default(&err);
    CHECK(p && fa_physio_init(m, r, p, &err) == FA_OK);
    fa_physio_params_free(p);
    int ndiff = 0;
    for (int e = 0; e < m->nelem; e++) ndiff += h->tis_tone[e] != r->tis_tone[e] || h->tis_damage[e] != r->tis_damage[e];
    printf("habitual day's state: %d of %d elements differ in tone or damage from the stim.* reference's\n", ndiff,
           m->nelem);
    CHECK(ndiff > m->nelem / 10);
    /* a run checkpoint gives the tissue state back without its scenario */
    char path[64];
    snprintf(path, sizeof path, "/tmp/fa_test_clinical_state_%d.ck", (int)getpid());
    CHECK(fa_life_save(L, path, &err) == FA_OK);
    int day = -1;
    CHECK(fa_life_checkpoint_state(m, path, ck, &day, &err) == FA_OK);
    CHECK(day == 0);
    CHECK(same_tissue(m, h, ck));
    /* refused: a damaged file (checksum), another file type, a missing file */
    FILE *f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (f) {
        fseek(f, 200, SEEK_SET);
        fputc(0x5a, f);
        fclose(f);
        CHECK(fa_life_checkpoint_state(m, path, ck, NULL, &err) == FA_ERR_SYNTAX && strstr(err.msg, "checksum"));
    }
    CHECK(fa_life_checkpoint_state(m, BODY, ck, NULL, &err) == FA_ERR_SYNTAX && strstr(err.msg, "FALIFE1"));
    CHECK(fa_life_checkpoint_state(m, "/nonexistent/ck", ck, NULL, &err) != FA_OK);
    remove(path);
out:
    fa_life_free(L);
    fa_scenario_free(sc);
    fa_data_free(h);
    fa_data_free(r);
    fa_data_free(ck);
    fa_life_osim_free(kin);
    fa_model_free(m);
    TEST_MAIN_END();
}
