/* SPDX-License-Identifier: MIT */
/* fascia advise: bad input gives a clear message and exit 2 (usage, goal,
 * region) or 1 (scenario); --help describes the command. */
#include <stdlib.h>
#include <sys/wait.h>

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
    int rc = run("advise --help", out, sizeof out);
    CHECK_MSG(rc == 0 && strstr(out, "usage: fascia advise") && strstr(out, "--goal"), "rc %d: %s", rc, out);
    rc = run("advise desk-runner", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "--goal is required"), "rc %d: %s", rc, out);
    /* --no-habitual-day: described and accepted (the run then stops at the missing goal) */
    rc = run("advise --help", out, sizeof out);
    CHECK_MSG(rc == 0 && strstr(out, "--no-habitual-day"), "rc %d: %s", rc, out);
    rc = run("advise desk-runner --no-habitual-day", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "--goal is required") && !strstr(out, "unknown option"), "rc %d: %s", rc, out);
    /* --passive (every muscle passive in the strides): described and accepted */
    rc = run("advise --help", out, sizeof out);
    CHECK_MSG(rc == 0 && strstr(out, "--passive") && strstr(out, "activation.csv"), "rc %d: %s", rc, out);
    rc = run("advise desk-runner --passive", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "--goal is required") && !strstr(out, "unknown option"), "rc %d: %s", rc, out);
    rc = run("advise desk-runner --goal happiness:low_back", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "happiness") && strstr(out, "days-off"), "rc %d: %s", rc, out);
    rc = run("advise desk-runner --goal adhesion", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "expected a region"), "rc %d: %s", rc, out);
    rc = run("advise desk-runner --goal adhesion:elbow", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "unknown region 'elbow'"), "rc %d: %s", rc, out);
    rc = run("advise no-such-scenario --goal days-off", out, sizeof out);
    CHECK_MSG(rc == 1 && strstr(out, "built-in scenarios:"), "rc %d: %s", rc, out);
    rc = run("advise tests/advise/files/bad_scenario.yaml --goal days-off", out, sizeof out);
    CHECK_MSG(rc == 1 && strstr(out, "bad_scenario.yaml:5:") && strstr(out, "sit_slumpd"), "rc %d: %s", rc,
              out);
    rc = run("advise desk-runner --goal days-off --days 0", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "--days"), "rc %d: %s", rc, out);
    rc = run("advise desk-runner --goal days-off --bogus", out, sizeof out);
    CHECK_MSG(rc == 2 && strstr(out, "--bogus"), "rc %d: %s", rc, out);
    TEST_MAIN_END();
}
