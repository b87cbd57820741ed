/* A network built from layers through the C ABI: a small conv net learns a synthetic image task (the class is the
   quadrant holding the brightest blob), with layer shapes, writes and bad architectures checked. */
#include <stdlib.h>
#include "test_util.h"

enum { S = 8, CLS = 4, N = 400 };

static float images[N * S * S];
static int32_t labels[N];

static void make_data(void)
{
    test_rng rng = { 7 };
    for (int j = 0; j < N; j++) {
        int q = j % CLS, y0 = (q / 2) * (S / 2), x0 = (q % 2) * (S / 2);
        for (int i = 0; i < S * S; i++) images[j * S * S + i] = 0.2f * (rng_uniform(&rng) + 1.0f);
        for (int y = 1; y < 3; y++)
            for (int x = 1; x < 3; x++) images[j * S * S + (y0 + y) * S + x0 + x] = 1.0f;
        labels[j] = q;
    }
}

static sbe_network_config_t config(uint32_t method)
{
    static const uint32_t sizes[] = { S * S, CLS };
    sbe_network_config_t c;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.version = SBE_NETWORK_CONFIG_VERSION;
    c.layer_sizes = sizes;
    c.layer_count = 2;
    c.activation = SBE_ACTIVATION_RELU;
    c.method = method;
    c.rank = 1;
    c.sub_batch = 1;
    c.seed = 3;
    c.tile.struct_size = sizeof c.tile;
    c.tile.version = SBE_TILE_CONFIG_VERSION;
    return c;
}

static void train(uint32_t method, float lr)
{
    sbe_network_config_t c = config(method);
    sbe_network_t *net = NULL;
    OK(sbe_network_create_layers(&c, "conv4k3p1-maxpool2-fc16", &net));
    size_t inputs, classes, layers, rows, cols;
    OK(sbe_network_shape(net, &inputs, &classes, &layers));
    CHECK(inputs == S * S && classes == CLS && layers == 3, "shape %zu %zu %zu", inputs, classes, layers);
    OK(sbe_network_layer_shape(net, 0, &rows, &cols));
    CHECK(rows == 4 && cols == 10, "conv tile %zu x %zu, expected 4 x 10", rows, cols);
    OK(sbe_network_layer_shape(net, 1, &rows, &cols));
    CHECK(rows == 16 && cols == 4 * 4 * 4 + 1, "fc tile %zu x %zu", rows, cols);
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_layer_shape(net, 3, &rows, &cols));
    sbe_epoch_metrics_t m = { .struct_size = sizeof m, .version = SBE_EPOCH_METRICS_VERSION };
    for (int epoch = 0; epoch < 5; epoch++) OK(sbe_network_train_epoch(net, images, N * S * S, labels, N, 8, lr, epoch + 1, &m));
    sbe_evaluation_t e = { .struct_size = sizeof e, .version = SBE_EVALUATION_VERSION };
    OK(sbe_network_evaluate(net, images, N * S * S, labels, N, &e));
    printf("conv method %u: accuracy %.3f, %lld rank-1 writes\n", method, e.accuracy, (long long)m.rank_one_writes);
    CHECK(e.accuracy >= 0.9, "conv method %u accuracy %g", method, e.accuracy);
    /* SGD: one write per output position per sample on the conv tile (8 x 8 = 64), one per sample on each fc tile;
       minibatch: one dense write per tile and batch counted as min(n P, rows, cols) = 4 + 8 + 4; rank 1: one per tile */
    long long batches = 5LL * (N / 8);
    long long expected = method == SBE_METHOD_SGD ? 5LL * N * (64 + 1 + 1) : method == SBE_METHOD_MINIBATCH ? batches * 16 : batches * 3;
    CHECK(m.rank_one_writes == expected, "writes %lld, expected %lld", (long long)m.rank_one_writes, expected);
    OK(sbe_network_destroy(net));
}

