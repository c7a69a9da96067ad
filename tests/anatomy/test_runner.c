/* SPDX-License-Identifier: MIT */
/* The generated runner body: the committed data/bodies/runner.yaml is exactly
 * what the generator writes; it compiles; its lines, grades and structures
 * are all there; tendon and plantar-aponeurosis sizing reproduce their
 * sources; postures move anchored nodes to the skeleton's landmarks; and
 * static equilibrium in a posture strains the tissues in the physically
 * right direction (slumped sitting lengthens the low back and posterior
 * hip, hip adduction in the Ober test stretches the ITB, a calf stretch
 * stretches the calf). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fascia/anatomy.h"
#include "fascia/load.h"
#include "fascia/mech.h"
#include "fascia/sim.h"
#include "harness.h"

#define OSIM "data/opensim/models/opensim4/Rajagopal2016.osim"
#define BODY "data/bodies/runner.yaml"

static fa_anatomy *A;
static fa_osim *O;
static fa_model *M;

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = (char *)malloc((size_t)len + 1);
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) b[len] = '\0';
    *n = (size_t)len;
    return b;
}

static void test_regenerate(void)
{
    char tmp[128];
    snprintf(tmp, sizeof tmp, "/tmp/fa_runner_%d.yaml", (int)getpid());
    FILE *f = fopen(tmp, "w");
    CHECK(f != NULL);
    if (!f) return;
    fa_runner_def def = fa_runner_default_def();
    def.osim_label = OSIM;
    fa_error err;
    fa_status st = fa_runner_write(A, O, &def, f, &err);
    fclose(f);
    CHECK_MSG(st == FA_OK, "%s", err.msg);
    size_t n1, n2;
    char *a = slurp(tmp, &n1), *b = slurp(BODY, &n2);
    CHECK(a && b);
    if (a && b) {
        CHECK_MSG(n1 == n2 && !memcmp(a, b, n1), "%s differs from the generator's output (run `fascia build-runner`)", BODY);
    }
    free(a);
    free(b);
    remove(tmp);
}

static int elem(const char *name)
{
    int e = fa_model_lookup(M, "element", name);
    CHECK_MSG(e >= 0, "element %s missing", name);
    return e;
}

static void test_contents(void)
{
    static const char *const ids[12] = {"SBL", "SFL", "LL", "SPL", "DFL", "SFAL", "DFAL", "SBAL", "DBAL", "BFL", "FFL", "IFL"};
    static const char grades[12] = {'A', 'C', 'B', 'B', 'C', 'C', 'C', 'C', 'C', 'A', 'A', 'C'};
    CHECK(M->nline == 24);
    CHECK(M->nbody == 22);
    for (int i = 0; i < 12; i++)
        for (int s = 0; s < 2; s++) {
            char nm[32];
            snprintf(nm, sizeof nm, "%s_%c", ids[i], s ? 'l' : 'r');
            int l = fa_model_find(M, "line", nm);
            CHECK_MSG(l >= 0, "line %s missing", nm);
            if (l < 0) continue;
            CHECK(M->line_grade[l] == grades[i]);
            int nt;
            double L = fa_line_length(M, l, &nt);
            CHECK_MSG(L > 0.2 && L < 4.0, "line %s length %g m", nm, L);
        }
    /* SBL right: plantar aponeurosis (membranes) first, then heel, calf, hamstrings, ... */
    int l = fa_model_find(M, "line", "SBL_r"), loc;
    if (l >= 0) CHECK(fa_elem_kind(M, M->line_elem[M->line_adr[l]], &loc) == FA_MEMBRANE);
    static const char *const st[] = {"iliotibial_band_r", "fascia_lata_r", "crural_fascia_l", "plantar_aponeurosis_r",
                                     "achilles_tendon_r", "tlf_posterior", "gluteal_aponeurosis_l", "rectus_sheath_r",
                                     "pectoral_fascia_r", "cervical_fascia_r", "epicranial_aponeurosis_r", NULL};
    for (int i = 0; st[i]; i++) {
        char nm[96];
        snprintf(nm, sizeof nm, "structure.%s", st[i]);
        int r = fa_model_find(M, "region", nm);
        CHECK_MSG(r >= 0 && M->region_num[r] > 0, "structure %s missing or empty", st[i]);
    }
    /* TFL and upper gluteus maximus insert into the ITB: their tendons end on an ITB node */
    int itb0 = elem("iliotibial_band_r.0");
    for (int k = 0; k < 2; k++) {
        char tn[64];
        snprintf(tn, sizeof tn, "%s_tendon", k ? "gluteus_maximus_upper_r" : "tfl_r");
        int c = fa_model_find(M, "cord", tn);
        (void)c;
        /* the last segment of the tendon shares a node with the ITB */
        int found = 0;
        for (int s = 0; s < 64 && !found; s++) {
            char sn[80];
            snprintf(sn, sizeof sn, "%s.%d", tn, s);
            int e = fa_model_lookup(M, "element", sn);
            if (e < 0) break;
            int n2[3];
            fa_elem_nodes(M, e, n2);
            for (int i = 0; i < M->ncord; i++) {
                const char *cn = fa_model_name(M, M->cord_name[i]);
                if (strncmp(cn, "iliotibial_band_r.", 18)) continue;
                if (M->cord_node[2 * i] == n2[1] || M->cord_node[2 * i + 1] == n2[1]) found = 1;
            }
        }
        CHECK_MSG(found, "%s does not reach the ITB", tn);
    }
    (void)itb0;
}

