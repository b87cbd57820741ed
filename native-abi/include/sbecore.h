/*
 * sbecore.h: the C ABI of SbeCore (streaming batch eigenupdates for analog crossbar training).
 * Hand-written; every prototype is checked against the built library's exports by a CTest test.
 *
 * Conventions
 *  - Every function returns an sbe_status (0 = SBE_OK, negative = error) unless stated otherwise.
 *    On error the message is available through sbe_last_error() on the same thread.
 *  - Buffers are float32, row-major, passed with their length in elements; lengths must match the
 *    shapes exactly (except w_len of the kernels, which must cover the strided matrix). Every
 *    dimension must be >= 1 and the element count of any matrix at most SBE_MAX_ELEMENTS.
 *    Input data must be finite (NaN/Inf give SBE_E_NON_FINITE). Inputs and outputs must not overlap.
 *  - A rejected call (bad handle, size, length, struct or data) changes nothing: every check runs
 *    before any tile, estimator or caller buffer is touched.
 *  - Handles are opaque values, never pointers: a NULL, stale, double-freed, foreign or wrong-kind
 *    handle gives SBE_E_BAD_HANDLE. destroy(NULL) is a no-op that returns SBE_OK.
 *  - Config structs start with struct_size and version: set them to sizeof(the struct) and the
 *    matching SBE_*_VERSION macro.
 *  - Thread safety: kernels over caller buffers are thread-safe. A handle must not be used by two
 *    threads at once (different handles may be used concurrently).
 *  - The library is built with NativeAOT: it cannot be unloaded (dlclose does not unload it).
 */
#ifndef SBECORE_H
#define SBECORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SBE_ABI_VERSION_MAJOR 1
#define SBE_ABI_VERSION_MINOR 0
#define SBE_ABI_VERSION ((SBE_ABI_VERSION_MAJOR << 16) | SBE_ABI_VERSION_MINOR)

/* Largest element count of any matrix or batch buffer (2^26). */
#define SBE_MAX_ELEMENTS ((size_t)1 << 26)

#if defined(_WIN32)
#define SBE_API __declspec(dllimport)
#else
#define SBE_API
#endif

typedef enum sbe_status {
    SBE_OK = 0,
    SBE_E_NULL_POINTER = -1,     /* a required pointer was NULL */
    SBE_E_INVALID_ARGUMENT = -2, /* size, length, count or enum out of range or inconsistent */
    SBE_E_NON_FINITE = -3,       /* input data contains NaN or +-Inf */
    SBE_E_BAD_HANDLE = -4,       /* NULL, stale, double-freed, foreign or wrong-kind handle */
    SBE_E_BAD_STRUCT = -5,       /* config struct with unexpected struct_size or version */
    SBE_E_OUT_OF_MEMORY = -6,
    SBE_E_IO = -7,               /* file could not be read/written or is not valid */
    SBE_E_NOT_SUPPORTED = -8,    /* operation not available in this build */
    SBE_E_INVALID_STATE = -9,    /* the object is not in a state that allows the call */
    SBE_E_INTERNAL = -99         /* unexpected failure (a bug: report the message) */
} sbe_status;

/* Bits of sbe_isa(): which vector paths are live in the loaded flavour on this CPU. */
#define SBE_ISA_VECTOR128 0x01u
#define SBE_ISA_VECTOR256 0x02u
#define SBE_ISA_VECTOR512 0x04u
#define SBE_ISA_AVX2      0x08u
#define SBE_ISA_FMA       0x10u
#define SBE_ISA_AVX512F   0x20u
#define SBE_ISA_ADVSIMD   0x40u

/* Opaque handles. */
typedef struct sbe_tile sbe_tile_t;
typedef struct sbe_estimator sbe_estimator_t;

#define SBE_TILE_CONFIG_VERSION 1u
typedef struct sbe_tile_config {
    uint32_t struct_size; /* sizeof(sbe_tile_config_t) */
    uint32_t version;     /* SBE_TILE_CONFIG_VERSION */
    uint32_t rows;        /* outputs (a) */
    uint32_t cols;        /* inputs (b) */
    uint64_t seed;        /* hidden device parameters and noise are drawn from it */
} sbe_tile_config_t;

