/* SPDX-License-Identifier: MIT */
/* Deterministic mutation driver for LLVMFuzzerTestOneInput (fuzz_model.c):
 * takes the good files and the bad corpus as seeds and feeds thousands of
 * mutants (byte flips, insertions of YAML/unit tokens, deletions,
 * duplications, line swaps, truncations) through the loader. Under the
 * sanitizer build (ASan + UBSan) any memory error aborts the test. The
 * number of mutants is FA_FUZZ_ITERS (default 10000); the seed of the
 * xorshift generator is fixed, so every run tests the same inputs. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern long fa_fuzz_compiled;

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static size_t pick(size_t n)
{
    return n ? (size_t)(next() % n) : 0;
}

static const char *const tokens[] = {":",
                                     "- ",
                                     "[",
                                     "]",
                                     "{",
                                     "}",
                                     ",",
                                     "\n",
                                     "  ",
                                     "\t",
                                     "&a ",
                                     "*a",
                                     "!!str ",
                                     "? ",
                                     "|",
                                     ">",
                                     "'",
                                     "\"",
                                     "---\n",
                                     "...\n",
                                     "#",
                                     "nan",
                                     ".inf",
                                     "-",
                                     "1e999",
                                     "0",
                                     "-1",
                                     "4000000",
                                     "99999999999999999999",
                                     " mm",
                                     " kg",
                                     " MPa",
                                     " deg",
                                     " %",
                                     " m",
                                     "~",
                                     "null",
                                     "true",
                                     "material: ",
                                     "fixed: true",
                                     "body: ",
                                     "include: x.yaml",
                                     "segments: ",
                                     "rings: ",
                                     "\xff",
                                     "\xc3\xa9",
                                     "\xe2\x82",
                                     ".0.0",
                                     "ground",
                                     "<<: *a",
                                     "%YAML 1.1\n"};
#define NTOK (sizeof tokens / sizeof tokens[0])

typedef struct seed {
    char *p;
    size_t n;
} seed;

static int read_seed(const char *path, seed *s)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    s->p = (char *)malloc(1 << 20);
    s->n = s->p ? fread(s->p, 1, 1 << 20, f) : 0;
    fclose(f);
    return s->p != NULL;
}

static int add_dir(const char *dir, seed *seeds, int n, int max)
{
    DIR *d = opendir(dir);
    if (!d) return n;
    char *names[256];
    int k = 0;
    struct dirent *e;
    while ((e = readdir(d)) && k < 256) {
        size_t l = strlen(e->d_name);
        if (l > 5 && !strcmp(e->d_name + l - 5, ".yaml")) names[k++] = strdup(e->d_name);
    }
    closedir(d);
    /* readdir order is not portable: sort for determinism */
    for (int i = 1; i < k; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (int i = 0; i < k; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (n < max && read_seed(path, &seeds[n])) n++;
        free(names[i]);
    }
    return n;
}

/* One mutation of buf (len *n, capacity cap). */
static void mutate(char *buf, size_t *n, size_t cap)
{
    size_t len = *n;
    switch (pick(8)) {
    case 0: /* flip bits */
        if (len) buf[pick(len)] ^= (char)(1u << pick(8));
        break;
    case 1: /* random byte */
        if (len) buf[pick(len)] = (char)pick(256);
        break;
    case 2: /* insert a token */
    {
        const char *t = tokens[pick(NTOK)];
        size_t tl = strlen(t), at = pick(len + 1);
        if (len + tl < cap) {
            memmove(buf + at + tl, buf + at, len - at);
            memcpy(buf + at, t, tl);
            len += tl;
        }
        break;
    }
    case 3: /* delete a range */
        if (len) {
            size_t at = pick(len), k = 1 + pick(len - at < 40 ? len - at : 40);
            memmove(buf + at, buf + at + k, len - at - k);
            len -= k;
        }
        break;
    case 4: /* duplicate a range */
        if (len) {
            size_t at = pick(len), k = 1 + pick(len - at < 80 ? len - at : 80), to = pick(len + 1);
            if (len + k < cap) {
                char tmp[80];
                memcpy(tmp, buf + at, k);
                memmove(buf + to + k, buf + to, len - to);
                memcpy(buf + to, tmp, k);
                len += k;
            }
        }
        break;
    case 5: /* replace a digit run by another number */
    {
        if (!len) break;
        size_t at = pick(len);
        while (at < len && !(buf[at] >= '0' && buf[at] <= '9'))
            at++;
        if (at < len) buf[at] = (char)('0' + pick(10));
        break;
    }
    case 6: /* truncate */
        len = pick(len + 1);
        break;
    default: /* swap two lines' first bytes region */
        if (len > 2) {
            size_t a = pick(len), b = pick(len);
            char t = buf[a];
            buf[a] = buf[b];
            buf[b] = t;
        }
        break;
    }
    *n = len;
}

int main(void)
{
    seed seeds[300];
    int ns = 0;
    ns = add_dir("tests/model/good", seeds, ns, 300);
    int ngood = ns;
    ns = add_dir("tests/bad_models", seeds, ns, 300);
    if (ns < 10) {
        fprintf(stderr,
                "fuzz_driver: expected seed files under tests/ (run from the repository root), found %d\n",
                ns);
        return 1;
    }
    long iters = 10000;
    const char *env = getenv("FA_FUZZ_ITERS");
    if (env && atol(env) > 0) iters = atol(env);
    size_t cap = (1 << 20) + 4096;
    char *buf = (char *)malloc(cap);
    if (!buf) return 1;
    /* seeds unchanged first */
    for (int i = 0; i < ns; i++)
        LLVMFuzzerTestOneInput((const uint8_t *)seeds[i].p, seeds[i].n);
    for (long it = 0; it < iters; it++) {
        /* half the mutants start from a good file, so many reach the compiler */
        const seed *s = &seeds[(it & 1) && ngood > 0 ? pick((size_t)ngood) : pick((size_t)ns)];
        size_t n = s->n < cap ? s->n : cap;
        memcpy(buf, s->p, n);
        int k = 1 + (int)pick(it % 4 == 0 ? 12 : 2);
        for (int j = 0; j < k; j++)
            mutate(buf, &n, cap);
        LLVMFuzzerTestOneInput((const uint8_t *)buf, n);
    }
    free(buf);
    for (int i = 0; i < ns; i++)
        free(seeds[i].p);
    printf("fuzz_driver: %d seeds, %ld mutants, %ld inputs compiled, the rest rejected, no crash\n", ns,
           iters, fa_fuzz_compiled);
    if (fa_fuzz_compiled < iters / 100) {
        fprintf(stderr, "fuzz_driver: expected at least 1%% of mutants to compile, found %ld\n",
                fa_fuzz_compiled);
        return 1;
    }
    printf("%ld passed, 0 failed\n", iters + ns);
    return 0;
}
