/* Layers driven call by call (sbe_layer_*) with row-strided batches, and rule options for networks and layers (ABI 1.7):
   the update is the step of the summed gradient, strided rows give the packed results and leave the gaps alone,
   every bad call returns its status and changes nothing, steady-state steps allocate nothing, and two threads on one
   layer get SBE_E_BUSY (or, between their calls, SBE_E_INVALID_STATE) instead of racing. */
#include <pthread.h>
#include <stdlib.h>
#include "test_util.h"

enum { IN = 6, OUT = 4, N = 5, COLS = IN + 1, LDX = IN + 3, LDY = OUT + 2 };

static sbe_layer_config_t dense_config(uint32_t method, uint64_t seed)
{
    sbe_layer_config_t c;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.version = SBE_LAYER_CONFIG_VERSION;
    c.kind = SBE_LAYER_DENSE;
    c.inputs = IN;
    c.outputs = OUT;
    c.method = method;
    c.rank = 1;
    c.sub_batch = 1;
    c.seed = seed;
    c.tile = tile_config(0, 0, 0);
    return c;
}

static sbe_rule_options_t rule_options(void)
{
    sbe_rule_options_t o;
    memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.version = SBE_RULE_OPTIONS_VERSION;
    return o;
}

static void summed_gradient_step(void)
{
    test_rng rng = {11};
    sbe_layer_config_t config = dense_config(SBE_METHOD_MINIBATCH, 3);
    sbe_layer_t *layer = NULL;
    OK(sbe_layer_create(&config, NULL, NULL, &layer));
    size_t inputs = 0, outputs = 0, rows = 0, cols = 0;
    OK(sbe_layer_shape(layer, &inputs, &outputs, &rows, &cols));
    CHECK(inputs == IN && outputs == OUT && rows == OUT && cols == COLS, "shape %zu %zu %zu %zu", inputs, outputs, rows, cols);
    float w[OUT * COLS], w1[OUT * COLS];
    OK(sbe_layer_get_weights(layer, w, OUT * COLS));

    /* x and dy as every other row of wider buffers; y and dx into strided outputs whose gaps hold -7 */
    float x[2 * N * LDX], dy[N * LDY], y[N * LDY], dx[N * LDX];
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++) x[i] = rng_uniform(&rng);
    for (size_t i = 0; i < sizeof dy / sizeof dy[0]; i++) dy[i] = rng_uniform(&rng);
    for (size_t i = 0; i < sizeof y / sizeof y[0]; i++) y[i] = -7;
    for (size_t i = 0; i < sizeof dx / sizeof dx[0]; i++) dx[i] = -7;
    size_t x_ld = 2 * LDX, x_len = (N - 1) * x_ld + IN, y_len = (N - 1) * LDY + OUT, dy_len = y_len, dx_len = (N - 1) * LDX + IN;
    OK(sbe_layer_forward(layer, x, x_len, x_ld, N, y, y_len, LDY));
    OK(sbe_layer_backward(layer, dy, dy_len, LDY, N, dx, dx_len, LDX));
    for (int j = 0; j < N; j++) {
        for (int r = 0; r < OUT; r++) {
            double s = w[r * COLS + IN];
            for (int c = 0; c < IN; c++) s += (double)w[r * COLS + c] * x[j * x_ld + c];
            CHECK(fabs(s - y[j * LDY + r]) < 1e-4, "y[%d][%d] %g, expected %g", j, r, y[j * LDY + r], s);
        }
        for (int c = 0; c < IN; c++) {
            double s = 0;
            for (int r = 0; r < OUT; r++) s += (double)w[r * COLS + c] * dy[j * LDY + r];
            CHECK(fabs(s - dx[j * LDX + c]) < 1e-4, "dx[%d][%d] %g, expected %g", j, c, dx[j * LDX + c], s);
        }
        if (j + 1 < N) {
            for (int g = OUT; g < LDY; g++) CHECK(y[j * LDY + g] == -7, "y gap [%d][%d] written", j, g);
            for (int g = IN; g < LDX; g++) CHECK(dx[j * LDX + g] == -7, "dx gap [%d][%d] written", j, g);
        }
    }
    sbe_layer_counters_t counters;
    memset(&counters, 0, sizeof counters);
    counters.struct_size = sizeof counters;
    counters.version = SBE_LAYER_COUNTERS_VERSION;
    OK(sbe_layer_get_counters(layer, &counters));
    CHECK(counters.pending_pairs == N, "pending %lld", (long long)counters.pending_pairs);
    OK(sbe_layer_update(layer, 0.05f));
    OK(sbe_layer_get_weights(layer, w1, OUT * COLS));
    for (int r = 0; r < OUT; r++)
        for (int c = 0; c < COLS; c++) {
            double g = 0;
            for (int j = 0; j < N; j++) g += (double)dy[j * LDY + r] * (c == IN ? 1.0 : x[j * x_ld + c]);
            double expected = w[r * COLS + c] - 0.05 * g;
            CHECK(fabs(expected - w1[r * COLS + c]) < 1e-5, "w[%d][%d] %g, expected %g", r, c, w1[r * COLS + c], expected);
        }
    OK(sbe_layer_get_counters(layer, &counters));
    CHECK(counters.pending_pairs == 0 && counters.rank_one_writes == OUT, "after update: pending %lld, writes %lld",
          (long long)counters.pending_pairs, (long long)counters.rank_one_writes);
    OK(sbe_layer_destroy(layer));
}

