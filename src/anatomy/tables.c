/* SPDX-License-Identifier: MIT */
/* Anatomy tables: a small RFC-4180 CSV reader ('#' comment lines, quoted
 * fields with "" escapes, header row naming the columns) and the loaders of
 * the data/anatomy tables into fa_anatomy. Every error names file:line:col and
 * says what was expected and what was found. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anatomy_internal.h"

/* ---- CSV ------------------------------------------------------------------ */

void fa_csv_free(fa_csv *c)
{
    if (!c) return;
    for (int r = 0; r < c->nrow; r++) {
        for (int k = 0; k < c->ncol; k++) free(c->cell[r][k]);
        free(c->cell[r]);
        free(c->col0[r]);
    }
    for (int k = 0; k < c->ncol; k++) free(c->head[k]);
    free(c->head);
    free(c->cell);
    free(c->line);
    free(c->col0);
    free(c->text);
    memset(c, 0, sizeof *c);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = (char *)malloc(cap + 1);
    while (b) {
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        char *nb = (char *)realloc(b, 2 * cap + 1);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        cap *= 2;
    }
    fclose(f);
    if (b) b[n] = '\0';
    *len = n;
    return b;
}

/* Parse one record starting at *p (line `line`). Fields go to out (malloc'd). */
static fa_status parse_record(const char *path, int line, const char **p, char ***out, int *nf, int **cols,
                              fa_error *err)
{
    const char *s = *p, *start = s;
    int cap = 16, n = 0;
    char **f = (char **)malloc((size_t)cap * sizeof *f);
    int *c = (int *)malloc((size_t)cap * sizeof *c);
    if (!f || !c) {
        free(f);
        free(c);
        return fa_error_set(err, FA_ERR_NOMEM, path, line, 1, "out of memory");
    }
    for (;;) {
        size_t bcap = 64, bl = 0;
        char *b = (char *)malloc(bcap);
        if (!b) goto nomem;
        int col = (int)(s - start) + 1;
        if (*s == '"') {
            s++;
            for (;;) {
                if (*s == '\0' || *s == '\n') {
                    free(b);
                    for (int k = 0; k < n; k++) free(f[k]);
                    free(f);
                    free(c);
                    return fa_error_set(err, FA_ERR_SYNTAX, path, line, col,
                                        "unterminated quoted field: expected a closing '\"', found end of line");
                }
                if (*s == '"' && s[1] == '"') {
                    s += 2;
                    if (bl + 2 > bcap) b = (char *)realloc(b, bcap *= 2);
                    if (!b) goto nomem;
                    b[bl++] = '"';
                    continue;
                }
                if (*s == '"') {
                    s++;
                    break;
                }
                if (bl + 2 > bcap) b = (char *)realloc(b, bcap *= 2);
                if (!b) goto nomem;
                b[bl++] = *s++;
            }
            if (*s != ',' && *s != '\n' && *s != '\r' && *s != '\0') {
                free(b);
                for (int k = 0; k < n; k++) free(f[k]);
                free(f);
                free(c);
                return fa_error_set(err, FA_ERR_SYNTAX, path, line, (int)(s - start) + 1,
                                    "expected ',' or end of line after a quoted field, found '%c'", *s);
            }
        } else {
            while (*s && *s != ',' && *s != '\n' && *s != '\r') {
                if (bl + 2 > bcap) b = (char *)realloc(b, bcap *= 2);
                if (!b) goto nomem;
                b[bl++] = *s++;
            }
        }
        b[bl] = '\0';
        if (n == cap) {
            cap *= 2;
            char **nf2 = (char **)realloc(f, (size_t)cap * sizeof *f);
            int *nc2 = (int *)realloc(c, (size_t)cap * sizeof *c);
            if (nf2) f = nf2;
            if (nc2) c = nc2;
            if (!nf2 || !nc2) {
                free(b);
                goto nomem;
            }
        }
        f[n] = b;
        c[n++] = col;
        if (*s == ',') {
            s++;
            continue;
        }
        break;
    }
    if (*s == '\r') s++;
    if (*s == '\n') s++;
    *p = s;
    *out = f;
    *nf = n;
    *cols = c;
    return FA_OK;
nomem:
    for (int k = 0; k < n; k++) free(f[k]);
    free(f);
    free(c);
    return fa_error_set(err, FA_ERR_NOMEM, path, line, 1, "out of memory");
}

