/* Unit tests for graph/fuse_score: which names of two documents are the
 * same entity (abbreviations, initials, spelling variants, aliases) and
 * which must stay apart (other given name, other type, other words), which
 * types are kindred (graph/kindred), and
 * how the similarity of two entities' contexts moves a score: by at most
 * the weight either way, around the neutral cosine, never past 0..1, never
 * undoing a veto. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/fuse_score.h"
#include "graph/kindred.h"
#include "testutil.h"

static kg_fuse_result score(const char *ta, const char *a, const char *tb, const char *b)
{
    kg_fuse_entity x = {ta, a, NULL, 0}, y = {tb, b, NULL, 0};
    kg_fuse_result r;
    kg_fuse_compare(&x, &y, &r);
    fprintf(stderr, "%s \"%s\" / %s \"%s\": %.3f%s (%s)\n", ta, a, tb, b, r.score,
            r.veto ? " veto" : "", r.reasons);
    return r;
}

static void must_merge(const char *type, const char *a, const char *b)
{
    kg_fuse_result r = score(type, a, type, b);
    assert_false(r.veto);
    assert_true(r.score >= 0.8);
    /* Symmetric. */
    kg_fuse_result s = score(type, b, type, a);
    assert_false(s.veto);
    assert_true(s.score >= 0.8);
}

static void must_not_merge(const char *ta, const char *a, const char *tb, const char *b)
{
    kg_fuse_result r = score(ta, a, tb, b);
    assert_true(r.veto || r.score < 0.8);
    r = score(tb, b, ta, a);
    assert_true(r.veto || r.score < 0.8);
}

static void test_jw(void **st)
{
    (void)st;
    assert_true(kg_fuse_jw("martha", "marhta") > 0.96 && kg_fuse_jw("martha", "marhta") < 0.962);
    assert_true(kg_fuse_jw("abc", "abc") == 1.0);
    assert_true(kg_fuse_jw("abc", "xyz") == 0.0);
    assert_true(kg_fuse_jw("", "") == 1.0);
}

static void test_words(void **st)
{
    (void)st;
    char **w = NULL;
    int n = kg_fuse_words("The Univ. of  Lisbon's", &w);
    assert_int_equal(n, 2);
    assert_string_equal(w[0], "univ");
    assert_string_equal(w[1], "lisbon");
    kg_fuse_words_free(w, n);
}

static void test_same_entity(void **st)
{
    (void)st;
    must_merge("ORG", "Univ. of Lisbon", "University of Lisbon");
    must_merge("ORG", "University of Lisboa", "University of Lisbon");
    must_merge("ORG", "Lisbon University", "University of Lisbon");
    must_merge("ORG", "Massachusetts Inst. of Technology", "Massachusetts Institute of Technology");
    must_merge("ORG", "Intl. Monetary Fund", "International Monetary Fund");
    must_merge("PERSON", "J. Smith", "John Smith");
    must_merge("PERSON", "Jon Smith", "Jonathan Smith");
    must_merge("PERSON", "Ebenezer Scrooge", "Ebeneezer Scrooge");
    must_merge("ORG", "Department of Defense", "Department of Defence");
    kg_fuse_result r = score("PERSON", "John Smith", "PERSON", "john  smith");
    assert_true(r.same_norm);
    assert_true(r.score == 1.0);
    assert_non_null(
        strstr(score("PERSON", "J. Smith", "PERSON", "John Smith").reasons, "initials"));
    assert_non_null(strstr(score("ORG", "Univ. of Lisbon", "ORG", "University of Lisbon").reasons,
                           "abbreviation"));
}

static void test_different_entities(void **st)
{
    (void)st;
    must_not_merge("PERSON", "John Smith", "PERSON", "Mary Smith");
    must_not_merge("PERSON", "Smith", "PERSON", "John Smith");
    must_not_merge("PERSON", "John Smith", "PERSON", "John Smithers");
    must_not_merge("PERSON", "J. Smith", "PERSON", "Mary Smith");
    must_not_merge("GPE", "Paris", "PERSON", "Paris");
    must_not_merge("ORG", "University of Lisbon", "ORG", "University of Porto");
    must_not_merge("ORG", "New York Times", "ORG", "New York Post");
    must_not_merge("EVENT", "World War I", "EVENT", "World War II");
    must_not_merge("ORG", "Bank of America", "ORG", "Bank of America Merrill Lynch");
    must_not_merge("ORG", "Academy of Fine Arts", "ORG", "Academy of Fine Arts Vienna");
    must_not_merge("EVENT", "World War", "EVENT", "World Wars");
    must_not_merge("ORG", "National Party", "ORG", "Nationalist Party");
    must_not_merge("ORG", "J Records", "ORG", "Jive Records");
    must_not_merge("PERSON", "John Smith", "PERSON", "John A. Smith");
    must_not_merge("PERSON", "Duke of Poland", "PERSON", "Duke of Portland");
    must_not_merge("PERSON", "Guzman", "PERSON", "De Guzman");
    must_not_merge("PERSON", "Manuel Romeo", "PERSON", "Manuel Romero");
    assert_true(score("GPE", "Paris", "PERSON", "Paris").veto);
    assert_true(score("PERSON", "John Smith", "PERSON", "Mary Smith").veto);
}

