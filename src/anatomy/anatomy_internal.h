/* SPDX-License-Identifier: MIT */
/* Internal helpers of the anatomy stage. */
#ifndef FA_ANATOMY_INTERNAL_H
#define FA_ANATOMY_INTERNAL_H

#include "fascia/anatomy.h"

/* A CSV file read whole: header names, rows of cells, and where each cell
 * started (line, column) for error messages. */
typedef struct fa_csv {
    char path[512];
    char *text;
    int ncol, nrow;
    char **head;   /* [ncol] */
    char ***cell;  /* [nrow][ncol] */
    int *line;     /* [nrow] 1-based line */
    int **col0;    /* [nrow][ncol] 1-based column of each cell */
} fa_csv;

fa_status fa_csv_read(const char *path, fa_csv *c, fa_error *err);
void fa_csv_free(fa_csv *c);
int fa_csv_col(const fa_csv *c, const char *name);

#endif
