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
 *    threads at once (different handles may be used concurrently). Such use is detected, not undefined:
 *    a call that finds its handle in use by another call returns SBE_E_BUSY and does nothing (ABI 1.2).
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
#define SBE_ABI_VERSION_MINOR 9
#define SBE_ABI_VERSION ((SBE_ABI_VERSION_MAJOR << 16) | SBE_ABI_VERSION_MINOR)
/* ABI history (a minor bump only adds; binaries built against an older minor keep working):
   1.0  first release.
   1.1  sbe_tile_config_preset (a device preset by name); sbe_estimator_config_t.stochastic_rounding, carved from the
        field that 1.0 called reserved (must be 0): same size, same SBE_ESTIMATOR_CONFIG_VERSION, and 0 keeps 1.0's
        behaviour. A 1.0 library rejects stochastic_rounding = 1 (SBE_E_INVALID_ARGUMENT), so check
        sbe_abi_version() >= SBE_ABI_VERSION before relying on 1.1. Source change: code that assigned .reserved of
        sbe_estimator_config_t must now name the field stochastic_rounding.
   1.2  SBE_E_BUSY: a handle used by two threads at once is detected (the later call returns SBE_E_BUSY and does
        nothing) instead of racing on the object's state.
   1.3  Device configs as data: sbe_config_t (every device, update and I/O parameter by aihwkit name, or JSON),
        sbe_tile_create_with_config, sbe_tile_get_config, sbe_network_create_with_config, sbe_network_get_layer_config;
        sbe_tile_write_dense, sbe_estimator_get_state/set_state; sbe_tile_post_update_step; SBE_METHOD_SBPCA/LRT;
        sbe_network_create_layers (convolutional networks from an architecture string), sbe_network_layer_shape.
   1.4  sbe_version (the package version string; the library's SONAME is libsbecore.so.<ABI major>).
   1.5  sbe_method_names, sbe_method_by_name, sbe_method_label: the update methods listed and resolved by name;
        sbe_device_names: the preset names in sbe_device order.
   1.6  Whole-network checkpoints: sbe_network_save, sbe_network_load, sbe_network_completed_epochs.
   1.7  Layers driven call by call (sbe_layer_*: forward, backward, update, with row strides); rule options
        (sbe_rule_options_t: estimator magnitudes incl. SBE_MAGNITUDE_START_RAYLEIGH, initial state, quantisation,
        cold start, SBPCA's schedule) for networks (sbe_network_create_ex, sbe_network_get_rule_options) and layers.
   1.8  sbe_tile_set_threads/get_threads, sbe_network_set_threads/get_threads: pulsed writes over several threads.
   1.9  sbe_tile_read_columns, sbe_tile_read_t_columns: reads of per-sample column blocks (convolutions). */

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
    SBE_E_BUSY = -10,            /* the handle is in use by a call on another thread; nothing was done (1.2) */
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
typedef struct sbe_network sbe_network_t;
typedef struct sbe_config sbe_config_t; /* a tile config: device, update and I/O parameters (1.3) */

/* Device presets (aihwkit names; see DEVICES.md). IDEAL: exact float updates and reads. The others come with
   aihwkit's preset update (stochastic pulses, BL 31, update management) and preset I/O (7-bit DAC, 9-bit ADC).
   Each value stands for the preset name in its comment; the library resolves that name with the same lookup as
   sbe_tile_config_preset, which sets this field from a name. */
typedef enum sbe_device {
    SBE_DEVICE_IDEAL = 0,          /* "Ideal" */
    SBE_DEVICE_IDEALIZED = 1,      /* "Idealized" */
    SBE_DEVICE_GOKMEN_VLASOV = 2,  /* "GokmenVlasov" */
    SBE_DEVICE_CAPACITOR = 3,      /* "Capacitor" */
    SBE_DEVICE_ECRAM = 4,          /* "EcRam" */
    SBE_DEVICE_RERAM_SB = 5,       /* "ReRamSB" */
    SBE_DEVICE_RERAM_ES = 6,       /* "ReRamES" */
    SBE_DEVICE_PCM = 7,            /* "PCM": a refreshed pair of one-sided PCM devices (aihwkit PCMPresetUnitCell) */
    SBE_DEVICE_ECRAM_MO = 8,       /* "EcRamMO" */
    SBE_DEVICE_TIKI_TAKA_ECRAM = 9,   /* "TikiTakaEcRam": Tiki-Taka transfer compound of two EcRam devices (aihwkit TikiTakaEcRamPreset) */
    SBE_DEVICE_TIKI_TAKA_RERAM_SB = 10 /* "TikiTakaReRamSB": the same with two ReRamSB devices (aihwkit TikiTakaReRamSBPreset) */
} sbe_device;
/* The preset names, '\n'-separated in ascending sbe_device order (text out-parameter, as sbe_method_names). (1.5) */
SBE_API int sbe_device_names(char *buffer, size_t capacity, size_t *length);