static void test_sizing(void)
{
    /* Achilles: the common tendon has the measured section pi/4 t w of structures.csv
     * (Szaro & Ghali Gataa 2021: 4.9 x 14.7 mm, 56.6 mm^2), not the OpenSim sizing
     * from the summed fmax (164 mm^2, 3x too stiff); the soleus and gastrocnemius
     * lateralis subtendons share it by fmax */
    int tmat = fa_model_find(M, "material", "tendon");
    CHECK(tmat >= 0);
    double fsum = 0;
    static const char *const tri[] = {"gasmed_r", "gaslat_r", "soleus_r"};
    for (int i = 0; i < 3; i++) fsum += O->muscle_fmax[fa_osim_find_muscle(O, tri[i])];
    int e = elem("gastrocnemius_med_r_tendon.0"), sr = -1;
    for (int i = 0; i < A->nstruct; i++)
        if (!strcmp(A->st_id[i], "achilles_tendon")) sr = i;
    CHECK(sr >= 0);
    if (e >= 0 && tmat >= 0 && sr >= 0) {
        double A0 = M->cord_area[e], E = M->mat_E[tmat], toe = M->mat_toe[tmat];
        double sec = 0.25 * 3.14159265358979323846 * A->st_thick[sr] * A->st_width[sr];
        CHECK_REL(A0, sec, 1e-5);
        CHECK(A0 > 50e-6 && A0 < 65e-6); /* in-vivo 57 mm^2 (Ying et al. 2003) */
        CHECK(A0 < 0.5 * fsum / (E * (0.049 - 0.5 * toe)));
        int es = elem("soleus_r_tendon.0");
        CHECK(es >= 0);
        if (es >= 0)
            CHECK_REL(M->cord_area[es], sec * O->muscle_fmax[fa_osim_find_muscle(O, "soleus_r")] / fsum, 1e-5);
    }
    /* entheses: the stations where a muscle's tendon inserts into its bone are anchored
     * (no <landmark>.bone copy held by a periosteal spring); a free station between two
     * fascial tracks (the plantar fascia's calcaneal station, the ischial tuberosity) stays free */
    static const char *const ent[] = {"calc_tuber_r", "calc_tuber_l", "fib_head_r", "met1_base_r", "glut_tuberosity_l"};
    for (int i = 0; i < 5; i++) {
        char bn[64];
        snprintf(bn, sizeof bn, "%s.bone", ent[i]);
        int n = fa_model_find(M, "node", ent[i]);
        CHECK_MSG(n >= 0 && M->node_body[n] >= 0 && fa_model_find(M, "node", bn) < 0, "%s: expected an anchored enthesis",
                  ent[i]);
    }
    static const char *const freest[] = {"calc_plantar_med_r", "isch_tuber_r"};
    for (int i = 0; i < 2; i++) {
        int n = fa_model_find(M, "node", freest[i]);
        CHECK_MSG(n >= 0 && M->node_body[n] == -1, "%s: expected a free station", freest[i]);
    }
    /* patellar tendon: series stiffness of its segments = 3622 N/mm (Couppe 2012) */
    double compliance = 0;
    for (int s = 0; s < 64; s++) {
        char sn[64];
        snprintf(sn, sizeof sn, "patellar_tendon_r.%d", s);
        int k = fa_model_lookup(M, "element", sn);
        if (k < 0) break;
        compliance += M->cord_L0[k] / (M->mat_E[M->cord_mat[k]] * M->cord_area[k]);
    }
    CHECK_REL(1.0 / compliance, 3.622e6, 1e-4);
    /* plantar aponeurosis: E w t / L = 203.7 N/mm (Kitaoka 1994) for the patch */
    int pm = fa_model_find(M, "material", "plantar_aponeurosis");
    int a0 = fa_model_mesh_node(M, "plantar_aponeurosis_r", 0, 0), a1 = fa_model_mesh_node(M, "plantar_aponeurosis_r", 0, 5);
    int w1 = fa_model_mesh_node(M, "plantar_aponeurosis_r", 3, 0);
    CHECK(pm >= 0 && a0 >= 0 && a1 >= 0 && w1 >= 0);
    if (pm >= 0 && a0 >= 0 && a1 >= 0 && w1 >= 0) {
        double L = 0, W = 0;
        for (int q = 0; q < 3; q++) {
            L += pow(M->node_pos0[3 * a1 + q] - M->node_pos0[3 * a0 + q], 2);
            W += pow(M->node_pos0[3 * w1 + q] - M->node_pos0[3 * a0 + q], 2);
        }
        L = sqrt(L);
        W = sqrt(W);
        CHECK_REL(W, 0.03, 1e-4);
        CHECK_REL(M->mat_E[pm] * W * 3.0e-3 / L, 2.037e5, 1e-4);
    }
}