#define SBE_TILE_COUNTERS_VERSION 1u
typedef struct sbe_tile_counters {
    uint32_t struct_size; /* set by the caller: sizeof(sbe_tile_counters_t) */
    uint32_t version;     /* set by the caller: SBE_TILE_COUNTERS_VERSION */
    int64_t rank_one_writes;
} sbe_tile_counters_t;

typedef enum sbe_initialization {
    SBE_INIT_GAUSSIAN = 0,     /* X, D drawn from N(0, I) with the seed (the paper's choice) */
    SBE_INIT_FIRST_SAMPLE = 1  /* X = x, D = delta of the first observed sample */
} sbe_initialization;

typedef enum sbe_magnitude {
    SBE_MAGNITUDE_RUNNING_MEAN = 0, /* the paper's running mean of q * r */
    SBE_MAGNITUDE_RIGHT_NORM = 1,   /* |X|, the norm of the unnormalised right vector */
    SBE_MAGNITUDE_RAYLEIGH = 2      /* reported as the running mean by estimate; a caller replays the batch */
} sbe_magnitude;

#define SBE_ESTIMATOR_CONFIG_VERSION 1u
typedef struct sbe_estimator_config {
    uint32_t struct_size;       /* sizeof(sbe_estimator_config_t) */
    uint32_t version;           /* SBE_ESTIMATOR_CONFIG_VERSION */
    uint32_t rows;              /* a: length of delta */
    uint32_t cols;              /* b: length of x */
    uint32_t rank;              /* k >= 1, <= min(rows, cols) */
    uint32_t sub_batch;         /* m >= 1: samples per bi-iteration step for rank k (1 = fully streaming) */
    uint64_t seed;              /* the Gaussian initial X, D are drawn from it */
    uint32_t initialization;    /* sbe_initialization */
    uint32_t magnitude;         /* sbe_magnitude */
    uint32_t division_free;     /* 0 or 1: the Oja/Hebbian form (rank 1, sub_batch 1 only) */
    uint32_t quantization_bits; /* 0 = float32 state, else 2..24 bits */
    float oja_rate;             /* xi in (0, 1) for division_free (0 selects the default 0.01) */
    uint32_t reserved;          /* must be 0 */
} sbe_estimator_config_t;

/* ---- library ---- */
SBE_API int32_t sbe_abi_version(void); /* (major << 16) | minor; refuse a different major */
SBE_API uint32_t sbe_isa(void);        /* SBE_ISA_* bits */
/* Copies this thread's last error message (NUL-terminated, truncated to cap - 1 bytes) into buf;
   returns the message's full length in bytes (call with buf NULL, cap 0 to size a buffer). */
SBE_API size_t sbe_last_error(char *buf, size_t cap);
SBE_API void sbe_clear_error(void);
SBE_API int sbe_live_handles(size_t *tiles, size_t *estimators, size_t *networks);

/* ---- kernels over caller buffers (thread-safe). W: rows x cols, row stride >= cols,
   w_len >= (rows - 1) * stride + cols. ---- */
SBE_API int sbe_gemv(const float *w, size_t w_len, size_t rows, size_t cols, size_t stride,
                     const float *x, size_t x_len, float *y, size_t y_len);              /* y = W x */
SBE_API int sbe_gemv_t(const float *w, size_t w_len, size_t rows, size_t cols, size_t stride,
                       const float *d, size_t d_len, float *z, size_t z_len);            /* z = W^T d */
SBE_API int sbe_ger(float alpha, const float *u, size_t u_len, const float *v, size_t v_len,
                    float *w, size_t w_len, size_t rows, size_t cols, size_t stride);    /* W += alpha u v^T */
SBE_API int sbe_batch_read(const float *w, size_t w_len, size_t rows, size_t cols, size_t stride,
                           const float *x, size_t x_len, size_t n, float *y, size_t y_len);   /* Y(n x rows) = X(n x cols) W^T */
