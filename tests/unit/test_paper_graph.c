/* Unit tests for a paper in the graph (issue 13, phase 2): the resolution
 * keys of paper/paper_key (DOI, arXiv id, title, the physics fallback,
 * other keys of one work, the institution of an affiliation), and the
 * rows ingest/ingest_paper makes from a small paper read by the builder:
 * the document's PAPER and one per entry with their mentions, AUTHORED
 * and AFFILIATED_WITH through the extractor's provisional ids, CITES with
 * the citing sentences, a citation across two documents meeting at one
 * PAPER id, acronym definitions folding two entities into one, and an
 * author named as the header prints the name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ingest/extract.h"
#include "ingest/ingest_paper.h"
#include "paper/paper.h"
#include "paper/paper_key.h"
#include "testutil.h"

static void test_keys(void **st)
{
    (void)st;
    char *k = kg_paper_key("10.1088/1475-7516/2008/10/003", "0807.3577", "A Title", 2008);
    assert_string_equal(k, "doi:10.1088/1475-7516/2008/10/003");
    free(k);
    k = kg_paper_key("10.1145/ABC.Def", NULL, NULL, 0);
    assert_string_equal(k, "doi:10.1145/abc.def"); /* DOIs ignore case */
    free(k);
    k = kg_paper_key(NULL, "0803.0732v2", "A Title", 2008);
    assert_string_equal(k, "arxiv:0803.0732");
    free(k);
    k = kg_paper_key(NULL, "astro-ph/0003365", NULL, 0);
    assert_string_equal(k, "arxiv:astro-ph/0003365");
    free(k);
    k = kg_paper_key(NULL, NULL,
                     "Trace-based Just-in-Time Type Specialization, for Dynamic "
                     "Languages",
                     2009);
    assert_string_equal(k, "title:trace based just in time type specialization for dynamic "
                           "languages");
    free(k);
    /* the same title printed otherwise: same key, year or none */
    char *k2 = kg_paper_key(NULL, NULL,
                            "TRACE-BASED JUST-IN-TIME TYPE SPECIALIZATION FOR "
                            "DYNAMIC LANGUAGES.",
                            0);
    k = kg_paper_key(NULL, NULL,
                     "Trace-based just-in-time type specialization for dynamic "
                     "languages",
                     2010);
    assert_string_equal(k, k2);
    free(k);
    free(k2);
    /* a short title keeps its year apart */
    k = kg_paper_key(NULL, NULL, "Global Sea Level", 1991);
    assert_string_equal(k, "title:global sea level 1991");
    free(k);
    k = kg_paper_key(NULL, NULL, "Über Größen", 0);
    assert_string_equal(k, "title:uber grossen");
    free(k);
    assert_null(kg_paper_key(NULL, NULL, NULL, 2001));
    assert_null(kg_paper_key("", "", " -- ", 2001));
}

static void test_ref_keys_and_names(void **st)
{
    (void)st;
    kg_ref r;
    const char *e = "[3] S. Perlmutter et al., Astrophys. J. 483, 565 (1997).";
    kg_ref_parse(e, strlen(e), &r);
    char *k = kg_ref_key(&r);
    assert_non_null(k);
    assert_true(strncmp(k, "ref:perlmutter 1997 astrophys j 483", 35) == 0);
    char *n = kg_ref_name(&r);
    assert_string_equal(n, "Perlmutter et al. (1997), Astrophys. J. 483, 565");
    free(k);
    free(n);
    kg_ref_clear(&r);
    e = "[4] A. Gal and M. Franz. Incremental dynamic code generation with trace trees. "
        "Technical report, UC Irvine, 2006.";
    kg_ref_parse(e, strlen(e), &r);
    k = kg_ref_key(&r);
    assert_string_equal(k, "title:incremental dynamic code generation with trace trees");
    n = kg_ref_name(&r);
    assert_string_equal(n, "Incremental dynamic code generation with trace trees");
    free(k);
    free(n);
    kg_ref_clear(&r);
    e = "[5] http://example.org/only-a-url";
    kg_ref_parse(e, strlen(e), &r);
    assert_null(kg_ref_key(&r));
    kg_ref_clear(&r);
    char *alt[2];
    size_t na = kg_paper_alt_keys("10.1/x", "0807.3577", "A Long Enough Title Here", 2008, alt);
    assert_int_equal(na, 2);
    assert_string_equal(alt[0], "arxiv:0807.3577");
    assert_string_equal(alt[1], "title:a long enough title here");
    free(alt[0]);
    free(alt[1]);
    assert_int_equal(kg_paper_alt_keys(NULL, NULL, "Only a Title Here", 2008, alt), 0);
}

