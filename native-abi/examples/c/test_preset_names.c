/* sbe_tile_config_preset: device presets by name (one lookup in the library, shared with the sbe_device enum).
   Names resolve case-, '-' and '_'-insensitively to the documented enum value; distinct presets behave
   differently; a preset chosen by name and by enum gives bit-identical tiles; bad calls leave *config alone. */
#include <stdlib.h>
#include "test_util.h"

enum { R = 5, C = 7, WRITES = 12 };

static const char *const k_canonical[] = { "Ideal", "Idealized", "GokmenVlasov", "Capacitor", "EcRam", "ReRamSB", "ReRamES", "PCM", "EcRamMO",
                                           "TikiTakaEcRam", "TikiTakaReRamSB" };
enum { PRESETS = sizeof k_canonical / sizeof k_canonical[0] };

/* A config whose every field is set to a recognisable non-default value. */
static sbe_tile_config_t dirty_config(void)
{
    sbe_tile_config_t c = tile_config(R, C, 0xABCDEF12345ull);
    c.device = 6; c.pulse_type = SBE_PULSE_DETERMINISTIC_IMPLICIT; c.desired_bl = 17; c.io = SBE_IO_PERFECT;
    return c;
}

static void test_names_resolve(void)
{
    static const struct { const char *name; uint32_t device; } cases[] = {
        { "Ideal", SBE_DEVICE_IDEAL }, { "ideal", SBE_DEVICE_IDEAL }, { "IDEAL", SBE_DEVICE_IDEAL },
        { "Idealized", SBE_DEVICE_IDEALIZED }, { "idealized", SBE_DEVICE_IDEALIZED },
        { "GokmenVlasov", SBE_DEVICE_GOKMEN_VLASOV }, { "gokmen-vlasov", SBE_DEVICE_GOKMEN_VLASOV },
        { "gokmen_vlasov", SBE_DEVICE_GOKMEN_VLASOV }, { "Capacitor", SBE_DEVICE_CAPACITOR },
        { "EcRam", SBE_DEVICE_ECRAM }, { "ecram", SBE_DEVICE_ECRAM }, { "EC-RAM", SBE_DEVICE_ECRAM },
        { "ReRamSB", SBE_DEVICE_RERAM_SB }, { "reram-sb", SBE_DEVICE_RERAM_SB }, { "RERAM_SB", SBE_DEVICE_RERAM_SB },
        { "ReRamES", SBE_DEVICE_RERAM_ES }, { "reram_es", SBE_DEVICE_RERAM_ES },
        { "PCM", SBE_DEVICE_PCM }, { "pcm", SBE_DEVICE_PCM }, { " pcm ", SBE_DEVICE_PCM },
        { "EcRamMO", SBE_DEVICE_ECRAM_MO }, { "ecram-mo", SBE_DEVICE_ECRAM_MO },
        { "TikiTakaEcRam", SBE_DEVICE_TIKI_TAKA_ECRAM }, { "tiki-taka-ecram", SBE_DEVICE_TIKI_TAKA_ECRAM },
        { "TikiTakaReRamSB", SBE_DEVICE_TIKI_TAKA_RERAM_SB }, { "tiki_taka_reram_sb", SBE_DEVICE_TIKI_TAKA_RERAM_SB },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sbe_tile_config_t c = dirty_config();
        sbe_clear_error();
        OK(sbe_tile_config_preset(cases[i].name, &c));
        CHECK(c.device == cases[i].device, "'%s' gave device %u, expected %u", cases[i].name, c.device, cases[i].device);
        CHECK(c.pulse_type == SBE_PULSE_DEFAULT && c.desired_bl == 0 && c.io == SBE_IO_DEFAULT,
              "'%s' left overrides %u %u %u", cases[i].name, c.pulse_type, c.desired_bl, c.io);
        CHECK(c.struct_size == sizeof c && c.version == SBE_TILE_CONFIG_VERSION && c.rows == R && c.cols == C &&
              c.seed == 0xABCDEF12345ull, "'%s' touched the caller's fields", cases[i].name);
        CHECK(sbe_last_error(NULL, 0) == 0, "a successful call set an error message");
    }
    /* The canonical names (the header's enum comments) map to their own enum values, one to one. */
    for (uint32_t d = 0; d < PRESETS; d++) {
        sbe_tile_config_t c = dirty_config();
        OK(sbe_tile_config_preset(k_canonical[d], &c));
        CHECK(c.device == d, "%s gave %u, expected %u", k_canonical[d], c.device, d);
    }
}

