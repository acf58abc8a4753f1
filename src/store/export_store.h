/* export_store: streaming reads of the graph for the exporters.
 *
 * Each function runs one statement and hands rows to a callback as SQLite
 * produces them, so an export of any size holds one row at a time (plus
 * what SQLite itself keeps: a sorter that spills to temporary files, and
 * for a top-N limit the N selected ids).  The row structs passed to the
 * callbacks borrow their strings from the statement: they are valid only
 * during the call.  A callback returns 0 to go on, anything else to stop;
 * that value is then returned.
 *
 * The filter: entities with confidence below min_confidence are left out,
 * and so are relationships; entity_types / relation_types restrict to
 * those types (exact, as stored: upper case); limit keeps the top-N
 * entities by PageRank (ties by id) and only the edges among them.  An
 * edge is exported only when both its ends are exported entities, which
 * is also what PageRank uses (kg_store_graph_load). */
#ifndef KG_STORE_EXPORT_STORE_H
#define KG_STORE_EXPORT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

typedef struct kg_export_filter {
    double min_confidence;           /* 0 = no threshold */
    const char *const *entity_types; /* NULL or n_entity_types names */
    size_t n_entity_types;
    const char *const *relation_types;
    size_t n_relation_types;
    int64_t limit; /* 0 = every entity */
} kg_export_filter;

typedef struct kg_export_node {
    const char *id, *name, *type, *aliases; /* aliases: JSON array text */
    double pagerank, confidence;
    int64_t rank, mentions;
} kg_export_node;

typedef struct kg_export_edge {
    const char *id, *source, *target, *type, *method;
    const char *source_name, *target_name;
    double weight, confidence;
    int64_t support;
    int reversed; /* 1: the second direction of an undirected RELATED_TO */
} kg_export_edge;

typedef struct kg_export_doc {
    const char *id, *path, *title, *kind;
    const char *head; /* the first ~2000 bytes of the first chunk ("" if none) */
    /* The document read as a paper (documents.paper: authors, year, venue,
     * doi, arxiv, ...; its references and sections left out), or NULL. */
    const char *paper;
    int pages;
} kg_export_doc;

typedef int (*kg_export_node_fn)(void *ud, const kg_export_node *n);
typedef int (*kg_export_edge_fn)(void *ud, const kg_export_edge *e);
typedef int (*kg_export_doc_fn)(void *ud, const kg_export_doc *d);

/* Flags for kg_store_export_edges. */
#define KG_EXPORT_BOTH_WAYS 0x01 /* RELATED_TO also as target->source (not self-loops) */
#define KG_EXPORT_BY_SOURCE 0x02 /* ordered by source id (adjacency lists) */
#define KG_EXPORT_BY_WEIGHT 0x04 /* heaviest first */
#define KG_EXPORT_BY_TYPE 0x08   /* grouped by relation type */

/* A read transaction (deferred, so it works on a read-only handle) around
 * an export, so every file sees the same graph; end always rolls back. */
int kg_store_export_begin(kg_store *s, kg_err *err);
void kg_store_export_end(kg_store *s);

/* Entities passing f (NULL = all), highest PageRank first. */
int kg_store_export_nodes(kg_store *s, const kg_export_filter *f, kg_export_node_fn fn, void *ud,
                          kg_err *err);
/* Relationships among the entities passing f; max_rows 0 = all. */
int kg_store_export_edges(kg_store *s, const kg_export_filter *f, unsigned flags, int64_t max_rows,
                          kg_export_edge_fn fn, void *ud, kg_err *err);
/* Documents in path order, each with the head of its first chunk. */
int kg_store_export_docs(kg_store *s, kg_export_doc_fn fn, void *ud, kg_err *err);

#endif
