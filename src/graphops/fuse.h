/* fuse: multi-document fusion (`kgas fuse`, the fuse_documents tool).
 *
 * Same-type entities that different documents contribute (no document
 * contributes both) are compared by name (graph/fuse_score: normal forms,
 * word overlap with abbreviations and initials, Jaro-Winkler, aliases).
 * Pairs at or above the threshold become clusters, conservatively: an
 * entity that matches two entities which do not match each other is
 * ambiguous and left alone ("J. Smith" with "John Smith" and "Jane
 * Smith"), and two clusters join only when every pair across them matches
 * (complete linkage).  Each cluster keeps its most-mentioned entity; the
 * others are recorded as decisions (store/merge_store) and the graph is
 * rebuilt, which groups their mentions, aliases and evidence under it.
 *
 * Context: the entities of candidate pairs get context vectors
 * (search/entity_vec: windows of words around their mentions, embedded
 * by the local model), computed here so that fusion does not depend on
 * `kgas embed` having run or being current; with the model's stored IDF
 * fit when there is one, else an IDF fitted on the windows compared.  The
 * cosine of a pair's vectors moves its name score by at most
 * embedding_weight (graph/fuse_score, kg_fuse_context); values (DATE,
 * MONEY, PERCENT) are scored by name alone.  A pair where
 * either entity has no context is scored by name alone, and the report's
 * `embedding` object says how many were.
 *
 * kg_fuse_unmerge marks one decision undone and rebuilds: the two entities
 * come apart as before the fuse. */
#ifndef KG_GRAPHOPS_FUSE_H
#define KG_GRAPHOPS_FUSE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "config/config.h"
#include "graphops/graph_build.h"
#include "store/store.h"

/* Whose attributes (canonical name and key) a merged cluster keeps. */
typedef enum kg_fuse_strategy {
    KG_FUSE_EVIDENCE_BASED = 0,  /* the most mentions */
    KG_FUSE_CONFIDENCE_WEIGHTED, /* the highest confidence, then mentions */
    KG_FUSE_TEMPORAL,            /* the most recently ingested, then mentions */
} kg_fuse_strategy;

/* "evidence_based" | "confidence_weighted" | "temporal"; -1 otherwise. */
int kg_fuse_strategy_parse(const char *s);

typedef struct kg_fuse_opts {
    double threshold; /* 0..1; <= 0: 0.8 */
    kg_fuse_strategy strategy;
    int dry_run;             /* report what would merge, change nothing */
    double embedding_weight; /* 0..0.5: how far context similarity moves a score; 0 off */
    int context_window;      /* words each side of a mention; <= 0: the default */
    int context_mentions;    /* windows per entity; <= 0: all */
    kg_pagerank_opts pagerank;
} kg_fuse_opts;

/* *report: {threshold, dry_run, compared, merges:[{id, type, score,
 * name_score, context_similarity?, from:{id,name}, into:{id,name},
 * reasons:[...]}], ambiguous:[...], embedding:{used, weight, model, window,
 * idf, entities, with_vector, pairs_scored, pairs_without, pairs_values,
 * note},
 * entities, relationships}. */
int kg_fuse_documents(kg_store *s, const kg_fuse_opts *o, json_t **report, kg_err *err);

/* *report: {unmerged:{id, type, from, into}, entities, relationships}. */
int kg_fuse_unmerge(kg_store *s, int64_t id, const kg_pagerank_opts *pr, json_t **report,
                    kg_err *err);

/* After an ingest: fuse when the run added or replaced documents and the
 * store holds at least two; *report NULL when it did not run. */
int kg_fuse_after_ingest(kg_store *s, const kg_fuse_opts *o, int changed, json_t **report,
                         kg_err *err);

/* threshold, strategy, embedding weight, context window and PageRank
 * options from the settings fuse.*, embed.entity_window and pagerank.*. */
void kg_fuse_opts_from_config(const kg_config *cfg, kg_fuse_opts *o);

#endif
