/* mfile: the model container (see mfile.h). */
#include "ml/mfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/vec.h"

#define MAGIC "KGMODL\r\n"
#define HEADER 48
#define ENTRY (KG_MFILE_NAME_MAX + 16)
#define ALIGN 16
#define KIND_MAX 16

typedef struct section {
    char name[KG_MFILE_NAME_MAX];
    unsigned char *data; /* writer: owned copy */
    const unsigned char *p;
    uint64_t off, len;
} section;

struct kg_mfile_writer {
    char kind[KIND_MAX];
    section *v;
    size_t n, cap;
};

struct kg_mfile {
    char *name;
    char kind[KIND_MAX];
    const unsigned char *base;
    size_t len;
    int mapped;
    section *v;
    size_t n;
};

kg_mfile_writer *kg_mfile_writer_new(const char *kind)
{
    kg_mfile_writer *w = kg_xcalloc(1, sizeof *w);
    snprintf(w->kind, sizeof w->kind, "%s", kind ? kind : "");
    return w;
}

void kg_mfile_put(kg_mfile_writer *w, const char *name, const void *data, size_t len)
{
    section *s = kg_vec_push_zero(w);
    snprintf(s->name, sizeof s->name, "%s", name);
    s->data = kg_xmalloc(len ? len : 1);
    if (len)
        memcpy(s->data, data, len);
    s->len = len;
}

void kg_mfile_put_str(kg_mfile_writer *w, const char *name, const char *s)
{
    kg_mfile_put(w, name, s, strlen(s));
}

static void put_u32(unsigned char *p, uint32_t v)
{
    memcpy(p, &v, 4); /* little-endian hosts only: checked at load */
}

