/* sbe_estimator_get_state / set_state (1.3): a restored estimator continues bit-identically; a state of another
   shape, options or seed, a truncated or padded one, small buffers and NULLs are refused and change nothing. */
#include <stdlib.h>
#include "test_util.h"

enum { ROWS = 6, COLS = 9, N = 40 };

static sbe_estimator_t *make(uint32_t rank, uint32_t sub_batch, uint64_t seed)
{
    sbe_estimator_config_t c;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.version = SBE_ESTIMATOR_CONFIG_VERSION;
    c.rows = ROWS; c.cols = COLS; c.rank = rank; c.sub_batch = sub_batch; c.seed = seed;
    sbe_estimator_t *e = NULL;
    OK(sbe_estimator_create(&c, &e));
    return e;
}

static uint8_t *state_of(sbe_estimator_t *e, size_t *n)
{
    OK(sbe_estimator_get_state(e, NULL, 0, n));
    uint8_t *buf = malloc(*n);
    OK(sbe_estimator_get_state(e, buf, *n, n));
    return buf;
}

int main(void)
{
    static float d[N * ROWS], x[N * COLS];
    uint64_t s = 7;
    for (int i = 0; i < N * ROWS; i++) { s = s * 6364136223846793005ull + 1; d[i] = (float)((s >> 33) % 2000) / 1000.0f - 1.0f; }
    for (int i = 0; i < N * COLS; i++) { s = s * 6364136223846793005ull + 1; x[i] = (float)((s >> 33) % 2000) / 1000.0f - 1.0f; }

    sbe_estimator_t *a = make(2, 3, 4), *b = make(2, 3, 4);
    OK(sbe_estimator_observe_batch(a, d, 17 * ROWS, x, 17 * COLS, 17));
    OK(sbe_estimator_observe_batch(b, d + 17 * ROWS, 3 * ROWS, x + 17 * COLS, 3 * COLS, 3));
    size_t na, nb;
    uint8_t *sa = state_of(a, &na);
    OK(sbe_estimator_set_state(b, sa, na));
    uint8_t *sb = state_of(b, &nb);
    CHECK(na == nb && memcmp(sa, sb, na) == 0, "the restored state differs");
    OK(sbe_estimator_observe_batch(a, d + 20 * ROWS, 20 * ROWS, x + 20 * COLS, 20 * COLS, 20));
    OK(sbe_estimator_observe_batch(b, d + 20 * ROWS, 20 * ROWS, x + 20 * COLS, 20 * COLS, 20));
    float s1[2], d1[2 * ROWS], x1[2 * COLS], s2[2], d2[2 * ROWS], x2[2 * COLS];
    OK(sbe_estimator_estimate(a, s1, 2, d1, 2 * ROWS, x1, 2 * COLS));
    OK(sbe_estimator_estimate(b, s2, 2, d2, 2 * ROWS, x2, 2 * COLS));
    CHECK(memcmp(s1, s2, sizeof s1) == 0 && memcmp(d1, d2, sizeof d1) == 0 && memcmp(x1, x2, sizeof x1) == 0,
          "the restored estimator does not continue bit-identically");

    /* Refusals change nothing. */
    free(sb);
    sb = state_of(b, &nb);
    sbe_estimator_t *other_seed = make(2, 3, 5), *other_rank = make(1, 3, 4);
    size_t no, nr;
    uint8_t *so = state_of(other_seed, &no), *sr = state_of(other_rank, &nr);
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_set_state(b, so, no));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_set_state(b, sr, nr));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_set_state(b, sb, nb - 1));
    uint8_t *padded = malloc(nb + 1);
    memcpy(padded, sb, nb); padded[nb] = 0;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_set_state(b, padded, nb + 1));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_set_state(b, (const uint8_t *)"junk", 4));
    FAILS(SBE_E_NULL_POINTER, sbe_estimator_set_state(b, NULL, 4));
    uint8_t small[8];
    memset(small, 0xAB, sizeof small);
    size_t n = 0;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_estimator_get_state(b, small, sizeof small, &n));
    CHECK(n == nb && small[0] == 0xAB && small[7] == 0xAB, "a too-small buffer was written or the length is wrong");
    FAILS(SBE_E_NULL_POINTER, sbe_estimator_get_state(b, NULL, 0, NULL));
    FAILS(SBE_E_BAD_HANDLE, sbe_estimator_get_state((sbe_estimator_t *)(uintptr_t)12345, NULL, 0, &n));
    size_t nc;
    uint8_t *sc = state_of(b, &nc);
    CHECK(nc == nb && memcmp(sb, sc, nb) == 0, "a refused call changed the estimator");

    free(sa); free(sb); free(sc); free(so); free(sr); free(padded);
    OK(sbe_estimator_destroy(a)); OK(sbe_estimator_destroy(b));
    OK(sbe_estimator_destroy(other_seed)); OK(sbe_estimator_destroy(other_rank));
    return test_summary("estimator_state");
}
