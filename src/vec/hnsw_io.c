/* hnsw_io: kg_hnsw_save and kg_hnsw_load (see hnsw.h).
 *
 * Layout, little-endian, written byte by byte so a blob moves between hosts
 * of either byte order:
 *
 *   "KGHNSW\r\n"  magic (8 bytes; the CR LF catches text-mode mangling)
 *   u32 version, dim, n, m, ef_construction
 *   u32 max_level + 1 (0 = empty), u32 entry, u64 seed
 *   n x u8 level
 *   per node, per layer 0..level: u8 count, count x u32 neighbour
 *   u64 FNV-1a of everything before it
 *
 * Loading trusts nothing: besides the checksum (which catches accidents,
 * not forgeries) every field is range-checked before use, so a blob that
 * passes the checksum but lies about its contents is still rejected. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"
#include "vec/hnsw_internal.h"

#define MAGIC "KGHNSW\r\n"
#define VERSION 1u
#define HEADER (8 + 4 * 7 + 8)

static void put32(kg_buf *b, uint32_t v)
{
    unsigned char p[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    kg_buf_append(b, p, 4);
}

static void put64(kg_buf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

void kg_hnsw_save(const kg_hnsw *h, unsigned char **buf, size_t *len)
{
    kg_buf b = KG_BUF_INIT;
    kg_buf_append(&b, MAGIC, 8);
    put32(&b, VERSION);
    put32(&b, (uint32_t)h->dim);
    put32(&b, (uint32_t)h->n);
    put32(&b, (uint32_t)h->m);
    put32(&b, (uint32_t)h->ef_construction);
    put32(&b, (uint32_t)(h->max_level + 1));
    put32(&b, h->entry);
    put64(&b, h->seed);
    kg_buf_append(&b, h->level, h->n);
    for (size_t i = 0; i < h->n; i++)
        for (int lc = 0; lc <= h->level[i]; lc++) {
            const uint32_t *l = kg_hnsw_links(h, (uint32_t)i, lc);
            unsigned char c = (unsigned char)l[0];
            kg_buf_append(&b, &c, 1);
            for (uint32_t j = 1; j <= l[0]; j++)
                put32(&b, l[j]);
        }
    put64(&b, kg_hash_fnv64(b.data, b.len));
    *len = b.len;
    *buf = (unsigned char *)kg_buf_steal(&b);
}

static int bad(kg_err *err, const char *what)
{
    return kg_err_set(err, KG_EFORMAT,
                      "the stored vector index is damaged or not for these "
                      "vectors: %s; it will have to be rebuilt",
                      what);
}

/* The node blocks after the header and levels; *p advances. */
static int load_links(kg_hnsw *h, const unsigned char **p, const unsigned char *end, kg_err *err)
{
    for (size_t i = 0; i < h->n; i++)
        for (int lc = 0; lc <= h->level[i]; lc++) {
            if (*p >= end)
                return bad(err, "it is cut short");
            uint32_t c = *(*p)++;
            if (c > (uint32_t)(lc ? h->m : h->m0))
                return bad(err, "a node has more links than M allows");
            if ((size_t)(end - *p) < (size_t)c * 4)
                return bad(err, "it is cut short");
            uint32_t *l = kg_hnsw_links(h, (uint32_t)i, lc);
            l[0] = c;
            for (uint32_t j = 1; j <= c; j++, *p += 4) {
                l[j] = get32(*p);
                if (l[j] >= h->n || l[j] == i)
                    return bad(err, "a link points outside the index");
                if (lc > h->level[l[j]])
                    return bad(err, "a link points to a node not on its layer");
            }
        }
    return KG_OK;
}

int kg_hnsw_load(const unsigned char *buf, size_t len, const float *mat, size_t n, size_t dim,
                 kg_hnsw **out, kg_err *err)
{
    *out = NULL;
    if (!buf || len < HEADER + 8 || memcmp(buf, MAGIC, 8) != 0)
        return bad(err, "it does not start like one");
    if (get64(buf + len - 8) != kg_hash_fnv64(buf, len - 8))
        return bad(err, "its checksum does not match");
    const unsigned char *p = buf + 8;
    uint32_t version = get32(p), bdim = get32(p + 4), bn = get32(p + 8);
    kg_hnsw_params prm = {(int)get32(p + 12), (int)get32(p + 16), get64(p + 28)};
    uint32_t top = get32(p + 20), entry = get32(p + 24);
    if (version != VERSION)
        return kg_err_set(err, KG_EFORMAT,
                          "the stored vector index has format version %u; this "
                          "kgas reads version %u",
                          version, VERSION);
    if (bdim != dim || bn != n)
        return kg_err_set(err, KG_EFORMAT,
                          "the stored vector index covers %u vectors of %u "
                          "dimensions, not %zu of %zu",
                          bn, bdim, n, dim);
    if (get32(p + 12) > KG_HNSW_M_MAX || get32(p + 16) > 100000 ||
        kg_hnsw_check_params(dim, &prm, err) != KG_OK)
        return bad(err, "its parameters are out of range");
    if (top > KG_HNSW_LEVEL_MAX + 1 || (n == 0) != (top == 0) || (n && entry >= n))
        return bad(err, "its entry point is invalid");
    p = buf + HEADER;
    const unsigned char *end = buf + len - 8;
    if ((size_t)(end - p) < n)
        return bad(err, "it is cut short");
    kg_hnsw *h = kg_hnsw_alloc(dim, &prm, n ? n : 1);
    h->mat = mat;
    h->n = n;
    h->max_level = (int)top - 1;
    h->entry = entry;
    int rc = KG_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        /* Levels must be the seeded ones: extending the index relies on it. */
        if (p[i] != kg_hnsw_level_of(prm.seed, prm.m, (uint32_t)i) || p[i] > h->max_level)
            rc = bad(err, "a node's level is not the one its seed gives");
        else
            kg_hnsw_set_level(h, (uint32_t)i, p[i]);
    }
    p += n;
    if (!rc && n && h->level[entry] != h->max_level)
        rc = bad(err, "its entry point is not on the top level");
    if (!rc)
        rc = load_links(h, &p, end, err);
    if (!rc && p != end)
        rc = bad(err, "it has trailing bytes");
    if (rc) {
        kg_hnsw_free(h);
        return rc;
    }
    *out = h;
    return KG_OK;
}
