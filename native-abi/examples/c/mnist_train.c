/*
 * The paper's experiment from C: a 784-100-10 ReLU network on the repository's MNIST-10k (IDX files, gzipped;
 * first 8,000 digits train, last 2,000 test), trained through the network exports by SBE rank 1 with one rank-1
 * write per layer and batch. Usage: mnist_train <data/mnist-10k> [epochs] [batch] [learning rate] [method 0..3]
 * Exit status 0 when the held-out accuracy exceeds 0.85 (the CTest check).
 */
#include <stdlib.h>
#include <zlib.h>
#include "test_util.h"

static unsigned char *read_gz(const char *path, size_t *size)
{
    gzFile f = gzopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot open %s\n", path); return NULL; }
    size_t cap = 1 << 20, n = 0;
    unsigned char *buf = malloc(cap);
    int got;
    while (buf && (got = gzread(f, buf + n, (unsigned)(cap - n))) > 0) {
        n += (size_t)got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    gzclose(f);
    *size = n;
    return buf;
}

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: mnist_train DATA_DIR [epochs] [batch] [lr] [method]\n"); return 2; }
    int epochs = argc > 2 ? atoi(argv[2]) : 3;
    size_t batch = argc > 3 ? (size_t)atol(argv[3]) : 32;
    float lr = argc > 4 ? (float)atof(argv[4]) : 0.05f;
    uint32_t method = argc > 5 ? (uint32_t)atoi(argv[5]) : SBE_METHOD_SBE;
    char path[4096];
    size_t isize, lsize;
    snprintf(path, sizeof path, "%s/images-idx3-ubyte.gz", argv[1]);
    unsigned char *img = read_gz(path, &isize);
    snprintf(path, sizeof path, "%s/labels-idx1-ubyte.gz", argv[1]);
    unsigned char *lab = read_gz(path, &lsize);
    if (!img || !lab || isize < 16 || lsize < 8 || be32(img) != 0x803 || be32(lab) != 0x801) { fprintf(stderr, "bad IDX files\n"); return 1; }
    size_t count = be32(img + 4), pixels = (size_t)be32(img + 8) * be32(img + 12);
    if (pixels != 784 || be32(lab + 4) != count || isize != 16 + count * pixels || lsize != 8 + count) { fprintf(stderr, "unexpected IDX shape\n"); return 1; }
    float *x = malloc(count * pixels * sizeof *x);
    int32_t *y = malloc(count * sizeof *y);
    for (size_t i = 0; i < count * pixels; i++) x[i] = img[16 + i] / 255.0f;
    for (size_t i = 0; i < count; i++) y[i] = lab[8 + i];
    size_t train = 8000, test = count - train;

    static const uint32_t sizes[] = { 784, 100, 10 };
    sbe_network_config_t c;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c; c.version = SBE_NETWORK_CONFIG_VERSION;
    c.layer_sizes = sizes; c.layer_count = 3; c.activation = SBE_ACTIVATION_RELU;
    c.method = method; c.rank = 1; c.sub_batch = 1; c.seed = 0;
    c.tile.struct_size = sizeof c.tile; c.tile.version = SBE_TILE_CONFIG_VERSION; c.tile.device = SBE_DEVICE_IDEAL;
    sbe_network_t *net = NULL;
    OK(sbe_network_create(&c, &net));
    sbe_epoch_metrics_t m = { .struct_size = sizeof m, .version = SBE_EPOCH_METRICS_VERSION };
    sbe_evaluation_t e = { .struct_size = sizeof e, .version = SBE_EVALUATION_VERSION };
    for (int epoch = 0; epoch < epochs && !g_failures; epoch++) {
        OK(sbe_network_train_epoch(net, x, train * pixels, y, train, batch, lr, (uint64_t)epoch, &m));
        OK(sbe_network_evaluate(net, x + train * pixels, test * pixels, y + train, test, &e));
        printf("epoch %d: train loss %.4f, test accuracy %.4f, rank-1 writes %lld, %.2f s\n", epoch + 1,
               m.mean_training_loss, e.accuracy, (long long)m.rank_one_writes, m.seconds);
    }
    CHECK(e.accuracy > 0.85, "test accuracy %.4f after %d epochs", e.accuracy, epochs);
    OK(sbe_network_destroy(net));
    free(x); free(y); free(img); free(lab);
    return test_summary("mnist_train");
}
