/* entvec_store: the reads and the bookkeeping behind entity vectors
 * (search/entity_vec): the mentions of the entities of the current graph
 * with the text around them, and small values kept in table `meta` (the fingerprint of
 * the inputs an entity model's vectors were computed from).
 *
 * Memory: strings passed to callbacks are borrowed for the call; values
 * returned through out-parameters are malloc'd and freed by the caller. */
#ifndef KG_STORE_ENTVEC_STORE_H
#define KG_STORE_ENTVEC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* One mention of an entity with the text of its chunk (borrowed for the
 * call), for the context vectors of entities (search/entity_vec). */
typedef struct kg_mention_ctx {
    const char *entity_id; /* the graph entity; an absorbed id is its survivor's */
    const char *chunk_id;
    const char *text; /* the chunk's text, len bytes */
    size_t len;
    int64_t start, end; /* the mention's byte span in text (may be out of range) */
} kg_mention_ctx;

typedef int (*kg_mention_ctx_cb)(void *ud, const kg_mention_ctx *m);

/* fn for the mentions of entity_id (with those of the ids fusion merged
 * into it), ordered by chunk and offset, at most `limit` when limit > 0;
 * entity_id NULL: of every entity of the graph (table entities), ordered by
 * entity, chunk and offset.  fn returns non-zero to stop (that value is
 * returned). */
int kg_store_mention_contexts(kg_store *s, const char *entity_id, int limit, kg_mention_ctx_cb fn,
                              void *ud, kg_err *err);

/* meta[key]: *value malloc'd, or NULL when absent. */
int kg_store_meta_get(kg_store *s, const char *key, char **value, kg_err *err);
/* Set meta[key] (value NULL deletes it). */
int kg_store_meta_put(kg_store *s, const char *key, const char *value, kg_err *err);

#endif
