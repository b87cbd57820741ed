/* SbeCore's C ABI kernels against OpenBLAS (cblas, one thread), side by side in one process.
 *
 * For each kernel, shape and offset of W from a 64-byte boundary, the two libraries run alternately in
 * ROUNDS rounds; each round times REPS calls of each on this thread's CPU clock (other processes' time on a
 * shared machine is not counted). Printed: the median and range over rounds of time(SbeCore) / time(OpenBLAS),
 * and each library's median time per call. Ratios below 1: SbeCore faster.
 *
 * Usage: kernels_vs_openblas <path to SbeCore.Native.so> [rounds] [kernel] [shape]   (OPENBLAS_NUM_THREADS=1 is set
 * by run.sh; kernel and shape, e.g. batch_read_t 4096x4096, restrict the run to them)
 */
#define _GNU_SOURCE
#include <cblas.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *openblas_get_corename(void);

typedef int (*gemv_fn)(const float *, size_t, size_t, size_t, size_t, const float *, size_t, float *, size_t);
typedef int (*ger_fn)(float, const float *, size_t, const float *, size_t, float *, size_t, size_t, size_t, size_t);
typedef int (*batch_fn)(const float *, size_t, size_t, size_t, size_t, const float *, size_t, size_t, float *, size_t);

static gemv_fn sbe_gemv, sbe_gemv_t;
static ger_fn sbe_ger;
static batch_fn sbe_batch_read, sbe_batch_read_t;

enum kernel { GEMV, GEMV_T, GER, BATCH, BATCH_T, KERNELS };
static const char *kernel_names[KERNELS] = {"gemv", "gemv_t", "ger", "batch_read", "batch_read_t"};
enum { BATCH_N = 64 };

static double thread_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

typedef struct { size_t rows, cols; float *w, *x, *y, *d, *z, *xs, *ys, *ds, *zs; } problem;

static float *floats(size_t n, unsigned *seed) {
    float *p;
    if (posix_memalign((void **)&p, 64, (n + 16) * sizeof(float))) { perror("posix_memalign"); exit(1); }
    for (size_t i = 0; i < n + 16; i++) p[i] = (float)(rand_r(seed) % 2001 - 1000) / 1000.0f;
    return p;
}

static void fail(const char *what) { fprintf(stderr, "kernels_vs_openblas: %s returned an error\n", what); exit(1); }

/* One call of kernel k through library lib (0 SbeCore, 1 OpenBLAS) on W at float offset off. */
static void call(int lib, enum kernel k, problem *p, size_t off) {
    size_t r = p->rows, c = p->cols, wl = r * c;
    float *w = p->w + off;
    switch (k) {
    case GEMV:
        if (lib == 0) { if (sbe_gemv(w, wl, r, c, c, p->x, c, p->y, r)) fail("sbe_gemv"); }
        else cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)r, (int)c, 1.0f, w, (int)c, p->x, 1, 0.0f, p->y, 1);
        break;
    case GEMV_T:
        if (lib == 0) { if (sbe_gemv_t(w, wl, r, c, c, p->d, r, p->z, c)) fail("sbe_gemv_t"); }
        else cblas_sgemv(CblasRowMajor, CblasTrans, (int)r, (int)c, 1.0f, w, (int)c, p->d, 1, 0.0f, p->z, 1);
        break;
    case GER:
        /* alpha alternates sign between calls in the caller so W stays bounded. */
        if (lib == 0) { if (sbe_ger(1e-3f, p->d, r, p->x, c, w, wl, r, c, c)) fail("sbe_ger"); }
        else cblas_sger(CblasRowMajor, (int)r, (int)c, 1e-3f, p->d, 1, p->x, 1, w, (int)c);
        break;
    case BATCH: /* Y (n x rows) = X (n x cols) W^T */
        if (lib == 0) { if (sbe_batch_read(w, wl, r, c, c, p->xs, BATCH_N * c, BATCH_N, p->ys, BATCH_N * r)) fail("sbe_batch_read"); }
        else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, BATCH_N, (int)r, (int)c, 1.0f, p->xs, (int)c, w, (int)c, 0.0f, p->ys, (int)r);
        break;
    case BATCH_T: /* Z (n x cols) = D (n x rows) W */
        if (lib == 0) { if (sbe_batch_read_t(w, wl, r, c, c, p->ds, BATCH_N * r, BATCH_N, p->zs, BATCH_N * c)) fail("sbe_batch_read_t"); }
        else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, BATCH_N, (int)c, (int)r, 1.0f, p->ds, (int)r, w, (int)c, 0.0f, p->zs, (int)c);
        break;
    default: break;
    }
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) { qsort(v, n, sizeof *v, cmp_double); return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]); }

