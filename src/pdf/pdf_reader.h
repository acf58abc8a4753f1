/* pdf_reader: a PDF's pages of glyphs in, a load sink's text, sections and
 * blocks out (load.h), in reading order.
 *
 * Each page is laid out (pdf_layout.h) as it arrives, but cut into units
 * (pdf_zone.h) two pages later, so that its running header can be compared
 * with the next pages' (odd and even pages alternate): three pages of
 * layout are held, never more.
 *
 * Text: each unit's lines are joined (dehyphenated across line ends and
 * unwrapped, except front matter, whose lines stay lines) and normalised
 * (text/normalize.h); units are separated by a blank line.  A paragraph cut
 * by a column or page break is joined again when the next column begins in
 * lowercase (dehyphenating "implemen-" + "tation"); captions, tables and
 * footnotes that stand between the two halves on the same page are put
 * after the paragraph, so its sentences stay whole.  A bibliography entry
 * broken across columns is one block.  Furniture is reported through
 * sink->block with its text and is not part of the document text. */
#ifndef KG_TEXT_PDF_READER_H
#define KG_TEXT_PDF_READER_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "text/load.h"
#include "pdf/pdf_layout.h"

typedef struct kg_pdf_reader kg_pdf_reader;

/* path is for error messages; meta_title (may be NULL) helps find the title. */
kg_pdf_reader *kg_pdf_reader_new(const kg_load_sink *sink, const char *path,
                                 const char *meta_title);
/* The next page (pages come in order from 1): glyphs g[0..n) of a w x h page.
 * KG_ECANCELED when the sink asked to stop. */
int kg_pdf_reader_page(kg_pdf_reader *r, const kg_glyph *g, size_t n, float w, float h,
                       kg_err *err);
/* After the last page. */
int kg_pdf_reader_finish(kg_pdf_reader *r, kg_err *err);
/* The title found on page 1 by layout, or NULL. */
const char *kg_pdf_reader_title(const kg_pdf_reader *r);
/* Bytes of document text pushed to the sink so far. */
uint64_t kg_pdf_reader_bytes(const kg_pdf_reader *r);
void kg_pdf_reader_free(kg_pdf_reader *r);

#endif
