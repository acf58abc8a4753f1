/* Unit tests for ner/ner's rules engine (KG_NER_ENGINE_RULES: the
 * recogniser before the model, whose candidates are now the model's
 * features): one test per rule family, checking exact spans, types and
 * confidence behaviour.  The model itself: test_ner_model.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ner/gazetteer.h"
#include "ner/ner.h"
#include "testutil.h"

static const kg_ner_opts RULES = {0.0f, NULL, NULL, KG_NER_ENGINE_RULES};

/* Find the mention whose text is surface; NULL when absent. */
static const kg_ner_mention *find(const char *text, const kg_ner_result *r, const char *surface)
{
    size_t n = strlen(surface);
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].end - r->v[i].start == n && memcmp(text + r->v[i].start, surface, n) == 0)
            return &r->v[i];
    return NULL;
}

/* Assert that text yields surface typed as type. */
static void expect(const char *text, const char *surface, const char *type)
{
    kg_ner_result r = KG_NER_RESULT_INIT;
    kg_err e;
    assert_int_equal(kg_ner_run(text, strlen(text), &RULES, &r, &e), 0);
    const kg_ner_mention *m = find(text, &r, surface);
    if (!m) {
        fprintf(stderr, "no mention \"%s\" in \"%s\"; got:", surface, text);
        for (size_t i = 0; i < r.n; i++)
            fprintf(stderr, " [%.*s]%s", (int)(r.v[i].end - r.v[i].start), text + r.v[i].start,
                    r.v[i].type);
        fprintf(stderr, "\n");
    }
    assert_non_null(m);
    assert_string_equal(m->type, type);
    assert_true(m->confidence >= 0.0f && m->confidence <= 1.0f);
    kg_ner_result_free(&r);
}

static void expect_none(const char *text, const char *surface)
{
    kg_ner_result r = KG_NER_RESULT_INIT;
    assert_int_equal(kg_ner_run(text, strlen(text), &RULES, &r, NULL), 0);
    assert_null(find(text, &r, surface));
    kg_ner_result_free(&r);
}

static void test_titles(void **st)
{
    (void)st;
    const char *t = "Yesterday Dr. Alan Turing met Prof. Zorblat and President Obama.";
    expect(t, "Alan Turing", "PERSON");
    expect(t, "Zorblat", "PERSON");
    expect(t, "Obama", "PERSON");
    expect_none(t, "Dr");
    expect_none(t, "Dr. Alan Turing");
    expect("The report was written by Engineer John Greiner of the railway.", "John Greiner",
           "PERSON");
}

static void test_org_suffixes(void **st)
{
    (void)st;
    expect("Shares of Zentrix Inc. rose after Blorp Ltd. sold its stake.", "Zentrix Inc.", "ORG");
    expect("Shares of Zentrix Inc. rose after Blorp Ltd. sold its stake.", "Blorp Ltd.", "ORG");
    expect("He joined Acme Widget Company last year.", "Acme Widget Company", "ORG");
    expect("She studied at the University of Texas and the Santa Fe Institute.",
           "University of Texas", "ORG");
    expect("She studied at the University of Texas and the Santa Fe Institute.",
           "Santa Fe Institute", "ORG");
}

static void test_citations(void **st)
{
    (void)st;
    const char *t =
        "As shown by Krizhevsky et al. in their paper, and by Vaswani (2017), it works.";
    expect(t, "Krizhevsky", "PERSON");
    expect(t, "Vaswani", "PERSON");
    expect("We build on Hebb's theory of learning.", "Hebb", "PERSON");
}

static void test_gazetteer(void **st)
{
    (void)st;
    const char *t = "Trade between Germany and Kenya grew, and Nairobi and Bavaria benefited.";
    expect(t, "Germany", "GPE");
    expect(t, "Kenya", "GPE");
    expect(t, "Nairobi", "GPE");
    expect(t, "Bavaria", "GPE");
    expect("They sailed from the United Kingdom to the Mississippi.", "United Kingdom", "GPE");
    expect("The manual was translated into Tagalog for readers.", "Tagalog", "LANGUAGE");
    expect("The fee was paid in USD 300 by the client.", "USD 300", "MONEY");
    /* the table itself */
    assert_true(kg_gz_lookup_str("france") & KG_GZ(COUNTRY));
    assert_true(kg_gz_lookup_str("the") & KG_GZ(FUNC));
    assert_true(kg_gz_lookup_str("EUR") & KG_GZ(CURCODE));
    assert_true(kg_gz_get()->count > 50000);
}

