/* SPDX-License-Identifier: MIT */
/* The output folder: DIR/timeseries.csv (streamed by the runner),
 * DIR/events.csv and DIR/summary.json, all written atomically. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "fascia/fascia.h"
#include "fascia/report.h"

fa_status fa_outdir_create(const char *dir, fa_error *err)
{
    if (!dir || !dir[0]) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected an output folder, found none");
    char p[512];
    if (strlen(dir) >= sizeof p) return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "expected an output folder path under 512 characters");
    snprintf(p, sizeof p, "%s", dir);
    size_t n = strlen(p);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0') continue;
        char c = p[i];
        p[i] = '\0';
        struct stat st;
        if (stat(p, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                fa_status s = fa_error_set(err, FA_ERR_IO, p, 0, 0, "expected a folder, found a file");
                return s;
            }
        } else if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            return fa_error_set(err, FA_ERR_IO, p, 0, 0, "cannot create the folder: %s", strerror(errno));
        }
        p[i] = c;
    }
    return FA_OK;
}

fa_status fa_outdir_path(const char *dir, const char *name, char *buf, size_t cap, fa_error *err)
{
    int k = snprintf(buf, cap, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= cap) return fa_error_set(err, FA_ERR_RANGE, dir, 0, 0, "output path too long");
    return FA_OK;
}

fa_status fa_timeseries_open(fa_timeseries *ts, const char *dir, int ncol, const char *const *names, fa_error *err)
{
    memset(ts, 0, sizeof *ts);
    char path[512];
    fa_status st = fa_outdir_path(dir, FA_OUT_TIMESERIES, path, sizeof path, err);
    if (st) return st;
    if ((st = fa_afile_open(&ts->file, path, err))) return st;
    fa_csv_init(&ts->csv, ts->file.f, ncol + 1);
    fa_csv_str(&ts->csv, "t_s");
    for (int i = 0; i < ncol; i++) fa_csv_str(&ts->csv, names[i]);
    if ((st = fa_csv_end_row(&ts->csv, err))) {
        fa_afile_abort(&ts->file);
        return st;
    }
    ts->open = 1;
    return FA_OK;
}

fa_status fa_timeseries_row(fa_timeseries *ts, double t, const double *values, fa_error *err)
{
    if (!ts->open) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "time series is not open");
    fa_csv_num(&ts->csv, t);
    for (int i = 0; i < ts->csv.ncol - 1; i++) fa_csv_num(&ts->csv, values[i]);
    return fa_csv_end_row(&ts->csv, err);
}

fa_status fa_timeseries_close(fa_timeseries *ts, fa_error *err)
{
    if (!ts->open) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "time series is not open");
    ts->open = 0;
    if (ts->csv.bad) {
        fa_afile_abort(&ts->file);
        return fa_error_set(err, FA_ERR_ARG, ts->file.path, 0, 0, "a row had the wrong number of fields; file not written");
    }
    return fa_afile_commit(&ts->file, err);
}

void fa_timeseries_abort(fa_timeseries *ts)
{
    if (ts->open) fa_afile_abort(&ts->file);
    ts->open = 0;
}

/* ------------------------------------------------------------------------ */

typedef struct evrow {
    int day, line, order;
    double t;
    const char *kind;
    char name[96];
    const char *region;
    double value;
} evrow;

static int evcmp(const void *a, const void *b)
{
    const evrow *x = a, *y = b;
    if (x->day != y->day) return x->day < y->day ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void mask_names(uint64_t m, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int a = 0; a < FA_NACT && o < cap; a++)
        if (m & (1ull << a)) o += (size_t)snprintf(buf + o, cap - o, "%s%s", o ? ";" : "", fa_activity_get(a)->name);
}

