/* Unit tests for ner/conll: the CoNLL reader (IO, IOB1, IOB2, BIOES/BILOU)
 * and scorer on small fixtures with hand-computed scores, --types, the
 * error listing, and the wikigold goal with the built-in model when the
 * shared data is present. */
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

/* Issue 12's goal is 0.75, not reached yet: the shipped model scores 0.712
 * (models/README.md); the floor sits a little under that. */
#define WIKIGOLD_FLOOR 0.70

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

static void test_types_and_schemes(void **st)
{
    (void)st;
    /* BIOES / BILOU tags, IOB1 (I- starts a span after O), a label no
     * class asks for. */
    const char *d = "-DOCSTART- O\n\n"
                    "Ada S-PER\nmet I-PER\nBob B-PER\nSmith E-PER\nin O\nRome U-LOC\n. O\n\n"
                    "Lisp B-LANG\nis O\nold O\n. O\n";
    kg_ner_eval ev;
    kg_err e;
    kg_ner_eval_opts o = RULES;
    o.types = "PER";
    assert_int_equal(kg_eval_ner_conll_text(d, strlen(d), "t", &o, &ev, &e), 0);
    assert_int_equal(ev.nclass, 1);
    assert_string_equal(ev.cls[0], "PER");
    /* Gold PER: Ada, met (IOB1 start), Bob Smith. */
    assert_int_equal(ev.per_type[0].tp + ev.per_type[0].fn, 3);
    assert_int_equal(ev.gold_entities, 3);
    assert_true(ev.in_overall[0]);
    o.types = "LOC,PER";
    assert_int_equal(kg_eval_ner_conll_text(d, strlen(d), "t", &o, &ev, &e), 0);
    assert_int_equal(ev.gold_entities, 4);
    assert_int_equal(ev.overall.tp + ev.overall.fn, 4);
    kg_buf b = KG_BUF_INIT;
    kg_eval_ner_table(&ev, &b);
    assert_non_null(strstr(kg_buf_str(&b), "(overall = micro over LOC, PER)"));
    kg_buf_free(&b);
    o.types = "PER,PERSON";
    assert_int_equal(kg_eval_ner_conll_text(d, strlen(d), "t", &o, &ev, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "twice"));
    o.types = ",";
    assert_int_equal(kg_eval_ner_conll_text(d, strlen(d), "t", &o, &ev, &e), KG_EINVAL);
    /* Errors listed on request. */
    kg_buf errs = KG_BUF_INIT;
    o.types = NULL;
    o.errors = &errs;
    assert_int_equal(kg_eval_ner_conll_text(d, strlen(d), "t", &o, &ev, &e), 0);
    assert_non_null(strstr(kg_buf_str(&errs), "missed PER      met"));
    kg_buf_free(&errs);
    char buf[16];
    assert_string_equal(kg_conll_canon_type("researcher", 10, buf, sizeof buf), "PERSON");
    assert_string_equal(kg_conll_canon_type("Material", 8, buf, sizeof buf), "DATASET");
    assert_string_equal(kg_conll_canon_type("foo-bar", 7, buf, sizeof buf), "FOO-BAR");
}

/* Each sentence's text as running text writes it: a clitic joins the word
 * before it ("Apple's", "don't"; curly apostrophe too), anything else,
 * a lone apostrophe included, is spaced; each token keeps its byte span. */
typedef struct seen {
    char text[128];
    size_t ntok, start[16], end[16], span_end;
} seen;

static int keep_sentence(void *arg, const kg_conll_sent *s, kg_err *err)
{
    (void)err;
    seen *v = arg;
    snprintf(v->text, sizeof v->text, "%s", s->text);
    v->ntok = s->ntok;
    for (size_t i = 0; i < s->ntok && i < 16; i++) {
        v->start[i] = s->tstart[i];
        v->end[i] = s->tend[i];
    }
    v->span_end = s->nspans ? s->spans[0].end : 0;
    return 0;
}

static void test_clitics_as_written(void **st)
{
    (void)st;
    const char *data = "Wendy\tB-ORG\n's\tI-ORG\nsaid\tO\nthey\tO\ndo\tO\nn't\tO\n"
                       "Jesus\tB-PER\n'\tO\nwe\tO\n're\tO\nMary\tB-PER\n\xE2\x80\x99s\tO\n"
                       ")\tO\n's\tO\n";
    seen v;
    kg_err e;
    assert_int_equal(kg_conll_parse(data, strlen(data), "x", keep_sentence, &v, &e), 0);
    assert_string_equal(v.text, "Wendy's said they don't Jesus ' we're Mary\xE2\x80\x99s ) 's");
    assert_int_equal(v.ntok, 14);
    assert_int_equal(v.start[1], 5); /* 's */
    assert_int_equal(v.end[1], 7);
    assert_int_equal(v.start[5], 20); /* n't */
    assert_int_equal(v.span_end, 2);  /* Wendy's: two tokens */
    /* Scored across a possessive: the rules find "Wendy" in "Wendy's". */
    const char *gold = "Mary\tB-PER\nSmith\tI-PER\n's\tO\nhouse\tO\n";
    kg_ner_eval ev;
    assert_int_equal(kg_eval_ner_conll_text(gold, strlen(gold), "g", &RULES, &ev, &e), 0);
    assert_int_equal(ev.per_type[KG_EVAL_PER].tp, 1);
    assert_int_equal(ev.overall.fp, 0);
}

/* The goal of issue 12, with the model built into kgas: wikigold (never
 * trained on) F1 over PER, ORG and LOC, a little under what the shipped
 * model reaches (models/README.md), so a worse model fails here. */
static void test_wikigold(void **st)
{
    (void)st;
    char *p = tu_shared("ner/wikigold.conll");
    if (!p)
        return;
    kg_ner_eval ev;
    kg_err e;
    assert_int_equal(kg_eval_ner_conll(p, NULL, &ev, &e), 0);
    kg_buf b = KG_BUF_INIT;
    kg_eval_ner_table(&ev, &b);
    printf("wikigold, the built-in model:\n%s", kg_buf_str(&b));
    kg_buf_free(&b);
    assert_int_equal(ev.gold_entities, 3558);
    assert_true(ev.overall.f1 >= WIKIGOLD_FLOOR);
    /* The rules engine stays what it was. */
    assert_int_equal(kg_eval_ner_conll(p, &RULES, &ev, &e), 0);
    assert_true(ev.overall.f1 >= 0.59);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_io_spaces_docstart),       cmocka_unit_test(test_iob2_tabs_wnut),
        cmocka_unit_test(test_iob2_adjacent_and_errors), cmocka_unit_test(test_types_and_schemes),
        cmocka_unit_test(test_clitics_as_written),       cmocka_unit_test(test_wikigold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
