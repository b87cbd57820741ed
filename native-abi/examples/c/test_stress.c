/*
 * Randomized bad input at scale. Two worlds of the same tiles, estimators and networks: "live" receives every call, good
 * and bad; "shadow" receives only the good ones. Bad calls (NULLs, zero and huge sizes, mismatched lengths,
 * NaN/Inf, freed/foreign/wrong-kind handles, wrong struct sizes and versions, out-of-range enums) must each
 * return non-zero with a message and leave output buffers untouched; the process must survive; and at every
 * checkpoint the state of every live handle must equal its shadow bit for bit.
 * Usage: test_stress [bad_calls (default 100000)] [seed]
 */
#include <stdlib.h>
#include "test_util.h"

enum { NT = 3, NE = 3, MAXN = 4, DEAD = 16 };
static const uint32_t TR[NT] = { 5, 8, 16 }, TC[NT] = { 7, 3, 16 };
static const uint32_t ER[NE] = { 4, 9, 12 }, EC[NE] = { 6, 5, 12 }, EK[NE] = { 1, 1, 2 }, EM[NE] = { 1, 1, 3 };

static sbe_tile_t *live_t[NT], *shadow_t[NT];
static sbe_estimator_t *live_e[NE], *shadow_e[NE];
enum { NN = 2, NIN = 6, NCLS = 3 };
static const uint32_t NET_SIZES[3] = { NIN, 5, NCLS };
static sbe_network_t *live_n[NN], *shadow_n[NN];
static int32_t labels_buf[MAXN];
static void *dead[DEAD];          /* destroyed handles of both kinds */
static int dead_count;
static long bad_calls, good_calls, bad_ok;
static test_rng rng;

/* Buffers big enough for any shape above (16 x 16, batch MAXN, rank 2). */
static float in_a[MAXN * 64], in_b[MAXN * 64], in_s[4], out_live[MAXN * 64], out_shadow[MAXN * 64];

static void fill(float *p, size_t n) { for (size_t i = 0; i < n; i++) p[i] = rng_uniform(&rng); }

static void expect_bad(int status, const char *what, int op)
{
    bad_calls++;
    if (status == SBE_OK) { bad_ok++; CHECK(0, "bad call %s (op %d) succeeded", what, op); }
    CHECK(sbe_last_error(NULL, 0) > 0, "bad call %s (op %d) left no message (status %d)", what, op, status);
}

/* One of the corruptions; the caller applies it to the arguments of a good call. */
typedef enum { C_NULL_IN, C_NULL_OUT, C_ZERO, C_HUGE, C_LEN_PLUS, C_LEN_MINUS, C_NAN, C_INF, C_DEAD, C_FOREIGN, C_KIND, C_COUNT } corruption;

static void *pick_dead(void) { return dead[rng_below(&rng, (size_t)dead_count)]; }
static size_t huge(void) { static const size_t v[] = { SIZE_MAX, SIZE_MAX / 2, (size_t)1 << 40, (size_t)1 << 27, (size_t)UINT32_MAX + 1 }; return v[rng_below(&rng, 5)]; }

static void poison(float *p, size_t n, int inf)
{
    p[rng_below(&rng, n)] = inf ? (rng_below(&rng, 2) ? INFINITY : -INFINITY) : NAN;
}

static int outputs_untouched(size_t n)
{
    for (size_t i = 0; i < n; i++) if (out_live[i] != 777.0f) return 0;
    return 1;
}

