/* SPDX-License-Identifier: MIT */
/* Quantities with units in body files: "1.1 mm", "450 MPa", "20 ms".
 *
 * A quantity is a decimal number, optional blanks, and a unit symbol from a
 * fixed table; the value is converted to SI. Each field declares the
 * dimension it wants; a bare number for a dimensional field is the error
 * "missing unit" and a unit of another dimension is "wrong unit". Numbers
 * are parsed by our own scanner (no hex, nan or inf) and must be finite. */
#ifndef FA_MODEL_UNITS_H
#define FA_MODEL_UNITS_H

#include <stddef.h>

typedef enum fa_dim {
    FA_DIM_NONE = 0,  /* dimensionless: plain number, or "%" */
    FA_DIM_LENGTH,    /* m */
    FA_DIM_AREA,      /* m^2 */
    FA_DIM_PRESSURE,  /* Pa */
    FA_DIM_TIME,      /* s */
    FA_DIM_MASS,      /* kg */
    FA_DIM_ANGLE,     /* rad */
    FA_DIM_DENSITY,   /* kg/m^3 */
    FA_DIM_VISCOSITY, /* Pa s */
    FA_DIM_FORCE,     /* N */
    FA_DIM_RATE,      /* 1/s */
    FA_DIM_STIFFNESS, /* N/m */
    FA_DIM_ACCEL,     /* m/s^2 */
    FA_DIM_TEMP,      /* deg C */
    FA_DIM_COUNT
} fa_dim;

/* Name of a dimension ("length") and its SI unit ("m"). */
const char *fa_dim_name(fa_dim d);
const char *fa_dim_si(fa_dim d);

/* Result of parsing a quantity. */
typedef enum fa_qerr {
    FA_Q_OK = 0,
    FA_Q_NOTNUM,  /* no number at the start */
    FA_Q_RANGE,   /* number not finite in double */
    FA_Q_NOUNIT,  /* dimensional field, bare number */
    FA_Q_BADUNIT, /* unit symbol not known */
    FA_Q_WRONGDIM /* unit of another dimension; *found_dim says which */
} fa_qerr;

/* Parse `s` as a quantity of dimension `want`, store the SI value in *out.
 * *found_dim receives the dimension of the unit written (for messages). */
fa_qerr fa_parse_quantity(const char *s, fa_dim want, double *out, fa_dim *found_dim);

/* Parse a plain decimal number (whole string, blanks around allowed);
 * returns FA_Q_OK, FA_Q_NOTNUM or FA_Q_RANGE. */
fa_qerr fa_parse_number(const char *s, double *out);

/* Comma-separated list of the unit symbols accepted for a dimension,
 * written to buf (always NUL-terminated). */
void fa_dim_units(fa_dim d, char *buf, size_t size);

#endif
