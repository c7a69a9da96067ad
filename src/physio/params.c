/* SPDX-License-Identifier: MIT */
/* Physiology parameter table: parse data/params/physiology.csv (RFC-4180
 * style: comma separated, fields may be double-quoted with "" escapes).
 * Columns: id,module,quantity,value,unit,source,grade,notes. The default
 * table is the same file compiled into the library (physio_params_csv.c,
 * generated at configure time), so the library never reads data/ at run
 * time unless asked to. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

extern const char fa_physio_params_csv[];

typedef struct fa_prow {
    char *id, *unit, *source;
    double value;
    char grade;
} fa_prow;

struct fa_physio_params {
    int n, cap;
    fa_prow *rows;
};

void fa_physio_params_free(fa_physio_params *p)
{
    if (!p) return;
    for (int i = 0; i < p->n; i++) {
        free(p->rows[i].id);
        free(p->rows[i].unit);
        free(p->rows[i].source);
    }
    free(p->rows);
    free(p);
}

static char *dup_n(const char *s, size_t n)
{
    char *r = (char *)malloc(n + 1);
    if (!r) return NULL;
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

#define NCOL 8
#define FIELD_MAX 2048

/* Parse one record starting at *pp; fills fields (NUL-terminated copies in
 * buf), column start positions; advances *pp past the newline. Returns the
 * number of fields, or -1 on an unterminated quote. */
static int parse_record(const char **pp, int *line, char fields[NCOL][FIELD_MAX], int cols[NCOL])
{
    const char *p = *pp;
    int nf = 0;
    const char *line_start = p;
    for (;;) {
        char tmp[FIELD_MAX];
        size_t k = 0;
        int c0 = (int)(p - line_start) + 1;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0') return -1;
                if (*p == '"' && p[1] == '"') {
                    if (k + 1 < FIELD_MAX) tmp[k++] = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    if (*p == '\n') (*line)++;
                    if (k + 1 < FIELD_MAX) tmp[k++] = *p;
                    p++;
                }
            }
            while (*p && *p != ',' && *p != '\n' && *p != '\r') p++; /* ignore junk after quote */
        } else {
            while (*p && *p != ',' && *p != '\n' && *p != '\r') {
                if (k + 1 < FIELD_MAX) tmp[k++] = *p;
                p++;
            }
        }
        tmp[k] = '\0';
        if (nf < NCOL) {
            memcpy(fields[nf], tmp, k + 1);
            cols[nf] = c0;
        }
        nf++;
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == '\r') p++;
        if (*p == '\n') p++;
        break;
    }
    *pp = p;
    return nf;
}