static void test_norp(void **st)
{
    (void)st;
    const char *t = "The Japanese band toured with Brazilian and Norwegian musicians.";
    expect(t, "Japanese", "NORP");
    expect(t, "Brazilian", "NORP");
    expect(t, "Norwegian", "NORP");
}

static void test_numbers(void **st)
{
    (void)st;
    const char *t =
        "On March 3, 2019 revenue rose 5% to $5 million; by 12 May 2020 it was 7 percent "
        "higher, or 40 euros, and in the 1990s it was 3,000 dollars.";
    expect(t, "March 3, 2019", "DATE");
    expect(t, "12 May 2020", "DATE");
    expect(t, "1990s", "DATE");
    expect(t, "5%", "PERCENT");
    expect(t, "7 percent", "PERCENT");
    expect(t, "$5 million", "MONEY");
    expect(t, "40 euros", "MONEY");
    expect(t, "3,000 dollars", "MONEY");
    expect("It opened in 1887 and closed on Friday.", "1887", "DATE");
    expect("It opened in 1887 and closed on Friday.", "Friday", "DATE");
    expect_none("You may go now.", "may");
}

static void test_acronyms(void **st)
{
    (void)st;
    const char *t = "We train a Long Short-Term Memory (LSTM) network. Later the LSTM converges.";
    kg_ner_result r = KG_NER_RESULT_INIT;
    assert_int_equal(kg_ner_run(t, strlen(t), &RULES, &r, NULL), 0);
    const kg_ner_mention *a = find(t, &r, "Long Short-Term Memory");
    assert_non_null(a);
    assert_string_equal(a->type, "CONCEPT");
    assert_true(a->evidence & KG_NER_EV_ACRONYM);
    int lstm = 0;
    for (size_t i = 0; i < r.n; i++)
        if (r.v[i].end - r.v[i].start == 4 && memcmp(t + r.v[i].start, "LSTM", 4) == 0) {
            assert_string_equal(r.v[i].type, "CONCEPT");
            lstm++;
        }
    assert_int_equal(lstm, 2);
    kg_ner_result_free(&r);
    expect("Funding came from the World Health Organization (WHO) last year.",
           "World Health Organization", "ORG");
    expect("Funding came from the World Health Organization (WHO) last year.", "WHO", "ORG");
    expect("We use a support vector machine (SVM) as baseline.", "support vector machine",
           "CONCEPT");
}

static void test_sentence_start(void **st)
{
    (void)st;
    const char *t =
        "However, results vary. The model works. Several studies agree. Although rare, it happens.";
    kg_ner_result r = KG_NER_RESULT_INIT;
    assert_int_equal(kg_ner_run(t, strlen(t), &RULES, &r, NULL), 0);
    assert_int_equal(r.n, 0);
    kg_ner_result_free(&r);
    expect("Paris is large.", "Paris", "GPE");
    /* "I" with a contraction is the pronoun, wherever it stands. */
    expect_none("\"I'll retire,\" said Scrooge, and I'm sure I'd stay.", "I'll");
    expect_none("Then I'm off, and I've said so.", "I'm");
    expect_none("Then I\u2019ve said so to Marley.", "I\u2019ve");
    expect("I'll call Alice Wong tomorrow.", "Alice Wong", "PERSON");
}

static void test_concepts_and_datasets(void **st)
{
    (void)st;
    const char *t =
        "We apply Bayesian optimization to a Support Vector Machine trained on ImageNet "
        "and the Penn Treebank, then on the MNIST dataset.";
    expect(t, "Bayesian optimization", "CONCEPT");
    expect(t, "Support Vector Machine", "CONCEPT");
    expect(t, "ImageNet", "DATASET");
    expect(t, "Penn Treebank", "DATASET");
    expect(t, "MNIST", "DATASET");
}

