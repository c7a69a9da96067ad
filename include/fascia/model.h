/* SPDX-License-Identifier: MIT */
/* fascia — the compiled model (const during a run).
 *
 * Structs of arrays with integer index links, MuJoCo style. One X-macro list
 * (FA_MODEL_ARRAYS) drives allocation, freeing, hashing, copying and
 * printing. Every array's comment states its shape and SI unit.
 *
 * Global element numbering: every mechanical element has one index e in
 * [0, nelem): cords first, then membranes, interfaces, muscles:
 *   cord i      -> e = i
 *   membrane i  -> e = ncord + i
 *   interface i -> e = ncord + nmem + i
 *   muscle i    -> e = ncord + nmem + nintf + i
 * Lines and regions list global element indices. Tissue state in fa_data is
 * indexed by e. */
#ifndef FASCIA_MODEL_H
#define FASCIA_MODEL_H

#include <stdint.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Element kinds (value of fa_elem_kind()). */
typedef enum fa_kind { FA_CORD = 0, FA_MEMBRANE, FA_INTERFACE, FA_MUSCLE, FA_NKIND } fa_kind;

/* Evidence grades: A human controlled data, B tissue/animal data,
 * C expert model/hypothesis. Stored as the characters 'A', 'B', 'C'. */

/* Sizes. X(name, doc) */
#define FA_MODEL_SIZES(X)                                              \
    X(nmat, "materials")                                               \
    X(nprony, "Prony terms over all materials")                        \
    X(nbody, "rigid bodies of the skeleton (0 = ground only implied)") \
    X(nlandmark, "named body-fixed points")                            \
    X(nnode, "mesh nodes")                                             \
    X(ncord, "1-D cords")                                              \
    X(nmem, "membrane triangles")                                      \
    X(nintf, "sliding interfaces")                                     \
    X(nmuscle, "Hill-type muscles")                                    \
    X(nelem, "all elements = ncord + nmem + nintf + nmuscle")          \
    X(nline, "myofascial lines")                                       \
    X(nlineel, "entries of line_elem")                                 \
    X(nregion, "reporting regions")                                    \
    X(nregionel, "entries of region_elem")                             \
    X(nblock, "3x3 blocks in the stiffness sparsity pattern")          \
    X(nslot, "entries of elem_slot")                                   \
    X(nvisc, "doubles of viscoelastic history in fa_data")             \
    X(nnamechar, "bytes of the name buffer")

