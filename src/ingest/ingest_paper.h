/* ingest_paper: a document that reads as a paper, put in the graph.
 *
 * What src/paper read from the loader's sink calls (kg_paper: header,
 * references with spans, citations with their sentences, acronyms) becomes
 * the same per-document rows every other extractor writes (mentions,
 * doc_entities, relation_evidence), so the graph rebuild, fusion,
 * re-ingest and deletion treat it like the rest:
 *
 *   PAPER      the document itself (name: its title; mention: the title in
 *              the text) and one per bibliography entry (mention: the
 *              entry's span), ids from paper/paper_key's resolution key, so
 *              a work cited by several documents, or cited and ingested,
 *              is one entity
 *   PERSON     each author of the header, registered with the extractor
 *              (kg_extract_form) so the resolver joins it with the body's
 *              mentions ("Neumann" -> "Günter Neumann")
 *   ORG        the institution of each affiliation, likewise
 *   AUTHORED   PERSON -> PAPER (evidence: the name in the header)
 *   AFFILIATED_WITH  PERSON -> ORG (evidence: the affiliation line)
 *   CITES      PAPER -> PAPER, one evidence per citing sentence; an entry
 *              no sentence cites gets its entry span as evidence
 *
 * all with method "paper" (graph/graph_rules: factor 1.0).  Acronym
 * definitions ("Analytical Hierarchical Process (AHP)") then make the two
 * forms one entity, each the other's alias (kg_paper_acronyms).
 *
 * Headers give names without positions, so names, titles and affiliations
 * are found in the first KG_PAPER_HEAD bytes of the text (whitespace
 * and line breaks compared loosely); what is not found there gets no
 * mention and its evidence points at the title. */
#ifndef KG_INGEST_INGEST_PAPER_H
#define KG_INGEST_INGEST_PAPER_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/extract.h"
#include "paper/paper.h"
#include "store/records.h"

#define KG_PAPER_HEAD (64u << 10) /* document bytes kept to find the header in */
#define KG_PAPER_METHOD "paper"

/* Where one document's text went: its id, its first bytes and where each
 * chunk starts (chunk ordinal i starts at chunk_start[i]). */
typedef struct kg_paper_doc {
    const char *doc_id;
    const char *head;
    size_t nhead;
    const uint64_t *chunk_start;
    size_t nchunks;
    const char *title; /* the loader's title (text documents have no header) */
} kg_paper_doc;

/* One work under two keys (a DOI and a title): the entity of the other
 * key is this one (recorded as a fusion decision, store/merge_store.h,
 * which takes effect when some document contributes the other key). */
typedef struct kg_paper_same {
    char from[KG_ID_MAX], into[KG_ID_MAX];
    char *name;
} kg_paper_same;

typedef struct kg_paper_rows {
    kg_mention *mentions; /* surfaces owned */
    size_t nmentions;
    kg_relation *relations;
    size_t nrelations;
    kg_entity *entities; /* PAPER entities: name, key, aliases owned */
    size_t nentities;
    kg_paper_same *same;
    size_t nsame;
    char *title;  /* the document's title from its header, or NULL */
    char *record; /* the documents row's `paper` JSON (kg_paper_record) */
    char paper_id[KG_ID_MAX];
} kg_paper_rows;

/* Does the document read as a paper?  A PDF whose header was found (or
 * partly: a title from the layout or metadata without authors) or that
 * has references; any other kind with references.  A damaged or empty
 * PDF named by its file name is none. */
int kg_paper_reads_as_paper(const kg_paper *p, int is_pdf);

/* The chunk id of ordinal i of a document (as the chunker's rows have). */
void kg_chunk_id_for(char out[KG_ID_MAX], const char *doc_id, int ordinal);

/* The rows of paper p in document d.  Authors and institutions are
 * registered with x (NULL: no PERSON, ORG, AUTHORED or AFFILIATED_WITH). */
void kg_paper_rows_make(const kg_paper *p, const kg_paper_doc *d, kg_extract *x,
                        kg_paper_rows *out);
void kg_paper_rows_free(kg_paper_rows *r);

/* The JSON kept with the document (`kgas documents --json`): what
 * paper/paper_json gives, without the loader's own fields (path, pages,
 * warning) and with each reference's raw text left out (its span says
 * where it is), at most KG_PAPER_RECORD_REFS references, and
 * n_references.  A new string. */
#define KG_PAPER_RECORD_REFS 2000
char *kg_paper_record(const kg_paper *p);

/* After kg_extract_finish: for each acronym definition whose long and
 * short forms both resolved to entities, the one the text mentions less is
 * folded into the other (its names become aliases, its renames point to
 * it: "Analytical Hierarchical Process" into "AHP" when the paper says
 * "AHP" after defining it); a form alone gets the other as an alias.
 * Returns how many were folded. */
size_t kg_paper_acronyms(const kg_paper *p, kg_extract_result *res);

/* After kg_extract_finish: an author the resolver joined with shorter
 * forms from the body ("Neumann") is named as the header prints the name
 * ("Günter Neumann"), the shorter forms kept as aliases.  Returns how many
 * entities were renamed. */
size_t kg_paper_author_names(const kg_paper *p, kg_extract_result *res);

#endif
