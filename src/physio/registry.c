/* SPDX-License-Identifier: MIT */
/* Physiology module registry: layout of d->phys, init/reset/step drivers,
 * stimulus helpers and introspection.
 *
 * Layout of d->phys (doubles):
 *   [stim params][module 0 params]...[module N-1 params]
 *   [module 0 phys fields, nelem or nintf each]...[module N-1 phys fields]
 * fa_data-backed fields (tis_*, intf_visc, intf_adh) are not stored here.
 * The layout depends only on the module table and the model sizes, so it is
 * recomputed on demand (a few integer sums) instead of being cached. */
#include <stdlib.h>
#include <string.h>

#include "fascia/mech.h"
#include "module.h"

static const char *const stim_params[FA_STIM_COUNT] = {
    "stim.cycles_day", "stim.eps_peak", "stim.eps_mean", "stim.load_frac", "stim.stress_mean",
    "stim.slide_amp", "stim.slide_vel", "stim.slide_frac", "stim.effort", "stim.activity",
};

static const fa_pm_module *const modules[FA_PM_COUNT] = {
    &fa_pm_habitual,    &fa_pm_temperature, &fa_pm_hydration, &fa_pm_glide,     &fa_pm_adhesion, &fa_pm_remodel,
    &fa_pm_myofibroblast, &fa_pm_damage,  &fa_pm_sensation, &fa_pm_strength, &fa_pm_compensation,
};

const fa_pm_module *fa_pm_get(int module)
{
    FA_ASSERT(module >= 0 && module < FA_PM_COUNT);
    return modules[module];
}

static size_t nparam_total(void)
{
    size_t n = FA_STIM_COUNT;
    for (int k = 0; k < FA_PM_COUNT; k++) n += (size_t)modules[k]->nparam;
    return n;
}

static size_t field_rows(const fa_model *m, const fa_pm_fdecl *f)
{
    return (size_t)(f->on_intf ? m->nintf : m->nelem);
}

static size_t layout_size(const fa_model *m)
{
    size_t n = nparam_total();
    for (int k = 0; k < FA_PM_COUNT; k++)
        for (int j = 0; j < modules[k]->nfield; j++)
            if (!modules[k]->fields[j].data) n += field_rows(m, &modules[k]->fields[j]);
    return n;
}

const double *fa_pm_stim(const fa_data *d) { return d->phys; }

const double *fa_pm_params(const fa_data *d, int module)
{
    size_t off = FA_STIM_COUNT;
    for (int k = 0; k < module; k++) off += (size_t)modules[k]->nparam;
    return d->phys + off;
}

