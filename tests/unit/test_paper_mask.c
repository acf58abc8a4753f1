/* Unit tests for paper/paper_mask: what the recogniser is not given to read
 * (bibliography entries, formulas, tables, a text document's References
 * section, in-text citations with the names of a narrative one), blanked
 * byte for byte so that offsets stay those of the chunk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "paper/paper_mask.h"

static void block(kg_paper_mask *m, kg_block_kind k)
{
    kg_block_info b = {0};
    b.kind = k;
    kg_paper_mask_block(m, &b);
}

/* Feed s as the document's next text. */
static void text(kg_paper_mask *m, kg_buf *doc, const char *s)
{
    kg_buf_puts(doc, s);
    kg_paper_mask_text(m, strlen(s));
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\n')
            return 0;
    return 1;
}

static void test_blocks(void **st)
{
    (void)st;
    kg_paper_mask *m = kg_paper_mask_new();
    kg_buf doc = KG_BUF_INIT;
    block(m, KG_BLOCK_BODY);
    text(m, &doc, "Body text about Paris.\n\n");
    size_t r0 = doc.len;
    block(m, KG_BLOCK_REFERENCE);
    text(m, &doc, "[1] D. Estrin, Title, IEEE, 2001.\n\n");
    kg_block_info f = {0};
    f.kind = KG_BLOCK_FURNITURE; /* a side note: the entry goes on */
    f.text = "12";
    f.len = 2;
    kg_paper_mask_block(m, &f);
    text(m, &doc, "[2] M. Zaleski, Other, ACM, 2002.\n\n");
    size_t r1 = doc.len;
    block(m, KG_BLOCK_EQUATION);
    text(m, &doc, "E = mc2\n\n");
    size_t r2 = doc.len;
    block(m, KG_BLOCK_BODY);
    text(m, &doc, "More body about Berlin.");
    const char *t = kg_paper_mask_apply(m, doc.data, doc.len, 0);
    assert_ptr_not_equal(t, doc.data);
    assert_memory_equal(t, doc.data, r0); /* the body is untouched */
    assert_true(blank(t + r0, r2 - r0));  /* entries and the formula blanked */
    assert_memory_equal(t + r2, doc.data + r2, doc.len - r2);
    assert_int_equal(t[r1 - 1], '\n'); /* line breaks kept */
    /* a later chunk with nothing hidden is given back as it is; the
     * spans behind it are forgotten */
    t = kg_paper_mask_apply(m, doc.data + r2, doc.len - r2, r2);
    assert_ptr_equal(t, doc.data + r2);
    /* a chunk starting inside the entries: blanked from its start */
    t = kg_paper_mask_apply(m, doc.data + r0 + 4, 10, r0 + 4);
    assert_ptr_equal(t, doc.data + r0 + 4); /* forgotten: chunks come in order */
    kg_buf_free(&doc);
    kg_paper_mask_free(m);
    assert_true(kg_paper_mask_hides(KG_BLOCK_TABLE));
    assert_false(kg_paper_mask_hides(KG_BLOCK_CAPTION));
    assert_false(kg_paper_mask_hides(KG_BLOCK_FRONT));
    kg_paper_mask_free(NULL);
}

static void test_chunks_in_order(void **st)
{
    (void)st;
    kg_paper_mask *m = kg_paper_mask_new();
    kg_buf doc = KG_BUF_INIT;
    block(m, KG_BLOCK_BODY);
    text(m, &doc, "Plain words here. ");
    size_t r0 = doc.len;
    block(m, KG_BLOCK_TABLE);
    text(m, &doc, "Alpha Beta Gamma");
    /* the table is still open: a chunk overlapping it is blanked up to its end */
    const char *t = kg_paper_mask_apply(m, doc.data + 6, doc.len - 6, 6);
    assert_memory_equal(t, doc.data + 6, r0 - 6);
    assert_true(blank(t + r0 - 6, doc.len - r0));
    size_t r1 = doc.len;
    block(m, KG_BLOCK_BODY); /* a hidden block of no text leaves no span */
    block(m, KG_BLOCK_TABLE);
    block(m, KG_BLOCK_ABSTRACT);
    text(m, &doc, " Delta words.");
    t = kg_paper_mask_apply(m, doc.data + r0, doc.len - r0, r0);
    assert_true(blank(t, r1 - r0));
    assert_memory_equal(t + (r1 - r0), doc.data + r1, doc.len - r1);
    kg_buf_free(&doc);
    kg_paper_mask_free(m);
}

