/* vector_store: embedding vectors (table embeddings) and the IDF fits of
 * local embedding models (table embedding_fits), plus the chunk reads the
 * embedding pipeline needs.
 *
 * A vector is stored as dim float32 values, little-endian, under
 * (owner_id, model); the owner is a chunk id today.  Vectors of a chunk are
 * deleted with it (trigger of migration 3).
 *
 * Memory: arrays and strings returned through out-parameters are allocated
 * here and freed by the caller with free() (or kg_vec_ids_free); pointers
 * passed to callbacks are borrowed for the call only. */
#ifndef KG_STORE_VECTOR_STORE_H
#define KG_STORE_VECTOR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* Insert or replace one vector. */
int kg_vec_put(kg_store *s, const char *owner_id, const char *model, const float *v, int dim,
               kg_err *err);
/* *v (malloc'd, *dim floats) or *found = 0. */
int kg_vec_get(kg_store *s, const char *owner_id, const char *model, float **v, int *dim,
               int *found, kg_err *err);
/* Every vector of a model, in owner-id order.  cb returns non-zero to stop
 * (that value is returned).  A stored blob whose size is not dim floats is
 * KG_EFORMAT. */
typedef int (*kg_vec_cb)(void *ud, const char *owner_id, const float *v, int dim);
int kg_vec_each(kg_store *s, const char *model, kg_vec_cb cb, void *ud, kg_err *err);
int kg_vec_count(kg_store *s, const char *model, int64_t *out, kg_err *err);
int kg_vec_delete_model(kg_store *s, const char *model, kg_err *err);

/* Every chunk's id and text, in id order (for fitting IDF). */
typedef int (*kg_vec_chunk_cb)(void *ud, const char *chunk_id, const char *text);
int kg_vec_chunks_each(kg_store *s, kg_vec_chunk_cb cb, void *ud, kg_err *err);
/* Ids of the chunks with no vector for model (id order). */
int kg_vec_missing(kg_store *s, const char *model, char ***ids, size_t *n, kg_err *err);
void kg_vec_ids_free(char **ids, size_t n);
/* One chunk's text (*text malloc'd), or *text = NULL when there is none. */
int kg_vec_chunk_text(kg_store *s, const char *chunk_id, char **text, kg_err *err);
/* One chunk as a search hit: document, path, title, page, span and a
 * snippet (its first words); score is left 0.  *found = 0 when absent.
 * Free the strings with kg_search_hits_free (or by hand). */
int kg_vec_chunk_hit(kg_store *s, const char *chunk_id, kg_search_hit *out, int *found,
                     kg_err *err);

/* A local model's IDF fit.  df has `buckets` entries. */
int kg_vec_fit_put(kg_store *s, const char *model, uint32_t docs, const char *corpus_hash,
                   const uint32_t *df, size_t buckets, kg_err *err);
/* *found = 0 when none; else *docs, corpus_hash (65 bytes) and *df (malloc'd,
 * `buckets` entries; a stored fit of another size is KG_EFORMAT). */
int kg_vec_fit_get(kg_store *s, const char *model, size_t buckets, uint32_t *docs,
                   char corpus_hash[65], uint32_t **df, int *found, kg_err *err);

#endif
