/* SPDX-License-Identifier: MIT */
/* Scenario reader: YAML (libyaml document API) -> fa_scenario.
 *
 * The file is a mapping (see docs/scenario-format.md). Schedule entries are
 * one-line strings with their own small grammar:
 *     [days] HH:MM[-HH:MM] activity {param}
 * Each token of such a string keeps its column, so an error points at the
 * token: "desk.yaml:12:21: expected a duration unit (s, min, h), found 'mn'".
 * Plain and quoted one-line scalars get exact columns. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "internal.h"

/* ------------------------------------------------------------------------ */
/* context and errors                                                        */

typedef struct pctx {
    const char *file;  /* name in messages */
    char dir[256];     /* directory of the file, for imported runs */
    fa_error *err;
    yaml_document_t *doc;
    fa_scenario *sc;
    const char *variant; /* requested variant (NULL: the file's default) */
} pctx;

static fa_status perr(pctx *P, fa_status code, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static fa_status perr(pctx *P, fa_status code, int line, int col, const char *fmt, ...)
{
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return fa_error_set(P->err, code, P->file, line, col, "%s", buf);
}

int fa_sc_copy(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap) return -1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return 0;
}

static int nline(const yaml_node_t *n) { return (int)n->start_mark.line + 1; }
static int ncol(const yaml_node_t *n) { return (int)n->start_mark.column + 1; }

static const char *node_kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

static const char *sval(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

/* Shorten a found value for messages. */
static const char *shown(const char *s, int len, char *buf, size_t cap)
{
    if (len < 0) len = (int)strlen(s);
    if ((size_t)len >= cap - 4) {
        snprintf(buf, cap, "%.*s...", (int)(cap - 5), s);
    } else {
        snprintf(buf, cap, "%.*s", len, s);
    }
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20) *p = '?';
    return buf;
}

static fa_status expect_type(pctx *P, const yaml_node_t *n, yaml_node_type_t t, const char *what)
{
    if (n->type == t) return FA_OK;
    if (n->type == YAML_SCALAR_NODE) {
        char b[64];
        return perr(P, FA_ERR_TYPE, nline(n), ncol(n), "expected %s, found '%s'", what,
                    shown(sval(n), -1, b, sizeof b));
    }
    return perr(P, FA_ERR_TYPE, nline(n), ncol(n), "expected %s, found %s", what, node_kind(n));
}

/* ------------------------------------------------------------------------ */
/* tokens of a one-line entry                                                */

#define MAXTOK 48
typedef struct tok {
    const char *s;
    int len;
    int line, col;
} tok;

typedef struct toks {
    int n;
    tok t[MAXTOK];
} toks;

static fa_status tokenize(pctx *P, const yaml_node_t *n, toks *T)
{
    const char *s = sval(n);
    int base = ncol(n);
    if (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
        n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        base += 1;
    if (n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
        n->data.scalar.style == YAML_FOLDED_SCALAR_STYLE || strchr(s, '\n'))
        return perr(P, FA_ERR_SYNTAX, nline(n), ncol(n),
                    "expected a one-line entry such as 'daily 22:00 sleep 8 h', found a multi-line text");
    T->n = 0;
    size_t len = n->data.scalar.length, i = 0;
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i >= len) break;
        size_t j = i;
        while (j < len && s[j] != ' ' && s[j] != '\t') j++;
        if (T->n == MAXTOK)
            return perr(P, FA_ERR_RANGE, nline(n), base + (int)i,
                        "expected at most %d words in an entry, found more", MAXTOK);
        T->t[T->n].s = s + i;
        T->t[T->n].len = (int)(j - i);
        T->t[T->n].line = nline(n);
        T->t[T->n].col = base + (int)i;
        T->n++;
        i = j;
    }
    if (T->n == 0) return perr(P, FA_ERR_SYNTAX, nline(n), ncol(n), "expected an entry, found an empty string");
    return FA_OK;
}

static int teq(const tok *t, const char *w) { return (int)strlen(w) == t->len && !strncmp(t->s, w, (size_t)t->len); }

static int tieq(const tok *t, const char *w)
{
    if ((int)strlen(w) != t->len) return 0;
    for (int i = 0; i < t->len; i++)
        if (tolower((unsigned char)t->s[i]) != tolower((unsigned char)w[i])) return 0;
    return 1;
}

static fa_status terr(pctx *P, fa_status code, const tok *t, const char *expected)
{
    char b[64];
    return perr(P, code, t->line, t->col, "expected %s, found '%s'", expected, shown(t->s, t->len, b, sizeof b));
}

/* strict number: the whole token */
static int parse_num(const char *s, int len, double *v)
{
    char buf[64];
    if (len <= 0 || len >= (int)sizeof buf) return -1;
    memcpy(buf, s, (size_t)len);
    buf[len] = '\0';
    /* no hex, inf or nan spellings */
    for (int i = 0; i < len; i++) {
        char c = buf[i];
        if (!(isdigit((unsigned char)c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return -1;
    }
    char *end;
    errno = 0;
    double x = strtod(buf, &end);
    if (*end || errno || !isfinite(x)) return -1;
    *v = x;
    return 0;
}

static int tnum(const tok *t, double *v) { return parse_num(t->s, t->len, v); }


/* "HH:MM" or "HH:MM:SS" -> s; allow_24 permits "24:00" */
static int parse_clock(const char *s, int len, int allow_24, double *sec)
{
    int h = 0, m = 0, x = 0, i = 0, nd = 0;
    while (i < len && isdigit((unsigned char)s[i]) && nd < 2) h = 10 * h + (s[i++] - '0'), nd++;
    if (nd == 0 || i >= len || s[i] != ':') return -1;
    i++;
    nd = 0;
    while (i < len && isdigit((unsigned char)s[i]) && nd < 2) m = 10 * m + (s[i++] - '0'), nd++;
    if (nd != 2) return -1;
    if (i < len && s[i] == ':') {
        i++;
        nd = 0;
        while (i < len && isdigit((unsigned char)s[i]) && nd < 2) x = 10 * x + (s[i++] - '0'), nd++;
        if (nd != 2) return -1;
    }
    if (i != len || m > 59 || x > 59) return -1;
    if (h > 24 || (h == 24 && (m || x || !allow_24))) return -1;
    *sec = 3600.0 * h + 60.0 * m + x;
    return 0;
}

static const char *const wd_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const wd_full[7] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

static int weekday_of(const char *s, int len)
{
    char b[16];
    if (len <= 0 || len >= (int)sizeof b) return -1;
    for (int i = 0; i < len; i++) b[i] = (char)tolower((unsigned char)s[i]);
    b[len] = '\0';
    for (int d = 0; d < 7; d++)
        if (!strcmp(b, wd_names[d]) || !strcmp(b, wd_full[d])) return d;
    return -1;
}

/* "daily", "weekdays", "weekends", "Mon,Tue,Thu", "Mon-Fri", "Sat-Mon" */
static int parse_days(const tok *t, unsigned *mask)
{
    if (tieq(t, "daily") || tieq(t, "everyday")) return *mask = 0x7f, 0;
    if (tieq(t, "weekdays")) return *mask = 0x1f, 0;
    if (tieq(t, "weekends")) return *mask = 0x60, 0;
    unsigned m = 0;
    int i = 0;
    while (i < t->len) {
        int j = i;
        while (j < t->len && t->s[j] != ',' && t->s[j] != '-') j++;
        int a = weekday_of(t->s + i, j - i);
        if (a < 0) return -1;
        if (j < t->len && t->s[j] == '-') {
            int k = j + 1, l = k;
            while (l < t->len && t->s[l] != ',') l++;
            int b = weekday_of(t->s + k, l - k);
            if (b < 0) return -1;
            for (int d = a;; d = (d + 1) % 7) {
                m |= 1u << d;
                if (d == b) break;
            }
            j = l;
        } else {
            m |= 1u << a;
        }
        if (j < t->len) {
            j++; /* comma */
            if (j >= t->len) return -1;
        }
        i = j;
    }
    if (!m) return -1;
    *mask = m;
    return 0;
}

/* "A-B" or "A" (integers) */
static int parse_range(const char *s, int len, int *a, int *b)
{
    const char *dash = memchr(s + 1, '-', len > 1 ? (size_t)(len - 1) : 0);
    double x, y;
    if (dash) {
        if (parse_num(s, (int)(dash - s), &x) || parse_num(dash + 1, (int)(len - (dash + 1 - s)), &y)) return -1;
    } else {
        if (parse_num(s, len, &x)) return -1;
        y = x;
    }
    if (x != floor(x) || y != floor(y) || x < -1e8 || x > 1e8 || y < -1e8 || y > 1e8) return -1;
    *a = (int)x;
    *b = (int)y;
    return 0;
}

/* "YYYY-MM-DD" -> days since epoch */
static int parse_date(const char *s, int len, int *days)
{
    if (len != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i])) return -1;
    int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap) return -1;
    *days = fa_days_from_civil(y, m, d);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* units                                                                     */

typedef enum ukind { U_TIME, U_SPEED, U_DIST, U_VOL, U_TEMP, U_FORCE, U_MASS, U_LEN, U_CAD, U_PRESS } ukind;

static const struct unit {
    const char *name;
    ukind kind;
    double factor;
} units[] = {
    {"s", U_TIME, 1.0},        {"sec", U_TIME, 1.0},      {"min", U_TIME, 60.0},   {"mins", U_TIME, 60.0},
    {"minutes", U_TIME, 60.0}, {"h", U_TIME, 3600.0},     {"hr", U_TIME, 3600.0},  {"hours", U_TIME, 3600.0},
    {"hour", U_TIME, 3600.0},  {"m/s", U_SPEED, 1.0},     {"km/h", U_SPEED, 1.0 / 3.6},
    {"mph", U_SPEED, 0.44704}, {"m", U_DIST, 1.0},        {"km", U_DIST, 1000.0},  {"mi", U_DIST, 1609.344},
    {"L", U_VOL, 1e-3},        {"l", U_VOL, 1e-3},        {"ml", U_VOL, 1e-6},     {"mL", U_VOL, 1e-6},
    {"C", U_TEMP, 1.0},        {"degC", U_TEMP, 1.0},     {"N", U_FORCE, 1.0},     {"kg", U_MASS, 1.0},
    {"g", U_MASS, 1e-3},       {"lb", U_MASS, 0.45359237}, {"cm", U_LEN, 0.01},    {"spm", U_CAD, 1.0},
    {"Pa", U_PRESS, 1.0},      {"kPa", U_PRESS, 1e3},
};

static int unit_find(const char *s, int len)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if ((int)strlen(units[i].name) == len && !strncmp(units[i].name, s, (size_t)len)) return (int)i;
    return -1;
}

