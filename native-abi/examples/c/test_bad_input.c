/* Targeted bad-input and handle tests of the C ABI: each bad call returns its named status with a message
   and changes nothing; handles survive NULL, stale, double-free, foreign and wrong-kind use. */
#include <stdlib.h>
#include "test_util.h"

enum { R = 6, C = 9 };

static int same(const float *a, const float *b, size_t n) { return memcmp(a, b, n * sizeof *a) == 0; }

static void test_library(void)
{
    CHECK(sbe_abi_version() == SBE_ABI_VERSION, "abi 0x%x, header 0x%x", sbe_abi_version(), SBE_ABI_VERSION);
    CHECK(sbe_isa() & SBE_ISA_VECTOR128, "isa 0x%x", sbe_isa());
    sbe_tile_t *t = (sbe_tile_t *)1;
    FAILS(SBE_E_NULL_POINTER, sbe_tile_create(NULL, &t));
    CHECK(t == NULL, "out not cleared on failure");
    size_t full = sbe_last_error(NULL, 0);
    char small[5] = "xxxx";
    CHECK(sbe_last_error(small, sizeof small) == full, "length differs");
    CHECK(strlen(small) == 4 && full > 4, "truncation: '%s' of %zu", small, full);
    CHECK(strstr(last_error(), "config") != NULL, "message does not name the parameter: %s", last_error());
    sbe_clear_error();
    CHECK(sbe_last_error(NULL, 0) == 0, "clear_error left a message");
}

static void test_tile_create(void)
{
    sbe_tile_t *t = NULL;
    sbe_tile_config_t c = tile_config(R, C, 1);
    FAILS(SBE_E_NULL_POINTER, sbe_tile_create(&c, NULL));
    c.struct_size = sizeof c - 8; FAILS(SBE_E_BAD_STRUCT, sbe_tile_create(&c, &t)); c.struct_size = sizeof c;
    c.version = 99; FAILS(SBE_E_BAD_STRUCT, sbe_tile_create(&c, &t)); c.version = SBE_TILE_CONFIG_VERSION;
    c.rows = 0; FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_create(&c, &t));
    c.rows = 100000; c.cols = 100000; FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_create(&c, &t));
    c.rows = UINT32_MAX; c.cols = 1; FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_create(&c, &t));
    CHECK(t == NULL, "a failed create returned a handle");
}

static void test_handles(void)
{
    sbe_tile_config_t c = tile_config(R, C, 1);
    sbe_tile_t *t = NULL, *t2 = NULL;
    OK(sbe_tile_create(&c, &t));
    float w[R * C];
    size_t rows = 0, cols = 0;
    OK(sbe_tile_shape(t, &rows, &cols));
    CHECK(rows == R && cols == C, "shape %zu x %zu", rows, cols);
    FAILS(SBE_E_BAD_HANDLE, sbe_tile_get_weights(NULL, w, R * C));
    int local = 0;
    FAILS(SBE_E_BAD_HANDLE, sbe_tile_get_weights((sbe_tile_t *)&local, w, R * C));     /* foreign pointer */
    FAILS(SBE_E_BAD_HANDLE, sbe_tile_get_weights((sbe_tile_t *)((uintptr_t)t + 1), w, R * C)); /* forged */
    sbe_estimator_config_t ec = estimator_config(R, C, 1, 1);
    sbe_estimator_t *e = NULL;
    OK(sbe_estimator_create(&ec, &e));
    FAILS(SBE_E_BAD_HANDLE, sbe_tile_get_weights((sbe_tile_t *)e, w, R * C));          /* wrong kind */
    FAILS(SBE_E_BAD_HANDLE, sbe_estimator_reset((sbe_estimator_t *)t));
    OK(sbe_estimator_destroy(e));
    OK(sbe_tile_destroy(t));
    FAILS(SBE_E_BAD_HANDLE, sbe_tile_destroy(t));                                       /* double free */
    FAILS(SBE_E_BAD_HANDLE, sbe_tile_get_weights(t, w, R * C));                         /* use after free */
    OK(sbe_tile_create(&c, &t2));                                                       /* reuses the slot */
    CHECK(t2 != t, "a new tile got the stale handle's value");
    FAILS(SBE_E_BAD_HANDLE, sbe_tile_get_weights(t, w, R * C));                         /* still stale */
    OK(sbe_tile_destroy(t2));
    OK(sbe_tile_destroy(NULL));
    OK(sbe_estimator_destroy(NULL));
}

