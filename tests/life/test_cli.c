/* SPDX-License-Identifier: MIT */
/* fascia run: bad input gives a clear message and a non-zero exit; the default strides have
 * working muscles (--passive: none). */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

/* Run a command; capture stdout+stderr into out; return the exit status. */
static int run(const char *args, char *out, size_t cap)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", FA_CLI_PATH, args);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
    static char out[65536];
    int rc = run("run --help", out, sizeof out);
    CHECK(rc == 0 && strstr(out, "usage: fascia run"));
    rc = run("run no-such-scenario", out, sizeof out);
    CHECK_MSG(rc != 0 && strstr(out, "built-in scenarios:") && strstr(out, "desk-runner"), "rc %d: %s", rc, out);
    rc = run("run tests/life/files/bad_syntax.yaml", out, sizeof out);
    CHECK_MSG(rc != 0 && strstr(out, "bad_syntax.yaml:5:") && strstr(out, "sit_slumpd"), "rc %d: %s", rc, out);
    rc = run("run tests/life/files/no_such_file.yaml", out, sizeof out);
    CHECK_MSG(rc != 0 && strstr(out, "no_such_file.yaml"), "rc %d: %s", rc, out);
    rc = run("run tests/life/files/no_body.yaml -o /tmp/fa_life_cli_nobody", out, sizeof out);
    CHECK_MSG(rc != 0 && strstr(out, "no_such_body.yaml"), "rc %d: %s", rc, out);
    rc = run("run desk-runner --days 0", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "--days"), "rc %d: %s", rc, out);
    /* one message per bad value: a non-number is said once, a number out of range says its range */
    rc = run("run desk-runner --days x", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "expects a number") && !strstr(out, "whole number"), "rc %d: %s", rc, out);
    rc = run("run desk-runner --tol -1", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "--tol expects a positive number"), "rc %d: %s", rc, out);
    rc = run("run desk-runner --stride-frames 1.5", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "whole number >= 0"), "rc %d: %s", rc, out);
    /* --no-habitual-day (the old stim.* reference day, for comparison): described and accepted
     * (the run then stops at the bad --days, not at the flag) */
    rc = run("run --help", out, sizeof out);
    CHECK_MSG(rc == 0 && strstr(out, "--no-habitual-day") && strstr(out, "ordinary day"), "rc %d: %s", rc, out);
    rc = run("run desk-runner --no-habitual-day --days 0", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "--days") && !strstr(out, "unknown option"), "rc %d: %s", rc, out);
    /* --passive (every muscle passive in the strides; working muscles are the default): described
     * and accepted */
    rc = run("run --help", out, sizeof out);
    CHECK_MSG(rc == 0 && strstr(out, "--passive") && strstr(out, "activation.csv"), "rc %d: %s", rc, out);
    rc = run("run desk-runner --passive --days 0", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "--days") && !strstr(out, "unknown option"), "rc %d: %s", rc, out);
    /* the default strides have working muscles: one day of desk-runner on the runner body stores
     * about four times the ITB energy per running stride of --passive (measured 3.84 vs 0.93 J) */
    double itb[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        char args[256];
        snprintf(args, sizeof args, "run desk-runner --days 1 --no-clinical -o /tmp/fa_life_cli_act_%d_%d%s",
                 (int)getpid(), k, k ? " --passive" : "");
        rc = run(args, out, sizeof out);
        const char *q = strstr(out, "ITB energy per stride at");
        q = q ? strstr(q, "start ") : NULL;
        CHECK_MSG(rc == 0 && q && sscanf(q, "start %lf", &itb[k]) == 1, "rc %d: %.400s", rc, out);
        snprintf(args, sizeof args, "rm -rf /tmp/fa_life_cli_act_%d_%d", (int)getpid(), k);
        if (system(args) != 0) fprintf(stderr, "could not remove the run's output folder\n");
    }
    printf("ITB energy per running stride, day 1: default %.3f J, --passive %.3f J\n", itb[0], itb[1]);
    CHECK(itb[0] > 2.0 && itb[1] > 0.3 && itb[1] < 1.5 && itb[0] > 2.5 * itb[1]);
    rc = run("run desk-runner --bogus", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "--bogus"), "rc %d: %s", rc, out);
    TEST_MAIN_END();
}
