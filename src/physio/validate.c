/* SPDX-License-Identifier: MIT */
/* Literature validation: each data/validation/<name>.yaml file is one published
 * result, a small protocol that drives the physiology modules, the quantity
 * observed, a metric, the published value and the accepted range. The runner
 * builds a four-element model (one cord, membrane, interface and muscle in
 * one region), plays the protocol with the named activity presets below,
 * records the observed quantity at every step and evaluates the metric.
 * Format: data/validation/README.md. Parsed with libyaml (document API);
 * every error names file:line:col. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "module.h"

/* ------------------------------------------------------------ yaml helpers */

typedef struct vctx {
    const char *file;
    yaml_document_t *doc;
    fa_error *err;
} vctx;

static fa_status verr(vctx *c, yaml_node_t *n, fa_status st, const char *what, const char *found)
{
    int line = n ? (int)n->start_mark.line + 1 : 0, col = n ? (int)n->start_mark.column + 1 : 0;
    return fa_error_set(c->err, st, c->file, line, col, "expected %s, found %s", what, found);
}

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *map_get(vctx *c, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const char *k = scalar(yaml_document_get_node(c->doc, p->key));
        if (k && !strcmp(k, key)) return yaml_document_get_node(c->doc, p->value);
    }
    return NULL;
}

static fa_status get_num(vctx *c, yaml_node_t *n, const char *what, double *out)
{
    const char *s = scalar(n);
    if (!s) return verr(c, n, FA_ERR_TYPE, what, n ? "a collection" : "nothing");
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v)) return verr(c, n, FA_ERR_TYPE, what, s);
    *out = v;
    return FA_OK;
}

static fa_status opt_num(vctx *c, yaml_node_t *map, const char *key, double *out, int *present)
{
    yaml_node_t *n = map_get(c, map, key);
    if (present) *present = n != NULL;
    if (!n) return FA_OK;
    char what[96];
    snprintf(what, sizeof what, "a number for '%s'", key);
    return get_num(c, n, what, out);
}

static fa_status req_str(vctx *c, yaml_node_t *map, const char *key, char *out, size_t cap)
{
    yaml_node_t *n = map_get(c, map, key);
    const char *s = scalar(n);
    char what[96];
    snprintf(what, sizeof what, "a text value for '%s'", key);
    if (!s) return verr(c, n ? n : map, FA_ERR_MISSING, what, n ? "a collection" : "no such key");
    snprintf(out, cap, "%s", s);
    return FA_OK;
}

/* ------------------------------------------------------------ the model */

static fa_model *validation_model(void)
{
    fa_model s;
    memset(&s, 0, sizeof s);
    s.nnode = 6;
    s.ncord = 1;
    s.nmem = 1;
    s.nintf = 1;
    s.nmuscle = 1;
    s.nelem = 4;
    s.nregion = 1;
    s.nregionel = 4;
    s.nnamechar = 8;
    fa_model *m = fa_model_alloc(&s);
    if (!m) return NULL;
    m->opt = fa_default_options();
    for (int i = 0; i < 6; i++) {
        m->node_pos0[3 * i] = 0.1 * i;
        m->node_body[i] = -1;
    }
    m->cord_node[0] = 0;
    m->cord_node[1] = 1;
    m->cord_mat[0] = -1;
    m->mem_node[0] = 1;
    m->mem_node[1] = 2;
    m->mem_node[2] = 3;
    m->mem_mat[0] = -1;
    m->intf_node[0] = 3;
    m->intf_node[1] = 4;
    m->intf_area[0] = 1e-3;
    m->muscle_node[0] = 4;
    m->muscle_node[1] = 5;
    memcpy(m->names, "region", 7);
    m->region_name[0] = 0;
    m->region_adr[0] = 0;
    m->region_num[0] = 4;
    for (int e = 0; e < 4; e++) m->region_elem[e] = e;
    return m;
}

/* ------------------------------------------------------------ presets */

typedef struct preset_over {
    double v[16];
    int set[16];
} preset_over;
/* override keys of a protocol item (per second rates are multiplied by dt) */
static const char *const over_keys[] = {"strain_peak", "strain_mean", "cycles_per_min", "pressure", "press_frac",
                                        "heat",        "effort",      "water",          "activity", "slide_frac",
                                        "stress_mean", "load_frac",   "slide_amp",      "reps",     NULL};