static void test_tile_calls(void)
{
    sbe_tile_config_t c = tile_config(R, C, 3);
    sbe_tile_t *t = NULL;
    OK(sbe_tile_create(&c, &t));
    test_rng rng = { 5 };
    float w[R * C], before[R * C], after[R * C], d[R], x[C], y[4 * R], xs[4 * C], s[2] = { 1, 2 }, dk[2 * R], xk[2 * C];
    for (int i = 0; i < R * C; i++) w[i] = rng_uniform(&rng);
    for (int i = 0; i < R; i++) d[i] = rng_uniform(&rng);
    for (int i = 0; i < C; i++) x[i] = rng_uniform(&rng);
    for (int i = 0; i < 4 * C; i++) xs[i] = rng_uniform(&rng);
    for (int i = 0; i < 2 * R; i++) dk[i] = rng_uniform(&rng);
    for (int i = 0; i < 2 * C; i++) xk[i] = rng_uniform(&rng);
    OK(sbe_tile_set_weights(t, w, R * C));
    OK(sbe_tile_get_weights(t, before, R * C));

    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_set_weights(t, w, R * C - 1));
    FAILS(SBE_E_NULL_POINTER, sbe_tile_set_weights(t, NULL, R * C));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_write(t, 0.1f, d, R + 1, x, C));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_write(t, 0.1f, d, R, x, 0));
    FAILS(SBE_E_NULL_POINTER, sbe_tile_write(t, 0.1f, d, R, NULL, C));
    FAILS(SBE_E_NON_FINITE, sbe_tile_write(t, NAN, d, R, x, C));
    FAILS(SBE_E_NON_FINITE, sbe_tile_write(t, INFINITY, d, R, x, C));
    x[C - 1] = NAN; FAILS(SBE_E_NON_FINITE, sbe_tile_write(t, 0.1f, d, R, x, C)); x[C - 1] = 0.5f;
    d[0] = -INFINITY; FAILS(SBE_E_NON_FINITE, sbe_tile_write(t, 0.1f, d, R, x, C)); d[0] = 0.5f;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_write_rank_k(t, 0.1f, s, 0, dk, 0, xk, 0));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_write_rank_k(t, 0.1f, s, 2, dk, 2 * R, xk, 2 * C - 1));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_write_rank_k(t, 0.1f, s, SIZE_MAX, dk, 2 * R, xk, 2 * C));
    xk[2 * C - 1] = NAN; FAILS(SBE_E_NON_FINITE, sbe_tile_write_rank_k(t, 0.1f, s, 2, dk, 2 * R, xk, 2 * C)); xk[2 * C - 1] = 0;
    w[7] = NAN; FAILS(SBE_E_NON_FINITE, sbe_tile_set_weights(t, w, R * C));
    OK(sbe_tile_get_weights(t, after, R * C));
    CHECK(same(before, after, R * C), "a rejected call changed the weights");
    sbe_tile_counters_t k = { .struct_size = sizeof k, .version = SBE_TILE_COUNTERS_VERSION };
    OK(sbe_tile_get_counters(t, &k));
    CHECK(k.rank_one_writes == 0, "rejected writes were counted: %lld", (long long)k.rank_one_writes);
    k.struct_size = 4; FAILS(SBE_E_BAD_STRUCT, sbe_tile_get_counters(t, &k));
    FAILS(SBE_E_NULL_POINTER, sbe_tile_get_counters(t, NULL));

    /* Reads: a rejected read leaves the output buffer untouched. */
    for (int i = 0; i < 4 * R; i++) y[i] = 12345.0f;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_read(t, xs, 4 * C, 0, y, 0));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_read(t, xs, 4 * C, 4, y, 4 * R + 1));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_read(t, xs, 4 * C, (size_t)1 << 40, y, 4 * R));
    FAILS(SBE_E_NULL_POINTER, sbe_tile_read(t, xs, 4 * C, 4, NULL, 4 * R));
    xs[3] = NAN; FAILS(SBE_E_NON_FINITE, sbe_tile_read(t, xs, 4 * C, 4, y, 4 * R)); xs[3] = 0;
    for (int i = 0; i < 4 * R; i++) CHECK(y[i] == 12345.0f, "a rejected read wrote y[%d]", i);
    OK(sbe_tile_read(t, xs, 4 * C, 4, y, 4 * R));
    for (int j = 0; j < 4; j++)
        for (int r = 0; r < R; r++) {
            double ref = 0;
            for (int i = 0; i < C; i++) ref += (double)before[r * C + i] * xs[j * C + i];
            CHECK(fabs(y[j * R + r] - ref) < 1e-5, "read %d,%d: %g vs %g", j, r, y[j * R + r], ref);
        }

    /* Column reads (ABI 1.9): 2 samples of 2 positions, the same vectors as the row read above, stored as columns. */
    float xc[4 * C], yc[4 * R];
    for (int j = 0; j < 2; j++)
        for (int p = 0; p < 2; p++)
            for (int i = 0; i < C; i++) xc[(j * C + i) * 2 + p] = xs[(j * 2 + p) * C + i];
    for (int i = 0; i < 4 * R; i++) yc[i] = 12345.0f;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_read_columns(t, xc, 4 * C, 2, 0, yc, 0));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_read_columns(t, xc, 4 * C, 2, 2, yc, 4 * R - 1));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_read_columns(t, xc, 4 * C, (size_t)1 << 40, 2, yc, 4 * R));
    FAILS(SBE_E_NULL_POINTER, sbe_tile_read_columns(t, NULL, 4 * C, 2, 2, yc, 4 * R));
    xc[5] = NAN; FAILS(SBE_E_NON_FINITE, sbe_tile_read_columns(t, xc, 4 * C, 2, 2, yc, 4 * R)); xc[5] = xs[(0 * 2 + 1) * C + 2];
    for (int i = 0; i < 4 * R; i++) CHECK(yc[i] == 12345.0f, "a rejected column read wrote y[%d]", i);
    OK(sbe_tile_read_columns(t, xc, 4 * C, 2, 2, yc, 4 * R));
    for (int j = 0; j < 2; j++)
        for (int p = 0; p < 2; p++)
            for (int r = 0; r < R; r++)
                CHECK(fabs(yc[(j * R + r) * 2 + p] - y[(j * 2 + p) * R + r]) < 1e-5, "column read %d,%d,%d", j, p, r);
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_read_t_columns(t, yc, 4 * R - 1, 2, 2, xc, 4 * C));

    /* A good rank-1 write: W -= lr d x^T exactly (ideal device). */
    OK(sbe_tile_write(t, 0.25f, d, R, x, C));
    OK(sbe_tile_get_weights(t, after, R * C));
    for (int r = 0; r < R; r++)
        for (int i = 0; i < C; i++)
            CHECK(fabsf(after[r * C + i] - (before[r * C + i] - 0.25f * d[r] * x[i])) < 1e-6f, "write %d,%d", r, i);
    k.struct_size = sizeof k;
    OK(sbe_tile_get_counters(t, &k));
    CHECK(k.rank_one_writes == 1, "writes %lld", (long long)k.rank_one_writes);
    OK(sbe_tile_destroy(t));
}