static void put_u64(unsigned char *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static size_t align_up(size_t x)
{
    return (x + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

void kg_mfile_bytes(const kg_mfile_writer *w, unsigned char **out, size_t *len)
{
    size_t off = align_up(HEADER + w->n * ENTRY);
    size_t total = off;
    for (size_t i = 0; i < w->n; i++)
        total = align_up(total) + w->v[i].len;
    total = align_up(total);
    unsigned char *b = kg_xcalloc(total, 1);
    static const unsigned char magic[8] = {'K', 'G', 'M', 'O', 'D', 'L', '\r', '\n'};
    memcpy(b, magic, sizeof magic);
    put_u32(b + 8, KG_MFILE_VERSION);
    put_u32(b + 12, (uint32_t)w->n);
    memcpy(b + 16, w->kind, strnlen(w->kind, KIND_MAX));
    put_u64(b + 32, total);
    for (size_t i = 0; i < w->n; i++) {
        unsigned char *e = b + HEADER + i * ENTRY;
        off = align_up(off);
        memcpy(e, w->v[i].name, strnlen(w->v[i].name, KG_MFILE_NAME_MAX - 1));
        put_u64(e + KG_MFILE_NAME_MAX, off);
        put_u64(e + KG_MFILE_NAME_MAX + 8, w->v[i].len);
        if (w->v[i].len)
            memcpy(b + off, w->v[i].data, w->v[i].len);
        off += w->v[i].len;
    }
    kg_hash_init();
    put_u64(b + 40, kg_hash64(b + HEADER, total - HEADER));
    *out = b;
    *len = total;
}

int kg_mfile_save(const kg_mfile_writer *w, const char *path, kg_err *err)
{
    unsigned char *b;
    size_t n;
    kg_mfile_bytes(w, &b, &n);
    kg_buf tmp = KG_BUF_INIT;
    kg_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    int rc = KG_OK;
    FILE *f = fopen(tmp.data, "wb");
    if (!f) {
        rc = kg_err_set(err, KG_EIO, "cannot write model file %s: %s", path, strerror(errno));
    } else {
        size_t wrote = fwrite(b, 1, n, f);
        int bad = wrote != n || fflush(f) != 0 || fsync(fileno(f)) != 0;
        int e = errno;
        if (fclose(f) != 0)
            bad = 1;
        if (bad)
            rc = kg_err_set(err, KG_EIO, "cannot write model file %s: %s", path, strerror(e));
        else if (rename(tmp.data, path) != 0)
            rc = kg_err_set(err, KG_EIO, "cannot write model file %s: %s", path, strerror(errno));
        if (rc)
            unlink(tmp.data);
    }
    kg_buf_free(&tmp);
    free(b);
    return rc;
}

void kg_mfile_writer_free(kg_mfile_writer *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i].data);
    free(w->v);
    free(w);
}

/* ---- reading ------------------------------------------------------------ */

static int refuse(kg_err *err, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int refuse(kg_err *err, const char *name, const char *fmt, ...)
{
    if (!err)
        return KG_EFORMAT;
    va_list ap;
    va_start(ap, fmt);
    kg_err_setv(err, KG_EFORMAT, fmt, ap);
    va_end(ap);
    kg_err_prefix(err, "model file %s", name);
    return KG_EFORMAT;
}

static int check(kg_mfile *m, const char *kind, int checksum, kg_err *err)
{
    const unsigned char *b = m->base;
    const char *nm = m->name;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
    return refuse(err, nm, "cannot be read on a big-endian host");
#endif
    if (m->len < 6 || memcmp(b, MAGIC, 6) != 0)
        return refuse(err, nm, "not a kgas model (no KGMODL header)");
    if (m->len < 8 || memcmp(b, MAGIC, 8) != 0)
        return refuse(err, nm, "mangled header (line ends rewritten by a text-mode copy?)");
    if (m->len < HEADER)
        return refuse(err, nm, "truncated: %zu bytes, shorter than the header", m->len);
    uint32_t ver = get_u32(b + 8);
    if (ver != KG_MFILE_VERSION)
        return refuse(err, nm,
                      "format version %u, but this kgas reads version %u: use the model shipped "
                      "with this kgas or retrain it with `kgas train`",
                      ver, KG_MFILE_VERSION);
    memcpy(m->kind, b + 16, KIND_MAX);
    m->kind[KIND_MAX - 1] = 0;
    if (kind && strcmp(kind, m->kind) != 0)
        return refuse(err, nm, "holds a '%s' model, not a '%s' model", m->kind, kind);
    uint64_t total = get_u64(b + 32);
    if (total != m->len)
        return total > m->len ? refuse(err, nm, "truncated: %zu of %llu bytes", m->len,
                                       (unsigned long long)total)
                              : refuse(err, nm, "%zu bytes where the header says %llu", m->len,
                                       (unsigned long long)total);
    uint32_t n = get_u32(b + 12);
    if ((uint64_t)n * ENTRY > m->len - HEADER)
        return refuse(err, nm, "corrupt: %u sections do not fit", n);
    kg_hash_init();
    if (checksum && kg_hash64(b + HEADER, m->len - HEADER) != get_u64(b + 40))
        return refuse(err, nm, "corrupt: checksum mismatch (damaged or truncated copy)");
    m->v = kg_xcalloc(n ? n : 1, sizeof *m->v);
    for (uint32_t i = 0; i < n; i++) {
        const unsigned char *e = b + HEADER + (size_t)i * ENTRY;
        section *s = &m->v[i];
        memcpy(s->name, e, KG_MFILE_NAME_MAX);
        if (s->name[KG_MFILE_NAME_MAX - 1] != 0 || s->name[0] == 0)
            return refuse(err, nm, "corrupt: section %u has no name", i);
        s->off = get_u64(e + KG_MFILE_NAME_MAX);
        s->len = get_u64(e + KG_MFILE_NAME_MAX + 8);
        if (s->off % ALIGN || s->off > m->len || s->len > m->len - s->off)
            return refuse(err, nm, "corrupt: section '%s' lies outside the file", s->name);
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(m->v[j].name, s->name) == 0)
                return refuse(err, nm, "corrupt: section '%s' appears twice", s->name);
        s->p = b + s->off;
        m->n = i + 1;
    }
    return KG_OK;
}

static int finish_open(kg_mfile *m, const char *kind, int checksum, kg_mfile **out, kg_err *err)
{
    int rc = check(m, kind, checksum, err);
    if (rc) {
        kg_mfile_close(m);
        return rc;
    }
    *out = m;
    return KG_OK;
}

static int open_mem(const void *data, size_t len, const char *name, const char *kind, int checksum,
                    kg_mfile **out, kg_err *err)
{
    *out = NULL;
    kg_mfile *m = kg_xcalloc(1, sizeof *m);
    m->name = kg_xstrdup(name ? name : "(memory)");
    m->base = data ? data : (const unsigned char *)"";
    m->len = data ? len : 0;
    return finish_open(m, kind, checksum, out, err);
}

int kg_mfile_open_mem(const void *data, size_t len, const char *name, const char *kind,
                      kg_mfile **out, kg_err *err)
{
    return open_mem(data, len, name, kind, 1, out, err);
}

int kg_mfile_open_builtin(const void *data, size_t len, const char *name, const char *kind,
                          kg_mfile **out, kg_err *err)
{
    return open_mem(data, len, name, kind, 0, out, err);
}

int kg_mfile_open(const char *path, const char *kind, kg_mfile **out, kg_err *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return kg_err_set(err, errno == ENOENT ? KG_ENOTFOUND : KG_EIO,
                          "cannot open model file %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return kg_err_set(err, KG_EIO, "model file %s: not a regular file", path);
    }
    kg_mfile *m = kg_xcalloc(1, sizeof *m);
    m->name = kg_xstrdup(path);
    m->len = (size_t)st.st_size;
    if (m->len == 0) {
        m->base = (const unsigned char *)"";
    } else {
        void *p = mmap(NULL, m->len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            int e = errno;
            close(fd);
            kg_mfile_close(m);
            return kg_err_set(err, KG_EIO, "cannot map model file %s: %s", path, strerror(e));
        }
        m->base = p;
        m->mapped = 1;
    }
    close(fd);
    return finish_open(m, kind, 1, out, err);
}

void kg_mfile_close(kg_mfile *m)
{
    if (!m)
        return;
    if (m->mapped)
        munmap((void *)m->base, m->len);
    free(m->v);
    free(m->name);
    free(m);
}

const char *kg_mfile_name(const kg_mfile *m)
{
    return m->name;
}

const char *kg_mfile_kind(const kg_mfile *m)
{
    return m->kind;
}

size_t kg_mfile_count(const kg_mfile *m)
{
    return m->n;
}

const char *kg_mfile_section_name(const kg_mfile *m, size_t i)
{
    return i < m->n ? m->v[i].name : NULL;
}

const void *kg_mfile_get(const kg_mfile *m, const char *name, size_t *len)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].name, name) == 0) {
            if (len)
                *len = (size_t)m->v[i].len;
            return m->v[i].p;
        }
    return NULL;
}

int kg_mfile_need(const kg_mfile *m, const char *name, size_t elem_size, size_t min_count,
                  const void **p, size_t *count, kg_err *err)
{
    size_t len = 0;
    const void *d = kg_mfile_get(m, name, &len);
    if (!d)
        return refuse(err, m->name, "has no section '%s' (not a model of this kind or version?)",
                      name);
    if (elem_size == 0 || len % elem_size || len / elem_size < min_count)
        return refuse(err, m->name, "corrupt: section '%s' has %zu bytes, not %s%zu-byte elements",
                      name, len, min_count ? "enough " : "whole ", elem_size);
    *p = d;
    if (count)
        *count = len / elem_size;
    return KG_OK;
}
