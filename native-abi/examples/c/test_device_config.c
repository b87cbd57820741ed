/* Device configs as data (ABI 1.3): every parameter of every preset's config is set by name, reaches the tile and
   reads back unchanged; unknown names, wrong types and out-of-range values are refused naming the parameter and
   change nothing; text buffers, NULLs and stale handles fail cleanly; a network uses a config for every layer. */
#include <stdlib.h>
#include "test_util.h"

static char *get_text(int (*fn)(const sbe_config_t *, char *, size_t, size_t *), const sbe_config_t *c)
{
    size_t n = 0;
    OK(fn(c, NULL, 0, &n));
    char *buf = malloc(n + 1);
    OK(fn(c, buf, n + 1, &n));
    return buf;
}

static int get_value(const sbe_config_t *c, const char *name, char *buf, size_t cap)
{
    size_t n = 0;
    return sbe_config_get(c, name, buf, cap, &n);
}

static int is_number(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s && *end == 0;
}

/* Sets name to a valid value different from its current one (candidates tried in order: the schema's ranges are
   the library's business), checks it reads back, and returns 1 when one was accepted. */
static int change_one(sbe_config_t *c, const char *name)
{
    char cur[256], back[256], cand[64];
    OK(get_value(c, name, cur, sizeof cur));
    double v;
    static const char *enums[] = {"None", "StochasticCompressed", "DeterministicImplicit", "AbsMax", "Iterative"};
    for (int i = 0; i < 6; i++) {
        if (strcmp(cur, "true") == 0 || strcmp(cur, "false") == 0) {
            if (i > 0) break;
            snprintf(cand, sizeof cand, "%s", strcmp(cur, "true") == 0 ? "false" : "true");
        } else if (is_number(cur, &v) || strcmp(cur, "inf") == 0) {
            if (strcmp(cur, "inf") == 0) v = 1e6;
            static const double steps[] = {1, -1, 0.125, -0.125, 0.5, -0.5};
            snprintf(cand, sizeof cand, "%.9g", v + steps[i]);
        } else {
            if (i >= 5) break;
            snprintf(cand, sizeof cand, "%s", enums[i]);
            if (strcmp(cand, cur) == 0) continue;
        }
        if (sbe_config_set(c, name, cand) != SBE_OK) continue;
        OK(get_value(c, name, back, sizeof back));
        double a, b;
        if (is_number(cand, &a)) CHECK(is_number(back, &b) && (float)a == (float)b, "%s set to %s reads back %s", name, cand, back);
        else CHECK(strcmp(cand, back) == 0, "%s set to %s reads back %s", name, cand, back);
        return 1;
    }
    return 0;
}

static void every_parameter(const char *preset)
{
    sbe_config_t *c = NULL;
    OK(sbe_config_create(preset, &c));
    char *names = get_text(sbe_config_names, c);
    int changed = 0, total = 0;
    for (char *name = strtok(names, "\n"); name; name = strtok(NULL, "\n")) {
        size_t len = strlen(name);
        if (len > 5 && strcmp(name + len - 5, ".type") == 0) continue;
        total++;
        int ok = change_one(c, name);
        CHECK(ok, "%s: no value accepted for %s", preset ? preset : "ideal", name);
        changed += ok;
    }
    CHECK(total > 0 && changed == total, "%s: changed %d of %d parameters", preset ? preset : "ideal", changed, total);
    free(names);

    /* The tile holds exactly this config; the JSON form round-trips. */
    sbe_tile_t *tile = NULL;
    sbe_config_t *from_tile = NULL, *from_json = NULL;
    OK(sbe_tile_create_with_config(c, 3, 4, 7, &tile));
    OK(sbe_tile_get_config(tile, &from_tile));
    char *json = get_text(sbe_config_json, c), *tile_json = get_text(sbe_config_json, from_tile);
    CHECK(strcmp(json, tile_json) == 0, "%s: the tile's config differs from the one it was built with", preset ? preset : "ideal");
    OK(sbe_config_from_json(json, &from_json));
    char *again = get_text(sbe_config_json, from_json);
    CHECK(strcmp(json, again) == 0, "%s: JSON does not round-trip", preset ? preset : "ideal");
    free(json); free(tile_json); free(again);
    OK(sbe_config_destroy(from_json));
    OK(sbe_config_destroy(from_tile));
    OK(sbe_tile_destroy(tile));
    OK(sbe_config_destroy(c));
}

/* A refused call names the parameter and leaves the config as it was. */
static void refused(sbe_config_t *c, const char *name, const char *value, const char *named)
{
    char *before = get_text(sbe_config_json, c);
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_config_set(c, name, value));
    CHECK(strstr(last_error(), named) != NULL, "set %s=%s: message '%s' does not name %s", name, value, last_error(), named);
    char *after = get_text(sbe_config_json, c);
    CHECK(strcmp(before, after) == 0, "set %s=%s was refused but changed the config", name, value);
    free(before); free(after);
}

