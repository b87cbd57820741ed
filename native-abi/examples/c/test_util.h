/* Minimal assertion helpers shared by the C tests (each test is its own executable under CTest). */
#ifndef SBE_TEST_UTIL_H
#define SBE_TEST_UTIL_H
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "sbecore.h"

static int g_failures = 0;

#define CHECK(cond, ...)                                                          \
    do {                                                                          \
        if (!(cond)) {                                                            \
            g_failures++;                                                         \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                         \
            fputc('\n', stderr);                                                  \
        }                                                                         \
    } while (0)

static inline const char *last_error(void)
{
    static char buf[1024];
    buf[0] = 0;
    sbe_last_error(buf, sizeof buf);
    return buf;
}

/* A call that must succeed. */
#define OK(call)                                                                  \
    do {                                                                          \
        int st_ = (call);                                                         \
        CHECK(st_ == SBE_OK, "%s returned %d: %s", #call, st_, last_error());     \
    } while (0)

/* A call that must fail with the given status and leave a non-empty message. */
#define FAILS(expected, call)                                                     \
    do {                                                                          \
        sbe_clear_error();                                                        \
        int st_ = (call);                                                         \
        CHECK(st_ == (expected), "%s returned %d, expected %d (%s)", #call, st_, (int)(expected), last_error()); \
        CHECK(sbe_last_error(NULL, 0) > 0, "%s left no error message", #call);    \
    } while (0)

static inline int test_summary(const char *name)
{
    if (g_failures) fprintf(stderr, "%s: %d check(s) failed\n", name, g_failures);
    else printf("%s: all checks passed\n", name);
    return g_failures ? 1 : 0;
}

/* Deterministic generator for the tests and the firmware example (splitmix64: fixed, portable). */
typedef struct { uint64_t s; } test_rng;
static inline uint64_t rng_next(test_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
/* Uniform in [-1, 1). */
static inline float rng_uniform(test_rng *r) { return (float)((rng_next(r) >> 40) * (2.0 / 16777216.0) - 1.0); }
static inline size_t rng_below(test_rng *r, size_t n) { return (size_t)(rng_next(r) % n); }

static inline sbe_tile_config_t tile_config(uint32_t rows, uint32_t cols, uint64_t seed)
{
    sbe_tile_config_t c;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.version = SBE_TILE_CONFIG_VERSION;
    c.rows = rows;
    c.cols = cols;
    c.seed = seed;
    return c;
}

static inline sbe_estimator_config_t estimator_config(uint32_t rows, uint32_t cols, uint32_t rank, uint64_t seed)
{
    sbe_estimator_config_t c;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.version = SBE_ESTIMATOR_CONFIG_VERSION;
    c.rows = rows;
    c.cols = cols;
    c.rank = rank;
    c.sub_batch = 1;
    c.seed = seed;
    c.initialization = SBE_INIT_GAUSSIAN;
    c.magnitude = SBE_MAGNITUDE_RUNNING_MEAN;
    return c;
}
#endif
