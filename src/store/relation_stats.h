/* relation_stats: how typed the stored relations are, for `kgas stats`.
 *
 * Counted from the per-document evidence, so it always matches what is
 * stored: evidence rows with a relation phrase (typed: nlp/relate's verb,
 * copula, apposition, possessive, nominal, path, speech and the LLM's), rows of pairs that
 * only co-occur with a verb between them (method "cooccur-verb"), and the
 * other co-occurrences; then the relationships typed and RELATED_TO.  The
 * typed share is typed / (typed + cooccur-verb), nlp/relate's definition:
 * of pairs in a sentence, so the rows a paper's structure gives (method
 * "paper": AUTHORED, CITES, AFFILIATED_WITH, from its header and
 * reference list) are not counted in it.  Nor is a row that relates an
 * entity to itself: two forms of one entity in a sentence ("Ebenezer
 * Scrooge ... the firm of Scrooge and Marley") related before resolution
 * made them one, which the graph's rebuild skips too. */
#ifndef KG_STORE_RELATION_STATS_H
#define KG_STORE_RELATION_STATS_H

#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

typedef struct kg_relation_stats {
    int64_t typed_evidence, cooccur_verb_evidence, cooccur_evidence;
    int64_t typed_relationships, cooccur_relationships;
    int64_t phrases; /* distinct relation types other than RELATED_TO */
} kg_relation_stats;

int kg_store_relation_stats(kg_store *s, kg_relation_stats *out, kg_err *err);

#endif
