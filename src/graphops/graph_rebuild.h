/* graph_rebuild: the global entities and relationships, rebuilt from what
 * the documents contributed.
 *
 * The store streams the per-document rows (store/graph_store.h: document
 * entities grouped by entity, evidence grouped by (source, type, target)
 * and sentence) and writes what it is handed; the rules of graph/
 * graph_rules decide what the rows mean.  One sentence is one piece of
 * evidence, however many forms of an entity it names ("GEN" and "Graph
 * Echo Network"): of the rows a rename left for one sentence and pair, the
 * first (most confident, then by method name) is the one counted.  With
 * fusion decisions (store/merge_store) rows are grouped by the ids they are
 * mapped to.  Runs in the caller's transaction. */
#ifndef KG_GRAPHOPS_GRAPH_REBUILD_H
#define KG_GRAPHOPS_GRAPH_REBUILD_H

#include "base/err.h"
#include "store/graph_store.h"
#include "store/store.h"

/* Rebuild, and hand back in *out (when not NULL) the graph as written,
 * node for node and edge for edge as kg_store_graph_load would read it
 * back (PageRank scores 0), so PageRank need not read back what was just
 * written (about 0.1 s of a 15 MB ingest).  *out is freed with
 * kg_graph_data_free. */
int kg_graph_rebuild(kg_store *s, kg_graph_data *out, kg_err *err);

#endif
