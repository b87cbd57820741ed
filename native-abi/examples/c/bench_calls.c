/* Timing program (not a test): cost of a trivial call and of a 100 x 785 batch read (batch 64) from C.
   Usage: bench_calls [repeats]. Prints medians over repeats of timed blocks. */
#include <stdlib.h>
#include <time.h>
#include "test_util.h"

static double now_ns(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }
static double median(double *v, int n) { qsort(v, (size_t)n, sizeof *v, cmp); return v[n / 2]; }

enum { ROWS = 100, COLS = 785, BATCH = 64 };

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 21;
    double *t = malloc((size_t)repeats * sizeof *t);
    volatile int32_t sink = 0;

    for (int r = 0; r < repeats; r++) {                 /* trivial call: sbe_abi_version */
        double s = now_ns();
        for (int i = 0; i < 1000000; i++) sink += sbe_abi_version();
        t[r] = (now_ns() - s) / 1e6;
    }
    printf("sbe_abi_version: %.2f ns/call (median of %d x 1e6 calls)\n", median(t, repeats), repeats);

    sbe_tile_t *tile = NULL;
    sbe_tile_config_t tc = tile_config(ROWS, COLS, 1);
    size_t rows, cols;
    OK(sbe_tile_create(&tc, &tile));
    for (int r = 0; r < repeats; r++) {                 /* cheapest handle call */
        double s = now_ns();
        for (int i = 0; i < 100000; i++) sink += sbe_tile_shape(tile, &rows, &cols);
        t[r] = (now_ns() - s) / 1e5;
    }
    printf("sbe_tile_shape (handle lookup): %.2f ns/call\n", median(t, repeats));

    test_rng rng = { 3 };
    float *w = malloc(ROWS * COLS * sizeof *w), *x = malloc(BATCH * COLS * sizeof *x), *y = malloc(BATCH * ROWS * sizeof *y);
    for (int i = 0; i < ROWS * COLS; i++) w[i] = 0.05f * rng_uniform(&rng);
    for (int i = 0; i < BATCH * COLS; i++) x[i] = 0.5f * (rng_uniform(&rng) + 1);
    OK(sbe_tile_set_weights(tile, w, ROWS * COLS));
    for (int i = 0; i < 50; i++) OK(sbe_tile_read(tile, x, BATCH * COLS, BATCH, y, BATCH * ROWS)); /* warm-up */
    for (int r = 0; r < repeats; r++) {
        double s = now_ns();
        for (int i = 0; i < 200; i++) sink += sbe_tile_read(tile, x, BATCH * COLS, BATCH, y, BATCH * ROWS);
        t[r] = (now_ns() - s) / 200 / 1e3;
    }
    printf("sbe_tile_read 100x785, batch 64: %.2f us/call\n", median(t, repeats));
    for (int r = 0; r < repeats; r++) {
        double s = now_ns();
        for (int i = 0; i < 200; i++) sink += sbe_batch_read(w, ROWS * COLS, ROWS, COLS, COLS, x, BATCH * COLS, BATCH, y, BATCH * ROWS);
        t[r] = (now_ns() - s) / 200 / 1e3;
    }
    printf("sbe_batch_read 100x785, batch 64: %.2f us/call\n", median(t, repeats));
    printf("isa 0x%x, flavour %s\n", sbe_isa(), sbe_recommended_flavour());
    OK(sbe_tile_destroy(tile));
    free(w); free(x); free(y); free(t);
    return g_failures != 0 || sink == 42;
}
