/* Unit tests for pdf/pdf_layout, pdf_order, pdf_zone, pdf_classify and
 * pdf_reader on synthetic character boxes: every glyph is placed by the
 * test (0.5 em wide, one em high), so the expected lines, reading order and
 * block kinds are known exactly.  Real PDFs are test_paper.c's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "pdf/pdf_layout.h"
#include "pdf/pdf_reader.h"
#include "pdf/pdf_zone.h"
#include "testutil.h"

typedef struct gl {
    kg_glyph *v;
    size_t n, cap;
} gl;

static void gl_free(gl *g)
{
    free(g->v);
    memset(g, 0, sizeof *g);
}

static size_t utf8(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (u[0] < 0xE0) {
        *cp = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
        return 2;
    }
    if (u[0] < 0xF0) {
        *cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
        return 3;
    }
    *cp = ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
    return 4;
}

static void add(gl *g, uint32_t cp, float x0, float y0, float x1, float y1, float size,
                uint8_t flags)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 1024;
        g->v = realloc(g->v, g->cap * sizeof *g->v);
    }
    g->v[g->n++] = (kg_glyph){cp, x0, y0, x1, y1, size, flags};
}

/* Text s from x with its box's top at y, in size sz: returns the x after it. */
static float put(gl *g, const char *s, float x, float y, float sz, uint8_t flags)
{
    uint8_t space = 0;
    while (*s) {
        uint32_t cp;
        s += utf8(s, &cp);
        if (cp == ' ') {
            x += 0.25f * sz;
            space = KG_GLYPH_SPACE;
            continue;
        }
        add(g, cp, x, y, x + 0.5f * sz, y + sz, sz, (uint8_t)(flags | space));
        x += 0.5f * sz;
        space = 0;
    }
    return x;
}

/* Lines at x from y, 12 points apart, in 10-point type. */
static float column(gl *g, float x, float y, const char *const *lines, size_t n, uint8_t flags)
{
    for (size_t i = 0; i < n; i++, y += 12)
        put(g, lines[i], x, y, 10, flags);
    return y;
}

static const char *line_text(const kg_pdf_page *p, size_t i, char *buf, size_t cap)
{
    size_t n = p->lines[i].len < cap - 1 ? p->lines[i].len : cap - 1;
    memcpy(buf, kg_pdf_line_text(p, i), n);
    buf[n] = '\0';
    return buf;
}

static long find_line(const kg_pdf_page *p, const char *start)
{
    char b[512];
    for (size_t i = 0; i < p->nlines; i++)
        if (strncmp(line_text(p, i, b, sizeof b), start, strlen(start)) == 0)
            return (long)i;
    return -1;
}

/* ---- layout ------------------------------------------------------------- */

static const char *const LEFT[] = {
    "alpha one of the left column goes", "alpha two of the left column goes",
    "alpha three of the left column",    "",
    "alpha four after a gap in both",    "alpha five of the left column goes",
    "alpha six of the left column ends"};
static const char *const RIGHT[] = {
    "beta one of the right column goes", "beta two of the right column goes",
    "beta three of the right column",    "",
    "beta four after the same gap",      "beta five of the right column goes",
    "beta six of the right column ends"};

static void test_two_columns_aligned_gaps(void **st)
{
    (void)st;
    gl g = {0};
    put(&g, "A Title That Spans Both Columns of the Page", 120, 60, 18, KG_GLYPH_BOLD);
    column(&g, 54, 120, LEFT, 7, 0);
    column(&g, 318, 120, RIGHT, 7, 0);
    kg_pdf_page p;
    kg_pdf_page_init(&p);
    kg_pdf_layout(&p, g.v, g.n, 612, 792);
    assert_int_equal(p.nlines, 13);
    char b[512];
    assert_string_equal(line_text(&p, 0, b, sizeof b),
                        "A Title That Spans Both Columns of the Page");
    /* every left line before every right line, even across the shared gap */
    long l6 = find_line(&p, "alpha six"), r1 = find_line(&p, "beta one");
    assert_true(l6 > 0 && r1 > 0 && l6 < r1);
    assert_true(find_line(&p, "alpha four") < find_line(&p, "alpha five"));
    assert_int_not_equal(p.lines[l6].region, p.lines[r1].region);
    assert_float_equal(p.body_size, 10, 0.01);
    /* blocks: the title; two paragraphs per column (the gap splits them) */
    assert_int_equal(p.nblocks, 5);
    assert_int_equal(p.blocks[0].flags & KG_LINE_BOLD, KG_LINE_BOLD);
    assert_int_equal(p.blocks[1].nlines, 3);
    kg_pdf_page_free(&p);
    gl_free(&g);
}