/* Kindred types (graph/kindred) join under one name spelt alike; other
 * types, or kindred types under names that only look alike, never. */
static void test_kindred_types(void **st)
{
    (void)st;
    kg_fuse_result r = score("GPE", "United States", "LOC", "United States");
    assert_false(r.veto);
    assert_true(r.score >= 0.99);
    assert_non_null(strstr(r.reasons, "kindred types GPE / LOC"));
    assert_false(score("ORG", "NASCAR", "METHOD", "NASCAR").veto); /* a code-like name */
    assert_false(score("METHOD", "JavaScript", "SOFTWARE", "Javascript").veto);
    assert_false(score("MISC", "Gaussian distribution", "METHOD", "Gaussian distribution").veto);
    assert_true(score("GPE", "United States", "LOC", "United Sates").veto); /* spelt apart */
    assert_true(score("ORG", "Support Vector Machine", "METHOD", "Support Vector Machine").veto);
    assert_true(score("PERSON", "Washington", "GPE", "Washington").veto);
    assert_true(score("NORP", "English", "LANGUAGE", "English").veto);
    assert_true(score("GPE", "Illinois", "ORG", "Illinois").veto);
    assert_true(score("DATE", "1952", "METHOD", "1952").veto);

    assert_true(kg_name_code_like("AODV"));
    assert_true(kg_name_code_like("LSTMs"));
    assert_true(kg_name_code_like("SpiderMonkey"));
    assert_true(kg_name_code_like("IE6"));
    assert_false(kg_name_code_like("Illinois"));
    assert_false(kg_name_code_like("A"));
    assert_false(kg_name_code_like("Graph Echo Network"));
    assert_false(kg_name_code_like("GEN Model"));
    assert_false(kg_name_code_like("Lema\xC3\xAEtre\xE2\x80\x93Tolman")); /* an eponym */
    assert_false(kg_name_code_like("Smith-Jones"));
    assert_true(kg_kin_types("PERSON", "PERSON", true));
    assert_false(kg_kin_types("PERSON", "ORG", true));
    assert_true(kg_kin_types("ORG", "GPE", true));
    assert_false(kg_kin_types("ORG", "GPE", false));
}

static void test_aliases(void **st)
{
    (void)st;
    /* An alias can raise a score... */
    const char *al[] = {"University of Lisbon"};
    kg_fuse_entity a = {"ORG", "UL", al, 1}, b = {"ORG", "Univ. of Lisbon", NULL, 0};
    kg_fuse_result r;
    kg_fuse_compare(&a, &b, &r);
    /* ...but the canonical names still decide a veto: "ul" and "univ
     * lisbon" share no word, so this stays apart. */
    assert_true(r.veto);
    const char *al2[] = {"Univ. of Lisbon"};
    kg_fuse_entity c = {"ORG", "Lisbon University", al2, 1},
                   d = {"ORG", "University of Lisbon Press", NULL, 0};
    kg_fuse_compare(&c, &d, &r);
    assert_true(r.veto || r.score < 0.8);
    /* A bare surname alias of a person is never used. */
    const char *s1[] = {"Smith"}, *s2[] = {"Smith"};
    kg_fuse_entity p = {"PERSON", "John Smith", s1, 1}, q = {"PERSON", "Mary Smith", s2, 1};
    kg_fuse_compare(&p, &q, &r);
    assert_true(r.veto);
    /* A multi-word alias shared by two spellings lifts the pair. */
    const char *m1[] = {"Ebenezer Scrooge"};
    kg_fuse_entity x = {"PERSON", "E. Scrooge", m1, 1}, y = {"PERSON", "Ebenezer Scrooge", NULL, 0};
    kg_fuse_compare(&x, &y, &r);
    assert_false(r.veto);
    assert_true(r.via_alias);
    assert_true(r.score == 1.0);
}