static void test_save_load(const char *dir)
{
    char path[4096], bad[4096];
    snprintf(path, sizeof path, "%s/tile_roundtrip.sbetile", dir);
    snprintf(bad, sizeof bad, "%s/no/such/dir/tile.sbetile", dir);
    sbe_tile_config_t c = tile_config(R, C, 9);
    sbe_tile_t *t = NULL, *u = NULL;
    OK(sbe_tile_create(&c, &t));
    test_rng rng = { 77 };
    float w[R * C], w2[R * C], d[R], x[C];
    for (int i = 0; i < R * C; i++) w[i] = rng_uniform(&rng);
    for (int i = 0; i < R; i++) d[i] = rng_uniform(&rng);
    for (int i = 0; i < C; i++) x[i] = rng_uniform(&rng);
    OK(sbe_tile_set_weights(t, w, R * C));
    OK(sbe_tile_write(t, 0.5f, d, R, x, C));
    OK(sbe_tile_save(t, path));
    OK(sbe_tile_load(path, &u));
    OK(sbe_tile_get_weights(t, w, R * C));
    OK(sbe_tile_get_weights(u, w2, R * C));
    CHECK(same(w, w2, R * C), "loaded weights differ");
    sbe_tile_counters_t k = { .struct_size = sizeof k, .version = SBE_TILE_COUNTERS_VERSION };
    OK(sbe_tile_get_counters(u, &k));
    CHECK(k.rank_one_writes == 1, "loaded counters %lld", (long long)k.rank_one_writes);
    FAILS(SBE_E_IO, sbe_tile_save(t, bad));
    sbe_tile_t *none = NULL;
    FAILS(SBE_E_IO, sbe_tile_load(bad, &none));
    FAILS(SBE_E_NULL_POINTER, sbe_tile_save(t, NULL));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_save(t, ""));
    FILE *f = fopen(path, "wb"); fputs("not a tile", f); fclose(f);
    sbe_tile_t *v = (sbe_tile_t *)1;
    FAILS(SBE_E_IO, sbe_tile_load(path, &v));
    CHECK(v == NULL, "failed load returned a handle");
    OK(sbe_tile_destroy(t));
    OK(sbe_tile_destroy(u));
}

