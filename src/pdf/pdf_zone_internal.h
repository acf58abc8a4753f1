/* pdf_zone_internal: the zoner's state, shared by pdf_zone.c (pages,
 * furniture, entries) and pdf_classify.c (one block); not for use outside. */
#ifndef KG_TEXT_PDF_ZONE_INTERNAL_H
#define KG_TEXT_PDF_ZONE_INTERNAL_H

#include "base/buf.h"
#include "pdf/pdf_layout_internal.h"
#include "pdf/pdf_zone.h"

enum {
    KG_ZONE_FRONT,
    KG_ZONE_BODY,
    KG_ZONE_REFS
};

/* kg_zone_unit.section values */
enum {
    KG_SEC_NONE,
    KG_SEC_TEXT,
    KG_SEC_REFERENCES,
    KG_SEC_ABSTRACT
};

struct kg_zoner {
    int zone;
    float body; /* the document's body font size */
    long size_hist[128];
    char *hint; /* metadata title, letters only */
    /* edge lines (letters only) of the last two pages, and their heights */
    char *furn[2][6];
    float furn_y[2][6];
    int nfurn[2];
    uint8_t *furn_mark; /* per line of the current page */
    size_t furn_cap;
    uint32_t *order; /* blocks of the current page in the order classified */
    size_t order_cap;
    kg_buf tmp, text, look;
    /* page 1 */
    size_t title_b0, title_b1; /* title blocks [b0, b1); b1 == 0: none */
    int abstract;              /* 0 not seen, 1 after an "Abstract" heading, 2 done */
    int abstract_open;         /* the abstract may go on (more paragraphs) */
    int abstract_words;
    float abstract_size;
    int toc; /* inside a table of contents */
    /* bibliography */
    int ref_style; /* 0 unknown, 1 "[n]", 2 "n.", 3 "(n)", 4 unlabelled */
    int ref_open;
    int ref_section_due; /* announce "References" before the next entry */
};

void kg_zone_letters(const char *s, size_t n, kg_buf *out);
void kg_zone_add(kg_zone_units *out, uint32_t l0, uint32_t n, int kind, int cont, int level,
                 int section);
void kg_zone_entries(kg_zoner *z, const kg_pdf_page *p, uint32_t l0, uint32_t l1,
                     kg_zone_units *out);

/* pdf_classify.c */
void kg_zone_find_title(kg_zoner *z, const kg_pdf_page *p);
void kg_zone_classify(kg_zoner *z, const kg_pdf_page *p, size_t block, uint32_t l0, uint32_t l1,
                      kg_zone_units *out);

#endif