fa_status fa_write_events_csv(const char *dir, const fa_scenario *sc, const fa_cursor *cur, fa_error *err)
{
    int cap = sc->nblock + (cur ? cur->ntrig : 0) + 1;
    evrow *rows = calloc((size_t)cap, sizeof *rows);
    if (!rows) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "out of memory");
    int n = 0;
    static const char *const kinds[] = {"no", "immobilise", "injury", "change"};
    for (int b = 0; b < sc->nblock; b++) {
        const fa_block *bl = &sc->block[b];
        evrow *r = &rows[n++];
        r->day = bl->day0;
        r->t = bl->day0 * 86400.0;
        r->kind = kinds[bl->kind];
        r->line = bl->line;
        r->order = n;
        r->region = bl->kind == FA_BLOCK_CHANGE ? "" : bl->region;
        r->value = bl->kind == FA_BLOCK_INJURY ? bl->severity : bl->day1 - bl->day0 + 1;
        if (bl->kind == FA_BLOCK_NO) {
            uint64_t training = 0;
            for (int a = 0; a < FA_NACT; a++)
                if (fa_activity_get(a)->flags & FA_ACTF_TRAINING) training |= 1ull << a;
            if (bl->mask == training) r->kind = "time_off";
            mask_names(bl->mask, r->name, sizeof r->name);
        }
        else if (bl->kind == FA_BLOCK_CHANGE) snprintf(r->name, sizeof r->name, "%s", bl->region);
    }
    for (int k = 0; cur && k < cur->ntrig; k++) {
        const fa_rule *ru = &sc->rule[cur->trig[k].rule];
        evrow *r = &rows[n++];
        r->day = cur->trig[k].day;
        r->t = r->day * 86400.0;
        r->kind = "rule";
        r->line = ru->line;
        r->order = n;
        r->region = ru->region;
        r->value = ru->threshold;
        snprintf(r->name, sizeof r->name, "%s", ru->name);
    }
    qsort(rows, (size_t)n, sizeof *rows, evcmp);
    char path[512];
    fa_status st = fa_outdir_path(dir, FA_OUT_EVENTS, path, sizeof path, err);
    fa_afile a;
    if (!st) st = fa_afile_open(&a, path, err);
    if (st) {
        free(rows);
        return st;
    }
    fa_csv_writer c;
    fa_csv_init(&c, a.f, 7);
    static const char *const head[] = {"day", "t_s", "kind", "name", "region", "value", "line"};
    fa_csv_header(&c, head, NULL);
    for (int i = 0; i < n; i++) {
        fa_csv_int(&c, rows[i].day + 1);
        fa_csv_num(&c, rows[i].t);
        fa_csv_str(&c, rows[i].kind);
        fa_csv_str(&c, rows[i].name);
        fa_csv_str(&c, rows[i].region);
        fa_csv_num(&c, rows[i].value);
        fa_csv_int(&c, rows[i].line);
        fa_csv_end_row(&c, NULL);
    }
    free(rows);
    return fa_afile_commit(&a, err);
}