/* Arrays. X(type, name, rows, cols, doc). rows is a size name above. */
#define FA_MODEL_ARRAYS(X)                                                                         \
    /* names: NUL-terminated strings packed in one buffer; *_name are offsets */                 \
    X(char, names, nnamechar, 1, "packed NUL-terminated names")                                  \
    /* materials */                                                                                \
    X(int, mat_name, nmat, 1, "offset into names")                                               \
    X(double, mat_E, nmat, 1, "Pa, fibre modulus in the linear region")                          \
    X(double, mat_toe, nmat, 1, "-, strain at the end of the toe region (crimp straightened)")   \
    X(double, mat_Em, nmat, 1, "Pa, ground-matrix (isotropic) Young's modulus")                  \
    X(double, mat_nu, nmat, 1, "-, ground-matrix Poisson ratio")                                 \
    X(double, mat_rho, nmat, 1, "kg/m^3, density")                                               \
    X(double, mat_fail, nmat, 1, "-, failure strain")                                            \
    X(double, mat_beta, nmat, 1, "s, stiffness-proportional damping time")                       \
    X(double, mat_fib2_angle, nmat, 1, "rad, angle of the 2nd fibre family to the 1st")          \
    X(double, mat_fib2_frac, nmat, 1, "-, share of fibre stiffness in the 2nd family [0,1]")     \
    X(int, mat_prony_adr, nmat, 1, "first Prony term of the material")                           \
    X(int, mat_prony_num, nmat, 1, "number of Prony terms")                                      \
    X(char, mat_grade, nmat, 1, "evidence grade 'A'|'B'|'C'")                                    \
    X(int, mat_cite, nmat, 1, "offset into names: citation key")                                 \
    X(double, prony_g, nprony, 1, "-, relative modulus of the Prony term")                       \
    X(double, prony_tau, nprony, 1, "s, relaxation time of the Prony term")                      \
    /* skeleton bodies (kinematic frames; poses live in fa_data) */                               \
    X(int, body_name, nbody, 1, "offset into names")                                             \
    X(int, body_parent, nbody, 1, "parent body, -1 = ground")                                    \
    X(double, body_mass, nbody, 1, "kg")                                                         \
    /* landmarks */                                                                                \
    X(int, landmark_name, nlandmark, 1, "offset into names")                                     \
    X(int, landmark_body, nlandmark, 1, "body index, -1 = ground")                               \
    X(double, landmark_pos, nlandmark, 3, "m, position in the body frame")                       \
    /* nodes */                                                                                    \
    X(int, node_name, nnode, 1, "offset into names (-1 = unnamed)")                              \
    X(int, node_body, nnode, 1, "anchor body, -1 = free, -2 = fixed to ground")                 \
    X(double, node_pos0, nnode, 3, "m, reference position in world frame")                       \
    X(double, node_local, nnode, 3, "m, position in the anchor body frame (anchored nodes)")     \
    X(double, node_mass, nnode, 1, "kg, lumped mass (derived + explicit)")                       \
    /* cords */                                                                                    \
    X(int, cord_name, ncord, 1, "offset into names (-1 = unnamed)")                              \
    X(int, cord_node, ncord, 2, "node indices")                                                  \
    X(int, cord_mat, ncord, 1, "material")                                                       \
    X(double, cord_area, ncord, 1, "m^2, cross-section area")                                    \
    X(double, cord_prestrain, ncord, 1, "-, strain at the reference pose")                       \
    X(double, cord_L0, ncord, 1, "m, rest length (derived)")                                     \
    /* membranes */                                                                                \
    X(int, mem_node, nmem, 3, "node indices, counter-clockwise seen from the outside")           \
    X(int, mem_mat, nmem, 1, "material")                                                         \
    X(double, mem_thick, nmem, 1, "m, thickness")                                                \
    X(double, mem_fibre, nmem, 3, "-, unit fibre direction at the reference pose (world)")       \
    X(double, mem_area0, nmem, 1, "m^2, reference area (derived)")                               \
    X(double, mem_Dminv, nmem, 4, "1/m, inverse reference edge matrix in local 2-D (derived)")   \
    X(double, mem_fib2d, nmem, 2, "-, unit fibre direction in local 2-D coords (derived)")       \
    /* interfaces: a sheet node sliding over a substrate node */                                   \
    X(int, intf_node, nintf, 2, "node indices: sheet, substrate")                                \
    X(double, intf_normal, nintf, 3, "-, unit normal of the sliding plane (reference; turns with the substrate node's body)")   \
    X(double, intf_area, nintf, 1, "m^2, tributary area")                                        \
    X(double, intf_G, nintf, 1, "Pa, shear modulus of the loose connective layer")              \
    X(double, intf_h, nintf, 1, "m, thickness of the loose connective layer")                   \
    X(double, intf_eta, nintf, 1, "Pa s, hyaluronan-rich fluid viscosity at 37 C, healthy")      \
    X(double, intf_kn, nintf, 1, "N/m, normal (no-separation) stiffness")                       \
    /* muscles (Hill type, node to node) */                                                        \
    X(int, muscle_name, nmuscle, 1, "offset into names")                                         \
    X(int, muscle_node, nmuscle, 2, "node indices")                                              \
    X(double, muscle_fmax, nmuscle, 1, "N, maximum isometric force")                             \
    X(double, muscle_lopt, nmuscle, 1, "m, optimal fibre length")                                \
    X(double, muscle_vmax, nmuscle, 1, "1/s, maximum shortening velocity in lopt/s")             \
    X(double, muscle_lslack, nmuscle, 1, "m, series (tendon) slack length, 0 = none")            \
    /* lines */                                                                                    \
    X(int, line_name, nline, 1, "offset into names")                                             \
    X(int, line_adr, nline, 1, "first entry in line_elem")                                       \
    X(int, line_num, nline, 1, "number of entries")                                              \
    X(char, line_grade, nline, 1, "evidence grade of the line's continuity")                     \
    X(int, line_elem, nlineel, 1, "global element indices, ordered along the line")             \
    /* regions */                                                                                  \
    X(int, region_name, nregion, 1, "offset into names")                                         \
    X(int, region_adr, nregion, 1, "first entry in region_elem")                                 \
    X(int, region_num, nregion, 1, "number of entries")                                          \
    X(int, region_elem, nregionel, 1, "global element indices")                                  \
    /* sparsity: 3x3 blocks, CSR by node row, full (both triangles), sorted columns */            \
    X(int, blk_rowadr, nnode, 1, "first block of the row (row end = next row's adr or nblock)") \
    X(int, blk_rownum, nnode, 1, "blocks in the row")                                            \
    X(int, blk_col, nblock, 1, "column node of the block")                                       \
    X(int, elem_slot_adr, nelem, 1, "first entry in elem_slot (k*k entries, k = element nodes)") \
    X(int, elem_slot, nslot, 1, "block index for element node pair (a,b), row-major a*k+b")     \
    X(int, elem_visc_adr, nelem, 1, "first double of the element's history in fa_data.visc")