/* mean strain of a region's (or a prefix's) cords/muscles/membranes after a solve */
static double mean_strain(const fa_data *d, const char *region)
{
    int r = fa_model_find(M, "region", region);
    CHECK_MSG(r >= 0, "region %s missing", region);
    if (r < 0) return NAN;
    double s = 0;
    int n = 0;
    for (int k = 0; k < M->region_num[r]; k++) {
        int e = M->region_elem[M->region_adr[r] + k], loc;
        if (fa_elem_kind(M, e, &loc) == FA_INTERFACE) continue;
        s += d->elem_strain[e];
        n++;
    }
    return n ? s / n : NAN;
}

/* mean strain of the segments <cord>.0, <cord>.1, ... */
static double cord_mean(const fa_data *d, const char *cord)
{
    double s = 0;
    int n = 0;
    for (;; n++) {
        char nm[96];
        snprintf(nm, sizeof nm, "%s.%d", cord, n);
        int e = fa_model_lookup(M, "element", nm);
        if (e < 0) break;
        s += d->elem_strain[e];
    }
    CHECK_MSG(n > 0, "cord %s missing", cord);
    return n ? s / n : NAN;
}

/* current length (m) of a muscle-tendon unit of the body: Hill fibres plus tendon chain */
static double mtu_length(const fa_data *d, const char *track)
{
    double L = 0;
    int mu = fa_model_find(M, "muscle", track);
    CHECK_MSG(mu >= 0, "muscle %s missing", track);
    if (mu < 0) return NAN;
    int a = M->muscle_node[2 * mu], b = M->muscle_node[2 * mu + 1];
    double dd = 0;
    for (int q = 0; q < 3; q++) dd += pow(d->x[3 * a + q] - d->x[3 * b + q], 2);
    L += sqrt(dd);
    for (int s = 0;; s++) {
        char nm[96];
        snprintf(nm, sizeof nm, "%s_tendon.%d", track, s);
        int e = fa_model_lookup(M, "element", nm), n2[3];
        if (e < 0) break;
        fa_elem_nodes(M, e, n2);
        dd = 0;
        for (int q = 0; q < 3; q++) dd += pow(d->x[3 * n2[0] + q] - d->x[3 * n2[1] + q], 2);
        L += sqrt(dd);
    }
    return L;
}

