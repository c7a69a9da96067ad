/* SPDX-License-Identifier: MIT */
/* Anatomy tables against the Rajagopal2016 skeleton: every landmark's body
 * exists, left/right landmarks mirror in z, marker- and path-point-derived
 * landmarks equal the model's markers and path points, every station, via
 * point, muscle and structure a track names exists, lines and structures
 * are complete, postures name real coordinates; CSV errors name
 * file:line:col. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anatomy/anatomy_internal.h"
#include "harness.h"

#define OSIM "data/opensim/models/opensim4/Rajagopal2016.osim"

static const fa_anatomy *A;
static const fa_osim *O;

static void test_landmarks(void)
{
    CHECK(A->nlandmark >= 190);
    int nmarker = 0, npath = 0, nmirror = 0;
    for (int i = 0; i < A->nlandmark; i++) {
        const char *nm = A->lm_name[i], *src = A->lm_source[i];
        int b = fa_osim_find_body(O, A->lm_body[i]);
        CHECK_MSG(b > 0, "landmark %s: body %s not in the model", nm, A->lm_body[i]);
        size_t n = strlen(nm);
        int sided = n > 2 && nm[n - 2] == '_' && (nm[n - 1] == 'r' || nm[n - 1] == 'l');
        if (!sided) CHECK_MSG(A->lm_pos[3 * i + 2] == 0.0, "midline landmark %s has z != 0", nm);
        /* mirror: x_r = x_l, y_r = y_l, z_r = -z_l, body _r <-> _l */
        if (sided && nm[n - 1] == 'r') {
            char other[128];
            snprintf(other, sizeof other, "%.*sl", (int)(n - 1), nm);
            int j = fa_anatomy_landmark(A, other);
            CHECK_MSG(j >= 0, "landmark %s has no left twin", nm);
            if (j >= 0) {
                nmirror++;
                CHECK_NEAR(A->lm_pos[3 * j], A->lm_pos[3 * i], 1e-12);
                CHECK_NEAR(A->lm_pos[3 * j + 1], A->lm_pos[3 * i + 1], 1e-12);
                CHECK_NEAR(A->lm_pos[3 * j + 2], -A->lm_pos[3 * i + 2], 1e-12);
                char bo[64];
                size_t bl = strlen(A->lm_body[i]);
                snprintf(bo, sizeof bo, "%s", A->lm_body[i]);
                if (bl > 2 && bo[bl - 2] == '_') bo[bl - 1] = 'l';
                CHECK_MSG(!strcmp(bo, A->lm_body[j]), "landmark %s on %s, twin on %s", nm, A->lm_body[i], A->lm_body[j]);
            }
        }
        /* marker-derived: equal the model's marker (table rounded to 0.1 mm) */
        if (!strncmp(src, "marker:", 7)) {
            int k = fa_osim_find_marker(O, src + 7);
            CHECK_MSG(k >= 0, "landmark %s: marker %s not in the model", nm, src + 7);
            if (k >= 0) {
                nmarker++;
                CHECK_MSG(O->marker_body[k] == b, "landmark %s: marker %s is on another body", nm, src + 7);
                for (int q = 0; q < 3; q++) CHECK_NEAR(A->lm_pos[3 * i + q], O->marker_loc[3 * k + q], 5.01e-5);
            }
        }
        /* path-point-derived: equal the muscle's origin / insertion */
        if (!strncmp(src, "pathpoint:", 10)) {
            char mus[64];
            const char *c = strchr(src + 10, ':');
            snprintf(mus, sizeof mus, "%.*s", (int)(c ? c - (src + 10) : 0), src + 10);
            int m = fa_osim_find_muscle(O, mus);
            CHECK_MSG(m >= 0, "landmark %s: muscle %s not in the model", nm, mus);
            if (m >= 0 && c) {
                int k = -1;
                if (!strncmp(c + 1, "origin", 6)) k = O->muscle_point_adr[m];
                if (!strncmp(c + 1, "insertion", 9)) k = O->muscle_point_adr[m] + O->muscle_point_num[m] - 1;
                if (k >= 0) {
                    npath++;
                    CHECK_MSG(O->point_body[k] == b, "landmark %s: path point of %s on another body", nm, mus);
                    for (int q = 0; q < 3; q++) CHECK_NEAR(A->lm_pos[3 * i + q], O->point_loc[3 * k + q], 5.01e-5);
                }
            }
        }
    }
    CHECK(nmarker >= 16);
    CHECK(npath >= 20);
    CHECK(nmirror >= 80);
    printf("landmarks %d: %d mirrored pairs, %d from markers, %d from path points\n", A->nlandmark, nmirror, nmarker, npath);
}