static double *data_array(fa_data *d, const char *name)
{
#define FA_PM_DATA_(type, nm, rows, cols, doc) \
    if (!strcmp(name, #nm)) return (double *)(void *)d->nm;
    FA_DATA_ARRAYS(FA_PM_DATA_)
#undef FA_PM_DATA_
    return NULL;
}

double *fa_pm_field(const fa_model *m, fa_data *d, int module, int field)
{
    const fa_pm_fdecl *f = &modules[module]->fields[field];
    if (f->data) return data_array(d, f->name);
    size_t off = nparam_total();
    for (int k = 0; k < FA_PM_COUNT; k++)
        for (int j = 0; j < modules[k]->nfield; j++) {
            const fa_pm_fdecl *g = &modules[k]->fields[j];
            if (k == module && j == field) return d->phys + off;
            if (!g->data) off += field_rows(m, g);
        }
    return NULL;
}

double fa_pm_param_id(const fa_data *d, const char *id)
{
    if (!d->phys) return NAN;
    for (int i = 0; i < FA_STIM_COUNT; i++)
        if (!strcmp(stim_params[i], id)) return d->phys[i];
    size_t off = FA_STIM_COUNT;
    for (int k = 0; k < FA_PM_COUNT; k++) {
        for (int i = 0; i < modules[k]->nparam; i++)
            if (!strcmp(modules[k]->params[i], id)) return d->phys[off + (size_t)i];
        off += (size_t)modules[k]->nparam;
    }
    return NAN;
}

double fa_physio_param(const fa_data *d, const char *id) { return fa_pm_param_id(d, id); }

static void set_fields(const fa_model *m, fa_data *d, int first)
{
    for (int k = first; k < FA_PM_COUNT; k++) {
        const fa_pm_module *mod = modules[k];
        for (int j = 0; j < mod->nfield; j++) {
            const fa_pm_fdecl *f = &mod->fields[j];
            double *x = fa_pm_field(m, d, k, j);
            if (!x) continue;
            if (f->on_intf) {
                for (int i = 0; i < m->nintf; i++) x[i] = f->init;
            } else {
                for (int kind = 0; kind < FA_NKIND; kind++) {
                    if (!(f->kinds & FA_KIND_BIT(kind))) continue;
                    for (int e = fa_pm_kind_begin(m, (fa_kind)kind); e < fa_pm_kind_end(m, (fa_kind)kind); e++)
                        x[e] = f->init;
                }
            }
        }
        if (mod->init) mod->init(m, d);
    }
}

fa_status fa_physio_init(const fa_model *m, fa_data *d, const fa_physio_params *p, fa_error *err)
{
    if (!m || !d || !p) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_physio_init: NULL argument");
    /* check every declared parameter first, so a failure leaves d untouched */
    for (int i = 0; i < FA_STIM_COUNT; i++)
        if (fa_physio_params_find(p, stim_params[i]) < 0)
            return fa_error_set(err, FA_ERR_MISSING, "physiology.csv", 0, 0,
                                "expected parameter '%s' (habitual stimulus), found no such row", stim_params[i]);
    for (int k = 0; k < FA_PM_COUNT; k++)
        for (int i = 0; i < modules[k]->nparam; i++)
            if (fa_physio_params_find(p, modules[k]->params[i]) < 0)
                return fa_error_set(err, FA_ERR_MISSING, "physiology.csv", 0, 0,
                                    "expected parameter '%s' (module %s), found no such row", modules[k]->params[i],
                                    modules[k]->name);
    fa_status st = fa_data_phys_alloc(d, layout_size(m));
    if (st != FA_OK) return fa_error_set(err, st, NULL, 0, 0, "out of memory for physiology state");
    size_t off = 0;
    for (int i = 0; i < FA_STIM_COUNT; i++)
        d->phys[off++] = fa_physio_params_value(p, fa_physio_params_find(p, stim_params[i]));
    for (int k = 0; k < FA_PM_COUNT; k++)
        for (int i = 0; i < modules[k]->nparam; i++)
            d->phys[off++] = fa_physio_params_value(p, fa_physio_params_find(p, modules[k]->params[i]));
    set_fields(m, d, 0);
    return FA_OK;
}

void fa_physio_reset(const fa_model *m, fa_data *d)
{
    FA_ASSERT(d->phys && d->nphys == layout_size(m));
    set_fields(m, d, FA_PM_HAB + 1); /* the habitual set point is kept */
}

fa_status fa_physio_set_habitual(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt_s, fa_error *err)
{
    if (!m || !d || !s || !d->phys || d->nphys != layout_size(m) || s->nelem != m->nelem || !(dt_s > 0.0))
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0,
                            "fa_physio_set_habitual: expected an initialised state, a stimulus of the model and "
                            "dt > 0");
    const double *S = fa_pm_stim(d);
    double *x[FA_HAB_COUNT];
    for (int j = 0; j < FA_HAB_COUNT; j++) x[j] = fa_pm_field(m, d, FA_PM_HAB, j);
    /* floors keep ratios finite for elements the habitual day leaves idle:
     * 0.1 % strain, 1 % of the reference cycle rate, 1 um sliding (a layer's
     * own habitual amplitude counts as full movement however small: the
     * steady densification and adhesion of glide.c/adhesion.c assume it;
     * a 1 mm floor made a layer sliding 0.35 mm a day densify from its own
     * habitual day), 1 % effort */
    const double rate_floor = 0.01 * S[FA_STIM_CYCLES_DAY] / FA_PM_DAY;
    for (int e = 0; e < m->nelem; e++) {
        x[FA_HAB_EPS_PEAK][e] = fmax(FA_PM_HAB_EPS_FLOOR, s->strain_peak[e]);
        x[FA_HAB_EPS_MEAN][e] = s->strain_mean[e];
        x[FA_HAB_RATE][e] = fmax(rate_floor, s->cycles[e] / dt_s);
        x[FA_HAB_LOAD_FRAC][e] = fa_pm_duty(s->t_load[e], dt_s);
        x[FA_HAB_STRESS_MEAN][e] = s->stress_mean[e];
        x[FA_HAB_SLIDE_AMP][e] = fmax(1e-6, s->slide_amp[e]);
        x[FA_HAB_SLIDE_VEL][e] = fmax(0.0, s->slide_vel[e]);
        x[FA_HAB_SLIDE_FRAC][e] = fa_pm_duty(s->t_slide[e], dt_s);
        x[FA_HAB_EFFORT][e] = fa_pm_clamp(s->effort[e], 1e-2, 1.0);
        x[FA_HAB_STIM_RATE][e] = 0.0; /* remodel: uniform cycles at the habitual rate */
        x[FA_HAB_SENS0][e] = -1.0;
        x[FA_HAB_MUS_EPS][e] = s->strain_mean[e]; /* remodel: the day as one piece balances there */
        x[FA_HAB_MUS_LONG0][e] = 0.0;
        x[FA_HAB_MUS_TGT0][e] = 0.0;
        for (int j = 0; j < FA_HAB_COUNT; j++)
            if (!isfinite(x[j][e]))
                return fa_error_set(err, FA_ERR_NUMERIC, NULL, 0, 0,
                                    "fa_physio_set_habitual: expected finite stimulus values, found %g for %s of element %d",
                                    x[j][e], modules[FA_PM_HAB]->fields[j].name, e);
    }
    set_fields(m, d, FA_PM_HAB + 1); /* module states at the new habitual steady state */
    return FA_OK;
}

fa_status fa_physio_set_habitual_day(const fa_model *m, fa_data *d, const fa_stimulus *const *piece, const double *dt_s,
                                     int n, fa_error *err)
{
    if (!m || !d || !piece || !dt_s || n < 1 || !d->phys || d->nphys != layout_size(m))
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0,
                            "fa_physio_set_habitual_day: expected an initialised state and at least one piece");
    double T = 0.0;
    for (int i = 0; i < n; i++) {
        if (!piece[i] || piece[i]->nelem != m->nelem || !(dt_s[i] >= 0.0) || !isfinite(dt_s[i]))
            return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0,
                                "fa_physio_set_habitual_day: expected piece %d to be a stimulus of the model with a "
                                "finite duration >= 0",
                                i);
        T += dt_s[i];
    }
    if (!(T > 0.0))
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_physio_set_habitual_day: expected a day longer than 0 s");
    fa_stimulus *day = fa_stimulus_alloc(m);
    if (!day) return fa_error_set(err, FA_ERR_NOMEM, NULL, 0, 0, "habitual day of %d elements", m->nelem);
    /* the day as one stimulus: totals summed; the held strain and stress
     * weighted by time under load (so the rest-length and water drives of
     * the day's pieces cancel over the day), the peak strain and effort by
     * cycles (the cycles remodel and strength count; the largest when the
     * day has none), the sliding amplitude and velocity by sliding time */
    for (int e = 0; e < m->nelem; e++) {
        double tl = 0.0, ts = 0.0, cy = 0.0, em = 0.0, sm = 0.0, ep = 0.0, ef = 0.0, ep_max = 0.0, ef_max = 0.0;
        double amp = 0.0, vel = 0.0, amp_max = 0.0, vel_max = 0.0;
        for (int i = 0; i < n; i++) {
            const fa_stimulus *s = piece[i];
            double l = fmax(0.0, s->t_load[e]), sl = fmax(0.0, s->t_slide[e]), c = fmax(0.0, s->cycles[e]);
            tl += l;
            em += l * s->strain_mean[e];
            sm += l * s->stress_mean[e];
            cy += c;
            ep += c * s->strain_peak[e];
            ef += c * s->effort[e];
            ep_max = fmax(ep_max, s->strain_peak[e]);
            ef_max = fmax(ef_max, s->effort[e]);
            ts += sl;
            amp += sl * s->slide_amp[e];
            vel += sl * s->slide_vel[e];
            amp_max = fmax(amp_max, s->slide_amp[e]);
            vel_max = fmax(vel_max, s->slide_vel[e]);
        }
        day->t_load[e] = tl;
        day->strain_mean[e] = tl > 0.0 ? em / tl : 0.0;
        day->stress_mean[e] = tl > 0.0 ? sm / tl : 0.0;
        day->cycles[e] = cy;
        day->strain_peak[e] = cy > 0.0 ? ep / cy : ep_max;
        day->effort[e] = cy > 0.0 ? ef / cy : ef_max;
        day->t_slide[e] = ts;
        day->slide_amp[e] = ts > 0.0 ? amp / ts : amp_max;
        day->slide_vel[e] = ts > 0.0 ? vel / ts : vel_max;
    }
    fa_status st = fa_physio_set_habitual(m, d, day, T, err);
    fa_stimulus_free(day);
    if (st) return st;
    fa_pm_remodel_habitual(m, d, piece, dt_s, n);
    return FA_OK;
}

