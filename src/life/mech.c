/* SPDX-License-Identifier: MIT */
/* The runner's mechanics caches.
 *
 * A posture entry is one relaxed static equilibrium (fa_solve_static, h <= 0)
 * with the skeleton in that posture, started from the reference node
 * positions, so it is a pure function of (posture, tissue state). A gait
 * entry replays one stride of the provider's motion: frame 0 from the
 * reference positions, each later frame from the previous equilibrium
 * (quasi-static: fascial node masses are grams and the stride period ~0.7 s,
 * so inertia is neglected; docs/running.md). Per element it keeps the peak
 * and mean strain, the peak strain rate (finite differences between frames),
 * the peak/mean stress and tension, the elastic energy stored and returned
 * (max - min over the stride) and, for interfaces, the sliding amplitude and
 * peak velocity of the sheet node relative to its substrate, measured in the
 * substrate's body frame so rigid body motion is not counted as sliding.
 *
 * Every solve runs on a scratch fa_data (L->md) into which the person's
 * tissue state is copied first (rest lengths without their acute part:
 * fa_life_rest_solved), and every solve records each element's held strain
 * for the physiology (a cord of a slack chain: the chain's; chain_init), with a fresh CHOLMOD factorisation per
 * Newton system (FA_LIN_CHOLMOD), so a solve never depends on the history
 * of earlier solves: resumed runs re-solve bit-identically.
 *
 * An entry is stale when, for any element, the stiffness factor
 * (fa_tissue_scale; for interfaces plus the adhesion stiffness relative to
 * the loose layer's G A / h) changed by more than def.mech_tol relative to
 * its value at the solve, or the rest-length scale changed by more than
 * def.mech_tol times the element's strain in that solve (a rest-length
 * change dr/r moves the strain by about -dr/r, so a 1 % drift of a tissue
 * strained 1.5 % would be a 67 % change of its strain; the strain is
 * floored at LP(EPS_FLOOR) for unstrained elements). The actual test is the
 * energy-weighted mean of these terms (fa_life_mech_drift; the largest with
 * def.drift_max).
 *
 * Kept solutions: an entry keeps up to def.mech_slots - 1 earlier solutions
 * (alternates) with the tissue state they were solved in. A stale entry is
 * re-solved from the equilibria of the solution (current or kept) whose
 * state is nearest today's by the same drift measure - a runner's week
 * repeats, so that is often last week's same weekday - and the stale one is
 * kept in place of the least recently used. With def.recall_tol > 0 the
 * nearest kept solution is used without a re-solve when within that drift
 * (biased on trending states: docs/running.md). Solves end at the solver's
 * error estimate def.mech_xtol (fa_static_def.xtol). Everything depends only
 * on the checkpointed state, so resumed runs stay bit-identical. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "life/internal.h"
#include "life/stimparams.h"

double fa_life_kfactor(const fa_model *m, const fa_data *d, int e)
{
    double k = fa_tissue_scale(m, d, e);
    int i;
    if (fa_elem_kind(m, e, &i) == FA_INTERFACE) {
        double k0 = m->intf_G[i] * m->intf_area[i] / (m->intf_h[i] > 0.0 ? m->intf_h[i] : 1.0);
        if (k0 > 0.0) k += d->intf_adh[i] / k0;
    }
    return k;
}

void fa_life_mech_free(fa_life_mech *c)
{
#define FREE_(name, doc) \
    free(c->name);       \
    c->name = NULL;
    FA_LIFE_MECH_ARRAYS(FREE_)
#undef FREE_
    free(c->xw);
    c->xw = NULL;
    c->nxw = 0;
    if (c->alt) {
        for (int j = 0; j < c->nalt; j++) fa_life_mech_free(&c->alt[j]);
        free(c->alt);
    }
    c->alt = NULL;
    c->nalt = 0;
}

/* Exchange the solutions (solve day, frames, equilibria, per-element
 * results, tissue reference) of a and b; kind, name, speed, valid and the
 * alternates stay. */
static void swap_i(int *a, int *b)
{
    int t = *a;
    *a = *b;
    *b = t;
}

static void swap_p(double **a, double **b)
{
    double *t = *a;
    *a = *b;
    *b = t;
}

void fa_life_mech_swap(fa_life_mech *a, fa_life_mech *b)
{
    double t = a->dt_frame;
    a->dt_frame = b->dt_frame;
    b->dt_frame = t;
    swap_i(&a->day, &b->day);
    swap_i(&a->nframe, &b->nframe);
    swap_i(&a->converged, &b->converged);
    swap_i(&a->nxw, &b->nxw);
    swap_i(&a->used, &b->used);
    swap_p(&a->xw, &b->xw);
#define SWAPA_(name, doc) swap_p(&a->name, &b->name);
    FA_LIFE_MECH_ARRAYS(SWAPA_)
#undef SWAPA_
}

