/* testutil: see testutil.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *tu_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *tu_shared(const char *rel)
{
    const char *base = getenv("TEST_SHARED_DATA");
    char *p = tu_join(base ? base : "../shared/data", rel);
    struct stat st;
    if (stat(p, &st) != 0) {
        printf("SKIP: %s is absent (../shared/data not present); skipping the cases that need it\n",
               p);
        free(p);
        return NULL;
    }
    return p;
}

char *tu_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    char *tmpl = tu_join(t ? t : "/tmp", "kgas-test-XXXXXX");
    assert_non_null(mkdtemp(tmpl));
    return tmpl;
}

void tu_rmrf(const char *path)
{
    if (path && strncmp(path, "/tmp/", 5) == 0)
        tu_sh("rm -rf '%s'", path);
}

void tu_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

void tu_write_str(const char *path, const char *s)
{
    tu_write(path, s, strlen(s));
}

char *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    size_t got = fread(p, 1, (size_t)n, f);
    fclose(f);
    p[got] = '\0';
    if (len)
        *len = got;
    return p;
}

int tu_sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    if (st == -1)
        return 255;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
