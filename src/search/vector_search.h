/* vector_search: embedding the stored chunks and searching them by
 * text (BM25), by vector (cosine over local embeddings) or by all channels
 * and the graph (hybrid: search/hybrid).
 *
 * kg_embed_chunks fits the model's IDF on every stored chunk.  When the set
 * of chunks differs from the one the stored fit was made on (a document was
 * added, changed or deleted) the model's vectors are all dropped and
 * recomputed under the new fit, so queries and stored vectors always share
 * one IDF; otherwise only chunks lacking a vector are embedded.  Writes go in
 * transactions of a few hundred chunks; cancelling between them keeps what
 * is committed and a rerun continues.
 *
 * Memory: kg_ranked_hit arrays are allocated here and released with
 * kg_ranked_hits_free. */
#ifndef KG_SEARCH_VECTOR_SEARCH_H
#define KG_SEARCH_VECTOR_SEARCH_H

#include <stdint.h>

#include "base/err.h"
#include "search/ranked.h"
#include "search/vector_index.h"
#include "store/store.h"

typedef struct kg_embed_report {
    char model[64];
    int dim;
    int64_t chunks;   /* chunks stored */
    int64_t embedded; /* vectors written by this run */
    int64_t empty;    /* of those, chunks with no words (zero vectors) */
    int refit;        /* 1 when the IDF fit changed and every vector was redone */
    double seconds;
} kg_embed_report;

/* model NULL or "" = KG_EMBED_MODEL_DEFAULT.  progress may be NULL. */
int kg_embed_chunks(kg_store *s, const char *model, volatile int *cancel,
                    void (*progress)(void *ud, double done, double total, const char *msg),
                    void *ud, kg_embed_report *rep, kg_err *err);

/* Search the chunks.  Text mode is exactly kg_store_search.  Vector mode
 * needs `kgas embed` first (KG_ENOTFOUND otherwise); hybrid does without
 * vectors, saying so in info->report.  Release info with
 * kg_search_info_free. */
int kg_search_ranked(kg_store *s, const char *query, kg_search_mode mode, const char *model,
                     int limit, kg_ranked_hit **hits, size_t *n, kg_search_info *info, kg_err *err);
/* The same, with the choice of exact or HNSW search (NULL = defaults). */
int kg_search_ranked_ex(kg_store *s, const char *query, kg_search_mode mode, const char *model,
                        int limit, const kg_vindex_opts *ix, kg_ranked_hit **hits, size_t *n,
                        kg_search_info *info, kg_err *err);
/* The same with the query's vector given (qvec, qdim floats), for models
 * that are not computed here (API models: search/embed_api.h); model is
 * then the stored model id as is.  qvec NULL: as kg_search_ranked. */
int kg_search_ranked_vec(kg_store *s, const char *query, kg_search_mode mode, const char *model,
                         const float *qvec, int qdim, int limit, kg_ranked_hit **hits, size_t *n,
                         kg_search_info *info, kg_err *err);

/* The query's vector (*q malloc'd, dim floats) under local model `model`'s
 * stored IDF fit, and that fit's hash; KG_ENOTFOUND before `kgas embed`,
 * KG_EINVAL for a query with no words.  (Entity search uses it too.) */
int kg_local_query_vector(kg_store *s, const char *query, const char *model, int dim, float **q,
                          char fit_hash[65], kg_err *err);

#endif
