/* Loads one flavour (one per process: a NativeAOT library cannot be unloaded) and checks that sbe_isa
   reports the vector width the flavour was built for and that its kernels compute correctly.
   Exit 77 (skipped) when this CPU cannot run the flavour. */
#include <dlfcn.h>
#include <stdlib.h>
#include "test_util.h"

static int level(const char *flavour) /* x86-64 level, or 0 for the aarch64 build */
{
    return strcmp(flavour, "linux-arm64") == 0 ? 0 : strcmp(flavour, "x86-64-v4") == 0 ? 4 : strcmp(flavour, "x86-64-v3") == 0 ? 3 : 2;
}

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: test_flavour library.so flavour\n"); return 2; }
    const char *path = argv[1], *flavour = argv[2];
    if ((level(flavour) == 0) != (level(sbe_recommended_flavour()) == 0) || level(flavour) > level(sbe_recommended_flavour())) {
        printf("this CPU runs up to %s: %s skipped\n", sbe_recommended_flavour(), flavour);
        return 77;
    }
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "dlopen %s: %s\n", path, dlerror()); return 1; }
    int32_t (*abi)(void) = (int32_t (*)(void))dlsym(lib, "sbe_abi_version");
    uint32_t (*isa)(void) = (uint32_t (*)(void))dlsym(lib, "sbe_isa");
    int (*gemv)(const float *, size_t, size_t, size_t, size_t, const float *, size_t, float *, size_t) =
        (int (*)(const float *, size_t, size_t, size_t, size_t, const float *, size_t, float *, size_t))dlsym(lib, "sbe_gemv");
    if (!abi || !isa || !gemv) { fprintf(stderr, "missing symbols in %s\n", path); return 1; }

    CHECK((abi() >> 16) == SBE_ABI_VERSION_MAJOR, "ABI major %d, header %d", abi() >> 16, SBE_ABI_VERSION_MAJOR);
    uint32_t bits = isa();
    printf("%s: sbe_isa = 0x%x\n", flavour, bits);
    CHECK(bits & SBE_ISA_VECTOR128, "Vector128 not live");
    switch (level(flavour)) {
    case 0: CHECK((bits & SBE_ISA_ADVSIMD) && !(bits & SBE_ISA_VECTOR256), "aarch64 must run NEON (AdvSimd) 128-bit paths"); break;
    case 2: CHECK(!(bits & SBE_ISA_VECTOR256) && !(bits & SBE_ISA_VECTOR512), "v2 must run 128-bit paths only"); break;
    case 3: CHECK((bits & SBE_ISA_VECTOR256) && (bits & SBE_ISA_AVX2) && (bits & SBE_ISA_FMA) && !(bits & SBE_ISA_VECTOR512),
                  "v3 must run 256-bit paths (AVX2, FMA) and not 512"); break;
    case 4: CHECK((bits & SBE_ISA_VECTOR512) && (bits & SBE_ISA_AVX512F), "v4 must run 512-bit paths"); break;
    }

    /* Kernels of this flavour against a double reference, sizes that hit every remainder. */
    test_rng rng = { 42 };
    for (size_t rows = 1; rows <= 37; rows += 3)
        for (size_t cols = 1; cols <= 70; cols += 7) {
            size_t stride = cols + rows % 3;
            size_t wlen = (rows - 1) * stride + cols;
            float *w = malloc(wlen * sizeof *w), *x = malloc(cols * sizeof *x), *y = malloc(rows * sizeof *y);
            for (size_t i = 0; i < wlen; i++) w[i] = rng_uniform(&rng);
            for (size_t i = 0; i < cols; i++) x[i] = rng_uniform(&rng);
            int st = gemv(w, wlen, rows, cols, stride, x, cols, y, rows);
            CHECK(st == 0, "gemv %zux%zu returned %d", rows, cols, st);
            for (size_t r = 0; r < rows; r++) {
                double ref = 0, mag = 0;
                for (size_t c = 0; c < cols; c++) { ref += (double)w[r * stride + c] * x[c]; mag += fabs((double)w[r * stride + c] * x[c]); }
                CHECK(fabs(y[r] - ref) <= 1e-6 * (mag + 1) * cols, "gemv %zux%zu row %zu: %g vs %g", rows, cols, r, y[r], ref);
            }
            free(w); free(x); free(y);
        }
    return test_summary(flavour);
}