/* A tile operation; bad = -1 for a good call on both worlds, else the corruption for the live world only. */
static void tile_op(int i, int op, int bad)
{
    size_t r = TR[i], c = TC[i], n = 1 + rng_below(&rng, MAXN), k = 1 + rng_below(&rng, 2);
    float lr = 0.01f * rng_uniform(&rng);
    int foreign = 0;
    sbe_tile_t *h = live_t[i];
    const float *a = in_a, *b = in_b;
    float *o = out_live;
    size_t la, lb, lo, nn = n, kk = k;
    switch (op) {
    case 0: la = n * c; lo = n * r; lb = 0; break;          /* read */
    case 1: la = n * r; lo = n * c; lb = 0; break;          /* read_t */
    case 2: la = r; lb = c; lo = 0; break;                  /* write */
    case 3: la = k * r; lb = k * c; lo = 0; break;          /* write_rank_k */
    default: la = r * c; lb = 0; lo = 0; break;             /* set_weights */
    }
    fill(in_a, la); fill(in_b, lb); fill(in_s, k);
    if (bad >= 0) {
        for (size_t j = 0; j < sizeof out_live / sizeof *out_live; j++) out_live[j] = 777.0f;
        switch ((corruption)bad) {
        case C_NULL_IN: a = NULL; break;
        case C_NULL_OUT: if (lo) o = NULL; else if (lb) b = NULL; else a = NULL; break;
        case C_ZERO: if (op <= 1) nn = 0; else if (op == 3) kk = 0; else la = 0; break;
        case C_HUGE: if (op <= 1) nn = huge(); else if (op == 3) kk = huge(); else la = huge(); break;
        case C_LEN_PLUS: la++; break;
        case C_LEN_MINUS: if (lo) lo--; else la--; break;
        case C_NAN: case C_INF:
            if (op <= 1) { poison(in_a, la, bad == C_INF); break; }        /* reads reject non-finite input too */
            if (op == 3 && rng_below(&rng, 2)) poison(in_s, k, bad == C_INF);
            else if (rng_below(&rng, 3) == 0 && op != 4) lr = bad == C_INF ? INFINITY : NAN;
            else poison(in_a, la, bad == C_INF);
            break;
        case C_DEAD: h = (sbe_tile_t *)pick_dead(); break;
        case C_FOREIGN: h = (sbe_tile_t *)(void *)&foreign; break;
        case C_KIND: h = (sbe_tile_t *)live_e[rng_below(&rng, NE)]; break;
        default: break;
        }
        sbe_clear_error();
        int st;
        switch (op) {
        case 0: st = sbe_tile_read(h, a, la, nn, o, lo); break;
        case 1: st = sbe_tile_read_t(h, a, la, nn, o, lo); break;
        case 2: st = sbe_tile_write(h, lr, a, la, b, lb); break;
        case 3: st = sbe_tile_write_rank_k(h, lr, in_s, kk, a, la, b, lb); break;
        default: st = sbe_tile_set_weights(h, a, la); break;
        }
        expect_bad(st, "tile", op);
        CHECK(outputs_untouched(sizeof out_live / sizeof *out_live), "bad tile op %d wrote its output", op);
        return;
    }
    for (int world = 0; world < 2; world++) {
        sbe_tile_t *t = world ? shadow_t[i] : live_t[i];
        float *out = world ? out_shadow : out_live;
        switch (op) {
        case 0: OK(sbe_tile_read(t, in_a, la, n, out, lo)); break;
        case 1: OK(sbe_tile_read_t(t, in_a, la, n, out, lo)); break;
        case 2: OK(sbe_tile_write(t, lr, in_a, la, in_b, lb)); break;
        case 3: OK(sbe_tile_write_rank_k(t, lr, in_s, k, in_a, la, in_b, lb)); break;
        default: OK(sbe_tile_set_weights(t, in_a, la)); break;
        }
        good_calls++;
    }
    if (lo) CHECK(memcmp(out_live, out_shadow, lo * sizeof(float)) == 0, "tile %d op %d: live and shadow outputs differ", i, op);
}