static void test_text_references_section(void **st)
{
    (void)st;
    kg_paper_mask *m = kg_paper_mask_new();
    kg_buf doc = KG_BUF_INIT;
    kg_paper_mask_section(m, "Introduction");
    text(m, &doc, "Intro text.\n\n");
    size_t r0 = doc.len;
    kg_paper_mask_section(m, "References");
    text(m, &doc, "Golub G, Pereyra V (2003). Separable problems.\n\n");
    size_t r1 = doc.len;
    kg_paper_mask_section(m, "Appendix");
    text(m, &doc, "Appendix text.");
    const char *t = kg_paper_mask_apply(m, doc.data, doc.len, 0);
    assert_memory_equal(t, doc.data, r0);
    assert_true(blank(t + r0, r1 - r0));
    assert_memory_equal(t + r1, doc.data + r1, doc.len - r1);
    kg_buf_free(&doc);
    kg_paper_mask_free(m);
    /* with layout, blocks decide, not section names */
    m = kg_paper_mask_new();
    block(m, KG_BLOCK_HEADING);
    kg_paper_mask_section(m, "References");
    kg_paper_mask_text(m, 11);
    block(m, KG_BLOCK_BODY);
    t = kg_paper_mask_apply(m, "References\n", 11, 0);
    assert_string_equal(t, "References\n");
    kg_paper_mask_free(m);
}

/* The licence after a Project Gutenberg eBook (text/load.h) is hidden
 * from the recogniser, with or without layout, to the end. */
static void test_gutenberg_licence(void **st)
{
    (void)st;
    for (int layout = 0; layout < 2; layout++) {
        kg_paper_mask *m = kg_paper_mask_new();
        kg_buf doc = KG_BUF_INIT;
        if (layout)
            block(m, KG_BLOCK_BODY);
        text(m, &doc, "Marley was dead.\n\n");
        size_t r0 = doc.len;
        kg_paper_mask_section(m, KG_LOAD_LICENCE_SECTION);
        text(m, &doc, "*** END OF THE PROJECT GUTENBERG EBOOK ***\n\nThe Foundation, Mississippi.");
        const char *t = kg_paper_mask_apply(m, doc.data, doc.len, 0);
        assert_memory_equal(t, doc.data, r0);
        assert_true(blank(t + r0, doc.len - r0));
        kg_buf_free(&doc);
        kg_paper_mask_free(m);
    }
}

static void test_citations(void **st)
{
    (void)st;
    kg_paper_mask *m = kg_paper_mask_new();
    const char *s = "As Istratov and Vyvenko (1999) review, models by Paranjape and Singh [20], "
                    "Kai et al [21], Kolb, Marra and Matarrese [13] and van Elst and Ellis [12] "
                    "agree (Smith et al., 2019); Smith [3] does not.";
    kg_paper_mask_text(m, strlen(s));
    const char *t = kg_paper_mask_apply(m, s, strlen(s), 0);
    assert_ptr_not_equal(t, s);
    assert_int_equal(strlen(t), strlen(s));
    const char *gone[] = {"Istratov and Vyvenko (1999)",
                          "Paranjape and Singh [20]",
                          "Kai et al [21]",
                          "Kolb, Marra and Matarrese [13]",
                          "van Elst and Ellis [12]",
                          "Smith et al., 2019",
                          "[3]"};
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++) {
        const char *at = strstr(s, gone[i]);
        assert_non_null(at);
        assert_true(blank(t + (at - s), strlen(gone[i])));
    }
    /* what is not a citation stays, and one name before a number is a name */
    const char *kept[] = {"As ", " review, models by ", "agree (", "); Smith ", "does not."};
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
        const char *at = strstr(s, kept[i]);
        assert_memory_equal(t + (at - s), kept[i], strlen(kept[i]));
    }
    kg_paper_mask_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_chunks_in_order),
        cmocka_unit_test(test_text_references_section),
        cmocka_unit_test(test_gutenberg_licence),
        cmocka_unit_test(test_citations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
