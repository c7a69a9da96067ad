/* SPDX-License-Identifier: MIT */
/* fascia advise — simulate what-if care plans on a scenario and rank them by
 * their effect on a goal, with mechanisms and evidence grades. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_util.h"
#include "fascia/advise.h"
#include "fascia/life.h"
#include "fascia/load.h"
#include "fascia/scenario.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: fascia advise [SCENARIO] --goal GOAL [--region R] [--days N] [--top K] [-o DIR]\n"
            "                     [--plans LIST] [--no-noise] [--tol X] [--stride-frames N]\n"
            "                     [--no-habitual-day] [--passive]\n"
            "\n"
            "Simulate what-if care plans on top of a scenario (default desk-runner) and rank them by\n"
            "their effect on GOAL against the unchanged scenario: each care practice of the catalogue\n"
            "added at a default dose (movement breaks, hydration, stretching 30 s vs 3 min holds, yin\n"
            "vs flow yoga, warm bath, foam rolling 4 vs 1 min vs quick passes, Rolfing, massage,\n"
            "Alexander/Feldenkrais, hip strengthening, pigeon holds) and a rest week. Every plan runs\n"
            "the same horizon with the same settings; each is explained by the tissue changes it\n"
            "caused, the practice's mechanism and evidence grade and the physiology it acted through.\n"
            "\n"
            "GOAL: METRIC:REGION (stiffness, hydration, glide, adhesion, thickness, rest_drift,\n"
            "      crosslink, damage, pain, tone; e.g. adhesion:low_back, glide:lateral_thigh),\n"
            "      days-off, injuries or itb-energy.\n"
            "\n"
            "options:\n"
            "  --goal GOAL         what to improve (required)\n"
            "  --region R          region for a METRIC goal given without one\n"
            "  --days N            horizon in days (default: the scenario's length, at most %d)\n"
            "  --top K             show the K best plans (default all)\n"
            "  -o DIR              write DIR/advice.json\n"
            "  --plans LIST        run only these plans (comma-separated names; the baseline always runs)\n"
            "  --no-noise          skip the baseline re-run that measures the noise floor\n"
            "  --tol X             mechanics cache tolerance (default 0.01)\n"
            "  --stride-frames N   frames replayed per stride (default 24)\n"
            "  --no-habitual-day   measure every element against the single stim.* reference day (the\n"
            "                      old default, for comparison) instead of the reference person's\n"
            "                      ordinary day on this body\n"
            "  --passive           every muscle passive in the replayed strides (activation 0); by\n"
            "                      default the muscles work in them (data/anatomy/activation.csv)\n",
            FA_ADV_DEFAULT_DAYS);
}

static int file_exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int progress_cb(int plan, int nplan, int day, int ndays, void *user)
{
    (void)user;
    static char label[] = "advise";
    fa_cli_progress(((double)plan + (double)day / (ndays > 0 ? ndays : 1)) / (nplan > 0 ? nplan : 1), label);
    return 0;
}

int fa_cmd_advise(int argc, char **argv)
{
    const char *name = "desk-runner", *outdir = NULL, *goal = NULL, *region = NULL, *only = NULL;
    double days = 0, top = 0, tol = 0.01, frames = 24;
    int noise = 1, habitual = 1, passive = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--goal") && more) {
            goal = argv[++i];
        } else if (!strcmp(a, "--region") && more) {
            region = argv[++i];
        } else if (!strcmp(a, "-o") && more) {
            outdir = argv[++i];
        } else if (!strcmp(a, "--plans") && more) {
            only = argv[++i];
        } else if (!strcmp(a, "--days") && more) {
            if (!fa_cli_whole("advise", "--days", argv[++i], 1, &days)) return 2;
        } else if (!strcmp(a, "--top") && more) {
            if (!fa_cli_whole("advise", "--top", argv[++i], 1, &top)) return 2;
        } else if (!strcmp(a, "--stride-frames") && more) {
            if (!fa_cli_whole("advise", "--stride-frames", argv[++i], 0, &frames)) return 2;
        } else if (!strcmp(a, "--tol") && more) {
            if (!fa_cli_positive("advise", "--tol", argv[++i], &tol)) return 2;
        } else if (!strcmp(a, "--no-noise")) {
            noise = 0;
        } else if (!strcmp(a, "--no-habitual-day")) {
            habitual = 0;
        } else if (!strcmp(a, "--passive")) {
            passive = 1;
        } else if (a[0] == '-') {
            fprintf(stderr, "fascia advise: unknown option '%s' (or missing value)\n", a);
            usage(stderr);
            return 2;
        } else {
            name = a;
        }
    }
    fa_error err;
    fa_error_clear(&err);
    fa_advise_goal g;
    if (!goal) {
        fprintf(stderr,
                "fascia advise: --goal is required (e.g. --goal adhesion:low_back, --goal days-off)\n");
        return 2;
    }
    /* the goal's form first, before any loading */
    if (fa_advise_goal_parse(goal, region, NULL, &g, &err)) {
        fprintf(stderr, "fascia advise: %s\n", err.msg);
        return 2;
    }

    fa_scenario *sc = NULL;
    int is_file = file_exists(name) || strchr(name, '/') || strstr(name, ".yaml") || strstr(name, ".yml");
    fa_status st = is_file ? fa_scenario_load(name, &sc, &err) : fa_scenario_load_builtin(name, &sc, &err);
    if (st) {
        fprintf(stderr, "fascia advise: %s\n", err.msg[0] ? err.msg : fa_status_str(st));
        if (!is_file) {
            fprintf(stderr, "fascia advise: built-in scenarios:");
            for (int i = 0; fa_scenario_builtin_name(i); i++)
                fprintf(stderr, " %s", fa_scenario_builtin_name(i));
            fprintf(stderr, "\n");
        }
        return 1;
    }
    char body[1024];
    if (!sc->person.body[0] || !strcmp(sc->person.body, "default"))
        fa_cli_data_path("bodies/runner.yaml", body, sizeof body);
    else
        snprintf(body, sizeof body, "%s", sc->person.body);
    fa_model *m = NULL;
    st = fa_model_load(body, &m, &err);
    if (st) {
        fprintf(stderr, "fascia advise: %s\n", err.msg);
        fa_scenario_free(sc);
        return 1;
    }
    int rc = 1;
    fa_life_osim *kin = NULL;
    fa_advise_report *rep = NULL;
    if (fa_advise_goal_parse(goal, region, m, &g, &err)) {
        fprintf(stderr, "fascia advise: %s\n", err.msg);
        rc = 2;
        goto out;
    }
    char data[1024];
    fa_cli_data_dir(data, sizeof data);
    fa_advise_def def = fa_default_advise_def();
    def.ndays = (int)days;
    def.noise_run = noise;
    def.only = only;
    def.life.mech_tol = tol;
    def.life.stride_frames = (int)frames;
    def.life.habitual_day = habitual;
    def.progress = progress_cb;
    st = fa_cli_runner_kin(m, data, passive, &kin, &def.life.kin, &err);
    if (st) {
        fprintf(stderr, "fascia advise: kinematics of the runner body: %s\n", err.msg);
        goto out;
    }
    rep = fa_advise_report_alloc();
    if (!rep) {
        fprintf(stderr, "fascia advise: out of memory\n");
        goto out;
    }
    st = fa_advise_run(m, sc, &g, &def, rep, &err);
    fa_cli_progress_done();
    if (st) {
        fprintf(stderr, "fascia advise: %s\n", err.msg);
        goto out;
    }
    fa_advise_print(rep, stdout, (int)top);
    if (outdir) {
        st = fa_advise_write_json(rep, outdir, &err);
        if (st) {
            fprintf(stderr, "fascia advise: %s\n", err.msg);
            goto out;
        }
        printf("output: %s/advice.json\n", outdir);
    }
    rc = 0;
out:
    fa_advise_report_free(rep);
    fa_life_osim_free(kin);
    fa_model_free(m);
    fa_scenario_free(sc);
    return rc;
}
