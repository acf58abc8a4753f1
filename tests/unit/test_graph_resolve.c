/* Unit tests for graph/resolve: keys, acronyms, person-name variants,
 * ambiguity, cross-document keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/resolve.h"
#include "testutil.h"

static void key_is(const char *type, const char *name, const char *want)
{
    char *k = kg_resolve_key(type, name);
    if (strcmp(k, want) != 0)
        fprintf(stderr, "key(%s, \"%s\") = \"%s\", want \"%s\"\n", type, name, k, want);
    assert_string_equal(k, want);
    free(k);
}

static void test_keys(void **st)
{
    (void)st;
    key_is("PERSON", "Dr. Jane  Goodall", "jane goodall");
    key_is("PERSON", "Prof Alan Turing", "alan turing");
    key_is("PERSON", "Mrs. Dalloway", "dalloway");
    key_is("PERSON", "Master Peter Cratchit", "peter cratchit");
    key_is("PERSON", "Smith's", "smith");
    key_is("PERSON", "Smith\xe2\x80\x99s", "smith");
    key_is("PERSON", "José Müller", "jose muller");
    key_is("PERSON", "J. Smith", "j smith");
    key_is("PERSON", "Martin Luther King Jr.", "martin luther king");
    key_is("PERSON", "Seán O'Brien", "sean obrien");
    key_is("ORG", "The World Bank", "world bank");
    key_is("ORG", "U.S. Navy", "us navy");
    key_is("ORG", "University of Oxford", "oxford university");
    key_is("ORG", "Oxford University", "oxford university");
    key_is("ORG", "the University of Oxford", "oxford university");
    key_is("ORG", "Massachusetts Institute of Technology", "institute massachusetts technology");
    key_is("ORG", "Bank of England", "bank of england"); /* no marker: order kept */
    key_is("METHOD", "Long Short-Term Memory", "long short term memory");
    key_is("METHOD", "LSTMs", "lstm");
    key_is("METHOD", "LSTM", "lstm");
    key_is("ORG", "STRASSE", "strasse");
    key_is("ORG", "Straße", "strasse"); /* full casefold */
    key_is("ORG", "!!!", "");
    char *f = kg_resolve_fold("ÀB\xff", 4); /* invalid UTF-8 still folds ASCII */
    assert_non_null(f);
    free(f);
}

#define M(s, t, a)                                       \
    {                                                    \
        s, t, a, a + (int64_t)strlen(s), 0.9, 1, NULL, 0 \
    }

static int ent_of(const kg_resolution *r, int i)
{
    return r->mention_entity[i];
}

/* Place each span at the next occurrence of its surface in text. */
static void place_spans(const char *text, kg_resolve_mention *m, int n)
{
    const char *from = text;
    for (int i = 0; i < n; i++) {
        const char *p = strstr(from, m[i].surface);
        assert_non_null(p);
        m[i].start = p - text;
        m[i].end = m[i].start + (int64_t)strlen(m[i].surface);
        from = p + strlen(m[i].surface);
    }
}

