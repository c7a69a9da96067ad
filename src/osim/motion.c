/* SPDX-License-Identifier: MIT */
/* OpenSim motion files (.mot / .sto) and motion-driven muscle lengths.
 *
 * Accepted headers: legacy Storage (version=1: name line, key=value lines,
 * free text), SIMM motion ("datacolumns 19", space-separated keys), the mixed
 * form, and TimeSeriesTable (version=3, DataType=double). All end at a line
 * "endheader"; the next non-empty line holds the column labels, the first of
 * which must be "time"; rows follow, whitespace-separated. Header row and
 * column counts are ignored (they are wrong in real files); the label line
 * rules. Vec3/Quaternion tables are rejected. Only rotational coordinates
 * are converted from degrees; coupled coordinates are read as stored
 * (radians), as OpenSim does. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "osim/osim_internal.h"

/* Next line: NUL-terminates it in place (CR stripped), advances *p. */
static char *next_line(char **p)
{
    char *s = *p;
    if (!s || !*s) return NULL;
    char *e = strchr(s, '\n');
    if (e) {
        *e = '\0';
        *p = e + 1;
    } else
        *p = s + strlen(s);
    size_t l = strlen(s);
    while (l && (s[l - 1] == '\r')) s[--l] = '\0';
    return s;
}

static char *trim(char *s)
{
    while (*s && isspace((unsigned char)*s)) s++;
    size_t l = strlen(s);
    while (l && isspace((unsigned char)s[l - 1])) s[--l] = '\0';
    return s;
}

void fa_osim_motion_free(fa_osim_motion *mot)
{
    if (!mot) return;
    if (mot->label)
        for (int i = 0; i < mot->ncol; i++) free(mot->label[i]);
    free(mot->label);
    free(mot->time);
    free(mot->data);
    memset(mot, 0, sizeof *mot);
}

