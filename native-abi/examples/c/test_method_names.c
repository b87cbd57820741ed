/* The update methods and device presets by name (ABI 1.5): sbe_method_names lists exactly the sbe_method constants in order, every name
   and alias resolves to its constant, labels follow the CLI's form, and bad input is refused with nothing written. */
#include <stdlib.h>
#include "test_util.h"

static const struct { const char *name; uint32_t value; } EXPECTED[] = {
    {"sgd", SBE_METHOD_SGD}, {"minibatch", SBE_METHOD_MINIBATCH}, {"svd", SBE_METHOD_TRUNCATED_SVD},
    {"sbe", SBE_METHOD_SBE}, {"sbpca", SBE_METHOD_SBPCA}, {"lrt", SBE_METHOD_LRT},
};
#define COUNT (sizeof EXPECTED / sizeof EXPECTED[0])

static void test_names_list_the_enum_in_order(void)
{
    size_t len = 0;
    OK(sbe_method_names(NULL, 0, &len));
    char *buf = malloc(len + 1);
    OK(sbe_method_names(buf, len + 1, &len));
    size_t i = 0;
    for (char *line = strtok(buf, "\n"); line != NULL; line = strtok(NULL, "\n"), i++)
    {
        CHECK(i < COUNT && strcmp(line, EXPECTED[i].name) == 0, "name %zu is '%s'", i, line);
        uint32_t v = 99;
        OK(sbe_method_by_name(line, &v));
        CHECK(i < COUNT && v == EXPECTED[i].value && v == i, "'%s' -> %u", line, v);
    }
    CHECK(i == COUNT, "%zu names, expected %zu", i, (size_t)COUNT);
    free(buf);
}

static void test_aliases_and_labels(void)
{
    uint32_t v = 99;
    OK(sbe_method_by_name("truncated-svd", &v)); CHECK(v == SBE_METHOD_TRUNCATED_SVD, "truncated-svd -> %u", v);
    OK(sbe_method_by_name(" MBGD ", &v)); CHECK(v == SBE_METHOD_MINIBATCH, "MBGD -> %u", v);
    char label[16]; size_t len = 0;
    OK(sbe_method_label(SBE_METHOD_SBE, 4, label, sizeof label, &len)); CHECK(strcmp(label, "sbe-4") == 0 && len == 5, "label %s", label);
    OK(sbe_method_label(SBE_METHOD_SGD, 4, label, sizeof label, &len)); CHECK(strcmp(label, "sgd") == 0, "label %s", label);
    OK(sbe_method_label(SBE_METHOD_TRUNCATED_SVD, 2, label, sizeof label, &len)); CHECK(strcmp(label, "svd-2") == 0, "label %s", label);
}

/* sbe_device_names lists the presets in sbe_device order: each name resolves to its line's value. */
static void test_device_names_are_the_enum(void)
{
    size_t len = 0;
    OK(sbe_device_names(NULL, 0, &len));
    char *buf = malloc(len + 1);
    OK(sbe_device_names(buf, len + 1, &len));
    CHECK(strncmp(buf, "Ideal\n", 6) == 0, "first preset: %s", buf);
    uint32_t i = 0;
    for (char *line = strtok(buf, "\n"); line != NULL; line = strtok(NULL, "\n"), i++)
    {
        sbe_tile_config_t c = tile_config(2, 3, 1);
        OK(sbe_tile_config_preset(line, &c));
        CHECK(c.device == i, "'%s' -> %u, expected %u", line, c.device, i);
    }
    CHECK(i == SBE_DEVICE_TIKI_TAKA_RERAM_SB + 1, "%u presets", i);
    free(buf);
}

static void test_bad_input(void)
{
    uint32_t v = 77;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_method_by_name("adam", &v));
    CHECK(v == 77 && strstr(last_error(), "sbpca") != NULL, "unknown name: v %u, message %s", v, last_error());
    FAILS(SBE_E_NULL_POINTER, sbe_method_by_name(NULL, &v));
    FAILS(SBE_E_NULL_POINTER, sbe_method_by_name("sgd", NULL));
    char label[4] = "xyz"; size_t len = 0;
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_method_label(SBE_METHOD_LRT + 1, 1, label, sizeof label, &len));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_method_label(SBE_METHOD_SBE, 0, label, sizeof label, &len));
    FAILS(SBE_E_INVALID_ARGUMENT, sbe_method_label(SBE_METHOD_SBPCA, 1, label, sizeof label, &len));  /* "sbpca-1" needs 8 */
    CHECK(strcmp(label, "xyz") == 0 && len == 7, "too small a buffer: '%s', len %zu", label, len);
}

int main(void)
{
    CHECK(sbe_abi_version() >= ((1 << 16) | 5), "sbe_method_* needs ABI 1.5, library has 0x%x", sbe_abi_version());
    test_names_list_the_enum_in_order();
    test_aliases_and_labels();
    test_device_names_are_the_enum();
    test_bad_input();
    return test_summary("method_names");
}
