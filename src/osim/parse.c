/* SPDX-License-Identifier: MIT */
/* OpenSim model reader (libxml2, DOM).
 *
 * Design: parse the whole file without namespace processing (some models
 * use "::" in tag names), then walk the tree: bodies, joints (OpenSim 4
 * JointSet with joint-owned PhysicalOffsetFrames, or OpenSim 3 joints nested
 * in their child body), coordinates, coupler constraints, markers, and every
 * force element that owns a GeometryPath. <defaults> (template objects) is
 * never visited. Every semantic error names the XML line of the offending
 * element; syntax errors carry libxml2's line and column. Frame references
 * (socket_*_frame) are resolved first among the owning joint's frames, then
 * as absolute paths (/ground, /bodyset/B, /jointset/J/F). */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "osim/osim_internal.h"

typedef struct nodelist {
    xmlNodePtr *v;
    int n, cap;
} nodelist;

typedef struct ctx {
    fa_osim *m;
    struct fa_osim_impl_ *im;
    const char *path;
    fa_error *err;
    fa_status st;
    int v4;
    const fa_osim_load_def *def;
    nodelist bodies, joints, markers, forces, couplers;
    int *joint_owner_body; /* v3: the child body of each joint */
    xmlNodePtr ground3;    /* v3: the Body named ground */
    xmlNodePtr defaults;   /* <defaults>: class templates */
} ctx;

static int nl_push(nodelist *l, xmlNodePtr n)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 32;
        xmlNodePtr *v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v) return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = n;
    return 0;
}

static int is_el(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && (!name || !strcmp((const char *)n->name, name));
}

static xmlNodePtr kid(xmlNodePtr n, const char *name)
{
    if (!n) return NULL;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is_el(c, name)) return c;
    return NULL;
}

/* A socket element: "socket_x" (OpenSim 4.0 release and later) or
 * "socket_x_connectee_name" (the 4.0 development format, Version 305xx). */
static xmlNodePtr sock(xmlNodePtr n, const char *name)
{
    xmlNodePtr e = kid(n, name);
    if (e || !n) return e;
    char alt[96];
    snprintf(alt, sizeof alt, "%s_connectee_name", name);
    return kid(n, alt);
}

static int line_of(xmlNodePtr n) { return n ? (int)xmlGetLineNo(n) : 0; }

static fa_status fail(ctx *c, xmlNodePtr n, fa_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static fa_status fail(ctx *c, xmlNodePtr n, fa_status code, const char *fmt, ...)
{
    if (c->st != FA_OK) return c->st; /* keep the first error */
    char buf[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    c->st = fa_error_set(c->err, code, c->path, line_of(n), 0, "%s", buf);
    return c->st;
}

/* Element text, trimmed, into buf. Returns length, -1 if node is NULL. */
static int text_of(xmlNodePtr n, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!n) return -1;
    xmlChar *t = xmlNodeGetContent(n);
    if (!t) return 0;
    const char *s = (const char *)t;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    if (len >= size) len = size - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    xmlFree(t);
    return (int)len;
}

static char *name_of(xmlNodePtr n)
{
    xmlChar *a = xmlGetProp(n, (const xmlChar *)"name");
    char *s = strdup(a ? (const char *)a : "");
    if (a) xmlFree(a);
    return s;
}

static int name_is(xmlNodePtr n, const char *name)
{
    xmlChar *a = xmlGetProp(n, (const xmlChar *)"name");
    int r = a && !strcmp((const char *)a, name);
    if (a) xmlFree(a);
    return r;
}

/* Parse a whitespace-separated list of numbers. Returns count (up to max),
 * or -1 on a token that is not a number. */
static int parse_list(const char *s, double *out, int max, int *total)
{
    int n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == ',') s++;
        if (!*s) break;
        char *end;
        double v = strtod(s, &end);
        if (end == s) return -1;
        if (n < max) out[n] = v;
        n++;
        s = end;
    }
    if (total) *total = n;
    return n < max ? n : max;
}

/* Exactly `n` numbers from child element `name` of p. If absent: dflt (if
 * non-NULL) else error. */
static int get_vec(ctx *c, xmlNodePtr p, const char *name, double *out, int n, const double *dflt)
{
    xmlNodePtr e = kid(p, name);
    if (!e) {
        if (dflt) {
            memcpy(out, dflt, (size_t)n * sizeof *out);
            return 0;
        }
        fail(c, p, FA_ERR_MISSING, "<%s> needs a <%s> element, found none", (const char *)p->name,
             name);
        return -1;
    }
    xmlChar *t = xmlNodeGetContent(e);
    int total = 0;
    int k = parse_list(t ? (const char *)t : "", out, n, &total);
    if (k < 0 || total != n) {
        char shown[64];
        snprintf(shown, sizeof shown, "%s", t ? (const char *)t : "");
        if (t) xmlFree(t);
        fail(c, e, FA_ERR_SYNTAX, "<%s> expected %d number%s, found \"%s\"", name, n,
             n == 1 ? "" : "s", shown);
        return -1;
    }
    if (t) xmlFree(t);
    return 0;
}

static double get_num(ctx *c, xmlNodePtr p, const char *name, double dflt)
{
    double v = dflt;
    get_vec(c, p, name, &v, 1, &dflt);
    return v;
}

static int get_bool(ctx *c, xmlNodePtr p, const char *name, int dflt)
{
    char buf[32];
    xmlNodePtr e = kid(p, name);
    if (!e) return dflt;
    text_of(e, buf, sizeof buf);
    if (!strcasecmp(buf, "true") || !strcmp(buf, "1")) return 1;
    if (!strcasecmp(buf, "false") || !strcmp(buf, "0")) return 0;
    fail(c, e, FA_ERR_SYNTAX, "<%s> expected true or false, found \"%s\"", name, buf);
    return dflt;
}

/* ---------- functions ---------- */

static int add_fn(ctx *c, fa_osim_fn f)
{
    struct fa_osim_impl_ *im = c->im;
    if (im->nfn == im->capfn) {
        int cap = im->capfn ? 2 * im->capfn : 64;
        fa_osim_fn *v = realloc(im->fn, (size_t)cap * sizeof *v);
        if (!v) return fail(c, NULL, FA_ERR_NOMEM, "out of memory"), -1;
        im->fn = v;
        im->capfn = cap;
    }
    im->fn[im->nfn] = f;
    return im->nfn++;
}

static int pool_alloc(ctx *c, int n)
{
    struct fa_osim_impl_ *im = c->im;
    if (im->npool + n > im->cappool) {
        int cap = im->cappool ? 2 * im->cappool : 1024;
        while (cap < im->npool + n) cap *= 2;
        double *v = realloc(im->pool, (size_t)cap * sizeof *v);
        if (!v) return fail(c, NULL, FA_ERR_NOMEM, "out of memory"), -1;
        im->pool = v;
        im->cappool = cap;
    }
    int adr = im->npool;
    im->npool += n;
    return adr;
}

static const char *const fn_classes[] = {"Constant", "LinearFunction", "SimmSpline",
                                         "PiecewiseLinearFunction", "MultiplierFunction",
                                         "PolynomialFunction", "NaturalCubicSpline", "GCVSpline",
                                         "PiecewiseConstantFunction", "StepFunction", "Sine",
                                         "MultivariatePolynomialFunction", "XYFunctionInterface"};

static int is_fn_class(xmlNodePtr n)
{
    if (!n || n->type != XML_ELEMENT_NODE) return 0;
    for (size_t i = 0; i < sizeof fn_classes / sizeof fn_classes[0]; i++)
        if (!strcmp((const char *)n->name, fn_classes[i])) return 1;
    return 0;
}

/* The function element for property `prop` of p: either <prop><Class ...>
 * (OpenSim 3 style and wrapper properties) or <Class name="prop"> (OpenSim 4). */
static xmlNodePtr fn_node(xmlNodePtr p, const char *prop, int *present)
{
    *present = 0;
    xmlNodePtr w = kid(p, prop);
    if (w) {
        *present = 1;
        for (xmlNodePtr e = w->children; e; e = e->next)
            if (e->type == XML_ELEMENT_NODE) return e;
        return NULL;
    }
    for (xmlNodePtr e = p->children; e; e = e->next)
        if (is_fn_class(e) && name_is(e, prop)) {
            *present = 1;
            return e;
        }
    return NULL;
}

