/* sq_files: the SQLite database as files, for what needs no open handle:
 * whether it exists, a stamp of its state for caches, and removing it with
 * the files SQLite keeps beside it. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite/sq_internal.h"

/* A database file exists (whether it is one is for open to say). */
int kg_sq_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* The state of the database files, so that a cached answer is never served
 * after another process (or connection) wrote: any commit changes the WAL's
 * or the main file's size or modification time.  Modification times are only as
 * fine as the kernel's clock tick, and a restarted WAL is rewritten in place
 * at the same size, so the stamp also carries the shared-memory index's
 * header (SQLite's documented WAL-index format): its change counter moves on
 * every commit and its salts on every WAL restart.  A torn read of that
 * header can only produce a stamp never seen before: a miss, not a stale
 * hit. */
void kg_sq_stamp(const char *db, kg_buf *key)
{
    const char *suffix[] = {"", "-wal"};
    for (int i = 0; i < 2; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s%s", db, suffix[i]);
        struct stat st;
        /* A reader creates an empty WAL: absent and empty must stamp alike. */
        if (stat(path, &st) == 0 && st.st_size > 0)
            kg_buf_printf(key, "|%lld.%09ld:%lld", (long long)st.st_mtim.tv_sec,
                          (long)st.st_mtim.tv_nsec, (long long)st.st_size);
        else
            kg_buf_puts(key, "|-");
    }
    char shm[4200];
    snprintf(shm, sizeof shm, "%s-shm", db);
    int fd = open(shm, O_RDONLY | O_CLOEXEC);
    unsigned char h[48];
    uint32_t change = 0, frames = 0, salt0 = 0, salt1 = 0;
    if (fd >= 0 && pread(fd, h, sizeof h, 0) == (ssize_t)sizeof h) {
        memcpy(&change, h + 8, 4);  /* iChange */
        memcpy(&frames, h + 16, 4); /* mxFrame */
        memcpy(&salt0, h + 32, 4);  /* aSalt */
        memcpy(&salt1, h + 36, 4);
    }
    /* A reader's fresh index over an empty WAL is all zeros: stamp it as no
     * index at all, as an empty WAL stamps as none. */
    if (change | frames | salt0 | salt1) {
        kg_buf_printf(key, "|%u.%u.%u.%u", change, frames, salt0, salt1);
    } else {
        kg_buf_puts(key, "|-");
    }
    if (fd >= 0)
        close(fd);
}

void kg_sq_remove(const char *db)
{
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int k = 0; k < 3; k++) {
        char side[4200];
        snprintf(side, sizeof side, "%s%s", db, suffix[k]);
        remove(side);
    }
}
