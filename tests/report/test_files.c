/* SPDX-License-Identifier: MIT */
/* Atomic files (the target survives every failure mode), CSV quoting read
 * back by an independent RFC 4180 parser, the output folder with its time
 * series, events and summary, and the progress bar's text. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fascia/report.h"
#include "harness.h"

static char tmpdir[256];

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *b = calloc(1, 1 << 20);
    size_t k = fread(b, 1, (1 << 20) - 1, f);
    fclose(f);
    if (n) *n = k;
    return b;
}

static int leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp.")) n++;
    if (d) closedir(d);
    return n;
}

static void atomic(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/out.json", tmpdir);
    fa_error err;
    CHECK(fa_write_file_atomic(path, "good\n", 5, &err) == FA_OK);
    char *s = slurp(path, NULL);
    CHECK(s && !strcmp(s, "good\n"));
    free(s);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
    /* 1. abandon half-way: target unchanged, no temporary left */
    fa_afile a;
    CHECK(fa_afile_open(&a, path, &err) == FA_OK);
    fputs("half a fi", a.f);
    fa_afile_abort(&a);
    fa_afile_abort(&a);
    s = slurp(path, NULL);
    CHECK(s && !strcmp(s, "good\n"));
    free(s);
    CHECK(leftovers(tmpdir) == 0);
    /* 2. a write error on the stream: commit refuses, target unchanged */
    CHECK(fa_afile_open(&a, path, &err) == FA_OK);
    fputs("corrupt", a.f);
    (void)fgetc(a.f); /* reading a write-only stream sets its error flag */
    CHECK(ferror(a.f));
    CHECK(fa_afile_commit(&a, &err) == FA_ERR_IO && strstr(err.msg, "unchanged"));
    s = slurp(path, NULL);
    CHECK(s && !strcmp(s, "good\n"));
    free(s);
    CHECK(leftovers(tmpdir) == 0);
    /* 3. the rename fails (the target is a non-empty folder): folder intact */
    char dpath[512], inner[600];
    snprintf(dpath, sizeof dpath, "%s/adir", tmpdir);
    CHECK(mkdir(dpath, 0755) == 0);
    snprintf(inner, sizeof inner, "%s/keep", dpath);
    CHECK(fa_write_file_atomic(inner, "k", 1, &err) == FA_OK);
    CHECK(fa_write_file_atomic(dpath, "new", 3, &err) == FA_ERR_IO);
    CHECK(strstr(err.msg, "rename") != NULL);
    s = slurp(inner, NULL);
    CHECK(s && !strcmp(s, "k"));
    free(s);
    CHECK(leftovers(tmpdir) == 0);
    /* 4. a folder that does not exist: error, nothing created */
    char npath[512];
    snprintf(npath, sizeof npath, "%s/no/such/out.csv", tmpdir);
    CHECK(fa_afile_open(&a, npath, &err) == FA_ERR_IO && a.f == NULL);
    CHECK(strstr(err.msg, "cannot create a temporary file") != NULL);
    /* 5. success replaces */
    CHECK(fa_write_file_atomic(path, "better\n", 7, &err) == FA_OK);
    s = slurp(path, NULL);
    CHECK(s && !strcmp(s, "better\n"));
    free(s);
}

/* RFC 4180 reader for one record; returns fields count, -1 on error */
static int read_record(const char **p, char fields[][256], int maxf)
{
    int nf = 0;
    const char *s = *p;
    for (;;) {
        if (nf == maxf) return -1;
        char *o = fields[nf];
        size_t k = 0;
        if (*s == '"') {
            s++;
            for (;;) {
                if (!*s) return -1;
                if (*s == '"') {
                    if (s[1] == '"') {
                        o[k++] = '"';
                        s += 2;
                        continue;
                    }
                    s++;
                    break;
                }
                o[k++] = *s++;
            }
        } else {
            while (*s && *s != ',' && *s != '\n') {
                if (*s == '"') return -1;
                o[k++] = *s++;
            }
        }
        o[k] = 0;
        nf++;
        if (*s == ',') {
            s++;
            continue;
        }
        if (*s == '\n') s++;
        else if (*s) return -1;
        break;
    }
    *p = s;
    return nf;
}

