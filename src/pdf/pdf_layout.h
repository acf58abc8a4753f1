/* pdf_layout: one PDF page's glyphs into lines and blocks, in reading order.
 *
 * Why our own layout and not poppler's text order: poppler's lines are often
 * wrong on real papers (two author columns run together as "Usama
 * AhmedFaisal Bashir Hussain", the last line of one column glued to the first
 * of the next, a two-column page header read after the body), and its order
 * puts side material anywhere.  So kgas takes only the glyphs from poppler
 * (character, box, font size, font style) and rebuilds:
 *
 *   1. lines: glyphs that follow each other on one baseline, cut at large
 *      gaps; pieces on one baseline a small gap apart are joined again (a
 *      section number and its title, a superscript poppler set apart);
 *      rotated text (margin stamps) becomes vertical lines;
 *   2. reading order by a recursive XY-cut: a region is cut at a vertical
 *      gutter if it has one; otherwise into horizontal bands, and
 *      consecutive bands are regrouped while the group still has a gutter,
 *      so a two-column body is read column by column even where paragraph
 *      gaps of both columns line up, and a full-width title or figure cuts
 *      the page into bands read top to bottom;
 *   3. blocks: consecutive lines of one column with the same size and
 *      weight and no paragraph gap or indent between them.
 *
 * Superscripts (smaller, raised glyphs: affiliation marks, footnote marks,
 * exponents) become Unicode superscript characters when they can ("Smith¹,²",
 * "10⁻²²"), digit subscripts become subscript digits; ligatures (U+FB00..)
 * are spelled out.  A kg_pdf_page is reused from page to page (its arrays
 * only grow), so a 2,000-page document costs the largest page, not the sum.
 * Pure computation: no poppler here (text/load_pdf.c makes the glyphs), so
 * tests lay out synthetic glyphs. */
#ifndef KG_TEXT_PDF_LAYOUT_H
#define KG_TEXT_PDF_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define KG_GLYPH_BOLD 0x01
#define KG_GLYPH_ITALIC 0x02
#define KG_GLYPH_MATH 0x04  /* a math font (Computer Modern math, Symbol, ...) */
#define KG_GLYPH_MONO 0x08  /* a typewriter font */
#define KG_GLYPH_SPACE 0x10 /* the text layer has a word break before this glyph */

typedef struct kg_glyph {
    uint32_t cp;          /* Unicode code point (no spaces or line ends) */
    float x0, y0, x1, y1; /* box in points, origin at the page's top left */
    float size;           /* font size in points */
    uint8_t flags;        /* KG_GLYPH_* */
} kg_glyph;

#define KG_LINE_BOLD 0x01     /* most letters bold */
#define KG_LINE_ITALIC 0x02   /* most letters italic */
#define KG_LINE_MATH 0x04     /* reads as a formula, not words */
#define KG_LINE_VERTICAL 0x08 /* rotated text */
#define KG_LINE_ROW 0x10      /* on the same row as the line before it */
#define KG_LINE_LETTERS 0x20  /* has letters (a bare "1." has none) */

typedef struct kg_pdf_line {
    float x0, y0, x1, y1;
    float size;    /* dominant font size */
    uint32_t text; /* its text: page->text.data + text, len bytes (UTF-8, no '\n') */
    uint32_t len;
    uint32_t region; /* column it was read in (lines of one region share a column) */
    uint16_t nglyph;
    uint8_t flags; /* KG_LINE_* */
    uint8_t prose; /* percent of its glyphs that are letters of words of 3+ letters */
} kg_pdf_line;

typedef struct kg_pdf_block {
    uint32_t line0, nlines; /* page->lines[line0 .. line0 + nlines) */
    float x0, y0, x1, y1;
    float size;      /* dominant font size of its lines */
    uint32_t region; /* as its lines' */
    uint8_t flags;   /* KG_LINE_BOLD/ITALIC when every line has it; MATH when most */
} kg_pdf_block;

typedef struct kg_pdf_page {
    int number; /* 1-based, set by the caller */
    float width, height;
    float body_size; /* the page's most common font size (by glyphs) */
    kg_pdf_line *lines;
    size_t nlines;
    kg_pdf_block *blocks;
    size_t nblocks;
    kg_buf text; /* all line texts */
    size_t lines_cap, blocks_cap;
    struct kg_layout_scratch *scratch; /* working arrays, kept between pages */
} kg_pdf_page;

void kg_pdf_page_init(kg_pdf_page *p);
void kg_pdf_page_free(kg_pdf_page *p);

/* Lay out glyphs g[0..n) of a width x height page into p's lines and blocks,
 * replacing what p held.  g is not kept. */
void kg_pdf_layout(kg_pdf_page *p, const kg_glyph *g, size_t n, float width, float height);

/* The text of line i (not NUL-terminated: use line->len). */
static inline const char *kg_pdf_line_text(const kg_pdf_page *p, size_t i)
{
    return p->text.data + p->lines[i].text;
}

#endif
