/* graph_hood: load only the part of the stored graph one question needs.
 *
 * kg_graph_view_load reads every entity and relationship; that is right
 * for the MCP server, which keeps the view for many calls, and wasteful for
 * a `kgas query` process that answers one question and exits.  These
 * loaders give the same answers from a much smaller view:
 *
 * 1. search/qlink links the question to the entities it names (the
 *    recogniser's mentions and the question's phrases, looked up in the
 *    store's name index);
 * 2. those entities are the walk's seeds and the only matchable nodes;
 *    answers start from them (graphops/graph_query links the same way);
 * 3. the neighbourhood of the picked entities is read level by level
 *    (store/hood_store), keeping per node the edges the walk would follow.
 *
 * Node and edge order, the walk's fan-out and the PageRank normalisation
 * are those of the whole graph, so answers, scores and paths are the same;
 * tests/unit/test_graph_hood.c checks it on real corpora.  When the name
 * index is not built yet (a database from an older kgas, not re-ingested)
 * or the neighbourhood would be large (three hops from hubs), the whole
 * graph is loaded instead.  The view is used as kg_graph_view_load's. */
#ifndef KG_GRAPHOPS_GRAPH_HOOD_H
#define KG_GRAPHOPS_GRAPH_HOOD_H

#include "base/err.h"
#include "graphops/graph_query.h"
#include "store/store.h"

/* Beyond this many walked nodes, load the whole graph instead. */
#define KG_HOOD_MAX_WALKED 1500

/* A view for kg_graph_answer_json(question, max_hops). */
int kg_graph_view_load_question(kg_store *s, const char *question, int max_hops, kg_graph_view *v,
                                kg_err *err);
/* A view for kg_graph_paths_json(a, b, max_hops). */
int kg_graph_view_load_pair(kg_store *s, const char *a, const char *b, int max_hops,
                            kg_graph_view *v, kg_err *err);

/* How the last load was done, for tests and `--verbose`: 1 neighbourhood,
 * 0 whole graph.  Per thread. */
int kg_graph_hood_last_was_partial(void);

#endif