/* A scalar quantity such as "70 kg", "1.75 m", "175 cm": kinds allowed in
 * `ok` (bitmask of 1<<ukind); a bare number takes `bare_factor` (NAN: not allowed). */
static fa_status quantity(pctx *P, const yaml_node_t *n, unsigned ok, double bare_factor, const char *what,
                          double *v)
{
    fa_status st = expect_type(P, n, YAML_SCALAR_NODE, what);
    if (st) return st;
    const char *s = sval(n);
    int len = (int)strlen(s), i = 0;
    while (i < len && s[i] != ' ') i++;
    double x;
    char b[64];
    if (parse_num(s, i, &x))
        return perr(P, FA_ERR_TYPE, nline(n), ncol(n), "expected %s, found '%s'", what, shown(s, -1, b, sizeof b));
    while (i < len && s[i] == ' ') i++;
    if (i == len) {
        if (isnan(bare_factor))
            return perr(P, FA_ERR_UNIT, nline(n), ncol(n), "expected %s with a unit, found '%s'", what,
                        shown(s, -1, b, sizeof b));
        *v = x * bare_factor;
        return FA_OK;
    }
    int u = unit_find(s + i, len - i);
    if (u < 0 || !(ok & (1u << units[u].kind)))
        return perr(P, FA_ERR_UNIT, nline(n), ncol(n) + i, "expected a unit for %s, found '%s'", what,
                    shown(s + i, -1, b, sizeof b));
    *v = x * units[u].factor;
    return FA_OK;
}

/* ------------------------------------------------------------------------ */
/* mapping helpers                                                           */

typedef struct field {
    const char *key;
    const yaml_node_t *val;
    const yaml_node_t *keynode;
} field;

/* Collect the pairs of a mapping into `f` (keys listed), rejecting unknown
 * and duplicate keys. */
static fa_status fields(pctx *P, const yaml_node_t *map, const char *where, const char *const *keys, field *f)
{
    fa_status st = expect_type(P, map, YAML_MAPPING_NODE, where);
    if (st) return st;
    int nk = 0;
    while (keys[nk]) {
        f[nk].key = keys[nk];
        f[nk].val = NULL;
        f[nk].keynode = NULL;
        nk++;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(P->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(P->doc, p->value);
        if (!k || !v) return perr(P, FA_ERR_SYNTAX, nline(map), ncol(map), "malformed mapping");
        if (k->type != YAML_SCALAR_NODE)
            return perr(P, FA_ERR_TYPE, nline(k), ncol(k), "expected a key name in %s, found %s", where, node_kind(k));
        int i;
        for (i = 0; i < nk; i++)
            if (!strcmp(keys[i], sval(k))) break;
        if (i == nk) {
            char list[384] = "", b[64];
            size_t o = 0;
            for (int j = 0; j < nk && o < sizeof list; j++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", j ? ", " : "", keys[j]);
            return perr(P, FA_ERR_UNKNOWN, nline(k), ncol(k), "unknown key '%s' in %s (expected one of: %s)",
                        shown(sval(k), -1, b, sizeof b), where, list);
        }
        if (f[i].val)
            return perr(P, FA_ERR_DUPLICATE, nline(k), ncol(k), "duplicate key '%s' in %s (first at line %d)",
                        keys[i], where, nline(f[i].keynode));
        f[i].val = v;
        f[i].keynode = k;
    }
    return FA_OK;
}

static fa_status get_str(pctx *P, const yaml_node_t *n, char *dst, size_t cap, const char *what)
{
    fa_status st = expect_type(P, n, YAML_SCALAR_NODE, what);
    if (st) return st;
    if (fa_sc_copy(dst, cap, sval(n), strlen(sval(n))))
        return perr(P, FA_ERR_RANGE, nline(n), ncol(n), "expected %s of at most %zu characters, found %zu",
                    what, cap - 1, strlen(sval(n)));
    return FA_OK;
}

static int is_ident(const char *s, int len)
{
    if (len <= 0) return 0;
    for (int i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '_' || c == '-' || c == '.')) return 0;
    }
    return 1;
}

static fa_status tok_name(pctx *P, const tok *t, char *dst, size_t cap, const char *what)
{
    if (!is_ident(t->s, t->len)) return terr(P, FA_ERR_SYNTAX, t, what);
    if (fa_sc_copy(dst, cap, t->s, (size_t)t->len)) {
        char b[64];
        return perr(P, FA_ERR_RANGE, t->line, t->col, "expected %s of at most %zu characters, found '%s'", what,
                    cap - 1, shown(t->s, t->len, b, sizeof b));
    }
    return FA_OK;
}

/* ------------------------------------------------------------------------ */
/* entries                                                                   */

static const char *ACT_EXPECT = "an activity name (e.g. sit_slumped, run, sleep; see docs/scenario-format.md)";

static fa_status find_activity(pctx *P, const tok *t, int *act)
{
    char name[40];
    char b[64];
    if (t->len >= (int)sizeof name) return terr(P, FA_ERR_UNKNOWN, t, ACT_EXPECT);
    memcpy(name, t->s, (size_t)t->len);
    name[t->len] = '\0';
    int a = fa_activity_find(name);
    if (a < 0)
        return perr(P, FA_ERR_UNKNOWN, t->line, t->col, "unknown activity '%s' (expected %s)",
                    shown(t->s, t->len, b, sizeof b), ACT_EXPECT);
    *act = a;
    return FA_OK;
}

static void proto_defaults(fa_interval *p, int act)
{
    const fa_activity_info *ai = fa_activity_get(act);
    memset(p, 0, sizeof *p);
    p->act = act;
    p->hold = ai->hold;
    p->temp = ai->temp;
    p->pressure = ai->pressure;
    p->volume = ai->volume;
    p->intensity = 1.0;
    p->hr = NAN;
    p->cadence = NAN;
    p->speed = NAN;
    p->distance = NAN;
    p->dur = NAN;
    if (ai->region) snprintf(p->region, sizeof p->region, "%s", ai->region);
}

/* Parse "activity {param}" starting at token i. `window` > 0 when a time
 * range was given (it becomes the duration unless "every" makes it a repeat
 * window). */
