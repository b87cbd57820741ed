/* sbe_estimator_config_t.stochastic_rounding (ABI 1.1): the quantised estimator's stochastic rounding.
   Checks the seed semantics documented in sbecore.h (draws from the estimator's own seeded generator: same seed,
   same result bit for bit; reset replays; the seed matters only through the draws when the start is seed-free),
   that it changes the result against round-to-nearest, and that bad values are rejected with nothing created. */
#include "test_util.h"

enum { R = 8, C = 12, N = 16, BATCHES = 3 };

typedef struct { float s[1], d[R], x[C]; } estimate_t;

static sbe_estimator_config_t quantised(uint32_t bits, uint32_t stochastic, uint64_t seed, uint32_t init)
{
    sbe_estimator_config_t c = estimator_config(R, C, 1, seed);
    c.quantization_bits = bits;
    c.stochastic_rounding = stochastic;
    c.initialization = init;
    return c;
}

/* Samples of a noisy rank-1 gradient, fixed by the batch index. */
static void batch(int b, float *ds, float *xs)
{
    test_rng rng = { 1000 + (uint64_t)b };
    float u[R], v[C];
    for (int i = 0; i < R; i++) u[i] = (float)(i + 1) / R;
    for (int i = 0; i < C; i++) v[i] = (i % 3 == 0) ? 1.0f : -0.5f;
    for (int j = 0; j < N; j++) {
        float a = 1.0f + 0.5f * rng_uniform(&rng);
        for (int i = 0; i < R; i++) ds[j * R + i] = a * u[i] + 0.3f * rng_uniform(&rng);
        for (int i = 0; i < C; i++) xs[j * C + i] = v[i] + 0.3f * rng_uniform(&rng);
    }
}

/* BATCHES batches through one estimator, either as observe_batch or sample by sample. */
static void run(sbe_estimator_t *e, int per_sample, estimate_t *out)
{
    float ds[N * R], xs[N * C];
    for (int b = 0; b < BATCHES; b++) {
        batch(b, ds, xs);
        if (per_sample)
            for (int j = 0; j < N; j++) OK(sbe_estimator_observe(e, ds + j * R, R, xs + j * C, C));
        else
            OK(sbe_estimator_observe_batch(e, ds, N * R, xs, N * C, N));
        OK(sbe_estimator_estimate(e, out[b].s, 1, out[b].d, R, out[b].x, C));
    }
}

static void run_new(const sbe_estimator_config_t *c, int per_sample, estimate_t *out)
{
    sbe_estimator_t *e = NULL;
    OK(sbe_estimator_create(c, &e));
    run(e, per_sample, out);
    OK(sbe_estimator_destroy(e));
}

static int same(const estimate_t *a, const estimate_t *b) { return memcmp(a, b, BATCHES * sizeof *a) == 0; }

