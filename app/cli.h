/* SPDX-License-Identifier: MIT */
/* The fascia CLI: subcommand declarations (one per entry of commands.def). */
#ifndef FA_CLI_H
#define FA_CLI_H

#define X(name, fn, help) int fn(int argc, char **argv);
#include "commands.def"
#undef X

#endif
