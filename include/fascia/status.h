/* SPDX-License-Identifier: MIT */
/* fascia — status codes and error reports.
 *
 * The library never calls exit(). Input and API errors are returned as an
 * fa_status and, when the caller passes an fa_error, a message naming
 * file:line:column, what was expected and what was found. */
#ifndef FASCIA_STATUS_H
#define FASCIA_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, text) — one list drives the enum and the strings. */
#define FA_STATUS_LIST(X)                                         \
    X(FA_OK, "ok")                                                \
    X(FA_ERR_IO, "input/output error")                            \
    X(FA_ERR_NOMEM, "out of memory")                              \
    X(FA_ERR_SYNTAX, "syntax error")                              \
    X(FA_ERR_TYPE, "wrong type")                                  \
    X(FA_ERR_MISSING, "missing field")                            \
    X(FA_ERR_UNKNOWN, "unknown name")                             \
    X(FA_ERR_DUPLICATE, "duplicate name")                         \
    X(FA_ERR_RANGE, "value out of range")                         \
    X(FA_ERR_UNIT, "unit error")                                  \
    X(FA_ERR_GEOMETRY, "degenerate geometry")                     \
    X(FA_ERR_CYCLE, "cycle")                                      \
    X(FA_ERR_ARG, "invalid argument")                             \
    X(FA_ERR_NUMERIC, "numerical failure")                        \
    X(FA_ERR_NOCONV, "solver did not converge")                   \
    X(FA_ERR_UNSUPPORTED, "unsupported feature")

typedef enum fa_status {
#define FA_STATUS_ENUM_(name, text) name,
    FA_STATUS_LIST(FA_STATUS_ENUM_)
#undef FA_STATUS_ENUM_
    FA_STATUS_COUNT
} fa_status;

/* An error report. `file` may be empty when no file is involved; `line` and
 * `col` are 1-based, 0 when unknown. `msg` holds the formatted message
 * "file:line:col: what was expected, what was found". */
typedef struct fa_error {
    fa_status code;
    int line;
    int col;
    char file[256];
    char msg[1024];
} fa_error;

/* Human-readable name of a status code. Never NULL. */
const char *fa_status_str(fa_status s);

/* Fill `err` (may be NULL) and return `code`. The message is prefixed with
 * "file:line:col: " when file is non-NULL/non-empty. printf-style. */
fa_status fa_error_set(fa_error *err, fa_status code, const char *file, int line, int col,
                       const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Reset an error report to FA_OK with an empty message. */
void fa_error_clear(fa_error *err);

/* Programmer-error handler (assert-like). The default prints and aborts;
 * a host program may install its own. Not used for input errors. */
typedef void (*fa_assert_handler)(const char *expr, const char *file, int line);
void fa_set_assert_handler(fa_assert_handler h);

#ifdef __cplusplus
}
#endif
#endif