static void estimator_op(int i, int op, int bad)
{
    size_t r = ER[i], c = EC[i], k = EK[i], n = 1 + rng_below(&rng, MAXN);
    int foreign = 0;
    sbe_estimator_t *h = live_e[i];
    const float *a = in_a, *b = in_b;
    float *o = out_live;
    size_t la, lb, nn = n, lo = k;
    switch (op) {
    case 0: la = r; lb = c; break;           /* observe */
    case 1: la = n * r; lb = n * c; break;   /* observe_batch */
    default: la = k * r; lb = k * c; break;  /* estimate: la, lb are the d and x output lengths */
    }
    if (op <= 1) { fill(in_a, la); fill(in_b, lb); }
    if (bad >= 0) {
        for (size_t j = 0; j < sizeof out_live / sizeof *out_live; j++) out_live[j] = 777.0f;
        switch ((corruption)bad) {
        case C_NULL_IN: if (op == 2) o = NULL; else a = NULL; break;
        case C_NULL_OUT: b = NULL; break;
        case C_ZERO: if (op == 1) nn = 0; else if (op == 2) lo = 0; else la = 0; break;
        case C_HUGE: if (op == 1) nn = huge(); else lb = huge(); break;
        case C_LEN_PLUS: lb++; break;
        case C_LEN_MINUS: la--; break;
        case C_NAN: case C_INF:
            if (op == 2) { lo = k + 1; break; }  /* estimate has no input data: a wrong s length instead */
            if (rng_below(&rng, 2)) poison(in_a, la, bad == C_INF);
            else poison(in_b, lb, bad == C_INF);
            break;
        case C_DEAD: h = (sbe_estimator_t *)pick_dead(); break;
        case C_FOREIGN: h = (sbe_estimator_t *)(void *)&foreign; break;
        case C_KIND: h = (sbe_estimator_t *)live_t[rng_below(&rng, NT)]; break;
        default: break;
        }
        sbe_clear_error();
        int st;
        switch (op) {
        case 0: st = sbe_estimator_observe(h, a, la, b, lb); break;
        case 1: st = sbe_estimator_observe_batch(h, a, la, b, lb, nn); break;
        default: st = sbe_estimator_estimate(h, o, lo, (float *)(o ? o + 8 : NULL), la, (float *)(b ? out_live + 40 : NULL), lb); break;
        }
        expect_bad(st, "estimator", op);
        CHECK(outputs_untouched(sizeof out_live / sizeof *out_live), "bad estimator op %d wrote its output", op);
        return;
    }
    for (int world = 0; world < 2; world++) {
        sbe_estimator_t *e = world ? shadow_e[i] : live_e[i];
        float *out = world ? out_shadow : out_live;
        switch (op) {
        case 0: OK(sbe_estimator_observe(e, in_a, la, in_b, lb)); break;
        case 1: OK(sbe_estimator_observe_batch(e, in_a, la, in_b, lb, n)); break;
        default: OK(sbe_estimator_estimate(e, out, k, out + 8, la, out + 40, lb)); break;
        }
        good_calls++;
    }
    if (op == 2)
        CHECK(memcmp(out_live, out_shadow, k * sizeof(float)) == 0 && memcmp(out_live + 8, out_shadow + 8, la * sizeof(float)) == 0 &&
              memcmp(out_live + 40, out_shadow + 40, lb * sizeof(float)) == 0, "estimator %d: live and shadow estimates differ", i);
}

static sbe_network_config_t network_config(int i)
{
    sbe_network_config_t c;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.version = SBE_NETWORK_CONFIG_VERSION;
    c.layer_sizes = NET_SIZES;
    c.layer_count = 3;
    c.method = i == 0 ? SBE_METHOD_SBE : SBE_METHOD_SGD;
    c.rank = 1;
    c.sub_batch = 1;
    c.seed = 300 + (uint64_t)i;
    c.tile.struct_size = sizeof c.tile;
    c.tile.version = SBE_TILE_CONFIG_VERSION;
    if (i == 1) c.tile.device = SBE_DEVICE_CAPACITOR;
    return c;
}

