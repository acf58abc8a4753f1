/* Unit tests for text/chunk: exact spans, overlap, sentence ends, pages,
 * limits, and independence from how the text was fed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "text/chunk.h"
#include "text/sentence.h"
#include "text/token.h"
#include "testutil.h"

typedef struct rec {
    int n, cap;
    kg_chunk_out *v; /* text and section copied */
    int stop_at;     /* return 1 at this ordinal + 1 */
} rec;

static int on_chunk(void *ud, const kg_chunk_out *c)
{
    rec *r = ud;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = realloc(r->v, (size_t)r->cap * sizeof *r->v);
    }
    kg_chunk_out o = *c;
    char *t = malloc(c->len + 1);
    memcpy(t, c->text, c->len);
    t[c->len] = '\0';
    o.text = t;
    o.section = c->section ? strdup(c->section) : NULL;
    r->v[r->n++] = o;
    return r->stop_at && r->n >= r->stop_at;
}

static void rec_free(rec *r)
{
    for (int i = 0; i < r->n; i++) {
        free((char *)r->v[i].text);
        free((char *)r->v[i].section);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* Sentences of 10 words each ("Word0 w w ... w."). */
static char *make_doc(int sentences)
{
    kg_buf b = KG_BUF_INIT;
    for (int i = 0; i < sentences; i++) {
        kg_buf_printf(&b, "Sentence%d has some words in it for testing", i);
        kg_buf_puts(&b, i % 7 == 6 ? ".\n\n" : ". ");
    }
    return kg_buf_steal(&b);
}

static void run_chunker(const char *doc, size_t len, size_t step, int size, int overlap, rec *r)
{
    kg_chunk_opts o = {size, overlap};
    kg_chunker *c = kg_chunker_new(&o, on_chunk, r);
    for (size_t i = 0; i < len; i += step)
        assert_int_equal(kg_chunker_feed(c, doc + i, i + step <= len ? step : len - i, 1), 0);
    assert_int_equal(kg_chunker_finish(c), 0);
    assert_int_equal(kg_chunker_total_bytes(c), len);
    assert_int_equal(kg_chunker_count(c), r->n);
    kg_chunker_free(c);
}

static size_t count_tokens(const char *s, size_t len)
{
    kg_tokens t = KG_TOKENS_INIT;
    size_t n = kg_tokenize(s, len, &t);
    kg_tokens_free(&t);
    return n;
}

static void check_chunks(const char *doc, size_t len, const rec *r, int size, int overlap)
{
    assert_true(r->n > 0);
    for (int i = 0; i < r->n; i++) {
        const kg_chunk_out *c = &r->v[i];
        assert_int_equal(c->ordinal, i);
        assert_true(c->end <= len && c->start < c->end);
        assert_int_equal(c->len, c->end - c->start);
        assert_memory_equal(c->text, doc + c->start, c->len);
        assert_int_equal(count_tokens(c->text, c->len), c->tokens);
        assert_true(c->tokens <= size);
        if (i > 0) {
            /* overlap: starts before the previous end, by about `overlap` tokens */
            const kg_chunk_out *p = &r->v[i - 1];
            assert_true(c->start > p->start);
            if (overlap) {
                assert_true(c->start < p->end);
                assert_int_equal(count_tokens(doc + c->start, p->end - c->start), overlap);
            } else {
                assert_true(c->start >= p->end);
            }
        }
    }
    /* the chunks cover the document's tokens */
    assert_int_equal(count_tokens(doc, r->v[0].start), 0);
    assert_int_equal(count_tokens(doc + r->v[r->n - 1].end, len - r->v[r->n - 1].end), 0);
}

static void test_spans_overlap_sentences(void **st)
{
    (void)st;
    char *doc = make_doc(200);
    size_t len = strlen(doc);
    rec r = {0};
    run_chunker(doc, len, len, 64, 10, &r);
    check_chunks(doc, len, &r, 64, 10);
    /* every chunk but the last ends on a sentence end (one in each 11 tokens) */
    for (int i = 0; i + 1 < r.n; i++) {
        assert_int_equal(r.v[i].text[r.v[i].len - 1], '.');
        assert_true(r.v[i].tokens >= 32);
    }
    rec_free(&r);
    free(doc);
}

static void test_feed_granularity(void **st)
{
    (void)st;
    char *doc = make_doc(120);
    size_t len = strlen(doc);
    rec a = {0}, b = {0}, c = {0};
    run_chunker(doc, len, len, 50, 20, &a);
    run_chunker(doc, len, 1, 50, 20, &b);
    run_chunker(doc, len, 37, 50, 20, &c);
    assert_int_equal(a.n, b.n);
    assert_int_equal(a.n, c.n);
    for (int i = 0; i < a.n; i++) {
        assert_int_equal(a.v[i].start, b.v[i].start);
        assert_int_equal(a.v[i].end, b.v[i].end);
        assert_int_equal(a.v[i].start, c.v[i].start);
        assert_int_equal(a.v[i].end, c.v[i].end);
        assert_int_equal(a.v[i].tokens, b.v[i].tokens);
    }
    rec_free(&a);
    rec_free(&b);
    rec_free(&c);
    free(doc);
}

static void test_no_sentence_and_limits(void **st)
{
    (void)st;
    /* no sentence ends: windows are exactly chunk_size tokens */
    kg_buf b = KG_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        kg_buf_printf(&b, "w%d ", i);
    rec r = {0};
    run_chunker(b.data, b.len, 100, 16, 0, &r);
    check_chunks(b.data, b.len, &r, 16, 0);
    assert_int_equal(r.n, 1000 / 16 + 1);
    assert_int_equal(r.v[0].tokens, 16);
    rec_free(&r);
    /* limits are clamped: size 5 -> 16, overlap 100 -> size/2 */
    kg_chunk_opts o = {5, 100};
    kg_chunker *c = kg_chunker_new(&o, on_chunk, &r);
    kg_chunker_feed(c, b.data, b.len, 1);
    kg_chunker_finish(c);
    kg_chunker_free(c);
    assert_int_equal(r.v[0].tokens, 16);
    assert_int_equal(count_tokens(b.data + r.v[1].start, r.v[0].end - r.v[1].start), 8);
    rec_free(&r);
    /* defaults */
    c = kg_chunker_new(NULL, on_chunk, &r);
    kg_chunker_feed(c, b.data, b.len, 1);
    kg_chunker_finish(c);
    kg_chunker_free(c);
    assert_int_equal(r.v[0].tokens, 512);
    assert_int_equal(count_tokens(b.data + r.v[1].start, r.v[0].end - r.v[1].start), 50);
    rec_free(&r);
    kg_buf_free(&b);
    /* empty and tiny documents */
    c = kg_chunker_new(NULL, on_chunk, &r);
    kg_chunker_feed(c, "  \n", 3, 1);
    assert_int_equal(kg_chunker_finish(c), 0);
    assert_int_equal(r.n, 0);
    kg_chunker_free(c);
    c = kg_chunker_new(NULL, on_chunk, &r);
    kg_chunker_feed(c, "  Hello world.  ", 16, 1);
    kg_chunker_finish(c);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].text, "Hello world.");
    assert_int_equal(r.v[0].start, 2);
    kg_chunker_free(c);
    rec_free(&r);
}