static void bad_calls_change_nothing(void)
{
    sbe_layer_config_t config = dense_config(SBE_METHOD_SBE, 4);
    sbe_layer_t *layer = NULL;
    FAILS(SBE_E_NULL_POINTER, sbe_layer_create(NULL, NULL, NULL, &layer));
    config.struct_size = 8;
    FAILS(SBE_E_BAD_STRUCT, sbe_layer_create(&config, NULL, NULL, &layer));
    config = dense_config(SBE_METHOD_SBE, 4);
    config.kernel = 3;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_layer_create(&config, NULL, NULL, &layer));
    config = dense_config(99, 4);
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_layer_create(&config, NULL, NULL, &layer));
    config = dense_config(SBE_METHOD_SGD, 4);
    sbe_rule_options_t options = rule_options();
    options.magnitude = SBE_MAGNITUDE_RAYLEIGH;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_layer_create(&config, &options, NULL, &layer));  /* sgd reads no estimator options */
    CHECK(layer == NULL, "a failed create left a handle");

    config = dense_config(SBE_METHOD_SBE, 4);
    OK(sbe_layer_create(&config, NULL, NULL, &layer));
    float x[N * IN], dy[N * OUT], y[N * OUT], dx[N * IN], w[OUT * COLS], w1[OUT * COLS];
    test_rng rng = {5};
    for (int i = 0; i < N * IN; i++) x[i] = rng_uniform(&rng);
    for (int i = 0; i < N * OUT; i++) dy[i] = rng_uniform(&rng);
    OK(sbe_layer_get_weights(layer, w, OUT * COLS));
    FAILS(SBE_E_INVALID_STATE, sbe_layer_backward(layer, dy, N * OUT, 0, N, dx, N * IN, 0));  /* no forward */
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_layer_forward(layer, x, N * IN - 1, 0, N, y, N * OUT, 0));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_layer_forward(layer, x, N * IN, IN - 1, N, y, N * OUT, 0)); /* ld below the width */
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_layer_forward(layer, x, N * IN, 0, N, x, N * IN, 0));      /* y overlaps x */
    FAILS(SBE_E_NULL_POINTER, sbe_layer_forward(layer, NULL, N * IN, 0, N, y, N * OUT, 0));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_layer_forward(layer, x, 0, 0, 0, y, 0, 0));
    x[7] = NAN;
    FAILS(SBE_E_NON_FINITE, sbe_layer_forward(layer, x, N * IN, 0, N, y, N * OUT, 0));
    x[7] = 0.5f;
    OK(sbe_layer_forward(layer, x, N * IN, 0, N, y, N * OUT, 0));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_layer_backward(layer, dy, 2 * OUT, 0, 2, dx, 2 * IN, 0));   /* another n */
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_layer_backward(layer, dy, N * OUT, 0, N, NULL, 3, 0));     /* no dx but a length */
    dy[2] = INFINITY;
    FAILS(SBE_E_NON_FINITE, sbe_layer_backward(layer, dy, N * OUT, 0, N, dx, N * IN, 0));
    dy[2] = 0.25f;
    FAILS(SBE_E_NON_FINITE, sbe_layer_update(layer, NAN));
    OK(sbe_layer_get_weights(layer, w1, OUT * COLS));
    CHECK(memcmp(w, w1, sizeof w) == 0, "a rejected call changed the weights");
    OK(sbe_layer_backward(layer, dy, N * OUT, 0, N, NULL, 0, 0));  /* still armed; no dx wanted */
    FAILS(SBE_E_INVALID_STATE, sbe_layer_backward(layer, dy, N * OUT, 0, N, NULL, 0, 0)); /* one backward per forward */
    OK(sbe_layer_update(layer, 0.1f));

    /* steady state: forward, backward, update allocate nothing */
    for (int i = 0; i < 3; i++) {
        OK(sbe_layer_forward(layer, x, N * IN, 0, N, y, N * OUT, 0));
        OK(sbe_layer_backward(layer, dy, N * OUT, 0, N, dx, N * IN, 0));
        OK(sbe_layer_update(layer, 0.01f));
    }
    uint64_t before = sbe_diag_allocated_bytes();
    for (int i = 0; i < 20; i++) {
        sbe_layer_forward(layer, x, N * IN, 0, N, y, N * OUT, 0);
        sbe_layer_backward(layer, dy, N * OUT, 0, N, dx, N * IN, 0);
        sbe_layer_update(layer, 0.01f);
    }
    CHECK(sbe_diag_allocated_bytes() == before, "20 steps allocated %llu bytes", (unsigned long long)(sbe_diag_allocated_bytes() - before));

    size_t live = 0;
    OK(sbe_live_layers(&live));
    CHECK(live == 1, "%zu live layers", live);
    OK(sbe_layer_destroy(layer));
    FAILS(SBE_E_BAD_HANDLE, sbe_layer_update(layer, 0.1f));
    FAILS(SBE_E_BAD_HANDLE, sbe_layer_destroy(layer));
    OK(sbe_layer_destroy(NULL));
    OK(sbe_live_layers(&live));
    CHECK(live == 0, "%zu live layers after destroy", live);
}

