/* SPDX-License-Identifier: MIT */
/* fascia — outputs: atomic files, CSV and JSON writers, the output folder,
 * a terminal progress bar and checkpoints.
 *
 * Every file is written to a temporary file in the target's directory and
 * renamed over the target only when everything was written and flushed to
 * disk, so a failure (full disk, crash, error half-way) never clobbers a
 * good earlier output. Numbers are printed in the C locale with enough
 * digits to round-trip (%.17g by default), so the same run gives the same
 * bytes. The library prints nothing except through these functions. */
#ifndef FASCIA_REPORT_H
#define FASCIA_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "data.h"
#include "model.h"
#include "scenario.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------
 * Atomic files
 * ------------------------------------------------------------------------- */

typedef struct fa_afile {
    FILE *f;            /* write here (a temporary file beside the target) */
    char path[512];     /* target path */
    char tmp[528];      /* temporary path: target + ".tmp.XXXXXX" */
} fa_afile;

/* Create the temporary file for `path`. On error nothing exists on disk. */
fa_status fa_afile_open(fa_afile *a, const char *path, fa_error *err);

/* Flush, fsync and close the temporary, then rename it over the target.
 * When any step (including an earlier write error seen by ferror) fails, the
 * temporary is removed, the target is left as it was, and an error is
 * returned. */
fa_status fa_afile_commit(fa_afile *a, fa_error *err);

/* Discard the temporary (the target is untouched). Safe to call twice. */
void fa_afile_abort(fa_afile *a);

/* Write a whole buffer atomically. */
fa_status fa_write_file_atomic(const char *path, const void *data, size_t n, fa_error *err);

/* ---------------------------------------------------------------------------
 * JSON writer (RFC 8259): strings are escaped (", \, control characters,
 * U+2028/U+2029), invalid UTF-8 bytes become U+FFFD, non-finite numbers
 * become null.
 * ------------------------------------------------------------------------- */

#define FA_JSON_MAXDEPTH 32

typedef struct fa_json {
    FILE *f;
    int pretty;                     /* 1: two-space indentation and newlines */
    int depth;
    int count[FA_JSON_MAXDEPTH];    /* values written at each level */
    int is_obj[FA_JSON_MAXDEPTH];
    int after_key;                  /* a key was written, its value is next */
    int top;                        /* top-level values written (must end as 1) */
    int bad;                        /* misuse seen (unbalanced, key outside an object) */
} fa_json;

void fa_json_init(fa_json *j, FILE *f, int pretty);
void fa_json_begin_object(fa_json *j);
void fa_json_end_object(fa_json *j);
void fa_json_begin_array(fa_json *j);
void fa_json_end_array(fa_json *j);
void fa_json_key(fa_json *j, const char *key);
void fa_json_string(fa_json *j, const char *s);
void fa_json_number(fa_json *j, double x);
void fa_json_int(fa_json *j, long long x);
void fa_json_bool(fa_json *j, int b);
void fa_json_null(fa_json *j);
/* FA_OK when the document is complete and balanced and no write failed. */
fa_status fa_json_finish(fa_json *j, fa_error *err);

/* Write `s` as a JSON string literal (with the quotes). Returns bytes written. */
size_t fa_json_write_string(FILE *f, const char *s);

/* ---------------------------------------------------------------------------
 * CSV writer (RFC 4180 quoting; "\n" line ends; NaN is an empty field)
 * ------------------------------------------------------------------------- */

typedef struct fa_csv_writer {
    FILE *f;
    int ncol;        /* columns per row */
    int col;         /* fields written in the current row */
    int precision;   /* significant digits for numbers (default 17: round trip) */
    long rows;       /* rows completed, header included */
    int bad;         /* a row had the wrong number of fields */
} fa_csv_writer;

void fa_csv_init(fa_csv_writer *c, FILE *f, int ncol);
void fa_csv_str(fa_csv_writer *c, const char *s);
void fa_csv_num(fa_csv_writer *c, double x);
void fa_csv_int(fa_csv_writer *c, long long x);
/* End the row; FA_ERR_ARG when it did not have ncol fields. */
fa_status fa_csv_end_row(fa_csv_writer *c, fa_error *err);
/* A whole header row. */
fa_status fa_csv_header(fa_csv_writer *c, const char *const *names, fa_error *err);

/* ---------------------------------------------------------------------------
 * Output folder: DIR/timeseries.csv, DIR/summary.json, DIR/events.csv
 * ------------------------------------------------------------------------- */