fa_status fa_write_scenario_summary(const char *dir, const fa_scenario *sc, const fa_cursor *cur, fa_error *err)
{
    double hours[FA_NACT] = {0};
    long bouts[FA_NACT] = {0};
    double run_dist = 0, run_strides = 0;
    fa_interval *iv = malloc(sizeof(fa_interval) * FA_SC_MAX_DAYSEG);
    if (!iv) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (int d = 0; d < sc->ndays; d++) {
        int n;
        fa_status st = fa_expand_day(sc, cur, d, iv, FA_SC_MAX_DAYSEG, &n, NULL, err);
        if (st) {
            free(iv);
            return st;
        }
        for (int i = 0; i < n; i++) {
            hours[iv[i].act] += iv[i].dur / 3600.0;
            if (!iv[i].cont) bouts[iv[i].act]++;
            if (fa_activity_get(iv[i].act)->flags & FA_ACTF_RUNNING) {
                run_dist += iv[i].distance;
                run_strides += iv[i].strides;
            }
        }
    }
    free(iv);
    char path[512];
    fa_status st = fa_outdir_path(dir, FA_OUT_SUMMARY, path, sizeof path, err);
    fa_afile a;
    if (!st) st = fa_afile_open(&a, path, err);
    if (st) return st;
    fa_json j;
    fa_json_init(&j, a.f, 1);
    fa_json_begin_object(&j);
    fa_json_key(&j, "fascia_version");
    fa_json_string(&j, fa_version());
    fa_json_key(&j, "scenario");
    fa_json_begin_object(&j);
    fa_json_key(&j, "name");
    fa_json_string(&j, sc->name);
    fa_json_key(&j, "description");
    fa_json_string(&j, sc->description);
    fa_json_key(&j, "file");
    fa_json_string(&j, sc->file);
    fa_json_key(&j, "variant");
    if (sc->variant >= 0) fa_json_string(&j, sc->variant_name[sc->variant]);
    else fa_json_null(&j);
    fa_json_key(&j, "days");
    fa_json_int(&j, sc->ndays);
    static const char *const wd[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    fa_json_key(&j, "start_weekday");
    fa_json_string(&j, wd[sc->start_weekday]);
    fa_json_end_object(&j);
    fa_json_key(&j, "person");
    fa_json_begin_object(&j);
    fa_json_key(&j, "body");
    fa_json_string(&j, sc->person.body);
    fa_json_key(&j, "mass_kg");
    fa_json_number(&j, sc->person.mass);
    fa_json_key(&j, "height_m");
    fa_json_number(&j, sc->person.height);
    fa_json_key(&j, "sex");
    static const char *const sexes[] = {"unspecified", "female", "male"};
    fa_json_string(&j, sexes[sc->person.sex]);
    fa_json_key(&j, "age_y");
    fa_json_number(&j, sc->person.age);
    fa_json_key(&j, "parameters");
    fa_json_begin_object(&j);
    for (int i = 0; i < sc->person.nparam; i++) {
        fa_json_key(&j, sc->person.param_name[i]);
        fa_json_number(&j, sc->person.param_value[i]);
    }
    fa_json_end_object(&j);
    fa_json_end_object(&j);
    fa_json_key(&j, "phases");
    fa_json_begin_array(&j);
    for (int p = 0; p < sc->nphase; p++) {
        fa_json_begin_object(&j);
        fa_json_key(&j, "name");
        fa_json_string(&j, sc->phase[p].name);
        fa_json_key(&j, "weeks");
        fa_json_begin_array(&j);
        fa_json_int(&j, sc->phase[p].week0);
        fa_json_int(&j, sc->phase[p].week1);
        fa_json_end_array(&j);
        fa_json_end_object(&j);
    }
    fa_json_end_array(&j);
    fa_json_key(&j, "rules");
    fa_json_begin_array(&j);
    for (int r = 0; r < sc->nrule; r++) {
        const fa_rule *ru = &sc->rule[r];
        fa_json_begin_object(&j);
        fa_json_key(&j, "name");
        fa_json_string(&j, ru->name);
        char when[96];
        snprintf(when, sizeof when, "%s %s %s %g", ru->signal, ru->region, ru->ge ? ">=" : ">", ru->threshold);
        fa_json_key(&j, "when");
        fa_json_string(&j, when);
        fa_json_key(&j, "off_days");
        fa_json_int(&j, ru->off_days);
        fa_json_key(&j, "after_days");
        fa_json_int(&j, ru->after_days);
        fa_json_key(&j, "fired_days");
        fa_json_begin_array(&j);
        for (int k = 0; cur && k < cur->ntrig; k++)
            if (cur->trig[k].rule == r) fa_json_int(&j, cur->trig[k].day + 1);
        fa_json_end_array(&j);
        fa_json_end_object(&j);
    }
    fa_json_end_array(&j);
    fa_json_key(&j, "activities");
    fa_json_begin_object(&j);
    for (int a2 = 0; a2 < FA_NACT; a2++) {
        if (hours[a2] == 0 && bouts[a2] == 0) continue;
        const fa_activity_info *ai = fa_activity_get(a2);
        fa_json_key(&j, ai->name);
        fa_json_begin_object(&j);
        fa_json_key(&j, "hours");
        fa_json_number(&j, hours[a2]);
        fa_json_key(&j, "bouts");
        fa_json_int(&j, bouts[a2]);
        fa_json_key(&j, "grade");
        char g[2] = {ai->grade, 0};
        fa_json_string(&j, g);
        fa_json_key(&j, "cite");
        fa_json_string(&j, ai->cite);
        fa_json_end_object(&j);
    }
    fa_json_end_object(&j);
    fa_json_key(&j, "running");
    fa_json_begin_object(&j);
    fa_json_key(&j, "distance_m");
    fa_json_number(&j, run_dist);
    fa_json_key(&j, "strides_per_leg");
    fa_json_number(&j, run_strides);
    fa_json_end_object(&j);
    fa_json_end_object(&j);
    st = fa_json_finish(&j, err);
    if (st) {
        fa_afile_abort(&a);
        return st;
    }
    return fa_afile_commit(&a, err);
}