static void rule_options_round_trip(void)
{
    uint32_t sizes[] = {IN, 5, OUT};
    sbe_network_config_t config;
    memset(&config, 0, sizeof config);
    config.struct_size = sizeof config;
    config.version = SBE_NETWORK_CONFIG_VERSION;
    config.layer_sizes = sizes;
    config.layer_count = 3;
    config.method = SBE_METHOD_SBE;
    config.rank = 1;
    config.sub_batch = 1;
    config.seed = 9;
    config.tile = tile_config(0, 0, 0);
    sbe_rule_options_t options = rule_options(), back = rule_options(), defaults = rule_options();
    options.magnitude = SBE_MAGNITUDE_START_RAYLEIGH;
    options.initialization = SBE_INIT_FIRST_SAMPLE;
    options.quantization_bits = 10;
    options.stochastic_rounding = 1;
    options.cold_start = 1;
    options.oja_rate = 0.25f;
    sbe_network_t *net = NULL;
    OK(sbe_network_create_ex(&config, &options, NULL, NULL, &net));
    OK(sbe_network_get_rule_options(net, &back));
    CHECK(memcmp(&options, &back, sizeof options) == 0, "the options read back differ");
    OK(sbe_network_destroy(net));
    OK(sbe_network_create_ex(&config, NULL, NULL, "fc5", &net));  /* NULL options: the defaults, oja_rate 0.01 */
    OK(sbe_network_get_rule_options(net, &back));
    CHECK(back.magnitude == 0 && back.cold_start == 0 && back.quantization_bits == 0 && fabsf(back.oja_rate - 0.01f) == 0, "defaults read back wrong");
    OK(sbe_network_destroy(net));
    options.published_schedule = 1;  /* SBPCA's only */
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_create_ex(&config, &options, NULL, NULL, &net));
    defaults.struct_size = 12;
    FAILS(SBE_E_BAD_STRUCT, sbe_network_create_ex(&config, &defaults, NULL, NULL, &net));
    CHECK(net == NULL, "a failed create left a handle");

    sbe_layer_config_t lc = dense_config(SBE_METHOD_SBE, 1);
    sbe_layer_t *layer = NULL;
    options.published_schedule = 0;
    OK(sbe_layer_create(&lc, &options, NULL, &layer));
    OK(sbe_layer_get_rule_options(layer, &back));
    CHECK(memcmp(&options, &back, sizeof options) == 0, "the layer's options read back differ");
    OK(sbe_layer_destroy(layer));
}

