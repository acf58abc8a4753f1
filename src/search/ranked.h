/* ranked: what a search returns, whichever channels made it.
 *
 * The search modes, a ranked hit with its rank in each channel, and what
 * the search did (search/vector_search for text and vector, search/hybrid
 * for all three).  Shared by both so that neither includes the other.
 *
 * Memory: hits from kg_ranked_hits_free's callers are released with it;
 * kg_search_info_free releases an info's report. */
#ifndef KG_SEARCH_RANKED_H
#define KG_SEARCH_RANKED_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef enum kg_search_mode {
    KG_SEARCH_TEXT = 0,
    KG_SEARCH_VECTOR,
    KG_SEARCH_HYBRID,
} kg_search_mode;

/* "text" | "vector" | "hybrid"; -1 for anything else. */
int kg_search_mode_parse(const char *s);
const char *kg_search_mode_name(kg_search_mode m);

#define KG_RRF_K 60

typedef struct kg_ranked_hit {
    kg_search_hit hit;  /* hit.score: BM25 (text), cosine (vector), walk mass (hybrid) */
    int text_rank;      /* 1-based rank in the BM25 list; 0 = not in it */
    int vector_rank;    /* 1-based rank in the vector list; 0 = not in it */
    int graph_rank;     /* hybrid: 1-based rank in the walk's list; 0 = not reached */
    double bm25;        /* negated BM25 when text_rank > 0 */
    double cosine;      /* when vector_rank > 0 */
    double graph_score; /* hybrid: the mass of the walk reaching it */
    int named;          /* hybrid: the question names it by its title */
} kg_ranked_hit;

typedef struct kg_search_info {
    int64_t unembedded; /* vector/hybrid: chunks with no vector for the model */
    const char *index;  /* vector/hybrid: "exact" or "hnsw" (search/vector_index) */
    int query_cached;   /* API models: the query's vector came from the cache */
    int named_entities; /* hybrid: entities the question names (linked) */
    int named_passages; /* hybrid: passages it names by title */
    /* hybrid: {"channels": {"text", "vector", "graph"}, "linked": search/qlink's
     * report, "walk": {...}} (owned: kg_search_info_free) */
    json_t *report;
} kg_search_info;

void kg_search_info_free(kg_search_info *info);
void kg_ranked_hits_free(kg_ranked_hit *hits, size_t n);

/* A hit as `kgas search --json`, query passages and similarity_search give
 * it: document, chunk, path, title, section (null when the chunk is in
 * none), page, char_start, char_end, snippet, score. */
json_t *kg_search_hit_json(const kg_search_hit *h);

#endif