static void test_names_side_by_side_and_close_pieces(void **st)
{
    (void)st;
    gl g = {0};
    put(&g, "Usama Ahmed", 120, 100, 10, 0);
    put(&g, "Faisal Bashir Hussain", 380, 100, 10, 0);
    put(&g, "Dept One", 120, 112, 9, 0);
    put(&g, "Dept Two", 380, 112, 9, 0);
    /* a heading number and its title a little apart: one row, one block */
    put(&g, "II.", 140, 200, 10, 0);
    put(&g, "RELATED WORK", 158, 200, 10, 0);
    put(&g, "text under the heading that runs across the whole page to the edge of it now", 54, 214,
        10, 0);
    kg_pdf_page p;
    kg_pdf_page_init(&p);
    kg_pdf_layout(&p, g.v, g.n, 612, 792);
    long a = find_line(&p, "Usama"), d1 = find_line(&p, "Dept One"), f = find_line(&p, "Faisal");
    assert_true(a >= 0 && d1 == a + 1 && f == d1 + 1);
    assert_int_not_equal(p.lines[a].region, p.lines[f].region);
    char b[512];
    long h = find_line(&p, "II.");
    assert_string_equal(line_text(&p, h, b, sizeof b), "II. RELATED WORK");
    assert_int_not_equal(p.lines[h].region, p.lines[a].region);
    kg_pdf_page_free(&p);
    gl_free(&g);
}

static void test_superscripts_ligatures_vertical(void **st)
{
    (void)st;
    gl g = {0};
    float x = put(&g, "Krzysztof Bolejko", 100, 100, 14, KG_GLYPH_BOLD);
    x = put(&g, "1,2", x, 97, 9, 0);
    x = put(&g, " and Lars Andersson", x, 100, 14, KG_GLYPH_BOLD);
    put(&g, "∗", x, 97, 9, 0);
    /* "ﬁnd" with a ligature, "Lemaı̂tre" with a dotless i under a circumflex,
     * an exponent "10⁻²²" and a subscript "H₀" */
    x = put(&g, "we \xEF\xAC\x81nd Lema\xC4\xB1\xCC\x82tre at 10", 100, 140, 10, 0);
    x = put(&g, "-22", x, 137, 6, 0);
    x = put(&g, " eV and H", x, 140, 10, 0);
    put(&g, "0", x, 144, 6, 0);
    /* a rotated margin stamp: glyphs stacked downwards */
    const char *stamp = "arXiv:0908.0054";
    for (size_t i = 0; stamp[i]; i++)
        add(&g, (unsigned char)stamp[i], 20, 200 + 12.0f * i, 40, 212 + 12.0f * i, 20, 0);
    kg_pdf_page p;
    kg_pdf_page_init(&p);
    kg_pdf_layout(&p, g.v, g.n, 612, 792);
    char b[512];
    long a = find_line(&p, "Krzysztof");
    assert_true(a >= 0);
    assert_string_equal(line_text(&p, a, b, sizeof b),
                        "Krzysztof Bolejko\xC2\xB9,\xC2\xB2 and Lars Andersson\xE2\x88\x97");
    long w = find_line(&p, "we ");
    assert_string_equal(line_text(&p, w, b, sizeof b),
                        "we find Lemai\xCC\x82tre at 10\xE2\x81\xBB\xC2\xB2\xC2\xB2 eV and "
                        "H\xE2\x82\x80");
    long v = find_line(&p, "arXiv");
    assert_true(v >= 0);
    assert_true(p.lines[v].flags & KG_LINE_VERTICAL);
    assert_string_equal(line_text(&p, v, b, sizeof b), "arXiv:0908.0054");
    kg_pdf_page_free(&p);
    gl_free(&g);
}

