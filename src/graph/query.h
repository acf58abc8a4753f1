/* query: multi-hop questions over an in-memory knowledge graph.
 *
 * A question is answered in two steps.  kg_query_hit finds the entities it
 * names: word n-grams (n = 1..4, casefolded, longest first; a word used by a
 * longer match is not reused) are looked up exactly against names (score
 * 1.0) and aliases (0.9), then fuzzily (Jaro-Winkler >= 0.92, score 0.8 x JW;
 * or, for one word of >= 5 letters, edit distance 1, score 0.75).  Single
 * stop words and common question words never match.  kg_query_path then
 * walks 1..max_hops edges from the matched entities, in either direction,
 * and ranks the nodes it reaches:
 *
 *     score = match score of the starting entity
 *             x (product of the path's edge confidences)
 *             x (0.5 + 0.5 x pagerank(answer) / max pagerank)
 *
 * so a short, well-supported path wins and, among equals, the more central
 * answer.  Each answer entity appears once, with its best path.
 * kg_query_paths lists paths between two named entities, shortest first
 * (then most confident).
 *
 * Work is bounded: at most KG_QUERY_FANOUT edges (the most confident) are
 * followed out of any node and at most KG_QUERY_MAX_VISITS path extensions
 * are made per call, so a hub cannot blow up a query.
 *
 * Memory: the caller owns the kg_query_graph (kg_query_graph_free), which
 * copies every string given to it; match arrays are freed with free();
 * kg_query_result with kg_query_result_free. */
#ifndef KG_GRAPH_QUERY_H
#define KG_GRAPH_QUERY_H

#include <stdbool.h>

#include "base/err.h"

#define KG_QUERY_DEFAULT_HOPS 2
#define KG_QUERY_MAX_HOPS 3
#define KG_QUERY_FANOUT 64
#define KG_QUERY_MAX_VISITS 200000

typedef struct kg_query_graph kg_query_graph;

typedef struct kg_query_node {
    char *name, *type;
    char **aliases;
    int n_aliases;
    double pagerank;
    bool matchable; /* its names are matched against questions */
} kg_query_node;

typedef struct kg_query_edge {
    int src, dst;
    char *type;
    double weight, confidence;
    char **evidence; /* e.g. relationship or chunk ids */
    int n_evidence;
} kg_query_edge;

kg_query_graph *kg_query_graph_new(void);
void kg_query_graph_free(kg_query_graph *g);
/* Returns the new node's index. */
int kg_query_add_node(kg_query_graph *g, const char *name, const char *type,
                      const char *const *aliases, int n_aliases, double pagerank);
/* Returns the new edge's index, or KG_EINVAL (with err) for unknown nodes or
 * a confidence outside [0, 1]. */
int kg_query_add_edge(kg_query_graph *g, int src, int dst, const char *type, double weight,
                      double confidence, const char *const *evidence, int n_evidence, kg_err *err);
/* Build the name and adjacency indexes now.  Queries build them on first use
 * after a change; call this once before sharing a graph between threads, so
 * that the queries that follow only read it. */
void kg_query_graph_prepare(kg_query_graph *g);
int kg_query_node_count(const kg_query_graph *g);
int kg_query_edge_count(const kg_query_graph *g);
const kg_query_node *kg_query_get_node(const kg_query_graph *g, int i);
const kg_query_edge *kg_query_get_edge(const kg_query_graph *g, int i);
/* A node that is not matchable is never named by a question: its names are
 * left out of the name index.  A neighbourhood loaded around the entities
 * a question names (graphops/graph_hood) marks the nodes it reached that
 * way, which saves normalising their names. */
void kg_query_set_matchable(kg_query_graph *g, int node, bool on);
/* Answers are scored against the highest PageRank of the whole graph; a
 * graph holding part of a larger one is told that maximum here (the
 * largest of this and its own nodes' is used). */
void kg_query_set_max_pagerank(kg_query_graph *g, double max_pr);

typedef struct kg_query_hit {
    int node;
    double score;
    const char *kind;         /* "exact" | "alias" | "fuzzy" (static strings) */
    int word_start, word_end; /* which question words matched, [start, end) */
} kg_query_hit;

/* Best score per node, sorted by score (desc).  *out is malloc'ed (free()),
 * NULL when nothing matched. */
int kg_query_match(kg_query_graph *g, const char *question, kg_query_hit **out, int *n_out,
                   kg_err *err);

typedef struct kg_query_path {
    int node; /* the answer entity (last node of the path) */
    double score;
    int hops;
    int *nodes;     /* hops + 1 node indices, from a matched entity */
    int *edges;     /* hops edge indices */
    char *rendered; /* "A -[WORKS_FOR]-> B <-[LOCATED_IN]- C" */
} kg_query_path;

typedef struct kg_query_result {
    kg_query_hit *matches;
    int n_matches;
    kg_query_path *answers;
    int n_answers;
    int truncated; /* 1 when a work bound cut the search short */
} kg_query_result;

/* max_hops 0 means KG_QUERY_DEFAULT_HOPS; limit <= 0 means 10. */
int kg_query_answer(kg_query_graph *g, const char *question, int max_hops, int limit,
                    kg_query_result **out, kg_err *err);
/* The same from matches made elsewhere (search/qlink over a store): the
 * question is not matched again, only read for the verbs it asks about
 * (NULL: none).  Matches of nodes outside g are dropped. */
int kg_query_answer_from(kg_query_graph *g, const char *question, const kg_query_hit *matches,
                         int n_matches, int max_hops, int limit, kg_query_result **out,
                         kg_err *err);
/* Paths between the entities best matching a and b.  KG_ENOTFOUND when
 * either names nothing; an empty result when no path is short enough. */
int kg_query_paths(kg_query_graph *g, const char *a, const char *b, int max_hops, int limit,
                   kg_query_result **out, kg_err *err);
/* The same between two matches made elsewhere. */
int kg_query_paths_from(kg_query_graph *g, const kg_query_hit *a, const kg_query_hit *b,
                        int max_hops, int limit, kg_query_result **out, kg_err *err);
void kg_query_result_free(kg_query_result *r);

#endif
