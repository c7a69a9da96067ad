/* SPDX-License-Identifier: MIT */
/* Clinical tests: the compiled norms and calibration agree with the CSV tables of data/clinical; the passive
 * resistance by virtual work on the anchored nodes equals the central difference of the
 * equilibrium energy; the healthy runner body lands inside every norm; a stiffer superficial back
 * line (tis_dens x 1.5) lowers the straight leg raise; the cervical bodies carry the head; the
 * compiled end-point torques are the calibration of the current body; the search is deterministic. */
#include <math.h>
#include <stdio.h>

#include "common.h"
#include "fascia/life.h"
#include "harness.h"

/* The healthy person: the state `fascia run` starts from (the habitual day's steady state, fascia
 * run's 24 frames per replayed stride, muscles working in the strides as fascia run's default), on
 * which the end-point torques are calibrated. */
static fa_data *H;
static int healthy_state(void)
{
    fa_error err;
    fa_life_def def = fa_default_life_def();
    def.stride_frames = 24;
    fa_life_osim *kin = NULL;
    H = fa_data_alloc(M, 0);
    int ok = H && fa_life_osim_create(M, "data", &kin, &def.kin, &err) == FA_OK &&
             fa_life_osim_activation(kin, NULL, &err) == FA_OK && fa_life_habitual_state(M, &def, H, &err) == FA_OK;
    fa_life_osim_free(kin);
    if (!ok) fprintf(stderr, "healthy state: %s\n", H ? err.msg : "out of memory");
    return ok ? 0 : -1;
}

/* Read column `col` (0-based) of the row whose first field is `id` in a CSV with quoted fields. */
static int csv_field(const char *path, const char *id, int col, char *out, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[4096];
    int found = -1;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#') continue;
        size_t L = strlen(id);
        if (strncmp(line, id, L) || line[L] != ',') continue;
        int c = 0, q = 0;
        size_t k = 0;
        for (char *p = line; *p && *p != '\n'; p++) {
            if (*p == '"') {
                q = !q;
                continue;
            }
            if (*p == ',' && !q) {
                c++;
                continue;
            }
            if (c == col && k + 1 < n) out[k++] = *p;
        }
        out[k] = '\0';
        found = 0;
        break;
    }
    fclose(f);
    return found;
}

static double csv_num(const char *path, const char *id, int col)
{
    char b[256];
    if (csv_field(path, id, col, b, sizeof b)) return NAN;
    return atof(b);
}

static void test_tables(void)
{
    for (int t = 0; t < FA_CLIN_NTEST; t++) {
        const fa_clin_info *in = fa_clinical_info(t);
        CHECK(fa_clinical_find(in->id) == t);
        CHECK_NEAR(csv_num("data/clinical/norms.csv", in->id, 2), in->norm_lo, 1e-12);
        CHECK_NEAR(csv_num("data/clinical/norms.csv", in->id, 3), in->norm_hi, 1e-12);
        CHECK_NEAR(csv_num("data/clinical/norms.csv", in->id, 4), in->norm_mid, 1e-12);
        char g[8];
        CHECK(csv_field("data/clinical/norms.csv", in->id, 5, g, sizeof g) == 0 && g[0] == in->grade);
        CHECK_NEAR(csv_num("data/clinical/calibration.csv", in->id, 1), in->torque, 1e-12);
        CHECK_NEAR(csv_num("data/clinical/calibration.csv", in->id, 3), in->theta_cal, 1e-12);
        CHECK(in->norm_lo <= in->norm_mid && in->norm_mid <= in->norm_hi);
    }
    CHECK(fa_clinical_find("nope") == -1);
    CHECK(fa_clinical_info(FA_CLIN_NTEST) == NULL);
}