static void bad_input(void)
{
    sbe_config_t *c = NULL;
    OK(sbe_config_create("GokmenVlasov", &c));
    refused(c, "device.dw_mn", "0.1", "device.dw_mn");
    refused(c, "dw_min", "-1", "device.dw_min");
    refused(c, "dw_min", "abc", "device.dw_min");
    refused(c, "update.desired_bl", "5000", "update.desired_bl");
    refused(c, "update.desired_bl", "2.5", "update.desired_bl");
    refused(c, "forward.noise_management", "Loud", "forward.noise_management");
    refused(c, "device.type", "FancyDevice", "device.type");
    refused(c, "w_min", "0.9", "w_min");
    refused(c, "", "1", "empty");

    char small[4] = "xyz";
    size_t n = 0;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_config_get(c, "device.dw_min", small, sizeof small, &n));
    CHECK(strcmp(small, "xyz") == 0 && n == strlen("0.0016"), "a too-small buffer was written or the length is wrong (%zu)", n);
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_config_get(c, "device.nothing", NULL, 0, &n));
    FAILS(SBE_E_NULL_POINTER, sbe_config_set(c, NULL, "1"));
    FAILS(SBE_E_NULL_POINTER, sbe_config_set(c, "dw_min", NULL));
    FAILS(SBE_E_NULL_POINTER, sbe_config_json(c, NULL, 0, NULL));
    FAILS(SBE_E_NULL_POINTER, sbe_config_create(NULL, NULL));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_config_create("NoSuchPreset", &c));
    CHECK(c == NULL, "a failed create left a handle");
    OK(sbe_config_create("GokmenVlasov", &c));
    sbe_config_t *bad = NULL;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_config_from_json("{\"device\": {\"type\": \"ConstantStepDevice\", \"dw_min\": -1}}", &bad));
    CHECK(strstr(last_error(), "device.dw_min") != NULL, "from_json message '%s' does not name device.dw_min", last_error());
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_config_from_json("{\"device\": ", &bad));
    CHECK(bad == NULL, "a failed from_json left a handle");
    sbe_tile_t *tile = NULL;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_create_with_config(c, 0, 4, 1, &tile));
    FAILS(SBE_E_BAD_HANDLE, sbe_tile_create_with_config((sbe_config_t *)tile, 2, 4, 1, &tile));
    OK(sbe_config_destroy(c));
    FAILS(SBE_E_BAD_HANDLE, sbe_config_set(c, "dw_min", "0.1"));
    FAILS(SBE_E_BAD_HANDLE, sbe_config_destroy(c));
    OK(sbe_config_destroy(NULL));
}

/* dw_min set by name decides what one deterministic pulse does to a noise-free device. */
static void behaviour(void)
{
    static const char *zero[] = {"dw_min_dtod", "dw_min_std", "up_down_dtod", "w_max_dtod", "w_min_dtod"};
    for (int k = 0; k < 2; k++) {
        float dw = k ? 0.03f : 0.01f;
        char text[32];
        snprintf(text, sizeof text, "%.9g", dw);
        sbe_config_t *c = NULL;
        OK(sbe_config_create(NULL, &c));
        OK(sbe_config_set(c, "device.type", "ConstantStepDevice"));
        for (int i = 0; i < 5; i++) OK(sbe_config_set(c, zero[i], "0"));
        OK(sbe_config_set(c, "dw_min", text));
        OK(sbe_config_set(c, "update.pulse_type", "DETERMINISTIC_IMPLICIT"));
        sbe_tile_t *tile = NULL;
        OK(sbe_tile_create_with_config(c, 1, 1, 1, &tile));
        float one = 1.0f, w = 0.0f;
        OK(sbe_tile_set_weights(tile, &w, 1));
        OK(sbe_tile_write(tile, -dw, &one, 1, &one, 1));
        OK(sbe_tile_get_weights(tile, &w, 1));
        CHECK(fabsf(w - dw) < 1e-6f, "one pulse with dw_min %g moved the weight to %g", dw, w);
        OK(sbe_tile_destroy(tile));
        OK(sbe_config_destroy(c));
    }
}

static void network(void)
{
    sbe_config_t *c = NULL;
    OK(sbe_config_create("EcRam", &c));
    OK(sbe_config_set(c, "dw_min", "0.0025"));
    OK(sbe_config_set(c, "forward.out_noise", "0"));
    static const uint32_t sizes[] = {6, 5, 3};
    sbe_network_config_t nc;
    memset(&nc, 0, sizeof nc);
    nc.struct_size = sizeof nc;
    nc.version = SBE_NETWORK_CONFIG_VERSION;
    nc.layer_sizes = sizes;
    nc.layer_count = 3;
    nc.method = SBE_METHOD_SBE;
    nc.rank = 1;
    nc.sub_batch = 1;
    nc.seed = 3;
    sbe_network_t *net = NULL;
    OK(sbe_network_create_with_config(&nc, c, &net));
    char *want = get_text(sbe_config_json, c);
    for (size_t layer = 0; layer < 2; layer++) {
        sbe_config_t *lc = NULL;
        OK(sbe_network_get_layer_config(net, layer, &lc));
        char *got = get_text(sbe_config_json, lc);
        CHECK(strcmp(want, got) == 0, "layer %zu's tile config differs from the config given", layer);
        free(got);
        OK(sbe_config_destroy(lc));
    }
    sbe_config_t *lc = NULL;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_network_get_layer_config(net, 2, &lc));
    free(want);
    OK(sbe_network_destroy(net));
    FAILS(SBE_E_BAD_HANDLE, sbe_network_create_with_config(&nc, NULL, &net));
    OK(sbe_config_destroy(c));
}