static void test_kernels(void)
{
    float w[R * 12], x[C], y[R], z[C], u[R];
    test_rng rng = { 11 };
    for (int i = 0; i < R * 12; i++) w[i] = rng_uniform(&rng);
    for (int i = 0; i < C; i++) x[i] = rng_uniform(&rng);
    for (int i = 0; i < R; i++) u[i] = rng_uniform(&rng);
    OK(sbe_gemv(w, R * 12, R, C, 12, x, C, y, R));                      /* strided view: 6 x 9 inside 6 x 12 */
    for (int r = 0; r < R; r++) { double t = 0; for (int i = 0; i < C; i++) t += (double)w[r * 12 + i] * x[i]; CHECK(fabs(y[r] - t) < 1e-5, "gemv row %d", r); }
    OK(sbe_gemv_t(w, R * 12, R, C, 12, u, R, z, C));
    for (int i = 0; i < C; i++) { double t = 0; for (int r = 0; r < R; r++) t += (double)w[r * 12 + i] * u[r]; CHECK(fabs(z[i] - t) < 1e-5, "gemv_t col %d", i); }
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_gemv(w, R * 12, R, C, C - 1, x, C, y, R));      /* stride < cols */
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_gemv(w, 5 * 12 + C - 1, R, C, 12, x, C, y, R)); /* w_len short by one */
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_gemv(w, SIZE_MAX, SIZE_MAX, C, 12, x, C, y, R));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_gemv(w, R * 12, R, 0, 12, x, 0, y, R));
    FAILS(SBE_E_NULL_POINTER, sbe_gemv(NULL, R * 12, R, C, 12, x, C, y, R));
    x[2] = INFINITY; FAILS(SBE_E_NON_FINITE, sbe_gemv(w, R * 12, R, C, 12, x, C, y, R)); x[2] = 0;
    float wcopy[R * 12];
    memcpy(wcopy, w, sizeof w);
    u[1] = NAN; FAILS(SBE_E_NON_FINITE, sbe_ger(0.5f, u, R, x, C, w, R * 12, R, C, 12)); u[1] = 0;
    FAILS(SBE_E_NON_FINITE, sbe_ger(NAN, u, R, x, C, w, R * 12, R, C, 12));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_ger(0.5f, u, R, x, C + 1, w, R * 12, R, C, 12));
    CHECK(same(w, wcopy, R * 12), "a rejected ger changed w");
    OK(sbe_ger(0.5f, u, R, x, C, w, R * 12, R, C, 12));
    for (int r = 0; r < R; r++)
        for (int i = 0; i < 12; i++) {
            float expect = i < C ? wcopy[r * 12 + i] + 0.5f * u[r] * x[i] : wcopy[r * 12 + i]; /* padding untouched */
            CHECK(fabsf(w[r * 12 + i] - expect) < 1e-6f, "ger %d,%d", r, i);
        }
    float xb[3 * C], yb[3 * R], zb[3 * C];
    for (int i = 0; i < 3 * C; i++) xb[i] = rng_uniform(&rng);
    OK(sbe_batch_read(w, R * 12, R, C, 12, xb, 3 * C, 3, yb, 3 * R));
    OK(sbe_batch_read_t(w, R * 12, R, C, 12, yb, 3 * R, 3, zb, 3 * C));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_batch_read(w, R * 12, R, C, 12, xb, 3 * C, 2, yb, 3 * R));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_batch_read_t(w, R * 12, R, C, 12, yb, 3 * R, 0, zb, 0));
    for (int j = 0; j < 3; j++)
        for (int r = 0; r < R; r++) { double t = 0; for (int i = 0; i < C; i++) t += (double)w[r * 12 + i] * xb[j * C + i]; CHECK(fabs(yb[j * R + r] - t) < 1e-5, "batch_read %d,%d", j, r); }
}