static void test_pages_sections_stop(void **st)
{
    (void)st;
    char *doc = make_doc(60);
    size_t len = strlen(doc), third = len / 3;
    rec r = {0};
    kg_chunk_opts o = {40, 5};
    kg_chunker *c = kg_chunker_new(&o, on_chunk, &r);
    kg_chunker_section(c, "Intro");
    kg_chunker_feed(c, doc, third, 1);
    kg_chunker_feed(c, doc + third, third, 2);
    kg_chunker_section(c, "Later");
    kg_chunker_feed(c, doc + 2 * third, len - 2 * third, 3);
    kg_chunker_finish(c);
    kg_chunker_free(c);
    check_chunks(doc, len, &r, 40, 5);
    int spans_pages = 0;
    for (int i = 0; i < r.n; i++) {
        const kg_chunk_out *k = &r.v[i];
        int ps = k->start < third ? 1 : k->start < 2 * third ? 2 : 3;
        int pe = k->end - 1 < third ? 1 : k->end - 1 < 2 * third ? 2 : 3;
        assert_int_equal(k->page_start, ps);
        assert_int_equal(k->page_end, pe);
        spans_pages += ps != pe;
        assert_string_equal(k->section, k->start < 2 * third ? "Intro" : "Later");
    }
    assert_true(spans_pages >= 1);
    rec_free(&r);
    /* the callback stops the chunker */
    r.stop_at = 2;
    c = kg_chunker_new(&o, on_chunk, &r);
    int rc = kg_chunker_feed(c, doc, len, 1);
    assert_int_equal(rc, 1);
    assert_int_equal(kg_chunker_finish(c), 1);
    assert_int_equal(r.n, 2);
    kg_chunker_free(c);
    rec_free(&r);
    free(doc);
}

/* A multi-MB stream: spans tile the document with the overlap, and memory
 * stays bounded (the chunker never holds more than a feed plus a window). */
static void test_big_stream(void **st)
{
    (void)st;
    char *unit = make_doc(7000); /* ~340 KB */
    size_t ulen = strlen(unit);
    int reps = 10;
    kg_buf all = KG_BUF_INIT;
    for (int i = 0; i < reps; i++)
        kg_buf_append(&all, unit, ulen);
    rec r = {0};
    kg_chunker *c = kg_chunker_new(NULL, on_chunk, &r);
    for (size_t off = 0; off < all.len; off += 65536)
        kg_chunker_feed(c, all.data + off, off + 65536 <= all.len ? 65536 : all.len - off, 1);
    kg_chunker_finish(c);
    kg_chunker_free(c);
    check_chunks(all.data, all.len, &r, 512, 50);
    assert_true(r.n > 1000);
    rec_free(&r);
    kg_buf_free(&all);
    free(unit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans_overlap_sentences),
        cmocka_unit_test(test_feed_granularity),
        cmocka_unit_test(test_no_sentence_and_limits),
        cmocka_unit_test(test_pages_sections_stop),
        cmocka_unit_test(test_big_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
