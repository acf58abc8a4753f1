/* graph_store: the graph tables of the store (mentions, per-document
 * entities, relation evidence) and the global graph derived from them
 * (entities, relationships, PageRank scores).
 *
 * What a document contributes is stored per document (mentions,
 * doc_entities, relation_evidence; kg_store_doc_delete removes all three
 * with the document), so deleting or replacing a document removes exactly
 * what it contributed.  The global
 * entities and relationships tables are then rebuilt from those rows by
 * kg_store_graph_rebuild(); a "graph dirty" flag, set in the same
 * transaction as any document change, makes an interrupted rebuild happen
 * again on the next run.
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

/* Rebuild entities and relationships from the per-document rows.  Runs in
 * the caller's transaction.  Relationship weight = sum over evidence of
 * confidence x method factor; confidence = noisy-or of the evidence; one
 * sentence is one piece of evidence (its most confident row, then by
 * method name, when a rename made two rows of it one pair).  Entity names
 * (and aliases) of every entity become final here, in rebuild_entities. */
int kg_store_graph_rebuild(kg_store *s, kg_err *err);

typedef struct kg_graph_data kg_graph_data;
/* The same, also handing back in *out (when not NULL) the graph as written,
 * node for node and edge for edge as kg_store_graph_load() would read it
 * back (PageRank scores 0), so PageRank need not read back what was just
 * written (about 0.1 s of a 15 MB ingest).  *out is freed with
 * kg_graph_data_free. */
int kg_store_graph_rebuild_into(kg_store *s, kg_graph_data *out, kg_err *err);

/* Weight factor of an extraction method (pattern > apposition > verb >
 * co-occurrence); unknown methods get the verb factor. */
double kg_method_factor(const char *method);

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

struct kg_graph_data {
    kg_graph_node *nodes;
    size_t nnodes;
    kg_graph_edge *edges;
    size_t nedges;
};

int kg_store_graph_load(kg_store *s, kg_graph_data *g, kg_err *err);
void kg_graph_data_free(kg_graph_data *g);

/* Write PageRank score, rank and percentile for node i of the loaded graph. */
int kg_store_entity_scores_write(kg_store *s, const kg_graph_data *g, const double *score,
                                 const int64_t *rank, const double *pct, kg_err *err);

#endif
