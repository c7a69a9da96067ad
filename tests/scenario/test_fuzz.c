/* SPDX-License-Identifier: MIT */
/* Deterministic mutation fuzzing of the scenario reader and the expander:
 * thousands of mutated inputs (byte flips, YAML-significant insertions,
 * deletions, line duplication/swaps, truncation) from the built-in
 * scenarios and the bad corpus' parents. Every input must either parse (and
 * then expand without error on sampled days, tiling each day) or fail with
 * a message; nothing may crash (run under ASan/UBSan by `make test`). Also
 * fuzzes the GPX/TCX importer with mutated copies of the good run files. */
#include <stdlib.h>
#include <string.h>

#include "fascia/scenario.h"
#include "harness.h"

static const char alphabet[] = ":-,#[]{}&*!|>'\"%@` \n\t0123456789.aAzZ_/";

static size_t mutate(fa_rng *r, const char *src, size_t n, char *dst, size_t cap)
{
    size_t m = n < cap ? n : cap;
    memcpy(dst, src, m);
    int k = 1 + (int)(fa_rng_uniform(r) * 4);
    for (int j = 0; j < k && m > 0; j++) {
        size_t p = (size_t)(fa_rng_uniform(r) * (double)m);
        int op = (int)(fa_rng_uniform(r) * 7);
        switch (op) {
        case 0: dst[p] = (char)(fa_rng_next(r) & 0xff); break;
        case 1: dst[p] = alphabet[fa_rng_next(r) % (sizeof alphabet - 1)]; break;
        case 2:
            if (m < cap) {
                memmove(dst + p + 1, dst + p, m - p);
                dst[p] = alphabet[fa_rng_next(r) % (sizeof alphabet - 1)];
                m++;
            }
            break;
        case 3:
            memmove(dst + p, dst + p + 1, m - p - 1);
            m--;
            break;
        case 4: m = p; break; /* truncate */
        case 5: { /* duplicate the line at p */
            size_t a = p, b = p;
            while (a > 0 && dst[a - 1] != '\n') a--;
            while (b < m && dst[b] != '\n') b++;
            size_t len = b - a + (b < m);
            if (m + len <= cap) {
                memmove(dst + b + (b < m), dst + a, m - a);
                m += len;
            }
            break;
        }
        default: { /* digits: replace with an extreme number */
            static const char *const nums[] = {"0", "-1", "99999999", "1e308", "nan", "24:00", "00:00-00:00", "1e-300"};
            const char *s = nums[fa_rng_next(r) % 8];
            size_t l = strlen(s);
            if (m + l <= cap) {
                memmove(dst + p + l, dst + p, m - p);
                memcpy(dst + p, s, l);
                m += l;
            }
        }
        }
    }
    return m;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *b = malloc(1 << 16);
    *n = b ? fread(b, 1, 1 << 16, f) : 0;
    fclose(f);
    return b;
}

int main(void)
{
    fa_rng r;
    fa_rng_seed(&r, 20261129);
    const int per_seed = 1500;
    static char buf[1 << 17];
    int parsed = 0, failed = 0, expanded = 0;
    fa_interval iv[FA_SC_MAX_DAYSEG];
    fa_day_info info;
    for (int b = 0; fa_scenario_builtin_name(b); b++) {
        size_t n;
        const char *src = fa_scenario_builtin_text(fa_scenario_builtin_name(b), &n);
        for (int i = 0; i < per_seed; i++) {
            size_t m = mutate(&r, src, n, buf, sizeof buf);
            fa_scenario *sc = NULL;
            fa_error err;
            fa_error_clear(&err);
            fa_status st = fa_scenario_parse(buf, m, "fuzz.yaml", &sc, &err);
            if (st) {
                failed++;
                CHECK(sc == NULL && err.code == st && err.msg[0] && strlen(err.msg) < sizeof err.msg);
                continue;
            }
            parsed++;
            for (int k = 0; k < 4; k++) {
                int d = k == 0 ? 0 : (int)(fa_rng_uniform(&r) * sc->ndays);
                int cnt;
                st = fa_expand_day(sc, NULL, d, iv, FA_SC_MAX_DAYSEG, &cnt, &info, &err);
                if (st) {
                    CHECK(st == FA_ERR_RANGE); /* only a capacity error is allowed */
                    continue;
                }
                double t = d * 86400.0;
                int ok = 1;
                for (int q = 0; q < cnt; q++) {
                    if (iv[q].t0 != t || !(iv[q].dur >= 0)) ok = 0;
                    t += iv[q].dur;
                }
                CHECK_MSG(ok && t == (d + 1) * 86400.0, "day %d does not tile", d);
                expanded++;
            }
            fa_scenario_free(sc);
        }
    }
    /* GPX/TCX */
    const char *runs[] = {"tests/scenario/runs/equator.gpx", "tests/scenario/runs/device.tcx", "tests/scenario/runs/nodist.tcx"};
    int rok = 0, rbad = 0;
    for (int f = 0; f < 3; f++) {
        size_t n = 0;
        char *src = slurp(runs[f], &n);
        CHECK(src != NULL);
        if (!src) continue;
        for (int i = 0; i < 400; i++) {
            size_t m = mutate(&r, src, n, buf, sizeof buf);
            fa_run_summary rs;
            fa_error err;
            fa_error_clear(&err);
            fa_status st = fa_run_import_mem(buf, m, "fuzz.gpx", &rs, &err);
            if (st) {
                rbad++;
                CHECK(err.code == st && err.msg[0]);
            } else {
                rok++;
                CHECK(rs.duration > 0 && rs.distance > 0 && rs.npoints >= 2);
            }
        }
        free(src);
    }
    printf("scenario fuzz: %d parsed, %d rejected, %d days expanded; runs: %d read, %d rejected\n", parsed, failed, expanded,
           rok, rbad);
    CHECK(parsed > 100 && failed > 100);
    CHECK(rok > 10 && rbad > 10);
    TEST_MAIN_END();
}
