/* buf: see buf.h. */
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kg_oom(void)
{
    /* The one place library code writes: there is no memory left to build an
     * error message for anyone else to print. */
    fputs("kgas: out of memory\n", stderr);
    abort();
}

void *kg_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        kg_oom();
    return p;
}

void *kg_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        kg_oom();
    return p;
}

void *kg_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        kg_oom();
    return q;
}

char *kg_xstrdup(const char *s)
{
    return kg_xstrndup(s, strlen(s));
}

char *kg_xstrndup(const char *s, size_t n)
{
    char *p = kg_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void kg_buf_reserve(kg_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = kg_xrealloc(b->data, cap);
    b->cap = cap;
}

void kg_buf_append(kg_buf *b, const void *p, size_t n)
{
    kg_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void kg_buf_puts(kg_buf *b, const char *s)
{
    kg_buf_append(b, s, strlen(s));
}

void kg_buf_putc(kg_buf *b, char c)
{
    kg_buf_append(b, &c, 1);
}

void kg_buf_vprintf(kg_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    kg_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void kg_buf_printf(kg_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kg_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void kg_buf_truncate(kg_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

const char *kg_buf_str(const kg_buf *b)
{
    return b->data ? b->data : "";
}

char *kg_buf_steal(kg_buf *b)
{
    char *p = b->data ? b->data : kg_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void kg_buf_list_sep(kg_buf *b, size_t i, size_t n, const char *conj)
{
    if (i == 0)
        return;
    if (i + 1 < n)
        kg_buf_puts(b, ", ");
    else
        kg_buf_printf(b, " %s ", conj);
}

void kg_buf_free(kg_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
