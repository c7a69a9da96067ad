/* SPDX-License-Identifier: MIT */
/* fascia run — the main job: play a scenario (a runner's daily life) on the
 * runner body and report what it did to their fascia. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_util.h"
#include "fascia/life.h"
#include "fascia/load.h"
#include "fascia/report.h"
#include "fascia/scenario.h"

/* Clinical tests before/after when the library has the clinical stage. */
#if defined(__has_include)
#if __has_include("fascia/clinical.h")
#include "fascia/clinical.h"
#define FA_RUN_CLINICAL 1
#endif
#endif
#ifndef FA_RUN_CLINICAL
#define FA_RUN_CLINICAL 0
#endif

/* frames per replayed stride (--stride-frames; fascia test-clinical builds its healthy state with
 * the same value, app/cmd_clinical.c) */
#define FA_RUN_STRIDE_FRAMES 24

#if FA_RUN_CLINICAL
/* The clinical tests on a tissue state (the runner body's skeleton and
 * anatomy tables from the data folder). */
static int clinical(const fa_model *m, const fa_data *d, const char *data, fa_clinical_result *res)
{
    char path[1024];
    fa_error err;
    fa_anatomy *an = NULL;
    fa_osim *os = NULL;
    int ok = 0;
    snprintf(path, sizeof path, "%s/anatomy", data);
    if (fa_anatomy_load(path, &an, &err) == FA_OK) {
        snprintf(path, sizeof path, "%s/opensim/models/opensim4/Rajagopal2016.osim", data);
        if (fa_osim_load(path, &os, &err) == FA_OK) {
            fa_clinical_def def = fa_clinical_default_def();
            ok = fa_clinical_run(m, d, os, an, &def, res, &err) == FA_OK;
        }
    }
    if (!ok) fprintf(stderr, "fascia run: clinical tests skipped: %s\n", err.msg);
    fa_osim_free(os);
    fa_anatomy_free(an);
    return ok;
}

/* DIR/clinical.csv (the summary's table and summary.json get the same rows
 * through fa_life_write_outputs_clinical / fa_life_print_summary_clinical). */
static void clinical_csv(const fa_clinical_result *a, const fa_clinical_result *b, int day0, int day1, const char *dir)
{
    char buf[4096], path[1100];
    size_t n = 0;
    /* a value out of the test's range is written as its bound with the side: "> 130", "< -30" */
    n += (size_t)snprintf(buf + n, sizeof buf - n, "test,unit,day_start,start,day_end,end,norm_lo,norm_hi,grade\n");
    for (int t = 0; t < FA_CLIN_NTEST && n < sizeof buf; t++) {
        const fa_clin_info *I = fa_clinical_info(t);
        const char *s0 = a->beyond[t] > 0 ? "> " : a->beyond[t] < 0 ? "< " : "";
        const char *s1 = b->beyond[t] > 0 ? "> " : b->beyond[t] < 0 ? "< " : "";
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s,%s,%d,%s%.9g,%d,%s%.9g,%.9g,%.9g,%c\n", I->id, I->unit, day0, s0,
                              a->value[t], day1, s1, b->value[t], I->norm_lo, I->norm_hi, I->grade);
    }
    fa_error err;
    snprintf(path, sizeof path, "%s/clinical.csv", dir);
    if (n < sizeof buf && fa_write_file_atomic(path, buf, n, &err) != FA_OK) fprintf(stderr, "fascia run: %s\n", err.msg);
}

/* The rows for the summary. */
static int clinical_rows(const fa_clinical_result *a, const fa_clinical_result *b, int day0, int day1,
                         fa_life_clinical *rows)
{
    for (int t = 0; t < FA_CLIN_NTEST; t++) {
        const fa_clin_info *I = fa_clinical_info(t);
        rows[t] = (fa_life_clinical){I->id,       I->title,   I->unit,        day0,          day1,
                                     a->value[t], b->value[t], I->norm_lo,     I->norm_hi,    I->grade,
                                     a->reached[t], b->reached[t], a->beyond[t], b->beyond[t]};
    }
    return FA_CLIN_NTEST;
}
#endif

