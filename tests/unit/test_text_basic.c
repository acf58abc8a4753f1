/* Unit tests for text/: tokeniser, sentence splitter, normaliser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/normalize.h"
#include "text/sentence.h"
#include "text/token.h"
#include "testutil.h"

/* Token i of s as a string (static buffer). */
static const char *tok_str(const char *s, const kg_tokens *t, size_t i)
{
    static char b[256];
    size_t n = t->v[i].end - t->v[i].start;
    if (n > sizeof b - 1)
        n = sizeof b - 1;
    memcpy(b, s + t->v[i].start, n);
    b[n] = '\0';
    return b;
}

/* Tokens of s joined by '|'. */
static char *toks(const char *s)
{
    static char out[2048];
    kg_tokens t = KG_TOKENS_INIT;
    kg_tokenize(s, strlen(s), &t);
    out[0] = '\0';
    for (size_t i = 0; i < t.n; i++) {
        if (i)
            strcat(out, "|");
        strcat(out, tok_str(s, &t, i));
    }
    kg_tokens_free(&t);
    return out;
}

static int kind_of(const char *s, const char *tok)
{
    kg_tokens t = KG_TOKENS_INIT;
    kg_tokenize(s, strlen(s), &t);
    int k = -1;
    for (size_t i = 0; i < t.n; i++)
        if (strcmp(tok_str(s, &t, i), tok) == 0) {
            k = t.v[i].kind;
            break;
        }
    kg_tokens_free(&t);
    return k;
}

static void test_tokens_words_numbers(void **st)
{
    (void)st;
    assert_string_equal(toks("The state-of-the-art model, isn't it?"),
                        "The|state-of-the-art|model|,|isn't|it|?");
    assert_string_equal(toks("pi is 3.14 and 1,000 items in 2019; the 2nd run"),
                        "pi|is|3.14|and|1,000|items|in|2019|;|the|2nd|run");
    assert_int_equal(kind_of("pi is 3.14", "3.14"), KG_TOK_NUMBER);
    assert_int_equal(kind_of("the 2nd run", "2nd"), KG_TOK_NUMBER);
    assert_string_equal(toks("COVID-19 and a 19-year-old, 1990-2000"),
                        "COVID-19|and|a|19-year-old|,|1990|-|2000");
    assert_string_equal(toks("Wait... what -- no"), "Wait|...|what|--|no");
    assert_string_equal(toks("  \t\n "), "");
    assert_string_equal(toks("x = y + 2"), "x|=|y|+|2");
    assert_int_equal(kind_of("x = y", "="), KG_TOK_SYMBOL);
}

static void test_tokens_abbrev(void **st)
{
    (void)st;
    assert_string_equal(toks("Smith et al. showed, e.g. in Fig. 3, i.e. here"),
                        "Smith|et al.|showed|,|e.g.|in|Fig.|3|,|i.e.|here");
    assert_string_equal(toks("Dr. Smith and Prof. Jones met Mr. J. Doe Jr. in the U.S. Army"),
                        "Dr.|Smith|and|Prof.|Jones|met|Mr.|J.|Doe|Jr.|in|the|U.S.|Army");
    assert_string_equal(toks("A vs. B, cf. Eq. 2, No. 5, Acme Inc. and Foo Ltd. end"),
                        "A|vs.|B|,|cf.|Eq.|2|,|No.|5|,|Acme|Inc.|and|Foo|Ltd.|end");
    assert_int_equal(kind_of("Smith et al. said", "et al."), KG_TOK_ABBREV);
    assert_int_equal(kind_of("in the U.S. Army", "U.S."), KG_TOK_ABBREV);
    assert_string_equal(toks("the end."), "the|end|.");
    assert_true(kg_is_abbrev("Dr.", 3));
    assert_true(kg_is_abbrev("et al.", 6));
    assert_true(kg_is_abbrev("U.S.", 4));
    assert_true(kg_is_abbrev("J.", 2));
    assert_false(kg_is_abbrev("end.", 4));
    assert_false(kg_is_abbrev("Dr", 2));
    assert_false(kg_is_abbrev("x", 1));
}