static void csv(void)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    fa_csv_writer c;
    fa_csv_init(&c, f, 4);
    const char *names[] = {"plain", "with,comma", "say \"hi\"", "multi\nline"};
    fa_error err;
    CHECK(fa_csv_header(&c, names, &err) == FA_OK);
    fa_csv_str(&c, " lead");
    fa_csv_num(&c, NAN);
    fa_csv_num(&c, -INFINITY);
    fa_csv_int(&c, -42);
    CHECK(fa_csv_end_row(&c, &err) == FA_OK);
    fa_rng r;
    fa_rng_seed(&r, 3);
    double xs[200];
    for (int i = 0; i < 200; i += 4) {
        for (int k = 0; k < 4; k++) {
            xs[i + k] = (fa_rng_uniform(&r) - 0.5) * pow(10, (int)(fa_rng_uniform(&r) * 60) - 30);
            fa_csv_num(&c, xs[i + k]);
        }
        fa_csv_end_row(&c, NULL);
    }
    fa_csv_str(&c, "short");
    CHECK(fa_csv_end_row(&c, &err) == FA_ERR_ARG && c.bad);
    fclose(f);
    const char *p = buf;
    char fl[8][256];
    CHECK(read_record(&p, fl, 8) == 4);
    for (int k = 0; k < 4; k++) CHECK(!strcmp(fl[k], names[k]));
    CHECK(read_record(&p, fl, 8) == 4);
    CHECK(!strcmp(fl[0], " lead") && fl[1][0] == 0 && !strcmp(fl[2], "-inf") && !strcmp(fl[3], "-42"));
    int same = 1;
    for (int i = 0; i < 200; i += 4) {
        if (read_record(&p, fl, 8) != 4) same = 0;
        for (int k = 0; k < 4; k++)
            if (strtod(fl[k], NULL) != xs[i + k]) same = 0;
    }
    CHECK(same);
    free(buf);
}

static void outdir(void)
{
    char dir[512], path[800];
    fa_error err;
    snprintf(dir, sizeof dir, "%s/run1/out", tmpdir);
    CHECK(fa_outdir_create(dir, &err) == FA_OK);
    CHECK(fa_outdir_create(dir, &err) == FA_OK);
    snprintf(path, sizeof path, "%s/afile", tmpdir);
    CHECK(fa_write_file_atomic(path, "x", 1, &err) == FA_OK);
    snprintf(path, sizeof path, "%s/afile/sub", tmpdir);
    CHECK(fa_outdir_create(path, &err) == FA_ERR_IO && strstr(err.msg, "expected a folder, found a file"));

    /* time series: appears only at close */
    fa_timeseries ts;
    const char *cols[] = {"itb_strain", "hydration"};
    CHECK(fa_timeseries_open(&ts, dir, 2, cols, &err) == FA_OK);
    snprintf(path, sizeof path, "%s/%s", dir, FA_OUT_TIMESERIES);
    CHECK(access(path, F_OK) != 0);
    for (int i = 0; i < 3; i++) {
        double v[2] = {0.01 * i, 1.0 - 0.1 * i};
        CHECK(fa_timeseries_row(&ts, 86400.0 * i, v, &err) == FA_OK);
    }
    CHECK(fa_timeseries_close(&ts, &err) == FA_OK);
    char *s = slurp(path, NULL);
    CHECK_MSG(s && !strcmp(s, "t_s,itb_strain,hydration\n0,0,1\n86400,0.01,0.90000000000000002\n172800,0.02,0.80000000000000004\n"),
              "%s", s ? s : "(null)");
    free(s);
    /* an aborted second run leaves the first file */
    CHECK(fa_timeseries_open(&ts, dir, 2, cols, &err) == FA_OK);
    double v[2] = {9, 9};
    fa_timeseries_row(&ts, 0, v, &err);
    fa_timeseries_abort(&ts);
    s = slurp(path, NULL);
    CHECK(s && !strncmp(s, "t_s,itb_strain,hydration\n0,0,1\n", 30));
    free(s);

    /* events and summary of fleshman's rule variant with the rule fired on day 22 */
    fa_scenario *sc = NULL;
    CHECK(fa_scenario_load_builtin("fleshman:rule", &sc, &err) == FA_OK);
    if (!sc) return;
    fa_cursor cur;
    memset(&cur, 0, sizeof cur);
    cur.ntrig = 1;
    cur.trig[0].rule = 0;
    cur.trig[0].day = 21;
    CHECK(fa_write_events_csv(dir, sc, &cur, &err) == FA_OK);
    snprintf(path, sizeof path, "%s/%s", dir, FA_OUT_EVENTS);
    s = slurp(path, NULL);
    char ev[512];
    snprintf(ev, sizeof ev,
             "day,t_s,kind,name,region,value,line\n"
             "15,1209600,injury,,lateral_thigh,0.10000000000000001,%d\n"
             "22,1814400,rule,fleshman,lateral_thigh,2,%d\n",
             sc->block[0].line, sc->rule[0].line);
    CHECK_MSG(s && !strcmp(s, ev), "%s", s ? s : "(null)");
    free(s);
    fa_scenario *fl = NULL;
    CHECK(fa_scenario_load_builtin("fleshman", &fl, &err) == FA_OK);
    if (fl) {
        char d2[700];
        snprintf(d2, sizeof d2, "%s/through-pain", dir);
        CHECK(fa_outdir_create(d2, &err) == FA_OK && fa_write_events_csv(d2, fl, NULL, &err) == FA_OK);
        snprintf(path, sizeof path, "%s/%s", d2, FA_OUT_EVENTS);
        char *t = slurp(path, NULL);
        /* the day-15 twinge and the short breaks are scripted; the injury and
         * its layoff are outcomes of the run (rule `when: injury ... until: healed`) */
        CHECK_MSG(t && strstr(t, "\n100,8553600,time_off,run;race;strength_hip,,5,") && !strstr(t, "\n364,") && !strstr(t, ",no,"), "%s",
                  t ? t : "(null)");
        free(t);
        fa_scenario_free(fl);
    }
    CHECK(fa_write_scenario_summary(dir, sc, &cur, &err) == FA_OK);
    snprintf(path, sizeof path, "%s/%s", dir, FA_OUT_SUMMARY);
    s = slurp(path, NULL);
    CHECK(s != NULL);
    /* independent total: iterate the whole timeline */
    fa_iter it;
    fa_iter_init(&it, sc, &cur);
    it.cur.t = 0;
    fa_interval iv;
    double strides = 0, hours_massage = 0;
    while (fa_iter_next(&it, 1e12, &iv, &err) == 1) {
        if (iv.act == FA_ACT_RUN || iv.act == FA_ACT_RACE) strides += iv.strides;
        if (iv.act == FA_ACT_MASSAGE) hours_massage += iv.dur / 3600.0;
    }
    char want[128];
    snprintf(want, sizeof want, "\"strides_per_leg\": %.17g", strides);
    CHECK_MSG(s && strstr(s, want), "missing %s", want);
    CHECK(hours_massage == 3.0);
    CHECK(s && strstr(s, "\"variant\": \"rule\""));
    CHECK(s && strstr(s, "\"when\": \"pain lateral_thigh > 2\""));
    CHECK(s && strstr(s, "\"fired_days\": [\n        22\n      ]"));
    CHECK(s && strstr(s, "\"massage\": {\n      \"hours\": 3,\n      \"bouts\": 3,"));
    free(s);
    fa_scenario_free(sc);
}

