/* Robustness of the ABI's edges: sbe_last_error at every capacity, and one handle used by two threads at once
   (detected through the busy flag: each call either runs whole or returns SBE_E_BUSY having done nothing). */
#include <pthread.h>
#include <stdlib.h>
#include "test_util.h"

/* Every capacity from 1 up gets a terminated prefix on a UTF-8 boundary and the full length back. */
static void test_last_error_every_capacity(void)
{
    sbe_tile_config_t c = tile_config(1, 1, 1);
    /* an unknown preset name with multi-byte characters: the message quotes it */
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_tile_config_preset("\xc3\xa9\xc3\xa9\xe2\x82\xac-unknown", &c));
    size_t full = sbe_last_error(NULL, 0);
    char *whole = malloc(full + 1), *buf = malloc(full + 8);
    CHECK(sbe_last_error(whole, full + 1) == full && strlen(whole) == full, "whole message: %zu", full);
    CHECK(strstr(whole, "\xc3\xa9") != NULL, "message does not quote the name: %s", whole);
    for (size_t cap = 1; cap <= full + 2; cap++)
    {
        memset(buf, 'x', full + 8);
        size_t got = sbe_last_error(buf, cap);
        size_t len = strnlen(buf, cap);
        CHECK(got == full, "cap %zu returned %zu, full length %zu", cap, got, full);
        CHECK(len < cap, "cap %zu: no terminator within the buffer", cap);
        CHECK(memcmp(buf, whole, len) == 0, "cap %zu: not a prefix", cap);
        CHECK(len + 4 > cap - 1 || len == full, "cap %zu: copied only %zu bytes", cap, len); /* at most one char short */
        CHECK(len == full || (whole[len] & 0xC0) != 0x80, "cap %zu: split a UTF-8 character at %zu", cap, len);
        CHECK(buf[cap] == 'x' || cap > full, "cap %zu: wrote past the buffer", cap);
    }
    free(whole);
    free(buf);
}

enum { R = 64, C = 48, WRITES = 20000 };

typedef struct { sbe_tile_t *tile; int ok, busy, other; } worker;
static pthread_barrier_t g_start;

static void *write_loop(void *arg)
{
    worker *w = arg;
    float d[R], x[C];
    for (int i = 0; i < R; i++) d[i] = 0.01f * (float)(i % 5 - 2);
    for (int i = 0; i < C; i++) x[i] = 0.02f * (float)(i % 3 - 1);
    pthread_barrier_wait(&g_start);
    for (int k = 0; k < WRITES; k++)
    {
        int st = sbe_tile_write(w->tile, 0.1f, d, R, x, C);
        if (st == SBE_OK) w->ok++;
        else if (st == SBE_E_BUSY) w->busy++;
        else w->other++;
    }
    return NULL;
}

/* Two threads hammer one pulsed tile: only OK or BUSY come back, the counters match the OK calls exactly and every
   weight stays finite (racing writes used to turn almost all of them into NaN/Inf and lose counter updates). */
static void test_concurrent_use_is_detected(void)
{
    const uint32_t devices[] = {SBE_DEVICE_ECRAM, SBE_DEVICE_PCM};
    for (int dv = 0; dv < 2; dv++)
    {
        uint32_t device = devices[dv];
        pthread_barrier_init(&g_start, NULL, 2);
        sbe_tile_config_t c = tile_config(R, C, 3);
        c.device = device;
        sbe_tile_t *t = NULL;
        OK(sbe_tile_create(&c, &t));
        worker w[2] = {{t, 0, 0, 0}, {t, 0, 0, 0}};
        pthread_t th[2];
        for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, write_loop, &w[i]);
        for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
        sbe_tile_counters_t counters = {sizeof counters, SBE_TILE_COUNTERS_VERSION, 0, 0, 0, 0};
        OK(sbe_tile_get_counters(t, &counters));
        CHECK(w[0].other == 0 && w[1].other == 0, "device %u: statuses other than OK/BUSY", device);
        CHECK(counters.rank_one_writes == w[0].ok + w[1].ok, "device %u: %lld writes counted, %d succeeded",
              device, (long long)counters.rank_one_writes, w[0].ok + w[1].ok);
        float weights[R * C];
        OK(sbe_tile_get_weights(t, weights, R * C));
        int bad = 0;
        for (int i = 0; i < R * C; i++) bad += !isfinite(weights[i]);
        CHECK(bad == 0, "device %u: %d non-finite weights", device, bad);
        printf("device %u: %d ok, %d busy\n", device, w[0].ok + w[1].ok, w[0].busy + w[1].busy);
        OK(sbe_tile_destroy(t));
        pthread_barrier_destroy(&g_start);
    }
}

int main(void)
{
    test_last_error_every_capacity();
    test_concurrent_use_is_detected();
    return test_summary("test_robust");
}
