/* entity_vec: vectors for the entities of the graph, made from the vectors
 * of the chunks that mention them, and the search of entities by a query.
 *
 * An entity's vector under chunk model M is the unit-normalised mean of
 * the vectors (under M) of the chunks that mention it, each weighted by the
 * number of its mentions in that chunk.  It is stored in table embeddings
 * with owner = the entity id and model = "entity:M", so entity vectors and
 * chunk vectors never meet in one search: every search reads one model id.
 * An entity none of whose chunks has a vector gets none.
 *
 * kg_entity_vectors_refresh recomputes all of a model's entity vectors when
 * their inputs changed: a fingerprint of the chunk vectors and of every
 * (entity, chunk, mentions) triple is kept in meta; equal means nothing to
 * do.  Entities change with every ingest, so `kgas embed` calls it after
 * embedding the chunks.
 *
 * Memory: hits returned are malloc'd, freed with kg_entity_hits_free. */
#ifndef KG_PIPELINE_ENTITY_VEC_H
#define KG_PIPELINE_ENTITY_VEC_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "pipeline/vector_index.h"
#include "store/graph_read.h"
#include "store/store.h"

#define KG_ENTITY_MODEL_PREFIX "entity:"
#define KG_ENTITY_MODEL_MAX 300

/* "entity:" + chunk_model into out; KG_EINVAL when it does not fit. */
int kg_entity_model_id(const char *chunk_model, char out[KG_ENTITY_MODEL_MAX], kg_err *err);

/* out (dim floats) = unit(sum_i weights[i] * vecs[i]), summed in double in
 * order i = 0..n-1.  Returns 1 when written, 0 when there is nothing to
 * average (n = 0, weights all <= 0, or a zero sum); out is then zeroed. */
int kg_entity_vec_mean(const float *const *vecs, const int *weights, size_t n, int dim,
                       float *out);

typedef struct kg_entity_vec_report {
    char model[KG_ENTITY_MODEL_MAX]; /* the entity model id */
    int64_t entities;                /* entities with a vector */
    int64_t skipped;                 /* entities with mentions but no chunk vector */
    int recomputed;                  /* 0: inputs unchanged, nothing written */
    double seconds;
} kg_entity_vec_report;

/* Bring the entity vectors of chunk model chunk_model (the stored id; NULL
 * or "" = the default local model) up to date. */
int kg_entity_vectors_refresh(kg_store *s, const char *chunk_model, kg_entity_vec_report *rep,
                              kg_err *err);

typedef struct kg_entity_hit {
    kg_entity_row row; /* id, name, type, pagerank, mentions, ... */
    double cosine;
} kg_entity_hit;

/* The `limit` entities whose vectors are nearest the query's, embedded by
 * local model `model` (NULL = default) with its stored IDF fit; best first.
 * *index says "exact" or "hnsw".  KG_ENOTFOUND before `kgas embed`. */
int kg_entity_search(kg_store *s, const char *query, const char *model, int limit,
                     const kg_vindex_opts *ix, kg_entity_hit **hits, size_t *n,
                     const char **index, kg_err *err);
void kg_entity_hits_free(kg_entity_hit *hits, size_t n);

#endif
