/* retrieval_store: the reads behind multi-hop retrieval (search/qlink,
 * search/graph_walk).
 *
 * A question is linked to the entities and passages it names, then a walk
 * spreads from them over the entities and the chunks that mention them.
 * Both read only what one question touches, through existing indexes:
 *
 * - names: the name index (entity_names), many phrases with one prepared
 *   statement;
 * - titles: the first chunk of a document whose text begins with a phrase
 *   (an FTS5 initial-token phrase query on the chunks' index: a document
 *   titled by its first line starts with its title), for the caller to
 *   compare with the document's title;
 * - chunk -> entities: the mentions of the chunk's document lie in one
 *   stretch of rowids kept in its documents row (schema migration 8), so
 *   no index on chunk_id is needed;
 * - entity -> chunks: the mentions_entity index, a bounded number of rows;
 * - entity -> entities: the relationships indexes, most confident first.
 *
 * Entity ids come back as the graph knows them: a mention's id is mapped
 * through the fusion decisions (entity_merge_map) and an entity's chunks
 * include those of the entities merged into it.
 *
 * Forwarded to the backend (store/backend.h, SQLite: sqlite/sq_retrieval.c);
 * each callback returns non-zero
 * to stop.  Strings passed to callbacks live until the callback returns. */
#ifndef KG_STORE_RETRIEVAL_STORE_H
#define KG_STORE_RETRIEVAL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* fn(chunk_id, score, ud) for the chunks matching the words of query, by
 * BM25 (score: negated BM25, higher is better), as kg_store_search ranks
 * them but without reading their text: the caller reads the few it shows.
 * KG_EINVAL when the query has no words. */
typedef int (*kg_rs_hit_fn)(const char *chunk_id, double score, void *ud);
int kg_store_search_ids(kg_store *s, const char *query, int limit, kg_rs_hit_fn fn, void *ud,
                        kg_err *err);

/* 1 when a transaction is open on the handle (reads then need none of
 * their own). */
int kg_store_in_transaction(kg_store *s);

/* How many chunks are stored. */
int kg_store_chunk_count(kg_store *s, int64_t *n, kg_err *err);

/* fn(i, entity_id, ud) for every entity a name or alias of which has the
 * normal form norms[i]. */
typedef int (*kg_rs_name_fn)(size_t i, const char *entity_id, void *ud);
int kg_store_names_exact_many(kg_store *s, const char *const *norms, size_t n, kg_rs_name_fn fn,
                              void *ud, kg_err *err);

/* fn(chunk_id, doc_id, title, ud) for the first chunk of each document
 * whose text begins with the words of one of the phrases (plain words; one
 * full-text query for all; at most limit rows). */
typedef int (*kg_rs_title_fn)(const char *chunk_id, const char *doc_id, const char *title,
                              void *ud);
int kg_store_title_chunks(kg_store *s, const char *const *phrases, size_t n, int limit,
                          kg_rs_title_fn fn, void *ud, kg_err *err);

/* fn(chunk_id, entity_id, mentions, entity_mentions, ud) for each entity
 * mentioned in each chunk: mentions in that chunk, and the entity's
 * mentions in all (its weight in the walk). */
typedef int (*kg_rs_chunk_entity_fn)(const char *chunk_id, const char *entity_id, int mentions,
                                     int64_t entity_mentions, void *ud);
int kg_store_chunks_entities(kg_store *s, const char *const *chunk_ids, size_t n,
                             kg_rs_chunk_entity_fn fn, void *ud, kg_err *err);

/* fn(entity_id, chunk_id, mentions, ud) for the chunks mentioning each
 * entity: at most cap chunks per entity (the first ones by rowid). */
typedef int (*kg_rs_entity_chunk_fn)(const char *entity_id, const char *chunk_id, int mentions,
                                     void *ud);
int kg_store_entities_chunks(kg_store *s, const char *const *entity_ids, size_t n, int cap,
                             kg_rs_entity_chunk_fn fn, void *ud, kg_err *err);

/* fn(entity_id, other_id, type, confidence, other_mentions, ud) for the
 * relationships of each entity, either direction, at most fanout per
 * direction, most confident first (a hub costs fanout rows). */
typedef int (*kg_rs_relation_fn)(const char *entity_id, const char *other_id, const char *type,
                                 double confidence, int64_t other_mentions, void *ud);
int kg_store_entities_relations(kg_store *s, const char *const *entity_ids, size_t n, int fanout,
                                kg_rs_relation_fn fn, void *ud, kg_err *err);

#endif