static void test_virtual_work(fa_clinical *c)
{
    fa_error err;
    /* SLR at 40 deg and cervical flexion at 30 deg: two step sizes of the energy difference and the
     * virtual work agree */
    int tests[2] = {FA_CLIN_SLR, FA_CLIN_CERVICAL};
    double th[2] = {40.0, 30.0};
    for (int k = 0; k < 2; k++) {
        double R = 0, psi = 0, Rf1 = 0, Rf2 = 0;
        CHECK(fa_clinical_torque(c, tests[k], th[k], &R, &psi, 0.5, &Rf1, &err) == FA_OK);
        CHECK(fa_clinical_torque(c, tests[k], th[k], NULL, NULL, 0.25, &Rf2, &err) == FA_OK);
        /* Rf2 re-solves theta +- 0.25 only (R already known) */
        CHECK(R > 10.0);
        CHECK(psi > 0.0);
        CHECK_REL(R, Rf1, 2e-3);
        CHECK_REL(R, Rf2, 1e-3);
    }
    /* at the reference posture the reference tissue (no tone, no damage: standing is stress-free)
     * resists nothing; the healthy person's habitual fibroblast tone pre-tensions it a little */
    fa_clinical_set_state(c, H);
    double R0 = 1.0, Rh = 0.0;
    CHECK(fa_clinical_torque(c, FA_CLIN_CERVICAL, 0.0, &Rh, NULL, 0.0, NULL, &err) == FA_OK);
    fa_data *ref = fa_data_alloc(M, 0);
    CHECK(ref != NULL);
    if (ref) {
        fa_data_reset(M, ref);
        fa_clinical_set_state(c, ref);
        CHECK(fa_clinical_torque(c, FA_CLIN_CERVICAL, 0.0, &R0, NULL, 0.0, NULL, &err) == FA_OK);
        CHECK(fabs(R0) < 1e-3);
        fa_clinical_set_state(c, H);
        fa_data_free(ref);
    }
    printf("cervical resistance standing: reference tissue %.3g, healthy (habitual tone) %.3g N m/rad\n", R0, Rh);
}

static void test_cervical_bodies(fa_clinical *c)
{
    const fa_model *mc = fa_clinical_model(c);
    CHECK(mc->nbody == M->nbody + 7);
    CHECK(mc->nelem == M->nelem && mc->nnode == M->nnode);
    /* the occipital ridge goes with the head, the C7 spinous tip and the acromion stay on the torso */
    int torso = fa_model_find(M, "body", "torso"), head = fa_model_find(mc, "body", "cervical_head");
    CHECK(head == M->nbody + 6);
    /* a free station (grade A/B line) is held by its anchored copy <landmark>.bone */
    int n_occ = fa_model_find(mc, "node", "occ_ridge.bone"), n_c7 = fa_model_find(mc, "node", "sp_c7.bone");
    if (n_occ < 0) n_occ = fa_model_find(mc, "node", "occ_ridge");
    if (n_c7 < 0) n_c7 = fa_model_find(mc, "node", "sp_c7");
    if (n_occ >= 0) CHECK(mc->node_body[n_occ] == head);
    if (n_c7 >= 0) CHECK(mc->node_body[n_c7] == torso);
    CHECK(n_occ >= 0 || n_c7 >= 0);
    int moved = 0;
    for (int i = 0; i < mc->nnode; i++) moved += mc->node_body[i] != M->node_body[i];
    CHECK(moved > 10);
}