typedef enum sbe_pulse_type {
    SBE_PULSE_DEFAULT = 0,                /* the preset's */
    SBE_PULSE_NONE = 1,                   /* exact float update, then clip to the device bounds */
    SBE_PULSE_STOCHASTIC_COMPRESSED = 2,  /* stochastic pulse trains, a coincidence is one pulse */
    SBE_PULSE_DETERMINISTIC_IMPLICIT = 3  /* round(BL p_x p_d) pulses, no randomness */
} sbe_pulse_type;

typedef enum sbe_io {
    SBE_IO_DEFAULT = 0,  /* the preset's (exact for SBE_DEVICE_IDEAL) */
    SBE_IO_PERFECT = 1,  /* exact reads */
    SBE_IO_PRESET = 2    /* 7-bit DAC, 9-bit ADC, out_bound 20, out_noise 0.1, both directions */
} sbe_io;

#define SBE_TILE_CONFIG_VERSION 1u
typedef struct sbe_tile_config {
    uint32_t struct_size; /* sizeof(sbe_tile_config_t) */
    uint32_t version;     /* SBE_TILE_CONFIG_VERSION */
    uint32_t rows;        /* outputs (a) */
    uint32_t cols;        /* inputs (b) */
    uint64_t seed;        /* hidden device parameters and noise are drawn from it */
    uint32_t device;      /* sbe_device */
    uint32_t pulse_type;  /* sbe_pulse_type */
    uint32_t desired_bl;  /* pulse-train length 1..1024, 0 = the preset's */
    uint32_t io;          /* sbe_io */
} sbe_tile_config_t;

#define SBE_TILE_COUNTERS_VERSION 1u
typedef struct sbe_tile_counters {
    uint32_t struct_size; /* set by the caller: sizeof(sbe_tile_counters_t) */
    uint32_t version;     /* set by the caller: SBE_TILE_COUNTERS_VERSION */
    int64_t rank_one_writes;        /* outer-product writes issued (the paper's "matrix updates") */
    int64_t total_pulses;           /* pulses over all devices (0 for an ideal device) */
    int64_t clipped_pulses;         /* pulses cut short by a bound */
    int64_t max_pulses_per_device;  /* endurance: the most-pulsed device */
} sbe_tile_counters_t;

typedef enum sbe_initialization {
    SBE_INIT_GAUSSIAN = 0,     /* X, D drawn from N(0, I) with the seed (the paper's choice) */
    SBE_INIT_FIRST_SAMPLE = 1  /* X = x, D = delta of the first observed sample */
} sbe_initialization;

typedef enum sbe_magnitude {
    SBE_MAGNITUDE_RUNNING_MEAN = 0, /* the paper's running mean of q * r */
    SBE_MAGNITUDE_RIGHT_NORM = 1,   /* |X|, the norm of the unnormalised right vector */
    SBE_MAGNITUDE_RAYLEIGH = 2,     /* reported as the running mean by estimate; a caller replays the batch */
    SBE_MAGNITUDE_START_RAYLEIGH = 3 /* rule options only (1.7): write along the batch's start vectors with their exact
                                        quotients (single pass); an estimator handle refuses it */
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
    uint32_t stochastic_rounding; /* ABI 1.1 (1.0: reserved, must be 0). 0: round the quantised state to nearest;
                                   1: round stochastically (needs quantization_bits 2..24; other values are rejected).
                                   The random draws come from the estimator's own generator, seeded with seed (the
                                   stream that also draws the Gaussian start): the same seed and samples give
                                   bit-identical estimates, and sbe_estimator_reset replays the same draws. */
} sbe_estimator_config_t;

/* ---- library ---- */
SBE_API int32_t sbe_abi_version(void); /* (major << 16) | minor; refuse a different major */
SBE_API uint32_t sbe_isa(void);        /* SBE_ISA_* bits */
/* The package version ("1.1.0": the same as the NuGet package, `sbe --version` and Python's sbecore.__version__;
   its major is the SONAME's, libsbecore.so.MAJOR), NUL-terminated, owned by the library. */
