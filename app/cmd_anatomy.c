/* SPDX-License-Identifier: MIT */
/* fascia build-runner [-o FILE] [--osim FILE] [--anatomy DIR]
 * fascia body [BODY]
 * Exit status: 0 ok, 1 error (message on stderr), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_util.h"
#include "fascia/anatomy.h"
#include "fascia/load.h"
#include "fascia/osim.h"

static void build_usage(FILE *f)
{
    fprintf(f, "usage: fascia build-runner [-o FILE] [--osim FILE] [--anatomy DIR]\n\n"
               "Build the default runner body from the Rajagopal 2016 skeleton and the anatomy\n"
               "tables (landmarks, Anatomy Trains lines and tracks, structures, materials) and\n"
               "write it as a body file (YAML).\n\n"
               "options:\n"
               "  -o FILE         output (default: data/bodies/runner.yaml; '-' = stdout)\n"
               "  --osim FILE     skeleton (default: data/opensim/models/opensim4/Rajagopal2016.osim)\n"
               "  --anatomy DIR   tables (default: data/anatomy)\n"
               "  -h, --help      show this help\n");
}

int fa_cmd_build_runner(int argc, char **argv)
{
    char out_def[1024], osim_def[1024], dir_def[1024];
    const char *out = fa_cli_data_path("bodies/runner.yaml", out_def, sizeof out_def);
    const char *osim_path = fa_cli_data_path("opensim/models/opensim4/Rajagopal2016.osim", osim_def, sizeof osim_def);
    const char *dir = fa_cli_data_path("anatomy", dir_def, sizeof dir_def);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            build_usage(stdout);
            return 0;
        }
        const char **dst = !strcmp(argv[i], "-o") ? &out : !strcmp(argv[i], "--osim") ? &osim_path
                           : !strcmp(argv[i], "--anatomy") ? &dir : NULL;
        if (!dst || i + 1 >= argc) {
            fprintf(stderr, "fascia build-runner: %s '%s'\n", dst ? "missing value for" : "unknown argument", argv[i]);
            build_usage(stderr);
            return 2;
        }
        *dst = argv[++i];
    }
    fa_error err;
    fa_anatomy *a = NULL;
    fa_osim *o = NULL;
    if (fa_anatomy_load(dir, &a, &err) != FA_OK || fa_osim_load(osim_path, &o, &err) != FA_OK) {
        fprintf(stderr, "%s\n", err.msg);
        fa_anatomy_free(a);
        return 1;
    }
    /* write to a temporary file, then rename: a failed build never leaves half a body */
    char tmp[1100];
    int to_stdout = !strcmp(out, "-");
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    FILE *f = to_stdout ? stdout : fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "fascia build-runner: cannot write '%s'\n", tmp);
        fa_anatomy_free(a);
        fa_osim_free(o);
        return 1;
    }
    fa_runner_def def = fa_runner_default_def();
    def.osim_label = "data/opensim/models/opensim4/Rajagopal2016.osim";
    fa_status st = fa_runner_write(a, o, &def, f, &err);
    if (!to_stdout && fclose(f) != 0 && st == FA_OK) st = FA_ERR_IO;
    if (st == FA_OK && !to_stdout && rename(tmp, out) != 0) st = FA_ERR_IO;
    if (st != FA_OK) {
        fprintf(stderr, "fascia build-runner: %s\n", st == FA_ERR_IO ? "cannot write the output" : err.msg);
        if (!to_stdout) remove(tmp);
    }
    fa_anatomy_free(a);
    fa_osim_free(o);
    return st == FA_OK ? 0 : 1;
}

int fa_cmd_body(int argc, char **argv)
{
    char def_path[1024];
    const char *path = fa_cli_data_path("bodies/runner.yaml", def_path, sizeof def_path);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: fascia body [BODY]\n\nLoad a body file (default: the runner body) and print its elements by\n"
                   "kind, every line with its element count, length and evidence grade, every\n"
                   "structure and every reporting region.\n");
            return 0;
        }
        if (argv[i][0] == '-') {
            fprintf(stderr, "fascia body: unknown option '%s'\n", argv[i]);
            return 2;
        }
        path = argv[i];
    }
    fa_model *m = NULL;
    fa_error err;
    if (fa_model_load(path, &m, &err) != FA_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    printf("%s\n", path);
    fa_body_print(m, stdout);
    fa_model_free(m);
    return 0;
}
