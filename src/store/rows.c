/* rows: freeing what the store's reads return.  The same for every backend:
 * rows are plain structs of malloc'd strings (the public headers say which
 * function frees what). */
#include <stdlib.h>
#include <string.h>

#include "store/graph_read.h"
#include "store/graph_store.h"
#include "store/merge_store.h"
#include "store/store.h"
#include "store/vector_store.h"
#include "store/vindex_store.h"

void kg_graph_data_free(kg_graph_data *g)
{
    for (size_t i = 0; i < g->nnodes; i++) {
        free(g->nodes[i].name);
        free(g->nodes[i].aliases);
    }
    free(g->nodes);
    free(g->edges);
    memset(g, 0, sizeof *g);
}

void kg_entity_rows_free(kg_entity_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].name);
        free(rows[i].type);
        free(rows[i].aliases);
    }
    free(rows);
}

void kg_mention_rows_free(kg_mention_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].path);
        free(rows[i].title);
        free(rows[i].surface);
        free(rows[i].snippet);
    }
    free(rows);
}

void kg_evidence_rows_free(kg_evidence_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].path);
        free(rows[i].title);
        free(rows[i].sentence);
        free(rows[i].method);
    }
    free(rows);
}

void kg_relation_rows_free(kg_relation_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].type);
        free(rows[i].other_id);
        free(rows[i].other_name);
        free(rows[i].other_type);
        free(rows[i].method);
    }
    free(rows);
}

void kg_merge_rec_clear(kg_merge_rec *r)
{
    free(r->from_name);
    free(r->into_name);
    free(r->reasons);
    memset(r, 0, sizeof *r);
}

void kg_merge_cands_free(kg_merge_cand *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(c[i].name);
        free(c[i].aliases);
        for (int j = 0; j < c[i].ndocs; j++)
            free(c[i].docs[j]);
        free(c[i].docs);
    }
    free(c);
}

void kg_doc_rows_free(kg_doc_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].path);
        free(rows[i].title);
        free(rows[i].kind);
        free(rows[i].hash);
        free(rows[i].paper);
    }
    free(rows);
}

void kg_search_hits_free(kg_search_hit *hits, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(hits[i].path);
        free(hits[i].title);
        free(hits[i].snippet);
        free(hits[i].section);
    }
    free(hits);
}

void kg_vec_ids_free(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

void kg_vindex_row_free(kg_vindex_row *r)
{
    free(r->data);
    r->data = NULL;
    r->len = 0;
}

void kg_chunk_row_clear(kg_chunk_row *c)
{
    free(c->text);
    memset(c, 0, sizeof *c);
}
