/* records: the data model shared by every layer above the store.
 *
 * Plain structs, one per table of DESIGN.md's data model.  Producers (text/,
 * nlp/, graph/, ingest/) fill them; the store persists them.  Ids are
 * stable text ids ("doc_", "chunk_", "ent_", "rel_", "men_" + 16 hex) made
 * with kg_make_id().  Offsets are UTF-8 byte offsets into the stored
 * document text.  String fields are owned by whoever filled the struct
 * unless a function says otherwise. */
#ifndef KG_STORE_RECORDS_H
#define KG_STORE_RECORDS_H

#include <stdint.h>

#include "base/hash.h"

typedef struct kg_document {
    char id[KG_ID_MAX];
    const char *path; /* absolute, resolved */
    char hash[KG_HASH_HEX_LEN + 1];
    const char *title;
    const char *kind; /* "pdf" | "txt" | "md" | "html" */
    int pages;
    int64_t bytes; /* source file size */
    int64_t chars; /* bytes of stored document text */
    int64_t chunks;
    double confidence;   /* 1.0, lower when text was repaired or sparse */
    int64_t ingested_at; /* unix seconds */
    const char *paper;   /* JSON of its reading as a paper (ingest/ingest_paper), or NULL */
} kg_document;

typedef struct kg_chunk {
    char id[KG_ID_MAX];
    char doc_id[KG_ID_MAX];
    int ordinal;
    int page_start, page_end;
    int64_t char_start, char_end;
    int tokens;
    const char *text;
    const char *section; /* may be NULL */
} kg_chunk;

/* Entity types are short upper-case names ("PERSON"); relation types are
 * those, "RELATED_TO", or a normalised relation phrase of at most four
 * words ("work at", "be daughter of": nlp/reltype, KG_PHRASE_MAX 40). */
#define KG_TYPE_MAX 48
#define KG_METHOD_MAX 16

typedef struct kg_mention {
    char id[KG_ID_MAX];
    char entity_id[KG_ID_MAX];
    char chunk_id[KG_ID_MAX];
    int64_t start, end; /* span in the document text */
    const char *surface;
    char type[KG_TYPE_MAX];
    double confidence;
    char method[KG_METHOD_MAX]; /* "rules", "llm", ... */
} kg_mention;

typedef struct kg_entity {
    char id[KG_ID_MAX];
    const char *name; /* canonical name */
    const char *key;  /* normalised key used for resolution */
    char type[KG_TYPE_MAX];
    double confidence;
    int64_t mentions;
    const char *aliases; /* JSON array of strings */
    double pagerank;
    int64_t rank;
    double percentile;
    int64_t community;
} kg_entity;

typedef struct kg_relation {
    char id[KG_ID_MAX];
    char source_id[KG_ID_MAX];
    char target_id[KG_ID_MAX];
    char type[KG_TYPE_MAX];
    double weight;
    double confidence;
    char method[KG_METHOD_MAX]; /* "pattern" | "verb" | "apposition" | "cooccur" | "llm" */
    char chunk_id[KG_ID_MAX];   /* evidence */
    int64_t start, end;         /* evidence sentence span in the document text */
    int64_t support;
} kg_relation;

/* Co-occurrence, the one relation type without a direction.  One name for
 * the rule every layer applies: PageRank walks it both ways
 * (graphops/graph_build), exports write it both ways (store/export_store)
 * and a rendered path draws it without an arrow (graph/query). */
#define KG_REL_UNDIRECTED "RELATED_TO"

#endif