fa_status fa_csv_read(const char *path, fa_csv *c, fa_error *err)
{
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s", path);
    size_t len;
    c->text = read_all(path, &len);
    if (!c->text) return fa_error_set(err, FA_ERR_IO, path, 0, 0, "cannot read the file");
    if (strlen(c->text) != len)
        return fa_error_set(err, FA_ERR_SYNTAX, path, 0, 0, "expected a text file, found a NUL byte");
    const char *p = c->text;
    int line = 1, cap = 0;
    while (*p) {
        if (*p == '#' || *p == '\n' || (*p == '\r' && p[1] == '\n')) {
            while (*p && *p != '\n') p++;
            if (*p) p++;
            line++;
            continue;
        }
        char **f = NULL;
        int nf = 0, *cols = NULL;
        fa_status st = parse_record(path, line, &p, &f, &nf, &cols, err);
        if (st) return st;
        if (!c->head) {
            c->head = f;
            c->ncol = nf;
            free(cols);
        } else {
            if (nf != c->ncol) {
                for (int k = 0; k < nf; k++) free(f[k]);
                free(f);
                free(cols);
                return fa_error_set(err, FA_ERR_SYNTAX, path, line, 1, "expected %d fields (as in the header), found %d",
                                    c->ncol, nf);
            }
            if (c->nrow == cap) {
                cap = cap ? 2 * cap : 64;
                char ***nc = (char ***)realloc(c->cell, (size_t)cap * sizeof *nc);
                int *nl = (int *)realloc(c->line, (size_t)cap * sizeof *nl);
                int **n0 = (int **)realloc(c->col0, (size_t)cap * sizeof *n0);
                if (nc) c->cell = nc;
                if (nl) c->line = nl;
                if (n0) c->col0 = n0;
                if (!nc || !nl || !n0) {
                    for (int k = 0; k < nf; k++) free(f[k]);
                    free(f);
                    free(cols);
                    return fa_error_set(err, FA_ERR_NOMEM, path, line, 1, "out of memory");
                }
            }
            c->cell[c->nrow] = f;
            c->col0[c->nrow] = cols;
            c->line[c->nrow++] = line;
        }
        line++;
    }
    if (!c->head) return fa_error_set(err, FA_ERR_SYNTAX, path, line, 1, "expected a header row, found none");
    return FA_OK;
}

int fa_csv_col(const fa_csv *c, const char *name)
{
    for (int k = 0; k < c->ncol; k++)
        if (!strcmp(c->head[k], name)) return k;
    return -1;
}

/* Column indices for a list of required names. */
static fa_status need_cols(const fa_csv *c, const char *const *names, int *idx, fa_error *err)
{
    for (int i = 0; names[i]; i++) {
        idx[i] = fa_csv_col(c, names[i]);
        if (idx[i] < 0) return fa_error_set(err, FA_ERR_MISSING, c->path, 1, 1, "missing column '%s' in the header", names[i]);
    }
    return FA_OK;
}

/* A number in a cell; empty -> NaN when allow_empty. */
static fa_status cell_num(const fa_csv *c, int r, int k, int allow_empty, double *out, fa_error *err)
{
    const char *s = c->cell[r][k];
    while (*s == ' ') s++;
    if (!*s && allow_empty) {
        *out = NAN;
        return FA_OK;
    }
    char *end;
    double v = strtod(s, &end);
    while (*end == ' ') end++;
    if (end == s || *end || !isfinite(v))
        return fa_error_set(err, FA_ERR_TYPE, c->path, c->line[r], c->col0[r][k],
                            "expected a finite number in column '%s', found '%s'", c->head[k], c->cell[r][k]);
    *out = v;
    return FA_OK;
}

