/* dispatch: every public function of store/ that works on an open handle,
 * forwarded to the handle's backend (store/backend.h).  What is the same
 * for every backend is done here: the id and times of an operation, and
 * the optional methods a backend may leave out. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/hash.h"
#include "store/backend.h"

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int kg_store_op_begin(kg_store *s, const char *tool, const char *params_json,
                      const char *inputs_json, char id_out[KG_ID_MAX], kg_err *err)
{
    /* Unique per run: wall time with nanoseconds, the process and the tool. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char when[64];
    snprintf(when, sizeof when, "%lld.%09ld/%ld", (long long)ts.tv_sec, ts.tv_nsec, (long)getpid());
    const char *parts[] = {tool, when};
    kg_make_id(id_out, "op", parts, 2);
    int rc = s->be->docs->op_insert(s, id_out, tool, params_json, inputs_json, wall_now(), err);
    if (!rc)
        snprintf(s->op_id, sizeof s->op_id, "%s", id_out);
    return rc;
}

int kg_store_op_end(kg_store *s, const char *id, const char *status, const char *outputs_json,
                    const char *error, kg_err *err)
{
    int rc = s->be->docs->op_update(s, id, status, outputs_json, error, wall_now(), err);
    if (strcmp(s->op_id, id) == 0)
        s->op_id[0] = '\0';
    return rc;
}

const char *kg_store_op_current(const kg_store *s)
{
    return s->op_id;
}

/* ---- store.h ---- */

int kg_store_schema_version(kg_store *s)
{
    return s->be->store->schema_version(s);
}

int kg_store_begin(kg_store *s, kg_err *err)
{
    return s->be->store->begin(s, err);
}

int kg_store_commit(kg_store *s, kg_err *err)
{
    return s->be->store->commit(s, err);
}

int kg_store_read_begin(kg_store *s, kg_err *err)
{
    return s->be->store->read_begin(s, err);
}

void kg_store_read_end(kg_store *s)
{
    s->be->store->read_end(s);
}

int kg_store_rollback(kg_store *s)
{
    return s->be->store->rollback(s);
}

int kg_store_savepoint(kg_store *s, kg_err *err)
{
    return s->be->store->savepoint(s, err);
}

int kg_store_release(kg_store *s, kg_err *err)
{
    return s->be->store->release(s, err);
}

int kg_store_rollback_to(kg_store *s)
{
    return s->be->store->rollback_to(s);
}

int kg_store_set_autocheckpoint(kg_store *s, int on, kg_err *err)
{
    return s->be->store->set_autocheckpoint ? s->be->store->set_autocheckpoint(s, on, err) : KG_OK;
}

int kg_store_checkpoint(kg_store *s, kg_err *err)
{
    return s->be->store->checkpoint ? s->be->store->checkpoint(s, err) : KG_OK;
}

int kg_store_doc_by_path(kg_store *s, const char *path, int *found, char id_out[KG_ID_MAX],
                         char hash_out[KG_HASH_HEX_LEN + 1], kg_err *err)
{
    return s->be->docs->doc_by_path(s, path, found, id_out, hash_out, err);
}

int kg_store_doc_by_hash(kg_store *s, const char *hash, int *found, char id_out[KG_ID_MAX],
                         char **path_out, kg_err *err)
{
    return s->be->docs->doc_by_hash(s, hash, found, id_out, path_out, err);
}

int kg_store_doc_insert(kg_store *s, const kg_document *d, kg_err *err)
{
    return s->be->docs->doc_insert(s, d, err);
}

int kg_store_doc_finish(kg_store *s, const kg_document *d, kg_err *err)
{
    return s->be->docs->doc_finish(s, d, err);
}

int kg_store_doc_delete(kg_store *s, const char *id, kg_err *err)
{
    return s->be->docs->doc_delete(s, id, err);
}

int kg_store_chunk_insert(kg_store *s, const kg_chunk *c, kg_err *err)
{
    return s->be->docs->chunk_insert(s, c, err);
}