static void progress(void)
{
    char buf[256];
    fa_progress_format(buf, sizeof buf, "run", 45, 100, 9.0, 10);
    CHECK_MSG(!strcmp(buf, "run [####......]  45.0%  45/100  ETA 0:00:11"), "%s", buf);
    fa_progress_format(buf, sizeof buf, "run", 0, 365, 0.5, 4);
    CHECK_MSG(!strcmp(buf, "run [....]   0.0%  0/365  ETA --:--:--"), "%s", buf);
    fa_progress_format(buf, sizeof buf, "year", 365, 365, 3.2, 4);
    CHECK_MSG(!strcmp(buf, "year [####] 100.0%  365/365  ETA 0:00:00"), "%s", buf);
    fa_progress_format(buf, sizeof buf, "x", 1, 730, 3600.0, 2);
    CHECK_MSG(strstr(buf, "ETA 729:00:00") != NULL, "%s", buf);
    /* not a terminal: nothing is drawn */
    FILE *f = tmpfile();
    fa_progress p;
    fa_progress_init(&p, f, 10, "run");
    CHECK(p.enabled == 0);
    fa_progress_update(&p, 5);
    fa_progress_finish(&p);
    CHECK(ftell(f) == 0);
    /* forced on: draws with a carriage return and ends with a newline */
    p.enabled = 1;
    fa_progress_update(&p, 5);
    fa_progress_update(&p, 6); /* within 0.1 s: skipped */
    fa_progress_finish(&p);
    long n = ftell(f);
    rewind(f);
    char out[512] = "";
    size_t k = fread(out, 1, sizeof out - 1, f);
    out[k] = 0;
    CHECK(n > 0 && out[0] == '\r' && out[k - 1] == '\n' && strstr(out, " 50.0%") && strstr(out, "100.0%") && !strstr(out, " 60.0%"));
    fclose(f);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/fascia-test-report-XXXXXX");
    CHECK(mkdtemp(tmpdir) != NULL);
    atomic();
    csv();
    outdir();
    progress();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    CHECK(system(cmd) == 0);
    TEST_MAIN_END();
}
