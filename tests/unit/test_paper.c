/* Unit tests for paper/: reference entries in the common styles, names,
 * the builder on sink calls (header, sections, references, citations,
 * acronyms), plain text and Markdown, the caps on memory, the JSON shape,
 * and the fixture PDFs of tests/data/papers (made by make_fixtures.py). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "paper/paper.h"
#include "paper/paper_json.h"
#include "text/load.h"
#include "testutil.h"

static void parse(const char *s, kg_ref *r)
{
    kg_ref_parse(s, strlen(s), r);
}

static void test_refs_numbered_and_physics(void **st)
{
    (void)st;
    kg_ref r;
    parse("[1] C.-Y. Lu et al., Phys. Rev. B 81, 035332 (2010)", &r);
    assert_int_equal(r.number, 1);
    assert_int_equal(r.nauthors, 1);
    assert_string_equal(r.authors[0], "C.-Y. Lu");
    assert_true(r.et_al);
    assert_null(r.title);
    assert_string_equal(r.venue, "Phys. Rev. B");
    assert_string_equal(r.volume, "81");
    assert_string_equal(r.pages, "035332");
    assert_int_equal(r.year, 2010);
    kg_ref_clear(&r);
    parse("[1] Perlmutter S et al , 1997 Astrophys. J. 483 565 [SPIRES]", &r);
    assert_string_equal(r.authors[0], "Perlmutter S");
    assert_true(r.et_al);
    assert_int_equal(r.year, 1997);
    assert_string_equal(r.venue, "Astrophys. J.");
    assert_string_equal(r.volume, "483");
    assert_string_equal(r.pages, "565");
    kg_ref_clear(&r);
    parse("[1] Hu W., Barkana, R., & Gruzinov A. Phys. Rev. Lett. 85, 1158 - 1161 (2000), "
          "[astro-ph/0003365].",
          &r);
    assert_int_equal(r.nauthors, 3);
    assert_string_equal(r.authors[1], "R. Barkana");
    assert_string_equal(r.arxiv, "astro-ph/0003365");
    assert_int_equal(r.year, 2000);
    assert_string_equal(r.venue, "Phys. Rev. Lett.");
    kg_ref_clear(&r);
    parse("[13] Kolb E W, Marra V and Matarrese S, 2008 arXiv:0807.0401", &r);
    assert_string_equal(r.arxiv, "0807.0401");
    assert_int_equal(r.nauthors, 3);
    assert_null(r.venue); /* not "arXiv:0807.0401" */
    kg_ref_clear(&r);
}

/* An arXiv identifier is never (part of) the venue; a DOI keeps its
 * parentheses and is rejoined where a line break split it, and only there. */
static void test_refs_arxiv_not_venue_and_dois(void **st)
{
    (void)st;
    kg_ref r;
    parse("[4] A. Writer, Some long title here, Phys. Rev. D, arXiv:astro-ph/0003365.", &r);
    assert_string_equal(r.arxiv, "astro-ph/0003365");
    assert_string_equal(r.venue, "Phys. Rev. D");
    kg_ref_clear(&r);
    parse("[5] A. Writer, B. Reader. Deep reading of pages. arXiv preprint arXiv:1501.00001v2, "
          "2015.",
          &r);
    assert_string_equal(r.arxiv, "1501.00001v2");
    assert_null(r.venue);
    assert_string_equal(r.title, "Deep reading of pages");
    kg_ref_clear(&r);
    parse("[6] A. Writer, Title of it, J. Some. 3 (2001) 1-10, [gr-qc/0104093].", &r);
    assert_string_equal(r.venue, "J. Some.");
    kg_ref_clear(&r);
    /* split after "/" and after "-" by a line break; a ")" then a year is
     * the entry's year, not the DOI's */
    parse("[7] A. Writer, Title, J. X. 1 (2001) 1-2, doi:10.1016/ j.patcog.2019.01.001.", &r);
    assert_string_equal(r.doi, "10.1016/j.patcog.2019.01.001");
    kg_ref_clear(&r);
    parse("[8] A. Writer, Title, J. X. 1 (2001) 1-2, doi:10.1109/ICDAR- 2001.953712.", &r);
    assert_string_equal(r.doi, "10.1109/ICDAR-2001.953712");
    kg_ref_clear(&r);
    parse("[9] A. Writer, Title, J. X. (doi:10.1000/abc(12)) 2001.", &r);
    assert_string_equal(r.doi, "10.1000/abc(12)");
    kg_ref_clear(&r);
    parse("[10] A. Writer, Title, doi:10.1000/xyz. In: Proc. Y, 2001.", &r);
    assert_string_equal(r.doi, "10.1000/xyz");
    kg_ref_clear(&r);
}

