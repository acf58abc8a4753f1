/* vindex_store: the stored approximate-search indexes of the embeddings
 * (table vector_indexes, one row per model) and the rowid-ordered reads of
 * a model's vectors they are built over.
 *
 * Why rowid order: vectors are appended with growing rowids, so an index
 * over the first N vectors in rowid order stays a prefix when more are
 * embedded, and can be extended instead of rebuilt.  Any other change
 * (a vector replaced or deleted) changes the prefix, which the fingerprint
 * catches.
 *
 * Memory: kg_vindex_row's data is malloc'd here and freed by the caller
 * (kg_vindex_row_free); pointers passed to callbacks are borrowed for the
 * call only. */
#ifndef KG_STORE_VINDEX_STORE_H
#define KG_STORE_VINDEX_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

typedef struct kg_vindex_row {
    char kind[16]; /* "hnsw" */
    int dim;
    int64_t vectors;      /* the index covers the first `vectors` in rowid order */
    char fingerprint[65]; /* of those vectors (search/vector_index) */
    unsigned char *data;  /* the serialised index */
    size_t len;
    int64_t built_at; /* Unix seconds */
} kg_vindex_row;

int kg_vindex_put(kg_store *s, const char *model, const kg_vindex_row *r, kg_err *err);
/* *found = 0 when the model has no stored index. */
int kg_vindex_get(kg_store *s, const char *model, kg_vindex_row *r, int *found, kg_err *err);
int kg_vindex_delete(kg_store *s, const char *model, kg_err *err);
void kg_vindex_row_free(kg_vindex_row *r);

/* Every vector of a model in rowid order, with its rowid.  cb returns
 * non-zero to stop (that value is returned).  A blob whose size is not dim
 * floats is KG_EFORMAT. */
typedef int (*kg_vec_row_cb)(void *ud, int64_t rowid, const char *owner_id, const float *v,
                             int dim);
int kg_vec_each_by_rowid(kg_store *s, const char *model, kg_vec_row_cb cb, void *ud, kg_err *err);
/* The same rows without their vectors (cb gets v = NULL, dim = 0): what a
 * fingerprint needs, read from the primary-key index alone. */
int kg_vec_keys_by_rowid(kg_store *s, const char *model, kg_vec_row_cb cb, void *ud, kg_err *err);

#endif
