/* The network exports: a small MLP trained by each update method on a deterministic, learnable problem
   (the class is the arg-max of a fixed linear map of the input), plus its bad-input behaviour. */
#include <stdlib.h>
#include "test_util.h"

enum { IN = 12, HID = 16, CLS = 3, N = 600 };

static float images[N * IN];
static int32_t labels[N];

static void make_data(void)
{
    test_rng rng = { 31 };
    float map[CLS * IN];
    for (int i = 0; i < CLS * IN; i++) map[i] = rng_uniform(&rng);
    for (int j = 0; j < N; j++) {
        float best = -1e30f;
        for (int i = 0; i < IN; i++) images[j * IN + i] = 0.5f * (rng_uniform(&rng) + 1.0f);
        for (int c = 0; c < CLS; c++) {
            float z = 0;
            for (int i = 0; i < IN; i++) z += map[c * IN + i] * (images[j * IN + i] - 0.5f);
            if (z > best) { best = z; labels[j] = c; }
        }
    }
}

static sbe_network_config_t net_config(const uint32_t *sizes, uint32_t count, uint32_t method)
{
    sbe_network_config_t c;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.version = SBE_NETWORK_CONFIG_VERSION;
    c.layer_sizes = sizes;
    c.layer_count = count;
    c.activation = SBE_ACTIVATION_RELU;
    c.method = method;
    c.rank = 1;
    c.sub_batch = 1;
    c.seed = 1234;
    c.tile.struct_size = sizeof c.tile;
    c.tile.version = SBE_TILE_CONFIG_VERSION;
    return c;
}

static void train_method(uint32_t method, float lr, double required_accuracy)
{
    static const uint32_t sizes[] = { IN, HID, CLS };
    sbe_network_config_t c = net_config(sizes, 3, method);
    sbe_network_t *net = NULL;
    OK(sbe_network_create(&c, &net));
    size_t inputs, classes, layers;
    OK(sbe_network_shape(net, &inputs, &classes, &layers));
    CHECK(inputs == IN && classes == CLS && layers == 2, "shape %zu %zu %zu", inputs, classes, layers);
    sbe_evaluation_t before = { .struct_size = sizeof before, .version = SBE_EVALUATION_VERSION }, after = before;
    OK(sbe_network_evaluate(net, images, N * IN, labels, N, &before));
    sbe_epoch_metrics_t m = { .struct_size = sizeof m, .version = SBE_EPOCH_METRICS_VERSION };
    for (int epoch = 0; epoch < 30; epoch++) OK(sbe_network_train_epoch(net, images, N * IN, labels, N, 16, lr, 100 + epoch, &m));
    OK(sbe_network_evaluate(net, images, N * IN, labels, N, &after));
    printf("method %u: loss %.4f -> %.4f, accuracy %.3f -> %.3f, %lld rank-1 writes\n", method, before.loss, after.loss,
           before.accuracy, after.accuracy, (long long)m.rank_one_writes);
    CHECK(m.samples == N && m.batches == (N + 15) / 16, "metrics %lld samples, %lld batches", (long long)m.samples, (long long)m.batches);
    CHECK(after.loss < 0.5 * before.loss, "method %u did not learn: loss %g -> %g", method, before.loss, after.loss);
    CHECK(after.accuracy >= required_accuracy, "method %u accuracy %g", method, after.accuracy);
    long long per_epoch = 2LL * (method == SBE_METHOD_SGD ? N : (N + 15) / 16); /* 2 layers: SGD one write per sample, SBE/SVD rank 1 one per batch */
    if (method != SBE_METHOD_MINIBATCH) CHECK(m.rank_one_writes == 30 * per_epoch, "writes %lld, expected %lld", (long long)m.rank_one_writes, 30 * per_epoch);

    float probs[4 * CLS];
    OK(sbe_network_predict(net, images, 4 * IN, 4, probs, 4 * CLS));
    for (int j = 0; j < 4; j++) { double t = 0; for (int k = 0; k < CLS; k++) t += probs[j * CLS + k]; CHECK(fabs(t - 1) < 1e-5, "probabilities sum %g", t); }
    OK(sbe_network_destroy(net));
}

