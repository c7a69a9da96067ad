/* SPDX-License-Identifier: MIT */
/* JSON writer: escaping round-trips random valid UTF-8 (controls, quotes,
 * backslashes, U+2028, astral planes) through an independent decoder;
 * invalid UTF-8 becomes U+FFFD; documents have the exact expected bytes;
 * misuse is reported. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fascia/report.h"
#include "harness.h"

static char *to_string(const char *s)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    size_t k = fa_json_write_string(f, s);
    fclose(f);
    if (k != n) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int hexv(int c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; }

static int put_utf8(unsigned cp, unsigned char *o)
{
    if (cp < 0x80) return o[0] = (unsigned char)cp, 1;
    if (cp < 0x800) return o[0] = (unsigned char)(0xc0 | cp >> 6), o[1] = (unsigned char)(0x80 | (cp & 63)), 2;
    if (cp < 0x10000)
        return o[0] = (unsigned char)(0xe0 | cp >> 12), o[1] = (unsigned char)(0x80 | ((cp >> 6) & 63)), o[2] = (unsigned char)(0x80 | (cp & 63)), 3;
    o[0] = (unsigned char)(0xf0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 63));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 63));
    o[3] = (unsigned char)(0x80 | (cp & 63));
    return 4;
}

/* Decode a JSON string literal (RFC 8259); -1 on any violation. */
static int decode(const char *lit, unsigned char *out, size_t cap, size_t *len)
{
    const unsigned char *s = (const unsigned char *)lit;
    size_t n = 0;
    if (*s++ != '"') return -1;
    while (*s != '"') {
        if (*s == 0 || *s < 0x20) return -1;
        if (n + 4 >= cap) return -1;
        if (*s != '\\') {
            out[n++] = *s++;
            continue;
        }
        s++;
        unsigned cp;
        switch (*s) {
        case '"': out[n++] = '"'; s++; continue;
        case '\\': out[n++] = '\\'; s++; continue;
        case '/': out[n++] = '/'; s++; continue;
        case 'b': out[n++] = '\b'; s++; continue;
        case 'f': out[n++] = '\f'; s++; continue;
        case 'n': out[n++] = '\n'; s++; continue;
        case 'r': out[n++] = '\r'; s++; continue;
        case 't': out[n++] = '\t'; s++; continue;
        case 'u':
            cp = 0;
            for (int i = 1; i <= 4; i++) {
                int h = hexv(s[i]);
                if (h < 0) return -1;
                cp = cp * 16 + (unsigned)h;
            }
            s += 5;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                unsigned lo = 0;
                if (s[0] != '\\' || s[1] != 'u') return -1;
                for (int i = 2; i <= 5; i++) {
                    int h = hexv(s[i]);
                    if (h < 0) return -1;
                    lo = lo * 16 + (unsigned)h;
                }
                if (lo < 0xdc00 || lo > 0xdfff) return -1;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                s += 6;
            }
            n += (size_t)put_utf8(cp, out + n);
            continue;
        default: return -1;
        }
    }
    if (s[1]) return -1;
    *len = n;
    return 0;
}