static fa_status parse_act_params(pctx *P, const toks *T, int i, fa_entry *e, double window)
{
    fa_status st;
    if (i >= T->n) {
        const tok *last = &T->t[T->n - 1];
        return perr(P, FA_ERR_SYNTAX, last->line, last->col + last->len, "expected %s after '%.*s', found the end",
                    ACT_EXPECT, last->len, last->s);
    }
    int act;
    const tok *at = &T->t[i];
    if ((st = find_activity(P, at, &act))) return st;
    const fa_activity_info *ai = fa_activity_get(act);
    fa_interval *p = &e->proto;
    proto_defaults(p, act);
    double pace = NAN;
    int have_dur_tok = 0;
    const tok *dur_tok = NULL;
    i++;
    while (i < T->n) {
        const tok *t = &T->t[i];
        double x;
        if (!tnum(t, &x)) {
            /* number + unit */
            if (i + 1 >= T->n)
                return perr(P, FA_ERR_UNIT, t->line, t->col + t->len,
                            "expected a unit after '%.*s' (e.g. min, h, m/s, km, L, C, N), found the end", t->len, t->s);
            const tok *ut = &T->t[i + 1];
            int u = unit_find(ut->s, ut->len);
            if (u < 0) return terr(P, FA_ERR_UNIT, ut, "a unit (s, min, h, m/s, km/h, m, km, L, ml, C, N, spm, kPa)");
            double v = x * units[u].factor;
            switch (units[u].kind) {
            case U_TIME:
                if (have_dur_tok) return terr(P, FA_ERR_DUPLICATE, t, "one duration (found a second one)");
                have_dur_tok = 1;
                dur_tok = t;
                p->dur = v;
                break;
            case U_SPEED: p->speed = v; break;
            case U_DIST: p->distance = v; break;
            case U_VOL: p->volume = v; break;
            case U_TEMP: p->temp = v; break;
            case U_FORCE: p->force = v; break;
            case U_CAD: p->cadence = v; break;
            case U_PRESS: p->pressure = v; break;
            default: return terr(P, FA_ERR_UNIT, ut, "a unit for an activity parameter (mass and length units are for the person)");
            }
            i += 2;
            continue;
        }
        /* pace "5:30 /km" */
        if (memchr(t->s, ':', (size_t)t->len) && i + 1 < T->n &&
            (teq(&T->t[i + 1], "/km") || teq(&T->t[i + 1], "min/km") || teq(&T->t[i + 1], "/mi") ||
             teq(&T->t[i + 1], "min/mi"))) {
            double sec;
            if (parse_clock(t->s, t->len, 0, &sec)) return terr(P, FA_ERR_SYNTAX, t, "a pace such as '5:30 /km'");
            /* "5:30" read as HH:MM -> minutes:seconds */
            double spk = sec / 60.0;
            if (spk <= 0) return terr(P, FA_ERR_RANGE, t, "a positive pace");
            int mile = T->t[i + 1].s[T->t[i + 1].len - 1] == 'i';
            pace = spk / (mile ? 1609.344 : 1000.0); /* s per m */
            i += 2;
            continue;
        }
        /* keyword value */
        if (i + 1 >= T->n && !teq(t, "every"))
            return terr(P, FA_ERR_SYNTAX, t,
                        "a parameter (a number with a unit, or cadence/pose/region/terrain/hold/every/intensity/hr followed by a value)");
        if (teq(t, "cadence")) {
            const tok *v = &T->t[i + 1];
            if (tnum(v, &x) || x <= 0 || x > 400) return terr(P, FA_ERR_RANGE, v, "a cadence in steps/min (0-400)");
            p->cadence = x;
            i += 2;
            if (i < T->n && teq(&T->t[i], "spm")) i++;
        } else if (teq(t, "hr")) {
            const tok *v = &T->t[i + 1];
            if (tnum(v, &x) || x <= 20 || x > 250) return terr(P, FA_ERR_RANGE, v, "a heart rate in beats/min (20-250)");
            p->hr = x;
            i += 2;
            if (i < T->n && teq(&T->t[i], "bpm")) i++;
        } else if (teq(t, "intensity")) {
            const tok *v = &T->t[i + 1];
            if (tnum(v, &x) || x < 0 || x > 2) return terr(P, FA_ERR_RANGE, v, "an intensity between 0 and 2 (1 = catalogue default)");
            p->intensity = x;
            i += 2;
        } else if (teq(t, "pose")) {
            static const char *const poses[] = {"standing", "desk_upright", "desk_slumped", "lying", "forward_fold",
                                                "pigeon", "lunge", "calf_stretch", "side_lying", NULL};
            const tok *v = &T->t[i + 1];
            int k;
            for (k = 0; poses[k]; k++)
                if (teq(v, poses[k])) break;
            if (!poses[k])
                return terr(P, FA_ERR_UNKNOWN, v,
                            "a posture (standing, desk_upright, desk_slumped, lying, forward_fold, pigeon, lunge, calf_stretch, side_lying)");
            snprintf(p->pose, sizeof p->pose, "%s", poses[k]);
            i += 2;
        } else if (teq(t, "region")) {
            if ((st = tok_name(P, &T->t[i + 1], p->region, sizeof p->region, "a region name"))) return st;
            i += 2;
        } else if (teq(t, "terrain")) {
            const tok *v = &T->t[i + 1];
            if (!(teq(v, "road") || teq(v, "trail") || teq(v, "track") || teq(v, "treadmill")))
                return terr(P, FA_ERR_UNKNOWN, v, "a terrain (road, trail, track, treadmill)");
            snprintf(p->terrain, sizeof p->terrain, "%.*s", v->len, v->s);
            i += 2;
        } else if (teq(t, "hold") || teq(t, "every")) {
            int is_hold = teq(t, "hold");
            if (i + 2 >= T->n)
                return perr(P, FA_ERR_SYNTAX, t->line, t->col, "expected '%.*s N unit' (e.g. '%s 3 min'), found the end",
                            t->len, t->s, is_hold ? "hold" : "every");
            const tok *v = &T->t[i + 1], *ut = &T->t[i + 2];
            int u = unit_find(ut->s, ut->len);
            if (tnum(v, &x) || x <= 0) return terr(P, FA_ERR_RANGE, v, "a positive number");
            if (u < 0 || units[u].kind != U_TIME) return terr(P, FA_ERR_UNIT, ut, "a duration unit (s, min, h)");
            if (is_hold) {
                p->hold = x * units[u].factor;
            } else {
                if (window <= 0)
                    return perr(P, FA_ERR_SYNTAX, t->line, t->col,
                                "expected 'every' only after a time range such as '08:30-16:00', found it after a single start time");
                e->every = x * units[u].factor;
                if (e->every < 60.0) return terr(P, FA_ERR_RANGE, v, "a repeat period of at least 1 min");
            }
            i += 3;
        } else {
            return terr(P, FA_ERR_SYNTAX, t,
                        "a parameter (a number with a unit, or cadence/pose/region/terrain/hold/every/intensity/hr followed by a value)");
        }
    }
    /* durations */
    if (window > 0) {
        if (e->every > 0) {
            if (!have_dur_tok)
                return perr(P, FA_ERR_MISSING, at->line, at->col,
                            "expected a bout duration with 'every' (e.g. '2 min every 30 min'), found none");
            if (p->dur > e->every)
                return perr(P, FA_ERR_RANGE, dur_tok->line, dur_tok->col,
                            "expected a bout duration no longer than its repeat period, found %g s > %g s", p->dur, e->every);
        } else {
            if (have_dur_tok)
                return perr(P, FA_ERR_DUPLICATE, dur_tok->line, dur_tok->col,
                            "expected no duration after a time range (the range gives it) unless 'every' repeats it, found '%.*s'",
                            dur_tok->len, dur_tok->s);
            p->dur = window;
        }
    }
    /* gait: speed / pace / distance / duration */
    if (!isnan(pace)) {
        if (!isnan(p->speed))
            return perr(P, FA_ERR_DUPLICATE, at->line, at->col, "expected a speed or a pace, found both");
        p->speed = 1.0 / pace;
    }
    int gait = (ai->flags & FA_ACTF_GAIT) != 0;
    if (gait) {
        int hs = !isnan(p->speed), hd = !isnan(p->distance), ht = !isnan(p->dur);
        if (hs && hd && !ht) p->dur = p->distance / p->speed;
        else if (hd && ht && !hs) p->speed = p->distance / p->dur;
        else if (hs && hd && ht && fabs(p->speed * p->dur - p->distance) > 0.01 * p->distance)
            return perr(P, FA_ERR_RANGE, at->line, at->col,
                        "expected distance = speed x duration (within 1%%), found %g m vs %g m/s x %g s", p->distance,
                        p->speed, p->dur);
        if (isnan(p->speed))
            return perr(P, FA_ERR_MISSING, at->line, at->col,
                        "expected a speed (e.g. '3.0 m/s', '5:30 /km') or a distance and duration for '%s', found none",
                        ai->name);
        if (!(p->speed > 0.1 && p->speed < 12.5))
            return perr(P, FA_ERR_RANGE, at->line, at->col, "expected a gait speed between 0.1 and 12.5 m/s, found %g m/s",
                        p->speed);
        if (isnan(p->cadence)) p->cadence = isnan(P->sc->default_cadence) || act == FA_ACT_WALK ? ai->cadence : P->sc->default_cadence;
    } else {
        if (!isnan(p->speed) || !isnan(p->distance) || !isnan(p->cadence))
            return perr(P, FA_ERR_ARG, at->line, at->col,
                        "expected no speed, distance or cadence for '%s' (not a gait), found one", ai->name);
        p->speed = 0;
        p->distance = 0;
        p->cadence = 0;
    }
    if (ai->flags & FA_ACTF_INSTANT) {
        if (isnan(p->dur)) p->dur = 0;
        if (act == FA_ACT_HYDRATE && !(p->volume > 0))
            return perr(P, FA_ERR_MISSING, at->line, at->col, "expected a volume for hydrate (e.g. '0.5 L'), found none");
    } else if (!(ai->flags & FA_ACTF_MARKER)) {
        if (isnan(p->dur))
            return perr(P, FA_ERR_MISSING, at->line, at->col,
                        "expected a duration (e.g. '30 min') or a time range (e.g. '08:00-16:00') for '%s', found none",
                        ai->name);
        if (!(p->dur > 0) || p->dur > 86400.0)
            return perr(P, FA_ERR_RANGE, at->line, at->col, "expected a duration between 0 and 24 h, found %g s", p->dur);
    }
    if (act == FA_ACT_TUG && !(p->force > 0))
        return perr(P, FA_ERR_MISSING, at->line, at->col, "expected a force for tug (e.g. '20 N'), found none");
    if (!isnan(p->temp) && (p->temp < -30 || p->temp > 60))
        return perr(P, FA_ERR_RANGE, at->line, at->col, "expected a temperature between -30 and 60 C, found %g C", p->temp);
    if (p->hold < 0 || p->hold > 86400)
        return perr(P, FA_ERR_RANGE, at->line, at->col, "expected a hold between 0 and 24 h, found %g s", p->hold);
    if (isnan(p->distance)) p->distance = 0;
    if (isnan(p->speed)) p->speed = 0;
    if (isnan(p->cadence)) p->cadence = 0;
    return FA_OK;
}

/* "HH:MM[-HH:MM]" at token i: start (and window length) */
static fa_status parse_time_tok(pctx *P, const tok *t, double *start, double *window)
{
    const char *dash = memchr(t->s, '-', (size_t)t->len);
    double a, b;
    *window = 0;
    if (dash) {
        int l1 = (int)(dash - t->s);
        if (parse_clock(t->s, l1, 0, &a) || parse_clock(dash + 1, t->len - l1 - 1, 1, &b))
            return terr(P, FA_ERR_SYNTAX, t, "a time range such as '08:00-16:00'");
        if (b <= a) b += 86400.0; /* overnight range, e.g. 22:00-06:00 */
        *window = b - a;
    } else if (parse_clock(t->s, t->len, 0, &a)) {
        return terr(P, FA_ERR_SYNTAX, t, "a start time such as '18:00' or a range such as '08:00-16:00'");
    }
    if (a >= 86400.0) return terr(P, FA_ERR_RANGE, t, "a start time before 24:00");
    *start = a;
    return FA_OK;
}

static fa_entry *new_entry(pctx *P, const yaml_node_t *n, fa_status *st)
{
    fa_scenario *sc = P->sc;
    if (sc->nentry >= FA_SC_MAX_ENTRY) {
        *st = perr(P, FA_ERR_RANGE, nline(n), ncol(n), "expected at most %d schedule entries, found more", FA_SC_MAX_ENTRY);
        return NULL;
    }
    fa_entry *e = &sc->entry[sc->nentry];
    memset(e, 0, sizeof *e);
    e->day0 = e->day1 = -1;
    e->owner_index = -1;
    e->line = nline(n);
    e->col = ncol(n);
    *st = FA_OK;
    return e;
}