/* op 0: train_batch, 1: train_epoch, 2: evaluate, 3: predict. */
static void network_op(int i, int op, int bad)
{
    size_t n = 1 + rng_below(&rng, MAXN), batch = 1 + rng_below(&rng, 3), li = n * NIN, lo = n * NCLS, nn = n;
    float lr = 0.05f * (rng_uniform(&rng) + 1.0f);
    int foreign = 0;
    sbe_network_t *h = live_n[i];
    const float *a = in_a;
    const int32_t *lab = labels_buf;
    float *o = out_live;
    fill(in_a, li);
    for (size_t j = 0; j < n; j++) labels_buf[j] = (int32_t)rng_below(&rng, NCLS);
    sbe_evaluation_t ev = { .struct_size = sizeof ev, .version = SBE_EVALUATION_VERSION }, ev2 = ev;
    if (bad >= 0) {
        for (size_t j = 0; j < sizeof out_live / sizeof *out_live; j++) out_live[j] = 777.0f;
        switch ((corruption)bad) {
        case C_NULL_IN: a = NULL; break;
        case C_NULL_OUT: if (op == 3) o = NULL; else lab = NULL; break;
        case C_ZERO: if (op == 1 && rng_below(&rng, 2)) batch = 0; else nn = 0; break;
        case C_HUGE: nn = huge(); break;
        case C_LEN_PLUS: li++; break;
        case C_LEN_MINUS: if (op == 3) lo--; else li--; break;
        case C_NAN: case C_INF:
            if (op <= 1 && rng_below(&rng, 3) == 0) lr = bad == C_INF ? -INFINITY : NAN;
            else if (op <= 2 && rng_below(&rng, 2)) labels_buf[rng_below(&rng, n)] = rng_below(&rng, 2) ? -1 - (int32_t)rng_below(&rng, 5) : NCLS + (int32_t)rng_below(&rng, 5);
            else poison(in_a, li, bad == C_INF);
            break;
        case C_DEAD: h = (sbe_network_t *)pick_dead(); break;
        case C_FOREIGN: h = (sbe_network_t *)(void *)&foreign; break;
        case C_KIND: h = (sbe_network_t *)live_t[rng_below(&rng, NT)]; break;
        default: break;
        }
        sbe_clear_error();
        int st;
        switch (op) {
        case 0: st = sbe_network_train_batch(h, a, li, lab, nn, lr, NULL); break;
        case 1: st = sbe_network_train_epoch(h, a, li, lab, nn, batch, lr, 7, NULL); break;
        case 2: st = sbe_network_evaluate(h, a, li, lab, nn, &ev); break;
        default: st = sbe_network_predict(h, a, li, nn, o, lo); break;
        }
        expect_bad(st, "network", op);
        CHECK(outputs_untouched(sizeof out_live / sizeof *out_live), "bad network op %d wrote its output", op);
        return;
    }
    for (int world = 0; world < 2; world++) {
        sbe_network_t *net = world ? shadow_n[i] : live_n[i];
        switch (op) {
        case 0: OK(sbe_network_train_batch(net, in_a, li, labels_buf, n, lr, NULL)); break;
        case 1: OK(sbe_network_train_epoch(net, in_a, li, labels_buf, n, batch, lr, 7, NULL)); break;
        case 2: OK(sbe_network_evaluate(net, in_a, li, labels_buf, n, world ? &ev2 : &ev)); break;
        default: OK(sbe_network_predict(net, in_a, li, n, world ? out_shadow : out_live, lo)); break;
        }
        good_calls++;
    }
    if (op == 2) CHECK(ev.loss == ev2.loss && ev.accuracy == ev2.accuracy, "network %d: evaluations differ", i);
    if (op == 3) CHECK(memcmp(out_live, out_shadow, lo * sizeof(float)) == 0, "network %d: predictions differ", i);
}