/* Seconds of one call, over reps calls. */
static double time_calls(int lib, enum kernel k, problem *p, size_t off, long reps) {
    double t = thread_seconds();
    for (long i = 0; i < reps; i++) call(lib, k, p, off);
    return (thread_seconds() - t) / reps;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s <SbeCore.Native.so> [rounds] [kernel] [shape]\n", argv[0]); return 2; }
    const char *only_kernel = argc > 3 ? argv[3] : NULL, *only_shape = argc > 4 ? argv[4] : NULL;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    if (rounds < 1 || rounds > 100) { fprintf(stderr, "rounds must be 1..100\n"); return 2; }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
    sbe_gemv = (gemv_fn)dlsym(lib, "sbe_gemv");
    sbe_gemv_t = (gemv_fn)dlsym(lib, "sbe_gemv_t");
    sbe_ger = (ger_fn)dlsym(lib, "sbe_ger");
    sbe_batch_read = (batch_fn)dlsym(lib, "sbe_batch_read");
    sbe_batch_read_t = (batch_fn)dlsym(lib, "sbe_batch_read_t");
    if (!sbe_gemv || !sbe_gemv_t || !sbe_ger || !sbe_batch_read || !sbe_batch_read_t) { fprintf(stderr, "missing exports\n"); return 1; }

    static const size_t shapes[][2] = {{10, 101}, {100, 785}, {512, 512}, {1024, 1024}, {4096, 4096}};
    static const size_t offsets[] = {0, 4, 8, 12}; /* floats: 0, 16, 32, 48 bytes past a 64-byte boundary */
    unsigned seed = 7;
    printf("OpenBLAS kernels: %s\n\n", openblas_get_corename());
    printf("| kernel | shape | W offset (bytes) | SbeCore / OpenBLAS median | range | SbeCore per call | OpenBLAS per call |\n");
    printf("|---|---|---|---|---|---|---|\n");
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        problem p = {shapes[s][0], shapes[s][1]};
        size_t r = p.rows, c = p.cols;
        char shape_name[32];
        snprintf(shape_name, sizeof shape_name, "%zux%zu", r, c);
        if (only_shape && strcmp(only_shape, shape_name) != 0) continue;
        p.w = floats(r * c, &seed); p.x = floats(c, &seed); p.y = floats(r, &seed); p.d = floats(r, &seed); p.z = floats(c, &seed);
        p.xs = floats(BATCH_N * c, &seed); p.ys = floats(BATCH_N * r, &seed); p.ds = floats(BATCH_N * r, &seed); p.zs = floats(BATCH_N * c, &seed);
        for (int k = 0; k < KERNELS; k++) {
            if (only_kernel && strcmp(only_kernel, kernel_names[k]) != 0) continue;
            for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++) {
                size_t off = offsets[o];
                /* Calibrate: about 20 ms of calls per measurement, at least 3. */
                call(0, k, &p, off); call(1, k, &p, off);
                double one = time_calls(1, k, &p, off, 3);
                long reps = one > 0 ? (long)(0.02 / one) : 1000;
                if (reps < 3) reps = 3;
                double ratio[100], ts[100], tb[100];
                for (int round = 0; round < rounds; round++) {
                    /* Alternate which library goes first, so neither always runs on a cache the other warmed. */
                    int first = round & 1;
                    double a = time_calls(first, k, &p, off, reps), b = time_calls(1 - first, k, &p, off, reps);
                    double sbe = first == 0 ? a : b, blas = first == 0 ? b : a;
                    ratio[round] = sbe / blas; ts[round] = sbe; tb[round] = blas;
                }
                double lo = ratio[0], hi = ratio[0];
                for (int i = 1; i < rounds; i++) { if (ratio[i] < lo) lo = ratio[i]; if (ratio[i] > hi) hi = ratio[i]; }
                printf("| %s | %zux%zu | %zu | %.2f | %.2f-%.2f | %.3g us | %.3g us |\n", kernel_names[k], r, c, off * sizeof(float),
                       median(ratio, rounds), lo, hi, 1e6 * median(ts, rounds), 1e6 * median(tb, rounds));
                fflush(stdout);
            }
        }
        free(p.w); free(p.x); free(p.y); free(p.d); free(p.z); free(p.xs); free(p.ys); free(p.ds); free(p.zs);
    }

    /* Per-call overhead: a 1x1 gemv. */
    {
        problem p = {1, 1};
        p.w = floats(1, &seed); p.x = floats(1, &seed); p.y = floats(1, &seed);
        double ts[100], tb[100];
        for (int round = 0; round < rounds; round++) { ts[round] = time_calls(0, GEMV, &p, 0, 2000000); tb[round] = time_calls(1, GEMV, &p, 0, 2000000); }
        printf("\n1x1 gemv per call: SbeCore %.1f ns, OpenBLAS %.1f ns (medians of %d rounds)\n", 1e9 * median(ts, rounds), 1e9 * median(tb, rounds), rounds);
        free(p.w); free(p.x); free(p.y);
    }
    return 0;
}