static void test_drop_cap_and_stretched_line(void **st)
{
    (void)st;
    gl g = {0};
    /* a drop cap spanning two lines joins neither */
    add(&g, 'J', 60, 90, 85, 145, 60, 0);
    put(&g, "ournal of Cosmology and Astroparticle Physics", 86, 100, 21, 0);
    put(&g, "An IOP and SISSA journal", 78, 124, 9, KG_GLYPH_BOLD);
    /* a justified paragraph whose last lines are stretched: still one column */
    column(&g, 54, 300,
           (const char *const[]){"the first line of the paragraph reaches the edge",
                                 "the second line of the paragraph is full too"},
           2, 0);
    put(&g, "effectiveness,", 54, 324, 10, 0);
    put(&g, "and", 140, 324, 10, 0);
    put(&g, "efficiency", 190, 324, 10, 0);
    put(&g, "yielding", 260, 324, 10, 0);
    put(&g, "promising results.", 54, 336, 10, 0);
    kg_pdf_page p;
    kg_pdf_page_init(&p);
    kg_pdf_layout(&p, g.v, g.n, 612, 792);
    assert_true(find_line(&p, "Journal of Cosmology") >= 0);
    assert_true(find_line(&p, "An IOP") >= 0);
    long e = find_line(&p, "effectiveness"), y = find_line(&p, "yielding");
    assert_int_equal(p.lines[e].region, p.lines[y].region);
    assert_int_equal(p.lines[e].region, p.lines[find_line(&p, "promising")].region);
    kg_pdf_page_free(&p);
    gl_free(&g);
}

static void test_blocks_and_big_pages(void **st)
{
    (void)st;
    gl g = {0};
    put(&g, "1 Introduction", 54, 100, 12, KG_GLYPH_BOLD);
    put(&g, "an indented first line of a paragraph that", 66, 118, 10, 0);
    put(&g, "runs on to the edge of the column and stops.", 54, 130, 10, 0);
    put(&g, "another paragraph starts indented after it", 66, 142, 10, 0);
    put(&g, "and runs on to the edge of the column here.", 54, 154, 10, 0);
    put(&g, "Figure 1: a caption right under the text", 54, 166, 10, 0);
    kg_pdf_page p;
    kg_pdf_page_init(&p);
    kg_pdf_layout(&p, g.v, g.n, 612, 792);
    assert_int_equal(p.nblocks, 4); /* heading, two paragraphs, caption */
    assert_int_equal(p.blocks[1].nlines, 2);
    /* an empty page, then a page of 4,000 short lines (read row by row) */
    kg_pdf_layout(&p, NULL, 0, 612, 792);
    assert_int_equal(p.nlines, 0);
    assert_int_equal(p.nblocks, 0);
    gl_free(&g);
    for (int i = 0; i < 4000; i++) {
        char s[16];
        snprintf(s, sizeof s, "%d", i);
        put(&g, s, 10 + 30.0f * (i % 20), 10 + 3.0f * (i / 20), 2, 0);
    }
    kg_pdf_layout(&p, g.v, g.n, 612, 792);
    assert_int_equal(p.nlines, 4000);
    char b[32];
    assert_string_equal(line_text(&p, 0, b, sizeof b), "0");
    kg_pdf_page_free(&p);
    gl_free(&g);
}

/* ---- the reader: pages in, sink calls out --------------------------------- */

#define MAXB 256

