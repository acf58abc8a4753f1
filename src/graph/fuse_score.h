/* fuse_score: how alike two same-type entity names are, for fusing
 * entities across documents (graphops/fuse).
 *
 * Names are folded (kg_resolve_fold) and split into words; stop words
 * ("of", "the", ...) are dropped.  Words pair up greedily: equal, a known
 * abbreviation ("univ" -> "university"), a prefix of 3..4 bytes of a word
 * at least 3 bytes longer ("fred" -> "frederick"), for PERSON an initial
 * ("j" -> "john"), or a spelling variant (one edit after the same first
 * byte, Jaro-Winkler >= 0.93, both >= 5 bytes, neither a prefix of the
 * other: "war" / "wars" and "poland" / "portland" differ).  Every rule
 * keeps the first byte, which lets callers skip pairs cheaply.
 * Numbers and Roman numerals only pair when equal.  The score is 0.6 x the
 * soft Jaccard of the words + 0.4 x the Jaro-Winkler of the normal forms,
 * 1.0 when the normal forms are equal.  A word of either name left without
 * a partner vetoes the pair ("John Smith" / "Mary Smith", "Academy of Fine
 * Arts" / "Academy of Fine Arts Vienna"): fusion is conservative.  For
 * PERSON both names need two words and the surnames (last words) must be
 * equal.  Different types are vetoed unless they are kindred
 * (graph/kindred.h: "United States" as GPE and as LOC, "NASCAR" as ORG and
 * as METHOD) and the two canonical names have equal normal forms.
 *
 * kg_fuse_compare takes the best pair over the names and aliases of the
 * two entities (one-word PERSON aliases, usually bare surnames, are not
 * used), and says why in `reasons`.
 *
 * kg_fuse_context then lets the similarity of the two entities' contexts
 * (the cosine of their context vectors, search/entity_vec) move the
 * score by at most `weight` either way: the cosine is mapped linearly to
 * -1 at 0, 0 at KG_FUSE_CONTEXT_NEUTRAL and +1 at 1 (below 0: -1), and
 * weight times that is added, clamped to 0..1.  Context is evidence about
 * names that already agree, never a name of its own: a vetoed pair stays
 * vetoed, so unrelated entities with similar contexts ("John Smith" and
 * "Mary Smith" at one university) never merge.  It can lift a borderline
 * name match over the threshold and pull a close-name pair whose contexts
 * have little in common under it.  Values (DATE, MONEY, PERCENT) are what
 * they say whatever surrounds them: "1 June 1952" in a biography and in a
 * treaty is one date, so context does not apply to them. */
#ifndef KG_GRAPH_FUSE_SCORE_H
#define KG_GRAPH_FUSE_SCORE_H

#include <stdbool.h>

typedef struct kg_fuse_entity {
    const char *type;
    const char *name;
    const char *const *aliases;
    int naliases;
} kg_fuse_entity;

typedef struct kg_fuse_result {
    double score; /* 0 when vetoed */
    bool veto;
    bool same_norm; /* equal normal forms */
    bool via_alias; /* the best pair involved an alias */
    double jaccard, jw;
    bool context;         /* kg_fuse_context applied */
    double cosine;        /* then: the cosine of the contexts */
    double context_delta; /* and what it added to the score */
    char reasons[512];    /* "; "-separated signals that fired, or why vetoed */
} kg_fuse_result;

/* Jaro-Winkler similarity of two byte strings, 0..1. */
double kg_fuse_jw(const char *a, const char *b);

/* The content words of a name (folded, stop words dropped); returns their
 * number; free with kg_fuse_words_free. */
int kg_fuse_words(const char *name, char ***out);
void kg_fuse_words_free(char **w, int n);

/* Score one pair of names of entities of this type. */
void kg_fuse_names(const char *type, const char *a, const char *b, kg_fuse_result *r);

/* Score two entities: the best pair over names and aliases. */
void kg_fuse_compare(const kg_fuse_entity *a, const kg_fuse_entity *b, kg_fuse_result *r);

/* The cosine at which two contexts say nothing either way.  Measured on the
 * local embedder (docs/architecture.md, fusion): windows about one entity
 * in documents about it score 0.4..0.9, in passages that mention it in
 * passing 0.1..0.4; windows that share only a name 0.0..0.05. */
#define KG_FUSE_CONTEXT_NEUTRAL 0.25

/* Does context similarity apply to entities of this type (not a value)? */
bool kg_fuse_context_applies(const char *type);

/* What context similarity `cosine` adds with this weight (see above). */
double kg_fuse_context_delta(double cosine, double weight);

/* Apply the context similarity to a result of kg_fuse_compare: no-op for a
 * vetoed pair or weight <= 0; else score += delta, clamped to 0..1, and a
 * reason "context similarity C (+D)". */
void kg_fuse_context(kg_fuse_result *r, double cosine, double weight);

#endif