static void test_acronyms(void **st)
{
    (void)st;
    const char *text = "We use Long Short-Term Memory (LSTM) networks. LSTM beats a Convolutional "
                       "Neural Network here. A CNN is fast. Random Forest (RF) too. RF. XYZ.";
    kg_resolve_mention m[] = {
        M("Long Short-Term Memory", "METHOD", 7),
        M("LSTM", "METHOD", 31),
        M("LSTM", "METHOD", 47),
        M("Convolutional Neural Network", "METHOD", 60),
        M("CNN", "METHOD", 98),
        M("Random Forest", "METHOD", 116),
        M("RF", "METHOD", 144),
        M("XYZ", "METHOD", 148),
    };
    int n = (int)(sizeof m / sizeof m[0]);
    place_spans(text, m, n);
    kg_resolution *r;
    kg_err e;
    assert_int_equal(kg_resolve_document(text, strlen(text), m, n, &r, &e), KG_OK);
    assert_int_equal(ent_of(r, 0), ent_of(r, 1));
    assert_int_equal(ent_of(r, 0), ent_of(r, 2));
    assert_int_equal(ent_of(r, 3), ent_of(r, 4)); /* initials, no definition */
    assert_int_equal(ent_of(r, 5), ent_of(r, 6)); /* defined */
    assert_int_not_equal(ent_of(r, 7), ent_of(r, 0));
    assert_int_equal(r->n_entities, 4);
    const kg_resolve_entity *lstm = &r->entities[ent_of(r, 1)];
    assert_string_equal(lstm->name, "Long Short-Term Memory"); /* defined long form */
    assert_string_equal(lstm->key, "long short term memory");
    assert_int_equal(lstm->n_aliases, 1);
    assert_string_equal(lstm->aliases[0], "LSTM");
    assert_int_equal(lstm->mentions, 3);
    assert_string_equal(r->mention_key[1], "lstm");
    kg_resolution_free(r);

    /* Two long forms with the same initials and no definition: ambiguous. */
    kg_resolve_mention a[] = {
        M("Support Vector Machine", "METHOD", 0), M("Sparse Variational Model", "METHOD", 30),
        M("SVM", "METHOD", 60), M("Support Vector Machine", "ORG", 70), /* other type never joins */
    };
    assert_int_equal(kg_resolve_document(NULL, 0, a, 4, &r, &e), KG_OK);
    assert_int_equal(r->n_entities, 4);
    kg_resolution_free(r);

    /* A definition whose acronym is the long form's initials joins the two
     * whatever types they were given; one that is not (the brackets hold
     * some other abbreviation) joins only its own type. */
    const char *t2 = "The North Atlantic Oscillation (NAO) modulates the records. The NAO index "
                     "is regressed out. Stanford Parser (CRF) is used. CRF is slow.";
    kg_resolve_mention b[] = {
        M("North Atlantic Oscillation", "VENUE", 4),
        M("NAO", "ORG", 32),
        M("NAO", "METHOD", 66),
        M("Stanford Parser", "SOFTWARE", 96),
        M("CRF", "METHOD", 127),
    };
    place_spans(t2, b, 5); /* "CRF" is the bracketed one */
    assert_int_equal(kg_resolve_document(t2, strlen(t2), b, 5, &r, &e), KG_OK);
    assert_int_equal(ent_of(r, 0), ent_of(r, 1));
    assert_int_equal(ent_of(r, 0), ent_of(r, 2));
    assert_int_not_equal(ent_of(r, 3), ent_of(r, 4));
    const kg_resolve_entity *nao = &r->entities[ent_of(r, 0)];
    assert_string_equal(nao->name, "North Atlantic Oscillation");
    assert_int_equal(nao->mentions, 3);
    kg_resolution_free(r);
    /* Without the text (ingest passes one row per form), the definition the
     * caller found with kg_resolve_defines does the same. */
    char acr[11];
    assert_true(kg_resolve_defines(t2, strlen(t2), (size_t)b[0].end, acr));
    assert_string_equal(acr, "NAO");
    assert_true(kg_resolve_defines(t2, strlen(t2), (size_t)b[3].end, acr));  /* "(CRF)" */
    assert_false(kg_resolve_defines(t2, strlen(t2), (size_t)b[1].end, acr)); /* no bracket */
    assert_string_equal(acr, "");
    assert_false(kg_resolve_defines("X (2019)", 8, 1, acr)); /* a year, no acronym */
    assert_false(kg_resolve_defines("X (Fig)", 7, 1, acr));
    assert_string_equal(acr, "");
    b[0].defines = "NAO";
    b[3].defines = "CRF";
    assert_int_equal(kg_resolve_document(NULL, 0, b, 5, &r, &e), KG_OK);
    assert_int_equal(ent_of(r, 0), ent_of(r, 1));
    assert_int_equal(ent_of(r, 0), ent_of(r, 2));
    assert_int_not_equal(ent_of(r, 3), ent_of(r, 4));
    assert_string_equal(r->entities[ent_of(r, 1)].name, "North Atlantic Oscillation");
    kg_resolution_free(r);
}