/* Kernels over caller buffers: a bad call writes nothing (ger's w included). op 0 gemv, 1 gemv_t, 2 ger, 3 batch_read, 4 batch_read_t. */
static void kernel_op(int op, int bad)
{
    size_t r = 1 + rng_below(&rng, 9), c = 1 + rng_below(&rng, 9), stride = c + rng_below(&rng, 3), n = 1 + rng_below(&rng, MAXN);
    size_t wl = (r - 1) * stride + c, la, lo;
    static float w[128], wcopy[128];
    float alpha = rng_uniform(&rng);
    fill(w, wl); fill(in_a, 64); fill(in_b, 64);
    switch (op) {
    case 0: la = c; lo = r; break;
    case 1: la = r; lo = c; break;
    case 2: la = r; lo = c; break;          /* u (rows) and v (cols) */
    case 3: la = n * c; lo = n * r; break;
    default: la = n * r; lo = n * c; break;
    }
    if (bad < 0) {                            /* a good call: checked against a double reference */
        int st;
        switch (op) {
        case 0: st = sbe_gemv(w, wl, r, c, stride, in_a, la, out_live, lo); break;
        case 1: st = sbe_gemv_t(w, wl, r, c, stride, in_a, la, out_live, lo); break;
        case 2: memcpy(wcopy, w, wl * sizeof *w); st = sbe_ger(alpha, in_a, la, in_b, lo, w, wl, r, c, stride); break;
        case 3: st = sbe_batch_read(w, wl, r, c, stride, in_a, la, n, out_live, lo); break;
        default: st = sbe_batch_read_t(w, wl, r, c, stride, in_a, la, n, out_live, lo); break;
        }
        good_calls++;
        CHECK(st == SBE_OK, "good kernel op %d returned %d: %s", op, st, last_error());
        if (op == 2) {
            for (size_t i = 0; i < r; i++)
                for (size_t j = 0; j < c; j++)
                    CHECK(fabsf(w[i * stride + j] - (wcopy[i * stride + j] + alpha * in_a[i] * in_b[j])) < 1e-5f, "ger %zu,%zu", i, j);
        } else if (op == 0 || op == 3) {
            for (size_t k = 0; k < (op == 0 ? 1 : n); k++)
                for (size_t i = 0; i < r; i++) {
                    double t = 0; for (size_t j = 0; j < c; j++) t += (double)w[i * stride + j] * in_a[k * c + j];
                    CHECK(fabs(out_live[k * r + i] - t) < 1e-4, "kernel op %d output differs", op);
                }
        }
        return;
    }
    const float *a = in_a, *wp = w, *v = in_b;
    float *o = out_live;
    size_t rr = r, cc = c, ss = stride, nn = n, wwl = wl;
    for (size_t j = 0; j < sizeof out_live / sizeof *out_live; j++) out_live[j] = 777.0f;
    memcpy(wcopy, w, sizeof w);
    switch ((corruption)bad) {
    case C_NULL_IN: if (rng_below(&rng, 2)) a = NULL; else wp = NULL; break;
    case C_NULL_OUT: if (op == 2) v = NULL; else o = NULL; break;
    case C_ZERO: switch (rng_below(&rng, 3)) { case 0: rr = 0; break; case 1: cc = 0; break; default: if (op >= 3) nn = 0; else ss = 0; } break;
    case C_HUGE: switch (rng_below(&rng, 3)) { case 0: rr = huge(); break; case 1: ss = huge(); break; default: wwl = huge(); cc = huge(); } break;
    case C_LEN_PLUS: la++; break;
    case C_LEN_MINUS: if (rng_below(&rng, 2)) lo--; else wwl--; break;
    case C_NAN: case C_INF: if (op == 2 && rng_below(&rng, 3) == 0) alpha = bad == C_INF ? INFINITY : NAN; else poison(in_a, la, bad == C_INF); break;
    case C_DEAD: case C_FOREIGN: case C_KIND: ss = c > 1 ? c - 1 : 0; break; /* no handles here: a stride below cols instead */
    default: break;
    }
    sbe_clear_error();
    int st;
    switch (op) {
    case 0: st = sbe_gemv(wp, wwl, rr, cc, ss, a, la, o, lo); break;
    case 1: st = sbe_gemv_t(wp, wwl, rr, cc, ss, a, la, o, lo); break;
    case 2: st = sbe_ger(alpha, a, la, v, lo, (float *)wp, wwl, rr, cc, ss); break;
    case 3: st = sbe_batch_read(wp, wwl, rr, cc, ss, a, la, nn, o, lo); break;
    default: st = sbe_batch_read_t(wp, wwl, rr, cc, ss, a, la, nn, o, lo); break;
    }
    expect_bad(st, "kernel", op);
    CHECK(outputs_untouched(sizeof out_live / sizeof *out_live), "bad kernel op %d wrote its output", op);
    CHECK(memcmp(w, wcopy, sizeof w) == 0, "bad kernel op %d changed w", op);
}