typedef struct probe {
    double tlf, erector, glmax, hams, itb, calf, hipflex;
} probe;

static int solve_posture(fa_data *d, const fa_osim_pose *ref, fa_osim_pose *pose, probe *p)
{
    fa_data_reset(M, d);
    CHECK(fa_anatomy_set_body_poses(M, O, ref, pose, d) == 22);
    fa_kinematics_anchor(M, d);
    CHECK(fa_anatomy_carry_free_nodes(M, d) > 1000);
    fa_static_def def = fa_default_static_def();
    def.maxiter = 200;
    def.xtol = 1e-6; /* m: at the round-off floor of the force residual, accept a 1 um remaining move */
    fa_static_report rep;
    fa_error err;
    fa_status st = fa_solve_static(M, d, &def, &rep, &err);
    CHECK_MSG(st == FA_OK, "static solve: %s (iterations %d, residual %g N)", err.msg, rep.iterations, rep.residual);
    p->tlf = mean_strain(d, "structure.tlf_posterior");
    p->erector = mean_strain(d, "structure.tlf_erector_band_r");
    p->glmax = d->elem_strain[elem("gluteus_maximus_r")];
    p->hams = mean_strain(d, "hamstrings_r");
    p->itb = mean_strain(d, "structure.iliotibial_band_r");
    p->calf = mean_strain(d, "calf_r");
    p->hipflex = cord_mean(d, "psoas_r_tendon");
    return st == FA_OK;
}