enum { O_EPS_PEAK, O_EPS_MEAN, O_CPM, O_PRESS, O_PRESS_FRAC, O_HEAT, O_EFFORT, O_WATER, O_ACT, O_SLIDE_FRAC,
       O_STRESS, O_LOAD_FRAC, O_SLIDE_AMP, O_REPS };

static const char *const presets[] = {"habitual", "sleep", "rest",  "immobilised", "bedrest", "stretch", "run",
                                      "walk",     "train", "sit",   "bath",        "ice",     "roll",    "tension",
                                      NULL};

/* Fill stimulus element e for preset p over dt (only elements of the
 * selected kind when `only` >= 0; others get the habitual day). */
static void fill_preset(const fa_model *m, const fa_data *d, fa_stimulus *s, int p, const preset_over *o,
                        int only, double dt)
{
    const double *S = fa_pm_stim(d);
    fa_stimulus_baseline(m, d, s, dt);
    if (p == 0 && !o) return;
#define OV(k, def) (o && o->set[k] ? o->v[k] : (def))
    const double eh = S[FA_STIM_EPS_PEAK], em = S[FA_STIM_EPS_MEAN];
    for (int e = 0; e < m->nelem; e++) {
        if (only >= 0) {
            int lo = fa_pm_kind_begin(m, (fa_kind)only), hi = fa_pm_kind_end(m, (fa_kind)only);
            if (e < lo || e >= hi) continue;
        }
        double eps_pk = eh, eps_mn = em, cpm = S[FA_STIM_CYCLES_DAY] / 1440.0, lf = S[FA_STIM_LOAD_FRAC];
        double sf = S[FA_STIM_SLIDE_FRAC], press = 0, pf = 0, eff = S[FA_STIM_EFFORT], stress = S[FA_STIM_STRESS_MEAN];
        double amp = S[FA_STIM_SLIDE_AMP];
        switch (p) {
        case 0: break;                                                          /* habitual */
        case 1: case 2: eps_pk = eps_mn = 0; cpm = 0; lf = 0; sf = 0.02; eff = 0; stress = 0; break; /* sleep/rest */
        case 3: eps_pk = eps_mn = 0; cpm = 0; lf = 0; sf = 0; eff = 0; stress = 0; break;  /* immobilised */
        case 4: eps_pk = 0.5 * eh; eps_mn = 0; cpm = 0.1 * cpm; lf = 0.1; sf = 0.05; eff = 0.1; stress = 0; break;
        case 5: eps_pk = eps_mn = em + 0.03; cpm = 0; lf = 1; sf = 0; eff = 0.1; stress = 2 * stress; break;
        case 6: eps_pk = 1.5 * eh; cpm = 85; lf = 1; sf = 1; eff = 0.5; amp = 2 * amp; break; /* run */
        case 7: cpm = 50; lf = 1; sf = 1; eff = 0.3; break;                                       /* walk */
        case 8: eps_pk = 2.5 * eh; cpm = 0; lf = 1; sf = 1; eff = 0.8; break;                     /* train */
        case 9: eps_pk = eps_mn = em - 0.01; cpm = 0; lf = 1; sf = 0; eff = 0.05; press = 20e3; pf = 1; break;
        case 10: case 11: eps_pk = eps_mn = 0; cpm = 0; lf = 0; sf = 0.02; eff = 0; stress = 0; break;
        case 12: cpm = 0; lf = 0; sf = 1; press = 50e3; pf = 1; break;                            /* roll */
        case 13: eps_pk = eps_mn = em + 0.01; cpm = 0; lf = 1; sf = 0; stress = 3 * stress; break; /* tension */
        default: break;
        }
        s->strain_peak[e] = OV(O_EPS_PEAK, eps_pk);
        s->strain_mean[e] = OV(O_EPS_MEAN, eps_mn);
        s->strain_rate[e] = 4.0 * s->strain_peak[e];
        s->stress_mean[e] = OV(O_STRESS, stress);
        s->stress_peak[e] = 2.0 * s->stress_mean[e];
        s->t_load[e] = OV(O_LOAD_FRAC, lf) * dt;
        s->cycles[e] = OV(O_CPM, cpm) * dt / 60.0;
        if (o && o->set[O_REPS]) s->cycles[e] = o->v[O_REPS];
        s->pressure[e] = OV(O_PRESS, press);
        s->t_press[e] = OV(O_PRESS_FRAC, pf) * dt;
        s->t_slide[e] = OV(O_SLIDE_FRAC, sf) * dt;
        s->slide_amp[e] = OV(O_SLIDE_AMP, amp);
        s->effort[e] = OV(O_EFFORT, eff);
        s->heat[e] = OV(O_HEAT, p == 10 ? 40.0 : (p == 11 ? 10.0 : m->opt.temperature));
    }
    s->rest = (p == 1 || p == 2 || p == 10 || p == 11 || p == 3 || p == 4);
    s->activity = OV(O_ACT, p == 6 ? 0.8 : (p == 7 ? 0.3 : (p == 8 ? 0.5 : (p == 0 ? S[FA_STIM_ACTIVITY] : 0.0))));
    s->water = OV(O_WATER, 1.0);
    s->heat_mode = p == 10 ? FA_HEAT_BATH : (p == 11 ? FA_HEAT_COLD : ((p == 6 || p == 7 || p == 8) ? FA_HEAT_ACTIVITY
                                                                                                     : FA_HEAT_NONE));
#undef OV
}