int fa_life_mech_xw(const fa_model *m, fa_life_mech *c, int n)
{
    size_t sz = (size_t)(n > 0 ? n : 1) * 3 * (size_t)(m->nnode > 0 ? m->nnode : 1) * sizeof(double);
    double *p = (double *)realloc(c->xw, sz);
    if (!p) return -1;
    c->xw = p;
    return 0;
}

int fa_life_mech_alloc(const fa_model *m, fa_life_mech *c)
{
    size_t sz = (size_t)(m->nelem > 0 ? m->nelem : 1) * sizeof(double);
#define ALLOC_(name, doc)                  \
    c->name = (double *)calloc(1, sz);     \
    if (!c->name) goto fail;
    FA_LIFE_MECH_ARRAYS(ALLOC_)
#undef ALLOC_
    c->xw = NULL;
    c->nxw = 0;
    return 0;
fail:
    fa_life_mech_free(c);
    return -1;
}

/* Initial guess of the solves: every free node follows one body rigidly,
 * the substrate's body for the sheet node of an interface, else the body of
 * the nearest anchored node (reference distance). Body frames are the world
 * frame at the reference pose, so the node's local position is node_pos0. */
static void chain_init(fa_life *L);

int fa_life_skin_init(fa_life *L)
{
    const fa_model *m = L->m;
    /* nnode skin bodies, then the cord chains: ncord chain ids, ncord + 1 offsets, ncord counts,
     * ncord members, nnode + ncord scratch (chain_init) */
    size_t n = (size_t)m->nnode + 5 * (size_t)m->ncord + 1 + (size_t)m->nnode;
    L->skin_body = (int *)malloc(n * sizeof(int));
    if (!L->skin_body) return -1;
    chain_init(L);
    for (int i = 0; i < m->nnode; i++) L->skin_body[i] = -1;
    for (int i = 0; i < m->nintf; i++) {
        int a = m->intf_node[2 * i], b = m->intf_node[2 * i + 1];
        if (m->node_body[a] == -1 && m->node_body[b] >= 0) L->skin_body[a] = m->node_body[b];
    }
    for (int i = 0; i < m->nnode; i++) {
        if (m->node_body[i] != -1 || L->skin_body[i] >= 0) continue;
        double best = INFINITY;
        for (int j = 0; j < m->nnode; j++) {
            if (m->node_body[j] < 0) continue;
            double w[3];
            fa_sub3(w, m->node_pos0 + 3 * i, m->node_pos0 + 3 * j);
            double d2 = fa_dot3(w, w);
            if (d2 < best) {
                best = d2;
                L->skin_body[i] = m->node_body[j];
            }
        }
    }
    return 0;
}

/* Cord chains. A free node joined to exactly two cords and to nothing else but loose-layer
 * interfaces passes a cord through (a tendon or band split into segments along its path); the
 * cords so joined form a chain, from bone, muscle or sheet to bone, muscle or sheet. When such a
 * chain is slack (its length below its rest length), its free nodes are held along it only by
 * the loose layer (G A / h ~ 0.5 N/m for a patellar tendon segment) against the segments'
 * myofibroblast tone differences, so how the slack is shared among the segments is not set by
 * the ends: the runner body's right patellar tendon in upright sitting read -11.4 % in its
 * tibial segment and 0 in the other two, and after a night's re-solve -0.1 % and -1.2 %
 * (measured). The physiology's held strain of a cord of a slack chain is therefore the chain's
 * strain, its length over its rest length (both set by its ends) minus one, the same for every
 * segment; a taut chain's segments carry one tension and read their own strains, as do cords
 * outside chains. Peaks stay the segments' own (the laws read only positive peaks). */
