/* vector_index: nearest stored vectors of a model for a query vector,
 * exactly (vec/vsearch, every vector scanned) or through the HNSW index
 * (vec/hnsw), which is built on demand, stored in the database
 * (store/vindex_store) and reused while the vectors it covers are unchanged.
 *
 * Staleness: the stored index records how many vectors it covers (the
 * first N of the model in rowid order) and a fingerprint of them: the
 * model, the dimension, the model's IDF fit and each vector's rowid and
 * owner.  If the first N vectors still give that fingerprint and there are
 * more, the index is extended with the new ones (vectors are appended with
 * growing rowids); if they do not (a vector replaced, deleted, refitted),
 * it is rebuilt.  Either way the result is stored again, through a
 * separate writable connection, so a search on a read-only handle still
 * leaves the index for the next one; when that write fails (read-only
 * file, lock held too long) the index is used for this search only and a
 * warning is logged.
 *
 * In-process cache: the vectors and index of the last model searched stay
 * in memory (one entry per process, keyed by database path, model,
 * fingerprint and parameters), so a long-running process such as the MCP
 * server pays for loading them once, not per query; checking the
 * fingerprint reads only the primary-key index of the embeddings.  The
 * cache is shared by threads under a mutex; an entry being searched is
 * reference-counted so replacing it never frees it under a reader.
 *
 * Memory: ids and scores returned are malloc'd here, freed by the caller
 * (kg_vec_ids_free and free). */
#ifndef KG_SEARCH_VECTOR_INDEX_H
#define KG_SEARCH_VECTOR_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "config/config.h"
#include "store/store.h"

typedef enum kg_vindex_mode {
    KG_VINDEX_AUTO = 0,
    KG_VINDEX_EXACT,
    KG_VINDEX_HNSW,
} kg_vindex_mode;

typedef struct kg_vindex_opts {
    kg_vindex_mode mode;
    int64_t min_vectors; /* auto: HNSW from this many vectors of the model */
    int m, ef_construction, ef_search;
} kg_vindex_opts;

/* The built-in defaults (the settings' defaults). */
void kg_vindex_opts_default(kg_vindex_opts *o);
/* From the settings vector.index, vector.hnsw_*. */
void kg_vindex_opts_from_config(const kg_config *c, kg_vindex_opts *o);
/* 1 when a model with `vectors` vectors is searched through HNSW. */
int kg_vindex_wants_hnsw(const kg_vindex_opts *o, int64_t vectors);

typedef struct kg_vindex_report {
    const char *index;   /* "exact" or "hnsw" */
    int64_t vectors;     /* vectors of the model */
    int built, extended; /* the index was built from scratch / extended */
    int64_t added;       /* vectors inserted into the index by this call */
    int stored;          /* the (new) index was written to the database */
    int cached;          /* served from the in-process cache */
    double seconds;      /* loading + building/extending */
} kg_vindex_report;

/* The k best vectors of model (dim floats each) for the unit query q:
 * owner ids (malloc'd) and inner products, best first.  fit_hash is the
 * model's IDF fit hash ("" or NULL for models without one).  o NULL =
 * defaults. */
int kg_vindex_search(kg_store *s, const char *model, int dim, const char *fit_hash, const float *q,
                     size_t k, const kg_vindex_opts *o, char ***ids, float **scores, size_t *n,
                     kg_vindex_report *rep, kg_err *err);

/* Bring the stored HNSW index of model (dim floats per vector) up to date
 * (build, extend or keep), when the options say the model's vectors are
 * searched through it; otherwise rep->index = "exact" and nothing is done.
 * The fit hash is the model's stored IDF fit's, if any. */
int kg_vindex_refresh(kg_store *s, const char *model, int dim, const kg_vindex_opts *o,
                      kg_vindex_report *rep, kg_err *err);

/* Drop the in-process cache (tests; a process about to exit need not). */
void kg_vindex_cache_clear(void);

#endif
