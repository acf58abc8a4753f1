/* kindred: which entity types can name the same thing.
 *
 * The recogniser's type of a name varies with the sentence: "JavaScript" is
 * a METHOD here and SOFTWARE there, "AODV" an ORG and a METHOD, "United
 * States" a GPE and a LOC.  Entity resolution (graph/resolve, within a
 * document) and fusion (graphops/fuse, across documents) join one name
 * under kindred types.  The families:
 *
 *   - the research types (METHOD, TASK, DATASET, METRIC, SOFTWARE,
 *     CONCEPT) and MISC, the name tagger's "some other named thing";
 *   - the places, GPE and LOC;
 *   - under a code-like name (kg_name_code_like: an acronym, CamelCase, or
 *     letters with digits) every name type but PERSON, since a code names
 *     one thing in a text;
 *   - nothing else: a PERSON never joins another type ("Washington" the
 *     man and the city are two things even in one text), nor does an
 *     ordinary name typed ORG join a METHOD ("Support Vector Machine" typed
 *     ORG may well be an organisation named alike), nor values (DATE...).
 *
 * Whether a name is code-like is asked of every spelling in a group: a
 * caller passes true when any of them is. */
#ifndef KG_GRAPH_KINDRED_H
#define KG_GRAPH_KINDRED_H

#include <stdbool.h>

enum {
    KG_KIN_NONE,
    KG_KIN_RESEARCH,
    KG_KIN_PLACE,
    KG_KIN_CODE,
    KG_KIN_FAMILIES
};

/* The family of a type (KG_KIN_NONE: joins only its own type); code: the
 * name is code-like in some spelling. */
int kg_kin_family(const char *type, bool code);

/* Two types kindred for this name (equal types always are). */
bool kg_kin_types(const char *type_a, const char *type_b, bool code);

/* An acronym (2-10 capitals and digits, at least two capitals, an optional
 * plural 's'), a CamelCase word ("SpiderMonkey") or one word of letters
 * and digits ("IE6"); never a name of several words. */
bool kg_name_code_like(const char *name);

#endif
