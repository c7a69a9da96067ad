/* SPDX-License-Identifier: MIT */
/* fascia — solvers: static equilibrium and implicit dynamics.
 *
 * Both drivers are Newton methods over the free nodes (node_body == -1);
 * anchored and ground-fixed nodes are Dirichlet conditions placed by
 * fa_kinematics_anchor() from the current body poses. Each Newton iteration
 * assembles forces and the tangent stiffness (fa_assemble, mechanics stage),
 * solves one sparse symmetric system over the free dofs and takes a
 * backtracking line search step. Linear solvers: CHOLMOD sparse LDL'
 * (symbolic analysis done once per fa_data and reused), the library's own
 * block-Jacobi preconditioned conjugate gradient, and the default: CG
 * preconditioned by the last CHOLMOD factor, refactorised only when that
 * stops paying (docs/solvers.md has the measurements).
 *
 * Workspace: all solver memory is allocated on the first call for a given
 * (model, data) pair and kept in d->solver (freed by fa_data_free); nothing is
 * allocated inside later steps. Runs are deterministic: the same input gives
 * bit-identical output (single-threaded, fixed orderings, no FMA).
 *
 * Numerical trouble never aborts: an indefinite or singular tangent (slack
 * cords, free-floating parts, compressed sheets) is regularised by a diagonal
 * shift (Nocedal & Wright 2006, Alg. 3.3) and, if CHOLMOD still fails, the
 * solve falls back to PCG with negative-curvature truncation; both are counted
 * in the reports. A Newton solve that does not converge counts
 * d->warn.noconv and returns FA_ERR_NOCONV; NaN state counts d->warn.nan and
 * returns FA_ERR_NUMERIC. See docs/solvers.md. */
#ifndef FASCIA_SIM_H
#define FASCIA_SIM_H

#include "data.h"
#include "model.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Linear solver for the Newton systems. */
typedef enum fa_linsolver {
    FA_LIN_AUTO = 0,  /* the measured default (docs/solvers.md): CG preconditioned by the last
                         CHOLMOD factor, refactorised when that needs more than reuse_maxiter
                         iterations; block-Jacobi PCG as a last resort */
    FA_LIN_CHOLMOD,   /* a new CHOLMOD factorisation for every Newton system */
    FA_LIN_PCG        /* block-Jacobi preconditioned conjugate gradient only */
} fa_linsolver;

/* Settings of the static equilibrium solve (fa_default_static_def). */
typedef struct fa_static_def {
    int maxiter;           /* Newton iterations; 0 = m->opt.newton_maxiter */
    double tol;            /* N, converged when max |free-node force residual| <= tol + rtol*scale;
                              0 = m->opt.newton_tol */
    double rtol;           /* -, relative part of the tolerance; scale = max |f_ext|, |gravity force|,
                              |internal force| over free nodes (default 1e-10) */
    double h;              /* s, <= 0 (default): fully relaxed equilibrium (viscoelastic terms at
                              their long-time limit); > 0: quasi-static step of that duration using
                              the viscoelastic history (creep/relaxation), see commit */
    int commit;            /* with h > 0: 1 (default) advance the viscoelastic history
                              (fa_visc_commit) and d->time by h after convergence */
    fa_linsolver linsolver;/* default FA_LIN_AUTO */
    double pcg_tol;        /* -, PCG relative residual ||r||/||b|| (default 1e-10) */
    int pcg_maxiter;       /* PCG iterations; 0 = 3 * number of free dofs */
    int reuse_maxiter;     /* FA_LIN_AUTO: CG iterations with an old factor before refactorising
                              (default 25) */
    double armijo;         /* -, sufficient-decrease constant of the line search (default 1e-4) */
    int max_backtrack;     /* halvings of the step before giving up on a direction (default 30) */
    double max_step;       /* m, largest node displacement per Newton iteration (default 0.05);
                              longer steps are scaled down (trust-region-like safeguard) */
    int accept_residual;   /* 1: also accept positive-definite Newton steps that halve the residual
                              while the potential is flat to round-off (default 0) */
    double xtol;           /* m, > 0: also converged when the remaining error estimated after an
                              accepted Newton step - the correction K^-1 r that the step's own
                              Cholesky factor gives for the new residual (one back-solve, no
                              factorisation) - moves no free node by more than xtol. Only
                              unshifted CHOLMOD factors are used for the estimate. Default 0 (off:
                              the force tolerance alone, results unchanged). */
    int chord;             /* with xtol > 0: > 0 allows up to that many chord steps in a row: when
                              the error estimate after an accepted Newton step is above xtol but
                              below chord_max, its correction (already computed with the last
                              factor) is taken as the next step if it lowers the potential,
                              judged on a force-only assembly; the estimate is then repeated with
                              the same factor. A chord step costs a force assembly and a
                              back-solve instead of a tangent assembly and a factorisation.
                              Default 0 (off: every step is a Newton step). */
    double chord_max;      /* m, largest estimate that is taken as a chord step (0: 100 xtol) */
    int lazy_tangent;      /* 1: a line search's full-step trial is assembled without the tangent
                              when its rejection is expected - in the first iteration when
                              first_rejected is 1, in later ones when the previous iteration's full
                              step was rejected - and the tangent is assembled at the accepted
                              point instead. Same iterates and results; fewer tangent assemblies
                              where full steps are often rejected. Default 0. */
    int first_rejected;    /* with lazy_tangent: 1 when the first iteration's full step is expected
                              to be rejected (e.g. it was in the previous, similar solve) */
} fa_static_def;

