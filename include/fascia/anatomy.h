/* SPDX-License-Identifier: MIT */
/* fascia — the default runner body: real anatomy on the Rajagopal 2016 skeleton.
 *
 * The anatomy stage reads the tables in data/anatomy/ (landmarks, the 12
 * Anatomy Trains lines and their tracks, named fascial structures, materials,
 * gliding-layer parameters, postures) and, with an OpenSim skeleton
 * (fa_osim), writes a body file (data/bodies/runner.yaml) that the model
 * compiler (fa_model_load) turns into a fascial network: collagen cords along
 * each line's tracks, Hill muscles from the OpenSim muscle paths in series
 * with their tendons, membrane sheets and sheaths (fascia lata, crural
 * fascia, thoracolumbar fascia, gluteal aponeurosis, plantar aponeurosis,
 * rectus sheath), every free node joined to the bone beneath by a sliding
 * interface.
 *
 * Frames. The runner body's bodies are the skeleton's bodies, but each body
 * frame is the world frame at the reference (standing) pose: a point's
 * position "in the body frame" in runner.yaml is its world position when the
 * skeleton stands in the reference posture. So fa_data_reset (identity body
 * poses) is the standing reference, and the pose of body b in posture q is
 * the rigid displacement T_b(q) T_b(q_ref)^-1 of the OpenSim body, which
 * fa_anatomy_set_body_poses writes to fa_data. */
#ifndef FASCIA_ANATOMY_H
#define FASCIA_ANATOMY_H

#include <stdio.h>

#include "data.h"
#include "model.h"
#include "osim.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Track kinds (tracks.csv `kind`). */
typedef enum fa_track_kind {
    FA_TRACK_CORD = 0, /* collagen band along from -> via -> to */
    FA_TRACK_MUSCLE,   /* OpenSim muscle: Hill fibres + tendon cord */
    FA_TRACK_SHEET,    /* carried by a sheet structure */
    FA_TRACK_INSERT,   /* muscle inserting into another track (not part of a line) */
    FA_TRACK_GAP,      /* no myofascial track between the two stations */
    FA_TRACK_BELLY     /* muscle without an OpenSim path (bellies.csv): passive Hill fibres from one
                        * station along from -> via -> to, then a tendon/aponeurosis cord */
} fa_track_kind;

/* The anatomy tables. Strings are owned by the struct. Side templates
 * ({s}, {o}) are kept as written in the files. */
typedef struct fa_anatomy {
    /* landmarks.csv */
    int nlandmark;
    char **lm_name;     /* [nlandmark] */
    char **lm_body;     /* [nlandmark] OpenSim body name */
    double *lm_pos;     /* [3*nlandmark] m, in the OpenSim body frame */
    char **lm_source;   /* [nlandmark] how the point was found */
    /* lines.csv */
    int nline;
    char **line_id;     /* [nline] e.g. "SBL" */
    char **line_title;  /* [nline] e.g. "Superficial Back Line" */
    int *line_cross;    /* [nline] 1 = crosses the midline */
    char *line_grade;   /* [nline] 'A' | 'B' | 'C' */
    char **line_evidence; /* [nline] */
    char **line_cite;   /* [nline] citation key */
    /* tracks.csv (rows in file order) */
    int ntrack;
    char **tr_line;     /* [ntrack] line id, "-" for inserts */
    int *tr_seq;        /* [ntrack] */
    char **tr_from, **tr_to; /* [ntrack] station landmark templates ("" for insert from) */
    char **tr_via;      /* [ntrack] ';'-separated landmark templates or "" */
    char **tr_name;     /* [ntrack] track name template */
    int *tr_kind;       /* [ntrack] fa_track_kind */
    char **tr_muscle;   /* [ntrack] OpenSim muscle template or "" */
    char **tr_struct;   /* [ntrack] structure id or "" */
    char **tr_regions;  /* [ntrack] blank-separated region names */
    int *tr_fileline;   /* [ntrack] line of the row in tracks.csv (for messages) */
    /* structures.csv */
    int nstruct;
    char **st_id, **st_title, **st_kind, **st_mat; /* [nstruct] kind: cord|sheet|sheath */
    double *st_thick;   /* [nstruct] m (NaN: none given) */
    char **st_thick_src;
    char *st_thick_grade;
    double *st_width;   /* [nstruct] m (NaN: none) */
    double *st_stiff;   /* [nstruct] N/m measured structural stiffness (NaN: none) */
    char **st_stiff_src;
    char **st_geom;     /* [nstruct] "tube" | "patch" | "" */
    char **st_p0, **st_p1, **st_p2, **st_markers; /* landmark / marker templates */
    int *st_nu, *st_nv; /* [nstruct] mesh resolution (segments/columns, rings/rows) */
    double *st_fibre_deg; /* [nstruct] deg, first fibre family: tube helix angle / patch angle from the width */
    char **st_body0, **st_body1, **st_sub0, **st_sub1;
    char **st_lines, **st_attach, **st_regions;
    int *st_fileline;   /* [nstruct] line of the row in structures.csv (for messages) */
    char *dir;          /* folder the tables were read from */
    /* materials.csv */
    int nmat;
    char **mat_id;
    double *mat_E;      /* Pa; NaN = derived from a structure's stiffness */
    double *mat_toe, *mat_Em, *mat_nu, *mat_rho, *mat_fail, *mat_f2angle_deg, *mat_f2frac;
    char *mat_grade;
    char **mat_cite;
    /* glide.csv: the loose connective gliding layer */
    double glide_G;     /* Pa, shear modulus */
    double glide_h;     /* m, thickness of the layer under sheets */
    double track_glide_h; /* m, thickness of the loose layer under cords and tendons */
    double glide_eta;   /* Pa s, viscosity */
    double glide_Einst; /* Pa, instantaneous tensile modulus (normal stiffness E A / h) */
    double glide_normal_h; /* m, layer thickness in the normal stiffness E_inst A / glide_normal_h (no-separation) */
    double tendon_strain_fmax; /* -, tendon strain at maximum isometric force */
    double muscle_vmax; /* lopt/s, maximum shortening velocity */
    double max_segment; /* m, longest cord segment between free nodes */
    char glide_grade;
    char *glide_cite;
    /* postures.csv (long format) */
    int npost;
    char **po_name, **po_coord; /* [npost] */
    double *po_deg;             /* [npost] degrees */
    int *po_fileline;           /* [npost] line of the row in postures.csv (for messages) */
    /* bellies.csv: muscle bellies of tracks of kind belly (arm and trunk muscles) */
    int nbelly;
    char **be_id;               /* [nbelly] id (side template), named by the track's `muscle` */
    double *be_lopt, *be_fmax, *be_lts; /* [nbelly] m, N, m: optimal fibre length, max force, tendon slack */
    int *be_at_to;              /* [nbelly] 1: fibres start at the track's `to` station, 0: at `from` */
    int *be_fileline;           /* [nbelly] line of the row in bellies.csv */
    double cord_normal_h;       /* m, glide.csv cord_normal_h: layer of the normal stiffness under fascial cords */
    double station_G, station_h, station_area; /* Pa, m, m^2: attachment of a free station to its bone */
} fa_anatomy;