static void bad_inputs(void)
{
    static const uint32_t sizes[] = { IN, HID, CLS }, zero[] = { IN, 0, CLS };
    sbe_network_t *net = NULL;
    sbe_network_config_t c = net_config(sizes, 3, SBE_METHOD_SBE);
    c.method = SBE_METHOD_LRT + 1; FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_create(&c, &net)); c.method = SBE_METHOD_SBE;
    c.activation = 2; FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_create(&c, &net)); c.activation = 0;
    c.layer_count = 1; FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_create(&c, &net)); c.layer_count = 3;
    c.layer_sizes = NULL; FAILS(SBE_E_NULL_POINTER, sbe_network_create(&c, &net)); c.layer_sizes = zero;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_create(&c, &net)); c.layer_sizes = sizes;
    c.tile.struct_size = 3; FAILS(SBE_E_BAD_STRUCT, sbe_network_create(&c, &net)); c.tile.struct_size = sizeof c.tile;
    c.tile.rows = 5; FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_create(&c, &net)); c.tile.rows = 0;
    c.tile.device = 42; FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_create(&c, &net)); c.tile.device = 0;
    c.version = 0; FAILS(SBE_E_BAD_STRUCT, sbe_network_create(&c, &net)); c.version = SBE_NETWORK_CONFIG_VERSION;
    CHECK(net == NULL, "failed create returned a handle");
    OK(sbe_network_create(&c, &net));

    float w0[HID * (IN + 1)], w1[HID * (IN + 1)];
    OK(sbe_network_get_weights(net, 0, w0, HID * (IN + 1)));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_get_weights(net, 2, w1, CLS * (HID + 1)));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_get_weights(net, 0, w1, HID * IN));
    sbe_epoch_metrics_t m = { .struct_size = sizeof m, .version = SBE_EPOCH_METRICS_VERSION };
    int32_t saved = labels[N - 1];
    labels[N - 1] = CLS; FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_train_epoch(net, images, N * IN, labels, N, 16, 0.1f, 1, &m));
    labels[N - 1] = -1; FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_train_batch(net, images, N * IN, labels, N, 0.1f, NULL));
    labels[N - 1] = saved;
    float saved_x = images[5];
    images[5] = NAN; FAILS(SBE_E_NON_FINITE, sbe_network_train_epoch(net, images, N * IN, labels, N, 16, 0.1f, 1, &m)); images[5] = saved_x;
    FAILS(SBE_E_NON_FINITE, sbe_network_train_epoch(net, images, N * IN, labels, N, 16, INFINITY, 1, &m));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_train_epoch(net, images, N * IN, labels, N, 0, 0.1f, 1, &m));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_train_epoch(net, images, N * IN - 1, labels, N, 16, 0.1f, 1, &m));
    m.version = 7; FAILS(SBE_E_BAD_STRUCT, sbe_network_train_epoch(net, images, N * IN, labels, N, 16, 0.1f, 1, &m));
    FAILS(SBE_E_NULL_POINTER, sbe_network_evaluate(net, images, N * IN, labels, N, NULL));
    FAILS(SBE_E_BAD_HANDLE, sbe_network_evaluate((sbe_network_t *)&m, images, N * IN, labels, N, NULL));
    OK(sbe_network_get_weights(net, 0, w1, HID * (IN + 1)));
    CHECK(memcmp(w0, w1, sizeof w0) == 0, "rejected calls changed the network");
    double loss = -1;
    OK(sbe_network_train_batch(net, images, 32 * IN, labels, 32, 0.1f, &loss));
    CHECK(loss > 0, "loss %g", loss);
    OK(sbe_network_destroy(net));
    FAILS(SBE_E_BAD_HANDLE, sbe_network_destroy(net));
    OK(sbe_network_destroy(NULL));
}

int main(void)
{
    make_data();
    train_method(SBE_METHOD_SBE, 0.1f, 0.85);
    train_method(SBE_METHOD_SGD, 0.02f, 0.85);
    train_method(SBE_METHOD_MINIBATCH, 0.1f, 0.85);
    train_method(SBE_METHOD_TRUNCATED_SVD, 0.1f, 0.85);
    bad_inputs();
    size_t nets = 9;
    OK(sbe_live_handles(NULL, NULL, &nets));
    CHECK(nets == 0, "leaked %zu networks", nets);
    return test_summary("network");
}