int kg_store_doc_list(kg_store *s, kg_doc_row **rows, size_t *n, kg_err *err)
{
    return s->be->docs->doc_list(s, rows, n, err);
}

int kg_store_doc_get(kg_store *s, const char *id, kg_doc_row **row, kg_err *err)
{
    return s->be->docs->doc_get(s, id, row, err);
}

int kg_store_doc_by_title(kg_store *s, const char *title, kg_doc_row **row, kg_err *err)
{
    return s->be->docs->doc_by_title(s, title, row, err);
}

int kg_store_chunk_get(kg_store *s, const char *chunk_id, kg_chunk_row *out, int *found,
                       kg_err *err)
{
    return s->be->docs->chunk_get(s, chunk_id, out, found, err);
}

int kg_store_doc_chunks(kg_store *s, const char *doc_id, kg_chunk_fn fn, void *ud, kg_err *err)
{
    return s->be->docs->doc_chunks(s, doc_id, fn, ud, err);
}

int kg_store_catalog(kg_store *s, int64_t offset, int limit, kg_catalog_fn fn, void *ud,
                     kg_err *err)
{
    return s->be->docs->catalog(s, offset, limit, fn, ud, err);
}

int kg_store_search(kg_store *s, const char *query, int limit, kg_search_hit **hits, size_t *n,
                    kg_err *err)
{
    return s->be->docs->search(s, query, limit, hits, n, err);
}

int kg_store_stats_get(kg_store *s, kg_store_stats *st, kg_err *err)
{
    return s->be->docs->stats_get(s, st, err);
}

int kg_store_check(kg_store *s, char **report, kg_err *err)
{
    return s->be->store->check(s, report, err);
}

/* ---- graph_store.h ---- */

int kg_store_mention_insert(kg_store *s, const char *doc_id, const kg_mention *m, kg_err *err)
{
    return s->be->graph->mention_insert(s, doc_id, m, err);
}

int kg_store_evidence_insert(kg_store *s, const char *doc_id, const kg_relation *r, kg_err *err)
{
    return s->be->graph->evidence_insert(s, doc_id, r, err);
}

int kg_store_doc_entity_insert(kg_store *s, const char *doc_id, const kg_entity *e, kg_err *err)
{
    return s->be->graph->doc_entity_insert(s, doc_id, e, err);
}

int kg_store_doc_remap_entities(kg_store *s, const char *doc_id, const kg_id_remap *map, size_t n,
                                kg_err *err)
{
    return s->be->graph->doc_remap_entities(s, doc_id, map, n, err);
}

int kg_store_bulk_begin(kg_store *s, kg_err *err)
{
    return s->be->graph->bulk_begin ? s->be->graph->bulk_begin(s, err) : KG_OK;
}

int kg_store_bulk_end(kg_store *s, kg_err *err)
{
    return s->be->graph->bulk_end ? s->be->graph->bulk_end(s, err) : KG_OK;
}

int kg_store_graph_set_dirty(kg_store *s, int dirty, kg_err *err)
{
    return s->be->graph->graph_set_dirty(s, dirty, err);
}

int kg_store_graph_is_dirty(kg_store *s, int *dirty, kg_err *err)
{
    return s->be->graph->graph_is_dirty(s, dirty, err);
}

int kg_store_graph_clear(kg_store *s, kg_err *err)
{
    return s->be->graph->graph_clear(s, err);
}

int kg_store_doc_entities_each(kg_store *s, int fused, kg_doc_entity_fn fn, void *ud, kg_err *err)
{
    return s->be->graph->doc_entities_each(s, fused, fn, ud, err);
}

int kg_store_entity_put(kg_store *s, const kg_entity *e, kg_err *err)
{
    return s->be->graph->entity_put(s, e, err);
}

int kg_store_doc_evidence_each(kg_store *s, int fused, kg_doc_evidence_fn fn, void *ud, kg_err *err)
{
    return s->be->graph->doc_evidence_each(s, fused, fn, ud, err);
}

int kg_store_relationship_put(kg_store *s, const kg_relation *r, kg_err *err)
{
    return s->be->graph->relationship_put(s, r, err);
}