static void test_postures(void)
{
    fa_osim_pose ref, pose;
    fa_error err;
    CHECK(fa_osim_pose_init(O, &ref, &err) == FA_OK);
    CHECK(fa_osim_pose_init(O, &pose, &err) == FA_OK);
    CHECK(fa_anatomy_posture(A, O, "standing", &ref, &err) == FA_OK);
    fa_data *d = fa_data_alloc(M, 0);
    CHECK(d != NULL);
    if (!d) return;
    /* the reference posture gives identity body poses */
    fa_anatomy_set_body_poses(M, O, &ref, &ref, d);
    for (int b = 0; b < M->nbody; b++)
        for (int k = 0; k < 9; k++) CHECK_NEAR(d->body_xmat[9 * b + k], (k % 4 == 0) ? 1.0 : 0.0, 1e-14);
    /* in a posture, a station's anchor sits on its landmark as OpenSim places it (the anchored
     * node itself, or for a free station of a grade A/B line its anchored copy <landmark>.bone) */
    CHECK(fa_anatomy_posture(A, O, "desk_slumped", &pose, &err) == FA_OK);
    fa_anatomy_set_body_poses(M, O, &ref, &pose, d);
    fa_kinematics_anchor(M, d);
    static const char *const lms[] = {"calc_tuber_r", "isch_tuber_l", "sp_t12", "tib_condyle_lat_r", "occ_ridge", NULL};
    for (int i = 0; lms[i]; i++) {
        char bn[96];
        snprintf(bn, sizeof bn, "%s.bone", lms[i]);
        int n = fa_model_find(M, "node", bn) >= 0 ? fa_model_find(M, "node", bn) : fa_model_find(M, "node", lms[i]);
        int k = fa_anatomy_landmark(A, lms[i]);
        CHECK(n >= 0 && k >= 0);
        if (n < 0 || k < 0) continue;
        double x[3];
        fa_osim_point_world(&pose, fa_osim_find_body(O, A->lm_body[k]), A->lm_pos + 3 * k, x);
        for (int q = 0; q < 3; q++) CHECK_NEAR(d->x[3 * n + q], x[q], 2e-6); /* positions are written to 1 um */
    }
    probe stand, slump, ober, ober_abd, calf;
    /* muscle-tendon length changes against OpenSim's path lengths (wrapping included) */
    {
        static const char *const trk[] = {"semimembranosus_r", "biceps_femoris_r", "gastrocnemius_med_r", "rectus_femoris_r",
                                           "vastus_lateralis_l", "gluteus_maximus_l", "psoas_r", "tibialis_anterior_r",
                                           "adductor_longus_r", "sartorius_r", NULL};
        static const char *const osm[] = {"semimem_r", "bflh_r", "gasmed_r", "recfem_r", "vaslat_l", "glmax3_l", "psoas_r",
                                           "tibant_r", "addlong_r", "sart_r"};
        static const char *const pst[] = {"desk_slumped", "lunge", "calf_stretch", NULL};
        double Lref[16];
        fa_anatomy_posture(A, O, "standing", &pose, &err);
        fa_data_reset(M, d);
        for (int i = 0; trk[i]; i++) Lref[i] = mtu_length(d, trk[i]);
        for (int p = 0; pst[p]; p++) {
            probe tmp;
            fa_anatomy_posture(A, O, pst[p], &pose, &err);
            solve_posture(d, &ref, &pose, &tmp);
            for (int i = 0; trk[i]; i++) {
                int mo = fa_osim_find_muscle(O, osm[i]);
                double dm = mtu_length(d, trk[i]) - Lref[i];
                double dosim = fa_osim_muscle_length(O, &pose, mo) - fa_osim_muscle_length(O, &ref, mo);
                printf("%-14s %-22s dL model %+.4f m, OpenSim %+.4f m\n", pst[p], trk[i], dm, dosim);
                /* muscles that cross no knee follow OpenSim's length change: same sign, and
                 * within 1 cm or a factor 2.5 (straight fibres, no wrapping, soft gliding ties) */
                if (i >= 5 && dosim > 0.005) { /* lengthening: the unit is taut and straightened */
                    CHECK_MSG(dm > 0, "%s in %s: model %+.4f m vs OpenSim %+.4f m", trk[i], pst[p], dm, dosim);
                    CHECK_MSG(fabs(dm - dosim) < 0.01 || (dm < 2.5 * dosim && dosim < 2.5 * dm),
                              "%s in %s: model %+.4f m vs OpenSim %+.4f m", trk[i], pst[p], dm, dosim);
                }
                /* shortening: a slack unit keeps its arc length on the bones, it must not lengthen */
                if (i >= 5 && dosim < -0.005) CHECK_MSG(dm < 0.005, "%s in %s: model %+.4f m vs OpenSim %+.4f m", trk[i], pst[p], dm, dosim);
                /* units crossing the knee (hamstrings, gastrocnemius, rectus femoris) follow OpenSim's
                 * wrapped path to 1.1 cm whether they lengthen, shorten or stay: their nodes at the knee
                 * ride the femur or tibia along which the unit runs, and the gastrocnemius bulges over
                 * OpenSim's calf wrap cylinder (before: semimembranosus +3.1 cm in slumped sitting where
                 * OpenSim has +0.2 cm, gastrocnemius -0.6 cm where OpenSim has -4.0 cm). What is left is
                 * semimembranosus's track starting at the SBL's ischial station, 8 mm from its origin. */
                if (i < 4) {
                    /* 1.2 cm: the gastrocnemius in the lunge is 1.1 cm short of OpenSim's shortening
                     * since its calcaneal station is an anchored enthesis (the free station had slid
                     * 1.6 mm towards the knee and hidden part of the slack) */
                    CHECK_MSG(fabs(dm - dosim) < 0.012, "%s in %s: model %+.4f m vs OpenSim %+.4f m", trk[i], pst[p], dm, dosim);
                    if (fabs(dosim) > 0.005) CHECK_MSG(dm * dosim > 0, "%s in %s: model %+.4f m vs OpenSim %+.4f m", trk[i], pst[p], dm, dosim);
                }
            }
        }
    }
    fa_anatomy_posture(A, O, "standing", &pose, &err);
    solve_posture(d, &ref, &pose, &stand);
    fa_anatomy_posture(A, O, "desk_slumped", &pose, &err);
    solve_posture(d, &ref, &pose, &slump);
    printf("standing: tlf %.4f erector %.4f glmax %.4f hamstrings %.4f itb %.4f calf %.4f psoas tendon %.4f\n", stand.tlf,
           stand.erector, stand.glmax, stand.hams, stand.itb, stand.calf, stand.hipflex);
    printf("slumped:  tlf %.4f erector %.4f glmax %.4f hamstrings %.4f itb %.4f calf %.4f psoas tendon %.4f\n", slump.tlf,
           slump.erector, slump.glmax, slump.hams, slump.itb, slump.calf, slump.hipflex);
    CHECK(slump.tlf > stand.tlf + 1e-3);         /* lumbar flexion lengthens the TLF */
    CHECK(slump.erector > stand.erector + 1e-3); /* and the back line over the erectors */
    CHECK(slump.glmax > stand.glmax + 1e-2);     /* hip flexion lengthens gluteus maximus */
    CHECK(slump.hams > stand.hams);              /* and the hamstrings (knee flexion partly offsets) */
    CHECK(slump.hipflex <= stand.hipflex + 1e-9); /* the one-joint hip flexor (psoas) is not stretched */
    CHECK(fa_anatomy_posture(A, O, "ober", &pose, &err) == FA_OK);
    solve_posture(d, &ref, &pose, &ober);
    pose.q[fa_osim_find_coord(O, "hip_adduction_r")] = -20.0 * 3.14159265358979323846 / 180.0;
    fa_osim_fk(O, &pose);
    solve_posture(d, &ref, &pose, &ober_abd);
    printf("ober: itb strain adducted 10 deg %.4f, abducted 20 deg %.4f\n", ober.itb, ober_abd.itb);
    CHECK(ober.itb > ober_abd.itb + 1e-3); /* adduction stretches the ITB */
    CHECK(fa_anatomy_posture(A, O, "calf_stretch", &pose, &err) == FA_OK);
    solve_posture(d, &ref, &pose, &calf);
    double calf_l = mean_strain(d, "calf_l");
    printf("calf stretch: calf_l %.4f (standing %.4f)\n", calf_l, stand.calf);
    CHECK(calf_l > stand.calf + 1e-3); /* ankle dorsiflexion with a straight knee stretches the calf */
    fa_data_free(d);
    fa_osim_pose_free(&ref);
    fa_osim_pose_free(&pose);
}