typedef struct got {
    kg_buf text, sections, furniture;
    kg_block_info b[MAXB];
    size_t off[MAXB];
    int nb;
    int last_page, pages_ok;
    int calls, stop_after;
} got;

static int on_text(void *ud, int page, const char *s, size_t len)
{
    got *x = ud;
    if (page < x->last_page)
        x->pages_ok = 0;
    x->last_page = page;
    kg_buf_append(&x->text, s, len);
    return x->stop_after && ++x->calls >= x->stop_after;
}

static int on_section(void *ud, const char *title)
{
    got *x = ud;
    kg_buf_printf(&x->sections, "%s|", title);
    return 0;
}

static int on_block(void *ud, const kg_block_info *b)
{
    got *x = ud;
    if (b->kind == KG_BLOCK_FURNITURE) {
        kg_buf_append(&x->furniture, b->text, b->len);
        kg_buf_putc(&x->furniture, '|');
        return 0;
    }
    if (x->nb < MAXB) {
        x->b[x->nb] = *b;
        x->off[x->nb++] = x->text.len;
    }
    return 0;
}

static void got_free(got *x)
{
    kg_buf_free(&x->text);
    kg_buf_free(&x->sections);
    kg_buf_free(&x->furniture);
}

/* The text of block k (trimmed) into buf. */
static const char *block_text(const got *x, int k, char *buf, size_t cap)
{
    size_t a = x->off[k], e = k + 1 < x->nb ? x->off[k + 1] : x->text.len;
    while (e > a && (x->text.data[e - 1] == '\n' || x->text.data[e - 1] == ' '))
        e--;
    size_t n = e - a < cap - 1 ? e - a : cap - 1;
    memcpy(buf, x->text.data + a, n);
    buf[n] = '\0';
    return buf;
}

static int kind_count(const got *x, kg_block_kind k)
{
    int n = 0;
    for (int i = 0; i < x->nb; i++)
        n += x->b[i].kind == k;
    return n;
}

static int find_block(const got *x, kg_block_kind k, const char *start, char *buf, size_t cap)
{
    for (int i = 0; i < x->nb; i++)
        if (x->b[i].kind == k && strncmp(block_text(x, i, buf, cap), start, strlen(start)) == 0)
            return i;
    return -1;
}

/* Running header and page number on every page. */
static void furniture(gl *g, int page)
{
    put(g, "Journal of Synthetic Tests 7 (2026)", 54, 30, 8, 0);
    char n[8];
    snprintf(n, sizeof n, "%d", page);
    put(g, n, 300, 760, 9, 0);
}

static void page1(gl *g)
{
    furniture(g, 1);
    put(g, "Reading Synthetic Pages by Their Layout", 100, 70, 18, KG_GLYPH_BOLD);
    float x = put(g, "Ann Lee", 200, 100, 12, 0);
    x = put(g, "1", x, 97, 7, 0);
    x = put(g, " and Raj Patel", x, 100, 12, 0);
    put(g, "2", x, 97, 7, 0);
    x = put(g, "1", 150, 117, 6, 0);
    put(g, "Department of Physics, University of Testland", x + 3, 120, 9, 0);
    x = put(g, "2", 150, 129, 6, 0);
    put(g, "Institute of Fixtures, Sample City", x + 3, 132, 9, 0);
    put(g, "Abstract", 54, 160, 11, KG_GLYPH_BOLD);
    column(g, 54, 176,
           (const char *const[]){"We read pages made of boxes and check that every part of",
                                 "them comes out where it belongs, in the order a person",
                                 "reads it, with nothing made up along the way at all."},
           3, 0);
    put(g, "1 Introduction", 54, 230, 11, KG_GLYPH_BOLD);
    column(g, 54, 248,
           (const char *const[]){"  The knowl-", "edge of a page is in its layout [1], and the",
                                 "sentence that starts here goes on"},
           3, 0);
    put(g, "Figure 1: A caption between the halves.", 318, 248, 9, 0);
    column(g, 318, 266,
           (const char *const[]){"and ends in the right column [2, 3].", "x = y + z (3)"}, 2, 0);
    g->v[g->n - 13].flags |= KG_GLYPH_MATH; /* the formula's letters are math */
    put(g, "a footnote in small type at the foot of the page", 54, 700, 7, 0);
}