int kg_store_graph_finish(kg_store *s, kg_err *err)
{
    return s->be->graph->graph_finish(s, err);
}

int kg_store_graph_load(kg_store *s, kg_graph_data *g, kg_err *err)
{
    return s->be->graph->graph_load(s, g, err);
}

int kg_store_entity_scores_write(kg_store *s, const kg_graph_data *g, const double *score,
                                 const int64_t *rank, const double *pct, kg_err *err)
{
    return s->be->graph->entity_scores_write(s, g, score, rank, pct, err);
}

/* ---- graph_read.h ---- */

int kg_store_top_entities(kg_store *s, const char *type, int limit, kg_entity_row **rows, size_t *n,
                          kg_err *err)
{
    return s->be->read->top_entities(s, type, limit, rows, n, err);
}

int kg_store_find_entities(kg_store *s, const char *id_or_name, int limit, kg_entity_row **rows,
                           size_t *n, kg_err *err)
{
    return s->be->read->find_entities(s, id_or_name, limit, rows, n, err);
}

int kg_store_entity_mentions(kg_store *s, const char *entity_id, int limit, kg_mention_row **rows,
                             size_t *n, kg_err *err)
{
    return s->be->read->entity_mentions(s, entity_id, limit, rows, n, err);
}

int kg_store_relation_evidence(kg_store *s, const char *source_id, const char *target_id,
                               const char *type, int limit, kg_evidence_row **rows, size_t *n,
                               kg_err *err)
{
    return s->be->read->relation_evidence(s, source_id, target_id, type, limit, rows, n, err);
}

int kg_store_entity_relations(kg_store *s, const char *entity_id, int limit, kg_relation_row **rows,
                              size_t *n, kg_err *err)
{
    return s->be->read->entity_relations(s, entity_id, limit, rows, n, err);
}

int kg_store_entity_chunks(kg_store *s, const char *entity_id,
                           int (*fn)(const char *chunk_id, int mentions, void *ud), void *ud,
                           kg_err *err)
{
    return s->be->read->entity_chunks(s, entity_id, fn, ud, err);
}

/* ---- export_store.h ---- */

int kg_store_export_begin(kg_store *s, kg_err *err)
{
    return s->be->exp->begin(s, err);
}

void kg_store_export_end(kg_store *s)
{
    s->be->exp->end(s);
}

int kg_store_export_nodes(kg_store *s, const kg_export_filter *f, kg_export_node_fn fn, void *ud,
                          kg_err *err)
{
    return s->be->exp->nodes(s, f, fn, ud, err);
}

int kg_store_export_edges(kg_store *s, const kg_export_filter *f, unsigned flags, int64_t max_rows,
                          kg_export_edge_fn fn, void *ud, kg_err *err)
{
    return s->be->exp->edges(s, f, flags, max_rows, fn, ud, err);
}

int kg_store_export_docs(kg_store *s, kg_export_doc_fn fn, void *ud, kg_err *err)
{
    return s->be->exp->docs(s, fn, ud, err);
}

/* ---- hood_store.h ---- */

int kg_store_names_rewrite(kg_store *s, char *(*norm)(const char *), kg_err *err)
{
    return s->be->hood->names_rewrite(s, norm, err);
}

int kg_store_names_ready(kg_store *s, int *ready, kg_err *err)
{
    return s->be->hood->names_ready(s, ready, err);
}

int kg_store_names_exact(kg_store *s, const char *norm, kg_name_fn fn, void *ud, kg_err *err)
{
    return s->be->hood->names_exact(s, norm, fn, ud, err);
}

int kg_store_names_near(kg_store *s, const char *norm, int min_len, int max_len, kg_name_fn fn,
                        void *ud, kg_err *err)
{
    return s->be->hood->names_near(s, norm, min_len, max_len, fn, ud, err);
}