typedef struct { sbe_layer_t *layer; int backwards, busy, state, other; } worker;
static pthread_barrier_t g_start;

static void count(worker *w, int st)
{
    if (st == SBE_E_BUSY) w->busy++;
    else if (st == SBE_E_INVALID_STATE) w->state++;  /* the other thread's backward took this forward */
    else if (st != SBE_OK) w->other++;
}

static void *step_loop(void *arg)
{
    worker *w = arg;
    float x[N * IN], dy[N * OUT], y[N * OUT];
    for (int i = 0; i < N * IN; i++) x[i] = 0.1f * (float)(i % 7 - 3);
    for (int i = 0; i < N * OUT; i++) dy[i] = 0.05f * (float)(i % 5 - 2);
    pthread_barrier_wait(&g_start);
    for (int k = 0; k < 3000; k++) {
        count(w, sbe_layer_forward(w->layer, x, N * IN, 0, N, y, N * OUT, 0));
        int st = sbe_layer_backward(w->layer, dy, N * OUT, 0, N, NULL, 0, 0);
        if (st == SBE_OK) w->backwards++;
        count(w, st);
        count(w, sbe_layer_update(w->layer, 0.01f));
    }
    return NULL;
}

/* sgd writes every pair it was given: after a last update the tile has counted N writes per backward that succeeded. */
static void concurrent_use_is_detected(void)
{
    sbe_layer_config_t config = dense_config(SBE_METHOD_SGD, 6);
    config.tile.device = SBE_DEVICE_ECRAM;
    sbe_layer_t *layer = NULL;
    OK(sbe_layer_create(&config, NULL, NULL, &layer));
    pthread_barrier_init(&g_start, NULL, 2);
    worker w[2] = {{layer, 0, 0, 0, 0}, {layer, 0, 0, 0, 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, step_loop, &w[i]);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    pthread_barrier_destroy(&g_start);
    OK(sbe_layer_update(layer, 0.01f));
    sbe_layer_counters_t counters;
    memset(&counters, 0, sizeof counters);
    counters.struct_size = sizeof counters;
    counters.version = SBE_LAYER_COUNTERS_VERSION;
    OK(sbe_layer_get_counters(layer, &counters));
    CHECK(w[0].other == 0 && w[1].other == 0, "statuses other than OK, BUSY, INVALID_STATE: %d, %d", w[0].other, w[1].other);
    CHECK(counters.rank_one_writes == (int64_t)N * (w[0].backwards + w[1].backwards), "%lld writes, %d backwards of %d pairs",
          (long long)counters.rank_one_writes, w[0].backwards + w[1].backwards, N);
    float weights[OUT * COLS];
    OK(sbe_layer_get_weights(layer, weights, OUT * COLS));
    for (int i = 0; i < OUT * COLS; i++) CHECK(isfinite(weights[i]), "weight %d is %g", i, weights[i]);
    printf("two threads: %d backwards, %d busy, %d out of turn\n", w[0].backwards + w[1].backwards, w[0].busy + w[1].busy, w[0].state + w[1].state);
    OK(sbe_layer_destroy(layer));
}

int main(void)
{
    summed_gradient_step();
    bad_calls_change_nothing();
    rule_options_round_trip();
    concurrent_use_is_detected();
    return test_summary("test_layer");
}