SBE_API const char *sbe_version(void);
/* Copies this thread's last error message (NUL-terminated, truncated to cap - 1 bytes on a UTF-8 character
   boundary) into buf; every cap >= 1 gets the terminator (cap 1: an empty string). Returns the message's full
   length in bytes whatever cap is (call with buf NULL, cap 0 to size a buffer). */
SBE_API size_t sbe_last_error(char *buf, size_t cap);
SBE_API void sbe_clear_error(void);
SBE_API int sbe_live_handles(size_t *tiles, size_t *estimators, size_t *networks); /* any pointer may be NULL */
/* Managed bytes allocated so far on the calling thread: the difference over a loop of calls shows whether they
   allocate (steady-state tile, estimator and kernel calls allocate nothing). */
SBE_API uint64_t sbe_diag_allocated_bytes(void);

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
/* ABI 1.1. Sets config->device to the preset called name (UTF-8; case, '-' and '_' are ignored, so "reram-sb" and
   "RERAM_SB" are ReRamSB; accepted: Ideal, Idealized, GokmenVlasov, Capacitor, EcRam, ReRamSB, ReRamES, PCM) and
   pulse_type, desired_bl and io to 0 (the preset's own). The caller sets struct_size and version first; rows, cols
   and seed are left as they are. NULL name or config: SBE_E_NULL_POINTER; unknown name: SBE_E_INVALID_ARGUMENT
   (sbe_last_error lists the accepted names); a wrong struct_size/version: SBE_E_BAD_STRUCT. On failure *config is
   unchanged. */
SBE_API int sbe_tile_config_preset(const char *name, sbe_tile_config_t *config);
SBE_API int sbe_tile_shape(const sbe_tile_t *tile, size_t *rows, size_t *cols);
SBE_API int sbe_tile_read(sbe_tile_t *tile, const float *inputs, size_t inputs_len, size_t n,
                          float *outputs, size_t outputs_len);   /* outputs(n x rows) = inputs(n x cols) W^T */
SBE_API int sbe_tile_read_t(sbe_tile_t *tile, const float *errors, size_t errors_len, size_t n,
                            float *outputs, size_t outputs_len); /* outputs(n x cols) = errors(n x rows) W */
/* ABI 1.9. Reads of n samples of `positions` vectors each, stored as the columns of a per-sample block (a convolution's
   unfolded input, im2col as PyTorch lays it out, and its channel-major output): vector p of sample j is column p of
   block j. The same outputs as sbe_tile_read / sbe_tile_read_t of the n x positions vectors (with a perfect I/O model up
   to float rounding: one product per sample; through an I/O model bit for bit: the vectors go to the same reader).
   positions = 0: SBE_E_INVALID_ARGUMENT. */
SBE_API int sbe_tile_read_columns(sbe_tile_t *tile, const float *inputs, size_t inputs_len, size_t n, size_t positions,
                                  float *outputs, size_t outputs_len);   /* inputs n x cols x P -> outputs n x rows x P */
SBE_API int sbe_tile_read_t_columns(sbe_tile_t *tile, const float *errors, size_t errors_len, size_t n, size_t positions,
                                    float *outputs, size_t outputs_len); /* errors n x rows x P -> outputs n x cols x P */
SBE_API int sbe_tile_write(sbe_tile_t *tile, float learning_rate, const float *d, size_t d_len,
                           const float *x, size_t x_len);        /* W -= learning_rate d x^T (one rank-1 write) */
SBE_API int sbe_tile_write_rank_k(sbe_tile_t *tile, float learning_rate, const float *s, size_t k,
                                  const float *d, size_t d_len, const float *x, size_t x_len); /* k rank-1 writes */
/* Once per optimizer step (mini-batch), after its writes, as aihwkit's analog optimizer calls post_update_step:
   a one-sided unit cell (SBE_DEVICE_PCM) refreshes saturated pairs, then weights diffuse and decay (lifetime).
   A network's train_batch does this itself. */
SBE_API int sbe_tile_post_update_step(sbe_tile_t *tile);
/* Threads a tile's work may split over, 1 to 64 (default 1): pulsed writes by rows, reads by rows, columns or groups of
   16 inputs (with an I/O model), an ideal dense write and a mini-batch gradient by rows. Outputs, weights and counters are
   the same bits for every value: each group of 64 rows of a write, and each group of 16 inputs of a read, draws its own
   random numbers. A write splits only when each thread gets at least 65,536 device visits (rows x firing columns), a
   read or gradient at 2^22 multiply-adds. sbe_network_set_threads sets every tile of a network. */