/* kg_ref_parse reads s[0, n) and nothing past it (found by fuzz_paper: an
 * author list ending in "an" was compared with "and " past its end, and an
 * ACM-style list ending at an author with " et al" and ", and ", and a
 * venue ending two bytes after a comma with "vol" and "pp").  The
 * entries sit at the very end of a block of their exact size, so the
 * sanitizer build sees any read past them. */
static void test_refs_read_only_their_bytes(void **st)
{
    (void)st;
    const char *entries[] = {"A. Aho, R. Sethi, an",
                             "Bates DM, DebRoy S &",
                             "X Y, Z an",
                             "Gal, A. and",
                             "[1] K. Lu et al",
                             "A. Aho, R. Sethi",
                             "A. Aho",
                             "J. Smith and K",
                             "Smith, J. (2018). T. In Proc, 1v",
                             "Smith, J. (2018). T. Venue (1p",
                             "A. Aho, arXiv: ep"};
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        size_t n = strlen(entries[i]);
        char *b = malloc(n);
        memcpy(b, entries[i], n);
        kg_ref r;
        memset(&r, 0, sizeof r);
        kg_ref_parse(b, n, &r);
        assert_true(r.nauthors >= 1 || r.et_al);
        kg_ref_clear(&r);
        free(b);
    }
}

static void test_refs_author_year(void **st)
{
    (void)st;
    kg_ref r;
    parse("Bates DM, DebRoy S (2003). \xE2\x80\x9C"
          "Converting a Large R Package to S4 Classes and Methods.\xE2\x80\x9D In K Hornik (ed.), "
          "Proceedings of DSC 2003, URL http://www.ci.tuwien.ac.at/Conferences/DSC-2003/.",
          &r);
    assert_int_equal(r.number, 0);
    assert_int_equal(r.nauthors, 2);
    assert_string_equal(r.authors[1], "DebRoy S");
    assert_int_equal(r.year, 2003);
    assert_string_equal(r.title, "Converting a Large R Package to S4 Classes and Methods");
    assert_string_equal(r.url, "http://www.ci.tuwien.ac.at/Conferences/DSC-2003/");
    kg_ref_clear(&r);
    parse("1. Bar-Haim, R., Dagan, I. and Szpektor, I. 2006. The Second PASCAL Recognising "
          "Textual Entailment Challenge. In Proceedings of the Second PASCAL Challenges "
          "Workshop, Venice, Italy.",
          &r);
    assert_int_equal(r.number, 1);
    assert_int_equal(r.nauthors, 3);
    assert_string_equal(r.authors[0], "R. Bar-Haim");
    assert_string_equal(r.authors[2], "I. Szpektor");
    assert_string_equal(r.title, "The Second PASCAL Recognising Textual Entailment Challenge");
    assert_non_null(strstr(r.venue, "Proceedings of the Second PASCAL"));
    kg_ref_clear(&r);
    parse("10.Wang, R. and Neumann, G. 2007a. Recognizing Textual Entailment Using a "
          "Subsequence Kernel Method. In Proc. of AAAI 2007.",
          &r);
    assert_int_equal(r.number, 10);
    assert_int_equal(r.year, 2007);
    assert_int_equal(r.suffix, 'a');
    kg_ref_clear(&r);
    parse("R Development Core Team (2006). R: A Language and Environment for Statistical "
          "Computing. ISBN 3-900051-07-0, URL http: //www.R-project.org/.",
          &r);
    assert_string_equal(r.authors[0], "R Development Core Team");
    assert_string_equal(r.url, "http://www.R-project.org/");
    kg_ref_clear(&r);
}

