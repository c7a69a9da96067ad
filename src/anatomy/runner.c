/* SPDX-License-Identifier: MIT */
/* The runner generator: Rajagopal2016 skeleton + data/anatomy tables ->
 * data/bodies/runner.yaml.
 *
 * Design.
 *   Reference pose: the "standing" posture. Every position written is the
 *   world position at that pose, and every body frame of the body file is
 *   the world frame at that pose (see include/fascia/anatomy.h).
 *   Stations (the bony ends of each track) are nodes anchored to their bone,
 *   named after their landmark and shared by every track that uses them.
 *   Tracks: a cord track is a collagen band (cord `path`) from station to
 *   station through its via landmarks, cut into segments of at most
 *   max_segment; a muscle track follows the OpenSim muscle's path points
 *   between the two stations: its tendon (insertion end, from the point where
 *   straight fibres from the origin reach lopt, so passive fibres are slack
 *   standing) is a cord of tendon
 *   sized so that it reaches the OpenSim tendon strain at fmax, its fibres
 *   a Hill muscle from the other station to the musculotendinous junction
 *   (MTJ). A track used by several lines is built once.
 *   Every free node (cord interior, MTJ) glides over a substrate node
 *   anchored to the bone beneath through the loose connective layer
 *   (interface: shear G A / h, normal E_inst A / glide_normal_h, A = band width x
 *   tributary length); the bone is the one whose axis is nearest. Units crossing the knee
 *   follow OpenSim's wrapped path (wrap tangent points) and their nodes at the knee ride the
 *   femur or tibia along which the unit runs there (knee_glides).
 *   Sheets (fascia lata, crural fascia tubes; TLF, gluteal aponeurosis,
 *   plantar aponeurosis, rectus sheath patches) are mesh generators with
 *   their first / last row attached to bone and a substrate copy glide_h (glide.csv, 1 mm)
 *   beneath, joined by an interface.
 *   Inserting muscles (TFL and upper gluteus maximus into the ITB,
 *   gastrocnemius lateralis and soleus into the Achilles tendon) run from
 *   their OpenSim origin through their MTJ into the nearest free node of the
 *   target track.
 * Output is deterministic (fixed iteration order, fixed number format). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anatomy_internal.h"

#define NAMELEN 96
#define MAXPTS 64
#define MAXEL 8
#define CLOSE_M 0.005 /* m: a path end this close to a station is the station */
#define JOIN_M 0.04   /* m: an inserting muscle joins its target track where its path comes this close */
#define KNEE_R 0.05   /* m: nodes of a knee-crossing unit this close to the knee centre ride the femur or tibia (knee_glides) */

typedef struct gnode {
    char name[NAMELEN];
    int body;        /* osim body index, -1 = free */
    double x[3];     /* world at reference */
    int enthesis;    /* a station where a muscle's tendon inserts into its bone (stays anchored) */
} gnode;

typedef struct gcord {
    char name[NAMELEN];
    int *node, nn;
    int mat;         /* material row */
    double area;     /* m^2 */
} gcord;

typedef struct gmuscle {
    char name[NAMELEN];
    int n0, n1;
    double fmax, lopt;
    char osim[NAMELEN];
} gmuscle;

typedef struct gglide {
    int sheet, sub; /* node indices */
    double n[3], area;
    double normal_h; /* m, layer thickness of the normal stiffness E_inst A / normal_h */
    int line;        /* 1: normal from the bone's axis line (not clamped to its ends) */
} gglide;

typedef struct gattach {
    int node, sub; /* free station node, anchored copy on its bone */
    double n[3];
} gattach;

typedef struct gmesh {
    char name[NAMELEN];
    int st;          /* structure row */
    int tube;
    double origin[3], axis[3], u[3], v[3];
    double radius, height, width, depth_sign;
    int nu, nv;
    int body_first, body_last; /* osim bodies of the first / last row (ring) */
    int sub_first, sub_second;  /* substrate bodies of the first / second half of the rows */
    double area_node;           /* m^2 tributary area of a node */
} gmesh;

typedef struct gtrack {
    char name[NAMELEN];
    char from[NAMELEN], to[NAMELEN];
    char el[MAXEL][NAMELEN]; /* element group names in order from -> to */
    int nel;
    int *node, nn;           /* chain nodes (for inserts) */
    double sec_per_N;        /* m^2 of tendon section per N of fmax when the structure gives the tendon's
                                measured section (inserting muscles' subtendons share it), else 0 */
} gtrack;

typedef struct gset {
    char name[NAMELEN];
    char grade;
    char (*el)[NAMELEN];
    int nel, cap;
} gset;

/* An epimysial bag (bags.csv): a tube of membrane around a muscle belly. */
typedef struct gbag {
    char name[NAMELEN];  /* mesh name: epimysium_<unit> */
    int st, mus;         /* structure row, muscle index (g->mus) */
    char side;
    double origin[3], axis[3], radius, height, area_node, join;
    int nu, nv;
    int body0, sub0, sub1; /* bone of ring 0, substrate bones of the first / second half of the rings */
    int fileline;
    char regions[256];
} gbag;

/* Loose-layer pairs between a bag and a neighbouring mesh (another bag or a sheet / sheath). */
typedef struct gjoin {
    char name[2 * NAMELEN + 8];
    int bag;             /* g->bag index */
    char target[NAMELEN];/* mesh name */
    int *pair, np;       /* [4*np]: bag i, j, target i, j */
    double gap;          /* m, mean distance of the paired nodes: thickness of the loose layer */
} gjoin;

typedef struct gen {
    const fa_anatomy *a;
    const fa_osim *o;
    const char *bags; /* epimysial bag table (fa_runner_def.bags), NULL: no bags */
    fa_osim_pose ref;
    fa_error *err;
    gnode *node;
    int nnode, capnode;
    gcord *cord;
    int ncord, capcord;
    gmuscle *mus;
    int nmus, capmus;
    gglide *gl;
    int ngl, capgl;
    gattach *att;
    int natt, capatt;
    gmesh *mesh;
    int nmesh, capmesh;
    gtrack *trk;
    int ntrk, captrk;
    gset *line;
    int nline, capline;
    gset *reg;
    int nreg, capreg;
    int *mat_used;     /* [a->nmat] */
    double pa_E;       /* Pa, derived plantar aponeurosis modulus (NaN until computed) */
    int belly;         /* 1 while a belly track (bellies.csv) is built */
    double pa_L;       /* m, its patch length */
    char ctx_file[600]; /* the table row being built, for messages */
    int ctx_line;
    double joint_c[4][3]; /* centres of the knee joints the unit being built crosses (world, reference) */
    int joint_b[4][2];    /* their femur (parent) and tibia (child) bodies */
    int njoint_c;
    gbag *bag;
    int nbag, capbag;
    gjoin *join;
    int njoin, capjoin;
} gen;

/* Point messages at the row being built. */
static void ctx(gen *g, const char *file, int line)
{
    snprintf(g->ctx_file, sizeof g->ctx_file, "%s/%s", g->a->dir, file);
    g->ctx_line = line;
}

#define GROW(arr, n, cap)                                                              \
    (((n) < (cap)) ? 1                                                                \
                   : ((cap) = (cap) ? 2 * (cap) : 64,                                \
                      ((arr) = realloc((arr), (size_t)(cap) * sizeof *(arr))) != NULL))

static fa_status nomem(gen *g) { return fa_error_set(g->err, FA_ERR_NOMEM, NULL, 0, 0, "out of memory"); }

/* ---- small vector helpers ------------------------------------------------------ */

