/* SPDX-License-Identifier: MIT */
/* fascia check FILE: load and compile a body file, print its summary.
 * Exit status: 0 valid, 1 invalid (message on stderr), 2 usage. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fascia/load.h"
#include "fascia/model.h"

static void check_usage(FILE *f)
{
    fprintf(f, "usage: fascia check [--quiet] FILE...\n\n"
               "Load each body file (YAML, see docs/model-format.md), compile it and print a\n"
               "summary: counts of materials, nodes, cords, membranes, interfaces, muscles,\n"
               "lines and regions, total mass, sparsity blocks and the model hash.\n"
               "On the first error print 'file:line:col: message' to stderr and exit 1.\n\n"
               "options:\n"
               "  -q, --quiet   print nothing on success\n"
               "  -h, --help    show this help\n");
}

int fa_cmd_check(int argc, char **argv)
{
    int quiet = 0, nfile = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            check_usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
            quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "fascia check: unknown option '%s'\n", argv[i]);
            check_usage(stderr);
            return 2;
        } else {
            nfile++;
        }
    }
    if (nfile == 0) {
        check_usage(stderr);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) continue;
        fa_model *m = NULL;
        fa_error err;
        if (fa_model_load(argv[i], &m, &err) != FA_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        if (!quiet) {
            if (nfile > 1) printf("%s:\n", argv[i]);
            fa_model_print_summary(m, stdout);
        }
        fa_model_free(m);
    }
    return 0;
}