static int parse_xy(ctx *c, xmlNodePtr e, double **xs, double **ys, int *n)
{
    xmlNodePtr ex = kid(e, "x"), ey = kid(e, "y");
    if (!ex || !ey) {
        fail(c, e, FA_ERR_MISSING, "<%s> needs <x> and <y> knot lists", (const char *)e->name);
        return -1;
    }
    xmlChar *tx = xmlNodeGetContent(ex), *ty = xmlNodeGetContent(ey);
    int nx = 0, ny = 0;
    int okx = parse_list(tx ? (const char *)tx : "", NULL, 0, &nx);
    int oky = parse_list(ty ? (const char *)ty : "", NULL, 0, &ny);
    int rc = 0;
    if (okx < 0 || oky < 0) {
        rc = -1;
        fail(c, okx < 0 ? ex : ey, FA_ERR_SYNTAX, "<%s> knot list has a token that is not a number",
             okx < 0 ? "x" : "y");
    } else if (nx != ny || nx < 1) {
        rc = -1;
        fail(c, e, FA_ERR_SYNTAX, "<%s> expected equally long non-empty <x> and <y>, found %d and %d",
             (const char *)e->name, nx, ny);
    } else {
        *xs = malloc((size_t)nx * sizeof(double));
        *ys = malloc((size_t)nx * sizeof(double));
        if (!*xs || !*ys) {
            rc = -1;
            fail(c, e, FA_ERR_NOMEM, "out of memory");
        } else {
            parse_list((const char *)tx, *xs, nx, NULL);
            parse_list((const char *)ty, *ys, nx, NULL);
            *n = nx;
            for (int i = 1; i < nx; i++)
                if (!((*xs)[i] > (*xs)[i - 1])) {
                    rc = -1;
                    fail(c, ex, FA_ERR_RANGE,
                         "<x> knots must increase strictly, found %.17g after %.17g", (*xs)[i],
                         (*xs)[i - 1]);
                    break;
                }
        }
    }
    if (tx) xmlFree(tx);
    if (ty) xmlFree(ty);
    return rc;
}

/* Parse a function element. Returns index, or -2 on error. */
static int parse_fn(ctx *c, xmlNodePtr e)
{
    fa_osim_fn f = {0};
    f.child = -1;
    const char *cls = (const char *)e->name;
    if (!strcmp(cls, "Constant")) {
        f.kind = FA_FN_CONSTANT;
        f.a = get_num(c, e, "value", 0.0);
    } else if (!strcmp(cls, "LinearFunction")) {
        double co[2];
        const double dco[2] = {1.0, 0.0};
        if (get_vec(c, e, "coefficients", co, 2, dco)) return -2;
        f.kind = FA_FN_LINEAR;
        f.a = co[0];
        f.b = co[1];
    } else if (!strcmp(cls, "SimmSpline") || !strcmp(cls, "PiecewiseLinearFunction")) {
        double *xs = NULL, *ys = NULL;
        int n = 0;
        if (parse_xy(c, e, &xs, &ys, &n)) {
            free(xs);
            free(ys);
            return -2;
        }
        int spline = !strcmp(cls, "SimmSpline");
        int adr = pool_alloc(c, (spline ? 5 : 2) * n);
        if (adr < 0) {
            free(xs);
            free(ys);
            return -2;
        }
        double *p = c->im->pool + adr;
        memcpy(p, xs, (size_t)n * sizeof *p);
        memcpy(p + n, ys, (size_t)n * sizeof *p);
        if (spline) fa_osim_fmm_spline(n, p, p + n, p + 2 * n, p + 3 * n, p + 4 * n);
        free(xs);
        free(ys);
        f.kind = spline ? FA_FN_SPLINE : FA_FN_PIECEWISE;
        f.n = n;
        f.adr = adr;
    } else if (!strcmp(cls, "MultiplierFunction")) {
        int present;
        xmlNodePtr ce = fn_node(e, "function", &present);
        if (!ce) {
            fail(c, e, FA_ERR_MISSING, "<MultiplierFunction> needs an inner <function>");
            return -2;
        }
        int child = parse_fn(c, ce);
        if (child < -1) return -2;
        f.kind = FA_FN_MULTIPLIER;
        f.child = child;
        f.a = get_num(c, e, "scale", 1.0);
    } else if (is_fn_class(e)) {
        fail(c, e, FA_ERR_UNSUPPORTED,
             "function type <%s> is not supported (expected Constant, LinearFunction, SimmSpline, "
             "PiecewiseLinearFunction or MultiplierFunction)",
             cls);
        return -2;
    } else {
        fail(c, e, FA_ERR_UNKNOWN, "expected a function element, found <%s>", cls);
        return -2;
    }
    if (c->st != FA_OK) return -2;
    return add_fn(c, f);
}

/* Function for property prop of p; -1 if absent (zero function), -2 on error. */
static int parse_fn_prop(ctx *c, xmlNodePtr p, const char *prop)
{
    int present;
    xmlNodePtr e = fn_node(p, prop, &present);
    if (!e) return -1;
    return parse_fn(c, e);
}

/* ---------- lookup ---------- */

static int find_name(const char **names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (names[i] && !strcmp(names[i], s)) return i;
    return -1;
}

static const char *last_component(const char *s)
{
    const char *r = strrchr(s, '/');
    return r ? r + 1 : s;
}

