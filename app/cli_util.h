/* SPDX-License-Identifier: MIT */
/* Small helpers shared by the CLI's subcommands. */
#ifndef FA_CLI_UTIL_H
#define FA_CLI_UTIL_H

#include <stddef.h>

/* Path of a file in the data folder: $FASCIA_DATA/rel when set, else the
 * build's data folder. Returns buf. */
const char *fa_cli_data_path(const char *rel, char *buf, size_t n);

/* Parse a number / a comma-separated 3-vector; return 0 and print
 * "fascia CMD: OPTION expects ..., found '...'" on error. */
int fa_cli_number(const char *cmd, const char *opt, const char *s, double *out);
int fa_cli_vec3(const char *cmd, const char *opt, const char *s, double out[3]);
/* A whole number in [lo, 1e6] / a number > 0; return 0 and print why on error. */
int fa_cli_whole(const char *cmd, const char *opt, const char *s, double lo, double *out);
int fa_cli_positive(const char *cmd, const char *opt, const char *s, double *out);

/* Progress bar on stderr when it is a terminal (no output otherwise). */
int fa_cli_progress(double fraction, void *label);
void fa_cli_progress_done(void);
#endif