/* ------------------------------------------------------------ runner */

#define MAXMARK 8
typedef struct vrun {
    vctx *c;
    const fa_model *m;
    fa_data *d;
    fa_stimulus *s;
    double *obs;          /* observed array */
    int obs_index;        /* index into obs (-1: stiffness of element obs_e) */
    int obs_e;
    double t;             /* s */
    /* series */
    double *ts, *xs;
    int n, cap;
    char marks[MAXMARK][32];
    int mark_at[MAXMARK];
    int nmark;
    double control; /* observed value at the end of the control protocol (metric vs_control) */
} vrun;

static double observe(vrun *r)
{
    if (r->obs_index < 0) return fa_physio_stiffness(r->m, r->d, r->obs_e);
    return r->obs[r->obs_index];
}

static fa_status record(vrun *r)
{
    if (r->n == r->cap) {
        int nc = r->cap ? 2 * r->cap : 1024;
        double *a = (double *)realloc(r->ts, (size_t)nc * sizeof *a);
        if (!a) return FA_ERR_NOMEM;
        r->ts = a;
        double *b = (double *)realloc(r->xs, (size_t)nc * sizeof *b);
        if (!b) return FA_ERR_NOMEM;
        r->xs = b;
        r->cap = nc;
    }
    r->ts[r->n] = r->t;
    r->xs[r->n] = observe(r);
    r->n++;
    return FA_OK;
}

static fa_status run_items(vrun *r, yaml_node_t *seq, int depth);