static fa_status finish_entry(pctx *P, fa_entry *e, const tok *at, double start, double window)
{
    e->start = start;
    if (e->every > 0) {
        e->until = start + window;
    }
    if (fa_activity_get(e->proto.act)->flags & FA_ACTF_MARKER)
        return perr(P, FA_ERR_ARG, at->line, at->col,
                    "expected a timed activity, found 'time_off' (write it as an event: 'days 200-230 time_off')");
    P->sc->nentry++;
    return FA_OK;
}

/* A weekly entry: "[days] HH:MM[-HH:MM] activity {param}" (days default daily). */
static fa_status parse_weekly(pctx *P, const yaml_node_t *n, int owner, int owner_index)
{
    fa_status st;
    if ((st = expect_type(P, n, YAML_SCALAR_NODE, "a schedule entry such as 'Mon-Fri 08:00-16:00 sit_slumped'"))) return st;
    toks T;
    if ((st = tokenize(P, n, &T))) return st;
    fa_entry *e = new_entry(P, n, &st);
    if (!e) return st;
    e->owner = owner;
    e->owner_index = owner_index;
    int i = 0;
    double start, window;
    if (!memchr(T.t[0].s, ':', (size_t)T.t[0].len)) {
        if (parse_days(&T.t[0], &e->days))
            return terr(P, FA_ERR_SYNTAX, &T.t[0], "days (daily, weekdays, weekends, Mon-Fri, Mon,Wed,Fri) or a time");
        i = 1;
    } else {
        e->days = 0x7f;
    }
    if (i >= T.n) return perr(P, FA_ERR_SYNTAX, T.t[0].line, T.t[0].col + T.t[0].len, "expected a time such as '18:00', found the end");
    if ((st = parse_time_tok(P, &T.t[i], &start, &window))) return st;
    if ((st = parse_act_params(P, &T, i + 1, e, window))) return st;
    return finish_entry(P, e, &T.t[i + 1], start, window);
}

static fa_status parse_list(pctx *P, const yaml_node_t *n, const char *what, int owner, int owner_index)
{
    fa_status st = expect_type(P, n, YAML_SEQUENCE_NODE, what);
    if (st) return st;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *c = yaml_document_get_node(P->doc, *it);
        if (!c) return perr(P, FA_ERR_SYNTAX, nline(n), ncol(n), "malformed list");
        if ((st = parse_weekly(P, c, owner, owner_index))) return st;
    }
    return FA_OK;
}

/* activity list "run,race" or group names -> mask */
static fa_status act_mask(pctx *P, const tok *t, uint64_t *mask)
{
    if (teq(t, "running")) return *mask = (1ull << FA_ACT_RUN) | (1ull << FA_ACT_RACE), FA_OK;
    if (teq(t, "training")) {
        *mask = 0;
        for (int a = 0; a < FA_NACT; a++)
            if (fa_activity_get(a)->flags & FA_ACTF_TRAINING) *mask |= 1ull << a;
        return FA_OK;
    }
    *mask = 0;
    int i = 0;
    while (i < t->len) {
        int j = i;
        while (j < t->len && t->s[j] != ',') j++;
        tok sub = {t->s + i, j - i, t->line, t->col + i};
        int a;
        fa_status st = find_activity(P, &sub, &a);
        if (st) return st;
        *mask |= 1ull << a;
        i = j + 1;
    }
    if (!*mask) return terr(P, FA_ERR_SYNTAX, t, "activity names separated by commas, 'running' or 'training'");
    return FA_OK;
}

static fa_status new_block(pctx *P, const yaml_node_t *n, fa_block **b)
{
    fa_scenario *sc = P->sc;
    if (sc->nblock >= FA_SC_MAX_BLOCK)
        return perr(P, FA_ERR_RANGE, nline(n), ncol(n), "expected at most %d blocks/markers, found more", FA_SC_MAX_BLOCK);
    *b = &sc->block[sc->nblock++];
    memset(*b, 0, sizeof **b);
    (*b)->line = nline(n);
    return FA_OK;
}

/* Events: "day N ..." | "days A-B ..." | "date YYYY-MM-DD ..." followed by
 * "no LIST" | "time_off" | "immobilise REGION" | "injury REGION [SEV]" |
 * "change WHAT" | "HH:MM[-HH:MM] activity {param}". */
static fa_status parse_event(pctx *P, const yaml_node_t *n)
{
    fa_status st;
    fa_scenario *sc = P->sc;
    if ((st = expect_type(P, n, YAML_SCALAR_NODE, "an event such as 'days 200-230 no running'"))) return st;
    toks T;
    if ((st = tokenize(P, n, &T))) return st;
    if (T.n < 3) {
        const tok *l = &T.t[T.n - 1];
        return perr(P, FA_ERR_SYNTAX, l->line, l->col + l->len,
                    "expected an event such as 'day 180 09:00 race 21.1 km 3.5 m/s' or 'days 200-230 no running', found the end");
    }
    const tok *k = &T.t[0], *v = &T.t[1];
    int d0, d1;
    if (teq(k, "day") || teq(k, "days")) {
        if (parse_range(v->s, v->len, &d0, &d1)) return terr(P, FA_ERR_SYNTAX, v, "a day number or a range such as '200-230'");
    } else if (teq(k, "date") || teq(k, "dates")) {
        if (sc->start_date == INT_MIN)
            return perr(P, FA_ERR_MISSING, k->line, k->col, "expected 'start: YYYY-MM-DD' at the top of the file to use dates, found none");
        const char *dd = v->len > 10 && v->s[10] == '.' ? v->s + 10 : NULL;
        int a, b;
        if (parse_date(v->s, v->len > 10 ? 10 : v->len, &a)) return terr(P, FA_ERR_SYNTAX, v, "a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD");
        b = a;
        if (v->len > 10) {
            if (!dd || v->len != 22 || v->s[11] != '.' || parse_date(v->s + 12, 10, &b))
                return terr(P, FA_ERR_SYNTAX, v, "a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD");
        }
        d0 = a - sc->start_date + 1;
        d1 = b - sc->start_date + 1;
    } else {
        return terr(P, FA_ERR_SYNTAX, k, "'day N', 'days A-B' or 'date YYYY-MM-DD' to start an event");
    }
    if (d0 < 1 || d1 < d0 || d1 > sc->ndays)
        return perr(P, FA_ERR_RANGE, v->line, v->col, "expected days within 1-%d (in order), found %d-%d", sc->ndays, d0, d1);
    d0 -= 1;
    d1 -= 1;
    int wi = 2;
    unsigned mask = 0x7f;
    /* optional weekday filter for a range: "days 22-56 Mon,Wed,Fri 10:00 physio 45 min" */
    if (!memchr(T.t[2].s, ':', (size_t)T.t[2].len) && !parse_days(&T.t[2], &mask)) {
        wi = 3;
        if (T.n < 5 || !memchr(T.t[3].s, ':', (size_t)T.t[3].len))
            return perr(P, FA_ERR_SYNTAX, T.t[2].line, T.t[2].col,
                        "expected a time and an activity after the weekdays (e.g. 'Mon,Thu 10:00 physio 45 min'), found %s",
                        T.n < 4 ? "the end" : "something else");
    }
    const tok *w = &T.t[wi];
    fa_block *b = NULL;
    if (teq(w, "no")) {
        if (T.n != 4) return perr(P, FA_ERR_SYNTAX, w->line, w->col, "expected 'no ACTIVITIES' (e.g. 'no running'), found %d words after 'no'", T.n - 3);
        if ((st = new_block(P, n, &b))) return st;
        b->kind = FA_BLOCK_NO;
        if ((st = act_mask(P, &T.t[3], &b->mask))) return st;
    } else if (teq(w, "time_off") || teq(w, "rest")) {
        if (T.n != 3) return terr(P, FA_ERR_SYNTAX, &T.t[3], "nothing after 'time_off'");
        if ((st = new_block(P, n, &b))) return st;
        b->kind = FA_BLOCK_NO;
        tok tr = {"training", 8, w->line, w->col};
        if ((st = act_mask(P, &tr, &b->mask))) return st;
    } else if (teq(w, "immobilise") || teq(w, "immobilize")) {
        if (T.n != 4) return perr(P, FA_ERR_SYNTAX, w->line, w->col, "expected 'immobilise REGION', found %d words after it", T.n - 3);
        if ((st = new_block(P, n, &b))) return st;
        b->kind = FA_BLOCK_IMMOBILISE;
        if ((st = tok_name(P, &T.t[3], b->region, sizeof b->region, "a region name"))) return st;
    } else if (teq(w, "injury")) {
        if (T.n != 4 && T.n != 5) return perr(P, FA_ERR_SYNTAX, w->line, w->col, "expected 'injury REGION [SEVERITY]', found %d words after it", T.n - 3);
        if ((st = new_block(P, n, &b))) return st;
        b->kind = FA_BLOCK_INJURY;
        if ((st = tok_name(P, &T.t[3], b->region, sizeof b->region, "a region name"))) return st;
        b->severity = 0.5;
        if (T.n == 5) {
            double x;
            if (tnum(&T.t[4], &x) || x <= 0 || x > 1) return terr(P, FA_ERR_RANGE, &T.t[4], "a severity in (0, 1]");
            b->severity = x;
        }
        if (d1 != d0) return perr(P, FA_ERR_RANGE, v->line, v->col, "expected one day for an injury, found a range");
    } else if (teq(w, "change")) {
        if (T.n != 4) return perr(P, FA_ERR_SYNTAX, w->line, w->col, "expected 'change WHAT' (e.g. 'change shoes'), found %d words after it", T.n - 3);
        if ((st = new_block(P, n, &b))) return st;
        b->kind = FA_BLOCK_CHANGE;
        if ((st = tok_name(P, &T.t[3], b->region, sizeof b->region, "what changed (a name)"))) return st;
    } else {
        fa_entry *e = new_entry(P, n, &st);
        if (!e) return st;
        e->owner = FA_OWN_EVENT;
        e->days = mask;
        e->day0 = d0;
        e->day1 = d1;
        double start, window;
        if ((st = parse_time_tok(P, w, &start, &window))) return st;
        if ((st = parse_act_params(P, &T, wi + 1, e, window))) return st;
        return finish_entry(P, e, &T.t[wi + 1], start, window);
    }
    b->day0 = d0;
    b->day1 = d1;
    return FA_OK;
}

