/* SPDX-License-Identifier: MIT */
/* Real runs from GPX 1.1 and Garmin TCX 2 files (libxml2).
 *
 * Distance: TCX trackpoint DistanceMeters (the device's own cumulative
 * distance, last minus first) when present, otherwise the haversine sum over
 * consecutive positions on a sphere of the IUGG mean radius. Duration: last
 * minus first timestamp. Heart rate: time-weighted (trapezoid) mean over
 * pairs of points that both carry one. Namespaces are ignored (local names
 * only) so gpxtpx:hr, ns3:hr and friends all work. The parser never touches
 * the network and does not substitute external entities. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "internal.h"

#define DEG (3.14159265358979323846 / 180.0)

double fa_haversine(double lat1, double lon1, double lat2, double lon2)
{
    double p1 = lat1 * DEG, p2 = lat2 * DEG;
    double dp = (lat2 - lat1) * DEG, dl = (lon2 - lon1) * DEG;
    double s1 = sin(dp / 2), s2 = sin(dl / 2);
    double a = s1 * s1 + cos(p1) * cos(p2) * s2 * s2;
    if (a > 1) a = 1;
    return 2.0 * FA_EARTH_RADIUS * atan2(sqrt(a), sqrt(1.0 - a));
}

typedef struct tpt {
    double t, lat, lon, dist, hr, ele;
    int has_pos, line;
} tpt;

typedef struct gctx {
    const char *name;
    fa_error *err;
    tpt *p;
    int n, cap;
    char sport[32];
} gctx;

static int lname(const xmlNode *n, const char *s) { return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, s); }

static const xmlNode *child(const xmlNode *n, const char *s)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (lname(c, s)) return c;
    return NULL;
}

static fa_status gerr(gctx *G, fa_status code, const xmlNode *n, const char *fmt, const char *a)
{
    char buf[512];
    snprintf(buf, sizeof buf, fmt, a ? a : "");
    return fa_error_set(G->err, code, G->name, n ? (int)xmlGetLineNo(n) : 0, 0, "%s", buf);
}

/* element text as number; -1 when missing/bad */
static int num_text(const xmlNode *n, double *v)
{
    xmlChar *s = xmlNodeGetContent(n);
    if (!s) return -1;
    char *end;
    errno = 0;
    const char *p = (const char *)s;
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') p++;
    double x = strtod(p, &end);
    while (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r') end++;
    int bad = end == p || *end || errno || !isfinite(x);
    xmlFree(s);
    if (bad) return -1;
    *v = x;
    return 0;
}

static const xmlNode *find_desc(const xmlNode *n, const char *s, int depth)
{
    if (depth > 8) return NULL;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (lname(c, s)) return c;
        const xmlNode *r = find_desc(c, s, depth + 1);
        if (r) return r;
    }
    return NULL;
}

static fa_status push(gctx *G, const xmlNode *n, tpt *pt)
{
    if (G->n == G->cap) {
        if (G->cap >= 10000000) return gerr(G, FA_ERR_RANGE, n, "expected at most 10 million trackpoints, found more%s", NULL);
        int nc = G->cap ? 2 * G->cap : 256;
        tpt *np = (tpt *)realloc(G->p, (size_t)nc * sizeof *np);
        if (!np) return fa_error_set(G->err, FA_ERR_NOMEM, G->name, 0, 0, "out of memory");
        G->p = np;
        G->cap = nc;
    }
    G->p[G->n++] = *pt;
    return FA_OK;
}

static fa_status read_time(gctx *G, const xmlNode *tn, const xmlNode *pt, double *t)
{
    if (!tn) return gerr(G, FA_ERR_MISSING, pt, "expected a <time> in the trackpoint, found none%s", NULL);
    xmlChar *s = xmlNodeGetContent(tn);
    int bad = !s || fa_parse_iso8601((const char *)s, t);
    char shown[64];
    snprintf(shown, sizeof shown, "%.40s", s ? (const char *)s : "");
    if (s) xmlFree(s);
    if (bad) return gerr(G, FA_ERR_SYNTAX, tn, "expected an ISO 8601 time such as 2026-03-01T07:30:00Z, found '%s'", shown);
    return FA_OK;
}

