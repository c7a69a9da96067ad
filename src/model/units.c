/* SPDX-License-Identifier: MIT */
/* Unit table and quantity parser. See units.h. The conversion factors are
 * exact SI definitions (BIPM SI Brochure, 9th ed., 2019); "deg" is pi/180 rad
 * and "cP" is 1e-3 Pa s by definition. */
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit_def {
    const char *sym;
    fa_dim dim;
    int p10;       /* SI value = 10^p10 when factor is 0 (exact decimal shift) */
    double factor; /* SI value of one unit when not a power of ten */
} unit_def;

#define PI_ 3.14159265358979323846

static const unit_def units[] = {
    {"%", FA_DIM_NONE, -2, 0.0},
    {"m", FA_DIM_LENGTH, 0, 0.0},
    {"cm", FA_DIM_LENGTH, -2, 0.0},
    {"mm", FA_DIM_LENGTH, -3, 0.0},
    {"um", FA_DIM_LENGTH, -6, 0.0},
    {"\xc2\xb5m", FA_DIM_LENGTH, -6, 0.0},
    {"m^2", FA_DIM_AREA, 0, 0.0},
    {"cm^2", FA_DIM_AREA, -4, 0.0},
    {"mm^2", FA_DIM_AREA, -6, 0.0},
    {"m2", FA_DIM_AREA, 0, 0.0},
    {"cm2", FA_DIM_AREA, -4, 0.0},
    {"mm2", FA_DIM_AREA, -6, 0.0},
    {"Pa", FA_DIM_PRESSURE, 0, 0.0},
    {"kPa", FA_DIM_PRESSURE, 3, 0.0},
    {"MPa", FA_DIM_PRESSURE, 6, 0.0},
    {"GPa", FA_DIM_PRESSURE, 9, 0.0},
    {"N/mm^2", FA_DIM_PRESSURE, 6, 0.0},
    {"N/m^2", FA_DIM_PRESSURE, 0, 0.0},
    {"s", FA_DIM_TIME, 0, 0.0},
    {"ms", FA_DIM_TIME, -3, 0.0},
    {"us", FA_DIM_TIME, -6, 0.0},
    {"min", FA_DIM_TIME, 0, 60.0},
    {"h", FA_DIM_TIME, 0, 3600.0},
    {"d", FA_DIM_TIME, 0, 86400.0},
    {"kg", FA_DIM_MASS, 0, 0.0},
    {"g", FA_DIM_MASS, -3, 0.0},
    {"mg", FA_DIM_MASS, -6, 0.0},
    {"rad", FA_DIM_ANGLE, 0, 0.0},
    {"deg", FA_DIM_ANGLE, 0, PI_ / 180.0},
    {"kg/m^3", FA_DIM_DENSITY, 0, 0.0},
    {"kg/m3", FA_DIM_DENSITY, 0, 0.0},
    {"g/cm^3", FA_DIM_DENSITY, 3, 0.0},
    {"g/cm3", FA_DIM_DENSITY, 3, 0.0},
    {"Pa s", FA_DIM_VISCOSITY, 0, 0.0},
    {"Pa*s", FA_DIM_VISCOSITY, 0, 0.0},
    {"mPa s", FA_DIM_VISCOSITY, -3, 0.0},
    {"mPa*s", FA_DIM_VISCOSITY, -3, 0.0},
    {"cP", FA_DIM_VISCOSITY, -3, 0.0},
    {"N", FA_DIM_FORCE, 0, 0.0},
    {"kN", FA_DIM_FORCE, 3, 0.0},
    {"mN", FA_DIM_FORCE, -3, 0.0},
    {"1/s", FA_DIM_RATE, 0, 0.0},
    {"/s", FA_DIM_RATE, 0, 0.0},
    {"Hz", FA_DIM_RATE, 0, 0.0},
    {"N/m", FA_DIM_STIFFNESS, 0, 0.0},
    {"N/mm", FA_DIM_STIFFNESS, 3, 0.0},
    {"kN/m", FA_DIM_STIFFNESS, 3, 0.0},
    {"m/s^2", FA_DIM_ACCEL, 0, 0.0},
    {"m/s2", FA_DIM_ACCEL, 0, 0.0},
    {"degC", FA_DIM_TEMP, 0, 0.0},
    {"\xc2\xb0"
     "C",
     FA_DIM_TEMP, 0, 0.0},
};
#define NUNITS ((int)(sizeof units / sizeof units[0]))

static const char *const dim_names[FA_DIM_COUNT] = {
    "dimensionless", "length",    "area",  "pressure", "time",      "mass",         "angle",
    "density",       "viscosity", "force", "rate",     "stiffness", "acceleration", "temperature"};