static void page2(gl *g)
{
    furniture(g, 2);
    put(g, "2 Methods", 54, 60, 11, KG_GLYPH_BOLD);
    column(g, 54, 78,
           (const char *const[]){"The method is described here in plain words, as",
                                 "the layout of this page is plain too."},
           2, 0);
    put(g, "References", 54, 120, 11, KG_GLYPH_BOLD);
    column(g, 54, 138,
           (const char *const[]){"[1] A. Author, A first entry, J. Tests 1 (2001) 1-2.",
                                 "[2] B. Writer, C. Coauthor, A second entry that",
                                 "continues on a second line, 2002."},
           3, 0);
    /* entry 3 breaks across the columns */
    put(g, "[3] D. Parser, The third entry starts here and", 54, 180, 10, 0);
    column(g, 318, 138,
           (const char *const[]){"ends at the top of the right column, 2003.",
                                 "[4] E. Last, The fourth entry, 2004."},
           2, 0);
}

static void page3(gl *g)
{
    furniture(g, 3);
    put(g, "Appendix A. More", 54, 60, 11, KG_GLYPH_BOLD);
    put(g, "An appendix paragraph after the bibliography.", 54, 78, 10, 0);
}

static int read_doc(got *x, int stop_after)
{
    memset(x, 0, sizeof *x);
    x->pages_ok = 1;
    x->stop_after = stop_after;
    kg_load_sink sink = {on_text, on_section, x, on_block};
    kg_pdf_reader *r = kg_pdf_reader_new(&sink, "synthetic.pdf", "Microsoft Word - x.doc");
    kg_err e;
    int rc = 0;
    void (*pages[])(gl *) = {page1, page2, page3};
    for (int i = 0; i < 3 && !rc; i++) {
        gl g = {0};
        pages[i](&g);
        rc = kg_pdf_reader_page(r, g.v, g.n, 612, 792, &e);
        gl_free(&g);
    }
    if (!rc)
        rc = kg_pdf_reader_finish(r, &e);
    if (!rc && kg_pdf_reader_title(r))
        kg_buf_printf(&x->furniture, "TITLE=%s|", kg_pdf_reader_title(r));
    kg_pdf_reader_free(r);
    return rc;
}