/* Drive angle (deg) at which test t's value equals v (geometry only). */
static double theta_of_value(fa_clinical *c, int t, double v)
{
    const fa_clin_info *in = fa_clinical_info(t);
    double lo = 0.0, hi = in->theta_max, flo = fa_clinical_value(c, t, lo) - v;
    for (int it = 0; it < 50; it++) {
        double mid = 0.5 * (lo + hi), f = fa_clinical_value(c, t, mid) - v;
        if (f * flo > 0.0) {
            lo = mid;
            flo = f;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

static void test_norms_and_stiffness(void)
{
    fa_error err;
    fa_clinical_def def = coarse_def();
    fa_clinical *c = NULL;
    CHECK(fa_clinical_create(M, O, A, &def, &c, &err) == FA_OK);
    if (!c) return;
    test_cervical_bodies(c);
    test_virtual_work(c);
    fa_clinical_set_state(c, H);
    /* the compiled end-point torques are the calibration of the current runner body (re-run
     * `fascia test-clinical --calibrate` and update both tables when the body is regenerated) */
    double thm[FA_CLIN_NTEST], tq[FA_CLIN_NTEST];
    CHECK(fa_clinical_calibrate(c, thm, tq, &err) == FA_OK);
    for (int t = 0; t < FA_CLIN_NTEST; t++) CHECK_NEAR(thm[t], fa_clinical_info(t)->theta_cal, 0.01);
    /* 0.1 %: the table's 4 digits; a body or healthy-state change moves them more (the habitual day's
     * state raised the cervical torque 7 %, the anchored entheses of commit 8e523a0 the SLR's 0.6 %) */
    for (int t = 0; t < FA_CLIN_NTEST; t++)
        CHECK_MSG(fabs(tq[t] - fa_clinical_info(t)->torque) <= 1e-3 * fa_clinical_info(t)->torque,
                  "%s: calibration gives %.4g N m/rad, table %.4g: re-run fascia test-clinical --calibrate",
                  fa_clinical_info(t)->id, tq[t], fa_clinical_info(t)->torque);
    /* healthy body inside every norm: the end-point torque is not reached at the norm's lower bound
     * and is reached by its upper bound (the search brackets in between; the sit-and-reach hips sit
     * at the SLR end range, which the calibration just set) */
    for (int t = 0; t < FA_CLIN_NTEST; t++) {
        const fa_clin_info *in = fa_clinical_info(t);
        double tlo = theta_of_value(c, t, in->norm_lo), thi = theta_of_value(c, t, in->norm_hi);
        double Rlo = 0, Rhi = 0;
        CHECK(fa_clinical_torque(c, t, tlo, &Rlo, NULL, 0.0, NULL, &err) == FA_OK);
        CHECK(fa_clinical_torque(c, t, thi, &Rhi, NULL, 0.0, NULL, &err) == FA_OK);
        printf("%-18s norm %.1f..%.1f %s: R %.4g .. %.4g, end-point %.4g N m/rad\n", in->id, in->norm_lo, in->norm_hi,
               in->unit, Rlo, Rhi, in->torque);
        /* the SLR resistance peaks inside its band (~87 deg), so the crossing may be below the upper
         * bound only: R at the calibrated centre (the table is rounded to 4 digits) */
        double Rmid = tq[t]; /* the calibration's R at the calibrated centre */
        CHECK_MSG(Rlo < in->torque && fmax(Rhi, Rmid) >= 0.995 * in->torque, "%s: healthy end range outside the norm",
                  in->id);
    }
    /* the SLR and sit-and-reach resistances still rise through their end points (a curve at its peak
     * there would turn any softening into a jump to the peak): R 5 deg past the calibrated angle is
     * above R at it (SLR 183.3 -> 188 N m/rad, sit-and-reach 79.3 -> 88 on the body before the epimysial
     * bags, whose SLR end-point torque is 194.6) */
    static const int rising[] = {FA_CLIN_SLR, FA_CLIN_SIT_REACH};
    for (int i = 0; i < 2; i++) {
        int t = rising[i];
        double R0 = tq[t], R5 = 0;
        CHECK(fa_clinical_torque(c, t, thm[t] + 5.0, &R5, NULL, 0.0, NULL, &err) == FA_OK);
        printf("%s: R %.4g N m/rad at the end point (%.2f deg), %.4g at +5 deg\n", fa_clinical_info(t)->id, R0, thm[t], R5);
        CHECK_MSG(R5 > 1.01 * R0, "%s: resistance flat at the end point (%.4g -> %.4g N m/rad over 5 deg)",
                  fa_clinical_info(t)->id, R0, R5);
    }
    /* the full search on the healthy SLR lands inside the norm */
    double th_h = 0, v_h = 0;
    CHECK(fa_clinical_end_range(c, FA_CLIN_SLR, &th_h, &v_h, &err) == FA_OK);
    CHECK(v_h >= 80.0 && v_h <= 100.0);
    /* a stiffer superficial back line (collagen density x 1.5 on every element of SBL_r) */
    fa_data *d = fa_data_alloc(M, 0);
    int l = fa_model_find(M, "line", "SBL_r");
    CHECK(l >= 0 && d);
    if (l >= 0 && d) {
        for (int k = 0; k < M->line_num[l]; k++) d->tis_dens[M->line_elem[M->line_adr[l] + k]] *= 1.5;
        fa_clinical_set_state(c, d);
        double th_s = 0, v_s = 0;
        CHECK(fa_clinical_end_range(c, FA_CLIN_SLR, &th_s, &v_s, &err) == FA_OK);
        printf("SLR healthy %.2f deg, SBL_r x1.5 %.2f deg\n", v_h, v_s);
        CHECK(v_s < v_h - 1.0);
        /* determinism: the same evaluation on a fresh context gives the same bits */
        fa_clinical *c2 = NULL;
        CHECK(fa_clinical_create(M, O, A, &def, &c2, &err) == FA_OK);
        if (c2) {
            fa_clinical_set_state(c2, d);
            double R1 = 0, R2 = 0;
            CHECK(fa_clinical_torque(c, FA_CLIN_SLR, th_s, &R1, NULL, 0.0, NULL, &err) == FA_OK);
            CHECK(fa_clinical_torque(c2, FA_CLIN_SLR, th_s, &R2, NULL, 0.0, NULL, &err) == FA_OK);
            CHECK(memcmp(&R1, &R2, sizeof R1) == 0);
        }
        fa_clinical_free(c2);
    }
    fa_data_free(d);
    fa_clinical_free(c);
}

/* A test whose end-point torque lies beyond its drive range is out of range, with its side:
 * never reached up to theta_max (SLR with 3x the torque: the resistance peaks below it) -> the
 * peak's angle and FA_ERR_RANGE; exceeded already at theta_min (cervical flexion with 1e-5 of
 * the torque: the habitual tone resists standing) -> theta_min. The result shows bounds as "> x" / "< x". */
static void test_out_of_range(void)
{
    fa_error err;
    fa_clinical_def def = coarse_def();
    fa_clinical *c = NULL;
    const fa_clin_info *slr = fa_clinical_info(FA_CLIN_SLR), *th = fa_clinical_info(FA_CLIN_THOMAS);
    CHECK(th->theta_min < 0.0 && slr->theta_min == 0.0 && fa_clinical_info(FA_CLIN_CERVICAL)->theta_min == 0.0);
    double t1 = 0, v1 = 0;
    def.torque_scale = 3.0;
    CHECK(fa_clinical_create(M, O, A, &def, &c, &err) == FA_OK);
    if (!c) return;
    fa_clinical_set_state(c, H);
    CHECK(fa_clinical_end_range(c, FA_CLIN_SLR, &t1, &v1, &err) == FA_ERR_RANGE);
    CHECK(strstr(err.msg, "not reached") != NULL);
    CHECK(t1 > slr->theta_cal && t1 <= slr->theta_max);
    fa_clinical_free(c);
    /* a peak narrower than the bracketing step that reaches the torque is a crossing, not out of
     * range: SLR with 3 % more torque (below the 192 N m/rad peak near 93 deg) and 25 deg steps
     * (samples at 82 and 107 deg both below it) */
    def.torque_scale = 1.03;
    def.step_deg = 25.0;
    CHECK(fa_clinical_create(M, O, A, &def, &c, &err) == FA_OK);
    if (!c) return;
    fa_clinical_set_state(c, H);
    double t3 = 0, v3 = 0;
    CHECK(fa_clinical_end_range(c, FA_CLIN_SLR, &t3, &v3, &err) == FA_OK);
    CHECK(t3 > slr->theta_cal && t3 < 95.0);
    printf("narrow peak: SLR with 1.03 x torque and 25 deg steps: %.2f deg\n", t3);
    fa_clinical_free(c);
    def = coarse_def();
    /* cervical flexion with 1e-5 of its torque: the habitual tone's 0.003 N m/rad standing exceeds it */
    def.torque_scale = 1e-5;
    CHECK(fa_clinical_create(M, O, A, &def, &c, &err) == FA_OK);
    if (!c) return;
    fa_clinical_set_state(c, H);
    double t2 = 1, v2 = 1;
    CHECK(fa_clinical_end_range(c, FA_CLIN_CERVICAL, &t2, &v2, &err) == FA_ERR_RANGE);
    CHECK(strstr(err.msg, "exceeded") != NULL);
    CHECK(t2 == 0.0 && v2 == 0.0);
    printf("out of range: SLR x3 torque: peak near %.1f deg; cervical x1e-5: %s\n", t1, err.msg);
    fa_clinical_free(c);
    fa_clinical_result r;
    memset(&r, 0, sizeof r);
    char b[32];
    r.value[FA_CLIN_SLR] = 130.0;
    r.beyond[FA_CLIN_SLR] = 1;
    r.value[FA_CLIN_THOMAS] = -30.0;
    r.beyond[FA_CLIN_THOMAS] = -1;
    r.value[FA_CLIN_OBER] = 7.84;
    CHECK(!strcmp(fa_clinical_value_str(&r, FA_CLIN_SLR, b, sizeof b), "> 130.0"));
    CHECK(!strcmp(fa_clinical_value_str(&r, FA_CLIN_THOMAS, b, sizeof b), "< -30.0"));
    CHECK(!strcmp(fa_clinical_value_str(&r, FA_CLIN_OBER, b, sizeof b), "7.8"));
}

int main(void)
{
    test_tables();
    if (setup() || healthy_state()) return 1;
    test_norms_and_stiffness();
    test_out_of_range();
    fa_data_free(H);
    teardown();
    TEST_MAIN_END();
}
