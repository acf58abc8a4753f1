/* pdf_layout_internal: what pdf_layout.c (lines) and pdf_order.c (reading
 * order, blocks) share; not for use outside them. */
#ifndef KG_TEXT_PDF_LAYOUT_INTERNAL_H
#define KG_TEXT_PDF_LAYOUT_INTERNAL_H

#include "pdf/pdf_layout.h"

/* A run of glyphs the text layer gave in a row on one baseline (or one
 * column of rotated text). */
typedef struct kg_frag {
    float x0, y0, x1, y1;
    float size;
    uint32_t first, n; /* glyphs [first, first + n) */
    uint32_t parent;   /* union-find: fragments joined into one line */
    uint8_t vertical;
} kg_frag;

typedef struct kg_gkey {
    uint32_t line; /* root fragment */
    float x;       /* order within the line */
    uint32_t glyph;
} kg_gkey;

struct kg_layout_scratch {
    kg_frag *frags;
    size_t frags_cap;
    kg_gkey *keys;
    size_t keys_cap;
    kg_pdf_line *tmp; /* lines before reading order */
    size_t tmp_cap;
    uint32_t *ids, *ids2, *order;
    size_t ids_cap, ids2_cap, order_cap;
};

/* Grow *arr (of elem bytes) to hold at least n. */
void kg_layout_grow(void **arr, size_t *cap, size_t n, size_t elem);

/* pdf_order.c: put the n lines of sc->tmp in reading order into p->lines
 * (setting region and KG_LINE_ROW), then group them into p->blocks. */
void kg_layout_order(kg_pdf_page *p, struct kg_layout_scratch *sc, size_t n);
void kg_layout_blocks(kg_pdf_page *p);

#endif
