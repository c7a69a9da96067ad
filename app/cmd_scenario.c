/* SPDX-License-Identifier: MIT */
/* fascia scenario / import-run: check, list and expand scenarios; summarise
 * real runs. A thin client of include/fascia/scenario.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fascia/load.h"
#include "fascia/report.h"
#include "fascia/scenario.h"

static const char *const wd[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

static fa_scenario *open_scenario(const char *arg, fa_error *err)
{
    fa_scenario *sc = NULL;
    if (access(arg, F_OK) == 0) {
        if (fa_scenario_load(arg, &sc, err)) return NULL;
    } else if (fa_scenario_load_builtin(arg, &sc, err)) {
        return NULL;
    }
    return sc;
}

static void clock_str(double s, char *b, size_t n)
{
    long x = lround(s);
    snprintf(b, n, "%02ld:%02ld", (x / 3600) % 100, (x / 60) % 60);
}

static void print_interval(const fa_interval *v)
{
    char a[16], b[16];
    double d0 = v->day * 86400.0;
    clock_str(v->t0 - d0, a, sizeof a);
    clock_str(v->t0 + v->dur - d0, b, sizeof b);
    const fa_activity_info *ai = fa_activity_get(v->act);
    printf("  %s-%s %-20s", a, b, ai->name);
    if (ai->flags & FA_ACTF_GAIT)
        printf(" %.2f m/s cadence %.0f, %.0f strides/leg, %.0f m", v->speed, v->cadence, v->strides, v->distance);
    if (v->volume > 0) printf(" %.2f L", v->volume * 1e3);
    if (!isnan(v->temp)) printf(" %.0f C", v->temp);
    if (v->pose[0]) printf(" pose %s", v->pose);
    if (v->region[0]) printf(" region %s", v->region);
    if (v->force > 0) printf(" %.0f N", v->force);
    if (!isnan(v->hr)) printf(" hr %.0f", v->hr);
    if (v->line) printf("  (line %d)", v->line);
    printf("\n");
}

static int check(const char *arg, int from, int ndays, int verbose, const char *model)
{
    fa_error err;
    fa_error_clear(&err);
    fa_scenario *sc = open_scenario(arg, &err);
    if (!sc) {
        fprintf(stderr, "fascia: %s\n", err.msg);
        return 1;
    }
    if (model) {
        fa_model *m = NULL;
        if (fa_model_load(model, &m, &err) || fa_scenario_check_regions(sc, m, &err)) {
            fprintf(stderr, "fascia: %s\n", err.msg);
            fa_model_free(m);
            fa_scenario_free(sc);
            return 1;
        }
        fa_model_free(m);
        if (!verbose) printf("regions: all known to %s\n", model);
    }
    double hours[FA_NACT] = {0}, strides = 0, dist = 0;
    int nrun = 0;
    fa_interval iv[FA_SC_MAX_DAYSEG];
    fa_day_info info;
    int last = verbose ? from + ndays : sc->ndays;
    if (last > sc->ndays) last = sc->ndays;
    for (int d = verbose ? from : 0; d < last; d++) {
        int n;
        if (fa_expand_day(sc, NULL, d, iv, FA_SC_MAX_DAYSEG, &n, &info, &err)) {
            fprintf(stderr, "fascia: %s\n", err.msg);
            fa_scenario_free(sc);
            return 1;
        }
        if (verbose) {
            printf("day %d (%s, week %d%s%s)\n", d + 1, wd[info.weekday], info.week, info.phase >= 0 ? ", phase " : "",
                   info.phase >= 0 ? sc->phase[info.phase].name : "");
            for (int k = 0; k < info.ninjury; k++)
                printf("  ! injury %s %.2f\n", sc->block[info.injury_block[k]].region, sc->block[info.injury_block[k]].severity);
            for (int k = 0; k < info.nimmob; k++) printf("  ! immobilised %s\n", sc->block[info.immob_block[k]].region);
            for (int k = 0; k < info.nchange; k++) printf("  ! change %s\n", sc->block[info.change_block[k]].region);
        }
        for (int i = 0; i < n; i++) {
            if (verbose) print_interval(&iv[i]);
            hours[iv[i].act] += iv[i].dur / 3600.0;
            if (iv[i].act == FA_ACT_RUN || iv[i].act == FA_ACT_RACE) {
                strides += iv[i].strides;
                dist += iv[i].distance;
                if (!iv[i].cont) nrun++;
            }
        }
    }
    if (!verbose) {
        printf("%s: %s, %d days, %d entries, %d phases, %d events, %d rules\n", arg, sc->name, sc->ndays, sc->nentry,
               sc->nphase, sc->nblock, sc->nrule);
        printf("person: %s, %.1f kg, %.2f m, age %.0f\n", sc->person.body, sc->person.mass, sc->person.height, sc->person.age);
        printf("runs: %d, %.1f km, %.0f strides per leg (without rule firings)\n", nrun, dist / 1000.0, strides);
        printf("hours per activity over the scenario:\n");
        for (int a = 0; a < FA_NACT; a++)
            if (hours[a] > 0) printf("  %-20s %10.1f h  (%.2f h/day)\n", fa_activity_get(a)->name, hours[a], hours[a] / sc->ndays);
    }
    fa_scenario_free(sc);
    return 0;
}

int fa_cmd_scenario(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("usage: fascia scenario list\n"
               "       fascia scenario check FILE|NAME [--model BODY.yaml]   (also checks region names)\n"
               "       fascia scenario expand FILE|NAME [--from DAY] [--days N]\n"
               "       fascia scenario export FILE|NAME DIR   (DIR/summary.json, DIR/events.csv)\n\n"
               "NAME is a built-in scenario (see 'list'); the format is described in docs/scenario-format.md.\n");
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "list")) {
        for (int i = 0; fa_scenario_builtin_name(i); i++) printf("%s\n", fa_scenario_builtin_name(i));
        return 0;
    }
    if (!strcmp(argv[1], "export") && argc == 4) {
        fa_error err;
        fa_error_clear(&err);
        fa_scenario *sc = open_scenario(argv[2], &err);
        if (!sc || fa_outdir_create(argv[3], &err) || fa_write_scenario_summary(argv[3], sc, NULL, &err) ||
            fa_write_events_csv(argv[3], sc, NULL, &err)) {
            fprintf(stderr, "fascia: %s\n", err.msg);
            fa_scenario_free(sc);
            return 1;
        }
        printf("wrote %s/%s and %s/%s\n", argv[3], FA_OUT_SUMMARY, argv[3], FA_OUT_EVENTS);
        fa_scenario_free(sc);
        return 0;
    }
    if ((!strcmp(argv[1], "check") || !strcmp(argv[1], "expand")) && argc >= 3) {
        int from = 1, days = 7;
        const char *model = NULL;
        for (int i = 3; i < argc; i++) {
            if (!strcmp(argv[i], "--model") && i + 1 < argc) model = argv[++i];
            else if (!strcmp(argv[i], "--from") && i + 1 < argc) from = atoi(argv[++i]);
            else if (!strcmp(argv[i], "--days") && i + 1 < argc) days = atoi(argv[++i]);
            else {
                fprintf(stderr, "fascia scenario: unknown option '%s'\n", argv[i]);
                return 2;
            }
        }
        if (from < 1 || days < 1) {
            fprintf(stderr, "fascia scenario: --from and --days must be >= 1\n");
            return 2;
        }
        return check(argv[2], from - 1, days, !strcmp(argv[1], "expand"), model);
    }
    fprintf(stderr, "fascia scenario: unknown subcommand '%s' (try --help)\n", argv[1]);
    return 2;
}

int fa_cmd_import_run(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help")) {
        printf("usage: fascia import-run FILE.gpx|FILE.tcx ...\n");
        return argc < 2 ? 2 : 0;
    }
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        fa_run_summary rs;
        fa_error err;
        fa_error_clear(&err);
        if (fa_run_import(argv[i], &rs, &err)) {
            fprintf(stderr, "fascia: %s\n", err.msg);
            rc = 1;
            continue;
        }
        printf("%s: %d points, %.3f km (%s), %.0f s, %.3f m/s (%d:%02d /km)", argv[i], rs.npoints, rs.distance / 1000.0,
               rs.distance_source ? "device distance" : "haversine", rs.duration, rs.speed, (int)(rs.pace / 60),
               (int)fmod(rs.pace, 60.0));
        if (!isnan(rs.ascent)) printf(", +%.0f/-%.0f m", rs.ascent, rs.descent);
        if (!isnan(rs.hr_mean)) printf(", hr mean %.1f max %.0f", rs.hr_mean, rs.hr_max);
        if (rs.sport[0]) printf(", %s", rs.sport);
        printf("\n");
    }
    return rc;
}