static void ident(double R[9], double p[3])
{
    static const double I[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    memcpy(R, I, sizeof I);
    p[0] = p[1] = p[2] = 0.0;
}

/* X_out = X_a * X_b */
static void compose(double R[9], double p[3], const double Ra[9], const double pa[3],
                    const double Rb[9], const double pb[3])
{
    double Rt[9], pt[3];
    fa_osim_mat_mul(Rt, Ra, Rb);
    fa_osim_mat_vec(pt, Ra, pb);
    for (int i = 0; i < 3; i++) pt[i] += pa[i];
    memcpy(R, Rt, sizeof Rt);
    memcpy(p, pt, sizeof pt);
}

static int resolve_frame(ctx *c, xmlNodePtr where, const char *ref, xmlNodePtr joint, int *body,
                         double R[9], double p[3], int depth);

/* A PhysicalOffsetFrame element: its parent resolved, then its own offset. */
static int resolve_offset_frame(ctx *c, xmlNodePtr fr, xmlNodePtr joint, int *body, double R[9],
                                double p[3], int depth)
{
    char parent[512];
    xmlNodePtr sp = sock(fr, "socket_parent");
    if (!sp) {
        fail(c, fr, FA_ERR_MISSING, "<%s> needs <socket_parent>", (const char *)fr->name);
        return -1;
    }
    text_of(sp, parent, sizeof parent);
    double Rp[9], pp[3];
    if (resolve_frame(c, sp, parent, joint, body, Rp, pp, depth + 1)) return -1;
    double t[3], o[3];
    const double zero[3] = {0, 0, 0};
    if (get_vec(c, fr, "translation", t, 3, zero) || get_vec(c, fr, "orientation", o, 3, zero))
        return -1;
    double Ro[9];
    fa_osim_rot_xyz(Ro, o);
    compose(R, p, Rp, pp, Ro, t);
    return 0;
}

static xmlNodePtr joint_frame(xmlNodePtr joint, const char *name)
{
    xmlNodePtr frames = kid(joint, "frames");
    if (!frames) return NULL;
    for (xmlNodePtr f = frames->children; f; f = f->next)
        if (f->type == XML_ELEMENT_NODE && name_is(f, name)) return f;
    return NULL;
}

static int resolve_frame(ctx *c, xmlNodePtr where, const char *ref, xmlNodePtr joint, int *body,
                         double R[9], double p[3], int depth)
{
    if (depth > 8) {
        fail(c, where, FA_ERR_CYCLE, "frame reference \"%s\" nests too deeply (cycle?)", ref);
        return -1;
    }
    ident(R, p);
    if (joint) {
        xmlNodePtr fr = joint_frame(joint, ref);
        if (fr) return resolve_offset_frame(c, fr, joint, body, R, p, depth);
    }
    /* strip leading "/" and "../" */
    const char *s = ref;
    for (;;) {
        if (*s == '/')
            s++;
        else if (!strncmp(s, "../", 3))
            s += 3;
        else
            break;
    }
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    char *parts[8];
    int np = 0;
    char *sv = NULL;
    for (char *tok = strtok_r(buf, "/", &sv); tok && np < 8; tok = strtok_r(NULL, "/", &sv)) parts[np++] = tok;
    int b = -1;
    if (np == 1) {
        b = find_name(c->m->body_name, c->m->nbody, parts[0]);
        if (b < 0 && !strcmp(parts[0], "ground")) b = 0;
    } else if (np == 2 && !strcmp(parts[0], "bodyset")) {
        b = find_name(c->m->body_name, c->m->nbody, parts[1]);
    } else if (np == 3 && !strcmp(parts[0], "jointset")) {
        int j = find_name(c->m->joint_name, c->m->njoint, parts[1]);
        if (j >= 0) {
            xmlNodePtr fr = joint_frame(c->joints.v[j], parts[2]);
            if (fr) return resolve_offset_frame(c, fr, c->joints.v[j], body, R, p, depth);
        }
    }
    if (b < 0) {
        fail(c, where, FA_ERR_UNKNOWN,
             "expected a frame (a joint frame, /ground, /bodyset/<body> or /jointset/<joint>/<frame>), "
             "found \"%s\"",
             ref);
        return -1;
    }
    *body = b;
    return 0;
}

/* A body-frame reference for points and markers: v4 socket_parent_frame,
 * v3 <body>. Point location is mapped into the body frame. */
static int point_frame(ctx *c, xmlNodePtr e, int *body, double R[9], double p[3])
{
    char ref[512];
    xmlNodePtr f = sock(e, "socket_parent_frame");
    if (!f) f = kid(e, "body");
    if (!f) {
        fail(c, e, FA_ERR_MISSING, "<%s> needs <socket_parent_frame> or <body>", (const char *)e->name);
        return -1;
    }
    text_of(f, ref, sizeof ref);
    return resolve_frame(c, f, ref, NULL, body, R, p, 0);
}

/* ---------- model sections ---------- */

static void collect_objects(xmlNodePtr set, nodelist *l, const char *only)
{
    xmlNodePtr objs = kid(set, "objects");
    if (!objs) return;
    for (xmlNodePtr e = objs->children; e; e = e->next)
        if (e->type == XML_ELEMENT_NODE && (!only || !strcmp((const char *)e->name, only)))
            nl_push(l, e);
}

static int coord_motion_from_text(const char *s)
{
    if (!strcasecmp(s, "rotational")) return FA_OSIM_ROTATIONAL;
    if (!strcasecmp(s, "translational")) return FA_OSIM_TRANSLATIONAL;
    if (!strcasecmp(s, "coupled")) return FA_OSIM_COUPLED;
    return 0;
}

static int joint_kind(const char *cls)
{
    if (!strcmp(cls, "CustomJoint")) return FA_J_CUSTOM;
    if (!strcmp(cls, "PinJoint")) return FA_J_PIN;
    if (!strcmp(cls, "UniversalJoint")) return FA_J_UNIVERSAL;
    if (!strcmp(cls, "WeldJoint")) return FA_J_WELD;
    if (!strcmp(cls, "GimbalJoint") || !strcmp(cls, "BallJoint")) return FA_J_GIMBAL;
    if (!strcmp(cls, "FreeJoint")) return FA_J_FREE;
    if (!strcmp(cls, "SliderJoint")) return FA_J_SLIDER;
    if (!strcmp(cls, "PlanarJoint")) return FA_J_PLANAR;
    return -1;
}

static int joint_ncoord_expected(int kind)
{
    switch (kind) {
    case FA_J_PIN: return 1;
    case FA_J_UNIVERSAL: return 2;
    case FA_J_WELD: return 0;
    case FA_J_GIMBAL: return 3;
    case FA_J_FREE: return 6;
    case FA_J_SLIDER: return 1;
    case FA_J_PLANAR: return 3;
    default: return -1;
    }
}

static xmlNodePtr coord_container(ctx *c, xmlNodePtr j)
{
    if (c->v4) return kid(j, "coordinates");
    return kid(kid(j, "CoordinateSet"), "objects");
}

#define ALLOC(ptr, n)                                                                           \
    do {                                                                                         \
        (ptr) = calloc((size_t)((n) > 0 ? (n) : 1), sizeof *(ptr));                              \
        if (!(ptr)) return fail(c, NULL, FA_ERR_NOMEM, "out of memory");                         \
    } while (0)

static fa_status parse_bodies(ctx *c, xmlNodePtr model)
{
    fa_osim *m = c->m;
    xmlNodePtr ground = NULL;
    nodelist *bl = &c->bodies;
    if (c->v4) {
        ground = kid(model, "Ground");
        collect_objects(kid(model, "BodySet"), bl, "Body");
    } else {
        nodelist tmp = {0};
        collect_objects(kid(model, "BodySet"), &tmp, "Body");
        for (int i = 0; i < tmp.n; i++)
            if (name_is(tmp.v[i], "ground")) ground = tmp.v[i];
        for (int i = 0; i < tmp.n; i++)
            if (tmp.v[i] != ground) nl_push(bl, tmp.v[i]);
        free(tmp.v);
        c->ground3 = ground;
        if (!ground)
            return fail(c, kid(model, "BodySet"), FA_ERR_MISSING,
                        "OpenSim 3 model needs a Body named \"ground\" in its BodySet");
    }
    m->nbody = bl->n + 1;
    ALLOC(m->body_name, m->nbody);
    ALLOC(m->body_mass, m->nbody);
    ALLOC(m->body_com, 3 * m->nbody);
    ALLOC(m->body_inertia, 6 * m->nbody);
    ALLOC(m->body_joint, m->nbody);
    m->body_name[0] = ground ? name_of(ground) : strdup("ground");
    if (!m->body_name[0][0]) {
        free((void *)m->body_name[0]);
        m->body_name[0] = strdup("ground");
    }
    m->body_joint[0] = -1;
    for (int i = 0; i < bl->n; i++) {
        xmlNodePtr e = bl->v[i];
        int b = i + 1;
        m->body_name[b] = name_of(e);
        if (find_name(m->body_name, b, m->body_name[b]) >= 0)
            return fail(c, e, FA_ERR_DUPLICATE, "duplicate body name \"%s\"", m->body_name[b]);
        m->body_mass[b] = get_num(c, e, "mass", 0.0);
        const double z3[3] = {0, 0, 0};
        get_vec(c, e, "mass_center", m->body_com + 3 * b, 3, z3);
        if (kid(e, "inertia")) {
            get_vec(c, e, "inertia", m->body_inertia + 6 * b, 6, NULL);
        } else {
            static const char *const in[6] = {"inertia_xx", "inertia_yy", "inertia_zz",
                                               "inertia_xy", "inertia_xz", "inertia_yz"};
            for (int k = 0; k < 6; k++) m->body_inertia[6 * b + k] = get_num(c, e, in[k], 0.0);
        }
        m->body_joint[b] = -1;
        if (c->st) return c->st;
        if (!(m->body_mass[b] >= 0.0))
            return fail(c, kid(e, "mass"), FA_ERR_RANGE, "body \"%s\": mass must be >= 0, found %g",
                        m->body_name[b], m->body_mass[b]);
    }
    return c->st;
}

static fa_status collect_joints(ctx *c, xmlNodePtr model)
{
    if (c->v4) {
        xmlNodePtr js = kid(kid(model, "JointSet"), "objects");
        for (xmlNodePtr e = js ? js->children : NULL; e; e = e->next)
            if (e->type == XML_ELEMENT_NODE) nl_push(&c->joints, e);
        c->joint_owner_body = NULL;
    } else {
        c->joint_owner_body = calloc((size_t)c->bodies.n + 1, sizeof(int));
        if (!c->joint_owner_body) return fail(c, NULL, FA_ERR_NOMEM, "out of memory");
        for (int i = 0; i < c->bodies.n; i++) {
            xmlNodePtr jw = kid(c->bodies.v[i], "Joint");
            for (xmlNodePtr e = jw ? jw->children : NULL; e; e = e->next)
                if (e->type == XML_ELEMENT_NODE) {
                    c->joint_owner_body[c->joints.n] = i + 1;
                    nl_push(&c->joints, e);
                    break;
                }
        }
    }
    return c->st;
}

static fa_status parse_joint_headers(ctx *c)
{
    fa_osim *m = c->m;
    int nj = c->joints.n;
    m->njoint = nj;
    ALLOC(m->joint_name, nj);
    ALLOC(m->joint_type, nj);
    ALLOC(m->joint_parent, nj);
    ALLOC(m->joint_child, nj);
    ALLOC(m->joint_coord_adr, nj);
    ALLOC(m->joint_coord_num, nj);
    ALLOC(c->im->joint, nj);
    ALLOC(c->im->joint_order, nj);
    int nc = 0;
    for (int j = 0; j < nj; j++) {
        xmlNodePtr e = c->joints.v[j];
        m->joint_name[j] = name_of(e);
        m->joint_type[j] = strdup((const char *)e->name);
        if (find_name(m->joint_name, j, m->joint_name[j]) >= 0)
            return fail(c, e, FA_ERR_DUPLICATE, "duplicate joint name \"%s\"", m->joint_name[j]);
        int kind = joint_kind((const char *)e->name);
        if (kind < 0)
            return fail(c, e, FA_ERR_UNSUPPORTED,
                        "joint type <%s> is not supported (expected CustomJoint, PinJoint, "
                        "UniversalJoint, WeldJoint, BallJoint, GimbalJoint, FreeJoint, "
                        "SliderJoint or PlanarJoint)",
                        (const char *)e->name);
        c->im->joint[j].kind = kind;
        xmlNodePtr cs = coord_container(c, e);
        int k = 0;
        for (xmlNodePtr ce = cs ? cs->children : NULL; ce; ce = ce->next)
            if (is_el(ce, "Coordinate")) k++;
        int want = joint_ncoord_expected(kind);
        if (want >= 0 && k != want)
            return fail(c, e, FA_ERR_SYNTAX, "%s \"%s\" expected %d coordinate%s, found %d",
                        (const char *)e->name, m->joint_name[j], want, want == 1 ? "" : "s", k);
        m->joint_coord_adr[j] = nc;
        m->joint_coord_num[j] = k;
        nc += k;
    }
    m->ncoord = nc;
    ALLOC(m->coord_name, nc);
    ALLOC(m->coord_joint, nc);
    ALLOC(m->coord_motion, nc);
    ALLOC(m->coord_default, nc);
    ALLOC(m->coord_range, 2 * nc);
    ALLOC(m->coord_locked, nc);
    ALLOC(m->coord_clamped, nc);
    ALLOC(m->coord_indep, nc);
    for (int j = 0; j < nj; j++) {
        xmlNodePtr cs = coord_container(c, c->joints.v[j]);
        int i = m->joint_coord_adr[j];
        for (xmlNodePtr ce = cs ? cs->children : NULL; ce; ce = ce->next) {
            if (!is_el(ce, "Coordinate")) continue;
            m->coord_name[i] = name_of(ce);
            if (find_name(m->coord_name, i, m->coord_name[i]) >= 0)
                return fail(c, ce, FA_ERR_DUPLICATE, "duplicate coordinate name \"%s\"",
                            m->coord_name[i]);
            m->coord_joint[i] = j;
            m->coord_default[i] = get_num(c, ce, "default_value", 0.0);
            const double dr[2] = {-99999.9, 99999.9};
            get_vec(c, ce, "range", m->coord_range + 2 * i, 2, dr);
            m->coord_locked[i] = (unsigned char)get_bool(c, ce, "locked", 0);
            m->coord_clamped[i] = (unsigned char)get_bool(c, ce, "clamped", 0);
            m->coord_indep[i] = -1;
            char mt[32];
            if (text_of(kid(ce, "motion_type"), mt, sizeof mt) > 0) {
                m->coord_motion[i] = coord_motion_from_text(mt);
                if (!m->coord_motion[i])
                    return fail(c, kid(ce, "motion_type"), FA_ERR_SYNTAX,
                                "<motion_type> expected rotational, translational or coupled, found \"%s\"",
                                mt);
            }
            if (c->st) return c->st;
            i++;
        }
    }
    return c->st;
}

static int joint_coord(ctx *c, int j, const char *name)
{
    fa_osim *m = c->m;
    for (int k = 0; k < m->joint_coord_num[j]; k++)
        if (!strcmp(m->coord_name[m->joint_coord_adr[j] + k], name)) return m->joint_coord_adr[j] + k;
    return find_name(m->coord_name, m->ncoord, name);
}

static fa_status parse_spatial_transform(ctx *c, int j, xmlNodePtr e)
{
    fa_osim *m = c->m;
    fa_osim_joint *J = &c->im->joint[j];
    static const char *const axn[6] = {"rotation1", "rotation2", "rotation3",
                                        "translation1", "translation2", "translation3"};
    static const double dax[6][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1},
                                     {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    xmlNodePtr stf = kid(e, "SpatialTransform");
    for (int a = 0; a < 6; a++) {
        J->fn[a] = -1;
        J->fcoord[a] = -1;
        memcpy(J->axis[a], dax[a], sizeof dax[a]);
    }
    if (!stf) return fail(c, e, FA_ERR_MISSING, "CustomJoint \"%s\" needs a <SpatialTransform>", m->joint_name[j]);
    for (xmlNodePtr ta = stf->children; ta; ta = ta->next) {
        if (!is_el(ta, "TransformAxis")) continue;
        int a = -1;
        for (int k = 0; k < 6; k++)
            if (name_is(ta, axn[k])) a = k;
        if (a < 0) {
            char *nm = name_of(ta);
            fail(c, ta, FA_ERR_UNKNOWN, "TransformAxis name expected rotation1..3 or translation1..3, found \"%s\"", nm);
            free(nm);
            return c->st;
        }
        double ax[3];
        if (get_vec(c, ta, "axis", ax, 3, NULL)) return c->st;
        double nrm = sqrt(ax[0] * ax[0] + ax[1] * ax[1] + ax[2] * ax[2]);
        if (!(nrm > 0.0)) return fail(c, kid(ta, "axis"), FA_ERR_GEOMETRY, "TransformAxis %s has a zero axis", axn[a]);
        for (int k = 0; k < 3; k++) J->axis[a][k] = ax[k] / nrm;
        char cn[512];
        text_of(kid(ta, "coordinates"), cn, sizeof cn);
        char *save = NULL, *tok = strtok_r(cn, " \t\r\n", &save);
        if (tok) {
            int q = joint_coord(c, j, tok);
            if (q < 0)
                return fail(c, kid(ta, "coordinates"), FA_ERR_UNKNOWN,
                            "TransformAxis %s of joint \"%s\": unknown coordinate \"%s\"", axn[a],
                            m->joint_name[j], tok);
            J->fcoord[a] = q;
            if (strtok_r(NULL, " \t\r\n", &save))
                return fail(c, kid(ta, "coordinates"), FA_ERR_UNSUPPORTED,
                            "TransformAxis %s of joint \"%s\": functions of several coordinates are not supported",
                            axn[a], m->joint_name[j]);
        }
        int f = parse_fn_prop(c, ta, "function");
        if (f < -1) return c->st;
        if (f < 0 && J->fcoord[a] >= 0) {
            /* no function: OpenSim's default is identity in the coordinate */
            fa_osim_fn lin = {FA_FN_LINEAR, 0, 0, -1, 1.0, 0.0};
            f = add_fn(c, lin);
        }
        J->fn[a] = f;
    }
    /* motion types of this joint's coordinates (v4 files do not state them) */
    for (int k = 0; k < m->joint_coord_num[j]; k++) {
        int q = m->joint_coord_adr[j] + k;
        if (m->coord_motion[q]) continue;
        int mt = FA_OSIM_ROTATIONAL;
        for (int a = 0; a < 6; a++)
            if (J->fcoord[a] == q) {
                int lin = J->fn[a] >= 0 && c->im->fn[J->fn[a]].kind == FA_FN_LINEAR;
                mt = !lin ? FA_OSIM_COUPLED : a < 3 ? FA_OSIM_ROTATIONAL : FA_OSIM_TRANSLATIONAL;
                break;
            }
        m->coord_motion[q] = mt;
    }
    return c->st;
}

static fa_status parse_joints(ctx *c)
{
    fa_osim *m = c->m;
    for (int j = 0; j < m->njoint; j++) {
        xmlNodePtr e = c->joints.v[j];
        fa_osim_joint *J = &c->im->joint[j];
        int pb = -1, cb = -1;
        if (c->v4) {
            char pref[512], cref[512];
            xmlNodePtr ps = sock(e, "socket_parent_frame"), cs = sock(e, "socket_child_frame");
            if (!ps || !cs)
                return fail(c, e, FA_ERR_MISSING, "joint \"%s\" needs <socket_parent_frame> and <socket_child_frame>",
                            m->joint_name[j]);
            text_of(ps, pref, sizeof pref);
            text_of(cs, cref, sizeof cref);
            if (resolve_frame(c, ps, pref, e, &pb, J->RPF, J->pPF, 0)) return c->st;
            if (resolve_frame(c, cs, cref, e, &cb, J->RBM, J->pBM, 0)) return c->st;
        } else {
            char pn[256];
            xmlNodePtr pe = kid(e, "parent_body");
            if (!pe) return fail(c, e, FA_ERR_MISSING, "joint \"%s\" needs <parent_body>", m->joint_name[j]);
            text_of(pe, pn, sizeof pn);
            pb = find_name(m->body_name, m->nbody, pn);
            if (pb < 0) return fail(c, pe, FA_ERR_UNKNOWN, "joint \"%s\": expected a body name in <parent_body>, found \"%s\"", m->joint_name[j], pn);
            cb = c->joint_owner_body[j];
            double lp[3], op[3], lc[3], oc[3];
            const double z3[3] = {0, 0, 0};
            if (get_vec(c, e, "location_in_parent", lp, 3, z3) || get_vec(c, e, "orientation_in_parent", op, 3, z3) ||
                get_vec(c, e, "location", lc, 3, z3) || get_vec(c, e, "orientation", oc, 3, z3))
                return c->st;
            fa_osim_rot_xyz(J->RPF, op);
            memcpy(J->pPF, lp, sizeof lp);
            fa_osim_rot_xyz(J->RBM, oc);
            memcpy(J->pBM, lc, sizeof lc);
            if (get_bool(c, e, "reverse", 0))
                return fail(c, kid(e, "reverse"), FA_ERR_UNSUPPORTED, "joint \"%s\": reversed joints are not supported", m->joint_name[j]);
        }
        if (cb == 0) return fail(c, e, FA_ERR_CYCLE, "joint \"%s\" has ground as its child", m->joint_name[j]);
        if (pb == cb) return fail(c, e, FA_ERR_CYCLE, "joint \"%s\" connects body \"%s\" to itself", m->joint_name[j], m->body_name[cb]);
        if (m->body_joint[cb] >= 0)
            return fail(c, e, FA_ERR_DUPLICATE, "body \"%s\" is the child of two joints (\"%s\" and \"%s\")",
                        m->body_name[cb], m->joint_name[m->body_joint[cb]], m->joint_name[j]);
        m->joint_parent[j] = pb;
        m->joint_child[j] = cb;
        m->body_joint[cb] = j;
        if (J->kind == FA_J_CUSTOM) {
            if (parse_spatial_transform(c, j, e)) return c->st;
        } else {
            for (int k = 0; k < m->joint_coord_num[j]; k++) {
                int q = m->joint_coord_adr[j] + k;
                if (m->coord_motion[q]) continue;
                int tr = (J->kind == FA_J_FREE && k >= 3) || J->kind == FA_J_SLIDER || (J->kind == FA_J_PLANAR && k >= 1);
                m->coord_motion[q] = tr ? FA_OSIM_TRANSLATIONAL : FA_OSIM_ROTATIONAL;
            }
        }
    }
    /* topological order: parents before children */
    unsigned char *done = calloc((size_t)m->nbody, 1);
    if (!done) return fail(c, NULL, FA_ERR_NOMEM, "out of memory");
    done[0] = 1;
    int no = 0;
    for (int pass = 0; pass < m->njoint + 1 && no < m->njoint; pass++)
        for (int j = 0; j < m->njoint; j++)
            if (!done[m->joint_child[j]] && done[m->joint_parent[j]]) {
                done[m->joint_child[j]] = 1;
                c->im->joint_order[no++] = j;
            }
    for (int b = 1; b < m->nbody && !c->st; b++)
        if (!done[b]) {
            xmlNodePtr bn = c->bodies.v[b - 1];
            if (m->body_joint[b] < 0)
                fail(c, bn, FA_ERR_MISSING, "body \"%s\" is not connected by any joint", m->body_name[b]);
            else
                fail(c, c->joints.v[m->body_joint[b]], FA_ERR_CYCLE,
                     "body \"%s\" is not connected to ground (joint loop)", m->body_name[b]);
        }
    free(done);
    return c->st;
}

static fa_status parse_couplers(ctx *c, xmlNodePtr model)
{
    fa_osim *m = c->m;
    collect_objects(kid(model, "ConstraintSet"), &c->couplers, "CoordinateCouplerConstraint");
    ALLOC(c->im->cpl, c->couplers.n);
    for (int i = 0; i < c->couplers.n; i++) {
        xmlNodePtr e = c->couplers.v[i];
        int on = get_bool(c, e, "isEnforced", 1) && !get_bool(c, e, "isDisabled", 0);
        if (!on) continue;
        char in[256], dn[256];
        text_of(kid(e, "independent_coordinate_names"), in, sizeof in);
        text_of(kid(e, "dependent_coordinate_name"), dn, sizeof dn);
        if (strchr(in, ' ') || strchr(in, '\t'))
            return fail(c, kid(e, "independent_coordinate_names"), FA_ERR_UNSUPPORTED,
                        "coupler with several independent coordinates (\"%s\") is not supported", in);
        int qi = find_name(m->coord_name, m->ncoord, in), qd = find_name(m->coord_name, m->ncoord, dn);
        if (qi < 0)
            return fail(c, kid(e, "independent_coordinate_names") ? kid(e, "independent_coordinate_names") : e,
                        FA_ERR_UNKNOWN, "coupler: expected an independent coordinate name, found \"%s\"", in);
        if (qd < 0)
            return fail(c, kid(e, "dependent_coordinate_name") ? kid(e, "dependent_coordinate_name") : e,
                        FA_ERR_UNKNOWN, "coupler: expected a dependent coordinate name, found \"%s\"", dn);
        int f = parse_fn_prop(c, e, "coupled_coordinates_function");
        if (f < -1) return c->st;
        if (f < 0) return fail(c, e, FA_ERR_MISSING, "coupler needs <coupled_coordinates_function>");
        fa_osim_coupler *cp = &c->im->cpl[c->im->ncpl++];
        cp->dep = qd;
        cp->indep = qi;
        cp->fn = f;
        cp->scale = get_num(c, e, "scale_factor", 1.0);
        m->coord_indep[qd] = qi;
    }
    return c->st;
}

static fa_status parse_markers(ctx *c, xmlNodePtr model)
{
    fa_osim *m = c->m;
    collect_objects(kid(model, "MarkerSet"), &c->markers, "Marker");
    m->nmarker = c->markers.n;
    ALLOC(m->marker_name, m->nmarker);
    ALLOC(m->marker_body, m->nmarker);
    ALLOC(m->marker_loc, 3 * m->nmarker);
    for (int i = 0; i < m->nmarker; i++) {
        xmlNodePtr e = c->markers.v[i];
        m->marker_name[i] = name_of(e);
        double R[9], p[3], loc[3];
        if (point_frame(c, e, &m->marker_body[i], R, p)) return c->st;
        if (get_vec(c, e, "location", loc, 3, NULL)) return c->st;
        fa_osim_mat_vec(m->marker_loc + 3 * i, R, loc);
        for (int k = 0; k < 3; k++) m->marker_loc[3 * i + k] += p[k];
    }
    return c->st;
}

static int path_kind(const char *cls)
{
    if (strstr(cls, "Muscle")) return FA_OSIM_MUSCLE;
    if (strstr(cls, "Ligament")) return FA_OSIM_LIGAMENT;
    return FA_OSIM_OTHER_PATH;
}

static xmlNodePtr point_container(xmlNodePtr force)
{
    return kid(kid(kid(force, "GeometryPath"), "PathPointSet"), "objects");
}

static int coord_ref(ctx *c, xmlNodePtr e, const char *v4name, const char *v3name, int *q)
{
    xmlNodePtr r = sock(e, v4name);
    if (!r) r = kid(e, v3name);
    *q = -1;
    if (!r) return 0;
    char buf[512];
    if (text_of(r, buf, sizeof buf) <= 0) return 0;
    const char *nm = last_component(buf);
    *q = find_name(c->m->coord_name, c->m->ncoord, nm);
    if (*q < 0) {
        fail(c, r, FA_ERR_UNKNOWN, "<%s> expected a coordinate of the model, found \"%s\"", (const char *)r->name, buf);
        return -1;
    }
    return 0;
}

static fa_status parse_forces(ctx *c, xmlNodePtr model)
{
    fa_osim *m = c->m;
    xmlNodePtr objs = kid(kid(model, "ForceSet"), "objects");
    int npt = 0;
    for (xmlNodePtr e = objs ? objs->children : NULL; e; e = e->next) {
        if (e->type != XML_ELEMENT_NODE || !kid(e, "GeometryPath")) continue;
        int kind = path_kind((const char *)e->name);
        if (kind == FA_OSIM_LIGAMENT && !c->def->include_ligaments) continue;
        int en = c->v4 ? get_bool(c, e, "appliesForce", 1) : !get_bool(c, e, "isDisabled", 0);
        if (!en && !c->def->include_disabled) continue;
        nl_push(&c->forces, e);
        xmlNodePtr pts = point_container(e);
        for (xmlNodePtr p = pts ? pts->children : NULL; p; p = p->next)
            if (p->type == XML_ELEMENT_NODE) npt++;
    }
    if (c->st) return c->st;
    int n = m->nmuscle = c->forces.n;
    ALLOC(m->muscle_name, n);
    ALLOC(m->muscle_type, n);
    ALLOC(m->muscle_kind, n);
    ALLOC(m->muscle_enabled, n);
    ALLOC(m->muscle_fmax, n);
    ALLOC(m->muscle_lopt, n);
    ALLOC(m->muscle_lts, n);
    ALLOC(m->muscle_penn, n);
    ALLOC(m->muscle_vmax, n);
    ALLOC(m->muscle_point_adr, n);
    ALLOC(m->muscle_point_num, n);
    ALLOC(m->muscle_nwrap, n);
    m->npoint = npt;
    ALLOC(m->point_name, npt);
    ALLOC(m->point_kind, npt);
    ALLOC(m->point_body, npt);
    ALLOC(m->point_loc, 3 * npt);
    ALLOC(m->point_coord, npt);
    ALLOC(m->point_range, 2 * npt);
    ALLOC(c->im->point_fn, 3 * npt);
    ALLOC(c->im->point_fcoord, 3 * npt);
    int k = 0;
    for (int i = 0; i < n; i++) {
        xmlNodePtr e = c->forces.v[i];
        m->muscle_name[i] = name_of(e);
        if (find_name(m->muscle_name, i, m->muscle_name[i]) >= 0)
            return fail(c, e, FA_ERR_DUPLICATE, "duplicate force name \"%s\"", m->muscle_name[i]);
        m->muscle_type[i] = strdup((const char *)e->name);
        m->muscle_kind[i] = path_kind((const char *)e->name);
        m->muscle_enabled[i] = (unsigned char)(c->v4 ? get_bool(c, e, "appliesForce", 1) : !get_bool(c, e, "isDisabled", 0));
        m->muscle_fmax[i] = get_num(c, e, "max_isometric_force", NAN);
        m->muscle_lopt[i] = get_num(c, e, "optimal_fiber_length", NAN);
        m->muscle_lts[i] = get_num(c, e, "tendon_slack_length", NAN);
        m->muscle_penn[i] = get_num(c, e, "pennation_angle_at_optimal", NAN);
        m->muscle_vmax[i] = get_num(c, e, "max_contraction_velocity", NAN);
        /* properties a muscle leaves out come from its class's <defaults> template */
        xmlNodePtr tpl = NULL;
        for (xmlNodePtr d = c->defaults ? c->defaults->children : NULL; d; d = d->next)
            if (d->type == XML_ELEMENT_NODE && !strcmp((const char *)d->name, (const char *)e->name)) tpl = d;
        if (tpl) {
            if (isnan(m->muscle_fmax[i])) m->muscle_fmax[i] = get_num(c, tpl, "max_isometric_force", NAN);
            if (isnan(m->muscle_lopt[i])) m->muscle_lopt[i] = get_num(c, tpl, "optimal_fiber_length", NAN);
            if (isnan(m->muscle_lts[i])) m->muscle_lts[i] = get_num(c, tpl, "tendon_slack_length", NAN);
            if (isnan(m->muscle_penn[i])) m->muscle_penn[i] = get_num(c, tpl, "pennation_angle_at_optimal", NAN);
            if (isnan(m->muscle_vmax[i])) m->muscle_vmax[i] = get_num(c, tpl, "max_contraction_velocity", NAN);
        }
        if (m->muscle_kind[i] == FA_OSIM_LIGAMENT) {
            if (kid(e, "pcsa_force")) m->muscle_fmax[i] = get_num(c, e, "pcsa_force", NAN);
            if (kid(e, "resting_length")) m->muscle_lts[i] = get_num(c, e, "resting_length", NAN);
            if (kid(e, "slack_length")) m->muscle_lts[i] = get_num(c, e, "slack_length", NAN);
        }
        xmlNodePtr wraps = kid(kid(kid(e, "GeometryPath"), "PathWrapSet"), "objects");
        for (xmlNodePtr w = wraps ? wraps->children : NULL; w; w = w->next)
            if (w->type == XML_ELEMENT_NODE) m->muscle_nwrap[i]++;
        m->muscle_point_adr[i] = k;
        xmlNodePtr pts = point_container(e);
        for (xmlNodePtr p = pts ? pts->children : NULL; p; p = p->next) {
            if (p->type != XML_ELEMENT_NODE) continue;
            const char *cls = (const char *)p->name;
            m->point_name[k] = name_of(p);
            m->point_coord[k] = -1;
            for (int a = 0; a < 3; a++) c->im->point_fn[3 * k + a] = c->im->point_fcoord[3 * k + a] = -1;
            double R[9], t[3], loc[3] = {0, 0, 0};
            if (point_frame(c, p, &m->point_body[k], R, t)) return c->st;
            if (!strcmp(cls, "PathPoint") || !strcmp(cls, "ConditionalPathPoint")) {
                if (get_vec(c, p, "location", loc, 3, NULL)) return c->st;
                fa_osim_mat_vec(m->point_loc + 3 * k, R, loc);
                for (int a = 0; a < 3; a++) m->point_loc[3 * k + a] += t[a];
                m->point_kind[k] = FA_OSIM_POINT_FIXED;
                if (cls[0] == 'C') {
                    m->point_kind[k] = FA_OSIM_POINT_CONDITIONAL;
                    if (coord_ref(c, p, "socket_coordinate", "coordinate", &m->point_coord[k])) return c->st;
                    if (m->point_coord[k] < 0)
                        return fail(c, p, FA_ERR_MISSING, "ConditionalPathPoint \"%s\" needs a coordinate", m->point_name[k]);
                    if (get_vec(c, p, "range", m->point_range + 2 * k, 2, NULL)) return c->st;
                }
            } else if (!strcmp(cls, "MovingPathPoint")) {
                m->point_kind[k] = FA_OSIM_POINT_MOVING;
                static const double I[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
                if (memcmp(R, I, sizeof I) || t[0] != 0.0 || t[1] != 0.0 || t[2] != 0.0)
                    return fail(c, p, FA_ERR_UNSUPPORTED, "MovingPathPoint \"%s\" on an offset frame is not supported",
                                m->point_name[k]);
                static const char *const v4c[3] = {"socket_x_coordinate", "socket_y_coordinate", "socket_z_coordinate"};
                static const char *const v3c[3] = {"x_coordinate", "y_coordinate", "z_coordinate"};
                static const char *const fl[3] = {"x_location", "y_location", "z_location"};
                for (int a = 0; a < 3; a++) {
                    if (coord_ref(c, p, v4c[a], v3c[a], &c->im->point_fcoord[3 * k + a])) return c->st;
                    int f = parse_fn_prop(c, p, fl[a]);
                    if (f < -1) return c->st;
                    c->im->point_fn[3 * k + a] = f;
                }
            } else {
                return fail(c, p, FA_ERR_UNSUPPORTED,
                            "path point type <%s> is not supported (expected PathPoint, ConditionalPathPoint or MovingPathPoint)",
                            cls);
            }
            if (c->st) return c->st;
            k++;
        }
        m->muscle_point_num[i] = k - m->muscle_point_adr[i];
        if (m->muscle_point_num[i] < 2)
            return fail(c, kid(e, "GeometryPath"), FA_ERR_GEOMETRY, "path of \"%s\" expected at least 2 points, found %d",
                        m->muscle_name[i], m->muscle_point_num[i]);
    }
    m->npoint = k;
    return c->st;
}

/* Mesh references (v4 attached_geometry/Mesh, v3 VisibleObject DisplayGeometry).
 * Never fatal for missing files: only names are recorded. */
static fa_status parse_geometry(ctx *c, xmlNodePtr ground)
{
    fa_osim *m = c->m;
    nodelist g = {0};
    int *gb = NULL;
    int cap = 0;
    for (int b = 0; b < m->nbody; b++) {
        xmlNodePtr bn = b == 0 ? ground : c->bodies.v[b - 1];
        if (!bn) continue;
        xmlNodePtr set = c->v4 ? kid(bn, "attached_geometry")
                               : kid(kid(kid(bn, "VisibleObject"), "GeometrySet"), "objects");
        for (xmlNodePtr e = set ? set->children : NULL; e; e = e->next) {
            if (!is_el(e, c->v4 ? "Mesh" : "DisplayGeometry")) continue;
            if (g.n == cap) {
                cap = cap ? 2 * cap : 64;
                int *nb = realloc(gb, (size_t)cap * sizeof *nb);
                if (!nb) {
                    free(gb);
                    free(g.v);
                    return fail(c, NULL, FA_ERR_NOMEM, "out of memory");
                }
                gb = nb;
            }
            gb[g.n] = b;
            nl_push(&g, e);
        }
    }
    m->ngeom = g.n;
    m->geom_file = calloc((size_t)(g.n ? g.n : 1), sizeof *m->geom_file);
    m->geom_body = calloc((size_t)(g.n ? g.n : 1), sizeof *m->geom_body);
    m->geom_scale = calloc((size_t)(g.n ? g.n : 1) * 3, sizeof(double));
    m->geom_R = calloc((size_t)(g.n ? g.n : 1) * 9, sizeof(double));
    m->geom_p = calloc((size_t)(g.n ? g.n : 1) * 3, sizeof(double));
    if (!m->geom_file || !m->geom_body || !m->geom_scale || !m->geom_R || !m->geom_p) {
        free(gb);
        free(g.v);
        return fail(c, NULL, FA_ERR_NOMEM, "out of memory");
    }
    const double one[3] = {1, 1, 1};
    for (int i = 0; i < g.n && !c->st; i++) {
        xmlNodePtr e = g.v[i];
        char file[512];
        text_of(kid(e, c->v4 ? "mesh_file" : "geometry_file"), file, sizeof file);
        m->geom_file[i] = strdup(file);
        m->geom_body[i] = gb[i];
        get_vec(c, e, "scale_factors", m->geom_scale + 3 * i, 3, one);
        double *R = m->geom_R + 9 * i, *p = m->geom_p + 3 * i;
        ident(R, p);
        if (!c->v4) {
            double t[6];
            const double z6[6] = {0, 0, 0, 0, 0, 0};
            get_vec(c, e, "transform", t, 6, z6);
            fa_osim_rot_xyz(R, t);
            memcpy(p, t + 3, 3 * sizeof(double));
            double vs[3];
            xmlNodePtr vo = e->parent && e->parent->parent ? e->parent->parent->parent : NULL;
            if (is_el(vo, "VisibleObject")) {
                get_vec(c, vo, "scale_factors", vs, 3, one);
                for (int k = 0; k < 3; k++) m->geom_scale[3 * i + k] *= vs[k];
            }
        } else {
            char fr[512];
            text_of(sock(e, "socket_frame"), fr, sizeof fr);
            if (fr[0] && strcmp(fr, "..")) {
                /* an offset frame: place the mesh in its body when it resolves */
                int body = -1;
                double Rf[9], pf[3];
                fa_status save = c->st;
                fa_error *esave = c->err;
                fa_error scratch;
                c->err = &scratch;
                if (resolve_frame(c, e, fr, NULL, &body, Rf, pf, 0) == 0 && body >= 0) {
                    m->geom_body[i] = body;
                    memcpy(R, Rf, sizeof Rf);
                    memcpy(p, pf, sizeof pf);
                }
                c->st = save;
                c->err = esave;
            }
        }
    }
    free(gb);
    free(g.v);
    return c->st;
}

/* Wrap objects of every body and the PathWraps of every muscle. Cylinders
 * and spheres are applied to path lengths; other shapes are recorded only. */
static fa_status parse_wraps(ctx *c, xmlNodePtr ground)
{
    fa_osim *m = c->m;
    struct fa_osim_impl_ *im = c->im;
    int cap = 0;
    for (int b = 0; b < m->nbody; b++) {
        xmlNodePtr bn = b == 0 ? ground : c->bodies.v[b - 1];
        xmlNodePtr set = kid(kid(bn, "WrapObjectSet"), "objects");
        for (xmlNodePtr e = set ? set->children : NULL; e; e = e->next) {
            if (e->type != XML_ELEMENT_NODE) continue;
            if (im->nwobj == cap) {
                cap = cap ? 2 * cap : 32;
                fa_osim_wrapobj *v = realloc(im->wobj, (size_t)cap * sizeof *v);
                if (!v) return fail(c, NULL, FA_ERR_NOMEM, "out of memory");
                im->wobj = v;
            }
            fa_osim_wrapobj *w = &im->wobj[im->nwobj];
            memset(w, 0, sizeof *w);
            char *nm = name_of(e);
            snprintf(w->name, sizeof w->name, "%s", nm);
            free(nm);
            w->kind = !strcmp((const char *)e->name, "WrapCylinder") ? 0 : !strcmp((const char *)e->name, "WrapSphere") ? 2 : 1;
            w->body = b;
            double rot[3];
            const double z3[3] = {0, 0, 0};
            if (get_vec(c, e, "xyz_body_rotation", rot, 3, z3) || get_vec(c, e, "translation", w->p, 3, z3))
                return c->st;
            fa_osim_rot_xyz(w->R, rot);
            w->radius = get_num(c, e, "radius", 0.0);
            w->length = get_num(c, e, "length", 1.0);
            w->active = get_bool(c, e, "active", 1);
            char q[32];
            w->qaxis = -1;
            w->qsign = 0;
            if (text_of(kid(e, "quadrant"), q, sizeof q) > 0 && strcasecmp(q, "all")) {
                const char *t = q;
                int sg = 1;
                if (*t == '+' || *t == '-') sg = *t++ == '-' ? -1 : 1;
                int ax = (*t == 'x' || *t == 'X') ? 0 : (*t == 'y' || *t == 'Y') ? 1 : (*t == 'z' || *t == 'Z') ? 2 : -1;
                if (ax < 0 || t[1])
                    return fail(c, kid(e, "quadrant"), FA_ERR_SYNTAX,
                                "<quadrant> expected all, +x, -x, +y, -y, +z or -z, found \"%s\"", q);
                w->qaxis = ax;
                w->qsign = sg;
            }
            if (c->st) return c->st;
            if (w->kind != 1 && !(w->radius > 0.0))
                return fail(c, kid(e, "radius") ? kid(e, "radius") : e, FA_ERR_RANGE,
                            "%s \"%s\": radius must be > 0, found %g", (const char *)e->name, w->name, w->radius);
            im->nwobj++;
        }
    }
    int total = 0;
    for (int i = 0; i < m->nmuscle; i++) total += m->muscle_nwrap[i];
    im->pwrap = calloc(total > 0 ? (size_t)total : 1, sizeof *im->pwrap);
    im->pwrap_adr = calloc(m->nmuscle > 0 ? (size_t)m->nmuscle : 1, sizeof(int));
    if (!im->pwrap || !im->pwrap_adr) return fail(c, NULL, FA_ERR_NOMEM, "out of memory");
    int k = 0;
    for (int i = 0; i < m->nmuscle; i++) {
        im->pwrap_adr[i] = k;
        xmlNodePtr wraps = kid(kid(kid(c->forces.v[i], "GeometryPath"), "PathWrapSet"), "objects");
        for (xmlNodePtr w = wraps ? wraps->children : NULL; w; w = w->next) {
            if (w->type != XML_ELEMENT_NODE) continue;
            fa_osim_pathwrap *pw = &im->pwrap[k++];
            char on[256];
            text_of(kid(w, "wrap_object"), on, sizeof on);
            pw->obj = -1;
            for (int o = 0; o < im->nwobj; o++)
                if (!strcmp(im->wobj[o].name, on)) pw->obj = o;
            if (pw->obj < 0)
                return fail(c, kid(w, "wrap_object") ? kid(w, "wrap_object") : w, FA_ERR_UNKNOWN,
                            "PathWrap of \"%s\": expected the name of a wrap object, found \"%s\"", m->muscle_name[i], on);
            double r[2];
            const double dr[2] = {-1, -1};
            if (get_vec(c, w, "range", r, 2, dr)) return c->st;
            pw->start = (int)r[0];
            pw->end = (int)r[1];
        }
    }
    im->wrap_enabled = 1;
    return c->st;
}

/* ---------- entry ---------- */

fa_status fa_osim_load(const char *path, fa_osim **out, fa_error *err)
{
    fa_osim_load_def def = FA_OSIM_LOAD_DEF_DEFAULT;
    return fa_osim_load_ex(path, &def, out, err);
}

fa_status fa_osim_load_ex(const char *path, const fa_osim_load_def *def, fa_osim **out, fa_error *err)
{
    fa_osim_load_def ddef = FA_OSIM_LOAD_DEF_DEFAULT;
    if (!def) def = &ddef;
    if (!path || !out) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_osim_load: NULL argument");
    *out = NULL;
    /* read the file ourselves: libxml2's own I/O errors go to stderr */
    char *buf;
    size_t len;
    fa_status rs = fa_read_file(path, (size_t)0x7fffffff, &buf, &len, err);
    if (rs != FA_OK) return rs;
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (!pc) {
        free(buf);
        return fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "cannot create the XML parser");
    }
    xmlDocPtr doc = xmlCtxtReadMemory(pc, buf, (int)len, path, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                          XML_PARSE_BIG_LINES | XML_PARSE_NOBLANKS);
    free(buf);
    if (!doc || !pc->wellFormed) {
        const xmlError *xe = xmlCtxtGetLastError(pc);
        fa_status st;
        if (xe && xe->domain == XML_FROM_IO)
            st = fa_error_set(err, FA_ERR_IO, path, 0, 0, "cannot read the file: %s",
                              xe->message ? xe->message : "I/O error");
        else if (xe) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", xe->message ? xe->message : "malformed XML");
            size_t l = strlen(msg);
            while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' ')) msg[--l] = '\0';
            st = fa_error_set(err, FA_ERR_SYNTAX, path, xe->line, xe->int2, "malformed XML: %s", msg);
        } else
            st = fa_error_set(err, FA_ERR_IO, path, 0, 0, "cannot read the file");
        if (doc) xmlFreeDoc(doc);
        xmlFreeParserCtxt(pc);
        return st;
    }
    xmlFreeParserCtxt(pc);

    fa_osim *m = calloc(1, sizeof *m);
    struct fa_osim_impl_ *im = calloc(1, sizeof *im);
    ctx c = {0};
    c.m = m;
    c.im = im;
    c.path = path;
    c.err = err;
    c.def = def;
    if (!m || !im) {
        free(m);
        free(im);
        xmlFreeDoc(doc);
        return fa_error_set(err, FA_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    m->impl = im;
    snprintf(m->file, sizeof m->file, "%s", path);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr model = NULL;
    if (!is_el(root, "OpenSimDocument")) {
        fail(&c, root, FA_ERR_SYNTAX, "expected <OpenSimDocument> as the root element, found <%s>",
             root ? (const char *)root->name : "(none)");
        goto done;
    }
    {
        xmlChar *v = xmlGetProp(root, (const xmlChar *)"Version");
        m->version = v ? atoi((const char *)v) : 0;
        if (v) xmlFree(v);
    }
    if (m->version < 30000) {
        fail(&c, root, FA_ERR_UNSUPPORTED,
             "OpenSim format Version=\"%d\" is not supported (expected 30000 or later; convert older "
             "models by opening and saving them in OpenSim 4)",
             m->version);
        goto done;
    }
    model = kid(root, "Model");
    /* 4.x layout: 40000 and later, and the 4.0 development format (305xx) with <Ground> */
    c.v4 = m->version >= 40000 || (m->version >= 30500 && kid(model, "Ground"));
    c.defaults = kid(model, "defaults");
    if (!model) {
        fail(&c, root, FA_ERR_MISSING, "expected a <Model> element in <OpenSimDocument>");
        goto done;
    }
    {
        xmlChar *nm = xmlGetProp(model, (const xmlChar *)"name");
        snprintf(m->name, sizeof m->name, "%s", nm ? (const char *)nm : "");
        if (nm) xmlFree(nm);
    }
    {
        char lu[64];
        if (text_of(kid(model, "length_units"), lu, sizeof lu) > 0 && strcasecmp(lu, "meters") &&
            strcasecmp(lu, "m") && strcasecmp(lu, "meter")) {
            fail(&c, kid(model, "length_units"), FA_ERR_UNIT, "<length_units> expected meters, found \"%s\"", lu);
            goto done;
        }
        const double g[3] = {0, -9.80665, 0};
        get_vec(&c, model, "gravity", m->gravity, 3, g);
    }
    if (parse_bodies(&c, model) || collect_joints(&c, model) || parse_joint_headers(&c) ||
        parse_joints(&c) || parse_couplers(&c, model) || parse_markers(&c, model) ||
        parse_forces(&c, model) || parse_geometry(&c, c.v4 ? kid(model, "Ground") : c.ground3) ||
        parse_wraps(&c, c.v4 ? kid(model, "Ground") : c.ground3))
        goto done;
    /* v3 coupled coordinates may lack a coupler; nothing else to check */
done:
    free(c.bodies.v);
    free(c.joints.v);
    free(c.markers.v);
    free(c.forces.v);
    free(c.couplers.v);
    free(c.joint_owner_body);
    xmlFreeDoc(doc);
    if (c.st != FA_OK) {
        fa_osim_free(m);
        return c.st;
    }
    *out = m;
    return FA_OK;
}

static void free_names(const char **v, int n)
{
    if (!v) return;
    for (int i = 0; i < n; i++) free((void *)v[i]);
    free((void *)v);
}

void fa_osim_free(fa_osim *m)
{
    if (!m) return;
    free_names(m->body_name, m->nbody);
    free(m->body_mass);
    free(m->body_com);
    free(m->body_inertia);
    free(m->body_joint);
    free_names(m->joint_name, m->njoint);
    free_names(m->joint_type, m->njoint);
    free(m->joint_parent);
    free(m->joint_child);
    free(m->joint_coord_adr);
    free(m->joint_coord_num);
    free_names(m->coord_name, m->ncoord);
    free(m->coord_joint);
    free(m->coord_motion);
    free(m->coord_default);
    free(m->coord_range);
    free(m->coord_locked);
    free(m->coord_clamped);
    free(m->coord_indep);
    free_names(m->marker_name, m->nmarker);
    free(m->marker_body);
    free(m->marker_loc);
    free_names(m->muscle_name, m->nmuscle);
    free_names(m->muscle_type, m->nmuscle);
    free(m->muscle_kind);
    free(m->muscle_enabled);
    free(m->muscle_fmax);
    free(m->muscle_lopt);
    free(m->muscle_lts);
    free(m->muscle_penn);
    free(m->muscle_vmax);
    free(m->muscle_point_adr);
    free(m->muscle_point_num);
    free(m->muscle_nwrap);
    free_names(m->point_name, m->npoint);
    free(m->point_kind);
    free(m->point_body);
    free(m->point_loc);
    free(m->point_coord);
    free(m->point_range);
    free_names(m->geom_file, m->ngeom);
    free(m->geom_body);
    free(m->geom_scale);
    free(m->geom_R);
    free(m->geom_p);
    if (m->impl) {
        free(m->impl->joint);
        free(m->impl->joint_order);
        free(m->impl->fn);
        free(m->impl->pool);
        free(m->impl->cpl);
        free(m->impl->point_fn);
        free(m->impl->point_fcoord);
        free(m->impl->wobj);
        free(m->impl->pwrap);
        free(m->impl->pwrap_adr);
        free(m->impl->names);
        free(m->impl);
    }
    free(m);
}

static int find_in(const char **names, int n, const char *s)
{
    if (!s) return -1;
    return find_name(names, n, s);
}

int fa_osim_find_body(const fa_osim *m, const char *name) { return find_in(m->body_name, m->nbody, name); }
int fa_osim_find_joint(const fa_osim *m, const char *name) { return find_in(m->joint_name, m->njoint, name); }
int fa_osim_find_coord(const fa_osim *m, const char *name) { return find_in(m->coord_name, m->ncoord, name); }
int fa_osim_find_marker(const fa_osim *m, const char *name) { return find_in(m->marker_name, m->nmarker, name); }
int fa_osim_find_muscle(const fa_osim *m, const char *name) { return find_in(m->muscle_name, m->nmuscle, name); }