static void test_context(void **st)
{
    (void)st;
    const double w = 0.25, n = KG_FUSE_CONTEXT_NEUTRAL;
    /* The mapping: -w at 0 (and below), 0 at the neutral cosine, +w at 1. */
    assert_float_equal(kg_fuse_context_delta(n, w), 0.0, 1e-12);
    assert_float_equal(kg_fuse_context_delta(1.0, w), w, 1e-12);
    assert_float_equal(kg_fuse_context_delta(0.0, w), -w, 1e-12);
    assert_float_equal(kg_fuse_context_delta(-0.3, w), -w, 1e-12);
    assert_float_equal(kg_fuse_context_delta(n / 2, w), -w / 2, 1e-12);
    assert_float_equal(kg_fuse_context_delta((1 + n) / 2, w), w / 2, 1e-12);
    assert_float_equal(kg_fuse_context_delta(0.9, 0.0), 0.0, 0);
    assert_true(kg_fuse_context_delta(0.6, w) > kg_fuse_context_delta(0.5, w));

    /* A borderline name match ("A. Costa" / "Antonio Costa", under 0.8 by
     * name) is lifted by similar contexts... */
    kg_fuse_result r = score("PERSON", "A. Costa", "PERSON", "Antonio Costa");
    assert_false(r.veto);
    assert_true(r.score < 0.8);
    double name = r.score;
    kg_fuse_context(&r, 0.8, w);
    assert_true(r.context);
    assert_true(r.score >= 0.8);
    assert_float_equal(r.score - name, r.context_delta, 1e-12);
    assert_float_equal(r.cosine, 0.8, 0);
    assert_non_null(strstr(r.reasons, "context similarity 0.80 (+0."));
    assert_non_null(strstr(r.reasons, "initials"));
    /* ...and a good one ("J. Smith" / "John Smith") pulled apart by
     * contexts with little in common. */
    r = score("PERSON", "J. Smith", "PERSON", "John Smith");
    assert_true(r.score >= 0.8);
    kg_fuse_context(&r, 0.15, w);
    assert_true(r.score < 0.8);
    assert_non_null(strstr(r.reasons, "context similarity 0.15 (-0."));
    /* Neutral contexts change nothing; the weight 0 turns it off. */
    r = score("PERSON", "J. Smith", "PERSON", "John Smith");
    name = r.score;
    kg_fuse_context(&r, n, w);
    assert_float_equal(r.score, name, 1e-12);
    r = score("PERSON", "J. Smith", "PERSON", "John Smith");
    kg_fuse_context(&r, 0.0, 0.0);
    assert_false(r.context);
    assert_float_equal(r.score, name, 0);
    assert_null(strstr(r.reasons, "context"));
    /* Equal normal forms: clamped at 1, and only orthogonal contexts take
     * them under the default threshold. */
    r = score("ORG", "University of Lisbon", "ORG", "The University of Lisbon");
    assert_true(r.same_norm);
    kg_fuse_context(&r, 0.9, w);
    assert_float_equal(r.score, 1.0, 0);
    r = score("ORG", "University of Lisbon", "ORG", "The University of Lisbon");
    kg_fuse_context(&r, 0.1, w);
    assert_true(r.score >= 0.8);
    kg_fuse_result z = score("ORG", "University of Lisbon", "ORG", "The University of Lisbon");
    kg_fuse_context(&z, 0.0, w);
    assert_true(z.score < 0.8);
    /* Values are what they say wherever they stand. */
    assert_false(kg_fuse_context_applies("DATE"));
    assert_false(kg_fuse_context_applies("MONEY"));
    assert_false(kg_fuse_context_applies("PERCENT"));
    assert_true(kg_fuse_context_applies("PERSON"));
    assert_true(kg_fuse_context_applies("ORG"));
    /* A veto stays a veto, whatever the contexts. */
    r = score("PERSON", "John Smith", "PERSON", "Mary Smith");
    kg_fuse_context(&r, 1.0, 0.5);
    assert_true(r.veto);
    assert_float_equal(r.score, 0.0, 0);
    assert_false(r.context);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jw),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_same_entity),
        cmocka_unit_test(test_different_entities),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_context),
        cmocka_unit_test(test_kindred_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