/* ------------------------------------------------------------------------ */
/* sections                                                                  */

static fa_status parse_person(pctx *P, const yaml_node_t *n)
{
    static const char *const keys[] = {"body", "mass", "height", "sex", "age", "parameters", NULL};
    field f[7];
    fa_status st = fields(P, n, "person", keys, f);
    if (st) return st;
    fa_person *p = &P->sc->person;
    if (f[0].val && (st = get_str(P, f[0].val, p->body, sizeof p->body, "a body file or name"))) return st;
    if (f[1].val) {
        if ((st = quantity(P, f[1].val, 1u << U_MASS, 1.0, "a mass such as '70 kg'", &p->mass))) return st;
        if (!(p->mass >= 20 && p->mass <= 250))
            return perr(P, FA_ERR_RANGE, nline(f[1].val), ncol(f[1].val), "expected a mass between 20 and 250 kg, found %g kg", p->mass);
    }
    if (f[2].val) {
        if ((st = quantity(P, f[2].val, (1u << U_DIST) | (1u << U_LEN), 1.0, "a height such as '1.75 m'", &p->height))) return st;
        if (!(p->height >= 1.0 && p->height <= 2.5))
            return perr(P, FA_ERR_RANGE, nline(f[2].val), ncol(f[2].val), "expected a height between 1.0 and 2.5 m, found %g m", p->height);
    }
    if (f[3].val) {
        if ((st = expect_type(P, f[3].val, YAML_SCALAR_NODE, "female or male"))) return st;
        const char *s = sval(f[3].val);
        if (!strcmp(s, "female") || !strcmp(s, "F") || !strcmp(s, "f")) p->sex = FA_SEX_FEMALE;
        else if (!strcmp(s, "male") || !strcmp(s, "M") || !strcmp(s, "m")) p->sex = FA_SEX_MALE;
        else {
            char b[64];
            return perr(P, FA_ERR_UNKNOWN, nline(f[3].val), ncol(f[3].val), "expected female or male, found '%s'", shown(s, -1, b, sizeof b));
        }
    }
    if (f[4].val) {
        if ((st = quantity(P, f[4].val, 0, 1.0, "an age in years", &p->age))) return st;
        if (!(p->age >= 5 && p->age <= 110))
            return perr(P, FA_ERR_RANGE, nline(f[4].val), ncol(f[4].val), "expected an age between 5 and 110 years, found %g", p->age);
    }
    if (f[5].val) {
        const yaml_node_t *m = f[5].val;
        if ((st = expect_type(P, m, YAML_MAPPING_NODE, "a mapping of parameter names to numbers"))) return st;
        for (yaml_node_pair_t *pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(P->doc, pr->key), *v = yaml_document_get_node(P->doc, pr->value);
            if (!k || !v) return perr(P, FA_ERR_SYNTAX, nline(m), ncol(m), "malformed mapping");
            if (k->type != YAML_SCALAR_NODE) return expect_type(P, k, YAML_SCALAR_NODE, "a parameter name");
            if (!is_ident(sval(k), (int)strlen(sval(k)))) {
                char b[64];
                return perr(P, FA_ERR_SYNTAX, nline(k), ncol(k), "expected a parameter name (letters, digits, _), found '%s'",
                            shown(sval(k), -1, b, sizeof b));
            }
            if (p->nparam >= FA_SC_MAX_PARAM)
                return perr(P, FA_ERR_RANGE, nline(k), ncol(k), "expected at most %d parameters, found more", FA_SC_MAX_PARAM);
            for (int j = 0; j < p->nparam; j++)
                if (!strcmp(p->param_name[j], sval(k)))
                    return perr(P, FA_ERR_DUPLICATE, nline(k), ncol(k), "duplicate parameter '%s'", sval(k));
            if (fa_sc_copy(p->param_name[p->nparam], sizeof p->param_name[0], sval(k), strlen(sval(k))))
                return perr(P, FA_ERR_RANGE, nline(k), ncol(k), "expected a parameter name of at most 31 characters");
            if ((st = quantity(P, v, 0, 1.0, "a number", &p->param_value[p->nparam]))) return st;
            p->nparam++;
        }
    }
    return FA_OK;
}

static fa_status parse_weeks(pctx *P, const yaml_node_t *n, int *a, int *b)
{
    fa_status st = expect_type(P, n, YAML_SCALAR_NODE, "a week range such as '1-52'");
    if (st) return st;
    const char *s = sval(n);
    char buf[64];
    if (parse_range(s, (int)strlen(s), a, b) || *a < 1 || *b < *a)
        return perr(P, FA_ERR_SYNTAX, nline(n), ncol(n), "expected a week range such as '1-52' (1-based, in order), found '%s'",
                    shown(s, -1, buf, sizeof buf));
    return FA_OK;
}

static fa_status parse_phases(pctx *P, const yaml_node_t *n)
{
    fa_status st = expect_type(P, n, YAML_SEQUENCE_NODE, "a list of phases");
    if (st) return st;
    fa_scenario *sc = P->sc;
    int maxweek = (sc->ndays + 6) / 7;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *c = yaml_document_get_node(P->doc, *it);
        if (!c) return perr(P, FA_ERR_SYNTAX, nline(n), ncol(n), "malformed list");
        static const char *const keys[] = {"name", "weeks", "add", "replace", "remove", NULL};
        field f[6];
        memset(f, 0, sizeof f);
        if (sc->nphase >= FA_SC_MAX_PHASE)
            return perr(P, FA_ERR_RANGE, nline(c), ncol(c), "expected at most %d phases, found more", FA_SC_MAX_PHASE);
        int pi = sc->nphase;
        fa_phase *ph = &sc->phase[pi];
        memset(ph, 0, sizeof *ph);
        ph->line = nline(c);
        /* short form: "- weeks 1-52: base" or "- weeks 53-104: {name: care, add: [...]}" */
        yaml_node_t *k1 = NULL, *v1 = NULL;
        if (c->type == YAML_MAPPING_NODE && c->data.mapping.pairs.top - c->data.mapping.pairs.start == 1) {
            k1 = yaml_document_get_node(P->doc, c->data.mapping.pairs.start->key);
            v1 = yaml_document_get_node(P->doc, c->data.mapping.pairs.start->value);
            if (!k1 || !v1 || k1->type != YAML_SCALAR_NODE || strncmp(sval(k1), "weeks ", 6)) k1 = NULL;
        }
        const yaml_node_t *wnode;
        if (k1) {
            wnode = k1;
            const char *ws = sval(k1) + 6;
            char b[64];
            if (parse_range(ws, (int)strlen(ws), &ph->week0, &ph->week1) || ph->week0 < 1 || ph->week1 < ph->week0)
                return perr(P, FA_ERR_SYNTAX, nline(k1), ncol(k1) + 6, "expected a week range such as '1-52' (1-based, in order), found '%s'",
                            shown(ws, -1, b, sizeof b));
            if (v1->type == YAML_SCALAR_NODE) {
                if ((st = get_str(P, v1, ph->name, sizeof ph->name, "a phase name"))) return st;
            } else {
                if ((st = fields(P, v1, "a phase", keys, f))) return st;
                if (f[1].val)
                    return perr(P, FA_ERR_DUPLICATE, nline(f[1].keynode), ncol(f[1].keynode), "expected the weeks once, found them in the key and in 'weeks:'");
                if (f[0].val && (st = get_str(P, f[0].val, ph->name, sizeof ph->name, "a phase name"))) return st;
            }
        } else {
            if ((st = fields(P, c, "a phase", keys, f))) return st;
            if (!f[1].val) return perr(P, FA_ERR_MISSING, nline(c), ncol(c), "expected 'weeks: A-B' in the phase, found none");
            wnode = f[1].val;
            if (f[0].val && (st = get_str(P, f[0].val, ph->name, sizeof ph->name, "a phase name"))) return st;
            if ((st = parse_weeks(P, f[1].val, &ph->week0, &ph->week1))) return st;
        }
        if (ph->week1 > maxweek)
            return perr(P, FA_ERR_RANGE, nline(wnode), ncol(wnode), "expected weeks within 1-%d (the scenario lasts %d days), found %d-%d",
                        maxweek, sc->ndays, ph->week0, ph->week1);
        for (int j = 0; j < pi; j++)
            if (ph->week0 <= sc->phase[j].week1 && sc->phase[j].week0 <= ph->week1)
                return perr(P, FA_ERR_RANGE, nline(wnode), ncol(wnode),
                            "expected phases not to overlap, found weeks %d-%d overlapping phase '%s' (line %d)", ph->week0,
                            ph->week1, sc->phase[j].name, sc->phase[j].line);
        sc->nphase++;
        if (f[2].val && f[3].val)
            return perr(P, FA_ERR_ARG, nline(f[3].keynode), ncol(f[3].keynode), "expected either 'add' or 'replace' in a phase, found both");
        if (f[2].val && (st = parse_list(P, f[2].val, "a list of entries to add", FA_OWN_PHASE, pi))) return st;
        if (f[3].val) {
            ph->replace = 1;
            if ((st = parse_list(P, f[3].val, "a list of entries replacing the schedule", FA_OWN_PHASE, pi))) return st;
        }
        if (f[4].val) {
            const yaml_node_t *r = f[4].val;
            if ((st = expect_type(P, r, YAML_SEQUENCE_NODE, "a list of activity names"))) return st;
            for (yaml_node_item_t *ri = r->data.sequence.items.start; ri < r->data.sequence.items.top; ri++) {
                yaml_node_t *a = yaml_document_get_node(P->doc, *ri);
                if (!a) return perr(P, FA_ERR_SYNTAX, nline(r), ncol(r), "malformed list");
                if ((st = expect_type(P, a, YAML_SCALAR_NODE, "an activity name"))) return st;
                tok t = {sval(a), (int)strlen(sval(a)), nline(a), ncol(a)};
                uint64_t m;
                if ((st = act_mask(P, &t, &m))) return st;
                ph->remove |= m;
            }
        }
    }
    return FA_OK;
}

