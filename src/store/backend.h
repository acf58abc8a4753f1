/* backend: what a storage backend implements, and the handle every backend's
 * handle begins with.  For src/store/ and its backends only: callers use
 * store.h and the other public headers of store/, never this file.
 *
 * The seam is SQLite's VFS in miniature.  A kg_store_backend is the
 * equivalent of sqlite3_vfs: it is chosen by kg_store_open from the target
 * it is given (store/backends.c holds the one list of backends) and offers
 * what needs no open handle (open, exists, a stamp of the database's state,
 * removing it, the read-only query guard).  A handle it opens carries a
 * pointer to its backend, and every public function of store/ is forwarded
 * through that backend's tables (store/dispatch.c), as sqlite3_file's
 * pMethods is.  A backend's handle is its own struct whose
 * first member is a struct kg_store, so the forwarding needs no lookup and
 * the backend casts back (see sqlite/sq_internal.h).
 *
 * Why one table per public header, grouped in one backend struct, rather
 * than one flat table: the store has about ninety operations, and each
 * public header (graph_store.h, vector_store.h, ...) is one contract with
 * its own documentation.  A group sits beside the header it implements, so
 * a backend is written and reviewed header by header, and a change to one
 * header touches one group.  The member names are the public names without
 * their prefix (kg_store_doc_insert -> docs->doc_insert, kg_vec_put ->
 * vec->put); their meaning is the public function's: read its header.
 *
 * Every method is required unless its comment says "optional": an optional
 * method left NULL means "nothing to do here" and the public function
 * succeeds without calling it.
 *
 * What stays out of the backend: what is the same whatever stores the rows
 * (operation ids, freeing returned rows: store/dispatch.c, store/rows.c)
 * and every rule about the graph's meaning (how evidence becomes a weighted
 * edge and its id, how a global entity is named: graph/graph_rules, run by
 * graphops/graph_rebuild).  A backend stores and streams rows.
 *
 * Adding a backend: one folder beside sqlite/ implementing these tables and
 * defining one kg_store_backend, and one line in store/backends.c. */
#ifndef KG_STORE_BACKEND_H
#define KG_STORE_BACKEND_H

#include "store/cache_store.h"
#include "store/entvec_store.h"
#include "store/export_store.h"
#include "store/graph_read.h"
#include "store/graph_store.h"
#include "store/hood_store.h"
#include "store/merge_store.h"
#include "store/relation_stats.h"
#include "store/retrieval_store.h"
#include "store/store.h"
#include "store/vector_store.h"
#include "store/vindex_store.h"

typedef struct kg_store_backend kg_store_backend;

/* The part of every handle that is the same for all backends. */
struct kg_store {
    const kg_store_backend *be;
    char *path;            /* the target as given to kg_store_open */
    char op_id[KG_ID_MAX]; /* the operation new rows are stamped with; "" = none */
};

/* For a backend's open and close: fill / release the common part of a
 * handle (never s itself, which the backend allocated). */
void kg_store_init(kg_store *s, const kg_store_backend *be, const char *path);
void kg_store_fini(kg_store *s);

/* store.h: the handle, transactions, checkpoints. */
typedef struct kg_store_methods {
    void (*close)(kg_store *s); /* frees s (after kg_store_fini) */
    int (*schema_version)(kg_store *s);
    int (*begin)(kg_store *s, kg_err *err);
    int (*commit)(kg_store *s, kg_err *err);
    int (*read_begin)(kg_store *s, kg_err *err);
    void (*read_end)(kg_store *s);
    int (*rollback)(kg_store *s);
    int (*savepoint)(kg_store *s, kg_err *err);
    int (*release)(kg_store *s, kg_err *err);
    int (*rollback_to)(kg_store *s);
    /* Optional both: a backend without a write-ahead log to copy back. */
    int (*set_autocheckpoint)(kg_store *s, int on, kg_err *err);
    int (*checkpoint)(kg_store *s, kg_err *err);
    int (*check)(kg_store *s, char **report, kg_err *err);
} kg_store_methods;

