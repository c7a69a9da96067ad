/* SPDX-License-Identifier: MIT */
/* FNV-1a 64-bit: bit-exact state hashes for determinism checks. */
#include "internal.h"

uint64_t fa_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ULL;
    }
    return h;
}