/* "pain lateral_thigh > 3" */
static fa_status parse_when(pctx *P, const yaml_node_t *n, fa_rule *r)
{
    fa_status st;
    if ((st = expect_type(P, n, YAML_SCALAR_NODE, "a condition such as 'pain lateral_thigh > 3'"))) return st;
    toks T;
    if ((st = tokenize(P, n, &T))) return st;
    if (T.n >= 1 && teq(&T.t[0], "injury")) {
        /* "injury lateral_thigh": the damage model declared an injury there */
        if (T.n != 2)
            return perr(P, FA_ERR_SYNTAX, nline(n), ncol(n), "expected a condition 'injury REGION' (2 words), found %d words", T.n);
        snprintf(r->signal, sizeof r->signal, "injury");
        r->injury = 1;
        return tok_name(P, &T.t[1], r->region, sizeof r->region, "a region name");
    }
    if (T.n != 4)
        return perr(P, FA_ERR_SYNTAX, nline(n), ncol(n), "expected a condition 'SIGNAL REGION > VALUE' (4 words), found %d words", T.n);
    if (!(teq(&T.t[0], "pain") || teq(&T.t[0], "irritation") || teq(&T.t[0], "damage")))
        return terr(P, FA_ERR_UNKNOWN, &T.t[0], "a signal (pain, irritation, damage, injury)");
    snprintf(r->signal, sizeof r->signal, "%.*s", T.t[0].len, T.t[0].s);
    if ((st = tok_name(P, &T.t[1], r->region, sizeof r->region, "a region name"))) return st;
    if (teq(&T.t[2], ">")) r->ge = 0;
    else if (teq(&T.t[2], ">=")) r->ge = 1;
    else return terr(P, FA_ERR_SYNTAX, &T.t[2], "'>' or '>='");
    double x;
    if (tnum(&T.t[3], &x)) return terr(P, FA_ERR_SYNTAX, &T.t[3], "a threshold number");
    double hi = teq(&T.t[0], "pain") ? 10.0 : 1.0;
    if (x < 0 || x > hi) {
        char what[48];
        snprintf(what, sizeof what, "a threshold between 0 and %g", hi);
        return terr(P, FA_ERR_RANGE, &T.t[3], what);
    }
    r->threshold = x;
    return FA_OK;
}

static fa_status parse_days_count(pctx *P, const yaml_node_t *n, int *days)
{
    double x;
    fa_status st = expect_type(P, n, YAML_SCALAR_NODE, "a number of days");
    if (st) return st;
    const char *s = sval(n);
    int len = (int)strlen(s);
    if (len > 5 && !strcmp(s + len - 5, " days")) len -= 5;
    else if (len > 4 && !strcmp(s + len - 4, " day")) len -= 4;
    char b[64];
    if (parse_num(s, len, &x) || x != floor(x) || x < 0 || x > 36500)
        return perr(P, FA_ERR_RANGE, nline(n), ncol(n), "expected a whole number of days (0-36500), found '%s'", shown(s, -1, b, sizeof b));
    *days = (int)x;
    return FA_OK;
}

static fa_status parse_rules(pctx *P, const yaml_node_t *n)
{
    fa_status st = expect_type(P, n, YAML_SEQUENCE_NODE, "a list of rules");
    if (st) return st;
    fa_scenario *sc = P->sc;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *c = yaml_document_get_node(P->doc, *it);
        if (!c) return perr(P, FA_ERR_SYNTAX, nline(n), ncol(n), "malformed list");
        static const char *const keys[] = {"name", "when", "off", "off_days", "add", "after", "after_days", "until", NULL};
        field f[9];
        if ((st = fields(P, c, "a rule", keys, f))) return st;
        if (sc->nrule >= FA_SC_MAX_RULE) return perr(P, FA_ERR_RANGE, nline(c), ncol(c), "expected at most %d rules, found more", FA_SC_MAX_RULE);
        int ri = sc->nrule;
        fa_rule *r = &sc->rule[ri];
        memset(r, 0, sizeof *r);
        r->line = nline(c);
        if (!f[0].val) return perr(P, FA_ERR_MISSING, nline(c), ncol(c), "expected 'name:' in the rule, found none");
        if (!f[1].val) return perr(P, FA_ERR_MISSING, nline(c), ncol(c), "expected 'when:' in the rule, found none");
        if ((st = get_str(P, f[0].val, r->name, sizeof r->name, "a rule name"))) return st;
        for (int j = 0; j < ri; j++)
            if (!strcmp(sc->rule[j].name, r->name))
                return perr(P, FA_ERR_DUPLICATE, nline(f[0].val), ncol(f[0].val), "duplicate rule name '%s' (first at line %d)", r->name, sc->rule[j].line);
        if ((st = parse_when(P, f[1].val, r))) return st;
        if (f[2].val) {
            const yaml_node_t *o = f[2].val;
            if (o->type == YAML_SCALAR_NODE) {
                tok t = {sval(o), (int)strlen(sval(o)), nline(o), ncol(o)};
                if ((st = act_mask(P, &t, &r->off))) return st;
            } else {
                if ((st = expect_type(P, o, YAML_SEQUENCE_NODE, "a list of activity names"))) return st;
                for (yaml_node_item_t *oi = o->data.sequence.items.start; oi < o->data.sequence.items.top; oi++) {
                    yaml_node_t *a = yaml_document_get_node(P->doc, *oi);
                    if (!a) return perr(P, FA_ERR_SYNTAX, nline(o), ncol(o), "malformed list");
                    if ((st = expect_type(P, a, YAML_SCALAR_NODE, "an activity name"))) return st;
                    tok t = {sval(a), (int)strlen(sval(a)), nline(a), ncol(a)};
                    uint64_t m;
                    if ((st = act_mask(P, &t, &m))) return st;
                    r->off |= m;
                }
            }
        }
        if (f[3].val && (st = parse_days_count(P, f[3].val, &r->off_days))) return st;
        if (f[6].val && (st = parse_days_count(P, f[6].val, &r->after_days))) return st;
        if (f[7].val) {
            const yaml_node_t *u = f[7].val;
            char b[64];
            if ((st = expect_type(P, u, YAML_SCALAR_NODE, "'healed'"))) return st;
            if (strcmp(sval(u), "healed"))
                return perr(P, FA_ERR_SYNTAX, nline(u), ncol(u), "expected 'until: healed', found 'until: %s'", shown(sval(u), -1, b, sizeof b));
            if (f[3].val)
                return perr(P, FA_ERR_SYNTAX, nline(u), ncol(u), "expected either 'off_days: N' or 'until: healed', found both (off_days at line %d)",
                            nline(f[3].val));
            if (!r->off && !f[4].val)
                return perr(P, FA_ERR_MISSING, nline(u), ncol(u), "expected 'off' or 'add' with 'until: healed', found neither");
            r->until_healed = 1;
        }
        if ((r->off || f[4].val) && r->off_days == 0 && !r->until_healed)
            return perr(P, FA_ERR_MISSING, nline(c), ncol(c), "expected 'off_days: N' (N > 0) or 'until: healed' with 'off' or 'add', found neither");
        if (f[5].val && r->after_days == 0)
            return perr(P, FA_ERR_MISSING, nline(c), ncol(c), "expected 'after_days: N' (N > 0) with 'after', found none");
        sc->nrule++;
        if (f[4].val && (st = parse_list(P, f[4].val, "a list of entries added while the rule is in force", FA_OWN_RULE_OFF, ri))) return st;
        if (f[5].val && (st = parse_list(P, f[5].val, "a list of entries added after the rule fires", FA_OWN_RULE_AFTER, ri))) return st;
    }
    return FA_OK;
}

