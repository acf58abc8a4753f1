/* graph_walk: passages scored by a personalised PageRank from a question's
 * seeds, over the entities and the chunks that mention them.
 *
 * The walk is HippoRAG's idea on kgas's graph: restart at the seeds (the
 * entities and passages a question names, and the passages the text and
 * vector channels rank first), step along the graph, and score each chunk
 * by the mass that reaches it.  Its graph has two kinds of node:
 *
 *   chunk -- entity   one edge per entity mentioned in the chunk, weighted
 *                     by the mentions (so a passage leads to what it names
 *                     and an entity to the passages naming it);
 *   entity -- entity  one edge per relationship, weighted by
 *                     kg_walk_relation_weight(type) x confidence: typed
 *                     relations count fully, co-occurrence (RELATED_TO)
 *                     little, since chunk -- entity edges already join the
 *                     entities of one passage.
 *
 * It never loads the whole graph: from the seeds it reads `levels` steps
 * out (store/retrieval_store), at most `chunk_fanout` chunks of an entity
 * and `relation_fanout` relations each way, and normalises each entity by
 * its whole mention count, so a hub ("United States", hundreds of
 * passages) hands each passage a sliver however little of it was read.
 * Chunks at the edge of what was read keep what reaches them (their own
 * edges were not read).  Two steps suffice: on the MuSiQue and HotpotQA
 * sets of ../shared/data/qa, walking further changes no top-5 passage
 * (docs/retrieval.md).
 *
 * Memory: *hits is malloc'ed (free()). */
#ifndef KG_SEARCH_GRAPH_WALK_H
#define KG_SEARCH_GRAPH_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/records.h"
#include "store/store.h"

/* A seed: a chunk ("chunk_...") or an entity ("ent_..."), its restart
 * weight (> 0), and for an entity its mention count when known (0: read). */
typedef struct kg_walk_seed {
    char id[KG_ID_MAX];
    double weight;
    int64_t mentions;
} kg_walk_seed;

typedef struct kg_walk_opts {
    double damping;       /* probability of a step rather than a restart */
    int levels;           /* steps read out of the seeds */
    int chunk_fanout;     /* chunks read per entity */
    int relation_fanout;  /* relationships read per entity and direction */
    int max_nodes;        /* stop reading beyond this many nodes */
    double typed_scale;   /* x the weight of typed relations (ablation: 0) */
    double cooccur_scale; /* x the weight of co-occurrence (RELATED_TO) */
} kg_walk_opts;

/* 0.5, 2, 64, 16, 20000, 1, 1 (docs/retrieval.md: measured). */
void kg_walk_opts_default(kg_walk_opts *o);

typedef struct kg_walk_hit {
    char chunk_id[KG_ID_MAX];
    double score;
} kg_walk_hit;

typedef struct kg_walk_report {
    int entities, chunks; /* nodes of the walk */
    int64_t edges;
    int iterations;
    int truncated; /* max_nodes stopped the reading */
} kg_walk_report;

/* Chunks by the mass reaching them, best first (only those reached).
 * Seeds with no weight are ignored; none at all: no hits. */
int kg_graph_walk(kg_store *s, const kg_walk_seed *seeds, size_t n, const kg_walk_opts *opts,
                  kg_walk_hit **hits, size_t *nhits, kg_walk_report *rep, kg_err *err);

/* The walk weight of a relation type (an easily extended table in
 * graph_walk.c): 1 for typed relations, less for co-occurrence. */
double kg_walk_relation_weight(const char *type);

#endif