static fa_status read_hr(gctx *G, const xmlNode *hn, double *hr)
{
    if (!hn) return FA_OK;
    if (num_text(hn, hr) || *hr < 20 || *hr > 250)
        return gerr(G, FA_ERR_RANGE, hn, "expected a heart rate between 20 and 250 beats/min%s", NULL);
    return FA_OK;
}

static fa_status gpx_trkpt(gctx *G, const xmlNode *n)
{
    tpt p = {NAN, NAN, NAN, NAN, NAN, NAN, 0, (int)xmlGetLineNo(n)};
    xmlChar *la = xmlGetProp(n, (const xmlChar *)"lat"), *lo = xmlGetProp(n, (const xmlChar *)"lon");
    fa_status st = FA_OK;
    if (!la || !lo) {
        st = gerr(G, FA_ERR_MISSING, n, "expected lat and lon attributes on <trkpt>, found %s", la || lo ? "only one" : "none");
    } else {
        char *e1, *e2;
        p.lat = strtod((const char *)la, &e1);
        p.lon = strtod((const char *)lo, &e2);
        if (*e1 || *e2 || e1 == (char *)la || e2 == (char *)lo || !(fabs(p.lat) <= 90) || !(fabs(p.lon) <= 180))
            st = gerr(G, FA_ERR_RANGE, n, "expected lat in [-90, 90] and lon in [-180, 180] degrees%s", NULL);
        p.has_pos = 1;
    }
    if (la) xmlFree(la);
    if (lo) xmlFree(lo);
    if (st) return st;
    if ((st = read_time(G, child(n, "time"), n, &p.t))) return st;
    const xmlNode *el = child(n, "ele");
    if (el && num_text(el, &p.ele)) return gerr(G, FA_ERR_SYNTAX, el, "expected an elevation in m in <ele>%s", NULL);
    const xmlNode *ext = child(n, "extensions");
    if (ext && (st = read_hr(G, find_desc(ext, "hr", 0), &p.hr))) return st;
    return push(G, n, &p);
}

static fa_status walk_gpx(gctx *G, const xmlNode *root)
{
    fa_status st;
    for (const xmlNode *trk = root->children; trk; trk = trk->next) {
        if (!lname(trk, "trk")) continue;
        const xmlNode *ty = child(trk, "type");
        if (ty && !G->sport[0]) {
            xmlChar *s = xmlNodeGetContent(ty);
            if (s) {
                snprintf(G->sport, sizeof G->sport, "%.31s", (const char *)s);
                xmlFree(s);
            }
        }
        for (const xmlNode *seg = trk->children; seg; seg = seg->next) {
            if (!lname(seg, "trkseg")) continue;
            for (const xmlNode *pt = seg->children; pt; pt = pt->next)
                if (lname(pt, "trkpt") && (st = gpx_trkpt(G, pt))) return st;
        }
    }
    return FA_OK;
}

