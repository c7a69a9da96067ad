/* SPDX-License-Identifier: MIT */
/* fascia — umbrella header. Naming: fa_ for functions, fa_model/fa_data for
 * the two central types, FA_ for macros and enum values. SI units
 * throughout (m, kg, s, N, Pa, J); angles in radians unless a name says deg. */
#ifndef FASCIA_FASCIA_H
#define FASCIA_FASCIA_H

#include "status.h"
#include "model.h"
#include "data.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Library version string, e.g. "0.1.0". */
const char *fa_version(void);

#ifdef __cplusplus
}
#endif
#endif