fa_status fa_osim_motion_load(const char *path, fa_osim_motion *mot, fa_error *err)
{
    memset(mot, 0, sizeof *mot);
    if (!path) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_osim_motion_load: NULL path");
    snprintf(mot->file, sizeof mot->file, "%s", path);
    mot->in_degrees = -1;
    size_t len;
    char *buf;
    fa_status rs = fa_read_file(path, 0, &buf, &len, err);
    if (rs != FA_OK) return rs;
    if (memchr(buf, '\0', len))
        return free(buf), fa_error_set(err, FA_ERR_SYNTAX, path, 0, 0, "expected a text motion file, found binary data");
    fa_status st = FA_OK;
    char *p = buf, *ln;
    int line = 0, endheader = 0;
    while ((ln = next_line(&p))) {
        line++;
        char *t = trim(ln);
        if (!strcasecmp(t, "endheader")) {
            endheader = 1;
            break;
        }
        if (line == 1 && !strchr(t, '=')) {
            snprintf(mot->name, sizeof mot->name, "%s", t);
            continue;
        }
        char *eq = strchr(t, '=');
        if (eq) {
            *eq = '\0';
            char *key = trim(t), *val = trim(eq + 1);
            if (!strcasecmp(key, "inDegrees")) {
                if (!strcasecmp(val, "yes") || !strcasecmp(val, "true"))
                    mot->in_degrees = 1;
                else if (!strcasecmp(val, "no") || !strcasecmp(val, "false"))
                    mot->in_degrees = 0;
                else {
                    st = fa_error_set(err, FA_ERR_SYNTAX, path, line, (int)(val - ln) + 1,
                                      "inDegrees expected yes or no, found \"%s\"", val);
                    goto fail;
                }
            } else if (!strcasecmp(key, "DataType") && strcasecmp(val, "double")) {
                st = fa_error_set(err, FA_ERR_UNSUPPORTED, path, line, (int)(val - ln) + 1,
                                  "DataType expected double, found \"%s\" (Vec3/Quaternion tables are not supported)",
                                  val);
                goto fail;
            }
        } else if (!strncasecmp(t, "name ", 5) && !mot->name[0]) {
            snprintf(mot->name, sizeof mot->name, "%s", trim(t + 5));
        }
    }
    if (!endheader) {
        st = fa_error_set(err, FA_ERR_SYNTAX, path, line, 0,
                          "expected a header ending in a line \"endheader\", found end of file");
        goto fail;
    }
    /* label line */
    char *lab = NULL;
    while ((ln = next_line(&p))) {
        line++;
        if (*trim(ln)) {
            lab = ln;
            break;
        }
    }
    if (!lab) {
        st = fa_error_set(err, FA_ERR_SYNTAX, path, line + 1, 0, "expected a line of column labels after endheader, found end of file");
        goto fail;
    }
    int label_line = line;
    mot->label_line = line;
    int nl = 0, cap = 64;
    char **labels = calloc((size_t)cap, sizeof *labels);
    {
        char *save = NULL;
        for (char *tok = strtok_r(lab, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
            if (nl == cap) {
                cap *= 2;
                char **nlb = realloc(labels, (size_t)cap * sizeof *labels);
                if (!nlb) break;
                labels = nlb;
            }
            labels[nl++] = strdup(tok);
        }
    }
    if (nl < 1 || strcasecmp(labels[0], "time")) {
        st = fa_error_set(err, FA_ERR_SYNTAX, path, label_line, 1, "expected the first column label \"time\", found \"%s\"",
                          nl ? labels[0] : "");
        for (int i = 0; i < nl; i++) free(labels[i]);
        free(labels);
        goto fail;
    }
    mot->ncol = nl - 1;
    mot->label = malloc((size_t)(nl > 1 ? nl - 1 : 1) * sizeof(char *));
    for (int i = 1; i < nl; i++) mot->label[i - 1] = labels[i];
    free(labels[0]);
    free(labels);
    /* rows */
    int capf = 256;
    mot->time = malloc((size_t)capf * sizeof(double));
    mot->data = malloc((size_t)capf * (size_t)(mot->ncol ? mot->ncol : 1) * sizeof(double));
    if (!mot->time || !mot->data) {
        st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
        goto fail;
    }
    while ((ln = next_line(&p))) {
        line++;
        char *s = ln;
        while (*s && isspace((unsigned char)*s)) s++;
        if (!*s) continue;
        if (mot->nframe == capf) {
            capf *= 2;
            double *nt = realloc(mot->time, (size_t)capf * sizeof(double));
            double *nd = nt ? realloc(mot->data, (size_t)capf * (size_t)(mot->ncol ? mot->ncol : 1) * sizeof(double)) : NULL;
            if (nt) mot->time = nt;
            if (nd) mot->data = nd;
            if (!nt || !nd) {
                st = fa_error_set(err, FA_ERR_NOMEM, path, line, 0, "out of memory");
                goto fail;
            }
        }
        double *row = mot->data + (size_t)mot->nframe * (size_t)mot->ncol;
        for (int c = 0; c <= mot->ncol; c++) {
            while (*s == ' ' || *s == '\t') s++;
            char *end;
            double v = strtod(s, &end);
            if (end == s || (*end && !isspace((unsigned char)*end))) {
                char shown[32];
                int k = 0;
                while (s[k] && !isspace((unsigned char)s[k]) && k < 31) {
                    shown[k] = s[k];
                    k++;
                }
                shown[k] = '\0';
                st = fa_error_set(err, FA_ERR_SYNTAX, path, line, (int)(s - ln) + 1,
                                  "row %d: expected %d numbers (time + %d columns), found %s at column %d",
                                  mot->nframe + 1, mot->ncol + 1, mot->ncol, k ? "a non-number" : "end of line",
                                  c + 1);
                if (k) {
                    size_t l = strlen(err ? err->msg : "");
                    if (err && l + k + 8 < sizeof err->msg) snprintf(err->msg + l, sizeof err->msg - l, " (\"%s\")", shown);
                }
                goto fail;
            }
            if (c == 0)
                mot->time[mot->nframe] = v;
            else
                row[c - 1] = v;
            s = end;
        }
        while (*s && isspace((unsigned char)*s)) s++;
        if (*s) {
            st = fa_error_set(err, FA_ERR_SYNTAX, path, line, (int)(s - ln) + 1,
                              "row %d: expected %d numbers (time + %d columns), found more", mot->nframe + 1,
                              mot->ncol + 1, mot->ncol);
            goto fail;
        }
        if (mot->nframe > 0 && !(mot->time[mot->nframe] >= mot->time[mot->nframe - 1])) {
            st = fa_error_set(err, FA_ERR_RANGE, path, line, 1, "row %d: time must not decrease, found %.10g after %.10g",
                              mot->nframe + 1, mot->time[mot->nframe], mot->time[mot->nframe - 1]);
            goto fail;
        }
        mot->nframe++;
    }
    if (mot->nframe == 0) {
        st = fa_error_set(err, FA_ERR_SYNTAX, path, line, 0, "expected at least one data row, found none");
        goto fail;
    }
    free(buf);
    return FA_OK;
fail:
    free(buf);
    fa_osim_motion_free(mot);
    return st;
}

double fa_osim_motion_rate(const fa_osim_motion *mot)
{
    if (mot->nframe < 2) return 0.0;
    double span = mot->time[mot->nframe - 1] - mot->time[0];
    return span > 0.0 ? (double)(mot->nframe - 1) / span : 0.0;
}

/* The coordinate a label names: "coord", or ".../coord/value". Sets *speed
 * for ".../coord/speed". */
static int label_coord(const fa_osim *m, const char *label, int *speed)
{
    *speed = 0;
    int q = fa_osim_find_coord(m, label);
    if (q >= 0) return q;
    const char *last = strrchr(label, '/');
    if (!last || last == label) return -1;
    if (strcmp(last, "/value") && strcmp(last, "/speed")) return -1;
    *speed = !strcmp(last, "/speed");
    const char *prev = last - 1;
    while (prev > label && *prev != '/') prev--;
    if (*prev == '/') prev++;
    char nm[256];
    size_t n = (size_t)(last - prev);
    if (n >= sizeof nm) return -1;
    memcpy(nm, prev, n);
    nm[n] = '\0';
    return fa_osim_find_coord(m, nm);
}

fa_status fa_osim_motion_bind(const fa_osim *m, const fa_osim_motion *mot, const fa_osim_motion_def *def,
                              int *col_of_coord, fa_error *err)
{
    fa_osim_motion_def dd = FA_OSIM_MOTION_DEF_DEFAULT;
    if (!def) def = &dd;
    for (int i = 0; i < m->ncoord; i++) col_of_coord[i] = -1;
    for (int c = 0; c < mot->ncol; c++) {
        int speed;
        int q = label_coord(m, mot->label[c], &speed);
        if (q < 0) {
            if (def->strict)
                return fa_error_set(err, FA_ERR_UNKNOWN, mot->file, mot->label_line, 0,
                                    "column %d \"%s\": expected a coordinate of model \"%s\", found none by that name",
                                    c + 2, mot->label[c], m->name);
            continue;
        }
        if (speed) continue;
        if (col_of_coord[q] >= 0)
            return fa_error_set(err, FA_ERR_DUPLICATE, mot->file, mot->label_line, 0,
                                "columns %d and %d both give coordinate \"%s\"", col_of_coord[q] + 2, c + 2,
                                m->coord_name[q]);
        col_of_coord[q] = c;
    }
    return FA_OK;
}

void fa_osim_motion_pose(const fa_osim *m, const fa_osim_motion *mot, const fa_osim_motion_def *def,
                         const int *col_of_coord, int f, fa_osim_pose *pose)
{
    fa_osim_motion_def dd = FA_OSIM_MOTION_DEF_DEFAULT;
    if (!def) def = &dd;
    const double *row = mot->data + (size_t)f * (size_t)mot->ncol;
    const double d2r = 3.14159265358979323846 / 180.0;
    memcpy(pose->q, m->coord_default, (size_t)m->ncoord * sizeof(double));
    for (int i = 0; i < m->ncoord; i++) {
        int c = col_of_coord[i];
        if (c < 0) continue;
        double v = row[c];
        if (mot->in_degrees != 0 && m->coord_motion[i] == FA_OSIM_ROTATIONAL) v *= d2r;
        pose->q[i] = v;
    }
    if (def->clamp)
        for (int i = 0; i < m->ncoord; i++)
            if (m->coord_clamped[i]) {
                if (pose->q[i] < m->coord_range[2 * i]) pose->q[i] = m->coord_range[2 * i];
                if (pose->q[i] > m->coord_range[2 * i + 1]) pose->q[i] = m->coord_range[2 * i + 1];
            }
    /* couplers (after clamping their independents): dependents without a
     * column, or all of them if asked */
    const struct fa_osim_impl_ *im = m->impl;
    for (int k = 0; k < im->ncpl; k++) {
        const fa_osim_coupler *cp = &im->cpl[k];
        if (def->recompute_coupled || col_of_coord[cp->dep] < 0)
            pose->q[cp->dep] = cp->scale * fa_osim_fn_eval(im, cp->fn, pose->q[cp->indep]);
    }
    fa_osim_fk(m, pose);
}

fa_status fa_osim_muscle_lengths(const fa_osim *m, const fa_osim_motion *mot, const fa_osim_motion_def *def,
                                 double *out, fa_error *err)
{
    int *map = malloc((size_t)(m->ncoord > 0 ? m->ncoord : 1) * sizeof(int));
    if (!map) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "out of memory");
    fa_status st = fa_osim_motion_bind(m, mot, def, map, err);
    fa_osim_pose pose;
    if (st == FA_OK) st = fa_osim_pose_init(m, &pose, err);
    if (st != FA_OK) {
        free(map);
        return st;
    }
    for (int f = 0; f < mot->nframe; f++) {
        fa_osim_motion_pose(m, mot, def, map, f, &pose);
        for (int i = 0; i < m->nmuscle; i++) out[(size_t)f * (size_t)m->nmuscle + i] = fa_osim_muscle_length(m, &pose, i);
    }
    fa_osim_pose_free(&pose);
    free(map);
    return FA_OK;
}