static fa_status tcx_point(gctx *G, const xmlNode *n)
{
    tpt p = {NAN, NAN, NAN, NAN, NAN, NAN, 0, (int)xmlGetLineNo(n)};
    fa_status st;
    if ((st = read_time(G, child(n, "Time"), n, &p.t))) return st;
    const xmlNode *al = child(n, "AltitudeMeters");
    if (al && num_text(al, &p.ele)) return gerr(G, FA_ERR_SYNTAX, al, "expected an altitude in m in <AltitudeMeters>%s", NULL);
    const xmlNode *pos = child(n, "Position");
    if (pos) {
        const xmlNode *la = child(pos, "LatitudeDegrees"), *lo = child(pos, "LongitudeDegrees");
        if (!la || !lo || num_text(la, &p.lat) || num_text(lo, &p.lon) || !(fabs(p.lat) <= 90) || !(fabs(p.lon) <= 180))
            return gerr(G, FA_ERR_RANGE, pos, "expected LatitudeDegrees in [-90, 90] and LongitudeDegrees in [-180, 180]%s", NULL);
        p.has_pos = 1;
    }
    const xmlNode *dm = child(n, "DistanceMeters");
    if (dm && (num_text(dm, &p.dist) || p.dist < 0))
        return gerr(G, FA_ERR_RANGE, dm, "expected DistanceMeters >= 0%s", NULL);
    const xmlNode *hr = child(n, "HeartRateBpm");
    if (hr) {
        const xmlNode *v = child(hr, "Value");
        if (!v) return gerr(G, FA_ERR_MISSING, hr, "expected <Value> inside <HeartRateBpm>, found none%s", NULL);
        if ((st = read_hr(G, v, &p.hr))) return st;
    }
    return push(G, n, &p);
}

static fa_status walk_tcx(gctx *G, const xmlNode *root)
{
    fa_status st;
    const xmlNode *acts = child(root, "Activities");
    if (!acts) return gerr(G, FA_ERR_MISSING, root, "expected <Activities> in the TCX file, found none%s", NULL);
    for (const xmlNode *a = acts->children; a; a = a->next) {
        if (!lname(a, "Activity")) continue;
        xmlChar *sp = xmlGetProp(a, (const xmlChar *)"Sport");
        if (sp) {
            if (!G->sport[0]) snprintf(G->sport, sizeof G->sport, "%.31s", (const char *)sp);
            xmlFree(sp);
        }
        for (const xmlNode *lap = a->children; lap; lap = lap->next) {
            if (!lname(lap, "Lap")) continue;
            for (const xmlNode *tr = lap->children; tr; tr = tr->next) {
                if (!lname(tr, "Track")) continue;
                for (const xmlNode *pt = tr->children; pt; pt = pt->next)
                    if (lname(pt, "Trackpoint") && (st = tcx_point(G, pt))) return st;
            }
        }
    }
    return FA_OK;
}

