/* entvec_store: the reads and the bookkeeping behind entity vectors
 * (pipeline/entity_vec): every (entity, chunk, mention count) triple of the
 * current graph, and small values kept in table `meta` (the fingerprint of
 * the inputs an entity model's vectors were computed from).
 *
 * Memory: strings passed to callbacks are borrowed for the call; values
 * returned through out-parameters are malloc'd and freed by the caller. */
#ifndef KG_STORE_ENTVEC_STORE_H
#define KG_STORE_ENTVEC_STORE_H

#include "base/err.h"
#include "store/store.h"

/* fn(entity_id, chunk_id, mentions, ud) for every chunk holding mentions of
 * an entity of the graph (table entities), ordered by entity then chunk;
 * fn returns non-zero to stop (that value is returned). */
typedef int (*kg_entity_chunk_cb)(void *ud, const char *entity_id, const char *chunk_id,
                                  int mentions);
int kg_store_entity_chunk_counts(kg_store *s, kg_entity_chunk_cb fn, void *ud, kg_err *err);

/* meta[key]: *value malloc'd, or NULL when absent. */
int kg_store_meta_get(kg_store *s, const char *key, char **value, kg_err *err);
/* Set meta[key] (value NULL deletes it). */
int kg_store_meta_put(kg_store *s, const char *key, const char *value, kg_err *err);

#endif