static fa_status run_item(vrun *r, yaml_node_t *it, int depth)
{
    vctx *c = r->c;
    if (it->type != YAML_MAPPING_NODE) return verr(c, it, FA_ERR_TYPE, "a protocol item (mapping)", "a scalar or list");
    yaml_node_t *mk = map_get(c, it, "mark");
    if (mk) {
        const char *name = scalar(mk);
        if (!name) return verr(c, mk, FA_ERR_TYPE, "a mark name", "a collection");
        if (r->nmark == MAXMARK) return verr(c, mk, FA_ERR_RANGE, "at most 8 marks", name);
        snprintf(r->marks[r->nmark], sizeof r->marks[0], "%s", name);
        r->mark_at[r->nmark++] = r->n - 1;
        return FA_OK;
    }
    yaml_node_t *rep = map_get(c, it, "repeat");
    if (rep) {
        double nrep;
        fa_status st = get_num(c, rep, "a repeat count", &nrep);
        if (st) return st;
        yaml_node_t *blk = map_get(c, it, "block");
        if (!blk || blk->type != YAML_SEQUENCE_NODE)
            return verr(c, blk ? blk : it, FA_ERR_MISSING, "'block:' with a list of items", "none");
        if (depth > 4) return verr(c, it, FA_ERR_RANGE, "nesting of at most 4 repeats", "deeper nesting");
        for (int k = 0; k < (int)nrep; k++)
            if ((st = run_items(r, blk, depth + 1))) return st;
        return FA_OK;
    }
    char name[32];
    fa_status st = req_str(c, it, "do", name, sizeof name);
    if (st) return st;
    int p = -1;
    for (int k = 0; presets[k]; k++)
        if (!strcmp(presets[k], name)) p = k;
    if (p < 0) return verr(c, map_get(c, it, "do"), FA_ERR_UNKNOWN, "an activity preset (habitual, sleep, ...)", name);
    double dur = 0, v;
    int has;
    if ((st = opt_num(c, it, "days", &v, &has))) return st;
    if (has) dur += v * FA_PM_DAY;
    if ((st = opt_num(c, it, "hours", &v, &has))) return st;
    if (has) dur += v * FA_PM_HOUR;
    if ((st = opt_num(c, it, "minutes", &v, &has))) return st;
    if (has) dur += v * 60.0;
    if (!(dur > 0)) return verr(c, it, FA_ERR_MISSING, "a positive duration (days/hours/minutes)", "none");
    double stepm = dur >= FA_PM_DAY ? 1440.0 : 60.0;
    if ((st = opt_num(c, it, "step_minutes", &stepm, NULL))) return st;
    if (!(stepm > 0)) return verr(c, map_get(c, it, "step_minutes"), FA_ERR_RANGE, "a positive step", "<= 0");
    preset_over o;
    memset(&o, 0, sizeof o);
    for (int k = 0; over_keys[k]; k++)
        if ((st = opt_num(c, it, over_keys[k], &o.v[k], &o.set[k]))) return st;
    int only = -1;
    yaml_node_t *on = map_get(c, it, "only");
    if (on) {
        const char *k = scalar(on);
        for (int q = 0; q < FA_NKIND && k; q++)
            if (!strcmp(k, fa_kind_str((fa_kind)q))) only = q;
        if (only < 0) return verr(c, on, FA_ERR_UNKNOWN, "an element kind (cord, membrane, interface, muscle)", k ? k : "?");
    }
    double share = 0;
    if ((st = opt_num(c, it, "apply_share", &share, NULL))) return st;
    double left = dur, dt = stepm * 60.0;
    while (left > 1e-9) {
        double h = left < dt ? left : dt;
        /* reps are a per-item total: spread over the item's steps */
        preset_over oo = o;
        if (o.set[O_REPS]) oo.v[O_REPS] = o.v[O_REPS] * h / dur;
        fill_preset(r->m, r->d, r->s, p, &oo, only, h);
        if (share > 0) fa_stimulus_apply_share(r->m, r->d, r->s);
        fa_physio_step(r->m, r->d, r->s, h);
        r->t += h;
        left -= h;
        if ((st = record(r))) return st;
    }
    return FA_OK;
}

static fa_status run_items(vrun *r, yaml_node_t *seq, int depth)
{
    for (yaml_node_item_t *i = seq->data.sequence.items.start; i < seq->data.sequence.items.top; i++) {
        fa_status st = run_item(r, yaml_document_get_node(r->c->doc, *i), depth);
        if (st) return st;
    }
    return FA_OK;
}

static int find_mark(const vrun *r, const char *name)
{
    for (int k = 0; k < r->nmark; k++)
        if (!strcmp(r->marks[k], name)) return r->mark_at[k];
    return -2;
}

static const char *const metrics[] = {"rel_change", "abs_change", "value",        "peak_fold", "peak_time_h",
                                      "min_rel",    "max_rel",    "min_time_h",   "half_time_h", "frac_remaining",
                                      "time_to_h",  "vs_control", NULL};

