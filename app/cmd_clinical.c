/* SPDX-License-Identifier: MIT */
/* fascia test-clinical: passive-resistance clinical tests on a body on the
 * Rajagopal 2016 skeleton, the remote effect of a leg stretch on cervical
 * flexion, and the ITB's elastic energy per stride in running vs walking. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_util.h"
#include "fascia/clinical.h"
#include "fascia/life.h"
#include "fascia/load.h"
#include "fascia/report.h"

/* frames per replayed stride of fascia run (app/cmd_life.c, the same value): the habitual day's
 * walking stride, so the healthy state here is bit for bit the state fascia run starts from */
#define FA_RUN_STRIDE_FRAMES 24

/* The healthy person (fa_life_habitual_state): the tissue state `fascia run` starts from, with
 * fascia run's kinematics (the runner body's, muscles working in the strides unless passive) and
 * stride frames. */
static fa_status fa_cmd_healthy_state(const fa_model *m, int habitual, int passive, int stride_frames, fa_data *out,
                                      fa_error *err)
{
    char data[1024];
    fa_cli_data_dir(data, sizeof data);
    fa_life_def def = fa_default_life_def();
    def.stride_frames = stride_frames;
    def.habitual_day = habitual;
    fa_life_osim *kin = NULL;
    fa_status s = fa_cli_runner_kin(m, data, passive, &kin, &def.kin, err);
    if (!s) s = fa_life_habitual_state(m, &def, out, err);
    fa_life_osim_free(kin);
    return s;
}

/* --state: a run checkpoint (fascia run --checkpoint, magic FALIFE1) or a report-stage state
 * (fa_checkpoint_save, FASCIACP) */
static fa_status load_state(const char *path, const fa_model *m, fa_data *d, fa_error *err)
{
    char magic[8] = {0};
    FILE *f = fopen(path, "rb");
    if (f) {
        if (fread(magic, 1, sizeof magic, f) != sizeof magic) magic[0] = 0;
        fclose(f);
    }
    if (!memcmp(magic, "FALIFE1\n", 8)) return fa_life_checkpoint_state(m, path, d, NULL, err);
    return fa_checkpoint_load(path, m, d, NULL, NULL, err);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: fascia test-clinical [BODY] [--state CHECKPOINT] [--stretch] [--gait] [--frames N]\n"
            "                            [--curve TEST] [--calibrate] [--osim FILE] [--anatomy DIR]\n"
            "                            [--stride-frames N] [--no-habitual-day] [--passive]\n\n"
            "Run the passive clinical tests (sit-and-reach, straight leg raise, Ober, Thomas,\n"
            "knee-to-wall, cervical flexion) on BODY (default: the runner body) in its healthy\n"
            "state or in the tissue state of CHECKPOINT (a `fascia run --checkpoint` file or an\n"
            "fa_checkpoint_save state): each test's value, the adult norm, inside/outside and\n"
            "the norm's evidence grade. A value whose end-point torque lies beyond the test's\n"
            "drive range is shown as '> bound' or '< bound' (out of range), never as a measured\n"
            "number.\n"
            "The healthy state is the one `fascia run` starts a person from: every physiology\n"
            "module at its steady state under the reference person's ordinary day on BODY\n"
            "(sleep, upright sitting, four walks, standing; fa_life_habitual_state).\n"
            "  --stretch    also: 3 x 30 s hamstring and calf stretch of both legs, then SLR,\n"
            "               knee-to-wall and cervical flexion again (remote effect), and the\n"
            "               local neck stretch; each change split into network and tolerance parts\n"
            "  --gait       also: ITB energy per stride and peak strain, running vs walking\n"
            "               (Rajagopal 2016 motions), with the time per stride\n"
            "  --frames N   frames per replayed stride (default: every recorded frame)\n"
            "  --calibrate  print, per test, the drive angle where the healthy body's value equals\n"
            "               the norm's centre and the resistance there (the end-point torque)\n"
            "  --curve TEST print the passive resistance R(theta) of one test (id: sit_reach, slr,\n"
            "               ober, thomas, knee_to_wall, cervical_flexion) by virtual work and by\n"
            "               the energy difference\n"
            "  --stride-frames N  frames per walking stride of the healthy state's habitual day\n"
            "               (default 24, as fascia run; 0 = every recorded frame)\n"
            "  --no-habitual-day  healthy state = steady state under the single stim.* reference\n"
            "               day (fascia run --no-habitual-day)\n"
            "  --passive    healthy state with every muscle passive in the habitual day's strides\n"
            "               (fascia run --passive); by default the muscles work in them\n");
}

