/* SPDX-License-Identifier: MIT */
/* fascia check FILE: load and compile a body file, print its summary.
 * Exit status: 0 valid, 1 invalid (message on stderr), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fascia/load.h"
#include "fascia/model.h"

/* Read all of standard input (at most 64 MiB + 1 byte, so the loader reports
 * a file that is too large). NULL on out of memory. */
static char *read_stdin(size_t *len)
{
    size_t cap = 1 << 16, n = 0, lim = ((size_t)64 << 20) + 1;
    char *buf = (char *)malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap >= lim) break;
            char *nb = (char *)realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n, stdin);
        n += k;
        if (k == 0) break;
    }
    *len = n;
    return buf;
}

static void check_usage(FILE *f)
{
    fprintf(f, "usage: fascia check [--quiet] [--list KIND] FILE...\n\n"
               "Load each body file (YAML, see docs/model-format.md; '-' reads standard input,\n"
               "includes then resolve against the current folder), compile it and print a\n"
               "summary: counts of materials, nodes, cords, membranes, interfaces, muscles,\n"
               "lines and regions, total mass, sparsity blocks and the model hash.\n"
               "On the first error print 'file:line:col: message' to stderr and exit 1.\n\n"
               "options:\n"
               "  -q, --quiet      print nothing on success\n"
               "  --list KIND      after the summary, list the names of one kind, one per line:\n"
               "                   materials, bodies, landmarks, nodes, cords, muscles, lines, regions\n"
               "                   (generated mesh nodes are <mesh>.<i>.<j>, path/along cords <cord>.<k>)\n"
               "  -h, --help       show this help\n");
}

/* Name offsets and count of one kind, or 0 when the kind is unknown. */
static int kind_names(const fa_model *m, const char *kind, const int **names, int *n)
{
    static const char *const kinds[] = {"materials", "bodies",  "landmarks", "nodes",
                                        "cords",     "muscles", "lines",     "regions"};
    const int *arr[] = {m->mat_name,  m->body_name,   m->landmark_name, m->node_name,
                        m->cord_name, m->muscle_name, m->line_name,     m->region_name};
    const int cnt[] = {m->nmat, m->nbody, m->nlandmark, m->nnode, m->ncord, m->nmuscle, m->nline, m->nregion};
    for (int k = 0; k < 8; k++)
        if (!strcmp(kind, kinds[k])) {
            *names = arr[k];
            *n = cnt[k];
            return 1;
        }
    return 0;
}

int fa_cmd_check(int argc, char **argv)
{
    int quiet = 0, nfile = 0;
    const char *list = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            check_usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
            quiet = 1;
        } else if (!strcmp(argv[i], "--list")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "fascia check: --list needs a KIND\n");
                return 2;
            }
            list = argv[++i];
            static const char *const ok[] = {"materials", "bodies",  "landmarks", "nodes",
                                             "cords",     "muscles", "lines",     "regions"};
            int found = 0;
            for (int k = 0; k < 8; k++)
                found |= !strcmp(list, ok[k]);
            if (!found) {
                fprintf(stderr, "fascia check: unknown --list kind '%s'\n", list);
                check_usage(stderr);
                return 2;
            }
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
        if (!strcmp(argv[i], "--list")) {
            i++;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1]) continue;
        fa_model *m = NULL;
        fa_error err;
        fa_status st;
        if (!strcmp(argv[i], "-")) {
            size_t len = 0;
            char *text = read_stdin(&len);
            if (!text) {
                fprintf(stderr, "fascia check: out of memory reading standard input\n");
                return 1;
            }
            st = fa_model_load_buffer(text, len, "<stdin>", &m, &err);
            free(text);
        } else {
            st = fa_model_load(argv[i], &m, &err);
        }
        if (st != FA_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        if (!quiet) {
            if (nfile > 1) printf("%s:\n", argv[i]);
            fa_model_print_summary(m, stdout);
        }
        const int *names;
        int n;
        if (list && kind_names(m, list, &names, &n)) {
            if (!quiet) printf("%s:\n", list);
            for (int k = 0; k < n; k++)
                printf("%s\n", fa_model_name(m, names[k]));
        }
        fa_model_free(m);
    }
    return 0;
}