/* Weights and pulses of a tile after a fixed programme of reads and writes. */
static void run_tile(const sbe_tile_config_t *c, float *w, int64_t *pulses)
{
    sbe_tile_t *t = NULL;
    OK(sbe_tile_create(c, &t));
    test_rng rng = { 99 };
    float w0[R * C], d[R], x[C], y[R];
    for (int i = 0; i < R * C; i++) w0[i] = 0.2f * rng_uniform(&rng);
    OK(sbe_tile_set_weights(t, w0, R * C));
    for (int k = 0; k < WRITES; k++) {
        for (int i = 0; i < R; i++) d[i] = rng_uniform(&rng);
        for (int i = 0; i < C; i++) x[i] = rng_uniform(&rng);
        OK(sbe_tile_read(t, x, C, 1, y, R));
        OK(sbe_tile_write(t, 0.05f, d, R, x, C));
    }
    OK(sbe_tile_get_weights(t, w, R * C));
    OK(sbe_tile_get_pulses(t, pulses, R * C));
    OK(sbe_tile_destroy(t));
}

static void test_name_and_enum_agree_and_presets_differ(void)
{
    static float w[PRESETS][R * C];
    static int64_t p[PRESETS][R * C];
    for (uint32_t d = 0; d < PRESETS; d++) {
        sbe_tile_config_t by_enum = tile_config(R, C, 3), by_name = tile_config(R, C, 3);
        by_enum.device = d;
        OK(sbe_tile_config_preset(k_canonical[d], &by_name));
        CHECK(memcmp(&by_enum, &by_name, sizeof by_enum) == 0, "%s: name and enum configs differ", k_canonical[d]);
        float w_name[R * C];
        int64_t p_name[R * C];
        run_tile(&by_enum, w[d], p[d]);
        run_tile(&by_name, w_name, p_name);
        CHECK(memcmp(w[d], w_name, sizeof w_name) == 0 && memcmp(p[d], p_name, sizeof p_name) == 0,
              "%s: tiles by name and by enum differ", k_canonical[d]);
    }
    /* Each enum value is a different device: after the same programme no two presets agree. */
    for (uint32_t a = 0; a < PRESETS; a++)
        for (uint32_t b = a + 1; b < PRESETS; b++)
            CHECK(memcmp(w[a], w[b], sizeof w[a]) != 0, "%s and %s gave identical weights", k_canonical[a], k_canonical[b]);
    int64_t ideal_pulses = 0, gv_pulses = 0;
    for (int i = 0; i < R * C; i++) { ideal_pulses += p[SBE_DEVICE_IDEAL][i]; gv_pulses += p[SBE_DEVICE_GOKMEN_VLASOV][i]; }
    CHECK(ideal_pulses == 0 && gv_pulses > 0, "pulses: ideal %lld, GokmenVlasov %lld", (long long)ideal_pulses, (long long)gv_pulses);
}

static void test_network_tile_by_name(void)
{
    uint32_t sizes[] = { 4, 3 };
    sbe_network_config_t c;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c; c.version = SBE_NETWORK_CONFIG_VERSION;
    c.layer_sizes = sizes; c.layer_count = 2; c.method = SBE_METHOD_SBE; c.rank = 1; c.sub_batch = 1; c.seed = 1;
    c.tile.struct_size = sizeof c.tile; c.tile.version = SBE_TILE_CONFIG_VERSION;
    OK(sbe_tile_config_preset("reram-es", &c.tile));
    CHECK(c.tile.device == SBE_DEVICE_RERAM_ES && c.tile.rows == 0 && c.tile.cols == 0, "network tile %u", c.tile.device);
    sbe_network_t *net = NULL;
    OK(sbe_network_create(&c, &net));
    OK(sbe_network_destroy(net));
}

