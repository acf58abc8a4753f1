/* embed: a local, deterministic text embedder that needs no downloaded model.
 *
 * A text becomes a sparse TF-IDF vector over two blocks of features:
 * lower-cased, Snowball-stemmed (english) word unigrams, and byte 3-grams of
 * each lower-cased word padded with '^' and '$'.  Features are hashed into
 * 2^18 buckets (with a sign bit, so collisions cancel in expectation), each
 * block is L2-normalised on its own (so the many 3-grams do not drown the
 * words), and the result is mapped to `dim` dimensions by a sparse random
 * projection (Achlioptas, s = 3: entries +-sqrt(3) with probability 1/6
 * each, else 0) whose entries are a hash of (bucket, dimension) with a fixed
 * seed, so no matrix is stored.  The output is L2-normalised.  See
 * docs/embeddings.md for why this preserves cosine similarity.
 *
 * IDF is fitted on a corpus: kg_embedder_add_doc() counts the document
 * frequency of each bucket; kg_embedder_set_df() restores a stored fit.
 * With no documents counted every IDF is 1.
 *
 * The model id ("local-tfidf-rp-v1-d256") names the family, the version
 * (which fixes buckets, seed, s and features) and the dimension.
 *
 * Threads: an embedder holds a stemmer and is used by one thread at a time.
 * Memory: kg_embedder_new allocates; kg_embedder_free releases.  Output
 * vectors are caller-provided arrays of dim floats. */
#ifndef KG_VEC_EMBED_H
#define KG_VEC_EMBED_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define KG_EMBED_BUCKETS_LOG2 18
#define KG_EMBED_BUCKETS (1u << KG_EMBED_BUCKETS_LOG2)
#define KG_EMBED_DIM_DEFAULT 256
#define KG_EMBED_DIM_MIN 8
#define KG_EMBED_DIM_MAX 4096
#define KG_EMBED_MODEL_PREFIX "local-tfidf-rp-v1-d"
#define KG_EMBED_MODEL_DEFAULT "local-tfidf-rp-v1-d256"
#define KG_EMBED_MODEL_MAX 64

typedef struct kg_embedder kg_embedder;

/* Parse a model id of this family; *dim gets its dimension.  Any other
 * model is KG_EINVAL with a message naming the supported form. */
int kg_embed_parse_model(const char *model, int *dim, kg_err *err);
/* The id for a dimension, into out (KG_EMBED_MODEL_MAX bytes). */
void kg_embed_model_id(int dim, char out[KG_EMBED_MODEL_MAX]);

int kg_embedder_new(int dim, kg_embedder **out, kg_err *err);
void kg_embedder_free(kg_embedder *e);
int kg_embedder_dim(const kg_embedder *e);

/* Fitting IDF: count one document's distinct buckets. */
void kg_embedder_add_doc(kg_embedder *e, const char *text);
/* The fit: number of documents and the per-bucket document frequencies
 * (KG_EMBED_BUCKETS entries, borrowed; valid until the next add/set). */
uint32_t kg_embedder_docs(const kg_embedder *e);
const uint32_t *kg_embedder_df(const kg_embedder *e);
/* Restore a fit (df has KG_EMBED_BUCKETS entries; copied). */
void kg_embedder_set_df(kg_embedder *e, uint32_t docs, const uint32_t *df);

/* Embed text into out[dim] (unit length; all zeros when the text has no
 * features, and then *empty, when non-NULL, is 1). */
void kg_embed_text(kg_embedder *e, const char *text, float *out, int *empty);

/* The projection alone, exposed for tests: out[dim] = R^T x where x has n
 * non-zeros w[i] at buckets[i] (< KG_EMBED_BUCKETS).  Not normalised. */
void kg_embed_project(const uint32_t *buckets, const float *w, size_t n, int dim, float *out);

#endif
