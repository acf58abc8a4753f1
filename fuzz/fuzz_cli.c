/* fuzz_cli: the command line (cli/): global options anywhere, the command
 * table, each command's own options and the settings they set, as
 * kg_cli_main runs them.  Arguments are the input split at NUL bytes.
 *
 * A sandbox, so that a command that parses its arguments well also runs
 * harmlessly: the working directory is the scratch folder, the only
 * allowed root; no KGAS_* variable or API key comes from outside; any
 * argument that names an absolute path or climbs out ("..") is refused by
 * the harness, as are the commands that would serve or reach the network
 * (mcp, doctor) and `tools --validate` (a whole pipeline run).  Output goes
 * where libFuzzer's -close_fd_mask sends it.  After each input the scratch
 * folder is emptied: what one command wrote (a database, an export) would
 * otherwise grow with the run until an `ingest .` replaying the corpus
 * read tens of megabytes and hit libFuzzer's timeout (stop 28). */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern char **environ;

static void sandbox(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    const char *dir = fz_dir();
    if (chdir(dir) != 0)
        abort();
    for (int again = 1; again;) { /* unsetenv moves environ: rescan after each */
        again = 0;
        for (char **e = environ; *e; e++)
            if (strncmp(*e, "KGAS_", 5) == 0 || strncmp(*e, "OPENAI_", 7) == 0) {
                char name[256];
                size_t n = strcspn(*e, "=");
                snprintf(name, sizeof name, "%.*s", (int)n, *e);
                unsetenv(name);
                again = 1;
                break;
            }
    }
    setenv("KGAS_ALLOWED_ROOTS", dir, 1);
}

static int refused(const char *a)
{
    static const char *const deny[] = {"mcp", "doctor", "--validate"};
    if (a[0] == '/' || strstr(a, "..") || strstr(a, "=/") || strncmp(a, "--token-file", 12) == 0)
        return 1;
    for (size_t i = 0; i < sizeof deny / sizeof deny[0]; i++)
        if (strcmp(a, deny[i]) == 0)
            return 1;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    if (ftw->level > 0) /* the folder itself stays: it is the allowed root */
        remove(path);
    return 0;
}

/* Everything below the scratch folder, children before their folder. */
static void empty_scratch(void)
{
    nftw(fz_dir(), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    sandbox();
    char *buf = fz_str(data, size);
    char *argv[64];
    int argc = 0;
    argv[argc++] = "kgas";
    for (size_t i = 0; i <= size && argc < 63;) {
        char *a = buf + i;
        size_t n = strlen(a);
        if (refused(a)) {
            free(buf);
            return 0;
        }
        argv[argc++] = a;
        i += n + 1;
    }
    argv[argc] = NULL;
    kg_cli_main(argc, argv);
    free(buf);
    empty_scratch();
    return 0;
}