static void test_reader_document(void **st)
{
    (void)st;
    got x;
    assert_int_equal(read_doc(&x, 0), 0);
    const char *t = kg_buf_str(&x.text);
    char b[1024];
    assert_true(x.pages_ok);
    /* furniture: reported, not in the text */
    assert_null(strstr(t, "Journal of Synthetic"));
    assert_non_null(strstr(kg_buf_str(&x.furniture), "Journal of Synthetic Tests 7 (2026)|"));
    assert_non_null(strstr(kg_buf_str(&x.furniture), "|2|"));
    assert_non_null(
        strstr(kg_buf_str(&x.furniture), "TITLE=Reading Synthetic Pages by Their Layout|"));
    /* front matter */
    assert_true(find_block(&x, KG_BLOCK_TITLE, "Reading Synthetic Pages", b, sizeof b) >= 0);
    int au = find_block(&x, KG_BLOCK_FRONT, "Ann Lee", b, sizeof b);
    assert_true(au >= 0);
    assert_string_equal(b, "Ann Lee\xC2\xB9 and Raj Patel\xC2\xB2");
    int af = find_block(&x, KG_BLOCK_FRONT, "\xC2\xB9 Department", b, sizeof b);
    assert_true(af >= 0);
    assert_non_null(strstr(b, "\n\xC2\xB2 Institute")); /* front lines stay lines */
    assert_true(find_block(&x, KG_BLOCK_ABSTRACT, "We read pages", b, sizeof b) >= 0);
    /* headings are sections, numbered, with a level */
    assert_string_equal(kg_buf_str(&x.sections),
                        "Abstract|1 Introduction|2 Methods|References|Appendix A. More|");
    int h = find_block(&x, KG_BLOCK_HEADING, "2 Methods", b, sizeof b);
    assert_true(h >= 0);
    assert_int_equal(x.b[h].level, 1);
    /* dehyphenated; the paragraph joined across the columns, the caption after it */
    int p = find_block(&x, KG_BLOCK_BODY, "The knowledge of a page", b, sizeof b);
    assert_true(p >= 0);
    assert_string_equal(b, "The knowledge of a page is in its layout [1], and the sentence that "
                           "starts here goes on and ends in the right column [2, 3].");
    assert_int_equal(x.b[p + 1].kind, KG_BLOCK_CAPTION);
    assert_true(find_block(&x, KG_BLOCK_EQUATION, "x = y + z", b, sizeof b) >= 0);
    assert_true(find_block(&x, KG_BLOCK_FOOTNOTE, "a footnote", b, sizeof b) >= 0);
    /* the bibliography: four entries, the third whole across the columns */
    assert_int_equal(kind_count(&x, KG_BLOCK_REFERENCE), 4);
    int r3 = find_block(&x, KG_BLOCK_REFERENCE, "[3]", b, sizeof b);
    assert_string_equal(b, "[3] D. Parser, The third entry starts here and ends at the top of "
                           "the right column, 2003.");
    assert_int_equal(x.b[r3].page, 2);
    assert_true(find_block(&x, KG_BLOCK_BODY, "An appendix paragraph", b, sizeof b) >= 0);
    /* prose kinds */
    assert_true(kg_block_kind_is_prose(KG_BLOCK_BODY));
    assert_false(kg_block_kind_is_prose(KG_BLOCK_REFERENCE));
    assert_string_equal(kg_block_kind_name(KG_BLOCK_EQUATION), "equation");
    assert_string_equal(kg_block_kind_name((kg_block_kind)99), "unknown");
    got_free(&x);
    /* a sink that stops: cancelled */
    assert_int_equal(read_doc(&x, 3), KG_ECANCELED);
    got_free(&x);
}

static void test_zone_helpers(void **st)
{
    (void)st;
    int style = 0, num = 0, depth = 0;
    assert_int_equal(kg_zone_ref_label("[12] Smith", 10, &style, &num), 5);
    assert_int_equal(style, 1);
    assert_int_equal(num, 12);
    assert_int_equal(kg_zone_ref_label("10.Wang, R.", 11, &style, &num), 3);
    assert_int_equal(style, 2);
    assert_int_equal(kg_zone_ref_label("(3) Doe", 7, &style, &num), 4);
    assert_int_equal(style, 3);
    assert_int_equal(kg_zone_ref_label("3.5 mm", 6, &style, &num), 0);
    assert_int_equal(kg_zone_ref_label("[a] x", 5, &style, &num), 0);
    assert_int_equal(kg_zone_heading_number("2.1 Data", 8, &depth), 4);
    assert_int_equal(depth, 2);
    assert_int_equal(kg_zone_heading_number("IV. RESULTS", 11, &depth), 4);
    assert_int_equal(depth, 1);
    assert_int_equal(kg_zone_heading_number("A. Proofs", 9, &depth), 3);
    assert_int_equal(depth, 2);
    assert_int_equal(kg_zone_heading_number("2006 was", 8, &depth), 0);
    assert_int_equal(kg_zone_heading_number("Plain", 5, &depth), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_columns_aligned_gaps),
        cmocka_unit_test(test_names_side_by_side_and_close_pieces),
        cmocka_unit_test(test_superscripts_ligatures_vertical),
        cmocka_unit_test(test_drop_cap_and_stretched_line),
        cmocka_unit_test(test_blocks_and_big_pages),
        cmocka_unit_test(test_reader_document),
        cmocka_unit_test(test_zone_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