static int gait_report(const fa_model *m, const fa_osim *o, const fa_anatomy *a, const fa_data *state, int frames)
{
    static const char *const files[2] = {"opensim/motions/running_rajagopal2016/subject01_run_IK.mot",
                                         "opensim/motions/walking_rajagopal2016/subject_walk_armless_coordinates.mot"};
    static const char *const names[2] = {"running", "walking"};
    fa_error err;
    double mass = 0.0;
    for (int b = 0; b < o->nbody; b++) mass += o->body_mass[b];
    fa_osim_pose ref;
    memset(&ref, 0, sizeof ref);
    if (fa_osim_pose_init(o, &ref, &err) || fa_anatomy_posture(a, o, "standing", &ref, &err)) {
        fprintf(stderr, "fascia test-clinical: %s\n", err.msg);
        fa_osim_pose_free(&ref);
        return 1;
    }
    fa_data *d = fa_data_alloc(m, 0);
    if (!d) {
        fa_osim_pose_free(&ref);
        return 1;
    }
    if (state) fa_data_copy(m, d, state);
    printf("\nITB elastic energy per stride (right iliotibial band cords; quasi-static replay; body %.1f kg)\n", mass);
    printf("%-8s %7s %7s %10s %10s %10s %11s %11s %9s\n", "gait", "frames", "period", "stored J", "returned J",
           "J/kg", "peak strain", "rate 1/s", "s/stride");
    int rc = 0;
    double J[2] = {0, 0};
    for (int g = 0; g < 2 && !rc; g++) {
        char path[1024];
        fa_osim_motion mot;
        fa_gait_result r;
        memset(&r, 0, sizeof r);
        fa_cli_data_path(files[g], path, sizeof path);
        if (fa_osim_motion_load(path, &mot, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            rc = 1;
            break;
        }
        fa_gait_def gd = fa_gait_default_def();
        gd.frames = frames;
        double S = 0, R = 0, P = 0;
        if (fa_gait_stride(m, d, o, &ref, &mot, &gd, &r, &err) ||
            fa_gait_region(m, &r, "structure.iliotibial_band_r", &S, &R, &P, &err)) {
            fprintf(stderr, "fascia test-clinical: %s: %s\n", names[g], err.msg);
            rc = 1;
        } else {
            double rate = 0.0;
            int rg = fa_model_find(m, "region", "structure.iliotibial_band_r");
            for (int k = 0; rg >= 0 && k < m->region_num[rg]; k++) {
                int e = m->region_elem[m->region_adr[rg] + k];
                if (fa_elem_kind(m, e, NULL) == FA_CORD && r.rate_peak[e] > rate) rate = r.rate_peak[e];
            }
            J[g] = S;
            printf("%-8s %7d %7.3f %10.4g %10.4g %10.3g %11.4f %11.3f %9.3f%s\n", names[g], r.nframe, r.period, S, R,
                   S / mass, P, rate, r.seconds, r.noconv ? " (some frames did not converge)" : "");
        }
        fa_gait_result_free(&r);
        fa_osim_motion_free(&mot);
    }
    if (!rc) printf("running / walking stored energy: %.2f\n", J[1] > 0 ? J[0] / J[1] : NAN);
    fa_data_free(d);
    fa_osim_pose_free(&ref);
    return rc;
}

int fa_cmd_test_clinical(int argc, char **argv)
{
    char body_def[1024], osim_def[1024], dir_def[1024];
    const char *body = fa_cli_data_path("bodies/runner.yaml", body_def, sizeof body_def);
    const char *osim_path = fa_cli_data_path("opensim/models/opensim4/Rajagopal2016.osim", osim_def, sizeof osim_def);
    const char *dir = fa_cli_data_path("anatomy", dir_def, sizeof dir_def);
    const char *state_path = NULL, *curve = NULL;
    int stretch = 0, gait = 0, calibrate = 0, frames = 0, have_body = 0, habitual = 1, passive = 0;
    double stride_frames = FA_RUN_STRIDE_FRAMES;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--stretch")) {
            stretch = 1;
            continue;
        }
        if (!strcmp(argv[i], "--calibrate")) {
            calibrate = 1;
            continue;
        }
        if (!strcmp(argv[i], "--gait")) {
            gait = 1;
            continue;
        }
        if (!strcmp(argv[i], "--passive")) {
            passive = 1;
            continue;
        }
        if (!strcmp(argv[i], "--no-habitual-day")) {
            habitual = 0;
            continue;
        }
        if (!strcmp(argv[i], "--stride-frames")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "fascia test-clinical: missing value for '%s'\n", argv[i]);
                return 2;
            }
            if (!fa_cli_whole("test-clinical", "--stride-frames", argv[++i], 0, &stride_frames)) return 2;
            continue;
        }
        const char **dst = !strcmp(argv[i], "--state") ? &state_path : !strcmp(argv[i], "--osim") ? &osim_path
                           : !strcmp(argv[i], "--anatomy") ? &dir : !strcmp(argv[i], "--curve") ? &curve : NULL;
        if (dst || !strcmp(argv[i], "--frames")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "fascia test-clinical: missing value for '%s'\n", argv[i]);
                return 2;
            }
            if (dst) {
                *dst = argv[++i];
            } else {
                double v;
                if (!fa_cli_number("test-clinical", "--frames", argv[++i], &v)) return 2;
                if (v < 0 || v != floor(v) || v > 100000) {
                    fprintf(stderr, "fascia test-clinical: --frames expects a whole number >= 0, found '%s'\n", argv[i]);
                    return 2;
                }
                frames = (int)v;
            }
        } else if (argv[i][0] == '-' || have_body) {
            fprintf(stderr, "fascia test-clinical: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else {
            body = argv[i];
            have_body = 1;
        }
    }
    int ct = -1;
    if (curve && (ct = fa_clinical_find(curve)) < 0) {
        fprintf(stderr, "fascia test-clinical: --curve expects a test id (sit_reach, slr, ober, thomas, knee_to_wall, "
                        "cervical_flexion), found '%s'\n", curve);
        return 2;
    }
    fa_error err;
    fa_anatomy *a = NULL;
    fa_osim *o = NULL;
    fa_model *m = NULL;
    fa_data *st = NULL;
    fa_clinical *c = NULL;
    int rc = 0;
    if (fa_anatomy_load(dir, &a, &err) || fa_osim_load(osim_path, &o, &err) || fa_model_load(body, &m, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        rc = 1;
        goto done;
    }
    st = fa_data_alloc(m, 0);
    if (!st) {
        fprintf(stderr, "fascia test-clinical: out of memory\n");
        rc = 1;
        goto done;
    }
    if (state_path ? load_state(state_path, m, st, &err) != FA_OK
                   : fa_cmd_healthy_state(m, habitual, passive, (int)stride_frames, st, &err) != FA_OK) {
        fprintf(stderr, "fascia test-clinical: %s%s\n", state_path ? "" : "healthy state: ", err.msg);
        rc = 1;
        goto done;
    }
    if (fa_clinical_create(m, o, a, NULL, &c, &err)) {
        fprintf(stderr, "fascia test-clinical: %s\n", err.msg);
        rc = 1;
        goto done;
    }
    fa_clinical_set_state(c, st);
    if (calibrate) {
        double th[FA_CLIN_NTEST], tq[FA_CLIN_NTEST];
        if (fa_clinical_calibrate(c, th, tq, &err)) {
            fprintf(stderr, "fascia test-clinical: %s\n", err.msg);
            rc = 1;
            goto done;
        }
        printf("test,norm_mid,unit,theta_deg,torque_Nm_per_rad\n");
        for (int t = 0; t < FA_CLIN_NTEST; t++) {
            const fa_clin_info *in = fa_clinical_info(t);
            printf("%s,%.4g,%s,%.4f,%.6g\n", in->id, in->norm_mid, in->unit, th[t], tq[t]);
        }
        goto done;
    }
    if (ct >= 0) {
        const fa_clin_info *in = fa_clinical_info(ct);
        printf("%s: passive resistance R = dPsi/dtheta (N m/rad)\n%8s %10s %12s %12s %12s\n", in->title, "theta", "value",
               "R (virtual)", "R (energy)", "Psi (J)");
        for (double th = 0.0; th <= in->theta_max + 1e-9; th += in->theta_max / 18.0) {
            double R, Rf, psi;
            if (fa_clinical_torque(c, ct, th, &R, &psi, 0.5, &Rf, &err)) {
                fprintf(stderr, "fascia test-clinical: %s\n", err.msg);
                rc = 1;
                goto done;
            }
            printf("%8.2f %10.2f %12.5g %12.5g %12.5g\n", th, fa_clinical_value(c, ct, th), R, Rf, psi);
        }
        goto done;
    }
    fa_clinical_result res;
    if (fa_clinical_all(c, &res, &err)) {
        fprintf(stderr, "fascia test-clinical: %s\n", err.msg);
        rc = 1;
        goto done;
    }
    printf("clinical tests on %s (%s)\n\n", body,
           state_path ? state_path : habitual ? "healthy state: the habitual day's steady state"
                                              : "healthy state: the stim.* reference day's steady state");
    fa_clinical_print(&res, stdout);
    printf("\n%d static solves (%d not converged); end-point torques calibrated once on the healthy runner body\n"
           "(data/clinical/calibration.csv); norms and sources: data/clinical/norms.csv\n",
           res.solves, res.noconv);
    if (stretch) {
        fa_stretch_def sd = fa_stretch_default_def();
        fa_stretch_result sr, nr;
        fa_clinical *cn = NULL;
        if (fa_clinical_stretch(c, &sd, &sr, &err)) {
            fprintf(stderr, "fascia test-clinical: stretch: %s\n", err.msg);
            rc = 1;
            goto done;
        }
        /* the local stretch of Wilke et al. 2017 on a fresh context (the same state) */
        fa_stretch_def nd = sd;
        nd.neck = 1;
        nd.measure = 1 << FA_CLIN_CERVICAL;
        if (fa_clinical_create(m, o, a, NULL, &cn, &err)) {
            fprintf(stderr, "fascia test-clinical: %s\n", err.msg);
            rc = 1;
            goto done;
        }
        fa_clinical_set_state(cn, st);
        int sn = fa_clinical_stretch(cn, &nd, &nr, &err);
        fa_clinical_free(cn);
        if (sn) {
            fprintf(stderr, "fascia test-clinical: neck stretch: %s\n", err.msg);
            rc = 1;
            goto done;
        }
        printf("\nstretch 3 x %.0f s (rest %.0f s), measured %.0f s after the last hold; change = network (tissue\n"
               "relaxation, residual r = %.4f of the held strain increase) + tolerance (end-point torque risen\n"
               "%.1f %% in the stretched region, %.1f %% elsewhere)\n",
               sd.hold, sd.rest, sd.t_after, sr.relax, 100.0 * fa_stretch_tolerance(&sd, 1),
               100.0 * fa_stretch_tolerance(&sd, 0));
        printf("leg stretch (hamstrings at the SLR end range, calves at the knee-to-wall angle, both legs):\n"
               "  %d elements gained rest length (largest %.4f %%)\n"
               "  %-15s %7s %7s %8s %8s %8s\n", sr.nelem_changed, 100.0 * sr.rest_gain_max, "", "before", "after",
               "change", "network", "toleran.");
        printf("  %-15s %7.2f %7.2f %+8.2f %+8.2f %+8.2f  deg (local)\n", "SLR", sr.slr_before, sr.slr_after,
               sr.slr_after - sr.slr_before, sr.slr_mech - sr.slr_before, sr.slr_after - sr.slr_mech);
        printf("  %-15s %7.2f %7.2f %+8.2f %+8.2f %+8.2f  cm  (local)\n", "knee-to-wall", sr.ktw_before, sr.ktw_after,
               sr.ktw_after - sr.ktw_before, sr.ktw_mech - sr.ktw_before, sr.ktw_after - sr.ktw_mech);
        printf("  %-15s %7.2f %7.2f %+8.2f %+8.2f %+8.2f  deg (remote)\n", "cervical flex.", sr.cerv_before,
               sr.cerv_after, sr.cerv_after - sr.cerv_before, sr.cerv_mech - sr.cerv_before, sr.cerv_after - sr.cerv_mech);
        printf("  (network part: resistance at the pre-stretch end angle %+.2f %% SLR, %+.2f %% knee-to-wall,\n"
               "   %+.1e %% cervical flexion)\n", 100.0 * sr.rho_slr, 100.0 * sr.rho_ktw, 100.0 * sr.rho_cerv);
        printf("neck stretch (neck held at its cervical flexion end range):\n"
               "  %d elements gained rest length (largest %.4f %%); resistance at the end angle %+.2f %%\n",
               nr.nelem_changed, 100.0 * nr.rest_gain_max, 100.0 * nr.rho_cerv);
        printf("  %-15s %7.2f %7.2f %+8.2f %+8.2f %+8.2f  deg (local)\n", "cervical flex.", nr.cerv_before,
               nr.cerv_after, nr.cerv_after - nr.cerv_before, nr.cerv_mech - nr.cerv_before, nr.cerv_after - nr.cerv_mech);
        printf("  Wilke et al. 2017 (J Sports Sci 35:2021): leg and neck stretching raised cervical range alike\n"
               "  (no difference); here the legs' pull does not reach the neck (network part ~0) and the remote\n"
               "  gain is the nervous tolerance part alone (docs/clinical.md)\n");
    }
    if (gait) rc = gait_report(m, o, a, st, frames);
done:
    fa_clinical_free(c);
    fa_data_free(st);
    fa_model_free(m);
    fa_osim_free(o);
    fa_anatomy_free(a);
    return rc;
}