double fa_osim_motion_period(const fa_osim_motion *mot, int col, double tmin, double tmax)
{
    int n = mot->nframe;
    if (col < 0 || col >= mot->ncol || n < 4) return 0.0;
    double rate = fa_osim_motion_rate(mot);
    if (!(rate > 0.0)) return 0.0;
    int lo = (int)ceil(tmin * rate), hi = (int)floor(tmax * rate);
    if (lo < 1) lo = 1;
    if (hi > n / 2) hi = n / 2; /* at least two periods of overlap */
    if (hi <= lo + 1) return 0.0;
    double mean = 0.0;
    for (int f = 0; f < n; f++) mean += mot->data[(size_t)f * mot->ncol + col];
    mean /= n;
    /* normalised autocorrelation r(k) = mean over the overlap of x(t) x(t+k) / var */
    double var = 0.0;
    for (int f = 0; f < n; f++) {
        double x = mot->data[(size_t)f * mot->ncol + col] - mean;
        var += x * x;
    }
    var /= n;
    if (!(var > 0.0)) return 0.0;
    double *r = malloc((size_t)(hi + 2) * sizeof *r);
    if (!r) return 0.0;
    for (int k = lo - 1; k <= hi + 1; k++) {
        double s = 0.0;
        for (int f = 0; f + k < n; f++)
            s += (mot->data[(size_t)f * mot->ncol + col] - mean) * (mot->data[(size_t)(f + k) * mot->ncol + col] - mean);
        r[k - (lo - 1)] = s / (n - k) / var;
    }
    /* the first local maximum that reaches 80% of the highest one in range */
    double best = -2.0;
    for (int k = lo; k <= hi; k++) best = r[k - lo + 1] > best ? r[k - lo + 1] : best;
    double period = 0.0;
    for (int k = lo; k <= hi; k++) {
        double c = r[k - lo + 1], a = r[k - lo], b = r[k - lo + 2];
        if (c >= a && c >= b && c >= 0.8 * best && c > 0.0) {
            /* parabolic refinement of the peak */
            double den = a - 2.0 * c + b, d = den < 0.0 ? 0.5 * (a - b) / den : 0.0;
            period = (k + d) / rate;
            break;
        }
    }
    free(r);
    return period;
}