/* Series force transmission: an active muscle pulls its tendon and the
 * track it inserts into; the gliding layer takes only a small share. */
static void test_transmission(void)
{
    fa_osim_pose ref;
    fa_error err;
    CHECK(fa_osim_pose_init(O, &ref, &err) == FA_OK);
    CHECK(fa_anatomy_posture(A, O, "standing", &ref, &err) == FA_OK);
    fa_data *d = fa_data_alloc(M, 0);
    if (!d) return;
    fa_anatomy_set_body_poses(M, O, &ref, &ref, d);
    fa_kinematics_anchor(M, d);
    int gm = fa_model_find(M, "muscle", "gastrocnemius_med_r"), tfl = fa_model_find(M, "muscle", "tfl_r");
    CHECK(gm >= 0 && tfl >= 0);
    if (gm < 0 || tfl < 0) return;
    d->muscle_act[gm] = 0.5;
    d->muscle_act[tfl] = 0.5;
    fa_static_def def = fa_default_static_def();
    def.maxiter = 200;
    fa_static_report rep;
    CHECK_MSG(fa_solve_static(M, d, &def, &rep, &err) == FA_OK, "%s", err.msg);
    double fm = d->elem_force[fa_elem_index(M, FA_MUSCLE, gm)];
    double ft0 = d->elem_force[elem("gastrocnemius_med_r_tendon.0")];
    /* last Achilles segment (at the calcaneus) */
    double ftn = 0;
    for (int s = 0; s < 64; s++) {
        char nm[64];
        snprintf(nm, sizeof nm, "gastrocnemius_med_r_tendon.%d", s);
        int e = fa_model_lookup(M, "element", nm);
        if (e < 0) break;
        ftn = d->elem_force[e];
    }
    double fitb = d->elem_force[elem("iliotibial_band_r.0")], ftfl = d->elem_force[fa_elem_index(M, FA_MUSCLE, tfl)];
    printf("activation 0.5: gastrocnemius %.1f N, Achilles %.1f N at the MTJ, %.1f N at the heel; TFL %.1f N, ITB at Gerdy %.1f N\n",
           fm, ft0, ftn, ftfl, fitb);
    CHECK(fm > 100);
    CHECK_REL(ft0, fm, 0.05);      /* the MTJ node is in equilibrium: tendon = fibres minus the glide */
    CHECK(ftn > 0.5 * fm);         /* tension reaches the calcaneus */
    CHECK(fitb > 0.1 * ftfl);      /* TFL tension reaches Gerdy's tubercle through the ITB */
    fa_data_free(d);
    fa_osim_pose_free(&ref);
}


