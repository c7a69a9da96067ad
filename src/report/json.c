/* SPDX-License-Identifier: MIT */
/* A small streaming JSON writer (RFC 8259). Written here rather than taken
 * from libcjson because outputs are streamed (a year of per-day records need
 * not sit in memory as a tree) and the escaping rules must be exact and
 * tested: invalid UTF-8 is replaced by U+FFFD so the output is always valid
 * JSON, and U+2028/U+2029 are escaped so it is also valid JavaScript. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fascia/report.h"

/* Length of a valid UTF-8 sequence at s (1-4), 0 when invalid. */
static int utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) return (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80) return 0;
        if (c == 0xe0 && s[1] < 0xa0) return 0; /* overlong */
        if (c == 0xed && s[1] >= 0xa0) return 0; /* surrogates */
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80) return 0;
        if (c == 0xf0 && s[1] < 0x90) return 0; /* overlong */
        if (c == 0xf4 && s[1] >= 0x90) return 0; /* > U+10FFFF */
        return 4;
    }
    return 0;
}

size_t fa_json_write_string(FILE *f, const char *str)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t n = 0;
    fputc('"', f);
    n++;
    while (*s) {
        unsigned c = *s;
        const char *esc = NULL;
        char buf[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20) {
                snprintf(buf, sizeof buf, "\\u%04x", c);
                esc = buf;
            }
        }
        if (esc) {
            fputs(esc, f);
            n += strlen(esc);
            s++;
            continue;
        }
        int l = utf8_len(s);
        if (l == 0) {
            fputs("\\ufffd", f);
            n += 6;
            s++;
            continue;
        }
        if (l == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9)) {
            fputs(s[2] == 0xa8 ? "\\u2028" : "\\u2029", f);
            n += 6;
            s += 3;
            continue;
        }
        fwrite(s, 1, (size_t)l, f);
        n += (size_t)l;
        s += l;
    }
    fputc('"', f);
    return n + 1;
}

void fa_json_init(fa_json *j, FILE *f, int pretty)
{
    memset(j, 0, sizeof *j);
    j->f = f;
    j->pretty = pretty;
}

static void indent(fa_json *j)
{
    if (!j->pretty) return;
    fputc('\n', j->f);
    for (int i = 0; i < j->depth; i++) fputs("  ", j->f);
}

/* Before a value: separators, and checks that a value may come here. */
static void pre_value(fa_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth > 0) {
        if (j->is_obj[j->depth - 1]) {
            j->bad = 1; /* a value in an object needs a key */
        }
        if (j->count[j->depth - 1]++) fputc(',', j->f);
        indent(j);
    } else if (j->top++) {
        j->bad = 1; /* two top-level values */
    }
}

static void open_(fa_json *j, int obj)
{
    pre_value(j);
    fputc(obj ? '{' : '[', j->f);
    if (j->depth >= FA_JSON_MAXDEPTH - 1) {
        j->bad = 1;
        return;
    }
    j->depth++;
    j->is_obj[j->depth - 1] = obj;
    j->count[j->depth - 1] = 0;
}

static void close_(fa_json *j, int obj)
{
    if (j->depth == 0 || j->is_obj[j->depth - 1] != obj || j->after_key) {
        j->bad = 1;
        return;
    }
    int had = j->count[j->depth - 1];
    j->depth--;
    if (had) indent(j);
    fputc(obj ? '}' : ']', j->f);
}

void fa_json_begin_object(fa_json *j) { open_(j, 1); }
void fa_json_end_object(fa_json *j) { close_(j, 1); }
void fa_json_begin_array(fa_json *j) { open_(j, 0); }
void fa_json_end_array(fa_json *j) { close_(j, 0); }

void fa_json_key(fa_json *j, const char *key)
{
    if (j->depth == 0 || !j->is_obj[j->depth - 1] || j->after_key) {
        j->bad = 1;
        return;
    }
    if (j->count[j->depth - 1]++) fputc(',', j->f);
    indent(j);
    fa_json_write_string(j->f, key);
    fputs(j->pretty ? ": " : ":", j->f);
    j->after_key = 1;
}

void fa_json_string(fa_json *j, const char *s)
{
    pre_value(j);
    fa_json_write_string(j->f, s);
}

void fa_json_number(fa_json *j, double x)
{
    pre_value(j);
    if (!isfinite(x)) {
        fputs("null", j->f);
        return;
    }
    if (x == 0) x = 0; /* no "-0" */
    fprintf(j->f, "%.17g", x);
}

void fa_json_int(fa_json *j, long long x)
{
    pre_value(j);
    fprintf(j->f, "%lld", x);
}

void fa_json_bool(fa_json *j, int b)
{
    pre_value(j);
    fputs(b ? "true" : "false", j->f);
}

void fa_json_null(fa_json *j)
{
    pre_value(j);
    fputs("null", j->f);
}

fa_status fa_json_finish(fa_json *j, fa_error *err)
{
    if (j->bad || j->depth != 0 || j->after_key || j->top != 1)
        return fa_error_set(err, FA_ERR_ARG, NULL, 0, 0, "JSON writer misuse: unbalanced or misplaced values");
    if (j->pretty) fputc('\n', j->f);
    if (ferror(j->f)) return fa_error_set(err, FA_ERR_IO, NULL, 0, 0, "JSON write failed");
    return FA_OK;
}
