/* SPDX-License-Identifier: MIT */
/* A tiny test harness: each test file is one executable run by ctest.
 * CHECK records a failure and continues; the process exits non-zero if any
 * check failed. */
#ifndef FA_TEST_HARNESS_H
#define FA_TEST_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int fa_test_failures_ = 0;
static int fa_test_checks_ = 0;

#define CHECK(cond)                                                                       \
    do {                                                                                  \
        fa_test_checks_++;                                                                \
        if (!(cond)) {                                                                    \
            fa_test_failures_++;                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);      \
        }                                                                                 \
    } while (0)

#define CHECK_MSG(cond, ...)                                                              \
    do {                                                                                  \
        fa_test_checks_++;                                                                \
        if (!(cond)) {                                                                    \
            fa_test_failures_++;                                                          \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);      \
            fprintf(stderr, __VA_ARGS__);                                                 \
            fputc('\n', stderr);                                                          \
        }                                                                                 \
    } while (0)

/* |a-b| <= tol*max(|b|, floor) */
#define CHECK_REL(a, b, tol)                                                              \
    do {                                                                                  \
        double a_ = (a), b_ = (b), t_ = (tol);                                            \
        double s_ = fabs(b_) > 1e-300 ? fabs(b_) : 1.0;                                   \
        fa_test_checks_++;                                                                \
        if (!(fabs(a_ - b_) <= t_ * s_)) {                                                \
            fa_test_failures_++;                                                          \
            fprintf(stderr, "%s:%d: CHECK_REL failed: %s = %.12g, %s = %.12g, rel err %.3g > %.3g\n", \
                    __FILE__, __LINE__, #a, a_, #b, b_, fabs(a_ - b_) / s_, t_);          \
        }                                                                                 \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                             \
    do {                                                                                  \
        double a_ = (a), b_ = (b), t_ = (tol);                                            \
        fa_test_checks_++;                                                                \
        if (!(fabs(a_ - b_) <= t_)) {                                                     \
            fa_test_failures_++;                                                          \
            fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.12g, %s = %.12g, |diff| %.3g > %.3g\n", \
                    __FILE__, __LINE__, #a, a_, #b, b_, fabs(a_ - b_), t_);               \
        }                                                                                 \
    } while (0)

#define TEST_MAIN_END()                                                                   \
    do {                                                                                  \
        printf("%d checks, %d failures\n", fa_test_checks_, fa_test_failures_);          \
        return fa_test_failures_ ? 1 : 0;                                                 \
    } while (0)

#endif