static fa_physio_params *parse_text(const char *text, const char *fname, fa_error *err)
{
    fa_physio_params *P = (fa_physio_params *)calloc(1, sizeof *P);
    if (!P) {
        fa_error_set(err, FA_ERR_NOMEM, fname, 0, 0, "out of memory");
        return NULL;
    }
    char (*f)[FIELD_MAX] = (char (*)[FIELD_MAX])malloc(sizeof(char[NCOL][FIELD_MAX]));
    if (!f) {
        free(P);
        fa_error_set(err, FA_ERR_NOMEM, fname, 0, 0, "out of memory");
        return NULL;
    }
    int cols[NCOL];
    const char *p = text;
    int line = 1, header = 1;
    while (*p) {
        int rec_line = line;
        if (*p == '\n' || *p == '\r' || *p == '#') { /* blank or comment line */
            while (*p && *p != '\n') p++;
            if (*p) p++;
            line++;
            continue;
        }
        int nf = parse_record(&p, &line, f, cols);
        line++;
        if (nf < 0) {
            fa_error_set(err, FA_ERR_SYNTAX, fname, rec_line, 1, "expected a closing '\"', found end of file");
            goto fail;
        }
        if (header) {
            header = 0;
            if (nf < 7 || strcmp(f[0], "id") != 0 || strcmp(f[3], "value") != 0 || strcmp(f[6], "grade") != 0) {
                fa_error_set(err, FA_ERR_SYNTAX, fname, rec_line, 1,
                             "expected header 'id,module,quantity,value,unit,source,grade,notes', found '%s,...'",
                             f[0]);
                goto fail;
            }
            continue;
        }
        if (nf < 7) {
            fa_error_set(err, FA_ERR_SYNTAX, fname, rec_line, 1, "expected at least 7 columns, found %d", nf);
            goto fail;
        }
        if (!f[0][0]) {
            fa_error_set(err, FA_ERR_MISSING, fname, rec_line, cols[0], "expected a parameter id, found an empty field");
            goto fail;
        }
        char *end = NULL;
        errno = 0;
        double v = strtod(f[3], &end);
        if (end == f[3] || *end != '\0' || errno == ERANGE || !isfinite(v)) {
            fa_error_set(err, FA_ERR_TYPE, fname, rec_line, cols[3], "expected a finite number for '%s', found '%s'",
                         f[0], f[3]);
            goto fail;
        }
        if (!(f[6][0] == 'A' || f[6][0] == 'B' || f[6][0] == 'C') || f[6][1] != '\0') {
            fa_error_set(err, FA_ERR_RANGE, fname, rec_line, cols[6], "expected grade A, B or C for '%s', found '%s'",
                         f[0], f[6]);
            goto fail;
        }
        if (!f[5][0]) {
            fa_error_set(err, FA_ERR_MISSING, fname, rec_line, cols[5], "expected a source for '%s', found nothing",
                         f[0]);
            goto fail;
        }
        for (int i = 0; i < P->n; i++)
            if (!strcmp(P->rows[i].id, f[0])) {
                fa_error_set(err, FA_ERR_DUPLICATE, fname, rec_line, cols[0], "expected a new id, found '%s' again",
                             f[0]);
                goto fail;
            }
        if (P->n == P->cap) {
            int nc = P->cap ? 2 * P->cap : 64;
            fa_prow *r = (fa_prow *)realloc(P->rows, (size_t)nc * sizeof *r);
            if (!r) goto nomem;
            P->rows = r;
            P->cap = nc;
        }
        fa_prow *r = &P->rows[P->n];
        r->id = dup_n(f[0], strlen(f[0]));
        r->unit = dup_n(f[4], strlen(f[4]));
        r->source = dup_n(f[5], strlen(f[5]));
        r->value = v;
        r->grade = f[6][0];
        P->n++;
        if (!r->id || !r->unit || !r->source) goto nomem;
    }
    free(f);
    if (header) {
        fa_error_set(err, FA_ERR_SYNTAX, fname, 1, 1, "expected a CSV header, found an empty file");
        fa_physio_params_free(P);
        return NULL;
    }
    return P;
nomem:
    fa_error_set(err, FA_ERR_NOMEM, fname, line, 0, "out of memory");
fail:
    free(f);
    fa_physio_params_free(P);
    return NULL;
}

fa_physio_params *fa_physio_params_default(fa_error *err)
{
    return parse_text(fa_physio_params_csv, "data/params/physiology.csv", err);
}

fa_physio_params *fa_physio_params_load(const char *path, fa_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fa_error_set(err, FA_ERR_IO, path, 0, 0, "expected a readable parameter table, found none (%s)",
                     strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = (char *)malloc(cap);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n - 1, fp);
        n += r;
        if (n + 1 < cap) break;
        char *nb = (char *)realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    fclose(fp);
    if (!buf) {
        fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    buf[n] = '\0';
    fa_physio_params *P = parse_text(buf, path, err);
    free(buf);
    return P;
}

int fa_physio_params_count(const fa_physio_params *p) { return p ? p->n : 0; }
const char *fa_physio_params_id(const fa_physio_params *p, int i) { return p->rows[i].id; }
double fa_physio_params_value(const fa_physio_params *p, int i) { return p->rows[i].value; }
const char *fa_physio_params_unit(const fa_physio_params *p, int i) { return p->rows[i].unit; }
char fa_physio_params_grade(const fa_physio_params *p, int i) { return p->rows[i].grade; }
const char *fa_physio_params_source(const fa_physio_params *p, int i) { return p->rows[i].source; }

int fa_physio_params_find(const fa_physio_params *p, const char *id)
{
    if (!p || !id) return -1;
    for (int i = 0; i < p->n; i++)
        if (!strcmp(p->rows[i].id, id)) return i;
    return -1;
}

fa_status fa_physio_params_set(fa_physio_params *p, const char *id, double value)
{
    int i = fa_physio_params_find(p, id);
    if (i < 0) return FA_ERR_UNKNOWN;
    p->rows[i].value = value;
    return FA_OK;
}
