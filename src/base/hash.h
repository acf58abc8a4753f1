/* hash: content hashes and stable ids.
 *
 * BLAKE2b (libsodium's crypto_generichash) gives content hashes for
 * idempotent ingest and the hex part of stable ids ("doc_" + 16 hex).
 * Output goes into caller-provided buffers; nothing is allocated. */
#ifndef KG_BASE_HASH_H
#define KG_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define KG_HASH_HEX_LEN 64 /* 32-byte digest as hex */
#define KG_ID_MAX 40       /* "prefix_" + 16 hex + NUL, with room */

/* Must be called once before hashing (idempotent, thread-safe). */
int kg_hash_init(void);

/* Incremental hashing for streamed files. */
typedef struct kg_hasher {
    unsigned char state[384] __attribute__((aligned(64)));
} kg_hasher;
void kg_hasher_init(kg_hasher *h);
void kg_hasher_update(kg_hasher *h, const void *p, size_t n);
void kg_hasher_final_hex(kg_hasher *h, char out[KG_HASH_HEX_LEN + 1]);

void kg_hash_hex(const void *p, size_t n, char out[KG_HASH_HEX_LEN + 1]);
uint64_t kg_hash64(const void *p, size_t n);
/* FNV-1a: not a content hash, just a quick spread of short keys for
 * in-memory hash tables, where kg_hash64's BLAKE2b costs more than the
 * look-up it serves. */
uint64_t kg_hash_fnv64(const void *p, size_t n);

/* id = prefix + "_" + 16 hex digits of the hash of the parts joined by \x1f. */
void kg_make_id(char out[KG_ID_MAX], const char *prefix, const char *const *parts, int nparts);
/* The same form for the ids of bulk rows (mentions, relation evidence):
 * unique for their parts, but made with SipHash-2-4 under a fixed key
 * (libsodium's crypto_shorthash) instead of BLAKE2b, a quarter of the cost.
 * A million of them are made per 15 MB of text, and nothing is looked up
 * by them; ids that name things (documents, chunks, entities,
 * relationships) keep kg_make_id, so they stay what they were. */
void kg_make_row_id(char out[KG_ID_MAX], const char *prefix, const char *const *parts, int nparts);

#endif
