/* SPDX-License-Identifier: MIT */
/* Physiology module interface (internal).
 *
 * A module declares its name, its state fields (phys fields laid out in
 * d->phys, or fa_data arrays it drives, named by their fa_data name), the
 * parameter ids it reads from the table (copied into d->phys so runs carry
 * their own parameters), init and step. The registry (registry.c) computes
 * the layout:  d->phys = [params of module 0..N-1][fields of module 0..N-1],
 * each phys field nelem doubles (nintf for interface fields).
 *
 * Time integration: modules use exact exponential updates for linear
 * relaxations (x <- x_eq + (x - x_eq) exp(-dt/tau)), so a 1-day step and
 * 24 one-hour steps agree under a constant stimulus, and large steps are
 * unconditionally stable. */
#ifndef FA_PHYSIO_MODULE_H
#define FA_PHYSIO_MODULE_H

#include <math.h>

#include "core/internal.h"
#include "fascia/physio.h"

#define FA_KIND_BIT(k) (1u << (unsigned)(k))
#define FA_KINDS_TISSUE (FA_KIND_BIT(FA_CORD) | FA_KIND_BIT(FA_MEMBRANE))
#define FA_KINDS_ALL (FA_KINDS_TISSUE | FA_KIND_BIT(FA_INTERFACE) | FA_KIND_BIT(FA_MUSCLE))

typedef struct fa_pm_fdecl {
    const char *name;    /* short name ("infl"); fa_data array name when data = 1 */
    const char *unit;
    const char *doc;
    double init, lo, hi;
    unsigned kinds;
    int on_intf;         /* indexed by interface */
    int data;            /* 1: the fa_data array of that name (not in phys) */
    const char *qname;   /* "module.field" (or the fa_data name): the public name */
} fa_pm_fdecl;

typedef struct fa_pm_module {
    const char *name;
    int nfield;
    const fa_pm_fdecl *fields;
    int nparam;
    const char *const *params; /* ids in physiology.csv */
    /* optional extra initialisation after fields are set (may be NULL) */
    void (*init)(const fa_model *m, fa_data *d);
    void (*step)(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt_s);
} fa_pm_module;

/* Module indices (registry order = step order). */
enum {
    FA_PM_HAB = 0,
    FA_PM_TEMP,
    FA_PM_HYD,
    FA_PM_GLIDE,
    FA_PM_ADH,
    FA_PM_REMODEL,
    FA_PM_MYO,
    FA_PM_DAMAGE,
    FA_PM_SENSE,
    FA_PM_STRENGTH,
    FA_PM_COMP,
    FA_PM_COUNT
};

extern const fa_pm_module fa_pm_habitual, fa_pm_temperature, fa_pm_hydration, fa_pm_glide, fa_pm_adhesion, fa_pm_remodel,
    fa_pm_myofibroblast, fa_pm_damage, fa_pm_sensation, fa_pm_strength, fa_pm_compensation;

/* Habitual daily-life stimulus parameters (rows stim.* of the table),
 * stored first in d->phys; modules measure their drives against them. */
enum {
    FA_STIM_CYCLES_DAY = 0, /* loading cycles per element per day */
    FA_STIM_EPS_PEAK,       /* habitual peak strain of the cycles */
    FA_STIM_EPS_MEAN,       /* habitual mean strain while loaded */
    FA_STIM_LOAD_FRAC,      /* fraction of the day under load (upright) */
    FA_STIM_STRESS_MEAN,    /* Pa, habitual mean fibre stress while loaded */
    FA_STIM_SLIDE_AMP,      /* m, habitual interface sliding amplitude */
    FA_STIM_SLIDE_VEL,      /* m/s, habitual sliding velocity */
    FA_STIM_SLIDE_FRAC,     /* fraction of the day with layer sliding */
    FA_STIM_EFFORT,         /* habitual peak muscle effort */
    FA_STIM_ACTIVITY,       /* habitual whole-body activity level */
    FA_STIM_COUNT
};
FA_HIDDEN const double *fa_pm_stim(const fa_data *d);

/* Per-element habitual set point (module "habitual", fields in this order). */
enum {
    FA_HAB_EPS_PEAK = 0,
    FA_HAB_EPS_MEAN,
    FA_HAB_RATE,
    FA_HAB_LOAD_FRAC,
    FA_HAB_STRESS_MEAN,
    FA_HAB_SLIDE_AMP,
    FA_HAB_SLIDE_VEL,
    FA_HAB_SLIDE_FRAC,
    FA_HAB_EFFORT,
    FA_HAB_STIM_RATE, /* remodel's desensitised stimulus per second of the habitual day (0: uniform cycles) */
    FA_HAB_SENS0,     /* remodel's sensitivity at the start of the habitual day */
    FA_HAB_MUS_EPS,   /* muscles: fibre strain at which the habitual day's sarcomere additions and removals balance */
    FA_HAB_MUS_LONG0, /* muscles: remodel's stretch-signal EMAs at the start of the habitual day */
    FA_HAB_MUS_TGT0,
    FA_HAB_COUNT
};
typedef struct fa_pm_hab {
    const double *eps_peak, *eps_mean, *rate, *load_frac, *stress_mean, *slide_amp, *slide_vel, *slide_frac, *effort;
    const double *stim_rate, *sens0, *mus_eps, *mus_long0, *mus_tgt0;
} fa_pm_hab;