/* Scalar options with defaults (fa_default_options). */
typedef struct fa_options {
    double timestep;      /* s, dynamics step (default 1e-3) */
    double gravity[3];    /* m/s^2 (default 0: fascia tests are gravity-free) */
    double damping;       /* 1/s, mass-proportional damping (default 2) */
    double temperature;   /* deg C, reference tissue temperature (default 37) */
    double newton_tol;    /* N, force residual tolerance (default 1e-8) */
    int newton_maxiter;   /* default 50 */
} fa_options;

typedef struct fa_model {
#define FA_MODEL_SIZE_FIELD_(name, doc) int name;
    FA_MODEL_SIZES(FA_MODEL_SIZE_FIELD_)
#undef FA_MODEL_SIZE_FIELD_
#define FA_MODEL_ARRAY_FIELD_(type, name, rows, cols, doc) type *name;
    FA_MODEL_ARRAYS(FA_MODEL_ARRAY_FIELD_)
#undef FA_MODEL_ARRAY_FIELD_
    fa_options opt;
} fa_model;

/* Default options. */
fa_options fa_default_options(void);

/* Allocate a model whose size fields are already set in `sizes` (all arrays
 * zeroed; size fields copied). Returns NULL on out of memory. */
fa_model *fa_model_alloc(const fa_model *sizes);

/* Free a model and all its arrays. NULL is allowed. */
void fa_model_free(fa_model *m);

/* Deep copy. NULL on out of memory. */
fa_model *fa_model_copy(const fa_model *m);

/* 64-bit FNV-1a hash over every size and array (bit-exact). */
uint64_t fa_model_hash(const fa_model *m);

/* Name of an entity: returns "" for a negative offset. */
const char *fa_model_name(const fa_model *m, int offset);

/* Kind and index within its kind of global element e. */
fa_kind fa_elem_kind(const fa_model *m, int e, int *local);

/* Global element index of element `local` of kind `k`. */
int fa_elem_index(const fa_model *m, fa_kind k, int local);

/* Number of nodes of an element kind (cord 2, membrane 3, interface 2, muscle 2). */
int fa_kind_nnode(fa_kind k);

/* Node list of global element e: writes up to 3 node indices to `nodes` and
 * returns how many. */
int fa_elem_nodes(const fa_model *m, int e, int nodes[3]);

/* Name of a kind: "cord", "membrane", "interface", "muscle". */
const char *fa_kind_str(fa_kind k);

/* Find an entity by name; -1 when absent. kind: "material", "body",
 * "landmark", "node", "cord", "muscle", "line", "region". */
int fa_model_find(const fa_model *m, const char *kind, const char *name);

/* Complete a model whose primary fields are filled (materials, nodes with
 * node_pos0/node_body/node_local, elements, lines, regions; nblock, nslot and
 * nvisc may be 0): computes the stiffness sparsity pattern, element slots,
 * viscoelastic history layout, rest lengths (cord_L0 from node_pos0 and
 * cord_prestrain), membrane reference areas/Dminv/fib2d, lumped node masses.
 * May reallocate: *m is replaced on success. Errors (degenerate triangle,
 * zero-length cord, bad index) are reported with the element named.
 * Implemented by the mechanics stage (src/mech/finalize.c). */
fa_status fa_model_finalize(fa_model **m, fa_error *err);

#ifdef __cplusplus
}
#endif
#endif