static void test_refs_ieee_acm_elsevier(void **st)
{
    (void)st;
    kg_ref r;
    parse("[2] K. Akkaya and M. Younis, \xE2\x80\x9C"
          "A survey on routing protocols for wireless sensor networks,\xE2\x80\x9D Ad Hoc "
          "Networks, vol. 3, no. 3, pp. 325-349, 2005, doi:10.1016/j.adhoc.2003.09.010.",
          &r);
    assert_int_equal(r.number, 2);
    assert_int_equal(r.nauthors, 2);
    assert_string_equal(r.authors[1], "M. Younis");
    assert_string_equal(r.title, "A survey on routing protocols for wireless sensor networks");
    assert_string_equal(r.venue, "Ad Hoc Networks");
    assert_string_equal(r.volume, "3");
    assert_string_equal(r.pages, "325-349");
    assert_int_equal(r.year, 2005);
    assert_string_equal(r.doi, "10.1016/j.adhoc.2003.09.010");
    kg_ref_clear(&r);
    parse("[6] A. Aho, R. Sethi, J. Ullman, and M. Lam. Compilers: Principles, techniques, and "
          "tools, 2006.",
          &r);
    assert_int_equal(r.nauthors, 4);
    assert_string_equal(r.authors[3], "M. Lam");
    assert_string_equal(r.title, "Compilers: Principles, techniques, and tools");
    assert_int_equal(r.year, 2006);
    kg_ref_clear(&r);
    parse("[4] F. Cutter, Recursive XY cuts, Pattern Recognit. 27 (1994) 1275-1290.", &r);
    assert_string_equal(r.authors[0], "F. Cutter");
    assert_string_equal(r.title, "Recursive XY cuts");
    assert_string_equal(r.pages, "1275-1290");
    assert_int_equal(r.year, 1994);
    kg_ref_clear(&r);
    parse("", &r);
    assert_int_equal(r.nauthors, 0);
    kg_ref_clear(&r);
}