static fa_status evaluate(vrun *r, yaml_node_t *root, const char *metric, int i0, int i1, double *out)
{
    vctx *c = r->c;
    double base = 0, thr = 0;
    fa_status st;
    if ((st = opt_num(c, root, "baseline", &base, NULL))) return st;
    int has_thr;
    if ((st = opt_num(c, root, "threshold", &thr, &has_thr))) return st;
    double x0 = r->xs[i0], t0 = r->ts[i0], x1 = r->xs[i1];
    int imax = i0, imin = i0;
    for (int i = i0; i <= i1; i++) {
        if (r->xs[i] > r->xs[imax]) imax = i;
        if (r->xs[i] < r->xs[imin]) imin = i;
    }
    if (!strcmp(metric, "rel_change")) *out = x1 / x0 - 1.0;
    else if (!strcmp(metric, "abs_change")) *out = x1 - x0;
    else if (!strcmp(metric, "value")) *out = x1;
    else if (!strcmp(metric, "peak_fold")) *out = r->xs[imax] / x0;
    else if (!strcmp(metric, "peak_time_h")) *out = (r->ts[imax] - t0) / FA_PM_HOUR;
    else if (!strcmp(metric, "min_rel")) *out = r->xs[imin] / x0 - 1.0;
    else if (!strcmp(metric, "max_rel")) *out = r->xs[imax] / x0 - 1.0;
    else if (!strcmp(metric, "min_time_h")) *out = (r->ts[imin] - t0) / FA_PM_HOUR;
    else if (!strcmp(metric, "frac_remaining")) *out = (x1 - base) / (x0 - base);
    else if (!strcmp(metric, "vs_control")) *out = (x1 - base) / (r->control - base) - 1.0;
    else if (!strcmp(metric, "half_time_h") || !strcmp(metric, "time_to_h")) {
        if (!strcmp(metric, "time_to_h") && !has_thr)
            return verr(c, root, FA_ERR_MISSING, "'threshold:' for metric time_to_h", "none");
        double level = !strcmp(metric, "half_time_h") ? base + 0.5 * (x0 - base) : thr;
        int above = x0 > level;
        *out = INFINITY;
        for (int i = i0 + 1; i <= i1; i++)
            if ((above && r->xs[i] <= level) || (!above && r->xs[i] >= level)) {
                /* linear interpolation inside the step */
                double xa = r->xs[i - 1], xb = r->xs[i], f = xb != xa ? (level - xa) / (xb - xa) : 1.0;
                *out = (r->ts[i - 1] + f * (r->ts[i] - r->ts[i - 1]) - t0) / FA_PM_HOUR;
                break;
            }
    } else {
        return verr(c, map_get(c, root, "metric"), FA_ERR_UNKNOWN, "a metric (rel_change, peak_fold, ...)", metric);
    }
    return FA_OK;
}

/* Play one protocol on a fresh validation model, recording the observed
 * quantity; r->ts/r->xs are the caller's to free (also on error). */
static fa_status run_protocol(vctx *c, const fa_physio_params *p, yaml_node_t *root, yaml_node_t *proto, int kq,
                              const char *obsname, vrun *r)
{
    fa_status st;
    memset(r, 0, sizeof *r);
    fa_model *m = validation_model();
    fa_data *d = m ? fa_data_alloc(m, 0) : NULL;
    fa_stimulus *s = m ? fa_stimulus_alloc(m) : NULL;
    if (!m || !d || !s) {
        st = fa_error_set(c->err, FA_ERR_NOMEM, c->file, 0, 0, "out of memory");
        goto out;
    }
    if ((st = fa_physio_init(m, d, p, c->err))) goto out;
    r->c = c;
    r->m = m;
    r->d = d;
    r->s = s;
    r->obs_e = fa_pm_kind_begin(m, (fa_kind)kq);
    if (!strcmp(obsname, "stiffness")) {
        r->obs_index = -1;
    } else {
        r->obs = fa_physio_state(m, d, obsname);
        if (!r->obs) {
            st = verr(c, map_get(c, root, "observe"), FA_ERR_UNKNOWN, "a state field (stiffness, tis_hyd, remodel.syn, ...)", obsname);
            goto out;
        }
        int on_intf = 0;
        for (int k = 0; k < FA_PM_COUNT; k++)
            for (int j = 0; j < fa_physio_nfield(k); j++) {
                fa_physio_field_info fi = fa_physio_field(k, j);
                if (!strcmp(fi.name, obsname)) on_intf = fi.on_interfaces;
            }
        r->obs_index = on_intf ? 0 : r->obs_e;
    }
    /* optional initial state: init_field/init_value (all elements of that field) */
    yaml_node_t *inf = map_get(c, root, "init_field");
    if (inf) {
        double iv;
        double *x = fa_physio_state(m, d, scalar(inf) ? scalar(inf) : "");
        if (!x) {
            st = verr(c, inf, FA_ERR_UNKNOWN, "a state field for init_field", scalar(inf) ? scalar(inf) : "?");
            goto out;
        }
        if ((st = get_num(c, map_get(c, root, "init_value"), "a number for 'init_value'", &iv))) goto out;
        for (int e = 0; e < m->nelem; e++) x[e] = iv;
    }
    if ((st = record(r))) goto out;
    snprintf(r->marks[0], sizeof r->marks[0], "start");
    r->mark_at[0] = 0;
    r->nmark = 1;
    if ((st = run_items(r, proto, 0))) goto out;
out:
    fa_stimulus_free(s);
    fa_data_free(d);
    fa_model_free(m);
    r->m = NULL;
    r->d = NULL;
    r->s = NULL;
    r->obs = NULL;
    return st;
}