/* A cited title spelled differently is the same work; two works with
 * close titles are not. */
static void test_title_match(void **st)
{
    (void)st;
    const char *tm = "Trace-based Just-in-Time Type Specialization for Dynamic Languages";
    /* punctuation, case, a hyphen, a subtitle, a word: same year or author */
    assert_true(kg_paper_title_match(tm, 2009, "Gal",
                                     "Trace based just in time type specialization for dynamic "
                                     "languages: the TraceMonkey JIT",
                                     2009, NULL) > 0);
    assert_true(kg_paper_title_match(tm, 2009, NULL,
                                     "Trace-based just-in-time type specialisation for dynamic "
                                     "languages",
                                     2010, NULL) > 0); /* preprint and journal: a year apart */
    assert_true(kg_paper_title_match(
                    tm, 0, "Gal", "Trace-based just-in-time specialization for dynamic languages",
                    2009, "Gal") > 0); /* a word dropped, no year on one side */
    assert_true(kg_paper_title_match("Robust Reading of Scanned Historical Newspapers: A Layout "
                                     "Study",
                                     2021, NULL, "Robust reading of scanned historical newspapers",
                                     2021, "Quill") > 0);
    /* nothing to say the year or the author agrees */
    assert_true(kg_paper_title_match(tm, 0, NULL, "Trace based just in time type specialization", 0,
                                     NULL) == 0);
    assert_true(kg_paper_title_match(tm, 2001, NULL, tm, 2009, NULL) == 0);
    /* two first authors: two works, however close the titles */
    assert_true(kg_paper_title_match("Robust Reading of Scanned Historical Maps", 2015, "Lind",
                                     "Robust reading of scanned historical letters", 2015,
                                     "Other") == 0);
    /* short generic titles never match */
    assert_true(
        kg_paper_title_match("An Introduction", 2004, "Smith", "Introduction", 2004, "Smith") == 0);
    assert_true(kg_paper_title_match("Deep Learning for Text", 2019, "Lee",
                                     "Deep Learning for Texts", 2019, "Lee") == 0);
    /* parts and volumes of a series are different works */
    assert_true(kg_paper_title_match(
                    "Reading historical newspapers by their layout, Part I", 2020, "Quill",
                    "Reading historical newspapers by their layout, Part II", 2020, "Quill") == 0);
    assert_true(kg_paper_title_match("Reading historical newspapers by their layout 2", 2020, NULL,
                                     "Reading historical newspapers by their layout 3", 2020,
                                     NULL) == 0);
    /* a word more inside the title is not a subtitle: only two words may differ */
    assert_true(kg_paper_title_match("Reading newspapers by layout and colour", 2020, NULL,
                                     "Reading old Dutch newspapers by their printed layout and "
                                     "colour",
                                     2020, NULL) == 0);
    assert_true(kg_paper_title_match(NULL, 2020, NULL, tm, 2020, NULL) == 0);
}