SBE_API int sbe_tile_set_threads(sbe_tile_t *tile, uint32_t threads);
SBE_API int sbe_tile_get_threads(const sbe_tile_t *tile, uint32_t *threads);
SBE_API int sbe_tile_get_weights(const sbe_tile_t *tile, float *weights, size_t weights_len);
SBE_API int sbe_tile_set_weights(sbe_tile_t *tile, const float *weights, size_t weights_len);
SBE_API int sbe_tile_get_counters(const sbe_tile_t *tile, sbe_tile_counters_t *counters);
SBE_API int sbe_tile_get_pulses(const sbe_tile_t *tile, int64_t *pulses, size_t pulses_len); /* per device, rows x cols */
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
/* Second pass for SBE_MAGNITUDE_RAYLEIGH: s_c = d_c^T M x_c over the same batch with the directions of the last
   estimate (call after sbe_estimator_estimate); the state is not changed. */
SBE_API int sbe_estimator_replay_magnitudes(sbe_estimator_t *estimator, const float *deltas, size_t deltas_len,
                                            const float *xs, size_t xs_len, size_t n, float *s, size_t s_len);
/* Exact top-k singular triplets of M = (1/n) sum_j delta_j x_j^T without forming M:
   s descending >= 0, d (k x rows) and x (k x cols) unit rows. For comparisons with the streamed estimate. */
SBE_API int sbe_batch_svd(const float *deltas, size_t deltas_len, const float *xs, size_t xs_len, size_t n,
                          size_t rows, size_t cols, float *s, size_t k, float *d, size_t d_len, float *x, size_t x_len);

/* ---- network: an MLP of crossbar tiles (softmax cross-entropy output), trained by one update method ---- */
typedef enum sbe_activation { SBE_ACTIVATION_RELU = 0, SBE_ACTIVATION_SIGMOID = 1 } sbe_activation;
typedef enum sbe_method {
    SBE_METHOD_SGD = 0,           /* a rank-1 write per sample */
    SBE_METHOD_MINIBATCH = 1,     /* dense batch-mean gradient (a*b buffer) */
    SBE_METHOD_TRUNCATED_SVD = 2, /* exact top-k of the batch-mean gradient, k rank-1 writes */
    SBE_METHOD_SBE = 3,           /* streaming batch eigenupdate, k rank-1 writes */
    SBE_METHOD_SBPCA = 4,         /* streaming batch PCA (sub_batch samples per QR power step), k rank-1 writes */
    SBE_METHOD_LRT = 5            /* low-rank training (per-sample rank-k SVD update), k rank-1 writes */
} sbe_method;
/* The methods by name, as the library's rule registry declares them (the same names as the `sbe` CLI and Python).
   sbe_method_names: the canonical names, '\n'-separated in ascending sbe_method order (text out-parameter: *length
   gets the byte count without the NUL; buffer NULL and capacity 0 only ask for it; a buffer too small is refused).
   sbe_method_by_name: the sbe_method of a name or alias ("svd", "truncated-svd", "mbgd"; case-insensitive);
   SBE_E_INVALID_ARGUMENT for an unknown name (sbe_last_error lists the names), *method unchanged.
   sbe_method_label: the label of a method at rank k >= 1 ("sgd", "svd-2", "sbe-1"), as sweeps and reports write it.
   (1.5) */
SBE_API int sbe_method_names(char *buffer, size_t capacity, size_t *length);
SBE_API int sbe_method_by_name(const char *name, uint32_t *method);
SBE_API int sbe_method_label(uint32_t method, uint32_t rank, char *buffer, size_t capacity, size_t *length);

#define SBE_NETWORK_CONFIG_VERSION 1u
typedef struct sbe_network_config {
    uint32_t struct_size;         /* sizeof(sbe_network_config_t) */
    uint32_t version;             /* SBE_NETWORK_CONFIG_VERSION */
    const uint32_t *layer_sizes;  /* neurons per layer, input first, classes last: e.g. {784, 100, 10} */
    uint32_t layer_count;         /* entries in layer_sizes, 2..64 */
    uint32_t activation;          /* sbe_activation of the hidden layers */
    uint32_t method;              /* sbe_method */
    uint32_t rank;                /* k for TRUNCATED_SVD and SBE (>= 1) */
    uint32_t sub_batch;           /* m for rank-k SBE (>= 1) */
    uint32_t reserved;            /* must be 0 */
    uint64_t seed;                /* initial weights (He-normal), device draws, estimators */
    sbe_tile_config_t tile;       /* device of every layer; struct_size/version set, rows = cols = 0 */
} sbe_network_config_t;

