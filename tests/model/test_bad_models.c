/* SPDX-License-Identifier: MIT */
/* The bad-file corpus: every .yaml file in tests/bad_models starts with
 *   # expect: <substring of the error message, with line:col>
 * and must fail to load with a message containing that substring, prefixed
 * by a file name. Files in tests/bad_models/inc/ are only included by others. */
#include <dirent.h>
#include <stdlib.h>

#include "fascia/load.h"
#include "harness.h"

#define DIR_ "tests/bad_models"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    DIR *d = opendir(DIR_);
    CHECK_MSG(d != NULL, "cannot open %s (run from the repository root)", DIR_);
    if (!d) TEST_MAIN_END();
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 512) {
        size_t l = strlen(e->d_name);
        if (l > 5 && !strcmp(e->d_name + l - 5, ".yaml")) names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    CHECK_MSG(n >= 40, "expected at least 40 bad files, found %d", n);
    for (int i = 0; i < n; i++) {
        char path[600], expect[600] = "";
        snprintf(path, sizeof path, "%s/%s", DIR_, names[i]);
        FILE *f = fopen(path, "rb");
        CHECK_MSG(f != NULL, "%s: cannot open", path);
        if (!f) {
            free(names[i]);
            continue;
        }
        char line[600] = "";
        if (!fgets(line, sizeof line, f)) line[0] = '\0';
        fclose(f);
        if (strncmp(line, "# expect: ", 10) == 0) {
            snprintf(expect, sizeof expect, "%s", line + 10);
            size_t l = strlen(expect);
            while (l && (expect[l - 1] == '\n' || expect[l - 1] == '\r'))
                expect[--l] = '\0';
        }
        CHECK_MSG(expect[0] != '\0', "%s: first line must be '# expect: <message with line:col>'", path);
        fa_model *m = NULL;
        fa_error err;
        fa_status st = fa_model_load(path, &m, &err);
        CHECK_MSG(st != FA_OK && m == NULL, "%s: expected an error, it loaded", path);
        fa_model_free(m);
        free(names[i]);
        if (st == FA_OK) continue;
        CHECK_MSG(err.code == st, "%s: err.code %d != status %d", path, (int)err.code, (int)st);
        CHECK_MSG(strstr(err.msg, expect) != NULL, "%s:\n  expected '%s'\n  found    '%s'", path, expect,
                  err.msg);
        /* every message names a file of the corpus and a 1-based line:col */
        CHECK_MSG(strncmp(err.msg, DIR_ "/", sizeof DIR_) == 0 && err.line >= 1 && err.col >= 1,
                  "%s: message without file:line:col: '%s'", path, err.msg);
    }
    printf("%d bad files\n", n);
    TEST_MAIN_END();
}
