/* extract: the graph stage of ingest for one document, chunk by chunk.
 *
 * For each chunk (in order) it finds mentions (ner/ner), sentences
 * (text/sentence) and relations between the mentions of a sentence
 * (nlp/relate).  Chunks overlap, so a chunk only reports what starts in the
 * part no earlier chunk covered.  Mentions and relations name their
 * entities by provisional ids, derived from each surface form alone, so they
 * can be written as soon as the chunk is; the worker keeps only one row per
 * distinct surface form, not per mention, so memory follows the
 * vocabulary, not the document's length.
 *
 * At the end, kg_extract_finish() resolves the distinct forms into entities
 * (graph/resolve: surnames, acronyms, variants) and returns the entities
 * and the provisional -> final id renames for the store to apply.
 *
 * Everything returned is owned by the caller: free with kg_extract_batch_free
 * / kg_extract_result_free. */
#ifndef KG_INGEST_EXTRACT_H
#define KG_INGEST_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "graph/resolve.h"
#include "nlp/relate.h"
#include "store/graph_store.h"
#include "store/records.h"

typedef struct kg_extract kg_extract;

typedef struct kg_extract_opts {
    double min_confidence; /* mentions below are dropped (ner.min_confidence) */
    int max_cooccur;       /* 0 = default (12) */
} kg_extract_opts;

typedef struct kg_extract_batch {
    kg_mention *mentions; /* surface strings owned by the batch */
    size_t nmentions;
    kg_relation *relations;
    size_t nrelations;
    kg_relate_counts counts; /* how the chunk's relations were typed (nlp/relate) */
} kg_extract_batch;

typedef struct kg_extract_result {
    kg_entity *entities; /* name, key, aliases owned by the result */
    size_t nentities;
    kg_id_remap *remap;
    size_t nremap;
} kg_extract_result;

kg_extract *kg_extract_new(const char *doc_id, const kg_extract_opts *opts);
/* text[0..len) is the chunk, starting at byte doc_start of the document;
 * owned_from is the first document byte no earlier chunk covered. */
int kg_extract_chunk(kg_extract *x, const char *chunk_id, const char *text, size_t len,
                     uint64_t doc_start, uint64_t owned_from, kg_extract_batch *out, kg_err *err);
/* Register one mention found by another extractor (the LLM) so that
 * kg_extract_finish resolves it with the rest: surface[0..len) of `type`
 * first seen at document byte `start`.  Copies the provisional entity id
 * into id_out and returns 1, or 0 when the surface has nothing to resolve
 * (no letters or digits). */
int kg_extract_form(kg_extract *x, const char *type, const char *surface, size_t len, int64_t start,
                    double confidence, char id_out[KG_ID_MAX]);
int kg_extract_finish(kg_extract *x, kg_extract_result *out, kg_err *err);
void kg_extract_free(kg_extract *x);
void kg_extract_batch_free(kg_extract_batch *b);
void kg_extract_result_free(kg_extract_result *r);

/* kg_entity_id_for (graph/resolve.h): the provisional (and cross-document)
 * entity id of a surface form. */

#endif