static fa_status parse_runs(pctx *P, const yaml_node_t *n)
{
    fa_status st = expect_type(P, n, YAML_SEQUENCE_NODE, "a list of imported runs");
    if (st) return st;
    fa_scenario *sc = P->sc;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *c = yaml_document_get_node(P->doc, *it);
        if (!c) return perr(P, FA_ERR_SYNTAX, nline(n), ncol(n), "malformed list");
        static const char *const keys[] = {"file", "day", "date", "at", "cadence", "terrain", NULL};
        field f[7];
        if ((st = fields(P, c, "an imported run", keys, f))) return st;
        if (!f[0].val) return perr(P, FA_ERR_MISSING, nline(c), ncol(c), "expected 'file:' in the imported run, found none");
        char rel[256], path[512];
        if ((st = get_str(P, f[0].val, rel, sizeof rel, "a GPX/TCX file path"))) return st;
        if (rel[0] == '/' || !P->dir[0]) snprintf(path, sizeof path, "%s", rel);
        else snprintf(path, sizeof path, "%s/%s", P->dir, rel);
        fa_run_summary rs;
        fa_error e2;
        fa_error_clear(&e2);
        st = fa_run_import(path, &rs, &e2);
        if (st)
            return perr(P, st, nline(f[0].val), ncol(f[0].val), "expected a readable GPX/TCX run, found an error: %s", e2.msg);
        fa_entry *e = new_entry(P, c, &st);
        if (!e) return st;
        e->owner = FA_OWN_IMPORT;
        e->days = 0x7f;
        /* day: explicit day, date, or the file's own date */
        int day = -1;
        if (f[1].val && f[2].val)
            return perr(P, FA_ERR_ARG, nline(f[2].keynode), ncol(f[2].keynode), "expected 'day' or 'date', found both");
        if (f[1].val) {
            double x;
            if ((st = quantity(P, f[1].val, 0, 1.0, "a day number", &x))) return st;
            if (x != floor(x)) return perr(P, FA_ERR_RANGE, nline(f[1].val), ncol(f[1].val), "expected a whole day number, found %g", x);
            day = (int)x - 1;
        } else {
            int dd;
            if (f[2].val) {
                if ((st = expect_type(P, f[2].val, YAML_SCALAR_NODE, "a date YYYY-MM-DD"))) return st;
                if (parse_date(sval(f[2].val), (int)strlen(sval(f[2].val)), &dd))
                    return perr(P, FA_ERR_SYNTAX, nline(f[2].val), ncol(f[2].val), "expected a date YYYY-MM-DD, found '%s'", sval(f[2].val));
            } else {
                dd = (int)floor(rs.start_unix / 86400.0);
            }
            if (sc->start_date == INT_MIN)
                return perr(P, FA_ERR_MISSING, nline(c), ncol(c), "expected 'day: N' or 'start: YYYY-MM-DD' at the top to place the run, found neither");
            day = dd - sc->start_date;
        }
        if (day < 0 || day >= sc->ndays)
            return perr(P, FA_ERR_RANGE, nline(c), ncol(c), "expected the run within days 1-%d, found day %d", sc->ndays, day + 1);
        e->day0 = e->day1 = day;
        double start;
        if (f[3].val) {
            if ((st = expect_type(P, f[3].val, YAML_SCALAR_NODE, "a time HH:MM"))) return st;
            if (parse_clock(sval(f[3].val), (int)strlen(sval(f[3].val)), 0, &start))
                return perr(P, FA_ERR_SYNTAX, nline(f[3].val), ncol(f[3].val), "expected a time HH:MM, found '%s'", sval(f[3].val));
        } else {
            double tod = fmod(rs.start_unix, 86400.0);
            start = floor(tod < 0 ? tod + 86400.0 : tod);
        }
        proto_defaults(&e->proto, FA_ACT_RUN);
        e->proto.dur = rs.duration;
        e->proto.speed = rs.speed;
        e->proto.distance = rs.distance;
        e->proto.hr = rs.hr_mean;
        e->proto.cadence = isnan(sc->default_cadence) ? fa_activity_get(FA_ACT_RUN)->cadence : sc->default_cadence;
        if (f[4].val) {
            if ((st = quantity(P, f[4].val, 1u << U_CAD, 1.0, "a cadence in steps/min", &e->proto.cadence))) return st;
        }
        if (f[5].val) {
            if ((st = get_str(P, f[5].val, e->proto.terrain, sizeof e->proto.terrain, "a terrain"))) return st;
        }
        if (!(rs.duration > 0 && rs.duration <= 86400.0) || !(rs.speed > 0.1 && rs.speed < 12.5))
            return perr(P, FA_ERR_RANGE, nline(f[0].val), ncol(f[0].val),
                        "expected a run of 0-24 h at 0.1-12.5 m/s, found %g s at %g m/s", rs.duration, rs.speed);
        e->start = start;
        sc->nentry++;
    }
    return FA_OK;
}

/* ------------------------------------------------------------------------ */

static fa_status parse_events(pctx *P, const yaml_node_t *n)
{
    fa_status st = expect_type(P, n, YAML_SEQUENCE_NODE, "a list of events");
    if (st) return st;
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *c = yaml_document_get_node(P->doc, *it);
        if (!c) return perr(P, FA_ERR_SYNTAX, nline(n), ncol(n), "malformed list");
        if ((st = parse_event(P, c))) return st;
    }
    return FA_OK;
}

/* variants: {NAME: {description, add, remove, events, rules}}; `variant:`
 * names the default. Only the selected variant's body is applied; its
 * `remove` list disables matching base-schedule entries before `add`. */