void fa_physio_step_module(const fa_model *m, fa_data *d, int module, const fa_stimulus *s, double dt_s)
{
    FA_ASSERT(d->phys && d->nphys == layout_size(m));
    FA_ASSERT(s && s->nelem == m->nelem);
    if (!(dt_s > 0.0)) return;
    modules[module]->step(m, d, s, dt_s);
}

void fa_physio_step(const fa_model *m, fa_data *d, const fa_stimulus *s, double dt_s)
{
    for (int k = 0; k < FA_PM_COUNT; k++) fa_physio_step_module(m, d, k, s, dt_s);
}

int fa_physio_nmodule(void) { return FA_PM_COUNT; }
const char *fa_physio_module_name(int module)
{
    return module >= 0 && module < FA_PM_COUNT ? modules[module]->name : "";
}
int fa_physio_module_find(const char *name)
{
    for (int k = 0; k < FA_PM_COUNT; k++)
        if (!strcmp(modules[k]->name, name)) return k;
    return -1;
}
int fa_physio_nfield(int module)
{
    return module >= 0 && module < FA_PM_COUNT ? modules[module]->nfield : 0;
}

fa_physio_field_info fa_physio_field(int module, int field)
{
    fa_physio_field_info r;
    memset(&r, 0, sizeof r);
    if (module < 0 || module >= FA_PM_COUNT || field < 0 || field >= modules[module]->nfield) return r;
    const fa_pm_fdecl *f = &modules[module]->fields[field];
    r.name = f->qname;
    r.unit = f->unit;
    r.doc = f->doc;
    r.init = f->init;
    r.lo = f->lo;
    r.hi = f->hi;
    r.kinds = f->kinds;
    r.on_interfaces = f->on_intf;
    return r;
}