#define SBE_EPOCH_METRICS_VERSION 1u
typedef struct sbe_epoch_metrics {
    uint32_t struct_size;         /* set by the caller */
    uint32_t version;             /* set by the caller: SBE_EPOCH_METRICS_VERSION */
    int64_t samples;
    int64_t batches;
    int64_t rank_one_writes;      /* cumulative over all tiles */
    double mean_training_loss;    /* mean cross-entropy of the batches before their updates */
    double seconds;
} sbe_epoch_metrics_t;

#define SBE_EVALUATION_VERSION 1u
typedef struct sbe_evaluation {
    uint32_t struct_size;         /* set by the caller */
    uint32_t version;             /* set by the caller: SBE_EVALUATION_VERSION */
    int64_t samples;
    double loss;                  /* mean cross-entropy */
    double accuracy;              /* fraction correct, 0..1 */
} sbe_evaluation_t;

/* images: n x inputs float32 (MNIST: values in [0, 1]); labels: n class indices in [0, classes). */
SBE_API int sbe_network_create(const sbe_network_config_t *config, sbe_network_t **out);
SBE_API int sbe_network_destroy(sbe_network_t *network);
SBE_API int sbe_network_shape(const sbe_network_t *network, size_t *inputs, size_t *classes, size_t *layers);
/* One epoch, shuffled with shuffle_seed, in batches of batch_size (the last may be smaller). metrics may be NULL. */
SBE_API int sbe_network_train_epoch(sbe_network_t *network, const float *images, size_t images_len, const int32_t *labels,
                                    size_t n, size_t batch_size, float learning_rate, uint64_t shuffle_seed,
                                    sbe_epoch_metrics_t *metrics);
/* One batch (one weight update) on the n samples in order; *loss (may be NULL): the mean loss before the update. */
SBE_API int sbe_network_train_batch(sbe_network_t *network, const float *images, size_t images_len, const int32_t *labels,
                                    size_t n, float learning_rate, double *loss);
SBE_API int sbe_network_evaluate(sbe_network_t *network, const float *images, size_t images_len, const int32_t *labels,
                                 size_t n, sbe_evaluation_t *result);
SBE_API int sbe_network_predict(sbe_network_t *network, const float *images, size_t images_len, size_t n,
                                float *probabilities, size_t probabilities_len);       /* n x classes */
/* Weights of one layer: rows = outputs, cols = inputs + 1 (the last column is the bias). */
SBE_API int sbe_network_get_weights(const sbe_network_t *network, size_t layer, float *weights, size_t weights_len);

/* ---- device configs as data (1.3; docs/crossbar.md "Configs as data") ----
   A config holds a whole tile config: the device model (incl. a unit cell and its device), the update (pulse) settings
   and the forward/backward I/O, every parameter under its aihwkit name. Paths: device.type, device.dw_min,
   device.unit_cell_devices.w_max, device.refresh_forward.out_noise, update.desired_bl, forward.out_noise, ...; a bare
   name (dw_min) is the device's (a unit cell's device's). Values are text: numbers in C locale ("0.002", "inf"),
   true/false, enum names (StochasticCompressed; case and '_' ignored). device.type=LinearStepDevice swaps the model
   (its parameters take the new model's defaults). A set is validated against the whole config; on failure
   (unknown name, wrong type, out of range: the message names the parameter) nothing changes.
   Text out (get/json/names/schema): *length receives the UTF-8 byte count without the NUL; buffer NULL with
   capacity 0 only asks for it; a capacity below length + 1 is refused (SBE_E_INVALID_ARGUMENT, nothing written). */
