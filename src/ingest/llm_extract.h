/* llm_extract: entities and relations of a chunk through the LLM, as the
 * same kg_mention / kg_relation rows the rules extractor produces.
 *
 * Per chunk: look the answer up in the response cache (the worker's
 * read-only handle); on a miss ask the model (services/llm_service) for
 * {"entities":[{name,type,quote,confidence}],"relationships":[{source,
 * target,type,quote,confidence}]} under a JSON Schema; then check every
 * result (kg_llm_apply): its type must be in the ontology, its confidence
 * at least the threshold, and its quote (or name) must be found in the
 * chunk text, which gives it a byte span.  What fails is dropped and
 * counted.  Entities are registered in the document's kg_extract, so they
 * get provisional ids from kg_entity_id_for(type, kg_resolve_key(...)) and
 * are resolved at the document's end like the rules' mentions.
 *
 * When the service fails (breaker open, retries used up) the chunk goes to
 * the local rules (kg_extract_chunk) instead, and says so: nothing falls
 * back silently.  A fresh answer is handed to the caller, who writes it to
 * the cache as soon as it arrives, in its own short transaction
 * (kg_llm_cache_now): a kill -9 then never makes a rerun pay again for an
 * answer that was received.
 *
 * Memory: a kg_llm_extractor owns its ontology, prompt and schema, and its
 * service when it started one (no pool);
 * *fresh_out strings are the caller's (free()). */
#ifndef KG_INGEST_LLM_EXTRACT_H
#define KG_INGEST_LLM_EXTRACT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/hash.h"
#include "config/config.h"
#include "ingest/extract.h"
#include "services/service_pool.h"
#include "store/store.h"

typedef struct kg_llm_ontology {
    char **entity_types;
    size_t nentity;
    char **relation_types;
    size_t nrelation;
    double min_confidence;
} kg_llm_ontology;

/* Comma lists; types are upper-cased, duplicates dropped.  Each must be a
 * name of at most KG_TYPE_MAX - 1 characters (letters, digits, '_'). */
int kg_llm_ontology_parse(const char *entity_csv, const char *relation_csv, double min_confidence,
                          kg_llm_ontology *o, kg_err *err);
void kg_llm_ontology_free(kg_llm_ontology *o);

/* What happened to the chunks and results of a run (or one chunk). */
typedef struct kg_llm_counts {
    int64_t chunks_llm;          /* answered by the model now */
    int64_t chunks_cache;        /* answered from the response cache */
    int64_t chunks_fallback;     /* the service failed: local rules used */
    int64_t entities, relations; /* results kept */
    int64_t unanchored;          /* quote and name not found in the chunk */
    int64_t bad_type;            /* type outside the ontology */
    int64_t low_confidence;      /* below llm.min_confidence */
    int64_t malformed;           /* missing fields, unknown endpoints */
} kg_llm_counts;

void kg_llm_counts_add(kg_llm_counts *to, const kg_llm_counts *from);
/* What the LLM extractor did, as the ingest summary's "extraction" object
 * (CLI and the ingest tool): never silent about a fallback or a drop. */
json_t *kg_llm_counts_json(const kg_llm_counts *l, const char *reason);

/* Check and anchor one answer (the JSON object above) for the chunk
 * text[0..len), which starts at document byte doc_start; results that start
 * before owned_from were reported by the previous chunk and are skipped.
 * Fills out (method "llm") and adds to counts.  Never fails: an answer of
 * the wrong shape only counts as malformed. */
void kg_llm_apply(kg_extract *x, const kg_llm_ontology *o, const json_t *answer,
                  const char *chunk_id, const char *text, size_t len, uint64_t doc_start,
                  uint64_t owned_from, kg_extract_batch *out, kg_llm_counts *counts);

/* The instructions and the schema for an ontology (system is malloc'd). */
char *kg_llm_system_prompt(const kg_llm_ontology *o);
json_t *kg_llm_schema(const kg_llm_ontology *o);

typedef struct kg_llm_extractor kg_llm_extractor;

/* From the settings llm.*.  The service comes from pool (shared with other
 * callers, kept after the free) or, with pool NULL, is started here and
 * stopped by kg_llm_extractor_free. */
int kg_llm_extractor_new(const kg_config *cfg, kg_service_pool *pool, kg_llm_extractor **out,
                         kg_err *err);
/* The same with the ontology and threshold given (the extract_entities_llm
 * tool's arguments) instead of the settings'. */
int kg_llm_extractor_new_with(const kg_config *cfg, kg_service_pool *pool, const char *entity_csv,
                              const char *relation_csv, double min_confidence,
                              kg_llm_extractor **out, kg_err *err);
void kg_llm_extractor_free(kg_llm_extractor *lx);
/* The first reason a chunk fell back to the rules ("" when none). */
void kg_llm_extractor_fallback_reason(kg_llm_extractor *lx, char *out, size_t cap);

/* One chunk (arguments as kg_extract_chunk).  ro may be NULL (no cache
 * look-up).  On a fresh answer *fresh_out gets it and input_hash its key,
 * for kg_llm_cache_write.  Errors are the rules extractor's or
 * KG_ECANCELED. */
int kg_llm_extract_chunk(kg_llm_extractor *lx, kg_store *ro, kg_extract *x, const char *chunk_id,
                         const char *text, size_t len, uint64_t doc_start, uint64_t owned_from,
                         const volatile int *cancel, kg_extract_batch *out, char **fresh_out,
                         char input_hash[KG_HASH_HEX_LEN + 1], kg_llm_counts *counts, kg_err *err);
/* Store a fresh answer in the cache (in the caller's transaction, if any). */
int kg_llm_cache_write(kg_llm_extractor *lx, kg_store *s, const char *input_hash,
                       const char *response, kg_err *err);
/* Store *response in the cache now, through s (a read-write handle outside
 * any transaction: the INSERT is its own transaction) and free it (*response
 * NULL).  When s is NULL or the write fails, *response is kept for the
 * caller to write later; returns whether it was written. */
int kg_llm_cache_now(kg_llm_extractor *lx, kg_store *s, const char *input_hash, char **response);

#endif