static fa_status run_doc(vctx *c, const fa_physio_params *p, fa_validate_result *res)
{
    yaml_node_t *root = yaml_document_get_root_node(c->doc);
    if (!root || root->type != YAML_MAPPING_NODE) return verr(c, root, FA_ERR_SYNTAX, "a mapping at top level", "something else");
    fa_status st;
    memset(res, 0, sizeof *res);
    char grade[4], obsname[64], kind[16], metric[32], from[32] = "ref", to[32] = "end", cal[8] = "false";
    if ((st = req_str(c, root, "id", res->id, sizeof res->id))) return st;
    if ((st = req_str(c, root, "quantity", res->quantity, sizeof res->quantity))) return st;
    if ((st = req_str(c, root, "source", res->source, sizeof res->source))) return st;
    if ((st = req_str(c, root, "grade", grade, sizeof grade))) return st;
    if (!(grade[0] == 'A' || grade[0] == 'B' || grade[0] == 'C') || grade[1])
        return verr(c, map_get(c, root, "grade"), FA_ERR_RANGE, "grade A, B or C", grade);
    res->grade = grade[0];
    if (map_get(c, root, "calibrated") && (st = req_str(c, root, "calibrated", cal, sizeof cal))) return st;
    res->calibrated = !strcmp(cal, "true") || !strcmp(cal, "yes");
    if ((st = req_str(c, root, "observe", obsname, sizeof obsname))) return st;
    if ((st = req_str(c, root, "element", kind, sizeof kind))) return st;
    if ((st = req_str(c, root, "metric", metric, sizeof metric))) return st;
    int okm = 0;
    for (int k = 0; metrics[k]; k++) okm |= !strcmp(metrics[k], metric);
    if (!okm) return verr(c, map_get(c, root, "metric"), FA_ERR_UNKNOWN, "a metric (rel_change, peak_fold, ...)", metric);
    if (map_get(c, root, "from") && (st = req_str(c, root, "from", from, sizeof from))) return st;
    if (map_get(c, root, "to") && (st = req_str(c, root, "to", to, sizeof to))) return st;
    yaml_node_t *pn = map_get(c, root, "paper");
    if (!pn) return verr(c, root, FA_ERR_MISSING, "'paper:' (published value)", "none");
    if ((st = get_num(c, pn, "a number for 'paper'", &res->paper))) return st;
    yaml_node_t *rg = map_get(c, root, "range");
    if (!rg || rg->type != YAML_SEQUENCE_NODE || rg->data.sequence.items.top - rg->data.sequence.items.start != 2)
        return verr(c, rg ? rg : root, FA_ERR_MISSING, "'range: [lo, hi]'", rg ? "something else" : "none");
    if ((st = get_num(c, yaml_document_get_node(c->doc, rg->data.sequence.items.start[0]), "a number", &res->lo))) return st;
    if ((st = get_num(c, yaml_document_get_node(c->doc, rg->data.sequence.items.start[1]), "a number", &res->hi))) return st;
    if (!(res->lo <= res->hi)) return verr(c, rg, FA_ERR_RANGE, "lo <= hi", "lo > hi");
    yaml_node_t *proto = map_get(c, root, "protocol");
    if (!proto || proto->type != YAML_SEQUENCE_NODE)
        return verr(c, proto ? proto : root, FA_ERR_MISSING, "'protocol:' with a list of items", "none");
    int kq = -1;
    for (int q = 0; q < FA_NKIND; q++)
        if (!strcmp(kind, fa_kind_str((fa_kind)q))) kq = q;
    if (kq < 0) return verr(c, map_get(c, root, "element"), FA_ERR_UNKNOWN, "an element kind (cord, membrane, interface, muscle)", kind);

    if (!strcmp(metric, "vs_control") && !map_get(c, root, "from")) snprintf(from, sizeof from, "start");
    yaml_node_t *ctrl = map_get(c, root, "control");
    if (!strcmp(metric, "vs_control") && (!ctrl || ctrl->type != YAML_SEQUENCE_NODE))
        return verr(c, ctrl ? ctrl : root, FA_ERR_MISSING, "'control:' with a list of items for metric vs_control",
                    ctrl ? "something else" : "none");
    double control = NAN;
    if (ctrl && ctrl->type == YAML_SEQUENCE_NODE) {
        /* the control arm: same model, observation and initial state */
        vrun rc;
        if ((st = run_protocol(c, p, root, ctrl, kq, obsname, &rc)) == FA_OK) control = rc.xs[rc.n - 1];
        free(rc.ts);
        free(rc.xs);
        if (st) return st;
    }
    vrun r;
    st = run_protocol(c, p, root, proto, kq, obsname, &r);
    r.control = control;
    if (st) goto done;
    int i0 = find_mark(&r, from), i1 = !strcmp(to, "end") ? r.n - 1 : find_mark(&r, to);
    if (i0 < -1 || i1 < -1) {
        st = verr(c, root, FA_ERR_UNKNOWN, "marks named by 'from'/'to' in the protocol", i0 < -1 ? from : to);
        goto done;
    }
    if (i0 < 0) i0 = 0;
    if (i1 < i0) {
        st = verr(c, root, FA_ERR_RANGE, "'to' after 'from'", "the reverse");
        goto done;
    }
    if ((st = evaluate(&r, root, metric, i0, i1, &res->model))) goto done;
    res->pass = res->model >= res->lo && res->model <= res->hi;
done:
    free(r.ts);
    free(r.xs);
    return st;
}