static void test_person_variants(void **st)
{
    (void)st;
    kg_resolve_mention m[] = {
        M("Dr. John Smith", "PERSON", 0),
        M("Smith", "PERSON", 20),
        M("Smith's", "PERSON", 40), /* possessive */
        M("J. Smith", "PERSON", 60),
        M("Prof. Ada Lovelace", "PERSON", 80),
        M("Lovelace", "PERSON", 100),
        M("Turing", "PERSON", 120), /* no full name here: stays alone */
        M("Smith", "ORG", 140),     /* other type */
        M("John Smith", "PERSON", 160),
    };
    int n = (int)(sizeof m / sizeof m[0]);
    kg_resolution *r;
    kg_err e;
    assert_int_equal(kg_resolve_document(NULL, 0, m, n, &r, &e), KG_OK);
    int js = ent_of(r, 0);
    assert_int_equal(ent_of(r, 1), js);
    assert_int_equal(ent_of(r, 2), js);
    assert_int_equal(ent_of(r, 3), js);
    assert_int_equal(ent_of(r, 8), js);
    assert_int_equal(ent_of(r, 5), ent_of(r, 4));
    assert_int_not_equal(ent_of(r, 6), js);
    assert_int_not_equal(ent_of(r, 7), js);
    assert_int_equal(r->n_entities, 4);
    assert_string_equal(r->entities[js].name, "John Smith");
    assert_string_equal(r->entities[js].key, "john smith");
    assert_int_equal(r->entities[js].mentions, 5);
    assert_string_equal(r->entities[ent_of(r, 4)].name, "Ada Lovelace");
    assert_string_equal(r->entities[ent_of(r, 6)].name, "Turing");
    assert_string_equal(r->entities[ent_of(r, 6)].key, "turing");
    assert_int_equal(js, 0); /* entities in order of first mention */
    kg_resolution_free(r);
}

static void test_ambiguous_surname(void **st)
{
    (void)st;
    kg_resolve_mention m[] = {
        M("John Smith", "PERSON", 0), M("Mary Smith", "PERSON", 20), M("Smith", "PERSON", 40),
        M("J. Smith", "PERSON", 60), /* only John starts with J: joins John */
        M("M Smith", "PERSON", 80),   M("Jane Doe", "PERSON", 100),  M("John Doe", "PERSON", 120),
        M("J. Doe", "PERSON", 140), /* Jane or John: stays apart */
    };
    int n = (int)(sizeof m / sizeof m[0]);
    kg_resolution *r;
    kg_err e;
    assert_int_equal(kg_resolve_document(NULL, 0, m, n, &r, &e), KG_OK);
    assert_int_not_equal(ent_of(r, 0), ent_of(r, 1));
    assert_int_not_equal(ent_of(r, 2), ent_of(r, 0));
    assert_int_not_equal(ent_of(r, 2), ent_of(r, 1));
    assert_int_equal(ent_of(r, 3), ent_of(r, 0));
    assert_int_equal(ent_of(r, 4), ent_of(r, 1));
    assert_int_not_equal(ent_of(r, 7), ent_of(r, 5));
    assert_int_not_equal(ent_of(r, 7), ent_of(r, 6));
    assert_int_equal(r->n_entities, 6);
    kg_resolution_free(r);
}

/* A lone surname joins the full name the document uses four times as often
 * as the other full names with that surname together (a misread one), and
 * three times at least. */
static void test_dominant_surname(void **st)
{
    (void)st;
    kg_resolve_mention m[] = {
        M("Ebenezer Scrooge", "PERSON", 0),
        M("Ebenezer Scrooge", "PERSON", 20),
        M("Ebenezer Scrooge", "PERSON", 40),
        M("Ebenezer Scrooge", "PERSON", 60),
        M("Whereat Scrooge", "PERSON", 80),
        M("Scrooge", "PERSON", 100),
        /* Two Smiths used three times and once: below four to one. */
        M("John Smith", "PERSON", 120),
        M("John Smith", "PERSON", 140),
        M("John Smith", "PERSON", 160),
        M("Mary Smith", "PERSON", 180),
        M("Smith", "PERSON", 200),
    };
    int n = (int)(sizeof m / sizeof m[0]);
    kg_resolution *r;
    kg_err e;
    assert_int_equal(kg_resolve_document(NULL, 0, m, n, &r, &e), KG_OK);
    assert_int_equal(ent_of(r, 5), ent_of(r, 0));
    assert_int_not_equal(ent_of(r, 4), ent_of(r, 0));
    assert_int_not_equal(ent_of(r, 10), ent_of(r, 6));
    assert_int_not_equal(ent_of(r, 10), ent_of(r, 9));
    kg_resolution_free(r);
}

