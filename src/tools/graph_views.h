/* graph_views: one loaded graph shared by the read tools of a runtime.
 *
 * Loading the graph is most of the work of a query_graph call, so a server
 * keeps the last loaded view and hands it to every call while the database
 * is unchanged (kg_tool_db_stamp: any commit by any process changes it).
 * A view is reference-counted: a stale one is replaced for new calls and
 * freed when the last call using it releases it.  Without a runtime (a
 * one-shot CLI call) each acquire loads a private view.
 *
 * The view must only be read: graph/query is safe for concurrent readers
 * of a prepared graph. */
#ifndef KG_TOOLS_GRAPH_VIEWS_H
#define KG_TOOLS_GRAPH_VIEWS_H

#include "graphops/graph_query.h"
#include "tools/registry.h"

int kg_tool_graph_acquire(kg_tool_ctx *ctx, kg_store *s, kg_graph_view **out, kg_err *err);
void kg_tool_graph_release(kg_tool_ctx *ctx, kg_graph_view *v);

/* Release what a runtime holds here (its current view): its owner calls it
 * when the runtime ends.  The runtime's cache is freed by its owner. */
void kg_tool_runtime_release(kg_tool_runtime *rt);

#endif
