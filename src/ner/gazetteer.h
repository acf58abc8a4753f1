/* gazetteer: the NER's read-only word and phrase lexicon.
 *
 * Built once at build time by scripts/gen_gazetteer.py from iso-codes
 * (countries, subdivisions, languages, currencies), WordNet 3.0 (instance
 * nouns by lexicographer file, demonyms, the common-word vocabulary) and a
 * few small hand lists, into an open-addressing table of 64-bit phrase
 * hashes -> 64-bit flag words (generated/kg_gazetteer_data.c).  Phrases are
 * lowercased scanner tokens joined by one space, hashed with FNV-1a 64, so a
 * caller can extend a phrase hash token by token (kg_gz_hash_*).
 *
 * The table is static const data; kg_gz_get() publishes it once through
 * pthread_once and every thread then reads it without locks.  Nothing here
 * allocates. */
#ifndef KG_NER_GAZETTEER_H
#define KG_NER_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

/* Flag bits; the order MUST match the list at the top of gen_gazetteer.py. */
enum {
    KG_GZ_COMMON,
    KG_GZ_FUNC,
    KG_GZ_COUNTRY,
    KG_GZ_SUBDIV,
    KG_GZ_CITY,
    KG_GZ_LOCNAME,
    KG_GZ_NORP,
    KG_GZ_LANGUAGE,
    KG_GZ_CURRENCY,
    KG_GZ_CURCODE,
    KG_GZ_PERSON,
    KG_GZ_FIRST,
    KG_GZ_LAST,
    KG_GZ_ORGNAME,
    KG_GZ_EVENTNAME,
    KG_GZ_WORKNAME,
    KG_GZ_MONTH,
    KG_GZ_WEEKDAY,
    KG_GZ_TITLE,
    KG_GZ_ORGSUF,
    KG_GZ_ORGHEAD,
    KG_GZ_LOCHEAD,
    KG_GZ_GPEHEAD,
    KG_GZ_EVENTHEAD,
    KG_GZ_CONCEPTHEAD,
    KG_GZ_DATASETHEAD,
    KG_GZ_DATASETNAME,
    KG_GZ_LAWHEAD,
    KG_GZ_NUMWORD,
    KG_GZ_PERSONNOUN,
    KG_GZ_ORGNOUN,
    KG_GZ_GPENOUN,
    KG_GZ_ABBREV,
    KG_GZ_PREFIXHEAD,
    KG_GZ_NAMEJOIN,
    KG_GZ_PRODUCTNAME,
    KG_GZ_LOCPREP,
    KG_GZ_DATEWORD,
    KG_GZ_PERCENTWORD,
    KG_GZ_CONCEPTNAME,
    KG_GZ_DOCWORD,   /* section, figure, table, equation ... */
    KG_GZ_REFABBREV, /* phys, astrophys, proc, lett ... (reference lists) */
    KG_GZ_HOLIDAY,   /* christmas, christmas eve, easter, michaelmas, monday ... */
    KG_GZ_NFLAGS
};
#define KG_GZ(bit) ((uint64_t)1 << KG_GZ_##bit)

/* Any flag that says "this is (part of) a name", used to keep a
 * sentence-initial capitalised word that is also a common word. */
#define KG_GZ_NAMELIKE                                                               \
    (KG_GZ(COUNTRY) | KG_GZ(SUBDIV) | KG_GZ(CITY) | KG_GZ(LOCNAME) | KG_GZ(NORP) |   \
     KG_GZ(LANGUAGE) | KG_GZ(PERSON) | KG_GZ(FIRST) | KG_GZ(LAST) | KG_GZ(ORGNAME) | \
     KG_GZ(EVENTNAME) | KG_GZ(DATASETNAME) | KG_GZ(PRODUCTNAME))

typedef struct kg_gazetteer {
    const uint64_t *keys, *vals;
    size_t mask;         /* table size - 1 (a power of two) */
    size_t count;        /* entries */
    unsigned max_tokens; /* longest phrase in tokens */
} kg_gazetteer;

/* The shared table; never NULL. Thread-safe. */
const kg_gazetteer *kg_gz_get(void);

#define KG_GZ_FNV_OFFSET 0xcbf29ce484222325ULL
#define KG_GZ_FNV_PRIME 0x100000001b3ULL

/* Extend hash h (KG_GZ_FNV_OFFSET to start) with the lowercased bytes of a
 * token; kg_gz_hash_sep() goes between two tokens of a phrase. */
static inline uint64_t kg_gz_hash_bytes(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        h = (h ^ c) * KG_GZ_FNV_PRIME;
    }
    return h;
}
static inline uint64_t kg_gz_hash_sep(uint64_t h)
{
    return (h ^ 0x20) * KG_GZ_FNV_PRIME;
}

/* Flags of the phrase with hash h, 0 when absent. */
static inline uint64_t kg_gz_lookup(const kg_gazetteer *g, uint64_t h)
{
    size_t i = (size_t)h & g->mask;
    for (;;) {
        uint64_t k = g->keys[i];
        if (k == h)
            return g->vals[i];
        if (k == 0)
            return 0;
        i = (i + 1) & g->mask;
    }
}

/* Flags of a plain string (tokenised by the caller's convention: words
 * separated by single spaces); for tests and tools, not the hot path. */
uint64_t kg_gz_lookup_str(const char *phrase);

#endif
