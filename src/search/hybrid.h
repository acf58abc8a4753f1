/* hybrid: the passages for a question, from text, vectors and the graph.
 *
 * `kgas search --mode hybrid`, the similarity_search tool's default and
 * the passages `kgas query` draws its evidence from.  Three channels:
 *
 *   text    BM25 over the chunks (SQLite FTS5);
 *   vector  cosine of embeddings (skipped, and said so, before `kgas
 *           embed` or for a query with no words to embed);
 *   graph   search/qlink links the question to the entities and the
 *           passages (by title) it names, and search/graph_walk runs a
 *           personalised PageRank from those seeds and from the first
 *           passages of the text and vector channels.
 *
 * Fusion is the walk itself (as HippoRAG 2 seeds its graph with dense
 * retrieval's passages): the text and vector channels' passages are seeds
 * weighted by their normalised scores, the named passages and entities
 * seeds weighted by match quality and specificity (1 / the mentions of
 * every entity the same words of the question link: rare words say more,
 * and a rare misreading of common words, "German" once read as a place,
 * no more than they), and a passage's score is the mass that reaches it.
 * A passage both channels rank high and that the question's entities lead
 * to collects from all three.  Passages the walk does not reach follow,
 * ordered by reciprocal rank fusion of text and vector.  Seed weights are
 * fixed, not learnt per corpus (docs/retrieval.md: chosen on the odd half
 * of the shared MuSiQue and HotpotQA questions, checked on the even half;
 * few, light text seeds let the graph's passages through, which is where
 * the multi-hop gain is).
 *
 * With nothing linked and no graph the walk returns the text and vector
 * seeds in their seed order, so hybrid falls back to the channels it has.
 * No channel applying (no words, no vectors, nothing named) is an empty
 * answer, not an error. */
#ifndef KG_SEARCH_HYBRID_H
#define KG_SEARCH_HYBRID_H

#include "base/err.h"
#include "search/graph_walk.h"
#include "search/ranked.h"
#include "search/vector_index.h"
#include "store/store.h"

/* The weights of the seeds (docs/retrieval.md). */
typedef struct kg_hybrid_opts {
    int text_seeds;       /* first passages of the text channel seeded */
    double text_weight;   /* x BM25 / best BM25 */
    int vector_seeds;     /* first passages of the vector channel seeded */
    double vector_weight; /* x cosine / best cosine */
    int vector_below;     /* a local model is consulted below this many text hits */
    double title_weight;  /* a passage named by its title (/ documents sharing it) */
    double entity_weight; /* x match score / mentions */
    kg_walk_opts walk;
} kg_hybrid_opts;

void kg_hybrid_opts_default(kg_hybrid_opts *o);

/* For benches and ablations (bench/multihop.sh, docs/retrieval.md): the
 * defaults overridden by spec, "name=value,..." with the names of the
 * fields above and of the walk's (damping, levels, chunk_fanout,
 * relation_fanout, typed_scale, cooccur_scale).  kg_hybrid_search reads
 * it from the environment variable KG_BENCH_HYBRID and reports it (the
 * report's "settings"), so an overridden run never passes for the
 * default.  Returns 0, or -1 naming an unknown or malformed item in bad. */
int kg_hybrid_opts_parse(kg_hybrid_opts *o, const char *spec, char *bad, size_t badlen);

/* The vector channel, as search/vector_search hands it over: the query's
 * vector under model, or how to make it.  An API model's vector (qvec
 * given) is always consulted.  A local model (prepare set) is lexical, a
 * second view of BM25's evidence that adds nothing measurable when the
 * text channel has found passages (docs/retrieval.md), at the cost of
 * reading every vector: it is consulted when the text channel finds fewer
 * than vector_below (10) passages (words in another script, spelling variants,
 * no words the index knows), prepare() making the vector then. */
typedef struct kg_hybrid_vec {
    const char *model;
    const float *qvec;
    int dim;
    const char *fit_hash; /* local models' IDF fit ("" for API models) */
    const char *off;      /* why qvec is NULL: "not embedded", "no words" */
    /* Fill qvec, dim, fit_hash, or off; KG_OK either way. */
    int (*prepare)(void *ud, struct kg_hybrid_vec *v, kg_err *err);
    void *ud;
} kg_hybrid_vec;

/* The seed weight of the question's link i (search/qlink): o's
 * entity_weight x its type's weight x the match's score, over the
 * mentions of every entity linked by the same words. */
struct kg_qlink_result;
double kg_hybrid_link_weight(const struct kg_qlink_result *l, size_t i, const kg_hybrid_opts *o);

/* limit <= 0: 10.  info->report receives the channels, the linking and
 * the walk; *info is filled whatever happens (kg_search_info_free). */
int kg_hybrid_search(kg_store *s, const char *query, const kg_hybrid_vec *vec, int limit,
                     const kg_vindex_opts *ix, kg_ranked_hit **hits, size_t *n,
                     kg_search_info *info, kg_err *err);

#endif
