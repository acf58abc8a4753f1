/* Unit tests for ner/conll: the CoNLL reader and scorer on small fixtures
 * with hand-computed scores, and the wikigold measurement when the shared
 * data is present. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ner/conll.h"
#include "testutil.h"

static char *fixture(const char *name)
{
    const char *src = getenv("TEST_SOURCE_DIR");
    char *dir = tu_join(src ? src : ".", "tests/data/ner");
    char *p = tu_join(dir, name);
    free(dir);
    return p;
}

/* The fixtures' expected predictions are the rules engine's. */
static const kg_ner_eval_opts RULES = {NULL, NULL, KG_NER_ENGINE_RULES, NULL};

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void test_io_spaces_docstart(void **st)
{
    (void)st;
    /* Gold: [John Smith]PER [Paris]LOC / [Obama]PER [Texas]ORG.
     * We predict John Smith PERSON, Paris GPE, Obama PERSON, Texas GPE:
     * PER 2/0/0, LOC 1 tp + 1 fp (Texas), ORG 1 fn -> overall 3/1/1. */
    char *p = fixture("io_spaces.conll");
    kg_ner_eval ev;
    kg_err e;
    assert_int_equal(kg_eval_ner_conll(p, &RULES, &ev, &e), 0);
    assert_int_equal(ev.sentences, 2);
    assert_int_equal(ev.tokens, 11);
    assert_int_equal(ev.per_type[KG_EVAL_PER].tp, 2);
    assert_int_equal(ev.per_type[KG_EVAL_LOC].tp, 1);
    assert_int_equal(ev.per_type[KG_EVAL_LOC].fp, 1);
    assert_int_equal(ev.per_type[KG_EVAL_ORG].fn, 1);
    NEAR(ev.overall.precision, 0.75);
    NEAR(ev.overall.recall, 0.75);
    NEAR(ev.overall.f1, 0.75);
    NEAR(ev.per_type[KG_EVAL_LOC].f1, 2.0 / 3.0);
    free(p);
}

static void test_iob2_tabs_wnut(void **st)
{
    (void)st;
    /* Gold (WNUT types): [Barack Obama]person [Adele]person [London]location /
     * [Japanese]group [iPhone]product.  Predicted: the three first right,
     * Japanese NORP (MISC: fp, and ORG fn), iPhone PRODUCT (MISC tp).
     * Overall 3 tp, 0 fp, 1 fn: P 1, R 0.75, F1 6/7. */
    char *p = fixture("iob2_tabs_wnut.conll");
    kg_ner_eval ev;
    kg_err e;
    assert_int_equal(kg_eval_ner_conll(p, &RULES, &ev, &e), 0);
    assert_int_equal(ev.sentences, 2);
    assert_int_equal(ev.per_type[KG_EVAL_PER].tp, 2);
    assert_int_equal(ev.per_type[KG_EVAL_MISC].tp, 1);
    assert_int_equal(ev.per_type[KG_EVAL_MISC].fp, 1);
    NEAR(ev.overall.precision, 1.0);
    NEAR(ev.overall.recall, 0.75);
    NEAR(ev.overall.f1, 6.0 / 7.0);

    char *json = NULL;
    assert_int_equal(kg_eval_ner_json(&ev, &json, &e), 0);
    assert_non_null(strstr(json, "\"overall\""));
    assert_non_null(strstr(json, "\"per_type\""));
    assert_non_null(strstr(json, "\"words_per_second\""));
    free(json);
    kg_buf b = KG_BUF_INIT;
    kg_eval_ner_table(&ev, &b);
    assert_non_null(strstr(kg_buf_str(&b), "overall"));
    kg_buf_free(&b);
    free(p);
}

static void test_iob2_adjacent_and_errors(void **st)
{
    (void)st;
    /* B- starts a new entity even after I- of the same type. */
    const char *d = "Paris B-LOC\nLondon B-LOC\n";
    kg_ner_eval ev;
    kg_err e;
    assert_int_equal(kg_eval_ner_conll_text(d, strlen(d), "mem", &RULES, &ev, &e), 0);
    assert_int_equal(ev.per_type[KG_EVAL_LOC].tp + ev.per_type[KG_EVAL_LOC].fn, 2);
    const char *bad = "Paris\n";
    assert_int_equal(kg_eval_ner_conll_text(bad, strlen(bad), "bad.conll", &RULES, &ev, &e),
                     KG_EFORMAT);
    assert_non_null(strstr(e.msg, "bad.conll line 1"));
    const char *badtag = "Paris X-LOC\n";
    assert_int_equal(kg_eval_ner_conll_text(badtag, strlen(badtag), "t", &RULES, &ev, &e),
                     KG_EFORMAT);
    assert_int_equal(kg_eval_ner_conll("/nonexistent/x.conll", &RULES, &ev, &e), KG_EIO);
    assert_non_null(strstr(e.msg, "/nonexistent/x.conll"));
}

static void test_wikigold(void **st)
{
    (void)st;
    char *p = tu_shared("ner/wikigold.conll");
    if (!p)
        return;
    kg_ner_eval ev;
    kg_err e;
    assert_int_equal(kg_eval_ner_conll(p, &RULES, &ev, &e), 0);
    kg_buf b = KG_BUF_INIT;
    kg_eval_ner_table(&ev, &b);
    printf("wikigold:\n%s", kg_buf_str(&b));
    kg_buf_free(&b);
    assert_int_equal(ev.gold_entities, 3558);
    assert_true(ev.overall.f1 >= 0.60);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io_spaces_docstart),
        cmocka_unit_test(test_iob2_tabs_wnut),
        cmocka_unit_test(test_iob2_adjacent_and_errors),
        cmocka_unit_test(test_wikigold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
