/* SPDX-License-Identifier: MIT */
/* fascia — command-line front end. A thin client of the public API: every
 * subcommand lives in app/cmd_*.c and is listed in commands.def. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} command;

static const command commands[] = {
#define X(name, fn, help) {name, fn, help},
#include "commands.def"
#undef X
};

static void usage(FILE *f)
{
    fprintf(f, "usage: fascia COMMAND [ARGS...]\n\n"
               "Simulates the body-wide fascial network and how daily life reshapes it.\n\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-16s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\n'fascia COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "fascia: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