double *fa_physio_state(const fa_model *m, fa_data *d, const char *name)
{
    if (!name || !d->phys) return NULL;
    for (int k = 0; k < FA_PM_COUNT; k++)
        for (int j = 0; j < modules[k]->nfield; j++)
            if (!strcmp(modules[k]->fields[j].qname, name)) return fa_pm_field(m, d, k, j);
    return NULL;
}

const double *fa_physio_state_const(const fa_model *m, const fa_data *d, const char *name)
{
    return fa_physio_state(m, (fa_data *)(uintptr_t)d, name);
}

/* ---------------------------------------------------------------- stimulus */

fa_stimulus *fa_stimulus_alloc(const fa_model *m)
{
    fa_stimulus *s = (fa_stimulus *)calloc(1, sizeof *s);
    if (!s) return NULL;
    s->nelem = m->nelem;
    size_t n = (size_t)(m->nelem > 0 ? m->nelem : 1);
#define FA_STIM_ALLOC_(name, doc)                     \
    s->name = (double *)calloc(n, sizeof(double));   \
    if (!s->name) {                                   \
        fa_stimulus_free(s);                          \
        return NULL;                                  \
    }
    FA_STIMULUS_ARRAYS(FA_STIM_ALLOC_)
#undef FA_STIM_ALLOC_
    fa_stimulus_clear(s);
    return s;
}

void fa_stimulus_free(fa_stimulus *s)
{
    if (!s) return;
#define FA_STIM_FREE_(name, doc) free(s->name);
    FA_STIMULUS_ARRAYS(FA_STIM_FREE_)
#undef FA_STIM_FREE_
    free(s);
}

