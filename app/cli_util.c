/* SPDX-License-Identifier: MIT */
#include "cli_util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FA_DATA_DIR
#define FA_DATA_DIR "data"
#endif

const char *fa_cli_data_path(const char *rel, char *buf, size_t n)
{
    const char *root = getenv("FASCIA_DATA");
    if (!root || !root[0]) root = FA_DATA_DIR;
    snprintf(buf, n, "%s/%s", root, rel);
    return buf;
}

const char *fa_cli_data_dir(char *buf, size_t n)
{
    fa_cli_data_path("", buf, n);
    size_t l = strlen(buf);
    if (l > 1 && buf[l - 1] == '/') buf[l - 1] = 0;
    return buf;
}

int fa_cli_number(const char *cmd, const char *opt, const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = s ? strtod(s, &end) : 0.0;
    if (!s || end == s || *end != '\0' || errno != 0 || !isfinite(v)) {
        fprintf(stderr, "fascia %s: %s expects a number, found '%s'\n", cmd, opt, s ? s : "(nothing)");
        return 0;
    }
    *out = v;
    return 1;
}

int fa_cli_whole(const char *cmd, const char *opt, const char *s, double lo, double *out)
{
    if (!fa_cli_number(cmd, opt, s, out)) return 0;
    if (*out < lo || *out != floor(*out) || *out > 1e6) {
        fprintf(stderr, "fascia %s: %s expects a whole number >= %.0f, found '%s'\n", cmd, opt, lo, s);
        return 0;
    }
    return 1;
}

int fa_cli_positive(const char *cmd, const char *opt, const char *s, double *out)
{
    if (!fa_cli_number(cmd, opt, s, out)) return 0;
    if (!(*out > 0.0)) {
        fprintf(stderr, "fascia %s: %s expects a positive number, found '%s'\n", cmd, opt, s);
        return 0;
    }
    return 1;
}

int fa_cli_vec3(const char *cmd, const char *opt, const char *s, double out[3])
{
    char *end = NULL;
    const char *p = s;
    for (int k = 0; k < 3 && p; k++) {
        errno = 0;
        out[k] = strtod(p, &end);
        if (end == p || errno != 0 || !isfinite(out[k]) || (k < 2 && *end != ',') || (k == 2 && *end != '\0')) {
            fprintf(stderr, "fascia %s: %s expects three numbers x,y,z, found '%s'\n", cmd, opt, s);
            return 0;
        }
        p = end + 1;
    }
    if (!s) {
        fprintf(stderr, "fascia %s: %s expects three numbers x,y,z\n", cmd, opt);
        return 0;
    }
    return 1;
}

static int progress_shown = 0;

int fa_cli_progress(double fraction, void *label)
{
    if (!isatty(2)) return 0;
    static int last = -1;
    int pct = (int)(fraction * 100.0 + 0.5);
    if (pct == last) return 0;
    last = pct;
    int w = 40, fill = pct * w / 100;
    fprintf(stderr, "\r%s [", label ? (const char *)label : "");
    for (int i = 0; i < w; i++) fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %3d%%", pct);
    progress_shown = 1;
    return 0;
}

void fa_cli_progress_done(void)
{
    if (progress_shown && isatty(2)) fputc('\n', stderr);
    progress_shown = 0;
}

fa_status fa_cli_runner_kin(const fa_model *m, const char *data_dir, int passive, fa_life_osim **out,
                            fa_life_kin *kin, fa_error *err)
{
    fa_status st = fa_life_osim_create(m, data_dir, out, kin, err);
    if (!st && !passive) st = fa_life_osim_activation(*out, NULL, err);
    return st;
}