static double dot(const double *a, const double *b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
static double dist(const double *a, const double *b)
{
    double d[3] = {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    return sqrt(dot(d, d));
}
static void sub3(double *r, const double *a, const double *b)
{
    for (int k = 0; k < 3; k++) r[k] = a[k] - b[k];
}
static double norm3(double *v)
{
    double l = sqrt(dot(v, v));
    if (l > 0)
        for (int k = 0; k < 3; k++) v[k] /= l;
    return l;
}
static void cross(double *r, const double *a, const double *b)
{
    r[0] = a[1] * b[2] - a[2] * b[1];
    r[1] = a[2] * b[0] - a[0] * b[2];
    r[2] = a[0] * b[1] - a[1] * b[0];
}

/* ---- lookups -------------------------------------------------------------------- */

static fa_status landmark(gen *g, const char *name, int *body, double x[3])
{
    int i = fa_anatomy_landmark(g->a, name);
    if (i < 0)
        return fa_error_set(g->err, FA_ERR_UNKNOWN, g->ctx_file, g->ctx_line, 1,
                            "unknown landmark '%s' (expected a row of landmarks.csv)", name);
    int b = fa_osim_find_body(g->o, g->a->lm_body[i]);
    if (b < 0)
        return fa_error_set(g->err, FA_ERR_UNKNOWN, g->ctx_file, g->ctx_line, 1,
                            "landmark '%s': body '%s' is not a body of %s", name, g->a->lm_body[i], g->o->name);
    fa_osim_point_world(&g->ref, b, g->a->lm_pos + 3 * i, x);
    *body = b;
    return FA_OK;
}

static int find_mat(const gen *g, const char *id)
{
    for (int i = 0; i < g->a->nmat; i++)
        if (!strcmp(g->a->mat_id[i], id)) return i;
    return -1;
}

static fa_status structure(gen *g, const char *id, int *out)
{
    *out = fa_anatomy_structure(g->a, id);
    if (*out < 0)
        return fa_error_set(g->err, FA_ERR_UNKNOWN, g->ctx_file, g->ctx_line, 1, "unknown structure '%s' (expected a row of structures.csv)", id);
    int m = find_mat(g, g->a->st_mat[*out]);
    if (m < 0)
        return fa_error_set(g->err, FA_ERR_UNKNOWN, g->ctx_file, g->ctx_line, 1,
                            "structure '%s': unknown material '%s' (expected a row of materials.csv)", id,
                            g->a->st_mat[*out]);
    g->mat_used[m] = 1;
    return FA_OK;
}

/* World mass centre of osim body b at the reference. */
static void body_com(const gen *g, int b, double out[3]) { fa_osim_point_world(&g->ref, b, g->o->body_com + 3 * b, out); }

/* Distance from x to the bone axis of osim body b at the reference: the
 * segment from the body origin to the mass-weighted mean origin of its child
 * bodies (a long bone's shaft), or to its mass centre for a body without
 * children. */
static double bone_closest(const gen *g, int b, const double x[3], double q[3]);
static double bone_distance(const gen *g, int b, const double x[3])
{
    double q[3];
    return bone_closest(g, b, x, q);
}

/* Nearest point q of the bone axis of body b to x; returns |x - q|. */
static double bone_closest_ex(const gen *g, int b, const double x[3], double q[3], int clamp);
static double bone_closest(const gen *g, int b, const double x[3], double q[3]) { return bone_closest_ex(g, b, x, q, 1); }
static double bone_closest_ex(const gen *g, int b, const double x[3], double q[3], int clamp)
{
    const fa_osim *o = g->o;
    double p0[3], p1[3] = {0, 0, 0};
    memcpy(p0, g->ref.body_p + 3 * b, sizeof p0);
    double wsum = 0;
    for (int c = 1; c < o->nbody; c++) { /* mass-weighted: the femur ends at the tibia, not the patella */
        int j = o->body_joint[c];
        if (j < 0 || o->joint_parent[j] != b) continue;
        double w = o->body_mass[c] > 0 ? o->body_mass[c] : 1e-3;
        for (int k = 0; k < 3; k++) p1[k] += w * g->ref.body_p[3 * c + k];
        wsum += w;
    }
    if (wsum > 0) {
        for (int k = 0; k < 3; k++) p1[k] /= wsum;
    } else {
        body_com(g, b, p1);
    }
    double d[3], r[3];
    sub3(d, p1, p0);
    sub3(r, x, p0);
    double dd = dot(d, d), t = dd > 0 ? dot(r, d) / dd : 0.0;
    if (clamp && t < 0) t = 0;
    if (clamp && t > 1) t = 1;
    for (int k = 0; k < 3; k++) q[k] = p0[k] + t * d[k];
    return dist(x, q);
}

/* The bone a free node at x glides on: of the bodies B[0..n-1] the track
 * touches, the one whose axis is nearest (the thigh part of the ITB glides
 * on the femur, not on the pelvis or tibia it is attached to). */
static int parent_body(const gen *g, int b)
{
    int j = g->o->body_joint[b];
    return j >= 0 ? g->o->joint_parent[j] : -1;
}

static int substrate(const gen *g, const double x[3], const int *B, int n)
{
    /* candidates: the bodies of the track and every body on the skeleton's
     * tree path between consecutive ones (semimembranosus has path points on
     * the pelvis and tibia only, but its belly lies on the femur) */
    int cand[64], nc = 0;
    for (int i = 0; i < n; i++) {
        int a = B[i], b = B[i + 1 < n ? i + 1 : i];
        int up[32], nu = 0;
        for (int c = a; c > 0 && nu < 32; c = parent_body(g, c)) up[nu++] = c;
        int lca = -1;
        for (int c = b; c > 0 && lca < 0; c = parent_body(g, c)) {
            for (int k = 0; k < nu; k++)
                if (up[k] == c) lca = c;
            if (lca < 0 && nc < 64) cand[nc++] = c;
        }
        for (int k = 0; k < nu && nc < 64; k++) {
            cand[nc++] = up[k];
            if (up[k] == lca) break;
        }
    }
    int best = B[0];
    double bd = bone_distance(g, best, x);
    for (int i = 0; i < nc; i++) {
        if (cand[i] <= 0 || cand[i] == best) continue;
        double d = bone_distance(g, cand[i], x);
        if (d < bd) {
            bd = d;
            best = cand[i];
        }
    }
    return best;
}

/* ---- nodes, cords, glides --------------------------------------------------------- */

static fa_status add_node(gen *g, const char *name, int body, const double x[3], int *out)
{
    if (!GROW(g->node, g->nnode, g->capnode)) return nomem(g);
    gnode *n = &g->node[g->nnode];
    snprintf(n->name, sizeof n->name, "%s", name);
    n->body = body;
    memcpy(n->x, x, sizeof n->x);
    n->enthesis = 0;
    *out = g->nnode++;
    return FA_OK;
}

static int find_node(const gen *g, const char *name)
{
    for (int i = 0; i < g->nnode; i++)
        if (!strcmp(g->node[i].name, name)) return i;
    return -1;
}

/* The anchored node of a station landmark (created on first use). */
static fa_status station(gen *g, const char *lm, int *out)
{
    *out = find_node(g, lm);
    if (*out >= 0) return FA_OK;
    int b;
    double x[3];
    fa_status st = landmark(g, lm, &b, x);
    if (st) return st;
    return add_node(g, lm, b, x, out);
}

/* A free node at x gliding over a substrate node on body `sub`. */
static fa_status glide_node(gen *g, const char *name, const double x[3], int sub, int *out)
{
    char sn[NAMELEN + 8];
    int s;
    fa_status st = add_node(g, name, -1, x, out);
    if (!st) {
        snprintf(sn, sizeof sn, "%s.bone", name);
        st = add_node(g, sn, sub, x, &s);
    }
    if (st) return st;
    if (!GROW(g->gl, g->ngl, g->capgl)) return nomem(g);
    gglide *q = &g->gl[g->ngl++];
    memset(q, 0, sizeof *q);
    q->sheet = *out;
    q->sub = s;
    return FA_OK;
}

static gglide *glide_of(gen *g, int node)
{
    for (int i = 0; i < g->ngl; i++)
        if (g->gl[i].sheet == node) return &g->gl[i];
    return NULL;
}

/* Normals and tributary areas of the glides of a chain of nodes (width w). */
static void chain_glides(gen *g, const int *nodes, int n, double w, double normal_h)
{
    for (int k = 0; k < n; k++) {
        gglide *q = glide_of(g, nodes[k]);
        if (!q) continue;
        const double *x = g->node[nodes[k]].x;
        const double *xp = g->node[nodes[k > 0 ? k - 1 : k]].x, *xn = g->node[nodes[k + 1 < n ? k + 1 : k]].x;
        double t[3], r[3], c[3];
        sub3(t, xn, xp);
        norm3(t);
        bone_closest_ex(g, g->node[q->sub].body, x, c, !q->line); /* outward from the bone's axis */
        sub3(r, x, c);
        double rt = q->line ? 0.0 : dot(r, t); /* line: radial, so the node slides freely along the shaft */
        for (int i = 0; i < 3; i++) q->n[i] = r[i] - rt * t[i];
        if (norm3(q->n) < 1e-9) {
            double e[3] = {fabs(t[0]) < 0.9 ? 1.0 : 0.0, fabs(t[0]) < 0.9 ? 0.0 : 1.0, 0.0};
            cross(q->n, t, e);
            norm3(q->n);
        }
        double lp = k > 0 ? dist(x, xp) : 0.0, ln = k + 1 < n ? dist(x, xn) : 0.0;
        q->area += w * 0.5 * (lp + ln);
        q->normal_h = normal_h;
    }
}

/* Nodes along polyline P (n vertices with bodies B): vertex 0 is node `first`,
 * vertex n-1 node `last`; interior vertices and subdivisions become gliding
 * nodes "<prefix>.<k>". Writes the chain into *out (malloc'd). */
static fa_status polyline(gen *g, const char *prefix, double (*P)[3], const int *B, int n, int first, int last,
                          int **out, int *nout)
{
    int cap = 16, m = 0, k = 0;
    int *c = (int *)malloc((size_t)cap * sizeof *c);
    if (!c) return nomem(g);
    c[m++] = first;
    for (int i = 0; i + 1 < n; i++) {
        double L = dist(P[i], P[i + 1]);
        int ns = (int)ceil(L / g->a->max_segment - 1e-9);
        if (ns < 1) ns = 1;
        for (int s = 1; s <= ns; s++) {
            int id;
            if (i + 1 == n - 1 && s == ns) {
                id = last;
            } else {
                double t = (double)s / ns, x[3];
                for (int q = 0; q < 3; q++) x[q] = P[i][q] + t * (P[i + 1][q] - P[i][q]);
                char nm[NAMELEN + 16];
                snprintf(nm, sizeof nm, "%s.%d", prefix, k++);
                fa_status st = glide_node(g, nm, x, substrate(g, x, B, n), &id);
                if (st) {
                    free(c);
                    return st;
                }
            }
            if (m == cap) {
                int *nc = (int *)realloc(c, (size_t)(cap *= 2) * sizeof *c);
                if (!nc) {
                    free(c);
                    return nomem(g);
                }
                c = nc;
            }
            c[m++] = id;
        }
    }
    *out = c;
    *nout = m;
    return FA_OK;
}

static fa_status add_cord(gen *g, const char *name, int *nodes, int nn, int mat, double area)
{
    if (!GROW(g->cord, g->ncord, g->capcord)) return nomem(g);
    gcord *c = &g->cord[g->ncord++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->node = (int *)malloc((size_t)nn * sizeof(int));
    if (!c->node) return nomem(g);
    memcpy(c->node, nodes, (size_t)nn * sizeof(int));
    c->nn = nn;
    c->mat = mat;
    c->area = area;
    g->mat_used[mat] = 1;
    return FA_OK;
}

static double chain_length(const gen *g, const int *nodes, int n)
{
    double L = 0;
    for (int i = 0; i + 1 < n; i++) L += dist(g->node[nodes[i]].x, g->node[nodes[i + 1]].x);
    return L;
}

/* ---- groups (lines and regions) ---------------------------------------------------- */

static gset *set_get(gen *g, gset **arr, int *n, int *cap, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp((*arr)[i].name, name)) return &(*arr)[i];
    if (!GROW(*arr, *n, *cap)) return NULL;
    gset *s = &(*arr)[(*n)++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    return s;
}

static fa_status set_add(gen *g, gset *s, const char *el, int unique)
{
    if (!s) return nomem(g);
    if (unique)
        for (int i = 0; i < s->nel; i++)
            if (!strcmp(s->el[i], el)) return FA_OK;
    if (!GROW(s->el, s->nel, s->cap)) return nomem(g);
    snprintf(s->el[s->nel++], NAMELEN, "%s", el);
    return FA_OK;
}

/* Add elements to region R, R_<side> (side 0: midline, only R). */
static fa_status regions_add(gen *g, const char *regions, char side, const char (*el)[NAMELEN], int nel)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", regions);
    for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
        char nm[NAMELEN];
        for (int pass = 0; pass < (side ? 2 : 1); pass++) {
            if (pass == 0) snprintf(nm, sizeof nm, "%s", tok);
            else snprintf(nm, sizeof nm, "%s_%c", tok, side);
            gset *s = set_get(g, &g->reg, &g->nreg, &g->capreg, nm);
            for (int i = 0; i < nel; i++) {
                fa_status st = set_add(g, s, el[i], 1);
                if (st) return st;
            }
        }
    }
    return FA_OK;
}

/* Structure region "structure.<id>[_<side>]". */
static fa_status structure_add(gen *g, int st_row, char side, const char (*el)[NAMELEN], int nel)
{
    char nm[NAMELEN];
    if (side) snprintf(nm, sizeof nm, "structure.%s_%c", g->a->st_id[st_row], side);
    else snprintf(nm, sizeof nm, "structure.%s", g->a->st_id[st_row]);
    gset *s = set_get(g, &g->reg, &g->nreg, &g->capreg, nm);
    for (int i = 0; i < nel; i++) {
        fa_status st = set_add(g, s, el[i], 1);
        if (st) return st;
    }
    return FA_OK;
}

/* Side of a resolved name: 'r'/'l' when it ends in _r/_l, else 0. */
static char side_of(const char *name)
{
    size_t n = strlen(name);
    if (n > 2 && name[n - 2] == '_' && (name[n - 1] == 'r' || name[n - 1] == 'l')) return name[n - 1];
    return 0;
}

/* ---- OpenSim muscle paths --------------------------------------------------------- */

typedef struct mpath {
    int m;                 /* osim muscle */
    int n;                 /* active points */
    double P[MAXPTS][3];   /* world at reference, origin first */
    int B[MAXPTS];
} mpath;

/* Does body b lie in the subtree of body root (b itself included)? */
static int in_subtree(const fa_osim *o, int b, int root)
{
    for (; b > 0; b = o->body_joint[b] >= 0 ? o->joint_parent[o->body_joint[b]] : -1)
        if (b == root) return 1;
    return 0;
}

/* The knee joints muscle m crosses (a knee: the joint of a body named tibia_*): their centres
 * (the tibia's origin at the reference) into g->joint_c. */
static void knee_crossings(gen *g, int m)
{
    const fa_osim *o = g->o;
    g->njoint_c = 0;
    for (int b = 1; b < o->nbody && g->njoint_c < 4; b++) {
        if (strncmp(o->body_name[b], "tibia", 5)) continue;
        int below = 0, above = 0;
        for (int k = o->muscle_point_adr[m]; k < o->muscle_point_adr[m] + o->muscle_point_num[m]; k++) {
            if (in_subtree(o, o->point_body[k], b)) below = 1;
            else above = 1;
        }
        if (!(below && above)) continue;
        memcpy(g->joint_c[g->njoint_c], g->ref.body_p + 3 * b, 3 * sizeof(double));
        g->joint_b[g->njoint_c][0] = parent_body(g, b);
        g->joint_b[g->njoint_c][1] = b;
        g->njoint_c++;
    }
}

static fa_status muscle_path(gen *g, const char *name, mpath *p)
{
    const fa_osim *o = g->o;
    p->m = fa_osim_find_muscle(o, name);
    if (p->m < 0)
        return fa_error_set(g->err, FA_ERR_UNKNOWN, g->ctx_file, g->ctx_line, 1, "unknown muscle '%s' (expected a muscle of %s)",
                            name, o->name);
    p->n = 0;
    for (int k = o->muscle_point_adr[p->m]; k < o->muscle_point_adr[p->m] + o->muscle_point_num[p->m]; k++) {
        double loc[3];
        if (!fa_osim_point_local(o, &g->ref, k, loc)) continue;
        if (p->n >= MAXPTS) break;
        fa_osim_point_world(&g->ref, o->point_body[k], loc, p->P[p->n]);
        p->B[p->n++] = o->point_body[k];
    }
    if (p->n < 2)
        return fa_error_set(g->err, FA_ERR_GEOMETRY, g->ctx_file, g->ctx_line, 1, "muscle '%s' has fewer than 2 active path points", name);
    knee_crossings(g, p->m);
    if (g->njoint_c > 0) {
        /* A unit crossing the knee follows OpenSim's wrapped path at the reference: the tangent
         * points of its wrap cylinders join the path (the gastrocnemius bulges 6 cm behind the
         * tibia over GasMed_at_shank; a straight line from condyle to heel runs through the
         * bone and has almost no knee moment arm), except those within KNEE_R of the knee
         * centre. A tangent point is given the body of the active point after it (the track's
         * substrate candidates). */
        double W[MAXPTS][3];
        int nw = fa_osim_muscle_path(o, &g->ref, p->m, &W[0][0], MAXPTS), k = 0;
        if (nw > p->n && nw <= MAXPTS) {
            double P[MAXPTS][3];
            int B[MAXPTS], m = 0;
            for (int i = 0; i < nw; i++) {
                int active = k < p->n && dist(W[i], p->P[k]) < 1e-9;
                int body = p->B[k < p->n ? k : p->n - 1]; /* a tangent point: the next active point's body */
                if (active) k++;
                int near = 0; /* a wrap over the knee itself: its nodes ride femur or tibia (knee_glides) */
                for (int j = 0; j < g->njoint_c; j++) near |= dist(W[i], g->joint_c[j]) < KNEE_R;
                if (!active && near) continue;
                memcpy(P[m], W[i], sizeof P[m]);
                B[m++] = body;
            }
            if (k == p->n) {
                memcpy(p->P, P, sizeof(double) * 3 * (size_t)m);
                memcpy(p->B, B, sizeof(int) * (size_t)m);
                p->n = m;
            }
        }
    }
    return FA_OK;
}

/* Tendon share of the path: lts / (lts + lopt cos(pennation)). */
static double tendon_share(const fa_osim *o, int m)
{
    double lts = o->muscle_lts[m], lopt = o->muscle_lopt[m], pen = o->muscle_penn[m];
    if (!isfinite(pen)) pen = 0;
    if (!(lts > 0) || !(lopt > 0)) return 0.5;
    return lts / (lts + lopt * cos(pen));
}

/* Point at arc length s along polyline P (n vertices); *seg = segment index. */
static void arc_point(double (*P)[3], int n, double s, double x[3], int *seg)
{
    for (int i = 0; i + 1 < n; i++) {
        double L = dist(P[i], P[i + 1]);
        if (s <= L || i + 2 == n) {
            double t = L > 0 ? s / L : 0;
            if (t > 1) t = 1;
            if (t < 0) t = 0;
            for (int q = 0; q < 3; q++) x[q] = P[i][q] + t * (P[i + 1][q] - P[i][q]);
            *seg = i;
            return;
        }
        s -= L;
    }
    memcpy(x, P[n - 1], 3 * sizeof(double));
    *seg = n - 2;
}

static double poly_length(double (*P)[3], int n)
{
    double L = 0;
    for (int i = 0; i + 1 < n; i++) L += dist(P[i], P[i + 1]);
    return L;
}

/* Tendon cross-section (m^2) that reaches the tendon strain at fmax: the
 * collagen law is sigma = E (eps - toe/2) above the toe region. */
static double tendon_area(const gen *g, int mat, double fmax)
{
    double E = g->a->mat_E[mat], toe = g->a->mat_toe[mat];
    return fmax / (E * (g->a->tendon_strain_fmax - 0.5 * toe));
}

/* Build a muscle-tendon unit along polyline Q (origin end first, n points,
 * bodies B): fibres from node `orig` to a new MTJ node, tendon cord from the
 * MTJ through the remaining vertices to node `ins`. Writes the element names
 * (muscle, tendon) and the tendon chain. */
static fa_status mtu_build(gen *g, const char *name, const char *label, double lopt, double lfib, double f,
                           double fmax, double fmax_total, double (*Q)[3], const int *B, int n, int orig, int ins,
                           double width, char mus_name[NAMELEN], char ten_name[NAMELEN], int **chain, int *nchain);

/* Fibre length of OpenSim muscle m at the reference pose with a rigid tendon at its slack length
 * (lts): l_f = sqrt((L - lts)^2 + (lopt sin pennation)^2), the fibres' own length when the tendon
 * just starts to carry force. Muscles whose tendon is slack standing (rectus femoris: L - lts =
 * 0.34 lopt) reach passive tension only after the unit lengthens by lopt - l_f; placing their
 * MTJ at lopt would put rectus femoris 0.5 lopt past OpenSim's fibres in a running stride.
 * Capped at lopt (standing stays stress-free) and floored at 0.4 lopt (keeps the straight fibre
 * element well away from zero length when the unit shortens). */
static double standing_fibre(const gen *g, int m)
{
    const fa_osim *o = g->o;
    double lopt = o->muscle_lopt[m], lts = o->muscle_lts[m], pen = o->muscle_penn[m];
    if (!(lopt > 0)) return lopt;
    if (!isfinite(pen)) pen = 0;
    double L = fa_osim_muscle_length(o, &g->ref, m);
    if (!isfinite(L) || !(lts > 0)) return lopt;
    double lp = L - lts, h = lopt * sin(pen);
    double lf = lp > 0 ? sqrt(lp * lp + h * h) : h;
    if (lf > lopt) lf = lopt;
    if (lf < 0.4 * lopt) lf = 0.4 * lopt;
    return lf;
}

/* Nodes of a unit crossing the knee that lie within KNEE_R of the knee centre glide on the bone
 * along which the unit runs there in every posture: the femur when the path segment through the
 * knee runs mostly above it (hamstrings: ischium to just below the knee), the tibia when it
 * runs mostly below it, else the nearest bone as elsewhere. The nearest bone axis put the last tendon nodes
 * of semimembranosus on the tibia: in flexion they turned with it and the stiff normal, now
 * along the femur, nailed the tendon into the joint (+3 cm in slumped sitting where OpenSim has
 * +0.2 cm). A node on the patella stays there. */
static double seg_distance(const double *a, const double *b, const double *x)
{
    double d[3], r[3], q[3];
    sub3(d, b, a);
    sub3(r, x, a);
    double dd = dot(d, d), t = dd > 0 ? dot(r, d) / dd : 0.0;
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    for (int i = 0; i < 3; i++) q[i] = a[i] + t * d[i];
    return dist(x, q);
}

static void knee_glides(gen *g, const int *nodes, int n, double (*Q)[3], const int *QB, int nq)
{
    for (int j = 0; j < g->njoint_c; j++) {
        const double *c = g->joint_c[j];
        for (int k = 0; k < n; k++) {
            gglide *q = glide_of(g, nodes[k]);
            const double *x = g->node[nodes[k]].x;
            if (!q || dist(x, c) >= KNEE_R) continue;
            int *b = &g->node[q->sub].body;
            if (*b != g->joint_b[j][0] && *b != g->joint_b[j][1]) continue; /* e.g. on the patella */
            /* the path segment the node lies on */
            int seg = 0;
            double bd = INFINITY;
            for (int i = 0; i + 1 < nq; i++) {
                double d = seg_distance(Q[i], Q[i + 1], x);
                if (d < bd) {
                    bd = d;
                    seg = i;
                }
            }
            /* a segment between two points of one bone (sartorius round the medial tibia) keeps
             * the nearest bone; one that crosses the knee: the femur when it runs mostly above the
             * knee centre (more than twice as far as below it), the tibia when mostly below */
            if (QB[seg] == QB[seg + 1]) continue;
            double d[3], r[3];
            sub3(d, Q[seg + 1], Q[seg]);
            sub3(r, c, Q[seg]);
            double L = norm3(d), t = dot(r, d); /* distance along the segment to the knee centre */
            if (t < 0) t = 0;
            if (t > L) t = L;
            int first_up = in_subtree(g->o, QB[seg + 1], g->joint_b[j][1]); /* segment runs down the leg */
            double above = first_up ? t : L - t, below = L - above;
            if (above > 2.0 * below) *b = g->joint_b[j][0];
            else if (below > 2.0 * above) *b = g->joint_b[j][1];
            else continue; /* crossing the knee midway (sartorius): the nearest bone */
            q->line = 1; /* past the bone's end: normal across the shaft, not along it */
        }
    }
}

static fa_status mtu(gen *g, const char *name, const mpath *mp, double fmax_total, double (*Q)[3], const int *B, int n,
                     int orig, int ins, double width, char mus_name[NAMELEN], char ten_name[NAMELEN], int **chain,
                     int *nchain)
{
    const fa_osim *o = g->o;
    return mtu_build(g, name, o->muscle_name[mp->m], o->muscle_lopt[mp->m], standing_fibre(g, mp->m),
                     tendon_share(o, mp->m), o->muscle_fmax[mp->m], fmax_total, Q, B, n, orig, ins, width, mus_name,
                     ten_name, chain, nchain);
}

/* The unit itself: fibres (optimal length lopt, max force fmax, OpenSim
 * name or belly id `label`) from node `orig` to the MTJ, lfib long standing;
 * f = tendon share of the path used when the path is too short for straight
 * fibres of lfib. */
static fa_status mtu_build(gen *g, const char *name, const char *label, double lopt, double lfib, double f,
                           double fmax, double fmax_total, double (*Q)[3], const int *B, int n, int orig, int ins,
                           double width, char mus_name[NAMELEN], char ten_name[NAMELEN], int **chain, int *nchain)
{
    int tmat = find_mat(g, "tendon");
    if (tmat < 0) return fa_error_set(g->err, FA_ERR_UNKNOWN, g->ctx_file, g->ctx_line, 1, "missing material 'tendon'");
    /* MTJ: where the straight fibres from the origin reach their standing
     * length lfib (<= lopt: OpenSim's fibre length at the slack tendon, or lopt
     * for the belly tracks), so that the passive fibres carry no force standing
     * (Thelen's passive curve starts at lopt); if the path is too short for
     * that, at the tendon share lts / (lts + lopt cos(pennation)) of the path. */
    double lopt_in = lopt;
    lopt = isfinite(lfib) && lfib > 0 ? lfib : lopt;
    double L = poly_length(Q, n), x[3];
    int seg;
    double s_mtj = (1.0 - f) * L;
    arc_point(Q, n, L, x, &seg);
    double s_hi = L;
    if (isfinite(lopt) && lopt > 0 && dist(Q[0], x) <= lopt * 1.05) { /* short path: tendon share, but fibres never */
        arc_point(Q, n, s_mtj, x, &seg);                                 /* longer than lopt (stress-free standing) */
        s_hi = s_mtj;
    }
    if (isfinite(lopt) && lopt > 0 && dist(Q[0], x) > lopt * (s_hi < L ? 1.0 : 1.05)) {
        double lo = 0, hi = s_hi;
        for (int it = 0; it < 60; it++) { /* distance from the origin grows along the path */
            double mid = 0.5 * (lo + hi);
            arc_point(Q, n, mid, x, &seg);
            if (dist(Q[0], x) < lopt) lo = mid;
            else hi = mid;
        }
        s_mtj = 0.5 * (lo + hi);
    }
    arc_point(Q, n, s_mtj, x, &seg);
    /* MTJ node and the tendon polyline MTJ -> Q[seg+1..n-1] */
    char nm[NAMELEN + 8];
    snprintf(nm, sizeof nm, "%s.mtj", name);
    int mtj;
    fa_status st = glide_node(g, nm, x, substrate(g, x, B, n), &mtj);
    if (st) return st;
    double T[MAXPTS + 1][3];
    int TB[MAXPTS + 1], m = 0;
    memcpy(T[m], x, sizeof T[m]);
    TB[m++] = B[seg];
    for (int i = seg + 1; i < n; i++) {
        if (dist(Q[i], T[m - 1]) < 1e-4) continue;
        memcpy(T[m], Q[i], sizeof T[m]);
        TB[m++] = B[i];
    }
    if (m < 2) {
        memcpy(T[m], Q[n - 1], sizeof T[m]);
        TB[m++] = B[n - 1];
    }
    snprintf(ten_name, NAMELEN, "%s_tendon", name);
    snprintf(nm, sizeof nm, "%s_tendon", name);
    st = polyline(g, nm, T, TB, m, mtj, ins, chain, nchain);
    if (st) return st;
    knee_glides(g, *chain, *nchain, Q, B, n);
    chain_glides(g, *chain, *nchain, width, g->belly ? g->a->cord_normal_h : g->a->glide_normal_h);
    g->njoint_c = 0; /* set by muscle_path for the next unit */
    st = add_cord(g, ten_name, *chain, *nchain, tmat, tendon_area(g, tmat, fmax_total));
    if (st) return st;
    if (!GROW(g->mus, g->nmus, g->capmus)) return nomem(g);
    gmuscle *mu = &g->mus[g->nmus++];
    snprintf(mu->name, sizeof mu->name, "%s", name);
    snprintf(mu->osim, sizeof mu->osim, "%s", label);
    mu->n0 = orig;
    mu->n1 = mtj;
    mu->fmax = fmax;
    mu->lopt = lopt_in;
    snprintf(mus_name, NAMELEN, "%s", name);
    return FA_OK;
}

/* ---- tracks ----------------------------------------------------------------------- */

static gtrack *find_track(gen *g, const char *name)
{
    for (int i = 0; i < g->ntrk; i++)
        if (!strcmp(g->trk[i].name, name)) return &g->trk[i];
    return NULL;
}

static fa_status new_track(gen *g, const char *name, const char *from, const char *to, gtrack **out)
{
    if (!GROW(g->trk, g->ntrk, g->captrk)) return nomem(g);
    gtrack *t = &g->trk[g->ntrk++];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    snprintf(t->from, sizeof t->from, "%s", from);
    snprintf(t->to, sizeof t->to, "%s", to);
    *out = t;
    return FA_OK;
}

/* Sum of fmax of the muscles inserting into track `name` (side-resolved). */
static double insert_fmax(gen *g, const char *name, char side)
{
    double s = 0;
    char b1[NAMELEN], b2[NAMELEN];
    for (int r = 0; r < g->a->ntrack; r++) {
        if (g->a->tr_kind[r] != FA_TRACK_INSERT) continue;
        if (strcmp(fa_anatomy_side(g->a->tr_to[r], side, b1, sizeof b1), name)) continue;
        int m = fa_osim_find_muscle(g->o, fa_anatomy_side(g->a->tr_muscle[r], side, b2, sizeof b2));
        if (m >= 0 && isfinite(g->o->muscle_fmax[m])) s += g->o->muscle_fmax[m];
    }
    return s;
}

static double band_width(const gen *g, int st) { return isfinite(g->a->st_width[st]) ? g->a->st_width[st] : 0.02; }

static fa_status build_cord_track(gen *g, int r, char side, const char *name, const char *from, const char *to, int st_row,
                                  gtrack *t)
{
    double P[MAXPTS][3];
    int B[MAXPTS], n = 0, a0, a1;
    fa_status st = station(g, from, &a0);
    if (!st) st = station(g, to, &a1);
    if (st) return st;
    memcpy(P[n], g->node[a0].x, sizeof P[n]);
    B[n++] = g->node[a0].body;
    char via[256], lm[NAMELEN];
    snprintf(via, sizeof via, "%s", g->a->tr_via[r]);
    for (char *tok = strtok(via, ";"); tok && n < MAXPTS - 1; tok = strtok(NULL, ";")) {
        st = landmark(g, fa_anatomy_side(tok, side, lm, sizeof lm), &B[n], P[n]);
        if (st) return st;
        n++;
    }
    memcpy(P[n], g->node[a1].x, sizeof P[n]);
    B[n++] = g->node[a1].body;
    st = polyline(g, name, P, B, n, a0, a1, &t->node, &t->nn);
    if (st) return st;
    double w = band_width(g, st_row);
    chain_glides(g, t->node, t->nn, w, g->a->cord_normal_h); /* fascial bands: may lift off */
    int mat = find_mat(g, g->a->st_mat[st_row]);
    double area;
    if (isfinite(g->a->st_stiff[st_row])) /* measured structural stiffness k = E A / L */
        area = g->a->st_stiff[st_row] * chain_length(g, t->node, t->nn) / g->a->mat_E[mat];
    else
        area = g->a->st_thick[st_row] * w;
    if (!(area > 0))
        return fa_error_set(g->err, FA_ERR_RANGE, g->ctx_file, g->ctx_line, 1,
                            "structure '%s': expected a thickness and width (or a stiffness) giving an area > 0 for cord track '%s'",
                            g->a->st_id[st_row], name);
    st = add_cord(g, name, t->node, t->nn, mat, area);
    snprintf(t->el[t->nel++], NAMELEN, "%s", name);
    return st;
}

/* A muscle belly without an OpenSim path (bellies.csv): the track's polyline
 * from -> via -> to, oriented so that it starts at the fibres' station,
 * becomes passive Hill fibres (reaching lopt standing, so stress-free) and a
 * tendon / aponeurosis cord of tendon material sized from fmax like the
 * OpenSim tendons. A collagen cord laid along a belly would take the whole
 * length change of the muscle; the epimysium's crossed-ply collagen follows
 * the belly's length change by reorienting (Purslow PP 2010, J Bodyw Mov
 * Ther 14(4):411-417), so the fibres carry it. */
static fa_status build_belly_track(gen *g, int r, char side, const char *name, const char *from, const char *to, int st_row,
                                   gtrack *t)
{
    const fa_anatomy *a = g->a;
    char bid[NAMELEN], mn[NAMELEN], tn[NAMELEN];
    fa_anatomy_side(a->tr_muscle[r], side, bid, sizeof bid);
    int bi = fa_anatomy_belly(a, bid);
    if (bi < 0)
        return fa_error_set(g->err, FA_ERR_UNKNOWN, g->ctx_file, g->ctx_line, 1,
                            "unknown belly '%s' (expected a row of bellies.csv)", bid);
    double P[MAXPTS][3], Q[MAXPTS][3];
    int B[MAXPTS], QB[MAXPTS], n = 0, a0, a1;
    fa_status st = station(g, from, &a0);
    if (!st) st = station(g, to, &a1);
    if (st) return st;
    memcpy(P[n], g->node[a0].x, sizeof P[n]);
    B[n++] = g->node[a0].body;
    char via[256], lm[NAMELEN];
    snprintf(via, sizeof via, "%s", a->tr_via[r]);
    for (char *tok = strtok(via, ";"); tok && n < MAXPTS - 1; tok = strtok(NULL, ";")) {
        st = landmark(g, fa_anatomy_side(tok, side, lm, sizeof lm), &B[n], P[n]);
        if (st) return st;
        n++;
    }
    memcpy(P[n], g->node[a1].x, sizeof P[n]);
    B[n++] = g->node[a1].body;
    int at_to = a->be_at_to[bi];
    for (int i = 0; i < n; i++) {
        memcpy(Q[i], P[at_to ? n - 1 - i : i], sizeof Q[i]);
        QB[i] = B[at_to ? n - 1 - i : i];
    }
    double lopt = a->be_lopt[bi], lts = a->be_lts[bi], fmax = a->be_fmax[bi];
    g->belly = 1;
    st = mtu_build(g, name, bid, lopt, lopt, lts / (lts + lopt), fmax, fmax, Q, QB, n, at_to ? a1 : a0, at_to ? a0 : a1,
                   band_width(g, st_row), mn, tn, &t->node, &t->nn);
    g->belly = 0;
    if (st) return st;
    snprintf(t->el[0], NAMELEN, "%s", at_to ? tn : mn);
    snprintf(t->el[1], NAMELEN, "%s", at_to ? mn : tn);
    t->nel = 2;
    return FA_OK;
}

static fa_status build_muscle_track(gen *g, int r, char side, const char *name, const char *from, const char *to,
                                    int st_row, gtrack *t)
{
    char mname[NAMELEN];
    mpath mp;
    fa_status st = muscle_path(g, fa_anatomy_side(g->a->tr_muscle[r], side, mname, sizeof mname), &mp);
    int a0, a1;
    if (!st) st = station(g, from, &a0);
    if (!st) st = station(g, to, &a1);
    if (st) return st;
    double A[3], Bx[3], O[3], I[3]; /* copies: adding nodes may move g->node */
    memcpy(A, g->node[a0].x, sizeof A);
    memcpy(Bx, g->node[a1].x, sizeof Bx);
    /* orient: does the origin (first point) lie at the `from` end? */
    int n = mp.n;
    int origin_at_from = dist(mp.P[0], A) + dist(mp.P[n - 1], Bx) <= dist(mp.P[n - 1], A) + dist(mp.P[0], Bx);
    /* Q: path from the origin-side station to the insertion-side station */
    memcpy(O, origin_at_from ? A : Bx, sizeof O);
    memcpy(I, origin_at_from ? Bx : A, sizeof I);
    int nO = origin_at_from ? a0 : a1, nI = origin_at_from ? a1 : a0;
    int iO = 0, iI = n - 1;
    for (int i = 0; i < n; i++) {
        if (dist(mp.P[i], O) < dist(mp.P[iO], O)) iO = i;
        if (dist(mp.P[i], I) < dist(mp.P[iI], I)) iI = i;
    }
    if (iO > iI) {
        iO = 0;
        iI = n - 1;
    }
    /* A station on another bone than the muscle's own attachment (e.g. the
     * SBL's femoral condyle for semimembranosus, which inserts on the tibia)
     * is not joined by tissue that exists: the track then ends at the
     * muscle's bony origin / insertion, anchored to its own bone. */
    char an[NAMELEN + 16];
    if (mp.B[0] != g->node[nO].body) {
        snprintf(an, sizeof an, "%s.origin", name);
        st = add_node(g, an, mp.B[0], mp.P[0], &nO);
        if (st) return st;
        memcpy(O, mp.P[0], sizeof O);
        iO = 0;
    }
    if (mp.B[n - 1] != g->node[nI].body) {
        snprintf(an, sizeof an, "%s.insertion", name);
        st = add_node(g, an, mp.B[n - 1], mp.P[n - 1], &nI);
        if (st) return st;
        memcpy(I, mp.P[n - 1], sizeof I);
        iI = n - 1;
    }
    double Q[MAXPTS + 2][3];
    int QB[MAXPTS + 2], m = 0;
    memcpy(Q[m], O, sizeof Q[m]);
    QB[m++] = g->node[nO].body;
    for (int i = iO; i <= iI; i++) {
        if (dist(mp.P[i], O) < CLOSE_M || dist(mp.P[i], I) < CLOSE_M) continue;
        memcpy(Q[m], mp.P[i], sizeof Q[m]);
        QB[m++] = mp.B[i];
    }
    memcpy(Q[m], I, sizeof Q[m]);
    QB[m++] = g->node[nI].body;
    double fmax = g->o->muscle_fmax[mp.m] + insert_fmax(g, name, side);
    char mn[NAMELEN], tn[NAMELEN];
    st = mtu(g, name, &mp, fmax, Q, QB, m, nO, nI, band_width(g, st_row), mn, tn, &t->node, &t->nn);
    if (st) return st;
    /* A structure that gives the tendon's measured thickness and width (the
     * Achilles tendon: Szaro & Ghali Gataa 2021) of tendon material sets the section of the
     * common tendon to the ellipse pi/4 t w instead of the OpenSim sizing
     * from fmax; the inserting muscles' subtendons share it by fmax. */
    const fa_anatomy *a = g->a;
    if (!strcmp(a->st_mat[st_row], "tendon") && isfinite(a->st_thick[st_row]) && isfinite(a->st_width[st_row]) && a->st_thick[st_row] > 0 &&
        a->st_width[st_row] > 0 && fmax > 0) {
        double sec = 0.25 * 3.14159265358979323846 * a->st_thick[st_row] * a->st_width[st_row];
        g->cord[g->ncord - 1].area = sec;
        t->sec_per_N = sec / fmax;
    }
    /* The tendon inserts into its bone through an enthesis (fibrocartilage,
     * Benjamin M et al. 2006 J Anat 208(4):471-490): the station at its end
     * stays anchored (free_stations). */
    g->node[nI].enthesis = 1;
    /* element order from -> to */
    if (origin_at_from) {
        snprintf(t->el[0], NAMELEN, "%s", mn);
        snprintf(t->el[1], NAMELEN, "%s", tn);
    } else {
        snprintf(t->el[0], NAMELEN, "%s", tn);
        snprintf(t->el[1], NAMELEN, "%s", mn);
    }
    t->nel = 2;
    return FA_OK;
}

static fa_status build_insert(gen *g, int r, char side, const char *name, const char *target, gtrack *t)
{
    gtrack *tg = find_track(g, target);
    if (!tg || tg->nn == 0)
        return fa_error_set(g->err, FA_ERR_UNKNOWN, g->ctx_file, g->ctx_line, 1,
                            "insert '%s': target track '%s' is not built before it (expected a cord or muscle track of a line)",
                            name, target);
    char mname[NAMELEN];
    mpath mp;
    fa_status st = muscle_path(g, fa_anatomy_side(g->a->tr_muscle[r], side, mname, sizeof mname), &mp);
    if (st) return st;
    /* where the muscle joins the target: the first path point (from the
     * origin) within JOIN_M of a free node of the target chain (TFL joins the
     * ITB at the level of the greater trochanter, although Rajagopal's TFL
     * path runs on to Gerdy's tubercle), else the point nearest to it */
    int best = -1, last = mp.n - 1;
    for (int i = 1; i < mp.n && best < 0; i++) {
        for (int k = 0; k < tg->nn; k++) {
            int id = tg->node[k];
            if (g->node[id].body >= 0) continue;
            if (dist(g->node[id].x, mp.P[i]) <= JOIN_M && (best < 0 || dist(g->node[id].x, mp.P[i]) < dist(g->node[best].x, mp.P[i])))
                best = id;
        }
        if (best >= 0) last = i;
    }
    for (int k = 0; k < tg->nn && best < 0; k++) {
        int id = tg->node[k];
        if (g->node[id].body >= 0) continue;
        if (best < 0 || dist(g->node[id].x, mp.P[mp.n - 1]) < dist(g->node[best].x, mp.P[mp.n - 1])) best = id;
    }
    if (best < 0) return fa_error_set(g->err, FA_ERR_GEOMETRY, g->ctx_file, g->ctx_line, 1, "insert '%s': track '%s' has no free node", name, target);
    char on[NAMELEN + 8];
    snprintf(on, sizeof on, "%s.origin", name);
    int orig;
    st = add_node(g, on, mp.B[0], mp.P[0], &orig);
    if (st) return st;
    double Q[MAXPTS + 1][3];
    int QB[MAXPTS + 1], m = 0;
    for (int i = 0; i <= last; i++) {
        if (i > 0 && dist(mp.P[i], g->node[best].x) < CLOSE_M) continue;
        memcpy(Q[m], mp.P[i], sizeof Q[m]);
        QB[m++] = mp.B[i];
    }
    memcpy(Q[m], g->node[best].x, sizeof Q[m]);
    QB[m++] = mp.B[last];
    char mn[NAMELEN], tn[NAMELEN];
    int st_row;
    st = structure(g, g->a->tr_struct[r], &st_row);
    if (!st) st = mtu(g, name, &mp, g->o->muscle_fmax[mp.m], Q, QB, m, orig, best, band_width(g, st_row), mn, tn, &t->node, &t->nn);
    if (st) return st;
    if (tg->sec_per_N > 0) /* subtendon of a tendon of measured section: its fmax share */
        g->cord[g->ncord - 1].area = tg->sec_per_N * g->o->muscle_fmax[mp.m];
    snprintf(t->el[0], NAMELEN, "%s", mn);
    snprintf(t->el[1], NAMELEN, "%s", tn);
    t->nel = 2;
    return FA_OK;
}

/* ---- sheets ------------------------------------------------------------------------- */

static fa_status body_ref(gen *g, const char *tmpl, char side, int *out)
{
    char b[NAMELEN];
    fa_anatomy_side(tmpl, side, b, sizeof b);
    *out = fa_osim_find_body(g->o, b);
    if (*out < 0)
        return fa_error_set(g->err, FA_ERR_UNKNOWN, g->ctx_file, g->ctx_line, 1, "unknown body '%s' (expected a body of %s)", b,
                            g->o->name);
    return FA_OK;
}

static fa_status build_sheet(gen *g, int s, char side, const char *mesh_name)
{
    const fa_anatomy *a = g->a;
    if (!GROW(g->mesh, g->nmesh, g->capmesh)) return nomem(g);
    gmesh *M = &g->mesh[g->nmesh];
    memset(M, 0, sizeof *M);
    snprintf(M->name, sizeof M->name, "%s", mesh_name);
    M->st = s;
    M->nu = a->st_nu[s];
    M->nv = a->st_nv[s];
    char lm[NAMELEN];
    double P0[3], P1[3], P2[3];
    int b0, b1, b2;
    fa_status st = landmark(g, fa_anatomy_side(a->st_p0[s], side, lm, sizeof lm), &b0, P0);
    if (!st) st = landmark(g, fa_anatomy_side(a->st_p1[s], side, lm, sizeof lm), &b1, P1);
    int first, last, s0, s1;
    if (!st) st = body_ref(g, a->st_body0[s], side, &first);
    last = -1; /* no body1: the last row / ring is free and glides */
    if (!st && a->st_body1[s][0]) st = body_ref(g, a->st_body1[s], side, &last);
    if (!st) st = body_ref(g, a->st_sub0[s], side, &s0);
    if (!st) st = body_ref(g, a->st_sub1[s], side, &s1);
    if (st) return st;
    if (!strcmp(a->st_geom[s], "tube")) {
        M->tube = 1;
        sub3(M->axis, P1, P0);
        M->height = norm3(M->axis);
        memcpy(M->origin, P0, sizeof P0);
        /* radius: mean distance of the skin markers from the axis */
        char mk[256];
        snprintf(mk, sizeof mk, "%s", a->st_markers[s]);
        int nm = 0;
        double sum = 0;
        for (char *tok = strtok(mk, ";"); tok; tok = strtok(NULL, ";")) {
            char full[NAMELEN];
            snprintf(full, sizeof full, "%c%s", side == 'l' ? 'L' : 'R', tok);
            int i = fa_osim_find_marker(g->o, full);
            if (i < 0)
                return fa_error_set(g->err, FA_ERR_UNKNOWN, g->ctx_file, g->ctx_line, 1,
                                    "structure '%s': unknown marker '%s' (expected a marker of %s)", a->st_id[s], full,
                                    g->o->name);
            double x[3], r[3];
            fa_osim_marker_world(g->o, &g->ref, i, x);
            sub3(r, x, P0);
            double ra = dot(r, M->axis);
            for (int q = 0; q < 3; q++) r[q] -= ra * M->axis[q];
            sum += sqrt(dot(r, r));
            nm++;
        }
        if (nm == 0)
            return fa_error_set(g->err, FA_ERR_MISSING, g->ctx_file, g->ctx_line, 1, "structure '%s': a tube needs skin markers for its radius",
                                a->st_id[s]);
        M->radius = sum / nm;
        M->area_node = (2.0 * 3.14159265358979323846 * M->radius / M->nu) * (M->height / (M->nv - 1));
    } else {
        st = landmark(g, fa_anatomy_side(a->st_p2[s], side, lm, sizeof lm), &b2, P2);
        if (st) return st;
        double v[3], u[3];
        sub3(v, P1, P0);
        M->height = norm3(v);
        sub3(u, P2, P0);
        double uv = dot(u, v);
        for (int q = 0; q < 3; q++) u[q] -= uv * v[q];
        double wu = norm3(u);
        M->width = isfinite(a->st_width[s]) ? a->st_width[s] : wu;
        int midline = strstr(a->st_p0[s], "{s}") == NULL && side_of(a->st_p0[s]) == 0;
        double o[3];
        for (int q = 0; q < 3; q++) o[q] = P0[q] - (midline ? 0.5 * M->width * u[q] : 0.0);
        /* the sheet normal u x v must point away from the bone beneath */
        double nrm[3], c[3], mid[3], r[3];
        cross(nrm, u, v);
        body_com(g, s0, c);
        for (int q = 0; q < 3; q++) mid[q] = o[q] + 0.5 * M->width * u[q] + 0.5 * M->height * v[q];
        sub3(r, mid, c);
        if (dot(nrm, r) < 0) { /* run the rows from P1 to P0 instead */
            for (int q = 0; q < 3; q++) {
                o[q] += M->height * v[q];
                v[q] = -v[q];
            }
            int t = first;
            first = last;
            last = t;
            t = s0;
            s0 = s1;
            s1 = t;
        }
        memcpy(M->origin, o, sizeof o);
        memcpy(M->u, u, sizeof u);
        memcpy(M->v, v, sizeof v);
        M->area_node = (M->width / (M->nu - 1)) * (M->height / (M->nv - 1));
    }
    M->body_first = first;
    M->body_last = last;
    M->sub_first = s0;
    M->sub_second = s1;
    int mat = find_mat(g, a->st_mat[s]);
    if (!isfinite(a->mat_E[mat])) { /* derived modulus: E = k L / (w t) */
        if (!isfinite(a->st_stiff[s]) || M->tube)
            return fa_error_set(g->err, FA_ERR_MISSING, g->ctx_file, g->ctx_line, 1,
                                "structure '%s': material '%s' has a derived modulus, so a patch with a stiffness is needed",
                                a->st_id[s], a->mat_id[mat]);
        double E = a->st_stiff[s] * M->height / (M->width * a->st_thick[s]);
        if (!isfinite(g->pa_E)) {
            g->pa_E = E;
            g->pa_L = M->height;
        }
    }
    g->nmesh++;
    return FA_OK;
}

/* ---- driver ----------------------------------------------------------------------- */

/* Add a new track's elements and the interfaces that let it glide (the
 * glide of every free node of its chain; a sheet's `<mesh>_glide`) to its
 * reporting regions and its structure region. */
static fa_status track_groups(gen *g, const gtrack *t, const char *regions, int st_row, char side, int sheet)
{
    int cap = t->nel + t->nn + 1, n = 0;
    char(*el)[NAMELEN] = calloc((size_t)cap, sizeof *el);
    if (!el) return nomem(g);
    for (int i = 0; i < t->nel; i++) snprintf(el[n++], NAMELEN, "%s", t->el[i]);
    if (sheet) {
        size_t ln = strlen(t->el[0]);
        if (ln + 7 > NAMELEN) ln = NAMELEN - 7;
        memcpy(el[n], t->el[0], ln);
        memcpy(el[n] + ln, "_glide", 7);
        n++;
    }
    for (int k = 0; k < t->nn; k++) {
        const gnode *nd = &g->node[t->node[k]];
        if (nd->body >= 0 || !glide_of(g, t->node[k])) continue;
        size_t ln = strlen(nd->name);
        if (ln + 7 > NAMELEN) ln = NAMELEN - 7;
        memcpy(el[n], nd->name, ln);
        memcpy(el[n] + ln, ".glide", 7);
        n++;
    }
    fa_status st = regions_add(g, regions, side, (const char(*)[NAMELEN])el, n);
    if (!st) st = structure_add(g, st_row, side, (const char(*)[NAMELEN])el, n);
    free(el);
    return st;
}

/* Stations where a line with evidence of continuity (grade A or B: SBL, BFL,
 * FFL, LL, SPL; Wilke J et al. 2016 Arch Phys Med Rehabil 97(3):454-461)
 * passes from one track to the next are not rigid: the station node is free
 * and held to an anchored copy on its bone by the attachment (an isotropic
 * spring k = station_G station_area / station_h, glide.csv), so part of
 * the tension of one track passes on to the next (force transfer along
 * chains: Krause F et al. 2016 J Anat 228(6):910-918). A station where a
 * muscle's tendon inserts (calcaneal tuber, fibular head, first metatarsal
 * base, gluteal tuberosity) is an enthesis and stays anchored: fibrocartilage
 * 1 mm thick over a 2-5 cm^2 footprint (Achilles insertion 25.7 mm wide, Szaro
 * & Ghali Gataa 2021) is at least E A / h = 100 MPa x 2 cm^2 / 1 mm = 20 MN/m,
 * 45 times the periosteal attachment (447 kN/m), through which a 5 kN Achilles
 * force pulled the station 1 cm and tore the calcaneal periosteum cord
 * (estimate, grade C; Benjamin M et al. 2006 J Anat 208(4):471-490). */
static fa_status free_stations(gen *g)
{
    const fa_anatomy *a = g->a;
    static const char sides[2] = {'r', 'l'};
    for (int li = 0; li < a->nline; li++) {
        if (a->line_grade[li] > 'B') continue;
        for (int si = 0; si < 2; si++) {
            int prev = -1;
            for (int r = 0; r < a->ntrack; r++) {
                if (strcmp(a->tr_line[r], a->line_id[li])) continue;
                if (a->tr_kind[r] == FA_TRACK_GAP) {
                    prev = -1;
                    continue;
                }
                char to0[NAMELEN], from1[NAMELEN];
                if (prev >= 0) {
                    fa_anatomy_side(a->tr_to[prev], sides[si], to0, sizeof to0);
                    fa_anatomy_side(a->tr_from[r], sides[si], from1, sizeof from1);
                    int id = find_node(g, to0);
                    if (!strcmp(to0, from1) && id >= 0 && g->node[id].body >= 0 && !g->node[id].enthesis) {
                        char nm[NAMELEN + 8];
                        snprintf(nm, sizeof nm, "%s.bone", to0);
                        int body = g->node[id].body, sub;
                        double x[3];
                        memcpy(x, g->node[id].x, sizeof x);
                        fa_status st = add_node(g, nm, body, x, &sub);
                        if (st) return st;
                        g->node[id].body = -1;
                        if (!GROW(g->att, g->natt, g->capatt)) return nomem(g);
                        gattach *q = &g->att[g->natt++];
                        q->node = id;
                        q->sub = sub;
                        double c[3];
                        bone_closest(g, body, x, c);
                        sub3(q->n, x, c);
                        if (norm3(q->n) < 1e-9) {
                            q->n[0] = 1;
                            q->n[1] = q->n[2] = 0;
                        }
                    }
                }
                prev = r;
            }
        }
    }
    return FA_OK;
}

/* ---- epimysial bags (bags.csv) ----------------------------------------------------- */

/* Frame of a tube (as the body file's cylinder generator: ex = world x made
 * perpendicular to the axis, world y when the axis is within 26 deg of x;
 * ey = axis x ex) and the reference position of its node (i, j). */
static void tube_node(const double o[3], const double axis[3], double r, double h, int nu, int nv, int i, int j,
                      double x[3])
{
    double ax[3] = {axis[0], axis[1], axis[2]}, ex[3] = {1, 0, 0}, ey[3];
    norm3(ax);
    if (fabs(ax[0]) > 0.9) ex[0] = 0, ex[1] = 1;
    double d = dot(ex, ax);
    for (int q = 0; q < 3; q++) ex[q] -= d * ax[q];
    norm3(ex);
    cross(ey, ax, ex);
    double th = 2.0 * 3.14159265358979323846 * i / nu, z = h * j / (nv - 1);
    for (int q = 0; q < 3; q++) x[q] = o[q] + r * (cos(th) * ex[q] + sin(th) * ey[q]) + z * ax[q];
}

/* Reference position of node (i, j) of a sheet / sheath mesh. */
static void mesh_node(const gmesh *M, int i, int j, double x[3])
{
    if (M->tube) {
        tube_node(M->origin, M->axis, M->radius, M->height, M->nu, M->nv, i, j, x);
        return;
    }
    for (int q = 0; q < 3; q++)
        x[q] = M->origin[q] + M->width * i / (M->nu - 1) * M->u[q] + M->height * j / (M->nv - 1) * M->v[q];
}

/* The bone a node sits on or is held to: its own body, its glide's or its attachment's substrate. */
static int node_bone(gen *g, int n)
{
    if (g->node[n].body >= 0) return g->node[n].body;
    const gglide *q = glide_of(g, n);
    if (q) return g->node[q->sub].body;
    for (int i = 0; i < g->natt; i++)
        if (g->att[i].node == n) return g->node[g->att[i].sub].body;
    return -1;
}

/* Pairs of loose layer between bag b and the mesh whose node (i, j) is at P(i, j): every free
 * bag node (rings 1..) with the nearest target node within the bag's join distance. */
static fa_status join_add(gen *g, int b, const char *target, int tnu, int tnv, int ttube, const double *TP)
{
    const gbag *B = &g->bag[b];
    int *pair = NULL, np = 0, cap = 0;
    double gsum = 0;
    for (int j = 0; j < B->nv; j++)
        for (int i = 0; i < B->nu; i++) {
            double x[3];
            tube_node(B->origin, B->axis, B->radius, B->height, B->nu, B->nv, i, j, x);
            int best = -1;
            double bd = B->join;
            for (int k = 0; k < tnu * tnv; k++) {
                double d = dist(x, TP + 3 * k);
                if (d < bd) bd = d, best = k;
            }
            if (best < 0) continue;
            if (np + 1 > cap) {
                cap = cap ? 2 * cap : 16;
                int *p = (int *)realloc(pair, (size_t)cap * 4 * sizeof(int));
                if (!p) {
                    free(pair);
                    return nomem(g);
                }
                pair = p;
            }
            pair[4 * np] = i;
            pair[4 * np + 1] = j;
            pair[4 * np + 2] = best % tnu;
            pair[4 * np + 3] = best / tnu;
            gsum += bd;
            np++;
        }
    (void)ttube;
    if (!np) return FA_OK;
    if (!GROW(g->join, g->njoin, g->capjoin)) {
        free(pair);
        return nomem(g);
    }
    gjoin *J = &g->join[g->njoin++];
    memset(J, 0, sizeof *J);
    snprintf(J->name, sizeof J->name, "%s_on_%s", B->name, target);
    snprintf(J->target, sizeof J->target, "%s", target);
    J->bag = b;
    J->pair = pair;
    J->np = np;
    J->gap = gsum / np > g->a->glide_h ? gsum / np : g->a->glide_h;
    return FA_OK;
}

/* Epimysial bags around the muscle units listed in the bag table (fa_runner_def.bags; none when
 * it is NULL: the default runner body has no bags yet, docs/anatomy.md "Epimysial bags"). */
static fa_status build_bags(gen *g)
{
    const fa_anatomy *a = g->a;
    if (!g->bags) return FA_OK;
    char path[512];
    snprintf(path, sizeof path, "%.500s", g->bags);
    fa_csv c;
    fa_status st = fa_csv_read(path, &c, g->err);
    if (st) return st;
    static const char *const cols[] = {"muscle", "structure", "regions", "specific_tension_Pa", "join_m"};
    int k[5];
    for (int q = 0; q < 5 && !st; q++) {
        k[q] = fa_csv_col(&c, cols[q]);
        if (k[q] < 0) st = fa_error_set(g->err, FA_ERR_MISSING, path, 1, 1, "missing column '%s'", cols[q]);
    }
    static const char sides[2] = {'r', 'l'};
    for (int r = 0; r < c.nrow && !st; r++) {
        double v[2];
        for (int q = 0; q < 2 && !st; q++) {
            char *end;
            v[q] = strtod(c.cell[r][k[3 + q]], &end);
            if (end == c.cell[r][k[3 + q]] || *end || !(v[q] > 0))
                st = fa_error_set(g->err, FA_ERR_TYPE, path, c.line[r], c.col0[r][k[3 + q]],
                                  "expected a number > 0 in column '%s', found '%s'", cols[3 + q], c.cell[r][k[3 + q]]);
        }
        int srow = -1;
        snprintf(g->ctx_file, sizeof g->ctx_file, "%s", path);
        g->ctx_line = c.line[r];
        if (!st) st = structure(g, c.cell[r][k[1]], &srow);
        if (!st && strcmp(a->st_kind[srow], "bag"))
            st = fa_error_set(g->err, FA_ERR_TYPE, path, c.line[r], c.col0[r][k[1]],
                              "structure '%s' is a %s, a bag needs a structure of kind bag", a->st_id[srow],
                              a->st_kind[srow]);
        for (int si = 0; si < 2 && !st; si++) {
            char mn[NAMELEN];
            fa_anatomy_side(c.cell[r][k[0]], sides[si], mn, sizeof mn);
            int mi = -1;
            for (int q = 0; q < g->nmus; q++)
                if (!strcmp(g->mus[q].name, mn)) mi = q;
            if (mi < 0) {
                st = fa_error_set(g->err, FA_ERR_UNKNOWN, path, c.line[r], c.col0[r][k[0]],
                                  "unknown muscle unit '%s' (expected a unit built from tracks.csv)", mn);
                break;
            }
            const gmuscle *m = &g->mus[mi];
            if (!GROW(g->bag, g->nbag, g->capbag)) {
                st = nomem(g);
                break;
            }
            gbag *B = &g->bag[g->nbag];
            memset(B, 0, sizeof *B);
            snprintf(B->name, sizeof B->name, "%.40s_%.50s", a->st_id[srow], mn);
            B->st = srow;
            B->mus = mi;
            B->side = sides[si];
            B->nu = a->st_nu[srow];
            B->nv = a->st_nv[srow];
            B->join = v[1];
            B->fileline = c.line[r];
            snprintf(B->regions, sizeof B->regions, "%s", c.cell[r][k[2]]);
            const double *x0 = g->node[m->n0].x, *x1 = g->node[m->n1].x;
            sub3(B->axis, x1, x0);
            double L = norm3(B->axis);
            double rr = sqrt(m->fmax * m->lopt / (v[0] * 3.14159265358979323846 * L));
            if (rr < 0.005) rr = 0.005;
            if (rr > 0.45 * L) rr = 0.45 * L;
            B->radius = rr;
            double cone = rr < 0.25 * L ? rr : 0.25 * L; /* ties at up to 45 deg to the origin and the MTJ */
            B->height = L - 2.0 * cone;
            for (int q = 0; q < 3; q++) B->origin[q] = x0[q] + cone * B->axis[q];
            B->area_node = (2.0 * 3.14159265358979323846 * rr / B->nu) * (B->height / (B->nv - 1));
            B->body0 = node_bone(g, m->n0);
            B->sub0 = B->body0;
            B->sub1 = node_bone(g, m->n1);
            if (B->body0 < 0 || B->sub1 < 0) {
                st = fa_error_set(g->err, FA_ERR_TYPE, path, c.line[r], c.col0[r][k[0]],
                                  "muscle unit '%s': no bone under its origin or MTJ", mn);
                break;
            }
            g->nbag++;
        }
    }
    fa_csv_free(&c);
    if (st) return st;
    /* loose-layer joins: bag -> later bags and the sheaths (fascia lata, crural fascia) of the same side */
    for (int b = 0; b < g->nbag && !st; b++) {
        const gbag *B = &g->bag[b];
        for (int t = b + 1; t < g->nbag && !st; t++) {
            const gbag *T = &g->bag[t];
            if (T->side != B->side) continue;
            double *P = (double *)malloc((size_t)(T->nu * T->nv) * 3 * sizeof(double));
            if (!P) return nomem(g);
            for (int j = 0; j < T->nv; j++)
                for (int i = 0; i < T->nu; i++)
                    tube_node(T->origin, T->axis, T->radius, T->height, T->nu, T->nv, i, j, P + 3 * (j * T->nu + i));
            st = join_add(g, b, T->name, T->nu, T->nv, 1, P);
            free(P);
        }
        for (int t = 0; t < g->nmesh && !st; t++) {
            const gmesh *M = &g->mesh[t];
            if (side_of(M->name) != B->side || strcmp(g->a->st_kind[M->st], "sheath")) continue;
            double *P = (double *)malloc((size_t)(M->nu * M->nv) * 3 * sizeof(double));
            if (!P) return nomem(g);
            for (int j = 0; j < M->nv; j++)
                for (int i = 0; i < M->nu; i++) mesh_node(M, i, j, P + 3 * (j * M->nu + i));
            st = join_add(g, b, M->name, M->nu, M->nv, M->tube, P);
            free(P);
        }
    }
    /* regions: the bag, its glide, its ties and its joins */
    for (int b = 0; b < g->nbag && !st; b++) {
        const gbag *B = &g->bag[b];
        int n = 0, cap = 2 + 2 * B->nu + g->njoin;
        char(*el)[NAMELEN] = calloc((size_t)cap, sizeof *el);
        if (!el) return nomem(g);
        snprintf(el[n++], NAMELEN, "%s", B->name);
        snprintf(el[n++], NAMELEN, "%.80s_glide", B->name);
        for (int i = 0; i < B->nu; i++) snprintf(el[n++], NAMELEN, "%.80s_root%d", B->name, i);
        for (int i = 0; i < B->nu; i++) snprintf(el[n++], NAMELEN, "%.80s_tie%d", B->name, i);
        for (int q = 0; q < g->njoin; q++)
            if (g->join[q].bag == b) snprintf(el[n++], NAMELEN, "%.*s", NAMELEN - 1, g->join[q].name);
        char regs[300];
        snprintf(regs, sizeof regs, "%s epimysium", B->regions);
        st = regions_add(g, regs, B->side, (const char(*)[NAMELEN])el, n);
        if (!st) {
            char nm[NAMELEN + 16];
            snprintf(nm, sizeof nm, "structure.%s", B->name);
            gset *S = set_get(g, &g->reg, &g->nreg, &g->capreg, nm);
            for (int i = 0; i < n && !st; i++) st = set_add(g, S, el[i], 1);
        }
        free(el);
    }
    return st;
}

static fa_status build(gen *g)
{
    const fa_anatomy *a = g->a;
    static const char sides[2] = {'r', 'l'};
    /* line tracks, then inserts */
    for (int pass = 0; pass < 2; pass++) {
        for (int li = 0; li < (pass == 0 ? a->nline : 1); li++) {
            for (int si = 0; si < 2; si++) {
                char side = sides[si];
                gset *L = NULL;
                if (pass == 0) {
                    char ln[NAMELEN];
                    snprintf(ln, sizeof ln, "%s_%c", a->line_id[li], side);
                    L = set_get(g, &g->line, &g->nline, &g->capline, ln);
                    if (!L) return nomem(g);
                    L->grade = a->line_grade[li];
                }
                for (int r = 0; r < a->ntrack; r++) {
                    int kind = a->tr_kind[r];
                    if (pass == 0 && (kind == FA_TRACK_INSERT || strcmp(a->tr_line[r], a->line_id[li]))) continue;
                    if (pass == 1 && kind != FA_TRACK_INSERT) continue;
                    if (kind == FA_TRACK_GAP) continue;
                    char name[NAMELEN], from[NAMELEN], to[NAMELEN];
                    ctx(g, "tracks.csv", a->tr_fileline[r]);
                    fa_anatomy_side(a->tr_name[r], side, name, sizeof name);
                    fa_anatomy_side(a->tr_from[r], side, from, sizeof from);
                    fa_anatomy_side(a->tr_to[r], side, to, sizeof to);
                    int st_row;
                    fa_status st = structure(g, a->tr_struct[r], &st_row);
                    if (st) return st;
                    char tside = side_of(name);
                    gtrack *t = find_track(g, name);
                    int reversed = 0;
                    if (t) {
                        if (kind == FA_TRACK_SHEET) {
                            /* a sheet is one structure whatever the stations */
                        } else if (!strcmp(t->from, from) && !strcmp(t->to, to)) {
                            reversed = 0;
                        } else if (!strcmp(t->from, to) && !strcmp(t->to, from)) {
                            reversed = 1;
                        } else {
                            return fa_error_set(g->err, FA_ERR_DUPLICATE, g->ctx_file, g->ctx_line, 1,
                                                "track '%s' used between %s and %s and between %s and %s (a shared "
                                                "track needs the same two stations)", name, t->from, t->to, from, to);
                        }
                    } else {
                        st = new_track(g, name, from, to, &t);
                        if (st) return st;
                        if (kind == FA_TRACK_CORD) st = build_cord_track(g, r, side, name, from, to, st_row, t);
                        else if (kind == FA_TRACK_MUSCLE) st = build_muscle_track(g, r, side, name, from, to, st_row, t);
                        else if (kind == FA_TRACK_BELLY) st = build_belly_track(g, r, side, name, from, to, st_row, t);
                        else if (kind == FA_TRACK_INSERT) st = build_insert(g, r, side, name, to, t);
                        else {
                            if (strcmp(a->st_kind[st_row], "cord") == 0)
                                return fa_error_set(g->err, FA_ERR_TYPE, g->ctx_file, g->ctx_line, 1,
                                                    "track '%s': structure '%s' is a cord, a sheet track needs a sheet", name,
                                                    a->st_id[st_row]);
                            ctx(g, "structures.csv", a->st_fileline[st_row]);
                            st = build_sheet(g, st_row, side, name);
                            snprintf(t->el[t->nel++], NAMELEN, "%s", name);
                        }
                        if (st) return st;
                        st = track_groups(g, t, a->tr_regions[r], st_row, tside, kind == FA_TRACK_SHEET);
                        if (st) return st;
                    }
                    if (L)
                        for (int e = 0; e < t->nel; e++) {
                            st = set_add(g, L, t->el[reversed ? t->nel - 1 - e : e], 0);
                            if (st) return st;
                        }
                }
            }
        }
    }
    /* sheets not carried by any line track (fascia lata, crural fascia, gluteal aponeurosis) */
    for (int s = 0; s < a->nstruct; s++) {
        if (!strcmp(a->st_kind[s], "cord") || !strcmp(a->st_kind[s], "bag")) continue; /* bags: build_bags */
        int sided = strstr(a->st_p0[s], "{s}") != NULL;
        for (int si = 0; si < (sided ? 2 : 1); si++) {
            char name[NAMELEN];
            if (sided) snprintf(name, sizeof name, "%s_%c", a->st_id[s], sides[si]);
            else snprintf(name, sizeof name, "%s", a->st_id[s]);
            if (find_track(g, name)) continue;
            ctx(g, "structures.csv", a->st_fileline[s]);
            gtrack *t;
            int st_row;
            fa_status st = structure(g, a->st_id[s], &st_row);
            if (!st) st = new_track(g, name, "", "", &t);
            if (!st) st = build_sheet(g, s, sided ? sides[si] : 'r', name);
            if (st) return st;
            snprintf(t->el[t->nel++], NAMELEN, "%s", name);
            st = track_groups(g, t, a->st_regions[s], s, sided ? sides[si] : 0, 1);
            if (st) return st;
        }
    }
    return FA_OK;
}

/* ---- writer ----------------------------------------------------------------------- */

static void yq(FILE *f, const char *s) /* double-quoted YAML scalar */
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void vecm(FILE *f, const double x[3]) { fprintf(f, "\"%.6f %.6f %.6f m\"", x[0], x[1], x[2]); }

static const char *bname(const gen *g, int b) { return b <= 0 ? "ground" : g->o->body_name[b]; }

static void write_yaml(gen *g, FILE *f, const fa_runner_def *def)
{
    const fa_anatomy *a = g->a;
    const fa_osim *o = g->o;
    fprintf(f, "# The default runner body: fascial network on the Rajagopal 2016 skeleton.\n"
               "# GENERATED by `fascia build-runner` from %s and data/anatomy/*.csv;\n"
               "# do not edit by hand (a test regenerates it and compares). See docs/anatomy.md.\n"
               "#\n"
               "# Frames: every body frame here is the world frame at the reference posture\n"
               "# '%s' (data/anatomy/postures.csv): positions are world positions (m) of the\n"
               "# standing skeleton, +x anterior, +y superior, +z right. A posture moves body b\n"
               "# by T_b(q) T_b(q_ref)^-1 (fa_anatomy_set_body_poses).\n"
               "# Skeleton: Rajagopal A, Dembia CL, DeMers MS, Delp DD, Hicks JL, Delp SL 2016,\n"
               "# IEEE TBME 63(10):2068-2079 (MIT Use Agreement, data/opensim/LICENSES).\n"
               "# Lines: Myers, Anatomy Trains; grades from Wilke et al. 2016 (data/anatomy/lines.csv).\n\n",
            def->osim_label ? def->osim_label : o->file, def->reference);
    /* materials */
    fprintf(f, "materials:\n");
    for (int i = 0; i < a->nmat; i++) {
        if (!g->mat_used[i]) continue;
        double E = a->mat_E[i];
        fprintf(f, "  %s:\n", a->mat_id[i]);
        if (!isfinite(E)) {
            E = g->pa_E;
            fprintf(f, "    # E = k L / (w t) = %.6g N/m x %.6f m / (width x thickness) of the patch\n",
                    a->st_stiff[fa_anatomy_structure(a, "plantar_aponeurosis")] , g->pa_L);
        }
        fprintf(f, "    E: %.6g Pa\n    toe_strain: %.6g\n    matrix_E: %.6g Pa\n    nu: %.6g\n", E, a->mat_toe[i],
                a->mat_Em[i], a->mat_nu[i]);
        fprintf(f, "    density: %.6g kg/m^3\n    failure_strain: %.6g\n", a->mat_rho[i], a->mat_fail[i]);
        if (a->mat_f2frac[i] > 0)
            fprintf(f, "    fibre2: {angle: %.6g deg, fraction: %.6g}\n", a->mat_f2angle_deg[i], a->mat_f2frac[i]);
        fprintf(f, "    grade: %c\n    cite: ", a->mat_grade[i]);
        yq(f, a->mat_cite[i]);
        fputc('\n', f);
    }
    /* bodies (ground = index 0 of the osim model) */
    fprintf(f, "\nbodies:\n");
    for (int b = 1; b < o->nbody; b++) {
        int j = o->body_joint[b];
        int p = j >= 0 ? o->joint_parent[j] : 0;
        fprintf(f, "  %s: {parent: %s, mass: %.6g kg}\n", o->body_name[b], bname(g, p), o->body_mass[b]);
    }
    /* landmarks */
    fprintf(f, "\nlandmarks:\n");
    for (int i = 0; i < a->nlandmark; i++) {
        int b = fa_osim_find_body(o, a->lm_body[i]);
        double x[3];
        fa_osim_point_world(&g->ref, b, a->lm_pos + 3 * i, x);
        fprintf(f, "  %s: {body: %s, position: ", a->lm_name[i], a->lm_body[i]);
        vecm(f, x);
        fprintf(f, "}\n");
    }
    /* nodes */
    fprintf(f, "\nnodes:\n");
    for (int i = 0; i < g->nnode; i++) {
        fprintf(f, "  %s: {position: ", g->node[i].name);
        vecm(f, g->node[i].x);
        if (g->node[i].body >= 0) fprintf(f, ", body: %s", bname(g, g->node[i].body));
        fprintf(f, "}\n");
    }
    /* meshes */
    fprintf(f, "\nmeshes:\n");
    for (int k = 0; k < g->nmesh; k++) {
        const gmesh *M = &g->mesh[k];
        int s = M->st;
        for (int sub = 0; sub < 2; sub++) {
            double off = sub ? -a->glide_h : 0.0, o3[3], n[3];
            if (M->tube) {
                memcpy(o3, M->origin, sizeof o3);
            } else {
                cross(n, M->u, M->v);
                for (int q = 0; q < 3; q++) o3[q] = M->origin[q] + off * n[q];
            }
            fprintf(f, "  %s%s:\n", M->name, sub ? "_bone" : "");
            if (M->tube) {
                fprintf(f, "    type: cylinder\n    center: ");
                vecm(f, o3);
                fprintf(f, "\n    axis: [%.6f, %.6f, %.6f]\n    radius: %.6f m\n    height: %.6f m\n", M->axis[0], M->axis[1],
                        M->axis[2], M->radius + off, M->height);
                fprintf(f, "    segments: %d\n    rings: %d\n", M->nu, M->nv);
            } else {
                fprintf(f, "    type: rect\n    origin: ");
                vecm(f, o3);
                fprintf(f, "\n    u: [%.6f, %.6f, %.6f]\n    v: [%.6f, %.6f, %.6f]\n", M->u[0], M->u[1], M->u[2], M->v[0],
                        M->v[1], M->v[2]);
                fprintf(f, "    width: %.6f m\n    height: %.6f m\n    nu: %d\n    nv: %d\n", M->width, M->height, M->nu, M->nv);
            }
            if (!sub) {
                fprintf(f, "    material: %s\n    thickness: %.6g m   # %s (grade %c)\n", a->st_mat[s], a->st_thick[s],
                        a->st_thick_src[s], a->st_thick_grade[s]);
                if (M->tube && a->st_fibre_deg[s] == 0) fprintf(f, "    fibre: axial\n");
                else fprintf(f, "    fibre: %.6g deg\n", a->st_fibre_deg[s]);
                fprintf(f, "    anchors:\n");
                if (M->body_first >= 0)
                    fprintf(f, "      - {%s: 0, body: %s}\n", M->tube ? "ring" : "row", bname(g, M->body_first));
                if (M->body_last >= 0)
                    fprintf(f, "      - {%s: -1, body: %s}\n", M->tube ? "ring" : "row", bname(g, M->body_last));
            } else if (M->sub_first == M->sub_second) {
                fprintf(f, "    body: %s\n", bname(g, M->sub_first));
            } else {
                fprintf(f, "    anchors:\n");
                for (int j = 0; j < M->nv; j++)
                    fprintf(f, "      - {%s: %d, body: %s}\n", M->tube ? "ring" : "row", j,
                            bname(g, 2 * j < M->nv ? M->sub_first : M->sub_second));
            }
        }
    }
    /* epimysial bags: tube around the belly, its substrate glide_h beneath */
    for (int b = 0; b < g->nbag; b++) {
        const gbag *B = &g->bag[b];
        int s = B->st;
        const gmuscle *mu = &g->mus[B->mus];
        for (int sub = 0; sub < 2; sub++) {
            fprintf(f, "  %s%s:\n", B->name, sub ? "_bone" : "");
            if (!sub)
                fprintf(f, "    # epimysium of %s (OpenSim %s): r = sqrt(fmax lopt / (sigma pi L)) = %.1f mm, L = %.1f mm "
                           "origin -> MTJ (bags.csv:%d)\n",
                        mu->name, mu->osim, 1e3 * B->radius, 1e3 * (dist(g->node[mu->n0].x, g->node[mu->n1].x)), B->fileline);
            fprintf(f, "    type: cylinder\n    center: ");
            vecm(f, B->origin);
            fprintf(f, "\n    axis: [%.6f, %.6f, %.6f]\n    radius: %.6f m\n    height: %.6f m\n", B->axis[0], B->axis[1],
                    B->axis[2], B->radius - (sub ? a->glide_h : 0.0), B->height);
            fprintf(f, "    segments: %d\n    rings: %d\n", B->nu, B->nv);
            if (!sub) {
                fprintf(f, "    material: %s\n    thickness: %.6g m   # %s (grade %c)\n", a->st_mat[s], a->st_thick[s],
                        a->st_thick_src[s], a->st_thick_grade[s]);
                fprintf(f, "    fibre: %.6g deg\n", a->st_fibre_deg[s]);
            } else if (B->sub0 == B->sub1) {
                fprintf(f, "    body: %s\n", bname(g, B->sub0));
            } else {
                fprintf(f, "    anchors:\n");
                for (int j = 0; j < B->nv; j++)
                    fprintf(f, "      - {ring: %d, body: %s}\n", j, bname(g, 2 * j < B->nv ? B->sub0 : B->sub1));
            }
        }
    }
    /* cords */
    fprintf(f, "\ncords:\n");
    for (int i = 0; i < g->ncord; i++) {
        const gcord *c = &g->cord[i];
        fprintf(f, "  %s:\n    path: [", c->name);
        for (int k = 0; k < c->nn; k++) fprintf(f, "%s%s", k ? ", " : "", g->node[c->node[k]].name);
        fprintf(f, "]\n    material: %s\n    area: %.6g m^2\n", a->mat_id[c->mat], c->area);
    }
    /* bag ties: the last ring closes onto the MTJ (epimysium continuing into the tendon) */
    for (int b = 0; b < g->nbag; b++) {
        const gbag *B = &g->bag[b];
        double area = a->st_thick[B->st] * 2.0 * 3.14159265358979323846 * B->radius / B->nu;
        for (int e = 0; e < 2; e++)
            for (int i = 0; i < B->nu; i++)
                fprintf(f, "  %s_%s%d:\n    nodes: [%s.%d.%d, %s]\n    material: %s\n    area: %.6g m^2\n", B->name,
                        e ? "tie" : "root", i, B->name, i, e ? B->nv - 1 : 0,
                        g->node[e ? g->mus[B->mus].n1 : g->mus[B->mus].n0].name, a->st_mat[B->st], area);
    }
    /* interfaces */
    fprintf(f, "\ninterfaces:\n");
    for (int k = 0; k < g->nmesh; k++) {
        const gmesh *M = &g->mesh[k];
        /* pairing tolerance: twice the layer (the substrate copy lies glide_h beneath) */
        fprintf(f, "  %s_glide:\n    between: {sheet: %s, substrate: %s_bone, tolerance: %.6g m}\n", M->name, M->name, M->name,
                2.0 * a->glide_h);
        fprintf(f, "    shear_modulus: %.6g Pa\n    thickness: %.6g m\n    viscosity: %.6g Pa s\n", a->glide_G, a->glide_h,
                a->glide_eta);
        fprintf(f, "    normal_stiffness: %.6g N/m   # E_inst A / glide_normal_h, A = %.6g m^2 per node\n",
                a->glide_Einst * M->area_node / a->glide_normal_h, M->area_node);
        fprintf(f, "    grade: %c\n    cite: ", a->glide_grade);
        yq(f, "data/anatomy/glide.csv");
        fputc('\n', f);
    }
    for (int i = 0; i < g->ngl; i++) {
        const gglide *q = &g->gl[i];
        fprintf(f, "  %s.glide:\n    pairs: [[%s, %s]]\n", g->node[q->sheet].name, g->node[q->sheet].name, g->node[q->sub].name);
        fprintf(f, "    shear_modulus: %.6g Pa\n    thickness: %.6g m\n    viscosity: %.6g Pa s\n", a->glide_G,
                a->track_glide_h, a->glide_eta);
        fprintf(f, "    normal_stiffness: %.6g N/m\n    area: %.6g m^2\n    normal: [%.6f, %.6f, %.6f]\n",
                a->glide_Einst * q->area / q->normal_h, q->area, q->n[0], q->n[1], q->n[2]);
        fprintf(f, "    grade: %c\n    cite: \"data/anatomy/glide.csv\"\n", a->glide_grade);
    }
    for (int i = 0; i < g->natt; i++) {
        const gattach *q = &g->att[i];
        fprintf(f, "  %s.attach:   # station attachment to its bone (isotropic: shear = normal stiffness)\n",
                g->node[q->node].name);
        fprintf(f, "    pairs: [[%s, %s]]\n", g->node[q->node].name, g->node[q->sub].name);
        double k = a->station_G * a->station_area / a->station_h;
        fprintf(f, "    shear_modulus: %.6g Pa\n    thickness: %.6g m\n    viscosity: %.6g Pa s\n", a->station_G,
                a->station_h, a->glide_eta);
        fprintf(f, "    normal_stiffness: %.6g N/m\n    area: %.6g m^2\n    normal: [%.6f, %.6f, %.6f]\n", k,
                a->station_area, q->n[0], q->n[1], q->n[2]);
        fprintf(f, "    grade: C\n    cite: \"data/anatomy/glide.csv station_G, station_h, station_area\"\n");
    }
    for (int b = 0; b < g->nbag; b++) {
        const gbag *B = &g->bag[b];
        fprintf(f, "  %s_glide:\n    between: {sheet: %s, substrate: %s_bone, tolerance: %.6g m}\n", B->name, B->name, B->name,
                2.0 * a->glide_h);
        /* the bag rides its muscle: between the bag and the bone lies the belly (depth = radius),
         * which gives the layer its thickness; the bone copy keeps the problem well-posed */
        fprintf(f, "    shear_modulus: %.6g Pa\n    thickness: %.6g m   # the belly beneath: bag radius\n"
                   "    viscosity: %.6g Pa s\n", a->glide_G, B->radius, a->glide_eta);
        fprintf(f, "    normal_stiffness: %.6g N/m   # E_inst A / radius, A = %.6g m^2 per node\n",
                a->glide_Einst * B->area_node / B->radius, B->area_node);
        fprintf(f, "    grade: %c\n    cite: \"data/anatomy/glide.csv\"\n", a->glide_grade);
    }
    for (int q = 0; q < g->njoin; q++) {
        const gjoin *J = &g->join[q];
        const gbag *B = &g->bag[J->bag];
        fprintf(f, "  %s:   # loose layer between neighbours (bags.csv join_m %.3g m)\n    pairs: [", J->name, B->join);
        for (int k = 0; k < J->np; k++)
            fprintf(f, "%s[%s.%d.%d, %s.%d.%d]", k ? ", " : "", B->name, J->pair[4 * k], J->pair[4 * k + 1], J->target,
                    J->pair[4 * k + 2], J->pair[4 * k + 3]);
        fprintf(f, "]\n    shear_modulus: %.6g Pa\n    thickness: %.6g m   # mean distance of the paired nodes\n"
                   "    viscosity: %.6g Pa s\n", a->glide_G, J->gap, a->glide_eta);
        fprintf(f, "    normal_stiffness: %.6g N/m   # E_inst A / thickness, A = %.6g m^2\n",
                a->glide_Einst * B->area_node / J->gap, B->area_node);
        fprintf(f, "    grade: C\n    cite: \"data/anatomy/glide.csv glide_G, glide_h; bags.csv join_m\"\n");
    }
    /* muscles */
    fprintf(f, "\nmuscles:\n");
    for (int i = 0; i < g->nmus; i++) {
        const gmuscle *m = &g->mus[i];
        fprintf(f, "  %s:   # OpenSim %s fibres; tendon = cord %s_tendon\n", m->name, m->osim, m->name);
        fprintf(f, "    nodes: [%s, %s]\n    fmax: %.6g N\n    optimal_length: %.6g m\n    vmax: %.6g 1/s\n",
                g->node[m->n0].name, g->node[m->n1].name, m->fmax, m->lopt, a->muscle_vmax);
    }
    /* lines */
    fprintf(f, "\nlines:\n");
    for (int i = 0; i < g->nline; i++) {
        const gset *L = &g->line[i];
        int li = -1;
        for (int q = 0; q < a->nline; q++)
            if (!strncmp(L->name, a->line_id[q], strlen(a->line_id[q])) && L->name[strlen(a->line_id[q])] == '_') li = q;
        if (li >= 0) fprintf(f, "  # %s: %s; %s\n", a->line_title[li], a->line_evidence[li], a->line_cite[li]);
        fprintf(f, "  %s:\n    grade: %c\n    elements: [", L->name, L->grade);
        for (int k = 0; k < L->nel; k++) fprintf(f, "%s%s", k ? ", " : "", L->el[k]);
        fprintf(f, "]\n");
    }
    /* regions */
    fprintf(f, "\nregions:\n");
    for (int i = 0; i < g->nreg; i++) {
        const gset *R = &g->reg[i];
        fprintf(f, "  %s: [", R->name);
        for (int k = 0; k < R->nel; k++) fprintf(f, "%s%s", k ? ", " : "", R->el[k]);
        fprintf(f, "]\n");
    }
}

static void gen_free(gen *g)
{
    for (int i = 0; i < g->ncord; i++) free(g->cord[i].node);
    for (int i = 0; i < g->ntrk; i++) free(g->trk[i].node);
    for (int i = 0; i < g->nline; i++) free(g->line[i].el);
    for (int i = 0; i < g->nreg; i++) free(g->reg[i].el);
    free(g->node);
    free(g->cord);
    free(g->mus);
    free(g->gl);
    free(g->att);
    free(g->mesh);
    for (int i = 0; i < g->njoin; i++) free(g->join[i].pair);
    free(g->join);
    free(g->bag);
    free(g->trk);
    free(g->line);
    free(g->reg);
    free(g->mat_used);
    fa_osim_pose_free(&g->ref);
}

fa_runner_def fa_runner_default_def(void)
{
    fa_runner_def d;
    d.reference = "standing";
    d.osim_label = NULL;
    d.bags = NULL;
    return d;
}

fa_status fa_runner_write(const fa_anatomy *a, const fa_osim *osim, const fa_runner_def *def, FILE *f, fa_error *err)
{
    fa_runner_def dd = fa_runner_default_def();
    if (!def) def = &dd;
    gen g;
    memset(&g, 0, sizeof g);
    g.a = a;
    g.o = osim;
    g.bags = def->bags;
    g.err = err;
    g.pa_E = NAN;
    g.mat_used = (int *)calloc((size_t)(a->nmat ? a->nmat : 1), sizeof(int));
    if (!g.mat_used) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "out of memory");
    fa_status st = fa_osim_pose_init(osim, &g.ref, err);
    if (!st) st = fa_anatomy_posture(a, osim, def->reference, &g.ref, err);
    if (!st) st = build(&g);
    if (!st) st = free_stations(&g);
    if (!st) st = build_bags(&g);
    if (!st) write_yaml(&g, f, def);
    gen_free(&g);
    if (!st && ferror(f)) st = fa_error_set(err, FA_ERR_IO, NULL, 0, 0, "write error");
    return st;
}