/* Epimysial bags (bags.csv): every bag is listed as a structure; its collagen is crossed-ply
 * (two families mirrored about the muscle axis at the structure's helix angle); the bag follows its
 * belly's length change by reorienting (the tube narrows) instead of stretching like a cord along
 * the belly: in the toe-touch the semimembranosus belly lengthens by more than 40 % and its bag's
 * collagen by less than a fifth of that. */
/* The runner body built with the epimysial bag table (fa_runner_def.bags). */
static fa_model *bagged_body(void)
{
    char tmp[128];
    snprintf(tmp, sizeof tmp, "/tmp/fa_runner_bags_%d.yaml", (int)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) return NULL;
    fa_runner_def def = fa_runner_default_def();
    def.osim_label = OSIM;
    def.bags = "data/anatomy/bags.csv";
    fa_error err;
    fa_status st = fa_runner_write(A, O, &def, f, &err);
    fclose(f);
    fa_model *m = NULL;
    if (st == FA_OK) st = fa_model_load(tmp, &m, &err);
    if (st != FA_OK) fprintf(stderr, "bagged body: %s\n", err.msg);
    remove(tmp);
    return m;
}

static void test_bags(void)
{
    static const char *const units[] = {"rectus_femoris", "vastus_lateralis", "semimembranosus", "biceps_femoris",
                                        "gluteus_maximus", "gluteus_maximus_upper", "tfl", "gastrocnemius_med",
                                        "gastrocnemius_lat", "soleus", NULL};
    for (int i = 0; units[i]; i++)
        for (int s = 0; s < 2; s++) {
            char nm[96];
            snprintf(nm, sizeof nm, "structure.epimysium_%s_%c", units[i], s ? 'l' : 'r');
            int r = fa_model_find(M, "region", nm);
            CHECK_MSG(r >= 0 && M->region_num[r] > 36, "bag %s missing or without its joins", nm);
        }
    /* crossed-ply: both families at 55 deg from the belly axis (origin -> MTJ), on either side */
    int mu = fa_model_find(M, "muscle", "semimembranosus_r");
    int rg = fa_model_find(M, "region", "structure.epimysium_semimembranosus_r");
    CHECK(mu >= 0 && rg >= 0);
    if (mu < 0 || rg < 0) return;
    int n0 = M->muscle_node[2 * mu], n1 = M->muscle_node[2 * mu + 1];
    double ax[3], La = 0;
    for (int q = 0; q < 3; q++) ax[q] = M->node_pos0[3 * n1 + q] - M->node_pos0[3 * n0 + q], La += ax[q] * ax[q];
    La = sqrt(La);
    for (int q = 0; q < 3; q++) ax[q] /= La;
    int nmem = 0, mirrored = 0;
    for (int k = 0; k < M->region_num[rg]; k++) {
        int e = M->region_elem[M->region_adr[rg] + k], loc;
        if (fa_elem_kind(M, e, &loc) != FA_MEMBRANE) continue;
        const int *nd = M->mem_node + 3 * loc;
        double a1[3], a2[3], nrm[3], f1[3], f2[3], c[3];
        for (int q = 0; q < 3; q++) {
            a1[q] = M->node_pos0[3 * nd[1] + q] - M->node_pos0[3 * nd[0] + q];
            a2[q] = M->node_pos0[3 * nd[2] + q] - M->node_pos0[3 * nd[0] + q];
        }
        nrm[0] = a1[1] * a2[2] - a1[2] * a2[1], nrm[1] = a1[2] * a2[0] - a1[0] * a2[2], nrm[2] = a1[0] * a2[1] - a1[1] * a2[0];
        double nl = sqrt(nrm[0] * nrm[0] + nrm[1] * nrm[1] + nrm[2] * nrm[2]);
        for (int q = 0; q < 3; q++) nrm[q] /= nl, f1[q] = M->mem_fibre[3 * loc + q];
        c[0] = nrm[1] * f1[2] - nrm[2] * f1[1], c[1] = nrm[2] * f1[0] - nrm[0] * f1[2], c[2] = nrm[0] * f1[1] - nrm[1] * f1[0];
        double al = M->mat_fib2_angle[M->mem_mat[loc]], d1 = 0, d2 = 0;
        for (int q = 0; q < 3; q++) f2[q] = cos(al) * f1[q] + sin(al) * c[q], d1 += f1[q] * ax[q], d2 += f2[q] * ax[q];
        double t1 = acos(fabs(d1)) * 57.29577951308232, t2 = acos(fabs(d2)) * 57.29577951308232;
        nmem++;
        if (fabs(t1 - 55) < 3 && fabs(t2 - 55) < 3 && d1 * d2 < 0.5) mirrored++; /* f1.f2 = cos 110 deg */
    }
    CHECK(nmem == 36);
    CHECK_MSG(mirrored == nmem, "crossed-ply: %d of %d triangles with both families at 55 deg from the axis", mirrored, nmem);
    /* toe-touch: belly strain vs the bag's collagen */
    fa_osim_pose ref, pose;
    fa_error err;
    CHECK(fa_osim_pose_init(O, &ref, &err) == FA_OK);
    CHECK(fa_osim_pose_init(O, &pose, &err) == FA_OK);
    CHECK(fa_anatomy_posture(A, O, "standing", &ref, &err) == FA_OK);
    CHECK(fa_anatomy_posture(A, O, "forward_fold", &pose, &err) == FA_OK);
    fa_data *d = fa_data_alloc(M, 0);
    probe p;
    if (d && solve_posture(d, &ref, &pose, &p)) {
        double L = 0, bag = -1;
        for (int q = 0; q < 3; q++) L += pow(d->x[3 * n1 + q] - d->x[3 * n0 + q], 2);
        double belly = sqrt(L) / La - 1.0;
        for (int k = 0; k < M->region_num[rg]; k++) {
            int e = M->region_elem[M->region_adr[rg] + k], loc;
            fa_kind kd = fa_elem_kind(M, e, &loc);
            if (kd == FA_MEMBRANE || kd == FA_CORD) bag = fmax(bag, d->elem_strain[e]);
        }
        printf("forward fold: semimembranosus belly (origin -> MTJ) strain %.3f, its bag's collagen and ties at most %.4f\n",
               belly, bag);
        CHECK(belly > 0.4);
        CHECK(bag >= 0 && bag < 0.2 * belly);
    }
    fa_data_free(d);
    fa_osim_pose_free(&ref);
    fa_osim_pose_free(&pose);
}

int main(void)
{
    fa_error err;
    if (fa_anatomy_load("data/anatomy", &A, &err) != FA_OK || fa_osim_load(OSIM, &O, &err) != FA_OK ||
        fa_model_load(BODY, &M, &err) != FA_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    test_regenerate();
    test_contents();
    test_sizing();
    test_postures();
    test_transmission();
    /* the default body has no bags (opt-in: build-runner --bags); the bag checks run on the
     * body built with the bag table */
    CHECK(fa_model_find(M, "region", "structure.epimysium_semimembranosus_r") < 0);
    fa_model *plain = M, *bagged = bagged_body();
    CHECK(bagged != NULL);
    if (bagged) {
        M = bagged;
        test_bags();
        fa_model_free(bagged);
    }
    M = plain;
    fa_model_free(M);
    fa_anatomy_free(A);
    fa_osim_free(O);
    TEST_MAIN_END();
}