/* store.h: documents, chunks, full-text search, statistics, operations. */
typedef struct kg_doc_store_methods {
    int (*doc_by_path)(kg_store *s, const char *path, int *found, char id_out[KG_ID_MAX],
                       char hash_out[KG_HASH_HEX_LEN + 1], kg_err *err);
    int (*doc_by_hash)(kg_store *s, const char *hash, int *found, char id_out[KG_ID_MAX],
                       char **path_out, kg_err *err);
    /* Stamps the row with s->op_id (none when ""). */
    int (*doc_insert)(kg_store *s, const kg_document *d, kg_err *err);
    int (*doc_finish)(kg_store *s, const kg_document *d, kg_err *err);
    int (*doc_delete)(kg_store *s, const char *id, kg_err *err);
    int (*chunk_insert)(kg_store *s, const kg_chunk *c, kg_err *err);
    int (*doc_list)(kg_store *s, kg_doc_row **rows, size_t *n, kg_err *err);
    int (*doc_get)(kg_store *s, const char *id, kg_doc_row **row, kg_err *err);
    int (*doc_by_title)(kg_store *s, const char *title, kg_doc_row **row, kg_err *err);
    int (*chunk_get)(kg_store *s, const char *chunk_id, kg_chunk_row *out, int *found, kg_err *err);
    int (*doc_chunks)(kg_store *s, const char *doc_id, kg_chunk_fn fn, void *ud, kg_err *err);
    int (*catalog)(kg_store *s, int64_t offset, int limit, kg_catalog_fn fn, void *ud, kg_err *err);
    int (*search)(kg_store *s, const char *query, int limit, kg_search_hit **hits, size_t *n,
                  kg_err *err);
    int (*stats_get)(kg_store *s, kg_store_stats *st, kg_err *err);
    /* The rows of kg_store_op_begin / op_end; the id and times are given. */
    int (*op_insert)(kg_store *s, const char *id, const char *tool, const char *params_json,
                     const char *inputs_json, double started_at, kg_err *err);
    int (*op_update)(kg_store *s, const char *id, const char *status, const char *outputs_json,
                     const char *error, double ended_at, kg_err *err);
} kg_doc_store_methods;

/* graph_store.h */
typedef struct kg_graph_store_methods {
    int (*mention_insert)(kg_store *s, const char *doc_id, const kg_mention *m, kg_err *err);
    int (*evidence_insert)(kg_store *s, const char *doc_id, const kg_relation *r, kg_err *err);
    int (*doc_entity_insert)(kg_store *s, const char *doc_id, const kg_entity *e, kg_err *err);
    int (*doc_remap_entities)(kg_store *s, const char *doc_id, const kg_id_remap *map, size_t n,
                              kg_err *err);
    /* Optional both: a backend whose indexes keep up with bulk writes. */
    int (*bulk_begin)(kg_store *s, kg_err *err);
    int (*bulk_end)(kg_store *s, kg_err *err);
    int (*graph_set_dirty)(kg_store *s, int dirty, kg_err *err);
    int (*graph_is_dirty)(kg_store *s, int *dirty, kg_err *err);
    int (*graph_clear)(kg_store *s, kg_err *err);
    int (*doc_entities_each)(kg_store *s, int fused, kg_doc_entity_fn fn, void *ud, kg_err *err);
    int (*entity_put)(kg_store *s, const kg_entity *e, kg_err *err);
    int (*doc_evidence_each)(kg_store *s, int fused, kg_doc_evidence_fn fn, void *ud, kg_err *err);
    int (*relationship_put)(kg_store *s, const kg_relation *r, kg_err *err);
    int (*graph_finish)(kg_store *s, kg_err *err);
    int (*graph_load)(kg_store *s, kg_graph_data *g, kg_err *err);
    int (*entity_scores_write)(kg_store *s, const kg_graph_data *g, const double *score,
                               const int64_t *rank, const double *pct, kg_err *err);
} kg_graph_store_methods;

