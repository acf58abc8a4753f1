/* graph_build: turn what documents contributed into the ranked graph.
 *
 * Rebuilds the global entities and relationships from the per-document rows
 * (graphops/graph_rebuild), then runs PageRank over the weighted entity
 * graph and writes score, rank and percentile back.  What "matters" is
 * measured as a text suggests it: a relation read from a sentence counts in
 * both directions (its subject is as much what the sentence is about as its
 * object) while a paper's citations, authors and affiliations keep theirs;
 * parallel edges add their weights; and the walk's random jumps land on an
 * entity in proportion to log(1 + its mentions), so a name the text repeats
 * outranks one it names once in passing (a pair of one-off names in one
 * sentence no longer ranks with the main characters).  Both are settings
 * (pagerank.relations, pagerank.teleport); "directed" and "uniform" give
 * networkx.pagerank's plain definition over the stored edges.  All in one
 * transaction, which also clears the "graph dirty" flag: an interrupted
 * run leaves the flag set and the next ingest redoes it. */
#ifndef KG_GRAPHOPS_GRAPH_BUILD_H
#define KG_GRAPHOPS_GRAPH_BUILD_H

#include <stdint.h>

#include "base/err.h"
#include "config/config.h"
#include "store/store.h"

/* Where the walk jumps to (setting pagerank.teleport). */
typedef enum kg_pagerank_teleport_kind {
    KG_PAGERANK_TELEPORT_MENTIONS = 0, /* in proportion to log(1 + mentions) */
    KG_PAGERANK_TELEPORT_UNIFORM = 1,  /* every entity alike (networkx's default) */
} kg_pagerank_teleport_kind;

typedef struct kg_pagerank_opts {
    double damping;     /* default 0.85 */
    int max_iterations; /* default 1000 */
    double tolerance;   /* default 1e-10 */
    int stopping;       /* graph/pagerank.h's kg_pagerank_stop; default converged */
    int teleport;       /* kg_pagerank_teleport_kind; default mentions */
    int directed;       /* 1: only co-occurrence counts both ways (pagerank.relations
                           directed); 0 (default): every relation read from a sentence
                           does (graph/graph_rules: kg_rel_ranks_both_ways) */
} kg_pagerank_opts;

/* "mentions" / "uniform" (setting pagerank.teleport); -1 for anything else. */
int kg_pagerank_teleport_parse(const char *name);

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