static void test_first_name(void **st)
{
    (void)st;
    kg_resolve_mention m[] = {
        M("Bob Cratchit", "PERSON", 0), M("Bob", "PERSON", 20), /* joins Bob Cratchit */
        M("Fred Smith", "PERSON", 40),  M("Fred Jones", "PERSON", 60),
        M("Fred", "PERSON", 80), /* two Freds: stays apart */
        M("Ann Lee", "PERSON", 100),    M("Lee Miller", "PERSON", 120),
        M("Lee", "PERSON", 140),                              /* a surname first: joins Ann Lee */
        M("Martha", "PERSON", 160),     M("Bob", "ORG", 180), /* other type */
    };
    int n = (int)(sizeof m / sizeof m[0]);
    kg_resolution *r;
    kg_err e;
    assert_int_equal(kg_resolve_document(NULL, 0, m, n, &r, &e), KG_OK);
    assert_int_equal(ent_of(r, 1), ent_of(r, 0));
    assert_string_equal(r->entities[ent_of(r, 0)].name, "Bob Cratchit");
    assert_int_not_equal(ent_of(r, 4), ent_of(r, 2));
    assert_int_not_equal(ent_of(r, 4), ent_of(r, 3));
    assert_int_equal(ent_of(r, 7), ent_of(r, 5));
    assert_int_not_equal(ent_of(r, 7), ent_of(r, 6));
    assert_int_not_equal(ent_of(r, 9), ent_of(r, 0));
    assert_int_equal(r->n_entities, 8);
    kg_resolution_free(r);
}

/* A boy's title is no name: "Master Peter" is Peter, who is the one full
 * name that starts with it (A Christmas Carol; "Master Peter" kept Peter
 * apart as the surname of someone called Master). */
static void test_master_is_a_title(void **st)
{
    (void)st;
    kg_resolve_mention m[] = {
        M("Peter Cratchit", "PERSON", 0),
        M("Master Peter", "PERSON", 20),
        M("Peter", "PERSON", 40),
    };
    kg_resolution *r;
    kg_err e;
    assert_int_equal(kg_resolve_document(NULL, 0, m, 3, &r, &e), KG_OK);
    assert_int_equal(r->n_entities, 1);
    assert_string_equal(r->entities[0].name, "Peter Cratchit");
    kg_resolution_free(r);
}

static void test_two_documents_two_smiths(void **st)
{
    (void)st;
    kg_resolve_mention d1[] = {M("John Smith", "PERSON", 0), M("Smith", "PERSON", 30)};
    kg_resolve_mention d2[] = {M("Mary Smith", "PERSON", 0), M("Smith", "PERSON", 30)};
    kg_resolve_mention d3[] = {M("Smith", "PERSON", 0)};
    kg_resolution *r1, *r2, *r3;
    kg_err e;
    assert_int_equal(kg_resolve_document(NULL, 0, d1, 2, &r1, &e), KG_OK);
    assert_int_equal(kg_resolve_document(NULL, 0, d2, 2, &r2, &e), KG_OK);
    assert_int_equal(kg_resolve_document(NULL, 0, d3, 1, &r3, &e), KG_OK);
    assert_int_equal(r1->n_entities, 1);
    assert_int_equal(r2->n_entities, 1);
    /* The pipeline ids entities by (type, key): these are two people, and
     * the bare Smith of document 3 is a third, separate surname entity. */
    assert_string_equal(r1->entities[0].key, "john smith");
    assert_string_equal(r2->entities[0].key, "mary smith");
    assert_string_equal(r3->entities[0].key, "smith");
    kg_resolution_free(r1);
    kg_resolution_free(r2);
    kg_resolution_free(r3);
}