FA_HIDDEN const fa_pm_module *fa_pm_get(int module);
/* Parameters of a module in d->phys (in the module's declared order). */
FA_HIDDEN const double *fa_pm_params(const fa_data *d, int module);
/* Values of field `field` of `module` (phys or fa_data array). */
FA_HIDDEN double *fa_pm_field(const fa_model *m, fa_data *d, int module, int field);
FA_HIDDEN fa_pm_hab fa_pm_habitual_get(const fa_model *m, const fa_data *d);
/* Smallest habitual peak strain (fa_physio_set_habitual's floor): an element
 * the habitual day strains less than this in its cycles is one the mechanics
 * does not resolve (remodel keeps its chronic load at the set point). */
#define FA_PM_HAB_EPS_FLOOR 1e-3
/* remodel.c: the mechanostimulus the habitual day's pieces (in order) deliver
 * per element, replayed to its periodic steady state, into the habitual
 * fields stim_rate and sens0 (fa_physio_set_habitual_day). */
FA_HIDDEN void fa_pm_remodel_habitual(const fa_model *m, fa_data *d, const fa_stimulus *const *piece, const double *dt,
                                      int n);
/* A global parameter by id from the built-in layout (NaN if absent). */
FA_HIDDEN double fa_pm_param_id(const fa_data *d, const char *id);
/* damage.c: the lesion of an element with damage D and habitual damage D0,
 * as a fraction of the margin to the injury level (1 = injured); P the
 * damage module's parameters. */
FA_HIDDEN double fa_pm_lesion(const double *P, double D, double D0);

/* Element kind ranges. */
static inline int fa_pm_kind_begin(const fa_model *m, fa_kind k)
{
    switch (k) {
    case FA_CORD: return 0;
    case FA_MEMBRANE: return m->ncord;
    case FA_INTERFACE: return m->ncord + m->nmem;
    case FA_MUSCLE: return m->ncord + m->nmem + m->nintf;
    default: return m->nelem;
    }
}
static inline int fa_pm_kind_end(const fa_model *m, fa_kind k)
{
    return k == FA_MUSCLE ? m->nelem : fa_pm_kind_begin(m, (fa_kind)(k + 1));
}

/* exp(-dt/tau) with tau <= 0 meaning "instant". */
static inline double fa_pm_decay(double dt, double tau)
{
    return tau > 0.0 ? exp(-dt / tau) : 0.0;
}
/* Exact first-order relaxation toward xeq. */
static inline double fa_pm_relax(double x, double xeq, double dt, double tau)
{
    return xeq + (x - xeq) * fa_pm_decay(dt, tau);
}
/* max/min without libm calls (arguments are never NaN here) */
static inline double fa_pm_max(double a, double b)
{
    return a > b ? a : b;
}
static inline double fa_pm_min(double a, double b)
{
    return a < b ? a : b;
}
static inline double fa_pm_clamp(double x, double lo, double hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}
/* Fraction of the interval spent doing something (t clipped to [0, dt]). */
static inline double fa_pm_duty(double t, double dt)
{
    return dt > 0.0 ? fa_pm_clamp(t / dt, 0.0, 1.0) : 0.0;
}

/* exp(x) remembering the last argument: neighbouring elements usually see
 * the same stimulus (one activity per region), so most calls hit. */
typedef struct fa_pm_memo {
    double x, y;
} fa_pm_memo;
static inline double fa_pm_exp(fa_pm_memo *c, double x)
{
    if (x != c->x) {
        c->x = x;
        c->y = exp(x);
    }
    return c->y;
}
#define FA_PM_MEMO_INIT {0.0, 1.0}
/* x^m (x >= 0) with a fast path for m a multiple of 1/4 up to 16:
 * repeated squaring of x^(1/4) = sqrt(sqrt(x)) instead of pow(). */
static inline double fa_pm_pow(double x, double m)
{
    double q = 4.0 * m;
    if (m >= 0.0 && m <= 16.0 && fabs(q - (double)(int)(q + 0.5)) < 1e-9) { /* within 1e-9 of a quarter */
        int n = (int)(q + 0.5), i = n >> 2, f = n & 3;
        double r = 1.0, b = x;
        while (i) { /* x^(integer part) */
            if (i & 1) r *= b;
            b *= b;
            i >>= 1;
        }
        if (f) {
            double s2 = sqrt(x), s4 = sqrt(s2);
            r *= f == 1 ? s4 : (f == 2 ? s2 : s2 * s4);
        }
        return r;
    }
    return pow(x, m);
}

#define FA_PM_HOUR 3600.0
#define FA_PM_DAY 86400.0

#endif