static void chain_init(fa_life *L)
{
    const fa_model *m = L->m;
    const int nn = m->nnode, nc = m->ncord;
    L->chain_of = L->skin_body + nn;
    L->chain_adr = L->chain_of + nc;
    L->chain_num = L->chain_adr + nc + 1;
    L->chain_cord = L->chain_num + nc;
    int *deg = L->chain_cord + nc; /* nnode: cords at the node, -1 when anything else but interfaces */
    L->nchain = 0;
    for (int i = 0; i < nn; i++) deg[i] = 0;
    for (int e = 0; e < m->nelem; e++) {
        int nd[3], k = fa_elem_nodes(m, e, nd), loc;
        fa_kind kind = fa_elem_kind(m, e, &loc);
        if (kind == FA_INTERFACE) continue;
        for (int j = 0; j < k; j++) deg[nd[j]] = (kind == FA_CORD && deg[nd[j]] >= 0) ? deg[nd[j]] + 1 : -1;
    }
    /* chain ids: walk from each unvisited cord to the chain's first cord, then along it */
    for (int e = 0; e < nc; e++) L->chain_of[e] = -2;
    for (int e0 = 0; e0 < nc; e0++) {
        if (L->chain_of[e0] != -2) continue;
        /* back to an end: across pass-through nodes */
        int e = e0, from = m->cord_node[2 * e0 + 1], steps = 0;
        for (;;) {
            int nd = m->cord_node[2 * e] == from ? m->cord_node[2 * e + 1] : m->cord_node[2 * e];
            if (m->node_body[nd] != -1 || deg[nd] != 2 || ++steps > nc) break;
            int nx = -1;
            for (int f = 0; f < nc && nx < 0; f++)
                if (f != e && (m->cord_node[2 * f] == nd || m->cord_node[2 * f + 1] == nd)) nx = f;
            if (nx < 0 || nx == e0) break;
            from = nd;
            e = nx;
        }
        /* forward from that end */
        int start = L->nchain > 0 ? L->chain_adr[L->nchain - 1] + L->chain_num[L->nchain - 1] : 0, cnt = 0;
        int back = m->cord_node[2 * e] == from ? m->cord_node[2 * e + 1] : m->cord_node[2 * e];
        from = back; /* the end node: the chain runs away from it */
        for (;;) {
            if (L->chain_of[e] != -2) break;
            L->chain_of[e] = L->nchain;
            L->chain_cord[start + cnt++] = e;
            int nd = m->cord_node[2 * e] == from ? m->cord_node[2 * e + 1] : m->cord_node[2 * e];
            if (m->node_body[nd] != -1 || deg[nd] != 2) break;
            int nx = -1;
            for (int f = 0; f < nc && nx < 0; f++)
                if (f != e && (m->cord_node[2 * f] == nd || m->cord_node[2 * f + 1] == nd)) nx = f;
            if (nx < 0) break;
            from = nd;
            e = nx;
        }
        if (cnt >= 2) {
            L->chain_adr[L->nchain] = start;
            L->chain_num[L->nchain] = cnt;
            L->nchain++;
        } else {
            for (int i = 0; i < cnt; i++) L->chain_of[L->chain_cord[start + i]] = -1;
        }
    }
    for (int e = 0; e < nc; e++)
        if (L->chain_of[e] < 0) L->chain_of[e] = -1;
}

/* The held strain of every element in the scratch data's solve (chain_init): into held. */
static void held_strain(const fa_life *L, double *held)
{
    const fa_model *m = L->m;
    const fa_data *md = L->md;
    for (int e = 0; e < m->nelem; e++) held[e] = md->elem_strain[e];
    for (int c = 0; c < L->nchain; c++) {
        const int *el = L->chain_cord + L->chain_adr[c];
        double lr = 0.0, l = 0.0;
        for (int i = 0; i < L->chain_num[c]; i++) {
            int e = el[i];
            double r = m->cord_L0[e] * md->tis_rest[e];
            lr += r;
            l += (1.0 + md->elem_strain[e]) * r;
        }
        double eps = lr > 0.0 ? l / lr - 1.0 : 0.0;
        if (eps < 0.0)
            for (int i = 0; i < L->chain_num[c]; i++) held[el[i]] = eps;
    }
}

/* Move the free nodes with the bodies they follow (initial guess). */
static void skin(fa_life *L)
{
    const fa_model *m = L->m;
    fa_data *md = L->md;
    for (int i = 0; i < m->nnode; i++) {
        int b = L->skin_body[i];
        if (m->node_body[i] != -1 || b < 0 || b >= m->nbody) continue;
        const double *R = md->body_xmat + 9 * b, *p = md->body_xpos + 3 * b, *x0 = m->node_pos0 + 3 * i;
        for (int k = 0; k < 3; k++) md->x[3 * i + k] = p[k] + R[3 * k] * x0[0] + R[3 * k + 1] * x0[1] + R[3 * k + 2] * x0[2];
    }
}

/* Carry the free nodes along with the bodies they follow, from the body
 * poses (R0, p0) to the current ones: x <- p + R R0^T (x - p0). */
static void carry(fa_life *L, const double *R0all, const double *p0all)
{
    const fa_model *m = L->m;
    fa_data *md = L->md;
    for (int i = 0; i < m->nnode; i++) {
        int b = L->skin_body[i];
        if (m->node_body[i] != -1 || b < 0 || b >= m->nbody) continue;
        const double *R = md->body_xmat + 9 * b, *p = md->body_xpos + 3 * b, *R0 = R0all + 9 * b, *p0 = p0all + 3 * b;
        double w[3], u[3], *x = md->x + 3 * i;
        fa_sub3(w, x, p0);
        for (int k = 0; k < 3; k++) u[k] = R0[k] * w[0] + R0[3 + k] * w[1] + R0[6 + k] * w[2]; /* R0^T w */
        for (int k = 0; k < 3; k++) x[k] = p[k] + R[3 * k] * u[0] + R[3 * k + 1] * u[1] + R[3 * k + 2] * u[2];
    }
}