int main(void)
{
    /* simple escapes, exact bytes */
    struct {
        const char *in, *out;
    } cases[] = {
        {"", "\"\""},
        {"plain", "\"plain\""},
        {"a\"b\\c", "\"a\\\"b\\\\c\""},
        {"\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""},
        {"\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\""},
        {"/", "\"/\""},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8f\x83", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8f\x83\""},
        {"\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\""},
        {"\xff", "\"\\ufffd\""},
        {"\xc0\xaf", "\"\\ufffd\\ufffd\""},           /* overlong */
        {"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""}, /* UTF-16 surrogate */
        {"\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""}, /* > U+10FFFF */
        {"ok\xe2\x82", "\"ok\\ufffd\\ufffd\""},        /* truncated */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = to_string(cases[i].in);
        CHECK_MSG(s && !strcmp(s, cases[i].out), "case %zu: got %s", i, s ? s : "(null)");
        free(s);
    }
    /* random valid UTF-8 round trip */
    fa_rng r;
    fa_rng_seed(&r, 7);
    unsigned char in[4096], back[8192];
    int ok = 1;
    for (int trial = 0; trial < 2000; trial++) {
        size_t n = 0;
        int len = (int)(fa_rng_uniform(&r) * 64);
        for (int k = 0; k < len; k++) {
            unsigned cp;
            double u = fa_rng_uniform(&r);
            if (u < 0.3) cp = (unsigned)(fa_rng_next(&r) % 0x20) + (fa_rng_uniform(&r) < 0.5 ? 0 : 0x20);
            else if (u < 0.4) cp = "\"\\/"[fa_rng_next(&r) % 3];
            else if (u < 0.6) cp = 0x80 + (unsigned)(fa_rng_next(&r) % 0x780);
            else if (u < 0.8) {
                cp = 0x800 + (unsigned)(fa_rng_next(&r) % 0xf800);
                if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x2028;
            } else cp = 0x10000 + (unsigned)(fa_rng_next(&r) % 0x100000);
            if (cp == 0) cp = 1;
            n += (size_t)put_utf8(cp, in + n);
        }
        in[n] = 0;
        char *s = to_string((const char *)in);
        size_t m = 0;
        if (!s || decode(s, back, sizeof back, &m) || m != n || memcmp(back, in, n)) ok = 0;
        free(s);
    }
    CHECK(ok);

    /* a document, compact and pretty */
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    fa_json j;
    fa_json_init(&j, f, 0);
    fa_json_begin_object(&j);
    fa_json_key(&j, "name");
    fa_json_string(&j, "desk \"runner\"");
    fa_json_key(&j, "days");
    fa_json_int(&j, 365);
    fa_json_key(&j, "x");
    fa_json_begin_array(&j);
    fa_json_number(&j, 0.1);
    fa_json_number(&j, -0.0);
    fa_json_number(&j, NAN);
    fa_json_number(&j, INFINITY);
    fa_json_bool(&j, 1);
    fa_json_null(&j);
    fa_json_begin_object(&j);
    fa_json_end_object(&j);
    fa_json_begin_array(&j);
    fa_json_end_array(&j);
    fa_json_end_array(&j);
    fa_json_end_object(&j);
    fa_error err;
    CHECK(fa_json_finish(&j, &err) == FA_OK);
    fclose(f);
    CHECK_MSG(!strcmp(buf, "{\"name\":\"desk \\\"runner\\\"\",\"days\":365,\"x\":[0.10000000000000001,0,null,null,true,null,{},[]]}"),
              "%s", buf);
    free(buf);
    f = open_memstream(&buf, &n);
    fa_json_init(&j, f, 1);
    fa_json_begin_object(&j);
    fa_json_key(&j, "a");
    fa_json_begin_array(&j);
    fa_json_int(&j, 1);
    fa_json_int(&j, 2);
    fa_json_end_array(&j);
    fa_json_key(&j, "b");
    fa_json_string(&j, "c");
    fa_json_end_object(&j);
    CHECK(fa_json_finish(&j, &err) == FA_OK);
    fclose(f);
    CHECK_MSG(!strcmp(buf, "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"c\"\n}\n"), "%s", buf);
    free(buf);
    /* numbers round-trip */
    for (int k = 0; k < 1000; k++) {
        double x = (fa_rng_uniform(&r) - 0.5) * pow(10, (int)(fa_rng_uniform(&r) * 40) - 20);
        f = open_memstream(&buf, &n);
        fa_json_init(&j, f, 0);
        fa_json_number(&j, x);
        fclose(f);
        if (strtod(buf, NULL) != x) ok = 0;
        free(buf);
    }
    CHECK(ok);
    /* misuse */
    struct {
        int what;
    } mis[] = {{0}, {1}, {2}, {3}, {4}};
    for (size_t k = 0; k < sizeof mis / sizeof mis[0]; k++) {
        f = open_memstream(&buf, &n);
        fa_json_init(&j, f, 0);
        switch (mis[k].what) {
        case 0: fa_json_begin_object(&j); break;                               /* unclosed */
        case 1: fa_json_begin_object(&j); fa_json_int(&j, 1); fa_json_end_object(&j); break; /* value without key */
        case 2: fa_json_begin_array(&j); fa_json_key(&j, "k"); fa_json_end_array(&j); break; /* key in an array */
        case 3: fa_json_int(&j, 1); fa_json_int(&j, 2); break;                  /* two top-level values */
        case 4: fa_json_begin_array(&j); fa_json_end_object(&j); break;         /* mismatched close */
        }
        CHECK_MSG(fa_json_finish(&j, &err) == FA_ERR_ARG, "misuse %d not reported", mis[k].what);
        fclose(f);
        free(buf);
    }
    TEST_MAIN_END();
}