int kg_store_graph_load_hood(kg_store *s, const kg_hood_req *req, kg_graph_data *g,
                             double *max_pagerank, int *too_big, kg_err *err)
{
    return s->be->hood->graph_load_hood(s, req, g, max_pagerank, too_big, err);
}

int kg_store_graph_load_nodes(kg_store *s, const char *const *ids, size_t n, kg_graph_data *g,
                              kg_err *err)
{
    return s->be->hood->graph_load_nodes(s, ids, n, g, err);
}

/* ---- merge_store.h ---- */

int kg_merge_map_refresh(kg_store *s, int64_t *n, kg_err *err)
{
    return s->be->merge->map_refresh(s, n, err);
}

int kg_merge_map_active(kg_store *s)
{
    return s->be->merge->map_active(s);
}

int kg_merge_insert(kg_store *s, kg_merge_rec *r, kg_err *err)
{
    return s->be->merge->insert(s, r, err);
}

int kg_merge_undo(kg_store *s, int64_t id, kg_merge_rec *r, kg_err *err)
{
    return s->be->merge->undo(s, id, r, err);
}

int kg_merge_decided(kg_store *s, const char *from_id, int *decided, kg_err *err)
{
    return s->be->merge->decided(s, from_id, decided, err);
}

int kg_merge_was_undone(kg_store *s, const char *a, const char *b, int *undone, kg_err *err)
{
    return s->be->merge->was_undone(s, a, b, undone, err);
}

int kg_merge_cands_load(kg_store *s, kg_merge_cand **out, size_t *n, kg_err *err)
{
    return s->be->merge->cands_load(s, out, n, err);
}

/* ---- vector_store.h ---- */

int kg_vec_put(kg_store *s, const char *owner_id, const char *model, const float *v, int dim,
               kg_err *err)
{
    return s->be->vec->put(s, owner_id, model, v, dim, err);
}

int kg_vec_get(kg_store *s, const char *owner_id, const char *model, float **v, int *dim,
               int *found, kg_err *err)
{
    return s->be->vec->get(s, owner_id, model, v, dim, found, err);
}

int kg_vec_each(kg_store *s, const char *model, kg_vec_cb cb, void *ud, kg_err *err)
{
    return s->be->vec->each(s, model, cb, ud, err);
}

int kg_vec_count(kg_store *s, const char *model, int64_t *out, kg_err *err)
{
    return s->be->vec->count(s, model, out, err);
}

int kg_vec_delete_model(kg_store *s, const char *model, kg_err *err)
{
    return s->be->vec->delete_model(s, model, err);
}

int kg_vec_chunks_each(kg_store *s, kg_vec_chunk_cb cb, void *ud, kg_err *err)
{
    return s->be->vec->chunks_each(s, cb, ud, err);
}

int kg_vec_missing(kg_store *s, const char *model, char ***ids, size_t *n, kg_err *err)
{
    return s->be->vec->missing(s, model, ids, n, err);
}

int kg_vec_chunk_text(kg_store *s, const char *chunk_id, char **text, kg_err *err)
{
    return s->be->vec->chunk_text(s, chunk_id, text, err);
}

int kg_vec_chunk_hit(kg_store *s, const char *chunk_id, kg_search_hit *out, int *found, kg_err *err)
{
    return s->be->vec->chunk_hit(s, chunk_id, out, found, err);
}

int kg_vec_fit_put(kg_store *s, const char *model, uint32_t docs, const char *corpus_hash,
                   const uint32_t *df, size_t buckets, kg_err *err)
{
    return s->be->vec->fit_put(s, model, docs, corpus_hash, df, buckets, err);
}

int kg_vec_fit_get(kg_store *s, const char *model, size_t buckets, uint32_t *docs,
                   char corpus_hash[65], uint32_t **df, int *found, kg_err *err)
{
    return s->be->vec->fit_get(s, model, buckets, docs, corpus_hash, df, found, err);
}

/* ---- vindex_store.h ---- */

int kg_vindex_put(kg_store *s, const char *model, const kg_vindex_row *r, kg_err *err)
{
    return s->be->vindex->put(s, model, r, err);
}