/* The rest-length scale the cached solves see: a cord's or membrane's ingrained length,
 * 1 + remodel.rs, without the acute part remodel.rf. The acute part is the tissue's creep
 * under the activity it is in (src/physio/remodel.c: it settles within rem.tau_rf_on = 1 min
 * of a posture or walk to rem.k_rf x that activity's held strain above the habitual mean, and
 * is gone rem.tau_rf_off = 10 min after; Behm 2016: acute stretch gains last < 30 min), so the
 * value it has when a cache entry happens to be re-solved (midnight, after hours of standing
 * or sleep) says nothing about the walks or sittings that entry stands for during the day.
 * Solved with it, every stride re-solve after the first night read the walking peak strains of
 * the runner body's ligaments and tendons by up to 15 % off their habitual values (measured:
 * with the day-0 rest lengths restored, within 0.8 %), which remodel's strain exponent
 * (rem.m = 8) turned into chronic loads of 0.05 to 2.2 and collagen quality changes of -36 to
 * +16 % in 28 habitual days. The habitual day is solved the same way (rf = 0), so the set
 * points and the life agree. The acute part stays in the person's state for what reads it
 * directly (the clinical tests right after a stretch). Muscles: their scale is the serial
 * sarcomere set point, kept whole. */
double fa_life_rest_solved(const fa_model *m, const fa_data *d, const double *rf, int e)
{
    double r = d->tis_rest[e];
    if (rf && e < m->ncord + m->nmem) r -= rf[e];
    return r;
}

const double *fa_life_rest_fast(const fa_model *m, const fa_data *d)
{
    return fa_physio_state_const(m, d, "remodel.rf");
}

/* Copy the person's tissue state into the scratch data and put the nodes
 * at their reference positions. */
static void scratch_begin(fa_life *L)
{
    const fa_model *m = L->m;
    fa_data *md = L->md;
    size_t ne = (size_t)m->nelem * sizeof(double), ni = (size_t)m->nintf * sizeof(double);
    if (m->nelem > 0) {
        memcpy(md->tis_hyd, L->d->tis_hyd, ne);
        memcpy(md->tis_dens, L->d->tis_dens, ne);
        memcpy(md->tis_xlink, L->d->tis_xlink, ne);
        memcpy(md->tis_thick, L->d->tis_thick, ne);
        const double *rf = fa_life_rest_fast(m, L->d);
        for (int e = 0; e < m->nelem; e++) md->tis_rest[e] = fa_life_rest_solved(m, L->d, rf, e);
        memcpy(md->tis_tone, L->d->tis_tone, ne);
        memcpy(md->tis_damage, L->d->tis_damage, ne);
        memcpy(md->tis_temp, L->d->tis_temp, ne);
    }
    if (m->nintf > 0) {
        memcpy(md->intf_visc, L->d->intf_visc, ni);
        memcpy(md->intf_adh, L->d->intf_adh, ni);
        memcpy(md->intf_slide, L->d->intf_slide, 3 * ni);
    }
    if (m->nnode > 0) {
        memcpy(md->x, m->node_pos0, 3 * (size_t)m->nnode * sizeof(double));
        memset(md->v, 0, 3 * (size_t)m->nnode * sizeof(double));
        memset(md->f_ext, 0, 3 * (size_t)m->nnode * sizeof(double));
    }
    if (m->nvisc > 0) memset(md->visc, 0, (size_t)m->nvisc * sizeof(double));
    if (m->nmuscle > 0) memset(md->muscle_act, 0, (size_t)m->nmuscle * sizeof(double));
    for (int b = 0; b < m->nbody; b++) {
        for (int k = 0; k < 3; k++) md->body_xpos[3 * b + k] = 0.0;
        for (int k = 0; k < 9; k++) md->body_xmat[9 * b + k] = (k % 4 == 0) ? 1.0 : 0.0;
    }
    md->time = 0.0;
}

/* Static equilibrium of the scratch data at its current body poses. The
 * initial guess of the free nodes: guess (nnode x 3) when given, else the
 * skinning guess when skin_guess, else the current md->x. */