SBE_API int sbe_config_create(const char *preset, sbe_config_t **out);  /* preset name, NULL or "" = ideal */
SBE_API int sbe_config_from_json(const char *json, sbe_config_t **out);
SBE_API int sbe_config_destroy(sbe_config_t *config);
SBE_API int sbe_config_set(sbe_config_t *config, const char *name, const char *value);
SBE_API int sbe_config_get(const sbe_config_t *config, const char *name, char *buffer, size_t capacity, size_t *length);
SBE_API int sbe_config_json(const sbe_config_t *config, char *buffer, size_t capacity, size_t *length);
SBE_API int sbe_config_names(const sbe_config_t *config, char *buffer, size_t capacity, size_t *length); /* '\n'-separated */
SBE_API int sbe_config_schema(char *buffer, size_t capacity, size_t *length); /* JSON: every model's parameters */
SBE_API int sbe_tile_create_with_config(const sbe_config_t *config, size_t rows, size_t cols, uint64_t seed, sbe_tile_t **out);
SBE_API int sbe_tile_get_config(const sbe_tile_t *tile, sbe_config_t **out);  /* a new handle: the tile's config */
/* Like sbe_network_create with every layer's tile from device (config->tile is ignored and may be zeroed). */
SBE_API int sbe_network_create_with_config(const sbe_network_config_t *config, const sbe_config_t *device, sbe_network_t **out);
SBE_API int sbe_network_get_layer_config(const sbe_network_t *network, size_t layer, sbe_config_t **out);
/* W -= learning_rate * g (g: rows x cols), element-wise as a mini-batch buffer applies it (pulsed devices: |lr g_ij| / dw_min
   pulses each); counts rank_one_equivalent rank-1 writes (1.3). */
SBE_API int sbe_tile_write_dense(sbe_tile_t *tile, float learning_rate, const float *g, size_t g_len, uint64_t rank_one_equivalent);
/* An estimator's evolving state as an opaque blob, to checkpoint a run (1.3). get: *length gets the size; buffer NULL with
   capacity 0 only asks for it. set: only a blob of an estimator with the same shape, options and seed is accepted (the
   estimator then continues bit-identically); anything else gives SBE_E_INVALID_ARGUMENT and changes nothing. */
SBE_API int sbe_estimator_get_state(const sbe_estimator_t *estimator, uint8_t *buffer, size_t capacity, size_t *length);
SBE_API int sbe_estimator_set_state(sbe_estimator_t *estimator, const uint8_t *state, size_t length);
/* A network built from layers: config as for sbe_network_create with layer_sizes = {features, classes} and
   architecture a NUL-terminated UTF-8 spec, e.g. "lenet5" or "conv6k5p2-pool2-conv16k5-pool2-fc120-fc84"
   (convCkK[sS][pP], maxpoolK, avgpoolK, fcN; ReLU/sigmoid after every conv and hidden fc; the output fc is appended;
   images are channel-major, 1 x s x s for s*s features unless the spec leads with CxHxW). See docs/cnn.md. */
SBE_API int sbe_network_create_layers(const sbe_network_config_t *config, const char *architecture, sbe_network_t **out);
/* Tile shape of layer (0 = first weight layer): rows = outputs or output channels, cols = inputs + 1 (bias). */
SBE_API int sbe_network_layer_shape(const sbe_network_t *network, size_t layer, size_t *rows, size_t *cols);
/* Whole-network checkpoints (1.6): save writes the network (options, every tile with its device state and random
   streams, every rule's state, completed epochs) to a UTF-8 path atomically; load creates a network that continues
   bit-identically. A truncated, corrupt or foreign file, a directory or special file gives SBE_E_IO. completed_epochs
   counts sbe_network_train_epoch calls (kept by checkpoints): resume the shuffle-seed sequence from there. */
SBE_API int sbe_network_save(const sbe_network_t *network, const char *path);
SBE_API int sbe_network_load(const char *path, sbe_network_t **out);
SBE_API int sbe_network_completed_epochs(const sbe_network_t *network, uint64_t *epochs);

/* ---- rule options and layers (1.7) ---- */
typedef struct sbe_layer sbe_layer_t;

/* The update rule's options beyond method, rank and sub_batch. A zeroed struct (with struct_size and version set) is
   the defaults, the same as passing NULL. Estimator options are read by SBE_METHOD_SBE only, published_schedule by
   SBE_METHOD_SBPCA only: a non-default value for another method is refused (SBE_E_INVALID_ARGUMENT). */
