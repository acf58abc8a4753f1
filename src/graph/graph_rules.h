/* graph_rules: what the per-document rows mean for the global graph.
 *
 * A document contributes entity rows (its name, aliases, mention count and
 * confidence for each entity it resolved) and relation evidence (one row
 * per sentence and method).  These rules turn them into the graph's
 * entities and weighted edges; the store only keeps and streams the rows
 * (store/graph_store.h), graphops/graph_rebuild runs the rules over them,
 * and the build_edges tool applies the same edge rule to relations it is
 * given, so a tool's answer and the stored graph agree.
 *
 * The edge rule: one edge per (source, type, target); support = pieces of
 * evidence; weight = sum of confidence x method factor (pattern and paper
 * (a paper's structure: ingest/ingest_paper) 1.0, llm
 * 0.9, apposition 0.8, verb 0.7, co-occurrence 0.3); confidence = the
 * noisy-or of the evidence, 1 - prod(1 - c), at most 0.99 (no amount of
 * extracted evidence makes an edge certain); method = the most trusted one
 * seen.  The id is "rel_" + a hash of source, type and target, so an edge
 * keeps its id across rebuilds.
 *
 * The entity rule: an entity takes the name and key of the first row it is
 * given (the caller orders them: the document that mentions it most, ties
 * by name and document id, so the order of ingest never matters), the
 * sum of the mentions, the highest confidence, and as aliases every other
 * name and alias seen, in first-seen order. */
#ifndef KG_GRAPH_GRAPH_RULES_H
#define KG_GRAPH_GRAPH_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/records.h"

/* Weight factor of an extraction method (pattern > llm > apposition >
 * verb > co-occurrence); unknown methods get the verb factor. */
double kg_method_factor(const char *method);

/* Whether an edge counts in both directions for the entities' PageRank
 * (graphops/graph_build, setting pagerank.relations): a co-occurrence
 * always does; a relation read from a sentence (verb, apposition, path,
 * pattern, llm...) does when `both`, since which end is the subject is
 * grammar, not one entity vouching for the other ("Keller proposed GEN"
 * says as much about Keller as about GEN); a paper's structure (method
 * "paper": CITES, AUTHORED, AFFILIATED_WITH) keeps its direction, as a
 * citation gives credit to what it cites. */
bool kg_rel_ranks_both_ways(const char *type, const char *method, bool both);

/* An edge while its evidence is added. */
typedef struct kg_edge_acc {
    double weight, miss, best_factor;
    int64_t support;
    char method[KG_METHOD_MAX];
} kg_edge_acc;

void kg_edge_acc_init(kg_edge_acc *a);
void kg_edge_acc_add(kg_edge_acc *a, double confidence, const char *method);
/* The noisy-or of the evidence added, at most 0.99. */
double kg_edge_acc_confidence(const kg_edge_acc *a);
/* The id of the edge (source, type, target). */
void kg_rel_make_id(char id[KG_ID_MAX], const char *source_id, const char *type,
                    const char *target_id);

/* An entity while the rows naming it are added. */
typedef struct kg_entity_acc {
    char id[KG_ID_MAX];
    char *name, *key; /* NULL: nothing added yet */
    char type[KG_TYPE_MAX];
    int64_t mentions;
    double confidence;
    json_t *aliases; /* every name and alias seen, first-seen order */
} kg_entity_acc;

/* Start entity id with its first row's name, key and type (freeing what a
 * previous one held is kg_entity_acc_clear's). */
void kg_entity_acc_start(kg_entity_acc *a, const char *id, const char *name, const char *key,
                         const char *type);
/* Add one row: its name, its aliases (JSON array text; anything else is
 * ignored), mentions and confidence. */
void kg_entity_acc_add(kg_entity_acc *a, const char *name, const char *aliases_json,
                       int64_t mentions, double confidence);
/* The aliases as written: compact JSON without the canonical name.
 * Malloc'd. */
char *kg_entity_acc_aliases(const kg_entity_acc *a);
void kg_entity_acc_clear(kg_entity_acc *a);

#endif
