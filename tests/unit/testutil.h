/* testutil: helpers shared by the cmocka unit tests.
 * Include after <setjmp.h>, <stdarg.h>, <stddef.h> and <cmocka.h>. */
#ifndef KG_TESTUTIL_H
#define KG_TESTUTIL_H

#include <stddef.h>

/* ../shared/data (or $TEST_SHARED_DATA) joined with rel, or NULL when it is
 * absent; prints "SKIP: <why>" once per missing path. Caller frees. */
char *tu_shared(const char *rel);

/* A fresh temporary directory (removed by tu_rmrf). Caller frees. */
char *tu_tmpdir(void);
void tu_rmrf(const char *path);

/* dir + "/" + name, caller frees. */
char *tu_join(const char *dir, const char *name);

/* Write len bytes to path; aborts the test on failure. */
void tu_write(const char *path, const void *data, size_t len);
void tu_write_str(const char *path, const char *s);

/* Read a whole file (NUL-terminated), caller frees; NULL when missing. */
char *tu_read(const char *path, size_t *len);

/* Run a shell command, return its exit status (0..255). */
int tu_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