static void usage(FILE *f)
{
    fprintf(f,
            "usage: fascia run [SCENARIO] [-o DIR] [--days N] [--checkpoint FILE] [--resume FILE]\n"
            "                  [--tol X] [--daily] [--stride-frames N] [--no-clinical] [--quiet]\n"
            "                  [--passive] [--no-habitual-day]\n"
            "\n"
            "Simulate a runner's daily life (default scenario: desk-runner) on the runner body and\n"
            "report what it did to their fascia: per-region stiffness, hydration, glide, adhesion,\n"
            "thickness and rest-length drift at start and end, the regions that changed most, pain\n"
            "and injury events, days off running, and the ITB's elastic energy per stride.\n"
            "\n"
            "SCENARIO is a built-in name (desk-runner, fleshman, fleshman:rule, ...) or a scenario\n"
            "file (YAML, optionally FILE:VARIANT).\n"
            "\n"
            "options:\n"
            "  -o DIR              output folder (default out/<scenario>): timeseries.csv, events.csv,\n"
            "                      summary.json\n"
            "  --days N            simulate the first N days only\n"
            "  --checkpoint FILE   save a checkpoint when the run stops (resume it with --resume)\n"
            "  --resume FILE       continue from a checkpoint of the same scenario and body\n"
            "  --tol X             mechanics cache tolerance (default 0.01: re-solve postures and\n"
            "                      strides when the tissue state drifted by 1 %%; tissue strained past\n"
            "                      the elastic limit counts with its own drift)\n"
            "  --daily             re-solve every posture and stride every day (the reference the\n"
            "                      cache is checked against; slower)\n"
            "  --stride-frames N   frames replayed per stride (default 24; 0 = every recorded frame)\n"
            "  --no-clinical       skip the clinical tests before and after (sit-and-reach, SLR, Ober,\n"
            "                      Thomas, knee-to-wall, cervical flexion; ~10 s each time)\n"
            "  --quiet             no summary on stdout\n"
            "  --passive           every muscle passive in the strides (activation 0: the behaviour before\n"
            "                      working muscles were the default); by default the muscles work in\n"
            "                      the replayed strides (data/anatomy/activation.csv, cited EMG envelopes)\n"
            "  --no-habitual-day   measure every element against the single stim.* reference day (the\n"
            "                      old default, for comparison) instead of the reference person's\n"
            "                      ordinary day on this body (sleep, walks, sitting, standing)\n");
}

static int file_exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int progress_cb(const fa_life *L, void *user)
{
    (void)user;
    static char label[] = "run";
    fa_cli_progress((double)fa_life_day(L) / fa_life_ndays(L), label);
    return 0;
}

int fa_cmd_run(int argc, char **argv)
{
    const char *name = "desk-runner", *outdir = NULL, *ck = NULL, *resume = NULL;
    double tol = 0.01, frames = FA_RUN_STRIDE_FRAMES, days = 0;
    int daily = 0;
    int quiet = 0, want_clinical = 1, passive = 0, habitual = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "-o") && more) {
            outdir = argv[++i];
        } else if (!strcmp(a, "--days") && more) {
            if (!fa_cli_whole("run", "--days", argv[++i], 1, &days)) return 2;
        } else if (!strcmp(a, "--checkpoint") && more) {
            ck = argv[++i];
        } else if (!strcmp(a, "--resume") && more) {
            resume = argv[++i];
        } else if (!strcmp(a, "--tol") && more) {
            if (!fa_cli_positive("run", "--tol", argv[++i], &tol)) return 2;
        } else if (!strcmp(a, "--daily")) {
            daily = 1;
        } else if (!strcmp(a, "--stride-frames") && more) {
            if (!fa_cli_whole("run", "--stride-frames", argv[++i], 0, &frames)) return 2;
        } else if (!strcmp(a, "--no-clinical")) {
            want_clinical = 0;
        } else if (!strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "--passive")) {
            passive = 1;
        } else if (!strcmp(a, "--activation")) {
            passive = 0; /* the default since activation was made the default; kept for old scripts */
        } else if (!strcmp(a, "--no-habitual-day")) {
            habitual = 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "fascia run: unknown option '%s' (or missing value)\n", a);
            usage(stderr);
            return 2;
        } else {
            name = a;
        }
    }

    fa_error err;
    fa_error_clear(&err);
    fa_scenario *sc = NULL;
    fa_status st;
    int is_file = file_exists(name) || strchr(name, '/') || strstr(name, ".yaml") || strstr(name, ".yml");
    st = is_file ? fa_scenario_load(name, &sc, &err) : fa_scenario_load_builtin(name, &sc, &err);
    if (st) {
        fprintf(stderr, "fascia run: %s\n", err.msg[0] ? err.msg : fa_status_str(st));
        if (!is_file) {
            fprintf(stderr, "fascia run: built-in scenarios:");
            for (int i = 0; fa_scenario_builtin_name(i); i++) fprintf(stderr, " %s", fa_scenario_builtin_name(i));
            fprintf(stderr, "\n");
        }
        return 1;
    }

    /* the body: "default" = the runner body built by `fascia build-runner` */
    char body[1024];
    if (!sc->person.body[0] || !strcmp(sc->person.body, "default")) {
        fa_cli_data_path("bodies/runner.yaml", body, sizeof body);
        if (!file_exists(body)) {
            fprintf(stderr,
                    "fascia run: the default runner body %s is missing; build it with `fascia build-runner`\n", body);
            fa_scenario_free(sc);
            return 1;
        }
    } else {
        snprintf(body, sizeof body, "%s", sc->person.body);
    }
    fa_model *m = NULL;
    st = fa_model_load(body, &m, &err);
    if (st) {
        fprintf(stderr, "fascia run: %s\n", err.msg);
        fa_scenario_free(sc);
        return 1;
    }

    char data[1024];
    fa_cli_data_dir(data, sizeof data);
    fa_life_def def = fa_default_life_def();
    def.mech_tol = tol;
    def.resolve_daily = daily;
    def.stride_frames = (int)frames;
    def.ndays = (int)days;
    def.habitual_day = habitual;
    fa_life_osim *kin = NULL;
    fa_life *L = NULL;
    int rc = 1;
    st = fa_cli_runner_kin(m, data, passive, &kin, &def.kin, &err);
    if (st) {
        fprintf(stderr, "fascia run: kinematics of the runner body: %s\n", err.msg);
        goto out;
    }
    st = fa_life_create(m, sc, &def, &L, &err);
    if (!st && resume) st = fa_life_load(L, resume, &err);
    if (st) {
        fprintf(stderr, "fascia run: %s\n", err.msg);
        goto out;
    }
