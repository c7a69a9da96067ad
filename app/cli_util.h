/* SPDX-License-Identifier: MIT */
/* Small helpers shared by the CLI's subcommands. */
#ifndef FA_CLI_UTIL_H
#define FA_CLI_UTIL_H

#include <stddef.h>

#include "fascia/life.h"

/* Path of a file in the data folder: $FASCIA_DATA/rel when set, else the
 * build's data folder. Returns buf. */
const char *fa_cli_data_path(const char *rel, char *buf, size_t n);
/* The data folder itself (FASCIA_DATA or the built-in one), without a trailing slash. */
const char *fa_cli_data_dir(char *buf, size_t n);

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

/* The runner body's kinematics as fascia run, advise and test-clinical replay it
 * (fa_life_osim_create in data_dir): the muscles work in the strides
 * (fa_life_osim_activation, data/anatomy/activation.csv) unless `passive`
 * (--passive: every muscle at activation 0, the behaviour before activation
 * was the default). Free *out with fa_life_osim_free. */
fa_status fa_cli_runner_kin(const fa_model *m, const char *data_dir, int passive, fa_life_osim **out,
                            fa_life_kin *kin, fa_error *err);
#endif
