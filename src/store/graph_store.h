/* graph_store: the graph tables of the store (mentions, per-document
 * entities, relation evidence) and the global graph derived from them
 * (entities, relationships, PageRank scores).
 *
 * What a document contributes is stored per document (mentions,
 * doc_entities, relation_evidence; kg_store_doc_delete removes all three
 * with the document), so deleting or replacing a document removes exactly
 * what it contributed.  The global entities and relationships tables are
 * then rebuilt from those rows by graphops/graph_rebuild, which decides
 * what they mean (graph/graph_rules: names, weights, confidence, ids); the
 * store streams the rows in the order the rebuild needs and writes what it
 * is given.  A "graph dirty" flag, set in the same transaction as any
 * document change, makes an interrupted rebuild happen again on the next
 * run.
 *
 * Arrays returned are owned by the caller and freed with the matching
 * *_free function. */
#ifndef KG_STORE_GRAPH_STORE_H
#define KG_STORE_GRAPH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/records.h"
#include "store/store.h"

int kg_store_mention_insert(kg_store *s, const char *doc_id, const kg_mention *m, kg_err *err);
/* RELATED_TO is undirected: its evidence is stored with source_id <
 * target_id (byte order), whichever way r names them. */
int kg_store_evidence_insert(kg_store *s, const char *doc_id, const kg_relation *r, kg_err *err);
/* e->aliases is a JSON array of strings. */
int kg_store_doc_entity_insert(kg_store *s, const char *doc_id, const kg_entity *e, kg_err *err);

typedef struct kg_id_remap {
    char from[KG_ID_MAX];
    char to[KG_ID_MAX];
} kg_id_remap;

/* Within one document, rename entity ids in mentions and relation evidence
 * (all at once, so chains a->b, b->c do not compound; RELATED_TO ends stay
 * in id order).  Evidence that now relates an entity to itself stays and is
 * skipped by the rebuild. */
int kg_store_doc_remap_entities(kg_store *s, const char *doc_id, const kg_id_remap *map, size_t n,
                                kg_err *err);

/* A very large document is one transaction whose mentions and evidence do
 * not fit the page cache: maintaining the by-entity indexes row by row then
 * thrashes (random keys).  Between bulk_begin and bulk_end (inside the
 * caller's transaction) those two indexes are dropped and then rebuilt by
 * one sort, which is sequential.  A rollback restores them. */
int kg_store_bulk_begin(kg_store *s, kg_err *err);
int kg_store_bulk_end(kg_store *s, kg_err *err);

int kg_store_graph_set_dirty(kg_store *s, int dirty, kg_err *err);
int kg_store_graph_is_dirty(kg_store *s, int *dirty, kg_err *err);

/* ---- the rows of a rebuild (graphops/graph_rebuild), in its transaction -- */

/* Empty entities and relationships.  The backend may put aside what makes
 * writing them slow (SQLite: the relationships' indexes) until
 * kg_store_graph_finish, which the rebuild calls last. */
int kg_store_graph_clear(kg_store *s, kg_err *err);
int kg_store_graph_finish(kg_store *s, kg_err *err);

/* One doc_entities row; strings borrowed for the call. */
typedef struct kg_doc_entity_row {
    const char *entity_id; /* fused: the id fusion maps it to */
    const char *name, *key, *type;
    const char *aliases; /* JSON array text */
    int64_t mentions;
    double confidence;
} kg_doc_entity_row;
typedef int (*kg_doc_entity_fn)(void *ud, const kg_doc_entity_row *r);

/* fn for every doc_entities row, the rows of one entity together, entities
 * in id order (BINARY, as strcmp); within an entity the row of the
 * document that mentions it most first, then the longest name.  fused:
 * ids are mapped through entity_merge_map (kg_merge_map_refresh first),
 * the surviving entity's own rows before those of the entities merged into
 * it.  fn returns non-zero to stop (that value is returned). */
int kg_store_doc_entities_each(kg_store *s, int fused, kg_doc_entity_fn fn, void *ud, kg_err *err);
/* Write one entity: id, name, key, type, confidence, mentions, aliases. */
int kg_store_entity_put(kg_store *s, const kg_entity *e, kg_err *err);

/* One relation_evidence row; strings borrowed for the call. */
typedef struct kg_doc_evidence_row {
    const char *source_id, *target_id, *type;
    double confidence;
    const char *method;
    const char *doc_id;
    int64_t at; /* where its sentence starts in the document */
} kg_doc_evidence_row;
typedef int (*kg_doc_evidence_fn)(void *ud, const kg_doc_evidence_row *r);

/* fn for every relation_evidence row whose two ends differ, ordered by
 * source, target, type, document, sentence start, confidence (highest
 * first) and method: one (source, type, target) together, and within it
 * one sentence together, its most confident row first.  RELATED_TO has its
 * ends in id order.  fused: ends mapped through entity_merge_map (RELATED_TO
 * ends put in id order again; rows that now relate an entity to itself
 * left out).  fn returns non-zero to stop (that value is returned). */
int kg_store_doc_evidence_each(kg_store *s, int fused, kg_doc_evidence_fn fn, void *ud,
                               kg_err *err);
/* Write one relationship: id, ends, type, weight, confidence, method,
 * support. */
int kg_store_relationship_put(kg_store *s, const kg_relation *r, kg_err *err);

/* The graph for PageRank and queries, with entities indexed 0..n-1. */
typedef struct kg_graph_node {
    char id[KG_ID_MAX];
    char *name;
    char type[KG_TYPE_MAX];
    char *aliases; /* JSON array */
    int64_t mentions;
    double pagerank;
} kg_graph_node;

typedef struct kg_graph_edge {
    char id[KG_ID_MAX];
    int src, dst; /* node indices */
    char type[KG_TYPE_MAX];
    double weight, confidence;
    char method[KG_METHOD_MAX];
    int64_t support;
} kg_graph_edge;

typedef struct kg_graph_data {
    kg_graph_node *nodes;
    size_t nnodes;
    kg_graph_edge *edges;
    size_t nedges;
} kg_graph_data;

int kg_store_graph_load(kg_store *s, kg_graph_data *g, kg_err *err);
void kg_graph_data_free(kg_graph_data *g);

/* Write PageRank score, rank and percentile for node i of the loaded graph. */
int kg_store_entity_scores_write(kg_store *s, const kg_graph_data *g, const double *score,
                                 const int64_t *rank, const double *pct, kg_err *err);

#endif