static fa_status solve(fa_life *L, const double *guess, int skin_guess, int *rejected, int *converged, fa_error *err)
{
    fa_static_def sd = fa_default_static_def();
    sd.lazy_tangent = 1; /* full steps that the last one says will fail are tried force-only
                            (docs/solvers.md): same iterates */
    sd.first_rejected = rejected ? *rejected : 0;
    sd.linsolver = FA_LIN_CHOLMOD;
    sd.xtol = L->def.mech_xtol > 0.0 ? L->def.mech_xtol : 0.0;
    sd.chord = 8; /* the estimate's corrections as chord steps in the linearly converging tails of
                     the stride frames (docs/solvers.md): same stopping rule, ~20 % fewer
                     factorisations */
    fa_static_report rep;
    fa_kinematics_anchor(L->m, L->md);
    if (guess) {
        for (int i = 0; i < L->m->nnode; i++)
            if (L->m->node_body[i] == -1) memcpy(L->md->x + 3 * i, guess + 3 * i, 3 * sizeof(double));
    } else if (skin_guess) {
        skin(L);
    }
    fa_error e2;
    memset(&rep, 0, sizeof rep);
    fa_status st = fa_solve_static(L->m, L->md, &sd, &rep, &e2);
    L->stats.newton_iterations += rep.iterations;
    if (rejected) *rejected = rep.first_rejected;

    L->stats.factorizations += rep.factorizations;
    if (st == FA_ERR_NOCONV) {
        *converged = 0;
        L->stats.mech_failures++;
        return FA_OK; /* last iterate kept, counted */
    }
    if (st != FA_OK) {
        if (err) *err = e2;
        return st;
    }
    return FA_OK;
}

/* Relative sheet-over-substrate offset of interface i, in the substrate
 * body's frame when the substrate is anchored to a body. */
static void intf_offset(const fa_model *m, const fa_data *d, int i, double r[3])
{
    int a = m->intf_node[2 * i], b = m->intf_node[2 * i + 1];
    double w[3];
    fa_sub3(w, d->x + 3 * a, d->x + 3 * b);
    int body = m->node_body[b];
    if (body >= 0 && body < m->nbody) {
        const double *R = d->body_xmat + 9 * body;
        for (int k = 0; k < 3; k++) r[k] = R[k] * w[0] + R[3 + k] * w[1] + R[6 + k] * w[2]; /* R^T w */
    } else {
        r[0] = w[0];
        r[1] = w[1];
        r[2] = w[2];
    }
}

static void record_tissue_ref(fa_life *L, fa_life_mech *c)
{
    const double *rf = fa_life_rest_fast(L->m, L->d);
    for (int e = 0; e < L->m->nelem; e++) {
        c->ref_k[e] = fa_life_kfactor(L->m, L->d, e);
        c->ref_rest[e] = fa_life_rest_solved(L->m, L->d, rf, e);
    }
}

static fa_status solve_posture(fa_life *L, fa_life_mech *c, fa_error *err)
{
    const fa_model *m = L->m;
    fa_data *md = L->md;
    scratch_begin(L);
    fa_status st = L->def.kin.posture(L->def.kin.user, m, md, c->name, err);
    if (st) return st;
    c->converged = 1;
    st = solve(L, c->nxw >= 1 ? c->xw : NULL, 1, NULL, &c->converged, err);
    if (st) return st;
    if (fa_life_mech_xw(m, c, 1)) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "mechanics cache");
    memcpy(c->xw, md->x, 3 * (size_t)m->nnode * sizeof(double));
    c->nxw = 1;
    for (int e = 0; e < m->nelem; e++) {
        c->strain_mean[e] = c->strain_peak[e] = md->elem_strain[e];
        c->strain_rate[e] = 0.0;
        c->stress_mean[e] = c->stress_peak[e] = md->elem_stress[e];
        c->force_peak[e] = md->elem_force[e];
        c->energy[e] = md->elem_energy[e];
        c->slide_amp[e] = c->slide_vel[e] = 0.0;
    }
    held_strain(L, c->strain_held);
    c->nframe = 1;
    c->dt_frame = 0.0;
    L->stats.posture_solves++;
    return FA_OK;
}