/* What a static solve did. */
typedef struct fa_static_report {
    int converged;         /* 1 when the tolerance was met */
    int iterations;        /* Newton iterations */
    double residual;       /* N, final max |force residual| over free dofs */
    double energy;         /* J, final elastic energy (assembly) */
    double potential;      /* J, energy - f_ext.x - m g.x (free and anchored nodes) */
    int backtracks;        /* total step halvings */
    int regularised;       /* factorisations that needed a diagonal shift (indefinite/singular) */
    double max_shift;      /* N/m, largest diagonal shift used */
    int fallbacks;         /* linear solves that fell back from CHOLMOD to block-Jacobi PCG */
    int pcg_iterations;    /* total CG iterations (block-Jacobi or factor-preconditioned) */
    int factorizations;    /* CHOLMOD numeric factorisations (shifted retries included) */
    int nfree;             /* free nodes */
    double step_est;       /* m, largest node move of the last error estimate (def.xtol; 0 none) */
    int xconverged;        /* 1 when def.xtol, not the force tolerance, ended the solve */
    int chord_steps;       /* accepted chord steps (def.chord; not counted in iterations) */
    int first_rejected;    /* 1 when the first Newton iteration's full step was rejected */
    int lazy_trials;       /* full-step trials assembled without the tangent (def.lazy_tangent) */
} fa_static_report;

/* Defaults (see the field comments). */
fa_static_def fa_default_static_def(void);

/* Static equilibrium: minimise elastic energy - external work (f_ext and
 * gravity m->opt.gravity on node_mass) over free nodes, starting from d->x,
 * with anchored nodes placed from the body poses. On return d->x, d->f_int,
 * d->energy and the per-element measurements hold the equilibrium; d->v is
 * zeroed for free nodes. def and rep may be NULL (defaults / no report).
 * Returns FA_OK, FA_ERR_NOCONV (state left at the last iterate,
 * d->warn.noconv counted), FA_ERR_NUMERIC (NaN met; d->x restored to the start),
 * FA_ERR_NOMEM or FA_ERR_ARG. */
fa_status fa_solve_static(const fa_model *m, fa_data *d, const fa_static_def *def, fa_static_report *rep,
                          fa_error *err);

/* Settings of an implicit Euler step (fa_default_step_def). */
typedef struct fa_step_def {
    double h;              /* s, step; 0 = m->opt.timestep */
    int maxiter;           /* Newton iterations per step; 0 = m->opt.newton_maxiter */
    double tol;            /* N, residual tolerance; 0 = m->opt.newton_tol */
    double rtol;           /* -, relative tolerance as in fa_static_def (default 1e-10) */
    fa_linsolver linsolver;/* default FA_LIN_AUTO */
    double pcg_tol;        /* default 1e-10 */
    int pcg_maxiter;       /* 0 = 3 * free dofs */
    int reuse_maxiter;     /* FA_LIN_AUTO: CG iterations with an old factor before refactorising
                              (default 25) */
    int max_backtrack;     /* default 20 */
    int early_exit;        /* 1: end a step early when its residual is at the noise floor (a rejected
                              full Newton step within 10x of the tolerance) or stalls (five positive
                              definite iterations cutting it by < 10 %), and accept residual-halving
                              steps at round-off-flat potential; such steps report FA_ERR_NOCONV.
                              Several times faster on bodies whose residual floor is near the
                              tolerance; results differ at the tolerance level. Default 0. */
} fa_step_def;

