/* entity_vec: vectors for the entities of the graph, made from the text
 * around their mentions, and the search of entities by a query.
 *
 * An entity's context is a window of `window` words (runs of non-space
 * bytes) on each side of each of its mentions, clipped to the mention's
 * chunk, mention included.  Its vector under local chunk model M is the
 * unit-normalised sum of the embeddings of its windows, each made with M
 * and M's stored IDF fit (so a query embedded for M compares with it).
 * Windows rather than whole chunks: when a document is one chunk, every
 * entity of it would otherwise get the same vector.  Mentions of ids that
 * fusion merged into an entity count as its own.  An entity with no
 * words around any mention gets no vector.
 *
 * The vectors are stored in table embeddings with owner = the entity id
 * and model = "entity-v2:M", so entity vectors and chunk vectors never meet
 * in one search: every search reads one model id.  The version names the
 * method (v2: mention windows; the unversioned "entity:M" was the mean of
 * whole chunks' vectors and is deleted when v2 vectors are written), so a
 * database embedded by the old method says "run kgas embed" instead of
 * comparing queries with vectors made another way.
 *
 * kg_entity_vectors_refresh recomputes all of a model's entity vectors when
 * their inputs changed: a fingerprint of the model, the window, the IDF fit
 * and every (entity, window text) is kept in meta; equal means nothing to
 * do.  Entities change with every ingest, so `kgas embed` calls it after
 * embedding the chunks.
 *
 * kg_entity_context_vectors computes the same vectors for a few entities
 * on demand (fusion compares candidates whether or not `kgas embed` ran).
 *
 * Memory: hits and vectors returned are malloc'd, freed with
 * kg_entity_hits_free / free. */
#ifndef KG_SEARCH_ENTITY_VEC_H
#define KG_SEARCH_ENTITY_VEC_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "search/vector_index.h"
#include "store/graph_read.h"
#include "store/store.h"

#define KG_ENTITY_MODEL_PREFIX "entity-v2:"
#define KG_ENTITY_MODEL_LEGACY "entity:" /* v1: means of chunk vectors */
#define KG_ENTITY_MODEL_MAX 300
#define KG_ENTITY_WINDOW_DEFAULT 15

/* "entity-v2:" + chunk_model into out; KG_EINVAL when it does not fit. */
int kg_entity_model_id(const char *chunk_model, char out[KG_ENTITY_MODEL_MAX], kg_err *err);

/* The context window of the mention [start, end) of text[0..len): `words`
 * words before it and after it, as the byte range [*from, *to).  A span
 * out of range is clamped; words < 0 counts as 0. */
void kg_entity_window(const char *text, size_t len, int64_t start, int64_t end, int words,
                      size_t *from, size_t *to);

typedef struct kg_entity_vec_report {
    char model[KG_ENTITY_MODEL_MAX]; /* the entity model id */
    int window;                      /* words each side of a mention */
    int64_t entities;                /* entities with a vector */
    int64_t skipped;                 /* entities with mentions but no words around them */
    int recomputed;                  /* 0: inputs unchanged, nothing written */
    double seconds;
} kg_entity_vec_report;

/* Bring the entity vectors of local chunk model chunk_model (NULL or "" =
 * the default local model) up to date, with `window` words each side of a
 * mention (<= 0: KG_ENTITY_WINDOW_DEFAULT).  Needs the model's IDF fit
 * (`kgas embed` makes it first); without one nothing is written. */
int kg_entity_vectors_refresh(kg_store *s, const char *chunk_model, int window,
                              kg_entity_vec_report *rep, kg_err *err);

typedef struct kg_entity_ctx_report {
    char model[64]; /* the local chunk model whose embedder was used */
    int window;
    int max_mentions;
    int stored_fit;      /* 1: the model's stored IDF fit; 0: fitted on the windows */
    int64_t fit_docs;    /* the documents of that fit (chunks or windows) */
    int64_t windows;     /* windows embedded */
    int64_t with_vector; /* of the entities asked for */
} kg_entity_ctx_report;

/* Context vectors of the entities ids[0..n) by the method above, with at
 * most max_mentions windows each (<= 0: all), under local model `model`
 * (NULL = default) and its stored IDF fit, or, before any `kgas embed`, an
 * IDF fitted on the windows themselves.  *vecs: n * *dim floats; has[i] 0
 * when entity i has no context (its row is zero). */
int kg_entity_context_vectors(kg_store *s, const char *const *ids, size_t n, const char *model,
                              int window, int max_mentions, float **vecs, int *has, int *dim,
                              kg_entity_ctx_report *rep, kg_err *err);

typedef struct kg_entity_hit {
    kg_entity_row row; /* id, name, type, pagerank, mentions, ... */
    double cosine;
} kg_entity_hit;

/* The `limit` entities whose vectors are nearest the query's, embedded by
 * local model `model` (NULL = default) with its stored IDF fit; best first.
 * *index says "exact" or "hnsw".  KG_ENOTFOUND before `kgas embed`. */
int kg_entity_search(kg_store *s, const char *query, const char *model, int limit,
                     const kg_vindex_opts *ix, kg_entity_hit **hits, size_t *n, const char **index,
                     kg_err *err);
void kg_entity_hits_free(kg_entity_hit *hits, size_t n);

#endif
