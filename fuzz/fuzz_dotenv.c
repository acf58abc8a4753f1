/* fuzz_dotenv: the .env reader (config/dotenv), which sets environment
 * variables.  What an input set is unset again afterwards, so inputs do
 * not see each other's variables and the environment does not grow. */
#include <stdlib.h>
#include <string.h>

#include "config/dotenv.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern char **environ;

static int had(char **before, size_t n, const char *entry)
{
    size_t k = strcspn(entry, "=");
    for (size_t i = 0; i < n; i++)
        if (strncmp(before[i], entry, k) == 0 && before[i][k] == '=')
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_file("fuzz.env", data, size);
    size_t n = 0;
    while (environ[n])
        n++;
    char **before = calloc(n + 1, sizeof *before);
    for (size_t i = 0; i < n; i++)
        before[i] = strdup(environ[i]);
    int loaded = 0;
    kg_err e;
    kg_dotenv_load(path, &loaded, &e);
    /* Unset what the file added (collected first: unsetenv moves environ). */
    size_t m = 0;
    while (environ[m])
        m++;
    char **added = calloc(m + 1, sizeof *added);
    size_t na = 0;
    for (size_t i = 0; i < m; i++)
        if (!had(before, n, environ[i]))
            added[na++] = strndup(environ[i], strcspn(environ[i], "="));
    if ((int)na != loaded)
        __builtin_trap(); /* it must count what it set */
    for (size_t i = 0; i < na; i++) {
        unsetenv(added[i]);
        free(added[i]);
    }
    free(added);
    for (size_t i = 0; i < n; i++)
        free(before[i]);
    free(before);
    return 0;
}