static const char *const dim_si[FA_DIM_COUNT] = {"1",      "m",    "m^2", "Pa",  "s",   "kg",    "rad",
                                                 "kg/m^3", "Pa s", "N",   "1/s", "N/m", "m/s^2", "degC"};

const char *fa_dim_name(fa_dim d)
{
    return (d >= 0 && d < FA_DIM_COUNT) ? dim_names[d] : "?";
}
const char *fa_dim_si(fa_dim d)
{
    return (d >= 0 && d < FA_DIM_COUNT) ? dim_si[d] : "?";
}

void fa_dim_units(fa_dim d, char *buf, size_t size)
{
    size_t n = 0;
    if (!size) return;
    buf[0] = '\0';
    for (int i = 0; i < NUNITS; i++) {
        if (units[i].dim != d) continue;
        size_t k = strlen(units[i].sym);
        if (n + k + 3 >= size) break;
        if (n) {
            memcpy(buf + n, ", ", 2);
            n += 2;
        }
        memcpy(buf + n, units[i].sym, k);
        n += k;
        buf[n] = '\0';
    }
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Scan [+-]digits[.digits][e[+-]digits]. Returns bytes consumed (0 if no
 * number); *mant is the length of the mantissa part, *exp the exponent. */
static size_t scan_number(const char *s, size_t *mant, long *exp)
{
    size_t i = 0, nd = 0;
    *exp = 0;
    if (s[i] == '+' || s[i] == '-') i++;
    while (s[i] >= '0' && s[i] <= '9')
        i++, nd++;
    if (s[i] == '.') {
        i++;
        while (s[i] >= '0' && s[i] <= '9')
            i++, nd++;
    }
    if (nd == 0) return 0;
    *mant = i;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1, ne = 0;
        int neg = 0;
        long e = 0;
        if (s[j] == '+' || s[j] == '-') neg = s[j++] == '-';
        while (s[j] >= '0' && s[j] <= '9') {
            if (e < 100000) e = e * 10 + (s[j] - '0');
            j++, ne++;
        }
        if (ne) {
            i = j;
            *exp = neg ? -e : e;
        }
    }
    return i;
}

/* Parse the number at s shifted by 10^p10, correctly rounded (strtod of the
 * decimal text with the exponent adjusted, so "1.1 mm" is exactly 1.1e-3). */
static fa_qerr number_prefix(const char *s, int p10, double *out, size_t *used)
{
    size_t mant;
    long exp;
    size_t n = scan_number(s, &mant, &exp);
    if (n == 0) return FA_Q_NOTNUM;
    if (mant > 400) return FA_Q_RANGE;
    char buf[440];
    memcpy(buf, s, mant);
    snprintf(buf + mant, sizeof buf - mant, "e%ld", exp + p10);
    double v = strtod(buf, NULL);
    if (!isfinite(v)) return FA_Q_RANGE;
    *out = v;
    *used = n;
    return FA_Q_OK;
}

fa_qerr fa_parse_number(const char *s, double *out)
{
    while (is_blank(*s))
        s++;
    size_t n;
    fa_qerr q = number_prefix(s, 0, out, &n);
    if (q) return q;
    s += n;
    while (is_blank(*s))
        s++;
    return *s ? FA_Q_NOTNUM : FA_Q_OK;
}

fa_qerr fa_parse_quantity(const char *s, fa_dim want, double *out, fa_dim *found_dim)
{
    *found_dim = FA_DIM_NONE;
    while (is_blank(*s))
        s++;
    double v;
    size_t n;
    fa_qerr q = number_prefix(s, 0, &v, &n);
    if (q) return q;
    const char *u = s + n;
    while (is_blank(*u))
        u++;
    size_t ul = strlen(u);
    while (ul > 0 && is_blank(u[ul - 1]))
        ul--;
    if (ul == 0) {
        if (want != FA_DIM_NONE) return FA_Q_NOUNIT;
        *out = v;
        return FA_Q_OK;
    }
    for (int i = 0; i < NUNITS; i++) {
        if (strlen(units[i].sym) == ul && memcmp(units[i].sym, u, ul) == 0) {
            *found_dim = units[i].dim;
            if (units[i].dim != want) return FA_Q_WRONGDIM;
            double r;
            if (units[i].factor == 0.0) {
                q = number_prefix(s, units[i].p10, &r, &n);
                if (q) return q;
            } else {
                r = v * units[i].factor;
            }
            if (!isfinite(r)) return FA_Q_RANGE;
            *out = r;
            return FA_Q_OK;
        }
    }
    return FA_Q_BADUNIT;
}