static fa_status summarise(gctx *G, fa_run_summary *out)
{
    memset(out, 0, sizeof *out);
    out->hr_mean = out->hr_max = NAN;
    snprintf(out->sport, sizeof out->sport, "%s", G->sport);
    out->npoints = G->n;
    if (G->n < 2)
        return fa_error_set(G->err, FA_ERR_MISSING, G->name, 0, 0, "expected at least 2 trackpoints with times, found %d", G->n);
    for (int i = 1; i < G->n; i++)
        if (G->p[i].t < G->p[i - 1].t) {
            char b[64];
            snprintf(b, sizeof b, "%d", G->p[i - 1].line);
            return fa_error_set(G->err, FA_ERR_RANGE, G->name, G->p[i].line, 0,
                                "expected times in order, found a time earlier than the point at line %s", b);
        }
    const tpt *f = &G->p[0], *l = &G->p[G->n - 1];
    out->start_unix = f->t;
    out->duration = l->t - f->t;
    if (!(out->duration > 0))
        return fa_error_set(G->err, FA_ERR_RANGE, G->name, l->line, 0, "expected the run to last more than 0 s, found %g s", out->duration);
    /* distance */
    int first_d = -1, last_d = -1;
    for (int i = 0; i < G->n; i++)
        if (!isnan(G->p[i].dist)) {
            if (first_d < 0) first_d = i;
            last_d = i;
        }
    if (first_d >= 0 && last_d > first_d) {
        out->distance = G->p[last_d].dist - G->p[first_d].dist;
        out->distance_source = 1;
    } else {
        int prev = -1, npos = 0;
        double d = 0;
        for (int i = 0; i < G->n; i++) {
            if (!G->p[i].has_pos) continue;
            npos++;
            if (prev >= 0) d += fa_haversine(G->p[prev].lat, G->p[prev].lon, G->p[i].lat, G->p[i].lon);
            prev = i;
        }
        if (npos < 2)
            return fa_error_set(G->err, FA_ERR_MISSING, G->name, 0, 0,
                                "expected positions or DistanceMeters on at least 2 trackpoints, found %d", npos);
        out->distance = d;
    }
    if (!(out->distance > 0))
        return fa_error_set(G->err, FA_ERR_RANGE, G->name, 0, 0, "expected a distance above 0 m, found %g m", out->distance);
    out->speed = out->distance / out->duration;
    out->pace = 1000.0 / out->speed;
    /* elevation */
    out->ascent = out->descent = NAN;
    int prev = -1;
    for (int i = 0; i < G->n; i++) {
        if (isnan(G->p[i].ele)) continue;
        if (prev < 0) out->ascent = out->descent = 0;
        else {
            double dz = G->p[i].ele - G->p[prev].ele;
            if (dz > 0) out->ascent += dz;
            else out->descent -= dz;
        }
        prev = i;
    }
    /* heart rate */
    double num = 0, den = 0, mx = -1;
    int nhr = 0;
    for (int i = 0; i < G->n; i++) {
        if (isnan(G->p[i].hr)) continue;
        nhr++;
        if (G->p[i].hr > mx) mx = G->p[i].hr;
        if (i > 0 && !isnan(G->p[i - 1].hr)) {
            double dt = G->p[i].t - G->p[i - 1].t;
            num += 0.5 * (G->p[i].hr + G->p[i - 1].hr) * dt;
            den += dt;
        }
    }
    if (nhr > 0) {
        out->hr_max = mx;
        if (den > 0) {
            out->hr_mean = num / den;
        } else {
            double s = 0;
            for (int i = 0; i < G->n; i++)
                if (!isnan(G->p[i].hr)) s += G->p[i].hr;
            out->hr_mean = s / nhr;
        }
    }
    return FA_OK;
}

fa_status fa_run_import_mem(const char *buf, size_t len, const char *name, fa_run_summary *out, fa_error *err)
{
    if (!buf || !out) return fa_error_set(err, FA_ERR_ARG, name, 0, 0, "fa_run_import_mem: NULL argument");
    if (len > (size_t)1 << 30) return fa_error_set(err, FA_ERR_RANGE, name, 0, 0, "expected a file under 1 GiB");
    gctx G;
    memset(&G, 0, sizeof G);
    G.name = name ? name : "<run>";
    G.err = err;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) return fa_error_set(err, FA_ERR_NOMEM, G.name, 0, 0, "out of memory (XML parser)");
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, buf, (int)len, G.name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    fa_status st = FA_OK;
    if (!doc) {
        xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
        char msg[256] = "unreadable document";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t k = strlen(msg);
            while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' ')) msg[--k] = '\0';
        }
        st = fa_error_set(err, FA_ERR_SYNTAX, G.name, e ? e->line : 0, e ? e->int2 : 0, "expected well-formed XML, found: %s", msg);
        xmlFreeParserCtxt(ctxt);
        return st;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (root && lname(root, "gpx")) st = walk_gpx(&G, root);
    else if (root && lname(root, "TrainingCenterDatabase")) st = walk_tcx(&G, root);
    else
        st = gerr(&G, FA_ERR_SYNTAX, root, "expected a <gpx> or <TrainingCenterDatabase> root element, found <%s>",
                  root ? (const char *)root->name : "nothing");
    if (!st) st = summarise(&G, out);
    free(G.p);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return st;
}

fa_status fa_run_import(const char *path, fa_run_summary *out, fa_error *err)
{
    if (!path || !out) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_run_import: NULL argument");
    char *buf;
    size_t n;
    fa_status rs = fa_read_file(path, (size_t)1 << 30, &buf, &n, err);
    if (rs != FA_OK) return rs;
    fa_status st = fa_run_import_mem(buf, n, path, out, err);
    free(buf);
    return st;
}
