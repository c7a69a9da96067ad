/* SPDX-License-Identifier: MIT */
/* fascia — loading body files (YAML) into a compiled model.
 *
 * The format is described in docs/model-format.md. Loading runs
 * parse -> spec -> compile -> fa_model_finalize; any error is returned as a
 * status with a message "file:line:col: what was expected, what was found"
 * in the caller's fa_error. The library never prints except through
 * fa_model_print_summary. */
#ifndef FASCIA_LOAD_H
#define FASCIA_LOAD_H

#include <stdio.h>

#include "model.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Load and compile the body file at `path` (with its includes, resolved
 * relative to the including file). On success *out owns a finalized model
 * (free with fa_model_free); on error *out is NULL and err (may be NULL) says
 * where and why. */
fa_status fa_model_load(const char *path, fa_model **out, fa_error *err);

/* Same from text in memory. `name_for_errors` names the text in messages
 * (e.g. "<string>" or a file name) and gives the folder that includes are
 * resolved against (its directory part; the current directory if none). */
fa_status fa_model_load_string(const char *text, const char *name_for_errors, fa_model **out, fa_error *err);

/* Same from `len` bytes (the text may hold NUL bytes, which are errors). */
fa_status fa_model_load_buffer(const char *text, size_t len, const char *name_for_errors, fa_model **out,
                               fa_error *err);

/* Print a summary: counts of materials, bodies, landmarks, nodes (free,
 * fixed, anchored), cords, membranes, interfaces, muscles, lines, regions;
 * total mass (kg); membrane area (m^2); sparsity blocks; the model hash. */
void fa_model_print_summary(const fa_model *m, FILE *f);

/* Total lumped node mass, kg. */
double fa_model_total_mass(const fa_model *m);

/* Stable name lookup. kind is one of "material", "body", "landmark",
 * "node", "cord", "muscle", "line", "region" (index within that kind), or
 * "element" (a cord or muscle name -> global element index). -1 when
 * absent. Names are stable across runs and versions of the same file:
 * generated mesh nodes are "<mesh>.<i>.<j>" (i around/along u from 0, j
 * ring/along v from 0), path and along cords "<cord>.<k>" (k from 0). */
int fa_model_lookup(const fa_model *m, const char *kind, const char *name);

/* Index of generated node <mesh>.<i>.<j>, or -1. */
int fa_model_mesh_node(const fa_model *m, const char *mesh, int i, int j);

#ifdef __cplusplus
}
#endif
#endif
