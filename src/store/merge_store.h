/* merge_store: the decisions of multi-document fusion (graphops/fuse).
 *
 * entity_merges holds "entity from_id is entity into_id" decisions with
 * their score and reasons; `undone` marks one reversed.  Entity ids are
 * derived from type + resolution key, so a decision names the same
 * entities after any rebuild.  entity_merge_map is the active decisions
 * followed to their end (a -> b, b -> c gives a -> c and b -> c), limited
 * to entities some document still contributes; the graph rebuild rewrites
 * it first and then groups per-document rows by their mapped id.
 *
 * Arrays returned are owned by the caller (kg_merge_cands_free). */
#ifndef KG_STORE_MERGE_STORE_H
#define KG_STORE_MERGE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/records.h"
#include "store/store.h"

typedef struct kg_merge_rec {
    int64_t id;
    char from_id[KG_ID_MAX], into_id[KG_ID_MAX];
    char *from_name, *into_name;
    char type[KG_TYPE_MAX];
    double score;
    char *reasons; /* JSON array of strings */
    int undone;
} kg_merge_rec;

void kg_merge_rec_clear(kg_merge_rec *r);

/* Rewrite entity_merge_map from the active decisions; *n = its rows. */
int kg_merge_map_refresh(kg_store *s, int64_t *n, kg_err *err);

/* 1 when entity_merge_map exists and has rows (a read-only open of a
 * database older than fusion has no such table), else 0. */
int kg_merge_map_active(kg_store *s);

/* Record a decision (caller holds a transaction); sets r->id. */
int kg_merge_insert(kg_store *s, kg_merge_rec *r, kg_err *err);

/* Mark decision id undone; *r receives it.  KG_ENOTFOUND when there is no
 * such active decision. */
int kg_merge_undo(kg_store *s, int64_t id, kg_merge_rec *r, kg_err *err);

/* Was a merge of a and b (either way) undone?  A pair someone took apart
 * is not merged again.  *undone 1 or 0. */
int kg_merge_was_undone(kg_store *s, const char *a, const char *b, int *undone, kg_err *err);

/* Was any decision about entity from_id taken, active or undone?  Who
 * records decisions of their own (ingest/ingest_paper: one work's ids
 * under two keys) records each once and never against a person's undo.
 * *decided 1 or 0. */
int kg_merge_decided(kg_store *s, const char *from_id, int *decided, kg_err *err);

/* A global entity with the documents that contribute to it. */
typedef struct kg_merge_cand {
    char id[KG_ID_MAX];
    char type[KG_TYPE_MAX];
    char *name;
    char *aliases; /* JSON array */
    int64_t mentions;
    double confidence;
    int64_t latest; /* when its most recent document was ingested (unix s) */
    char **docs;    /* sorted */
    int ndocs;
} kg_merge_cand;

int kg_merge_cands_load(kg_store *s, kg_merge_cand **out, size_t *n, kg_err *err);
void kg_merge_cands_free(kg_merge_cand *c, size_t n);

#endif