/* Every rejected call returns its status, leaves a message and does not touch *config. */
#define REJECTED(expected, name, cfg)                                                              \
    do {                                                                                           \
        sbe_tile_config_t before_ = (cfg);                                                         \
        FAILS(expected, sbe_tile_config_preset(name, &(cfg)));                                     \
        CHECK(memcmp(&before_, &(cfg), sizeof before_) == 0, "a rejected call changed *config");   \
    } while (0)

static void test_bad_input(void)
{
    sbe_tile_config_t c = dirty_config();
    REJECTED(SBE_E_NULL_POINTER, NULL, c);
    CHECK(strstr(last_error(), "name") != NULL, "NULL name message: %s", last_error());
    FAILS(SBE_E_NULL_POINTER, sbe_tile_config_preset("pcm", NULL));
    CHECK(strstr(last_error(), "config") != NULL, "NULL config message: %s", last_error());

    REJECTED(SBE_E_INVALID_ARGUMENT, "memristor9000", c);
    const char *m = last_error();
    CHECK(strstr(m, "memristor9000") != NULL, "message does not quote the name: %s", m);
    for (uint32_t d = 0; d < PRESETS; d++)
        CHECK(strstr(m, k_canonical[d]) != NULL, "message does not list %s: %s", k_canonical[d], m);
    REJECTED(SBE_E_INVALID_ARGUMENT, "", c);
    REJECTED(SBE_E_INVALID_ARGUMENT, "--", c);
    REJECTED(SBE_E_INVALID_ARGUMENT, "reram sb", c);        /* spaces inside are not ignored */
    REJECTED(SBE_E_INVALID_ARGUMENT, "constantstep", c);    /* a DeviceCatalog alias, not a TileConfig preset */
    REJECTED(SBE_E_INVALID_ARGUMENT, "pcm:none", c);        /* pulse-type suffixes are sweep syntax, not presets */
    REJECTED(SBE_E_INVALID_ARGUMENT, "\xff\xfe\x80", c);    /* not UTF-8 */

    size_t long_len = 100000;
    char *long_name = malloc(long_len + 1);
    CHECK(long_name != NULL, "malloc");
    if (long_name) {
        memset(long_name, 'x', long_len); long_name[long_len] = 0;
        REJECTED(SBE_E_INVALID_ARGUMENT, long_name, c);
        CHECK(sbe_last_error(NULL, 0) < 1000, "the message echoes the whole %zu-byte name (%zu bytes)", long_len, sbe_last_error(NULL, 0));
        free(long_name);
    }

    c.struct_size = sizeof c - 4; REJECTED(SBE_E_BAD_STRUCT, "pcm", c); c.struct_size = sizeof c;
    c.struct_size = 0; REJECTED(SBE_E_BAD_STRUCT, "pcm", c); c.struct_size = sizeof c;
    c.version = SBE_TILE_CONFIG_VERSION + 1; REJECTED(SBE_E_BAD_STRUCT, "pcm", c); c.version = SBE_TILE_CONFIG_VERSION;

    /* An out-of-range enum is still rejected by create, and its message names the presets. */
    sbe_tile_config_t e = tile_config(R, C, 1);
    e.device = PRESETS;
    sbe_tile_t *t = NULL;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_create(&e, &t));
    CHECK(t == NULL && strstr(last_error(), "PCM") != NULL, "enum message: %s", last_error());
}

int main(void)
{
    CHECK(sbe_abi_version() == SBE_ABI_VERSION, "abi 0x%x, header 0x%x", sbe_abi_version(), SBE_ABI_VERSION);
    CHECK(sbe_abi_version() >= ((1 << 16) | 1), "sbe_tile_config_preset needs ABI 1.1, library has 0x%x", sbe_abi_version());
    size_t tiles0, est0, net0, tiles1, est1, net1;
    OK(sbe_live_handles(&tiles0, &est0, &net0));
    test_names_resolve();
    test_name_and_enum_agree_and_presets_differ();
    test_network_tile_by_name();
    test_bad_input();
    OK(sbe_live_handles(&tiles1, &est1, &net1));
    CHECK(tiles1 == tiles0 && est1 == est0 && net1 == net0, "handles leaked");
    return test_summary("tile_preset_names");
}
