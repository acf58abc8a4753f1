/* paper_json: a kg_paper as JSON, the shape `kgas paper --json` prints and
 * `kgas documents --json` will carry (phase 2 of issue 13):
 *
 *   title, title_from ("layout" | "metadata" | "loader"), header ("found"
 *   or why not), authors [{name, email, affiliations [names]}], year, doi,
 *   arxiv, venue, abstract, keywords, emails, sections [{number, title,
 *   level, page, start}], references [{number, authors, et_al, title,
 *   venue, year, volume, pages, doi, arxiv, url, raw, span [start, end],
 *   page, cited}], references_status, counts; and with
 *   KG_PAPER_JSON_CITATIONS: citations [{marker, ref, span, sentence,
 *   sentence_span, page}], acronyms [{short, long, span}].
 *
 * Returns a jansson json_t * (as void *, so callers need not include
 * jansson): the caller owns the reference. */
#ifndef KG_PAPER_PAPER_JSON_H
#define KG_PAPER_PAPER_JSON_H

#include "paper/paper.h"

#define KG_PAPER_JSON_CITATIONS 0x01

void *kg_paper_json(const kg_paper *p, unsigned what);

#endif