static void test_tokens_citations_urls_emails(void **st)
{
    (void)st;
    assert_string_equal(toks("as shown [12] and [3, 7-9] or [1; 4\xE2\x80\x93"
                             "6] but [a]"),
                        "as|shown|[12]|and|[3, 7-9]|or|[1; 4\xE2\x80\x93"
                        "6]|but|[|a|]");
    assert_int_equal(kind_of("see [3, 7-9]", "[3, 7-9]"), KG_TOK_CITATION);
    assert_string_equal(toks("See https://example.org/a?b=1. Or www.x.com/p_(q))."),
                        "See|https://example.org/a?b=1|.|Or|www.x.com/p_(q)|)|.");
    assert_int_equal(kind_of("See https://example.org/a.", "https://example.org/a"), KG_TOK_URL);
    assert_string_equal(toks("Mail john.smith+x@dept.example.ac.uk, now."),
                        "Mail|john.smith+x@dept.example.ac.uk|,|now|.");
    assert_int_equal(kind_of("Mail a@b.org", "a@b.org"), KG_TOK_EMAIL);
    assert_string_equal(toks("user@localhost"), "user|@|localhost");
}

static void test_tokens_utf8_shape(void **st)
{
    (void)st;
    const char *s = "Gödel’s naïve Über-theory in 北京 \xF0\x9F\x98\x80 iPhone NASA";
    assert_string_equal(toks(s), "Gödel’s|naïve|Über-theory|in|北京|\xF0\x9F\x98\x80|iPhone|NASA");
    kg_tokens t = KG_TOKENS_INIT;
    kg_tokenize(s, strlen(s), &t);
    assert_int_equal(t.v[0].kind, KG_TOK_WORD);
    assert_true(t.v[0].shape & KG_SHAPE_CAP);
    assert_true(t.v[1].shape & KG_SHAPE_LOWER);
    assert_true(t.v[2].shape & KG_SHAPE_HYPHEN);
    assert_int_equal(t.v[5].kind, KG_TOK_SYMBOL);
    assert_true(t.v[6].shape & KG_SHAPE_MIXED);
    assert_true(t.v[7].shape & KG_SHAPE_ALLCAPS);
    /* invalid UTF-8 never crashes and is a symbol */
    kg_tokenize("a\xff\xfe b", 5, &t);
    assert_int_equal(t.n, 4);
    kg_tokenize("H2O", 3, &t);
    assert_int_equal(t.n, 1);
    assert_true(t.v[0].shape & KG_SHAPE_DIGIT);
    kg_tokens_free(&t);
}

static char *sents(const char *s)
{
    static char out[4096];
    kg_spans sp = KG_SPANS_INIT;
    kg_sentences(s, strlen(s), &sp);
    out[0] = '\0';
    for (size_t i = 0; i < sp.n; i++) {
        if (i)
            strcat(out, "|");
        strncat(out, s + sp.v[i].start, sp.v[i].end - sp.v[i].start);
    }
    kg_spans_free(&sp);
    return out;
}

static void test_sentences(void **st)
{
    (void)st;
    assert_string_equal(sents("Smith et al. showed it. Then we left."),
                        "Smith et al. showed it.|Then we left.");
    assert_string_equal(sents("See e.g. Fig. 3 for details. Dr. Smith agreed."),
                        "See e.g. Fig. 3 for details.|Dr. Smith agreed.");
    assert_string_equal(sents("The U.S. Army won. J. Smith wrote it. Pi is 3.14 exactly."),
                        "The U.S. Army won.|J. Smith wrote it.|Pi is 3.14 exactly.");
    assert_string_equal(sents("It works (Smith et al., 2019). Others disagree [12]. Why? "
                              "Because! Yes."),
                        "It works (Smith et al., 2019).|Others disagree [12].|Why?|Because!|Yes.");
    assert_string_equal(sents("He said \"Stop.\" Then he left. \"Really?\" she asked."),
                        "He said \"Stop.\"|Then he left.|\"Really?\" she asked.");
    assert_string_equal(sents("A heading\n\nFirst para line\nstill para. done"),
                        "A heading|First para line\nstill para. done");
    assert_string_equal(sents("ends with lowercase. next one"), "ends with lowercase. next one");
    assert_string_equal(sents("As shown.[4] Next one. 2020 was odd."),
                        "As shown.[4]|Next one.|2020 was odd.");
    assert_string_equal(sents(""), "");
    assert_string_equal(sents("   "), "");
}