/* What the last step did. */
typedef struct fa_step_report {
    int converged;         /* 1 when the tolerance was met */
    int iterations;        /* Newton iterations */
    double residual;       /* N, final max |residual| over free dofs */
    double energy;         /* J, elastic energy at the end of the step */
    double kinetic;        /* J, kinetic energy 1/2 sum m v^2 of free nodes at the end of the step */
    int regularised;       /* factorisations that needed a diagonal shift */
    int fallbacks;         /* CHOLMOD -> block-Jacobi PCG fallbacks */
    int pcg_iterations;    /* total CG iterations (block-Jacobi or factor-preconditioned) */
    int factorizations;    /* CHOLMOD numeric factorisations (shifted retries included) */
    int backtracks;        /* line-search halvings (each costs one assembly) */
} fa_step_report;

fa_step_def fa_default_step_def(void);

/* One backward-Euler step of size h (def->h or m->opt.timestep):
 *   M (v1 - v0)/h = f_int(x1, v1) + f_ext + M g - damping M v1,  x1 = x0 + h v1,
 * solved by Newton on x1 with Jacobian M(1/h^2 + damping/h) + K + C/h, where K
 * and C come from fa_assemble with the viscoelastic history for step h.
 * Anchored nodes are moved to the current body poses first (set the poses
 * for time t+h before calling); their velocity is their displacement / h.
 * Then fa_visc_commit and d->time += h. f_ext is held constant over the step.
 * Returns FA_OK, FA_ERR_NOCONV (the step is still taken from the last
 * iterate; d->warn.noconv counted), FA_ERR_NUMERIC (NaN: state restored to
 * the start of the step, d->warn.nan counted), FA_ERR_NOMEM. */
fa_status fa_step_ex(const fa_model *m, fa_data *d, const fa_step_def *def, fa_step_report *rep,
                     fa_error *err);

/* fa_step_ex with the defaults (step m->opt.timestep). */
fa_status fa_step(const fa_model *m, fa_data *d, fa_error *err);

/* Called after each step of fa_simulate; return non-zero to stop early. */
typedef int (*fa_step_callback)(const fa_model *m, fa_data *d, void *user);

/* Run n = round(duration / h) steps of fa_step_ex (def may be NULL), calling
 * cb (may be NULL) after each. Stops at the first error other than
 * FA_ERR_NOCONV (non-converged steps are counted in d->warn.noconv and the
 * run continues). Returns the first error met, else FA_OK. */
fa_status fa_simulate(const fa_model *m, fa_data *d, double duration, const fa_step_def *def,
                      fa_step_callback cb, void *user, fa_error *err);

/* Elastic + kinetic + external potential energy of the current state:
 * d->energy (from the last assembly) + 1/2 sum m v^2 - f_ext.x - m g.x.
 * J. Useful for energy checks. */
double fa_total_energy(const fa_model *m, const fa_data *d);

/* Drop the solver workspace (call after changing a model's pattern or when
 * reusing d with another model). Harmless when none exists. */
void fa_solver_reset(fa_data *d);

/* Cumulative solver statistics of a data's workspace (since it was built). */
typedef struct fa_solver_stats {
    long static_solves;    /* fa_solve_static calls */
    long steps;            /* fa_step / fa_step_ex calls */
    long newton;           /* Newton iterations */
    long factorizations;   /* CHOLMOD numeric factorisations */
    long cg_iterations;    /* CG iterations (block-Jacobi or factor-preconditioned) */
    long regularised;      /* linear solves that needed a diagonal shift (singular/indefinite) */
    long fallbacks;        /* CHOLMOD -> block-Jacobi PCG fallbacks */
    long noconv;           /* solves that missed their tolerance (also in d->warn.noconv) */
    int nfree;             /* free nodes of the model */
    double lnz;            /* nonzeros of the CHOLMOD factor (0 without CHOLMOD) */
} fa_solver_stats;

/* Fill *st (zeros when d has no workspace yet). */
void fa_solver_get_stats(const fa_data *d, fa_solver_stats *st);

#ifdef __cplusplus
}
#endif
#endif