/* A full name the document calls a person three times for every other
 * type is one person; a lone word, or a name typed otherwise more often,
 * keeps its types apart. */
static void test_person_slips(void **st)
{
    (void)st;
    kg_resolve_mention m[] = {
        M("Ebenezer Scrooge", "GPE", 0),  M("Ebenezer Scrooge", "PERSON", 30),
        M("Washington", "PERSON", 60),    M("Washington", "GPE", 80),
        M("Paris Hilton", "PERSON", 100), M("Paris Hilton", "ORG", 120),
        M("Lord Halifax", "PERSON", 140), M("Halifax", "GPE", 160),
    };
    m[1].weight = 3;
    m[2].weight = 5;
    m[4].weight = 2;
    kg_resolution *r;
    kg_err e;
    assert_int_equal(kg_resolve_document(NULL, 0, m, 8, &r, &e), KG_OK);
    assert_int_equal(ent_of(r, 0), ent_of(r, 1));
    assert_string_equal(r->entities[ent_of(r, 0)].type, "PERSON");
    assert_int_equal(r->entities[ent_of(r, 0)].mentions, 4);
    assert_int_not_equal(ent_of(r, 2), ent_of(r, 3)); /* one word */
    assert_int_not_equal(ent_of(r, 4), ent_of(r, 5)); /* 2 to 1 */
    assert_int_not_equal(ent_of(r, 6), ent_of(r, 7)); /* other keys */
    kg_resolution_free(r);
}

static void test_org_and_canonical(void **st)
{
    (void)st;
    kg_resolve_mention m[] = {
        M("University of Oxford", "ORG", 0), M("Oxford University", "ORG", 30),
        M("Oxford University", "ORG", 60),   M("the World Bank", "ORG", 90),
        M("World Bank", "ORG", 110),         M("Oxford", "LOC", 130),
    };
    int n = (int)(sizeof m / sizeof m[0]);
    kg_resolution *r;
    kg_err e;
    assert_int_equal(kg_resolve_document(NULL, 0, m, n, &r, &e), KG_OK);
    assert_int_equal(ent_of(r, 0), ent_of(r, 1));
    assert_int_equal(ent_of(r, 3), ent_of(r, 4));
    assert_int_not_equal(ent_of(r, 5), ent_of(r, 0));
    assert_int_equal(r->n_entities, 3);
    /* "University of Oxford" has more words; both forms are frequent. */
    assert_string_equal(r->entities[ent_of(r, 0)].name, "University of Oxford");
    assert_string_equal(r->entities[ent_of(r, 3)].name, "World Bank");
    assert_int_equal(r->entities[ent_of(r, 3)].n_aliases, 0);
    kg_resolution_free(r);

    /* A one-off long variant does not displace a name used many times. */
    kg_resolve_mention c[] = {
        M("IBM", "ORG", 0),  M("IBM", "ORG", 10), M("IBM", "ORG", 20),
        M("IBM", "ORG", 30), M("IBM", "ORG", 40), M("International Business Machines", "ORG", 50),
    };
    assert_int_equal(kg_resolve_document(NULL, 0, c, 6, &r, &e), KG_OK);
    assert_int_equal(r->n_entities, 1);
    assert_string_equal(r->entities[0].name, "IBM");
    kg_resolution_free(r);

    /* Bad input is an error, not a crash. */
    kg_resolve_mention bad[] = {{"x", NULL, 0, 1, 1, 1, NULL, 0}};
    assert_int_equal(kg_resolve_document(NULL, 0, bad, 1, &r, &e), KG_EINVAL);
    assert_null(r);
    kg_resolve_mention out[] = {M("far", "ORG", 100)};
    assert_int_equal(kg_resolve_document("short", 5, out, 1, &r, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "outside"));
}

static const kg_resolve_entity *entity_of(const kg_resolution *r, int i)
{
    return &r->entities[r->mention_entity[i]];
}

/* One name under kindred types is one entity, typed by most mentions; a
 * person never joins another type, nor does an ordinary name typed ORG
 * join a research type. */