SBE_API int sbe_batch_read_t(const float *w, size_t w_len, size_t rows, size_t cols, size_t stride,
                             const float *d, size_t d_len, size_t n, float *z, size_t z_len); /* Z(n x cols) = D(n x rows) W */

/* ---- tile: one crossbar array ---- */
SBE_API int sbe_tile_create(const sbe_tile_config_t *config, sbe_tile_t **out);
SBE_API int sbe_tile_destroy(sbe_tile_t *tile);
SBE_API int sbe_tile_shape(const sbe_tile_t *tile, size_t *rows, size_t *cols);
SBE_API int sbe_tile_read(sbe_tile_t *tile, const float *inputs, size_t inputs_len, size_t n,
                          float *outputs, size_t outputs_len);   /* outputs(n x rows) = inputs(n x cols) W^T */
SBE_API int sbe_tile_read_t(sbe_tile_t *tile, const float *errors, size_t errors_len, size_t n,
                            float *outputs, size_t outputs_len); /* outputs(n x cols) = errors(n x rows) W */
SBE_API int sbe_tile_write(sbe_tile_t *tile, float learning_rate, const float *d, size_t d_len,
                           const float *x, size_t x_len);        /* W -= learning_rate d x^T (one rank-1 write) */
SBE_API int sbe_tile_write_rank_k(sbe_tile_t *tile, float learning_rate, const float *s, size_t k,
                                  const float *d, size_t d_len, const float *x, size_t x_len); /* k rank-1 writes */
SBE_API int sbe_tile_get_weights(const sbe_tile_t *tile, float *weights, size_t weights_len);
SBE_API int sbe_tile_set_weights(sbe_tile_t *tile, const float *weights, size_t weights_len);
SBE_API int sbe_tile_get_counters(const sbe_tile_t *tile, sbe_tile_counters_t *counters);
SBE_API int sbe_tile_save(const sbe_tile_t *tile, const char *path); /* UTF-8 path */
SBE_API int sbe_tile_load(const char *path, sbe_tile_t **out);

/* ---- estimator: streaming top-k triplets of a batch-mean gradient (SBE) ---- */
SBE_API int sbe_estimator_create(const sbe_estimator_config_t *config, sbe_estimator_t **out);
SBE_API int sbe_estimator_destroy(sbe_estimator_t *estimator);
SBE_API int sbe_estimator_shape(const sbe_estimator_t *estimator, size_t *rows, size_t *cols, size_t *rank);
SBE_API int sbe_estimator_observe(sbe_estimator_t *estimator, const float *delta, size_t delta_len,
                                  const float *x, size_t x_len);
SBE_API int sbe_estimator_observe_batch(sbe_estimator_t *estimator, const float *deltas, size_t deltas_len,
                                        const float *xs, size_t xs_len, size_t n);
/* Closes the batch: s (rank), d (rank x rows, unit rows), x (rank x cols, unit rows), M ~ sum_c s_c d_c x_c^T.
   The state stays as the next batch's warm start. */
SBE_API int sbe_estimator_estimate(sbe_estimator_t *estimator, float *s, size_t s_len, float *d, size_t d_len,
                                   float *x, size_t x_len);
SBE_API int sbe_estimator_reset(sbe_estimator_t *estimator);

/* ---- choosing a flavour (header-only helper: the library cannot be asked before it is loaded) ----
   A flavour built for a higher ISA level aborts on a CPU that lacks it, so load
   <dir>/<sbe_recommended_flavour()>/SbeCore.Native.so. */
static inline const char *sbe_recommended_flavour(void)
{
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2") &&
        __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2"))
        return "x86-64-v4";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
        __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
        __builtin_cpu_supports("f16c") && __builtin_cpu_supports("movbe") &&
        __builtin_cpu_supports("lzcnt"))
        return "x86-64-v3";
    return "x86-64-v2";
#else
    return "x86-64-v2";
#endif
}

#ifdef __cplusplus
}
#endif
#endif /* SBECORE_H */