static void test_affiliation_org(void **st)
{
    (void)st;
    const char *cases[][2] = {
        {"Department of Physics, University of Oslo, Norway", "University of Oslo"},
        {"Cavendish Laboratory, University of Cambridge, JJ Thomson Ave",
         "University of Cambridge"},
        {"Computer Sciences Department, College of Signals, National University of Sciences",
         "National University of Sciences"},
        {"Mozilla Corporation", "Mozilla Corporation"},
        {"LT-Lab, DFKI, Saarbrücken", "LT-Lab"},
        {"Part of the IAC collaboration http://www.iac.edu.mx/, Instituto Avanzado",
         "Instituto Avanzado"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *o = kg_paper_affil_org(cases[i][0]);
        assert_non_null(o);
        assert_string_equal(o, cases[i][1]);
        free(o);
    }
    assert_null(kg_paper_affil_org(NULL));
}

/* ---- rows from a paper read by the builder ------------------------------ */

typedef struct doc {
    kg_paper_builder *b;
    kg_buf text;
} doc;

static void put(doc *d, kg_block_kind k, const char *s)
{
    kg_block_info bi = {0};
    bi.kind = k;
    bi.page = 1;
    bi.level = k == KG_BLOCK_HEADING;
    if (d->text.len) {
        kg_paper_builder_text(d->b, 1, "\n\n", 2);
        kg_buf_puts(&d->text, "\n\n");
    }
    kg_paper_builder_block(d->b, &bi);
    if (k == KG_BLOCK_HEADING)
        kg_paper_builder_section(d->b, s);
    kg_paper_builder_text(d->b, 1, s, strlen(s));
    kg_buf_puts(&d->text, s);
}

/* A paper by Ann Lee and Raj Patel citing two works, one of them by title. */
static kg_paper *citing_paper(kg_buf *text)
{
    doc d = {kg_paper_builder_new(), KG_BUF_INIT};
    put(&d, KG_BLOCK_TITLE, "Graphs of Papers and Their Citations");
    put(&d, KG_BLOCK_FRONT, "Ann Lee\xC2\xB9 and Raj Patel\xC2\xB9");
    put(&d, KG_BLOCK_FRONT, "\xC2\xB9 Department of Physics, University of Testland");
    put(&d, KG_BLOCK_HEADING, "1 Introduction");
    put(&d, KG_BLOCK_BODY,
        "Tide gauges were read first [1]. The Analytical Hierarchical Process (AHP) orders "
        "needs. We use AHP again.");
    put(&d, KG_BLOCK_HEADING, "References");
    put(&d, KG_BLOCK_REFERENCE,
        "[1] M. Hollis. Sea Level Trends from Coastal Tide Gauges. Ocean Letters, 12:40-52, 2019.");
    put(&d, KG_BLOCK_REFERENCE,
        "[2] B. Learner, C. Model, \xE2\x80\x9CLearning to parse,\xE2\x80\x9D in Proc. JCDL, 2003.");
    kg_load_info info = {0};
    kg_paper *p = kg_paper_builder_finish(d.b, &info);
    kg_paper_builder_free(d.b);
    *text = d.text;
    return p;
}

static const kg_entity *paper_named(const kg_paper_rows *r, const char *name)
{
    for (size_t i = 0; i < r->nentities; i++)
        if (strcmp(r->entities[i].name, name) == 0)
            return &r->entities[i];
    return NULL;
}

static size_t edges(const kg_paper_rows *r, const char *type, const char *src, const char *dst)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nrelations; i++)
        n += strcmp(r->relations[i].type, type) == 0 &&
             (!src || strcmp(r->relations[i].source_id, src) == 0) &&
             (!dst || strcmp(r->relations[i].target_id, dst) == 0);
    return n;
}