/* Bad creates and destroys: wrong struct sizes/versions, out-of-range enums, NULLs, double frees. */
static void lifecycle_bad(void)
{
    sbe_tile_t *t = NULL;
    sbe_estimator_t *e = NULL;
    sbe_tile_config_t tc = tile_config(4, 4, 1);
    sbe_estimator_config_t ec = estimator_config(4, 4, 1, 1);
    int st;
    sbe_clear_error();
    switch (rng_below(&rng, 12)) {
    case 0: tc.struct_size = (uint32_t)rng_below(&rng, sizeof tc); st = sbe_tile_create(&tc, &t); break;
    case 1: tc.version = 2 + (uint32_t)rng_below(&rng, 1000); st = sbe_tile_create(&tc, &t); break;
    case 2: if (rng_below(&rng, 2)) tc.rows = 0; else tc.device = SBE_DEVICE_TIKI_TAKA_RERAM_SB + 1 + (uint32_t)rng_below(&rng, 1000); st = sbe_tile_create(&tc, &t); break;
    case 3: if (rng_below(&rng, 2)) { st = sbe_tile_create(&tc, NULL); break; }
            {   /* a preset by an unknown name, a NULL name or a bad struct header: *config stays as it was */
                static const char *const bad_names[] = { "memristor", "", "reram sb", "pcm:none", NULL };
                size_t which = rng_below(&rng, 6);
                sbe_tile_config_t before;
                if (which == 5) tc.version = 2 + (uint32_t)rng_below(&rng, 1000);
                before = tc;
                st = sbe_tile_config_preset(which == 5 ? "pcm" : bad_names[which], &tc);
                CHECK(memcmp(&before, &tc, sizeof tc) == 0, "a bad sbe_tile_config_preset changed *config");
            }
            break;
    case 4: ec.struct_size = sizeof ec + 1 + (uint32_t)rng_below(&rng, 64); st = sbe_estimator_create(&ec, &e); break;
    case 5: ec.initialization = 2 + (uint32_t)rng_below(&rng, 100); st = sbe_estimator_create(&ec, &e); break;
    case 6: ec.magnitude = 3 + (uint32_t)rng_below(&rng, 100); st = sbe_estimator_create(&ec, &e); break;
    case 7: ec.rank = 5 + (uint32_t)rng_below(&rng, 100); st = sbe_estimator_create(&ec, &e); break;
    case 8: switch (rng_below(&rng, 3)) {
            case 0: ec.quantization_bits = 25 + (uint32_t)rng_below(&rng, 100); break;
            case 1: ec.quantization_bits = 8; ec.stochastic_rounding = 2 + (uint32_t)rng_below(&rng, 100); break;
            default: ec.stochastic_rounding = 1; break;                                  /* nothing to round */
            }
            st = sbe_estimator_create(&ec, &e); break;
    case 9: if (rng_below(&rng, 2)) st = sbe_estimator_create(NULL, &e);
            else { sbe_network_config_t nc = network_config(0); sbe_network_t *nt = NULL;
                   switch (rng_below(&rng, 4)) { case 0: nc.method = SBE_METHOD_LRT + 1 + (uint32_t)rng_below(&rng, 50); break; case 1: nc.layer_count = (uint32_t)rng_below(&rng, 2); break;
                                                 case 2: nc.tile.struct_size = 0; break; default: nc.activation = 2 + (uint32_t)rng_below(&rng, 50); break; }
                   st = sbe_network_create(&nc, &nt); CHECK(nt == NULL, "a bad network create returned a handle"); }
            break;
    case 10: st = sbe_tile_destroy((sbe_tile_t *)pick_dead()); if (st == SBE_OK) st = sbe_estimator_destroy((sbe_estimator_t *)pick_dead()); break;
    default: st = sbe_estimator_destroy((sbe_estimator_t *)live_t[rng_below(&rng, NT)]); break;
    }
    expect_bad(st, "lifecycle", -1);
    CHECK(t == NULL && e == NULL, "a bad create returned a handle");
}