static void test_seed_semantics(void)
{
    estimate_t a[BATCHES], b[BATCHES], c[BATCHES];
    sbe_estimator_config_t sr = quantised(6, 1, 7, SBE_INIT_GAUSSIAN);

    run_new(&sr, 0, a);
    run_new(&sr, 0, b);
    CHECK(same(a, b), "same seed, different results");
    run_new(&sr, 1, c);
    CHECK(same(a, c), "observe and observe_batch differ with stochastic rounding");

    /* Reset re-seeds the generator: the same batches give the same estimates again. */
    sbe_estimator_t *e = NULL;
    OK(sbe_estimator_create(&sr, &e));
    run(e, 0, b);
    OK(sbe_estimator_reset(e));
    run(e, 0, c);
    OK(sbe_estimator_destroy(e));
    CHECK(same(a, b) && same(b, c), "reset did not replay the draws");

    sbe_estimator_config_t nearest = quantised(6, 0, 7, SBE_INIT_GAUSSIAN);
    run_new(&nearest, 0, b);
    CHECK(!same(a, b), "stochastic rounding gave the round-to-nearest result");

    /* With a seed-free start (first sample), round-to-nearest ignores the seed and stochastic rounding does not:
       the seed reaches the quantised estimator only through the rounding draws. */
    sbe_estimator_config_t n1 = quantised(6, 0, 1, SBE_INIT_FIRST_SAMPLE), n2 = quantised(6, 0, 2, SBE_INIT_FIRST_SAMPLE);
    sbe_estimator_config_t s1 = quantised(6, 1, 1, SBE_INIT_FIRST_SAMPLE), s2 = quantised(6, 1, 2, SBE_INIT_FIRST_SAMPLE);
    run_new(&n1, 0, a); run_new(&n2, 0, b);
    CHECK(same(a, b), "round-to-nearest with a first-sample start depends on the seed");
    run_new(&s1, 0, a); run_new(&s2, 0, b);
    CHECK(!same(a, b), "stochastic rounding did not depend on the seed");
    run_new(&s1, 0, c);
    CHECK(same(a, c), "stochastic rounding with a first-sample start is not reproducible");

    /* The estimate stays a unit pair with a finite positive magnitude. */
    for (int bt = 0; bt < BATCHES; bt++) {
        double nd = 0, nx = 0;
        for (int i = 0; i < R; i++) nd += (double)a[bt].d[i] * a[bt].d[i];
        for (int i = 0; i < C; i++) nx += (double)a[bt].x[i] * a[bt].x[i];
        CHECK(fabs(nd - 1) < 1e-5 && fabs(nx - 1) < 1e-5 && a[bt].s[0] > 0 && isfinite(a[bt].s[0]),
              "batch %d: |d|^2 %g, |x|^2 %g, s %g", bt, nd, nx, (double)a[bt].s[0]);
    }
}

static void test_bad_values(void)
{
    size_t e0, e1;
    OK(sbe_live_handles(NULL, &e0, NULL));
    sbe_estimator_t *e = (sbe_estimator_t *)1;
    sbe_estimator_config_t c = quantised(8, 2, 1, SBE_INIT_GAUSSIAN);
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_create(&c, &e));
    CHECK(e == NULL && strstr(last_error(), "stochastic_rounding") != NULL, "message: %s", last_error());
    c.stochastic_rounding = UINT32_MAX;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_create(&c, &e));
    c = quantised(0, 1, 1, SBE_INIT_GAUSSIAN);              /* stochastic rounding of an unquantised state */
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_create(&c, &e));
    CHECK(strstr(last_error(), "quantization_bits") != NULL, "message: %s", last_error());
    c = quantised(25, 1, 1, SBE_INIT_GAUSSIAN);             /* bits out of range */
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_create(&c, &e));
    c = quantised(8, 1, 1, SBE_INIT_GAUSSIAN);
    FAILS(SBE_E_NULL_POINTER, sbe_estimator_create(&c, NULL));
    c.struct_size = sizeof c - 4;
    FAILS(SBE_E_BAD_STRUCT, sbe_estimator_create(&c, &e));
    CHECK(e == NULL, "a failed create returned a handle");
    OK(sbe_live_handles(NULL, &e1, NULL));
    CHECK(e0 == e1, "rejected creates left %zu estimators (was %zu)", e1, e0);

    /* Every accepted combination: 0 or 1 with bits 2..24 (and 0 with bits 0). */
    for (uint32_t bits = 2; bits <= 24; bits += 11) {
        c = quantised(bits, 1, 1, SBE_INIT_GAUSSIAN);
        OK(sbe_estimator_create(&c, &e));
        OK(sbe_estimator_destroy(e));
    }
}

int main(void)
{
    CHECK(sbe_abi_version() >= ((1 << 16) | 1), "stochastic_rounding needs ABI 1.1, library has 0x%x", sbe_abi_version());
    test_seed_semantics();
    test_bad_values();
    return test_summary("estimator_stochastic_rounding");
}
