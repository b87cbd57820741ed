/* Every prototype declared in sbecore.h resolves in the built library (dlsym), and every sbe_ symbol
   the library exports is declared in the header (nm -D), so the two cannot drift apart. */
#include <dlfcn.h>
#include <ctype.h>
#include <stdlib.h>
#include "test_util.h"

#define MAX_NAMES 256
static char g_names[MAX_NAMES][64];
static int g_count;

static int declared(const char *name)
{
    for (int i = 0; i < g_count; i++) if (strcmp(g_names[i], name) == 0) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: test_symbols sbecore.h SbeCore.Native.so\n"); return 2; }
    FILE *h = fopen(argv[1], "r");
    if (!h) { perror(argv[1]); return 2; }
    char line[1024];
    while (fgets(line, sizeof line, h)) {
        if (strncmp(line, "SBE_API ", 8) != 0) continue;       /* prototypes start with SBE_API */
        char *open = strchr(line, '(');
        if (!open) continue;
        char *end = open;
        while (end > line && isspace((unsigned char)end[-1])) end--;
        char *start = end;
        while (start > line && (isalnum((unsigned char)start[-1]) || start[-1] == '_')) start--;
        size_t len = (size_t)(end - start);
        CHECK(len > 4 && len < 64 && strncmp(start, "sbe_", 4) == 0, "cannot parse a name from: %s", line);
        if (len > 4 && len < 64 && g_count < MAX_NAMES) { memcpy(g_names[g_count], start, len); g_names[g_count][len] = 0; g_count++; }
    }
    fclose(h);
    CHECK(g_count >= 29, "only %d prototypes parsed from the header", g_count);

    void *lib = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
    for (int i = 0; i < g_count; i++)
        CHECK(dlsym(lib, g_names[i]) != NULL, "%s is declared in sbecore.h but not exported", g_names[i]);

    char command[2048];
    snprintf(command, sizeof command, "nm -D --defined-only '%s'", argv[2]);
    FILE *nm = popen(command, "r");
    CHECK(nm != NULL, "cannot run nm");
    int exported = 0;
    if (nm) {
        while (fgets(line, sizeof line, nm)) {
            char *name = strstr(line, " sbe_");
            if (!name) continue;
            name++;
            name[strcspn(name, "@ \n")] = 0;
            exported++;
            CHECK(declared(name), "%s is exported but not declared in sbecore.h", name);
        }
        CHECK(pclose(nm) == 0, "nm failed");
    }
    CHECK(exported == g_count, "library exports %d sbe_ symbols, header declares %d", exported, g_count);
    printf("%d prototypes, %d exports\n", g_count, exported);
    return test_summary("symbols_resolve");
}