static void compare_all(void)
{
    static float wl[256], ws[256];
    for (int i = 0; i < NT; i++) {
        size_t n = TR[i] * TC[i];
        OK(sbe_tile_get_weights(live_t[i], wl, n));
        OK(sbe_tile_get_weights(shadow_t[i], ws, n));
        CHECK(memcmp(wl, ws, n * sizeof(float)) == 0, "tile %d differs from its shadow", i);
        sbe_tile_counters_t cl = { .struct_size = sizeof cl, .version = SBE_TILE_COUNTERS_VERSION }, cs = cl;
        OK(sbe_tile_get_counters(live_t[i], &cl));
        OK(sbe_tile_get_counters(shadow_t[i], &cs));
        CHECK(memcmp(&cl, &cs, sizeof cl) == 0, "tile %d counters differ: writes %lld vs %lld, pulses %lld vs %lld", i,
              (long long)cl.rank_one_writes, (long long)cs.rank_one_writes, (long long)cl.total_pulses, (long long)cs.total_pulses);
        static int64_t pl[256], ps[256];
        OK(sbe_tile_get_pulses(live_t[i], pl, n));
        OK(sbe_tile_get_pulses(shadow_t[i], ps, n));
        CHECK(memcmp(pl, ps, n * sizeof *pl) == 0, "tile %d pulses per device differ", i);
    }
    for (int i = 0; i < NE; i++) estimator_op(i, 2, -1); /* estimate on both worlds, compared bit for bit */
    for (int i = 0; i < NN; i++) {
        static float a[64], b[64];
        OK(sbe_network_get_weights(live_n[i], 0, a, 5 * (NIN + 1)));
        OK(sbe_network_get_weights(shadow_n[i], 0, b, 5 * (NIN + 1)));
        CHECK(memcmp(a, b, 5 * (NIN + 1) * sizeof(float)) == 0, "network %d layer 0 differs from its shadow", i);
        OK(sbe_network_get_weights(live_n[i], 1, a, NCLS * 6));
        OK(sbe_network_get_weights(shadow_n[i], 1, b, NCLS * 6));
        CHECK(memcmp(a, b, NCLS * 6 * sizeof(float)) == 0, "network %d layer 1 differs from its shadow", i);
    }
}