#define SBE_RULE_OPTIONS_VERSION 1u
typedef struct sbe_rule_options {
    uint32_t struct_size;         /* sizeof(sbe_rule_options_t) */
    uint32_t version;             /* SBE_RULE_OPTIONS_VERSION */
    uint32_t initialization;      /* sbe_initialization */
    uint32_t magnitude;           /* sbe_magnitude (START_RAYLEIGH included) */
    uint32_t division_free;       /* 0 or 1: the Oja/Hebbian form (rank 1, sub_batch 1 only) */
    uint32_t quantization_bits;   /* 0 = float32 state, else 2..24 */
    float oja_rate;               /* xi in (0, 1) for division_free (0 selects the default 0.01) */
    uint32_t stochastic_rounding; /* 0 or 1 (needs quantization_bits 2..24) */
    uint32_t cold_start;          /* 0: the estimator's state is the next batch's warm start (the paper's); 1: reset per batch */
    uint32_t published_schedule;  /* SBPCA: 1 = the authors' schedule (whole sub-batches only) */
} sbe_rule_options_t;

/* sbe_network_create with rule options (NULL: the defaults), every tile from device when it is not NULL (config->tile
   is then ignored) and the layers of architecture when it is not NULL (as sbe_network_create_layers). */
SBE_API int sbe_network_create_ex(const sbe_network_config_t *config, const sbe_rule_options_t *options,
                                  const sbe_config_t *device, const char *architecture, sbe_network_t **out);
/* The rule options the network was built with (the defaults when it was given none; oja_rate reads 0.01 then). */
SBE_API int sbe_network_get_rule_options(const sbe_network_t *network, sbe_rule_options_t *options);
SBE_API int sbe_network_set_threads(sbe_network_t *network, uint32_t threads);
SBE_API int sbe_network_get_threads(const sbe_network_t *network, uint32_t *threads);

/* A layer: one dense or conv2d tile (rows = outputs or output channels, cols = inputs + 1 bias column fed 1) with its
   update rule, driven call by call as an autograd function drives it. It is built as layer 0 of a network with the
   same method, rank, rule options, device and seed: the same tile, He-normal weights and rule seed.
   Batches are n rows with a row stride ld (floats between row starts, >= the row width; 0 = packed): a buffer of len
   floats must span exactly (n - 1) * ld + width. A dense row is one sample's features; a conv2d row is one sample,
   channel-major (C x H x W in, out_channels x OH x OW out, OH = (H + 2 padding - kernel) / stride + 1).
   forward arms one backward of the same n; backward reads dy (the loss gradient at this forward's outputs), writes dx
   (NULL with dx_len = dx_ld = 0 when not needed) and hands the (delta, input) pairs to the rule: SBE with running-mean
   or right-norm magnitudes streams them into its estimator (nothing of size rows x cols, nothing of the batch kept),
   the other rules keep them until the update. update writes W -= learning_rate * (the sum over the pending pairs of
   delta x^T, as the rule writes it): the step of a summed loss, as autograd's gradients are (sgd writes each pair at
   learning_rate; batch rules their estimate of the sum), then runs the tile's post-update step once.
   A backward without a forward, or with another n, gives SBE_E_INVALID_STATE / SBE_E_INVALID_ARGUMENT and changes
   nothing. */
typedef enum sbe_layer_kind { SBE_LAYER_DENSE = 0, SBE_LAYER_CONV2D = 1 } sbe_layer_kind;

#define SBE_LAYER_CONFIG_VERSION 1u
typedef struct sbe_layer_config {
    uint32_t struct_size;   /* sizeof(sbe_layer_config_t) */
    uint32_t version;       /* SBE_LAYER_CONFIG_VERSION */
    uint32_t kind;          /* sbe_layer_kind */
    uint32_t inputs;        /* dense: input features; conv2d: input channels */
    uint32_t outputs;       /* dense: output features; conv2d: output channels */
    uint32_t height;        /* conv2d: input height (dense: 0) */
    uint32_t width;         /* conv2d: input width (dense: 0) */
    uint32_t kernel;        /* conv2d: square kernel size (dense: 0) */
    uint32_t stride;        /* conv2d: >= 1 (dense: 0) */
    uint32_t padding;       /* conv2d: zero padding on every side (dense: 0) */
    uint32_t method;        /* sbe_method */
    uint32_t rank;          /* k (>= 1; capped at min(rows, cols)) */
    uint32_t sub_batch;     /* m (>= 1) */
    uint32_t reserved;      /* must be 0 */
    uint64_t seed;          /* initial weights, device draws, the rule's estimator */
    sbe_tile_config_t tile; /* device when no config handle is given; struct_size/version set, rows = cols = 0 */
} sbe_layer_config_t;

