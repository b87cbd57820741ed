/*
 * A firmware simulator in miniature: one crossbar tile trained by streaming batch eigenupdates (SBE, rank 1).
 * Samples come from a deterministic generator; the tile learns a fixed "teacher" map T (least squares:
 * delta_j = W x_j - T x_j). Per batch the firmware reads the tile, streams (delta, x) into the estimator and,
 * at the batch end, applies one rank-1 write W -= eta * s * d x^T.
 *
 * Beside it runs a straightforward C reference of the same recurrence (docs/method.md section 2, rank 1, state seeded
 * from the first sample) on its own copy of W. Each batch the library's (s, d, x) and weights must match the
 * reference to float tolerance, and the training error must fall.
 */
#include <stdlib.h>
#include "test_util.h"

enum { A = 10, B = 33, BATCH = 32, BATCHES = 200 };
static const float ETA = 0.1f;

/* ---- the C reference: SBE rank 1, float storage, double dot products ---- */
typedef struct {
    float X[B], D[A], s;
    int count, awaiting_first;
} sbe_ref;

static double dot(const float *a, const float *b, int n) { double t = 0; for (int i = 0; i < n; i++) t += (double)a[i] * b[i]; return t; }
static double norm(const float *a, int n) { return sqrt(dot(a, a, n)); }

static void ref_observe(sbe_ref *e, const float *delta, const float *x)
{
    if (e->awaiting_first) { memcpy(e->D, delta, sizeof e->D); memcpy(e->X, x, sizeof e->X); e->awaiting_first = 0; }
    int j = e->count + 1;
    double w_old = j / (j + 1.0), w_new = 1.0 / (j + 1.0);
    double p = dot(delta, e->D, A) / norm(e->D, A);
    for (int i = 0; i < B; i++) e->X[i] = (float)(w_old * e->X[i] + w_new * p * x[i]);
    double q = dot(x, e->X, B) / norm(e->X, B);           /* the X just updated (Gauss-Seidel order) */
    for (int i = 0; i < A; i++) e->D[i] = (float)(w_old * e->D[i] + w_new * q * delta[i]);
    double r = dot(delta, e->D, A) / norm(e->D, A);
    e->s = (float)(w_old * e->s + w_new * q * r);
    e->count = j;
}

static void ref_estimate(sbe_ref *e, float *s, float *d, float *x)
{
    double dn = norm(e->D, A), xn = norm(e->X, B);
    for (int i = 0; i < A; i++) d[i] = (float)(e->D[i] / dn);
    for (int i = 0; i < B; i++) x[i] = (float)(e->X[i] / xn);
    *s = e->s;
    e->count = 0;                                          /* X, D, s stay as the warm start */
}

/* ---- the "hardware" side ---- */
static void make_sample(test_rng *rng, float *x)
{
    for (int i = 0; i < B - 1; i++) x[i] = 0.5f * (rng_uniform(rng) + 1.0f); /* inputs in [0, 1) */
    x[B - 1] = 1.0f;                                                          /* bias column */
}