static void test_estimator(void)
{
    sbe_estimator_t *e = NULL, *shadow = NULL;
    sbe_estimator_config_t c = estimator_config(R, C, 1, 4);
    FAILS(SBE_E_NULL_POINTER, sbe_estimator_create(NULL, &e));
    c.struct_size = 8; FAILS(SBE_E_BAD_STRUCT, sbe_estimator_create(&c, &e)); c.struct_size = sizeof c;
    c.rank = R + 1; FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_create(&c, &e)); c.rank = 1;
    c.rank = 0; FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_create(&c, &e)); c.rank = 1;
    c.sub_batch = 0; FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_create(&c, &e)); c.sub_batch = 1;
    c.initialization = 7; FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_create(&c, &e)); c.initialization = 0;
    c.magnitude = 3; FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_create(&c, &e)); c.magnitude = 0;
    c.division_free = 2; FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_create(&c, &e)); c.division_free = 0;
    c.quantization_bits = 1; FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_create(&c, &e)); c.quantization_bits = 0;
    c.oja_rate = NAN; FAILS(SBE_E_NON_FINITE, sbe_estimator_create(&c, &e)); c.oja_rate = 0;
    c.stochastic_rounding = 2; FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_create(&c, &e)); c.stochastic_rounding = 0;
    CHECK(e == NULL, "failed create returned a handle");
    OK(sbe_estimator_create(&c, &e));
    OK(sbe_estimator_create(&c, &shadow));
    size_t rows, cols, rank;
    OK(sbe_estimator_shape(e, &rows, &cols, &rank));
    CHECK(rows == R && cols == C && rank == 1, "shape %zu %zu %zu", rows, cols, rank);

    test_rng rng = { 8 };
    float ds[5 * R], xs[5 * C];
    for (int i = 0; i < 5 * R; i++) ds[i] = rng_uniform(&rng);
    for (int i = 0; i < 5 * C; i++) xs[i] = rng_uniform(&rng);
    OK(sbe_estimator_observe_batch(e, ds, 5 * R, xs, 5 * C, 5));
    OK(sbe_estimator_observe_batch(shadow, ds, 5 * R, xs, 5 * C, 5));
    /* Bad calls to e only; shadow gets none. */
    float saved = xs[4 * C + 2];
    xs[4 * C + 2] = NAN; FAILS(SBE_E_NON_FINITE, sbe_estimator_observe_batch(e, ds, 5 * R, xs, 5 * C, 5)); xs[4 * C + 2] = saved;
    saved = ds[0]; ds[0] = INFINITY; FAILS(SBE_E_NON_FINITE, sbe_estimator_observe(e, ds, R, xs, C)); ds[0] = saved;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_observe(e, ds, R - 1, xs, C));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_observe_batch(e, ds, 5 * R, xs, 5 * C, 4));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_observe_batch(e, ds, 0, xs, 0, 0));
    FAILS(SBE_E_NULL_POINTER, sbe_estimator_observe(e, NULL, R, xs, C));
    float s1, d1[R], x1[C], s2, d2[R], x2[C];
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_estimate(e, &s1, 2, d1, R, x1, C));
    FAILS(SBE_E_NULL_POINTER, sbe_estimator_estimate(e, &s1, 1, NULL, R, x1, C));
    OK(sbe_estimator_estimate(e, &s1, 1, d1, R, x1, C));
    OK(sbe_estimator_estimate(shadow, &s2, 1, d2, R, x2, C));
    CHECK(s1 == s2 && same(d1, d2, R) && same(x1, x2, C), "rejected calls changed the estimator");
    double dn = 0, xn = 0;
    for (int i = 0; i < R; i++) dn += (double)d1[i] * d1[i];
    for (int i = 0; i < C; i++) xn += (double)x1[i] * x1[i];
    CHECK(fabs(dn - 1) < 1e-5 && fabs(xn - 1) < 1e-5, "estimate vectors not unit: %g %g", dn, xn);
    OK(sbe_estimator_reset(e));
    OK(sbe_estimator_destroy(e));
    OK(sbe_estimator_destroy(shadow));
    FAILS(SBE_E_BAD_HANDLE, sbe_estimator_observe(e, ds, R, xs, C));
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    test_library();
    test_tile_create();
    test_handles();
    test_tile_calls();
    test_save_load(dir);
    test_kernels();
    test_estimator();
    size_t tiles = 99, ests = 99, nets = 99;
    OK(sbe_live_handles(&tiles, &ests, &nets));
    CHECK(tiles == 0 && ests == 0 && nets == 0, "leaked handles: %zu tiles, %zu estimators, %zu networks", tiles, ests, nets);
    return test_summary("bad_input_and_handles");
}
