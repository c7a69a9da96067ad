/* SPDX-License-Identifier: MIT */
/* fascia validate / fascia physio-params: thin clients of the physiology API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fascia/physio.h"

static fa_physio_params *load_params(const char *path)
{
    fa_error err;
    fa_error_clear(&err);
    fa_physio_params *p = path ? fa_physio_params_load(path, &err) : fa_physio_params_default(&err);
    if (!p) fprintf(stderr, "fascia: %s\n", err.msg);
    return p;
}

int fa_cmd_validate(int argc, char **argv)
{
    const char *dir = "data/validation", *params = NULL;
    const char *files[256];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: fascia validate [--dir DIR] [--params FILE.csv] [TARGET.yaml ...]\n\n"
                   "Runs each literature target (a protocol driving the physiology modules) and prints\n"
                   "the published value, the model's value, the accepted range and PASS/FAIL.\n"
                   "'cal' marks targets a parameter was calibrated on (not held-out checks).\n"
                   "Exits 1 if any target fails, 2 on input errors.\n");
            return 0;
        } else if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
            dir = argv[++i];
        } else if (!strcmp(argv[i], "--params") && i + 1 < argc) {
            params = argv[++i];
        } else if (argv[i][0] != '-' && nfiles < 256) {
            files[nfiles++] = argv[i];
        } else {
            fprintf(stderr, "fascia validate: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    fa_physio_params *p = load_params(params);
    if (!p) return 2;
    enum { CAP = 512 };
    fa_validate_result *res = (fa_validate_result *)calloc(CAP, sizeof *res);
    if (!res) {
        fa_physio_params_free(p);
        return 2;
    }
    int n = 0, bad = 0;
    fa_error err;
    fa_error_clear(&err);
    if (nfiles) {
        for (int i = 0; i < nfiles; i++) {
            if (fa_validate_file(files[i], p, &res[n], &err) == FA_OK) n++;
            else {
                fprintf(stderr, "fascia: %s\n", err.msg);
                bad = 1;
            }
        }
    } else if (fa_validate_dir(dir, p, res, CAP, &n, &err) != FA_OK) {
        fprintf(stderr, "fascia: %s\n", err.msg);
        bad = 1;
    }
    fa_validate_print(stdout, res, n);
    int fail = 0;
    for (int i = 0; i < n; i++) fail |= !res[i].pass;
    free(res);
    fa_physio_params_free(p);
    return bad ? 2 : (fail ? 1 : 0);
}

int fa_cmd_physio_params(int argc, char **argv)
{
    const char *params = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: fascia physio-params [--params FILE.csv]\n\nLists every physiology parameter: id, value, "
                   "unit, evidence grade, source.\n");
            return 0;
        } else if (!strcmp(argv[i], "--params") && i + 1 < argc) {
            params = argv[++i];
        } else {
            fprintf(stderr, "fascia physio-params: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    fa_physio_params *p = load_params(params);
    if (!p) return 2;
    int n = fa_physio_params_count(p), ngrade[3] = {0, 0, 0};
    for (int i = 0; i < n; i++) {
        char g = fa_physio_params_grade(p, i);
        printf("%-18s %12.6g %-10s %c  %s\n", fa_physio_params_id(p, i), fa_physio_params_value(p, i),
               fa_physio_params_unit(p, i), g, fa_physio_params_source(p, i));
        ngrade[g - 'A']++;
    }
    printf("%d parameters: %d grade A, %d grade B, %d grade C\n", n, ngrade[0], ngrade[1], ngrade[2]);
    fa_physio_params_free(p);
    return 0;
}
