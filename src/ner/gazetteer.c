/* gazetteer: publishes the generated lexicon table (see gazetteer.h).
 * The data is const and linked in; pthread_once only guarantees that the
 * descriptor is filled exactly once before any thread reads it, which keeps
 * the door open for loading a bigger table from a file later. */
#include "ner/gazetteer.h"

#include <pthread.h>

extern const size_t kg_gz_gen_size;
extern const size_t kg_gz_gen_count;
extern const unsigned kg_gz_gen_maxtok;
extern const uint64_t kg_gz_gen_keys[];
extern const uint64_t kg_gz_gen_vals[];

static kg_gazetteer g_gz;
static pthread_once_t g_gz_once = PTHREAD_ONCE_INIT;

static void gz_init(void)
{
    g_gz.keys = kg_gz_gen_keys;
    g_gz.vals = kg_gz_gen_vals;
    g_gz.mask = kg_gz_gen_size - 1;
    g_gz.count = kg_gz_gen_count;
    g_gz.max_tokens = kg_gz_gen_maxtok;
}

const kg_gazetteer *kg_gz_get(void)
{
    pthread_once(&g_gz_once, gz_init);
    return &g_gz;
}

uint64_t kg_gz_lookup_str(const char *phrase)
{
    uint64_t h = KG_GZ_FNV_OFFSET;
    const char *p = phrase, *w = phrase;
    for (;; p++) {
        if (*p == ' ' || *p == 0) {
            if (w != phrase)
                h = kg_gz_hash_sep(h);
            h = kg_gz_hash_bytes(h, w, (size_t)(p - w));
            if (*p == 0)
                break;
            w = p + 1;
        }
    }
    return kg_gz_lookup(kg_gz_get(), h);
}
