/* SPDX-License-Identifier: MIT */
/* Whole-file reading shared by every reader (body, scenario, OpenSim, motion,
 * GPX/TCX, checkpoint): one place that handles growth, size limits, read
 * errors and NUL termination. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

fa_status fa_read_file(const char *path, size_t max_bytes, char **out, size_t *len, fa_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return fa_error_set(err, FA_ERR_IO, path, 0, 0, "cannot read the file: %s", strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = (char *)malloc(cap + 1);
    if (!buf) {
        fclose(f);
        return fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory reading the file");
    }
    for (;;) {
        if (n == cap) {
            if (max_bytes > 0 && cap >= max_bytes) {
                free(buf);
                fclose(f);
                return fa_error_set(err, FA_ERR_RANGE, path, 0, 0,
                                    "expected a file of at most %zu bytes, found a larger one", max_bytes);
            }
            char *nb = (char *)realloc(buf, 2 * cap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                return fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory reading the file");
            }
            buf = nb;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return fa_error_set(err, FA_ERR_IO, path, 0, 0, "read error");
    }
    if (max_bytes > 0 && n > max_bytes) {
        free(buf);
        return fa_error_set(err, FA_ERR_RANGE, path, 0, 0,
                            "expected a file of at most %zu bytes, found %zu bytes", max_bytes, n);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return FA_OK;
}
