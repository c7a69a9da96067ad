/* SPDX-License-Identifier: MIT */
/* `fascia tensile` (app/cmd_mech.c): the virtual tensile test reproduces the
 * closed-form linear-region tension, full Prony relaxation to g_inf, the
 * sheet anisotropy, and rejects bad options. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"

int fa_cmd_tensile(int argc, char **argv);

/* Runs the command with --out; returns rows read into t/force (max n). */
static int run(const char *const *args, int nargs, double *tcol, double *force, int n, int *rc)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/fa_tensile_%d.csv", (int)getpid());
    char *argv[40];
    int argc = 0;
    argv[argc++] = "tensile";
    for (int i = 0; i < nargs; i++) argv[argc++] = (char *)args[i];
    argv[argc++] = "--out";
    argv[argc++] = path;
    *rc = fa_cmd_tensile(argc, argv);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[256];
    int rows = 0;
    if (!fgets(line, sizeof line, f)) rows = -1; /* header */
    while (rows >= 0 && rows < n && fgets(line, sizeof line, f)) {
        double a, b, c, d, e;
        if (sscanf(line, "%lf,%lf,%lf,%lf,%lf", &a, &b, &c, &d, &e) == 5) {
            tcol[rows] = a;
            force[rows] = d;
            rows++;
        }
    }
    fclose(f);
    remove(path);
    return rows;
}

int main(void)
{
    static double t[4096], F[4096];
    int rc;
    const char *a1[] = {"--E", "350e6", "--strain", "0.06", "--rate", "0.01"};
    int n = run(a1, 6, t, F, 4096, &rc);
    CHECK(rc == 0 && n == 61); /* start row + 60 steps */
    CHECK_REL(F[n - 1], 1e-5 * 350e6 * (0.06 - 0.01), 1e-9); /* 175 N */
    CHECK_REL(t[n - 1], 6.0, 1e-12);
    for (int i = 1; i < n; i++) CHECK(F[i] >= F[i - 1]);

    const char *a2[] = {"--prony", "0.3:1,0.2:10", "--rate", "0.06", "--hold", "300", "--dt", "0.05"};
    n = run(a2, 8, t, F, 4096, &rc);
    CHECK(rc == 0 && n > 100);
    double peak = 0;
    for (int i = 0; i < n; i++) peak = F[i] > peak ? F[i] : peak;
    CHECK(peak < 175.0 && peak > 0.5 * 175.0);
    CHECK_REL(F[n - 1], 0.5 * 175.0, 1e-6); /* relaxed to g_inf */

    const char *a3[] = {"--sheet", "--strain", "0.06"};
    const char *a4[] = {"--sheet", "--across", "--strain", "0.06"};
    double along, across;
    n = run(a3, 3, t, F, 4096, &rc);
    along = n > 0 ? F[n - 1] : 0;
    n = run(a4, 4, t, F, 4096, &rc);
    across = n > 0 ? F[n - 1] : 1;
    printf("sheet at 6%%: along %.4g N, across %.4g N\n", along, across);
    CHECK(along / across > 4 && along / across < 10);

    const char *bad[] = {"--E", "abc"};
    run(bad, 2, t, F, 10, &rc);
    CHECK(rc == 2);
    const char *bad2[] = {"--prony", "0.3"};
    run(bad2, 2, t, F, 10, &rc);
    CHECK(rc == 2);
    TEST_MAIN_END();
}