static void test_rows_of_a_paper(void **st)
{
    (void)st;
    kg_buf text;
    kg_paper *p = citing_paper(&text);
    assert_true(kg_paper_reads_as_paper(p, 1));
    assert_int_equal(p->nrefs, 2);
    uint64_t starts[] = {0, 120};
    kg_paper_doc d = {"doc_test", text.data, text.len, starts, 2, NULL};
    kg_extract *x = kg_extract_new("doc_test", NULL);
    kg_paper_rows r;
    kg_paper_rows_make(p, &d, x, &r);
    assert_string_equal(r.title, "Graphs of Papers and Their Citations");
    /* three PAPER entities: the document and its two entries */
    assert_int_equal(r.nentities, 3);
    const kg_entity *self = paper_named(&r, "Graphs of Papers and Their Citations");
    const kg_entity *cited = paper_named(&r, "Sea Level Trends from Coastal Tide Gauges");
    const kg_entity *other = paper_named(&r, "Learning to parse");
    assert_non_null(self);
    assert_non_null(cited);
    assert_non_null(other);
    assert_string_equal(r.paper_id, self->id);
    assert_string_equal(self->type, "PAPER");
    char want[KG_ID_MAX];
    kg_entity_id_for(want, "PAPER", "title:sea level trends from coastal tide gauges");
    assert_string_equal(cited->id, want);
    /* every mention points at the text it names, in the chunk that holds it */
    size_t npaper = 0, nperson = 0;
    for (size_t i = 0; i < r.nmentions; i++) {
        const kg_mention *m = &r.mentions[i];
        assert_string_equal(m->method, "paper");
        assert_true(m->end > m->start && (size_t)m->end <= text.len);
        if (strcmp(m->type, "PERSON") == 0) {
            nperson++;
            assert_memory_equal(text.data + m->start, m->surface, strlen(m->surface));
        }
        npaper += strcmp(m->type, "PAPER") == 0;
        char chunk[KG_ID_MAX];
        kg_chunk_id_for(chunk, "doc_test", m->start >= 120 ? 1 : 0);
        assert_string_equal(m->chunk_id, chunk);
    }
    assert_int_equal(nperson, 2);
    assert_int_equal(npaper, 3); /* title and two entries */
    const char *entry = strstr(text.data, "[1] M. Hollis");
    for (size_t i = 0; i < r.nmentions; i++)
        if (strcmp(r.mentions[i].entity_id, cited->id) == 0)
            assert_int_equal(r.mentions[i].start, entry - text.data);
    /* AUTHORED from both authors, AFFILIATED_WITH to the university */
    assert_int_equal(edges(&r, "AUTHORED", NULL, self->id), 2);
    assert_int_equal(edges(&r, "AFFILIATED_WITH", NULL, NULL), 2);
    /* CITES: the citing sentence for [1], the entry itself for uncited [2] */
    assert_int_equal(edges(&r, "CITES", self->id, cited->id), 1);
    assert_int_equal(edges(&r, "CITES", self->id, other->id), 1);
    for (size_t i = 0; i < r.nrelations; i++) {
        const kg_relation *e = &r.relations[i];
        assert_string_equal(e->method, "paper");
        if (strcmp(e->type, "CITES") == 0 && strcmp(e->target_id, cited->id) == 0) {
            const char *sent = "Tide gauges were read first [1].";
            assert_int_equal(e->end - e->start, strlen(sent));
            assert_memory_equal(text.data + e->start, sent, strlen(sent));
        }
    }
    /* the record for `documents` */
    char *rec = kg_paper_record(p);
    assert_non_null(strstr(rec, "\"n_references\":2"));
    assert_null(strstr(rec, "\"raw\""));
    free(rec);
    /* the acronym: long and short form become one entity */
    char id1[KG_ID_MAX], id2[KG_ID_MAX];
    assert_true(kg_extract_form(x, "METHOD", "Analytical Hierarchical Process", 31, 200, 0.9, id1));
    assert_true(kg_extract_form(x, "METHOD", "AHP", 3, 260, 0.9, id2));
    kg_extract_result res;
    kg_err err;
    assert_int_equal(kg_extract_finish(x, &res, &err), KG_OK);
    size_t before = res.nentities;
    kg_paper_acronyms(p, &res);
    size_t methods = 0;
    for (size_t i = 0; i < res.nentities; i++)
        if (strcmp(res.entities[i].type, "METHOD") == 0) {
            methods++;
            /* one entity, named by the form the text uses more, the other an alias */
            const char *alias = strcmp(res.entities[i].name, "AHP") == 0
                                    ? "\"Analytical Hierarchical Process\""
                                    : "\"AHP\"";
            assert_non_null(strstr(res.entities[i].aliases, alias));
        }
    assert_int_equal(methods, 1);
    assert_true(res.nentities <= before);
    kg_extract_result_free(&res);
    kg_extract_free(x);
    kg_paper_rows_free(&r);
    kg_paper_free(p);
    kg_buf_free(&text);
}