#if FA_RUN_CLINICAL
    fa_clinical_result clin0, clin1;
    int clin_ok = want_clinical && clinical(m, fa_life_data(L), data, &clin0);
    int clin_day0 = fa_life_day(L);
#else
    (void)want_clinical;
#endif
    st = fa_life_run(L, def.ndays, progress_cb, NULL, &err);
    fa_cli_progress_done();
    if (st) {
        fprintf(stderr, "fascia run: day %d: %s\n", fa_life_day(L) + 1, err.msg);
        if (ck && fa_life_save(L, ck, &err) == FA_OK)
            fprintf(stderr, "fascia run: state at the end of day %d saved to %s\n", fa_life_day(L), ck);
        goto out;
    }
    if (ck) {
        st = fa_life_save(L, ck, &err);
        if (st) {
            fprintf(stderr, "fascia run: %s\n", err.msg);
            goto out;
        }
    }
    char dir[1024];
    if (outdir) snprintf(dir, sizeof dir, "%s", outdir);
    else snprintf(dir, sizeof dir, "out/%s", sc->name);
    /* clinical tests at the end, then every output with them */
    fa_life_clinical rows[8];
#if FA_RUN_CLINICAL
    _Static_assert(FA_CLIN_NTEST <= 8, "room for every clinical test");
#endif
    int nrow = 0;
#if FA_RUN_CLINICAL
    if (clin_ok && clinical(m, fa_life_data(L), data, &clin1))
        nrow = clinical_rows(&clin0, &clin1, clin_day0, fa_life_day(L), rows);
#endif
    st = fa_life_write_outputs_clinical(L, dir, rows, nrow, &err);
    if (st) {
        fprintf(stderr, "fascia run: %s\n", err.msg);
        goto out;
    }
#if FA_RUN_CLINICAL
    if (nrow > 0) clinical_csv(&clin0, &clin1, clin_day0, fa_life_day(L), dir);
#endif
    if (!quiet) fa_life_print_summary_clinical(L, stdout, rows, nrow);
    if (!quiet) {
        printf("\noutputs: %s/timeseries.csv, %s/events.csv, %s/summary.json\n", dir, dir, dir);
        if (ck) printf("checkpoint: %s (day %d)\n", ck, fa_life_day(L));
    }
    rc = 0;
out:
    fa_life_free(L);
    fa_life_osim_free(kin);
    fa_model_free(m);
    fa_scenario_free(sc);
    return rc;
}
