/* SPDX-License-Identifier: MIT */
#include "fascia/fascia.h"

const char *fa_version(void) { return "0.1.0"; }
