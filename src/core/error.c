/* SPDX-License-Identifier: MIT */
/* Status strings, error reports and the programmer-error handler. */
#include "fascia/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_text[FA_STATUS_COUNT] = {
#define FA_STATUS_TEXT_(name, text) text,
    FA_STATUS_LIST(FA_STATUS_TEXT_)
#undef FA_STATUS_TEXT_
};

const char *fa_status_str(fa_status s)
{
    if ((int)s < 0 || s >= FA_STATUS_COUNT) return "unknown status";
    return status_text[s];
}

void fa_error_clear(fa_error *err)
{
    if (!err) return;
    memset(err, 0, sizeof *err);
}

fa_status fa_error_set(fa_error *err, fa_status code, const char *file, int line, int col,
                       const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    err->line = line;
    err->col = col;
    err->file[0] = '\0';
    if (file) snprintf(err->file, sizeof err->file, "%s", file);
    size_t n = 0;
    if (file && file[0]) {
        int k;
        if (line > 0 && col > 0)
            k = snprintf(err->msg, sizeof err->msg, "%s:%d:%d: ", file, line, col);
        else if (line > 0)
            k = snprintf(err->msg, sizeof err->msg, "%s:%d: ", file, line);
        else
            k = snprintf(err->msg, sizeof err->msg, "%s: ", file);
        n = k > 0 ? (size_t)k : 0;
        if (n >= sizeof err->msg) n = sizeof err->msg - 1;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + n, sizeof err->msg - n, fmt, ap);
    va_end(ap);
    return code;
}

static void default_assert(const char *expr, const char *file, int line)
{
    fprintf(stderr, "fascia: internal error: %s (%s:%d)\n", expr, file, line);
    abort();
}

static fa_assert_handler assert_handler = default_assert;

void fa_set_assert_handler(fa_assert_handler h) { assert_handler = h ? h : default_assert; }

void fa_assert_fail_(const char *expr, const char *file, int line)
{
    assert_handler(expr, file, line);
}
