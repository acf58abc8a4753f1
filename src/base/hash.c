/* hash: see hash.h. */
#include "base/hash.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(crypto_generichash_state) <= sizeof(((kg_hasher *)0)->state),
               "kg_hasher too small for crypto_generichash_state");

int kg_hash_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

void kg_hasher_init(kg_hasher *h)
{
    crypto_generichash_init((crypto_generichash_state *)h->state, NULL, 0, 32);
}

void kg_hasher_update(kg_hasher *h, const void *p, size_t n)
{
    crypto_generichash_update((crypto_generichash_state *)h->state, p, n);
}

void kg_hasher_final_hex(kg_hasher *h, char out[KG_HASH_HEX_LEN + 1])
{
    unsigned char d[32];
    crypto_generichash_final((crypto_generichash_state *)h->state, d, sizeof d);
    sodium_bin2hex(out, KG_HASH_HEX_LEN + 1, d, sizeof d);
}

void kg_hash_hex(const void *p, size_t n, char out[KG_HASH_HEX_LEN + 1])
{
    unsigned char d[32];
    crypto_generichash(d, sizeof d, p, n, NULL, 0);
    sodium_bin2hex(out, KG_HASH_HEX_LEN + 1, d, sizeof d);
}

uint64_t kg_hash_fnv64(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t kg_hash64(const void *p, size_t n)
{
    unsigned char d[8];
    crypto_generichash(d, sizeof d, p, n, NULL, 0);
    uint64_t v;
    memcpy(&v, d, sizeof v);
    return v;
}

static void put_id(char out[KG_ID_MAX], const char *prefix, const unsigned char d[8])
{
    /* Written by hand: ids are made per mention and per relation, and
     * snprintf was a tenth of the extraction's time. */
    static const char digits[] = "0123456789abcdef";
    size_t n = strnlen(prefix, KG_ID_MAX - 18);
    memcpy(out, prefix, n);
    out[n++] = '_';
    for (size_t i = 0; i < 8; i++) {
        out[n++] = digits[d[i] >> 4];
        out[n++] = digits[d[i] & 15];
    }
    out[n] = 0;
}

void kg_make_row_id(char out[KG_ID_MAX], const char *prefix, const char *const *parts, int nparts)
{
    /* SipHash wants its input in one piece; parts longer than the buffer
     * (never, for chunk ids and offsets) take the general path. */
    unsigned char buf[512];
    size_t n = 0;
    for (int i = 0; i < nparts; i++) {
        size_t len = strlen(parts[i]);
        if (n + len + 1 > sizeof buf) {
            kg_make_id(out, prefix, parts, nparts);
            return;
        }
        if (i)
            buf[n++] = 0x1f;
        memcpy(buf + n, parts[i], len);
        n += len;
    }
    static const unsigned char key[crypto_shorthash_KEYBYTES] = "kgas row ids v1";
    unsigned char d[crypto_shorthash_BYTES];
    crypto_shorthash(d, buf, n, key);
    put_id(out, prefix, d);
}

void kg_make_id(char out[KG_ID_MAX], const char *prefix, const char *const *parts, int nparts)
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 8);
    for (int i = 0; i < nparts; i++) {
        if (i)
            crypto_generichash_update(&st, (const unsigned char *)"\x1f", 1);
        crypto_generichash_update(&st, (const unsigned char *)parts[i], strlen(parts[i]));
    }
    unsigned char d[8];
    crypto_generichash_final(&st, d, sizeof d);
    put_id(out, prefix, d);
}