static void test_kindred_types(void **st)
{
    (void)st;
    kg_resolve_mention m[] = {
        M("JavaScript", "METHOD", 0),               /* 0 */
        M("JavaScript", "SOFTWARE", 20),            /* 1 */
        M("Javascript", "METHOD", 40),              /* 2: a spelling, same key */
        M("AODV", "ORG", 60),                       /* 3 */
        M("AODV", "METHOD", 70),                    /* 4 */
        M("ZBR", "METHOD", 80),                     /* 5: tie, earliest wins */
        M("ZBR", "ORG", 90),                        /* 6 */
        M("Washington", "PERSON", 100),             /* 7 */
        M("Washington", "GPE", 120),                /* 8 */
        M("Support Vector Machine", "ORG", 140),    /* 9 */
        M("Support Vector Machine", "METHOD", 170), /* 10 */
        M("Paris", "LOC", 200),                     /* 11 */
        M("Paris", "GPE", 210),                     /* 12 */
        M("English", "NORP", 220),                  /* 13 */
        M("English", "LANGUAGE", 230),              /* 14 */
        M("SpiderMonkey", "GPE", 240),              /* 15 */
        M("SpiderMonkey", "METHOD", 260),           /* 16 */
        M("Gaussian distribution", "MISC", 280),    /* 17 */
        M("Gaussian distribution", "METHOD", 310),  /* 18 */
    };
    m[0].weight = 2;
    m[3].weight = 3;
    m[4].weight = 2;
    m[12].weight = 2;
    m[16].weight = 4;
    m[18].weight = 2;
    int n = (int)(sizeof m / sizeof m[0]);
    kg_resolution *r;
    kg_err e;
    assert_int_equal(kg_resolve_document(NULL, 0, m, n, &r, &e), KG_OK);
    assert_int_equal(ent_of(r, 0), ent_of(r, 1));
    assert_int_equal(ent_of(r, 0), ent_of(r, 2));
    assert_string_equal(entity_of(r, 0)->type, "METHOD");
    assert_int_equal(entity_of(r, 0)->mentions, 4);
    assert_int_equal(ent_of(r, 3), ent_of(r, 4));
    assert_string_equal(entity_of(r, 3)->type, "ORG"); /* 3 against 2 */
    assert_int_equal(ent_of(r, 5), ent_of(r, 6));
    assert_string_equal(entity_of(r, 5)->type, "METHOD"); /* 1 against 1: the earlier */
    assert_int_not_equal(ent_of(r, 7), ent_of(r, 8));     /* a person stays apart */
    assert_int_not_equal(ent_of(r, 9), ent_of(r, 10));    /* not a code-like name */
    assert_int_equal(ent_of(r, 11), ent_of(r, 12));
    assert_string_equal(entity_of(r, 11)->type, "GPE");
    assert_int_not_equal(ent_of(r, 13), ent_of(r, 14)); /* not kindred */
    assert_int_equal(ent_of(r, 15), ent_of(r, 16));
    assert_string_equal(entity_of(r, 15)->type, "METHOD");
    assert_int_equal(ent_of(r, 17), ent_of(r, 18));
    assert_string_equal(entity_of(r, 17)->type, "METHOD");
    assert_int_equal(r->n_entities, 12);
    /* The entity's key is its type's key of its name. */
    assert_string_equal(entity_of(r, 3)->key, "aodv");
    kg_resolution_free(r);
}

/* What the text says a name is settles the type of its entity: mentions
 * typed by a description ("SpiderMonkey, the baseline interpreter") alone
 * vote, however many readings from context say otherwise. */
