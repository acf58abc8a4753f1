/* paper_mask: what of a paper's text a recogniser must not read as prose.
 *
 * The loader says what each stretch of a PDF is (text/load.h's blocks);
 * a bibliography entry, a display equation or a table is not prose, and
 * an in-text citation ("[12]", "(Smith et al., 2019)", "Istratov and
 * Vyvenko (1999)") is a pointer to a bibliography entry, not a name in
 * the sentence.  Fed to the entity recogniser they become the junk of the
 * graph: cited authors ("Kolb", "D. Estrin"), venues and publishers
 * ("IEEE", "Department of Computer Science" out of a technical report's
 * entry), formula symbols, and narrative citations typed as one entity
 * ("Istratov and Vyvenko" MISC).  The structure of the paper already puts
 * these in the graph as what they are (PAPER entities and CITES edges
 * linked to their entries: ingest/ingest_paper).
 *
 * A kg_paper_mask follows the sink calls beside the chunker (block kinds,
 * for documents without layout the "References" section, and the licence
 * a plain-text loader finds after a Project Gutenberg eBook, text/load.h:
 * not a paper's, but not the work's prose either) and, for a
 * chunk of the document, gives the text to recognise: the chunk itself,
 * or a copy with those stretches and the citation markers blanked (every
 * byte a space, line breaks kept), so offsets into it are offsets into
 * the chunk.  Running headers, page numbers and margin stamps are not
 * document text at all (the loader keeps them apart).  Memory: the hidden
 * spans not yet behind the last chunk, and one buffer the size of a chunk.
 * Pure computation. */
#ifndef KG_PAPER_PAPER_MASK_H
#define KG_PAPER_PAPER_MASK_H

#include <stddef.h>
#include <stdint.h>

#include "text/load.h"

typedef struct kg_paper_mask kg_paper_mask;

kg_paper_mask *kg_paper_mask_new(void);
void kg_paper_mask_free(kg_paper_mask *m);

/* The sink calls, in the document's order: len bytes of text, a section
 * heading, a block. */
void kg_paper_mask_text(kg_paper_mask *m, size_t len);
void kg_paper_mask_section(kg_paper_mask *m, const char *title);
void kg_paper_mask_block(kg_paper_mask *m, const kg_block_info *b);

/* Is a block of this kind hidden from the recogniser?  References,
 * display equations, tables (and furniture, which is not text). */
int kg_paper_mask_hides(kg_block_kind k);

/* The text to recognise for text[0..len), the document's bytes from
 * `start` on (already announced through kg_paper_mask_text): text itself
 * when nothing in it is hidden, else the masked copy (valid until the
 * next call).  Chunks come in document order: spans ending at or before
 * start are forgotten. */
const char *kg_paper_mask_apply(kg_paper_mask *m, const char *text, size_t len, uint64_t start);

#endif