static fa_status solve_gait(fa_life *L, fa_life_mech *c, fa_error *err)
{
    const fa_model *m = L->m;
    fa_data *md = L->md;
    int nf = 0;
    double dt = 0.0;
    fa_status st = L->def.kin.gait(L->def.kin.user, m, c->name, c->speed, &nf, &dt, err);
    if (st) return st;
    if (nf < 2 || !(dt > 0.0))
        return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                            "gait '%s': expected at least 2 frames and a positive frame spacing, found %d frames, %g s",
                            c->name, nf, dt);
    /* frames replayed: every `stride`-th of the provider's */
    int step = 1;
    if (L->def.stride_frames > 1 && nf > L->def.stride_frames) step = (nf + L->def.stride_frames - 1) / L->def.stride_frames;
    size_t mark = fa_arena_mark(md);
    double *prev = (double *)fa_arena_alloc(md, (size_t)m->nelem * sizeof(double));
    double *emin = (double *)fa_arena_alloc(md, (size_t)m->nelem * sizeof(double));
    double *emax = (double *)fa_arena_alloc(md, (size_t)m->nelem * sizeof(double));
    double *omin = (double *)fa_arena_alloc(md, 3 * (size_t)(m->nintf > 0 ? m->nintf : 1) * sizeof(double));
    double *omax = (double *)fa_arena_alloc(md, 3 * (size_t)(m->nintf > 0 ? m->nintf : 1) * sizeof(double));
    double *oprev = (double *)fa_arena_alloc(md, 3 * (size_t)(m->nintf > 0 ? m->nintf : 1) * sizeof(double));
    double *Rb = (double *)fa_arena_alloc(md, 9 * (size_t)(m->nbody > 0 ? m->nbody : 1) * sizeof(double));
    double *pb = (double *)fa_arena_alloc(md, 3 * (size_t)(m->nbody > 0 ? m->nbody : 1) * sizeof(double));
    double *held = (double *)fa_arena_alloc(md, (size_t)m->nelem * sizeof(double));
    if (!prev || !emin || !emax || !omin || !omax || !oprev || !Rb || !pb || !held) {
        fa_arena_release(md, mark);
        return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "stride replay: arena too small for %d elements", m->nelem);
    }
    /* initial guesses: each frame's equilibrium of the last replay when there
     * is one (same poses, slightly different tissue), else the previous
     * frame's equilibrium carried along with the bones */
    const int nuse = (nf + step - 1) / step;
    const size_t n3 = 3 * (size_t)m->nnode;
    const int reuse = c->nxw == nuse;
    /* the band over the impingement zone: knee angles, ITB tension and strain per frame */
    const int nb = L->itb_n;
    double *zang = (double *)malloc((size_t)nuse * (5 + 2 * (size_t)nb) * sizeof(double));
    if (!zang) {
        fa_arena_release(md, mark);
        return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "stride replay: the band's frames");
    }
    double *zfrac = zang + 2 * (size_t)nuse, *zT = zfrac + 3 * (size_t)nuse, *zE = zT + (size_t)nuse * nb;
    if (!reuse) {
        c->nxw = 0;
        if (fa_life_mech_xw(m, c, nuse)) {
            fa_arena_release(md, mark);
            free(zang);
            return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "mechanics cache");
        }
    }
    scratch_begin(L);
    c->converged = 1;
    int used = 0;
    int rejected = 0; /* the previous frame's first full Newton step was rejected */
    const int e0i = m->ncord + m->nmem;
    for (int f = 0; f < nf; f += step, used++) {
        if (used > 0) {
            memcpy(Rb, md->body_xmat, 9 * (size_t)m->nbody * sizeof(double));
            memcpy(pb, md->body_xpos, 3 * (size_t)m->nbody * sizeof(double));
        }
        st = L->def.kin.gait_pose(L->def.kin.user, m, md, c->name, c->speed, f, err);
        if (!st && used > 0 && !reuse) carry(L, Rb, pb); /* previous equilibrium moved with the bones */
        if (!st) st = solve(L, reuse ? c->xw + (size_t)used * n3 : NULL, used == 0, &rejected, &c->converged, err);
        if (!st) memcpy(c->xw + (size_t)used * n3, md->x, n3 * sizeof(double));
        if (st) {
            fa_arena_release(md, mark);
            free(zang);
            return st;
        }
        double h = dt * step;
        held_strain(L, held);
        for (int e = 0; e < m->nelem; e++) {
            double s = md->elem_strain[e], sig = md->elem_stress[e], en = md->elem_energy[e];
            if (used == 0) {
                c->strain_peak[e] = s;
                c->strain_mean[e] = 0.0;
                c->strain_held[e] = 0.0;
                c->strain_rate[e] = 0.0;
                c->stress_peak[e] = sig;
                c->stress_mean[e] = 0.0;
                c->force_peak[e] = md->elem_force[e];
                emin[e] = emax[e] = en;
            } else {
                double r = fabs(s - prev[e]) / h;
                if (r > c->strain_rate[e]) c->strain_rate[e] = r;
                if (s > c->strain_peak[e]) c->strain_peak[e] = s;
                if (sig > c->stress_peak[e]) c->stress_peak[e] = sig;
                if (md->elem_force[e] > c->force_peak[e]) c->force_peak[e] = md->elem_force[e];
                if (en < emin[e]) emin[e] = en;
                if (en > emax[e]) emax[e] = en;
            }
            c->strain_mean[e] += s;
            c->strain_held[e] += held[e];
            c->stress_mean[e] += sig;
            prev[e] = s;
        }
        fa_life_knee_angles(m, md, zang + 2 * (size_t)used);
        for (int i = 0; i < nb; i++) {
            zT[(size_t)used * nb + i] = md->elem_force[L->itb_elem[i]];
            zE[(size_t)used * nb + i] = md->elem_strain[L->itb_elem[i]];
        }
        for (int i = 0; i < m->nintf; i++) {
            double r[3];
            intf_offset(m, md, i, r);
            int e = e0i + i;
            if (used == 0) {
                for (int k = 0; k < 3; k++) omin[3 * i + k] = omax[3 * i + k] = r[k];
                c->slide_vel[e] = 0.0;
            } else {
                double dv[3];
                for (int k = 0; k < 3; k++) {
                    if (r[k] < omin[3 * i + k]) omin[3 * i + k] = r[k];
                    if (r[k] > omax[3 * i + k]) omax[3 * i + k] = r[k];
                    dv[k] = r[k] - oprev[3 * i + k];
                }
                double v = sqrt(fa_dot3(dv, dv)) / h;
                if (v > c->slide_vel[e]) c->slide_vel[e] = v;
            }
            for (int k = 0; k < 3; k++) oprev[3 * i + k] = r[k];
        }
    }
    for (int e = 0; e < m->nelem; e++) {
        c->strain_mean[e] /= used;
        c->strain_held[e] /= used;
        c->stress_mean[e] /= used;
        c->energy[e] = emax[e] - emin[e];
        c->slide_amp[e] = 0.0;
    }
    for (int i = 0; i < m->nintf; i++) {
        double w[3];
        fa_sub3(w, omax + 3 * i, omin + 3 * i);
        c->slide_amp[e0i + i] = sqrt(fa_dot3(w, w));
    }
    fa_life_zone_record(L, c, zang, zT, zE, zfrac, used);
    free(zang);
    fa_arena_release(md, mark);
    c->nxw = used;
    c->nframe = used;
    c->dt_frame = dt * step;
    L->stats.stride_solves++;
    return FA_OK;
}

