/* relate: typed relations between the entities mentioned in one sentence.
 *
 * Rules, not a model: the words between two neighbouring mentions decide.
 *   pattern    "X works for Y", "X was founded by Y", "X is a member of Y" ...
 *              (fixed phrase families, inflections folded by the Snowball
 *              English stemmer, passive "by" reverses direction)   conf 0.85
 *   apposition "X, director of Y", "X, a professor at Y"           conf 0.75
 *   verb       "X married Y": a short verb phrase between two mentions,
 *              typed by the verb's upper-cased stem ("MARRI")       conf 0.70
 *   cooccur    any other pair of entities in one sentence, RELATED_TO,
 *              undirected (source < target)                         conf 0.40
 * In a crowded sentence (more than max_cooccur distinct entities, default 12)
 * only neighbouring entities co-occur, so a table row or a reference list
 * does not produce n^2 edges.  A pair that got a typed relation in a
 * sentence gets no co-occurrence relation there.
 *
 * Inputs are plain spans so this module does not depend on the tokeniser or
 * NER implementations.  Memory: kg_relate_extract returns a kg_relate_list
 * the caller frees with kg_relate_list_free; inputs are only read.  Thread
 * safe: each call uses its own stemmer, and each thread keeps its own cache
 * of the stems of words it has seen (freed when the thread ends). */
#ifndef KG_NLP_RELATE_H
#define KG_NLP_RELATE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/records.h"

typedef struct kg_relate_span {
    int64_t start, end; /* byte span in the document text */
} kg_relate_span;

typedef struct kg_relate_mention {
    int64_t start, end; /* byte span in the document text */
    const char *type;   /* entity type, may be NULL */
    int entity;         /* entity index; < 0 = ignore this mention */
} kg_relate_mention;

typedef struct kg_relate_rel {
    int source, target;     /* entity indices */
    char type[KG_TYPE_MAX]; /* "WORKS_FOR", ..., "RELATED_TO", or a verb stem */
    double confidence;
    char method[KG_METHOD_MAX]; /* "pattern" | "apposition" | "verb" | "cooccur" */
    int64_t start, end;         /* the sentence span: the evidence */
} kg_relate_rel;

typedef struct kg_relate_list {
    kg_relate_rel *v;
    int n, cap;
} kg_relate_list;

#define KG_RELATE_MAX_COOCCUR 12

/* max_cooccur <= 0 means KG_RELATE_MAX_COOCCUR.  Mentions may come in any
 * order; a mention belongs to the sentence that contains its whole span.
 * Fails with KG_EINVAL on spans outside the text. */
int kg_relate_extract(const char *text, size_t text_len, const kg_relate_span *sents, int nsents,
                      const kg_relate_mention *m, int nm, int max_cooccur, kg_relate_list **out,
                      kg_err *err);
void kg_relate_list_free(kg_relate_list *l);

#endif
