/* graph_read: the reads behind `kgas top`, `kgas entity` and the evidence of
 * query answers: entities by PageRank or by name, an entity's mentions with
 * context, the sentences behind a relation, an entity's relations.
 *
 * Arrays returned are owned by the caller and freed with the matching
 * *_free function. */
#ifndef KG_STORE_GRAPH_READ_H
#define KG_STORE_GRAPH_READ_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/records.h"
#include "store/store.h"

typedef struct kg_entity_row {
    char id[KG_ID_MAX];
    char *name, *type, *aliases;
    double pagerank, percentile, confidence;
    int64_t rank, mentions;
} kg_entity_row;

/* Top entities by PageRank, optionally of one type (NULL = any). */
int kg_store_top_entities(kg_store *s, const char *type, int limit, kg_entity_row **rows, size_t *n,
                          kg_err *err);
/* Find entities by id, or by name / alias (case-insensitive), best first. */
int kg_store_find_entities(kg_store *s, const char *id_or_name, int limit, kg_entity_row **rows,
                           size_t *n, kg_err *err);
void kg_entity_rows_free(kg_entity_row *rows, size_t n);

typedef struct kg_mention_row {
    char doc_id[KG_ID_MAX];
    char *path, *title, *surface, *snippet;
    int page;
    int64_t start, end;
    double confidence;
} kg_mention_row;

/* Mentions of an entity with the sentence-sized context around each. */
int kg_store_entity_mentions(kg_store *s, const char *entity_id, int limit, kg_mention_row **rows,
                             size_t *n, kg_err *err);
void kg_mention_rows_free(kg_mention_row *rows, size_t n);

typedef struct kg_evidence_row {
    char doc_id[KG_ID_MAX];
    char chunk_id[KG_ID_MAX];
    char *path, *title, *sentence, *method;
    int page;
    int64_t start, end;
    double confidence;
} kg_evidence_row;

/* Evidence sentences for the relation (source, type, target), best first. */
int kg_store_relation_evidence(kg_store *s, const char *source_id, const char *target_id,
                               const char *type, int limit, kg_evidence_row **rows, size_t *n,
                               kg_err *err);
void kg_evidence_rows_free(kg_evidence_row *rows, size_t n);

typedef struct kg_relation_row {
    char *type, *other_id, *other_name, *other_type, *method;
    int outgoing; /* 1: entity -> other; 0: other -> entity */
    double confidence, weight;
    int64_t support;
} kg_relation_row;

/* The relationships of an entity, heaviest first. */
int kg_store_entity_relations(kg_store *s, const char *entity_id, int limit, kg_relation_row **rows,
                              size_t *n, kg_err *err);
void kg_relation_rows_free(kg_relation_row *rows, size_t n);

/* fn(chunk_id, mentions, ud) for every chunk holding mentions of the
 * entity, with how many; fn returns non-zero to stop. */
int kg_store_entity_chunks(kg_store *s, const char *entity_id,
                           int (*fn)(const char *chunk_id, int mentions, void *ud), void *ud,
                           kg_err *err);

#endif