#define SBE_LAYER_COUNTERS_VERSION 1u
typedef struct sbe_layer_counters {
    uint32_t struct_size;            /* set by the caller: sizeof(sbe_layer_counters_t) */
    uint32_t version;                /* set by the caller: SBE_LAYER_COUNTERS_VERSION */
    int64_t rank_one_writes;         /* the tile's, as sbe_tile_counters_t */
    int64_t total_pulses;
    int64_t clipped_pulses;
    int64_t max_pulses_per_device;
    int64_t pending_pairs;           /* pairs observed since the last update */
    int64_t peripheral_memory_bytes; /* the rule's state plus the pairs it keeps until the update */
} sbe_layer_counters_t;

/* options may be NULL (defaults); device may be NULL (config->tile). */
SBE_API int sbe_layer_create(const sbe_layer_config_t *config, const sbe_rule_options_t *options, const sbe_config_t *device,
                             sbe_layer_t **out);
SBE_API int sbe_layer_destroy(sbe_layer_t *layer);
/* Floats per input and output sample, and the tile's shape. */
SBE_API int sbe_layer_shape(const sbe_layer_t *layer, size_t *inputs, size_t *outputs, size_t *rows, size_t *cols);
SBE_API int sbe_layer_forward(sbe_layer_t *layer, const float *x, size_t x_len, size_t x_ld, size_t n,
                              float *y, size_t y_len, size_t y_ld);
SBE_API int sbe_layer_backward(sbe_layer_t *layer, const float *dy, size_t dy_len, size_t dy_ld, size_t n,
                               float *dx, size_t dx_len, size_t dx_ld);
SBE_API int sbe_layer_update(sbe_layer_t *layer, float learning_rate);
SBE_API int sbe_layer_get_weights(const sbe_layer_t *layer, float *weights, size_t weights_len); /* rows x cols */
SBE_API int sbe_layer_set_weights(sbe_layer_t *layer, const float *weights, size_t weights_len); /* not counted as writes */
SBE_API int sbe_layer_get_counters(const sbe_layer_t *layer, sbe_layer_counters_t *counters);
SBE_API int sbe_layer_get_rule_options(const sbe_layer_t *layer, sbe_rule_options_t *options);
SBE_API int sbe_live_layers(size_t *layers); /* live layer handles (sbe_live_handles predates them) */

/* ---- choosing a flavour (header-only helper: the library cannot be asked before it is loaded) ----
   A flavour built for a higher ISA level aborts on a CPU that lacks it, so load
   <dir>/<sbe_recommended_flavour()>/SbeCore.Native.so. Reads CPUID (and XGETBV: the OS must save the AVX/AVX-512
   state): v4 = v3 + AVX-512 F/BW/CD/DQ/VL; v3 = AVX, AVX2, FMA, BMI1, BMI2, F16C, MOVBE, LZCNT; otherwise v2. */
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
#include <cpuid.h>
static inline const char *sbe_recommended_flavour(void)
{
    unsigned int a, b, c, d, max_leaf = __get_cpuid_max(0, NULL);
    if (max_leaf < 7 || !__get_cpuid(1, &a, &b, &c, &d)) return "x86-64-v2";
    int fma = (c >> 12) & 1, movbe = (c >> 22) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, f16c = (c >> 29) & 1;
    unsigned long long xcr0 = 0;
    if (osxsave) {
        unsigned int lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = ((unsigned long long)hi << 32) | lo;
    }
    int os_avx = (xcr0 & 0x6) == 0x6, os_avx512 = (xcr0 & 0xe6) == 0xe6;
    __get_cpuid_count(7, 0, &a, &b, &c, &d);
    int bmi1 = (b >> 3) & 1, avx2 = (b >> 5) & 1, bmi2 = (b >> 8) & 1;
    int avx512 = ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 28) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1); /* F DQ CD BW VL */
    int lzcnt = __get_cpuid(0x80000001, &a, &b, &c, &d) && ((c >> 5) & 1);
    int v3 = avx && os_avx && avx2 && fma && bmi1 && bmi2 && f16c && movbe && lzcnt;
    if (v3 && avx512 && os_avx512) return "x86-64-v4";
    return v3 ? "x86-64-v3" : "x86-64-v2";
}
#elif defined(__aarch64__)
static inline const char *sbe_recommended_flavour(void) { return "linux-arm64"; } /* one aarch64 build: NEON (AdvSimd) */
#else
static inline const char *sbe_recommended_flavour(void) { return "x86-64-v2"; } /* x86-64 and aarch64 builds only */
#endif

#ifdef __cplusplus
}
#endif
#endif /* SBECORE_H */
