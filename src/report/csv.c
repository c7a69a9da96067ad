/* SPDX-License-Identifier: MIT */
/* CSV writer: RFC 4180 quoting (fields with , " CR LF or edge spaces are
 * quoted, quotes doubled), LF line ends, numbers with `precision`
 * significant digits in the C locale, NaN as an empty field. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fascia/report.h"

void fa_csv_init(fa_csv_writer *c, FILE *f, int ncol)
{
    memset(c, 0, sizeof *c);
    c->f = f;
    c->ncol = ncol;
    c->precision = 17;
}

static void sep(fa_csv_writer *c)
{
    if (c->col++) fputc(',', c->f);
}

void fa_csv_str(fa_csv_writer *c, const char *s)
{
    sep(c);
    if (!s) s = "";
    size_t n = strlen(s);
    int q = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
    for (size_t i = 0; i < n && !q; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') q = 1;
    if (!q) {
        fputs(s, c->f);
        return;
    }
    fputc('"', c->f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') fputc('"', c->f);
        fputc(s[i], c->f);
    }
    fputc('"', c->f);
}

void fa_csv_num(fa_csv_writer *c, double x)
{
    sep(c);
    if (isnan(x)) return;
    if (isinf(x)) {
        fputs(x > 0 ? "inf" : "-inf", c->f);
        return;
    }
    if (x == 0) x = 0;
    fprintf(c->f, "%.*g", c->precision, x);
}

void fa_csv_int(fa_csv_writer *c, long long x)
{
    sep(c);
    fprintf(c->f, "%lld", x);
}

fa_status fa_csv_end_row(fa_csv_writer *c, fa_error *err)
{
    fputc('\n', c->f);
    int n = c->col;
    c->col = 0;
    c->rows++;
    if (n != c->ncol) {
        c->bad = 1;
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "CSV row %ld has %d fields, expected %d", c->rows, n, c->ncol);
    }
    return FA_OK;
}

fa_status fa_csv_header(fa_csv_writer *c, const char *const *names, fa_error *err)
{
    for (int i = 0; i < c->ncol; i++) fa_csv_str(c, names[i]);
    return fa_csv_end_row(c, err);
}