static void bad_architectures(void)
{
    sbe_network_config_t c = config(SBE_METHOD_SBE);
    sbe_network_t *net = NULL;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_create_layers(&c, "conv4k9", &net));     /* kernel larger than 8 x 8 */
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_create_layers(&c, "conv4k3-pool9", &net));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_create_layers(&c, "convolution", &net));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_create_layers(&c, "", &net));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_create_layers(&c, "3x8x8-conv4k3", &net)); /* 192 features, not 64 */
    FAILS(SBE_E_NULL_POINTER, sbe_network_create_layers(&c, NULL, &net));
    c.version = 0; FAILS(SBE_E_BAD_STRUCT, sbe_network_create_layers(&c, "conv4k3", &net));
    CHECK(net == NULL, "failed create returned a handle");
}

/* Two epochs, save, two more on the loaded copy: the same weights as four uninterrupted epochs (1.5). */
static void checkpoint(uint32_t method)
{
    sbe_network_config_t c = config(method);
    sbe_network_t *whole = NULL, *part = NULL, *resumed = NULL;
    OK(sbe_network_create_layers(&c, "conv4k3p1-maxpool2-fc16", &whole));
    OK(sbe_network_create_layers(&c, "conv4k3p1-maxpool2-fc16", &part));
    sbe_epoch_metrics_t m = { .struct_size = sizeof m, .version = SBE_EPOCH_METRICS_VERSION };
    for (int epoch = 0; epoch < 4; epoch++) OK(sbe_network_train_epoch(whole, images, N * S * S, labels, N, 8, 0.05f, epoch + 1, &m));
    for (int epoch = 0; epoch < 2; epoch++) OK(sbe_network_train_epoch(part, images, N * S * S, labels, N, 8, 0.05f, epoch + 1, &m));
    const char *path = "conv_checkpoint.sbenet";
    OK(sbe_network_save(part, path));
    OK(sbe_network_destroy(part));
    OK(sbe_network_load(path, &resumed));
    uint64_t done = 0;
    OK(sbe_network_completed_epochs(resumed, &done));
    CHECK(done == 2, "completed epochs %llu, expected 2", (unsigned long long)done);
    for (uint64_t epoch = done; epoch < 4; epoch++) OK(sbe_network_train_epoch(resumed, images, N * S * S, labels, N, 8, 0.05f, epoch + 1, &m));
    for (size_t layer = 0; layer < 3; layer++) {
        size_t rows, cols;
        OK(sbe_network_layer_shape(whole, layer, &rows, &cols));
        float *a = malloc(rows * cols * sizeof(float)), *b = malloc(rows * cols * sizeof(float));
        OK(sbe_network_get_weights(whole, layer, a, rows * cols));
        OK(sbe_network_get_weights(resumed, layer, b, rows * cols));
        CHECK(memcmp(a, b, rows * cols * sizeof(float)) == 0, "method %u layer %zu: resumed weights differ", method, layer);
        free(a); free(b);
    }
    /* a file that is not a checkpoint, a directory, NULL */
    FILE *f = fopen(path, "wb");
    fputs("not a checkpoint", f);
    fclose(f);
    sbe_network_t *none = NULL;
    FAILS(SBE_E_IO, sbe_network_load(path, &none));
    FAILS(SBE_E_IO, sbe_network_load(".", &none));
    FAILS(SBE_E_IO, sbe_network_save(whole, "."));
    FAILS(SBE_E_NULL_POINTER, sbe_network_load(NULL, &none));
    FAILS(SBE_E_NULL_POINTER, sbe_network_save(whole, NULL));
    CHECK(none == NULL, "failed load returned a handle");
    remove(path);
    OK(sbe_network_destroy(whole));
    OK(sbe_network_destroy(resumed));
}

int main(void)
{
    make_data();
    train(SBE_METHOD_SGD, 0.01f);
    train(SBE_METHOD_MINIBATCH, 0.1f);
    train(SBE_METHOD_TRUNCATED_SVD, 0.1f);
    train(SBE_METHOD_SBE, 0.1f);
    bad_architectures();
    checkpoint(SBE_METHOD_SBE);
    checkpoint(SBE_METHOD_SGD);
    size_t nets = 9;
    OK(sbe_live_handles(NULL, NULL, &nets));
    CHECK(nets == 0, "leaked %zu networks", nets);
    return test_summary("conv network");
}