/* Drift of the tissue state since the solve of entry c, as felt by that
 * posture or stride: the energy-weighted mean over elements of
 *   max(|k - k0|/k0, |r - r0|/(r0 max(|eps|, eps_floor)))
 * (k the stiffness factor, r the rest-length scale, eps the element's strain
 * in the solve, w its stored energy, floored at 1e-12 J x its share so that
 * unloaded elements count little). With def.drift_max the largest term
 * instead of the mean. With def.drift_yield > 0, the result is at least the
 * largest term among cords and membranes whose peak strain in the solve
 * reached drift_yield (damaging strains: their own drift decides). */
/* kf: today's stiffness factors of every element (fa_life_kfactor), or NULL
 * to compute them here */
static double drift_kf(const fa_life *L, const fa_life_mech *c, const double *kf)
{
    double num = 0.0, den = 0.0, mx = 0.0, ymx = 0.0;
    const double ythr = L->def.drift_yield;
    const int ntis = L->m->ncord + L->m->nmem;
    const double *rf = fa_life_rest_fast(L->m, L->d);
    for (int e = 0; e < L->m->nelem; e++) {
        double k = kf ? kf[e] : fa_life_kfactor(L->m, L->d, e), k0 = c->ref_k[e];
        double dk = k0 != 0.0 ? fabs(k - k0) / fabs(k0) : fabs(k - k0);
        double eps = fmax(fmax(fabs(c->strain_peak[e]), fabs(c->strain_mean[e])), LP(EPS_FLOOR));
        double dr = fabs(fa_life_rest_solved(L->m, L->d, rf, e) - c->ref_rest[e]) / (fabs(c->ref_rest[e]) * eps);
        double x = fmax(dk, dr), w = fabs(c->energy[e]) + 1e-12;
        num += w * x;
        den += w;
        if (x > mx) mx = x;
        if (ythr > 0.0 && e < ntis && c->strain_peak[e] >= ythr && x > ymx) ymx = x;
    }
    if (L->def.drift_max) return mx;
    double mean = den > 0.0 ? num / den : 0.0;
    return ymx > mean ? ymx : mean;
}

double fa_life_mech_drift(const fa_life *L, const fa_life_mech *c) { return drift_kf(L, c, NULL); }

/* Today's stiffness factors of every element in arena scratch (NULL when the
 * arena is full: the drift then computes them itself). The drifts of all
 * entries and kept solutions share them. */
static double *kfactors(fa_life *L)
{
    double *kf = (double *)fa_arena_alloc(L->d, (size_t)(L->m->nelem > 0 ? L->m->nelem : 1) * sizeof(double));
    if (kf)
        for (int e = 0; e < L->m->nelem; e++) kf[e] = fa_life_kfactor(L->m, L->d, e);
    return kf;
}

void fa_life_mech_check(fa_life *L)
{
    size_t mark = fa_arena_mark(L->d);
    const double *kf = L->def.resolve_daily ? NULL : kfactors(L);
    for (int i = 0; i < L->nmech; i++) {
        fa_life_mech *c = &L->mech[i];
        if (!c->valid) continue;
        if (L->def.resolve_daily || drift_kf(L, c, kf) > L->def.mech_tol) c->valid = 0;
    }
    fa_arena_release(L->d, mark);
}