/* graph_read.h */
typedef struct kg_graph_read_methods {
    int (*top_entities)(kg_store *s, const char *type, int limit, kg_entity_row **rows, size_t *n,
                        kg_err *err);
    int (*find_entities)(kg_store *s, const char *id_or_name, int limit, kg_entity_row **rows,
                         size_t *n, kg_err *err);
    int (*entity_mentions)(kg_store *s, const char *entity_id, int limit, kg_mention_row **rows,
                           size_t *n, kg_err *err);
    int (*relation_evidence)(kg_store *s, const char *source_id, const char *target_id,
                             const char *type, int limit, kg_evidence_row **rows, size_t *n,
                             kg_err *err);
    int (*entity_relations)(kg_store *s, const char *entity_id, int limit, kg_relation_row **rows,
                            size_t *n, kg_err *err);
    int (*entity_chunks)(kg_store *s, const char *entity_id,
                         int (*fn)(const char *chunk_id, int mentions, void *ud), void *ud,
                         kg_err *err);
} kg_graph_read_methods;

/* export_store.h */
typedef struct kg_export_store_methods {
    int (*begin)(kg_store *s, kg_err *err);
    void (*end)(kg_store *s);
    int (*nodes)(kg_store *s, const kg_export_filter *f, kg_export_node_fn fn, void *ud,
                 kg_err *err);
    int (*edges)(kg_store *s, const kg_export_filter *f, unsigned flags, int64_t max_rows,
                 kg_export_edge_fn fn, void *ud, kg_err *err);
    int (*docs)(kg_store *s, kg_export_doc_fn fn, void *ud, kg_err *err);
} kg_export_store_methods;

/* hood_store.h */
typedef struct kg_hood_store_methods {
    int (*names_rewrite)(kg_store *s, char *(*norm)(const char *), kg_err *err);
    int (*names_ready)(kg_store *s, int *ready, kg_err *err);
    int (*names_exact)(kg_store *s, const char *norm, kg_name_fn fn, void *ud, kg_err *err);
    int (*names_near)(kg_store *s, const char *norm, int min_len, int max_len, kg_name_fn fn,
                      void *ud, kg_err *err);
    int (*graph_load_hood)(kg_store *s, const kg_hood_req *req, kg_graph_data *g,
                           double *max_pagerank, int *too_big, kg_err *err);
    int (*graph_load_nodes)(kg_store *s, const char *const *ids, size_t n, kg_graph_data *g,
                            kg_err *err);
} kg_hood_store_methods;

/* merge_store.h */
typedef struct kg_merge_store_methods {
    int (*map_refresh)(kg_store *s, int64_t *n, kg_err *err);
    int (*map_active)(kg_store *s);
    int (*insert)(kg_store *s, kg_merge_rec *r, kg_err *err);
    int (*undo)(kg_store *s, int64_t id, kg_merge_rec *r, kg_err *err);
    int (*was_undone)(kg_store *s, const char *a, const char *b, int *undone, kg_err *err);
    int (*decided)(kg_store *s, const char *from_id, int *decided, kg_err *err);
    int (*cands_load)(kg_store *s, kg_merge_cand **out, size_t *n, kg_err *err);
} kg_merge_store_methods;

/* vector_store.h */
typedef struct kg_vector_store_methods {
    int (*put)(kg_store *s, const char *owner_id, const char *model, const float *v, int dim,
               kg_err *err);
    int (*get)(kg_store *s, const char *owner_id, const char *model, float **v, int *dim,
               int *found, kg_err *err);
    int (*each)(kg_store *s, const char *model, kg_vec_cb cb, void *ud, kg_err *err);
    int (*count)(kg_store *s, const char *model, int64_t *out, kg_err *err);
    int (*delete_model)(kg_store *s, const char *model, kg_err *err);
    int (*chunks_each)(kg_store *s, kg_vec_chunk_cb cb, void *ud, kg_err *err);
    int (*missing)(kg_store *s, const char *model, char ***ids, size_t *n, kg_err *err);
    int (*chunk_text)(kg_store *s, const char *chunk_id, char **text, kg_err *err);
    int (*chunk_hit)(kg_store *s, const char *chunk_id, kg_search_hit *out, int *found,
                     kg_err *err);
    int (*fit_put)(kg_store *s, const char *model, uint32_t docs, const char *corpus_hash,
                   const uint32_t *df, size_t buckets, kg_err *err);
    int (*fit_get)(kg_store *s, const char *model, size_t buckets, uint32_t *docs,
                   char corpus_hash[65], uint32_t **df, int *found, kg_err *err);
} kg_vector_store_methods;

