/* pdf_zone: what each part of a laid-out page is (load.h's block kinds).
 *
 * A page's blocks (pdf/pdf_layout.h) become units: stretches of its lines
 * with one kind.  The decisions need the document around the page, so a
 * kg_zoner keeps state from page to page:
 *
 *  - furniture: a line among the three top or bottom lines of a page that
 *    is a page number, or whose letters repeat at the same height on one of
 *    the two pages before or after it (odd and even pages often differ);
 *    rotated margin text;
 *  - the zone: the front matter of page 1 (title, authors, affiliations,
 *    abstract, keywords) up to the first section heading; the body; the
 *    bibliography after a "References" heading (or a "[1] ... [2] ..." list
 *    with no heading) up to a heading that ends it;
 *  - the title: on page 1, the block whose text the metadata title matches,
 *    else the largest type in the top half of the page;
 *  - headings (numbered "2.1 Methods", "IV. RESULTS", or a known name, set
 *    apart by weight or size), captions ("Figure 3:"), display formulas,
 *    tables and figure labels (little prose), footnotes (small type at the
 *    bottom of a column);
 *  - in the bibliography, one unit per entry: entries start at a label
 *    ("[12]", "12.", "(12)") or, unlabelled, at a hanging indent; an entry
 *    broken by a column or page continues (cont) in the next unit.
 *
 * State is a few small strings per page; nothing grows with the document. */
#ifndef KG_TEXT_PDF_ZONE_H
#define KG_TEXT_PDF_ZONE_H

#include <stddef.h>
#include <stdint.h>

#include "text/load.h"
#include "pdf/pdf_layout.h"

typedef struct kg_zone_unit {
    uint32_t line0, nlines; /* page->lines[line0 .. line0 + nlines) */
    uint8_t kind;           /* kg_block_kind */
    uint8_t cont;           /* continues the previous unit (a reference entry) */
    uint8_t level;          /* heading level */
    uint8_t section;        /* announce a section before it: 1 its text, 2 "References" */
} kg_zone_unit;

typedef struct kg_zone_units {
    kg_zone_unit *v;
    size_t n, cap;
} kg_zone_units;

typedef struct kg_zoner kg_zoner;

kg_zoner *kg_zoner_new(void);
void kg_zoner_free(kg_zoner *z);
/* The metadata title, used to find the title block (may be NULL). */
void kg_zoner_hint_title(kg_zoner *z, const char *meta_title);

/* Units of page p in reading order (out is cleared first).  next and next2
 * are the two following pages' layouts (NULL past the end): running headers
 * are recognised against them and the two pages before. */
void kg_zoner_page(kg_zoner *z, const kg_pdf_page *p, const kg_pdf_page *next,
                   const kg_pdf_page *next2, kg_zone_units *out);

void kg_zone_units_free(kg_zone_units *u);

/* Helpers shared with the reader and tests. */
/* Length of a reference label at the start of s ("[12] ", "12. ", "(12) "),
 * 0 when none; *style gets 1 brackets, 2 "12.", 3 "(12)"; *num the number. */
size_t kg_zone_ref_label(const char *s, size_t n, int *style, int *num);
/* Heading numbering at the start of s ("2.1", "IV.", "A."): its length
 * (with the following spaces), 0 when none; *depth 1 for "2" / "IV", 2 for
 * "2.1" or "A.", ... */
size_t kg_zone_heading_number(const char *s, size_t n, int *depth);

#endif