static void test_surnames(void **st)
{
    (void)st;
    const char *cases[][2] = {
        {"A. Gal", "Gal"},  {"Bates DM", "Bates"}, {"van Stokkum IHM", "van Stokkum"},
        {"Gal, A.", "Gal"}, {"Hu W.", "Hu"},       {"Ivo H. M. van Stokkum", "van Stokkum"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = kg_paper_surname(cases[i][0]);
        assert_string_equal(s, cases[i][1]);
        free(s);
    }
    assert_null(kg_paper_surname("   "));
}

/* ---- the builder on sink calls ------------------------------------------- */

typedef struct feeder {
    kg_load_sink sink;
    uint64_t off;
} feeder;

static void block(feeder *f, kg_block_kind k, int page, int level, const char *text)
{
    kg_block_info b = {0};
    b.kind = k;
    b.page = page;
    b.level = level;
    if (k == KG_BLOCK_FURNITURE) {
        b.text = text;
        b.len = strlen(text);
        f->sink.block(f->sink.ud, &b);
        return;
    }
    if (f->off)
        f->sink.text(f->sink.ud, page, "\n\n", 2);
    f->off += f->off ? 2 : 0;
    f->sink.block(f->sink.ud, &b);
    f->sink.text(f->sink.ud, page, text, strlen(text));
    f->off += strlen(text);
}

static kg_paper *feed_paper(kg_buf *doc)
{
    kg_paper_builder *b = kg_paper_builder_new();
    feeder f = {{0}, 0};
    kg_paper_builder_sink(b, &f.sink);
    /* record the document text through a tee */
    block(&f, KG_BLOCK_FURNITURE, 1, 0, "arXiv:2101.00001v2 [cs.CL] 4 Jan 2021");
    block(&f, KG_BLOCK_TITLE, 1, 0, "Graphs of Papers and Their Citations");
    block(&f, KG_BLOCK_FRONT, 1, 0,
          "Ann Lee\xC2\xB9, Raj Patel\xC2\xB2,\xE2\x80\xA0 and Dr. Mia Chen\xC2\xB9");
    block(&f, KG_BLOCK_FRONT, 1, 0,
          "\xC2\xB9 Department of Physics, University of Testland\nTestville, Testonia\n"
          "\xC2\xB2 Institute of Fixtures, Sample City");
    block(&f, KG_BLOCK_FRONT, 1, 0, "E-mail: ann.lee@testland.edu and mchen@testland.edu");
    block(&f, KG_BLOCK_ABSTRACT, 1, 0,
          "Abstract\xE2\x80\x94We study the Citation Graph (CG) of a corpus.");
    block(&f, KG_BLOCK_FRONT, 1, 0, "Keywords: citation graphs; scholarly documents");
    block(&f, KG_BLOCK_FOOTNOTE, 1, 0, "\xE2\x80\xA0 Electronic address: raj@fixtures.org");
    block(&f, KG_BLOCK_HEADING, 1, 1, "1 Introduction");
    block(&f, KG_BLOCK_BODY, 1, 0,
          "Citation graphs were studied early [1]. Later work [2, 3] used learned models, "
          "as Smith and Doe (2019) did with rules. The Knowledge Graph (KG) came after.");
    block(&f, KG_BLOCK_HEADING, 2, 2, "1.1 Scope");
    block(&f, KG_BLOCK_HEADING, 2, 1, "References");
    block(&f, KG_BLOCK_REFERENCE, 2, 0,
          "[1] A. Early, Citation indexes, Science 122 (1955) 108-111.");
    block(&f, KG_BLOCK_REFERENCE, 2, 0,
          "[2] B. Learner, C. Model, \xE2\x80\x9CLearning to parse,\xE2\x80\x9D in Proc. "
          "JCDL, 2003.");
    block(&f, KG_BLOCK_REFERENCE, 2, 0,
          "[3] Smith, J., Doe, K. 2019. Rules for references. "
          "Journal of Rules, 4, 1-9.");
    kg_load_info info = {0};
    info.meta_title = "ignored when the layout has a title";
    kg_paper *p = kg_paper_builder_finish(b, &info);
    kg_paper_builder_free(b);
    (void)doc;
    return p;
}

static void test_builder_header_and_links(void **st)
{
    (void)st;
    kg_paper *p = feed_paper(NULL);
    assert_string_equal(p->title, "Graphs of Papers and Their Citations");
    assert_string_equal(p->title_from, "layout");
    assert_null(p->header_status);
    assert_int_equal(p->nauthors, 3);
    assert_string_equal(p->authors[2].name, "Mia Chen"); /* no "Dr." */
    assert_int_equal(p->authors[0].naffil, 1);
    assert_string_equal(p->affils[p->authors[0].affil[0]].name,
                        "Department of Physics, University of Testland, Testville, Testonia");
    assert_string_equal(p->affils[p->authors[1].affil[0]].name,
                        "Institute of Fixtures, Sample City");
    assert_string_equal(p->authors[0].email, "ann.lee@testland.edu");
    assert_string_equal(p->authors[2].email, "mchen@testland.edu");
    assert_string_equal(p->authors[1].email, "raj@fixtures.org"); /* by the † footnote */
    assert_string_equal(p->arxiv, "2101.00001v2");
    assert_int_equal(p->year, 2021);
    assert_string_equal(p->abstract, "We study the Citation Graph (CG) of a corpus.");
    assert_int_equal(p->nkeywords, 2);
    assert_string_equal(p->keywords[1], "scholarly documents");
    assert_int_equal(p->nsections, 3);
    assert_string_equal(p->sections[1].number, "1.1");
    assert_string_equal(p->sections[1].title, "Scope");
    assert_int_equal(p->sections[1].level, 2);
    assert_int_equal(p->sections[1].page, 2);
    assert_int_equal(p->nrefs, 3);
    assert_string_equal(p->refs[1].title, "Learning to parse");
    /* [1], [2, 3] and the narrative Smith and Doe (2019) -> entry 3 */
    assert_int_equal(p->ncites, 4);
    assert_int_equal(p->cites[0].ref, 0);
    assert_int_equal(p->cites[1].ref, 1);
    assert_int_equal(p->cites[2].ref, 2);
    assert_int_equal(p->cites[3].ref, 2);
    assert_string_equal(p->cites[3].marker, "Smith and Doe (2019)");
    assert_string_equal(p->cites[0].sentence, "Citation graphs were studied early [1].");
    assert_true(p->cites[0].start > p->cites[0].sent_start);
    assert_int_equal(p->cites[0].end - p->cites[0].start, 3);
    assert_int_equal(p->nacronyms, 2);
    assert_string_equal(p->acronyms[0].short_form, "CG");
    assert_string_equal(p->acronyms[1].long_form, "Knowledge Graph");
    /* JSON: the fields documents --json will carry */
    json_t *o = kg_paper_json(p, KG_PAPER_JSON_CITATIONS);
    assert_string_equal(json_string_value(json_object_get(o, "header")), "found");
    assert_int_equal(json_array_size(json_object_get(o, "authors")), 3);
    json_t *a0 = json_array_get(json_object_get(o, "authors"), 0);
    assert_int_equal(json_array_size(json_object_get(a0, "affiliations")), 1);
    json_t *r0 = json_array_get(json_object_get(o, "references"), 0);
    assert_int_equal(json_integer_value(json_object_get(r0, "cited")), 1);
    assert_int_equal(json_array_size(json_object_get(r0, "span")), 2);
    assert_int_equal(json_array_size(json_object_get(o, "citations")), 4);
    assert_int_equal(json_array_size(json_object_get(o, "acronyms")), 2);
    assert_int_equal(json_integer_value(json_object_get(o, "year")), 2021);
    json_decref(o);
    o = kg_paper_json(p, 0);
    assert_null(json_object_get(o, "citations"));
    json_decref(o);
    kg_paper_free(p);
}

static void test_builder_not_found_and_caps(void **st)
{
    (void)st;
    kg_paper_builder *b = kg_paper_builder_new();
    feeder f = {{0}, 0};
    kg_paper_builder_sink(b, &f.sink);
    block(&f, KG_BLOCK_BODY, 1, 0, "Only prose here, with no header at all.");
    kg_paper *p = kg_paper_builder_finish(b, NULL);
    kg_paper_builder_free(b);
    assert_null(p->title);
    assert_string_equal(p->header_status, "not found: no title or author lines on page 1");
    assert_non_null(strstr(p->refs_status, "not found"));
    kg_paper_free(p);

    /* more entries than the cap: the first are kept, the rest counted */
    b = kg_paper_builder_new();
    memset(&f, 0, sizeof f);
    kg_paper_builder_sink(b, &f.sink);
    block(&f, KG_BLOCK_TITLE, 1, 0, "A Paper With Too Many References");
    for (int i = 1; i <= KG_PAPER_MAX_REFS + 250; i++) {
        char e[96];
        snprintf(e, sizeof e, "[%d] A. Author, Entry number %d, J. Caps 1 (2001) 1-2.", i, i);
        block(&f, KG_BLOCK_REFERENCE, 9, 0, e);
    }
    p = kg_paper_builder_finish(b, NULL);
    kg_paper_builder_free(b);
    assert_int_equal(p->nrefs, KG_PAPER_MAX_REFS);
    assert_int_equal(p->refs_dropped, 250);
    assert_non_null(strstr(p->refs_status, "truncated"));
    assert_int_equal(p->refs[KG_PAPER_MAX_REFS - 1].number, KG_PAPER_MAX_REFS);
    kg_paper_free(p);
}

/* A Markdown bibliography of 30,000 lines with no blank line: parsed as it
 * streams (the stretch never holds it whole), capped. */
static void test_builder_long_plain_bibliography(void **st)
{
    (void)st;
    kg_paper_builder *b = kg_paper_builder_new();
    kg_paper_builder_section(b, "References");
    kg_buf chunk = KG_BUF_INIT;
    for (int i = 1; i <= 30000; i++) {
        kg_buf_printf(&chunk, "%d. Author, A. %d. Title number %d. Venue.\n", i, 1900 + i % 100, i);
        if (chunk.len > 100000 || i == 30000) {
            kg_paper_builder_text(b, 1, chunk.data, chunk.len);
            kg_buf_truncate(&chunk, 0);
        }
    }
    kg_buf_free(&chunk);
    kg_paper *p = kg_paper_builder_finish(b, NULL);
    kg_paper_builder_free(b);
    assert_int_equal(p->nrefs, KG_PAPER_MAX_REFS);
    assert_int_equal(p->refs_dropped, 10000);
    assert_int_equal(p->refs[0].number, 1);
    assert_int_equal(p->refs[19999].number, 20000);
    assert_string_equal(p->refs[41].title, "Title number 42");
    assert_non_null(strstr(p->header_status, "not found"));
    kg_paper_free(p);
}

/* ---- through the loaders --------------------------------------------------- */

static kg_paper *load(const char *path, kg_load_info *info, kg_buf *text)
{
    kg_paper_builder *b = kg_paper_builder_new();
    kg_load_sink sink;
    kg_paper_builder_sink(b, &sink);
    kg_err e;
    int rc = kg_load_file(NULL, path, KG_KIND_UNKNOWN, &sink, info, &e);
    if (rc)
        fail_msg("%s: %s", path, e.msg);
    (void)text;
    kg_paper *p = kg_paper_builder_finish(b, info);
    kg_paper_builder_free(b);
    return p;
}

typedef struct counter {
    int texts, sections, blocks;
} counter;

static int c_text(void *ud, int page, const char *s, size_t len)
{
    (void)page, (void)s, (void)len;
    ((counter *)ud)->texts++;
    return 0;
}

static int c_section(void *ud, const char *t)
{
    (void)t;
    ((counter *)ud)->sections++;
    return 0;
}

static int c_block(void *ud, const kg_block_info *b)
{
    (void)b;
    ((counter *)ud)->blocks++;
    return 0;
}

static void test_markdown_and_tee(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    char *md = tu_join(dir, "p.md");
    tu_write_str(md, "# A Markdown Paper\n\n## 2 Methods\n\nAs Smith et al. (2019) showed, "
                     "Term Frequency (TF) helps [1].\n\n## References\n\n"
                     "- Smith, J., Lee, K., Wu, X. 2019. A study. Journal, 3, 1-10.\n"
                     "- Doe, A. 2020. Another study. Proc. of Tests.\n");
    kg_load_info info;
    kg_paper *p = load(md, &info, NULL);
    assert_string_equal(p->title, "A Markdown Paper");
    assert_string_equal(p->title_from, "loader");
    assert_non_null(strstr(p->header_status, "not a PDF"));
    assert_int_equal(p->nsections, 3);
    assert_string_equal(p->sections[1].number, "2");
    assert_string_equal(p->sections[1].title, "Methods");
    assert_int_equal(p->nrefs, 2);
    assert_int_equal(p->refs[0].nauthors, 3);
    /* "Smith et al. (2019)" linked; "[1]" kept, unlinked: no entry is numbered */
    assert_int_equal(p->ncites, 2);
    assert_int_equal(p->cites[0].ref, -1);
    assert_int_equal(p->cites[1].ref, 0);
    kg_paper_free(p);
    kg_load_info_free(&info);
    /* the tee forwards every call */
    kg_paper_builder *b = kg_paper_builder_new();
    counter c = {0};
    kg_load_sink next = {c_text, c_section, &c, c_block}, sink;
    kg_paper_builder_tee(b, &next, &sink);
    kg_err e;
    assert_int_equal(kg_load_file(NULL, md, KG_KIND_UNKNOWN, &sink, &info, &e), 0);
    assert_true(c.texts > 0);
    assert_int_equal(c.sections, 3);
    p = kg_paper_builder_finish(b, &info);
    kg_paper_builder_free(b);
    kg_paper_free(p);
    kg_load_info_free(&info);
    tu_rmrf(dir);
    free(md);
    free(dir);
}

#define TEXT_BODY                                                                           \
    "\n\nAda Quill and Bo Lind\nDepartment of History, University of Testland\n"            \
    "ada.quill@testland.edu\n\n%sAbstract\n\nWe read the columns of old newspapers, and "   \
    "report what we find.\n\n%s1 Introduction\n\nNewspapers are read column by column, as " \
    "earlier work showed [1].\n\n%s2 Method\n\nEach page is cut at its gutters [2].\n\n"    \
    "%sReferences\n\n[1] B. Early, Columns and their gutters, J. Doc. Anal. 3 (2001) "      \
    "1-10.\n[2] C. Other, A study of gutters, J. Arch. Stud. 3 (2015) 1-9.\n"

/* A paper laid out as plain text or Markdown: title line, author lines,
 * "Abstract", numbered headings, "References" give the header a PDF would;
 * a text that does not look so keeps "not found". */
static void test_text_header(void **st)
{
    (void)st;
    char *dir = tu_tmpdir();
    for (int md = 0; md < 2; md++) {
        char text[2048];
        const char *h = md ? "## " : "";
        int n = snprintf(text, sizeof text, "%sReading Old Newspapers by Their Columns",
                         md ? "# " : "");
        snprintf(text + n, sizeof text - (size_t)n, TEXT_BODY, h, h, h, h);
        char *path = tu_join(dir, md ? "p.md" : "p.txt");
        tu_write_str(path, text);
        kg_load_info info;
        kg_paper *p = load(path, &info, NULL);
        assert_string_equal(p->title, "Reading Old Newspapers by Their Columns");
        assert_string_equal(p->title_from, "text");
        assert_null(p->header_status);
        assert_int_equal(p->nauthors, 2);
        assert_string_equal(p->authors[0].name, "Ada Quill");
        assert_string_equal(p->authors[0].email, "ada.quill@testland.edu");
        assert_int_equal(p->authors[1].naffil, 1);
        assert_string_equal(p->affils[0].name, "Department of History, University of Testland");
        assert_string_equal(p->abstract,
                            "We read the columns of old newspapers, and report what we find.");
        assert_int_equal(p->nrefs, 2);
        assert_int_equal(p->ncites, 2);
        assert_int_equal(p->cites[1].ref, 1);
        /* plain text: its one-line numbered paragraphs are its headings */
        const kg_paper_section *s = &p->sections[md ? 2 : 0];
        assert_int_equal(p->nsections, md ? 5 : 3);
        assert_string_equal(s->number, "1");
        assert_string_equal(s->title, "Introduction");
        kg_paper_free(p);
        kg_load_info_free(&info);
        free(path);
    }
    /* a title line over prose, or a sentence first: no header */
    const char *no[] = {"A Note on Columns\n\nWe read the columns of old newspapers, and report.\n",
                        "We read the columns of old newspapers.\nAda Quill\n\nMore text here.\n"};
    for (int i = 0; i < 2; i++) {
        char *path = tu_join(dir, "n.txt");
        tu_write_str(path, no[i]);
        kg_load_info info;
        kg_paper *p = load(path, &info, NULL);
        assert_int_equal(p->nauthors, 0);
        assert_non_null(strstr(p->header_status, "not found"));
        assert_string_not_equal(p->title_from, "text");
        kg_paper_free(p);
        kg_load_info_free(&info);
        free(path);
    }
    tu_rmrf(dir);
    free(dir);
}

static char *fixture(const char *name)
{
    const char *src = getenv("TEST_SOURCE_DIR");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s/tests/data/papers/%s", src ? src : ".", name);
    return kg_xstrdup(buf);
}

static void test_fixture_pdfs(void **st)
{
    (void)st;
    char *path = fixture("twocol.pdf");
    kg_load_info info;
    kg_paper *p = load(path, &info, NULL);
    assert_string_equal(p->title, "Layout Fixtures for a Careful Reader of Two-Column Scientific "
                                  "Papers");
    assert_string_equal(info.title, p->title); /* not "Microsoft Word - draft.doc" */
    assert_string_equal(info.meta_title, "Microsoft Word - draft.doc");
    assert_int_equal(info.pages, 3);
    assert_int_equal(p->nauthors, 3);
    assert_int_equal(p->nrefs, 6);
    assert_int_equal(p->ncites, 7);
    assert_int_equal(p->nsections, 6);
    assert_int_equal(p->refs[4].year, 2012);
    /* entry 4's DOI runs on at the top of the right column, after its
     * "(94)": the whole SICI DOI, not "10.1016/0031-3203(94" */
    assert_string_equal(p->refs[3].doi, "10.1016/0031-3203(94)90007-D");
    /* entry 5's arXiv id is its arxiv field, not its venue as well */
    assert_string_equal(p->refs[4].arxiv, "1203.4567");
    assert_null(p->refs[4].venue);
    kg_paper_free(p);
    kg_load_info_free(&info);
    free(path);
    path = fixture("authoryear.pdf");
    p = load(path, &info, NULL);
    assert_int_equal(p->nrefs, 6);
    assert_int_equal(p->refs[5].suffix, 'b');
    assert_int_equal(p->ncites, 6);
    kg_paper_free(p);
    kg_load_info_free(&info);
    free(path);
    path = fixture("ieee.pdf");
    p = load(path, &info, NULL);
    assert_int_equal(p->nrefs, 6);
    assert_int_equal(p->nauthors, 2);
    assert_string_equal(p->refs[2].pages, "243-254");
    kg_paper_free(p);
    kg_load_info_free(&info);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refs_numbered_and_physics),
        cmocka_unit_test(test_refs_author_year),
        cmocka_unit_test(test_refs_arxiv_not_venue_and_dois),
        cmocka_unit_test(test_refs_read_only_their_bytes),
        cmocka_unit_test(test_refs_ieee_acm_elsevier),
        cmocka_unit_test(test_surnames),
        cmocka_unit_test(test_builder_header_and_links),
        cmocka_unit_test(test_builder_not_found_and_caps),
        cmocka_unit_test(test_builder_long_plain_bibliography),
        cmocka_unit_test(test_markdown_and_tee),
        cmocka_unit_test(test_text_header),
        cmocka_unit_test(test_fixture_pdfs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