/* Random names and values: every refused set leaves the JSON byte-identical, every accepted one reads back. */
static void fuzz(void)
{
    static const char *values[] = {"0", "1", "-1", "0.5", "2", "31", "1e-3", "1e99", "-inf", "inf", "nan", "", " ", "true",
                                   "false", "abc", "0x10", "1,5", "StochasticCompressed", "none", "ABS_MAX", "Iterative",
                                   "LinearStepDevice", "OneSidedUnitCell", "IdealDevice", "PowStep", "2000", "-0", "1e-45"};
    static const char *extra[] = {"device", "device.", ".dw_min", "device..dw_min", "device.type.x", "update", "forward.x.y",
                                  "device.unit_cell_devices", "device.unit_cell_devices.type", "device.refresh_forward.out_noise",
                                  "dw_min=1", "DW_MIN", "\xc3\x28"};
    uint64_t state = 12345;
    sbe_config_t *c = NULL;
    OK(sbe_config_create("PCM", &c));
    int accepted = 0, refused_count = 0, built = 0;
    for (int i = 0; i < 20000; i++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        char *names = get_text(sbe_config_names, c);
        int count = 1;
        for (char *p = names; *p; p++) count += *p == '\n';
        int pick = (int)((state >> 33) % (uint64_t)(count + 13));
        const char *name = NULL;
        char *line = strtok(names, "\n");
        for (int k = 0; line && k < pick; k++) line = strtok(NULL, "\n");
        name = pick < count && line ? line : extra[(pick - count) % 13];
        const char *value = values[(state >> 17) % (sizeof values / sizeof values[0])];
        char *before = get_text(sbe_config_json, c);
        sbe_clear_error();
        int st = sbe_config_set(c, name, value);
        char *after = get_text(sbe_config_json, c);
        if (st == SBE_OK) {
            accepted++;
            char back[256];
            size_t len = strlen(name);
            if (!(len > 5 && strcmp(name + len - 5, ".type") == 0)) {
                CHECK(get_value(c, name, back, sizeof back) == SBE_OK, "accepted %s=%s but cannot read it back", name, value);
            }
        } else {
            refused_count++;
            CHECK(st == SBE_E_INVALID_ARGUMENT, "set %s=%s returned %d", name, value, st);
            CHECK(sbe_last_error(NULL, 0) > 0, "set %s=%s failed without a message", name, value);
            CHECK(strcmp(before, after) == 0, "refused set %s=%s changed the config", name, value);
        }
        free(before); free(after); free(names);
        if (i % 250 == 249) {
            /* A valid config builds a tile, or (extreme values such as w_max = 1e-45, whose sampled slopes overflow)
               the tile refuses it cleanly: a status, a message, no handle. */
            sbe_tile_t *t = NULL;
            sbe_clear_error();
            st = sbe_tile_create_with_config(c, 2, 3, (uint64_t)i, &t);
            if (st == SBE_OK) { built++; OK(sbe_tile_destroy(t)); }
            else CHECK(st == SBE_E_INVALID_ARGUMENT && t == NULL && strstr(last_error(), "non-finite") != NULL,
                       "tile from the fuzzed config: status %d, handle %p, '%s'", st, (void *)t, last_error());
        }
    }
    CHECK(accepted > 1000 && refused_count > 1000, "fuzz accepted %d, refused %d", accepted, refused_count);
    CHECK(built >= 60, "only %d of 80 fuzzed configs built a tile", built);
    printf("fuzz: %d sets accepted, %d refused, %d of 80 configs built a tile\n", accepted, refused_count, built);
    OK(sbe_config_destroy(c));
}

int main(void)
{
    static const char *presets[] = {NULL, "Idealized", "GokmenVlasov", "Capacitor", "EcRam", "EcRamMO", "ReRamSB", "ReRamES", "PCM"};
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) every_parameter(presets[i]);
    bad_input();
    behaviour();
    network();
    fuzz();
    size_t tiles = 0, estimators = 0, networks = 0;
    OK(sbe_live_handles(&tiles, &estimators, &networks));
    CHECK(tiles == 0 && networks == 0, "handles leaked: %zu tiles, %zu networks", tiles, networks);
    return test_summary("device_config");
}