int main(int argc, char **argv)
{
    long target = argc > 1 ? atol(argv[1]) : 100000;
    rng.s = argc > 2 ? strtoull(argv[2], NULL, 10) : 20191001;
    for (int i = 0; i < NT; i++) {
        sbe_tile_config_t tc = tile_config(TR[i], TC[i], 100 + i);
        if (i == 1) tc.device = SBE_DEVICE_GOKMEN_VLASOV;                        /* stochastic pulses, preset noisy I/O */
        if (i == 2) { OK(sbe_tile_config_preset("ec-ram", &tc)); tc.pulse_type = SBE_PULSE_DETERMINISTIC_IMPLICIT; }
        OK(sbe_tile_create(&tc, &live_t[i]));
        OK(sbe_tile_create(&tc, &shadow_t[i]));
        fill(in_a, TR[i] * TC[i]);
        OK(sbe_tile_set_weights(live_t[i], in_a, TR[i] * TC[i]));
        OK(sbe_tile_set_weights(shadow_t[i], in_a, TR[i] * TC[i]));
    }
    for (int i = 0; i < NE; i++) {
        sbe_estimator_config_t ec = estimator_config(ER[i], EC[i], EK[i], 200 + i);
        ec.sub_batch = EM[i];
        if (i == 1) { ec.quantization_bits = 8; ec.stochastic_rounding = 1; }   /* a rejected call must not consume draws */
        OK(sbe_estimator_create(&ec, &live_e[i]));
        OK(sbe_estimator_create(&ec, &shadow_e[i]));
    }
    for (int i = 0; i < NN; i++) {
        sbe_network_config_t nc = network_config(i);
        OK(sbe_network_create(&nc, &live_n[i]));
        OK(sbe_network_create(&nc, &shadow_n[i]));
    }
    for (int i = 0; i < DEAD; i++) {          /* destroyed handles of every kind, their slots since reused */
        sbe_tile_config_t tc = tile_config(2, 2, 1);
        sbe_estimator_config_t ec = estimator_config(2, 2, 1, 1);
        sbe_tile_t *t; sbe_estimator_t *e;
        if (i % 4 == 3) { sbe_network_config_t nc = network_config(0); sbe_network_t *nt; OK(sbe_network_create(&nc, &nt)); OK(sbe_network_destroy(nt)); dead[dead_count++] = nt; }
        else if (i % 2) { OK(sbe_tile_create(&tc, &t)); OK(sbe_tile_destroy(t)); dead[dead_count++] = t; }
        else { OK(sbe_estimator_create(&ec, &e)); OK(sbe_estimator_destroy(e)); dead[dead_count++] = e; }
    }
    if (g_failures) return test_summary("bad_input_stress");

    long checkpoints = 0, iteration = 0;
    while (bad_calls < target && g_failures < 20) {
        iteration++;
        int good = rng_below(&rng, 10) < 3;   /* about 30% good calls, mixed in */
        int bad = good ? -1 : (int)rng_below(&rng, C_COUNT);
        switch (rng_below(&rng, 13)) {
        case 0: case 1: case 2: case 3: tile_op((int)rng_below(&rng, NT), (int)rng_below(&rng, 5), bad); break;
        case 4: case 5: case 6: case 7: estimator_op((int)rng_below(&rng, NE), (int)rng_below(&rng, 3), bad); break;
        case 8: case 9: case 10: network_op((int)rng_below(&rng, NN), (int)rng_below(&rng, 4), bad); break;
        case 11: kernel_op((int)rng_below(&rng, 5), bad); break;
        default: if (!good) lifecycle_bad(); break;
        }
        if (iteration % 2000 == 0) { compare_all(); checkpoints++; }
    }
    compare_all();
    for (int i = 0; i < NT; i++) { OK(sbe_tile_destroy(live_t[i])); OK(sbe_tile_destroy(shadow_t[i])); }
    for (int i = 0; i < NE; i++) { OK(sbe_estimator_destroy(live_e[i])); OK(sbe_estimator_destroy(shadow_e[i])); }
    for (int i = 0; i < NN; i++) { OK(sbe_network_destroy(live_n[i])); OK(sbe_network_destroy(shadow_n[i])); }
    size_t tiles, ests, nets;
    OK(sbe_live_handles(&tiles, &ests, &nets));
    CHECK(tiles == 0 && ests == 0 && nets == 0, "leaked %zu tiles, %zu estimators, %zu networks", tiles, ests, nets);
    printf("%ld bad calls (%ld wrongly accepted), %ld good calls, %ld checkpoints\n", bad_calls, bad_ok, good_calls, checkpoints + 1);
    CHECK(bad_calls >= target, "only %ld bad calls", bad_calls);
    return test_summary("bad_input_stress");
}