/* The cited document, ingested too: its own PAPER has the id the citing
 * entry got, so the CITES edge joins the two documents. */
static void test_citation_across_documents(void **st)
{
    (void)st;
    kg_buf t1;
    kg_paper *citing = citing_paper(&t1);
    doc d = {kg_paper_builder_new(), KG_BUF_INIT};
    put(&d, KG_BLOCK_TITLE, "Sea Level Trends from Coastal Tide Gauges");
    put(&d, KG_BLOCK_FRONT, "Margaret Hollis");
    put(&d, KG_BLOCK_BODY, "Gauges give the longest records of sea level.");
    kg_paper *cited = kg_paper_builder_finish(d.b, NULL);
    kg_paper_builder_free(d.b);
    assert_true(kg_paper_reads_as_paper(cited, 1));
    assert_false(kg_paper_reads_as_paper(cited, 0)); /* text without references */
    kg_paper_builder *nb = kg_paper_builder_new();
    kg_paper *none = kg_paper_builder_finish(nb, NULL);
    kg_paper_builder_free(nb);
    assert_false(kg_paper_reads_as_paper(none, 1)); /* no header, no references */
    kg_paper_free(none);
    uint64_t start = 0;
    kg_paper_doc d1 = {"doc_a", t1.data, t1.len, &start, 1, NULL};
    kg_paper_doc d2 = {"doc_b", d.text.data, d.text.len, &start, 1, NULL};
    kg_paper_rows r1, r2;
    kg_paper_rows_make(citing, &d1, NULL, &r1);
    kg_paper_rows_make(cited, &d2, NULL, &r2);
    assert_int_equal(edges(&r1, "AUTHORED", NULL, NULL), 0); /* no extractor, no people */
    assert_int_equal(edges(&r1, "CITES", r1.paper_id, r2.paper_id), 1);
    kg_paper_rows_free(&r1);
    kg_paper_rows_free(&r2);
    kg_paper_free(citing);
    kg_paper_free(cited);
    kg_buf_free(&t1);
    kg_buf_free(&d.text);
}

/* An author the resolver named by a shorter form keeps the header's name. */
static void test_author_named_from_header(void **st)
{
    (void)st;
    kg_buf text;
    kg_paper *p = citing_paper(&text);
    kg_extract_result res = {0};
    res.nentities = 2;
    res.entities = calloc(2, sizeof *res.entities);
    const char *names[][3] = {{"Lee", "lee", "[\"Ann Lee\"]"}, {"Patel", "patel", "[]"}};
    for (int i = 0; i < 2; i++) {
        kg_entity *e = &res.entities[i];
        snprintf(e->type, sizeof e->type, "PERSON");
        kg_entity_id_for(e->id, "PERSON", names[i][1]);
        e->name = kg_xstrdup(names[i][0]);
        e->key = kg_xstrdup(names[i][1]);
        e->aliases = kg_xstrdup(names[i][2]);
    }
    assert_int_equal(kg_paper_author_names(p, &res), 1);
    assert_string_equal(res.entities[0].name, "Ann Lee");
    assert_string_equal(res.entities[0].aliases, "[\"Lee\"]");
    assert_string_equal(res.entities[1].name, "Patel"); /* "Raj Patel" is no alias of it */
    kg_extract_result_free(&res);
    kg_paper_free(p);
    kg_buf_free(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_ref_keys_and_names),
        cmocka_unit_test(test_title_match),
        cmocka_unit_test(test_affiliation_org),
        cmocka_unit_test(test_rows_of_a_paper),
        cmocka_unit_test(test_citation_across_documents),
        cmocka_unit_test(test_author_named_from_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