static void test_lines_tracks(void)
{
    static const char *const ids[12] = {"SBL", "SFL", "LL", "SPL", "DFL", "SFAL", "DFAL", "SBAL", "DBAL", "BFL", "FFL", "IFL"};
    static const char grades[12] = {'A', 'C', 'B', 'B', 'C', 'C', 'C', 'C', 'C', 'A', 'A', 'C'};
    CHECK(A->nline == 12);
    for (int i = 0; i < 12 && i < A->nline; i++) {
        CHECK(!strcmp(A->line_id[i], ids[i]));
        CHECK_MSG(A->line_grade[i] == grades[i], "line %s grade %c, Wilke 2016 gives %c", ids[i], A->line_grade[i], grades[i]);
        int ntr = 0;
        for (int r = 0; r < A->ntrack; r++) ntr += !strcmp(A->tr_line[r], ids[i]) && A->tr_kind[r] != FA_TRACK_GAP;
        CHECK_MSG(ntr >= 3, "line %s has %d tracks", ids[i], ntr);
    }
    /* every landmark and muscle a track names exists, on both sides */
    for (int r = 0; r < A->ntrack; r++) {
        for (int s = 0; s < 2; s++) {
            char side = s ? 'l' : 'r', b[128];
            if (A->tr_from[r][0]) CHECK_MSG(fa_anatomy_landmark(A, fa_anatomy_side(A->tr_from[r], side, b, sizeof b)) >= 0, "%s", b);
            if (A->tr_kind[r] != FA_TRACK_INSERT)
                CHECK_MSG(fa_anatomy_landmark(A, fa_anatomy_side(A->tr_to[r], side, b, sizeof b)) >= 0, "%s", b);
            char via[256];
            snprintf(via, sizeof via, "%s", A->tr_via[r]);
            for (char *t = strtok(via, ";"); t; t = strtok(NULL, ";"))
                CHECK_MSG(fa_anatomy_landmark(A, fa_anatomy_side(t, side, b, sizeof b)) >= 0, "via %s", b);
            if (A->tr_muscle[r][0] && A->tr_kind[r] == FA_TRACK_BELLY) /* a belly names a row of bellies.csv */
                CHECK_MSG(fa_anatomy_belly(A, fa_anatomy_side(A->tr_muscle[r], side, b, sizeof b)) >= 0, "belly %s", b);
            else if (A->tr_muscle[r][0])
                CHECK_MSG(fa_osim_find_muscle(O, fa_anatomy_side(A->tr_muscle[r], side, b, sizeof b)) >= 0, "muscle %s", b);
        }
        if (A->tr_kind[r] != FA_TRACK_GAP) CHECK_MSG(fa_anatomy_structure(A, A->tr_struct[r]) >= 0, "structure %s", A->tr_struct[r]);
    }
    /* the named structures a runner needs */
    static const char *const need[] = {"iliotibial_band", "fascia_lata", "crural_fascia", "plantar_aponeurosis",
                                       "achilles_tendon", "tlf_posterior", "gluteal_aponeurosis", "rectus_sheath",
                                       "pectoral_fascia", "cervical_fascia", "epicranial_aponeurosis", NULL};
    for (int i = 0; need[i]; i++) CHECK_MSG(fa_anatomy_structure(A, need[i]) >= 0, "structure %s missing", need[i]);
    /* side templates */
    char b[64];
    CHECK(!strcmp(fa_anatomy_side("glmax3_{o}", 'r', b, sizeof b), "glmax3_l"));
    CHECK(!strcmp(fa_anatomy_side("x_{s}_{o}", 'l', b, sizeof b), "x_l_r"));
}