static void test_confidence(void **st)
{
    (void)st;
    /* "Zorblat Quux" rests on shape alone; "Dr. Zorblat Quux" adds a title. */
    const char *a = "Yesterday we met Zorblat Quux at noon.";
    const char *b = "Yesterday we met Dr. Zorblat Quux at noon.";
    kg_ner_result ra = KG_NER_RESULT_INIT, rb = KG_NER_RESULT_INIT;
    assert_int_equal(kg_ner_run(a, strlen(a), &RULES, &ra, NULL), 0);
    assert_int_equal(kg_ner_run(b, strlen(b), &RULES, &rb, NULL), 0);
    const kg_ner_mention *ma = find(a, &ra, "Zorblat Quux"), *mb = find(b, &rb, "Zorblat Quux");
    assert_non_null(ma);
    assert_non_null(mb);
    assert_true(mb->confidence > ma->confidence);
    assert_true(mb->confidence <= 1.0f && ma->confidence >= 0.0f);
    /* min_confidence filters */
    kg_ner_opts o = RULES;
    o.min_confidence = 0.99f;
    assert_int_equal(kg_ner_run(b, strlen(b), &o, &rb, NULL), 0);
    assert_int_equal(rb.n, 0);
    kg_ner_result_free(&ra);
    kg_ner_result_free(&rb);
    assert_string_equal(kg_ner_evidence_name(KG_NER_EV_TITLE), "title");
    assert_string_equal(kg_ner_evidence_name(3), "?");
}

static void test_edges(void **st)
{
    (void)st;
    kg_ner_result r = KG_NER_RESULT_INIT;
    kg_err e;
    assert_int_equal(kg_ner_run("", 0, &RULES, &r, &e), 0);
    assert_int_equal(r.n, 0);
    assert_int_equal(kg_ner_run(NULL, 0, &RULES, &r, &e), 0);
    assert_int_equal(kg_ner_run(NULL, 5, &RULES, &r, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "NULL"));
    /* odd bytes and a long text that spills the inline buffers */
    const char odd[] = "\xC3\x89mile Zola \xE2\x80\x99s \xC2\xA0 \xE2\x82\xAC"
                       "5 ( ) ((X)) 's '";
    assert_int_equal(kg_ner_run(odd, sizeof odd - 1, &RULES, &r, &e), 0);
    size_t n = 200000;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = "John Smith visited Paris in 1999 (JSP). "[i % 40];
    big[n] = 0;
    assert_int_equal(kg_ner_run(big, n, &RULES, &r, &e), 0);
    assert_true(r.n > 1000);
    for (size_t i = 0; i < r.n; i++)
        assert_true(r.v[i].start < r.v[i].end && r.v[i].end <= n);
    free(big);
    kg_ner_result_free(&r);
}

static void *thread_main(void *arg)
{
    const char *t = arg;
    for (int k = 0; k < 200; k++) {
        kg_ner_result r = KG_NER_RESULT_INIT;
        if (kg_ner_run(t, strlen(t), &RULES, &r, NULL) != 0 || r.n < 2)
            return (void *)1;
        kg_ner_result_free(&r);
    }
    return NULL;
}

static void test_threads(void **st)
{
    (void)st;
    pthread_t th[4];
    char *t = "Dr. Alan Turing moved to Manchester in 1948.";
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, thread_main, t), 0);
    for (int i = 0; i < 4; i++) {
        void *rv;
        pthread_join(th[i], &rv);
        assert_null(rv);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_titles),
        cmocka_unit_test(test_org_suffixes),
        cmocka_unit_test(test_citations),
        cmocka_unit_test(test_gazetteer),
        cmocka_unit_test(test_norp),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_acronyms),
        cmocka_unit_test(test_sentence_start),
        cmocka_unit_test(test_concepts_and_datasets),
        cmocka_unit_test(test_confidence),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