#define FA_OUT_TIMESERIES "timeseries.csv"
#define FA_OUT_SUMMARY "summary.json"
#define FA_OUT_EVENTS "events.csv"

/* Create the folder (and missing parents). An existing folder is fine; an
 * existing non-folder is an error. */
fa_status fa_outdir_create(const char *dir, fa_error *err);

/* DIR/NAME into buf; FA_ERR_RANGE when it does not fit. */
fa_status fa_outdir_path(const char *dir, const char *name, char *buf, size_t cap, fa_error *err);

/* A time series streamed row by row into DIR/timeseries.csv (atomic: the
 * file appears only at fa_timeseries_close). Column 0 is "t_s" (s); the
 * caller names the rest. */
typedef struct fa_timeseries {
    fa_afile file;
    fa_csv_writer csv;
    int open;
} fa_timeseries;

fa_status fa_timeseries_open(fa_timeseries *ts, const char *dir, int ncol, const char *const *names, fa_error *err);
/* One row: time t (s) and ncol values. */
fa_status fa_timeseries_row(fa_timeseries *ts, double t, const double *values, fa_error *err);
fa_status fa_timeseries_close(fa_timeseries *ts, fa_error *err);
void fa_timeseries_abort(fa_timeseries *ts);

/* DIR/events.csv: the scenario's injuries, immobilisations, "no" blocks,
 * marked changes and the rules fired in `cur` (may be NULL), one row each,
 * ordered by day: day,time_s,kind,name,region,value,line. */
fa_status fa_write_events_csv(const char *dir, const fa_scenario *sc, const fa_cursor *cur, fa_error *err);

/* DIR/summary.json: the scenario (name, variant, days, person, phases,
 * rules) and per-activity totals of its expanded timeline (hours, bouts,
 * run distance and strides per leg), with the rules in `cur` applied. */
fa_status fa_write_scenario_summary(const char *dir, const fa_scenario *sc, const fa_cursor *cur, fa_error *err);

/* ---------------------------------------------------------------------------
 * Progress bar (drawn only when the stream is a terminal)
 * ------------------------------------------------------------------------- */

typedef struct fa_progress {
    FILE *out;
    int enabled;        /* isatty(out) at init; tests may set it */
    double total;       /* units of work (e.g. simulated days) */
    double t_start;     /* s, monotonic clock at init */
    double t_last;      /* s, last redraw */
    int width;          /* bar cells */
    char label[32];
} fa_progress;

void fa_progress_init(fa_progress *p, FILE *out, double total, const char *label);
/* Redraw (at most 10 times a second) with `done` units finished. */
void fa_progress_update(fa_progress *p, double done);
/* Final redraw at 100% and a newline. */
void fa_progress_finish(fa_progress *p);
/* The bar text for given numbers (pure; used by update), e.g.
 * "run [#########...........]  45.0%  164/365  ETA 0:00:03". */
void fa_progress_format(char *buf, size_t cap, const char *label, double done, double total, double elapsed_s, int width);

/* ---------------------------------------------------------------------------
 * Checkpoints: every FA_DATA_ARRAYS field, the physiology block, time,
 * energy and warning counts, the scenario cursor (with the identity of its
 * scenario: resuming it on another scenario fails in fa_iter_next) and the
 * RNG state, behind a
 * header (magic, version, byte-order mark, fa_model_hash, model sizes) and a
 * trailing FNV-1a checksum. Loading validates everything before touching
 * `d`, and refuses another model, another byte order or a damaged file with
 * a message saying which.
 * ------------------------------------------------------------------------- */

#define FA_CHECKPOINT_VERSION 1

fa_status fa_checkpoint_save(const char *path, const fa_model *m, const fa_data *d, const fa_cursor *cur,
                             const fa_rng *rng, fa_error *err);

/* cur and rng may be NULL (not restored). d->phys is (re)allocated when
 * d->nphys is 0; a different non-zero size is an error. */
fa_status fa_checkpoint_load(const char *path, const fa_model *m, fa_data *d, fa_cursor *cur, fa_rng *rng,
                             fa_error *err);

/* The same from a buffer (a checkpoint received over a network or MPI);
 * `name` is used in messages. */
fa_status fa_checkpoint_load_mem(const void *buf, size_t n, const char *name, const fa_model *m, fa_data *d,
                                 fa_cursor *cur, fa_rng *rng, fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
