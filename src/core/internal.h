/* SPDX-License-Identifier: MIT */
/* Internal helpers shared by all library stages (not installed). */
#ifndef FA_INTERNAL_H
#define FA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "fascia/data.h"
#include "fascia/model.h"
#include "fascia/status.h"

#if defined(__GNUC__)
#define FA_HIDDEN __attribute__((visibility("hidden")))
#else
#define FA_HIDDEN
#endif

FA_HIDDEN void fa_assert_fail_(const char *expr, const char *file, int line);

/* Programmer-error check (kept in release builds; cheap). */
#define FA_ASSERT(e) ((e) ? (void)0 : fa_assert_fail_(#e, __FILE__, __LINE__))

/* FNV-1a 64-bit hash. */
#define FA_FNV_OFFSET 1469598103934665603ULL
FA_HIDDEN uint64_t fa_fnv1a(uint64_t h, const void *p, size_t n);

/* Read a whole file into a NUL-terminated buffer (*out, free with free()),
 * *len bytes (not counting the NUL). max_bytes > 0 refuses larger files with
 * FA_ERR_RANGE. Errors name the path. */
FA_HIDDEN fa_status fa_read_file(const char *path, size_t max_bytes, char **out, size_t *len, fa_error *err);

/* Small vector helpers (3-D). */
static inline double fa_dot3(const double *a, const double *b)
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
static inline void fa_sub3(double *r, const double *a, const double *b)
{
    r[0] = a[0] - b[0];
    r[1] = a[1] - b[1];
    r[2] = a[2] - b[2];
}
static inline void fa_cross3(double *r, const double *a, const double *b)
{
    double x = a[1] * b[2] - a[2] * b[1];
    double y = a[2] * b[0] - a[0] * b[2];
    double z = a[0] * b[1] - a[1] * b[0];
    r[0] = x;
    r[1] = y;
    r[2] = z;
}
#endif