int kg_vindex_get(kg_store *s, const char *model, kg_vindex_row *r, int *found, kg_err *err)
{
    return s->be->vindex->get(s, model, r, found, err);
}

int kg_vindex_delete(kg_store *s, const char *model, kg_err *err)
{
    return s->be->vindex->remove(s, model, err);
}

int kg_vec_each_by_rowid(kg_store *s, const char *model, kg_vec_row_cb cb, void *ud, kg_err *err)
{
    return s->be->vindex->each_by_rowid(s, model, cb, ud, err);
}

int kg_vec_keys_by_rowid(kg_store *s, const char *model, kg_vec_row_cb cb, void *ud, kg_err *err)
{
    return s->be->vindex->keys_by_rowid(s, model, cb, ud, err);
}

/* ---- cache_store.h ---- */

int kg_cache_get(kg_store *s, const kg_cache_key *k, char **response_out, kg_err *err)
{
    return s->be->cache->get(s, k, response_out, err);
}

int kg_cache_put(kg_store *s, const kg_cache_key *k, const char *response, kg_err *err)
{
    return s->be->cache->put(s, k, response, err);
}

int kg_cache_count(kg_store *s, const char *service, int64_t *out, kg_err *err)
{
    return s->be->cache->count(s, service, out, err);
}

/* ---- entvec_store.h ---- */

int kg_store_mention_contexts(kg_store *s, const char *entity_id, int limit, kg_mention_ctx_cb fn,
                              void *ud, kg_err *err)
{
    return s->be->entvec->mention_contexts(s, entity_id, limit, fn, ud, err);
}

int kg_store_meta_get(kg_store *s, const char *key, char **value, kg_err *err)
{
    return s->be->entvec->meta_get(s, key, value, err);
}

int kg_store_meta_put(kg_store *s, const char *key, const char *value, kg_err *err)
{
    return s->be->entvec->meta_put(s, key, value, err);
}

/* ---- retrieval_store.h ---- */

int kg_store_search_ids(kg_store *s, const char *query, int limit, kg_rs_hit_fn fn, void *ud,
                        kg_err *err)
{
    return s->be->retrieval->search_ids(s, query, limit, fn, ud, err);
}

int kg_store_in_transaction(kg_store *s)
{
    return s->be->retrieval->in_transaction(s);
}

int kg_store_chunk_count(kg_store *s, int64_t *n, kg_err *err)
{
    return s->be->retrieval->chunk_count(s, n, err);
}

int kg_store_names_exact_many(kg_store *s, const char *const *norms, size_t n, kg_rs_name_fn fn,
                              void *ud, kg_err *err)
{
    return s->be->retrieval->names_exact_many(s, norms, n, fn, ud, err);
}

int kg_store_title_chunks(kg_store *s, const char *const *phrases, size_t n, int limit,
                          kg_rs_title_fn fn, void *ud, kg_err *err)
{
    return s->be->retrieval->title_chunks(s, phrases, n, limit, fn, ud, err);
}

int kg_store_chunks_entities(kg_store *s, const char *const *chunk_ids, size_t n,
                             kg_rs_chunk_entity_fn fn, void *ud, kg_err *err)
{
    return s->be->retrieval->chunks_entities(s, chunk_ids, n, fn, ud, err);
}

int kg_store_entities_chunks(kg_store *s, const char *const *entity_ids, size_t n, int cap,
                             kg_rs_entity_chunk_fn fn, void *ud, kg_err *err)
{
    return s->be->retrieval->entities_chunks(s, entity_ids, n, cap, fn, ud, err);
}

int kg_store_entities_relations(kg_store *s, const char *const *entity_ids, size_t n, int fanout,
                                kg_rs_relation_fn fn, void *ud, kg_err *err)
{
    return s->be->retrieval->entities_relations(s, entity_ids, n, fanout, fn, ud, err);
}

/* ---- relation_stats.h ---- */

int kg_store_relation_stats(kg_store *s, kg_relation_stats *out, kg_err *err)
{
    return s->be->relstats->get(s, out, err);
}