fa_status fa_validate_file(const char *path, const fa_physio_params *p, fa_validate_result *res, fa_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return fa_error_set(err, FA_ERR_IO, path, 0, 0, "expected a readable validation file, found none");
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        fclose(f);
        return fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    yaml_parser_set_input_file(&parser, f);
    fa_status st = FA_OK;
    if (!yaml_parser_load(&parser, &doc)) {
        st = fa_error_set(err, FA_ERR_SYNTAX, path, (int)parser.problem_mark.line + 1,
                          (int)parser.problem_mark.column + 1, "expected valid YAML, found %s",
                          parser.problem ? parser.problem : "a syntax error");
    } else {
        vctx c = {path, &doc, err};
        st = run_doc(&c, p, res);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

fa_status fa_validate_dir(const char *dir, const fa_physio_params *p, fa_validate_result *res, int cap, int *n,
                          fa_error *err)
{
    *n = 0;
    DIR *dp = opendir(dir);
    if (!dp) return fa_error_set(err, FA_ERR_IO, dir, 0, 0, "expected a directory of validation files, found none");
    char *names[512];
    int nn = 0;
    struct dirent *de;
    while ((de = readdir(dp)) && nn < 512) {
        size_t l = strlen(de->d_name);
        if (l > 5 && !strcmp(de->d_name + l - 5, ".yaml")) names[nn++] = strdup(de->d_name);
    }
    closedir(dp);
    qsort(names, (size_t)nn, sizeof names[0], cmp_str);
    fa_status first = FA_OK;
    for (int i = 0; i < nn; i++) {
        if (names[i] && *n < cap) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            fa_error e1;
            fa_error_clear(&e1);
            fa_status st = fa_validate_file(path, p, &res[*n], &e1);
            if (st == FA_OK) (*n)++;
            else if (first == FA_OK) {
                first = st;
                if (err) *err = e1;
            }
        }
        free(names[i]);
    }
    return first;
}

void fa_validate_print(FILE *f, const fa_validate_result *res, int n)
{
    int npass = 0;
    fprintf(f, "%-34s %-2s %-4s %10s %10s %21s  %s\n", "target", "gr", "cal", "paper", "model", "accepted", "result");
    for (int i = 0; i < n; i++) {
        const fa_validate_result *r = &res[i];
        char rng[64];
        snprintf(rng, sizeof rng, "[%.4g, %.4g]", r->lo, r->hi);
        fprintf(f, "%-34s %-2c %-4s %10.4g %10.4g %21s  %s\n", r->id, r->grade, r->calibrated ? "yes" : "no",
                r->paper, r->model, rng, r->pass ? "PASS" : "FAIL");
        fprintf(f, "    %s — %s\n", r->quantity, r->source);
        npass += r->pass;
    }
    fprintf(f, "%d/%d targets pass\n", npass, n);
}
