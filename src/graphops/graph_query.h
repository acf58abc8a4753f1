/* graph_query: answer questions over the stored graph.
 *
 * Loads the entities and relationships of a store into graph/query's
 * in-memory graph (node i = entity i of kg_store_graph_load, edge j =
 * relationship j), and turns its answers and paths into JSON carrying,
 * for every edge, the evidence sentences with document, page and span.
 * The CLI and the MCP tools print or return exactly these objects.
 *
 * A kg_graph_view owns both the loaded rows and the query graph; free it
 * with kg_graph_view_free().  JSON results are new references. */
#ifndef KG_GRAPHOPS_GRAPH_QUERY_H
#define KG_GRAPHOPS_GRAPH_QUERY_H

#include <jansson.h>

#include "base/err.h"
#include "graph/query.h"
#include "store/graph_store.h"
#include "store/store.h"

typedef struct kg_graph_view {
    kg_graph_data data;
    kg_query_graph *q;
} kg_graph_view;

/* The whole graph, indexed for any number of queries (the MCP server keeps
 * one).  A single question is cheaper with graphops/graph_hood. */
int kg_graph_view_load(kg_store *s, kg_graph_view *v, kg_err *err);
/* Build v->q from v->data (already loaded); frees v on failure.  The
 * indexes are built on first use (kg_query_graph_prepare). */
int kg_graph_view_build(kg_graph_view *v, kg_err *err);
void kg_graph_view_free(kg_graph_view *v);

/* {"question", "matched": [...], "answers": [{"entity", "score", "confidence",
 *  "hops", "path", "nodes", "edges", "evidence"}], "truncated"} */
int kg_graph_answer_json(kg_store *s, kg_graph_view *v, const char *question, int max_hops,
                         int limit, json_t **out, kg_err *err);
/* {"from", "to", "paths": [{"nodes", "edges", "evidence", "path", "confidence"}]} */
int kg_graph_paths_json(kg_store *s, kg_graph_view *v, const char *a, const char *b, int max_hops,
                        int limit, json_t **out, kg_err *err);
/* {"entities": [{"id", "name", "type", "pagerank", "rank", "mentions",
 *  "percentile"}]}: the top entities by PageRank, of one type when type is
 * not NULL (any case: "person" is PERSON). */
int kg_graph_top_json(kg_store *s, const char *type, int limit, json_t **out, kg_err *err);
/* An entity with aliases, mentions (document, page, snippet) and relations. */
int kg_graph_entity_json(kg_store *s, const char *id_or_name, int mention_limit, json_t **out,
                         kg_err *err);

#endif