/* Load the tables from folder `dir` (landmarks.csv, lines.csv, tracks.csv,
 * structures.csv, materials.csv, glide.csv, postures.csv). Errors name
 * file:line:col. On success *out owns the tables (fa_anatomy_free). */
fa_status fa_anatomy_load(const char *dir, fa_anatomy **out, fa_error *err);
void fa_anatomy_free(fa_anatomy *a);

/* Index of a landmark / line / structure / material by name, -1 if none. */
int fa_anatomy_landmark(const fa_anatomy *a, const char *name);
int fa_anatomy_structure(const fa_anatomy *a, const char *id);
/* Row of bellies.csv whose id, expanded for either side, is `name` (e.g. erector_spinae_r); -1 if none. */
int fa_anatomy_belly(const fa_anatomy *a, const char *name);

/* Expand a side template: {s} -> side, {o} -> the other side ('r' or 'l').
 * Returns out. */
char *fa_anatomy_side(const char *tmpl, char side, char *out, size_t n);

/* Names of the postures in file order (unique); returns the count and writes
 * up to max pointers into names (owned by a). */
int fa_anatomy_postures(const fa_anatomy *a, const char **names, int max);

/* Set pose->q to posture `name`: the skeleton's defaults, then every listed
 * coordinate (degrees -> radians for rotational coordinates), couplers
 * applied, forward kinematics run. Unknown posture or coordinate:
 * FA_ERR_UNKNOWN. */
fa_status fa_anatomy_posture(const fa_anatomy *a, const fa_osim *osim, const char *name,
                             fa_osim_pose *pose, fa_error *err);

/* Settings of the runner generator (fa_runner_default_def). */
typedef struct fa_runner_def {
    const char *reference;  /* posture used as the reference (default "standing") */
    const char *osim_label; /* how the skeleton is named in the file header (default: osim->file) */
    const char *bags;       /* epimysial bag table (data/anatomy/bags.csv) or NULL (default): no bags.
                               Opt-in for now: with bags the desk-runner's bag membranes fatigue to
                               injury within days and a run costs ~3x the CPU (docs/anatomy.md) */
} fa_runner_def;
fa_runner_def fa_runner_default_def(void);

/* Write the runner body file (YAML, docs/model-format.md) built from the
 * skeleton and the tables. Deterministic: the same inputs give the same
 * bytes. */
fa_status fa_runner_write(const fa_anatomy *a, const fa_osim *osim, const fa_runner_def *def, FILE *f,
                          fa_error *err);

/* Set d->body_xpos / d->body_xmat of every model body that has an OpenSim
 * body of the same name to the displacement of that body from the
 * reference pose: R = R_q R_ref^T, p = p_q - R p_ref. Model bodies without
 * an OpenSim counterpart keep the identity. Returns the number of model
 * bodies matched. Call fa_kinematics_anchor afterwards to move anchored
 * nodes. */
int fa_anatomy_set_body_poses(const fa_model *m, const fa_osim *osim, const fa_osim_pose *ref,
                              const fa_osim_pose *pose, fa_data *d);

/* Warm start for a posture: move every free node that glides on an
 * anchored substrate node (interface sheet -> substrate) rigidly with the
 * substrate's body, x_s = x_b + R_b (x0_s - x0_b). Call after
 * fa_kinematics_anchor and before fa_solve_static: the network starts near
 * its equilibrium instead of where the reference pose left it, which cuts
 * the Newton iterations of large posture changes (lying, side-lying).
 * Returns the number of nodes moved. */
int fa_anatomy_carry_free_nodes(const fa_model *m, fa_data *d);

/* Print the summary of a body for `fascia body`: elements by kind, every
 * line with its element count, length of its 1-D elements (cords and
 * muscles, reference lengths, m), triangle count and grade, every structure
 * (regions named "structure.<id>") with its element count and every
 * reporting region. */
void fa_body_print(const fa_model *m, FILE *f);

/* Reference length (m) of the cords and muscles of line l (sum of
 * |node_pos0 b - node_pos0 a|); *ntri receives its membrane count. */
double fa_line_length(const fa_model *m, int l, int *ntri);

#ifdef __cplusplus
}
#endif
#endif
