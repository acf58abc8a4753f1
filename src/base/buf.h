/* buf: a growable byte buffer that is always NUL-terminated.
 *
 * The caller owns the kg_buf and frees it with kg_buf_free(); kg_buf_steal()
 * hands the heap block to the caller (free() it) and leaves the buffer empty.
 * Allocation failure aborts: kgas treats out-of-memory as fatal rather than
 * threading ENOMEM through every string operation. */
#ifndef KG_BASE_BUF_H
#define KG_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct kg_buf {
    char *data; /* NUL-terminated; NULL until first write */
    size_t len;
    size_t cap;
} kg_buf;

#define KG_BUF_INIT \
    {               \
        NULL, 0, 0  \
    }

void kg_buf_reserve(kg_buf *b, size_t extra);
void kg_buf_append(kg_buf *b, const void *p, size_t n);
void kg_buf_puts(kg_buf *b, const char *s);
void kg_buf_putc(kg_buf *b, char c);
void kg_buf_printf(kg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kg_buf_vprintf(kg_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void kg_buf_truncate(kg_buf *b, size_t len);
/* Contents as a C string ("" when empty); valid until the next write. */
const char *kg_buf_str(const kg_buf *b);
char *kg_buf_steal(kg_buf *b);
void kg_buf_free(kg_buf *b);
/* Append what stands before item i of a list of n in prose: nothing before
 * the first, " conj " before the last, ", " otherwise ("a, b or c"). */
void kg_buf_list_sep(kg_buf *b, size_t i, size_t n, const char *conj);

/* Abort with a message; used on allocation failure. */
void kg_oom(void) __attribute__((noreturn));
void *kg_xmalloc(size_t n);
void *kg_xcalloc(size_t n, size_t size);
void *kg_xrealloc(void *p, size_t n);
char *kg_xstrdup(const char *s);
char *kg_xstrndup(const char *s, size_t n);

#endif
