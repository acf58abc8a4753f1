/* paper_view: one ingested paper as `kgas paper ID|TITLE` and the MCP tool
 * get_paper show it: what was read from it at ingest (the documents.paper
 * record: header, sections, references) and who cites it in the corpus
 * (the papers with a CITES edge to its PAPER entity, with the citing
 * sentences).  A work that is only cited (a PAPER entity without a
 * document) is shown by its name and its citers.
 *
 * It sits with the tools, not in graphops, because the document's PAPER
 * entity is found by the id ingest gives it (paper/paper_key's key,
 * graph/resolve's kg_entity_id_for): one rule, not a copy of it (the
 * Markdown export finds a paper's citers the same way). */
#ifndef KG_TOOLS_PAPER_VIEW_H
#define KG_TOOLS_PAPER_VIEW_H

#include <jansson.h>

#include "base/err.h"
#include "store/store.h"

/* The most citing papers and sentences per citer a view lists. */
#define KG_PAPER_VIEW_CITERS 500
#define KG_PAPER_VIEW_SENTENCES 20

/* The view of the paper id_or_title names: a document id, else a document
 * or PAPER title (case-insensitive exact), else the closest document title
 * (store's kg_store_doc_by_title).  *out is a new JSON object: the stored
 * record's fields (title, authors, year, venue, doi, arxiv, abstract,
 * sections, references, ...) and document_id, path, ingested (1: a
 * document; 0: a work only cited), paper (0: a document not read as a
 * paper, so only its title; it can still be cited by title), paper_entity
 * (the PAPER's id, null when the graph has none), cited_by ([{entity_id,
 * title, document_id, path, sentences: [{text, page, start, end}]}]).
 * KG_ENOTFOUND when nothing matches. */
int kg_paper_view_json(kg_store *s, const char *id_or_title, json_t **out, kg_err *err);

#endif