static char *norm(const char *s, size_t len, int flags, kg_norm_stats *stp)
{
    size_t n;
    kg_norm_stats st;
    char *r = kg_normalize(s, len, flags, &n, &st);
    assert_int_equal(strlen(r), n);
    if (stp)
        *stp = st;
    return r;
}

static void test_normalize(void **st)
{
    (void)st;
    kg_norm_stats ns;
    char *r = norm("\xEF\xBB\xBFHello\r\nworld\rnext\n", 21, 0, &ns);
    assert_string_equal(r, "Hello\nworld\nnext");
    free(r);
    r = norm("a\xff"
             "b\xe2\x82"
             "c\xed\xa0\x80",
             9, 0, &ns);
    assert_string_equal(r, "a\xEF\xBF\xBD"
                           "b\xEF\xBF\xBD\xEF\xBF\xBD"
                           "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_int_equal(ns.invalid_bytes, 6);
    free(r);
    const char *h = "knowl-\nedge and state-of-\nthe-art, COVID-\n19 and well-\n\nNext";
    r = norm(h, strlen(h), KG_NORM_DEHYPHENATE, &ns);
    assert_string_equal(r, "knowledge and state-of-the-art, COVID-\n19 and well-\n\nNext");
    assert_int_equal(ns.hyphen_joins, 2);
    free(r);
    r = norm(h, strlen(h), 0, NULL);
    assert_string_equal(r, "knowl-\nedge and state-of-\nthe-art, COVID-\n19 and well-\n\nNext");
    free(r);
    r = norm("caf"
             "e\xCC\x81"
             " ok",
             9, 0, NULL);
    assert_string_equal(r, "caf\xC3\xA9 ok");
    free(r);
    r = norm("\n\n  a  \t b   \n\n\n\n  c\x01\x7f\xC2\x85 d  \n\n", 30, 0, &ns);
    assert_string_equal(r, "a b\n\nc d");
    assert_int_equal(ns.control_chars, 3);
    free(r);
    r = norm("one\ntwo\n\nthree", 14, KG_NORM_UNWRAP, NULL);
    assert_string_equal(r, "one two\n\nthree");
    free(r);
    r = norm("", 0, 0, NULL);
    assert_string_equal(r, "");
    free(r);
}

/* Feeding any split of the input gives the same bytes as one call. */
static void test_normalize_streaming(void **st)
{
    (void)st;
    const char *s = "\xEF\xBB\xBF"
                    "Caf"
                    "e\xCC\x81 knowl-\r\nedge\r\n\r\n\r\n x\xff y \xe4\xb8\xad"
                    "\xe6\x96\x87 end-\n  of  ";
    size_t len = strlen(s);
    size_t n1;
    kg_norm_stats s1;
    char *whole = kg_normalize(s, len, KG_NORM_DEHYPHENATE, &n1, &s1);
    for (size_t step = 1; step <= 7; step++) {
        kg_normalizer *n = kg_normalizer_new(KG_NORM_DEHYPHENATE);
        kg_buf out = KG_BUF_INIT;
        for (size_t i = 0; i < len; i += step)
            kg_normalizer_feed(n, s + i, i + step <= len ? step : len - i, &out);
        kg_normalizer_finish(n, &out);
        assert_int_equal(out.len, n1);
        assert_memory_equal(out.data, whole, n1);
        assert_int_equal(kg_normalizer_stats(n)->invalid_bytes, s1.invalid_bytes);
        kg_buf_free(&out);
        kg_normalizer_free(n);
    }
    assert_string_equal(whole,
                        "Caf\xC3\xA9 knowledge\n\nx\xEF\xBF\xBD y \xe4\xb8\xad\xe6\x96\x87 endof");
    free(whole);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens_words_numbers),
        cmocka_unit_test(test_tokens_abbrev),
        cmocka_unit_test(test_tokens_citations_urls_emails),
        cmocka_unit_test(test_tokens_utf8_shape),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_normalize_streaming),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
