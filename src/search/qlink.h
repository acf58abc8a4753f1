/* qlink: the entities and passages a question names, and why.
 *
 * Question understanding for retrieval (search/hybrid) and for answers and
 * paths (graphops/graph_hood, graphops/graph_query): one linking for all,
 * so that `kgas search --mode hybrid`, `kgas query`, `kgas path` and the
 * MCP tools agree on what a question is about.
 *
 * 1. The recogniser documents go through (kg_ner_run) finds the question's
 *    mentions; a trained recogniser improves this linking by itself.
 * 2. Its phrases, with the reason each may be a name (graph/qphrase: ner,
 *    ner_part, name, proper, acronym, content, phrase), are looked up in
 *    the name index, longest first, a word serving one link at most:
 *    exact (the name as written), normalised (equal normal forms: case,
 *    accents, possessive, punctuation), alias, acronym (the initials of a
 *    capitalised phrase, "European Trade Union Confederation" -> ETUC) and,
 *    for ner / name phrases only, fuzzy above graph/qphrase's strict
 *    threshold.  Common words never link.
 * 3. Titles: a phrase that is the title of a document (its first line, as
 *    text/load titles plain text; a trailing "(...)" ignored) names that
 *    document's first chunk.
 *
 * Each link says which words, how (kind) and why, with a score (match
 * quality x the reason's weight) and the entity's mention count (rare
 * entities are more specific: the walk weighs seeds by it).
 *
 * Memory: kg_qlink_result_free releases a result; JSON is a new reference. */
#ifndef KG_SEARCH_QLINK_H
#define KG_SEARCH_QLINK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "graph/qphrase.h"
#include "store/records.h"
#include "store/store.h"

#define KG_QLINK_ENTITIES 0x1 /* link entities */
#define KG_QLINK_TITLES 0x2   /* link documents by title */
#define KG_QLINK_PHRASE 0x4   /* the whole text is a name (kgas path X Y) */

typedef struct kg_qlink_hit {
    char id[KG_ID_MAX];
    char *name;
    char type[KG_TYPE_MAX];
    char *words; /* the question's words that name it, as written */
    int word_start, word_end;
    const char *kind; /* exact | normalised | alias | acronym | fuzzy */
    kg_qphrase_why why;
    double score;
    int64_t mentions;
    double pagerank;
} kg_qlink_hit;

typedef struct kg_qlink_title {
    char chunk_id[KG_ID_MAX], doc_id[KG_ID_MAX];
    char *title, *words;
    int word_start, word_end;
    kg_qphrase_why why;
    double score;
    int sharing; /* documents with this title: each counts 1 / sharing */
} kg_qlink_title;

typedef struct kg_qlink_result {
    kg_qlink_hit *hits; /* best first */
    size_t n;
    kg_qlink_title *titles;
    size_t ntitles;
    kg_qphrase_span *recognised; /* the recogniser's mentions (bytes) */
    char (*recognised_type)[KG_TYPE_MAX];
    size_t nrecognised;
    char *question;  /* a copy, for the report's words */
    int names_ready; /* 0: the database has no name index yet (nothing linked) */
} kg_qlink_result;

/* Link question (flags: KG_QLINK_*).  A question naming nothing is not an
 * error: an empty result. */
int kg_qlink_run(kg_store *s, const char *question, unsigned flags, kg_qlink_result *out,
                 kg_err *err);
void kg_qlink_result_free(kg_qlink_result *r);

/* {"recognised": [{"words", "type"}], "entities": [{"id", "name", "type",
 *  "words", "match", "why", "score", "mentions"}], "passages": [{"document",
 *  "chunk", "title", "words", "why", "score"}]} */
json_t *kg_qlink_json(const kg_qlink_result *r);

#endif