static fa_status cell_grade(const fa_csv *c, int r, int k, char *out, fa_error *err)
{
    const char *s = c->cell[r][k];
    if (strlen(s) != 1 || (s[0] != 'A' && s[0] != 'B' && s[0] != 'C'))
        return fa_error_set(err, FA_ERR_TYPE, c->path, c->line[r], c->col0[r][k],
                            "expected an evidence grade A, B or C in column '%s', found '%s'", c->head[k], s);
    *out = s[0];
    return FA_OK;
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = (char *)malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* ---- fa_anatomy ------------------------------------------------------------- */

#define STR_ARRAYS(X)                                                                                          \
    X(lm_name, nlandmark) X(lm_body, nlandmark) X(lm_source, nlandmark) X(line_id, nline) X(line_title, nline)  \
    X(line_evidence, nline) X(line_cite, nline) X(tr_line, ntrack) X(tr_from, ntrack) X(tr_to, ntrack)          \
    X(tr_via, ntrack) X(tr_name, ntrack) X(tr_muscle, ntrack) X(tr_struct, ntrack) X(tr_regions, ntrack)         \
    X(st_id, nstruct) X(st_title, nstruct) X(st_kind, nstruct) X(st_mat, nstruct) X(st_thick_src, nstruct)       \
    X(st_stiff_src, nstruct) X(st_geom, nstruct) X(st_p0, nstruct) X(st_p1, nstruct) X(st_p2, nstruct)           \
    X(st_markers, nstruct) X(st_body0, nstruct) X(st_body1, nstruct) X(st_sub0, nstruct) X(st_sub1, nstruct)     \
    X(st_lines, nstruct) X(st_attach, nstruct) X(st_regions, nstruct) X(mat_id, nmat) X(mat_cite, nmat)          \
    X(po_name, npost) X(po_coord, npost) X(be_id, nbelly)

#define PLAIN_ARRAYS(X)                                                                                         \
    X(lm_pos) X(line_cross) X(line_grade) X(tr_seq) X(tr_kind) X(tr_fileline) X(st_fileline) X(po_fileline) X(dir) X(st_thick) X(st_thick_grade) X(st_width)        \
    X(st_stiff) X(st_nu) X(st_nv) X(st_fibre_deg) X(mat_E) X(mat_toe) X(mat_Em) X(mat_nu) X(mat_rho) X(mat_fail)                 \
    X(mat_f2angle_deg) X(mat_f2frac) X(mat_grade) X(po_deg) X(be_lopt) X(be_fmax) X(be_lts) X(be_at_to) X(be_fileline)

void fa_anatomy_free(fa_anatomy *a)
{
    if (!a) return;
#define FREE_STR_(name, count)                                      \
    if (a->name)                                                    \
        for (int i_ = 0; i_ < a->count; i_++) free(a->name[i_]);    \
    free(a->name);
    STR_ARRAYS(FREE_STR_)
#undef FREE_STR_
#define FREE_PLAIN_(name) free(a->name);
    PLAIN_ARRAYS(FREE_PLAIN_)
#undef FREE_PLAIN_
    free(a->glide_cite);
    free(a);
}

#define ALLOC_N(ptr, n) ((ptr) = calloc((size_t)((n) > 0 ? (n) : 1), sizeof *(ptr)))

static fa_status load_landmarks(fa_anatomy *a, const char *dir, fa_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/landmarks.csv", dir);
    fa_csv c;
    fa_status st = fa_csv_read(path, &c, err);
    static const char *const cols[] = {"landmark", "body", "x", "y", "z", "source", NULL};
    int k[6];
    if (!st) st = need_cols(&c, cols, k, err);
    if (!st) {
        a->nlandmark = c.nrow;
        if (!ALLOC_N(a->lm_name, c.nrow) || !ALLOC_N(a->lm_body, c.nrow) || !ALLOC_N(a->lm_source, c.nrow) ||
            !ALLOC_N(a->lm_pos, 3 * c.nrow))
            st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    for (int r = 0; r < c.nrow && !st; r++) {
        a->lm_name[r] = dup(c.cell[r][k[0]]);
        a->lm_body[r] = dup(c.cell[r][k[1]]);
        a->lm_source[r] = dup(c.cell[r][k[5]]);
        for (int q = 0; q < 3 && !st; q++) st = cell_num(&c, r, k[2 + q], 0, &a->lm_pos[3 * r + q], err);
        for (int s = 0; s < r && !st; s++)
            if (!strcmp(a->lm_name[s], a->lm_name[r]))
                st = fa_error_set(err, FA_ERR_DUPLICATE, path, c.line[r], 1, "duplicate landmark '%s' (first on line %d)",
                                  a->lm_name[r], c.line[s]);
    }
    fa_csv_free(&c);
    return st;
}

static fa_status load_lines(fa_anatomy *a, const char *dir, fa_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/lines.csv", dir);
    fa_csv c;
    fa_status st = fa_csv_read(path, &c, err);
    static const char *const cols[] = {"line", "name", "cross", "grade", "evidence", "citation", NULL};
    int k[6];
    if (!st) st = need_cols(&c, cols, k, err);
    if (!st) {
        a->nline = c.nrow;
        if (!ALLOC_N(a->line_id, c.nrow) || !ALLOC_N(a->line_title, c.nrow) || !ALLOC_N(a->line_cross, c.nrow) ||
            !ALLOC_N(a->line_grade, c.nrow) || !ALLOC_N(a->line_evidence, c.nrow) || !ALLOC_N(a->line_cite, c.nrow))
            st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    for (int r = 0; r < c.nrow && !st; r++) {
        double x;
        a->line_id[r] = dup(c.cell[r][k[0]]);
        a->line_title[r] = dup(c.cell[r][k[1]]);
        a->line_evidence[r] = dup(c.cell[r][k[4]]);
        a->line_cite[r] = dup(c.cell[r][k[5]]);
        st = cell_num(&c, r, k[2], 0, &x, err);
        if (!st && x != 0 && x != 1)
            st = fa_error_set(err, FA_ERR_RANGE, path, c.line[r], c.col0[r][k[2]], "expected cross 0 or 1, found %s",
                              c.cell[r][k[2]]);
        a->line_cross[r] = x == 1;
        if (!st) st = cell_grade(&c, r, k[3], &a->line_grade[r], err);
    }
    fa_csv_free(&c);
    return st;
}

static fa_status load_tracks(fa_anatomy *a, const char *dir, fa_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tracks.csv", dir);
    fa_csv c;
    fa_status st = fa_csv_read(path, &c, err);
    static const char *const cols[] = {"line", "seq", "from", "to", "via", "track", "kind", "muscle", "structure", "regions", NULL};
    static const char *const kinds[] = {"cord", "muscle", "sheet", "insert", "gap", "belly"};
    int k[10];
    if (!st) st = need_cols(&c, cols, k, err);
    if (!st) {
        a->ntrack = c.nrow;
        if (!ALLOC_N(a->tr_line, c.nrow) || !ALLOC_N(a->tr_seq, c.nrow) || !ALLOC_N(a->tr_from, c.nrow) ||
            !ALLOC_N(a->tr_to, c.nrow) || !ALLOC_N(a->tr_via, c.nrow) || !ALLOC_N(a->tr_name, c.nrow) ||
            !ALLOC_N(a->tr_kind, c.nrow) || !ALLOC_N(a->tr_muscle, c.nrow) || !ALLOC_N(a->tr_struct, c.nrow) ||
            !ALLOC_N(a->tr_regions, c.nrow) || !ALLOC_N(a->tr_fileline, c.nrow))
            st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    for (int r = 0; r < c.nrow && !st; r++) {
        double x;
        a->tr_line[r] = dup(c.cell[r][k[0]]);
        a->tr_from[r] = dup(c.cell[r][k[2]]);
        a->tr_to[r] = dup(c.cell[r][k[3]]);
        a->tr_via[r] = dup(c.cell[r][k[4]]);
        a->tr_name[r] = dup(c.cell[r][k[5]]);
        a->tr_muscle[r] = dup(c.cell[r][k[7]]);
        a->tr_struct[r] = dup(c.cell[r][k[8]]);
        a->tr_regions[r] = dup(c.cell[r][k[9]]);
        a->tr_fileline[r] = c.line[r];
        st = cell_num(&c, r, k[1], 0, &x, err);
        a->tr_seq[r] = (int)x;
        int kind = -1;
        for (int q = 0; q < 6; q++)
            if (!strcmp(c.cell[r][k[6]], kinds[q])) kind = q;
        if (!st && kind < 0)
            st = fa_error_set(err, FA_ERR_TYPE, path, c.line[r], c.col0[r][k[6]],
                              "expected kind cord, muscle, sheet, insert, gap or belly, found '%s'", c.cell[r][k[6]]);
        a->tr_kind[r] = kind;
        if (!st && (kind == FA_TRACK_MUSCLE || kind == FA_TRACK_INSERT || kind == FA_TRACK_BELLY) && !a->tr_muscle[r][0])
            st = fa_error_set(err, FA_ERR_MISSING, path, c.line[r], c.col0[r][k[7]],
                              kind == FA_TRACK_BELLY ? "expected a row of bellies.csv for a %s track, found none"
                                                     : "expected an OpenSim muscle for a %s track, found none",
                              kinds[kind]);
        if (!st && kind != FA_TRACK_GAP && !a->tr_name[r][0])
            st = fa_error_set(err, FA_ERR_MISSING, path, c.line[r], c.col0[r][k[5]], "expected a track name, found none");
        if (!st && kind != FA_TRACK_GAP && !a->tr_struct[r][0])
            st = fa_error_set(err, FA_ERR_MISSING, path, c.line[r], c.col0[r][k[8]], "expected a structure, found none");
    }
    fa_csv_free(&c);
    return st;
}

static fa_status load_structures(fa_anatomy *a, const char *dir, fa_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/structures.csv", dir);
    fa_csv c;
    fa_status st = fa_csv_read(path, &c, err);
    static const char *const cols[] = {"id", "name", "kind", "material", "thickness_m", "thickness_source",
                                       "thickness_grade", "width_m", "stiffness_N_per_m", "stiffness_source",
                                       "geometry", "p0", "p1", "p2", "markers", "nu", "nv", "body0", "body1",
                                       "sub0", "sub1", "lines", "attachments", "regions", "fibre_deg", NULL};
    int k[25];
    if (!st) st = need_cols(&c, cols, k, err);
    int n = st ? 0 : c.nrow;
    a->nstruct = n;
    if (!st && (!ALLOC_N(a->st_id, n) || !ALLOC_N(a->st_title, n) || !ALLOC_N(a->st_kind, n) || !ALLOC_N(a->st_mat, n) ||
                !ALLOC_N(a->st_thick, n) || !ALLOC_N(a->st_thick_src, n) || !ALLOC_N(a->st_thick_grade, n) ||
                !ALLOC_N(a->st_width, n) || !ALLOC_N(a->st_stiff, n) || !ALLOC_N(a->st_stiff_src, n) ||
                !ALLOC_N(a->st_geom, n) || !ALLOC_N(a->st_p0, n) || !ALLOC_N(a->st_p1, n) || !ALLOC_N(a->st_p2, n) ||
                !ALLOC_N(a->st_markers, n) || !ALLOC_N(a->st_nu, n) || !ALLOC_N(a->st_nv, n) ||
                !ALLOC_N(a->st_body0, n) || !ALLOC_N(a->st_body1, n) || !ALLOC_N(a->st_sub0, n) ||
                !ALLOC_N(a->st_sub1, n) || !ALLOC_N(a->st_lines, n) || !ALLOC_N(a->st_attach, n) ||
                !ALLOC_N(a->st_regions, n) || !ALLOC_N(a->st_fileline, n) || !ALLOC_N(a->st_fibre_deg, n)))
        st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
    for (int r = 0; r < n && !st; r++) {
        char **dst[] = {&a->st_id[r], &a->st_title[r], &a->st_kind[r], &a->st_mat[r]};
        for (int q = 0; q < 4; q++) *dst[q] = dup(c.cell[r][k[q]]);
        a->st_thick_src[r] = dup(c.cell[r][k[5]]);
        a->st_stiff_src[r] = dup(c.cell[r][k[9]]);
        a->st_geom[r] = dup(c.cell[r][k[10]]);
        a->st_p0[r] = dup(c.cell[r][k[11]]);
        a->st_p1[r] = dup(c.cell[r][k[12]]);
        a->st_p2[r] = dup(c.cell[r][k[13]]);
        a->st_markers[r] = dup(c.cell[r][k[14]]);
        a->st_body0[r] = dup(c.cell[r][k[17]]);
        a->st_body1[r] = dup(c.cell[r][k[18]]);
        a->st_sub0[r] = dup(c.cell[r][k[19]]);
        a->st_sub1[r] = dup(c.cell[r][k[20]]);
        a->st_lines[r] = dup(c.cell[r][k[21]]);
        a->st_attach[r] = dup(c.cell[r][k[22]]);
        a->st_regions[r] = dup(c.cell[r][k[23]]);
        a->st_fileline[r] = c.line[r];
        st = cell_num(&c, r, k[4], 1, &a->st_thick[r], err);
        if (!st) st = cell_grade(&c, r, k[6], &a->st_thick_grade[r], err);
        if (!st) st = cell_num(&c, r, k[7], 1, &a->st_width[r], err);
        if (!st) st = cell_num(&c, r, k[8], 1, &a->st_stiff[r], err);
        double x;
        if (!st) st = cell_num(&c, r, k[15], 1, &x, err);
        a->st_nu[r] = isnan(x) ? 0 : (int)x;
        if (!st) st = cell_num(&c, r, k[16], 1, &x, err);
        a->st_nv[r] = isnan(x) ? 0 : (int)x;
        if (!st) st = cell_num(&c, r, k[24], 1, &x, err);
        a->st_fibre_deg[r] = isnan(x) ? 0 : x;
        const char *kd = a->st_kind[r];
        if (!st && strcmp(kd, "cord") && strcmp(kd, "sheet") && strcmp(kd, "sheath") && strcmp(kd, "bag"))
            st = fa_error_set(err, FA_ERR_TYPE, path, c.line[r], c.col0[r][k[2]],
                              "expected kind cord, sheet, sheath or bag, found '%s'", kd);
        if (!st && !strcmp(kd, "bag") && strcmp(a->st_geom[r], "tube"))
            st = fa_error_set(err, FA_ERR_TYPE, path, c.line[r], c.col0[r][k[10]],
                              "expected geometry tube for a bag (a tube around each muscle of bags.csv), found '%s'",
                              a->st_geom[r]);
        int sheet = !st && strcmp(kd, "cord") != 0;
        if (sheet && strcmp(a->st_geom[r], "tube") && strcmp(a->st_geom[r], "patch"))
            st = fa_error_set(err, FA_ERR_TYPE, path, c.line[r], c.col0[r][k[10]],
                              "expected geometry tube or patch for a %s, found '%s'", kd, a->st_geom[r]);
        if (sheet && !st && (a->st_nu[r] < 2 || a->st_nv[r] < 2))
            st = fa_error_set(err, FA_ERR_RANGE, path, c.line[r], c.col0[r][k[15]],
                              "expected nu >= 2 and nv >= 2 for a %s, found %d x %d", kd, a->st_nu[r], a->st_nv[r]);
        if (sheet && !st && !(a->st_thick[r] > 0))
            st = fa_error_set(err, FA_ERR_RANGE, path, c.line[r], c.col0[r][k[4]],
                              "expected a thickness > 0 m for a %s, found '%s'", kd, c.cell[r][k[4]]);
    }
    fa_csv_free(&c);
    return st;
}

static fa_status load_materials(fa_anatomy *a, const char *dir, fa_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/materials.csv", dir);
    fa_csv c;
    fa_status st = fa_csv_read(path, &c, err);
    static const char *const cols[] = {"material", "E_Pa", "toe_strain", "matrix_E_Pa", "nu", "density_kg_m3",
                                       "failure_strain", "fib2_angle_deg", "fib2_fraction", "grade", "cite", NULL};
    int k[11];
    if (!st) st = need_cols(&c, cols, k, err);
    int n = st ? 0 : c.nrow;
    a->nmat = n;
    if (!st && (!ALLOC_N(a->mat_id, n) || !ALLOC_N(a->mat_E, n) || !ALLOC_N(a->mat_toe, n) || !ALLOC_N(a->mat_Em, n) ||
                !ALLOC_N(a->mat_nu, n) || !ALLOC_N(a->mat_rho, n) || !ALLOC_N(a->mat_fail, n) ||
                !ALLOC_N(a->mat_f2angle_deg, n) || !ALLOC_N(a->mat_f2frac, n) || !ALLOC_N(a->mat_grade, n) ||
                !ALLOC_N(a->mat_cite, n)))
        st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
    for (int r = 0; r < n && !st; r++) {
        a->mat_id[r] = dup(c.cell[r][k[0]]);
        a->mat_cite[r] = dup(c.cell[r][k[10]]);
        if (!strcmp(c.cell[r][k[1]], "derived")) a->mat_E[r] = NAN;
        else st = cell_num(&c, r, k[1], 0, &a->mat_E[r], err);
        double *dst[] = {a->mat_toe, a->mat_Em, a->mat_nu, a->mat_rho, a->mat_fail, a->mat_f2angle_deg, a->mat_f2frac};
        for (int q = 0; q < 7 && !st; q++) st = cell_num(&c, r, k[2 + q], 0, &dst[q][r], err);
        if (!st) st = cell_grade(&c, r, k[9], &a->mat_grade[r], err);
    }
    fa_csv_free(&c);
    return st;
}

static fa_status load_glide(fa_anatomy *a, const char *dir, fa_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/glide.csv", dir);
    fa_csv c;
    fa_status st = fa_csv_read(path, &c, err);
    static const char *const cols[] = {"parameter", "value", "unit", "grade", "source", NULL};
    static const char *const names[] = {"glide_G", "glide_h", "glide_eta", "glide_Einst", "track_glide_h",
                                        "tendon_strain_fmax", "muscle_vmax", "max_segment", "glide_normal_h", "cord_normal_h",
                                        "station_G", "station_h", "station_area"};
    double *dst[] = {&a->glide_G, &a->glide_h, &a->glide_eta, &a->glide_Einst, &a->track_glide_h,
                     &a->tendon_strain_fmax, &a->muscle_vmax, &a->max_segment, &a->glide_normal_h, &a->cord_normal_h,
                     &a->station_G, &a->station_h, &a->station_area};
    enum { NPAR = 13 };
    int k[5], found[NPAR] = {0};
    if (!st) st = need_cols(&c, cols, k, err);
    a->glide_grade = 'A';
    size_t cl = 1;
    for (int r = 0; r < c.nrow && !st; r++) {
        int q = -1;
        for (int i = 0; i < NPAR; i++)
            if (!strcmp(c.cell[r][k[0]], names[i])) q = i;
        if (q < 0) {
            st = fa_error_set(err, FA_ERR_UNKNOWN, path, c.line[r], 1, "unknown parameter '%s'", c.cell[r][k[0]]);
            break;
        }
        st = cell_num(&c, r, k[1], 0, dst[q], err);
        if (!st && !(*dst[q] > 0))
            st = fa_error_set(err, FA_ERR_RANGE, path, c.line[r], c.col0[r][k[1]], "expected a value > 0, found %s",
                              c.cell[r][k[1]]);
        found[q] = 1;
        char g;
        if (!st) st = cell_grade(&c, r, k[3], &g, err);
        if (!st && q <= 4 && g > a->glide_grade) a->glide_grade = g;
        if (q <= 4) cl += strlen(c.cell[r][k[4]]) + 3;
    }
    for (int i = 0; i < NPAR && !st; i++)
        if (!found[i]) st = fa_error_set(err, FA_ERR_MISSING, path, 0, 0, "missing parameter '%s'", names[i]);
    if (!st) {
        a->glide_cite = (char *)calloc(cl, 1);
        if (!a->glide_cite) st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
        for (int r = 0; r < c.nrow && !st; r++) {
            int q = -1;
            for (int i = 0; i < 5; i++)
                if (!strcmp(c.cell[r][k[0]], names[i])) q = i;
            if (q < 0) continue;
            if (a->glide_cite[0]) strcat(a->glide_cite, "; ");
            strcat(a->glide_cite, c.cell[r][k[4]]);
        }
    }
    fa_csv_free(&c);
    return st;
}

static fa_status load_postures(fa_anatomy *a, const char *dir, fa_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/postures.csv", dir);
    fa_csv c;
    fa_status st = fa_csv_read(path, &c, err);
    static const char *const cols[] = {"posture", "coordinate", "deg", "source", "grade", NULL};
    int k[5];
    if (!st) st = need_cols(&c, cols, k, err);
    int n = st ? 0 : c.nrow;
    a->npost = n;
    if (!st && (!ALLOC_N(a->po_name, n) || !ALLOC_N(a->po_coord, n) || !ALLOC_N(a->po_deg, n) ||
                !ALLOC_N(a->po_fileline, n)))
        st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
    for (int r = 0; r < n && !st; r++) {
        a->po_name[r] = dup(c.cell[r][k[0]]);
        a->po_coord[r] = dup(c.cell[r][k[1]]);
        a->po_fileline[r] = c.line[r];
        st = cell_num(&c, r, k[2], 0, &a->po_deg[r], err);
        char g;
        if (!st) st = cell_grade(&c, r, k[4], &g, err);
    }
    fa_csv_free(&c);
    return st;
}

static fa_status load_bellies(fa_anatomy *a, const char *dir, fa_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/bellies.csv", dir);
    fa_csv c;
    fa_status st = fa_csv_read(path, &c, err);
    static const char *const cols[] = {"belly", "lopt_m", "fmax_N", "tendon_slack_m", "fibres_at", "grade", "source", NULL};
    int k[7];
    if (!st) st = need_cols(&c, cols, k, err);
    int n = st ? 0 : c.nrow;
    a->nbelly = n;
    if (!st && (!ALLOC_N(a->be_id, n) || !ALLOC_N(a->be_lopt, n) || !ALLOC_N(a->be_fmax, n) || !ALLOC_N(a->be_lts, n) ||
                !ALLOC_N(a->be_at_to, n) || !ALLOC_N(a->be_fileline, n)))
        st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
    for (int r = 0; r < n && !st; r++) {
        a->be_id[r] = dup(c.cell[r][k[0]]);
        a->be_fileline[r] = c.line[r];
        double *dst[] = {a->be_lopt, a->be_fmax, a->be_lts};
        for (int q = 0; q < 3 && !st; q++) {
            st = cell_num(&c, r, k[1 + q], 0, &dst[q][r], err);
            if (!st && !(dst[q][r] > 0))
                st = fa_error_set(err, FA_ERR_RANGE, path, c.line[r], c.col0[r][k[1 + q]], "expected a value > 0, found %s",
                                  c.cell[r][k[1 + q]]);
        }
        const char *at = c.cell[r][k[4]];
        if (!st && strcmp(at, "from") && strcmp(at, "to"))
            st = fa_error_set(err, FA_ERR_TYPE, path, c.line[r], c.col0[r][k[4]], "expected fibres_at from or to, found '%s'", at);
        a->be_at_to[r] = !strcmp(at, "to");
        char g;
        if (!st) st = cell_grade(&c, r, k[5], &g, err);
    }
    fa_csv_free(&c);
    return st;
}

int fa_anatomy_belly(const fa_anatomy *a, const char *name)
{
    char b[256];
    for (int i = 0; i < a->nbelly; i++)
        for (int s = 0; s < 2; s++)
            if (!strcmp(fa_anatomy_side(a->be_id[i], s ? 'l' : 'r', b, sizeof b), name)) return i;
    return -1;
}

fa_status fa_anatomy_load(const char *dir, fa_anatomy **out, fa_error *err)
{
    *out = NULL;
    fa_anatomy *a = (fa_anatomy *)calloc(1, sizeof *a);
    if (!a) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "out of memory");
    a->dir = dup(dir);
    fa_status st = a->dir ? load_landmarks(a, dir, err) : fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!st) st = load_lines(a, dir, err);
    if (!st) st = load_tracks(a, dir, err);
    if (!st) st = load_structures(a, dir, err);
    if (!st) st = load_materials(a, dir, err);
    if (!st) st = load_glide(a, dir, err);
    if (!st) st = load_postures(a, dir, err);
    if (!st) st = load_bellies(a, dir, err);
    if (st) {
        fa_anatomy_free(a);
        return st;
    }
    *out = a;
    return FA_OK;
}

int fa_anatomy_landmark(const fa_anatomy *a, const char *name)
{
    for (int i = 0; i < a->nlandmark; i++)
        if (!strcmp(a->lm_name[i], name)) return i;
    return -1;
}

int fa_anatomy_structure(const fa_anatomy *a, const char *id)
{
    for (int i = 0; i < a->nstruct; i++)
        if (!strcmp(a->st_id[i], id)) return i;
    return -1;
}

char *fa_anatomy_side(const char *t, char side, char *out, size_t n)
{
    char other = side == 'r' ? 'l' : 'r';
    size_t k = 0;
    for (; *t && k + 1 < n; t++) {
        if (t[0] == '{' && (t[1] == 's' || t[1] == 'o') && t[2] == '}') {
            out[k++] = t[1] == 's' ? side : other;
            t += 2;
        } else {
            out[k++] = *t;
        }
    }
    out[k] = '\0';
    return out;
}

int fa_anatomy_postures(const fa_anatomy *a, const char **names, int max)
{
    int n = 0;
    for (int i = 0; i < a->npost; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++) seen = !strcmp(a->po_name[j], a->po_name[i]);
        if (seen) continue;
        if (n < max) names[n] = a->po_name[i];
        n++;
    }
    return n;
}

fa_status fa_anatomy_posture(const fa_anatomy *a, const fa_osim *osim, const char *name, fa_osim_pose *pose,
                             fa_error *err)
{
    int found = 0;
    fa_osim_pose_defaults(osim, pose);
    for (int i = 0; i < a->npost; i++) {
        if (strcmp(a->po_name[i], name)) continue;
        found = 1;
        int c = fa_osim_find_coord(osim, a->po_coord[i]);
        if (c < 0) {
            char path[1024];
            snprintf(path, sizeof path, "%s/postures.csv", a->dir);
            return fa_error_set(err, FA_ERR_UNKNOWN, path, a->po_fileline[i], 1,
                                "posture '%s': unknown coordinate '%s' (expected a coordinate of %s)", name,
                                a->po_coord[i], osim->name);
        }
        double v = a->po_deg[i];
        if (osim->coord_motion[c] == FA_OSIM_ROTATIONAL) v *= 3.14159265358979323846 / 180.0;
        pose->q[c] = v;
    }
    if (!found) {
        char path[1024];
        snprintf(path, sizeof path, "%s/postures.csv", a->dir);
        return fa_error_set(err, FA_ERR_UNKNOWN, path, 0, 0, "unknown posture '%s' (not in the table)", name);
    }
    fa_osim_apply_couplers(osim, pose);
    fa_osim_fk(osim, pose);
    return FA_OK;
}