void fa_stimulus_clear(fa_stimulus *s)
{
    size_t n = (size_t)(s->nelem > 0 ? s->nelem : 0);
#define FA_STIM_ZERO_(name, doc) \
    if (n) memset(s->name, 0, n * sizeof(double));
    FA_STIMULUS_ARRAYS(FA_STIM_ZERO_)
#undef FA_STIM_ZERO_
    s->activity = 0.0;
    s->water = 1.0;
    s->rest = 0;
    s->heat_mode = FA_HEAT_NONE;
}

void fa_stimulus_baseline(const fa_model *m, const fa_data *d, fa_stimulus *s, double dt_s)
{
    const double *S = fa_pm_stim(d);
    const fa_pm_hab H = fa_pm_habitual_get(m, d);
    fa_stimulus_clear(s);
    for (int e = 0; e < m->nelem; e++) {
        s->strain_mean[e] = H.eps_mean[e];
        s->strain_peak[e] = H.eps_peak[e];
        s->strain_rate[e] = 4.0 * H.eps_peak[e]; /* ~1 Hz strides: peak rate ~ 4 x amplitude per s */
        s->stress_mean[e] = H.stress_mean[e];
        s->stress_peak[e] = 2.0 * H.stress_mean[e];
        s->t_load[e] = H.load_frac[e] * dt_s;
        s->cycles[e] = H.rate[e] * dt_s;
        s->slide_amp[e] = H.slide_amp[e];
        s->slide_vel[e] = H.slide_vel[e];
        s->t_slide[e] = H.slide_frac[e] * dt_s;
        s->effort[e] = H.effort[e];
    }
    s->activity = S[FA_STIM_ACTIVITY];
    s->water = 1.0;
    s->rest = 0;
    s->heat_mode = FA_HEAT_NONE;
}

void fa_stimulus_apply_share(const fa_model *m, const fa_data *d, fa_stimulus *s)
{
    const double *share = fa_pm_field(m, (fa_data *)(uintptr_t)d, FA_PM_COMP, 0);
    for (int e = 0; e < m->nelem; e++) {
        double f = share[e];
        s->strain_mean[e] *= f;
        s->strain_peak[e] *= f;
        s->strain_rate[e] *= f;
        s->stress_mean[e] *= f;
        s->stress_peak[e] *= f;
        s->effort[e] = fa_pm_clamp(s->effort[e] * f, 0.0, 1.0);
    }
}

/* ---------------------------------------------------------------- outputs */

double fa_physio_stiffness(const fa_model *m, const fa_data *d, int e)
{
    /* the mechanics' own tissue scaling, so validation sees what the
     * simulator does; normalised by the habitual (continuously repaired)
     * damage so that the healthy steady state is 1 */
    double D0 = d->phys ? fa_pm_field(m, (fa_data *)(uintptr_t)d, FA_PM_DAMAGE, 5)[e] : 0.0;
    return fa_tissue_scale(m, d, e) / (1.0 - D0);
}

double fa_physio_region_pain(const fa_model *m, const fa_data *d, int region)
{
    FA_ASSERT(region >= 0 && region < m->nregion && d->phys);
    const double *pain = fa_pm_field(m, (fa_data *)(uintptr_t)d, FA_PM_SENSE, 1);
    const int *el = m->region_elem + m->region_adr[region];
    const int tissue_end = m->ncord + m->nmem;
    double p = 0.0;
    for (int i = 0; i < m->region_num[region]; i++)
        if (el[i] < tissue_end && pain[el[i]] > p) p = pain[el[i]];
    return p;
}

int fa_physio_injuries(const fa_model *m, const fa_data *d, int e)
{
    /* called per element and physiology step (the life runner's injury
     * events): the field's offset in d->phys depends only on the module
     * table and the model's sizes, so it is looked up once per thread and
     * model size instead of walking the table on every call */
    static _Thread_local int c_nelem = -1, c_nintf = -1;
    static _Thread_local ptrdiff_t c_off = -1;
    if (!d->phys) return 0;
    if (m->nelem != c_nelem || m->nintf != c_nintf) {
        const double *inj = fa_pm_field(m, (fa_data *)(uintptr_t)d, FA_PM_DAMAGE, 2);
        c_off = inj ? inj - d->phys : -1;
        c_nelem = m->nelem;
        c_nintf = m->nintf;
    }
    return c_off >= 0 ? (int)d->phys[c_off + e] : 0;
}