int main(void)
{
    test_rng rng = { 2019 };
    static float teacher[A * B], w_init[A * B], w_ref[A * B], w_lib[A * B];
    for (int i = 0; i < A * B; i++) teacher[i] = 0.5f * rng_uniform(&rng);
    for (int i = 0; i < A * B; i++) w_init[i] = 0.1f * rng_uniform(&rng);
    memcpy(w_ref, w_init, sizeof w_ref);

    sbe_tile_t *tile = NULL;
    sbe_estimator_t *est = NULL;
    sbe_tile_config_t tc = tile_config(A, B, 7);
    sbe_estimator_config_t ec = estimator_config(A, B, 1, 7);
    ec.initialization = SBE_INIT_FIRST_SAMPLE;
    OK(sbe_tile_create(&tc, &tile));
    OK(sbe_estimator_create(&ec, &est));
    OK(sbe_tile_set_weights(tile, w_init, A * B));
    if (g_failures) return test_summary("firmware_vs_reference");

    sbe_ref ref = { .awaiting_first = 1 };
    static float xs[BATCH * B], ys[BATCH * A], deltas[BATCH * A], target[A];
    double first_loss = -1, last_loss = -1, worst_s = 0, worst_vec = 0, worst_w = 0;

    for (int batch = 0; batch < BATCHES; batch++) {
        for (int j = 0; j < BATCH; j++) make_sample(&rng, xs + j * B);
        OK(sbe_tile_read(tile, xs, BATCH * B, BATCH, ys, BATCH * A));   /* one batched forward read */
        double loss = 0;
        for (int j = 0; j < BATCH; j++) {
            const float *x = xs + j * B;
            for (int r = 0; r < A; r++) {
                target[r] = (float)dot(teacher + r * B, x, B);
                float y_ref = (float)dot(w_ref + r * B, x, B);
                CHECK(fabsf(ys[j * A + r] - y_ref) <= 1e-4f * (1 + fabsf(y_ref)), "batch %d read %d,%d: %g vs %g", batch, j, r, ys[j * A + r], y_ref);
                deltas[j * A + r] = ys[j * A + r] - target[r];
                loss += 0.5 * deltas[j * A + r] * deltas[j * A + r];
            }
            OK(sbe_estimator_observe(est, deltas + j * A, A, x, B));      /* streamed, one sample at a time */
            ref_observe(&ref, deltas + j * A, x);
        }
        loss /= BATCH;
        if (batch == 0) first_loss = loss;
        last_loss = loss;

        float s, d[A], x[B], s_ref, d_ref[A], x_ref[B];
        OK(sbe_estimator_estimate(est, &s, 1, d, A, x, B));
        ref_estimate(&ref, &s_ref, d_ref, x_ref);
        double es = fabs(s - s_ref) / fabs(s_ref), ev = 0;
        for (int i = 0; i < A; i++) ev = fmax(ev, fabs(d[i] - d_ref[i]));
        for (int i = 0; i < B; i++) ev = fmax(ev, fabs(x[i] - x_ref[i]));
        worst_s = fmax(worst_s, es); worst_vec = fmax(worst_vec, ev);
        CHECK(es <= 1e-4, "batch %d: s = %.8g, reference %.8g", batch, s, s_ref);
        CHECK(ev <= 1e-4, "batch %d: unit vectors differ by %g", batch, ev);

        OK(sbe_tile_write(tile, ETA * s, d, A, x, B));                 /* the batch's one rank-1 write */
        for (int r = 0; r < A; r++)
            for (int c = 0; c < B; c++) w_ref[r * B + c] -= ETA * s_ref * d_ref[r] * x_ref[c];
        OK(sbe_tile_get_weights(tile, w_lib, A * B));
        for (int i = 0; i < A * B; i++) worst_w = fmax(worst_w, fabs(w_lib[i] - w_ref[i]));
    }
    CHECK(worst_w <= 1e-4, "weights drifted from the reference by %g", worst_w);
    CHECK(last_loss < 0.1 * first_loss, "training did not reduce the loss enough: %g -> %g", first_loss, last_loss);

    sbe_tile_counters_t counters = { .struct_size = sizeof counters, .version = SBE_TILE_COUNTERS_VERSION };
    OK(sbe_tile_get_counters(tile, &counters));
    CHECK(counters.rank_one_writes == BATCHES, "rank-1 writes %lld, expected %d", (long long)counters.rank_one_writes, BATCHES);

    printf("loss %.5f -> %.5f over %d batches of %d; worst |ds|/s %.2e, worst vector diff %.2e, worst weight diff %.2e\n",
           first_loss, last_loss, BATCHES, BATCH, worst_s, worst_vec, worst_w);
    OK(sbe_estimator_destroy(est));
    OK(sbe_tile_destroy(tile));
    return test_summary("firmware_vs_reference");
}