static void test_described_type_wins(void **st)
{
    (void)st;
    kg_resolve_mention m[] = {
        M("SpiderMonkey", "ORG", 0),       /* 0: the recogniser's guess, 11 times */
        M("SpiderMonkey", "SOFTWARE", 40), /* 1: described, 3 times */
        M("AODV", "ORG", 60),              /* 2: no description: the vote as ever */
        M("AODV", "METHOD", 70),           /* 3 */
    };
    m[0].weight = 11;
    m[1].weight = 3;
    m[1].described = 1;
    m[2].weight = 3;
    m[3].weight = 2;
    kg_resolution *r;
    kg_err e;
    assert_int_equal(kg_resolve_document(NULL, 0, m, 4, &r, &e), KG_OK);
    assert_int_equal(ent_of(r, 0), ent_of(r, 1));
    assert_string_equal(entity_of(r, 0)->type, "SOFTWARE");
    assert_int_equal(entity_of(r, 0)->mentions, 14);
    assert_string_equal(entity_of(r, 2)->type, "ORG");
    kg_resolution_free(r);
    /* Without the description the guesses win. */
    m[1].described = 0;
    assert_int_equal(kg_resolve_document(NULL, 0, m, 4, &r, &e), KG_OK);
    assert_string_equal(entity_of(r, 0)->type, "ORG");
    kg_resolution_free(r);
}

/* A research name with a generic head is the name alone ("ZBR protocol" and
 * "ZBR"); not a person's ("Friedmann model"), nor a system for a task
 * ("RTE system" and the task "RTE"). */
static void test_generic_heads(void **st)
{
    (void)st;
    kg_resolve_mention m[] = {
        M("ZBR protocol", "METHOD", 0),      /* 0 */
        M("ZBR", "METHOD", 20),              /* 1 */
        M("AODV protocol", "METHOD", 30),    /* 2 */
        M("AODV", "ORG", 50),                /* 3: a code-like name */
        M("Friedmann model", "METHOD", 60),  /* 4 */
        M("Friedmann", "PERSON", 80),        /* 5 */
        M("RTE system", "METHOD", 90),       /* 6 */
        M("RTE", "TASK", 110),               /* 7 */
        M("RTE", "METHOD", 120),             /* 8: kindred with the task */
        M("SQuAD dataset", "DATASET", 130),  /* 9 */
        M("SQuAD", "DATASET", 150),          /* 10 */
        M("BERT models", "METHOD", 160),     /* 11: a plural head */
        M("BERT", "SOFTWARE", 180),          /* 12 */
        M("Graph Echo", "METHOD", 190),      /* 13 */
        M("Graph Echo Network", "ORG", 200), /* 14: not a research type */
    };
    int n = (int)(sizeof m / sizeof m[0]);
    kg_resolution *r;
    kg_err e;
    assert_int_equal(kg_resolve_document(NULL, 0, m, n, &r, &e), KG_OK);
    assert_int_equal(ent_of(r, 0), ent_of(r, 1));
    assert_int_equal(ent_of(r, 2), ent_of(r, 3));
    assert_int_not_equal(ent_of(r, 4), ent_of(r, 5));
    assert_int_not_equal(ent_of(r, 6), ent_of(r, 7));
    assert_int_equal(ent_of(r, 7), ent_of(r, 8));
    assert_int_equal(ent_of(r, 9), ent_of(r, 10));
    assert_int_equal(ent_of(r, 11), ent_of(r, 12));
    assert_int_not_equal(ent_of(r, 13), ent_of(r, 14));
    assert_int_equal(r->n_entities, 10);
    /* Named by the name alone, the longer form an alias. */
    const kg_resolve_entity *zbr = &r->entities[ent_of(r, 0)];
    assert_string_equal(zbr->name, "ZBR");
    assert_int_equal(zbr->n_aliases, 1);
    assert_string_equal(zbr->aliases[0], "ZBR protocol");
    assert_string_equal(r->entities[ent_of(r, 9)].name, "SQuAD");
    kg_resolution_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_acronyms),
        cmocka_unit_test(test_person_variants),
        cmocka_unit_test(test_ambiguous_surname),
        cmocka_unit_test(test_dominant_surname),
        cmocka_unit_test(test_master_is_a_title),
        cmocka_unit_test(test_first_name),
        cmocka_unit_test(test_two_documents_two_smiths),
        cmocka_unit_test(test_person_slips),
        cmocka_unit_test(test_org_and_canonical),
        cmocka_unit_test(test_kindred_types),
        cmocka_unit_test(test_generic_heads),
        cmocka_unit_test(test_described_type_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
