/* Tile files against hostile paths: loads open only regular files (never block on a FIFO, never read /dev/zero),
   check the size cap before reading, and saves never replace a link, FIFO or device. Each call must return within
   a few seconds: an alarm turns a hang into a failure. Usage: test_file_safety SCRATCH_DIR */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test_util.h"

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "test_file_safety: a call blocked for 10 s\n";
    if (write(2, msg, sizeof msg - 1) < 0) _exit(2);
    _exit(1);
}

static void expect_io(int status, const char *what, const char *needle)
{
    CHECK(status == SBE_E_IO, "%s returned %d, expected SBE_E_IO (%s)", what, status, last_error());
    CHECK(strstr(last_error(), needle) != NULL, "%s: message '%s' lacks '%s'", what, last_error(), needle);
}

static long file_size(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 ? (long)st.st_size : -1;
}

int main(int argc, char **argv)
{
    char dir[3072], path[4096], link_path[4096], fifo[4096], stale[4096], big[4096];
    snprintf(dir, sizeof dir, "%s/file_safety_%d", argc > 1 ? argv[1] : ".", (int)getpid());
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/victim.sbt", dir);
    snprintf(link_path, sizeof link_path, "%s/link.sbt", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo.sbt", dir);
    snprintf(stale, sizeof stale, "%s/victim.sbt.tmp-2000000000-1", dir); /* a writer pid no process has */
    snprintf(big, sizeof big, "%s/big.sbt", dir);
    signal(SIGALRM, on_alarm);
    alarm(10);

    sbe_tile_config_t c = { .struct_size = sizeof c, .version = SBE_TILE_CONFIG_VERSION, .rows = 3, .cols = 4, .seed = 1 };
    sbe_tile_t *t = NULL, *u = NULL;
    OK(sbe_tile_create(&c, &t));
    OK(sbe_tile_save(t, path));
    long saved = file_size(path);
    CHECK(saved > 0, "the tile was not saved");

    /* Loads: devices, FIFOs and folders are refused by kind; an oversized file before it is read. */
    u = (sbe_tile_t *)1;
    expect_io(sbe_tile_load("/dev/zero", &u), "load /dev/zero", "is a character device");
    CHECK(u == NULL, "a failed load returned a handle");
    expect_io(sbe_tile_load(dir, &u), "load of a folder", "is a directory");
    CHECK(mkfifo(fifo, 0600) == 0, "mkfifo: %s", strerror(errno));
    expect_io(sbe_tile_load(fifo, &u), "load of a FIFO", "is a FIFO");
    int fd = open(big, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    CHECK(fd >= 0 && ftruncate(fd, (1L << 30) + 1) == 0, "cannot make a sparse file");
    if (fd >= 0) close(fd);
    expect_io(sbe_tile_load(big, &u), "load of a 1 GiB + 1 file", "limit");

    /* Saves: a link, a FIFO, a device, a folder are never replaced, and the file behind the link is intact. */
    CHECK(symlink(path, link_path) == 0, "symlink: %s", strerror(errno));
    expect_io(sbe_tile_save(t, link_path), "save onto a symlink", "refusing to replace it");
    expect_io(sbe_tile_save(t, fifo), "save onto a FIFO", "refusing to replace it");
    expect_io(sbe_tile_save(t, "/dev/null"), "save onto /dev/null", "refusing to replace it");
    expect_io(sbe_tile_save(t, dir), "save onto a folder", "refusing to replace it");
    struct stat st;
    CHECK(lstat(link_path, &st) == 0 && S_ISLNK(st.st_mode), "the symlink was replaced");
    CHECK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode), "the FIFO was replaced");
    CHECK(lstat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode), "/dev/null was replaced");
    CHECK(file_size(path) == saved, "the file behind the link changed");

    /* A temporary file of a killed writer is removed by the next save; the load still round-trips. */
    FILE *f = fopen(stale, "wb");
    if (f) { fputs("half a tile", f); fclose(f); }
    OK(sbe_tile_save(t, path));
    CHECK(file_size(stale) < 0, "the stale temporary file survived the save");
    OK(sbe_tile_load(path, &u));
    OK(sbe_tile_destroy(u));
    OK(sbe_tile_destroy(t));

    unlink(link_path); unlink(fifo); unlink(big); unlink(path); rmdir(dir);
    return test_summary("file_safety");
}
