/* resolve: entity resolution — which mentions of one document name the same
 * thing, what that thing is called, and a key that stays stable across
 * documents.
 *
 * Within a document (kg_resolve_document) mentions of one type merge when
 *   - their normalised keys are equal (kg_resolve_key: Unicode casefold,
 *     accents and punctuation stripped, possessive 's dropped, honorifics
 *     and "Master" (a boy's title; the name keeps it) dropped for PERSON,
 *     a leading "the" dropped for other types);
 *   - a research name with a generic head ("ZBR protocol", "TIMP package",
 *     "SQuAD dataset": protocol, package, library, model, method, dataset...)
 *     joins the name alone ("ZBR") when the document has it under a research
 *     type other than TASK ("RTE system" is not the task RTE), or any type
 *     but PERSON for a code-like name (which then names the entity: "ZBR",
 *     alias "ZBR protocol");
 *   - one is an acronym of the other: defined in the text as "Long Form (LF)"
 *     (then of any type when LF is the long form's initials: "North
 *     Atlantic Oscillation (NAO)" is one thing however the recogniser typed
 *     each), or, failing a definition, the initials of exactly one long
 *     form's capitalised words spell it;
 *   - PERSON only: a surname-only mention ("Smith", "Smith's") joins the one
 *     full name in the document with that surname, and "J. Smith" joins the
 *     one full name whose first name starts with J; with two candidates
 *     (two Smiths) nothing merges, unless the document uses one full name
 *     at least three times and four times as often as the others together
 *     ("Ebenezer Scrooge" against a misread "Whereat Scrooge")  A lone first name ("Bob") joins the one
 *     full name that starts with it ("Bob Cratchit") when no full name of
 *     the document ends with it (then it is read as a surname, above).  This is per document on purpose: a bare
 *     "Smith" in another paper may be someone else.
 * A full name (two words or more) typed PERSON at least three times as
 * often as every other type together is one person: the other types were
 * the recogniser's slips ("clerk to Ebenezer Scrooge" read once as a
 * place).  Otherwise mentions of different types merge only when their
 * keys are equal and the types are kindred (graph/kindred.h: "JavaScript"
 * as METHOD and as SOFTWARE, "United States" as GPE and LOC, "AODV" as ORG
 * and METHOD; there a PERSON joins no other type).  The entity takes the type most of its
 * mentions have (on a tie, the earliest one's).
 *
 * Canonical name: among the group's surface forms (trimmed, possessive and,
 * for PERSON, honorific removed; for others a leading "the" removed) the "frequent" ones are those seen at least
 * a quarter as often as the most common form, plus the long form of a
 * defined acronym; of these the one with most words wins, then the more
 * frequent, then the earliest.  So "John Smith" beats "Smith" and "Long
 * Short-Term Memory" beats "LSTM", but a one-off long variant does not
 * displace a name used twenty times.
 *
 * Memory: kg_resolve_document returns a kg_resolution the caller frees with
 * kg_resolution_free; every string inside belongs to it.  Input mentions are
 * only read.  kg_resolve_key and kg_resolve_fold return heap strings the
 * caller frees. */
#ifndef KG_GRAPH_RESOLVE_H
#define KG_GRAPH_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/records.h"

typedef struct kg_resolve_mention {
    const char *surface; /* UTF-8, as it appears in the text */
    const char *type;    /* "PERSON", "ORG", "METHOD", ... */
    int64_t start, end;  /* byte span in the document text */
    double confidence;
    int weight;          /* how many mentions this row stands for (0 = 1):
                              callers may pass one row per distinct form */
    const char *defines; /* the acronym the text defines for it right after
                            it ("LF" of "Long Form (LF)", kg_resolve_defines),
                            for callers that pass no text; NULL = none */
    int described;       /* typed by what the text says it is ("X is a
                            band"): such rows alone vote on their group's
                            type */
} kg_resolve_mention;

typedef struct kg_resolve_entity {
    char *name; /* canonical name */
    char *key;  /* kg_resolve_key(type, name): for stable ids */
    char type[KG_TYPE_MAX];
    char **aliases; /* other distinct surface forms, first-seen order */
    int n_aliases;
    int mentions;
    double confidence;   /* the best mention confidence: one sure sighting
                              is enough to believe the entity exists */
    int64_t first_start; /* earliest mention offset */
} kg_resolve_entity;

typedef struct kg_resolution {
    int n_mentions;
    char **mention_key;  /* per input mention: kg_resolve_key(type, surface) */
    int *mention_entity; /* per input mention: index into entities */
    int n_entities;      /* entities are in order of first mention */
    kg_resolve_entity *entities;
} kg_resolution;

/* text (may be NULL) is the document text the spans point into; it is used
 * to find acronym definitions "Long Form (LF)" (without it, each mention's
 * `defines`).  Fails with KG_EINVAL on a
 * mention without surface or type, or a span outside the text. */
int kg_resolve_document(const char *text, size_t text_len, const kg_resolve_mention *m, int n,
                        kg_resolution **out, kg_err *err);
void kg_resolution_free(kg_resolution *r);

/* The acronym text[0..len) defines for a mention ending at byte end:
 * "Long Form (LF)" -> "LF" in out (2-10 capitals and digits); false (out
 * "") when none follows. */
bool kg_resolve_defines(const char *text, size_t len, size_t end, char out[11]);

/* The document-independent key: what kg_resolve_document groups by first and
 * what the pipeline hashes into "ent_" ids (with the type).  For ORG names
 * containing University/Institute/College/Academy/School the key is the set
 * of content words, sorted, so "University of Oxford" and "Oxford
 * University" share the key "oxford university" (word order in such names
 * is a matter of style, not identity).  Never NULL; "" for a name with no
 * letters or digits. */
char *kg_resolve_key(const char *type, const char *name);

/* Unicode casefold with accents stripped (NFC), the comparison form used by
 * keys and by query matching.  Invalid UTF-8 falls back to ASCII lowering
 * with other bytes kept, so it never fails. */
char *kg_resolve_fold(const char *s, size_t len);

/* The id of the entity of `type` with resolution key `key`: every
 * document's mentions of it get this id (ingest/extract), so a graph
 * reader that knows the key (a paper's, paper/paper_key.h) finds the
 * entity without a search. */
void kg_entity_id_for(char out[KG_ID_MAX], const char *type, const char *key);

#endif
