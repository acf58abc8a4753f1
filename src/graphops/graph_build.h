/* graph_build: turn what documents contributed into the ranked graph.
 *
 * Rebuilds the global entities and relationships from the per-document rows
 * (graphops/graph_rebuild), then runs PageRank over the directed weighted entity
 * graph (a co-occurrence relation counts in both directions; parallel edges
 * add their weights) and writes score, rank and percentile back.  All in one
 * transaction, which also clears the "graph dirty" flag: an interrupted
 * run leaves the flag set and the next ingest redoes it. */
#ifndef KG_GRAPHOPS_GRAPH_BUILD_H
#define KG_GRAPHOPS_GRAPH_BUILD_H

#include <stdint.h>

#include "base/err.h"
#include "config/config.h"
#include "store/store.h"

typedef struct kg_pagerank_opts {
    double damping;     /* default 0.85 */
    int max_iterations; /* default 1000 */
    double tolerance;   /* default 1e-10 */
    int stopping;       /* graph/pagerank.h's kg_pagerank_stop; default converged */
} kg_pagerank_opts;

/* From the settings pagerank.* (cfg may be NULL: the defaults). */
void kg_pagerank_opts_from_config(const kg_config *cfg, kg_pagerank_opts *o);

typedef struct kg_graph_summary {
    int64_t entities, relationships;
    int iterations;
    int converged;
    double seconds;
} kg_graph_summary;

/* Rebuild and rank (in its own transaction). */
int kg_graph_build(kg_store *s, const kg_pagerank_opts *o, kg_graph_summary *sum, kg_err *err);
/* Only PageRank over the current relationships (the calculate_pagerank tool). */
int kg_graph_rank(kg_store *s, const kg_pagerank_opts *o, kg_graph_summary *sum, kg_err *err);

#endif