static fa_status parse_variants(pctx *P, const yaml_node_t *defn, const yaml_node_t *vars, const yaml_node_t *root)
{
    fa_scenario *sc = P->sc;
    fa_status st;
    sc->variant = -1;
    char def[32] = "";
    if (defn && (st = get_str(P, defn, def, sizeof def, "a variant name"))) return st;
    if (defn && !vars) return perr(P, FA_ERR_MISSING, nline(defn), ncol(defn), "expected a 'variants:' section for 'variant: %s', found none", def);
    const char *want = P->variant ? P->variant : def;
    if (!vars) {
        if (want[0]) return fa_error_set(P->err, FA_ERR_UNKNOWN, P->file, nline(root), ncol(root), "unknown variant '%s' (the file offers none)", want);
        return FA_OK;
    }
    if ((st = expect_type(P, vars, YAML_MAPPING_NODE, "a mapping of variant names to variant bodies"))) return st;
    const yaml_node_t *body = NULL;
    for (yaml_node_pair_t *p = vars->data.mapping.pairs.start; p < vars->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(P->doc, p->key), *v = yaml_document_get_node(P->doc, p->value);
        if (!k || !v) return perr(P, FA_ERR_SYNTAX, nline(vars), ncol(vars), "malformed mapping");
        if ((st = expect_type(P, k, YAML_SCALAR_NODE, "a variant name"))) return st;
        if (!is_ident(sval(k), (int)strlen(sval(k)))) {
            char b[64];
            return perr(P, FA_ERR_SYNTAX, nline(k), ncol(k), "expected a variant name (letters, digits, _ or -), found '%s'",
                        shown(sval(k), -1, b, sizeof b));
        }
        if (sc->nvariant >= FA_SC_MAX_VARIANT)
            return perr(P, FA_ERR_RANGE, nline(k), ncol(k), "expected at most %d variants, found more", FA_SC_MAX_VARIANT);
        for (int j = 0; j < sc->nvariant; j++)
            if (!strcmp(sc->variant_name[j], sval(k))) return perr(P, FA_ERR_DUPLICATE, nline(k), ncol(k), "duplicate variant '%s'", sval(k));
        if (fa_sc_copy(sc->variant_name[sc->nvariant], sizeof sc->variant_name[0], sval(k), strlen(sval(k))))
            return perr(P, FA_ERR_RANGE, nline(k), ncol(k), "expected a variant name of at most 31 characters");
        if ((st = expect_type(P, v, YAML_MAPPING_NODE, "a variant body (description, add, remove, events, rules)"))) return st;
        if (want[0] && !strcmp(want, sval(k))) {
            body = v;
            sc->variant = sc->nvariant;
        }
        sc->nvariant++;
    }
    if (want[0] && !body) {
        char list[320] = "";
        size_t o = 0;
        for (int j = 0; j < sc->nvariant && o < sizeof list; j++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", j ? ", " : "", sc->variant_name[j]);
        const yaml_node_t *at = P->variant ? root : defn;
        return perr(P, FA_ERR_UNKNOWN, nline(at), ncol(at), "unknown variant '%s' (expected one of: %s)", want, list);
    }
    if (!body) return FA_OK;
    static const char *const keys[] = {"description", "add", "remove", "events", "rules", NULL};
    field f[6];
    if ((st = fields(P, body, "a variant", keys, f))) return st;
    if (f[2].val) {
        const yaml_node_t *r = f[2].val;
        if ((st = expect_type(P, r, YAML_SEQUENCE_NODE, "a list of activity names"))) return st;
        uint64_t mask = 0;
        for (yaml_node_item_t *ri = r->data.sequence.items.start; ri < r->data.sequence.items.top; ri++) {
            yaml_node_t *a = yaml_document_get_node(P->doc, *ri);
            if (!a) return perr(P, FA_ERR_SYNTAX, nline(r), ncol(r), "malformed list");
            if ((st = expect_type(P, a, YAML_SCALAR_NODE, "an activity name"))) return st;
            tok t = {sval(a), (int)strlen(sval(a)), nline(a), ncol(a)};
            uint64_t m;
            if ((st = act_mask(P, &t, &m))) return st;
            mask |= m;
        }
        for (int i = 0; i < sc->nentry; i++)
            if (sc->entry[i].owner == FA_OWN_BASE && (mask & (1ull << sc->entry[i].proto.act))) sc->entry[i].days = 0;
    }
    if (f[1].val && (st = parse_list(P, f[1].val, "a list of entries to add", FA_OWN_BASE, -1))) return st;
    if (f[3].val && (st = parse_events(P, f[3].val))) return st;
    if (f[4].val && (st = parse_rules(P, f[4].val))) return st;
    return FA_OK;
}

static fa_status parse_root(pctx *P, const yaml_node_t *root)
{
    static const char *const keys[] = {"name", "description", "days", "weeks", "start", "start_weekday", "idle",
                                       "cadence", "person", "schedule", "phases", "events", "rules", "runs",
                                       "variant", "variants", NULL};
    field f[17];
    fa_status st = fields(P, root, "the scenario (top level)", keys, f);
    if (st) return st;
    fa_scenario *sc = P->sc;
    if (f[0].val && (st = get_str(P, f[0].val, sc->name, sizeof sc->name, "a scenario name"))) return st;
    if (f[1].val && (st = get_str(P, f[1].val, sc->description, sizeof sc->description, "a description"))) return st;
    if (f[2].val && f[3].val)
        return perr(P, FA_ERR_ARG, nline(f[3].keynode), ncol(f[3].keynode), "expected 'days' or 'weeks', found both");
    sc->ndays = 365;
    if (f[2].val || f[3].val) {
        const yaml_node_t *v = f[2].val ? f[2].val : f[3].val;
        double x;
        if ((st = quantity(P, v, 0, 1.0, f[2].val ? "a number of days" : "a number of weeks", &x))) return st;
        if (x != floor(x) || x < 1 || x > (f[2].val ? 36500 : 5214))
            return perr(P, FA_ERR_RANGE, nline(v), ncol(v), "expected a whole number of %s between 1 and 100 years, found %g",
                        f[2].val ? "days" : "weeks", x);
        sc->ndays = (int)x * (f[2].val ? 1 : 7);
    }
    if (f[4].val) {
        if ((st = expect_type(P, f[4].val, YAML_SCALAR_NODE, "a date YYYY-MM-DD"))) return st;
        char b[64];
        if (parse_date(sval(f[4].val), (int)strlen(sval(f[4].val)), &sc->start_date))
            return perr(P, FA_ERR_SYNTAX, nline(f[4].val), ncol(f[4].val), "expected a date YYYY-MM-DD, found '%s'",
                        shown(sval(f[4].val), -1, b, sizeof b));
        /* 1970-01-01 was a Thursday (3) */
        sc->start_weekday = (int)(((long)sc->start_date % 7 + 7 + 3) % 7);
    }
    if (f[5].val) {
        if (f[4].val) return perr(P, FA_ERR_ARG, nline(f[5].keynode), ncol(f[5].keynode), "expected 'start' or 'start_weekday', found both");
        if ((st = expect_type(P, f[5].val, YAML_SCALAR_NODE, "a weekday (Mon..Sun)"))) return st;
        int d = weekday_of(sval(f[5].val), (int)strlen(sval(f[5].val)));
        char b[64];
        if (d < 0) return perr(P, FA_ERR_UNKNOWN, nline(f[5].val), ncol(f[5].val), "expected a weekday (Mon..Sun), found '%s'", shown(sval(f[5].val), -1, b, sizeof b));
        sc->start_weekday = d;
    }
    if (f[6].val) {
        if ((st = expect_type(P, f[6].val, YAML_SCALAR_NODE, "an activity name"))) return st;
        tok t = {sval(f[6].val), (int)strlen(sval(f[6].val)), nline(f[6].val), ncol(f[6].val)};
        if ((st = find_activity(P, &t, &sc->idle))) return st;
        unsigned fl = fa_activity_get(sc->idle)->flags;
        if (fl & (FA_ACTF_GAIT | FA_ACTF_INSTANT | FA_ACTF_MARKER | FA_ACTF_MANUAL))
            return terr(P, FA_ERR_ARG, &t, "a posture activity for idle time (e.g. stand, sit_upright)");
    }
    if (f[7].val) {
        if ((st = quantity(P, f[7].val, 1u << U_CAD, 1.0, "a cadence in steps/min", &sc->default_cadence))) return st;
        if (!(sc->default_cadence > 0 && sc->default_cadence <= 400))
            return perr(P, FA_ERR_RANGE, nline(f[7].val), ncol(f[7].val), "expected a cadence between 0 and 400 steps/min, found %g", sc->default_cadence);
    }
    if (f[8].val && (st = parse_person(P, f[8].val))) return st;
    if (!f[9].val) return perr(P, FA_ERR_MISSING, nline(root), ncol(root), "expected a 'schedule:' list, found none");
    if ((st = parse_list(P, f[9].val, "a list of schedule entries", FA_OWN_BASE, -1))) return st;
    if (f[10].val && (st = parse_phases(P, f[10].val))) return st;
    if (f[11].val && (st = parse_events(P, f[11].val))) return st;
    if (f[12].val && (st = parse_rules(P, f[12].val))) return st;
    if (f[13].val && (st = parse_runs(P, f[13].val))) return st;
    return parse_variants(P, f[14].val, f[15].val, root);
}

static void scenario_defaults(fa_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->ndays = 365;
    sc->start_date = INT_MIN;
    sc->idle = FA_ACT_STAND;
    sc->default_cadence = NAN;
    snprintf(sc->person.body, sizeof sc->person.body, "default");
    sc->person.mass = 70.0;
    sc->person.height = 1.75;
    sc->person.age = 30.0;
}

fa_status fa_scenario_parse(const char *text, size_t len, const char *file, fa_scenario **out, fa_error *err)
{
    return fa_scenario_parse_variant(text, len, file, NULL, out, err);
}

fa_status fa_scenario_parse_variant(const char *text, size_t len, const char *file, const char *variant,
                                    fa_scenario **out, fa_error *err)
{
    if (!text || !out) return fa_error_set(err, FA_ERR_ARG, file, 0, 0, "fa_scenario_parse: NULL argument");
    *out = NULL;
    fa_scenario *sc = (fa_scenario *)malloc(sizeof *sc);
    if (!sc) return fa_error_set(err, FA_ERR_NOMEM, file, 0, 0, "out of memory");
    scenario_defaults(sc);
    pctx P;
    memset(&P, 0, sizeof P);
    P.file = file && file[0] ? file : "<scenario>";
    P.err = err;
    P.sc = sc;
    P.variant = variant;
    if (file) {
        snprintf(sc->file, sizeof sc->file, "%s", file);
        const char *slash = strrchr(file, '/');
        if (slash && (size_t)(slash - file) < sizeof P.dir) {
            memcpy(P.dir, file, (size_t)(slash - file));
            P.dir[slash - file] = '\0';
            if (slash == file) snprintf(P.dir, sizeof P.dir, "/");
        }
    }
    /* libyaml composes nested flow collections recursively and slowly:
     * refuse absurd nesting before handing the text over */
    {
        int depth = 0, line = 1;
        for (size_t i = 0; i < len; i++) {
            char ch = text[i];
            if (ch == '\n') line++;
            else if (ch == '[' || ch == '{') {
                if (++depth > 64) {
                    free(sc);
                    return perr(&P, FA_ERR_RANGE, line, 0, "expected at most 64 nested [ or { levels, found more");
                }
            } else if ((ch == ']' || ch == '}') && depth > 0) {
                depth--;
            }
        }
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    fa_status st = FA_OK;
    if (!yaml_parser_initialize(&parser)) {
        free(sc);
        return fa_error_set(err, FA_ERR_NOMEM, file, 0, 0, "out of memory (YAML parser)");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        st = perr(&P, FA_ERR_SYNTAX, (int)parser.problem_mark.line + 1, (int)parser.problem_mark.column + 1,
                  "expected valid YAML, found a syntax error: %s%s%s", parser.problem ? parser.problem : "unknown",
                  parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        free(sc);
        return st;
    }
    P.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) st = perr(&P, FA_ERR_MISSING, 1, 1, "expected a scenario mapping, found an empty document");
    else st = parse_root(&P, root);
    yaml_document_delete(&doc);
    if (!st && root) {
        /* one scenario per file: a second YAML document is an error */
        yaml_document_t doc2;
        if (!yaml_parser_load(&parser, &doc2)) {
            st = perr(&P, FA_ERR_SYNTAX, (int)parser.problem_mark.line + 1, (int)parser.problem_mark.column + 1,
                      "expected valid YAML, found a syntax error: %s", parser.problem ? parser.problem : "unknown");
        } else {
            yaml_node_t *r2 = yaml_document_get_root_node(&doc2);
            if (r2) st = perr(&P, FA_ERR_SYNTAX, nline(r2), ncol(r2), "expected one scenario per file, found a second YAML document");
            yaml_document_delete(&doc2);
        }
    }
    yaml_parser_delete(&parser);
    if (st) {
        free(sc);
        return st;
    }
    *out = sc;
    return FA_OK;
}

fa_status fa_scenario_load(const char *path, fa_scenario **out, fa_error *err)
{
    if (!path || !out) return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "fa_scenario_load: NULL argument");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    char fpath[512], var[64];
    const char *variant = NULL;
    if (!f) {
        const char *colon = strrchr(path, ':');
        if (colon && colon != path && strlen(colon + 1) < sizeof var && (size_t)(colon - path) < sizeof fpath) {
            memcpy(fpath, path, (size_t)(colon - path));
            fpath[colon - path] = '\0';
            snprintf(var, sizeof var, "%s", colon + 1);
            f = fopen(fpath, "rb");
            if (f) {
                path = fpath;
                variant = var;
            }
        }
    }
    if (!f) return fa_error_set(err, FA_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    fclose(f);
    char *buf = NULL;
    size_t n = 0;
    fa_status st = fa_read_file(path, (size_t)16 << 20, &buf, &n, err);
    if (st) return st;
    st = fa_scenario_parse_variant(buf, n, path, variant, out, err);
    free(buf);
    return st;
}

const char *fa_scenario_builtin_text(const char *name, size_t *len)
{
    for (int i = 0; name && i < fa_builtin_nscenarios; i++)
        if (!strcmp(fa_builtin_scenarios[i].name, name)) {
            if (len) *len = fa_builtin_scenarios[i].len;
            return (const char *)fa_builtin_scenarios[i].text;
        }
    return NULL;
}

const char *fa_scenario_builtin_name(int i)
{
    if (i < 0 || i >= fa_builtin_nscenarios) return NULL;
    return fa_builtin_scenarios[i].name;
}

fa_status fa_scenario_load_builtin(const char *name, fa_scenario **out, fa_error *err)
{
    size_t len;
    char base[64];
    const char *variant = NULL;
    const char *colon = name ? strchr(name, ':') : NULL;
    if (colon && (size_t)(colon - name) < sizeof base) {
        memcpy(base, name, (size_t)(colon - name));
        base[colon - name] = '\0';
        variant = colon + 1;
        name = base;
    }
    const char *text = fa_scenario_builtin_text(name, &len);
    if (!text) {
        char list[512] = "";
        size_t o = 0;
        for (int i = 0; i < fa_builtin_nscenarios && o < sizeof list; i++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", fa_builtin_scenarios[i].name);
        if (out) *out = NULL;
        return fa_error_set(err, FA_ERR_UNKNOWN, NULL, 0, 0, "unknown built-in scenario '%s' (expected one of: %s)",
                            name ? name : "(null)", list);
    }
    char fname[96];
    snprintf(fname, sizeof fname, "builtin:%s", name);
    return fa_scenario_parse_variant(text, len, fname, variant, out, err);
}

void fa_scenario_free(fa_scenario *sc) { free(sc); }