static void test_postures(void)
{
    const char *names[32];
    int n = fa_anatomy_postures(A, names, 32);
    static const char *const need[] = {"standing", "desk_upright", "desk_slumped", "lying", "side_lying", "forward_fold",
                                       "pigeon", "lunge", "calf_stretch", "ober", NULL};
    for (int i = 0; need[i]; i++) {
        int found = 0;
        for (int k = 0; k < n && k < 32; k++) found |= !strcmp(names[k], need[i]);
        CHECK_MSG(found, "posture %s missing", need[i]);
    }
    fa_osim_pose pose;
    fa_error err;
    CHECK(fa_osim_pose_init(O, &pose, &err) == FA_OK);
    for (int k = 0; k < n && k < 32; k++) CHECK_MSG(fa_anatomy_posture(A, O, names[k], &pose, &err) == FA_OK, "%s", err.msg);
    /* values land in radians on the named coordinates */
    CHECK(fa_anatomy_posture(A, O, "ober", &pose, &err) == FA_OK);
    CHECK_NEAR(pose.q[fa_osim_find_coord(O, "hip_adduction_r")], 10.0 * 3.14159265358979323846 / 180.0, 1e-15);
    CHECK_NEAR(pose.q[fa_osim_find_coord(O, "knee_angle_l")], 0.0, 0.0);
    CHECK(fa_anatomy_posture(A, O, "no_such_posture", &pose, &err) == FA_ERR_UNKNOWN);
    fa_osim_pose_free(&pose);
}

static void test_csv_errors(void)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/fa_anatomy_csv_%d.csv", (int)getpid());
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs("# comment\na,b,c\n1,\"x,y\",3\n4,\"unterminated\n", f);
    fclose(f);
    fa_csv c;
    fa_error err;
    fa_status st = fa_csv_read(path, &c, &err);
    CHECK(st == FA_ERR_SYNTAX);
    CHECK_MSG(err.line == 4 && err.col == 3, "error at %d:%d: %s", err.line, err.col, err.msg);
    fa_csv_free(&c);
    f = fopen(path, "w");
    fputs("a,b,c\n1,\"x,\"\"y\"\"\",3\r\n", f);
    fclose(f);
    CHECK(fa_csv_read(path, &c, &err) == FA_OK);
    CHECK(c.nrow == 1 && c.ncol == 3);
    if (c.nrow == 1) CHECK(!strcmp(c.cell[0][1], "x,\"y\""));
    if (c.nrow == 1) CHECK(!strcmp(c.cell[0][2], "3"));
    fa_csv_free(&c);
    f = fopen(path, "w");
    fputs("a,b\n1,2,3\n", f);
    fclose(f);
    CHECK(fa_csv_read(path, &c, &err) == FA_ERR_SYNTAX);
    CHECK(err.line == 2);
    fa_csv_free(&c);
    remove(path);
}

/* A table error names the file and line of the row. */
static void test_table_errors(void)
{
    char dir[128], cmd[512];
    snprintf(dir, sizeof dir, "/tmp/fa_anatomy_tables_%d", (int)getpid());
    snprintf(cmd, sizeof cmd, "mkdir -p %s && cp data/anatomy/*.csv %s/ && printf 'bad,no_such_coord,1,x,C\\n' >> %s/postures.csv",
             dir, dir, dir);
    CHECK(system(cmd) == 0);
    fa_anatomy *a = NULL;
    fa_error err;
    CHECK(fa_anatomy_load(dir, &a, &err) == FA_OK);
    if (a) {
        fa_osim_pose pose;
        CHECK(fa_osim_pose_init(O, &pose, &err) == FA_OK);
        CHECK(fa_anatomy_posture(a, O, "bad", &pose, &err) == FA_ERR_UNKNOWN);
        CHECK_MSG(err.line == a->po_fileline[a->npost - 1] && err.line > 10 && strstr(err.msg, "no_such_coord"), "%s", err.msg);
        fa_osim_pose_free(&pose);
        fa_anatomy_free(a);
    }
    /* a grade that is not A/B/C */
    snprintf(cmd, sizeof cmd, "sed -i 's/^SBL,Superficial Back Line,0,A,/SBL,Superficial Back Line,0,S,/' %s/lines.csv", dir);
    CHECK(system(cmd) == 0);
    CHECK(fa_anatomy_load(dir, &a, &err) == FA_ERR_TYPE);
    CHECK_MSG(strstr(err.msg, "grade") && err.line > 1 && err.col > 1, "%s", err.msg);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

int main(void)
{
    fa_error err;
    fa_anatomy *a = NULL;
    fa_osim *o = NULL;
    if (fa_anatomy_load("data/anatomy", &a, &err) != FA_OK || fa_osim_load(OSIM, &o, &err) != FA_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    A = a;
    O = o;
    test_landmarks();
    test_lines_tracks();
    test_postures();
    test_csv_errors();
    test_table_errors();
    fa_anatomy_free(a);
    fa_osim_free(o);
    TEST_MAIN_END();
}
