/* (1) Steady-state calls allocate nothing (sbe_diag_allocated_bytes over loops of calls).
   (2) Different handles used from several threads at once give the same results as one thread alone, while
       handles are created and destroyed concurrently; sbe_last_error is per thread. */
#include <pthread.h>
#include <stdlib.h>
#include "test_util.h"

enum { R = 24, C = 40, NB = 8, THREADS = 4, ITER = 400 };

static void check_no_allocation(void)
{
    sbe_tile_t *ideal = NULL, *device = NULL;
    sbe_estimator_t *e = NULL, *e2 = NULL;
    sbe_tile_config_t tc = tile_config(R, C, 1);
    OK(sbe_tile_create(&tc, &ideal));
    tc.device = SBE_DEVICE_GOKMEN_VLASOV;
    OK(sbe_tile_create(&tc, &device));
    sbe_estimator_config_t ec = estimator_config(R, C, 1, 2);
    OK(sbe_estimator_create(&ec, &e));
    ec.rank = 3; ec.sub_batch = 4;
    OK(sbe_estimator_create(&ec, &e2));
    static float x[NB * C], y[NB * R], d[NB * R], z[NB * C], w[R * C], s[3], dk[3 * R], xk[3 * C];
    test_rng rng = { 1 };
    for (int i = 0; i < NB * C; i++) x[i] = rng_uniform(&rng);
    for (int i = 0; i < NB * R; i++) d[i] = rng_uniform(&rng);
    for (int i = 0; i < R * C; i++) w[i] = 0.1f * rng_uniform(&rng);
    for (int round = 0; round < 2; round++) {  /* round 0 warms up (first-call allocations are allowed) */
        uint64_t before = sbe_diag_allocated_bytes();
        for (int i = 0; i < 200; i++) {
            OK(sbe_tile_read(ideal, x, NB * C, NB, y, NB * R));
            OK(sbe_tile_read_t(device, d, NB * R, NB, z, NB * C));
            OK(sbe_tile_write(ideal, 0.01f, d, R, x, C));
            OK(sbe_tile_write(device, 0.01f, d, R, x, C));
            OK(sbe_tile_set_weights(ideal, w, R * C));
            OK(sbe_tile_get_weights(device, w, R * C));
            OK(sbe_estimator_observe(e, d, R, x, C));
            OK(sbe_estimator_observe_batch(e2, d, NB * R, x, NB * C, NB));
            OK(sbe_estimator_estimate(e, s, 1, dk, R, xk, C));
            OK(sbe_estimator_estimate(e2, s, 3, dk, 3 * R, xk, 3 * C));
            OK(sbe_tile_write_rank_k(ideal, 0.01f, s, 3, dk, 3 * R, xk, 3 * C));
            OK(sbe_batch_read(w, R * C, R, C, C, x, NB * C, NB, y, NB * R));
            OK(sbe_gemv_t(w, R * C, R, C, C, d, R, z, C));
        }
        uint64_t used = sbe_diag_allocated_bytes() - before;
        if (round == 1) CHECK(used == 0, "2600 steady-state calls allocated %llu bytes", (unsigned long long)used);
    }
    OK(sbe_tile_destroy(ideal)); OK(sbe_tile_destroy(device));
    OK(sbe_estimator_destroy(e)); OK(sbe_estimator_destroy(e2));
}

typedef struct { int id; float weights[R * C]; float s; float kernel_out[NB * R]; int failures; } job;

/* A deterministic workload on handles owned by one thread; returns the final weights and estimate. */
static void workload(job *j)
{
    test_rng rng = { 1000 + (uint64_t)j->id };
    sbe_tile_t *t = NULL;
    sbe_estimator_t *e = NULL;
    sbe_tile_config_t tc = tile_config(R, C, 7 + (uint64_t)j->id);
    tc.device = SBE_DEVICE_CAPACITOR;
    sbe_estimator_config_t ec = estimator_config(R, C, 1, 9 + (uint64_t)j->id);
    if (sbe_tile_create(&tc, &t) || sbe_estimator_create(&ec, &e)) { j->failures++; return; }
    float x[C], d[R], y[R], dk[R], xk[C];
    char msg[256];
    for (int it = 0; it < ITER; it++) {
        for (int i = 0; i < C; i++) x[i] = rng_uniform(&rng);
        if (sbe_tile_read(t, x, C, 1, y, R)) j->failures++;
        for (int i = 0; i < R; i++) d[i] = y[i] - 0.1f * rng_uniform(&rng);
        if (sbe_estimator_observe(e, d, R, x, C)) j->failures++;
        if (it % 16 == 15) {
            if (sbe_estimator_estimate(e, &j->s, 1, dk, R, xk, C)) j->failures++;
            if (sbe_tile_write(t, 0.05f * j->s, dk, R, xk, C)) j->failures++;
        }
        /* churn the handle table and check that this thread's error message is its own */
        sbe_tile_config_t bad = tile_config(0, 1000 + (uint32_t)j->id, 1);
        sbe_tile_t *tmp = NULL;
        if (sbe_tile_create(&bad, &tmp) != SBE_E_INVALID_ARGUMENT) j->failures++;
        sbe_last_error(msg, sizeof msg);
        if (!strstr(msg, "rows")) j->failures++;
        sbe_tile_config_t small = tile_config(2, 2, 1);
        if (sbe_tile_create(&small, &tmp) || sbe_tile_destroy(tmp) || sbe_tile_destroy(tmp) != SBE_E_BAD_HANDLE) j->failures++;
    }
    if (sbe_tile_get_weights(t, j->weights, R * C)) j->failures++;
    /* a kernel on this thread's buffers, concurrently with the other threads' kernels */
    static _Thread_local float xs[NB * C];
    for (int i = 0; i < NB * C; i++) xs[i] = rng_uniform(&rng);
    for (int rep = 0; rep < 50; rep++)
        if (sbe_batch_read(j->weights, R * C, R, C, C, xs, NB * C, NB, j->kernel_out, NB * R)) j->failures++;
    if (sbe_tile_destroy(t) || sbe_estimator_destroy(e)) j->failures++;
}

static void *run(void *arg) { workload((job *)arg); return NULL; }

int main(void)
{
    check_no_allocation();
    static job alone[THREADS], together[THREADS];
    for (int i = 0; i < THREADS; i++) { alone[i].id = together[i].id = i; workload(&alone[i]); }
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&threads[i], NULL, run, &together[i]) == 0, "pthread_create");
    for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
    for (int i = 0; i < THREADS; i++) {
        CHECK(alone[i].failures == 0 && together[i].failures == 0, "thread %d: %d / %d failed calls", i, alone[i].failures, together[i].failures);
        CHECK(memcmp(alone[i].weights, together[i].weights, sizeof alone[i].weights) == 0 && alone[i].s == together[i].s &&
              memcmp(alone[i].kernel_out, together[i].kernel_out, sizeof alone[i].kernel_out) == 0,
              "thread %d: concurrent run differs from the lone run", i);
    }
    size_t tiles, ests;
    OK(sbe_live_handles(&tiles, &ests, NULL));
    CHECK(tiles == 0 && ests == 0, "leaked %zu tiles, %zu estimators", tiles, ests);
    return test_summary("alloc_and_threads");
}
