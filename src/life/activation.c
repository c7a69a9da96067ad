/* SPDX-License-Identifier: MIT */
/* Muscle activation envelopes over the gait cycle (data/anatomy/activation.csv)
 * and their mapping onto the Hill muscles of a body. See activation.h. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anatomy/anatomy_internal.h"
#include "life/activation.h"

void fa_life_act_free(fa_life_act *a)
{
    if (!a) return;
    free(a->gait);
    free(a->muscle);
    free(a->grade);
    free(a->fileline);
    free(a->val);
    free(a);
}

/* "p<percent>" -> percent, or -1 when the name is not a phase column. */
static double phase_col(const char *s)
{
    if (s[0] != 'p' || !isdigit((unsigned char)s[1])) return -1.0;
    char *end;
    double v = strtod(s + 1, &end);
    return (*end || !isfinite(v)) ? -1.0 : v;
}

fa_status fa_life_act_load(const char *path, fa_life_act **out, fa_error *err)
{
    *out = NULL;
    fa_csv c;
    fa_status st = fa_csv_read(path, &c, err);
    if (st) {
        fa_csv_free(&c); /* what was read before the error */
        return st;
    }
    fa_life_act *a = (fa_life_act *)calloc(1, sizeof *a);
    int kcol[FA_ACT_MAXPT];
    if (!a) {
        fa_csv_free(&c);
        return fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    static const char *const need[] = {"gait", "muscle", "grade", "source"};
    int k[4];
    for (int i = 0; i < 4 && !st; i++)
        if ((k[i] = fa_csv_col(&c, need[i])) < 0)
            st = fa_error_set(err, FA_ERR_MISSING, path, 1, 1, "missing column '%s' in the header", need[i]);
    /* phase columns p0, p5, ... in increasing order, first p0, all < p100 */
    for (int j = 0; j < c.ncol && !st; j++) {
        double p = phase_col(c.head[j]);
        if (p < 0.0) continue;
        if (a->npt == FA_ACT_MAXPT)
            st = fa_error_set(err, FA_ERR_RANGE, path, 1, 1, "expected at most %d phase columns, found more", FA_ACT_MAXPT);
        else if ((a->npt == 0 && p != 0.0) || p >= 100.0 || (a->npt > 0 && !(p > 100.0 * a->phase[a->npt - 1])))
            st = fa_error_set(err, FA_ERR_RANGE, path, 1, 1,
                              "expected phase columns p<percent> increasing from p0 and below p100, found '%s'",
                              c.head[j]);
        else {
            a->phase[a->npt] = p / 100.0;
            kcol[a->npt++] = j;
        }
    }
    if (!st && a->npt < 2)
        st = fa_error_set(err, FA_ERR_MISSING, path, 1, 1, "expected at least two phase columns (p0, p5, ...), found %d",
                          a->npt);
    if (!st && c.nrow == 0) st = fa_error_set(err, FA_ERR_MISSING, path, 1, 1, "expected at least one row, found none");
    int n = st ? 0 : c.nrow;
    if (!st) {
        a->nrow = n;
        a->gait = calloc((size_t)n, sizeof *a->gait);
        a->muscle = calloc((size_t)n, sizeof *a->muscle);
        a->grade = calloc((size_t)n, 1);
        a->fileline = calloc((size_t)n, sizeof *a->fileline);
        a->val = calloc((size_t)n * (size_t)a->npt, sizeof *a->val);
        if (!a->gait || !a->muscle || !a->grade || !a->fileline || !a->val)
            st = fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    for (int r = 0; r < n && !st; r++) {
        const char *g = c.cell[r][k[0]], *mu = c.cell[r][k[1]], *gr = c.cell[r][k[2]];
        a->fileline[r] = c.line[r];
        if (!*g || strlen(g) >= sizeof a->gait[r]) {
            st = fa_error_set(err, FA_ERR_TYPE, path, c.line[r], c.col0[r][k[0]],
                              "expected a gait name of 1-31 characters, found '%s'", g);
            break;
        }
        if (!*mu || strlen(mu) >= sizeof a->muscle[r]) {
            st = fa_error_set(err, FA_ERR_TYPE, path, c.line[r], c.col0[r][k[1]],
                              "expected a muscle name of 1-63 characters, found '%s'", mu);
            break;
        }
        if (strlen(gr) != 1 || (gr[0] != 'A' && gr[0] != 'B' && gr[0] != 'C')) {
            st = fa_error_set(err, FA_ERR_TYPE, path, c.line[r], c.col0[r][k[2]],
                              "expected an evidence grade A, B or C in column 'grade', found '%s'", gr);
            break;
        }
        if (!*c.cell[r][k[3]]) {
            st = fa_error_set(err, FA_ERR_MISSING, path, c.line[r], c.col0[r][k[3]],
                              "expected a source for the row, found an empty cell");
            break;
        }
        snprintf(a->gait[r], sizeof a->gait[r], "%s", g);
        snprintf(a->muscle[r], sizeof a->muscle[r], "%s", mu);
        a->grade[r] = gr[0];
        for (int q = 0; q < r; q++)
            if (!strcmp(a->gait[q], g) && !strcmp(a->muscle[q], mu)) {
                st = fa_error_set(err, FA_ERR_RANGE, path, c.line[r], c.col0[r][k[1]],
                                  "duplicate row for gait '%s', muscle '%s' (first at line %d)", g, mu, a->fileline[q]);
                break;
            }
        for (int j = 0; j < a->npt && !st; j++) {
            const char *s = c.cell[r][kcol[j]];
            char *end;
            double v = strtod(s, &end);
            if (end == s || *end || !isfinite(v) || v < 0.0 || v > 1.0)
                st = fa_error_set(err, FA_ERR_RANGE, path, c.line[r], c.col0[r][kcol[j]],
                                  "expected an activation in [0, 1] in column '%s', found '%s'", c.head[kcol[j]], s);
            else
                a->val[(size_t)r * a->npt + j] = v;
        }
    }
    fa_csv_free(&c);
    if (st) {
        fa_life_act_free(a);
        return st;
    }
    *out = a;
    return FA_OK;
}

int fa_life_act_row(const fa_life_act *a, const char *gait, const char *muscle)
{
    for (int r = 0; r < a->nrow; r++)
        if (!strcmp(a->gait[r], gait) && !strcmp(a->muscle[r], muscle)) return r;
    return -1;
}

double fa_life_act_eval(const fa_life_act *a, int r, double phase)
{
    double p = phase - floor(phase);
    if (p >= 1.0) p = 0.0;
    const double *v = a->val + (size_t)r * a->npt;
    int j = a->npt - 1;
    while (j > 0 && a->phase[j] > p) j--;
    double p0 = a->phase[j], p1 = j + 1 < a->npt ? a->phase[j + 1] : 1.0;
    double v0 = v[j], v1 = j + 1 < a->npt ? v[j + 1] : v[0];
    double w = (p - p0) / (p1 - p0);
    return v0 + w * (v1 - v0);
}

int fa_life_act_muscle_row(const fa_life_act *a, const fa_model *m, const char *gait, int i, int *side)
{
    const char *name = fa_model_name(m, m->muscle_name[i]);
    char base[64];
    size_t n = name ? strlen(name) : 0;
    *side = -1;
    if (n == 0 || n >= sizeof base) return -1;
    memcpy(base, name, n + 1);
    if (n > 2 && base[n - 2] == '_' && (base[n - 1] == 'r' || base[n - 1] == 'l')) {
        *side = base[n - 1] == 'l';
        base[n - 2] = '\0';
    }
    return fa_life_act_row(a, gait, base);
}

int fa_life_act_apply(const fa_life_act *a, const fa_model *m, fa_data *d, const char *gait, double phase_r,
                      double phase_l)
{
    int nset = 0;
    for (int i = 0; i < m->nmuscle; i++) {
        int side, r = fa_life_act_muscle_row(a, m, gait, i, &side);
        d->muscle_act[i] = r >= 0 ? fa_life_act_eval(a, r, side == 1 ? phase_l : phase_r) : 0.0;
        nset += r >= 0;
    }
    return nset;
}