/* vindex_store.h */
typedef struct kg_vindex_store_methods {
    int (*put)(kg_store *s, const char *model, const kg_vindex_row *r, kg_err *err);
    int (*get)(kg_store *s, const char *model, kg_vindex_row *r, int *found, kg_err *err);
    int (*remove)(kg_store *s, const char *model, kg_err *err);
    int (*each_by_rowid)(kg_store *s, const char *model, kg_vec_row_cb cb, void *ud, kg_err *err);
    int (*keys_by_rowid)(kg_store *s, const char *model, kg_vec_row_cb cb, void *ud, kg_err *err);
} kg_vindex_store_methods;

/* cache_store.h */
typedef struct kg_cache_store_methods {
    int (*get)(kg_store *s, const kg_cache_key *k, char **response_out, kg_err *err);
    int (*put)(kg_store *s, const kg_cache_key *k, const char *response, kg_err *err);
    int (*count)(kg_store *s, const char *service, int64_t *out, kg_err *err);
} kg_cache_store_methods;

/* entvec_store.h */
typedef struct kg_entvec_store_methods {
    int (*mention_contexts)(kg_store *s, const char *entity_id, int limit, kg_mention_ctx_cb fn,
                            void *ud, kg_err *err);
    int (*meta_get)(kg_store *s, const char *key, char **value, kg_err *err);
    int (*meta_put)(kg_store *s, const char *key, const char *value, kg_err *err);
} kg_entvec_store_methods;

/* store/retrieval_store.h */
typedef struct kg_retrieval_store_methods {
    int (*search_ids)(kg_store *s, const char *query, int limit, kg_rs_hit_fn fn, void *ud,
                      kg_err *err);
    int (*in_transaction)(kg_store *s);
    int (*chunk_count)(kg_store *s, int64_t *n, kg_err *err);
    int (*names_exact_many)(kg_store *s, const char *const *norms, size_t n, kg_rs_name_fn fn,
                            void *ud, kg_err *err);
    int (*title_chunks)(kg_store *s, const char *const *phrases, size_t n, int limit,
                        kg_rs_title_fn fn, void *ud, kg_err *err);
    int (*chunks_entities)(kg_store *s, const char *const *chunk_ids, size_t n,
                           kg_rs_chunk_entity_fn fn, void *ud, kg_err *err);
    int (*entities_chunks)(kg_store *s, const char *const *entity_ids, size_t n, int cap,
                           kg_rs_entity_chunk_fn fn, void *ud, kg_err *err);
    int (*entities_relations)(kg_store *s, const char *const *entity_ids, size_t n, int fanout,
                              kg_rs_relation_fn fn, void *ud, kg_err *err);
} kg_retrieval_store_methods;

/* store/relation_stats.h */
typedef struct kg_relstats_store_methods {
    int (*get)(kg_store *s, kg_relation_stats *out, kg_err *err);
} kg_relstats_store_methods;

/* A backend: what kg_store_open chooses. */
struct kg_store_backend {
    const char *name; /* "sqlite" */
    /* Open (creating and migrating unless READONLY) the store at target;
     * *out is the backend's handle, its common part filled by
     * kg_store_init. */
    int (*open)(const char *target, const kg_store_opts *opts, kg_store **out, kg_err *err);
    /* kg_store_exists, _stamp, _remove and _query_readonly (store.h). */
    int (*exists)(const char *target);
    void (*stamp)(const char *target, kg_buf *key);
    void (*remove)(const char *target);
    int (*query_readonly)(const char *target, const char *sql, const kg_query_opts *o,
                          const kg_query_sink *sink, kg_err *err);
    const kg_store_methods *store;
    const kg_doc_store_methods *docs;
    const kg_graph_store_methods *graph;
    const kg_graph_read_methods *read;
    const kg_export_store_methods *exp;
    const kg_hood_store_methods *hood;
    const kg_merge_store_methods *merge;
    const kg_vector_store_methods *vec;
    const kg_vindex_store_methods *vindex;
    const kg_cache_store_methods *cache;
    const kg_entvec_store_methods *entvec;
    const kg_retrieval_store_methods *retrieval;
    const kg_relstats_store_methods *relstats;
};

#endif