/* A stale entry c (it holds a solution) with up to slots - 1 alternates:
 * when an alternate's tissue state is within def.recall_tol of the current
 * one (the nearest; ties: the current solution, then the lower index), make
 * it current and return 1. Else keep the current solution as an alternate
 * (a new one while fewer than slots - 1 are kept, else in place of the
 * least recently used one that is not the nearest), put the nearest
 * solution's equilibria in c->xw as the re-solve's initial guesses and
 * return 0. -1: out of memory. */
static int recall(fa_life *L, fa_life_mech *c, int slots)
{
    const fa_model *m = L->m;
    int best = -1;
    size_t mark = fa_arena_mark(L->d);
    const double *kf = kfactors(L);
    double bd = drift_kf(L, c, kf);
    for (int j = 0; j < c->nalt; j++) {
        double dj = drift_kf(L, &c->alt[j], kf);
        if (dj < bd) {
            bd = dj;
            best = j;
        }
    }
    fa_arena_release(L->d, mark);
    if (best >= 0 && L->def.recall_tol > 0.0 && !(bd > L->def.recall_tol)) {
        fa_life_mech_swap(c, &c->alt[best]);
        return 1;
    }
    int v;
    if (c->nalt < slots - 1) {
        if (!c->alt) {
            c->alt = (fa_life_mech *)calloc(FA_LIFE_MAXSLOT, sizeof *c->alt);
            if (!c->alt) return -1;
        }
        v = c->nalt;
        memset(&c->alt[v], 0, sizeof c->alt[v]);
        if (fa_life_mech_alloc(m, &c->alt[v])) return -1;
        c->nalt++;
    } else {
        v = -1;
        for (int j = 0; j < c->nalt; j++)
            if (j != best && (v < 0 || c->alt[j].used < c->alt[v].used)) v = j;
    }
    /* the stale solution is kept as alternate v (with a single alternate
     * that is the nearest, v < 0: the stale solution is dropped) */
    if (v >= 0) fa_life_mech_swap(c, &c->alt[v]);
    const fa_life_mech *g = best >= 0 ? &c->alt[best] : &c->alt[v];
    if (g->nxw > 0) {
        if (fa_life_mech_xw(m, c, g->nxw)) return -1;
        memcpy(c->xw, g->xw, (size_t)g->nxw * 3 * (size_t)m->nnode * sizeof(double));
    }
    c->nxw = g->nxw;
    return 0;
}

fa_status fa_life_mech_get(fa_life *L, int kind, const char *name, double speed, fa_life_mech **out, fa_error *err)
{
    *out = NULL;
    if (!name || !*name) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "expected a posture or motion name, found none");
    if (strlen(name) >= sizeof L->mech[0].name)
        return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0, "posture/motion name '%s' is too long", name);
    if (kind == 1 && L->def.kin.speed_free) {
        speed = 0.0; /* one stride for every speed */
    } else if (kind == 1) {
        double b = L->def.speed_bin > 0.0 ? L->def.speed_bin : 0.1;
        speed = b * floor(speed / b + 0.5);
        if (speed < b) speed = b;
    } else {
        speed = 0.0;
    }
    fa_life_mech *c = NULL;
    for (int i = 0; i < L->nmech; i++)
        if (L->mech[i].kind == kind && L->mech[i].speed == speed && !strcmp(L->mech[i].name, name)) c = &L->mech[i];
    if (!c) {
        if (L->nmech >= FA_LIFE_MAXMECH)
            return fa_error_set(err, FA_ERR_RANGE, NULL, 0, 0,
                                "expected at most %d distinct postures and gait speeds, found more (at '%s')",
                                FA_LIFE_MAXMECH, name);
        c = &L->mech[L->nmech];
        memset(c, 0, sizeof *c);
        if (fa_life_mech_alloc(L->m, c)) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "mechanics cache");
        c->kind = kind;
        snprintf(c->name, sizeof c->name, "%s", name);
        c->speed = speed;
        L->nmech++;
    }
    if (!c->valid) {
        int slots = L->def.resolve_daily ? 1 : L->def.mech_slots;
        if (slots > FA_LIFE_MAXSLOT) slots = FA_LIFE_MAXSLOT;
        if (slots > 1 && c->nxw > 0) {
            int r = recall(L, c, slots);
            if (r < 0) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "mechanics cache");
            if (r == 1) {
                c->valid = 1;
                c->used = L->day;
                L->stats.cache_hits++;
                L->stats.cache_recalls++;
                *out = c;
                return FA_OK;
            }
        }
        fa_status st = kind == 1 ? solve_gait(L, c, err) : solve_posture(L, c, err);
        if (st) return st;
        record_tissue_ref(L, c);
        c->valid = 1;
        c->day = L->day;
        c->used = L->day;
    } else {
        L->stats.cache_hits++;
    }
    *out = c;
    return FA_OK;
}
